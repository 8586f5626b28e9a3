//! One rule for time: what staff type is read in the center's zone with
//! the rules of that very date, and a day is the span between its local
//! midnights (23 hours when clocks go forward, 25 when they go back), in
//! both hemispheres. The binary runs with `TZ` set (chrono's `Local`
//! honours it); the library is driven with explicit IANA zones.

use std::path::Path;

use assert_cmd::Command;
use caseload::model::dates::{parse_datetime_in, CenterTime};
use caseload::model::{Actor, CheckIn, Peer, Role, Staff, StaffId};
use caseload::store::{SledStore, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use tempfile::TempDir;

const NEW_YORK: CenterTime<chrono_tz::Tz> = CenterTime(chrono_tz::America::New_York);
const AUCKLAND: CenterTime<chrono_tz::Tz> = CenterTime(chrono_tz::Pacific::Auckland);

fn caseload(dir: &Path, tz: &str) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env("TZ", tz);
    c
}

fn run(dir: &Path, tz: &str, args: &[&str]) -> String {
    let out = caseload(dir, tz)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

fn setup(tz: &str) -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    run(tmp.path(), tz, &["staff", "add", "Jordan Reyes"]);
    run(
        tmp.path(),
        tz,
        &["peer", "add", "Ana Ruiz", "--intake", "2026-01-05"],
    );
    tmp
}

/// The stored check-in times, as UTC RFC 3339, in id order.
fn stored_utc(dir: &Path, tz: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(&run(dir, tz, &["export"])).expect("json");
    doc["checkins"]
        .as_array()
        .expect("check-ins")
        .iter()
        .map(|c| {
            let at = c["data"]["at"].as_str().expect("at");
            DateTime::parse_from_rfc3339(at)
                .expect("rfc3339")
                .with_timezone(&Utc)
                .to_rfc3339()
        })
        .collect()
}

fn report_count(dir: &Path, tz: &str, day: &str) -> u64 {
    let r: Value = serde_json::from_str(&run(
        dir,
        tz,
        &["report", "--from", day, "--to", day, "--json"],
    ))
    .expect("json");
    r["checkins"].as_u64().expect("count")
}

fn zoneinfo_present(zone: &str) -> bool {
    Path::new("/usr/share/zoneinfo").join(zone).exists()
}

#[test]
fn a_time_typed_across_the_spring_change_lands_on_that_days_offset() {
    let tz = "America/New_York";
    assert!(
        zoneinfo_present(tz),
        "the system time zone database is needed"
    );
    let tmp = setup(tz);
    let d = tmp.path();
    // Typed in December (EST, -05:00) for days after each change of 2026.
    run(d, tz, &["log", "P1", "--at", "2026-03-09 10:00"]);
    run(d, tz, &["log", "P1", "--at", "2026-11-02 10:00"]);
    run(d, tz, &["log", "P1", "--at", "2026-07-01 09:00"]);
    assert_eq!(
        stored_utc(d, tz),
        vec![
            "2026-03-09T14:00:00+00:00",
            "2026-11-02T15:00:00+00:00",
            "2026-07-01T13:00:00+00:00"
        ]
    );
    // And shown back in local time.
    let shown = run(d, tz, &["log", "P1", "--at", "2026-03-10 08:15"]);
    assert!(shown.contains("on 2026-03-10 08:15"), "{shown}");
}

#[test]
fn a_day_is_the_span_between_its_local_midnights_in_reports() {
    let tz = "America/New_York";
    let tmp = setup(tz);
    let d = tmp.path();
    for at in [
        "2026-03-07 23:59",
        "2026-03-08 00:30",
        "2026-03-08 23:30",
        "2026-03-09 00:01",
        "2026-10-31 23:59",
        "2026-11-01 00:30",
        // 01:30 happens twice on 1 November; either way it is that day.
        "2026-11-01 01:30",
        "2026-11-01 23:30",
        "2026-11-02 00:00",
    ] {
        run(d, tz, &["log", "P1", "--at", at]);
    }
    assert_eq!(report_count(d, tz, "2026-03-08"), 2, "the 23-hour day");
    assert_eq!(report_count(d, tz, "2026-11-01"), 3, "the 25-hour day");
    assert_eq!(report_count(d, tz, "2026-03-07"), 1);
    assert_eq!(report_count(d, tz, "2026-11-02"), 1);
}

#[test]
fn the_southern_hemisphere_changes_the_other_way() {
    let tz = "Pacific/Auckland";
    assert!(
        zoneinfo_present(tz),
        "the system time zone database is needed"
    );
    let tmp = setup(tz);
    let d = tmp.path();
    // Typed in December (NZDT, +13:00): April is NZST (+12), after the
    // change back; late September is NZDT again.
    run(d, tz, &["log", "P1", "--at", "2026-04-06 10:00"]);
    run(d, tz, &["log", "P1", "--at", "2026-09-28 10:00"]);
    run(d, tz, &["log", "P1", "--at", "2026-09-27 00:30"]);
    run(d, tz, &["log", "P1", "--at", "2026-09-27 23:30"]);
    assert_eq!(
        stored_utc(d, tz),
        vec![
            "2026-04-05T22:00:00+00:00",
            "2026-09-27T21:00:00+00:00",
            "2026-09-26T12:30:00+00:00",
            "2026-09-27T10:30:00+00:00"
        ]
    );
    assert_eq!(report_count(d, tz, "2026-09-27"), 2, "the 23-hour day");
}

#[test]
fn the_store_finds_a_days_check_ins_between_its_local_midnights() {
    let tmp = TempDir::new().expect("temp dir");
    let store = SledStore::open(tmp.path()).expect("open");
    let setup = Actor::login("setup");
    store
        .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &setup)
        .expect("staff");
    let day = |s: &str| s.parse::<NaiveDate>().expect("date");
    let peer = store
        .create_peer(Peer::new("Ana Ruiz", day("2026-01-05")), &setup)
        .expect("peer")
        .id;
    let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00-05:00").expect("now");
    for (zone, typed, on) in [
        (
            &NEW_YORK,
            &[
                "2026-03-07 23:59",
                "2026-03-08 00:30",
                "2026-03-08 23:30",
                "2026-03-09 00:01",
            ][..],
            "2026-03-08",
        ),
        (
            &NEW_YORK,
            &[
                "2026-11-01 00:30",
                "2026-11-01 01:30",
                "2026-11-01 23:59",
                "2026-11-02 00:00",
            ][..],
            "2026-11-01",
        ),
        (
            &AUCKLAND,
            &["2026-04-05 00:10", "2026-04-05 23:50", "2026-04-06 00:00"][..],
            "2026-04-05",
        ),
    ] {
        let mut made = Vec::new();
        for t in typed {
            let at = parse_datetime_in(zone, "--at", t, now).expect("plausible");
            let c = store
                .create_checkin(CheckIn::new(peer, StaffId::new(1), at), &setup)
                .expect("check-in");
            made.push(c);
        }
        let (from, to) = zone.day_bounds(day(on));
        let between: Vec<_> = store
            .checkins_for_peer_between(peer, from, to)
            .expect("range")
            .into_iter()
            .map(|c| c.id)
            .collect();
        let on_day: Vec<_> = store
            .checkins_on(day(on))
            .expect("day")
            .into_iter()
            .filter(|c| made.iter().any(|m| m.id == c.id))
            .map(|c| c.id)
            .collect();
        let expected: Vec<_> = made
            .iter()
            .filter(|c| c.day() == day(on))
            .map(|c| c.id)
            .collect();
        // The stored day, the day index and the local midnights agree.
        assert_eq!(between, expected, "{on}");
        assert_eq!(on_day, expected, "{on}");
        assert_eq!(
            expected.len(),
            typed.len() - 1 - usize::from(on == "2026-03-08")
        );
    }
}

#[test]
fn today_and_the_timeline_use_the_same_midnights() {
    use caseload::ops::plan::timeline_in;
    use caseload::ops::today::today_report_in;
    let tmp = TempDir::new().expect("temp dir");
    let store = SledStore::open(tmp.path()).expect("open");
    let setup = Actor::login("setup");
    store
        .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &setup)
        .expect("staff");
    let day = |s: &str| s.parse::<NaiveDate>().expect("date");
    let mut ana = Peer::new("Ana Ruiz", day("2026-01-05"));
    ana.cadence_days = Some(1);
    let peer = store.create_peer(ana, &setup).expect("peer").id;
    let now = DateTime::parse_from_rfc3339("2026-03-09T12:00:00-04:00").expect("now");
    // Late on the 23-hour day: 03:30 UTC on the 9th, before New York's
    // midnight of the 9th (04:00 UTC) but after UTC's.
    let at = parse_datetime_in(&NEW_YORK, "--at", "2026-03-08 23:30", now).expect("at");
    assert_eq!(
        at.with_timezone(&Utc).to_rfc3339(),
        "2026-03-09T03:30:00+00:00"
    );
    let mut c = CheckIn::new(peer, StaffId::new(1), at);
    c.wellbeing = Some(4);
    store.create_checkin(c, &setup).expect("check-in");
    // Seen on the 8th: on the 9th, a one-day cadence is due, not overdue,
    // and the contact of the 8th counts as "before today".
    let report = today_report_in(&NEW_YORK, &store, day("2026-03-09"), None).expect("today");
    let rows: Vec<String> = caseload::model::today::Section::ALL
        .iter()
        .flat_map(|s| {
            report
                .section(*s)
                .map(|r| r.why.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        rows,
        vec!["wants contact every 1 day; last seen 2026-03-08, 1 day ago".to_string()],
        "the check-in late on the 8th is Ana's last contact before the 9th"
    );
    // The timeline shows the rating on the 8th, its local day.
    let t = timeline_in(&NEW_YORK, &store, peer, day("2026-03-09")).expect("timeline");
    assert_eq!(t.wellbeing, vec![(day("2026-03-08"), 4)]);
}
