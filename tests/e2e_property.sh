#!/bin/sh
# e2e_property.sh -- conservation and validity on random batches.
#
# scripts/gen_batch.py writes random but valid 837 batches (837P and 837I,
# random legal delimiters, CRLF or not, several interchanges, CAR-T lines
# with random errors).  For each seed the tool runs, and the independent
# checker tests/x12check.py asserts that every output is valid X12 and
# that every claim of the input is in exactly one of corrected / held.
# The same is checked with --hold none.  SEEDS (default 1..25) can be
# widened: SEEDS="$(seq 1 500)" sh tests/e2e_property.sh
#
# Python starts twice, not once per seed and check: one process writes
# every batch (gen_batch.py's main, once per seed), one x12check.py
# --batch checks every output.
. tests/lib_e2e.sh
SEEDS=${SEEDS:-$(seq 1 25)}

# 1. the batches: seed s has 40 + (s mod 7) * 30 claims, gzip when s is a
# multiple of 4
: >"$T/gen.list"
for s in $SEEDS; do
  gz=
  [ $((s % 4)) -eq 0 ] && gz=--gzip
  mkdir -p "$T/s$s"
  py_job "$T/gen.list" "$s" --seed "$s" --claims $((40 + s % 7 * 30)) \
    --cart-rate 0.5 $gz --out "$T/s$s/in.837"
done
"$PYTHON" - "$T/gen.list" >"$T/gen.log" 2>&1 <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, "scripts")
import gen_batch  # noqa: E402
for line in open(sys.argv[1]):
    label, *args = line.rstrip("\n").split("\t")
    try:
        rc = gen_batch.main(["gen_batch.py"] + args)
    except SystemExit as e:
        rc = e.code
    except Exception as e:  # noqa: BLE001 -- reported per seed
        rc = repr(e)
    print("%s: %s" % (label, "ok" if rc == 0 else "FAIL (%s)" % rc))
PY

# 2. a run per seed and hold mode; the checks are queued
: >"$T/check.list"
: >"$T/queued"
n=0
for s in $SEEDS; do
  n=$((n + 1))
  if ! py_ok "$T/gen.log" "$s"; then
    fail "seed $s: generator failed"
    py_says "$T/gen.log" "$s" | tail -3
    continue
  fi
  for mode in held none; do
    o=$T/s$s/$mode
    run_bin -o "$o" --no-progress -q --hold $mode --fail-on never \
      "$T/s$s/in.837" 2>"$T/s$s/$mode.err"
    rc=$?
    if [ $rc -ne 0 ]; then
      fail "seed $s hold=$mode: exit $rc"; cat "$T/s$s/$mode.err"
      continue
    fi
    h=
    [ -f "$o/held/in.837" ] && h="$o/held/in.837"
    py_job "$T/check.list" "seed $s hold=$mode valid" "$o/in.837" $h
    py_job "$T/check.list" "seed $s hold=$mode conserved" --conserve \
      "$T/s$s/in.837" "$o/in.837" $h
    echo "$s $mode" >>"$T/queued"
    if [ $mode = none ] && [ -n "$h" ]; then
      fail "seed $s: --hold none wrote a held file"
    fi
  done
done

# 3. every output checked by one x12check.py
"$PYTHON" tests/x12check.py --batch "$T/check.list" >"$T/check.log" 2>&1
while read -r s mode; do
  l="seed $s hold=$mode"
  if py_ok "$T/check.log" "$l valid"; then
    ok "$l: valid X12"
  else
    fail "$l: invalid output"
    py_says "$T/check.log" "$l valid" | head -5
    cp "$T/s$s/in.837" "/tmp/cart837-property-seed$s.837" 2>/dev/null
  fi
  if py_ok "$T/check.log" "$l conserved"; then
    ok "$l: claims conserved"
  else
    fail "$l: claims not conserved"
    py_says "$T/check.log" "$l conserved"
  fi
done <"$T/queued"
e2e_done "$n random batches"
