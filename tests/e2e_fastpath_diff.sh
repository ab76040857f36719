#!/bin/sh
# e2e_fastpath_diff.sh -- the claim-level fast path against the full path
#
# Issue 14: "A differential test runs every sample, corpus file, property
# batch and fuzz input through both paths (an option that disables the
# fast path) and requires byte-identical reports and outputs."  Every run
# here is made twice, with the same arguments, from two directories
# DIR/fast and DIR/full: `cart837 ARGS` and `cart837 --no-fast-path ARGS`
# (relative output paths, inputs by the same absolute path, so that no
# message can differ by its path).  Each run leaves in its directory the
# output tree (every 837 output, held file, .unparsed rest, ack, report,
# summary, ledger), its standard output (the filter mode's 837), its
# standard error and its exit status; `diff -r DIR/fast DIR/full` must
# find no difference at all.  Nothing is excluded: the one field that
# depends on the day, the date stamped on new ledger rows, is fixed by
# --run-date, and the acknowledgments' date and time by --ack-date /
# --ack-time.
#
# The inputs and modes:
#   - every file of samples/, tests/fuzz-regress/ (the inputs the fuzzers
#     failed on) and ../shared/corpus/ (INDEX.tsv; skipped with a message
#     when absent), one run each on standard input in the filter mode
#     (`-o out -`: corrected 837 to stdout, an unparsed rest to
#     out/held/stdin.837.unparsed) and, but for the corpus, one by name
#     (the corpus is run by name as one folder, in every mode below: a
#     run costs more than a corpus file); scripts/fuzz.sh seeds the fuzzers
#     with exactly these files (samples/ and the corpus), so they are the
#     fuzz seed corpus too; FASTPATH_EXTRA=DIR adds every file of DIR
#     (e.g. build-fuzz/corpus/pipeline, the fuzzer's working corpus);
#   - batches of scripts/gen_batch.py, 837P and 837I, plain and gzip, at
#     CAR-T rates 0.05 (mostly claims the fast path takes, with voids,
#     replacements and inpatient TOB 11x claims among them) and 0.5, and
#     a gzip one without CAR-T lines (its output: the input's own
#     compressed bytes, sink_pass.c);
#   - the damaged batches of tests/property_damaged.py (its generator and
#     damage(), seeds 1..DIFF_SEEDS, default 6, of 6 files each: LX, ST,
#     SE dropped, folded lines, a bad HL02, ISA13 reused, a file named
#     like a report);
#   - directories of several files (samples/, the corpus, the batches,
#     the first damaged seed; the others in the default mode and --hold
#     none) in the default mode (corrected and held output),
#     --report-only, --hold none with --fail-on warning, --ack 999,277
#     with every output gzip (level 1), --max-lines (claims held
#     at the limit), --codes / --list-file making common plain codes and
#     revenue codes tracked, and --state: one ledger across three runs
#     (the third sends the first one's file again).
#
# It fails when the fast path's outputs differ by one byte; when a run of
# a kind that must write its reports did not (so that two runs failing
# alike cannot pass unseen); and when a run crashed.  DIFF_SEEDS widens
# the damaged batches.
#
# DIFF_A and DIFF_B are the arguments of the two runs ("-j 1" and
# "--no-fast-path" unless given: the fast path on the run's thread
# against the full path); tests/e2e_jobs.sh runs this script with "-j 1"
# against "-j 3" (files read ahead by worker threads).
. tests/lib_e2e.sh
DIFF_A=${DIFF_A--j 1}
DIFF_B=${DIFF_B---no-fast-path}
CORPUS=${CORPUS:-../shared/corpus}
SEEDS=${DIFF_SEEDS:-6}
DATE=2025-06-01
ROOT=$(pwd)
# the runs' directories in /dev/shm when it can be written: each run
# ends with a syncfs of its output file system, which on a disk shared
# with other builds costs more than the run
W=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  W=$(mktemp -d /dev/shm/c837_fpd.XXXXXX) &&
    trap 'rm -rf "$W"; e2e_cleanup' EXIT
fi
[ -n "$W" ] || W=$T/w
mkdir -p "$W" "$T/in"
k=0

# twin DIR TAG STDIN ARG...: cart837 ARG... in DIR/fast and cart837
# --no-fast-path ARG... in DIR/full (cwd), standard input from STDIN (a
# file, or - for none); stdout, stderr and exit status to TAG.out,
# TAG.err, TAG.rc there.
twin() {
  _td=$1 _tt=$2 _ti=$3
  shift 3
  [ "$_ti" = - ] && _ti=/dev/null
  k=$((k + 1))
  for _tm in fast full; do
    mkdir -p "$_td/$_tm"
    _tx=$DIFF_A
    [ $_tm = full ] && _tx=$DIFF_B
    # shellcheck disable=SC2086
    (cd "$_td/$_tm" && run_nth "$k" $_tx "$@" <"$_ti" >"$_tt.out" \
      2>"$_tt.err"
    echo $? >"$_tt.rc")
  done
}

# same DIR [QUIET]: 0 when DIR/fast and DIR/full are the same trees (the
# differences printed when not, unless QUIET is given)
same() {
  if _o=$(diff -r "$1/fast" "$1/full" 2>&1); then
    return 0
  fi
  [ -n "${2:-}" ] || printf '%s\n' "$_o" | head -30 | sed 's/^/    /'
  return 1
}

# sane DIR TAG REPORTS: the fast run of TAG exited with a status of a
# finished run (not a usage error, not a signal) and, when REPORTS is
# the output directory's name, wrote its summary.txt there
sane() {
  _rc=$(cat "$1/fast/$2.rc")
  case $_rc in
  0 | 1 | 3 | 4 | 5 | 7) ;;
  *) echo "    $1 $2: exit $_rc"; sed 's/^/    /' "$1/fast/$2.err" | head -5
     return 1 ;;
  esac
  [ -z "$3" ] || [ -f "$1/fast/$3/summary.txt" ] || {
    echo "    $1 $2: no $3/summary.txt"; return 1; }
}

# each_file LABEL HOW FILE...: every file on standard input and, when
# HOW is "both", by name too (the corpus is run by name as a folder in
# modes, one run for all its files: a run costs more than its file)
each_file() {
  _label=$1 _how=$2
  shift 2
  _n=0 _bad=0
  for _f in "$@"; do
    [ -f "$_f" ] || continue
    _n=$((_n + 1))
    _d=$W/$_label.$_n
    [ "$_how" = both ] && twin "$_d" file - -o out --run-date $DATE "$_f"
    twin "$_d" stdin "$_f" -o stdout --run-date $DATE -
    # the differences of the first 3 files that differ are printed
    _q=
    [ "$_bad" -lt 3 ] || _q=quiet
    if { [ "$_how" = both ] && ! sane "$_d" file ""; } ||
      ! sane "$_d" stdin "" || ! same "$_d" $_q; then
      _bad=$((_bad + 1))
      echo "    ($_label: differs: $_f)"
    fi
  done
  _what="on stdin"
  [ "$_how" = both ] && _what="by name and on stdin"
  if [ "$_bad" = 0 ]; then
    ok "$_label: $_n files, each $_what: identical"
  else
    fail "$_label: $_bad of $_n files differ (or a run failed) above"
  fi
}

# modes LABEL INPUT...: one directory (or several inputs) in each mode
modes() {
  _label=$1
  shift
  _bad=
  _d=$W/$_label
  twin "$_d.def" run - -o out --run-date $DATE "$@"
  twin "$_d.rep" run - -o out --run-date $DATE --report-only "$@"
  twin "$_d.none" run - -o out --run-date $DATE --hold none \
    --fail-on warning "$@"
  twin "$_d.ack" run - -o out --run-date $DATE --ack 999,277 \
    --ack-date 20250602 --ack-time 1230 --ack-control 41 --gzip \
    --gzip-level 1 "$@"
  twin "$_d.max" run - -o out --run-date $DATE --max-lines 12 "$@"
  twin "$_d.codes" run - -o out --run-date $DATE --codes "$T/codes.csv" \
    --list-file "revenue=$T/revenue.csv" "$@"
  for _m in def rep none ack max codes; do
    sane "$_d.$_m" run out && same "$_d.$_m" || _bad="$_bad $_m"
  done
  if [ -z "$_bad" ]; then
    ok "$_label: default, --report-only, --hold none, --ack --gzip, --max-lines, --codes: identical"
  else
    fail "$_label: differs (or a run failed) in:$_bad"
  fi
}

# a code table and a revenue list that make common plain codes tracked:
# the fast path must ask the run's table, not the built-in one
{
  head -1 specs/codes.csv
  for c in 99213 85025 36415 99284; do
    grep '^"38205",' specs/codes.csv | sed "s/^\"38205\"/\"$c\"/"
  done
} >"$T/codes.csv"
{
  head -1 specs/revenue.csv
  for r in 0300 0450; do
    grep '^"0871",' specs/revenue.csv | sed "s/^\"0871\"/\"$r\"/"
  done
} >"$T/revenue.csv"

# 1. samples, fuzz regressions, corpus: file by file, then as folders
each_file samples both "$ROOT"/samples/*
each_file fuzz-regress both $(find "$ROOT/tests/fuzz-regress" -type f \
  ! -name 'README*' | sort)
modes samples "$ROOT/samples"
if [ -n "${FASTPATH_EXTRA:-}" ]; then
  case $FASTPATH_EXTRA in /*) ;; *) FASTPATH_EXTRA=$ROOT/$FASTPATH_EXTRA ;; esac
  each_file extra both $(find "$FASTPATH_EXTRA" -type f | sort)
fi
if [ -f "$CORPUS/INDEX.tsv" ]; then
  C=$(cd "$CORPUS" && pwd)
  each_file corpus stdin $(awk -F'\t' -v c="$C" 'NR > 1 { print c "/" $1 }' \
    "$C/INDEX.tsv")
  modes corpus "$C"
else
  skip "$CORPUS not found: the corpus is not compared"
fi

# 2. generated batches: 837P / 837I, plain / gzip, few and many CAR-T
# claims; then the damaged batches, a folder of 6 files per seed
G=$T/in/gen
mkdir -p "$G" "$T/in/split"
"$PYTHON" - "$G" "$T/in/split" "$T/in/dmg" "$SEEDS" >"$T/gen.log" 2>&1 <<'PY'
import os, random, sys
from argparse import Namespace
sys.dont_write_bytecode = True
sys.path.insert(0, "scripts")
sys.path.insert(0, "tests")
import gen_batch  # noqa: E402
import property_damaged as pd  # noqa: E402
gen, split, dmg, seeds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
# label: gen_batch.py's arguments
BATCHES = {
    "p05": "--seed 11 --claims 400 --kind P --cart-rate 0.05 --out %s/p05.837"
           % gen,
    "p50": "--seed 12 --claims 200 --kind P --cart-rate 0.5 --gzip "
           "--out %s/p50.837.gz" % gen,
    "i05": "--seed 13 --claims 400 --kind I --cart-rate 0.05 --gzip "
           "--out %s/i05.837.gz" % gen,
    "i50": "--seed 14 --claims 200 --kind I --cart-rate 0.5 --out %s/i50.837"
           % gen,
    "mix": "--seed 15 --claims 300 --cart-rate 0.2 --out %s/mix.837" % gen,
    "p00": "--seed 17 --claims 150 --kind P --cart-rate 0 --gzip "
           "--out %s/p00.837.gz" % gen,
    "split": "--seed 16 --bytes 60K --files 3 --cart-rate 0.2 --out %s"
             % split,
}
for label, args in BATCHES.items():
    rc = gen_batch.main(["gen_batch.py"] + args.split())
    print("%s: %s" % (label, "ok" if not rc else "FAIL (%s)" % rc))
    sys.stdout.flush()
# the damaged batches exactly as property_damaged.check_seed makes them
for seed in range(1, int(seeds) + 1):
    rng = random.Random(seed)
    ind = os.path.join(dmg, str(seed))
    os.makedirs(ind)
    names = set()
    for k in range(6):
        chunks = []
        gen_batch.generate(Namespace(seed=seed * 100 + k,
                                     claims=rng.randrange(8, 40),
                                     cart_rate=0.6, bytes=None, gzip=False,
                                     files=0, kind="mixed"), chunks.append)
        text = b"".join(chunks).decode("latin-1")
        kind = rng.choice(pd.DAMAGES)
        name = "f%02d.837" % k
        if kind == "name":
            name = rng.choice([r for r in pd.RESERVED if r not in names] or
                              ["f%02d.837" % k])
        else:
            text = pd.damage(text, kind, rng)
        names.add(name)
        with open(os.path.join(ind, name), "wb") as f:
            f.write(text.encode("latin-1"))
    print("dmg%d: ok" % seed)
PY
for l in p05 p50 i05 i50 mix p00 split; do
  py_ok "$T/gen.log" $l || fail "gen_batch $l: $(py_says "$T/gen.log" $l)"
done
each_file batch both "$G"/*
modes batches "$G"

# the ledger across runs: the first split file, then the other two with
# the generated batches; the second run reads what the first saved
d=$W/state
twin "$d" run1 - -o out1 --run-date $DATE --state state.csv \
  "$T/in/split/1.837"
twin "$d" run2 - -o out2 --run-date 2025-06-02 --state state.csv \
  "$T/in/split/2.837" "$T/in/split/3.837" "$G"
# a third run sends the first file again (a resend the ledger knows)
twin "$d" run3 - -o out3 --run-date 2025-06-03 --state state.csv \
  "$T/in/split/1.837" "$ROOT/samples"
if sane "$d" run1 out1 && sane "$d" run2 out2 && sane "$d" run3 out3 &&
  [ -s "$d/fast/state.csv" ] && same "$d"; then
  ok "--state: a ledger across three runs, a resend in the third: identical (ledger included)"
else
  fail "--state: a ledger across three runs differs (or a run failed)"
fi

bad=
n=0
for s in $(seq 1 "$SEEDS"); do
  py_ok "$T/gen.log" "dmg$s" || { fail "damaged seed $s not made"; continue; }
  n=$((n + 1))
  d=$W/dmg$s
  twin "$d" run - -o out --run-date $DATE --fail-on never "$T/in/dmg/$s"
  twin "$d" none - -o none --run-date $DATE --fail-on never --hold none \
    "$T/in/dmg/$s"
  sane "$d" run out && sane "$d" none none && same "$d" || bad="$bad $s"
done
if [ -z "$bad" ]; then
  ok "damaged batches: $n seeds of 6 files, default and --hold none: identical"
else
  fail "damaged batches: seeds$bad differ (or a run failed)"
fi
modes damaged "$T/in/dmg/1"

[ -n "${FASTPATH_KEEP:-}" ] && cp -r "$W" "$FASTPATH_KEEP"
files=$(find "$W" -type f -path '*/fast/*' | wc -l)
e2e_done "$k runs made twice, $files files compared"
