# Makefile -- builds libcart837.a, the cart837 CLI and the test suite.
#
#   make demo     install what is missing, build, run cart837 on samples/
#   make test     install what is missing, build, run every test
#   make asan     the test suite under AddressSanitizer + UBSan
#   make sanitize the same (alias)
#   make valgrind the unit tests and the end-to-end tests with every run
#                 of a test program and of cart837 under valgrind
#   make bench    speed and memory beside baselines (scripts/bench.sh;
#                 BENCH_SIZE=20M for a quick try, default 1G)
#   make fuzz     libFuzzer harness of the tokenizer and assembler
#   make install  PREFIX=/usr/local DESTDIR= (binary and man page)

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
LDLIBS   := -lcsv -lz
B        ?= build
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man/man1

# Debian packages the build and the tests need, and a file that proves
# each is there.
DEB_PKGS := libcsv-dev zlib1g-dev libcmocka-dev python3
DEB_PROBE := /usr/include/csv.h /usr/include/zlib.h /usr/include/cmocka.h

CLI_SRC  := src/main.c $(wildcard src/cli_*.c)
LIB_SRC  := $(filter-out $(CLI_SRC),$(wildcard src/*.c))
LIB_OBJ  := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/codes_csv.o
CLI_OBJ  := $(patsubst src/%.c,$(B)/obj/%.o,$(CLI_SRC))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))
LIB      := $(B)/libcart837.a
BIN      := $(B)/cart837

.PHONY: all deps demo test unit e2e asan ubsan sanitize valgrind bench \
        install clean fuzz

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

$(B)/obj/%.o: src/%.c include/cart837.h $(wildcard src/*.h) | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

# The code table, specs/codes.csv, compiled in as a string.
$(B)/codes_csv.c: specs/codes.csv scripts/embed.sh | $(B)/obj
	sh scripts/embed.sh c837_builtin_codes_csv $< > $@

$(B)/obj/codes_csv.o: $(B)/codes_csv.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(B)/tests/%: tests/%.c $(LIB) $(wildcard tests/*.h) | $(B)/tests
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

$(B)/obj $(B)/tests:
	mkdir -p $@

demo: deps
	$(MAKE) --no-print-directory all
	sh scripts/demo.sh $(BIN)

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
	  echo "== $$t"; $$RUNNER $$t || fail=1; done; exit $$fail

e2e: $(BIN)
	@fail=0; for t in tests/e2e_*.sh; do \
	  [ -e "$$t" ] || continue; \
	  echo "== $$t"; BIN=$(abspath $(BIN)) sh $$t || fail=1; done; \
	exit $$fail

test: deps
	$(MAKE) --no-print-directory all $(TEST_BIN)
	@$(MAKE) --no-print-directory unit e2e; rc=$$?; \
	if [ $$rc = 0 ]; then echo "make test: all test programs passed"; \
	else echo "make test: FAILED"; fi; exit $$rc

asan: deps
	$(MAKE) --no-print-directory B=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" unit e2e

ubsan: asan
sanitize: asan

# `make unit` and the e2e scripts put $$RUNNER in front of every run of a
# test program and of cart837: here valgrind, one log per process under
# $(B)/valgrind/.  Any error or definite leak fails, whether or not the
# test looked at the exit status (a log that is not empty is printed and
# fails the target).  To keep the time reasonable the corpus loops use the
# runner on every 20th file only (the runs over the whole corpus still read
# every file under it) and the property test takes 8 seeds instead of 25.
VALGRIND_CMD ?= valgrind -q --error-exitcode=99 --leak-check=full \
                --show-leak-kinds=definite --errors-for-leak-kinds=definite \
                --vgdb=no
VG_LOG   := $(abspath $(B))/valgrind
valgrind: deps
	@$(MAKE) --no-print-directory deps DEB_PKGS=valgrind \
	  DEB_PROBE=/usr/bin/valgrind
	$(MAKE) --no-print-directory all $(TEST_BIN)
	@rm -rf $(VG_LOG) && mkdir -p $(VG_LOG)
	@RUNNER="$(VALGRIND_CMD) --log-file=$(VG_LOG)/%p.log" RUNNER_EVERY=20 \
	  SEEDS="1 2 3 4 5 6 7 8" $(MAKE) --no-print-directory unit e2e; \
	rc=$$?; \
	n=$$(ls $(VG_LOG) | wc -l); \
	for f in $$(find $(VG_LOG) -name '*.log' -size +0 | sort); do \
	  echo "== valgrind: $$f"; cat $$f; rc=1; done; \
	if [ $$rc = 0 ]; then \
	  echo "make valgrind: all passed, $$n runs under valgrind, no error"; \
	else echo "make valgrind: FAILED ($$n runs under valgrind)"; fi; \
	exit $$rc

bench: deps all
	sh scripts/bench.sh $(BIN)

# libFuzzer harness for the tokenizer and assembler (clang):
#   make fuzz && build-fuzz/fuzz_tokenizer -max_total_time=60 \
#       build-fuzz/corpus samples/
# (the first directory receives new inputs: never name samples/ first)
FUZZ_CC  ?= clang
FUZZ_SRC := src/tokenizer.c src/assembler.c src/util.c src/status.c
fuzz: build-fuzz/fuzz_tokenizer
build-fuzz/fuzz_tokenizer: tests/fuzz_tokenizer.c $(FUZZ_SRC) include/cart837.h
	mkdir -p build-fuzz/corpus
	$(FUZZ_CC) $(CPPFLAGS) $(WARN) -Werror -g -O1 \
	  -fsanitize=fuzzer,address,undefined -o $@ tests/fuzz_tokenizer.c $(FUZZ_SRC)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/cart837
	install -m 644 cart837.1 $(DESTDIR)$(MANDIR)/cart837.1

clean:
	rm -rf build build-asan build-fuzz
