#!/usr/bin/env bash
# Knowledge base: citizen search p50/p99 over N published articles (default 10,000), on SQLite
# and on a throwaway PostgreSQL. Usage: bench/kb_search_run.sh [articles] [queries]
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${1:-10000}
QUERIES=${2:-1000}
cmake --build build --target kb_search >/dev/null
T=$(mktemp -d -t sportello-kb-XXXXXX)
PG=$(mktemp -d -t sportello-kb-pg-XXXXXX)
URL=$(bash tests/tools/pg_tmp.sh start "$PG")
trap 'bash tests/tools/pg_tmp.sh stop "$PG" >/dev/null 2>&1; rm -rf "$T" "$PG"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
./build/kb_search --database "sqlite:$T/kb.db" --articles "$ARTICLES" --queries "$QUERIES" 2>/dev/null
./build/kb_search --database "$URL" --articles "$ARTICLES" --queries "$QUERIES" 2>/dev/null
