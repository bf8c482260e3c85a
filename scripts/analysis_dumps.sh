#!/bin/bash
# Writes every opinia-eval dump a behaviour-preserving change must leave
# byte-identical into OUTDIR: the spent case tables cases, cases3 … cases25
# (--split=all), the corpus dev fifth, and the pl/en/tweets dev splits
# (plain, --stars, --source=twitter); timing lines are dropped. Then every
# field of every Analysis (floats in hex, bench/analysis_fields.cc) of all
# the spent tables, the whole corpus and the three dev splits, each text
# with and without options. Compare two trees' runs with `diff -r`. Never
# reads the fresh tables (cases25, cases26) or the test splits.
#   scripts/analysis_dumps.sh OUTDIR [BUILD_DIR] [MODELS_DIR]
set -euo pipefail
out=${1:?usage: $0 OUTDIR [BUILD_DIR] [MODELS_DIR]}
build=${2:-build}
models=${3:-models}
data=${OPINIA_DATA_DIR:-/work/shared/data}/sentiment
eval=$build/nlp/tools/opinia-eval
mkdir -p "$out"
untimed() { grep -v -i "seconds\|MB/s\|reviews/s\|per second" || true; }
spent="cases cases3 cases4 cases5 cases6 cases7 cases8 cases9 cases10 cases11 cases12 cases13 cases14 cases15 cases16 cases17 cases18 cases19 cases20 cases21 cases22 cases23 cases24 cases25"
for t in $spent; do
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
tables=()
for t in $spent; do tables+=(nlp/eval/${t}_*.tsv); done
"$build/bench/opinia_analysis_fields" --models="$models" "${tables[@]}" nlp/corpus/shop_*.tsv \
  "$data/pl_clarin_emo.dev.tsv" "$data/en_amazon_reviews.dev.tsv" "$data/multi_tweets.dev.tsv" \
  > "$out/fields.txt" 2> "$out/fields.log"
