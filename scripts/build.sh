#!/usr/bin/env bash
# Configures and builds Opinia (Release) into ./build with two jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${OPINIA_JOBS:-2}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$jobs"
