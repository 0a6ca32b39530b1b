#!/usr/bin/env bash
# Measures the figures of issue #6 on this machine: bash tests/OrderStream.LoadTest/bench-timetravel.sh
#   the 20,000-user "roles" tenant of bench-roles.sh (seeded here when missing), given a history of over 1,000,000 events
#   (history.sql), then asOf decisions and listings at random past instants, "who held it then", and the permission matrix.
# The service runs in Release, Production environment, against a throwaway PostgreSQL (PGDATA_KEEP keeps it); all on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/pg.sh
trap 'kill ${host:-} 2>/dev/null || true; pg_stop' EXIT
pg_start
dotnet build src/Host/OrderStream.Host -c Release -v quiet -nologo
dotnet build tests/OrderStream.LoadTest -c Release -v quiet -nologo

export ASPNETCORE_ENVIRONMENT=Production Jwt__SigningKey="bench-only-signing-key-0123456789-abcdefghijklmnop" Logging__LogLevel__Default=Warning
load=tests/OrderStream.LoadTest/bin/Release/net10.0/OrderStream.LoadTest
created=$(dotnet run --no-build -c Release --project src/Host/OrderStream.Host -- bootstrap --tenant roles --name Roles --time-zone Europe/Vienna \
  --currency EUR --admin-login admin --admin-password bench-password-1)
dotnet run --no-build -c Release --project src/Host/OrderStream.Host --urls http://127.0.0.1:5099 &
host=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5099/health/ready >/dev/null && break; sleep 1; done
if grep -q "Created tenant" <<<"$created"; then
  $load http://127.0.0.1:5099 roles admin bench-password-1 create 20000
  $load http://127.0.0.1:5099 roles admin bench-password-1 roles-seed
fi
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d orderstream -q -v ON_ERROR_STOP=1 -f tests/OrderStream.LoadTest/history.sql
$load http://127.0.0.1:5099 roles admin bench-password-1 timetravel
