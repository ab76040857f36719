#!/bin/sh
# run_logged.sh NAME LOG COMMAND... -- one job of make test / make e2e
#
# Runs COMMAND with its output (stdout and stderr) in LOG, then prints
# one line: "ok" or "FAILED", the time it took and the last line of the
# log (an e2e script's summary), and below it the SKIP lines of the log;
# when COMMAND fails, the whole log.  Exits with COMMAND's status.  make
# runs several of these side by side (-j, -Otarget keeps each job's lines
# together).
name=$1 log=$2
shift 2
mkdir -p "$(dirname "$log")" || exit 1
start=$(date +%s.%N)
"$@" >"$log" 2>&1
rc=$?
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ $rc -eq 0 ]; then
  echo "== $name: ok (${took} s): $(tail -n 1 "$log")"
  # the skips: an e2e script's SKIP lines, a cmocka program's skipped tests
  grep -e '^SKIP' -e '^\[  SKIPPED \] test' "$log" | awk '!seen[$0]++' |
    sed 's/^/     /'
else
  echo "== $name: FAILED (exit $rc, ${took} s); its log, $log:"
  sed 's/^/   | /' "$log"
  echo "== $name: FAILED (exit $rc, ${took} s)"
fi
exit $rc
