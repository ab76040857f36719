#!/bin/sh
# bench.sh -- speed and peak memory of cart837 on 1 MB and 1 GB batches
#
# Usage: sh scripts/bench.sh BIN        (make bench runs it on build/cart837)
#
# Generates, once, 837 batches with scripts/gen_batch.py under build/bench/
# (reused on later runs; delete them to regenerate) and their gzip copies,
# then measures with /usr/bin/time -v, from the page cache (every file is
# read once before it is timed):
#   cat FILE > /dev/null (zcat for .gz)     the floor: reading the bytes
#   BIN stats FILE                          tokenizer + assembler only
#   BIN -q -o DIR --report-only FILE        the full run: edits, reports
# and prints one row per file and command: uncompressed size, seconds,
# MB/s of uncompressed input, time relative to cat/zcat of the same file,
# and peak resident memory.  Finally it compares the peak memory of each
# command on the largest and the smallest file.
#
# Environment:
#   BENCH_DIR     where batches and outputs go (default build/bench)
#   BENCH_SIZES   batch sizes for gen_batch.py --bytes (default "1M 1G")
#   BENCH_NOCART  1: also batches without CAR-T lines (--cart-rate 0)
#   BENCH_GZIP    0: skip the .gz copies
#   BENCH_TIMEOUT seconds one measured command may take (default 1800);
#                 a command stopped by it shows "timeout"
#   PYTHON        python3

set -u
BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "usage: sh scripts/bench.sh path/to/cart837" >&2
  exit 2
fi
DIR=${BENCH_DIR:-build/bench}
SIZES=${BENCH_SIZES:-1M 1G}
PYTHON=${PYTHON:-python3}
GEN=$(dirname "$0")/gen_batch.py
TIME=/usr/bin/time
LIMIT=${BENCH_TIMEOUT:-1800}

if [ ! -x "$TIME" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing the 'time' package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq time > /dev/null || exit 1
  else
    echo "bench: /usr/bin/time missing; run: sudo apt-get install -y time" >&2
    exit 1
  fi
fi
if [ ! -f "$GEN" ]; then
  echo "bench: $GEN not found" >&2
  exit 1
fi
mkdir -p "$DIR" || exit 1

# gen NAME SIZE RATE: build $DIR/NAME unless it is there.
gen() {
  if [ ! -s "$DIR/$1" ]; then
    echo "bench: generating $DIR/$1 ($2, cart rate $3) ..." >&2
    "$PYTHON" "$GEN" --seed 837 --bytes "$2" --cart-rate "$3" \
      --out "$DIR/$1.tmp" || exit 1
    mv "$DIR/$1.tmp" "$DIR/$1"
  fi
  if [ "${BENCH_GZIP:-1}" != 0 ] && [ ! -s "$DIR/$1.gz" ]; then
    echo "bench: compressing $DIR/$1 ..." >&2
    gzip -1 -c "$DIR/$1" > "$DIR/$1.gz.tmp" && mv "$DIR/$1.gz.tmp" "$DIR/$1.gz"
  fi
}

files=""
for s in $SIZES; do
  gen "batch-$s.837" "$s" 0.3
  files="$files batch-$s.837"
  [ "${BENCH_GZIP:-1}" != 0 ] && files="$files batch-$s.837.gz"
  if [ "${BENCH_NOCART:-0}" = 1 ]; then
    gen "nocart-$s.837" "$s" 0
    files="$files nocart-$s.837"
  fi
done

# measure OUTFILE CMD...: runs CMD under time -v; prints "seconds rss_kb
# rc".  Seconds come from the clock around the call (time -v rounds to
# 10 ms, too coarse for the 1 MB file), peak memory from time -v.
measure() {
  out=$1
  shift
  t0=$(date +%s%N)
  "$TIME" -v "$@" > /dev/null 2> "$out"
  rc=$?
  t1=$(date +%s%N)
  awk -v rc="$rc" -v ns="$((t1 - t0))" '
    /Maximum resident set size/ { m = $NF }
    END { printf "%.3f %d %d\n", ns / 1e9, m, rc }' "$out"
}

TMPF="$DIR/time.out"
ROWS="$DIR/rows.txt"
: > "$ROWS"
printf '%-22s %-8s %9s %8s %8s %7s %12s\n' file command "size MB" seconds \
  "MB/s" "x cat" "peak RSS KB"
for f in $files; do
  path="$DIR/$f"
  case "$f" in
  *.gz) reader=zcat; bytes=$(zcat "$path" | wc -c) ;;
  *) reader=cat; bytes=$(wc -c < "$path") ;;
  esac
  cat "$path" > /dev/null # into the page cache
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
  set -- $(measure "$TMPF" sh -c "$reader \"\$1\" > /dev/null" sh "$path")
  base=$1
  for cmd in $reader stats run; do
    case "$cmd" in
    cat | zcat) set -- "$base" "$2" 0 ;;
    stats)
      set -- $(measure "$TMPF" timeout "$LIMIT" "$BIN" stats "$path")
      ;;
    run)
      rm -rf "$DIR/out"
      set -- $(measure "$TMPF" timeout "$LIMIT" "$BIN" -q -o "$DIR/out" \
        --report-only --fail-on never "$path")
      ;;
    esac
    secs=$1 rss=$2 rc=$3
    if [ "$rc" = 124 ]; then
      printf '%-22s %-8s %9s %8s   timeout after %s s\n' "$f" "$cmd" "$mb" \
        "-" "$LIMIT"
      continue
    fi
    if [ "$rc" != 0 ]; then
      echo "bench: $cmd on $f exited with $rc:" >&2
      head -5 "$TMPF" >&2
    fi
    awk -v f="$f" -v c="$cmd" -v mb="$mb" -v s="$secs" -v b="$base" \
        -v r="$rss" 'BEGIN {
      rate = s > 0 ? mb / s : 0; x = b > 0 ? s / b : 0
      printf "%-22s %-8s %9s %8.3f %8.1f %7.1f %12d\n", f, c, mb, s, rate, x, r
    }'
    echo "$f $cmd $rss" >> "$ROWS"
  done
done
rm -rf "$DIR/out" "$TMPF"

# Peak memory: the largest file against the smallest, per command.
first=$(echo $SIZES | awk '{ print $1 }')
last=$(echo $SIZES | awk '{ print $NF }')
if [ "$first" != "$last" ]; then
  echo
  for kind in batch nocart; do
    for ext in .837 .837.gz; do
      for cmd in stats run; do
        a=$(awk -v f="$kind-$first$ext" -v c="$cmd" '$1 == f && $2 == c { print $3 }' "$ROWS")
        b=$(awk -v f="$kind-$last$ext" -v c="$cmd" '$1 == f && $2 == c { print $3 }' "$ROWS")
        [ -n "$a" ] && [ -n "$b" ] || continue
        d=$((b - a))
        verdict="same (within 512 KB)"
        [ "$d" -gt 512 ] || [ "$d" -lt -512 ] && verdict="DIFFERS"
        printf 'peak RSS %-6s %-18s %s: %d KB, %s: %d KB, difference %d KB: %s\n' \
          "$cmd" "$kind$ext" "$first" "$a" "$last" "$b" "$d" "$verdict"
      done
    done
  done
fi
