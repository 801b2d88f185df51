#!/usr/bin/env bash
# Figures: loads N contacts (default 1,000,000) over a year through the writer's roll-up code
# (feedback::recordContact, 35 % of the served ones rated through store::insertRating), then
# times the reports page's read (feedback::figuresReport) over a year, month, week, day, one
# office, one channel and one operator, on SQLite and on a throwaway PostgreSQL, with the
# same-session comparison against the hourly roll-up and the raw ratings.
# Usage: bench/figures_run.sh [contacts] [queries]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
Q=${2:-50}
cmake --build build --target figures_bench >/dev/null
T=$(mktemp -d -t sportello-fig-XXXXXX)
PG=$(mktemp -d -t sportello-fig-pg-XXXXXX)
URL=$(bash tests/tools/pg_tmp.sh start "$PG")
trap 'bash tests/tools/pg_tmp.sh stop "$PG" >/dev/null 2>&1; rm -rf "$T"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
./build/figures_bench --database "sqlite:$T/f.db" --contacts "$N" --queries "$Q" 2>/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
./build/figures_bench --database "$URL" --contacts "$N" --queries 0 2>/dev/null
psql "$URL" -qc "ANALYZE" >/dev/null 2>&1 || true
./build/figures_bench --database "$URL" --contacts 0 --queries "$Q" 2>/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
