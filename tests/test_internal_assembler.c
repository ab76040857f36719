/* test_internal_assembler.c -- unit tests of the claim assembler (src/parse/:
 * assembler.c, envelope.c, claim.c)
 *
 * Small 837 files are written inline as arrays of segment bodies, joined
 * with "~\n" (segment offsets follow from the array, so expected byte
 * offsets are computed from the input, never read back from the code
 * under test).  They go through the real tokenizer into the assembler,
 * and every claim, non-claim segment (with its role) and problem is
 * recorded.  The tests check the claim model field by field: parties,
 * the 2320/2330A NM1*IL and 2430 SVD/DTP traps, line dates (D8, RD8,
 * claim fallback), SV1/SV2 fields, CLM05, TOB, REF*F8, kind from the
 * lines, 4010, 837D and non-837 sets; the claim's context (place of
 * service, SBR09 and payer class, admission, HI lists, notes, drug
 * loops, the patient's DMG) for 837P and 837I, with COB loops whose
 * values must not be read, and its bounds (CLAIM_MODEL_LIMIT); then the
 * envelope problems with exact codes, messages, offsets and segment
 * numbers; and for every input, that the whole recorded model is
 * identical at chunk sizes 1..64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cart837.h"
#include "base/limits.h"
#include "testbuf.h"

/* ------------------------------------------------------------------ */
/* Building inputs                                                     */
/* ------------------------------------------------------------------ */

#define ISA_T(R, V, N)                                                     \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*" R "*" V "*" N "*0*P*:"
#define ISA5 ISA_T("^", "00501", "000000001")

/* Joins segment bodies with "~\n".  "#" as the first element of SE, GE
 * or IEA is replaced by the right count (segments ST..SE, sets in the
 * group, groups in the interchange), so that valid files stay valid
 * while they are edited; explicit numbers are kept as written. */
static void build(const char *const *segs, buf *out)
{
  size_t i, st_count = 0, ge_count = 0, iea_count = 0;
  for (i = 0; segs[i]; i++) {
    const char *s = segs[i];
    if (strncmp(s, "ST*", 3) == 0) {
      st_count = 0;
      ge_count++;
    } else if (strncmp(s, "GS*", 3) == 0) {
      ge_count = 0;
      iea_count++;
    } else if (strncmp(s, "ISA", 3) == 0) {
      iea_count = 0;
    }
    st_count++;
    if (strncmp(s, "SE*#", 4) == 0)
      buf_fmt(out, "SE*%zu%s", st_count, s + 4);
    else if (strncmp(s, "GE*#", 4) == 0)
      buf_fmt(out, "GE*%zu%s", ge_count, s + 4);
    else if (strncmp(s, "IEA*#", 5) == 0)
      buf_fmt(out, "IEA*%zu%s", iea_count, s + 5);
    else
      buf_add(out, s, strlen(s));
    buf_add(out, "~\n", 2);
  }
}

/* Offset of segment k (1-based) in the input build() makes of segs: the
 * length of what build() makes of the k-1 segments before it. */
static uint64_t seg_offset(const char *const *segs, size_t k)
{
  buf all = {0, 0, 0};
  const char **pre = calloc(k, sizeof *pre);
  uint64_t off;
  size_t i;
  assert_non_null(pre);
  for (i = 0; i + 1 < k; i++) {
    assert_non_null(segs[i]);
    pre[i] = segs[i];
  }
  build(pre, &all);
  off = all.len;
  free(pre);
  free(all.p);
  return off;
}

/* ------------------------------------------------------------------ */
/* Recording what the assembler hands out                              */
/* ------------------------------------------------------------------ */

#define MAX_SAVED 16
#define MAX_SAVED_LINES 8

typedef struct saved {
  c837_claim c;
  c837_envelope env;
  c837_line lines[MAX_SAVED_LINES];
  char raw[8192];
  size_t raw_len;
  char tags[512]; /* "CLM REF DTP ..." */
  char flags[64];  /* each segment's C837_SEG_* flags: "0 1 0 ..." */
  char ctx[12288]; /* dump_context of the claim (cut to fit) */
} saved;

typedef struct rec {
  buf log;       /* everything, in order, for chunk invariance */
  c837_error err; /* the assembler's error, when it stopped */
  buf pending;   /* c837_assembler_pending when it stopped */
  buf roles;     /* "ISA:ISA GS:GS ..." for non-claim segments */
  buf problems;  /* "CODE seg N off O: msg\n" */
  buf raw;       /* raw bytes of every segment, claims included */
  saved claims[MAX_SAVED];
  size_t n_claims;
  int stop_claims; /* claim callback returns 1 after this many (0: never) */
} rec;

static const char *role_name(c837_role r)
{
  static const char *const names[] = {"ISA", "GS",  "ST", "HEADER", "HL",
                                      "LOOP", "SE", "GE", "IEA",    "OTHER"};
  return (unsigned)r < 10 ? names[r] : "?";
}

static void dump_party(buf *b, const char *what, const c837_party *p)
{
  buf_fmt(b, " %s=[%s|%s|%s|%ld]", what, p->id, p->last, p->first,
          (long)p->dob);
}

static void dump_env(buf *b, const c837_envelope *e)
{
  buf_fmt(b, "env d=%c%c%c%c isa06=%s isa13=%s gs06=%s gs08=%s st01=%s "
             "st02=%s st03=%s declared=%s version=%d\n",
          e->delims.element, e->delims.repetition ? e->delims.repetition : '0',
          e->delims.component,
          e->delims.segment == '\n' ? 'N' : e->delims.segment, e->isa06,
          e->isa13, e->gs06, e->gs08, e->st01, e->st02, e->st03,
          c837_kind_name(e->declared), e->version);
}

/* One list of HI codes, a line each: "  dx ABK:C8331 d=0 amt=/0/0 poa=
 * @5.1" (date, amount as written / cents / ok, present on admission,
 * segment index . element). */
static void dump_hi(buf *b, const char *what, const c837_hi_code *h,
                    size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    buf_fmt(b, "  %s %s:%s d=%ld amt=%s/%lld/%d poa=%s @%zu.%zu\n", what,
            h[i].qual, h[i].code, (long)h[i].date, h[i].amount_raw,
            (long long)h[i].amount, h[i].amount_ok, h[i].poa, h[i].seg,
            h[i].el);
}

/* The claim's context fields (claim_ctx.c), as text: the claim's, its
 * lists, then per line its place of service and drug loops. */
static void dump_context(buf *b, const c837_claim *c)
{
  size_t i, k;
  buf_fmt(b, "  ctx pos=%s filing=%s resp=%s payer=%s admit=%ld/%s/%d "
             "trial=%s dob=%ld g=%s\n",
          c->pos, c->filing,
          c->payer_resp, c->payer.id, (long)c->admit_date, c->admit_time,
          c->admit_bad, c->trial_ref, (long)c->patient_dob,
          c->patient_gender);
  dump_hi(b, "dx", c->dx, c->n_dx);
  dump_hi(b, "px", c->px, c->n_px);
  dump_hi(b, "cond", c->cond, c->n_cond);
  dump_hi(b, "value", c->value, c->n_value);
  for (i = 0; i < c->n_notes; i++)
    buf_fmt(b, "  note %s [%s] @%zu\n", c->notes[i].qual, c->notes[i].text,
            c->notes[i].seg);
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    buf_fmt(b, "  line %s pos=%s/%c mods=%s,%s,%s,%s nc=%lld drugs=%zu\n",
            l->lx, l->pos, l->pos_source ? l->pos_source : '0', l->mod[0],
            l->mod[1], l->mod[2], l->mod[3], (long long)l->noncovered,
            l->n_drugs);
    for (k = 0; k < l->n_drugs; k++) {
      const c837_drug *d = &l->drugs[k];
      buf_fmt(b, "    drug %s:%s q=%s/%lld/%d unit=%s @%zu,%lld\n",
              d->qualifier, d->id, d->quantity_raw, (long long)d->quantity,
              d->quantity_ok, d->unit, d->seg_lin,
              d->seg_ctp == C837_NO_INDEX ? -1LL : (long long)d->seg_ctp);
    }
  }
}

/* The lines' drugs are the claim's, line by line, in order. */
static void check_drug_slices(const c837_claim *c)
{
  size_t i, at = 0;
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    if (l->n_drugs == 0) {
      assert_null(l->drugs);
      continue;
    }
    assert_ptr_equal(l->drugs, c->drugs + at);
    at += l->n_drugs;
  }
  assert_int_equal(at, c->n_drugs);
  if (c->n_drugs == 0)
    assert_null(c->drugs);
}

/* Every field of the claim model, as text. */
static void dump_claim(buf *b, const c837_claim *c)
{
  size_t i;
  buf_fmt(b, "claim %s kind=%s total=%lld/%d fac=%s freq=%s tob=%s "
             "stmt=%ld-%ld svc=%ld-%ld ref=%s hl=%s has_patient=%d "
             "key=%s segs=%zu lines=%zu off=%llu num=%llu",
          c->id, c837_kind_name(c->kind), (long long)c->total, c->total_ok,
          c->facility, c->freq, c->tob, (long)c->stmt_from, (long)c->stmt_to,
          (long)c->svc_from, (long)c->svc_to, c->orig_ref, c->hl_id,
          c->has_patient, c->patient_key, c->n_segs, c->n_lines,
          (unsigned long long)c->offset, (unsigned long long)c->number);
  dump_party(b, "billing", &c->billing);
  dump_party(b, "subscriber", &c->subscriber);
  dump_party(b, "payer", &c->payer);
  dump_party(b, "patient", &c->patient);
  buf_add(b, "\n", 1);
  dump_env(b, c->env);
  for (i = 0; i < c->n_lines; i++) {
    const c837_line *l = &c->lines[i];
    buf_fmt(b, "  line lx=%s segs=%zu-%zu sv=%zu dtp=%zu type=%c rev=%s "
               "q=%s code=%s mods=%s,%s,%s,%s charge=%lld/%d basis=%s "
               "units=%s/%lld/%d nc=%lld date=%ld-%ld src=%c\n",
            l->lx, l->seg_first, l->seg_last, l->seg_sv, l->seg_dtp,
            l->sv ? l->sv : '0', l->revenue, l->qualifier, l->code,
            l->mod[0], l->mod[1], l->mod[2], l->mod[3], (long long)l->charge,
            l->charge_ok, l->unit_basis, l->units_raw, (long long)l->units,
            l->units_ok, (long long)l->noncovered, (long)l->date_from,
            (long)l->date_to, l->date_source ? l->date_source : '0');
  }
  dump_context(b, c);
  for (i = 0; i < c->n_segs; i++) {
    const c837_segment *s = &c->segs[i];
    buf_fmt(b, "  seg %llu@%llu %.*s n%zu [%.*s]\n",
            (unsigned long long)s->number, (unsigned long long)s->offset,
            (int)s->tag.len, s->tag.p, s->n_el, (int)s->raw_len, s->raw);
  }
}

static int on_segment(void *ud, const c837_segment *s, c837_role role,
                      const c837_envelope *env)
{
  rec *r = ud;
  assert_non_null(env);
  buf_fmt(&r->roles, "%.*s:%s ", (int)s->tag.len, s->tag.p, role_name(role));
  buf_fmt(&r->log, "segment %llu@%llu %.*s role=%s\n",
          (unsigned long long)s->number, (unsigned long long)s->offset,
          (int)s->tag.len, s->tag.p, role_name(role));
  dump_env(&r->log, env);
  buf_add(&r->raw, s->raw, s->raw_len);
  return 0;
}

static int on_claim(void *ud, const c837_claim *c)
{
  rec *r = ud;
  saved *sv;
  buf ctx = {0, 0, 0};
  size_t i;
  check_drug_slices(c);
  dump_claim(&r->log, c);
  for (i = 0; i < c->n_segs; i++)
    buf_add(&r->raw, c->segs[i].raw, c->segs[i].raw_len);
  assert_true(r->n_claims < MAX_SAVED);
  sv = &r->claims[r->n_claims++];
  memset(sv, 0, sizeof *sv);
  sv->c = *c;
  sv->env = *c->env;
  for (i = 0; i < c->n_lines && i < MAX_SAVED_LINES; i++)
    sv->lines[i] = c->lines[i];
  for (i = 0; i < c->n_segs; i++) {
    const c837_segment *s = &c->segs[i];
    /* huge claims (limit tests) are counted, not copied */
    if (sv->raw_len + s->raw_len >= sizeof sv->raw)
      break;
    memcpy(sv->raw + sv->raw_len, s->raw, s->raw_len);
    sv->raw_len += s->raw_len;
    snprintf(sv->tags + strlen(sv->tags), sizeof sv->tags - strlen(sv->tags),
             "%s%.*s", i ? " " : "", (int)s->tag.len, s->tag.p);
    snprintf(sv->flags + strlen(sv->flags),
             sizeof sv->flags - strlen(sv->flags), "%s%u", i ? " " : "",
             s->flags);
  }
  dump_context(&ctx, c);
  snprintf(sv->ctx, sizeof sv->ctx, "%s", ctx.p);
  free(ctx.p);
  sv->c.segs = NULL;
  sv->c.lines = NULL;
  sv->c.env = NULL;
  sv->c.dx = sv->c.px = sv->c.cond = sv->c.value = NULL;
  sv->c.notes = NULL;
  sv->c.drugs = NULL;
  for (i = 0; i < MAX_SAVED_LINES; i++)
    sv->lines[i].drugs = NULL;
  return r->stop_claims && r->n_claims == (size_t)r->stop_claims;
}

static int on_problem(void *ud, const c837_problem *p)
{
  rec *r = ud;
  assert_true(p->id < C837_PROB_COUNT);
  assert_int_equal(p->severity, c837_problem_severity(p->id));
  assert_string_equal(p->code, c837_problem_name(p->id));
  buf_fmt(&r->problems, "%s seg %llu off %llu: %s\n", p->code,
          (unsigned long long)p->segment, (unsigned long long)p->offset,
          p->msg);
  buf_fmt(&r->log, "problem %s seg %llu off %llu: %s\n", p->code,
          (unsigned long long)p->segment, (unsigned long long)p->offset,
          p->msg);
  return 0;
}

static void rec_free(rec *r)
{
  free(r->log.p);
  free(r->pending.p);
  free(r->roles.p);
  free(r->problems.p);
  free(r->raw.p);
  memset(r, 0, sizeof *r);
}

/* Runs in[0..n) through tokenizer and assembler in chunks of `chunk`
 * bytes (0: whole).  Fills *counts; returns the final status. */
static c837_status assemble(const char *in, size_t n, size_t chunk, rec *r,
                            c837_counts *counts)
{
  c837_handler h = {on_segment, on_claim, on_problem, r};
  c837_assembler *a = c837_assembler_new(&h);
  c837_tokenizer *t = c837_tokenizer_new(c837_assembler_segment, a);
  c837_status st = C837_OK;
  size_t off = 0;
  assert_non_null(a);
  assert_non_null(t);
  if (chunk == 0)
    chunk = n ? n : 1;
  while (off < n && st == C837_OK) {
    size_t k = n - off < chunk ? n - off : chunk;
    st = c837_tokenizer_feed(t, in + off, k);
    off += k;
  }
  if (st == C837_OK)
    st = c837_tokenizer_finish(t);
  if (st == C837_OK)
    st = c837_assembler_finish(a);
  else if (st == C837_ECALLBACK && c837_assembler_error(a)->code != C837_OK)
    st = c837_assembler_error(a)->code;
  if (c837_assembler_error(a)->code != C837_OK) {
    /* where and why it stopped, and the claim it kept back: the same at
     * every chunk size */
    const char *p;
    size_t pn;
    r->err = *c837_assembler_error(a);
    c837_assembler_pending(a, &p, &pn);
    r->pending.len = 0;
    buf_add(&r->pending, p ? p : "", pn);
    buf_fmt(&r->log, "error %s seg %llu off %llu: %s\npending %zu\n",
            c837_status_name(r->err.code),
            (unsigned long long)r->err.segment,
            (unsigned long long)r->err.offset, r->err.msg, pn);
  }
  if (counts)
    *counts = *c837_assembler_counts(a);
  if (counts)
    buf_fmt(&r->log,
            "counts seg=%llu isa=%llu gs=%llu st=%llu claims=%llu "
            "lines=%llu problems=%llu p=%llu i=%llu d=%llu\n",
            (unsigned long long)counts->segments,
            (unsigned long long)counts->interchanges,
            (unsigned long long)counts->groups,
            (unsigned long long)counts->transactions,
            (unsigned long long)counts->claims,
            (unsigned long long)counts->lines,
            (unsigned long long)counts->problems,
            (unsigned long long)counts->claims_p,
            (unsigned long long)counts->claims_i,
            (unsigned long long)counts->claims_d);
  c837_tokenizer_free(t);
  c837_assembler_free(a);
  return st;
}

/* Runs whole, checks raw pass-through, then at chunk sizes 1..64 checks
 * the identical log (claim model, roles, problems, counts). */
static c837_status assemble_all_chunks(const char *in, size_t n, rec *r,
                                       c837_counts *counts)
{
  c837_status st = assemble(in, n, 0, r, counts);
  size_t chunk;
  if (st == C837_OK) {
    /* every byte came out once, in order: claims and segments */
    assert_int_equal(r->raw.len, n);
    assert_memory_equal(r->raw.p, in, n);
  }
  for (chunk = 1; chunk <= 64; chunk++) {
    rec rc;
    c837_counts cc;
    c837_status s2;
    memset(&rc, 0, sizeof rc);
    s2 = assemble(in, n, chunk, &rc, &cc);
    assert_int_equal(s2, st);
    if (strcmp(rc.log.p, r->log.p) != 0) {
      fprintf(stderr, "chunk %zu:\n%s\n--- whole:\n%s\n", chunk, rc.log.p,
              r->log.p);
      fail_msg("claim model at chunk size %zu differs", chunk);
    }
    rec_free(&rc);
  }
  return st;
}

static c837_status run_segs(const char *const *segs, rec *r,
                            c837_counts *counts)
{
  buf in = {0, 0, 0};
  c837_status st;
  build(segs, &in);
  st = assemble_all_chunks(in.p, in.len, r, counts);
  free(in.p);
  return st;
}

/* ------------------------------------------------------------------ */
/* 837P: subscriber is patient, then a 2000C patient loop              */
/* ------------------------------------------------------------------ */

static const char *const PROF[] = {
    ISA5,                                                   /* 1 */
    "GS*HC*SENDER*RECEIVER*20250101*1200*1*X*005010X222A1", /* 2 */
    "ST*837*0001*005010X222A1",                             /* 3 */
    "BHT*0019*00*B1*20250101*1200*CH",                      /* 4 */
    "NM1*41*2*SUBMITTER*****46*S1",                         /* 5 */
    "PER*IC*JOE*TE*5551234567",                             /* 6 */
    "NM1*40*2*RECEIVER*****46*R1",                          /* 7 */
    "HL*1**20*1",                                           /* 8 */
    "PRV*BI*PXC*207Q00000X",                                /* 9 */
    "NM1*85*2*CANCER CENTER*****XX*1234567893",             /* 10 */
    "N3*1 MAIN ST",                                         /* 11 */
    "N4*CITY*ST*12345",                                     /* 12 */
    "REF*EI*123456789",                                     /* 13 */
    "HL*2*1*22*0",                                          /* 14 */
    "SBR*P*18*GRP1******CI",                                /* 15 */
    "NM1*IL*1*DOE*JANE****MI*MEMBER01",                     /* 16 */
    "DMG*D8*19700101*F",                                    /* 17 */
    "NM1*PR*2*ACME HEALTH*****PI*PAYER01",                  /* 18 */
    "CLM*CLAIM1*1500.5***11:B:1*Y*A*Y*Y",                   /* 19 */
    "DTP*431*D8*20241201",                                  /* 20 */
    "REF*F8*ORIG123",                                       /* 21 */
    "REF*F8*SECOND",                                        /* 22 */
    "DTP*472*D8*20250105",                                  /* 23 */
    "HI*ABK:C8331",                                         /* 24 */
    "NM1*82*1*ONC*DOC****XX*1111111112",                    /* 25 */
    "SBR*S*01*******CI",                                    /* 26 2320 */
    "NM1*IL*1*DOE*JOHN****MI*OTHERMEMBER",                  /* 27 2330A */
    "DMG*D8*19600101*M",                                    /* 28 */
    "NM1*PR*2*OTHER PAYER*****PI*OTHERPAYER",               /* 29 2330B */
    "LX*1",                                                 /* 30 */
    "SV1*HC:38225:GT:59:XS:76*1000*UN*1***1",               /* 31 */
    "DTP*472*D8*20250110",                                  /* 32 */
    "LX*2",                                                 /* 33 */
    "SV1*HC:Q2041*500.5*UN*.5***1",                         /* 34 */
    "DTP*472*RD8*20250110-20250112",                        /* 35 */
    "LX*3",                                                 /* 36 */
    "SV1*HP:99213*0*MJ*0.1***1",                            /* 37 */
    "SVD*OTHERPAYER*0*HC:99213**1",                         /* 38 2430 */
    "CAS*CO*45*10",                                         /* 39 */
    "DTP*573*D8*20250301",                                  /* 40 */
    "DTP*472*D8*20250401",                                  /* 41 */
    "LX*4",                                                 /* 42 */
    "SV1*HC:36415*12.25*UN*1.000***1",                      /* 43 */
    "HL*3*1*22*1",                                          /* 44 */
    "SBR*P**GRP2******CI",                                  /* 45 */
    "NM1*IL*1*SMITH*BOB****MI*MEMBER02",                    /* 46 */
    "DMG*D8*19650202*M",                                    /* 47 */
    "NM1*PR*2*ACME HEALTH*****PI*PAYER01",                  /* 48 */
    "HL*4*3*23*0",                                          /* 49 */
    "PAT*19",                                               /* 50 */
    "NM1*QC*1*SMITH*KID",                                   /* 51 */
    "DMG*D8*20100303*M",                                    /* 52 */
    "CLM*CLAIM2*200***22:B:7*Y*A*Y*Y",                      /* 53 */
    "REF*F8*PAYERCTL9",                                     /* 54 */
    "LX*1",                                                 /* 55 */
    "SV1*HC:38226*200*UN*1***1",                            /* 56 */
    "DTP*472*D8*20250201",                                  /* 57 */
    "SE*#*0001",                                            /* 58 */
    "GE*#*1",                                               /* 59 */
    "IEA*#*000000001",                                      /* 60 */
    NULL};

static void test_837p_claim_model(void **state)
{
  rec r;
  c837_counts n;
  const saved *c1, *c2;
  const c837_line *l;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(PROF, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(r.n_claims, 2);
  assert_int_equal(n.segments, 60);
  assert_int_equal(n.interchanges, 1);
  assert_int_equal(n.groups, 1);
  assert_int_equal(n.transactions, 1);
  assert_int_equal(n.claims, 2);
  assert_int_equal(n.lines, 5);
  assert_int_equal(n.claims_p, 2);
  assert_int_equal(n.claims_i, 0);
  assert_int_equal(n.problems, 0);

  /* roles of the segments that are not part of a claim */
  assert_string_equal(
      r.roles.p,
      "ISA:ISA GS:GS ST:ST BHT:HEADER NM1:HEADER PER:HEADER NM1:HEADER "
      "HL:HL PRV:LOOP NM1:LOOP N3:LOOP N4:LOOP REF:LOOP "
      "HL:HL SBR:LOOP NM1:LOOP DMG:LOOP NM1:LOOP "
      "HL:HL SBR:LOOP NM1:LOOP DMG:LOOP NM1:LOOP "
      "HL:HL PAT:LOOP NM1:LOOP DMG:LOOP "
      "SE:SE GE:GE IEA:IEA ");

  /* claim 1: subscriber is the patient */
  c1 = &r.claims[0];
  assert_string_equal(c1->c.id, "CLAIM1");
  assert_int_equal(c1->c.kind, C837_KIND_P);
  assert_int_equal(c1->c.total, 150050);
  assert_int_equal(c1->c.total_ok, 1);
  assert_string_equal(c1->c.facility, "11");
  assert_string_equal(c1->c.freq, "1");
  assert_string_equal(c1->c.tob, ""); /* 837P has no type of bill */
  assert_int_equal(c1->c.stmt_from, 0);
  assert_int_equal(c1->c.stmt_to, 0);
  assert_int_equal(c1->c.svc_from, 20250105);
  assert_int_equal(c1->c.svc_to, 20250105);
  assert_string_equal(c1->c.orig_ref, "ORIG123"); /* the first REF*F8 */
  assert_string_equal(c1->c.billing.id, "1234567893");
  assert_string_equal(c1->c.billing.last, "CANCER CENTER");
  /* 2330A NM1*IL (OTHERMEMBER) and its DMG do not replace 2010BA */
  assert_string_equal(c1->c.subscriber.id, "MEMBER01");
  assert_string_equal(c1->c.subscriber.last, "DOE");
  assert_string_equal(c1->c.subscriber.first, "JANE");
  assert_int_equal(c1->c.subscriber.dob, 19700101);
  /* 2330B NM1*PR does not replace 2010BB */
  assert_string_equal(c1->c.payer.id, "PAYER01");
  assert_string_equal(c1->c.payer.last, "ACME HEALTH");
  assert_int_equal(c1->c.has_patient, 0);
  assert_string_equal(c1->c.patient.id, "");
  assert_string_equal(c1->c.patient.last, "");
  assert_string_equal(c1->c.patient_key, "MEMBER01");
  assert_string_equal(c1->c.hl_id, "2");
  assert_int_equal(c1->c.offset, seg_offset(PROF, 19));
  assert_int_equal(c1->c.number, 19);
  assert_int_equal(c1->c.n_segs, 43 - 19 + 1);
  assert_string_equal(c1->tags,
                      "CLM DTP REF REF DTP HI NM1 SBR NM1 DMG NM1 LX SV1 DTP "
                      "LX SV1 DTP LX SV1 SVD CAS DTP DTP LX SV1");
  assert_string_equal(c1->flags, "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
                                 "0 0 0 0 0");
  assert_int_equal(c1->c.n_lines, 4);
  assert_int_equal(c1->env.version, 5010);
  assert_int_equal(c1->env.declared, C837_KIND_P);
  assert_string_equal(c1->env.isa06, "SENDER");
  assert_string_equal(c1->env.isa13, "000000001");
  assert_string_equal(c1->env.gs06, "1");
  assert_string_equal(c1->env.gs08, "005010X222A1");
  assert_string_equal(c1->env.st01, "837");
  assert_string_equal(c1->env.st02, "0001");
  assert_string_equal(c1->env.st03, "005010X222A1");
  assert_int_equal(c1->env.delims.element, '*');
  assert_int_equal(c1->env.delims.repetition, '^');
  assert_int_equal(c1->env.delims.component, ':');
  assert_int_equal(c1->env.delims.segment, '~');

  /* line 1: four modifiers, D8 line date */
  l = &c1->lines[0];
  assert_string_equal(l->lx, "1");
  assert_int_equal(l->seg_first, 11);
  assert_int_equal(l->seg_last, 13);
  assert_int_equal(l->seg_sv, 12);
  assert_int_equal(l->seg_dtp, 13);
  assert_int_equal(l->sv, '1');
  assert_string_equal(l->revenue, "");
  assert_string_equal(l->qualifier, "HC");
  assert_string_equal(l->code, "38225");
  assert_string_equal(l->mod[0], "GT");
  assert_string_equal(l->mod[1], "59");
  assert_string_equal(l->mod[2], "XS");
  assert_string_equal(l->mod[3], "76");
  assert_int_equal(l->charge, 100000);
  assert_int_equal(l->charge_ok, 1);
  assert_string_equal(l->unit_basis, "UN");
  assert_string_equal(l->units_raw, "1");
  assert_int_equal(l->units, 1000000);
  assert_int_equal(l->units_ok, 1);
  assert_int_equal(l->noncovered, 0);
  assert_int_equal(l->date_from, 20250110);
  assert_int_equal(l->date_to, 20250110);
  assert_int_equal(l->date_source, 'L');

  /* line 2: ".5" units, RD8 range */
  l = &c1->lines[1];
  assert_string_equal(l->lx, "2");
  assert_string_equal(l->code, "Q2041");
  assert_string_equal(l->mod[0], "");
  assert_string_equal(l->mod[3], "");
  assert_int_equal(l->charge, 50050);
  assert_string_equal(l->units_raw, ".5");
  assert_int_equal(l->units, 500000);
  assert_int_equal(l->units_ok, 1);
  assert_int_equal(l->date_from, 20250110);
  assert_int_equal(l->date_to, 20250112);
  assert_int_equal(l->date_source, 'L');
  assert_int_equal(l->seg_dtp, 16);

  /* line 3: "0.1" units, HP qualifier, MJ basis; its only DTP*472 comes
   * after SVD (2430) and is not its date: the claim's date applies */
  l = &c1->lines[2];
  assert_string_equal(l->lx, "3");
  assert_string_equal(l->qualifier, "HP");
  assert_string_equal(l->code, "99213");
  assert_int_equal(l->charge, 0);
  assert_int_equal(l->charge_ok, 1);
  assert_string_equal(l->unit_basis, "MJ");
  assert_string_equal(l->units_raw, "0.1");
  assert_int_equal(l->units, 100000);
  assert_int_equal(l->seg_first, 17);
  assert_int_equal(l->seg_last, 22);
  assert_int_equal(l->seg_dtp, C837_NO_INDEX);
  assert_int_equal(l->date_from, 20250105);
  assert_int_equal(l->date_to, 20250105);
  assert_int_equal(l->date_source, 'C');

  /* line 4: "1.000" units, claim date */
  l = &c1->lines[3];
  assert_string_equal(l->units_raw, "1.000");
  assert_int_equal(l->units, 1000000);
  assert_int_equal(l->charge, 1225);
  assert_int_equal(l->date_from, 20250105);
  assert_int_equal(l->date_source, 'C');
  assert_int_equal(l->seg_last, 24);

  /* claim 2: under a 2000C patient loop, frequency 7 */
  c2 = &r.claims[1];
  assert_string_equal(c2->c.id, "CLAIM2");
  assert_int_equal(c2->c.total, 20000);
  assert_string_equal(c2->c.facility, "22");
  assert_string_equal(c2->c.freq, "7");
  assert_string_equal(c2->c.orig_ref, "PAYERCTL9");
  assert_string_equal(c2->c.subscriber.id, "MEMBER02");
  assert_string_equal(c2->c.subscriber.last, "SMITH");
  assert_int_equal(c2->c.subscriber.dob, 19650202);
  assert_int_equal(c2->c.has_patient, 1);
  assert_string_equal(c2->c.patient.last, "SMITH");
  assert_string_equal(c2->c.patient.first, "KID");
  assert_string_equal(c2->c.patient.id, "");
  assert_int_equal(c2->c.patient.dob, 20100303);
  assert_string_equal(c2->c.patient_key, "MEMBER02|SMITH|KID|20100303");
  assert_string_equal(c2->c.hl_id, "4");
  assert_string_equal(c2->c.billing.id, "1234567893");
  assert_string_equal(c2->c.payer.id, "PAYER01");
  assert_int_equal(c2->c.svc_from, 0);
  assert_int_equal(c2->c.n_lines, 1);
  assert_int_equal(c2->lines[0].date_from, 20250201);
  assert_int_equal(c2->lines[0].date_source, 'L');
  assert_int_equal(c2->c.number, 53);
  assert_int_equal(c2->c.offset, seg_offset(PROF, 53));
  rec_free(&r);
}

/* ------------------------------------------------------------------ */
/* 837I                                                                */
/* ------------------------------------------------------------------ */

static const char *const INST[] = {
    ISA5,
    "GS*HC*SENDER*RECEIVER*20250101*1200*2*X*005010X223A2",
    "ST*837*0002*005010X223A2",
    "BHT*0019*00*B2*20250101*1200*CH",
    "HL*1**20*1",
    "NM1*85*2*HOSPITAL*****XX*1111111111",
    "HL*2*1*22*0",
    "SBR*P*18*******MA",
    "NM1*IL*1*ROE*RICHARD****MI*M3",
    "DMG*D8*19500505*M",
    "NM1*PR*2*MEDICARE*****PI*MCR",
    "CLM*ICLAIM1*25000.00***13:A:1**A*Y*Y",
    "DTP*434*RD8*20250301-20250305",
    "CL1*1*7*01",
    "HI*ABK:C8331",
    "LX*1",
    "SV2*0891*HC:Q2041*20000*UN*1**5000",
    "LX*2",
    "SV2*0871*HC:38225:GT*5000*UN*2",
    "DTP*472*D8*20250302",
    "LX*3",
    "SV2*0300**0*UN*1",
    "CLM*ICLAIM2*10***11:A:1**A*Y*Y",
    "DTP*434*D8*20250310",
    "LX*1",
    "SV2*0120**10*DA*3",
    "SE*#*0002",
    "GE*#*2",
    "IEA*#*000000001",
    NULL};

static void test_837i_claim_model(void **state)
{
  rec r;
  c837_counts n;
  const saved *c;
  const c837_line *l;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(INST, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(n.claims, 2);
  assert_int_equal(n.claims_i, 2);
  assert_int_equal(n.lines, 4);
  c = &r.claims[0];
  assert_int_equal(c->c.kind, C837_KIND_I);
  assert_int_equal(c->env.declared, C837_KIND_I);
  assert_int_equal(c->c.total, 2500000);
  assert_string_equal(c->c.facility, "13");
  assert_string_equal(c->c.freq, "1");
  assert_string_equal(c->c.tob, "131");
  assert_int_equal(c->c.stmt_from, 20250301);
  assert_int_equal(c->c.stmt_to, 20250305);
  assert_int_equal(c->c.svc_from, 0);
  assert_string_equal(c->c.orig_ref, "");
  assert_string_equal(c->c.subscriber.id, "M3");
  assert_string_equal(c->c.payer.id, "MCR");
  assert_string_equal(c->c.billing.id, "1111111111");

  /* line 1: revenue, code, charge, non-covered; statement period */
  l = &c->lines[0];
  assert_int_equal(l->sv, '2');
  assert_string_equal(l->revenue, "0891");
  assert_string_equal(l->qualifier, "HC");
  assert_string_equal(l->code, "Q2041");
  assert_int_equal(l->charge, 2000000);
  assert_string_equal(l->unit_basis, "UN");
  assert_int_equal(l->units, 1000000);
  assert_int_equal(l->noncovered, 500000);
  assert_int_equal(l->date_from, 20250301);
  assert_int_equal(l->date_to, 20250305);
  assert_int_equal(l->date_source, 'C');
  assert_int_equal(l->seg_dtp, C837_NO_INDEX);

  /* line 2: own D8 date; modifier */
  l = &c->lines[1];
  assert_string_equal(l->revenue, "0871");
  assert_string_equal(l->code, "38225");
  assert_string_equal(l->mod[0], "GT");
  assert_int_equal(l->units, 2000000);
  assert_int_equal(l->noncovered, 0);
  assert_int_equal(l->date_from, 20250302);
  assert_int_equal(l->date_to, 20250302);
  assert_int_equal(l->date_source, 'L');

  /* line 3: revenue code only */
  l = &c->lines[2];
  assert_string_equal(l->revenue, "0300");
  assert_string_equal(l->qualifier, "");
  assert_string_equal(l->code, "");
  assert_int_equal(l->charge, 0);
  assert_int_equal(l->charge_ok, 1);
  assert_int_equal(l->date_source, 'C');

  /* claim 2: inpatient TOB 111, D8 statement date, DA basis */
  c = &r.claims[1];
  assert_string_equal(c->c.tob, "111");
  assert_int_equal(c->c.stmt_from, 20250310);
  assert_int_equal(c->c.stmt_to, 20250310);
  assert_string_equal(c->lines[0].unit_basis, "DA");
  assert_int_equal(c->lines[0].units, 3000000);
  assert_int_equal(c->lines[0].date_from, 20250310);
  assert_int_equal(c->lines[0].date_source, 'C');
  rec_free(&r);
}

/* GS08/ST03 say 837P, the lines are SV2: the claim is 837I. */
static void test_kind_from_lines(void **state)
{
  static const char *const segs[] = {
      ISA5,
      "GS*HC*S*R*20250101*1200*3*X*005010X222A1",
      "ST*837*0003*005010X222A1",
      "HL*1**20*1",
      "NM1*85*2*HOSPITAL*****XX*1111111111",
      "HL*2*1*22*0",
      "NM1*IL*1*ROE*RICHARD****MI*M3",
      "CLM*C1*10***13:A:1",
      "LX*1",
      "SV2*0300*HC:85025*10*UN*1",
      "CLM*C2*10***11:B:1",
      "CLM*C3*10***11:B:1",
      "LX*1",
      "SV1*HC:85025*10*UN*1",
      "SE*#*0003",
      "GE*#*3",
      "IEA*#*000000001",
      NULL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_int_equal(r.n_claims, 3);
  assert_int_equal(r.claims[0].c.kind, C837_KIND_I);
  assert_int_equal(r.claims[0].env.declared, C837_KIND_P);
  assert_string_equal(r.claims[0].c.tob, "131");
  /* no lines: the declared kind */
  assert_int_equal(r.claims[1].c.kind, C837_KIND_P);
  assert_int_equal(r.claims[1].c.n_lines, 0);
  assert_int_equal(r.claims[2].c.kind, C837_KIND_P);
  assert_string_equal(r.claims[2].c.tob, "");
  assert_int_equal(n.claims_i, 1);
  assert_int_equal(n.claims_p, 2);
  rec_free(&r);
}

/* 4010: same model, version 4010; ISA11 U means no repetition
 * separator. */
static void test_4010(void **state)
{
  static const char *const segs[] = {
      ISA_T("U", "00401", "000000905"),
      "GS*HC*S*R*20050101*1200*905*X*004010X098A1",
      "ST*837*0905",
      "BHT*0019*00*B*20050101*1200*CH",
      "REF*87*004010X098A1",
      "HL*1**20*1",
      "NM1*85*2*CLINIC*****24*123456789",
      "HL*2*1*22*0",
      "SBR*P*18*******MB",
      "NM1*IL*1*DOE*JOHN****MI*123456789A",
      "DMG*D8*19400101*M",
      "NM1*PR*2*MEDICARE*****PI*00435",
      "CLM*4010C*75***11::1*Y*A*Y*Y*C",
      "LX*1",
      "SV1*HC:99213:25*75*UN*1*11**1",
      "DTP*472*D8*20050105",
      "SE*#*0905",
      "GE*#*905",
      "IEA*#*000000905",
      NULL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(r.n_claims, 1);
  assert_int_equal(r.claims[0].env.version, 4010);
  assert_int_equal(r.claims[0].env.declared, C837_KIND_P);
  assert_int_equal(r.claims[0].env.delims.repetition, 0);
  assert_string_equal(r.claims[0].env.st03, "");
  assert_int_equal(r.claims[0].c.kind, C837_KIND_P);
  assert_string_equal(r.claims[0].c.facility, "11");
  assert_string_equal(r.claims[0].c.freq, "1");
  assert_string_equal(r.claims[0].c.subscriber.id, "123456789A");
  assert_int_equal(r.claims[0].c.subscriber.dob, 19400101);
  assert_string_equal(r.claims[0].c.payer.id, "00435");
  assert_string_equal(r.claims[0].c.billing.id, "123456789");
  assert_string_equal(r.claims[0].lines[0].code, "99213");
  assert_string_equal(r.claims[0].lines[0].mod[0], "25");
  assert_int_equal(r.claims[0].lines[0].charge, 7500);
  assert_int_equal(r.claims[0].lines[0].date_from, 20050105);
  rec_free(&r);
}

/* 837D is recognised (kind D, SV3 read); an 835 is passed through with
 * role OTHER and yields no claim, even with LX and CLP segments (an SV1
 * or SV2 in a set that is neither an 837 nor a 278 stops the reading, as
 * a CLM in a set that is not an 837 does: test_claim_outside_837). */
static void test_837d_and_835(void **state)
{
  static const char *const segs[] = {
      ISA5,
      "GS*HC*S*R*20250101*1200*4*X*005010X224A2",
      "ST*837*0004*005010X224A2",
      "HL*1**20*1",
      "NM1*85*2*DENTAL*****XX*2222222222",
      "HL*2*1*22*0",
      "NM1*IL*1*DOE*JANE****MI*D1",
      "CLM*DENT1*150***11:B:1",
      "LX*1",
      "SV3*AD:D0120*50****1",
      "LX*2",
      "SV3*AD:D1110*100****1",
      "SE*#*0004",
      "GE*#*4",
      "GS*HP*S*R*20250101*1200*5*X*005010X221A1",
      "ST*835*0005*005010X221A1",
      "BPR*I*100*C*ACH",
      "CLP*CLAIM1*1*150*100**12*X",
      "LX*1",
      "SVC*HC:99213*150*100",
      "SE*#*0005",
      "GE*#*5",
      "IEA*#*000000001",
      NULL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(r.n_claims, 1);
  assert_int_equal(r.claims[0].c.kind, C837_KIND_D);
  assert_int_equal(r.claims[0].env.declared, C837_KIND_D);
  assert_int_equal(r.claims[0].c.n_lines, 2);
  assert_int_equal(r.claims[0].lines[0].sv, '3');
  assert_string_equal(r.claims[0].lines[0].qualifier, "AD");
  assert_string_equal(r.claims[0].lines[0].code, "D0120");
  assert_int_equal(r.claims[0].lines[0].charge, 5000);
  assert_int_equal(r.claims[0].lines[0].units, 1000000);
  assert_int_equal(n.claims_d, 1);
  assert_int_equal(n.claims, 1);
  assert_int_equal(n.lines, 2);
  assert_int_equal(n.transactions, 2);
  assert_int_equal(n.groups, 2);
  assert_string_equal(
      r.roles.p,
      "ISA:ISA GS:GS ST:ST HL:HL NM1:LOOP HL:HL NM1:LOOP SE:SE GE:GE "
      "GS:GS ST:ST BPR:OTHER CLP:OTHER LX:OTHER SVC:OTHER SE:SE "
      "GE:GE IEA:IEA ");
  rec_free(&r);
}

/* ------------------------------------------------------------------ */
/* Line and claim details                                              */
/* ------------------------------------------------------------------ */

/* Claim DTP*472 wins over DTP*434 for lines without a date; a bad line
 * date is DATE_INVALID and the line falls back to the claim date; bad
 * numbers leave *_ok at 0. */
static void test_dates_and_bad_numbers(void **state)
{
  static const char *const segs[] = {
      ISA5,
      "GS*HC*S*R*20250101*1200*6*X*005010X223A2",
      "ST*837*0006*005010X223A2",
      "HL*1**20*1",
      "HL*2*1*22*0",
      "NM1*IL*1*A*B****MI*X1",
      "CLM*C1*ABC***13:A:1",
      "DTP*434*RD8*20250301-20250331",
      "DTP*472*RD8*20250302-20250303",
      "LX*1",
      "SV2*0891*HC:Q2041*1.234*UN*1.5.0",
      "LX*2",
      "SV2*0891*HC:Q2041*100*UN*1",
      "DTP*472*D8*20250230",
      "LX*3",
      "SV2*0891*HC:Q2041*100*UN*1",
      "DTP*472*RD8*20250305-20250304",
      "SE*#*0006",
      "GE*#*6",
      "IEA*#*000000001",
      NULL};
  rec r;
  c837_counts n;
  char want[600];
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  snprintf(want, sizeof want,
           "DATE_INVALID seg 14 off %llu: claim C1 line 2: DTP*472 date "
           "'20250230' is not a valid D8 or RD8 date\n"
           "DATE_INVALID seg 17 off %llu: claim C1 line 3: DTP*472 range "
           "'20250305-20250304' ends before it starts; read as its first "
           "day\n",
           (unsigned long long)seg_offset(segs, 14),
           (unsigned long long)seg_offset(segs, 17));
  assert_string_equal(r.problems.p, want);
  assert_int_equal(n.problems, 2);
  assert_int_equal(r.claims[0].c.total_ok, 0);
  assert_int_equal(r.claims[0].c.total, 0);
  assert_int_equal(r.claims[0].c.svc_from, 20250302);
  assert_int_equal(r.claims[0].c.stmt_from, 20250301);
  assert_int_equal(r.claims[0].lines[0].charge_ok, 0);
  assert_int_equal(r.claims[0].lines[0].units_ok, 0);
  assert_int_equal(r.claims[0].lines[0].units, 0);
  assert_string_equal(r.claims[0].lines[0].units_raw, "1.5.0");
  assert_int_equal(r.claims[0].lines[0].date_from, 20250302);
  assert_int_equal(r.claims[0].lines[0].date_to, 20250303);
  assert_int_equal(r.claims[0].lines[0].date_source, 'C');
  /* the invalid date is the line's DTP, but gives no date */
  assert_int_equal(r.claims[0].lines[1].seg_dtp, 7);
  assert_int_equal(r.claims[0].lines[1].date_from, 20250302);
  assert_int_equal(r.claims[0].lines[1].date_source, 'C');
  /* a backwards range is its first day (specs/edits.md, "Terms") */
  assert_int_equal(r.claims[0].lines[2].date_source, 'L');
  assert_int_equal(r.claims[0].lines[2].date_from, 20250305);
  assert_int_equal(r.claims[0].lines[2].date_to, 20250305);
  rec_free(&r);
}

/* ------------------------------------------------------------------ */
/* Envelope problems                                                   */
/* ------------------------------------------------------------------ */

static const char *const BAD_ENV[] = {
    ISA5,                                     /* 1 */
    "GS*HC*S*R*20250101*1200*7*X*005010X222A1", /* 2 */
    "ST*837*0001*005010X222A1",               /* 3 */
    "BHT*0019*00*B*20250101*1200*CH",         /* 4 */
    "SE*9*0002",                              /* 5 SE01, SE02 */
    "GE*5*8",                                 /* 6 GE01, GE02 */
    "IEA*3*000000002",                        /* 7 IEA01, IEA02 */
    ISA_T("^", "00501", "000000010"),         /* 8 */
    "GS*HC*S*R*20250101*1200*9*X*005010X222A1", /* 9 */
    "ST*837*0003*005010X222A1",               /* 10 */
    "HL*1**20*1",                             /* 11 */
    "LX*1",                                   /* 12 out of place */
    "GE*1*9",                                 /* 13 SE missing */
    "GS*HC*S*R*20250101*1200*11*X*005010X222A1", /* 14 */
    ISA_T("^", "00501", "000000012"),         /* 15 GE, IEA missing */
    "IEA*1*12",                               /* 16 numeric: no problem,
                                                 but no GS: IEA01 */
    "GE*0*1",                                 /* 17 outside */
    "SE*1*1",                                 /* 18 outside */
    "NM1*85*2*X",                             /* 19 outside ST */
    ISA_T("^", "00501", "000000013"),         /* 20 */
    "GS*HC*S*R*20250101*1200*13*X*005010X222A1", /* 21 */
    "ST*837*0013*005010X222A1",               /* 22 */
    "CLM*EARLY*1",                            /* 23 claim before HL */
    NULL};

static void test_envelope_problems(void **state)
{
  buf want = {0, 0, 0}, in = {0, 0, 0};
  const char *const *s = BAD_ENV;
  rec r;
  c837_counts n;
  (void)state;
  build(s, &in);
#define OFF(k) (unsigned long long)seg_offset(s, k)
  buf_fmt(&want,
          "SE01_COUNT seg 5 off %llu: SE01=9 but transaction set ST02=0001 "
          "has 3 segments from ST to SE\n",
          OFF(5));
  buf_fmt(&want, "SE02_CONTROL seg 5 off %llu: SE02=0002 does not match "
                 "ST02=0001\n",
          OFF(5));
  buf_fmt(&want, "GE01_COUNT seg 6 off %llu: GE01=5 but group GS06=7 has 1 "
                 "transaction sets\n",
          OFF(6));
  buf_fmt(&want, "GE02_CONTROL seg 6 off %llu: GE02=8 does not match "
                 "GS06=7\n",
          OFF(6));
  buf_fmt(&want, "IEA01_COUNT seg 7 off %llu: IEA01=3 but interchange "
                 "ISA13=000000001 has 1 groups\n",
          OFF(7));
  buf_fmt(&want, "IEA02_CONTROL seg 7 off %llu: IEA02=000000002 does not "
                 "match ISA13=000000001\n",
          OFF(7));
  buf_fmt(&want, "SEGMENT_OUT_OF_PLACE seg 12 off %llu: service line "
                 "segment 'LX' outside a claim\n",
          OFF(12));
  buf_fmt(&want, "SE_MISSING seg 13 off %llu: transaction set ST02=0003 has "
                 "no SE trailer (GE came first)\n",
          OFF(13));
  buf_fmt(&want, "GE_MISSING seg 15 off %llu: functional group GS06=11 has "
                 "no GE trailer (a new ISA began)\n",
          OFF(15));
  buf_fmt(&want, "IEA_MISSING seg 15 off %llu: interchange ISA13=000000010 "
                 "has no IEA trailer (a new ISA began)\n",
          OFF(15));
  buf_fmt(&want, "IEA01_COUNT seg 16 off %llu: IEA01=1 but interchange "
                 "ISA13=000000012 has 0 groups\n",
          OFF(16));
  buf_fmt(&want, "GE_OUTSIDE_GS seg 17 off %llu: GE segment without an open "
                 "GS\n",
          OFF(17));
  buf_fmt(&want, "SE_OUTSIDE_ST seg 18 off %llu: SE segment without an open "
                 "ST\n",
          OFF(18));
  buf_fmt(&want, "SEGMENT_OUTSIDE_ST seg 19 off %llu: segment 'NM1' outside "
                 "a transaction set\n",
          OFF(19));
  buf_fmt(&want, "CLM_WITHOUT_HL seg 23 off %llu: claim before any HL "
                 "segment: no billing provider or subscriber\n",
          OFF(23));
  /* the input ends inside transaction set 0013, which holds a claim:
   * that is a truncated file (C837_ETRUNC), and the claim open at the
   * end is not handed out (it may be cut short) */
#undef OFF
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble_all_chunks(in.p, in.len, &r, &n), C837_ETRUNC);
  if (strcmp(r.problems.p, want.p) != 0) {
    fprintf(stderr, "--- expected\n%s--- got\n%s", want.p, r.problems.p);
    fail_msg("problems differ");
  }
  assert_int_equal(n.problems, 15);
  assert_int_equal(n.interchanges, 4);
  assert_int_equal(n.groups, 4);
  assert_int_equal(n.transactions, 3);
  /* the claim of the truncated transaction is kept back */
  assert_int_equal(r.n_claims, 0);
  /* an LX outside a claim, and segments outside ST, are OTHER */
  assert_non_null(strstr(r.roles.p, "HL:HL LX:OTHER GE:GE"));
  assert_non_null(strstr(r.roles.p, "GE:GE SE:SE NM1:OTHER ISA:ISA"));
  rec_free(&r);
  free(want.p);
  free(in.p);
}

/* Control numbers compare as numbers (000000905 = 905) in GE02/IEA02. */
static void test_control_numbers_numeric(void **state)
{
  static const char *const segs[] = {
      ISA_T("^", "00501", "000000905"),
      "GS*HC*S*R*20250101*1200*0042*X*005010X222A1",
      "ST*837*0001*005010X222A1",
      "SE*#*0001",
      "GE*1*42",
      "IEA*1*905",
      NULL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(n.problems, 0);
  rec_free(&r);
}

/* An unterminated last segment is reported; its value is still read. */
static void test_unterminated_reported(void **state)
{
  static const char *const segs[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X222A1", "GE*0*1", NULL};
  buf in = {0, 0, 0};
  rec r;
  c837_counts n;
  char want[300];
  (void)state;
  build(segs, &in);
  buf_add(&in, "IEA*1*000000001", 15);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble_all_chunks(in.p, in.len, &r, &n), C837_OK);
  snprintf(want, sizeof want,
           "SEGMENT_UNTERMINATED seg 4 off %llu: the last segment has no "
           "segment terminator (0x7e)\n",
           (unsigned long long)seg_offset(segs, 4));
  assert_string_equal(r.problems.p, want);
  rec_free(&r);
  free(in.p);
}

/* ------------------------------------------------------------------ */
/* Hostile bytes, segment ids, ISA width, envelope and claim dates     */
/* ------------------------------------------------------------------ */

/* Segments 1-5 of an 837P interchange up to its subscriber loop, and
 * the trailers that close it. */
#define HEAD_P                                                               \
  ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X222A1",                         \
      "ST*837*0001*005010X222A1", "HL*1**20*1", "HL*2*1*22*0"
#define TAIL "SE*#*0001", "GE*#*1", "IEA*#*000000001", NULL

/* run_segs over the input build() makes of segs with every byte `from`
 * made `to` (for bytes a C string cannot hold, such as NUL). */
static c837_status run_segs_sub(const char *const *segs, char from, char to,
                                rec *r, c837_counts *counts)
{
  buf in = {0, 0, 0};
  size_t i;
  c837_status st;
  build(segs, &in);
  for (i = 0; i < in.len; i++)
    if (in.p[i] == from)
      in.p[i] = to;
  st = assemble_all_chunks(in.p, in.len, r, counts);
  free(in.p);
  return st;
}

/* A NUL byte in a segment is SEGMENT_NUL_BYTE at the segment, naming the
 * NUL's own offset (one problem per segment, even when the tag holds it).
 * Inside a claim it stops the reading (C837_ECLAIM): "382" NUL NUL "28"
 * would read as code 382 and the CAR-T line would escape the edits; the
 * claim read so far is kept back (c837_assembler_pending).  When NUL is
 * a delimiter, NUL bytes are what separates the elements: no problem. */
static void test_segment_nul_byte(void **state)
{
  static const char *const segs[] = {
      HEAD_P, /* 1-5 */
      "NM1@*X",                                   /* 6 NUL in the tag */
      "CLM*C1*100",                               /* 7 */
      "LX*1",                                     /* 8 */
      "SV1*HC:382@@28*100*UN*1",                  /* 9 NUL in the code */
      TAIL};
  static const char *const nul_sep[] = {
      HEAD_P,
      "CLM*C1*100",
      "LX*1",
      "SV1*HC:38228*100*UN*1",
      TAIL};
  rec r;
  c837_counts n;
  char want[600];
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs_sub(segs, '@', '\0', &r, &n), C837_ECLAIM);
  snprintf(want, sizeof want,
           "SEGMENT_NUL_BYTE seg 6 off %llu: segment 'NM1\\x00' has a NUL "
           "byte (0x00) at byte %llu: binary data, not X12 text\n",
           (unsigned long long)seg_offset(segs, 6),
           (unsigned long long)seg_offset(segs, 6) + 3);
  assert_string_equal(r.problems.p, want);
  assert_int_equal(n.problems, 1);
  assert_int_equal(r.n_claims, 0);
  assert_int_equal(r.err.code, C837_ECLAIM);
  assert_int_equal(r.err.segment, 9);
  assert_int_equal(r.err.offset, seg_offset(segs, 9));
  snprintf(want, sizeof want,
           "segment 'SV1' has a NUL byte (0x00) at byte %llu: binary data, "
           "not X12 text, inside claim 'C1': a service line, code or date "
           "of the claim could be hidden in it, so the claim is not passed "
           "on",
           (unsigned long long)seg_offset(segs, 9) + 10);
  assert_string_equal(r.err.msg, want);
  /* the claim read so far (CLM, LX) is what the assembler keeps back */
  assert_int_equal(r.pending.len, seg_offset(segs, 9) - seg_offset(segs, 7));
  assert_memory_equal(r.pending.p, "CLM*C1*100~\nLX*1~\n", r.pending.len);
  rec_free(&r);

  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs_sub(nul_sep, '*', '\0', &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(r.n_claims, 1);
  assert_string_equal(r.claims[0].lines[0].code, "38228");
  /* the claim's segments keep the tokenizer's flags: each holds NUL
   * bytes (its separators), C837_SEG_NUL (2); they used to be left unset
   * in claim->segs, read as whatever was in memory */
  assert_string_equal(r.claims[0].tags, "CLM LX SV1");
  assert_string_equal(r.claims[0].flags, "2 2 2");
  rec_free(&r);
}

/* A CLM behind a line break that is a delimiter (here the component
 * separator, as a garbled ISA can make it) is no segment id to the
 * tokenizer, but a receiver that skips line breaks between segments
 * would read a claim there: outside a claim, the reading stops there
 * (C837_ECLAIM), so that nothing from it goes out unchecked (found by
 * the pipeline fuzzer, check 8; tests/fuzz-regress/
 * assembler-clm-behind-line-break.x12).  Another tag behind it stays a
 * SEGMENT_ID_INVALID problem. */
#define ISA_NL                                                             \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*000000001*0*P*@"
static void test_hidden_clm_stops(void **state)
{
  static const char *const segs[] = {
      ISA_NL, "GS*HC*S*R*20250101*1200*1*X*005010X222A1",
      "ST*837*0001*005010X222A1", "HL*1**20*1", "HL*2*1*22*0",
      "CLM*C1*100***11:B:1", /* 6 */
      "LX*1", "SV1*HC:38228*100*UN*1", TAIL};
  static const char *const other[] = {
      ISA_NL, "GS*HC*S*R*20250101*1200*1*X*005010X222A1",
      "ST*837*0001*005010X222A1", "NTE*ADD*X", "CLMX*1", TAIL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs_sub(segs, '@', '\n', &r, &n), C837_ECLAIM);
  assert_int_equal(r.err.segment, 6);
  assert_string_equal(
      r.err.msg,
      "segment '\\x0aCLM*C1*100***11' does not start with a segment id (2 "
      "or 3 letters or digits, then '*'): a CLM behind blanks or line "
      "breaks that are delimiters here; a receiver that skips them would "
      "read a claim this run cannot read, so nothing is passed on from it");
  assert_int_equal(r.n_claims, 0);
  rec_free(&r);
  memset(&r, 0, sizeof r);
  /* read to the end: the line break after the last terminator is a
   * delimiter here, so the input ends inside a segment */
  assert_int_equal(run_segs_sub(other, '@', '\n', &r, &n), C837_ETRUNC);
  assert_int_equal(n.segments, 8); /* every segment read, none stopped */
  rec_free(&r);
}
#undef ISA_NL

/* A tag that is not 2 or 3 upper-case letters or digits is
 * SEGMENT_ID_INVALID, quoting the first 16 bytes (non-printable bytes and
 * the quote as \xNN) and the element separator; outside a claim the
 * segment is still passed on (a CLM with '|' separators is no claim).
 * Inside a claim it stops the reading (C837_ECLAIM): an SV1 with '|'
 * separators would give its line no service, and its CAR-T code would
 * escape the edits.  Unknown but valid tags are fine. */
static void test_segment_id_invalid(void **state)
{
  static const char *const segs[] = {
      HEAD_P, /* 1-5 */
      "CLM|C1|100|||11:B:1",                      /* 6 '|' for '*' */
      "Nd4*CITY",                                 /* 7 lower case */
      "NM31*IL",                                  /* 8 four characters */
      "*IC*X",                                    /* 9 no tag */
      "Q'Z*1",                                    /* 10 a quote */
      "K3*OK",                                    /* 11 unknown, valid */
      "PWK*OZ",                                   /* 12 */
      "CLM*C2*100",                               /* 13 */
      "LX*1",                                     /* 14 */
      "SV1|HC:38228|100|UN|1",                    /* 15 in a claim */
      TAIL};
  static const char tail[] =
      "' does not start with a segment id (2 or 3 letters or digits, then "
      "'*')\n";
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_ECLAIM);
#define ROW(k, ex)                                                           \
  buf_fmt(&want, "SEGMENT_ID_INVALID seg %d off %llu: segment '%s%s", k,    \
          (unsigned long long)seg_offset(segs, k), ex, tail)
  ROW(6, "CLM|C1|100|||11:");
  ROW(7, "Nd4*CITY");
  ROW(8, "NM31*IL");
  ROW(9, "*IC*X");
  ROW(10, "Q\\x27Z*1");
#undef ROW
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 5);
  assert_int_equal(r.n_claims, 0);
  assert_int_equal(r.err.segment, 15);
  assert_int_equal(r.err.offset, seg_offset(segs, 15));
  assert_string_equal(r.err.msg,
                      "segment 'SV1|HC:38228|100' does not start with a "
                      "segment id (2 or 3 letters or digits, then '*'), "
                      "inside claim 'C2': a service line, code or date of "
                      "the claim could be hidden in it, so the claim is not "
                      "passed on");
  rec_free(&r);

  /* an element separator that is not printable is quoted as \xNN */
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs_sub(segs, '*', '\x1d', &r, &n), C837_ECLAIM);
  want.len = 0;
  buf_fmt(&want,
          "SEGMENT_ID_INVALID seg 6 off %llu: segment 'CLM|C1|100|||11:' "
          "does not start with a segment id (2 or 3 letters or digits, "
          "then '\\x1d')\n",
          (unsigned long long)seg_offset(segs, 6));
  assert_non_null(strstr(r.problems.p, want.p));
  assert_int_equal(n.problems, 5);
  rec_free(&r);
  free(want.p);
}

/* GS06 (X12 data element 28, N0 1/9) must be 1 to 9 digits, on its
 * bytes as they came: GS06_INVALID at the GS otherwise (empty or
 * missing, 10 digits, a sign, a blank at either end or inside, a
 * letter, a NUL), the value quoted whole (16 bytes at most, other bytes
 * as \xNN); leading zeros are digits.  The group is read as any other:
 * its GE02 compared with GS06 as before (no GE02_CONTROL here), no
 * claim held for it. */
/* A control number quoted in an *_INVALID message: its segment, and the
 * value as shown between the quotes (a cut one with the words after the
 * quote: "ABC' (first 16 bytes)"; a NUL as \x00). */
typedef struct bad_ctl {
  int seg;
  const char *shown;
} bad_ctl;

/* The problems of bad[0..nbad) in want: <el>_INVALID naming element el
 * ("GS06") with the words after "is not" (words), each after the
 * SEGMENT_NUL_BYTE of segment tag when the value holds a NUL (nul_at:
 * the NUL's byte in the segment). */
static void want_invalid(buf *want, const char *const *segs,
                         const bad_ctl *bad, size_t nbad, const char *el,
                         const char *tag, unsigned nul_at, const char *words)
{
  size_t k;
  for (k = 0; k < nbad; k++) {
    const char *q = strchr(bad[k].shown, '\'');
    unsigned long long off = seg_offset(segs, (size_t)bad[k].seg);
    if (strstr(bad[k].shown, "\\x00"))
      buf_fmt(want, "SEGMENT_NUL_BYTE seg %d off %llu: segment '%s' has a "
                    "NUL byte (0x00) at byte %llu: binary data, not X12 "
                    "text\n",
              bad[k].seg, off, tag, off + nul_at);
    /* the value between quotes; a cut one says so after the quote */
    buf_fmt(want, "%s_INVALID seg %d off %llu: %s='%.*s'%s is not %s\n", el,
            bad[k].seg, off, el,
            (int)(q ? (size_t)(q - bad[k].shown) : strlen(bad[k].shown)),
            bad[k].shown, q ? q + 1 : "", words);
  }
}

#define GS_C(C) "GS*HC*S*R*20250101*1200*" C "*X*005010X222A1"
static void test_gs06_invalid(void **state)
{
  static const char *const segs[] = {
      ISA5,                        /* 1 */
      GS_C("1A2B"), "GE*0*1A2B",   /* 2, 3 */
      GS_C(""), "GE*0*",           /* 4, 5 */
      GS_C("1234567890"),          /* 6 */
      "GE*0*1234567890",           /* 7 */
      GS_C("+101"), "GE*0*+101",   /* 8, 9 */
      GS_C("-1"), "GE*0*-1",       /* 10, 11 */
      GS_C(" 101"), "GE*0*101",    /* 12, 13 */
      GS_C("102 "), "GE*0*102",    /* 14, 15 */
      GS_C("1 2"), "GE*0*1 2",     /* 16, 17 */
      "GS*HC*S*R*20250101*1200",   /* 18: no GS06 */
      "GE*0*",                     /* 19 */
      GS_C("ABCDEFGHIJKLMNOPQRST"), /* 20 */
      "GE*0*ABCDEFGHIJKLMNOPQRST", /* 21 */
      GS_C("1@"), "GE*0*1",        /* 22, 23: '@' made NUL */
      GS_C("000000103"),           /* 24 */
      "GE*0*103",                  /* 25 */
      GS_C("123456789"),           /* 26 */
      "GE*0*123456789",            /* 27 */
      GS_C("1"), "GE*0*1",         /* 28, 29 */
      "IEA*#*000000001",           /* 30 */
      NULL};
  static const bad_ctl bad[] = {{2, "1A2B"},        {4, ""},    {6, "1234567890"},
             {8, "+101"},        {10, "-1"}, {12, " 101"},
             {14, "102 "},       {16, "1 2"}, {18, ""},
             {20, "ABCDEFGHIJKLMNOP' (first 16 bytes)"},
             {22, "1\\x00"}};
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
  want_invalid(&want, segs, bad, sizeof bad / sizeof bad[0], "GS06", "GS",
               25, "a group control number: 1 to 9 digits, with no sign, "
                   "blank or other character");
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs_sub(segs, '@', '\0', &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 12);
  assert_int_equal(n.groups, 14);
  rec_free(&r);
  free(want.p);
}
#undef GS_C

/* ST02 (X12 data element 329, AN 4/9) must be a string X12 allows there,
 * on its bytes as they came: ST02_INVALID at the ST otherwise (1 or 3
 * characters, 10, empty, missing, all blanks, the component or the
 * repetition separator, a control byte, a NUL), the value quoted whole
 * (16 bytes at most, other bytes as \xNN).  Letters (upper and lower
 * case), blanks that make up the 4 characters (leading or trailing), 9
 * characters, trailing blanks past them (padding: 300145997 plus a blank,
 * as in pyx12's test files) and bytes over 0x7e (a select language
 * character) are what X12 allows, and no problem; a leading blank is
 * significant (one and 9 digits are 10 characters).  The set is read as any other (SE02
 * compared with it as before). */
#define ST_C(C) "ST*837*" C "*005010X222A1"
static void test_st02_invalid(void **state)
{
  static const char *const segs[] = {
      ISA5,                                         /* 1 */
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1",   /* 2 */
      ST_C("1"), "SE*#*1",                          /* 3, 4 */
      ST_C("123"), "SE*#*123",                      /* 5, 6 */
      ST_C("1234567890"), "SE*#*1234567890",        /* 7, 8 */
      ST_C(""), "SE*#*",                            /* 9, 10 */
      "ST*837", "SE*#*",                            /* 11, 12 */
      ST_C("    "), "SE*#*",                        /* 13, 14 */
      ST_C("12:4"), "SE*#*12:4",                    /* 15, 16 */
      ST_C("12^4"), "SE*#*12^4",                    /* 17, 18 */
      ST_C("12\x01" "4"), "SE*#*12\x01" "4",        /* 19, 20 */
      ST_C("AB@D"), "SE*#*AB",                      /* 21, 22: '@' NUL */
      ST_C("ABCDEFGHIJKLMNOPQRST"),                 /* 23 */
      "SE*#*ABCDEFGHIJKLMNOPQRST",                  /* 24 */
      ST_C("0001"), "SE*#*0001",                    /* 25, 26: fine */
      ST_C("A1b2"), "SE*#*A1b2",                    /* 27, 28 */
      ST_C("2   "), "SE*#*2",                       /* 29, 30 */
      ST_C("  03"), "SE*#*03",                      /* 31, 32 */
      ST_C("123456789"), "SE*#*123456789",          /* 33, 34 */
      ST_C("\xc3\x91" "ABC"), "SE*#*\xc3\x91" "ABC", /* 35, 36 */
      ST_C("A-1 B"), "SE*#*A-1 B",                  /* 37, 38 */
      ST_C("300145997 "), "SE*#*300145997",         /* 39, 40 */
      ST_C(" 30014599"), "SE*#*30014599",           /* 41, 42 */
      ST_C(" 300145998"), "SE*#*300145998",         /* 43, 44 */
      "GE*#*1", "IEA*#*000000001",                  /* 45, 46 */
      NULL};
  static const bad_ctl bad[] = {{3, "1"},       {5, "123"},   {7, "1234567890"},
             {9, ""},        {11, ""},     {13, "    "},
             {15, "12:4"},   {17, "12^4"}, {19, "12\\x014"},
             {21, "AB\\x00D"},
             {23, "ABCDEFGHIJKLMNOP' (first 16 bytes)"},
             {43, " 300145998"}};
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
  want_invalid(&want, segs, bad, sizeof bad / sizeof bad[0], "ST02", "ST",
               9, "a transaction set control number: 4 to 9 characters, "
                  "not all blanks, with no control character or delimiter");
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs_sub(segs, '@', '\0', &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 13);
  assert_int_equal(n.transactions, 21);
  rec_free(&r);
  free(want.p);
}
#undef ST_C

/* ISA13 (X12 data element I12, N0 9/9) must be 9 digits, on its bytes as
 * they came: ISA13_INVALID at the ISA otherwise (a letter, a blank at
 * either end, a sign, 8 or 10 digits: then ISA_LENGTH too, as for
 * ISA09_DATE), the value quoted whole.  The interchange is read as any
 * other (IEA02 compared with it as before). */
#define ISA_N(N)                                                           \
  "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       " \
  "*250101*1200*^*00501*" N "*0*P*:"
static void test_isa13_invalid(void **state)
{
  static const char *const segs[] = {
      ISA_N("00000010A"), "IEA*0*00000010A",   /* 1, 2 */
      ISA_N(" 00000102"), "IEA*0*00000102",    /* 3, 4 */
      ISA_N("00000103 "), "IEA*0*00000103",    /* 5, 6 */
      ISA_N("+00000104"), "IEA*0*+00000104",   /* 7, 8 */
      ISA_N("00000105"), "IEA*0*00000105",     /* 9, 10 */
      ISA_N("0000000106"), "IEA*0*0000000106", /* 11, 12 */
      ISA_N("000000107"), "IEA*0*000000107",   /* 13, 14: fine */
      NULL};
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
#define OFF(k) (unsigned long long)seg_offset(segs, k)
#define MSG(k, v)                                                          \
  buf_fmt(&want, "ISA13_INVALID seg %d off %llu: ISA13='%s' is not an "    \
                 "interchange control number: 9 digits, with no sign, "    \
                 "blank or other character\n",                             \
          k, OFF(k), v)
  MSG(1, "00000010A");
  MSG(3, " 00000102");
  MSG(5, "00000103 ");
  MSG(7, "+00000104");
  buf_fmt(&want, "ISA_LENGTH seg 9 off %llu: ISA is 105 bytes, not 106 "
                 "(fixed-width fields): ISA13 has 8 characters, not 9\n",
          OFF(9));
  MSG(9, "00000105");
  buf_fmt(&want, "ISA_LENGTH seg 11 off %llu: ISA is 107 bytes, not 106 "
                 "(fixed-width fields): ISA13 has 10 characters, not 9\n",
          OFF(11));
  MSG(11, "0000000106");
#undef MSG
#undef OFF
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 8);
  assert_int_equal(n.interchanges, 7);
  rec_free(&r);
  free(want.p);
}
#undef ISA_N

/* An ISA of the wrong length is ISA_LENGTH naming the first field of the
 * wrong width; ISA09 must be a real YYMMDD date (read as 20YY: 000229 is
 * 2000-02-29), GS04 a real CCYYMMDD date. */
#define ISA_D(S06, D, N)                                                    \
  "ISA*00*          *00*          *ZZ*" S06 "*ZZ*RECEIVER       *" D        \
  "*1200*^*00501*" N "*0*P*:"
static void test_isa_length_and_dates(void **state)
{
  static const char *const segs[] = {
      ISA_D("SENDER", "250101", "000000001"),           /* 1 */
      "GS*HC*S*R*20250230*1200*1*X*005010X222A1",       /* 2 */
      "GE*0*1",                                         /* 3 */
      "IEA*1*000000001",                                /* 4 */
      ISA_D("SENDER         ", "250230", "000000002"),  /* 5 */
      "GS*HC*S*R*250101*1200*2*X*005010X222A1",         /* 6 */
      "GE*0*2",                                         /* 7 */
      "IEA*1*000000002",                                /* 8 */
      ISA_D("SENDER         ", "2501011", "000000003"), /* 9 */
      "GS*HC*S*R*20240229*1200*3*X*005010X222A1",       /* 10 */
      "GE*0*3",                                         /* 11 */
      "IEA*1*000000003",                                /* 12 */
      ISA_D("SENDER         ", "000229", "000000004"),  /* 13 */
      "IEA*0*000000004",                                /* 14 */
      NULL};
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
  assert_int_equal(strlen(ISA5) + 1, 106);
  assert_int_equal(strlen(segs[0]) + 1, 97);
#define OFF(k) (unsigned long long)seg_offset(segs, k)
  buf_fmt(&want, "ISA_LENGTH seg 1 off 0: ISA is 97 bytes, not 106 "
                 "(fixed-width fields): ISA06 has 6 characters, not 15\n");
  buf_fmt(&want, "GS04_DATE seg 2 off %llu: GS04=20250230 is not a valid "
                 "CCYYMMDD date\n",
          OFF(2));
  buf_fmt(&want, "ISA09_DATE seg 5 off %llu: ISA09=250230 is not a valid "
                 "YYMMDD date\n",
          OFF(5));
  buf_fmt(&want, "GS04_DATE seg 6 off %llu: GS04=250101 is not a valid "
                 "CCYYMMDD date\n",
          OFF(6));
  buf_fmt(&want, "ISA_LENGTH seg 9 off %llu: ISA is 107 bytes, not 106 "
                 "(fixed-width fields): ISA09 has 7 characters, not 6\n",
          OFF(9));
  buf_fmt(&want, "ISA09_DATE seg 9 off %llu: ISA09=2501011 is not a valid "
                 "YYMMDD date\n",
          OFF(9));
#undef OFF
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 6);
  assert_int_equal(n.interchanges, 4);
  rec_free(&r);
  free(want.p);
}
#undef ISA_D

/* A claim-level DTP*472 or DTP*434 that is not a valid D8 or RD8 date is
 * DATE_INVALID and gives the claim no date (other DTP qualifiers are not
 * read); a backwards RD8 range is DATE_INVALID too, and read as its first
 * day. */
static void test_claim_dates_invalid(void **state)
{
  static const char *const segs[] = {
      ISA5,                                       /* 1 */
      "GS*HC*S*R*20250101*1200*1*X*005010X223A2", /* 2 */
      "ST*837*0001*005010X223A2",                 /* 3 */
      "HL*1**20*1",                               /* 4 */
      "HL*2*1*22*0",                              /* 5 */
      "CLM*C1*100***13:A:1",                      /* 6 */
      "DTP*434*RD8*20250301-20250331",            /* 7 */
      "DTP*472*D8*20250230",                      /* 8 not a date */
      "DTP*096*TM*9999",                          /* 9 not read */
      "LX*1",                                     /* 10 */
      "SV2*0891*HC:Q2041*100*UN*1",               /* 11 */
      "CLM*C2*100***13:A:1",                      /* 12 */
      "DTP*434*RD8*19960911",                     /* 13 RD8, one date */
      "DTP*434*D8*19960911-19960912",             /* 14 D8, a range */
      "DTP*472*RD8*20250305-20250304",            /* 15 backwards */
      "LX*1",                                     /* 16 */
      "SV2*0891*HC:Q2041*100*UN*1",               /* 17 */
      TAIL};
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
#define ROW(k, id, q, v)                                                     \
  buf_fmt(&want,                                                            \
          "DATE_INVALID seg %d off %llu: claim %s: DTP*%s date '%s' is not " \
          "a valid D8 or RD8 date\n",                                       \
          k, (unsigned long long)seg_offset(segs, k), id, q, v)
  ROW(8, "C1", "472", "20250230");
  ROW(13, "C2", "434", "19960911");
  ROW(14, "C2", "434", "19960911-19960912");
#undef ROW
  buf_fmt(&want,
          "DATE_INVALID seg 15 off %llu: claim C2: DTP*472 range "
          "'20250305-20250304' ends before it starts; read as its first "
          "day\n",
          (unsigned long long)seg_offset(segs, 15));
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 4);
  assert_int_equal(r.n_claims, 2);
  /* C1: the statement period is read, the bad service date is not */
  assert_int_equal(r.claims[0].c.stmt_from, 20250301);
  assert_int_equal(r.claims[0].c.stmt_to, 20250331);
  assert_int_equal(r.claims[0].c.svc_from, 0);
  assert_int_equal(r.claims[0].lines[0].date_from, 20250301);
  assert_int_equal(r.claims[0].lines[0].date_source, 'C');
  /* C2: no statement period; the backwards service range is its first
   * day, and the line falls back to it */
  assert_int_equal(r.claims[1].c.stmt_from, 0);
  assert_int_equal(r.claims[1].c.svc_from, 20250305);
  assert_int_equal(r.claims[1].c.svc_to, 20250305);
  assert_int_equal(r.claims[1].lines[0].date_from, 20250305);
  assert_int_equal(r.claims[1].lines[0].date_source, 'C');
  rec_free(&r);
  free(want.p);
}

/* Units as written are kept whole up to C837_UNITS_MAX - 1 characters
 * (40 digits, which no int64 holds, are quoted whole). */
static void test_units_raw_whole(void **state)
{
  static const char *const segs[] = {
      HEAD_P,
      "CLM*C1*100",
      "LX*1",
      "SV1*HC:38228*100*UN*9999999999999999999999999999999999999999",
      "LX*2",
      "SV1*HC:38228*100*UN*1234567890123456789012345678901234567890"
      "123456789012345678901234567890",
      TAIL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.claims[0].lines[0].units_raw,
                      "9999999999999999999999999999999999999999");
  assert_int_equal(r.claims[0].lines[0].units_ok, 0);
  assert_int_equal(C837_UNITS_MAX, 64);
  assert_string_equal(r.claims[0].lines[1].units_raw,
                      "1234567890123456789012345678901234567890"
                      "12345678901234567890123");
  assert_int_equal(r.claims[0].lines[1].units_ok, 0);
  rec_free(&r);
}
/* ------------------------------------------------------------------ */
/* Claim context: place of service, payer, admission, HI lists, notes, */
/* drug loops (claim_ctx.c)                                            */
/* ------------------------------------------------------------------ */

/* 837P: a Medicare Part B claim with coordination of benefits (2320 SBR
 * CI, 2330A NM1*IL, 2330B NM1*PR with REF*F8): the claim keeps its own
 * SBR09, payer and (absent) REF*F8.  Line 1 has its own place of service
 * (SV105), four modifiers and a drug loop; line 2 takes the claim's
 * place of service, and its CTP without a LIN and its NTE are not read;
 * line 3 has two drug loops, and the LIN and CTP after its SVD (2430)
 * are not read.  The second claim is under a 2000C patient loop whose
 * subscriber loop says 16 (Medicare Advantage). */
static const char *const PROF_CTX[] = {
    ISA5,                                                   /* 1 */
    "GS*HC*SENDER*RECEIVER*20250101*1200*1*X*005010X222A1", /* 2 */
    "ST*837*0001*005010X222A1",                             /* 3 */
    "HL*1**20*1",                                           /* 4 */
    "NM1*85*2*CANCER CENTER*****XX*1234567893",             /* 5 */
    "HL*2*1*22*0",                                          /* 6 */
    "SBR*P*18*GRP1******MB",                                /* 7 */
    "NM1*IL*1*DOE*JANE****MI*MEMBER01",                     /* 8 */
    "DMG*D8*19500101*F",                                    /* 9 */
    "NM1*PR*2*MEDICARE B*****PI*MCRB01",                    /* 10 */
    "CLM*P1*20000***11:B:1*Y*A*Y*Y",                        /* 11 @0 */
    "DTP*435*D8*20250102",                                  /* 12 @1 */
    "REF*P4*12345678",                                      /* 13 @2 */
    "NTE*ADD*DIFF PROD CLIN TRIAL",                         /* 14 @3 */
    "HI*ABK:C9100*ABF:Z006*ABF:D701",                       /* 15 @4 */
    "HI*BG:30",                                             /* 16 @5 */
    "NM1*82*1*ONC*DOC****XX*1111111112",                    /* 17 @6 */
    "SBR*S*01*******CI",                                    /* 18 @7 2320 */
    "AMT*D*100",                                            /* 19 @8 */
    "NM1*IL*1*DOE*JOHN****MI*OTHERMEMBER",                  /* 20 @9 2330A */
    "NM1*PR*2*OTHER PAYER*****PI*OTHERPAYER",               /* 21 @10 2330B */
    "REF*F8*OTHERCTL",                                      /* 22 @11 */
    "DTP*573*D8*20250301",                                  /* 23 @12 */
    "LX*1",                                                 /* 24 @13 */
    "SV1*HC:Q2041:JW:KX:LU:76*15000*UN*1*22**1",            /* 25 @14 */
    "DTP*472*D8*20250110",                                  /* 26 @15 */
    "LIN**N4*71287011901",                                  /* 27 @16 */
    "CTP****1*UN",                                          /* 28 @17 */
    "LX*2",                                                 /* 29 @18 */
    "SV1*HC:38228*5000*UN*1***1",                           /* 30 @19 */
    "DTP*472*D8*20250110",                                  /* 31 @20 */
    "NTE*ADD*A LINE NOTE",                                  /* 32 @21 */
    "CTP****9*UN",                                          /* 33 @22 */
    "LX*3",                                                 /* 34 @23 */
    "SV1*HC:J9999*1*UN*1*11**1",                            /* 35 @24 */
    "LIN**N4*00000000001",                                  /* 36 @25 */
    "CTP****2.5*ML:1",                                      /* 37 @26 */
    "LIN**N4*00000000002",                                  /* 38 @27 */
    "SVD*OTHERPAYER*1*HC:J9999**1",                         /* 39 @28 */
    "LIN**N4*99999999999",                                  /* 40 @29 */
    "CTP****7*UN",                                          /* 41 @30 */
    "HL*3*1*22*1",                                          /* 42 */
    "SBR*P**GRP2******16",                                  /* 43 */
    "NM1*IL*1*SMITH*BOB****MI*MEMBER02",                    /* 44 */
    "DMG*D8*19650202*M",                                    /* 45 */
    "NM1*PR*2*ADVANTAGE PLAN*****PI*MAPLAN",                /* 46 */
    "HL*4*3*23*0",                                          /* 47 */
    "PAT*19",                                               /* 48 */
    "NM1*QC*1*SMITH*KID",                                   /* 49 */
    "DMG*D8*20100303*F",                                    /* 50 */
    "CLM*P2*100***22:B:1*Y*A*Y*Y",                          /* 51 @0 */
    "HI*ABK:C8338",                                         /* 52 @1 */
    "LX*1",                                                 /* 53 @2 */
    "SV1*HC:38226*100*UN*1***1",                            /* 54 @3 */
    "SE*#*0001",
    "GE*#*1",
    "IEA*#*000000001",
    NULL};

static void test_837p_claim_context(void **state)
{
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(PROF_CTX, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(r.n_claims, 2);
  assert_string_equal(
      r.claims[0].ctx,
      "  ctx pos=11 filing=MB resp=P payer=MCRB01 "
      "admit=20250102//0 trial=12345678 dob=19500101 g=F\n"
      "  dx ABK:C9100 d=0 amt=/0/0 poa= @4.1\n"
      "  dx ABF:Z006 d=0 amt=/0/0 poa= @4.2\n"
      "  dx ABF:D701 d=0 amt=/0/0 poa= @4.3\n"
      "  cond BG:30 d=0 amt=/0/0 poa= @5.1\n"
      "  note ADD [DIFF PROD CLIN TRIAL] @3\n"
      "  line 1 pos=22/L mods=JW,KX,LU,76 nc=0 drugs=1\n"
      "    drug N4:71287011901 q=1/1000000/1 unit=UN @16,17\n"
      "  line 2 pos=11/C mods=,,, nc=0 drugs=0\n"
      "  line 3 pos=11/L mods=,,, nc=0 drugs=2\n"
      "    drug N4:00000000001 q=2.5/2500000/1 unit=ML @25,26\n"
      "    drug N4:00000000002 q=/0/0 unit= @27,-1\n");
  /* the claim's own values, not 2320/2330's */
  assert_string_equal(r.claims[0].c.filing, "MB");
  assert_string_equal(r.claims[0].c.payer.id, "MCRB01");
  assert_string_equal(r.claims[0].c.subscriber.id, "MEMBER01");
  assert_string_equal(r.claims[0].c.orig_ref, "");
  assert_string_equal(r.claims[0].c.facility, "11");
  assert_string_equal(r.claims[0].c.tob, "");
  assert_int_equal(r.claims[0].c.n_dx, 3);
  assert_int_equal(r.claims[0].c.n_px, 0);
  assert_int_equal(r.claims[0].c.n_value, 0);
  assert_int_equal(r.claims[0].c.n_drugs, 3);
  assert_int_equal(r.claims[0].lines[2].date_from, 0);
  /* the patient of a 2000C loop: its DMG, not the subscriber's */
  assert_string_equal(
      r.claims[1].ctx,
      "  ctx pos=22 filing=16 resp=P payer=MAPLAN "
      "admit=0//0 trial= dob=20100303 g=F\n"
      "  dx ABK:C8338 d=0 amt=/0/0 poa= @1.1\n"
      "  line 1 pos=22/C mods=,,, nc=0 drugs=0\n");
  assert_int_equal(r.claims[1].c.subscriber.dob, 19650202);
  assert_string_equal(r.claims[1].c.subscriber.gender, "M");
  assert_string_equal(r.claims[1].c.patient.gender, "F");
  rec_free(&r);
}

/* 837I: Medicare Part A inpatient claim with an admission date and time,
 * two claim notes, every HI list (diagnoses with present-on-admission,
 * admitting and reason for visit; PCS procedures with dates; condition
 * and value codes), HI qualifiers the model does not read (BH, DR), and
 * a COB loop whose HI and NTE (out of place there) are not read.  Line 1
 * has four SV202 modifiers, a non-covered charge and a drug loop.  The
 * second claim has a masked admission date (admit_bad, no problem) and a
 * PCS date that is not a date (DATE_INVALID). */
static const char *const INST_CTX[] = {
    ISA5,                                                   /* 1 */
    "GS*HC*SENDER*RECEIVER*20250101*1200*2*X*005010X223A2", /* 2 */
    "ST*837*0002*005010X223A2",                             /* 3 */
    "HL*1**20*1",                                           /* 4 */
    "NM1*85*2*HOSPITAL*****XX*1111111111",                  /* 5 */
    "HL*2*1*22*0",                                          /* 6 */
    "SBR*P*18*******MA",                                    /* 7 */
    "NM1*IL*1*ROE*RICHARD****MI*M3",                        /* 8 */
    "DMG*D8*19500505*M",                                    /* 9 */
    "NM1*PR*2*MEDICARE*****PI*MCRA",                        /* 10 */
    "CLM*I1*400000***11:A:1**A*Y*Y",                        /* 11 @0 */
    "DTP*434*RD8*20250301-20250310",                        /* 12 @1 */
    "DTP*435*DT*202503011430",                              /* 13 @2 */
    "CL1*1*7*01",                                           /* 14 @3 */
    "NTE*ADD*Diff Prod Clin Trial",                         /* 15 @4 */
    "NTE*UPI*UPDATED INFO",                                 /* 16 @5 */
    "HI*ABK:C8331*ABJ:R509*APR:R509*APR:R5081",             /* 17 @6 */
    "HI*ABF:Z006:::::::Y*ABF:D701:::::::N",                 /* 18 @7 */
    "HI*BBR:XW033C3:D8:20250302*BBQ:30233N1:D8:20250301",   /* 19 @8 */
    "HI*BG:30*BG:90",                                       /* 20 @9 */
    "HI*BE:D4:::12345678*BE:80:::3*BE:A1:::12.5",           /* 21 @10 */
    "HI*BH:A1:D8:20250101",                                 /* 22 @11 */
    "HI*DR:018",                                            /* 23 @12 */
    "SBR*S*18*******CI",                                    /* 24 @13 2320 */
    "NM1*IL*1*ROE*RICHARD****MI*OTHERID",                   /* 25 @14 */
    "NM1*PR*2*OTHER*****PI*OTHERPAY",                       /* 26 @15 */
    "REF*F8*OTHERCTL",                                      /* 27 @16 */
    "HI*ABF:X000",                                          /* 28 @17 */
    "NTE*ADD*NOT THE CLAIMS",                               /* 29 @18 */
    "DTP*435*D8*20240101",                                  /* 30 @19 */
    "LX*1",                                                 /* 31 @20 */
    "SV2*0891*HC:Q2041:JW:KX:Q0:Q1*380000*UN*1**1",         /* 32 @21 */
    "LIN**N4*71287011901",                                  /* 33 @22 */
    "CTP****1*UN",                                          /* 34 @23 */
    "LX*2",                                                 /* 35 @24 */
    "SV2*0871*HC:38228*20000*UN*1",                         /* 36 @25 */
    "DTP*472*D8*20250302",                                  /* 37 @26 */
    "CLM*I2*10***13:A:1",                                   /* 38 @0 */
    "DTP*435*DT*999999999999",                              /* 39 @1 */
    "HI*BBR:XW033C3:D8:20250230",                           /* 40 @2 */
    "LX*1",                                                 /* 41 @3 */
    "SV2*0300**10*UN*1",                                    /* 42 @4 */
    "SE*#*0002",
    "GE*#*2",
    "IEA*#*000000001",
    NULL};

static void test_837i_claim_context(void **state)
{
  rec r;
  c837_counts n;
  char want[300];
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(INST_CTX, &r, &n), C837_OK);
  snprintf(want, sizeof want,
           "DATE_INVALID seg 40 off %llu: claim I2: HI BBR XW033C3 date "
           "'20250230' is not a valid D8 date\n",
           (unsigned long long)seg_offset(INST_CTX, 40));
  assert_string_equal(r.problems.p, want);
  assert_int_equal(n.problems, 1);
  assert_int_equal(r.n_claims, 2);
  assert_string_equal(
      r.claims[0].ctx,
      "  ctx pos= filing=MA resp=P payer=MCRA "
      "admit=20250301/1430/0 trial= dob=19500505 g=M\n"
      "  dx ABK:C8331 d=0 amt=/0/0 poa= @6.1\n"
      "  dx ABJ:R509 d=0 amt=/0/0 poa= @6.2\n"
      "  dx APR:R509 d=0 amt=/0/0 poa= @6.3\n"
      "  dx APR:R5081 d=0 amt=/0/0 poa= @6.4\n"
      "  dx ABF:Z006 d=0 amt=/0/0 poa=Y @7.1\n"
      "  dx ABF:D701 d=0 amt=/0/0 poa=N @7.2\n"
      "  px BBR:XW033C3 d=20250302 amt=/0/0 poa= @8.1\n"
      "  px BBQ:30233N1 d=20250301 amt=/0/0 poa= @8.2\n"
      "  cond BG:30 d=0 amt=/0/0 poa= @9.1\n"
      "  cond BG:90 d=0 amt=/0/0 poa= @9.2\n"
      "  value BE:D4 d=0 amt=12345678/1234567800/1 poa= @10.1\n"
      "  value BE:80 d=0 amt=3/300/1 poa= @10.2\n"
      "  value BE:A1 d=0 amt=12.5/1250/1 poa= @10.3\n"
      "  note ADD [Diff Prod Clin Trial] @4\n"
      "  note UPI [UPDATED INFO] @5\n"
      "  line 1 pos=/0 mods=JW,KX,Q0,Q1 nc=100 drugs=1\n"
      "    drug N4:71287011901 q=1/1000000/1 unit=UN @22,23\n"
      "  line 2 pos=/0 mods=,,, nc=0 drugs=0\n");
  assert_int_equal(r.claims[0].c.kind, C837_KIND_I);
  assert_string_equal(r.claims[0].c.tob, "111");
  assert_string_equal(r.claims[0].c.facility, "11");
  assert_int_equal(r.claims[0].c.stmt_from, 20250301);
  assert_int_equal(r.claims[0].c.stmt_to, 20250310);
  assert_string_equal(r.claims[0].c.orig_ref, "");
  assert_string_equal(r.claims[0].c.subscriber.id, "M3");
  assert_string_equal(
      r.claims[1].ctx,
      "  ctx pos= filing=MA resp=P payer=MCRA admit=0//1 "
      "trial= dob=19500505 g=M\n"
      "  px BBR:XW033C3 d=0 amt=/0/0 poa= @2.1\n"
      "  line 1 pos=/0 mods=,,, nc=0 drugs=0\n");
  rec_free(&r);
}

/* ICD-9 qualifiers (4010, and 5010 before ICD-10): BK/BF/BJ/PR are
 * diagnoses, BR/BQ procedures; an HI composite with an empty qualifier
 * or code is skipped or kept as written; a later DTP*435 D8 with a bad
 * date makes the admission admit_bad, without the earlier one's date or
 * time; an SBR09 outside the map is kept raw (class unknown). */
static void test_hi_icd9_and_odd_values(void **state)
{
  static const char *const segs[] = {
      ISA_T("U", "00401", "000000905"),
      "GS*HC*S*R*20050101*1200*905*X*004010X096A1",
      "ST*837*0905",
      "HL*1**20*1",
      "NM1*85*2*HOSPITAL*****24*123456789",
      "HL*2*1*22*0",
      "SBR*P*18*******09",
      "NM1*IL*1*DOE*JOHN****MI*123456789A",
      "NM1*PR*2*SELF*****PI*SELF",
      "CLM*4010I*75***11:A:1",
      "DTP*435*DT*200501051230",
      "DTP*435*D8*20050231",
      "HI*BK:4019*BF:25000**BJ:7802*PR:7865*ZZ:1",
      "HI*BR:3893:D8:20050105*BQ:9904",
      "HI*BG:",
      "LX*1",
      "SV2*0300*HC:85025*75*UN*1",
      "SE*#*0905",
      "GE*#*905",
      "IEA*#*000000905",
      NULL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p ? r.problems.p : "", "");
  assert_int_equal(r.n_claims, 1);
  assert_string_equal(
      r.claims[0].ctx,
      "  ctx pos= filing=09 resp=P payer=SELF admit=0//1 trial= "
      "dob=0 g=\n"
      "  dx BK:4019 d=0 amt=/0/0 poa= @3.1\n"
      "  dx BF:25000 d=0 amt=/0/0 poa= @3.2\n"
      "  dx BJ:7802 d=0 amt=/0/0 poa= @3.4\n"
      "  dx PR:7865 d=0 amt=/0/0 poa= @3.5\n"
      "  px BR:3893 d=20050105 amt=/0/0 poa= @4.1\n"
      "  px BQ:9904 d=0 amt=/0/0 poa= @4.2\n"
      "  cond BG: d=0 amt=/0/0 poa= @5.1\n"
      "  line 1 pos=/0 mods=,,, nc=0 drugs=0\n");
  rec_free(&r);
}

/* The model's lists are bounded: diagnoses past C837_MAX_CLAIM_HI_CODES,
 * notes past C837_MAX_CLAIM_NOTES, a note's text past C837_NOTE_MAX - 1
 * and a line's drug loops past C837_MAX_LINE_DRUGS are each reported
 * (CLAIM_MODEL_LIMIT, at the segment) and not read; the rest of the
 * claim is read as usual, and the claim is handed out whole. */
static void test_claim_model_limits(void **state)
{
  static const char *const head[] = {HEAD_P, "CLM*LIM*1", NULL};
  buf in = {0, 0, 0}, want = {0, 0, 0};
  rec r;
  c837_counts n;
  const saved *c;
  uint64_t at_hi = 0, at_nte = 0, at_long = 0, at_lin = 0;
  size_t i, k, seg = 6; /* CLM is segment 6 */
  char text[101];
  (void)state;
  assert_int_equal(C837_MAX_CLAIM_HI_CODES, 64);
  assert_int_equal(C837_MAX_CLAIM_NOTES, 16);
  assert_int_equal(C837_MAX_LINE_DRUGS, 25);
  assert_int_equal(C837_NOTE_MAX, 81);
  build(head, &in);
  /* 6 HI: 5 of 12 diagnoses, then 10 diagnoses and 2 condition codes:
   * 70 diagnoses, 6 past the bound, all in the sixth HI */
  for (i = 0; i < 6; i++) {
    if (i == 5)
      at_hi = in.len;
    buf_str(&in, "HI");
    for (k = 0; k < 12; k++)
      buf_fmt(&in, "*%s:C%02zu%02zu", i == 5 && k >= 10 ? "BG" : "ABF", i,
              k);
    buf_str(&in, "~\n");
    seg++;
  }
  /* 17 notes, the third one 100 characters long */
  memset(text, 'N', 100);
  text[100] = '\0';
  for (i = 0; i < 17; i++) {
    if (i == 2)
      at_long = in.len;
    if (i == 16)
      at_nte = in.len;
    buf_fmt(&in, "NTE*ADD*%s~\n", i == 2 ? text : "NOTE");
    seg++;
  }
  buf_str(&in, "LX*1~\nSV1*HC:J9999*1*UN*1~\n");
  seg += 2;
  /* 26 drug loops, each with its CTP (quantity = its number) */
  for (i = 0; i < 26; i++) {
    if (i == 25)
      at_lin = in.len;
    buf_fmt(&in, "LIN**N4*000000000%02zu~\nCTP****%zu*UN~\n", i, i + 1);
    seg += 2;
  }
  /* ST is segment 3, SE segment seg + 1 */
  buf_fmt(&in, "SE*%zu*0001~\nGE*1*1~\nIEA*1*000000001~\n", seg - 1);

  buf_fmt(&want,
          "CLAIM_MODEL_LIMIT seg 12 off %llu: claim LIM: 6 diagnosis "
          "codes of this HI are past the 64 the claim model keeps; passed "
          "through, not read\n",
          (unsigned long long)at_hi);
  buf_fmt(&want,
          "CLAIM_MODEL_LIMIT seg 15 off %llu: claim LIM: NTE text of 100 "
          "characters; the claim model keeps the first 80\n",
          (unsigned long long)at_long);
  buf_fmt(&want,
          "CLAIM_MODEL_LIMIT seg 29 off %llu: claim LIM has more than 16 "
          "notes (NTE); this one is passed through, not read\n",
          (unsigned long long)at_nte);
  buf_fmt(&want,
          "CLAIM_MODEL_LIMIT seg %zu off %llu: claim LIM line 1 has more "
          "than 25 drug loops (LIN); this one is passed through, not "
          "read\n",
          seg - 1, (unsigned long long)at_lin);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble_all_chunks(in.p, in.len, &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 4);
  assert_int_equal(r.n_claims, 1);
  c = &r.claims[0];
  assert_int_equal(c->c.n_segs, seg - 5);
  assert_int_equal(c->c.n_dx, 64);
  assert_int_equal(c->c.n_cond, 2);
  assert_int_equal(c->c.n_notes, 16);
  assert_int_equal(c->c.n_drugs, 25);
  assert_int_equal(c->lines[0].n_drugs, 25);
  /* the last diagnosis kept is the fourth of the sixth HI (60 + 4); the
   * condition codes after the diagnoses past the bound are kept */
  assert_non_null(strstr(c->ctx, "  dx ABF:C0503 d=0 amt=/0/0 poa= @6.4\n"
                                  "  cond BG:C0510 d=0 amt=/0/0 poa= @6.11\n"
                                  "  cond BG:C0511 d=0 amt=/0/0 poa= @6.12\n"
                                  "  note ADD [NOTE] @7\n"));
  assert_null(strstr(c->ctx, "ABF:C0504"));
  /* the long note (the third NTE: segment index 7 + 2) is cut to 80
   * characters */
  want.len = 0;
  buf_fmt(&want, "  note ADD [%.80s] @9\n  note", text);
  assert_non_null(strstr(c->ctx, want.p));
  /* the 25th drug keeps its own CTP (LIN i at index 26 + 2i: CLM, 6 HI,
   * 17 NTE, LX and SV1 come first); the 26th LIN and its CTP are not
   * read */
  assert_non_null(strstr(c->ctx, "    drug N4:00000000024 q=25/25000000/1 "
                                 "unit=UN @74,75\n"));
  assert_null(strstr(c->ctx, "00000000025"));
  assert_null(strstr(c->ctx, "q=26"));
  rec_free(&r);
  free(in.p);
  free(want.p);
}


/* A claim callback that stops: ECALLBACK, no more claims. */
static void test_claim_callback_stops(void **state)
{
  buf in = {0, 0, 0};
  rec r;
  (void)state;
  build(PROF, &in);
  memset(&r, 0, sizeof r);
  r.stop_claims = 1;
  assert_int_equal(assemble(in.p, in.len, 0, &r, NULL), C837_ECALLBACK);
  assert_int_equal(r.n_claims, 1);
  rec_free(&r);
  free(in.p);
}

/* A claim is handed out before the segment that ends it (HL, CLM, SE,
 * GE, IEA, and a new ISA or GS). */
static void test_claim_order(void **state)
{
  static const char *const segs[] = {
      ISA5,
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1",
      "ST*837*0001*005010X222A1",
      "HL*1**20*1",
      "HL*2*1*22*0",
      "CLM*A*1",
      "HL*3*1*22*0",
      "CLM*B*1",
      "SE*#*0001",
      "GE*#*1",
      "IEA*#*000000001",
      NULL};
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_non_null(strstr(r.log.p, "claim A "));
  assert_true(strstr(r.log.p, "claim A ") <
              strstr(r.log.p, "segment 7@"));
  assert_true(strstr(r.log.p, "claim B ") < strstr(r.log.p, "segment 9@"));
  assert_true(strstr(r.log.p, "segment 6@") == NULL); /* CLM not a segment */
  assert_string_equal(r.claims[0].c.hl_id, "2");
  assert_string_equal(r.claims[1].c.hl_id, "3");
  rec_free(&r);
}

/* A claim of `n` copies of `seg` (after CLM) in one transaction. */
static void big_claim(buf *in, const char *seg, size_t n, uint64_t *at)
{
  static const char *const head[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X222A1",
      "ST*837*0001*005010X222A1", "HL*1**20*1", "HL*2*1*22*0", "CLM*BIG*1",
      NULL};
  size_t i;
  build(head, in);
  for (i = 0; i < n; i++) {
    if (i + 1 == n)
      *at = in->len;
    buf_add(in, seg, strlen(seg));
  }
  buf_add(in, "SE*1*0001~GE*1*1~IEA*1*000000001~", 33);
}

/* in (fed whole) stops the assembler with ECLAIM at the segment at
 * offset `at`, numbered `seg` (0: not checked), for a claim with more
 * than `limit` `what`. */
static void check_claim_error(const buf *in, uint64_t at, uint64_t seg,
                              unsigned long limit, const char *what)
{
  c837_handler h = {NULL, NULL, NULL, NULL};
  c837_assembler *a = c837_assembler_new(&h);
  c837_tokenizer *t = c837_tokenizer_new(c837_assembler_segment, a);
  const c837_error *e;
  char want[200];
  assert_int_equal(c837_tokenizer_feed(t, in->p, in->len), C837_ECALLBACK);
  e = c837_assembler_error(a);
  snprintf(want, sizeof want,
           "claim 'BIG' has more than %lu %s; not an 837 a payer would "
           "accept",
           limit, what);
  assert_int_equal(e->code, C837_ECLAIM);
  assert_int_equal(e->offset, at);
  if (seg)
    assert_int_equal(e->segment, seg);
  assert_string_equal(e->msg, want);
  assert_int_equal(c837_assembler_finish(a), C837_ECLAIM);
  c837_tokenizer_free(t);
  c837_assembler_free(a);
}

/* The claim limits: C837_MAX_LINES lines are fine, one more is ECLAIM
 * at the segment that crossed it; likewise segments and bytes. */
static void test_claim_limits(void **state)
{
  buf in = {0, 0, 0};
  rec r;
  c837_counts n;
  uint64_t at = 0;
  char big[60001];
  (void)state;

  big_claim(&in, "LX*1~", C837_MAX_LINES, &at);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble(in.p, in.len, 0, &r, &n), C837_OK);
  assert_int_equal(r.n_claims, 1);
  assert_int_equal(n.lines, C837_MAX_LINES);
  rec_free(&r);

  in.len = 0;
  big_claim(&in, "LX*1~", C837_MAX_LINES + 1, &at);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble(in.p, in.len, 0, &r, &n), C837_ECLAIM);
  assert_int_equal(r.n_claims, 0);
  rec_free(&r);
  /* error details */
  check_claim_error(&in, at, 6 + C837_MAX_LINES + 1, C837_MAX_LINES,
                    "service lines");

  /* segments: CLM + (MAX - 1) NTE = MAX segments, fine; one more not */
  in.len = 0;
  big_claim(&in, "NTE*ADD*X~", C837_MAX_CLAIM_SEGMENTS - 1, &at);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble(in.p, in.len, 0, &r, &n), C837_OK);
  assert_int_equal(r.n_claims, 1);
  rec_free(&r);
  in.len = 0;
  big_claim(&in, "NTE*ADD*X~", C837_MAX_CLAIM_SEGMENTS, &at);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble(in.p, in.len, 0, &r, &n), C837_ECLAIM);
  rec_free(&r);
  check_claim_error(&in, at, 0, C837_MAX_CLAIM_SEGMENTS, "segments");

  /* bytes: 60 KB segments until the claim passes C837_MAX_CLAIM_BYTES */
  memset(big, 'x', sizeof big - 1);
  memcpy(big, "NTE*ADD*", 8);
  big[sizeof big - 2] = '~';
  big[sizeof big - 1] = '\0';
  in.len = 0;
  big_claim(&in, big, C837_MAX_CLAIM_BYTES / 60000 + 1, &at);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble(in.p, in.len, 0, &r, &n), C837_ECLAIM);
  assert_int_equal(r.n_claims, 0);
  rec_free(&r);
  check_claim_error(&in, at, 0, C837_MAX_CLAIM_BYTES, "bytes");
  free(in.p);
}

/* ------------------------------------------------------------------ */
/* Issue 11: what no edit could see is read, or stops the reading      */
/* ------------------------------------------------------------------ */

/* An SV1 / SV2 / SV3 with no LX before it starts a service line of its
 * own, numbered by its position in the claim (LX_MISSING, a warning):
 * at the claim level, a second SV in a line, an SV after the 2430 SVD
 * loop; 837I SV2 too.  Every edit then sees it. */
static void test_lx_missing(void **state)
{
  static const char *const segs[] = {
      HEAD_P,                                      /* 1-5 */
      "CLM*C1*500",                                /* 6 */
      "DTP*472*D8*20250110",                       /* 7 claim date */
      "SV1*HC:38225*100*UN*3",                     /* 8 line 1, no LX */
      "DTP*472*D8*20250111",                       /* 9 its date */
      "LX*2",                                      /* 10 line 2 */
      "SV1*HC:38226*100*UN*1",                     /* 11 */
      "SV1*HC:38227*100*UN*1",                     /* 12 line 3, no LX */
      "LX*4",                                      /* 13 line 4 */
      "SV1*HC:38228*100*UN*1",                     /* 14 */
      "SVD*P1*0*HC:38228**1",                      /* 15 2430 */
      "DTP*573*D8*20250301",                       /* 16 */
      "SV1*HC:Q2041*100*UN*1",                     /* 17 line 5, no LX */
      "DTP*472*D8*20250112",                       /* 18 its date */
      "CLM*I1*100***13:A:1",                       /* 19 */
      "SV2*0874*HC:38228*100*UN*1",                /* 20 line 1, no LX */
      TAIL};
  buf want = {0, 0, 0};
  const c837_line *l;
  rec r;
  c837_counts n;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
#define ROW(k, id, tag, pos)                                                 \
  buf_fmt(&want,                                                             \
          "LX_MISSING seg %d off %llu: claim %s: service line segment '%s' " \
          "has no LX before it: read as line %d, its position in the "      \
          "claim\n",                                                         \
          k, (unsigned long long)seg_offset(segs, k), id, tag, pos)
  ROW(8, "C1", "SV1", 1);
  ROW(12, "C1", "SV1", 3);
  ROW(17, "C1", "SV1", 5);
  ROW(20, "I1", "SV2", 1);
#undef ROW
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 4);
  assert_int_equal(n.lines, 6);
  assert_int_equal(r.n_claims, 2);
  assert_int_equal(r.claims[0].c.n_lines, 5);
  l = r.claims[0].lines;
  /* line: lx, first segment (in claim->segs), its SV, its DTP*472, its
   * last segment, code, dates and where they came from */
  assert_string_equal(l[0].lx, "1");
  assert_int_equal(l[0].seg_first, 2);
  assert_int_equal(l[0].seg_sv, 2);
  assert_int_equal(l[0].seg_dtp, 3);
  assert_int_equal(l[0].seg_last, 3);
  assert_string_equal(l[0].code, "38225");
  assert_int_equal(l[0].units, 3000000);
  assert_int_equal(l[0].date_from, 20250111);
  assert_int_equal(l[0].date_source, 'L');
  assert_string_equal(l[1].lx, "2");
  assert_int_equal(l[1].seg_first, 4);
  assert_int_equal(l[1].seg_sv, 5);
  assert_int_equal(l[1].seg_last, 5);
  assert_string_equal(l[1].code, "38226");
  assert_int_equal(l[1].date_from, 20250110);
  assert_int_equal(l[1].date_source, 'C');
  assert_string_equal(l[2].lx, "3");
  assert_int_equal(l[2].seg_first, 6);
  assert_int_equal(l[2].seg_sv, 6);
  assert_int_equal(l[2].seg_dtp, C837_NO_INDEX);
  assert_string_equal(l[2].code, "38227");
  assert_string_equal(l[3].lx, "4");
  assert_int_equal(l[3].seg_first, 7);
  assert_int_equal(l[3].seg_sv, 8);
  assert_int_equal(l[3].seg_last, 10);
  assert_int_equal(l[3].date_source, 'C'); /* DTP*573 is 2430's */
  assert_string_equal(l[4].lx, "5");
  assert_int_equal(l[4].seg_first, 11);
  assert_int_equal(l[4].seg_sv, 11);
  assert_int_equal(l[4].seg_dtp, 12);
  assert_string_equal(l[4].code, "Q2041");
  assert_int_equal(l[4].date_from, 20250112);
  assert_int_equal(r.claims[1].c.kind, C837_KIND_I);
  assert_int_equal(r.claims[1].c.n_lines, 1);
  assert_string_equal(r.claims[1].lines[0].lx, "1");
  assert_int_equal(r.claims[1].lines[0].sv, '2');
  assert_string_equal(r.claims[1].lines[0].revenue, "0874");
  assert_string_equal(r.claims[1].lines[0].code, "38228");
  rec_free(&r);
  free(want.p);
}

/* Runs segs and checks that the assembler stopped with C837_ECLAIM at
 * segment k with message msg, having handed out no claim. */
static void check_stopped(const char *const *segs, int k, const char *msg,
                          rec *r)
{
  c837_counts n;
  memset(r, 0, sizeof *r);
  assert_int_equal(run_segs(segs, r, &n), C837_ECLAIM);
  assert_int_equal(r->err.code, C837_ECLAIM);
  assert_int_equal(r->err.segment, (uint64_t)k);
  assert_int_equal(r->err.offset, seg_offset(segs, (size_t)k));
  assert_string_equal(r->err.msg, msg);
  assert_int_equal(n.claims, 0);
}

/* A claim outside an 837 transaction set (its ST missing, garbled, or
 * naming another set) and a service line outside a claim (its CLM
 * garbled) would pass unchecked: the reading stops there (C837_ECLAIM;
 * the caller holds the file whole, or keeps the rest unparsed). */
static void test_claim_outside_837(void **state)
{
  static const char *const no_st[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X222A1", /* 1-2 */
      "BHT*0019*00*B1*20250101*1200*CH",                /* 3 */
      "HL*1**20*1",                                     /* 4 */
      "CLM*C1*100",                                     /* 5 */
      "LX*1", "SV1*HC:38225*100*UN*3", TAIL};
  static const char *const st01[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X222A1",
      "ST*8E7*0001*005010X222A1", "HL*1**20*1",         /* 3-4 */
      "CLM*C1*100",                                     /* 5 */
      "LX*1", "SV1*HC:38225*100*UN*3", TAIL};
  static const char *const no_clm[] = {
      HEAD_P,                                           /* 1-5 */
      "CLX*C1*100",                                     /* 6 valid id */
      "LX*1",                                           /* 7 */
      "SV1*HC:38225*100*UN*3",                          /* 8 */
      TAIL};
  static const char *const sv2_out[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X223A2",
      "SV2*0874*HC:38228*100*UN*1", TAIL};              /* 3 */
  /* found by fuzz_pipeline (check 8): ST01 and CLM both garbled */
  static const char *const sv2_foreign[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X223A2",
      "ST*83400.00*0001*005010X223A2",                  /* 3 */
      "LX*1", "SV2*0873*HC:38226*100*UN*1", TAIL};      /* 4-5 */
  /* a 278's service level (2000F) is SV1 / SV2: passed on */
  static const char *const sv1_278[] = {
      ISA5, "GS*HI*S*R*20250101*1200*1*X*005010X217",
      "ST*278*0001*005010X217", "HL*1**20*1",
      "SV1*HC:38225*100*UN*1", "SE*4*0001", "GE*1*1",
      "IEA*1*000000001", NULL};
  c837_counts n;
  rec r;
  (void)state;
  check_stopped(no_st, 5,
                "claim 'C1' (CLM) is not inside an 837 transaction set (no "
                "ST open: the ST is missing or garbled): no edit could check "
                "it, so it is not passed on",
                &r);
  assert_non_null(strstr(r.problems.p, "SEGMENT_OUTSIDE_ST seg 4 off"));
  rec_free(&r);
  check_stopped(st01, 5,
                "claim 'C1' (CLM) is not inside an 837 transaction set (it "
                "is in transaction set ST01=8E7, not 837): no edit could "
                "check it, so it is not passed on",
                &r);
  rec_free(&r);
  check_stopped(no_clm, 8,
                "service line segment 'SV1' is not inside a claim (no CLM "
                "before it: the CLM is missing or garbled): no edit could "
                "check it, so it is not passed on",
                &r);
  assert_non_null(strstr(r.problems.p,
                         "SEGMENT_OUT_OF_PLACE seg 7 off"));
  rec_free(&r);
  check_stopped(sv2_out, 3,
                "service line segment 'SV2' is not inside a claim (no ST "
                "open: the ST is missing or garbled): no edit could check "
                "it, so it is not passed on",
                &r);
  rec_free(&r);
  check_stopped(sv2_foreign, 5,
                "service line segment 'SV2' is not inside a claim (it is in "
                "a transaction set whose ST01 is neither 837 nor 278: the ST "
                "is garbled, or the CLM is): no edit could check it, so it "
                "is not passed on",
                &r);
  rec_free(&r);
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(sv1_278, &r, &n), C837_OK);
  assert_int_equal(r.n_claims, 0);
  assert_non_null(strstr(r.roles.p, "SV1:OTHER"));
  rec_free(&r);
}

/* A CR or LF inside a segment while the terminator is neither (a file
 * folded at a fixed width) stops the reading at that segment, before it
 * ends the claim being read (which is kept back): "382" LF "25" would
 * hide code 38225 from every edit. */
static void test_line_break(void **state)
{
  static const char *const segs[] = {
      HEAD_P,                                           /* 1-5 */
      "CLM*C1*100",                                     /* 6 */
      "LX*1",                                           /* 7 */
      "SV1*HC:382\n25*100*UN*3",                        /* 8 */
      TAIL};
  static const char *const in_isa[] = {
      "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIV\r\nER "
      "      *250101*1200*^*00501*000000001*0*P*:",
      "IEA*1*000000001", NULL};
  char want[600];
  rec r;
  (void)state;
  snprintf(want, sizeof want,
           "segment 'SV1*HC:382\\x0a2' has a line break (0x0a) inside it, at "
           "byte %llu, and the segment terminator is '~': the file looks "
           "folded at a fixed width (or damaged), and a break can hide a "
           "code or a segment from the edits; it is not read (remove the "
           "line breaks inside segments and run it again)",
           (unsigned long long)seg_offset(segs, 8) + 10);
  check_stopped(segs, 8, want, &r);
  assert_int_equal(r.pending.len, seg_offset(segs, 8) - seg_offset(segs, 6));
  assert_memory_equal(r.pending.p, "CLM*C1*100~\nLX*1~\n", r.pending.len);
  rec_free(&r);
  check_stopped(in_isa, 1,
                "segment 'ISA*00*     ' has a line break (0x0d) inside it, "
                "at byte 60, and the segment terminator is '~': the file "
                "looks folded at a fixed width (or damaged), and a break can "
                "hide a code or a segment from the edits; it is not read "
                "(remove the line breaks inside segments and run it again)",
                &r);
  rec_free(&r);
}

/* HL01 must be a number above every HL01 before it in the transaction
 * set, HL02 empty or (byte for byte) the HL01 of a loop open above it
 * (hlcheck.h): each broken link is reported; the next transaction set
 * starts afresh. */
static void test_hl_links(void **state)
{
#define TX(st) "ST*837*" st "*005010X222A1", "HL*1**20*1"
#define END(st) "SE*#*" st
  static const char *const segs[] = {
      ISA5, "GS*HC*S*R*20250101*1200*1*X*005010X222A1",  /* 1-2 */
      TX("0001"), "HL*2*1*22*1", "HL*3*2*23*0",          /* 3-6 nested */
      "HL*4*1*22*0", "HL*5*4*23*0", END("0001"),         /* 7-9 */
      TX("0002"), "HL*2*1*22*1", "HL*3*2*23*0",          /* 10-13 */
      "HL*4*1*22*0", "HL*5*3*23*0", END("0002"),         /* 14-16 closed */
      TX("0003"), "HL*2*1*22*0", "HL*2*1*22*0",          /* 17-20 repeat */
      END("0003"),                                       /* 21 */
      TX("0004"), "HL*2*5*22*0", END("0004"),            /* 22-25 later */
      TX("0005"), "HL*2*2*22*0", END("0005"),            /* 26-29 itself */
      TX("0006"), "HL*A1*1*22*0", END("0006"),           /* 30-33 NaN */
      TX("0007"), "HL*2*01*22*0", END("0007"),           /* 34-37 text */
      "ST*837*0008*005010X222A1", "HL*3**20*1",          /* 38-39 */
      "HL*2*3*22*0", END("0008"),                        /* 40-41 down */
      "GE*#*1", "IEA*#*000000001", NULL};
#undef TX
#undef END
  static const char tail[] = ": the HL hierarchy cannot be rewritten\n";
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
#define OFF(k) (unsigned long long)seg_offset(segs, k)
  buf_fmt(&want, "HL02_PARENT seg 15 off %llu: HL*5: HL02=3 names no HL "
                 "loop open above it%s", OFF(15), tail);
  buf_fmt(&want, "HL01_ORDER seg 20 off %llu: HL01=2 is not above 2, the "
                 "highest HL01 before it in the transaction set (a "
                 "repeated or out of order HL id)%s", OFF(20), tail);
  buf_fmt(&want, "HL02_PARENT seg 24 off %llu: HL*2: HL02=5 names a later "
                 "HL, not a loop open above it%s", OFF(24), tail);
  buf_fmt(&want, "HL02_PARENT seg 28 off %llu: HL*2: HL02=2 names the HL "
                 "itself%s", OFF(28), tail);
  buf_fmt(&want, "HL01_ORDER seg 32 off %llu: HL01=A1 is not a number (1 "
                 "to 18 digits)%s", OFF(32), tail);
  buf_fmt(&want, "HL02_PARENT seg 36 off %llu: HL*2: HL02=01 names no HL "
                 "loop open above it%s", OFF(36), tail);
  buf_fmt(&want, "HL01_ORDER seg 40 off %llu: HL01=2 is not above 3, the "
                 "highest HL01 before it in the transaction set (a "
                 "repeated or out of order HL id)%s", OFF(40), tail);
#undef OFF
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  if (strcmp(r.problems.p ? r.problems.p : "", want.p) != 0) {
    fprintf(stderr, "--- expected\n%s--- got\n%s", want.p, r.problems.p);
    fail_msg("problems differ");
  }
  assert_int_equal(n.problems, 7);
  rec_free(&r);
  free(want.p);
}

/* The same ISA13 twice in one input, GS06 twice in one interchange, ST02
 * twice in one group, each compared as the trailers compare them (ISA13
 * and GS06 as numbers, ST02 as text without blanks): *_DUPLICATE naming
 * the segment of the first use.  The same numbers in another scope (ST02
 * in another group, GS06 in another interchange) are fine. */
static void test_duplicate_controls(void **state)
{
  static const char *const segs[] = {
      ISA5,                                             /* 1 */
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1",       /* 2 */
      "ST*837*0001*005010X222A1", "SE*#*0001",          /* 3-4 */
      "ST*837*0001 *005010X222A1", "SE*#*0001",         /* 5-6 dup */
      "ST*837*0002*005010X222A1", "SE*#*0002",          /* 7-8 */
      "GE*#*1",                                         /* 9 */
      "GS*HC*S*R*20250101*1200*0001*X*005010X222A1",    /* 10 dup */
      "ST*837*0001*005010X222A1", "SE*#*0001",          /* 11-12 fine */
      "GE*#*1",                                         /* 13 */
      "IEA*#*000000001",                                /* 14 */
      ISA5,                                             /* 15 dup */
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1",       /* 16 fine */
      "ST*837*0001*005010X222A1", "SE*#*0001",          /* 17-18 fine */
      "GE*#*1", "IEA*#*000000001", NULL};
  buf want = {0, 0, 0};
  rec r;
  c837_counts n;
  (void)state;
  buf_fmt(&want,
          "ST02_DUPLICATE seg 5 off %llu: ST02=0001 was already used by "
          "the transaction set at segment 3 of this group: each "
          "transaction set needs its own control number\n",
          (unsigned long long)seg_offset(segs, 5));
  buf_fmt(&want,
          "GS06_DUPLICATE seg 10 off %llu: GS06=0001 was already used by "
          "the functional group at segment 2 of this interchange: each "
          "functional group needs its own control number\n",
          (unsigned long long)seg_offset(segs, 10));
  buf_fmt(&want,
          "ISA13_DUPLICATE seg 15 off %llu: ISA13=000000001 was already "
          "used by the interchange at segment 1 of this input: each "
          "interchange needs its own control number\n",
          (unsigned long long)seg_offset(segs, 15));
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(n.problems, 3);
  rec_free(&r);
  free(want.p);
}

/* Many control numbers in one scope (300 GS06 in one interchange: the
 * compact table of numeric control numbers grows past its first size
 * several times): a number used again is found with the segment of its
 * first use; the same numbers in the next interchange are fine. */
static void test_duplicate_controls_many(void **state)
{
  enum { GROUPS = 300 };
  const char *segs[4 * GROUPS + 16];
  char *own[2 * GROUPS + 4];
  size_t n = 0, n_own = 0, dup_at, i;
  buf want = {0, 0, 0};
  rec r;
  c837_counts cnt;
  (void)state;
  segs[n++] = ISA5;
  for (i = 1; i <= GROUPS + 1; i++) {
    char *gs = malloc(64), *ge = malloc(32);
    size_t ctl = i <= GROUPS ? i : 7;
    assert_non_null(gs);
    assert_non_null(ge);
    snprintf(gs, 64, "GS*HC*S*R*20250101*1200*%zu*X*005010X222A1", ctl);
    snprintf(ge, 32, "GE*#*%zu", ctl);
    own[n_own++] = gs;
    own[n_own++] = ge;
    segs[n++] = gs;
    segs[n++] = "ST*837*0001*005010X222A1";
    segs[n++] = "SE*#*0001";
    segs[n++] = ge;
  }
  dup_at = n - 3; /* the GS of the last group: GS06=7 again */
  segs[n++] = "IEA*#*000000001";
  segs[n++] = ISA_T("^", "00501", "000000002");
  segs[n++] = "GS*HC*S*R*20250101*1200*7*X*005010X222A1"; /* fine */
  segs[n++] = "ST*837*0001*005010X222A1";
  segs[n++] = "SE*#*0001";
  segs[n++] = "GE*#*7";
  segs[n++] = "IEA*#*000000002";
  segs[n] = NULL;
  buf_fmt(&want,
          "GS06_DUPLICATE seg %zu off %llu: GS06=7 was already used by "
          "the functional group at segment 26 of this interchange: each "
          "functional group needs its own control number\n",
          dup_at, (unsigned long long)seg_offset(segs, dup_at));
  memset(&r, 0, sizeof r);
  assert_int_equal(run_segs(segs, &r, &cnt), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  assert_int_equal(cnt.problems, 1);
  rec_free(&r);
  free(want.p);
  for (i = 0; i < n_own; i++)
    free(own[i]);
}

/* Input bytes in messages are escaped as SEGMENT_ID_INVALID's are
 * (c837_excerpt: \xNN): a CR in IEA01 (the terminator here is LF), a
 * control byte in a claim id and a date, a line break in a control
 * number. */
static void test_messages_escaped(void **state)
{
  static const char *const segs[] = {
      ISA5,
      "GS*HC*S*R*20250101*1200*1*X*005010X222A1",
      "ST*837*0001*005010X222A1",
      "HL*1**20*1",
      "HL*2*1*22*0",
      "CLM*C@1*100",                                   /* 6 */
      "LX*1",
      "DTP*472*D8*2025@101",                           /* 8 */
      "SE*#*0001",
      "GE*#*1",
      "IEA*1\r*000000001",                             /* 11 */
      NULL};
  buf in = {0, 0, 0}, want = {0, 0, 0};
  rec r;
  c837_counts n;
  size_t i, k = 0;
  (void)state;
  build(segs, &in);
  /* the segment terminator becomes LF: "~\n" -> "\n" */
  for (i = 0; i < in.len; i++)
    if (in.p[i] != '~')
      in.p[k++] = in.p[i] == '@' ? '\x01' : in.p[i];
  in.len = k;
  buf_fmt(&want,
          "DATE_INVALID seg 8 off %llu: claim C\\x011 line 1: DTP*472 date "
          "'2025\\x01101' is not a valid D8 or RD8 date\n",
          (unsigned long long)seg_offset(segs, 8) - 7);
  buf_fmt(&want,
          "IEA01_COUNT seg 11 off %llu: IEA01=1\\x0d but interchange "
          "ISA13=000000001 has 1 groups\n",
          (unsigned long long)seg_offset(segs, 11) - 10);
  memset(&r, 0, sizeof r);
  assert_int_equal(assemble_all_chunks(in.p, in.len, &r, &n), C837_OK);
  assert_string_equal(r.problems.p, want.p);
  rec_free(&r);
  free(in.p);
  free(want.p);
}

#undef HEAD_P
#undef TAIL

/* c837_kind_name and friends. */
static void test_names(void **state)
{
  (void)state;
  assert_string_equal(c837_kind_name(C837_KIND_P), "837P");
  assert_string_equal(c837_kind_name(C837_KIND_I), "837I");
  assert_string_equal(c837_kind_name(C837_KIND_D), "837D");
  assert_string_equal(c837_kind_name(C837_KIND_OTHER), "other");
  assert_string_equal(c837_kind_name(C837_KIND_UNKNOWN), "unknown");
  assert_string_equal(c837_kind_name((c837_kind)99), "unknown");
  assert_string_equal(c837_severity_name(C837_SEV_ERROR), "error");
  assert_string_equal(c837_severity_name(C837_SEV_WARNING), "warning");
  assert_string_equal(c837_severity_name(C837_SEV_INFO), "info");
  assert_string_equal(c837_severity_name((c837_severity)7), "");
  /* problem ids: names, meanings and severities from C837_PROBLEM_MAP */
  assert_int_equal(C837_PROB_COUNT, 35);
  assert_string_equal(c837_problem_name(C837_PROB_ISA_ELEMENTS),
                      "ISA_ELEMENTS");
  assert_string_equal(c837_problem_name(C837_PROB_SE01_COUNT), "SE01_COUNT");
  assert_string_equal(c837_problem_name(C837_PROB_DATE_INVALID),
                      "DATE_INVALID");
  assert_string_equal(c837_problem_name(C837_PROB_COUNT), "");
  assert_string_equal(c837_problem_meaning(C837_PROB_SE02_CONTROL),
                      "SE02 does not match ST02");
  assert_string_equal(c837_problem_meaning(C837_PROB_COUNT), "");
  assert_int_equal(c837_problem_severity(C837_PROB_GS04_DATE),
                   C837_SEV_ERROR);
  assert_string_equal(c837_problem_name(C837_PROB_LX_MISSING), "LX_MISSING");
  assert_int_equal(c837_problem_severity(C837_PROB_LX_MISSING),
                   C837_SEV_WARNING);
  assert_string_equal(c837_problem_name(C837_PROB_HL01_ORDER), "HL01_ORDER");
  assert_string_equal(c837_problem_name(C837_PROB_HL02_PARENT),
                      "HL02_PARENT");
  assert_string_equal(c837_problem_name(C837_PROB_ISA13_DUPLICATE),
                      "ISA13_DUPLICATE");
  assert_string_equal(c837_problem_name(C837_PROB_GS06_DUPLICATE),
                      "GS06_DUPLICATE");
  assert_string_equal(c837_problem_name(C837_PROB_ST02_DUPLICATE),
                      "ST02_DUPLICATE");
  assert_int_equal(c837_problem_severity(C837_PROB_ST02_DUPLICATE),
                   C837_SEV_ERROR);
  assert_string_equal(c837_problem_name(C837_PROB_GS06_INVALID),
                      "GS06_INVALID");
  assert_int_equal(c837_problem_severity(C837_PROB_GS06_INVALID),
                   C837_SEV_ERROR);
  assert_string_equal(c837_problem_name(C837_PROB_ST02_INVALID),
                      "ST02_INVALID");
  assert_int_equal(c837_problem_severity(C837_PROB_ST02_INVALID),
                   C837_SEV_ERROR);
  assert_string_equal(c837_problem_name(C837_PROB_ISA13_INVALID),
                      "ISA13_INVALID");
  assert_int_equal(c837_problem_severity(C837_PROB_ISA13_INVALID),
                   C837_SEV_ERROR);
  c837_assembler_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_837p_claim_model),
      cmocka_unit_test(test_837i_claim_model),
      cmocka_unit_test(test_kind_from_lines),
      cmocka_unit_test(test_4010),
      cmocka_unit_test(test_837d_and_835),
      cmocka_unit_test(test_dates_and_bad_numbers),
      cmocka_unit_test(test_envelope_problems),
      cmocka_unit_test(test_control_numbers_numeric),
      cmocka_unit_test(test_duplicate_controls_many),
      cmocka_unit_test(test_unterminated_reported),
      cmocka_unit_test(test_segment_nul_byte),
      cmocka_unit_test(test_hidden_clm_stops),
      cmocka_unit_test(test_segment_id_invalid),
      cmocka_unit_test(test_isa_length_and_dates),
      cmocka_unit_test(test_gs06_invalid),
      cmocka_unit_test(test_st02_invalid),
      cmocka_unit_test(test_isa13_invalid),
      cmocka_unit_test(test_claim_dates_invalid),
      cmocka_unit_test(test_units_raw_whole),
      cmocka_unit_test(test_claim_callback_stops),
      cmocka_unit_test(test_claim_order),
      cmocka_unit_test(test_claim_limits),
      cmocka_unit_test(test_837p_claim_context),
      cmocka_unit_test(test_837i_claim_context),
      cmocka_unit_test(test_hi_icd9_and_odd_values),
      cmocka_unit_test(test_claim_model_limits),
      cmocka_unit_test(test_lx_missing),
      cmocka_unit_test(test_claim_outside_837),
      cmocka_unit_test(test_line_break),
      cmocka_unit_test(test_hl_links),
      cmocka_unit_test(test_duplicate_controls),
      cmocka_unit_test(test_messages_escaped),
      cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
