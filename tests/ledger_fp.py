#!/usr/bin/env python3
"""ledger_fp.py -- expected ledger sources with their ISA fingerprints

Usage: ledger_fp.py FILE

FILE is a ledger text tests/e2e_batch.sh expects, written with sources
"BATCHTEST|CTL|..."; the ledger has them as "BATCHTEST|CTL#FP|...", FP
the hash of the ISA its mk837 writes for control number CTL (FNV-1a, 64
bits, over the ISA's bytes from the tag to its last element, low bit
set), computed here apart from the tool.  FILE is rewritten in place.
Python 3 standard library only.
"""
import re
import sys


def fp(ctl):
    isa = ("ISA*00*          *00*          *ZZ*BATCHTEST      *ZZ*RECEIVER"
           "       *250820*2310*^*00501*%s*0*T*:" % ctl).encode()
    h = 0xcbf29ce484222325
    for b in isa:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "#%016x" % (h | 1)


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[0]
    with open(path) as f:
        text = f.read()
    text = re.sub(r'"BATCHTEST\|([0-9]{9})\|',
                  lambda m: '"BATCHTEST|%s%s|' % (m.group(1), fp(m.group(1))),
                  text)
    with open(path, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
