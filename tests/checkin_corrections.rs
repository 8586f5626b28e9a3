//! Correcting and voiding a check-in: the earlier version stays in the
//! history, reports count the current version, voided ones count nowhere,
//! and a peer specialist corrects only their own check-ins.

mod support;

use caseload::model::{Actor, CheckInMode, Role, Staff};
use caseload::ops::access::Authorized;
use caseload::ops::auth::set_pin;
use caseload::ops::checkin::{self, Correction, NeedsConfirmation};
use caseload::ops::report::service_report;
use caseload::store::{AuditFilter, Store};
use chrono::{Duration, Utc};
use support::*;

fn recent(days: i64) -> chrono::DateTime<chrono::FixedOffset> {
    caseload::ops::local_now() - Duration::days(days)
}

#[test]
fn a_correction_keeps_the_earlier_version_and_the_report_counts_the_new_one() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Ana Ruiz");
    let mut c = checkin(p.id, s.id, "2026-01-01T10:00:00Z");
    c.at = recent(2);
    c.minutes = 30;
    c.note = "first words".into();
    let saved = save_checkin(&store, c);
    let day = saved.day();
    let before = service_report(&store, day, day).unwrap();
    assert_eq!(before.minutes, 30);

    let fix = Correction {
        minutes: Some(60),
        note: Some("what was really said".into()),
        mode: Some(CheckInMode::Phone),
        ..Correction::default()
    };
    let fixed = checkin::edit(&store, &actor(), saved.id, &fix).unwrap();
    assert_eq!(fixed.minutes, 60);
    assert_eq!(fixed.meta.revision, 2);

    let versions = checkin::history(&store, saved.id).unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[0].minutes, 30);
    assert_eq!(versions[0].note, "first words");
    assert_eq!(versions[0].meta.revision, 1);
    assert_eq!(versions[1].note, "what was really said");

    let after = service_report(&store, day, day).unwrap();
    assert_eq!(after.minutes, 60, "the report uses the current version");
    assert_eq!(after.checkins, 1);

    // The change is on the trail too.
    let trail = store.audit(&AuditFilter::default()).unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.event.to_string().contains(&saved.id.to_string())),
        "{trail:?}"
    );
}

#[test]
fn a_void_keeps_the_record_and_its_history_but_counts_nowhere() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Ana Ruiz");
    let mut c = checkin(p.id, s.id, "2026-01-01T10:00:00Z");
    c.at = recent(1);
    let saved = save_checkin(&store, c);
    let day = saved.day();
    assert_eq!(service_report(&store, day, day).unwrap().checkins, 1);

    let err = checkin::void(&store, &actor(), saved.id, "  ").unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    assert!(
        store.checkin(saved.id).unwrap().voided.is_none(),
        "nothing written"
    );

    let voided = checkin::void(&store, &actor(), saved.id, "wrong peer").unwrap();
    assert_eq!(
        voided.voided.as_ref().map(|v| v.reason.as_str()),
        Some("wrong peer")
    );
    assert_eq!(service_report(&store, day, day).unwrap().checkins, 0);
    let versions = checkin::history(&store, saved.id).unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0].voided.is_none());
    assert!(versions[1].voided.is_some());

    // A voided check-in is not corrected.
    let err = checkin::edit(
        &store,
        &actor(),
        saved.id,
        &Correction {
            minutes: Some(5),
            ..Correction::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("voided"), "{err}");
}

#[test]
fn a_bad_correction_names_the_field_and_writes_nothing() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Ana Ruiz");
    let mut c = checkin(p.id, s.id, "2026-01-01T10:00:00Z");
    c.at = recent(1);
    let saved = save_checkin(&store, c);
    let err = checkin::edit(
        &store,
        &actor(),
        saved.id,
        &Correction {
            minutes: Some(2000),
            ..Correction::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("minutes"), "{err}");
    let err = checkin::edit(&store, &actor(), saved.id, &Correction::default()).unwrap_err();
    assert!(err.to_string().contains("nothing to change"), "{err}");
    assert_eq!(store.checkin(saved.id).unwrap().meta.revision, 1);
    assert!(store.checkin_history(saved.id).unwrap().is_empty());
}

#[test]
fn a_peer_specialist_corrects_only_their_own_check_ins() {
    let (_dir, store) = fresh();
    let setup = Actor::login("setup");
    let admin = store
        .create_staff(Staff::new("Ada Admin", Role::Admin), &setup)
        .unwrap();
    let mine = store
        .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &setup)
        .unwrap();
    let other = store
        .create_staff(Staff::new("Sam Other", Role::PeerSpecialist), &setup)
        .unwrap();
    let sup = store
        .create_staff(Staff::new("Sue Pervisor", Role::Supervisor), &setup)
        .unwrap();
    for s in [&admin, &mine, &other, &sup] {
        set_pin(&store, &setup, s.id, "4821").unwrap();
    }
    let p = peer(&store, "Ana Ruiz");
    let mut c = checkin(p.id, other.id, "2026-01-01T10:00:00Z");
    c.at = recent(1);
    let theirs = save_checkin(&store, c.clone());
    c.staff = mine.id;
    let own = save_checkin(&store, c);

    let fix = Correction {
        minutes: Some(45),
        ..Correction::default()
    };
    let authed = Authorized::local(&store, "jordan");
    authed.enter_session(mine.id);
    let me = Actor::staff(mine.id, "jordan");
    checkin::edit(&authed, &me, own.id, &fix).unwrap();
    let err = checkin::edit(&authed, &me, theirs.id, &fix).unwrap_err();
    assert!(err.to_string().contains("another staff member"), "{err}");
    let err = checkin::void(&authed, &me, theirs.id, "mine by mistake").unwrap_err();
    assert!(err.to_string().contains("another staff member"), "{err}");
    let stored = store.checkin(theirs.id).unwrap();
    assert_eq!(stored.minutes, 15, "nothing written");
    assert!(stored.voided.is_none());

    let as_sup = Authorized::local(&store, "sue");
    as_sup.enter_session(sup.id);
    checkin::edit(&as_sup, &Actor::staff(sup.id, "sue"), theirs.id, &fix).unwrap();
    assert_eq!(store.checkin(theirs.id).unwrap().minutes, 45);
}

#[test]
fn a_future_time_or_a_discharged_peer_needs_confirmation() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let mut p = peer(&store, "Ana Ruiz");
    let now = caseload::ops::local_now();
    let mut c = checkin(p.id, s.id, "2026-01-01T10:00:00Z");
    c.at = now - Duration::hours(1);
    assert!(checkin::needs_confirmation(&store, &c, now)
        .unwrap()
        .is_empty());
    c.at = now + Duration::hours(2);
    let found = checkin::needs_confirmation(&store, &c, now).unwrap();
    assert!(matches!(
        found.as_slice(),
        [NeedsConfirmation::InTheFuture { .. }]
    ));
    let err = checkin::confirm(&found, false, "add --force").unwrap_err();
    assert!(err.to_string().contains("in the future"), "{err}");
    assert!(checkin::confirm(&found, true, "add --force").is_ok());

    p.status = caseload::model::PeerStatus::Discharged;
    p.status_since = Utc::now().date_naive();
    store.update_peer(&p, &actor()).unwrap();
    c.at = now - Duration::hours(1);
    let found = checkin::needs_confirmation(&store, &c, now).unwrap();
    assert!(matches!(
        found.as_slice(),
        [NeedsConfirmation::PeerNotActive { .. }]
    ));
    let err = checkin::confirm(&found, false, "add --force").unwrap_err();
    assert!(err.to_string().contains("discharged"), "{err}");
}
