# lib_e2e.sh -- what the end-to-end scripts share; sourced, not run
# (make e2e runs tests/e2e_*.sh only).
#
# Sets BIN (the binary under test; default build/cart837), RUNNER (a
# command put in front of each run of $BIN, as make valgrind sets it), T
# (a temporary directory removed at exit) and fails (the failed-check
# count), and defines ok and fail, which print one line per check.
set -u
BIN=${BIN:-build/cart837}
RUNNER=${RUNNER:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
