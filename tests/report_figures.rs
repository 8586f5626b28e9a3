//! The service report against a hand-computed fixture
//! (tests/fixtures/report/README.md explains every figure), including the
//! daily units cap shared across staff, the periods and formats of the
//! command line, and `report --merge`.

mod support;

use std::path::Path;

use assert_cmd::Command;
use caseload::model::report::{Period, ServiceReport};
use caseload::model::{
    CheckInMode, Goal, GoalStatus, LifeDomain, Peer, PeerStatus, Settings, SupportKind,
};
use caseload::store::{SledStore, Store};
use predicates::prelude::*;
use serde_json::Value;
use support::{actor, at, d, group, session, staff};

const FIXTURE: &str = "tests/fixtures/report";

/// Builds the November 2026 center of the fixture in `dir`.
fn build_center(dir: &Path) -> SledStore {
    let store = support::open(dir);
    let settings = Settings {
        daily_unit_cap: Some(4),
        ..Settings::default()
    };
    store.save_settings(&settings, &actor()).unwrap();
    let s1 = staff(&store, "Jordan Reyes");
    let s2 = staff(&store, "Sam Lee");
    let peer = |name: &str, intake: &str, assigned: Option<caseload::model::StaffId>| {
        let mut p = Peer::new(name, d(intake));
        p.assigned_staff = assigned;
        p
    };
    let p1 = store
        .create_peer(peer("Ana", "2025-06-01", Some(s1.id)), &actor())
        .unwrap();
    let p2 = store
        .create_peer(peer("Ben", "2026-11-05", Some(s1.id)), &actor())
        .unwrap();
    let mut cy = peer("Cy", "2024-01-01", Some(s2.id));
    cy.set_status(PeerStatus::Discharged, d("2026-11-20"), None);
    let p3 = store.create_peer(cy, &actor()).unwrap();
    let mut dee = peer("Dee", "2024-03-01", None);
    dee.set_status(PeerStatus::Inactive, d("2026-06-01"), None);
    dee.set_status(PeerStatus::Active, d("2026-11-12"), None);
    let p4 = store.create_peer(dee, &actor()).unwrap();
    let p5 = store
        .create_peer(peer("Eve", "2026-10-01", None), &actor())
        .unwrap();
    let peers = [p1.id, p2.id, p3.id, p4.id, p5.id];
    let staff_ids = [s1.id, s2.id];

    let text = std::fs::read_to_string(format!("{FIXTURE}/checkins.csv")).unwrap();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split(',').collect();
        let p = peers[f[0][1..].parse::<usize>().unwrap() - 1];
        let s = staff_ids[f[1][1..].parse::<usize>().unwrap() - 1];
        let mut c = caseload::model::CheckIn::new(p, s, at(f[2]));
        c.minutes = f[3].parse().unwrap();
        c.mode = f[4].parse::<CheckInMode>().unwrap();
        for k in f[5].split(';').filter(|k| !k.is_empty()) {
            c.add_support(k.parse::<SupportKind>().unwrap());
        }
        c.wellbeing = (!f[6].is_empty()).then(|| f[6].parse().unwrap());
        let saved = store.create_checkin(c, &actor()).unwrap();
        if f[7] == "voided" {
            store
                .void_checkin(saved.id, "logged twice".into(), &actor())
                .unwrap();
        }
    }

    let circle = group(&store, "Tuesday circle");
    let art = group(&store, "Art group");
    let mut s = session(circle.id, "2026-11-03", &[p1.id, p2.id]);
    s.facilitator = Some(s1.id);
    store.create_session(s, &actor()).unwrap();
    let mut s = session(circle.id, "2026-11-17", &[p2.id, p5.id]);
    s.facilitator = Some(s2.id);
    store.create_session(s, &actor()).unwrap();
    let mut s = session(art.id, "2026-11-04", &[p5.id]);
    s.facilitator = Some(s2.id);
    store.create_session(s, &actor()).unwrap();
    let voided = store
        .create_session(session(art.id, "2026-11-11", &[p1.id]), &actor())
        .unwrap();
    store
        .void_session(voided.id, "wrong day".into(), &actor())
        .unwrap();

    let goal = |peer, domain, start: &str, end: Option<(GoalStatus, &str)>| {
        let mut g = Goal::new(peer, domain, "A goal in their words", d(start));
        if let Some((status, on)) = end {
            g.set_status(status, d(on), None);
        }
        store.create_goal(g, &actor()).unwrap();
    };
    goal(
        p1.id,
        LifeDomain::Housing,
        "2026-09-01",
        Some((GoalStatus::Achieved, "2026-11-15")),
    );
    goal(p1.id, LifeDomain::Employment, "2026-11-02", None);
    goal(
        p2.id,
        LifeDomain::Recovery,
        "2026-11-06",
        Some((GoalStatus::Dropped, "2026-11-25")),
    );
    goal(
        p3.id,
        LifeDomain::Housing,
        "2026-11-03",
        Some((GoalStatus::Achieved, "2026-11-28")),
    );
    goal(
        p4.id,
        LifeDomain::Community,
        "2026-01-01",
        Some((GoalStatus::Dropped, "2026-10-01")),
    );
    store
}

/// Every member of `expected` is in `actual` with the same value (objects
/// may carry more members, such as ids; arrays must match in length).
fn assert_matches(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a.get(k).unwrap_or_else(|| panic!("{path}.{k} is missing"));
                assert_matches(v, got, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path}: {a:?}");
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                assert_matches(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            assert_eq!(e.as_f64(), a.as_f64(), "{path}");
        }
        _ => assert_eq!(expected, actual, "{path}"),
    }
}

fn expected(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURE}/{name}")).unwrap()).unwrap()
}

fn november() -> Period {
    Period::month("2026-11").unwrap()
}

#[test]
fn every_figure_matches_the_hand_computed_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_center(dir.path());
    let r = caseload::ops::report::build(&store, november(), None).unwrap();
    assert_matches(
        &expected("november.expected.json"),
        &serde_json::to_value(&r).unwrap(),
        "report",
    );
    // By construction: the staff rows, the mode rows and the weeks add up.
    assert_eq!(r.by_staff.iter().map(|s| s.units).sum::<u64>(), r.units);
    assert_eq!(r.mode_units.values().map(|t| t.units).sum::<u64>(), r.units);
    assert_eq!(r.weeks.iter().map(|w| w.units).sum::<u64>(), r.units);
    assert_eq!(r.weeks.iter().map(|w| w.checkins).sum::<u64>(), r.checkins);
}

#[test]
fn one_staff_members_report_is_their_row_of_the_full_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_center(dir.path());
    let s1 = store.list_staff().unwrap().remove(0);
    let only = caseload::ops::report::build(&store, november(), Some(&s1)).unwrap();
    assert_matches(
        &expected("november_s1.expected.json"),
        &serde_json::to_value(&only).unwrap(),
        "report --staff S1",
    );
    let full = caseload::ops::report::build(&store, november(), None).unwrap();
    let row = full.by_staff.iter().find(|l| l.staff == s1.id).unwrap();
    assert_eq!(
        (only.units, only.checkins, only.minutes),
        (row.units, row.checkins, row.minutes)
    );
}

#[test]
fn without_a_cap_staff_keep_every_unit() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_center(dir.path());
    store.save_settings(&Settings::default(), &actor()).unwrap();
    let r = caseload::ops::report::build(&store, november(), None).unwrap();
    assert_eq!(r.units, 14);
    assert_eq!(r.by_staff.iter().map(|s| s.units).sum::<u64>(), 14);
}

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").unwrap();
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR");
    c
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = caseload(dir)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn periods_formats_staff_and_merge_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    drop(build_center(dir.path()));
    let d = dir.path();
    let json = |args: &[&str]| -> ServiceReport { serde_json::from_str(&run_ok(d, args)).unwrap() };
    let month = json(&["report", "--month", "2026-11", "--format", "json"]);
    assert_eq!(
        (month.from, month.to, month.units),
        (d_("2026-11-01"), d_("2026-11-30"), 10)
    );
    let q = json(&["report", "--quarter", "2026Q4", "--json"]);
    assert_eq!((q.from, q.to), (d_("2026-10-01"), d_("2026-12-31")));
    assert_eq!(q.checkins, 8, "October's and December's check-ins join in");
    let y = json(&["report", "--year", "2026", "--json"]);
    assert_eq!(
        (y.from, y.to, y.checkins),
        (d_("2026-01-01"), d_("2026-12-31"), 9)
    );
    let s1 = json(&[
        "report",
        "--month",
        "2026-11",
        "--staff",
        "Jordan Reyes",
        "--json",
    ]);
    assert_eq!((s1.units, s1.checkins), (3, 3));
    // A date word with a minus sign as its own argument.
    caseload(d)
        .args(["report", "--from", "-4w", "--format", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Service report"));
    let csv = run_ok(d, &["report", "--month", "2026-11", "--format", "csv"]);
    assert!(csv.starts_with("section,item,measure,value"), "{csv}");
    assert!(csv.contains("check-ins,all,units,10"), "{csv}");
    assert!(csv.contains("staff,Jordan Reyes,units,3"), "{csv}");
    assert!(csv.contains("goal domain,housing,achieved,2"), "{csv}");

    let a = d.join("a.json");
    std::fs::write(&a, run_ok(d, &["report", "--month", "2026-11", "--json"])).unwrap();
    let merged: ServiceReport = serde_json::from_str(&run_ok(
        d,
        &[
            "report",
            "--merge",
            a.to_str().unwrap(),
            a.to_str().unwrap(),
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!((merged.centers, merged.units, merged.checkins), (2, 20, 12));
    assert!(merged.by_staff.is_empty(), "no staff rows cross centers");
    assert_eq!(merged.weeks[2].units, 8);
    let oct = d.join("oct.json");
    std::fs::write(&oct, run_ok(d, &["report", "--month", "2026-10", "--json"])).unwrap();
    caseload(d)
        .args([
            "report",
            "--merge",
            a.to_str().unwrap(),
            oct.to_str().unwrap(),
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("covers 2026-10-01 to 2026-10-31"));
    let junk = d.join("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    caseload(d)
        .args(["report", "--merge", junk.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "junk.json: not a caseload JSON report",
        ));
}

#[test]
fn bad_periods_name_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (args, msg) in [
        (
            vec!["report", "--month", "2026-13"],
            "--month: cannot read '2026-13'",
        ),
        (
            vec!["report", "--quarter", "2026Q5"],
            "a quarter is Q1 to Q4",
        ),
        (
            vec!["report", "--year", "twenty"],
            "--year: cannot read 'twenty'",
        ),
        (vec!["report", "--staff", "Nobody"], "--staff"),
    ] {
        caseload(d)
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(msg));
    }
    caseload(d)
        .args(["report", "--month", "2026-11", "--year", "2026"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot be used with"));
}

fn d_(s: &str) -> chrono::NaiveDate {
    d(s)
}

#[test]
fn demographics_turned_on_are_counted_for_peers_served_only() {
    use caseload::model::{AgeBand, DemographicFields};
    let dir = tempfile::tempdir().unwrap();
    let store = build_center(dir.path());
    let mut settings = store.settings().unwrap();
    settings.demographics = DemographicFields::parse("age-band,veteran").unwrap();
    store.save_settings(&settings, &actor()).unwrap();
    for (i, mut p) in store.list_peers().unwrap().into_iter().enumerate() {
        // Ana 25-34 veteran; Ben 25-34 not; Cy and Dee give nothing; Eve 65+.
        p.demographics.age_band = [
            Some(AgeBand::From25To34),
            Some(AgeBand::From25To34),
            None,
            None,
            Some(AgeBand::From65),
        ][i];
        p.demographics.veteran = [Some(true), Some(false), None, None, None][i];
        p.demographics.county = Some("King".into()); // collected but not reported: off
        store.update_peer(&p, &actor()).unwrap();
    }
    let r = caseload::ops::report::build(&store, november(), None).unwrap();
    let v = serde_json::to_value(&r.demographics).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "age band": {"25-34": 2, "65+": 1, "not given": 2},
            "veteran": {"yes": 1, "no": 1, "not given": 3}
        })
    );
    // Merged centers add the counts up.
    let m = ServiceReport::merge(&[("a".into(), r.clone()), ("b".into(), r)]).unwrap();
    assert_eq!(m.demographics["age band"]["25-34"], 4);
}

#[test]
fn a_schema_2_store_gains_the_demographic_fields() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = support::open(dir.path());
        store
            .save_settings(
                &Settings {
                    organization_name: "Old Center".into(),
                    ..Settings::default()
                },
                &actor(),
            )
            .unwrap();
        store
            .create_peer(Peer::new("Ana", d("2026-01-05")), &actor())
            .unwrap();
    }
    // Make it what schema 2 wrote: records without the last four bytes.
    {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let db = loop {
            match sled::Config::new().path(dir.path()).open() {
                Ok(db) => break db,
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("{e}"),
            }
        };
        let meta = db.open_tree("meta").unwrap();
        let peers = db.open_tree("peers").unwrap();
        let (k, v) = peers.iter().next().unwrap().unwrap();
        assert_eq!(&v[v.len() - 4..], &[0, 0, 0, 0]);
        peers.insert(k, &v[..v.len() - 4]).unwrap();
        let s = meta.get(b"settings").unwrap().unwrap();
        meta.insert(b"settings", &s[..s.len() - 4]).unwrap();
        meta.insert(b"schema_version", &2u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let store = support::open(dir.path());
    let p = store.list_peers().unwrap().remove(0);
    assert_eq!(p.display_name, "Ana");
    assert_eq!(p.demographics, caseload::model::Demographics::default());
    let s = store.settings().unwrap();
    assert_eq!(s.organization_name, "Old Center");
    assert!(!s.demographics.any());
}

#[test]
fn demographic_flags_need_the_setting_and_valid_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    caseload(d)
        .args(["peer", "add", "Ana", "--county", "King"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--county: this organization does not collect it",
        ));
    run_ok(
        d,
        &[
            "settings",
            "--demographics",
            "county,veteran,age-band,gender-identity",
        ],
    );
    caseload(d)
        .args(["peer", "add", "Ana", "--veteran", "maybe"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--veteran: 'maybe': give yes, no or unknown",
        ));
    caseload(d)
        .args(["peer", "add", "Ana", "--age-band", "30"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--age-band"));
    run_ok(
        d,
        &[
            "peer",
            "add",
            "Ana",
            "--county",
            "King",
            "--veteran",
            "yes",
            "--age-band",
            "25-34",
            "--gender-identity",
            "Woman",
        ],
    );
    let list: Value = serde_json::from_str(&run_ok(d, &["peer", "list", "--json"])).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "refused adds wrote nothing"
    );
    assert_eq!(
        list[0]["data"]["demographics"],
        serde_json::json!({"age_band": "25-34", "gender_identity": "Woman", "veteran": true, "county": "King"})
    );
}
