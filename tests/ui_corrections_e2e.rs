//! End to end in a real terminal (tmux): a check-in is voided and another
//! corrected from the peer page's check-in list; the CLI then shows the
//! earlier version in the history, and the service report counts the
//! corrected figures and leaves the voided one out.
//!
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote, tmux_missing};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> Output {
    caseload_ok(dir, args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_correction_and_a_void_in_the_terminal_reach_the_history_and_the_report() {
    if tmux_missing() {
        eprintln!("SKIPPED ui_corrections_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(&data, &["staff", "add", "Jordan Reyes", "--initials", "JR"]);
    cli(
        &data,
        &["peer", "add", "Aroha Wright", "--intake", "2026-01-05"],
    );
    let log = |minutes: &str, note: &str, at: &str| {
        cli(
            &data,
            &[
                "log",
                "P1",
                "--minutes",
                minutes,
                "--note",
                note,
                "--at",
                at,
                "--staff",
                "JR",
            ],
        )
    };
    log("30", "talked about the lease", "yesterday 10:00");
    log("20", "recorded twice", "yesterday 11:00");

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-corr-e2e", &home, "", &program);
    tmux.wait_for("Today", |s| s.contains("Jordan Reyes (JR)"));
    tmux.keys(&["p"]);
    tmux.wait_for("the roster", |s| s.contains("Aroha Wright"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the peer page", |s| s.contains("Last check-ins (2)"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the check-in list", |s| {
        s.contains("Check-ins of Aroha Wright (P1)") && s.contains("C2") && s.contains("C1")
    });

    // The newest (C2) is selected: void it with a reason.
    tmux.keys(&["v"]);
    tmux.wait_for("the reason prompt", |s| s.contains("Void C2: why?"));
    tmux.text("recorded twice by mistake");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the void", |s| {
        s.contains("Voided check-in C2") && s.contains("✗ C2")
    });

    // C1: correct the note and the minutes in the form.
    tmux.keys(&["Down", "e"]);
    tmux.wait_for("the form filled in", |s| {
        s.contains("Correcting check-in C1")
    });
    tmux.text("(corrected) ");
    tmux.keys(&["Tab", "Tab"]);
    tmux.text("45");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the correction", |s| {
        s.contains("Corrected check-in C1 (revision 2") && !s.contains("Correcting check-in")
    });

    // Its full view lists both versions.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the versions", |s| {
        s.contains("Versions: 2 (1 earlier, oldest first)") && s.contains("talked about the lease")
    });
    tmux.keys(&["Escape"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("the peer page again", |s| !s.contains("Check-ins of Aroha"));
    tmux.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while tmux.alive() {
        if Instant::now() > deadline {
            panic!("caseload did not quit:\n{}", tmux.capture());
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    let shown = stdout(&cli(&data, &["checkin", "show", "C1"]));
    assert!(shown.contains("C1 (earlier, revision 1)"), "{shown}");
    assert!(shown.contains("note: talked about the lease"), "{shown}");
    assert!(
        shown.contains("note: (corrected) talked about the lease"),
        "{shown}"
    );
    assert!(shown.contains("minutes: 45"), "{shown}");
    let voided = stdout(&cli(&data, &["checkin", "show", "C2"]));
    assert!(voided.contains("recorded twice by mistake"), "{voided}");

    let report = cli(&data, &["report", "--from", "-7d", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&report.stdout).expect("report JSON");
    assert_eq!(r["checkins"], 1, "the voided one is counted nowhere: {r}");
    assert_eq!(r["minutes"], 45, "the corrected length counts: {r}");
    assert_eq!(r["units"], 3, "45 minutes are 3 units: {r}");
}
