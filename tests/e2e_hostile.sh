#!/bin/sh
# e2e_hostile.sh -- hostile input and I/O faults, at the level of a run
#
# Bad input (H01-H16): each hostile file, made at run time by
# tests/hostile_gen.py, runs in one directory with three good files (the
# samples cart_prof, cart_inst and prof_basic, named so that the hostile
# file sorts between them) and a ledger from an earlier run.  For each,
# the test asserts the exit status, the message and the exact
# findings.csv rows of the hostile file, where its claims went (held
# whole and byte-identical, or forwarded), and that nothing else is lost:
# every good file's outputs, report rows and summary section are the
# bytes of a run without the hostile file, no temporary file is left,
# and the ledger is that run's (plus, for a file that was processed, the
# rows of its own interchange only).
#
# I/O faults (F01-F18): a full disk (tmpfs when this container may mount
# one, RLIMIT_FSIZE always -- on an 837 output and on the reports --,
# /dev/full and a closed pipe as standard output, fsync and rename
# failures injected with tests/faultfs.c, on outputs and the ledger), an
# output directory that cannot be written (parent is a file, read-only
# bind mount, run as nobody, held/ a file), input deleted or cut short
# while the run reads it, a FIFO whose writer dies.  Each must give a
# clear error naming the file and the documented exit status (README
# "Exit status"), nothing under a final name for the failed file, no
# temporary file, and a ledger byte-identical to what it must be.
#
# Cases that need what a container may not allow (mount, setpriv, a C
# compiler) say SKIP with the reason.
#
# RUNNER (make valgrind) goes in front of the plain runs of $BIN: the
# baseline, every hostile-input batch, F08-F10, F13 and F18; not in front of
# those that preload tests/faultfs.c, set limits through python, change
# user or mount, nor of the peak-memory check.
#
# Python starts twice: tests/hostile_gen.py, then one tests/pyserve.py
# answers every findings.csv query (tests/csv_rows.py) and every
# x12check.py run.
. tests/lib_e2e.sh
is_asan() { grep -q __asan_init "$BIN" 2>/dev/null; }
RD="--run-date 2025-09-01"
GOOD="a_prof.837 c_inst.837 z_basic.837"

"$PYTHON" tests/hostile_gen.py "$T" || { fail "tests/hostile_gen.py"; e2e_done; }
py_start
. "$T/in/facts"
mkdir -p "$T/good" "$T/o" "$T/b"
cp samples/cart_prof.837 "$T/good/a_prof.837"
cp samples/cart_inst.837 "$T/good/c_inst.837"
cp samples/prof_basic.837 "$T/good/z_basic.837"

# ---- helpers ------------------------------------------------------------

# The summary.txt sections of the good files (not of m_* files, not the
# total).
sections() {
  awk '/^file: /{keep = ($2 !~ /^m_/)} /^total:/{keep = 0} keep' "$1"
}

# rows OUT FILE [EDIT]: the findings.csv rows of FILE (of edit EDIT), one
# per line: claim|line|edit|action|detail|segment|offset
rows() { py csv_rows "$1/findings.csv" "$2" "${3:-}"; }

# The ledger every run starts from (an earlier run over the gzip sample),
# and the baseline: the good files alone.
run_bin -q -o "$T/l0" --state "$T/L0.csv" --run-date 2025-08-01 \
  samples/cart_batch.837.gz
cp "$T/L0.csv" "$T/base.csv"
run_bin -q -o "$T/base" --state "$T/base.csv" $RD "$T/good"
base_rc=$?
sections "$T/base/summary.txt" >"$T/base.sections"
# noid: CSV rows on stdin without column id (findings.csv numbers its
# rows: the hostile file's rows shift the numbers of the rows after them)
noid() {
  "$PYTHON" -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
i = rows[0].index("id") if rows and "id" in rows[0] else None
w = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator="\n")
for r in rows:
    w.writerow(r if i is None else r[:i] + r[i + 1:])'
}
for r in findings.csv lines.csv; do noid <"$T/base/$r" >"$T/base.$r.noid"; done
if [ $base_rc -eq 1 ] && [ "$(wc -l <"$T/L0.csv")" -gt 1 ] &&
   [ "$(wc -l <"$T/base.csv")" -gt "$(wc -l <"$T/L0.csv")" ] &&
   [ -s "$T/base.sections" ]; then
  ok "baseline: good files alone, exit 1, ledger grows"
else
  fail "baseline: rc $base_rc"
fi

# batch NAME [OPTIONS]: the good files and $T/in/m_NAME.* in one
# directory $T/b/NAME, run with a copy of L0 as ledger ($T/o/NAME.csv);
# outputs in $T/o/NAME, stderr in $T/o/NAME.err, exit status in $rc.
batch() {
  n=$1
  shift
  mkdir -p "$T/b/$n"
  cp "$T/good/"* "$T/b/$n/"
  cp "$T/in/m_$n".* "$T/b/$n/"
  cp "$T/L0.csv" "$T/o/$n.csv"
  run_bin -o "$T/o/$n" --state "$T/o/$n.csv" $RD "$@" "$T/b/$n" \
    2>"$T/o/$n.err"
  rc=$?
}

# intact NAME LEDGER LABEL [FILE]: every good file came out as in the
# baseline (outputs byte for byte, findings.csv and lines.csv rows but
# those of FILE -- default m_NAME --, summary sections), no temporary
# file is left in the output or ledger directory, and the ledger equals
# the baseline's (LEDGER=same) or does once the rows of the hostile
# interchanges are left out (LEDGER=plus).
intact() {
  n=$1 od=$T/o/$1 bad= hf=${4:-m_$1}
  for g in $GOOD; do
    for s in "" held/; do
      if [ -e "$T/base/$s$g" ]; then
        cmp -s "$T/base/$s$g" "$od/$s$g" || bad="$bad $s$g"
      elif [ -e "$od/$s$g" ]; then
        bad="$bad $s$g(not-in-baseline)"
      fi
    done
  done
  for r in findings.csv lines.csv; do
    grep -v "^\"$hf\\." "$od/$r" 2>/dev/null | noid |
      cmp -s - "$T/base.$r.noid" || bad="$bad $r"
  done
  sections "$od/summary.txt" 2>/dev/null | cmp -s - "$T/base.sections" ||
    bad="$bad summary.txt"
  [ -z "$(find "$od" -name '.*tmp-*' 2>/dev/null
          find "$T/o" -maxdepth 1 -name ".$n.csv.tmp-*")" ] ||
    bad="$bad temporary-files"
  case $2 in
  same) cmp -s "$T/o/$n.csv" "$T/base.csv" || bad="$bad ledger" ;;
  plus)
    grep -v '^"SUBMITTER|00000090' "$T/o/$n.csv" | cmp -s - "$T/base.csv" ||
      bad="$bad ledger"
    ;;
  *) bad="$bad (LEDGER must be same or plus, not $2)" ;;
  esac
  if [ -z "$bad" ]; then
    ok "$3: the other files come out as without it (outputs, rows, summary, ledger), no temporary file"
  else
    fail "$3: differs from the run without it:$bad"
  fi
}

# held_whole NAME: OUT/held/m_NAME.837 is the input byte for byte, and
# nothing of it is under OUT/
held_whole() {
  cmp -s "$T/in/m_$1.837" "$T/o/$1/held/m_$1.837" &&
    [ ! -e "$T/o/$1/m_$1.837" ]
}

# forwarded NAME: OUT/m_NAME.837 is the input byte for byte (nothing in
# it needed a fix) and nothing is held
forwarded() {
  cmp -s "$T/in/m_$1.837" "$T/o/$1/m_$1.837" &&
    [ ! -e "$T/o/$1/held/m_$1.837" ]
}

# msg NAME LINE: stderr of the run has LINE exactly
msg() { grep -qxF "$2" "$T/o/$1.err"; }

# parse_error NAME STATUS DETAIL SEGMENT OFFSET LABEL: a file that cannot
# be read to its end: exit 3, held whole, one ENVELOPE_INVALID row, the
# message on stderr, every other file intact
parse_error() {
  n=$1
  if [ $rc -eq 3 ] && held_whole "$n" &&
     msg "$n" "cart837: m_$n.837: byte $5, segment $4: $3; the file is held whole (OUT/held/)"; then
    ok "$6: exit 3, held whole byte for byte, message with byte and segment"
  else
    fail "$6: rc $rc"
    sed 's/^/    /' "$T/o/$n.err" | head -5
  fi
  check_eq "$6: its one findings.csv row" \
    "||ENVELOPE_INVALID|flagged|$2: $3|$4|$5" "$(rows "$T/o/$n" "m_$n.837")"
  intact "$n" same "$6"
}

# passes NAME LABEL: a hostile file that is read to its end: exit 1 (the
# good files' findings), forwarded byte for byte, every other file intact
passes() {
  batch "$1"
  if [ $rc -eq 1 ] && forwarded "$1"; then
    ok "$2: forwarded as it came, exit 1"
  else
    fail "$2: rc $rc"
  fi
  intact "$1" plus "$2"
}

# envelope LABEL NAME WANT: the ENVELOPE_INVALID rows of m_NAME are WANT
envelope() {
  check_eq "$1" "$3" "$(rows "$T/o/$2" "m_$2.837" ENVELOPE_INVALID)"
}

# ==== bad input ========================================================

# H01 truncated file: cut inside a segment, cut between two segments of a
# claim (a transaction with claims and no SE is truncated), cut after SE
batch trunc_mid_seg
parse_error trunc_mid_seg ETRUNC \
  "input ends inside segment 'SV1*HC:38' (no segment terminator)" \
  "$N_trunc_mid_seg" "$O_trunc_mid_seg" "H01a truncated inside a segment"
batch trunc_in_claim
parse_error trunc_in_claim ETRUNC \
  "input ends inside transaction set ST02=0001 after 1 complete claim(s) and inside the next one, with no SE: the file is truncated" \
  "$N_trunc_in_claim" "$O_trunc_in_claim" "H01b truncated between segments of a claim"
passes trunc_after_se "H01c truncated after SE (claims)"
check_eq "H01c truncated after SE: GE and IEA reported missing" \
  "||ENVELOPE_INVALID|flagged|GE_MISSING: functional group GS06=1 has no GE trailer (input ended)|$N_trunc_after_se|$O_trunc_after_se
||ENVELOPE_INVALID|flagged|IEA_MISSING: interchange ISA13=000000901 has no IEA trailer (input ended)|$N_trunc_after_se|$O_trunc_after_se" \
  "$(rows "$T/o/trunc_after_se" m_trunc_after_se.837 ENVELOPE_INVALID)"
grep -qxF "cart837: m_trunc_after_se.837: byte $O_trunc_after_se, segment $N_trunc_after_se: GE_MISSING: functional group GS06=1 has no GE trailer (input ended)" "$T/o/trunc_after_se.err" &&
  ok "H01c truncated after SE: message with byte and segment" ||
  fail "H01c truncated after SE: message"

# H02 truncated gzip, and a gzip whose CRC is wrong: I/O-class error
# (exit 4), no output at all for the file, one row naming it
for n in trunc_gz crc_gz; do
  batch $n
  case $n in
  trunc_gz) why="gzip stream is truncated: unexpected end of file"; o=$O_trunc_gz ;;
  *) why="incorrect data check"; o=$O_crc_gz ;;
  esac
  m="$T/b/$n/m_$n.837.gz: $why (compressed offset $o)"
  [ $rc -eq 4 ] && [ ! -e "$T/o/$n/m_$n.837.gz" ] &&
    [ ! -e "$T/o/$n/held/m_$n.837.gz" ] &&
    msg $n "cart837: m_$n.837.gz: $m" &&
    ok "H02 $n: exit 4, no output, message names the file and offset" ||
    fail "H02 $n: rc $rc"
  check_eq "H02 $n: its one row" "||ENVELOPE_INVALID|flagged|EGZIP: $m|0|$o" \
    "$(rows "$T/o/$n" "m_$n.837.gz")"
  intact $n same "H02 $n"
done

# H03 garbage after the IEA: text, NUL padding, a DOS end-of-file byte
# (no terminator: the file cannot be read to its end, held whole), and a
# well-formed junk segment (flagged, passed through)
for n in after_iea_text after_iea_nul after_iea_dos_eof; do
  batch $n
  [ $rc -eq 3 ] && held_whole $n &&
    [ "$(rows "$T/o/$n" "m_$n.837" | cut -d'|' -f3,6,7)" = "ENVELOPE_INVALID|$((BASE_SEGS + 1))|$BASE_LEN" ] &&
    ok "H03 $n: exit 3, held whole, one row at the first byte after the IEA" ||
    fail "H03 $n: rc $rc"
  intact $n same "H03 $n"
done
for n in after_iea_text after_iea_nul after_iea_dos_eof; do
  case $n in
  after_iea_text) f="THIS IS NOT " ;;
  after_iea_nul) f='\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' ;;
  *) f='\x1a' ;;
  esac
  d="expected an ISA segment after the IEA, found '$f'"
  check_eq "H03 $n: the row says what was expected" \
    "||ENVELOPE_INVALID|flagged|ENOISA: $d|$((BASE_SEGS + 1))|$BASE_LEN" \
    "$(rows "$T/o/$n" "m_$n.837")"
done
passes after_iea_seg "H03 junk segment after the IEA"
# (JUNK, four letters, is no segment id either)
check_eq "H03 junk segment after the IEA: its rows" \
  "||ENVELOPE_INVALID|flagged|SEGMENT_ID_INVALID: segment 'JUNK*1' does not start with a segment id (2 or 3 letters or digits, then '*')|$((BASE_SEGS + 1))|$BASE_LEN
||ENVELOPE_INVALID|flagged|SEGMENT_OUTSIDE_ST: segment 'JUNK' outside a transaction set|$((BASE_SEGS + 1))|$BASE_LEN" \
  "$(rows "$T/o/after_iea_seg" m_after_iea_seg.837 ENVELOPE_INVALID)"

# H04 a 10 MB segment; H05 a million elements (1 MB: over the segment
# limit first), 300 elements in a short segment (over C837_MAX_ELEMENTS)
batch seg_10mb
parse_error seg_10mb ETOOLONG \
  "segment longer than 65536 bytes: missing segment terminator?" \
  "$N_limit" "$O_limit" "H04 10 MB segment"
if is_asan || [ ! -x /usr/bin/time ]; then
  skip "H04 peak memory of the 10 MB segment (ASan build, or no /usr/bin/time)"
else
  /usr/bin/time -f %M -o "$T/rss" "$BIN" -q -o "$T/o/rss" "$T/in/m_seg_10mb.837"
  kb=$(tail -1 "$T/rss")
  [ "$kb" -lt 32768 ] && ok "H04 10 MB segment read in $kb KB (bounded by C837_MAX_SEGMENT)" ||
    fail "H04 10 MB segment: peak RSS $kb KB"
fi
batch el_million
parse_error el_million ETOOLONG \
  "segment longer than 65536 bytes: missing segment terminator?" \
  "$N_limit" "$O_limit" "H05a a million elements in one segment"
batch el_300
parse_error el_300 ETOOMANY \
  "segment 'NTE' has more than 256 elements" \
  "$N_limit" "$O_limit" "H05b 300 elements in one segment"

# H06 NUL bytes inside a CAR-T code: the code would read as "382" (not
# a CAR-T code) and the line would escape the edits, so the file is held
# whole (issue 11: a claim that cannot be read is not passed on)
batch nul_code
parse_error nul_code ECLAIM \
  "segment 'SV1' has a NUL byte (0x00) at byte $NUL_AT: binary data, not X12 text, inside claim 'H1': a service line, code or date of the claim could be hidden in it, so the claim is not passed on" \
  "$N_nul_code" "$O_nul_code" "H06 NUL bytes in a segment of a claim"

# H07 wrong delimiters in the middle: a CLM and an SV1 with '|' for '*',
# and the segment terminator changing from '~' to newline.  A CLM that
# does not read as one leaves its service line outside any claim, where
# no edit would see it: the file is held whole (issue 11)
batch delim_clm
parse_error delim_clm ECLAIM \
  "service line segment 'SV1' is not inside a claim (no CLM before it: the CLM is missing or garbled): no edit could check it, so it is not passed on" \
  "$((N_delim_clm + 2))" "$O_delim_clm_sv1" "H07a CLM with '|' separators"
batch delim_sv1
parse_error delim_sv1 ECLAIM \
  "segment 'SV1|HC>38228|100' does not start with a segment id (2 or 3 letters or digits, then '*'), inside claim 'H1': a service line, code or date of the claim could be hidden in it, so the claim is not passed on" \
  "$N_delim_sv1" "$O_delim_sv1" "H07b SV1 with '|' separators"
batch delim_term
parse_error delim_term ETRUNC \
  "input ends inside segment 'HL*3*1*22*0\\x0a' (no segment terminator)" \
  "$N_delim_term" "$O_delim_term" "H07c terminator changes in the middle"

# H08 ISA shorter than 106 bytes: fields not padded (93 bytes), cut at
# 105 bytes, one element missing
passes isa_short "H08a ISA of $ISA_SHORT_LEN bytes (delimiters found by counting)"
envelope "H08a ISA of $ISA_SHORT_LEN bytes: ISA_LENGTH row" isa_short \
  "||ENVELOPE_INVALID|flagged|ISA_LENGTH: ISA is $ISA_SHORT_LEN bytes, not 106 (fixed-width fields): ISA06 has 9 characters, not 15|1|0"
batch isa_cut
parse_error isa_cut ETRUNC "input ends inside an ISA segment" 1 105 \
  "H08b file cut inside the ISA (105 bytes)"
batch isa_15el
parse_error isa_15el EISA \
  "ISA: component separator and segment terminator must differ from each other and from the element separator; found 'HC'" \
  1 "$O_isa_15el" "H08c ISA with 15 elements"

# H09 missing IEA
passes no_iea "H09 missing IEA (none is added)"
n=no_iea
check_eq "H09 missing IEA: its row" \
  "||ENVELOPE_INVALID|flagged|IEA_MISSING: interchange ISA13=000000901 has no IEA trailer (input ended)|$N_no_iea|$O_no_iea" \
  "$(rows "$T/o/$n" m_$n.837 ENVELOPE_INVALID)"

# H10 nested ISA: a whole interchange inside an open transaction; the
# claims of the outer transaction after it are outside any transaction
# set, where no edit would see them: the file is held whole (issue 11)
batch nested_isa
parse_error nested_isa ECLAIM \
  "claim '$ID_nested_clm' (CLM) is not inside an 837 transaction set (no ST open: the ST is missing or garbled): no edit could check it, so it is not passed on" \
  "$N_nested_clm" "$O_nested_clm" "H10 nested ISA"

# H11 counts that are not numbers (SE01, GE01, IEA01 = X1) in a file
# with a fixed claim: reported, and the rewritten output is valid X12
batch counts_x1
n=counts_x1
check_eq "H11 SE01/GE01/IEA01 = X1: reported" \
  "||ENVELOPE_INVALID|flagged|SE01_COUNT: SE01=X1 but transaction set ST02=0001 has $SEGS_ST_SE segments from ST to SE|$N_counts_se|$O_counts_se
||ENVELOPE_INVALID|flagged|GE01_COUNT: GE01=X1 but group GS06=1 has 1 transaction sets|$N_counts_ge|$O_counts_ge
||ENVELOPE_INVALID|flagged|IEA01_COUNT: IEA01=X1 but interchange ISA13=000000901 has 1 groups|$N_counts_iea|$O_counts_iea" \
  "$(rows "$T/o/$n" m_$n.837 ENVELOPE_INVALID)"
# (--new: the generated files have no 2010BB NM1*PR, which x12check
# requires; the counts are checked exactly below)
[ $rc -eq 1 ] && py x12check --new "$T/in/m_$n.837" "$T/o/$n/m_$n.837" \
  >/dev/null &&
  py x12check --conserve "$T/in/m_$n.837" "$T/o/$n/m_$n.837" >/dev/null &&
  tail -3 "$T/o/$n/m_$n.837" | tr -d '\n' | grep -qx "SE\*$SEGS_ST_SE\*0001~GE\*1\*1~IEA\*1\*000000901~" &&
  ok "H11 X1 counts: the fixed file gets SE01, GE01 and IEA01 recounted (valid X12)" ||
  fail "H11 X1 counts: output not valid X12 (rc $rc): $(tail -3 "$T/o/$n/m_$n.837" | tr '\n' ' ')"
intact $n plus "H11 SE01/GE01/IEA01 = X1"

# H12 impossible dates (Feb 30): a line DTP (reported; the line falls
# back to the claim's date, and the claim has none, so no dated edit can
# judge it: SERVICE_DATE_MISSING holds its claim, specs/edits.md), ISA09,
# GS04, a claim-level DTP (its claim's line has no DTP of its own: held
# the same way)
# undated NAME LABEL: claim H1 of m_NAME is held (exit 1) with
# SERVICE_DATE_MISSING on its line 1, listed without a date; the other
# claims go out; every other file intact
undated() {
  n=$1
  [ $rc -eq 1 ] && grep -q 'CLM\*H1\*' "$T/o/$n/held/m_$n.837" &&
    ! grep -q 'CLM\*H1\*' "$T/o/$n/m_$n.837" &&
    [ "$(grep -c 'CLM\*' "$T/o/$n/m_$n.837")" -eq 2 ] &&
    ok "$2: claim H1 held, the others forwarded, exit 1" ||
    fail "$2: rc $rc"
  check_eq "$2: SERVICE_DATE_MISSING on the claim and its line" \
    "H1|1|SERVICE_DATE_MISSING|held|38228 has no date of service: $3, and the claim has no DTP*472 or DTP*434 date to fall back on; the date-based edits cannot judge it" \
    "$(rows "$T/o/$n" m_$n.837 SERVICE_DATE_MISSING | cut -d'|' -f1-5)"
  grep -q "^\"m_$n.837\",\"H1\",\"1\",\"38228\",\"\",\"\",\"1\",.*,\"SERVICE_DATE_MISSING\",\"held\"," "$T/o/$n/lines.csv" &&
    ok "$2: the line is listed without a date, held" ||
    fail "$2: lines.csv row"
  intact "$n" plus "$2"
}
batch date_dtp
n=date_dtp
check_eq "H12a DTP*472 20250230: reported" \
  "||ENVELOPE_INVALID|flagged|DATE_INVALID: claim H1 line 1: DTP*472 date '20250230' is not a valid D8 or RD8 date|$N_date_dtp|$O_date_dtp" \
  "$(rows "$T/o/$n" m_$n.837 ENVELOPE_INVALID)"
undated date_dtp "H12a DTP*472 20250230" "its DTP*472 is not a valid date"
passes date_isa "H12b ISA09 250230"
envelope "H12b ISA09 250230: ISA09_DATE row" date_isa \
  "||ENVELOPE_INVALID|flagged|ISA09_DATE: ISA09=250230 is not a valid YYMMDD date|1|0"
passes date_gs "H12c GS04 20250230"
envelope "H12c GS04 20250230: GS04_DATE row" date_gs \
  "||ENVELOPE_INVALID|flagged|GS04_DATE: GS04=20250230 is not a valid CCYYMMDD date|2|$O_gs"
batch date_clm
envelope "H12d claim-level DTP*472 20250230: DATE_INVALID row" date_clm \
  "||ENVELOPE_INVALID|flagged|DATE_INVALID: claim H1: DTP*472 date '20250230' is not a valid D8 or RD8 date|$N_date_clm|$O_date_clm"
undated date_clm "H12d claim-level DTP*472 20250230" "it has no DTP*472"

# H13 units that are not a count: SV104 (837P) and SV205 (837I) as
# 1e9999, -1, 1e3, 0x10, NaN, Inf, 40 digits, 0, empty: each claim held
# with UNITS_INVALID, the rest of the file forwarded.  The 40 digits are
# quoted whole (c837_line.units_raw holds C837_UNITS_MAX - 1 characters).
nines=9999999999999999999999999999999999999999
for n in units_sv104 units_sv205; do
  batch $n
  case $n in
  units_sv104) code=38228 el=SV104 ;;
  *) code=Q2041 el=SV205 ;;
  esac
  want= k=0
  for u in 1e9999 -1 1e3 0x10 NaN Inf "$nines" 0 ""; do
    k=$((k + 1))
    case $u in
    "") d="$code has no units in $el" ;;
    -1 | 0) d="$code has units '$u' in $el; units must be more than 0" ;;
    *) d="$code has units '$u' in $el, which is not a number" ;;
    esac
    eval "o=\$O_${n}_$k s=\$N_${n}_$k"
    want="$want${want:+
}H0$k|1|UNITS_INVALID|held|$d|$s|$o"
  done
  check_eq "H13 $n: every bad count held with UNITS_INVALID" "$want" \
    "$(rows "$T/o/$n" m_$n.837 UNITS_INVALID)"
  [ $rc -eq 1 ] &&
    py x12check --conserve "$T/in/m_$n.837" "$T/o/$n/m_$n.837" "$T/o/$n/held/m_$n.837" >/dev/null &&
    [ "$(grep -c 'CLM\*H0[1-9]\*' "$T/o/$n/held/m_$n.837")" -eq 9 ] &&
    [ "$(grep -c 'CLM\*' "$T/o/$n/m_$n.837")" -eq 1 ] &&
    ok "H13 $n: the 9 claims held byte for byte, the good one forwarded" ||
    fail "H13 $n: rc $rc"
  intact $n plus "H13 $n"
done

# H14 a file that is only a byte-order mark: skipped in a directory (not
# an interchange, exit 5), held whole when named (ENOISA, exit 3)
batch bom_only
n=bom_only
[ $rc -eq 5 ] && grep -qxF "  skipped: not an X12 interchange: starts with '\\xef\\xbb\\xbf'" "$T/o/$n/summary.txt" &&
  [ -z "$(rows "$T/o/$n" m_$n.837)" ] &&
  ok "H14 BOM only, in a directory: skipped with its reason, exit 5" ||
  fail "H14 BOM only in a directory: rc $rc"
intact $n same "H14 BOM only"
run_bin -q -o "$T/o/bom1" "$T/in/m_bom_only.837"
rc=$?
[ $rc -eq 3 ] && cmp -s "$T/in/m_bom_only.837" "$T/o/bom1/held/m_bom_only.837" &&
  [ "$(rows "$T/o/bom1" m_bom_only.837)" = "||ENVELOPE_INVALID|flagged|ENOISA: input ends before any ISA segment|1|3" ] &&
  ok "H14 BOM only, named: ENOISA, held whole, exit 3" ||
  fail "H14 BOM only, named: rc $rc: $(rows "$T/o/bom1" m_bom_only.837)"

# H15 CLM02 that is not a number on a claim that gets fixed: CLM02 is
# re-summed from the lines, the output is valid
batch clm02_nan
n=clm02_nan
[ $rc -eq 1 ] && grep -q '^CLM\*H1\*100\*' "$T/o/$n/m_$n.837" &&
  py x12check --new "$T/in/m_$n.837" "$T/o/$n/m_$n.837" >/dev/null &&
  [ "$(rows "$T/o/$n" m_$n.837 UNITS_OVER_DAILY_MAX | cut -d'|' -f1,4)" = "H1|fixed" ] &&
  ok "H15 CLM02 NaN on a fixed claim: re-summed to 100, valid X12" ||
  fail "H15 CLM02 NaN: rc $rc"
intact $n plus "H15 CLM02 NaN"

# H16 a range to split whose charge is not a number: flagged, not split
passes split_nan "H16 charge NaN on a range to split"
check_eq "H16 charge NaN on a range to split: flagged, not split" \
  "H1|1|RANGE_SPANS_DAYS|flagged|38228 is billed per day but one line covers 2025-06-01 to 2025-06-02 (2 days); its charge cannot be read, so it cannot be split|$N_split_nan|$O_split_nan" \
  "$(rows "$T/o/split_nan" m_split_nan.837 RANGE_SPANS_DAYS)"

# ==== I/O faults =======================================================

# The fault-injection library (tests/faultfs.c), built here.
FAULTFS=
CCX=${CC:-cc}
if command -v "$CCX" >/dev/null 2>&1; then
  if "$CCX" -std=c11 -Wall -Wextra -Werror -shared -fPIC -O1 \
       -o "$T/faultfs.so" tests/faultfs.c -ldl 2>"$T/cc.err"; then
    FAULTFS=$T/faultfs.so
  else
    fail "tests/faultfs.c does not build"
    cat "$T/cc.err"
  fi
fi
# faulty VAR=VALUE COMMAND...: COMMAND with the library preloaded and
# the fault VAR=VALUE chosen
faulty() {
  env LD_PRELOAD="$FAULTFS" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}

# faulty_batch NAME SOURCE FAULT: the good files and SOURCE (named
# m_NAME.837) in $T/b/NAME, run as batch does, with the fault library and
# the environment assignment FAULT
faulty_batch() {
  n=$1
  mkdir -p "$T/b/$n"
  cp "$T/good/"* "$T/b/$n/"
  cp "$2" "$T/b/$n/m_$n.837"
  cp "$T/L0.csv" "$T/o/$n.csv"
  # -j 1: the faults are placed by the order in which one thread opens
  # the files (a worker reading ahead opens them sooner)
  faulty "$3" "$BIN" -j 1 ${SYNC_EACH:-} -o "$T/o/$n" \
    --state "$T/o/$n.csv" $RD "$T/b/$n" 2>"$T/o/$n.err"
  rc=$?
}

# no_output NAME FILE: none of FILE's outputs exists
no_output() {
  [ ! -e "$T/o/$1/$2" ] && [ ! -e "$T/o/$1/held/$2" ]
}

# io_row NAME FILE MSG LABEL: FILE's one row in OUT NAME is the I/O
# error MSG
io_row() {
  check_eq "$4: its one row names the error" "||ENVELOPE_INVALID|flagged|EIO: $3|0|0" \
    "$(rows "$T/o/$1" "$2")"
}

# F01 disk full (ENOSPC) while writing one file's corrected 837, on a
# real (tmpfs) file system: that file fails, the others and the reports
# are complete, its space is given back
mkdir -p "$T/b/big"
cp "$T/good/"* "$T/b/big/"
cp "$T/in/m_big.837" "$T/b/big/"
if unshare -m true 2>/dev/null &&
   unshare -m sh -c "mount -t tmpfs -o size=640k tmpfs '$T/o' 2>/dev/null && umount '$T/o'"; then
  n=f01
  cp "$T/L0.csv" "$T/f01.csv"
  unshare -m sh -c "mkdir -p '$T/mnt' && mount -t tmpfs -o size=440k tmpfs '$T/mnt' &&
    '$BIN' -o '$T/mnt/out' --state '$T/f01.csv' $RD '$T/b/big' 2>'$T/o/f01.err';
    echo \$? >'$T/o/f01.rc'; cp -a '$T/mnt/out' '$T/o/f01'"
  rc=$(cat "$T/o/f01.rc")
  cp "$T/f01.csv" "$T/o/f01.csv"
  # the first write to find the disk full is m_big.837's output or the
  # report spool's records of its claims (on the same disk): either way
  # that file fails, naming the full disk
  why="cannot write $T/mnt/out/m_big.837: No space left on device"
  msg f01 "cart837: m_big.837: $why" ||
    why="cannot write the report spool: No space left on device"
  [ "$rc" = 4 ] && no_output f01 m_big.837 &&
    msg f01 "cart837: m_big.837: $why" &&
    ok "F01 full tmpfs: exit 4, the file named, no output of it" ||
    { fail "F01 full tmpfs: rc $rc"; sed 's/^/    /' "$T/o/f01.err" | head; }
  io_row f01 m_big.837 "$why" "F01"
  intact f01 same "F01 full tmpfs" m_big
else
  skip "F01 disk full on a tmpfs: this container may not mount (unshare -m / mount -t tmpfs refused)"
fi

# limited BYTES NAME INPUT: cart837 over INPUT with RLIMIT_FSIZE = BYTES
# (SIGXFSZ at its default action, as users have it: cart837 ignores it
# itself, so that a write past the limit fails with EFBIG), a copy of L0 as
# ledger ($T/o/NAME.csv), outputs in $T/o/NAME, exit status in $rc
limited() {
  n=$2
  cp "$T/L0.csv" "$T/o/$n.csv"
  "$PYTHON" -c '
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2)
os.execv(sys.argv[2], sys.argv[2:])' "$1" "$BIN" -o "$T/o/$n" \
    --state "$T/o/$n.csv" $RD "$3" 2>"$T/o/$n.err"
  rc=$?
}

# F02 the same with RLIMIT_FSIZE (EFBIG), which works in any container;
# the limit is per file: m_big.837's output passes it, or the report
# spool (the records report.html and episodes.csv are made of: an entry
# per claim) when its records are the larger; either way the file fails
# with that reason, the spool is cut back to where the file began, the
# others go on
limited 300000 f02 "$T/b/big"
why="cannot write $T/o/$n/m_big.837: File too large"
msg $n "cart837: m_big.837: $why" ||
  why="cannot write the report spool: File too large"
[ $rc -eq 4 ] && no_output $n m_big.837 &&
  msg $n "cart837: m_big.837: $why" &&
  ok "F02 file size limit (EFBIG): exit 4, the file named, no output of it" ||
  { fail "F02 EFBIG: rc $rc"; sed 's/^/    /' "$T/o/$n.err" | head -5; }
io_row $n m_big.837 "$why" "F02"
intact $n same "F02 EFBIG" m_big

# F02b the reports cannot be written (the report spool and report.html
# over RLIMIT_FSIZE while every 837 output fits): each file whose records
# the spool cannot take fails with the reason, the spool is cut back and
# the run goes on; report.html cannot be written: the run ends with it
# (exit 4), no report.html and no temporary file is left, the ledger is
# not written
limited 20000 f02b "$T/good"
why="cannot write the report spool: File too large"
[ $rc -eq 4 ] && msg $n "cart837: a_prof.837: $why" &&
  msg $n "cart837: c_inst.837: $why" &&
  msg $n "cart837: cannot write $T/o/$n/report.html: File too large" &&
  [ ! -e "$T/o/$n/report.html" ] && [ -z "$(find "$T/o/$n" -name '.*tmp-*')" ] &&
  cmp -s "$T/o/$n.csv" "$T/L0.csv" &&
  ok "F02b reports over the file size limit: every failure gives the report's file and reason, exit 4, no report.html, ledger byte-identical" ||
  { fail "F02b reports cannot be written: rc $rc"; sed 's/^/    /' "$T/o/$n.err"; }

if [ -n "$FAULTFS" ]; then
  # F03 fsync of one corrected 837 fails (ENOSPC at write-back)
  # (--sync-each: by default outputs are not fsync'd one by one)
  SYNC_EACH=--sync-each
  faulty_batch f03 "$T/in/m_isa_short.837" FAULTFS_FSYNC="/.m_f03.837.tmp-"
  SYNC_EACH=
  m="cannot write $T/o/$n/m_$n.837: No space left on device"
  [ $rc -eq 4 ] && no_output $n m_$n.837 && msg $n "cart837: m_$n.837: $m" &&
    ok "F03 fsync fails on one output: exit 4, the file named, no output of it" ||
    fail "F03 fsync: rc $rc"
  io_row $n m_$n.837 "$m" "F03"
  intact $n same "F03 fsync fails"

  # F04 fsync of a held file fails: the corrected file of the same input
  # is not published either
  n=f04
  mkdir -p "$T/b/$n"
  cp "$T/good/"* "$T/b/$n/"
  cp "$T/L0.csv" "$T/o/$n.csv"
  faulty FAULTFS_FSYNC="/held/.a_prof.837.tmp-" "$BIN" --sync-each -o "$T/o/$n" \
    --state "$T/o/$n.csv" $RD "$T/b/$n" 2>"$T/o/$n.err"
  rc=$?
  [ $rc -eq 4 ] && no_output $n a_prof.837 &&
    msg $n "cart837: a_prof.837: cannot write $T/o/$n/held/a_prof.837: No space left on device" &&
    cmp -s "$T/base/c_inst.837" "$T/o/$n/c_inst.837" &&
    cmp -s "$T/base/z_basic.837" "$T/o/$n/z_basic.837" &&
    [ -z "$(find "$T/o/$n" -name '.*tmp-*')" ] &&
    ok "F04 fsync fails on a held file: neither output of that input, the others complete" ||
    fail "F04 held fsync: rc $rc"
  io_row $n a_prof.837 "cannot write $T/o/$n/held/a_prof.837: No space left on device" "F04"

  # F05 / F06 the ledger cannot be written (fsync or rename fails): exit
  # 4 naming it, the ledger byte-identical, no temporary file; the run's
  # outputs and reports are complete, and summary.txt ends saying the
  # ledger was not saved
  for how in fsync rename; do
    n=f_led_$how
    mkdir -p "$T/led_$how"
    cp "$T/L0.csv" "$T/led_$how/L.csv"
    if [ $how = fsync ]; then
      faulty FAULTFS_FSYNC="/led_$how/.L.csv.tmp-" "$BIN" -o "$T/o/$n" \
        --state "$T/led_$how/L.csv" $RD "$T/good" 2>"$T/o/$n.err"
    else
      faulty FAULTFS_RENAME="/led_$how/L.csv" "$BIN" -o "$T/o/$n" \
        --state "$T/led_$how/L.csv" $RD "$T/good" 2>"$T/o/$n.err"
    fi
    rc=$?
    case $how in
    fsync) why="No space left on device" ;;
    *) why="Input/output error" ;;
    esac
    [ $rc -eq 4 ] && cmp -s "$T/L0.csv" "$T/led_$how/L.csv" &&
      [ "$(ls -A "$T/led_$how")" = "L.csv
L.csv.lock" ] &&
      msg $n "cart837: cannot write $T/led_$how/L.csv: $why" &&
      cmp -s "$T/base/findings.csv" "$T/o/$n/findings.csv" &&
      cmp -s "$T/base/a_prof.837" "$T/o/$n/a_prof.837" &&
      [ "$(tail -1 "$T/o/$n/summary.txt")" = "ledger: NOT saved: cannot write $T/led_$how/L.csv: $why; the outputs and reports above are in place, the ledger is as it was before this run (run again with the same inputs once the cause is fixed)" ] &&
      [ "$(head -n -2 "$T/o/$n/summary.txt")" = "$(cat "$T/base/summary.txt")" ] &&
      ok "F05/F06 ledger $how fails: exit 4 naming it, ledger byte-identical, no temporary file, summary.txt says the ledger was not saved" ||
      { fail "F05/F06 ledger $how fails: rc $rc"; ls -A "$T/led_$how"; sed 's/^/    /' "$T/o/$n.err" | head -3; }
  done
else
  skip "F03-F06 fsync / rename faults: no C compiler to build tests/faultfs.c"
fi

# F07 the ledger's file system is full
if unshare -m true 2>/dev/null &&
   unshare -m sh -c "mount -t tmpfs -o size=8k tmpfs '$T/o' 2>/dev/null && umount '$T/o'"; then
  n=f07
  mkdir -p "$T/f07"
  # 3 pages: the ledger (1), a pad (2); the new ledger finds no room
  unshare -m sh -c "mkdir -p '$T/mnt7' && mount -t tmpfs -o size=12k tmpfs '$T/mnt7' &&
    cp '$T/L0.csv' '$T/mnt7/L.csv' && head -c 6000 /dev/zero > '$T/mnt7/pad' &&
    cp '$T/mnt7/L.csv' '$T/f07/before.csv' &&
    '$BIN' -q -o '$T/o/f07' --state '$T/mnt7/L.csv' $RD '$T/good' 2>'$T/o/f07.err';
    echo \$? >'$T/o/f07.rc'; cp '$T/mnt7/L.csv' '$T/f07/after.csv'; ls -A '$T/mnt7' > '$T/f07/ls'"
  rc=$(cat "$T/o/f07.rc")
  [ "$rc" = 4 ] && cmp -s "$T/f07/before.csv" "$T/f07/after.csv" &&
    [ "$(cat "$T/f07/ls")" = "L.csv
L.csv.lock
pad" ] &&
    grep -q "^cart837: cannot write ledger $T/mnt7/L.csv: No space left on device\$" "$T/o/f07.err" &&
    ok "F07 ledger on a full file system: exit 4 naming it, ledger byte-identical, no temporary file" ||
    { fail "F07 ledger on a full fs: rc $rc"; cat "$T/f07/ls" "$T/o/f07.err" | sed 's/^/    /' | head; }
else
  skip "F07 ledger on a full tmpfs: this container may not mount"
fi

# F08 stdout is /dev/full in filter mode
n=f08
cp "$T/L0.csv" "$T/o/$n.csv"
run_bin -o "$T/o/$n" --state "$T/o/$n.csv" $RD - <"$T/good/a_prof.837" \
  >/dev/full 2>"$T/o/$n.err"
rc=$?
[ $rc -eq 4 ] && msg $n "cart837: stdin.837: cannot write standard output: No space left on device" &&
  [ -z "$(ls -A "$T/o/$n/held" 2>/dev/null)" ] && cmp -s "$T/o/$n.csv" "$T/L0.csv" &&
  [ -z "$(find "$T/o/$n" -name '.*tmp-*')" ] &&
  ok "F08 standard output full (/dev/full): exit 4, no held file, ledger byte-identical" ||
  fail "F08 /dev/full: rc $rc"
io_row $n stdin.837 "cannot write standard output: No space left on device" "F08"

# F09 the reader of standard output goes away (SIGPIPE)
n=f09
cp "$T/L0.csv" "$T/o/$n.csv"
{ run_bin -o "$T/o/$n" --state "$T/o/$n.csv" $RD - <"$T/in/m_big.837" \
    2>"$T/o/$n.err"; echo $? >"$T/o/$n.rc"; } | head -c 100 >/dev/null
rc=$(cat "$T/o/$n.rc")
[ "$rc" = 4 ] && msg $n "cart837: stdin.837: cannot write standard output: Broken pipe" &&
  [ -z "$(find "$T/o/$n" -name '.*tmp-*')" ] && [ -s "$T/o/$n/summary.txt" ] &&
  cmp -s "$T/o/$n.csv" "$T/L0.csv" &&
  ok "F09 standard output closed early: exit 4 (not killed by SIGPIPE), no temporary file, ledger byte-identical" ||
  { fail "F09 closed pipe: rc $rc"; find "$T/o/$n" | sed 's/^/    /'; }

# F10 the output directory cannot be made: its parent is a regular file
n=f10
: >"$T/o/afile"
cp "$T/L0.csv" "$T/o/$n.csv"
run_bin -o "$T/o/afile/out" --state "$T/o/$n.csv" $RD "$T/good" 2>"$T/o/$n.err"
rc=$?
[ $rc -eq 4 ] && msg $n "cart837: cannot create directory $T/o/afile/out: Not a directory" &&
  cmp -s "$T/o/$n.csv" "$T/L0.csv" && [ ! -s "$T/o/afile" ] &&
  ok "F10 output directory under a regular file: exit 4, message, ledger byte-identical" ||
  fail "F10 parent is a file: rc $rc"

# F11 the output directory is on a read-only mount
if unshare -m true 2>/dev/null; then
  n=f11
  mkdir -p "$T/o/$n"
  cp "$T/L0.csv" "$T/o/$n.csv"
  unshare -m sh -c "mount --bind '$T/o/$n' '$T/o/$n' 2>/dev/null &&
    mount -o remount,bind,ro '$T/o/$n' 2>/dev/null || exit 99
    '$BIN' -o '$T/o/$n' --state '$T/o/$n.csv' $RD '$T/good' 2>'$T/o/$n.err'"
  rc=$?
  if [ $rc -eq 99 ]; then
    skip "F11 read-only output directory: bind mount refused"
  else
    [ $rc -eq 4 ] && grep -q "^cart837: cannot create $T/o/$n/\.findings\.csv\.tmp-[A-Za-z0-9]*: Read-only file system\$" "$T/o/$n.err" &&
      [ -z "$(ls -A "$T/o/$n")" ] && cmp -s "$T/o/$n.csv" "$T/L0.csv" &&
      ok "F11 read-only output directory: exit 4, message, nothing written, ledger byte-identical" ||
      { fail "F11 read-only: rc $rc"; cat "$T/o/$n.err"; }
  fi
else
  skip "F11 read-only output directory: this container may not mount"
fi

# F12 run as nobody on an output directory nobody may not write
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$BIN" 2>/dev/null; then
  n=f12
  mkdir -p "$T/o/$n" "$T/o/led12"
  chmod 555 "$T/o/$n"
  chmod 777 "$T/o/led12"
  chmod -R a+rX "$T/good" "$T/o"
  cp "$T/L0.csv" "$T/o/led12/L.csv"
  chmod 666 "$T/o/led12/L.csv"
  setpriv --reuid=nobody --regid=nogroup --clear-groups "$BIN" -o "$T/o/$n" \
    --state "$T/o/led12/L.csv" $RD "$T/good" 2>"$T/o/$n.err"
  rc=$?
  [ $rc -eq 4 ] && grep -q "^cart837: cannot create $T/o/$n/\.findings\.csv\.tmp-[A-Za-z0-9]*: Permission denied\$" "$T/o/$n.err" &&
    [ -z "$(ls -A "$T/o/$n")" ] && cmp -s "$T/o/led12/L.csv" "$T/L0.csv" &&
    ok "F12 as nobody, output directory not writable: exit 4, message, nothing written, ledger byte-identical" ||
    { fail "F12 nobody: rc $rc"; cat "$T/o/$n.err"; }
  chmod 755 "$T/o/$n"
else
  skip "F12 output directory not writable as nobody: not root, no setpriv, or nobody cannot run $BIN"
fi

# F13 OUT/held is a regular file: the inputs with held claims fail (exit
# 4, named), the others come out complete
n=f13
mkdir -p "$T/o/$n"
: >"$T/o/$n/held"
cp "$T/L0.csv" "$T/o/$n.csv"
run_bin -o "$T/o/$n" --state "$T/o/$n.csv" $RD "$T/good" 2>"$T/o/$n.err"
rc=$?
[ $rc -eq 4 ] && [ ! -e "$T/o/$n/a_prof.837" ] && [ ! -e "$T/o/$n/c_inst.837" ] &&
  cmp -s "$T/base/z_basic.837" "$T/o/$n/z_basic.837" &&
  grep -qxF "cart837: a_prof.837: cannot create directory $T/o/$n/held: Not a directory" "$T/o/$n.err" &&
  [ "$(grep -c '"EIO: cannot create ' "$T/o/$n/findings.csv")" -eq 2 ] &&
  [ -z "$(find "$T/o/$n" -name '.*tmp-*')" ] &&
  ok "F13 OUT/held is a file: inputs with held claims fail by name (exit 4), the other complete" ||
  { fail "F13 held/ a file: rc $rc"; sed 's/^/    /' "$T/o/$n.err"; }

if [ -n "$FAULTFS" ]; then
  # F14 a file the directory walk listed is removed before it is read:
  # skipped with its reason (exit 5); F15 removed between the check of
  # its content and its reading: failed by name (exit 4), one row.  A
  # plain or gzip file is read through the descriptor the check opened
  # (F15b, F15c): only a gzip file whose first member is shorter than
  # the check's first bytes (256; its second read starts the inflate
  # worker, and the input cannot go back) is opened a second time, so
  # F15 removes such a one: two members, the first of 100 bytes
  { head -c 100 "$T/in/m_isa_short.837" | gzip -c &&
    tail -c +101 "$T/in/m_isa_short.837" | gzip -c; } \
    >"$T/in/m_isa_short.837.gz"
  gzip -c "$T/in/m_isa_short.837" >"$T/in/m_isa_short_one.837.gz"
  for how in listed checked; do
    n=f_gone_$how
    trig=a_prof.837
    src=$T/in/m_isa_short.837
    [ $how = listed ] || { trig=m_$n.837; src=$src.gz; }
    faulty_batch $n "$src" \
      FAULTFS_UNLINK="$trig:1:$T/b/$n/m_$n.837"
    if [ $how = listed ]; then
      [ $rc -eq 5 ] && grep -qxF "  skipped: cannot stat: No such file or directory" "$T/o/$n/summary.txt" &&
        grep -qxF "cart837: skipped m_$n.837: cannot stat: No such file or directory" "$T/o/$n.err" &&
        [ -z "$(rows "$T/o/$n" "m_$n.837")" ] &&
        ok "F14 file removed after the walk listed it: skipped with its reason, exit 5" ||
        fail "F14 removed after listing: rc $rc"
    else
      m="cannot open $T/b/$n/m_$n.837: No such file or directory"
      [ $rc -eq 4 ] && msg $n "cart837: m_$n.837: $m" && no_output $n "m_$n.837" &&
        ok "F15 file removed between check and read: exit 4, named, no output" ||
        fail "F15 removed before read: rc $rc"
      check_eq "F15 file removed between check and read: its one row" \
        "||ENVELOPE_INVALID|flagged|EIO: $m|0|0" "$(rows "$T/o/$n" "m_$n.837")"
    fi
    intact $n same "F14/F15 file removed ($how)"
  done
  # removed_after_open N SRC LABEL WHAT: SRC copied as m_N.837 is removed
  # right after the walk opened it to check its content, and run beside
  # N_in_place (the same, left in place): the run reads the open file, so
  # it comes out as it would have -- the same exit, rows and output
  # content (decompressed: an unchanged gzip output removed cannot go out
  # as the input's own compressed bytes, which are copied by name,
  # sink_pass.c, so it is compressed anew)
  removed_after_open() {
    faulty_batch "$1" "$2" FAULTFS_UNLINK="m_$1.837:1:$T/b/$1/m_$1.837"
    _rc_gone=$rc
    faulty_batch "${1}r" "$2" \
      FAULTFS_UNLINK="no-such-file:1:$T/b/${1}r/m_${1}r.837"
    gzip -dcf "$T/o/$1/m_$1.837" >"$T/o/$1.out" 2>/dev/null
    gzip -dcf "$T/o/${1}r/m_${1}r.837" >"$T/o/${1}r.out" 2>/dev/null
    [ ! -e "$T/b/$1/m_$1.837" ] && [ "$_rc_gone" = "$rc" ] &&
      [ -s "$T/o/$1.out" ] && cmp -s "$T/o/${1}r.out" "$T/o/$1.out" &&
      [ "$(rows "$T/o/$1" "m_$1.837" | cut -d'|' -f2-)" = \
        "$(rows "$T/o/${1}r" "m_${1}r.837" | cut -d'|' -f2-)" ] &&
      ok "$3 $4 file removed after the walk opened it: read through that descriptor, as if left in place (exit $rc)" ||
      fail "$3 $4 removed after the walk's open: rc $_rc_gone (in place: $rc)"
  }
  # F15b a plain file; F15c a gzip file of one member: the check's bytes
  # came from its first read, so the run reads it from that descriptor too
  removed_after_open f15b "$T/in/m_isa_short.837" F15b plain
  removed_after_open f15c "$T/in/m_isa_short_one.837.gz" F15c gzip

  # F16 a file that must be held whole is removed while it is read: it
  # cannot be copied to held/ any more: exit 4, named, nothing of it
  faulty_batch f16 "$T/in/m_after_iea_text.837" \
    FAULTFS_UNLINK="m_f16.837:1:$T/b/f16/m_f16.837"
  m="cannot open $T/b/$n/m_$n.837: No such file or directory"
  [ $rc -eq 4 ] && msg $n "cart837: m_$n.837: $m" && no_output $n "m_$n.837" &&
    ok "F16 file to hold whole removed while read: exit 4, named, nothing of it" ||
    { fail "F16 removed while read: rc $rc"; sed 's/^/    /' "$T/o/$n.err"; }
  check_eq "F16 file to hold whole removed while read: the parse error and why it is not held" \
    "||ENVELOPE_INVALID|flagged|ENOISA: expected an ISA segment after the IEA, found 'THIS IS NOT '|$((BASE_SEGS + 1))|$BASE_LEN
||ENVELOPE_INVALID|flagged|EIO: $m|0|0" "$(rows "$T/o/$n" "m_$n.837")"
  sed -n "/^file: m_$n.837\$/,/^\$/p" "$T/o/$n/summary.txt" | grep -qxF "  claims in = corrected + held: 0 = 0 + 0" &&
    ok "F16 file to hold whole removed while read: summary counts no claim as held" ||
    fail "F16 summary: $(sed -n "/^file: m_$n.837\$/,/^\$/p" "$T/o/$n/summary.txt" | tr '\n' ' ')"
  intact $n same "F16 file removed while read"

  # F17 a file cut short while it is read (after the first chunk read
  # from open #1, the walk's look at its content, which the run goes on
  # reading): at the
  # end of its first interchange (the rest would parse: its claims would
  # silently go missing), and inside a segment
  for cut in "$BIG_FIRST" 300000; do
    faulty_batch f17_$cut "$T/in/m_big.837" \
      FAULTFS_TRUNCATE="m_f17_$cut.837:1:$cut"
    m="$T/b/$n/m_$n.837: the file shrank while it was being read ($BIG_LEN bytes when opened, end of file after $cut): truncated or rewritten (byte $cut)"
    [ $rc -eq 4 ] && msg $n "cart837: m_$n.837: $m" && no_output $n "m_$n.837" &&
      ok "F17 file cut to $cut bytes while read: exit 4, named, no output" ||
      { fail "F17 cut to $cut while read: rc $rc"; sed 's/^/    /' "$T/o/$n.err" | head -3; }
    check_eq "F17 file cut to $cut bytes while read: its one row" \
      "||ENVELOPE_INVALID|flagged|EIO: $m|0|$cut" "$(rows "$T/o/$n" "m_$n.837")"
    intact $n same "F17 file cut to $cut bytes while read"
  done
else
  skip "F14-F17 input removed or cut short mid-run: no C compiler to build tests/faultfs.c"
fi

# F18 a FIFO whose writer dies: before the first claim is complete
# (nothing forwarded, the ledger byte-identical) and after two claims
# (those go out; the rest is kept as it came): output + rest = what the
# writer wrote, exit 3
if mkfifo "$T/fifo" 2>/dev/null; then
  for cut in "$O_sv1_h0" "$O_trunc_in_claim"; do
    n=f18_$cut
    head -c "$cut" "$T/in/m_base.837" >"$T/$n.sent"
    cp "$T/L0.csv" "$T/o/$n.csv"
    "$PYTHON" -c '
import os, signal, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
os.write(fd, open(sys.argv[2], "rb").read())
os.kill(os.getpid(), signal.SIGKILL)' "$T/fifo" "$T/$n.sent" &
    w=$!
    run_bin -o "$T/o/$n" --state "$T/o/$n.csv" $RD "$T/fifo" 2>"$T/o/$n.err"
    rc=$?
    # (a run that never opened the FIFO leaves the writer waiting in open)
    kill $w 2>/dev/null
    wait $w
    cat "$T/o/$n/fifo" "$T/o/$n/held/fifo.unparsed" 2>/dev/null | cmp -s - "$T/$n.sent" &&
      [ $rc -eq 3 ] && grep -q "^cart837: fifo: byte [0-9]*, segment [0-9]*: input ends inside transaction set ST02=0001 after [0-9]* complete claim(s)\( and inside the next one\)\{0,1\}, with no SE: the file is truncated; the unparsed rest of the input ([0-9]* bytes) is kept as it came in held/fifo.unparsed\$" "$T/o/$n.err" &&
      [ -z "$(find "$T/o/$n" -name '.*tmp-*')" ] &&
      ok "F18 FIFO writer killed after $cut bytes: exit 3, output + OUT/held/fifo.unparsed = what it wrote" ||
      { fail "F18 FIFO writer killed after $cut bytes: rc $rc"; sed 's/^/    /' "$T/o/$n.err"; }
    nout=$(grep -c 'CLM\*' "$T/o/$n/fifo")
    if [ "$cut" = "$O_sv1_h0" ]; then
      [ "$nout" -eq 0 ] && cmp -s "$T/o/$n.csv" "$T/L0.csv" &&
        ok "F18 writer killed inside the first claim: nothing forwarded, ledger byte-identical" ||
        fail "F18 inside the first claim: $nout claims out, ledger changed"
    else
      grep -v '^"SUBMITTER|00000090' "$T/o/$n.csv" | cmp -s - "$T/L0.csv" &&
        [ "$nout" -eq 1 ] &&
        [ "$(grep -c '^"SUBMITTER|000000901#[0-9a-f]\{16\}|1|0001","H0"' "$T/o/$n.csv")" -eq 1 ] &&
        ok "F18 writer killed in the second claim: the first forwarded and in the ledger, nothing else" ||
        fail "F18 in the second claim: $nout claims out"
    fi
  done
else
  skip "F18 FIFO: mkfifo failed"
fi

e2e_done
