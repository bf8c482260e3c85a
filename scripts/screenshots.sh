#!/usr/bin/env bash
# Refreshes the dashboard screenshots in docs/screenshots/ (shown in the
# README): builds opinia-server, starts it on a fresh database with the
# example reviews and photographs inbox, review and overview at desktop
# (1280 px) and phone (390 px) width in headless chromium
# (tests/browser/screenshots.py; needs chromium, chromium-driver and
# python3-selenium from scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${OPINIA_BUILD:-build}
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${OPINIA_JOBS:-2}" --target opinia-server >/dev/null
/usr/bin/python3 tests/browser/screenshots.py --server="$build/service/server/opinia-server" \
  --out=docs/screenshots "$@"
