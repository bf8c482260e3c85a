#!/usr/bin/env bash
# Rebuilds every model file of models/ that opinia-train owns, reproducibly
# (LIBLINEAR's logistic regression is deterministic; one thread):
# lexicon.tsv, sentiment_pl.lin, sentiment_en.lin, sentiment_multi.lin and
# the stacked meta models sentiment_pl.meta, sentiment_multi.meta.
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
