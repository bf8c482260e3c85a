#!/usr/bin/env python3
"""Helpers of scripts/amazon_cv.sh (the English review model's k-fold check).

  amazon_cv.py split DATA OUT K [LIMIT]
      The Amazon train and dev reviews (DATA/sentiment/en_amazon_reviews.
      {train,dev}.tsv; never the test split) in K folds by FNV-1a 64 of the
      text (mod K): OUT/fold<k>/heldout.tsv is fold k, and OUT/fold<k>/data
      a copy of DATA (symbolic links) whose en_amazon_reviews.train.tsv is
      the other K-1 folds (no dev or test split there). LIMIT > 0: only the
      first LIMIT reviews (a test's tiny slice).
  amazon_cv.py summary OUT K BASELINE NAME...
      Each setting's right answers over the K held-out folds
      (OUT/<NAME>/fold<k>.dump, opinia-eval --dump lines), and against
      BASELINE the paired difference with its standard error
      (sqrt(n) * sd of the per-review differences).
  amazon_cv.py cases OUT BASELINE NAME...
      The same for the spent tables' English rows read out of fold
      (OUT/<NAME>/oof_<table>.txt, opinia-eval --cases --dump output).
"""
import math
import os
import sys

AMAZON = "en_amazon_reviews"


def fnv1a64(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def read_rows(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header, rows = lines[0], [l for l in lines[1:] if l]
    return header, rows


def split(data, out, k, limit):
    sent = os.path.join(data, "sentiment")
    header, train = read_rows(os.path.join(sent, AMAZON + ".train.tsv"))
    header_dev, dev = read_rows(os.path.join(sent, AMAZON + ".dev.tsv"))
    if header_dev != header:
        sys.exit("amazon_cv: train and dev headers differ")
    rows = train + dev
    if limit > 0:
        rows = rows[:limit]
    text_col = header.split("\t").index("text")
    folds = [[] for _ in range(k)]
    for r in rows:
        folds[fnv1a64(r.split("\t")[text_col]) % k].append(r)
    for i in range(k):
        d = os.path.join(out, "fold%d" % i)
        fdata = os.path.join(d, "data")
        fsent = os.path.join(fdata, "sentiment")
        os.makedirs(fsent, exist_ok=True)
        for name in os.listdir(data):
            if name != "sentiment" and not os.path.lexists(os.path.join(fdata, name)):
                os.symlink(os.path.abspath(os.path.join(data, name)), os.path.join(fdata, name))
        for name in os.listdir(sent):
            if name.startswith(AMAZON + ".") or ".test." in name:
                continue  # the Amazon files are written below; no test split
            link = os.path.join(fsent, name)
            if not os.path.lexists(link):
                os.symlink(os.path.abspath(os.path.join(sent, name)), link)
        with open(os.path.join(fsent, AMAZON + ".train.tsv"), "w", encoding="utf-8") as f:
            f.write(header + "\n")
            for j in range(k):
                if j != i:
                    f.writelines(r + "\n" for r in folds[j])
        with open(os.path.join(d, "heldout.tsv"), "w", encoding="utf-8") as f:
            f.write(header + "\n")
            f.writelines(r + "\n" for r in folds[i])
    print("amazon_cv: %d reviews in %d folds: %s" %
          (len(rows), k, " ".join(str(len(f)) for f in folds)))


def read_dump(path):
    """opinia-eval --dump lines: lang gold predicted detected score text."""
    right = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t", 5)
            if len(p) < 3:
                continue
            right.append(1 if p[1].lower() == p[2].lower() else 0)
    return right


def paired(a, b):
    """(sum of a - b, its standard error) over paired 0/1 lists."""
    d = [x - y for x, y in zip(a, b)]
    n = len(d)
    if n < 2:
        return sum(d), 0.0
    m = sum(d) / n
    var = sum((x - m) ** 2 for x in d) / (n - 1)
    return sum(d), math.sqrt(n * var)


def report(per_name, order, baseline, parts_label, parts):
    n = len(per_name[baseline][1])
    base = per_name[baseline][1]
    print("%-28s %s %8s %8s %6s %16s" %
          ("setting", " ".join("%6s" % p for p in parts_label), "right", "of", "acc",
           "vs " + baseline))
    for name in order:
        by_part, right = per_name[name]
        if len(right) != n:
            sys.exit("amazon_cv: %s has %d answers, %s %d" % (name, len(right), baseline, n))
        d, se = paired(right, base)
        vs = "" if name == baseline else "%+5d (SE %4.1f, %+.1f SE)" % (d, se, d / se if se else 0)
        print("%-28s %s %8d %8d %.4f %s" %
              (name, " ".join("%6d" % by_part[p] for p in parts), sum(right), n,
               sum(right) / n if n else 0, vs))


def summary(out, k, baseline, names):
    per_name = {}
    for name in names:
        right, by_fold = [], {}
        for i in range(k):
            r = read_dump(os.path.join(out, name, "fold%d.dump" % i))
            by_fold[i] = sum(r)
            right += r
        per_name[name] = (by_fold, right)
    report(per_name, names, baseline, ["f%d" % i for i in range(k)], list(range(k)))


def read_cases_dump(path):
    """opinia-eval --cases --dump: the label right per case, in order."""
    right = []
    with open(path, encoding="utf-8") as f:
        for line in f:  # id, ok|WRONG, gold labels, predicted, ...
            p = line.rstrip("\n").split("\t")
            if len(p) >= 4 and p[1] in ("ok", "WRONG"):
                right.append(1 if p[1] == "ok" else 0)
    return right


def cases(out, baseline, names):
    per_name, tables = {}, None
    for name in names:
        files = sorted(f for f in os.listdir(os.path.join(out, name))
                       if f.startswith("oof_") and f.endswith(".txt"))
        t = [f[4:-4] for f in files]
        if tables is None:
            tables = t
        elif t != tables:
            sys.exit("amazon_cv: %s read tables %s, not %s" % (name, t, tables))
        right, by_table = [], {}
        for f, table in zip(files, t):
            r = read_cases_dump(os.path.join(out, name, f))
            by_table[table] = sum(r)
            right += r
        per_name[name] = (by_table, right)
    report(per_name, names, baseline, tables or [], tables or [])


def main(argv):
    if len(argv) >= 4 and argv[1] == "split":
        split(argv[2], argv[3], int(argv[4]), int(argv[5]) if len(argv) > 5 else 0)
    elif len(argv) >= 5 and argv[1] == "summary":
        summary(argv[2], int(argv[3]), argv[4], argv[5:] or [argv[4]])
    elif len(argv) >= 4 and argv[1] == "cases":
        cases(argv[2], argv[3], argv[4:] or [argv[3]])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
