#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets (the SCIM module compiled with
# -sanitize=fuzzer,address) and runs each for FUZZ_SECONDS (default 60), seeded from
# Fixtures/. A crash stops with the input saved under .build/fuzz/artifacts/; add it to
# Fixtures/fuzz-regressions/<target>/ so the regression test replays it.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"filter patch body"}
OUT=.build/fuzz
mkdir -p "$OUT/artifacts"

sources=$(find Sources/SCIM -name '*.swift')
for target in $TARGETS; do
  case $target in
    filter) harness=Fuzz/Targets/FilterFuzzer.swift ;;
    patch) harness=Fuzz/Targets/PatchFuzzer.swift ;;
    body) harness=Fuzz/Targets/BodyFuzzer.swift ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  binary="$OUT/$target"
  if [ ! -x "$binary" ] || [ -n "$(find $sources "$harness" -newer "$binary" | head -1)" ]; then
    echo "building $target fuzzer..." >&2
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name SCIMFuzz $sources "$harness" -o "$binary" 2>&1 \
      | grep -v "Cannot export local symbol" >&2 || true
  fi
  corpus="$OUT/corpus/$target"
  mkdir -p "$corpus"
  python3 Fuzz/seed.py "$target" Fixtures "$corpus"
  echo "fuzzing $target for ${SECONDS_EACH}s (corpus $corpus)..." >&2
  "$binary" "$corpus" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$OUT/artifacts/$target-" -print_final_stats=1 > "$OUT/$target.log" 2>&1
  status=$?
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$OUT/$target.log" >&2
  if [ $status -ne 0 ]; then
    failed="${failed:-} $target"
    echo "FAILED: $target (exit $status); see $OUT/$target.log and $OUT/artifacts/" >&2
    grep -a -m3 -E "Fatal error|ERROR: libFuzzer|SUMMARY" "$OUT/$target.log" | cut -c1-300 >&2
  fi
done
if [ -n "${failed:-}" ]; then echo "fuzzers that found a crash:$failed" >&2; exit 1; fi
echo "no crash found" >&2
