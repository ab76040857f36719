/* run_settle.c -- the settle step of one input (run_file.h)
 *
 * Once a file has been read, its ONE outcome slot (the failure of the
 * highest rank, see run_file.c) decides one of four endings:
 *
 *   COMMIT           all went well: outputs renamed, rows and memory kept;
 *   COMMIT_WITH_REST input that cannot be read twice stopped at a parse
 *                    error or at a claim or segment the writer refused:
 *                    what came before goes out, the rest is kept as it
 *                    came in OUT/held/NAME.unparsed, one error row;
 *   HOLD_WHOLE       a regular file that cannot be read to its end: nothing
 *                    of it is forwarded or kept in the reports but one
 *                    error row; it is copied whole to OUT/held/NAME;
 *   DISCARD          the file failed (I/O, memory, conservation, an output
 *                    name refused, interruption): nothing of it is kept but
 *                    its error row.
 *
 * A commit or a hold that fails in its turn ends as DISCARD.
 *
 * A ghost (c837_run_ghost: an extract of an earlier part of the batch)
 * has no outputs, rows or record: read to its end, the engine keeps its
 * memory; held whole, it is taken back; any other ending is the error
 * that the caller must stop at.
 */
#include "run/run_file.h"
#include "edit/engine_hist.h"
#include "base/err.h"
#include "base/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum ending { COMMIT, COMMIT_WITH_REST, HOLD_WHOLE, DISCARD } ending;

static ending ending_of(const file_ctx *f)
{
  if (f->rank == R_NONE)
    return COMMIT;
  if (f->end.code == C837_EINTR)
    return DISCARD;
  if (is_parse_error(f->end.code) || f->rank == R_REFUSED)
    return f->rereadable ? HOLD_WHOLE : COMMIT_WITH_REST;
  return DISCARD;
}

static void outputs_abort(file_ctx *f)
{
  c837_out_abort(&f->out);
  c837_out_abort(&f->held);
  c837_out_abort(&f->rest);
}

/* Takes back what the file did to the reports, the engine's memory and
 * the chart; its figures keep only what the summary should say.  Once. */
static void roll_back(file_ctx *f)
{
  if (f->rolled_back)
    return;
  f->rolled_back = 1;
  c837_engine_rollback(f->run->engine);
  if (f->marked && c837_report_rollback(f->run->report) != 0)
    f->report_failed = 1;
  f->n_days = 0;
  memset(&f->rec->t, 0, sizeof f->rec->t);
}

/* One ENVELOPE_INVALID row naming a file-level error, counted. */
static void error_row(file_ctx *f, const c837_error *e)
{
  if (c837_report_file_error(f->run->report, f->name, e) != 0)
    f->report_failed = 1;
  f->rec->t.findings[C837_EDIT_ENVELOPE_INVALID]++;
  f->rec->t.by_severity[C837_SEV_ERROR]++;
}

/* The file's status and reason; counted failed. */
static void set_status(file_ctx *f, const c837_error *e)
{
  f->rec->status = e->code;
  c837_run_set_reason(f->run, f->rec, e->msg);
  f->run->total.files_failed++;
}

/* Sends an event about the file with its error. */
static void emit_file(file_ctx *f, c837_run_ev kind, const c837_error *e,
                      int held)
{
  c837_run_event ev = {.kind = kind, .file = f->name, .err = e,
                       .held = held};
  c837_run_emit(f->run, &ev);
}

c837_status c837_file_discard(file_ctx *f)
{
  c837_run *r = f->run;
  outputs_abort(f);
  c837_run_ack_abort(&f->ack);
  roll_back(f);
  if (f->end.code == C837_EINTR) {
    /* no row: the run is over, and writes no report */
    r->cancelled = 1;
    f->rec->status = C837_EINTR;
    c837_run_set_reason(r, f->rec, "interrupted");
    return C837_EINTR;
  }
  if (f->row)
    error_row(f, &f->end);
  c837_totals_add(&r->total, &f->rec->t);
  set_status(f, &f->end);
  emit_file(f, C837_RUN_FILE_FAILED, &f->end, 0);
  return f->end.code;
}

/* Copies the whole input to OUT/held/NAME, unchanged: its bytes as they
 * are on disk (a gzip file stays the gzip file it was, whatever --gzip
 * says: never its decompressed content, which may be any size), and no
 * more than the size it has when the copy starts, itself at most
 * C837_MAX_HELD_WHOLE (over it: EIO, nothing copied).  Published with
 * the acknowledgments. */
static c837_status copy_whole(file_ctx *f, c837_error *err)
{
  char path[PATH_MAX], *buf;
  c837_out *v[1] = {&f->held};
  static const int force[1] = {1};
  size_t root = f->held.root_len;
  int fd = open(f->path, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  uint64_t left = 0;
  ssize_t n = 0;
  int e = 0;
  if (fd < 0 || fstat(fd, &sb) != 0) {
    c837_error_set(err, C837_EIO, 0, 0, "cannot %s %.200s: %.60s",
                   fd < 0 ? "open" : "read", f->path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return C837_EIO;
  }
  if ((uint64_t)sb.st_size > C837_MAX_HELD_WHOLE) {
    close(fd);
    return c837_error_set(err, C837_EIO, 0, 0,
                          "cannot hold %.200s whole: it is %llu bytes, over "
                          "the %llu bytes a copy held whole may take: not "
                          "copied, nothing of it is forwarded",
                          f->path, (unsigned long long)sb.st_size,
                          (unsigned long long)C837_MAX_HELD_WHOLE);
  }
  if (!(buf = malloc(C837_READ_CHUNK))) {
    close(fd);
    return c837_error_set(err, C837_ENOMEM, 0, 0, "out of memory");
  }
  memcpy(path, f->held.path, sizeof path);
  c837_out_init_under(&f->held, f->run->out_dir, path + root + 1, 0);
  f->held.nosync = !f->run->o.sync_each;
  for (left = (uint64_t)sb.st_size; left > 0; left -= (uint64_t)n) {
    n = read(fd, buf, left < C837_READ_CHUNK ? (size_t)left : C837_READ_CHUNK);
    e = errno;
    if (n < 0 && e == EINTR && !c837_run_is_cancelled(f->run)) {
      n = 0;
      continue;
    }
    if (n <= 0 || c837_out_write(&f->held, buf, (size_t)n) != 0)
      break;
  }
  close(fd);
  free(buf);
  if (left > 0 && !f->held.failed) {
    c837_out_abort(&f->held);
    return c837_error_set(err, C837_EIO, 0, 0,
                          n < 0 ? "cannot read %.200s: %.60s"
                                : "cannot read %.200s: %.60s (it was cut "
                                  "short while the run read it)",
                          f->path, n < 0 ? strerror(e) : "end of file");
  }
  return c837_run_ack_publish(&f->ack, v, force, 1, err);
}

static c837_status hold_whole(file_ctx *f)
{
  c837_run *r = f->run;
  c837_error herr;
  outputs_abort(f);
  roll_back(f);
  f->rec->uncounted = 1;
  f->rec->claims_before_error = f->counts.claims;
  if (f->write_837 ? copy_whole(f, &herr) != C837_OK
                   : c837_run_ack_publish(&f->ack, NULL, NULL, 0, &herr)) {
    /* it cannot be held either (gone, unreadable, disk full): nothing
     * of it is kept; the parse error has its row, and a second row says
     * why it is not held */
    error_row(f, &f->end);
    f->rec->uncounted = 0;
    f->end = herr;
    f->row = 1;
    return c837_file_discard(f);
  }
  f->rec->held_whole = f->write_837;
  emit_file(f, C837_RUN_HELD_WHOLE, &f->end, f->write_837);
  error_row(f, &f->end);
  c837_totals_add(&r->total, &f->rec->t);
  set_status(f, &f->end);
  return f->end.code;
}

/* Input that cannot be read twice, stopped by a parse error or a
 * refusal: records the unparsed rest in the file's figures and says in
 * e->msg where it went (relative to the output directory, so that the
 * reports do not depend on where it is) and whether it was cut at its
 * limit. */
static void note_rest(file_ctx *f, c837_error *e)
{
  char tail[400];
  size_t len = strlen(e->msg);
  unsigned long long kept = f->rest_bytes;
  f->rec->unparsed_bytes = f->rest_bytes;
  f->rec->unparsed_cut = f->rest_dropped > 0;
  if (f->rest_dropped)
    snprintf(tail, sizeof tail,
             "; only the first %llu bytes of the unparsed rest are kept, as "
             "they came, in held/%.100s.unparsed (%s): reading stopped "
             "there, the %llu bytes read past them and the rest of the "
             "input were dropped",
             kept, f->name,
             e->code == C837_ENOISA ? "the limit for input that is not X12"
                                    : "the limit on an unparsed rest",
             (unsigned long long)f->rest_dropped);
  else if (kept && f->refused)
    snprintf(tail, sizeof tail,
             "; that %s and the rest of the input (%llu bytes) are kept as "
             "they came in held/%.100s.unparsed",
             f->refused == 2 ? "claim" : "segment", kept, f->name);
  else if (kept)
    snprintf(tail, sizeof tail,
             "; the unparsed rest of the input (%llu bytes) is kept as it "
             "came in held/%.100s.unparsed",
             kept, f->name);
  else
    return;
  snprintf(e->msg + len, sizeof e->msg - len, "%s", tail);
}

/* COMMIT and COMMIT_WITH_REST: the outputs take their final names (all
 * or none), the rows, the engine's memory and the dates stay. */
static c837_status commit(file_ctx *f, int with_rest)
{
  c837_run *r = f->run;
  c837_out *v[3] = {&f->out, &f->held, &f->rest};
  /* an empty corrected file too, unless every claim is held: then none */
  static const int force[3] = {1, 0, 0};
  c837_error err;
  c837_status st = C837_OK;
  size_t k;
  /* room for the file's dates in the chart before anything is
   * published, so that counting them below cannot fail */
  if (f->n_days && c837_run_reserve_days(r, f->n_days) != 0)
    st = c837_error_set(&err, C837_ENOMEM, 0, 0, "out of memory");
  else if (f->write_837 && (f->all_held || f->extract)) {
    /* an extract has no corrected output */
    c837_out_abort(&f->out);
    st = c837_run_ack_publish(&f->ack, v + 1, force + 1, 2, &err);
  } else {
    st = c837_run_ack_publish(&f->ack, v, force, f->write_837 ? 3 : 0,
                              &err);
  }
  if (st != C837_OK) {
    f->end = err;
    f->row = 1;
    return c837_file_discard(f);
  }
  if (with_rest) {
    /* what was read went out; the tail is in OUT/held/NAME.unparsed */
    note_rest(f, &f->end);
    set_status(f, &f->end);
    error_row(f, &f->end);
    emit_file(f, C837_RUN_UNPARSED_REST, &f->end, 0);
  }
  if (f->all_held) {
    c837_run_event ev = {.kind = C837_RUN_NO_CORRECTED, .file = f->name,
                         .held = f->out.to_stdout ? 2 : 1};
    f->rec->no_corrected = ev.held;
    c837_run_emit(r, &ev);
  }
  c837_engine_commit(r->engine);
  for (k = 0; k < f->n_days; k++)
    c837_run_count_days(r, f->days[k].date, f->days[k].count);
  c837_totals_add(&r->total, &f->rec->t);
  return with_rest ? f->end.code : C837_OK;
}

static c837_status ghost_settle(file_ctx *f)
{
  c837_run *r = f->run;
  ending e = ending_of(f);
  c837_status st = C837_OK;
  outputs_abort(f);
  if (e == COMMIT) {
    c837_engine_commit(r->engine); /* a ghost wrote no row to take back */
  } else {
    roll_back(f);
    if (e != HOLD_WHOLE)
      st = f->end.code != C837_OK ? f->end.code : C837_EIO;
  }
  if (f->end.code == C837_EINTR)
    r->cancelled = 1;
  c837_run_drop_record(r);
  return st;
}

c837_status c837_file_settle(file_ctx *f)
{
  static const c837_run_ack_how how[] = {
      [COMMIT] = C837_RUN_ACK_DONE, [COMMIT_WITH_REST] = C837_RUN_ACK_CUT,
      [HOLD_WHOLE] = C837_RUN_ACK_HELD_WHOLE};
  ending e = ending_of(f);
  c837_error err;
  if (f->ghost)
    return ghost_settle(f);
  /* the acknowledgments end as the file does; if they cannot, it fails */
  if (e != DISCARD &&
      c837_run_ack_end(&f->ack, how[e], f->end.code, &err) != C837_OK) {
    if (R_OUTPUT > f->rank) {
      f->rank = R_OUTPUT;
      f->end = err;
    }
    e = DISCARD;
  }
  switch (e) {
  case COMMIT:
    return commit(f, 0);
  case COMMIT_WITH_REST:
    return commit(f, 1);
  case HOLD_WHOLE:
    return hold_whole(f);
  case DISCARD:
  default:
    return c837_file_discard(f);
  }
}
