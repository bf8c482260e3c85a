#!/usr/bin/env bash
# opinia-train --print_training_tables, which scripts/train_models.sh uses to
# name the tables it machine-translates: one table a line, at least one,
# each a case table of nlp/eval with an English file (translate_tables.sh
# needs it), no table twice, and nothing else printed.
set -euo pipefail
train=$1
root=$2
mapfile -t tables < <("$train" --print_training_tables)
fail() { echo "FAIL: $*"; exit 1; }
(( ${#tables[@]} > 0 )) || fail "no table printed"
for t in "${tables[@]}"; do
  [[ $t =~ ^cases[0-9]*$ ]] || fail "not a table name: '$t'"
  [[ -f $root/nlp/eval/${t}_en.tsv ]] || fail "$t: no nlp/eval/${t}_en.tsv"
done
dups=$(printf '%s\n' "${tables[@]}" | sort | uniq -d)
[[ -z $dups ]] || fail "listed twice: $dups"
echo "print_training_tables_test: ok (${#tables[@]} tables)"
