#!/usr/bin/env bash
# Whole-process benchmark of caseload against sqlite3 on the same data.
#
#   scripts/bench.sh [RUNS]        (default 7 runs of each command)
#
# 1. Builds the release binary and the `sqlite_dump` example.
# 2. Generates (once, then reuses from the cache directory) the large data
#    set (10,000 peers, 1,000,000 check-ins) and a wide one (100,000
#    peers), both with a fixed seed and a fixed "today", and loads each
#    into an indexed SQLite file (examples/sqlite_dump.rs).
# 3. Starts `caseload serve` on a copy of the large store and runs caseload
#    and the sqlite3 equivalent interleaved, RUNS times each, as fresh
#    processes; prints one table (median, min, max, peak RSS, ratio).
# 4. Checks that both sides give the same answers (Today's rows, peer
#    show) and fails loudly if not.
#
# Not for CI: it installs sqlite3 and fzf from the distribution's packages
# if they are missing and needs several GB of disk and minutes of CPU.
# Cache: $CASELOAD_BENCH_CACHE (default ~/.cache/caseload-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${CI:-}" ]]; then
  echo "bench.sh: not run in CI (CI only builds the benches: cargo bench --no-run)" >&2
  exit 2
fi

runs=${1:-7}
cache=${CASELOAD_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/caseload-bench}
as_of=2026-11-30
# One zone for both sides: caseload's day starts at local midnight.
export TZ=UTC
mkdir -p "$cache"

need() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  ((${#missing[@]} == 0)) && return 0
  echo "bench.sh: installing ${missing[*]} from the distribution's packages" >&2
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
need sqlite3 fzf tmux jq

cargo build --release --locked --quiet --bin caseload --example sqlite_dump
bin=$PWD/target/release/caseload
dump=$PWD/target/release/examples/sqlite_dump

now_ns() { date +%s%N; }

# Generates the data set NAME with PEERS and CHECKINS unless cached.
dataset() {
  local name=$1 peers=$2 checkins=$3 d="$cache/$1"
  if [[ ! -f "$d/ready" ]]; then
    rm -rf "$d" && mkdir -p "$d"
    echo "generating $name: $peers peers, $checkins check-ins (once; cached in $d)" >&2
    /usr/bin/time -f '%e %M' -o "$d/demo.time" \
      "$bin" --data-dir "$d/store" demo --peers "$peers" --checkins "$checkins" \
      --seed 1 --as-of "$as_of" >"$d/demo.out" 2>"$d/demo.err"
    "$dump" "$d/store" | sqlite3 "$d/sqlite.db"
    touch "$d/ready"
  fi
}

dataset large 10000 1000000
# The 100,000-peer set (for the roster and search at that size) takes long
# to generate on a small machine: BENCH_WIDE=1 to include it.
[[ -n "${BENCH_WIDE:-}" ]] && dataset wide 100000 300000

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
min() { sort -n | head -1; }
max() { sort -n | tail -1; }

# Runs "$@" once; appends "ms rss_kib" to the file in $out.
timed() {
  local out=$1
  shift
  local t0 t1
  t0=$(now_ns)
  /usr/bin/time -f '%M' -o "$out.rss" "$@" >/dev/null 2>>"$out.err"
  t1=$(now_ns)
  echo "$(( (t1 - t0) / 1000 )) $(cat "$out.rss")" >>"$out"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/caseload-bench.XXXXXX")
serve_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  tmux -L caseload-bench kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Each run writes (log), so the benchmark works on copies.
cp -a "$cache/large/store" "$work/store"
cp "$cache/large/sqlite.db" "$work/sqlite.db"
store=$work/store
db=$work/sqlite.db
cl() { "$bin" --data-dir "$store" "$@"; }

start_ms=$(( $(date -d "$as_of 00:00:00" +%s) * 1000 ))
# Today's rules in SQL (scripts/bench-today.sql), with the day filled in.
today_sql=$(grep -v "^--" scripts/bench-today.sql | sed -e "s/:as_of/$as_of/g" -e "s/:start_ms/$start_ms/g")

peer=42
show_sql="SELECT json FROM peers WHERE id = $peer;
SELECT json FROM staff WHERE id = (SELECT staff FROM peers WHERE id = $peer);
SELECT json FROM goals WHERE peer = $peer;
SELECT json FROM checkins WHERE peer = $peer ORDER BY at_ms DESC, id DESC LIMIT 10;
SELECT s.json FROM attendance a JOIN sessions s ON s.id = a.session
  WHERE a.peer = $peer ORDER BY a.date DESC, a.session DESC;"

log_sql() {
  local n=$1 ms
  ms=$(( $(date +%s%N) / 1000000 ))
  echo "BEGIN;
INSERT INTO checkins (peer, staff, at_ms, day, follow_up, voided, json)
  VALUES ($peer, 1, $ms, date('now'), NULL, 0, '{\"note\":\"x\"}');
INSERT INTO audit VALUES ($ms, $n, 'bench', '[$peer]', 'created check-in ' || last_insert_rowid());
COMMIT;"
}

# A shared service needs an admin with a PIN; the demo's first staff
# member is the admin (and mapped to this login). Commands sign in with
# CASELOAD_STAFF / CASELOAD_PIN.
export CASELOAD_STAFF="Jordan Reyes" CASELOAD_PIN=2468
printf '%s\n' "$CASELOAD_PIN" | cl staff set-pin "$CASELOAD_STAFF" --pin-stdin >/dev/null
echo "starting caseload serve on a copy of the large store" >&2
"$bin" --data-dir "$store" serve >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
# Opening a large store can take minutes on a loaded machine.
t_serve=$(now_ns)
for _ in $(seq 6000); do [[ -S "$store/caseload.sock" ]] && break; sleep 0.1; done
serve_open_ms=$(( ($(now_ns) - t_serve) / 1000000 ))
[[ -S "$store/caseload.sock" ]] || { cat "$work/serve.err" >&2; echo "bench.sh: serve did not start" >&2; exit 1; }

# --- Same answers ----------------------------------------------------------
cl today --date "$as_of" --json >"$work/today.json"
jq -r '.sections[].rows[] | "\(.section)|\(if .peer then .peer else .group end)|\(.goal // "")"' \
  "$work/today.json" | sort >"$work/today.caseload"
sqlite3 -readonly "$db" "$today_sql" | sort >"$work/today.sqlite"
if ! diff -u "$work/today.sqlite" "$work/today.caseload" >"$work/today.diff"; then
  head -40 "$work/today.diff" >&2
  echo "bench.sh: FAIL: Today differs between caseload and sqlite3 ($(wc -l <"$work/today.caseload") vs $(wc -l <"$work/today.sqlite") rows)" >&2
  exit 1
fi
today_rows=$(wc -l <"$work/today.caseload")

cl peer show "P$peer" --json >"$work/show.json"
{
  jq -r '"peer \(.peer.id)"' "$work/show.json"
  jq -r '.goals[].id' "$work/show.json" | sort | sed 's/^/goal /'
  jq -r '.recent_checkins[].id' "$work/show.json" | sed 's/^/checkin /'
  jq -r '.sessions[].id' "$work/show.json" | sed 's/^/session /'
} >"$work/show.caseload"
sqlite3 -readonly "$db" "$show_sql" >"$work/show.sqlite.json"
{
  sqlite3 -readonly "$db" "SELECT json FROM peers WHERE id = $peer" | jq -r '"peer \(.id)"'
  sqlite3 -readonly "$db" "SELECT json FROM goals WHERE peer = $peer" | jq -r '.id' | sort | sed 's/^/goal /'
  sqlite3 -readonly "$db" "SELECT json FROM checkins WHERE peer = $peer ORDER BY at_ms DESC, id DESC LIMIT 10" | jq -r '.id' | sed 's/^/checkin /'
  sqlite3 -readonly "$db" "SELECT s.json FROM attendance a JOIN sessions s ON s.id = a.session WHERE a.peer = $peer ORDER BY a.date DESC, a.session DESC" | jq -r '.id' | sed 's/^/session /'
} >"$work/show.sqlite"
if ! diff -u "$work/show.sqlite" "$work/show.caseload" >&2; then
  echo "bench.sh: FAIL: peer show P$peer differs between caseload and sqlite3" >&2
  exit 1
fi

# --- Timings, interleaved ----------------------------------------------------
for i in $(seq "$runs"); do
  timed "$work/t.today" "$bin" --data-dir "$store" today --date "$as_of" --json
  timed "$work/s.today" sqlite3 -readonly "$db" "$today_sql"
  timed "$work/t.show" "$bin" --data-dir "$store" peer show "P$peer" --json
  timed "$work/s.show" sqlite3 -readonly "$db" "$show_sql"
  timed "$work/t.settings" "$bin" --data-dir "$store" settings
  timed "$work/s.settings" sqlite3 -readonly "$db" "SELECT * FROM settings"
done
# Writes last, so the answers above were checked on the cached data.
for i in $(seq "$runs"); do
  timed "$work/t.log" "$bin" --data-dir "$store" log "P$peer" --note x
  timed "$work/s.log" sqlite3 "$db" "$(log_sql "$((1000000000 + i))")"
done

# First full UI frame with the service running: from launch in tmux until
# the Today screen's rows are on it (polled every few ms).
frame_ms=()
for i in $(seq "$runs"); do
  tmux -L caseload-bench kill-server 2>/dev/null || true
  t0=$(now_ns)
  tmux -L caseload-bench new-session -d -x 120 -y 40 "$bin --data-dir $store"
  shown=""
  for _ in $(seq 2000); do
    if tmux -L caseload-bench capture-pane -p 2>/dev/null | grep -q "Follow-ups due\|Overdue follow-ups\|Re-engagement"; then
      shown=1
      break
    fi
    sleep 0.002
  done
  t1=$(now_ns)
  if [[ -z "$shown" ]]; then
    tmux -L caseload-bench capture-pane -p >&2 || true
    echo "bench.sh: the UI did not show Today within the wait; no frame time" >&2
    break
  fi
  frame_ms+=($(( (t1 - t0) / 1000000 )))
done
tmux -L caseload-bench kill-server 2>/dev/null || true

serve_rss=$(awk '/VmRSS/ {print $2}' "/proc/$serve_pid/status")

ms() { awk '{printf "%.1f\n", $1 / 1000}' "$1"; }
rss() { awk '{print $2}' "$1" | max | awk '{printf "%.0f", $1 / 1024}'; }
row() {
  local label=$1 t=$2 s=$3 tm sm
  tm=$(ms "$t" | median)
  sm=$(ms "$s" | median)
  printf '| %-22s | %8s | %8s | %8s | %6s MiB | %8s | %8s | %8s | %6s MiB | %5.1f× |\n' \
    "$label" "$tm" "$(ms "$t" | min)" "$(ms "$t" | max)" "$(rss "$t")" \
    "$sm" "$(ms "$s" | min)" "$(ms "$s" | max)" "$(rss "$s")" \
    "$(awk -v a="$tm" -v b="$sm" 'BEGIN {print (b > 0 ? a / b : 0)}')"
}

size() { du -sb "$1" | awk '{printf "%.0f", $1 / 1048576}'; }
read -r demo_s demo_kib <"$cache/large/demo.time"
echo
echo "Data: 10,000 peers / 1,000,000 check-ins (seed 1, as of $as_of); $runs runs each, interleaved, times in ms."
echo "Store $(size "$cache/large/store") MiB on disk; SQLite file $(size "$cache/large/sqlite.db") MiB."
echo "demo at this size: ${demo_s} s, $(( demo_kib / 1024 )) MiB peak RSS. Today: $today_rows rows, the same on both sides; peer show P$peer the same."
echo
echo "| command (service running) | caseload median | min | max | peak RSS | sqlite3 median | min | max | peak RSS | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row "today --json" "$work/t.today" "$work/s.today"
row "peer show --json" "$work/t.show" "$work/s.show"
row "log (INSERT + audit)" "$work/t.log" "$work/s.log"
row "open only (settings)" "$work/t.settings" "$work/s.settings"
((${#frame_ms[@]})) || frame_ms=(n/a)
printf '| %-22s | %8s | %8s | %8s | %10s | — | — | — | — | — |\n' "first full UI frame" \
  "$(printf '%s\n' "${frame_ms[@]}" | median)" "$(printf '%s\n' "${frame_ms[@]}" | min)" \
  "$(printf '%s\n' "${frame_ms[@]}" | max)" "(tmux)"
echo
echo "caseload serve: open took ${serve_open_ms} ms; ${serve_rss} KiB RSS after the runs above."
if [[ -f "$cache/wide/ready" ]]; then
  read -r wide_s wide_kib <"$cache/wide/demo.time"
  echo "Wide data set (100,000 peers / 300,000 check-ins): store $(size "$cache/wide/store") MiB, SQLite $(size "$cache/wide/sqlite.db") MiB; demo ${wide_s} s, $(( wide_kib / 1024 )) MiB."
fi
