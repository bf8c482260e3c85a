#!/usr/bin/env bash
# scripts/amazon_cv.sh on a tiny slice: a made-up data folder of 16 Amazon
# train + 6 dev reviews (and a test split that must never be read), the
# first 20 in 2 folds, the English review model retrained without the case
# tables (--train_flags=--train_tables=-) at two settings, the second twice
# under another name (paired difference 0, standard error 0). Checks that
# the folds partition the slice and leave the test split out, that every
# held-out review is read once per setting, the summary's counts against
# the dumps, the guards, and opinia-train --print_crossfit_groups.
set -euo pipefail
root=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
data=$tmp/data
mkdir -p "$data/sentiment"
pos=("Great kettle, works perfectly." "I love this book, a wonderful read." "Excellent quality, highly recommended."
     "Fantastic sound and easy to set up." "Best purchase this year, very happy." "Superb story, I could not put it down."
     "Works great and arrived early." "Lovely design and very sturdy." "Brilliant value, would buy again."
     "A delightful album from start to finish." "Very comfortable and fits well.")
neg=("Terrible kettle, it leaks." "Boring book, a waste of money." "Poor quality, broke after a day."
     "Awful sound and hard to set up." "Worst purchase this year, very unhappy." "Dull story, I gave up."
     "Stopped working and arrived late." "Ugly design and flimsy." "Useless, returned it at once."
     "A dreadful album, skip it." "Very uncomfortable and too small.")
{
  printf 'lang\tlabel\tstars\ttext\n'
  for i in 0 1 2 3 4 5 6 7; do
    printf 'en\tpositive\t5\t%s\n' "${pos[$i]}"
    printf 'en\tnegative\t1\t%s\n' "${neg[$i]}"
  done
} > "$data/sentiment/en_amazon_reviews.train.tsv"
{
  printf 'lang\tlabel\tstars\ttext\n'
  for i in 8 9 10; do
    printf 'en\tpositive\t4\t%s\n' "${pos[$i]}"
    printf 'en\tnegative\t2\t%s\n' "${neg[$i]}"
  done
} > "$data/sentiment/en_amazon_reviews.dev.tsv"
printf 'lang\tlabel\tstars\ttext\nen\tpositive\t5\tNEVER READ\n' > "$data/sentiment/en_amazon_reviews.test.tsv"
{
  printf 'lang\tlabel\tstars\ttext\n'
  printf 'en\tpositive\t\tGood food.\nen\tnegative\t\tBad service.\n'
} > "$data/sentiment/en_uci_sentences.train.tsv"
mkdir -p "$data/lexicons"

out=$tmp/cv
"$root/scripts/amazon_cv.sh" --data="$data" --models="$root/models" --build="$build" \
  --folds=2 --limit=20 --train_flags=--train_tables=- --guards \
  --setting="c8:--sentiment_c=en=8" --setting="c32:--sentiment_c=en=32" \
  --setting="again:--sentiment_c=en=32" --baseline=c32 "$out" > "$tmp/log" 2>&1 ||
  { cat "$tmp/log"; fail "amazon_cv.sh failed"; }

# The folds: 20 reviews (16 train + the first 4 dev), each held out once;
# each fold's training file is the other fold; no test split anywhere.
held=0
for k in 0 1; do
  h=$(( $(wc -l < "$out/folds/fold$k/heldout.tsv") - 1 ))
  t=$(( $(wc -l < "$out/folds/fold$k/data/sentiment/en_amazon_reviews.train.tsv") - 1 ))
  (( h + t == 20 )) || fail "fold $k: $h held out + $t trained != 20"
  held=$((held + h))
  [[ ! -e $out/folds/fold$k/data/sentiment/en_amazon_reviews.test.tsv ]] || fail "fold $k links the test split"
  [[ ! -e $out/folds/fold$k/data/sentiment/en_amazon_reviews.dev.tsv ]] || fail "fold $k has a dev split"
  [[ -e $out/folds/fold$k/data/sentiment/en_uci_sentences.train.tsv ]] || fail "fold $k: no UCI sentences"
done
(( held == 20 )) || fail "$held reviews held out, want 20"
cat "$out"/folds/fold*/heldout.tsv | grep -v '^lang' | sort > "$tmp/held"
{ tail -n +2 "$data/sentiment/en_amazon_reviews.train.tsv"
  tail -n +2 "$data/sentiment/en_amazon_reviews.dev.tsv" | head -n 4; } | sort > "$tmp/slice"
cmp -s "$tmp/held" "$tmp/slice" || fail "the held-out folds are not the slice"
! grep -rq "NEVER READ" "$out" || fail "the test split was read"

# Every held-out review read once per setting; the summary counts the dumps.
for s in c8 c32 again; do
  for k in 0 1; do
    [[ -f $out/$s/fold$k.dump ]] || fail "no $s/fold$k.dump"
    [[ ! -e $out/$s/fold$k.models ]] || fail "$s/fold$k.models kept without --keep"
  done
  n=$(cat "$out/$s"/fold*.dump | wc -l)
  (( n == 20 )) || fail "$s: $n answers, want 20"
  right=$(cat "$out/$s"/fold*.dump | awk -F'\t' 'tolower($2) == tolower($3)' | wc -l)
  grep -Eq "^$s +[0-9]+ +[0-9]+ +$right +20 " "$out/summary.txt" ||
    fail "$s: summary does not read $right of 20: $(cat "$out/summary.txt")"
  grep -q "^$s .*en dev [0-9.]*  --stars [0-9.]*  corpus dev en labels [0-9]* of [1-9]" "$out/guards.txt" ||
    fail "$s: guards: $(cat "$out/guards.txt")"
done
# --sentiment_c reached the English model, and no other model was trained.
grep -q "sentiment_en.lin: .* texts, C 8$" "$out/c8/fold0.train.log" || fail "c8: $(cat "$out/c8/fold0.train.log")"
grep -q "sentiment_en.lin: .* texts, C 32$" "$out/c32/fold1.train.log" || fail "c32: C not 32"
[[ $(grep -c "^training " "$out/c8/fold0.train.log") == 1 ]] || fail "c8: another model trained"
grep -Eq '^again .* \+0 \(SE  0\.0' "$out/summary.txt" ||
  fail "the same setting twice is not paired at 0: $(cat "$out/summary.txt")"
# A second run finds everything done and only prints the summary.
"$root/scripts/amazon_cv.sh" --data="$data" --models="$root/models" --build="$build" \
  --folds=2 --limit=20 --setting="c32:--sentiment_c=en=32" "$out" > "$tmp/log2" 2>&1 ||
  fail "rerun failed: $(cat "$tmp/log2")"
! grep -q "trained in" "$tmp/log2" || fail "rerun trained again"

# The cross-fitting groups: spent tables of the default training tables,
# none in two groups.
train=$build/nlp/tools/opinia-train
"$train" --print_crossfit_groups > "$tmp/groups"
(( $(wc -l < "$tmp/groups") >= 2 )) || fail "fewer than 2 groups"
cut -f2 "$tmp/groups" | tr , '\n' | grep . | sort > "$tmp/grouped"
[[ -z $(uniq -d "$tmp/grouped") ]] || fail "a table in two groups"
"$train" --print_training_tables | sort > "$tmp/all"
[[ -z $(comm -23 "$tmp/grouped" "$tmp/all") ]] || fail "a grouped table is not a training table"
echo "amazon_cv_test: ok"
