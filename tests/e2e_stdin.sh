#!/bin/sh
# e2e_stdin.sh -- nothing lost on input that cannot be read twice.
#
# Standard input and FIFOs cannot be read again to hold a file whole:
#   - a claim or segment the writer refuses (a claim to hold outside an
#     ISA / GS / ST envelope: tests/fuzz-regress/writer-hold-outside-isa.x12;
#     HL nesting deeper than C837_MAX_HL_DEPTH after a held claim): stdout
#     (or OUT/NAME) holds what came before it, OUT/held/NAME.unparsed that
#     claim or segment and the rest of the input, as they came; exit 3,
#     one findings row and a message that say so;
#   - endless input that never parses (/dev/zero as a file, zeros on a
#     pipe): stops after C837_MAX_UNPARSED_NOISA (1 MiB) kept, exit 3,
#     the message says the rest was not read; text that is not X12 and
#     smaller than that is kept whole;
#   - summary.txt does not count the claims of a file held whole, or of
#     an unparsed rest, and says so.
. tests/lib_e2e.sh
# exactly the text $2 in file $1
is() { printf '%s' "$2" | cmp -s - "$1"; }
# findings.csv rows of directory $1 without the header (CRLF -> LF)
rows() { tail -n +2 "$1/findings.csv" | tr -d '\r'; }

# inputs: (3) HL nesting one level deeper than the writer tracks, after a
# held claim; (5) text that is not X12; (6) a 70 KB segment after the
# first claim of a sample
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
head = ('ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       '
        '*250101*1200*^*00501*000000001*0*P*:~\n'
        'GS*HC*S*R*20250101*1200*1*X*005010X222A1~\n'
        'ST*837*0001*005010X222A1~\nBHT*0019*00*1*20250101*1200*CH~\n'
        'HL*1**20*1~\nNM1*85*2*C*****XX*1234567893~\n'
        'HL*2*1*22*1~\nNM1*IL*1*DOE*JANE****MI*M1~\n')
held = ('CLM*A*100***11:B:1~\nLX*1~\nSV1*HC:38228*100*UN~\n'
        'DTP*472*D8*20250601~\n')
mid = ''.join('HL*%d*%d*23*1~\nNM1*QC*1*DOE*KID%d~\n' % (k, k - 1, k)
              for k in range(3, 65))
rest = ('HL*65*64*23*0~\nNM1*QC*1*DOE*KID~\nCLM*B*10***11:B:1~\nLX*1~\n'
        'SV1*HC:99213*10*UN*1~\nSE*999*0001~\nGE*1*1~\nIEA*1*000000001~\n')
open(t + '/deep.837', 'w').write(head + held + mid + rest)
kept = head + mid
closers = 'SE*%d*0001~\nGE*1*1~\nIEA*1*000000001~\n' % (
    kept[kept.index('ST*'):].count('~') + 1)
open(t + '/deep.out', 'w').write(kept + closers)
open(t + '/deep.kept', 'w').write(kept)
open(t + '/deep.held_claim', 'w').write(held)
open(t + '/deep.rest', 'w').write(rest)
open(t + '/text', 'w').write(''.join('line %d of a report, not X12\n' % i
                                     for i in range(10000)))
src = open('samples/cart_prof.837').read()
i = src.index('CLM*', src.index('CLM*') + 1)
open(t + '/whole.837', 'w').write(src[:i] + 'NTE*ADD*' + 'X' * 70000 + '~' + src[i:])
PY

# 1. the fuzz reproducer on stdin (filter mode)
IN=tests/fuzz-regress/writer-hold-outside-isa.x12
run_bin -o "$T/o1" - <"$IN" >"$T/o1.out" 2>"$T/o1.err"
rc=$?
m="claim  is not inside an ISA / GS / ST envelope: it cannot be held in an envelope of its own; that claim and the rest of the input (21 bytes) are kept as they came in held/stdin.837.unparsed"
[ $rc -eq 3 ] && is "$T/o1.out" 'ISA****************:~IEA~ST*837~' &&
  is "$T/o1/held/stdin.837.unparsed" 'CLM~LX~SV1*:38227~GE~' &&
  [ ! -e "$T/o1/held/stdin.837" ] &&
  ok "held claim outside ISA/GS on stdin: exit 3, stdout = what came before it, the claim and the rest in OUT/held/stdin.837.unparsed" ||
  fail "held claim outside ISA/GS on stdin: rc $rc, stdout $(wc -c <"$T/o1.out") bytes"
cat "$T/o1.out" "$T/o1/held/stdin.837.unparsed" 2>/dev/null | cmp -s - "$IN" &&
  ok "held claim outside ISA/GS on stdin: stdout + unparsed rest = input" ||
  fail "held claim outside ISA/GS on stdin: bytes lost or doubled"
grep -qxF "cart837: stdin.837: byte 32, segment 4: $m" "$T/o1.err" &&
  ok "held claim outside ISA/GS on stdin: the message says where the rest went" ||
  { fail "held claim outside ISA/GS: message"; sed 's/^/    /' "$T/o1.err"; }
# (the 8th finding: the ISA has no ISA13, the ST no ST02)
[ "$(rows "$T/o1" | tail -1)" = "\"stdin.837\",\"\",\"\",\"\",\"\",\"\",\"\",\"ENVELOPE_INVALID\",\"error\",\"flagged\",\"ECLAIM: $m\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"4\",\"32\",\"8\",\"\",\"\",\"\",\"\"" ] &&
  [ "$(grep -c '"UNITS_INVALID"' "$T/o1/findings.csv")" -eq 0 ] &&
  ok "held claim outside ISA/GS on stdin: one ENVELOPE_INVALID row, no rows of the unread claim" ||
  { fail "held claim outside ISA/GS: findings"; sed 's/^/    /' "$T/o1/findings.csv"; }

# 2. the same from a FIFO: OUT/fifo + OUT/held/fifo.unparsed = input
if mkfifo "$T/fifo" 2>/dev/null; then
  cat "$IN" >"$T/fifo" &
  w=$!
  run_bin -q -o "$T/o2" "$T/fifo" 2>"$T/o2.err"
  rc=$?
  kill $w 2>/dev/null # (a run that never opened the FIFO leaves it waiting)
  wait $w
  [ $rc -eq 3 ] && cat "$T/o2/fifo" "$T/o2/held/fifo.unparsed" 2>/dev/null |
    cmp -s - "$IN" && is "$T/o2/fifo" 'ISA****************:~IEA~ST*837~' &&
    ok "held claim outside ISA/GS from a FIFO: OUT/fifo + OUT/held/fifo.unparsed = input, exit 3" ||
    fail "held claim outside ISA/GS from a FIFO: rc $rc"
else
  skip "FIFO (mkfifo failed)"
fi

# 3. HL nesting one level deeper than the writer tracks, after a held
# claim in the same transaction: the writer refuses that HL; stdout is
# the input up to it without the held claim, closed with the SE, GE and
# IEA it lacks (what is rewritten is closed), the held claim is held,
# the HL and the rest are the unparsed rest
run_bin -o "$T/o3" - <"$T/deep.837" >"$T/o3.out" 2>"$T/o3.err"
rc=$?
[ $rc -eq 3 ] && cmp -s "$T/o3.out" "$T/deep.out" &&
  cmp -s "$T/o3/held/stdin.837.unparsed" "$T/deep.rest" &&
  grep -qF "$(cat "$T/deep.held_claim")" "$T/o3/held/stdin.837" &&
  ok "HL nesting too deep after a held claim on stdin: stdout, held claim and unparsed rest are the input, exit 3" ||
  { fail "HL nesting too deep on stdin: rc $rc"; sed 's/^/    /' "$T/o3.err"; }
grep -q "^cart837: stdin.837: byte $(wc -c <"$T/deep.kept" | awk -v h="$(wc -c <"$T/deep.held_claim")" '{print $1 + h}'), segment [0-9]*: HL nesting deeper than 64 levels in a transaction with a fixed or held claim: cannot rewrite it; that segment and the rest of the input ($(wc -c <"$T/deep.rest" | tr -d ' ') bytes) are kept as they came in held/stdin.837.unparsed\$" "$T/o3.err" &&
  ok "HL nesting too deep on stdin: the message names the HL and the unparsed rest" ||
  { fail "HL nesting too deep: message"; sed 's/^/    /' "$T/o3.err"; }
run_bin stats "$T/o3/held/stdin.837" >"$T/o3.stats" 2>&1 &&
  ok "HL nesting too deep on stdin: the held output reads back without an envelope problem" ||
  { fail "HL nesting too deep: held output"; sed 's/^/    /' "$T/o3.stats"; }

# 4. /dev/zero named on the command line never ends: 1 MiB kept, then
# the run stops with exit 3 (without a limit it would fill the disk)
if [ -c /dev/zero ]; then
  timeout 60 $RUNNER "$BIN" -o "$T/o4" /dev/zero 2>"$T/o4.err"
  rc=$?
  n=$(wc -c <"$T/o4/held/zero.unparsed" 2>/dev/null || echo none)
  [ $rc -eq 3 ] && [ "$n" = 1048576 ] &&
    [ -z "$(tr -d '\000' <"$T/o4/held/zero.unparsed")" ] &&
    grep -q "^cart837: zero: byte 0, segment 1: expected an ISA segment, found '.*'; only the first 1048576 bytes of the unparsed rest are kept, as they came, in held/zero.unparsed (the limit for input that is not X12): reading stopped there, the [0-9]* bytes read past them and the rest of the input were dropped\$" "$T/o4.err" &&
    ok "/dev/zero as input: stops with exit 3 after 1 MiB kept in OUT/held/zero.unparsed, says so" ||
    { fail "/dev/zero: rc $rc, $n bytes kept"; sed 's/^/    /' "$T/o4.err"; }
  grep -qxF "  unparsed rest: 1048576 bytes in held/zero.unparsed, not read as claims; cut at its limit: the rest of the input was not read" "$T/o4/summary.txt" &&
    ok "/dev/zero as input: summary.txt says the rest was not read" ||
    fail "/dev/zero: summary.txt"
fi

# 5. zeros on a pipe, and text that is not X12 (smaller than the limit:
# kept whole)
head -c 5000000 /dev/zero | run_bin -q -o "$T/o5" - >"$T/o5.out" 2>"$T/o5.err"
rc=$?
[ $rc -eq 3 ] && [ ! -s "$T/o5.out" ] &&
  [ "$(wc -c <"$T/o5/held/stdin.837.unparsed")" -eq 1048576 ] &&
  ok "zeros on stdin: exit 3, nothing on stdout, 1 MiB kept" ||
  fail "zeros on stdin: rc $rc"
run_bin -q -o "$T/o6" - <"$T/text" >"$T/o6.out" 2>"$T/o6.err"
rc=$?
[ $rc -eq 3 ] && cmp -s "$T/o6/held/stdin.837.unparsed" "$T/text" &&
  grep -qxF "  unparsed rest: $(wc -c <"$T/text" | tr -d ' ') bytes in held/stdin.837.unparsed, not read as claims" "$T/o6/summary.txt" &&
  ok "text that is not X12 on stdin, under 1 MiB: kept whole, exit 3" ||
  fail "text on stdin: rc $rc"

# 6. a regular file held whole: its claims are not counted, and summary
# says so (a 70 KB segment after the first claim of the sample)
run_bin -q -o "$T/o7" "$T/whole.837" samples/prof_basic.837 2>/dev/null
rc=$?
sed -n '/^file: whole.837$/,/^$/p' "$T/o7/summary.txt" >"$T/o7.block"
[ $rc -eq 3 ] && cmp -s "$T/o7/held/whole.837" "$T/whole.837" &&
  grep -qxF "  held whole: held/whole.837 is the file as it came; its claims are not counted (1 complete claim(s) were read before the error)" "$T/o7.block" &&
  grep -qxF "  claims held: not counted" "$T/o7.block" &&
  grep -qxF "  claims in = corrected + held: not counted" "$T/o7.block" &&
  ok "file held whole: summary.txt does not count its claims and says so" ||
  { fail "file held whole: summary (rc $rc)"; sed 's/^/    /' "$T/o7.block"; }
got=$(grep -o 'data-k="file.1.claims[a-z_]*">[^<]*<' "$T/o7/report.html" | tr '\n' ' ')
want='data-k="file.1.claims">not counted< data-k="file.1.claims_passed">not counted< data-k="file.1.claims_fixed">not counted< data-k="file.1.claims_held">not counted< '
[ "$got" = "$want" ] &&
  ok "file held whole: report.html does not count its claims either" ||
  { fail "file held whole: report.html"; echo "    found: $got"; }
awk '/^total:/{t=1} t' "$T/o7/summary.txt" >"$T/o7.total"
c=$(awk '/^  claims read:/{print $3}' "$T/o7.total")
p=$(awk '/^  claims passed:/{print $3}' "$T/o7.total")
f=$(awk '/^  claims fixed:/{print $3}' "$T/o7.total")
h=$(awk '/^  claims held:/{print $3}' "$T/o7.total")
grep -qxF "  not counted below: the claims of 1 file(s) that could not be read to their end (see the files above)" "$T/o7.total" &&
  [ -n "$c" ] && [ "$c" -gt 0 ] && [ "$c" -eq $((p + f + h)) ] &&
  grep -qxF "  claims in = corrected + held: $c = $((p + f)) + $h" "$T/o7.total" &&
  ok "file held whole: the totals count the other file, claims in = corrected + held" ||
  { fail "file held whole: totals"; sed 's/^/    /' "$T/o7.total"; }

e2e_done
