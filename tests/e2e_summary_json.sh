#!/bin/sh
# e2e_summary_json.sh -- OUT/summary.json: the numbers of summary.txt for
# programs, read back with Python's json module by tests/summary_json.py
# (which parses summary.txt on its own and compares every number, the
# key set of version 1 and every edit id of C837_EDIT_MAP).
#
#  - samples/ plus a file held whole, a corrupt gzip and stdin cut, in one
#    run: every figure per file and in total equals summary.txt's, and
#    "exit" is the process's exit status (4) with its name and why;
#  - exit 0 (--fail-on never), 1 (findings), 3 (invalid input) and 5
#    (skipped) each land in "exit" with the reason that decided them;
#  - the same run twice: byte-identical summary.json;
#  - strings escaped per RFC 8259: a file name with a quote, a backslash,
#    a tab and a byte that is not UTF-8 reads back as Python decodes it;
#  - a summary.json of an earlier run is removed when the new run cannot
#    write its own (summary.txt blocked): no stale "exit" is left.
#
# Python: one tests/pyserve.py answers every summary_json.py check; three
# short programs of this script's own (a corrupt gzip, the details, the
# escaped name) and one for the four exit reasons start one each.
. tests/lib_e2e.sh

py_start

check() { # OUT EXIT: summary_json.py, its output in $T/cmp
  py summary_json "$1" "$2" >"$T/cmp"
}

# a file held whole, a corrupt gzip (fails), the same cut on stdin
head -c 3000 samples/prof_basic.837 >"$T/cut.837"
gzip -c samples/prof_basic.837 >"$T/bad.837.gz"
"$PYTHON" - "$T/bad.837.gz" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-6] ^= 0xFF
open(sys.argv[1], "wb").write(b)
PY

run_bin -q -o "$T/a" samples "$T/cut.837" "$T/bad.837.gz" - \
  <"$T/cut.837" >/dev/null 2>"$T/err"
rc=$?
check "$T/a" $rc &&
  [ $rc -eq 4 ] &&
  grep -q '^  held whole: ' "$T/a/summary.txt" &&
  grep -q '^  unparsed rest: ' "$T/a/summary.txt" &&
  grep -q '^  status: EGZIP: ' "$T/a/summary.txt" &&
  grep -q '^  skipped: ' "$T/a/summary.txt" &&
  ok "samples + held whole + failed + stdin cut: every number equals summary.txt's, exit 4 ($(cat "$T/cmp"))" ||
  { fail "summary.json vs summary.txt (exit $rc)"; cat "$T/cmp" "$T/err"; }
"$PYTHON" - "$T/a/summary.json" >"$T/got" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
x = d["exit"]
print(x["status"], x["name"], x["why"].split(":")[0],
      "bad.837.gz" in x["why"])
f = {f["name"]: f for f in d["files"]}
print(f["cut.837"]["counted"], f["cut.837"]["held_whole"],
      f["cut.837"]["claims"]["read"], f["cut.837"]["claims_before_error"])
print(f["stdin.837"]["status"], f["stdin.837"]["unparsed_bytes"] > 0,
      f["stdin.837"]["claims"]["read"])
print(f["README.md"]["skipped"], f["README.md"]["status"])
PY
cat >"$T/want" <<'X'
4 io_error I/O error, or an output refused True
False True None 6
ETRUNC True 6
True None
X
cmp -s "$T/got" "$T/want" &&
  ok "exit 4 names the corrupt gzip; held whole: counted false, claims null; stdin: ETRUNC with its rest; skipped: status null" ||
  { fail "summary.json details"; diff "$T/want" "$T/got"; }

run_bin -q -o "$T/b" samples "$T/cut.837" "$T/bad.837.gz" - \
  <"$T/cut.837" >/dev/null 2>&1
cmp -s "$T/a/summary.json" "$T/b/summary.json" &&
  ok "the same run twice: byte-identical summary.json" ||
  fail "summary.json differs between two runs"

# ---- each exit status with its reason
why() { # OUT...: status, name and why of each on one line
  "$PYTHON" -c 'import json,sys
for f in sys.argv[1:]:
    x = json.load(open(f + "/summary.json"))["exit"]
    print(x["status"], x["name"], x["why"])' "$@"
}
run_bin -q -o "$T/e0" --fail-on never samples/cart_prof.837 2>/dev/null
rc0=$?
run_bin -q -o "$T/e1" samples/cart_prof.837 2>/dev/null
rc1=$?
run_bin -q -o "$T/e3" samples/prof_basic.837 "$T/cut.837" 2>/dev/null
rc3=$?
run_bin -q -o "$T/e5" --fail-on never samples 2>/dev/null
rc5=$?
why "$T/e0" "$T/e1" "$T/e3" "$T/e5" >"$T/got"
e=$(sed -n 's/^  findings: \([0-9]*\) error, \([0-9]*\) warning, \([0-9]*\) info$/\1 error, \2 warning, \3 info/p' "$T/e1/summary.txt" | tail -1)
cat >"$T/want" <<X
0 ok findings do not set the exit status (--fail-on never): $e findings
1 findings a finding reached --fail-on (--fail-on error): $e findings
3 invalid_input invalid input: 1 input; the first: cut.837: ETRUNC: $(sed -n 's/^  status: ETRUNC: //p' "$T/e3/summary.txt")
5 skipped some inputs were skipped: 1 input; the first: README.md: skipped: $(sed -n 's/^  skipped: //p' "$T/e5/summary.txt")
X
[ "$rc0 $rc1 $rc3 $rc5" = "0 1 3 5" ] && cmp -s "$T/got" "$T/want" &&
  check "$T/e0" 0 && check "$T/e1" 1 && check "$T/e3" 3 && check "$T/e5" 5 &&
  ok "exit 0, 1, 3 and 5 in summary.json with the reason that decided each" ||
  { fail "exit statuses ($rc0 $rc1 $rc3 $rc5)"; diff "$T/want" "$T/got"; cat "$T/cmp"; }

# ---- RFC 8259 strings: a name with a quote, a backslash, a tab, 0xFF
mkdir -p "$T/names"
weird=$(printf 'we"ird\\na\tme\377.837')
cp samples/prof_basic.837 "$T/names/$weird"
run_bin -q -o "$T/n" --fail-on never "$T/names" 2>/dev/null
"$PYTHON" - "$T/n/summary.json" "$T/names" >"$T/got" 2>&1 <<'PY'
import json, os, sys
raw = open(sys.argv[1], "rb").read()
doc = json.loads(raw.decode("utf-8"))  # valid UTF-8 and JSON
name = os.listdir(os.fsencode(sys.argv[2]))[0]
want = name.decode("utf-8", "replace")
got = doc["files"][0]["name"]
print(got == want, b"\\ufffd" in raw, b'we\\"ird\\\\na\\tme' in raw)
PY
[ "$(cat "$T/got")" = "True True True" ] && check "$T/n" 0 &&
  ok "a file name with '\"', '\\\\', a tab and 0xFF: escaped per RFC 8259, 0xFF as \\\\ufffd" ||
  { fail "escaping"; cat "$T/got" "$T/cmp"; }

# ---- no stale summary.json
mkdir -p "$T/st/summary.txt"
echo '{"exit": {"status": 0}}' >"$T/st/summary.json"
run_bin -q -o "$T/st" --fail-on never samples/prof_basic.837 \
  2>"$T/err"
rc=$?
[ $rc -eq 4 ] && [ ! -e "$T/st/summary.json" ] &&
  ok "summary.txt cannot be written (exit 4): the earlier summary.json is gone, none written" ||
  { fail "stale summary.json (exit $rc)"; ls -la "$T/st"; cat "$T/err"; }

e2e_done
