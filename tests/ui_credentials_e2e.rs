//! End to end in a real terminal: tmux runs the built binary on a store
//! where Pat holds a certification asking 20 CE hours per two years. Today
//! says 20.0 hours are still needed; `C` opens the Credentials screen, `a`
//! adds 1.5 hours, and both the screen and Today then say 18.5 — as
//! `caseload staff credentials --json` does afterwards.
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::Command;

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote, stdout_of};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> String {
    stdout_of(&caseload_ok(
        dir,
        args,
        &[("CASELOAD_SERVICE_IDLE_SECS", "0")],
    ))
}

#[test]
fn a_ce_entry_made_in_the_ui_moves_the_hours_needed_on_the_screen_and_on_today() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_credentials_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    let today = chrono::Local::now().date_naive();
    let issued = today - chrono::Duration::days(200);
    let expires = issued + chrono::Duration::days(730);
    cli(&data, &["staff", "add", "Pat Peer"]);
    cli(
        &data,
        &[
            "staff",
            "cert",
            "add",
            "PP",
            "--name",
            "CPRS",
            "--issuer",
            "State board",
            "--issued",
            &issued.to_string(),
            "--expires",
            &expires.to_string(),
            "--hours",
            "20",
            "--ethics",
            "3",
            "--period-months",
            "24",
        ],
    );
    let program = format!(
        "{} --data-dir {} --staff PP",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-credentials-e2e", &home, "", &program);
    tmux.wait_for("Today with the hours still needed", |s| {
        s.contains("Credentials (1)") && s.contains("CPRS: 20.0 hours still needed")
    });
    tmux.keys(&["C"]);
    tmux.wait_for("the Credentials screen", |s| {
        s.contains("Credentials · Pat Peer") && s.contains("0.0 of 20.0 h")
    });
    tmux.keys(&["a"]);
    tmux.wait_for("the CE form", |s| s.contains("CE hours for Pat Peer"));
    tmux.text("1.5");
    tmux.keys(&["Tab"]);
    tmux.text("Boundaries in peer work");
    tmux.keys(&["C-s"]);
    let shown = tmux.wait_for("the new figure on the screen", |s| {
        s.contains("1.5 of 20.0 h") && s.contains("18.5 hours still needed")
    });
    assert!(shown.contains("Boundaries in peer work"), "{shown}");
    tmux.keys(&["g"]);
    tmux.wait_for("the new figure on Today", |s| {
        s.contains("CPRS: 18.5 hours still needed")
    });
    tmux.keys(&["q"]);
    // What the screen showed is what the command line reports.
    let mut json = String::new();
    for _ in 0..100 {
        let out = Command::new(BIN)
            .arg("--data-dir")
            .arg(&data)
            .args(["staff", "credentials", "PP", "--json"])
            .env_remove("CASELOAD_STAFF")
            .env("CASELOAD_SERVICE_IDLE_SECS", "0")
            .output()
            .expect("run caseload");
        if out.status.success() {
            json = String::from_utf8_lossy(&out.stdout).into_owned();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let v: serde_json::Value = serde_json::from_str(&json).expect("credentials json");
    assert_eq!(v["staff"][0]["certifications"][0]["needed"], "18.5", "{v}");
}
