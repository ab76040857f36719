#!/bin/sh
# valgrind_run.sh DIR COMMAND... -- make valgrind's RUNNER
#
# Runs COMMAND under $VALGRIND_CMD with its log in a directory of its own,
# DIR/run.XXXXXX/PID.log (a child the command forks writes its own).  A
# plain DIR/%p.log is not enough: over a whole test run the kernel hands
# out process ids again, and a later run's log replaced an earlier one's
# (an error in it unseen).  The shell execs valgrind, so the run keeps
# this process id, for the tests that signal it.
d=$(mktemp -d "$1/run.XXXXXX") || exit 1
shift
exec ${VALGRIND_CMD:-valgrind} --log-file="$d/%p.log" "$@"
