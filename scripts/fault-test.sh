#!/usr/bin/env bash
# Fault test of distributed ingest: ingest a corpus once with one process
# into SQLite, and once through NATS JetStream with WORKERS workers into
# PostgreSQL, killing one worker with SIGKILL after KILL_AFTER seconds and
# starting it again; then check both stores hold the same articles and
# events (scripts/compare-stores). Prints the timings. Needs the servers
# DETENTE_TEST_POSTGRES and DETENTE_TEST_NATS name (defaults: local ones).
#
#   scripts/fault-test.sh [CORPUS]     (default: the AllSides 5,720 articles)
#   WORKERS=3 KILL_AFTER=20 KILL=1 scripts/fault-test.sh
#
# KILL=0 runs without killing, to measure throughput with WORKERS workers.
set -euo pipefail
cd "$(dirname "$0")/.."

shared="${DETENTE_SHARED:-$(cd .. && pwd)/shared}"
corpus="${1:-$shared/corpora/allsides-intl-5720.jsonl}"
pg="${DETENTE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
nats="${DETENTE_TEST_NATS:-nats://127.0.0.1:4222}"
workers="${WORKERS:-3}"
kill_after="${KILL_AFTER:-20}"
do_kill="${KILL:-1}"
reference="${REFERENCE:-1}"

[ -f "$corpus" ] || { echo "no corpus at $corpus (set DETENTE_SHARED or pass a path)"; exit 2; }
tmp=$(mktemp -d)
suffix="$(date +%s)_$$"
schema="fault_$suffix"
stream="FAULT_$suffix"
case "$pg" in *\?*) db="$pg&schema=$schema" ;; *) db="$pg?schema=$schema" ;; esac
queue="$nats?stream=$stream&ack_wait=30s"
bin="$tmp/detente"
cleanup() {
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  psql -q "$pg" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  delete_streams || true
  rm -rf "$tmp"
}
# delete_streams removes the run's streams with two JetStream API
# requests over the plain NATS protocol (no nats CLI needed).
delete_streams() {
  local hostport="${nats#nats://}"; hostport="${hostport%%\?*}"; hostport="${hostport##*@}"
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || return 1
  printf 'CONNECT {"verbose":false}\r\nPUB $JS.API.STREAM.DELETE.%s 0\r\n\r\nPUB $JS.API.STREAM.DELETE.%s_DEAD 0\r\n\r\nPING\r\n' "$stream" "$stream" >&3
  timeout 5 grep -q -m1 PONG <&3 || true # the server answers PING after both deletes
  exec 3>&-
}
trap cleanup EXIT

go build -o "$bin" ./cmd/detente
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

if [ "$reference" = 1 ]; then
  echo "== one process into SQLite"
  t0=$(now); "$bin" ingest --db "$tmp/ref.db" "$corpus" | tail -2; t1=$(now)
  echo "single process: $(secs "$t0" "$t1") s"
fi

echo "== publish to $stream"
t0=$(now); "$bin" ingest --queue "$queue" --db "$db" "$corpus" | tail -2; t1=$(now)
echo "publish: $(secs "$t0" "$t1") s"

echo "== $workers workers into PostgreSQL schema $schema"
pids=()
start_worker() { "$bin" worker --queue "$queue" --db "$db" --exit-when-idle 5s >"$tmp/worker$1.log" 2>&1 & pids[$1]=$!; }
t0=$(now)
for i in $(seq 1 "$workers"); do start_worker "$i"; done
if [ "$do_kill" = 1 ]; then
  sleep "$kill_after"
  victim=$(( workers > 1 ? 2 : 1 ))
  kill -9 "${pids[$victim]}"
  echo "killed worker $victim (pid ${pids[$victim]}) with SIGKILL after ${kill_after}s; starting it again"
  wait "${pids[$victim]}" 2>/dev/null || true
  start_worker "$victim"
fi
for p in "${pids[@]}"; do wait "$p" || true; done
t1=$(now)
for i in $(seq 1 "$workers"); do echo "worker $i: $(grep -h '^stored' "$tmp/worker$i.log" || echo '(killed)')"; done
grep -h 'dead-lettered:' "$tmp"/worker*.log | head -5 || true
elapsed=$(secs "$t0" "$t1")
n=$(grep -c . "$corpus")
# Workers leave after 5 s with nothing to do: that wait is not work.
busy=$(echo "$elapsed - 5" | bc)
echo "workers: $busy s for $n articles, $(echo "scale=1; $n / $busy" | bc) articles/s"

if [ "$reference" = 1 ]; then
  echo "== compare"
  go run ./scripts/compare-stores "$tmp/ref.db" "$db"
fi
