#!/usr/bin/env bash
# Chooses the aspect detector's thresholds on dev (models/README.md, "Aspect
# detection (seventh pass)"): dumps the dev tables (the shop corpus's dev
# part, all halves of the spent tables nlp/eval cases, cases3..cases10; never
# cases11, cases12 or a test split) without the detector and with one that adds every missing aspect,
# writes the detector's probabilities, and runs
# scripts/aspect_detect_thresholds.py on them (thresholds per aspect and the
# out-of-fold table). The thresholds it prints go into
# kAspectDetectChoices (nlp/tools/train_main.cc).
#   scripts/aspect_detect_tune.sh [BUILD_DIR] [WORK_DIR] [-- script flags]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
WORK="${2:-$BUILD/aspect_detect_tune}"
shift $(( $# > 2 ? 2 : $# )) || true
TABLES="cases cases3 cases4 cases5 cases6 cases7 cases8 cases9 cases10"
[ "${1:-}" = "--" ] && shift
cmake --build "$BUILD" --target opinia-train opinia-eval opinia-aspect-probs -j2
rm -rf "$WORK"
mkdir -p "$WORK/terms" "$WORK/every" "$WORK/models_terms" "$WORK/models_every"
for f in "$ROOT"/models/*; do
  case "$(basename "$f")" in aspect_detect.lin|README.md) continue ;; esac
  ln -s "$f" "$WORK/models_terms/"
  ln -s "$f" "$WORK/models_every/"
done
# opinia-train rewrites the table the analyzer reads: a copy, not a link
# into the repository's models/.
rm -f "$WORK/models_every/sentiment_models.tsv"
cp "$ROOT/models/sentiment_models.tsv" "$WORK/models_every/"
"$BUILD/nlp/tools/opinia-train" --out="$WORK/models_every" --only=aspect_detect \
  --corpus="$ROOT/nlp/corpus" --aspect_add=0 --aspect_drop=0
for side in terms every; do
  for t in $TABLES; do
    "$BUILD/nlp/tools/opinia-eval" --models="$WORK/models_$side" --cases="$ROOT/nlp/eval" \
      --table=$t --split=all --dump > "$WORK/$side/$t.txt" 2>/dev/null
  done
  "$BUILD/nlp/tools/opinia-eval" --models="$WORK/models_$side" --cases="$ROOT/nlp/corpus" \
    --table=shop --split=corpus_dev --dump > "$WORK/$side/shop.txt" 2>/dev/null
done
for t in $TABLES; do
  files=()
  for lang in pl en de es fr it; do
    [ -f "$ROOT/nlp/eval/${t}_$lang.tsv" ] && files+=("$ROOT/nlp/eval/${t}_$lang.tsv")
  done
  "$BUILD/nlp/tools/opinia-aspect-probs" --models="$WORK/models_every" "${files[@]}" \
    > "$WORK/every/$t.probs"
done
"$BUILD/nlp/tools/opinia-aspect-probs" --models="$WORK/models_every" \
  "$ROOT"/nlp/corpus/shop_*.tsv > "$WORK/every/shop.probs"
python3 "$ROOT/scripts/aspect_detect_thresholds.py" "$WORK/terms" "$WORK/every" "$@"
