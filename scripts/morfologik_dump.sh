#!/usr/bin/env bash
# Dumps Debian's Polish morfologik dictionary (PoliMorf, BSD-2-Clause;
# package libmorfologik-stemming2-java, needs a JDK for javac) as
# `form<TAB>lemma<TAB>tag` lines, the input of scripts/word_expansions.py
# --morfologik. Training-time experiments only: nothing at run time reads
# it (models/README.md, "Thesaurus and lemma features").
#   scripts/morfologik_dump.sh OUT.tsv
set -euo pipefail
OUT="$1"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
J=/usr/share/java
CP="$J/morfologik-fsa.jar:$J/morfologik-stemming.jar:$J/hppc.jar"
(cd "$TMP" && unzip -q "$J/morfologik-polish.jar" morfologik/stemming/polish/polish.dict \
   morfologik/stemming/polish/polish.info)
cat > "$TMP/DumpDict.java" <<'JAVA'
import java.io.*;
import java.nio.file.Paths;
import morfologik.stemming.*;
public class DumpDict {
  public static void main(String[] a) throws Exception {
    DictionaryLookup l = new DictionaryLookup(Dictionary.read(Paths.get(a[0])));
    try (PrintWriter w = new PrintWriter(new BufferedWriter(
             new OutputStreamWriter(System.out, "UTF-8")))) {
      for (WordData d : l) w.println(d.getWord() + "\t" + d.getStem() + "\t" + d.getTag());
    }
  }
}
JAVA
javac -cp "$CP" -d "$TMP" "$TMP/DumpDict.java"
java -cp "$CP:$TMP" DumpDict "$TMP/morfologik/stemming/polish/polish.dict" > "$OUT"
wc -l "$OUT"
