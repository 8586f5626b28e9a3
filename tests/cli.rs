//! The command line end to end: the real binary on temporary stores.

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
    String::from_utf8(out).expect("utf-8 output")
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(dir, args)).expect("valid JSON")
}

/// A store with one staff member and two peers.
fn small_store() -> (TempDir, String, String) {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(
        d,
        &["staff", "add", "Jordan Reyes", "--role", "peer-specialist"],
    );
    let ana = stdout(
        d,
        &[
            "peer",
            "add",
            "Ana Ruiz",
            "--phone",
            "555-0101",
            "--cadence-days",
            "7",
        ],
    );
    let dana = stdout(d, &["peer", "add", "Dana Ortiz"]);
    (tmp, ana.trim().to_string(), dana.trim().to_string())
}

#[test]
fn peer_add_prints_the_id_and_list_and_show_find_it() {
    let (tmp, ana, _) = small_store();
    assert_eq!(ana, "P1");
    let list = json(tmp.path(), &["peer", "list", "--json"]);
    let names: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["data"]["display_name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, vec!["Ana Ruiz", "Dana Ortiz"]);
    let show = stdout(tmp.path(), &["peer", "show", "ana ruiz"]);
    assert!(show.starts_with("P1 Ana Ruiz"), "{show}");
    assert!(show.contains("every 7 days"), "{show}");
    assert!(show.contains("555-0101"), "{show}");
}

#[test]
fn a_closer_match_wins_over_a_looser_one() {
    let (tmp, _, _) = small_store();
    // "ana" starts a word of "Ana Ruiz" but is only inside "Dana Ortiz".
    let out = stdout(tmp.path(), &["log", "ana"]);
    assert!(out.contains("with Ana Ruiz (P1)"), "{out}");
}

#[test]
fn log_resolves_a_unique_name_and_today_shows_the_follow_up() {
    let (tmp, _, _) = small_store();
    let d = tmp.path();
    let out = stdout(
        d,
        &[
            "log",
            "ana ru",
            "--minutes",
            "23",
            "--support",
            "emotional",
            "--note",
            "talked",
            "--at",
            "2026-11-20 10:00",
            "--follow-up",
            "2026-11-23",
        ],
    );
    assert!(
        out.contains("saved check-in C1 with Ana Ruiz (P1)"),
        "{out}"
    );
    assert!(out.contains("23 min, 2 units"), "{out}");
    let today = json(d, &["today", "--date", "2026-11-23", "--json"]);
    let due = &today["sections"][0];
    assert_eq!(due["section"], "follow-up-due");
    assert_eq!(due["count"], 1);
    assert_eq!(due["rows"][0]["peer"], "P1");
    assert!(due["rows"][0]["why"]
        .as_str()
        .unwrap_or("")
        .contains("2026-11-20"));
    // The day after, it is overdue.
    let next = json(d, &["today", "--date", "2026-11-24", "--json"]);
    assert_eq!(next["sections"][1]["section"], "overdue");
    assert_eq!(next["sections"][1]["rows"][0]["days"], 1);
}

#[test]
fn an_ambiguous_peer_fails_and_lists_candidates() {
    let (tmp, _, _) = small_store();
    stdout(tmp.path(), &["peer", "add", "Anabel Chen"]);
    // "ana" starts a word of Ana Ruiz and of Anabel Chen (a closer kind of
    // match than "Dana" containing it), so it cannot pick one.
    caseload(tmp.path())
        .args(["log", "ana"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "'ana' matches 2 peers: P1 Ana Ruiz, P3 Anabel Chen",
        ));
    // Nothing was saved.
    let today = json(tmp.path(), &["today", "--json"]);
    assert_eq!(today["sections"][6]["count"], 0);
}

#[test]
fn bad_check_in_input_is_named_and_saves_nothing() {
    let (tmp, _, _) = small_store();
    let d = tmp.path();
    let long = "x".repeat(10_001);
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["log", "P1", "--minutes", "0"],
            1,
            "--minutes: 0 is out of range",
        ),
        (
            vec!["log", "P1", "--minutes", "1441"],
            1,
            "--minutes: 1441 is out of range",
        ),
        (
            vec!["log", "P1", "--minutes", "ten"],
            1,
            "'ten' is not a whole number",
        ),
        (
            vec!["log", "P1", "--wellbeing", "6"],
            1,
            "wellbeing: 6 is out of range",
        ),
        (
            vec!["log", "P1", "--follow-up", "2026-02-30"],
            1,
            "--follow-up: cannot read '2026-02-30' as a date",
        ),
        (
            vec!["log", "P1", "--at", "25:99"],
            1,
            "--at: cannot read '25:99'",
        ),
        (
            vec!["log", "P1", "--note", &long],
            1,
            "note: is 10001 characters long; the limit is 10000",
        ),
        (
            vec!["log", "P1", "--mode", "pigeon"],
            2,
            "valid: in-person, phone, text, video, outreach",
        ),
        (
            vec!["log", "P1", "--support", "money"],
            2,
            "unknown support kind 'money'",
        ),
        (vec!["log", "P9"], 1, "no peer P9"),
        (
            vec!["peer", "add", "   "],
            1,
            "display name: must not be empty",
        ),
        (
            vec!["peer", "add", "Zed", "--cadence-days", "400"],
            1,
            "cadence days: 400 is out of range",
        ),
    ];
    for (args, code, message) in cases {
        caseload(d)
            .args(&args)
            .assert()
            .code(code)
            .stderr(predicate::str::contains(message));
    }
    let export = stdout(d, &["export"]);
    let doc: Value = serde_json::from_str(&export).expect("export is JSON");
    assert_eq!(doc["checkins"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["peers"].as_array().map(Vec::len), Some(2));
}

#[test]
fn logging_needs_a_staff_member_and_says_how_to_add_one() {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(d, &["peer", "add", "Ana Ruiz"]);
    caseload(d)
        .args(["log", "P1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("caseload staff add"));
}

#[test]
fn escape_sequences_in_names_and_notes_are_never_printed_raw() {
    let (tmp, _, _) = small_store();
    let d = tmp.path();
    stdout(d, &["peer", "add", "Eve \u{1b}]52;c;aGk=\u{7}\u{1b}[2J"]);
    stdout(
        d,
        &["log", "P3", "--note", "line1\nline2 \u{1b}[31mred\u{202e}"],
    );
    for args in [
        vec!["peer", "list"],
        vec!["peer", "show", "P3"],
        vec!["today"],
    ] {
        let out = stdout(d, &args);
        assert!(!out.contains('\u{1b}'), "raw ESC in {args:?}: {out:?}");
        assert!(!out.contains('\u{7}'), "raw BEL in {args:?}");
        assert!(!out.contains('\u{202e}'), "raw bidi override in {args:?}");
    }
    let show = stdout(d, &["peer", "show", "P3"]);
    assert!(show.contains("Eve \\e]52;c;aGk=\\x07\\e[2J"), "{show}");
    assert!(show.contains("line1\\nline2 \\e[31mred\\u{202e}"), "{show}");
    // Stored exactly as given: JSON carries the original characters.
    let export = stdout(d, &["export", "--json"]);
    let doc: Value = serde_json::from_str(&export).expect("json");
    assert_eq!(
        doc["peers"][2]["data"]["display_name"],
        "Eve \u{1b}]52;c;aGk=\u{7}\u{1b}[2J"
    );
}

#[test]
fn export_import_round_trip_keeps_every_record() {
    let src = TempDir::new().expect("temp dir");
    stdout(
        src.path(),
        &[
            "demo",
            "--peers",
            "25",
            "--checkins",
            "300",
            "--seed",
            "7",
            "--as-of",
            "2026-11-23",
        ],
    );
    let file = src.path().join("backup.json");
    caseload(src.path())
        .args(["export", "--out"])
        .arg(&file)
        .assert()
        .success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("export file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "export must be private to its owner");
    }
    let dst = TempDir::new().expect("temp dir");
    let out = stdout(dst.path(), &["import", file.to_str().expect("utf-8 path")]);
    assert!(out.contains("25 peers"), "{out}");
    assert!(out.contains("300 check-ins"), "{out}");
    let mut a: Value = serde_json::from_str(&stdout(src.path(), &["export"])).expect("json");
    let mut b: Value = serde_json::from_str(&stdout(dst.path(), &["export"])).expect("json");
    a["exported_at"] = Value::Null;
    b["exported_at"] = Value::Null;
    assert_eq!(a, b);
    // Importing again into a store with data is refused.
    caseload(dst.path())
        .arg("import")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("import goes into an empty store"));
}

#[test]
fn a_broken_import_names_the_problem_and_writes_nothing() {
    let src = TempDir::new().expect("temp dir");
    stdout(
        src.path(),
        &[
            "demo",
            "--peers",
            "10",
            "--checkins",
            "50",
            "--as-of",
            "2026-11-23",
        ],
    );
    let text = stdout(src.path(), &["export"]);
    let dir = TempDir::new().expect("temp dir");

    // Cut off half-way: a JSON error with its line.
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
    let dst = TempDir::new().expect("temp dir");
    caseload(dst.path())
        .arg("import")
        .arg(&cut)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("line").and(predicate::str::contains("nothing was imported")),
        );

    // A check-in with bad minutes: the location names the record.
    let mut doc: Value = serde_json::from_str(&text).expect("json");
    doc["checkins"][4]["data"]["minutes"] = Value::from(0);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, doc.to_string()).expect("write");
    caseload(dst.path())
        .arg("import")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "checkins[4] (C5): minutes: 0 is out of range",
        ));

    let after: Value = serde_json::from_str(&stdout(dst.path(), &["export"])).expect("json");
    for section in ["staff", "peers", "goals", "groups", "sessions", "checkins"] {
        assert_eq!(
            after[section].as_array().map(Vec::len),
            Some(0),
            "{section} not empty"
        );
    }
}

#[test]
fn demo_is_deterministic_for_a_seed_and_day() {
    let strip = |mut v: Value| {
        v["exported_at"] = Value::Null;
        for section in ["staff", "peers", "goals", "groups", "sessions", "checkins"] {
            if let Some(items) = v[section].as_array_mut() {
                for item in items {
                    item["meta"] = Value::Null;
                    if let Some(obj) = item["data"].as_object_mut() {
                        obj.remove("login");
                    }
                }
            }
        }
        v
    };
    let args = [
        "demo",
        "--peers",
        "15",
        "--checkins",
        "120",
        "--seed",
        "3",
        "--as-of",
        "2026-11-23",
    ];
    let a = TempDir::new().expect("temp dir");
    let b = TempDir::new().expect("temp dir");
    stdout(a.path(), &args);
    stdout(b.path(), &args);
    let ea = strip(serde_json::from_str(&stdout(a.path(), &["export"])).expect("json"));
    let eb = strip(serde_json::from_str(&stdout(b.path(), &["export"])).expect("json"));
    assert_eq!(ea, eb);
    let names: Vec<String> = ea["peers"]
        .as_array()
        .expect("peers")
        .iter()
        .map(|p| p["data"]["display_name"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        names.iter().any(|n| !n.is_ascii()),
        "demo needs non-ASCII names: {names:?}"
    );
    // A store with data is never overwritten by demo data.
    caseload(a.path())
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "demo data goes only into an empty store",
        ));
}

#[test]
fn the_data_dir_can_come_from_the_environment() {
    let tmp = TempDir::new().expect("temp dir");
    let mut c = Command::cargo_bin("caseload").expect("binary");
    c.env("CASELOAD_DATA_DIR", tmp.path())
        .args(["peer", "add", "Env Peer"])
        .assert()
        .success()
        .stdout("P1\n");
    let list = stdout(tmp.path(), &["peer", "list"]);
    assert!(list.contains("Env Peer"));
}

#[test]
fn usage_errors_exit_two() {
    let tmp = TempDir::new().expect("temp dir");
    caseload(tmp.path())
        .args(["peer", "frobnicate"])
        .assert()
        .code(2);
    caseload(tmp.path()).args(["log"]).assert().code(2);
}

#[test]
fn goals_can_be_named_by_title_words_and_must_belong_to_the_peer() {
    let src = TempDir::new().expect("temp dir");
    let d = src.path();
    stdout(
        d,
        &[
            "demo",
            "--peers",
            "6",
            "--checkins",
            "20",
            "--as-of",
            "2026-11-23",
        ],
    );
    let show: Value = json(d, &["peer", "show", "P2", "--json"]);
    let goal = show["goals"][0]["id"].as_str().expect("a goal").to_string();
    let title = show["goals"][0]["data"]["title"]
        .as_str()
        .expect("title")
        .to_string();
    let first_word = title.split_whitespace().last().unwrap_or("").to_string();
    // P2 of the demo is inactive: a check-in for them needs --force.
    let out = stdout(
        d,
        &[
            "log",
            "P2",
            "--goal",
            &first_word,
            "--staff",
            "S1",
            "--force",
        ],
    );
    assert!(out.contains("saved check-in"), "{out}");
    let after: Value = json(d, &["peer", "show", "P2", "--json"]);
    assert_eq!(
        after["recent_checkins"][0]["data"]["goals"][0],
        goal.as_str()
    );
    // Another peer's goal is refused.
    caseload(d)
        .args(["log", "P3", "--goal", &goal, "--staff", "S1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("belongs to another peer"));
}

#[test]
fn backups_are_private_dated_exports_and_old_ones_are_pruned() {
    let (tmp, _, _) = small_store();
    let d = tmp.path();
    let backups = TempDir::new().expect("temp dir");
    let dir = backups.path().join("b");
    for _ in 0..3 {
        caseload(d)
            .args(["backup", "--keep", "2", "--to"])
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains("backed up 2 peers"));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("backup dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    // Each backup has its checksum beside it; pruning removes both.
    let sums: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sha256"))
        .cloned()
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(sums.len(), 2, "{sums:?}");
    for f in &files {
        assert!(sums.contains(&std::path::PathBuf::from(format!("{}.sha256", f.display()))));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir_mode = std::fs::metadata(&dir).expect("dir").permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let file_mode = std::fs::metadata(&files[1])
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(file_mode & 0o777, 0o600);
    }
    let restore = TempDir::new().expect("temp dir");
    let out = stdout(
        restore.path(),
        &["import", files[1].to_str().expect("utf-8")],
    );
    assert!(out.contains("2 peers"), "{out}");
}

#[test]
fn the_service_report_counts_the_period_only() {
    let (tmp, _, _) = small_store();
    let d = tmp.path();
    stdout(
        d,
        &[
            "log",
            "P1",
            "--minutes",
            "60",
            "--mode",
            "phone",
            "--support",
            "emotional",
            "--at",
            "2026-11-03 10:00",
        ],
    );
    stdout(
        d,
        &[
            "log",
            "P2",
            "--minutes",
            "23",
            "--at",
            "2026-11-04 10:00",
            "--support",
            "emotional",
            "--support",
            "informational",
        ],
    );
    stdout(
        d,
        &["log", "P2", "--minutes", "7", "--at", "2026-10-31 10:00"],
    );
    let r: Value = serde_json::from_str(&stdout(
        d,
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--json",
        ],
    ))
    .expect("json");
    assert_eq!(r["checkins"], 2);
    assert_eq!(r["minutes"], 83);
    assert_eq!(r["units"], 6);
    assert_eq!(r["peers_served"], 2);
    assert_eq!(r["by_mode"]["phone"], 1);
    assert_eq!(r["by_support"]["emotional"], 2);
    assert_eq!(r["by_staff"][0]["name"], "Jordan Reyes");
    let csv = stdout(
        d,
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--csv",
        ],
    );
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("section,item,measure,value"));
    assert!(csv.contains("check-ins,all,units,6"), "{csv}");
    caseload(d)
        .args(["report", "--from", "2026-11-30", "--to", "2026-11-01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the period ends (2026-11-01) before it starts (2026-11-30)",
        ));
}
