#!/usr/bin/env bash
# The ctest fixture behind every PostgreSQL test (opinia_pg_test in
# cmake/opinia.cmake): pg_cluster_start runs `start STATE_DIR` once before
# them and pg_cluster_stop runs `stop STATE_DIR` once after them, so a whole
# ctest run shares one throw-away cluster (scripts/pg.sh). STATE_DIR (in the
# build tree) gets `url`, the cluster's maintenance URL that
# tests/testing/pg_test_db.h reads, and `dir`, its data folder under /tmp;
# when the cluster cannot start, `error` says why (and this test fails).
# With OPINIA_TEST_PG set, the tests use that cluster and nothing starts.
set -uo pipefail
cmd=${1:?usage: pg_cluster_fixture.sh start|stop STATE_DIR}
state=${2:?usage: pg_cluster_fixture.sh start|stop STATE_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)

stop_cluster() {
  if [ -f "$state/dir" ]; then
    "$root/scripts/pg.sh" stop "$(cat "$state/dir")"
  fi
  rm -rf "$state"
}

case "$cmd" in
  start)
    stop_cluster  # one an interrupted run left behind
    mkdir -p "$state"
    if [ -n "${OPINIA_TEST_PG:-}" ]; then
      echo "PostgreSQL tests use OPINIA_TEST_PG; no cluster started"
      exit 0
    fi
    dir=$(mktemp -d /tmp/opinia-test-pg-XXXXXX)
    echo "$dir" >"$state/dir"
    if url=$("$root/scripts/pg.sh" start "$dir" 2>"$state/error"); then
      rm -f "$state/error"
      echo "$url" >"$state/url"
      echo "PostgreSQL for this test run: $url (data in $dir)"
    else
      echo "cannot start PostgreSQL for the tests:" >&2
      cat "$state/error" >&2
      exit 1
    fi
    ;;
  stop) stop_cluster ;;
  *) echo "usage: pg_cluster_fixture.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
