#!/usr/bin/env bash
# The reliability harness's load scenario (issue 15, point 7 a), full version, in one command:
#
#     Benchmarks/reliability/load.sh
#
# Builds the tests and a release `firstline`, then runs `ReliabilityLoadFuzzTests/load` with the full figures: a
# real `firstline serve` (the release binary) on a fresh SQLite file, all four platforms enabled against the fake
# platform API (Tests/FirstLineTestSupport, 127.0.0.1), and signed webhooks of Slack, Telegram, LINE and LINE WORKS
# in turn, offered open loop at RATE per second for SECONDS s over CONVERSATIONS conversations per platform
# (latency counts from when each request was due). Afterwards every acknowledged event must be in the inbox and
# answered, every reply sent, and the fake must have received each reply exactly once. Prints the table (throughput,
# acknowledgement p50/p99 per platform, rows, replies, platform calls, sent twice). Bounded: the test's own limit
# is 20 minutes. CI runs the short version (40/s for 5 s, debug binary).
#
# Knobs: RATE (400), SECONDS (30), CONVERSATIONS (500), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-400}
DURATION=${SECONDS_OF_LOAD:-${DURATION:-30}}
CONVERSATIONS=${CONVERSATIONS:-500}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build --build-tests >&2
    swift build -c release --product firstline >&2
fi
echo "FirstLine reliability harness: load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)), shared by the server, the load and the fake API"
FIRSTLINE_TEST_BINARY="$(swift build -c release --show-bin-path)/firstline" \
FIRSTLINE_HARNESS_LOAD_RATE=$RATE FIRSTLINE_HARNESS_LOAD_SECONDS=$DURATION FIRSTLINE_HARNESS_LOAD_CONVERSATIONS=$CONVERSATIONS \
    swift test --skip-build --filter "ReliabilityLoadFuzzTests/load" 2>&1 \
    | sed -n '/^reliability load:/,/^all /p; /✘/p; /✔ Test "load/p'
