#!/usr/bin/env bash
# Rebuilds every model file of models/ that opinia-train owns, reproducibly
# (LIBLINEAR's logistic regression is deterministic; one thread):
# lexicon.tsv, the sentiment model of every row of opinia-train's training
# table (nlp/tools/train_main.cc, Specs(): sentiment_<name>.lin and its
# stacked meta model .meta) and the table the analyzer reads,
# sentiment_models.tsv.
# lid.176.ftz is copied from the data set as shipped. Takes ~30 s of CPU.
#   scripts/train_models.sh [DATA_DIR] [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${1:-${OPINIA_DATA_DIR:-/work/shared/data}}"
BUILD="${2:-$ROOT/build}"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$BUILD" --target opinia-train -j2
cp "$DATA/models/lid.176.ftz" "$ROOT/models/lid.176.ftz"
chmod 644 "$ROOT/models/lid.176.ftz"
"$BUILD/nlp/tools/opinia-train" --data="$DATA" --out="$ROOT/models"
ls -l "$ROOT/models"
