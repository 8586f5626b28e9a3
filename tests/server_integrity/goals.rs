//! Goals: status changes and reviews are kept (the latest change may be
//! taken back, one's own), and name the session unless the role may
//! credit others.

use super::*;

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
