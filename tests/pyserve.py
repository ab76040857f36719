#!/usr/bin/env python3
"""pyserve.py -- one Python process for the many checker runs of a script

Usage: pyserve.py   (requests on standard input, answers on standard output)

Each request is one line: the name of a checker in tests/ (x12check,
spec_check, html_check, csv_rows, corpus_check, ledger_fp, summary_json,
x12ack) and the arguments of one run, tab-separated.  The checker's
main(ARGS) runs in this process, its standard input empty; the answer is
every line it printed (standard output and standard error together; a
line that starts with "." gets one more "." in front), then a line "."
followed by its exit status, flushed.  tests/lib_e2e.sh starts one per script (py_start) and
asks it through py, so that a script pays one interpreter start, not
one per check.  Python 3 standard library only.
"""
import importlib
import io
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in tests/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batchrun  # noqa: E402

TOOLS = ("x12check", "spec_check", "html_check", "csv_rows",
         "corpus_check", "ledger_fp", "summary_json", "x12ack")


def answer(argv):
    if not argv or argv[0] not in TOOLS:
        return 2, "pyserve: unknown checker %r\n" % (argv[:1],)
    main = importlib.import_module(argv[0]).main
    stdin, sys.stdin = sys.stdin, io.StringIO("")
    try:
        return batchrun.run_one(main, argv[1:])
    finally:
        sys.stdin = stdin


def main():
    out = sys.stdout
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        status, text = answer(line.rstrip("\n").split("\t"))
        for x in text.splitlines():
            out.write(("." + x if x.startswith(".") else x) + "\n")
        out.write(".%d\n" % status)
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
