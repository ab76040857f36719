#!/bin/sh
# e2e_install.sh -- `make install` into a DESTDIR, and a program of
# others built against what it installed.
#
# The install puts the command, the man page, libcart837.a, cart837.h and
# cart837.pc under DESTDIR+PREFIX; tests/public_api.c, copied out of the
# tree, compiles with nothing but `pkg-config --cflags --libs cart837`
# (the installed header is the whole interface) and reproduces the
# corrected and held 837s a run writes for the samples.  Skipped, with a
# message, without pkg-config.  CC, CFLAGS and LDFLAGS from the
# environment (make asan passes its sanitizer flags) build the program.
. tests/lib_e2e.sh

B=$(dirname "$BIN")
B=${B#"$PWD"/}
R=$T/root
if make --no-print-directory -s install B="$B" DESTDIR="$R" PREFIX=/usr \
     >"$T/install.out" 2>&1; then
  ok "make install DESTDIR=... PREFIX=/usr"
else
  fail "make install:"; cat "$T/install.out"
fi
for f in bin/cart837 share/man/man1/cart837.1 lib/libcart837.a \
         include/cart837.h lib/pkgconfig/cart837.pc; do
  [ -f "$R/usr/$f" ] && ok "installed /usr/$f" || fail "/usr/$f not installed"
done
cmp -s "$R/usr/include/cart837.h" include/cart837.h &&
  ok "the installed header is include/cart837.h" || fail "installed header"
grep -qx 'prefix=/usr' "$R/usr/lib/pkgconfig/cart837.pc" &&
  grep -qx "Version: $("$BIN" --version | cut -d' ' -f2)" \
    "$R/usr/lib/pkgconfig/cart837.pc" &&
  ok "cart837.pc: prefix and version" || fail "cart837.pc:
$(cat "$R/usr/lib/pkgconfig/cart837.pc")"

if ! command -v pkg-config >/dev/null 2>&1; then
  skip "pkg-config not found: the build against the install is not tried"
else
  export PKG_CONFIG_PATH="$R/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$R"
  cflags=$(pkg-config --cflags cart837) && libs=$(pkg-config --libs cart837)
  # shellcheck disable=SC2086 # echo drops pkg-config's trailing blank
  [ "$(echo $cflags)" = "-I$R/usr/include" ] &&
    ok "pkg-config --cflags cart837" ||
    fail "pkg-config --cflags: $cflags"
  mkdir "$T/other" && cp tests/public_api.c "$T/other/prog.c"
  # shellcheck disable=SC2086 # the flags are words
  if (cd "$T/other" && ${CC:-cc} ${CFLAGS:-} $cflags -o prog prog.c $libs \
        ${LDFLAGS:-}) >"$T/cc.out" 2>&1; then
    ok "a program of others builds from the install alone"
  else
    fail "the program does not build against the install:"; cat "$T/cc.out"
  fi
  $RUNNER "$T/other/prog" "$PWD" >"$T/prog.out" 2>&1
  rc=$?
  [ $rc -eq 0 ] && [ "$(tail -1 "$T/prog.out")" = \
    "public_api: all outputs as expected" ] &&
    ok "it writes the corrected and held 837s a run writes" ||
    { fail "the program (rc $rc):"; cat "$T/prog.out"; }
fi

e2e_done
