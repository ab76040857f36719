#!/bin/sh
# e2e_codes.sh -- `cart837 codes` and `--codes FILE` through the CLI.
#
# The built-in table prints back byte-identical to specs/codes.csv; one
# code's row prints as "field: value" lines; an unknown code and a
# malformed table file fail with exit 3 and a message naming the CSV line
# and column; a table file given to a run changes its findings (a payer's
# own per-day cap); a code of a family added after watch (TCR-T) is
# tracked, remembered and read back from the ledger.  The reference lists
# (--list, --list-file), an import (--import drg018) and the payer and
# provider files of a run (--payers, --providers) work through the CLI,
# and the admissions PAYMENT_WINDOW needs survive the ledger.
. tests/lib_e2e.sh

run_bin codes >"$T/codes.csv"
[ $? -eq 0 ] && cmp -s "$T/codes.csv" specs/codes.csv &&
  ok "codes prints specs/codes.csv byte for byte" || fail "codes output"

run_bin codes 0540T >"$T/one" 2>&1
rc=$?
cat >"$T/want" <<'X'
code: 0540T
family: step
step: 4 (administer)
X
head -3 "$T/one" | cmp -s - "$T/want" && [ $rc -eq 0 ] &&
  grep -q '^valid_to: 2024-12-31$' "$T/one" &&
  grep -q '^crosswalk: 38228 ' "$T/one" && grep -q '^revenue_codes: 0874$' "$T/one" &&
  ok "codes 0540T" || { fail "codes 0540T (rc $rc):"; cat "$T/one"; }

run_bin codes 99999 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 3 ] && grep -q '99999 is not in the code table' "$T/err" &&
  ok "unknown code: exit 3" || fail "unknown code: exit $rc"

printf 'code,cap_per_day\n38228,x\n' >"$T/bad.csv"
run_bin codes --codes "$T/bad.csv" >"$T/out" 2>"$T/err"
rc=$?
grep -q "bad.csv:2:2: cap_per_day: expected a positive number" "$T/err" &&
  [ $rc -eq 3 ] && ok "malformed table: line and column, exit 3" ||
  { fail "malformed table (rc $rc)"; cat "$T/err"; }
run_bin -o "$T/run-bad" --codes "$T/bad.csv" samples/cart_inst.837 2>"$T/err"
rc=$?
[ $rc -eq 3 ] && [ ! -e "$T/run-bad/findings.csv" ] &&
  ok "run with a malformed table: exit 3, nothing written" ||
  fail "run with malformed table: exit $rc"

# a payer allows 3 units of 38228 a day: UNITS-OVER-F (3 units) passes
printf 'code,cap_per_day\n38228,3\n' >"$T/mue.csv"
run_bin codes --codes "$T/mue.csv" 38228 | grep -q '^cap_per_day: 3 ' &&
  ok "--codes overrides the cap" || fail "--codes override not shown"
run_bin -o "$T/def" -q --fail-on never samples/cart_inst.837
run_bin -o "$T/mue" -q --fail-on never --codes "$T/mue.csv" samples/cart_inst.837
grep -q '"UNITS-OVER-F","1","38228",.*"UNITS_OVER_DAILY_MAX"' "$T/def/findings.csv" &&
  ok "default cap: UNITS_OVER_DAILY_MAX on UNITS-OVER-F" ||
  fail "default cap finding missing"
grep -q '"UNITS-OVER-F",.*"UNITS_OVER_DAILY_MAX"' "$T/mue/findings.csv" &&
  fail "cap 3: UNITS_OVER_DAILY_MAX still fires" ||
  ok "cap 3 from --codes: no UNITS_OVER_DAILY_MAX"

# A TCR-T product (Q2057, family tcr) is tracked and listed with its
# family, remembered in the ledger with it, and the ledger loads again
sed 's/HC:Q2041\*462000/HC:Q2057*462000/' samples/cart_inst.837 >"$T/tcr.837"
run_bin -q -o "$T/tcr1" --state "$T/tcr-state.csv" --fail-on never "$T/tcr.837"
rc1=$?
run_bin -q -o "$T/tcr2" --state "$T/tcr-state.csv" --fail-on never "$T/tcr.837" 2>"$T/err"
rc2=$?
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] &&
  ok "a ledger after a TCR-T line reads back (exit $rc1, $rc2)" ||
  { fail "ledger after a TCR-T line: exit $rc1, $rc2"; cat "$T/err"; }
grep -q '^"tcr.837","CLEAN-I-N","2","Q2057",.*,"0891","","462000","tcr",' "$T/tcr1/lines.csv" &&
  ok "lines.csv: Q2057 is tracked, family tcr" ||
  fail "lines.csv: no tcr line for Q2057"
grep -q '"CLEAN-I-N","2",.*,"Q2057","Q2057","tcr","0",' "$T/tcr-state.csv" &&
  ok "ledger: the Q2057 line is remembered, family tcr" ||
  fail "ledger: no tcr row for Q2057"

# Reference lists: --list prints a built-in list byte for byte;
# --list-file loads one over it; a bad NAME=FILE is a usage error
for l in revenue:revenue pcs:pcs ndc:ndc indication:indications ptp:ptp; do
  run_bin codes --list "${l%%:*}" >"$T/list.csv"
  cmp -s "$T/list.csv" "specs/${l#*:}.csv" &&
    ok "codes --list ${l%%:*} prints specs/${l#*:}.csv" ||
    fail "codes --list ${l%%:*}"
done
printf 'code,product,family,cart_admin,valid_from,description,source
XW033Z9,obecabtagene autoleucel,product,1,2025-10-01,test row,test
' >"$T/pcs.csv"
run_bin codes --list-file "pcs=$T/pcs.csv" --list pcs >"$T/pcs.out"
[ "$(tail -1 "$T/pcs.out")" = '"XW033Z9","obecabtagene autoleucel","product","1","2025-10-01","","test row","test"' ] &&
  [ $(wc -l <"$T/pcs.out") -eq $(($(wc -l <specs/pcs.csv) + 1)) ] &&
  ok "--list-file pcs=FILE adds its row" || fail "--list-file pcs"
run_bin codes --list-file "nope=$T/pcs.csv" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && grep -q "no list is named 'nope'" "$T/err" &&
  ok "--list-file with an unknown list: exit 2" ||
  fail "--list-file nope: exit $rc"
# --import drg018: the PCS list with the code whose title names a product
printf 'XW033Z9 Introduction of Obecabtagene Autoleucel into Peripheral Vein
XW033Z8 Introduction of something else
' >"$T/drg018.txt"
run_bin codes --import drg018 "$T/drg018.txt" --valid-from 2025-10-01 \
  >"$T/drg.out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && grep -q '^"XW033Z9","obecabtagene autoleucel","product","1","2025-10-01",' "$T/drg.out" &&
  ! grep -q XW033Z8 "$T/drg.out" &&
  grep -q 'drg018 .*: 2 records read, 1 matched, 0 rows changed, 1 added' "$T/err" &&
  ok "codes --import drg018 --valid-from" ||
  { fail "codes --import drg018 (rc $rc)"; cat "$T/err"; }
run_bin codes --import-all >/dev/null 2>&1
[ $? -eq 2 ] && ok "--import-all without --import: exit 2" ||
  fail "--import-all alone"

# --payers / --providers of a run: a malformed file names line and column
printf 'class,payer_id,repeat_window
commercial,,forever
' >"$T/payers-bad.csv"
run_bin -q -o "$T/pb" --payers "$T/payers-bad.csv" samples/cart_inst.837 2>"$T/err"
rc=$?
[ $rc -eq 3 ] && grep -q 'payers-bad.csv:2:3: repeat_window: expected lifetime' "$T/err" &&
  ok "--payers malformed: line and column, exit 3" ||
  { fail "--payers malformed (rc $rc)"; cat "$T/err"; }
# a commercial payer with a 10-day window: the second course 25 days
# later (REPEAT-F-2) is no longer a repeat
printf 'class,payer_id,repeat_window
commercial,,10
' >"$T/payers.csv"
run_bin -q -o "$T/pw" --fail-on never --payers "$T/payers.csv" samples/cart_inst.837
grep -q '"REPEAT-F-2",.*"REPEAT_ADMINISTRATION"' "$T/def/findings.csv" &&
  ! grep -q '"REPEAT-F-2",.*"REPEAT_ADMINISTRATION"' "$T/pw/findings.csv" &&
  ok "--payers: the class's repeat window applies" ||
  fail "--payers repeat window"

# PAYMENT_WINDOW across runs: the inpatient stay read by run 1 is in the
# ledger (an admission row); run 2 holds the outpatient claim of the day
# before; with the hospital listed non-IPPS (1 day) a claim two days
# before passes
"$PYTHON" - "$T" <<'PY'
import sys
sys.path.insert(0, "scripts")
import gen_samples as g
t = sys.argv[1]
p = g.Person("ADMITT", "ANA", 19600101, "F", "1 A ST", "LAKESHORE", "OH",
             "440120001", member_id="PWX0001", payer=g.MEDICARE_A)
ip = g.Claim("PWX-IP", "I", [g.Line("Q2041", 46200000, "1", rev="0891")],
             fac="11", stmt=(20250820, 20250826), admit="202508200600",
             pcs=("XW033H7", 20250820))
def op(cid, d):
    return g.Claim(cid, "I", [g.I("38227", d, noncov=120000)])
for name, ctl, claims in (("ip.837", 801, [ip]),
                          ("op.837", 802, [op("PWX-OP1", 20250819),
                                           op("PWX-OP2", 20250818)])):
    text, _ = g.one_interchange(ctl, "I", [("0001", [(g.HOSPITAL, p, c)
                                                     for c in claims])])
    open("%s/%s" % (t, name), "w").write(text)
PY
run_bin -q -o "$T/w1" --state "$T/w.csv" --fail-on never "$T/ip.837"
grep -q '"admission","0","2025-08-20","2025-08-26"' "$T/w.csv" &&
  ok "ledger: the admission is a row of family admission" ||
  { fail "ledger: no admission row"; cat "$T/w.csv"; }
cp "$T/w.csv" "$T/w2.csv"
run_bin -q -o "$T/w2" --state "$T/w.csv" --fail-on never "$T/op.837"
[ "$(grep -c '"PAYMENT_WINDOW","error","held"' "$T/w2/findings.csv")" -eq 2 ] &&
  ok "PAYMENT_WINDOW across runs: both outpatient claims held (3 days)" ||
  { fail "PAYMENT_WINDOW across runs"; cat "$T/w2/findings.csv"; }
printf 'npi,type,name,note
%s,non_ipps,LAKESHORE,test
' \
  "$(grep -o 'NM1\*85\*2\*LAKESHORE[^~]*' "$T/ip.837" | sed 's/.*\*//')" >"$T/prov.csv"
run_bin -q -o "$T/w3" --state "$T/w2.csv" --fail-on never \
  --providers "$T/prov.csv" "$T/op.837"
grep -q '"PWX-OP1",.*"PAYMENT_WINDOW","error","held"' "$T/w3/findings.csv" &&
  ! grep -q '"PWX-OP2",.*"PAYMENT_WINDOW"' "$T/w3/findings.csv" &&
  ok "--providers non_ipps: a 1-day window" ||
  { fail "--providers non_ipps"; cat "$T/w3/findings.csv"; }

e2e_done
