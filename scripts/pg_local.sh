# shellcheck shell=bash
# shellcheck disable=SC2034  # PG_* are for the scripts that source this
# A throw-away PostgreSQL cluster for the scripts that need one
# (scripts/chaos.sh --pg, bench/replicas_bench.sh). Source it:
#
#   . scripts/pg_local.sh
#   pg_local_start          # sets PG_URL PG_DATA PG_PORT PG_BIN PG_DIR
#   url=$(pg_local_createdb opinia_chaos)
#   pg_local_psql "$url" -c 'SELECT 1'
#   pg_local_restart_immediate   # pg_ctl restart -m immediate (crash + recovery)
#   pg_local_cpu_ticks      # CPU ticks of every process of the cluster so far
#   pg_local_children       # pids of its live processes but the postmaster
#   pg_local_stop           # stops it and removes its directory
#
# With scripts/pg.sh present (the PostgreSQL backend's own script), the
# cluster is started with `scripts/pg.sh start`, which prints shell exports
# like ../shared/contract/pg_cluster.sh does (OPINIA_PG, the URL, and
# OPINIA_PG_DIR, its directory); without it, the same approach inline:
# initdb into a temp dir, pg_ctl on a free loopback port, fsync on.
# PostgreSQL refuses to run as root, so as root the server programs run as
# the `postgres` user (runuser).
#
# ADAPT once scripts/pg.sh is merged (branch br18p): check that its `start`
# still prints OPINIA_PG / OPINIA_PG_DIR and its `stop` takes the directory;
# pg_local_start fails with a message saying so when it does not.

# shellcheck source=scripts/proc_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/proc_lib.sh"

pg_local_bin() {
  local bin
  bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "pg_local: needs the PostgreSQL server (apt-get install -y postgresql)" >&2
    return 1
  fi
  echo "$bin"
}

# Runs a server program as the cluster's owner.
pg_local_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_local_start() {
  PG_BIN=$(pg_local_bin) || return 1
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [ -x "$root/scripts/pg.sh" ]; then
    local exports
    exports=$("$root/scripts/pg.sh" start) || {
      echo "pg_local: scripts/pg.sh start failed" >&2; return 1; }
    eval "$exports"
    if [ -z "${OPINIA_PG:-}" ] || [ -z "${OPINIA_PG_DIR:-}" ]; then
      echo "pg_local: scripts/pg.sh start did not export OPINIA_PG and OPINIA_PG_DIR; adapt pg_local_start in scripts/pg_local.sh" >&2
      return 1
    fi
    PG_URL=$OPINIA_PG
    PG_DIR=$OPINIA_PG_DIR
    PG_DATA=$(dirname "$(find "$PG_DIR" -maxdepth 3 -name postmaster.pid | head -1)")
    PG_STARTED_BY=pg.sh
  else
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/opinia-pg-XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    PG_DATA=$PG_DIR/data
    local port
    port=$(proc_free_ports 1)
    pg_local_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
      echo "pg_local: initdb failed; see $PG_DIR/initdb.log" >&2; return 1; }
    # The options live in the data directory, so that `pg_ctl restart`
    # brings the server back on the same port.
    cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_DIR'
fsync = on
max_connections = 300
EOF
    pg_local_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w \
      start >/dev/null || {
      echo "pg_local: pg_ctl start failed; see $PG_DIR/server.log" >&2; return 1; }
    PG_URL=postgresql://postgres@127.0.0.1:$port/postgres
    PG_STARTED_BY=inline
  fi
  if [ ! -f "$PG_DATA/postmaster.pid" ]; then
    echo "pg_local: no postmaster.pid under $PG_DIR" >&2
    return 1
  fi
  PG_PORT=$(sed -n 4p "$PG_DATA/postmaster.pid")
}

pg_local_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  if [ "${PG_STARTED_BY:-}" = pg.sh ]; then
    "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/pg.sh" stop "$PG_DIR" || true
  else
    pg_local_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
}

# A crash of the database server: every backend is killed, the next start
# runs WAL recovery. Clients see their connections drop.
pg_local_restart_immediate() {
  pg_local_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/restart.log" \
    -m immediate -w restart >/dev/null
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
