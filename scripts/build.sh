#!/usr/bin/env bash
# Configures and builds Opinia into ./build with two jobs: Release when
# build/ is new; an existing build/ keeps the build type it was configured
# with (a developer's RelWithDebInfo or Debug tree is not switched to
# Release, which would recompile everything).
#   scripts/build.sh                          everything (tests, benchmarks, tools)
#   scripts/build.sh opinia-server opinia     only the named targets
# OPINIA_JOBS sets the job count; OPINIA_CMAKE_ARGS adds configure arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${OPINIA_JOBS:-2}
# shellcheck disable=SC2086  # OPINIA_CMAKE_ARGS is a word list on purpose
type_arg=(-DCMAKE_BUILD_TYPE=Release)
if [ -f build/CMakeCache.txt ]; then type_arg=(); fi
cmake -S . -B build "${type_arg[@]}" ${OPINIA_CMAKE_ARGS:-} >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$jobs" "${targets[@]}"
