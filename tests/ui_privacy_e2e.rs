//! End to end in a real terminal (tmux runs the built binary): privacy
//! mode hides a peer's note text and goal titles on the peer page, the
//! reveal key (`Ctrl-o`) shows them until the next key, and that key hides
//! them again (issue 11).
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");
const NOTE: &str = "secret housing words";
const GOAL: &str = "Own place quietly";

fn cli(dir: &Path, args: &[&str]) {
    caseload_ok(dir, args, &[]);
}

#[test]
fn privacy_mode_hides_notes_and_goals_and_ctrl_o_reveals_them_until_the_next_key() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_privacy_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(
        &data,
        &["staff", "add", "Jordan Reyes", "--role", "peer-specialist"],
    );
    cli(&data, &["peer", "add", "Ana Testperson"]);
    cli(&data, &["log", "ana", "--minutes", "20", "--note", NOTE]);
    cli(&data, &["goal", "add", "ana", GOAL, "--domain", "housing"]);

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-privacy-e2e", &home, "", &program);
    tmux.wait_for("Today", |s| s.contains("Jordan Reyes (JR)"));
    tmux.keys(&["p"]);
    tmux.wait_for("the roster", |s| s.contains("Ana Testperson"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the peer page with the note and the goal", |s| {
        s.contains(NOTE) && s.contains(GOAL)
    });

    tmux.keys(&["C-p"]);
    let hidden = tmux.wait_for("privacy mode", |s| {
        s.contains("privacy on") && s.contains("(hidden)")
    });
    assert!(!hidden.contains(NOTE), "{hidden}");
    assert!(!hidden.contains(GOAL), "{hidden}");
    assert!(!hidden.contains("Ana Testperson"), "{hidden}");

    tmux.keys(&["C-o"]);
    let shown = tmux.wait_for("the reveal", |s| s.contains(NOTE) && s.contains(GOAL));
    assert!(
        shown.contains("privacy on"),
        "privacy mode stays on:\n{shown}"
    );

    tmux.keys(&["1"]);
    let again = tmux.wait_for("hidden again after the next key", |s| {
        !s.contains(NOTE) && !s.contains(GOAL) && s.contains("(hidden)")
    });
    assert!(again.contains("privacy on"), "{again}");

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
