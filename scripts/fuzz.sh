#!/usr/bin/env bash
# Builds the libFuzzer target for Analyzer::Analyze with clang (ASan+UBSan on
# our code) and runs it. Not part of the default CI run.
#   scripts/fuzz.sh [SECONDS]   (default 60)
# Needs: apt-get install -y clang libclang-rt-14-dev
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${OPINIA_FUZZ_BUILD:-$ROOT/build-fuzz}"
SECONDS_TO_RUN="${1:-60}"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DOPINIA_FUZZ=ON -DOPINIA_BUILD_TESTS=OFF -DOPINIA_BUILD_BENCH=OFF \
  -DOPINIA_SANITIZE=asan >/dev/null
cmake --build "$BUILD" --target opinia_analyzer_fuzz -j2
CORPUS="$BUILD/fuzz-corpus"
mkdir -p "$CORPUS"
# Seed corpus: a few real reviews and hostile inputs.
printf 'Nie polecam, obsługa fatalna :(' > "$CORPUS/pl"
printf 'Great product, but shipping was slow 👍' > "$CORPUS/en"
printf 'ab\xff\xfe\xc3 \xed\xa0\x80' > "$CORPUS/invalid"
export OPINIA_MODELS_DIR="$ROOT/models"
"$BUILD/nlp/tools/opinia_analyzer_fuzz" "$CORPUS" -max_total_time="$SECONDS_TO_RUN" \
  -max_len=4096 -rss_limit_mb=2048
