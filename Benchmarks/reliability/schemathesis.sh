#!/usr/bin/env bash
# The OpenAPI check against a live server (issue 15, point 6), in one command:
#
#     Benchmarks/reliability/schemathesis.sh
#
# Creates a Python venv (VENV, default .build/schemathesis-venv), installs schemathesis from PyPI into it, starts a
# release `firstline serve` on a fresh SQLite file with a bootstrap admin token and the rate limits off (429s would
# hide everything else), and runs schemathesis against GET /api/v1/openapi.json with that token: every operation,
# EXAMPLES generated cases each, checks not_a_server_error and response_schema_conformance (plus
# status_code_conformance and content_type_conformance). Prints schemathesis's summary; exit 1 on any failure.
# Not in CI (it needs PyPI and a few minutes).
#
# Knobs: EXAMPLES (25 per operation), PORT (18195), SEED (1), VENV, SKIP_BUILD=1, CONFIGURATION (release; debug
# checks the same answers with the binary `swift build` already made).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
EXAMPLES=${EXAMPLES:-25}
PORT=${PORT:-18195}
SEED=${SEED:-1}
VENV=${VENV:-$ROOT/.build/schemathesis-venv}
TOKEN="schemathesis-admin-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

CONFIGURATION=${CONFIGURATION:-release}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then swift build -c "$CONFIGURATION" --product firstline >&2; fi
BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)
if [[ ! -x "$VENV/bin/schemathesis" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q schemathesis
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/firstline-schemathesis.XXXXXX")
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
cat > "$WORK/firstline.yml" <<'YAML'
limits:
  webhook_per_ip: { requests: 0, per_seconds: 1 }
  webhook_per_sender: { requests: 0, per_seconds: 1 }
  chat_per_ip: { requests: 0, per_seconds: 1 }
  chat_per_session: { requests: 0, per_seconds: 1 }
  sessions_per_ip: { requests: 0, per_seconds: 1 }
  login_failures_per_ip: { requests: 0, per_seconds: 1 }
YAML
if curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; then echo "port $PORT is in use; set PORT" >&2; exit 1; fi
cp -r "$ROOT/KnowledgeBase" "$WORK/KnowledgeBase"   # the editors' API writes articles: not into the repository
(cd "$WORK" && exec env FIRSTLINE_ADMIN_TOKEN="$TOKEN" LOG_LEVEL=warning "$BIN/firstline" serve --port "$PORT" \
    --db "$WORK/firstline.sqlite" --kb "$WORK/KnowledgeBase" --intents "$ROOT/Intents" >"$WORK/serve.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

echo "FirstLine OpenAPI check with schemathesis $("$VENV/bin/schemathesis" --version | awk '{print $NF}'), $(date -u +%Y-%m-%dT%H:%MZ), $EXAMPLES examples per operation, seed $SEED"
set +e
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --max-examples "$EXAMPLES" --seed "$SEED" --no-color 2>&1 | tee "$WORK/schemathesis.out"
status=${PIPESTATUS[0]}
set -e
if grep -q "Fatal error\|Program crashed" "$WORK/serve.log"; then echo "the server crashed:"; tail -40 "$WORK/serve.log"; status=1; fi
exit "$status"
