#!/usr/bin/env python3
"""gen_ledger.py -- a ledger (--state file) of N remembered CAR-T lines

Usage: python3 scripts/gen_ledger.py --lines N --out FILE

Writes a valid ledger in the format of src/run/ledger.c (the 15 columns,
rows sorted by identity) holding N line rows of realistic sizes: sources
"CLEARINGHOUSE01|ISA13#FP|GS06|ST02" with a thousand lines per
interchange, CLM01 "CLM" + 9 digits (two lines per claim), patient keys
with a member id, name and birth date (four lines per patient), ten-digit
NPIs, a collection, an administration, a product and an apheresis code
in turn, dates in 2020.  scripts/bench.sh loads it (--state-readonly) to
measure the memory of remembered lines.  Deterministic; standard library
only.
"""
import argparse

CODES = [("38225", "step", "1"), ("38228", "step", "4"),
         ("Q2041", "product", "0"), ("36511", "watch", "0")]
HEADER = ('"source","claim_id","lx","patient","provider","code","billed",'
          '"family","step","date_from","date_to","units","freq","run_date",'
          '"run"\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = []
    for i in range(a.lines):
        ic = i // 1000
        src = "CLEARINGHOUSE01|%09d#%016x|%d|%04d" % (
            ic, (ic * 2654435761) | 1, ic % 7 + 1, i % 50 + 1)
        code, fam, step = CODES[i % 4]
        pat = "MBR%08d|LASTNAME%d|FIRST|19%02d0%d1%d" % (
            i // 4, i // 4 % 97, i // 4 % 90 + 10, i // 4 % 9 + 1,
            i // 4 % 3)
        day = "2020-%02d-%02d" % (i % 12 + 1, i % 28 + 1)
        rows.append((src, "CLM%09d" % (i // 2), str(i % 2 + 1), pat,
                     "1%09d" % (i % 5000), code, code, fam, step, day, day,
                     "1", "1", "2025-06-01", "1"))
    rows.sort(key=lambda r: (r[0], r[1], int(r[2])))
    with open(a.out, "w") as out:
        out.write(HEADER)
        for r in rows:
            out.write(",".join('"%s"' % x for x in r) + "\n")


if __name__ == "__main__":
    main()
