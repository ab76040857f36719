#!/usr/bin/env python3
"""csv_rows.py -- rows of a findings.csv, lines.csv or ledger, as the e2e
scripts compare them

Usage:
  csv_rows.py FINDINGS.csv FILE [EDIT]
      e2e_hostile's rows: those of input FILE (of edit EDIT only, when
      given), one per line: claim_id|line|edit|action|detail|segment|offset
  csv_rows.py --cols N CSV
      every row, the header too, its first N columns joined by ","
  csv_rows.py --rows N CSV [COND]...
      every row but the header, its first N columns joined by "|"
  csv_rows.py --field NAMES CSV [COND]...
      the columns NAMES (comma-separated header names) of every row,
      joined by "|"
  csv_rows.py --without K CSV
      every row, the header too, without column K (from 0), joined by "|"
  csv_rows.py --parse-rows FINDINGS.csv
      e2e_failclosed_parse's rows: claim_id, line, code, units, edit,
      severity ("*" on ENVELOPE_INVALID rows), action, detail, before,
      after, segment, offset, joined by "|"

COND is COLUMN=VALUE or COLUMN!=VALUE (a header name); a row is printed
when all hold.  The end-to-end scripts ask it through one tests/pyserve.py
per script.  The file is read with Python's csv module, independently of
cart837's code.  Python 3 standard library only.
"""
import csv
import sys

HOSTILE = ("claim_id", "line", "edit", "action", "detail", "segment",
           "offset")
PARSE = ("claim_id", "line", "code", "units", "edit", "severity", "action",
         "detail", "before", "after", "segment", "offset")


def read(path, encoding=None):
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.reader(f))


def dicts(path):
    rows = read(path)
    return [dict(zip(rows[0], r)) for r in rows[1:]] if rows else []


def holds(row, conds):
    for c in conds:
        if "!=" in c:
            k, v = c.split("!=", 1)
            if row[k] == v:
                return False
        else:
            k, v = c.split("=", 1)
            if row[k] != v:
                return False
    return True


def hostile(path, name, edit=""):
    out = []
    with open(path, newline="", encoding="latin-1") as f:
        for r in csv.DictReader(f):
            if r["file"] == name and (not edit or r["edit"] == edit):
                out.append("|".join(r[k] for k in HOSTILE))
    return out


def parse_rows(path):
    out = []
    for v in dicts(path):
        if v["edit"] == "ENVELOPE_INVALID":
            v["severity"] = "*"
        out.append("|".join(v[c] for c in PARSE))
    return out


def answer(argv):
    if not argv:
        raise ValueError("usage: see csv_rows.py --help")
    mode, args = argv[0], argv[1:]
    if mode == "--cols" and len(args) == 2:
        return [",".join(r[:int(args[0])]) for r in read(args[1])]
    if mode == "--rows" and len(args) >= 2:
        n, rows = int(args[0]), read(args[1])
        head = rows[0] if rows else []
        return ["|".join(r[:n]) for r in rows[1:]
                if holds(dict(zip(head, r)), args[2:])]
    if mode == "--field" and len(args) >= 2:
        names = args[0].split(",")
        return ["|".join(v[k] for k in names) for v in dicts(args[1])
                if holds(v, args[2:])]
    if mode == "--without" and len(args) == 2:
        k = int(args[0])
        return ["|".join(r[:k] + r[k + 1:]) for r in read(args[1])]
    if mode == "--parse-rows" and len(args) == 1:
        return parse_rows(args[0])
    if not mode.startswith("--") and len(argv) in (2, 3):
        return hostile(*argv)
    raise ValueError("usage: see csv_rows.py --help")


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    for x in answer(argv):
        print(x)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
