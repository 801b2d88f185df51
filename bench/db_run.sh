#!/usr/bin/env bash
# Durable writes through group commit, SQLite (synchronous=FULL) and PostgreSQL (fsync on,
# synchronous_commit on), each with group commit and without (--max-batch 1), alternating,
# 3 runs of 5 s with 64 concurrent writers. Usage: bench/db_run.sh [runs] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECS=${2:-5}
cmake --build build --target db_bench >/dev/null
T=$(mktemp -d -t sportello-dbb-XXXXXX)
PG=$(mktemp -d -t sportello-dbb-pg-XXXXXX)
URL=$(bash tests/tools/pg_tmp.sh start "$PG")
trap 'bash tests/tools/pg_tmp.sh stop "$PG" >/dev/null 2>&1; rm -rf "$T"' EXIT
for r in $(seq "$RUNS"); do
  for batch in 512 1; do
    rm -f "$T"/x.db*
    ./build/db_bench --database "sqlite:$T/x.db" --seconds "$SECS" --max-batch "$batch" 2>/dev/null
    psql "$URL" -qc "DROP TABLE IF EXISTS bench_rows, events, event_topics, schema_migrations" 2>/dev/null
    ./build/db_bench --database "$URL" --seconds "$SECS" --max-batch "$batch" 2>/dev/null
  done
done
