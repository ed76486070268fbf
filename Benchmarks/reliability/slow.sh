#!/usr/bin/env bash
# Scenario f, slow platform (issue 15): every message call to the fake platform API is answered after DELAY
# seconds (10); conversations of all four platforms write twice each. Reports the acknowledgement latency
# p50 / p99 and how long after its event each conversation's first reply reached the platform (it must not wait
# behind other conversations' slow calls). At most 10 minutes.
#
#     Benchmarks/reliability/slow.sh                  # DELAY=10 LANES=3 SKIP_BUILD=1
exec "$(dirname "$0")/run-scenario.sh" slowPlatform 600 \
    FIRSTLINE_TEST_SLOW_SECONDS="${DELAY:-10}" FIRSTLINE_TEST_LANES="${LANES:-3}" \
    ${FIRSTLINE_TEST_BINARY:+FIRSTLINE_TEST_BINARY="$FIRSTLINE_TEST_BINARY"}
