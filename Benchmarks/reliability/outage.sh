#!/usr/bin/env bash
# Scenario c, outage (issue 15): the fake platform API answers 503 for the first half of SECONDS (60), then 429
# with Retry-After: 2 for the second half, while employees of all four platforms write; then it recovers.
# Checks that every reply was delivered after the recovery, once, in order per conversation, and how long the
# backlog took (target: within 10 s). At most 10 minutes.
#
#     Benchmarks/reliability/outage.sh                # OUTAGE_SECONDS=60 LANES=3 SKIP_BUILD=1
exec "$(dirname "$0")/run-scenario.sh" outage 600 \
    FIRSTLINE_TEST_OUTAGE_SECONDS="${OUTAGE_SECONDS:-60}" FIRSTLINE_TEST_LANES="${LANES:-3}" \
    ${FIRSTLINE_TEST_BINARY:+FIRSTLINE_TEST_BINARY="$FIRSTLINE_TEST_BINARY"}
