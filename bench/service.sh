#!/usr/bin/env bash
# The case service under load: fills a database with `josei demo`, serves it,
# and measures with wrk (on the same machine) the officer's queue (first
# page), a case page and /api/v1/deadlines as officer13 (Tokyo), then
# POST /api/v1/evaluate without login. SQLite always; PostgreSQL too when
# BENCH_DATABASE_URL names an empty database (e.g.
# postgres://postgres@127.0.0.1:5432/josei_bench).
# Usage: bash bench/service.sh   (env: CASES=20000 DURATION=10s CONNECTIONS=8)
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-20000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
SHARED=${JOSEI_SHARED_DIR:-../shared}
DATA=target/bench-data
mkdir -p "$DATA"
command -v wrk > /dev/null || { echo "bench/service.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v curl > /dev/null || { echo "bench/service.sh needs curl" >&2; exit 1; }

cargo build --release -p josei-cli
J=target/release/josei
export JOSEI_DEMO_PASSWORD=bench-password-2026
PORT=18093

# wrk prints the 95th percentile too (it only has 50/75/90/99 built in).
cat > "$DATA/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  %.0f req/s  (%d requests, %d errors)\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat > "$DATA/evaluate.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$SHARED/cases/01-standard-success.json", "r")
wrk.body = f:read("*a")
f:close()
$(cat "$DATA/p95.lua")
LUA

measure() { # label, path, cookie: once by one user at a time, once by $CONNECTIONS at once
  local label=$1 path=$2 cookie=$3
  echo "$label"
  printf '  1 connection: '
  wrk -t1 -c1 -d"$DURATION" -s "$DATA/p95.lua" -H "Cookie: $cookie" "http://127.0.0.1:$PORT$path" | tail -n 1 | sed 's/^ *//'
  printf '  %s connections: ' "$CONNECTIONS"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$DATA/p95.lua" -H "Cookie: $cookie" "http://127.0.0.1:$PORT$path" | tail -n 1 | sed 's/^ *//'
}

run() { # label, database
  local label=$1 db=$2
  echo "== $label: $CASES cases"
  local start end
  start=$(date +%s)
  "$J" demo --cases "$CASES" --database "$db" > /dev/null
  end=$(date +%s)
  echo "josei demo: $((end - start)) s"
  "$J" serve --listen "127.0.0.1:$PORT" --database "$db" 2> "$DATA/serve.err" &
  local pid=$!
  trap 'kill $pid 2> /dev/null || true' RETURN
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/" > /dev/null 2>&1 && break; sleep 0.1; done
  local cookie
  cookie=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"officer13\",\"password\":\"$JOSEI_DEMO_PASSWORD\"}" \
    "http://127.0.0.1:$PORT/api/v1/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(josei_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
  local case_id
  case_id=$(curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$PORT/queue" | grep -o 'href="/cases/[0-9]*"' | head -n 1 | grep -o '[0-9]*')
  local in_queue
  in_queue=$(curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$PORT/queue" | grep -o '全[0-9][0-9]*件' | head -n 1)
  echo "officer13's queue: $in_queue"
  measure "GET /queue (first page of 50)" "/queue" "$cookie"
  measure "GET /cases/$case_id (a case page)" "/cases/$case_id" "$cookie"
  measure "GET /api/v1/deadlines" "/api/v1/deadlines" "$cookie"
  echo "POST /api/v1/evaluate (shared case 01, no login)"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$DATA/evaluate.lua" "http://127.0.0.1:$PORT/api/v1/evaluate" | tail -n 1
  kill "$pid"
  wait "$pid" 2> /dev/null || true
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk with $CONNECTIONS connections, 2 threads, $DURATION each"
rm -f "$DATA/bench.db" "$DATA/bench.db-wal" "$DATA/bench.db-shm"
run "SQLite" "$DATA/bench.db"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  run "PostgreSQL" "$BENCH_DATABASE_URL"
fi
