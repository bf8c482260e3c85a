#!/usr/bin/env bash
# The README's second command: build and run the whole test suite (unit and
# integration: real SQLite files, real servers on loopback ports, and their
# PostgreSQL variants on a throw-away cluster), then the outside contract
# checks (../shared/contract/run.sh, when that folder is there) against a
# server on SQLite (with the web check of the HTTP side and dashboard) and
# one on PostgreSQL (scripts/pg.sh), with the replicas check on PostgreSQL.
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit  or  -R ingest;
# with them the contract checks are skipped (a part of the suite was asked
# for).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
(cd build && ctest --output-on-failure -j"${OPINIA_JOBS:-2}" "$@")

contract=../shared/contract/run.sh
if [ $# -gt 0 ]; then
  echo "test.sh: ctest arguments given; contract checks skipped"
  exit 0
fi
if [ ! -f "$contract" ]; then
  echo "test.sh: $contract is absent ($(cd .. && pwd)/shared not here):" \
    "the outside contract checks are SKIPPED"
  exit 0
fi

failed=()
start=$SECONDS
echo "test.sh: contract checks on SQLite"
bash "$contract" build || failed+=("contract on SQLite")
bash "$contract" build web || failed+=("contract web (HTTP side) on SQLite")
echo "test.sh: contract checks on SQLite took $((SECONDS - start)) s"

start=$SECONDS
pg_dir=$(mktemp -d /tmp/opinia-contract-pg-XXXXXX)
trap 'scripts/pg.sh stop "$pg_dir"' EXIT  # also after a failure
trap 'exit 130' INT TERM                  # ... or an interruption
if ! pg_url=$(scripts/pg.sh start "$pg_dir"); then
  failed+=("PostgreSQL for the contract checks did not start")
else
  echo "test.sh: contract checks on PostgreSQL ($pg_url), then replicas"
  OPINIA_PG=$pg_url bash "$contract" build || failed+=("contract on PostgreSQL")
  OPINIA_PG=$pg_url bash "$contract" build replicas ||
    failed+=("contract replicas on PostgreSQL")
fi
echo "test.sh: contract checks on PostgreSQL took $((SECONDS - start)) s"

if [ ${#failed[@]} -gt 0 ]; then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "test.sh: contract checks passed on SQLite and PostgreSQL"
