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
  * duplicate control numbers: an ISA13 twice in the file, a GS06 twice
    in an interchange, an ST02 twice in a group
  * element lengths (min/max of the implementation guides, X12 5010):
    the ISA's fixed widths, GS, GE, IEA, ST (ST02 4-9), SE, and in an
    837 HL, CLM (CLM01 at most 38), LX, SV1, SV2 (their composites'
    components too) and DTP (D8 = 8 digits, RD8 = 17); a decimal (R)
    or number (N0) counts its digits only
  * loop limits: loop 2400 at most 50 times per claim on 837P
    (005010X222A1), 999 on 837I (005010X223A2); loop 2300 at most 100
    times per subscriber or patient HL
  * HL rules (837): HL03 20 (billing provider, no parent), 22
    (subscriber, child of a 20) or 23 (patient, child of a 22); claims
    only under a 22 or 23; every 20 has a subscriber below it
  * mandatory loops (837): BHT right after ST, 1000A NM1*41 and 1000B
    NM1*40 before the first HL, 2010AA NM1*85 in every 2000A, SBR and
    2010BA NM1*IL and 2010BB NM1*PR in every 2000B, PAT and 2010CA
    NM1*QC in every 2000C, at least one 2000A (and so, by the HL rules,
    at least one 2300) in every transaction

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
  x12check.py --new IN OUT...             check OUT... and report only the
                                          violations that IN does not
                                          have (same message without
                                          file and segment number; each
                                          OUT against IN): what the tool
                                          brought in
  x12check.py --new-list LIST             the same for every line of LIST:
                                          "IN<TAB>OUT[<TAB>OUT...]"
  x12check.py --batch LIST                many runs in one process: each
                                          line of LIST (- = stdin) is
                                          "LABEL<TAB>ARGS..." (the
                                          arguments of one run, tab-
                                          separated); each run's lines come
                                          out as "LABEL: ...", then
                                          "LABEL: ok" or "LABEL: FAIL
                                          (exit N)" (tests/batchrun.py)

Delimiters come from each ISA; any line endings; gzip files are read
through the gzip module.  Python 3 standard library only.
"""
import collections
import gzip
import os
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
        if text.startswith("ISA", pos) and pos + 4 <= n and \
                not text[pos + 3].isalnum():
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


# (min, max, kind) per element: kind "AN" counts every character, "R"
# and "N0" the digits only (sign and decimal point aside), "ID" / "DT" /
# "TM" every character.  The ISA's elements are fixed width.
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
LENGTHS = {
    "GS": {1: (2, 2, "ID"), 2: (2, 15, "AN"), 3: (2, 15, "AN"),
           4: (8, 8, "DT"), 5: (4, 8, "TM"), 6: (1, 9, "N0"),
           7: (1, 2, "ID"), 8: (1, 12, "AN")},
    "GE": {1: (1, 6, "N0"), 2: (1, 9, "N0")},
    "IEA": {1: (1, 5, "N0"), 2: (9, 9, "N0")},
    "ST": {1: (3, 3, "ID"), 2: (4, 9, "AN"), 3: (1, 35, "AN")},
    "SE": {1: (1, 10, "N0"), 2: (4, 9, "AN")},
}
LENGTHS_837 = {
    "HL": {1: (1, 12, "AN"), 2: (1, 12, "AN"), 3: (1, 2, "ID"),
           4: (1, 1, "ID")},
    "CLM": {1: (1, 38, "AN"), 2: (1, 18, "R")},
    "LX": {1: (1, 6, "N0")},
    "SV1": {2: (1, 18, "R"), 3: (2, 2, "ID"), 4: (1, 15, "R"),
            5: (1, 2, "AN")},
    "SV2": {1: (1, 48, "AN"), 3: (1, 18, "R"), 4: (2, 2, "ID"),
            5: (1, 15, "R"), 7: (1, 18, "R")},
    "DTP": {1: (3, 3, "ID"), 2: (2, 3, "ID"), 3: (1, 35, "AN")},
}
# the procedure composite (C003): SV101 on 837P, SV202 on 837I
C003 = {1: (2, 2, "ID"), 2: (1, 48, "AN"), 3: (2, 2, "AN"),
        4: (2, 2, "AN"), 5: (2, 2, "AN"), 6: (2, 2, "AN"),
        7: (1, 80, "AN")}
DTP_FORMATS = {"D8": 8, "RD8": 17, "DT": 12}
# loop 2400 repeats per claim, by the guide named in GS08 / ST03
MAX_LINES = {"X222": 50, "X223": 999}
MAX_CLAIMS_PER_HL = 100


def width(value, kind):
    """The length of value as the guide counts it; None for a decimal or
    number that is not one (a type error, not a length: not checked
    here)."""
    if kind in ("R", "N0"):
        v = value.strip()
        if v[:1] == "-":
            v = v[1:]
        if kind == "R" and v.count(".") == 1:
            v = v.replace(".", "")
        if not v.isdigit():
            return None
        return len(v)
    return len(value)


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.claims = []   # CLM01 values
        self.claim_segs = []  # (CLM01, (segment bodies...)) per claim
        self.lines = 0
        self.isa13 = {}    # ISA13 -> segment number of its first ISA

    def bad(self, number, msg):
        self.errors.append("%s: segment %d: %s" % (self.path, number, msg))

    def lengths(self, number, seg, table, csep):
        """Element lengths of seg by table ({i: (min, max, kind)});
        composite C003 components for SV101 / SV202."""
        tag = seg[0]
        for i, (lo, hi, kind) in table.items():
            v = el(seg, i)
            if v == "":
                continue
            w = width(v, kind)
            if w is not None and (w < lo or w > hi):
                self.bad(number, "%s%02d=%r is %d long, the guide allows "
                         "%d to %d" % (tag, i, v, w, lo, hi))
        comp = {"SV1": 1, "SV2": 2}.get(tag)
        if comp is not None and el(seg, comp):
            for j, part in enumerate(el(seg, comp).split(csep), 1):
                if j not in C003 or part == "":
                    continue
                lo, hi, kind = C003[j]
                if not lo <= len(part) <= hi:
                    self.bad(number, "%s%02d-%d=%r is %d long, the guide "
                             "allows %d to %d" % (tag, comp, j, part,
                                                   len(part), lo, hi))
        if tag == "DTP" and el(seg, 2) in DTP_FORMATS:
            want = DTP_FORMATS[el(seg, 2)]
            if len(el(seg, 3)) != want:
                self.bad(number, "DTP03=%r is not %s (%d characters)"
                         % (el(seg, 3), el(seg, 2), want))

    def isa_widths(self, number, seg):
        for i, w in enumerate(ISA_WIDTHS, 1):
            v = el(seg, i)
            if len(v) != w:
                self.bad(number, "ISA%02d=%r is %d long, fixed at %d"
                         % (i, v, len(v), w))

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
                isa = {"ctl": el(seg, 13).strip(), "groups": 0, "n": number,
                       "gs06": {}}
                self.isa_widths(number, seg)
                if isa["ctl"] in self.isa13:
                    self.bad(number, "ISA13=%s repeats the interchange of "
                             "segment %d in this file"
                             % (isa["ctl"], self.isa13[isa["ctl"]]))
                else:
                    self.isa13[isa["ctl"]] = number
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
                self.lengths(number, seg, LENGTHS["IEA"], csep)
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
                gs = {"ctl": el(seg, 6).strip(), "sets": 0, "st02": {},
                      "version": el(seg, 8)}
                self.lengths(number, seg, LENGTHS["GS"], csep)
                if isa is not None:
                    if gs["ctl"] in isa["gs06"]:
                        self.bad(number, "GS06=%s repeats the group of "
                                 "segment %d in interchange ISA13=%s"
                                 % (gs["ctl"], isa["gs06"][gs["ctl"]],
                                    isa["ctl"]))
                    else:
                        isa["gs06"][gs["ctl"]] = number
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
                self.lengths(number, seg, LENGTHS["GE"], csep)
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
                      "claim": None, "n": number, "pre": set(),
                      "guide": el(seg, 3) or (gs or {}).get("version", "")}
                self.lengths(number, seg, LENGTHS["ST"], csep)
                if gs is not None:
                    if st["ctl"] in gs["st02"]:
                        self.bad(number, "ST02=%s repeats the transaction "
                                 "set of segment %d in group GS06=%s"
                                 % (st["ctl"], gs["st02"][st["ctl"]],
                                    gs["ctl"]))
                    else:
                        gs["st02"][st["ctl"]] = number
                continue
            if st is None:
                self.bad(number, "segment %s outside a transaction" % tag)
                continue
            st["count"] += 1
            if tag == "SE":
                self.lengths(number, seg, LENGTHS["SE"], csep)
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
                    self.check_mandatory(st)
                st = None
                continue
            if not st["is837"]:
                continue
            self.in_837(st, number, seg, csep, body)

    def in_837(self, st, number, seg, csep, body):
        tag = seg[0]
        if tag in LENGTHS_837:
            self.lengths(number, seg, LENGTHS_837[tag], csep)
        if tag == "BHT" and st["count"] == 2:
            st["pre"].add("BHT")
        if not st["hls"]:
            if tag == "NM1" and el(seg, 1) in ("41", "40"):
                st["pre"].add("NM1*" + el(seg, 1))
        elif st["hls"][-1]["claims"] == 0:
            # the HL's own segments, before its first claim
            key = "NM1*" + el(seg, 1) if tag == "NM1" else tag
            st["hls"][-1]["has"].add(key)
        if tag == "HL":
            self.end_claim(st)
            st["hls"].append({"n": number, "id": el(seg, 1),
                              "parent": el(seg, 2), "hl03": el(seg, 3),
                              "hl04": el(seg, 4), "claims": 0,
                              "has": set()})
            return
        if tag == "CLM":
            self.end_claim(st)
            if st["hls"]:
                st["hls"][-1]["claims"] += 1
                if st["hls"][-1]["claims"] == MAX_CLAIMS_PER_HL + 1:
                    self.bad(number, "HL*%s has more than %d claims (loop "
                             "2300 repeats at most %d times)"
                             % (st["hls"][-1]["id"], MAX_CLAIMS_PER_HL,
                                MAX_CLAIMS_PER_HL))
            self.claims.append(el(seg, 1))
            st["claim"] = {"n": number, "id": el(seg, 1),
                           "guide": st["guide"],
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
        for key, most in MAX_LINES.items():
            if key in c["guide"] and len(c["lines"]) > most:
                self.bad(c["n"], "claim %s has %d service lines (loop 2400 "
                         "repeats at most %d times in %s)"
                         % (c["id"], len(c["lines"]), most, c["guide"]))
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
            if h["hl03"] == "20" and h["parent"]:
                self.bad(h["n"], "HL*%s: a billing provider level (HL03=20) "
                         "has no parent, HL02=%s" % (h["id"], h["parent"]))
            want = {"22": "20", "23": "22"}.get(h["hl03"])
            if h["hl03"] not in ("20", "22", "23"):
                self.bad(h["n"], "HL*%s: HL03=%s is not 20, 22 or 23"
                         % (h["id"], h["hl03"]))
            elif want is not None and (
                    h["parent"] not in seen or
                    seen[h["parent"]]["hl03"] != want):
                self.bad(h["n"], "HL*%s: HL03=%s must be below an HL03=%s "
                         "level, HL02=%s is not" % (h["id"], h["hl03"],
                                                     want, h["parent"]))
            if h["claims"] and h["hl03"] not in ("22", "23"):
                self.bad(h["n"], "HL*%s: claims under HL03=%s (only under "
                         "a subscriber 22 or patient 23)"
                         % (h["id"], h["hl03"]))
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


    def check_mandatory(self, st):
        """The loops and segments an 837 must have (X222A1 / X223A2)."""
        n = st["n"]
        for key, what in (("BHT", "BHT right after ST"),
                          ("NM1*41", "loop 1000A (NM1*41 submitter)"),
                          ("NM1*40", "loop 1000B (NM1*40 receiver)")):
            if key not in st["pre"]:
                self.bad(n, "ST02=%s: no %s" % (st["ctl"], what))
        if not any(h["hl03"] == "20" for h in st["hls"]):
            self.bad(n, "ST02=%s: no loop 2000A (HL03=20 billing provider)"
                     % st["ctl"])
        need = {"20": (("NM1*85", "2010AA NM1*85"),),
                "22": (("SBR", "SBR"), ("NM1*IL", "2010BA NM1*IL"),
                       ("NM1*PR", "2010BB NM1*PR")),
                "23": (("PAT", "PAT"), ("NM1*QC", "2010CA NM1*QC"))}
        for h in st["hls"]:
            for key, what in need.get(h["hl03"], ()):
                if key not in h["has"]:
                    self.bad(h["n"], "HL*%s (HL03=%s) has no %s"
                             % (h["id"], h["hl03"], what))
            if h["hl03"] == "20" and not any(
                    x["parent"] == h["id"] and x["hl03"] == "22"
                    for x in st["hls"]):
                self.bad(h["n"], "HL*%s: a billing provider level without "
                         "a subscriber level (2000B) below it" % h["id"])


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


def each_line(path, check):
    """check(paths) for every line "A<TAB>B..." of the file path; 1 when
    any of them returned non-zero."""
    status = 0
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts == [""]:
                continue
            if check(parts) != 0:
                status = 1
    return status


def conserve_list(path):
    return each_line(path, conserve)


def strip_place(msg, path):
    """msg without its file and segment number."""
    rest = msg[len(path) + 2:] if msg.startswith(path + ": ") else msg
    if rest.startswith("segment "):
        rest = rest.split(": ", 1)[-1]
    return rest


def new_errors(paths):
    """Violations of paths[1:] that paths[0] (the input) does not have."""
    if len(paths) < 2:
        print("usage: x12check.py --new INPUT OUTPUT...", file=sys.stderr)
        return 2
    src = claims_of(paths[0])
    known = collections.Counter(strip_place(e, paths[0]) for e in src.errors)
    status = 0
    for p in paths[1:]:
        if not os.path.exists(p):
            continue
        have = known.copy()  # each output against the input
        c = claims_of(p)
        for e in c.errors:
            key = strip_place(e, p)
            if have[key] > 0:
                have[key] -= 1
                continue
            print(e)
            status = 1
    return status


def new_list(path):
    return each_line(path, new_errors)


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
    if argv[0] == "--new":
        return new_errors(argv[1:])
    if argv[0] == "--new-list" and len(argv) == 2:
        return new_list(argv[1])
    if argv[0] == "--count":
        return count(argv[1:])
    if argv[0] == "--batch" and len(argv) == 2:
        sys.dont_write_bytecode = True  # no __pycache__ in tests/
        import batchrun
        return batchrun.run(argv[1], main)
    return check(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
