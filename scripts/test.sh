#!/usr/bin/env bash
# The README's second command: build and run the whole test suite (unit and
# integration: real SQLite files, real servers on loopback ports).
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit  or  -R ingest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j"${OPINIA_JOBS:-2}" "$@"
