#!/usr/bin/env bash
# The reliability harness's storage scenario (issue 15, point 7 e), full version, in one command (as root: it
# loop-mounts a small ext4 image, as CI's container allows):
#
#     Benchmarks/reliability/storage.sh
#
# Builds the tests and a release `firstline`, then runs `ReliabilityStorageProcessTests` with EVENTS webhooks per
# burst: a real `firstline serve` on a SQLite file in a 32 MiB ext4 file system of its own, all four platforms
# against the fake platform API. A burst is acknowledged; then the database file and its WAL are made immutable
# (`chattr +i`: writes through the server's open descriptors fail with EPERM) — webhooks must answer 503 with
# Retry-After and /readyz 503; the flag is removed — /readyz must be 200 again by itself and the refused deliveries
# (redelivered, as the platforms do) acknowledged; another burst; then the file system is filled (`dd` until ENOSPC)
# — once what fits in the WAL's allocated space is used, 503 again, /readyz 503; the filler is removed — recovery
# again. At the end every event acknowledged at any point is answered and each reply reached the fake exactly once.
# Prints the table. Bounded by the test's 10-minute limit. CI runs the same scenario with 40 events per burst.
#
# Knobs: EVENTS (400), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-400}
if [[ $(id -u) != 0 ]]; then echo "storage.sh needs root (mount -o loop, chattr)" >&2; exit 2; fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build --build-tests >&2
    swift build -c release --product firstline >&2
fi
echo "FirstLine reliability harness: storage trouble, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1))"
FIRSTLINE_TEST_BINARY="$(swift build -c release --show-bin-path)/firstline" FIRSTLINE_HARNESS_STORAGE_EVENTS=$EVENTS \
    swift test --skip-build --filter "ReliabilityStorageProcessTests" 2>&1 \
    | sed -n '/^reliability storage:/,/^disk full/p; /✘/p; /✔ Test "read-only/p'
