/* html_time.c -- report.html: findings on a time axis that is time
 * (html.h)
 *
 * Findings are counted per week of service (weeks from Monday), per
 * month when weeks would need more than C837_HTML_CHART_MAX_BARS bars,
 * per year beyond that, by the date of service findings.csv gives them
 * (date_from; findings without one are counted apart).  The axis runs
 * from the first bucket's start to the last one's end on a linear day
 * scale: each bar covers its bucket's days, so a week with no finding
 * is an empty gap and a month is as wide as its days.  Each bar carries
 * its bucket (data-b), count (data-n) and title; the same figures are in
 * a table below (data-k "bucket.CCYY-MM-DD").
 */
#include "run/html.h"
#include "base/limits.h"

/* Chart geometry, in SVG user units. */
#define T_W 760
#define T_H 230
#define T_LEFT 44
#define T_RIGHT 12
#define T_TOP 12
#define T_BOTTOM 44

enum { U_WEEK, U_MONTH, U_YEAR };
static const char *const unit_names[] = {"week", "month", "year"};

/* The first day (CCYYMMDD) of the bucket of unit u holding date. */
static int32_t bucket_of(int32_t date, int u)
{
  int32_t d;
  if (u == U_YEAR)
    return date / 10000 * 10000 + 101;
  if (u == U_MONTH)
    return date / 100 * 100 + 1;
  d = c837_date_to_days(date);
  /* 1970-01-01 was a Thursday: Monday is 3 days before it */
  return c837_days_to_date(d - (((d % 7) + 7 + 3) % 7));
}

/* The first day of the bucket after the one starting at start. */
static int32_t bucket_next(int32_t start, int u)
{
  int32_t y = start / 10000, mo = start / 100 % 100;
  if (u == U_WEEK)
    return c837_days_to_date(c837_date_to_days(start) + 7);
  if (u == U_YEAR)
    return (y + 1) * 10000 + 101;
  return mo == 12 ? (y + 1) * 10000 + 101 : y * 10000 + (mo + 1) * 100 + 1;
}

/* The smallest unit whose buckets fit the chart. */
static int pick_unit(int32_t first, int32_t last)
{
  int u;
  for (u = U_WEEK; u < U_YEAR; u++) {
    unsigned long n = 0;
    int32_t b;
    for (b = bucket_of(first, u); b <= last && n <= C837_HTML_CHART_MAX_BARS;
         b = bucket_next(b, u))
      n++;
    if (n <= C837_HTML_CHART_MAX_BARS)
      return u;
  }
  return U_YEAR;
}

/* Walks the buckets that hold findings: calls fn with each bucket's
 * start, end, count and line charges. */
static void each_bucket(const c837_audit_model *m, int u,
                        void (*fn)(void *ud, int32_t b, int32_t e,
                                   uint64_t n, int64_t money),
                        void *ud)
{
  size_t i = 0;
  while (i < m->n_days) {
    int32_t b = bucket_of(m->days[i].date, u), e = bucket_next(b, u);
    uint64_t n = 0;
    int64_t money = 0;
    for (; i < m->n_days && m->days[i].date < e; i++) {
      n += m->days[i].findings;
      money += m->days[i].line_charges;
    }
    fn(ud, b, e, n, money);
  }
}

/* What drawing the chart needs. */
typedef struct chart {
  FILE *fp;
  int u;
  int32_t d0;     /* first day of the axis (days since 1970) */
  double scale;   /* units per day */
  uint64_t max;   /* the highest bar */
} chart;

static void find_max(void *ud, int32_t b, int32_t e, uint64_t n,
                     int64_t money)
{
  chart *c = ud;
  (void)b, (void)e, (void)money;
  if (n > c->max)
    c->max = n;
}

static double x_of(const chart *c, int32_t ymd)
{
  return T_LEFT + (c837_date_to_days(ymd) - c->d0) * c->scale;
}

static void bar(void *ud, int32_t b, int32_t e, uint64_t n, int64_t money)
{
  chart *c = ud;
  double plot_h = T_H - T_TOP - T_BOTTOM;
  double h = (double)n * plot_h / (double)c->max, x0 = x_of(c, b),
         w = x_of(c, e) - x0;
  if (h < 1)
    h = 1;
  if (w > 2)
    w -= 1; /* a hairline between neighbours */
  fprintf(c->fp,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
          "data-b=\"",
          x0, T_TOP + plot_h - h, w, h);
  c837_html_date(c->fp, b);
  fprintf(c->fp, "\" data-n=\"%llu\"><title>%s of ", (unsigned long long)n,
          unit_names[c->u]);
  c837_html_date(c->fp, b);
  fprintf(c->fp, ": %llu finding%s, line charges ", (unsigned long long)n,
          n == 1 ? "" : "s");
  {
    /* the title is text: the amount without its data-v attribute */
    int64_t v = money < 0 ? -money : money;
    fprintf(c->fp, "%s$%lld.%02d", money < 0 ? "-" : "",
            (long long)(v / 100), (int)(v % 100));
  }
  fputs("</title></rect>\n", c->fp);
}

/* Tick marks and labels: month starts (every k months) or years. */
static void ticks(const chart *c, int32_t first, int32_t end)
{
  static const int steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600};
  double base = T_H - T_BOTTOM;
  int32_t months = (end / 10000 - first / 10000) * 12 +
                   (end / 100 % 100 - first / 100 % 100) + 1;
  int k = 0, i;
  int32_t t;
  while (k + 1 < (int)(sizeof steps / sizeof steps[0]) &&
         months / steps[k] > 12)
    k++;
  for (t = first / 100 * 100 + 1, i = 0; t <= end;
       t = bucket_next(t, U_MONTH), i++) {
    double x;
    int mo = t / 100 % 100;
    if (steps[k] >= 12 ? mo != 1 || (t / 10000) % (steps[k] / 12)
                       : (mo - 1) % steps[k])
      continue;
    if (t < first)
      continue;
    x = x_of(c, t);
    fprintf(c->fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "class=\"tick\"/>\n<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">",
            x, base, x, base + 5, x, base + 17);
    if (steps[k] >= 12)
      fprintf(c->fp, "%d", (int)(t / 10000));
    else
      fprintf(c->fp, "%04d-%02d", (int)(t / 10000), mo);
    fputs("</text>\n", c->fp);
  }
}

static void table_row(void *ud, int32_t b, int32_t e, uint64_t n,
                      int64_t money)
{
  FILE *fp = ud;
  char key[40], d[16];
  (void)e;
  c837_format_iso_date(d, sizeof d, b);
  snprintf(key, sizeof key, "bucket.%s", d);
  fprintf(fp, "<tr><td>%s</td>", d);
  c837_html_count_td(fp, key, n);
  c837_html_money_td(fp, NULL, money);
  fputs("</tr>\n", fp);
}

void c837_html_time(FILE *fp, const c837_audit_model *m)
{
  chart c = {fp, U_WEEK, 0, 0, 0};
  int32_t first, last, a0, a1;
  fputs("<h2 id=\"time\">Findings over time</h2>\n", fp);
  fprintf(fp, "<p><span data-k=\"bucket.undated\">%llu</span> finding(s) "
              "have no date of service of their own (claim-level and "
              "envelope findings) and are not on the axis.</p>\n",
          (unsigned long long)m->undated);
  if (!m->n_days) {
    fputs("<p>No finding with a date of service.</p>\n", fp);
    return;
  }
  first = m->days[0].date;
  last = m->days[m->n_days - 1].date;
  c.u = pick_unit(first, last);
  a0 = bucket_of(first, c.u);
  a1 = bucket_next(bucket_of(last, c.u), c.u);
  c.d0 = c837_date_to_days(a0);
  c.scale = (double)(T_W - T_LEFT - T_RIGHT) /
            (double)(c837_date_to_days(a1) - c.d0);
  each_bucket(m, c.u, find_max, &c);
  fprintf(fp,
          "<p>Findings per %s of service, on a scale of days from ",
          unit_names[c.u]);
  c837_html_date(fp, a0);
  fputs(" to ", fp);
  c837_html_date(fp, c837_days_to_date(c837_date_to_days(a1) - 1));
  fputs(": an empty stretch is a time without findings.</p>\n", fp);
  fprintf(fp,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"axis\" "
          "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
          "aria-label=\"findings per %s of service\" data-unit=\"%s\" "
          "data-x0=\"%d\" data-d0=\"",
          T_W, T_H, T_W, T_H, unit_names[c.u], unit_names[c.u], T_LEFT);
  c837_html_date(fp, a0);
  fprintf(fp, "\" data-scale=\"%.6f\">\n", c.scale);
  fprintf(fp,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"base\"/>\n"
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>\n"
          "<text x=\"%d\" y=\"%d\" class=\"yl\">%llu</text>\n"
          "<text x=\"%d\" y=\"%d\" class=\"yl\">0</text>\n",
          T_LEFT, T_H - T_BOTTOM, T_W - T_RIGHT, T_H - T_BOTTOM, T_LEFT,
          T_TOP, T_W - T_RIGHT, T_TOP, T_LEFT - 4, T_TOP + 4,
          (unsigned long long)c.max, T_LEFT - 4, T_H - T_BOTTOM);
  each_bucket(m, c.u, bar, &c);
  ticks(&c, a0, c837_days_to_date(c837_date_to_days(a1) - 1));
  fputs("</svg>\n", fp);
  fprintf(fp, "<details><summary>Findings per %s (table)</summary>\n"
              "<table>\n<thead><tr><th>%s from</th><th class=\"n\">"
              "findings</th><th class=\"n\">line charges</th></tr></thead>"
              "\n<tbody>\n",
          unit_names[c.u], unit_names[c.u]);
  each_bucket(m, c.u, table_row, fp);
  fputs("</tbody></table></details>\n", fp);
}
