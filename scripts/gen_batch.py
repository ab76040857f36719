#!/usr/bin/env python3
"""gen_batch.py -- random but structurally valid 837 batches for cart837.

Usage:
  scripts/gen_batch.py --seed N --claims K [--cart-rate R] [--bytes SIZE]
                       [--kind mixed|P|I]
                       [--gzip] [--out FILE|-]
  scripts/gen_batch.py --seed N --bytes SIZE --files F [--cart-rate R]
                       [--gzip] --out DIR

Writes a batch of X12 5010 837 claims for the property test (every batch
must come out of cart837 with claims conserved and valid X12) and for the
benchmark (1 MB and 1 GB files, and many small files).  The same seed
and options always give the same bytes.

- Mixes 837P and 837I groups (--kind P or I: only one), several interchanges per file, 1-3 groups
  per interchange, 1-4 transactions per group, subscriber and dependent
  patient (2000C) loops, several billing providers.
- Members come from a pool that grows with the batch (about one new
  subscriber per 3 claims; the others recent ones), so that a patient has
  a handful of claims and CAR-T lines however large the batch, as in real
  data, and benchmarks scale like real files.
- Each interchange picks a legal delimiter set at random (element,
  component, repetition, segment terminator) and CRLF, LF or nothing
  after the terminator.
- About R (--cart-rate, default 0.3) of the claims carry CAR-T lines
  (38225-38228, 0537T-0540T, Q2041-Q2058, C9076, watch codes) with random
  errors: units over the cap, deleted or not-yet-valid codes, wrong or
  missing revenue codes, RD8 ranges, invalid units or unit basis,
  duplicates across claims of the same patient, voids (freq 8) and
  replacements (freq 7) of earlier claims.
- Envelopes are always valid: SE01, ST02/SE02, GS06/GE02, ISA13/IEA02,
  GE01, IEA01, HL numbering and parents, LX 1..n, CLM02 = sum of lines.

Stops after K claims (--claims), or once SIZE bytes of uncompressed 837
were written (--bytes, suffixes K, M, G = powers of 1024), whichever
comes first; always ends on a complete interchange.  With --files F the
batch is dealt into F files DIR/0001.837 ... (numbered with as many
digits as F has; .837.gz with --gzip), each of complete interchanges and
about SIZE bytes: one batch, so members, claim ids and control numbers
run on across the files as if a large batch had been split.  Output is streamed
one transaction at a time: memory does not grow with the batch.  A
summary line (counts of interchanges, groups, transactions, claims,
lines, CAR-T lines, bytes) goes to stderr.

Python 3 standard library only.
"""

import argparse
import collections
import gzip
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_samples as g  # noqa: E402  (the X12 building blocks)

# Legal delimiter sets: (element, component, repetition, segment).  None
# of these characters occurs in the generated data.
DELIM_SETS = [("*", ":", "^", "~"), ("*", ">", "|", "~"),
              ("*", "|", "^", "~"), ("|", ">", "^", "~"),
              ("^", "}", "{", "'"), ("*", ":", "^", "\n"),
              ("!", ">", "^", "~"), ("*", ":", "{", "~")]
EOLS = ["", "\n", "\r\n"]
# Member pool (see Batch.__init__): chance that a draw makes a new
# subscriber, and how many recent subscribers the others are drawn from.
NEW_MEMBER = 0.6
WINDOW = 500

P_CODES = [("99213", 13500), ("99214", 19500), ("36415", 1500),
           ("85025", 2900), ("80053", 3800), ("96413", 41000),
           ("99204", 26000), ("71046", 9000), ("93000", 4500)]
I_CODES = [("0300", "85025", 2900), ("0301", "80053", 3800),
           ("0450", "99284", 98000), ("0636", "J1885", 1800),
           ("0324", "71046", 21000), ("0510", "99213", 15000),
           ("0250", "", 18000), ("0730", "93005", 7600)]
STEP_NEW = ["38225", "38226", "38227", "38228"]
STEP_OLD = ["0537T", "0538T", "0539T", "0540T"]
PRODUCTS = ["Q2041", "Q2042", "Q2053", "Q2054", "Q2055", "Q2056", "Q2058"]
WATCH = ["38205", "38206", "38207", "38208", "38210", "38215", "36511",
         "36514"]
CART_CODES = set(STEP_NEW + STEP_OLD + PRODUCTS + WATCH + ["C9076"])
DX = ["C8330", "C8338", "C9100", "C9000", "E119", "I10", "J069", "R079",
      "Z006", "D649"]


def parse_size(s):
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    s = s.strip().upper().rstrip("B")
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)


class Batch:
    """State of one generated batch: the RNG, a fixed pool of providers,
    a growing pool of members (the last WINDOW of them in memory), a
    small ring of recent claims (for voids and replacements), and the
    counters."""

    def __init__(self, seed, cart_rate):
        self.r = random.Random(seed)
        self.seed = seed
        self.cart_rate = cart_rate
        r = self.r
        self.clinics = [g.Provider("CLINIC %s ONCOLOGY" % n, "1%08d" %
                                   r.randrange(10 ** 8), "3%08d" %
                                   r.randrange(10 ** 8), "%d MAIN ST" %
                                   (100 + i), "RIVERBEND", "OH",
                                   "43215%04d" % i, "207RH0003X")
                        for i, n in enumerate(["ALPHA", "BRAVO", "CEDAR"])]
        self.hospitals = [g.Provider("%s GENERAL HOSPITAL" % n, "1%08d" %
                                     r.randrange(10 ** 8), "3%08d" %
                                     r.randrange(10 ** 8),
                                     "%d HARBOR RD" % (200 + i), "LAKESHORE",
                                     "OH", "44012%04d" % i, "282N00000X")
                          for i, n in enumerate(["DELTA", "EASTON", "FAIR"])]
        # Members are made as they are needed: a draw makes a new
        # subscriber with probability NEW_MEMBER, else picks one of the
        # last WINDOW members made.  The pool grows with the batch
        # (about claims / 3 distinct subscribers) and a member's claims
        # cluster in time, so that each patient has a handful of CAR-T
        # lines however big the batch is, as in real data; only the
        # window is kept in memory.
        self.cast = g.Cast("RB%d" % (seed % 1000))
        self.subs = collections.deque()   # the last WINDOW members
        self.n_subs = 0
        self.recent = []          # (kind, prov, person, Claim) ring
        self.anchors = {}         # patient -> anchor date (window only)
        self.anchor = 20250101
        self.n = {"isa": 0, "gs": 0, "st": 0, "claims": 0, "lines": 0,
                  "cart": 0, "bytes": 0}

    # -- members -------------------------------------------------------
    def new_subscriber(self):
        """A new subscriber (with 0-2 dependents) joins the window; the
        oldest member leaves it (and its patients' anchor dates go)."""
        r = self.r
        i = self.n_subs
        self.n_subs += 1
        p = self.cast.person(19400101 + r.randrange(60) * 10000 +
                             r.randrange(1, 13) * 100 + r.randrange(1, 29),
                             r.choice("MF"))
        p.member_id = "RB%dM%06d" % (self.seed % 1000, i)
        deps = []
        if r.random() < 0.25:
            for j in range(r.randrange(1, 3)):
                deps.append(self.cast.dependent(
                    p, g.FIRST[(i + 5 * j) % len(g.FIRST)],
                    20050101 + r.randrange(15) * 10000 +
                    r.randrange(1, 13) * 100 + r.randrange(1, 29),
                    r.choice("MF")))
        self.subs.append((p, deps))
        if len(self.subs) > WINDOW:
            old, old_deps = self.subs.popleft()
            for who in [old] + old_deps:
                self.anchors.pop((old.member_id, who.first), None)
        return p, deps

    def subscriber(self):
        """The subscriber of the next claims: new, or a recent one."""
        r = self.r
        if not self.subs or r.random() < NEW_MEMBER:
            return self.new_subscriber()
        return self.subs[r.randrange(len(self.subs))]

    # -- random pieces -------------------------------------------------
    def date(self):
        """A date of service: near the current patient's anchor date (so
        that duplicates and sequences across claims of one patient
        happen), within 2024-10-01 .. 2026-01-31."""
        r = self.r
        return g.add_days(self.anchor, r.randrange(0, 30))

    def set_patient(self, person):
        key = (person.subscriber.member_id, person.first)
        a = self.anchors.get(key)
        if a is None:
            a = self.anchors[key] = g.add_days(20241001,
                                               self.r.randrange(0, 460))
        self.anchor = a

    def units_text(self, step_code):
        r = self.r
        x = r.random()
        if x < 0.80:
            return "1"
        if x < 0.90:
            return str(r.randrange(2, 4))       # over the daily cap
        return r.choice(["0", "-1", "A", "0.5", "1.000"])

    def cart_lines(self, kind, inpatient):
        """1-3 CAR-T (or watch) lines, with random errors."""
        r = self.r
        out = []
        d = self.date()
        for _ in range(r.randrange(1, 4)):
            x = r.random()
            if x < 0.55:
                step = r.randrange(4)
                old = r.random() < 0.15
                code = (STEP_OLD if old else STEP_NEW)[step]
                if r.random() < 0.1:
                    d = g.add_days(20241220, r.randrange(20))  # boundary
                units = self.units_text(code)
                d2 = None
                if r.random() < 0.08:
                    days = r.randrange(2, 5)
                    d2 = g.add_days(d, days - 1)
                    units = r.choice([str(days), "1", str(days - 1)])
                rev = g.REV[code]
                if r.random() < 0.08:
                    rev = r.choice(["0871", "0872", "0873", "0874", "0891"])
                basis = "MJ" if r.random() < 0.03 else "UN"
                try:
                    u = max(float(units), 1)
                except ValueError:
                    u = 1
                charge = int(g.CHG[code] * u)
                out.append(g.Line(code, charge, units, d, d2,
                                  basis=basis if kind == "P" else
                                  ("DA" if basis == "MJ" else "UN"),
                                  rev=rev if kind == "I" else None,
                                  mods=r.choice([(), (), ("KX",), ("PO",)])))
            elif x < 0.85:
                code = r.choice(PRODUCTS + ["C9076"] if r.random() < 0.1
                                else PRODUCTS)
                if kind == "P":
                    units = r.choice(["0.1", "0.1", "0.2", "0.5", "1"])
                    mods = r.choice([("LU",), ("LU", "76")])
                else:
                    units = "1"
                    mods = ()
                charge = int(46200000 * float(units))
                rev = "0892" if inpatient else "0891"
                if r.random() < 0.05:
                    rev = "0871"
                out.append(g.Line(code, charge, units, d, mods=mods,
                                  rev=rev if kind == "I" else None))
            elif x < 0.93:
                code = r.choice(WATCH)
                out.append(g.Line(code, 210000, "1", d,
                                  rev="0891" if kind == "I" else None))
            else:
                if kind == "I":
                    rev = r.choice(["0871", "0872", "0873", "0874"])
                    code = r.choice(["", "99213"])
                    out.append(g.Line(code, 120000, "1", d, rev=rev))
                else:
                    out.append(g.Line("38228", 300000, "1", d))
        return out

    def plain_lines(self, kind, inpatient):
        r = self.r
        d = self.date()
        out = []
        for _ in range(r.randrange(1, 5)):
            if kind == "P":
                code, chg = r.choice(P_CODES)
                out.append(g.Line(code, chg + r.randrange(0, 100) * 5,
                                  r.choice(["1", "1", "2"]), d,
                                  mods=r.choice([(), (), ("25",)])))
            elif inpatient:
                rev, code, chg = r.choice(I_CODES)
                out.append(g.Line(code, chg * r.randrange(1, 4),
                                  str(r.randrange(1, 4)), None, rev=rev))
            else:
                rev, code, chg = r.choice(I_CODES)
                out.append(g.Line(code, chg, "1", d, rev=rev))
        return out

    def claim(self, kind, prov, person):
        r = self.r
        self.n["claims"] += 1
        cid = "B%d-%d" % (self.seed, self.n["claims"])
        # a void or replacement of a recent claim of the same kind
        if self.recent and r.random() < 0.03:
            k, p0, who, old = self.recent[r.randrange(len(self.recent))]
            if k == kind and p0 is prov:
                c = g.Claim(old.cid, kind, list(old.lines),
                            freq=r.choice("78"), fac=old.fac,
                            dx=old.dx, stmt=old.stmt, admit=old.admit,
                            orig_ref="PCN%09d" % r.randrange(10 ** 9))
                self.count_lines(c)
                return who, c
        self.set_patient(person)
        inpatient = kind == "I" and r.random() < 0.15
        lines = []
        if r.random() < self.cart_rate:
            lines += self.cart_lines(kind, inpatient)
        if not lines or r.random() < 0.3:
            lines += self.plain_lines(kind, inpatient)
        dx = tuple(r.sample(DX, r.randrange(1, 4)))
        if kind == "I":
            ds = [l.d1 for l in lines if l.d1] + [l.d2 for l in lines
                                                    if l.d2]
            a = min(ds) if ds else self.date()
            b = max(ds) if ds else a
            if inpatient:
                b = max(b, g.add_days(a, r.randrange(1, 6)))
            c = g.Claim(cid, kind, lines, fac="11" if inpatient else "13",
                        dx=dx, stmt=(a, b),
                        admit="%d0800" % a if inpatient else None,
                        pcs=("XW033C3", a) if inpatient else None)
        else:
            c = g.Claim(cid, kind, lines, dx=dx, pos=r.choice(["11", "22"]))
        self.count_lines(c)
        self.recent.append((kind, prov, person, c))
        if len(self.recent) > 64:
            self.recent.pop(0)
        return person, c

    def count_lines(self, c):
        self.n["lines"] += len(c.lines)
        self.n["cart"] += sum(1 for l in c.lines if l.code in CART_CODES)

    def transaction_items(self, kind, max_claims):
        """Items for one transaction: 1-3 providers, each with 1-4
        subscribers, each with 1-3 claims (own and/or dependents')."""
        r = self.r
        provs = self.clinics if kind == "P" else self.hospitals
        items = []
        for prov in r.sample(provs, r.randrange(1, 3)):
            for _ in range(r.randrange(1, 5)):
                sub, deps = self.subscriber()
                people = [sub] + deps
                for _ in range(r.randrange(1, 4)):
                    if len(items) >= max_claims:
                        return items
                    who = r.choice(people)
                    who, c = self.claim(kind, prov, who)
                    items.append((prov, who, c))
        return items


def generate(args, write, next_file=None):
    """Writes the batch through write(bytes).  With next_file (--files),
    --bytes limits each file: once a file has that many bytes,
    next_file() gives the write function of the next file, or None when
    there is none left."""
    b = Batch(args.seed, args.cart_rate)
    r = b.r
    limit_claims = args.claims if args.claims > 0 else None
    limit_bytes = args.bytes
    cur = {"write": write, "start": 0}   # this file's sink and first byte

    def claims_done():
        return limit_claims is not None and b.n["claims"] >= limit_claims

    def done():
        if claims_done():
            return True
        return (limit_bytes is not None and
                b.n["bytes"] - cur["start"] >= limit_bytes)

    def out(text):
        data = text.encode("ascii")
        b.n["bytes"] += len(data)
        cur["write"](data)

    def more():
        if not done():
            return True
        if next_file is None or claims_done():
            return False
        cur["write"] = next_file()
        cur["start"] = b.n["bytes"]
        return cur["write"] is not None

    isa_ctl = 1000 + args.seed % 1000 * 10000
    st_ctl = 0
    while more():
        isa_ctl += 1
        b.n["isa"] += 1
        es, cs, rs, ss = DELIM_SETS[r.randrange(len(DELIM_SETS))]
        dl = g.Delims(es, cs, rs, ss, "" if ss == "\n" else r.choice(EOLS))
        when = (20251001 + r.randrange(0, 28), "%02d%02d" %
                (r.randrange(24), r.randrange(60)))
        out(g.render(g.isa_segment(isa_ctl, dl, when), dl))
        n_groups = r.randrange(1, 4)
        groups = 0
        for gi in range(n_groups):
            if done():
                break
            kind = r.choice("PI")  # drawn even with --kind: same stream
            if args.kind != "mixed":
                kind = args.kind
            gs06 = isa_ctl * 10 + gi
            out(g.render(g.gs_segment(kind, gs06, when), dl))
            groups += 1
            b.n["gs"] += 1
            n_txn = 0
            for _ in range(r.randrange(1, 5)):
                if done() and n_txn:
                    break
                left = (limit_claims - b.n["claims"]
                        if limit_claims is not None else 10 ** 9)
                items = b.transaction_items(kind, max(left, 1))
                st_ctl += 1
                segs = g.transaction_segments(kind, "%04d" % (st_ctl % 10000),
                                              items, "R%d" % st_ctl, when)
                out("".join(g.render(s, dl) for s in segs))
                n_txn += 1
                b.n["st"] += 1
            out(g.render(["GE", str(n_txn), str(gs06)], dl))
        out(g.render(["IEA", str(groups), "%09d" % isa_ctl], dl))
    return b.n


def main(argv):
    ap = argparse.ArgumentParser(
        description="random valid 837 batches for cart837 tests/benchmarks")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--claims", type=int, default=0,
                    help="stop after K claims (0: only --bytes limits)")
    ap.add_argument("--cart-rate", type=float, default=0.3,
                    help="share of claims with CAR-T lines (default 0.3)")
    ap.add_argument("--bytes", type=parse_size, default=None,
                    help="stop once SIZE uncompressed bytes are written "
                         "(suffix K, M, G)")
    ap.add_argument("--kind", choices=["mixed", "P", "I"], default="mixed",
                    help="837P and 837I groups (mixed, the default), or "
                         "only 837P (P) or only 837I (I) groups")
    ap.add_argument("--gzip", action="store_true",
                    help="gzip-compress the output")
    ap.add_argument("--files", type=int, default=0,
                    help="deal the batch into F files of about --bytes "
                         "each, in the directory --out")
    ap.add_argument("--out", default="-", help="output file, - = stdout")
    args = ap.parse_args(argv[1:])
    if args.claims <= 0 and args.bytes is None:
        ap.error("give --claims K and/or --bytes SIZE")
    if args.seed < 0:
        ap.error("--seed must be >= 0")
    if args.files < 0 or (args.files and (args.bytes is None or
                                          args.out == "-")):
        ap.error("--files F needs --bytes SIZE (per file) and --out DIR")
    open_files = []   # (sink, raw) not yet closed

    def open_sink(path):
        raw = sys.stdout.buffer if path == "-" else open(path, "wb")
        sink = gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                             mtime=0) if args.gzip else raw
        open_files.append((sink, raw))
        return sink.write

    def close_all():
        while open_files:
            sink, raw = open_files.pop()
            if sink is not raw:
                sink.close()
            if raw is sys.stdout.buffer:
                raw.flush()
            else:
                raw.close()

    made = [0]

    def next_file():
        close_all()
        if made[0] == args.files:
            return None
        made[0] += 1
        return open_sink(os.path.join(args.out, "%0*d.837%s" % (
            len(str(args.files)), made[0], ".gz" if args.gzip else "")))

    try:
        if args.files:
            os.makedirs(args.out, exist_ok=True)
            n = generate(args, next_file(), next_file)
        else:
            n = generate(args, open_sink(args.out))
    finally:
        close_all()
    if args.files:
        sys.stderr.write("gen_batch: files=%d\n" % made[0])
    sys.stderr.write("gen_batch: seed=%d interchanges=%d groups=%d "
                     "transactions=%d claims=%d lines=%d cart_lines=%d "
                     "bytes=%d\n" % (args.seed, n["isa"], n["gs"], n["st"],
                                     n["claims"], n["lines"], n["cart"],
                                     n["bytes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
