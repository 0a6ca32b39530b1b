#!/usr/bin/env bash
# Measures issue #23's read-model freshness on this machine: bash tests/OrderStream.LoadTest/bench-freshness.sh [trials]
# On an idle service, one change at a time: the time from a change's answer until another module's read model shows it
# (a new user in the billing statement; a sale point given to a user in the user list's sale-point filter).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
bootstrap fresh Fresh
start_host
$load http://127.0.0.1:5099 fresh admin bench-password-1 freshness "${1:-40}"
