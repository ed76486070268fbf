#!/usr/bin/env bash
# FirstLine's search index against bm25s (Python), same collections, same queries, in one command:
#
#     Benchmarks/bm25s-side-by-side.sh
#
# 1. Makes a Python virtual environment outside the repository (default
#    ~/.cache/firstline/bm25s-venv) and installs the pinned bm25s, fugashi and unidic-lite from PyPI.
#    This is the only step that needs the network, and it is done once: the next runs reuse the folder
#    while its pins match.
# 2. Builds `firstline` in release if there is no binary, or if Sources/ or Package.swift changed since.
# 3. Runs `firstline eval --json` and bm25s, one after the other, on ../shared/eval/parakqc_ko_dev and
#    ../shared/eval/localgovfaq_ja_dev, and prints one table: build time, query p50/p99, P@1, hit@3,
#    MRR@10, and how many times slower or faster bm25s is (bm25s time ÷ FirstLine time).
#
# Knobs (environment): RUNS (3 per engine and collection; medians are reported), COLLECTIONS
# ("parakqc_ko_dev,localgovfaq_ja_dev"), EVAL_DIR (../shared/eval), BM25S_VENV (the environment's
# folder), PYTHON (the interpreter that makes it; python3), SKIP_BUILD=1 (use the binary as it is),
# JSON_OUT (also write every run's figures to this file).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
COLLECTIONS=${COLLECTIONS:-parakqc_ko_dev,localgovfaq_ja_dev}
EVAL_DIR=${EVAL_DIR:-../shared/eval}
PYTHON=${PYTHON:-python3}
BM25S_VENV=${BM25S_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/firstline/bm25s-venv}
# numpy is pinned too: bm25s's scoring and top-k selection are numpy code.
PINS="bm25s==0.3.16 numpy==2.4.6 fugashi==1.5.2 unidic-lite==1.0.8 PyStemmer==3.1.0"

if [[ ! -d "$EVAL_DIR" ]]; then
    echo "no evaluation data at $EVAL_DIR (set EVAL_DIR)" >&2
    exit 2
fi

# 1. The virtual environment, made again only when the pins change.
if [[ ! -x "$BM25S_VENV/bin/python" || "$(cat "$BM25S_VENV/.pins" 2>/dev/null)" != "$PINS" ]]; then
    echo "making $BM25S_VENV ($PINS)" >&2
    rm -rf "$BM25S_VENV"
    mkdir -p "$(dirname "$BM25S_VENV")"
    "$PYTHON" -m venv "$BM25S_VENV"
    # shellcheck disable=SC2086
    "$BM25S_VENV/bin/python" -m pip install --quiet --disable-pip-version-check $PINS
    echo "$PINS" >"$BM25S_VENV/.pins"
fi

# 2. The release build, only when needed (a `swift build` of its own is minutes on two cores).
BIN=.build/release
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    if [[ ! -x "$BIN/firstline" ]] \
        || [[ -n "$(find Sources Package.swift -newer "$BIN/firstline" -type f -print -quit)" ]]; then
        swift build -c release --product firstline >&2
    fi
fi
if [[ ! -x "$BIN/firstline" ]]; then
    echo "no release build at $BIN/firstline" >&2
    exit 1
fi

# 3. Both engines, one thread each (numpy's own thread pools held to one as well).
echo "firstline at $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- Sources 2>/dev/null || echo ' + uncommitted changes in Sources/')," \
    "$(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    timeout 900 "$BM25S_VENV/bin/python" Benchmarks/bm25s_side_by_side.py \
    --firstline "$BIN/firstline" --eval-dir "$EVAL_DIR" --collections "$COLLECTIONS" --runs "$RUNS" \
    ${JSON_OUT:+--json-out "$JSON_OUT"}
# Another build or test on the same two cores shows up in p99 first: say how busy the machine was.
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
