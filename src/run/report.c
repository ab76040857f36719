/* report.c -- findings.csv and lines.csv
 *
 * The annotated reports of a run, written with libcsv (csv_fwrite quotes
 * every field and doubles embedded quotes; rows end in CRLF as RFC 4180
 * asks).  Both files are written to temporary files and appear under
 * their names only when the run commits them.
 *
 * findings.csv: one row per finding (engine findings, and envelope
 *   problems as ENVELOPE_INVALID).
 * lines.csv: one row per CAR-T or watch-code service line.
 * The columns are listed in FINDINGS_COLS and LINES_COLS below and in
 * README.md; their order is part of the interface.
 */
#include "run/report.h"
#include "run/sink.h"
#include "base/err.h"

#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static const char *const FINDINGS_COLS[] = {
    "file",     "claim_id",    "line",        "code",       "date_from",
    "date_to",  "units",       "edit",        "severity",   "action",
    "detail",   "carc",        "rarc",        "before",     "after",
    "patient",  "provider",    "claim_type",  "type_of_bill",
    "interchange", "group",    "transaction", "segment",    "offset"};

static const char *const LINES_COLS[] = {
    "file",       "claim_id",   "line",        "code",      "date_from",
    "date_to",    "units",      "patient",     "provider",  "claim_type",
    "type_of_bill", "revenue",  "modifiers",   "charge",    "family",
    "step",       "edits",      "disposition", "interchange", "group",
    "transaction", "segment",   "offset"};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

struct c837_report {
  c837_out findings, lines;
  FILE *ff, *lf;
  off_t mark_f, mark_l; /* c837_report_mark */
  int failed;
  char why[300];        /* the first failure: file and reason */
};

/* Marks the reports failed; the first failure keeps the name of its file
 * and the system's reason (errno of the stdio call that failed). */
static void fail_on(c837_report *r, const c837_out *of)
{
  if (!r->failed)
    snprintf(r->why, sizeof r->why, "cannot write %.200s: %.60s",
             of->path, strerror(errno ? errno : EIO));
  r->failed = 1;
}

/* One CSV row of n NUL-terminated fields. */
static int put_row(FILE *fp, const char *const *f, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    if (i && fputc(',', fp) == EOF)
      return -1;
    if (csv_fwrite(fp, f[i], strlen(f[i])) != 0)
      return -1;
  }
  return fputs("\r\n", fp) == EOF ? -1 : 0;
}

c837_report *c837_report_open(const char *dir, c837_error *err)
{
  c837_report *r = calloc(1, sizeof *r);
  char path[PATH_MAX];
  if (!r) {
    c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
    return NULL;
  }
  snprintf(path, sizeof path, "%s/findings.csv", dir);
  c837_out_init(&r->findings, path, 0);
  snprintf(path, sizeof path, "%s/lines.csv", dir);
  c837_out_init(&r->lines, path, 0);
  if (c837_out_open(&r->findings, err) != C837_OK ||
      c837_out_open(&r->lines, err) != C837_OK) {
    c837_report_abort(r);
    return NULL;
  }
  r->ff = c837_out_fp(&r->findings);
  r->lf = c837_out_fp(&r->lines);
  if (put_row(r->ff, FINDINGS_COLS, NCOLS(FINDINGS_COLS)) != 0)
    fail_on(r, &r->findings);
  if (put_row(r->lf, LINES_COLS, NCOLS(LINES_COLS)) != 0)
    fail_on(r, &r->lines);
  return r;
}

/* Text of a line's modifiers joined with ':'. */
static void modifiers(char *buf, size_t sz, const c837_line *ln)
{
  size_t i, o = 0;
  buf[0] = '\0';
  for (i = 0; i < 4 && ln->mod[i][0]; i++)
    o += (size_t)snprintf(buf + o, sz - o, "%s%s", i ? ":" : "",
                          ln->mod[i]);
}

typedef struct pos_text {
  char seg[24], off[24];
} pos_text;

static void line_pos(pos_text *p, const c837_claim *c, size_t li)
{
  const c837_segment *s = &c->segs[0];
  if (li != C837_NO_INDEX && li < c->n_lines) {
    const c837_line *ln = &c->lines[li];
    size_t k = ln->seg_sv != C837_NO_INDEX ? ln->seg_sv : ln->seg_first;
    if (k < c->n_segs)
      s = &c->segs[k];
  }
  if (c->n_segs == 0) {
    p->seg[0] = p->off[0] = '\0';
    return;
  }
  snprintf(p->seg, sizeof p->seg, "%llu", (unsigned long long)s->number);
  snprintf(p->off, sizeof p->off, "%llu",
           (unsigned long long)(s->offset + s->lead));
}

long c837_report_claim(c837_report *r, const char *file,
                       const c837_claim *c, const c837_verdict *v,
                       const c837_codetable *t)
{
  size_t i, k;
  long tracked = 0;
  const char *isa = c->env ? c->env->isa13 : "";
  const char *gs = c->env ? c->env->gs06 : "";
  const char *st = c->env ? c->env->st02 : "";

  for (i = 0; v && i < v->n_findings; i++) {
    const c837_finding *f = &v->findings[i];
    const c837_line *ln =
        f->line != C837_NO_INDEX && f->line < c->n_lines ? &c->lines[f->line]
                                                         : NULL;
    char df[12] = "", dt[12] = "";
    pos_text pt;
    const char *row[NCOLS(FINDINGS_COLS)];
    if (ln) {
      c837_format_iso_date(df, sizeof df, ln->date_from);
      c837_format_iso_date(dt, sizeof dt, ln->date_to);
    }
    line_pos(&pt, c, f->line);
    row[0] = file;
    row[1] = c->id;
    row[2] = ln ? ln->lx : "";
    row[3] = ln ? ln->code : "";
    row[4] = df;
    row[5] = dt;
    row[6] = ln ? ln->units_raw : "";
    row[7] = c837_edit_name(f->edit);
    row[8] = c837_severity_name(f->severity);
    row[9] = c837_action_name(f->action);
    row[10] = f->detail;
    row[11] = f->carc ? f->carc : "";
    row[12] = f->rarc ? f->rarc : "";
    row[13] = f->before;
    row[14] = f->after;
    row[15] = c->patient_key;
    row[16] = c->billing.id;
    row[17] = c837_kind_name(c->kind);
    row[18] = c->tob;
    row[19] = isa;
    row[20] = gs;
    row[21] = st;
    row[22] = pt.seg;
    row[23] = pt.off;
    if (put_row(r->ff, row, NCOLS(row)) != 0)
      fail_on(r, &r->findings);
  }

  for (i = 0; i < c->n_lines; i++) {
    const c837_line *ln = &c->lines[i];
    const c837_code *cr;
    char df[12], dt[12], mods[32], charge[32], step[4], edits[512];
    const char *disp = "passed";
    size_t eo = 0;
    pos_text pt;
    const char *row[NCOLS(LINES_COLS)];
    if (!c837_codetable_tracks(t, ln, &cr))
      continue;
    tracked++;
    c837_format_iso_date(df, sizeof df, ln->date_from);
    c837_format_iso_date(dt, sizeof dt, ln->date_to);
    modifiers(mods, sizeof mods, ln);
    if (ln->charge_ok)
      c837_format_decimal(charge, sizeof charge, ln->charge, 2);
    else
      charge[0] = '\0';
    step[0] = '\0';
    if (cr && cr->step)
      snprintf(step, sizeof step, "%d", cr->step);
    edits[0] = '\0';
    for (k = 0; v && k < v->n_findings; k++) {
      const char *name;
      if (v->findings[k].line != i)
        continue;
      name = c837_edit_name(v->findings[k].edit);
      if (strstr(edits, name))
        continue;
      eo += (size_t)snprintf(edits + eo, sizeof edits - eo, "%s%s",
                             eo ? " " : "", name);
      if (eo >= sizeof edits)
        eo = sizeof edits - 1;
    }
    if (v && v->disposition == C837_DISP_HELD) {
      disp = "held";
    } else if (v) {
      for (k = 0; k < v->n_fixes; k++)
        if (v->fixes[k].line == i) {
          disp = v->fixes[k].kind == C837_FIX_REMOVE ? "removed" : "fixed";
          if (v->fixes[k].kind == C837_FIX_REMOVE)
            break;
        }
    }
    line_pos(&pt, c, i);
    row[0] = file;
    row[1] = c->id;
    row[2] = ln->lx;
    row[3] = ln->code;
    row[4] = df;
    row[5] = dt;
    row[6] = ln->units_raw;
    row[7] = c->patient_key;
    row[8] = c->billing.id;
    row[9] = c837_kind_name(c->kind);
    row[10] = c->tob;
    row[11] = ln->revenue;
    row[12] = mods;
    row[13] = charge;
    row[14] = cr ? c837_family_name(cr->family) : "";
    row[15] = step;
    row[16] = edits;
    row[17] = disp;
    row[18] = isa;
    row[19] = gs;
    row[20] = st;
    row[21] = pt.seg;
    row[22] = pt.off;
    if (put_row(r->lf, row, NCOLS(row)) != 0)
      fail_on(r, &r->lines);
  }
  return r->failed ? -1 : tracked;
}

static int envelope_row(c837_report *r, const char *file,
                        const c837_envelope *env, const char *detail,
                        uint64_t segment, uint64_t offset)
{
  char seg[24], off[24];
  const char *row[NCOLS(FINDINGS_COLS)];
  size_t i;
  snprintf(seg, sizeof seg, "%llu", (unsigned long long)segment);
  snprintf(off, sizeof off, "%llu", (unsigned long long)offset);
  for (i = 0; i < NCOLS(row); i++)
    row[i] = "";
  row[0] = file;
  row[7] = c837_edit_name(C837_EDIT_ENVELOPE_INVALID);
  row[8] = c837_severity_name(C837_SEV_ERROR);
  row[9] = c837_action_name(C837_ACT_FLAGGED);
  row[10] = detail;
  if (env) {
    row[19] = env->isa13;
    row[20] = env->gs06;
    row[21] = env->st02;
  }
  row[22] = seg;
  row[23] = off;
  if (put_row(r->ff, row, NCOLS(row)) != 0)
    fail_on(r, &r->findings);
  return r->failed ? -1 : 0;
}

int c837_report_problem(c837_report *r, const char *file,
                        const c837_envelope *env, const c837_problem *p)
{
  char detail[400];
  snprintf(detail, sizeof detail, "%s: %s", p->code, p->msg);
  return envelope_row(r, file, env, detail, p->segment, p->offset);
}

int c837_report_file_error(c837_report *r, const char *file,
                           const c837_error *e)
{
  char detail[400];
  snprintf(detail, sizeof detail, "%s: %.360s", c837_status_name(e->code),
           e->msg);
  return envelope_row(r, file, NULL, detail, e->segment, e->offset);
}

int c837_report_mark(c837_report *r)
{
  if (fflush(r->ff) != 0 || (r->mark_f = ftello(r->ff)) < 0)
    fail_on(r, &r->findings);
  if (fflush(r->lf) != 0 || (r->mark_l = ftello(r->lf)) < 0)
    fail_on(r, &r->lines);
  return r->failed ? -1 : 0;
}

/* Cuts one report file back to off. */
static int cut(FILE *fp, off_t off)
{
  if (fflush(fp) != 0 || ftruncate(fileno(fp), off) != 0 ||
      fseeko(fp, off, SEEK_SET) != 0)
    return -1;
  return 0;
}

int c837_report_rollback(c837_report *r)
{
  if (cut(r->ff, r->mark_f) != 0)
    fail_on(r, &r->findings);
  if (cut(r->lf, r->mark_l) != 0)
    fail_on(r, &r->lines);
  return r->failed ? -1 : 0;
}

void c837_report_error(const c837_report *r, c837_error *err)
{
  c837_error_set(err, C837_EIO, 0, 0, "%s",
                 r && r->why[0] ? r->why : "cannot write the reports");
}

c837_status c837_report_commit(c837_report *r, c837_error *err)
{
  c837_status a, b;
  c837_error e2;
  if (r->failed) {
    c837_report_error(r, err);
    c837_report_abort(r);
    return C837_EIO;
  }
  a = c837_out_commit(&r->findings, err);
  b = c837_out_commit(&r->lines, a == C837_OK ? err : &e2);
  free(r);
  return a != C837_OK ? a : b;
}

void c837_report_abort(c837_report *r)
{
  if (!r)
    return;
  c837_out_abort(&r->findings);
  c837_out_abort(&r->lines);
  free(r);
}
