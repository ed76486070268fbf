#!/usr/bin/env bash
# The webhook load benchmark (issue 6), in one command:
#
#     Benchmarks/webhook-load.sh
#
# Builds release, starts `firstline serve` on a fresh SQLite file (WAL) in a temporary folder, runs
# `firstline-loadgen` against it as a separate process over loopback, prints the table and stops the
# server. It does this twice: first with the inbox held (events are committed and acknowledged but not
# answered, so the figures are those of acknowledgement alone), then with processing on (the inbox worker
# matches and answers while the load runs). Outbound replies go to 127.0.0.1:9, where nothing listens: they
# fail fast and are retried later, so no platform is ever called.
#
# Knobs (environment): PORT (18080), WARMUP (2 s), DURATION (10 s per phase), CONNECTIONS (64),
# RATE (1000 offered events/s), MODES ("held processing"), SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18080}
WARMUP=${WARMUP:-2}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
RATE=${RATE:-1000}
MODES=${MODES:-held processing}
SECRET="bench-signing-secret-not-a-real-one"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --product firstline >&2
    swift build -c release --product firstline-loadgen >&2
fi
BIN=$(swift build -c release --show-bin-path)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/firstline-webhook-load.XXXXXX")
SERVER_PID=""

stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        # A graceful stop ends the inbox worker between two turns, leaving the backlog pending in the
        # file; the 10 s limit is only a guard. Every acknowledged event is already committed (WAL).
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT

start_server() { # $1: name of the run, then extra `serve` options
    local name=$1
    shift
    # Another server on the port would answer /readyz instead of this one (and the load would measure it).
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
        echo "something already listens on port $PORT; set PORT to a free one" >&2
        exit 1
    fi
    FIRSTLINE_SLACK_SIGNING_SECRET="$SECRET" \
    FIRSTLINE_SLACK_BOT_TOKEN="xoxb-benchmark" \
    FIRSTLINE_SLACK_API_URL="http://127.0.0.1:9/api" \
        "$BIN/firstline" serve --port "$PORT" --db "$WORK/$name.sqlite" "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && kill -0 "$SERVER_PID" 2>/dev/null; then return 0; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "the server did not start; its log:" >&2
    cat "$WORK/$name.log" >&2
    exit 1
}

echo "FirstLine webhook load benchmark, $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1); load process and server share them"
echo "settings: warmup ${WARMUP} s, ${DURATION} s measured per phase, ${CONNECTIONS} closed-loop connections, open loop at ${RATE}/s"
echo

for mode in $MODES; do
    case $mode in
        held)
            start_server held --hold-inbox
            title="Inbox held (acknowledgement only: commit to the inbox, then 200)"
            phases=(--phases healthz --phases closed --phases open) ;;
        processing)
            start_server processing
            title="Processing on (the inbox worker matches and answers during the load)"
            phases=(--phases healthz --phases open --phases closed) ;;
        *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    "$BIN/firstline-loadgen" --port "$PORT" --secret "$SECRET" "${phases[@]}" --connections "$CONNECTIONS" \
        --open-connections "$CONNECTIONS" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" --label "$title"
    stop_server
    # Every acknowledged event must be in the file: count the rows the run left behind.
    if command -v sqlite3 >/dev/null; then
        echo "inbox rows committed: $(sqlite3 "$WORK/$mode.sqlite" "SELECT count(*) FROM inbox") ($(sqlite3 "$WORK/$mode.sqlite" "SELECT group_concat(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM inbox GROUP BY status)"))"
    fi
    echo
done
