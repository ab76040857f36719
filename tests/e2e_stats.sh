#!/bin/sh
# e2e_stats.sh -- `cart837 stats` output format and exit codes
#
# A small 837P written inline: the exact summary line on stdout, from a
# file, from gzip and from standard input; an envelope error (exact
# problem line with its byte offset and segment number, exit 3); input
# that is not X12 (ENOISA, exit 3); a missing file (exit 4, message on
# stderr); no input (exit 2); several files (the worst exit code wins);
# --help and --version (exit 0).
. tests/lib_e2e.sh

isa='ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250101*1200*^*00501*000000001*0*P*:~'
cat > "$T/ok.837" <<EOF
$isa
GS*HC*SENDER*RECEIVER*20250101*1200*1*X*005010X222A1~
ST*837*0001*005010X222A1~
BHT*0019*00*B1*20250101*1200*CH~
HL*1**20*1~
NM1*85*2*CLINIC*****XX*1234567893~
HL*2*1*22*0~
NM1*IL*1*DOE*JANE****MI*M1~
CLM*A*30***11:B:1~
LX*1~
SV1*HC:38225*10*UN*1~
LX*2~
SV1*HC:38226*20*UN*1~
CLM*B*5***11:B:1~
LX*1~
SV1*HC:99213*5*UN*1~
SE*15*0001~
GE*1*1~
IEA*1*000000001~
EOF
counts='interchanges=1 groups=1 transactions=1 claims=2 lines=3 837P=2 837I=0 837D=0 envelope_errors=0'

# 1. a valid file: one exact line, exit 0, nothing on stderr
out=$(run_bin stats "$T/ok.837" 2> "$T/err")
check_rc "valid file" 0 "$?"
check_eq "valid file: stdout" "$T/ok.837: $counts" "$out"
check_eq "valid file: stderr" "" "$(cat "$T/err")"

# 2. the same, gzip-compressed, and through stdin (plain and gzip)
gzip -c "$T/ok.837" > "$T/ok.837.gz"
out=$(run_bin stats "$T/ok.837.gz")
check_rc "gzip" 0 "$?"
check_eq "gzip: stdout" "$T/ok.837.gz: $counts" "$out"
out=$(run_bin stats - < "$T/ok.837")
check_rc "stdin" 0 "$?"
check_eq "stdin: stdout" "-: $counts" "$out"
out=$(cat "$T/ok.837.gz" | run_bin stats -)
check_rc "gzip pipe" 0 "$?"
check_eq "gzip pipe: stdout" "-: $counts" "$out"

# 3. an envelope error: SE01 says 9, the set has 15 segments
sed 's/^SE\*15\*0001~$/SE*9*0001~/' "$T/ok.837" > "$T/bad.837"
se_off=$(grep -bo '^SE\*' "$T/bad.837" | cut -d: -f1)
out=$(run_bin stats "$T/bad.837")
check_rc "envelope error" 3 "$?"
check_eq "envelope error: stdout" "  $T/bad.837: byte $se_off, segment 17: SE01_COUNT: SE01=9 but transaction set ST02=0001 has 15 segments from ST to SE
$T/bad.837: interchanges=1 groups=1 transactions=1 claims=2 lines=3 837P=2 837I=0 837D=0 envelope_errors=1" "$out"

# 4. not X12 at all
printf 'claim_id,line\nA,1\n' > "$T/not.csv"
out=$(run_bin stats "$T/not.csv")
check_rc "not X12" 3 "$?"
check_eq "not X12: stdout" "$T/not.csv: interchanges=0 groups=0 transactions=0 claims=0 lines=0 837P=0 837I=0 837D=0 envelope_errors=0 (read stopped: see below)
  $T/not.csv: byte 0, segment 1: ENOISA: expected an ISA segment, found 'claim_id,lin'" "$out"

# 5. a file cut inside a tag: ETRUNC; cut after an element separator:
# read as an unterminated last segment, with the envelopes left open
nm1=$(grep -bo '^NM1\*IL' "$T/ok.837" | cut -d: -f1)
head -c "$((nm1 + 2))" "$T/ok.837" > "$T/cut.837"
out=$(run_bin stats "$T/cut.837")
check_rc "cut in a tag" 3 "$?"
check_eq "cut in a tag: stdout" "  $T/cut.837: byte $nm1, segment 7: SE_MISSING: transaction set ST02=0001 has no SE trailer (input ended)
  $T/cut.837: byte $nm1, segment 7: GE_MISSING: functional group GS06=1 has no GE trailer (input ended)
  $T/cut.837: byte $nm1, segment 7: IEA_MISSING: interchange ISA13=000000001 has no IEA trailer (input ended)
$T/cut.837: interchanges=1 groups=1 transactions=1 claims=0 lines=0 837P=0 837I=0 837D=0 envelope_errors=3 (read stopped: see below)
  $T/cut.837: byte $nm1, segment 8: ETRUNC: input ends inside segment 'NM' (no segment terminator)" "$out"
head -c "$((nm1 + 20))" "$T/ok.837" > "$T/cut2.837"
out=$(run_bin stats "$T/cut2.837")
check_rc "cut in elements" 3 "$?"
# a segment cut after its tag is a truncation too (only the trailers SE,
# GE and IEA are accepted without their terminator at the very end)
check_eq "cut in elements: stdout" "  $T/cut2.837: byte $nm1, segment 7: SE_MISSING: transaction set ST02=0001 has no SE trailer (input ended)
  $T/cut2.837: byte $nm1, segment 7: GE_MISSING: functional group GS06=1 has no GE trailer (input ended)
  $T/cut2.837: byte $nm1, segment 7: IEA_MISSING: interchange ISA13=000000001 has no IEA trailer (input ended)
$T/cut2.837: interchanges=1 groups=1 transactions=1 claims=0 lines=0 837P=0 837I=0 837D=0 envelope_errors=3 (read stopped: see below)
  $T/cut2.837: byte $nm1, segment 8: ETRUNC: input ends inside segment 'NM1*IL*1*DOE' (no segment terminator)" "$out"

# 6. a missing file: exit 4, reason on stderr, nothing on stdout
out=$(run_bin stats "$T/missing.837" 2> "$T/err")
check_rc "missing file" 4 "$?"
check_eq "missing file: stdout" "" "$out"
check_eq "missing file: stderr" "cart837: cannot open $T/missing.837: No such file or directory" "$(cat "$T/err")"

# 7. several files: each gets its line, the worst exit code wins
out=$(run_bin stats "$T/ok.837" "$T/bad.837" 2>/dev/null)
check_rc "two files" 3 "$?"
check_eq "two files: summary lines" 2 "$(echo "$out" | grep -c 'interchanges=')"
run_bin stats "$T/bad.837" "$T/missing.837" "$T/ok.837" > /dev/null 2>&1
check_rc "invalid + missing" 4 "$?"

# 8. usage errors: exit 2 with a message on stderr
out=$(run_bin stats 2> "$T/err")
check_rc "stats without input" 2 "$?"
check_eq "stats without input: stdout" "" "$out"
[ -s "$T/err" ] && ok "stats without input: a message on stderr" ||
  fail "stats without input: nothing on stderr"
run_bin > /dev/null 2>&1
check_rc "no arguments" 2 "$?"

# 9. --help and --version
out=$(run_bin --help)
check_rc "--help" 0 "$?"
echo "$out" | grep -q 'cart837 stats' && ok "--help: mentions stats" ||
  check_eq "--help: mentions stats" "usage text with 'cart837 stats'" "$out"
out=$(run_bin --version)
check_rc "--version" 0 "$?"
echo "$out" | grep -Eq '^cart837 [0-9]+\.[0-9]+\.[0-9]+$' &&
  ok "--version: output" || check_eq "--version: output" "cart837 X.Y.Z" "$out"

e2e_done
