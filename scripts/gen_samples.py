#!/usr/bin/env python3
"""gen_samples.py -- writes the cart837 sample 837 files and their spec.

Usage: scripts/gen_samples.py [OUTDIR]        (default: samples/)

Writes realistic, structurally valid X12 5010 837P (005010X222A1) and 837I
(005010X223A2) files, all of them written for this project (fictional
people, organisations and addresses; NPIs pass the Luhn check with prefix
80840), plus OUTDIR/README.md (a table of every file and every claim with
the edit ids expected to fire and the expected disposition) and
tests/expected/samples_expected.csv (the same table, machine-readable,
used by tests/e2e_samples.sh; kept out of samples/ so that a run over
samples/ finds only X12 files and README.md).

The output is deterministic: fixed dates, fixed control numbers, no clock,
no randomness.  Python 3 standard library only.

The module also holds the X12 building blocks (delimiters, segments, the
HL hierarchy, envelopes, NPI check digits) that scripts/gen_batch.py
imports.
"""

import csv
import functools
import gzip
import io
import os
import re
import sys

# ---------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------


class Delims:
    """The four X12 separators plus what follows each segment terminator."""

    def __init__(self, elem="*", comp=":", rep="^", seg="~", eol="\n"):
        chars = [elem, comp, rep, seg]
        if len(set(chars)) != 4 or any(len(c) != 1 for c in chars):
            raise ValueError("delimiters must be 4 distinct single characters")
        self.elem, self.comp, self.rep, self.seg, self.eol = (
            elem, comp, rep, seg, eol)
        self.bad = re.compile("[%s]" % re.escape(
            "".join(chars) + "\r\n"))


DEFAULT = Delims()


def money(cents):
    """X12 decimal for an amount in cents: 2500, 89.5, 462000, -12.25."""
    neg = cents < 0
    cents = abs(cents)
    s = "%d" % (cents // 100)
    c = cents % 100
    if c:
        s += "." + ("%02d" % c).rstrip("0")
    return ("-" if neg else "") + s


@functools.lru_cache(maxsize=4096)
def luhn_npi(nine):
    """A 10-digit NPI from 9 digits: Luhn check digit over 80840 + digits."""
    assert len(nine) == 9 and nine.isdigit()
    payload = "80840" + nine
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return nine + str((10 - total % 10) % 10)


def npi_ok(npi):
    """True when a 10-digit NPI passes the Luhn check with prefix 80840."""
    return len(npi) == 10 and npi.isdigit() and luhn_npi(npi[:9]) == npi


def d8(ymd):
    return "%08d" % ymd


def add_days(ymd, n):
    """CCYYMMDD + n days (proleptic Gregorian)."""
    import datetime
    d = datetime.date(ymd // 10000, ymd // 100 % 100, ymd % 100)
    d += datetime.timedelta(days=n)
    return d.year * 10000 + d.month * 100 + d.day


def render(seg, dl):
    """One segment (list of elements; an element may be a list = composite)
    as text, trailing empty elements and components dropped.  Raises
    ValueError when a value contains a delimiter (the ISA excepted, which
    carries the repetition and component characters on purpose)."""
    out = []
    vals = []
    for e in seg:
        if isinstance(e, (list, tuple)):
            comps = [str(c) for c in e]
            while comps and comps[-1] == "":
                comps.pop()
            vals.extend(comps)
            out.append(dl.comp.join(comps))
        else:
            text = e if isinstance(e, str) else ("" if e is None else str(e))
            vals.append(text)
            out.append(text)
    while len(out) > 1 and out[-1] == "":
        out.pop()
    if seg[0] != "ISA" and dl.bad.search("".join(vals)):
        raise ValueError("delimiter inside a %s value: %r" % (seg[0], vals))
    return dl.elem.join(out) + dl.seg + dl.eol


# ---------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------


class Provider:
    def __init__(self, name, nine, tin, addr, city, state, zip9, taxonomy):
        self.name, self.npi, self.tin = name, luhn_npi(nine), tin
        self.addr, self.city, self.state, self.zip = addr, city, state, zip9
        self.taxonomy = taxonomy


class Payer:
    def __init__(self, name, pid, filing="CI"):
        self.name, self.id, self.filing = name, pid, filing


class Person:
    """A subscriber (member_id set, holder None) or a dependent patient
    (holder = the subscribing Person, rel = PAT01 code)."""

    def __init__(self, last, first, dob, sex, addr, city, state, zip9,
                 member_id=None, holder=None, rel="19", group="GRP-55120",
                 payer=None, sbr_resp="P"):
        self.last, self.first, self.dob, self.sex = last, first, dob, sex
        self.addr, self.city, self.state, self.zip = addr, city, state, zip9
        self.member_id, self.holder, self.rel = member_id, holder, rel
        self.group, self.payer, self.sbr_resp = group, payer, sbr_resp

    @property
    def subscriber(self):
        return self.holder if self.holder else self


# ---------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------


class Line:
    """One service line.  units is the text written (may be invalid on
    purpose); d2 set means an RD8 range; rev set means 837I (SV2).  desc
    is the drug's description (SV101-7 / SV202-7, for unclassified
    codes); ndc = (11-digit NDC, quantity, unit) writes a 2410 LIN/CTP
    loop."""

    def __init__(self, code, charge, units="1", d1=None, d2=None, mods=(),
                 basis="UN", rev=None, noncov=None, qual="HC", after=(),
                 ptr="1", desc=None, ndc=None):
        self.code, self.charge, self.units = code, charge, units
        self.d1, self.d2, self.mods, self.basis = d1, d2, tuple(mods), basis
        self.rev, self.noncov, self.qual = rev, noncov, qual
        self.after, self.ptr = list(after), ptr
        self.desc, self.ndc = desc, ndc


class Claim:
    """One claim (loop 2300).  kind 'P' or 'I'.  For 837I: fac (CLM05-1),
    stmt = (from, to), admit = CCYYMMDDHHMM string for inpatient, pcs =
    (ICD-10-PCS code, date) or a list of them; cond = condition codes,
    value = [(value code, amount as written)] (837I); notes = NTE*ADD
    texts; trial_ref = REF*P4 (the trial number).  cob = dict for a
    2320/2330A/2330B loop.  expect = [(edit id, LX number or None)], disp
    = expected disposition, tests = what the claim is for (README)."""

    def __init__(self, cid, kind, lines, freq="1", pos="11", fac="13",
                 dx=("C8330",), stmt=None, admit=None, pcs=None, cob=None,
                 orig_ref=None, rendering=None, attending=None,
                 expect=(), disp="passed", tests="", cond=(), value=(),
                 notes=(), trial_ref=None):
        self.cid, self.kind, self.lines, self.freq = cid, kind, lines, freq
        self.pos, self.fac, self.dx = pos, fac, tuple(dx)
        self.stmt, self.admit, self.cob = stmt, admit, cob
        self.pcs = [pcs] if isinstance(pcs, tuple) else list(pcs or [])
        self.orig_ref, self.rendering = orig_ref, rendering
        self.attending = attending
        self.cond, self.value = list(cond), list(value)
        self.notes, self.trial_ref = list(notes), trial_ref
        self.expect, self.disp, self.tests = list(expect), disp, tests
        if kind == "I" and self.stmt is None:
            ds = [l.d1 for l in lines if l.d1] + [l.d2 for l in lines if l.d2]
            self.stmt = (min(ds), max(ds)) if ds else (20250101, 20250101)

    @property
    def total(self):
        return sum(l.charge for l in self.lines)


def claim_segments(c, dl):
    """Segments of loop 2300 and below, as element lists."""
    segs = []
    if c.kind == "P":
        segs.append(["CLM", c.cid, money(c.total), "", "",
                     [c.pos, "B", c.freq], "Y", "A", "Y", "Y"])
    else:
        segs.append(["CLM", c.cid, money(c.total), "", "",
                     [c.fac, "A", c.freq], "", "A", "Y", "Y"])
        a, b = c.stmt
        segs.append(["DTP", "434", "RD8", "%s-%s" % (d8(a), d8(b))])
        if c.admit:
            segs.append(["DTP", "435", "DT", c.admit])
        segs.append(["CL1", "3", "1", "01"])
    if c.orig_ref:
        segs.append(["REF", "F8", c.orig_ref])
    if c.trial_ref:
        segs.append(["REF", "P4", c.trial_ref])
    for text in c.notes:
        segs.append(["NTE", "ADD", text])
    segs.extend(hi_segments(c))
    if c.kind == "I":
        att = c.attending or ("OKAFOR", "RENATA", "148293756")
        segs.append(["NM1", "71", "1", att[0], att[1], "", "", "", "XX",
                     luhn_npi(att[2])])
    elif c.rendering:
        r = c.rendering
        segs.append(["NM1", "82", "1", r[0], r[1], "", "", "", "XX",
                     luhn_npi(r[2])])
        segs.append(["PRV", "PE", "PXC", "207RH0003X"])
    if c.cob:
        o = c.cob
        segs.append(["SBR", o.get("resp", "P"), "18", o.get("group", ""),
                     "", "", "", "", "", o.get("filing", "CI")])
        if o.get("paid") is not None:
            segs.append(["AMT", "D", money(o["paid"])])
        segs.append(["OI", "", "", "Y", "P", "", "Y"])
        segs.append(["NM1", "IL", "1", o["last"], o["first"], "", "", "",
                     "MI", o["member"]])
        segs.append(["N3", o["addr"]])
        segs.append(["N4", o["city"], o["state"], o["zip"]])
        segs.append(["NM1", "PR", "2", o["payer"], "", "", "", "", "PI",
                     o["payer_id"]])
    for i, l in enumerate(c.lines, 1):
        segs.append(["LX", str(i)])
        proc = [l.qual, l.code] + list(l.mods) if l.code else ""
        if l.desc:
            proc = [l.qual, l.code] + (list(l.mods) + ["", "", "", ""])[:4] \
                + [l.desc]
        if c.kind == "P":
            segs.append(["SV1", proc, money(l.charge), l.basis, l.units, "",
                         "", l.ptr])
        else:
            sv = ["SV2", l.rev, proc, money(l.charge), l.basis, l.units]
            if l.noncov is not None:
                sv += ["", money(l.noncov)]
            segs.append(sv)
        if l.d1:
            if l.d2 is not None:
                segs.append(["DTP", "472", "RD8",
                             "%s-%s" % (d8(l.d1), d8(l.d2))])
            else:
                segs.append(["DTP", "472", "D8", d8(l.d1)])
        if l.ndc:
            segs.append(["LIN", "", "N4", l.ndc[0]])
            segs.append(["CTP", "", "", "", l.ndc[1], [l.ndc[2]]])
        segs.extend(l.after)
    return segs


def hi_segments(c):
    """The HI segments of loop 2300, in the guides' order.  837P: the
    diagnoses in one HI (HI01 ABK, HI02.. ABF).  837I (005010X223A2): the
    principal diagnosis alone in its HI (the guide uses HI01 only there),
    the admitting diagnosis (inpatient bills), the other diagnoses, the
    principal and other procedures, value codes, condition codes: each
    kind in its own HI of at most 12 composites."""
    if c.kind == "P":
        return [["HI", ["ABK", c.dx[0]]] + [["ABF", d] for d in c.dx[1:12]]]
    out = [["HI", ["ABK", c.dx[0]]]]
    if c.fac == "11":
        out.append(["HI", ["ABJ", c.dx[0]]])
    groups = [[["ABF", d] for d in c.dx[1:]],
              [["BBR" if k == 0 else "BBQ", code, "D8", d8(date)]
               for k, (code, date) in enumerate(c.pcs)],
              [["BE", code, "", "", amount] for code, amount in c.value],
              [["BG", code] for code in c.cond]]
    for comps in groups:
        for k in range(0, len(comps), 12):
            out.append(["HI"] + comps[k:k + 12])
    return out


# ---------------------------------------------------------------------------
# Transactions, groups, interchanges
# ---------------------------------------------------------------------------

SUBMITTER = ("CART837 SAMPLE BILLING SERVICE", "S837TEST01", "DANA QUILL",
             "5550104477")
RECEIVER = ("NORTHWIND CLEARING HOUSE", "NWCH00042")


def transaction_segments(kind, st02, items, bht_ref, when=(20250315, "1200"),
                         submitter=SUBMITTER, receiver=RECEIVER):
    """ST..SE of one 837 transaction.  items = [(Provider, Person, Claim)],
    in output order: a new 2000A loop starts whenever the provider
    changes, a new 2000B whenever the subscriber changes (or a subscriber
    claim follows one of its dependents), a new 2000C whenever the patient
    changes.  Returns a list of element lists, SE included."""
    ver = "005010X222A1" if kind == "P" else "005010X223A2"
    segs = [["ST", "837", st02, ver],
            ["BHT", "0019", "00", bht_ref, d8(when[0]), when[1], "CH"],
            ["NM1", "41", "2", submitter[0], "", "", "", "", "46",
             submitter[1]],
            ["PER", "IC", submitter[2], "TE", submitter[3]],
            ["NM1", "40", "2", receiver[0], "", "", "", "", "46",
             receiver[1]]]
    hl = 0
    cur_prov = cur_sub = cur_pat = None
    prov_hl = sub_hl = None
    sub_hl_index = None          # index of the 2000B HL segment in segs
    sub_has_pat = False
    for prov, person, claim in items:
        holder = person.subscriber
        if prov is not cur_prov:
            hl += 1
            prov_hl = hl
            segs.append(["HL", str(hl), "", "20", "1"])
            segs.append(["PRV", "BI", "PXC", prov.taxonomy])
            segs.append(["NM1", "85", "2", prov.name, "", "", "", "", "XX",
                         prov.npi])
            segs.append(["N3", prov.addr])
            segs.append(["N4", prov.city, prov.state, prov.zip])
            segs.append(["REF", "EI", prov.tin])
            cur_prov, cur_sub, cur_pat = prov, None, None
        is_self = person.holder is None
        if holder is not cur_sub or (is_self and sub_has_pat):
            hl += 1
            sub_hl = hl
            sub_hl_index = len(segs)
            segs.append(["HL", str(hl), str(prov_hl), "22", "0"])
            payer = holder.payer or DEFAULT_PAYER
            segs.append(["SBR", holder.sbr_resp,
                         "18" if is_self else "", holder.group, "", "", "",
                         "", "", payer.filing])
            segs.append(["NM1", "IL", "1", holder.last, holder.first, "", "",
                         "", "MI", holder.member_id])
            segs.append(["N3", holder.addr])
            segs.append(["N4", holder.city, holder.state, holder.zip])
            segs.append(["DMG", "D8", d8(holder.dob), holder.sex])
            segs.append(["NM1", "PR", "2", payer.name, "", "", "", "", "PI",
                         payer.id])
            cur_sub, cur_pat, sub_has_pat = holder, None, False
        if not is_self and person is not cur_pat:
            hl += 1
            segs[sub_hl_index][4] = "1"
            sub_has_pat = True
            segs.append(["HL", str(hl), str(sub_hl), "23", "0"])
            segs.append(["PAT", person.rel])
            segs.append(["NM1", "QC", "1", person.last, person.first])
            segs.append(["N3", person.addr])
            segs.append(["N4", person.city, person.state, person.zip])
            segs.append(["DMG", "D8", d8(person.dob), person.sex])
            cur_pat = person
        if is_self:
            cur_pat = None
        segs.extend(claim_segments(claim, None))
    segs.append(["SE", str(len(segs) + 1), st02])
    return segs


def isa_segment(ctl, dl, when=(20250315, "1200"), sender="CART837SAMPLE",
                receiver="NWCH00042", usage="T"):
    return ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", sender.ljust(15),
            "ZZ", receiver.ljust(15), "%06d" % (when[0] % 1000000), when[1],
            dl.rep, "00501", "%09d" % ctl, "0", usage, dl.comp]


def gs_segment(kind, ctl, when=(20250315, "1200"), sender="CART837SAMPLE",
               receiver="NWCH00042"):
    ver = "005010X222A1" if kind == "P" else "005010X223A2"
    return ["GS", "HC", sender, receiver, d8(when[0]), when[1], str(ctl),
            "X", ver]


def interchange_text(ctl, groups, dl, when=(20250315, "1200")):
    """groups = [(kind, gs06, [transaction segment lists])] -> text."""
    out = [render(isa_segment(ctl, dl, when), dl)]
    for kind, gs06, txns in groups:
        out.append(render(gs_segment(kind, gs06, when), dl))
        for t in txns:
            out.extend(render(s, dl) for s in t)
        out.append(render(["GE", str(len(txns)), str(gs06)], dl))
    out.append(render(["IEA", str(len(groups)), "%09d" % ctl], dl))
    return "".join(out)


# ---------------------------------------------------------------------------
# The cast (all fictional)
# ---------------------------------------------------------------------------

DEFAULT_PAYER = Payer("BLUE HERON HEALTH PLAN", "BHHP01")
MEDICARE = Payer("MEDICARE PART B DEMO CONTRACTOR", "MCRB99", "MB")
MEDICARE_A = Payer("MEDICARE PART A DEMO CONTRACTOR", "MCRA99", "MA")
MEDICAID = Payer("STATE MEDICAID DEMO PROGRAM", "SMCD01", "MC")

CLINIC = Provider("RIVERBEND ONCOLOGY ASSOCIATES", "164820377", "362947115",
                  "4100 MAPLE HOLLOW DR STE 200", "RIVERBEND", "OH",
                  "432150142", "207RH0003X")
APHERESIS = Provider("NORTHGATE APHERESIS CENTER", "130472958", "371820046",
                     "77 QUARRY BEND RD", "NORTHGATE", "OH", "432290017",
                     "261QA1903X")
FAMILYMED = Provider("WILLOWBROOK FAMILY MEDICINE", "172635490", "351102983",
                     "12 ORCHARD SQUARE", "WILLOWBROOK", "OH", "430610455",
                     "207Q00000X")
HOSPITAL = Provider("LAKESHORE REGIONAL MEDICAL CENTER", "154930268",
                    "340017762", "900 HARBOR LIGHT BLVD", "LAKESHORE", "OH",
                    "440120931", "282N00000X")
HOSPITAL2 = Provider("PINECREST UNIVERSITY HOSPITAL", "182736451",
                     "340099128", "1 PINECREST CAMPUS WAY", "PINECREST",
                     "OH", "441060300", "282N00000X")

LAST = ["ALDERTON", "BRISCOE", "CALLOWAY", "DENHOLM", "ELSWORTH", "FAIRLEY",
        "GARRICK", "HOLLIS", "IVERSEN", "JARROW", "KESWICK", "LINDQVIST",
        "MARLOWE", "NETHERBY", "ORMSBY", "PENDRY", "QUINTRELL", "ROSSITER",
        "SALTONSTALL", "TREMAYNE", "UPWOOD", "VARLEY", "WHITLOCK", "YARDLEY",
        "ABERNETHY", "BLACKWOOD", "CROSSLEY", "DRUMMOND", "EASTLAKE",
        "FENWICK", "GODWIN", "HARGROVE", "INGLEBY", "JESSOP", "KINGSLEY",
        "LOCKHART", "MERRIDEW", "NORCROSS", "OAKLEY", "PRESCOTT"]
FIRST = ["AVERY", "BLAIR", "CORIN", "DALLAS", "EMERY", "FINLEY", "GRAY",
         "HARPER", "ISLA", "JUNO", "KAI", "LANE", "MARLO", "NOEL", "OREN",
         "PARKER", "QUINN", "REESE", "SAGE", "TATUM", "UMA", "VAL", "WREN",
         "YALE", "ZION", "ARDEN", "BRYN", "CASEY", "DREW", "ELLIS"]
STREETS = ["ASPEN", "BIRCHWOOD", "CEDAR KNOLL", "DOGWOOD", "ELMHURST",
           "FOXGLOVE", "GLENWOOD", "HAWTHORN", "IRONWOOD", "JUNIPER"]
TOWNS = [("RIVERBEND", "43215"), ("NORTHGATE", "43229"),
         ("LAKESHORE", "44012"), ("WILLOWBROOK", "43061"),
         ("PINECREST", "44106")]


class Cast:
    """Hands out fictional people with distinct member ids."""

    def __init__(self, prefix):
        self.prefix, self.n = prefix, 0

    def person(self, dob=19640212, sex="F", payer=None, sbr_resp="P"):
        n = self.n
        self.n += 1
        town, zipp = TOWNS[n % len(TOWNS)]
        return Person(LAST[n % len(LAST)], FIRST[(n * 7) % len(FIRST)], dob,
                      sex, "%d %s LN" % (100 + 37 * n, STREETS[n % 10]), town,
                      "OH", zipp + "%04d" % (1000 + n), "%s%05d" %
                      (self.prefix, 10000 + 37 * n), payer=payer,
                      sbr_resp=sbr_resp)

    def dependent(self, holder, first, dob, sex):
        return Person(holder.last, first, dob, sex, holder.addr, holder.city,
                      holder.state, holder.zip, holder=holder, rel="19")


# ---------------------------------------------------------------------------
# Charges (cents) and line shorthands
# ---------------------------------------------------------------------------

CHG = {"38225": 250000, "38226": 180000, "38227": 120000, "38228": 300000,
       "0537T": 250000, "0538T": 180000, "0539T": 120000, "0540T": 300000,
       "Q2041": 46200000, "Q2042": 47500000, "Q2054": 48700000,
       "C9076": 48700000, "Q2058": 26000000, "38206": 210000,
       "99213": 13500, "99214": 19500, "96413": 41000, "36415": 1500,
       "85025": 2900, "80053": 3800, "J9312": 820000}
REV = {"38225": "0871", "38226": "0872", "38227": "0873", "38228": "0874",
       "0537T": "0871", "0538T": "0872", "0539T": "0873", "0540T": "0874"}


def P(code, d1, units="1", **kw):
    """An 837P line with the usual charge for code x units (when numeric)."""
    if "charge" not in kw:
        try:
            u = float(units)
        except ValueError:
            u = 1
        kw["charge"] = int(round(CHG[code] * (u if u > 0 else 1)))
    return Line(code, kw.pop("charge"), units, d1, **kw)


def I(code, d1, units="1", rev=None, **kw):
    """An 837I line; revenue code from the table unless given."""
    if rev is None:
        rev = REV.get(code, "0891")
    if "charge" not in kw:
        try:
            u = float(units)
        except ValueError:
            u = 1
        kw["charge"] = int(round(CHG[code] * (u if u > 0 else 1)))
    return Line(code, kw.pop("charge"), units, d1, rev=rev, **kw)


# ---------------------------------------------------------------------------
# Basic (non-CAR-T) files
# ---------------------------------------------------------------------------

def svd_after(payer_id, code, paid, date, units="1"):
    """A 2430 loop: SVD, CAS, DTP*573 (the adjudication date trap)."""
    return [["SVD", payer_id, money(paid), ["HC", code], "", units],
            ["CAS", "CO", "45", money(1000)],
            ["DTP", "573", "D8", d8(date)]]


def prof_basic():
    cast = Cast("WB")
    a = cast.person(19710304, "M")
    b = cast.person(19830917, "F", sbr_resp="S")
    c = cast.person(19591122, "F")
    kid1 = cast.dependent(c, "ROWAN", 20120615, "M")
    kid2 = cast.dependent(c, "LARK", 20150228, "F")
    d = cast.person(19480730, "M", payer=MEDICARE)
    e = cast.person(19900101, "F")
    cob = {"resp": "P", "group": "OTH-7781", "filing": "CI", "paid": 9500,
           "last": b.last, "first": "MORGAN", "member": "OTHR88120443",
           "addr": b.addr, "city": b.city, "state": b.state, "zip": b.zip,
           "payer": "GRANITE MUTUAL INSURANCE", "payer_id": "GMI550"}
    dr = ("HALVORSEN", "ISAK", "119283746")
    t1 = [
        (FAMILYMED, a, Claim("WB-P-1001", "P", [
            P("99214", 20250203), P("36415", 20250203),
            P("85025", 20250203)], dx=("E119", "I10"), rendering=dr,
            tests="837P subscriber is patient, three lines")),
        (FAMILYMED, a, Claim("WB-P-1002", "P", [
            P("99213", 20250224)], dx=("E119",),
            tests="second claim, same subscriber loop")),
        (FAMILYMED, b, Claim("WB-P-1003", "P", [
            Line("99213", 13500, "1", 20250205,
                 after=svd_after("GMI550", "99213", 9500, 20250301)),
            Line("80053", 3800, "1", 20250205,
                 after=svd_after("GMI550", "80053", 2800, 20250301))],
            dx=("R7309",), cob=cob,
            tests="COB: 2320/2330A NM1*IL (other member id) and 2330B "
                  "NM1*PR after the claim; 2430 SVD + DTP*573 after lines")),
    ]
    t2 = [
        (FAMILYMED, c, Claim("WB-P-1004", "P", [P("99213", 20250210)],
                             dx=("J069",),
                             tests="subscriber's own claim under a 2000B "
                                   "that also has 2000C patients")),
        (FAMILYMED, kid1, Claim("WB-P-1005", "P", [
            P("99213", 20250210), P("87880", 20250210, charge=2400)],
            dx=("J029",), tests="dependent patient (2000C, PAT*19)")),
        (FAMILYMED, kid2, Claim("WB-P-1006", "P", [P("99213", 20250211)],
                                dx=("H6690",),
                                tests="second dependent of the same "
                                      "subscriber")),
        (CLINIC, d, Claim("WB-P-1007", "P", [
            P("96413", 20250212), P("J9312", 20250212, units="10",
                                    charge=820000, mods=("JZ",))],
            dx=("C8330",), pos="11",
            tests="oncology clinic, Medicare, chemo infusion; second "
                  "billing provider (2000A) in the transaction")),
        (CLINIC, e, Claim("WB-P-1008", "P", [
            P("99214", 20250213, mods=("25",)), P("36415", 20250213)],
            dx=("D649",), tests="modifier on an E/M line")),
    ]
    t3 = [
        (FAMILYMED, a, Claim("WB-P-1002", "P", [P("99213", 20250224,
                                                  charge=14000)],
                             freq="7", orig_ref="PCN2025022400117",
                             dx=("E119",),
                             tests="replacement (freq 7) of WB-P-1002, no "
                                   "CAR-T code")),
    ]
    txns = [("0001", t1), ("0002", t2), ("0003", t3)]
    return "P", txns


def inst_basic():
    cast = Cast("LS")
    a = cast.person(19660419, "F", payer=MEDICARE_A)
    b = cast.person(19790808, "M")
    c = cast.person(19530214, "M", payer=MEDICARE_A)
    mom = cast.person(19850605, "F")
    child = cast.dependent(mom, "ELODIE", 20180321, "F")
    t1 = [
        (HOSPITAL, a, Claim("LS-I-2001", "I", [
            Line("85025", 2900, "1", 20250304, rev="0300", qual="HC"),
            Line("80053", 3800, "1", 20250304, rev="0301"),
            Line("71046", 21000, "1", 20250304, rev="0324")],
            fac="13", dx=("R079", "I10"),
            tests="837I outpatient (TOB 131), lab and imaging lines")),
        (HOSPITAL, b, Claim("LS-I-2002", "I", [
            Line("99284", 98000, "1", 20250306, rev="0450", mods=("25",)),
            Line("96374", 24000, "1", 20250306, rev="0636"),
            Line("J1885", 1800, "2", 20250306, rev="0636")],
            fac="13", dx=("S0990XA",),
            tests="emergency outpatient visit, modifier on SV202")),
        (HOSPITAL, c, Claim("LS-I-2003", "I", [
            Line("", 1260000, "3", rev="0120", basis="DA"),
            Line("", 184500, "14", rev="0250"),
            Line("", 96000, "1", rev="0300")],
            fac="11", stmt=(20250310, 20250313), admit="202503100815",
            dx=("J189", "E119"), pcs=("5A1955Z", 20250311),
            tests="inpatient (TOB 111): revenue-only lines without DTP*472 "
                  "take the statement period DTP*434; admission DTP*435")),
    ]
    t2 = [
        (HOSPITAL2, child, Claim("LS-I-2004", "I", [
            Line("99283", 52000, "1", 20250318, rev="0450"),
            Line("87880", 2400, "1", 20250318, rev="0300")],
            fac="13", dx=("J029",),
            tests="837I dependent patient (2000C), second hospital")),
        (HOSPITAL2, mom, Claim("LS-I-2005", "I", [
            Line("", 2115000, "4", rev="0120", basis="DA"),
            Line("", 45000, "1", rev="0360"),
            Line("", 120000, "8", rev="0250")],
            fac="11", stmt=(20250320, 20250324), admit="202503201410",
            dx=("K358", "K650"), pcs=("0DTJ4ZZ", 20250320),
            tests="inpatient claim of the subscriber after her "
                  "dependent's claim (new 2000B loop)")),
    ]
    return "I", [("0001", t1), ("0002", t2)]


# ---------------------------------------------------------------------------
# CAR-T scenarios
# ---------------------------------------------------------------------------

# Large B-cell lymphoma (C83.30) and anaemia: the label diagnosis of
# Yescarta, Breyanzi and Kymriah (adults); no clinical trial diagnosis
# (Z00.6), so that the trial rules do not apply unless a scenario asks.
CART_DX = ("C8330", "D649")
ALL_DX = ("C9100", "D649")   # B-cell acute lymphoblastic leukaemia
MM_DX = ("C9000", "D649")    # multiple myeloma (Abecma, Carvykti)
# A CAR-T patient journey: collect on d0, ship d0+1, receive dr, then
# administer.  prep() gives the claim with the three earlier steps so
# that the administration claim after it has a complete history.


def prep_i(cid, d0, dr, codes=("38225", "38226", "38227"), fac="13",
           tests=None, nc=False):
    """nc: the steps as non-covered tracking lines (SV207 = SV203), as
    Medicare wants them on an outpatient bill."""
    def ln(code, d):
        return I(code, d, noncov=CHG[code] if nc else None)
    return Claim(cid, "I", [ln(codes[0], d0), ln(codes[1], add_days(d0, 1)),
                            ln(codes[2], dr)], fac=fac, dx=CART_DX,
                 tests=tests or "earlier steps (collect, ship, receive) "
                 "for the next claim; in step and date order")


def prep_p(cid, d0, dr, tests=None, medicare=False):
    """medicare: the patient's payer is Medicare Part B, which does not pay
    38225-38227 separately: STEP_NOT_PAYABLE on each line."""
    return Claim(cid, "P", [P("38225", d0), P("38226", add_days(d0, 1)),
                            P("38227", dr)], dx=CART_DX,
                 expect=[("STEP_NOT_PAYABLE", k) for k in (1, 2, 3)]
                 if medicare else [],
                 tests=tests or "earlier steps (collect, ship, receive) "
                 "for the next claim; in step and date order")


def cart_inst():
    """837I CAR-T scenarios (hospital outpatient 13x, inpatient 11x)."""
    cast = Cast("CI")
    H = HOSPITAL
    items = []

    def add(person, *claims, prov=H):
        for c in claims:
            items.append((prov, person, c))

    def admin(cid, d, prod="Q2041", units="1", admin_units="1", dx=CART_DX,
              **kw):
        return Claim(cid, "I", [I("38228", d, admin_units),
                                I(prod, d, units, rev="0891")],
                     dx=dx, **kw)

    # --- clean journey: the non-firing case for many edits
    p = cast.person(19620718, "M", payer=MEDICARE_A)
    add(p, prep_i("CLEAN-I-N-PREP", 20250303, 20250407, nc=True,
                  tests="earlier steps (collect, ship, receive) as "
                        "non-covered tracking lines (Medicare)"),
        admin("CLEAN-I-N", 20250409,
              tests="38228 x1 on 0874 + Q2041 x1 on 0891, same date, TOB "
                    "131, all steps before: the non-firing case of "
                    "UNITS_OVER_DAILY_MAX, REVENUE_CODE_MISMATCH, "
                    "ADMIN_WITHOUT_PRODUCT, PRODUCT_WITHOUT_ADMIN, "
                    "INPATIENT_PROCEDURE_LINE, PRIOR_STEP_MISSING, "
                    "STEP_OUT_OF_ORDER, INFUSION_TOO_SOON"))
    # --- UNITS_OVER_DAILY_MAX
    p = cast.person(19580102, "F")
    add(p, prep_i("UNITS-OVER-F-PREP", 20250303, 20250408),
        admin("UNITS-OVER-F", 20250410, admin_units="3",
              expect=[("UNITS_OVER_DAILY_MAX", 1)], disp="fixed",
              tests="38228 x3 units on one date (cap 1): units set to 1; "
                    "DUPLICATE_DAY must not fire as well"))
    p = cast.person(19610913, "M")
    add(p, prep_i("UNITS-OVER-N-PREP", 20250304, 20250409),
        admin("UNITS-OVER-N", 20250411,
              tests="38228 x1: exactly at the cap"))
    # --- UNIT_BASIS_INVALID on 837I (DA)
    p = cast.person(19700322, "F")
    add(p, Claim("UNIT-BASIS-F-I", "I", [I("38225", 20250312, basis="DA")],
                 dx=CART_DX, expect=[("UNIT_BASIS_INVALID", 1)],
                 disp="held", tests="SV204 = DA on a 38225 line"))
    # --- CODE_DELETED
    p = cast.person(19550611, "M")
    add(p, prep_i("CODE-DEL-F-PREP", 20250303, 20250410),
        Claim("CODE-DEL-F", "I", [
            I("0540T", 20250412, mods=("PO",)),
            I("Q2041", 20250412, rev="0891")], dx=CART_DX,
            expect=[("CODE_DELETED", 1)], disp="fixed",
            tests="0540T (valid to 2024-12-31) on 2025-04-12: "
                  "crosswalked to 38228, modifier PO kept"))
    p = cast.person(19670224, "F")
    add(p, prep_i("CODE-DEL-F2-PREP", 20250303, 20250414),
        Claim("CODE-DEL-F2", "I", [
            I("38228", 20250416), I("C9076", 20250416, rev="0891")],
            dx=CART_DX, expect=[("CODE_DELETED", 2)], disp="fixed",
            tests="C9076 (valid to 2021-09-30) in 2025: crosswalked to "
                  "Q2054"))
    p = cast.person(19591030, "M")
    add(p, prep_i("CODE-DEL-N-PREP", 20241104, 20241227,
                  codes=("0537T", "0538T", "0539T"),
                  tests="earlier steps in 2024 with the Category III codes"),
        Claim("CODE-DEL-N", "I", [
            I("0540T", 20241231), I("Q2041", 20241231, rev="0891")],
            dx=CART_DX,
            tests="0540T on 2024-12-31, its last valid date: no finding"))
    # --- CODE_NOT_EFFECTIVE
    p = cast.person(19640517, "F")
    add(p, prep_i("CODE-NOTEFF-F-PREP", 20241104, 20241227,
                  codes=("0537T", "0538T", "0539T"),
                  tests="earlier steps in 2024 with the Category III codes"),
        Claim("CODE-NOTEFF-F", "I", [
            I("38228", 20241231), I("Q2041", 20241231, rev="0891")],
            dx=CART_DX, expect=[("CODE_NOT_EFFECTIVE", 1)], disp="fixed",
            tests="38228 on 2024-12-31, before its valid-from: fixed to "
                  "the predecessor 0540T (valid then)"))
    p = cast.person(19690821, "M")
    add(p, prep_i("CODE-NOTEFF-N-PREP", 20241104, 20241227,
                  codes=("0537T", "0538T", "0539T"),
                  tests="earlier steps in 2024 with the Category III codes"),
        Claim("CODE-NOTEFF-N", "I", [
            I("38228", 20250101), I("Q2041", 20250101, rev="0891")],
            dx=CART_DX,
            tests="38228 on 2025-01-01, its first valid date: no finding "
                  "(history lines 0537T-0539T count as 38225-38227)"))
    p = cast.person(19720903, "F")
    add(p, Claim("CODE-NOTEFF-H", "I", [I("38225", 20181105)], dx=CART_DX,
                 expect=[("CODE_NOT_EFFECTIVE", 1)], disp="held",
                 tests="38225 on 2018-11-05: neither it nor its "
                       "predecessor 0537T (from 2019-01-01) was valid"))
    # --- REVENUE_CODE_MISMATCH
    p = cast.person(19630415, "M")
    add(p, Claim("REV-F1", "I", [I("38225", 20250317, rev="0872")],
                 dx=CART_DX, expect=[("REVENUE_CODE_MISMATCH", 1)],
                 disp="fixed",
                 tests="38225 on 0872: revenue code set to 0871"))
    p = cast.person(19570126, "F")
    add(p, prep_i("REV-F1B-PREP", 20250303, 20250415),
        Claim("REV-F1B", "I", [
            I("38228", 20250417, rev="0871"),
            I("Q2041", 20250417, rev="0891")], dx=CART_DX,
            expect=[("REVENUE_CODE_MISMATCH", 1)], disp="fixed",
            tests="38228 on 0871 with Q2041 on 0891: revenue code set to "
                  "0874; later edits see 0874, so no "
                  "PREP_CHARGES_DOUBLE_BILLED"))
    p = cast.person(19810707, "M")
    add(p, Claim("REV-F2", "I", [
        Line("99213", 13500, "1", 20250318, rev="0874")], dx=("D649",),
        expect=[("REVENUE_CODE_MISMATCH", 1)],
        tests="0874 with 99213 (not a code of a cell or gene therapy): a "
              "warning, not held"))
    p = cast.person(19600228, "F")
    add(p, prep_i("REV-F3-PREP", 20250303, 20250416),
        Claim("REV-F3", "I", [
            I("38228", 20250418), I("Q2041", 20250418, rev="0871")],
            dx=CART_DX, expect=[("REVENUE_CODE_MISMATCH", 2)], disp="held",
            tests="Q2041 on 0871 (a product, not a step code): held"))
    p = cast.person(19741212, "M")
    add(p, Claim("REV-F4", "I", [Line("", 120000, "1", 20250319,
                                      rev="0873")], dx=CART_DX,
                 expect=[("REVENUE_CODE_MISMATCH", 1)], disp="held",
                 tests="0873 with no HCPCS at all: held"))
    # --- ADMIN_WITHOUT_PRODUCT / PRODUCT_WITHOUT_ADMIN (13x: error, held)
    p = cast.person(19660909, "F")
    add(p, prep_i("ADMIN-F-I-PREP", 20250303, 20250417),
        Claim("ADMIN-F-I", "I", [I("38228", 20250419)], dx=CART_DX,
              expect=[("ADMIN_WITHOUT_PRODUCT", 1)], disp="held",
              tests="38228 alone on TOB 131: no product on the claim"))
    p = cast.person(19680303, "M")
    add(p, Claim("PROD-F-I", "I", [I("Q2041", 20250320, rev="0891")],
                 dx=CART_DX, expect=[("PRODUCT_WITHOUT_ADMIN", 1)],
                 disp="held", tests="Q2041 alone on TOB 131"))
    # --- INFUSION_TOO_SOON
    p = cast.person(19710118, "F")
    add(p, prep_i("INFUSION-F-PREP", 20250505, 20250513),
        admin("INFUSION-F", 20250515, expect=[("INFUSION_TOO_SOON", 1)],
              tests="administration 10 days after the collection of "
                    "2025-05-05 (threshold 14)"))
    p = cast.person(19730625, "M")
    add(p, prep_i("INFUSION-N-PREP", 20250505, 20250517),
        admin("INFUSION-N", 20250519,
              tests="administration exactly 14 days after collection: "
                    "not fewer than 14, no finding"))
    # --- REPEAT_ADMINISTRATION
    p = cast.person(19520804, "F")
    add(p, prep_i("REPEAT-F-PREP", 20250602, 20250709),
        admin("REPEAT-F-1", 20250711, tests="first administration"),
        admin("REPEAT-F-2", 20250805, expect=[("REPEAT_ADMINISTRATION", 1)],
              tests="second Q2041 administration 25 days later"))
    p = cast.person(19590512, "M")
    add(p, prep_i("REPEAT-N-PREP", 20250602, 20250709),
        admin("REPEAT-N-1", 20250711, prod="Q2058", dx=ALL_DX,
              tests="Q2058 split dose, first infusion (one unit: Q2058 is "
                    "billed per infusion)"),
        admin("REPEAT-N-2", 20250721, prod="Q2058", dx=ALL_DX,
              tests="Q2058 split dose, second infusion 10 days later (day "
                    "10 +/- 2): no REPEAT_ADMINISTRATION"))
    # --- INPATIENT_PROCEDURE_LINE
    p = cast.person(19610101, "F", payer=MEDICARE_A)
    add(p, prep_i("INPAT-F-PREP", 20250602, 20250709, nc=True,
                  tests="earlier steps as non-covered tracking lines, the "
                        "last 6 days before the admission (outside the "
                        "payment window)"),
        Claim("INPAT-F", "I", [
            Line("", 1680000, "4", rev="0120", basis="DA"),
            I("Q2041", 20250716, rev="0892"),
            I("38228", 20250716)], fac="11", stmt=(20250715, 20250719),
            admit="202507150900", dx=CART_DX, pcs=("XW033H7", 20250716),
            expect=[("INPATIENT_PROCEDURE_LINE", 3)],
            tests="38228 line on an inpatient TOB 111 claim (lines with "
                  "DTP*472 on the infusion date); Yescarta's PCS code "
                  "XW033H7 proves the administration"))
    # --- PREP_CHARGES_DOUBLE_BILLED
    p = cast.person(19650330, "M")
    add(p, Claim("PREP-DBL-F", "I", [
        I("38225", 20250602), I("38226", 20250603), I("38227", 20250707),
        I("38228", 20250709), I("Q2041", 20250709, rev="0891")],
        dx=CART_DX, expect=[("PREP_CHARGES_DOUBLE_BILLED", 1),
                            ("PREP_CHARGES_DOUBLE_BILLED", 2),
                            ("PREP_CHARGES_DOUBLE_BILLED", 3)],
        tests="Q2041 on 0891 plus covered charges on 0871/0872/0873 "
              "(steps in date order on one claim)"))
    p = cast.person(19670809, "F")
    add(p, Claim("PREP-DBL-N", "I", [
        I("38225", 20250602, noncov=250000),
        I("38226", 20250603, noncov=180000),
        I("38227", 20250707, noncov=120000),
        I("38228", 20250709), I("Q2041", 20250709, rev="0891")],
        dx=CART_DX,
        tests="same, with the 0871-0873 charges non-covered (SV207)"))
    # --- DUPLICATE_DAY on 837I, second provider
    p = cast.person(19750404, "M")
    add(p, Claim("DUP-HOSP-N-A", "I", [I("38225", 20250324)], dx=CART_DX,
                 tests="38225 at Lakeshore"))
    add(p, Claim("DUP-HOSP-N-B", "I", [I("38225", 20250324)], dx=CART_DX,
                 tests="38225 the same day at another hospital (other "
                       "billing NPI): not a duplicate"), prov=HOSPITAL2)
    return items


def cart_prof():
    """837P CAR-T scenarios (physician office / apheresis centre)."""
    cast = Cast("CP")
    C = CLINIC
    t1, t2 = [], []

    def add(lst, person, *claims, prov=C):
        for c in claims:
            lst.append((prov, person, c))

    # --- DUPLICATE_DAY
    p = cast.person(19600607, "F")
    add(t1, p, Claim("DUP-SAME-F", "P", [P("38225", 20250303),
                                         P("38225", 20250303)],
                     dx=CART_DX, expect=[("DUPLICATE_DAY", 2)],
                     disp="fixed",
                     tests="38225 twice on one date in one claim: the later "
                           "line is removed"))
    p = cast.person(19630519, "M", sbr_resp="S")
    cob = {"resp": "P", "group": "OTH-4410", "filing": "CI", "paid": 0,
           "last": p.last, "first": "SAMUEL", "member": "GMI00912245",
           "addr": p.addr, "city": p.city, "state": p.state, "zip": p.zip,
           "payer": "GRANITE MUTUAL INSURANCE", "payer_id": "GMI550"}
    add(t1, p, Claim("DUP-CLAIM-F-A", "P", [P("38225", 20250304)],
                     dx=CART_DX, tests="38225 on 2025-03-04"),
        Claim("DUP-CLAIM-F-B", "P", [
            P("38225", 20250304,
              after=svd_after("GMI550", "38225", 0, 20250402))],
            dx=CART_DX, cob=cob, expect=[("DUPLICATE_DAY", 1)], disp="held",
            tests="38225 again on 2025-03-04 in a later claim, same "
                  "provider: held.  Carries the traps: 2330A NM1*IL with "
                  "another member id, and SVD + DTP*573 (2025-04-02) after "
                  "the line"))
    p = cast.person(19660802, "F")
    add(t1, p, Claim("DUP-PROV-N-A", "P", [P("38225", 20250305)],
                     dx=CART_DX, tests="38225 at the oncology clinic"))
    add(t1, p, Claim("DUP-PROV-N-B", "P", [P("38225", 20250305)],
                     dx=CART_DX, tests="38225 the same day by another "
                     "billing provider: not a duplicate"), prov=APHERESIS)
    parent = cast.person(19800310, "F")
    s1 = cast.dependent(parent, "TAMSIN", 20100812, "F")
    s2 = cast.dependent(parent, "OSRIC", 20130127, "M")
    add(t1, s1, Claim("SIBLING-N-A", "P", [P("38225", 20250306)],
                      dx=("C9100", "Z006"),
                      tests="dependent patient (2000C), 38225"))
    add(t1, s2, Claim("SIBLING-N-B", "P", [P("38225", 20250306)],
                      dx=("C9100", "Z006"),
                      tests="sibling with the same subscriber member id, "
                            "same date and provider: another patient "
                            "(name/DOB differ), not a duplicate"))
    # --- RANGE_SPANS_DAYS
    p = cast.person(19581111, "M")
    add(t1, p, Claim("RANGE-SPLIT-F", "P", [
        P("38225", 20250310, units="3", d2=20250312)], dx=CART_DX,
        expect=[("RANGE_SPANS_DAYS", 1)], disp="fixed",
        tests="38225 RD8 2025-03-10..12 (3 days) x3 units: split into "
              "three one-day lines of 1 unit"))
    p = cast.person(19620202, "F")
    add(t1, p, Claim("RANGE-FLAG-F", "P", [
        P("38225", 20250310, units="2", d2=20250312)], dx=CART_DX,
        expect=[("RANGE_SPANS_DAYS", 1)],
        tests="38225 RD8 3 days x2 units: cannot be split, flagged"))
    p = cast.person(19640909, "M")
    add(t1, p, Claim("RANGE-N", "P", [
        P("38225", 20250311, d2=20250311)], dx=CART_DX,
        tests="38225 RD8 2025-03-11..2025-03-11 (one day) x1: no finding"))
    # --- UNITS_INVALID (38226 after a collection)
    for cid, units, what in (("UNITS-INV-F-ZERO", "0", "0 units"),
                             ("UNITS-INV-F-NEG", "-1", "-1 units"),
                             ("UNITS-INV-F-ALPHA", "A", "non-numeric 'A'"),
                             ("UNITS-INV-F-HALF", "0.5",
                              "0.5 units (38226 allows no fractions)")):
        p = cast.person(19620101 + 10000 * (len(t1) % 7), "F")
        add(t1, p, Claim(cid, "P", [
            P("38225", 20250317),
            P("38226", 20250318, units=units, charge=CHG["38226"])],
            dx=CART_DX, expect=[("UNITS_INVALID", 2)], disp="held",
            tests="38226 with " + what))
    p = cast.person(19611017, "M")
    add(t1, p, Claim("UNITS-INV-N", "P", [
        P("38225", 20250317), P("38226", 20250318, units="1.000")],
        dx=CART_DX, tests="38226 with units written 1.000: valid"))
    # --- UNIT_BASIS_INVALID
    p = cast.person(19630303, "F")
    add(t1, p, Claim("UNIT-BASIS-F", "P", [
        P("38225", 20250319, basis="MJ")], dx=CART_DX,
        expect=[("UNIT_BASIS_INVALID", 1)], disp="held",
        tests="SV103 = MJ (minutes) on a 38225 line"))
    p = cast.person(19650505, "M")
    add(t1, p, Claim("UNIT-BASIS-N", "P", [P("38225", 20250319)],
                     dx=CART_DX, tests="SV103 = UN"))
    # --- STEP_OUT_OF_ORDER / PRIOR_STEP_MISSING
    p = cast.person(19570707, "F")
    add(t1, p, Claim("STEP-OOO-F-A", "P", [P("38225", 20250312)],
                     dx=CART_DX, tests="collection on 2025-03-12"),
        Claim("STEP-OOO-F-B", "P", [P("38226", 20250310)], dx=CART_DX,
              expect=[("STEP_OUT_OF_ORDER", 1)],
              tests="38226 (ship) dated 2025-03-10, before the collection"))
    p = cast.person(19590909, "M")
    add(t1, p, Claim("STEP-OOO-N-A", "P", [P("38225", 20250312)],
                     dx=CART_DX, tests="collection on 2025-03-12"),
        Claim("STEP-OOO-N-B", "P", [P("38226", 20250313)], dx=CART_DX,
              tests="38226 on 2025-03-13, after the collection in an "
                    "earlier claim: no STEP_OUT_OF_ORDER, no "
                    "PRIOR_STEP_MISSING"))
    p = cast.person(19610612, "F")
    add(t1, p, Claim("PRIOR-F", "P", [P("38226", 20250314)], dx=CART_DX,
                     expect=[("PRIOR_STEP_MISSING", 1)],
                     tests="38226 with no collection ever seen for the "
                           "patient"))
    # --- ADMIN / PRODUCT on 837P (warnings)
    p = cast.person(19530420, "M", payer=MEDICARE)
    add(t1, p, prep_p("ADMIN-F-P-PREP", 20250303, 20250414, medicare=True),
        Claim("ADMIN-F-P", "P", [P("38228", 20250416)], dx=CART_DX,
              expect=[("ADMIN_WITHOUT_PRODUCT", 1)],
              tests="38228 alone on an 837P claim: warning, flagged"))
    p = cast.person(19540515, "F", payer=MEDICARE)
    add(t1, p, Claim("PROD-F-P", "P", [
        P("Q2041", 20250321, units="0.1", charge=4620000,
          mods=("LU", "KX"))],
        dx=CART_DX, expect=[("PRODUCT_WITHOUT_ADMIN", 1)],
        tests="Q2041 x0.1 alone on an 837P claim: warning, flagged"))
    # --- HPC_CODE_WITH_CART
    p = cast.person(19660101, "M")
    add(t1, p, Claim("HPC-F", "P", [P("38225", 20250324),
                                    P("38206", 20250324)], dx=CART_DX,
                     expect=[("HPC_CODE_WITH_CART", 2)],
                     tests="38206 (stem-cell harvest) on the date of the "
                           "38225 collection"))
    p = cast.person(19680808, "F")
    add(t1, p, Claim("HPC-N", "P", [P("38206", 20250303),
                                    P("38225", 20250324)], dx=CART_DX,
                     tests="38206 three weeks before the collection: "
                           "different dates, no finding"))
    # --- fractional product units over several claims (second txn)
    p = cast.person(19510303, "F", payer=MEDICARE)
    add(t2, p, prep_p("FRACT-N-PREP", 20250407, 20250512, medicare=True))
    for k in range(1, 11):
        lines = [P("Q2041", 20250514, units="0.1", charge=4620000,
                   mods=("LU", "KX") if k == 1 else ("LU", "76", "KX"))]
        if k == 1:
            lines.insert(0, P("38228", 20250514))
        add(t2, p, Claim("FRACT-N-%02d" % k, "P", lines, dx=CART_DX,
                         tests=("38228 + Q2041 x0.1 (LU)" if k == 1 else
                                "Q2041 x0.1 (LU 76), claim %d of 10 on the "
                                "same date; the administration is on "
                                "FRACT-N-01 (837P: an earlier claim of the "
                                "same provider pairs it)" % k) +
                         ("; the ten claims sum to exactly 1.0 dose: no "
                          "DUPLICATE_DAY" if k == 10 else "")))
    p = cast.person(19520404, "M", payer=MEDICARE)
    add(t2, p, prep_p("FRACT-F-PREP", 20250407, 20250512, medicare=True))
    for k in range(1, 7):
        lines = [P("Q2041", 20250515, units="0.2", charge=9240000,
                   mods=("LU", "KX") if k == 1 else ("LU", "76", "KX"))]
        if k == 1:
            lines.insert(0, P("38228", 20250515))
        exp = [("DUPLICATE_DAY", 1)] if k == 6 else []
        add(t2, p, Claim("FRACT-F-%02d" % k, "P", lines, dx=CART_DX,
                         expect=exp, disp="held" if k == 6 else "passed",
                         tests=("38228 + Q2041 x0.2 (LU)" if k == 1 else
                                "Q2041 x0.2 (LU 76), claim %d" % k) +
                         ("; cumulative 1.2 doses on 2025-05-15 > 1: "
                          "DUPLICATE_DAY, held" if k == 6 else "")))
    # --- void + corrected resubmission, replacement (third txn: later)
    t3 = []
    pv = cast.person(19690606, "F")
    add(t2, pv, Claim("VOID-1", "P", [P("38225", 20250407)], dx=CART_DX,
                      tests="original claim (freq 1), 38225 on "
                            "2025-04-07"))
    pr = cast.person(19700707, "M")
    add(t2, pr, Claim("REPL-1", "P", [P("38225", 20250408,
                                        charge=240000)], dx=CART_DX,
                      tests="original claim (freq 1), 38225 on 2025-04-08 "
                            "at $2,400"))
    add(t3, pv, Claim("VOID-1", "P", [P("38225", 20250407)], freq="8",
                      orig_ref="PCN25040700311", dx=CART_DX,
                      tests="void (freq 8) of VOID-1: removes its line "
                            "from the counts"),
        Claim("VOID-1-CORR", "P", [P("38225", 20250407, mods=("GA",))],
              dx=CART_DX,
              tests="corrected resubmission (new claim id, freq 1), "
                    "38225 on the same date: no DUPLICATE_DAY"))
    add(t3, pr, Claim("REPL-1", "P", [P("38225", 20250408)], freq="7",
                      orig_ref="PCN25040800312", dx=CART_DX,
                      tests="replacement (freq 7) of REPL-1, $2,500: "
                            "replaces the original line, no "
                            "DUPLICATE_DAY"))
    return [t1, t2, t3]


def cart_batch_gz():
    """A small nightly CAR-T drop (837I), written gzip-compressed."""
    cast = Cast("GZ")
    H = HOSPITAL2
    items = []
    a = cast.person(19760412, "F")
    kid = cast.dependent(a, "MIRA", 20140903, "F")
    items += [(H, kid, prep_i("GZ-A-PREP", 20250602, 20250630)),
              (H, kid, Claim("GZ-A-ADMIN", "I", [
                  I("38228", 20250702), I("Q2042", 20250702, rev="0891")],
                  dx=("C9100", "Z006"),
                  tests="pediatric patient (2000C), Q2042 + 38228: clean"))]
    b = cast.person(19580923, "M")
    items += [(H, b, prep_i("GZ-B-PREP", 20250602, 20250701)),
              (H, b, Claim("GZ-B-ADMIN", "I", [
                  I("0540T", 20250703), I("Q2054", 20250703, rev="0891")],
                  dx=CART_DX, expect=[("CODE_DELETED", 1)], disp="fixed",
                  tests="0540T in 2025: crosswalked to 38228"))]
    c = cast.person(19640130, "F")
    items += [(H, c, Claim("GZ-C-COLLECT", "I", [
        I("38225", 20250610, units="2")], dx=CART_DX,
        expect=[("UNITS_OVER_DAILY_MAX", 1)], disp="fixed",
        tests="38225 x2 on one date: units set to 1"))]
    d = cast.person(19710214, "M")
    items += [(H, d, prep_i("GZ-D-PREP", 20250602, 20250702)),
              (H, d, Claim("GZ-D-ADMIN", "I", [I("38228", 20250704)],
                           dx=CART_DX,
                           expect=[("ADMIN_WITHOUT_PRODUCT", 1)],
                           disp="held",
                           tests="38228 without a product on TOB 131"))]
    return items


# NDCs (11 digits, 5-4-2) of specs/ndc.csv used by the samples.
NDC_YESCARTA = "71287011902"
NDC_TECELRA = "83205000102"
NDC_AMTAGVI = "73776000112"
NDC_AUCATZYL = "83047041004"
NDC_CASGEVY = "51167029009"


def cart_realworld():
    """Correct real-world CAR-T and other cell therapy claims (issue 12):
    none of them may get an error-level finding or be held.  Returns
    [(kind, items)]: an 837I interchange (hospital) and an 837P one
    (physicians)."""
    cast = Cast("RW")
    H = HOSPITAL
    inst, prof = [], []

    def stay(cid, person, stmt, admit, pcs, lines, dx=CART_DX, **kw):
        return (H, person, Claim(cid, "I", lines, fac="11", stmt=stmt,
                                 admit=admit, pcs=pcs, dx=dx, **kw))

    def room(days):
        return [Line("", 240000 * days, str(days), rev="0120", basis="DA"),
                Line("", 1250000, "24", rev="0250"),
                Line("", 480000, "18", rev="0300")]

    # --- inpatient MS-DRG 018, Medicare Part A
    p = cast.person(19580311, "M", payer=MEDICARE_A)
    inst.append(stay(
        "RW-IP-DRG018", p, (20250601, 20250612), "202506010800",
        ("XW033H7", 20250603),
        room(11) + [Line("Q2041", 46200000, "1", rev="0891"),
                    Line("", 300000, "1", rev="0874")],
        dx=("C8330", "D649", "R509"), value=[("86", "410000")],
        tests="inpatient CAR-T stay (TOB 111, MS-DRG 018): Yescarta's PCS "
              "code XW033H7 in HI dated on the infusion, Q2041 on 0891 "
              "with its charge and no line date, 0874 without HCPCS, value "
              "code 86 (invoice cost)"))
    p = cast.person(19600923, "F", payer=MEDICARE_A)
    inst.append(stay(
        "RW-IP-TRIAL", p, (20250602, 20250611), "202506020700",
        ("XW033J7", 20250604),
        room(9) + [Line("Q2042", 100, "1", rev="0891")],
        dx=("C8330", "Z006"), cond=["30"], value=[("D4", "12345678")],
        tests="clinical trial stay: Z00.6, condition code 30, value code D4 "
              "with the 8-digit NCT number, the trial's product at the "
              "$1.00 token charge"))
    p = cast.person(19570105, "M", payer=MEDICARE_A)
    inst.append(stay(
        "RW-IP-DIFFTRIAL", p, (20250605, 20250616), "202506050930",
        ("XW033K7", 20250607),
        room(11) + [Line("Q2055", 41950000, "1", rev="0891")],
        dx=("C9000", "Z006"), cond=["30"], value=[("D4", "87654321")],
        notes=["Diff Prod Clin Trial"],
        tests="Abecma bought in the usual way for a patient in a trial of "
              "another product: the trial set, the note 'Diff Prod Clin "
              "Trial' and the product's charge"))
    p = cast.person(19620714, "F", payer=MEDICARE_A)
    inst.append(stay(
        "RW-IP-EAU", p, (20250606, 20250614), "202506060800",
        ("XW033A7", 20250608), room(8), dx=MM_DX, cond=["90"],
        notes=["Expand Acc Use"],
        tests="expanded access stay: condition code 90 and the note "
              "'Expand Acc Use', no product charge"))
    # --- outpatient with the preparation steps non-covered
    p = cast.person(19590817, "M", payer=MEDICARE_A)
    inst.append((H, p, Claim("RW-OP-PREP-NC", "I", [
        I("38225", 20250505, noncov=CHG["38225"]),
        I("38226", 20250506, noncov=CHG["38226"]),
        I("38227", 20250602, noncov=CHG["38227"]),
        I("38228", 20250604),
        I("Q2041", 20250604, rev="0891", ndc=(NDC_YESCARTA, "1", "UN"))],
        dx=CART_DX,
        tests="outpatient CAR-T (TOB 131): the steps on 0871-0873 as "
              "non-covered tracking lines (SV207 = SV203), 38228 on 0874, "
              "Q2041 on 0891 with its NDC")))
    # --- stem-cell gene therapy on 087X / 0892 (Medicaid)
    p = cast.person(20050304, "F", payer=MEDICAID)
    inst.append((H, p, Claim("RW-HSC-COLLECT", "I", [
        Line("38206", 210000, "1", 20250410, rev="0871")],
        dx=("D5701",),
        tests="stem-cell collection (38206) on 0871 for a gene therapy "
              "(Casgevy): 087X is cell and gene therapy, not CAR-T only")))
    inst.append(stay(
        "RW-HSC-IP", p, (20250701, 20250728), "202507010900", [],
        room(27) + [Line("J3392", 220000000, "1", rev="0892",
                         ndc=(NDC_CASGEVY, "1", "UN"))],
        dx=("D5701",),
        tests="Casgevy infusion stay: J3392 on 0892, no CAR-T PCS code "
              "(outside IP_CART_CLAIM_INTEGRITY)"))
    # --- TCR-T and TIL
    p = cast.person(19790612, "M")
    inst.append((H, p, Claim("RW-TCR", "I", [
        I("38228", 20250610),
        Line("Q2057", 72700000, "1", 20250610, rev="0891",
             ndc=(NDC_TECELRA, "1", "UN"))],
        dx=("C4920",),
        expect=[("PRIOR_STEP_MISSING", 1)],
        tests="TCR-T (Tecelra, Q2057) with its administration, commercial "
              "payer; only the information that no earlier step is "
              "known")))
    p = cast.person(19710930, "F")
    inst.append((H, p, Claim("RW-TIL-NOC", "I", [
        Line("J3590", 51500000, "1", 20250520, rev="0891",
             desc="AMTAGVI LIFILEUCEL SUSP",
             ndc=(NDC_AMTAGVI, "1", "UN"))],
        dx=("C439",),
        tests="TIL (Amtagvi, no code of its own): J3590 with its NDC and "
              "description")))
    p = cast.person(19830427, "M")
    inst.append((H, p, Claim("RW-NOC-CART", "I", [
        I("38228", 20250210),
        Line("C9399", 26000000, "1", 20250210, rev="0891",
             desc="AUCATZYL 1 INFUSION",
             ndc=(NDC_AUCATZYL, "1", "UN"))],
        dx=ALL_DX, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="Aucatzyl before its codes (C9301 from 2025-04-01): C9399 "
              "with the NDC and description counts as the product of the "
              "38228 line")))
    # --- Part B office: the dose in fractions (Medicare, 837P, POS 11)
    p = cast.person(19540708, "F", payer=MEDICARE)
    for k in range(1, 6):
        lines = [P("Q2041", 20250314, units="0.2", charge=9240000,
                   mods=("LU", "KX") if k == 1 else ("LU", "76", "KX"))]
        if k == 1:
            lines.insert(0, P("38228", 20250314))
        prof.append((CLINIC, p, Claim(
            "RW-PB-%02d" % k, "P", lines, dx=CART_DX,
            expect=[("PRIOR_STEP_MISSING", 1)] if k == 1 else [],
            tests=("38228 + Q2041 x0.2 (LU, KX)" if k == 1 else
                   "Q2041 x0.2 (LU, 76, KX), claim %d of 5 on the date" % k)
            + ("; the five sum to 1.0 dose" if k == 5 else ""))))
    p = cast.person(19560215, "M", payer=MEDICARE)
    for k in (1, 2):
        lines = [P("Q2041", 20250710, units="0.5", charge=9999999,
                   mods=("LU",) if k == 1 else ("LU", "76"))]
        if k == 1:
            lines.insert(0, P("38228", 20250710))
        prof.append((CLINIC, p, Claim(
            "RW-PB2-%02d" % k, "P", lines, dx=CART_DX,
            expect=[("PRIOR_STEP_MISSING", 1)] if k == 1 else [],
            tests="after 2025-06-25 KX is no longer required: Q2041 x0.5 "
                  "(LU%s) at $99,999.99" % ("" if k == 1 else ", 76"))))
    # --- the physician's administration in a hospital
    dr = ("HALVORSEN", "ISAK", "119283746")
    p = cast.person(19610302, "F", payer=MEDICARE)
    prof.append((CLINIC, p, Claim(
        "RW-PHYS-22", "P", [P("38228", 20250604)], pos="22", dx=CART_DX,
        rendering=dr, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="physician's 38228 in an outpatient hospital (POS 22): the "
              "hospital bills the product, no ADMIN_WITHOUT_PRODUCT")))
    p = cast.person(19630811, "M", payer=MEDICARE)
    prof.append((CLINIC, p, Claim(
        "RW-PHYS-21", "P", [P("38228", 20250603)], pos="21", dx=CART_DX,
        rendering=dr, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="physician's 38228 during an inpatient stay (POS 21)")))
    return [("I", inst), ("P", prof)]


def cart_rules():
    """A firing (and, where the real-world file has none, a non-firing)
    claim for each edit of issue 12.  Returns [(kind, items)]."""
    cast = Cast("RL")
    H = HOSPITAL
    inst, prof = [], []
    # --- IP_CART_CLAIM_INTEGRITY
    p = cast.person(19600101, "M", payer=MEDICARE_A)
    inst.append((H, p, Claim(
        "IPI-F-NOPROD", "I", [Line("", 1920000, "8", rev="0120",
                                   basis="DA")],
        fac="11", stmt=(20250801, 20250809), admit="202508010800",
        pcs=("XW033H7", 20250803), dx=CART_DX,
        expect=[("IP_CART_CLAIM_INTEGRITY", None)], disp="held",
        tests="inpatient CAR-T stay (PCS XW033H7) with no product charge "
              "and no trial or expanded access mark: held")))
    p = cast.person(19610202, "F", payer=MEDICARE_A)
    inst.append((H, p, Claim(
        "IPI-F-NOPCS", "I", [Line("", 1920000, "8", rev="0120",
                                  basis="DA"),
                             Line("Q2041", 46200000, "1", rev="0891")],
        fac="11", stmt=(20250801, 20250809), admit="202508010800",
        dx=CART_DX, expect=[("IP_CART_CLAIM_INTEGRITY", 2)], disp="held",
        tests="inpatient product line without a CAR-T PCS code: the stay "
              "cannot group to MS-DRG 018, held")))
    # --- CLINICAL_TRIAL_CODING
    p = cast.person(19620303, "M", payer=MEDICARE_A)
    inst.append((H, p, Claim(
        "TRIAL-F", "I", [I("38228", 20250805),
                         I("Q2041", 20250805, rev="0891")],
        dx=("C8330", "Z006"),
        expect=[("PRIOR_STEP_MISSING", 1), ("CLINICAL_TRIAL_CODING", None)],
        tests="Medicare outpatient claim with Z00.6 but no condition code "
              "30, value code D4 or Q0/Q1: an error, flagged")))
    # --- PAYMENT_WINDOW: admission read first, then outpatient
    p = cast.person(19630404, "F", payer=MEDICARE_A)
    inst.append((H, p, Claim(
        "PW-IP", "I", [Line("", 1440000, "6", rev="0120", basis="DA"),
                       Line("Q2041", 46200000, "1", rev="0891")],
        fac="11", stmt=(20250820, 20250826), admit="202508200600",
        pcs=("XW033H7", 20250820), dx=CART_DX,
        tests="inpatient CAR-T stay admitted 2025-08-20 (remembered for "
              "the payment window)")))
    inst.append((H, p, Claim(
        "PW-N-OP", "I", [I("38227", 20250816, noncov=CHG["38227"])],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="outpatient 38227 four days before the admission: outside "
              "the 3-day window")))
    inst.append((H, p, Claim(
        "PW-F-OP", "I", [I("38227", 20250818, noncov=CHG["38227"])],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1), ("PAYMENT_WINDOW", 1)],
        disp="held",
        tests="outpatient 38227 two days before the admission, same "
              "patient and hospital, no condition code 51: held")))
    # --- PAYMENT_WINDOW: outpatient read first, then the admission
    p = cast.person(19640505, "M", payer=MEDICARE_A)
    inst.append((H, p, Claim(
        "PWB-OP", "I", [I("38227", 20250905, noncov=CHG["38227"])],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="outpatient 38227 on 2025-09-05")))
    inst.append((H, p, Claim(
        "PWB-F-IP", "I", [Line("", 1440000, "6", rev="0120", basis="DA"),
                          Line("Q2041", 46200000, "1", rev="0891")],
        fac="11", stmt=(20250907, 20250913), admit="202509070600",
        pcs=("XW033H7", 20250907), dx=CART_DX,
        expect=[("PAYMENT_WINDOW", None)],
        tests="inpatient stay admitted 2025-09-07, read after the "
              "outpatient line of 09-05: a warning on it")))
    # --- PRODUCT_NDC (Medicaid)
    p = cast.person(19650606, "F", payer=MEDICAID)
    inst.append((H, p, Claim(
        "NDC-F", "I", [I("38228", 20250806),
                       I("Q2041", 20250806, rev="0891")],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1), ("PRODUCT_NDC", 2)],
        disp="held",
        tests="Medicaid outpatient product line without its NDC: held")))
    p = cast.person(19660707, "M", payer=MEDICAID)
    inst.append((H, p, Claim(
        "NDC-N", "I", [I("38228", 20250806),
                       I("Q2041", 20250806, rev="0891",
                         ndc=(NDC_YESCARTA, "1", "UN"))],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="the same with Yescarta's NDC in LIN")))
    # --- NOC_PRODUCT_CODE
    p = cast.person(19670808, "F")
    inst.append((H, p, Claim(
        "NOC-F", "I", [I("38228", 20250807),
                       Line("J9999", 46200000, "1", 20250807, rev="0891",
                            desc="YESCARTA 1 DOSE",
                            ndc=(NDC_YESCARTA, "1", "UN"))],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1),
                            ("NOC_PRODUCT_CODE", 2)], disp="held",
        tests="J9999 with Yescarta's NDC while Q2041 is valid: held")))
    p = cast.person(19680909, "M")
    inst.append((H, p, Claim(
        "NOC-W", "I", [I("38228", 20250208),
                       Line("C9399", 26000000, "1", 20250208, rev="0891")],
        dx=ALL_DX, expect=[("PRIOR_STEP_MISSING", 1),
                           ("ADMIN_WITHOUT_PRODUCT", 1),
                           ("NOC_PRODUCT_CODE", 2)], disp="held",
        tests="C9399 without NDC or description next to 38228: a warning, "
              "and the administration has no product it can pair with "
              "(held on TOB 131)")))
    # --- PRODUCT_INDICATION
    p = cast.person(19690101, "F")
    inst.append((H, p, Claim(
        "IND-F", "I", [I("38228", 20250808),
                       Line("Q2055", 41950000, "1", 20250808, rev="0891")],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1),
                            ("PRODUCT_INDICATION", 2)],
        tests="Abecma (multiple myeloma) billed with a lymphoma diagnosis: "
              "a warning")))
    # --- STEP_NOT_PAYABLE (Medicare outpatient)
    p = cast.person(19700202, "M", payer=MEDICARE_A)
    inst.append((H, p, Claim(
        "STEPNP-F", "I", [I("38225", 20250811)], dx=CART_DX,
        expect=[("STEP_NOT_PAYABLE", 1)],
        tests="Medicare outpatient 38225 with covered charges: Medicare "
              "rejects the line, report it non-covered")))
    # --- REPEAT_ADMINISTRATION over a lifetime (commercial)
    p = cast.person(19710303, "F")
    inst.append((H, p, Claim(
        "REPEAT-L-1", "I", [I("0540T", 20230510),
                            I("Q2041", 20230510, rev="0891")],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1)],
        tests="a first course in 2023")))
    inst.append((H, p, Claim(
        "REPEAT-L-2", "I", [I("38228", 20250512),
                            I("Q2041", 20250512, rev="0891")],
        dx=CART_DX, expect=[("PRIOR_STEP_MISSING", 1),
                            ("REPEAT_ADMINISTRATION", 1)],
        tests="a second course two years later: commercial payers allow "
              "one per lifetime")))
    # --- 837P
    C = CLINIC
    p = cast.person(19720404, "M", payer=MEDICARE)
    prof.append((C, p, Claim(
        "POS-F", "P", [P("38228", 20250812),
                       P("Q2041", 20250812, units="0.2", charge=9240000,
                         mods=("LU",))], pos="22", dx=CART_DX,
        expect=[("PRIOR_STEP_MISSING", 1),
                ("PRODUCT_IN_FACILITY_POS", 2)],
        tests="the product on a physician's claim in an outpatient "
              "hospital (POS 22): an error, flagged")))
    p = cast.person(19730505, "F", payer=MEDICARE)
    prof.append((C, p, Claim(
        "PARTB-F", "P", [P("38228", 20250813),
                         P("Q2041", 20250813, units="0.5", charge=9999999)],
        dx=CART_DX,
        expect=[("PRIOR_STEP_MISSING", 1),
                ("PARTB_FRACTIONAL_PRODUCT", 2)], disp="held",
        tests="Medicare Part B: half a dose without LU: held")))
    p = cast.person(19740606, "M", payer=MEDICARE)
    prof.append((C, p, Claim(
        "STEPNP-F-P", "P", [P("38225", 20250814)], dx=CART_DX,
        expect=[("STEP_NOT_PAYABLE", 1)],
        tests="Medicare Part B 38225: not paid separately on the fee "
              "schedule")))
    return [("I", inst), ("P", prof)]


def mixed_delims():
    """Two interchanges, non-default delimiters, CRLF: (dl, kind, items)."""
    cast = Cast("MX")
    p1 = cast.person(19620505, "F")
    p2 = cast.person(19770711, "M")
    p3 = cast.person(19690215, "F")
    p4 = cast.person(19850930, "M")
    one = [(CLINIC, p1, Claim("DELIM-P-1", "P", [
        P("0537T", 20250602, mods=("KX",))], dx=CART_DX,
        expect=[("CODE_DELETED", 1)], disp="fixed",
        tests="0537T in 2025 with modifier KX: crosswalked to 38225, "
              "delimiters | > ^ ~ kept in the output")),
           (CLINIC, p2, Claim("DELIM-P-2", "P", [
               P("99214", 20250602), P("85025", 20250602)],
               dx=("D649", "R5383"), tests="non-CAR-T claim"))]
    two = [(HOSPITAL, p3, Claim("DELIM-I-1", "I", [
        I("38225", 20250603, rev="0872")], dx=CART_DX,
        expect=[("REVENUE_CODE_MISMATCH", 1)], disp="fixed",
        tests="38225 on 0872 in an interchange with delimiters ^ } { ' : "
              "revenue code set to 0871")),
           (HOSPITAL, p4, Claim("DELIM-I-2", "I", [
               Line("85025", 2900, "1", 20250603, rev="0300")],
               dx=("R5383",), tests="non-CAR-T outpatient claim"))]
    return [(Delims("|", ">", "^", "~", "\r\n"), "P", one),
            (Delims("^", "}", "{", "'", "\r\n"), "I", two)]


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

class Sample:
    def __init__(self, name, text, claims, desc, gz=False):
        self.name, self.desc, self.gz = name, desc, gz
        self.text = text
        self.claims, self.members = claims


def one_interchange(ctl, kind, txns, dl=DEFAULT, when=(20250315, "1200"),
                    gs06=None):
    """txns = [(st02, items)] in one GS group -> (text, claims)."""
    segs = []
    claims = []
    members = set()
    for st02, items in txns:
        segs.append(transaction_segments(kind, st02, items,
                                         "B%s%s" % (ctl, st02), when))
        claims += [c for _, _, c in items]
        members |= {p.subscriber.member_id for _, p, _ in items}
    return interchange_text(ctl, [(kind, gs06 or ctl % 10000, segs)], dl,
                            when), (claims, members)


def build_samples():
    out = []
    kind, txns = prof_basic()
    text, claims = one_interchange(101, kind, txns)
    out.append(Sample("prof_basic.837", text, claims,
                      "837P, no CAR-T code: several claims per transaction, "
                      "three transactions in one group, subscriber and "
                      "dependent-patient loops, COB 2320/2330A/2330B, 2430 "
                      "SVD + DTP*573, a replacement"))
    kind, txns = inst_basic()
    text, claims = one_interchange(102, kind, txns)
    out.append(Sample("inst_basic.837", text, claims,
                      "837I, no CAR-T code: outpatient (131) and inpatient "
                      "(111) claims, CL1, DTP*434/435, HI with ICD-10-PCS, "
                      "a dependent patient, two transactions"))
    items = cart_inst()
    half = len(items) // 2
    while half < len(items) and items[half][1] is items[half - 1][1]:
        half += 1
    text, claims = one_interchange(103, "I", [("0001", items[:half]),
                                              ("0002", items[half:])],
                                   when=(20250820, "2300"))
    out.append(Sample("cart_inst.837", text, claims,
                      "837I CAR-T scenarios (hospital outpatient 131 and "
                      "inpatient 111)"))
    t1, t2, t3 = cart_prof()
    text, claims = one_interchange(104, "P", [("0001", t1), ("0002", t2),
                                              ("0003", t3)],
                                   when=(20250820, "2310"))
    out.append(Sample("cart_prof.837", text, claims,
                      "837P CAR-T scenarios (oncology clinic, apheresis "
                      "centre), then a later transaction with a void, a "
                      "corrected resubmission and a replacement"))
    items = cart_batch_gz()
    text, claims = one_interchange(105, "I", [("0001", items)],
                                   when=(20250710, "0215"))
    out.append(Sample("cart_batch.837.gz", text, claims,
                      "gzip-compressed 837I nightly CAR-T drop", gz=True))
    for name, fn, ctl, desc in (
            ("cart_realworld.837", cart_realworld, 110,
             "correct real-world claims of issue 12: inpatient MS-DRG 018 "
             "with and without a trial or expanded access, outpatient with "
             "the steps non-covered, a gene therapy on 087X / 0892, TCR-T, "
             "unclassified codes with NDCs, Part B fractions (LU, 76, KX), "
             "physicians' 38228 in a hospital: no error-level finding, "
             "nothing held (tests/e2e_samples.sh checks it)"),
            ("cart_rules.837", cart_rules, 112,
             "a firing claim for each edit of issue 12 (and non-firing "
             "ones where the real-world file has none)")):
        parts = []
        claims, members = [], set()
        for n, (kind, items) in enumerate(fn()):
            t, (cl, mem) = one_interchange(ctl + n, kind,
                                           [("0001", items)],
                                           when=(20250915, "0600"))
            parts.append(t)
            claims += cl
            members |= mem
        out.append(Sample(name, "".join(parts), (claims, members), desc))
    parts = []
    claims, members = [], set()
    for n, (dl, kind, items) in enumerate(mixed_delims()):
        t, (cl, mem) = one_interchange(106 + n, kind,
                                       [("%04d" % (n + 1), items)],
                                       dl, when=(20250605, "0730"))
        parts.append(t)
        claims += cl
        members |= mem
    out.append(Sample("mixed_delims.837", "".join(parts), (claims, members),
                      "two interchanges in one file (837P with | > ^ ~, "
                      "837I with ^ } { '), CRLF after every segment"))
    return out


def check_samples(samples):
    """Sanity checks on the scenario data: claim ids name one scenario
    (the same CLM01 twice only for freq 7/8), and no member id is used in
    two files, so that files do not interact."""
    owner = {}
    for s in samples:
        ids = {}
        for c in s.claims:
            if c.cid in ids and c.freq not in ("7", "8"):
                raise ValueError("%s: CLM01 %s used twice" % (s.name, c.cid))
            ids[c.cid] = 1
    for s in samples:
        for m in s.members:
            if owner.setdefault(m, s.name) != s.name:
                raise ValueError("member %s in %s and %s" %
                                 (m, owner[m], s.name))


def tob(c):
    return (c.fac + c.freq) if c.kind == "I" else ""


README_HEAD = """# samples/ -- 837 files for cart837

Every file here is generated by `scripts/gen_samples.py` (python3, standard
library only, deterministic: re-running it gives byte-identical files):

    python3 scripts/gen_samples.py samples/

All people, organisations, addresses and ids are fictional and written for
this project; NPIs are made up but pass the Luhn check (prefix 80840).
`tests/expected/samples_expected.csv` holds the claim table below in machine-readable form
(columns `claim_id,file,kind,freq,tob,expected_edits,disposition,tests`;
`expected_edits` is `EDIT@LX` or `EDIT@claim`, `;`-separated).
A run over the whole directory lists `README.md` as skipped (not X12),
as it should; `make demo` names the sample files instead.

Random batches for the property test and the benchmark come from
`scripts/gen_batch.py --seed N --claims K [--cart-rate R] [--bytes SIZE]
[--gzip] [--out FILE]` (streamed; about 3 minutes and 20 MB of memory
for 1 GB).

## Files

| file | what it is | claims |
|---|---|---|
"""

README_RULES = """
## How the expectations were set

- Scenario claims are named after what they test: `-F` fires the edit,
  `-N` does not, `-H` is the held variant, `-PREP` is a claim with the
  earlier CAR-T steps (38225 collect, 38226 ship, 38227 receive, in step
  and date order) so that the claim after it has a complete history.
  Expected edits list the LX number of the line the finding is on, or
  `claim` for a claim-level finding.
- Every scenario uses its own patient (member id), and patients are not
  shared between files, so scenarios do not interact -- except where the
  interaction is the point (DUP-*, STEP-OOO-*, REPEAT-*, FRACT-*, VOID-1,
  REPL-1, PW-*, PWB-*, RW-PB-*, RW-PB2-*, RW-HSC-*, each within one
  patient).  Running the whole directory in one run gives the same
  findings as running each file alone.
- `cart_realworld.837` holds correct real-world claims (issue 12): each
  must come out with no error-level finding and nothing held (only the
  information PRIOR_STEP_MISSING where no earlier step is billed);
  `tests/e2e_samples.sh` runs it alone and checks that.  `cart_rules.837`
  holds a firing claim for each edit of issue 12.
- Payers: the subscriber's SBR09 gives the claim's payer class
  (`specs/payers.md`): `MA` / `MB` Medicare (the Medicare rules:
  STEP_NOT_PAYABLE, PARTB_FRACTIONAL_PRODUCT, CLINICAL_TRIAL_CODING,
  PAYMENT_WINDOW, a 365-day REPEAT_ADMINISTRATION window), `MC` Medicaid
  (NDC required, lifetime window), otherwise `CI` commercial (lifetime
  window, none of the Medicare-only rules).  The CAR-T diagnoses carry
  no Z00.6 unless the scenario is a clinical trial.
- Rules of `specs/edits.md` / the engine that these expectations rely on:
  1. "Seen before" includes earlier lines of the same claim
     (PRIOR_STEP_MISSING, DUPLICATE_DAY, STEP_OUT_OF_ORDER), so a claim
     with 38225, 38226, 38227 in date order is complete (PREP-DBL-*,
     UNITS-INV-*, the -PREP claims).
  2. Each edit sees the values after earlier fixes: a line over the cap
     gives UNITS_OVER_DAILY_MAX only (DUPLICATE_DAY counts the fixed
     units); a crosswalked code is checked for revenue with its new code;
     PREP_CHARGES_DOUBLE_BILLED looks at the fixed revenue code (REV-F1B).
  3. ADMIN_WITHOUT_PRODUCT / PRODUCT_WITHOUT_ADMIN: on 837I the partner
     must be on the same claim and date; on 837P an earlier claim of the
     same provider and date also counts (FRACT-*-02.. carry no finding);
     not on inpatient bills, not ADMIN_WITHOUT_PRODUCT on trial or
     expanded access claims nor on 837P outside the office (POS 11).
  4. PREP_CHARGES_DOUBLE_BILLED is reported once per covered 0871-0873
     line.  HPC_CODE_WITH_CART is reported on the watch-code line.
  5. Flagged findings (info / warning) leave the disposition `passed`; a
     claim is `fixed` when at least one fix applies and nothing holds it,
     `held` when any finding holds it (its fixes are then not applied).
  6. Held claims' lines are not remembered, so a held claim does not make
     later claims fire; a void (freq 8) is not itself edited, it removes
     the voided claim's lines from the counts; a replacement (freq 7)
     replaces them.
- Dates: 2025 dates of service for the current codes, 2024 for the
  Category III codes (and their boundary, 2024-12-31 / 2025-01-01).
- Charges: 38225 $2,500, 38226 $1,800, 38227 $1,200, 38228 $3,000,
  Q2041 $462,000 per dose (837I) or $46,200 per 0.1 dose (837P); the
  837P product lines of Medicare carry LU (fractions), 76 (the later
  claims of a date) and KX (dates of service to 2025-06-25).
- Every file is valid per its implementation guide except where a claim
  exists to show an error: on 837I the principal diagnosis is alone in
  its HI (HI01 only), the admitting diagnosis of an inpatient bill,
  the other diagnoses, procedures, value and condition codes each in
  their own HI.
"""


def edit_cell(c):
    if not c.expect:
        return "--"
    return ", ".join("%s (%s)" % (e, "claim" if lx is None else "LX %d" % lx)
                     for e, lx in c.expect)


def write_readme(samples, outdir):
    with open(os.path.join(outdir, "README.md"), "w", newline="\n") as f:
        f.write(README_HEAD)
        for s in samples:
            f.write("| `%s` | %s | %d |\n" % (s.name, cell(s.desc),
                                               len(s.claims)))
        f.write(README_RULES)
        cover = {}
        for s in samples:
            for c in s.claims:
                for e, _ in c.expect:
                    if c.cid not in cover.setdefault(e, []):
                        cover[e].append(c.cid)
        byid = {}
        for s in samples:
            for c in s.claims:
                byid.setdefault(c.cid, []).append(c)
        for e, ids in NONFIRING.items():
            for x in ids:
                if x not in byid or any(e == ee for c in byid[x]
                                        for ee, _ in c.expect):
                    raise ValueError("NONFIRING %s: bad claim %s" % (e, x))
        f.write("\n## Edit coverage\n\n")
        f.write("| edit | fires on | does not fire on |\n|---|---|---|\n")
        for e in EDIT_IDS:
            if not cover.get(e) or not NONFIRING.get(e):
                raise ValueError("edit %s lacks a scenario" % e)
            f.write("| %s | %s | %s |\n" % (
                e, ", ".join("`%s`" % x for x in cover[e]),
                ", ".join("`%s`" % x for x in NONFIRING[e])))
        for s in samples:
            f.write("\n## `%s`\n\n" % s.name)
            f.write("| CLM01 | type | freq | what it tests | expected edits "
                    "| disposition |\n|---|---|---|---|---|---|\n")
            for c in s.claims:
                typ = "837P" if c.kind == "P" else "837I %s" % tob(c)
                f.write("| `%s` | %s | %s | %s | %s | %s |\n" % (
                    c.cid, typ, c.freq, cell(c.tests),
                    edit_cell(c), c.disp))


EDIT_IDS = ["UNITS_OVER_DAILY_MAX", "DUPLICATE_DAY", "RANGE_SPANS_DAYS",
            "UNITS_INVALID", "UNIT_BASIS_INVALID", "CODE_DELETED",
            "CODE_NOT_EFFECTIVE", "REVENUE_CODE_MISMATCH",
            "STEP_OUT_OF_ORDER", "PRIOR_STEP_MISSING",
            "ADMIN_WITHOUT_PRODUCT", "PRODUCT_WITHOUT_ADMIN",
            "INFUSION_TOO_SOON", "REPEAT_ADMINISTRATION",
            "HPC_CODE_WITH_CART", "INPATIENT_PROCEDURE_LINE",
            "PREP_CHARGES_DOUBLE_BILLED", "IP_CART_CLAIM_INTEGRITY",
            "CLINICAL_TRIAL_CODING", "PAYMENT_WINDOW",
            "PRODUCT_IN_FACILITY_POS", "PARTB_FRACTIONAL_PRODUCT",
            "NOC_PRODUCT_CODE", "PRODUCT_NDC", "PRODUCT_INDICATION",
            "STEP_NOT_PAYABLE"]


# For each edit, the claims that are its non-firing counterpart (checked
# by write_readme: each exists and does not expect that edit).
NONFIRING = {
    "UNITS_OVER_DAILY_MAX": ["UNITS-OVER-N", "CLEAN-I-N"],
    "DUPLICATE_DAY": ["DUP-PROV-N-B", "DUP-HOSP-N-B", "SIBLING-N-B",
                      "FRACT-N-10", "VOID-1-CORR", "REPL-1"],
    "RANGE_SPANS_DAYS": ["RANGE-N"],
    "UNITS_INVALID": ["UNITS-INV-N", "PROD-F-P"],
    "UNIT_BASIS_INVALID": ["UNIT-BASIS-N"],
    "CODE_DELETED": ["CODE-DEL-N"],
    "CODE_NOT_EFFECTIVE": ["CODE-NOTEFF-N"],
    "REVENUE_CODE_MISMATCH": ["CLEAN-I-N", "INPAT-F", "RW-IP-DRG018",
                              "RW-HSC-COLLECT", "RW-TCR"],
    "STEP_OUT_OF_ORDER": ["STEP-OOO-N-B"],
    "PRIOR_STEP_MISSING": ["STEP-OOO-N-B", "CLEAN-I-N"],
    "ADMIN_WITHOUT_PRODUCT": ["CLEAN-I-N", "FRACT-N-01", "RW-PHYS-22",
                              "RW-NOC-CART", "RW-TCR"],
    "PRODUCT_WITHOUT_ADMIN": ["CLEAN-I-N", "FRACT-N-02", "RW-IP-DRG018",
                              "RW-IP-TRIAL"],
    "INFUSION_TOO_SOON": ["INFUSION-N"],
    "REPEAT_ADMINISTRATION": ["REPEAT-N-2", "RW-PB-05"],
    "HPC_CODE_WITH_CART": ["HPC-N"],
    "INPATIENT_PROCEDURE_LINE": ["CLEAN-I-N"],
    "PREP_CHARGES_DOUBLE_BILLED": ["PREP-DBL-N", "REV-F1B", "RW-OP-PREP-NC"],
    "IP_CART_CLAIM_INTEGRITY": ["RW-IP-DRG018", "RW-IP-TRIAL",
                                "RW-IP-DIFFTRIAL", "RW-IP-EAU", "RW-HSC-IP",
                                "PW-IP"],
    "CLINICAL_TRIAL_CODING": ["RW-IP-TRIAL", "RW-IP-DIFFTRIAL"],
    "PAYMENT_WINDOW": ["PW-N-OP", "PW-IP", "PWB-OP"],
    "PRODUCT_IN_FACILITY_POS": ["RW-PB-01", "RW-PHYS-22"],
    "PARTB_FRACTIONAL_PRODUCT": ["RW-PB-02", "RW-PB2-01", "RW-PB2-02",
                                 "FRACT-N-10"],
    "NOC_PRODUCT_CODE": ["RW-NOC-CART", "RW-TIL-NOC"],
    "PRODUCT_NDC": ["NDC-N", "RW-OP-PREP-NC", "RW-HSC-IP"],
    "PRODUCT_INDICATION": ["RW-IP-DIFFTRIAL", "RW-TCR", "RW-TIL-NOC",
                           "REPEAT-N-2"],
    "STEP_NOT_PAYABLE": ["RW-OP-PREP-NC", "RW-PHYS-22", "CLEAN-I-N-PREP"],
}


def cell(text):
    return text.replace("|", "\\|")


EXPECTED_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "tests", "expected",
                            "samples_expected.csv")


def write_expected(samples, outdir):
    os.makedirs(os.path.dirname(EXPECTED_CSV), exist_ok=True)
    with open(EXPECTED_CSV, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["claim_id", "file", "kind", "freq", "tob",
                    "expected_edits", "disposition", "tests"])
        for s in samples:
            for c in s.claims:
                w.writerow([c.cid, s.name, "837" + c.kind, c.freq, tob(c),
                            ";".join("%s@%s" % (e, "claim" if lx is None
                                                else lx)
                                     for e, lx in c.expect),
                            c.disp, c.tests])


def main(argv):
    outdir = argv[1] if len(argv) > 1 else "samples"
    os.makedirs(outdir, exist_ok=True)
    samples = build_samples()
    check_samples(samples)
    for s in samples:
        path = os.path.join(outdir, s.name)
        data = s.text.encode("ascii")
        if s.gz:
            # mtime=0 and no file name: byte-identical on every run
            buf = io.BytesIO()
            with gzip.GzipFile(filename="", mode="wb", fileobj=buf,
                               mtime=0) as g:
                g.write(data)
            data = buf.getvalue()
        with open(path, "wb") as f:
            f.write(data)
    write_readme(samples, outdir)
    write_expected(samples, outdir)
    n = sum(len(s.claims) for s in samples)
    sys.stderr.write("gen_samples: %d files, %d claims in %s\n" %
                     (len(samples), n, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
