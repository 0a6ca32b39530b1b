#!/usr/bin/env bash
# Starts OrderStream with everything it needs: PostgreSQL (installed with apt-get when missing, data kept in .data/),
# MailDev (the SMTP server mail goes to; read it in the browser at the address printed below), the demo tenant and its
# administrator (printed below), then the service on http://localhost:5080 (PORT to change it).
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2; exit 1; }

export PGDATA_KEEP="$PWD/.data/postgres"
source .ci/pg.sh
source .ci/maildev.sh
source .ci/service.sh
trap 'maildev_stop; pg_stop' EXIT
pg_start
maildev_start
export Mail__Port="$MAIL_SMTP_PORT"

service_publish

# Tokens are signed with a key of this installation's own, made on the first run: the development key in the
# repository is public, so a token it signed could be forged by anyone (ADR 0020).
mkdir -p .data
if [ ! -s .data/jwt-signing-key ]; then
  (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' > .data/jwt-signing-key)
fi
export Jwt__SigningKey="$(cat .data/jwt-signing-key)"

export ORDERSTREAM_URL="http://localhost:${PORT:-5080}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
"$service" bootstrap --demo
echo "Mail sent by OrderStream (license confirmations): $MAILDEV_URL"
# Loopback only unless HOST says otherwise (HOST=0.0.0.0): the demo administrator's password is printed above.
"$service" --urls "http://${HOST:-localhost}:${PORT:-5080}"
