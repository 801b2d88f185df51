#!/usr/bin/env bash
# Feedback: loads N ratings (default 1,000,000) over a year through the writer's code (rating row
# + hourly roll-up upsert), then times the satisfaction report (year, month, week, day, one
# office), on SQLite and on a throwaway PostgreSQL. Usage: bench/feedback_run.sh [ratings] [queries]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
Q=${2:-200}
cmake --build build --target feedback_bench >/dev/null
T=$(mktemp -d -t sportello-fb-XXXXXX)
PG=$(mktemp -d -t sportello-fb-pg-XXXXXX)
URL=$(bash tests/tools/pg_tmp.sh start "$PG")
trap 'bash tests/tools/pg_tmp.sh stop "$PG" >/dev/null 2>&1; rm -rf "$T"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
./build/feedback_bench --database "sqlite:$T/f.db" --ratings "$N" --queries "$Q" 2>/dev/null
psql "$URL" -qc "ANALYZE" >/dev/null 2>&1 || true
./build/feedback_bench --database "$URL" --ratings "$N" --queries "$Q" 2>/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
