/* html_money.c -- report.html: the money at stake, per provider and per
 * payer class (html.h)
 *
 * "At stake" is the charge of a claim with at least one finding (CLM02),
 * counted under what became of it: held, fixed, or passed with findings
 * (flagged); and the charge of each line with a finding (SV102 / SV203),
 * under what became of the line.  specs/reports.md defines each figure.
 * Every number sits in an element with a data-k naming it
 * ("money.held.claim_charges", "provider.1234567890.findings",
 * "payer.medicare_a.claims"); money also carries its exact amount in
 * data-v, so that tests/html_check.py can hold it to findings.csv.
 */
#include "run/html.h"
#include "base/limits.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[C837_AT_N] = {"held", "fixed",
                                                     "flagged"};

/* One row of the money table: outcome o (C837_AT_N: the total). */
static void money_row(FILE *fp, const c837_money *t, int o)
{
  char key[64];
  const char *name = o < C837_AT_N ? outcome_names[o] : "total";
  uint64_t claims = o < C837_AT_N ? t->claims_at[o]
                                  : c837_html_usum3(t->claims_at);
  int64_t charges = o < C837_AT_N ? t->charges_at[o]
                                  : c837_html_sum3(t->charges_at);
  uint64_t lines = o < C837_AT_N ? t->lines_at[o]
                                 : c837_html_usum3(t->lines_at);
  int64_t lcharges = o < C837_AT_N ? t->line_charges_at[o]
                                   : c837_html_sum3(t->line_charges_at);
  fprintf(fp, "<tr%s><th>%s</th>", o == C837_AT_N ? " class=\"sum\"" : "",
          o == C837_AT_HELD    ? "held (not forwarded)"
          : o == C837_AT_FIXED ? "fixed (forwarded corrected)"
          : o == C837_AT_N     ? "at stake in all"
                               : "flagged (forwarded as they came)");
  snprintf(key, sizeof key, "money.%s.claims", name);
  c837_html_count_td(fp, key, claims);
  snprintf(key, sizeof key, "money.%s.claim_charges", name);
  c837_html_money_td(fp, key, charges);
  snprintf(key, sizeof key, "money.%s.lines", name);
  c837_html_count_td(fp, key, lines);
  snprintf(key, sizeof key, "money.%s.line_charges", name);
  c837_html_money_td(fp, key, lcharges);
  fputs("</tr>\n", fp);
}

void c837_html_money_section(FILE *fp, const c837_audit_model *m)
{
  const c837_money *t = &m->total;
  int o;
  fputs("<h2 id=\"money\">Money at stake</h2>\n<p class=\"big\">Charges "
        "at stake: <b",
        fp);
  c837_html_money(fp, c837_html_sum3(t->charges_at));
  fprintf(fp,
          "</b> on %llu claims with findings; held, not forwarded: <b",
          (unsigned long long)c837_html_usum3(t->claims_at));
  c837_html_money(fp, t->charges_at[C837_AT_HELD]);
  fprintf(fp, "</b> on %llu claims.</p>\n",
          (unsigned long long)t->claims_at[C837_AT_HELD]);
  fputs("<table class=\"kv\">\n<thead><tr><th></th><th class=\"n\">claims"
        "</th><th class=\"n\">claim charges</th><th class=\"n\">lines with "
        "findings</th><th class=\"n\">line charges</th></tr></thead>\n"
        "<tbody>\n",
        fp);
  for (o = 0; o <= C837_AT_N; o++)
    money_row(fp, t, o);
  fputs("</tbody></table>\n<p class=\"note\">Claim charges are CLM02 of "
        "each claim with at least one finding, under what became of the "
        "claim; line charges those of each service line with a finding, "
        "under what became of the line (a fixed or removed line counts as "
        "fixed).  Per edit, provider, payer class and file below.</p>\n",
        fp);
}

/* The columns of a provider, payer class or file: claims, CAR-T lines,
 * findings, claims at stake, charges at stake, held charges; keys
 * PREFIX.NAME. */
void c837_html_money_cells(FILE *fp, const char *prefix,
                           const c837_money *t)
{
  char key[400];
  int n = snprintf(key, sizeof key, "%s.", prefix);
  size_t at = n > 0 && (size_t)n < sizeof key ? (size_t)n : 0;
#define K(s) (snprintf(key + at, sizeof key - at, "%s", s), key)
  c837_html_count_td(fp, K("claims"), t->claims);
  c837_html_count_td(fp, K("cart_lines"), t->cart_lines);
  c837_html_count_td(fp, K("findings"), t->findings);
  c837_html_count_td(fp, K("stake_claims"), c837_html_usum3(t->claims_at));
  c837_html_money_td(fp, K("stake_charges"), c837_html_sum3(t->charges_at));
  c837_html_money_td(fp, K("held_charges"), t->charges_at[C837_AT_HELD]);
#undef K
}

/* The head of a money table whose first columns are `first`. */
static void money_head(FILE *fp, const char *first)
{
  fprintf(fp,
          "<thead><tr>%s<th class=\"n\">claims</th><th class=\"n\">CAR-T "
          "lines</th><th class=\"n\">findings</th><th class=\"n\">claims "
          "at stake</th><th class=\"n\">charges at stake</th><th "
          "class=\"n\">held</th></tr></thead>\n<tbody>\n",
          first);
}

/* Provider order: most charges at stake first, then by NPI. */
typedef struct prank {
  int64_t stake;
  const char *npi;
  size_t id;
} prank;

static int by_stake(const void *pa, const void *pb)
{
  const prank *a = pa, *b = pb;
  if (a->stake != b->stake)
    return a->stake > b->stake ? -1 : 1;
  return strcmp(a->npi, b->npi);
}

int c837_html_providers(FILE *fp, const c837_audit_model *m)
{
  size_t n = c837_map_count(&m->providers), i;
  prank *r = malloc((n ? n : 1) * sizeof *r);
  c837_money rest;
  if (!r)
    return -1;
  for (i = 0; i < n; i++) {
    r[i].stake = c837_html_sum3(m->prov[i].charges_at);
    r[i].npi = c837_map_key(&m->providers, i);
    r[i].id = i;
  }
  qsort(r, n, sizeof *r, by_stake);
  fprintf(fp, "<h2 id=\"providers\">Billing providers</h2>\n<p>%llu "
              "billing provider(s) (NPI of loop 2010AA), most charges at "
              "stake first.</p>\n<table class=\"sort\">\n",
          (unsigned long long)n);
  money_head(fp, "<th>NPI</th><th>name</th>");
  memset(&rest, 0, sizeof rest);
  for (i = 0; i < n; i++) {
    const c837_money *t = &m->prov[r[i].id];
    char prefix[200];
    if (i >= C837_HTML_MAX_PROVIDERS) {
      int o;
      rest.claims += t->claims;
      rest.cart_lines += t->cart_lines;
      rest.findings += t->findings;
      for (o = 0; o < C837_AT_N; o++) {
        rest.claims_at[o] += t->claims_at[o];
        rest.charges_at[o] += t->charges_at[o];
      }
      continue;
    }
    snprintf(prefix, sizeof prefix, "provider.%s", r[i].npi);
    fputs("<tr><td>", fp);
    c837_html_esc(fp, r[i].npi);
    fputs("</td><td>", fp);
    c837_html_esc(fp, c837_map_key(&m->strs, m->prov_name[r[i].id]));
    fputs("</td>", fp);
    c837_html_money_cells(fp, prefix, t);
    fputs("</tr>\n", fp);
  }
  fputs("</tbody>\n", fp);
  if (n > C837_HTML_MAX_PROVIDERS) {
    fprintf(fp, "<tfoot><tr><td colspan=\"2\">the other %llu providers"
                "</td>",
            (unsigned long long)(n - C837_HTML_MAX_PROVIDERS));
    c837_html_money_cells(fp, "provider.rest", &rest);
    fputs("</tr></tfoot>\n", fp);
  }
  fputs("</table>\n", fp);
  free(r);
  return 0;
}

void c837_html_payers(FILE *fp, const c837_audit_model *m)
{
  int k;
  fputs("<h2 id=\"payers\">Payer classes</h2>\n<p>By the claim filing "
        "indicator (SBR09 of loop 2000B) and payer id, as "
        "specs/payers.md classes them.</p>\n<table class=\"sort\">\n",
        fp);
  money_head(fp, "<th>payer class</th>");
  for (k = 0; k < C837_PAYER_CLASS_COUNT; k++) {
    const char *name = c837_payer_class_name((c837_payer_class)k);
    char prefix[64];
    if (!m->payer[k].claims)
      continue;
    snprintf(prefix, sizeof prefix, "payer.%s", name);
    fprintf(fp, "<tr><td>%s</td>", name);
    c837_html_money_cells(fp, prefix, &m->payer[k]);
    fputs("</tr>\n", fp);
  }
  fputs("</tbody></table>\n", fp);
}
