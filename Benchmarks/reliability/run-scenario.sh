#!/usr/bin/env bash
# Shared by crash.sh, outage.sh and slow.sh (issue 15, point 7 b, c, f): builds the tests and the `firstline`
# binary unless SKIP_BUILD=1, runs one scenario of `ReliabilityProcessTests` (a real `firstline serve` on a
# SQLite file in a temporary folder, the fake Slack / Telegram / LINE / LINE WORKS API in the test process),
# bounded by `timeout`, and prints its results table and verdict. Exit status: the test's.
#
#     Benchmarks/reliability/run-scenario.sh <test name> <time limit, s> [VAR=value …]
set -euo pipefail
cd "$(dirname "$0")/../.."

scenario=$1
limit=$2
shift 2

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build --build-tests >&2
fi
output=$(mktemp)
trap 'rm -f "$output"' EXIT
status=0
env "$@" timeout --signal=KILL "$limit" swift test --skip-build --filter "ReliabilityProcessTests/$scenario" >"$output" 2>&1 || status=$?
grep -E "^reliability: " "$output" | sed -e 's/^reliability: //' || true
grep -E "✘|Expectation failed|error:" "$output" | head -20 || true
if [[ $status -eq 0 ]]; then
    echo "PASSED ($scenario)"
elif [[ $status -eq 137 ]]; then
    echo "STOPPED after ${limit} s ($scenario)"
else
    echo "FAILED ($scenario, exit $status)"
fi
exit "$status"
