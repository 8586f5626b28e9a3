//! `caseload import-peers` against real-world-shaped CSV
//! (tests/fixtures/import/README.md gives each row's expected outcome).

mod support;

use std::path::Path;

use assert_cmd::Command;
use caseload::ops::import_peers::{apply, fold_name, parse_sheet_date, plan};
use caseload::store::Store;
use predicates::prelude::*;
use serde_json::Value;
use support::{actor, d};

const FIXTURES: &str = "tests/fixtures/import";

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").unwrap();
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR");
    c
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn peers(dir: &Path) -> Vec<Value> {
    let out = caseload(dir)
        .args(["peer", "list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn with_jose() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    caseload(dir.path())
        .args(["peer", "add", "Jose Nunez", "--phone", "555-0199"])
        .assert()
        .success();
    dir
}

#[test]
fn the_excel_roster_is_checked_first_and_nothing_is_written_on_problems() {
    let dir = with_jose();
    let d = dir.path();
    caseload(d)
        .args(["import-peers", &fixture("roster_excel.csv")])
        .assert()
        .failure()
        .stdout(predicate::str::contains(
            "line 9, column 'Intake-Date': '03/04/2026' is ambiguous",
        ))
        .stdout(predicate::str::contains(
            "line 10, column 'Intake-Date': cannot read '2026-02-30' as a date",
        ))
        .stdout(predicate::str::contains(
            "likely duplicate, not added: line 7: José Núñez (same name and phone as P1, already on the roster)",
        ))
        .stdout(predicate::str::contains(
            "likely duplicate, not added: line 8: Ana  ruiz (same name and phone as line 2)",
        ))
        .stdout(predicate::str::contains("'Case #'"))
        .stderr(predicate::str::contains("2 row(s) have problems, so nothing was imported"));
    assert_eq!(peers(d).len(), 1, "nothing written");
    // A dry run reports the same and writes nothing either.
    caseload(d)
        .args(["import-peers", &fixture("roster_excel.csv"), "--dry-run"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "8 row(s) read; 4 valid, 2 with problems, 2 likely duplicate(s)",
        ))
        .stdout(predicate::str::contains("nothing was written"));
    assert_eq!(peers(d).len(), 1);
}

#[test]
fn skip_invalid_adds_the_valid_rows_and_says_what_it_skipped() {
    let dir = with_jose();
    let d = dir.path();
    caseload(d)
        .args([
            "import-peers",
            &fixture("roster_excel.csv"),
            "--skip-invalid",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "skipped 2 row(s) with problems: line(s) 9, 10",
        ))
        .stdout(predicate::str::contains("added 4 peer(s) (P2 to P5)"))
        // Piped: no progress bar on stderr.
        .stderr(predicate::str::is_empty());
    let list = peers(d);
    let names: Vec<&str> = list
        .iter()
        .map(|p| p["data"]["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Jose Nunez",
            "Ana Ruiz",
            "Zoë Ångström",
            "Björn Øster",
            "=HYPERLINK(\"x\")"
        ]
    );
    let zoe = &list[2];
    assert_eq!(zoe["data"]["intake_date"], "2026-11-23");
    assert_eq!(
        zoe["data"]["notes"],
        "First line\r\nsecond line, with comma"
    );
    assert_eq!(zoe["data"]["pronouns"], "they/them");
    assert_eq!(list[3]["data"]["intake_date"], "2026-11-23", "23.11.2026");
    // Importing again finds every row already on the roster.
    caseload(d)
        .args([
            "import-peers",
            &fixture("roster_excel.csv"),
            "--skip-invalid",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0 peer(s)"));
    assert_eq!(peers(d).len(), 5);
}

#[test]
fn first_and_last_names_day_first_dates_and_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    caseload(d)
        .args(["import-peers", &fixture("roster_clean.csv")])
        .assert()
        .success()
        .stdout(predicate::str::contains("added 3 peer(s)"));
    let list = peers(d);
    assert_eq!(list[0]["data"]["display_name"], "Mia Chen");
    assert_eq!(list[0]["data"]["email"], "mia@example.org");
    assert_eq!(list[1]["data"]["intake_date"], "2026-11-23");
    assert_eq!(list[1]["data"]["status"], "inactive");
    assert_eq!(list[2]["data"]["status"], "active");
}

#[test]
fn a_map_names_the_columns_and_bad_maps_or_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    caseload(d)
        .args(["import-peers", &fixture("roster_noname.csv")])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no column holds the peer's name"))
        .stderr(predicate::str::contains("--map"));
    caseload(d)
        .args([
            "import-peers",
            &fixture("roster_noname.csv"),
            "--map",
            "Client=nickname",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("'nickname' is not a peer field"));
    caseload(d)
        .args([
            "import-peers",
            &fixture("roster_noname.csv"),
            "--map",
            "Customer=display-name",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "the header has no such column (it has: Client, Telephone)",
        ));
    caseload(d)
        .args(["import-peers", "no-such-file.csv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot open no-such-file.csv"));
    assert_eq!(peers(d).len(), 0);
    caseload(d)
        .args([
            "import-peers",
            &fixture("roster_noname.csv"),
            "--map",
            "client=display-name",
            "--map",
            "TELEPHONE=phone",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("added 1 peer(s) (P1)"));
    assert_eq!(peers(d)[0]["data"]["phone"], "555");
}

#[test]
fn dates_names_and_non_utf8_cells() {
    assert_eq!(parse_sheet_date("2026-11-23"), Ok(d("2026-11-23")));
    assert_eq!(parse_sheet_date("11/23/2026"), Ok(d("2026-11-23")));
    assert_eq!(parse_sheet_date("23/11/2026"), Ok(d("2026-11-23")));
    assert_eq!(parse_sheet_date("23.11.2026"), Ok(d("2026-11-23")));
    assert_eq!(
        parse_sheet_date("04/04/2026"),
        Ok(d("2026-04-04")),
        "the same either way"
    );
    assert!(parse_sheet_date("03/04/2026")
        .unwrap_err()
        .contains("ambiguous"));
    assert!(parse_sheet_date("13/13/2026").is_err());
    assert!(
        parse_sheet_date("11/23/26").is_err(),
        "two-digit years are not guessed"
    );
    assert_eq!(fold_name("  José  NÚÑEZ "), fold_name("jose nunez"));

    let (_dir, store) = support::fresh();
    let latin1 = b"Name,Phone\nRen\xe9,555\nAna,556\n";
    let p = plan(&store, &latin1[..], "sheet.csv", &[], d("2026-11-30")).unwrap();
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].line, 2);
    assert_eq!(p.problems[0].column.as_deref(), Some("Name"));
    assert!(
        p.problems[0].message.contains("not UTF-8"),
        "{:?}",
        p.problems
    );
    assert!(apply(&store, &p, &actor(), false, &mut |_| {}).is_err());
    let evil = "Name,Intake\nAna,\x1b[2J2026\n";
    let p2 = plan(&store, evil.as_bytes(), "evil.csv", &[], d("2026-11-30")).unwrap();
    let shown = p2.problems[0].to_string();
    assert!(shown.starts_with("line 2, column 'Intake':"), "{shown}");
    assert!(!shown.contains('\x1b'), "escaped: {shown}");
    assert_eq!(store.list_peers().unwrap().len(), 0, "nothing written");
}

#[test]
fn a_big_roster_is_written_in_batches_of_at_most_a_thousand() {
    let (_dir, store) = support::fresh();
    let mut csv = String::from("Name,Phone\n");
    for i in 0..2_500 {
        csv.push_str(&format!("Peer {i},555-{i:04}\n"));
    }
    let p = plan(&store, csv.as_bytes(), "big.csv", &[], d("2026-11-30")).unwrap();
    assert_eq!(p.rows.len(), 2_500);
    let mut steps = Vec::new();
    let out = apply(&store, &p, &actor(), false, &mut |n| steps.push(n)).unwrap();
    assert_eq!(steps, [1_000, 2_000, 2_500]);
    assert_eq!(out.created.len(), 2_500);
    assert_eq!(store.counts().unwrap().peers, 2_500);
}
