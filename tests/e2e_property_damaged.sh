#!/bin/sh
# e2e_property_damaged.sh -- fail closed on random damaged batches
#
# tests/property_damaged.py (one Python process) generates random
# batches with CAR-T lines (scripts/gen_batch.py), damages them the way
# real drops are damaged (an LX, ST or SE dropped, lines folded every N
# bytes, a bad HL02, ISA13 reused across the files of the run, a file
# named like a report), runs the binary once over them, and asserts with
# the independent checker tests/x12check.py that the outputs bring in no
# structural violation, that every claim in comes out (corrected or
# held, by CLM01 and position, and over the whole run), and that no
# tracked line is forwarded without its lines.csv row.  Deterministic
# seeds: DMG_SEEDS (default 30) seeds of 6 files.  Widen with
# DMG_SEEDS=500 sh tests/e2e_property_damaged.sh.
#
# An input named like a report or folder of the run (findings.csv,
# lines.csv, summary.txt, summary.json, report.html, held, ack) is
# skipped with its reason in summary.txt and the run exits 5; its
# claims are then not expected in the outputs.  DMG_KNOWN="--known
# KIND" reports the failures of one damage as KNOWN while a defect is
# being fixed.
. tests/lib_e2e.sh
PY=${PY:-$PYTHON}
KNOWN=${DMG_KNOWN-}
# shellcheck disable=SC2086
if RUNNER="$RUNNER" $PY tests/property_damaged.py $KNOWN "$BIN" 1 \
  "${DMG_SEEDS:-30}" 6 >"$T/out" 2>&1; then
  ok "$(tail -1 "$T/out")"
else
  fail "property_damaged.py:"
  grep -v '^KNOWN' "$T/out" | head -40
fi
grep '^note:' "$T/out"
e2e_done
