//! Resources and referrals in the store: round trip, the open index that
//! Today reads, conflicts, references, merges, the permission rows and
//! the read audit, the card's contents, and the schema 4 → 5 migration of
//! the settings.

mod support;

use caseload::model::{
    Actor, Referral, ReferralStatus, Resource, ResourceCategory, ResourceId, Role, Staff,
};
use caseload::ops::access::Authorized;
use caseload::ops::auth::set_pin;
use caseload::ops::referral::{self, NewReferral};
use caseload::store::{AuditEvent, AuditFilter, Store, StoreError};
use support::*;

fn pantry() -> Resource {
    let mut r = Resource::new("Eastside Pantry", ResourceCategory::Food);
    r.phone = "555-0100".into();
    r.notes = "STAFF NOTE".into();
    r
}

#[test]
fn resources_and_referrals_round_trip_and_the_open_index_follows_the_status() {
    let (_dir, store) = fresh();
    let p = peer(&store, "Ana Ruiz");
    let res = store.create_resource(pantry(), &actor()).unwrap();
    assert_eq!(res.id.to_string(), "RS1");
    assert_eq!(store.resource(res.id).unwrap(), res);
    assert_eq!(store.list_resources().unwrap(), vec![res.clone()]);

    let made = store
        .create_referral(
            Referral::new(p.id, res.id, d("2026-11-01"), None, "needs food"),
            &actor(),
        )
        .unwrap();
    assert_eq!(made.id.to_string(), "RF1");
    assert_eq!(store.referral(made.id).unwrap(), made);
    assert_eq!(store.referrals_for_peer(p.id).unwrap(), vec![made.clone()]);
    assert_eq!(store.open_referrals().unwrap(), vec![made.clone()]);
    assert_eq!(store.counts().unwrap().referrals, 1);
    assert_eq!(store.counts().unwrap().resources, 1);

    let mut r = made.clone();
    r.set_status(ReferralStatus::Connected, d("2026-11-04"), "went", None)
        .unwrap();
    let saved = store.update_referral(&r, &actor()).unwrap();
    assert_eq!(saved.meta.revision, 2);
    assert!(store.open_referrals().unwrap().is_empty(), "no longer open");
    // A stale edit is a conflict and changes nothing.
    let err = store.update_referral(&made, &actor()).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(store.referral(made.id).unwrap(), saved);
    // Back to "no response": open again, under its latest day.
    let mut r = saved.clone();
    r.set_status(ReferralStatus::NoResponse, d("2026-11-20"), "", None)
        .unwrap();
    store.update_referral(&r, &actor()).unwrap();
    let open = store.open_referrals().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].last_update(), d("2026-11-20"));
}

#[test]
fn a_referral_must_point_at_records_that_exist_and_be_whole() {
    let (_dir, store) = fresh();
    let p = peer(&store, "Ana Ruiz");
    let err = store
        .create_referral(
            Referral::new(p.id, ResourceId::new(9), d("2026-11-01"), None, ""),
            &actor(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("resource"), "{err}");
    let res = store.create_resource(pantry(), &actor()).unwrap();
    let mut bad = Referral::new(p.id, res.id, d("2026-11-01"), None, "");
    bad.history.clear();
    let err = store.create_referral(bad, &actor()).unwrap_err();
    assert!(err.to_string().contains("history"), "{err}");
    let mut bad = pantry();
    bad.name = " ".into();
    let err = store.create_resource(bad, &actor()).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
    assert_eq!(store.counts().unwrap().referrals, 0, "nothing saved");
    assert_eq!(store.counts().unwrap().resources, 1);
}

#[test]
fn a_peer_with_referrals_is_not_deleted_and_a_merge_moves_them() {
    let (_dir, store) = fresh();
    let a = peer(&store, "Ana Ruiz");
    let b = peer(&store, "Ana R.");
    let res = store.create_resource(pantry(), &actor()).unwrap();
    let r = store
        .create_referral(
            Referral::new(b.id, res.id, d("2026-11-01"), None, ""),
            &actor(),
        )
        .unwrap();
    let err = store.delete_peer(b.id, &actor()).unwrap_err();
    assert!(err.to_string().contains("referrals"), "{err}");
    store.merge_peers(b.id, a.id, &actor()).unwrap();
    assert_eq!(store.referral(r.id).unwrap().peer, a.id);
    assert_eq!(store.referrals_for_peer(a.id).unwrap().len(), 1);
    assert!(store.referrals_for_peer(b.id).unwrap().is_empty());
}

#[test]
fn only_supervisors_and_admins_change_the_directory_and_referral_reads_are_audited() {
    let (_dir, store) = fresh();
    let setup = Actor::login("setup");
    let pat = store
        .create_staff(Staff::new("Pat Peer", Role::PeerSpecialist), &setup)
        .unwrap();
    let sue = store
        .create_staff(Staff::new("Sue Pervisor", Role::Supervisor), &setup)
        .unwrap();
    let ada = store
        .create_staff(Staff::new("Ada Admin", Role::Admin), &setup)
        .unwrap();
    for s in [&pat, &sue, &ada] {
        set_pin(&store, &setup, s.id, "4821").unwrap();
    }
    let p = peer(&store, "Ana Ruiz");

    let as_pat = Authorized::local(&store, "pat");
    as_pat.enter_session(pat.id);
    let me = Actor::staff(pat.id, "pat");
    let err = as_pat.create_resource(pantry(), &me).unwrap_err();
    assert!(
        err.to_string().contains("changing the resource directory"),
        "{err}"
    );
    assert!(store.list_resources().unwrap().is_empty(), "nothing saved");

    let as_sue = Authorized::local(&store, "sue");
    as_sue.enter_session(sue.id);
    let res = as_sue
        .create_resource(pantry(), &Actor::staff(sue.id, "sue"))
        .unwrap();
    let mut edit = res.clone();
    edit.hours = "24/7".into();
    as_sue
        .update_resource(&edit, &Actor::staff(sue.id, "sue"))
        .unwrap();
    let as_ada = Authorized::local(&store, "ada");
    as_ada.enter_session(ada.id);
    let edit = store.resource(res.id).unwrap();
    as_ada
        .update_resource(&edit, &Actor::staff(ada.id, "ada"))
        .unwrap();

    // A peer specialist reads the directory and refers.
    assert_eq!(as_pat.list_resources().unwrap().len(), 1);
    let r = referral::refer(
        &as_pat,
        NewReferral {
            peer: p.id,
            resource: res.id,
            date: d("2026-11-01"),
            by: Some(pat.id),
            note: String::new(),
            checkin: None,
        },
        &me,
    )
    .unwrap();
    assert_eq!(r.meta.created_by.staff, Some(pat.id));
    referral::set_status(
        &as_pat,
        r.id,
        ReferralStatus::Declined,
        d("2026-11-02"),
        "not now",
        Some(pat.id),
        &me,
    )
    .unwrap();
    // Reading a peer's referrals is on the trail as opening the peer.
    as_pat.referrals_for_peer(p.id).unwrap();
    let log = store.audit(&AuditFilter::default()).unwrap();
    assert!(log
        .iter()
        .any(|e| e.actor.staff == Some(pat.id) && e.event == AuditEvent::Viewed { peer: p.id }));
    assert!(log.iter().any(|e| e.actor.staff == Some(pat.id)
        && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "create_resource")));
}

#[test]
fn the_card_lists_goals_what_helps_groups_and_crisis_lines_only() {
    let (_dir, store) = fresh();
    let mut p = peer(&store, "Ana Ruiz");
    p.wellness_plan.what_helps = vec!["Walking by the river".into()];
    p.notes = "STAFF NOTE about Ana".into();
    let p = store.update_peer(&p, &actor()).unwrap();
    let mut g = goal(&store, p.id, "Get my own place");
    g.steps.push(caseload::model::Step {
        text: "Call the housing office".into(),
        done_on: None,
    });
    g.steps.push(caseload::model::Step {
        text: "Already done step".into(),
        done_on: Some(d("2026-10-01")),
    });
    store.update_goal(&g, &actor()).unwrap();
    let gr = group(&store, "Tuesday WRAP");
    store
        .create_session(session(gr.id, "2026-11-24", &[p.id]), &actor())
        .unwrap();
    group(&store, "A group Ana never came to");
    store.create_resource(pantry(), &actor()).unwrap();
    let mut line = Resource::new("Crisis Line", ResourceCategory::Crisis);
    line.phone = "988".into();
    line.notes = "STAFF NOTE line".into();
    store.create_resource(line, &actor()).unwrap();
    let mut closed = Resource::new("Old hotline", ResourceCategory::Crisis);
    closed.active = false;
    store.create_resource(closed, &actor()).unwrap();

    let card = referral::card(&store, p.id, d("2026-12-01")).unwrap();
    for want in [
        "Ana Ruiz",
        "Get my own place",
        "Call the housing office",
        "Walking by the river",
        "Tuesday WRAP",
        "Crisis Line — 988",
    ] {
        assert!(card.contains(want), "{want:?} missing:\n{card}");
    }
    for never in [
        "STAFF NOTE",
        "Already done step",
        "never came",
        "Old hotline",
        "Eastside",
    ] {
        assert!(!card.contains(never), "{never:?} on the card:\n{card}");
    }
    assert!(card.lines().all(|l| l.chars().count() <= 80), "{card}");
}
