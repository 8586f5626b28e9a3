//! How long each typed search key takes on the Peers screen at 100,000
//! peers, as a distribution (criterion's bench gives means): words typed
//! a character at a time and Backspaced away again, over a roster of
//! realistic (mostly different) names, each key timed from the key press
//! to a full 120×40 frame drawn to ratatui's TestBackend. Prints p50, p90,
//! p99 and the worst key. With `--fzf`, also times `fzf --filter QUERY`
//! over a file of the same names against caseload ranking the same query
//! afresh (nothing kept), interleaved, and prints medians and ratios.
//!
//! The roster's first-character tables (worked out by a background
//! thread in the app) are worked out here before the first key, and timed;
//! `--no-tables` leaves them out, to time the first characters without.
//!
//! ```sh
//! cargo run --release --example search_keys -- [PEERS] [ROUNDS] [--fzf] [--no-tables]
//! ```

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use caseload::search::{LiveSearch, SearchIndex};
use caseload::ui::app::App;
use caseload::ui::view;

/// The allocator the app runs with (`src/main.rs`), so that a key's
/// allocations and frees cost what they cost there (glibc's allocator
/// made them a tenth of a key's time, differently from build to build).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/search_app.rs"]
mod support;
use support::{key, realistic_roster, signed_in_app};

/// Words typed, five characters each: given and family names of the demo,
/// so each narrows to fewer and fewer rows. Each starts with another letter
/// than the one before, so no word's first key finds a kept result.
const WORDS: [&str; 8] = [
    "keish", "mulle", "ngozi", "garci", "wilso", "tomas", "okafo", "lukas",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut peers = 100_000usize;
    let mut rounds = 20usize;
    let mut with_fzf = false;
    let mut tables = true;
    let mut numbers = 0;
    for a in std::env::args().skip(1) {
        if a == "--fzf" {
            with_fzf = true;
        } else if a == "--no-tables" {
            tables = false;
        } else {
            let n: usize = a.parse().map_err(|_| format!("not a number: {a}"))?;
            if numbers == 0 {
                peers = n;
            } else {
                rounds = n;
            }
            numbers += 1;
        }
    }
    println!("load average at start: {}", load_average());
    let roster = realistic_roster(peers, 7);
    let names: Vec<String> = roster.iter().map(|r| r.name.clone()).collect();
    let distinct = {
        let mut n = names.clone();
        n.sort_unstable();
        n.dedup();
        n.len()
    };
    let bytes: usize = names.iter().map(|n| n.len() + 1).sum();
    println!("{peers} peers, {distinct} different names, {bytes} bytes of names");

    let mut app = signed_in_app();
    let rows = roster.clone();
    let arrived = Instant::now();
    app.on_response(caseload::ui::worker::Response::Roster(Ok(rows)));
    println!(
        "roster arrival (UI thread; listed, search being prepared: {}): {:.1} ms",
        app.peers().indexing(),
        ms(arrived.elapsed())
    );
    // What the app's background thread does next: the roster's search
    // index and name order (then queued: the first-character tables).
    let (cpu_start, start) = (cpu_time(), Instant::now());
    for job in app.take_jobs() {
        app.on_job_done(job.run());
    }
    println!(
        "roster search index and name order (a background thread in the app): {:.1} ms, CPU {:.1} ms",
        ms(start.elapsed()),
        ms(cpu_time().saturating_sub(cpu_start))
    );
    assert!(!app.peers().indexing(), "the roster's search is installed");
    if tables {
        let (cpu_start, start) = (cpu_time(), Instant::now());
        app.run_jobs_here();
        println!(
            "first-character tables (a background thread in the app): {:.1} ms, CPU {:.1} ms",
            ms(start.elapsed()),
            ms(cpu_time().saturating_sub(cpu_start))
        );
        assert!(app.peers().search_index().has_first_chars());
    } else {
        let _ = app.take_jobs();
        println!("first-character tables left out (--no-tables)");
    }
    app.handle_key(key(KeyCode::Char('/')));
    let all = app.peers().visible.len();
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    let mut typed: Vec<Duration> = Vec::new();
    let mut erased: Vec<Duration> = Vec::new();
    // Typed characters by their place in the word (1st, 2nd, …).
    let mut by_place: Vec<Vec<Duration>> = vec![Vec::new(); 5];
    let mut cpu_by_place: Vec<Vec<Duration>> = vec![Vec::new(); 5];
    let mut updates: Vec<Duration> = Vec::new();
    let mut cpu: Vec<Duration> = Vec::new();
    let mut press = |app: &mut App, code: KeyCode| -> (Duration, Duration) {
        let cpu_start = cpu_time();
        let start = Instant::now();
        app.handle_key(key(code));
        let updated = start.elapsed();
        let drawn = terminal.draw(|f| view::render(app, f));
        assert!(drawn.is_ok());
        let took = start.elapsed();
        updates.push(updated);
        let used = cpu_time().saturating_sub(cpu_start);
        cpu.push(used);
        (took, used)
    };
    for _ in 0..rounds {
        for w in WORDS {
            for (place, c) in w.chars().enumerate() {
                let (took, used) = press(&mut app, KeyCode::Char(c));
                typed.push(took);
                if let Some(p) = by_place.get_mut(place) {
                    p.push(took);
                }
                if let Some(p) = cpu_by_place.get_mut(place) {
                    p.push(used);
                }
            }
            // The search took the word (a run that ignored keys would be
            // timed as fast otherwise).
            assert_eq!(app.peers().query.text(), w);
            let shown = app.peers().visible.len();
            assert!(shown < all, "{w:?} shows {shown} of {all}");
            for _ in w.chars() {
                erased.push(press(&mut app, KeyCode::Backspace).0);
            }
            assert_eq!(app.peers().visible.len(), all);
        }
    }
    let mut every: Vec<Duration> = typed.iter().chain(&erased).copied().collect();
    println!("key → frame, {rounds} rounds of {} words:", WORDS.len());
    report("typed characters", &mut typed);
    for (place, v) in by_place.iter_mut().enumerate() {
        report(&format!("  character {} of a word", place + 1), v);
    }
    report("Backspaces", &mut erased);
    report("every key", &mut every);
    report("every key, state update only", &mut updates);
    // What the keys cost in CPU (every thread of the process): on a
    // machine shared with builds, wall time also holds the wait for a core.
    report("every key, CPU time", &mut cpu);
    for (place, v) in cpu_by_place.iter_mut().enumerate() {
        report(&format!("  CPU, character {} of a word", place + 1), v);
    }

    open_check_in_form(&mut app, rounds.clamp(3, 10));

    if with_fzf {
        compare_with_fzf(&roster, &names, rounds.clamp(5, 10))?;
    }
    println!("load average at end: {}", load_average());
    Ok(())
}

/// Times opening the check-in form over the roster (`c` on Peers, to a
/// drawn frame; its peer picker searches the roster), then the first two
/// characters typed into its picker, `runs` times each.
fn open_check_in_form(app: &mut App, runs: usize) {
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    // Out of the search field, so `c` is the check-in key.
    app.handle_key(key(KeyCode::Esc));
    let (mut opened, mut first, mut second) = (Vec::new(), Vec::new(), Vec::new());
    let mut timed = |app: &mut App, code: KeyCode| -> Duration {
        let start = Instant::now();
        app.handle_key(key(code));
        let drawn = terminal.draw(|f| view::render(app, f));
        assert!(drawn.is_ok());
        start.elapsed()
    };
    for _ in 0..runs {
        opened.push(timed(app, KeyCode::Char('c')));
        let Some(form) = app.form() else {
            panic!("c opened no check-in form");
        };
        let all = form.picker.hits.len();
        assert!(all > 0, "the picker offers the roster");
        // Whatever field has the keyboard, the picker's search gets the
        // typing once it is cleared of the preselected peer.
        first.push(timed(app, KeyCode::Char('k')));
        second.push(timed(app, KeyCode::Char('e')));
        let typed = app
            .form()
            .map(|f| (f.picker.query.text().to_string(), f.picker.hits.len()));
        assert!(
            matches!(&typed, Some((q, n)) if q == "ke" && *n < all),
            "the picker took the typing: {typed:?} of {all}"
        );
        // Esc twice: a question about the typed search, if any, then out.
        app.handle_key(key(KeyCode::Esc));
        if app.form().is_some() {
            app.handle_key(key(KeyCode::Esc));
        }
        if app.form().is_some() {
            app.handle_key(key(KeyCode::Char('y')));
        }
        assert!(app.form().is_none(), "the form closed");
    }
    println!("check-in form, {runs} times:");
    report("c → form drawn", &mut opened);
    report("  1st character in its picker", &mut first);
    report("  2nd character", &mut second);
}

/// Times `fzf --filter` (a process reading the names from a file, as a
/// shell user would run it) against caseload ranking the same query over
/// the same names with nothing kept, interleaved, `runs` times each.
fn compare_with_fzf(
    roster: &[caseload::ui::worker::RosterRow],
    names: &[String],
    runs: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let version = Command::new("fzf")
        .arg("--version")
        .output()
        .map_err(|e| format!("fzf is needed for --fzf ({e}); apt-get install fzf"))?;
    let dir = tempfile_dir()?;
    let file = dir.join("names.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    for n in names {
        writeln!(out, "{n}")?;
    }
    out.flush()?;
    drop(out);
    println!(
        "\nfzf {} --filter over {} ({} names, {} bytes), {runs} runs each, interleaved:",
        String::from_utf8_lossy(&version.stdout).trim(),
        file.display(),
        names.len(),
        std::fs::metadata(&file)?.len()
    );
    let index = SearchIndex::new(roster.iter().map(|r| (r.name.as_str(), &r.keys, true)));
    let mut live = LiveSearch::new(index);
    println!(
        "{:<8} {:>9} {:>9} {:>12} {:>12} {:>7}",
        "query", "fzf rows", "our rows", "fzf median", "ours median", "ratio"
    );
    let mut fzf_all = Vec::new();
    let mut ours_all = Vec::new();
    for q in ["k", "ke", "keish", "m", "mulle", "ngozi", "garci", "lukas"] {
        let mut fzf_t = Vec::new();
        let mut ours_t = Vec::new();
        let (mut fzf_rows, mut our_rows) = (0, 0);
        for _ in 0..runs {
            let start = Instant::now();
            let mut child = Command::new("fzf")
                .arg("--filter")
                .arg(q)
                .stdin(std::fs::File::open(&file)?)
                .stdout(Stdio::piped())
                .spawn()?;
            let lines = child
                .stdout
                .take()
                .map_or(0, |o| BufReader::new(o).lines().count());
            child.wait()?;
            fzf_t.push(start.elapsed());
            fzf_rows = lines;
            // Nothing kept: the whole roster ranked for this query.
            live.set_base(None);
            let start = Instant::now();
            our_rows = live.rank_ref(q).len();
            ours_t.push(start.elapsed());
        }
        let (f, o) = (median(&mut fzf_t), median(&mut ours_t));
        fzf_all.push(f);
        ours_all.push(o);
        println!(
            "{q:<8} {fzf_rows:>9} {our_rows:>9} {:>9.2} ms {:>9.2} ms {:>6.1}x",
            ms(f),
            ms(o),
            ms(f) / ms(o).max(1e-9)
        );
    }
    let (f, o) = (median(&mut fzf_all), median(&mut ours_all));
    println!(
        "median of the queries: fzf {:.2} ms, caseload {:.2} ms ({:.1}x)",
        ms(f),
        ms(o),
        ms(f) / ms(o).max(1e-9)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("caseload-search-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Prints the count and percentiles of `v` (sorted in place).
fn report(what: &str, v: &mut [Duration]) {
    v.sort_unstable();
    let at = |p: f64| -> f64 {
        if v.is_empty() {
            return 0.0;
        }
        let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
        ms(v[i])
    };
    println!(
        "  {what:<30} n={:<5} p50 {:>6.3} ms  p90 {:>6.3} ms  p99 {:>6.3} ms  max {:>6.3} ms",
        v.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    );
}

/// CPU time used so far by every thread of this process.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
