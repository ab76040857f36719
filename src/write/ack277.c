/* ack277.c -- the 277CA health care claim acknowledgment (005010X214)
 * of an input file, fed one input 837 set and its claims at a time
 * (ack.h), with the one table from edit ids to claim status codes.
 *
 * Output per input file (one interchange, one GS*HN, one 277CA set per
 * input 837 set, written when the input set ends):
 *
 *   ST*277, BHT*0085*08
 *   HL 20  2000A information source: NM1*AY (the 837's receiver), TRN*1,
 *          DTP*050 received (input GS04), DTP*009 processed
 *   HL 21  2000B information receiver: NM1*41 (the 837's submitter),
 *          TRN*2 (837 BHT03), STC*A1:19:AY, QTY/AMT totals of the set
 *   HL 19  2000C per billing provider (consecutive claims of one NPI and
 *          name): NM1*85, TRN*1 (ordinal), QTY/AMT totals of its claims
 *   HL PT  2000D per patient (consecutive claims): NM1*QC, then per claim
 *          2200D: TRN*2 (CLM01), STC..., REF*D9, REF*BLT, DTP*472
 *   SE
 *
 * Status codes: categories from X12 external code list 507 (Health
 * Care Claim Status Category Codes), status codes from list 508 (Health
 * Care Claim Status Codes), x12.org/codes; X214 uses only the A
 * categories in batch (X12 RFI 1942) and only accept (WQ) or reject (U)
 * (RFI 2203).  A QTY / AMT is written when its value is not zero.
 */
#include "write/ack_int.h"

#include "base/err.h"
#include "base/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table ------------------------------------------------------------ */

/* STC01 and STC10 of a claim held by an edit: category (507) and status
 * (508).  Our mapping (specs/acks.md): A7 when one value is wrong by
 * itself, A8 when values contradict each other or the patient's other
 * lines, A6 when a required companion line is absent, A3 for a
 * duplicate (a business rejection, not a field error). */
typedef struct stc_rule {
  const char *cat, *status;   /* STC01-1, STC01-2 */
  const char *cat2, *status2; /* STC10, NULL: none */
} stc_rule;

static const stc_rule STC_HELD[C837_EDIT_COUNT] = {
    /* 476 missing or invalid units of service */
    [C837_EDIT_UNITS_INVALID] = {"A7", "476", NULL, NULL},
    /* 659 unit or basis for measurement code */
    [C837_EDIT_UNIT_BASIS_INVALID] = {"A7", "659", NULL, NULL},
    /* 54 duplicate of a previously processed claim/line */
    [C837_EDIT_DUPLICATE_DAY] = {"A3", "54", NULL, NULL},
    /* 454 procedure code for services rendered */
    [C837_EDIT_CODE_DELETED] = {"A7", "454", NULL, NULL},
    /* 454 procedure code, 187 date(s) of service */
    [C837_EDIT_CODE_NOT_EFFECTIVE] = {"A8", "454", "A8", "187"},
    /* 455 revenue code for services rendered, 454 procedure code */
    [C837_EDIT_REVENUE_CODE_MISMATCH] = {"A8", "455", "A8", "454"},
    /* 732 information inconsistent with billing guidelines (needs a
     * second status), 187 date(s) of service */
    [C837_EDIT_STEP_OUT_OF_ORDER] = {"A8", "732", "A8", "187"},
    /* 736 a related or qualifying service/claim has not been received */
    [C837_EDIT_ADMIN_WITHOUT_PRODUCT] = {"A6", "736", NULL, NULL},
    [C837_EDIT_PRODUCT_WITHOUT_ADMIN] = {"A6", "736", NULL, NULL},
};

/* A holding edit without a row (and a claim held with no holding
 * finding): 21 missing or invalid information (needs a second status),
 * 247 line information. */
static const stc_rule STC_OTHER = {"A7", "21", "A7", "247"};

/* The STC codes of a claim held by edit e. */
static const stc_rule *held_rule(c837_edit e)
{
  if ((unsigned)e < C837_EDIT_COUNT && STC_HELD[e].cat)
    return &STC_HELD[e];
  return &STC_OTHER;
}

/* ---- state ------------------------------------------------------------ */

typedef struct totals {
  uint64_t n_acc, n_rej;
  int64_t amt_acc, amt_rej; /* cents */
} totals;

struct c837_ack277 {
  c837_ack_options o;
  uint64_t own_control;
  uint32_t control;
  c837_sink out;
  c837_error err;
  c837_ack277_stats st;
  ack_env env;
  int have_env, started;
  uint64_t sets_written;
  /* the 277CA set being built */
  int set_open;
  c837_ack277_set hdr;
  uint64_t n_claims, hl;
  totals set_tot, prov_tot;
  c837_buf body, prov, out_buf;
  ack_out ob, op, oo; /* into body, prov, out_buf */
  int have_prov, have_pat;
  c837_ack_party cur_prov, cur_pat;
  uint64_t prov_hl, prov_seq;
};

/* Sets the sticky error (the first wins) and returns it. */
static c837_status fail(c837_ack277 *b, c837_status code, const char *why)
{
  return c837_error_first(&b->err, code, 0, 0, "277CA: %s", why);
}

/* The sticky error, or ENOMEM when a buffer could not grow. */
static c837_status status(c837_ack277 *b)
{
  if (b->err.code == C837_OK &&
      (b->ob.failed || b->op.failed || b->oo.failed))
    fail(b, C837_ENOMEM, "out of memory");
  return b->err.code;
}

c837_ack277 *c837_ack277_new(const c837_ack_options *o, const c837_sink *out)
{
  c837_ack277 *b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  if (o)
    b->o = *o;
  if (!b->o.control) {
    b->own_control = 1;
    b->o.control = &b->own_control;
  }
  b->control = ack_take_control(b->o.control);
  b->out = *out;
  b->ob.b = &b->body;
  b->op.b = &b->prov;
  b->oo.b = &b->out_buf;
  return b;
}

/* ---- small formatters -------------------------------------------------- */

/* Cents as an X12 decimal ("12.5", "3") into dst (32 bytes). */
static char *money(char *dst, int64_t cents)
{
  c837_format_decimal(dst, 32, cents, 2);
  return dst;
}

/* n in decimal into dst (24 bytes). */
static char *count(char *dst, uint64_t n)
{
  snprintf(dst, 24, "%llu", (unsigned long long)n);
  return dst;
}

/* *sum += v, held at the int64 bounds (hostile amounts only). */
static void add_money(int64_t *sum, int64_t v)
{
  if (__builtin_add_overflow(*sum, v, sum))
    *sum = v < 0 ? INT64_MIN : INT64_MAX; /* past R 1-18 anyway */
}

/* QTY and AMT of a level (2200B: 90/AA, 2200C: QA/QC), each only when
 * its value is not zero. */
static void write_totals(ack_out *o, const totals *t, const char *q_acc,
                         const char *q_rej)
{
  char v[32];
  if (t->n_acc)
    ack_seg(o, "QTY", q_acc, count(v, t->n_acc), ACK_END);
  if (t->n_rej)
    ack_seg(o, "QTY", q_rej, count(v, t->n_rej), ACK_END);
  if (t->amt_acc)
    ack_seg(o, "AMT", "YU", money(v, t->amt_acc), ACK_END);
  if (t->amt_rej)
    ack_seg(o, "AMT", "YY", money(v, t->amt_rej), ACK_END);
}

/* NM102 of a party. */
static const char *party_type(const c837_ack_party *p)
{
  if (p->type == '1' || p->type == '2')
    return p->type == '1' ? "1" : "2";
  return p->first[0] ? "1" : "2";
}

/* An NM1 of a party: NM103-NM105 cleaned and cut to their lengths.
 * NM103 and NM109 are required: a name or id the 837 lacked (it
 * requires them too) is written as `fallback` (when it has 2 characters
 * or more), else as UNKNOWN, so that the file stays readable and a
 * person looks at the claim. */
static void write_nm1(ack_out *o, const char *ent, const c837_ack_party *p,
                      const char *idq, int names, const char *fallback)
{
  char last[61], first[36], mid[26], id[81], fb[81];
  const c837_delims *d = &o->d;
  if (strlen(ack_clean(fb, sizeof fb, fallback, 80, d)) < 2)
    strcpy(fb, "UNKNOWN");
  if (!*ack_clean(last, sizeof last, p->last, 60, d))
    ack_clean(last, sizeof last, fb, 60, d);
  ack_clean(first, sizeof first, names ? p->first : "", 35, d);
  ack_clean(mid, sizeof mid, names ? p->middle : "", 25, d);
  if (strlen(ack_clean(id, sizeof id, p->id, 80, d)) < 2)
    memcpy(id, fb, sizeof id);
  ack_seg(o, "NM1", ent, names ? party_type(p) : "2", last, first, mid, "",
          "", idq, id, ACK_END);
}

/* ---- sets ------------------------------------------------------------- */

c837_status c837_ack277_begin_set(c837_ack277 *b, const c837_ack_isa *isa,
                                  const c837_ack_gs *gs,
                                  const c837_ack277_set *s)
{
  if (b->err.code)
    return b->err.code;
  if (!b->have_env && !isa)
    return fail(b, C837_EINVAL, "the first set needs its ISA");
  if (b->set_open && c837_ack277_end_set(b) != C837_OK)
    return b->err.code;
  if (!b->have_env) {
    ack_env_make(&b->env, &b->o, isa, gs);
    b->have_env = 1;
    b->ob.d = b->op.d = b->oo.d = b->env.d;
    memcpy(b->ob.eol, b->env.eol, sizeof b->ob.eol);
    memcpy(b->op.eol, b->env.eol, sizeof b->op.eol);
    memcpy(b->oo.eol, b->env.eol, sizeof b->oo.eol);
  }
  b->hdr = *s;
  b->set_open = 1;
  b->n_claims = 0;
  b->hl = 2; /* 2000A is HL 1, 2000B HL 2 */
  memset(&b->set_tot, 0, sizeof b->set_tot);
  b->have_prov = b->have_pat = 0;
  b->prov_seq = 0;
  c837_buf_clear(&b->body);
  c837_buf_clear(&b->prov);
  b->ob.nseg = b->op.nseg = 0;
  return C837_OK;
}

/* The open provider's section (HL 19 .. its totals, then its patients
 * and claims) goes to the set's body. */
static void close_provider(c837_ack277 *b)
{
  char hl[24];
  if (!b->have_prov)
    return;
  b->have_prov = 0;
  ack_seg(&b->ob, "HL", count(hl, b->prov_hl), "2", "19", "1", ACK_END);
  write_nm1(&b->ob, "85", &b->cur_prov, "XX", 1, NULL);
  ack_seg(&b->ob, "TRN", "1", count(hl, b->prov_seq), ACK_END);
  write_totals(&b->ob, &b->prov_tot, "QA", "QC");
  if (c837_buf_put(&b->body, b->prov.p, b->prov.len) != 0)
    b->ob.failed = 1;
  b->ob.nseg += b->op.nseg;
  c837_buf_clear(&b->prov);
  b->op.nseg = 0;
}

/* ST .. 2000B of the open set into o (the set's totals known). */
static void write_head(c837_ack277 *b, ack_out *o)
{
  char st02[16], bht03[40], trn[64], d8[9], t4[8], v[32];
  char name_id[81];
  int64_t all;
  const c837_delims *d = &o->d;
  const c837_ack277_set *h = &b->hdr;
  ack_fmt_date8(d8, b->env.date);
  snprintf(t4, sizeof t4, "%04d", b->env.time);
  snprintf(st02, sizeof st02, "%04llu",
           (unsigned long long)(b->sets_written + 1));
  /* a control number that cannot be echoed is named as in the 999 (GS06
   * 0 as in AK102, ST02 0000 as in AK202; ISA13 000000000) */
  snprintf(bht03, sizeof bht03, "%.15s-%.14s", ack_gs06(h->gs06),
           ack_st02(h->st02, d));
  ack_seg(o, "ST", "277", st02, "005010X214", ACK_END);
  ack_seg(o, "BHT", "0085", "08", ack_clean(v, sizeof v, bht03, 30, d), d8,
          t4, "TH", ACK_END);
  ack_seg(o, "HL", "1", "", "20", "1", ACK_END);
  /* the 837's receiver, else our own id */
  write_nm1(o, "AY", &h->receiver, "46", 0,
            h->receiver.id[0] ? h->receiver.id : b->env.sender_id);
  snprintf(trn, sizeof trn, "%.15s-%.15s-%.15s", ack_isa13(h->isa13),
           ack_gs06(h->gs06), ack_st02(h->st02, d));
  ack_seg(o, "TRN", "1", ack_clean(v, sizeof v, trn, 50, d), ACK_END);
  ack_seg(o, "DTP", "050", "D8", ack_date8_ok(h->received) ? h->received : d8,
          ACK_END);
  ack_seg(o, "DTP", "009", "D8", d8, ACK_END);
  ack_seg(o, "HL", "2", "1", "21", b->n_claims ? "1" : "0", ACK_END);
  write_nm1(o, "41", &h->submitter, "46", 1,
            h->submitter.id[0] ? h->submitter.id : b->env.receiver_id);
  if (!*ack_clean(trn, sizeof trn, h->bht03, 50, d))
    ack_clean(trn, sizeof trn, bht03, 50, d);
  ack_seg(o, "TRN", "2", trn, ACK_END);
  /* 19 entity acknowledges receipt of claim (needs the entity: AY
   * clearinghouse); STC04 the total of all claims */
  all = b->set_tot.amt_acc;
  add_money(&all, b->set_tot.amt_rej);
  ack_seg(o, "STC", ack_comp(o, name_id, sizeof name_id, 3, "A1", "19", "AY"),
          d8, "WQ", money(v, all), ACK_END);
  write_totals(o, &b->set_tot, "90", "AA");
}

c837_status c837_ack277_end_set(c837_ack277 *b)
{
  char se01[24], st02[16];
  if (b->err.code || !b->set_open)
    return b->err.code ? b->err.code : fail(b, C837_EINVAL, "no set");
  b->set_open = 0;
  close_provider(b);
  c837_buf_clear(&b->out_buf);
  if (!b->started) {
    ack_isa(&b->oo, &b->env, b->control);
    ack_gs(&b->oo, &b->env, "HN", b->control, "005010X214");
  }
  b->oo.nseg = 0;
  write_head(b, &b->oo);
  if (status(b) || ack_flush(&b->out, &b->out_buf) ||
      ack_flush(&b->out, &b->body))
    return b->err.code ? b->err.code : fail(b, C837_EIO, "write failed");
  b->started = 1;
  snprintf(se01, sizeof se01, "%llu",
           (unsigned long long)(b->oo.nseg + b->ob.nseg + 1));
  snprintf(st02, sizeof st02, "%04llu",
           (unsigned long long)(b->sets_written + 1));
  ack_seg(&b->oo, "SE", se01, st02, ACK_END);
  if (status(b) || ack_flush(&b->out, &b->out_buf))
    return b->err.code ? b->err.code : fail(b, C837_EIO, "write failed");
  b->sets_written++;
  b->st.sets++;
  return C837_OK;
}

/* ---- claims ----------------------------------------------------------- */

static int same_party(const c837_ack_party *a, const c837_ack_party *p)
{
  return a->type == p->type && strcmp(a->last, p->last) == 0 &&
         strcmp(a->first, p->first) == 0 &&
         strcmp(a->middle, p->middle) == 0 && strcmp(a->id, p->id) == 0;
}

/* A new 2000C when the provider changes, a new 2000D when the patient
 * does (or the provider did). */
static void place_claim(c837_ack277 *b, const c837_ack_claim *c)
{
  static const c837_ack_party nobody;
  const c837_ack_party *pv = c->provider ? c->provider : &nobody;
  const c837_ack_party *pt = c->patient ? c->patient : &nobody;
  char hl[24], parent[24];
  if (!b->have_prov || !same_party(&b->cur_prov, pv)) {
    close_provider(b);
    b->have_prov = 1;
    b->have_pat = 0;
    b->cur_prov = *pv;
    b->prov_hl = ++b->hl;
    b->prov_seq++;
    memset(&b->prov_tot, 0, sizeof b->prov_tot);
  }
  if (!b->have_pat || !same_party(&b->cur_pat, pt)) {
    b->have_pat = 1;
    b->cur_pat = *pt;
    ack_seg(&b->op, "HL", count(hl, ++b->hl), count(parent, b->prov_hl),
            "PT", ACK_END);
    {
      c837_ack_party q = *pt;
      q.type = '1';
      write_nm1(&b->op, "QC", &q, "MI", 1, NULL);
    }
  }
}

/* STC12: "HELD|FIXED EDIT[ LXn[,n...]]" naming the lines of the
 * findings with that edit and action (numeric LX01 only, each once, at
 * most 264 characters). */
static void stc_text(char *dst, size_t sz, const char *verb,
                     const c837_ack_claim *c, c837_edit e, c837_action act)
{
  size_t len, i, lines = 0;
  len = (size_t)snprintf(dst, sz, "%s %s", verb, c837_edit_name(e));
  for (i = 0; i < c->n_findings; i++) {
    const c837_ack_finding *f = &c->findings[i];
    size_t k, n;
    int dup = 0;
    if (f->edit != e || f->action != act || !f->lx ||
        !ack_digits_ok(f->lx, 6))
      continue;
    for (k = 0; k < i && !dup; k++)
      dup = c->findings[k].edit == e && c->findings[k].action == act &&
            c->findings[k].lx && strcmp(c->findings[k].lx, f->lx) == 0;
    n = strlen(f->lx) + (lines ? 1 : 3);
    if (dup || len + n > 264 || len + n >= sz)
      continue;
    len += (size_t)snprintf(dst + len, sz - len, "%s%s",
                            lines ? "," : " LX", f->lx);
    lines++;
  }
}

/* One STC of a claim. */
static void write_stc(c837_ack277 *b, const stc_rule *r, const char *action,
                      const char *charge, const char *text)
{
  char c1[40], c10[40], d8[9];
  ack_out *o = &b->op;
  ack_fmt_date8(d8, b->env.date);
  ack_seg(o, "STC", ack_comp(o, c1, sizeof c1, 2, r->cat, r->status), d8,
          action, charge, "", "", "", "", "",
          r->cat2 ? ack_comp(o, c10, sizeof c10, 2, r->cat2, r->status2)
                  : "",
          "", text, ACK_END);
}

/* 1 when finding i is the first of its edit and action in c. */
static int first_of(const c837_ack_claim *c, size_t i, c837_action act)
{
  size_t k;
  if (c->findings[i].action != act)
    return 0;
  for (k = 0; k < i; k++)
    if (c->findings[k].edit == c->findings[i].edit &&
        c->findings[k].action == act)
      return 0;
  return 1;
}

/* The claim's STCs: accepted (A1:20, WQ; one per fixed edit on a fixed
 * claim) or rejected (one per holding edit, U). */
static void write_status(c837_ack277 *b, const c837_ack_claim *c,
                         const char *charge)
{
  static const stc_rule accepted = {"A1", "20", NULL, NULL};
  const int held = c->disposition == C837_DISP_HELD;
  const c837_action act = held ? C837_ACT_HELD : C837_ACT_FIXED;
  char text[300];
  size_t i, n = 0;
  if (held || c->disposition == C837_DISP_FIXED) {
    for (i = 0; i < c->n_findings; i++) {
      if (!first_of(c, i, act))
        continue;
      stc_text(text, sizeof text, held ? "HELD" : "FIXED", c,
               c->findings[i].edit, act);
      write_stc(b, held ? held_rule(c->findings[i].edit) : &accepted,
                held ? "U" : "WQ", charge, text);
      n++;
    }
  }
  if (n)
    return;
  if (!held) {
    write_stc(b, &accepted, "WQ", charge, NULL);
    return;
  }
  /* held without a holding finding (e.g. fixes the writer could not
   * apply): name the first finding's edit */
  snprintf(text, sizeof text, "HELD %s",
           c->n_findings ? c837_edit_name(c->findings[0].edit) : "UNKNOWN");
  write_stc(b, &STC_OTHER, "U", charge, text);
}

/* DTP*472 of a claim: D8 or RD8; without dates, the set's received date
 * (or the acknowledgment's). */
static void write_dates(c837_ack277 *b, const c837_ack_claim *c)
{
  char v[24], d8[9];
  int32_t from = c->date_from, to = c->date_to;
  if (from == 0 && to == 0) {
    if (ack_date8_ok(b->hdr.received))
      from = (int32_t)strtol(b->hdr.received, NULL, 10);
    else
      from = b->env.date;
  }
  if (from == 0 || (to && to < from)) {
    int32_t t = from;
    from = to;
    to = t;
  }
  if (to == 0 || to == from) {
    ack_fmt_date8(d8, from);
    ack_seg(&b->op, "DTP", "472", "D8", d8, ACK_END);
    return;
  }
  snprintf(v, sizeof v, "%08ld-%08ld", (long)from, (long)to);
  ack_seg(&b->op, "DTP", "472", "RD8", v, ACK_END);
}

c837_status c837_ack277_claim(c837_ack277 *b, const c837_ack_claim *c)
{
  char id[51], charge[32], ref[51];
  const c837_delims *d = &b->op.d;
  totals *ts = &b->set_tot, *tp = &b->prov_tot;
  const int held = c->disposition == C837_DISP_HELD;
  if (b->err.code)
    return b->err.code;
  if (!b->set_open)
    return fail(b, C837_EINVAL, "claim outside a set");
  if (b->n_claims == C837_ACK_MAX_SET_CLAIMS) { /* one more set */
    c837_ack277_set h = b->hdr;
    if (c837_ack277_end_set(b) != C837_OK ||
        c837_ack277_begin_set(b, NULL, NULL, &h) != C837_OK)
      return b->err.code;
  }
  place_claim(b, c);
  ack_seg(&b->op, "TRN", "2", ack_clean(id, sizeof id, c->id, 50, d), ACK_END);
  write_status(b, c, money(charge, c->charge));
  if (c->trace && *ack_clean(ref, sizeof ref, c->trace, 50, d))
    ack_seg(&b->op, "REF", "D9", ref, ACK_END);
  if (c->tob && *ack_clean(ref, sizeof ref, c->tob, 50, d))
    ack_seg(&b->op, "REF", "BLT", ref, ACK_END);
  write_dates(b, c);
  b->n_claims++;
  if (held) {
    ts->n_rej++, tp->n_rej++, b->st.claims_rejected++;
    add_money(&ts->amt_rej, c->charge);
    add_money(&tp->amt_rej, c->charge);
    add_money(&b->st.amount_rejected, c->charge);
  } else {
    ts->n_acc++, tp->n_acc++, b->st.claims_accepted++;
    add_money(&ts->amt_acc, c->charge);
    add_money(&tp->amt_acc, c->charge);
    add_money(&b->st.amount_accepted, c->charge);
  }
  return status(b);
}

c837_status c837_ack277_finish(c837_ack277 *b, c837_ack277_stats *st,
                               c837_error *err)
{
  if (!b->err.code && b->set_open)
    c837_ack277_end_set(b);
  if (!b->err.code && b->started) {
    b->started = 0;
    c837_buf_clear(&b->out_buf);
    ack_ge(&b->oo, b->sets_written, b->control);
    ack_iea(&b->oo, 1, b->control);
    if (!status(b) && ack_flush(&b->out, &b->out_buf))
      fail(b, C837_EIO, "write failed");
  }
  if (st)
    *st = b->st;
  if (err)
    *err = b->err;
  return b->err.code;
}

void c837_ack277_free(c837_ack277 *b)
{
  if (!b)
    return;
  c837_buf_free(&b->body);
  c837_buf_free(&b->prov);
  c837_buf_free(&b->out_buf);
  free(b);
}
