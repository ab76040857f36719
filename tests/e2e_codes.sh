#!/bin/sh
# e2e_codes.sh -- `cart837 codes` and `--codes FILE` through the CLI.
#
# The built-in table prints back byte-identical to specs/codes.csv; one
# code's row prints as "field: value" lines; an unknown code and a
# malformed table file fail with exit 3 and a message naming the CSV line
# and column; a table file given to a run changes its findings (a payer's
# own per-day cap); a code of a family added after watch (TCR-T) is
# tracked and does not break the ledger.
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
# family, and a ledger written by a run that saw it loads again (the
# families after watch are not remembered until the ledger reads them:
# src/edit/engine_hist.c)
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

e2e_done
