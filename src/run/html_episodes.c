/* html_episodes.c -- report.html: each patient's CAR-T course as a
 * timeline (html.h; episodes as episodes.c groups them)
 *
 * Per patient, one block per episode: a line of its figures (the same as
 * its row of episodes.csv, each in an element whose data-k names it:
 * "episode.3.administer_date"), a timeline -- one lane per step
 * (collect, ship, receive, administer, product), a mark per line on a
 * scale of days; filled for this run, hollow for the ledger's lines of
 * earlier runs, red for a held claim, grey for a line removed, voided or
 * replaced, ringed when it has findings -- and a table of its steps with
 * their dates, codes, providers, claims and findings (links to the
 * finding rows and, for a fixed or held claim, to its segments).  At
 * most C837_HTML_MAX_EPISODES episodes are drawn; the rest are in
 * episodes.csv.
 */
#include "run/html.h"
#include "base/limits.h"

#include <string.h>

/* Timeline geometry. */
#define E_W 720
#define E_LEFT 78
#define E_RIGHT 16
#define E_LANE 12
#define E_TOP 8
#define E_H (E_TOP + 5 * E_LANE + 26)

static const char *const kind_labels[C837_EP_KINDS] = {
    "", "collect", "ship", "receive", "administer", "product"};

static const char *str(const c837_audit_model *m, uint32_t id)
{
  return c837_map_key(&m->strs, id);
}

/* The episode's figure named key (episode.N.key) as a span. */
static void fig_date(FILE *fp, size_t no, const char *key, int32_t d)
{
  fprintf(fp, "<span data-k=\"episode.%lu.%s\">", (unsigned long)no, key);
  c837_html_date(fp, d);
  fputs("</span>", fp);
}

/* What drawing one timeline needs. */
typedef struct tl {
  FILE *fp;
  int32_t d0;
  double scale;
} tl;

static double tx(const tl *t, int32_t ymd)
{
  return E_LEFT + (c837_date_to_days(ymd) - t->d0) * t->scale;
}

static void mark(const tl *t, const c837_estep *s)
{
  double x = tx(t, s->date_from), y = E_TOP + (s->kind - 1) * E_LANE + 6;
  const char *cls = s->state == C837_ES_LEDGER ? "ml"
                    : s->state == C837_ES_HELD ? "mh"
                    : s->state == C837_ES_REMOVED || s->state == C837_ES_VOID ||
                            s->state == C837_ES_REPLACED
                        ? "mx"
                        : "mr";
  if (s->date_to > s->date_from) /* a range: a bar to its last day */
    fprintf(t->fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                   "class=\"rg\"/>",
            x, y, tx(t, s->date_to), y);
  fprintf(t->fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" class=\"%s%s\">"
                 "<title>",
          x, y, cls, s->n_ids ? " mf" : "");
  fprintf(t->fp, "%s %s on ", kind_labels[s->kind], s->code);
  c837_html_date(t->fp, s->date_from);
  fputs(", claim ", t->fp);
  c837_html_esc(t->fp, s->claim_id);
  fprintf(t->fp, ", %s, %u finding(s)</title></circle>\n",
          c837_estep_state_name(s->state), s->n_ids);
}

static void timeline(FILE *fp, const c837_audit_model *m,
                     const c837_episode *e)
{
  tl t;
  c837_estep sb;
  int32_t a = c837_date_to_days(e->first_date) - 3,
          b = c837_date_to_days(e->last_date) + 3;
  size_t i;
  int k;
  if (b - a < 21)
    b = a + 21;
  t.fp = fp;
  t.d0 = a;
  t.scale = (double)(E_W - E_LEFT - E_RIGHT) / (double)(b - a);
  fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"etl\" "
              "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
          E_W, E_H, E_W, E_H);
  for (k = C837_EP_COLLECT; k < C837_EP_KINDS; k++)
    fprintf(fp, "<text x=\"4\" y=\"%d\" class=\"ln\">%s</text><line x1=\"%d\" "
                "y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"lane\"/>\n",
            E_TOP + (k - 1) * E_LANE + 9, kind_labels[k], E_LEFT,
            E_TOP + (k - 1) * E_LANE + 6, E_W - E_RIGHT,
            E_TOP + (k - 1) * E_LANE + 6);
  for (i = e->first; i < e->first + e->n; i++)
    mark(&t, c837_episodes_step(m, m->order_of[i].ref, &sb));
  fprintf(fp, "<text x=\"%d\" y=\"%d\" class=\"dl\">", E_LEFT, E_H - 6);
  c837_html_date(fp, c837_days_to_date(a));
  fprintf(fp, "</text><text x=\"%d\" y=\"%d\" class=\"dl\" "
              "text-anchor=\"end\">",
          E_W - E_RIGHT, E_H - 6);
  c837_html_date(fp, c837_days_to_date(b));
  fprintf(fp, "</text><text x=\"%d\" y=\"%d\" class=\"dl\" "
              "text-anchor=\"middle\">%d days</text>\n</svg>\n",
          (E_LEFT + E_W - E_RIGHT) / 2, E_H - 6, b - a);
}

static void step_row(FILE *fp, c837_audit *au, const c837_estep *s)
{
  uint32_t j;
  fprintf(fp, "<tr class=\"s-%s\"><td>", c837_estep_state_name(s->state));
  c837_html_date(fp, s->date_from);
  if (s->date_to > s->date_from) {
    fputs(" to ", fp);
    c837_html_date(fp, s->date_to);
  }
  fprintf(fp, "</td><td>%s%s</td><td>", kind_labels[s->kind],
          s->pcs ? " (ICD-10-PCS)" : "");
  c837_html_esc(fp, s->code);
  fputs("</td><td>", fp);
  c837_html_esc(fp, s->product);
  fputs("</td><td>", fp);
  c837_html_esc(fp, s->units);
  fputs("</td>", fp);
  if (s->state == C837_ES_LEDGER || s->pcs)
    fputs("<td></td>", fp);
  else
    c837_html_money_td(fp, NULL, s->charge);
  fputs("<td>", fp);
  c837_html_esc(fp, s->provider);
  fputs("</td><td>", fp);
  if (s->seq && (s->state == C837_ES_HELD || s->state == C837_ES_FIXED ||
                 s->state == C837_ES_REMOVED)) {
    fprintf(fp, "<a href=\"#c%llu\">", (unsigned long long)s->seq);
    c837_html_esc(fp, s->claim_id);
    fputs("</a>", fp);
  } else {
    c837_html_esc(fp, s->claim_id);
  }
  fputs("</td><td>", fp);
  if (s->state == C837_ES_LEDGER) {
    fputs("ledger, run of ", fp);
    c837_html_date(fp, s->run_date);
  } else {
    c837_html_esc(fp, c837_audit_file_name(au, s->file));
  }
  fprintf(fp, "</td><td>%s</td><td>", c837_estep_state_name(s->state));
  for (j = 0; j < s->n_ids; j++)
    fprintf(fp, "%s<a href=\"#f%llu\">%llu</a> %s", j ? "<br>" : "",
            (unsigned long long)s->ids[j], (unsigned long long)s->ids[j],
            c837_edit_name((c837_edit)s->id_edits[j]));
  fputs("</td></tr>\n", fp);
}

static void episode(FILE *fp, c837_audit *au, const c837_audit_model *m,
                    size_t no)
{
  c837_episode eb;
  const c837_episode *e = &eb;
  c837_estep sb;
  size_t i;
  uint64_t nf = 0;
  c837_episodes_at(m, no - 1, &eb);
  for (i = e->first; i < e->first + e->n; i++)
    if (m->order_of[i].ref < m->n_steps) /* the ledger's have none */
      nf += m->steps[m->order_of[i].ref].n_ids;
  fprintf(fp, "<div class=\"ep\" id=\"ep%lu\"><p class=\"eph\"><b>Episode "
              "<span data-k=\"episode.%lu.episode\">%lu</span></b>: ",
          (unsigned long)no, (unsigned long)no, (unsigned long)no);
  fig_date(fp, no, "first_date", e->first_date);
  fputs(" to ", fp);
  fig_date(fp, no, "last_date", e->last_date);
  fputs("; collect ", fp);
  fig_date(fp, no, "collect_date", e->date[C837_EP_COLLECT]);
  fputs(", ship ", fp);
  fig_date(fp, no, "ship_date", e->date[C837_EP_SHIP]);
  fputs(", receive ", fp);
  fig_date(fp, no, "receive_date", e->date[C837_EP_RECEIVE]);
  fputs(", administer ", fp);
  fig_date(fp, no, "administer_date", e->date[C837_EP_ADMIN]);
  fputs(", product ", fp);
  fig_date(fp, no, "product_date", e->date[C837_EP_PRODUCT]);
  fprintf(fp, "; <span data-k=\"episode.%lu.lines\">%llu</span> line(s), "
              "<span data-k=\"episode.%lu.lines_ledger\">%llu</span> from the "
              "ledger; charges <span data-k=\"episode.%lu.charges\"",
          (unsigned long)no, (unsigned long long)e->lines, (unsigned long)no,
          (unsigned long long)e->lines_ledger, (unsigned long)no);
  c837_html_money(fp, e->charges);
  fprintf(fp, "</span>, held <span data-k=\"episode.%lu.charges_held\"",
          (unsigned long)no);
  c837_html_money(fp, e->charges_held);
  fprintf(fp, "</span>; %s, window %d days; <span data-k=\"episode.%lu."
              "n_findings\">%llu</span> finding(s)</p>\n",
          c837_payer_class_name((c837_payer_class)e->payer_class), e->window,
          (unsigned long)no, (unsigned long long)nf);
  timeline(fp, m, e);
  fputs("<table class=\"steps\">\n<thead><tr><th>date</th><th>step</th>"
        "<th>code</th><th>product</th><th>units</th><th class=\"n\">charge"
        "</th><th>provider</th><th>claim</th><th>source</th><th>state</th>"
        "<th>findings</th></tr></thead>\n<tbody>\n",
        fp);
  for (i = e->first; i < e->first + e->n; i++)
    step_row(fp, au, c837_episodes_step(m, m->order_of[i].ref, &sb));
  fputs("</tbody></table></div>\n", fp);
}

int c837_html_episodes(FILE *fp, c837_audit *a, const c837_audit_model *m)
{
  size_t i, j, shown = m->n_kept, patients = m->n_patients;
  c837_episode e;
  fprintf(fp, "<h2 id=\"episodes\">Episodes</h2>\n<p><span "
              "data-k=\"episodes.count\">%lu</span> CAR-T episode(s) of %lu "
              "patient(s), one row each in episodes.csv: a patient's "
              "collection, shipment, receipt, administration and product "
              "lines (this run's and the ledger's), grouped into courses as "
              "specs/reports.md says.  Marks: filled this run, hollow the "
              "ledger, red held, grey removed or replaced, ringed with "
              "findings.</p>\n",
          (unsigned long)m->n_episodes, (unsigned long)patients);
  if (shown < m->n_episodes)
    fprintf(fp, "<p class=\"warn\">The page draws the first %lu episodes; "
                "the other %lu are in episodes.csv.</p>\n",
            (unsigned long)shown, (unsigned long)(m->n_episodes - shown));
  for (i = 0; i < shown; i = j) {
    for (j = i; j < shown && m->episodes[j].patient == m->episodes[i].patient;
         j++)
      ;
    fputs("<details class=\"pat\"", fp);
    if (m->n_episodes <= 40)
      fputs(" open", fp);
    fputs("><summary>", fp);
    c837_html_esc(fp, str(m, m->episodes[i].patient));
    fprintf(fp, ": %lu episode(s), ", (unsigned long)(j - i));
    c837_episodes_at(m, i, &e);
    c837_html_date(fp, e.first_date);
    fputs(" to ", fp);
    c837_episodes_at(m, j - 1, &e);
    c837_html_date(fp, e.last_date);
    fputs("</summary>\n", fp);
    for (; i < j; i++) {
      fprintf(fp, "<span hidden data-k=\"episode.%lu.patient\">",
              (unsigned long)i + 1);
      c837_html_esc(fp, str(m, m->episodes[i].patient));
      fputs("</span>", fp);
      episode(fp, a, m, i + 1);
    }
    fputs("</details>\n", fp);
  }
  return 0;
}
