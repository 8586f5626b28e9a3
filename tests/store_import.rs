//! `Store::import`: all or nothing, into an empty store only, refusing a
//! bad file with the location of the first problem and writing nothing.

mod support;

use caseload::model::{
    CheckInId, GoalId, GroupId, Meta, Peer, PeerId, Record, SessionId, Settings, Staff, StaffId,
};
use caseload::store::{Counts, SledStore, Snapshot, Store, StoreError};
use chrono::Utc;
use support::*;

/// Everything in a store, read back through the `Store` trait.
fn export(store: &dyn Store) -> Snapshot {
    let peers = store.list_peers().unwrap();
    let mut goals: Vec<_> = peers
        .iter()
        .flat_map(|p| store.goals_for_peer(p.id).unwrap())
        .collect();
    goals.sort_by_key(|g| g.id);
    Snapshot {
        settings: store.settings().unwrap(),
        staff: store.list_staff().unwrap(),
        peers,
        goals,
        groups: store.list_groups().unwrap(),
        sessions: store.sessions_page(None, usize::MAX).unwrap(),
        checkins: store.checkins_page(None, usize::MAX).unwrap(),
        resources: store.list_resources().unwrap(),
        referrals: store.referrals_page(None, usize::MAX).unwrap(),
        consents: store.list_consents().unwrap(),
        disclosures: store.disclosures_page(None, usize::MAX).unwrap(),
        assessments: store.assessments_page(None, usize::MAX).unwrap(),
        checkin_history: store.history_page(None, usize::MAX).unwrap(),
        peer_aliases: store.peer_aliases().unwrap(),
        ..Snapshot::default()
    }
}

/// A store with a bit of everything, several records edited more than
/// once and some ids left unused by deletes.
fn source() -> (tempfile::TempDir, SledStore) {
    let (dir, store) = fresh();
    store
        .save_settings(
            &Settings {
                organization_name: "Harbor Peer Center".into(),
                reengage_after_days: 45,
                ..Settings::default()
            },
            &actor(),
        )
        .unwrap();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let gone = peer(&store, "Mistake");
    let kim = peer(&store, "Kim");
    store.delete_peer(gone.id, &actor()).unwrap();
    let mut kim2 = kim.clone();
    kim2.cadence_days = Some(7);
    let kim2 = store.update_peer(&kim2, &actor()).unwrap();
    let mut kim3 = kim2.clone();
    kim3.assigned_staff = Some(s.id);
    store.update_peer(&kim3, &actor()).unwrap();
    let g = goal(&store, jo.id, "Job");
    let mut g2 = g.clone();
    g2.next_review = Some(d("2026-12-01"));
    store.update_goal(&g2, &actor()).unwrap();
    goal(&store, kim.id, "Flat");
    let gr = group(&store, "WRAP");
    store
        .create_session(session(gr.id, "2026-11-24", &[jo.id, kim.id]), &actor())
        .unwrap();
    for day in 1..=5 {
        let mut c = checkin(jo.id, s.id, &format!("2026-11-{day:02}T10:00:00-05:00"));
        c.goals = vec![g.id];
        c.follow_up = Some(d(&format!("2026-11-{:02}", day + 7)));
        save_checkin(&store, c);
    }
    let doomed = save_checkin(&store, checkin(kim.id, s.id, "2026-11-06T10:00:00Z"));
    store.delete_checkin(doomed.id, &actor()).unwrap();
    (dir, store)
}

fn assert_empty(store: &SledStore) {
    assert_eq!(store.counts().unwrap(), Counts::default());
    assert_eq!(store.settings().unwrap(), Settings::default());
    assert!(store.list_staff().unwrap().is_empty());
    assert!(store.list_peers().unwrap().is_empty());
    assert!(store.checkins_page(None, 10).unwrap().is_empty());
}

#[test]
fn a_good_snapshot_round_trips() {
    let (_src_dir, src) = source();
    let snap = export(&src);
    assert!(snap.peers.iter().any(|p| p.meta.revision == 3));

    // Through JSON, as an export file would go.
    let json = serde_json::to_string(&snap).unwrap();
    let from_file: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(from_file, snap);

    let dir = tempfile::tempdir().unwrap();
    let counts = {
        let dst = open(dir.path());
        let counts = dst.import(from_file, &actor()).unwrap();
        assert_eq!(counts, src.counts().unwrap());
        counts
    };
    let dst = open(dir.path());
    assert!(!dst.rolled_back_import());
    assert_eq!(dst.counts().unwrap(), counts);
    assert_eq!(
        export(&dst),
        snap,
        "ids, revisions and bookkeeping are kept"
    );

    // The indexes were built too.
    let jo = PeerId::new(1);
    assert_eq!(
        dst.recent_checkins(jo, 2).unwrap(),
        src.recent_checkins(jo, 2).unwrap()
    );
    assert_eq!(
        dst.checkins_for_goal(GoalId::new(1)).unwrap(),
        src.checkins_for_goal(GoalId::new(1)).unwrap()
    );
    assert_eq!(
        dst.followups_between(d("2026-11-01"), d("2026-11-30"))
            .unwrap(),
        src.followups_between(d("2026-11-01"), d("2026-11-30"))
            .unwrap()
    );
    assert_eq!(
        dst.goals_due_for_review(d("2026-12-31")).unwrap(),
        src.goals_due_for_review(d("2026-12-31")).unwrap()
    );
    assert_eq!(
        dst.sessions_for_peer(PeerId::new(3)).unwrap(),
        src.sessions_for_peer(PeerId::new(3)).unwrap()
    );

    // New records get ids after the highest imported one, in every kind,
    // and edits of imported records continue their revisions.
    let s = staff(&dst, "Ben Ode");
    assert_eq!(s.id, StaffId::new(2));
    let p = peer(&dst, "Lee");
    assert_eq!(p.id, PeerId::new(4));
    assert_eq!(goal(&dst, p.id, "Bike").id, GoalId::new(3));
    assert_eq!(group(&dst, "Art").id, GroupId::new(2));
    let c = save_checkin(&dst, checkin(p.id, s.id, "2026-11-23T10:00:00Z"));
    // C6 was deleted before the export; a snapshot carries no id counters,
    // so the id is free again in the new store (no imported record has it).
    assert_eq!(c.id, CheckInId::new(6));
    let sess = dst
        .create_session(session(GroupId::new(1), "2026-12-01", &[]), &actor())
        .unwrap();
    assert_eq!(sess.id, SessionId::new(2));
    let kim = dst.peer(PeerId::new(3)).unwrap();
    assert_eq!(kim.meta.revision, 3);
    assert_eq!(dst.update_peer(&kim, &actor()).unwrap().meta.revision, 4);
}

#[test]
fn ids_follow_the_highest_imported_id_even_with_gaps() {
    let now = Utc::now();
    let mk = |id: u64, name: &str| Record {
        id: PeerId::new(id),
        meta: Meta::created(now, &actor()),
        data: Peer::new(name, d("2026-01-05")),
    };
    let snap = Snapshot {
        peers: vec![mk(40, "Jo"), mk(7, "Kim")],
        ..Snapshot::default()
    };
    let (_dir, store) = fresh();
    store.import(snap, &actor()).unwrap();
    assert_eq!(ids(&store.list_peers().unwrap()), vec![7, 40]);
    assert_eq!(peer(&store, "Lee").id, PeerId::new(41));
}

#[test]
fn a_store_that_is_not_empty_is_refused() {
    let (_src_dir, src) = source();
    let snap = export(&src);
    let (dir, dst) = fresh();
    let p = peer(&dst, "Already here");
    let err = dst.import(snap, &actor()).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
    assert!(msg.contains("already holds 0 staff, 1 peer and"), "{msg}");
    assert_eq!(dst.list_peers().unwrap(), vec![p]);
    assert_eq!(dst.settings().unwrap(), Settings::default());
}

/// Imports `snap` into a new store, expects the refusal `message`, and
/// checks that nothing at all was written, even after a reopen.
fn assert_refused(snap: Snapshot, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        let err = store.import(snap.clone(), &actor()).unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
        assert_eq!(err.to_string(), message);
        assert_empty(&store);
    }
    let store = open(dir.path());
    assert!(
        !store.rolled_back_import(),
        "nothing was started, so nothing to undo"
    );
    assert_empty(&store);
}

#[test]
fn an_invalid_record_is_refused_with_its_location() {
    let (_src_dir, src) = source();
    let mut snap = export(&src);
    let now = Utc::now();
    snap.peers.push(Record {
        id: PeerId::new(4),
        meta: Meta::created(now, &actor()),
        data: Peer::new("", d("2026-01-05")),
    });
    assert_eq!(snap.peers.len(), 3);
    // The brief's example: the fourth peer in the file.
    snap.peers.insert(
        0,
        Record {
            id: PeerId::new(9),
            meta: Meta::created(now, &actor()),
            data: Peer::new("Lee", d("2026-01-05")),
        },
    );
    assert_refused(snap, "peers[3] (P4): display name: must not be empty");
}

#[test]
fn duplicate_ids_are_refused() {
    let (_src_dir, src) = source();
    let mut snap = export(&src);
    let mut again = snap.checkins[1].clone();
    again.note = "a different note".into();
    snap.checkins.push(again);
    assert_refused(snap, "checkins[5] (C2): the check-in id C2 appears twice");
}

#[test]
fn references_outside_the_file_are_refused() {
    let (_src_dir, src) = source();

    let mut snap = export(&src);
    snap.checkins[2].goals.push(GoalId::new(99));
    assert_refused(snap, "checkins[2] (C3): goals: no goal G99 in the file");

    let mut snap = export(&src);
    snap.peers[1].assigned_staff = Some(StaffId::new(5));
    assert_refused(
        snap,
        "peers[1] (P3): assigned staff: no staff S5 in the file",
    );

    let mut snap = export(&src);
    snap.sessions[0].attendees.push(PeerId::new(2));
    assert_refused(snap, "sessions[0] (GS1): attendees: no peer P2 in the file");

    // A check-in may only touch its own peer's goals.
    let mut snap = export(&src);
    snap.checkins[0].goals = vec![GoalId::new(2)];
    assert_refused(
        snap,
        "checkins[0] (C1): goals: goal G2 is on the plan of peer P3, not of peer P1",
    );
}

#[test]
fn zero_ids_revisions_and_bad_settings_are_refused() {
    let (_src_dir, src) = source();

    let mut snap = export(&src);
    snap.staff[0].id = StaffId::new(0);
    assert_refused(snap, "staff[0] (S0): id 0 is not valid");

    let mut snap = export(&src);
    snap.goals[1].meta.revision = 0;
    assert_refused(snap, "goals[1] (G2): revision 0 is not valid");

    let mut snap = export(&src);
    snap.settings.reengage_after_days = 0;
    let msg = {
        let (_d, s) = fresh();
        s.import(snap.clone(), &actor()).unwrap_err().to_string()
    };
    assert!(msg.starts_with("settings: re-engage after days"), "{msg}");
    assert_refused(snap, &msg);
}

#[test]
fn a_refused_import_leaves_the_store_ready_for_a_good_one() {
    let (_src_dir, src) = source();
    let good = export(&src);
    let mut bad = good.clone();
    bad.staff.push(Record {
        id: StaffId::new(2),
        meta: Meta::created(Utc::now(), &actor()),
        data: Staff::new("", caseload::model::Role::Admin),
    });
    let (_dir, store) = fresh();
    assert!(store.import(bad, &actor()).is_err());
    store.import(good.clone(), &actor()).unwrap();
    assert_eq!(export(&store), good);
    // A second import into the now full store is refused.
    assert!(matches!(
        store.import(good, &actor()),
        Err(StoreError::Refused(_))
    ));
}

#[test]
fn a_large_import_spans_several_transactions() {
    let now = Utc::now();
    let s = Record {
        id: StaffId::new(1),
        meta: Meta::created(now, &actor()),
        data: Staff::new("Ana Ruiz", caseload::model::Role::PeerSpecialist),
    };
    let p = Record {
        id: PeerId::new(1),
        meta: Meta::created(now, &actor()),
        data: Peer::new("Jo", d("2026-01-05")),
    };
    let base = at("2026-01-06T09:00:00-05:00");
    let checkins: Vec<_> = (1..=4_500u64)
        .map(|i| Record {
            id: CheckInId::new(i),
            meta: Meta::created(now, &actor()),
            data: caseload::model::CheckIn::new(
                p.id,
                s.id,
                base + chrono::Duration::hours(i as i64),
            ),
        })
        .collect();
    let snap = Snapshot {
        staff: vec![s],
        peers: vec![p.clone()],
        checkins,
        ..Snapshot::default()
    };
    let (_dir, store) = fresh();
    let counts = store.import(snap.clone(), &actor()).unwrap();
    assert_eq!(counts.checkins, 4_500);
    assert_eq!(
        store.recent_checkins(p.id, usize::MAX).unwrap().len(),
        4_500
    );
    assert_eq!(
        store
            .checkins_page(Some(CheckInId::new(4_498)), 10)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(export(&store).checkins, snap.checkins);
}
