#!/usr/bin/env python3
"""test_x12check.py -- tests of the independent 837 checker x12check.py
(run by tests/e2e_x12check.sh).

A small valid 837P (and 837I) built here must pass; each broken variant
must fail with exactly the expected messages (file and segment number
stripped, compared as a list in order), so that a variant proves the
checker finds that fault and nothing else.  Variants that change the
number of segments get SE01 recounted unless the count is under test.
The checker runs in this process (its Checker class, and main() with
its output captured for --new), so the suite takes a second; one run
goes through the command line to test that too.

Usage: test_x12check.py [-v]        Python 3 standard library only.
"""
import contextlib
import io
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "x12check.py")
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import x12check  # noqa: E402 -- after the path is set

VERBOSE = "-v" in sys.argv[1:]
TMP = tempfile.mkdtemp(prefix="test_x12check.")
FAILS = []

ISA = ("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER"
       "       *250315*1200*^*00501*%s*0*T*:")


def claim(cid, lines, charge="10", kind="P"):
    """A claim with `lines` service lines of `charge` each."""
    total = x12check.Decimal(charge) * lines
    segs = ["CLM*%s*%s***11:B:1*Y*A*Y*Y" % (cid, total),
            "HI*ABK:C8330"]
    for k in range(1, lines + 1):
        segs.append("LX*%d" % k)
        if kind == "P":
            segs.append("SV1*HC:99213*%s*UN*1***1" % charge)
        else:
            segs.append("SV2*0300*HC:85025*%s*UN*1" % charge)
        segs.append("DTP*472*D8*20250301")
    return segs


def subscriber(hl, parent, claims, hl04="0"):
    return (["HL*%d*%d*22*%s" % (hl, parent, hl04), "SBR*P*18*GRP******CI",
             "NM1*IL*1*DOE*JANE****MI*M100", "NM1*PR*2*PLAN*****PI*P01"] +
            claims)


def transaction(st02, body, kind="P"):
    guide = "005010X222A1" if kind == "P" else "005010X223A2"
    head = ["ST*837*%s*%s" % (st02, guide),
            "BHT*0019*00*B1*20250315*1200*CH",
            "NM1*41*2*SUBMITTER*****46*S1", "NM1*40*2*RECEIVER*****46*R1",
            "HL*1**20*1", "NM1*85*2*CLINIC*****XX*1726354909"]
    segs = head + body
    return segs + ["SE*%d*%s" % (len(segs) + 1, st02)]


def group(gs06, sets, kind="P"):
    guide = "005010X222A1" if kind == "P" else "005010X223A2"
    return (["GS*HC*SUBMITTER*RECEIVER*20250315*1200*%s*X*%s" % (gs06, guide)]
            + [s for t in sets for s in t] + ["GE*%d*%s" % (len(sets), gs06)])


def interchange(isa13, groups):
    return ([ISA % isa13] + [s for g in groups for s in g] +
            ["IEA*%d*%s" % (len(groups), isa13)])


def base(kind="P", lines=2, claims=1):
    body = subscriber(2, 1, [s for c in range(claims)
                             for s in claim("C%d" % c, lines, kind=kind)])
    return interchange("000000101",
                       [group("101", [transaction("0001", body, kind)],
                              kind)])


def recount(segs):
    """SE01 recounted for every transaction."""
    out, start = [], None
    for s in segs:
        if s.startswith("ST*"):
            start = len(out)
        if s.startswith("SE*") and start is not None:
            parts = s.split("*")
            parts[1] = str(len(out) - start + 1)
            s = "*".join(parts)
        out.append(s)
    return out


def write(name, segs):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write("~\n".join(segs) + "~\n")
    return path


def messages(path):
    c = x12check.Checker(path)
    c.run()
    return [x12check.strip_place(e, path) for e in c.errors]


def case(name, segs, want, count=True):
    path = write(name, recount(segs) if count else segs)
    got = messages(path)
    if got != want:
        FAILS.append(name)
        print("FAIL: %s\n  got:  %r\n  want: %r" % (name, got, want))
    elif VERBOSE:
        print("ok: %s" % name)


def replace(segs, old, new, count=1):
    """segs with the first `count` segments equal to old replaced by new
    (a list: 0, 1 or more segments)."""
    out = []
    for s in segs:
        if s == old and count:
            out.extend(new)
            count -= 1
        else:
            out.append(s)
    assert count == 0, old
    return out


def main():
    p = base()
    i = base(kind="I")
    case("valid 837P", p, [])
    case("valid 837I", i, [])

    # duplicate control numbers
    case("ISA13 twice in a file", p + p,
         ["ISA13=000000101 repeats the interchange of segment 1 in this "
          "file"])
    g = group("101", [transaction("0001", subscriber(2, 1, claim("A", 1)))])
    case("GS06 twice in an interchange", interchange("000000102", [g, g]),
         ["GS06=101 repeats the group of segment 2 in interchange "
          "ISA13=000000102"])
    t = transaction("0001", subscriber(2, 1, claim("A", 1)))
    case("ST02 twice in a group",
         interchange("000000103", [group("7", [t, t])]),
         ["ST02=0001 repeats the transaction set of segment 3 in group "
          "GS06=7"])
    t2 = transaction("0002", subscriber(2, 1, claim("A", 1)))
    case("the same ST02 in two groups is no duplicate",
         interchange("000000104", [group("7", [t]), group("8", [t])]) +
         interchange("000000105", [group("7", [t, t2])]), [])

    # element lengths
    case("ISA06 not 15 wide",
         [p[0].replace("SUBMITTER      ", "SUBMITTER")] + p[1:],
         ["ISA06='SUBMITTER' is 9 long, fixed at 15"])
    case("ISA13 not 9 wide", [s.replace("000000101", "00000101")
                              for s in p],
         ["ISA13='00000101' is 8 long, fixed at 9",
          "IEA02='00000101' is 8 long, the guide allows 9 to 9"])
    case("GS04 not CCYYMMDD", [s.replace("*20250315*1200*101", "*250315*"
                                         "1200*101") for s in p],
         ["GS04='250315' is 6 long, the guide allows 8 to 8"])
    case("GS06 over 9 digits", [s.replace("*1200*101*X", "*1200*1234567890"
                                          "*X").replace("GE*1*101",
                                                        "GE*1*1234567890")
                                for s in p],
         ["GS06='1234567890' is 10 long, the guide allows 1 to 9",
          "GE02='1234567890' is 10 long, the guide allows 1 to 9"])
    case("ST02 under 4", [s.replace("*0001", "*001") for s in p],
         ["ST02='001' is 3 long, the guide allows 4 to 9",
          "SE02='001' is 3 long, the guide allows 4 to 9"])
    case("SE02 with a trailing blank (issue 11 #17)",
         [s.replace("ST*837*0001", "ST*837*300145997 ").replace(
             "*0001", "*300145997 ") for s in p],
         ["ST02='300145997 ' is 10 long, the guide allows 4 to 9",
          "SE02='300145997 ' is 10 long, the guide allows 4 to 9"])
    long_id = "X" * 39
    case("CLM01 over 38", [s.replace("CLM*C0*", "CLM*%s*" % long_id)
                           for s in p],
         ["CLM01=%r is 39 long, the guide allows 1 to 38" % long_id])
    case("SV101-2 over 48, SV101-3 not 2",
         replace(p, "SV1*HC:99213*10*UN*1***1",
                 ["SV1*HC:%s:ABC*10*UN*1***1" % ("9" * 49)]),
         ["SV101-2=%r is 49 long, the guide allows 1 to 48" % ("9" * 49),
          "SV101-3='ABC' is 3 long, the guide allows 2 to 2"])
    case("SV104 over 15 digits (decimal point not counted)",
         replace(p, "SV1*HC:99213*10*UN*1***1",
                 ["SV1*HC:99213*10*UN*1234567890.123456***1"]),
         ["SV104='1234567890.123456' is 16 long, the guide allows 1 to 15"])
    case("SV104 of 15 digits and a point passes",
         replace(p, "SV1*HC:99213*10*UN*1***1",
                 ["SV1*HC:99213*10*UN*123456789.012345***1"]), [])
    case("SV204 not 2, SV201 over 48",
         replace(i, "SV2*0300*HC:85025*10*UN*1",
                 ["SV2*%s*HC:85025*10*U*1" % ("0" * 49)]),
         ["SV201=%r is 49 long, the guide allows 1 to 48" % ("0" * 49),
          "SV204='U' is 1 long, the guide allows 2 to 2"])
    case("DTP D8 of 7 digits, RD8 of 16",
         replace(p, "DTP*472*D8*20250301",
                 ["DTP*472*D8*2025031", "DTP*472*RD8*20250301-2025030"]),
         ["DTP03='2025031' is not D8 (8 characters)",
          "DTP03='20250301-2025030' is not RD8 (17 characters)"])
    case("LX01 over 6", replace(p, "LX*1", ["LX*1234567"]),
         ["claim C0: LX01=1234567, expected 1",
          "LX01='1234567' is 7 long, the guide allows 1 to 6"][::-1])

    # loop limits
    case("837P claim with 50 lines", base(lines=50), [])
    case("837P claim with 51 lines", base(lines=51),
         ["claim C0 has 51 service lines (loop 2400 repeats at most 50 "
          "times in 005010X222A1)"])
    case("837I claim with 51 lines", base(kind="I", lines=51), [])
    case("837I claim with 1000 lines", base(kind="I", lines=1000),
         ["claim C0 has 1000 service lines (loop 2400 repeats at most 999 "
          "times in 005010X223A2)"])
    case("100 claims under one subscriber", base(lines=1, claims=100), [])
    case("101 claims under one subscriber", base(lines=1, claims=101),
         ["HL*2 has more than 100 claims (loop 2300 repeats at most 100 "
          "times)"])

    # HL rules
    case("HL03 neither 20, 22 nor 23",
         replace(p, "HL*2*1*22*0", ["HL*2*1*21*0"]),
         ["HL*2: HL03=21 is not 20, 22 or 23",
          "HL*2: claims under HL03=21 (only under a subscriber 22 or "
          "patient 23)",
          "HL*1: a billing provider level without a subscriber level "
          "(2000B) below it"])
    case("a patient level under the billing provider",
         replace(p, "NM1*PR*2*PLAN*****PI*P01",
                 ["NM1*PR*2*PLAN*****PI*P01", "HL*3*1*23*0", "PAT*19",
                  "NM1*QC*1*DOE*JOHN"]),
         ["HL*3: HL03=23 must be below an HL03=22 level, HL02=1 is not",
          "HL*2 has neither child HLs nor claims"])
    case("a billing provider level with a parent",
         replace(p, "HL*1**20*1", ["HL*1*1*20*1"]),
         ["HL02=1 names no earlier HL",
          "HL*1: a billing provider level (HL03=20) has no parent, HL02=1"])
    case("a claim under the billing provider",
         replace(p, "NM1*85*2*CLINIC*****XX*1726354909",
                 ["NM1*85*2*CLINIC*****XX*1726354909"] + claim("Z", 1)),
         ["HL*1: claims under HL03=20 (only under a subscriber 22 or "
          "patient 23)"])

    # mandatory loops
    case("no BHT", replace(p, "BHT*0019*00*B1*20250315*1200*CH", []),
         ["ST02=0001: no BHT right after ST"])
    case("no 1000A", replace(p, "NM1*41*2*SUBMITTER*****46*S1", []),
         ["ST02=0001: no loop 1000A (NM1*41 submitter)"])
    case("no 1000B", replace(p, "NM1*40*2*RECEIVER*****46*R1", []),
         ["ST02=0001: no loop 1000B (NM1*40 receiver)"])
    case("no 2010AA", replace(p, "NM1*85*2*CLINIC*****XX*1726354909", []),
         ["HL*1 (HL03=20) has no 2010AA NM1*85"])
    case("no SBR, no 2010BB",
         replace(replace(p, "SBR*P*18*GRP******CI", []),
                 "NM1*PR*2*PLAN*****PI*P01", []),
         ["HL*2 (HL03=22) has no SBR", "HL*2 (HL03=22) has no 2010BB NM1*PR"])
    case("2010BA only in the claim (2330A) does not count",
         replace(replace(p, "NM1*IL*1*DOE*JANE****MI*M100", []), "HI*ABK:C8330",
                 ["HI*ABK:C8330", "SBR*S*18", "NM1*IL*1*DOE*JANE****MI*M100"]),
         ["HL*2 (HL03=22) has no 2010BA NM1*IL"])
    case("a patient level without PAT and 2010CA",
         replace(replace(p, "HL*2*1*22*0", ["HL*2*1*22*1"]), "CLM*C0*20***11:"
                 "B:1*Y*A*Y*Y", ["HL*3*2*23*0", "CLM*C0*20***11:B:1*Y*A*Y*Y"]),
         ["HL*3 (HL03=23) has no PAT", "HL*3 (HL03=23) has no 2010CA NM1*QC"])
    case("a transaction without any HL",
         [s for s in p if not (s.startswith("HL*") or s.startswith("NM1*85"))],
         ["ST02=0001: no loop 2000A (HL03=20 billing provider)"])

    # --new: only what the output brought in
    bad_in = write("new_in", recount(replace(p, "LX*1", ["LX*1234567"])))
    bad_out = write("new_out", recount(replace(
        [s.replace("*0001", "*001") for s in p], "LX*1", ["LX*1234567"])))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = x12check.main(["--new", bad_in, bad_out,
                            os.path.join(TMP, "absent")])
    want = ["%s: segment 3: ST02='001' is 3 long, the guide allows 4 to 9"
            % bad_out,
            "%s: segment 21: SE02='001' is 3 long, the guide allows 4 to 9"
            % bad_out]
    if rc != 1 or out.getvalue().splitlines() != want:
        FAILS.append("--new")
        print("FAIL: --new: rc %d, got %r" % (rc, out.getvalue()))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = x12check.main(["--new", bad_in, bad_in, bad_in])
    if rc != 0 or out.getvalue():
        FAILS.append("--new same")
        print("FAIL: --new of a file against itself, twice: rc %d, %r"
              % (rc, out.getvalue()))

    # the command line, once
    r = subprocess.run([sys.executable, CHECKER, write("cli", base(lines=51))],
                       stdout=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 1 or "loop 2400 repeats at most 50" not in r.stdout:
        FAILS.append("command line")
        print("FAIL: command line: exit %d, %r" % (r.returncode, r.stdout))

    for f in os.listdir(TMP):
        os.unlink(os.path.join(TMP, f))
    os.rmdir(TMP)
    print("test_x12check: %d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
