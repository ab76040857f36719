#!/usr/bin/env python3
"""spec_check.py -- checks a run over samples/ against the samples' spec.

Usage: spec_check.py EXPECTED.csv OUTDIR
       spec_check.py --batch LIST   (one process for many runs: each line
                                     of LIST is LABEL<TAB>EXPECTED.csv<TAB>
                                     OUTDIR; see tests/batchrun.py)

EXPECTED.csv is tests/expected/samples_expected.csv, written by
scripts/gen_samples.py from the scenario table of samples/README.md: per
claim, the edit ids expected to fire (EDIT@LX or EDIT@claim) and the
expected disposition (passed / fixed / held).  OUTDIR is the output of
`cart837 -o OUTDIR samples/...`.  Checks, independently of the golden
files:
  - the set of (claim, edit, line) in findings.csv equals the expected set;
  - each claim's disposition: held claims appear in OUTDIR/held/FILE and
    not in OUTDIR/FILE; fixed claims differ from their input; passed
    claims are byte-identical to their input;
  - every claim of every sample appears in exactly one output.
Prints each mismatch; exits 1 on any.
"""
import csv
import gzip
import os
import sys


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("latin-1")


def segments(text):
    """Segments of every interchange, each with its own delimiters."""
    pos = 0
    while True:
        start = text.find("ISA", pos)
        if start < 0:
            return
        el, n, term = text[start + 3], 0, None
        for i in range(start + 3, len(text)):
            if text[i] == el:
                n += 1
                if n == 16:
                    term = text[i + 2]
                    break
        end = text.find("IEA" + el, start)
        end = text.find(term, end) if end >= 0 else -1
        if end < 0:
            end = len(text)
        for s in text[start:end].split(term):
            s = s.strip("\r\n ")
            if s:
                yield el, term, s
        pos = end + 1


def claims_of(path):
    """CLM01 -> raw text of the claim (CLM up to the next HL/CLM/SE)."""
    out, cur, cid = {}, [], None
    for el, term, s in segments(read_text(path)):
        tag = s.split(el, 1)[0]
        if tag in ("HL", "CLM", "SE", "ISA", "GS", "ST", "GE", "IEA"):
            if cid is not None:
                out.setdefault(cid, []).append(term.join(cur))
            cur, cid = [], None
        if tag == "CLM":
            cid = s.split(el)[1]
        if cid is not None:
            cur.append(s)
    return out


def main(argv):
    if len(argv) == 2 and argv[0] == "--batch":
        sys.dont_write_bytecode = True  # no __pycache__ in tests/
        import batchrun
        return batchrun.run(argv[1], main)
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    exp_path, outdir = argv
    bad = []
    expected = list(csv.DictReader(open(exp_path, newline="")))
    want = set()
    files = {}
    for r in expected:
        files.setdefault(r["file"], []).append(r["claim_id"])
        for e in filter(None, r["expected_edits"].split(";")):
            edit, lx = e.split("@")
            want.add((r["claim_id"], edit, "" if lx == "claim" else lx))
    got = set()
    for r in csv.DictReader(open(os.path.join(outdir, "findings.csv"),
                                 newline="")):
        if r["edit"] == "ENVELOPE_INVALID":
            continue
        got.add((r["claim_id"], r["edit"], r["line"]))
    for x in sorted(want - got):
        bad.append("expected finding missing: %s %s line %s" % x)
    for x in sorted(got - want):
        bad.append("unexpected finding: %s %s line %s" % x)
    here = os.path.dirname(os.path.abspath(__file__))
    samples = os.path.join(here, "..", "samples")
    # a CLM01 may occur more than once (void, replacement): match the
    # occurrences in order
    occ = {}
    for r in expected:
        occ.setdefault((r["file"], r["claim_id"]), []).append(
            r["disposition"])
    for name in sorted(files):
        inp = claims_of(os.path.join(samples, name))
        cor = claims_of(os.path.join(outdir, name))
        hp = os.path.join(outdir, "held", name)
        held = claims_of(hp) if os.path.exists(hp) else {}
        for cid in sorted(set(files[name])):
            ds = occ[(name, cid)]
            ins = inp.get(cid, [])
            cs, hs = list(cor.get(cid, [])), list(held.get(cid, []))
            if len(ins) != len(ds) or len(cs) + len(hs) != len(ins):
                bad.append("%s %s: %d in (%d expected), %d corrected + %d "
                           "held" % (name, cid, len(ins), len(ds), len(cs),
                                     len(hs)))
                continue
            for raw, d in zip(ins, ds):
                if d == "held":
                    if not hs or hs.pop(0) != raw:
                        bad.append("%s %s: expected held unchanged"
                                   % (name, cid))
                elif not cs:
                    bad.append("%s %s: missing from the corrected file"
                               % (name, cid))
                elif d == "fixed" and cs.pop(0) == raw:
                    bad.append("%s %s: expected fixed (changed)"
                               % (name, cid))
                elif d == "passed" and cs.pop(0) != raw:
                    bad.append("%s %s: expected passed unchanged"
                               % (name, cid))
    for b in bad:
        print("spec_check: " + b)
    print("spec_check: %d claims, %d expected findings, %d problems"
          % (len(expected), len(want), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
