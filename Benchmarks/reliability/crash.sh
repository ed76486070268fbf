#!/usr/bin/env bash
# Scenario b, crash (issue 15): SIGKILL of `firstline serve` at random moments during signed-webhook load of all
# four platforms, CYCLES times (10), restarted each time on the same SQLite database. Checks that every
# acknowledged event was answered, each reply reached the fake platform once (Slack: looked up in the history,
# LINE: retry key; Telegram / LINE WORKS repeats counted), in order per conversation. At most 10 minutes.
#
#     Benchmarks/reliability/crash.sh                 # CYCLES=10 LANES=3 (conversations per platform) SKIP_BUILD=1
exec "$(dirname "$0")/run-scenario.sh" crash 600 \
    FIRSTLINE_TEST_CRASH_CYCLES="${CYCLES:-10}" FIRSTLINE_TEST_LANES="${LANES:-3}" \
    ${FIRSTLINE_TEST_BINARY:+FIRSTLINE_TEST_BINARY="$FIRSTLINE_TEST_BINARY"}
