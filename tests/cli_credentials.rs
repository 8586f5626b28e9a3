//! The command line for staff credentials: `caseload staff cert|ceu|
//! supervision add|list`, `caseload staff credentials [--json]`, Today's
//! Credentials section, and export → import → export. Each bad input gets
//! an error naming the field and writes nothing; whose records a signed-in
//! staff member reaches is the authorizing layer's.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_PIN")
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

fn fails(dir: &Path, args: &[&str], needles: &[&str]) {
    let out = caseload(dir)
        .args(args)
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
    }
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args)).expect("json")
}

/// Pat Peer (S1, peer specialist), Sam Super (S2, supervisor), Ada Admin
/// (S3, admin), Kim Other (S4, peer specialist); no PINs.
fn center() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    ok(d, &["staff", "add", "Pat Peer"]);
    ok(d, &["staff", "add", "Sam Super", "--role", "supervisor"]);
    ok(d, &["staff", "add", "Ada Admin", "--role", "admin"]);
    ok(d, &["staff", "add", "Kim Other"]);
    tmp
}

fn cert_pat(d: &Path) {
    let out = ok(
        d,
        &[
            "staff",
            "cert",
            "add",
            "Pat Peer",
            "--name",
            "CPRS",
            "--issuer",
            "State board",
            "--number",
            "A-123",
            "--issued",
            "2025-03-15",
            "--expires",
            "2027-03-15",
            "--hours",
            "20",
            "--ethics",
            "3",
            "--period-months",
            "24",
        ],
    );
    assert!(out.contains("added CT1 CPRS for S1 Pat Peer"), "{out}");
}

fn standing(d: &Path, date: &str) -> Value {
    let v = json(
        d,
        &["staff", "credentials", "Pat", "--date", date, "--json"],
    );
    v["staff"][0]["certifications"][0].clone()
}

#[test]
fn hours_earned_and_needed_follow_the_current_period() {
    let tmp = center();
    let d = tmp.path();
    cert_pat(d);
    // Before any entry: all 20 hours needed.
    let s = standing(d, "2026-12-01");
    assert_eq!(s["earned"], "0.0");
    assert_eq!(s["needed"], "20.0");
    assert_eq!(s["period"]["start"], "2025-03-15");
    assert_eq!(s["period"]["end"], "2027-03-15");
    assert_eq!(s["expires_in"], 104);
    let out = ok(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "1.5",
            "--title",
            "Ethics in peer work",
            "--category",
            "Ethics",
            "--date",
            "2026-06-01",
            "--provider",
            "State board",
        ],
    );
    assert!(out.contains("added CE1 1.5 hours"), "{out}");
    ok(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "6",
            "--title",
            "WRAP facilitator",
            "--date",
            "2025-04-01",
        ],
    );
    // Before the period: not counted.
    ok(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "4",
            "--title",
            "Old course",
            "--date",
            "2025-03-14",
        ],
    );
    let s = standing(d, "2026-12-01");
    assert_eq!(s["earned"], "7.5");
    assert_eq!(s["ethics_earned"], "1.5");
    assert_eq!(s["needed"], "12.5");
    assert_eq!(s["ethics_needed"], "1.5");
    let text = ok(d, &["staff", "credentials", "--date", "2026-12-01"]);
    assert!(
        text.contains("7.5 of 20.0 hours, ethics 1.5 of 3.0; 12.5 hours still needed by 2027-03-14, 1.5 of them ethics"),
        "{text}"
    );
    assert!(text.contains("expires 2027-03-15, in 104 days"), "{text}");
    // CE list: newest first, the category as typed (lower case).
    let list = json(d, &["staff", "ceu", "list", "Pat", "--json"]);
    let titles: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["data"]["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        titles,
        vec!["Ethics in peer work", "WRAP facilitator", "Old course"]
    );
    assert_eq!(list[0]["data"]["category"], "ethics");
    assert_eq!(list[0]["data"]["hours"], "1.5");
}

#[test]
fn today_shows_expiries_within_60_days_and_hours_needed_and_a_ceu_moves_the_figure() {
    let tmp = center();
    let d = tmp.path();
    cert_pat(d);
    // 2027-01-20 is 54 days before expiry; 2026-12-01 is 104 days.
    let rows = |date: &str| -> Vec<String> {
        let v = json(d, &["today", "--date", date, "--staff", "Pat", "--json"]);
        v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| s["section"] == "credentials-expiring")
            .flat_map(|s| s["rows"].as_array().expect("rows").clone())
            .map(|r| r["why"].as_str().expect("why").to_string())
            .collect()
    };
    assert_eq!(
        rows("2026-12-01"),
        vec!["CPRS: 20.0 hours still needed by 2027-03-14, 3.0 of them ethics".to_string()]
    );
    let soon = rows("2027-01-20");
    assert!(
        soon.contains(&"CPRS (State board) expires 2027-03-15, in 54 days".to_string()),
        "{soon:?}"
    );
    ok(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "2.5",
            "--title",
            "Boundaries",
            "--category",
            "ethics",
            "--date",
            "2026-11-01",
        ],
    );
    assert_eq!(
        rows("2026-12-01"),
        vec!["CPRS: 17.5 hours still needed by 2027-03-14, 0.5 of them ethics".to_string()]
    );
    // The supervisor sees the supervisee's expiry but not their hours.
    ok(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Sam",
            "--minutes",
            "45",
        ],
    );
    let v = json(
        d,
        &["today", "--date", "2027-01-20", "--staff", "Sam", "--json"],
    );
    let sam: Vec<String> = v["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter(|s| s["section"] == "credentials-expiring")
        .flat_map(|s| s["rows"].as_array().expect("rows").clone())
        .map(|r| {
            format!(
                "{}: {}",
                r["name"].as_str().unwrap_or(""),
                r["why"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        sam,
        vec!["Pat Peer: CPRS (State board) expires 2027-03-15, in 54 days".to_string()]
    );
    // Kim supervises nobody: nothing.
    let v = json(
        d,
        &["today", "--date", "2027-01-20", "--staff", "Kim", "--json"],
    );
    let kim = v["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == "credentials-expiring")
        .expect("the section is listed")["count"]
        .clone();
    assert_eq!(kim, 0);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let tmp = center();
    let d = tmp.path();
    cert_pat(d);
    let ceu = |hours: &str| {
        vec![
            "staff".to_string(),
            "ceu".into(),
            "add".into(),
            "Pat".into(),
            "--hours".into(),
            hours.into(),
            "--title".into(),
            "T".into(),
        ]
    };
    for (hours, needle) in [
        ("0", "--hours: 0.0 is out of range; give 0.1 to 24.0 hours"),
        ("-1", "--hours: '-1' is negative"),
        ("24.1", "--hours: 24.1 is out of range"),
        ("1.55", "--hours: '1.55' has more than one decimal place"),
        ("lots", "--hours: 'lots' is not a number of hours"),
    ] {
        let args = ceu(hours);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(d, &args, &[needle]);
    }
    fails(
        d,
        &[
            "staff", "ceu", "add", "Pat", "--hours", "1", "--title", "  ",
        ],
        &["title: must not be empty"],
    );
    fails(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Nobody Known",
            "--hours",
            "1",
            "--title",
            "T",
        ],
        &["STAFF: no staff member matches 'Nobody Known'"],
    );
    fails(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "1",
            "--title",
            "T",
            "--date",
            "not-a-day",
        ],
        &["--date"],
    );
    fails(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Sam",
            "--minutes",
            "0",
        ],
        &["--minutes: 0 is out of range"],
    );
    fails(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Nobody Known",
            "--minutes",
            "30",
        ],
        &["--with: no staff member matches"],
    );
    fails(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Kim",
            "--minutes",
            "30",
        ],
        &["with: S4 Kim Other is a peer specialist; supervision is with a supervisor or admin"],
    );
    fails(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Sam",
            "--with",
            "Sam",
            "--minutes",
            "30",
        ],
        &["with: S2 cannot supervise themselves"],
    );
    fails(
        d,
        &[
            "staff",
            "cert",
            "add",
            "Pat",
            "--name",
            "X",
            "--issued",
            "2025-01-01",
            "--expires",
            "2024-06-01",
        ],
        &["expires: 2024-06-01 is not after the issue date 2025-01-01"],
    );
    fails(
        d,
        &[
            "staff",
            "cert",
            "add",
            "Pat",
            "--name",
            "X",
            "--issued",
            "2025-01-01",
            "--hours",
            "10",
            "--ethics",
            "12",
            "--period-months",
            "24",
        ],
        &["ethics hours: 12.0 is more than the 10.0 hours required"],
    );
    fails(
        d,
        &[
            "staff",
            "cert",
            "add",
            "Pat",
            "--name",
            "X",
            "--issued",
            "2025-01-01",
            "--hours",
            "10",
        ],
        &["--period-months"],
    );
    fails(
        d,
        &[
            "staff",
            "cert",
            "add",
            "Pat",
            "--name",
            "X",
            "--issued",
            "2025-01-01",
            "--hours",
            "10",
            "--period-months",
            "0",
        ],
        &["period: 0 months is out of range"],
    );
    // Nothing was written.
    assert_eq!(
        json(d, &["staff", "ceu", "list", "Pat", "--json"]),
        Value::Array(vec![])
    );
    assert_eq!(
        json(d, &["staff", "supervision", "list", "Pat", "--json"]),
        Value::Array(vec![])
    );
    assert_eq!(
        json(d, &["staff", "cert", "list", "Pat", "--json"])
            .as_array()
            .expect("array")
            .len(),
        1
    );
    // The other staff subcommands still work beside the new ones.
    let list = ok(d, &["staff", "list"]);
    assert!(list.contains("Kim Other"), "{list}");
    ok(d, &["staff", "edit", "Kim", "--initials", "KO"]);
}

#[test]
fn export_import_export_is_identical_with_credentials() {
    let tmp = center();
    let d = tmp.path();
    cert_pat(d);
    ok(
        d,
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "1.5",
            "--title",
            "Ethics",
            "--category",
            "ethics",
            "--date",
            "2026-06-01",
        ],
    );
    ok(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Sam",
            "--minutes",
            "50",
            "--kind",
            "group",
            "--note",
            "caseload size",
            "--date",
            "2026-06-02",
        ],
    );
    let first = tmp.path().join("first.json");
    ok(d, &["export", "--out", first.to_str().expect("path")]);
    let dst = TempDir::new().expect("dst");
    ok(dst.path(), &["import", first.to_str().expect("path")]);
    let second = tmp.path().join("second.json");
    ok(
        dst.path(),
        &["export", "--out", second.to_str().expect("path")],
    );
    let read = |p: &Path| -> Value {
        let mut v: Value =
            serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json");
        v.as_object_mut().expect("object").remove("exported_at");
        v
    };
    let (a, b) = (read(&first), read(&second));
    assert_eq!(a["certifications"].as_array().map(Vec::len), Some(1));
    assert_eq!(a["ceu_entries"][0]["data"]["hours"], "1.5");
    assert_eq!(a["supervisions"][0]["data"]["note"], "caseload size");
    assert_eq!(a["supervisions"][0]["data"]["mode"], "group");
    assert_eq!(a, b, "export → import → export is identical");
    // The imported store carries on: the next ids follow the imported.
    let out = ok(
        dst.path(),
        &[
            "staff", "ceu", "add", "Pat", "--hours", "1", "--title", "Next",
        ],
    );
    assert!(out.contains("added CE2"), "{out}");
    // The imported records are found by staff member (their index too).
    let listed = json(dst.path(), &["staff", "ceu", "list", "Pat", "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
    let certs = json(dst.path(), &["staff", "cert", "list", "Pat", "--json"]);
    assert_eq!(certs.as_array().map(Vec::len), Some(1), "{certs}");
    let sv = json(
        dst.path(),
        &["staff", "supervision", "list", "Pat", "--json"],
    );
    assert_eq!(sv[0]["data"]["note"], "caseload size", "{sv}");
    // An export without the new arrays (an older one) still imports.
    let mut old = read(&first);
    for k in ["certifications", "ceu_entries", "supervisions"] {
        old.as_object_mut().expect("object").remove(k);
    }
    let older = tmp.path().join("older.json");
    std::fs::write(&older, old.to_string()).expect("write");
    let third = TempDir::new().expect("third");
    ok(third.path(), &["import", older.to_str().expect("path")]);
    assert_eq!(
        json(third.path(), &["staff", "ceu", "list", "Pat", "--json"]),
        Value::Array(vec![])
    );
}

fn set_pin(d: &Path, who: &str, pin: &str) {
    caseload(d)
        .args(["staff", "set-pin", who, "--pin-stdin"])
        .env("CASELOAD_STAFF", "Ada Admin")
        .env("CASELOAD_PIN", "1111")
        .write_stdin(format!("{pin}\n"))
        .assert()
        .success();
}

fn as_(d: &Path, who: &str, pin: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    caseload(d)
        .args(args)
        .env("CASELOAD_STAFF", who)
        .env("CASELOAD_PIN", pin)
        .assert()
}

#[test]
fn signed_in_staff_reach_their_own_their_supervisees_or_everyones() {
    let tmp = center();
    let d = tmp.path();
    cert_pat(d);
    ok(
        d,
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Sam",
            "--minutes",
            "60",
            "--note",
            "between Pat and Sam",
        ],
    );
    // Ada first (the admin), then the others.
    caseload(d)
        .args(["staff", "set-pin", "Ada Admin", "--pin-stdin"])
        .write_stdin("1111\n")
        .assert()
        .success();
    set_pin(d, "Pat Peer", "3333");
    set_pin(d, "Sam Super", "2222");
    set_pin(d, "Kim Other", "4444");
    // Kim sees only Kim: Pat's list is refused, the overview is empty.
    as_(
        d,
        "Kim Other",
        "4444",
        &["staff", "cert", "list", "Pat", "--json"],
    )
    .failure()
    .stderr(predicate::str::contains(
        "keeping another staff member's credentials is for admin only",
    ));
    let out = as_(d, "Kim Other", "4444", &["staff", "credentials", "--json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["staff"], Value::Array(vec![]));
    // Kim cannot record hours for Pat either; nothing is written.
    as_(
        d,
        "Kim Other",
        "4444",
        &["staff", "ceu", "add", "Pat", "--hours", "1", "--title", "T"],
    )
    .failure()
    .stderr(predicate::str::contains("is for admin only"));
    // Sam (Pat's supervisor) sees Pat, with the note of their own session.
    let out = as_(
        d,
        "Sam Super",
        "2222",
        &["staff", "supervision", "list", "Pat", "--json"],
    )
    .success()
    .get_output()
    .stdout
    .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v[0]["data"]["note"], "between Pat and Sam");
    // Sam may record Pat's hours.
    as_(
        d,
        "Sam Super",
        "2222",
        &[
            "staff",
            "ceu",
            "add",
            "Pat",
            "--hours",
            "2",
            "--title",
            "Team training",
        ],
    )
    .success();
    // Pat records a session with Ada: Sam sees it, without its note.
    as_(
        d,
        "Pat Peer",
        "3333",
        &[
            "staff",
            "supervision",
            "add",
            "Pat",
            "--with",
            "Ada",
            "--minutes",
            "30",
            "--note",
            "between Pat and Ada",
        ],
    )
    .success();
    let out = as_(
        d,
        "Sam Super",
        "2222",
        &["staff", "supervision", "list", "Pat", "--json"],
    )
    .success()
    .get_output()
    .stdout
    .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    let notes: Vec<Value> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["data"]["note"].clone())
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(
        notes.contains(&Value::from("between Pat and Sam")),
        "{notes:?}"
    );
    assert!(notes.contains(&Value::Null), "{notes:?}");
    assert!(!String::from_utf8_lossy(&out).contains("between Pat and Ada"));
    // Ada (admin) sees everyone's, every note.
    let out = as_(
        d,
        "Ada Admin",
        "1111",
        &["staff", "supervision", "list", "Pat", "--json"],
    )
    .success()
    .get_output()
    .stdout
    .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("between Pat and Ada") && text.contains("between Pat and Sam"),
        "{text}"
    );
    // Refusals are on the audit trail.
    let audit = as_(d, "Ada Admin", "1111", &["audit", "--json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let audit = String::from_utf8_lossy(&audit);
    assert!(
        audit.contains("certifications") && audit.contains("create_ceu"),
        "{audit}"
    );
}
