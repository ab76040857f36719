#!/bin/sh
# e2e_gzip_level.sh -- --gzip-level N: the zlib level of gzip outputs
#
# A generated batch (scripts/gen_batch.py, 1 MB, 30% CAR-T claims, so
# that there are corrected and held outputs) is run with --gzip at levels
# 0, 1, 9 and the default.  Every level's corrected and held 837 must
# decompress to the bytes of the plain (--no-gzip) run, the reports must
# be the same, and the compressed sizes must differ in the right order
# (level 0 stores: larger than the plain bytes; 1 > 9).  The default is
# level 6: byte-identical to --gzip-level 6.  A gzip standard output
# takes the level too.  A value outside 0..9 is refused with exit 2 and
# the usage message, before any output.
#
# Run from the repository root with BIN=/abs/path/to/cart837 (make e2e
# does).
. tests/lib_e2e.sh

size() { wc -c <"$1" | tr -d ' '; }

"$PYTHON" scripts/gen_batch.py --seed 1414 --bytes 1M --cart-rate 0.3 \
  --out "$T/batch.837" 2>/dev/null || { fail "generator"; e2e_done; }
P="$T/batch.837"

run_bin -q -o "$T/plain" --no-gzip --fail-on never "$P" 2>"$T/e"
rc=$?
[ $rc -eq 0 ] || fail "plain run: exit $rc: $(cat "$T/e")"
[ -s "$T/plain/batch.837" ] && [ -s "$T/plain/held/batch.837" ] ||
  fail "plain run: no corrected and held 837 (the test needs both)"

for lv in 0 1 9 6 default; do
  if [ $lv = default ]; then set -- --gzip; else set -- --gzip --gzip-level $lv; fi
  run_bin -q -o "$T/l$lv" "$@" --fail-on never "$P" 2>"$T/e"
  rc=$?
  [ $rc -eq 0 ] && ok "level $lv: exit 0" || fail "level $lv: exit $rc: $(cat "$T/e")"
  for f in batch.837 held/batch.837; do
    if gzip -dc "$T/l$lv/$f" 2>/dev/null | cmp -s "$T/plain/$f" -; then
      ok "level $lv: $f decompresses to the plain run's"
    else
      fail "level $lv: $f does not decompress to the plain run's"
    fi
  done
  for f in findings.csv lines.csv summary.txt; do
    cmp -s "$T/plain/$f" "$T/l$lv/$f" ||
      fail "level $lv: $f differs from the plain run's"
  done
done

p=$(size "$T/plain/batch.837")
s0=$(size "$T/l0/batch.837")
s1=$(size "$T/l1/batch.837")
s9=$(size "$T/l9/batch.837")
[ "$s0" -gt "$p" ] && ok "level 0 stores ($s0 > $p bytes)" ||
  fail "level 0: $s0 bytes, plain $p"
[ "$s1" -gt "$s9" ] && ok "level 1 larger than level 9 ($s1 > $s9 bytes)" ||
  fail "level 1: $s1 bytes, level 9: $s9 bytes"
cmp -s "$T/l1/batch.837" "$T/l9/batch.837" &&
  fail "levels 1 and 9 gave the same compressed bytes"
for f in batch.837 held/batch.837; do
  cmp -s "$T/l6/$f" "$T/ldefault/$f" &&
    ok "default level is 6: $f identical" ||
    fail "default level: $f differs from --gzip-level 6"
done

# a gzip standard output
run_bin -q -o "$T/s1" --gzip --gzip-level 1 --fail-on never - \
  <"$P" >"$T/s1.gz" 2>"$T/e"
run_bin -q -o "$T/s9" --gzip --gzip-level 9 --fail-on never - \
  <"$P" >"$T/s9.gz" 2>>"$T/e"
if gzip -dc "$T/s1.gz" 2>/dev/null | cmp -s "$T/plain/batch.837" - &&
  gzip -dc "$T/s9.gz" 2>/dev/null | cmp -s "$T/plain/batch.837" -; then
  ok "stdout: levels 1 and 9 decompress to the plain run's"
else
  fail "stdout: a level's output differs: $(cat "$T/e")"
fi
[ "$(size "$T/s1.gz")" -gt "$(size "$T/s9.gz")" ] &&
  ok "stdout: level 1 larger than level 9" ||
  fail "stdout: level 1 $(size "$T/s1.gz") bytes, level 9 $(size "$T/s9.gz")"

# bad values: usage, exit 2, nothing written
for bad in 10 -1 x 1x "" 99999999999; do
  run_bin -q -o "$T/bad" --gzip --gzip-level "$bad" "$P" \
    >"$T/o" 2>"$T/e"
  rc=$?
  if [ $rc -eq 2 ] && grep -q "gzip-level takes 0..9, not '$bad'" "$T/e" &&
    [ ! -e "$T/bad" ]; then
    ok "--gzip-level '$bad': exit 2 with the reason"
  else
    fail "--gzip-level '$bad': exit $rc, no output expected: $(cat "$T/e")"
  fi
done

e2e_done
