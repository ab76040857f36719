/* html.h -- the parts of report.html (html.c writes the page and calls
 * them in order; each writes one section from the audit's model)
 *
 * html_money.c     money at stake, providers, payer classes
 * html_time.c      findings on a time axis
 * html_findings.c  every finding, grouped by edit and file; the claims
 *                  fixed and held with their segments
 * html_episodes.c  the patients' CAR-T episodes as timelines
 * Private to the run layer.
 */
#ifndef CART837_RUN_HTML_H
#define CART837_RUN_HTML_H

#include "run/html_util.h"

/* The money table of the run (outcomes: held, fixed, flagged, total). */
void c837_html_money_section(FILE *fp, const c837_audit_model *m);
/* The money cells of one row (claims, CAR-T lines, findings, claims at
 * stake, charges at stake, held charges), keys PREFIX.claims ... */
void c837_html_money_cells(FILE *fp, const char *prefix,
                           const c837_money *t);
/* The providers' table (most charges at stake first).  0, or -1 out of
 * memory. */
int c837_html_providers(FILE *fp, const c837_audit_model *m);
/* The payer classes' table. */
void c837_html_payers(FILE *fp, const c837_audit_model *m);
/* The time axis and its table. */
void c837_html_time(FILE *fp, const c837_audit_model *m);
/* Every listed finding, by edit and file.  0, or -1 (the spool could not
 * be read). */
int c837_html_findings(FILE *fp, c837_audit *a, const c837_audit_model *m);
/* The claims fixed and held, with their segments.  0 or -1. */
int c837_html_claims(FILE *fp, c837_audit *a, const c837_audit_model *m);
/* The episodes.  0 or -1. */
int c837_html_episodes(FILE *fp, c837_audit *a, const c837_audit_model *m);

#endif
