#!/bin/sh
# e2e_ack.sh -- the 999 and 277CA acknowledgments (src/write/ack*.c),
# written by tests/ack_driver.c for real inputs and checked by the
# independent checker tests/x12ack.py; the JSON writer's output read by
# Python's json module.
#
#  - the checker's own tests (tests/test_x12ack.py);
#  - every sample's 999 and 277CA pass the checker; the 277CA has one
#    claim for each claim `cart837` read, rejected exactly as many as it
#    held; the same input gives the same bytes, and dates come from the
#    input unless given;
#  - one SE01 changed and one claim made to be held (prof_basic.837):
#    the 999 and the 277CA summaries are exactly as expected;
#  - a GS06 that is not 1 to 9 digits (several garblings): both
#    acknowledgments pass the checker and name the group 0 (AK905 6);
#    cart837 reports GS06_INVALID and forwards the group's claims;
#  - an ST02 that is not AN 4/9 (several garblings): both pass the
#    checker and name the set 0000 (IK5 7); legal ones (letters, blanks
#    making up the 4 characters) are echoed; an ISA13 that is not 9
#    digits: no TA1 unless it can be echoed, the 277CA's TRN02 names the
#    interchange 000000000; cart837 reports ST02_INVALID / ISA13_INVALID
#    and forwards the claims;
#  - a truncated file: held whole (a TA1 R, no 277CA) or, as stdin's
#    rest, cut (the set read so far accepted with errors);
#  - the hostile inputs of tests/hostile_gen.py, held whole or cut: every
#    acknowledgment written passes the checker (a corrupt gzip gives
#    none, as it gives no output);
#  - every problem id the assembler reports has a row in the 999 table;
#  - the unit test's outputs (tests/test_internal_ack.c) pass the checker;
#  - the JSON writer's documents (indented and compact) pass python3 -m
#    json.tool, and its escapes decode as Python decodes the same bytes.
. tests/lib_e2e.sh

DRIVER=${ACK_DRIVER:-$(dirname "$BIN")/tests/ack_driver}
UNIT=${ACK_UNIT:-$(dirname "$BIN")/tests/test_internal_ack}
mkdir -p "$T/ack" "$T/dump" "$T/run"

# x12ack.py --summary of each FILE in turn, in one Python process, with
# '|' for the tabs; exit 1 (the violations on stderr) when one fails.
summaries() {
  "$PYTHON" - "$@" <<'PY' | tr '\t' '|'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tests")
import x12ack
sys.exit(max(x12ack.summary(f) for f in sys.argv[1:]))
PY
}

# ---- the checker's own tests
"$PYTHON" tests/test_x12ack.py >"$T/selftest" 2>&1 &&
  ok "x12ack.py: $(tail -1 "$T/selftest")" ||
  { fail "tests/test_x12ack.py"; cat "$T/selftest"; }

# ---- the samples: valid, complete, deterministic
ctl=100
for f in samples/*.837 samples/*.837.gz; do
  n=$(basename "$f")
  $RUNNER "$DRIVER" --control $ctl --date 20250821 --time 0600 "$f" \
    "$T/ack/$n.999" "$T/ack/$n.277" 2>"$T/err" ||
    { fail "ack_driver $n: exit $?"; cat "$T/err"; }
  ctl=$((ctl + 10))
done
$RUNNER "$DRIVER" --control 200 samples/cart_prof.837 "$T/d1.999" "$T/d1.277"
$RUNNER "$DRIVER" --control 200 samples/cart_prof.837 "$T/d2.999" "$T/d2.277"
cmp -s "$T/d1.999" "$T/d2.999" && cmp -s "$T/d1.277" "$T/d2.277" &&
  ok "the same input gives byte-identical acknowledgments" ||
  fail "acknowledgments differ between two runs"
# without --date: the input's GS04/GS05 (20250820 2310), not the clock
grep -q '^ISA\*.*\*250820\*2310\*^\*00501\*000000201\*' "$T/d1.999" &&
  grep -q '^GS\*HN\*NWCH00042\*CART837SAMPLE\*20250820\*2310\*200\*' "$T/d1.277" &&
  ok "dates and control numbers from the input and --control" ||
  { fail "dates / control numbers"; head -2 "$T/d1.999" "$T/d1.277"; }

run_bin -q -o "$T/run" --fail-on never samples >/dev/null 2>&1
"$PYTHON" - "$T/run/summary.txt" "$T/ack" >"$T/cmp" 2>&1 <<'PY'
import os, re, sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tests")
import x12ack
summary, ackdir = sys.argv[1], sys.argv[2]
want, name = {}, None
for line in open(summary):
    if not line.startswith(" "):  # "file: NAME", "total: ..."
        m = re.match(r"file: (\S+)", line)
        name = m.group(1) if m else None
    m = re.match(r"  claims (read|held): (\d+)", line)
    if m and name:
        want.setdefault(name, {})[m.group(1)] = int(m.group(2))
bad = 0
for n in sorted(f for f in want if "read" in want[f]):
    for ext in ("999", "277"):
        c = x12ack.Checker(os.path.join(ackdir, n + "." + ext))
        c.run()
        for e in c.errors:
            print("checker:", e)
            bad += 1
        if ext == "277":
            claims = [r for r in c.summary if r[0] == "claim"]
            held = [r for r in claims if r[3] == "rejected"]
            got = {"read": len(claims), "held": len(held)}
            if got != want[n]:
                print("%s: 277CA has %s, cart837 %s" % (n, got, want[n]))
                bad += 1
print("files", len(want), "bad", bad)
sys.exit(1 if bad or len(want) < 6 else 0)
PY
[ $? -eq 0 ] &&
  ok "samples: 999 and 277CA pass x12ack.py; the 277CA claims are cart837's ($(tail -1 "$T/cmp"))" ||
  { fail "samples against the checker and summary.txt"; cat "$T/cmp"; }

# ---- one envelope count and one held claim, reflected in both
sed -e 's/^SE\*65\*0001~$/SE*66*0001~/' \
    -e '37s/.*/SV1*HC:38225*135*UN*X***1~/' samples/prof_basic.837 >"$T/pm.837"
$RUNNER "$DRIVER" --control 100 --date 20250821 --time 0600 "$T/pm.837" \
  "$T/pm.999" "$T/pm.277"
summaries "$T/pm.999" "$T/pm.277" >"$T/pm.got" 2>&1
# the exact summaries, shared by e2e_ack.sh (driver) and e2e_ack_run.sh
# (binary), --ack-control 100, dated 2025-08-21 06:00
cp tests/ack-expected/prof_basic_se01_held.txt "$T/pm.want"
cmp -s "$T/pm.got" "$T/pm.want" &&
  ok "SE01 changed and WB-P-1002 held: 999 set 0001 E 4, 277CA rejects it (A7:476, HELD UNITS_INVALID LX1)" ||
  { fail "changed input: summaries differ"; diff "$T/pm.want" "$T/pm.got"; }
run_bin -q -o "$T/run-pm" --fail-on never "$T/pm.837" >/dev/null 2>&1
grep -q '"WB-P-1002",.*"UNITS_INVALID","error","held"' "$T/run-pm/findings.csv" &&
  grep -q 'ENVELOPE_INVALID' "$T/run-pm/findings.csv" &&
  ok "cart837 itself holds WB-P-1002 and reports the SE01" ||
  fail "cart837's findings for the changed input"

# ---- a GS06 that is not 1 to 9 digits is never echoed (X12 type N0):
# AK102 0 with AK905 6, group control number violates syntax (the digits
# when only blanks were around them), and the 277CA's BHT03 and 2200A TRN02
# name the group 0 too; GS06 and GE02 garbled alike, through the driver
# (before: AK1*HC*1A2B, which x12ack.py rejects)
bad=""
for g in 1A2B EMPTY 1234567890 +101 -1 ' 101' '1 2' NUL ABCDEFGHIJKLMNOPQRST
do
  case $g in EMPTY) v= ;; NUL) v='1\x00' ;; *) v=$g ;; esac
  case $g in ' 101') n=101 ;; *) n=0 ;; esac
  sed -e "s/^GS\*\(.*\)\*1200\*101\*X\*/GS*\1*1200*$v*X*/" \
      -e "s/^GE\*3\*101~/GE*3*$v~/" samples/prof_basic.837 >"$T/g6.837"
  $RUNNER "$DRIVER" --control 100 --date 20250821 --time 0600 "$T/g6.837" \
    "$T/g6.999" "$T/g6.277" 2>"$T/err" || bad="$bad [$g]:exit$?"
  # (summaries' status is tr's: the checker's own says whether it passed)
  "$PYTHON" tests/x12ack.py "$T/g6.999" "$T/g6.277" >"$T/err" 2>&1 ||
    { bad="$bad [$g]:checker"; cat "$T/err"; }
  summaries "$T/g6.999" "$T/g6.277" >"$T/g6.sum" 2>&1
  [ "$(grep '^ack999|' "$T/g6.sum")" = \
    "ack999|0001|HC|$n|005010X222A1|E|3|3|3|6" ] &&
    [ "$(grep -c "^BHT\*0085\*08\*$n-000[123]\*" "$T/g6.277")" = 3 ] &&
    [ "$(grep -c "^TRN\*1\*000000101-$n-000[123]~" "$T/g6.277")" = 3 ] ||
    { bad="$bad [$g]:bytes"; grep '^AK1\|^AK9\|^BHT\|^TRN\*1\*0' \
        "$T/g6.999" "$T/g6.277"; }
done
[ -z "$bad" ] &&
  ok "9 garbled GS06: the 999 and the 277CA pass x12ack.py, AK102 0 (101 for ' 101') with AK905 6, BHT03 / TRN02 with 0" ||
  fail "garbled GS06:$bad"
# the brief's case through the binary: GS06 1A2B (GE02 still 101)
sed 's/\*1200\*101\*X\*005010X222A1/*1200*1A2B*X*005010X222A1/' \
  samples/prof_basic.837 >"$T/g1.837"
run_bin -q -o "$T/run-g1" --ack 999,277 --fail-on never "$T/g1.837" \
  >/dev/null 2>&1
"$PYTHON" tests/x12ack.py "$T/run-g1/ack/g1.837.999" \
  "$T/run-g1/ack/g1.837.277" >"$T/err" 2>&1 &&
  grep -q '^AK1\*HC\*0\*005010X222A1~$' "$T/run-g1/ack/g1.837.999" &&
  grep -q '^AK9\*E\*3\*3\*3\*4\*6~$' "$T/run-g1/ack/g1.837.999" &&
  ok "cart837 --ack: GS06 1A2B gives AK1*HC*0 and AK9 codes 4 (GE02) and 6; both pass x12ack.py" ||
  { fail "cart837 --ack with GS06 1A2B"; cat "$T/err" "$T/run-g1/ack/g1.837.999"; }
# its claims: forwarded as they came (the finding flags them, as for a
# GS04_DATE or a GS06_DUPLICATE), none held
grep -q '"ENVELOPE_INVALID","error","flagged","GS06_INVALID: GS06='"'"'1A2B'"'"' is not a group control number: 1 to 9 digits, with no sign, blank or other character",.*,"2","107",' \
  "$T/run-g1/findings.csv" &&
  cmp -s "$T/g1.837" "$T/run-g1/g1.837" &&
  grep -q 'claims in = corrected + held: 9 = 9 + 0' "$T/run-g1/summary.txt" &&
  ok "GS06_INVALID is an ENVELOPE_INVALID finding at the GS (segment 2, byte 107); the 9 claims forwarded, the file as it came" ||
  { fail "GS06_INVALID finding / corrected output"; cat "$T/run-g1/findings.csv"; }

# ---- an ST02 that X12 does not allow in AK202 (AN 4/9) is never echoed:
# AK202 0000 with IK5 7, missing or invalid transaction set control
# number, and the 277CA's BHT03 / 2200A TRN02 name the set 0000 too;
# values X12 allows (letters, lower case, blanks that make up the 4
# characters) are echoed as they are.  ST02 and SE02 of the first set
# garbled alike, through the driver (before: AK2*837*1*, which x12ack.py
# rejects)
bad=""
for g in 1 123 EMPTY 1234567890 BLANKS '12:4' '12^4' NUL A1b2 '1   ' \
  '300145997 '
do
  case $g in EMPTY) v= ;; BLANKS) v='    ' ;; NUL) v='12\x004' ;; *) v=$g ;; esac
  # (the NUL is SEGMENT_NUL_BYTE too: an IK3, and IK5 code 5)
  # (trailing blanks past the 4 characters are padding, left out)
  case $g in A1b2|'1   ') n=$v sc='A|-' ak='A' ;; NUL) n=0000 sc='E|5,7' ak='E' ;;
    '300145997 ') n=300145997 sc='A|-' ak='A' ;;
    *) n=0000 sc='E|7' ak='E' ;; esac
  sed -e "s/^ST\*837\*0001\*/ST*837*$v*/" -e "s/^SE\*65\*0001~/SE*65*$v~/" \
    samples/prof_basic.837 >"$T/s2.837"
  $RUNNER "$DRIVER" --control 100 --date 20250821 --time 0600 "$T/s2.837" \
    "$T/s2.999" "$T/s2.277" 2>"$T/err" || bad="$bad [$g]:exit$?"
  "$PYTHON" tests/x12ack.py "$T/s2.999" "$T/s2.277" >"$T/err" 2>&1 ||
    { bad="$bad [$g]:checker"; cat "$T/err"; }
  summaries "$T/s2.999" "$T/s2.277" >"$T/s2.sum" 2>&1
  [ "$(grep '^ack999|' "$T/s2.sum")" = \
    "ack999|0001|HC|101|005010X222A1|$ak|3|3|3|-" ] &&
    [ "$(grep '^set|' "$T/s2.sum" | head -1)" = \
      "set|0001|837|$n|005010X222A1|$sc" ] &&
    grep -q "^BHT\*0085\*08\*101-$n\*" "$T/s2.277" &&
    grep -q "^TRN\*1\*000000101-101-$n~" "$T/s2.277" ||
    { bad="$bad [$g]:bytes"; grep '^AK2\|^IK5\|^AK9\|^BHT\|^TRN\*1\*0' \
        "$T/s2.999" "$T/s2.277"; }
done
[ -z "$bad" ] &&
  ok "11 ST02 (8 garbled, 3 legal): the 999 and the 277CA pass x12ack.py, AK202 / BHT03 / TRN02 0000 with IK5 7 (and 5 for a NUL), A1b2 and '1   ' echoed, '300145997 ' as 300145997" ||
  fail "garbled ST02:$bad"
# the brief's case through the binary: ST02 1 (SE02 1)
sed -e 's/^ST\*837\*0001\*/ST*837*1*/' -e 's/^SE\*65\*0001~/SE*65*1~/' \
  samples/prof_basic.837 >"$T/s1.837"
run_bin -q -o "$T/run-s1" --ack 999,277 --fail-on never "$T/s1.837" \
  >/dev/null 2>&1
"$PYTHON" tests/x12ack.py "$T/run-s1/ack/s1.837.999" \
  "$T/run-s1/ack/s1.837.277" >"$T/err" 2>&1 &&
  grep -q '^AK2\*837\*0000\*005010X222A1~$' "$T/run-s1/ack/s1.837.999" &&
  grep -q '^IK5\*E\*7~$' "$T/run-s1/ack/s1.837.999" &&
  grep -q '^AK9\*E\*3\*3\*3~$' "$T/run-s1/ack/s1.837.999" &&
  ok "cart837 --ack: ST02 1 gives AK2*837*0000 with IK5 E 7; both pass x12ack.py" ||
  { fail "cart837 --ack with ST02 1"; cat "$T/err" "$T/run-s1/ack/s1.837.999"; }
grep -q '"ENVELOPE_INVALID","error","flagged","ST02_INVALID: ST02='"'"'1'"'"' is not a transaction set control number: 4 to 9 characters, not all blanks, with no control character or delimiter",.*,"3","171",' \
  "$T/run-s1/findings.csv" &&
  cmp -s "$T/s1.837" "$T/run-s1/s1.837" &&
  grep -q 'claims in = corrected + held: 9 = 9 + 0' "$T/run-s1/summary.txt" &&
  ok "ST02_INVALID is an ENVELOPE_INVALID finding at the ST (segment 3, byte 171); the 9 claims forwarded, the file as it came" ||
  { fail "ST02_INVALID finding / corrected output"; cat "$T/run-s1/findings.csv"; }

# ---- an ISA13 that is not 9 digits (X12 I12, N0 9/9): TA101 cannot echo
# it, so no TA1 is written (as for ISA09_DATE), unless it is 9 digits
# once the blanks around are trimmed (then TA1 E 018, invalid control
# number); the 277CA's 2200A TRN02 names the interchange 000000000.  ISA13
# and IEA02 garbled alike, through the driver
bad=""
for g in 00000010A ' 00000101' +00000101 00000101 '000000101 ' NUL
do
  case $g in NUL) v='0000\x000101' ;; *) v=$g ;; esac
  case $g in '000000101 ') n=000000101 ta='ta1|000000101|250315|1200|E|018' ;;
    *) n=000000000 ta= ;; esac
  sed -e "s/\*00501\*000000101\*/*00501*$v*/" \
      -e "s/^IEA\*1\*000000101~/IEA*1*$v~/" samples/prof_basic.837 >"$T/i13.837"
  $RUNNER "$DRIVER" --control 100 --date 20250821 --time 0600 "$T/i13.837" \
    "$T/i13.999" "$T/i13.277" 2>"$T/err" || bad="$bad [$g]:exit$?"
  "$PYTHON" tests/x12ack.py "$T/i13.999" "$T/i13.277" >"$T/err" 2>&1 ||
    { bad="$bad [$g]:checker"; cat "$T/err"; }
  summaries "$T/i13.999" "$T/i13.277" >"$T/i13.sum" 2>&1
  [ "$(grep '^ta1|' "$T/i13.sum")" = "$ta" ] &&
    [ "$(grep '^ack999|' "$T/i13.sum")" = \
      "ack999|0001|HC|101|005010X222A1|A|3|3|3|-" ] &&
    [ "$(grep -c "^TRN\*1\*$n-101-000[123]~" "$T/i13.277")" = 3 ] ||
    { bad="$bad [$g]:bytes"; grep '^TA1\|^AK9\|^TRN\*1\*0' \
        "$T/i13.999" "$T/i13.277"; }
done
[ -z "$bad" ] &&
  ok "6 garbled ISA13: the 999 and the 277CA pass x12ack.py, no TA1 (TA1 E 018 for '000000101 '), TRN02 000000000" ||
  fail "garbled ISA13:$bad"
sed -e 's/\*00501\*000000101\*/*00501*00000010A*/' \
    -e 's/^IEA\*1\*000000101~/IEA*1*00000010A~/' samples/prof_basic.837 \
  >"$T/i1.837"
run_bin -q -o "$T/run-i1" --ack 999,277 --fail-on never "$T/i1.837" \
  >/dev/null 2>&1
"$PYTHON" tests/x12ack.py "$T/run-i1/ack/i1.837.999" \
  "$T/run-i1/ack/i1.837.277" >"$T/err" 2>&1 &&
  ! grep -q '^TA1' "$T/run-i1/ack/i1.837.999" &&
  grep -q '^TRN\*1\*000000000-101-0001~$' "$T/run-i1/ack/i1.837.277" &&
  grep -q '"ENVELOPE_INVALID","error","flagged","ISA13_INVALID: ISA13='"'"'00000010A'"'"' is not an interchange control number: 9 digits, with no sign, blank or other character",.*,"1","0",' \
    "$T/run-i1/findings.csv" &&
  cmp -s "$T/i1.837" "$T/run-i1/i1.837" &&
  grep -q 'claims in = corrected + held: 9 = 9 + 0' "$T/run-i1/summary.txt" &&
  ok "cart837 --ack: ISA13 00000010A is an ISA13_INVALID finding (segment 1, byte 0), no TA1, TRN02 000000000; the 9 claims forwarded" ||
  { fail "cart837 --ack with ISA13 00000010A"; cat "$T/err" "$T/run-i1/findings.csv"; }

# ---- a file that cannot be read to its end
head -c 3000 samples/prof_basic.837 >"$T/cut.837"
$RUNNER "$DRIVER" --control 7 "$T/cut.837" "$T/hw.999" "$T/hw.277" 2>"$T/err"
rc=$?
# the first 3000 bytes of prof_basic.837, held whole (--ack-control 7)
cp tests/ack-expected/prof_basic_cut3000_whole.999 "$T/hw.want"
[ $rc -eq 3 ] && cmp -s "$T/hw.999" "$T/hw.want" && [ ! -e "$T/hw.277" ] &&
  ok "held whole: the 999 is one TA1 R 023, no 277CA" ||
  { fail "held whole (exit $rc)"; cat "$T/hw.999" "$T/err"; }
$RUNNER "$DRIVER" --rest --control 7 "$T/cut.837" "$T/rest.999" \
  "$T/rest.277" 2>/dev/null
summaries "$T/rest.999" "$T/hw.999" "$T/rest.277" 2>&1 |
  grep -v '^claim|\|^provider|\|^ack277|' >"$T/rest.got"
# the same on stdin: cut (shared with e2e_ack_run.sh)
{ cat tests/ack-expected/prof_basic_cut3000_stdin.txt; cat <<'X'
interchange|000000008|NWCH00042|CART837SAMPLE|250315|1200
ta1|000000101|250315|1200|R|023
interchange|000000007|NWCH00042|CART837SAMPLE|250315|1200
group|HN|7|20250315|1200|005010X214
X
} >"$T/rest.want"
cmp -s "$T/rest.got" "$T/rest.want" &&
  ok "cut (stdin's rest): TA1 E 023, the cut set E 2 (its claims were forwarded)" ||
  { fail "cut"; diff "$T/rest.want" "$T/rest.got"; }

# ---- hostile inputs
"$PYTHON" tests/hostile_gen.py "$T/hostile" >/dev/null
mkdir -p "$T/hostile/ack"
nh=0 bad=""
for f in "$T"/hostile/in/m_*; do
  n=$(basename "$f")
  nh=$((nh + 1))
  for mode in whole rest; do
    opt=; [ $mode = rest ] && opt=--rest
    $RUNNER "$DRIVER" $opt --control 5 "$f" "$T/hostile/ack/$mode-$n.999" \
      "$T/hostile/ack/$mode-$n.277" 2>/dev/null
    rc=$?
    case $rc in 0|3|4) ;; *) bad="$bad $mode-$n:exit$rc" ;; esac
  done
done
ls "$T"/hostile/ack/*crc_gz* >/dev/null 2>&1 && bad="$bad crc_gz-has-output"
"$PYTHON" tests/x12ack.py "$T"/hostile/ack/* >"$T/err" 2>&1 || bad="$bad checker"
[ $nh -ge 30 ] && [ -z "$bad" ] &&
  ok "$nh hostile inputs, held whole and cut: every acknowledgment passes x12ack.py" ||
  { fail "hostile inputs ($nh):$bad"; head -20 "$T/err"; }

# ---- every problem id (C837_PROBLEM_MAP) has a row in the 999 table
ids=$("$DRIVER" --problems)
n=0 missing=""
for id in $ids; do
  n=$((n + 1))
  $RUNNER "$DRIVER" --rule "$id" || missing="$missing $id"
done
[ $n -ge 20 ] && [ -z "$missing" ] &&
  ok "the 999 table maps all $n problem ids of C837_PROBLEM_MAP" ||
  fail "problem ids without a 999 rule ($n found):$missing"

# ---- the unit test's outputs, and the JSON writer
if [ -x "$UNIT" ]; then
  ACK_DUMP_DIR="$T/dump" $RUNNER "$UNIT" >/dev/null 2>&1
  x=$(ls "$T/dump"/*.x12 2>/dev/null | wc -l)
  "$PYTHON" tests/x12ack.py "$T/dump"/*.x12 >"$T/err" 2>&1 && [ "$x" -ge 15 ] &&
    ok "the unit test's $x acknowledgments pass x12ack.py" ||
    { fail "unit test outputs ($x files)"; cat "$T/err"; }
else
  fail "$UNIT is not built"
fi
mkdir -p "$T/json"
$RUNNER "$DRIVER" --json "$T/json"
"$PYTHON" -m json.tool "$T/json/indented.json" >/dev/null 2>"$T/err" ||
  { fail "python3 -m json.tool"; cat "$T/err"; }
"$PYTHON" - "$T/json/indented.json" "$T/json/compact.json" >"$T/err" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc == json.load(open(sys.argv[2], encoding="utf-8")), "docs differ"
bad = [c["hex"] for c in doc["cases"]
       if c["text"] != bytes.fromhex(c["hex"]).decode("utf-8", "replace")]
assert not bad, "decoded differently: %s" % bad
assert doc["int_min"] == -2**63 and doc["uint_max"] == 2**64 - 1
assert doc["flags"] == [True, False, None] and doc["empty"] == {}
print(len(doc["cases"]), "strings")
PY
[ $? -eq 0 ] &&
  ok "JSON writer: python3 -m json.tool reads its documents; $(cat "$T/err") decode as Python decodes their bytes" ||
  { fail "JSON writer output"; cat "$T/err"; }

e2e_done
