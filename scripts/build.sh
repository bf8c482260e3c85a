#!/usr/bin/env bash
# Configures and builds Opinia (Release) into ./build with two jobs.
#   scripts/build.sh                          everything (tests, benchmarks, tools)
#   scripts/build.sh opinia-server opinia     only the named targets
# OPINIA_JOBS sets the job count; OPINIA_CMAKE_ARGS adds configure arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${OPINIA_JOBS:-2}
# shellcheck disable=SC2086  # OPINIA_CMAKE_ARGS is a word list on purpose
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${OPINIA_CMAKE_ARGS:-} >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$jobs" "${targets[@]}"
