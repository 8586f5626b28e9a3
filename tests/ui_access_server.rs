//! The UI through a shared server, with the real worker thread: sign in
//! (the server checks the PIN), subscribe only once signed in, see another
//! session's change within a second with the cursor kept, lock (the
//! server forgets the sign-in) and resume with the PIN.

#[path = "server_support/mod.rs"]
mod server_support;
mod ui_common;

use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use caseload::model::{Peer, PeerId};
use caseload::store::Store;
use caseload::ui::app::access::Gate;
use caseload::ui::app::{App, AppOptions, Pane};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{Response, Worker};
use crossterm::event::KeyCode;
use server_support::*;
use ui_common::{code, ctrl, key, press, type_str};

/// Sends what the app queued and feeds back one answer per request (a
/// subscription answers once; its notices come later).
fn drive(app: &mut App, worker: &Worker, rx: &Receiver<Response>) {
    for _ in 0..10 {
        let reqs = app.take_requests();
        if reqs.is_empty() {
            return;
        }
        let n = reqs.len();
        for r in reqs {
            assert!(worker.send(r));
        }
        for _ in 0..n {
            let answer = rx
                .recv_timeout(Duration::from_secs(20))
                .expect("the worker answers");
            app.on_response(answer);
        }
    }
}

#[test]
fn through_a_server_sign_in_live_updates_lock_and_resume() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = caseload::server::Server::start(&dir, &caseload::server::ServeOptions::default())
        .expect("server starts");
    let opened = caseload::server::open(&dir).expect("open through the server");
    assert!(opened.served_by.is_some());
    let (tx, rx) = mpsc::channel::<Response>();
    let worker = Worker::spawn(
        Arc::clone(&opened.store),
        move |r| tx.send(r).is_ok(),
        |_| {},
    )
    .expect("worker");

    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: Some("Pat".into()),
            theme: Theme::mono(),
            clock: ui_common::clock,
        },
    );
    drive(&mut app, &worker, &rx);
    assert!(matches!(app.gate(), Gate::SignIn(_)), "PINs: sign in first");
    type_str(&mut app, "0000");
    press(&mut app, &[code(KeyCode::Enter)]);
    drive(&mut app, &worker, &rx);
    assert!(!app.gate_open(), "the server refused the wrong PIN");
    type_str(&mut app, SPECIALIST_PIN);
    press(&mut app, &[code(KeyCode::Enter)]);
    drive(&mut app, &worker, &rx);
    assert!(app.gate_open());
    assert_eq!(app.staff().map(|s| s.id), Some(SPECIALIST));
    assert_eq!(app.peers().roster.len(), 2, "{:?}", app.peers().error);

    // Eli Moss selected on the roster.
    press(&mut app, &[key('p')]);
    while app.peers().selected_peer().map(|p| p.0) != Some(PeerId::new(2)) {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    // Another session adds a peer who sorts first.
    let other = client(&dir, ADMIN, ADMIN_PIN);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 6).expect("date");
    other
        .create_peer(
            Peer::new("Abe Ash", day),
            &caseload::model::Actor::login("other"),
        )
        .expect("peer");
    let started = Instant::now();
    let notice = rx
        .recv_timeout(Duration::from_secs(1))
        .expect("the change reaches this session within a second");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(matches!(&notice, Response::Change(_)), "{notice:?}");
    app.on_response(notice);
    drive(&mut app, &worker, &rx);
    assert_eq!(app.peers().roster.len(), 3);
    assert_eq!(
        app.peers().selected_peer().map(|p| p.0),
        Some(PeerId::new(2))
    );

    // Locking ends the server's sign-in; the PIN resumes, loads work again.
    press(&mut app, &[ctrl('l')]);
    drive(&mut app, &worker, &rx);
    assert!(matches!(app.gate(), Gate::Locked(_)));
    assert!(
        opened.store.list_peers().is_err(),
        "the locked session's connection is signed out"
    );
    type_str(&mut app, SPECIALIST_PIN);
    press(&mut app, &[code(KeyCode::Enter)]);
    drive(&mut app, &worker, &rx);
    assert!(app.gate_open());
    assert_eq!(app.pane(), Pane::Peers);
    assert_eq!(app.peers().roster.len(), 3);
    assert!(app.peers().error.is_none(), "{:?}", app.peers().error);
    assert!(app.today().error.is_none(), "{:?}", app.today().error);

    drop(app);
    worker.finish();
    drop(opened);
    drop(other);
    server.stop();
}
