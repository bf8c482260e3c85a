#!/usr/bin/env bash
# Rebuilds every model file of models/ that opinia-train owns, reproducibly
# (LIBLINEAR's logistic regression is deterministic; one thread):
# lexicon.tsv, the sentiment model of every row of opinia-train's training
# table (nlp/tools/train_main.cc, Specs(): sentiment_<name>.lin and its
# stacked meta model .meta), the table the analyzer reads,
# sentiment_models.tsv, the clause models (clause_<lang>.lin), the
# post/review router router.lin (training files under BUILD_DIR/clause_data
# and router_data) and the aspect detector (aspect_detect.lin; its
# thresholds: scripts/aspect_detect_tune.sh); then the label arbiter
# label_arbiter.meta and last the aspect-sign arbiter aspect_signs.meta,
# each fitted on what the analyzer with the models above computes over the
# corpus dev part and the spent case tables of nlp/eval (and, for the label
# arbiter, the ../shared/data review dev splits; models/README.md). The
# review and clause models train on every spent table (cases..cases10);
# the arbiters read each table with models trained without it, retrained
# per fold under BUILD_DIR/crossfit (--crossfit=3, the default).
# lid.176.ftz is copied from the data set as shipped. Takes ~10 min of CPU
# (the three cross-fitting folds most of it),
# plus ~2 min the first time for scripts/translate_reviews.sh, which
# machine-translates the English reviews for sentiment_romance into
# BUILD_DIR/translated (needs the Apertium packages named there; training
# time only), and ~1 min for scripts/translate_tables.sh, the English rows
# of the spent case tables into BUILD_DIR/translated/tables.
#   scripts/train_models.sh [DATA_DIR] [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${1:-${OPINIA_DATA_DIR:-/work/shared/data}}"
BUILD="${2:-$ROOT/build}"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$BUILD" --target opinia-train -j2
"$ROOT/scripts/translate_reviews.sh" "$DATA" "$BUILD/translated"
# The English rows of the spent tables, translated for the Romance review
# model (opinia-train --translated_table_weights): the tables opinia-train
# trains on by default (kTrainingTablesFlag: spent tables only, never a
# fresh held-out one), asked from opinia-train so the two cannot drift.
mapfile -t tables < <("$BUILD/nlp/tools/opinia-train" --print_training_tables)
"$ROOT/scripts/translate_tables.sh" "$ROOT/nlp/eval" "$BUILD/translated/tables" "${tables[@]}"
cp "$DATA/models/lid.176.ftz" "$ROOT/models/lid.176.ftz"
chmod 644 "$ROOT/models/lid.176.ftz"
"$BUILD/nlp/tools/opinia-train" --data="$DATA" --translated="$BUILD/translated" \
  --corpus="$ROOT/nlp/corpus" --clause_dir="$BUILD/clause_data" --cases="$ROOT/nlp/eval" \
  --router_dir="$BUILD/router_data" --crossfit_dir="$BUILD/crossfit" \
  --out="$ROOT/models"
ls -l "$ROOT/models"
