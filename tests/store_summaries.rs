//! The per-peer summaries Today reads (`Store::peer_summaries`) are kept
//! in the same transaction as every write. These tests change check-ins
//! and sessions every way the API allows (create, batch, edit, move to
//! another peer, void, delete, import) and compare the summaries with the
//! answer worked out from all records, including after a reopen.

mod support;

use std::collections::HashMap;

use caseload::model::{CheckIn, GroupSession, PeerId, Record};
use caseload::store::{PeerSummary, SledStore, Snapshot, Store};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use support::*;

fn utc(s: &str) -> DateTime<Utc> {
    at(s).with_timezone(&Utc)
}

/// What `peer_summaries` must say, from every record.
fn expected(
    checkins: &[Record<CheckIn>],
    sessions: &[Record<GroupSession>],
    before: DateTime<Utc>,
    attended_before: NaiveDate,
) -> HashMap<PeerId, PeerSummary> {
    let mut out: HashMap<PeerId, PeerSummary> = HashMap::new();
    let empty = || PeerSummary {
        last_checkin: None,
        last_attended: None,
    };
    for c in checkins
        .iter()
        .filter(|c| c.voided.is_none() && c.at < before)
    {
        let e = out.entry(c.peer).or_insert_with(empty);
        let newer = e.last_checkin.as_ref().is_none_or(|have| {
            (c.at.timestamp_millis(), c.id.raw()) > (have.at.timestamp_millis(), have.id.raw())
        });
        if newer {
            e.last_checkin = Some(c.clone());
        }
    }
    for s in sessions
        .iter()
        .filter(|s| s.voided.is_none() && s.date < attended_before)
    {
        for p in &s.attendees {
            let e = out.entry(*p).or_insert_with(empty);
            if e.last_attended.is_none_or(|d| d < s.date) {
                e.last_attended = Some(s.date);
            }
        }
    }
    out
}

/// Compares the store's summaries with the expected ones at several cut
/// points (before everything, in the middle, after everything).
fn check(store: &SledStore) {
    let checkins = all_checkins(store);
    let sessions = all_sessions(store);
    for (before, attended) in [
        ("2026-11-19T00:00:00Z", "2026-11-19"),
        ("2026-11-22T00:00:00Z", "2026-11-22"),
        ("2026-11-23T12:00:00+09:00", "2026-11-23"),
        ("2026-12-31T00:00:00Z", "2026-12-31"),
    ] {
        let (b, a) = (utc(before), d(attended));
        assert_eq!(
            store.peer_summaries(b, a).unwrap(),
            expected(&checkins, &sessions, b, a),
            "summaries before {before} / {attended}"
        );
        let last: HashMap<PeerId, Record<CheckIn>> = expected(&checkins, &sessions, b, a)
            .into_iter()
            .filter_map(|(p, s)| s.last_checkin.map(|c| (p, c)))
            .collect();
        assert_eq!(
            store.last_checkins_before(b).unwrap(),
            last,
            "last check-ins before {before}"
        );
    }
}

fn all_checkins(store: &SledStore) -> Vec<Record<CheckIn>> {
    store.checkins_page(None, 1000).unwrap()
}

fn all_sessions(store: &SledStore) -> Vec<Record<GroupSession>> {
    store.sessions_page(None, 1000).unwrap()
}

#[test]
fn summaries_follow_void_edit_move_and_delete() {
    let (dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let kim = peer(&store, "Kim");
    let g = group(&store, "WRAP");

    let old = save_checkin(&store, checkin(jo.id, s.id, "2026-11-20T09:00:00Z"));
    let mut newest = checkin(jo.id, s.id, "2026-11-21T09:00:00Z");
    newest.follow_up = Some(d("2026-11-25"));
    let newest = save_checkin(&store, newest);
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert_eq!(
        got[&jo.id].last_checkin.as_ref().map(|c| c.id),
        Some(newest.id)
    );
    assert_eq!(
        got[&jo.id].last_checkin.as_ref().and_then(|c| c.follow_up),
        Some(d("2026-11-25"))
    );
    assert!(!got.contains_key(&kim.id), "Kim has nothing yet");

    // Voiding the newest falls back to the one before.
    store
        .void_checkin(newest.id, "wrong peer".into(), &actor())
        .unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert_eq!(
        got[&jo.id].last_checkin.as_ref().map(|c| c.id),
        Some(old.id)
    );

    // Moving the old one to Kim leaves Jo with nothing live.
    let mut moved = store.checkin(old.id).unwrap();
    moved.peer = kim.id;
    let moved = store.update_checkin(&moved, &actor()).unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert!(!got.contains_key(&jo.id), "{got:?}");
    assert_eq!(
        got[&kim.id].last_checkin.as_ref().map(|c| c.id),
        Some(moved.id)
    );

    // Editing the time moves it in the order.
    let later = save_checkin(&store, checkin(kim.id, s.id, "2026-11-20T12:00:00Z"));
    let mut edit = store.checkin(moved.id).unwrap();
    edit.at = at("2026-11-20T15:00:00Z");
    store.update_checkin(&edit, &actor()).unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert_eq!(
        got[&kim.id].last_checkin.as_ref().map(|c| c.id),
        Some(moved.id)
    );
    store.delete_checkin(moved.id, &actor()).unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert_eq!(
        got[&kim.id].last_checkin.as_ref().map(|c| c.id),
        Some(later.id)
    );

    // Sessions: newest attended, voided ones left out, edits of attendees.
    let s1 = store
        .create_session(session(g.id, "2026-11-17", &[jo.id, kim.id]), &actor())
        .unwrap();
    let s2 = store
        .create_session(session(g.id, "2026-11-19", &[jo.id]), &actor())
        .unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert_eq!(got[&jo.id].last_attended, Some(d("2026-11-19")));
    assert_eq!(got[&kim.id].last_attended, Some(d("2026-11-17")));
    store
        .void_session(s2.id, "not held".into(), &actor())
        .unwrap();
    check(&store);
    let mut e = store.session(s1.id).unwrap();
    e.attendees = vec![kim.id];
    store.update_session(&e, &actor()).unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert!(!got.contains_key(&jo.id), "{got:?}");
    store.delete_session(s1.id, &actor()).unwrap();
    check(&store);

    // The same after a reopen.
    drop(store);
    let store = open(dir.path());
    check(&store);
}

#[test]
fn a_checkin_logged_today_leaves_the_one_before_as_last_before_today() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let before = save_checkin(&store, checkin(jo.id, s.id, "2026-11-20T09:00:00Z"));
    let mut voided = save_checkin(&store, checkin(jo.id, s.id, "2026-11-21T09:00:00Z"));
    voided = store
        .void_checkin(voided.id, "duplicate".into(), &actor())
        .unwrap();
    assert!(voided.voided.is_some());
    let today = save_checkin(&store, checkin(jo.id, s.id, "2026-11-22T09:00:00Z"));
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert_eq!(
        got[&jo.id].last_checkin.as_ref().map(|c| c.id),
        Some(before.id),
        "today's is not before today, the voided one is skipped"
    );
    let got = store
        .peer_summaries(utc("2026-11-23T00:00:00Z"), d("2026-11-23"))
        .unwrap();
    assert_eq!(
        got[&jo.id].last_checkin.as_ref().map(|c| c.id),
        Some(today.id)
    );
    check(&store);
}

#[test]
fn an_import_builds_the_summaries() {
    let (_dir, src) = fresh();
    let s = staff(&src, "Ana Ruiz");
    let jo = peer(&src, "Jo");
    let kim = peer(&src, "Kim");
    let g = group(&src, "WRAP");
    for (p, when) in [
        (jo.id, "2026-11-20T09:00:00Z"),
        (kim.id, "2026-11-21T09:00:00Z"),
        (jo.id, "2026-11-19T09:00:00Z"),
    ] {
        save_checkin(&src, checkin(p, s.id, when));
    }
    let c = save_checkin(&src, checkin(kim.id, s.id, "2026-11-21T18:00:00Z"));
    src.void_checkin(c.id, "mistake".into(), &actor()).unwrap();
    src.create_session(session(g.id, "2026-11-18", &[jo.id]), &actor())
        .unwrap();
    let snapshot = Snapshot {
        settings: src.settings().unwrap(),
        staff: src.list_staff().unwrap(),
        peers: src.list_peers().unwrap(),
        goals: Vec::new(),
        checkins: all_checkins(&src),
        groups: src.list_groups().unwrap(),
        sessions: all_sessions(&src),
        ..Snapshot::default()
    };
    let (_dir2, dst) = fresh();
    dst.import(snapshot, &actor()).unwrap();
    check(&dst);
    let b = utc("2026-12-01T00:00:00Z");
    assert_eq!(
        dst.peer_summaries(b, d("2026-12-01")).unwrap(),
        src.peer_summaries(b, d("2026-12-01")).unwrap()
    );
}

mod model_check {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::Index;

    #[derive(Debug, Clone)]
    enum Op {
        NewCheckIn { peer: usize, day: u32, hour: u32 },
        NewCheckIns(Vec<(usize, u32, u32)>),
        Retime { pick: Index, day: u32, hour: u32 },
        Move { pick: Index, peer: usize },
        Void(Index),
        Drop(Index),
        NewSession { day: u32, who: Vec<bool> },
        Attend { pick: Index, who: Vec<bool> },
        VoidSession(Index),
        DropSession(Index),
    }

    fn op() -> impl Strategy<Value = Op> {
        let who = proptest::collection::vec(any::<bool>(), 3);
        prop_oneof![
            4 => (0..3usize, 0..6u32, 0..24u32).prop_map(|(peer, day, hour)| Op::NewCheckIn { peer, day, hour }),
            1 => proptest::collection::vec((0..3usize, 0..6u32, 0..24u32), 0..4).prop_map(Op::NewCheckIns),
            2 => (any::<Index>(), 0..6u32, 0..24u32).prop_map(|(pick, day, hour)| Op::Retime { pick, day, hour }),
            1 => (any::<Index>(), 0..3usize).prop_map(|(pick, peer)| Op::Move { pick, peer }),
            2 => any::<Index>().prop_map(Op::Void),
            1 => any::<Index>().prop_map(Op::Drop),
            2 => (0..6u32, who.clone()).prop_map(|(day, who)| Op::NewSession { day, who }),
            1 => (any::<Index>(), who).prop_map(|(pick, who)| Op::Attend { pick, who }),
            1 => any::<Index>().prop_map(Op::VoidSession),
            1 => any::<Index>().prop_map(Op::DropSession),
        ]
    }

    struct World {
        dir: tempfile::TempDir,
        store: SledStore,
        staff: caseload::model::StaffId,
        peers: Vec<PeerId>,
        group: caseload::model::GroupId,
    }

    fn when(day: u32, hour: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 18 + day, hour, 0, 0)
            .unwrap()
    }

    fn pick<T: Clone>(v: &[T], i: &Index) -> Option<T> {
        (!v.is_empty()).then(|| v[i.index(v.len())].clone())
    }

    fn chosen(w: &World, who: &[bool]) -> Vec<PeerId> {
        w.peers
            .iter()
            .zip(who)
            .filter(|(_, on)| **on)
            .map(|(p, _)| *p)
            .collect()
    }

    fn apply(w: &World, op: &Op) {
        let st = &w.store;
        let live: Vec<Record<CheckIn>> = all_checkins(st)
            .into_iter()
            .filter(|c| c.voided.is_none())
            .collect();
        let every = all_checkins(st);
        let sessions = all_sessions(st);
        let live_sessions: Vec<_> = sessions
            .iter()
            .filter(|s| s.voided.is_none())
            .cloned()
            .collect();
        match op {
            Op::NewCheckIn { peer, day, hour } => {
                save_checkin(st, CheckIn::new(w.peers[*peer], w.staff, when(*day, *hour)));
            }
            Op::NewCheckIns(specs) => {
                let batch = specs
                    .iter()
                    .map(|(p, d, h)| CheckIn::new(w.peers[*p], w.staff, when(*d, *h)))
                    .collect();
                st.create_checkins(batch, &actor()).unwrap();
            }
            Op::Retime { pick: i, day, hour } => {
                if let Some(mut c) = pick(&every, i) {
                    c.at = when(*day, *hour);
                    st.update_checkin(&c, &actor()).unwrap();
                }
            }
            Op::Move { pick: i, peer } => {
                if let Some(mut c) = pick(&every, i) {
                    c.peer = w.peers[*peer];
                    st.update_checkin(&c, &actor()).unwrap();
                }
            }
            Op::Void(i) => {
                if let Some(c) = pick(&live, i) {
                    st.void_checkin(c.id, "mistake".into(), &actor()).unwrap();
                }
            }
            Op::Drop(i) => {
                if let Some(c) = pick(&every, i) {
                    st.delete_checkin(c.id, &actor()).unwrap();
                }
            }
            Op::NewSession { day, who } => {
                let mut s = session(w.group, "2026-11-18", &chosen(w, who));
                s.date = d("2026-11-18") + Duration::days(i64::from(*day));
                st.create_session(s, &actor()).unwrap();
            }
            Op::Attend { pick: i, who } => {
                if let Some(mut s) = pick(&sessions, i) {
                    s.attendees = chosen(w, who);
                    st.update_session(&s, &actor()).unwrap();
                }
            }
            Op::VoidSession(i) => {
                if let Some(s) = pick(&live_sessions, i) {
                    st.void_session(s.id, "not held".into(), &actor()).unwrap();
                }
            }
            Op::DropSession(i) => {
                if let Some(s) = pick(&sessions, i) {
                    st.delete_session(s.id, &actor()).unwrap();
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 24,
            max_shrink_iters: 200,
            ..ProptestConfig::default()
        })]

        #[test]
        fn summaries_match_every_record_after_random_changes(ops in proptest::collection::vec(op(), 1..25)) {
            let (dir, store) = fresh();
            let staff = staff(&store, "Ana Ruiz").id;
            let peers: Vec<PeerId> = ["Jo", "Kim", "Lee"].iter().map(|n| peer(&store, n).id).collect();
            let group = group(&store, "WRAP").id;
            let w = World { dir, store, staff, peers, group };
            for op in &ops {
                apply(&w, op);
                check(&w.store);
            }
            let World { dir, store, .. } = w;
            drop(store);
            check(&open(dir.path()));
        }
    }
}
