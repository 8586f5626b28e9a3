//! Every record kind survives create → get → list → update → delete, with
//! the bookkeeping, conflict detection, reference checks and delete guards
//! the `Store` trait promises.

mod support;

use caseload::model::{
    Actor, CheckInId, Entity, GoalId, GoalStatus, Group, GroupSession, PeerId, PeerStatus, Record,
    SessionId, Settings, StaffId,
};
use caseload::store::{Counts, SledStore, Store, StoreError};
use chrono::Weekday;
use support::*;

/// Checks what an update must do to the bookkeeping.
fn assert_saved_over<T: Entity + PartialEq + std::fmt::Debug>(
    before: &Record<T>,
    after: &Record<T>,
    by: &Actor,
) {
    assert_eq!(after.id, before.id, "an update keeps the id");
    assert_eq!(after.meta.revision, before.meta.revision + 1);
    assert_eq!(after.meta.created_at, before.meta.created_at);
    assert_eq!(after.meta.created_by, before.meta.created_by);
    assert_eq!(&after.meta.updated_by, by);
    assert!(after.meta.updated_at >= before.meta.updated_at);
}

/// Checks a stale save is refused with a message naming the record.
fn assert_conflict(err: StoreError, shown: &str, expected: u64, actual: u64, by: &str) {
    let msg = err.to_string();
    match err {
        StoreError::Conflict {
            id,
            expected: e,
            actual: a,
            ..
        } => {
            assert_eq!(id, shown);
            assert_eq!((e, a), (expected, actual));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(msg.contains(shown), "{msg}");
    assert!(
        msg.contains(&format!("your revision {expected}, now {actual}")),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("changed by {by} since")),
        "the message names who saved: {msg}"
    );
}

fn assert_not_found(err: StoreError, noun: &str, shown: &str) {
    assert_eq!(err.to_string(), format!("no {noun} {shown}"));
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
}

fn editor() -> Actor {
    Actor::staff(StaffId::new(1), "editor")
}

#[test]
fn staff_round_trip() {
    let (_dir, store) = fresh();
    let a = staff(&store, "Ana Ruiz");
    let b = staff(&store, "Ben Ode");
    assert_eq!(a.id, StaffId::new(1));
    assert_eq!(a.meta.revision, 1);
    assert_eq!(a.meta.created_by, actor());
    assert_eq!(store.staff(a.id).unwrap(), a);
    assert_eq!(store.list_staff().unwrap(), vec![a.clone(), b.clone()]);

    let mut edit = a.clone();
    edit.name = "Ana María Ruiz".into();
    edit.initials = "AMR".into();
    let saved = store.update_staff(&edit, &editor()).unwrap();
    assert_saved_over(&a, &saved, &editor());
    assert_eq!(saved.name, "Ana María Ruiz");
    assert_eq!(store.staff(a.id).unwrap(), saved);

    // The first edit's starting point is now stale.
    let err = store.update_staff(&edit, &actor()).unwrap_err();
    assert_conflict(err, "S1", 1, 2, "S1 (editor)");
    assert_eq!(
        store.staff(a.id).unwrap(),
        saved,
        "a refused save changes nothing"
    );

    assert_not_found(store.staff(StaffId::new(9)).unwrap_err(), "staff", "S9");
    assert_eq!(store.counts().unwrap().staff, 2);
}

#[test]
fn peer_round_trip_and_delete() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let mut data = caseload::model::Peer::new("Jo", d("2026-02-01"));
    data.assigned_staff = Some(s.id);
    data.cadence_days = Some(7);
    data.tags = vec!["night shift".into()];
    data.wellness_plan.what_helps = vec!["a walk".into()];
    let p = store.create_peer(data.clone(), &actor()).unwrap();
    assert_eq!(p.data, data);
    assert_eq!(store.peer(p.id).unwrap(), p);
    let q = peer(&store, "Kim");
    assert_eq!(store.list_peers().unwrap(), vec![p.clone(), q.clone()]);

    let mut edit = p.clone();
    edit.set_status(
        PeerStatus::Inactive,
        d("2026-03-01"),
        Some("travelling".into()),
    );
    let saved = store.update_peer(&edit, &editor()).unwrap();
    assert_saved_over(&p, &saved, &editor());
    assert_eq!(saved.status, PeerStatus::Inactive);
    let again = store.update_peer(&saved, &actor()).unwrap();
    assert_eq!(again.meta.revision, 3);
    assert_conflict(
        store.update_peer(&edit, &actor()).unwrap_err(),
        "P1",
        1,
        3,
        "tester",
    );

    assert_eq!(store.counts().unwrap().peers, 2);
    store.delete_peer(q.id, &actor()).unwrap();
    assert_not_found(store.peer(q.id).unwrap_err(), "peer", "P2");
    assert_not_found(store.delete_peer(q.id, &actor()).unwrap_err(), "peer", "P2");
    assert_eq!(store.counts().unwrap().peers, 1);
    assert_eq!(store.list_peers().unwrap(), vec![again]);

    // Ids are never handed out twice, even after a delete.
    let r = peer(&store, "Lee");
    assert_eq!(r.id, PeerId::new(3));
}

#[test]
fn goal_round_trip_and_delete() {
    let (_dir, store) = fresh();
    let p = peer(&store, "Jo");
    let g = goal(&store, p.id, "Get my own place");
    assert_eq!(store.goal(g.id).unwrap(), g);
    assert_eq!(store.goals_for_peer(p.id).unwrap(), vec![g.clone()]);

    let mut edit = g.clone();
    edit.set_status(GoalStatus::Paused, d("2026-02-01"), None);
    edit.next_review = Some(d("2026-03-01"));
    let saved = store.update_goal(&edit, &editor()).unwrap();
    assert_saved_over(&g, &saved, &editor());
    assert_eq!(saved.status, GoalStatus::Paused);
    assert_conflict(
        store.update_goal(&edit, &actor()).unwrap_err(),
        "G1",
        1,
        2,
        "S1 (editor)",
    );

    store.delete_goal(g.id, &actor()).unwrap();
    assert_not_found(store.goal(g.id).unwrap_err(), "goal", "G1");
    assert!(store.goals_for_peer(p.id).unwrap().is_empty());
    assert_eq!(store.counts().unwrap().goals, 0);
}

#[test]
fn checkin_round_trip_and_delete() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let g = goal(&store, p.id, "Get my own place");
    let mut data = checkin(p.id, s.id, "2026-11-23T10:00:00-05:00");
    data.goals = vec![g.id];
    data.wellbeing = Some(4);
    data.note = "Found two listings; calling tomorrow.".into();
    data.follow_up = Some(d("2026-11-24"));
    data.add_support(caseload::model::SupportKind::Informational);
    let c = save_checkin(&store, data.clone());
    assert_eq!(c.data, data);
    assert_eq!(store.checkin(c.id).unwrap(), c);
    assert_eq!(store.checkins_page(None, 10).unwrap(), vec![c.clone()]);

    let mut edit = c.clone();
    edit.minutes = 45;
    let saved = store.update_checkin(&edit, &editor()).unwrap();
    assert_saved_over(&c, &saved, &editor());
    assert_eq!(saved.minutes, 45);
    assert_conflict(
        store.update_checkin(&edit, &actor()).unwrap_err(),
        "C1",
        1,
        2,
        "S1 (editor)",
    );

    assert_eq!(store.counts().unwrap().checkins, 1);
    store.delete_checkin(c.id, &actor()).unwrap();
    assert_not_found(store.checkin(c.id).unwrap_err(), "check-in", "C1");
    assert_not_found(
        store
            .delete_checkin(CheckInId::new(1), &actor())
            .unwrap_err(),
        "check-in",
        "C1",
    );
    assert_eq!(store.counts().unwrap().checkins, 0);
    assert!(store.checkins_page(None, 10).unwrap().is_empty());
}

#[test]
fn group_and_session_round_trip() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let mut data = Group::new("Tuesday WRAP", Weekday::Tue, hm(14, 0));
    data.facilitator = Some(s.id);
    data.location = "Room 2".into();
    let g = store.create_group(data.clone(), &actor()).unwrap();
    assert_eq!(g.data, data);
    assert_eq!(store.group(g.id).unwrap(), g);
    assert_eq!(store.list_groups().unwrap(), vec![g.clone()]);

    let mut gedit = g.clone();
    gedit.active = false;
    let gsaved = store.update_group(&gedit, &editor()).unwrap();
    assert_saved_over(&g, &gsaved, &editor());
    assert_conflict(
        store.update_group(&gedit, &actor()).unwrap_err(),
        "GR1",
        1,
        2,
        "S1 (editor)",
    );

    let sess = GroupSession::for_group(g.id, &g, d("2026-11-24"));
    let sr = store.create_session(sess.clone(), &actor()).unwrap();
    assert_eq!(sr.data, sess);
    assert_eq!(sr.facilitator, Some(s.id));
    assert_eq!(store.session(sr.id).unwrap(), sr);

    let mut sedit = sr.clone();
    assert!(sedit.add_attendee(p.id));
    sedit.topic = "Early warning signs".into();
    let ssaved = store.update_session(&sedit, &editor()).unwrap();
    assert_saved_over(&sr, &ssaved, &editor());
    assert_eq!(ssaved.attendees, vec![p.id]);
    assert_conflict(
        store.update_session(&sedit, &actor()).unwrap_err(),
        "GS1",
        1,
        2,
        "S1 (editor)",
    );

    assert_eq!(store.counts().unwrap().sessions, 1);
    store.delete_session(sr.id, &actor()).unwrap();
    assert_not_found(store.session(sr.id).unwrap_err(), "group session", "GS1");
    assert_not_found(
        store
            .delete_session(SessionId::new(1), &actor())
            .unwrap_err(),
        "group session",
        "GS1",
    );
    assert_eq!(store.counts().unwrap().sessions, 0);
    assert!(store.sessions_for_peer(p.id).unwrap().is_empty());
}

#[test]
fn settings_default_then_saved_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        assert_eq!(store.settings().unwrap(), Settings::default());
        let s = Settings {
            organization_name: "Harbor Peer Center".into(),
            reengage_after_days: 21,
            daily_unit_cap: Some(16),
            ..Settings::default()
        };
        store.save_settings(&s, &actor()).unwrap();
        assert_eq!(store.settings().unwrap(), s);

        let bad = Settings {
            unit_minutes: 0,
            ..s.clone()
        };
        let err = store.save_settings(&bad, &actor()).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert!(err.to_string().contains("unit minutes"), "{err}");
        assert_eq!(
            store.settings().unwrap(),
            s,
            "refused settings are not saved"
        );
    }
    let store = open(dir.path());
    assert_eq!(
        store.settings().unwrap().organization_name,
        "Harbor Peer Center"
    );
    assert_eq!(store.settings().unwrap().reengage_after_days, 21);
}

#[test]
fn counts_track_creates_and_deletes_of_every_kind() {
    let (_dir, store) = fresh();
    assert_eq!(store.counts().unwrap(), Counts::default());
    let s = staff(&store, "Ana Ruiz");
    let p1 = peer(&store, "Jo");
    let p2 = peer(&store, "Kim");
    let g = goal(&store, p1.id, "Job");
    let g2 = goal(&store, p1.id, "Bike");
    let gr = group(&store, "WRAP");
    let many = store
        .create_checkins(
            vec![
                checkin(p1.id, s.id, "2026-11-20T10:00:00Z"),
                checkin(p1.id, s.id, "2026-11-21T10:00:00Z"),
                checkin(p2.id, s.id, "2026-11-22T10:00:00Z"),
            ],
            &actor(),
        )
        .unwrap();
    assert_eq!(ids(&many), vec![1, 2, 3]);
    let sess = store
        .create_session(session(gr.id, "2026-11-24", &[p1.id]), &actor())
        .unwrap();
    let want = Counts {
        staff: 1,
        peers: 2,
        goals: 2,
        checkins: 3,
        groups: 1,
        sessions: 1,
        ..Counts::default()
    };
    assert_eq!(store.counts().unwrap(), want);

    store.delete_checkin(many[2].id, &actor()).unwrap();
    store.delete_peer(p2.id, &actor()).unwrap();
    store.delete_goal(g2.id, &actor()).unwrap();
    store.delete_session(sess.id, &actor()).unwrap();
    let after = Counts {
        peers: 1,
        goals: 1,
        checkins: 2,
        sessions: 0,
        ..want
    };
    assert_eq!(store.counts().unwrap(), after);

    // Refused or failed writes leave the counts alone.
    assert!(store.delete_goal(g.id, &actor()).is_ok());
    assert!(store.delete_checkin(CheckInId::new(77), &actor()).is_err());
    let mut bad = checkin(p1.id, s.id, "2026-11-23T10:00:00Z");
    bad.minutes = 0;
    assert!(matches!(
        store.create_checkin(bad, &actor()),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.counts().unwrap(), Counts { goals: 0, ..after });

    // The counts are the real number of records.
    assert_eq!(store.list_peers().unwrap().len() as u64, after.peers);
    assert_eq!(
        store.checkins_page(None, 100).unwrap().len() as u64,
        after.checkins
    );
}

fn assert_bad_reference(result: Result<impl std::fmt::Debug, StoreError>, message: &str) {
    match result {
        Err(e @ StoreError::BadReference { .. }) => assert_eq!(e.to_string(), message),
        other => panic!("expected a bad reference ({message}), got {other:?}"),
    }
}

#[test]
fn references_to_missing_records_are_refused() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let g = goal(&store, p.id, "Job");
    let gr = group(&store, "WRAP");
    let before = store.counts().unwrap();

    let mut pd = caseload::model::Peer::new("Kim", d("2026-01-01"));
    pd.assigned_staff = Some(StaffId::new(9));
    assert_bad_reference(
        store.create_peer(pd, &actor()),
        "assigned staff: no staff S9",
    );
    let gd = caseload::model::Goal::new(
        PeerId::new(9),
        caseload::model::LifeDomain::Employment,
        "Job",
        d("2026-01-01"),
    );
    assert_bad_reference(store.create_goal(gd, &actor()), "peer: no peer P9");
    assert_bad_reference(
        store.create_checkin(
            checkin(PeerId::new(9), s.id, "2026-11-23T10:00:00Z"),
            &actor(),
        ),
        "peer: no peer P9",
    );
    assert_bad_reference(
        store.create_checkin(
            checkin(p.id, StaffId::new(9), "2026-11-23T10:00:00Z"),
            &actor(),
        ),
        "staff: no staff S9",
    );
    let mut cd = checkin(p.id, s.id, "2026-11-23T10:00:00Z");
    cd.goals = vec![g.id, GoalId::new(9)];
    assert_bad_reference(
        store.create_checkin(cd.clone(), &actor()),
        "goals: no goal G9",
    );
    // One bad check-in in a batch refuses the whole batch.
    assert_bad_reference(
        store.create_checkins(
            vec![checkin(p.id, s.id, "2026-11-22T10:00:00Z"), cd],
            &actor(),
        ),
        "goals: no goal G9",
    );
    let mut grd = Group::new("Art", Weekday::Mon, hm(10, 0));
    grd.facilitator = Some(StaffId::new(9));
    assert_bad_reference(
        store.create_group(grd, &actor()),
        "facilitator: no staff S9",
    );
    assert_bad_reference(
        store.create_session(
            session(caseload::model::GroupId::new(9), "2026-11-24", &[]),
            &actor(),
        ),
        "group: no group GR9",
    );
    assert_bad_reference(
        store.create_session(
            session(gr.id, "2026-11-24", &[p.id, PeerId::new(9)]),
            &actor(),
        ),
        "attendees: no peer P9",
    );
    let mut sd = session(gr.id, "2026-11-24", &[]);
    sd.facilitator = Some(StaffId::new(9));
    assert_bad_reference(
        store.create_session(sd, &actor()),
        "facilitator: no staff S9",
    );

    // Updates are checked too.
    let mut pe = p.clone();
    pe.assigned_staff = Some(StaffId::new(9));
    assert_bad_reference(
        store.update_peer(&pe, &actor()),
        "assigned staff: no staff S9",
    );
    let c = save_checkin(&store, checkin(p.id, s.id, "2026-11-23T10:00:00Z"));
    let mut ce = c.clone();
    ce.peer = PeerId::new(9);
    assert_bad_reference(store.update_checkin(&ce, &actor()), "peer: no peer P9");
    assert_eq!(store.checkin(c.id).unwrap(), c);

    assert_eq!(
        store.counts().unwrap(),
        Counts {
            checkins: before.checkins + 1,
            ..before
        },
        "only the one good check-in was written"
    );
    assert_eq!(store.recent_checkins(p.id, 10).unwrap(), vec![c]);
}

fn assert_in_use(result: Result<(), StoreError>, wants: &[&str]) {
    match result {
        Err(e @ StoreError::InUseBy(_)) => {
            let msg = e.to_string();
            for w in wants {
                assert!(msg.contains(w), "missing {w:?} in {msg}");
            }
        }
        other => panic!("expected the delete to be refused, got {other:?}"),
    }
}

#[test]
fn delete_peer_refused_while_anything_refers_to_them() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let with_checkin = peer(&store, "Jo");
    let with_goal = peer(&store, "Kim");
    let attended = peer(&store, "Lee");
    let c = save_checkin(
        &store,
        checkin(with_checkin.id, s.id, "2026-11-23T10:00:00Z"),
    );
    let g = goal(&store, with_goal.id, "Job");
    let gr = group(&store, "WRAP");
    let sess = store
        .create_session(session(gr.id, "2026-11-24", &[attended.id]), &actor())
        .unwrap();

    assert_in_use(
        store.delete_peer(with_checkin.id, &actor()),
        &["peer P1", "check-ins", "discharged"],
    );
    assert_in_use(
        store.delete_peer(with_goal.id, &actor()),
        &["peer P2", "goals"],
    );
    assert_in_use(
        store.delete_peer(attended.id, &actor()),
        &["peer P3", "group attendance"],
    );
    assert_eq!(store.counts().unwrap().peers, 3, "nothing was deleted");
    assert_eq!(store.peer(attended.id).unwrap(), attended);

    // Once the references are gone, the mistaken record can go.
    store.delete_checkin(c.id, &actor()).unwrap();
    store.delete_goal(g.id, &actor()).unwrap();
    let mut sedit = sess.clone();
    sedit.attendees.clear();
    store.update_session(&sedit, &actor()).unwrap();
    for p in [&with_checkin, &with_goal, &attended] {
        store.delete_peer(p.id, &actor()).unwrap();
    }
    assert_eq!(store.counts().unwrap().peers, 0);
}

#[test]
fn delete_goal_refused_while_checkins_touch_it() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let g = goal(&store, p.id, "Job");
    let other = goal(&store, p.id, "Bike");
    let mut data = checkin(p.id, s.id, "2026-11-23T10:00:00Z");
    data.goals = vec![g.id];
    let c = save_checkin(&store, data);
    assert_in_use(
        store.delete_goal(g.id, &actor()),
        &["goal G1", "check-ins", "dropped"],
    );
    assert_eq!(store.goal(g.id).unwrap(), g);
    // A goal with the neighbouring id is not affected.
    store.delete_goal(other.id, &actor()).unwrap();

    let mut edit = c.clone();
    edit.goals.clear();
    store.update_checkin(&edit, &actor()).unwrap();
    store.delete_goal(g.id, &actor()).unwrap();
    assert_eq!(store.counts().unwrap().goals, 0);
}

#[test]
fn invalid_records_are_refused_with_field_names() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let err = store
        .create_peer(caseload::model::Peer::new("  ", d("2026-01-01")), &actor())
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(err.to_string(), "display name: must not be empty");

    let c = save_checkin(&store, checkin(p.id, s.id, "2026-11-23T10:00:00Z"));
    let mut edit = c.clone();
    edit.wellbeing = Some(9);
    let err = store.update_checkin(&edit, &actor()).unwrap_err();
    assert!(
        err.to_string().contains("wellbeing: 9 is out of range"),
        "{err}"
    );
    assert_eq!(store.checkin(c.id).unwrap(), c);

    let mut bad = checkin(p.id, s.id, "2026-11-23T10:00:00Z");
    bad.minutes = 0;
    let err = store
        .create_checkins(
            vec![checkin(p.id, s.id, "2026-11-22T10:00:00Z"), bad],
            &actor(),
        )
        .unwrap_err();
    assert!(
        err.to_string().starts_with("check-in 2 of 2: minutes"),
        "{err}"
    );
    assert_eq!(store.counts().unwrap().checkins, 1);
}

#[test]
fn everything_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (s, p, g, c, gr, sess) = {
        let store = open(dir.path());
        let s = staff(&store, "Ana Ruiz");
        let p = peer(&store, "Jo");
        let g = goal(&store, p.id, "Job");
        let mut cd = checkin(p.id, s.id, "2026-11-23T10:00:00+01:00");
        cd.goals = vec![g.id];
        cd.follow_up = Some(d("2026-11-30"));
        let c = save_checkin(&store, cd);
        let gr = group(&store, "WRAP");
        let sess = store
            .create_session(session(gr.id, "2026-11-24", &[p.id]), &actor())
            .unwrap();
        (s, p, g, c, gr, sess)
    };
    let store: SledStore = open(dir.path());
    assert_eq!(store.list_staff().unwrap(), vec![s]);
    assert_eq!(store.list_peers().unwrap(), vec![p.clone()]);
    assert_eq!(store.goals_for_peer(p.id).unwrap(), vec![g.clone()]);
    assert_eq!(store.checkins_for_goal(g.id).unwrap(), vec![c.clone()]);
    assert_eq!(store.checkin(c.id).unwrap().at.offset(), c.at.offset());
    assert_eq!(store.list_groups().unwrap(), vec![gr]);
    assert_eq!(store.sessions_for_peer(p.id).unwrap(), vec![sess]);
    assert_eq!(
        store.counts().unwrap(),
        Counts {
            staff: 1,
            peers: 1,
            goals: 1,
            checkins: 1,
            groups: 1,
            sessions: 1,
            ..Counts::default()
        }
    );
    // Ids continue after a reopen.
    assert_eq!(peer(&store, "Kim").id, PeerId::new(2));
}

/// Regression: the guards of `delete_peer` and `delete_goal` used to scan an
/// index inside the sled transaction, which deadlocks on sled's global
/// transaction lock and froze the whole process. Run them on a thread so a
/// regression fails the test instead of hanging the suite.
#[test]
fn guarded_deletes_finish_instead_of_hanging() {
    let (dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let g = goal(&store, p.id, "Job");
    let mut cd = checkin(p.id, s.id, "2026-11-23T10:00:00Z");
    cd.goals = vec![g.id];
    save_checkin(&store, cd);
    let lonely = peer(&store, "Kim");
    let lonely_goal = goal(&store, lonely.id, "Bike");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let results = (
            store.delete_goal(g.id, &actor()).is_err(),
            store.delete_peer(p.id, &actor()).is_err(),
            store.delete_goal(lonely_goal.id, &actor()).is_ok(),
            store.delete_peer(lonely.id, &actor()).is_ok(),
        );
        let _ = tx.send(results);
        drop(store);
    });
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("guarded deletes hung");
    assert_eq!(got, (true, true, true, true));
    drop(dir);
}

#[test]
fn a_checkin_may_only_touch_its_own_peers_goals() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let kim = peer(&store, "Kim");
    let jos_goal = goal(&store, jo.id, "Job");
    let kims_goal = goal(&store, kim.id, "Flat");

    let mut c = checkin(jo.id, s.id, "2026-11-23T10:00:00Z");
    c.goals = vec![jos_goal.id, kims_goal.id];
    let err = store.create_checkin(c.clone(), &actor()).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "goals: goal G2 is on the plan of peer P2, not of peer P1"
    );
    assert!(store.create_checkins(vec![c], &actor()).is_err());
    assert!(store.checkins_for_goal(kims_goal.id).unwrap().is_empty());
    assert_eq!(store.counts().unwrap().checkins, 0);

    // Moving a check-in to another peer must bring the goals along.
    let mut ok = checkin(jo.id, s.id, "2026-11-23T10:00:00Z");
    ok.goals = vec![jos_goal.id];
    let saved = save_checkin(&store, ok);
    let mut moved = saved.clone();
    moved.peer = kim.id;
    let err = store.update_checkin(&moved, &actor()).unwrap_err();
    assert!(
        err.to_string()
            .contains("goal G1 is on the plan of peer P1"),
        "{err}"
    );
    moved.goals = vec![kims_goal.id];
    let moved = store.update_checkin(&moved, &actor()).unwrap();
    assert_eq!(store.checkins_for_goal(kims_goal.id).unwrap(), vec![moved]);
    assert!(store.checkins_for_goal(jos_goal.id).unwrap().is_empty());
}

#[test]
fn a_batch_checks_a_goal_again_for_each_peer_it_is_linked_from() {
    // A batch reads each reference once (the same staff member, peer or
    // goal on many check-ins): a goal accepted on its own peer's check-in
    // must still be refused on another peer's check-in in the same batch.
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let kim = peer(&store, "Kim");
    let jos_goal = goal(&store, jo.id, "Job");
    let mut first = checkin(jo.id, s.id, "2026-11-23T10:00:00Z");
    first.goals = vec![jos_goal.id];
    let mut second = checkin(kim.id, s.id, "2026-11-23T11:00:00Z");
    second.goals = vec![jos_goal.id];
    let err = store
        .create_checkins(vec![first.clone(), second], &actor())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "goals: goal G1 is on the plan of peer P1, not of peer P2"
    );
    assert_eq!(store.counts().unwrap().checkins, 0);
    assert!(store.checkins_for_goal(jos_goal.id).unwrap().is_empty());

    // Numbered as one run: a batch of three, then one on its own.
    let made = store
        .create_checkins(vec![first.clone(), first.clone(), first.clone()], &actor())
        .unwrap();
    let ids: Vec<String> = made.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, ["C1", "C2", "C3"]);
    let next = store.create_checkin(first, &actor()).unwrap();
    assert_eq!(next.id.to_string(), "C4");
    assert_eq!(store.counts().unwrap().checkins, 4);
    assert_eq!(store.checkins_for_goal(jos_goal.id).unwrap().len(), 4);
}

#[test]
fn a_goal_linked_to_checkins_cannot_move_to_another_peer() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let jo = peer(&store, "Jo");
    let kim = peer(&store, "Kim");
    let g = goal(&store, jo.id, "Job");
    let loose = goal(&store, jo.id, "Bike");
    let mut c = checkin(jo.id, s.id, "2026-11-23T10:00:00Z");
    c.goals = vec![g.id];
    save_checkin(&store, c);

    let mut edit = g.clone();
    edit.peer = kim.id;
    let err = store.update_goal(&edit, &actor()).unwrap_err();
    assert!(matches!(err, StoreError::InUseBy(_)), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "goal G1 is linked to check-ins with peer P1, so it cannot move to peer P2"
        ),
        "{err}"
    );
    assert_eq!(store.goal(g.id).unwrap(), g);
    // Other edits of that goal are fine, and so is a stale edit's conflict.
    let mut retitle = g.clone();
    retitle.title = "Part-time job".into();
    store.update_goal(&retitle, &actor()).unwrap();
    assert!(matches!(
        store.update_goal(&edit, &actor()),
        Err(StoreError::Conflict { .. })
    ));
    // A goal nobody linked to can move (it was put on the wrong plan).
    let mut fix = loose.clone();
    fix.peer = kim.id;
    store.update_goal(&fix, &actor()).unwrap();
    assert_eq!(
        ids(&store.goals_for_peer(kim.id).unwrap()),
        vec![loose.id.raw()]
    );
}

/// The store is shared between threads. A delete racing with creates that
/// refer to the same peer must never leave a check-in whose peer is gone,
/// and the counts must match the records.
#[test]
fn concurrent_writers_never_orphan_a_checkin() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let store = std::sync::Arc::new(store);
    for round in 0..4 {
        let target = peer(&*store, &format!("Target {round}"));
        // All four threads start together so the delete lands among the
        // creates: sometimes before the first, usually after some.
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let writers: Vec<_> = (0..3)
            .map(|w| {
                let store = store.clone();
                let start = start.clone();
                std::thread::spawn(move || {
                    start.wait();
                    let mut made = 0u32;
                    for i in 0..15 {
                        let when = format!("2026-11-{:02}T10:{w}{}:00Z", 1 + i, i % 10);
                        match store.create_checkin(checkin(target.id, s.id, &when), &actor()) {
                            Ok(_) => made += 1,
                            Err(StoreError::BadReference { .. }) => break,
                            Err(e) => panic!("unexpected: {e}"),
                        }
                    }
                    made
                })
            })
            .collect();
        let deleter = {
            let store = store.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                std::thread::sleep(std::time::Duration::from_micros(300 * round));
                // Refused once any check-in exists; it never gets free again.
                match store.delete_peer(target.id, &actor()) {
                    Ok(()) => true,
                    Err(StoreError::InUseBy(_)) => false,
                    Err(e) => panic!("unexpected: {e}"),
                }
            })
        };
        let made: u32 = writers.into_iter().map(|h| h.join().unwrap()).sum();
        let deleted = deleter.join().unwrap();
        let theirs = store.recent_checkins(target.id, usize::MAX).unwrap();
        assert_eq!(theirs.len() as u32, made, "round {round}");
        if deleted {
            assert_eq!(made, 0, "round {round}: check-ins of a deleted peer");
            assert!(store.peer(target.id).is_err());
        } else {
            assert!(store.peer(target.id).is_ok());
        }
    }
    let all = store.checkins_page(None, usize::MAX).unwrap();
    assert_eq!(store.counts().unwrap().checkins, all.len() as u64);
    for c in &all {
        assert!(
            store.peer(c.peer).is_ok(),
            "{} points at a missing peer",
            c.id
        );
    }
}

#[test]
fn a_batch_of_checkins_is_one_audit_entry_naming_its_ids_and_peers() {
    use caseload::store::{AuditEvent, AuditFilter, ChangeKind};
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p1 = peer(&store, "Jo");
    let p2 = peer(&store, "Kim");
    let before = store.audit(&AuditFilter::default()).unwrap().len();
    let many = store
        .create_checkins(
            vec![
                checkin(p2.id, s.id, "2026-11-20T10:00:00Z"),
                checkin(p1.id, s.id, "2026-11-21T10:00:00Z"),
                checkin(p2.id, s.id, "2026-11-22T10:00:00Z"),
            ],
            &actor(),
        )
        .unwrap();
    assert_eq!(ids(&many), vec![1, 2, 3]);
    let trail = store.audit(&AuditFilter::default()).unwrap();
    assert_eq!(trail.len(), before + 1, "{trail:#?}");
    let entry = &trail[0];
    assert_eq!(
        entry.event,
        AuditEvent::CreatedBatch {
            kind: ChangeKind::CheckIn,
            first: "C1".into(),
            last: "C3".into(),
            count: 3,
        }
    );
    assert_eq!(entry.peers, vec![p1.id, p2.id]);
    assert_eq!(entry.actor, actor());
    assert!(
        entry.event.to_string().contains("C1 to C3"),
        "{}",
        entry.event
    );
    // Asking about either peer finds it.
    for p in [p1.id, p2.id] {
        let about = store
            .audit(&AuditFilter {
                peer: Some(p),
                ..AuditFilter::default()
            })
            .unwrap();
        assert!(about.iter().any(|e| e.event == entry.event), "{about:#?}");
    }
    // A batch of one is an ordinary creation.
    let one = store
        .create_checkins(vec![checkin(p1.id, s.id, "2026-11-23T10:00:00Z")], &actor())
        .unwrap();
    let newest = &store.audit(&AuditFilter::default()).unwrap()[0];
    assert_eq!(
        newest.event,
        AuditEvent::Created {
            kind: ChangeKind::CheckIn,
            id: one[0].id.to_string(),
            revision: 1,
        }
    );
}
