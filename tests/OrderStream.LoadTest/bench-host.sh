# Sourced by the bench scripts: a throwaway PostgreSQL (PGDATA_KEEP keeps it), the service published as run.sh runs it (ReadyToRun, ADR 0017) and run in
# Production mode on http://127.0.0.1:5099, the load client as $load, and helpers. Everything stays on loopback.
source .ci/pg.sh
# Figures are a durable PostgreSQL's (fsync and synchronous commit on), as in production, even on a throwaway cluster.
export PG_DURABLE="${PG_DURABLE-1}"
source .ci/service.sh
trap 'kill ${host:-} ${bare:-} 2>/dev/null || true; wait 2>/dev/null || true; pg_stop' EXIT
export ASPNETCORE_ENVIRONMENT=Production Jwt__SigningKey="bench-only-signing-key-0123456789-abcdefghijklmnop" Logging__LogLevel__Default=Warning
load=tests/OrderStream.LoadTest/bin/Release/net10.0/OrderStream.LoadTest

bench_build() {
  pg_start
  service_publish
  dotnet build tests/OrderStream.LoadTest -c Release -v quiet -nologo
}

# bootstrap <tenant> <name>: the operator's command, admin / bench-password-1; says "Created tenant" only the first time.
bootstrap() {
  "$service" bootstrap --tenant "$1" --name "$2" --time-zone Europe/Vienna \
    --currency EUR --admin-login admin --admin-password bench-password-1
}

# The 20,000-user "roles" tenant of issue #3 (300 roles of 40 features, 3 roles and 2 grants per user), seeded through the
# service when the database does not have it yet; starts the service.
# The wrk scripts' users are written when the tenant is seeded, beside the database they belong to.
roles_tenant() {
  export USERS_LUA="${PGDATA_KEEP:-${TMPDIR:-/tmp}}/orderstream-users.lua"
  local created; created=$(bootstrap roles Roles)
  start_host
  if grep -q "Created tenant" <<<"$created"; then
    $load http://127.0.0.1:5099 roles admin bench-password-1 create 20000
    $load http://127.0.0.1:5099 roles admin bench-password-1 roles-seed
    settle
  fi
}

# After seeding, the first measurements lost a quarter of their throughput to the work the seeding left behind
# (autovacuum of the new rows, the kernel writing back a database run with fsync off): all done before anything is timed.
settle() {
  wait_delivered seeding
  psql -qc 'VACUUM (ANALYZE)' && psql -qc 'CHECKPOINT' && sync
}

start_host() {
  "$service" --urls http://127.0.0.1:5099 &
  host=$!
  for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5099/health/ready >/dev/null && break; sleep 1; done
}

psql() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d orderstream "$@"; }

# Reads are measured on a settled system: waits until other modules (Billing, Identity's read models) have every event.
wait_delivered() {
  local started; started=$(date +%s)
  until psql -tAc "select coalesce((select max(last_seq_id) from events.mt_event_progression where name like 'integration-events%'), 0)
                   >= (select coalesce(max(seq_id), 0) from events.mt_events)" | grep -q t; do sleep 1; done
  echo "integration events all delivered $(( $(date +%s) - started )) s after $1"
}
