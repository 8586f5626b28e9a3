//! `caseload consent` and the disclosures of `export --for` and
//! `report --for`, end to end: the contract of the issue, the bad input
//! that must be refused naming the field with nothing written, and the
//! gate (no disclosure without an active consent covering the recipient
//! and what is included; each one recorded, with the Part 2 notice on top).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env_remove("CASELOAD_PIN");
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

/// Runs a command that must fail; its standard error.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = caseload(dir)
        .args(args)
        .assert()
        .failure()
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "nothing printed: {:?}", out.stdout);
    String::from_utf8(out.stderr).expect("utf-8")
}

fn setup() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(d, &["staff", "add", "Sam Okoye", "--role", "supervisor"]);
    stdout(d, &["peer", "add", "Ana Ruiz", "--phone", "555-0101"]);
    stdout(d, &["peer", "add", "Bob Stone"]);
    stdout(
        d,
        &[
            "log",
            "ana",
            "--minutes",
            "30",
            "--note",
            "talked about the lease",
        ],
    );
    tmp
}

fn add_harbor(d: &Path) -> String {
    stdout(
        d,
        &[
            "consent",
            "add",
            "ana",
            "--to",
            "Harbor Housing",
            "--purpose",
            "housing application",
            "--shares",
            "contact-details",
            "--shares",
            "attendance",
            "--signed",
            "-7d",
            "--expires",
            "+20d",
        ],
    )
    .trim()
    .to_string()
}

fn consents_json(d: &Path) -> Value {
    serde_json::from_str(&stdout(d, &["consent", "list", "--json"])).expect("json")
}

#[test]
fn a_consent_is_added_listed_and_revoked_with_its_state() {
    let tmp = setup();
    let d = tmp.path();
    assert_eq!(add_harbor(d), "CN1");
    let id = stdout(
        d,
        &[
            "consent",
            "add",
            "P1",
            "--to",
            "Dana Ruiz",
            "--recipient-kind",
            "person",
            "--purpose",
            "family support",
            "--shares",
            "goals,attendance",
            "--signed",
            "today",
            "--until-event",
            "my court case closes",
        ],
    );
    assert_eq!(id.trim(), "CN2");
    let all = consents_json(d);
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    assert_eq!(all[0]["data"]["recipient"], "Harbor Housing");
    assert_eq!(all[0]["state"], "active");
    assert_eq!(all[1]["data"]["recipient_kind"], "person");
    assert_eq!(all[1]["data"]["shares"][0], "goals");
    assert_eq!(all[1]["data"]["expiry"]["event"], "my court case closes");

    let text = stdout(d, &["consent", "list", "ana"]);
    assert!(
        text.contains("CN1") && text.contains("active") && text.contains("until my court case"),
        "{text}"
    );
    assert!(text.contains("Disclosures of P1 Ana Ruiz (0)"), "{text}");

    // Only CN1 ends on a date within 30 days.
    let soon: Value = serde_json::from_str(&stdout(
        d,
        &["consent", "list", "--json", "--expiring-within", "30d"],
    ))
    .expect("json");
    assert_eq!(soon.as_array().map(Vec::len), Some(1));
    assert_eq!(soon[0]["id"], "CN1");
    let none: Value = serde_json::from_str(&stdout(
        d,
        &["consent", "list", "--json", "--expiring-within", "1w"],
    ))
    .expect("json");
    assert_eq!(none.as_array().map(Vec::len), Some(0));

    let out = stdout(
        d,
        &[
            "consent", "revoke", "CN1", "--date", "today", "--note", "by phone",
        ],
    );
    assert!(out.contains("revoked CN1"), "{out}");
    let all = consents_json(d);
    assert_eq!(all[0]["state"], "revoked");
    assert_eq!(all[0]["data"]["revoked"]["note"], "by phone");
    let again = refused(d, &["consent", "revoke", "CN1", "--date", "today"]);
    assert!(again.contains("already revoked"), "{again}");
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let tmp = setup();
    let d = tmp.path();
    let base = [
        "consent",
        "add",
        "ana",
        "--to",
        "Harbor Housing",
        "--purpose",
        "housing",
        "--shares",
        "attendance",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter()
            .chain(extra.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        // Neither ending, or both.
        (with(&["--signed", "today"]), "--expires"),
        (
            with(&[
                "--signed",
                "today",
                "--expires",
                "+1d",
                "--until-event",
                "x",
            ]),
            "--until-event",
        ),
        (
            with(&["--signed", "someday", "--expires", "+9d"]),
            "--signed",
        ),
        (with(&["--signed", "+3d", "--expires", "+9d"]), "signed"),
        (with(&["--signed", "today", "--expires", "-3d"]), "expires"),
        (
            with(&["--signed", "today", "--expires", "2026-13-40"]),
            "--expires",
        ),
        (
            with(&["--signed", "today", "--until-event", "  "]),
            "until event",
        ),
        (
            with(&[
                "--signed",
                "today",
                "--expires",
                "+9d",
                "--shares",
                "diagnosis",
            ]),
            "--shares",
        ),
        (
            with(&[
                "--signed",
                "today",
                "--expires",
                "+9d",
                "--recipient-kind",
                "robot",
            ]),
            "--recipient-kind",
        ),
    ];
    for (args, field) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = refused(d, &args);
        assert!(err.contains(field), "{args:?}: {err}");
    }
    let blank = refused(
        d,
        &[
            "consent",
            "add",
            "ana",
            "--to",
            " ",
            "--purpose",
            "",
            "--signed",
            "today",
            "--expires",
            "+9d",
        ],
    );
    for field in ["recipient", "purpose", "shares"] {
        assert!(blank.contains(field), "{field}: {blank}");
    }
    let nobody = refused(
        d,
        &[
            "consent",
            "add",
            "Zed Nobody",
            "--to",
            "X",
            "--purpose",
            "y",
            "--shares",
            "goals",
            "--signed",
            "today",
            "--expires",
            "+9d",
        ],
    );
    assert!(nobody.contains("Zed Nobody"), "{nobody}");
    assert_eq!(
        consents_json(d).as_array().map(Vec::len),
        Some(0),
        "nothing written"
    );

    add_harbor(d);
    for (args, field) in [
        (
            vec!["consent", "revoke", "X9", "--date", "today"],
            "CONSENT",
        ),
        (vec!["consent", "revoke", "CN1", "--date", "soon"], "--date"),
        (vec!["consent", "revoke", "CN1", "--date", "-400d"], "date"),
        (vec!["consent", "revoke", "CN7", "--date", "today"], "CN7"),
        (
            vec!["consent", "list", "--expiring-within", "-3"],
            "--expiring-within",
        ),
    ] {
        let err = refused(d, &args);
        assert!(err.contains(field), "{args:?}: {err}");
    }
    assert_eq!(consents_json(d)[0]["state"], "active", "still active");
}

#[test]
fn an_export_for_a_recipient_needs_a_consent_covering_it_and_is_recorded() {
    let tmp = setup();
    let d = tmp.path();
    let none = refused(d, &["export", "--for", "Harbor Housing", "--peer", "ana"]);
    assert!(
        none.contains("no consent") && none.contains("Harbor Housing") && none.contains("P1"),
        "{none}"
    );
    add_harbor(d);

    // JSON: the notice is a field, first; only what the consent covers.
    let json = stdout(d, &["export", "--for", "harbor housing", "--peer", "P1"]);
    assert!(
        json.trim_start().starts_with("{\n  \"notice\": \"This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2)"),
        "{json}"
    );
    let doc: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["consent"], "CN1");
    assert_eq!(doc["recipient"], "Harbor Housing");
    assert_eq!(doc["contact"]["phone"], "555-0101");
    assert_eq!(doc["attendance"][0]["minutes"], 30);
    assert!(doc.get("checkin_notes").is_none(), "notes are not covered");
    assert!(!json.contains("talked about the lease"), "{json}");

    // More than the consent covers is refused, naming it and what is missing.
    let more = refused(
        d,
        &[
            "export",
            "--for",
            "Harbor Housing",
            "--peer",
            "ana",
            "--shares",
            "checkin-notes",
        ],
    );
    assert!(
        more.contains("CN1") && more.contains("checkin-notes"),
        "{more}"
    );
    // Another recipient has no consent.
    let other = refused(d, &["export", "--for", "County Court", "--peer", "ana"]);
    assert!(other.contains("County Court"), "{other}");

    // CSV: the notice is the first line, a comment.
    let out = tmp.path().join("harbor.csv");
    let out_s = out.to_str().expect("path");
    caseload(d)
        .args([
            "export",
            "--for",
            "Harbor Housing",
            "--peer",
            "ana",
            "--shares",
            "attendance",
            "--format",
            "csv",
            "--out",
            out_s,
        ])
        .assert()
        .success();
    let csv = std::fs::read_to_string(&out).expect("csv");
    let first = csv.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("# This record which has been disclosed to you"),
        "{first}"
    );
    assert!(
        csv.contains("attendance") && !csv.contains("555-0101"),
        "{csv}"
    );

    // Text: the notice is the first lines.
    let text = stdout(
        d,
        &[
            "export",
            "--for",
            "Harbor Housing",
            "--peer",
            "ana",
            "--format",
            "text",
        ],
    );
    assert!(
        text.starts_with("NOTICE (42 CFR 2.32): This record"),
        "{text}"
    );

    // A report with the peer's name for the recipient, in each format.
    let report: Value = serde_json::from_str(&stdout(
        d,
        &[
            "report",
            "--for",
            "Harbor Housing",
            "--peer",
            "ana",
            "--json",
        ],
    ))
    .expect("json");
    assert!(report["notice"]
        .as_str()
        .is_some_and(|n| n.contains("42 CFR part 2")));
    assert_eq!(report["included"][0], "attendance");
    assert!(
        report.get("contact").is_none(),
        "a report has attendance only"
    );
    let csv = stdout(
        d,
        &[
            "report",
            "--for",
            "Harbor Housing",
            "--peer",
            "ana",
            "--csv",
        ],
    );
    assert!(
        csv.starts_with("# This record which has been disclosed"),
        "{csv}"
    );
    let table = stdout(d, &["report", "--for", "Harbor Housing", "--peer", "ana"]);
    assert!(table.starts_with("NOTICE (42 CFR 2.32)"), "{table}");

    // Every disclosure is in the peer's history and on the trail.
    let history: Value =
        serde_json::from_str(&stdout(d, &["consent", "disclosures", "ana", "--json"]))
            .expect("json");
    let history = history.as_array().expect("list");
    assert_eq!(history.len(), 6, "{history:?}");
    assert_eq!(history[0]["data"]["consent"], "CN1");
    assert_eq!(history[0]["data"]["included"][0], "contact-details");
    assert_eq!(history[1]["data"]["to"], out_s);
    let audit = stdout(d, &["audit", "--peer", "P1"]);
    assert_eq!(
        audit.matches("disclosed P1's").count(),
        6,
        "each disclosure is on the trail: {audit}"
    );
    assert!(
        audit.contains("to Harbor Housing under consent CN1"),
        "{audit}"
    );

    // After revocation: refused, naming the consent; nothing more recorded.
    stdout(
        d,
        &[
            "consent",
            "revoke",
            "CN1",
            "--date",
            "today",
            "--note",
            "in writing",
        ],
    );
    let after = refused(d, &["export", "--for", "Harbor Housing", "--peer", "ana"]);
    assert!(
        after.contains("CN1") && after.contains("revoked"),
        "{after}"
    );
    let report = refused(
        d,
        &[
            "report",
            "--for",
            "Harbor Housing",
            "--peer",
            "ana",
            "--json",
        ],
    );
    assert!(report.contains("revoked"), "{report}");
    let history: Value =
        serde_json::from_str(&stdout(d, &["consent", "disclosures", "ana", "--json"]))
            .expect("json");
    assert_eq!(history.as_array().map(Vec::len), Some(6));
}

#[test]
fn the_warning_window_is_a_setting() {
    let tmp = setup();
    let d = tmp.path();
    add_harbor(d);
    let today = stdout(d, &["today", "--json"]);
    assert!(
        today.contains("consent CN1 to share with Harbor Housing ends in 20 days"),
        "{today}"
    );
    let shown = stdout(d, &["settings", "--consent-warning-days", "7"]);
    assert!(shown.contains("consents on Today:      7 days"), "{shown}");
    let today = stdout(d, &["today", "--json"]);
    assert!(!today.contains("consent CN1"), "{today}");
    let err = refused(d, &["settings", "--consent-warning-days", "0"]);
    assert!(err.contains("consent warning days"), "{err}");
}

#[test]
fn an_expired_consent_is_named_in_the_refusal() {
    let tmp = setup();
    let d = tmp.path();
    stdout(
        d,
        &[
            "consent",
            "add",
            "ana",
            "--to",
            "Harbor Housing",
            "--purpose",
            "housing",
            "--shares",
            "attendance",
            "--signed",
            "-90d",
            "--expires",
            "-30d",
        ],
    );
    let err = refused(d, &["export", "--for", "Harbor Housing", "--peer", "ana"]);
    assert!(err.contains("CN1") && err.contains("expired"), "{err}");
    let list = stdout(d, &["consent", "list"]);
    assert!(list.contains("expired"), "{list}");
}

#[test]
fn a_peer_specialist_records_consents_but_may_not_disclose() {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(d, &["staff", "add", "Ana Admin", "--role", "admin"]);
    stdout(d, &["staff", "add", "Pat Lee", "--role", "peer-specialist"]);
    caseload(d)
        .args(["staff", "set-pin", "Ana Admin", "--pin-stdin"])
        .write_stdin("4321\n")
        .assert()
        .success();
    let signed_in = |who: &str, pin: &str| {
        let mut c = caseload(d);
        c.env("CASELOAD_STAFF", who).env("CASELOAD_PIN", pin);
        c
    };
    signed_in("Ana Admin", "4321")
        .args(["staff", "set-pin", "Pat Lee", "--pin-stdin"])
        .write_stdin("2468\n")
        .assert()
        .success();
    signed_in("Ana Admin", "4321")
        .args(["peer", "add", "Ana Ruiz"])
        .assert()
        .success();
    signed_in("Pat Lee", "2468")
        .args([
            "consent",
            "add",
            "ana",
            "--to",
            "Harbor Housing",
            "--purpose",
            "housing",
            "--shares",
            "attendance",
            "--signed",
            "today",
            "--expires",
            "+60d",
        ])
        .assert()
        .success()
        .stdout("CN1\n");
    let out = signed_in("Pat Lee", "2468")
        .args(["export", "--for", "Harbor Housing", "--peer", "ana"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("supervisor and admin"), "{err}");
    assert!(out.stdout.is_empty(), "nothing disclosed");
    signed_in("Ana Admin", "4321")
        .args(["export", "--for", "Harbor Housing", "--peer", "ana"])
        .assert()
        .success();
}
