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
# 3. On a copy of the large store, lets the first command start the
#    store's private service (as any user's first command does; no PINs,
#    BENCH_SHARED=1 measures through `caseload serve` with PINs instead)
#    and runs caseload and the sqlite3 equivalent interleaved, RUNS times
#    each, as fresh processes; measures the first UI frame with the service
#    running (also with the UI's clock at the data's date, by faketime;
#    the same right after a write, when the service's kept Today has just
#    been ended and is worked out while the UI waits; and tmux's own
#    launch and polling alone) and with the UI starting it; Today again
#    right after a write; and the service's memory across 10,000 mixed
#    requests (examples/service_load.rs); prints one table (median, min,
#    max, peak RSS, ratio) with the load average.
# 4. Checks that both sides give the same answers (Today's rows, peer
#    show) and fails loudly if not.
#
# Not for CI: it installs sqlite3 and fzf from the distribution's packages
# if they are missing and needs several GB of disk and minutes of CPU.
# Cache: $CASELOAD_BENCH_CACHE (default ~/.cache/caseload-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${CI:-}" ]]; then
  echo "bench.sh: not run in CI (CI only builds the benches: cargo test --benches --no-run)" >&2
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
need sqlite3 fzf tmux jq faketime

cargo build --release --locked --quiet --bin caseload --example sqlite_dump --example service_load
bin=$PWD/target/release/caseload
dump=$PWD/target/release/examples/sqlite_dump
load=$PWD/target/release/examples/service_load

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
    # demo's private service still holds the store: note its peak RSS,
    # then stop it (SIGTERM: it finishes and removes its socket) so that
    # sqlite_dump can open the store.
    local pid
    pid=$(sed -n 's/^caseload service (pid \([0-9]*\)): serving.*/\1/p' "$d/store/caseload-service.log" | tail -1)
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      awk '/^VmHWM/ {print $2}' "/proc/$pid/status" >"$d/service.hwm" || true
      kill "$pid"
      for _ in $(seq 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
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

# Runs "$@" once, timed; appends "us rss_kib" to the file in $out. The
# timed run is the command alone: the clock is read by bash itself (two
# `date` processes and `/usr/bin/time` around each run added their own
# start-up to both columns, ~2-10 ms a run). Peak RSS comes from one
# untimed run under `/usr/bin/time` before the first timed one.
timed() {
  local out=$1
  shift
  if [[ ! -s "$out.rss" ]]; then
    /usr/bin/time -f '%M' -o "$out.rss" "$@" >/dev/null 2>>"$out.err"
  fi
  local t0 t1
  t0=${EPOCHREALTIME/[.,]/}
  "$@" >/dev/null 2>>"$out.err"
  t1=${EPOCHREALTIME/[.,]/}
  echo "$(( t1 - t0 )) $(cat "$out.rss")" >>"$out"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/caseload-bench.XXXXXX")
serve_pid=""
service_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  # The private service stops on SIGTERM (finishing its writes).
  [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null
  # A frame cut short (Ctrl-C) leaves its own tmux server.
  for i in $(seq "${frames:-0}"); do
    tmux -L "caseload-bench-$$-$i" kill-server 2>/dev/null || true
  done
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

# How commands reach the store. By default as a user would: no service
# is started by hand; the first command starts the store's private service
# (`caseload __service`, owner-only) and every later process is its client.
# The demo store has no PINs, so no command runs argon2. BENCH_SHARED=1
# instead gives the admin a PIN and starts `caseload serve` (the shared
# service of docs/server.md): every command then signs in with
# CASELOAD_STAFF / CASELOAD_PIN, which costs an argon2 check per process.
mode=private
[[ -n "${BENCH_SHARED:-}" ]] && mode=shared
# Keep the private service up between the runs (its default idle exit is
# two minutes; the sqlite3 runs in between are short, but a loaded machine
# is not).
export CASELOAD_SERVICE_IDLE_SECS=3600
wait_socket() {
  for _ in $(seq 6000); do [[ -S "$store/caseload.sock" ]] && return 0; sleep 0.1; done
  return 1
}
if [[ $mode == shared ]]; then
  export CASELOAD_STAFF="Jordan Reyes" CASELOAD_PIN=2468
  printf '%s\n' "$CASELOAD_PIN" | cl staff set-pin "$CASELOAD_STAFF" --pin-stdin >/dev/null
  # set-pin started a private service: `serve` takes the store over.
  echo "starting caseload serve on a copy of the large store" >&2
  t_serve=$(now_ns)
  "$bin" --data-dir "$store" serve >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  service_pid=$serve_pid
  sleep 1
  wait_socket || { cat "$work/serve.err" >&2; echo "bench.sh: serve did not start" >&2; exit 1; }
  cl settings >/dev/null
  serve_open_ms=$(( ($(now_ns) - t_serve) / 1000000 ))
else
  # The first command starts the private service: its time is the
  # store's open plus one command.
  t_serve=$(now_ns)
  cl settings >/dev/null
  serve_open_ms=$(( ($(now_ns) - t_serve) / 1000000 ))
  service_pid=$(sed -n 's/^caseload service (pid \([0-9]*\)): serving.*/\1/p' "$store/caseload-service.log" | tail -1)
  [[ -n "$service_pid" ]] || { echo "bench.sh: no private service started" >&2; exit 1; }
  # The cached store is of the schema it was generated with: a newer
  # caseload upgrades the copy on that first open. Say so, then measure a
  # service started afterwards, as users have it from then on (the
  # upgrade's reading leaves the service that ran it larger).
  upgrade=$(sed -n 's/^caseload service: note: the store at .* was \(upgraded .*\)/\1/p' "$store/caseload-service.log" | tail -1)
  if [[ -n "$upgrade" ]]; then
    upgrade_ms=$serve_open_ms
    kill "$service_pid"
    for _ in $(seq 600); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.05; done
    t_serve=$(now_ns)
    cl settings >/dev/null
    serve_open_ms=$(( ($(now_ns) - t_serve) / 1000000 ))
    service_pid=$(sed -n 's/^caseload service (pid \([0-9]*\)): serving.*/\1/p' "$store/caseload-service.log" | tail -1)
  fi
fi
service_rss() { awk '/VmRSS/ {print $2}' "/proc/$service_pid/status"; }
rss_after_open=$(service_rss)

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
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
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
# The service keeps its last Today answers until a write ends them and
# works them out again once writes pause (300 ms): the Today above is
# mostly a kept answer. Right after a write it is worked out while the
# command waits: Today again, each time straight after a check-in.
for i in $(seq "$runs"); do
  "$bin" --data-dir "$store" log "P$peer" --note x >/dev/null
  timed "$work/t.today_cold" "$bin" --data-dir "$store" today --date "$as_of" --json
  timed "$work/s.today_cold" sqlite3 -readonly "$db" "$today_sql"
done

# First full UI frame: from launch in tmux until the Today screen's rows
# are on it (polled every few ms). Appends the time to the array named $1.
# $2, if given, is the command to launch instead of the UI.
frames=0
ui_frame() {
  local -n into=$1
  local launch=${2:-"$bin --data-dir $store"}
  # A tmux server of its own per frame: a new session on a server that
  # kill-server has just told to exit sometimes found it gone ("server
  # exited unexpectedly"), and the poll then waited out its whole limit.
  frames=$((frames + 1))
  local tm="caseload-bench-$$-$frames"
  local t0 t1 shown=""
  t0=$(now_ns)
  tmux -L "$tm" new-session -d -x 120 -y 40 "$launch"
  for _ in $(seq 5000); do
    if tmux -L "$tm" capture-pane -p 2>/dev/null | grep -q "Follow-ups due\|Overdue follow-ups\|Re-engagement"; then
      shown=1
      break
    fi
    sleep 0.002
  done
  t1=$(now_ns)
  if [[ -z "$shown" ]]; then
    tmux -L "$tm" capture-pane -p >&2 || true
    tmux -L "$tm" kill-server 2>/dev/null || true
    echo "bench.sh: the UI did not show Today within the wait; no frame time" >&2
    return 1
  fi
  into+=($(( (t1 - t0) / 1000000 )))
  tmux -L "$tm" kill-server 2>/dev/null || true
}
frame_ms=()
for i in $(seq "$runs"); do ui_frame frame_ms || break; done
# The UI's Today is for the machine's date, which moves away from the
# data's as the cached set ages (more rows overdue every day): the same
# frame with the UI's clock at the data's date (faketime), as `today
# --date` is measured above, and the harness alone (tmux's launch and the
# polling, with a program that prints Today's heading at once).
asof_ms=()
for i in $(seq "$runs"); do
  ui_frame asof_ms "faketime '$as_of 10:00:00' $bin --data-dir $store" || break
done
floor_ms=()
for i in $(seq "$runs"); do
  ui_frame floor_ms "printf 'Overdue follow-ups\n'; sleep 30" || break
done
# The frame when a write has just ended the kept Today (the UI asks
# before the service has worked it out again).
written_ms=()
for i in $(seq "$runs"); do
  "$bin" --data-dir "$store" log "P$peer" --note x >/dev/null
  ui_frame written_ms "faketime '$as_of 10:00:00' $bin --data-dir $store" || break
done

service_rss_after=$(service_rss)

# The service's memory across 10,000 mixed requests on one connection
# (examples/service_load.rs): flat is the target.
load_out=""
if [[ $mode == private ]]; then
  load_out=$("$load" "$store" 10000 "$as_of" | tail -2)
fi

# First full UI frame when the UI must start the service itself: stop it
# (SIGTERM: it finishes its writes and removes its socket) before each run.
cold_ms=()
if [[ $mode == private ]]; then
  for i in $(seq "$runs"); do
    kill "$service_pid" 2>/dev/null || true
    for _ in $(seq 600); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.05; done
    ui_frame cold_ms || break
    service_pid=$(sed -n 's/^caseload service (pid \([0-9]*\)): serving.*/\1/p' "$store/caseload-service.log" | tail -1)
  done
fi

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
demo_service=""
[[ -s "$cache/large/service.hwm" ]] && demo_service=" (the service writing it peaked at $(( $(cat "$cache/large/service.hwm") / 1024 )) MiB)"
echo "demo at this size: ${demo_s} s, $(( demo_kib / 1024 )) MiB peak RSS${demo_service}. Today: $today_rows rows, the same on both sides; peer show P$peer the same."
echo
echo "Commands reach the store through the $mode service ($([[ $mode == private ]] && echo "started by the first command, no PINs" || echo "caseload serve, each command signing in with a PIN")). Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| command (service running) | caseload median | min | max | peak RSS | sqlite3 median | min | max | peak RSS | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row "today --json" "$work/t.today" "$work/s.today"
row "— right after a write" "$work/t.today_cold" "$work/s.today_cold"
row "peer show --json" "$work/t.show" "$work/s.show"
row "log (INSERT + audit)" "$work/t.log" "$work/s.log"
row "open only (settings)" "$work/t.settings" "$work/s.settings"
frame_row() {
  local label=$1
  shift
  (($#)) || set -- n/a
  printf '| %-22s | %8s | %8s | %8s | %10s | — | — | — | — | — |\n' "$label" \
    "$(printf '%s\n' "$@" | median)" "$(printf '%s\n' "$@" | min)" \
    "$(printf '%s\n' "$@" | max)" "(tmux)"
}
frame_row "first UI frame (running)" "${frame_ms[@]}"
frame_row "— with the UI's clock at $as_of" "${asof_ms[@]}"
frame_row "— right after a write" "${written_ms[@]}"
frame_row "— tmux and polling alone" "${floor_ms[@]}"
[[ $mode == private ]] && frame_row "first UI frame (starts it)" "${cold_ms[@]}"
echo
if [[ -n "${upgrade:-}" ]]; then
  echo "The first command upgraded the copied store: ${upgrade} (the command took ${upgrade_ms} ms); the service was then restarted for the figures below."
fi
echo "Service ($mode): the first command (starting it and opening the store) took ${serve_open_ms} ms; RSS ${rss_after_open} KiB after it, ${service_rss_after} KiB after the runs above."
[[ -n "$load_out" ]] && printf 'Service across 10,000 mixed requests: %s\n' "$load_out"
if [[ -f "$cache/wide/ready" ]]; then
  read -r wide_s wide_kib <"$cache/wide/demo.time"
  echo "Wide data set (100,000 peers / 300,000 check-ins): store $(size "$cache/wide/store") MiB, SQLite $(size "$cache/wide/sqlite.db") MiB; demo ${wide_s} s, $(( wide_kib / 1024 )) MiB."
fi
