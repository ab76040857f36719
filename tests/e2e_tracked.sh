#!/bin/sh
# e2e_tracked.sh -- one definition of a tracked line, through the CLI
#
# A tiny 837I with one line, SV2*874*HC:99213 (a cell-therapy revenue
# code written without its leading zero, on a procedure code that is not
# in the table).  The engine judges it (REVENUE_CODE_MISMATCH: a warning
# since issue 12, as 087X is cell and gene therapy), so lines.csv must
# list it: both ask c837_codetable_tracks.  The same file
# with revenue 875 (not a cell-therapy code) is neither judged nor
# listed.
#
# Run from the repo root: BIN=/abs/path/to/cart837 sh tests/e2e_tracked.sh
. tests/lib_e2e.sh

# inst REV: the 837I with revenue code REV on its one line
inst() {
  cat <<EOF
ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250820*2300*^*00501*000000001*0*T*:~
GS*HC*SENDER*RECEIVER*20250820*2300*1*X*005010X223A2~
ST*837*0001*005010X223A2~
BHT*0019*00*B1*20250820*2300*CH~
NM1*41*2*BILLER*****46*S1~
NM1*40*2*PAYER*****46*R1~
HL*1**20*1~
NM1*85*2*HOSPITAL*****XX*1549302689~
HL*2*1*22*0~
SBR*P*18*G1******MA~
NM1*IL*1*DOE*JANE****MI*M1~
NM1*PR*2*PAYER*****PI*P1~
CLM*T874*3000***13:A:1**A*Y*Y~
DTP*434*RD8*20250304-20250304~
CL1*3*1*01~
HI*ABK:C8330~
LX*1~
SV2*$1*HC:99213*3000*UN*1~
DTP*472*D8*20250304~
SE*18*0001~
GE*1*1~
IEA*1*000000001~
EOF
}

inst 874 >"$T/t.837"
run_bin -q --no-progress -o "$T/o" --run-date 2026-01-01 "$T/t.837"
rc=$?
[ $rc -eq 0 ] && ok "874: exit 0 (a warning)" || fail "874: exit $rc"
want='"t.837","T874","1","99213","2025-03-04","2025-03-04","1","M1","1549302689","837I","131","874","","3000","","","REVENUE_CODE_MISMATCH","passed","000000001","1","0001","18","504"'
got=$(tail -n +2 "$T/o/lines.csv" | tr -d '\r')
[ "$got" = "$want" ] && ok "874: lines.csv lists the line the engine judged" ||
  { fail "874: lines.csv rows:"; echo "  got:  $got"; echo "  want: $want"; }
want='"t.837","T874","1","99213","2025-03-04","2025-03-04","1","REVENUE_CODE_MISMATCH","warning","flagged","revenue code 0874 (cell and gene therapy) carries 99213, which is not a CAR-T step code nor a code of another cell or gene therapy","199","M50","","","M1","1549302689","837I","131","000000001","1","0001","18","504","1","3000","3000","medicare_a","passed"'
got=$(tail -n +2 "$T/o/findings.csv" | tr -d '\r')
[ "$got" = "$want" ] && ok "874: findings.csv" ||
  { fail "874: findings.csv rows:"; echo "  got:  $got"; echo "  want: $want"; }
cmp -s "$T/t.837" "$T/o/t.837" && [ ! -e "$T/o/held" ] &&
  ok "874: the claim goes out as it came" || fail "874: corrected output"

inst 875 >"$T/t.837"
run_bin -q --no-progress -o "$T/p" --run-date 2026-01-01 "$T/t.837"
rc=$?
[ $rc -eq 0 ] && ok "875: exit 0" || fail "875: exit $rc"
[ "$(wc -l <"$T/p/lines.csv")" -eq 1 ] && [ "$(wc -l <"$T/p/findings.csv")" -eq 1 ] &&
  ok "875: not tracked: no lines.csv row, no finding" ||
  { fail "875: rows:"; cat "$T/p/lines.csv" "$T/p/findings.csv"; }

e2e_done
