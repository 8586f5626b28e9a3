//! Merging two records of one person: every record moves, the merged id
//! answers as an alias, the trail records it, and only supervisors and
//! admins may.

mod support;

use caseload::model::{Actor, GoalStatus, Role, Staff};
use caseload::ops::access::Authorized;
use caseload::ops::auth::set_pin;
use caseload::ops::peer::merge;
use caseload::store::{AuditEvent, AuditFilter, Store};
use support::*;

#[test]
fn merge_moves_every_record_and_the_old_id_answers_as_an_alias() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let keep = peer(&store, "Aroha Wright");
    let gone = peer(&store, "Aroha Wright (walk-in)");
    let g = goal(&store, gone.id, "Find a place to live");
    let mut c = checkin(gone.id, s.id, "2026-11-02T10:00:00-05:00");
    c.goals = vec![g.id];
    let c = save_checkin(&store, c);
    let c2 = save_checkin(&store, checkin(keep.id, s.id, "2026-11-03T10:00:00-05:00"));
    let grp = group(&store, "Tuesday circle");
    let both = store
        .create_session(session(grp.id, "2026-11-04", &[gone.id, keep.id]), &actor())
        .unwrap();
    let only = store
        .create_session(session(grp.id, "2026-11-11", &[gone.id]), &actor())
        .unwrap();
    let peers_before = store.counts().unwrap().peers;

    let merged = merge(&store, &actor(), gone.id, keep.id).unwrap();
    assert_eq!(merged.id, keep.id);

    // The alias answers.
    assert_eq!(store.peer(gone.id).unwrap().id, keep.id);
    assert_eq!(store.counts().unwrap().peers, peers_before - 1);
    assert_eq!(store.list_peers().unwrap().len(), 1);
    // Check-ins, goals and attendance moved.
    assert_eq!(store.checkin(c.id).unwrap().peer, keep.id);
    let recent = ids(&store.recent_checkins(keep.id, 10).unwrap());
    assert!(
        recent.contains(&c.id.raw()) && recent.contains(&c2.id.raw()),
        "{recent:?}"
    );
    assert!(store.recent_checkins(gone.id, 10).unwrap().is_empty());
    let goals = store.goals_for_peer(keep.id).unwrap();
    assert_eq!(ids(&goals), vec![g.id.raw()]);
    assert_eq!(goals[0].status, GoalStatus::Active);
    assert_eq!(
        ids(&store.checkins_for_goal(g.id).unwrap()),
        vec![c.id.raw()]
    );
    assert_eq!(
        store.session(both.id).unwrap().attendees,
        vec![keep.id],
        "once"
    );
    assert_eq!(store.session(only.id).unwrap().attendees, vec![keep.id]);
    let attended = ids(&store.sessions_for_peer(keep.id).unwrap());
    assert_eq!(attended.len(), 2, "{attended:?}");
    assert!(store.sessions_for_peer(gone.id).unwrap().is_empty());

    // The trail records the removal of the merged record and each move.
    let trail = store.audit(&AuditFilter::default()).unwrap();
    assert!(trail.iter().any(|e| matches!(&e.event,
        AuditEvent::Deleted { id, .. } if *id == gone.id.to_string())
        && e.peers.contains(&keep.id)));
    assert!(trail.iter().any(|e| matches!(&e.event,
        AuditEvent::Updated { id, .. } if *id == c.id.to_string())));
    // And the merge itself, as its own kind of event naming both ids.
    let merges: Vec<_> = trail
        .iter()
        .filter(|e| matches!(e.event, AuditEvent::Merged { .. }))
        .collect();
    assert_eq!(merges.len(), 1, "{merges:?}");
    assert_eq!(
        merges[0].event,
        AuditEvent::Merged {
            from: gone.id,
            into: keep.id
        }
    );
    assert!(merges[0].peers.contains(&gone.id) && merges[0].peers.contains(&keep.id));
    assert_eq!(
        merges[0].event.to_string(),
        format!("merged peer {} into {}", gone.id, keep.id)
    );

    // Merging into itself, or the alias into its own target, is refused.
    let err = merge(&store, &actor(), gone.id, keep.id).unwrap_err();
    assert!(err.to_string().contains("already the same peer"), "{err}");
}

#[test]
fn only_supervisors_and_admins_merge() {
    let (_dir, store) = fresh();
    let setup = Actor::login("setup");
    let spec = store
        .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &setup)
        .unwrap();
    let sup = store
        .create_staff(Staff::new("Sue Pervisor", Role::Supervisor), &setup)
        .unwrap();
    let admin = store
        .create_staff(Staff::new("Ada Admin", Role::Admin), &setup)
        .unwrap();
    for s in [&spec, &sup, &admin] {
        set_pin(&store, &setup, s.id, "4821").unwrap();
    }
    let a = peer(&store, "Kim Lee");
    let b = peer(&store, "Kim  Lee");
    let as_spec = Authorized::local(&store, "jordan");
    as_spec.enter_session(spec.id);
    let err = merge(&as_spec, &Actor::staff(spec.id, "jordan"), b.id, a.id).unwrap_err();
    assert!(
        err.to_string().contains("merging two peer records"),
        "{err}"
    );
    assert_eq!(store.list_peers().unwrap().len(), 2, "nothing written");
    let as_sup = Authorized::local(&store, "sue");
    as_sup.enter_session(sup.id);
    merge(&as_sup, &Actor::staff(sup.id, "sue"), b.id, a.id).unwrap();
    assert_eq!(store.list_peers().unwrap().len(), 1);
}
