//! `caseload goal` and `caseload group` end to end, including the bad
//! input that must be refused without saving anything.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR");
    c
}

fn stdout(dir: &Path, args: &[&str]) -> String {
    let out = caseload(dir)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

fn setup() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(d, &["staff", "add", "Sam Okoye", "--role", "supervisor"]);
    stdout(d, &["peer", "add", "Ana Ruiz"]);
    stdout(d, &["peer", "add", "Bob Stone"]);
    tmp
}

#[test]
fn goals_are_added_listed_and_their_status_changes_are_kept() {
    let tmp = setup();
    let d = tmp.path();
    let id = stdout(
        d,
        &[
            "goal",
            "add",
            "ana",
            "Get my own place",
            "--domain",
            "housing",
            "--target",
            "+90d",
            "--review",
            "+14d",
            "--step",
            "Call the housing office",
        ],
    );
    assert_eq!(id.trim(), "G1");
    stdout(d, &["goal", "set", "G1", "--status", "paused"]);
    let out = stdout(d, &["goal", "set", "G1", "--status", "active"]);
    assert!(out.contains("revision 3"), "{out}");
    let goals: Value =
        serde_json::from_str(&stdout(d, &["goal", "list", "P1", "--json"])).expect("json");
    let g = &goals[0]["data"];
    assert_eq!(g["title"], "Get my own place");
    assert_eq!(g["domain"], "housing");
    assert_eq!(g["steps"][0]["text"], "Call the housing office");
    let history: Vec<&str> = g["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["to"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(history, vec!["active", "paused", "active"]);
    let text = stdout(d, &["goal", "list", "ana"]);
    assert!(
        text.contains("G1")
            && text.contains("housing")
            && text.contains("0/1 step")
            && !text.contains("0/1 steps"),
        "{text}"
    );
}

#[test]
fn bad_goal_dates_and_domains_are_refused_and_nothing_is_saved() {
    let tmp = setup();
    let d = tmp.path();
    caseload(d)
        .args([
            "goal",
            "add",
            "P1",
            "Finish my GED",
            "--domain",
            "education",
            "--start",
            "2026-01-10",
            "--target",
            "2026-01-01",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "target date: 2026-01-01 is before the start date 2026-01-10",
        ));
    caseload(d)
        .args([
            "goal",
            "add",
            "P1",
            "Finish my GED",
            "--domain",
            "education",
            "--review",
            "2020-01-01",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "review date: 2020-01-01 is in the past",
        ));
    caseload(d)
        .args([
            "goal",
            "add",
            "P1",
            "Finish my GED",
            "--domain",
            "schooling",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown life domain 'schooling'")
                .and(predicate::str::contains("education")),
        );
    caseload(d)
        .args(["goal", "add", "P1", "  ", "--domain", "education"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("goal title: must not be empty"));
    let goals: Value =
        serde_json::from_str(&stdout(d, &["goal", "list", "P1", "--json"])).expect("json");
    assert_eq!(goals.as_array().map(Vec::len), Some(0));
}

#[test]
fn attendance_is_recorded_and_shows_in_today_and_peer_show() {
    let tmp = setup();
    let d = tmp.path();
    let gid = stdout(
        d,
        &[
            "group",
            "add",
            "Tuesday WRAP group",
            "--weekday",
            "tuesday",
            "--time",
            "14:00",
            "--location",
            "Room 2",
            "--facilitator",
            "SO",
        ],
    );
    assert_eq!(gid.trim(), "GR1");
    // 2026-11-24 is a Tuesday.
    let out = stdout(
        d,
        &[
            "group",
            "attend",
            "wrap",
            "ana",
            "bob",
            "--date",
            "2026-11-24",
        ],
    );
    assert!(out.contains("2 attending"), "{out}");
    let today: Value =
        serde_json::from_str(&stdout(d, &["today", "--date", "2026-11-24", "--json"]))
            .expect("json");
    let groups = today["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == "groups-today")
        .expect("groups section")
        .clone();
    assert_eq!(groups["count"], 1);
    let why = groups["rows"][0]["why"].as_str().unwrap_or("");
    assert!(
        why.contains("14:00 in Room 2") && why.contains("2 attendees"),
        "{why}"
    );
    let show = stdout(d, &["peer", "show", "P2"]);
    assert!(
        show.contains("attended 1 session\n") && show.contains("Tuesday WRAP group on 2026-11-24"),
        "{show}"
    );
    let list = stdout(d, &["group", "list"]);
    assert!(
        list.contains("GR1") && list.contains(" 1 session") && !list.contains("1 sessions"),
        "{list}"
    );
}

#[test]
fn a_duplicate_attendee_refuses_the_whole_request() {
    let tmp = setup();
    let d = tmp.path();
    stdout(d, &["peer", "add", "Cy Young"]);
    stdout(
        d,
        &["group", "add", "Art", "--weekday", "mon", "--time", "10:00"],
    );
    stdout(d, &["group", "attend", "GR1", "P1", "--date", "2026-11-23"]);
    caseload(d)
        .args(["group", "attend", "GR1", "P3", "P1", "--date", "2026-11-23"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("Ana Ruiz (P1) is already checked off")
                .and(predicate::str::contains("nothing was saved")),
        );
    caseload(d)
        .args(["group", "attend", "GR1", "P3", "P3", "--date", "2026-11-23"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("named twice"));
    // Cy was not added half-way.
    let show = stdout(d, &["peer", "show", "P3"]);
    assert!(show.contains("attended 0 sessions"), "{show}");
}

#[test]
fn unknown_weekdays_and_times_are_refused() {
    let tmp = setup();
    caseload(tmp.path())
        .args([
            "group",
            "add",
            "Art",
            "--weekday",
            "funday",
            "--time",
            "10:00",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown weekday 'funday'"));
    caseload(tmp.path())
        .args([
            "group",
            "add",
            "Art",
            "--weekday",
            "monday",
            "--time",
            "25:00",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read '25:00' as a time"));
    let list = stdout(tmp.path(), &["group", "list", "--json"]);
    assert_eq!(list.trim(), "[]");
}
