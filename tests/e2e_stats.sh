#!/bin/sh
# e2e_stats.sh -- `cart837 stats` output format and exit codes
#
# A small 837P written inline: the exact summary line on stdout, from a
# file, from gzip and from standard input; an envelope error (exact
# problem line with its byte offset and segment number, exit 3); input
# that is not X12 (ENOISA, exit 3); a missing file (exit 4, message on
# stderr); no input (exit 2); several files (the worst exit code wins);
# --help and --version (exit 0).
#
# Run from the repo root: BIN=/abs/path/to/cart837 sh tests/e2e_stats.sh

BIN=${BIN:-build/cart837}
# RUNNER: a command put in front of each run of $BIN (make valgrind)
RUNNER=${RUNNER:-}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/c837_stats.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fail=0

check() { # what, got, want
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1" >&2
    echo "  got:  $2" >&2
    echo "  want: $3" >&2
    fail=$((fail + 1))
  fi
}

isa='ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250101*1200*^*00501*000000001*0*P*:~'
cat > "$TMP/ok.837" <<EOF
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
out=$($RUNNER "$BIN" stats "$TMP/ok.837" 2> "$TMP/err")
check "valid file: exit code" "$?" 0
check "valid file: stdout" "$out" "$TMP/ok.837: $counts"
check "valid file: stderr" "$(cat "$TMP/err")" ""

# 2. the same, gzip-compressed, and through stdin (plain and gzip)
gzip -c "$TMP/ok.837" > "$TMP/ok.837.gz"
out=$($RUNNER "$BIN" stats "$TMP/ok.837.gz")
check "gzip: exit code" "$?" 0
check "gzip: stdout" "$out" "$TMP/ok.837.gz: $counts"
out=$($RUNNER "$BIN" stats - < "$TMP/ok.837")
check "stdin: exit code" "$?" 0
check "stdin: stdout" "$out" "-: $counts"
out=$(cat "$TMP/ok.837.gz" | $RUNNER "$BIN" stats -)
check "gzip pipe: exit code" "$?" 0
check "gzip pipe: stdout" "$out" "-: $counts"

# 3. an envelope error: SE01 says 9, the set has 15 segments
sed 's/^SE\*15\*0001~$/SE*9*0001~/' "$TMP/ok.837" > "$TMP/bad.837"
se_off=$(grep -bo '^SE\*' "$TMP/bad.837" | cut -d: -f1)
out=$($RUNNER "$BIN" stats "$TMP/bad.837")
check "envelope error: exit code" "$?" 3
check "envelope error: stdout" "$out" "  $TMP/bad.837: byte $se_off, segment 17: SE01_COUNT: SE01=9 but transaction set ST02=0001 has 15 segments from ST to SE
$TMP/bad.837: interchanges=1 groups=1 transactions=1 claims=2 lines=3 837P=2 837I=0 837D=0 envelope_errors=1"

# 4. not X12 at all
printf 'claim_id,line\nA,1\n' > "$TMP/not.csv"
out=$($RUNNER "$BIN" stats "$TMP/not.csv")
check "not X12: exit code" "$?" 3
check "not X12: stdout" "$out" "$TMP/not.csv: interchanges=0 groups=0 transactions=0 claims=0 lines=0 837P=0 837I=0 837D=0 envelope_errors=0 (read stopped: see below)
  $TMP/not.csv: byte 0, segment 1: ENOISA: expected an ISA segment, found 'claim_id,lin'"

# 5. a file cut inside a tag: ETRUNC; cut after an element separator:
# read as an unterminated last segment, with the envelopes left open
nm1=$(grep -bo '^NM1\*IL' "$TMP/ok.837" | cut -d: -f1)
head -c "$((nm1 + 2))" "$TMP/ok.837" > "$TMP/cut.837"
out=$($RUNNER "$BIN" stats "$TMP/cut.837")
check "cut in a tag: exit code" "$?" 3
check "cut in a tag: stdout" "$out" "  $TMP/cut.837: byte $nm1, segment 7: SE_MISSING: transaction set ST02=0001 has no SE trailer (input ended)
  $TMP/cut.837: byte $nm1, segment 7: GE_MISSING: functional group GS06=1 has no GE trailer (input ended)
  $TMP/cut.837: byte $nm1, segment 7: IEA_MISSING: interchange ISA13=000000001 has no IEA trailer (input ended)
$TMP/cut.837: interchanges=1 groups=1 transactions=1 claims=0 lines=0 837P=0 837I=0 837D=0 envelope_errors=3 (read stopped: see below)
  $TMP/cut.837: byte $nm1, segment 8: ETRUNC: input ends inside segment 'NM' (no segment terminator)"
head -c "$((nm1 + 20))" "$TMP/ok.837" > "$TMP/cut2.837"
out=$($RUNNER "$BIN" stats "$TMP/cut2.837")
check "cut in elements: exit code" "$?" 3
# a segment cut after its tag is a truncation too (only the trailers SE,
# GE and IEA are accepted without their terminator at the very end)
check "cut in elements: stdout" "$out" "  $TMP/cut2.837: byte $nm1, segment 7: SE_MISSING: transaction set ST02=0001 has no SE trailer (input ended)
  $TMP/cut2.837: byte $nm1, segment 7: GE_MISSING: functional group GS06=1 has no GE trailer (input ended)
  $TMP/cut2.837: byte $nm1, segment 7: IEA_MISSING: interchange ISA13=000000001 has no IEA trailer (input ended)
$TMP/cut2.837: interchanges=1 groups=1 transactions=1 claims=0 lines=0 837P=0 837I=0 837D=0 envelope_errors=3 (read stopped: see below)
  $TMP/cut2.837: byte $nm1, segment 8: ETRUNC: input ends inside segment 'NM1*IL*1*DOE' (no segment terminator)"

# 6. a missing file: exit 4, reason on stderr, nothing on stdout
out=$($RUNNER "$BIN" stats "$TMP/missing.837" 2> "$TMP/err")
check "missing file: exit code" "$?" 4
check "missing file: stdout" "$out" ""
check "missing file: stderr" "$(cat "$TMP/err")" "cart837: cannot open $TMP/missing.837: No such file or directory"

# 7. several files: each gets its line, the worst exit code wins
out=$($RUNNER "$BIN" stats "$TMP/ok.837" "$TMP/bad.837" 2>/dev/null)
check "two files: exit code" "$?" 3
check "two files: summary lines" "$(echo "$out" | grep -c 'interchanges=')" 2
$RUNNER "$BIN" stats "$TMP/bad.837" "$TMP/missing.837" "$TMP/ok.837" > /dev/null 2>&1
check "invalid + missing: exit code" "$?" 4

# 8. usage errors: exit 2 with a message on stderr
out=$($RUNNER "$BIN" stats 2> "$TMP/err")
check "stats without input: exit code" "$?" 2
check "stats without input: stdout" "$out" ""
[ -s "$TMP/err" ] || check "stats without input: stderr" "" "a message"
$RUNNER "$BIN" > /dev/null 2>&1
check "no arguments: exit code" "$?" 2

# 9. --help and --version
out=$($RUNNER "$BIN" --help)
check "--help: exit code" "$?" 0
echo "$out" | grep -q 'cart837 stats' ||
  check "--help: mentions stats" "$out" "usage text with 'cart837 stats'"
out=$($RUNNER "$BIN" --version)
check "--version: exit code" "$?" 0
echo "$out" | grep -Eq '^cart837 [0-9]+\.[0-9]+\.[0-9]+$' ||
  check "--version: output" "$out" "cart837 X.Y.Z"

if [ "$fail" -ne 0 ]; then
  echo "e2e_stats: $fail failure(s)"
  exit 1
fi
echo "e2e_stats: OK"
exit 0
