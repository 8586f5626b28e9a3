//! The app driven against a real store through the worker's request
//! handler: a check-in typed into the form lands on disk and on Today.

mod ui_common;

use std::sync::Arc;

use caseload::model::today::Section;
use caseload::ops::local_now;
use caseload::store::{SledStore, Store};
use caseload::ui::app::access::Gate;
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::screens::signin::Step;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{handle, Response, Worker};
use crossterm::event::KeyCode;
use ui_common::{code, ctrl, key, press, type_str};

fn demo_store() -> (tempfile::TempDir, SledStore) {
    let (dir, store) = ui_common::demo_store_of(30, 200, 7);
    (dir, store)
}

/// Runs queued requests through the worker's handler until none are left.
fn pump(app: &mut App, store: &dyn Store) {
    for _ in 0..10 {
        let reqs = app.take_requests();
        if reqs.is_empty() {
            return;
        }
        for r in reqs {
            app.on_response(handle(store, r));
        }
    }
}

#[test]
fn a_check_in_typed_into_the_form_is_saved_and_shows_under_seen_today() {
    let (_dir, store) = demo_store();
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: true,
            staff: Some("JR".into()),
            theme: Theme::mono(),
            clock: local_now,
        },
    );
    pump(&mut app, &store);
    assert_eq!(app.staff().map(|s| s.initials.as_str()), Some("JR"));
    assert!(app.status().location.contains("store"));
    let report = app.today().report.clone().expect("Today loaded");
    assert!(!report.rows.is_empty());
    // Pick the first peer who has not been seen today.
    let target = report
        .rows
        .iter()
        .position(|r| r.peer.is_some() && r.section != Section::SeenToday)
        .expect("someone to see");
    let peer = report.rows[target].peer.expect("peer row");
    for _ in 0..target {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    pump(&mut app, &store);
    type_str(
        &mut app,
        "Walked to the library together; wants to come back Friday.",
    );
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &store);

    assert!(app.form().is_none(), "form closes once saved");
    let msg = app.status().message.clone().expect("message");
    assert!(msg.text.starts_with("Saved check-in C"), "{msg:?}");
    let report = app.today().report.clone().expect("Today reloaded");
    assert!(
        report
            .section(Section::SeenToday)
            .any(|r| r.peer == Some(peer)),
        "peer listed under Seen today"
    );
    let last = store.recent_checkins(peer, 1).expect("read back");
    assert_eq!(
        last[0].note,
        "Walked to the library together; wants to come back Friday."
    );
}

#[test]
fn without_a_known_staff_member_the_name_picker_comes_first_and_saves_are_theirs() {
    let (_dir, store) = demo_store();
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock: local_now,
        },
    );
    pump(&mut app, &store);
    // Several staff, no --staff, no login mapping, no PINs: who is working
    // is asked (no PIN step), not left to fail at the first save.
    match app.gate() {
        Gate::SignIn(s) => {
            assert_eq!(s.step, Step::Name);
            assert!(!s.required);
        }
        other => panic!("expected the name picker, got {other:?}"),
    }
    assert!(app.status().staff.is_none(), "nothing loaded before a name");
    assert!(app.today().report.is_none(), "no peer data before a name");
    let staff = store.list_staff().expect("staff");
    let me = staff
        .iter()
        .find(|s| s.active)
        .expect("an active staff member");
    let first_word = me.name.split_whitespace().next().expect("a name");
    type_str(&mut app, first_word);
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &store);
    assert!(app.gate_open());
    assert_eq!(app.staff().map(|s| s.id), Some(me.id));
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    pump(&mut app, &store);
    type_str(&mut app, "saved as the one who said who they are");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &store);
    assert!(app.form().is_none(), "{:?}", app.status().message);
    let saved = store
        .checkins_page(None, 100_000)
        .expect("read back")
        .into_iter()
        .find(|c| c.note == "saved as the one who said who they are")
        .expect("saved");
    assert_eq!(saved.staff, me.id);
    assert_eq!(saved.meta.created_by.staff, Some(me.id));
}

#[test]
fn the_worker_thread_answers_and_finishes_queued_work() {
    let (_dir, store) = demo_store();
    let store: Arc<dyn Store> = Arc::new(store);
    let (tx, rx) = std::sync::mpsc::channel::<Response>();
    let worker = Worker::spawn(store, move |r| tx.send(r).is_ok(), |_| {}).expect("spawn");
    assert!(worker.send(caseload::ui::worker::Request::Roster));
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("an answer");
    assert!(matches!(got, Response::Roster(Ok(rows)) if rows.len() == 30));
    worker.finish();
}

#[test]
fn the_worker_thread_answers_with_the_id_it_was_asked_with() {
    use caseload::ui::worker::{Request, RequestId};
    let (_dir, store) = demo_store();
    let store: Arc<dyn Store> = Arc::new(store);
    let (tx, rx) = std::sync::mpsc::channel::<(Option<RequestId>, Response)>();
    let worker =
        Worker::spawn_tagged(store, move |id, r| tx.send((id, r)).is_ok(), |_| {}).expect("spawn");
    let id = RequestId { session: 3, seq: 7 };
    assert!(worker.send_tagged(Some(id), Request::Roster));
    let (got_id, got) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("an answer");
    assert_eq!(got_id, Some(id));
    assert!(matches!(got, Response::Roster(Ok(_))));
    worker.finish();
}

#[test]
fn an_answer_for_the_session_in_front_is_taken_by_its_id() {
    let mut app = ui_common::app();
    press(&mut app, &[key('r')]);
    let (id, _) = app
        .take_tagged()
        .into_iter()
        .find(|(_, r)| matches!(r, caseload::ui::worker::Request::Roster))
        .expect("a roster reload");
    assert_eq!(id.session, app.session_serial());
    let mut rows = ui_common::roster();
    rows.truncate(2);
    app.on_reply(Some(id), Response::Roster(Ok(rows)));
    assert_eq!(app.peers().roster.len(), 2, "applied");
}
