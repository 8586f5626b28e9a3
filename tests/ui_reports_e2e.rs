//! End to end in a real terminal: tmux runs the built binary on a demo
//! store; `R` opens the Reports screen, `←` goes to last month, and the
//! figures it shows (peers served, check-ins) are the ones `caseload
//! report --month … --json` gives for that month.
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::Command;

use chrono::Datelike;

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote, stdout_of};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> String {
    stdout_of(&caseload_ok(dir, args, &[]))
}

/// The value at the end of the first figure row with all of `words`.
fn figure(screen: &str, words: &[&str]) -> Option<u64> {
    screen
        .lines()
        .find(|l| words.iter().all(|w| l.contains(w)))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
}

#[test]
fn the_reports_screen_shows_what_caseload_report_json_gives() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_reports_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    // Demo data up to today, so last month is full of check-ins.
    let today = chrono::Local::now().date_naive();
    cli(
        &data,
        &[
            "demo",
            "--peers",
            "30",
            "--checkins",
            "300",
            "--as-of",
            &today.to_string(),
        ],
    );
    let last = today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .expect("last month");
    let month = format!("{:04}-{:02}", last.year(), last.month());
    let json: serde_json::Value = serde_json::from_str(&cli(
        &data,
        &["--staff", "JR", "report", "--month", &month, "--json"],
    ))
    .expect("report json");
    let served = json["peers_served"].as_u64().expect("peers_served");
    let checkins = json["checkins"].as_u64().expect("checkins");

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-reports-e2e", &home, "", &program);
    tmux.wait_for("Today", |s| s.contains("Jordan Reyes (JR)"));
    tmux.keys(&["R"]);
    tmux.wait_for("the Reports screen", |s| {
        s.contains("Reports · month") && figure(s, &["peers", "served", "count"]).is_some()
    });
    tmux.keys(&["Left"]);
    let from = last.with_day(1).expect("first of last month").to_string();
    let shown = tmux.wait_for("last month's report", |s| {
        s.contains(&format!("month {from} to {last}"))
            && figure(s, &["check-ins", "all", "count"]) == Some(checkins)
    });
    assert_eq!(
        figure(&shown, &["peers", "served", "count"]),
        Some(served),
        "{shown}"
    );
    assert!(checkins > 0, "the demo left last month empty:\n{shown}");
    tmux.keys(&["q"]);
}
