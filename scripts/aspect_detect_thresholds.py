#!/usr/bin/env python3
"""Chooses the aspect detector's thresholds (models/README.md, "Aspect
detection (seventh pass)") and reports them out-of-fold.

Reads, for every dev table (the shop corpus's dev part and the spent case
tables cases, cases3..cases10, all halves), three files that
scripts/aspect_detect_tune.sh writes:
  BASE/<table>.txt   opinia-eval --dump without aspect_detect.lin
  ALL/<table>.txt    opinia-eval --dump with a detector that adds every
                     missing aspect and drops none (--aspect_add=0
                     --aspect_drop=0): the sign an added aspect would get
  ALL/<table>.probs  opinia-aspect-probs: P(aspect) over each review
Since the detector acts after everything else, the analysis under any
thresholds follows from these exactly.

Per aspect: `add` maximises (expected aspects added with the right sign)
- MU x (aspects added that the case does not expect); `drop` maximises
(reported aspects dropped that the case does not expect) - KAPPA x
(expected ones dropped). Out-of-fold: each table's thresholds are chosen
on the others (the corpus dev part as five folds by id).

  scripts/aspect_detect_thresholds.py BASE ALL [--mu=0.5] [--kappa=4]
"""
import collections
import sys
import zlib

ASPECTS = ["PRODUCT_QUALITY", "PRICE", "DELIVERY", "RETURNS", "PAYMENT",
           "CUSTOMER_SERVICE", "USABILITY", "PACKAGING"]
TABLES = ["shop", "cases", "cases3", "cases4", "cases5", "cases6", "cases7", "cases8",
          "cases9", "cases10"]
LANGS = ["pl", "en", "de", "es", "fr", "it"]
ADDS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01]
DROPS = [0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5]


def polarity(score):  # PolarityOf() of nlp/tools/eval_cases.h
    return "POS" if score > 0.05 else ("NEG" if score < -0.05 else "NEU")


def read_dump(path):
    """id -> (expected {aspect: polarity}, got {aspect: polarity})."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 9 or fields[1] not in ("ok", "WRONG"):
                continue
            expected = dict(a.split(":") for a in fields[4].split(";") if a)
            got = {a.rsplit(":", 1)[0]: polarity(float(a.rsplit(":", 1)[1]))
                   for a in fields[5].split(";") if a}
            out[fields[0]] = (expected, got)
    return out


def load(base, every):
    rows = []  # (table, id, language, expected, got, got with every aspect, probs)
    for t in TABLES:
        before = read_dump(f"{base}/{t}.txt")
        added = read_dump(f"{every}/{t}.txt")
        probs = {}
        with open(f"{every}/{t}.probs") as f:
            for line in f:
                fields = line.split("\t")
                probs[fields[0]] = [float(v) for v in fields[1:]]
        for i, (expected, got) in before.items():
            rows.append((t, i, i.split("-")[0], expected, got, added[i][1], probs[i]))
    return rows


def fold(row):
    if row[0] == "shop":
        return "shop%d" % (zlib.crc32(row[1].encode()) % 5)
    return row[0]


def apply(row, thresholds):
    _, _, _, _, got, added, p = row
    out = {}
    for j, a in enumerate(ASPECTS):
        add, drop = thresholds[j]
        if a in got:
            if p[j] >= drop:
                out[a] = got[a]
        elif p[j] >= add and a in added:
            out[a] = added[a]
    return out


def choose(rows, mu, kappa):
    thresholds = []
    for j, a in enumerate(ASPECTS):
        best_add, best_value = 1.01, 0.0
        for add in ADDS:
            value = 0.0
            for r in rows:
                expected, got, added, p = r[3], r[4], r[5], r[6]
                if a not in got and a in added and p[j] >= add:
                    value += (a in expected and added[a] == expected[a]) - mu * (a not in expected)
            if value > best_value + 1e-9:
                best_add, best_value = add, value
        best_drop, best_value = 0.0, 0.0
        for drop in DROPS:
            value = 0.0
            for r in rows:
                expected, got, p = r[3], r[4], r[6]
                if a in got and p[j] < drop:
                    value += (a not in expected) - kappa * (a in expected)
            if value > best_value + 1e-9:
                best_drop, best_value = drop, value
        thresholds.append((best_add, best_drop))
    return thresholds


def tally(rows, got_of):
    c = collections.Counter()
    for r in rows:
        expected, got = r[3], got_of(r)
        c["expected"] += len(expected)
        c["found"] += sum(a in got for a in expected)
        c["right"] += sum(a in got and got[a] == expected[a] for a in expected)
        c["reported"] += len(got)
        c["extra"] += sum(a not in expected for a in got)
    return c


def cell(c):
    return "%.3f / %.3f / %.3f" % (c["found"] / c["expected"], c["right"] / c["expected"],
                                   c["extra"] / max(1, c["reported"]))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=") for a in sys.argv[1:] if a.startswith("--"))
    mu, kappa = float(opts.get("mu", 0.5)), float(opts.get("kappa", 4))
    rows = load(args[0], args[1])
    oof = {}
    for g in sorted(set(fold(r) for r in rows)):
        thresholds = choose([r for r in rows if fold(r) != g], mu, kappa)
        for r in rows:
            if fold(r) == g:
                oof[(r[0], r[1])] = apply(r, thresholds)
    final = choose(rows, mu, kappa)
    print("thresholds (add, drop) per aspect:")
    for a, t in zip(ASPECTS, final):
        print("  %-17s %s" % (a, t))
    print("\nfound / right / not expected (the opinia-eval aspect line)")
    print("| source | lang | expected | before | out-of-fold | chosen (in-sample) |")
    print("|---|---|---:|---|---|---|")
    for t in TABLES + ["all"]:
        for lang in LANGS + ["all"]:
            sel = [r for r in rows if t in ("all", r[0]) and lang in ("all", r[2])]
            before = tally(sel, lambda r: r[4])
            if before["expected"] == 0:
                continue
            print("| %s | %s | %d | %s | %s | %s |" % (
                t, lang, before["expected"], cell(before),
                cell(tally(sel, lambda r: oof[(r[0], r[1])])),
                cell(tally(sel, lambda r: apply(r, final)))))


if __name__ == "__main__":
    main()
