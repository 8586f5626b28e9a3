//! `caseload resource`, `refer`, `referral`, `card` and the referral rows
//! of `today` and `report`, end to end through the binary, with the bad
//! input that must be refused, naming the field, with nothing saved.

use std::os::unix::fs::PermissionsExt;
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

fn fails(dir: &Path, args: &[&str], says: &[&str]) {
    let out = caseload(dir)
        .args(args)
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    for s in says {
        assert!(err.contains(s), "{args:?}: expected {s:?} in {err}");
    }
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(dir, args)).expect("json")
}

fn setup() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(d, &["staff", "add", "Sam Okoye", "--role", "supervisor"]);
    stdout(d, &["peer", "add", "Ana Ruiz"]);
    stdout(d, &["peer", "add", "Bob Stone"]);
    stdout(
        d,
        &[
            "resource",
            "add",
            "Eastside Food Pantry",
            "--category",
            "food",
            "--phone",
            "555-0100",
            "--hours",
            "Mon-Fri 9-5",
            "--notes",
            "STAFF NOTE: ask for Jo",
        ],
    );
    stdout(
        d,
        &[
            "resource",
            "add",
            "988 Lifeline",
            "--category",
            "crisis",
            "--phone",
            "988",
            "--hours",
            "24/7",
        ],
    );
    tmp
}

#[test]
fn resources_are_added_searched_shown_and_edited() {
    let tmp = setup();
    let d = tmp.path();
    let list = json(d, &["resource", "list", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    // Fuzzy, by name or category, accents folded.
    let hits = json(d, &["resource", "list", "pantry", "--json"]);
    assert_eq!(hits[0]["id"], "RS1");
    let hits = json(d, &["resource", "list", "--category", "crisis", "--json"]);
    assert_eq!(hits.as_array().map(Vec::len), Some(1));
    assert_eq!(hits[0]["data"]["name"], "988 Lifeline");
    let shown = stdout(d, &["resource", "show", "RS1"]);
    assert!(shown.contains("Mon-Fri 9-5"), "{shown}");
    stdout(
        d,
        &[
            "resource",
            "edit",
            "pantry",
            "--hours",
            "Mon-Sat 9-5",
            "--after-hours",
            "true",
        ],
    );
    let one = json(d, &["resource", "show", "RS1", "--json"]);
    assert_eq!(one["data"]["hours"], "Mon-Sat 9-5");
    assert_eq!(one["data"]["after_hours"], true);
    assert_eq!(one["meta"]["revision"], 2);
}

#[test]
fn bad_resource_input_names_the_field_and_saves_nothing() {
    let tmp = setup();
    let d = tmp.path();
    fails(d, &["resource", "add", "No category"], &["--category"]);
    fails(
        d,
        &["resource", "add", "Spa", "--category", "spa"],
        &["category", "spa", "housing"],
    );
    fails(
        d,
        &["resource", "add", "   ", "--category", "food"],
        &["name", "must not be empty"],
    );
    fails(
        d,
        &["resource", "add", "Two\nlines", "--category", "food"],
        &["name", "one line"],
    );
    let long = "x".repeat(201);
    fails(
        d,
        &[
            "resource",
            "add",
            "Long",
            "--category",
            "food",
            "--phone",
            &long,
        ],
        &["phone", "limit is 200"],
    );
    fails(
        d,
        &["resource", "edit", "RS9", "--hours", "24/7"],
        &["no resource RS9"],
    );
    fails(
        d,
        &["resource", "show", "nothing like it"],
        &["no resource matches"],
    );
    let list = json(d, &["resource", "list", "--all", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2), "nothing was added");
}

#[test]
fn a_referral_is_made_followed_up_and_listed() {
    let tmp = setup();
    let d = tmp.path();
    let out = stdout(
        d,
        &[
            "refer",
            "ana",
            "pantry",
            "--note",
            "needs food this week",
            "--date",
            "2026-11-01",
        ],
    );
    assert!(out.contains("referral RF1"), "{out}");
    stdout(d, &["refer", "bob", "RS2"]);
    let open = json(d, &["referral", "list", "--open", "--json"]);
    assert_eq!(open.as_array().map(Vec::len), Some(2));
    stdout(
        d,
        &[
            "referral",
            "set",
            "RF1",
            "--status",
            "connected",
            "--note",
            "went on Tuesday",
            "--date",
            "2026-11-05",
        ],
    );
    let open = json(d, &["referral", "list", "--open", "--json"]);
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    assert_eq!(open[0]["id"], "RF2");
    let all = json(d, &["referral", "list", "--peer", "ana", "--json"]);
    let r = &all[0];
    assert_eq!(r["status"], "connected");
    assert_eq!(r["outcome"], "went on Tuesday");
    assert_eq!(r["last_update"], "2026-11-05");
    assert_eq!(r["resource_name"], "Eastside Food Pantry");
    let history = r["data"]["history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["status"], "made");
    assert_eq!(history[0]["date"], "2026-11-01");
    assert_eq!(history[0]["note"], "needs food this week");
}

#[test]
fn bad_referral_input_names_the_field_and_saves_nothing() {
    let tmp = setup();
    let d = tmp.path();
    stdout(d, &["refer", "ana", "pantry", "--date", "2026-11-01"]);
    fails(d, &["refer", "nobody", "pantry"], &["no peer matches"]);
    fails(
        d,
        &["refer", "ana", "no such place"],
        &["no resource matches"],
    );
    fails(
        d,
        &["refer", "ana", "pantry", "--date", "someday"],
        &["--date"],
    );
    fails(
        d,
        &["referral", "set", "RF1", "--status", "lost"],
        &["--status", "lost", "no-response"],
    );
    fails(
        d,
        &["referral", "set", "X1", "--status", "closed"],
        &["referral", "X1"],
    );
    fails(
        d,
        &["referral", "set", "RF7", "--status", "closed"],
        &["RF7"],
    );
    fails(
        d,
        &[
            "referral",
            "set",
            "RF1",
            "--status",
            "closed",
            "--date",
            "2026-10-01",
        ],
        &["date", "before the referral's latest change"],
    );
    stdout(d, &["resource", "edit", "pantry", "--active", "false"]);
    fails(d, &["refer", "bob", "RS1"], &["resource", "inactive"]);
    let all = json(d, &["referral", "list", "--json"]);
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(1),
        "nothing else was saved"
    );
    assert_eq!(all[0]["data"]["history"].as_array().map(Vec::len), Some(1));
    fails(
        d,
        &["settings", "--referral-stale-days", "0"],
        &["referral stale days"],
    );
}

#[test]
fn quiet_referrals_show_on_today_after_the_stale_days_and_count_in_the_report() {
    let tmp = setup();
    let d = tmp.path();
    stdout(d, &["refer", "ana", "pantry", "--date", "2026-11-01"]);
    stdout(d, &["refer", "bob", "988", "--date", "2026-11-01"]);
    stdout(
        d,
        &[
            "referral",
            "set",
            "RF2",
            "--status",
            "declined",
            "--date",
            "2026-11-02",
        ],
    );
    let section = |date: &str| -> Value {
        let t = json(d, &["today", "--date", date, "--json"]);
        t["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["section"] == "referrals-stale")
            .cloned()
            .expect("the referrals section is listed")
    };
    assert_eq!(
        section("2026-11-14")["count"],
        0,
        "13 days is not yet quiet"
    );
    let s = section("2026-11-15");
    assert_eq!(s["count"], 1, "{s}");
    assert_eq!(s["title"], "Referrals to follow up");
    assert_eq!(s["rows"][0]["peer"], "P1");
    assert_eq!(s["rows"][0]["days"], 14);
    assert!(s["rows"][0]["why"].as_str().unwrap_or("").contains("RF1"));
    // The setting moves it.
    stdout(d, &["settings", "--referral-stale-days", "30"]);
    assert_eq!(section("2026-11-15")["count"], 0);
    // The report counts referrals made in the period by category and outcome.
    let r = json(
        d,
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(r["referrals"]["made"], 2);
    assert_eq!(r["referrals"]["open"], 1);
    assert_eq!(r["referrals"]["by_category"]["food"], 1);
    assert_eq!(r["referrals"]["by_category"]["crisis"], 1);
    assert_eq!(r["referrals"]["by_outcome"]["declined"], 1);
    assert_eq!(r["referrals"]["by_outcome"]["made"], 1);
    let csv = stdout(
        d,
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "csv",
        ],
    );
    assert!(csv.contains("referral category,food,made,1"), "{csv}");
    assert!(
        csv.contains("referral outcome,declined,referrals,1"),
        "{csv}"
    );
    let text = stdout(d, &["report", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert!(text.contains("referrals"), "{text}");
}

#[test]
fn the_card_holds_the_peers_own_words_and_crisis_numbers_never_staff_notes() {
    let tmp = setup();
    let d = tmp.path();
    stdout(
        d,
        &[
            "goal",
            "add",
            "ana",
            "Get my own place",
            "--domain",
            "housing",
            "--step",
            "Call the housing office",
        ],
    );
    stdout(
        d,
        &[
            "wellness",
            "add",
            "ana",
            "what-helps",
            "Walking by the river",
        ],
    );
    stdout(
        d,
        &[
            "log",
            "ana",
            "--minutes",
            "20",
            "--note",
            "STAFF NOTE: check-in",
        ],
    );
    let card = stdout(d, &["card", "ana"]);
    for want in [
        "Ana Ruiz",
        "Get my own place",
        "Call the housing office",
        "Walking by the river",
        "988 Lifeline — 988",
        "24/7",
    ] {
        assert!(card.contains(want), "{want:?} missing from\n{card}");
    }
    assert!(!card.contains("STAFF NOTE"), "{card}");
    assert!(
        !card.contains("Eastside"),
        "a daytime food pantry is not a crisis resource"
    );
    for line in card.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    // --out writes it privately, nothing on stdout but where it went.
    let out = d.join("ana-card.txt");
    let said = stdout(d, &["card", "ana", "--out", out.to_str().expect("path")]);
    assert!(said.contains("written to"), "{said}");
    assert_eq!(std::fs::read_to_string(&out).expect("card"), card);
    let mode = std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    fails(d, &["card", "nobody"], &["no peer matches"]);
}

#[test]
fn export_then_import_then_export_is_identical_with_referrals() {
    let tmp = setup();
    let d = tmp.path();
    stdout(
        d,
        &[
            "refer",
            "ana",
            "pantry",
            "--note",
            "first",
            "--date",
            "2026-11-01",
        ],
    );
    stdout(
        d,
        &[
            "referral",
            "set",
            "RF1",
            "--status",
            "no-response",
            "--date",
            "2026-11-03",
        ],
    );
    let first = d.join("one.json");
    stdout(d, &["export", "--out", first.to_str().expect("path")]);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&first).expect("read")).expect("json");
    assert_eq!(doc["resources"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["referrals"].as_array().map(Vec::len), Some(1));
    let other = TempDir::new().expect("dir");
    stdout(other.path(), &["import", first.to_str().expect("path")]);
    let second = d.join("two.json");
    stdout(
        other.path(),
        &["export", "--out", second.to_str().expect("path")],
    );
    let strip = |p: &Path| -> Value {
        let mut v: Value =
            serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json");
        v.as_object_mut().expect("object").remove("exported_at");
        v
    };
    assert_eq!(strip(&first), strip(&second));
    let open = json(other.path(), &["referral", "list", "--open", "--json"]);
    assert_eq!(open[0]["status"], "no-response");
    // A referral to a resource missing from the file is refused whole.
    let mut broken = strip(&first);
    broken["resources"] = Value::Array(Vec::new());
    broken["exported_at"] = Value::String("2026-11-01T00:00:00Z".into());
    let bad = d.join("bad.json");
    std::fs::write(&bad, serde_json::to_string(&broken).expect("json")).expect("write");
    let empty = TempDir::new().expect("dir");
    caseload(empty.path())
        .args(["import", bad.to_str().expect("path")])
        .assert()
        .failure()
        .stderr(predicate::str::contains("referrals[0]").and(predicate::str::contains("resource")));
}
