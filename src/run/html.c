/* html.c -- OUT/report.html, the run's summary for people
 *
 * One self-contained HTML5 file: inline CSS, an inline SVG bar chart of
 * findings per date of service, no script and no external resource, so
 * it opens from an archive with no network.  It shows the figures of
 * summary.txt (totals, findings per edit id, per file) plus findings per
 * day.  Every number sits in an element with a data-k attribute naming
 * it ("total.claims", "file.2.cart_lines", "edit.DUPLICATE_DAY",
 * "day.2025-04-07"), so that a test can read the rendered page and
 * compare it with summary.txt.  All text from the inputs (file names,
 * reasons) is escaped.  No clock, host or path of the run goes in: the
 * same run gives the same bytes.
 */
#include "run/summary.h"
#include "run/sink.h"
#include "base/limits.h"

#include <string.h>

/* Chart geometry, in SVG user units. */
#define HTML_CHART_W 720
#define HTML_CHART_H 200
#define HTML_CHART_PAD 30

static void esc(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '&':
      fputs("&amp;", fp);
      break;
    case '<':
      fputs("&lt;", fp);
      break;
    case '>':
      fputs("&gt;", fp);
      break;
    case '"':
      fputs("&quot;", fp);
      break;
    case '\'':
      fputs("&#39;", fp);
      break;
    default:
      if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
        fputc('?', fp);
      else
        fputc(*s, fp);
    }
  }
}

static unsigned long long u(uint64_t v)
{
  return (unsigned long long)v;
}

/* <tr><th>label</th><td data-k="prefix.key">v</td></tr> */
static void kv_row(FILE *fp, const char *label, const char *prefix,
                   const char *key, uint64_t v)
{
  fprintf(fp, "<tr><th>%s</th><td data-k=\"%s.%s\">%llu</td></tr>\n", label,
          prefix, key, u(v));
}

static void totals_table(FILE *fp, const c837_run *r)
{
  const c837_totals *t = c837_run_totals(r);
  fputs("<h2>Totals</h2>\n<table class=\"kv\">\n", fp);
  kv_row(fp, "files", "total", "files", t->files);
  kv_row(fp, "files failed", "total", "files_failed", t->files_failed);
  kv_row(fp, "files skipped", "total", "files_skipped", t->files_skipped);
  kv_row(fp, "claims read", "total", "claims", t->claims);
  kv_row(fp, "service lines", "total", "lines", t->lines);
  kv_row(fp, "CAR-T lines", "total", "cart_lines", t->cart_lines);
  kv_row(fp, "claims passed", "total", "claims_passed", t->claims_passed);
  kv_row(fp, "claims fixed", "total", "claims_fixed", t->claims_fixed);
  kv_row(fp, "claims held", "total", "claims_held", t->claims_held);
  kv_row(fp, "findings: error", "total", "error",
         t->by_severity[C837_SEV_ERROR]);
  kv_row(fp, "findings: warning", "total", "warning",
         t->by_severity[C837_SEV_WARNING]);
  kv_row(fp, "findings: info", "total", "info",
         t->by_severity[C837_SEV_INFO]);
  fputs("</table>\n", fp);
}

static void edits_table(FILE *fp, const c837_run *r)
{
  const c837_totals *t = c837_run_totals(r);
  int k;
  fputs("<h2>Findings per edit</h2>\n<table>\n"
        "<tr><th>edit</th><th class=\"n\">findings</th></tr>\n",
        fp);
  for (k = 0; k < C837_EDIT_COUNT; k++) {
    const char *name = c837_edit_name((c837_edit)k);
    fprintf(fp,
            "<tr%s><td>%s</td><td class=\"n\" data-k=\"edit.%s\">%llu</td>"
            "</tr>\n",
            t->findings[k] ? "" : " class=\"zero\"", name, name,
            u(t->findings[k]));
  }
  fputs("</table>\n", fp);
}

static void files_table(FILE *fp, const c837_run *r)
{
  static const char *const cols[] = {
      "claims",        "lines",        "cart_lines", "claims_passed",
      "claims_fixed",  "claims_held",  "error",      "warning",
      "info"};
  static const char *const heads[] = {
      "claims", "lines", "CAR-T lines", "passed", "fixed",
      "held",   "errors", "warnings",   "info"};
  size_t i, c, n = c837_run_record_count(r);
  fputs("<h2>Files</h2>\n<table>\n<tr><th>#</th><th>file</th>"
        "<th>status</th>",
        fp);
  for (c = 0; c < sizeof cols / sizeof cols[0]; c++)
    fprintf(fp, "<th class=\"n\">%s</th>", heads[c]);
  fputs("</tr>\n", fp);
  for (i = 0; i < n; i++) {
    const c837_file_rec *f = c837_run_record(r, i);
    uint64_t v[9];
    v[0] = f->t.claims;
    v[1] = f->t.lines;
    v[2] = f->t.cart_lines;
    v[3] = f->t.claims_passed;
    v[4] = f->t.claims_fixed;
    v[5] = f->t.claims_held;
    v[6] = f->t.by_severity[C837_SEV_ERROR];
    v[7] = f->t.by_severity[C837_SEV_WARNING];
    v[8] = f->t.by_severity[C837_SEV_INFO];
    fprintf(fp, "<tr%s><td>%lu</td><td data-k=\"file.%lu.name\">",
            f->skipped ? " class=\"skip\""
            : f->status != C837_OK ? " class=\"fail\""
                                   : "",
            (unsigned long)i + 1, (unsigned long)i + 1);
    esc(fp, f->name);
    fprintf(fp, "</td><td data-k=\"file.%lu.status\">", (unsigned long)i + 1);
    if (f->skipped) {
      fputs("skipped: ", fp);
      esc(fp, f->reason);
    } else if (f->status != C837_OK) {
      esc(fp, c837_status_name(f->status));
      fputs(": ", fp);
      esc(fp, f->reason);
    } else {
      fputs("ok", fp);
    }
    fputs("</td>", fp);
    for (c = 0; c < sizeof cols / sizeof cols[0]; c++) {
      if (f->skipped)
        fputs("<td class=\"n\"></td>", fp);
      else if (f->uncounted && c < 6) /* claims of a file held whole */
        fprintf(fp, "<td class=\"n\" data-k=\"file.%lu.%s\">not counted</td>",
                (unsigned long)i + 1, cols[c]);
      else
        fprintf(fp, "<td class=\"n\" data-k=\"file.%lu.%s\">%llu</td>",
                (unsigned long)i + 1, cols[c], u(v[c]));
    }
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n", fp);
}

/* The files whose every claim is held: no corrected output. */
static void no_corrected_list(FILE *fp, const c837_run *r)
{
  size_t i, n = c837_run_record_count(r), k = 0;
  for (i = 0; i < n; i++) {
    const c837_file_rec *f = c837_run_record(r, i);
    if (!f->no_corrected)
      continue;
    if (!k++)
      fputs("<h2>Files without a corrected output</h2>\n<p>Every claim "
            "of these files is held (OUT/held/): an interchange without "
            "a claim is not forwarded.</p>\n<ul>\n",
            fp);
    fprintf(fp, "<li data-k=\"file.%lu.no_corrected\">", (unsigned long)i + 1);
    esc(fp, f->name);
    fputs(": no corrected file</li>\n", fp);
  }
  if (k)
    fputs("</ul>\n", fp);
}

static void days_table(FILE *fp, const c837_run *r)
{
  size_t i, n;
  const c837_day_count *days = c837_run_days(r, &n);
  if (!n)
    return; /* said above the chart */
  fputs("<h2>Findings per date of service</h2>\n", fp);
  fputs("<table>\n<tr><th>date of service</th><th class=\"n\">findings"
        "</th></tr>\n",
        fp);
  for (i = 0; i < n; i++) {
    char d[16];
    c837_format_iso_date(d, sizeof d, days[i].date);
    fprintf(fp, "<tr><td>%s</td><td class=\"n\" data-k=\"day.%s\">%llu"
                "</td></tr>\n",
            d, d, u(days[i].count));
  }
  fputs("</table>\n", fp);
}

/* Bars in date order, evenly spaced (dates of service cluster, so a true
 * time axis would leave most bars one pixel wide). */
static void chart(FILE *fp, const c837_run *r)
{
  size_t first = 0, n, i;
  const c837_day_count *days = c837_run_days(r, &n);
  uint64_t max = 0;
  unsigned long plot_w = HTML_CHART_W - 2 * HTML_CHART_PAD;
  unsigned long plot_h = HTML_CHART_H - 2 * HTML_CHART_PAD;
  unsigned long slot;
  char d0[16], d1[16];

  if (!n)
    return;
  if (n > C837_HTML_CHART_MAX_BARS) {
    first = n - C837_HTML_CHART_MAX_BARS;
    n = C837_HTML_CHART_MAX_BARS;
  }
  for (i = first; i < first + n; i++)
    if (days[i].count > max)
      max = days[i].count;
  slot = plot_w / n ? plot_w / n : 1;
  c837_format_iso_date(d0, sizeof d0, days[first].date);
  c837_format_iso_date(d1, sizeof d1, days[first + n - 1].date);
  fprintf(fp,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
          "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
          "aria-label=\"findings per date of service\">\n",
          HTML_CHART_W, HTML_CHART_H, HTML_CHART_W, HTML_CHART_H);
  fprintf(fp,
          "<line x1=\"%d\" y1=\"%lu\" x2=\"%lu\" y2=\"%lu\" "
          "stroke=\"#555\"/>\n",
          HTML_CHART_PAD, (unsigned long)HTML_CHART_PAD + plot_h,
          (unsigned long)HTML_CHART_PAD + plot_w,
          (unsigned long)HTML_CHART_PAD + plot_h);
  for (i = first; i < first + n; i++) {
    char d[16];
    unsigned long h = (unsigned long)(days[i].count * plot_h / max);
    unsigned long x = HTML_CHART_PAD + (unsigned long)(i - first) * slot;
    unsigned long w = slot > 2 ? slot - 1 : 1;
    if (h == 0)
      h = 1;
    c837_format_iso_date(d, sizeof d, days[i].date);
    fprintf(fp,
            "<rect x=\"%lu\" y=\"%lu\" width=\"%lu\" height=\"%lu\" "
            "fill=\"#3b6ea8\"><title>%s: %llu</title></rect>\n",
            x, (unsigned long)HTML_CHART_PAD + plot_h - h, w, h, d,
            u(days[i].count));
  }
  fprintf(fp,
          "<text x=\"%d\" y=\"%d\" font-size=\"11\">%llu</text>\n"
          "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n"
          "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
          "text-anchor=\"end\">%s</text>\n</svg>\n",
          2, HTML_CHART_PAD + 4, u(max), HTML_CHART_PAD, HTML_CHART_H - 8,
          d0, HTML_CHART_W - HTML_CHART_PAD, HTML_CHART_H - 8, d1);
}

static const char html_css[] =
    "body{font-family:sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}"
    "table{border-collapse:collapse}"
    "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
    "td.n,th.n{text-align:right}tr.zero{color:#999}"
    "tr.skip{color:#777;font-style:italic}tr.fail{background:#fde8e8}"
    "table.kv th{font-weight:normal;background:#f4f4f4}";

c837_status c837_html_write(const c837_run *r, const char *path,
                            c837_error *err)
{
  c837_out of;
  size_t n_days;
  FILE *fp;
  c837_out_init(&of, path, 0);
  if (c837_out_open(&of, err) != C837_OK)
    return err->code;
  fp = c837_out_fp(&of);
  (void)c837_run_days(r, &n_days);
  fprintf(fp,
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n<title>cart837 report</title>\n"
          "<style>%s</style>\n</head>\n<body>\n"
          "<h1>cart837 %s report</h1>\n",
          html_css, CART837_VERSION);
  totals_table(fp, r);
  fputs("<h2>Findings over dates of service</h2>\n", fp);
  if (n_days)
    chart(fp, r);
  else
    fputs("<p>No finding with a date of service.</p>\n", fp);
  edits_table(fp, r);
  files_table(fp, r);
  no_corrected_list(fp, r);
  days_table(fp, r);
  fputs("</body>\n</html>\n", fp);
  return c837_out_commit(&of, err);
}
