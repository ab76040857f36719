/* html.c -- OUT/report.html, the run's report for people
 *
 * One self-contained HTML5 file: inline CSS, inline SVG, no external
 * resource, so it opens from an archive with no network.  A small
 * inline script sorts the tables, adds a search box over the findings
 * and opens the collapsed section a link points into; without it the
 * page reads the same (every section is there, collapsed parts open
 * with a click).  Sections, in order: the money at stake, the totals of
 * summary.txt, findings and money per edit, findings on a time axis,
 * billing providers, payer classes, the files, every finding (by edit
 * and file), the claims fixed and held with their segments, and the
 * patients' CAR-T episodes (html_money.c, html_time.c, html_findings.c,
 * html_episodes.c, from the audit's model: audit.h).
 *
 * Every number sits in an element with a data-k attribute naming it
 * ("total.claims", "file.2.cart_lines", "edit.DUPLICATE_DAY",
 * "money.held.claim_charges"), money with its exact amount in data-v,
 * so that tests/html_check.py can read the rendered page and compare it
 * with summary.txt, findings.csv, lines.csv and episodes.csv.  All text
 * from the inputs is escaped.  No clock, host or path of the run goes
 * in: the same run gives the same bytes.
 */
#include "run/summary.h"
#include "run/html.h"
#include "run/sink.h"
#include "base/err.h"
#include "base/limits.h"

#include <string.h>

static unsigned long long u(uint64_t v)
{
  return (unsigned long long)v;
}

/* <tr><th>label</th><td data-k="prefix.key">v</td></tr> */
static void kv_row(FILE *fp, const char *label, const char *prefix,
                   const char *key, uint64_t v)
{
  fprintf(fp, "<tr><th>%s</th><td class=\"n\" data-k=\"%s.%s\">%llu</td>"
              "</tr>\n",
          label, prefix, key, u(v));
}

static void totals_table(FILE *fp, const c837_run *r)
{
  const c837_totals *t = c837_run_totals(r);
  fputs("<h2 id=\"totals\">Totals</h2>\n<table class=\"kv\">\n", fp);
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

/* Findings per edit (summary.txt's counts) with their money. */
static void edits_table(FILE *fp, const c837_run *r,
                        const c837_audit_model *m)
{
  const c837_totals *t = c837_run_totals(r);
  int k;
  fputs("<h2 id=\"edits\">Findings per edit</h2>\n<table class=\"sort\">\n"
        "<thead><tr><th>edit</th><th>by default</th><th class=\"n\">"
        "findings</th>",
        fp);
  if (m)
    fputs("<th class=\"n\">claims</th><th class=\"n\">claim charges</th>"
          "<th class=\"n\">lines</th><th class=\"n\">line charges</th>",
          fp);
  fputs("</tr></thead>\n<tbody>\n", fp);
  for (k = 0; k < C837_EDIT_COUNT; k++) {
    const c837_edit_def *d = c837_edit_info((c837_edit)k);
    char key[80];
    fprintf(fp, "<tr%s><td>", t->findings[k] ? "" : " class=\"zero\"");
    if (m && m->edit[k].findings)
      fprintf(fp, "<a href=\"#e-%s\">%s</a>", d->name, d->name);
    else
      fputs(d->name, fp);
    fprintf(fp, "</td><td>%s, %s</td><td class=\"n\" data-k=\"edit.%s\">"
                "%llu</td>",
            c837_severity_name(d->severity), c837_action_name(d->action),
            d->name, u(t->findings[k]));
    if (m) {
      snprintf(key, sizeof key, "edit.%s.claims", d->name);
      c837_html_count_td(fp, key, m->edit[k].claims);
      snprintf(key, sizeof key, "edit.%s.claim_charges", d->name);
      c837_html_money_td(fp, key, m->edit[k].claim_charges);
      snprintf(key, sizeof key, "edit.%s.lines", d->name);
      c837_html_count_td(fp, key, m->edit[k].lines);
      snprintf(key, sizeof key, "edit.%s.line_charges", d->name);
      c837_html_money_td(fp, key, m->edit[k].line_charges);
    }
    fputs("</tr>\n", fp);
  }
  fputs("</tbody></table>\n", fp);
}

/* The money cells of file record f (number i) in the files table. */
static void file_money(FILE *fp, const c837_run *r, const c837_file_rec *f,
                       unsigned long i)
{
  c837_audit *a = c837_run_audit(r);
  const c837_audit_model *m = c837_audit_model_of(a);
  uint32_t id = c837_audit_file_id(a, f->name);
  c837_money none;
  const c837_money *t = &none;
  char key[64];
  memset(&none, 0, sizeof none);
  if (!m)
    return;
  if (f->skipped) {
    fputs("<td class=\"n\"></td><td class=\"n\"></td>", fp);
    return;
  }
  if (id < m->n_file)
    t = &m->file[id];
  snprintf(key, sizeof key, "filemoney.%lu.stake_charges", i);
  c837_html_money_td(fp, key, c837_html_sum3(t->charges_at));
  snprintf(key, sizeof key, "filemoney.%lu.held_charges", i);
  c837_html_money_td(fp, key, t->charges_at[C837_AT_HELD]);
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
  fputs("<h2 id=\"files\">Files</h2>\n<table>\n<thead><tr><th>#</th>"
        "<th>file</th><th>status</th>",
        fp);
  for (c = 0; c < sizeof cols / sizeof cols[0]; c++)
    fprintf(fp, "<th class=\"n\">%s</th>", heads[c]);
  if (c837_audit_model_of(c837_run_audit(r)))
    fputs("<th class=\"n\">charges at stake</th><th class=\"n\">held</th>",
          fp);
  fputs("</tr></thead>\n<tbody>\n", fp);
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
    c837_html_esc(fp, f->name);
    fprintf(fp, "</td><td data-k=\"file.%lu.status\">", (unsigned long)i + 1);
    if (f->skipped) {
      fputs("skipped: ", fp);
      c837_html_esc(fp, f->reason);
    } else if (f->status != C837_OK) {
      c837_html_esc(fp, c837_status_name(f->status));
      fputs(": ", fp);
      c837_html_esc(fp, f->reason);
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
    file_money(fp, r, f, (unsigned long)i + 1);
    fputs("</tr>\n", fp);
  }
  fputs("</tbody></table>\n", fp);
}

static const char html_css[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:"
    "1250px;padding:0 1em;color:#222;line-height:1.35}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:"
    "1px solid #ddd}h4{margin:.2em 0;font-size:.9em}"
    "nav a{margin-right:.9em}"
    "table{border-collapse:collapse;margin:.4em 0}"
    "th,td{border:1px solid #d4d4d4;padding:2px 7px;text-align:left;"
    "vertical-align:top}thead th{background:#f2f2f2}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.zero{color:#999}tr.skip{color:#777;font-style:italic}"
    "tr.fail{background:#fde8e8}tr.sum{font-weight:bold}"
    "table.kv th{font-weight:normal;background:#f6f6f6}"
    "p.big{font-size:1.25em}p.note{color:#555;font-size:.9em}"
    ".warn{background:#fff3cd;padding:.3em .5em}"
    "details{margin:.35em 0}summary{cursor:pointer}"
    "details.edit{border-left:4px solid #3b6ea8;padding-left:.6em}"
    "details.grp,details.page{margin-left:.6em}"
    "table.fnd,table.steps{font-size:.84em}"
    "table.fnd td:last-child{min-width:22em}"
    "td.a-held{color:#b00020;font-weight:bold}td.a-fixed{color:#1b7a2e}"
    "td.a-flagged{color:#8a5a00}"
    ".segs{display:flex;gap:1em;flex-wrap:wrap}.segs>div{flex:1;"
    "min-width:28em}"
    "pre{background:#f7f7f7;padding:.5em;font-size:.82em;white-space:"
    "pre-wrap;word-break:break-all;margin:.2em 0}"
    "span.chg{background:#dff5e3;font-weight:bold}span.x{color:#b00020}"
    ".cut{color:#b00020;font-style:italic}"
    "svg text{font-size:11px;fill:#333}svg text.yl{text-anchor:end}"
    "svg text.xl{text-anchor:middle}svg.axis rect{fill:#3b6ea8}"
    "svg .base,svg .tick{stroke:#555}svg .grid{stroke:#ccc;"
    "stroke-dasharray:3 3}svg .lane{stroke:#e4e4e4}"
    "circle.mr{fill:#3b6ea8}circle.ml{fill:#fff;stroke:#3b6ea8;"
    "stroke-width:1.5}circle.mh{fill:#b00020}circle.mx{fill:#bbb}"
    "circle.mf{stroke:#e89a00;stroke-width:3}"
    "line.rg{stroke:#3b6ea8;stroke-width:4;opacity:.35}"
    "div.ep{margin:.6em 0 1.2em .6em}p.eph{margin:.2em 0}"
    "tr.s-held td{color:#b00020}tr.s-ledger td{color:#555;font-style:"
    "italic}tr.s-removed td,tr.s-void td,tr.s-replaced td{color:#999;"
    "text-decoration:line-through}";

/* Sorting, the findings' search box, and opening what a link points
 * into (browsers open a closed details for its target; this does it on
 * every hash change). */
static const char html_js[] =
    "(function(){var d=document;"
    "function op(e){for(;e;e=e.parentElement)if(e.tagName=='DETAILS')"
    "e.open=true}"
    "function rv(){if(location.hash)op(d.getElementById("
    "decodeURIComponent(location.hash.slice(1))))}"
    "addEventListener('hashchange',rv);rv();"
    "d.querySelectorAll('table.sort thead th').forEach(function(th,i){"
    "th.style.cursor='pointer';th.title='sort';th.onclick=function(){"
    "var b=th.closest('table').tBodies[0],r=[].slice.call(b.rows),"
    "a=th.dataset.dir=th.dataset.dir=='a'?'d':'a';"
    "r.sort(function(x,y){var p=x.cells[i],q=y.cells[i],"
    "u=p.dataset.v||p.textContent,v=q.dataset.v||q.textContent,"
    "m=parseFloat(u),n=parseFloat(v),c=isNaN(m)||isNaN(n)?"
    "u.localeCompare(v):m-n;return a=='a'?c:-c});"
    "r.forEach(function(x){b.appendChild(x)})}});"
    "var l=d.getElementById('flist');if(l){var p=d.createElement('p'),"
    "f=d.createElement('input'),c=d.createElement('span');"
    "f.type='search';f.size=60;f.placeholder='find a claim, patient, "
    "provider, code or word (Enter)';p.appendChild(f);p.appendChild(c);"
    "l.parentNode.insertBefore(p,l);f.onchange=function(){"
    "var q=f.value.toLowerCase(),n=0;"
    "l.querySelectorAll('tr.f').forEach(function(r){"
    "var s=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!s;"
    "if(s&&q){n++;op(r)}});c.textContent=q?' '+n+' finding(s) match':''}}"
    "})();";

/* The sections read from the audit's model.  0 or -1. */
static int audit_sections(FILE *fp, const c837_run *r,
                          const c837_audit_model *m, int part)
{
  c837_audit *a = c837_run_audit(r);
  if (!m)
    return 0;
  switch (part) {
  case 0:
    c837_html_money_section(fp, m);
    return 0;
  case 1:
    c837_html_time(fp, m);
    if (c837_html_providers(fp, m) != 0)
      return -1;
    c837_html_payers(fp, m);
    return 0;
  default:
    if (c837_html_findings(fp, a, m) != 0 || c837_html_claims(fp, a, m) != 0)
      return -1;
    return c837_html_episodes(fp, a, m);
  }
}

c837_status c837_html_write(const c837_run *r, const char *path,
                            c837_error *err)
{
  const c837_audit_model *m = c837_audit_model_of(c837_run_audit(r));
  c837_out of;
  FILE *fp;
  int rc;
  c837_out_init(&of, path, 0);
  if (c837_out_open(&of, err) != C837_OK)
    return err->code;
  fp = c837_out_fp(&of);
  fprintf(fp,
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n<title>cart837 report</title>\n"
          "<style>%s</style>\n</head>\n<body>\n"
          "<h1>cart837 %s report</h1>\n<nav><a href=\"#money\">money</a>"
          "<a href=\"#totals\">totals</a><a href=\"#edits\">edits</a>"
          "<a href=\"#time\">time</a><a href=\"#providers\">providers</a>"
          "<a href=\"#payers\">payers</a><a href=\"#files\">files</a>"
          "<a href=\"#findings\">findings</a><a href=\"#claims\">claims</a>"
          "<a href=\"#episodes\">episodes</a></nav>\n",
          html_css, CART837_VERSION);
  rc = audit_sections(fp, r, m, 0);
  totals_table(fp, r);
  edits_table(fp, r, m);
  if (rc == 0)
    rc = audit_sections(fp, r, m, 1);
  files_table(fp, r);
  if (rc == 0)
    rc = audit_sections(fp, r, m, 2);
  fprintf(fp, "<script>%s</script>\n</body>\n</html>\n", html_js);
  if (rc != 0) {
    c837_out_abort(&of);
    if (c837_audit_spool_failed(c837_run_audit(r)))
      return c837_error_set(err, C837_EIO, 0, 0,
                            "cannot write report.html: the report spool "
                            "could not be read back");
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  return c837_out_commit(&of, err);
}
