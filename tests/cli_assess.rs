//! The assessment commands end to end: `caseload assess`, `assess list`,
//! `instrument list|check`, and what assessments do to Today, the funder
//! report and export/import. Bad scores name the item and the allowed
//! range and save nothing.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn caseload(dir: &Path, config: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env("XDG_CONFIG_HOME", config);
    c
}

fn stdout(dir: &Path, config: &Path, args: &[&str]) -> String {
    let out = caseload(dir, config)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8 output")
}

fn json(dir: &Path, config: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(dir, config, args)).expect("valid JSON")
}

/// A store with one staff member and a peer assigned to them; the config
/// folder is the test's own.
fn setup() -> (TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path().join("store");
    let cfg = tmp.path().join("config");
    std::fs::create_dir_all(&cfg).expect("config dir");
    stdout(
        &d,
        &cfg,
        &["staff", "add", "Jordan Reyes", "--role", "peer-specialist"],
    );
    stdout(&d, &cfg, &["peer", "add", "Ana Ruiz", "--assign", "JR"]);
    (tmp, d, cfg)
}

const SCORES: &str = "5,4,6,3,5,4,5,6,4,5";

#[test]
fn assess_saves_the_total_and_list_shows_change_from_the_first() {
    let (_tmp, d, cfg) = setup();
    let out = stdout(
        &d,
        &cfg,
        &[
            "assess",
            "P1",
            "barc10",
            "--scores",
            SCORES,
            "--at",
            "2026-01-05",
        ],
    );
    assert!(
        out.contains("saved assessment A1") && out.contains("total 47 of 10–60"),
        "{out}"
    );
    assert!(out.contains("47 or more"), "the threshold note: {out}");
    // The short name works as well as the id.
    stdout(
        &d,
        &cfg,
        &[
            "assess",
            "Ana",
            "BARC-10",
            "--scores",
            "6,5,6,4,5,5,5,6,5,6",
            "--at",
            "2026-04-10",
        ],
    );
    let list = json(&d, &cfg, &["assess", "list", "P1", "--json"]);
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "A1");
    assert_eq!(rows[0]["total"], 47);
    assert_eq!(rows[0]["instrument"], "barc10");
    assert_eq!(rows[0]["version"], 1);
    assert_eq!(rows[0]["staff"], "S1", "by the acting staff member");
    assert_eq!(rows[1]["total"], 53);
    assert_eq!(rows[1]["change_from_first"], 6);
    assert_eq!(rows[1]["day"], "2026-04-10");
    let text = stdout(&d, &cfg, &["assess", "list", "P1"]);
    assert!(text.contains("change from first +6"), "{text}");
    assert!(text.contains("by item +1 +1 0 +1 0 +1 0 0 +1 +1"), "{text}");
}

#[test]
fn bad_scores_name_the_item_and_the_range_and_save_nothing() {
    let (_tmp, d, cfg) = setup();
    let cases: &[(&str, &[&str])] = &[
        (
            "5,4,7,3,5,4,5,6,4,5",
            &["item 3", "'7'", "from 1 to 6", "enough energy"],
        ),
        ("5,4,6", &["10 items", "3 scores"]),
        ("5,4,6,3,5,4,5,6,4,5,6", &["10 items", "11 scores"]),
        ("5,x,6,3,5,4,5,6,4,5", &["item 2", "'x'", "from 1 to 6"]),
        ("0,4,6,3,5,4,5,6,4,5", &["item 1", "'0'"]),
        ("5,4,6,3,5,4,5,6,4,-1", &["item 10", "'-1'"]),
        ("", &["item 1"]),
    ];
    for (scores, words) in cases {
        let assert = caseload(&d, &cfg)
            .args(["assess", "P1", "barc10", "--scores", scores])
            .assert()
            .failure();
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(err.contains("--scores"), "{scores}: {err}");
        for w in *words {
            assert!(err.contains(w), "{scores}: expected {w:?} in {err}");
        }
    }
    caseload(&d, &cfg)
        .args(["assess", "P1", "phq9", "--scores", SCORES])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no instrument 'phq9'")
                .and(predicate::str::contains("barc10")),
        );
    caseload(&d, &cfg)
        .args(["assess", "P9", "barc10", "--scores", SCORES])
        .assert()
        .failure()
        .stderr(predicate::str::contains("P9"));
    caseload(&d, &cfg)
        .args([
            "assess", "P1", "barc10", "--scores", SCORES, "--at", "someday",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--at"));
    caseload(&d, &cfg)
        .args(["assess", "P1", "barc10"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--scores"));
    let list = json(&d, &cfg, &["assess", "list", "P1", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing was saved");
}

#[test]
fn instrument_check_names_the_line_and_field_and_the_organizations_file_is_used() {
    let (tmp, d, cfg) = setup();
    let good = stdout(
        &d,
        &cfg,
        &[
            "instrument",
            "check",
            concat!(env!("CARGO_MANIFEST_DIR"), "/instruments/barc10.toml"),
        ],
    );
    assert!(good.contains("ok: BARC-10 (barc10), 10 items"), "{good}");
    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "id = \"Mine!\"\nversion = 1\nname = \"Mine\"\nattribution = \"us\"\n\
         [scale]\nmin = 1\nmax = 4\nlabels = [\"a\", \"b\", \"c\"]\n\
         [scoring]\nmethod = \"sum\"\nmax = 99\n\
         [[items]]\ntext = \"One\"\n[[items]]\ntext = \"Two\"\n",
    )
    .expect("write");
    let assert = caseload(&d, &cfg)
        .args(["instrument", "check"])
        .arg(&bad)
        .assert()
        .code(1);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let shown = bad.display().to_string();
    assert!(out.contains(&format!("{shown}:1: id: 'Mine!'")), "{out}");
    assert!(
        out.contains(&format!(
            "{shown}:8: scale.labels: 3 labels for the 4 values"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{shown}:11: scoring.max: 99 does not match 2 items"
        )),
        "{out}"
    );
    // An unknown field is named with its line.
    std::fs::write(
        &bad,
        crate_barc10().replace("reassess_days = 90", "reassess_days = 90\ncolour = 1"),
    )
    .expect("write");
    let assert = caseload(&d, &cfg)
        .args(["instrument", "check"])
        .arg(&bad)
        .assert()
        .code(1);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(out.contains("colour") && out.contains(":21:"), "{out}");

    // The organization's folder: a file there replaces the built-in one
    // (a shorter interval) and adds its own instrument.
    let dir = cfg.join("caseload").join("instruments");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("barc10.toml"),
        crate_barc10().replace("reassess_days = 90", "reassess_days = 30"),
    )
    .expect("write");
    std::fs::write(
        dir.join("mood.toml"),
        "id = \"mood3\"\nversion = 2\nname = \"Three questions\"\nattribution = \"Our center\"\n\
         [scale]\nmin = 0\nmax = 2\nlabels = [\"no\", \"some\", \"yes\"]\n\
         [scoring]\nmethod = \"sum\"\n\
         [[items]]\ntext = \"Slept well\"\n[[items]]\ntext = \"Ate well\"\n[[items]]\ntext = \"Saw a friend\"\n",
    )
    .expect("write");
    std::fs::write(dir.join("broken.toml"), "id = 3\n").expect("write");
    let list = json(&d, &cfg, &["instrument", "list", "--json"]);
    let ids: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, ["barc10", "mood3"]);
    assert_eq!(list[0]["reassess_days"], 30);
    caseload(&d, &cfg)
        .args(["instrument", "list"])
        .assert()
        .success()
        .stderr(predicate::str::contains("broken.toml"));
    let out = stdout(&d, &cfg, &["assess", "P1", "mood3", "--scores", "0,2,1"]);
    assert!(out.contains("total 3 of 0–6"), "{out}");
    let list = json(&d, &cfg, &["assess", "list", "P1", "--json"]);
    assert_eq!(list[0]["version"], 2);
}

fn crate_barc10() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/instruments/barc10.toml"
    ))
    .expect("barc10")
}

#[test]
fn today_lists_reassessment_due_and_the_report_gives_the_mean_change() {
    let (_tmp, d, cfg) = setup();
    stdout(&d, &cfg, &["peer", "add", "Dana Ortiz", "--assign", "JR"]);
    stdout(&d, &cfg, &["peer", "add", "Lee Park", "--assign", "JR"]);
    let take = |peer: &str, scores: &str, at: &str| {
        stdout(
            &d,
            &cfg,
            &["assess", peer, "barc10", "--scores", scores, "--at", at],
        );
    };
    take("P1", SCORES, "2026-01-05"); // 47
    take("P1", "6,5,6,4,5,5,5,6,5,6", "2026-04-10"); // 53: +6
    take("P2", "3,3,3,3,3,3,3,3,3,3", "2026-02-01"); // 30
    take("P2", "4,4,4,4,3,3,3,3,3,3", "2026-03-01"); // 34: +4
    take("P3", "2,2,2,2,2,2,2,2,2,2", "2026-03-01"); // one only

    // 90 days after P2's latest (2026-03-01) is 2026-05-30.
    let today = json(&d, &cfg, &["today", "--date", "2026-05-30", "--json"]);
    let section = |t: &Value| -> Vec<Value> {
        t["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["section"] == "reassessment-due")
            .and_then(|s| s["rows"].as_array().cloned())
            .expect("a Reassessment due section")
    };
    let due = section(&today);
    let peers: Vec<&str> = due.iter().filter_map(|r| r["peer"].as_str()).collect();
    assert_eq!(peers, ["P2", "P3"], "{due:#?}");
    assert!(
        due[0]["why"]
            .as_str()
            .is_some_and(|w| w.contains("BARC-10") && w.contains("every 90 days")),
        "{due:#?}"
    );
    let before = json(&d, &cfg, &["today", "--date", "2026-05-29", "--json"]);
    assert!(section(&before).is_empty(), "not due a day early");
    let text = stdout(&d, &cfg, &["today", "--date", "2026-05-30"]);
    assert!(text.contains("Reassessment due (2)"), "{text}");

    let report = json(
        &d,
        &cfg,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--json",
        ],
    );
    let rc = &report["recovery_capital"][0];
    assert_eq!(rc["instrument"], "barc10");
    assert_eq!(rc["peers_assessed"], 3);
    assert_eq!(rc["peers_with_two_or_more"], 2);
    assert_eq!(rc["mean_change"], 5.0);
    let csv = stdout(
        &d,
        &cfg,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--format",
            "csv",
        ],
    );
    assert!(csv.contains("capital,barc10,with 2+,2"), "{csv}");
    assert!(csv.contains("capital,barc10,mean change,+5.0"), "{csv}");
    // Only what was taken by the period's end counts.
    let early = json(
        &d,
        &cfg,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-02-28",
            "--json",
        ],
    );
    assert_eq!(early["recovery_capital"][0]["peers_with_two_or_more"], 0);
    assert_eq!(early["recovery_capital"][0]["mean_change"], Value::Null);
}

#[test]
fn export_import_export_keeps_assessments_identically() {
    let (tmp, d, cfg) = setup();
    stdout(
        &d,
        &cfg,
        &[
            "assess",
            "P1",
            "barc10",
            "--scores",
            SCORES,
            "--at",
            "2026-01-05",
        ],
    );
    stdout(
        &d,
        &cfg,
        &[
            "assess",
            "P1",
            "barc10",
            "--scores",
            SCORES,
            "--at",
            "2026-04-05",
        ],
    );
    let first = tmp.path().join("one.json");
    caseload(&d, &cfg)
        .args(["export", "--out"])
        .arg(&first)
        .assert()
        .success();
    let other = tmp.path().join("other");
    caseload(&other, &cfg)
        .arg("import")
        .arg(&first)
        .assert()
        .success();
    let second = tmp.path().join("two.json");
    caseload(&other, &cfg)
        .args(["export", "--out"])
        .arg(&second)
        .assert()
        .success();
    let strip = |p: &Path| {
        let mut v: Value =
            serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json");
        v.as_object_mut().expect("object").remove("exported_at");
        v
    };
    let (a, b) = (strip(&first), strip(&second));
    assert_eq!(a["assessments"].as_array().map(Vec::len), Some(2), "{a}");
    assert_eq!(a, b);
    let list = json(&other, &cfg, &["assess", "list", "P1", "--json"]);
    assert_eq!(list[1]["change_from_first"], 0);
    // An export from before assessments existed still imports.
    let mut old = a.clone();
    old.as_object_mut().expect("object").remove("assessments");
    let old_file = tmp.path().join("old.json");
    std::fs::write(&old_file, old.to_string()).expect("write");
    let third = tmp.path().join("third");
    caseload(&third, &cfg)
        .arg("import")
        .arg(&old_file)
        .assert()
        .success();
    // An assessment of a peer missing from the file is refused whole.
    let mut bad = a.clone();
    bad["assessments"][0]["data"]["peer"] = Value::from("P77");
    std::fs::write(&old_file, bad.to_string()).expect("write");
    let fourth = tmp.path().join("fourth");
    caseload(&fourth, &cfg)
        .arg("import")
        .arg(&old_file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("assessments[0]").and(predicate::str::contains("P77")));
}
