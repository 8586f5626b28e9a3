//! End to end in a real terminal: tmux runs the built binary on a demo
//! store; keys typed into it open today's session of a group, check a peer
//! off by fuzzy search, add a walk-in with just a name, set a topic and
//! save (after a first walk-in in a session left unsaved, who must leave
//! no peer behind) — and the command line then finds that attendance in `caseload
//! today --json` (the attendee count) and `caseload peer show` (the
//! session on each peer's record).
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote, stdout_of};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> String {
    stdout_of(&caseload_ok(dir, args, &[]))
}

#[test]
fn attendance_recorded_in_the_terminal_is_found_by_the_command_line() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_groups_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(
        &data,
        &[
            "demo",
            "--peers",
            "30",
            "--checkins",
            "200",
            "--as-of",
            "2026-11-23",
        ],
    );
    let quinn = cli(&data, &["--staff", "JR", "peer", "add", "Quinn Testperson"]);
    let quinn = quinn.trim().to_string();
    assert!(quinn.starts_with('P'), "{quinn}");
    // The UI's "today" is the machine's; so is the command line's.
    let today = chrono::Local::now().date_naive().to_string();

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-groups-e2e", &home, "", &program);
    tmux.wait_for("Today", |s| {
        s.contains("Follow-ups due (") && s.contains("Jordan Reyes (JR)")
    });

    // G: the Groups screen; Enter: today's session of the first group.
    tmux.keys(&["G"]);
    tmux.wait_for("the group list", |s| {
        s.contains("Groups · ") && s.contains(" recorded")
    });
    tmux.keys(&["Enter"]);
    // Opening records nothing yet (issue 11): the header says the session
    // is new and is saved with its attendance.
    let header = |l: &str| l.contains(" · session GS") || l.contains(" · new session");
    let session = tmux.wait_for("the session", |s| {
        s.contains("Attending (") && s.lines().any(header)
    });
    let group = session
        .lines()
        .find(|l| header(l))
        .and_then(|l| l.split(" · ").next())
        .expect("session header")
        .trim()
        .to_string();
    assert!(session.contains("Attending (0): nobody yet"), "{session}");

    // A walk-in in a session left without saving leaves no peer behind
    // (issue 11): checked off by name, then the session is discarded.
    tmux.keys(&["C-n"]);
    tmux.wait_for("the walk-in form", |s| {
        s.contains("Walk-in: add a new peer")
    });
    tmux.text("Casey Discarded");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the walk-in checked off by name", |s| {
        s.contains("Attending (1) (+1 −0 not saved): Casey Discarded (new)")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the question before discarding", |s| {
        s.contains("Leave this session?")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the group list again", |s| {
        s.contains("Groups · ") && !s.contains("Attending (")
    });
    tmux.keys(&["Enter"]);
    let again = tmux.wait_for("the same session, still empty", |s| {
        s.contains("Attending (0): nobody yet") && s.lines().any(header)
    });
    assert!(again.contains(&group), "{again}");

    // Fuzzy search, Enter checks off.
    tmux.text("quinn test");
    tmux.wait_for("the search", |s| s.contains("[ ] Quinn Testperson"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Quinn checked off", |s| {
        s.contains("Attending (1) (+1 −0 not saved): Quinn Testperson")
    });

    // A walk-in, with just a name.
    tmux.keys(&["C-n"]);
    tmux.wait_for("the walk-in form", |s| {
        s.contains("Walk-in: add a new peer")
    });
    tmux.text("Robin Walkin");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the walk-in added and checked off", |s| {
        s.contains("Attending (2) (+2 −0 not saved): Quinn Testperson, Robin Walkin (new)")
            && !s.contains("Walk-in: add a new peer")
    });

    // Topic, then save.
    tmux.keys(&["Tab"]);
    tmux.text("e2e: collage");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the save confirmation", |s| {
        s.contains(&format!("Saved attendance: 2 at {group}")) && s.contains("Attending (2): Quinn")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list with today's count", |s| {
        s.contains("today: 2 attending")
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

    // `caseload today` counts the attendees of today's session.
    let json: serde_json::Value =
        serde_json::from_str(&cli(&data, &["today", "--json", "--date", &today])).expect("JSON");
    let groups_today = json["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["title"] == "Groups today")
        .expect("groups today section");
    let row = groups_today["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == group.as_str())
        .unwrap_or_else(|| panic!("{group} not under Groups today: {groups_today}"));
    let why = row["why"].as_str().unwrap_or_default();
    assert!(why.contains("session recorded, 2 attendees"), "{why}");

    // Each peer's record shows the session.
    for who in [quinn.as_str(), "Robin Walkin"] {
        let show = cli(&data, &["peer", "show", who]);
        assert!(
            show.contains("Groups: attended 1 session\n"),
            "{who}: {show}"
        );
        assert!(
            show.contains(&format!("last: {group} on {today}")),
            "{who}: {show}"
        );
    }
    // The discarded walk-in never joined the roster; the saved one did.
    let roster = cli(&data, &["peer", "list"]);
    assert!(!roster.contains("Casey Discarded"), "{roster}");
    assert!(roster.contains("Robin Walkin"), "{roster}");
    // And the topic was saved with it.
    let export: serde_json::Value =
        serde_json::from_str(&cli(&data, &["export"])).expect("export JSON");
    let saved: Vec<&serde_json::Value> = export["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["data"]["topic"] == "e2e: collage")
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["data"]["date"], today.as_str());
    assert_eq!(
        saved[0]["data"]["attendees"].as_array().map(Vec::len),
        Some(2)
    );
}
