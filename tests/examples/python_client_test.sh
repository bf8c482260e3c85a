#!/usr/bin/env bash
# examples/python_client.py works against a real server, started the way its
# docstring says, with Debian's /usr/bin/python3 even when `python3` on the
# PATH is another interpreter (a pyenv Python without python3-grpcio).
set -euo pipefail
root=$1 build=$2
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$build/service/server/opinia-server" --listen=127.0.0.1:0 --db="$tmp/db" \
  --bootstrap-admin-key-file="$tmp/admin.key" --ready-file="$tmp/ready" \
  --models="$root/models" >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/ready" ] && break; sleep 0.1; done
[ -s "$tmp/ready" ] || { echo "server not ready"; cat "$tmp/server.log"; exit 1; }
addr=$(head -n1 "$tmp/ready")
cli() { "$build/service/cli/opinia" --addr="$addr" "$@"; }
cli --key-file="$tmp/admin.key" tenants create --id=py --name=Py >/dev/null
key=$(cli --key-file="$tmp/admin.key" keys create --tenant=tenants/py \
        --roles=ingest,read --secret-only)
# A python3 first on the PATH that cannot import grpc, as pyenv's often cannot.
mkdir "$tmp/bin"
printf '#!/bin/sh\necho "not Debian python" >&2; exit 42\n' >"$tmp/bin/python3"
chmod +x "$tmp/bin/python3"
out=$(PATH="$tmp/bin:$PATH" OPINIA_KEY=$key "$root/examples/python_client.py" --addr="$addr")
echo "$out"
grep -q '^analyze: NEGATIVE' <<<"$out" || { echo "FAIL: analyze line"; exit 1; }
[ "$(grep -c '^ingest: CREATED reviews/' <<<"$out")" -eq 2 ] || { echo "FAIL: ingest lines"; exit 1; }
grep -q '^urgent: reviews/.*FRAUD_CLAIM' <<<"$out" || { echo "FAIL: no urgent fraud review"; exit 1; }
echo PASS
