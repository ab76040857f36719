#!/bin/sh
# e2e_corpus.sh -- `cart837 stats` over every file of the public corpus
#
# For each row of ../shared/corpus/INDEX.tsv (path relative to the repo
# root; the test is skipped with a visible message when it is absent):
#   - `$BIN stats FILE` must not crash: exit 0 or 3, never a signal, and
#     nothing from a sanitizer on stderr (make asan runs this script with
#     an ASan/UBSan BIN);
#   - claims= and lines= must equal the CLM= and LX= counts of the notes,
#     except for the files of the EXCEPTIONS table below, each with the
#     reason the tool is right and the index is not;
#   - every envelope issue the notes list must be reported: "SE01=25 vs
#     34" as SE01_COUNT with the message "SE01=25 but transaction set
#     ST02=... has 34 segments from ST to SE", "ST/SE count 1/0" as
#     SE_MISSING, "GS/GE count 1/0" as GE_MISSING, "ISA/IEA count 1/0" as
#     IEA_MISSING, "does not start with ISA" as ENOISA; the byte offset of
#     each SE01_COUNT must point at an SE segment in the file;
#   - files whose notes list no envelope issue (and are not exceptions)
#     must exit 0 with envelope_errors=0;
#   - the same file gzip-compressed must give the same counts;
#   - with valgrind installed and a BIN not built with ASan, the whole
#     corpus is read by one `stats` run under valgrind (--leak-check=full,
#     --error-exitcode): no error, no leak.
#
# Run from the repo root: BIN=/abs/path/to/cart837 sh tests/e2e_corpus.sh
# (make e2e / make asan do this).  Set CORPUS to use another folder.
# Under RUNNER (make valgrind) the per-file runs use it on every
# RUNNER_EVERY-th file only (default 1: all), and the one run over the
# whole corpus is made under RUNNER instead of a valgrind of its own: every
# file is still read under the runner once.

BIN=${BIN:-build/cart837}
# RUNNER: a command put in front of each run of $BIN (make valgrind)
RUNNER=${RUNNER:-}
EVERY=${RUNNER_EVERY:-1}
CORPUS=${CORPUS:-../shared/corpus}
TAB=$(printf '\t')

if [ ! -f "$CORPUS/INDEX.tsv" ]; then
  echo "SKIP: ../shared/corpus not found (e2e_corpus.sh)"
  exit 0
fi
if [ ! -x "$BIN" ]; then
  echo "e2e_corpus: BIN=$BIN is not an executable" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/c837_corpus.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# Files where the tool and the index disagree, checked by opening them.
# Columns (tab-separated): file, claims, lines, exit code, problem codes
# that must also be reported (space-separated, each at least once; "-"
# none), whether the notes' envelope issues apply (yes/no), reason.
cat > "$TMP/exceptions" <<'EOF'
apimeister__x12-types/src__v005010___837_test.rs__parse_837_4.x12	0	0	3	ENOISA	no	Extracted from a Rust test string that starts at ST (no ISA, no GS): without an ISA there are no delimiters to read, so the file is not an interchange; ENOISA at byte 0 is right. The index counted CLM/LX by pattern.
apimeister__x12-types/src__v005010___837_test.rs__parse_837_5.x12	0	0	3	ENOISA	no	Starts at ST like parse_837_4 (and ends with GE/IEA that were never opened): not an interchange, ENOISA at byte 0.
imsweb__x12-parser/src__test__resources__837_5010__x12_no_isa_line.txt	0	0	3	ENOISA	no	Deliberately invalid (its name): the ISA line was removed and the file starts with GS; ENOISA at byte 0, nothing is read.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__FromNth__837_DeIdent_01.dat	-	-	3	GE02_CONTROL IEA02_CONTROL	yes	De-identified: GS06 became 99999999 and ISA13 999999999 but GE02 (39834001) and IEA02 (137621000) kept the real numbers, so the control numbers really differ. Counts match the index.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__FromNth__837_DeIdent_02.dat	-	-	3	GE02_CONTROL IEA02_CONTROL	yes	De-identified like _01: GE02 4236001 vs GS06 9999999, IEA02 151599000 vs ISA13 999999999.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__FromNth__837_DeIdent_03.dat	-	-	3	GE02_CONTROL IEA02_CONTROL	yes	De-identified like _01: GE02 3485001 vs GS06 9999999, IEA02 000003485 vs ISA13 999999999.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__FromNth__837_DeIdent_04.dat	-	-	3	GE02_CONTROL IEA02_CONTROL	yes	De-identified like _01: GE02 4201001 vs GS06 9999999, IEA02 152635000 vs ISA13 999999999.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__FromNth__837_DeIdent_05.dat	-	-	3	GE02_CONTROL IEA02_CONTROL	yes	De-identified like _01: GE02 5491001 vs GS06 9999999, IEA02 163761000 vs ISA13 999999999.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___5010__ST1309-XX.txt	-	-	3	SEGMENT_UNTERMINATED	yes	The file ends with "IEA*1*000003774" and no terminator after it (checked with od). Its ISA16 ':' is followed by CR LF, so the terminator read from the ISA is CR (LF trails every segment); the index calls it newline; both split the same segments. Counts match.
apimeister__x12-types/src__v005010___837_test.rs__parse_837_2.x12	-	-	3	SE02_CONTROL ISA_LENGTH	yes	SE*43*0000000044 closes ST*837*000000044: SE02 has one more leading zero than ST02 (10 characters, ST02 allows 4-9), and SE02 must be identical to ST02. Its ISA is the 78-byte one of parse_837 (ISA_LENGTH). Counts match.
apimeister__x12-types/src__v005010___837_test.rs__parse_837.x12	-	-	3	ISA_LENGTH	yes	The ISA is 78 bytes, not 106: the Rust test string has its fixed-width fields unpadded ("ISA*00* *00* *ZZ*133052274 *..."): ISA02 is 1 character, not 10. The delimiters are found by counting separators, so the file reads in full. Counts match.
apimeister__x12-types/src__v005010___837_test.rs__parse_837_15.x12	-	-	3	DATE_INVALID	yes	The claim-level DTP*434*RD8*19960911 gives RD8 (a range, CCYYMMDD-CCYYMMDD) a single date: not a valid statement period. Counts match.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.1.1_PatientIsSubscriber.txt	-	-	3	GS04_DATE	yes	GS04 is 1994033, 7 digits: not a CCYYMMDD date (a digit is missing: the sibling 4.1.3B has 19940303). The same GS is in every 837P 4010 Spec_4 file but 4.1.3B. Counts match.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.1.2_PatientIsNotSubscriber.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.1.3A_COB_ClaimToPayerAFromBP.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.1.3C_COB_ClaimToPayerAFromBPinCOB.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.1.3D_COB_PayerAToPayerB.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.2.1_PayerIsPCIns.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.2.2_PayerIsPCIns.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__INS___837P___4010__Spec_4.2.3_PayerIsPCIns.txt	-	-	3	GS04_DATE	yes	GS04 1994033 (7 digits), as in Spec_4.1.1.
Inteligenz__X12Parser/tests__OopFactory.X12.Hipaa.Tests.Unit__Claims__TestData__InstitutionalClaim4010.txt	-	-	3	DATE_INVALID	yes	Besides the SE01 issue of the notes, DTP*434*D8*19960911-19960912 gives D8 (one date) a range: not a valid statement date.
imsweb__x12-parser/src__test__resources__837_5010__x12_bad_first_line.txt	-	-	3	ISA_LENGTH	yes	Deliberately invalid (its name): besides the SE01 issue, ISA02 is 9 blanks, not 10, so the ISA is 105 bytes.
imsweb__x12-parser/src__test__resources__837_5010__x12_bad_segment_identifier.txt	-	-	3	SEGMENT_ID_INVALID	yes	Deliberately invalid (its name): besides the SE01 issue, three segments have no segment id ("*IC*DAVID...", "Nd4*CALVERTON...", "NM31*IL..."); each is reported and passed on.
imsweb__x12-parser/src__test__resources__837_5010__x12_missing_required_loops_mult_repeats.txt	-	5	3	DATE_INVALID LX_MISSING HL01_ORDER HL02_PARENT	yes	Besides the SE01 issue, a claim-level DTP*472*RD9*... has a date format that is neither D8 nor RD8. Deliberately invalid (its name): two of its five SV1 lines have no LX before them (claim A37YH667 and the last A37YH556); each is read as a service line numbered by its position (LX_MISSING, a warning), so lines=5 where the index counts 3 LX segments. Its HLs repeat HL01 2 and one HL02 names HL 3, which never comes (HL01_ORDER, HL02_PARENT).
imsweb__x12-parser/src__test__resources__837_5010__x12_complex.txt	-	-	3	GE01_COUNT HL01_ORDER HL02_PARENT	yes	Besides the SE01 issues of the notes, GE*1*1 closes a group with two ST sets: GE01 is wrong too. Like most imsweb files, its subscriber HLs repeat HL01 2 and name HL 3 as parent, which never comes (HL01_ORDER, HL02_PARENT).
imsweb__x12-parser/src__test__resources__837_5010__x12_multiple_st.txt	-	-	3	GE01_COUNT ST02_DUPLICATE	yes	Besides the SE01 issues, GE*1*1 closes a group with two ST sets. Both ST sets of its group are ST*837*987654 (ST02_DUPLICATE).
imsweb__x12-parser/src__test__resources__837_5010__x12_multiple_gs.txt	-	-	3	IEA01_COUNT GS06_DUPLICATE	yes	Besides the SE01 issues, IEA*1*000000905 closes an interchange with three GS groups. Its three groups all have GS06 1 (GS06_DUPLICATE, twice).
azoner__pyx12/pyx12__test__files__trailer_errors.txt	-	-	3	GE02_CONTROL IEA01_COUNT IEA02_CONTROL	yes	pyx12's trailer-error test: besides SE01, GE*2*333 (GS06=1) and IEA*5*333 (one group, ISA13=000484950) are wrong on purpose.
azoner__pyx12/pyx12__test__x12testdata.py__trailer_errors.x12	-	-	3	GE02_CONTROL IEA01_COUNT IEA02_CONTROL	yes	Same content as pyx12's trailer_errors.txt.
imsweb__x12-parser/src__test__resources__837_5010__x12_multiple_transactions.txt	-	-	3	ISA13_DUPLICATE HL01_ORDER HL02_PARENT	yes	Its 312 interchanges all have ISA13 000000905 (ISA13_DUPLICATE, 311 times), and each repeats HL01 2 with an HL02 naming HL 3, which never comes (HL01_ORDER, HL02_PARENT). Counts match.
EOF

fail=0
files=0
problem() {
  echo "FAIL: $1" >&2
  fail=$((fail + 1))
}

# Counts of a summary line: "claims lines envelope_errors".
summary_counts() {
  sed -n 's/.* claims=\([0-9]*\) lines=\([0-9]*\) .*envelope_errors=\([0-9]*\).*/\1 \2 \3/p'
}

awk -F'\t' 'NR > 1 { print $1 "\t" $9 }' "$CORPUS/INDEX.tsv" > "$TMP/rows"

while IFS="$TAB" read -r file notes; do
  [ -n "$file" ] || continue
  files=$((files + 1))
  path="$CORPUS/$file"
  R=$RUNNER
  [ $((files % EVERY)) -eq 0 ] || R=
  if [ ! -f "$path" ]; then
    problem "$file: listed in INDEX.tsv but missing"
    continue
  fi
  $R "$BIN" stats "$path" > "$TMP/out" 2> "$TMP/err" < /dev/null
  rc=$?
  if [ "$rc" -gt 128 ]; then
    problem "$file: killed by signal $((rc - 128))"
    continue
  fi
  if grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
    problem "$file: sanitizer report:"
    head -20 "$TMP/err" >&2
    continue
  fi
  summary=$(grep -F "$path: interchanges=" "$TMP/out")
  if [ -z "$summary" ]; then
    problem "$file: no summary line (rc=$rc)"
    continue
  fi
  set -- $(echo "$summary" | summary_counts)
  got_claims=$1 got_lines=$2 got_errors=$3

  want_claims=$(echo "$notes" | grep -o 'CLM=[0-9]*' | head -1 | cut -d= -f2)
  want_lines=$(echo "$notes" | grep -o 'LX=[0-9]*' | head -1 | cut -d= -f2)
  want_claims=${want_claims:-0}
  want_lines=${want_lines:-0}
  codes=""
  use_notes=yes
  exc=$(awk -F'\t' -v f="$file" '$1 == f' "$TMP/exceptions")
  if echo "$notes" | grep -q 'envelope issues'; then
    want_rc=3
  else
    want_rc=0
  fi
  if [ -n "$exc" ]; then
    c=$(echo "$exc" | cut -f2)
    l=$(echo "$exc" | cut -f3)
    [ "$c" = "-" ] || want_claims=$c
    [ "$l" = "-" ] || want_lines=$l
    want_rc=$(echo "$exc" | cut -f4)
    codes=$(echo "$exc" | cut -f5)
    [ "$codes" = "-" ] && codes=""
    use_notes=$(echo "$exc" | cut -f6)
  fi

  [ "$rc" = "$want_rc" ] ||
    problem "$file: exit $rc, expected $want_rc"
  [ "$got_claims" = "$want_claims" ] ||
    problem "$file: claims=$got_claims, index says CLM=$want_claims"
  [ "$got_lines" = "$want_lines" ] ||
    problem "$file: lines=$got_lines, index says LX=$want_lines"
  if [ "$want_rc" = 0 ] && [ "$got_errors" != 0 ]; then
    problem "$file: envelope_errors=$got_errors on a file without issues"
    grep "^  " "$TMP/out" | head -5 >&2
  fi

  for code in $codes; do
    grep -q ": $code: " "$TMP/out" ||
      problem "$file: expected a $code problem, not reported"
  done

  if [ "$use_notes" = yes ]; then
    # SE01 pairs: each "SE01=A vs B" of the notes needs its own message
    echo "$notes" | grep -o 'SE01=[0-9]* vs [0-9]*' | sort | uniq -c |
      while read -r k se01 _vs count; do
        a=${se01#SE01=}
        n=$(grep -c ": SE01_COUNT: SE01=$a but transaction set ST02=[^ ]* has $count segments from ST to SE\$" "$TMP/out")
        [ "$n" -ge "$k" ] ||
          echo "FAIL: $file: notes list SE01=$a vs $count $k time(s), reported $n time(s)" >&2
      done 2>> "$TMP/se01fail"
    for pair in "ST/SE count 1/0:SE_MISSING" "GS/GE count 1/0:GE_MISSING" \
                "ISA/IEA count 1/0:IEA_MISSING" \
                "does not start with ISA:ENOISA"; do
      what=${pair%%:*}
      code=${pair##*:}
      if echo "$notes" | grep -q "$what"; then
        grep -q ": $code: " "$TMP/out" ||
          problem "$file: notes say '$what' but no $code was reported"
      fi
    done
    # the offset of an SE01_COUNT points at the SE segment (first 3)
    grep ": SE01_COUNT: " "$TMP/out" | head -3 |
      sed 's/.*: byte \([0-9]*\), segment.*/\1/' | while read -r off; do
        at=$(tail -c +"$((off + 1))" "$path" | head -c 2)
        [ "$at" = "SE" ] ||
          echo "FAIL: $file: SE01_COUNT at byte $off points at '$at'" >&2
      done 2>> "$TMP/se01fail"
  fi

  # gzip gives the same counts
  gzip -c "$path" > "$TMP/f.gz"
  $R "$BIN" stats "$TMP/f.gz" > "$TMP/outgz" 2>&1 < /dev/null
  rcgz=$?
  sgz=$(grep -F "$TMP/f.gz: interchanges=" "$TMP/outgz" |
        sed "s|^$TMP/f.gz: ||")
  s=$(echo "$summary" | sed "s|^$path: ||")
  [ "$rcgz" = "$rc" ] && [ "$sgz" = "$s" ] ||
    problem "$file: gzip gives '$sgz' (exit $rcgz), plain '$s' (exit $rc)"
done < "$TMP/rows"

if [ -s "$TMP/se01fail" ]; then
  cat "$TMP/se01fail" >&2
  fail=$((fail + $(wc -l < "$TMP/se01fail")))
fi

# The whole corpus in one run under valgrind (an ASan BIN checks itself;
# a TSan BIN cannot run under valgrind; under RUNNER the runner checks
# it: exit 3 for the files with envelope errors, any other status is a
# failure).
awk -F'\t' -v d="$CORPUS" 'NR > 1 { print d "/" $1 }' "$CORPUS/INDEX.tsv" \
  > "$TMP/list"
if [ -n "$RUNNER" ]; then
  # shellcheck disable=SC2046
  $RUNNER "$BIN" stats $(cat "$TMP/list") > /dev/null 2> "$TMP/vg" < /dev/null
  rc=$?
  if [ "$rc" = 3 ]; then
    echo "e2e_corpus: $files files in one run under \$RUNNER: exit 3 as expected"
  else
    problem "whole corpus under \$RUNNER: exit $rc, expected 3"
    head -40 "$TMP/vg" >&2
  fi
elif grep -q -e __asan_init -e __tsan_init "$BIN" 2>/dev/null; then
  echo "e2e_corpus: sanitizer build: no valgrind run"
elif command -v valgrind > /dev/null 2>&1 && [ "${VALGRIND:-1}" != 0 ]; then
  # shellcheck disable=SC2046
  valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible \
    "$BIN" stats $(cat "$TMP/list") > /dev/null 2> "$TMP/vg" < /dev/null
  rc=$?
  if [ "$rc" = 99 ] || [ "$rc" -gt 128 ]; then
    problem "valgrind over the corpus: exit $rc"
    head -40 "$TMP/vg" >&2
  else
    echo "e2e_corpus: valgrind over $files files: no error, no leak"
  fi
else
  echo "e2e_corpus: NOTE: no valgrind run (not installed, or VALGRIND=0); make asan checks memory"
fi

if [ "$fail" -ne 0 ]; then
  echo "e2e_corpus: $fail failure(s) over $files files"
  exit 1
fi
echo "e2e_corpus: $files files OK ($(awk -F'\t' 'END { print NR }' "$TMP/exceptions") documented exceptions)"
exit 0
