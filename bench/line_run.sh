#!/usr/bin/env bash
# The one line's call-next under a long mixed line (docs/PERFORMANCE.md, "The one line"): for
# each run, a fresh data directory with the demo, then build/line_bench adds ENTRIES waiting
# entries (tickets, knocks, due callbacks) and calls CALLS times, alternating the modes
# `line` (a desk, every channel) and `queue` (the queue's own call-next, tickets only).
# Usage: bench/line_run.sh   Env: ENTRIES=10000 CALLS=500 REPEAT=3 BUILD=build
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES=${ENTRIES:-10000}
CALLS=${CALLS:-500}
REPEAT=${REPEAT:-3}
BUILD=${BUILD:-build}
cmake --build "$BUILD" --target line_bench sportello >/dev/null
T=$(mktemp -d -t sportello-line-XXXXXX)
trap 'rm -rf "$T"' EXIT
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$REPEAT"); do
  for mode in line queue; do
    rm -rf "$T/data"
    "$BUILD/sportello" demo load --data "$T/data" >/dev/null 2>&1
    echo "== run $r, $mode"
    "$BUILD/line_bench" --database "sqlite:$T/data/sportello.db" --entries "$ENTRIES" \
      --calls "$CALLS" --mode "$mode" | tee -a "$T/out.txt" | grep -v '^RESULT'
  done
done
python3 - "$T/out.txt" <<'PY'
import json, statistics, sys
rows = [json.loads(l[7:]) for l in open(sys.argv[1]) if l.startswith('RESULT ')]
for mode in ('line', 'queue'):
    rs = [r for r in rows if r['mode'] == mode]
    if rs:
        print(f"{mode}: runs {len(rs)}, median p50 {statistics.median(r['p50_ms'] for r in rs):.2f} ms, "
              f"median p99 {statistics.median(r['p99_ms'] for r in rs):.2f} ms, "
              "p99 each run " + ", ".join("%.2f" % r["p99_ms"] for r in rs))
PY
