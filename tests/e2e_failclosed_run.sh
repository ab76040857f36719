#!/bin/sh
# e2e_failclosed_run.sh -- issue 11, the run layer's part: no file is
# lost, nothing leaks
#
#   R8   output names that collide with the run's reports, folders,
#        temporary files or ledger are skipped with their reason; an
#        input inside the output directory is refused before anything is
#        written (exit 2);
#   R10  a file held whole is copied as it came: a gzip file stays that
#        gzip file (never its decompressed content, whatever --gzip says),
#        and no copy is made over C837_MAX_HELD_WHOLE (R10b);
#   R11  outputs, folders and the ledger are created with the umask; a
#        ledger keeps its own mode;
#   R12  no write through a symbolic link below the output directory; no
#        symbolic link out of an input directory is followed (nor its
#        target read) unless --follow-symlinks; a ledger named through a
#        link is that link's file: saved in place, locked under its name;
#   R14  SIGHUP stops a run like SIGTERM (exit 129, no temporary file,
#        no report, ledger unchanged); a write past the file size limit
#        is an I/O error (exit 4), with SIGXFSZ at its default action;
#   R15  a file whose every claim is held has no corrected output (not an
#        interchange without a claim), and standard output gets nothing
#        in the filter mode; summary.txt, report.html and stderr say so;
#   R16  the smaller ones: a truncated file's message and summary give the
#        same count of complete claims; `stats DIR` walks the directory;
#        a ledger with a UTF-8 byte-order mark is read; a problem row has
#        the problem's severity (LX_MISSING a warning, stats exit 0);
#        --max-lines and exit 7 (a ledger over the limit, or claims held
#        at it).
# Every case checks exact exit codes, messages, file lists, modes or CSV
# cells.  Cases that need a C compiler (tests/faultfs.c), mkfifo or
# flock(1) say SKIP without them.
#
# Run from the repo root: BIN=/abs/path/to/cart837 sh tests/e2e_failclosed_run.sh
. tests/lib_e2e.sh
RD="--run-date 2025-09-01"
# check WHAT GOT WANT: check_eq (tests/lib_e2e.sh) with what was found
# first, as each case below builds it
check() { check_eq "$1" "$3" "$2"; }
# no_tmp DIR...: no temporary file of a run is left there
no_tmp() { [ -z "$(find "$@" -name '.*.tmp-*' 2>/dev/null)" ]; }
# files DIR: the files and folders under DIR, one per line, sorted
files() { (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort); }
# section NAME SUMMARY: the lines of file NAME's block in summary.txt
section() { awk -v f="file: $1" '$0 == f {k = 1; next} /^$/ {k = 0} k' "$2"; }
# cell FILE ROW COLUMN: one field of a CSV report (row 1 = first data row)
cell() {
  "$PYTHON" - "$1" "$2" "$3" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='latin-1') as f:
    rows = list(csv.DictReader(f))
print(rows[int(sys.argv[2]) - 1][sys.argv[3]])
PY
}

# ---- inputs -------------------------------------------------------------
# gen.py DIR: small 837P interchanges, one file per case (each claim:
# CLM01, member id, its lines CODE/DATE/UNITS); units -3 make a claim
# held (UNITS_INVALID)
cat >"$T/gen.py" <<'PY'
import gzip, sys
D = sys.argv[1]
def mk(name, ctl, claims, st02='0001'):
    body = ['BHT*0019*00*B%s*20250820*2310*CH' % ctl,
            'NM1*41*2*FAILCLOSED SUBMITTER*****46*FC0001',
            'PER*IC*PAT QUINN*TE*5550100000',
            'NM1*40*2*RECEIVER CH*****46*RCV01', 'HL*1**20*1',
            'NM1*85*2*FAILCLOSED ONCOLOGY*****XX*1234567893',
            'N3*1 MAIN ST', 'N4*SPRINGFIELD*OH*432150000', 'REF*EI*123456789']
    for k, (cid, mem, lines) in enumerate(claims, 2):
        body += ['HL*%d*1*22*0' % k, 'SBR*P*18*GRP1******CI',
                 'NM1*IL*1*DOE*JANE****MI*%s' % mem, 'DMG*D8*19700101*F',
                 'NM1*PR*2*TEST PLAN*****PI*TP01',
                 'CLM*%s*%d***11:B:1*Y*A*Y*Y' % (cid, 1000 * len(lines)),
                 'HI*ABK:C8330']
        for i, (code, date, units) in enumerate(lines, 1):
            body += ['LX*%d' % i, 'SV1*HC:%s*1000*UN*%s***1' % (code, units),
                     'DTP*472*D8*%s' % date]
    segs = ['ISA*00*          *00*          *ZZ*FAILCLOSED     *ZZ*RECEIVER'
            '       *250820*2310*^*00501*%s*0*T*:' % ctl,
            'GS*HC*FAILCLOSED*RECEIVER*20250820*2310*1*X*005010X222A1',
            'ST*837*%s*005010X222A1' % st02] + body
    segs += ['SE*%d*%s' % (len(body) + 2, st02), 'GE*1*1', 'IEA*1*%s' % ctl]
    data = ('~\n'.join(segs) + '~\n').encode('latin-1')
    open('%s/%s' % (D, name), 'wb').write(data)
    return data
mk('good.837', '000000001', [('G1', 'M1', [('38225', '20250303', '1')])])
mk('held.837', '000000002', [('H1', 'M2', [('38225', '20250303', '-3')])])
mk('other.837', '000000005', [('O1', 'M5', [('38225', '20250303', '-3')]),
                              ('O2', 'M6', [('38225', '20250305', '-3')])])
mk('inj.837', '000000003', [('=1+2', '@SUM(A1)', [('38225', '20250303', '-3')]),
                            ('-2+3', '+M4', [('38225', '20250304', '1')])])
two = mk('two.837', '000000004', [('T1', 'M7', [('38225', '20250303', '1')]),
                                  ('T2', 'M8', [('38225', '20250303', '1')])])
# cut at a segment boundary inside the second claim (after its CLM)
cut = two.index(b'HI*', two.index(b'CLM*T2'))
open('%s/trunc.837' % D, 'wb').write(two[:cut])
open('%s/trunc.837.gz' % D, 'wb').write(gzip.compress(two[:cut], 6))
# 32 MiB of text that is not X12, gzip'd to some 32 KiB
open('%s/bomb.837.gz' % D, 'wb').write(gzip.compress(b'A' * (32 << 20), 9))
open('%s/two.head' % D, 'wb').write(two[:cut])
open('%s/two.tail' % D, 'wb').write(two[cut:])
# the day of T1 again, in another interchange: a duplicate of it
mk('dup.837', '000000006', [('D1', 'M7', [('38225', '20250303', '1')])])
# 400 claims without a CAR-T line: an output of some 140 KB, no row
mk('big.837', '000000007',
   [('B%d' % i, 'M9', [('99213', '20250303', '1')]) for i in range(400)])
PY
mkdir -p "$T/g"
"$PYTHON" "$T/gen.py" "$T/g" || exit 1
G=$T/g

# The fault-injection library (tests/faultfs.c), as e2e_hostile.sh builds it.
FAULTFS=
if command -v "${CC:-cc}" >/dev/null 2>&1 &&
  "${CC:-cc}" -std=c11 -Wall -Wextra -Werror -shared -fPIC -O1 \
    -o "$T/faultfs.so" tests/faultfs.c -ldl 2>"$T/cc.err"; then
  FAULTFS=$T/faultfs.so
fi
faulty() {
  env LD_PRELOAD="$FAULTFS" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}

REPORTS="findings.csv
lines.csv
report.html
summary.json
summary.txt"
OWN="its output name is taken by the run's own reports and folders (findings.csv, lines.csv, summary.txt, report.html, summary.json, episodes.csv, held/, ack/): rename it to process it"

# ==== R8 output names =====================================================

# R8a inputs named as the run's reports and folders, in a directory and
# on the command line, and one named as a temporary file: skipped, each
# with its reason; the reports are the run's
mkdir -p "$T/r8"
for f in findings.csv lines.csv summary.txt report.html summary.json \
  episodes.csv held ack Summary.TXT HELD; do
  cp "$G/good.837" "$T/r8/$f"
done
cp "$G/good.837" "$T/r8/.good.837.tmp-AbC123"
cp "$G/good.837" "$T/r8/good.837"
run_bin -o "$T/o8a" $RD "$T/r8" 2>"$T/e8a"
rc=$?
want_err=""
for f in .good.837.tmp-AbC123 HELD Summary.TXT ack episodes.csv \
  findings.csv held lines.csv report.html summary.json summary.txt; do
  case $f in
  .*) why="its output name looks like one of the run's temporary files (.NAME.tmp-XXXXXX): rename it to process it" ;;
  *) why=$OWN ;;
  esac
  want_err="${want_err}cart837: skipped $f: $why
"
done
check "R8a reserved names in a directory: exit 5" "$rc" 5
check "R8a reserved names: one message each, with its reason" \
  "$(grep '^cart837: skipped' "$T/e8a")" "$(printf '%s' "$want_err")"
check "R8a reserved names: the output directory holds the reports and good.837 only" \
  "$(files "$T/o8a")" "episodes.csv
findings.csv
good.837
lines.csv
report.html
summary.json
summary.txt"
check "R8a reserved names: findings.csv is the run's report" \
  "$(head -c 18 "$T/o8a/findings.csv")" '"file","claim_id",'
check "R8a reserved names: summary total" \
  "$(grep '^total:' "$T/o8a/summary.txt")" "total: 1 files (0 failed, 11 skipped)"
run_bin -q -o "$T/o8b" $RD "$T/r8/findings.csv" "$T/r8/held" "$G/good.837"
rc=$?
check "R8a reserved names on the command line: exit 5, the reports the run's" \
  "$rc|$(files "$T/o8b" | tr '\n' ' ')|$(grep -c '^  skipped: its output name is taken' "$T/o8b/summary.txt")" \
  "5|episodes.csv findings.csv good.837 lines.csv report.html summary.json summary.txt |2"

# R8b an input inside the output directory (an earlier run's held/ read
# back) after one whose held output has its name: refused before any
# file is written, exit 2, the earlier held file untouched
mkdir -p "$T/drop8"
cp "$G/other.837" "$T/drop8/held.837"
run_bin -q -o "$T/o8c" $RD "$G/held.837" 2>/dev/null
cp "$T/o8c/held/held.837" "$T/keep8c"
before=$(files "$T/o8c")
run_bin -o "$T/o8c" $RD "$T/drop8" "$T/o8c/held" 2>"$T/e8c"
rc=$?
check "R8b input inside the output directory: exit 2 and why" \
  "$rc|$(cat "$T/e8c")" \
  "2|cart837: input $T/o8c/held is inside the output directory $T/o8c: the run's outputs could overwrite it before it is read (move it out, or choose another output directory)"
if cmp -s "$T/keep8c" "$T/o8c/held/held.837" &&
  [ "$(files "$T/o8c")" = "$before" ]; then
  ok "R8b input inside the output directory: nothing written, the held file it would have replaced untouched"
else fail "R8b input inside the output directory: a file was written"; fi

# R8c the ledger inside the output directory, and an input whose
# output would be the ledger: skipped; the ledger stays a ledger
mkdir -p "$T/d8d"
cp "$G/good.837" "$T/d8d/L.csv"
cp "$G/two.837" "$T/d8d/a.837"
run_bin -q -o "$T/o8d" --state "$T/o8d/L.csv" $RD "$T/d8d"
rc=$?
check "R8c input named as the ledger in the output directory: skipped (exit 5), the ledger a ledger" \
  "$rc|$(sed -n '/^file: L.csv$/{n;p;}' "$T/o8d/summary.txt")|$(head -c 9 "$T/o8d/L.csv")" \
  "5|  skipped: an output of it would replace the ledger (or its lock) in the output directory: rename it, or keep the ledger elsewhere|\"source\","

# ==== R10 held-whole copies ===============================================

for gz in "" --no-gzip --gzip; do
  o=$T/o10$gz
  run_bin -q -o "$o" $gz $RD "$G/bomb.837.gz" "$G/trunc.837.gz"
  rc=$?
  if [ $rc -eq 3 ] && cmp -s "$G/bomb.837.gz" "$o/held/bomb.837.gz" &&
    cmp -s "$G/trunc.837.gz" "$o/held/trunc.837.gz" &&
    [ "$(files "$o/held" | tr '\n' ' ')" = "bomb.837.gz trunc.837.gz " ]; then
    ok "R10 gzip files held whole${gz:+ ($gz)}: the .gz bytes as they came (32 KiB, not 32 MiB), exit 3"
  else
    fail "R10 gzip held whole${gz:+ ($gz)}: rc $rc"; ls -l "$o/held"
  fi
done

# R10b a file held whole is copied only up to C837_MAX_HELD_WHOLE (1 GiB):
# a sparse file of 1100 MiB that fails to parse is not copied, and says so
head -c 600 "$G/good.837" >"$T/huge.837"
if truncate -s 1100M "$T/huge.837" 2>/dev/null; then
  run_bin -o "$T/o10b" $RD "$G/good.837" "$T/huge.837" 2>"$T/e10b"
  rc=$?
  check "R10b a held-whole copy over its bound: exit 4, named, not copied" \
    "$rc|$(grep '^cart837: huge.837: cannot hold' "$T/e10b")|$(files "$T/o10b" | tr '\n' ' ')" \
    "4|cart837: huge.837: cannot hold $T/huge.837 whole: it is 1153433600 bytes, over the 1073741824 bytes a copy held whole may take: not copied, nothing of it is forwarded|episodes.csv findings.csv good.837 lines.csv report.html summary.json summary.txt "
  rm -f "$T/huge.837"
else
  skip "R10b: truncate(1) cannot make a sparse file here"
fi

# ==== R11 permissions =====================================================

( umask 077
  run_bin -q -o "$T/o11" --state "$T/l11/L.csv" $RD "$G/held.837" "$G/two.837" )
rc=$?
check "R11 umask 077: every output, folder, ledger and lock private" \
  "$rc|$(find "$T/o11" "$T/l11" -type f ! -perm 600 | wc -l)|$(find "$T/o11" "$T/l11" -type d ! -perm 700 | wc -l)|$(find "$T/o11" "$T/l11" -type f | wc -l)" \
  "1|0|0|10"
chmod 600 "$T/l11/L.csv"
( umask 022
  run_bin -q -o "$T/o11b" --state "$T/l11/L.csv" $RD "$G/good.837" )
check "R11 umask 022: outputs 644, a ledger chmod'ed 600 stays 600" \
  "$(stat -c %a "$T/o11b/good.837" "$T/o11b/summary.txt" "$T/l11/L.csv" | tr '\n' ' ')" \
  "644 644 600 "

# ==== R12 symbolic links ==================================================

# R12a OUT/held is a symbolic link someone made: never written through
mkdir -p "$T/o12a" "$T/else12"
printf 'precious\n' >"$T/else12/held.837"
ln -s "$T/else12" "$T/o12a/held"
run_bin -o "$T/o12a" $RD "$G/held.837" "$G/good.837" 2>"$T/e12a"
rc=$?
check "R12a OUT/held a symbolic link: exit 4, why, the other file complete" \
  "$rc|$(grep '^cart837: held.837' "$T/e12a")|$(files "$T/o12a" | tr '\n' ' ')" \
  "4|cart837: held.837: cannot create directory $T/o12a/held: a symbolic link is there, not followed|episodes.csv findings.csv good.837 held lines.csv report.html summary.json summary.txt "
check "R12a OUT/held a symbolic link: nothing written where it points" \
  "$(files "$T/else12")|$(cat "$T/else12/held.837")" "held.837|precious"

# R12b links in an input directory: to another customer's drop (a file,
# a file that is not X12, a directory) not followed and not read; inside
# the drop, followed; --follow-symlinks follows them all
mkdir -p "$T/cust1" "$T/cust2/sub"
cp "$G/good.837" "$T/cust1/a.837"
sed 's/CLM\*G1\*/CLM*SECRETCLAIM*/' "$G/good.837" >"$T/cust2/secret.837"
printf 'SECRET-NOT-X12 patient list\n' >"$T/cust2/list.txt"
cp "$T/cust2/secret.837" "$T/cust2/sub/s.837"
ln -s "$T/cust2/secret.837" "$T/cust1/b.837"
ln -s "$T/cust2/list.txt" "$T/cust1/c.txt"
ln -s "$T/cust2/sub" "$T/cust1/d"
ln -s a.837 "$T/cust1/e.837"
run_bin -o "$T/o12b" $RD --fail-on never "$T/cust1" 2>"$T/e12b"
rc=$?
link="symbolic link out of the input directory: not followed (--follow-symlinks follows it)"
check "R12b links out of an input directory: skipped, exit 5" \
  "$rc|$(grep '^cart837: skipped' "$T/e12b")" \
  "5|cart837: skipped b.837: $link
cart837: skipped c.txt: $link
cart837: skipped d: $link"
check "R12b a link inside the input directory: followed" \
  "$(section e.837 "$T/o12b/summary.txt" | grep '^  claims read:')" "  claims read: 1"
if grep -rq SECRET "$T/o12b" "$T/e12b"; then
  fail "R12b the other drop's content reached the outputs"
else ok "R12b nothing of the other drop in any output or message"; fi
run_bin -q -o "$T/o12c" $RD --fail-on never --follow-symlinks "$T/cust1"
rc=$?
check "R12b --follow-symlinks: every link followed" \
  "$rc|$(grep -c '^file: ' "$T/o12c/summary.txt")|$(grep -c '"SECRETCLAIM"' "$T/o12c/lines.csv")|$(grep -c "^  skipped: not an X12 interchange: starts with 'SECRET-N'" "$T/o12c/summary.txt")" \
  "5|5|2|1"

# R12c a ledger named through a symbolic link: that file is saved in
# place (the link stays a link) and locked under its own name
mkdir -p "$T/l12"
run_bin -q -o "$T/o12d" --state "$T/l12/real.csv" $RD "$G/good.837"
ln -s real.csv "$T/l12/link.csv"
run_bin -q -o "$T/o12e" --state "$T/l12/link.csv" $RD "$G/two.837"
rc=$?
check "R12c ledger through a link: the link stays, its file is saved, one lock" \
  "$rc|$(readlink "$T/l12/link.csv")|$(grep -c '^"[^"]*","T[12]",' "$T/l12/real.csv")|$(files "$T/l12" | tr '\n' ' ')" \
  "0|real.csv|2|link.csv real.csv real.csv.lock "
if command -v flock >/dev/null 2>&1; then
  flock "$T/l12/real.csv.lock" $RUNNER "$BIN" -q --no-wait -o "$T/o12f" \
    --state "$T/l12/link.csv" $RD "$G/good.837" 2>"$T/e12f"
  rc=$?
  check "R12c a run through the link meets the lock of one through the file" \
    "$rc|$(cat "$T/e12f")" "6|cart837: ledger $T/l12/real.csv is locked by another run"
else
  skip "R12c lock through a link: flock(1) not installed"
fi

# ==== R14 signals =========================================================

if mkfifo "$T/f14" 2>/dev/null; then
  mkdir -p "$T/l14"
  run_bin -q -o "$T/o14pre" --state "$T/l14/L.csv" $RD "$G/good.837"
  cp "$T/l14/L.csv" "$T/L14.before"
  # a writer that sends the head of a file (one claim complete) and
  # waits; the signal comes once the run writes that claim
  ( cat "$G/two.head"; sleep 30 ) >"$T/f14" &
  wpid=$!
  bg_pid $wpid
  $RUNNER "$BIN" -o "$T/o14" --state "$T/l14/L.csv" $RD "$T/f14" 2>"$T/e14" &
  pid=$!
  bg_pid $pid
  i=0
  while [ $i -lt 500 ] && [ -z "$(find "$T/o14" -name '.f14.tmp-*' 2>/dev/null)" ]; do
    sleep 0.02; i=$((i + 1))
  done
  [ $i -lt 500 ] || fail "R14 the run never started its output"
  kill -HUP $pid
  bg_wait $pid
  rc=$?
  kill $wpid 2>/dev/null
  bg_wait $wpid 2>/dev/null
  check "R14 SIGHUP: exit 129, the message, no report, no temporary file, ledger unchanged" \
    "$rc|$(cat "$T/e14")|$(files "$T/o14" | tr '\n' ' ')|$(cmp -s "$T/L14.before" "$T/l14/L.csv" && echo same)" \
    "129|cart837: stopped by signal 1; no output, report or ledger change was kept for unfinished work||same"
else
  skip "R14 SIGHUP: mkfifo refused"
fi
# a write past the file size limit, SIGXFSZ at its default action
"$PYTHON" -c 'import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
os.execv(sys.argv[1], sys.argv[1:])' "$BIN" -o "$T/o14b" $RD --fail-on never \
  "$G/big.837" "$G/good.837" 2>"$T/e14b"
rc=$?
check "R14 file size limit: exit 4 (not killed by SIGXFSZ), named, no temporary file" \
  "$rc|$(grep -c '^cart837: big.837: .*File too large$' "$T/e14b")|$(no_tmp "$T/o14b" && echo clean)" \
  "4|1|clean"

# ==== R15 every claim held ================================================

run_bin -o "$T/o15" $RD "$G/held.837" "$G/good.837" 2>"$T/e15"
rc=$?
check "R15 every claim held: no corrected file, the held one, exit 1" \
  "$rc|$(files "$T/o15" | tr '\n' ' ')" \
  "1|episodes.csv findings.csv good.837 held held/held.837 lines.csv report.html summary.json summary.txt "
check "R15 every claim held: summary.txt says so" \
  "$(grep -c '^  corrected: none written: every claim is held (held/held.837); an interchange without a claim is not forwarded$' "$T/o15/summary.txt")" 1
check "R15 every claim held: stderr says so" \
  "$(grep '^cart837: held.837' "$T/e15")" \
  "cart837: held.837: every claim is held: no corrected file is written (an interchange without a claim is not forwarded)"
check "R15 every claim held: report.html says so" \
  "$(grep -c '^<li data-k="file.1.no_corrected">held.837: no corrected file</li>$' "$T/o15/report.html")" 1
run_bin -q -o "$T/o15b" $RD - <"$G/held.837" >"$T/o15b.out"
rc=$?
check "R15 filter mode, every claim held: nothing on standard output, exit 1" \
  "$rc|$(wc -c <"$T/o15b.out")|$(grep -c '^  corrected: nothing went to standard output: every claim is held' "$T/o15b/summary.txt")" \
  "1|0|1"
run_bin -q -o "$T/o15c" $RD - <"$G/two.837" >"$T/o15c.out"
check "R15 filter mode with a kept claim: the file as it came on standard output" \
  "$(cmp -s "$G/two.837" "$T/o15c.out" && echo same)" same

# ==== R16 the smaller ones ================================================

# R16a a truncated file: the message and summary.txt count the same
# complete claims
run_bin -o "$T/o16a" $RD "$G/trunc.837" 2>"$T/e16a"
check "R16a truncated: the message counts complete claims" \
  "$(head -1 "$T/e16a" | sed 's/^.*: input ends/input ends/')" \
  "input ends inside transaction set ST02=0001 after 1 complete claim(s) and inside the next one, with no SE: the file is truncated; the file is held whole (OUT/held/)"
check "R16a truncated: summary.txt gives the same count" \
  "$(grep -c '^  held whole: held/trunc.837 is the file as it came; its claims are not counted (1 complete claim(s) were read before the error)$' "$T/o16a/summary.txt")" 1

# R16b stats walks a directory as a run does
mkdir -p "$T/d16b"
cp "$G/good.837" "$G/two.837" "$T/d16b/"
printf 'notes\n' >"$T/d16b/notes.txt"
run_bin stats "$T/d16b" >"$T/s16b" 2>"$T/e16b"
rc=$?
check "R16b stats DIR: one line per X12 file, the rest skipped, exit 5" \
  "$rc|$(cat "$T/s16b")|$(cat "$T/e16b")" \
  "5|$T/d16b/good.837: interchanges=1 groups=1 transactions=1 claims=1 lines=1 837P=1 837I=0 837D=0 envelope_errors=0
$T/d16b/two.837: interchanges=1 groups=1 transactions=1 claims=2 lines=2 837P=2 837I=0 837D=0 envelope_errors=0|cart837: skipped notes.txt: not an X12 interchange: starts with 'notes\x0a'"

# R16c a ledger saved with a UTF-8 byte-order mark
mkdir -p "$T/l16c"
run_bin -q -o "$T/o16c" --state "$T/l16c/L.csv" $RD "$G/two.837"
{ printf '\357\273\277'; cat "$T/l16c/L.csv"; } >"$T/l16c/bom.csv"
n=$(($(wc -l <"$T/l16c/L.csv") - 1))
check "R16c ledger with a byte-order mark: valid" \
  "$(run_bin state check "$T/l16c/bom.csv" 2>&1; echo "rc=$?")" \
  "$T/l16c/bom.csv: $n rows, valid
rc=0"
run_bin -q -o "$T/o16c2" --state "$T/l16c/bom.csv" $RD "$G/dup.837"
rc=$?
check "R16c ledger with a byte-order mark: a run reads it (the day is a duplicate)" \
  "$rc|$(grep -c '"DUPLICATE_DAY"' "$T/o16c2/findings.csv")" "1|1"

# R16e a problem row has the problem's own severity: an SV1 without its
# LX is read (LX_MISSING, a warning): findings.csv says warning, the
# summary counts a warning, `stats` prints it and exits 0
grep -v '^LX\*' "$G/good.837" | sed 's/^SE\*21\*/SE*20*/' >"$T/nolx.837"
run_bin -q -o "$T/o16e2" $RD "$T/nolx.837"
rc=$?
check "R16e LX_MISSING: a warning row, counted as one, exit 0" \
  "$rc|$(cell "$T/o16e2/findings.csv" 1 severity)|$(cell "$T/o16e2/findings.csv" 1 detail | cut -c1-11)|$(grep -c '^  findings: 0 error, 1 warning, 0 info$' "$T/o16e2/summary.txt")" \
  "0|warning|LX_MISSING:|2"
run_bin stats "$T/nolx.837" >"$T/s16e"
rc=$?
check "R16e stats: the warning printed, exit 0" \
  "$rc|$(grep -c 'LX_MISSING' "$T/s16e")" "0|1"

# R16d the run's limit of remembered lines: --max-lines, exit 7
cp "$T/l16c/L.csv" "$T/L16d.csv"
cp "$T/L16d.csv" "$T/L16d.before"
run_bin -q -o "$T/o16d" --state "$T/L16d.csv" --max-lines 1 $RD \
  "$G/good.837" 2>"$T/e16d"
rc=$?
check "R16d a ledger over --max-lines: exit 7, named, nothing processed" \
  "$rc|$(cat "$T/e16d")|$(cmp -s "$T/L16d.before" "$T/L16d.csv" && echo same)|$([ -e "$T/o16d" ] || echo none)" \
  "7|cart837: ledger $T/L16d.csv holds more lines than the run may remember: line 4 is past the run's limit of remembered lines (1; --max-lines sets it): nothing was processed|same|none"
run_bin -q -o "$T/o16e" --max-lines 1 --fail-on never $RD "$G/two.837"
rc=$?
check "R16d claims held at --max-lines: RUN_LINES_LIMIT, exit 7 whatever --fail-on" \
  "$rc|$(cell "$T/o16e/findings.csv" 1 claim_id)|$(cell "$T/o16e/findings.csv" 1 edit)" \
  "7|T2|RUN_LINES_LIMIT"
run_bin --max-lines 0 "$G/good.837" 2>"$T/e16f"
rc=$?
check "R16d --max-lines takes a count" "$rc|$(head -1 "$T/e16f")" \
  "2|cart837: --max-lines takes 1..4294967295, not '0'"

# R13b terminal escapes: a file name with ESC and a line break reaches
# stderr and summary.txt escaped (\x1b, \x0a), never raw
mkdir -p "$T/d13b"
cp "$G/good.837" "$T/d13b/$(printf 'a\033[31mred\nb.837')"
printf 'junk\033]0;title\007\n' >"$T/d13b/$(printf 'z\033[2J.837')"
run_bin -o "$T/o13b" $RD "$T/d13b" 2>"$T/e13b"
rc=$?
check "R13b escapes: stderr and summary.txt carry no ESC or BEL, names escaped" \
  "$(tr -d '\n' <"$T/e13b" | grep -c "$(printf '\033')")|$(grep -c "$(printf '\033\\|\007')" "$T/o13b/summary.txt")|$(grep -c 'a\\x1b\[31mred\\x0ab.837' "$T/o13b/summary.txt")|$(grep -c 'z\\x1b\[2J.837' "$T/e13b")" \
  "0|0|1|1"

e2e_done
