#!/usr/bin/env bash
# Measures issue #6's permission matrix at its stated size: bash tests/OrderStream.LoadTest/bench-matrix.sh [features, default 200]
#   on the 20,000-user "roles" tenant of bench-roles.sh (seeded here when missing), whose catalogue is brought to that many
#   features with the tenant's own (each given through one of its roles); then the matrix as CSV, JSON, and CSV again.
# The service runs in Release, Production environment, against a throwaway PostgreSQL (PGDATA_KEEP keeps it); all on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
roles_tenant
$load http://127.0.0.1:5099 roles admin bench-password-1 matrix "${1:-200}"
