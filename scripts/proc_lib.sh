# shellcheck shell=bash
# Process helpers for the scripts that start servers and measure them
# (scripts/chaos.sh, scripts/pg_local.sh, bench/replicas_bench.sh). Source it.

# True while the process runs. kill -0 also succeeds on a zombie: a child
# that exited on its own stays one until waited for.
proc_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# utime+stime of one process in clock ticks (or of one thread: PID/task/TID);
# with "all", also its reaped children's (cutime+cstime). 0 when it is gone.
proc_ticks() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return; }
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat "${2:-}"
  # After the command name: field 3 (state) is $1, utime (14) is $12.
  if [ "${!#}" = all ]; then
    echo $(( ${12} + ${13} + ${14} + ${15} ))
  else
    echo $(( ${12} + ${13} ))
  fi
}

# N free loopback TCP ports, bound at once so that none repeats.
proc_free_ports() {
  /usr/bin/python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}
