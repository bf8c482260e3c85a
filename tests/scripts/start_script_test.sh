#!/usr/bin/env bash
# scripts/start.sh builds only what starting needs and starts a serving server.
# Run by CTest after the whole tree is built, so the build step has nothing to
# compile: the targets it names show in its "Built target" lines, and any test
# or benchmark among them means start.sh builds more than opinia-server and
# opinia (it used to build everything, 9-10 minutes on a 2-core machine).
set -euo pipefail
root=$1
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
cd "$root"
OPINIA_DATA_DIR="$tmp/data" OPINIA_LISTEN=127.0.0.1:0 \
  scripts/start.sh --ready-file="$tmp/ready" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ -s "$tmp/ready" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "start.sh exited:"; cat "$tmp/out"; exit 1; }
  sleep 0.1
done
[ -s "$tmp/ready" ] || { echo "server not ready after 60 s:"; cat "$tmp/out"; exit 1; }
[ -s "$tmp/data/admin.key" ] || { echo "no admin key written"; exit 1; }
[ -s "$tmp/data/secrets.key" ] || { echo "no secrets key written"; exit 1; }
for f in data data/admin.key data/secrets.key data/opinia.db; do
  mode=$(stat -c %a "$tmp/$f")
  case $f in data) want=700 ;; *) want=600 ;; esac
  [ "$mode" = "$want" ] || { echo "$f has mode $mode, not $want"; exit 1; }
done
built=$(grep -o 'Built target [A-Za-z0-9_.+-]*' build/start-build.log | awk '{print $3}' | sort -u)
echo "start.sh built: $(echo $built)"
extra=$(echo "$built" | grep -E '_test$|_bench$|^opinia-(load|eval|train)$' || true)
if [ -n "$extra" ]; then echo "start.sh builds more than it needs: $extra"; exit 1; fi
echo "$built" | grep -qx opinia-server || { echo "opinia-server not built"; exit 1; }
echo "$built" | grep -qx opinia || { echo "opinia (client) not built"; exit 1; }
if grep -qE '^(Selecting|Unpacking|Setting up|Preparing)' "$tmp/out"; then
  echo "apt/dpkg screens in start.sh output"; exit 1
fi
addr=$(head -n1 "$tmp/ready")
build/service/cli/opinia --addr="$addr" --key-file="$tmp/data/admin.key" tenants list >/dev/null
echo "PASS: server on $addr answered"
