#!/usr/bin/env bash
# Knowledge base search, two builds compared under the same machine conditions: each build
# queries its own already loaded databases (SQLite file and PostgreSQL database, 10,000 articles
# loaded by that build's kb_search: the schemas differ), in alternating rounds, so that the
# load other processes put on the machine falls on both alike.
#   bench/kb_search_compare.sh BEFORE_BIN BEFORE_SQLITE BEFORE_PG AFTER_BIN AFTER_SQLITE AFTER_PG [rounds] [queries]
# e.g. bench/kb_search_compare.sh /tmp/kb_search_before /tmp/kbb/kb.db postgresql://…/kb_before \
#        build/kb_search /tmp/kba/kb.db postgresql://…/kb_after 2 100
set -euo pipefail
BB=$1 BS=$2 BP=$3 AB=$4 AS=$5 AP=$6
ROUNDS=${7:-2}
QUERIES=${8:-100}
for r in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    if [ $side = before ]; then bin=$BB s=$BS p=$BP; else bin=$AB s=$AS p=$AP; fi
    for db in "sqlite:$s" "$p"; do
      echo "== round $r, $side, load $(cut -d' ' -f1-3 /proc/loadavg)"
      "$bin" --database "$db" --articles 10000 --queries "$QUERIES" 2>/dev/null
    done
  done
done
