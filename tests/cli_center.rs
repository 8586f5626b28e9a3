//! The command line for running a center: correcting and voiding
//! check-ins, duplicates at add time, accent-folded names, --force.
//! Each bad input gets an error naming the field and writes nothing.

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

fn listed(dir: &Path, peer: &str) -> Value {
    serde_json::from_str(&ok(dir, &["checkin", "list", peer, "--json"])).expect("json")
}

/// One staff member, Jürgen Müller (P1) and a check-in C1 of 30 minutes.
fn center() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    ok(
        d,
        &["staff", "add", "Jordan Reyes", "--role", "peer-specialist"],
    );
    ok(
        d,
        &["peer", "add", "Jürgen Müller", "--phone", "555 010 2233"],
    );
    ok(d, &["peer", "add", "Łukasz Nowak"]);
    ok(d, &["log", "muller", "--minutes", "30", "--note", "first"]);
    tmp
}

#[test]
fn checkin_edit_keeps_the_earlier_version_and_show_lists_both() {
    let tmp = center();
    let d = tmp.path();
    let out = ok(
        d,
        &[
            "checkin",
            "edit",
            "C1",
            "--minutes",
            "45",
            "--note",
            "fixed",
        ],
    );
    assert!(out.contains("corrected check-in C1"), "{out}");
    let show = ok(d, &["checkin", "show", "C1"]);
    assert!(show.contains("earlier, revision 1"), "{show}");
    assert!(
        show.contains("minutes: 30") && show.contains("minutes: 45"),
        "{show}"
    );
    let list = listed(d, "P1");
    assert_eq!(list[0]["data"]["minutes"], 45);
    let text = ok(d, &["checkin", "list", "P1"]);
    assert!(text.contains("1 check-in\n"), "singular: {text}");
}

#[test]
fn checkin_edit_bad_input_names_the_field_and_writes_nothing() {
    let tmp = center();
    let d = tmp.path();
    fails(d, &["checkin", "edit", "C1", "--minutes", "-5"], "minutes");
    fails(d, &["checkin", "edit", "C1", "--mode", "pigeon"], "mode");
    fails(
        d,
        &["checkin", "edit", "C1", "--follow-up", "someday"],
        "--follow-up",
    );
    fails(d, &["checkin", "edit", "C1", "--at", "not a time"], "--at");
    fails(d, &["checkin", "edit", "C1"], "nothing to change");
    fails(d, &["checkin", "edit", "X1", "--minutes", "5"], "check-in");
    fails(d, &["checkin", "edit", "C9", "--minutes", "5"], "C9");
    let show = ok(d, &["checkin", "show", "C1"]);
    assert!(!show.contains("earlier"), "nothing written: {show}");
    assert_eq!(listed(d, "P1")[0]["data"]["minutes"], 30);
}

#[test]
fn checkin_void_needs_a_reason_and_leaves_the_check_in_out_of_the_report() {
    let tmp = center();
    let d = tmp.path();
    fails(d, &["checkin", "void", "C1", "--reason", "  "], "reason");
    assert!(
        listed(d, "P1")[0]["data"]["voided"].is_null(),
        "nothing written"
    );
    ok(d, &["checkin", "void", "C1", "--reason", "wrong peer"]);
    assert_eq!(listed(d, "P1")[0]["data"]["voided"]["reason"], "wrong peer");
    fails(
        d,
        &["checkin", "void", "C1", "--reason", "again"],
        "already voided",
    );
    fails(d, &["checkin", "edit", "C1", "--minutes", "5"], "voided");
}

#[test]
fn accent_folded_names_find_peers_from_the_cli() {
    let tmp = center();
    let d = tmp.path();
    let out = ok(d, &["log", "lukasz", "--note", "hello"]);
    assert!(out.contains("(P2)"), "{out}");
    let out = ok(d, &["log", "MULLER", "--note", "again"]);
    assert!(out.contains("(P1)"), "{out}");
    // The whole phone number answers too.
    let out = ok(d, &["log", "5550102233", "--note", "by phone"]);
    assert!(out.contains("(P1)"), "{out}");
    // "bjorn" finds Björn in every command that takes a peer's name, and
    // so do his id in any case and a tag given whole (case and accents
    // folded); part of a tag or a number names nobody.
    let bjorn = ok(d, &["peer", "add", "Björn Ek", "--tag", "Ōtautahi"]);
    let bjorn = bjorn.trim();
    let shown = ok(d, &["peer", "show", "bjorn"]);
    assert!(shown.contains("Björn Ek"), "{shown}");
    for by in ["BJORN EK", &bjorn.to_lowercase(), "otautahi"] {
        let out = ok(d, &["log", by, "--note", "found"]);
        assert!(out.contains(&format!("({bjorn})")), "{by}: {out}");
    }
    let list = ok(d, &["checkin", "list", "bjorn"]);
    assert!(list.contains("found"), "{list}");
    ok(
        d,
        &[
            "group",
            "add",
            "Tuesday circle",
            "--weekday",
            "tue",
            "--time",
            "10:00",
        ],
    );
    let out = ok(d, &["group", "attend", "GR1", "bjorn", "lukasz"]);
    assert!(out.contains("2 attending"), "{out}");
    fails(d, &["log", "otau", "--note", "x"], "no peer matches 'otau'");
    // A staff member's name is folded too.
    ok(
        d,
        &[
            "staff",
            "add",
            "José Martínez",
            "--role",
            "supervisor",
            "--initials",
            "JM",
        ],
    );
    let out = ok(
        d,
        &[
            "--staff",
            "jose martinez",
            "log",
            "muller",
            "--note",
            "by José",
        ],
    );
    assert!(out.contains("(P1)"), "{out}");
}

#[test]
fn peer_add_offers_the_possible_duplicate_unless_new() {
    let tmp = center();
    let d = tmp.path();
    fails(
        d,
        &["peer", "add", "jurgen muller"],
        "Jürgen Müller (P1) already exists; add --new",
    );
    fails(
        d,
        &["peer", "add", "Someone", "--phone", "(555) 010-2233"],
        "same phone number",
    );
    let peers: Value = serde_json::from_str(&ok(d, &["peer", "list", "--json"])).expect("json");
    assert_eq!(peers.as_array().map(Vec::len), Some(2), "nothing written");
    assert_eq!(
        ok(d, &["peer", "add", "jurgen muller", "--new"]).trim(),
        "P3"
    );
}

#[test]
fn a_check_in_for_a_discharged_peer_needs_force_and_says_why() {
    let tmp = center();
    let d = tmp.path();
    ok(
        d,
        &[
            "peer",
            "edit",
            "P2",
            "--status",
            "discharged",
            "--reason",
            "moved away",
        ],
    );
    fails(d, &["log", "P2", "--note", "x"], "discharged");
    assert_eq!(
        listed(d, "P2").as_array().map(Vec::len),
        Some(0),
        "nothing written"
    );
    ok(d, &["log", "P2", "--note", "x", "--force"]);
    assert_eq!(listed(d, "P2").as_array().map(Vec::len), Some(1));
}

#[test]
fn completions_and_man_pages_come_from_the_grammar() {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = ok(d, &["completions", shell]);
        assert!(out.contains("checkin"), "{shell}: {out}");
    }
    fails(d, &["completions", "tcsh"], "possible values: bash");
    let page = ok(d, &["man"]);
    assert!(page.contains(".TH caseload 1"), "{page}");
    let pages = d.join("man");
    ok(d, &["man", "--out", pages.to_str().expect("utf-8 path")]);
    assert!(pages.join("caseload-checkin-edit.1").is_file());
    let file = d.join("a-file");
    std::fs::write(&file, "x").expect("write");
    fails(
        d,
        &["man", "--out", file.to_str().expect("utf-8 path")],
        "is not a directory",
    );
}

#[test]
fn staff_edit_and_reactivate_keep_an_admin_who_can_sign_in() {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    caseload(d)
        .args([
            "staff",
            "add",
            "Ada Admin",
            "--role",
            "admin",
            "--pin-stdin",
        ])
        .write_stdin("4821\n")
        .assert()
        .success();
    let signed = |args: &[&str]| {
        let mut c = caseload(d);
        c.env("CASELOAD_PIN", "4821")
            .arg("--staff")
            .arg("S1")
            .args(args);
        c
    };
    signed(&["staff", "add", "Jo Spec"]).assert().success();
    signed(&["staff", "edit", "S1", "--role", "peer-specialist"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no active admin who can sign in"));
    signed(&["staff", "edit", "S2", "--role", "wizard"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("role"));
    signed(&["staff", "edit", "S2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("nothing to change"));
    signed(&["staff", "edit", "S2", "--initials", "JS"])
        .assert()
        .success();
    signed(&["staff", "deactivate", "S2"]).assert().success();
    signed(&["staff", "reactivate", "S2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reactivated S2"));
    let out = signed(&["staff", "list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let staff: Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(
        staff[0]["data"]["role"], "admin",
        "the refused edit wrote nothing"
    );
    assert_eq!(staff[1]["data"]["initials"], "JS");
    assert_eq!(staff[1]["data"]["active"], true);
}

#[test]
fn goal_steps_and_reviews_from_the_cli_name_the_bad_field_and_write_nothing() {
    let tmp = center();
    let d = tmp.path();
    ok(
        d,
        &[
            "goal",
            "add",
            "P1",
            "Find work",
            "--domain",
            "employment",
            "--step",
            "CV",
        ],
    );
    let steps = |d: &Path| -> Value {
        let v: Value =
            serde_json::from_str(&ok(d, &["goal", "list", "P1", "--json"])).expect("json");
        v[0]["data"]["steps"].clone()
    };
    assert!(ok(d, &["goal", "step", "add", "G1", "Apply"]).contains("(2 steps)"));
    ok(d, &["goal", "step", "done", "G1", "2"]);
    assert!(!steps(d)[1]["done_on"].is_null());
    ok(d, &["goal", "step", "undone", "G1", "2"]);
    assert!(steps(d)[1]["done_on"].is_null());
    ok(d, &["goal", "step", "move", "G1", "2", "up"]);
    assert_eq!(steps(d)[0]["text"], "Apply");
    ok(d, &["goal", "step", "edit", "G1", "1", "Apply twice"]);
    assert_eq!(steps(d)[0]["text"], "Apply twice");
    let before = steps(d);
    fails(
        d,
        &["goal", "step", "remove", "G1", "5"],
        "step: G1 has no step 5",
    );
    fails(d, &["goal", "step", "add", "G1", "  "], "step");
    fails(
        d,
        &["goal", "step", "move", "G1", "1", "sideways"],
        "possible values: up, down",
    );
    fails(d, &["goal", "step", "done", "Q1", "1"], "goal");
    fails(
        d,
        &["goal", "review", "G1", "--next", "2020-01-01"],
        "review date",
    );
    assert_eq!(steps(d), before, "nothing written");
    ok(d, &["goal", "step", "remove", "G1", "2"]);
    assert_eq!(steps(d).as_array().map(Vec::len), Some(1));
    let out = ok(
        d,
        &[
            "goal",
            "review",
            "G1",
            "--note",
            "going well",
            "--next",
            "+14d",
        ],
    );
    assert!(out.contains("next review"), "{out}");
}

#[test]
fn walk_ins_unattend_and_session_notes_from_the_cli() {
    let tmp = center();
    let d = tmp.path();
    ok(
        d,
        &[
            "group",
            "add",
            "Circle",
            "--weekday",
            "tuesday",
            "--time",
            "10:00",
        ],
    );
    let peers = |d: &Path| -> usize {
        let v: Value = serde_json::from_str(&ok(d, &["peer", "list", "--json"])).expect("json");
        v.as_array().map(Vec::len).unwrap_or(0)
    };
    // The duplicate is offered, and nothing is added.
    fails(
        d,
        &["group", "attend", "GR1", "--walk-in", "jurgen muller"],
        "Jürgen Müller (P1) already exists",
    );
    assert_eq!(peers(d), 2);
    ok(d, &["group", "attend", "GR1", "--walk-in", "Kim Ito"]);
    assert_eq!(peers(d), 3);
    // A refused request leaves no walk-in behind.
    fails(
        d,
        &["group", "attend", "GR1", "P3", "--walk-in", "Lee Park"],
        "already checked off",
    );
    assert_eq!(peers(d), 3);
    fails(
        d,
        &["group", "attend", "GR1", "--walk-in", "  "],
        "walk-in name",
    );
    assert_eq!(peers(d), 3);
    fails(
        d,
        &["group", "unattend", "GR1", "P1"],
        "attendees: Jürgen Müller (P1) is not checked off",
    );
    ok(d, &["group", "attend", "GR1", "P1"]);
    assert!(ok(d, &["group", "unattend", "GR1", "P1"]).contains("1 attending"));
    fails(d, &["group", "session", "GR1"], "nothing to change");
    fails(
        d,
        &[
            "group", "session", "GR1", "--topic", "x", "--date", "someday",
        ],
        "--date",
    );
    ok(
        d,
        &[
            "group",
            "session",
            "GR1",
            "--topic",
            "Hope",
            "--note",
            "good talk",
        ],
    );
    let export: Value = serde_json::from_str(&ok(d, &["export"])).expect("json");
    let sessions = export["sessions"].as_array().cloned().unwrap_or_default();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["data"]["topic"], "Hope");
    assert_eq!(sessions[0]["data"]["note"], "good talk");
}

#[test]
fn wellness_plan_from_the_cli_names_the_bad_field_and_writes_nothing() {
    let tmp = center();
    let d = tmp.path();
    let out = ok(d, &["wellness", "add", "P1", "triggers", "Loud places"]);
    assert!(out.contains(": 1 entry\n"), "singular: {out}");
    assert!(ok(d, &["wellness", "add", "P1", "triggers", "Crowds"]).contains("2 entries"));
    ok(
        d,
        &["wellness", "edit", "P1", "triggers", "2", "Big crowds"],
    );
    let list = ok(d, &["wellness", "list", "muller"]);
    assert!(list.contains("  2. Big crowds"), "{list}");
    fails(
        d,
        &["wellness", "add", "P1", "moods", "x"],
        "possible values",
    );
    fails(d, &["wellness", "add", "P1", "triggers", "   "], "entry");
    fails(
        d,
        &["wellness", "edit", "P1", "triggers", "9", "x"],
        "entry: 'Triggers' of P1 has no entry 9",
    );
    fails(
        d,
        &["wellness", "remove", "P1", "triggers", "0"],
        "no entry 0",
    );
    assert_eq!(ok(d, &["wellness", "list", "P1"]), list, "nothing written");
    ok(d, &["wellness", "remove", "P1", "triggers", "1"]);
    let list = ok(d, &["wellness", "list", "P1"]);
    assert!(
        list.contains("  1. Big crowds") && !list.contains("Loud"),
        "{list}"
    );
}

/// The store as exported, without the moment of the export: equal before
/// and after a refused command means nothing was written.
fn stored(dir: &Path) -> Value {
    let mut v: Value = serde_json::from_str(&ok(dir, &["export"])).expect("export JSON");
    if let Some(o) = v.as_object_mut() {
        o.remove("exported_at");
    }
    v
}

/// Issue 11: each command it lists, given a bad input, says what is wrong
/// and where (the field, argument or record) and writes nothing.
#[test]
fn every_issue_11_command_with_a_bad_input_names_it_and_writes_nothing() {
    let tmp = center();
    let d = tmp.path();
    ok(
        d,
        &[
            "group",
            "add",
            "Tuesday circle",
            "--weekday",
            "tue",
            "--time",
            "10:00",
        ],
    );
    ok(
        d,
        &["goal", "add", "P1", "Own place", "--domain", "housing"],
    );
    let before = stored(d);
    let refusals: &[(&[&str], &str)] = &[
        (&["checkin", "show", "C9"], "no check-in C9"),
        (&["checkin", "show", "X1"], "'X1' is not a check-in id"),
        (&["checkin", "list", "nobody"], "no peer matches 'nobody'"),
        (
            &["checkin", "edit", "C1", "--support", "magic"],
            "--support",
        ),
        (&["checkin", "edit", "C1", "--goal", "G9"], "G9"),
        (
            &["checkin", "edit", "C1", "--follow-up", "someday"],
            "--follow-up",
        ),
        (&["checkin", "void", "C1", "--reason", ""], "reason"),
        (
            &["peer", "merge", "P1", "--into", "P1"],
            "already the same peer",
        ),
        (&["peer", "merge", "P9", "--into", "P1"], "PEER: no peer P9"),
        (
            &["peer", "merge", "P2", "--into", "nobody"],
            "--into: no peer matches 'nobody'",
        ),
        (&["wellness", "list", "nobody"], "no peer matches 'nobody'"),
        (&["wellness", "add", "P1", "triggers", ""], "entry"),
        (&["goal", "step", "add", "G9", "Call"], "G9"),
        (&["goal", "step", "done", "G1", "3"], "step"),
        (&["goal", "step", "undone", "G1", "0"], "step"),
        (&["goal", "review", "G9", "--note", "fine"], "no goal G9"),
        (
            &["goal", "review", "G1", "--note", "ok", "--next", "soon-ish"],
            "--next",
        ),
        (&["group", "attend", "GR9", "P1"], "no group GR9"),
        (&["group", "attend", "GR1", "P1", "P1"], "attendees"),
        (
            &["group", "attend", "GR1", "--walk-in", "   "],
            "walk-in name",
        ),
        (&["group", "unattend", "GR1", "P9"], "no peer P9"),
        (
            &[
                "group",
                "session",
                "GR1",
                "--date",
                "next year",
                "--topic",
                "x",
            ],
            "--date",
        ),
        (
            &["staff", "reactivate", "Nobody"],
            "no staff member matches 'Nobody'",
        ),
        (&["completions", "tcsh"], "possible values"),
    ];
    for (args, needle) in refusals {
        fails(d, args, needle);
    }
    assert_eq!(stored(d), before, "nothing was written");
    // `man --out` pointing at a file says it is not a directory.
    let file = d.join("a-file");
    std::fs::write(&file, "x").expect("write");
    let out = file.to_string_lossy().into_owned();
    fails(d, &["man", "--out", &out], "is not a directory");
}
