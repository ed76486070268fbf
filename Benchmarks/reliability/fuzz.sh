#!/usr/bin/env bash
# The reliability harness's fuzz scenario (issue 15, point 7 d), full version, in one command:
#
#     Benchmarks/reliability/fuzz.sh
#
# Builds release, starts `firstline serve` on a fresh SQLite file with all four platforms enabled (replies go to
# 127.0.0.1:9, where nothing listens), and runs `firstline-loadgen --fuzz`: BODIES mutated webhooks per platform
# (FirstLineHarness.Mutator, seeded: SEED names the run), half signed correctly over the mutated bytes. Then it
# checks what the load process cannot: the server is still running and healthy, it stops with SIGTERM (exit 0),
# and the inbox holds no more rows than the distinct correctly signed bodies it answered 200 (nothing stored for
# what it refused). Prints the table; exit 1 on any failure. CI runs the short version (500 per platform) as
# `ReliabilityLoadFuzzTests/fuzz`.
#
# Knobs: BODIES (100000 per platform), SEED (20261207), CONNECTIONS (32 concurrent requests), PORT (18190),
# TIMEOUT (10 s per request), SKIP_BUILD=1.
source "$(dirname "$0")/common.sh"
BODIES=${BODIES:-100000}
SEED=${SEED:-20261207}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18190}
TIMEOUT=${TIMEOUT:-10}

echo "FirstLine reliability harness: fuzz, $(machine)"
db="$WORK/firstline.sqlite"
start_server "$PORT" "$db" "http://127.0.0.1:9"
before=$(sqlite3 "$db" "SELECT count(*) FROM inbox")
set +e
timeout $((BODIES / 10 + 600)) "$BIN/firstline-loadgen" --port "$PORT" --fuzz "$BODIES" --seed "$SEED" \
    --connections "$CONNECTIONS" --request-timeout "$TIMEOUT" | tee "$WORK/fuzz.out"
loadgen=${PIPESTATUS[0]}
set -e
alive=no
if kill -0 "$SERVER_PID" 2>/dev/null && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; then alive=yes; fi
sleep 1
after=$(sqlite3 "$db" "SELECT count(*) FROM inbox")
accepted=$(sed -n 's/^accepted_distinct=//p' "$WORK/fuzz.out")
stop_server
stopped=$STOPPED
stored=$((after - before))
crashes=$(grep -c "Fatal error\|Program crashed" "$WORK/serve.log" || true)
echo
echo "| server alive after the run | crashes in its log | inbox rows stored | distinct correctly signed bodies answered 200 | SIGTERM |"
echo "|---|---|---|---|---|"
echo "| $alive | $crashes | $stored | ${accepted:-?} | $stopped |"
failed=0
[[ $loadgen == 0 ]] || { echo "FAILED: the load process found 5xx, hangs, lost connections or a wrongly signed request accepted (exit $loadgen)"; failed=1; }
[[ $alive == yes && $crashes == 0 ]] || { echo "FAILED: the server did not survive; its log:"; tail -40 "$WORK/serve.log"; failed=1; }
[[ -n "$accepted" && $stored -le $accepted ]] || { echo "FAILED: $stored inbox rows for ${accepted:-?} accepted bodies"; failed=1; }
[[ $stopped == "exit 0 "* ]] || { echo "FAILED: SIGTERM: $stopped"; failed=1; }
[[ $failed == 0 ]] && echo "PASSED"
exit $failed
