#!/bin/sh
# e2e_passthrough.sh -- every public corpus file goes through unchanged.
#
# ../shared/corpus/ holds 837 files written by others, none with a CAR-T
# code.  Each is run through cart837 on its own; the corrected output
# must be byte-identical to the input (valid or not: files with wrong
# SE01 counts or missing trailers), no held file may appear, and
# findings.csv may hold only ENVELOPE_INVALID rows (no CAR-T finding where
# there is no CAR-T code).  The files INDEX.tsv marks "no parseable ISA
# header" are not X12 interchanges (they start with GS or ST): those are
# held whole, byte-identical, with exit 3 and an ENOISA row, and nothing
# is forwarded.  Skips with a message when the corpus is absent.  Under
# RUNNER (make valgrind) the per-file runs use it on every RUNNER_EVERY-th
# file only (default 1: all); the run over the whole corpus directory
# always does, so every file still goes through the runner once.
set -u
BIN=${BIN:-build/cart837}
# RUNNER: a command put in front of each run of $BIN (make valgrind)
RUNNER=${RUNNER:-}
EVERY=${RUNNER_EVERY:-1}
CORPUS=../shared/corpus
if [ ! -f "$CORPUS/INDEX.tsv" ]; then
  echo "SKIP: $CORPUS not found; corpus pass-through not tested"
  exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0
tail -n +2 "$CORPUS/INDEX.tsv" | cut -f1,9 >"$T/list"
held_whole=0
while IFS="$(printf '\t')" read -r rel notes; do
  f="$CORPUS/$rel"
  n=$((n + 1))
  R=$RUNNER
  [ $((n % EVERY)) -eq 0 ] || R=
  rm -rf "$T/o"
  $R "$BIN" -o "$T/o" --no-progress -q --fail-on never "$f" 2>"$T/err"
  rc=$?
  b=$(basename "$f")
  case "$notes" in
  *"no parseable ISA header"*)
    if [ $rc -eq 3 ] && [ ! -e "$T/o/$b" ] && cmp -s "$f" "$T/o/held/$b" &&
       grep -q '"ENOISA: expected an ISA segment' "$T/o/findings.csv"; then
      held_whole=$((held_whole + 1))
    else
      echo "FAIL: $rel (no ISA): exit $rc, want 3, held whole, ENOISA row"
      fails=$((fails + 1))
    fi
    continue ;;
  esac
  # 0: fine; 3: envelope errors (reported, the file still copied)
  if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
    echo "FAIL: $rel: exit $rc"; cat "$T/err"; fails=$((fails + 1)); continue
  fi
  if ! cmp -s "$f" "$T/o/$b"; then
    echo "FAIL: $rel: output differs from input"; fails=$((fails + 1))
  fi
  if [ -e "$T/o/held" ]; then
    echo "FAIL: $rel: a held file was written"; fails=$((fails + 1))
  fi
  if tail -n +2 "$T/o/findings.csv" | grep -v '"ENVELOPE_INVALID"' | grep -q .; then
    echo "FAIL: $rel: CAR-T finding without a CAR-T code:"
    tail -n +2 "$T/o/findings.csv" | grep -v '"ENVELOPE_INVALID"' | head -3
    fails=$((fails + 1))
  fi
done <"$T/list"
# the whole corpus as one directory run: same answer, nothing held
$RUNNER "$BIN" -o "$T/all" --no-progress -q --fail-on never "$CORPUS" 2>/dev/null
rc=$?
[ $rc -eq 5 ] || { echo "FAIL: directory run exit $rc, want 5 (README.md, INDEX.tsv and the files without ISA are skipped)"; fails=$((fails + 1)); }
[ -e "$T/all/held" ] && { echo "FAIL: directory run held claims"; fails=$((fails + 1)); }
grep -q '^  CAR-T lines: 0$' "$T/all/summary.txt" ||
  { echo "FAIL: directory run found CAR-T lines"; fails=$((fails + 1)); }
[ $held_whole -eq 3 ] || { echo "FAIL: $held_whole files without ISA held whole, want 3"; fails=$((fails + 1)); }
echo "e2e_passthrough: $n corpus files ($held_whole without ISA, held whole), $fails failed"
[ $fails -eq 0 ]
