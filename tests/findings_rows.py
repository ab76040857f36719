#!/usr/bin/env python3
"""findings_rows.py -- rows of a findings.csv, as the e2e scripts compare them

Usage:
  findings_rows.py FINDINGS.csv FILE [EDIT]
      the rows of input FILE (of edit EDIT only, when given), one per
      line: claim_id|line|edit|action|detail|segment|offset
  findings_rows.py --cols N FINDINGS.csv
      every row, the header too, with its first N columns joined by ","

The end-to-end scripts ask it through one tests/pyserve.py per script.

The file is read with Python's csv module, independently of cart837's
code.  Python 3 standard library only.
"""
import csv
import sys


def rows_of(path, name, edit=""):
    out = []
    with open(path, newline="", encoding="latin-1") as f:
        for r in csv.DictReader(f):
            if r["file"] == name and (not edit or r["edit"] == edit):
                out.append("|".join(r[k] for k in (
                    "claim_id", "line", "edit", "action", "detail",
                    "segment", "offset")))
    return out


def cols_of(path, n):
    with open(path, newline="") as f:
        return [",".join(r[:n]) for r in csv.reader(f)]


def answer(argv):
    if len(argv) == 3 and argv[0] == "--cols":
        return cols_of(argv[2], int(argv[1]))
    if len(argv) in (2, 3):
        return rows_of(*argv)
    raise ValueError("usage: see findings_rows.py --help")


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    for x in answer(argv):
        print(x)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
