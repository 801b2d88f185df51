#!/usr/bin/env bash
# Virtual reception under load (docs/PERFORMANCE.md, "Virtual reception"). For each N: a fresh
# data directory with the demo and OPS extra URP operators, a server whose clock starts on
# Wednesday 2026-11-25 15:30 Rome (chat open at the URP, SQLite, synchronous=FULL), then
# build/reception_load:
#   1. L citizens knock and are admitted (the live chats), operators follow their visit topics;
#   2. N citizens knock and wait, each following its visit and the URP queue: server RSS before
#      and after → bytes per waiting citizen;
#   3. A admissions at ADMIT_RATE/s while they wait: admit → "your turn" on the citizen's
#      WebSocket, and each queue.left broadcast to all waiting;
#   4. L live citizens POST one message a second for CHAT_SECONDS: POST → operator's WebSocket.
# SCENARIO=directory needs no reception endpoints: N connections follow ente:esempio:directory
# and an admin edits the URP description ROUNDS times.
#
# Usage: bench/reception_run.sh [N ...]            (default: 1000 10000 50000)
# Env:   SCENARIO=reception|directory  REPEAT=1  OPS=8  ADMISSIONS=100  ADMIT_RATE=2
#        CHAT=2000  CHAT_SECONDS=20  CHAT_CONNS=500  ROUNDS=20  THREADS=2  PORT=18495  BUILD=build
#        CONNECT=after|interleaved  QUEUE_SINCE=now|knock
#        SKIP_BUILD=1  EXTRA="more reception_load flags"  OUT=results.jsonl
#
# CONNECT/QUEUE_SINCE: by default the N citizens knock first and then subscribe to the queue
# from "now". CONNECT=interleaved QUEUE_SINCE=knock is the literal protocol (each citizen
# subscribes right after its knock, since its queue_seq), but then building a queue of N costs
# N²/2 queue.joined deliveries (every knock is broadcast to everyone already waiting): use it
# for N up to a few thousand.
#
# File descriptors: the server and the generator each hold one per connection (the generator
# also L chats, the operators' sockets and its HTTP pools). The script raises the soft
# `ulimit -n` to the hard limit; an N that does not fit under it (N + L + 1000) is skipped with
# a message. To go further raise the hard limit first (as root with CAP_SYS_RESOURCE:
# `ulimit -Hn 200000`; systemd: LimitNOFILE=; PAM: nofile in /etc/security/limits.conf).
set -euo pipefail
cd "$(dirname "$0")/.."
NS=("$@")
[ ${#NS[@]} -eq 0 ] && NS=(1000 10000 50000)
SCENARIO=${SCENARIO:-reception}
REPEAT=${REPEAT:-1}
OPS=${OPS:-8}
ADMISSIONS=${ADMISSIONS:-100}
ADMIT_RATE=${ADMIT_RATE:-2}
CONNECT=${CONNECT:-after}
QUEUE_SINCE=${QUEUE_SINCE:-now}
CHAT=${CHAT:-2000}
CHAT_SECONDS=${CHAT_SECONDS:-20}
CHAT_CONNS=${CHAT_CONNS:-500}
ROUNDS=${ROUNDS:-20}
THREADS=${THREADS:-2}
PORT=${PORT:-18495}
BUILD=${BUILD:-build}
BIN=$BUILD/sportello
LOAD=$BUILD/reception_load
NOW=2026-11-25T14:30:00Z
[ "$SCENARIO" = directory ] && CHAT=0 && CHAT_CONNS=0

if [ -z "${SKIP_BUILD:-}" ]; then
  cmake --build "$BUILD" --target reception_load sportello >/dev/null
fi
HARD=$(ulimit -Hn)
if [ "$HARD" = unlimited ]; then HARD=1048576; fi
ulimit -n "$HARD"
T=$(mktemp -d -t sportello-rcp-XXXXXX)
OUT=${OUT:-$T/results.jsonl}
: >"$OUT"
SP_PID=
cleanup() {
  if [ -n "$SP_PID" ]; then kill "$SP_PID" 2>/dev/null || true; wait "$SP_PID" 2>/dev/null || true; fi
  rm -rf "$T/data"
}
trap cleanup EXIT

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "open files: soft $(ulimit -n), hard $(ulimit -Hn); ephemeral ports $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range) per source address; somaxconn $(cat /proc/sys/net/core/somaxconn)"
echo "scenario $SCENARIO; N = ${NS[*]}; repeat $REPEAT; operators demo+$OPS; connect $CONNECT, queue since $QUEUE_SINCE; admissions $ADMISSIONS at $ADMIT_RATE/s; chat $CHAT live for ${CHAT_SECONDS}s; generator threads $THREADS"

OP_ARGS=(--operator operatore:operatore-demo-2026 --operator supervisore:supervisore-demo-2026)
[ "$OPS" -gt 0 ] && OP_ARGS+=(--op-prefix bench --op-count "$OPS" --op-password bench-pass-2026)

for N in "${NS[@]}"; do
  need=$((N + CHAT + CHAT_CONNS + 1000))
  if [ "$need" -gt "$(ulimit -n)" ]; then
    msg="N=$N needs about $need file descriptors in the server and in the generator; the hard limit here is $(ulimit -Hn) (ulimit -Hn): skipped"
    echo "$msg"
    printf '{"citizens":%d,"skipped":"%s"}\n' "$N" "$msg" >>"$OUT"
    continue
  fi
  for r in $(seq "$REPEAT"); do
    rm -rf "$T/data"
    "$BIN" demo load --data "$T/data" >/dev/null 2>&1
    for i in $(seq "$OPS"); do
      "$BIN" operator add --data "$T/data" --ente esempio --username "$(printf 'bench%03d' "$i")" \
        --name "Operatore bench $i" --office urp --password bench-pass-2026 >/dev/null 2>&1
    done
    "$BIN" serve --data "$T/data" --port "$PORT" --now "$NOW" --log-level warn \
      >"$T/server-$N-$r.log" 2>&1 &
    SP_PID=$!
    for _ in $(seq 200); do
      grep -q listening "$T/server-$N-$r.log" && break
      sleep 0.05
    done
    echo
    echo "== N=$N run $r (server pid $SP_PID, $(awk '/VmRSS/ {print $2 " kB"}' /proc/$SP_PID/status))"
    set +e
    "$LOAD" --scenario "$SCENARIO" --port "$PORT" --server-pid "$SP_PID" -n "$N" \
      --threads "$THREADS" "${OP_ARGS[@]}" --admissions "$ADMISSIONS" --admit-rate "$ADMIT_RATE" \
      --chat "$CHAT" --chat-seconds "$CHAT_SECONDS" --chat-http-conns "$CHAT_CONNS" --rounds "$ROUNDS" --label "run $r" \
      --connect-order "$CONNECT" --queue-since "$QUEUE_SINCE" \
      ${EXTRA:-} >"$T/load.out" 2>"$T/load.err"
    rc=$?
    set -e
    cat "$T/load.err"
    if kill -0 "$SP_PID" 2>/dev/null; then
      alive=true
    else
      alive=false
      echo "SERVER DIED during the run; last lines of its log:"
      tail -20 "$T/server-$N-$r.log"
    fi
    line=$(grep '^RESULT ' "$T/load.out" | sed 's/^RESULT //' || true)
    [ -z "$line" ] && line="{\"citizens\":$N,\"fatal\":\"generator exited $rc without a result\"}"
    echo "$line" | python3 -c "import json,sys; d=json.load(sys.stdin); d['server_alive']=$([ $alive = true ] && echo True || echo False); d['server_log_warnings']=int(sys.argv[1]); print(json.dumps(d))" \
      "$(grep -c -E 'warn|error|critical' "$T/server-$N-$r.log" || true)" >>"$OUT"
    grep -E 'warn|error|critical' "$T/server-$N-$r.log" | sort | uniq -c | sort -rn | head -5 || true
    kill "$SP_PID" 2>/dev/null || true
    wait "$SP_PID" 2>/dev/null || true
    SP_PID=
  done
done

echo
echo "results: $OUT"
python3 - "$OUT" "$SCENARIO" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
scen = sys.argv[2]
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
by = {}
for r in rows: by.setdefault(r["citizens"], []).append(r)
if scen == "directory":
    print("| N | runs | subscribed | connect s | RSS before → after (MiB) | bytes/connection | edit → last of N (p50 / max ms) | every delivery p50 / p99 ms | teardown s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, rs in sorted(by.items()):
        if "skipped" in rs[0]: print(f"| {n} | skipped: {rs[0]['skipped']} |"); continue
        print("| {} | {} | {} | {} | {} → {} | {} | {} / {} | {} / {} | {} |".format(
            n, len(rs), f(med([r.get("subscribed") for r in rs]), "{:.0f}"),
            f(med([r.get("connect_s") for r in rs])),
            f(med([r.get("rss_before_kb", 0) / 1024 for r in rs])),
            f(med([r.get("rss_after_kb", 0) / 1024 for r in rs])),
            f(med([r.get("rss_per_connection_bytes") for r in rs]), "{:.0f}"),
            f(med([g(r, "last_delivery", "p50_ms") for r in rs])),
            f(med([g(r, "last_delivery", "max_ms") for r in rs])),
            f(med([g(r, "delivery", "p50_ms") for r in rs])),
            f(med([g(r, "delivery", "p99_ms") for r in rs])),
            f(med([r.get("server_teardown_s") for r in rs]), "{:.2f}")))
else:
    print("| N | runs | waiting subscribed | knock+connect s | RSS before → after (MiB) | bytes/waiting citizen | admit → your turn p50 / p99 ms | queue.left to all waiting p50 / p99 ms | chat live | msg/s | POST → operator p50 / p99 ms | errors | server alive |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, rs in sorted(by.items()):
        if "skipped" in rs[0]: print(f"| {n} | skipped: {rs[0]['skipped']} |"); continue
        print("| {} | {} | {} | {} | {} → {} | {} | {} / {} | {} / {} | {} | {} | {} / {} | {} | {} |".format(
            n, len(rs), f(med([g(r, "waiting_room", "subscribed") for r in rs]), "{:.0f}"),
            f(med([g(r, "waiting_room", "connected_s") for r in rs])),
            f(med([(g(r, "waiting_room", "rss_before_kb") or 0) / 1024 for r in rs])),
            f(med([(g(r, "waiting_room", "rss_after_kb") or 0) / 1024 for r in rs])),
            f(med([g(r, "waiting_room", "rss_per_waiting_citizen_bytes") for r in rs]), "{:.0f}"),
            f(med([g(r, "admissions", "admit_to_your_turn", "p50_ms") for r in rs]), "{:.2f}"),
            f(med([g(r, "admissions", "admit_to_your_turn", "p99_ms") for r in rs]), "{:.2f}"),
            f(med([g(r, "admissions", "queue_left_last_delivery", "p50_ms") for r in rs])),
            f(med([g(r, "admissions", "queue_left_last_delivery", "p99_ms") for r in rs])),
            f(med([g(r, "chat", "live") for r in rs]), "{:.0f}"),
            f(med([g(r, "chat", "messages_per_s") for r in rs]), "{:.0f}"),
            f(med([g(r, "chat", "post_to_operator", "p50_ms") for r in rs]), "{:.2f}"),
            f(med([g(r, "chat", "post_to_operator", "p99_ms") for r in rs]), "{:.2f}"),
            f(med([r.get("errors") for r in rs]), "{:.0f}"),
            all(r.get("server_alive", False) for r in rs)))
PY
