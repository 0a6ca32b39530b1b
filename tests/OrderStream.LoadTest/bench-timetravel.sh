#!/usr/bin/env bash
# Measures the figures of issue #6 on this machine: bash tests/OrderStream.LoadTest/bench-timetravel.sh
#   the 20,000-user "roles" tenant of bench-roles.sh (seeded here when missing), given a history of over 1,000,000 events
#   (history.sql), then asOf decisions and listings at random past instants, "who held it then", and the permission matrix.
# The service runs in Release, Production environment, against a throwaway PostgreSQL (PGDATA_KEEP keeps it); all on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
roles_tenant
psql -q -v ON_ERROR_STOP=1 -f tests/OrderStream.LoadTest/history.sql
$load http://127.0.0.1:5099 roles admin bench-password-1 timetravel
