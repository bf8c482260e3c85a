#!/usr/bin/env bash
# The README's first command: install dependencies, build what starting needs
# (opinia-server and the opinia client; tests and benchmarks are left to
# scripts/test.sh), start the server on its embedded defaults (SQLite file
# data/opinia.db, 127.0.0.1:50051). On the first start the operator (admin)
# key is written to data/admin.key, and the key that seals webhook secrets
# and collector credentials to data/secrets.key. OPINIA_LISTEN and
# OPINIA_DATA_DIR change the address and the folder; arguments go to
# opinia-server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p build
log=build/start-build.log
build_type=Release  # an existing build/ keeps its own (scripts/build.sh)
if [ -f build/CMakeCache.txt ]; then
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' build/CMakeCache.txt)
fi
echo "build: opinia-server and opinia (${build_type:-default}, ${OPINIA_JOBS:-2} jobs); log in $log"
start=$SECONDS
# One progress line (the percentage CMake prints), the whole output in $log.
if ! scripts/build.sh opinia-server opinia 2>&1 | tee "$log" |
    awk -v tty="$([ -t 1 ] && echo 1)" '/^\[ *[0-9]+%\]/ && tty {
      printf "\rbuild: %s", $1 $2; fflush() } END { if (tty) printf "\n" }'; then
  echo "build failed; the last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
echo "build: done in $((SECONDS - start)) s"
data=${OPINIA_DATA_DIR:-data}
(umask 077 && mkdir -p "$data")  # like the folders the server creates: 0700
echo "starting opinia-server on ${OPINIA_LISTEN:-127.0.0.1:50051}; admin key file: $(cd "$data" && pwd)/admin.key"
exec build/service/server/opinia-server \
  --listen="${OPINIA_LISTEN:-127.0.0.1:50051}" \
  --db="$data/opinia.db" \
  --bootstrap-admin-key-file="$data/admin.key" "$@"
