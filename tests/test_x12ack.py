#!/usr/bin/env python3
"""test_x12ack.py -- tests of the acknowledgment checker x12ack.py
(run by tests/e2e_ack.sh).

The two example files must pass and give the summary below; every broken
variant must fail (exit 1) with exactly the expected messages: each
expected fragment appears in some output line and every output line
carries one of them, so a variant proves the checker finds that fault
and nothing else.  Variants that change the number of segments get
SE01/GE01/IEA01 recounted, unless the count is the fault under test.

The checker runs in this process (its main(), with its output
captured), so that the suite takes a second rather than one Python
start per case; one run goes through the command line to test it too.

Usage: test_x12ack.py [-v]        Python 3 standard library only.
"""
import contextlib
import gzip
import io
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "x12ack.py")
EX999 = os.path.join(HERE, "ack-examples", "ack999.x12")
EX277 = os.path.join(HERE, "ack-examples", "ack277.x12")

sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import x12ack  # noqa: E402 -- after the path is set

SUMMARY_999 = """\
interchange	000000901	NWCH00042	CART837SAMPLE	250821	0600
group	FA	901	20250821	0600	005010X231A1
ack999	0001	HC	104	005010X222A1	E	2	2	2	-
set	0001	837	0001	005010X222A1	A	-
set	0001	837	0002	005010X222A1	E	4,5
segerr	0001	0002	DTP	27	2400	8	CLM01=DATE-BAD-1
elemerr	0001	0002	DTP	27	3	1251	8	20250230
interchange	000000902	NWCH00042	CART837SAMPLE	250821	0600
ta1	000000105	250820	2310	E	021
group	FA	902	20250821	0600	005010X231A1
ack999	0001	HC	105	005010X222A1	E	3	2	2	5
set	0001	837	0001	005010X222A1	A	-
set	0001	837	0002	005010X222A1	E	3
"""

SUMMARY_277 = """\
interchange	000000903	NWCH00042	CART837SAMPLE	250821	0600
group	HN	903	20250821	0600	005010X214
ack277	0001	B1040001	A1:19:AY	2	7500	1	375000
provider	0001	1648203770	2	7500	1	375000
claim	0001	PASS-1	accepted	A1:20	WQ	2500	20250303	1648203770	CP10000	-
claim	0001	FIX-UNITS-1	accepted	A1:20	WQ	5000	20250304	1648203770	CP10000	FIXED UNITS_OVER_DAILY_MAX LX1
claim	0001	HOLD-STEP-1	rejected	A8:732/A8:187	U	375000	20250305-20250310	1648203770	CP10037	HELD STEP_OUT_OF_ORDER LX2
ack277	0002	B1030001	A1:19:AY	0	0	1	5000
provider	0002	1549302689	0	0	1	5000
claim	0002	INST-ADMIN-ONLY	rejected	A6:736	U	5000	20250301-20250301	1549302689	CP20001	HELD ADMIN_WITHOUT_PRODUCT LX1
"""


def recount(text):
    """Recomputes SE01, GE01 and IEA01 of text written with '*' and '~'
    and one segment a line."""
    lines = text.split("\n")
    out = []
    st = gs = isa = None
    for line in lines:
        tag = line.split("*", 1)[0]
        if tag == "ISA":
            isa = [len(out), 0]
        elif tag == "GS":
            gs = [len(out), 0]
            isa[1] += 1
        elif tag == "ST":
            st = 0
            gs[1] += 1
        if st is not None:
            st += 1
        if tag == "SE":
            f = line.split("*")
            line = "*".join([f[0], str(st)] + f[2:])
            st = None
        elif tag == "GE":
            f = line.split("*")
            line = "*".join([f[0], str(gs[1])] + f[2:])
        elif tag == "IEA":
            f = line.split("*")
            line = "*".join([f[0], str(isa[1])] + f[2:])
        out.append(line)
    return "\n".join(out)


def sub(text, old, new, count=1):
    assert old in text, "fixture lacks %r" % old
    return text.replace(old, new, count)


def sub_nth(text, old, new, nth):
    """Replaces the nth (1-based) occurrence of old."""
    pos = -1
    for _ in range(nth):
        pos = text.find(old, pos + 1)
        assert pos >= 0, "fixture lacks occurrence %d of %r" % (nth, old)
    return text[:pos] + new + text[pos + len(old):]


# (name, example, mutation, recount?, expected message fragments)
V999 = [
    ("isa-short", lambda t: sub(t, "*NWCH00042      *", "*NWCH00042     *"),
     False, ["ISA is 105 bytes, not 106: ISA06 has 14 characters, not 15"]),
    ("se01", lambda t: sub(t, "SE*11*0001~", "SE*12*0001~"), False,
     ["SE01=12 but the transaction set has 11 segments"]),
    ("se02", lambda t: sub(t, "SE*11*0001~", "SE*11*0002~"), False,
     ["SE02=0002 does not match ST02=0001"]),
    ("ge01", lambda t: sub(t, "GE*1*901~", "GE*2*901~"), False,
     ["GE01=2 but the group has 1 transaction sets"]),
    ("ge02", lambda t: sub(t, "GE*1*901~", "GE*1*999~"), False,
     ["GE02=999 does not match GS06=901"]),
    ("iea01", lambda t: sub(t, "IEA*1*000000901~", "IEA*2*000000901~"),
     False, ["IEA01=2 but the interchange has 1 groups"]),
    ("iea02", lambda t: sub(t, "IEA*1*000000901~", "IEA*1*000000999~"),
     False, ["IEA02=000000999 does not match ISA13=000000901"]),
    ("iea-missing", lambda t: sub(t, "IEA*1*000000902~\n", ""), False,
     ["file ends inside an interchange (IEA missing)"]),
    ("gs01", lambda t: sub(t, "GS*FA*", "GS*HC*"), False,
     ["GS01='HC' is not a valid code", "ST01=999 in a group with GS01=HC"]),
    ("gs06-other-interchange", lambda t: sub(
        sub(t, "*0600*902*X*005010X231A1~", "*0600*901*X*005010X231A1~"),
        "GE*1*902~", "GE*1*901~"), False, []),
    ("gs08", lambda t: sub(t, "*X*005010X231A1~\nST*999*0001",
                           "*X*005010X231~\nST*999*0001"), False,
     ["GS08='005010X231' is not a valid code",
      "GS08=005010X231 but GS01=FA needs 005010X231A1",
      "ST03=005010X231A1 does not match GS08=005010X231"]),
    ("ak904", lambda t: sub(t, "AK9*E*2*2*2~", "AK9*E*2*2*1~"), False,
     ["AK904=1 but 2 AK2 entries are accepted"]),
    ("ak903", lambda t: sub(t, "AK9*E*2*2*2~", "AK9*E*2*3*2~"), False,
     ["AK903=3 but the 999 acknowledges 2 transaction sets",
      "AK902=2 differs from AK903=3 but AK905-AK909 lack code 5"]),
    ("ak901", lambda t: sub(t, "AK9*E*2*2*2~", "AK9*A*2*2*2~"), False,
     ["AK901=A but the entries call for E"]),
    ("ak901-r", lambda t: sub(t, "AK9*E*2*2*2~", "AK9*R*2*2*2~"), False,
     ["AK901=R but the entries call for E"]),
    ("ak905-code", lambda t: sub(t, "AK9*E*3*2*2*5~", "AK9*E*3*2*2*7~"),
     False, ["AK905='7' is not a valid code",
             "AK902=3 differs from AK903=2 but AK905-AK909 lack code 5"]),
    ("ik5-code", lambda t: sub(t, "IK5*E*4*5~", "IK5*E*4*99~"), False,
     ["IK503='99' is not a valid code",
      "IK5 does not say 5 or I5"]),
    ("ik5-a-with-ik3", lambda t: sub(t, "IK5*E*4*5~", "IK5*A~"), False,
     ["IK501=A but the set has IK3 errors",
      "AK901=E but the entries call for A"]),
    ("ik5-e-no-code", lambda t: sub(t, "IK5*E*3~", "IK5*E~"), False,
     ["IK501=E needs an error code in IK502"]),
    ("ik304", lambda t: sub(t, "IK3*DTP*27*2400*8~", "IK3*DTP*27*2400*9~"),
     False, ["IK304='9' is not a valid code"]),
    ("ik4-missing", lambda t: sub(t, "IK4*3*1251*8*20250230~\n", ""), True,
     ["IK304=8 (segment has data element errors) but no IK4 follows"]),
    ("ik404-long", lambda t: sub(t, "*20250230~", "*" + "X" * 100 + "~"),
     False, ["has length 100, allowed 1-99"]),
    ("ak1-missing", lambda t: sub(t, "AK1*HC*104*005010X222A1~\n", ""), True,
     ["loop 999 (from segment 3) lacks required AK1"]),
    ("ctx-order", lambda t: sub(t, "CTX*CLM01:DATE-BAD-1~\n"
                                "IK4*3*1251*8*20250230~",
                                "IK4*3*1251*8*20250230~\n"
                                "CTX*CLM01:DATE-BAD-1~"), False,
     ["CTX is out of sequence in loop 2100"]),
    ("ctx-name", lambda t: sub(t, "CTX*CLM01:", "CTX*CLAIM:"), False,
     ["CTX with CTX01='CLAIM:DATE-BAD-1' is not allowed here"]),
    ("trailing-sep", lambda t: sub(t, "IK5*A~", "IK5*A*~"), False,
     ["IK5 ends with an element separator"]),
    ("unknown-seg", lambda t: sub(t, "AK1*HC*104*005010X222A1~",
                                  "AK1*HC*104*005010X222A1~\nZZZ*1~"), True,
     ["unexpected segment ZZZ in loop 999"]),
    ("ak201-hc", lambda t: sub(t, "AK2*837*0002*005010X222A1~\nIK3",
                               "AK2*835*0002*005010X222A1~\nIK3"), False,
     ["AK201=835 in a group of claims (AK101=HC needs 837)"]),
    ("ak2-dup", lambda t: sub(t, "AK2*837*0002*005010X222A1~\nIK3",
                              "AK2*837*0001*005010X222A1~\nIK3"), False,
     ["AK202=0001 is acknowledged twice"]),
    # a control number the input repeated, acknowledged with code 23
    ("ak2-dup-23", lambda t: sub(sub(t, "AK2*837*0002*005010X222A1~\nIK3",
                                     "AK2*837*0001*005010X222A1~\nIK3"),
                                 "IK5*E*4*5~", "IK5*E*4*5*23~"), False, []),
    ("ak2-no-ik5", lambda t: sub(t, "AK2*837*0001*005010X222A1~",
                                 "AK2*837*0001*005010X222A1~\n"
                                 "AK2*837*0009*005010X222A1~"), True,
     ["lacks required IK5", "AK903=2 but the 999 acknowledges 3",
      "AK901=E but the entries call for P"]),
    ("ta1-a-with-error", lambda t: sub(t, "*2310*E*021~", "*2310*A*021~"),
     False, ["TA104=A (accepted) but TA105=021 names an error"]),
    ("ta1-date", lambda t: sub(t, "TA1*000000105*250820*",
                               "TA1*000000105*250230*"), False,
     ["TA102='250230' is not a valid date"]),
    ("ta1-after-gs", lambda t: sub(
        sub(t, "TA1*000000105*250820*2310*E*021~\n", ""),
        "IEA*1*000000902~",
        "TA1*000000105*250820*2310*E*021~\nIEA*1*000000902~"),
     False, ["TA1 must follow the ISA, before the first GS"]),
    ("isa-date", lambda t: sub(t, "*250821*0600*^*00501*000000901",
                               "*250231*0600*^*00501*000000901"), False,
     ["ISA09='250231' is not a valid YYMMDD date"]),
    ("isa-delims", lambda t: sub(t, "*00501*000000902*0*T*:~",
                                 "*00501*000000902*0*T*^~"), False,
     ["ISA delimiters are not distinct"]),
]

V277 = [
    ("hl-parent", lambda t: sub(t, "HL*5*3*PT~", "HL*5*4*PT~"), False,
     ["HL*5 (level PT) has parent HL*4 of level PT, expected level 19"]),
    ("hl-id", lambda t: sub(t, "HL*5*3*PT~", "HL*6*3*PT~"), False,
     ["HL01=6, expected 5"]),
    ("hl-parent-missing", lambda t: sub(t, "HL*5*3*PT~", "HL*5*9*PT~"),
     False, ["HL02=9 names no earlier HL"]),
    ("hl04", lambda t: sub_nth(t, "HL*3*2*19*1~", "HL*3*2*19*0~", 2),
     False, ["HL*3: HL04=0 but child HLs follow"]),
    ("hl04-pt", lambda t: sub(t, "HL*4*3*PT~", "HL*4*3*PT*0~"), False,
     ["HL04 is not used in this implementation"]),
    ("qty90", lambda t: sub(t, "QTY*90*2~", "QTY*90*3~"), False,
     ["2200B: QTY*90 (accepted claims)=3 but the claim-level STCs give 2"]),
    ("amtyy", lambda t: sub(t, "AMT*YY*375000~", "AMT*YY*375001~"), False,
     ["2200B: AMT*YY (rejected amount)=375001 but the claim-level STCs "
      "give 375000"]),
    ("qtyaa-missing", lambda t: sub(t, "QTY*AA*1~\n", ""), True,
     ["2200B: QTY*AA (rejected claims) is missing but the transaction "
      "has 1"]),
    ("stc04-batch", lambda t: sub(t, "WQ*382500~", "WQ*382000~"), False,
     ["2200B: STC04=382000 but its claims total 382500"]),
    ("qtyqa", lambda t: sub(t, "QTY*QA*2~", "QTY*QA*1~"), False,
     ["2200C: QTY*QA (accepted claims)=1 but the claim-level STCs give 2"]),
    ("action", lambda t: sub(t, "STC*A1:20*20250821*WQ*2500~",
                             "STC*A1:20*20250821*U*2500~"), False,
     ["STC03=U but the category accepts the claim (needs WQ)"]),
    ("action-reject", lambda t: sub(t, "*U*375000*", "*WQ*375000*"), False,
     ["STC03=WQ but the category rejects the claim (needs U)"]),
    ("no-stc12", lambda t: sub(t, "U*5000********HELD ADMIN_WITHOUT_PRODUCT"
                               " LX1~", "U*5000~"), False,
     ["rejected claim INST-ADMIN-ONLY has no STC12 naming the edit"]),
    ("stc12-format", lambda t: sub(t, "HELD STEP_OUT_OF_ORDER LX2",
                                   "held - step out of order"), False,
     ["STC12='held - step out of order' is not 'HELD <EDIT_ID>"]),
    ("status21-alone", lambda t: sub(t, "STC*A6:736*", "STC*A7:21*"), False,
     ["status code 21 needs a second status code (STC10 or STC11)"]),
    ("status19-no-entity", lambda t: sub(t, "STC*A1:19:AY*20250821*WQ*"
                                         "382500~",
                                         "STC*A1:19*20250821*WQ*382500~"),
     False, ["status code 19 needs an entity code"]),
    ("status-unknown", lambda t: sub(t, "A8:187", "A8:999"), False,
     ["STC status code 999 is not in cart837's list"]),
    ("category-f1", lambda t: sub(t, "STC*A1:20*20250821*WQ*2500~",
                                  "STC*F1:20*20250821*WQ*2500~"), False,
     ["STC01-1='F1' is not a valid code", "STC category F1 is neither",
      "QTY*QA", "QTY*90", "AMT*YU", "STC04=382500 but its claims total"]),
    ("dtp472-missing", lambda t: sub(t, "DTP*472*D8*20250303~\n", ""), True,
     ["loop 2200D (from segment 27) lacks required DTP (DTP01=472)"]),
    ("dtp472-date", lambda t: sub(t, "DTP*472*D8*20250303~",
                                  "DTP*472*D8*20250230~"), False,
     ["D8 date '20250230' is not a valid CCYYMMDD"]),
    ("rd8-reversed", lambda t: sub(t, "RD8*20250305-20250310",
                                   "RD8*20250310-20250305"), False,
     ["RD8 range '20250310-20250305' ends before it starts"]),
    ("bht02", lambda t: sub(t, "BHT*0085*08*104-0001", "BHT*0085*00*104-0001"),
     False, ["BHT02='00' is not a valid code"]),
    ("bht03-long", lambda t: sub(t, "*104-0001*", "*" + "9" * 31 + "*"),
     False, ["BHT03='" + "9" * 31 + "' has length 31, allowed 1-30"]),
    ("nm108-patient", lambda t: sub(t, "MI*CP10000~", "XX*CP10000~"), False,
     ["NM108='XX' is not a valid code"]),
    ("ref-ej", lambda t: sub(t, "STC*A1:20*20250821*WQ*2500~",
                             "STC*A1:20*20250821*WQ*2500~\nREF*EJ*PASS-1~"),
     True, ["REF with REF01='EJ' is not allowed here"]),
    ("stc12-batch", lambda t: sub(t, "WQ*382500~", "WQ*382500********NOTE~"),
     False, ["STC12 is not used in this implementation"]),
    ("nm1-41-missing", lambda t: sub(t, "NM1*41*2*CART837 SAMPLE BILLING "
                                     "SERVICE*****46*S837TEST01~\n", ""),
     True, ["loop 2000B (from segment 10) lacks required loop 2100B"]),
    ("gs01-fa", lambda t: sub(t, "GS*HN*", "GS*FA*"), False,
     ["GS08=005010X214 but GS01=FA needs 005010X231A1",
      "ST01=277 in a group with GS01=FA (needs HN)"]),
    ("line-on-accepted", lambda t: sub(t, "DTP*472*D8*20250303~",
                                       "DTP*472*D8*20250303~\n"
                                       "SVC*HC:38225*2500~\n"
                                       "STC*A7:476**U~"), True,
     ["accepted claim PASS-1 has service lines"]),
    ("stc-max-composites", lambda t: sub(t, "A8:187**HELD",
                                         "A8:187*A8:454*HELD"), False, []),
    ("component-extra", lambda t: sub(t, "STC*A1:20*20250821*WQ*2500~",
                                      "STC*A1:20:PR:X:Y*20250821*WQ*2500~"),
     False, ["STC01 has 5 components, at most 4 are defined",
             "STC01-4 is not used in this implementation"]),
    ("st02-dup", lambda t: sub(sub(t, "ST*277*0002*", "ST*277*0001*"),
                               "SE*25*0002~", "SE*25*0001~"), False,
     ["ST02=0001 is not unique in the group"]),
]


def run(path, *args):
    """x12ack.py ARGS PATH in this process: (exit status, stdout,
    stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = x12ack.main(list(args) + [path])
    return rc, out.getvalue(), err.getvalue()


def run_cli(path, *args):
    """The same through the command line."""
    p = subprocess.run([sys.executable, CHECKER] + list(args) + [path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def main(argv):
    verbose = "-v" in argv
    failures = []
    tmp = tempfile.mkdtemp(prefix="x12ack-test-")

    def ok(cond, what):
        if not cond:
            failures.append(what)
        elif verbose:
            print("ok   " + what)

    def write(name, data, mode="w"):
        path = os.path.join(tmp, name)
        with open(path, mode) as f:
            f.write(data)
        return path

    # the examples pass and summarise as expected
    for path, want in ((EX999, SUMMARY_999), (EX277, SUMMARY_277)):
        rc, out, err = run(path)
        ok(rc == 0 and out == "" and err == "",
           "%s passes (rc %d, %r)" % (os.path.basename(path), rc, out))
        rc, out, err = run(path, "--summary")
        ok(rc == 0 and out == want and err == "",
           "%s summary\n--- got\n%s--- want\n%s" % (
               os.path.basename(path), out, want))

    # the same content in other shapes passes with the same summary
    for path, want in ((EX999, SUMMARY_999), (EX277, SUMMARY_277)):
        text = open(path).read()
        base = os.path.basename(path)
        shapes = {
            "crlf": text.replace("\n", "\r\n"),
            "one-line": text.replace("\n", ""),
            "pipes": text.replace("*", "|").replace(":", ">"),
        }
        for shape, data in shapes.items():
            p = write("%s.%s" % (base, shape), data)
            rc, out, err = run(p, "--summary")
            ok(rc == 0 and out == want and err == "",
               "%s as %s passes with the same summary (rc %d, %s)"
               % (base, shape, rc, err.strip()))
        p = write(base + ".gz", gzip.compress(text.encode("latin-1")), "wb")
        rc, out, err = run(p, "--summary")
        ok(rc == 0 and out == want,
           "%s gzipped passes with the same summary" % base)

    # broken variants
    for example, variants in ((EX999, V999), (EX277, V277)):
        text = open(example).read()
        for name, mutate, fix, want in variants:
            broken = mutate(text)
            if fix:
                broken = recount(broken)
            p = write("%s-%s.x12" % (os.path.basename(example), name),
                      broken)
            rc, out, err = run(p)
            lines = [x for x in out.splitlines() if x]
            if not want:
                # a control: a mutation that must NOT be flagged
                ok(rc == 0 and not lines,
                   "%s: accepted as valid (%s)" % (name, lines))
                continue
            missing = [w for w in want if not any(w in x for x in lines)]
            extra = [x for x in lines if not any(w in x for w in want)]
            prefix_ok = all(x.startswith(p + ": segment ") or
                            x.startswith(p + ": ") for x in lines)
            ok(rc == 1 and not missing and not extra and prefix_ok,
               "%s: rc %d, missing %s, unexpected %s"
               % (name, rc, missing, extra))

    # random damage never crashes the checker (fixed seed)
    rnd = random.Random(13)
    texts = [open(EX999).read(), open(EX277).read()]
    crashes = 0
    p = os.path.join(tmp, "fuzz.x12")
    for _ in range(500):
        lines = rnd.choice(texts).split("\n")
        for _ in range(rnd.randint(1, 4)):
            k = rnd.randrange(len(lines))
            op = rnd.random()
            if op < 0.25 and len(lines) > 1:
                del lines[k]
            elif op < 0.5:
                lines.insert(k, rnd.choice(lines))
            elif lines[k]:
                j = rnd.randrange(len(lines[k]))
                c = rnd.choice("*:~^AZ09 \x00-.|") if op < 0.8 else ""
                lines[k] = lines[k][:j] + c + (lines[k][j + 1:]
                                               if op < 0.8 else "")
        with open(p, "w", encoding="latin-1") as f:
            f.write("\n".join(lines))
        try:
            x12ack.Checker(p).run()
        except Exception as e:  # noqa: BLE001 -- any crash is a failure
            crashes += 1
            if crashes == 1:
                failures.append("checker crashed on %r: %r"
                                % ("\n".join(lines)[:200], e))
    ok(crashes == 0, "500 randomly damaged files: no crash")

    # usage errors, and the command line itself
    rc, out, err = run(os.path.join(tmp, "does-not-exist"))
    ok(rc == 1 and "No such file" in out, "a missing file fails")
    rc, out, err = run_cli(EX999, "--summary")
    ok(rc == 0 and out == SUMMARY_999 and err == "",
       "the command line gives the same summary")
    p = write("cli-broken.x12", open(EX999).read().replace(
        "SE*11*0001~", "SE*12*0001~"))
    rc, out, err = run_cli(p)
    ok(rc == 1 and "SE01=12 but the transaction set has 11 segments" in out,
       "the command line fails a broken file with exit 1")

    if failures:
        for f in failures:
            print("FAIL " + f)
        print("%d failure(s)" % len(failures))
        return 1
    n = 4 + 8 + len(V999) + len(V277) + 4
    print("test_x12ack: all %d checks passed" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
