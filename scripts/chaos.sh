#!/usr/bin/env bash
# Crash safety under load. opinia-load ingests and two opinia-alert-tail
# subscribers follow StreamAlerts (each resuming with its last token after
# every broken stream) while the script SIGKILLs servers at random moments
# and starts them again on the same database and port.
#
#   scripts/chaos.sh [--kills=20] [--build=build] [--clients=4] [--batch=20]
#       SQLite: one server on one database file.
#   scripts/chaos.sh --pg [--replicas=3] [--pg-restarts=3] [--kills=20] ...
#       PostgreSQL: starts its own cluster (scripts/pg_local.sh: scripts/pg.sh
#       when present), runs --replicas opinia-server processes on one
#       database on different ports, points opinia-load and the subscribers
#       at all of them (one channel, gRPC round_robin), SIGKILLs a random
#       replica --kills times and restarts it, and restarts PostgreSQL itself
#       with `pg_ctl restart -m immediate` --pg-restarts times, spread over
#       the kills. The replicas are never restarted after a PostgreSQL
#       restart: they must reconnect by themselves. --replicas=N implies --pg.
#
# Then checks (sqlite3 or psql on the database, once every server stopped):
#   1. every review whose ingest was acknowledged (opinia-load --ack-log,
#      written only after OK) is stored, and no identity is stored twice;
#   2. the storage is sound (SQLite: PRAGMA integrity_check; PostgreSQL:
#      pg_amcheck of every heap and B-tree index), the insights rollups
#      agree with the stored rows (all-dimensions cells, all cells, aspect
#      cells; on PostgreSQL also per day) and so does the full-text index
#      (SQLite: one FTS5 document per row and FTS5's integrity check;
#      PostgreSQL: a document per row with words, and the GIN index finds what a
#      sequential scan finds for the 20 most common tokens);
#   3. each subscriber received every alert ListAlerts knows, exactly once;
#      both received the same sequence, and it is the outbox's order;
#   4. (--pg) every replica outlived every PostgreSQL restart, and ingest
#      resumed after each (within 60 s).
# Prints PASS/FAIL per check and a verdict; exit 0 only when all pass.
# Logs (servers, load, subscribers) stay in the printed working directory,
# and the SQLite database after a failing run (PostgreSQL's cluster is
# always removed).
set -euo pipefail
cd "$(dirname "$0")/.."

kills=20
build=build
clients=4
batch=20
mode=sqlite
replicas=""
pg_restarts=3
for arg in "$@"; do
  case "$arg" in
    --kills=*) kills=${arg#*=} ;;
    --build=*) build=${arg#*=} ;;
    --clients=*) clients=${arg#*=} ;;
    --batch=*) batch=${arg#*=} ;;
    --pg) mode=pg ;;
    --replicas=*) replicas=${arg#*=}; mode=pg ;;
    --pg-restarts=*) pg_restarts=${arg#*=} ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ "$mode" = pg ]; then
  replicas=${replicas:-3}
  [ "$replicas" -ge 1 ] || { echo "--replicas must be at least 1" >&2; exit 2; }
else
  replicas=1
  pg_restarts=0
fi
server_bin=$build/service/server/opinia-server
load_bin=$build/bench/opinia-load
tail_bin=$build/bench/opinia-alert-tail
for b in "$server_bin" "$load_bin" "$tail_bin"; do
  [ -x "$b" ] || { echo "missing $b (build it first)" >&2; exit 2; }
done
if [ "$mode" = pg ]; then
  command -v psql >/dev/null || { echo "needs psql (postgresql-client)" >&2; exit 2; }
else
  command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI" >&2; exit 2; }
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/opinia-chaos-XXXXXX")
echo "chaos: $mode mode, $replicas replica(s), working in $dir"
# shellcheck source=scripts/pg_local.sh
. scripts/pg_local.sh  # and scripts/proc_lib.sh
read -r -a ports <<<"$(proc_free_ports "$replicas")"
targets=""
for p in "${ports[@]}"; do targets=${targets:+$targets,}127.0.0.1:$p; done

declare -a server_pids=()
load_pid=""
tail_pids=()
cleanup() {
  for p in $load_pid "${tail_pids[@]}" "${server_pids[@]}"; do
    if [ -n "$p" ]; then kill -9 "$p" 2>/dev/null || true; fi
  done
  if declare -F pg_local_stop >/dev/null; then pg_local_stop; fi
}
trap cleanup EXIT

if [ "$mode" = pg ]; then
  pg_local_start
  db=$(pg_local_createdb opinia_chaos)
  echo "chaos: PostgreSQL in $PG_DIR, database $db"
else
  db=$dir/opinia.db
fi

launch_replica() {  # index: starts it in the background
  local i=$1
  rm -f "$dir/ready$i"
  "$server_bin" --listen="127.0.0.1:${ports[$i]}" --db="$db" \
    --bootstrap-admin-key-file="$dir/admin.key" --ready-file="$dir/ready$i" \
    --shutdown-grace-seconds=2 >>"$dir/server$i.log" 2>&1 &
  server_pids[i]=$!
}
await_replica() {  # index: waits for its ready file (60 s)
  local i=$1
  for _ in $(seq 1 1200); do
    [ -s "$dir/ready$i" ] && return 0
    proc_alive "${server_pids[$i]}" || {
      echo "replica $i died on start; see $dir/server$i.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "replica $i not ready after 60 s; see $dir/server$i.log" >&2
  exit 1
}
# All at once: on PostgreSQL the replicas race for the migrations and the
# operator key, which the backend must serialise.
for i in $(seq 0 $((replicas - 1))); do launch_replica "$i"; done
for i in $(seq 0 $((replicas - 1))); do await_replica "$i"; done

acked_count() { wc -l <"$dir/acked.tsv" 2>/dev/null || echo 0; }

key=$("$load_bin" --target="$targets" --key-file="$dir/admin.key" --create-key-only 2>/dev/null)
for s in 1 2; do
  "$tail_bin" --target="$targets" --key="$key" --out="$dir/streamed$s.txt" \
    >"$dir/tail$s.log" 2>&1 &
  tail_pids+=($!)
done
sleep 0.5  # let the subscribers attach before the first alert can exist
"$load_bin" --target="$targets" --key="$key" --clients="$clients" --batch="$batch" \
  --duration=3600 --deadline-ms=10000 --ack-log="$dir/acked.tsv" \
  --run-id="chaos$$" >"$dir/load.log" 2>&1 &
load_pid=$!
# A subscriber that has no resume token yet would, after losing its replica,
# start again at "now" and miss what other replicas raised meanwhile: wait
# until both hold a token (received an alert) before the first kill.
for _ in $(seq 1 600); do
  [ -s "$dir/streamed1.txt" ] && [ -s "$dir/streamed2.txt" ] && break
  sleep 0.1
done

# The PostgreSQL restarts come after these kills, evenly spread.
pg_restart_after=" "
for k in $(seq 1 "$pg_restarts"); do
  pg_restart_after+="$(( k * kills / (pg_restarts + 1) )) "
done
replicas_died=""   # replicas found dead after a PostgreSQL restart
slow_resume=""     # restarts after which ingest did not resume within 60 s
restart_pg() {
  local n=$1 before
  echo "chaos: $(date +%T.%3N) PostgreSQL restart $n/$pg_restarts (pg_ctl restart -m immediate; acknowledged so far: $(acked_count))"
  pg_local_restart_immediate
  # Counted from when PostgreSQL accepts connections again.
  before=$(acked_count)
  local t0=$SECONDS
  while [ "$(acked_count)" -le "$before" ] && [ $((SECONDS - t0)) -lt 60 ]; do sleep 0.1; done
  if [ "$(acked_count)" -le "$before" ]; then
    slow_resume+=" $n"
  else
    echo "chaos: ingest resumed $((SECONDS - t0)) s after PostgreSQL restart $n"
  fi
  for i in $(seq 0 $((replicas - 1))); do
    if ! proc_alive "${server_pids[$i]}"; then
      echo "chaos: replica $i exited after PostgreSQL restart $n; see $dir/server$i.log" >&2
      replicas_died+=" $i@$n"
      launch_replica "$i"
      await_replica "$i"
    fi
  done
}

pg_done=0
for i in $(seq 1 "$kills"); do
  # 0.3 .. 2.3 s of load between crashes.
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 2000) / 1000 }')"
  victim=$((RANDOM % replicas))
  kill -9 "${server_pids[$victim]}"
  wait "${server_pids[$victim]}" 2>/dev/null || true
  echo "chaos: $(date +%T.%3N) kill $i/$kills of replica $victim (acknowledged so far: $(acked_count))"
  launch_replica "$victim"
  await_replica "$victim"
  if [[ $pg_restart_after == *" $i "* ]]; then
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 1000) / 1000 }')"
    pg_done=$((pg_done + 1))
    restart_pg "$pg_done"
  fi
done
sleep 2  # a last stretch of load on the final servers
kill -INT "$load_pid"; wait "$load_pid" 2>/dev/null || true; load_pid=""
echo "chaos: $(date +%T.%3N) load stopped; waiting for the subscribers"
"$tail_bin" --target="$targets" --key="$key" --list >"$dir/listed.txt"
# Let the subscribers catch up with what the last batches raised (60 s).
caught_up() {
  local s
  for s in 1 2; do
    [ -z "$(comm -13 <(sort -u "$dir/streamed$s.txt" 2>/dev/null) <(sort -u "$dir/listed.txt"))" ] || return 1
  done
}
for _ in $(seq 1 600); do caught_up && break; sleep 0.1; done
for p in "${tail_pids[@]}"; do kill -TERM "$p"; wait "$p" 2>/dev/null || true; done
tail_pids=()
for i in $(seq 0 $((replicas - 1))); do
  kill -TERM "${server_pids[$i]}"; wait "${server_pids[$i]}" 2>/dev/null || true
done
server_pids=()

verdict=PASS
holds() { if "$@"; then echo 0; else echo 1; fi; }
check() {  # name, ok(0/1), detail
  if [ "$2" -eq 0 ]; then echo "PASS  $1 ($3)"; else echo "FAIL  $1 ($3)"; verdict=FAIL; fi
}
acked=$(sort -u "$dir/acked.tsv" | wc -l)

# Derived data commits with its rows (both stores apply the rollup deltas
# inside the transaction that changes the rows), so after the crashes, in
# the same SQL on both backends: the all-dimensions rollup cells count every
# stored review; all 8 cells of a review together count it 8 times; the
# aspect rollups count every aspect row. (PostgreSQL sums its shards.)
derived_sql="SELECT (SELECT coalesce(sum(n), 0) FROM insights_rollup WHERE dims = 0) - (SELECT count(*) FROM reviews WHERE CAST(deleted AS integer) = 0),
  (SELECT coalesce(sum(n), 0) FROM insights_rollup) - 8 * (SELECT count(*) FROM reviews WHERE CAST(deleted AS integer) = 0),
  (SELECT coalesce(sum(neg + neu + pos + mix), 0) FROM insights_aspect_rollup WHERE dims = 0) - (SELECT count(*) FROM review_aspects)"
derived_names="rollup - rows, all cells - 8 x rows, aspect rollup - aspect rows"
# The outbox: alert_events.id is the order every stream delivers in (on
# PostgreSQL ids are taken under an advisory lock, in commit order).
outbox_sql="SELECT 'alerts/' || alert_id FROM alert_events ORDER BY id"

if [ "$mode" = sqlite ]; then
  sqlite3 "$db" <<SQL >"$dir/stored.txt"
CREATE TEMP TABLE acked(source TEXT, external_id TEXT);
.mode tabs
.import $dir/acked.tsv acked
-- tenant_id IN (...) lets SQLite probe the unique (tenant_id, source,
-- external_id) index instead of scanning reviews once per acknowledged row.
SELECT COUNT(*) FROM (SELECT DISTINCT source, external_id FROM acked) a
  WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.tenant_id IN (SELECT id FROM tenants)
                    AND r.source = a.source AND r.external_id = a.external_id
                    AND r.deleted = 0);
SELECT COUNT(*) FROM (SELECT 1 FROM reviews GROUP BY tenant_id, source, external_id
                      HAVING COUNT(*) > 1);
SELECT COUNT(*) FROM reviews;
SQL
  missing=$(sed -n 1p "$dir/stored.txt")
  dups=$(sed -n 2p "$dir/stored.txt")
  stored=$(sed -n 3p "$dir/stored.txt")
  check "acknowledged reviews stored" "$(holds [ "$acked" -gt 0 -a "$missing" -eq 0 ])" "$acked acknowledged, $missing missing, $stored stored"
  check "no review stored twice" "$(holds [ "$dups" -eq 0 ])" "$dups duplicated identities"
  integrity=$(sqlite3 "$db" "PRAGMA integrity_check;")
  check "PRAGMA integrity_check" "$(holds [ "$integrity" = "ok" ])" "$integrity"
  derived=$(sqlite3 "$db" "$derived_sql")
  check "rollups match the rows" "$(holds [ "$derived" = "0|0|0" ])" "$derived_names = $derived"
  # The full-text index holds one document per review and passes FTS5's
  # own check.
  fts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM reviews_fts) - (SELECT count(*) FROM reviews);")
  fts_check=$(sqlite3 "$db" "INSERT INTO reviews_fts(reviews_fts) VALUES('integrity-check');" 2>&1 || true)
  check "full-text index matches the rows" "$(holds [ "$fts" = 0 -a -z "$fts_check" ])" "fts - rows = $fts${fts_check:+; $fts_check}"
  sqlite3 "$db" "$outbox_sql;" >"$dir/outbox.txt"
else
  # PostgreSQL: the schema of service/storage/postgres/migrations/*.sql.
  psql_out() {  # file, statements...: runs them, output to file; 1 on error
    local out=$1
    shift
    pg_local_psql "$db" -q -F'|' "$@" >"$out" 2>"$out.err"
  }
  psql_error() { head -c 300 "$1.err" | tr '\n' ' '; }
  if psql_out "$dir/stored.txt" \
      -c "CREATE TEMP TABLE acked(source text, external_id text)" \
      -c "\\copy acked FROM '$dir/acked.tsv'" \
      -c "SELECT count(*) FROM (SELECT DISTINCT source, external_id FROM acked) a
            WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.source = a.source
                              AND r.external_id = a.external_id AND NOT r.deleted)" \
      -c "SELECT count(*) FROM (SELECT 1 FROM reviews GROUP BY tenant_id, source, external_id
                                HAVING count(*) > 1) d" \
      -c "SELECT count(*) FROM reviews"; then
    missing=$(sed -n 1p "$dir/stored.txt")
    dups=$(sed -n 2p "$dir/stored.txt")
    stored=$(sed -n 3p "$dir/stored.txt")
    check "acknowledged reviews stored" "$(holds [ "$acked" -gt 0 -a "$missing" -eq 0 ])" "$acked acknowledged, $missing missing, $stored stored"
    check "no review stored twice" "$(holds [ "$dups" -eq 0 ])" "$dups duplicated identities"
  else
    check "acknowledged reviews stored" 1 "SQL failed: $(psql_error "$dir/stored.txt")"
  fi
  # Every heap page and B-tree index of the database (contrib's amcheck;
  # GIN indexes are checked below).
  amcheck_out=$("$PG_BIN/pg_amcheck" --install-missing --heapallindexed \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres "${db##*/}" 2>&1) && amcheck_rc=0 || amcheck_rc=$?
  check "pg_amcheck (heaps and B-tree indexes)" "$(holds [ "$amcheck_rc" -eq 0 -a -z "$amcheck_out" ])" \
    "exit $amcheck_rc${amcheck_out:+; $(echo "$amcheck_out" | head -c 300 | tr '\n' ' ')}"
  # Rollups, as on SQLite, and per local day: (tenant, day) groups whose
  # all-dimensions cells do not sum to the day's stored reviews.
  if psql_out "$dir/derived.txt" -c "$derived_sql" \
      -c "SELECT count(*) FROM
            (SELECT tenant_id, day, sum(n) AS n FROM insights_rollup WHERE dims = 0 GROUP BY 1, 2) r
            FULL JOIN (SELECT tenant_id, local_day AS day, count(*) AS n FROM reviews
                       WHERE NOT deleted GROUP BY 1, 2) v USING (tenant_id, day)
          WHERE coalesce(r.n, 0) <> coalesce(v.n, 0)"; then
    derived=$(paste -sd'|' "$dir/derived.txt")
    check "rollups match the rows" "$(holds [ "$derived" = "0|0|0|0" ])" "$derived_names, days that differ = $derived"
  else
    check "rollups match the rows" 1 "SQL failed: $(psql_error "$dir/derived.txt")"
  fi
  # Full-text search: every review with a letter or digit in its text has a
  # document (reviews.search, built in C++ from the folded text; ". . ."
  # has no token), and the GIN index finds, for the 20 most common tokens,
  # exactly the rows a sequential scan finds (amcheck has no GIN check
  # before PostgreSQL 18).
  if psql_out "$dir/fts.txt" \
      -c "SELECT count(*) FROM reviews WHERE length(search) = 0 AND search_text ~ '[[:alnum:]]'" \
      -c "CREATE TEMP TABLE lex AS SELECT word FROM ts_stat('SELECT search FROM reviews') ORDER BY ndoc DESC, word LIMIT 20" \
      -c "SET enable_seqscan = off" \
      -c "CREATE TEMP TABLE via_index AS SELECT word, (SELECT count(*) FROM reviews r WHERE r.search @@ quote_literal(lex.word)::tsquery) AS n FROM lex" \
      -c "RESET enable_seqscan" -c "SET enable_bitmapscan = off" -c "SET enable_indexscan = off" \
      -c "CREATE TEMP TABLE via_heap AS SELECT word, (SELECT count(*) FROM reviews r WHERE r.search @@ quote_literal(lex.word)::tsquery) AS n FROM lex" \
      -c "SELECT count(*), coalesce(sum(i.n), 0) FROM via_index i JOIN via_heap h USING (word) WHERE i.n <> h.n" \
      -c "SELECT count(*), coalesce(sum(n), 0) FROM via_heap"; then
    no_doc=$(sed -n 1p "$dir/fts.txt")
    differ=$(sed -n 2p "$dir/fts.txt" | cut -d'|' -f1)
    tokens=$(sed -n 3p "$dir/fts.txt")
    check "full-text index matches the rows" "$(holds [ "$no_doc" = 0 -a "$differ" = 0 -a "${tokens%%|*}" -gt 0 ])" \
      "$no_doc reviews with words but no document; index vs heap differ for $differ of ${tokens%%|*} common tokens (${tokens#*|} matches)"
  else
    check "full-text index matches the rows" 1 "SQL failed: $(psql_error "$dir/fts.txt")"
  fi
  psql_out "$dir/outbox.txt" -c "$outbox_sql" || {
    echo "note: outbox query failed: $(psql_error "$dir/outbox.txt")"; : >"$dir/outbox.txt"; }
fi

listed=$(wc -l <"$dir/listed.txt")
for s in 1 2; do
  streamed=$(wc -l <"$dir/streamed$s.txt" 2>/dev/null || echo 0)
  streamed_unique=$(sort -u "$dir/streamed$s.txt" 2>/dev/null | wc -l)
  not_streamed=$(comm -13 <(sort -u "$dir/streamed$s.txt") <(sort -u "$dir/listed.txt") | wc -l)
  check "subscriber $s: alerts streamed at most once" "$(holds [ "$streamed" -eq "$streamed_unique" ])" "$streamed received, $streamed_unique distinct"
  check "subscriber $s: every alert streamed" "$(holds [ "$not_streamed" -eq 0 ])" "$listed listed, $not_streamed never streamed"
done
check "both subscribers saw one order" "$(holds cmp -s "$dir/streamed1.txt" "$dir/streamed2.txt")" \
  "$(wc -l <"$dir/streamed1.txt") and $(wc -l <"$dir/streamed2.txt") events$(cmp "$dir/streamed1.txt" "$dir/streamed2.txt" 2>&1 | head -1 | sed 's/^/; /' || true)"
# The streamed sequence is the outbox from the first streamed event on.
first=$(head -1 "$dir/streamed1.txt" 2>/dev/null || true)
if [ -s "$dir/outbox.txt" ] && [ -n "$first" ]; then
  sed -n "\\|^$first\$|,\$p" "$dir/outbox.txt" >"$dir/outbox_from_first.txt"
  check "streamed in the outbox's order" "$(holds cmp -s "$dir/streamed1.txt" "$dir/outbox_from_first.txt")" \
    "$(wc -l <"$dir/outbox_from_first.txt") outbox events from $first$(cmp "$dir/streamed1.txt" "$dir/outbox_from_first.txt" 2>&1 | head -1 | sed 's/^/; /' || true)"
fi
[ "$listed" -gt 0 ] || echo "note: no alerts were raised (alert rules/evaluator not active?)"

if [ "$mode" = pg ]; then
  check "replicas outlived every PostgreSQL restart (none restarted by the script)" \
    "$(holds [ -z "$replicas_died" ])" "${replicas_died:-$pg_restarts restarts, $replicas replicas}"
  if [ -z "$slow_resume" ]; then
    check "ingest resumed within 60 s of every PostgreSQL restart" 0 "$pg_restarts restarts"
  else
    check "ingest resumed within 60 s of every PostgreSQL restart" 1 "not after restart(s)$slow_resume"
  fi
fi

grep -E "^(throughput|calls|errors|ok calls by replica)" "$dir/load.log" || true
grep -h "^streams that delivered" "$dir"/tail?.log || true
if [ "$mode" = pg ]; then
  echo "chaos: $kills kills of $replicas replicas, $pg_restarts PostgreSQL restarts; logs in $dir"
else
  echo "chaos: $kills kills; logs in $dir"
fi
echo "VERDICT: $verdict"
# A passing run's database is only big (a failing one is kept to look at).
if [ "$verdict" = PASS ] && [ "$mode" = sqlite ]; then rm -f "$dir"/opinia.db*; fi
[ "$verdict" = PASS ]
