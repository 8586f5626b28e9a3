//! The command line's fixes from the trial (issue 11, items 6 and 7):
//! choices listed in `--help` (clap `ValueEnum`s) with every spelling
//! still accepted; `--data-dir` naming a file says it is not a directory
//! and writes nothing; `CASELOAD_DATA_DIR` does not make usage lines show
//! `--data-dir` as required; `--staff` before the subcommand; bad input to
//! `checkin edit|void` names the field and writes nothing.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn bare() -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env("CASELOAD_SERVICE_IDLE_SECS", "0");
    c
}

fn caseload(dir: &Path) -> Command {
    let mut c = bare();
    c.arg("--data-dir").arg(dir);
    c
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = caseload(dir)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn help_lists_the_valid_choices() {
    let help = |args: &[&str]| {
        let out = bare()
            .args(args)
            .arg("--help")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("utf-8")
    };
    let log = help(&["log"]);
    for v in [
        "in-person",
        "phone",
        "video",
        "outreach",
        "emotional",
        "informational",
        "instrumental",
        "affiliational",
    ] {
        assert!(log.contains(v), "log --help lists {v}:\n{log}");
    }
    let edit = help(&["checkin", "edit"]);
    assert!(
        edit.contains("Possible values") && edit.contains("outreach"),
        "{edit}"
    );
    let staff = help(&["staff", "add"]);
    for v in ["peer-specialist", "supervisor", "admin"] {
        assert!(staff.contains(v), "staff add --help lists {v}:\n{staff}");
    }
    let report = help(&["report"]);
    for v in ["table", "csv", "json"] {
        assert!(report.contains(v), "{report}");
    }
}

#[test]
fn every_spelling_accepted_before_still_is_and_a_wrong_one_names_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "staff",
            "add",
            "Jordan Reyes",
            "--initials",
            "JR",
            "--role",
            "Peer Specialist",
        ],
    );
    ok(
        d,
        &["staff", "add", "Sam Okafor", "--role", "peer_specialist"],
    );
    ok(
        d,
        &["peer", "add", "Aroha Wright", "--intake", "2026-01-05"],
    );
    ok(
        d,
        &[
            "log",
            "P1",
            "--staff",
            "JR",
            "--mode",
            "In Person",
            "--support",
            "Emotional",
            "--minutes",
            "15",
        ],
    );
    caseload(d)
        .args(["log", "P1", "--staff", "JR", "--mode", "telepathy"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("--mode").and(predicate::str::contains("valid: in-person")),
        );
    assert_eq!(
        ok(d, &["checkin", "list", "P1", "--json"])
            .matches("\"C")
            .count(),
        1,
        "nothing more saved"
    );
}

#[test]
fn a_data_dir_that_is_a_file_is_named_as_not_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    caseload(&file)
        .args(["peer", "list"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("not a directory").and(predicate::str::contains("notes.txt")),
        );
    bare()
        .env("CASELOAD_DATA_DIR", &file)
        .args(["peer", "add", "Aroha"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a directory"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "mine",
        "the file is left alone"
    );
}

#[test]
fn the_environment_variable_does_not_show_data_dir_as_required() {
    let dir = tempfile::tempdir().unwrap();
    let out = bare()
        .env("CASELOAD_DATA_DIR", dir.path())
        .args(["log"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    let usage = err
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .expect("a usage line");
    assert!(!usage.contains("--data-dir"), "{err}");
    assert!(usage.contains("<PEER>"), "{err}");
    // And the variable still chooses the store.
    bare()
        .env("CASELOAD_DATA_DIR", dir.path())
        .args(["peer", "add", "Aroha"])
        .assert()
        .success();
    assert!(ok(dir.path(), &["peer", "list"]).contains("Aroha"));
}

#[test]
fn staff_before_the_subcommand_works_as_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["staff", "add", "Jordan Reyes", "--initials", "JR"]);
    ok(d, &["staff", "add", "Sam Okafor", "--initials", "SO"]);
    ok(
        d,
        &["peer", "add", "Aroha Wright", "--intake", "2026-01-05"],
    );
    ok(
        d,
        &[
            "--staff",
            "SO",
            "log",
            "P1",
            "--minutes",
            "15",
            "--at",
            "yesterday 10:00",
        ],
    );
    let listed = ok(d, &["checkin", "show", "C1"]);
    assert!(
        listed.contains("staff: S2"),
        "credited to --staff SO: {listed}"
    );
    ok(
        d,
        &[
            "--staff",
            "SO",
            "checkin",
            "void",
            "C1",
            "--reason",
            "recorded twice",
        ],
    );
    let shown = ok(d, &["checkin", "show", "C1"]);
    assert!(shown.contains("recorded twice"), "{shown}");
}

#[test]
fn bad_corrections_name_the_field_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["staff", "add", "Jordan Reyes", "--initials", "JR"]);
    ok(
        d,
        &["peer", "add", "Aroha Wright", "--intake", "2026-01-05"],
    );
    ok(
        d,
        &[
            "log",
            "P1",
            "--staff",
            "JR",
            "--minutes",
            "15",
            "--at",
            "yesterday 10:00",
            "--note",
            "kept",
        ],
    );
    let before = ok(d, &["checkin", "show", "C1", "--json"]);
    for (args, field) in [
        (vec!["checkin", "void", "C1", "--reason", "  "], "reason"),
        (
            vec!["checkin", "edit", "C1", "--mode", "carrier-pigeon"],
            "--mode",
        ),
        (
            vec!["checkin", "edit", "C1", "--support", "moral"],
            "--support",
        ),
        (vec!["checkin", "edit", "C1"], "nothing to change"),
        (vec!["checkin", "edit", "C9", "--note", "x"], "C9"),
    ] {
        caseload(d)
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(field));
    }
    assert_eq!(
        ok(d, &["checkin", "show", "C1", "--json"]),
        before,
        "nothing written"
    );
}
