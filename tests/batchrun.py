"""batchrun.py -- the --batch mode the checkers in tests/ share.

A checker started once does the work of many runs: each line of LIST (a
file, or - for standard input) is

    LABEL<TAB>ARG<TAB>ARG...

the label the caller chose and the arguments one run of the checker
takes on its command line.  For each line, every line that run prints
(standard output and standard error) comes out as "LABEL: line", then
"LABEL: ok" when the run exits 0, else "LABEL: FAIL (exit N)".  The
batch exits 1 when any run failed, 2 when LIST cannot be read.  Empty
lines are ignored.  The end-to-end scripts read the result of one label
with py_ok and py_says (tests/lib_e2e.sh).

Python 3 standard library only; imported by x12check.py, spec_check.py
and html_check.py, which share nothing else.
"""
import contextlib
import io
import sys
import traceback


def run_one(main, argv):
    """Runs main(argv) with its output captured: (status, text)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            status = main(argv)
        except SystemExit as e:
            if e.code is None:
                status = 0
            elif isinstance(e.code, int):
                status = e.code
            else:
                print(e.code)
                status = 1
        except Exception:  # a crash fails this job, not the batch
            traceback.print_exc(limit=3, file=buf)
            status = 1
    return status or 0, buf.getvalue()


def run(list_path, main):
    """Runs main(argv) for every line of list_path; see the module text."""
    try:
        if list_path == "-":
            lines = sys.stdin.read().split("\n")
        else:
            with open(list_path, encoding="utf-8",
                      errors="surrogateescape") as f:
                lines = f.read().split("\n")
    except OSError as e:
        print("batch: cannot read %s: %s" % (list_path, e), file=sys.stderr)
        return 2
    failed = 0
    for line in lines:
        if not line.strip():
            continue
        label, _, rest = line.partition("\t")
        argv = rest.split("\t") if rest else []
        status, text = run_one(main, argv)
        for out in text.splitlines():
            print("%s: %s" % (label, out))
        if status == 0:
            print("%s: ok" % label)
        else:
            print("%s: FAIL (exit %d)" % (label, status))
            failed += 1
        sys.stdout.flush()
    return 1 if failed else 0
