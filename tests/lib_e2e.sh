# lib_e2e.sh -- what every end-to-end script shares; sourced, not run
# (make e2e runs tests/e2e_*.sh only), from the repository root:
#   . tests/lib_e2e.sh
#
# Sets
#   E2E      the script's name (e2e_samples), for its summary line
#   BIN      the binary under test, as an absolute path (default
#            build/cart837; make e2e passes it)
#   RUNNER   a command put in front of each run of $BIN (make valgrind
#            sets it); RUNNER_EVERY=N: in the loops over the corpus only
#            every N-th run has it (run_nth), default 1 (all)
#   PYTHON   the Python 3 interpreter, resolved once to its real path (a
#            pyenv shim costs half a second per start)
#   T        a temporary directory (mktemp -d), removed at exit (with
#            the background processes given to bg_pid); INT and TERM end
#            the script, 130
#
# Assertions: each prints one line, "ok: ..." or "FAIL: ..." (with what
# was expected and what was found) or "SKIP: ...", and counts it.
#   ok MSG / fail MSG / skip MSG
#   check_eq NAME EXPECTED ACTUAL       two texts are equal (a diff of
#                                       them when not)
#   check_rc NAME EXPECTED ACTUAL       an exit status
#   check_file_eq NAME EXPECTED ACTUAL  two files are equal (diff if not)
#   check_log NAME STATUS LOG           a checker's log: its FAIL lines
#                                       each count as a failure
# Runs
#   run_bin ARGS...       $RUNNER $BIN ARGS... (in the background, write
#                         $RUNNER "$BIN" ... & instead: $! must be the
#                         run's own pid, not a subshell's)
#   run_nth K ARGS...     the same, with $RUNNER only when K is a
#                         multiple of RUNNER_EVERY
#   bg_pid PID            kill PID at exit if it is still running
#   bg_wait PID           wait for PID (its exit status), which is then
#                         not killed at exit (its number may be reused)
# Python, started once per script (see tests/batchrun.py)
#   py_job LIST LABEL ARG...
#                         queues one run (its arguments ARG...) in LIST,
#                         for a checker's --batch LIST
#   py_ok LOG LABEL       the batch log LOG says "LABEL: ok"
#   py_says LOG LABEL     the lines of LOG for LABEL
#   py_start; py CHECKER ARGS...
#                         what `tests/CHECKER.py ARGS` prints (stdout and
#                         stderr) and its exit status, answered by the
#                         one tests/pyserve.py that py_start starts (py
#                         without py_start starts a python of its own)
# End
#   e2e_done [NOTE]       prints "E2E: [NOTE; ]P passed, F failed,
#                         S skipped" and exits 1 if anything failed
#   e2e_skip_all MSG      SKIP: MSG, and the script ends (exit 0)
set -u
E2E=$(basename "$0" .sh)
BIN=${BIN:-build/cart837}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
RUNNER=${RUNNER:-}
EVERY=${RUNNER_EVERY:-1}
PYTHON=${PYTHON:-python3}
case $PYTHON in
/*) ;;
*) PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)' 2>/dev/null)
   [ -n "$PYTHON" ] || PYTHON=python3 ;;
esac
TAB=$(printf '\t')
passes=0 fails=0 skips=0
E2E_PIDS= E2E_PY=

e2e_cleanup() {
  for _p in $E2E_PIDS $E2E_PY; do kill "$_p" 2>/dev/null; done
  if [ -n "${T:-}" ]; then
    chmod -R u+rwx "$T" 2>/dev/null
    rm -rf "$T"
  fi
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM
# a name that says nothing (mktemp's tmp.XXXXXXXXXX, as before this
# file): scripts match their outputs by path (find -path '*ack*'), and a
# word of the script's name in $T would match every file under it
T=$(mktemp -d) || exit 1
chmod 755 "$T"
if [ ! -x "$BIN" ]; then
  echo "$E2E: BIN=$BIN is not an executable" >&2
  exit 1
fi

ok() { echo "ok: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() { echo "SKIP: $*"; skips=$((skips + 1)); }

check_eq() {
  if [ "$2" = "$3" ]; then
    ok "$1"
    return
  fi
  fail "$1"
  case "$2$3" in
  *"
"*) # several lines: what differs
    printf '%s\n' "$2" >"$T/.expected"
    printf '%s\n' "$3" >"$T/.found"
    diff "$T/.expected" "$T/.found" | head -20 | sed 's/^/    /' ;;
  *) printf '    expected: %s\n    found:    %s\n' "$2" "$3" ;;
  esac
}

check_rc() {
  if [ "$2" = "$3" ]; then
    ok "$1: exit $3"
  else
    fail "$1: exit $3, expected $2"
  fi
}

check_file_eq() {
  if cmp -s "$2" "$3"; then
    ok "$1"
  else
    fail "$1"
    diff -u "$2" "$3" 2>&1 | head -40 | sed 's/^/    /'
  fi
}

check_log() {
  _n=$(grep -c '^FAIL' "$3")
  sed 's/^/  /' "$3"
  if [ "$_n" -gt 0 ]; then
    fails=$((fails + _n))
    echo "FAIL: $1: $_n failure(s) above"
  elif [ "$2" != 0 ]; then
    fail "$1: exit $2"
  else
    ok "$1"
  fi
}

run_bin() { $RUNNER "$BIN" "$@"; }

run_nth() {
  _k=$1
  shift
  if [ $((_k % EVERY)) -eq 0 ]; then $RUNNER "$BIN" "$@"; else "$BIN" "$@"; fi
}

bg_pid() { E2E_PIDS="$E2E_PIDS $1"; }

bg_wait() {
  wait "$1"
  _s=$?
  _keep=
  for _p in $E2E_PIDS; do [ "$_p" = "$1" ] || _keep="$_keep $_p"; done
  E2E_PIDS=$_keep
  return $_s
}

py_job() {
  _list=$1
  shift
  (IFS=$TAB && printf '%s\n' "$*") >>"$_list"
}
py_ok() { grep -qxF "$2: ok" "$1"; }
py_says() { awk -v p="$2: " 'index($0, p) == 1' "$1"; }

py_start() {
  mkfifo "$T/.py.in" "$T/.py.out" || exit 1
  "$PYTHON" tests/pyserve.py <"$T/.py.in" >"$T/.py.out" &
  E2E_PY=$!
  exec 7>"$T/.py.in" 8<"$T/.py.out"
}

py() {
  if [ -z "${E2E_PY:-}" ]; then
    _tool=$1
    shift
    "$PYTHON" "tests/$_tool.py" "$@" 2>&1
    return
  fi
  (IFS=$TAB && printf '%s\n' "$*") >&7
  while IFS= read -r _l <&8; do
    case $_l in
    ..*) printf '%s\n' "${_l#.}" ;;
    .*) return "${_l#.}" ;;
    *) printf '%s\n' "$_l" ;;
    esac
  done
  echo "py: tests/pyserve.py gave no answer"
  return 99
}

e2e_done() {
  echo "$E2E: ${1:+$1; }$passes passed, $fails failed, $skips skipped"
  [ "$fails" -eq 0 ] && exit 0
  exit 1
}

e2e_skip_all() {
  skip "$*"
  e2e_done
}
