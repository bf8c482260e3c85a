#!/bin/bash
# Writes every opinia-eval dump a behaviour-preserving change must leave
# byte-identical into OUTDIR: the spent case tables cases, cases3 … cases9
# (--split=all), the corpus dev fifth, and the pl/en/tweets dev splits
# (plain, --stars, --source=twitter); timing lines are dropped. Compare two
# trees' runs with `diff -r`. Never reads the fresh table (cases10) or the test splits.
#   scripts/analysis_dumps.sh OUTDIR [BUILD_DIR] [MODELS_DIR]
set -euo pipefail
out=${1:?usage: $0 OUTDIR [BUILD_DIR] [MODELS_DIR]}
build=${2:-build}
models=${3:-models}
data=${OPINIA_DATA_DIR:-/work/shared/data}/sentiment
eval=$build/nlp/tools/opinia-eval
mkdir -p "$out"
untimed() { grep -v -i "seconds\|MB/s\|reviews/s\|per second" || true; }
for t in cases cases3 cases4 cases5 cases6 cases7 cases8 cases9; do
  "$eval" --models="$models" --cases=nlp/eval --table=$t --split=all --dump > "$out/$t.txt" 2>&1
done
"$eval" --models="$models" --cases=nlp/corpus --table=shop --split=corpus_dev --dump \
  > "$out/corpus_dev.txt" 2>&1
rm -f "$out"/dump_*.tsv
"$eval" --models="$models" --dump="$out/dump_plain.tsv" "$data/pl_clarin_emo.dev.tsv" \
  "$data/en_amazon_reviews.dev.tsv" "$data/multi_tweets.dev.tsv" 2>&1 | untimed > "$out/plain.txt"
"$eval" --models="$models" --stars --dump="$out/dump_stars.tsv" \
  "$data/en_amazon_reviews.dev.tsv" 2>&1 | untimed > "$out/stars.txt"
"$eval" --models="$models" --source=twitter --dump="$out/dump_twitter.tsv" \
  "$data/multi_tweets.dev.tsv" 2>&1 | untimed > "$out/twitter.txt"
