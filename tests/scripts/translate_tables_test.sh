#!/usr/bin/env bash
# scripts/translate_tables.sh's table handling, with a stand-in for Apertium
# on PATH (it tags each line with its mode behind Apertium's '#' mark, which
# the script drops): every
# English row of a named table becomes a row of <table>_<lang>.tsv for es,
# fr, it with its id's language, its label (all right labels), aspects,
# urgency and reasons kept and its text translated; rows of other languages
# and short lines are left out; a table that is missing is an error; a
# complete file is kept.
set -euo pipefail
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/cases"
cat > "$tmp/bin/apertium" <<'STUB'
#!/usr/bin/env bash
if [[ $1 == -l ]]; then printf '  eng-spa\n  es-fr\n  spa-ita\n'; exit 0; fi
sed "s/^/#$2: /" "$3"
STUB
chmod +x "$tmp/bin/apertium"
T=$'\t'
{
  printf 'id\tcategory\trating\ttext\tlabel\taspects\turgent\treasons\n'
  printf 'en-mix-01\tmixed\t3\tGood pump, slow delivery.\tMIXED|NEGATIVE\tDELIVERY:NEG\tno\t\n'
  printf 'en-urg-02\turgency\t\tIt sparked <twice>.\tNEGATIVE\tPRODUCT_QUALITY:NEG\tyes\tSAFETY\n'
  printf 'en-short\tx\n'
  printf 'de-x-03\tneutral\t\tEs kam an.\tNEUTRAL\t\tno\t\n'
} > "$tmp/cases/cases9_en.tsv"
run() { PATH="$tmp/bin:$PATH" "$root/scripts/translate_tables.sh" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

run "$tmp/cases" "$tmp/out" cases9 > "$tmp/log"
for lang in es fr it; do
  f="$tmp/out/cases9_$lang.tsv"
  [[ -f $f ]] || fail "no $f"
  [[ $(wc -l < "$f") == 3 ]] || fail "$f: $(wc -l < "$f") lines, want header + 2"
  head -n 1 "$f" | grep -qx "id${T}category${T}rating${T}text${T}label${T}aspects${T}urgent${T}reasons" ||
    fail "$f: header"
  awk -F'\t' 'NR > 1 && NF != 8 { exit 1 }' "$f" || fail "$f: a row without 8 fields"
done
row() { sed -n "$2p" "$tmp/out/cases9_$1.tsv"; }
[[ $(row es 2) == "es-mix-01${T}mixed${T}3${T}eng-spa: Good pump, slow delivery.${T}MIXED|NEGATIVE${T}DELIVERY:NEG${T}no${T}" ]] ||
  fail "es row 1: $(row es 2)"
# fr and it are translated from the Spanish; '<', '>' blanked for Apertium.
[[ $(row fr 3) == "fr-urg-02${T}urgency${T}${T}es-fr: eng-spa: It sparked  twice .${T}NEGATIVE${T}PRODUCT_QUALITY:NEG${T}yes${T}SAFETY" ]] ||
  fail "fr row 2: $(row fr 3)"
[[ $(row it 2 | cut -f1,4) == "it-mix-01${T}spa-ita: eng-spa: Good pump, slow delivery." ]] ||
  fail "it row 1: $(row it 2)"
# Kept when complete; a missing table is an error.
run "$tmp/cases" "$tmp/out" cases9 | grep -q "cases9: kept (2 rows" || fail "not kept"
if run "$tmp/cases" "$tmp/out" cases8 2> "$tmp/err"; then fail "cases8 has no table"; fi
grep -q "no $tmp/cases/cases8_en.tsv" "$tmp/err" || fail "error: $(cat "$tmp/err")"
echo "translate_tables_test: ok"
