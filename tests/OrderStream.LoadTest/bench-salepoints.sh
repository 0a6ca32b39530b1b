#!/usr/bin/env bash
# Measures the figures of issue #4 on this machine: bash tests/OrderStream.LoadTest/bench-salepoints.sh [users]
#   1. a tenant of [users] users (100,000 by default; 0 reuses the tenant of PGDATA_KEEP), 50 sale points, each user at 1-3
#   2. the user list filtered by sale point (alone, with search, deep page, other order), one request at a time
#   3. POS login with a PIN (hashed at the production cost), 8 concurrent clients
# All clients share one address, so the per-address login limiter (30 a minute) is lifted for the run; the per-user
# lockout is not (every login here is right).
set -euo pipefail
cd "$(dirname "$0")/../.."
users="${1:-100000}"
source .ci/pg.sh
trap 'kill ${host:-} 2>/dev/null || true; pg_stop' EXIT
pg_start
dotnet build src/Host/OrderStream.Host -c Release -v quiet -nologo
dotnet build tests/OrderStream.LoadTest -c Release -v quiet -nologo

export ASPNETCORE_ENVIRONMENT=Production Jwt__SigningKey="bench-only-signing-key-0123456789-abcdefghijklmnop" Logging__LogLevel__Default=Warning
export RateLimiting__LoginPermitsPerMinute=1000000
dotnet run --no-build -c Release --project src/Host/OrderStream.Host -- bootstrap --tenant bench --name Bench --time-zone Europe/Vienna \
  --currency EUR --admin-login admin --admin-password bench-password-1
dotnet run --no-build -c Release --project src/Host/OrderStream.Host --urls http://127.0.0.1:5099 &
host=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5099/health/ready >/dev/null && break; sleep 1; done

load=tests/OrderStream.LoadTest/bin/Release/net10.0/OrderStream.LoadTest
[ "$users" -gt 0 ] && $load http://127.0.0.1:5099 bench admin bench-password-1 create "$users"
psql() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d orderstream "$@"; }
if [ "$(psql -tAc "select count(*) from salepoints.mt_doc_location where tenant_id = 'bench'" 2>/dev/null || echo 0)" = "0" ]; then
  $load http://127.0.0.1:5099 bench admin bench-password-1 salepoints-seed
fi
delivered() {
  psql -tAc "select coalesce((select max(last_seq_id) from events.mt_event_progression where name like 'integration-events%'), 0)
            >= (select coalesce(max(seq_id), 0) from events.mt_events)" | grep -q t
}
started=$(date +%s)
until delivered; do sleep 1; done
echo "integration events all delivered $(( $(date +%s) - started )) s after seeding"
psql -qc "vacuum analyze identity.mt_doc_user_location_index, identity.mt_doc_userlistentry"
$load http://127.0.0.1:5099 bench admin bench-password-1 salepoints
