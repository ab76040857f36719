#!/bin/sh
# update_expected.sh -- regenerates tests/expected/samples/ from the
# current build.  Run after an intended change of behaviour, then READ the
# diff (git diff tests/expected) before committing: these files are the
# contract the end-to-end tests hold the tool to.
set -eu
BIN=${BIN:-build/cart837}
EXP=tests/expected/samples
rm -rf "$EXP"
mkdir -p "$EXP"
T=$(mktemp -d)
"$BIN" -o "$T" --no-progress samples/cart_batch.837.gz samples/cart_inst.837 \
  samples/cart_prof.837 samples/cart_realworld.837 samples/cart_rules.837 \
  samples/inst_basic.837 samples/mixed_delims.837 samples/prof_basic.837 \
  2>/dev/null || true
cp "$T/findings.csv" "$T/lines.csv" "$T/episodes.csv" "$T/summary.txt" "$EXP/"
mkdir -p "$EXP/out/held"
for f in "$T"/*.837 "$T"/*.gz "$T"/held/*; do
  rel=${f#"$T"/}
  case "$f" in
  *.gz) gzip -dc "$f" >"$EXP/out/$rel.txt" ;;
  *) cp "$f" "$EXP/out/$rel" ;;
  esac
done
rm -rf "$T"
echo "updated $EXP; review with: git diff --stat $EXP"
