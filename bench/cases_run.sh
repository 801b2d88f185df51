#!/usr/bin/env bash
# Cases: durable case events/s (64 writers, group commit; SQLite synchronous=FULL, PostgreSQL
# fsync + synchronous_commit on) and search latency over N cases (default 1,000,000), on SQLite
# and on a throwaway PostgreSQL. Usage: bench/cases_run.sh [cases] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-1000000}
SECS=${2:-10}
cmake --build build --target cases_bench >/dev/null
T=$(mktemp -d -t sportello-cb-XXXXXX)
PG=$(mktemp -d -t sportello-cb-pg-XXXXXX)
URL=$(bash tests/tools/pg_tmp.sh start "$PG")
trap 'bash tests/tools/pg_tmp.sh stop "$PG" >/dev/null 2>&1; rm -rf "$T"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
./build/cases_bench --database "sqlite:$T/c.db" --seconds "$SECS" --cases "$CASES" 2>/dev/null
psql "$URL" -qc "ANALYZE" >/dev/null 2>&1 || true
./build/cases_bench --database "$URL" --seconds "$SECS" --cases "$CASES" 2>/dev/null
