//! `Store::begin_load` / `load_checkins` / `finish_load`: the bulk load
//! `caseload demo` writes with. It must leave exactly the store that
//! ordinary batches of check-ins leave (records, every index, the peers'
//! summaries, counts, next id), be all or nothing as a whole, and refuse
//! every other write while it runs.

mod support;

use std::collections::HashMap;

use caseload::model::{CheckIn, GoalId, PeerId, Record, StaffId};
use caseload::store::{Counts, SledStore, Snapshot, Store, StoreError};
use chrono::{Duration, NaiveDate, Utc};
use support::*;

/// The roster both stores start from, and what the check-ins name.
struct Roster {
    snapshot: Snapshot,
    staff: Vec<StaffId>,
    peers: Vec<PeerId>,
    goals: HashMap<PeerId, Vec<GoalId>>,
}

/// Staff, peers with goals and a group session with attendance, made by
/// ordinary writes in a scratch store and exported as a snapshot.
fn roster() -> Roster {
    let (_dir, store) = fresh();
    let staff = vec![staff(&store, "Ana Ruiz").id, staff(&store, "Ben Ode").id];
    let mut peers = Vec::new();
    let mut goals = HashMap::new();
    for name in ["Jo", "Kim", "Lee", "Max", "Noor", "Oli"] {
        let p = peer(&store, name);
        let g1 = goal(&store, p.id, "Housing").id;
        let g2 = goal(&store, p.id, "Job").id;
        goals.insert(p.id, vec![g1, g2]);
        peers.push(p.id);
    }
    let gr = group(&store, "WRAP");
    store
        .create_session(session(gr.id, "2026-11-03", &peers[..3]), &actor())
        .unwrap();
    let list = store.list_peers().unwrap();
    let mut all_goals: Vec<_> = list
        .iter()
        .flat_map(|p| store.goals_for_peer(p.id).unwrap())
        .collect();
    all_goals.sort_by_key(|g| g.id);
    let snapshot = Snapshot {
        settings: store.settings().unwrap(),
        staff: store.list_staff().unwrap(),
        peers: list,
        goals: all_goals,
        groups: store.list_groups().unwrap(),
        sessions: store.sessions_page(None, usize::MAX).unwrap(),
        ..Snapshot::default()
    };
    Roster {
        snapshot,
        staff,
        peers,
        goals,
    }
}

/// `n` check-ins in no particular order of time (so the summaries' "newest"
/// is exercised), a third with a follow-up, some with a goal of their peer.
fn checkins(r: &Roster, n: usize) -> Vec<CheckIn> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let first = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    (0..n)
        .map(|_| {
            let peer = r.peers[next(r.peers.len() as u64) as usize];
            let day = first + Duration::days(next(90) as i64);
            let when = format!("{day}T{:02}:{:02}:00Z", 9 + next(8), next(60));
            let mut c = checkin(peer, r.staff[next(2) as usize], &when);
            c.note = format!("note {}", next(1000));
            if next(3) == 0 {
                c.follow_up = Some(day + Duration::days(1 + next(14) as i64));
            }
            if next(5) < 2 {
                c.goals.push(r.goals[&peer][next(2) as usize]);
            }
            c
        })
        .collect()
}

/// What a check-in is, without the moment it was saved.
fn facts(r: &Record<CheckIn>) -> (u64, CheckIn, u64, String) {
    (
        r.id.raw(),
        r.data.clone(),
        r.meta.revision,
        format!("{:?}", r.meta.created_by),
    )
}

fn facts_of(list: Vec<Record<CheckIn>>) -> Vec<(u64, CheckIn, u64, String)> {
    list.iter().map(facts).collect()
}

/// Everything a store answers about check-ins, through every index.
fn checkin_view(store: &dyn Store, r: &Roster) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!("{:?}", store.counts().unwrap()));
    out.push(format!(
        "{:?}",
        facts_of(store.checkins_page(None, usize::MAX).unwrap())
    ));
    let mut day = NaiveDate::from_ymd_opt(2026, 8, 25).unwrap();
    while day < NaiveDate::from_ymd_opt(2026, 12, 20).unwrap() {
        out.push(format!("{day} {:?}", ids(&store.checkins_on(day).unwrap())));
        day += Duration::days(1);
    }
    out.push(format!(
        "{:?}",
        ids(&store
            .followups_between(d("2026-08-01"), d("2027-01-01"))
            .unwrap())
    ));
    for p in &r.peers {
        out.push(format!(
            "{p} {:?}",
            ids(&store.recent_checkins(*p, 5000).unwrap())
        ));
        for g in &r.goals[p] {
            out.push(format!(
                "{g} {:?}",
                ids(&store.checkins_for_goal(*g).unwrap())
            ));
        }
    }
    for before in ["2026-10-01T00:00:00Z", "2026-12-31T00:00:00Z"] {
        let before = at(before).with_timezone(&Utc);
        let mut s: Vec<_> = store
            .peer_summaries(before, d("2026-12-31"))
            .unwrap()
            .into_iter()
            .map(|(p, s)| format!("{p} {s:?}"))
            .collect();
        s.sort();
        out.extend(s);
        let mut l: Vec<_> = store
            .last_checkins_before(before)
            .unwrap()
            .into_iter()
            .map(|(p, c)| format!("{p} {c:?}"))
            .collect();
        l.sort();
        out.extend(l);
    }
    out
}

fn load(store: &SledStore, r: &Roster, list: &[CheckIn]) -> Counts {
    store.begin_load(r.snapshot.clone(), &actor()).unwrap();
    let mut sent = 0;
    for chunk in list.chunks(700) {
        assert_eq!(
            store.load_checkins(chunk.to_vec(), &actor()).unwrap(),
            chunk.len() as u64
        );
        sent += chunk.len() as u64;
    }
    store.finish_load(sent, &actor()).unwrap()
}

#[test]
fn a_bulk_load_leaves_the_store_that_batches_of_checkins_leave() {
    let r = roster();
    let list = checkins(&r, 2_500);

    let (_a, batches) = fresh();
    batches.import(r.snapshot.clone(), &actor()).unwrap();
    for chunk in list.chunks(700) {
        batches.create_checkins(chunk.to_vec(), &actor()).unwrap();
    }
    let (b_dir, loaded) = fresh();
    let counts = load(&loaded, &r, &list);
    assert_eq!(counts.checkins, 2_500);
    assert_eq!(counts.peers, 6);

    let want = checkin_view(&batches, &r);
    assert_eq!(checkin_view(&loaded, &r), want);
    // The same after a reopen (everything was on disk), and the next
    // check-in takes the next id.
    drop(loaded);
    let reopened = open(b_dir.path());
    assert!(!reopened.rolled_back_import());
    assert_eq!(checkin_view(&reopened, &r), want);
    let next = reopened
        .create_checkin(
            checkin(r.peers[0], r.staff[0], "2026-12-01T10:00:00Z"),
            &actor(),
        )
        .unwrap();
    assert_eq!(next.id.raw(), 2_501);
    // One import entry on the trail names the whole load.
    let trail = reopened.audit(&Default::default()).unwrap();
    let imported: Vec<_> = trail
        .iter()
        .filter_map(|e| match &e.event {
            caseload::store::AuditEvent::Imported { records } => Some(*records),
            _ => None,
        })
        .collect();
    assert_eq!(imported, vec![2 + 6 + 12 + 1 + 1 + 2_500]);
}

#[test]
fn a_load_that_is_not_finished_is_emptied_on_the_next_open() {
    let r = roster();
    let list = checkins(&r, 1_500);
    let (dir, store) = fresh();
    store.begin_load(r.snapshot.clone(), &actor()).unwrap();
    store
        .load_checkins(list[..1000].to_vec(), &actor())
        .unwrap();
    drop(store); // the process "dies" before finish_load
    let store = open(dir.path());
    assert!(store.rolled_back_import());
    assert_eq!(store.counts().unwrap(), Counts::default());
    assert!(store.checkins_page(None, 10).unwrap().is_empty());
    // The empty store takes a whole load afterwards.
    let counts = load(&store, &r, &list);
    assert_eq!(counts.checkins, 1_500);
}

#[test]
fn other_writes_wait_for_the_load_and_a_bad_batch_abandons_it() {
    let r = roster();
    let list = checkins(&r, 10);
    let (_dir, store) = fresh();
    store.begin_load(r.snapshot.clone(), &actor()).unwrap();
    store.load_checkins(list[..5].to_vec(), &actor()).unwrap();
    let err = store.create_checkin(list[5].clone(), &actor()).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("bulk load"), "{err}");
    let err = store.begin_load(r.snapshot.clone(), &actor()).unwrap_err();
    assert!(err.to_string().contains("already"), "{err}");

    // A check-in naming a peer that does not exist: refused, and the whole
    // load goes, roster included.
    let mut bad = list[6].clone();
    bad.peer = PeerId::new(999);
    let err = store.load_checkins(vec![bad], &actor()).unwrap_err();
    assert!(matches!(err, StoreError::BadReference { .. }), "{err:?}");
    assert_eq!(store.counts().unwrap(), Counts::default());
    let err = store
        .load_checkins(list[7..].to_vec(), &actor())
        .unwrap_err();
    assert!(err.to_string().contains("no bulk load"), "{err}");
    // Writes are taken again.
    store.import(r.snapshot.clone(), &actor()).unwrap();
    assert_eq!(store.counts().unwrap().peers, 6);
}

#[test]
fn finishing_with_another_count_than_was_loaded_abandons_the_load() {
    let r = roster();
    let list = checkins(&r, 20);
    let (dir, store) = fresh();
    store.begin_load(r.snapshot.clone(), &actor()).unwrap();
    store.load_checkins(list.clone(), &actor()).unwrap();
    let err = store.finish_load(21, &actor()).unwrap_err();
    assert!(err.to_string().contains("20 check-ins"), "{err}");
    assert_eq!(store.counts().unwrap(), Counts::default());
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.counts().unwrap(), Counts::default());
}

#[test]
fn a_load_goes_only_into_an_empty_store() {
    let r = roster();
    let (_dir, store) = fresh();
    peer(&store, "Already here");
    let err = store.begin_load(r.snapshot.clone(), &actor()).unwrap_err();
    assert!(err.to_string().contains("empty store"), "{err}");
    assert_eq!(store.counts().unwrap().peers, 1);
    let err = store.finish_load(0, &actor()).unwrap_err();
    assert!(err.to_string().contains("no bulk load"), "{err}");
    assert_eq!(store.counts().unwrap().peers, 1);
}
