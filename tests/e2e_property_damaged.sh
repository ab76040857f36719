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
# KNOWN: an input named like a report (findings.csv, lines.csv,
# summary.txt, summary.json, report.html) loses its corrected claims to
# the report written over it, and one named 'held' fails the run (exit
# 4): issue 11 item 8, being fixed on the h11-run branch.  Until that
# lands those failures are reported as KNOWN (--known name); drop the
# option then (the script says so when no failure comes from it).
. tests/lib_e2e.sh
PY=${PY:-python3}
KNOWN=${DMG_KNOWN---known name}
# shellcheck disable=SC2086
if RUNNER="$RUNNER" $PY tests/property_damaged.py $KNOWN "$BIN" 1 \
  "${DMG_SEEDS:-30}" 6 >"$T/out" 2>&1; then
  ok "$(tail -1 "$T/out")"
else
  fail "property_damaged.py:"
  grep -v '^KNOWN' "$T/out" | head -40
fi
grep '^note:' "$T/out"
echo "e2e_property_damaged: $fails failed"
[ "$fails" -eq 0 ]
