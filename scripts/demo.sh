#!/bin/sh
# demo.sh -- the README's demo: cart837 over samples/.
# Usage: demo.sh BIN   (make demo runs it)
set -u
bin=${1:-build/cart837}
out=${OUT:-cart837-out}
echo "== cart837 stats samples/*"
"$bin" stats samples/*.837 samples/*.gz
echo
files="samples/cart_batch.837.gz samples/cart_inst.837 samples/cart_prof.837
samples/cart_realworld.837 samples/cart_rules.837 samples/inst_basic.837
samples/mixed_delims.837 samples/prof_basic.837"
echo "== cart837 -o $out samples/*.837 samples/*.gz"
rm -rf "$out"
"$bin" -o "$out" --no-progress $files
rc=$?
echo
echo "exit status $rc (1 = findings at error level, as expected for the samples)"
echo "outputs in $out/:"
(cd "$out" && find . -type f | sort)
echo
echo "== first findings ($out/findings.csv)"
head -n 8 "$out/findings.csv"
[ "$rc" -le 1 ]
