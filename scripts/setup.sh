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
  libfasttext-dev fasttext          # language identification (lid.176.ftz)
  liblinear-dev                     # trains the sentiment models (opinia-train; the analyzer reads the weights itself)
  libcld2-dev                       # language identification
  libssl-dev                        # SHA-256 / HMAC, CSPRNG for API keys
  libcurl4-openssl-dev              # HTTP client (webhooks, collectors)
  prometheus-cpp-dev                # /metrics endpoint (Prometheus exposition)
  linux-perf valgrind               # profiling (bench/README: opinia-load)
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  python3-grpcio python3-protobuf   # outside contract checks (../shared/contract)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
