#!/bin/sh
# e2e_scaleout.sh -- exact scale-out: extract / decide / apply / gather
#
# Issue 14: "a batch spread over machines ... gives byte-identical
# findings, outputs and ledger to one run, however patients fall; a test
# proves it with a batch whose patients cross the split."
#
# The batch: a generated 837 batch dealt into 9 files (about 30 % CAR-T
# claims: the same patients' collection, shipping, receipt and
# administration fall in different files), then the samples (837P,
# 837I, other delimiters, a gzip file), an 837P without CAR-T lines
# (nothing to extract), a resend (a copy of file 2 under another name, far from it: the same
# ISA read twice in one run), a file cut inside a claim (held whole) and
# two files whose HL links are broken (one held whole, one forwarded).
# It is cut into consecutive parts in several ways (1 | rest, halves,
# thirds, rest | 1, one file per part for the samples) and run with an
# empty starting ledger and with the ledger of an earlier run (so the
# run numbers and the earlier run's lines count).  For every cut:
#   - findings.csv and lines.csv of gather equal one run's, byte for
#     byte (findings ids numbered across the parts);
#   - decide's last ledger equals one run's saved ledger;
#   - every corrected and held 837 of the parts equals one run's, and
#     the parts write no other;
#   - every apply passes its check (exit 0 or 1, never 8).
# And the refusals: apply given another part's inputs, apply with
# another --run-date (its memory is not decide's: exit 8, no ledger
# written anywhere), decide over two parts with the same input name or
# over an extract that failed or whose names climb out of its directory
# (8), --ack and --state where they cannot be taken (2).
#
# Then more batches, the same checks (the review, scale-bugs/): the
# samples cut one file per transaction under their ISA (the same
# interchange in several parts, voids and replacements of earlier parts,
# PAYMENT_WINDOW across parts) with an earlier ledger that read them,
# --hold none, --max-lines falling in part 2, --codes; tests/hostile_gen.py's
# files each its own part, and in thirds with the corrupt gzip files
# ("broken"); drop folders as parts, each with a README.md; an 837D and
# odd names (and the name of apply's ledger check); a part applied by
# other paths than it was extracted by; a file that fails in apply (its
# output name taken by a directory) but read in its extract (exit 8).
#
# Run from the repo root: BIN=/abs/path/to/cart837 sh tests/e2e_scaleout.sh
. tests/lib_e2e.sh

RD="--run-date 2025-06-01"
Q="-q --no-progress"

mkdir -p "$T/in"
"$PYTHON" scripts/gen_batch.py --seed 23 --claims 2500 --cart-rate 0.3 \
  --files 9 --bytes 120K --out "$T/gen" 2>/dev/null ||
  { fail "gen_batch"; e2e_done; }
for f in "$T"/gen/*.837; do cp "$f" "$T/in/g$(basename "$f")"; done
cp samples/cart_prof.837 samples/cart_inst.837 samples/cart_rules.837 \
  samples/mixed_delims.837 samples/prof_basic.837 \
  samples/cart_batch.837.gz "$T/in/"
cp "$T/in/g2.837" "$T/in/resend.837"
# 837P without CAR-T lines: nothing an edit looks at (outcome none)
"$PYTHON" scripts/gen_batch.py --seed 3 --claims 30 --cart-rate 0 \
  --kind P --out "$T/in/nocart.837" 2>/dev/null
head -c 7000 "$T/in/g5.837" > "$T/in/cut.837"
# HL links broken (HL02 names a later HL): with a claim to hold, one run
# holds the file whole (the writer refuses); with only claims that pass,
# it forwards them -- the extract holds the file whole either way (its
# held claims are refused), and its ghost is the file itself
sed 's/HL\*4\*1\*22\*0/HL*4*9*22*0/' samples/cart_prof.837 > "$T/in/hlheld.837"
sed 's/HL\*3\*1\*22\*0/HL*3*7*22*0/' samples/cart_realworld.837 \
  > "$T/in/hlpass.837"

# the order of one run, which the parts follow
set -- g1 g2 g3 g4 g5 g6 g7 g8 g9 cart_prof cart_inst cut cart_rules \
  hlheld mixed_delims resend hlpass nocart prof_basic cart_batch
ORDER=""
for n in "$@"; do
  case $n in cart_batch) ORDER="$ORDER $T/in/$n.837.gz" ;;
  *) ORDER="$ORDER $T/in/$n.837" ;; esac
done
NFILES=$#

# an earlier run's ledger (another batch), for the second round
"$PYTHON" scripts/gen_batch.py --seed 24 --claims 800 --cart-rate 0.3 \
  --out "$T/early.837" 2>/dev/null
run_bin $Q -o "$T/early" --state "$T/early.csv" --run-date 2025-05-01 \
  "$T/early.837" >/dev/null 2>&1

# files_of FIRST LAST: the input paths FIRST..LAST (1-based) of ORDER
files_of() {
  echo $ORDER | tr ' ' '\n' | sed -n "$1,$2p" | tr '\n' ' '
}

# outputs DIR: the 837 outputs under DIR (relative), sorted
outputs() {
  (cd "$1" && find . -type f ! -path ./findings.csv ! -path ./lines.csv \
    ! -path ./episodes.csv ! -path ./summary.txt ! -path ./summary.json \
    ! -path ./report.html | sort)
}

# sbin ARGS...: the binary, under $RUNNER for the halves (every step under
# valgrind in `make valgrind`), for every RUNNER_EVERY-th run otherwise
NTH=0
sbin() {
  NTH=$((NTH + 1))
  if [ "$label" = halves ]; then run_bin "$@"; else run_nth $NTH "$@"; fi
}

# scale LABEL START CUTS...: one run and the scale-out over parts ending
# at the file numbers CUTS (the last is NFILES), starting ledger START
# ("" none), every step with the options $SOPTS; checks as the header
# says
SOPTS="" SOK=""
scale() {
  label=$1 start=$2
  shift 2
  d="$T/s.$label"
  mkdir -p "$d"
  [ -n "$start" ] && cp "$start" "$d/one.csv"
  sbin $Q $SOPTS -o "$d/one" --state "$d/one.csv" $RD $ORDER >/dev/null 2>&1
  first=1 k=0 exts="" applied="" bad=""
  for last in "$@"; do
    k=$((k + 1))
    sbin extract $Q $SOPTS -o "$d/e$k" $RD $(files_of $first $last) \
      >/dev/null 2>"$d/e$k.err"
    [ -s "$d/e$k/extract.csv" ] || bad="$bad extract$k"
    exts="$exts $d/e$k"
    first=$((last + 1))
  done
  if [ -n "$start" ]; then
    sbin decide $Q $SOPTS -o "$d/dec" --state "$start" $RD $exts \
      >/dev/null 2>"$d/dec.err"
  else
    sbin decide $Q $SOPTS -o "$d/dec" $RD $exts >/dev/null 2>"$d/dec.err"
  fi
  rc=$?
  [ $rc -eq 0 ] || bad="$bad decide=$rc($(head -c 300 "$d/dec.err"))"
  first=1 k=0
  for last in "$@"; do
    k=$((k + 1))
    sbin apply --decided "$d/dec" --part $k $Q $SOPTS -o "$d/a$k" $RD \
      $(files_of $first $last) >/dev/null 2>"$d/a$k.err"
    rc=$?
    case $rc:$SOPTS in
    # 5: a README skipped (the drop folders); 7: the limit, when one is set
    0:* | 1:* | 3:* | 5:* | 7:*--max-lines*) ;;
    *) case " $SOK " in # SOK: exit codes this round's one run has too
       *" $rc "*) ;;
       *) bad="$bad apply$k=$rc($(head -c 300 "$d/a$k.err"))" ;;
       esac ;;
    esac
    applied="$applied $d/a$k"
    first=$((last + 1))
  done
  sbin gather -o "$d/g" $applied >/dev/null 2>"$d/g.err" ||
    bad="$bad gather"
  [ -z "$bad" ] && ok "$label: every step ran ($k parts)" ||
    fail "$label: steps:$bad"
  check_file_eq "$label: findings.csv = one run's" "$d/one/findings.csv" \
    "$d/g/findings.csv"
  check_file_eq "$label: lines.csv = one run's" "$d/one/lines.csv" \
    "$d/g/lines.csv"
  check_file_eq "$label: ledger = one run's" "$d/one.csv" \
    "$d/dec/ledger.$k.csv"
  outputs "$d/one" > "$d/want.txt"
  : > "$d/got.txt"
  diffs=""
  for a in $applied; do
    outputs "$a" > "$d/list.txt"
    cat "$d/list.txt" >> "$d/got.txt"
    while IFS= read -r f; do # names with blanks (not line breaks)
      cmp -s "$a/$f" "$d/one/$f" || diffs="$diffs $f"
    done < "$d/list.txt"
  done
  sort -o "$d/got.txt" "$d/got.txt"
  check_file_eq "$label: the parts' 837 outputs are one run's, no more" \
    "$d/want.txt" "$d/got.txt"
  [ -z "$diffs" ] && ok "$label: every 837 output byte-identical" ||
    fail "$label: outputs that differ:$diffs"
}

scale halves "" 8 $NFILES
scale first1 "" 1 $NFILES
scale thirds "" 4 12 $NFILES
scale last1 "" $((NFILES - 1)) $NFILES
scale ledger "$T/early.csv" 3 9 14 $NFILES
# every file its own part (the samples and the ends of the batch)
scale each "$T/early.csv" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 \
  19 $NFILES
# the extracts hold what the header says: claims, whole files, nothing
m="$T/s.each"
check_eq "extract outcomes (cut, hlheld, hlpass, nocart)" \
  "whole whole whole none" \
  "$(for k in 12 14 17 18; do tail -n +2 "$m/e$k/extract.csv" | tr -d '"\r' | cut -d, -f3; done | tr '\n' ' ' | sed 's/ $//')"
grep -q '"claims"' "$m/e1/extract.csv" && ok "extract of g1: claims" ||
  fail "extract of g1: $(cat "$m/e1/extract.csv")"

# a generated patient's steps really fall in different parts (else the
# cuts prove nothing): one run finds PRIOR_STEP_MISSING less often than
# the parts run alone would
d="$T/s.halves"
run_bin $Q -o "$d/alone2" $RD $(files_of 9 $NFILES) >/dev/null 2>&1
n_one=$(grep -c PRIOR_STEP_MISSING "$d/a2/findings.csv")
n_alone=$(grep -c PRIOR_STEP_MISSING "$d/alone2/findings.csv")
[ "$n_alone" -gt "$n_one" ] &&
  ok "halves: part 2 alone misses steps of part 1 ($n_alone against $n_one PRIOR_STEP_MISSING)" ||
  fail "halves: the split did not cut patients ($n_alone / $n_one)"

# ---- refusals ---------------------------------------------------------

d="$T/s.halves"
run_bin apply --decided "$d/dec" --part 2 $Q -o "$d/x1" $RD \
  $(files_of 1 8) >/dev/null 2>"$d/x1.err"
check_rc "apply given part 1's inputs as part 2" 8 $?
grep -q "input 1 of part 2 is g1.837, not g9.837 as in its extract" \
  "$d/x1.err" && ok "apply: the message names the input" ||
  fail "apply wrong part: $(cat "$d/x1.err")"
run_bin apply --decided "$d/dec" --part 1 $Q -o "$d/x2" \
  --run-date 2025-06-02 $(files_of 1 8) >/dev/null 2>"$d/x2.err"
check_rc "apply with another --run-date" 8 $?
grep -q "the edits' memory after this part is not .*ledger.1.csv" \
  "$d/x2.err" && ok "apply: the message says the memory differs" ||
  fail "apply run date: $(cat "$d/x2.err")"
[ -z "$(find "$d/x2" -name '*ledger*')" ] &&
  ok "apply: no ledger written" || fail "apply wrote a ledger"
run_bin decide $Q -o "$d/x3" $RD "$d/e1" "$d/e1" >/dev/null 2>"$d/x3.err"
check_rc "decide over the same extract twice" 8 $?
grep -q "input g1.837 is in parts 1 and 2" "$d/x3.err" &&
  ok "decide: a name in two parts named" ||
  fail "decide twice: $(cat "$d/x3.err")"
cp -r "$d/e2" "$d/e2f"
sed 's/"g9.837","claims"/"g9.837","failed"/' "$d/e2/extract.csv" \
  > "$d/e2f/extract.csv"
run_bin decide $Q -o "$d/x4" $RD "$d/e1" "$d/e2f" >/dev/null 2>"$d/x4.err"
check_rc "decide over an extract that failed" 8 $?
cp -r "$d/e1" "$d/e1n"
sed 's/"g1.837","claims"/"..\/..\/g1.837","claims"/' "$d/e1/extract.csv" \
  > "$d/e1n/extract.csv"
run_bin decide $Q -o "$d/x7" $RD "$d/e1n" "$d/e2" >/dev/null 2>"$d/x7.err"
check_rc "decide over a manifest whose name climbs out" 8 $?
grep -q "input name ../../g1.837 climbs out of its directory" "$d/x7.err" &&
  [ ! -e "$d/g1.837" ] && ok "decide: no file written outside" ||
  fail "decide climbing name: $(cat "$d/x7.err")"
run_bin extract $Q -o "$d/x5" --ack 999 $RD $(files_of 1 2) \
  >/dev/null 2>"$d/x5.err"
check_rc "extract --ack" 2 $?
run_bin apply --decided "$d/dec" --part 1 --state "$d/one.csv" $Q \
  -o "$d/x6" $RD $(files_of 1 8) >/dev/null 2>"$d/x6.err"
check_rc "apply --state" 2 $?

# ---- the same interchange across parts, voids, limits, options --------
#
# The samples cut one file per transaction (tx.py below), every piece
# under its file's ISA as it was (control number kept): one run reads
# the same interchange in several files (INTERCHANGE_REPEATED against an
# earlier run only), the void and the replacement of cart_prof's third
# transaction fall in a later part than the claims they cancel, the
# inpatient admissions of cart_inst (PAYMENT_WINDOW) in another part than
# their outpatient services.  prof_basic and a copy of it (the same ISA:
# a resend in one run) with 99213 made a watch code (--codes).  Then cut
# with an earlier ledger that read cart_prof and cart_inst whole (their
# interchanges re-sent against an earlier run), with --hold none, with
# --max-lines small enough that the limit falls in a middle part, and
# with --codes.
mkdir -p "$T/tx"
cat > "$T/tx.py" <<'PYEOF'
import sys
# tx.py FILE PREFIX: one file per ST..SE transaction, under copies of
# the file's ISA and GS (control numbers kept), GE and IEA rebuilt
data = open(sys.argv[1], 'rb').read().decode('latin-1')
ele, term = data[3], data[105]
isa = gs = cur = None
txs = []
for seg in data.split(term):
    seg = seg.strip('\r\n')
    tag = seg.split(ele)[0]
    if tag == 'ISA':
        isa = seg
    elif tag == 'GS':
        gs = seg
    elif tag == 'ST':
        cur = [seg]
    elif tag == 'SE' and cur:
        txs.append((isa, gs, cur + [seg]))
        cur = None
    elif cur is not None and seg:
        cur.append(seg)
for i, (isa, gs, body) in enumerate(txs):
    out = [isa, gs] + body + [ele.join(['GE', '1', gs.split(ele)[6]]),
                              ele.join(['IEA', '1', isa.split(ele)[13]])]
    with open('%s%d.837' % (sys.argv[2], i + 1), 'wb') as f:
        f.write(''.join(s + term + '\n' for s in out).encode('latin-1'))
PYEOF
for s in cart_prof cart_inst cart_rules; do
  "$PYTHON" "$T/tx.py" samples/$s.837 "$T/tx/$s." ||
    fail "tx.py $s"
done
cp samples/prof_basic.837 "$T/tx/pb_a.837"
cp samples/prof_basic.837 "$T/tx/pb_b.837"
ORDER="" NFILES=0
for n in cart_prof.1 pb_a cart_inst.1 cart_prof.2 cart_rules.1 cart_prof.3 \
  cart_inst.2 pb_b cart_rules.2; do
  ORDER="$ORDER $T/tx/$n.837" NFILES=$((NFILES + 1))
done
run_bin $Q -o "$T/early2" --state "$T/early2.csv" --run-date 2025-05-01 \
  samples/cart_prof.837 samples/cart_inst.837 >/dev/null 2>&1
scale tx_each "" 1 2 3 4 5 6 7 8 9
scale tx_ledger "$T/early2.csv" 2 4 6 9
d="$T/s.tx_ledger"
check_eq "tx_ledger: INTERCHANGE_REPEATED against the earlier run" 2 \
  "$(grep -c INTERCHANGE_REPEATED "$d/g/findings.csv")"
grep -q '"VOID-1".*"8"' "$T/s.tx_each/one.csv" &&
  ok "tx_each: the void of part 6 left its tombstone" ||
  fail "tx_each: no tombstone of VOID-1"
SOPTS="--hold none"
scale tx_holdnone "$T/early2.csv" 3 6 9
SOPTS="--max-lines 40"
scale tx_limit "" 1 4 6 9
grep -q RUN_LINES_LIMIT "$T/s.tx_limit/a2/findings.csv" &&
  ! grep -q RUN_LINES_LIMIT "$T/s.tx_limit/a1/findings.csv" &&
  ok "tx_limit: the limit falls in part 2" ||
  fail "tx_limit: RUN_LINES_LIMIT not first in part 2"
{
  run_bin codes | head -n 1
  echo '"99213","watch","0","office visit (a watch code for this test)","1","0","","","","","0","test","","","","",""'
} > "$T/codes.csv"
SOPTS="--codes $T/codes.csv"
scale tx_codes "" 2 5 8 9
grep -q '"pb_b.837",.*"99213"' "$T/s.tx_codes/g/lines.csv" &&
  ok "tx_codes: 99213 tracked" || fail "tx_codes: 99213 not in lines.csv"
SOPTS=""

# ---- hostile files, each its own part --------------------------------
# tests/hostile_gen.py: one template interchange (the same ISA, the same
# patients) damaged in every way e2e_hostile.sh knows -- cut, doubled,
# foreign delimiters, bad dates and units, text after the IEA -- so one
# run holds some whole, reads the same interchange again and again and
# remembers lines across them.  Not the 10 MB ones (time), nor the gzip
# files whose extract fails (a file that fails is refused by decide).
"$PYTHON" tests/hostile_gen.py "$T/hg" >/dev/null 2>&1 ||
  fail "hostile_gen"
ORDER="" NFILES=0 CUTS=""
for f in $(cd "$T/hg/in" && LC_ALL=C ls m_* | grep -v \
  -e 10mb -e million -e m_big -e crc_gz -e trunc_gz); do
  ORDER="$ORDER $T/hg/in/$f" NFILES=$((NFILES + 1)) CUTS="$CUTS $NFILES"
done
scale hostile_each "" $CUTS
# thirds, over an earlier ledger, with the corrupt gzip files at the end
# (the last part): every run fails them alike (exit 4, an
# error row, nothing else), their extract says "broken", decide takes
# them (they were "failed", and the whole batch refused)
ORDER="$ORDER $T/hg/in/m_crc_gz.837.gz $T/hg/in/m_trunc_gz.837.gz"
NFILES=$((NFILES + 2))
SOK=4
scale hostile_gz "$T/early.csv" 9 $((NFILES - 1)) $NFILES
SOK=""
check_eq "hostile_gz: the corrupt gzip files' extract outcome" "broken" \
  "$(tail -n +2 "$T/s.hostile_gz/e3/extract.csv" | tr -d '"\r' | cut -d, -f3)"

# ---- drop folders as the parts -----------------------------------------
# Every part a folder (walked in sorted order), each with a README.md
# (not X12: skipped by every run, and it takes no output name, so the
# same skipped name in several parts is no conflict: it was refused,
# scale-bugs/01), one with a subfolder and a gzip file.
for k in 1 2 3; do mkdir -p "$T/drop/d$k"; echo "drop $k" > "$T/drop/d$k/README.md"; done
cp "$T/tx/cart_prof.1.837" "$T/tx/cart_inst.1.837" "$T/drop/d1/"
mkdir -p "$T/drop/d2/late"
cp "$T/tx/cart_prof.2.837" "$T/drop/d2/"
cp "$T/tx/cart_inst.2.837" "$T/tx/pb_a.837" "$T/drop/d2/late/"
cp samples/cart_batch.837.gz "$T/tx/cart_prof.3.837" "$T/drop/d3/"
ORDER="$T/drop/d1 $T/drop/d2 $T/drop/d3" NFILES=3
scale drops "$T/early2.csv" 1 2 3
check_eq "drops: README.md skipped in every part" "skipped skipped skipped" \
  "$(for k in 1 2 3; do grep README.md "$T/s.drops/e$k/extract.csv" | tr -d '"\r' | cut -d, -f3; done | tr '\n' ' ' | sed 's/ $//')"

# ---- 837D with tracked lines, odd names --------------------------------
# An 837D (GS08 X224) with CAR-T codes: extracted (tracked lines), read
# by no edit, its lines in lines.csv; names with a comma, a quote, blanks,
# UTF-8 and a leading dash through every manifest.
mkdir -p "$T/odd/a" "$T/odd/b"
sed 's/005010X222A1/005010X224A2/g' "$T/tx/cart_prof.2.837" \
  > "$T/odd/a/dental.837"
cp "$T/tx/cart_prof.1.837" "$T/odd/a/we,ird \"name x.837"
cp "$T/tx/cart_prof.3.837" "$T/odd/b/-dash é.837"
cp "$T/tx/cart_inst.1.837" "$T/odd/b/inst.837"
# the name of apply's own ledger check once (scale-bugs/02: its output
# was overwritten by the check and removed)
cp "$T/tx/cart_rules.1.837" "$T/odd/b/.cart837-ledger-check.csv"
ORDER="$T/odd/a $T/odd/b" NFILES=2
scale odd "" 1 2
grep -q '^"dental.837",' "$T/s.odd/g/lines.csv" &&
  ok "odd: the 837D's tracked lines in lines.csv" ||
  fail "odd: no 837D line"
[ -s "$T/s.odd/a2/.cart837-ledger-check.csv" ] &&
  ok "odd: the output named like apply's check is there" ||
  fail "odd: the output .cart837-ledger-check.csv is missing"

# a part applied by other paths than it was extracted by (another
# machine, another directory): an input skipped for its name (summary.txt,
# a report's name) is no reason to refuse (scale-bugs/03: it was
# compared by the path given, exit 8)
mkdir -p "$T/paths"
cp "$T/tx/cart_prof.1.837" "$T/paths/p1.837"
cp "$T/tx/cart_prof.2.837" "$T/paths/summary.txt"
(cd "$T/paths" || exit
  run_bin extract $Q -o e1 $RD p1.837 summary.txt >/dev/null 2>&1
  run_bin decide $Q -o dec $RD e1 >/dev/null 2>&1)
run_bin apply --decided "$T/paths/dec" --part 1 $Q -o "$T/paths/a1" $RD \
  "$T/paths/p1.837" "$T/paths/summary.txt" >/dev/null 2>"$T/paths/a1.err"
check_rc "apply by other paths, an input skipped for its name" 5 $?

# a file that fails in apply but read in its extract (here its output
# name is taken by a directory: an I/O error of this machine) is no
# output of one run: exit 8, named (whatever the ledger says)
d="$T/s.halves"
mkdir -p "$d/x8/g3.837"
run_bin apply --decided "$d/dec" --part 1 $Q -o "$d/x8" $RD \
  "$T"/in/g[1-8].837 >/dev/null 2>"$d/x8.err"
check_rc "apply with a file failing here, read in its extract" 8 $?
grep -q "part 1, g3.837: failed here (cannot write .*g3.837: Is a directory), read in its extract" \
  "$d/x8.err" && ok "apply: the failed file named" ||
  fail "apply failing file: $(cat "$d/x8.err")"

e2e_done
