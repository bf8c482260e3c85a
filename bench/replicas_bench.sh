#!/usr/bin/env bash
# One run, side by side: opinia-load (N clients x batch B, flat out, for a
# fixed duration) against
#   (a) sqlite: one opinia-server on a SQLite file,
#   (b) pg1:    one opinia-server on PostgreSQL,
#   (c) pg2:    two opinia-server replicas on one PostgreSQL database, the
#               load spread over both with gRPC round_robin,
# each on a fresh database, and prints a Markdown table: reviews/s, p50/p99
# per call, and CPU per acknowledged review of the opinia-server processes
# and of the PostgreSQL processes separately (utime+stime from /proc of the
# server pids, and of the postmaster, the backends it has reaped and every
# live child, before/after the measured window), the cores each used, and
# what limited the configuration when the numbers say (the machine's cores,
# or one thread/process at a full core). The CPU per review lets a reader
# project N cores: reviews/s ~ N x 1000 / (replica ms + PostgreSQL ms) when
# CPU is the limit.
#
#   bench/replicas_bench.sh [--build=build] [--duration=30] [--warmup=5]
#       [--clients=4] [--batch=100] [--configs=sqlite,pg1,pg2]
#       [--server-args="..."] [--pg-server-args="..."] [--alert-latency]
#       [--repeat=1]
#
# --repeat=N runs the configurations N times, interleaved (sqlite, pg1,
# pg2, sqlite, pg1, ...), so that a slow minute of the machine does not fall
# on one configuration only; the table has a row per run and a line per
# configuration with the median reviews/s and the range over its runs
# (throughput of one 20 s run on a shared 2-core machine moves by about
# 10 %).
#
# --server-args go to every opinia-server, --pg-server-args only to those on
# PostgreSQL (e.g. a pool size). --alert-latency also runs
# build/bench/alert_latency against pg2 at 1,000 reviews/s with the ingest
# on one replica and the subscriber on the other (ack -> alert across
# replicas). PostgreSQL is started and stopped by the script
# (scripts/pg_local.sh); a configuration whose servers cannot start (e.g. a
# server built without the PostgreSQL backend) is reported as not run with
# the server's error. Logs stay in the printed directory.
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="bench/replicas_bench.sh $*"

build=build
duration=30
warmup=5
clients=4
batch=100
configs=sqlite,pg1,pg2
server_args=""
pg_server_args=""
alert_latency=0
repeat=1
for arg in "$@"; do
  case "$arg" in
    --build=*) build=${arg#*=} ;;
    --duration=*) duration=${arg#*=} ;;
    --warmup=*) warmup=${arg#*=} ;;
    --clients=*) clients=${arg#*=} ;;
    --batch=*) batch=${arg#*=} ;;
    --configs=*) configs=${arg#*=} ;;
    --server-args=*) server_args=${arg#*=} ;;
    --pg-server-args=*) pg_server_args=${arg#*=} ;;
    --alert-latency) alert_latency=1 ;;
    --repeat=*) repeat=${arg#*=} ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
server_bin=$build/service/server/opinia-server
load_bin=$build/bench/opinia-load
latency_bin=$build/bench/alert_latency
for b in "$server_bin" "$load_bin"; do
  [ -x "$b" ] || { echo "missing $b (build it first)" >&2; exit 2; }
done
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "--repeat must be a positive number" >&2; exit 2; }
IFS=, read -r -a config_list <<<"$configs"
for c in "${config_list[@]}"; do
  case "$c" in sqlite|pg1|pg2) ;; *) echo "unknown configuration $c (sqlite, pg1, pg2)" >&2; exit 2 ;; esac
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/opinia-replicas-bench-XXXXXX")
hz=$(getconf CLK_TCK)
cores=$(nproc)
server_pids=()
load_pid=""
cleanup() {
  for p in $load_pid "${server_pids[@]}"; do
    if [ -n "$p" ]; then kill -9 "$p" 2>/dev/null || true; fi
  done
  if declare -F pg_local_stop >/dev/null; then pg_local_stop; fi
}
trap cleanup EXIT

# shellcheck source=scripts/pg_local.sh
. scripts/pg_local.sh  # and scripts/proc_lib.sh
if [[ ",$configs," == *,pg* ]]; then
  pg_local_start
  pg_settings=$(pg_local_psql "$PG_URL" -F' ' -c "SELECT 'PostgreSQL ' || current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers') || ', fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit') || ', max_connections ' || current_setting('max_connections')")
fi

# utime+stime ticks of processes, summed.
sum_ticks() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(proc_ticks "$pid"))); done
  echo "$total"
}
# The whole machine's busy and iowait ticks (first line of /proc/stat): on a
# shared machine other processes take cores too.
machine_ticks() {
  awk '/^cpu / { busy = 0; for (i = 2; i <= NF; ++i) busy += $i;
                 print busy - $5 - $6, $6; exit }' /proc/stat
}
# "<pid>/<tid> <ticks>" per thread of the given processes.
thread_ticks() {
  local pid t
  for pid in "$@"; do
    for t in /proc/"$pid"/task/*; do
      echo "$pid/${t##*/} $(proc_ticks "$pid/task/${t##*/}")"
    done
  done
}
# "<pid> <ticks> <what>" per live child of the postmaster: "client backend"
# (a server's pooled connection) or its own title (walwriter,
# checkpointer, autovacuum worker, ...).
pg_process_ticks() {
  local pid title
  for pid in $(pg_local_children); do
    title=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed 's/ *$//')
    if [[ $title =~ ^postgres:\ [^\ ]+\ [^\ ]+\ [0-9.]+\( ]]; then
      title="client backend"
    else
      title=${title#postgres: }
    fi
    echo "$pid $(proc_ticks "$pid") $title"
  done
}
# The entry with the largest growth between two snapshots: "<delta> <id> <title>".
top_growth() {
  awk 'NR == FNR { before[$1] = $2; next }
       { d = $2 - before[$1]; if (d > best) { best = d; id = $1; $1 = ""; $2 = ""; title = $0 } }
       END { if (best > 0) print best, id, title }' "$1" "$2"
}
field() {  # file, awk pattern, field number
  awk -v n="$3" "$2 { print \$n; exit }" "$1"
}
fmt_int() { printf '%.0f' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

declare -A row_label=(
  [sqlite]="(a) SQLite, 1 server"
  [pg1]="(b) PostgreSQL, 1 replica"
  [pg2]="(c) PostgreSQL, 2 replicas (round_robin)")
declare -A row_text        # per "cfg round"
declare -A row_projection  # per "cfg round"
declare -A rates           # per cfg: the reviews/s of its runs, space-separated

run_config() {
  local cfg=$1 round=$2 n db extra cdir i targets="" pids_csv
  local key="$cfg $round" label=${row_label[$cfg]}
  [ "$repeat" -gt 1 ] && label="$label, run $round"
  cdir=$dir/$cfg
  [ "$repeat" -gt 1 ] && cdir=$dir/$cfg-$round
  mkdir -p "$cdir"
  case "$cfg" in
    sqlite) n=1; db=$cdir/opinia.db; extra=$server_args ;;
    pg1|pg2) n=${cfg#pg}; db=$(pg_local_createdb "opinia_${cfg}_$round"); extra="$server_args $pg_server_args"
             pg_local_psql "$PG_URL" -q -c CHECKPOINT ;;
  esac
  server_pids=()
  for i in $(seq 1 "$n"); do
    # shellcheck disable=SC2086
    "$server_bin" --listen=127.0.0.1:0 --db="$db" \
      --bootstrap-admin-key-file="$cdir/admin.key" --ready-file="$cdir/ready$i" \
      $extra >"$cdir/server$i.log" 2>&1 &
    server_pids+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 1200); do
      [ -s "$cdir/ready$i" ] && break
      if ! proc_alive "${server_pids[$((i - 1))]}"; then
        row_text[$key]="| $label | not run: $(grep -m1 -i 'error' "$cdir/server$i.log" | cut -c1-150 | tr '|' '/') |||||||| "
        stop_servers
        return 0
      fi
      sleep 0.05
    done
    targets=${targets:+$targets,}$(head -1 "$cdir/ready$i")
  done
  pids_csv=$(IFS=,; echo "${server_pids[*]}")
  echo "replicas_bench: $cfg (run $round of $repeat): $n server(s) at $targets; opinia-load for ${warmup}+${duration} s" >&2

  "$load_bin" --target="$targets" --key-file="$cdir/admin.key" --clients="$clients" \
    --batch="$batch" --duration="$duration" --warmup="$warmup" \
    --server-pid="$pids_csv" >"$cdir/load.log" 2>&1 &
  load_pid=$!
  until grep -q "^measuring from now" "$cdir/load.log" 2>/dev/null; do
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.05
  done
  local s0 p0=0 s1 p1=0 m0 m1
  m0=$(machine_ticks)
  s0=$(sum_ticks "${server_pids[@]}")
  thread_ticks "${server_pids[@]}" >"$cdir/threads0"
  if [ "$cfg" != sqlite ]; then p0=$(pg_local_cpu_ticks); pg_process_ticks >"$cdir/pg0"; fi
  wait "$load_pid" || true
  load_pid=""
  m1=$(machine_ticks)
  s1=$(sum_ticks "${server_pids[@]}")
  thread_ticks "${server_pids[@]}" >"$cdir/threads1"
  if [ "$cfg" != sqlite ]; then p1=$(pg_local_cpu_ticks); pg_process_ticks >"$cdir/pg1"; fi

  if [ "$alert_latency" = 1 ] && [ "$cfg" = pg2 ] && [ "$round" = "$repeat" ]; then
    if [ -x "$latency_bin" ]; then
      local r1 r2
      r1=$(head -1 "$cdir/ready1"); r2=$(head -1 "$cdir/ready2")
      "$latency_bin" --ingest-target="$r1" --stream-target="$r2" \
        --key-file="$cdir/admin.key" --rate=1000 --seconds=10 >"$cdir/alert_latency.log" 2>&1 || true
    else
      echo "missing $latency_bin" >"$cdir/alert_latency.log"
    fi
  fi
  stop_servers
  # Each run starts from the same state: the database of a finished run is
  # dropped, so that autovacuum of its tables does not take the next run's
  # CPU (with --repeat=3, runs slowed by ~10 % each without this).
  if [ "$cfg" = sqlite ]; then
    rm -f "$cdir"/opinia.db*
  else
    pg_local_psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS opinia_${cfg}_$round" -c CHECKPOINT >/dev/null
  fi

  local log=$cdir/load.log acked elapsed rate p50 p99 failed load_cores
  acked=$(field "$log" '/^acknowledged after warm-up:/' 4)
  elapsed=$(field "$log" '/^acknowledged after warm-up:/' 7)
  if [ -z "$acked" ] || [ "$acked" -eq 0 ]; then
    row_text[$key]="| $label | no review acknowledged; see $log |||||||| "
    return 0
  fi
  rate=$(awk -v a="$acked" -v e="$elapsed" 'BEGIN { print a / e }')
  rates[$cfg]="${rates[$cfg]:-} $rate"
  p50=$(field "$log" '/^latency per call/' 6)
  p99=$(field "$log" '/^latency per call/' 10)
  failed=$(field "$log" '/^calls:/' 4)
  load_cores=$(awk '/^load generator CPU:/ { gsub(/\(/, "", $6); print $6; exit }' "$log")
  local top_thread top_pg
  top_thread=$(top_growth "$cdir/threads0" "$cdir/threads1")
  top_pg=""
  [ "$cfg" != sqlite ] && top_pg=$(top_growth "$cdir/pg0" "$cdir/pg1")
  row_text[$key]=$(awk -v label="$label" -v rate="$(fmt_int "$rate")" \
    -v p50="$p50" -v p99="$p99" -v failed="$failed" -v acked="$acked" -v e="$elapsed" \
    -v hz="$hz" -v ds="$((s1 - s0))" -v dp="$((p1 - p0))" -v pg="${cfg#sqlite}" \
    -v lc="${load_cores:-0}" -v cores="$cores" -v tt="$top_thread" -v tp="$top_pg" \
    -v m0="$m0" -v m1="$m1" '
    BEGIN {
      rs = ds / hz; ps = dp / hz
      rms = rs * 1000 / acked; pms = ps * 1000 / acked
      rc = rs / e; pc = ps / e; total = rc + pc + lc
      split(tt, t, " "); tcores = t[1] / hz / e
      split(tp, q, " "); qcores = q[1] / hz / e
      qtitle = tp; sub(/^[0-9]+ [0-9]+ */, "", qtitle)
      split(m0, a, " "); split(m1, b, " ")
      busy = (b[1] - a[1]) / hz / e; iowait = (b[2] - a[2]) / hz / e
      if (busy >= 0.85 * cores && total >= 0.85 * cores)
        limit = sprintf("the %d cores (%.2f busy, %.2f of them ours, most by %s)", cores, busy, total,
                        (pc > rc && pc > lc) ? "PostgreSQL" : (rc > lc ? "the servers" : "the load generator"))
      else if (busy >= 0.85 * cores)
        limit = sprintf("the %d cores, shared: %.2f busy, %.2f by other processes", cores, busy, busy - total)
      else if (tcores >= 0.85)
        limit = sprintf("one server thread (tid %s) at %.2f cores", t[2], tcores)
      else if (pg != "" && qcores >= 0.85)
        limit = sprintf("one PostgreSQL process (%s) at %.2f cores", qtitle, qcores)
      else
        limit = sprintf("not CPU (%.2f of %d cores busy, iowait %.2f): waits (locks, fsync, round trips)", busy, cores, iowait)
      extra = sprintf("busiest server thread %.2f cores", tcores)
      if (pg != "") extra = extra sprintf(", busiest PostgreSQL process %.2f (%s)", qcores, qtitle)
      printf "| %s | %s | %s | %s | %s | %.3f | %s | %.2f + %s + %.2f | %s; %s |",
        label, rate, p50, p99, failed, rms, (pg == "" ? "-" : sprintf("%.3f", pms)),
        rc, (pg == "" ? "-" : sprintf("%.2f", pc)), lc, limit, extra
    }')
  row_projection[$key]=$(awk -v hz="$hz" -v ds="$((s1 - s0))" -v dp="$((p1 - p0))" -v acked="$acked" -v label="$label" '
    BEGIN { ms = (ds + dp) / hz * 1000 / acked
            printf "%s: %.3f ms of server%s CPU per review = %s reviews/s per core", label, ms,
              (dp > 0 ? " + PostgreSQL" : ""), int(1000 / ms) }')
}
stop_servers() {
  local p
  for p in "${server_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${server_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  server_pids=()
}

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$repeat"); do
  for c in "${config_list[@]}"; do run_config "$c" "$round"; done
done

echo
echo "replicas_bench: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $cores cores, load average at start $load_at_start"
echo "command: $command_line"
[ "$repeat" -gt 1 ] && echo "runs: $repeat of each configuration, interleaved"
echo "each: opinia-load --clients=$clients --batch=$batch --duration=$duration --warmup=$warmup (flat out) on a fresh database${pg_settings:+; $pg_settings}"
echo
echo "| configuration | reviews/s | p50 ms | p99 ms | failed calls | server ms CPU / review | PostgreSQL ms CPU / review | cores: servers + PostgreSQL + load generator | limited by |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in "${config_list[@]}"; do
  for round in $(seq 1 "$repeat"); do echo "${row_text[$c $round]}"; done
done
if [ "$repeat" -gt 1 ]; then
  echo
  echo "Median over the runs (reviews/s, range in brackets):"
  for c in "${config_list[@]}"; do
    [ -n "${rates[$c]:-}" ] || continue
    # shellcheck disable=SC2086
    printf '%s\n' ${rates[$c]} | sort -g | awk -v label="${row_label[$c]}" '
      { v[NR] = $1 }
      END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "  %s: %.0f [%.0f - %.0f] over %d runs\n", label, m, v[1], v[NR], NR }'
  done
fi
echo
echo "Projection, if CPU is the only limit (reviews/s per core of server and database CPU; N cores ~ N x this):"
for c in "${config_list[@]}"; do
  for round in $(seq 1 "$repeat"); do
    [ -n "${row_projection[$c $round]:-}" ] && echo "  ${row_projection[$c $round]}"
  done
done
if [ "$alert_latency" = 1 ]; then
  echo
  echo "ack -> alert across replicas (pg2, ingest on replica 1, subscriber on replica 2, 1,000 reviews/s):"
  latency_log=$dir/pg2/alert_latency.log
  [ "$repeat" -gt 1 ] && latency_log=$dir/pg2-$repeat/alert_latency.log
  if [ -f "$latency_log" ]; then sed 's/^/  /' "$latency_log"; else echo "  not run (pg2 did not run)"; fi
fi
echo
echo "logs: $dir"
