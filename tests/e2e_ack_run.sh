#!/bin/sh
# e2e_ack_run.sh -- the 999 and 277CA as the cart837 binary writes them
# (`--ack 999,277`: OUT/ack/NAME.999, OUT/ack/NAME.277), checked by the
# independent checker tests/x12ack.py against the run's own summary.txt.
# (tests/e2e_ack.sh checks the builders through tests/ack_driver.c.)
#
#  - samples/: every acknowledgment passes the checker; each input read
#    has a 999 and a 277CA whose claims are the claims summary.txt counts,
#    rejected exactly as many as it holds; the run's control numbers are
#    --ack-control's and never repeat; two runs give byte-identical
#    files; without --ack-date the dates are the input's, not the clock;
#  - one SE01 changed and one claim made to be held (prof_basic.837):
#    exact `x12ack.py --summary` of both files;
#  - a claim the engine fixed but the writer held (its amounts overflow):
#    the 277CA rejects it, as the writer disposed of it;
#  - a file held whole: its 999 is one TA1 R 023, no 277CA; stdin cut by
#    the same error: the claims read before are acknowledged, the cut set
#    E 2 and the interchange TA1 E 023;
#  - a file that fails (corrupt gzip): no acknowledgment at all;
#  - --ack 999 / --ack 277 alone, bad option values (exit 2);
#  - an input whose output name is another input's ack/ name is skipped;
#  - the public corpus (../shared/corpus, when present): every
#    acknowledgment passes the checker, the 277CA claims are summary.txt's.
#
# Python: one tests/pyserve.py answers the x12ack.py summaries; check_run
# (twice) and two generators of inputs start one each.
. tests/lib_e2e.sh

CORPUS=${CORPUS:-../shared/corpus}

py_start

# x12ack.py --summary of each FILE in turn, '|' for the tabs, the
# violations among them (the callers compare the whole text).
summaries() {
  for _f in "$@"; do py x12ack --summary "$_f"; done | tr '\t' '|'
}

# Checks OUT/ack of a run against its summary.txt: every file passes
# x12ack.py; each input read (not skipped, claims counted) has a 999 and,
# when it has claims, a 277CA with one claim per claim read, rejected as
# many as held; no control number twice in the run; with FIRST, the
# numbers are FIRST, FIRST+1, ... (no file of the run failed).  Prints
# "files N acks M" and exits 1 on any difference.
check_run() { # OUT [FIRST]
  "$PYTHON" - "$1" "${2:-}" <<'PY'
import os, re, sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tests")
import x12ack
out, first = sys.argv[1], sys.argv[2]
ackdir = os.path.join(out, "ack")
want, name = {}, None
for line in open(os.path.join(out, "summary.txt")):
    if not line.startswith(" "):
        m = re.match(r"file: (.+)$", line.rstrip("\n"))
        name = m.group(1) if m else None
        continue
    m = re.match(r"  claims (read|held): (\d+)$", line.rstrip("\n"))
    if m and name:
        want.setdefault(name, {})[m.group(1)] = int(m.group(2))
bad, ctl, nack = 0, [], 0
def fail(msg):
    global bad
    print(msg)
    bad += 1
for root, _, files in os.walk(ackdir):
    for f in files:
        p = os.path.join(root, f)
        c = x12ack.Checker(p)
        c.run()
        nack += 1
        for e in c.errors:
            fail("%s: %s" % (p, e))
        ctl += [int(r[1]) for r in c.summary if r[0] == "interchange"]
        n = os.path.relpath(p, ackdir)[:-4]
        if n not in want:
            fail("%s: no counted input %s in summary.txt" % (p, n))
for n, w in sorted(want.items()):
    p = os.path.join(ackdir, n)
    if not os.path.exists(p + ".999"):
        fail("%s: no 999" % n)
    if w["read"] == 0:
        continue
    c = x12ack.Checker(p + ".277")
    c.run()
    claims = [r for r in c.summary if r[0] == "claim"]
    got = {"read": len(claims),
           "held": len([r for r in claims if r[3] == "rejected"])}
    if got != w:
        fail("%s: 277CA has %s, summary.txt %s" % (n, got, w))
if len(set(ctl)) != len(ctl):
    fail("a control number used twice: %s" % sorted(ctl))
if first and sorted(ctl) != list(range(int(first), int(first) + len(ctl))):
    fail("control numbers %s, not from %s on" % (sorted(ctl), first))
print("files %d acks %d" % (len(want), nack))
sys.exit(1 if bad or not want else 0)
PY
}

ACKOPT="--ack 999,277 --ack-control 100 --ack-date 2025-08-21 --ack-time 0600"

# ---- samples: valid, the run's claims, numbered from --ack-control
run_bin -q -o "$T/s1" --fail-on never $ACKOPT samples 2>"$T/err"
rc=$?
check_run "$T/s1" 100 >"$T/cmp" 2>&1 && [ $rc -eq 5 ] &&
  ok "samples: every 999 and 277CA passes x12ack.py, the 277CA claims are summary.txt's, control numbers 100.. unique ($(tail -1 "$T/cmp"))" ||
  { fail "samples (exit $rc)"; cat "$T/cmp" "$T/err"; }
[ "$(ls "$T/s1/ack" | wc -l)" -ge 12 ] &&
  ok "samples: $(ls "$T/s1/ack" | wc -l) files in OUT/ack" ||
  { fail "samples: too few acknowledgments"; ls "$T/s1/ack"; }

run_bin -q -o "$T/s2" --fail-on never $ACKOPT samples 2>/dev/null
diff -r "$T/s1/ack" "$T/s2/ack" >/dev/null &&
  ok "two runs give byte-identical acknowledgments" ||
  fail "acknowledgments differ between two runs"

# without --ack-date: the input's GS04/GS05, never the clock
run_bin -q -o "$T/s3" --fail-on never --ack 999,277 \
  samples/prof_basic.837 2>/dev/null
head -2 "$T/s3/ack/prof_basic.837.999" >"$T/got"
printf '%s\n' \
  'ISA*00*          *00*          *ZZ*NWCH00042      *ZZ*CART837SAMPLE  *250315*1200*^*00501*000000002*0*T*:~' \
  'GS*FA*NWCH00042*CART837SAMPLE*20250315*1200*2*X*005010X231A1~' >"$T/want"
cmp -s "$T/got" "$T/want" &&
  grep -q '^GS\*HN\*NWCH00042\*CART837SAMPLE\*20250315\*1200\*1\*' \
    "$T/s3/ack/prof_basic.837.277" &&
  ok "without --ack-date: the input's dates; the 277CA takes number 1, the 999 number 2" ||
  { fail "default dates / numbers"; diff "$T/want" "$T/got"; }

# ---- one envelope count and one held claim, reflected in both
sed -e 's/^SE\*65\*0001~$/SE*66*0001~/' \
    -e '37s/.*/SV1*HC:38225*135*UN*X***1~/' samples/prof_basic.837 >"$T/pm.837"
run_bin -q -o "$T/pm" --fail-on never $ACKOPT "$T/pm.837" 2>/dev/null
summaries "$T/pm/ack/pm.837.999" "$T/pm/ack/pm.837.277" >"$T/pm.got" 2>&1
# the exact summaries, shared by e2e_ack.sh (driver) and e2e_ack_run.sh
# (binary), --ack-control 100, dated 2025-08-21 06:00
cp tests/ack-expected/prof_basic_se01_held.txt "$T/pm.want"
cmp -s "$T/pm.got" "$T/pm.want" &&
  grep -q '^SV1\*HC:38225\*135\*UN\*X\*' "$T/pm/held/pm.837" &&
  ok "SE01 changed and WB-P-1002 held: 999 set 0001 E 4, the 277CA rejects WB-P-1002 (A7:476, HELD UNITS_INVALID LX1)" ||
  { fail "changed input: summaries differ"; diff "$T/pm.want" "$T/pm.got"; }

# ---- fixed by the engine, held by the writer: the 277CA says rejected
"$PYTHON" - "$T/ovf.837" <<'PY'
import sys
src = open("samples/cart_prof.837").read().split("\n")
head = src[:20]  # ISA .. the first subscriber's NM1*PR
body = ["CLM*OVF-1*1***11:B:1*Y*A*Y*Y~", "HI*ABK:C8330*ABF:Z006~"]
codes = ["38225", "38225"] + ["99213"] * 10  # line 2 repeats line 1
for i, code in enumerate(codes, 1):
    body += ["LX*%d~" % i, "SV1*HC:%s*9000000000000000*UN*1***1~" % code,
             "DTP*472*D8*20250303~"]
n = len(head) - 2 + len(body) + 1
open(sys.argv[1], "w").write("\n".join(
    head + body + ["SE*%d*0001~" % n, "GE*1*104~", "IEA*1*000000104~", ""]))
PY
run_bin -q -o "$T/ovf" --fail-on never --ack 277 "$T/ovf.837" 2>/dev/null
summaries "$T/ovf/ack/ovf.837.277" 2>&1 | grep '^claim|' >"$T/got"
echo 'claim|0001|OVF-1|rejected|A7:21/A7:247|U|1|20250303|1648203770|CP10000|HELD DUPLICATE_DAY' >"$T/want"
cmp -s "$T/got" "$T/want" &&
  grep -q '"OVF-1","2",.*"DUPLICATE_DAY","error","fixed"' "$T/ovf/findings.csv" &&
  grep -q '^  claims held: 1$' "$T/ovf/summary.txt" &&
  ok "a claim fixed by the engine but held by the writer (CLM02 past int64 cents) is rejected (A7:21/A7:247)" ||
  { fail "unfixable claim"; diff "$T/want" "$T/got"; }

# ---- held whole, and the same error on stdin (cut)
head -c 3000 samples/prof_basic.837 >"$T/cut.837"
run_bin -q -o "$T/hw" --fail-on never --ack 999,277 --ack-control 7 \
  "$T/cut.837" 2>/dev/null
rc=$?
# the first 3000 bytes of prof_basic.837, held whole (--ack-control 7)
cp tests/ack-expected/prof_basic_cut3000_whole.999 "$T/hw.want"
[ $rc -eq 3 ] && cmp -s "$T/hw/ack/cut.837.999" "$T/hw.want" &&
  [ ! -e "$T/hw/ack/cut.837.277" ] && cmp -s "$T/hw/held/cut.837" "$T/cut.837" &&
  ok "held whole: the 999 is one TA1 R 023 (number 8: the 277CA took 7), no 277CA" ||
  { fail "held whole (exit $rc)"; ls -R "$T/hw"; cat "$T/hw/ack/cut.837.999"; }
run_bin -q -o "$T/in" --fail-on never --ack 999,277 --ack-control 7 \
  - <"$T/cut.837" >"$T/in.out" 2>/dev/null
rc=$?
summaries "$T/in/ack/stdin.837.999" "$T/in/ack/stdin.837.277" >"$T/got" 2>&1
# the 999 shared with e2e_ack.sh (its driver's cut), then the 277CA
{ cat tests/ack-expected/prof_basic_cut3000_stdin.txt; cat <<'X'
interchange|000000007|NWCH00042|CART837SAMPLE|250315|1200
group|HN|7|20250315|1200|005010X214
ack277|0001|B1010001|A1:19:AY|3|547|0|0
provider|0001|1726354909|3|547|0|0
claim|0001|WB-P-1001|accepted|A1:20|WQ|239|20250203|1726354909|WB10000|-
claim|0001|WB-P-1002|accepted|A1:20|WQ|135|20250224|1726354909|WB10000|-
claim|0001|WB-P-1003|accepted|A1:20|WQ|173|20250205|1726354909|WB10037|-
ack277|0002|B1010002|A1:19:AY|3|429|0|0
provider|0002|1726354909|3|429|0|0
claim|0002|WB-P-1004|accepted|A1:20|WQ|135|20250210|1726354909|WB10074|-
claim|0002|WB-P-1005|accepted|A1:20|WQ|159|20250210|1726354909|WB10074|-
claim|0002|WB-P-1006|accepted|A1:20|WQ|135|20250211|1726354909|WB10074|-
X
} >"$T/want"
[ $rc -eq 3 ] && cmp -s "$T/got" "$T/want" &&
  [ -s "$T/in/held/stdin.837.unparsed" ] &&
  ok "stdin cut: the six claims read are accepted, the cut set E 2, TA1 E 023" ||
  { fail "stdin cut (exit $rc)"; diff "$T/want" "$T/got"; }

# ---- a file that fails leaves no acknowledgment
gzip -c samples/prof_basic.837 >"$T/g.837.gz"
"$PYTHON" - "$T/g.837.gz" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-6] ^= 0xFF  # the CRC: corrupt at the end, after every claim was read
open(sys.argv[1], "wb").write(b)
PY
run_bin -q -o "$T/gz" --ack 999,277 "$T/g.837.gz" 2>/dev/null
rc=$?
[ $rc -eq 4 ] && [ -z "$(find "$T/gz" -path '*ack*' -type f)" ] &&
  ok "a file that fails (corrupt gzip, exit 4) leaves no acknowledgment" ||
  { fail "failed file (exit $rc)"; find "$T/gz" -type f; }

# ---- one of the two
run_bin -q -o "$T/o9" --fail-on never --ack 999 samples/prof_basic.837
run_bin -q -o "$T/o2" --fail-on never --ack 277CA samples/prof_basic.837
[ "$(ls "$T/o9/ack")" = "prof_basic.837.999" ] &&
  [ "$(ls "$T/o2/ack")" = "prof_basic.837.277" ] &&
  ok "--ack 999 writes the 999 alone, --ack 277CA the 277CA alone" ||
  { fail "--ack with one"; ls "$T/o9/ack" "$T/o2/ack"; }
run_bin -q -o "$T/none" --fail-on never samples/prof_basic.837
[ ! -e "$T/none/ack" ] && ok "without --ack: no OUT/ack" ||
  fail "OUT/ack written without --ack"

# ---- bad values: one message, exit 2
n=0 bad=""
for args in "--ack 998" "--ack 999,,277" "--ack ," "--ack-control 7" \
  "--ack 999 --ack-control 0" "--ack 999 --ack-control 1000000000" \
  "--ack 999 --ack-date 2025-02-30" "--ack 999 --ack-date 20251301" \
  "--ack 999 --ack-time 1200" "--ack 999 --ack-date 2025-01-01 --ack-time 2400" \
  "--ack 999 --ack-date 2025-01-01 --ack-time 960"; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  run_bin -o "$T/bad" $args samples/prof_basic.837 >/dev/null 2>"$T/err"
  rc=$?
  { [ $rc -eq 2 ] && grep -q '^cart837: --ack' "$T/err" &&
    [ ! -e "$T/bad" ]; } || bad="$bad [$args: exit $rc]"
done
[ -z "$bad" ] && ok "$n bad acknowledgment options: exit 2 with a message, nothing written" ||
  fail "bad options:$bad"

# ---- an input named like another input's acknowledgment is skipped
mkdir -p "$T/nd/ack"
cp samples/prof_basic.837 "$T/nd/a.837"
cp "$T/s1/ack/prof_basic.837.999" "$T/nd/ack/a.837.999"
run_bin -o "$T/nd-out" --fail-on never --ack 999 "$T/nd" 2>"$T/err"
rc=$?
[ $rc -eq 5 ] &&
  grep -q '^cart837: skipped ack/a.837.999: another input already writes this output name (or its held/ name, or its ack/ names)$' "$T/err" &&
  cmp -s "$T/nd-out/ack/a.837.999" "$T/o9/ack/prof_basic.837.999" &&
  ok "ack/a.837.999 in an input directory is skipped: OUT/ack/a.837.999 is a.837's 999" ||
  { fail "ack/ name collision (exit $rc)"; cat "$T/err"; }

# ---- the public corpus
if [ -f "$CORPUS/INDEX.tsv" ]; then
  run_bin -q -o "$T/corpus" --fail-on never --ack 999,277 "$CORPUS" \
    2>"$T/err"
  check_run "$T/corpus" >"$T/cmp" 2>&1 &&
    ok "corpus: every 999 and 277CA passes x12ack.py, the 277CA claims are summary.txt's ($(tail -1 "$T/cmp"))" ||
    { fail "corpus"; head -30 "$T/cmp"; }
else
  skip "$CORPUS not found (corpus acknowledgments)"
fi

e2e_done
