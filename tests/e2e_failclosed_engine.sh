#!/bin/sh
# e2e_failclosed_engine.sh -- the engine's fail-closed rules through the
# CLI, over two or more runs on one ledger (issue 11, items 3, 4, 5, 16)
#
# - A new interchange that reuses an ISA13 (a submitter that resets its
#   control numbers every night, even reusing a CLM01) is judged against
#   the ledger: a duplicate day of 38225 across two nights is held.
# - The same interchange read again on a later night (a resend) is
#   reported once, INTERCHANGE_REPEATED, naming the earlier run and its
#   date; a warning: exit 0 by default, 1 with --fail-on warning.  The
#   ledger does not change.
# - A ledger written before sources carried the ISA's hash still loads,
#   and a re-run over it does not take its own lines for duplicates.
# - Dates: a backwards RD8 range is its first day; a tracked line without
#   a date holds its claim (SERVICE_DATE_MISSING, with the claim and the
#   line); a range past its code's last valid date is split per code per
#   day (0537T then 38225), never forwarded with the deleted code.
# - A split that would take an 837P claim past 50 service lines is
#   flagged, not made.
# Every check compares exact findings rows (parsed with Python's csv,
# tests/csv_rows.py) and exit statuses; the corrected outputs are read
# back by the independent checker tests/x12check.py (both through one
# tests/pyserve.py).
. tests/lib_e2e.sh
py_start

# rows FINDINGS.CSV [COND]...: file, claim_id, line, code, date_from,
# date_to, units, edit, severity, action, detail -- one row per line,
# '|' apart
rows() { py csv_rows --rows 11 "$@"; }

# mk FILE ISA09 ISA10 ISA13 CLM01 MEMBER LINE... ; LINE = CODE/DATE/UNITS
# with DATE CCYYMMDD (D8), FROM-TO (RD8) or empty (no DTP*472).  One
# 837P claim of billing NPI 1234567893, no claim-level date.
mk() {
  _f=$1 _d=$2 _t=$3 _ctl=$4 _cid=$5 _mem=$6
  shift 6
  _body=$(
    printf 'ST*837*0001*005010X222A1~\n'
    printf 'BHT*0019*00*B%s*20%s*%s*CH~\n' "$_ctl" "$_d" "$_t"
    printf 'NM1*41*2*FAILCLOSED SUBMITTER*****46*FC0001~\n'
    printf 'NM1*40*2*RECEIVER CH*****46*RCV01~\n'
    printf 'HL*1**20*1~\n'
    printf 'NM1*85*2*FAILCLOSED ONCOLOGY*****XX*1234567893~\n'
    printf 'HL*2*1*22*0~\n'
    printf 'SBR*P*18*GRP1******CI~\n'
    printf 'NM1*IL*1*DOE*%s****MI*%s~\n' "$_mem" "$_mem"
    printf 'NM1*PR*2*TEST PLAN*****PI*TP01~\n'
    printf 'CLM*%s*%s***11:B:1*Y*A*Y*Y~\n' "$_cid" "$(($# * 1000))"
    printf 'HI*ABK:C8330~\n'
    _n=0
    for _l in "$@"; do
      _n=$((_n + 1))
      _code=${_l%%/*}
      _rest=${_l#*/}
      _date=${_rest%%/*}
      printf 'LX*%d~\n' "$_n"
      printf 'SV1*HC:%s*1000*UN*%s***1~\n' "$_code" "${_rest#*/}"
      case $_date in
      "") ;;
      *-*) printf 'DTP*472*RD8*%s~\n' "$_date" ;;
      *) printf 'DTP*472*D8*%s~\n' "$_date" ;;
      esac
    done
  )
  {
    printf 'ISA*00*          *00*          *ZZ*FAILCLOSED     *ZZ*RECEIVER       *%s*%s*^*00501*%s*0*T*:~\n' "$_d" "$_t" "$_ctl"
    printf 'GS*HC*FAILCLOSED*RECEIVER*20%s*%s*1*X*005010X222A1~\n' "$_d" "$_t"
    printf '%s\n' "$_body"
    printf 'SE*%d*0001~\n' $(($(printf '%s\n' "$_body" | wc -l) + 1))
    printf 'GE*1*1~\n'
    printf 'IEA*1*%s~\n' "$_ctl"
  } >"$_f"
}

# run OUT LEDGER RUN_DATE INPUT... ; sets rc
run() {
  _o=$1 _l=$2 _rd=$3
  shift 3
  run_bin -q --no-progress -o "$_o" --state "$_l" --run-date "$_rd" \
    "$@" 2>"$_o.err"
  rc=$?
}

# norun LEDGER: its rows without the run_date column (which a run
# stamps on every line it reads, again or not)
norun() { py csv_rows --without 13 "$1"; }

# xcheck FILE: the independent checker reads FILE back as valid X12
xcheck() {
  if py x12check "$1" >"$T/x12.out"; then ok "$2"; else
    fail "$2"
    sed 's/^/  /' "$T/x12.out" | head -5
  fi
}

L="$T/ledger.csv"
mkdir -p "$T/n1" "$T/n2" "$T/n2b"

echo "== 3. a reused ISA13 is a new interchange: the ledger counts"
# night 1: a collection on 2025-03-01 in interchange 000000001
mk "$T/n1/a.837" 250301 2300 000000001 N1 M1 38225/20250301/1
run "$T/o1" "$L" 2025-03-02 "$T/n1"
check_eq "night 1: exit 0" 0 "$rc"
check_eq "night 1: no finding" "" "$(rows "$T/o1/findings.csv")"
# night 2: the submitter reset its control numbers; a new claim bills the
# same collection again
mk "$T/n2/a.837" 250302 2300 000000001 N2 M1 38225/20250301/1
cp "$L" "$T/ledger1.csv"
run "$T/o2" "$L" 2025-03-03 "$T/n2"
check_eq "night 2: exit 1 (an error finding)" 1 "$rc"
check_eq "night 2: the duplicate day across nights is held" \
  "a.837|N2|1|38225|2025-03-01|2025-03-01|1|DUPLICATE_DAY|error|held|38225 on 2025-03-01: 1 on this line plus 1 already billed that day for the same patient and provider (0 on this claim, 1 on earlier claims, first N1) exceed the cap of 1 per day" \
  "$(rows "$T/o2/findings.csv")"
if cmp -s "$T/n2/a.837" "$T/o2/held/a.837"; then
  ok "night 2: the claim is held as it came"
else fail "night 2: held output"; fi
# the same, reusing the CLM01 as well
mk "$T/n2b/a.837" 250302 2301 000000001 N1 M1 38225/20250301/1
cp "$T/ledger1.csv" "$T/ledger2b.csv"
run "$T/o2b" "$T/ledger2b.csv" 2025-03-03 "$T/n2b"
check_eq "night 2, the same CLM01 too: exit 1" 1 "$rc"
check_eq "night 2, the same CLM01 too: held as a duplicate" \
  "a.837|N1|1|38225|2025-03-01|2025-03-01|1|DUPLICATE_DAY|error|held|38225 on 2025-03-01: 1 on this line plus 1 already billed that day for the same patient and provider (0 on this claim, 1 on earlier claims, first N1) exceed the cap of 1 per day" \
  "$(rows "$T/o2b/findings.csv")"

echo "== 4. the same interchange read again is reported, once"
cp "$L" "$T/ledger2.csv"
run "$T/o3" "$L" 2025-03-04 "$T/n1"
check_eq "resend: exit 0 (a warning; --fail-on error)" 0 "$rc"
check_eq "resend: one INTERCHANGE_REPEATED naming run 1 and its date" \
  "a.837|N1||||||INTERCHANGE_REPEATED|warning|flagged|interchange 000000001 of sender FAILCLOSED was read before, by run 1 on 2025-03-02, with the same ISA segment (sender, date, time, control number): a resend or a re-run; its claims go out again" \
  "$(rows "$T/o3/findings.csv")"
if cmp -s "$T/n1/a.837" "$T/o3/a.837"; then
  ok "resend: its claim goes out again, unchanged"
else fail "resend: corrected output differs from the input"; fi
check_eq "resend: the same ledger rows and runs (only the line's run_date is the resend's)" \
  "$(norun "$T/ledger2.csv")" "$(norun "$L")"
cp "$T/ledger2.csv" "$T/ledger3.csv"
run_bin -q --no-progress -o "$T/o3w" --state "$T/ledger3.csv" \
  --run-date 2025-03-04 --fail-on warning "$T/n1" 2>/dev/null
check_eq "resend: exit 1 with --fail-on warning" 1 "$?"
run_bin -q --no-progress -o "$T/o3n" --state "$T/ledger3.csv" \
  --run-date 2025-03-04 --fail-on never "$T/n1" 2>/dev/null
check_eq "resend: exit 0 with --fail-on never" 0 "$?"
# the second night's file was another interchange under the same ISA13:
# reported as a duplicate above, not as a resend
check_eq "reused ISA13: no INTERCHANGE_REPEATED on night 2" 0 \
  "$(grep -c INTERCHANGE_REPEATED "$T/o2/findings.csv")"

echo "== 3. a ledger from before the ISA hash still loads"
# night 1's ledger as an earlier version wrote it: no "#hash" in sources
sed 's/#[0-9a-f]\{16\}|/|/' "$T/ledger1.csv" >"$T/old.csv"
check_eq "old ledger: sources without the hash" \
  '"FAILCLOSED|000000001|","","","","","","","","0","","","0","","2025-03-02","1"' \
  "$(sed -n 2p "$T/old.csv")"
run "$T/o4" "$T/old.csv" 2025-03-05 "$T/n1"
check_eq "old ledger, night 1 again: exit 0" 0 "$rc"
check_eq "old ledger, night 1 again: its own line is no duplicate" "" \
  "$(rows "$T/o4/findings.csv")"
check_eq "old ledger, night 1 again: the line rewritten with the hash, run 1 kept" \
  "$(norun "$T/ledger1.csv" | grep '|N1|')" "$(norun "$T/old.csv" | grep '|N1|')"

echo "== 5. dates"
mkdir -p "$T/d"
# a backwards range is its first day: line 2 duplicates it
mk "$T/d/rev.837" 250310 1200 000000011 R1 M5 38225/20250305-20250301/1 \
  38225/20250305/1
# no date at all (an invalid DTP*472 and no claim date)
mk "$T/d/undated.837" 250310 1200 000000012 U1 M6 38225/20250230/1
mk "$T/d/nodtp.837" 250310 1200 000000013 U2 M7 38225//1
# 0537T over 2024-12-30 .. 2025-01-02, 4 units: split per day and code
mk "$T/d/cross.837" 250310 1200 000000014 X1 M8 0537T/20241230-20250102/4
run_bin -q --no-progress -o "$T/od" --run-date 2025-03-10 "$T/d" \
  2>/dev/null
check_eq "dates: exit 1 (error findings)" 1 "$?"
got=$(rows "$T/od/findings.csv" edit!=ENVELOPE_INVALID)
check_eq "dates: exact findings" \
  "cross.837|X1|1|0537T|2024-12-30|2025-01-02|4|RANGE_SPANS_DAYS|warning|fixed|0537T is billed per day but one line covers 2024-12-30 to 2025-01-02 (4 days) with 4 units (fixed: split into 4 lines of 1 unit, one per date)
cross.837|X1|1|0537T|2024-12-30|2025-01-02|4|CODE_DELETED|error|fixed|0537T is billed for 2024-12-30 to 2025-01-02, past 2024-12-31, its last valid date of service, and 38225 replaces it from 2025-01-01 (fixed: the lines of the split dated 2025-01-01 on carry 38225)
nodtp.837|U2|1|38225|||1|SERVICE_DATE_MISSING|error|held|38225 has no date of service: it has no DTP*472, and the claim has no DTP*472 or DTP*434 date to fall back on; the date-based edits cannot judge it
rev.837|R1|2|38225|2025-03-05|2025-03-05|1|DUPLICATE_DAY|error|fixed|38225 on 2025-03-05: 1 on this line plus 1 on earlier lines of this claim for the same patient and provider exceed the cap of 1 per day (fixed: line removed)
undated.837|U1|1|38225|||1|SERVICE_DATE_MISSING|error|held|38225 has no date of service: its DTP*472 is not a valid date, and the claim has no DTP*472 or DTP*434 date to fall back on; the date-based edits cannot judge it" \
  "$got"
got=$(py csv_rows --field file,detail "$T/od/findings.csv" edit=ENVELOPE_INVALID)
check_eq "dates: the backwards range and the bad date are reported" \
  "rev.837|DATE_INVALID: claim R1 line 1: DTP*472 range '20250305-20250301' ends before it starts; read as its first day
undated.837|DATE_INVALID: claim U1 line 1: DTP*472 date '20250230' is not a valid D8 or RD8 date" \
  "$got"
check_eq "dates: the split goes out as 0537T, 0537T, 38225, 38225, one per day" \
  "SV1*HC:0537T*250*UN*1***1~ DTP*472*D8*20241230~ SV1*HC:0537T*250*UN*1***1~ DTP*472*D8*20241231~ SV1*HC:38225*250*UN*1***1~ DTP*472*D8*20250101~ SV1*HC:38225*250*UN*1***1~ DTP*472*D8*20250102~ " \
  "$(grep -E '^(SV1|DTP\*472)' "$T/od/cross.837" | tr '\n' ' ')"
xcheck "$T/od/cross.837" "dates: the split output is valid X12"
for f in undated nodtp; do
  if cmp -s "$T/d/$f.837" "$T/od/held/$f.837"; then
    ok "dates: $f.837 held as it came"
  else fail "dates: $f.837 not held"; fi
done

echo "== 16. a split stays within loop 2400's 50 lines on 837P"
mkdir -p "$T/lp"
set --
i=1
while [ $i -le 46 ]; do
  set -- "$@" "38225/$(date -u -d "2025-01-01 +$((i - 1)) days" +%Y%m%d)/1"
  i=$((i + 1))
done
mk "$T/lp/big.837" 250310 1200 000000021 LP1 M9 "$@" 0537T/20230301-20230305/5
run_bin -q --no-progress -o "$T/olp" --run-date 2025-03-10 "$T/lp" \
  2>/dev/null
check_eq "loop limit: exit 0 (a warning)" 0 "$?"
check_eq "loop limit: the range is flagged, not split" \
  "big.837|LP1|47|0537T|2023-03-01|2023-03-05|5|RANGE_SPANS_DAYS|warning|flagged|0537T is billed per day but one line covers 2023-03-01 to 2023-03-05 (5 days); split per day, the claim would have 51 service lines, more than the 50 loop 2400 allows on an 837P claim, so it is not split" \
  "$(rows "$T/olp/findings.csv")"
if cmp -s "$T/lp/big.837" "$T/olp/big.837"; then
  ok "loop limit: the claim goes out as it came"
else fail "loop limit: the claim was rewritten"; fi

e2e_done
