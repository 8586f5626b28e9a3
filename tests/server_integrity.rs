//! Write integrity, enforced where the data is served: what a write may
//! say about who did what, and what it may change of a record's own
//! history, spoken as raw frames over the server's socket (no
//! `RemoteStore`, so no client-side check helps) as each role.
//!
//! - A referral's making (peer, resource, date, who made it, the
//!   check-in) never changes and its status changes so far are kept as
//!   they were: a save only adds one change. Every role.
//! - A referral, and each change of its status, names the session's staff
//!   member unless the role may credit others (supervisors and admins),
//!   and such a credit is on the audit trail. It is made at its own
//!   peer's check-in, never another peer's.
//! - A goal's status changes and reviews so far are kept as they were (the
//!   latest status change may be taken back: undo), a save adds at most
//!   one of each and they name the session's staff member unless the role
//!   may credit others; taking back a colleague's change needs the role
//!   that corrects others' work.
//!
//! - A consent's revocation is dated on or after its signature and its
//!   note is bounded, whoever sends it (held already by the model; kept
//!   here as the attack that was tried).
//!
//! - A peer's episodes (each time with the organization) are kept: an
//!   ended one as it was, the open one from its start (a discharge ends
//!   it), at most one added per save (a re-admission). Every role.
//! - A new check-in or group session is not voided: who voided a record,
//!   and when, is the store's to write (`void_checkin`, `void_session`),
//!   never a field a client fills in.
//!
//! Each refusal names the field, writes nothing and is on the trail.
//!
//! The `#[ignore]`d tests at the end are holes found and left open (each
//! says why): `cargo test --test server_integrity -- --ignored` shows
//! them failing.

mod server_support;

use std::path::Path;

use caseload::model::goal::{Review, StatusChange};
use caseload::model::peer::Episode;
use caseload::model::{
    Actor, CheckInId, Consent, Expiry, Goal, GoalId, GoalStatus, Group, GroupSession, LifeDomain,
    PeerId, RecipientKind, Record, Referral, ReferralId, ReferralStatus, ReferralUpdate, Resource,
    ResourceCategory, ResourceId, Revocation, ShareKind, StaffId, Void,
};
use caseload::server::protocol::{Answer, Request, Response, WireError};
use caseload::store::{AuditEntry, AuditEvent, SledStore, Store, StoreError};
use chrono::NaiveDate;

use server_support::*;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// What the tests point at: a resource, a referral of P1 the specialist
/// made (R1), one the supervisor made and followed up (R2), a second
/// resource and a check-in of P1.
struct Fixtures {
    resource: ResourceId,
    other_resource: ResourceId,
    mine: ReferralId,
    theirs: ReferralId,
    checkin: CheckInId,
}

fn add_fixtures(dir: &Path) -> Fixtures {
    let store = SledStore::open(dir).expect("open");
    let setup = Actor::login("setup");
    let resource = store
        .create_resource(
            Resource::new("Eastside Pantry", ResourceCategory::Food),
            &setup,
        )
        .expect("resource")
        .id;
    let other_resource = store
        .create_resource(
            Resource::new("Harbor Housing", ResourceCategory::Housing),
            &setup,
        )
        .expect("resource")
        .id;
    let p1 = PeerId::new(1);
    let mine = store
        .create_referral(
            Referral::new(
                p1,
                resource,
                d("2026-02-03"),
                Some(SPECIALIST),
                "needs food",
            ),
            &setup,
        )
        .expect("referral")
        .id;
    let mut r = Referral::new(p1, resource, d("2026-02-01"), Some(SUPERVISOR), "");
    r.set_status(
        ReferralStatus::Declined,
        d("2026-02-02"),
        "not ready yet",
        Some(SUPERVISOR),
    )
    .expect("status");
    let theirs = store.create_referral(r, &setup).expect("referral").id;
    let checkin = store
        .create_checkin(checkin(1, SPECIALIST, "talked about food"), &setup)
        .expect("check-in")
        .id;
    Fixtures {
        resource,
        other_resource,
        mine,
        theirs,
        checkin,
    }
}

fn referral(conn: &Raw, id: ReferralId) -> Record<Referral> {
    match conn.ask(&Request::Referral { id }) {
        Response::Answer(Answer::Referral(r)) => r,
        other => panic!("referral {id}: {other:?}"),
    }
}

fn referral_count(conn: &Raw) -> usize {
    match conn.ask(&Request::ReferralsForPeer {
        peer: PeerId::new(1),
    }) {
        Response::Answer(Answer::ReferralsForPeer(list)) => list.len(),
        other => panic!("referrals: {other:?}"),
    }
}

/// The newest entry's sequence number, to find what came after.
fn last_seq(auditor: &Raw) -> u64 {
    auditor.audit().first().map_or(0, |e| e.seq)
}

fn since(auditor: &Raw, seq: u64) -> Vec<AuditEntry> {
    auditor
        .audit()
        .into_iter()
        .filter(|e| e.seq > seq)
        .collect()
}

/// Asserts `answer` is a refusal naming `field` (a validation problem of
/// that field, or a denial whose reason starts with it).
fn assert_refused_naming(answer: &Response, field: &str, case: &str) {
    match answer {
        Response::Error(WireError::Invalid(problems)) => assert!(
            problems.iter().any(|(f, _)| f == field),
            "{case}: expected a problem with {field}, got {problems:?}"
        ),
        Response::Error(WireError::Denied { reason, .. }) => assert!(
            reason.starts_with(&format!("{field}: ")),
            "{case}: expected a refusal naming {field}, got {reason}"
        ),
        other => panic!("{case}: expected a refusal naming {field}, got {other:?}"),
    }
}

/// Asserts a refusal of `operation` by `staff` about P1 is on the trail
/// after `seq`.
fn assert_refusal_on_trail(auditor: &Raw, seq: u64, staff: StaffId, operation: &str, case: &str) {
    assert!(
        since(auditor, seq)
            .iter()
            .any(|e| e.actor.staff == Some(staff)
                && matches!(&e.event, AuditEvent::Refused { operation: op, peer: Some(p), .. }
                if op == operation && *p == PeerId::new(1))),
        "{case}: the refusal is on the trail"
    );
}

type Tamper = (&'static str, &'static str, fn(&mut Referral, &Fixtures));

/// Rewrites of a saved referral, each with the field its refusal names.
fn tamperings() -> Vec<Tamper> {
    vec![
        ("move it to another peer", "peer", |r, _| {
            r.peer = PeerId::new(2)
        }),
        ("point it at another resource", "resource", |r, fx| {
            r.resource = fx.other_resource
        }),
        ("back-date its making", "date", |r, _| {
            r.date = d("2026-01-15");
            r.history[0].date = d("2026-01-15");
        }),
        ("say someone else made it", "by", |r, _| r.by = Some(ADMIN)),
        ("tie it to a check-in", "checkin", |r, fx| {
            r.checkin = Some(fx.checkin)
        }),
        ("rewrite an earlier note", "history", |r, _| {
            r.history[0].note = "never needed anything".into()
        }),
        (
            "say someone else recorded an earlier change",
            "history",
            |r, _| {
                let last = r.history.len() - 1;
                r.history[last].by = Some(ADMIN)
            },
        ),
        ("drop an earlier change", "history", |r, _| {
            r.history.pop();
        }),
        ("add two changes at once", "history", |r, _| {
            let date = r.last_update();
            for status in [ReferralStatus::Connected, ReferralStatus::Closed] {
                r.history.push(ReferralUpdate {
                    date,
                    status,
                    note: String::new(),
                    by: Some(SPECIALIST),
                });
            }
        }),
    ]
}

#[test]
fn no_role_can_rewrite_a_referrals_making_or_history_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    let mut cases = 0;
    for (role, staff, pin) in roles {
        for id in [fx.mine, fx.theirs] {
            for (what, field, tamper) in tamperings() {
                let case = format!("{role}: {what} ({id})");
                // A session of its own, so its refusal is not coalesced
                // with an earlier one.
                let conn = Raw::open(&dir, Some((staff, pin)));
                let before = referral(&auditor, id);
                let mut edit = before.clone();
                tamper(&mut edit.data, &fx);
                let seq = last_seq(&auditor);
                let answer = conn.ask(&Request::UpdateReferral { referral: edit });
                assert_refused_naming(&answer, field, &case);
                let after = referral(&auditor, id);
                assert_eq!(after.data, before.data, "{case}: nothing written");
                assert_eq!(after.meta.revision, before.meta.revision, "{case}");
                assert_refusal_on_trail(&auditor, seq, staff, "update_referral", &case);
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 3 * 2 * tamperings().len());
    // What the screens and the command line do still works: one change of
    // status, by the session's staff member, on a referral anyone made.
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut edit = referral(&pat, fx.theirs);
    edit.data
        .set_status(
            ReferralStatus::Connected,
            d("2026-02-10"),
            "went after all",
            Some(SPECIALIST),
        )
        .expect("status");
    match pat.ask(&Request::UpdateReferral {
        referral: edit.clone(),
    }) {
        Response::Answer(Answer::UpdateReferral(saved)) => {
            assert_eq!(saved.data, edit.data);
            assert_eq!(saved.meta.revision, edit.meta.revision + 1);
        }
        other => panic!("a follow-up is saved: {other:?}"),
    }
    let _ = fx.resource;
}

#[test]
fn a_referral_names_the_session_unless_the_role_may_credit_others() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let p1 = PeerId::new(1);

    // A peer specialist's new referral names them, in `by` and in its
    // history; a colleague or nobody is refused, naming the field.
    let made_by = |by: Option<StaffId>, history_by: Option<StaffId>| {
        let mut r = Referral::new(p1, fx.resource, d("2026-02-05"), by, "");
        r.history[0].by = history_by;
        Request::CreateReferral { referral: r }
    };
    let cases = [
        (
            "a colleague as maker",
            "by",
            Some(SUPERVISOR),
            Some(SUPERVISOR),
        ),
        ("nobody as maker", "by", None, None),
        (
            "a colleague in the history",
            "history: by",
            Some(SPECIALIST),
            Some(SUPERVISOR),
        ),
    ];
    for (what, field, by, history_by) in cases {
        let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
        let count = referral_count(&auditor);
        let seq = last_seq(&auditor);
        let answer = pat.ask(&made_by(by, history_by));
        assert_refused_naming(&answer, field, what);
        let Response::Error(WireError::Denied { reason, .. }) = &answer else {
            unreachable!()
        };
        assert!(
            reason.contains("crediting work (a check-in, a referral) to another staff member")
                && reason.contains("supervisor and admin"),
            "{what}: {reason}"
        );
        assert_eq!(referral_count(&auditor), count, "{what}: nothing written");
        assert_refusal_on_trail(&auditor, seq, SPECIALIST, "create_referral", what);
    }
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::CreateReferral(own)) =
        pat.ask(&made_by(Some(SPECIALIST), Some(SPECIALIST)))
    else {
        panic!("a peer specialist refers in their own name")
    };
    assert!(
        !since(&auditor, seq)
            .iter()
            .any(|e| matches!(e.event, AuditEvent::Credited { .. })),
        "nothing credited"
    );

    // A change of status names them too.
    for (what, by) in [("a colleague", Some(SUPERVISOR)), ("nobody", None)] {
        let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
        let before = referral(&auditor, fx.mine);
        let mut edit = before.clone();
        edit.data
            .set_status(ReferralStatus::Connected, d("2026-02-06"), "went", by)
            .expect("status");
        let seq = last_seq(&auditor);
        let answer = pat.ask(&Request::UpdateReferral { referral: edit });
        assert_refused_naming(&answer, "history: by", what);
        let after = referral(&auditor, fx.mine);
        assert_eq!(
            (after.meta.revision, &after.data),
            (before.meta.revision, &before.data),
            "{what}: nothing written"
        );
        assert_refusal_on_trail(&auditor, seq, SPECIALIST, "update_referral", what);
    }

    // A supervisor may credit a colleague, making or following up; each
    // credit is on the trail, as for check-ins.
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::CreateReferral(credited)) =
        sam.ask(&made_by(Some(SPECIALIST), Some(SPECIALIST)))
    else {
        panic!("a supervisor credits a referral to a colleague")
    };
    assert_eq!(credited.by, Some(SPECIALIST));
    assert_eq!(
        credited.meta.created_by.staff,
        Some(SUPERVISOR),
        "the session acts"
    );
    let credit_of = |rec: &Record<Referral>| AuditEvent::Credited {
        checkin: rec.id.to_string(),
        peer: p1,
        staff: SPECIALIST,
    };
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SUPERVISOR) && e.event == credit_of(&credited)));
    let mut edit = own.clone();
    edit.data
        .set_status(
            ReferralStatus::NoResponse,
            d("2026-02-07"),
            "",
            Some(SPECIALIST),
        )
        .expect("status");
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::UpdateReferral(followed)) =
        sam.ask(&Request::UpdateReferral { referral: edit })
    else {
        panic!("a supervisor records a colleague's follow-up")
    };
    assert_eq!(followed.history.len(), 2);
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SUPERVISOR) && e.event == credit_of(&followed)));
    // In their own name, nothing is credited.
    let mut edit = followed.clone();
    edit.data
        .set_status(
            ReferralStatus::Closed,
            d("2026-02-08"),
            "",
            Some(SUPERVISOR),
        )
        .expect("status");
    let seq = last_seq(&auditor);
    assert!(matches!(
        sam.ask(&Request::UpdateReferral { referral: edit }),
        Response::Answer(Answer::UpdateReferral(_))
    ));
    assert!(!since(&auditor, seq)
        .iter()
        .any(|e| matches!(e.event, AuditEvent::Credited { .. })));
}

#[test]
fn the_store_itself_keeps_a_referrals_making_and_history_on_every_path() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    // No server and no authorizing layer: the store's own update.
    let store = SledStore::open(&dir).expect("open");
    let actor = Actor::login("setup");
    for (what, field, tamper) in tamperings() {
        let before = store.referral(fx.theirs).expect("referral");
        let mut edit = before.clone();
        tamper(&mut edit.data, &fx);
        match store.update_referral(&edit, &actor) {
            Err(StoreError::Invalid(e)) => {
                assert!(e.problems.iter().any(|p| p.field == field), "{what}: {e}")
            }
            other => panic!("{what}: expected a refusal naming {field}, got {other:?}"),
        }
        assert_eq!(
            store.referral(fx.theirs).expect("referral"),
            before,
            "{what}"
        );
    }
}

/// Goal G1 of P1: made on 2026-01-10, paused by the supervisor on
/// 2026-01-20, reviewed by the supervisor on 2026-01-15.
fn add_goal(dir: &Path) -> GoalId {
    let store = SledStore::open(dir).expect("open");
    let mut g = Goal::new(
        PeerId::new(1),
        LifeDomain::Housing,
        "Get my own place",
        d("2026-01-10"),
    );
    g.record_review(d("2026-01-15"), "went well", None, Some(SUPERVISOR));
    g.set_status(GoalStatus::Paused, d("2026-01-20"), Some(SUPERVISOR));
    store
        .create_goal(g, &Actor::login("setup"))
        .expect("goal")
        .id
}

fn goal(conn: &Raw, id: GoalId) -> Record<Goal> {
    match conn.ask(&Request::Goal { id }) {
        Response::Answer(Answer::Goal(g)) => g,
        other => panic!("goal {id}: {other:?}"),
    }
}

type GoalTamper = (&'static str, &'static str, fn(&mut Goal));

/// Rewrites of a saved goal's record, each with the field its refusal
/// names.
fn goal_tamperings() -> Vec<GoalTamper> {
    vec![
        ("back-date its making", "history", |g| {
            g.history[0].on = d("2025-06-01")
        }),
        ("say someone else paused it", "history", |g| {
            g.history[1].by = Some(ADMIN)
        }),
        ("drop its making", "history", |g| {
            g.history.remove(0);
        }),
        ("add two status changes at once", "history", |g| {
            for (from, to) in [
                (GoalStatus::Paused, GoalStatus::Active),
                (GoalStatus::Active, GoalStatus::Achieved),
            ] {
                g.history.push(StatusChange {
                    on: d("2026-01-25"),
                    from: Some(from),
                    to,
                    by: Some(SPECIALIST),
                });
            }
            g.status = GoalStatus::Achieved;
        }),
        ("change its status without a record", "status", |g| {
            g.status = GoalStatus::Achieved
        }),
        ("rewrite a review", "reviews", |g| {
            g.reviews[0].note = "never happened".into()
        }),
        ("drop a review", "reviews", |g| g.reviews.clear()),
        ("add two reviews at once", "reviews", |g| {
            for _ in 0..2 {
                g.reviews.push(Review {
                    on: d("2026-01-25"),
                    note: String::new(),
                    by: Some(SPECIALIST),
                });
            }
        }),
    ]
}

#[test]
fn no_role_can_rewrite_a_goals_status_history_or_reviews_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let id = add_goal(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    for (role, staff, pin) in roles {
        for (what, field, tamper) in goal_tamperings() {
            let case = format!("{role}: {what}");
            let conn = Raw::open(&dir, Some((staff, pin)));
            let before = goal(&auditor, id);
            let mut edit = before.clone();
            tamper(&mut edit.data);
            let seq = last_seq(&auditor);
            let answer = conn.ask(&Request::UpdateGoal { goal: edit });
            assert_refused_naming(&answer, field, &case);
            let after = goal(&auditor, id);
            assert_eq!(
                (after.meta.revision, &after.data),
                (before.meta.revision, &before.data),
                "{case}: nothing written"
            );
            assert_refusal_on_trail(&auditor, seq, staff, "update_goal", &case);
        }
    }
    // The peer's plan itself (title, steps, dates) is theirs to change.
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut edit = goal(&pat, id);
    edit.data.title = "Find a place near the bus line".into();
    edit.data.target_date = Some(d("2026-09-01"));
    assert!(matches!(
        pat.ask(&Request::UpdateGoal { goal: edit }),
        Response::Answer(Answer::UpdateGoal(_))
    ));
    // And the store itself keeps the history on every path.
    drop(_server);
    let store = SledStore::open(&dir).expect("open");
    for (what, field, tamper) in goal_tamperings() {
        let before = store.goal(id).expect("goal");
        let mut edit = before.clone();
        tamper(&mut edit.data);
        match store.update_goal(&edit, &Actor::login("setup")) {
            Err(StoreError::Invalid(e)) => {
                assert!(e.problems.iter().any(|p| p.field == field), "{what}: {e}")
            }
            other => panic!("{what}: expected a refusal naming {field}, got {other:?}"),
        }
        assert_eq!(store.goal(id).expect("goal"), before, "{what}");
    }
}

#[test]
fn goal_changes_name_the_session_and_only_ones_own_latest_change_is_taken_back() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let id = add_goal(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let p1 = PeerId::new(1);
    let refused = |what: &str, field: &str, change: &dyn Fn(&mut Goal), because: &str| {
        let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
        let before = goal(&auditor, id);
        let mut edit = before.clone();
        change(&mut edit.data);
        let seq = last_seq(&auditor);
        let answer = pat.ask(&Request::UpdateGoal { goal: edit });
        assert_refused_naming(&answer, field, what);
        let Response::Error(WireError::Denied { reason, .. }) = &answer else {
            unreachable!()
        };
        assert!(reason.contains(because), "{what}: {reason}");
        let after = goal(&auditor, id);
        assert_eq!(after, before, "{what}: nothing written");
        assert_refusal_on_trail(&auditor, seq, SPECIALIST, "update_goal", what);
    };
    let credit = "crediting work (a check-in, a referral) to another staff member";
    refused(
        "a status change in a colleague's name",
        "history: by",
        &|g| g.set_status(GoalStatus::Active, d("2026-01-25"), Some(SUPERVISOR)),
        credit,
    );
    refused(
        "a status change in nobody's name",
        "history: by",
        &|g| g.set_status(GoalStatus::Active, d("2026-01-25"), None),
        credit,
    );
    refused(
        "a review in a colleague's name",
        "reviews: by",
        &|g| g.record_review(d("2026-01-25"), "", None, Some(SUPERVISOR)),
        credit,
    );
    refused(
        "taking back a colleague's status change",
        "history",
        &|g| {
            g.history.pop();
            g.status = GoalStatus::Active;
        },
        "correcting another staff member's work",
    );
    // A new goal's changes name them or nobody (its making names nobody).
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut g = Goal::new(p1, LifeDomain::Employment, "Find work", d("2026-02-01"));
    g.history[0].by = Some(SUPERVISOR);
    assert_refused_naming(
        &pat.ask(&Request::CreateGoal { goal: g.clone() }),
        "history: by",
        "a new goal made in a colleague's name",
    );
    g.history[0].by = None;
    assert!(matches!(
        pat.ask(&Request::CreateGoal { goal: g }),
        Response::Answer(Answer::CreateGoal(_))
    ));

    // What the screens do, through the client: a status change in one's
    // own name, and its undo.
    let remote = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let me = Actor::staff(SPECIALIST, "pat");
    let before = remote.goal(id).expect("goal");
    let saved =
        caseload::ops::plan::set_goal_status(&remote, &me, id, GoalStatus::Active, d("2026-01-25"))
            .expect("a status change");
    assert_eq!(saved.history.last().and_then(|h| h.by), Some(SPECIALIST));
    let change = caseload::ops::undo::Undoable::goal(before.clone(), &saved, "status change")
        .expect("undoable");
    caseload::ops::undo::undo(&remote, &me, &change).expect("undone");
    let undone = remote.goal(id).expect("goal");
    assert_eq!(undone.data, before.data, "taken back");

    // A supervisor may credit a colleague (on the trail) and take back a
    // colleague's change.
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let mut edit = goal(&sam, id);
    edit.data
        .set_status(GoalStatus::Active, d("2026-01-26"), Some(SPECIALIST));
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::UpdateGoal(credited)) =
        sam.ask(&Request::UpdateGoal { goal: edit })
    else {
        panic!("a supervisor credits a colleague's status change")
    };
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SUPERVISOR)
            && e.event
                == AuditEvent::Credited {
                    checkin: id.to_string(),
                    peer: p1,
                    staff: SPECIALIST
                }));
    let mut back = credited.clone();
    back.data.history.pop();
    back.data.status = GoalStatus::Paused;
    assert!(matches!(
        sam.ask(&Request::UpdateGoal { goal: back }),
        Response::Answer(Answer::UpdateGoal(_))
    ));
}

#[test]
fn a_consent_is_not_revoked_from_before_it_was_signed_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let id = {
        let store = SledStore::open(&dir).expect("open");
        let consent = Consent {
            peer: PeerId::new(1),
            recipient: "Harbor Housing".into(),
            recipient_kind: RecipientKind::Organization,
            purpose: "housing application".into(),
            shares: vec![ShareKind::Attendance],
            shares_text: String::new(),
            signed: d("2026-01-10"),
            expiry: Expiry::On(d("2026-12-31")),
            revoked: None,
        };
        store
            .create_consent(consent, &Actor::login("setup"))
            .expect("consent")
            .id
    };
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let revoke = |date: &str, note: String| Request::RevokeConsent {
        id,
        revocation: Revocation {
            date: d(date),
            note,
        },
    };
    let unrevoked = |case: &str| match pat.ask(&Request::Consent { id }) {
        Response::Answer(Answer::Consent(c)) => {
            assert_eq!(c.revoked, None, "{case}: nothing written")
        }
        other => panic!("consent: {other:?}"),
    };
    // Before the signature: the consent would look as if it never held,
    // and every disclosure made under it as made without one.
    let case = "revoked from before it was signed";
    assert_refused_naming(
        &pat.ask(&revoke("2025-12-01", "in writing".into())),
        "revoked date",
        case,
    );
    unrevoked(case);
    let case = "a revocation note of a megabyte";
    assert_refused_naming(
        &pat.ask(&revoke("2026-02-01", "x".repeat(1 << 20))),
        "revoked note",
        case,
    );
    unrevoked(case);
    match pat.ask(&revoke("2026-02-01", "in writing".into())) {
        Response::Answer(Answer::RevokeConsent(c)) => {
            assert_eq!(c.revoked.as_ref().map(|r| r.date), Some(d("2026-02-01")))
        }
        other => panic!("a revocation is recorded: {other:?}"),
    }
}

/// A void as a client might forge it: by the admin, years ago.
fn forged_void() -> Void {
    Void {
        at: chrono::DateTime::parse_from_rfc3339("2020-01-01T09:00:00Z")
            .expect("time")
            .to_utc(),
        by: Actor::staff(ADMIN, "ana"),
        reason: "recorded twice".into(),
    }
}

#[test]
fn no_role_creates_a_check_in_or_session_already_voided_in_someone_elses_name() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let group = {
        let store = SledStore::open(&dir).expect("open");
        let g = Group::new(
            "Tuesday WRAP",
            chrono::Weekday::Tue,
            chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time"),
        );
        let id = store
            .create_group(g.clone(), &Actor::login("setup"))
            .expect("group")
            .id;
        (id, g)
    };
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let counts = |conn: &Raw| match conn.ask(&Request::Counts {}) {
        Response::Answer(Answer::Counts(c)) => format!("{c:?}"),
        other => panic!("counts: {other:?}"),
    };
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    for (role, staff, pin) in roles {
        let mut c = checkin(1, staff, "left out of every report");
        c.voided = Some(forged_void());
        let mut session = GroupSession::for_group(group.0, &group.1, d("2026-02-03"));
        session.attendees = vec![PeerId::new(1)];
        session.voided = Some(forged_void());
        let requests = [
            (
                "create_checkin",
                Request::CreateCheckIn { checkin: c.clone() },
            ),
            (
                "create_checkins",
                Request::CreateCheckIns {
                    checkins: vec![checkin(1, staff, "fine"), c],
                },
            ),
            ("create_session", Request::CreateSession { session }),
        ];
        for (op, request) in requests {
            let case = format!("{role}: {op}");
            let conn = Raw::open(&dir, Some((staff, pin)));
            let before = counts(&auditor);
            let seq = last_seq(&auditor);
            assert_refused_naming(&conn.ask(&request), "voided", &case);
            assert_eq!(counts(&auditor), before, "{case}: nothing written");
            assert!(
                since(&auditor, seq).iter().any(|e| e.actor.staff == Some(staff)
                    && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == op)),
                "{case}: the refusal is on the trail"
            );
        }
    }
}

#[test]
fn a_referral_is_not_made_at_another_peers_check_in() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    // C1 is P1's: a referral of P2 that points at it would show P1's note
    // from P2's record.
    let mut r = Referral::new(
        PeerId::new(2),
        fx.resource,
        d("2026-02-03"),
        Some(SPECIALIST),
        "",
    );
    r.checkin = Some(fx.checkin);
    let seq = last_seq(&auditor);
    assert_refused_naming(
        &pat.ask(&Request::CreateReferral {
            referral: r.clone(),
        }),
        "checkin",
        "another peer's check-in",
    );
    assert!(
        match auditor.ask(&Request::ReferralsForPeer {
            peer: PeerId::new(2),
        }) {
            Response::Answer(Answer::ReferralsForPeer(list)) => list.is_empty(),
            other => panic!("referrals: {other:?}"),
        },
        "nothing written"
    );
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SPECIALIST)
            && matches!(&e.event, AuditEvent::Refused { operation, peer: Some(p), .. }
            if operation == "create_referral" && *p == PeerId::new(2))));
    // At P1's own check-in it is made.
    r.peer = PeerId::new(1);
    assert!(matches!(
        pat.ask(&Request::CreateReferral { referral: r }),
        Response::Answer(Answer::CreateReferral(_))
    ));
}

type PeerTamper = (&'static str, fn(&mut Vec<Episode>));

/// Rewrites of P1's episodes (ended 2026-03-01, open since 2026-04-01).
fn episode_tamperings() -> Vec<PeerTamper> {
    vec![
        ("shorten an ended episode", |e| {
            e[0].end = Some(d("2026-02-01"))
        }),
        ("rewrite why it ended", |e| {
            e[0].reason = Some("asked to leave".into())
        }),
        ("re-open an ended episode", |e| {
            e[0].end = None;
            e.pop();
        }),
        ("move the open one's start", |e| {
            e[1].start = d("2026-03-02")
        }),
        ("drop an episode", |e| {
            e.remove(0);
        }),
        ("erase every episode", |e| e.clear()),
        ("add two at once", |e| {
            for start in ["2026-05-01", "2026-06-01"] {
                e.push(Episode {
                    start: d(start),
                    end: None,
                    reason: None,
                });
            }
        }),
    ]
}

#[test]
fn no_role_can_rewrite_a_peers_episodes_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let p1 = PeerId::new(1);
    {
        let store = SledStore::open(&dir).expect("open");
        let mut p = store.peer(p1).expect("peer");
        p.data.discharge(d("2026-03-01"), "moved away".into());
        p.data.readmit(d("2026-04-01"));
        store
            .update_peer(&p, &Actor::login("setup"))
            .expect("episodes");
    }
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let peer = |conn: &Raw| match conn.ask(&Request::Peer { id: p1 }) {
        Response::Answer(Answer::Peer(p)) => p,
        other => panic!("peer: {other:?}"),
    };
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    for (role, staff, pin) in roles {
        for (what, tamper) in episode_tamperings() {
            let case = format!("{role}: {what}");
            let conn = Raw::open(&dir, Some((staff, pin)));
            let before = peer(&auditor);
            assert_eq!(before.episodes.len(), 2, "{case}");
            let mut edit = before.clone();
            tamper(&mut edit.data.episodes);
            let seq = last_seq(&auditor);
            let answer = conn.ask(&Request::UpdatePeer { peer: edit });
            assert_refused_naming(&answer, "episodes", &case);
            let after = peer(&auditor);
            assert_eq!(
                (after.meta.revision, &after.data),
                (before.meta.revision, &before.data),
                "{case}: nothing written"
            );
            assert_refusal_on_trail(&auditor, seq, staff, "update_peer", &case);
        }
    }
    // What the screens and command line do still works: an edit, a
    // discharge and a re-admission, through the client.
    let remote = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let me = Actor::staff(SPECIALIST, "pat");
    let mut p = remote.peer(p1).expect("peer");
    p.phone = Some("555-0100".into());
    let p = remote.update_peer(&p, &me).expect("an edit");
    caseload::ops::peer::discharge(&remote, &me, p.id, d("2026-05-01"), "moved again")
        .expect("a discharge");
    let p =
        caseload::ops::peer::readmit(&remote, &me, p.id, d("2026-06-01")).expect("a re-admission");
    assert_eq!(p.episodes.len(), 3);
    assert_eq!(p.episodes[1].end, Some(d("2026-05-01")));
    // And the store itself keeps them on every path.
    drop(_server);
    let store = SledStore::open(&dir).expect("open");
    for (what, tamper) in episode_tamperings() {
        let before = store.peer(p1).expect("peer");
        let mut edit = before.clone();
        tamper(&mut edit.data.episodes);
        match store.update_peer(&edit, &Actor::login("setup")) {
            Err(StoreError::Invalid(e)) => assert!(
                e.problems.iter().any(|p| p.field == "episodes"),
                "{what}: {e}"
            ),
            other => panic!("{what}: expected a refusal naming episodes, got {other:?}"),
        }
        assert_eq!(store.peer(p1).expect("peer"), before, "{what}");
    }
}

/// A supervisor may record a supervision session they held, which makes
/// the staff member named their supervisee: with anyone, an admin or
/// another supervisor included, so one made-up session reaches that
/// person's certifications and continuing education. Left open: who a
/// supervisor may supervise is the organization's rule to decide (the
/// docs call recording it the way a supervisee is added).
#[test]
#[ignore = "open hole: a made-up supervision session makes anyone a supervisor's supervisee"]
fn a_made_up_supervision_session_does_not_reach_an_admins_credentials() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let cert = caseload::model::Certification {
            staff: ADMIN,
            name: "CPRS".into(),
            issuer: "State board".into(),
            number: "A-1".into(),
            issued: d("2025-01-01"),
            expires: None,
            requirement: None,
        };
        store
            .create_certification(cert, &Actor::login("setup"))
            .expect("certification");
    }
    let _server = ServerProcess::start(&dir);
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let read = || sam.ask(&Request::Certifications { staff: Some(ADMIN) });
    assert!(
        matches!(read(), Response::Error(WireError::Denied { .. })),
        "not the supervisor's to read"
    );
    let _ = sam.ask(&Request::CreateSupervision {
        session: caseload::model::Supervision {
            staff: ADMIN,
            supervisor: SUPERVISOR,
            date: d("2026-02-03"),
            minutes: 60,
            mode: caseload::model::SupervisionMode::Individual,
            note: None,
        },
    });
    assert!(
        matches!(read(), Response::Error(WireError::Denied { .. })),
        "still not the supervisor's to read after one made-up session"
    );
}

/// Changing one's own PIN sends its hash: the server checks only that it
/// is a hash, so a client may set a one-character PIN (or weak argon2
/// settings), past the rules `caseload staff pin` applies. Left open: the
/// fix sends the PIN itself for the server to check and hash (a protocol
/// change).
#[test]
#[ignore = "open hole: the PIN rules are the client's; the server takes any hash"]
fn a_staff_member_cannot_set_a_pin_below_the_rules_over_the_wire() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut me = match pat.ask(&Request::Staff { id: SPECIALIST }) {
        Response::Answer(Answer::Staff(s)) => s,
        other => panic!("staff: {other:?}"),
    };
    let salt = SaltString::encode_b64(b"0123456789abcdef").expect("salt");
    let weak = argon2::Argon2::default()
        .hash_password(b"1", &salt)
        .expect("hash")
        .to_string();
    me.pin_hash = Some(weak);
    assert!(
        matches!(
            pat.ask(&Request::UpdateStaff { staff: me }),
            Response::Error(_)
        ),
        "a one-character PIN is refused"
    );
}

/// Check-ins are corrected and voided by whoever recorded them, or by a
/// supervisor or admin; a group session by any staff member, whoever
/// facilitated it. Left open: the permission table says voiding a session
/// is everyday work for every role, so changing it is the lead's call.
#[test]
#[ignore = "open question: any staff member voids a session someone else facilitated"]
fn a_peer_specialist_does_not_void_a_session_a_colleague_facilitated() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let session = {
        let store = SledStore::open(&dir).expect("open");
        let mut g = Group::new(
            "Tuesday WRAP",
            chrono::Weekday::Tue,
            chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time"),
        );
        g.facilitator = Some(SUPERVISOR);
        let setup = Actor::login("setup");
        let id = store.create_group(g.clone(), &setup).expect("group").id;
        let mut s = GroupSession::for_group(id, &g, d("2026-02-03"));
        s.attendees = vec![PeerId::new(1)];
        store.create_session(s, &setup).expect("session").id
    };
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    assert!(
        matches!(
            pat.ask(&Request::VoidSession {
                id: session,
                reason: "not mine".into(),
            }),
            Response::Error(WireError::Denied { .. })
        ),
        "as for a colleague's check-in"
    );
}
