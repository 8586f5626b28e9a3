#!/usr/bin/env bash
# Measures caseload at scale with the release binary: the time to generate
# a large demo store, its size on disk, and the median time of
# `caseload today --json` (each run a fresh process, so store opening is
# included, as a user would see it).
#
#   scripts/bench-scale.sh [PEERS] [CHECKINS] [RUNS]
# Defaults: 10000 peers, 1000000 check-ins, 7 runs.
set -euo pipefail
cd "$(dirname "$0")/.."

peers=${1:-10000}
checkins=${2:-1000000}
runs=${3:-7}
dir=$(mktemp -d "${TMPDIR:-/tmp}/caseload-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

cargo build --release --quiet
bin=target/release/caseload

ms() { echo $(( $(date +%s%N) / 1000000 )); }

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

start=$(ms)
"$bin" --data-dir "$dir/store" demo --peers "$peers" --checkins "$checkins" --seed 1 >/dev/null 2>&1
end=$(ms)
echo "demo --peers $peers --checkins $checkins: $(( end - start )) ms"
echo "store size on disk: $(du -sh "$dir/store" | cut -f1)"

for cmd in "today --json" "settings" "peer list --json"; do
  times=()
  for _ in $(seq "$runs"); do
    s=$(ms)
    # shellcheck disable=SC2086
    "$bin" --data-dir "$dir/store" $cmd >/dev/null
    e=$(ms)
    times+=($(( e - s )))
  done
  printf '%s: median %s ms over %s runs (all: %s)\n' "$cmd" "$(printf '%s\n' "${times[@]}" | median)" "$runs" "${times[*]}"
done
