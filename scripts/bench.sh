#!/bin/sh
# bench.sh -- throughput and peak memory of cart837 beside baselines
#
# Usage: sh scripts/bench.sh path/to/cart837     (make bench runs it on
#        build/cart837; it is never part of make test)
#
# Inputs, generated with scripts/gen_batch.py (about 1% of the claims with
# CAR-T lines) and cached under BENCH_DIR, named by their parameters
# (delete them to regenerate):
#   batch-SIZE-rRATE-sSEED.837[.gz]  one large file; above BENCH_PART it is
#                                   made of parts generated side by side
#                                   (seeds SEED, SEED+1, ...) and
#                                   concatenated (an 837 file may hold many
#                                   interchanges back to back); .gz is a
#                                   gzip -6 copy
#   the same at BENCH_SMALL          for the peak-memory comparison
#   small-NxFSIZE-rRATE-sSEED/       N files of about FSIZE, complete
#                                   interchanges (gen_batch.py --files)
# and BENCH_DIR/memchr_baseline, built from scripts/memchr_baseline.c with
# cc -O2.
#
# Every row is run BENCH_RUNS times from the page cache (the inputs are
# read once first) under /usr/bin/time -v; the table shows the MEDIAN of
# the wall-clock times (taken around the call, time -v rounds to 10 ms)
# and the LARGEST peak RSS of the runs.  MB = 10^6 bytes of uncompressed
# input; claims are those of the run's summary.txt.  Rows per size:
#   cat, memchr          baselines: reading the bytes; read() in 1 MB
#                        chunks + memchr for '~' (the one-pass ceiling)
#   report-only          cart837 -q -o OUT --report-only --fail-on never F
#   full                 cart837 -q -o OUT --fail-on never F (corrected
#                        and held 837 written)
#   gzip out             full, with --gzip
#   zcat, gzip -6        baselines for the gzip rows: inflating F.gz;
#                        deflating F at cart837's level
#   gzip in              full on F.gz, with --no-gzip (plain output)
# and for the many small files: cat, memchr, report-only and full on the
# directory.  Then the engine's rows (issue 11), apart from the targets:
#   one patient          report-only over one 837P interchange of ONE
#                        patient with BENCH_PATIENT_LINES CAR-T and watch
#                        lines, one per claim (scripts/gen_patient.py):
#                        the per-patient edits' worst case
#   ledger 0 / ledger N  report-only --state-readonly over a tiny input
#                        with an empty ledger and with one of
#                        BENCH_LEDGER_LINES lines (scripts/gen_ledger.py):
#                        the difference of their peak RSS over N is the
#                        memory of one remembered line  Ratios: "x memchr" (MB/s over memchr's MB/s on the same
# input) for plain input, "x zcat" (over zcat's) for the gzip rows.  Then
# one PASS/FAIL line per target of the issue.  The exit status is 1 when a
# measured command failed, else 0 (a FAIL target does not change it).
#
# Environment (defaults in brackets):
#   BENCH_SIZE       the large file [1G]; 20M for a quick try, 5G for more
#   BENCH_SMALL      the small file for the memory comparison [1M]
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
#   BENCH_PATIENT_LINES  lines of the one-patient file [32000]
#   BENCH_LEDGER_LINES   lines of the ledger for the memory rows
#                    [1000000; 0 skips the ledger rows]
#   PYTHON, CC       [python3, cc]

set -u
BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "usage: sh scripts/bench.sh path/to/cart837" >&2
  exit 2
fi
HERE=$(dirname "$0")
GEN=$HERE/gen_batch.py
DIR=${BENCH_DIR:-build/bench}
SIZE=${BENCH_SIZE:-1G}
SMALL=${BENCH_SMALL:-1M}
RUNS=${BENCH_RUNS:-3}
FSIZE=${BENCH_FILE_SIZE:-10K}
RATE=${BENCH_CART_RATE:-0.01}
SEED=${BENCH_SEED:-837}
PART=${BENCH_PART:-128M}
JOBS=${BENCH_JOBS:-$(nproc 2>/dev/null || echo 1)}
LIMIT=${BENCH_TIMEOUT:-1800}
PLINES=${BENCH_PATIENT_LINES:-32000}
LLINES=${BENCH_LEDGER_LINES:-1000000}
PYTHON=${PYTHON:-python3}
CC=${CC:-cc}
TIME=/usr/bin/time
# targets of the issue
T_CEIL=0.6      # full >= 0.6 x memchr
T_MBS=1000      # full >= 1 GB/s
T_ZCAT=0.9      # gzip in >= 0.9 x zcat
T_RSS=16384     # peak RSS <= 16 MB (KB)
T_SAME=1024     # "the same" peak RSS at both sizes: within 1 MB (KB)
T_FILES=0.9     # many small files >= 0.9 x the MB/s of one large file

# bytes SIZE: SIZE with suffix K, M, G (powers of 1024, as gen_batch.py)
bytes() {
  echo "$1" | awk '{ s = toupper($0); sub(/B$/, "", s); m = 1
    if (s ~ /K$/) m = 1024; else if (s ~ /M$/) m = 1048576
    else if (s ~ /G$/) m = 1073741824
    sub(/[KMG]$/, "", s); printf "%.0f\n", s * m }'
}

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

# make_batch SIZE: sets F to the cached batch of SIZE (and F.gz), making
# them when missing: parts of BENCH_PART bytes, BENCH_JOBS at a time,
# appended in seed order.
make_batch() {
  F="$DIR/batch-$1-r$RATE-s$SEED.837"
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
          --out "$F.part$i" 2> "$F.part$i.log" &
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

# make_files: sets D to the cached directory of FILES small files.
make_files() {
  D="$DIR/small-${FILES}x$FSIZE-r$RATE-s$SEED"
  [ -d "$D" ] && return
  echo "bench: generating $D ($FILES files of about $FSIZE) ..." >&2
  rm -rf "$D.tmp"
  "$PYTHON" "$GEN" --seed "$SEED" --bytes "$FSIZE" --files "$FILES" \
    --cart-rate "$RATE" --out "$D.tmp" 2> "$DIR/small.log" &&
    mv "$D.tmp" "$D" || { cat "$DIR/small.log" >&2; exit 1; }
}

MEMCHR=$DIR/memchr_baseline
if [ ! -x "$MEMCHR" ] || [ "$HERE/memchr_baseline.c" -nt "$MEMCHR" ]; then
  $CC -O2 -o "$MEMCHR" "$HERE/memchr_baseline.c" || exit 1
fi

make_batch "$SMALL"
FS=$F
make_batch "$SIZE"
FL=$F
make_files

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
# cart837 KIND "cart" with an empty OUT before each run, its claims read
# from OUT/summary.txt) and appends to RES: set, mode, input, bytes,
# median seconds, largest peak RSS, claims, kind, exit status.
row() {
  set_=$1 mode=$2 input=$3 nbytes=$4 kind=$5
  shift 5
  printf 'bench: %-9s %-12s x%s ...' "$set_" "$mode" "$RUNS" >&2
  times="" maxrss=0 claims=- status=0 r=0
  while [ $r -lt "$RUNS" ]; do
    rm -rf "$OUT"
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
    [ -n "$claims" ] || claims=-
  fi
  med=$(echo $times | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]
          else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set_" "$mode" "$input" \
    "$nbytes" "$med" "$maxrss" "$claims" "$kind" "$status" >> "$RES"
  if [ "$status" = 0 ]; then echo " $med s" >&2; else echo "bench: $mode failed" >&2; fi
  rm -rf "$OUT"
}

# one_file SET FILE: the rows of one large file and its .gz copy
one_file() {
  f=$2
  n=$(wc -c < "$f" | tr -d ' ')
  cat "$f" "$f.gz" > /dev/null # into the page cache
  row "$1" cat "$(basename "$f")" "$n" base cat "$f"
  row "$1" memchr "$(basename "$f")" "$n" base "$MEMCHR" "$f"
  row "$1" report-only "$(basename "$f")" "$n" cart "$BIN" -q -o "$OUT" \
    --report-only --fail-on never "$f"
  row "$1" full "$(basename "$f")" "$n" cart "$BIN" -q -o "$OUT" \
    --fail-on never "$f"
  row "$1" "gzip out" "$(basename "$f")" "$n" cart "$BIN" -q -o "$OUT" \
    --gzip --fail-on never "$f"
  row "$1" zcat "$(basename "$f").gz" "$n" base zcat "$f.gz"
  row "$1" "gzip -6" "$(basename "$f")" "$n" base gzip -6 -c "$f"
  row "$1" "gzip in" "$(basename "$f").gz" "$n" cart "$BIN" -q -o "$OUT" \
    --no-gzip --fail-on never "$f.gz"
}

one_file "$SMALL" "$FS"
one_file "$SIZE" "$FL"
n=$(cat "$D"/* | wc -c | tr -d ' ')
cat "$D"/* > /dev/null
SET="${FILES}x$FSIZE"
row "$SET" cat "$(basename "$D")/" "$n" base sh -c 'cat "$@"' sh "$D"/*
row "$SET" memchr "$(basename "$D")/" "$n" base "$MEMCHR" "$D"/*
row "$SET" report-only "$(basename "$D")/" "$n" cart "$BIN" -q -o "$OUT" \
  --report-only --fail-on never "$D"
row "$SET" full "$(basename "$D")/" "$n" cart "$BIN" -q -o "$OUT" \
  --fail-on never "$D"

# the engine's rows (kind "engine": not in the targets, whose peak RSS
# is that of a stream)
PF="$DIR/patient-$PLINES.837"
if [ ! -s "$PF" ]; then
  "$PYTHON" "$HERE/gen_patient.py" --lines "$PLINES" --out "$PF.tmp" &&
    mv "$PF.tmp" "$PF" || exit 1
fi
row patient "one patient" "$(basename "$PF")" "$(wc -c < "$PF" | tr -d ' ')" \
  engine "$BIN" -q -o "$OUT" --report-only --fail-on never "$PF"
if [ "$LLINES" -gt 0 ]; then
  TINY="$DIR/tiny.837"
  "$PYTHON" "$HERE/gen_patient.py" --lines 1 --out "$TINY" || exit 1
  for nl in 0 "$LLINES"; do
    LF="$DIR/ledger-$nl.csv"
    if [ ! -s "$LF" ]; then
      "$PYTHON" "$HERE/gen_ledger.py" --lines "$nl" --out "$LF.tmp" &&
        mv "$LF.tmp" "$LF" || exit 1
    fi
    row ledger "ledger $nl" "$(basename "$LF")" "$(wc -c < "$LF" | tr -d ' ')" \
      engine "$BIN" -q -o "$OUT" --report-only --fail-on never \
      --state "$LF" --state-readonly "$TINY"
  done
fi
rm -f "$TMPF"

# ---- report --------------------------------------------------------------

echo
echo "cart837 bench: $("$BIN" --version 2>/dev/null | head -1)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -1), $(awk '/^MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null), $(uname -sr)"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (a shared machine makes seconds approximate; ratios are within one run)"
echo "inputs: $DIR ($(df -T "$DIR" 2>/dev/null | awk 'NR == 2 { print $2 }') file system), gen_batch.py --cart-rate $RATE --seed $SEED"
echo "median of $RUNS run(s); peak RSS: largest of the runs; MB = 10^6 bytes of uncompressed input"
echo
awk -F'\t' '
  { set[NR] = $1; mode[NR] = $2; input[NR] = $3; b[NR] = $4; s[NR] = $5
    rss[NR] = $6; cl[NR] = $7; kind[NR] = $8; st[NR] = $9
    mbs[NR] = (s[NR] > 0) ? b[NR] / 1e6 / s[NR] : 0
    if (mode[NR] == "memchr") mem[$1] = mbs[NR]
    if (mode[NR] == "zcat") zc[$1] = mbs[NR] }
  END {
    fmt = "%-9s %-12s %-34s %8s %8s %8s %10s %8s %7s %10s\n"
    printf fmt, "set", "mode", "input", "MB", "s", "MB/s", "claims/s",
      "x memchr", "x zcat", "peak RSS KB"
    for (i = 1; i <= NR; i++) {
      if (st[i] != 0) {
        printf "%-9s %-12s %-34s %8.1f   failed (exit %s)\n", set[i],
          mode[i], input[i], b[i] / 1e6, st[i]
        continue
      }
      gz = (mode[i] ~ /gzip|zcat/)
      xm = "-"
      if (!(input[i] ~ /\.gz$/) && mem[set[i]] > 0)
        xm = sprintf("%.2f", mbs[i] / mem[set[i]])
      xz = (gz && zc[set[i]] > 0) ? sprintf("%.2f", mbs[i] / zc[set[i]]) : "-"
      cps = (cl[i] != "-" && s[i] > 0) ? sprintf("%.0f", cl[i] / s[i]) : "-"
      printf fmt, set[i], mode[i], input[i], sprintf("%.1f", b[i] / 1e6),
        sprintf("%.3f", s[i]), sprintf("%.0f", mbs[i]), cps, xm, xz, rss[i]
    }
  }' "$RES"

# ---- targets -------------------------------------------------------------

echo
echo "targets (large file: $SIZE, small file: $SMALL, $FILES small files):"
awk -F'\t' -v L="$SIZE" -v S="$SMALL" -v M="$SET" -v ceil="$T_CEIL" \
    -v mbs_min="$T_MBS" -v zr="$T_ZCAT" -v rss_max="$T_RSS" \
    -v same="$T_SAME" -v fr="$T_FILES" '
  $9 == 0 { k = $1 SUBSEP $2; v[k] = ($5 > 0) ? $4 / 1e6 / $5 : 0
            r[k] = $6; if ($8 == "cart") cart[k] = 1 }
  function have(set, mode) { return ((set, mode) in v) }
  function verdict(ok, what, got) {
    printf "  %-4s %-48s %s\n", ok ? "PASS" : "FAIL", what, got
    n++; if (ok) p++
  }
  function missing(what) { printf "  %-4s %-48s %s\n", "----", what,
    "not measured (a run failed)"; n++ }
  END {
    if (have(L, "full") && have(L, "memchr")) {
      x = v[L, "full"] / v[L, "memchr"]
      verdict(x >= ceil, "full >= " ceil " x memchr", sprintf("%.2f x (%.0f vs %.0f MB/s)", x, v[L, "full"], v[L, "memchr"]))
    } else missing("full >= " ceil " x memchr")
    if (have(L, "full"))
      verdict(v[L, "full"] >= mbs_min, "full >= " mbs_min " MB/s", sprintf("%.0f MB/s", v[L, "full"]))
    else missing("full >= " mbs_min " MB/s")
    if (have(L, "report-only") && have(L, "full"))
      verdict(v[L, "report-only"] > v[L, "full"], "report-only faster than full", sprintf("%.0f vs %.0f MB/s", v[L, "report-only"], v[L, "full"]))
    else missing("report-only faster than full")
    if (have(L, "gzip in") && have(L, "zcat")) {
      x = v[L, "gzip in"] / v[L, "zcat"]
      verdict(x >= zr, "gzip in >= " zr " x zcat", sprintf("%.2f x (%.0f vs %.0f MB/s)", x, v[L, "gzip in"], v[L, "zcat"]))
    } else missing("gzip in >= " zr " x zcat")
    worst = 0; wk = ""
    for (k in cart) if (r[k] > worst) { worst = r[k]; split(k, w, SUBSEP); wk = w[2] " at " w[1] }
    verdict(worst <= rss_max, "peak RSS <= " rss_max " KB, every cart837 row", sprintf("largest %d KB (%s)", worst, wk))
    nm = split("report-only,full,gzip out,gzip in", ms, ",")
    for (j = 1; j <= nm; j++) {
      m = ms[j]
      if (!have(S, m) || !have(L, m)) {
        missing(sprintf("peak RSS of %s same at %s and %s", m, S, L))
        continue
      }
      d = r[L, m] - r[S, m]
      verdict(d <= same && d >= -same, sprintf("peak RSS of %s same at %s and %s", m, S, L), sprintf("%d vs %d KB (%+d KB; within %d)", r[S, m], r[L, m], d, same))
    }
    split("full report-only", ms, " ")
    for (j = 1; j <= 2; j++) {
      m = ms[j]
      if (have(M, m) && have(L, m)) {
        x = v[M, m] / v[L, m]
        verdict(x >= fr, sprintf("small files, %s: >= %s x one file", m, fr), sprintf("%.2f x (%.0f vs %.0f MB/s)", x, v[M, m], v[L, m]))
      } else missing("small files, " m ": >= " fr " x one file")
    }
    printf "%d of %d targets passed\n", p, n
  }' "$RES"
echo "(rows in $RES)"

# ---- the engine (issue 11) -------------------------------------------

echo
echo "engine:"
awk -F'\t' -v pl="$PLINES" -v ll="$LLINES" '
  $9 == 0 && $2 == "one patient" {
    printf "  one patient, %d lines in claims of one line: %.2f s, peak RSS %d KB\n", pl, $5, $6 }
  $9 == 0 && $2 == "ledger 0" { r0 = $6 }
  $9 == 0 && $2 == ("ledger " ll) && ll > 0 { rn = $6; s = $5 }
  END {
    if (rn && r0 != "")
      printf "  remembered lines: %d loaded in %.1f s, peak RSS %d KB, %.0f bytes per line\n", ll, s, rn, (rn - r0) * 1024 / ll
  }' "$RES"
exit $FAILED
