#!/usr/bin/env python3
"""gen_patient.py -- one 837P interchange of one patient with many CAR-T lines

Usage: python3 scripts/gen_patient.py --lines N [--per-claim K]
                                      [--out FILE]

The per-patient edits compare every CAR-T and watch-code line of a
patient with the patient's others; this input is their worst case: one
billing provider, one subscriber (member id PAT0001), N service lines in
claims of K lines (default 1), none of them held, so that every line is
remembered.  Lines cycle through a collection (38225), an apheresis watch
code (36511) and a product with its administration (Q2041 0.5 + 38228 on
the same day), each on its own date (one day after the other from
2025-01-01, wrapping after 3000 days), so that no DUPLICATE_DAY removes
or holds them.  Deterministic; standard library only.  Used by
scripts/bench.sh ("one patient") and tests/e2e_failclosed_engine.sh.
"""
import argparse
import datetime
import sys

CYCLE = [("38225", "1"), ("36511", "1"), ("Q2041", "0.5"), ("38228", "1")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--per-claim", type=int, default=1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    seg = []
    seg.append("ST*837*0001*005010X222A1")
    seg.append("BHT*0019*00*BP0001*20250820*2310*CH")
    seg.append("NM1*41*2*PATIENT BENCH*****46*PB0001")
    seg.append("PER*IC*PAT QUINN*TE*5550100000")
    seg.append("NM1*40*2*RECEIVER CH*****46*RCV01")
    seg.append("HL*1**20*1")
    seg.append("NM1*85*2*BENCH ONCOLOGY*****XX*1234567893")
    seg.append("N3*1 MAIN ST")
    seg.append("N4*SPRINGFIELD*OH*432150000")
    seg.append("REF*EI*123456789")
    seg.append("HL*2*1*22*0")
    seg.append("SBR*P*18*GRP1******CI")
    seg.append("NM1*IL*1*DOE*JANE****MI*PAT0001")
    seg.append("DMG*D8*19700101*F")
    seg.append("NM1*PR*2*TEST PLAN*****PI*TP01")
    start = datetime.date(2025, 1, 1)
    n = 0
    claim = 0
    while n < a.lines:
        k = min(a.per_claim, a.lines - n)
        claim += 1
        lines = []
        for j in range(k):
            code, units = CYCLE[(n + j) % 4]
            # the product and its administration share a day
            day = (n + j) // 4 * 3 + {0: 0, 1: 1, 2: 2, 3: 2}[(n + j) % 4]
            d = start + datetime.timedelta(days=day % 9000)
            lines.append((code, units, d.strftime("%Y%m%d")))
        seg.append("CLM*P%07d*%d***11:B:1*Y*A*Y*Y" % (claim, 10 * k))
        seg.append("HI*ABK:C8330")
        for j, (code, units, d) in enumerate(lines):
            seg.append("LX*%d" % (j + 1))
            seg.append("SV1*HC:%s*10*UN*%s***1" % (code, units))
            seg.append("DTP*472*D8*%s" % d)
        n += k
    out.write("ISA*00*          *00*          *ZZ*PATBENCH       *ZZ*RECEIVER"
              "       *250820*2310*^*00501*000000001*0*T*:~\n")
    out.write("GS*HC*PATBENCH*RECEIVER*20250820*2310*1*X*005010X222A1~\n")
    for s in seg:
        out.write(s + "~\n")
    out.write("SE*%d*0001~\n" % (len(seg) + 1))
    out.write("GE*1*1~\nIEA*1*000000001~\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
