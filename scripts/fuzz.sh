#!/bin/sh
# fuzz.sh -- runs the libFuzzer targets built by `make fuzz-build`
#
#   FUZZ_TIME=60 FUZZ_JOBS=1 FUZZ_MAX_LEN=24576 sh scripts/fuzz.sh TARGET...
#
# (`make fuzz` calls it with FUZZ_TARGETS = tokenizer pipeline.)  For each
# TARGET, build-fuzz/fuzz_TARGET runs for FUZZ_TIME seconds, with
# FUZZ_JOBS processes in libFuzzer's fork mode when FUZZ_JOBS > 1, over
#   build-fuzz/corpus/TARGET   the working corpus (new inputs land here;
#                              it grows from run to run)
#   build-fuzz/seeds           samples/*.837, samples/*.gz as they are and
#                              gunzipped, every file of ../shared/corpus/
#                              (when present), remade on each run
# with the X12 dictionary tests/fuzz/x12.dict.  A crash, leak, timeout
# (10 s) or failed check is written to build-fuzz/artifacts/TARGET/;
# minimise it with
#   build-fuzz/fuzz_TARGET -minimize_crash=1 -runs=10000 FILE
# and add it to tests/fuzz-regress/, where `make test` replays it.
# Exit status: 0 when every target ran its time without a crash.
set -u
cd "$(dirname "$0")/.." || exit 1

TIME=${FUZZ_TIME:-60}
JOBS=${FUZZ_JOBS:-1}
MAXLEN=${FUZZ_MAX_LEN:-24576}
CORPUS=${CORPUS:-../shared/corpus}
[ $# -gt 0 ] || set -- tokenizer pipeline

SEEDS=build-fuzz/seeds
rm -rf "$SEEDS"
mkdir -p "$SEEDS" || exit 1
for f in samples/*.837 samples/*.gz; do
  [ -f "$f" ] || continue
  b=$(basename "$f")
  cp "$f" "$SEEDS/samples_$b"
  case "$f" in
    *.gz) gzip -dc "$f" > "$SEEDS/samples_${b%.gz}.plain" || exit 1 ;;
  esac
done
if [ -d "$CORPUS" ]; then
  find "$CORPUS" -type f ! -name INDEX.tsv ! -name README.md | sort |
  while IFS= read -r f; do
    rel=${f#"$CORPUS"/}
    cp "$f" "$SEEDS/corpus_$(printf '%s' "$rel" | tr '/' '_')"
  done
else
  echo "fuzz: $CORPUS not found: seeds from samples/ only"
fi
echo "fuzz: $(ls "$SEEDS" | wc -l) seed files in $SEEDS"

rc=0
for t in "$@"; do
  bin=build-fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin missing (make fuzz-build)" >&2
    rc=1
    continue
  fi
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/artifacts/$t"
  # (no blanks in any of these words: one string is enough)
  opts="-max_total_time=$TIME -timeout=10 -max_len=$MAXLEN"
  opts="$opts -dict=tests/fuzz/x12.dict -print_final_stats=1"
  opts="$opts -artifact_prefix=build-fuzz/artifacts/$t/"
  [ "$JOBS" -gt 1 ] && opts="$opts -fork=$JOBS"
  echo "fuzz: $bin $opts build-fuzz/corpus/$t $SEEDS"
  # shellcheck disable=SC2086
  if ! "$bin" $opts "build-fuzz/corpus/$t" "$SEEDS"; then
    echo "fuzz: $t FOUND A PROBLEM: see build-fuzz/artifacts/$t/" >&2
    rc=1
  fi
done
exit $rc
