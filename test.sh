#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL (installed with apt-get when missing). CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2; exit 1; }

source .ci/pg.sh
source .ci/maildev.sh
trap 'maildev_stop; pg_stop' EXIT
pg_start
maildev_start   # a real SMTP server: the license tests send mail to it and read it back (MAIL_SMTP_PORT, MAILDEV_URL)
# The browser tests drive Debian's Chromium (never a browser download).
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi


dotnet restore OrderStream.sln
dotnet build OrderStream.sln --no-restore
export SNAPSHOOTER_STRICT_MODE=true   # a missing snapshot fails instead of being written

log="$(mktemp)"
set +e
# One test project after another: the fault suite loads the machine, and the two-instance tests time a second.
dotnet test OrderStream.sln --no-build -m:1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/Total:/ {for(i=1;i<=NF;i++){if($i=="Passed:")p+=$(i+1); if($i=="Failed:")f+=$(i+1); if($i=="Skipped:")s+=$(i+1)}} END {printf "%d passed, %d failed, %d skipped\n",p,f,s}' "$log"
rm -f "$log"
exit "$status"
