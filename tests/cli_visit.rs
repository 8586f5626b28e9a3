//! The command-line contract of the front desk: `caseload visit PEER`,
//! `visit list`, `visit out`, `visit code`, `visit intakes`. One visit per
//! peer per day; each bad input gets an error naming what was wrong and
//! writes nothing.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env("CASELOAD_SERVICE_IDLE_SECS", "0");
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

fn fails(dir: &Path, args: &[&str], needle: &str) {
    caseload(dir)
        .args(args)
        .assert()
        .failure()
        .stderr(predicate::str::contains(needle));
}

fn listed(dir: &Path) -> Value {
    serde_json::from_str(&ok(dir, &["visit", "list", "--json"])).expect("json")
}

/// Jürgen Müller (P1), Ana Ruiz (P2), Ana Lopez (P3).
fn center() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    ok(d, &["staff", "add", "Jordan Reyes", "--role", "supervisor"]);
    ok(
        d,
        &["peer", "add", "Jürgen Müller", "--phone", "555 010 2233"],
    );
    ok(d, &["peer", "add", "Ana Ruiz", "--phone", "555 010 1234"]);
    ok(d, &["peer", "add", "Ana Lopez", "--phone", "555 010 4321"]);
    tmp
}

#[test]
fn a_second_sign_in_the_same_day_updates_the_one_visit() {
    let tmp = center();
    let d = tmp.path();
    let out = ok(
        d,
        &["visit", "muller", "--at", "00:00", "--purpose", "Laundry"],
    );
    assert!(out.contains("V1 P1") && out.contains("(laundry)"), "{out}");
    let out = ok(d, &["visit", "P1", "--purpose", "meal"]);
    assert!(
        out.contains("V1") && out.contains("already in today"),
        "{out}"
    );
    let doc = listed(d);
    assert_eq!(doc["count"], 1, "{doc}");
    let v = &doc["visits"][0];
    assert_eq!(v["peer"], "P1");
    assert_eq!(v["name"], "Jürgen Müller");
    assert_eq!(v["time_in"], "00:00", "the first time in is kept");
    assert_eq!(v["purpose"], "meal", "the newer purpose is taken");
    assert!(v.get("time_out").is_none());
    let out = ok(d, &["visit", "out", "jurgen"]);
    assert!(
        out.contains("signed out") && out.contains("in since 00:00"),
        "{out}"
    );
    assert!(listed(d)["visits"][0]["time_out"].is_string());
    // Signing in again opens the visit again.
    ok(d, &["visit", "P1"]);
    assert!(listed(d)["visits"][0].get("time_out").is_none());
    // A visit is not a check-in: no units, nothing in the check-in list.
    let checkins: Value =
        serde_json::from_str(&ok(d, &["checkin", "list", "P1", "--json"])).expect("json");
    assert_eq!(checkins.as_array().map(Vec::len), Some(0), "{checkins}");
}

#[test]
fn bad_inputs_name_what_was_wrong_and_record_nothing() {
    let tmp = center();
    let d = tmp.path();
    fails(d, &["visit", "Ana"], "'Ana' matches 2 peers");
    fails(d, &["visit", "Nobody Here"], "Nobody Here");
    fails(d, &["visit", "P99"], "P99");
    fails(
        d,
        &["visit", "P2", "--purpose", "nap"],
        "'nap' is not one of this center's purposes",
    );
    fails(
        d,
        &["visit", "P2", "--purpose", "nap"],
        "drop-in, computer, laundry, meal, meeting, other",
    );
    fails(d, &["visit", "P2", "--at", "2099-01-01 10:00"], "--at");
    fails(d, &["visit", "P2", "--at", "half past nine"], "--at");
    fails(d, &["visit", "out", "P2"], "did not sign in on");
    fails(d, &["visit", "list", "--date", "someday"], "--date");
    fails(d, &["visit"], "PEER");
    assert_eq!(listed(d)["count"], 0, "nothing was recorded");
    // Control characters are escaped, never printed raw.
    fails(d, &["visit", "P2", "--purpose", "\u{1b}[2Jx"], "\\e[2Jx");
}

#[test]
fn kiosk_codes_are_unique_and_intakes_are_settled_by_staff() {
    let tmp = center();
    let d = tmp.path();
    ok(d, &["visit", "code", "P2", "A-17"]);
    fails(d, &["visit", "code", "P3", "a-17"], "already has this code");
    fails(d, &["visit", "code", "P3", " "], "kiosk code");
    ok(d, &["visit", "code", "P2", "--clear"]);
    ok(d, &["visit", "code", "P3", "a-17"]);
    let out = ok(d, &["visit", "intakes"]);
    assert!(out.contains("Pending intakes (0)"), "{out}");
    fails(
        d,
        &["visit", "intakes", "--resolve", "IN1", "--peer", "P1"],
        "IN1",
    );
    fails(
        d,
        &["visit", "intakes", "--resolve", "P1", "--dismiss"],
        "not a pending intake id",
    );
}

#[test]
fn the_center_sets_its_own_purposes() {
    let tmp = center();
    let d = tmp.path();
    let out = ok(d, &["settings", "--visit-purposes", "Coffee, Shower, meal"]);
    assert!(
        out.contains("visit purposes:         Coffee, Shower, meal"),
        "{out}"
    );
    let out = ok(d, &["visit", "P1", "--purpose", "shower"]);
    assert!(out.contains("(Shower)"), "{out}");
    fails(
        d,
        &["visit", "P2", "--purpose", "laundry"],
        "valid: Coffee, Shower, meal",
    );
    fails(
        d,
        &["settings", "--visit-purposes", "meal,Meal"],
        "listed twice",
    );
    let out = ok(d, &["settings", "--visit-purposes", "default"]);
    assert!(
        out.contains("drop-in, computer, laundry, meal, meeting, other"),
        "{out}"
    );
}
