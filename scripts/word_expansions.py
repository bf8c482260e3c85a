#!/usr/bin/env python3
"""Builds a word-expansion source table for opinia-train (--words=FILE).

Each line: `form<TAB>token token ...`, where form is a lower-cased
(casefolded) word form and the tokens are what the sentiment model input
gets for it besides the word itself (nlp/word_expansion.h):
  ~%<lemma>   the lemma's thesaurus group: the lemma itself and every
              one-word synonym MyThes lists for it (--thesaurus)
  ~=<lemma>   the lemma (--lemmas)
Lemmas come from a morfologik dictionary dump (`form<TAB>lemma<TAB>tag`
lines, scripts/morfologik_dump.sh); a thesaurus headword is its own lemma.
Training time only: opinia-train keeps the forms and tokens its model
knows and writes the compact runtime table under models/.

  scripts/word_expansions.py --mythes=/usr/share/mythes/th_pl_PL_v2 \
      --morfologik=polish.tsv [--thesaurus] [--lemmas] > pl_words.tsv
"""
import argparse
import re
import sys
from collections import defaultdict

ANNOTATION = re.compile(r"\s*\([^)]*\)")


# MyThes marks of hypernyms and hyponyms (pl, en): not synonyms.
RELATION = ("pojęcie nadrzędne", "pojęcie podrzędne", "generic term",
            "similar term", "related term", "antonym", "Antonym",
            "Oberbegriff", "Unterbegriff")


def read_mythes(prefix, synonyms_only=False):
    """headword -> one-word synonyms (annotations stripped)."""
    groups = defaultdict(set)
    with open(prefix + ".dat", "rb") as f:
        encoding = f.readline().decode("ascii").strip()
        data = f.read().decode(encoding)
    lines = data.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if "|" not in line:
            continue
        head, n = line.rsplit("|", 1)
        if not n.isdigit():
            continue
        head = head.casefold()
        if not head.isalpha():
            head = None
        for _ in range(int(n)):
            if i >= len(lines):
                break
            meaning = lines[i].split("|")[1:]
            i += 1
            for s in meaning:
                if synonyms_only and any(r in s for r in RELATION):
                    continue
                s = ANNOTATION.sub("", s).strip().casefold()
                if head and s.isalpha():
                    groups[head].add(s)
    return groups


def read_morfologik(path):
    lemmas = defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            form, lemma = parts[0].casefold(), parts[1].casefold()
            if " " in form or " " in lemma:
                continue
            lemmas[form].add(lemma)
    return lemmas


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mythes", action="append", default=[],
                    help="MyThes prefix (without .dat); repeatable (groups merged)")
    ap.add_argument("--morfologik", help="dictionary dump: form, lemma, tag")
    ap.add_argument("--thesaurus", action="store_true")
    ap.add_argument("--lemmas", action="store_true")
    ap.add_argument("--synonyms_only", action="store_true",
                    help="without the hypernyms and hyponyms MyThes lists")
    ap.add_argument("--max_group", type=int, default=64,
                    help="thesaurus tokens per form at most")
    a = ap.parse_args()
    groups = defaultdict(set)
    for prefix in a.mythes:
        for head, group in read_mythes(prefix, a.synonyms_only).items():
            groups[head] |= group
    lemmas = read_morfologik(a.morfologik) if a.morfologik else defaultdict(set)
    for head in groups:
        if head.isalpha():
            lemmas[head].add(head)
    out = sys.stdout
    out.write("OPWX1\n")
    for form in sorted(lemmas):
        tokens = []
        for lemma in sorted(lemmas[form]):
            if a.lemmas:
                tokens.append("~=" + lemma)
            if a.thesaurus and lemma in groups:
                group = sorted(groups[lemma] | {lemma})  # lemma.isalpha()
                tokens.extend("~%" + s for s in group)
        seen = set()
        tokens = [t for t in tokens if not (t in seen or seen.add(t))]
        if a.thesaurus and not a.lemmas:
            tokens = tokens[: a.max_group]
        if tokens:
            out.write(form + "\t" + " ".join(tokens) + "\n")


if __name__ == "__main__":
    main()
