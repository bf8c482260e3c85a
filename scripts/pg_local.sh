# shellcheck shell=bash
# shellcheck disable=SC2034  # PG_* are for the scripts that source this
# A throw-away PostgreSQL cluster for the scripts that need one
# (scripts/chaos.sh --pg, bench/replicas_bench.sh), through scripts/pg.sh
# (initdb into a temp dir, pg_ctl on a free loopback port, fsync on, as the
# `postgres` user when run as root). Source it:
#
#   . scripts/pg_local.sh
#   pg_local_start          # sets PG_URL PG_DIR PG_DATA PG_PORT PG_BIN
#   url=$(pg_local_createdb opinia_chaos)
#   pg_local_psql "$url" -c 'SELECT 1'
#   pg_local_restart_immediate   # pg_ctl restart -m immediate (crash + recovery)
#   pg_local_cpu_ticks      # CPU ticks of every process of the cluster so far
#   pg_local_children       # pids of its live processes but the postmaster
#   pg_local_stop           # stops it and removes its directory

# shellcheck source=scripts/proc_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/proc_lib.sh"
PG_SH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg.sh

pg_local_start() {
  PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/opinia-pg-XXXXXX")
  PG_URL=$("$PG_SH" start "$PG_DIR") || { PG_DIR=""; return 1; }
  PG_DATA=$PG_DIR/data
  PG_PORT=$(sed -n 4p "$PG_DATA/postmaster.pid")
}

pg_local_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  "$PG_SH" stop "$PG_DIR" || true
  PG_DIR=""
}

# A crash of the database server: every backend is killed, the next start
# runs WAL recovery. Clients see their connections drop.
pg_local_restart_immediate() {
  "$PG_SH" restart "$PG_DIR"
}

# URL of database NAME (created empty; an existing one is dropped first).
pg_local_createdb() {
  local name=$1
  pg_local_psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS $name" \
    -c "CREATE DATABASE $name" >/dev/null || return 1
  echo "${PG_URL%/*}/$name"
}

# psql with errors stopping the script, no .psqlrc, unaligned output, no
# NOTICEs.
pg_local_psql() {
  local url=$1
  shift
  PGOPTIONS="-c client_min_messages=warning" psql "$url" -X -v ON_ERROR_STOP=1 -At "$@"
}

# The postmaster's pid (it changes with every restart).
pg_local_postmaster_pid() {
  head -1 "$PG_DATA/postmaster.pid"
}

# The pids of the cluster's live processes other than the postmaster (its
# children: backends, checkpointer, WAL writer, autovacuum, ...).
pg_local_children() {
  local pm stat pid ppid
  pm=$(pg_local_postmaster_pid)
  for stat in /proc/[0-9]*/stat; do
    { read -r ppid <"$stat"; } 2>/dev/null || continue
    ppid=${ppid##*) }
    ppid=${ppid#* }
    ppid=${ppid%% *}
    if [ "$ppid" = "$pm" ]; then
      pid=${stat#/proc/}
      echo "${pid%/stat}"
    fi
  done
}

# CPU ticks the cluster has used so far: the postmaster and the backends it
# has reaped (cutime/cstime), plus every live child process. Only valid
# between restarts (a restart starts a new postmaster).
pg_local_cpu_ticks() {
  local total pid
  total=$(proc_ticks "$(pg_local_postmaster_pid)" all)
  for pid in $(pg_local_children); do
    total=$(( total + $(proc_ticks "$pid") ))
  done
  echo "$total"
}
