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
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
bootstrap bench Bench
start_host
[ "$users" -gt 0 ] && $load http://127.0.0.1:5099 bench admin bench-password-1 create "$users"
wait_delivered "the last user was created"
psql -qc "vacuum analyze identity.mt_doc_user, identity.mt_doc_userlistentry"  # what autovacuum does after a bulk load
$load http://127.0.0.1:5099 bench admin bench-password-1 list
$load http://127.0.0.1:5099 bench admin bench-password-1 hash

bootstrap billing Billing | grep -q "Created tenant" \
  && $load http://127.0.0.1:5099 billing admin bench-password-1 billing-seed 50000
psql -qc "vacuum analyze billing.mt_doc_billingaccount"
$load http://127.0.0.1:5099 billing admin bench-password-1 billing
