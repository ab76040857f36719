#!/bin/sh
# e2e_samples.sh -- the CLI on samples/: reports, corrected and held 837s.
#
# Checks, exactly: findings.csv, lines.csv, episodes.csv and summary.txt against
# tests/expected/samples/; every corrected and held file against
# tests/expected/samples/out/ (byte for byte); the independent checker
# tests/x12check.py on every output (structure and claim conservation);
# tests/spec_check.py (the scenario table of samples/README.md); and the
# modes --report-only, --hold none, the stdin -> stdout filter, gzip.
# Regenerate the expected files with tests/update_expected.sh (then read
# the diff).
. tests/lib_e2e.sh
EXP=tests/expected/samples

# the sample files, in the order a directory walk would take them
INPUTS="samples/cart_batch.837.gz samples/cart_inst.837 samples/cart_prof.837
samples/cart_realworld.837 samples/cart_rules.837 samples/inst_basic.837
samples/mixed_delims.837 samples/prof_basic.837"

# 1. the main run
run_bin -o "$T/out" --no-progress $INPUTS 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && ok "run exits 1 (error findings)" || fail "run exit $rc, want 1"
for f in findings.csv lines.csv episodes.csv summary.txt; do
  if cmp -s "$T/out/$f" "$EXP/$f"; then ok "$f as expected"
  else fail "$f differs:"; diff "$EXP/$f" "$T/out/$f" | head -20; fi
done
# gzip outputs are kept decompressed as NAME.gz.txt (zlib versions may
# frame the same bytes differently)
for f in $(cd "$EXP/out" && find . -type f | sort); do
  real=${f%.txt}
  if [ ! -f "$T/out/$real" ]; then fail "missing output $real"; continue; fi
  if [ "$real" != "$f" ]; then
    gzip -t "$T/out/$real" 2>/dev/null && gzip -dc "$T/out/$real" |
      cmp -s - "$EXP/out/$f" && ok "output $real (gzip) as expected" ||
      fail "output $real differs"
  elif cmp -s "$T/out/$f" "$EXP/out/$f"; then
    ok "output $f as expected"
  else
    fail "output $f differs"
  fi
done
extra=$(cd "$T/out" && find . -name '*.837*' -type f | sort)
want=$(cd "$EXP/out" && find . -type f | sed 's/\.txt$//' | sort)
[ "$extra" = "$want" ] && ok "no other 837 outputs" ||
  fail "837 outputs differ: got [$extra] want [$want]"
if ls -a "$T/out" "$T/out/held" | grep -q '\.tmp-'; then
  fail "temporary files left behind"
fi

# 1b. the correct real-world claims of issue 12, run alone: no finding at
#     error level, nothing held, the output byte-identical to the input
#     (nothing to fix), exit 0
run_bin -o "$T/rw" --no-progress samples/cart_realworld.837 2>/dev/null
rc=$?
[ $rc -eq 0 ] && ok "cart_realworld.837 exits 0" ||
  fail "cart_realworld.837 exit $rc, want 0"
if grep -q '"error"\|"held"' "$T/rw/findings.csv"; then
  fail "cart_realworld.837 has error-level or held findings:"
  grep '"error"\|"held"' "$T/rw/findings.csv" | head -5
else
  ok "cart_realworld.837: no error-level finding, nothing held"
fi
[ ! -e "$T/rw/held" ] && ok "cart_realworld.837: no held file" ||
  fail "cart_realworld.837 wrote a held file"
cmp -s samples/cart_realworld.837 "$T/rw/cart_realworld.837" &&
  ok "cart_realworld.837 comes out byte-identical" ||
  fail "cart_realworld.837 was changed"
n=$(grep -c '"cart_realworld.837"' "$T/rw/lines.csv")
[ "$n" -eq 27 ] && ok "cart_realworld.837: all $n tracked lines judged" ||
  fail "cart_realworld.837: $n tracked lines, want 27"

# 2. --report-only: same reports, no 837 output
run_bin -o "$T/ro" --no-progress --report-only $INPUTS 2>/dev/null
for f in findings.csv lines.csv episodes.csv summary.txt; do
  cmp -s "$T/ro/$f" "$EXP/$f" && ok "--report-only $f identical" ||
    fail "--report-only $f differs"
done
n=$(find "$T/ro" -name '*.837*' | wc -l)
[ "$n" -eq 0 ] && ok "--report-only writes no 837" ||
  fail "--report-only wrote $n 837 files"

# 3. --hold none: no held file, held claims stay (flagged) in the output
run_bin -o "$T/hn" --no-progress --hold none $INPUTS 2>/dev/null
[ ! -e "$T/hn/held" ] && ok "--hold none writes no held file" ||
  fail "--hold none wrote $T/hn/held"
grep -q '"held"' "$T/hn/findings.csv" && fail "--hold none reports held" ||
  ok "--hold none: no finding is held"

# 4. independent checks of structure and conservation, by one
# x12check.py and one spec_check.py: the main run's outputs are valid X12,
# every input claim is in exactly one output, the scenario table holds;
# with --hold none too, but the scenario check must now fail (it can fail)
X=$T/x12.list
py_job "$X" valid "$T"/out/*.837 "$T"/out/*.gz "$T"/out/held/*
py_job "$X" "hold none valid" "$T"/hn/*.837 "$T"/hn/*.gz
for f in $INPUTS; do
  b=$(basename "$f")
  h="$T/out/held/$b"; [ -f "$h" ] || h=
  py_job "$X" "conserve $b" --conserve "$f" "$T/out/$b" $h
  py_job "$X" "hold none conserve $b" --conserve "$f" "$T/hn/$b"
done
"$PYTHON" tests/x12check.py --batch "$X" >"$T/x12.log" 2>&1
py_job "$T/spec.list" main tests/expected/samples_expected.csv "$T/out"
py_job "$T/spec.list" "hold none" tests/expected/samples_expected.csv "$T/hn"
"$PYTHON" tests/spec_check.py --batch "$T/spec.list" >"$T/spec.log" 2>&1

py_ok "$T/x12.log" valid && ok "x12check: outputs are valid X12" ||
  { fail "x12check:"; py_says "$T/x12.log" valid; }
for f in $INPUTS; do
  b=$(basename "$f")
  py_ok "$T/x12.log" "conserve $b" && ok "conservation $b" ||
    { fail "conservation $b"; py_says "$T/x12.log" "conserve $b"; }
  py_ok "$T/x12.log" "hold none conserve $b" &&
    ok "--hold none conservation $b" || fail "--hold none conservation $b"
done
py_ok "$T/x12.log" "hold none valid" && ok "--hold none output valid" ||
  fail "--hold none output invalid"
# untouched files come out byte-identical
for b in prof_basic.837 inst_basic.837; do
  cmp -s "samples/$b" "$T/out/$b" && ok "$b byte-identical" ||
    fail "$b is not byte-identical"
done
py_ok "$T/spec.log" main &&
  ok "spec_check: findings and dispositions per scenario" ||
  { fail "spec_check:"; py_says "$T/spec.log" main; }
grep -qxF "hold none: FAIL (exit 1)" "$T/spec.log" &&
  ok "spec_check catches held claims left in the corrected file" ||
  fail "spec_check passed on --hold none output"

# 5. filter mode: stdin -> stdout; held and reports under -o
run_bin -o "$T/flt" --no-progress - <samples/cart_prof.837 >"$T/stdout.837" \
  2>"$T/flt.err"
rc=$?
[ $rc -eq 1 ] && ok "filter exits 1" || fail "filter exit $rc"
cmp -s "$T/stdout.837" "$EXP/out/cart_prof.837" &&
  ok "filter: stdout is the corrected 837" || fail "filter stdout differs"
cmp -s "$T/flt/held/stdin.837" "$EXP/out/held/cart_prof.837" &&
  ok "filter: held claims in OUT/held/stdin.837" || fail "filter held differs"
[ ! -e "$T/flt/stdin.837" ] && ok "filter: no corrected file under OUT" ||
  fail "filter wrote OUT/stdin.837"
# gzip in, gzip out (same compression as the input) ...
gzip -c samples/cart_prof.837 | run_bin -o "$T/fz" --no-progress - \
  >"$T/stdout.gz" 2>/dev/null
gzip -t "$T/stdout.gz" 2>/dev/null && gzip -dc "$T/stdout.gz" |
  cmp -s - "$EXP/out/cart_prof.837" && ok "filter: gzip in, gzip out" ||
  fail "filter gzip output"
# ... and --no-gzip / --gzip override it
run_bin -o "$T/ng" --no-progress --no-gzip samples/cart_batch.837.gz 2>/dev/null
if head -c 3 "$T/ng/cart_batch.837.gz" | grep -q ISA; then
  ok "--no-gzip writes plain X12"
else
  fail "--no-gzip output is not plain"
fi
run_bin -o "$T/gz" --no-progress --gzip samples/cart_prof.837 2>/dev/null
gzip -dc "$T/gz/cart_prof.837" 2>/dev/null | cmp -s - "$EXP/out/cart_prof.837" &&
  ok "--gzip compresses a plain input's output" || fail "--gzip output"

e2e_done
