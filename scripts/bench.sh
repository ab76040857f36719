#!/bin/sh
# bench.sh -- the targets of issue 14 (speed, memory, linearity), measured
# in one run beside their baselines
#
# Usage: sh scripts/bench.sh path/to/cart837     (make bench runs it on
#        build/cart837; it is never part of make test)
#
# Inputs, generated with scripts/gen_batch.py (about 1% of the claims with
# CAR-T lines) and cached under BENCH_DIR, named by their parameters
# (delete them to regenerate):
#   batch-SIZE-kK-rRATE-sSEED.837[.gz]  one large file of 837P (K = P) or
#                      837I (K = I) groups only; above BENCH_PART it is
#                      made of parts generated side by side (seeds SEED,
#                      SEED+1, ...) and concatenated (an 837 file may hold
#                      many interchanges back to back); .gz is a gzip -6
#                      copy
#   the 837P batch again at BENCH_LINEAR (the linearity comparison)
#   an 837P batch at BENCH_LINEAR without CAR-T claims (--cart-rate 0), .gz:
#                      an untouched drop, whose output is its input (the
#                      "clean" rows: zcat, and gzip in+out passed through)
#   small-NxFSIZE-kP-rRATE-sSEED/  N files of about FSIZE, complete
#                      interchanges (gen_batch.py --files), 837P
#   drop-64x1M-kP-r0-sSEED/  64 files of about 1 MB of 837P without CAR-T
#                      lines (every file can be read ahead by -j)
#   ledger-N.csv       N remembered CAR-T lines (scripts/gen_ledger.py)
# and BENCH_DIR/memchr_baseline, built from scripts/memchr_baseline.c with
# cc -O2.
#
# Every row is run BENCH_RUNS times from the page cache (the inputs are
# read once first) under /usr/bin/time -v; the table shows the MEDIAN of
# the wall-clock times (taken around the call, time -v rounds to 10 ms)
# and the LARGEST peak RSS of the runs.  MB = 10^6 bytes of uncompressed
# input.  Rows, for the 837P and the 837I batch:
#   memchr          read() in 1 MB chunks + memchr for '~' (the one-pass
#                   ceiling; scripts/memchr_baseline.c)
#   stats           cart837 stats F
#   report-only     cart837 -q -o OUT --report-only --fail-on never F
#   full            cart837 -q -o OUT --fail-on never F (corrected and
#                   held 837 written; -j as its default, the cores)
#   full -j1        the same with -j 1 (837P only: -j N on one file)
#   full no-fast    the same with --no-fast-path (every claim judged in
#                   full: what the claim-level fast path saves)
#   zcat            zcat F.gz (the gzip rows' baseline)
#   gzip in+out     full on F.gz: gzip in, gzip out (as the input) at the
#                   default --gzip-level (6)
#   gzip in+out -1  the same with --gzip-level 1
#   gzip -6         gzip -6 -c F: what deflating at cart837's level costs
# with memchr and full on the 837P batch at BENCH_LINEAR right after the
# large 837P batch's full row; then memchr, full and full -j1 over the
# directory of small files, full -j1 and full over the directory of files
# without CAR-T lines, and report-only --state-readonly over
# a one-claim input with an empty ledger and with one of
# BENCH_LEDGER_LINES lines (their peak RSS difference over N is the
# memory of one remembered line).
#
# Then one line per target of issue 14: measured, target, MET or MISSED.  "Peak RSS apart from the remembered lines" is a row's
# peak RSS less its CAR-T lines (summary.txt) times the measured bytes per
# remembered line.  The exit status is 1 when a measured command failed,
# else 0 (a MISSED target does not change it).
#
# Environment (defaults in brackets):
#   BENCH_SIZE       the large files [256M; the issue's figure is 1G, then
#                    BENCH_LINEAR=5G checks linearity upwards]
#   BENCH_LINEAR     the linearity comparison's size [a quarter of
#                    BENCH_SIZE]
#   BENCH_RUNS       runs per row [3]
#   BENCH_FILES      number of small files [10000, fewer when they would
#                    hold more than BENCH_SIZE]
#   BENCH_FILE_SIZE  size of each small file [10K]
#   BENCH_CART_RATE  gen_batch.py --cart-rate [0.01]
#   BENCH_SEED       gen_batch.py --seed of the first part [837]
#   BENCH_PART       size of the generated parts of a large file [128M]
#   BENCH_JOBS       generators run at once [nproc]
#   BENCH_DIR        inputs, outputs, results [build/bench]
#   BENCH_TIMEOUT    seconds one measured command may take [1800]
#   BENCH_LEDGER_LINES   lines of the ledger for the memory rows
#                    [1000000; 0 skips the ledger rows]
#   BENCH_ONLY       "ledger": only the ledger rows and the bytes per
#                    remembered line (no batch generated or run) [all]
#   PYTHON, CC       [python3, cc]

set -u
BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "usage: sh scripts/bench.sh path/to/cart837" >&2
  exit 2
fi
HERE=$(dirname "$0")
ONLY=${BENCH_ONLY:-}
case "$ONLY" in '' | ledger) ;; *)
  echo "bench: BENCH_ONLY must be empty or 'ledger'" >&2; exit 2 ;;
esac
GEN=$HERE/gen_batch.py
DIR=${BENCH_DIR:-build/bench}
SIZE=${BENCH_SIZE:-256M}
RUNS=${BENCH_RUNS:-3}
FSIZE=${BENCH_FILE_SIZE:-10K}
RATE=${BENCH_CART_RATE:-0.01}
SEED=${BENCH_SEED:-837}
PART=${BENCH_PART:-128M}
JOBS=${BENCH_JOBS:-$(nproc 2>/dev/null || echo 1)}
LIMIT=${BENCH_TIMEOUT:-1800}
LLINES=${BENCH_LEDGER_LINES:-1000000}
PYTHON=${PYTHON:-python3}
CC=${CC:-cc}
TIME=/usr/bin/time
# targets of issue 14
T_FULL=0.6      # full >= 0.6 x memchr (837P and 837I)
T_RO=0.8        # report-only and stats >= 0.8 x memchr
T_ZCAT=0.9      # gzip in, gzip out >= 0.9 x zcat
T_FILES=0.5     # 10,000 files of 10 KB >= 0.5 x one big file, full job
T_RSS=16384     # peak RSS <= 16 MB apart from the remembered lines (KB)
T_LINE=150      # bytes per remembered CAR-T line, a million of them
T_LIN=0.1       # linear: MB/s at both sizes within 10 %
T_SAME=1024     # linear: peak RSS (apart from remembered lines) within 1 MB
T_JOBS=1.7      # -j N >= 1.7 x -j 1 on a batch of many files
T_JONE=0.95     # -j N no slower than -j 1 on one file (5 % for noise)

# bytes SIZE: SIZE with suffix K, M, G (powers of 1024, as gen_batch.py)
bytes() {
  echo "$1" | awk '{ s = toupper($0); sub(/B$/, "", s); m = 1
    if (s ~ /K$/) m = 1024; else if (s ~ /M$/) m = 1048576
    else if (s ~ /G$/) m = 1073741824
    sub(/[KMG]$/, "", s); printf "%.0f\n", s * m }'
}
LIN=${BENCH_LINEAR:-$(($(bytes "$SIZE") / 4))}

case "$RUNS" in '' | *[!0-9]* | 0)
  echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2 ;;
esac
if [ -z "${BENCH_FILES:-}" ]; then
  FILES=$(($(bytes "$SIZE") / $(bytes "$FSIZE")))
  [ "$FILES" -gt 10000 ] && FILES=10000
  [ "$FILES" -lt 1 ] && FILES=1
else
  FILES=$BENCH_FILES
fi

if [ ! -x "$TIME" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing the 'time' package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq time > /dev/null || exit 1
  else
    echo "bench: /usr/bin/time missing; run: sudo apt-get install -y time" >&2
    exit 1
  fi
fi
mkdir -p "$DIR" || exit 1

# ---- inputs --------------------------------------------------------------

# make_batch SIZE KIND: sets F to the cached batch of SIZE of KIND (P or I)
# and F.gz, making them when missing: parts of BENCH_PART bytes,
# BENCH_JOBS at a time, appended in seed order.
make_batch() {
  F="$DIR/batch-$1-k$2-r$RATE-s$SEED.837"
  if [ ! -s "$F" ]; then
    total=$(bytes "$1")
    part=$(bytes "$PART")
    n=$(((total + part - 1) / part))
    echo "bench: generating $F ($1 in $n part(s), $JOBS at a time) ..." >&2
    : > "$F.tmp" || exit 1
    i=0
    while [ $i -lt $n ]; do
      list=""
      j=0
      while [ $j -lt "$JOBS" ] && [ $i -lt $n ]; do
        b=$part
        [ $i = $((n - 1)) ] && b=$((total - i * part))
        "$PYTHON" "$GEN" --seed $((SEED + i)) --bytes $b --cart-rate "$RATE" \
          --kind "$2" --out "$F.part$i" 2> "$F.part$i.log" &
        list="$list $i"
        i=$((i + 1))
        j=$((j + 1))
      done
      wait
      for k in $list; do
        if [ ! -s "$F.part$k" ]; then
          echo "bench: generating part $k failed:" >&2
          cat "$F.part$k.log" >&2
          exit 1
        fi
        cat "$F.part$k" >> "$F.tmp" || exit 1
        rm -f "$F.part$k" "$F.part$k.log"
      done
    done
    mv "$F.tmp" "$F"
  fi
  if [ ! -s "$F.gz" ]; then
    echo "bench: compressing $F (gzip -6) ..." >&2
    gzip -6 -c "$F" > "$F.gz.tmp" && mv "$F.gz.tmp" "$F.gz" || exit 1
  fi
}

# make_files: sets D to the cached directory of FILES small 837P files.
make_files() {
  D="$DIR/small-${FILES}x$FSIZE-kP-r$RATE-s$SEED"
  [ -d "$D" ] && return
  echo "bench: generating $D ($FILES files of about $FSIZE) ..." >&2
  rm -rf "$D.tmp"
  "$PYTHON" "$GEN" --seed "$SEED" --bytes "$FSIZE" --files "$FILES" \
    --cart-rate "$RATE" --kind P --out "$D.tmp" 2> "$DIR/small.log" &&
    mv "$D.tmp" "$D" || { cat "$DIR/small.log" >&2; exit 1; }
}

# make_drop: sets DROP to the cached directory of 64 files of 1 MB of
# 837P without CAR-T lines (a drop every file of which -j reads ahead)
make_drop() {
  DROP="$DIR/drop-64x1M-kP-r0-s$SEED"
  [ -d "$DROP" ] && return
  echo "bench: generating $DROP (64 files of about 1M, no CAR-T) ..." >&2
  rm -rf "$DROP.tmp"
  "$PYTHON" "$GEN" --seed "$SEED" --bytes 1M --files 64 --cart-rate 0 \
    --kind P --out "$DROP.tmp" 2> "$DIR/drop.log" &&
    mv "$DROP.tmp" "$DROP" || { cat "$DIR/drop.log" >&2; exit 1; }
}

MEMCHR=$DIR/memchr_baseline
if [ ! -x "$MEMCHR" ] || [ "$HERE/memchr_baseline.c" -nt "$MEMCHR" ]; then
  $CC -O2 -o "$MEMCHR" "$HERE/memchr_baseline.c" || exit 1
fi

if [ -z "$ONLY" ]; then
  make_batch "$SIZE" P
  FP=$F
  make_batch "$SIZE" I
  FI=$F
  make_batch "$LIN" P
  FLIN=$F
  # an untouched drop: the linear size without CAR-T claims, whose output
  # is its input (the gzip pass-through)
  RATE_SAVED=$RATE
  RATE=0
  make_batch "$LIN" P
  FCLEAN=$F
  RATE=$RATE_SAVED
  make_files
  make_drop
fi

# ---- measuring -----------------------------------------------------------

RES=$DIR/results.tsv
OUT=$DIR/out
TMPF=$DIR/time.out
: > "$RES"
FAILED=0

# measure CMD...: runs CMD once under time -v, standard output to
# /dev/null; sets SECS, RSS (KB) and RC.
measure() {
  t0=$(date +%s%N)
  "$TIME" -v "$@" > /dev/null 2> "$TMPF"
  RC=$?
  t1=$(date +%s%N)
  SECS=$(awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.4f", ns / 1e9 }')
  RSS=$(awk '/Maximum resident set size/ { m = $NF } END { print m + 0 }' \
    "$TMPF")
}

# row SET MODE INPUT BYTES KIND CMD...: runs CMD BENCH_RUNS times (a
# cart837 KIND "cart" with an empty OUT before each run, its claims and
# CAR-T lines read from OUT/summary.txt) and appends to RES: set, mode,
# input, bytes, median seconds, largest peak RSS, claims, kind, exit
# status, CAR-T lines.
row() {
  set_=$1 mode=$2 input=$3 nbytes=$4 kind=$5
  shift 5
  printf 'bench: %-9s %-15s x%s ...' "$set_" "$mode" "$RUNS" >&2
  times="" maxrss=0 claims=- cart=0 status=0 r=0
  while [ $r -lt "$RUNS" ]; do
    # the previous run's outputs moved aside, deleted after the row: a
    # deletion of thousands of files just before a run slows its file
    # creation on ext4 (the allocator steps over recently deleted
    # inodes; specs/performance.md), which is the bench's cost, not the
    # tool's
    [ -e "$OUT" ] && mv "$OUT" "$OUT.prev$r"
    measure timeout "$LIMIT" "$@"
    if [ "$RC" != 0 ]; then
      status=$RC
      echo >&2
      echo "bench: $mode on $input exited with $RC:" >&2
      grep -v '^	' "$TMPF" | head -5 >&2
      FAILED=1
      break
    fi
    times="$times $SECS"
    [ "$RSS" -gt "$maxrss" ] && maxrss=$RSS
    r=$((r + 1))
  done
  if [ "$kind" = cart ] && [ "$status" = 0 ]; then
    claims=$(awk '/^total:/ { t = 1 } t && /^  claims read:/ { print $3; exit }' \
      "$OUT/summary.txt" 2>/dev/null)
    cart=$(awk '/^total:/ { t = 1 } t && /^  CAR-T lines:/ { print $3; exit }' \
      "$OUT/summary.txt" 2>/dev/null)
    [ -n "$claims" ] || claims=-
    [ -n "$cart" ] || cart=0
  fi
  med=$(echo $times | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]
          else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set_" "$mode" \
    "$input" "$nbytes" "$med" "$maxrss" "$claims" "$kind" "$status" \
    "$cart" >> "$RES"
  if [ "$status" = 0 ]; then echo " $med s" >&2; else echo "bench: $mode failed" >&2; fi
  if [ -n "${KEEP_OUT:-}" ]; then
    # kept until the rows compared with this one have run (keep_done)
    k_=0
    for p_ in "$OUT" "$OUT".prev*; do
      [ -e "$p_" ] && mv "$p_" "$OUT.kept.$KEPT.$k_" && k_=$((k_ + 1))
    done
    KEPT=$((KEPT + 1))
  else
    rm -rf "$OUT" "$OUT".prev*
  fi
}
KEPT=0

# keep_done: deletes the outputs the rows run with KEEP_OUT kept
keep_done() {
  rm -rf "$OUT".kept.*
  KEPT=0
}

# linear_rows: memchr and full on the 837P batch at BENCH_LINEAR, run
# right after the large 837P batch's full rows (the nearer in time, the
# more alike the machine's load)
linear_rows() {
  nl=$(wc -c < "$FLIN" | tr -d ' ')
  cat "$FLIN" > /dev/null
  row linear memchr "$(basename "$FLIN")" "$nl" base "$MEMCHR" "$FLIN"
  row linear full "$(basename "$FLIN")" "$nl" cart "$BIN" -q -o "$OUT" \
    --fail-on never "$FLIN"
}

# one_file SET FILE: the rows of one large file and its .gz copy
one_file() {
  f=$2
  b=$(basename "$f")
  n=$(wc -c < "$f" | tr -d ' ')
  cat "$f" "$f.gz" > /dev/null # into the page cache
  row "$1" memchr "$b" "$n" base "$MEMCHR" "$f"
  row "$1" stats "$b" "$n" stats "$BIN" stats "$f"
  row "$1" report-only "$b" "$n" cart "$BIN" -q -o "$OUT" \
    --report-only --fail-on never "$f"
  row "$1" full "$b" "$n" cart "$BIN" -q -o "$OUT" --fail-on never "$f"
  [ "$1" = 837P ] && row "$1" "full -j1" "$b" "$n" cart "$BIN" -q -j 1 \
    -o "$OUT" --fail-on never "$f"
  row "$1" "full no-fast" "$b" "$n" cart "$BIN" -q -o "$OUT" \
    --fail-on never --no-fast-path "$f"
  [ "$1" = 837P ] && linear_rows
  row "$1" zcat "$b.gz" "$n" base zcat "$f.gz"
  row "$1" "gzip in+out" "$b.gz" "$n" cart "$BIN" -q -o "$OUT" \
    --fail-on never "$f.gz"
  row "$1" "gzip in+out -1" "$b.gz" "$n" cart "$BIN" -q -o "$OUT" \
    --gzip-level 1 --fail-on never "$f.gz"
  row "$1" "gzip -6" "$b" "$n" base gzip -6 -c "$f"
}

if [ -z "$ONLY" ]; then
  one_file 837P "$FP"
  one_file 837I "$FI"
  row clean zcat "$(basename "$FCLEAN").gz" "$(wc -c < "$FCLEAN" | tr -d ' ')" \
    base zcat "$FCLEAN.gz"
  row clean "gzip in+out" "$(basename "$FCLEAN").gz" \
    "$(wc -c < "$FCLEAN" | tr -d ' ')" cart "$BIN" -q -o "$OUT" \
    --fail-on never "$FCLEAN.gz"
  n=$(cat "$D"/* | wc -c | tr -d ' ')
  cat "$D"/* > /dev/null
  row files memchr "$(basename "$D")/" "$n" base "$MEMCHR" "$D"/*
  # -j N and -j 1 compared: neither runs right after the other's outputs
  # are deleted (a mass delete slows the file creation that follows it)
  KEEP_OUT=1
  row files full "$(basename "$D")/" "$n" cart "$BIN" -q -o "$OUT" \
    --fail-on never "$D"
  row files "full -j1" "$(basename "$D")/" "$n" cart "$BIN" -q -j 1 \
    -o "$OUT" --fail-on never "$D"
  n=$(cat "$DROP"/* | wc -c | tr -d ' ')
  cat "$DROP"/* > /dev/null
  row drop "full -j1" "$(basename "$DROP")/" "$n" cart "$BIN" -q -j 1 \
    -o "$OUT" --fail-on never "$DROP"
  row drop full "$(basename "$DROP")/" "$n" cart "$BIN" -q -o "$OUT" \
    --fail-on never "$DROP"
  KEEP_OUT=
  keep_done
fi

# the remembered lines (kind "ledger": not streams)
if [ "$LLINES" -gt 0 ]; then
  TINY="$DIR/tiny.837"
  "$PYTHON" "$HERE/gen_patient.py" --lines 1 --out "$TINY" || exit 1
  for nl in 0 "$LLINES"; do
    LF="$DIR/ledger-$nl.csv"
    if [ ! -s "$LF" ]; then
      echo "bench: generating $LF ..." >&2
      "$PYTHON" "$HERE/gen_ledger.py" --lines "$nl" --out "$LF.tmp" &&
        mv "$LF.tmp" "$LF" || exit 1
    fi
    row ledger "ledger $nl" "$(basename "$LF")" \
      "$(wc -c < "$LF" | tr -d ' ')" ledger "$BIN" -q -o "$OUT" \
      --report-only --fail-on never --state "$LF" --state-readonly "$TINY"
  done
fi
rm -f "$TMPF"

# ---- report --------------------------------------------------------------

echo
echo "cart837 bench: $("$BIN" --version 2>/dev/null | head -1)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -1), $(awk '/^MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null), $(uname -sr)"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (a shared machine makes seconds approximate; ratios are within one run)"
echo "inputs: $DIR ($(df -T "$DIR" 2>/dev/null | awk 'NR == 2 { print $2 }') file system), gen_batch.py --cart-rate $RATE --seed $SEED; large $SIZE, linear $LIN, $FILES files of $FSIZE"
echo "median of $RUNS run(s); peak RSS: largest of the runs; MB = 10^6 bytes of uncompressed input"
echo
awk -F'\t' -v ll="$LLINES" '
  { set[NR] = $1; mode[NR] = $2; input[NR] = $3; b[NR] = $4; s[NR] = $5
    rss[NR] = $6; cl[NR] = $7; kind[NR] = $8; st[NR] = $9; ct[NR] = $10
    mbs[NR] = (s[NR] > 0) ? b[NR] / 1e6 / s[NR] : 0
    if (mode[NR] == "memchr") mem[$1] = mbs[NR]
    if (mode[NR] == "zcat") zc[$1] = mbs[NR]
    if (mode[NR] == "ledger 0" && $9 == 0) r0 = $6
    if (mode[NR] == "ledger " ll && ll > 0 && $9 == 0) rn = $6 }
  END {
    bpl = (rn && r0 != "") ? (rn - r0) * 1024 / ll : 0
    fmt = "%-7s %-15s %-36s %7s %8s %6s %9s %8s %6s %8s %6s %8s\n"
    printf fmt, "set", "mode", "input", "MB", "s", "MB/s", "claims/s",
      "x memchr", "x zcat", "RSS KB", "CAR-T", "RSS-rem"
    for (i = 1; i <= NR; i++) {
      if (st[i] != 0) {
        printf "%-7s %-15s %-36s %7.1f   failed (exit %s)\n", set[i],
          mode[i], input[i], b[i] / 1e6, st[i]
        continue
      }
      xm = "-"
      if (!(input[i] ~ /\.gz$/) && mem[set[i]] > 0 && kind[i] != "ledger")
        xm = sprintf("%.2f", mbs[i] / mem[set[i]])
      xz = (input[i] ~ /\.gz$/ && zc[set[i]] > 0) ? sprintf("%.2f", mbs[i] / zc[set[i]]) : "-"
      cps = (cl[i] != "-" && s[i] > 0) ? sprintf("%.0f", cl[i] / s[i]) : "-"
      adj = (kind[i] == "cart") ? sprintf("%.0f", rss[i] - ct[i] * bpl / 1024) : "-"
      printf fmt, set[i], mode[i], input[i], sprintf("%.1f", b[i] / 1e6),
        sprintf("%.3f", s[i]), sprintf("%.0f", mbs[i]), cps, xm, xz, rss[i],
        (kind[i] == "cart") ? ct[i] : "-", adj
    }
  }' "$RES"
echo "(RSS-rem: peak RSS less CAR-T lines x the measured bytes per remembered line)"

# ---- targets -------------------------------------------------------------

echo
echo "targets of issue 14 (measured in this run):"
awk -F'\t' -v only="$ONLY" -v ll="$LLINES" -v tfull="$T_FULL" -v tro="$T_RO" \
    -v tz="$T_ZCAT" -v tf="$T_FILES" -v trss="$T_RSS" -v tline="$T_LINE" \
    -v tlin="$T_LIN" -v same="$T_SAME" -v nfiles="$FILES" -v fsize="$FSIZE" \
    -v tj="$T_JOBS" -v tjone="$T_JONE" -v jobs="$(nproc 2>/dev/null || echo 1)" '
  $9 == 0 { k = $1 SUBSEP $2; v[k] = ($5 > 0) ? $4 / 1e6 / $5 : 0
            r[k] = $6; ct[k] = $10; kind[k] = $8 }
  $9 == 0 && $2 == "ledger 0" { r0 = $6 }
  $9 == 0 && ll > 0 && $2 == ("ledger " ll) { rn = $6 }
  function have(set, mode) { return ((set, mode) in v) }
  function line(what, got, want, ok) {
    printf "  %-44s %-32s %-14s %s\n", what, got, want, ok ? "MET" : "MISSED"
    n++; if (ok) p++
  }
  function none(what, want, why) {
    printf "  %-44s %-32s %-14s %s\n", what, why, want, "NOT MEASURED"; n++
  }
  function ratio(what, set, mode, base, want) {
    if (have(set, mode) && have(set, base)) {
      x = v[set, mode] / v[set, base]
      line(what, sprintf("%.2f x (%.0f / %.0f MB/s)", x, v[set, mode], v[set, base]), ">= " want " x", x >= want)
    } else none(what, ">= " want " x", only != "" ? "not run (BENCH_ONLY=" only ")" : "a run failed")
  }
  function adj(set, mode) { return r[set, mode] - ct[set, mode] * bpl / 1024 }
  END {
    bpl = (rn && r0 != "") ? (rn - r0) * 1024 / ll : 0
    printf "  %-44s %-32s %-14s %s\n", "target", "measured", "target", "verdict"
    ratio("837P full job / memchr", "837P", "full", "memchr", tfull)
    ratio("837I full job / memchr", "837I", "full", "memchr", tfull)
    ratio("837P report-only / memchr", "837P", "report-only", "memchr", tro)
    ratio("837I report-only / memchr", "837I", "report-only", "memchr", tro)
    ratio("837P stats / memchr", "837P", "stats", "memchr", tro)
    ratio("837I stats / memchr", "837I", "stats", "memchr", tro)
    ratio("837P gzip in, gzip out / zcat", "837P", "gzip in+out", "zcat", tz)
    ratio("837I gzip in, gzip out / zcat", "837I", "gzip in+out", "zcat", tz)
    w = nfiles " files of " fsize ", full / one file"
    if (have("files", "full") && have("837P", "full")) {
      x = v["files", "full"] / v["837P", "full"]
      line(w, sprintf("%.2f x (%.0f / %.0f MB/s)", x, v["files", "full"], v["837P", "full"]), ">= " tf " x", x >= tf)
    } else none(w, ">= " tf " x", only != "" ? "not run (BENCH_ONLY=" only ")" : "a run failed")
    worst = -1; wk = ""
    for (k in kind) if (kind[k] == "cart") {
      split(k, q, SUBSEP); a = adj(q[1], q[2])
      if (a > worst) { worst = a; wk = q[2] " " q[1] }
    }
    if (worst >= 0 && bpl > 0)
      line("peak RSS apart from remembered lines", sprintf("%.0f KB (%s)", worst, wk), "<= " trss " KB", worst <= trss)
    else none("peak RSS apart from remembered lines", "<= " trss " KB", "no ledger rows")
    if (bpl > 0)
      line("bytes per remembered CAR-T line", sprintf("%.0f (%d lines, %d KB)", bpl, ll, rn), "<= " tline, bpl <= tline)
    else none("bytes per remembered CAR-T line", "<= " tline, "no ledger rows")
    if (have("linear", "full") && have("837P", "full")) {
      x = v["837P", "full"] / v["linear", "full"]
      line("linear: MB/s large / smaller (full)", sprintf("%.2f (%.0f / %.0f MB/s)", x, v["837P", "full"], v["linear", "full"]), sprintf("1 +- %.2f", tlin), x >= 1 - tlin && x <= 1 + tlin)
      if (bpl > 0) {
        d = adj("837P", "full") - adj("linear", "full")
        line("linear: RSS-rem large - smaller (full)", sprintf("%+.0f KB (%.0f vs %.0f)", d, adj("837P", "full"), adj("linear", "full")), "within " same " KB", d <= same && d >= -same)
      } else none("linear: RSS-rem large - smaller", "within " same " KB", "no ledger rows")
    } else none("linear: MB/s large / smaller (full)", sprintf("1 +- %.2f", tlin), only != "" ? "not run (BENCH_ONLY=" only ")" : "a run failed")
    if (have("clean", "gzip in+out") && have("clean", "zcat"))
      printf "  %-44s %-32s %-14s %s\n", "untouched 837P drop (no CAR-T), gzip / zcat", sprintf("%.2f x (%.0f / %.0f MB/s)", v["clean", "gzip in+out"] / v["clean", "zcat"], v["clean", "gzip in+out"], v["clean", "zcat"]), "-", "(pass-through)"
    for (i = 1; i <= 2; i++) {
      k = (i == 1) ? "837P" : "837I"
      if (have(k, "full") && have(k, "full no-fast"))
        printf "  %-44s %-32s %-14s %s\n", k " full / full --no-fast-path", sprintf("%.2f x (%.0f / %.0f MB/s)", v[k, "full"] / v[k, "full no-fast"], v[k, "full"], v[k, "full no-fast"]), "-", "(the fast path)"
    }
    ratio("-j " jobs " / -j 1, " nfiles " files of " fsize, "files", "full", "full -j1", tj)
    ratio("-j " jobs " / -j 1, 64 files without CAR-T", "drop", "full", "full -j1", tj)
    ratio("-j " jobs " / -j 1, one file (837P)", "837P", "full", "full -j1", tjone)
    printf "%d of %d targets met\n", p, n
  }' "$RES"
echo "(rows in $RES)"
exit $FAILED
