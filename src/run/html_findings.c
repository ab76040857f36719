/* html_findings.c -- report.html: every finding, and the claims fixed
 * and held with their segments (html.h)
 *
 * Findings are listed by edit (in the order of C837_EDIT_MAP), then by
 * input file, then by id: one collapsible group per edit and file, cut
 * into pages of C837_HTML_PAGE_ROWS rows that open one at a time, so
 * that a page with 100,000 findings lays out only what is opened.  Each
 * row is one row of findings.csv (tr id "fID"; the columns named by the
 * th's data-c), with a link to its claim when the claim was fixed or
 * held.  At most C837_HTML_MAX_FINDINGS rows are listed (audit_model.c);
 * the page says how many it leaves to findings.csv.
 *
 * The claims fixed and held follow, in run order: each with its
 * segments as they came in and, when fixed, as they went out (the lines
 * the fixes changed marked), one segment a line, cut at
 * C837_HTML_CLAIM_BYTES with a mark saying how much is not shown, or --
 * past the page's C837_HTML_SEGMENT_BYTES -- with where the claim is in
 * its input instead.
 */
#include "run/html.h"
#include "base/buf.h"
#include "base/limits.h"

#include <stdlib.h>
#include <string.h>

/* The columns of a findings table: data-c name and heading. */
static const char *const fcols[][2] = {
    {"id", "id"},           {"claim_id", "claim"},
    {"patient", "patient"}, {"provider", "provider"},
    {"line", "line"},       {"code", "code"},
    {"date_from", "from"},  {"date_to", "to"},
    {"units", "units"},     {"before", "before"},
    {"after", "after"},     {"line_charge", "charge"},
    {"action", "action"},   {"severity", "severity"},
    {"detail", "detail"}};

static void table_head(FILE *fp)
{
  size_t i;
  fputs("<table class=\"fnd\">\n<thead><tr>", fp);
  for (i = 0; i < sizeof fcols / sizeof fcols[0]; i++)
    fprintf(fp, "<th data-c=\"%s\">%s</th>", fcols[i][0], fcols[i][1]);
  fputs("</tr></thead>\n<tbody>\n", fp);
}

/* <td>text</td> */
static void td(FILE *fp, const char *s)
{
  fputs("<td>", fp);
  c837_html_esc(fp, s);
  fputs("</td>", fp);
}

static void date_td(FILE *fp, int32_t d)
{
  fputs("<td>", fp);
  c837_html_date(fp, d);
  fputs("</td>", fp);
}

/* One finding row.  0 or -1 (the record could not be read). */
static int row(FILE *fp, c837_audit *a, const c837_listed *l)
{
  c837_afinding f;
  const char *act;
  if (c837_audit_read_finding(a, l->off, &f) != 0)
    return -1;
  act = c837_action_name((c837_action)f.action);
  fprintf(fp, "<tr class=\"f\" id=\"f%llu\"><td>%llu</td><td>",
          (unsigned long long)f.id, (unsigned long long)f.id);
  if (f.seq && f.disp != C837_DISP_PASSED) {
    fprintf(fp, "<a href=\"#c%llu\">", (unsigned long long)f.seq);
    c837_html_esc(fp, f.claim_id);
    fputs("</a>", fp);
  } else {
    c837_html_esc(fp, f.claim_id);
  }
  fputs("</td>", fp);
  td(fp, f.patient);
  td(fp, f.provider);
  td(fp, f.line);
  td(fp, f.code);
  date_td(fp, f.date_from);
  date_td(fp, f.date_to);
  td(fp, f.units);
  td(fp, f.before);
  td(fp, f.after);
  if (f.line_charge_ok)
    c837_html_money_td(fp, NULL, f.line_charge);
  else
    fputs("<td></td>", fp);
  fprintf(fp, "<td class=\"a-%s\">%s</td><td>%s</td>", act, act,
          c837_severity_name((c837_severity)f.severity));
  td(fp, f.detail);
  fputs("</tr>\n", fp);
  return 0;
}

/* The rows listed[from .. to) of one group, in pages.  0 or -1. */
static int group_rows(FILE *fp, c837_audit *a, const c837_audit_model *m,
                      size_t from, size_t to)
{
  size_t i;
  for (i = from; i < to; i++) {
    size_t k = i - from;
    if (k % C837_HTML_PAGE_ROWS == 0) {
      if (k) /* the next page, opened on demand */
        fprintf(fp, "</tbody></table>\n<details class=\"page\"><summary>"
                    "findings %lu to %lu of %lu</summary>\n",
                (unsigned long)k + 1,
                (unsigned long)(k + C837_HTML_PAGE_ROWS < to - from
                                    ? k + C837_HTML_PAGE_ROWS
                                    : to - from),
                (unsigned long)(to - from));
      table_head(fp);
    }
    if (row(fp, a, &m->listed[i]) != 0)
      return -1;
  }
  fputs("</tbody></table>\n", fp);
  for (i = C837_HTML_PAGE_ROWS; i < to - from; i += C837_HTML_PAGE_ROWS)
    fputs("</details>\n", fp);
  return 0;
}

/* One file's group of an edit: listed[from .. to).  0 or -1. */
static int file_group(FILE *fp, c837_audit *a, const c837_audit_model *m,
                      size_t from, size_t to)
{
  const c837_listed *l = &m->listed[from];
  const char *edit = c837_edit_name((c837_edit)l->edit);
  const char *name = c837_audit_file_name(a, l->file);
  fprintf(fp, "<details class=\"grp\" id=\"g-%s-%lu\" data-file=\"", edit,
          (unsigned long)l->file);
  c837_html_esc(fp, name);
  fprintf(fp, "\"%s><summary>", to - from <= 50 ? " open" : "");
  c837_html_esc(fp, name);
  fprintf(fp, ": %lu finding%s</summary>\n", (unsigned long)(to - from),
          to - from == 1 ? "" : "s");
  if (group_rows(fp, a, m, from, to) != 0)
    return -1;
  fputs("</details>\n", fp);
  return 0;
}

/* One edit: listed[from .. to), its groups by file.  0 or -1. */
static int edit_group(FILE *fp, c837_audit *a, const c837_audit_model *m,
                      size_t from, size_t to)
{
  c837_edit e = (c837_edit)m->listed[from].edit;
  const c837_edit_def *d = c837_edit_info(e);
  const c837_edit_money *em = &m->edit[e];
  size_t i, j;
  fprintf(fp, "<details class=\"edit\" id=\"e-%s\" data-edit=\"%s\"%s>"
              "<summary><b>%s</b>: %llu finding%s on %llu claim%s, claim "
              "charges <span",
          d->name, d->name, m->n_listed <= 300 ? " open" : "", d->name,
          (unsigned long long)em->findings, em->findings == 1 ? "" : "s",
          (unsigned long long)em->claims, em->claims == 1 ? "" : "s");
  c837_html_money(fp, em->claim_charges);
  fprintf(fp, "</span></summary>\n<p class=\"note\">By default %s, %s; "
              "CARC %s, RARC %s (specs/edits.md).</p>\n",
          c837_severity_name(d->severity), c837_action_name(d->action),
          d->carc[0] ? d->carc : "none", d->rarc[0] ? d->rarc : "none");
  for (i = from; i < to; i = j) {
    for (j = i; j < to && m->listed[j].file == m->listed[i].file; j++)
      ;
    if (file_group(fp, a, m, i, j) != 0)
      return -1;
  }
  fputs("</details>\n", fp);
  return 0;
}

/* Per file, how many listed findings of each edit, with links.  0, or
 * -1 out of memory. */
static int by_file(FILE *fp, c837_audit *a, const c837_audit_model *m)
{
  size_t f, i;
  int e;
  uint32_t *n = calloc(m->n_file ? m->n_file * C837_EDIT_COUNT : 1,
                       sizeof *n);
  if (!n)
    return -1;
  for (i = 0; i < m->n_listed; i++)
    if (m->listed[i].file < m->n_file)
      n[m->listed[i].file * C837_EDIT_COUNT + m->listed[i].edit]++;
  fputs("<table>\n<thead><tr><th>file</th><th class=\"n\">findings</th>"
        "<th>by edit</th></tr></thead>\n<tbody>\n",
        fp);
  for (f = 0; f < m->n_file; f++) {
    const uint32_t *k = &n[f * C837_EDIT_COUNT];
    uint64_t all = 0;
    int any = 0;
    for (e = 0; e < C837_EDIT_COUNT; e++)
      all += k[e];
    if (!all)
      continue;
    fputs("<tr><td>", fp);
    c837_html_esc(fp, c837_audit_file_name(a, (uint32_t)f));
    fprintf(fp, "</td><td class=\"n\">%llu</td><td>",
            (unsigned long long)all);
    for (e = 0; e < C837_EDIT_COUNT; e++)
      if (k[e])
        fprintf(fp, "%s<a href=\"#g-%s-%lu\">%s</a>&nbsp;%lu",
                any++ ? ", " : "", c837_edit_name((c837_edit)e),
                (unsigned long)f, c837_edit_name((c837_edit)e),
                (unsigned long)k[e]);
    fputs("</td></tr>\n", fp);
  }
  fputs("</tbody></table>\n", fp);
  free(n);
  return 0;
}

int c837_html_findings(FILE *fp, c837_audit *a, const c837_audit_model *m)
{
  size_t i, j;
  fputs("<h2 id=\"findings\">Findings</h2>\n", fp);
  if (m->n_listed < m->rows)
    fprintf(fp, "<p class=\"warn\" data-k=\"findings.cut\">This page lists "
                "the first %lu of the %llu finding rows; the other %llu are "
                "in findings.csv (counted in every figure above).</p>\n",
            (unsigned long)m->n_listed, (unsigned long long)m->rows,
            (unsigned long long)(m->rows - m->n_listed));
  fprintf(fp, "<p><span data-k=\"findings.listed\">%lu</span> finding "
              "row(s), as in findings.csv (its id is the row's id), grouped "
              "by edit and then by file.  A claim id links to the claim's "
              "segments when the claim was fixed or held.</p>\n",
          (unsigned long)m->n_listed);
  if (!m->n_listed)
    return 0;
  if (by_file(fp, a, m) != 0)
    return -1;
  fputs("<div id=\"flist\">\n", fp);
  for (i = 0; i < m->n_listed; i = j) {
    for (j = i; j < m->n_listed && m->listed[j].edit == m->listed[i].edit;
         j++)
      ;
    if (edit_group(fp, a, m, i, j) != 0)
      return -1;
  }
  fputs("</div>\n", fp);
  return 0;
}

/* ---- claims fixed and held ---------------------------------------- */

/* One segment of a claim's bytes: p[0 .. n), without the whitespace
 * around it, terminator included. */
typedef struct piece {
  const char *p;
  size_t n;
} piece;

/* Cuts p[0 .. n) into segments at terminator term into v (a c837_buf of
 * pieces).  0 or -1. */
static int pieces(c837_buf *v, const char *p, size_t n, char term)
{
  size_t i = 0;
  c837_buf_clear(v);
  while (i < n) {
    piece s;
    const char *e;
    while (i < n && (p[i] == '\r' || p[i] == '\n' || p[i] == ' '))
      i++;
    if (i == n)
      break;
    e = memchr(p + i, term, n - i);
    s.p = p + i;
    s.n = e ? (size_t)(e - s.p) + 1 : n - i;
    if (c837_buf_put(v, &s, sizeof s) != 0)
      return -1;
    i += s.n;
  }
  return 0;
}

/* Writes segments v as lines; those not among `in` (when given) are
 * marked changed. */
static void show(FILE *fp, const c837_buf *v, const c837_buf *in)
{
  const piece *s = (const piece *)(const void *)v->p;
  const piece *o = in ? (const piece *)(const void *)in->p : NULL;
  size_t n = v->len / sizeof *s, no = in ? in->len / sizeof *o : 0, i, k;
  for (i = 0; i < n; i++) {
    int same = !in;
    for (k = 0; k < no && !same; k++)
      same = o[k].n == s[i].n && memcmp(o[k].p, s[i].p, s[i].n) == 0;
    fputs(same ? "<span>" : "<span class=\"chg\">", fp);
    c837_html_esc_bytes(fp, s[i].p, s[i].n);
    fputs("</span>\n", fp);
  }
}

/* The mark where a claim's bytes were cut. */
static void cut_mark(FILE *fp, size_t shown, uint64_t total,
                     const char *where, const char *file)
{
  if (total <= shown)
    return;
  fprintf(fp, "<span class=\"cut\">[cut here: %llu more byte(s) not shown; "
              "report.html keeps %u bytes of a claim each way -- the whole "
              "claim is in %s",
          (unsigned long long)(total - shown), C837_HTML_CLAIM_BYTES, where);
  c837_html_esc(fp, file);
  fputs("]</span>\n", fp);
}

/* What the claims pass needs. */
typedef struct claims_ctx {
  FILE *fp;
  c837_audit *a;
  uint64_t last_id;      /* the last finding id the page lists */
  c837_buf in, out;      /* pieces */
  int failed;
} claims_ctx;

static void claim_segments(claims_ctx *x, const c837_aclaim *c,
                           const char *file)
{
  FILE *fp = x->fp;
  int fixed = c->disp == C837_DISP_FIXED;
  if (!c->kept) {
    fprintf(fp, "<p class=\"cut\">Segments not shown: the page keeps %u "
                "bytes of segments in all.  The claim's CLM is segment "
                "%llu, at byte %llu of ",
            C837_HTML_SEGMENT_BYTES, (unsigned long long)c->segment,
            (unsigned long long)c->offset);
    c837_html_esc(fp, file);
    fputs(".</p>\n", fp);
    return;
  }
  if (pieces(&x->in, c->in, c->in_len, (char)c->term) != 0 ||
      (fixed && pieces(&x->out, c->out, c->out_len, (char)c->term) != 0)) {
    x->failed = 1;
    return;
  }
  fprintf(fp, "<div class=\"segs\"><div><h4>as it came in (segment %llu, "
              "byte %llu)</h4><pre>",
          (unsigned long long)c->segment, (unsigned long long)c->offset);
  show(fp, &x->in, NULL);
  cut_mark(fp, c->in_len, c->in_total, fixed ? "the input " : "held/",
           file);
  if (fixed) {
    fputs("</pre></div><div><h4>as it went out (changed segments "
          "marked)</h4><pre>",
          fp);
    show(fp, &x->out, &x->in);
    cut_mark(fp, c->out_len, c->out_total, "the corrected ", file);
  } else {
    fputs("</pre></div><div><h4>held</h4><p>It went to held/", fp);
    c837_html_esc(fp, file);
    fputs(" exactly as it came in.</p><pre>", fp);
  }
  fputs("</pre></div></div>\n", fp);
}

static int one_claim(void *ud, const c837_aclaim *c)
{
  claims_ctx *x = ud;
  FILE *fp = x->fp;
  const char *file = c837_audit_file_name(x->a, c->file);
  uint32_t i;
  if (c->disp == C837_DISP_PASSED || !c->n_rows)
    return 0;
  if (c->first_id > x->last_id)
    return 1; /* past the findings the page lists */
  fprintf(fp, "<details class=\"claim\" id=\"c%llu\"><summary><b>",
          (unsigned long long)c->seq);
  c837_html_esc(fp, c->id);
  fprintf(fp, "</b> %s, ", c837_disposition_name((c837_disposition)c->disp));
  c837_html_esc(fp, file);
  fputs(", charge <span", fp);
  c837_html_money(fp, c->charge);
  fputs("</span>, patient ", fp);
  c837_html_esc(fp, c->patient);
  fputs(", findings", fp);
  for (i = 0; i < c->n_rows && c->first_id + i <= x->last_id; i++)
    fprintf(fp, " <a href=\"#f%llu\">%llu</a>",
            (unsigned long long)(c->first_id + i),
            (unsigned long long)(c->first_id + i));
  fputs("</summary>\n", fp);
  claim_segments(x, c, file);
  fputs("</details>\n", fp);
  return x->failed;
}

int c837_html_claims(FILE *fp, c837_audit *a, const c837_audit_model *m)
{
  claims_ctx x;
  uint64_t held = m->total.claims_at[C837_AT_HELD],
           fixed = m->total.claims_at[C837_AT_FIXED];
  int rc;
  memset(&x, 0, sizeof x);
  x.fp = fp;
  x.a = a;
  x.last_id = m->n_listed == m->rows ? UINT64_MAX : m->n_listed;
  fprintf(fp, "<h2 id=\"claims\">Claims fixed and held</h2>\n<p>%llu claim"
              "(s) held, %llu fixed: each with its segments as they came in "
              "and, when fixed, as they went out, one segment a line (at most "
              "%u bytes each way; %u bytes in all on this page).</p>\n",
          (unsigned long long)held, (unsigned long long)fixed,
          C837_HTML_CLAIM_BYTES, C837_HTML_SEGMENT_BYTES);
  rc = c837_audit_each_claim(a, one_claim, &x);
  c837_buf_free(&x.in);
  c837_buf_free(&x.out);
  return rc != 0 || x.failed ? -1 : 0;
}
