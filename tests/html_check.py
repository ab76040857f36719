#!/usr/bin/env python3
"""html_check.py -- the numbers of report.html against the run's files

Usage: html_check.py SUMMARY.txt DOM.html [FINDINGS.csv [EPISODES.csv]]
       html_check.py --batch LIST   (one process for many pages: each line
                                     of LIST is LABEL<TAB>SUMMARY.txt<TAB>
                                     DOM.html[<TAB>FINDINGS.csv[<TAB>
                                     EPISODES.csv]]; see tests/batchrun.py)

DOM.html is the page as a browser rendered it (chromium --dump-dom), or
the file itself.

Against summary.txt: every figure it gives (per file and in total: claims
read, service lines, CAR-T lines, claims passed / fixed / held, findings
per severity, findings per edit id, file names, skip reasons, files
without a corrected output, file counts) must be shown in the element whose data-k attribute names it,
with exactly that text; edit ids summary.txt does not list must show 0;
the providers' and payer classes' claims and CAR-T lines add up to the
total.

Against findings.csv (computed here from its rows, independently of the
program): every finding listed as row "fID" with its claim id, patient,
provider, line, code, dates, units, before, after, line charge, action,
severity and detail; per edit its findings, claims, lines and their
charges; the money at stake per outcome (held, fixed, flagged, total:
claims and CLM02 charges, lines and their charges); per billing provider
and per payer class the findings, claims at stake and their charges, the
held charges; per file the charges at stake and held; the time axis:
findings per bucket (the unit the chart says: week from Monday, month,
year) of date_from, the same in the table and in the bars.

Against episodes.csv: the number of episodes and, per episode, patient,
dates of each step, lines, ledger lines, charges, held charges and the
number of findings.

Prints every mismatch and exits 1 if any.
"""
import csv
import datetime
import re
import sys
from decimal import Decimal
from html.parser import HTMLParser

FIELDS = {
    "claims read": "claims",
    "service lines": "lines",
    "CAR-T lines": "cart_lines",
    "claims passed": "claims_passed",
    "claims fixed": "claims_fixed",
    "claims held": "claims_held",
}
VOID = ("meta", "br", "hr", "img", "input", "link", "line", "rect",
        "circle", "path", "polyline")


class Dom(HTMLParser):
    """Collects the text (and data-v) of every element with a data-k, the
    cells of every finding row (tr id="fN"), the chart's bars."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self.money = {}
        self.stack = []  # (tag, key or None)
        self.bars = []   # (data-b, data-n)
        self.unit = None
        self.rows = {}   # finding id -> [cell text]
        self.row = None  # the finding row being read
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "rect" and "data-b" in a:
            self.bars.append((a["data-b"], a.get("data-n")))
        if tag == "svg" and "data-unit" in a:
            self.unit = a["data-unit"]
        if tag == "tr" and re.match(r"^f\d+$", a.get("id") or ""):
            self.row = int(a["id"][1:])
            self.rows[self.row] = []
        if tag == "td" and self.row is not None:
            self.cell = ""
        if tag in VOID:
            return
        key = a.get("data-k")
        if key is not None:
            if key in self.values:
                raise SystemExit("html_check: data-k %r appears twice" % key)
            self.values[key] = ""
            if "data-v" in a:
                self.money[key] = a["data-v"]
        self.stack.append((tag, key))

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        if tag == "rect" and "data-b" in a:
            self.bars.append((a["data-b"], a.get("data-n")))

    def handle_endtag(self, tag):
        if tag == "td" and self.row is not None and self.cell is not None:
            self.rows[self.row].append(self.cell.strip())
            self.cell = None
        if tag == "tr":
            self.row = None
        if tag in VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        for _, key in self.stack:
            if key is not None:
                self.values[key] += data


def parse_summary(path):
    """data-k -> expected text, from summary.txt; the edit ids listed; the
    file names in order."""
    want = {}
    edits_seen = set()
    names = []
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
            names.append(m.group(1))
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
    return want, edits_seen, names


def dec(s):
    return Decimal(s) if s else Decimal(0)


def money_text(v):
    """The page's text of an amount: $1,234.50."""
    q = v.quantize(Decimal("0.01"))
    sign = "-" if q < 0 else ""
    return "%s$%s" % (sign, "{:,.2f}".format(abs(q)))


def bucket(date, unit):
    """The first day of the bucket of unit holding date (CCYY-MM-DD)."""
    d = datetime.date.fromisoformat(date)
    if unit == "year":
        return "%04d-01-01" % d.year
    if unit == "month":
        return "%04d-%02d-01" % (d.year, d.month)
    return (d - datetime.timedelta(days=d.weekday())).isoformat()


class Expect:
    """Counts and sums from findings.csv."""

    def __init__(self, path):
        with open(path, newline="", encoding="utf-8") as fp:
            self.rows = list(csv.DictReader(fp))
        self.want = {}   # data-k -> text
        self.money = {}  # data-k -> Decimal
        claims = {}      # key -> (outcome, charge, provider, class, file)
        lines = {}       # (claim key, line) -> (outcome, charge)
        per_edit = {}
        for r in self.rows:
            e = r["edit"]
            pe = per_edit.setdefault(e, {"n": 0, "claims": set(),
                                         "lines": set()})
            pe["n"] += 1
            if e == "ENVELOPE_INVALID" or not r["claim_id"]:
                continue
            ck = (r["file"], r["interchange"], r["group"], r["transaction"],
                  r["claim_id"])
            disp = r["claim_disposition"]
            oc = {"held": "held", "fixed": "fixed"}.get(disp, "flagged")
            claims[ck] = (oc, dec(r["claim_charge"]), r["provider"],
                          r["payer_class"], r["file"])
            pe["claims"].add(ck)
            if r["line"]:
                lk = (ck, r["line"])
                lo = "held" if oc == "held" else (
                    "fixed" if r["action"] == "fixed" else "flagged")
                prev = lines.get(lk)
                if prev and prev[0] == "fixed":
                    lo = prev[0] if lo == "flagged" else lo
                lines[lk] = (lo, dec(r["line_charge"]))
                pe["lines"].add(lk)
        self.claims, self.lines = claims, lines
        for e, pe in per_edit.items():
            self.want["edit.%s.lines" % e] = str(len(pe["lines"]))
            self.money["edit.%s.line_charges" % e] = sum(
                (lines[k][1] for k in pe["lines"]), Decimal(0))
            self.money["edit.%s.claim_charges" % e] = sum(
                (claims[k][1] for k in pe["claims"]), Decimal(0))
            if e != "ENVELOPE_INVALID":
                self.want["edit.%s.claims" % e] = str(len(pe["claims"]))
        for o in ("held", "fixed", "flagged", "total"):
            cs = [c for c in claims.values() if o in ("total", c[0])]
            ls = [v for v in lines.values() if o in ("total", v[0])]
            self.want["money.%s.claims" % o] = str(len(cs))
            self.want["money.%s.lines" % o] = str(len(ls))
            self.money["money.%s.claim_charges" % o] = sum(
                (c[1] for c in cs), Decimal(0))
            self.money["money.%s.line_charges" % o] = sum(
                (v[1] for v in ls), Decimal(0))
        self.group("provider", 2)
        self.group("payer", 3)
        self.want["findings.listed"] = str(len(self.rows))

    def group(self, name, col):
        """provider.NPI.* / payer.CLASS.*: findings, claims at stake, their
        charges, the held ones' charges."""
        found = {}
        for r in self.rows:
            if r["edit"] == "ENVELOPE_INVALID" or not r["claim_id"]:
                continue
            k = r["provider"] if name == "provider" else r["payer_class"]
            found[k] = found.get(k, 0) + 1
        for k, n in found.items():
            cs = [c for c in self.claims.values() if c[col] == k]
            self.want["%s.%s.findings" % (name, k)] = str(n)
            self.want["%s.%s.stake_claims" % (name, k)] = str(len(cs))
            self.money["%s.%s.stake_charges" % (name, k)] = sum(
                (c[1] for c in cs), Decimal(0))
            self.money["%s.%s.held_charges" % (name, k)] = sum(
                (c[1] for c in cs if c[0] == "held"), Decimal(0))

    def files(self, names):
        """filemoney.N.*, N as summary.txt numbers the files."""
        for i, f in enumerate(names, 1):
            cs = [c for c in self.claims.values() if c[4] == f]
            if not cs:  # a skipped or failed file, or none at stake
                continue
            self.money["filemoney.%d.stake_charges" % i] = sum(
                (c[1] for c in cs), Decimal(0))
            self.money["filemoney.%d.held_charges" % i] = sum(
                (c[1] for c in cs if c[0] == "held"), Decimal(0))

    def finding_cells(self, r):
        """A finding row's cells as the page shows them."""
        return [r["id"], r["claim_id"], r["patient"], r["provider"],
                r["line"], r["code"], r["date_from"], r["date_to"],
                r["units"], r["before"], r["after"],
                money_text(dec(r["line_charge"])) if r["line_charge"] else "",
                r["action"], r["severity"], r["detail"]]


def check_findings(dom, path, names, bad):
    """The page against findings.csv; returns the figures checked."""
    ex = Expect(path)
    ex.files(names)
    got = dom.values
    n = 0
    for k, v in sorted(ex.want.items()):
        n += 1
        if k not in got:
            bad.append("missing in the page: %s (findings.csv: %r)" % (k, v))
        elif got[k].strip() != v:
            bad.append("%s: page shows %r, findings.csv gives %r"
                       % (k, got[k].strip(), v))
    for k, v in sorted(ex.money.items()):
        n += 1
        if k not in dom.money:
            bad.append("missing in the page: amount %s (findings.csv: %s)"
                       % (k, v))
        elif Decimal(dom.money[k]) != v:
            bad.append("%s: page has %s, findings.csv gives %s"
                       % (k, dom.money[k], v))
        elif got[k].strip() != money_text(v):
            bad.append("%s: page shows %r for %s" % (k, got[k].strip(), v))
    for r in ex.rows:
        n += 1
        cells = dom.rows.get(int(r["id"]))
        want = ex.finding_cells(r)
        if cells is None:
            bad.append("finding %s (findings.csv) is not listed" % r["id"])
        elif cells[: len(want)] != want:
            bad.append("finding %s: page shows %r, findings.csv %r"
                       % (r["id"], cells, want))
    if len(dom.rows) != len(ex.rows):
        bad.append("the page lists %d findings, findings.csv has %d"
                   % (len(dom.rows), len(ex.rows)))
    # the time axis
    if not any(r["date_from"] for r in ex.rows) and not dom.bars:
        pass  # no dated finding: no bar, whatever the unit
    elif dom.unit not in ("week", "month", "year"):
        bad.append("the chart names no unit (data-unit): %r" % dom.unit)
        return n
    per = {}
    undated = 0
    for r in ex.rows:
        if r["date_from"]:
            b = bucket(r["date_from"], dom.unit)
            per[b] = per.get(b, 0) + 1
        else:
            undated += 1
    table = {k[7:]: int(v) for k, v in got.items()
             if k.startswith("bucket.") and k != "bucket.undated"}
    table = {k: v for k, v in table.items() if v}
    if table != per:
        bad.append("findings per %s: table %r, findings.csv %r"
                   % (dom.unit, sorted(table.items()), sorted(per.items())))
    bars = {b: int(v) for b, v in dom.bars if int(v)}
    if bars != per:
        bad.append("findings per %s: bars %r, findings.csv %r"
                   % (dom.unit, sorted(bars.items()), sorted(per.items())))
    if got.get("bucket.undated", "0").strip() != str(undated):
        bad.append("undated findings: page %r, findings.csv %d"
                   % (got.get("bucket.undated"), undated))
    return n + len(per) + 1


EP_TEXT = ("patient", "episode", "first_date", "last_date", "collect_date",
           "ship_date", "receive_date", "administer_date", "product_date",
           "lines", "lines_ledger")


def check_episodes(dom, path, bad):
    """The page against episodes.csv; returns the figures checked."""
    with open(path, newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    got = dom.values
    n = 1
    if got.get("episodes.count", "").strip() != str(len(rows)):
        bad.append("episodes.count: page %r, episodes.csv has %d"
                   % (got.get("episodes.count"), len(rows)))
    for r in rows:
        pre = "episode.%s." % r["episode"]
        for f in EP_TEXT:
            n += 1
            if got.get(pre + f, "").strip() != r[f]:
                bad.append("%s%s: page %r, episodes.csv %r"
                           % (pre, f, got.get(pre + f), r[f]))
        ids = r["findings"].split()
        if got.get(pre + "n_findings", "").strip() != str(len(ids)):
            bad.append("%sn_findings: page %r, episodes.csv %d ids"
                       % (pre, got.get(pre + "n_findings"), len(ids)))
        for f in ("charges", "charges_held"):
            n += 1
            if Decimal(dom.money.get(pre + f, "-1")) != dec(r[f]):
                bad.append("%s%s: page %r, episodes.csv %r"
                           % (pre, f, dom.money.get(pre + f), r[f]))
    return n


def check_sums(got, want, bad):
    """Providers and payer classes add up to the totals of summary.txt."""
    for g in ("provider", "payer"):
        for f in ("claims", "cart_lines"):
            s = sum(int(v) for k, v in got.items()
                    if k.startswith(g + ".") and k.endswith("." + f))
            if str(s) != want.get("total." + f):
                bad.append("%s %s add up to %d, summary.txt total %s"
                           % (g, f, s, want.get("total." + f)))


def main(argv):
    if len(argv) == 2 and argv[0] == "--batch":
        sys.dont_write_bytecode = True  # no __pycache__ in tests/
        import batchrun
        return batchrun.run(argv[1], main)
    if len(argv) not in (2, 3, 4):
        raise SystemExit(__doc__)
    want, edits_seen, names = parse_summary(argv[0])
    dom = Dom()
    with open(argv[1], encoding="utf-8") as fp:
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
        if re.match(r"^edit\.[A-Z_]+$", k) and k[5:] not in edits_seen and \
                v.strip() != "0":
            bad.append("%s: page shows %r, summary.txt lists none"
                       % (k, v.strip()))
        if k.startswith("file.") and k not in want:
            bad.append("%s: page shows %r, not in summary.txt" % (k, v))
    check_sums(got, want, bad)
    checked = len(want)
    extra = ""
    if len(argv) >= 3:
        nf = check_findings(dom, argv[2], names, bad)
        extra += ", %d against findings.csv" % nf
    if len(argv) == 4:
        ne = check_episodes(dom, argv[3], bad)
        extra += ", %d against episodes.csv" % ne
    for b in bad:
        print("html_check: " + b)
    if bad:
        return 1
    print("html_check: %d figures match summary.txt%s (%d bars per %s)"
          % (checked, extra, len(dom.bars), dom.unit))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
