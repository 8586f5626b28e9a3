//! The per-peer summaries Today reads (`Store::peer_summaries`) are kept
//! in the same transaction as every write. These tests change check-ins
//! and sessions every way the API allows (create, batch, edit, move to
//! another peer, void, delete, import) and compare the summaries with the
//! answer worked out from all records, including after a reopen. Since
//! schema 6 a summary keeps what Today needs of the newest check-in (its
//! day where it happened and its follow-up), so those are compared too,
//! and a schema 5 store (summaries holding only the order) is rebuilt.

mod support;

use std::collections::HashMap;

use caseload::model::today::LastCheckIn;
use caseload::model::{CheckIn, GroupSession, PeerId, Record};
use caseload::store::{PeerSummary, SledStore, Snapshot, Store, SCHEMA_VERSION};
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
    let mut newest: HashMap<PeerId, &Record<CheckIn>> = HashMap::new();
    let empty = || PeerSummary {
        last_checkin: None,
        last_attended: None,
    };
    for c in checkins
        .iter()
        .filter(|c| c.voided.is_none() && c.at < before)
    {
        let e = out.entry(c.peer).or_insert_with(empty);
        let newer = newest.get(&c.peer).is_none_or(|have: &&Record<CheckIn>| {
            (c.at.timestamp_millis(), c.id.raw()) > (have.at.timestamp_millis(), have.id.raw())
        });
        if newer {
            newest.insert(c.peer, c);
            // What Today needs of it: the id, the day where it happened
            // and the follow-up, straight from the record.
            e.last_checkin = Some(LastCheckIn {
                id: c.id,
                day: c.at.date_naive(),
                follow_up: c.follow_up,
            });
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
        let last: HashMap<PeerId, LastCheckIn> = expected(&checkins, &sessions, b, a)
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

/// The summary keeps the newest check-in's own local day (where it
/// happened, not UTC's) and its follow-up, and takes in edits that change
/// only those (the check-in stays the newest).
#[test]
fn the_summary_keeps_the_newest_checkins_local_day_and_follow_up() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let b = utc("2026-11-23T00:00:00Z");
    let got = |st: &SledStore| {
        st.peer_summaries(b, d("2026-11-23")).unwrap()[&jo.id]
            .last_checkin
            .expect("Jo has a check-in")
    };
    // 23:30 in New York is already the 21st in UTC.
    let mut late = checkin(jo.id, s.id, "2026-11-20T23:30:00-05:00");
    late.follow_up = Some(d("2026-11-24"));
    let late = save_checkin(&store, late);
    assert_eq!(
        got(&store),
        LastCheckIn {
            id: late.id,
            day: d("2026-11-20"),
            follow_up: Some(d("2026-11-24")),
        }
    );
    assert_eq!(
        store.last_checkins_before(b).unwrap()[&jo.id],
        got(&store),
        "the roster's last contact reads the same facts"
    );
    check(&store);

    // Re-planned: the same check-in, still the newest, a new follow-up.
    let mut edit = late.clone();
    edit.follow_up = Some(d("2026-11-27"));
    let edit = store.update_checkin(&edit, &actor()).unwrap();
    assert_eq!(got(&store).follow_up, Some(d("2026-11-27")));
    check(&store);

    // The same moment written in UTC: the order stays, the day is the 21st.
    let mut in_utc = edit.clone();
    in_utc.at = in_utc.at.with_timezone(&FixedOffset::east_opt(0).unwrap());
    let in_utc = store.update_checkin(&in_utc, &actor()).unwrap();
    assert_eq!(got(&store).day, d("2026-11-21"));
    check(&store);

    // Follow-up dropped; an older check-in planning one does not bring
    // its follow-up back: only the newest check-in's is pending.
    let mut bare = in_utc.clone();
    bare.follow_up = None;
    store.update_checkin(&bare, &actor()).unwrap();
    let mut older = checkin(jo.id, s.id, "2026-11-19T10:00:00-05:00");
    older.follow_up = Some(d("2026-11-30"));
    let older = save_checkin(&store, older);
    assert_eq!(
        got(&store),
        LastCheckIn {
            id: late.id,
            day: d("2026-11-21"),
            follow_up: None,
        }
    );
    check(&store);

    // Voiding the newest brings the older one's day and follow-up.
    store
        .void_checkin(late.id, "wrong peer".into(), &actor())
        .unwrap();
    assert_eq!(got(&store), LastCheckIn::of(&older));
    assert_eq!(got(&store).follow_up, Some(d("2026-11-30")));
    check(&store);
}

/// A merge moves one peer's check-ins and attendance to the other: the
/// kept peer's summary takes the newest of both, and the merged peer's
/// entry goes.
#[test]
fn a_merge_gives_the_kept_peer_the_newest_of_both_summaries() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let kim = peer(&store, "Kim");
    let g = group(&store, "WRAP");
    save_checkin(&store, checkin(kim.id, s.id, "2026-11-18T09:00:00Z"));
    let mut newest = checkin(jo.id, s.id, "2026-11-20T23:30:00-05:00");
    newest.follow_up = Some(d("2026-11-26"));
    let newest = save_checkin(&store, newest);
    store
        .create_session(session(g.id, "2026-11-19", &[jo.id]), &actor())
        .unwrap();
    check(&store);
    store.merge_peers(jo.id, kim.id, &actor()).unwrap();
    check(&store);
    let got = store
        .peer_summaries(utc("2026-11-22T00:00:00Z"), d("2026-11-22"))
        .unwrap();
    assert!(!got.contains_key(&jo.id), "{got:?}");
    assert_eq!(got[&kim.id].last_checkin, Some(LastCheckIn::of(&newest)));
    assert_eq!(got[&kim.id].last_attended, Some(d("2026-11-19")));
}

/// The summary entry as schema 6 stores it (postcard), mirrored here to
/// write a schema 5 store: the newest check-in's order, day and follow-up
/// (dates as 4-byte keys), then the latest session attended.
#[derive(serde::Deserialize)]
struct StoredV6 {
    checkin: Option<NewestV6>,
    attended: Option<[u8; 12]>,
}

#[derive(serde::Deserialize)]
struct NewestV6 {
    order: [u8; 16],
    #[allow(dead_code)] // read to get past it
    day: [u8; 4],
    #[allow(dead_code)]
    follow_up: Option<[u8; 4]>,
}

/// The summary entry as schema 4 and 5 stored it: order keys only.
#[derive(serde::Serialize)]
struct StoredV5 {
    checkin: Option<[u8; 16]>,
    attended: Option<[u8; 12]>,
}

/// The store's sled database opened directly, once the store has let go.
fn raw_sled(path: &std::path::Path) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match sled::Config::new().path(path).open() {
            Ok(db) => return db,
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("cannot open {}: {e}", path.display()),
        }
    }
}

/// A schema 5 store, whose summaries hold only each newest check-in's
/// order, is migrated when opened: the tree is rebuilt from the records
/// with the day and follow-up, entries the old tree held for nobody (an
/// interrupted run's leftovers) are gone, and the version is 6.
#[test]
fn a_schema_5_store_gains_each_newest_checkins_day_and_follow_up() {
    let dir = tempfile::tempdir().unwrap();
    let b = utc("2026-12-01T00:00:00Z");
    let want = {
        let store = open(dir.path());
        let s = staff(&store, "Ana Ruiz");
        let jo = peer(&store, "Jo");
        let kim = peer(&store, "Kim");
        let g = group(&store, "WRAP");
        let mut c = checkin(jo.id, s.id, "2026-11-20T23:30:00-05:00");
        c.follow_up = Some(d("2026-11-25"));
        save_checkin(&store, c);
        let newest = save_checkin(&store, checkin(jo.id, s.id, "2026-11-22T09:00:00Z"));
        store
            .void_checkin(newest.id, "mistake".into(), &actor())
            .unwrap();
        save_checkin(&store, checkin(kim.id, s.id, "2026-11-21T09:00:00Z"));
        store
            .create_session(session(g.id, "2026-11-17", &[jo.id, kim.id]), &actor())
            .unwrap();
        check(&store);
        let want = store.peer_summaries(b, d("2026-12-01")).unwrap();
        assert_eq!(
            want[&jo.id].last_checkin.map(|c| (c.day, c.follow_up)),
            Some((d("2026-11-20"), Some(d("2026-11-25"))))
        );
        want
    };
    {
        // Write the tree back as schema 5 kept it, plus a leftover.
        let db = raw_sled(dir.path());
        let tree = db.open_tree("peer_summary").unwrap();
        let mut rewritten = 0;
        for kv in tree.iter() {
            let (k, v) = kv.unwrap();
            let now: StoredV6 = postcard::from_bytes(&v).unwrap();
            let old = StoredV5 {
                checkin: now.checkin.map(|c| c.order),
                attended: now.attended,
            };
            tree.insert(k, postcard::to_stdvec(&old).unwrap()).unwrap();
            rewritten += 1;
        }
        assert_eq!(rewritten, 2, "Jo and Kim");
        let leftover = StoredV5 {
            checkin: Some([7; 16]),
            attended: None,
        };
        tree.insert(
            999u64.to_be_bytes(),
            postcard::to_stdvec(&leftover).unwrap(),
        )
        .unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert(b"schema_version", &5u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let store = open(dir.path());
    let upgrade = store.upgraded().expect("the open says it upgraded");
    assert_eq!((upgrade.from, upgrade.to), (5, 6));
    assert!(
        upgrade
            .to_string()
            .starts_with("upgraded from schema version 5 to 6 in "),
        "{upgrade}"
    );
    assert_eq!(store.peer_summaries(b, d("2026-12-01")).unwrap(), want);
    check(&store);
    drop(store);
    assert_eq!(open(dir.path()).upgraded(), None, "once is enough");
    let db = raw_sled(dir.path());
    let version = db
        .open_tree("meta")
        .unwrap()
        .get(b"schema_version")
        .unwrap();
    assert_eq!(version.as_deref(), Some(&SCHEMA_VERSION.to_be_bytes()[..]));
    assert_eq!(SCHEMA_VERSION, 6);
}

mod model_check {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::Index;

    #[derive(Debug, Clone)]
    enum Op {
        NewCheckIn {
            peer: usize,
            day: u32,
            hour: u32,
            follow: Option<u32>,
        },
        NewCheckIns(Vec<(usize, u32, u32, Option<u32>)>),
        Retime {
            pick: Index,
            day: u32,
            hour: u32,
        },
        /// A new follow-up (days after the check-in's day) or none.
        Replan {
            pick: Index,
            follow: Option<u32>,
        },
        /// The same moment written at another offset: the order stays,
        /// the local day may change.
        Rezone {
            pick: Index,
            east_hours: i32,
        },
        Move {
            pick: Index,
            peer: usize,
        },
        Void(Index),
        Drop(Index),
        NewSession {
            day: u32,
            who: Vec<bool>,
        },
        Attend {
            pick: Index,
            who: Vec<bool>,
        },
        VoidSession(Index),
        DropSession(Index),
    }

    fn op() -> impl Strategy<Value = Op> {
        let who = proptest::collection::vec(any::<bool>(), 3);
        prop_oneof![
            4 => (0..3usize, 0..6u32, 0..24u32, proptest::option::of(0..5u32)).prop_map(|(peer, day, hour, follow)| Op::NewCheckIn { peer, day, hour, follow }),
            1 => proptest::collection::vec((0..3usize, 0..6u32, 0..24u32, proptest::option::of(0..5u32)), 0..4).prop_map(Op::NewCheckIns),
            2 => (any::<Index>(), 0..6u32, 0..24u32).prop_map(|(pick, day, hour)| Op::Retime { pick, day, hour }),
            2 => (any::<Index>(), proptest::option::of(0..5u32)).prop_map(|(pick, follow)| Op::Replan { pick, follow }),
            1 => (any::<Index>(), -11..13i32).prop_map(|(pick, east_hours)| Op::Rezone { pick, east_hours }),
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

    /// A follow-up may not fall before its check-in's day: one a move in
    /// time left behind moves to that day.
    fn keep_follow_up_valid(c: &mut CheckIn) {
        if c.follow_up.is_some_and(|f| f < c.day()) {
            c.follow_up = Some(c.day());
        }
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
            Op::NewCheckIn {
                peer,
                day,
                hour,
                follow,
            } => {
                let mut c = CheckIn::new(w.peers[*peer], w.staff, when(*day, *hour));
                c.follow_up = follow.map(|f| c.day() + Duration::days(i64::from(f)));
                save_checkin(st, c);
            }
            Op::NewCheckIns(specs) => {
                let batch = specs
                    .iter()
                    .map(|(p, d, h, f)| {
                        let mut c = CheckIn::new(w.peers[*p], w.staff, when(*d, *h));
                        c.follow_up = f.map(|f| c.day() + Duration::days(i64::from(f)));
                        c
                    })
                    .collect();
                st.create_checkins(batch, &actor()).unwrap();
            }
            Op::Retime { pick: i, day, hour } => {
                if let Some(mut c) = pick(&every, i) {
                    c.at = when(*day, *hour);
                    keep_follow_up_valid(&mut c);
                    st.update_checkin(&c, &actor()).unwrap();
                }
            }
            Op::Replan { pick: i, follow } => {
                if let Some(mut c) = pick(&every, i) {
                    c.follow_up = follow.map(|f| c.day() + Duration::days(i64::from(f)));
                    st.update_checkin(&c, &actor()).unwrap();
                }
            }
            Op::Rezone {
                pick: i,
                east_hours,
            } => {
                if let Some(mut c) = pick(&every, i) {
                    let zone = FixedOffset::east_opt(east_hours * 3600).unwrap();
                    c.at = c.at.with_timezone(&zone);
                    keep_follow_up_valid(&mut c);
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
            // The migration's rebuild from the records gives the same
            // summaries as the writes kept (the store marked schema 5).
            {
                let db = raw_sled(dir.path());
                db.open_tree("meta")
                    .unwrap()
                    .insert(b"schema_version", &5u32.to_be_bytes())
                    .unwrap();
                db.flush().unwrap();
            }
            let rebuilt = open(dir.path());
            prop_assert!(rebuilt.upgraded().is_some());
            check(&rebuilt);
        }
    }
}
