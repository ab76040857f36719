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
# The runs are made here (RUNNER in front of them, see below); one
# tests/corpus_check.py compares all of them with the index afterwards.
# Set CORPUS to use another folder.  Under RUNNER (make valgrind) the
# per-file runs use it on every RUNNER_EVERY-th file only (default 1:
# all), and the one run over the whole corpus is made under RUNNER instead
# of a valgrind of its own: every file is still read under the runner
# once.
. tests/lib_e2e.sh
CORPUS=${CORPUS:-../shared/corpus}
[ -f "$CORPUS/INDEX.tsv" ] ||
  e2e_skip_all "$CORPUS not found: corpus statistics not tested"

# Files where the tool and the index disagree, checked by opening them.
# Columns (tab-separated): file, claims, lines, exit code, problem codes
# that must also be reported (space-separated, each at least once; "-"
# none), whether the notes' envelope issues apply (yes/no), reason.
cat > "$T/exceptions" <<'EOF'
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

# every file plain and gzip-compressed; results in $T/r/K.* (see
# tests/corpus_check.py)
R=$T/r
mkdir -p "$R"
awk -F'\t' 'NR > 1 { print $1 "\t" $9 }' "$CORPUS/INDEX.tsv" > "$T/rows"
files=0
while IFS="$TAB" read -r file _notes; do
  [ -n "$file" ] || continue
  files=$((files + 1))
  path="$CORPUS/$file"
  [ -f "$path" ] || continue
  run_nth $files stats "$path" >"$R/$files.out" 2>"$R/$files.err" </dev/null
  echo $? >"$R/$files.rc"
  gzip -c "$path" >"$R/$files.gz"
  run_nth $files stats "$R/$files.gz" >"$R/$files.gz.out" 2>&1 </dev/null
  echo $? >"$R/$files.gz.rc"
done < "$T/rows"
"$PYTHON" tests/corpus_check.py "$CORPUS" "$T/exceptions" "$R" >"$T/check" 2>&1
check_log "$files corpus files against INDEX.tsv (tests/corpus_check.py)" \
  $? "$T/check"

# The whole corpus in one run under valgrind (an ASan BIN checks itself;
# a TSan BIN cannot run under valgrind; under RUNNER the runner checks
# it: exit 3 for the files with envelope errors, any other status is a
# failure).
awk -F'\t' -v d="$CORPUS" 'NR > 1 { print d "/" $1 }' "$CORPUS/INDEX.tsv" \
  > "$T/list"
if [ -n "$RUNNER" ]; then
  # shellcheck disable=SC2046
  run_bin stats $(cat "$T/list") > /dev/null 2> "$T/vg" < /dev/null
  rc=$?
  if [ "$rc" = 3 ]; then
    ok "$files files in one run under \$RUNNER: exit 3 as expected"
  else
    fail "whole corpus under \$RUNNER: exit $rc, expected 3"
    head -40 "$T/vg"
  fi
elif grep -q -e __asan_init -e __tsan_init "$BIN" 2>/dev/null; then
  skip "sanitizer build: no valgrind run over the corpus"
elif command -v valgrind > /dev/null 2>&1 && [ "${VALGRIND:-1}" != 0 ]; then
  # shellcheck disable=SC2046
  valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible \
    "$BIN" stats $(cat "$T/list") > /dev/null 2> "$T/vg" < /dev/null
  rc=$?
  if [ "$rc" = 99 ] || [ "$rc" -gt 128 ]; then
    fail "valgrind over the corpus: exit $rc"
    head -40 "$T/vg"
  else
    ok "valgrind over $files files: no error, no leak"
  fi
else
  skip "no valgrind run over the corpus (not installed, or VALGRIND=0); make asan checks memory"
fi

e2e_done "$files files, $(awk 'END { print NR }' "$T/exceptions") documented exceptions"
