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
set -u
BIN=${BIN:-build/cart837}
# RUNNER: a command put in front of each run of $BIN (make valgrind)
RUNNER=${RUNNER:-}
SEEDS=${SEEDS:-$(seq 1 25)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0
for s in $SEEDS; do
  n=$((n + 1))
  gz=
  [ $((s % 4)) -eq 0 ] && gz=--gzip
  python3 scripts/gen_batch.py --seed "$s" --claims $((40 + s % 7 * 30)) \
    --cart-rate 0.5 $gz --out "$T/in.837" 2>/dev/null ||
    { echo "FAIL: seed $s: generator failed"; fails=$((fails + 1)); continue; }
  for mode in held none; do
    rm -rf "$T/o"
    $RUNNER "$BIN" -o "$T/o" --no-progress -q --hold $mode --fail-on never \
      "$T/in.837" 2>"$T/err"
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "FAIL: seed $s hold=$mode: exit $rc"; cat "$T/err"
      fails=$((fails + 1)); continue
    fi
    h=; [ -f "$T/o/held/in.837" ] && h="$T/o/held/in.837"
    if ! python3 tests/x12check.py "$T/o/in.837" $h >"$T/chk" 2>&1; then
      echo "FAIL: seed $s hold=$mode: invalid output"; head -5 "$T/chk"
      cp "$T/in.837" "/tmp/cart837-property-seed$s.837" 2>/dev/null
      fails=$((fails + 1))
    fi
    if ! python3 tests/x12check.py --conserve "$T/in.837" "$T/o/in.837" $h \
      >"$T/cons" 2>&1; then
      echo "FAIL: seed $s hold=$mode: claims not conserved"; cat "$T/cons"
      fails=$((fails + 1))
    fi
    if [ $mode = none ] && [ -n "$h" ]; then
      echo "FAIL: seed $s: --hold none wrote a held file"; fails=$((fails + 1))
    fi
  done
done
echo "e2e_property: $n random batches, $fails failed"
[ $fails -eq 0 ]
