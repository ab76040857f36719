#!/bin/sh
# e2e_gzip.sh -- gzip input inflated by the worker thread, end to end
#
# A generated batch (scripts/gen_batch.py, 4 MB: the gzip worker goes
# round its ring of buffers several times) is gzipped as three members
# cut mid-segment, plus zero padding.  Read as a file, from stdin (a
# pipe) and from a FIFO, it must give the reports of the plain batch
# byte for byte, and its corrected and held 837 must decompress to the
# plain run's.  A run whose gzip input is a pipe that stalls (the writer
# keeps it open and sends nothing) must stop on SIGINT: exit 130, the
# stop message, no output kept -- and no hang, although the worker
# thread is then waiting on the pipe (a watchdog kills a run still there
# 60 s later).
. tests/lib_e2e.sh
# same_reports NAME DIR_A DIR_B: findings.csv, lines.csv, summary.txt
same_reports() {
  for f in findings.csv lines.csv summary.txt; do
    if cmp -s "$2/$f" "$3/$f"; then :; else
      fail "$1: $f differs from the plain run's"
      return
    fi
  done
  ok "$1: reports identical to the plain run's"
}
# same_837 NAME PLAIN GZ: GZ decompresses to PLAIN (both may be absent)
same_837() {
  if [ ! -e "$2" ] && [ ! -e "$3" ]; then return; fi
  if gzip -dc "$3" 2>/dev/null | cmp -s "$2" -; then
    ok "$1: decompresses to the plain run's"
  else
    fail "$1: differs from the plain run's"
  fi
}

mkdir -p "$T/plain" "$T/gz"
"$PYTHON" scripts/gen_batch.py --seed 4242 --bytes 4M --cart-rate 0.3 \
  --out "$T/plain/batch.837" 2>/dev/null || { fail "generator"; e2e_done; }
P="$T/plain/batch.837"
G="$T/gz/batch.837" # gzip, detected by content
head -c 1000003 "$P" | gzip -1 >"$G"
tail -c +1000004 "$P" | head -c 1500000 | gzip -9 >>"$G"
tail -c +2500004 "$P" | gzip -6 >>"$G"
head -c 777 /dev/zero >>"$G"
if cmp -s "$P" "$(gzip -dc "$G" >"$T/check"; echo "$T/check")"; then :; else
  fail "test input: gzip -dc does not give the batch back"
  e2e_done
fi
rm -f "$T/check"

# 1. a file
run_bin -q -o "$T/op" --fail-on never "$P" 2>"$T/e1p"
rcp=$?
run_bin -q -o "$T/og" --fail-on never "$G" 2>"$T/e1g"
rcg=$?
[ $rcp -eq 0 ] && [ $rcg -eq 0 ] && ok "file: exit 0" ||
  fail "file: exit $rcp (plain) / $rcg (gzip): $(cat "$T/e1g")"
same_reports "file" "$T/op" "$T/og"
same_837 "file: corrected 837" "$T/op/batch.837" "$T/og/batch.837"
same_837 "file: held 837" "$T/op/held/batch.837" "$T/og/held/batch.837"

# 2. standard input, a pipe
run_bin -q -o "$T/sp" --fail-on never - <"$P" >"$T/sp.837" 2>"$T/e2p"
rcp=$?
cat "$G" | run_bin -q -o "$T/sg" --fail-on never - >"$T/sg.837" 2>"$T/e2g"
rcg=$?
[ $rcp -eq 0 ] && [ $rcg -eq 0 ] && ok "stdin: exit 0" ||
  fail "stdin: exit $rcp (plain) / $rcg (gzip): $(cat "$T/e2g")"
same_reports "stdin" "$T/sp" "$T/sg"
same_837 "stdin: corrected 837 on stdout" "$T/sp.837" "$T/sg.837"

# 3. a FIFO (the stdin policy)
if mkfifo "$T/fifo" 2>/dev/null; then
  # a run that fails before it opens the FIFO leaves the writer waiting
  # in open(2): it is killed after the run
  cat "$P" >"$T/fifo" &
  w=$!
  run_bin -q -o "$T/fp" --fail-on never "$T/fifo" 2>"$T/e3p"
  rcp=$?
  kill $w 2>/dev/null
  wait $w 2>/dev/null
  cat "$G" >"$T/fifo" &
  w=$!
  run_bin -q -o "$T/fg" --fail-on never "$T/fifo" 2>"$T/e3g"
  rcg=$?
  kill $w 2>/dev/null
  wait $w 2>/dev/null
  [ $rcp -eq 0 ] && [ $rcg -eq 0 ] && ok "FIFO: exit 0" ||
    fail "FIFO: exit $rcp (plain) / $rcg (gzip): $(cat "$T/e3g")"
  same_reports "FIFO" "$T/fp" "$T/fg"
  same_837 "FIFO: corrected 837" "$T/fp/fifo" "$T/fg/fifo"
else
  skip "mkfifo failed: FIFO case not tested"
fi

# 4. SIGINT while the gzip pipe on stdin stalls
if mkfifo "$T/stall" 2>/dev/null; then
  # (not run_bin: $! must be cart837's, or the runner's, own pid)
  $RUNNER "$BIN" -q -o "$T/oi" - <"$T/stall" >"$T/oi.837" 2>"$T/e4" &
  pid=$!
  bg_pid $pid
  # the shell keeps the FIFO open (read-write: this open never waits, even
  # when the run died before opening its end): no EOF, the pipe stalls
  exec 3<>"$T/stall"
  head -c 300000 "$G" >&3 &
  w=$!
  bg_pid $w
  # wait until the run has written its first output (it is reading)
  i=0
  while [ ! -s "$T/oi.837" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  sleep 0.5
  kill -INT $pid
  # the watchdog: a run still there after 60 s is hung, and killed
  i=0
  while kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
    sleep 0.1; i=$((i + 1))
  done
  kill -KILL $pid 2>/dev/null
  bg_wait $pid
  rc=$?
  kill $w 2>/dev/null
  bg_wait $w 2>/dev/null
  exec 3>&-
  if [ $rc -eq 130 ]; then ok "stalled gzip pipe: SIGINT gives exit 130"
  elif [ $rc -eq 137 ]; then fail "stalled gzip pipe: hung after SIGINT"
  else fail "stalled gzip pipe: exit $rc after SIGINT: $(cat "$T/e4")"; fi
  grep -q '^cart837: stopped by signal 2' "$T/e4" &&
    ok "stalled gzip pipe: stop message" ||
    fail "stalled gzip pipe: no stop message: $(cat "$T/e4")"
  got=$(find "$T/oi" -type f 2>/dev/null | sort | tr '\n' ' ')
  [ -z "$got" ] && ok "stalled gzip pipe: no output kept" ||
    fail "stalled gzip pipe: left $got"
else
  skip "mkfifo failed: stalled pipe case not tested"
fi

e2e_done
