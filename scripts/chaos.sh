#!/usr/bin/env bash
# Crash safety under load: SIGKILLs opinia-server at random moments while
# opinia-load ingests and opinia-alert-tail follows StreamAlerts, restarting
# the server each time on the same database and port. Then checks:
#   1. every review whose ingest was acknowledged is stored, exactly once;
#   2. PRAGMA integrity_check is "ok", and the insights rollups and the
#      full-text index agree with the stored rows;
#   3. the subscriber, resuming with its last token across every restart,
#      received every alert ListAlerts knows, exactly once.
# Prints PASS/FAIL per check and a verdict; exit 0 only when all pass.
#
#   scripts/chaos.sh [--kills=20] [--build=build] [--clients=4] [--batch=20]
set -euo pipefail
cd "$(dirname "$0")/.."

kills=20
build=build
clients=4
batch=20
for arg in "$@"; do
  case "$arg" in
    --kills=*) kills=${arg#*=} ;;
    --build=*) build=${arg#*=} ;;
    --clients=*) clients=${arg#*=} ;;
    --batch=*) batch=${arg#*=} ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
server_bin=$build/service/server/opinia-server
load_bin=$build/bench/opinia-load
tail_bin=$build/bench/opinia-alert-tail
for b in "$server_bin" "$load_bin" "$tail_bin"; do
  [ -x "$b" ] || { echo "missing $b (build it first)" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/opinia-chaos-XXXXXX")
echo "chaos: working in $dir"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port
server_pid=""
load_pid=""
tail_pid=""
cleanup() {
  for p in $load_pid $tail_pid $server_pid; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

start_server() {
  rm -f "$dir/ready"
  "$server_bin" --listen="$addr" --db="$dir/opinia.db" \
    --bootstrap-admin-key-file="$dir/admin.key" --ready-file="$dir/ready" \
    --shutdown-grace-seconds=2 >>"$dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 1200); do
    [ -s "$dir/ready" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "server died on start; see $dir/server.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "server not ready after 60 s" >&2
  exit 1
}

start_server
key=$("$load_bin" --target="$addr" --key-file="$dir/admin.key" --create-key-only 2>/dev/null)
"$tail_bin" --target="$addr" --key="$key" --out="$dir/streamed.txt" >"$dir/tail.log" 2>&1 &
tail_pid=$!
sleep 0.5  # let the subscriber attach before the first alert can exist
"$load_bin" --target="$addr" --key="$key" --clients="$clients" --batch="$batch" \
  --duration=3600 --deadline-ms=10000 --ack-log="$dir/acked.tsv" \
  --run-id="chaos$$" >"$dir/load.log" 2>&1 &
load_pid=$!

for i in $(seq 1 "$kills"); do
  # 0.3 .. 2.3 s of load between crashes.
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 2000) / 1000 }')"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  acked=$(wc -l <"$dir/acked.tsv" 2>/dev/null || echo 0)
  echo "chaos: kill $i/$kills (acknowledged so far: $acked)"
  start_server
done
sleep 2  # a last stretch of load on the final server
kill -INT "$load_pid"; wait "$load_pid" 2>/dev/null || true; load_pid=""
"$tail_bin" --target="$addr" --key="$key" --list >"$dir/listed.txt"
# Let the subscriber catch up with what the last batches raised (up to 60 s).
for _ in $(seq 1 600); do
  [ -z "$(comm -13 <(sort -u "$dir/streamed.txt" 2>/dev/null) <(sort -u "$dir/listed.txt"))" ] && break
  sleep 0.1
done
kill -TERM "$tail_pid"; wait "$tail_pid" 2>/dev/null || true; tail_pid=""
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

verdict=PASS
holds() { if "$@"; then echo 0; else echo 1; fi; }
check() {  # name, ok(0/1), detail
  if [ "$2" -eq 0 ]; then echo "PASS  $1 ($3)"; else echo "FAIL  $1 ($3)"; verdict=FAIL; fi
}

db=$dir/opinia.db
acked=$(sort -u "$dir/acked.tsv" | wc -l)
sqlite3 "$db" <<SQL >"$dir/stored.txt"
CREATE TEMP TABLE acked(source TEXT, external_id TEXT);
.mode tabs
.import $dir/acked.tsv acked
SELECT COUNT(*) FROM (SELECT DISTINCT source, external_id FROM acked) a
  WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.source = a.source
                    AND r.external_id = a.external_id AND r.deleted = 0);
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
# Derived data commits with its rows (the store applies the deferred rollup
# and full-text changes inside the same transaction): the all-dimensions
# rollup cells count every stored review, the full-text index holds one
# document per review and passes FTS5's own integrity check.
derived=$(sqlite3 "$db" "SELECT (SELECT coalesce(sum(n), 0) FROM insights_rollup WHERE dims = 0) - (SELECT count(*) FROM reviews WHERE deleted = 0), (SELECT count(*) FROM reviews_fts) - (SELECT count(*) FROM reviews);")
fts_check=$(sqlite3 "$db" "INSERT INTO reviews_fts(reviews_fts) VALUES('integrity-check');" 2>&1 || true)
check "rollups and full-text index match the rows" "$(holds [ "$derived" = "0|0" -a -z "$fts_check" ])" "rollup - rows, fts - rows = $derived${fts_check:+; $fts_check}"

streamed=$(wc -l <"$dir/streamed.txt" 2>/dev/null || echo 0)
streamed_unique=$(sort -u "$dir/streamed.txt" 2>/dev/null | wc -l)
listed=$(wc -l <"$dir/listed.txt")
not_streamed=$(comm -13 <(sort -u "$dir/streamed.txt") <(sort -u "$dir/listed.txt") | wc -l)
check "alerts streamed at most once" "$(holds [ "$streamed" -eq "$streamed_unique" ])" "$streamed received, $streamed_unique distinct"
check "every alert streamed" "$(holds [ "$not_streamed" -eq 0 ])" "$listed listed, $not_streamed never streamed"
[ "$listed" -gt 0 ] || echo "note: no alerts were raised (alert rules/evaluator not active?)"

grep -E "^(throughput|calls|errors)" "$dir/load.log" || true
echo "chaos: $kills kills; logs in $dir"
echo "VERDICT: $verdict"
[ "$verdict" = PASS ]
