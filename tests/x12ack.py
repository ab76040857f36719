#!/usr/bin/env python3
"""x12ack.py -- independent structural checker for X12 acknowledgments.

Checks the acknowledgments cart837 writes (issue 13) without any of its C
code:

  * 999 Implementation Acknowledgment, 005010X231A1 (GS01 = FA)
  * 277CA Health Care Claim Acknowledgment, 005010X214 (GS01 = HN)

The type of each transaction set is read from ST01.  Checked:

  * envelopes: ISA is 106 bytes with fixed-width fields and distinct
    delimiters, ISA09/ISA10 a real date and time; SE01 = segments ST..SE,
    SE02 = ST02; GE01 = ST count, GE02 = GS06; IEA01 = GS count,
    IEA02 = ISA13; GS01 = FA (999) / HN (277); GS08 = ST03 = the version;
    control numbers unique (GS06 in the interchange, ST02 in the group);
    an optional TA1 between ISA and the first GS
  * the loop structure and segment order of each transaction type,
    mandatory segments and loops, repeat limits ("max use"), unexpected
    or out-of-sequence segments, qualifier values
  * elements: required / not used, too many elements or components,
    trailing separators, lengths, types (N0, R, DT, TM, ID, AN), code
    values from the lists in specs/acks.md
  * 999: AK9 counts against the AK2/IK5 entries, AK901 against them,
    IK501 against its IK3/IK5 errors, IK304=8 has IK4s
  * 277CA: HL ids, parents, levels and HL04; 2200B and 2200C QTY/AMT
    accepted/rejected totals and STC04 against the claim-level STCs;
    STC01 category (A codes only), action code (WQ accept / U reject),
    the status-code notes (entity code required, second status code
    required, STC12 required), STC12 "HELD ..."/"FIXED ..." (cart837's
    profile)

Usage:
  x12ack.py FILE...          check; exit 1 on any violation, each printed
                             as "FILE: segment N: message"
  x12ack.py --summary FILE   print a tab-separated summary (one record a
                             line, first field the record kind) for tests
                             to compare; violations go to stderr, exit 1

Delimiters come from each ISA; any line endings; gzip files are read
through the gzip module.  Python 3 standard library only.
"""
import datetime
import gzip
import re
import sys
import zlib
from decimal import Decimal, InvalidOperation


# ---------------------------------------------------------------- reading

def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("latin-1")


def segments(text):
    """Yields (number, elements, delimiters, body, isa_raw) for every
    segment, reading the delimiters of each interchange from its ISA.
    delimiters = (element, component, repetition, terminator); isa_raw is
    the ISA's text with its terminator (None for other segments)."""
    pos = 0
    n = len(text)
    term = None
    delims = None
    number = 0
    while pos < n:
        while pos < n and text[pos] in "\ufeff\xef\xbb\xbf\r\n \t":
            pos += 1
        if pos >= n:
            break
        isa_raw = None
        if text.startswith("ISA", pos) and pos + 4 <= n:
            esep = text[pos + 3]
            count = 0
            i = pos + 3
            while i < n and count < 16:
                if text[i] == esep:
                    count += 1
                i += 1
            if count < 16 or i + 1 >= n:
                raise ValueError("malformed ISA at offset %d" % pos)
            csep = text[i]
            term = text[i + 1]
            body = text[pos:i + 1]
            isa_raw = text[pos:i + 2]
            fields = body.split(esep)
            rsep = fields[11] if len(fields) > 11 else ""
            delims = (esep, csep, rsep, term)
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
        yield number, body.split(delims[0]), delims, body, isa_raw


def norm(v, csep):
    """A composite with ':' between its components, for summaries."""
    return ":".join(v.split(csep))


def el(seg, i):
    return seg[i] if i < len(seg) else ""


def money(s):
    try:
        return Decimal(s.strip())
    except (InvalidOperation, AttributeError):
        return None


def valid_date8(s):
    if not re.fullmatch(r"\d{8}", s):
        return False
    try:
        datetime.date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        return False
    return True


def valid_date6(s):
    return bool(re.fullmatch(r"\d{6}", s)) and valid_date8("20" + s)


def valid_time(s):
    m = re.fullmatch(r"(\d\d)(\d\d)(?:(\d\d)(\d{1,2})?)?", s)
    if not m:
        return False
    return (int(m.group(1)) < 24 and int(m.group(2)) < 60 and
            (m.group(3) is None or int(m.group(3)) < 60))


# ---------------------------------------------------------------- schema
# An element is E(usage, type, min, max, codes); a composite C(usage,
# component...).  usage: R required, S situational, N not used.  Types:
# AN, ID, N0, R, DT, TM.  codes: a set, or None.

class E:
    def __init__(self, usage, typ="AN", mn=0, mx=0, codes=None):
        self.usage, self.typ, self.mn, self.mx = usage, typ, mn, mx
        self.codes = set(codes) if codes else None


class C:
    def __init__(self, usage, *comps):
        self.usage, self.comps = usage, comps


NU = E("N")  # not used


class Seg:
    def __init__(self, key, tag, usage, maxuse, pos, elems, qual=None):
        self.key, self.tag, self.usage = key, tag, usage
        self.maxuse, self.pos, self.elems = maxuse, pos, elems
        self.qual = qual   # (element, component or None, values)

    def matches(self, tag, seg, csep):
        if tag != self.tag:
            return False
        if self.qual is None:
            return True
        i, k, values = self.qual
        v = el(seg, i)
        if k is not None:
            v = el(v.split(csep), k)
        return v in values

    def label(self):
        if self.qual is None:
            return self.tag
        i, k, values = self.qual
        where = "%s%02d" % (self.tag, i) + ("-%d" % (k + 1)
                                             if k is not None else "")
        return "%s (%s=%s)" % (self.tag, where, "/".join(sorted(values)))


class Loop:
    def __init__(self, lid, usage, maxrep, pos, children):
        self.lid, self.usage, self.maxuse = lid, usage, maxrep
        self.pos, self.children = pos, children
        self.tag = children[0].tag

    def matches(self, tag, seg, csep):
        return self.children[0].matches(tag, seg, csep)

    def label(self):
        return "loop %s" % self.lid


MANY = None  # ">1"

# ---- code lists (sources in specs/acks.md)
# 999
AK101 = {"BE", "HB", "HC", "HI", "HN", "HP", "HR", "HS", "RA"}   # 479
AK201 = {"270", "271", "276", "277", "278", "820", "834", "835", "837"}
IK304 = {"1", "2", "3", "4", "5", "6", "7", "8",
         "I4", "I6", "I7", "I8", "I9"}                               # 620
IK403 = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13",
         "I6", "I9", "I10", "I11", "I12", "I13"}                     # 621
IK501 = {"A", "E", "M", "R", "W", "X"}                               # 717
IK502 = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
         "13", "15", "16", "17", "18", "19", "23", "24", "25", "26", "27",
         "I5", "I6"}                                                 # 618
AK901 = {"A", "E", "M", "P", "R", "W", "X"}                          # 715
AK905 = {"1", "2", "3", "4", "5", "6", "10", "11", "12", "13", "14", "15",
         "16", "17", "18", "19", "23", "24", "25", "26"}             # 716
CTX_BU = {"TRN02", "NM109", "PATIENT NAME NM109", "SUBSCRIBER NAME NM109",
          "ENT01", "SUBSCRIBER NUMBER REF02", "CLM01"}
TA105 = {"%03d" % i for i in range(32)}                              # I18

# 277CA
ENT_2200B = {"36", "40", "41", "AY", "PR"}
ENT_2200C = {"36", "40", "41", "77", "82", "85", "87", "AY", "PR"}
ENT_2200D = {"03", "1P", "1Z", "40", "41", "71", "72", "73", "77", "82",
             "85", "87", "DK", "DN", "DQ", "FA", "GB", "HK", "IL", "LI",
             "MSC", "PR", "PRP", "QB", "QC", "QD", "SEP", "TL", "TTP", "TU"}
# 507 (X214 allows only the A categories in batch, X12 RFI 1942)
CAT_ACCEPT = {"A1", "A2"}
CAT_REJECT = {"A3", "A6", "A7", "A8"}
CAT_ALL = {"A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"}
# 508: the status codes of cart837's profile, with the notes of the list
STATUS = {
    "19": "entity", "20": "", "21": "other", "54": "", "187": "",
    "247": "", "448": "text", "454": "", "455": "", "476": "",
    "659": "", "732": "other", "736": "", "748": "other",
}

# ---- shared segments
def NM1(key, ent, ent_type, idq, usage_first="S", usage_mid="S",
        usage_suffix="N", pos="0500"):
    return Seg(key, "NM1", "R", 1, pos, [
        E("R", "ID", 2, 3, ent), E("R", "ID", 1, 1, ent_type),
        E("R", "AN", 1, 60), E(usage_first, "AN", 1, 35),
        E(usage_mid, "AN", 1, 25), NU, E(usage_suffix, "AN", 1, 10),
        E("R", "ID", 1, 2, idq), E("R", "AN", 2, 80), NU, NU, NU],
        qual=(1, None, set(ent)))


def STATUS_C(usage, ents):
    return C(usage, E("R", "AN", 1, 30, CAT_ALL),
             E("R", "AN", 1, 30), E("S", "ID", 2, 3, ents), NU)


def STC(key, pos, date_usage, action, charge_usage, text_usage, ents,
        usage="R", maxuse=MANY):
    return Seg(key, "STC", usage, maxuse, pos, [
        STATUS_C("R", ents), E(date_usage, "DT", 8, 8),
        E("R", "ID", 1, 2, action), E(charge_usage, "R", 1, 18),
        NU, NU, NU, NU, NU,
        STATUS_C("S", ents), STATUS_C("S", ents),
        E(text_usage, "AN", 1, 264)])


def TRN(key, code, pos="0900"):
    return Seg(key, "TRN", "R", 1, pos, [
        E("R", "ID", 1, 2, {code}), E("R", "AN", 1, 50), NU, NU],
        qual=(1, None, {code}))


def QTY(key, code, pos="1210"):
    return Seg(key, "QTY", "S", 1, pos, [
        E("R", "ID", 2, 2, {code}), E("R", "R", 1, 15), NU, NU],
        qual=(1, None, {code}))


def AMT(key, code, pos="1220"):
    return Seg(key, "AMT", "S", 1, pos, [
        E("R", "ID", 1, 3, {code}), E("R", "R", 1, 18), NU],
        qual=(1, None, {code}))


def REF(key, codes, pos, usage="S"):
    return Seg(key, "REF", usage, 1, pos, [
        E("R", "ID", 2, 3, codes), E("R", "AN", 1, 50), NU, NU],
        qual=(1, None, set(codes)))


def DTP(key, qual, fmts, pos, usage="R"):
    return Seg(key, "DTP", usage, 1, pos, [
        E("R", "ID", 3, 3, {qual}), E("R", "ID", 2, 3, fmts),
        E("R", "AN", 1, 35)], qual=(1, None, {qual}))


def HL(key, level, parent_usage, child_usage, child_codes):
    return Seg(key, "HL", "R", 1, "0100", [
        E("R", "AN", 1, 12), E(parent_usage, "AN", 1, 12),
        E("R", "ID", 1, 2, {level}), E(child_usage, "ID", 1, 1,
                                       child_codes)],
        qual=(3, None, {level}))


def ST(version, code):
    return Seg("ST", "ST", "R", 1, "0050", [
        E("R", "ID", 3, 3, {code}), E("R", "AN", 4, 9),
        E("R", "AN", 1, 35, {version})])


SE = Seg("SE", "SE", "R", 1, "9999", [E("R", "N0", 1, 10),
                                      E("R", "AN", 4, 9)])

# ---- 999 (005010X231A1)
V999 = "005010X231A1"
CTX_TRIGGER = Seg("CTX.trigger", "CTX", "S", 9, "0500", [
    C("R", E("R", "AN", 1, 35, {"SITUATIONAL TRIGGER"}), NU),
    E("R", "ID", 2, 3), E("R", "N0", 1, 10), E("S", "AN", 1, 4),
    C("S", E("R", "N0", 1, 2), E("S", "N0", 1, 2), E("S", "N0", 1, 4)),
    NU], qual=(1, 0, {"SITUATIONAL TRIGGER"}))
CTX_BU_SEG = Seg("CTX.business", "CTX", "S", 1, "0500", [
    C("R", E("R", "AN", 1, 35, CTX_BU), E("R", "AN", 1, 35)),
    NU, NU, NU, NU, NU], qual=(1, 0, CTX_BU))
CTX_ELEM = Seg("CTX.element", "CTX", "S", 10, "0700",
               CTX_TRIGGER.elems, qual=(1, 0, {"SITUATIONAL TRIGGER"}))

T999 = Loop("999", "R", 1, "0000", [
    ST(V999, "999"),
    Seg("AK1", "AK1", "R", 1, "0200", [
        E("R", "ID", 2, 2, AK101), E("R", "N0", 1, 9),
        E("R", "AN", 1, 12)]),
    Loop("2000", "S", MANY, "0300", [
        Seg("AK2", "AK2", "R", 1, "0300", [
            E("R", "ID", 3, 3, AK201), E("R", "AN", 4, 9),
            E("S", "AN", 1, 35)]),
        Loop("2100", "S", MANY, "0400", [
            Seg("IK3", "IK3", "R", 1, "0400", [
                E("R", "ID", 2, 3), E("R", "N0", 1, 10),
                E("S", "AN", 1, 4), E("R", "ID", 1, 3, IK304)]),
            CTX_TRIGGER, CTX_BU_SEG,
            Loop("2110", "S", MANY, "0600", [
                Seg("IK4", "IK4", "R", 1, "0600", [
                    C("R", E("R", "N0", 1, 2), E("S", "N0", 1, 2),
                      E("S", "N0", 1, 4)),
                    E("S", "N0", 1, 4), E("R", "ID", 1, 3, IK403),
                    E("S", "AN", 1, 99)]),
                CTX_ELEM])]),
        Seg("IK5", "IK5", "R", 1, "0800",
            [E("R", "ID", 1, 1, IK501)] +
            [E("S", "ID", 1, 3, IK502) for _ in range(5)])]),
    Seg("AK9", "AK9", "R", 1, "0900",
        [E("R", "ID", 1, 1, AK901), E("R", "N0", 1, 6),
         E("R", "N0", 1, 6), E("R", "N0", 1, 6)] +
        [E("S", "ID", 1, 3, AK905) for _ in range(5)]),
    SE])

# ---- 277CA (005010X214)
V277 = "005010X214"
T277 = Loop("277", "R", 1, "0000", [
    ST(V277, "277"),
    Seg("BHT", "BHT", "R", 1, "0200", [
        E("R", "ID", 4, 4, {"0085"}), E("R", "ID", 2, 2, {"08"}),
        E("R", "AN", 1, 30), E("R", "DT", 8, 8), E("R", "TM", 4, 8),
        E("R", "ID", 2, 2, {"TH"})]),
    Loop("2000A", "R", 1, "0100", [
        HL("2000A.HL", "20", "N", "R", {"1"}),
        Loop("2100A", "R", 1, "0500", [
            NM1("2100A.NM1", {"AY", "PR"}, {"2"}, {"46", "FI", "PI", "XV"},
                usage_first="N", usage_mid="N")]),
        Loop("2200A", "R", 1, "0900", [
            TRN("2200A.TRN", "1"),
            DTP("2200A.DTP050", "050", {"D8"}, "1200"),
            DTP("2200A.DTP009", "009", {"D8"}, "1200")]),
        Loop("2000B", "R", 1, "2000", [
            HL("2000B.HL", "21", "R", "R", {"0", "1"}),
            Loop("2100B", "R", 1, "0500", [
                NM1("2100B.NM1", {"41"}, {"1", "2"}, {"46"})]),
            Loop("2200B", "R", 1, "0900", [
                TRN("2200B.TRN", "2"),
                STC("2200B.STC", "1000", "R", {"U", "WQ"}, "R", "N",
                    ENT_2200B),
                QTY("2200B.QTY90", "90"), QTY("2200B.QTYAA", "AA"),
                AMT("2200B.AMTYU", "YU"), AMT("2200B.AMTYY", "YY")]),
            Loop("2000C", "S", MANY, "2000", [
                HL("2000C.HL", "19", "R", "R", {"0", "1"}),
                Loop("2100C", "R", MANY, "0500", [
                    NM1("2100C.NM1", {"85"}, {"1", "2"},
                        {"FI", "SV", "XX"}, usage_suffix="S")]),
                Loop("2200C", "R", 1, "0900", [
                    TRN("2200C.TRN", "1"),
                    STC("2200C.STC", "1000", "N", {"U", "WQ"}, "R", "N",
                        ENT_2200C, usage="S"),
                    REF("2200C.REF", {"0B", "1G", "G2", "LU", "SY", "TJ"},
                        "1100"),
                    QTY("2200C.QTYQA", "QA"), QTY("2200C.QTYQC", "QC"),
                    AMT("2200C.AMTYU", "YU"), AMT("2200C.AMTYY", "YY")]),
                Loop("2000D", "S", MANY, "2000", [
                    HL("2000D.HL", "PT", "R", "N", None),
                    Loop("2100D", "R", 1, "0500", [
                        NM1("2100D.NM1", {"QC"}, {"1"}, {"II", "MI"},
                            usage_suffix="S")]),
                    Loop("2200D", "R", MANY, "0900", [
                        TRN("2200D.TRN", "2"),
                        STC("2200D.STC", "1000", "R", {"U", "WQ"}, "R",
                            "S", ENT_2200D),
                        REF("2200D.REF1K", {"1K"}, "1100"),
                        REF("2200D.REFD9", {"D9"}, "1100"),
                        REF("2200D.REFBLT", {"BLT"}, "1100"),
                        DTP("2200D.DTP472", "472", {"D8", "RD8"}, "1200"),
                        Loop("2220D", "S", MANY, "1800", [
                            Seg("2220D.SVC", "SVC", "R", 1, "1800", [
                                C("R", E("R", "ID", 2, 2,
                                         {"AD", "ER", "HC", "HP", "IV",
                                          "NU", "WK"}),
                                  E("R", "AN", 1, 48),
                                  E("S", "AN", 2, 2), E("S", "AN", 2, 2),
                                  E("S", "AN", 2, 2), E("S", "AN", 2, 2),
                                  NU, NU),
                                E("R", "R", 1, 18), NU, E("S", "AN", 1, 48),
                                NU, NU, E("S", "R", 1, 15)]),
                            STC("2220D.STC", "1900", "S", {"U"}, "N", "S",
                                ENT_2200D),
                            REF("2220D.REFFJ", {"FJ"}, "2000"),
                            REF("2220D.REFXZ", {"XZ"}, "2000"),
                            DTP("2220D.DTP472", "472", {"D8", "RD8"},
                                "2100", usage="S")])])])])])]),
    SE])

SCHEMAS = {"999": (T999, "FA", V999), "277": (T277, "HN", V277)}

ISA_QUAL = {"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"}
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)


# ---------------------------------------------------------------- checker

class Frame:
    def __init__(self, loop, n):
        self.loop, self.idx, self.start = loop, 0, n
        self.counts = [0] * len(loop.children)
        self.counts[0] = 1


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.summary = []

    def bad(self, number, msg):
        self.errors.append("%s: segment %d: %s" % (self.path, number, msg))

    # -- elements
    def check_value(self, n, name, v, spec, delims):
        if spec.usage == "N":
            if v != "":
                self.bad(n, "%s is not used in this implementation "
                         "(found '%s')" % (name, v))
            return
        if v == "":
            if spec.usage == "R":
                self.bad(n, "%s is required" % name)
            return
        for d in delims:
            if d and d in v:
                self.bad(n, "%s holds a delimiter %r" % (name, d))
                return
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in v):
            self.bad(n, "%s has a control character" % name)
            return
        t = spec.typ
        size = len(v)
        if t == "N0":
            if not re.fullmatch(r"-?\d+", v):
                self.bad(n, "%s='%s' is not a whole number" % (name, v))
                return
            size = len(v.lstrip("-"))
        elif t == "R":
            if not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)", v):
                self.bad(n, "%s='%s' is not a decimal number" % (name, v))
                return
            size = len(v.replace("-", "").replace(".", ""))
        elif t == "DT":
            ok = valid_date8(v) if spec.mx == 8 else valid_date6(v)
            if not ok:
                self.bad(n, "%s='%s' is not a valid date" % (name, v))
                return
        elif t == "TM":
            if not valid_time(v):
                self.bad(n, "%s='%s' is not a valid time" % (name, v))
                return
        if size < spec.mn or size > spec.mx:
            self.bad(n, "%s='%s' has length %d, allowed %d-%d"
                     % (name, v, size, spec.mn, spec.mx))
            return
        if spec.codes is not None and v not in spec.codes:
            self.bad(n, "%s='%s' is not a valid code (allowed: %s)"
                     % (name, v, ", ".join(sorted(spec.codes))))

    def check_elements(self, n, seg, spec, delims):
        esep, csep, rsep, term = delims
        tag = seg[0]
        if len(seg) > 1 and seg[-1] == "":
            self.bad(n, "%s ends with an element separator" % tag)
        if len(seg) - 1 > len(spec.elems):
            self.bad(n, "%s has %d elements, at most %d are defined"
                     % (tag, len(seg) - 1, len(spec.elems)))
        simple_delims = (csep, rsep)
        for i, es in enumerate(spec.elems, 1):
            v = el(seg, i)
            name = "%s%02d" % (tag, i)
            if isinstance(es, E):
                self.check_value(n, name, v, es, simple_delims)
                continue
            if es.usage == "N" or v == "":
                self.check_value(n, name, v, E(es.usage), ())
                continue
            comps = v.split(csep)
            if len(comps) > 1 and comps[-1] == "":
                self.bad(n, "%s ends with a component separator" % name)
            if len(comps) > len(es.comps):
                self.bad(n, "%s has %d components, at most %d are defined"
                         % (name, len(comps), len(es.comps)))
            for k, cs in enumerate(es.comps):
                self.check_value(n, "%s-%d" % (name, k + 1),
                                 el(comps, k), cs, (rsep,))

    # -- structure
    def walk(self, schema, segs):
        """segs: [(n, seg, delims)] from ST to SE.  Returns
        [(n, seg, key)] for the segments that found their place."""
        placed = []
        stack = [Frame(schema, segs[0][0])]
        n0, st, delims = segs[0]
        self.check_elements(n0, st, schema.children[0], delims)
        placed.append((n0, st, "ST"))
        for n, seg, delims in segs[1:]:
            tag, csep = seg[0], delims[1]
            hit = None
            near = None
            for depth in range(len(stack) - 1, -1, -1):
                fr = stack[depth]
                ch = fr.loop.children
                start = fr.idx
                while start > 1 and ch[start - 1].pos == ch[fr.idx].pos:
                    start -= 1
                for k in range(max(start, 1), len(ch)):
                    if ch[k].matches(tag, seg, csep):
                        hit = (depth, k)
                        break
                    if near is None and ch[k].tag == tag:
                        near = ch[k]
                if hit:
                    break
            if hit is None:
                top = stack[-1]
                earlier = [f for f in reversed(stack)
                           if any(c.matches(tag, seg, csep)
                                  for c in f.loop.children[1:f.idx])]
                if earlier:
                    self.bad(n, "%s is out of sequence in loop %s"
                             % (tag, earlier[0].loop.lid))
                elif near is not None:
                    q = near.children[0].qual if isinstance(near, Loop) \
                        else near.qual
                    if q:
                        self.bad(n, "%s with %s%02d='%s' is not allowed "
                                 "here (expected %s)"
                                 % (tag, tag, q[0], el(seg, q[0]),
                                    near.label()))
                    else:
                        self.bad(n, "%s is not allowed here (loop %s)"
                                 % (tag, top.loop.lid))
                else:
                    self.bad(n, "unexpected segment %s in loop %s"
                             % (tag, top.loop.lid))
                continue
            depth, k = hit
            while len(stack) - 1 > depth:
                self.close(stack.pop(), n)
            fr = stack[-1]
            child = fr.loop.children[k]
            fr.counts[k] += 1
            fr.idx = max(fr.idx, k)
            if child.maxuse is not None and fr.counts[k] > child.maxuse:
                if isinstance(child, Loop):
                    self.bad(n, "loop %s occurs more than %d time(s)"
                             % (child.lid, child.maxuse))
                else:
                    self.bad(n, "%s exceeds its maximum use %d in loop %s"
                             % (child.label(), child.maxuse, fr.loop.lid))
            if isinstance(child, Loop):
                stack.append(Frame(child, n))
                trig = child.children[0]
                self.check_elements(n, seg, trig, delims)
                placed.append((n, seg, trig.key))
            else:
                self.check_elements(n, seg, child, delims)
                placed.append((n, seg, child.key))
        last = segs[-1][0]
        while stack:
            self.close(stack.pop(), last)
        return placed

    def close(self, fr, n):
        for k, ch in enumerate(fr.loop.children[1:], 1):
            if ch.usage == "R" and fr.counts[k] == 0:
                self.bad(n, "loop %s (from segment %d) lacks required %s"
                         % (fr.loop.lid, fr.start, ch.label()))

    # -- run
    def run(self):
        try:
            segs = list(segments(read_text(self.path)))
        except (OSError, ValueError, EOFError, zlib.error) as e:
            self.errors.append("%s: %s" % (self.path, e))
            return
        if not segs:
            self.errors.append("%s: no segments" % self.path)
            return
        isa = gs = None
        st_segs = None
        for n, seg, delims, body, isa_raw in segs:
            tag = seg[0]
            if st_segs is not None and tag not in ("ISA", "GS", "GE",
                                                   "IEA", "ST"):
                st_segs.append((n, seg, delims))
                if tag == "SE":
                    self.end_st(gs, st_segs)
                    st_segs = None
                continue
            if st_segs is not None:
                self.bad(n, "%s inside an open transaction set (SE "
                         "missing)" % tag)
                self.end_st(gs, st_segs, closed=False)
                st_segs = None
            if tag == "ISA":
                if isa is not None:
                    self.bad(n, "ISA inside an open interchange")
                isa = self.check_isa(n, seg, delims, isa_raw)
            elif tag == "TA1":
                self.check_ta1(n, seg, isa, gs, delims)
            elif tag == "IEA":
                if isa is None:
                    self.bad(n, "IEA without ISA")
                    continue
                if gs is not None:
                    self.bad(n, "IEA inside an open group (GE missing)")
                    gs = None
                self.check_elements(n, seg, Seg("IEA", "IEA", "R", 1, "",
                                    [E("R", "N0", 1, 5),
                                     E("R", "N0", 9, 9)]), delims)
                if not (el(seg, 1).isdigit() and
                        int(el(seg, 1)) == isa["groups"]):
                    self.bad(n, "IEA01=%s but the interchange has %d "
                             "groups" % (el(seg, 1), isa["groups"]))
                if el(seg, 2) != isa["ctl"]:
                    self.bad(n, "IEA02=%s does not match ISA13=%s"
                             % (el(seg, 2), isa["ctl"]))
                isa = None
            elif tag == "GS":
                if isa is None:
                    self.bad(n, "GS outside an interchange")
                    isa = {"ctl": "", "groups": 0, "gs06": set(),
                           "ta1": 0, "n": n}
                if gs is not None:
                    self.bad(n, "GS inside an open group (GE missing)")
                isa["groups"] += 1
                gs = self.check_gs(n, seg, delims, isa)
            elif tag == "GE":
                if gs is None:
                    self.bad(n, "GE without GS")
                    continue
                self.check_elements(n, seg, Seg("GE", "GE", "R", 1, "",
                                    [E("R", "N0", 1, 6),
                                     E("R", "N0", 1, 9)]), delims)
                if not (el(seg, 1).isdigit() and
                        int(el(seg, 1)) == gs["sets"]):
                    self.bad(n, "GE01=%s but the group has %d transaction "
                             "sets" % (el(seg, 1), gs["sets"]))
                if el(seg, 2) != gs["ctl"]:
                    self.bad(n, "GE02=%s does not match GS06=%s"
                             % (el(seg, 2), gs["ctl"]))
                gs = None
            elif tag == "ST":
                if gs is None:
                    self.bad(n, "ST outside a functional group")
                    gs = {"ctl": "", "sets": 0, "gs01": "", "gs08": "",
                          "st02": set(), "n": n}
                gs["sets"] += 1
                st_segs = [(n, seg, delims)]
            else:
                self.bad(n, "segment %s outside a transaction set" % tag)
        if st_segs is not None:
            self.bad(segs[-1][0], "file ends inside a transaction set "
                     "(SE missing)")
            self.end_st(gs, st_segs, closed=False)
        if gs is not None:
            self.bad(segs[-1][0], "file ends inside a group (GE missing)")
        if isa is not None:
            self.bad(segs[-1][0], "file ends inside an interchange (IEA "
                     "missing)")

    def check_isa(self, n, seg, delims, raw):
        esep, csep, rsep, term = delims
        raw_len = len(raw) if raw else 0
        if raw_len != 106 or len(seg) != 17:
            why = ""
            for i, w in enumerate(ISA_WIDTHS, 1):
                if len(el(seg, i)) != w:
                    why = ": ISA%02d has %d characters, not %d" % (
                        i, len(el(seg, i)), w)
                    break
            self.bad(n, "ISA is %d bytes, not 106%s" % (raw_len, why))
        if len({esep, csep, rsep, term}) != 4:
            self.bad(n, "ISA delimiters are not distinct (element %r, "
                     "component %r, repetition %r, terminator %r)"
                     % (esep, csep, rsep, term))
        for d in (esep, csep, rsep, term):
            if d.isalnum() or d == " ":
                self.bad(n, "ISA delimiter %r is a letter, digit or space"
                         % d)
        checks = [
            (1, {"00", "03"}), (3, {"00", "01"}), (5, ISA_QUAL),
            (7, ISA_QUAL), (12, {"00501"}),
            (14, {"0", "1"}), (15, {"P", "T"})]
        for i, codes in checks:
            if el(seg, i) not in codes:
                self.bad(n, "ISA%02d='%s' is not a valid code (allowed: "
                         "%s)" % (i, el(seg, i), ", ".join(sorted(codes))))
        if not valid_date6(el(seg, 9)):
            self.bad(n, "ISA09='%s' is not a valid YYMMDD date"
                     % el(seg, 9))
        if not (len(el(seg, 10)) == 4 and valid_time(el(seg, 10))):
            self.bad(n, "ISA10='%s' is not a valid HHMM time"
                     % el(seg, 10))
        if not re.fullmatch(r"\d{9}", el(seg, 13)):
            self.bad(n, "ISA13='%s' is not 9 digits" % el(seg, 13))
        self.summary.append(["interchange", el(seg, 13), el(seg, 6).strip(),
                             el(seg, 8).strip(), el(seg, 9), el(seg, 10)])
        return {"ctl": el(seg, 13), "groups": 0, "gs06": set(), "ta1": 0,
                "n": n}

    def check_ta1(self, n, seg, isa, gs, delims):
        if isa is None or gs is not None or isa["groups"]:
            self.bad(n, "TA1 must follow the ISA, before the first GS")
        elif isa["ta1"]:
            self.bad(n, "more than one TA1 in the interchange")
        if isa is not None:
            isa["ta1"] += 1
        spec = Seg("TA1", "TA1", "S", 1, "", [
            E("R", "N0", 9, 9), E("R", "DT", 6, 6), E("R", "TM", 4, 4),
            E("R", "ID", 1, 1, {"A", "E", "R"}),
            E("R", "ID", 3, 3, TA105)])
        self.check_elements(n, seg, spec, delims)
        ack, note = el(seg, 4), el(seg, 5)
        if ack == "A" and note not in ("000", ""):
            self.bad(n, "TA104=A (accepted) but TA105=%s names an error"
                     % note)
        if ack in ("E", "R") and note == "000":
            self.bad(n, "TA104=%s but TA105=000 (no error)" % ack)
        self.summary.append(["ta1", el(seg, 1), el(seg, 2), el(seg, 3),
                             ack, note])

    def check_gs(self, n, seg, delims, isa):
        gs01 = el(seg, 1)
        spec = Seg("GS", "GS", "R", 1, "", [
            E("R", "ID", 2, 2, {"FA", "HN"}), E("R", "AN", 2, 15),
            E("R", "AN", 2, 15), E("R", "DT", 8, 8), E("R", "TM", 4, 8),
            E("R", "N0", 1, 9), E("R", "ID", 1, 2, {"X"}),
            E("R", "AN", 1, 12, {V999, V277})])
        self.check_elements(n, seg, spec, delims)
        want = {"FA": V999, "HN": V277}.get(gs01)
        if want and el(seg, 8) != want:
            self.bad(n, "GS08=%s but GS01=%s needs %s"
                     % (el(seg, 8), gs01, want))
        ctl = el(seg, 6)
        if ctl in isa["gs06"]:
            self.bad(n, "GS06=%s is not unique in the interchange" % ctl)
        isa["gs06"].add(ctl)
        self.summary.append(["group", gs01, ctl, el(seg, 4), el(seg, 5),
                             el(seg, 8)])
        return {"ctl": ctl, "sets": 0, "gs01": gs01, "gs08": el(seg, 8),
                "st02": set(), "n": n}

    def end_st(self, gs, segs, closed=True):
        n, st, delims = segs[0]
        kind = el(st, 1)
        if kind not in SCHEMAS:
            self.bad(n, "ST01=%s: only 999 and 277 are checked" % kind)
            return
        schema, gs01, version = SCHEMAS[kind]
        if gs["gs01"] and gs["gs01"] != gs01:
            self.bad(n, "ST01=%s in a group with GS01=%s (needs %s)"
                     % (kind, gs["gs01"], gs01))
        if gs["gs08"] and el(st, 3) != gs["gs08"]:
            self.bad(n, "ST03=%s does not match GS08=%s"
                     % (el(st, 3), gs["gs08"]))
        ctl = el(st, 2)
        if ctl in gs["st02"]:
            self.bad(n, "ST02=%s is not unique in the group" % ctl)
        gs["st02"].add(ctl)
        if closed:
            last_n, se, _ = segs[-1]
            if not (el(se, 1).isdigit() and int(el(se, 1)) == len(segs)):
                self.bad(last_n, "SE01=%s but the transaction set has %d "
                         "segments from ST to SE" % (el(se, 1), len(segs)))
            if el(se, 2) != ctl:
                self.bad(last_n, "SE02=%s does not match ST02=%s"
                         % (el(se, 2), ctl))
        placed = self.walk(schema, segs)
        if kind == "999":
            self.sem_999(ctl, placed, delims)
        else:
            self.sem_277(ctl, placed, delims)

    # -- 999 semantics
    def sem_999(self, ctl, placed, delims):
        csep = delims[1]
        ak1 = ak9 = None
        sets = []
        cur = err = None
        for n, seg, key in placed:
            if key == "AK1":
                ak1 = (n, seg)
            elif key == "AK2":
                cur = {"n": n, "ak2": seg, "ik3": [], "ik5": None}
                sets.append(cur)
            elif key == "IK3" and cur is not None:
                err = {"n": n, "seg": seg, "ik4": [], "claim": ""}
                cur["ik3"].append(err)
            elif key == "CTX.business" and err is not None:
                c = el(seg, 1).split(csep)
                err["claim"] = "%s=%s" % (el(c, 0), el(c, 1))
            elif key == "IK4" and err is not None:
                err["ik4"].append((n, seg))
            elif key == "IK5" and cur is not None:
                cur["ik5"] = (n, seg)
                cur = err = None
            elif key == "AK9":
                ak9 = (n, seg)
        seen = set()
        recs = []
        for s in sets:
            if s["ik5"] is None:
                continue
            n5, ik5 = s["ik5"]
            code = el(ik5, 1)
            errs = [x for x in ik5[2:7] if x]
            ak202 = el(s["ak2"], 2)
            if ak1 and el(ak1[1], 1) == "HC" and el(s["ak2"], 1) != "837":
                self.bad(s["n"], "AK201=%s in a group of claims (AK101=HC "
                         "needs 837)" % el(s["ak2"], 1))
            # (an ST02 that could not be echoed is named 0000 with code 7,
            # missing or invalid transaction set control number)
            if ak202 in seen and "23" not in errs and "7" not in errs:
                self.bad(s["n"], "AK202=%s is acknowledged twice (a repeated "
                         "control number needs IK5 code 23, or 7 for an "
                         "invalid one)" % ak202)
            seen.add(ak202)
            if code == "A" and (s["ik3"] or errs):
                self.bad(n5, "IK501=A but the set has %s"
                         % ("IK3 errors" if s["ik3"] else
                            "IK502 error codes"))
            if code in ("E", "R", "M", "W", "X") and not errs:
                self.bad(n5, "IK501=%s needs an error code in IK502" % code)
            if code != "A" and s["ik3"] and not ({"5", "I5"} & set(errs)):
                self.bad(n5, "the set has IK3 segment errors but IK5 "
                         "does not say 5 or I5 (one or more segments in "
                         "error)")
            for e in s["ik3"]:
                if el(e["seg"], 4) == "8" and not e["ik4"]:
                    self.bad(e["n"], "IK304=8 (segment has data element "
                             "errors) but no IK4 follows")
            recs.append(["set", ctl, el(s["ak2"], 1), ak202,
                         el(s["ak2"], 3) or "-", code,
                         ",".join(errs) or "-"])
            for e in s["ik3"]:
                sg = e["seg"]
                recs.append(["segerr", ctl, ak202, el(sg, 1), el(sg, 2),
                             el(sg, 3) or "-", el(sg, 4),
                             e["claim"] or "-"])
                for n4, ik4 in e["ik4"]:
                    recs.append(["elemerr", ctl, ak202, el(sg, 1),
                                 el(sg, 2), norm(el(ik4, 1), csep),
                                 el(ik4, 2) or "-",
                                 el(ik4, 3), el(ik4, 4) or "-"])
        if ak9 is None or ak1 is None:
            self.summary.extend(recs)
            return
        n9, seg = ak9
        vals = [el(seg, i) for i in (2, 3, 4)]
        gerrs = [x for x in seg[5:10] if x]
        ak901 = el(seg, 1)
        self.summary.append(["ack999", ctl, el(ak1[1], 1), el(ak1[1], 2),
                             el(ak1[1], 3), ak901] + vals +
                            [",".join(gerrs) or "-"])
        self.summary.extend(recs)
        if not all(v.isdigit() for v in vals):
            return
        included, received, accepted = (int(v) for v in vals)
        codes = [el(s["ik5"][1], 1) for s in sets if s["ik5"]]
        if received != len(sets):
            self.bad(n9, "AK903=%d but the 999 acknowledges %d transaction "
                     "sets (AK2)" % (received, len(sets)))
        n_acc = sum(1 for c in codes if c in ("A", "E"))
        if accepted != n_acc:
            self.bad(n9, "AK904=%d but %d AK2 entries are accepted "
                     "(IK501 A or E)" % (accepted, n_acc))
        if accepted > received:
            self.bad(n9, "AK904=%d is more than AK903=%d"
                     % (accepted, received))
        if included != received and "5" not in gerrs:
            self.bad(n9, "AK902=%d differs from AK903=%d but AK905-AK909 "
                     "lack code 5" % (included, received))
        if n_acc == 0:
            want = {"R", "M", "W", "X"}
        elif n_acc < len(sets):
            want = {"P"}
        elif "E" in codes or gerrs:
            want = {"E"}
        else:
            want = {"A"}
        if ak901 in AK901 and ak901 not in want:
            self.bad(n9, "AK901=%s but the entries call for %s"
                     % (ak901, "/".join(sorted(want))))

    # -- 277CA semantics
    def stc_class(self, n, seg, csep, level):
        """Checks one STC; returns its class accepted/rejected/None."""
        comps = [el(seg, i).split(csep) for i in (1, 10, 11)]
        comps = [c for c in comps if c != [""]]
        cats = set()
        for c in comps:
            cat, status, ent = el(c, 0), el(c, 1), el(c, 2)
            cats.add(cat)
            note = STATUS.get(status)
            if note is None:
                self.bad(n, "STC status code %s is not in cart837's list "
                         "(specs/acks.md)" % (status or "(empty)"))
                continue
            if note == "entity" and not ent:
                self.bad(n, "status code %s needs an entity code "
                         "(STCxx-3)" % status)
            if note == "other" and len(comps) < 2:
                self.bad(n, "status code %s needs a second status code "
                         "(STC10 or STC11)" % status)
            if note == "text" and not el(seg, 12):
                self.bad(n, "status code %s needs the explanation in STC12"
                         % status)
        if cats & CAT_ACCEPT and cats & CAT_REJECT:
            self.bad(n, "STC mixes accepted and rejected categories (%s)"
                     % ", ".join(sorted(cats)))
            return None
        action = el(seg, 3)
        if cats & CAT_REJECT:
            cls = "rejected"
            if action and action != "U":
                self.bad(n, "STC03=%s but the category rejects the %s "
                         "(needs U)" % (action, level))
        elif cats & CAT_ACCEPT:
            cls = "accepted"
            if action and action != "WQ":
                self.bad(n, "STC03=%s but the category accepts the %s "
                         "(needs WQ)" % (action, level))
        else:
            if cats:
                self.bad(n, "STC category %s is neither accepted (A1, A2) "
                         "nor rejected (A3, A6, A7, A8)"
                         % ", ".join(sorted(cats)))
            return None
        return cls

    def sem_277(self, ctl, placed, delims):
        csep = delims[1]
        hls = []
        byid = {}
        node = None
        claim = None
        batch = None
        for n, seg, key in placed:
            if key.endswith(".HL"):
                node = {"n": n, "id": el(seg, 1), "parent": el(seg, 2),
                        "level": el(seg, 3), "hl04": el(seg, 4),
                        "segs": {}, "claims": [], "kids": 0, "npi": "",
                        "patient": ""}
                hls.append(node)
                claim = None
                continue
            if node is None:
                continue
            if key == "2200D.TRN":
                claim = {"n": n, "id": el(seg, 2), "stc": [], "dtp": "",
                         "lines": 0}
                node["claims"].append(claim)
            elif key == "2200D.STC" and claim is not None:
                claim["stc"].append((n, seg))
            elif key == "2200D.DTP472" and claim is not None:
                claim["dtp"] = (n, seg)
            elif key == "2220D.SVC" and claim is not None:
                claim["lines"] += 1
            elif key == "2220D.STC":
                self.stc_class(n, seg, csep, "service line")
            elif key == "2100C.NM1":
                node["npi"] = el(seg, 9)
            elif key == "2100D.NM1":
                node["patient"] = el(seg, 9)
            elif key in ("2200A.DTP050", "2200A.DTP009"):
                if el(seg, 2) == "D8" and not valid_date8(el(seg, 3)):
                    self.bad(n, "DTP*%s date '%s' is not a valid CCYYMMDD"
                             % (el(seg, 1), el(seg, 3)))
            elif key == "2200B.TRN":
                batch = el(seg, 2)
            if key == "2220D.DTP472":
                self.check_dtp(n, seg)
            node["segs"].setdefault(key, []).append((n, seg))
        # HL ids, parents, levels, HL04
        parent_level = {"21": "20", "19": "21", "PT": "19"}
        seen = {}
        for k, h in enumerate(hls, 1):
            if h["id"] != str(k):
                self.bad(h["n"], "HL01=%s, expected %d" % (h["id"], k))
            want = parent_level.get(h["level"])
            if want:
                p = seen.get(h["parent"])
                if p is None:
                    self.bad(h["n"], "HL02=%s names no earlier HL"
                             % h["parent"])
                elif p["level"] != want:
                    self.bad(h["n"], "HL*%s (level %s) has parent HL*%s of "
                             "level %s, expected level %s"
                             % (h["id"], h["level"], p["id"], p["level"],
                                want))
                else:
                    p["kids"] += 1
            seen[h["id"]] = h
        for h in hls:
            if h["level"] in ("20", "21", "19") and h["hl04"] in ("0", "1"):
                want = "1" if h["kids"] else "0"
                if h["hl04"] != want:
                    self.bad(h["n"], "HL*%s: HL04=%s but %s"
                             % (h["id"], h["hl04"],
                                "child HLs follow" if h["kids"]
                                else "no child HL follows"))
        # claims
        out_claims = []
        cur_prov = None
        for h in hls:
            if h["level"] == "19":
                cur_prov = h
                h["tot"] = self.new_tot()
            if h["level"] != "PT":
                continue
            for c in h["claims"]:
                cls = None
                classes = set()
                texts = []
                charge = None
                for n, seg in c["stc"]:
                    k = self.stc_class(n, seg, csep, "claim")
                    if k:
                        classes.add(k)
                    text = el(seg, 12)
                    if text:
                        texts.append(text)
                        want = "HELD " if k == "rejected" else "FIXED "
                        if k and not re.fullmatch(
                                re.escape(want) + r"[A-Z][A-Z0-9_]*"
                                r"( LX\d+(,\d+)*)?", text):
                            self.bad(n, "STC12='%s' is not '%s<EDIT_ID>"
                                     "[ LX<n>[,<n>...]]'" % (text, want))
                    v = money(el(seg, 4))
                    if charge is None:
                        charge = v
                    elif v is not None and v != charge:
                        self.bad(n, "claim %s: STC04=%s differs from its "
                                 "first STC04=%s" % (c["id"], v, charge))
                if len(classes) > 1:
                    self.bad(c["n"], "claim %s has both accepted and "
                             "rejected STCs" % c["id"])
                elif classes:
                    cls = classes.pop()
                if cls == "rejected" and not texts:
                    self.bad(c["stc"][0][0], "rejected claim %s has no "
                             "STC12 naming the edit that held it" % c["id"])
                if c["lines"] and cls == "accepted":
                    self.bad(c["n"], "accepted claim %s has service lines "
                             "(2220D is only for rejected lines)" % c["id"])
                dates = "-"
                if c["dtp"]:
                    dates = self.check_dtp(*c["dtp"]) or "-"
                if cur_prov is not None and cls and charge is not None:
                    t = cur_prov["tot"]
                    t[cls][0] += 1
                    t[cls][1] += charge
                stcs = ";".join(
                    "/".join(norm(x, csep) for x in (el(s, 1), el(s, 10),
                                                     el(s, 11)) if x)
                    for _, s in c["stc"])
                out_claims.append(["claim", ctl, c["id"], cls or "?", stcs,
                                   el(c["stc"][0][1], 3) if c["stc"] else "",
                                   str(charge) if charge is not None else "",
                                   dates, cur_prov["npi"] if cur_prov
                                   else "", h["patient"],
                                   "|".join(texts) or "-"])
        # totals: 2200C per provider, 2200B for the set
        total = self.new_tot()
        provs = [h for h in hls if h["level"] == "19"]
        for p in provs:
            t = p["tot"]
            for cls in ("accepted", "rejected"):
                total[cls][0] += t[cls][0]
                total[cls][1] += t[cls][1]
            self.check_totals(p, t, "2200C", "QA", "QC", "provider %s"
                              % p["npi"])
        recv = [h for h in hls if h["level"] == "21"]
        stc_b = None
        if recv:
            b = recv[0]
            self.check_totals(b, total, "2200B", "90", "AA", "transaction")
            stcs = b["segs"].get("2200B.STC", [])
            for n, seg in stcs:
                k = self.stc_class(n, seg, csep, "batch")
                stc_b = stc_b or norm(el(seg, 1), csep)
                if k == "rejected" and provs:
                    self.bad(n, "2200B rejects the batch but billing "
                             "provider levels (2000C) follow")
        for p in provs:
            for n, seg in p["segs"].get("2200C.STC", []):
                k = self.stc_class(n, seg, csep, "billing provider")
                if k == "rejected" and p["kids"]:
                    self.bad(n, "2200C rejects the provider's claims but "
                             "patient levels (2000D) follow")
        self.summary.append(["ack277", ctl, batch or "-", stc_b or "-",
                             str(total["accepted"][0]),
                             str(total["accepted"][1]),
                             str(total["rejected"][0]),
                             str(total["rejected"][1])])
        for p in provs:
            t = p["tot"]
            self.summary.append(["provider", ctl, p["npi"],
                                 str(t["accepted"][0]),
                                 str(t["accepted"][1]),
                                 str(t["rejected"][0]),
                                 str(t["rejected"][1])])
        self.summary.extend(out_claims)

    @staticmethod
    def new_tot():
        return {"accepted": [0, Decimal(0)], "rejected": [0, Decimal(0)]}

    def check_totals(self, h, t, loop, qacc, qrej, what):
        segs = h["segs"]
        n0 = segs.get(loop + ".TRN", [(h["n"], None)])[0][0]
        for key, want, label in (
                (loop + ".QTY" + qacc, t["accepted"][0],
                 "QTY*%s (accepted claims)" % qacc),
                (loop + ".QTY" + qrej, t["rejected"][0],
                 "QTY*%s (rejected claims)" % qrej),
                (loop + ".AMTYU", t["accepted"][1],
                 "AMT*YU (accepted amount)"),
                (loop + ".AMTYY", t["rejected"][1],
                 "AMT*YY (rejected amount)")):
            have = segs.get(key)
            if not have:
                if want:
                    self.bad(n0, "%s: %s is missing but the %s has %s"
                             % (loop, label, what, want))
                continue
            n, seg = have[0]
            v = money(el(seg, 2))
            if v is None or v != Decimal(want):
                self.bad(n, "%s: %s=%s but the claim-level STCs give %s"
                         % (loop, label, el(seg, 2), want))
        whole = t["accepted"][1] + t["rejected"][1]
        for n, seg in segs.get(loop + ".STC", []):
            v = money(el(seg, 4))
            if v is not None and (t["accepted"][0] or t["rejected"][0]) \
                    and v != whole:
                self.bad(n, "%s: STC04=%s but its claims total %s"
                         % (loop, el(seg, 4), whole))

    def check_dtp(self, n, seg):
        fmt, v = el(seg, 2), el(seg, 3)
        if fmt == "D8":
            if not valid_date8(v):
                self.bad(n, "DTP*%s D8 date '%s' is not a valid CCYYMMDD"
                         % (el(seg, 1), v))
                return None
        elif fmt == "RD8":
            m = re.fullmatch(r"(\d{8})-(\d{8})", v)
            if not m or not (valid_date8(m.group(1)) and
                             valid_date8(m.group(2))):
                self.bad(n, "DTP*%s RD8 range '%s' is not CCYYMMDD-CCYYMMDD"
                         % (el(seg, 1), v))
                return None
            if m.group(1) > m.group(2):
                self.bad(n, "DTP*%s RD8 range '%s' ends before it starts"
                         % (el(seg, 1), v))
                return None
        return v


def in_order(errors):
    """The messages by segment number (file-level ones first), keeping
    the order of discovery within a segment."""
    def key(e):
        m = re.search(r": segment (\d+): ", e)
        return int(m.group(1)) if m else 0
    return sorted(errors, key=key)


def check(paths):
    status = 0
    for p in paths:
        c = Checker(p)
        c.run()
        for e in in_order(c.errors):
            print(e)
        if c.errors:
            status = 1
    return status


def summary(path):
    c = Checker(path)
    c.run()
    for rec in c.summary:
        print("\t".join(rec))
    for e in in_order(c.errors):
        print(e, file=sys.stderr)
    return 1 if c.errors else 0


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    if argv[0] == "--summary":
        if len(argv) != 2:
            print("usage: x12ack.py --summary FILE", file=sys.stderr)
            return 2
        return summary(argv[1])
    return check(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
