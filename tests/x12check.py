#!/usr/bin/env python3
"""x12check.py -- independent structural checker for X12 837 files.

Re-parses 837 files without any of cart837's C code and checks the rules
the corrected and held outputs promise (issue 4):

  * SE01 = number of segments from ST to SE; SE02 = ST02
  * GE01 = number of ST sets in the group; GE02 = GS06
  * IEA01 = number of GS groups in the interchange; IEA02 = ISA13; an
    interchange has at least one group
  * in an 837: HL ids run 1, 2, 3 ... in each transaction, HL02 names an
    earlier HL (empty for the first), HL04 = 1 exactly when a child HL
    follows, every HL without child HLs has at least one claim
  * LX numbers run 1, 2, 3 ... within each claim
  * CLM02 = sum of the line charges (SV102 / SV203, SV302 for 837D),
    checked when every line has its service segment

Usage:
  x12check.py FILE...                     check structure; exit 1 on any
                                          violation (each printed with the
                                          file and segment number)
  x12check.py --conserve IN OUT [HELD]    the multiset of CLM01 values of
                                          IN equals OUT + HELD, and every
                                          claim of HELD is byte-identical
                                          to a claim of IN with the same
                                          CLM01 (its segments from CLM to
                                          before the next HL / CLM / SE,
                                          whitespace after terminators
                                          ignored); OUT claims may differ
                                          (they may have been fixed)
  x12check.py --conserve-list LIST       the same for every line of LIST:
                                          "IN<TAB>OUT[<TAB>HELD]"
  x12check.py --count FILE...             print "FILE claims N lines M"

Delimiters come from each ISA; any line endings; gzip files are read
through the gzip module.  Python 3 standard library only.
"""
import collections
import gzip
import sys
from decimal import Decimal, InvalidOperation


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("latin-1")


def segments(text):
    """Yields (number, elements, element_sep, component_sep, body) for
    every segment, reading the delimiters of each interchange from its
    ISA; body is the segment's text without terminator and without the
    whitespace around it."""
    pos = 0
    n = len(text)
    term = None
    esep = csep = None
    number = 0
    while pos < n:
        # skip a byte-order mark and whitespace between segments
        while pos < n and text[pos] in "\ufeff\xef\xbb\xbf\r\n \t":
            pos += 1
        if pos >= n:
            break
        if text.startswith("ISA", pos) and pos + 4 <= n:
            esep = text[pos + 3]
            # ISA16 is the 16th element: find its separator
            count = 0
            i = pos + 3
            while i < n and count < 16:
                if text[i] == esep:
                    count += 1
                i += 1
            if count < 16 or i >= n:
                raise ValueError("malformed ISA at offset %d" % pos)
            csep = text[i]
            term = text[i + 1] if i + 1 < n else None
            if term is None:
                raise ValueError("ISA without a segment terminator")
            body = text[pos:i + 1]
            pos = i + 2
        else:
            if term is None:
                raise ValueError("data before the first ISA at offset %d"
                                 % pos)
            end = text.find(term, pos)
            if end < 0:
                end = n
            body = text[pos:end]
            pos = end + 1
        body = body.strip("\r\n")
        if not body:
            continue
        number += 1
        yield number, body.split(esep), esep, csep, body


def el(seg, i):
    return seg[i] if i < len(seg) else ""


def money(s):
    try:
        return Decimal(s.strip())
    except (InvalidOperation, AttributeError):
        return None


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.claims = []   # CLM01 values
        self.claim_segs = []  # (CLM01, (segment bodies...)) per claim
        self.lines = 0

    def bad(self, number, msg):
        self.errors.append("%s: segment %d: %s" % (self.path, number, msg))

    def run(self):
        try:
            text = read_text(self.path)
            segs = list(segments(text))
        except (OSError, ValueError) as e:
            self.errors.append("%s: %s" % (self.path, e))
            return
        isa = gs = st = None
        for number, seg, esep, csep, body in segs:
            tag = seg[0]
            if tag == "ISA":
                if isa is not None:
                    self.bad(number, "ISA inside an open interchange")
                isa = {"ctl": el(seg, 13).strip(), "groups": 0, "n": number}
                continue
            if tag == "IEA":
                if isa is None:
                    self.bad(number, "IEA without ISA")
                    continue
                if gs is not None:
                    self.bad(number, "IEA inside an open group")
                if not (el(seg, 1).strip().isdigit() and
                        int(el(seg, 1)) == isa["groups"]):
                    self.bad(number, "IEA01=%s but the interchange has %d "
                             "groups" % (el(seg, 1), isa["groups"]))
                if el(seg, 2).strip() != isa["ctl"]:
                    self.bad(number, "IEA02=%s does not match ISA13=%s"
                             % (el(seg, 2), isa["ctl"]))
                if isa["groups"] == 0:
                    self.bad(number, "interchange ISA13=%s has no functional "
                             "group (a receiver takes none such)"
                             % isa["ctl"])
                isa = None
                continue
            if tag == "GS":
                if isa is None:
                    self.bad(number, "GS outside an interchange")
                else:
                    isa["groups"] += 1
                if gs is not None:
                    self.bad(number, "GS inside an open group")
                gs = {"ctl": el(seg, 6).strip(), "sets": 0}
                continue
            if tag == "GE":
                if gs is None:
                    self.bad(number, "GE without GS")
                    continue
                if st is not None:
                    self.bad(number, "GE inside an open transaction")
                if not (el(seg, 1).strip().isdigit() and
                        int(el(seg, 1)) == gs["sets"]):
                    self.bad(number, "GE01=%s but the group has %d "
                             "transaction sets" % (el(seg, 1), gs["sets"]))
                if el(seg, 2).strip() != gs["ctl"]:
                    self.bad(number, "GE02=%s does not match GS06=%s"
                             % (el(seg, 2), gs["ctl"]))
                gs = None
                continue
            if tag == "ST":
                if gs is None:
                    self.bad(number, "ST outside a group")
                else:
                    gs["sets"] += 1
                if st is not None:
                    self.bad(number, "ST inside an open transaction")
                st = {"ctl": el(seg, 2).strip(), "count": 1,
                      "is837": el(seg, 1) == "837", "hls": [],
                      "claim": None}
                continue
            if st is None:
                self.bad(number, "segment %s outside a transaction" % tag)
                continue
            st["count"] += 1
            if tag == "SE":
                self.end_claim(st)
                if not (el(seg, 1).strip().isdigit() and
                        int(el(seg, 1)) == st["count"]):
                    self.bad(number, "SE01=%s but the transaction has %d "
                             "segments from ST to SE"
                             % (el(seg, 1), st["count"]))
                if el(seg, 2).strip() != st["ctl"]:
                    self.bad(number, "SE02=%s does not match ST02=%s"
                             % (el(seg, 2), st["ctl"]))
                if st["is837"]:
                    self.check_hls(st)
                st = None
                continue
            if not st["is837"]:
                continue
            self.in_837(st, number, seg, csep, body)

    def in_837(self, st, number, seg, csep, body):
        tag = seg[0]
        if tag == "HL":
            self.end_claim(st)
            st["hls"].append({"n": number, "id": el(seg, 1),
                              "parent": el(seg, 2), "hl04": el(seg, 4),
                              "claims": 0})
            return
        if tag == "CLM":
            self.end_claim(st)
            if st["hls"]:
                st["hls"][-1]["claims"] += 1
            self.claims.append(el(seg, 1))
            st["claim"] = {"n": number, "id": el(seg, 1),
                           "total": money(el(seg, 2)), "lines": [],
                           "charges": Decimal(0), "charges_ok": True,
                           "sv": [], "segs": [body]}
            return
        c = st["claim"]
        if c is None:
            return
        c["segs"].append(body)
        if tag == "LX":
            c["lines"].append((number, el(seg, 1)))
            c["sv"].append(False)
            self.lines += 1
        elif tag in ("SV1", "SV2", "SV3") and c["lines"] and \
                not c["sv"][-1]:
            c["sv"][-1] = True
            v = money(el(seg, 3 if tag == "SV2" else 2))
            if v is None:
                c["charges_ok"] = False
            else:
                c["charges"] += v

    def end_claim(self, st):
        c = st["claim"]
        st["claim"] = None
        if c is None:
            return
        self.claim_segs.append((c["id"], tuple(c["segs"])))
        for k, (number, lx) in enumerate(c["lines"], 1):
            if lx.strip() != str(k):
                self.bad(number, "claim %s: LX01=%s, expected %d"
                         % (c["id"], lx, k))
        if c["lines"] and c["charges_ok"] and all(c["sv"]):
            if c["total"] is None or c["total"] != c["charges"]:
                self.bad(c["n"], "claim %s: CLM02=%s but the lines add up "
                         "to %s" % (c["id"], c["total"], c["charges"]))

    def check_hls(self, st):
        hls = st["hls"]
        seen = {}
        for k, h in enumerate(hls, 1):
            if h["id"] != str(k):
                self.bad(h["n"], "HL01=%s, expected %d" % (h["id"], k))
            if h["parent"] and h["parent"] not in seen:
                self.bad(h["n"], "HL02=%s names no earlier HL"
                         % h["parent"])
            seen[h["id"]] = h
        for i, h in enumerate(hls):
            has_child = any(x["parent"] == h["id"] for x in hls[i + 1:])
            want = "1" if has_child else "0"
            if h["hl04"] != want:
                self.bad(h["n"], "HL*%s: HL04=%s but %s"
                         % (h["id"], h["hl04"] or "(absent)",
                            "a child HL follows" if has_child
                            else "no child HL follows"))
            if not has_child and h["claims"] == 0:
                self.bad(h["n"], "HL*%s has neither child HLs nor claims"
                         % h["id"])


def check(paths):
    status = 0
    for p in paths:
        c = Checker(p)
        c.run()
        for e in c.errors:
            print(e)
        if c.errors:
            status = 1
    return status


def claims_of(path):
    c = Checker(path)
    c.run()
    return c


def conserve(paths):
    if len(paths) not in (2, 3):
        print("usage: x12check.py --conserve INPUT CORRECTED [HELD]",
              file=sys.stderr)
        return 2
    src = claims_of(paths[0])
    inp = collections.Counter(src.claims)
    out = collections.Counter()
    held = None
    for k, p in enumerate(paths[1:]):
        c = claims_of(p)
        out.update(c.claims)
        if k == 1:
            held = c
    status = 0
    if held is not None:
        # each held claim must be one input claim as it came
        have = collections.Counter(src.claim_segs)
        for cid, segs in held.claim_segs:
            if have[(cid, segs)] > 0:
                have[(cid, segs)] -= 1
                continue
            status = 1
            same = [s for i, s in src.claim_segs if i == cid]
            if not same:
                print("%s: held claim %s is not in the input"
                      % (paths[2], cid))
                continue
            ref = same[0]
            k = 0
            while k < len(segs) and k < len(ref) and segs[k] == ref[k]:
                k += 1
            print("%s: held claim %s differs from the input claim at its "
                  "segment %d: %r, input %r"
                  % (paths[2], cid, k + 1,
                     segs[k] if k < len(segs) else "(end)",
                     ref[k] if k < len(ref) else "(end)"))
    if inp == out:
        print("%s: %d claims in = %d out" % (paths[0], sum(inp.values()),
                                             sum(out.values())))
        return status
    missing = inp - out
    extra = out - inp
    for k, n in sorted(missing.items()):
        print("%s: claim %s lost (%d)" % (paths[0], k, n))
    for k, n in sorted(extra.items()):
        print("%s: claim %s appears %d extra time(s)" % (paths[0], k, n))
    return 1


def conserve_list(path):
    status = 0
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts == [""]:
                continue
            if conserve(parts) != 0:
                status = 1
    return status


def count(paths):
    for p in paths:
        c = claims_of(p)
        print("%s claims %d lines %d" % (p, len(c.claims), c.lines))
    return 0


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    if argv[0] == "--conserve":
        return conserve(argv[1:])
    if argv[0] == "--conserve-list" and len(argv) == 2:
        return conserve_list(argv[1])
    if argv[0] == "--count":
        return count(argv[1:])
    return check(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
