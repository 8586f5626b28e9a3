//! Undo, each kind, through the worker as the UI runs it: a change the
//! session makes is journaled with what it replaced; undoing it writes the
//! earlier data back as a new, audited change (or voids what was created);
//! a record someone else has since changed is refused with the reason;
//! only the last 10 minutes count; and `u` in the app asks for the newest.

mod support;

use caseload::model::{Actor, CheckIn, GoalStatus, Record, StaffId};
use caseload::ops::plan::StepChange;
use caseload::ops::undo::{in_window, undo, Undoable, UNDONE};
use caseload::ops::wellness::{EntryChange, WellnessSection};
use caseload::store::{AuditEvent, AuditFilter, ChangeKind, Store};
use caseload::ui::worker::groups::{GroupsRequest, GroupsResponse};
use caseload::ui::worker::plan::PlanRequest;
use caseload::ui::worker::undo::handle_journaled;
use caseload::ui::worker::{Request, Response, WorkerState};
use chrono::{Duration, Utc};
use support::*;

fn me(s: StaffId) -> Actor {
    Actor::staff(s, "jordan")
}

/// Runs `request` as the running worker does; the change it journaled.
fn journaled(store: &dyn Store, request: Request) -> (Option<Undoable>, Response) {
    handle_journaled(&WorkerState::default(), store, request)
}

fn undone(store: &dyn Store, actor: &Actor, change: &Undoable) -> String {
    match undo(store, actor, change) {
        Ok(s) => s,
        Err(e) => panic!("undo refused: {e}"),
    }
}

#[test]
fn a_saved_checkin_is_undone_by_voiding_it() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let c = checkin(p.id, s.id, "2026-11-02T10:00:00-05:00");
    let (change, answer) = journaled(
        &store,
        Request::SaveCheckIn {
            checkin: c,
            actor: me(s.id),
            confirmed: true,
        },
    );
    let Response::Saved(Ok(saved)) = answer else {
        panic!("{answer:?}")
    };
    let change = change.expect("journaled");
    assert_eq!(
        change,
        Undoable::CheckInSaved {
            id: saved.id,
            revision: 1,
            at: saved.meta.updated_at
        }
    );
    let said = undone(&store, &me(s.id), &change);
    assert!(
        said.contains(&format!("check-in {} saved", saved.id)),
        "{said}"
    );
    let now = store.checkin(saved.id).unwrap();
    let void = now.voided.clone().expect("voided");
    assert_eq!(void.reason, UNDONE);
    assert_eq!(void.by, me(s.id));
    // Counted nowhere: Today's summaries leave it out.
    let sums = store
        .peer_summaries(Utc::now(), chrono::NaiveDate::MAX)
        .unwrap();
    assert!(sums
        .get(&p.id)
        .and_then(|x| x.last_checkin.as_ref())
        .is_none());
    // Undoing twice is refused, saying why.
    let err = undo(&store, &me(s.id), &change).unwrap_err().to_string();
    assert!(err.contains("already voided"), "{err}");
}

#[test]
fn a_correction_is_undone_by_writing_the_version_it_replaced() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let mut c = checkin(p.id, s.id, "2026-11-02T10:00:00-05:00");
    c.note = "talked about the bus pass".into();
    let saved = save_checkin(&store, c);
    let fixed = caseload::ops::checkin::edit(
        &store,
        &me(s.id),
        saved.id,
        &caseload::ops::checkin::Correction {
            note: Some("talked about the rent".into()),
            minutes: Some(45),
            ..Default::default()
        },
    )
    .unwrap();
    let change = Undoable::checkin(&fixed);
    assert!(
        matches!(change, Undoable::CheckInEdited { revision: 2, .. }),
        "{change:?}"
    );
    undone(&store, &me(s.id), &change);
    let now = store.checkin(saved.id).unwrap();
    assert_eq!(now.meta.revision, 3, "a new revision, not a rewind");
    assert_eq!(now.data, saved.data, "every field as before the correction");
    // Both earlier versions stay in the history.
    let history = store.checkin_history(saved.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].note, "talked about the rent");
}

#[test]
fn a_step_tick_and_a_status_change_are_undone() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let g = goal(&store, p.id, "Find a place to live");
    let g =
        caseload::ops::plan::append_step(&store, &me(s.id), g.id, "Call the housing line").unwrap();
    let (tick, answer) = journaled(
        &store,
        Request::Plan(PlanRequest::Step {
            goal: g.id,
            index: 0,
            expect: "Call the housing line".into(),
            change: StepChange::Toggle(d("2026-11-20")),
            actor: me(s.id),
        }),
    );
    assert!(matches!(answer, Response::Plan(_)), "{answer:?}");
    let tick = tick.expect("journaled");
    assert!(store.goal(g.id).unwrap().steps[0].done_on.is_some());
    let said = undone(&store, &me(s.id), &tick);
    assert!(
        said.contains(&format!("step ticked or opened on goal {}", g.id)),
        "{said}"
    );
    let back = store.goal(g.id).unwrap();
    assert_eq!(back.steps[0].done_on, None);
    assert_eq!(back.data, g.data);

    let (status, _) = journaled(
        &store,
        Request::Plan(PlanRequest::Status {
            goal: g.id,
            status: GoalStatus::Achieved,
            on: d("2026-11-21"),
            actor: me(s.id),
        }),
    );
    assert_eq!(store.goal(g.id).unwrap().status, GoalStatus::Achieved);
    undone(&store, &me(s.id), &status.expect("journaled"));
    let back = store.goal(g.id).unwrap();
    assert_eq!(back.status, g.status);
    assert_eq!(back.data, g.data);
}

#[test]
fn a_peer_edit_is_undone() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let (change, _) = journaled(
        &store,
        Request::Plan(PlanRequest::Wellness {
            peer: p.id,
            section: WellnessSection::WhatHelps,
            change: EntryChange::Add("a walk by the river".into()),
            actor: me(s.id),
        }),
    );
    let change = change.expect("journaled");
    assert_ne!(store.peer(p.id).unwrap().data, p.data);
    let said = undone(&store, &me(s.id), &change);
    assert!(
        said.contains(&format!("wellness plan edit of peer {}", p.id)),
        "{said}"
    );
    assert_eq!(store.peer(p.id).unwrap().data, p.data);
}

#[test]
fn attendance_is_undone_and_a_session_the_save_created_is_voided() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let a = peer(&store, "Aroha Wright");
    let b = peer(&store, "Kim Lee");
    let grp = group(&store, "Tuesday circle");
    let save = |add: Vec<_>| {
        journaled(
            &store,
            Request::Groups(GroupsRequest::Save {
                group: grp.id,
                date: d("2026-11-24"),
                add,
                remove: Vec::new(),
                walk_ins: Vec::new(),
                topic: String::new(),
                note: String::new(),
                actor: me(s.id),
            }),
        )
    };
    // The first save creates the session: undone, it is voided.
    let (first, answer) = save(vec![a.id]);
    let Response::Groups(g) = answer else {
        panic!("{answer:?}")
    };
    let GroupsResponse::Saved(Ok(session)) = *g else {
        panic!("not saved")
    };
    let first = first.expect("journaled");
    assert!(
        matches!(&first, Undoable::Attendance { before: None, .. }),
        "{first:?}"
    );
    // A second save on top of it, then undo that one: back to one peer.
    let (second, _) = save(vec![b.id]);
    let second = second.expect("journaled");
    assert_eq!(store.session(session.id).unwrap().attendees.len(), 2);
    undone(&store, &me(s.id), &second);
    assert_eq!(store.session(session.id).unwrap().attendees, vec![a.id]);
    // The first can no longer be undone: the undo above built on it.
    let err = undo(&store, &me(s.id), &first).unwrap_err().to_string();
    assert!(err.contains("was changed since"), "{err}");
}

#[test]
fn undoing_attendance_with_a_walk_in_says_the_walk_in_stays_on_the_roster() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let a = peer(&store, "Aroha Wright");
    let grp = group(&store, "Tuesday circle");
    let (change, answer) = journaled(
        &store,
        Request::Groups(GroupsRequest::Save {
            group: grp.id,
            date: d("2026-11-24"),
            add: vec![a.id],
            remove: Vec::new(),
            walk_ins: vec!["Robin Walkin".into()],
            topic: String::new(),
            note: String::new(),
            actor: me(s.id),
        }),
    );
    let Response::Groups(g) = answer else {
        panic!("{answer:?}")
    };
    let GroupsResponse::Saved(Ok(session)) = *g else {
        panic!("not saved")
    };
    let robin = store
        .list_peers()
        .unwrap()
        .into_iter()
        .find(|p| p.display_name == "Robin Walkin")
        .expect("the save added the walk-in");
    assert_eq!(session.attendees, vec![a.id, robin.id]);
    let change = change.expect("journaled");
    assert!(
        matches!(&change, Undoable::Attendance { walk_ins, .. } if walk_ins == &vec![robin.id]),
        "{change:?}"
    );
    // Undone, the session is voided and the message does not pretend the
    // walk-in is gone: they stay on the roster, named by id.
    let said = undone(&store, &me(s.id), &change);
    assert!(
        said.contains(&format!(
            "1 walk-in it added stays on the roster ({})",
            robin.id
        )),
        "{said}"
    );
    assert!(store.session(session.id).unwrap().voided.is_some());
    assert!(store.peer(robin.id).is_ok());
}

#[test]
fn a_change_someone_else_built_on_is_refused_with_the_reason() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let other = staff(&store, "Sam Okafor");
    let p = peer(&store, "Aroha Wright");
    let g = goal(&store, p.id, "Find a place to live");
    let (change, _) = journaled(
        &store,
        Request::Plan(PlanRequest::Status {
            goal: g.id,
            status: GoalStatus::Paused,
            on: d("2026-11-21"),
            actor: me(s.id),
        }),
    );
    let change = change.expect("journaled");
    // Sam builds on it.
    let mut now = store.goal(g.id).unwrap();
    now.data.title = "Find a flat near the bus".into();
    store
        .update_goal(&now, &Actor::staff(other.id, "sam"))
        .unwrap();
    let err = undo(&store, &me(s.id), &change).unwrap_err().to_string();
    assert!(err.contains("Not undone"), "{err}");
    assert!(
        err.contains(&format!("goal {} was changed since", g.id)),
        "{err}"
    );
    assert!(err.contains(&other.id.to_string()), "names who: {err}");
    let kept = store.goal(g.id).unwrap();
    assert_eq!(kept.title, "Find a flat near the bus", "Sam's change stays");
    assert_eq!(kept.status, GoalStatus::Paused);
}

#[test]
fn an_undo_is_on_the_trail_as_a_change_by_whoever_undid_it() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let g = goal(&store, p.id, "Find a place to live");
    let (change, _) = journaled(
        &store,
        Request::Plan(PlanRequest::Status {
            goal: g.id,
            status: GoalStatus::Dropped,
            on: d("2026-11-21"),
            actor: me(s.id),
        }),
    );
    undone(&store, &me(s.id), &change.expect("journaled"));
    let trail = store.audit(&AuditFilter::default()).unwrap();
    let changes: Vec<_> = trail
        .iter()
        .filter(|e| {
            matches!(&e.event, AuditEvent::Updated { kind: ChangeKind::Goal, id, .. } if *id == g.id.to_string())
        })
        .collect();
    assert_eq!(changes.len(), 2, "the change and its undoing: {changes:?}");
    assert!(changes.iter().all(|e| e.actor == me(s.id)));
}

#[test]
fn failed_saves_and_loads_journal_nothing() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let mut bad: CheckIn = checkin(p.id, s.id, "2026-11-02T10:00:00-05:00");
    bad.minutes = 0;
    let (change, answer) = journaled(
        &store,
        Request::SaveCheckIn {
            checkin: bad,
            actor: me(s.id),
            confirmed: true,
        },
    );
    assert!(matches!(answer, Response::Saved(Err(_))), "{answer:?}");
    assert_eq!(change, None);
    let (change, _) = journaled(&store, Request::Roster);
    assert_eq!(change, None);
    // A step change on a goal that is not there: refused, nothing journaled.
    let (change, _) = journaled(
        &store,
        Request::Plan(PlanRequest::Status {
            goal: caseload::model::GoalId::new(77),
            status: GoalStatus::Paused,
            on: d("2026-11-21"),
            actor: me(s.id),
        }),
    );
    assert_eq!(change, None);
}

#[test]
fn only_the_last_ten_minutes_count() {
    let saved = Utc::now();
    assert!(in_window(saved, saved + Duration::minutes(10)));
    assert!(!in_window(
        saved,
        saved + Duration::minutes(10) + Duration::seconds(1)
    ));
    let mut journal = caseload::ui::app::UndoJournal::default();
    let old = Undoable::CheckInSaved {
        id: caseload::model::CheckInId::new(1),
        revision: 1,
        at: saved - Duration::minutes(11),
    };
    let new = Undoable::CheckInSaved {
        id: caseload::model::CheckInId::new(2),
        revision: 1,
        at: saved - Duration::minutes(1),
    };
    journal.push(old);
    journal.push(new.clone());
    assert_eq!(journal.take_latest(saved), Some(new));
    assert_eq!(
        journal.take_latest(saved),
        None,
        "the old one is out of the window"
    );
    assert!(journal.entries().is_empty());
}

#[test]
fn record_revisions_a_concurrent_write_came_between_are_not_offered() {
    let (_dir, store) = fresh();
    let p = peer(&store, "Aroha Wright");
    let g = goal(&store, p.id, "Find a place to live");
    let mut later: Record<_> = g.clone();
    later.meta.revision += 2;
    assert_eq!(Undoable::goal(g.clone(), &later, "status change"), None);
    later.meta.revision = g.meta.revision + 1;
    assert!(Undoable::goal(g, &later, "status change").is_some());
}

mod ui_common;

mod app_keys {
    use super::ui_common::{app, app_with, clock, key, rows, screen};
    use caseload::model::CheckInId;
    use caseload::ops::undo::Undoable;
    use caseload::ui::keymap::Keymap;
    use caseload::ui::worker::{Failure, Request, Response};
    use chrono::{Duration, Utc};

    fn saved(id: u64, minutes_ago: i64) -> Undoable {
        Undoable::CheckInSaved {
            id: CheckInId::new(id),
            revision: 1,
            at: clock().with_timezone(&Utc) - Duration::minutes(minutes_ago),
        }
    }

    fn message(app: &caseload::ui::app::App) -> String {
        app.status()
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    #[test]
    fn u_asks_the_store_to_undo_the_newest_change_and_says_what_was_undone() {
        let vim = Keymap::from_layers(&[
            ("default", include_str!("../keymaps/default.toml")),
            ("vim", include_str!("../keymaps/vim.toml")),
        ]);
        assert!(vim.problems.is_empty(), "{:?}", vim.problems);
        for keymap in [Keymap::builtin(), vim] {
            let mut app = app_with(keymap);
            app.take_requests();
            app.on_response(Response::Undoable(Box::new(saved(4, 3))));
            app.on_response(Response::Undoable(Box::new(saved(5, 2))));
            app.handle_key(key('u'));
            let reqs = app.take_requests();
            let asked: Vec<_> = reqs
                .iter()
                .filter_map(|r| match r {
                    Request::Undo { change, actor } => {
                        Some((change.as_ref().clone(), actor.clone()))
                    }
                    _ => None,
                })
                .collect();
            assert_eq!(asked.len(), 1, "{reqs:?}");
            assert_eq!(asked[0].0, saved(5, 2), "the newest first");
            assert!(asked[0].1.staff.is_some(), "as the staff member working");
            assert!(
                message(&app).contains("undoing the check-in C5 saved"),
                "{}",
                message(&app)
            );

            app.on_response(Response::Undone(Ok(
                "Undone: check-in C5 saved (voided, reason \"undone\")".into(),
            )));
            assert!(message(&app).starts_with("Undone: check-in C5 saved"));
            assert!(
                app.take_requests()
                    .iter()
                    .any(|r| matches!(r, Request::Today { .. })),
                "what shows it is reloaded"
            );
            let shown = rows(&screen(&mut app, 80, 24)).join("\n");
            assert!(shown.contains("Undone: check-in C5 saved"), "{shown}");

            // The next u takes the one before.
            app.handle_key(key('u'));
            assert!(app
                .take_requests()
                .iter()
                .any(|r| matches!(r, Request::Undo { change, .. } if **change == saved(4, 3))));
            // Then there is nothing left.
            app.handle_key(key('u'));
            assert!(!app
                .take_requests()
                .iter()
                .any(|r| matches!(r, Request::Undo { .. })));
            assert!(
                message(&app).contains("Nothing to undo"),
                "{}",
                message(&app)
            );
        }
    }

    #[test]
    fn a_change_older_than_ten_minutes_is_not_undone() {
        let mut app = app();
        app.take_requests();
        app.on_response(Response::Undoable(Box::new(saved(4, 11))));
        app.handle_key(key('u'));
        assert!(!app
            .take_requests()
            .iter()
            .any(|r| matches!(r, Request::Undo { .. })));
        assert!(
            message(&app).contains("last 10 minutes"),
            "{}",
            message(&app)
        );
    }

    #[test]
    fn a_refusal_is_shown_with_its_reason() {
        let mut app = app();
        app.take_requests();
        app.on_response(Response::Undoable(Box::new(saved(4, 1))));
        app.handle_key(key('u'));
        app.take_requests();
        let why = "Not undone: check-in C4 was changed since by S2 (sam) at 14:29";
        app.on_response(Response::Undone(Err(Failure {
            message: why.into(),
            problems: Vec::new(),
        })));
        let m = app.status().message.as_ref().expect("message");
        assert!(m.error);
        assert_eq!(m.text, why);
        let shown = rows(&screen(&mut app, 120, 40)).join("\n");
        assert!(
            shown.contains("Not undone: check-in C4 was changed since"),
            "{shown}"
        );
    }
}
