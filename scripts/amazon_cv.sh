#!/usr/bin/env bash
# The English review model's k-fold check (models/README.md, "Sixteenth
# pass: the English floor"): the Amazon train and dev reviews in K folds
# (FNV-1a 64 of the text; scripts/amazon_cv.py split); for each setting and
# fold, sentiment_en is retrained (opinia-train --only=en, every other model
# copied from --models) on the other K-1 folds + the UCI sentences + the
# shop corpus + the case tables, and the full analyzer (opinia-eval, text
# only) reads the held-out fold. Right answers are summed over the folds,
# with the paired standard error of each setting against --baseline. The
# test split is never read.
#
#   scripts/amazon_cv.sh [--data=DIR] [--models=DIR] [--build=DIR] [--folds=K]
#       [--limit=N] [--grid=C,C,...xW,W,...] [--setting=NAME:FLAGS]...
#       [--baseline=NAME] [--train_flags=FLAGS] [--guards] [--crossfit=DIR]
#       [--keep] OUT
#
# --grid adds the settings c<C>w<W> (--sentiment_c=en=C
# --table_weights=en=W,pl=1); --setting=NAME:FLAGS adds one with any
# opinia-train flags (default: the shipped model, "shipped" with no flag).
# --baseline (default: the first setting) is what the others are paired
# with. --train_flags go to every opinia-train run (a test's
# --train_tables=-). --limit=N: the first N reviews only (a tiny slice).
# --guards: also each setting's model trained as shipped (all the Amazon
# train reviews) read on en_amazon_reviews.dev (plain and --stars) and the
# corpus dev part's English rows. --crossfit=DIR (build/crossfit, made by
# scripts/train_models.sh): also the spent tables' English rows out of
# fold: DIR/foldG copied and its English model retrained at the setting
# without the tables of group G (opinia-train --print_crossfit_groups),
# which it then reads (--split=all); a table in no group (cases7..cases9)
# is read by --models with the English model retrained without it alone.
# Finished parts (OUT/<NAME>/fold<k>.dump, ...) are kept, so a
# run can be resumed or extended. --keep keeps the models trained.
# Run from the source tree (nlp/corpus, nlp/eval are read from there).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=/work/shared/data models=$root/models build=$root/build
folds=5 limit=0 baseline="" train_flags="" guards=0 crossfit="" keep=0
settings=()
abspath() { [[ $1 == /* ]] && echo "$1" || echo "$PWD/$1"; }
for a in "$@"; do
  case $a in
    --data=*) data=$(abspath "${a#*=}") ;;
    --models=*) models=$(abspath "${a#*=}") ;;
    --build=*) build=$(abspath "${a#*=}") ;;
    --folds=*) folds=${a#*=} ;;
    --limit=*) limit=${a#*=} ;;
    --baseline=*) baseline=${a#*=} ;;
    --train_flags=*) train_flags=${a#*=} ;;
    --guards) guards=1 ;;
    --crossfit=*) crossfit=$(abspath "${a#*=}") ;;
    --keep) keep=1 ;;
    --setting=*) settings+=("${a#*=}") ;;
    --grid=*)
      g=${a#*=}
      IFS=, read -r -a cs <<< "${g%x*}"
      IFS=, read -r -a ws <<< "${g#*x}"
      for c in "${cs[@]}"; do
        for w in "${ws[@]}"; do
          settings+=("c${c}w${w}:--sentiment_c=en=$c --table_weights=en=$w,pl=1")
        done
      done ;;
    -*) echo "amazon_cv: unknown flag $a" >&2; exit 2 ;;
    *) out=$(abspath "$a") ;;
  esac
done
[[ -n ${out:-} ]] || { sed -n '2,31p' "$0" >&2; exit 2; }
(( ${#settings[@]} )) || settings=("shipped:")
names=()
for s in "${settings[@]}"; do names+=("${s%%:*}"); done
[[ -n $baseline ]] || baseline=${names[0]}
train=$build/nlp/tools/opinia-train
eval=$build/nlp/tools/opinia-eval
[[ -x $train && -x $eval ]] || { echo "amazon_cv: build opinia-train and opinia-eval in $build" >&2; exit 1; }
[[ -f $models/sentiment_en.lin ]] || { echo "amazon_cv: no models in $models" >&2; exit 1; }
cd "$root"
mkdir -p "$out"
if [[ ! -f $out/folds/fold0/heldout.tsv ]]; then
  python3 "$root/scripts/amazon_cv.py" split "$data" "$out/folds" "$folds" "$limit"
fi

# train_en DIR DATA FLAGS...: DIR's English review model retrained.
train_en() {
  local dir=$1 d=$2
  shift 2
  # shellcheck disable=SC2086
  nice "$train" --data="$d" --out="$dir" --only=en "$@" $train_flags
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

for s in "${settings[@]}"; do
  name=${s%%:*} flags=${s#*:}
  read -r -a fl <<< "$flags"
  mkdir -p "$out/$name"
  for ((k = 0; k < folds; ++k)); do
    dump=$out/$name/fold$k.dump
    [[ -f $dump ]] && continue
    m=$out/$name/fold$k.models
    rm -rf "$m" && mkdir -p "$m" && cp -r "$models"/. "$m"/
    t0=$(now)
    train_en "$m" "$out/folds/fold$k/data" "${fl[@]}" > "$out/$name/fold$k.train.log" 2>&1 ||
      { echo "amazon_cv: $name fold $k: opinia-train failed ($out/$name/fold$k.train.log)" >&2; exit 1; }
    t1=$(now)
    rm -f "$dump.part"
    nice "$eval" --models="$m" --dump="$dump.part" "$out/folds/fold$k/heldout.tsv" \
      > "$out/$name/fold$k.eval.txt" 2>&1 ||
      { echo "amazon_cv: $name fold $k: opinia-eval failed" >&2; exit 1; }
    mv "$dump.part" "$dump"
    echo "amazon_cv: $name fold $k: trained in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, read in $(secs "$t1") s"
    (( keep )) || rm -rf "$m"
  done
  if (( guards )) && [[ ! -f $out/$name/guard_corpus.txt ]]; then
    m=$out/$name/full.models
    rm -rf "$m" && mkdir -p "$m" && cp -r "$models"/. "$m"/
    train_en "$m" "$data" "${fl[@]}" > "$out/$name/full.train.log" 2>&1 ||
      { echo "amazon_cv: $name: opinia-train failed" >&2; exit 1; }
    nice "$eval" --models="$m" "$data/sentiment/en_amazon_reviews.dev.tsv" > "$out/$name/guard_dev.txt"
    nice "$eval" --models="$m" --stars "$data/sentiment/en_amazon_reviews.dev.tsv" \
      > "$out/$name/guard_stars.txt"
    nice "$eval" --models="$m" --cases="$root/nlp/corpus" --table=shop --split=corpus_dev \
      --lang=en --dump > "$out/$name/guard_corpus.txt"
    (( keep )) || rm -rf "$m"
  fi
  if [[ -n $crossfit ]]; then
    all=$("$train" --print_training_tables | paste -sd, -)
    while IFS=$'\t' read -r g group; do
      [[ -n $group ]] || continue
      IFS=, read -r -a held <<< "$group"
      [[ -f $out/$name/oof_${held[-1]}.txt ]] && continue
      keepers=$(tr , '\n' <<< "$all" | grep -vxF -f <(tr , '\n' <<< "$group") | paste -sd, -)
      m=$out/$name/crossfit$g.models
      rm -rf "$m" && mkdir -p "$m" && cp -r "$crossfit/fold$g"/. "$m"/
      t0=$(now)
      train_en "$m" "$data" "${fl[@]}" --train_tables="$keepers" \
        > "$out/$name/crossfit$g.train.log" 2>&1 ||
        { echo "amazon_cv: $name crossfit fold $g: opinia-train failed" >&2; exit 1; }
      for t in "${held[@]}"; do
        nice "$eval" --models="$m" --cases="$root/nlp/eval" --table="$t" --split=all --lang=en \
          --dump > "$out/$name/oof_$t.txt.part"
        mv "$out/$name/oof_$t.txt.part" "$out/$name/oof_$t.txt"
      done
      echo "amazon_cv: $name crossfit fold $g (without $group): $(secs "$t0") s"
      (( keep )) || rm -rf "$m"
    done < <("$train" --print_crossfit_groups)
    # The tables in no group (cases7..cases9, which every fold trains on):
    # left out one at a time, with the other models of --models.
    grouped=$("$train" --print_crossfit_groups | cut -f2 | paste -sd, -)
    for t in $(tr , '\n' <<< "$all" | grep -vxF -f <(tr , '\n' <<< "$grouped")); do
      [[ -f $out/$name/oof_$t.txt ]] && continue
      keepers=$(tr , '\n' <<< "$all" | grep -vxF "$t" | paste -sd, -)
      m=$out/$name/without_$t.models
      rm -rf "$m" && mkdir -p "$m" && cp -r "$models"/. "$m"/
      train_en "$m" "$data" "${fl[@]}" --train_tables="$keepers" \
        > "$out/$name/without_$t.train.log" 2>&1 ||
        { echo "amazon_cv: $name without $t: opinia-train failed" >&2; exit 1; }
      nice "$eval" --models="$m" --cases="$root/nlp/eval" --table="$t" --split=all --lang=en \
        --dump > "$out/$name/oof_$t.txt.part"
      mv "$out/$name/oof_$t.txt.part" "$out/$name/oof_$t.txt"
      (( keep )) || rm -rf "$m"
    done
  fi
done

echo "== Amazon train+dev, $folds folds, held-out fold read by the analyzer (text only)"
python3 "$root/scripts/amazon_cv.py" summary "$out" "$folds" "$baseline" "${names[@]}" |
  tee "$out/summary.txt"
if (( guards )); then
  echo "== guards (the setting trained on all the Amazon train reviews)"
  for n in "${names[@]}"; do
    acc() { grep -m1 -o 'accuracy[ =:]*[0-9.]*' "$1" | grep -o '[0-9.]*$' || echo '?'; }
    corpus=$(grep -c $'\tok\t' "$out/$n/guard_corpus.txt" || true)
    rows=$(grep -cE $'\t(ok|WRONG)\t' "$out/$n/guard_corpus.txt" || true)
    printf '%-28s en dev %s  --stars %s  corpus dev en labels %s of %s\n' "$n" \
      "$(acc "$out/$n/guard_dev.txt")" "$(acc "$out/$n/guard_stars.txt")" "$corpus" "$rows"
  done | tee "$out/guards.txt"
fi
if [[ -n $crossfit ]]; then
  echo "== spent tables, English rows, out of fold (labels right)"
  python3 "$root/scripts/amazon_cv.py" cases "$out" "$baseline" "${names[@]}" |
    tee "$out/spent_tables.txt"
fi
