#!/bin/sh
# e2e_robust.sh -- bad input and failing outputs at the level of a run.
#
# Every claim that goes in comes out (corrected or held) or the file fails
# with nothing kept; bad input gets a message and the right exit status:
#   - an empty file and a file without ISA: held whole, exit 3;
#   - a claim over a claim limit, a segment over C837_MAX_SEGMENT after
#     CAR-T claims: the file is held whole, byte-identical, nothing of it
#     forwarded or left in the reports or the ledger, exit 3;
#   - the same from stdin: what was read goes out, the unparsed rest is
#     kept in OUT/held/stdin.837.unparsed (stdout + rest = input);
#   - gzip followed by data that is not gzip, a truncated gzip: exit 4,
#     no output, no ledger rows;
#   - --report-only with stdin writes nothing to stdout;
#   - a full disk (ulimit -f): exit 4 with the write error, no output;
#   - the output directory inside an input directory is not read back;
#     an output that would overwrite its input is refused;
#   - a file cut inside a claim or before its SE is held whole;
#   - a held file that cannot be committed takes the corrected one along;
#   - D/held/x.837 and D/x.837 (same OUT/held/x.837): the second skipped;
#   - a FIFO gets the stdin policy; gzip zero padding is accepted;
#   - a re-sent interchange does not hide the ledger from a new one.
. tests/lib_e2e.sh
S=samples/cart_prof.837

# inputs
: >"$T/empty.837"
"$PYTHON" - "$T" "$S" <<'PY'
import gzip, re, sys
t, sample = sys.argv[1:3]
src = open(sample).read()
# a 70 KB NTE segment right after BHT: a segment over C837_MAX_SEGMENT
i = src.index('~', src.index('BHT*')) + 1
open(t + '/huge.837', 'w').write(src[:i] + 'NTE*ADD*' + 'X' * 70000 + '~' + src[i:])
# one claim with 12000 lines: over C837_MAX_LINES
clm = src.index('CLM*')
lx = src.index('LX*', clm)
end = src.index('HL*', lx)
line = src[lx:end]
lines = ''.join(re.sub(r'^LX\*\d+', 'LX*%d' % (k + 1), line) for k in range(12000))
open(t + '/many.837', 'w').write(src[:lx] + lines + src[end:])
# gzip followed by zero padding, and by something after the padding
d = gzip.compress(open(sample, 'rb').read())
open(t + '/pad.gz', 'wb').write(d + b'\0' * 10)
open(t + '/padx.gz', 'wb').write(d + b'\0' * 10 + b'x')
PY
gzip -c "$S" >"$T/gg.837.gz"
printf 'ISA*plain text after the member~\n' >>"$T/gg.837.gz"
gzip -c "$S" | head -c 1500 >"$T/trunc.837.gz"

# 1. empty file, named on the command line
run_bin -q -o "$T/o1" "$T/empty.837" 2>"$T/e1"
rc=$?
[ $rc -eq 3 ] && [ ! -e "$T/o1/empty.837" ] && [ -f "$T/o1/held/empty.837" ] &&
  [ ! -s "$T/o1/held/empty.837" ] && ok "empty file: held whole, exit 3" ||
  fail "empty file: rc $rc"
grep -q '"ENOISA: ' "$T/o1/findings.csv" && ok "empty file: ENOISA reported" ||
  fail "empty file: no ENOISA row"

# 2. segment over the limit after the header: the file is held whole
run_bin -q -o "$T/o2" --state "$T/L2.csv" "$T/huge.837" 2>"$T/e2"
rc=$?
[ $rc -eq 3 ] && ok "huge segment: exit 3" || fail "huge segment: rc $rc"
[ ! -e "$T/o2/huge.837" ] && ok "huge segment: nothing forwarded" ||
  fail "huge segment: OUT/huge.837 written"
cmp -s "$T/huge.837" "$T/o2/held/huge.837" &&
  ok "huge segment: held whole, byte-identical" || fail "huge segment: held copy"
n=$(tail -n +2 "$T/o2/findings.csv" | wc -l)
grep -q 'ETOOLONG' "$T/o2/findings.csv" && [ "$n" -eq 1 ] &&
  ok "huge segment: one ENVELOPE_INVALID row, nothing else" ||
  fail "huge segment: $n finding rows"
n=$(($(wc -l <"$T/L2.csv") - 1))
[ "$n" -eq 0 ] && ok "huge segment: no ledger rows" || fail "huge segment: $n ledger rows"
grep -q 'byte [0-9]*, segment [0-9]*: .*held whole' "$T/e2" 2>/dev/null ||
  run_bin -o "$T/o2b" "$T/huge.837" 2>&1 | grep -q 'segment [0-9]*: .*held whole' &&
  ok "huge segment: message with byte offset and segment" ||
  fail "huge segment: message"

# 3. claim over C837_MAX_LINES
run_bin -q -o "$T/o3" "$T/many.837" 2>/dev/null
rc=$?
[ $rc -eq 3 ] && [ ! -e "$T/o3/many.837" ] && cmp -s "$T/many.837" "$T/o3/held/many.837" &&
  grep -q 'ECLAIM' "$T/o3/findings.csv" &&
  ok "claim over the line limit: held whole, exit 3" || fail "claim limit: rc $rc"

# 4. stdin with a parse error: stdout + unparsed rest = input
run_bin -q -o "$T/o4" - <"$T/huge.837" >"$T/o4.out" 2>/dev/null
rc=$?
cat "$T/o4.out" "$T/o4/held/stdin.837.unparsed" 2>/dev/null | cmp -s - "$T/huge.837" &&
  [ $rc -eq 3 ] && ok "stdin parse error: stdout + OUT/held/stdin.837.unparsed = input" ||
  fail "stdin parse error: rc $rc"
run_bin -q -o "$T/o4b" - <"$T/many.837" >"$T/o4b.out" 2>/dev/null
rc=$?
[ $rc -eq 3 ] && [ -s "$T/o4b/held/stdin.837.unparsed" ] &&
  grep -q "LX\*12000" "$T/o4b/held/stdin.837.unparsed" &&
  ok "stdin claim limit: the claim goes to the unparsed rest" ||
  fail "stdin claim limit: rc $rc"

# 5. gzip followed by other data; truncated gzip
run_bin -q -o "$T/o5" --state "$T/L5.csv" "$T/gg.837.gz" 2>"$T/e5"
rc=$?
[ $rc -eq 4 ] && [ ! -e "$T/o5/gg.837.gz" ] && [ -z "$(ls -A "$T/o5/held" 2>/dev/null)" ] &&
  grep -q 'not another gzip member' "$T/o5/findings.csv" &&
  ok "gzip + trailing data: exit 4, no output" || fail "gzip trailing: rc $rc"
run_bin -q -o "$T/o6" --state "$T/L6.csv" "$T/trunc.837.gz" 2>/dev/null
rc=$?
n=$(($(wc -l <"$T/L6.csv") - 1))
[ $rc -eq 4 ] && [ ! -e "$T/o6/trunc.837.gz" ] && [ "$n" -eq 0 ] &&
  [ "$(tail -n +2 "$T/o6/findings.csv" | wc -l)" -eq 1 ] &&
  ok "truncated gzip: exit 4, no output, no ledger rows, one error row" ||
  fail "truncated gzip: rc $rc ledger rows $n"

# 6. --report-only from stdin: nothing on stdout
run_bin -q --report-only -o "$T/o7" - <"$S" >"$T/o7.out"
[ ! -s "$T/o7.out" ] && [ -s "$T/o7/findings.csv" ] &&
  ok "--report-only -: nothing on stdout, reports written" ||
  fail "--report-only - wrote to stdout"

# 7. a full disk: exit 4, the write error, nothing under a final name
# (SIGXFSZ at its default action, as users have it: cart837 ignores it)
( trap - XFSZ; ulimit -f 8; run_bin -q -o "$T/o8" "$S" 2>"$T/e8" ); rc=$?
[ $rc -eq 4 ] && grep -q 'cannot write' "$T/e8" && [ ! -e "$T/o8/cart_prof.837" ] &&
  ok "full disk: exit 4, message, no output" || { fail "full disk: rc $rc"; cat "$T/e8"; }

# 8. the output directory inside the input directory is not read back
mkdir -p "$T/d"
cp "$S" "$T/d/"
(cd "$T/d" && run_bin -q --fail-on never . && run_bin -q --fail-on never .)
rc=$?
[ $rc -eq 0 ] && [ ! -e "$T/d/cart837-out/cart837-out" ] &&
  grep -q '^total: 1 files (0 failed, 0 skipped)' "$T/d/cart837-out/summary.txt" &&
  ok "output directory inside the input directory: not an input" ||
  fail "output dir read back: rc $rc"
# ... and an output that would replace its input is refused
cp "$S" "$T/self.837"
run_bin -o "$T" "$T/self.837" 2>"$T/e9"
rc=$?
[ $rc -eq 2 ] && cmp -s "$S" "$T/self.837" && grep -q 'overwrite' "$T/e9" &&
  ok "output over its own input: refused, exit 2" || fail "overwrite: rc $rc"

# 10. truncated files: cut inside a claim, or cut before SE: held whole
sz=$(wc -c <"$S")
head -c $((sz / 2)) "$S" >"$T/half.837"
sed -n '1,/^SE\*/p' samples/prof_basic.837 | sed '$d' >"$T/nose.837"
for f in half nose; do
  run_bin -q -o "$T/t$f" "$T/$f.837" 2>/dev/null
  rc=$?
  [ $rc -eq 3 ] && [ ! -e "$T/t$f/$f.837" ] && cmp -s "$T/$f.837" "$T/t$f/held/$f.837" &&
    grep -q 'ETRUNC' "$T/t$f/findings.csv" &&
    ok "truncated file ($f): held whole, exit 3" ||
    fail "truncated file ($f): rc $rc"
  run_bin -q -o "$T/s$f" - <"$T/$f.837" >"$T/s$f.out" 2>/dev/null
  n_in=$(grep -o 'CLM\*' "$T/$f.837" | wc -l)
  n_out=$(grep -o 'CLM\*' "$T/s$f.out" | wc -l)
  n_rest=$(grep -o 'CLM\*' "$T/s$f/held/stdin.837.unparsed" 2>/dev/null | wc -l)
  n_held=$(cat "$T/s$f/held/stdin.837" 2>/dev/null | grep -o 'CLM\*' | wc -l)
  [ $((n_out + n_rest + n_held)) -eq "$n_in" ] && [ "$n_rest" -ge 1 ] &&
    ok "truncated stdin ($f): $n_in claims = $n_out out + $n_held held + $n_rest unparsed" ||
    fail "truncated stdin ($f): $n_in in, $n_out out, $n_held held, $n_rest unparsed"
done

# 11. the held file cannot be committed: the corrected file is not kept
mkdir -p "$T/o11/held/cart_prof.837"
run_bin -q -o "$T/o11" "$S" 2>/dev/null
rc=$?
[ $rc -eq 4 ] && [ ! -e "$T/o11/cart_prof.837" ] &&
  [ "$(tail -n +2 "$T/o11/findings.csv" | wc -l)" -eq 1 ] &&
  ok "held file cannot be written: no corrected file either, exit 4" ||
  fail "held commit failure: rc $rc"

# 12. D/held/x.837 and D/x.837 would write the same OUT/held/x.837: an
# input under D/held/ takes the run's own held/ folder, so it is the one
# skipped, with its reason (issue 11 item 8), and x.837 is read
mkdir -p "$T/d12/held"
cp "$S" "$T/d12/x.837"
cp samples/prof_basic.837 "$T/d12/held/x.837"
run_bin -q -o "$T/o12" --fail-on never "$T/d12" 2>/dev/null
rc=$?
[ $rc -eq 5 ] &&
  grep -A1 -x 'file: held/x.837' "$T/o12/summary.txt" |
    grep -q "^  skipped: its output name is taken by the run's own reports" &&
  ! cmp -s "$T/o12/held/x.837" samples/prof_basic.837 &&
  [ -s "$T/o12/x.837" ] &&
  ok "held/ name clash: the input under held/ skipped with its reason, exit 5" ||
  fail "held/ name clash: rc $rc"

# 13. a FIFO cannot be read twice: the stdin policy (unparsed rest)
if mkfifo "$T/fifo" 2>/dev/null; then
  cat "$T/many.837" >"$T/fifo" &
  w=$!
  run_bin -q -o "$T/o13" "$T/fifo" 2>/dev/null
  rc=$?
  kill $w 2>/dev/null # (a run that never opened the FIFO leaves it waiting)
  wait $w
  cat "$T/o13/fifo" "$T/o13/held/fifo.unparsed" 2>/dev/null |
    cmp -s - "$T/many.837" && [ $rc -eq 3 ] &&
    ok "FIFO with a claim over the limit: output + unparsed rest = input" ||
    fail "FIFO: rc $rc"
fi

# 14. gzip followed by zero padding is accepted; anything after it is not
run_bin -q -o "$T/o14" --fail-on never "$T/pad.gz"; r1=$?
run_bin -q -o "$T/o14b" --fail-on never "$T/padx.gz"; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 4 ] &&
  ok "gzip zero padding accepted, data after it refused" ||
  fail "gzip padding: rc $r1 / $r2"

# 9. a re-sent interchange in a drop does not hide the ledger from a new
#    one: C duplicates B's administration of run 2 whether A (run 1) is
#    re-sent next to it or not
mk() { # ISA13 CLM01 member date
  printf 'ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *250601*1200*^*00501*%s*0*T*:~\n' "$1"
  printf 'GS*HC*SUBMITTER*RECEIVER*20250601*1200*1*X*005010X222A1~\nST*837*0001*005010X222A1~\n'
  printf 'BHT*0019*00*B1*20250601*1200*CH~\nNM1*41*2*SUB*****46*S1~\nNM1*40*2*RCV*****46*R1~\n'
  printf 'HL*1**20*1~\nNM1*85*2*PROV*****XX*1234567893~\nHL*2*1*22*0~\nSBR*P*18*G******CI~\n'
  printf 'NM1*IL*1*DOE*J****MI*%s~\nDMG*D8*19600101*F~\nCLM*%s*100***11:B:1*Y*A*Y*Y~\n' "$3" "$2"
  printf 'LX*1~\nSV1*HC:38228*100*UN*1***1~\nDTP*472*D8*%s~\nSE*15*0001~\nGE*1*1~\nIEA*1*%s~\n' "$4" "$1"
}
mk 000000101 A1 MA 20250301 >"$T/A.837"
mk 000000102 B1 MB 20250401 >"$T/B.837"
mk 000000103 C1 MB 20250401 >"$T/C.837"
run_bin -q -o "$T/h1" --state "$T/H.csv" "$T/A.837"
run_bin -q -o "$T/h2" --state "$T/H.csv" "$T/B.837"
cp "$T/H.csv" "$T/H3.csv"
run_bin -q -o "$T/h3" --state "$T/H.csv" "$T/C.837"
rc1=$?
run_bin -q -o "$T/h4" --state "$T/H3.csv" "$T/A.837" "$T/C.837"
rc2=$?
if [ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] &&
   grep -q '"C1","1","38228",.*"DUPLICATE_DAY"' "$T/h3/findings.csv" &&
   grep -q '"C1","1","38228",.*"DUPLICATE_DAY"' "$T/h4/findings.csv"; then
  ok "a re-sent interchange does not hide the ledger from a new one"
else
  fail "re-sent interchange hid the ledger (rc $rc1 / $rc2)"
fi

e2e_done
