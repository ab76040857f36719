#!/bin/sh
# e2e_shape.sh -- the shape rules of the sources (tests/shape_check.py)
#
#  - the checker on a made-up tree with one offence of each kind (a file
#    of 801 lines, a function of 81 lines next to one of 80, an include
#    against the direction of the folders, declarations without a
#    contract comment next to a commented group, an allowlisted function
#    that is no longer long): exactly these offences, exit 1;
#  - the checker on this checkout: no offence, and the figures (largest
#    file, longest function) printed.
#
. tests/lib_e2e.sh

# ---- a tree with one offence of each kind ----
R=$T/tree
mkdir -p "$R/src/base" "$R/src/parse" "$R/src/edit" "$R/src/run" \
  "$R/include"
{
  echo "/* big.c -- 801 lines */"
  i=1
  while [ $i -le 800 ]; do echo "static int v$i;"; i=$((i + 1)); done
} > "$R/src/base/big.c"
# body(N): a function "name" of N lines, name line to closing brace
body() {
  echo "static int $1(void)"
  echo "{"
  i=3
  while [ $i -lt "$2" ]; do echo "  (void)0;"; i=$((i + 1)); done
  echo "}"
}
{
  echo "/* long.c */"
  body fits 80
  echo
  body too_long 81
} > "$R/src/base/long.c"
cat > "$R/src/edit/up.c" <<'EOF'
/* up.c -- includes a header of a later floor, and of earlier ones */
#include "base/util.h"
#include "parse/input_int.h"
#include "run/run.h"
EOF
cat > "$R/src/run/down.c" <<'EOF'
/* down.c -- includes headers of earlier floors only */
#include "edit/engine_int.h"
#include "run/run.h"
EOF
cat > "$R/src/base/d.h" <<'EOF'
/* d.h */
/* A contract comment for a group of two. */
int good(int a,
         int b);
int grouped(void);

int bare(void);
typedef int (*fn_t)(void);
struct s {
  int (*cb)(void);
};
/* inline, commented */
static inline int twice(int x) { return 2 * x; }
static inline int thrice(int x) { return 3 * x; }

static inline int bare_inline(int x) { return x; }
EOF
cat > "$R/include/cart837.h" <<'EOF'
/* cart837.h */
#ifdef __cplusplus
extern "C" {
#endif
/* Documented. */
int c837_documented(void);
#ifdef NEVER
int c837_bare(void);
#endif
#ifdef __cplusplus
}
#endif
EOF
cat > "$R/src/parse/tokenizer.c" <<'EOF'
/* tokenizer.c */
/* The state machine, short now. */
int c837_tokenizer_feed(void)
{
  return 0;
}
EOF
"$PYTHON" tests/shape_check.py "$R" > "$T/out" 2>&1
rc=$?
cat > "$T/want" <<'EOF'
shape: 6 files in src/, 6 functions; largest file src/base/big.c (801 lines, limit 800); longest function too_long src/base/long.c:83 (81 lines, limit 80)
shape: src/base/big.c:801: 801 lines, over 800 (split the file)
shape: src/base/long.c:83: function too_long is 81 lines, over 80
shape: src/edit/up.c:4: edit/ includes a header of run/, a later floor (direction base <- parse <- edit <- write <- run <- cli): a cross-folder cycle
shape: src/parse/tokenizer.c:3: c837_tokenizer_feed is 4 lines now: remove it from ALLOW_LONG in tests/shape_check.py
shape: include/cart837.h:8: c837_bare is declared without a contract comment just above it
shape: src/base/d.h:7: bare is declared without a contract comment just above it
shape: src/base/d.h:16: bare_inline is declared without a contract comment just above it
shape: 7 offence(s)
EOF
if [ $rc = 1 ] && cmp -s "$T/out" "$T/want"; then
  ok "shape_check: a made-up tree gives exactly its 7 offences, exit 1"
else
  fail "shape_check on the made-up tree (exit $rc; want 1):"
  diff "$T/want" "$T/out"
fi

# ---- this checkout ----
"$PYTHON" tests/shape_check.py . > "$T/out" 2>&1
rc=$?
cat "$T/out"
if [ $rc = 0 ] && grep -q '^shape: no offence$' "$T/out" &&
  grep -q '^shape: [0-9]* files in src/, [0-9]* functions; largest file src/' "$T/out"; then
  ok "shape_check: no file over 800 lines, no function over 80 (but the allowlisted state machine), no include against the folders' direction, every declaration with its contract comment"
else
  fail "shape_check on this checkout (exit $rc)"
fi

e2e_done
