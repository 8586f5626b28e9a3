//! Visit rules against hand-computed fixtures, through the store: a visit
//! counts as being seen for re-engagement on Today (from the next day,
//! like a group attended), one visit per peer per day, "here now" with
//! the Today reason, the report's figures in every format, and the export
//! → import → export round trip.

use caseload::model::today::Section;
use caseload::model::{Actor, Peer, PeerId, Visit};
use caseload::ops::report::service_report;
use caseload::ops::today::today_report;
use caseload::ops::visit::here_now_rows;
use caseload::store::{SledStore, Store};
use chrono::{NaiveDate, NaiveTime};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).expect("date")
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("time")
}

const A: PeerId = PeerId::new(1);
const B: PeerId = PeerId::new(2);
const C: PeerId = PeerId::new(3);
const DEE: PeerId = PeerId::new(4);

/// Four peers with intake on 1 January (re-engagement after 30 days):
/// A came on 1 March (twice: one visit) and 10 March, B never, C only on
/// 10 March, Dee on 1 February.
fn fixture() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().expect("tmp");
    let store = SledStore::open(dir.path()).expect("open");
    let who = Actor::login("desk");
    for name in ["Avery Stone", "Blake Lee", "Casey Moon", "Dee Park"] {
        store
            .create_peer(Peer::new(name, d(1, 1)), &who)
            .expect("peer");
    }
    let visit = |peer, day, time, purpose: Option<&str>| {
        let mut v = Visit::new(peer, day, time);
        v.purpose = purpose.map(str::to_string);
        store.record_visit(v, &who).expect("visit")
    };
    let first = visit(A, d(3, 1), t(9, 15), Some("meal"));
    let again = visit(A, d(3, 1), t(13, 0), None);
    assert_eq!(first.id, again.id, "one visit per peer per day");
    assert_eq!(again.time_in, t(9, 15), "the first time in is kept");
    assert_eq!(again.purpose.as_deref(), Some("meal"));
    visit(A, d(3, 10), t(11, 0), Some("laundry"));
    visit(C, d(3, 10), t(10, 30), None);
    visit(DEE, d(2, 1), t(12, 0), Some("computer"));
    (dir, store)
}

#[test]
fn a_visit_counts_as_being_seen_for_re_engagement_from_the_next_day() {
    let (_dir, store) = fixture();
    let today = today_report(&store, d(3, 10), None).expect("today");
    let reengage: Vec<(PeerId, i64, String)> = today
        .section(Section::Reengage)
        .map(|r| (r.peer.expect("peer"), r.days.expect("days"), r.why.clone()))
        .collect();
    // A was at the center 9 days ago: not listed. B: 68 days since
    // intake. C came only today: still listed (today counts tomorrow).
    // Dee: 37 days since 1 February.
    assert_eq!(reengage.len(), 3, "{reengage:?}");
    assert!(!reengage.iter().any(|r| r.0 == A));
    let of = |p| reengage.iter().find(|r| r.0 == p).expect("row");
    assert_eq!(of(B).1, 68);
    assert_eq!(of(C).1, 68);
    assert_eq!(of(DEE).1, 37);
    assert!(
        of(DEE).2.contains("last at the center 2026-02-01"),
        "{}",
        of(DEE).2
    );
    // A visit is not a check-in: nobody is "seen today" by one.
    assert_eq!(today.count(Section::SeenToday), 0);
    // The next day, C's visit counts.
    let tomorrow = today_report(&store, d(3, 11), None).expect("today");
    assert!(!tomorrow
        .section(Section::Reengage)
        .any(|r| r.peer == Some(C)));
}

#[test]
fn here_now_lists_todays_visitors_with_the_today_reason() {
    let (_dir, store) = fixture();
    let rows = here_now_rows(&store, d(3, 10)).expect("here now");
    let seen: Vec<(PeerId, NaiveTime, Option<Section>)> = rows
        .iter()
        .map(|r| (r.peer, r.time_in, r.section))
        .collect();
    assert_eq!(
        seen,
        vec![(C, t(10, 30), Some(Section::Reengage)), (A, t(11, 0), None)]
    );
    assert!(rows[0]
        .why
        .as_deref()
        .is_some_and(|w| w.contains("not seen for 68 days")));
    assert_eq!(rows[1].purpose.as_deref(), Some("laundry"));
    assert!(here_now_rows(&store, d(3, 9)).expect("none").is_empty());
}

#[test]
fn the_report_counts_visits_per_day_unduplicated_and_by_purpose() {
    let (_dir, store) = fixture();
    let r = service_report(&store, d(3, 1), d(3, 10)).expect("report");
    let v = &r.visits;
    assert_eq!(v.visits, 3, "Dee's visit is outside the period");
    assert_eq!(v.unduplicated_visitors, 2, "A and C");
    let days: Vec<(NaiveDate, u64, u64)> = v
        .per_day
        .iter()
        .map(|x| (x.date, x.visits, x.visitors))
        .collect();
    assert_eq!(days, vec![(d(3, 1), 1, 1), (d(3, 10), 2, 2)]);
    assert_eq!(
        v.by_purpose,
        vec![
            ("laundry".to_string(), 1),
            ("meal".to_string(), 1),
            ("not given".to_string(), 1)
        ]
    );
    assert_eq!(r.checkins, 0, "no check-ins, no units");
    assert_eq!(r.units, 0);
    // The same figures in the text/CSV rows and the JSON.
    let rows = caseload::cli::report_rows(&r);
    let has = |s: &str, i: &str, m: &str, val: &str| {
        rows.iter()
            .any(|row| row[0] == s && row[1] == i && row[2] == m && row[3] == val)
    };
    assert!(has("visits", "all", "count", "3"), "{rows:?}");
    assert!(has("visits", "all", "unduplicated visitors", "2"));
    assert!(has("visit day", "2026-03-10", "visits", "2"));
    assert!(has("visit day", "2026-03-01", "unduplicated visitors", "1"));
    assert!(has("visit purpose", "laundry", "visits", "1"));
    let mut csv = Vec::new();
    caseload::cli::write_report_csv(&r, &mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(csv.contains("visits,all,unduplicated visitors,2"), "{csv}");
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["visits"]["unduplicated_visitors"], 2);
    // Merged reports add up.
    let merged = caseload::model::report::ServiceReport::merge(&[
        ("a".into(), r.clone()),
        ("b".into(), r.clone()),
    ])
    .expect("merge");
    assert_eq!(merged.visits.visits, 6);
    assert_eq!(merged.visits.per_day[1].visitors, 4);
}

#[test]
fn visits_intakes_and_codes_survive_export_and_import() {
    let (_dir, store) = fixture();
    let who = Actor::login("desk");
    store
        .set_kiosk_code(B, Some("B-2".into()), &who)
        .expect("code");
    store.kiosk_new_here("Robin".into(), &who).expect("intake");
    let mut first = Vec::new();
    caseload::ops::transfer::export_json(&store, &mut first).expect("export");
    let other = tempfile::tempdir().expect("tmp");
    let copy = SledStore::open(other.path()).expect("open");
    caseload::ops::transfer::import_json(&copy, &who, &first[..], "export.json").expect("import");
    assert_eq!(
        copy.visits_between(d(1, 1), d(12, 31))
            .expect("visits")
            .len(),
        4
    );
    assert_eq!(copy.pending_intakes().expect("intakes").len(), 1);
    assert_eq!(
        copy.kiosk_codes()
            .expect("codes")
            .get(&B)
            .map(String::as_str),
        Some("B-2")
    );
    let mut second = Vec::new();
    caseload::ops::transfer::export_json(&copy, &mut second).expect("export");
    let strip = |b: &[u8]| {
        String::from_utf8(b.to_vec())
            .expect("utf-8")
            .lines()
            .filter(|l| !l.contains("exported_at"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&first),
        strip(&second),
        "export → import → export is identical"
    );
    // A second visit of one peer on one day is refused on import.
    let mut snapshot = caseload::store::Snapshot {
        peers: store.list_peers().expect("peers"),
        visits: store.visits_between(d(1, 1), d(12, 31)).expect("visits"),
        ..Default::default()
    };
    caseload::store::check_snapshot(&snapshot).expect("a good snapshot");
    let mut twice = snapshot.visits[0].clone();
    twice.id = caseload::model::VisitId::new(99);
    snapshot.visits.push(twice);
    let err = caseload::store::check_snapshot(&snapshot).expect_err("refused");
    assert!(err.to_string().contains("one per peer per day"), "{err}");
}

#[test]
fn merging_moves_visits_keeping_one_per_day_and_deleting_needs_none() {
    let (_dir, store) = fixture();
    let who = Actor::login("desk");
    store
        .set_kiosk_code(C, Some("C-3".into()), &who)
        .expect("code");
    // C (10 March) merged into A (1 and 10 March): one visit on 10 March,
    // with the earlier time in; C's code goes to A, who had none.
    store.merge_peers(C, A, &who).expect("merge");
    let a: Vec<(NaiveDate, NaiveTime)> = store
        .visits_for_peer(A)
        .expect("visits")
        .iter()
        .map(|v| (v.day, v.time_in))
        .collect();
    assert_eq!(a, vec![(d(3, 10), t(10, 30)), (d(3, 1), t(9, 15))]);
    assert_eq!(store.visits_on(d(3, 10)).expect("day").len(), 1);
    assert_eq!(
        store
            .kiosk_codes()
            .expect("codes")
            .get(&A)
            .map(String::as_str),
        Some("C-3")
    );
    // Export still imports (no visit points at the merged id).
    let mut out = Vec::new();
    caseload::ops::transfer::export_json(&store, &mut out).expect("export");
    let other = tempfile::tempdir().expect("tmp");
    let copy = SledStore::open(other.path()).expect("open");
    caseload::ops::transfer::import_json(&copy, &who, &out[..], "x.json").expect("import");
    // A peer with visits (or a code) is discharged, not deleted.
    let err = store.delete_peer(DEE, &who).expect_err("refused");
    assert!(err.to_string().contains("visits"), "{err}");
    store
        .set_kiosk_code(B, Some("B-2".into()), &who)
        .expect("code");
    let err = store.delete_peer(B, &who).expect_err("refused");
    assert!(err.to_string().contains("kiosk code"), "{err}");
    store.set_kiosk_code(B, None, &who).expect("cleared");
    store.delete_peer(B, &who).expect("B had nothing");
}

/// Each peer's latest visit before a day, straight from the store (read
/// from peer to peer in the visit index): the day itself is not before
/// it, peers who never came are absent.
#[test]
fn last_visits_before_a_day_are_each_peers_latest_earlier_visit() {
    let (_dir, store) = fixture();
    let at = |day| {
        let mut v: Vec<(PeerId, NaiveDate)> = store
            .last_visits_before(day)
            .expect("last visits")
            .into_iter()
            .collect();
        v.sort();
        v
    };
    assert_eq!(at(d(3, 10)), vec![(A, d(3, 1)), (DEE, d(2, 1))]);
    assert_eq!(
        at(d(3, 11)),
        vec![(A, d(3, 10)), (C, d(3, 10)), (DEE, d(2, 1))]
    );
    assert_eq!(at(d(2, 1)), vec![]);
    assert_eq!(at(d(2, 2)), vec![(DEE, d(2, 1))]);
}
