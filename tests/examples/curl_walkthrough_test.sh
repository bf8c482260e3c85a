#!/usr/bin/env bash
# examples/curl/walkthrough.sh (the README's curl walkthrough of the JSON
# API) works against a real server with --http-listen on a free port.
set -euo pipefail
root=$1 build=$2
# Under TEST_TMPDIR (build/test_tmp from ctest), kept after a failure.
tmp=$(mktemp -d "${TEST_TMPDIR:-/tmp}/curl_walkthrough.XXXXXX")
pid=
trap 'kill $pid 2>/dev/null || true' EXIT
"$build/service/server/opinia-server" --listen=127.0.0.1:0 --db="$tmp/db" \
  --http-listen=127.0.0.1:0 \
  --bootstrap-admin-key-file="$tmp/admin.key" --ready-file="$tmp/ready" \
  --models="$root/models" >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/ready" ] && break; sleep 0.1; done
[ -s "$tmp/ready" ] || { echo "server not ready"; cat "$tmp/server.log"; exit 1; }
base=$(sed -n 's/.*http on \(http:[^ ]*\).*/\1/p' "$tmp/server.log" | tail -n1)
[ -n "$base" ] || { echo "no 'http on' line"; cat "$tmp/server.log"; exit 1; }
out=$("$root/examples/curl/walkthrough.sh" "$base" "$tmp/admin.key")
echo "$out"
grep -q '"name":"tenants/demo"' <<<"$out" || { echo "FAIL: tenant"; exit 1; }
grep -q '{"name":"reviews/1","outcome":"CREATED"}' <<<"$out" || { echo "FAIL: JSON ingest"; exit 1; }
grep -q '"received":"52","created":"52"' <<<"$out" || { echo "FAIL: NDJSON ingest"; exit 1; }
grep -q '^reviews/1 LEGAL_THREAT' <<<"$out" || { echo "FAIL: P1 list"; exit 1; }
[ "$(grep -c '^event: alert' <<<"$out")" -ge 2 ] || { echo "FAIL: alert events"; exit 1; }
# Never a key in the server's log.
key=$(head -n1 "$tmp/admin.key")
! grep -q "$key" "$tmp/server.log" || { echo "FAIL: key in the log"; exit 1; }
rm -rf "$tmp"
echo PASS
