#!/bin/sh
# e2e_batch.sh -- batch operation end to end (issue 5)
#
# Run from the repository root with BIN=/abs/path/to/cart837 (make e2e
# does).  Covers: a directory tree with nested directories, gzip files,
# files that are not 837 and files that cannot be read; two consecutive
# runs sharing a ledger, the second one's findings depending on the
# first's lines; identical re-runs and the read-only audit mode; two
# concurrent runs on one ledger; a run killed with SIGTERM mid-file; a
# batch split in two runs plus `state merge` equal to one run; the HTML
# summary rendered by headless chromium against summary.txt; the progress
# line; `make install` with the man page.
#
# "Unreadable" inputs: CI runs as root, for whom chmod 000 does not stop
# reading.  The tree therefore holds a symlink to itself (ELOOP), a
# dangling symlink (ENOENT), a directory symlink back to its parent (a
# walk loop) and a FIFO; a chmod 000 file is added only when not root.
#
# Every check prints what it expected and what it found; the script exits
# 1 when any check failed.  Chromium is not installed here: make test
# installs it (make deps-html) or says how; without it the HTML check is
# a visible SKIP and report.html is checked as a file only.

. tests/lib_e2e.sh
ROOT=$(pwd)
py_start # one python for html_check.py, csv_rows.py and ledger_fp.py
RUN_DATE=2025-06-01

# First 10 columns (file .. action) of a findings.csv, parsed with csv.
findings10() { py csv_rows --cols 10 "$1"; }

# withfp FILE: a ledger text written with sources "BATCHTEST|CTL|..." as
# the ledger has them: "BATCHTEST|CTL#FP|...", FP the hash of the ISA mk837
# writes for control number CTL (tests/ledger_fp.py, apart from the
# tool).  Rewrites FILE in place.
withfp() { py ledger_fp "$1"; }

# findings.csv without the rows' numbers (column id, the 25th), fields
# joined by "|", and no_repeat:
# also without its INTERCHANGE_REPEATED rows (what a re-run adds, shifting
# the numbers)
no_id() {
  NO_REPEAT=0 no_cols "$1"
}
no_repeat() {
  NO_REPEAT=1 no_cols "$1"
}
no_cols() {
  py csv_rows --without 24 "$1" |
    awk -F'|' -v r="$NO_REPEAT" 'r == 0 || $8 != "INTERCHANGE_REPEATED"'
}

# ---- inputs ----------------------------------------------------------

# mk837 FILE ISA13 CLAIM_ID MEMBER LINE... ; LINE = CODE/CCYYMMDD/UNITS
# One 837P interchange with one claim of that member, billing NPI
# 1234567893, one service line per LINE; claim frequency $MK_FREQ (1).
mk837() {
  _f=$1 _ctl=$2 _cid=$3 _mem=$4 _freq=${MK_FREQ:-1}
  shift 4
  _body=$(
    printf 'ST*837*0001*005010X222A1~\n'
    printf 'BHT*0019*00*B%s*20250820*2310*CH~\n' "$_ctl"
    printf 'NM1*41*2*BATCH TEST SUBMITTER*****46*BT0001~\n'
    printf 'PER*IC*PAT QUINN*TE*5550100000~\n'
    printf 'NM1*40*2*RECEIVER CH*****46*RCV01~\n'
    printf 'HL*1**20*1~\n'
    printf 'NM1*85*2*BATCH TEST ONCOLOGY*****XX*1234567893~\n'
    printf 'N3*1 MAIN ST~\n'
    printf 'N4*SPRINGFIELD*OH*432150000~\n'
    printf 'REF*EI*123456789~\n'
    printf 'HL*2*1*22*0~\n'
    printf 'SBR*P*18*GRP1******CI~\n'
    printf 'NM1*IL*1*DOE*%s****MI*%s~\n' "$_mem" "$_mem"
    printf 'DMG*D8*19700101*F~\n'
    printf 'NM1*PR*2*TEST PLAN*****PI*TP01~\n'
    printf 'CLM*%s*%s***11:B:%s*Y*A*Y*Y~\n' "$_cid" "$(($# * 1000))" \
      "$_freq"
    printf 'HI*ABK:C8330~\n'
    _n=0
    for _l in "$@"; do
      _n=$((_n + 1))
      _code=${_l%%/*}
      _rest=${_l#*/}
      printf 'LX*%d~\n' "$_n"
      printf 'SV1*HC:%s*1000*UN*%s***1~\n' "$_code" "${_rest#*/}"
      printf 'DTP*472*D8*%s~\n' "${_rest%%/*}"
    done
  )
  {
    printf 'ISA*00*          *00*          *ZZ*BATCHTEST      *ZZ*RECEIVER       *250820*2310*^*00501*%s*0*T*:~\n' "$_ctl"
    printf 'GS*HC*BATCHTEST*RECEIVER*20250820*2310*1*X*005010X222A1~\n'
    printf '%s\n' "$_body"
    printf 'SE*%d*0001~\n' $(($(printf '%s\n' "$_body" | wc -l) + 1))
    printf 'GE*1*1~\n'
    printf 'IEA*1*%s~\n' "$_ctl"
  } >"$_f"
}

mkdir -p "$T/in1" "$T/in2"
# run 1: M1's collection, shipment and receipt; M2's collection on 03-10
mk837 "$T/in1/r1a.837" 000000001 A1 M1 38225/20250303/1 38226/20250304/1 \
  38227/20250305/1
mk837 "$T/in1/r1b.837" 000000002 B1 M2 38225/20250310/1
# run 2: M1's administration 5 days after collection; M2's collection
# again on the same day, in a new claim
mk837 "$T/in2/r2a.837" 000000003 A2 M1 38228/20250308/1 Q2041/20250308/1
mk837 "$T/in2/r2b.837" 000000004 B2 M2 38225/20250310/1

# ---- 1. directory tree ----------------------------------------------

echo "== directory tree: nested, gzip, not 837, unreadable"
TR="$T/tree"
mkdir -p "$TR/a/b" "$TR/c"
cp "$T/in1/r1a.837" "$TR/a/x.837"
gzip -c "$T/in1/r1b.837" >"$TR/a/b/y.837.gz"
mk837 "$TR/a&b<c>'q\".837" 000000009 Z9 M9 38225/20250401/1
: >"$TR/c/empty.dat"
printf 'hello\n' >"$TR/notes.txt"
ln -s "$T/does-not-exist" "$TR/dangling"
ln -s self "$TR/self"
ln -s .. "$TR/c/up"
mkfifo "$TR/fifo"
EXPECT_SKIPS="c/empty.dat|not an X12 interchange: empty file
c/up|symlink loop: directory already on the walk
dangling|cannot stat: No such file or directory
fifo|not a regular file
notes.txt|not an X12 interchange: starts with 'hello\\x0a'
self|symlink loop: Too many levels of symbolic links"
if [ "$(id -u)" != 0 ]; then
  cp "$T/in1/r1a.837" "$TR/unreadable.837"
  chmod 000 "$TR/unreadable.837"
  EXPECT_SKIPS="$EXPECT_SKIPS
unreadable.837|unreadable: cannot open $TR/unreadable.837: Permission denied"
else
  echo "  (root: chmod 000 does not stop root; symlink loop, dangling"
  echo "   symlink, walk loop and FIFO stand for unreadable files)"
fi
run_bin -o "$T/out-tree" --run-date $RUN_DATE "$TR" 2>"$T/tree.err"
rc=$?
check_eq "tree: exit status 5 (inputs skipped)" 5 "$rc"
got=$(awk '/^file: /{f=substr($0,7)} /^  skipped: /{print f "|" substr($0,12)}' \
  "$T/out-tree/summary.txt")
check_eq "tree: exact skip list in summary.txt" "$EXPECT_SKIPS" "$got"
got=$(grep '^file: ' "$T/out-tree/summary.txt" | grep -c .)
check_eq "tree: files listed in summary.txt" 9 "$got"
for f in a/x.837 a/b/y.837.gz "a&b<c>'q\".837"; do
  if [ -f "$T/out-tree/$f" ]; then ok "tree: output $f"; else
    fail "tree: no output $f"; fi
done
check_eq "tree: y.837.gz output is gzip like its input" \
  "$(gzip -dc "$TR/a/b/y.837.gz")" "$(gzip -dc "$T/out-tree/a/b/y.837.gz")"
got=$(sed -n 's/^total: //p' "$T/out-tree/summary.txt")
check_eq "tree: total line (processed files; skipped apart)" "3 files (0 failed, 6 skipped)" "$got"
got=$(awk '/^total:/{t=1} t && /^  claims read:/{print $3}' \
  "$T/out-tree/summary.txt")
check_eq "tree: claims read in total" 3 "$got"
got=$(grep -c '^cart837: skipped ' "$T/tree.err")
check_eq "tree: one message per skipped input on stderr" 6 "$got"

# ---- 1b. what the walk accepts; --sync-each gives the same outputs -----
# The tokenizer accepts a byte-order mark and blank lines before the ISA,
# so the directory walk must not skip such a file.
mkdir -p "$T/lead"
printf '\r\n\r\n' >"$T/lead/crlf-first.837"
cat "$T/in1/r1a.837" >>"$T/lead/crlf-first.837"
printf '\357\273\277\n' >"$T/lead/bom-first.837"
cat "$T/in1/r1a.837" >>"$T/lead/bom-first.837"
run_bin -q -o "$T/out-lead" --run-date $RUN_DATE --fail-on never "$T/lead"
check_eq "lead: exit status 0 (no file skipped)" 0 "$?"
run_bin -q -o "$T/out-lead-sync" --sync-each --run-date $RUN_DATE \
  --fail-on never "$T/lead"
check_eq "lead: --sync-each exit status 0" 0 "$?"
# crlf-first.837 repeats the claim of bom-first.837 (read first): it is
# held, and a file whose every claim is held has no corrected output
for f in bom-first.837 held/crlf-first.837; do
  if [ -s "$T/out-lead/$f" ]; then ok "lead: output $f"
  else fail "lead: no output $f"; fi
  check_file_eq "lead: $f same with --sync-each" "$T/out-lead/$f" \
    "$T/out-lead-sync/$f"
done
if [ -e "$T/out-lead/crlf-first.837" ]; then
  fail "lead: crlf-first.837 (every claim held) has a corrected output"
else ok "lead: crlf-first.837 (every claim held): no corrected output"; fi
check_file_eq "lead: findings.csv same with --sync-each" \
  "$T/out-lead/findings.csv" "$T/out-lead-sync/findings.csv"
got=$(sed -n 's/^total: //p' "$T/out-lead/summary.txt")
check_eq "lead: both files processed" "2 files (0 failed, 0 skipped)" "$got"

# ---- 2. two runs with a ledger ---------------------------------------

echo "== ledger: second run depends on the first"
L="$T/ledger/L.csv"
run_bin -q -o "$T/out-r1" --state "$L" --run-date 2025-06-01 "$T/in1" \
  2>"$T/r1.err"
check_eq "run 1: exit status" 0 "$?"
check_eq "run 1: no findings" \
  "file,claim_id,line,code,date_from,date_to,units,edit,severity,action" \
  "$(findings10 "$T/out-r1/findings.csv")"
# every row carries the number of the run that first remembered it; a
# row with only a source "ISA06|ISA13|" marks an interchange that run read
cat >"$T/L1.expected" <<'EOF'
"source","claim_id","lx","patient","provider","code","billed","family","step","date_from","date_to","units","freq","run_date","run"
"BATCHTEST|000000001|","","","","","","","","0","","","0","","2025-06-01","1"
"BATCHTEST|000000001|1|0001","A1","1","M1","1234567893","38225","38225","step","1","2025-03-03","2025-03-03","1","1","2025-06-01","1"
"BATCHTEST|000000001|1|0001","A1","2","M1","1234567893","38226","38226","step","2","2025-03-04","2025-03-04","1","1","2025-06-01","1"
"BATCHTEST|000000001|1|0001","A1","3","M1","1234567893","38227","38227","step","3","2025-03-05","2025-03-05","1","1","2025-06-01","1"
"BATCHTEST|000000002|","","","","","","","","0","","","0","","2025-06-01","1"
"BATCHTEST|000000002|1|0001","B1","1","M2","1234567893","38225","38225","step","1","2025-03-10","2025-03-10","1","1","2025-06-01","1"
EOF
withfp "$T/L1.expected"
check_file_eq "run 1: ledger rows" "$T/L1.expected" "$L"
cp "$L" "$T/L1.csv"

run_bin -q -o "$T/out-r2" --state "$L" --run-date 2025-06-02 "$T/in2" \
  2>"$T/r2.err"
check_eq "run 2: exit status 1 (an error finding)" 1 "$?"
check_eq "run 2: findings depend on run 1's lines" \
  "file,claim_id,line,code,date_from,date_to,units,edit,severity,action
r2a.837,A2,1,38228,2025-03-08,2025-03-08,1,INFUSION_TOO_SOON,warning,flagged
r2b.837,B2,1,38225,2025-03-10,2025-03-10,1,DUPLICATE_DAY,error,held" \
  "$(findings10 "$T/out-r2/findings.csv")"
{
  cat "$T/L1.expected"
  cat <<'EOF'
"BATCHTEST|000000003|","","","","","","","","0","","","0","","2025-06-02","2"
"BATCHTEST|000000003|1|0001","A2","1","M1","1234567893","38228","38228","step","4","2025-03-08","2025-03-08","1","1","2025-06-02","2"
"BATCHTEST|000000003|1|0001","A2","2","M1","1234567893","Q2041","Q2041","product","0","2025-03-08","2025-03-08","1","1","2025-06-02","2"
"BATCHTEST|000000004|","","","","","","","","0","","","0","","2025-06-02","2"
EOF
} >"$T/L2.expected"
withfp "$T/L2.expected"
check_file_eq "run 2: ledger has run 2's kept lines, not the held claim's" \
  "$T/L2.expected" "$L"
if [ -f "$T/out-r2/held/r2b.837" ]; then
  ok "run 2: held claim B2 in OUT/held/r2b.837"
else
  fail "run 2: held claim B2 not in OUT/held/r2b.837"; fi
# episodes.csv joins run 1's steps (from the ledger, which keeps no
# charges) with run 2's: M1's collection, shipment and receipt of run 1
# and its administration and product now; M2's collection of run 1 and
# the held duplicate of run 2
check_eq "run 2: episodes.csv joins the ledger's steps" \
  "episode,patient,payer_class,window_days,first_date,last_date,collect_date,ship_date,receive_date,administer_date,product_date,product_codes,products,providers,claim_ids,lines,lines_ledger,lines_held,procedures,charges,charges_held,findings,edits
1,M1,commercial,180,2025-03-03,2025-03-08,2025-03-03,2025-03-04,2025-03-05,2025-03-08,2025-03-08,Q2041,axicabtagene ciloleucel,1234567893,A1 A2,5,3,0,0,2000,0,1,INFUSION_TOO_SOON
2,M2,commercial,180,2025-03-10,2025-03-10,2025-03-10,,,,,,,1234567893,B2 B1,2,1,1,0,1000,1000,2,DUPLICATE_DAY" \
  "$(py csv_rows --cols 99 "$T/out-r2/episodes.csv")"

# more episodes than the page draws (C837_HTML_MAX_EPISODES, 10000): the
# ledger's steps are cut into episodes patient by patient and written as
# they are cut; every one is a row of episodes.csv, the page keeps the
# first 10000 (gen_ledger.py: four lines per patient, one episode each)
"$PYTHON" scripts/gen_ledger.py --lines 40008 --out "$T/L-many.csv"
run_bin -q -o "$T/out-many" --report-only --fail-on never \
  --state "$T/L-many.csv" --state-readonly samples/prof_basic.837 \
  2>/dev/null
H="$T/out-many/report.html"
check_eq "many episodes: every one a row of episodes.csv, 10000 drawn" \
  "10003 10002|1|1|10000|MBR00009999|LASTNAME8|FIRST|19190110" \
  "$(wc -l <"$T/out-many/episodes.csv" | tr -d ' ') $(tail -n 1 "$T/out-many/episodes.csv" | cut -d, -f1 | tr -d '"')|$(grep -c '>10002</span> CAR-T episode(s) of 10002 patient(s)' "$H")|$(grep -c 'draws the first 10000 episodes; the other 2 are in episodes.csv' "$H")|$(grep -c '<div class="ep" id="ep' "$H")|$(grep -o 'data-k="episode.10000.patient">[^<]*' "$H" | cut -d'>' -f2)"

run_bin -q -o "$T/out-r2x" --run-date 2025-06-02 "$T/in2" 2>/dev/null
check_eq "run 2 without the ledger: other findings" \
  "file,claim_id,line,code,date_from,date_to,units,edit,severity,action
r2a.837,A2,1,38228,2025-03-08,2025-03-08,1,PRIOR_STEP_MISSING,info,flagged" \
  "$(findings10 "$T/out-r2x/findings.csv")"

echo "== ledger: re-running the same input is idempotent"
run_bin -q -o "$T/out-r2again" --state "$L" --run-date 2025-06-02 "$T/in2" \
  2>/dev/null
check_eq "re-run: exit status" 1 "$?"
# the same findings, and each interchange reported as read again
no_repeat "$T/out-r2again/findings.csv" >"$T/r2again.norep"
no_repeat "$T/out-r2/findings.csv" >"$T/r2.norep"
check_file_eq "re-run: same findings.csv but INTERCHANGE_REPEATED" \
  "$T/r2.norep" "$T/r2again.norep"
check_eq "re-run: each interchange reported as read again, on its first claim" \
  "r2a.837,A2,,,,,,INTERCHANGE_REPEATED,warning,flagged
r2b.837,B2,,,,,,INTERCHANGE_REPEATED,warning,flagged" \
  "$(findings10 "$T/out-r2again/findings.csv" | grep REPEATED)"
check_eq "re-run: INTERCHANGE_REPEATED names the earlier run and its date" \
  "interchange 000000003 of sender BATCHTEST was read before, by run 2 on 2025-06-02, with the same ISA segment (sender, date, time, control number): a resend or a re-run; its claims go out again" \
  "$(py csv_rows --field detail "$T/out-r2again/findings.csv" \
    edit=INTERCHANGE_REPEATED claim_id=A2)"
check_file_eq "re-run: same lines.csv" "$T/out-r2/lines.csv" \
  "$T/out-r2again/lines.csv"
check_file_eq "re-run: same ledger" "$T/L2.expected" "$L"

echo "== ledger: re-running related interchanges is idempotent"
# a collection and administration in one interchange, a second
# administration of the same patient the next day in another (read
# after it, with a lower control number): re-running both over the
# ledger of the first run must not show the first one the second's lines
mkdir -p "$T/in4"
mk837 "$T/in4/a.837" 000000022 RA M7 38228/20250409/1 Q2041/20250409/1
mk837 "$T/in4/b.837" 000000021 RB M7 38228/20250410/1 Q2041/20250410/1
run_bin -q -o "$T/out-r4" --state "$T/L4.csv" --run-date 2025-06-04 \
  "$T/in4" 2>/dev/null
cp "$T/L4.csv" "$T/L4.first"
run_bin -q -o "$T/out-r4again" --state "$T/L4.csv" --run-date 2025-06-04 \
  "$T/in4" 2>/dev/null
check_eq "related re-run: the second administration is a repeat" 1 \
  "$(grep -c 'REPEAT_ADMINISTRATION' "$T/out-r4/findings.csv")"
no_repeat "$T/out-r4again/findings.csv" >"$T/r4again.norep"
no_repeat "$T/out-r4/findings.csv" >"$T/r4.norep"
check_file_eq "related re-run: same findings.csv but INTERCHANGE_REPEATED" \
  "$T/r4.norep" "$T/r4again.norep"
check_eq "related re-run: both interchanges reported as read again" 2 \
  "$(grep -c '"INTERCHANGE_REPEATED"' "$T/out-r4again/findings.csv")"
check_file_eq "related re-run: same ledger" "$T/L4.first" "$T/L4.csv"

echo "== ledger: voids and replacements update it"
mkdir -p "$T/in3"
MK_FREQ=8 mk837 "$T/in3/r3a.837" 000000005 A1 M1 38225/20250303/1 \
  38226/20250304/1 38227/20250305/1
MK_FREQ=7 mk837 "$T/in3/r3b.837" 000000006 B1 M2 38225/20250311/1
cp "$L" "$T/L3.csv"
run_bin -q -o "$T/out-r3" --state "$T/L3.csv" --run-date 2025-06-03 \
  "$T/in3" 2>/dev/null
check_eq "run 3: exit status" 0 "$?"
# removed lines stay as tombstones (family empty, freq of the void "8" or
# replacement "7") so that no merged or older ledger brings them back
cat >"$T/L3.expected" <<'EOF'
"source","claim_id","lx","patient","provider","code","billed","family","step","date_from","date_to","units","freq","run_date","run"
"BATCHTEST|000000001|","","","","","","","","0","","","0","","2025-06-01","1"
"BATCHTEST|000000001|1|0001","A1","1","M1","1234567893","38225","38225","","1","2025-03-03","2025-03-03","1","8","2025-06-01","1"
"BATCHTEST|000000001|1|0001","A1","2","M1","1234567893","38226","38226","","2","2025-03-04","2025-03-04","1","8","2025-06-01","1"
"BATCHTEST|000000001|1|0001","A1","3","M1","1234567893","38227","38227","","3","2025-03-05","2025-03-05","1","8","2025-06-01","1"
"BATCHTEST|000000002|","","","","","","","","0","","","0","","2025-06-01","1"
"BATCHTEST|000000002|1|0001","B1","1","M2","1234567893","38225","38225","","1","2025-03-10","2025-03-10","1","7","2025-06-01","1"
"BATCHTEST|000000003|","","","","","","","","0","","","0","","2025-06-02","2"
"BATCHTEST|000000003|1|0001","A2","1","M1","1234567893","38228","38228","step","4","2025-03-08","2025-03-08","1","1","2025-06-02","2"
"BATCHTEST|000000003|1|0001","A2","2","M1","1234567893","Q2041","Q2041","product","0","2025-03-08","2025-03-08","1","1","2025-06-02","2"
"BATCHTEST|000000004|","","","","","","","","0","","","0","","2025-06-02","2"
"BATCHTEST|000000006|","","","","","","","","0","","","0","","2025-06-03","3"
"BATCHTEST|000000006|1|0001","B1","1","M2","1234567893","38225","38225","step","1","2025-03-11","2025-03-11","1","7","2025-06-03","3"
EOF
withfp "$T/L3.expected"
check_file_eq "run 3: void removed A1's rows, replacement replaced B1's" \
  "$T/L3.expected" "$T/L3.csv"

# ---- 3. identical re-runs, audit mode --------------------------------

echo "== identical re-runs give identical reports; --state-readonly"
cp "$L" "$T/L2.csv"
for n in 1 2; do
  run_bin -q -o "$T/audit$n" --report-only --state "$L" --state-readonly \
    "$T/in1" "$T/in2" "$ROOT/samples" 2>/dev/null
  echo $? >"$T/audit$n.rc"
done
check_eq "audit: same exit status" "$(cat "$T/audit1.rc")" "$(cat "$T/audit2.rc")"
if diff -r "$T/audit1" "$T/audit2" >"$T/audit.diff"; then
  ok "audit: identical runs give identical reports"
else
  fail "audit: reports differ between identical runs"
  head -20 "$T/audit.diff"
fi
check_file_eq "audit: ledger byte-identical" "$T/L2.csv" "$L"
check_eq "audit: nothing but the ledger and its lock in its directory" \
  "L.csv L.csv.lock " "$(ls -A "$T/ledger" | tr '\n' ' ')"
got=$(cd "$T/audit1" && find . -type f | sort | tr '\n' ' ')
check_eq "audit: report-only writes reports only" \
  "./episodes.csv ./findings.csv ./lines.csv ./report.html ./summary.json ./summary.txt " "$got"
# same input, writable ledger, same run date: reports and ledger repeat
cp "$T/L2.csv" "$T/La.csv"
cp "$T/L2.csv" "$T/Lb.csv"
run_bin -q -o "$T/rw1" --state "$T/La.csv" --run-date $RUN_DATE \
  "$ROOT/samples" 2>/dev/null
run_bin -q -o "$T/rw2" --state "$T/Lb.csv" --run-date $RUN_DATE \
  "$ROOT/samples" 2>/dev/null
if diff -r "$T/rw1" "$T/rw2" >/dev/null; then
  ok "identical runs with a ledger: identical outputs"
else
  fail "identical runs with a ledger: outputs differ"; fi
check_file_eq "identical runs with a ledger: ledgers identical" "$T/La.csv" \
  "$T/Lb.csv"
# the samples again, with the ledger the first pass wrote: the lines it
# remembers are the same lines, not counted twice
cp "$T/La.csv" "$T/La1.csv"
run_bin -q -o "$T/rw3" --state "$T/La.csv" --run-date $RUN_DATE \
  "$ROOT/samples" 2>/dev/null
no_repeat "$T/rw1/findings.csv" >"$T/rw1.norep"
no_repeat "$T/rw3/findings.csv" >"$T/rw3.norep"
check_file_eq "samples re-run on their own ledger: same findings.csv but INTERCHANGE_REPEATED" \
  "$T/rw1.norep" "$T/rw3.norep"
check_file_eq "samples re-run on their own ledger: same lines.csv" \
  "$T/rw1/lines.csv" "$T/rw3/lines.csv"
check_file_eq "samples re-run on their own ledger: same ledger" "$T/La1.csv" \
  "$T/La.csv"
# and once more: a re-run of the re-run repeats it byte for byte
run_bin -q -o "$T/rw4" --state "$T/La.csv" --run-date $RUN_DATE \
  "$ROOT/samples" 2>/dev/null
for f in findings.csv lines.csv summary.txt report.html; do
  check_file_eq "samples re-run again: same $f" "$T/rw3/$f" "$T/rw4/$f"
done
check_file_eq "samples re-run again: same ledger" "$T/La1.csv" "$T/La.csv"

# ---- big input for the lock and signal tests -------------------------

BIG="$T/big/big.837"
mkdir -p "$T/big"
if [ -f "$ROOT/scripts/gen_batch.py" ]; then
  "$PYTHON" "$ROOT/scripts/gen_batch.py" --seed 1 --claims 60000 \
    --out "$BIG" 2>/dev/null
fi
if [ ! -s "$BIG" ]; then
  i=0
  while [ $i -lt 1500 ]; do cat "$ROOT/samples/cart_prof.837"; i=$((i + 1)); done >"$BIG"
fi

# wait_for CMD...: polls CMD every 0.02 s for up to 20 s.
wait_for() {
  _i=0
  while [ $_i -lt 1000 ]; do
    if "$@"; then return 0; fi
    sleep 0.02
    _i=$((_i + 1))
  done
  return 1
}
locked() { ! flock -n "$1" true 2>/dev/null; }
# has_open PID FILE: process PID has FILE open (Linux /proc)
has_open() {
  _want=$(readlink -f "$2")
  for _fd in /proc/"$1"/fd/*; do
    [ "$(readlink -f "$_fd" 2>/dev/null)" = "$_want" ] && return 0
  done
  return 1
}
has_tmp() { [ -n "$(find "$1" -name "$2" 2>/dev/null)" ]; }

# ---- 4. concurrent runs ----------------------------------------------

echo "== two runs on one ledger at once"
CL="$T/conc/L.csv"
mkdir -p "$T/conc"
cp "$T/L1.csv" "$CL"
$RUNNER "$BIN" -q -o "$T/conc/oA" --state "$CL" --run-date $RUN_DATE "$BIG" \
  2>"$T/conc/errA" &
pidA=$!
bg_pid $pidA
if command -v flock >/dev/null 2>&1; then
  wait_for locked "$CL.lock" || fail "concurrent: run A never took the lock"
else
  wait_for has_tmp "$T/conc/oA" '.big.837.tmp-*' ||
    fail "concurrent: run A never started"
fi
run_bin -q -o "$T/conc/oB" --state "$CL" --no-wait "$T/in2" 2>"$T/conc/errB"
check_eq "concurrent: --no-wait exits 6" 6 "$?"
check_eq "concurrent: --no-wait message" \
  "cart837: ledger $CL is locked by another run" "$(cat "$T/conc/errB")"
if [ -e "$T/conc/oB" ]; then fail "concurrent: locked-out run wrote $T/conc/oB"
else ok "concurrent: the locked-out run wrote nothing"; fi
$RUNNER "$BIN" -q -o "$T/conc/oC" --state "$CL" --run-date $RUN_DATE "$T/in2" \
  2>"$T/conc/errC" &
pidC=$!
bg_pid $pidC
sleep 0.2
if kill -0 $pidA 2>/dev/null; then
  if kill -0 $pidC 2>/dev/null; then
    ok "concurrent: run C waits while A holds the lock"
  else
    fail "concurrent: waiting run C ended while A still held the lock"
  fi
fi
bg_wait $pidA
rcA=$?
bg_wait $pidC
rcC=$?
check_eq "concurrent: run A exit status (findings)" 1 "$rcA"
check_eq "concurrent: run C exit status (findings)" 1 "$rcC"
run_bin state check "$CL" >/dev/null 2>"$T/conc/check.err"
check_eq "concurrent: final ledger valid" "0 " "$? $(cat "$T/conc/check.err")"
# C loaded A's ledger: its findings still see run 1's lines (kept by A),
# and the final ledger holds A's lines, run 1's and C's.
check_eq "concurrent: run C saw the ledger A saved" \
  "file,claim_id,line,code,date_from,date_to,units,edit,severity,action
r2a.837,A2,1,38228,2025-03-08,2025-03-08,1,INFUSION_TOO_SOON,warning,flagged
r2b.837,B2,1,38225,2025-03-10,2025-03-10,1,DUPLICATE_DAY,error,held" \
  "$(findings10 "$T/conc/oC/findings.csv")"
got=$(grep -c '^"BATCHTEST|[0-9]*#[0-9a-f]*|[0-9]' "$CL")
check_eq "concurrent: run 1 and run C rows in the ledger" 6 "$got"
got=$(grep -vc '^"BATCHTEST|' "$CL")
if [ "$got" -gt 100 ]; then ok "concurrent: run A's rows in the ledger"; else
  fail "concurrent: run A's rows missing from the ledger ($got lines)"; fi

# ---- 5. SIGTERM mid-file ---------------------------------------------

echo "== SIGTERM mid-file"
SL="$T/sig/L.csv"
mkdir -p "$T/sig"
cp "$T/L2.csv" "$SL"
$RUNNER "$BIN" -o "$T/sig/out" --state "$SL" --run-date $RUN_DATE "$BIG" \
  2>"$T/sig/err" &
pidS=$!
bg_pid $pidS
# the corrected output's temporary file exists once the file is being
# read (it is opened on the first segment)
if wait_for has_tmp "$T/sig/out" '.big.837.tmp-*'; then
  kill -TERM $pidS
else
  fail "SIGTERM: the run never started writing"
fi
bg_wait $pidS
rc=$?
check_eq "SIGTERM: exit status 143" 143 "$rc"
check_eq "SIGTERM: message" \
  "cart837: stopped by signal 15; no output, report or ledger change was kept for unfinished work" \
  "$(tr '\r' '\n' <"$T/sig/err" | grep '^cart837: stopped')"
got=$(find "$T/sig/out" -type f | sort | tr '\n' ' ')
check_eq "SIGTERM: no file left in OUT (final or temporary)" "" "$got"
check_file_eq "SIGTERM: ledger byte-identical" "$T/L2.csv" "$SL"
got=$(ls -A "$T/sig" | tr '\n' ' ')
check_eq "SIGTERM: nothing beside the ledger but its lock" \
  "L.csv L.csv.lock err out " "$got"

echo "== SIGTERM while waiting for the ledger lock"
if command -v flock >/dev/null 2>&1; then
  # one process holds the lock (flock(1) would leave its child behind)
  "$PYTHON" -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(60)' "$SL.lock" &
  pidH=$!
  bg_pid $pidH
  wait_for locked "$SL.lock" || fail "lock wait: helper never took the lock"
  $RUNNER "$BIN" -q -o "$T/sig/out2" --state "$SL" "$T/in2" 2>"$T/sig/err2" &
  pidW=$!
  bg_pid $pidW
  # the run opens the lock file once its signal handlers are in place
  # (a run under a slow RUNNER such as valgrind takes a while to get there)
  if [ -d /proc/$$/fd ]; then
    wait_for has_open $pidW "$SL.lock" ||
      fail "lock wait: the run never opened the lock file"
  fi
  sleep 0.3
  if kill -0 $pidW 2>/dev/null; then ok "lock wait: the run waits for the lock"; else
    fail "lock wait: the run did not wait for the lock"; fi
  kill -TERM $pidW
  bg_wait $pidW
  check_eq "lock wait: SIGTERM exit status 143" 143 "$?"
  check_eq "lock wait: message" \
    "cart837: interrupted while waiting for the lock of ledger $SL" \
    "$(cat "$T/sig/err2")"
  if [ -e "$T/sig/out2" ]; then fail "lock wait: output directory created"
  else ok "lock wait: no output directory"; fi
  kill $pidH 2>/dev/null
  bg_wait $pidH 2>/dev/null
  check_file_eq "lock wait: ledger byte-identical" "$T/L2.csv" "$SL"
else
  skip "flock(1) not installed: lock wait not tested"
fi

# ---- 6. progress line -------------------------------------------------

echo "== progress line"
run_bin -o "$T/prog1" --run-date $RUN_DATE "$ROOT/samples" 2>"$T/prog1.err"
if grep -q "$(printf '\r')" "$T/prog1.err"; then
  fail "progress: a progress line was printed while stderr is not a terminal"
else ok "progress: no progress line when stderr is not a terminal"; fi
run_bin -o "$T/prog2" --progress --run-date $RUN_DATE "$ROOT/samples" \
  2>"$T/prog2.err"
if grep -q "$(printf '\r').*claims" "$T/prog2.err"; then
  ok "progress: --progress prints a progress line"
else
  fail "progress: --progress printed no progress line"; fi
run_bin -q -o "$T/prog3" --progress --run-date $RUN_DATE "$ROOT/samples" \
  2>"$T/prog3.err"
if grep -q "$(printf '\r').*claims" "$T/prog3.err"; then
  ok "progress: --progress -q prints a progress line"
else
  fail "progress: --progress -q printed no progress line"; fi

# ---- 7. parallel runs plus merge --------------------------------------

echo "== a batch split in two runs plus state merge equals one run"
P="$T/par"
mkdir -p "$P/all" "$P/h1" "$P/h2"
for f in "$ROOT"/samples/*.837 "$ROOT"/samples/*.837.gz; do
  [ -f "$f" ] || continue
  cp "$f" "$P/all/"
done
# split by file name parity (a batch dealt to two machines): the sample
# files share no patient, so no finding crosses the split
i=0
for f in $(ls "$P/all" | sort); do
  i=$((i + 1))
  if [ $((i % 2)) = 1 ]; then cp "$P/all/$f" "$P/h1/"; else
    cp "$P/all/$f" "$P/h2/"; fi
done
check_eq "merge: both halves have files" "yes" \
  "$([ -n "$(ls "$P/h1")" ] && [ -n "$(ls "$P/h2")" ] && echo yes)"
cp "$T/L1.csv" "$P/one.csv"
cp "$T/L1.csv" "$P/a.csv"
cp "$T/L1.csv" "$P/b.csv"
run_bin -q -o "$P/o-all" --state "$P/one.csv" --run-date $RUN_DATE "$P/all" \
  2>/dev/null
$RUNNER "$BIN" -q -o "$P/o-h1" --state "$P/a.csv" --run-date $RUN_DATE "$P/h1" \
  2>/dev/null &
p1=$!
$RUNNER "$BIN" -q -o "$P/o-h2" --state "$P/b.csv" --run-date $RUN_DATE "$P/h2" \
  2>/dev/null &
p2=$!
wait $p1
wait $p2
run_bin state merge "$P/a.csv" "$P/b.csv" >"$P/merged.csv" 2>"$P/merge.err"
check_eq "merge: exit status" "0 " "$? $(cat "$P/merge.err")"
check_file_eq "merge: merged ledger equals the one-run ledger" "$P/one.csv" \
  "$P/merged.csv"
run_bin state merge "$P/b.csv" "$P/a.csv" >"$P/merged2.csv" 2>/dev/null
check_file_eq "merge: argument order does not matter" "$P/one.csv" \
  "$P/merged2.csv"
n1=$(grep -c . "$P/one.csv")
if [ "$n1" -gt 100 ]; then ok "merge: one-run ledger of $n1 lines"; else
  fail "merge: one-run ledger suspiciously small ($n1 lines)"; fi
# findings: the union of both halves' rows equals the one run's rows
# (rows without their numbers, column id, which count per run)
(no_id "$P/o-h1/findings.csv" | tail -n +2
  no_id "$P/o-h2/findings.csv" | tail -n +2) | sort >"$P/f-halves"
no_id "$P/o-all/findings.csv" | tail -n +2 | sort >"$P/f-all"
check_file_eq "merge: findings of the halves equal the one run's" \
  "$P/f-all" "$P/f-halves"

echo "== merge: a void in one part stays void after the merge"
# the base ledger remembers A1 (run 1); one part voids it, the other part
# still carries A1 from the base: the merge must not bring it back
mkdir -p "$P/vall" "$P/v1" "$P/v2"
MK_FREQ=8 mk837 "$P/v1/void.837" 000000031 A1 M1 38225/20250303/1 \
  38226/20250304/1 38227/20250305/1
mk837 "$P/v2/other.837" 000000032 C9 M9 38225/20250401/1
cp "$P/v1/void.837" "$P/v2/other.837" "$P/vall/"
cp "$T/L1.csv" "$P/vone.csv"
cp "$T/L1.csv" "$P/va.csv"
cp "$T/L1.csv" "$P/vb.csv"
run_bin -q -o "$P/o-vall" --state "$P/vone.csv" --run-date $RUN_DATE \
  "$P/vall" 2>/dev/null
run_bin -q -o "$P/o-v1" --state "$P/va.csv" --run-date $RUN_DATE "$P/v1" \
  2>/dev/null
run_bin -q -o "$P/o-v2" --state "$P/vb.csv" --run-date $RUN_DATE "$P/v2" \
  2>/dev/null
run_bin state merge "$P/va.csv" "$P/vb.csv" >"$P/vmerged.csv" 2>/dev/null
check_file_eq "merge with a void: merged ledger equals the one-run ledger" \
  "$P/vone.csv" "$P/vmerged.csv"
check_eq "merge with a void: A1 has no live line left" 0 \
  "$(grep -c '^"BATCHTEST|000000001#[0-9a-f]*|1|0001","A1",.*"step"' "$P/vmerged.csv")"
check_eq "merge with a void: A1's three tombstones" 3 \
  "$(grep -c '^"BATCHTEST|000000001#[0-9a-f]*|1|0001","A1",.*,"","[0-9]","[-0-9]*","[-0-9]*","1","8",' "$P/vmerged.csv")"
# merge errors
printf 'source,claim_id\n' >"$P/bad.csv"
run_bin state merge "$P/a.csv" "$P/bad.csv" >"$P/out-bad" 2>"$P/err-bad"
check_eq "merge: damaged ledger exit 3" 3 "$?"
check_eq "merge: damaged ledger message" \
  "cart837: $P/bad.csv:1:3: header: expected 15 fields as in the header, found 2" \
  "$(cat "$P/err-bad")"
check_eq "merge: nothing on stdout on error" "" "$(cat "$P/out-bad")"
run_bin state merge "$P/a.csv" "$P/missing.csv" >/dev/null 2>&1
check_eq "merge: missing ledger exit 4" 4 "$?"
run_bin state merge >/dev/null 2>&1
check_eq "merge: no ledger given exit 2" 2 "$?"
# a damaged ledger stops a run before it writes anything
run_bin -q -o "$P/o-bad" --state "$P/bad.csv" "$P/h1" 2>"$P/err-run"
check_eq "run with a damaged ledger: exit 3" 3 "$?"
if [ -e "$P/o-bad" ]; then fail "run with a damaged ledger wrote output"
else ok "run with a damaged ledger: no output"; fi
check_eq "run with a damaged ledger: ledger untouched" "source,claim_id" \
  "$(cat "$P/bad.csv")"

# ---- 8. HTML summary, headless ----------------------------------------

echo "== report.html rendered headless"
# self-contained: an inline script and in-page links only (the SVG
# namespace is a name, not a resource)
if sed 's|xmlns="http://www.w3.org/2000/svg"||g' "$T/out-tree/report.html" |
  grep -Eiq '<script[^>]*src|src=|href="[^#]|@import|url\(|https?:'
then fail "html: report.html refers to something outside itself"
else ok "html: report.html refers to nothing outside itself"; fi
CHROME=""
for c in chromium chromium-browser; do
  if command -v $c >/dev/null 2>&1; then CHROME=$c; break; fi
done
# the page's numbers against summary.txt, findings.csv and episodes.csv
html_check() { # DIR PAGE
  py html_check "$T/$1/summary.txt" "$2" "$T/$1/findings.csv" \
    "$T/$1/episodes.csv"
}
if [ -z "$CHROME" ]; then
  skip "html headless: chromium is not installed (make deps-html installs it); report.html was checked as a file only"
  for d in out-tree out-r2 audit1; do
    html_check $d "$T/$d/report.html" >"$T/$d.check" &&
      ok "html: report.html (file) numbers ($d)" ||
      { fail "html: report.html (file) numbers ($d)"; cat "$T/$d.check"; }
  done
else
  for d in out-tree out-r2 audit1; do
    U=$(mktemp -d "$T/chrome.XXXXXX")
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
      --disable-quic --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$U" \
      --dump-dom "file://$T/$d/report.html" >"$T/$d.dom" 2>"$T/$d.chrome"
    if [ ! -s "$T/$d.dom" ]; then
      fail "html: chromium rendered nothing for $d"
      tail -5 "$T/$d.chrome"
      continue
    fi
    if html_check $d "$T/$d.dom" >"$T/$d.check"; then
      ok "html: the numbers chromium shows are the run's files' ($d)"
      sed 's/^/  /' "$T/$d.check"
    else
      fail "html: numbers shown differ from the run's files ($d)"
      cat "$T/$d.check"
    fi
  done
  # the escaped file name comes back as it was
  if grep -q 'a&amp;b&lt;c&gt;' "$T/out-tree.dom"; then
    ok "html: the file name with & < > shown escaped"
  else
    fail "html: the file name with & < > was not shown escaped"; fi
  # a screenshot of the samples' page, kept for a person to look at
  SHOT=${SHOT_DIR:-$(dirname "$BIN")}/report-samples.png
  U=$(mktemp -d "$T/chrome.XXXXXX")
  rm -f "$SHOT"
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$U" \
    --hide-scrollbars --window-size=1280,6000 --screenshot="$SHOT" \
    "file://$T/audit1/report.html" >"$T/shot.log" 2>&1
  if [ -s "$SHOT" ] && [ "$(head -c 8 "$SHOT" | od -An -c | tr -d ' ')" \
    = '211PNG\r\n032\n' ]; then
    ok "html: screenshot of report.html: $SHOT"
  else fail "html: no screenshot of report.html"; tail -3 "$T/shot.log"; fi
fi

# ---- 9. make install and the man page ----------------------------------

echo "== make install and the man page"
if [ -f "$ROOT/cart837.1" ] && command -v make >/dev/null; then
  bdir=$(dirname "$BIN")
  if make -s -C "$ROOT" install B="$bdir" PREFIX=/usr DESTDIR="$T/inst" \
    >"$T/install.log" 2>&1; then
    ok "make install"
  else
    fail "make install failed"
    tail -5 "$T/install.log"
  fi
  for f in usr/bin/cart837 usr/share/man/man1/cart837.1; do
    if [ -f "$T/inst/$f" ]; then ok "install: $f"; else
      fail "install: no $f"; fi
  done
  if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$ROOT/cart837.1" >"$T/groff.err" 2>&1
    check_eq "man: groff renders without warnings" "" "$(cat "$T/groff.err")"
  else
    skip "groff not installed: man page not rendered"
  fi
  # every option of --help is in the man page
  for o in $(run_bin run --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    if grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$ROOT/cart837.1"
    then ok "man: option $o"
    else fail "man: option $o of 'run --help' not documented"; fi
  done
  for s in stats codes state merge check show; do
    if grep -q "$s" "$ROOT/cart837.1"; then ok "man: sub-command $s"; else
      fail "man: sub-command $s not documented"; fi
  done
else
  skip "make install: cart837.1 or make missing"
fi

e2e_done
