#!/usr/bin/env bash
# Machine-translates the English review training data into Spanish, French,
# Italian and Portuguese with Apertium (rule-based, deterministic), for the
# review model of those languages (sentiment_romance, models/README.md).
# Training time only: nothing at run time uses Apertium or these files, and
# they are not committed (derived from the Blitzer / UCI data).
#
#   scripts/translate_reviews.sh [DATA_DIR] [OUT_DIR]
#     DATA_DIR  ../shared/data layout (default /work/shared/data)
#     OUT_DIR   default build/translated
#
# Needs: apt-get install apertium apertium-eng-spa apertium-fr-es \
#          apertium-spa-ita apertium-es-pt
# (English -> Catalan -> Italian was the first plan: Debian 12's eng-cat
# stops on some Amazon reviews, "t4x: line 4048: index > limit".)
#
# Writes OUT_DIR/sentiment/<lang>_<set>.<split>.tsv (lang, label, stars,
# text; the label and stars of the English row) for lang es (en -> es),
# fr (en -> es -> fr), it (en -> es -> it) and pt (en -> es -> pt), from
# en_amazon_reviews.{train,dev} and en_uci_sentences.train. Apertium's marks
# (unknown '*', untranslatable '#' and '@' before a word) are dropped. A file
# already complete (same number of rows as its source) is kept.
set -euo pipefail
DATA=${1:-/work/shared/data}
OUT=${2:-build/translated}
SETS=(en_amazon_reviews.train en_amazon_reviews.dev en_uci_sentences.train)
mkdir -p "$OUT/sentiment"
for mode in eng-spa es-fr es-pt spa-ita; do
  if ! apertium -l 2>/dev/null | tr -d " " | grep -qx "$mode"; then
    echo "translate_reviews.sh: apertium mode $mode missing (see the header)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

# translate MODE IN OUT: one text per line in, one per line out.
translate() {
  apertium -u "$1" "$2" | sed -E 's/(^|[[:space:](])[#@]([[:alpha:]])/\1\2/g' > "$3"
  local a b
  a=$(wc -l < "$2")
  b=$(wc -l < "$3")
  if [[ "$a" != "$b" ]]; then
    echo "translate_reviews.sh: $1 gave $b lines for $a" >&2
    exit 1
  fi
}

for set in "${SETS[@]}"; do
  src="$DATA/sentiment/$set.tsv"
  base=${set#en_}                     # amazon_reviews.train
  rows=$(($(wc -l < "$src") - 1))
  done_all=1
  for lang in es fr it pt; do
    f="$OUT/sentiment/${lang}_$base.tsv"
    if [[ ! -f "$f" || $(($(wc -l < "$f") - 1)) != "$rows" ]]; then done_all=0; fi
  done
  if [[ $done_all == 1 ]]; then
    echo "$set: kept ($rows rows per language)"
    continue
  fi
  tail -n +2 "$src" | cut -f2,3 > "$tmp/meta"
  # Apertium reads '^', '$', '\', '<', '>' as markup in places: blank them.
  tail -n +2 "$src" | cut -f4 | tr '^$\\<>' '     ' > "$tmp/en"
  echo "$set: $rows texts, en -> es ..."
  translate eng-spa "$tmp/en" "$tmp/es"
  echo "$set: es -> fr, es -> it, es -> pt ... ($((SECONDS - start)) s)"
  translate es-fr "$tmp/es" "$tmp/fr"
  translate spa-ita "$tmp/es" "$tmp/it"
  translate es-pt "$tmp/es" "$tmp/pt"
  for lang in es fr it pt; do
    f="$OUT/sentiment/${lang}_$base.tsv"
    {
      printf 'lang\tlabel\tstars\ttext\n'
      paste "$tmp/meta" "$tmp/$lang" | awk -F'\t' -v OFS='\t' -v l="$lang" \
        '{ gsub(/[[:space:]]+$/, "", $3); print l, $1, $2, $3 }'
    } > "$f.part"
    mv "$f.part" "$f"
  done
  echo "$set: done ($((SECONDS - start)) s)"
done
echo "translations in $OUT/sentiment ($((SECONDS - start)) s)"
