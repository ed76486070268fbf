# Shared by the reliability scripts (sourced): builds, a work folder, a `firstline serve` with every platform
# enabled and the harness's test secrets (FirstLineHarness.HarnessSecrets: keep both in step), stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --product firstline >&2
    swift build -c release --product firstline-loadgen >&2
fi
BIN=$(swift build -c release --show-bin-path)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/firstline-reliability.XXXXXX")
SERVER_PID=""
STOPPED=""

stop_server() { # sets STOPPED to "exit <code> after <s> s"; SIGKILL after 15 s (then the code is 137)
    [[ -n "$SERVER_PID" ]] || return 0
    local started; started=$(date +%s.%N)
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    local code=0
    wait "$SERVER_PID" 2>/dev/null || code=$?
    SERVER_PID=""
    STOPPED="exit $code after $(printf '%.2f' "$(echo "$(date +%s.%N) - $started" | bc)") s"
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

openssl genrsa -out "$WORK/works.pem" 2048 2>/dev/null
# The harness's few senders would otherwise meet the per-sender webhook limit (429), which is not what is tested.
printf 'limits:\n  webhook_per_sender: { requests: 0, per_seconds: 60 }\n' > "$WORK/firstline.yml"

start_server() { # $1 port, $2 database, $3 platform API base URL, then extra serve options
    local port=$1 db=$2 api=$3
    shift 3
    if curl -s -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
        echo "something already listens on port $port; set PORT to a free one" >&2
        exit 1
    fi
    (cd "$WORK" && exec env \
        FIRSTLINE_SLACK_SIGNING_SECRET=harness-slack-signing-secret FIRSTLINE_SLACK_BOT_TOKEN=xoxb-harness \
        FIRSTLINE_SLACK_API_URL="$api" \
        FIRSTLINE_TELEGRAM_BOT_TOKEN=4242:harness FIRSTLINE_TELEGRAM_SECRET_TOKEN=harness-telegram-secret-token \
        FIRSTLINE_TELEGRAM_API_URL="$api" \
        FIRSTLINE_LINE_CHANNEL_SECRET=harness-line-channel-secret FIRSTLINE_LINE_CHANNEL_ACCESS_TOKEN=harness-line-token \
        FIRSTLINE_LINE_API_URL="$api" \
        FIRSTLINE_LINEWORKS_BOT_ID=2000001 FIRSTLINE_LINEWORKS_BOT_SECRET=harness-lineworks-bot-secret \
        FIRSTLINE_LINEWORKS_CLIENT_ID=harness-client FIRSTLINE_LINEWORKS_CLIENT_SECRET=harness-client-secret \
        FIRSTLINE_LINEWORKS_SERVICE_ACCOUNT=harness.serviceaccount@example.com \
        FIRSTLINE_LINEWORKS_PRIVATE_KEY_FILE="$WORK/works.pem" \
        FIRSTLINE_LINEWORKS_API_URL="$api" FIRSTLINE_LINEWORKS_AUTH_URL="$api" LOG_LEVEL="${LOG_LEVEL:-warning}" \
        "$BIN/firstline" serve --port "$port" --db "$db" --kb "$ROOT/KnowledgeBase" \
        --intents "$ROOT/Intents" "$@" >"$WORK/serve.log" 2>&1) &
    SERVER_PID=$!
    for _ in $(seq 1 150); do
        if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the server did not start; its log:" >&2
    cat "$WORK/serve.log" >&2
    exit 1
}

machine() {
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)), shared by the server and the load"
}
