#!/usr/bin/env bash
# Runs every test suite against real servers and prints one summary line "N passed, N failed".
#   unit (ctest, incl. the store suite on SQLite and on a throwaway PostgreSQL),
#   integration (the real binary over HTTP/WebSocket, on SQLite and on PostgreSQL),
#   browser (Playwright driving Debian's Chromium).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
export SPORTELLO_BIN="$ROOT/$BUILD/sportello"
LOGDIR=$(mktemp -d -t sportello-tests-XXXXXX)
PGDIR=$(mktemp -d -t sportello-pg-XXXXXX)
DEMODIR=
passed=0
failed=0

cleanup() {
  bash tests/tools/pg_tmp.sh stop "$PGDIR" >/dev/null 2>&1 || true
  rm -rf "$DEMODIR"
}
trap cleanup EXIT

if ! SPORTELLO_TEST_PG=$(bash tests/tools/pg_tmp.sh start "$PGDIR"); then
  echo "could not start a throwaway PostgreSQL (see $PGDIR/log)" >&2
  cat "$PGDIR/log" >&2 || true
  echo "0 passed, 1 failed"
  exit 1
fi
export SPORTELLO_TEST_PG
echo "== PostgreSQL for tests: $SPORTELLO_TEST_PG"

# The demo Comuni, loaded once for every suite: servers get copies (the SQLite data dir copied,
# PostgreSQL's CREATE DATABASE … TEMPLATE), see tests/integration/lib.mjs and tests/e2e/server.mjs.
# Loaded at a fixed instant before every test's `now` (DEMO_LOADED_AT in lib.mjs / server.mjs).
DEMO_AT=2026-11-01T08:00:00Z
DEMODIR=$(mktemp -d -t sportello-demo-XXXXXX)
if "$SPORTELLO_BIN" demo load --now "$DEMO_AT" --data "$DEMODIR/sqlite" >"$LOGDIR/demo-sqlite.log" 2>&1 &&
  psql "$SPORTELLO_TEST_PG" -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE sportello_demo' >"$LOGDIR/demo-pg.log" 2>&1 &&
  "$SPORTELLO_BIN" demo load --now "$DEMO_AT" --data "$DEMODIR/pg" --database "${SPORTELLO_TEST_PG%/*}/sportello_demo" >>"$LOGDIR/demo-pg.log" 2>&1; then
  export SPORTELLO_TEST_DEMO_DATA="$DEMODIR/sqlite" SPORTELLO_TEST_DEMO_PG=sportello_demo
else
  echo "could not load the demo once (see $LOGDIR/demo-*.log): each test process loads its own" >&2
fi

# ctest: "100% tests passed, 0 tests failed out of 52"
echo "== unit tests (ctest)"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)" 2>&1 | tee "$LOGDIR/ctest.log"
line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$LOGDIR/ctest.log" | tail -1)
if [ -n "$line" ]; then
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
else
  echo "ctest produced no summary" >&2
  failed=$((failed + 1))
fi

# node's test runner (TAP): "# pass N" / "# fail N"
node_suite() {
  local name=$1
  shift
  echo "== $name"
  local rc
  "$@" 2>&1 | tee "$LOGDIR/$name.log"
  rc=${PIPESTATUS[0]}
  local p f c
  p=$(grep -E '^# pass [0-9]+' "$LOGDIR/$name.log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$LOGDIR/$name.log" | tail -1 | awk '{print $3}')
  # Tests whose before() hook failed are reported as cancelled, not failed: they count as failures.
  c=$(grep -E '^# cancelled [0-9]+' "$LOGDIR/$name.log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ]; then
    echo "$name produced no summary" >&2
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + p))
  failed=$((failed + ${f:-0} + ${c:-0}))
  if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && [ "${c:-0}" -eq 0 ]; then
    echo "$name exited with status $rc" >&2
    failed=$((failed + 1))
  fi
}

# Each suite is bounded in time: a hung suite prints no summary and counts as a failure.
# Integration test files are independent (own servers on port 0, own databases) and mostly wait
# on the server: three at a time (node's default here is cores - 1 = 1), see docs/PERFORMANCE.md.
IT_CONCURRENCY=${IT_CONCURRENCY:-3}
node_suite integration-sqlite timeout -k 10 600 env SPORTELLO_TEST_DB=sqlite \
  node --test --test-concurrency="$IT_CONCURRENCY" --test-reporter=tap tests/integration/
node_suite integration-postgres timeout -k 10 600 env SPORTELLO_TEST_DB=postgres \
  node --test --test-concurrency="$IT_CONCURRENCY" --test-reporter=tap tests/integration/
node_suite browser timeout -k 10 1500 node --test --test-reporter=tap tests/e2e/

echo
echo "logs: $LOGDIR"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
