#!/usr/bin/env bash
# Measures issue #6's bulk changes on this machine: bash tests/OrderStream.LoadTest/bench-bulk.sh [rows, default 1000]
#   on the 20,000-user "roles" tenant of bench-roles.sh (seeded here when missing): N users imported from CSV with a role, a
#   sale point and a store (dry run, then for real), then all N changed in one bulk call (dry run, then for real) and deactivated.
# The service runs in Release, Production environment, against a throwaway PostgreSQL (PGDATA_KEEP keeps it); all on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
roles_tenant
$load http://127.0.0.1:5099 roles admin bench-password-1 bulk "${1:-1000}"
