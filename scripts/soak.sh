#!/usr/bin/env bash
# Soak test: `detente serve` under a steady request rate from wrk on
# loopback, first idle and then while `detente ingest` writes into the same
# store, watching errors, latency and the server's memory.
#
#   scripts/soak.sh                 # 10 minutes under load (the issue's soak)
#   SOAK_SECONDS=20 scripts/soak.sh # CI's short version
#
# SOAK_STRICT_LATENCY=0 reports the latency check without failing on it (CI
# uses it: on a shared CI machine other jobs move the p99, not the server).
#
# The ingest runs under nice -n 10 (SOAK_INGEST_NICE), as docs/operations.md
# advises for a bulk load beside a live server: at equal priority on two
# cores its workers take the CPU the requests wait for (p99 367 ms there,
# 76–81 ms niced; the idle p99 is 27–29 ms, in 60-second runs).
#
# Each round of the ingest stores a syndicated copy of every story, so the
# store grows during the run and the pages grow dearer with it (searches
# rank and facet every copy): after the loaded run the
# same load runs again with nothing writing, and the loaded p99 is judged
# against that, on the same store, which isolates what the writes cost.
#
# It fails (exit 1) when any request errs (socket error or status >= 400),
# when the loaded p99 exceeds twice the grown store's idle p99 plus a 5 ms
# allowance for timer noise, when the server's resident memory ever passes
# SOAK_MAX_RSS_MB (default 1024, issue 8's bound), or, on a loaded run of
# 120 s or more, when the live Go heap (go_gc_heap_live_bytes, read from
# /metrics every second) grows: the median of the last third of the run
# may exceed the median of the middle third by at most 16 MB or a tenth,
# whichever is more. (A server made to leak 10 KB a request, 1–2 MB/s,
# grew 130 → 162 MB between the two in a 120-second run; the real one
# grew 37.5 → 39.3 MB in 240 s.)
# The first third is warm-up: the store grows from 1,000 articles and the
# page caches fill. Resident memory is not used for the growth check: it
# swings by half between collections (141–374 MB within seconds in a
# 240-second run), and holds SQLite's bounded page caches. A shorter run
# (CI's 15 s) is all warm-up, so it checks errors and the ceiling only.
# Needs wrk (apt-get install wrk) and the AllSides corpus in
# $DETENTE_SHARED.
set -euo pipefail
cd "$(dirname "$0")/.."

soak=${SOAK_SECONDS:-600}
rate_delay_ms=${SOAK_DELAY_MS:-20} # per connection: 4 connections ≈ 200 requests/s
shared=${DETENTE_SHARED:-$(cd .. && pwd)/shared}
corpus="$shared/corpora/allsides-intl-5720.jsonl"
command -v wrk >/dev/null || { echo "soak: wrk is not installed (apt-get install wrk)"; exit 1; }
[ -f "$corpus" ] || { echo "soak: $corpus not found (set DETENTE_SHARED)"; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/detente" ./cmd/detente
db="$work/soak.db"
echo "== seeding the store with 1,000 AllSides articles"
head -n 1000 "$corpus" > "$work/seed.jsonl"
"$work/detente" ingest --db "$db" --json "$work/seed.jsonl" >/dev/null 2>&1

port=$((20000 + RANDOM % 20000))
"$work/detente" serve --db "$db" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "soak: server did not start"; cat "$work/serve.log"; exit 1; }

# The paths the load cycles through: searches of one to three terms and
# article pages of stored articles.
ids=$(head -n 50 "$work/seed.jsonl" | grep -o '"id": "[^"]*"' | sed 's/"id": "//; s/"$//')
{
  echo "paths = {"
  for q in China talks "trade+war" "foreign+minister+said" Russia "north+korea" election sanctions "united+nations+security"; do
    echo "  \"/search?q=$q\","
    echo "  \"/api/search?q=$q\","
  done
  for id in $ids; do echo "  \"/articles/$(printf %s "$id" | sed 's/:/%3A/g')\","; done
  echo "  \"/events\", \"/api/events?source=USA*\", \"/healthz\""
  echo "}"
  cat <<EOF
local i = 0
local bad = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
delay = function() return $rate_delay_ms end
response = function(status, headers, body)
  if status >= 400 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d socket_errors=%d bad_status=%d p50_us=%d p99_us=%d\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
EOF
} > "$work/load.lua"

load() { # seconds → RESULT line
  wrk -t2 -c4 -d"${1}s" --timeout 5s --latency -s "$work/load.lua" "http://127.0.0.1:$port" | grep '^RESULT'
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
live_heap_kb() { # the live heap at the last collection, from /metrics
  curl -fsS --max-time 2 "http://127.0.0.1:$port/metrics" 2>/dev/null |
    awk '$1 == "go_gc_heap_live_bytes" {printf "%d\n", $2 / 1024}'
}
median() { sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print 0}'; }

idle_secs=$(( soak / 5 < 10 ? 10 : soak / 5 ))
echo "== idle: ${idle_secs}s"
idle=$(load "$idle_secs")
echo "$idle"

echo "== loaded: ${soak}s while ingest writes into the same store"
(
  round=0
  while true; do
    round=$((round + 1))
    # New IDs each round: the first round stores new stories, later rounds
    # store syndicated copies of them — writes all the way.
    sed "s/\"id\": \"allsides:/\"id\": \"soak$round:/" "$corpus" > "$work/round.jsonl"
    nice -n "${SOAK_INGEST_NICE:-10}" "$work/detente" ingest --db "$db" --json "$work/round.jsonl" >/dev/null 2>>"$work/ingest.log" || echo "ingest round $round failed" >>"$work/ingest.log"
  done
) &
pids+=("$!")
writer=$!

rss_log="$work/rss.log"; heap_log="$work/heap.log"
( while kill -0 "$server" 2>/dev/null; do rss >>"$rss_log"; live_heap_kb >>"$heap_log"; sleep 1; done ) &
pids+=("$!")
sampler=$!
loaded=$(load "$soak")
kill "$sampler" "$writer" 2>/dev/null || true
echo "$loaded"

# The same load again with nothing writing, on the store the loaded run
# grew (each round adds a syndicated copy of every story): what the pages
# cost at that size, for the loaded p99 to be judged against.
pkill -INT -f "$work/detente ingest" 2>/dev/null || true
while pgrep -f "$work/detente ingest" >/dev/null; do sleep 0.2; done
echo "(the ingest round running at the end was interrupted)" >>"$work/ingest.log"
after_secs=$(( idle_secs / 2 < 10 ? 10 : idle_secs / 2 ))
echo "== after: ${after_secs}s idle on the grown store"
after=$(load "$after_secs")
echo "$after"

n=$(wc -l <"$rss_log")
third=$(( n / 3 > 0 ? n / 3 : 1 ))
early=$(head -n "$third" "$rss_log" | sort -n | tail -1)
late=$(tail -n "$third" "$rss_log" | sort -n | tail -1)
peak=$(sort -n "$rss_log" | tail -1)
hn=$(wc -l <"$heap_log")
heap_mid=$(sed -n "$(( hn / 3 + 1 )),$(( 2 * hn / 3 ))p" "$heap_log" | median)
heap_late=$(tail -n $(( hn - 2 * hn / 3 )) "$heap_log" | median)
stored=$("$work/detente" search --db "$db" --json "" 2>/dev/null | grep -o '"total": *[0-9]*' | head -1 || true)

idle_p99=$(field "$idle" p99_us); loaded_p99=$(field "$loaded" p99_us); after_p99=$(field "$after" p99_us)
errors=0; requests=0
for r in "$idle" "$loaded" "$after"; do
  errors=$(( errors + $(field "$r" socket_errors) + $(field "$r" bad_status) ))
  requests=$(( requests + $(field "$r" requests) ))
done
echo "== summary"
echo "requests served: $requests, errors: $errors"
echo "p50 idle $(field "$idle" p50_us) µs, loaded $(field "$loaded" p50_us) µs, after $(field "$after" p50_us) µs; p99 idle $idle_p99 µs, loaded $loaded_p99 µs, after $after_p99 µs"
echo "server RSS: peak ${peak} kB; first third max ${early} kB, last third max ${late} kB (samples: $n)"
echo "server live heap: median ${heap_mid} kB in the middle third, ${heap_late} kB in the last (samples: $hn)"
[ -s "$work/ingest.log" ] && { echo "ingest log:"; tail -5 "$work/ingest.log"; }
echo "store: $stored"

fail=0
[ "$errors" -eq 0 ] || { echo "FAIL: $errors requests failed"; fail=1; }
if [ "$loaded_p99" -gt $(( 2 * after_p99 + 5000 )) ]; then
  if [ "${SOAK_STRICT_LATENCY:-1}" = 1 ]; then
    echo "FAIL: loaded p99 ${loaded_p99} µs > 2 × the grown store's idle p99 ${after_p99} µs (+5 ms)"; fail=1
  else
    echo "WARNING: loaded p99 ${loaded_p99} µs > 2 × the grown store's idle p99 ${after_p99} µs (+5 ms); not failing (SOAK_STRICT_LATENCY=0)"
  fi
fi
max_rss_kb=$(( ${SOAK_MAX_RSS_MB:-1024} * 1024 ))
[ "$peak" -le "$max_rss_kb" ] || { echo "FAIL: resident memory reached ${peak} kB, over ${max_rss_kb} kB"; fail=1; }
if [ "$soak" -ge 120 ]; then
  if [ "$hn" -lt 6 ] || [ "$heap_late" -le 0 ]; then
    echo "FAIL: the live heap could not be read from /metrics ($hn samples)"; fail=1
  elif [ "$heap_late" -gt $(( heap_mid + (heap_mid / 10 > 16384 ? heap_mid / 10 : 16384) )) ]; then
    echo "FAIL: the live heap grew from ${heap_mid} kB to ${heap_late} kB (medians of the middle and last thirds)"; fail=1
  fi
else
  echo "live-heap growth not judged: a ${soak}-second run is warm-up (it needs 120 s or more; make soak runs 600)"
fi
[ $fail -eq 0 ] && echo "soak OK"
exit $fail
