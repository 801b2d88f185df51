#!/usr/bin/env bash
# Queue tickets under load (docs/PERFORMANCE.md, "Queue tickets"). Each run starts a fresh data
# directory with the demo and a server whose clock starts on Wednesday 2026-11-25 10:30 Rome
# (the town hall's services open), then runs build/queue_load:
#   issue   CLIENTS concurrent ticket machines issue paper tickets for SECONDS: tickets/s with
#           durable commits, POST latency p50 / p99, numbering checked gap-free afterwards;
#   fanout  BOARDS display boards and PHONES phones (each following one ticket) connected; the
#           operator calls next CALLS times: call → every board / last board / the phone.
# Backends (BACKENDS, space separated): sqlite-full (synchronous=FULL, the default, durable),
# sqlite-normal (synchronous=NORMAL: the comparison), postgres (a throwaway PostgreSQL 15 from
# tests/tools/pg_tmp.sh, fsync on, synchronous_commit on; a fresh database per run).
#
# Usage: bench/queue_run.sh [issue|fanout ...]      (default: issue fanout)
# Env:   BACKENDS="sqlite-full sqlite-normal postgres"  REPEAT=3  CLIENTS=64  SECONDS_=10
#        BOARDS=1000  PHONES=1000  CALLS=200  THREADS=2  PORT=18595  BUILD=build  SKIP_BUILD=1
#        OUT=results.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(issue fanout)
BACKENDS=${BACKENDS:-sqlite-full sqlite-normal postgres}
REPEAT=${REPEAT:-3}
CLIENTS=${CLIENTS:-64}
SECONDS_=${SECONDS_:-10}
BOARDS=${BOARDS:-1000}
PHONES=${PHONES:-1000}
CALLS=${CALLS:-200}
THREADS=${THREADS:-2}
PORT=${PORT:-18595}
BUILD=${BUILD:-build}
BIN=$BUILD/sportello
LOAD=$BUILD/queue_load
NOW=2026-11-25T09:30:00Z

if [ -z "${SKIP_BUILD:-}" ]; then
  cmake --build "$BUILD" --target queue_load sportello >/dev/null
fi
HARD=$(ulimit -Hn)
if [ "$HARD" = unlimited ]; then HARD=1048576; fi
ulimit -n "$HARD"
T=$(mktemp -d -t sportello-queue-XXXXXX)
OUT=${OUT:-$T/results.jsonl}
: >"$OUT"
SP_PID=
PG_DIR=
PG_URL=
cleanup() {
  if [ -n "$SP_PID" ]; then kill "$SP_PID" 2>/dev/null || true; wait "$SP_PID" 2>/dev/null || true; fi
  if [ -n "$PG_DIR" ]; then bash tests/tools/pg_tmp.sh stop "$PG_DIR" >/dev/null 2>&1 || true; fi
  rm -rf "$T/data"
}
trap cleanup EXIT

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scenarios ${SCENARIOS[*]}; backends $BACKENDS; repeat $REPEAT; issue: $CLIENTS clients for ${SECONDS_}s; fanout: $BOARDS boards + $PHONES phones, $CALLS calls; generator threads $THREADS"

case " $BACKENDS " in
  *" postgres "*)
    PG_DIR=$(mktemp -d -t sportello-queue-pg-XXXXXX)
    PG_URL=$(bash tests/tools/pg_tmp.sh start "$PG_DIR")
    ;;
esac

for r in $(seq "$REPEAT"); do
  for SC in "${SCENARIOS[@]}"; do
    for BE in $BACKENDS; do
      rm -rf "$T/data"
      DBARGS=(--data "$T/data")
      ENV=()
      case "$BE" in
        sqlite-normal) ENV=(SPORTELLO_SQLITE_SYNCHRONOUS=NORMAL) ;;
        postgres)
          name="qb_$(date +%s%N | tail -c 9)"
          psql "$PG_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $name" >/dev/null
          url="${PG_URL%/*}/$name"
          DBARGS+=(--database "$url")
          ;;
      esac
      env "${ENV[@]}" "$BIN" demo load "${DBARGS[@]}" >/dev/null 2>&1
      env "${ENV[@]}" "$BIN" serve "${DBARGS[@]}" --port "$PORT" --now "$NOW" --log-level warn \
        >"$T/server-$SC-$BE-$r.log" 2>&1 &
      SP_PID=$!
      for _ in $(seq 400); do
        grep -q listening "$T/server-$SC-$BE-$r.log" && break
        sleep 0.05
      done
      echo
      echo "== $SC $BE run $r (server pid $SP_PID; load average $(cut -d' ' -f1-3 /proc/loadavg))"
      set +e
      "$LOAD" --scenario "$SC" --port "$PORT" --server-pid "$SP_PID" --threads "$THREADS" \
        --clients "$CLIENTS" --seconds "$SECONDS_" --boards "$BOARDS" --phones "$PHONES" \
        --calls "$CALLS" --label "$BE run $r" ${EXTRA:-} >"$T/load.out" 2>"$T/load.err"
      rc=$?
      set -e
      cat "$T/load.err"
      line=$(grep '^RESULT ' "$T/load.out" | sed 's/^RESULT //' || true)
      [ -z "$line" ] && line="{\"scenario\":\"$SC\",\"fatal\":\"generator exited $rc without a result\"}"
      echo "$line" | python3 -c "import json,sys; d=json.load(sys.stdin); d['backend']=sys.argv[1]; d['run']=int(sys.argv[2]); print(json.dumps(d))" "$BE" "$r" >>"$OUT"
      grep -E 'warn|error|critical' "$T/server-$SC-$BE-$r.log" | sort | uniq -c | sort -rn | head -5 || true
      kill "$SP_PID" 2>/dev/null || true
      wait "$SP_PID" 2>/dev/null || true
      SP_PID=
      if [ "$BE" = postgres ]; then
        psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
      fi
    done
  done
done

echo
echo "results: $OUT"
python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None
def g(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d: return None
        d = d[p]
    return d
def f(v, fmt="{:.1f}"):
    return "-" if v is None else fmt.format(v)
issue = [r for r in rows if r.get("scenario") == "issue"]
fan = [r for r in rows if r.get("scenario") == "fanout"]
if issue:
    print("| backend | runs | tickets/s (each run) | median tickets/s | POST p50 / p99 ms (median) | server CPU ms/ticket | numbering gap-free | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for be in dict.fromkeys(r["backend"] for r in issue):
        rs = [r for r in issue if r["backend"] == be]
        each = ", ".join(f(g(r, "result", "tickets_per_s"), "{:.0f}") for r in rs)
        print("| {} | {} | {} | **{}** | {} / {} | {} | {} | {} |".format(
            be, len(rs), each, f(med([g(r, "result", "tickets_per_s") for r in rs]), "{:.0f}"),
            f(med([g(r, "result", "latency", "p50_ms") for r in rs]), "{:.2f}"),
            f(med([g(r, "result", "latency", "p99_ms") for r in rs]), "{:.2f}"),
            f(med([g(r, "result", "server_cpu_ms_per_ticket") for r in rs]), "{:.2f}"),
            all(g(r, "result", "numbers_consecutive") for r in rs),
            sum(r.get("errors", 0) for r in rs)))
if fan:
    print()
    print("| backend | runs | screens subscribed | calls (incomplete) | call → last board p50 / p99 ms | call → every board p50 / p99 ms | call → phone p50 / p99 ms | call-next answer p50 / p99 ms | server CPU ms/call | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for be in dict.fromkeys(r["backend"] for r in fan):
        rs = [r for r in fan if r["backend"] == be]
        print("| {} | {} | {} | {} ({}) | {} / {} | {} / {} | {} / {} | {} / {} | {} | {} |".format(
            be, len(rs), f(med([g(r, "result", "subscribed") for r in rs]), "{:.0f}"),
            f(med([g(r, "result", "calls") for r in rs]), "{:.0f}"),
            f(med([g(r, "result", "calls_incomplete") for r in rs]), "{:.0f}"),
            *[f(med([g(r, "result", k, p) for r in rs]), "{:.2f}")
              for k in ("call_to_last_board", "call_to_every_board", "call_to_phone", "call_answer")
              for p in ("p50_ms", "p99_ms")],
            f(med([g(r, "result", "server_cpu_ms_per_call") for r in rs]), "{:.2f}"),
            sum(r.get("errors", 0) for r in rs)))
PY
