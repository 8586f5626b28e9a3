//! End to end in a real terminal: tmux runs the built binary on a demo
//! store; keys typed into it log a check-in, which then shows under "Seen
//! today", and the CLI's export confirms the note is on disk.
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> Output {
    caseload_ok(dir, args, &[])
}

#[test]
fn a_check_in_typed_in_the_terminal_is_saved_and_shown() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(&data, &["demo", "--peers", "30", "--checkins", "200"]);

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-e2e", &home, "", &program);

    tmux.wait_for("Today", |s| {
        s.contains("Follow-ups due (") && s.contains("Jordan Reyes (JR)")
    });
    // c opens the form with the selected row's peer highlighted; Enter picks.
    tmux.keys(&["c"]);
    tmux.wait_for("the picker", |s| s.contains("New check-in"));
    tmux.keys(&["Enter"]);
    let form = tmux.wait_for("the form", |s| s.contains("Check-in with "));
    let title = form
        .lines()
        .find_map(|l| l.split("Check-in with ").nth(1))
        .expect("form title");
    let (name, rest) = title.split_once(" (P").expect("name and id");
    let name = name.trim().to_string();
    let peer_id = format!("P{}", rest.split(')').next().expect("id"));
    assert!(!name.is_empty(), "{form}");

    let note = "e2e: walked to the library, wants to come Friday";
    tmux.text(note);
    tmux.keys(&["C-s"]);
    // The confirmation comes after the store's Ok; Today then reloads.
    let seen_today = |s: &str| {
        s.lines()
            .skip_while(|l| !l.starts_with("Seen today ("))
            .skip(1)
            .any(|l| l.contains(&name))
    };
    tmux.wait_for("the save confirmation and the reloaded Today", |s| {
        s.contains("Saved check-in C") && !s.contains("Check-in with ") && !s.contains("loading…")
    });
    // The selection stays in place (the next peer to contact); End shows
    // the last section, where the peer now is.
    tmux.keys(&["End"]);
    tmux.wait_for("the peer under Seen today", seen_today);

    tmux.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while tmux.alive() {
        assert!(
            Instant::now() < deadline,
            "caseload did not quit:\n{}",
            tmux.capture()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let export = cli(&data, &["export"]);
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).expect("export is JSON");
    let saved: Vec<&serde_json::Value> = json["checkins"]
        .as_array()
        .expect("check-ins listed")
        .iter()
        .filter(|c| c["data"]["note"] == note)
        .collect();
    assert_eq!(saved.len(), 1, "the note is saved exactly once");
    assert_eq!(saved[0]["data"]["peer"], peer_id.as_str());
    assert_eq!(saved[0]["data"]["minutes"], 15);
    assert_eq!(saved[0]["data"]["staff"], "S1");
}

/// The UI opens at once (no PINs, `--staff` given) and takes its notices
/// on the connection it greeted while asking who may sign in: a change
/// saved by another process shows without a key.
#[test]
fn a_change_saved_by_another_process_shows_in_an_open_ui() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(&data, &["demo", "--peers", "30", "--checkins", "200"]);
    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-e2e-live", &home, "", &program);
    tmux.wait_for("Today", |s| {
        s.contains("Follow-ups due (") && s.contains("Jordan Reyes (JR)")
    });
    cli(&data, &["settings", "--name", "Harbor Live Center"]);
    tmux.wait_for("the new name in the title bar, untouched", |s| {
        s.contains("Harbor Live Center")
    });
    tmux.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while tmux.alive() {
        assert!(
            Instant::now() < deadline,
            "caseload did not quit:\n{}",
            tmux.capture()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
