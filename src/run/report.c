/* report.c -- findings.csv and lines.csv
 *
 * The annotated reports of a run.  Both files are tables of columns over
 * one row struct (report_row), written by csvschema.c with libcsv
 * (csv_fwrite quotes every field and doubles embedded quotes; rows end
 * in CRLF as RFC 4180 asks).  Both files are written to temporary files
 * and appear under their names only when the run commits them.
 *
 * findings.csv: one row per finding (engine findings, and envelope
 *   problems as ENVELOPE_INVALID), numbered 1, 2, ... in the file's
 *   order (column id: episodes.csv and report.html name findings by it),
 *   with the claim's and the line's charges, payer class and
 *   disposition.
 * lines.csv: one row per CAR-T or watch-code service line.
 * The columns are listed in findings_cols and lines_cols below and in
 * README.md; their order is part of the interface.
 *
 * When the run gives the reports its audit (c837_report_set_audit),
 * every row and claim is handed on to it for report.html and
 * episodes.csv (audit.h), and its mark and rollback follow the reports'.
 */
#include "run/report.h"
#include "run/audit.h"
#include "run/sink.h"
#include "base/csvschema.h"
#include "base/err.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* One row of either report: the claim's fields, the line's, where it is
 * in the input, and the fields of a finding (findings.csv) or of a
 * line's outcome (lines.csv).  A pointer left NULL is an empty field. */
typedef struct report_row {
  /* the claim */
  const char *file, *claim_id, *patient, *provider, *claim_type,
      *type_of_bill, *interchange, *group, *transaction;
  /* the line (empty fields and zero dates without one) */
  const char *line, *code, *units, *revenue, *family;
  int32_t date_from, date_to;
  char modifiers[32];     /* joined with ':' */
  int charge_ok;          /* 0: charge is an empty field */
  int64_t charge;         /* cents */
  int step;               /* 0: an empty field */
  /* the segment of the line, or of the claim (has_pos 0: both empty) */
  int has_pos;
  uint64_t segment, offset;
  /* a finding (findings.csv) */
  const char *edit, *severity, *action, *detail, *carc, *rarc, *before,
      *after;
  /* the line's outcome (lines.csv) */
  char edits[512];        /* its edits' names, each once, joined by ' ' */
  const char *disposition;
  /* findings.csv: the row's number, the claim's charge (CLM02), payer
   * class and disposition (as it went) */
  int64_t id;
  int claim_charge_ok;
  int64_t claim_charge;
  const char *payer_class, *claim_disposition;
} report_row;

/* segment, offset: the number, or empty without a position. */
static const char *fmt_pos(const c837_csvcol *col, const void *row,
                           char *buf, size_t bufsz)
{
  uint64_t v;
  buf[0] = '\0';
  if (((const report_row *)row)->has_pos) {
    memcpy(&v, (const char *)row + col->offset, sizeof v);
    snprintf(buf, bufsz, "%llu", (unsigned long long)v);
  }
  return buf;
}

/* charge: a decimal of 2 places ("0" too), or empty when not parsed. */
static const char *fmt_charge(const c837_csvcol *col, const void *row,
                              char *buf, size_t bufsz)
{
  const report_row *r = row;
  (void)col;
  buf[0] = '\0';
  if (r->charge_ok)
    c837_format_decimal(buf, bufsz, r->charge, 2);
  return buf;
}

/* claim_charge: as charge, for the claim's CLM02. */
static const char *fmt_claim_charge(const c837_csvcol *col, const void *row,
                                    char *buf, size_t bufsz)
{
  const report_row *r = row;
  (void)col;
  buf[0] = '\0';
  if (r->claim_charge_ok)
    c837_format_decimal(buf, bufsz, r->claim_charge, 2);
  return buf;
}

#define STR(m) {.name = #m, .type = C837_COL_CSTR, C837_COL_AT(report_row, m)}
#define DATE(m) {.name = #m, .type = C837_COL_DATE, C837_COL_AT(report_row, m)}
#define POS(m)                                                           \
  {.name = #m, .type = C837_COL_CUSTOM, C837_COL_AT(report_row, m),       \
   .format = fmt_pos}

/* The columns of findings.csv, in file order. */
static const c837_csvcol findings_cols[] = {
    STR(file),      STR(claim_id),    STR(line),        STR(code),
    DATE(date_from), DATE(date_to),   STR(units),       STR(edit),
    STR(severity),  STR(action),      STR(detail),      STR(carc),
    STR(rarc),      STR(before),      STR(after),       STR(patient),
    STR(provider),  STR(claim_type),  STR(type_of_bill), STR(interchange),
    STR(group),     STR(transaction), POS(segment),     POS(offset),
    {.name = "id", .type = C837_COL_INT, C837_COL_AT(report_row, id),
     .min = 0, .max = INT64_MAX},
    {.name = "claim_charge", .type = C837_COL_CUSTOM,
     C837_COL_AT(report_row, claim_charge), .format = fmt_claim_charge},
    {.name = "line_charge", .type = C837_COL_CUSTOM,
     C837_COL_AT(report_row, charge), .format = fmt_charge},
    STR(payer_class), STR(claim_disposition)};

/* The columns of lines.csv, in file order. */
static const c837_csvcol lines_cols[] = {
    STR(file),        STR(claim_id),     STR(line),        STR(code),
    DATE(date_from),  DATE(date_to),     STR(units),       STR(patient),
    STR(provider),    STR(claim_type),   STR(type_of_bill), STR(revenue),
    {.name = "modifiers", .type = C837_COL_BYTES,
     C837_COL_AT(report_row, modifiers)},
    {.name = "charge", .type = C837_COL_CUSTOM,
     C837_COL_AT(report_row, charge), .format = fmt_charge},
    STR(family),
    {.name = "step", .type = C837_COL_INT, C837_COL_AT(report_row, step),
     .min = 0, .max = 4, .flags = C837_COL_ZERO_EMPTY},
    {.name = "edits", .type = C837_COL_BYTES,
     C837_COL_AT(report_row, edits)},
    STR(disposition), STR(interchange),  STR(group),       STR(transaction),
    POS(segment),     POS(offset)};

#undef STR
#undef DATE
#undef POS

/* Both are opened in spreadsheets: formula-safe (see csvschema.h). */
static const c837_csvschema findings_schema = {
    findings_cols, sizeof findings_cols / sizeof findings_cols[0],
    sizeof(report_row), C837_CSV_FORMULA_SAFE, "empty", NULL};
static const c837_csvschema lines_schema = {
    lines_cols, sizeof lines_cols / sizeof lines_cols[0], sizeof(report_row),
    C837_CSV_FORMULA_SAFE, "empty", NULL};

/* Rows end in CRLF (RFC 4180). */
#define EOL "\r\n"

struct c837_report {
  c837_out findings, lines;
  FILE *ff, *lf;
  off_t mark_f, mark_l; /* c837_report_mark */
  int64_t next_id, mark_id; /* findings.csv's ids: the last one given */
  c837_audit *audit;    /* NULL: none (borrowed) */
  int failed;
  int nomem;            /* the audit failed for the file only (out of
                           memory, a spool write): the file fails, and
                           c837_report_rollback ends this state */
  int was_nomem;        /* and c837_report_error gives nomem_err until
                           the next c837_report_mark */
  c837_error nomem_err;
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

/* Marks the reports failed with the audit's reason. */
static void fail_audit(c837_report *r)
{
  c837_error e;
  if (r->failed || r->nomem)
    return;
  c837_audit_error(r->audit, &e);
  if (c837_audit_file_failed(r->audit)) {
    r->nomem = r->was_nomem = 1;
    r->nomem_err = e;
  } else {
    snprintf(r->why, sizeof r->why, "%.290s", e.msg);
    r->failed = 1;
  }
}

/* Hands finding row `row` (of claim seq, 0 for none; outcome as
 * c837_audit_outcome) to the audit. */
static void audit_row(c837_report *r, const report_row *row, uint64_t seq,
                      const c837_finding *f, uint32_t outcome,
                      c837_payer_class cls, c837_disposition disp)
{
  c837_afinding af;
  memset(&af, 0, sizeof af);
  af.id = (uint64_t)row->id;
  af.seq = seq;
  af.edit = f ? (uint32_t)f->edit : C837_EDIT_ENVELOPE_INVALID;
  af.severity = f ? (uint32_t)f->severity : C837_SEV_ERROR;
  af.action = f ? (uint32_t)f->action : C837_ACT_FLAGGED;
  af.outcome = outcome;
  af.payer_class = (uint32_t)cls;
  af.disp = (uint32_t)disp;
  af.date_from = row->date_from;
  af.date_to = row->date_to;
  af.line_charge = row->charge;
  af.line_charge_ok = (uint32_t)row->charge_ok;
  af.claim_charge = row->claim_charge;
  af.claim_charge_ok = (uint32_t)row->claim_charge_ok;
  af.has_pos = (uint32_t)row->has_pos;
  af.claim_id = row->claim_id;
  af.patient = row->patient;
  af.provider = row->provider;
  af.line = row->line;
  af.code = row->code;
  af.units = row->units;
  af.before = row->before;
  af.after = row->after;
  af.detail = row->detail;
  af.interchange = row->interchange;
  af.group = row->group;
  af.transaction = row->transaction;
  af.segment = row->segment;
  af.offset = row->offset;
  if (c837_audit_finding(r->audit, row->file, &af) != 0)
    fail_audit(r);
}

/* One row of findings.csv / lines.csv. */
static void put_finding(c837_report *r, const report_row *row)
{
  if (c837_csvschema_write_row(&findings_schema, row, r->ff, EOL) != 0)
    fail_on(r, &r->findings);
}

static void put_line(c837_report *r, const report_row *row)
{
  if (c837_csvschema_write_row(&lines_schema, row, r->lf, EOL) != 0)
    fail_on(r, &r->lines);
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
  if (c837_csvschema_write_header(&findings_schema, r->ff, EOL) != 0)
    fail_on(r, &r->findings);
  if (c837_csvschema_write_header(&lines_schema, r->lf, EOL) != 0)
    fail_on(r, &r->lines);
  /* a seek makes stdio know the position, so that c837_report_mark's
   * ftello asks no syscall of its own, file after file */
  if (fseeko(r->ff, 0, SEEK_CUR) != 0)
    fail_on(r, &r->findings);
  if (fseeko(r->lf, 0, SEEK_CUR) != 0)
    fail_on(r, &r->lines);
  return r;
}

/* The fields of claim c (read from file); the rest of row is cleared. */
static void claim_fields(report_row *row, const char *file,
                         const c837_claim *c)
{
  memset(row, 0, sizeof *row);
  row->file = file;
  row->claim_id = c->id;
  row->patient = c->patient_key;
  row->provider = c->billing.id;
  row->claim_type = c837_kind_name(c->kind);
  row->type_of_bill = c->tob;
  if (c->env) {
    row->interchange = c->env->isa13;
    row->group = c->env->gs06;
    row->transaction = c->env->st02;
  }
}

/* The fields of line li of c (C837_NO_INDEX, or any index out of range:
 * the claim itself, with empty line fields), and its position: the
 * line's SV1/SV2 segment (else its LX), or the claim's first segment. */
static void line_fields(report_row *row, const c837_claim *c, size_t li)
{
  const c837_line *ln = li < c->n_lines ? &c->lines[li] : NULL;
  const c837_segment *s = c->n_segs ? &c->segs[0] : NULL;
  size_t i, o = 0;
  row->line = ln ? ln->lx : NULL;
  row->code = ln ? ln->code : NULL;
  row->units = ln ? ln->units_raw : NULL;
  row->revenue = ln ? ln->revenue : NULL;
  row->date_from = ln ? ln->date_from : 0;
  row->date_to = ln ? ln->date_to : 0;
  row->charge_ok = ln && ln->charge_ok;
  row->charge = ln ? ln->charge : 0;
  row->modifiers[0] = '\0';
  for (i = 0; ln && i < 4 && ln->mod[i][0]; i++)
    o += (size_t)snprintf(row->modifiers + o, sizeof row->modifiers - o,
                          "%s%s", i ? ":" : "", ln->mod[i]);
  if (ln && s) {
    size_t k = ln->seg_sv != C837_NO_INDEX ? ln->seg_sv : ln->seg_first;
    if (k < c->n_segs)
      s = &c->segs[k];
  }
  row->has_pos = s != NULL;
  row->segment = s ? s->number : 0;
  row->offset = s ? s->offset + s->lead : 0;
}

static void finding_fields(report_row *row, const c837_finding *f)
{
  row->edit = c837_edit_name(f->edit);
  row->severity = c837_severity_name(f->severity);
  row->action = c837_action_name(f->action);
  row->detail = f->detail;
  row->carc = f->carc;
  row->rarc = f->rarc;
  row->before = f->before;
  row->after = f->after;
}

/* The names of the edits that found something on line li, each once, in
 * the order of their first finding, into edits (cut at its size). */
static void line_edits(char *edits, size_t sz, const c837_verdict *v,
                       size_t li)
{
  size_t k, eo = 0;
  edits[0] = '\0';
  for (k = 0; v && k < v->n_findings; k++) {
    const char *name;
    if (v->findings[k].line != li)
      continue;
    name = c837_edit_name(v->findings[k].edit);
    if (strstr(edits, name))
      continue;
    eo += (size_t)snprintf(edits + eo, sz - eo, "%s%s", eo ? " " : "",
                           name);
    if (eo >= sz)
      eo = sz - 1;
  }
}

/* What became of line li: held (the claim), removed, fixed or passed. */
static const char *line_disposition(const c837_verdict *v, size_t li)
{
  const char *disp = "passed";
  size_t k;
  if (v && v->disposition == C837_DISP_HELD)
    return "held";
  for (k = 0; v && k < v->n_fixes; k++)
    if (v->fixes[k].line == li) {
      if (v->fixes[k].kind == C837_FIX_REMOVE)
        return "removed";
      disp = "fixed";
    }
  return disp;
}

void c837_report_set_audit(c837_report *r, c837_audit *a)
{
  r->audit = a;
}

long c837_report_clean_claim(c837_report *r, const char *file,
                             const c837_claim *c, const c837_verdict *v)
{
  c837_payer_class cls = C837_PAYER_UNKNOWN;
  c837_disposition disp = v->disposition;
  if (r->audit) {
    c837_audit_facts(r->audit, c, v, &cls, &disp);
    if (!r->failed && !r->nomem &&
        c837_audit_claim(r->audit, file, c, v, (uint64_t)(r->next_id + 1),
                         cls, disp, 0) != 0)
      fail_audit(r);
  }
  return r->failed || r->nomem ? -1 : 0;
}

long c837_report_passed(c837_report *r, const char *file,
                        const char *provider, const char *provider_name,
                        c837_payer_class cls)
{
  if (r->audit && !r->failed && !r->nomem &&
      c837_audit_passed(r->audit, file, provider, provider_name, cls) != 0)
    fail_audit(r);
  return r->failed || r->nomem ? -1 : 0;
}

long c837_report_claim(c837_report *r, const char *file,
                       const c837_claim *c, const c837_verdict *v,
                       const c837_codetable *t)
{
  report_row row;
  size_t i;
  long tracked = 0;
  c837_payer_class cls = C837_PAYER_UNKNOWN;
  c837_disposition disp = v ? v->disposition : C837_DISP_PASSED;
  int64_t first_id = r->next_id + 1;
  uint64_t seq = 0;

  if (r->audit && v) {
    c837_audit_facts(r->audit, c, v, &cls, &disp);
    seq = c837_audit_next_seq(r->audit);
  }
  claim_fields(&row, file, c);
  row.claim_charge_ok = c->total_ok;
  row.claim_charge = c->total;
  row.payer_class = r->audit ? c837_payer_class_name(cls) : NULL;
  row.claim_disposition = c837_disposition_name(disp);
  for (i = 0; v && i < v->n_findings; i++) {
    line_fields(&row, c, v->findings[i].line);
    finding_fields(&row, &v->findings[i]);
    row.id = ++r->next_id;
    put_finding(r, &row);
    if (r->audit)
      audit_row(r, &row, seq, &v->findings[i],
                c837_audit_outcome(v, disp, v->findings[i].line), cls,
                disp);
  }
  for (i = 0; i < c->n_lines; i++) {
    const c837_code *cr;
    if (!c837_codetable_tracks(t, &c->lines[i], &cr))
      continue;
    tracked++;
    line_fields(&row, c, i);
    row.family = cr ? c837_family_name(cr->family) : NULL;
    row.step = cr ? cr->step : 0;
    line_edits(row.edits, sizeof row.edits, v, i);
    row.disposition = line_disposition(v, i);
    put_line(r, &row);
  }
  if (r->audit && v && !r->failed && !r->nomem &&
      c837_audit_claim(r->audit, file, c, v, (uint64_t)first_id, cls, disp,
                       (size_t)tracked) != 0)
    fail_audit(r);
  return r->failed || r->nomem ? -1 : tracked;
}

/* An ENVELOPE_INVALID finding of file (env: its envelope, or NULL) at
 * segment and offset, of severity sev. */
static int envelope_row(c837_report *r, const char *file,
                        const c837_envelope *env, const char *detail,
                        uint64_t segment, uint64_t offset, c837_severity sev)
{
  report_row row;
  memset(&row, 0, sizeof row);
  row.file = file;
  row.edit = c837_edit_name(C837_EDIT_ENVELOPE_INVALID);
  row.severity = c837_severity_name(sev);
  row.action = c837_action_name(C837_ACT_FLAGGED);
  row.detail = detail;
  if (env) {
    row.interchange = env->isa13;
    row.group = env->gs06;
    row.transaction = env->st02;
  }
  row.has_pos = 1;
  row.segment = segment;
  row.offset = offset;
  row.id = ++r->next_id;
  put_finding(r, &row);
  if (r->audit)
    audit_row(r, &row, 0, NULL, C837_AT_FLAGGED, C837_PAYER_UNKNOWN,
              C837_DISP_PASSED);
  return r->failed || r->nomem ? -1 : 0;
}

int c837_report_problem(c837_report *r, const char *file,
                        const c837_envelope *env, const c837_problem *p)
{
  char detail[400];
  snprintf(detail, sizeof detail, "%s: %s", p->code, p->msg);
  /* the problem's own severity (LX_MISSING is a warning) */
  return envelope_row(r, file, env, detail, p->segment, p->offset,
                      p->severity);
}

int c837_report_file_error(c837_report *r, const char *file,
                           const c837_error *e)
{
  char detail[400];
  snprintf(detail, sizeof detail, "%s: %.360s", c837_status_name(e->code),
           e->msg);
  return envelope_row(r, file, NULL, detail, e->segment, e->offset,
                      C837_SEV_ERROR);
}

int c837_report_mark(c837_report *r)
{
  r->mark_id = r->next_id;
  r->was_nomem = 0;
  if (r->audit && c837_audit_mark(r->audit) != 0)
    fail_audit(r);
  /* the position as written so far, buffered bytes included: no flush
   * per file (a write error fails the reports when it happens; a
   * rollback flushes before it cuts) */
  if ((r->mark_f = ftello(r->ff)) < 0)
    fail_on(r, &r->findings);
  if ((r->mark_l = ftello(r->lf)) < 0)
    fail_on(r, &r->lines);
  return r->failed || r->nomem ? -1 : 0;
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
  r->next_id = r->mark_id;
  r->nomem = 0;
  if (r->audit && c837_audit_rollback(r->audit) != 0)
    fail_audit(r);
  if (cut(r->ff, r->mark_f) != 0)
    fail_on(r, &r->findings);
  if (cut(r->lf, r->mark_l) != 0)
    fail_on(r, &r->lines);
  return r->failed || r->nomem ? -1 : 0;
}

void c837_report_error(const c837_report *r, c837_error *err)
{
  if (r && !r->failed && r->was_nomem)
    *err = r->nomem_err;
  else
    c837_error_set(err, C837_EIO, 0, 0, "%s",
                   r && r->why[0] ? r->why : "cannot write the reports");
}

c837_status c837_report_commit(c837_report *r, c837_error *err)
{
  c837_status a, b;
  c837_error e2;
  if (r->failed || r->nomem) {
    c837_report_error(r, err);
    c837_report_abort(r);
    return err->code;
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
