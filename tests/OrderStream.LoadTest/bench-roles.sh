#!/usr/bin/env bash
# Measures the figures of issue #3 on this machine: bash tests/OrderStream.LoadTest/bench-roles.sh
#   1. in-process decisions and permission listings (BenchmarkDotNet, then per-call percentiles)
#   2. loading a 20,000-user tenant (300 roles of 40 features, 3 roles + 2 grants per user) into the engine: time and memory,
#      three times in one process, then once more as a restarted service loads it at start-up
#   3. POST /authorization/check at 64 connections (wrk) beside a bare ASP.NET Core endpoint returning constant JSON
# SKIP_BENCHMARKDOTNET=1 skips part 1. The service runs in Release, Production environment, against a throwaway PostgreSQL (PGDATA_KEEP keeps it); all on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/OrderStream.LoadTest/bench-host.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
bench_build
dotnet build tests/OrderStream.Benchmarks -c Release -v quiet -nologo

[ "${SKIP_BENCHMARKDOTNET:-}" = 1 ] || dotnet run --no-build -c Release --project tests/OrderStream.Benchmarks -- --filter '*'

roles_tenant
$load http://127.0.0.1:5099 roles admin bench-password-1 engine-load
# A fresh process loads the seeded tenant at start-up (its log line is the time, JIT and first queries included).
kill $host; wait $host 2>/dev/null || true
Logging__LogLevel__OrderStream=Information start_host

TOKEN=$(curl -s -X POST http://127.0.0.1:5099/api/tenants/roles/auth/login -H 'Content-Type: application/json' \
  -d '{"loginCode":"admin","password":"bench-password-1"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
export TOKEN
DOTNET_gcServer=1 $load http://127.0.0.1:5098 - - - bare &
bare=$!
for _ in $(seq 1 30); do curl -sf -X POST http://127.0.0.1:5098/bare >/dev/null && break; sleep 1; done
# Warm-up: 20 s, as the JIT's tiering of the service's code still took a sixth of a core 10 s into load (perf).
wrk -t2 -c64 -d20s -s tests/OrderStream.LoadTest/check.lua http://127.0.0.1:5099/api/tenants/roles/authorization/check >/dev/null
wrk -t2 -c64 -d5s -s tests/OrderStream.LoadTest/check.lua http://127.0.0.1:5098/bare >/dev/null
for round in 1 2; do
  echo "== round $round: bare ASP.NET Core endpoint, constant JSON"
  wrk -t2 -c64 -d20s --latency -s tests/OrderStream.LoadTest/check.lua http://127.0.0.1:5098/bare | grep -E "Requests/sec|99%|50%|Non-2xx"
  echo "== round $round: POST /authorization/check"
  wrk -t2 -c64 -d20s --latency -s tests/OrderStream.LoadTest/check.lua http://127.0.0.1:5099/api/tenants/roles/authorization/check | grep -E "Requests/sec|99%|50%|Non-2xx"
done
