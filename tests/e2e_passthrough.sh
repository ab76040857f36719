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
. tests/lib_e2e.sh
CORPUS=../shared/corpus
[ -f "$CORPUS/INDEX.tsv" ] ||
  e2e_skip_all "$CORPUS not found; corpus pass-through not tested"
n=0 held_whole=0 fails_before=$fails
tail -n +2 "$CORPUS/INDEX.tsv" | cut -f1,9 >"$T/list"
while IFS="$(printf '\t')" read -r rel notes; do
  f="$CORPUS/$rel"
  n=$((n + 1))
  o=$T/o$n
  run_nth $n -o "$o" --no-progress -q --fail-on never "$f" 2>"$T/err"
  rc=$?
  b=${f##*/}
  case "$notes" in
  *"no parseable ISA header"*)
    if [ $rc -eq 3 ] && [ ! -e "$o/$b" ] && cmp -s "$f" "$o/held/$b" &&
       grep -q '"ENOISA: expected an ISA segment' "$o/findings.csv"; then
      held_whole=$((held_whole + 1))
    else
      fail "$rel (no ISA): exit $rc, want 3, held whole, ENOISA row"
    fi
    continue ;;
  esac
  # 0: fine; 3: envelope errors (reported, the file still copied)
  if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
    fail "$rel: exit $rc"; cat "$T/err"; continue
  fi
  if ! cmp -s "$f" "$o/$b"; then
    fail "$rel: output differs from input"
  fi
  if [ -e "$o/held" ]; then
    fail "$rel: a held file was written"
  fi
  cart=$(awk 'NR > 1 && !/"ENVELOPE_INVALID"/ && /./' "$o/findings.csv")
  if [ -n "$cart" ]; then
    fail "$rel: CAR-T finding without a CAR-T code:"
    printf '%s\n' "$cart" | head -3
  fi
done <"$T/list"
[ $fails -eq $fails_before ] &&
  ok "$n corpus files one by one: byte-identical or held whole, no CAR-T finding"
# the whole corpus as one directory run: same answer, nothing held
run_bin -o "$T/all" --no-progress -q --fail-on never "$CORPUS" 2>/dev/null
rc=$?
check_rc "directory run (README.md, INDEX.tsv and the files without ISA are skipped)" 5 $rc
[ -e "$T/all/held" ] && fail "directory run held claims" ||
  ok "directory run: nothing held"
grep -q '^  CAR-T lines: 0$' "$T/all/summary.txt" &&
  ok "directory run: no CAR-T line" || fail "directory run found CAR-T lines"
check_eq "files without ISA held whole" 3 $held_whole
e2e_done "$n corpus files ($held_whole without ISA, held whole)"
