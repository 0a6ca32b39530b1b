#!/usr/bin/env bash
# Measures the figures of issue #2 on this machine: bash tests/OrderStream.LoadTest/bench.sh [users]
#   1. creating users without credentials over HTTP, 8 concurrent clients (also seeds the tenant)
#   2. user-list pages (search, filters, paging) on that tenant, one request at a time
#   3. the cost of one credential hash
#   4. billing statements for a tenant with 50,000 accounts and five years of history (seeded into Billing's own streams)
# The service runs in Release, Production environment, against a throwaway PostgreSQL; everything stays on loopback.
# PGDATA_KEEP=/some/dir keeps the database between runs; then `bench.sh 0` measures again without creating users.
set -euo pipefail
cd "$(dirname "$0")/../.."
users="${1:-100000}"
source .ci/pg.sh
trap 'kill ${host:-} 2>/dev/null || true; pg_stop' EXIT
pg_start
dotnet build src/Host/OrderStream.Host -c Release -v quiet -nologo
dotnet build tests/OrderStream.LoadTest -c Release -v quiet -nologo

export ASPNETCORE_ENVIRONMENT=Production Jwt__SigningKey="bench-only-signing-key-0123456789-abcdefghijklmnop" Logging__LogLevel__Default=Warning
dotnet run --no-build -c Release --project src/Host/OrderStream.Host -- bootstrap --tenant bench --name Bench --time-zone Europe/Vienna \
  --currency EUR --admin-login admin --admin-password bench-password-1
dotnet run --no-build -c Release --project src/Host/OrderStream.Host --urls http://127.0.0.1:5099 &
host=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5099/health/ready >/dev/null && break; sleep 1; done

load=tests/OrderStream.LoadTest/bin/Release/net10.0/OrderStream.LoadTest
[ "$users" -gt 0 ] && $load http://127.0.0.1:5099 bench admin bench-password-1 create "$users"
# Reads are measured on a settled system: first wait until other modules (Billing) have been handed every event.
delivered() {
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d orderstream -tAc \
    "select coalesce((select max(last_seq_id) from events.mt_event_progression where name like 'integration-events%'), 0)
            >= (select coalesce(max(seq_id), 0) from events.mt_events)" | grep -q t
}
started=$(date +%s)
until delivered; do sleep 1; done
echo "integration events all delivered $(( $(date +%s) - started )) s after the last user was created"
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d orderstream -qc "vacuum analyze identity.mt_doc_user, identity.mt_doc_userlistentry"  # what autovacuum does after a bulk load
$load http://127.0.0.1:5099 bench admin bench-password-1 list
$load http://127.0.0.1:5099 bench admin bench-password-1 hash

dotnet run --no-build -c Release --project src/Host/OrderStream.Host -- bootstrap --tenant billing --name Billing --time-zone Europe/Vienna \
  --currency EUR --admin-login admin --admin-password bench-password-1 | grep -q "Created tenant" \
  && $load http://127.0.0.1:5099 billing admin bench-password-1 billing-seed 50000
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d orderstream -qc "vacuum analyze billing.mt_doc_billingaccount"
$load http://127.0.0.1:5099 billing admin bench-password-1 billing
