#!/usr/bin/env bash
# make bench-store: one-file commits/s through GitStore next to the libgit2 ceiling
# (commit_loop.c), at 10k and 100k files, fast and durable, in one run on one machine.
# Each program seeds its own store once, warms up, then the timed loops alternate
# (C, Swift, C, Swift...) so both see the same machine noise. Reports medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMITS=${COMMITS:-2000}
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"10000 100000"}
WORK=${WORK:-$(mktemp -d /tmp/scimgit-bench-store.XXXXXX)}
OUT=Benchmarks/store-results.md

mkdir -p Benchmarks/bin
cc -O2 -Wall -o Benchmarks/bin/commit_loop Benchmarks/store/commit_loop.c -lgit2
swift build -c release --product StoreBenchmark >/dev/null
SWIFT=$(swift build -c release --show-bin-path)/StoreBenchmark
C=Benchmarks/bin/commit_loop

rate() { sed -n 's/commits_per_second=//p'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

{
  echo "# GitStore vs the libgit2 ceiling: one-file commits per second"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -r); $COMMITS commits per run, median of $ROUNDS runs."
  echo "C = Benchmarks/store/commit_loop.c (libgit2 directly, loose objects, fsync per commit in durable mode);"
  echo "GitStore = the same commits through GitStore.commit (one writer, so every batch is one commit)."
  echo
  echo "| files | mode | C commits/s | GitStore commits/s | GitStore / C |"
  echo "|---|---|---|---|---|"
} > "$OUT.tmp"

for size in $SIZES; do
  echo "seeding $size files (C and GitStore)..." >&2
  $C "$WORK/c-$size" "$size" 200 nofsync >/dev/null
  $SWIFT "$WORK/s-$size" "$size" 200 fast >/dev/null
  for mode in fast durable; do
    cmode=$([ $mode = fast ] && echo nofsync || echo fsync)
    c_runs=(); s_runs=()
    for round in $(seq "$ROUNDS"); do
      c_runs+=("$($C "$WORK/c-$size" "$size" "$COMMITS" "$cmode" | rate)")
      s_runs+=("$($SWIFT "$WORK/s-$size" "$size" "$COMMITS" "$mode" | rate)")
      echo "  $size $mode round $round: C ${c_runs[-1]}  GitStore ${s_runs[-1]}" >&2
    done
    c=$(printf '%s\n' "${c_runs[@]}" | median)
    s=$(printf '%s\n' "${s_runs[@]}" | median)
    ratio=$(awk -v a="$s" -v b="$c" 'BEGIN { printf "%.2f", a / b }')
    echo "| $size | $mode | $c | $s | $ratio |" >> "$OUT.tmp"
  done
done
mv "$OUT.tmp" "$OUT"
cat "$OUT"
[ -n "${KEEP:-}" ] || rm -rf "$WORK"
