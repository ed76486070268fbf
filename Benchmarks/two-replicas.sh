#!/usr/bin/env bash
# The two-replica crash test (issue 13, point 5), full version, in one command:
#
#     Benchmarks/two-replicas.sh
#
# Starts a throwaway PostgreSQL cluster (.ci/postgres-cluster), builds the tests and the `firstline` binary,
# and runs `TwoReplicaProcessTests`: two `firstline serve` processes on one database, 12 conversations of
# signed Slack and Telegram webhooks sent alternately to both, and one replica SIGKILLed at a random moment
# and restarted KILLS times while the events are sent (CI runs the same test with 5), then again and again
# while the tickets' one-minute SLA alarms come due. It prints the figures line ("events sent, acknowledged,
# answered, … sent twice, SIGKILLs, tickets, SLA alarms fired (… twice)") and stops the cluster.
#
# Knobs (environment): KILLS (20), PGPORT (55470), SKIP_BUILD=1 to reuse the last build,
# FIRSTLINE_TEST_BINARY (a release binary: .build/release/firstline).
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS=${KILLS:-20}
PGPORT=${PGPORT:-55470}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build --build-tests >&2
fi
cluster=$(mktemp -d)
url=$(.ci/postgres-cluster start "$cluster" "$PGPORT")
trap '.ci/postgres-cluster stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$cluster"' EXIT

FIRSTLINE_TEST_POSTGRES_URL="$url?sslmode=disable" FIRSTLINE_TEST_REPLICA_KILLS="$KILLS" \
    swift test --skip-build --filter TwoReplicaProcessTests 2>&1 | grep -E "two replicas:|✔|✘|Expectation"
