/* opts_ack.c -- the options of the acknowledgments (cli.h): --ack,
 * --ack-control, --ack-date, --ack-time, into the run options
 *
 * Kept apart from opts.c's table, which takes CLI_ACK_LONGOPTS and hands
 * these four here.  A bad value is one message and exit 2, as for every
 * option.  Dates and times are the input's unless given; the clock only
 * with `--ack-date now`.  --run-date does not set them: it stamps the
 * ledger and defaults to today, while an acknowledgment re-made from the
 * same input must come out byte-identical.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char cli_ack_usage[] =
    "      --ack LIST          write X12 acknowledgments to OUT/ack/: 999\n"
    "                          (OUT/ack/F.999), 277 (277CA, OUT/ack/F.277)\n"
    "                          or 999,277 (default: none)\n"
    "      --ack-control N     first control number of the run's\n"
    "                          acknowledgments (1..999999999, default 1)\n"
    "      --ack-date DATE     their date, CCYY-MM-DD or CCYYMMDD, or 'now'\n"
    "                          (the clock, UTC); default: the input's\n"
    "      --ack-time HHMM     their time with --ack-date (default 0000)\n";

/* "999", "277", "277CA", comma-separated, into *bits.  0 or -1. */
static int parse_list(const char *arg, unsigned *bits)
{
  const char *p = arg;
  *bits = 0;
  while (*p) {
    size_t n = strcspn(p, ",");
    if (n == 3 && strncmp(p, "999", 3) == 0)
      *bits |= C837_RUN_ACK_999;
    else if ((n == 3 && strncmp(p, "277", 3) == 0) ||
             (n == 5 && strncasecmp(p, "277ca", 5) == 0))
      *bits |= C837_RUN_ACK_277;
    else
      return -1;
    p += n;
    if (*p == ',' && *++p == '\0')
      return -1;
  }
  return *bits ? 0 : -1;
}

/* CCYY-MM-DD or CCYYMMDD, a real date.  0 or -1. */
static int parse_date(const char *arg, int32_t *ymd)
{
  size_t n = strlen(arg);
  if (n == 8 && strspn(arg, "0123456789") == 8)
    return c837_parse_date((c837_span){arg, n}, ymd);
  return c837_parse_iso_date((c837_span){arg, n}, ymd);
}

/* HHMM, a real time.  0 or -1. */
static int parse_time(const char *arg, int *hhmm)
{
  int v;
  if (strlen(arg) != 4 || strspn(arg, "0123456789") != 4)
    return -1;
  v = atoi(arg);
  if (v / 100 > 23 || v % 100 > 59)
    return -1;
  *hhmm = v;
  return 0;
}

/* "OPT takes WHAT, not 'ARG'" in why; returns -1. */
static int bad(char *why, size_t whysz, const char *opt, const char *takes,
               const char *arg)
{
  snprintf(why, whysz, "%s takes %s, not '%s'", opt, takes, arg);
  return -1;
}

int cli_ack_option(cli_run_opts *o, int c, const char *arg, char *why,
                   size_t whysz)
{
  c837_run_options *r = &o->run;
  unsigned bits;
  char *end;
  unsigned long long v;
  switch (c) {
  case CLI_O_ACK:
    if (parse_list(arg, &bits) != 0)
      return bad(why, whysz, "--ack", "999, 277 or 999,277", arg);
    r->ack |= bits;
    return 0;
  case CLI_O_ACK_CONTROL:
    v = strtoull(arg, &end, 10);
    if (*arg < '0' || *arg > '9' || *end || v < 1 || v > 999999999ULL)
      return bad(why, whysz, "--ack-control", "1..999999999", arg);
    r->ack_control = v;
    o->ack_given |= CLI_ACK_GIVEN_CONTROL;
    return 0;
  case CLI_O_ACK_DATE:
    o->ack_given |= CLI_ACK_GIVEN_DATE;
    o->ack_given &= ~(unsigned)CLI_ACK_GIVEN_NOW;
    if (strcmp(arg, "now") == 0) {
      o->ack_given |= CLI_ACK_GIVEN_NOW;
      return 0;
    }
    if (parse_date(arg, &r->ack_date) != 0)
      return bad(why, whysz, "--ack-date",
                 "CCYY-MM-DD, CCYYMMDD or 'now'", arg);
    return 0;
  case CLI_O_ACK_TIME:
    if (parse_time(arg, &r->ack_time) != 0)
      return bad(why, whysz, "--ack-time", "HHMM (0000..2359)", arg);
    o->ack_given |= CLI_ACK_GIVEN_TIME;
    return 0;
  default:
    return -2;
  }
}

int cli_ack_finish(cli_run_opts *o, char *why, size_t whysz)
{
  c837_run_options *r = &o->run;
  if (o->ack_given && !r->ack) {
    snprintf(why, whysz, "--ack-control, --ack-date and --ack-time need "
                         "--ack 999,277 (or one of them)");
    return -1;
  }
  if ((o->ack_given & CLI_ACK_GIVEN_TIME) &&
      !(o->ack_given & CLI_ACK_GIVEN_DATE)) {
    snprintf(why, whysz, "--ack-time needs --ack-date (without them both "
                         "come from the input)");
    return -1;
  }
  if (o->ack_given & CLI_ACK_GIVEN_NOW) {
    time_t now = time(NULL);
    struct tm tmv;
    if (!gmtime_r(&now, &tmv)) {
      snprintf(why, whysz, "--ack-date now: the clock cannot be read");
      return -1;
    }
    r->ack_date = (tmv.tm_year + 1900) * 10000 + (tmv.tm_mon + 1) * 100 +
                  tmv.tm_mday;
    if (!(o->ack_given & CLI_ACK_GIVEN_TIME))
      r->ack_time = tmv.tm_hour * 100 + tmv.tm_min;
  }
  return 0;
}
