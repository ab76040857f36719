/* limits.h -- every internal limit of libcart837, each with its reason
 *
 * Private (not in include/cart837.h): these are tunables of the
 * implementation, not part of its contract.  Each can be overridden at
 * build time with -DNAME=value; the checks at the end refuse values the
 * code cannot work with.  Sizes of public struct fields (C837_ID_MAX,
 * C837_CODE_MAX, ...) stay in cart837.h, because a caller's code depends
 * on them.  In the manner of SQLite's sqliteLimit.h.
 */
#ifndef CART837_LIMITS_H
#define CART837_LIMITS_H

/* ---- parse: tokenizer ------------------------------------------------ */

/* Bytes in one segment, terminator and trailing whitespace included.
 * Real 837 segments stay under 1 KB (the longest, HI, has 12 composites);
 * anything this long is not X12 and would otherwise grow without end. */
#ifndef C837_MAX_SEGMENT
#define C837_MAX_SEGMENT 65536
#endif

/* Elements in one segment.  The largest 837 segment (CLM) has 20. */
#ifndef C837_MAX_ELEMENTS
#define C837_MAX_ELEMENTS 256
#endif

/* Bytes the ISA segment may take.  A correct ISA is 106 bytes; senders
 * that pad or trim fields wrongly stay close to that. */
#ifndef C837_MAX_ISA
#define C837_MAX_ISA 512
#endif

/* Bytes of leading junk tolerated before the first ISA: a UTF-8 BOM and
 * blank lines.  Anything else there is not an X12 interchange. */
#ifndef C837_MAX_PREAMBLE
#define C837_MAX_PREAMBLE 4096
#endif

/* ---- parse: assembler ------------------------------------------------ */

/* Segments in one claim (CLM up to the next HL, CLM or SE).  837I allows
 * 999 service lines with a dozen segments each; this leaves room. */
#ifndef C837_MAX_CLAIM_SEGMENTS
#define C837_MAX_CLAIM_SEGMENTS 50000
#endif

/* Raw bytes of one claim.  Memory is bounded by the largest claim, so
 * the largest claim is bounded too. */
#ifndef C837_MAX_CLAIM_BYTES
#define C837_MAX_CLAIM_BYTES (16u * 1024u * 1024u)
#endif

/* Elements in the segments of one claim, all together: 64 a segment on
 * average (an 837 segment has at most 20), so that a claim of short
 * segments reaches C837_MAX_CLAIM_SEGMENTS first. */
#ifndef C837_MAX_CLAIM_ELEMENTS
#define C837_MAX_CLAIM_ELEMENTS (C837_MAX_CLAIM_SEGMENTS * 64u)
#endif

/* Service lines in one claim (837I allows 999, 837P 50). */
#ifndef C837_MAX_LINES
#define C837_MAX_LINES 9999
#endif

/* Codes of one list of the claim model (diagnoses, procedures,
 * condition codes, value codes: C837_HI_MAP) kept for one claim.  The
 * 837I allows at most 29 diagnoses (1 principal, 1 admitting, 3 reasons
 * for visit, 24 other in two HI of 12), 25 procedures (1 principal, 24
 * other), 24 value and 24 condition codes; the 837P 12 diagnoses and 24
 * condition codes (005010X223A2 / X222A1, 2300 HI max use, as in the
 * pyx12 maps).  Codes past this are reported (CLAIM_MODEL_LIMIT) and
 * passed through, not read. */
#ifndef C837_MAX_CLAIM_HI_CODES
#define C837_MAX_CLAIM_HI_CODES 64
#endif

/* Claim notes (2300 NTE) kept for one claim.  The 837I allows 10 claim
 * notes and 1 billing note, the 837P 1.  More is reported
 * (CLAIM_MODEL_LIMIT), not read. */
#ifndef C837_MAX_CLAIM_NOTES
#define C837_MAX_CLAIM_NOTES 16
#endif

/* Drug identification loops (2410 LIN/CTP) kept for one service line.
 * The 5010 guides allow one per line; a file that lists a compound's
 * ingredients repeats it, and 25 leaves room for that.  More is
 * reported (CLAIM_MODEL_LIMIT), not read.  A claim's drug loops are
 * further bounded by C837_MAX_CLAIM_SEGMENTS (a LIN is a segment). */
#ifndef C837_MAX_LINE_DRUGS
#define C837_MAX_LINE_DRUGS 25
#endif

/* Control numbers remembered per envelope level for the duplicate
 * checks (ISA13 in one input, GS06 in one interchange, ST02 in one
 * group; 11 to 21 bytes each when numeric below 2^32, as ISA13 and GS06
 * are, about 60 otherwise).  Real files have a handful; past this the
 * check stops in that scope, so that memory stays bounded. */
#ifndef C837_MAX_CONTROL_SEEN
#define C837_MAX_CONTROL_SEEN 100000
#endif

/* ---- CSV out ----------------------------------------------------------- */

/* A CSV field is quoted by libcsv into a buffer of this size on the
 * stack and written at once (base/csvschema.c); a longer one is written
 * by libcsv a byte at a time.  Quoting at most doubles a field, plus
 * its two quotes. */
#ifndef C837_CSV_FIELD_BUF
#define C837_CSV_FIELD_BUF 1024
#endif

/* ---- parse: input ---------------------------------------------------- */

/* Read buffer of the input layer. */
#ifndef C837_READ_CHUNK
#define C837_READ_CHUNK (256u * 1024u)
#endif

/* Buffers of C837_READ_CHUNK bytes that the gzip worker thread may
 * inflate ahead of the parser (input.c, inflate_thread.c): enough to
 * ride out the parser's uneven pace, few enough to keep memory bounded
 * (1 MB with the defaults).  At least 1. */
#ifndef C837_INFLATE_SLOTS
#define C837_INFLATE_SLOTS 4
#endif

/* The stdio buffer of a plain file output (run/sink.c): a file of a
 * batch of small ones goes out in one write, a large one in writes of
 * this size (stdio's own would be the file system's block, 4 KB). */
#ifndef C837_OUT_BUFFER
#define C837_OUT_BUFFER (64u * 1024u)
#endif

/* The report spool read back at the end of a run (run/spool.c): a pass
 * over its records reads this many bytes at a time; a record read at an
 * offset (report.html's findings, in their order) reads
 * C837_SPOOL_READ_AT bytes from there, most records being shorter. */
#ifndef C837_SPOOL_READ_BUFFER
#define C837_SPOOL_READ_BUFFER (64u * 1024u)
#endif
#ifndef C837_SPOOL_READ_AT
#define C837_SPOOL_READ_AT 4096u
#endif

/* ---- run: gzip outputs ---------------------------------------------- */

/* Buffers of C837_READ_CHUNK bytes that a gzip output hands to its
 * deflate worker thread (run/deflate_thread.c): the parsing thread
 * fills one while the worker compresses the others (1 MB per open gzip
 * output with the defaults).  At least 2 (one filled, one compressed). */
#ifndef C837_DEFLATE_SLOTS
#define C837_DEFLATE_SLOTS 4
#endif

/* Bytes of input a gzip output that may still go out as the input's own
 * compressed bytes (run/sink.c, pass-through) keeps while the writer has
 * not written them yet (its open envelopes and HL loops).  Past it the
 * output is compressed as any other: memory stays bounded, and nothing
 * is guessed. */
#ifndef C837_MAX_VERBATIM_LAG
#define C837_MAX_VERBATIM_LAG (8u * 1024u * 1024u)
#endif

/* ---- edit ------------------------------------------------------------ */

/* Days a RANGE_SPANS_DAYS fix may split one line into.  A longer range
 * is flagged instead: 837P allows 50 lines per claim, and a per-day code
 * billed over more than two months is not a slip to repair silently. */
#ifndef C837_MAX_SPLIT_DAYS
#define C837_MAX_SPLIT_DAYS 31
#endif

/* Service lines (loop 2400) one claim may have after the fixes: the
 * loop's repeat in the implementation guides, 50 in 837P (005010X222A1,
 * loop 2400 "Service Line Number", repeat 50) and 999 in 837I
 * (005010X223A2, loop 2400, repeat 999).  A RANGE_SPANS_DAYS split that
 * would take a claim past it is flagged instead (specs/edits.md). */
#ifndef C837_MAX_LINES_837P
#define C837_MAX_LINES_837P 50
#endif
#ifndef C837_MAX_LINES_837I
#define C837_MAX_LINES_837I 999
#endif

/* CAR-T and watch-code lines the engine remembers in all (loaded from a
 * ledger and new), unless the run sets its own limit
 * (c837_edit_options.max_lines).  What grows with the input is this
 * memory, so it is bounded with a clear finding (RUN_LINES_LIMIT: claims
 * past it are held) and a ledger over it is refused (C837_ELIMIT) rather
 * than left to the kernel's OOM killer.  A line costs the engine about
 * 110 bytes with its indexes (issue 14: records with interned strings;
 * 160 when every line has a patient of its own), and the episodes report
 * about 30 more at the end of a run (16-byte references to the engine's
 * records: README, "Remembered lines and the per-patient edits"): five
 * million lines are about 0.7 to 1 GB, what a million were when a line
 * cost 1.2 KB. */
#ifndef C837_MAX_REMEMBERED_LINES
#define C837_MAX_REMEMBERED_LINES 5000000u
#endif

/* Lines the engine remembers for one patient.  The edits find a
 * patient's lines through a per-patient index sorted by date, kept by
 * insertion; this bounds its cost (and what a hostile file can make one
 * patient cost).  A real patient has a handful of CAR-T lines per course
 * and at most a few hundred watch-code (apheresis) lines a year.  A
 * claim that would take its patient past it is held
 * (PATIENT_LINES_LIMIT). */
#ifndef C837_MAX_PATIENT_LINES
#define C837_MAX_PATIENT_LINES 20000
#endif

/* Lines one claim is compared with: the patient's remembered lines near
 * its dates (within the REPEAT_ADMINISTRATION window, or overlapping)
 * plus the claim's own CAR-T and watch-code lines.  The sequencing
 * edits compare each line of the claim with these, so this bounds the
 * work of one claim; an 837I claim has at most 999 lines, and no real
 * patient has a thousand CAR-T lines within a year or two.  A claim
 * past it is held unchecked (PATIENT_LINES_LIMIT). */
#ifndef C837_MAX_PATIENT_EVENTS
#define C837_MAX_PATIENT_EVENTS 2000
#endif

/* Findings kept for one claim (the rest are counted, not kept). */
#ifndef C837_MAX_FINDINGS
#define C837_MAX_FINDINGS 512
#endif

/* Rows in a code table (built-in rows plus a --codes file).  The
 * built-in table has a few dozen; a payer's file adds its own codes, not
 * a whole code set.  More rows than this is a wrong file. */
#ifndef C837_CODETABLE_MAX_ROWS
#define C837_CODETABLE_MAX_ROWS 10000
#endif

/* Largest cap_per_day a code table may give, in units.  Real caps are
 * 1 (a procedure) to a few hundred (a dose in mg); a million keeps cap x
 * days far inside int64 micro-units for any date range. */
#ifndef C837_MAX_CAP_UNITS
#define C837_MAX_CAP_UNITS 1000000
#endif

/* Bytes of a code-table or reference-list CSV file (--codes, the list
 * and payer files).  10000 rows of 800 bytes fit. */
#ifndef C837_CODETABLE_MAX_BYTES
#define C837_CODETABLE_MAX_BYTES (8u * 1024u * 1024u)
#endif

/* Words (64 bits each) of the code table's bloom filter: 4096 bits for a
 * table of a few hundred codes keeps false positives near 5%, so that
 * almost every code on a claim is rejected without a map look-up. */
#ifndef C837_CODE_BLOOM_WORDS
#define C837_CODE_BLOOM_WORDS 64
#endif

/* Rows of a reference list (PCS codes, NDCs, indications, PTP pairs,
 * payer classes and options, providers).  The built-in lists have a few
 * dozen rows; an import keeps only rows for the table's codes (a PTP
 * import of every pair of one code with any other stays in the low
 * thousands).  More is a wrong file. */
#ifndef C837_LIST_MAX_ROWS
#define C837_LIST_MAX_ROWS 100000
#endif

/* Bytes of one line of a file `codes --import` reads (the HCPCS record
 * is 320 bytes, an MUE, PTP or Addendum B row a few hundred).  A longer
 * line means the file is not in the format. */
#ifndef C837_IMPORT_MAX_LINE
#define C837_IMPORT_MAX_LINE 8192
#endif

/* Fields of a CSV record an import looks at (Addendum B has about a
 * dozen columns, MUE four); fields past these are ignored. */
#ifndef C837_IMPORT_MAX_FIELDS
#define C837_IMPORT_MAX_FIELDS 64
#endif

/* ---- write ----------------------------------------------------------- */

/* HL levels the writer tracks at once.  An 837 has three (billing
 * provider, subscriber, patient); a transaction nesting deeper is not
 * rewritten: copied as it came, or C837_ECLAIM when a claim in it is to
 * be fixed or held (see the Writer section of cart837.h). */
#ifndef C837_MAX_HL_DEPTH
#define C837_MAX_HL_DEPTH 64
#endif

/* Bytes of one envelope or HL loop header (ISA, GS, ST with its header
 * segments, HL with its 2010 loops) the writer keeps while it waits to
 * know whether a kept or held claim needs it.  Real ones are under 4 KB. */
#ifndef C837_MAX_PENDING_BYTES
#define C837_MAX_PENDING_BYTES (4u * 1024u * 1024u)
#endif

/* Bytes the writer holds back while the child code (HL04) of an HL that
 * has claims of its own and child HLs is undecided (its children may all
 * be held).  Beyond this the HL is written with its input HL04. */
#ifndef C837_MAX_HL_DEFER
#define C837_MAX_HL_DEFER (16u * 1024u * 1024u)
#endif

/* Segment errors (IK3 loops) a 999 lists for one transaction set
 * (src/write/ack999.c).  X12 sets no number; translators cap the list so
 * that a set in which every segment is wrong does not give a 999 the
 * size of the input.  Errors beyond it are counted, and the set's IK5
 * still says it has errors. */
#ifndef C837_ACK_MAX_SEGMENT_ERRORS
#define C837_ACK_MAX_SEGMENT_ERRORS 1000
#endif

/* Claims in one 277CA transaction set (src/write/ack277.c).  A set is
 * kept in memory until its totals are known; an input set with more
 * claims is acknowledged in several 277CA sets of at most this many
 * (each with its own totals).  5000 is the number of claims the 837
 * guides recommend as the most for one transaction set. */
#ifndef C837_ACK_MAX_SET_CLAIMS
#define C837_ACK_MAX_SET_CLAIMS 5000
#endif

/* Nesting of objects and arrays the JSON writer accepts
 * (src/base/json.c); summary.json needs four. */
#ifndef C837_JSON_MAX_DEPTH
#define C837_JSON_MAX_DEPTH 32
#endif

/* ---- run ------------------------------------------------------------- */

/* Bytes of the unparsed rest of an input that cannot be read twice
 * (stdin, a FIFO) kept in OUT/held/NAME.unparsed.  Such an input may
 * never end (`cart837 /dev/zero`), and what does not parse is not
 * processed anyway: past this the copy stops, the rest of the input is
 * not read, and the file fails with its parse error (exit 3).  A run
 * can set a lower limit (max_unparsed in its options). */
#ifndef C837_MAX_UNPARSED
#define C837_MAX_UNPARSED (1024ull * 1024u * 1024u)
#endif

/* Bytes of an input held whole (a regular file that fails to parse),
 * copied as it came to OUT/held/NAME: its bytes on disk, a gzip file
 * compressed.  A larger file is not copied (the file fails, exit 4, and
 * says so): the input stays where it is, and a copy this large is not a
 * claim file. */
#ifndef C837_MAX_HELD_WHOLE
#define C837_MAX_HELD_WHOLE (1024ull * 1024u * 1024u)
#endif

/* Bytes of the corrected 837 going to standard output (the filter mode)
 * held back until a claim is kept: when every claim of the input is held
 * nothing goes out (an interchange without a claim is not forwarded).
 * Past this the bytes go out: an input whose first kept claim comes this
 * late is not a claim file anyone pipes. */
#ifndef C837_MAX_HELD_BACK
#define C837_MAX_HELD_BACK (4u * 1024u * 1024u)
#endif

/* The same for input that is not X12 where it fails (C837_ENOISA: no
 * ISA where an interchange must start, e.g. binary data or zeros): a
 * sample is kept to show what came, not the whole stream. */
#ifndef C837_MAX_UNPARSED_NOISA
#define C837_MAX_UNPARSED_NOISA (1024u * 1024u)
#endif

/* Output bytes between two starts of the write-back of an output file
 * (sync_file_range, asynchronous): the disk writes while the run goes
 * on parsing, instead of all at once at the run's syncfs. */
#ifndef C837_WRITEBACK_STEP
#define C837_WRITEBACK_STEP (8u * 1024u * 1024u)
#endif

/* ---- run: reading files ahead (-j N, run/ahead.c) ------------------- */

/* Worker threads that read files ahead (-j N).  More than the cores of
 * any machine this runs on only adds temporary files. */
#ifndef C837_MAX_JOBS
#define C837_MAX_JOBS 64
#endif

/* Files listed ahead of the run's thread per worker: the read-ahead's
 * memory (two names a file) and its temporary outputs, at most this many
 * times the workers, whatever the batch. */
#ifndef C837_AHEAD_PER_JOB
#define C837_AHEAD_PER_JOB 4
#endif

/* Input bytes (on disk) a worker reads ahead in one file: a larger file
 * is left to the run's thread, so that one big file is never read twice
 * when it has a claim the worker cannot pass. */
#ifndef C837_AHEAD_MAX_BYTES
#define C837_AHEAD_MAX_BYTES (16u * 1024u * 1024u)
#endif

/* Corrected bytes a file read ahead holds back in memory until it is
 * read to its end (a file left to the run's thread then leaves no
 * temporary file); past it the worker writes its temporary output. */
#ifndef C837_AHEAD_HELD_BACK
#define C837_AHEAD_HELD_BACK (1024u * 1024u)
#endif

/* Bytes a file read ahead may keep of its passed claims (their
 * provider and payer class, replayed in order by the run's thread);
 * past it the file is left to the run's thread. */
#ifndef C837_AHEAD_MAX_FACTS
#define C837_AHEAD_MAX_FACTS (2u * 1024u * 1024u)
#endif

/* Input bytes between two calls of the progress callback. */
#ifndef C837_PROGRESS_STEP
#define C837_PROGRESS_STEP (4u * 1024u * 1024u)
#endif

/* Directory levels the walk descends.  Deeper trees are a symlink loop
 * the device/inode check missed, or not a claim drop. */
#ifndef C837_MAX_WALK_DEPTH
#define C837_MAX_WALK_DEPTH 256
#endif

/* Bytes read to decide whether a file in a directory is an X12
 * interchange (a BOM, blank lines and "ISA" fit many times over). */
#ifndef C837_SNIFF_BYTES
#define C837_SNIFF_BYTES 256
#endif

/* Bytes read from a ledger file per fread. */
#ifndef C837_LEDGER_READ_CHUNK
#define C837_LEDGER_READ_CHUNK 65536
#endif

/* ---- run: report.html and episodes.csv ------------------------------ */

/* Bars of report.html's time axis: findings are counted per week of
 * service, per month when a week a bar would need more bars than this,
 * per year beyond (a bar of at least 4 pixels on the 720-pixel axis). */
#ifndef C837_HTML_CHART_MAX_BARS
#define C837_HTML_CHART_MAX_BARS 160
#endif

/* Bytes of one fixed or held claim's segments kept for report.html, as
 * it came in and (fixed) as it went out, each: a CAR-T claim is 1-4 KB.
 * Past it the page says where the claim was cut and how many bytes it
 * does not show (the whole claim is in OUT/held/F or OUT/F). */
#ifndef C837_HTML_CLAIM_BYTES
#define C837_HTML_CLAIM_BYTES 8192
#endif

/* Bytes of one record of the report spool read back (a claim record:
 * its two cuts of C837_HTML_CLAIM_BYTES and its fields, each under
 * 64 KB): a longer one is not a record the run wrote. */
#ifndef C837_AUDIT_MAX_RECORD
#define C837_AUDIT_MAX_RECORD (2u * C837_HTML_CLAIM_BYTES + 1024u * 1024u)
#endif

/* Bytes of claim segments report.html shows in all: the run's spool
 * (a temporary file, removed when the run ends) keeps no more, and the
 * claims after it give their place in the input instead (README.md,
 * "summary.txt and report.html", gives the page's measured size). */
#ifndef C837_HTML_SEGMENT_BYTES
#define C837_HTML_SEGMENT_BYTES (8u * 1024u * 1024u)
#endif

/* Findings report.html lists one by one (every finding is counted and
 * in findings.csv; past this the page lists the first ones and says how
 * many it leaves to findings.csv).  The page index holds 16 bytes per
 * listed finding. */
#ifndef C837_HTML_MAX_FINDINGS
#define C837_HTML_MAX_FINDINGS 200000
#endif

/* Rows of one collapsed page of a finding group in report.html: a group
 * of 20,000 findings opens as 100 pages, each laid out only when opened. */
#ifndef C837_HTML_PAGE_ROWS
#define C837_HTML_PAGE_ROWS 200
#endif

/* Episodes report.html draws as timelines (every episode is in
 * episodes.csv; past this the page says how many it leaves there). */
#ifndef C837_HTML_MAX_EPISODES
#define C837_HTML_MAX_EPISODES 10000
#endif

/* Rows of report.html's provider table (the providers with the most
 * charges at stake first); the others are summed in one row. */
#ifndef C837_HTML_MAX_PROVIDERS
#define C837_HTML_MAX_PROVIDERS 2000
#endif

/* ---- base: sorting ---------------------------------------------------- */

/* The largest element c837_sort (sort.c) sorts in place, swapping through
 * a buffer of this size on its stack; larger ones go to qsort.  The
 * report model's sorted arrays have 16-byte elements. */
#ifndef C837_SORT_MAX_ELEM
#define C837_SORT_MAX_ELEM 64
#endif

/* ---- base: CSV files ------------------------------------------------- */

/* Columns of one CSV file read or written through csvschema.c: the
 * reader keeps three small arrays of this many entries.  The widest file
 * (findings.csv) has 29 columns. */
#ifndef C837_CSV_MAX_COLS
#define C837_CSV_MAX_COLS 32
#endif

/* ---- checks ---------------------------------------------------------- */

#if C837_MAX_SEGMENT < 1024
#error "C837_MAX_SEGMENT must hold an ISA and an HI segment (>= 1024)"
#endif
#if C837_MAX_ELEMENTS < 32
#error "C837_MAX_ELEMENTS must hold the ISA's 16 and CLM's 20 (>= 32)"
#endif
#if C837_MAX_ISA < 106 || C837_MAX_ISA > C837_MAX_SEGMENT
#error "C837_MAX_ISA must be 106 .. C837_MAX_SEGMENT"
#endif
#if C837_MAX_LINES < 999
#error "C837_MAX_LINES must allow the 999 lines of an 837I claim"
#endif
#if C837_MAX_CLAIM_HI_CODES < 29
#error "C837_MAX_CLAIM_HI_CODES must allow the 29 diagnoses of an 837I claim"
#endif
#if C837_MAX_CLAIM_NOTES < 11
#error "C837_MAX_CLAIM_NOTES must allow the 11 notes of an 837I claim"
#endif
#if C837_MAX_LINE_DRUGS < 1
#error "C837_MAX_LINE_DRUGS must allow a line's drug loop"
#endif
#if C837_MAX_CLAIM_ELEMENTS < C837_MAX_ELEMENTS
#error "C837_MAX_CLAIM_ELEMENTS must hold one segment's elements"
#endif
#if C837_MAX_CLAIM_BYTES < C837_MAX_SEGMENT
#error "C837_MAX_CLAIM_BYTES must hold at least one segment"
#endif
#if C837_SPOOL_READ_AT < 16 || C837_SPOOL_READ_AT > C837_SPOOL_READ_BUFFER
#error "C837_SPOOL_READ_AT must be 16 .. C837_SPOOL_READ_BUFFER bytes"
#endif
#if C837_READ_CHUNK < 4096
#error "C837_READ_CHUNK must be at least 4096 bytes"
#endif
#if C837_INFLATE_SLOTS < 1
#error "C837_INFLATE_SLOTS must be at least 1"
#endif
#if C837_DEFLATE_SLOTS < 2
#error "C837_DEFLATE_SLOTS must be at least 2"
#endif
#if C837_MAX_VERBATIM_LAG < C837_MAX_SEGMENT
#error "C837_MAX_VERBATIM_LAG must hold at least one segment"
#endif
#if C837_MAX_SPLIT_DAYS < 2
#error "C837_MAX_SPLIT_DAYS must be at least 2"
#endif
#if C837_MAX_LINES_837P < 1 || C837_MAX_LINES_837I < C837_MAX_LINES_837P || \
    C837_MAX_LINES_837I > C837_MAX_LINES
#error "C837_MAX_LINES_837P <= C837_MAX_LINES_837I <= C837_MAX_LINES"
#endif
#if C837_MAX_REMEMBERED_LINES < 1
#error "C837_MAX_REMEMBERED_LINES must be at least 1"
#endif
#if C837_MAX_PATIENT_LINES < 1 || C837_MAX_PATIENT_LINES > 100000000
#error "C837_MAX_PATIENT_LINES must be 1 .. 10^8"
#endif
#if C837_MAX_PATIENT_EVENTS < C837_MAX_LINES_837I
#error "C837_MAX_PATIENT_EVENTS must hold an 837I claim's 999 lines"
#endif
#if C837_MAX_FINDINGS < 16 || C837_MAX_FINDINGS > 65535
#error "C837_MAX_FINDINGS must be 16 .. 65535 (a report step counts them in 16 bits)"
#endif
#if C837_MAX_CAP_UNITS < 1 || C837_MAX_CAP_UNITS > 1000000000
#error "C837_MAX_CAP_UNITS must be 1 .. 10^9 (cap x days in int64 micro-units)"
#endif
#if C837_MAX_CONTROL_SEEN < 1
#error "C837_MAX_CONTROL_SEEN must be at least 1"
#endif
#if C837_MAX_HL_DEPTH < 3
#error "C837_MAX_HL_DEPTH must hold the 837's three HL levels"
#endif
#if C837_MAX_UNPARSED_NOISA > C837_MAX_UNPARSED
#error "C837_MAX_UNPARSED_NOISA must not exceed C837_MAX_UNPARSED"
#endif
#if C837_CSV_MAX_COLS < 29 || C837_CSV_MAX_COLS > 32
#error "C837_CSV_MAX_COLS must hold findings.csv's 29 columns and fit a uint32_t column mask (reflist.h)"
#endif
#if C837_IMPORT_MAX_LINE < 512
#error "C837_IMPORT_MAX_LINE must hold a 320-byte HCPCS record (>= 512)"
#endif
#if C837_ACK_MAX_SEGMENT_ERRORS < 1
#error "C837_ACK_MAX_SEGMENT_ERRORS must be at least 1"
#endif
#if C837_ACK_MAX_SET_CLAIMS < 1
#error "C837_ACK_MAX_SET_CLAIMS must be at least 1"
#endif
#if C837_JSON_MAX_DEPTH < 4 || C837_JSON_MAX_DEPTH > 1024
#error "C837_JSON_MAX_DEPTH must be 4 .. 1024"
#endif
#if C837_MAX_HELD_WHOLE < 1024
#error "C837_MAX_HELD_WHOLE must hold a small claim file (>= 1024)"
#endif
#if C837_SNIFF_BYTES < 16
#error "C837_SNIFF_BYTES must see a BOM and ISA (>= 16)"
#endif
#if C837_HTML_CHART_MAX_BARS < 12 || C837_HTML_CHART_MAX_BARS > 720
#error "C837_HTML_CHART_MAX_BARS must be 12 .. 720 (a pixel per bar)"
#endif
#if C837_HTML_CLAIM_BYTES < 1024 || C837_HTML_CLAIM_BYTES > 1048576
#error "C837_HTML_CLAIM_BYTES must be 1 KB .. 1 MB"
#endif
#if C837_HTML_PAGE_ROWS < 10
#error "C837_HTML_PAGE_ROWS must be at least 10"
#endif
#if C837_SORT_MAX_ELEM < 16 || C837_SORT_MAX_ELEM > 1024
#error "C837_SORT_MAX_ELEM must be 16 .. 1024 (a buffer on the stack)"
#endif

#if C837_MAX_JOBS < 1 || C837_MAX_JOBS > 1024
#error "C837_MAX_JOBS must be 1 .. 1024"
#endif
#if C837_AHEAD_PER_JOB < 1
#error "C837_AHEAD_PER_JOB must be at least 1"
#endif

#endif
