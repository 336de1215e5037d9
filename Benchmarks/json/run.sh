#!/usr/bin/env bash
# make bench-json: instructions per iteration of JSONValue.parse, JSONCompactor.compact and
# JSONValue.serialized on the fixtures' users and groups (JSONBench.swift), under callgrind,
# for the SCIM module of BASE (a git revision, default HEAD) and of the working tree, and
# their ratio.
#
# Instruction counts, unlike times, repeat on a loaded shared machine (hashing is made
# deterministic so that dictionary probes do too). Each side is a throwaway package built
# by `swift build -c release`, as the server is, with the driver in its own module calling
# SCIM across the module boundary, as the server's other modules do.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:-HEAD}
ITERATIONS=${ITERATIONS:-200}
OUT=.build/bench-json
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT/base-sources"
git archive "$BASE" Sources/SCIM | tar -x -C "$OUT/base-sources"

build() {  # build NAME SOURCES_DIR: a package of the SCIM sources and the driver
  local dir="$OUT/$1"
  mkdir -p "$dir/Sources/JSONBench"
  ln -sfn "$(realpath "$2")" "$dir/Sources/SCIM"
  cp Benchmarks/json/JSONBench.swift "$dir/Sources/JSONBench/main.swift"
  cat > "$dir/Package.swift" <<'PACKAGE'
// swift-tools-version:6.1
import PackageDescription
let package = Package(name: "JSONBench", targets: [
    .target(name: "SCIM"),
    .executableTarget(name: "JSONBench", dependencies: ["SCIM"]),
])
PACKAGE
  swift build -c release --package-path "$dir" 2>&1 | grep -E "error|warning: unre" >&2 || true
}

instructions() {  # instructions BINARY MODE ITERATIONS
  SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" Fixtures 2>&1 >/dev/null \
    | sed -n 's/.*Collected : //p'
}

build base "$OUT/base-sources/Sources/SCIM"
build work Sources/SCIM
printf '%-8s %16s %16s %8s\n' "" "$BASE" "working tree" "ratio"
for mode in parse compact write; do
  declare -A per
  for name in base work; do
    setup=$(instructions "$OUT/$name/.build/release/JSONBench" "$mode" 0)
    total=$(instructions "$OUT/$name/.build/release/JSONBench" "$mode" "$ITERATIONS")
    per[$name]=$(( (total - setup) / ITERATIONS ))
  done
  printf '%-8s %16s %16s %8s\n' "$mode" "${per[base]}" "${per[work]}" \
    "$(python3 -c "print(f'{${per[work]} / ${per[base]}:.3f}')")"
done
