#!/bin/sh
# e2e_x12check.sh -- the independent checker and what it says of our outputs
#
#  1. tests/test_x12check.py: each rule of tests/x12check.py on a valid
#     file and on a broken one (exact messages).
#  2. The public corpus (../shared/corpus, skipped when absent) with
#     CAR-T codes planted in its 837P / 837I files (the service lines'
#     HC codes replaced by 38225, 38226, Q2041, 38228 in turn, so that the
#     edits fix and hold claims), through one run: every corrected and
#     held output has no x12check violation that its input has not
#     (--new-list: real files carry their own faults), and its claims
#     are conserved (--conserve-list).
# The samples' outputs are checked by the full rule set in
# e2e_samples.sh.
. tests/lib_e2e.sh
PY=${PY:-$PYTHON}
CORPUS=${CORPUS:-../shared/corpus}

$PY tests/test_x12check.py >"$T/self" 2>&1 && ok "$(tail -1 "$T/self")" ||
  { fail "tests/test_x12check.py"; cat "$T/self"; }

if [ ! -f "$CORPUS/INDEX.tsv" ]; then
  skip "$CORPUS not found (corpus part of e2e_x12check.sh)"
else
  mkdir -p "$T/in"
  $PY - "$CORPUS" "$T/in" <<'PYEOF' >"$T/plant" 2>&1
import os, sys
corpus, out = sys.argv[1], sys.argv[2]
codes = ["38225", "38226", "Q2041", "38228"]
n = 0
for line in open(os.path.join(corpus, "INDEX.tsv")):
    f = line.rstrip("\n").split("\t")
    if f[0] == "file" or f[5] not in ("837P", "837I"):
        continue
    data = open(os.path.join(corpus, f[0]), "rb").read()
    if data[:2] == b"\x1f\x8b":
        continue
    t = data.decode("latin-1")
    i = t.find("ISA")
    if i < 0:
        continue
    es, k, j = t[i + 3], 0, i + 3
    while j < len(t) and k < 16:
        k += t[j] == es
        j += 1
    if k < 16 or j + 1 >= len(t):
        continue
    cs, term = t[j], t[j + 1]
    segs, m = t.split(term), 0
    for x, sg in enumerate(segs):
        body = sg.lstrip("\r\n \t")
        for tag, at in (("SV1", 1), ("SV2", 2)):
            e = body.split(es)
            if e[0] == tag and len(e) > at and e[at].startswith("HC" + cs):
                c = e[at].split(cs)
                c[1] = codes[m % len(codes)]
                m += 1
                e[at] = cs.join(c)
                segs[x] = sg[:len(sg) - len(body)] + es.join(e)
    if m:
        n += 1
        with open(os.path.join(out, f[0].replace("/", "_")), "wb") as w:
            w.write(term.join(segs).encode("latin-1"))
print("planted CAR-T codes in %d corpus files" % n)
PYEOF
  n=$(ls "$T/in" | wc -l)
  [ "$n" -gt 50 ] && ok "$(cat "$T/plant")" ||
    { fail "planting: $n files"; cat "$T/plant"; }
  run_bin -o "$T/out" --no-progress -q --fail-on never "$T/in" \
    2>"$T/err"
  rc=$?
  [ $rc -eq 0 ] || [ $rc -eq 3 ] && ok "planted corpus: exit $rc" ||
    { fail "planted corpus: exit $rc"; tail -5 "$T/err"; }
  : >"$T/new.tsv"
  : >"$T/cons.tsv"
  for f in "$T"/in/*; do
    b=$(basename "$f")
    o="$T/out/$b"; [ -f "$o" ] || o=/dev/null
    h="$T/out/held/$b"
    if [ -f "$h" ]; then
      printf '%s\t%s\t%s\n' "$f" "$o" "$h" >>"$T/new.tsv"
      printf '%s\t%s\t%s\n' "$f" "$o" "$h" >>"$T/cons.tsv"
    else
      printf '%s\t%s\n' "$f" "$o" >>"$T/new.tsv"
      printf '%s\t%s\n' "$f" "$o" >>"$T/cons.tsv"
    fi
  done
  $PY tests/x12check.py --new-list "$T/new.tsv" >"$T/new" 2>&1 &&
    ok "planted corpus: $n files, the outputs bring in no x12check violation" ||
    { fail "planted corpus: x12check violations the inputs have not:"
      head -20 "$T/new"; }
  $PY tests/x12check.py --conserve-list "$T/cons.tsv" >"$T/cons" 2>&1 &&
    ok "planted corpus: claims conserved" ||
    { fail "planted corpus: claims not conserved:"; grep -v ' = ' "$T/cons" |
      head -20; }
  held=$(ls "$T/out/held" 2>/dev/null | wc -l)
  [ "$held" -gt 0 ] && ok "planted corpus: $held held outputs checked" ||
    fail "planted corpus: nothing held (the planting did not bite)"
fi
e2e_done
