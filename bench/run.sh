#!/usr/bin/env bash
# Foundation benchmarks (issue 2), all on loopback, bounded in time:
#  1. GET /api/v1/offices under wrk: sportello vs nginx serving the same JSON bytes as a static
#     file, alternating runs, medians and the ratio;
#  2. idle RSS right after start and after the load;
#  3. time from process start to the first answered request (median of 15 starts).
# Usage: bench/run.sh [seconds-per-run] [rounds]   (defaults 10 and 3)
# Needs: build/sportello (make build), wrk and nginx (scripts/deps.sh bench).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
ROUNDS=${2:-3}
CONNS=${CONNS:-64}
BIN=${BIN:-build/sportello}
T=$(mktemp -d -t sportello-bench-XXXXXX)
chmod 755 "$T"  # nginx workers run as an unprivileged user
SP_PORT=18480
NG_PORT=18481
cleanup() {
  [ -n "${SP_PID:-}" ] && kill "$SP_PID" 2>/dev/null || true
  [ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "sportello: $($BIN --help | head -1)"; echo "nginx: $(nginx -v 2>&1)"; echo "wrk: $(wrk --version 2>&1 | head -1)"

"$BIN" demo load --data "$T/data" >/dev/null
"$BIN" serve --data "$T/data" --port $SP_PORT --web web/dist --log-level warn >"$T/sp.out" 2>&1 &
SP_PID=$!
until grep -q listening "$T/sp.out"; do sleep 0.05; done
sleep 1
RSS_IDLE=$(rss_kb $SP_PID)
curl -s http://127.0.0.1:$SP_PORT/api/v1/offices >"$T/offices.json"
BYTES=$(wc -c <"$T/offices.json")

mkdir -p "$T/www/api/v1" "$T/ngx"
cp "$T/offices.json" "$T/www/api/v1/offices"
cat >"$T/nginx.conf" <<NGX
worker_processes $(nproc);
pid $T/nginx.pid;
error_log $T/ngx/error.log warn;
daemon on;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $T/ngx; proxy_temp_path $T/ngx; fastcgi_temp_path $T/ngx;
  uwsgi_temp_path $T/ngx; scgi_temp_path $T/ngx;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $T/www;
    default_type application/json;
  }
}
NGX
nginx -c "$T/nginx.conf" -p "$T"
until curl -sf http://127.0.0.1:$NG_PORT/api/v1/offices >/dev/null; do sleep 0.05; done
cmp -s "$T/offices.json" <(curl -s http://127.0.0.1:$NG_PORT/api/v1/offices) || { echo "nginx serves different bytes" >&2; exit 1; }

run_wrk() {  # url → "rps p99ms"
  wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$1" >"$T/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$T/wrk.out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$T/wrk.out")
  grep -q "Non-2xx" "$T/wrk.out" && { echo "errors during the run" >&2; cat "$T/wrk.out" >&2; exit 1; }
  echo "$rps $p99"
}

echo
echo "GET /api/v1/offices ($BYTES bytes), wrk -t2 -c$CONNS -d${DUR}s, $ROUNDS alternating rounds"
: >"$T/sp.txt"; : >"$T/ng.txt"
wrk -t2 -c"$CONNS" -d2s http://127.0.0.1:$SP_PORT/api/v1/offices >/dev/null  # warm-up
wrk -t2 -c"$CONNS" -d2s http://127.0.0.1:$NG_PORT/api/v1/offices >/dev/null
for r in $(seq "$ROUNDS"); do
  s=$(run_wrk http://127.0.0.1:$SP_PORT/api/v1/offices); echo "$s" >>"$T/sp.txt"
  n=$(run_wrk http://127.0.0.1:$NG_PORT/api/v1/offices); echo "$n" >>"$T/ng.txt"
  echo "  round $r: sportello $s | nginx $n   (req/s p99-ms)"
done
SP_RPS=$(cut -d' ' -f1 "$T/sp.txt" | median); SP_P99=$(cut -d' ' -f2 "$T/sp.txt" | median)
NG_RPS=$(cut -d' ' -f1 "$T/ng.txt" | median); NG_P99=$(cut -d' ' -f2 "$T/ng.txt" | median)
echo "median sportello: $SP_RPS req/s, p99 $SP_P99 ms"
echo "median nginx:     $NG_RPS req/s, p99 $NG_P99 ms"
echo "ratio sportello/nginx: $(awk -v a="$SP_RPS" -v b="$NG_RPS" 'BEGIN {printf "%.2f", a/b}')"
RSS_LOADED=$(rss_kb $SP_PID)
kill "$SP_PID"; wait "$SP_PID" 2>/dev/null || true; SP_PID=

echo
echo "RSS idle after start: $((RSS_IDLE / 1024)) MiB ($RSS_IDLE kB); after the load: $((RSS_LOADED / 1024)) MiB"
python3 bench/startup.py "$BIN" "$T/data" 15
