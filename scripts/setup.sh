#!/usr/bin/env bash
# Installs everything Opinia needs to build and test, from Debian 12 packages.
# Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler  # gRPC API
  libabsl-dev                       # Status, flags, time, synchronization
  libicu-dev                        # Unicode normalisation, segmentation, calendars
  libsqlite3-dev sqlite3            # embedded storage
  libpq-dev                         # PostgreSQL backend (libpq client library)
  postgresql                        # PostgreSQL server for the tests and scripts/pg.sh (initdb, pg_ctl)
  libfasttext-dev fasttext          # language identification (lid.176.ftz)
  liblinear-dev                     # trains the sentiment models (opinia-train; the analyzer reads the weights itself)
  libcld2-dev                       # language identification
  libssl-dev                        # SHA-256 / HMAC, CSPRNG, AES-GCM, JWT signing
  libcurl4-openssl-dev              # HTTP client (webhooks, collectors)
  prometheus-cpp-dev                # /metrics endpoint (Prometheus exposition)
  libcpp-httplib-dev                # HTTP/JSON API and dashboard server (service/http; built with OpenSSL for HTTPS)
  curl jq                           # the JSON API's curl walkthrough (examples/curl, its test)
  chromium                          # the dashboard rendered in a real browser (contract check_web, browser tests)
  linux-perf valgrind               # profiling (bench/README: opinia-load)
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  python3-grpcio python3-protobuf   # outside contract checks (../shared/contract)
  chromium-driver python3-selenium  # drive chromium in the dashboard's browser tests (tests/browser)
)

# The Node.js example clients' packages (examples/node/package-lock.json)
# from the npm registry with the machine's Node.js and npm; their test
# (examples_node_test) fails naming `npm ci` when they are missing.
node_examples() {
  if ! command -v npm >/dev/null; then
    echo "setup: npm not found: examples/node is not installed (examples_node_test will fail)"
    return
  fi
  local start=$SECONDS
  echo -n "setup: npm ci in examples/node ... "
  local out
  if ! out=$(cd "$(dirname "$0")/../examples/node" && npm ci --no-audit --no-fund 2>&1); then
    echo "failed:"
    echo "$out" | tail -n 30
    exit 1
  fi
  echo "done ($((SECONDS - start)) s)"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  node_examples
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# apt's and dpkg's screens of Unpacking/Setting up go to a log; one line per step
# here, and the log's tail if a step fails.
log=$(mktemp /tmp/opinia-setup.XXXXXX.log)
step() {
  local what=$1; shift
  local start=$SECONDS
  echo -n "setup: $what ... "
  if ! "$@" >>"$log" 2>&1; then
    echo "failed; the last lines of $log:"
    tail -n 30 "$log"
    exit 1
  fi
  echo "done ($((SECONDS - start)) s)"
}
echo "setup: ${#missing[@]} of ${#packages[@]} packages missing: ${missing[*]}"
step "apt-get update" $sudo apt-get update -q
step "apt-get install (${#missing[@]} packages)" \
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
rm -f "$log"
node_examples
