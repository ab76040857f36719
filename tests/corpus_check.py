#!/usr/bin/env python3
"""corpus_check.py -- `cart837 stats` over the corpus against its INDEX.tsv

Usage: corpus_check.py CORPUS EXCEPTIONS RESULTS

tests/e2e_corpus.sh runs `cart837 stats` on every file of
CORPUS/INDEX.tsv, the K-th file (K counted from 1 over the rows with a
file name) plain and gzip-compressed, and leaves in RESULTS:

  K.out, K.err, K.rc         stdout, stderr, exit status of the plain run
  K.gz                       the file gzip-compressed, as named in the run
  K.gz.out, K.gz.rc          stdout and stderr together, exit status

This checks every one of them against the notes of INDEX.tsv (column 9)
and the EXCEPTIONS table (tab-separated: file, claims, lines, exit code,
problem codes that must also be reported, whether the notes' envelope
issues apply, reason; see e2e_corpus.sh):

  - no signal (exit > 128), nothing from a sanitizer on stderr, one
    summary line "PATH: interchanges=...";
  - the exit status: 3 when the notes list envelope issues, else 0 (or
    the exception's);
  - claims= and lines= equal the notes' CLM= and LX= (default 0), or the
    exception's;
  - envelope_errors=0 on a file that must exit 0;
  - every problem code of the exception is reported (": CODE: ");
  - when the notes apply: each "SE01=A vs B" of the notes (k times) is
    reported at least k times as "SE01_COUNT: SE01=A but transaction set
    ST02=... has B segments from ST to SE"; "ST/SE count 1/0",
    "GS/GE count 1/0", "ISA/IEA count 1/0", "does not start with ISA"
    are reported as SE_MISSING, GE_MISSING, IEA_MISSING, ENOISA; the
    byte offset of each of the first 3 SE01_COUNT problems points at
    "SE" in the file;
  - the gzip run gives the same exit status and the same summary.

Prints "FAIL: ..." for each failure and one line of totals; exits 1 if
anything failed.  Independent of cart837's code; Python 3 standard
library only.
"""
import collections
import csv
import os
import re
import sys

PAIRS = (("ST/SE count 1/0", "SE_MISSING"), ("GS/GE count 1/0", "GE_MISSING"),
         ("ISA/IEA count 1/0", "IEA_MISSING"),
         ("does not start with ISA", "ENOISA"))
COUNTS = re.compile(r".* claims=([0-9]*) lines=([0-9]*) .*"
                    r"envelope_errors=([0-9]*)")


def read(path, binary=False):
    with open(path, "rb") as f:
        data = f.read()
    return data if binary else data.decode("latin-1")


def first_int(pattern, text):
    m = re.search(pattern, text)
    return m.group(1) if m else "0"


def check_file(k, rel, notes, corpus, exc, res, fail):
    """Checks the K-th file, REL; fail(message) records a failure."""
    path = os.path.join(corpus, rel)
    if not os.path.isfile(path):
        fail("%s: listed in INDEX.tsv but missing" % rel)
        return
    base = os.path.join(res, str(k))
    out, err = read(base + ".out"), read(base + ".err")
    rc = int(read(base + ".rc").strip())
    if rc > 128:
        fail("%s: killed by signal %d" % (rel, rc - 128))
        return
    if "Sanitizer" in err or "runtime error" in err:
        fail("%s: sanitizer report:\n%s"
             % (rel, "\n".join(err.splitlines()[:20])))
        return
    mine = path + ": interchanges="
    summary = [ln for ln in out.splitlines() if mine in ln]
    if not summary:
        fail("%s: no summary line (rc=%d)" % (rel, rc))
        return
    summary = "\n".join(summary)
    m = COUNTS.match(summary)
    got_claims, got_lines, got_errors = m.groups() if m else ("", "", "")

    want_claims = first_int(r"CLM=([0-9]*)", notes)
    want_lines = first_int(r"LX=([0-9]*)", notes)
    want_rc = 3 if "envelope issues" in notes else 0
    codes, use_notes = [], True
    if rel in exc:
        c, ln, xrc, xcodes, xuse = exc[rel][:5]
        want_claims = want_claims if c == "-" else c
        want_lines = want_lines if ln == "-" else ln
        want_rc = int(xrc)
        codes = [] if xcodes == "-" else xcodes.split()
        use_notes = xuse == "yes"

    if rc != want_rc:
        fail("%s: exit %d, expected %d" % (rel, rc, want_rc))
    if got_claims != want_claims:
        fail("%s: claims=%s, index says CLM=%s"
             % (rel, got_claims, want_claims))
    if got_lines != want_lines:
        fail("%s: lines=%s, index says LX=%s" % (rel, got_lines, want_lines))
    if want_rc == 0 and got_errors != "0":
        problems = [ln for ln in out.splitlines() if ln.startswith("  ")]
        fail("%s: envelope_errors=%s on a file without issues\n%s"
             % (rel, got_errors, "\n".join(problems[:5])))
    for code in codes:
        if ": %s: " % code not in out:
            fail("%s: expected a %s problem, not reported" % (rel, code))

    if use_notes:
        pairs = collections.Counter(
            re.findall(r"SE01=([0-9]*) vs ([0-9]*)", notes))
        for (a, count), times in sorted(pairs.items()):
            said = re.compile(
                r": SE01_COUNT: SE01=%s but transaction set ST02=[^ ]* has "
                r"%s segments from ST to SE$" % (a, count))
            n = sum(1 for ln in out.splitlines() if said.search(ln))
            if n < times:
                fail("%s: notes list SE01=%s vs %s %d time(s), reported %d "
                     "time(s)" % (rel, a, count, times, n))
        for what, code in PAIRS:
            if what in notes and ": %s: " % code not in out:
                fail("%s: notes say '%s' but no %s was reported"
                     % (rel, what, code))
        data = None
        se01 = [ln for ln in out.splitlines() if ": SE01_COUNT: " in ln]
        for ln in se01[:3]:
            m = re.match(r".*: byte ([0-9]*), segment", ln)
            if data is None:
                data = read(path, binary=True)
            at = data[int(m.group(1)):int(m.group(1)) + 2] if m else b""
            if at != b"SE":
                fail("%s: SE01_COUNT at byte %s points at '%s'"
                     % (rel, m.group(1) if m else "?",
                        at.decode("latin-1")))

    # gzip gives the same counts
    gz = base + ".gz"
    outgz = read(base + ".gz.out")
    rcgz = int(read(base + ".gz.rc").strip())
    sgz = "\n".join(ln[len(gz) + 2:] if ln.startswith(gz + ": ") else ln
                    for ln in outgz.splitlines()
                    if gz + ": interchanges=" in ln)
    s = "\n".join(ln[len(path) + 2:] if ln.startswith(path + ": ") else ln
                  for ln in summary.splitlines())
    if rcgz != rc or sgz != s:
        fail("%s: gzip gives '%s' (exit %d), plain '%s' (exit %d)"
             % (rel, sgz, rcgz, s, rc))


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    corpus, exc_path, res = argv
    exc = {}
    with open(exc_path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row:
                exc[row[0]] = row[1:]
    failures = []
    files = 0
    with open(os.path.join(corpus, "INDEX.tsv"), newline="",
              encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows[1:]:
        rel = row[0] if row else ""
        notes = row[8] if len(row) > 8 else ""
        if not rel:
            continue
        files += 1
        check_file(files, rel, notes, corpus, exc, res, failures.append)
    for msg in failures:
        print("FAIL: " + msg)
    print("corpus_check: %d files, %d exceptions, %d failures"
          % (files, len(exc), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
