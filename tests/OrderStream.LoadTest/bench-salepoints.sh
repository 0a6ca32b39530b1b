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
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
export RateLimiting__LoginPermitsPerMinute=1000000
bootstrap bench Bench
start_host
[ "$users" -gt 0 ] && $load http://127.0.0.1:5099 bench admin bench-password-1 create "$users"
if [ "$(psql -tAc "select count(*) from salepoints.mt_doc_location where tenant_id = 'bench'" 2>/dev/null || echo 0)" = "0" ]; then
  $load http://127.0.0.1:5099 bench admin bench-password-1 salepoints-seed
fi
wait_delivered seeding
psql -qc "vacuum analyze identity.mt_doc_user_location_index, identity.mt_doc_userlistentry"
$load http://127.0.0.1:5099 bench admin bench-password-1 salepoints
