#!/usr/bin/env python3
"""html_check.py -- the numbers of report.html against summary.txt

Usage: html_check.py SUMMARY.txt DOM.html

DOM.html is the page as a browser rendered it (chromium --dump-dom), or
the file itself.  Every figure summary.txt gives (per file and in total:
claims read, service lines, CAR-T lines, claims passed / fixed / held,
findings per severity, findings per edit id, file names, skip reasons,
files without a corrected output, file counts) must be shown in the element whose data-k attribute names
it, with exactly that text; edit ids summary.txt does not list must show
0; the per-day counts must not exceed the findings, and the chart must
have one bar per day row.  Prints every mismatch and exits 1 if any.
"""
import re
import sys
from html.parser import HTMLParser

FIELDS = {
    "claims read": "claims",
    "service lines": "lines",
    "CAR-T lines": "cart_lines",
    "claims passed": "claims_passed",
    "claims fixed": "claims_fixed",
    "claims held": "claims_held",
}


class Dom(HTMLParser):
    """Collects the text of every element with a data-k attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self.stack = []  # (tag, key or None)
        self.rects = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "rect":
            self.rects += 1
        if tag in ("meta", "br", "hr", "img", "input", "link", "line",
                   "rect"):
            return
        key = a.get("data-k")
        if key is not None:
            if key in self.values:
                raise SystemExit("html_check: data-k %r appears twice" % key)
            self.values[key] = ""
        self.stack.append((tag, key))

    def handle_startendtag(self, tag, attrs):
        if tag == "rect":
            self.rects += 1

    def handle_endtag(self, tag):
        if tag in ("rect", "line"):
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, key in self.stack:
            if key is not None:
                self.values[key] += data


def parse_summary(path):
    """data-k -> expected text, from summary.txt."""
    want = {}
    edits_seen = set()
    scope = None
    n = 0
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    for ln in lines:
        m = re.match(r"^file: (.*)$", ln)
        if m:
            n += 1
            scope = "file.%d" % n
            want[scope + ".name"] = m.group(1)
            continue
        m = re.match(r"^total: (\d+) files \((\d+) failed, (\d+) skipped\)$",
                     ln)
        if m:
            scope = "total"
            want["total.files"] = m.group(1)
            want["total.files_failed"] = m.group(2)
            want["total.files_skipped"] = m.group(3)
            continue
        if scope is None:
            continue
        m = re.match(r"^  skipped: (.*)$", ln)
        if m:
            want[scope + ".status"] = "skipped: " + m.group(1)
            continue
        m = re.match(r"^  status: (.*)$", ln)
        if m:
            want[scope + ".status"] = m.group(1)
            continue
        m = re.match(r"^  corrected: (none written|nothing went to standard "
                     r"output): every claim is held", ln)
        if m:
            want[scope + ".no_corrected"] = (
                want[scope + ".name"] + ": no corrected file")
            continue
        m = re.match(r"^  ([A-Za-z -]+): (\d+)$", ln)
        if m and m.group(1) in FIELDS:
            want["%s.%s" % (scope, FIELDS[m.group(1)])] = m.group(2)
            continue
        m = re.match(r"^  findings: (\d+) error, (\d+) warning, (\d+) info$",
                     ln)
        if m:
            want[scope + ".error"] = m.group(1)
            want[scope + ".warning"] = m.group(2)
            want[scope + ".info"] = m.group(3)
            continue
        m = re.match(r"^    ([A-Z_]+): (\d+)$", ln)
        if m and scope == "total":
            want["edit." + m.group(1)] = m.group(2)
            edits_seen.add(m.group(1))
    for k in list(want):
        if k.startswith("file.") and k.endswith(".name"):
            pre = k[: -len(".name")]
            if pre + ".status" not in want:
                want[pre + ".status"] = "ok"
    if "total.files" not in want:
        raise SystemExit("html_check: no total line in %s" % path)
    return want, edits_seen


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    want, edits_seen = parse_summary(sys.argv[1])
    dom = Dom()
    with open(sys.argv[2], encoding="utf-8") as fp:
        dom.feed(fp.read())
    got = dom.values
    bad = []
    for k, v in sorted(want.items()):
        if k not in got:
            bad.append("missing in the page: %s (summary.txt: %r)" % (k, v))
        elif got[k].strip() != v:
            bad.append("%s: page shows %r, summary.txt says %r"
                       % (k, got[k].strip(), v))
    for k, v in sorted(got.items()):
        if k.startswith("edit.") and k[5:] not in edits_seen and \
                v.strip() != "0":
            bad.append("%s: page shows %r, summary.txt lists none"
                       % (k, v.strip()))
        if k.startswith("file.") and k not in want:
            bad.append("%s: page shows %r, not in summary.txt" % (k, v))
    days = [int(v) for k, v in got.items() if k.startswith("day.")]
    total = sum(int(want.get("total." + s, "0"))
                for s in ("error", "warning", "info"))
    if sum(days) > total:
        bad.append("per-day findings %d exceed the total %d"
                   % (sum(days), total))
    if dom.rects != len(days):
        bad.append("chart has %d bars for %d days" % (dom.rects, len(days)))
    checked = len(want)
    for b in bad:
        print("html_check: " + b)
    if bad:
        return 1
    print("html_check: %d figures match summary.txt (%d days, %d bars)"
          % (checked, len(days), dom.rects))
    return 0


if __name__ == "__main__":
    sys.exit(main())
