#!/usr/bin/env bash
# Load figures for BENCHMARKS.md: build opensom and opensom-load, serve a
# fresh demo world of the given scale on a free loopback port, warm up,
# then measure the load mix twice: closed-loop at --concurrency 8
# (throughput) and open-loop at a steady 200/s (latency below saturation).
#   usage: [ANSWER_CACHE=MiB] scripts/loadbench.sh SCALE [DB] [SECONDS]
#   DB: "sqlite" (default, a fresh file) or an empty postgres:// database.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:?scale}
db=${2:-sqlite}
secs=${3:-45}
# The answer cache, MiB: 64 as served by default; 0 builds every answer
# from the database, which is what compares two world sizes fairly (the
# cache holds all of a small world's answers and a tenth of a big one's).
cache=${ANSWER_CACHE:-64}

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/opensom" ./cmd/opensom
go build -o "$work/opensom-load" ./cmd/opensom-load
[ "$db" = sqlite ] && db="$work/bench.db"

start=$(date +%s)
. scripts/serve.sh
# All load comes from 127.0.0.1: the per-address limit would answer 429.
start_server "$work/log" --db "$db" --scale "$scale" --rate-limit 1000000 \
	--rate-burst 1000000 --answer-cache "$cache"
echo "== scale $scale, db ${2:-sqlite}: server ready in $(( $(date +%s) - start ))s"
grep -o '"msg":"filled[^}]*' "$work/log" || true

load=("$work/opensom-load" --target "http://$addr" --scale "$scale" --requests 1000000)
"${load[@]}" --concurrency 4 --duration 15s >/dev/null
# Each measured run logs every pupil in first, unmeasured: otherwise a 10x
# world's run spends its first part on ten times the first logins.
load+=(--login-first)
echo "== closed loop, concurrency 8, ${secs}s"
"${load[@]}" --concurrency 8 --duration "${secs}s" --pid "$pid"
echo "== open loop, 200/s, ${secs}s"
"${load[@]}" --rate 200 --concurrency 32 --duration "${secs}s" --pid "$pid"
kill -TERM "$pid"; wait "$pid"; pid=
