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
# RATE (1000 offered events/s), MODES ("held processing"), SKIP_BUILD=1 to reuse the last build,
# STORES ("sqlite"; add "postgres1 postgres2" for one and two replicas on one PostgreSQL database,
# issue 13: a throwaway cluster is started with .ci/postgres-cluster on PGPORT, 55480, and each run gets
# a database of its own; with two replicas the load's connections are spread over both ports, as a
# load balancer would).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18080}
WARMUP=${WARMUP:-2}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
RATE=${RATE:-1000}
MODES=${MODES:-held processing}
SECRET="bench-signing-secret-not-a-real-one"
STORES=${STORES:-sqlite}
PGPORT=${PGPORT:-55480}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --product firstline >&2
    swift build -c release --product firstline-loadgen >&2
fi
BIN=$(swift build -c release --show-bin-path)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/firstline-webhook-load.XXXXXX")
SERVER_PID=""
SERVER_PIDS=()
CLUSTER=""
PGURL=""

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
stop_all() {
    for pid in "${SERVER_PIDS[@]}"; do SERVER_PID=$pid; stop_server; done
    SERVER_PIDS=()
}
cleanup() {
    stop_server
    stop_all
    if [[ -n "$CLUSTER" ]]; then .ci/postgres-cluster stop "$CLUSTER" >/dev/null 2>&1 || true; rm -rf "$CLUSTER"; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

start_server() { # $1: name of the run, $2: port, $3: database, then extra `serve` options
    local name=$1 port=$2 db=$3
    shift 3
    # Another server on the port would answer /readyz instead of this one (and the load would measure it).
    if curl -s -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
        echo "something already listens on port $port; set PORT to a free one" >&2
        exit 1
    fi
    FIRSTLINE_SLACK_SIGNING_SECRET="$SECRET" \
    FIRSTLINE_SLACK_BOT_TOKEN="xoxb-benchmark" \
    FIRSTLINE_SLACK_API_URL="http://127.0.0.1:9/api" \
        "$BIN/firstline" serve --port "$port" --db "$db" "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    for _ in $(seq 1 100); do
        if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && kill -0 "$SERVER_PID" 2>/dev/null; then return 0; fi
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

if [[ " $STORES " == *" postgres"* ]]; then
    CLUSTER=$(mktemp -d)
    PGURL=$(.ci/postgres-cluster start "$CLUSTER" "$PGPORT")
fi

for store in $STORES; do
for mode in $MODES; do
    case $store in
        sqlite) replicas=1 ;;
        postgres1) replicas=1 ;;
        postgres2) replicas=2 ;;
        *) echo "unknown store $store" >&2; exit 2 ;;
    esac
    case $mode in
        held) extra=(--hold-inbox); title="Inbox held (acknowledgement only: commit to the inbox, then 200)"
              phases=(--phases healthz --phases closed --phases open) ;;
        processing) extra=(); title="Processing on (the inbox worker matches and answers during the load)"
              phases=(--phases healthz --phases open --phases closed) ;;
        *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    if [[ $store == sqlite ]]; then
        db="$WORK/$mode.sqlite"
    else
        name="bench_${store}_${mode}"
        psql "$PGURL" -qc "CREATE DATABASE $name" >/dev/null
        db="${PGURL%/*}/$name?sslmode=disable"
    fi
    ports=()
    for replica in $(seq 1 "$replicas"); do
        port=$((PORT + replica - 1))
        start_server "$store-$mode-$replica" "$port" "$db" "${extra[@]}"
        ports+=(--port "$port")
    done
    "$BIN/firstline-loadgen" "${ports[@]}" --secret "$SECRET" "${phases[@]}" --connections "$CONNECTIONS" \
        --open-connections "$CONNECTIONS" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" \
        --label "$title — $store ($replicas replica$([[ $replicas == 1 ]] || echo s))"
    stop_all
    # Every acknowledged event must be in the database: count the rows the run left behind.
    if [[ $store == sqlite ]] && command -v sqlite3 >/dev/null; then
        echo "inbox rows committed: $(sqlite3 "$db" "SELECT count(*) FROM inbox") ($(sqlite3 "$db" "SELECT group_concat(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM inbox GROUP BY status)"))"
    elif [[ $store != sqlite ]]; then
        echo "inbox rows committed: $(psql "${db%%\?*}" -tAc "SELECT count(*) FROM inbox") ($(psql "${db%%\?*}" -tAc "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM inbox GROUP BY status) s"))"
    fi
    echo
done
done
