#!/usr/bin/env bash
# Measures the console's figures of issue #21 on this machine: bash tests/OrderStream.LoadTest/bench-console.sh [users]
#   1. the published console's first load with a cold cache: bytes transferred, time until the sign-in form is usable
#   2. on a tenant of 100,000 users: search as you type (result on screen after the typing pause), opening a user form
# The service runs published, in Production, on loopback; the browser is Debian's Chromium. PGDATA_KEEP=/some/dir keeps
# the database between runs (then `bench-console.sh 0` measures again without creating users).
set -euo pipefail
cd "$(dirname "$0")/../.."
users="${1:-100000}"
source tests/OrderStream.LoadTest/bench-host.sh
bench_build
dotnet build tests/OrderStream.ConsoleBench -c Release -v quiet -nologo
bootstrap bench Bench
start_host
[ "$users" -gt 0 ] && $load http://127.0.0.1:5099 bench admin bench-password-1 create "$users"
settle
# localhost, not 127.0.0.1: in Production the session cookie is Secure, which Chromium keeps on http only for localhost.
tests/OrderStream.ConsoleBench/bin/Release/net10.0/OrderStream.ConsoleBench http://localhost:5099 bench admin bench-password-1
