//! Nothing raw from argv (issue 8, item 9): usage errors escaped, dates
//! refused outside a plausible window naming the flag, CSV cells that a
//! spreadsheet would run neutralised, negative numbers answered with what
//! the flag accepts.

use std::path::Path;

use assert_cmd::Command;
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

/// Runs and returns (exit code, stderr).
fn fails(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = caseload(dir).args(args).output().expect("runs");
    assert!(!out.status.success(), "{args:?} succeeded");
    let err = String::from_utf8(out.stderr).expect("utf-8 stderr");
    (out.status.code().unwrap_or(-1), err)
}

fn store() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    stdout(tmp.path(), &["staff", "add", "Jordan Reyes"]);
    stdout(tmp.path(), &["peer", "add", "Ana Ruiz"]);
    tmp
}

/// No ESC, BEL or other C0 control but the newline, no DEL, no C1 control.
fn assert_no_raw_controls(what: &str, s: &str) {
    for c in s.chars() {
        assert!(
            c == '\n' || !(c.is_control()),
            "{what}: raw control U+{:04X} in {s:?}",
            c as u32
        );
    }
}

fn checkins(dir: &Path) -> usize {
    let doc: Value = serde_json::from_str(&stdout(dir, &["export"])).expect("json");
    doc["checkins"].as_array().map(Vec::len).unwrap_or(0)
}

const OSC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const OSC_CLIPBOARD: &str = "\u{1b}]52;c;aGVsbG8=\u{7}";
const CSI_CLEAR: &str = "\u{1b}[2J\u{9b}31m";

#[test]
fn escapes_in_argv_on_a_usage_error_never_reach_stderr_raw() {
    let tmp = store();
    let d = tmp.path();
    for evil in [OSC_TITLE, OSC_CLIPBOARD, CSI_CLEAR] {
        // In a value clap checks.
        let (code, err) = fails(d, &["log", "P1", "--mode", evil]);
        assert_eq!(code, 2, "{err}");
        assert_no_raw_controls("--mode", &err);
        assert!(err.contains("--mode"), "{err}");
        assert!(err.contains("'\\e"), "the value is shown escaped: {err}");
        // In an unknown flag.
        let flag = format!("--bogus{evil}");
        let (code, err) = fails(d, &["log", "P1", &flag]);
        assert_eq!(code, 2, "{err}");
        assert_no_raw_controls("unknown flag", &err);
        assert!(err.contains("--bogus\\e"), "{err}");
        // In a positional: an unknown subcommand and one argument too many.
        let (code, err) = fails(d, &[evil]);
        assert_eq!(code, 2, "{err}");
        assert_no_raw_controls("subcommand", &err);
        assert!(err.contains("unrecognized subcommand"), "{err}");
        let (code, err) = fails(d, &["peer", "show", "P1", evil]);
        assert_eq!(code, 2, "{err}");
        assert_no_raw_controls("positional", &err);
        assert!(err.contains("unexpected argument '\\e"), "{err}");
    }
    // Help still prints, to standard output, with exit 0.
    let help = stdout(d, &["log", "--help"]);
    assert!(help.contains("--minutes"), "{help}");
}

#[test]
fn check_in_times_outside_the_plausible_window_are_refused_naming_the_flag() {
    let tmp = store();
    let d = tmp.path();
    for at in [
        "9999-12-31",
        "0001-01-01",
        "9999-12-31 10:00",
        "1899-12-31 23:59",
    ] {
        let (code, err) = fails(d, &["log", "P1", "--at", at]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains(&format!("--at: '{at}'")), "{err}");
        assert!(
            err.contains("1900-01-01") || err.contains("more than a day after now"),
            "{err}"
        );
    }
    let (_, err) = fails(d, &["log", "P1", "--at", "+3d"]);
    assert!(err.contains("--at: '+3d'"), "{err}");
    assert!(err.contains("more than a day after now"), "{err}");
    assert_eq!(checkins(d), 0, "nothing was saved");
    // A day back is fine.
    stdout(d, &["log", "P1", "--at", "yesterday 10:00"]);
    assert_eq!(checkins(d), 1);
}

#[test]
fn other_date_flags_have_windows_too() {
    let tmp = store();
    let d = tmp.path();
    stdout(
        d,
        &["group", "add", "G", "--weekday", "tue", "--time", "14:00"],
    );
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["log", "P1", "--follow-up", "9999-12-31"],
            "--follow-up: '9999-12-31'",
            "more than a year after the check-in",
        ),
        (
            vec!["peer", "add", "Zed", "--intake", "0001-01-01"],
            "--intake: '0001-01-01'",
            "before 1900-01-01",
        ),
        (
            vec![
                "goal",
                "add",
                "P1",
                "Housing",
                "--domain",
                "housing",
                "--target",
                "9999-12-31",
            ],
            "--target: '9999-12-31'",
            "give a date up to",
        ),
        (
            vec![
                "goal", "add", "P1", "Housing", "--domain", "housing", "--review", "+20w",
            ],
            "",
            "",
        ),
        (
            vec!["today", "--date", "3000-01-01"],
            "--date: '3000-01-01'",
            "more than a year after today",
        ),
        (
            vec!["report", "--from", "1066-10-14"],
            "--from: '1066-10-14'",
            "before 1900-01-01",
        ),
        (vec!["report", "--from", "-2w", "--to", "+1d"], "", ""),
        (
            vec!["report", "--to", "2999-01-01"],
            "--to: '2999-01-01'",
            "more than a year after today",
        ),
        (
            vec!["group", "attend", "G", "P1", "--date", "1800-01-01"],
            "--date: '1800-01-01'",
            "before 1900-01-01",
        ),
    ];
    for (args, field, why) in cases {
        if field.is_empty() {
            // A plausible date passes.
            stdout(d, &args);
            continue;
        }
        let (code, err) = fails(d, &args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains(field), "{args:?}: {err}");
        assert!(err.contains(why), "{args:?}: {err}");
    }
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_neutralised() {
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    let evil = "=HYPERLINK(\"http://x.invalid\",\"click\")";
    stdout(d, &["staff", "add", evil]);
    stdout(d, &["staff", "add", "@SUM(A1)", "--initials", "AT"]);
    stdout(d, &["staff", "add", "--initials", "MN", "--", "-2+3"]);
    stdout(d, &["peer", "add", "Ana Ruiz"]);
    for staff in ["S1", "S2", "S3"] {
        stdout(
            d,
            &["log", "P1", "--staff", staff, "--at", "yesterday 10:00"],
        );
    }
    let csv = stdout(d, &["report", "--csv", "--from", "-7d", "--to", "+1d"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let mut names = Vec::new();
    for row in r.records() {
        let row = row.expect("csv row");
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} in {csv}"
            );
        }
        if &row[0] == "staff" {
            names.push(row[1].to_string());
        }
    }
    assert!(names.contains(&format!("'{evil}")), "{names:?}");
    assert!(names.contains(&"'@SUM(A1)".to_string()), "{names:?}");
    assert!(names.contains(&"'-2+3".to_string()), "{names:?}");
    // Numbers stay numbers.
    assert!(csv.contains("check-ins,all,count,3"), "{csv}");
}

#[test]
fn negative_numbers_are_answered_with_what_the_flag_accepts() {
    let tmp = store();
    let d = tmp.path();
    let (code, err) = fails(d, &["log", "P1", "--minutes", "-5"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("--minutes: -5 is out of range; give 1 to 1440 minutes"),
        "{err}"
    );
    assert!(!err.contains("unexpected argument"), "{err}");
    let (_, err) = fails(d, &["log", "P1", "--wellbeing", "-1"]);
    assert!(
        err.contains("--wellbeing: '-1' is not a number from 1 to 5"),
        "{err}"
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["peer", "add", "Zed", "--cadence-days", "-5"],
            "'--cadence-days <N>': give a whole number from 0 to 65535, got '-5'",
        ),
        (
            vec![
                "group",
                "add",
                "WRAP",
                "--weekday",
                "tue",
                "--time",
                "14:00",
                "--minutes",
                "-5",
            ],
            "--minutes <MINUTES>': -5 is out of range; give 1 to 1440 minutes",
        ),
        (vec!["backup", "--keep", "-1"], "a whole number from 1 to"),
        (
            vec!["settings", "--daily-cap", "-1"],
            "'--daily-cap <DAILY_CAP>': give a whole number from 0 to",
        ),
        (
            vec!["demo", "--peers", "-3"],
            "give a whole number from 0 to",
        ),
        (
            vec!["audit", "--limit", "-1"],
            "'--limit <N>': give a whole number from 0 to",
        ),
    ];
    for (args, message) in cases {
        let (code, err) = fails(d, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
}

#[test]
fn relative_dates_with_a_minus_sign_reach_the_date_rules() {
    // `-7d` is documented for every date flag; clap must not take it for
    // an unknown flag.
    let tmp = TempDir::new().expect("temp dir");
    let d = tmp.path();
    stdout(d, &["staff", "add", "Boss", "--role", "admin"]);
    let trail = stdout(d, &["audit", "--since", "-7d"]);
    assert!(trail.contains("created staff S1"), "{trail}");
    stdout(d, &["peer", "add", "Ana Ruiz", "--intake", "-2w"]);
    stdout(d, &["log", "P1", "--at", "-1d", "--staff", "S1"]);
    let report = stdout(d, &["report", "--from", "-7d", "--to", "-0d", "--json"]);
    let r: Value = serde_json::from_str(&report).expect("json");
    assert_eq!(r["checkins"], 1, "{report}");
}
