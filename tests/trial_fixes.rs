//! Fixes from the trial (issue 11, item 6), below the screens: opening a
//! group's session and leaving records nothing; the first save writes the
//! session with its attendance at once.

mod support;

use caseload::model::Actor;
use caseload::store::Store;
use caseload::ui::worker::groups::{GroupsRequest, GroupsResponse};
use caseload::ui::worker::{handle, Request, Response};
use support::*;

#[test]
fn opening_a_group_and_leaving_records_no_session() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let grp = group(&store, "Tuesday circle");
    let actor = Actor::staff(s.id, "jordan");
    let day = d("2026-11-24");
    let opened = handle(
        &store,
        Request::Groups(GroupsRequest::Open {
            group: grp.id,
            date: day,
            actor: actor.clone(),
        }),
    );
    let Response::Groups(g) = opened else {
        panic!("{opened:?}")
    };
    let GroupsResponse::Opened(Ok((_, session))) = *g else {
        panic!("not opened")
    };
    assert!(caseload::ops::groups::is_unsaved(&session));
    assert!(session.attendees.is_empty());
    assert!(
        store.sessions_on(day).unwrap().is_empty(),
        "nothing recorded"
    );
    assert_eq!(store.counts().unwrap().sessions, 0);

    // Saving writes it once, with its attendance.
    let saved = handle(
        &store,
        Request::Groups(GroupsRequest::Save {
            group: grp.id,
            date: day,
            add: vec![p.id],
            remove: Vec::new(),
            walk_ins: Vec::new(),
            topic: "Boundaries".into(),
            note: String::new(),
            actor,
        }),
    );
    let Response::Groups(g) = saved else {
        panic!("{saved:?}")
    };
    let GroupsResponse::Saved(Ok(session)) = *g else {
        panic!("not saved")
    };
    assert_eq!(session.meta.revision, 1, "created with its attendance");
    assert_eq!(session.attendees, vec![p.id]);
    assert_eq!(session.topic, "Boundaries");
    assert_eq!(store.sessions_on(day).unwrap().len(), 1);
}

/// A check-in dated in the future, or for a peer who is not active, is
/// not saved by the form's first request: the worker answers why, and
/// saves only the confirmed one. Something outright wrong is refused
/// first, not asked about.
#[test]
fn a_future_or_inactive_checkin_is_asked_about_before_it_is_saved() {
    use caseload::model::{CheckIn, PeerStatus};
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let actor = Actor::staff(s.id, "jordan");
    let soon = caseload::ops::local_now() + chrono::Duration::hours(3);
    let ask = |c: CheckIn, confirmed: bool| {
        handle(
            &store,
            Request::SaveCheckIn {
                checkin: c,
                actor: actor.clone(),
                confirmed,
            },
        )
    };
    let future = CheckIn::new(p.id, s.id, soon);
    match ask(future.clone(), false) {
        Response::NeedsConfirmation(why) => {
            assert_eq!(why.len(), 1, "{why:?}");
            assert!(
                why[0].starts_with("at: ") && why[0].contains("in the future"),
                "{why:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        store.recent_checkins(p.id, 5).unwrap().is_empty(),
        "nothing saved"
    );
    assert!(matches!(ask(future, true), Response::Saved(Ok(_))));

    // A discharged peer: asked, naming the status.
    let mut rec = store.peer(p.id).unwrap();
    rec.data.status = PeerStatus::Discharged;
    store.update_peer(&rec, &actor).unwrap();
    let past = CheckIn::new(
        p.id,
        s.id,
        caseload::ops::local_now() - chrono::Duration::hours(1),
    );
    match ask(past, false) {
        Response::NeedsConfirmation(why) => {
            assert!(
                why.iter()
                    .any(|w| w.starts_with("peer: Aroha Wright is discharged")),
                "{why:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Outright wrong (0 minutes) is refused, not asked about.
    let mut bad = CheckIn::new(p.id, s.id, soon);
    bad.minutes = 0;
    match ask(bad, false) {
        Response::Saved(Err(f)) => assert!(f.message.contains("minutes"), "{f}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.recent_checkins(p.id, 5).unwrap().len(), 1);
}

mod ui_common;

mod in_the_app {
    use super::ui_common::*;
    use caseload::ui::worker::{Request, Response};
    use crossterm::event::KeyCode;

    #[test]
    fn the_form_asks_then_saves_the_same_checkin_confirmed() {
        let mut app = app();
        press(&mut app, &[key('c'), code(KeyCode::Enter)]);
        type_str(&mut app, "walked to the library");
        app.take_requests();
        press(&mut app, &[ctrl('s')]);
        let first = app
            .take_requests()
            .into_iter()
            .find_map(|r| match r {
                Request::SaveCheckIn {
                    checkin, confirmed, ..
                } => Some((checkin, confirmed)),
                _ => None,
            })
            .expect("a save");
        assert!(!first.1, "the first save is not confirmed");
        let why = "peer: Dana Okafor-Lindqvist is discharged since 2026-10-01 and the rest of a long sentence that must wrap inside the dialog";
        app.on_response(Response::NeedsConfirmation(vec![why.into()]));
        let c = app.confirm().expect("asks");
        assert!(c.question.contains("discharged since 2026-10-01"));
        assert!(
            app.form().is_some_and(|f| !f.saving),
            "the form waits, editable"
        );
        // The whole question fits at 80×24.
        let shown = rows(&screen(&mut app, 80, 24)).join(" ");
        let squeezed: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.contains("must wrap inside the dialog"), "{shown}");
        assert!(squeezed.contains("Save it anyway?"), "{shown}");
        press(&mut app, &[key('y')]);
        let again = app
            .take_requests()
            .into_iter()
            .find_map(|r| match r {
                Request::SaveCheckIn {
                    checkin, confirmed, ..
                } => Some((checkin, confirmed)),
                _ => None,
            })
            .expect("saved again");
        assert!(again.1, "confirmed this time");
        assert_eq!(again.0, first.0, "the same check-in");
    }

    #[test]
    fn q_on_the_lock_screen_asks_before_discarding_unsaved_text() {
        let mut app = app();
        press(&mut app, &[key('c'), code(KeyCode::Enter)]);
        type_str(&mut app, "words not saved yet");
        press(&mut app, &[ctrl('l')]);
        assert!(!app.gate_open(), "locked");
        press(&mut app, &[key('q')]);
        assert!(!app.should_quit(), "asks first");
        for (w, h) in [(80, 24), (120, 40)] {
            let shown = rows(&screen(&mut app, w, h)).join("\n");
            assert!(shown.contains("unsaved work"), "{shown}");
            assert!(
                !shown.contains("words not saved yet"),
                "nothing of the session is shown: {shown}"
            );
        }
        // Anything else takes the question back; then q asks again.
        press(&mut app, &[code(KeyCode::Down), key('q')]);
        assert!(!app.should_quit());
        press(&mut app, &[key('q')]);
        assert!(app.should_quit(), "q again quits");
    }

    #[test]
    fn q_on_the_lock_screen_quits_at_once_with_nothing_unsaved() {
        let mut app = app();
        press(&mut app, &[ctrl('l')]);
        press(&mut app, &[key('q')]);
        assert!(app.should_quit());
    }

    #[test]
    fn a_long_status_message_says_z_and_z_shows_it_whole() {
        let mut app = app();
        let long = "Not undone: check-in C12 was changed since by S2 (sam) at 14:29 (revision 3 now, this session wrote 2); change it by hand instead";
        app.on_response(Response::Undone(Err(caseload::ui::worker::Failure {
            message: long.into(),
            problems: Vec::new(),
        })));
        let line = rows(&screen(&mut app, 80, 24)).join("\n");
        assert!(line.contains("…z: all"), "{line}");
        press(&mut app, &[key('z')]);
        for (w, h) in [(80, 24), (120, 40)] {
            let shown = rows(&screen(&mut app, w, h)).join(" ");
            let squeezed: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(squeezed.contains("change it by hand instead"), "{shown}");
            assert!(squeezed.contains("this session wrote 2"), "{shown}");
        }
        press(&mut app, &[code(KeyCode::Esc)]);
        let shown = rows(&screen(&mut app, 80, 24)).join("\n");
        assert!(!shown.contains(" Message "), "closed: {shown}");
    }
}

/// A save that fails after its walk-ins joined the roster names them with
/// their ids, so that the screen checks them off instead of adding them a
/// second time, and keeps them: here the session's group is gone by the
/// time the session is written.
#[test]
fn a_save_failing_after_its_walk_ins_joined_names_them_and_keeps_them() {
    use caseload::ops::groups::{save_attendance, AttendanceChange};
    use caseload::ops::OpsError;
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let mut gone = group(&store, "Tuesday circle");
    gone.id = caseload::model::GroupId::new(999);
    let actor = Actor::staff(s.id, "jordan");
    let change = AttendanceChange {
        add: Vec::new(),
        remove: Vec::new(),
        walk_ins: vec!["Robin Quinn".into()],
        topic: String::new(),
        note: String::new(),
    };
    let err = save_attendance(&store, &actor, &gone, d("2026-11-24"), &change)
        .expect_err("no such group");
    let OpsError::WalkInsKept { kept, cause } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].0, "Robin Quinn");
    assert_eq!(store.peer(kept[0].1).unwrap().display_name, "Robin Quinn");
    assert!(
        err.to_string().contains(&format!(
            "Robin Quinn ({}) joined the roster before that and stays",
            kept[0].1
        )),
        "{err}"
    );
    assert!(!matches!(**cause, OpsError::WalkInsKept { .. }));
    assert_eq!(store.counts().unwrap().sessions, 0, "no session");
}
