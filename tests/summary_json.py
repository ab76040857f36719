#!/usr/bin/env python3
"""summary_json.py -- checks OUT/summary.json against OUT/summary.txt.

    summary_json.py OUT EXIT [CART837_H]

Reads OUT/summary.json with Python's json module and OUT/summary.txt with
a parser of its own (no code shared with cart837), and fails (exit 1,
one line per difference) unless:

  - the document has exactly the keys of version 1 (README.md,
    "summary.json"), at every level, and "findings_by_edit" names every
    edit id of C837_EDIT_MAP in include/cart837.h, in its order;
  - every number of summary.txt is in summary.json, per file (in the same
    order) and in total, exactly: claims read / passed / fixed / held,
    service and CAR-T lines, findings per severity and per edit id (the
    ids summary.txt leaves out are 0), "not counted" as null, the status
    and reason, a file held whole, claims read before the error, an
    unparsed rest and whether it was cut, the files, failed, skipped and
    not-counted totals;
  - "exit" is {"status": EXIT, "name": ..., "why": ...} with EXIT the
    process's exit status and the name exit.c gives it.

Prints "files N edits M" when all agree.
"""
import json
import os
import re
import sys

TOP = ["format", "version", "cart837", "files", "total", "exit"]
FILE = ["name", "skipped", "status", "reason", "counted", "held_whole",
        "claims_before_error", "unparsed_bytes", "unparsed_cut", "claims",
        "service_lines", "cart_lines", "findings", "findings_by_edit"]
TOTAL = ["files", "files_failed", "files_skipped", "files_not_counted",
         "unparsed_rests", "claims", "service_lines", "cart_lines",
         "findings", "findings_by_edit"]
CLAIMS = ["read", "passed", "fixed", "held"]
FINDINGS = ["error", "warning", "info"]
EXIT = ["status", "name", "why"]
EXIT_NAMES = {0: "ok", 1: "findings", 2: "usage", 3: "invalid_input",
              4: "io_error", 5: "skipped", 6: "locked",
              7: "lines_limit"}



def text_escape(s):
    """A name as cart837 writes it where people read it (summary.txt,
    stderr: c837_fputs_text): printable ASCII and UTF-8 other than the
    controls as they are, every other byte as \\xNN."""
    out = []
    for ch in s:
        o = ord(ch)
        if 0x20 <= o < 0x7f or (o >= 0xa0 and not 0xd800 <= o < 0xe000):
            out.append(ch)
        else:
            out.extend("\\x%02x" % b
                       for b in ch.encode("utf-8", "surrogateescape"))
    return "".join(out)

def edit_ids(header):
    """The ids of C837_EDIT_MAP, in order."""
    text = open(header).read()
    m = re.search(r"#define C837_EDIT_MAP\(XX\)(.*?)\n\n", text, re.S)
    return re.findall(r"XX\((\w+),", m.group(1))


def figure(v):
    return None if v == "not counted" else int(v)


def blank_figures():
    return {"claims": {"read": 0, "passed": 0, "fixed": 0, "held": 0},
            "service_lines": 0, "cart_lines": 0,
            "findings": {"error": 0, "warning": 0, "info": 0},
            "findings_by_edit": {}}


def parse_txt(path):
    """summary.txt -> (files, total), in the shape of summary.json (with
    only the edit ids summary.txt names)."""
    files, total, cur = [], None, None
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.rstrip("\n")
        m = re.match(r"file: (.*)$", line)
        if m:
            cur = {"name": m.group(1), "skipped": False, "status": "OK",
                   "reason": None, "counted": True, "held_whole": False,
                   "claims_before_error": None, "unparsed_bytes": 0,
                   "unparsed_cut": False}
            cur.update(blank_figures())
            files.append(cur)
            continue
        m = re.match(r"total: (\d+) files \((\d+) failed, (\d+) skipped\)$",
                     line)
        if m:
            cur = total = {"files": int(m.group(1)),
                           "files_failed": int(m.group(2)),
                           "files_skipped": int(m.group(3)),
                           "files_not_counted": 0, "unparsed_rests": 0}
            total.update(blank_figures())
            continue
        if cur is None or not line.strip():
            continue
        body = line.strip()
        m = re.match(r"skipped: (.*)$", body)
        if m and cur is not total:
            cur.update(skipped=True, status=None, reason=m.group(1))
            continue
        m = re.match(r"status: (\w+): (.*)$", body)
        if m:
            cur.update(status=m.group(1), reason=m.group(2))
            continue
        m = re.match(r"held whole: .*\((\d+) complete claim\(s\) were read "
                     r"before the error\)$", body)
        if m:
            cur.update(counted=False, held_whole=True,
                       claims_before_error=int(m.group(1)))
            continue
        m = re.match(r"not read to its end: .*\((\d+) were read before the "
                     r"error\)$", body)
        if m:
            cur.update(counted=False, claims_before_error=int(m.group(1)))
            continue
        m = re.match(r"unparsed rest: (\d+) bytes in .*, not read as claims"
                     r"(; cut at its limit.*)?$", body)
        if m:
            cur.update(unparsed_bytes=int(m.group(1)),
                       unparsed_cut=m.group(2) is not None)
            continue
        m = re.match(r"not counted below: the claims of (\d+) file", body)
        if m:
            cur["files_not_counted"] = int(m.group(1))
            continue
        m = re.match(r"not counted below: the claims in (\d+) unparsed",
                     body)
        if m:
            cur["unparsed_rests"] = int(m.group(1))
            continue
        m = re.match(r"claims (read|passed|fixed|held): (.*)$", body)
        if m:
            cur["claims"][m.group(1)] = figure(m.group(2))
            continue
        m = re.match(r"(service lines|CAR-T lines): (.*)$", body)
        if m:
            key = "service_lines" if m.group(1) == "service lines" \
                else "cart_lines"
            cur[key] = figure(m.group(2))
            continue
        if body.startswith("claims in = corrected + held"):
            continue
        if body.startswith("corrected: "):
            continue  # every claim held: no corrected output (not a figure)
        m = re.match(r"findings: (\d+) error, (\d+) warning, (\d+) info$",
                     body)
        if m:
            cur["findings"] = dict(zip(FINDINGS, map(int, m.groups())))
            continue
        m = re.match(r"([A-Z0-9_]+): (\d+)$", body)
        if m and line.startswith("    "):
            cur["findings_by_edit"][m.group(1)] = int(m.group(2))
            continue
        raise SystemExit("summary.txt: line not understood: %r" % line)
    return files, total


def main(argv=None):
    """argv: OUT EXIT [CART837_H] (default sys.argv[1:]; tests/pyserve.py
    passes them)."""
    argv = sys.argv[1:] if argv is None else argv
    out, exit_status = argv[0], int(argv[1])
    header = argv[2] if len(argv) > 2 else "include/cart837.h"
    ids = edit_ids(header)
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as fp:
        doc = json.load(fp)
    files, total = parse_txt(os.path.join(out, "summary.txt"))
    bad = []

    def keys(where, obj, want):
        if not isinstance(obj, dict) or list(obj) != want:
            bad.append("%s: keys %s, not %s" % (
                where, list(obj) if isinstance(obj, dict) else obj, want))
            return False
        return True

    def same(where, got, want):
        if got != want:
            bad.append("%s: summary.json %r, summary.txt %r"
                       % (where, got, want))

    def figures(where, got, want):
        if keys(where + ".claims", got["claims"], CLAIMS):
            same(where + ".claims", got["claims"], want["claims"])
        same(where + ".service_lines", got["service_lines"],
             want["service_lines"])
        same(where + ".cart_lines", got["cart_lines"], want["cart_lines"])
        if keys(where + ".findings", got["findings"], FINDINGS):
            same(where + ".findings", got["findings"], want["findings"])
        by = got["findings_by_edit"]
        if keys(where + ".findings_by_edit", by, ids):
            same(where + ".findings_by_edit",
                 {k: v for k, v in by.items() if v},
                 want["findings_by_edit"])
            for k, v in by.items():
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    bad.append("%s.findings_by_edit.%s: %r" % (where, k, v))

    if keys("document", doc, TOP):
        same("format", doc["format"], "cart837-summary")
        same("version", doc["version"], 1)
        same("number of files", len(doc["files"]), len(files))
        for i, (got, want) in enumerate(zip(doc["files"], files)):
            where = "files[%d]" % i
            if not keys(where, got, FILE):
                continue
            for k in FILE[:9]:
                if k == "name":
                    # summary.txt escapes control bytes and bytes that
                    # are not UTF-8 (\xNN); a byte that JSON could only
                    # carry as U+FFFD cannot be compared
                    if "\ufffd" not in got[k]:
                        same("%s.%s" % (where, k), text_escape(got[k]),
                             want[k])
                    continue
                same("%s.%s" % (where, k), got[k], want[k])
            figures(where, got, want)
        if keys("total", doc["total"], TOTAL):
            for k in TOTAL[:5]:
                same("total." + k, doc["total"][k], total[k])
            figures("total", doc["total"], total)
        if keys("exit", doc["exit"], EXIT):
            same("exit.status", doc["exit"]["status"], exit_status)
            same("exit.name", doc["exit"]["name"],
                 EXIT_NAMES.get(exit_status))
            if not doc["exit"]["why"]:
                bad.append("exit.why is empty")
    for b in bad:
        print(b)
    if not bad:
        print("files %d edits %d" % (len(files), len(ids)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
