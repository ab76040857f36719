# Makefile -- builds libcart837.a, the cart837 CLI and the test suite.
#
#   make demo     install what is missing, build, run cart837 on samples/
#   make test     install what is missing, build, run every test (the
#                 unit tests and the e2e scripts side by side, TEST_JOBS
#                 at a time; logs in build/test-logs/, printed on failure)
#   make e2e      the end-to-end scripts only (E2E_JOBS at a time);
#                 make e2e-NAME runs tests/e2e_NAME.sh alone
#   make deps-html  install chromium, with which tests/e2e_batch.sh
#                 renders report.html headless (skipped without it)
#   make asan     the test suite under AddressSanitizer + UBSan
#   make sanitize the same (alias)
#   make tsan     the test suite under ThreadSanitizer (the gzip worker)
#   make valgrind the unit tests and the end-to-end tests with every run
#                 of a test program and of cart837 under valgrind
#   make bench    issue 14's speed, memory and linearity targets beside
#                 their baselines, MET/MISSED (scripts/bench.sh;
#                 BENCH_SIZE=20M for a quick try, default 256M, 1G for
#                 the issue's figures)
#   make fuzz     the libFuzzer targets (tokenizer, whole pipeline), each
#                 for FUZZ_TIME seconds (default 60) with FUZZ_JOBS jobs
#   make install  PREFIX=/usr/local DESTDIR= (binary, man page, library,
#                 header and pkg-config file cart837.pc)

CC       ?= cc
PYTHON   ?= python3
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(CI),true)
WARN     += -Werror
endif
ifdef WERROR
WARN     += -Werror
endif
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc
# gzip input is inflated in a worker thread (src/inflate_thread.c):
# -pthread compiles the library's objects and links every program
THREADS  := -pthread
LDLIBS   := -lcsv -lz $(THREADS)
B        ?= build
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man/man1
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# Debian packages the build and the tests need, and a file that proves
# each is there.
DEB_PKGS := libcsv-dev zlib1g-dev libcmocka-dev python3
DEB_PROBE := /usr/include/csv.h /usr/include/zlib.h /usr/include/cmocka.h

# The stages, one folder each, in the direction the data flows (README,
# "Architecture"): base (ground floor) -> parse -> edit -> write -> run;
# cli is the command over them.
LIB_DIRS := base parse edit write run
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_SRC  := $(foreach d,$(LIB_DIRS),$(wildcard src/$(d)/*.c))
SRC_HDR  := $(wildcard src/*/*.h)
# The data lists of specs/ compiled in beside the code table (codelists.c,
# payers.c), each as c837_builtin_<name>_csv.
DATA_CSV := revenue pcs ndc indications ptp payer_classes payers
LIB_OBJ  := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/codes_csv.o \
            $(patsubst %,$(B)/obj/data/%.o,$(DATA_CSV))
CLI_OBJ  := $(patsubst src/%.c,$(B)/obj/%.o,$(CLI_SRC))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))
# libFuzzer harnesses, replayed over tests/fuzz-regress/, samples/ and the
# corpus by tests/fuzz_replay.c in the unit tests
FUZZ_TARGETS ?= tokenizer pipeline
REPLAY_BIN := $(patsubst %,$(B)/tests/fuzz_replay_%,$(FUZZ_TARGETS))
LIB      := $(B)/libcart837.a
BIN      := $(B)/cart837
# tests/e2e_ack.sh runs the driver that writes the 999 and 277CA of an
# input (internal: built like a unit test, from tests/ack_driver.c) and
# checks the outputs of the acknowledgments' unit test
ACK_DRIVER := $(B)/tests/ack_driver
ACK_UNIT := $(B)/tests/test_internal_ack

.PHONY: all deps deps-html demo test unit e2e asan ubsan sanitize tsan valgrind \
        bench install clean fuzz fuzz-build fuzz-deps

all: $(BIN)

# Installs missing packages: apt-get when root, otherwise prints the
# exact command and stops.
deps:
	@missing=""; \
	for f in $(DEB_PROBE); do [ -e $$f ] || missing=1; done; \
	command -v $(PYTHON) >/dev/null 2>&1 || missing=1; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing $(DEB_PKGS)"; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS) >/dev/null || exit 1; \
	  else \
	    echo "deps: missing packages; run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(DEB_PKGS)"; \
	    exit 1; \
	  fi; \
	fi

$(B)/obj/%.o: src/%.c include/cart837.h $(SRC_HDR) | $(B)/obj
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(THREADS) $(WARN) -c $< -o $@

# The code table, specs/codes.csv, compiled in as a string.
$(B)/codes_csv.c: specs/codes.csv scripts/embed.sh | $(B)/obj
	sh scripts/embed.sh c837_builtin_codes_csv $< > $@

$(B)/obj/codes_csv.o: $(B)/codes_csv.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

# kept (not an intermediate make deletes), like $(B)/codes_csv.c
.PRECIOUS: $(B)/data/%.c
$(B)/data/%.c: specs/%.csv scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh c837_builtin_$*_csv $< > $@

$(B)/obj/data/%.o: $(B)/data/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(B)/tests/%: tests/%.c $(LIB) $(wildcard tests/*.h) | $(B)/tests
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

# test_internal_alloc fails the n-th allocation of a run for every n: the
# linker routes the library's calls to these functions through the
# test's counting wrappers (see tests/test_internal_alloc.c).
ALLOC_WRAP := $(foreach f,malloc calloc realloc free strdup fopen fdopen \
                fclose gzdopen gzclose gzclose_w scandir,-Wl,--wrap=$(f))
$(B)/tests/test_internal_alloc: tests/test_internal_alloc.c $(LIB) $(wildcard tests/*.h) | $(B)/tests
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) $(ALLOC_WRAP) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

# tests/public_api.c uses include/cart837.h alone: built with -Iinclude
# and no -Isrc, it proves that the public header is enough to use the
# library (tests/e2e_install.sh builds it again against an installed
# copy, through pkg-config).
PUBLIC_BIN := $(B)/tests/public_api
$(PUBLIC_BIN): tests/public_api.c include/cart837.h $(LIB) | $(B)/tests
	$(CC) -Iinclude $(CFLAGS) $(WARN) -o $@ $< $(LIB) $(LDLIBS)

# a harness with the replay driver's main(), built with the normal CC
$(B)/tests/fuzz_replay_%: tests/fuzz_replay.c tests/fuzz_%.c $(LIB) \
                         $(wildcard tests/fuzz_*.h) | $(B)/tests
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -o $@ tests/fuzz_replay.c \
	  tests/fuzz_$*.c $(LIB) $(LDLIBS) -lcmocka

$(B)/obj $(B)/tests:
	mkdir -p $@

# chromium renders report.html headless in tests/e2e_batch.sh; installed
# like deps (apt-get when root, else the command is printed), but not
# required: without it that one check says SKIP.
deps-html:
	@command -v chromium >/dev/null 2>&1 || \
	command -v chromium-browser >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deps-html: installing chromium"; \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium; }; } >/dev/null 2>&1 || \
	  echo "deps-html: chromium could not be installed: the HTML check of tests/e2e_batch.sh will SKIP"; \
	else \
	  echo "deps-html: chromium is missing: the HTML check of tests/e2e_batch.sh will SKIP; to install it run:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y chromium"; \
	fi

demo: deps
	$(MAKE) --no-print-directory all
	sh scripts/demo.sh $(BIN)

unit: $(TEST_BIN) $(REPLAY_BIN) $(PUBLIC_BIN)
	@export PYTHON="$(PY_REAL)"; \
	fail=0; n=0; for t in $(TEST_BIN) $(REPLAY_BIN) $(PUBLIC_BIN); do \
	  r=$$RUNNER; case "$$t" in *test_internal_alloc) r="$$RUNNER_ALLOC";; esac; \
	  n=$$((n + 1)); echo "== $$t"; \
	  $$r $$t || { fail=$$((fail + 1)); echo "== $$t FAILED"; }; done; \
	echo "unit: $$n test programs, $$fail failed"; [ $$fail = 0 ]

# The e2e scripts, the longest first: make -j starts them in this order.
# Each runs alone as e2e-NAME, its output in $(TEST_LOG)/e2e_NAME.log
# (tests/run_logged.sh prints one line, the whole log when it fails).
E2E_ALL   := $(wildcard tests/e2e_*.sh)
E2E_FIRST := $(patsubst %,tests/e2e_%.sh,batch hostile fastpath_diff jobs \
               passthrough corpus ack property ack_run gzip)
E2E_RUN   := $(patsubst tests/e2e_%.sh,e2e-%,$(foreach f,$(E2E_FIRST),\
               $(filter $(f),$(E2E_ALL))) $(filter-out $(E2E_FIRST),$(E2E_ALL)))
TEST_LOG  := $(B)/test-logs
TEST_JOBS ?= 2
E2E_JOBS  ?= 2
# the interpreter behind $(PYTHON), found once per make test / make e2e
# (a pyenv shim costs half a second per start; the scripts get its path)
PY_REAL    = $$($(PYTHON) -c 'import sys; print(sys.executable)' \
               2>/dev/null || echo $(PYTHON))

.PHONY: deps-html unit-log $(E2E_RUN)
$(E2E_RUN): e2e-%: $(BIN) $(ACK_DRIVER) $(ACK_UNIT)
	@sh tests/run_logged.sh e2e_$* $(TEST_LOG)/e2e_$*.log \
	  env BIN=$(abspath $(BIN)) ACK_DRIVER=$(abspath $(ACK_DRIVER)) \
	  ACK_UNIT=$(abspath $(ACK_UNIT)) sh tests/e2e_$*.sh

unit-log: $(TEST_BIN) $(REPLAY_BIN) $(PUBLIC_BIN)
	@sh tests/run_logged.sh unit $(TEST_LOG)/unit.log \
	  $(MAKE) --no-print-directory unit

e2e: $(BIN) $(ACK_DRIVER) $(ACK_UNIT)
	@PYTHON="$(PY_REAL)" $(MAKE) --no-print-directory -k -j$(E2E_JOBS) \
	  -Otarget $(E2E_RUN); rc=$$?; \
	if [ $$rc = 0 ]; then echo "make e2e: all end-to-end scripts passed"; \
	else echo "make e2e: FAILED (logs in $(TEST_LOG)/)"; fi; exit $$rc

test: deps deps-html
	$(MAKE) --no-print-directory -j$(TEST_JOBS) all $(TEST_BIN) $(REPLAY_BIN) \
	  $(PUBLIC_BIN) $(ACK_DRIVER)
	@PYTHON="$(PY_REAL)" $(MAKE) --no-print-directory -k -j$(TEST_JOBS) \
	  -Otarget unit-log $(E2E_RUN); rc=$$?; \
	if [ $$rc = 0 ]; then echo "make test: all test programs passed"; \
	else echo "make test: FAILED (logs in $(TEST_LOG)/)"; fi; exit $$rc

asan: deps deps-html
	$(MAKE) --no-print-directory B=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" unit e2e

ubsan: asan
sanitize: asan

tsan: deps deps-html
	$(MAKE) --no-print-directory B=build-tsan \
	  CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS=-fsanitize=thread unit e2e

# `make unit` and the e2e scripts put $$RUNNER in front of every run of a
# test program and of cart837: here valgrind, one log per process under
# $(B)/valgrind/ (a directory per run, tests/valgrind_run.sh: process ids
# come round again).  Any error or definite leak fails, whether or not the
# test looked at the exit status (a log that is not empty is printed and
# fails the target).  To keep the time reasonable the corpus loops use the
# runner on every 20th file only (the runs over the whole corpus still read
# every file under it) and the property test takes 8 seeds instead of 25.
# test_internal_alloc (thousands of runs; about 5 minutes under valgrind) runs
# natively here: it tracks every block, FILE and descriptor itself, and
# `make sanitize` runs it under LeakSanitizer.
VALGRIND_CMD ?= valgrind -q --error-exitcode=99 --leak-check=full \
                --show-leak-kinds=definite --errors-for-leak-kinds=definite \
                --vgdb=no
VG_LOG   := $(abspath $(B))/valgrind
valgrind: deps deps-html
	@$(MAKE) --no-print-directory deps DEB_PKGS=valgrind \
	  DEB_PROBE=/usr/bin/valgrind
	$(MAKE) --no-print-directory all $(TEST_BIN)
	@rm -rf $(VG_LOG) && mkdir -p $(VG_LOG)
	@VALGRIND_CMD="$(VALGRIND_CMD)" \
	  RUNNER="sh $(abspath tests/valgrind_run.sh) $(VG_LOG)" RUNNER_EVERY=20 \
	  SEEDS="1 2 3 4 5 6 7 8" $(MAKE) --no-print-directory unit e2e; \
	rc=$$?; \
	n=$$(find $(VG_LOG) -name '*.log' | wc -l); \
	for f in $$(find $(VG_LOG) -name '*.log' -size +0 | sort); do \
	  echo "== valgrind: $$f"; cat $$f; rc=1; done; \
	if [ $$rc = 0 ]; then \
	  echo "make valgrind: all passed, $$n runs under valgrind, no error"; \
	else echo "make valgrind: FAILED ($$n runs under valgrind)"; fi; \
	exit $$rc

bench: deps all
	sh scripts/bench.sh $(BIN)

# libFuzzer targets (clang and Debian's libclang-rt): tests/fuzz_*.c over
# the library built with ASan + UBSan in build-fuzz/.  scripts/fuzz.sh
# makes the seed corpus (samples/, ../shared/corpus/ raw and gunzipped)
# and runs each target for FUZZ_TIME seconds with FUZZ_JOBS jobs; new
# inputs collect in build-fuzz/corpus/TARGET, crashes in
# build-fuzz/artifacts/TARGET (add each to tests/fuzz-regress/).
FUZZ_CC     ?= clang
FUZZ_TIME   ?= 60
FUZZ_JOBS   ?= 1
FUZZ_MAX_LEN ?= 24576
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer \
               -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=all
FUZZ_BIN    := $(patsubst %,build-fuzz/fuzz_%,$(FUZZ_TARGETS))

fuzz: fuzz-build
	FUZZ_TIME=$(FUZZ_TIME) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) \
	  sh scripts/fuzz.sh $(FUZZ_TARGETS)

# clang with libFuzzer (Debian: clang, libclang-rt-dev), installed like
# deps when missing: a one-line fuzz target must link
FUZZ_PKGS := clang libclang-rt-dev
fuzz-deps: deps
	@probe='int LLVMFuzzerTestOneInput(const char *d, unsigned long n);'\
	' int LLVMFuzzerTestOneInput(const char *d, unsigned long n)'\
	' { return d && n ? 0 : 0; }'; \
	ok() { echo "$$probe" | $(FUZZ_CC) -fsanitize=fuzzer -x c - \
	  -o /dev/null >/dev/null 2>&1; }; \
	if ! ok; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "fuzz: installing $(FUZZ_PKGS)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq $(FUZZ_PKGS) >/dev/null && ok || exit 1; \
	  else \
	    echo "fuzz: $(FUZZ_CC) cannot build a libFuzzer target; run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(FUZZ_PKGS)"; \
	    exit 1; \
	  fi; \
	fi

fuzz-build: fuzz-deps
	$(MAKE) --no-print-directory B=build-fuzz CC=$(FUZZ_CC) \
	  CFLAGS="$(FUZZ_CFLAGS)" WERROR=1 build-fuzz/libcart837.a
	$(MAKE) --no-print-directory $(FUZZ_BIN)

build-fuzz/fuzz_%: tests/fuzz_%.c build-fuzz/libcart837.a include/cart837.h \
                   $(SRC_HDR) $(wildcard tests/fuzz_*.h)
	$(FUZZ_CC) $(CPPFLAGS) -Itests $(FUZZ_CFLAGS) -fsanitize=fuzzer $(WARN) \
	  -Werror -o $@ $< build-fuzz/libcart837.a $(LDLIBS)

# The library for programs of others: libcart837.a, its one public
# header and a pkg-config file (`pkg-config --cflags --libs cart837`; the
# library is static, so Libs names what it links against).  PREFIX is
# where it will live, DESTDIR where it is put now (a package's root).
VERSION := $(shell sed -n 's/^\#define CART837_VERSION "\(.*\)"/\1/p' include/cart837.h)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/cart837
	install -m 644 cart837.1 $(DESTDIR)$(MANDIR)/cart837.1
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libcart837.a
	install -m 644 include/cart837.h $(DESTDIR)$(INCLUDEDIR)/cart837.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' \
	  'includedir=$(INCLUDEDIR)' '' 'Name: cart837' \
	  'Description: X12 837 claim files: parse, CAR-T edits, corrected and held 837' \
	  'Version: $(VERSION)' 'Libs: -L$${libdir} -lcart837 -lcsv -lz -pthread' \
	  'Cflags: -I$${includedir}' > $(DESTDIR)$(PKGCONFIGDIR)/cart837.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/cart837.pc

clean:
	rm -rf build build-asan build-tsan build-fuzz
