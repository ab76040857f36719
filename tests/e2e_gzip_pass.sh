#!/bin/sh
# e2e_gzip_pass.sh -- gzip in, gzip out: an unchanged file goes out as the
# input's own compressed bytes; a changed one is compressed (off the
# parsing thread) at --gzip-level
#
#   1. Unchanged inputs (prof_basic, inst_basic, a generated 2 MB batch
#      without CAR-T claims; compressed with gzip -9 and -1, so that a
#      recompression at cart837's level 6 could not give the same bytes):
#      the corrected output is byte-identical to the input file (cmp),
#      with and without --gzip-level, and the plain run's output is the
#      plain input (the file really is unchanged).  A two-member gzip
#      input (two files concatenated) passes through as it is too.
#      Every corpus file (../shared/corpus) whose plain output is its
#      input, gzipped, passes through in one run over a directory.
#   2. Changed inputs (cart_prof: fixed and held claims; the generated
#      batch with cart_prof appended, so that the first change comes
#      megabytes in and the prefix is read again): every output
#      decompresses to the plain run's, the reports are the plain run's,
#      (the file name column aside), --gzip-level 1 and 9 give different
#      compressed bytes (the level applies to recompressed files), and the
#      default output is exactly gzip -6 of the plain run's output.
#   3. The deflate thread's failures come back: a gzip standard output on
#      /dev/full (exit 4, "cannot write standard output: No space left on
#      device"); a changed file's output past RLIMIT_FSIZE (exit 4,
#      "File too large", no output of it, no temporary file).
#
# Run from the repository root with BIN=/abs/path/to/cart837 (make e2e
# does).
. tests/lib_e2e.sh

mkdir -p "$T/in" "$T/gen"
"$PYTHON" scripts/gen_batch.py --seed 1415 --bytes 2M --cart-rate 0 \
  --out "$T/gen/calm.837" 2>/dev/null || { fail "generator"; e2e_done; }
cp samples/prof_basic.837 samples/inst_basic.837 "$T/in/"
cp "$T/gen/calm.837" "$T/in/calm.837"

# ---- 1. unchanged ---------------------------------------------------------
for lv in 9 1; do
  for f in prof_basic inst_basic calm; do
    gzip -$lv -c "$T/in/$f.837" >"$T/in/$f.$lv.837.gz"
  done
done
# two members: the first half at -1, the rest at -9
head -c 1000000 "$T/in/calm.837" | gzip -1 -c >"$T/in/two.837.gz"
tail -c +1000001 "$T/in/calm.837" | gzip -9 -c >>"$T/in/two.837.gz"
gzip -dc "$T/in/two.837.gz" | cmp -s - "$T/in/calm.837" ||
  fail "two.837.gz does not decompress to calm.837"

for f in prof_basic inst_basic calm; do
  run_bin -q -o "$T/plain" --fail-on never "$T/in/$f.837" 2>"$T/e" ||
    fail "plain $f: $(cat "$T/e")"
  cmp -s "$T/in/$f.837" "$T/plain/$f.837" ||
    fail "plain $f: the corrected output is not the input (the test needs an unchanged file)"
done
for opt in "" "--gzip-level 1"; do
  for g in prof_basic.9 inst_basic.9 calm.9 calm.1 two; do
    rm -rf "$T/u"
    # shellcheck disable=SC2086
    run_bin -q -o "$T/u" $opt --fail-on never "$T/in/$g.837.gz" 2>"$T/e"
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$T/in/$g.837.gz" "$T/u/$g.837.gz" &&
       [ ! -e "$T/u/held/$g.837.gz" ]; then
      ok "unchanged $g.837.gz ${opt:-(default level)}: output is the input's bytes"
    else
      fail "unchanged $g.837.gz ${opt:-(default level)}: rc $rc, output differs from the input file: $(cat "$T/e")"
    fi
  done
done

CORPUS=../shared/corpus
if [ -f "$CORPUS/INDEX.tsv" ]; then
  mkdir -p "$T/corp" "$T/corpz"
  tail -n +2 "$CORPUS/INDEX.tsv" | cut -f1 | while read -r rel; do
    cp "$CORPUS/$rel" "$T/corp/" 2>/dev/null
  done
  run_bin -q -o "$T/corp_o" --no-progress --fail-on never "$T/corp" \
    2>/dev/null
  n=0
  for f in "$T/corp"/*; do
    b=${f##*/}
    if cmp -s "$f" "$T/corp_o/$b"; then
      gzip -9 -c "$f" >"$T/corpz/$b.gz"
      n=$((n + 1))
    fi
  done
  run_bin -q -o "$T/corpz_o" --no-progress --fail-on never "$T/corpz" \
    2>/dev/null
  bad=
  for f in "$T/corpz"/*.gz; do
    cmp -s "$f" "$T/corpz_o/${f##*/}" || bad="$bad ${f##*/}"
  done
  [ "$n" -gt 20 ] && [ -z "$bad" ] &&
    ok "corpus: the $n files that come out unchanged, gzipped, pass through as their own bytes" ||
    fail "corpus ($n unchanged files): not passed through:$bad"
else
  skip "$CORPUS not found: corpus gzip pass-through not tested"
fi

# ---- 2. changed ---------------------------------------------------------
cp samples/cart_prof.837 "$T/in/cart_prof.837"
cat "$T/in/calm.837" samples/cart_prof.837 >"$T/in/late.837"
for f in cart_prof late; do
  gzip -9 -c "$T/in/$f.837" >"$T/in/$f.837.gz"
  run_bin -q -o "$T/p_$f" --fail-on never "$T/in/$f.837" 2>"$T/e" ||
    fail "plain $f: $(cat "$T/e")"
  [ -s "$T/p_$f/$f.837" ] && [ -s "$T/p_$f/held/$f.837" ] &&
    ! cmp -s "$T/p_$f/$f.837" "$T/in/$f.837" ||
    fail "plain $f: the test needs fixed and held claims"
  for lv in default 1 9; do
    if [ $lv = default ]; then set --; else set -- --gzip-level $lv; fi
    run_bin -q -o "$T/z_${f}_$lv" "$@" --fail-on never "$T/in/$f.837.gz" \
      2>"$T/e"
    rc=$?
    d=$T/z_${f}_$lv
    if [ $rc -eq 0 ] &&
       gzip -dc "$d/$f.837.gz" 2>/dev/null | cmp -s - "$T/p_$f/$f.837" &&
       gzip -dc "$d/held/$f.837.gz" 2>/dev/null |
         cmp -s - "$T/p_$f/held/$f.837" &&
       sed "s/\"$f\\.837\\.gz\"/\"$f.837\"/" "$d/findings.csv" |
         cmp -s - "$T/p_$f/findings.csv" &&
       sed "s/\"$f\\.837\\.gz\"/\"$f.837\"/" "$d/lines.csv" |
         cmp -s - "$T/p_$f/lines.csv"; then
      ok "changed $f.837.gz, level $lv: outputs decompress to the plain run's, same reports"
    else
      fail "changed $f.837.gz, level $lv: rc $rc, outputs differ from the plain run's: $(cat "$T/e")"
    fi
  done
  cmp -s "$T/z_${f}_1/$f.837.gz" "$T/z_${f}_9/$f.837.gz" &&
    fail "changed $f: levels 1 and 9 gave the same bytes (--gzip-level ignored)"
  cmp -s "$T/z_${f}_default/$f.837.gz" "$T/in/$f.837.gz" &&
    fail "changed $f: the output is the input's bytes"
  # zlib at level 6 in one call (gzip(1)'s own header and deflate differ)
  "$PYTHON" -c '
import sys, zlib
c = zlib.compressobj(6, zlib.DEFLATED, 31)
sys.stdout.buffer.write(c.compress(open(sys.argv[1], "rb").read()) + c.flush())
' "$T/p_$f/$f.837" | cmp -s - "$T/z_${f}_default/$f.837.gz" &&
    ok "changed $f: the default output is zlib level 6 of the corrected bytes" ||
    fail "changed $f: the default output is not zlib level 6 of the corrected bytes"
done

# ---- 3. failures of the deflate thread ------------------------------------
if [ -w /dev/full ]; then
  run_bin -o "$T/full_o" --no-progress --gzip --fail-on never - \
    <"$T/in/late.837" >/dev/full 2>"$T/e"
  rc=$?
  [ $rc -eq 4 ] &&
    grep -q "cannot write standard output: No space left on device" "$T/e" &&
    ok "gzip standard output on /dev/full: exit 4, the reason" ||
    fail "gzip standard output on /dev/full: rc $rc: $(cat "$T/e")"
else
  skip "/dev/full not writable"
fi
# late.837's output at --gzip-level 0 (stored: 2.1 MB, most of it the
# prefix read again) passes the limit; the report spool (about 250
# bytes a claim, 1.3 MB) stays below it
mkdir -p "$T/lim"
cp "$T/in/late.837.gz" "$T/lim/"
"$PYTHON" -c '
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2)
os.execv(sys.argv[2], sys.argv[2:])' 1700000 "$BIN" --no-progress \
  -o "$T/lim_o" --gzip-level 0 --fail-on never "$T/lim" 2>"$T/e"
rc=$?
[ $rc -eq 4 ] &&
  grep -q "cart837: late.837.gz: cannot write $T/lim_o/late.837.gz: File too large" "$T/e" &&
  [ ! -e "$T/lim_o/late.837.gz" ] && [ ! -e "$T/lim_o/held/late.837.gz" ] &&
  [ -z "$(find "$T/lim_o" -name '.*tmp-*')" ] &&
  ok "changed output past RLIMIT_FSIZE: exit 4, the file and reason, no output, no temporary file" ||
  fail "changed output past RLIMIT_FSIZE: rc $rc: $(cat "$T/e")"

e2e_done
