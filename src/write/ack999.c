/* ack999.c -- the 999 implementation acknowledgment (005010X231A1) of
 * the input, fed as it is read (ack.h), with the one table that says how
 * each of cart837's problem ids is acknowledged.
 *
 * Output per input interchange (written when it ends):
 *
 *   ISA                      our addresses, date, control number N
 *   TA1                      only with an interchange-level fault, or
 *                            when the input's ISA14 asks for one
 *   GS*FA ... N ... 005010X231A1
 *     ST*999*0001..          one set per input group
 *     AK1                    the input group (GS01, GS06, GS08)
 *       AK2 [IK3 [CTX] [IK4]...]... IK5   one per input set
 *     AK9                    the group's verdict and counts
 *     SE
 *   GE, IEA
 *
 * Codes: IK304 list 620, IK403 621, IK501 717, IK502 618, AK901 715,
 * AK905 716, TA105 I18 (X12; names as published in Stedi's X12
 * reference; X231A1 subsets from the pyx12 and stupidedi maps).  Our
 * choice (specs/acks.md): a set with envelope or segment problems is
 * "accepted with errors" (E), never rejected, because cart837 forwards
 * its claims; R only when nothing of it is forwarded.
 */
#include "write/ack_int.h"

#include "base/err.h"
#include "base/limits.h"
#include "base/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table --------------------------------------------------------- */

#define L_TA1 C837_ACK_TA1
#define L_GRP C837_ACK_GROUP
#define L_SET C837_ACK_SET
#define L_SEG C837_ACK_SEGMENT
#define NOW C837_ACK_NOW
#define CLM C837_ACK_CLAIM

/* Every problem id the assembler reports (C837_PROBLEM_MAP; e2e_ack.sh
 * checks that each has a row).  Columns: problem, ISA
 * field, level, code, IK301, IK303 ("=": the segment's loop), IK401
 * (-1: the element at fault), IK402, IK403, IK404 from the value, flags.
 * A segment rule with IK401 -1 and no element known (a NUL byte in the
 * tag itself) is written as IK304 1, unrecognized segment id. */
static const c837_ack_rule RULES[] = {
    /* the interchange: TA105 (I18); ISA_LENGTH by the field named */
    {"ISA_LENGTH", 0, L_TA1, "022", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 1, L_TA1, "010", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 2, L_TA1, "011", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 3, L_TA1, "012", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 4, L_TA1, "013", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 5, L_TA1, "005", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 6, L_TA1, "006", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 7, L_TA1, "007", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 8, L_TA1, "008", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 9, L_TA1, "014", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 10, L_TA1, "015", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 11, L_TA1, "024", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 12, L_TA1, "017", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 13, L_TA1, "018", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 14, L_TA1, "019", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 15, L_TA1, "020", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_LENGTH", 16, L_TA1, "027", 0, 0, 0, 0, 0, 0, 0},
    {"ISA_ELEMENTS", 0, L_TA1, "022", 0, 0, 0, 0, 0, 0, 0},
    {"ISA09_DATE", 0, L_TA1, "014", 0, 0, 0, 0, 0, 0, 0},
    {"ISA13_DUPLICATE", 0, L_TA1, "025", 0, 0, 0, 0, 0, 0, 0},
    /* invalid control number: a TA1 only when TA101 can echo ISA13 (9
     * digits once the blanks around are trimmed), as for ISA09_DATE */
    {"ISA13_INVALID", 0, L_TA1, "018", 0, 0, 0, 0, 0, 0, 0},
    {"IEA01_COUNT", 0, L_TA1, "021", 0, 0, 0, 0, 0, 0, 0},
    {"IEA02_CONTROL", 0, L_TA1, "001", 0, 0, 0, 0, 0, 0, 0},
    {"IEA_MISSING", 0, L_TA1, "023", 0, 0, 0, 0, 0, 0, NOW},
    {"SEGMENT_UNTERMINATED", 0, L_TA1, "004", 0, 0, 0, 0, 0, 0, 0},
    /* no 5010 group code for a bad date (716 has none before 5050) */
    {"GS04_DATE", 0, L_TA1, "024", 0, 0, 0, 0, 0, 0, 0},
    /* nothing in a 999 can point at these: invalid interchange content */
    {"ST_OUTSIDE_GS", 0, L_TA1, "024", 0, 0, 0, 0, 0, 0, 0},
    {"SE_OUTSIDE_ST", 0, L_TA1, "024", 0, 0, 0, 0, 0, 0, 0},
    {"GE_OUTSIDE_GS", 0, L_TA1, "024", 0, 0, 0, 0, 0, 0, 0},
    {"SEGMENT_OUTSIDE_ST", 0, L_TA1, "024", 0, 0, 0, 0, 0, 0, 0},
    /* no interchange to name */
    {"GS_OUTSIDE_ISA", 0, C837_ACK_NONE, 0, 0, 0, 0, 0, 0, 0, 0},
    {"IEA_OUTSIDE_ISA", 0, C837_ACK_NONE, 0, 0, 0, 0, 0, 0, 0, 0},
    /* the group: AK905-AK909 (716) */
    {"GE01_COUNT", 0, L_GRP, "5", 0, 0, 0, 0, 0, 0, 0},
    {"GE02_CONTROL", 0, L_GRP, "4", 0, 0, 0, 0, 0, 0, 0},
    {"GE_MISSING", 0, L_GRP, "3", 0, 0, 0, 0, 0, 0, NOW},
    {"GS06_DUPLICATE", 0, L_GRP, "19", 0, 0, 0, 0, 0, 0, 0},
    /* group control number violates syntax (AK102 then 0: ack_gs06) */
    {"GS06_INVALID", 0, L_GRP, "6", 0, 0, 0, 0, 0, 0, 0},
    /* the set: IK502-IK506 (618) */
    {"SE01_COUNT", 0, L_SET, "4", 0, 0, 0, 0, 0, 0, 0},
    {"SE02_CONTROL", 0, L_SET, "3", 0, 0, 0, 0, 0, 0, 0},
    {"SE_MISSING", 0, L_SET, "2", 0, 0, 0, 0, 0, 0, NOW},
    {"ST02_DUPLICATE", 0, L_SET, "23", 0, 0, 0, 0, 0, 0, 0},
    /* missing or invalid transaction set control number (AK202 then
     * 0000: ack_st02) */
    {"ST02_INVALID", 0, L_SET, "7", 0, 0, 0, 0, 0, 0, 0},
    /* a segment: IK3 (620) and IK4 (621) */
    {"DATE_INVALID", 0, L_SEG, "8", 0, "=", 3, 1251, "8", 1, CLM},
    {"SEGMENT_NUL_BYTE", 0, L_SEG, "8", 0, 0, -1, 0, "6", 0, CLM},
    {"SEGMENT_ID_INVALID", 0, L_SEG, "1", 0, 0, 0, 0, 0, 0, CLM},
    {"SEGMENT_OUT_OF_PLACE", 0, L_SEG, "2", 0, "2400", 0, 0, 0, 0, 0},
    {"CLM_WITHOUT_HL", 0, L_SEG, "7", 0, "2300", 0, 0, 0, 0, CLM},
    {"LX_MISSING", 0, L_SEG, "3", "LX", "2400", 0, 0, 0, 0, CLM},
    /* past a bound that is above the guides' repeat counts: the segment
     * (an HI, NTE or LIN) exceeds its maximum use (620 code 5) */
    {"CLAIM_MODEL_LIMIT", 0, L_SEG, "5", 0, "=", 0, 0, 0, 0, CLM},
    /* (the HL loop ids 2000A/B/C do not fit IK303's 4 characters) */
    {"HL02_PARENT", 0, L_SEG, "7", "HL", 0, 0, 0, 0, 0, 0},
    {"HL01_ORDER", 0, L_SEG, "8", "HL", 0, 1, 628, "I12", 0, 0},
};

const c837_ack_rule *c837_ack999_rule(const char *problem, int field)
{
  const c837_ack_rule *any = NULL;
  size_t i;
  for (i = 0; i < sizeof RULES / sizeof RULES[0]; i++) {
    if (strcmp(RULES[i].problem, problem) != 0)
      continue;
    if (RULES[i].field == field)
      return &RULES[i];
    if (RULES[i].field == 0)
      any = &RULES[i];
  }
  return any;
}

/* ---- state ------------------------------------------------------------- */

/* Distinct codes of one IK5 or AK9, kept in code order. */
typedef struct codes {
  char c[5][4];
  int n;
} codes;

/* An input interchange begun: what a rejection of the file names. */
typedef struct isa_rec {
  c837_ack_isa isa;
  c837_ack_gs gs; /* its first group, when has_gs */
  int has_gs;
} isa_rec;

enum { OPEN_NONE = 0, OPEN_ACK, OPEN_SKIP };

struct c837_ack999 {
  c837_ack_options o;
  uint64_t own_control;
  c837_sink out;
  c837_error err;
  c837_ack999_stats st;
  int done; /* after reject_file */
  /* the interchange */
  int isa_open;
  isa_rec cur;
  char ta1[4];     /* TA105, "" none */
  int ta1_reject;  /* TA104 R */
  uint64_t groups; /* 999 sets written in body */
  uint64_t isa_sets, isa_accepted;
  c837_buf body, head;
  ack_out ob, oh;
  /* the group */
  int gs_open;
  codes gcodes;
  c837_map st02s; /* the group's ST02s, to see one repeated */
  uint64_t received, accepted;
  int any_e;
  /* the set */
  int st_open;
  codes scodes;
  int seg_errors, last_written;
  /* interchanges of the file, for reject_file */
  isa_rec *isas;
  size_t n_isas, cap_isas;
};

/* Sets the sticky error (the first wins) and returns it. */
static c837_status fail(c837_ack999 *a, c837_status code, const char *why)
{
  return c837_error_first(&a->err, code, 0, 0, "999: %s", why);
}

/* The sticky error, or ENOMEM when a buffer could not grow. */
static c837_status status(c837_ack999 *a)
{
  if (a->err.code == C837_OK && (a->ob.failed || a->oh.failed))
    fail(a, C837_ENOMEM, "out of memory");
  return a->err.code;
}

/* Sort key of a code: numbers in order, then the I codes. */
static int code_rank(const char *c)
{
  return c[0] == 'I' ? 10000 + atoi(c + 1) : atoi(c);
}

/* 1 when c is 1-3 upper-case letters or digits (an X12 ID code). */
static int code_ok(const char *c)
{
  size_t n = c ? strlen(c) : 0, i;
  if (n == 0 || n > 3)
    return 0;
  for (i = 0; i < n; i++)
    if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
      return 0;
  return 1;
}

/* Adds c to k: distinct codes in code order, the five lowest kept
 * (whatever order they came in). */
static void codes_add(codes *k, const char *c)
{
  int i, j;
  for (i = 0; i < k->n; i++)
    if (strcmp(k->c[i], c) == 0)
      return;
  if (k->n == 5 && code_rank(c) >= code_rank(k->c[4]))
    return;
  if (k->n == 5)
    k->n = 4;
  for (i = 0; i < k->n && code_rank(k->c[i]) < code_rank(c); i++)
    ;
  for (j = k->n; j > i; j--)
    memcpy(k->c[j], k->c[j - 1], sizeof k->c[j]);
  snprintf(k->c[i], sizeof k->c[i], "%s", c);
  k->n++;
}

/* Code i of k, or NULL (an empty element) past the last. */
static const char *code_at(const codes *k, int i)
{
  return i < k->n ? k->c[i] : NULL;
}

c837_ack999 *c837_ack999_new(const c837_ack_options *o, const c837_sink *out)
{
  c837_ack999 *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  if (o)
    a->o = *o;
  if (!a->o.control) {
    a->own_control = 1;
    a->o.control = &a->own_control;
  }
  a->out = *out;
  a->ob.b = &a->body;
  a->oh.b = &a->head;
  return a;
}

/* ---- interchange ------------------------------------------------------- */

c837_status c837_ack999_begin_interchange(c837_ack999 *a,
                                          const c837_ack_isa *isa)
{
  if (a->err.code || a->done)
    return a->err.code ? a->err.code : fail(a, C837_EINVAL, "closed");
  if (a->isa_open && c837_ack999_end_interchange(a) != C837_OK)
    return a->err.code;
  memset(&a->cur, 0, sizeof a->cur);
  a->cur.isa = *isa;
  a->isa_open = 1;
  a->ta1[0] = '\0';
  a->ta1_reject = 0;
  a->groups = a->isa_sets = a->isa_accepted = 0;
  c837_buf_clear(&a->body);
  a->ob.d = a->oh.d = ack_delims(isa->delims);
  memcpy(a->ob.eol, isa->eol, sizeof a->ob.eol);
  memcpy(a->oh.eol, isa->eol, sizeof a->oh.eol);
  if (c837_vec_reserve(&a->isas, &a->cap_isas, a->n_isas + 1,
                       sizeof *a->isas, 4, 0) != 0)
    return fail(a, C837_ENOMEM, "out of memory");
  a->isas[a->n_isas++] = a->cur;
  return C837_OK;
}

c837_status c837_ack999_interchange_code(c837_ack999 *a, const char *code)
{
  if (a->err.code)
    return a->err.code;
  if (!code_ok(code))
    return fail(a, C837_EINVAL, "malformed TA105 code");
  if (!a->isa_open)
    a->st.unacknowledged++;
  else if (!a->ta1[0])
    snprintf(a->ta1, sizeof a->ta1, "%s", code);
  return C837_OK;
}

/* 1 when the TA1 can name the input interchange (TA101-TA103). */
static int ta1_echoable(const c837_ack_isa *isa)
{
  return strlen(isa->control) == 9 && ack_digits_ok(isa->control, 9) &&
         ack_date6_ok(isa->date) && ack_time4_ok(isa->time);
}

/* TA1 for the interchange of r into o: ack 'A', 'E' or 'R'. */
static void write_ta1(ack_out *o, const c837_ack_isa *isa, char ack,
                      const char *code)
{
  char c[2] = {ack, '\0'};
  ack_seg(o, "TA1", isa->control, isa->date, isa->time, c, code, ACK_END);
}

/* ISA [TA1] [GS body GE] IEA of the interchange into the sink. */
static c837_status write_interchange(c837_ack999 *a, const char *ta1_code,
                                     char ta1_ack)
{
  ack_env e;
  uint32_t ctl = ack_take_control(a->o.control);
  ack_env_make(&e, &a->o, &a->cur.isa, a->cur.has_gs ? &a->cur.gs : NULL);
  c837_buf_clear(&a->head);
  ack_isa(&a->oh, &e, ctl);
  if (ta1_code) {
    write_ta1(&a->oh, &a->cur.isa, ta1_ack, ta1_code);
    a->st.ta1++;
  }
  if (a->groups)
    ack_gs(&a->oh, &e, "FA", ctl, "005010X231A1");
  if (status(a) || ack_flush(&a->out, &a->head) || ack_flush(&a->out, &a->body))
    return a->err.code ? a->err.code : fail(a, C837_EIO, "write failed");
  if (a->groups)
    ack_ge(&a->oh, a->groups, ctl);
  ack_iea(&a->oh, a->groups ? 1 : 0, ctl);
  if (status(a) || ack_flush(&a->out, &a->head))
    return a->err.code ? a->err.code : fail(a, C837_EIO, "write failed");
  a->st.interchanges++;
  return C837_OK;
}

c837_status c837_ack999_end_interchange(c837_ack999 *a)
{
  const char *code = NULL;
  char ack = 'A';
  if (a->err.code || !a->isa_open)
    return a->err.code ? a->err.code : fail(a, C837_EINVAL, "no interchange");
  if (a->st_open && c837_ack999_end_set(a, 0) != C837_OK)
    return a->err.code;
  if (a->gs_open && c837_ack999_end_group(a, NULL) != C837_OK)
    return a->err.code;
  a->isa_open = 0;
  if (a->ta1[0] || a->ta1_reject) {
    code = a->ta1[0] ? a->ta1 : "024";
    ack = a->ta1_reject ? 'R' : 'E';
  } else if (a->cur.isa.ack_requested == '1') {
    code = "000";
  }
  if (code && !ta1_echoable(&a->cur.isa)) {
    a->st.unacknowledged++;
    code = NULL;
  }
  if (!code && !a->groups)
    return C837_OK; /* nothing to say about it */
  return write_interchange(a, code, ack);
}

/* ---- group --------------------------------------------------------------- */

c837_status c837_ack999_begin_group(c837_ack999 *a, const c837_ack_gs *gs)
{
  char st02[16], f[8], ver[16];
  const c837_delims *d = &a->ob.d;
  if (a->err.code || a->done)
    return a->err.code ? a->err.code : fail(a, C837_EINVAL, "closed");
  if (a->gs_open && c837_ack999_end_group(a, NULL) != C837_OK)
    return a->err.code;
  if (!a->isa_open) {
    a->gs_open = OPEN_SKIP;
    return C837_OK;
  }
  if (!a->cur.has_gs) {
    a->cur.gs = *gs;
    a->cur.has_gs = 1;
    a->isas[a->n_isas - 1] = a->cur;
  }
  a->gs_open = OPEN_ACK;
  memset(&a->gcodes, 0, sizeof a->gcodes);
  c837_map_free(&a->st02s);
  a->received = a->accepted = 0;
  a->any_e = 0;
  a->ob.nseg = 0;
  /* AK102 (N0 1/9) names the group by its GS06; one that is not 1 to 9
   * digits is never echoed: AK102 0 and AK905 6, group control number
   * violates syntax (specs/acks.md) */
  if (!ack_digits_ok(gs->control, 9))
    codes_add(&a->gcodes, "6");
  snprintf(st02, sizeof st02, "%04lu", (unsigned long)(a->groups + 1));
  ack_seg(&a->ob, "ST", "999", st02, "005010X231A1", ACK_END);
  ack_seg(&a->ob, "AK1", ack_clean(f, sizeof f, gs->func, 2, d),
          ack_gs06(gs->control), ack_clean(ver, sizeof ver, gs->version, 12, d),
          ACK_END);
  return status(a);
}

/* A code for the AK9 or IK5 k, whose level is open (and acknowledged)
 * or not. */
static c837_status add_code(c837_ack999 *a, codes *k, int open,
                            const char *code, const char *what)
{
  if (a->err.code)
    return a->err.code;
  if (!code_ok(code))
    return fail(a, C837_EINVAL, what);
  if (open)
    codes_add(k, code);
  else
    a->st.unacknowledged++;
  return C837_OK;
}

c837_status c837_ack999_group_code(c837_ack999 *a, const char *code)
{
  return add_code(a, &a->gcodes, a->gs_open == OPEN_ACK, code,
                  "malformed AK905 code");
}

/* AK901 from the sets (A all accepted clean; E all accepted, some with
 * errors or the group with a code; P some accepted; R none). */
static const char *ak901(const c837_ack999 *a)
{
  if (a->accepted == 0)
    return "R";
  if (a->accepted < a->received)
    return "P";
  return a->any_e || a->gcodes.n ? "E" : "A";
}

c837_status c837_ack999_end_group(c837_ack999 *a, const char *ge01)
{
  char n2[24], n3[24], n4[24], se01[24], st02[16];
  const codes *k = &a->gcodes;
  if (a->err.code || !a->gs_open)
    return a->err.code ? a->err.code : fail(a, C837_EINVAL, "no group");
  if (a->st_open && c837_ack999_end_set(a, 0) != C837_OK)
    return a->err.code;
  if (a->gs_open == OPEN_SKIP) {
    a->gs_open = OPEN_NONE;
    return C837_OK;
  }
  a->gs_open = OPEN_NONE;
  snprintf(n3, sizeof n3, "%llu", (unsigned long long)a->received);
  snprintf(n4, sizeof n4, "%llu", (unsigned long long)a->accepted);
  if (!ge01)
    snprintf(n2, sizeof n2, "%s", n3);
  else if (ack_digits_ok(ge01, 6))
    snprintf(n2, sizeof n2, "%lu", strtoul(ge01, NULL, 10));
  else
    snprintf(n2, sizeof n2, "0");
  if (strcmp(n2, n3) != 0)
    codes_add(&a->gcodes, "5");
  ack_seg(&a->ob, "AK9", ak901(a), n2, n3, n4, code_at(k, 0), code_at(k, 1),
          code_at(k, 2), code_at(k, 3), code_at(k, 4), ACK_END);
  snprintf(se01, sizeof se01, "%llu", (unsigned long long)(a->ob.nseg + 1));
  snprintf(st02, sizeof st02, "%04lu", (unsigned long)(a->groups + 1));
  ack_seg(&a->ob, "SE", se01, st02, ACK_END);
  a->groups++;
  return status(a);
}

/* ---- set ----------------------------------------------------------------- */

c837_status c837_ack999_begin_set(c837_ack999 *a, const c837_ack_st *st)
{
  char id[8], conv[40];
  const char *ak202;
  const c837_delims *d = &a->ob.d;
  size_t k;
  int added;
  if (a->err.code || a->done)
    return a->err.code ? a->err.code : fail(a, C837_EINVAL, "closed");
  if (a->st_open && c837_ack999_end_set(a, 0) != C837_OK)
    return a->err.code;
  if (a->gs_open != OPEN_ACK) {
    a->st_open = OPEN_SKIP;
    a->st.unacknowledged++;
    return C837_OK;
  }
  a->st_open = OPEN_ACK;
  memset(&a->scodes, 0, sizeof a->scodes);
  a->seg_errors = 0;
  a->last_written = 0;
  a->received++;
  /* AK202 (AN 4/9, required) names the set by its ST02; one X12 does not
   * allow there is never echoed: AK202 0000 and IK5 7, missing or
   * invalid transaction set control number (specs/acks.md) */
  ak202 = ack_st02(st->control, d);
  if (ak202 != st->control) {
    codes_add(&a->scodes, "7");
  } else {
    /* a control number already used in the group: 23 (whether or not
     * the parser reports it; an invalid one is not compared here) */
    added = c837_map_intern(&a->st02s, st->control, strlen(st->control), &k);
    if (added < 0)
      return fail(a, C837_ENOMEM, "out of memory");
    if (added == 0)
      codes_add(&a->scodes, "23");
  }
  ack_seg(&a->ob, "AK2", ack_clean(id, sizeof id, st->id, 3, d), ak202,
          ack_clean(conv, sizeof conv, st->convention, 35, d), ACK_END);
  return status(a);
}

c837_status c837_ack999_set_code(c837_ack999 *a, const char *code)
{
  return add_code(a, &a->scodes, a->st_open == OPEN_ACK, code,
                  "malformed IK502 code");
}

/* IK301: the leading 2 or 3 upper-case letters or digits of tag, else
 * UNK. */
static const char *segment_id(char *dst, const char *tag)
{
  size_t n = 0;
  while (tag && n < 3 && ((tag[n] >= 'A' && tag[n] <= 'Z') ||
                          (tag[n] >= '0' && tag[n] <= '9')))
    n++;
  if (n < 2)
    return "UNK";
  memcpy(dst, tag, n);
  dst[n] = '\0';
  return dst;
}

c837_status c837_ack999_segment_error(c837_ack999 *a,
                                      const c837_ack_segerr *e)
{
  char id[4], pos[24], loop[8], id35[40], ctx[48];
  const c837_delims *d = &a->ob.d;
  if (a->err.code)
    return a->err.code;
  if (!code_ok(e->code))
    return fail(a, C837_EINVAL, "malformed IK304 code");
  if (a->st_open == OPEN_SKIP) {
    a->st.unacknowledged++;
    return C837_OK;
  }
  if (a->st_open != OPEN_ACK)
    return fail(a, C837_EINVAL, "segment error outside a set");
  codes_add(&a->scodes, e->code[0] == 'I' ? "I5" : "5");
  a->last_written = a->seg_errors < C837_ACK_MAX_SEGMENT_ERRORS;
  a->seg_errors++;
  if (!a->last_written) {
    a->st.errors_dropped++;
    return C837_OK;
  }
  snprintf(pos, sizeof pos, "%llu", (unsigned long long)e->position);
  /* a loop id longer than IK303's 4 characters is left out, not cut */
  if (!e->loop || strlen(e->loop) > 4)
    loop[0] = '\0';
  else
    ack_clean(loop, sizeof loop, e->loop, 4, d);
  ack_seg(&a->ob, "IK3", segment_id(id, e->segment_id), pos, loop, e->code,
          ACK_END);
  if (e->claim_id && *ack_clean(id35, sizeof id35, e->claim_id, 35, d))
    ack_seg(&a->ob, "CTX", ack_comp(&a->ob, ctx, sizeof ctx, 2, "CLM01", id35),
            ACK_END);
  a->st.segment_errors++;
  return status(a);
}

c837_status c837_ack999_element_error(c837_ack999 *a,
                                      const c837_ack_elemerr *e)
{
  char el[8], comp[8], pos[24], ref[16];
  const char *value = NULL;
  if (a->err.code)
    return a->err.code;
  if (!code_ok(e->code) || e->element < 1 || e->element > 99 ||
      e->component < 0 || e->component > 99 || e->reference < 0 ||
      e->reference > 9999)
    return fail(a, C837_EINVAL, "malformed IK4");
  if (a->st_open == OPEN_SKIP)
    return C837_OK;
  if (a->st_open != OPEN_ACK || a->seg_errors == 0)
    return fail(a, C837_EINVAL, "element error without a segment error");
  if (e->code[0] == 'I')
    codes_add(&a->scodes, "I5");
  if (!a->last_written)
    return C837_OK;
  snprintf(el, sizeof el, "%d", e->element);
  snprintf(comp, sizeof comp, "%d", e->component);
  snprintf(ref, sizeof ref, "%d", e->reference);
  if (e->value && *e->value && ack_echoable(e->value, 99, &a->ob.d))
    value = e->value;
  ack_seg(&a->ob, "IK4",
          ack_comp(&a->ob, pos, sizeof pos, 2, el,
                   e->component ? comp : NULL),
          e->reference ? ref : NULL, e->code, value, ACK_END);
  return status(a);
}

c837_status c837_ack999_end_set(c837_ack999 *a, int rejected)
{
  const char *ik501;
  const codes *k = &a->scodes;
  if (a->err.code || !a->st_open)
    return a->err.code ? a->err.code : fail(a, C837_EINVAL, "no set");
  if (a->st_open == OPEN_SKIP) {
    a->st_open = OPEN_NONE;
    return C837_OK;
  }
  a->st_open = OPEN_NONE;
  if (rejected && k->n == 0)
    codes_add(&a->scodes, "5");
  ik501 = rejected ? "R" : k->n ? "E" : "A";
  ack_seg(&a->ob, "IK5", ik501, code_at(k, 0), code_at(k, 1), code_at(k, 2),
          code_at(k, 3), code_at(k, 4), ACK_END);
  a->isa_sets++;
  a->st.sets++;
  if (rejected) {
    a->st.sets_rejected++;
    return status(a);
  }
  a->accepted++;
  a->isa_accepted++;
  if (k->n) {
    a->any_e = 1;
    a->st.sets_errors++;
  } else {
    a->st.sets_accepted++;
  }
  return status(a);
}

/* ---- problems through the table ------------------------------------------ */

/* A segment rule: IK3 (+ CTX) and its IK4. */
static c837_status segment_rule(c837_ack999 *a, const c837_ack_rule *r,
                                const c837_ack_where *w)
{
  c837_ack_segerr se;
  c837_ack_elemerr ee;
  memset(&se, 0, sizeof se);
  se.segment_id = r->segment_id ? r->segment_id : w->segment_id;
  se.position = w->position;
  se.loop = r->loop && strcmp(r->loop, "=") == 0 ? w->loop : r->loop;
  se.code = r->code;
  se.claim_id = (r->flags & C837_ACK_CLAIM) ? w->claim_id : NULL;
  if (r->el_pos < 0 && w->element <= 0)
    se.code = "1"; /* the fault is in the tag: not a segment id */
  if (c837_ack999_segment_error(a, &se) != C837_OK || !r->el_code ||
      strcmp(se.code, "1") == 0)
    return a->err.code;
  memset(&ee, 0, sizeof ee);
  ee.element = r->el_pos < 0 ? w->element : r->el_pos;
  ee.reference = r->el_ref;
  ee.code = r->el_code;
  ee.value = r->el_value ? w->value : NULL;
  if (ee.element > 99) {
    /* an IK4 names the element by its position, two digits at most
     * (IK401 C030-1, N0 1/2): a fault past the 99th element (a damaged
     * segment whose terminator went missing) is told as what the
     * segment then certainly has, too many data elements (IK403 3) at
     * the 99th (our choice; the acknowledgment used to fail the file) */
    ee.element = 99;
    ee.reference = 0;
    ee.code = "3";
    ee.value = NULL;
  }
  return c837_ack999_element_error(a, &ee);
}

c837_status c837_ack999_problem(c837_ack999 *a, const char *problem,
                                const c837_ack_where *w)
{
  static const c837_ack_where none;
  const c837_ack_rule *r;
  if (a->err.code)
    return a->err.code;
  if (!w)
    w = &none;
  r = c837_ack999_rule(problem, w->element);
  if (!r) {
    a->st.unacknowledged++;
    return C837_OK;
  }
  switch (r->level) {
  case C837_ACK_NONE:
    return C837_OK;
  case C837_ACK_TA1:
    return c837_ack999_interchange_code(a, r->code);
  case C837_ACK_GROUP:
    return c837_ack999_group_code(a, r->code);
  case C837_ACK_SET:
    return c837_ack999_set_code(a, r->code);
  case C837_ACK_SEGMENT:
    if (a->st_open)
      return segment_rule(a, r, w);
    /* a segment outside any set: invalid interchange content */
    return c837_ack999_interchange_code(a, "024");
  }
  return C837_OK;
}

/* ---- ends that are not the input's ---------------------------------------- */

c837_status c837_ack999_cut(c837_ack999 *a, c837_status why)
{
  if (a->err.code || a->done)
    return a->err.code;
  if (a->st_open) {
    if (c837_ack999_set_code(a, "2") || c837_ack999_end_set(a, 1))
      return a->err.code;
  }
  if (a->gs_open) {
    if (c837_ack999_group_code(a, "3") || c837_ack999_end_group(a, NULL))
      return a->err.code;
  }
  if (!a->isa_open)
    return C837_OK;
  if (c837_ack999_interchange_code(a, why == C837_ETRUNC ? "023" : "024"))
    return a->err.code;
  a->ta1_reject = a->isa_accepted == 0;
  return c837_ack999_end_interchange(a);
}

c837_status c837_ack999_reject_file(c837_ack999 *a, c837_status why,
                                    const c837_sink *out)
{
  const char *code = why == C837_ETRUNC ? "023" : "024";
  size_t i;
  if (a->err.code)
    return a->err.code;
  a->done = 1;
  a->isa_open = a->gs_open = a->st_open = OPEN_NONE;
  a->out = *out;
  c837_buf_clear(&a->body);
  for (i = 0; i < a->n_isas; i++) {
    a->cur = a->isas[i];
    a->ob.d = a->oh.d = ack_delims(a->cur.isa.delims);
    memcpy(a->oh.eol, a->cur.isa.eol, sizeof a->oh.eol);
    a->groups = 0;
    if (!ta1_echoable(&a->cur.isa)) {
      a->st.unacknowledged++;
      continue;
    }
    if (write_interchange(a, code, 'R') != C837_OK)
      return a->err.code;
  }
  return C837_OK;
}

c837_status c837_ack999_finish(c837_ack999 *a, c837_ack999_stats *st,
                               c837_error *err)
{
  if (!a->err.code && !a->done && a->isa_open)
    c837_ack999_end_interchange(a);
  if (st)
    *st = a->st;
  if (err)
    *err = a->err;
  return a->err.code;
}

void c837_ack999_free(c837_ack999 *a)
{
  if (!a)
    return;
  c837_buf_free(&a->body);
  c837_buf_free(&a->head);
  c837_map_free(&a->st02s);
  free(a->isas);
  free(a);
}
