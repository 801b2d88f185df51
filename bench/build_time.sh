#!/usr/bin/env bash
# Clean build of every C++ target (server + unit tests) on this machine, without ccache.
# Usage: bench/build_time.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-/tmp/sportello-build-clean}
rm -rf "$B"
CCACHE_DISABLE=1 cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
/usr/bin/time -f "clean build: %e s wall, %U s user, %S s sys" \
  env CCACHE_DISABLE=1 cmake --build "$B" -j "$(nproc)" >/dev/null
echo "slowest translation units:"
ninja -C "$B" -t recompact >/dev/null 2>&1 || true
awk 'NR>1 {printf "%6.1f s  %s\n", ($2-$1)/1000, $4}' "$B/.ninja_log" | sort -rn | head -8
