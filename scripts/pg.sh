#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and local trials, on a free
# 127.0.0.1 port with its socket and data in one folder:
#
#   url=$(scripts/pg.sh start /tmp/my-pg)   # prints postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg.sh restart /tmp/my-pg        # pg_ctl restart -m immediate (a crash)
#   scripts/pg.sh stop /tmp/my-pg           # stops it and deletes the folder
#
# Without DIR, start makes one under /tmp and names it on stderr
# ("pg.sh: DIR=..."); stop needs it. DIR must be reachable by `postgres`.
# Debian's server binaries (the newest /usr/lib/postgresql/*/bin) run as the
# unprivileged user `postgres` when started as root, since PostgreSQL refuses
# to run as root. fsync stays on (acknowledged writes must survive a crash);
# max_connections is 300 so several replicas with their pools fit.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
die() { echo "pg.sh: $*" >&2; exit 1; }
[ -n "$bin" ] && [ -x "$bin/initdb" ] ||
  die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (run scripts/setup.sh: apt-get install postgresql)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=${2:-}
    if [ -z "$dir" ]; then
      dir=$(mktemp -d /tmp/opinia-pg-XXXXXX)
      echo "pg.sh: DIR=$dir" >&2
    fi
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || die "no user 'postgres' to run the server as (apt-get install postgresql makes it)"
      chown postgres "$dir"
    fi
    chmod 700 "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=300" \
        start >/dev/null 2>&1; then
      die "pg_ctl start failed: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  restart)
    # Like a crash: no shutdown checkpoint, open connections are cut; the
    # server recovers from its WAL and listens on the same port again.
    dir=${2:?usage: pg.sh restart DIR}
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m immediate -w -t 60 \
      restart >/dev/null 2>&1 || die "pg_ctl restart failed: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
    ;;
  stop)
    dir=${2:?usage: pg.sh stop DIR}
    # immediate: no shutdown checkpoint, the data is deleted right after.
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg.sh start [DIR] | restart DIR | stop DIR" >&2; exit 2 ;;
esac
