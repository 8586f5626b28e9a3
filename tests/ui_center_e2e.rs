//! End to end in a real terminal (tmux runs the built binary): an empty
//! store is set up entirely through the UI — the center, its first admin
//! with a PIN, a roster imported from the set-up, a peer added on Peers —
//! up to a saved check-in that `caseload export` shows; a possible
//! duplicate is offered when adding a peer and when adding a walk-in; and
//! the Staff screen adds a member with a PIN, deactivates them, and
//! refuses to deactivate the last admin who can sign in, saying why.
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{launch, quote, Tmux};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");
const PIN: &str = "2468";

/// Runs the CLI as the admin set up in the UI (its PIN from the
/// environment, as scripts give it).
fn cli(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .arg("--staff")
        .arg("RP")
        .args(args)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env("CASELOAD_PIN", PIN)
        .output()
        .expect("run caseload");
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn skip(name: &str) -> bool {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED {name}: tmux is not installed");
        return true;
    }
    false
}

/// Starts the UI on `data` (no `--staff`: the set-up or sign-in decides).
fn start(name: &str, tmp: &Path, data: &Path) -> Tmux {
    let home = tmp.join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    let program = format!("{} --data-dir {}", quote(Path::new(BIN)), quote(data));
    launch(name, &home, "", &program)
}

/// Fills the set-up (PIN typed twice), optionally choosing the import.
fn set_up(tmux: &Tmux, import: bool) {
    tmux.wait_for("the set-up", |s| s.contains("Welcome: set up your center"));
    tmux.text("Harbour Peer Center");
    tmux.keys(&["Tab"]);
    tmux.text("Rangi Parata");
    tmux.keys(&["Tab", "Tab"]);
    tmux.text(PIN);
    tmux.keys(&["Tab"]);
    tmux.text(PIN);
    let typed = tmux.wait_for("the PIN as dots", |s| s.contains("••••"));
    assert!(!typed.contains(PIN), "a PIN is never drawn:\n{typed}");
    if import {
        tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Right"]);
        tmux.wait_for("the import choice", |s| {
            s.contains("import a roster (CSV) next")
        });
    }
    tmux.keys(&["C-s"]);
    tmux.wait_for("the admin signed in", |s| {
        s.contains("Welcome, Rangi Parata") || s.contains("Import peers from a CSV file")
    });
}

fn quit(tmux: &Tmux) {
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

#[test]
fn an_empty_store_is_set_up_in_the_ui_up_to_a_check_in_that_export_shows() {
    if skip("ui_center_e2e") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let tmux = start("caseload-center-e2e", tmp.path(), &data);
    set_up(&tmux, true);

    // The import offered by the set-up: the dry run first, then yes.
    tmux.wait_for("the import prompt", |s| {
        s.contains("Import peers from a CSV file")
    });
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/roster_clean.csv");
    tmux.text(&csv.display().to_string());
    tmux.keys(&["Enter"]);
    tmux.wait_for("the dry run", |s| {
        s.contains("3 to add") && s.contains("y imports")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the import", |s| s.contains("Imported 3 peer(s)"));

    // A peer added on Peers, then a check-in with them from their page.
    tmux.keys(&["n"]);
    tmux.wait_for("the add-peer form", |s| s.contains("Add a peer"));
    tmux.text("Aroha Wright");
    tmux.keys(&["Tab"]);
    tmux.text("she/her");
    tmux.keys(&["C-s"]);
    tmux.wait_for("her page", |s| {
        s.contains("Added Aroha Wright (P") && s.contains("Aroha Wright (P4) · she/her")
    });
    tmux.keys(&["c"]);
    tmux.wait_for("the picker", |s| s.contains("New check-in"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the form", |s| s.contains("Check-in with Aroha Wright"));
    let note = "e2e: first day at the center, wants to join the art group";
    tmux.text(note);
    tmux.keys(&["C-s"]);
    tmux.wait_for("the save", |s| s.contains("Saved check-in C"));
    quit(&tmux);

    let export = cli(&data, &["export"]);
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).expect("export is JSON");
    let saved: Vec<&serde_json::Value> = json["checkins"]
        .as_array()
        .expect("check-ins listed")
        .iter()
        .filter(|c| c["data"]["note"] == note)
        .collect();
    assert_eq!(saved.len(), 1, "the note is saved exactly once");
    assert_eq!(saved[0]["data"]["peer"], "P4");
    assert_eq!(saved[0]["data"]["staff"], "S1");
    let peers = json["peers"].as_array().expect("peers listed");
    assert_eq!(peers.len(), 4, "three imported and one added");
    assert!(
        peers
            .iter()
            .any(|p| p["data"]["display_name"] == "Aroha Wright"
                && p["data"]["pronouns"] == "she/her")
    );
    let staff = json["staff"].as_array().expect("staff listed");
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0]["data"]["role"], "admin");
    assert_eq!(json["settings"]["organization_name"], "Harbour Peer Center");
}

#[test]
fn a_possible_duplicate_is_offered_when_adding_a_peer_and_a_walk_in() {
    if skip("ui_center_e2e") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let tmux = start("caseload-center-dup-e2e", tmp.path(), &data);
    set_up(&tmux, false);
    tmux.keys(&["p", "n"]);
    tmux.wait_for("the add-peer form", |s| s.contains("Add a peer"));
    tmux.text("Aroha Wright");
    tmux.keys(&["Tab"]);
    tmux.text("she/her");
    tmux.keys(&["C-s"]);
    tmux.wait_for("her page", |s| s.contains("Added Aroha Wright (P1)"));

    // The same name in other letters: offered, and n adds nobody new here
    // because y is chosen.
    tmux.keys(&["p", "n"]);
    tmux.wait_for("the add-peer form", |s| s.contains("Add a peer"));
    tmux.text("AROHA wright");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the offer", |s| {
        s.contains("Aroha Wright (P1) already exists: use her?")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("her page again", |s| {
        s.contains("Aroha Wright (P1) · she/her") && !s.contains("Add a peer")
    });

    // A group meeting today, then a walk-in with her name.
    let weekday = chrono::Local::now().format("%a").to_string();
    let group = cli(
        &data,
        &[
            "group",
            "add",
            "Art group",
            "--weekday",
            &weekday,
            "--time",
            "10:00",
        ],
    );
    assert!(String::from_utf8_lossy(&group.stdout)
        .trim()
        .starts_with("GR"));
    tmux.keys(&["G"]);
    tmux.wait_for("the group list", |s| s.contains("Art group"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the session", |s| s.contains("Attending ("));
    tmux.keys(&["C-n"]);
    tmux.wait_for("the walk-in form", |s| {
        s.contains("Walk-in: add a new peer")
    });
    tmux.text("aroha wright");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the walk-in offer", |s| {
        s.contains("Aroha Wright (P1) already exists: use her?")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("her checked off", |s| {
        s.contains("Attending (1) (+1 −0 not saved): Aroha Wright")
    });
    tmux.keys(&["C-s"]);
    tmux.wait_for("the save", |s| {
        s.contains("Saved attendance: 1 at Art group")
    });
    tmux.keys(&["Escape"]);
    // Wait for the list: an Esc and a q read together are Alt-q.
    tmux.wait_for("the group list", |s| {
        s.contains("Art group") && !s.contains("Attending (")
    });
    quit(&tmux);
    let export = cli(&data, &["export"]);
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).expect("export is JSON");
    assert_eq!(
        json["peers"].as_array().map(Vec::len),
        Some(1),
        "neither the add nor the walk-in made a second Aroha"
    );
}

#[test]
fn staff_add_pin_deactivate_and_the_last_admin_refusal() {
    if skip("ui_center_e2e") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let tmux = start("caseload-center-staff-e2e", tmp.path(), &data);
    set_up(&tmux, false);
    tmux.keys(&["S"]);
    tmux.wait_for("the Staff screen", |s| {
        s.contains("Staff") && s.contains("Rangi Parata") && s.contains("PIN set")
    });
    // Deactivating the only admin: asked, then refused with the reason.
    tmux.keys(&["d"]);
    tmux.wait_for("the question", |s| {
        s.contains("Deactivate Rangi Parata (S1)?")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the refusal with its whole reason", |s| {
        s.contains("Not saved: this change would leave no active admin")
            && s.contains("make someone else an admin")
            && s.contains("with a PIN first (changing Rangi Parata)")
    });
    // Add Mia with a PIN typed twice, then deactivate her.
    tmux.keys(&["a"]);
    tmux.wait_for("the staff form", |s| s.contains("Add a staff member"));
    tmux.text("Mia Chen");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab"]);
    tmux.text("1357");
    tmux.keys(&["Tab"]);
    tmux.text("1357");
    let typed = tmux.wait_for("dots", |s| s.matches("••••").count() >= 2);
    assert!(!typed.contains("1357"), "{typed}");
    tmux.keys(&["C-s"]);
    // Saved, and listed: the list is reloaded after the save's answer, and
    // it keeps the selected row by id, so Home before it would select
    // Rangi (then the only row) and stay there.
    tmux.wait_for("Mia added and listed", |s| {
        s.contains("Saved S2 Mia Chen (MC, peer specialist)") && s.contains("S2   MC   Mia Chen")
    });
    tmux.keys(&["Home"]); // by name: Mia Chen first
    tmux.wait_for("Mia selected", |s| s.contains("▸ S2"));
    tmux.keys(&["d"]);
    tmux.wait_for("the question", |s| s.contains("Deactivate Mia Chen (S2)?"));
    tmux.keys(&["y"]);
    tmux.wait_for("Mia inactive", |s| {
        s.contains("no PIN · inactive") || s.contains("PIN set · inactive")
    });
    tmux.keys(&["Escape"]);
    quit(&tmux);
    let out = cli(&data, &["staff", "list", "--json"]);
    let staff: serde_json::Value = serde_json::from_slice(&out.stdout).expect("staff JSON");
    let list = staff.as_array().expect("a list");
    assert_eq!(list.len(), 2);
    let mia = list
        .iter()
        .find(|s| s["data"]["name"] == "Mia Chen")
        .expect("Mia listed");
    assert_eq!(mia["data"]["active"], false);
    assert!(mia["data"]["pin_hash"].is_string(), "her PIN was set");
    let rangi = list
        .iter()
        .find(|s| s["data"]["name"] == "Rangi Parata")
        .expect("Rangi listed");
    assert_eq!(rangi["data"]["active"], true);
}
