//! Signing in, locking, privacy mode, the audit browser's role check and
//! live updates, as a state machine: keys and responses in, state and
//! requests out. Time moves by hand (`tick_at`, `handle_event_at`), so
//! nothing here sleeps.

mod ui_common;

use std::time::Duration;

use caseload::model::{PeerId, StaffId};
use caseload::store::{AuditEvent, Change, ChangeKind};
use caseload::ui::action::Action;
use caseload::ui::app::access::Gate;
use caseload::ui::app::{App, AppOptions, Pane};
use caseload::ui::keymap::Keymap;
use caseload::ui::screens::signin::Step;
use caseload::ui::theme::Theme;
use caseload::ui::widgets::input::area_text;
use caseload::ui::worker::{Request, Response, SignInRefusal};
use crossterm::event::{Event, KeyCode};
use ui_common::*;

/// A fresh app that has asked who may sign in, answered with `info`.
fn starting(required: bool, preselect: Option<u64>) -> App {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    let first = app.take_requests();
    assert!(
        matches!(first.as_slice(), [Request::Access { .. }]),
        "only the access check goes out first: {first:?}"
    );
    app.on_response(Response::Access(Ok(access(required, preselect))));
    app
}

fn step(app: &App) -> Option<Step> {
    match app.gate() {
        Gate::SignIn(s) | Gate::Locked(s) => Some(s.step),
        _ => None,
    }
}

fn message(app: &App) -> String {
    match app.gate() {
        Gate::SignIn(s) | Gate::Locked(s) => {
            s.message().map(|(m, _)| m.clone()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The sign-in request that went out, with its PIN.
fn submitted(app: &mut App) -> Option<(StaffId, String)> {
    app.take_requests().into_iter().find_map(|r| match r {
        Request::SignIn { staff, pin } => Some((staff, pin.expose().to_string())),
        _ => None,
    })
}

fn loads_caseload(reqs: &[Request]) -> bool {
    reqs.iter()
        .any(|r| matches!(r, Request::Today { .. } | Request::Roster))
}

fn signed_in(staff: u64) -> Response {
    Response::SignedIn {
        staff: StaffId::new(staff),
        result: Ok(()),
    }
}

fn refused(staff: u64, message: &str, retry: Option<u64>) -> Response {
    Response::SignedIn {
        staff: StaffId::new(staff),
        result: Err(SignInRefusal {
            message: message.into(),
            retry_after: retry.map(Duration::from_secs),
        }),
    }
}

/// Signs `app` (at the PIN step for staff 1) in as staff 1.
fn sign_in_jordan(app: &mut App) {
    type_str(app, "2468");
    press(app, &[code(KeyCode::Enter)]);
    assert_eq!(submitted(app), Some((StaffId::new(1), "2468".to_string())));
    app.on_response(signed_in(1));
}

/// An app signed in with a PIN as Jordan (staff 1), Today and roster loaded.
fn signed_in_app() -> App {
    let mut app = starting(true, Some(1));
    sign_in_jordan(&mut app);
    let reqs = app.take_requests();
    assert!(loads_caseload(&reqs));
    app.on_response(Response::Ready {
        location: "/srv/caseload/data".into(),
        organization: "Harbor Peer Center".into(),
        staff: Ok(staff()[0].clone()),
        staff_list: staff(),
    });
    app.on_response(Response::Today(Ok(report())));
    app.on_response(Response::Roster(Ok(roster())));
    app
}

#[test]
fn right_pin_after_picking_a_name_opens_the_caseload() {
    let mut app = starting(true, None);
    assert_eq!(step(&app), Some(Step::Name));
    assert!(
        app.take_requests().is_empty(),
        "nothing loads before sign-in"
    );
    // Fuzzy: "sm ok" finds Sam Okoye.
    type_str(&mut app, "sm ok");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(step(&app), Some(Step::Pin));
    type_str(&mut app, "97531");
    press(&mut app, &[code(KeyCode::Backspace), code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    let debug = format!("{reqs:?}");
    assert!(
        !debug.contains("9753"),
        "the PIN never shows in Debug: {debug}"
    );
    let (staff, pin) = reqs
        .into_iter()
        .find_map(|r| match r {
            Request::SignIn { staff, pin } => Some((staff, pin.expose().to_string())),
            _ => None,
        })
        .expect("a sign-in request");
    assert_eq!((staff, pin.as_str()), (StaffId::new(2), "9753"));
    assert!(!app.gate_open(), "not before the store said yes");
    app.on_response(signed_in(2));
    assert!(app.gate_open());
    assert_eq!(app.pane(), Pane::Today);
    assert_eq!(app.signed_in().map(|s| s.staff.id), Some(StaffId::new(2)));
    let reqs = app.take_requests();
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::Init { staff: Some(s) } if s == "S2")),
        "{reqs:?}"
    );
    assert!(loads_caseload(&reqs));
    assert!(reqs.iter().any(|r| matches!(r, Request::Subscribe)));
}

#[test]
fn wrong_pin_is_refused_cleared_and_reveals_nothing_else() {
    let mut app = starting(true, Some(1));
    type_str(&mut app, "0000");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(submitted(&mut app).is_some());
    app.on_response(refused(1, "Wrong PIN. Try again.", None));
    assert!(!app.gate_open());
    assert_eq!(step(&app), Some(Step::Pin), "still asking for the PIN");
    assert_eq!(message(&app), "Wrong PIN. Try again.");
    assert!(!loads_caseload(&app.take_requests()));
    match app.gate() {
        Gate::SignIn(s) => assert_eq!(s.pin_len(), 0, "the wrong PIN is cleared"),
        other => panic!("{other:?}"),
    }
    // Enter on an empty field asks for the PIN instead of sending nothing.
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(submitted(&mut app).is_none());
    // The right PIN still works.
    sign_in_jordan(&mut app);
    assert!(app.gate_open());
}

#[test]
fn too_many_wrong_pins_count_down_and_hold_the_next_try() {
    let mut app = starting(true, Some(1));
    let t0 = app.instant();
    type_str(&mut app, "1111");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(submitted(&mut app).is_some());
    app.on_response(refused(
        1,
        "Too many wrong PINs. Try again in 5 s.",
        Some(5),
    ));
    let shown = |app: &App| match app.gate() {
        Gate::SignIn(s) => s.wait_left(app.instant()),
        _ => None,
    };
    assert_eq!(shown(&app), Some(5));
    // The event loop is told when the number changes, not polled.
    assert_eq!(app.next_wake(), Some(t0 + Duration::from_secs(1)));
    app.tick_at(t0 + Duration::from_millis(2500));
    assert_eq!(shown(&app), Some(3));
    // A try during the wait is held here (and says how long is left).
    type_str(&mut app, "2468");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(submitted(&mut app).is_none());
    assert!(
        message(&app).contains("Try again in 3 s"),
        "{}",
        message(&app)
    );
    app.tick_at(t0 + Duration::from_secs(5));
    assert_eq!(shown(&app), None);
    assert_eq!(app.next_wake(), None, "nothing to wake for");
    assert_eq!(message(&app), "You can try again now.", "the wait is over");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(
        submitted(&mut app),
        Some((StaffId::new(1), "2468".to_string())),
        "the PIN typed during the wait is kept"
    );
}

#[test]
fn the_mapped_login_skips_the_name_step_and_esc_goes_back_to_it() {
    let mut app = starting(true, Some(1));
    assert_eq!(step(&app), Some(Step::Pin));
    match app.gate() {
        Gate::SignIn(s) => assert_eq!(s.chosen.as_ref().map(|c| c.staff.id), Some(StaffId::new(1))),
        other => panic!("{other:?}"),
    }
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(step(&app), Some(Step::Name));
}

#[test]
fn a_single_user_store_without_pins_opens_straight_to_today() {
    let mut app = starting(false, Some(1));
    assert!(app.gate_open());
    assert_eq!(app.pane(), Pane::Today);
    let reqs = app.take_requests();
    assert!(
        matches!(reqs.first(), Some(Request::Init { .. })),
        "{reqs:?}"
    );
    assert!(loads_caseload(&reqs));
    assert!(!reqs.iter().any(|r| matches!(r, Request::SignIn { .. })));
}

/// The first screen waits for Today, not for the roster: the worker
/// answers in order, so Today goes out before the roster (each once),
/// with signing in and without.
#[test]
fn opening_the_caseload_asks_for_today_before_the_roster() {
    let today_then_roster = |reqs: &[Request]| {
        let at = |like: fn(&Request) -> bool| {
            let found: Vec<usize> = (0..reqs.len()).filter(|i| like(&reqs[*i])).collect();
            assert_eq!(found.len(), 1, "{reqs:?}");
            found[0]
        };
        let today = at(|r| matches!(r, Request::Today { .. }));
        let roster = at(|r| matches!(r, Request::Roster));
        assert!(today < roster, "Today first: {reqs:?}");
    };
    let mut app = starting(false, Some(1));
    today_then_roster(&app.take_requests());
    let mut app = starting(true, Some(1));
    sign_in_jordan(&mut app);
    today_then_roster(&app.take_requests());
}

#[test]
fn when_nobody_can_tell_who_is_working_the_picker_asks_without_a_pin() {
    let mut app = starting(false, None);
    assert_eq!(step(&app), Some(Step::Name));
    assert!(!loads_caseload(&app.take_requests()));
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    assert!(app.gate_open(), "no PIN step when nobody has a PIN");
    assert_eq!(app.signed_in().map(|s| s.staff.id), Some(StaffId::new(2)));
    let reqs = app.take_requests();
    assert!(!reqs.iter().any(|r| matches!(r, Request::SignIn { .. })));
    assert!(reqs
        .iter()
        .any(|r| matches!(r, Request::Init { staff: Some(s) } if s == "S2")));
}

#[test]
fn idle_time_locks_the_screen_and_input_restarts_the_clock() {
    let mut app = signed_in_app();
    app.set_lock_after(Some(Duration::from_secs(300)));
    let t0 = app.instant();
    assert_eq!(app.next_wake(), Some(t0 + Duration::from_secs(300)));
    app.tick_at(t0 + Duration::from_secs(240));
    assert!(app.gate_open());
    // A key at 4 minutes restarts the five.
    app.handle_event_at(
        Event::Key(code(KeyCode::Down)),
        t0 + Duration::from_secs(240),
    );
    app.tick_at(t0 + Duration::from_secs(480));
    assert!(app.gate_open(), "only 4 idle minutes since the key");
    app.take_requests();
    app.tick_at(t0 + Duration::from_secs(540));
    assert!(matches!(app.gate(), Gate::Locked(_)));
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(
            r,
            Request::RecordEvent { event: AuditEvent::Locked, actor } if actor.staff == Some(StaffId::new(1))
        )),
        "{reqs:?}"
    );
    match app.gate() {
        Gate::Locked(s) => match &s.purpose {
            caseload::ui::screens::signin::Admission::Unlock { reason, .. } => {
                assert_eq!(reason, "after 5 minutes without input")
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(app.next_wake(), None, "a locked screen waits for keys");
}

#[test]
fn a_key_that_finds_the_screen_idle_only_locks_it() {
    let mut app = signed_in_app();
    app.set_lock_after(Some(Duration::from_secs(60)));
    let t0 = app.instant();
    // The timer did not fire (a suspended laptop): the late key locks.
    app.handle_event_at(Event::Key(key('p')), t0 + Duration::from_secs(61));
    assert!(matches!(app.gate(), Gate::Locked(_)));
    assert_eq!(app.pane(), Pane::Today, "the key did nothing else");
}

#[test]
fn locking_can_be_turned_off() {
    let mut app = signed_in_app();
    app.set_lock_after(None);
    let t0 = app.instant();
    assert_eq!(app.next_wake(), None);
    app.tick_at(t0 + Duration::from_secs(24 * 3600));
    assert!(app.gate_open());
}

#[test]
fn the_same_staff_member_resumes_exactly_where_they_were() {
    let mut app = signed_in_app();
    // Peers, second row, then a check-in with text typed.
    press(&mut app, &[key('p'), code(KeyCode::Down)]);
    let selected = app.peers().selected_peer().map(|p| p.0);
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "Talked about the bus pass");
    press(&mut app, &[ctrl('l')]);
    assert!(matches!(app.gate(), Gate::Locked(_)));
    assert_eq!(step(&app), Some(Step::Pin), "the PIN of the locked session");
    app.take_requests();
    type_str(&mut app, "2468");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(
        submitted(&mut app),
        Some((StaffId::new(1), "2468".to_string()))
    );
    app.on_response(signed_in(1));
    assert!(app.gate_open());
    assert_eq!(app.pane(), Pane::Peers);
    assert_eq!(app.peers().selected_peer().map(|p| p.0), selected);
    let form = app.form().expect("the form is still open");
    assert_eq!(area_text(&form.note), "Talked about the bus pass");
    // Typing goes on where it stopped.
    type_str(&mut app, ".");
    let form = app.form().expect("form");
    assert_eq!(area_text(&form.note), "Talked about the bus pass.");
    // What changed while locked is reloaded, in place.
    assert!(loads_caseload(&app.take_requests()));
}

#[test]
fn another_staff_member_at_the_lock_screen_gets_a_fresh_session() {
    let mut app = signed_in_app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "Jordan's unsaved words");
    press(&mut app, &[ctrl('l')]);
    app.take_requests();
    // Esc: someone else; pick Sam, PIN.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(step(&app), Some(Step::Name));
    type_str(&mut app, "sam");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(step(&app), Some(Step::Pin));
    type_str(&mut app, "1357");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(
        submitted(&mut app),
        Some((StaffId::new(2), "1357".to_string()))
    );
    app.on_response(signed_in(2));
    assert!(app.gate_open());
    assert!(
        app.form().is_none(),
        "Jordan's form is gone, not handed to Sam"
    );
    assert!(!app.overlay_open(), "and nobody was asked about it");
    assert_eq!(app.pane(), Pane::Today);
    assert!(app.today().report.is_none(), "Today loads again for Sam");
    assert!(app.status().staff.is_none());
    assert_eq!(app.signed_in().map(|s| s.staff.id), Some(StaffId::new(2)));
    let reqs = app.take_requests();
    assert!(reqs
        .iter()
        .any(|r| matches!(r, Request::Init { staff: Some(s) } if s == "S2")));
    assert!(loads_caseload(&reqs));
    // The keymap and settings are the terminal's, not the session's.
    assert!(app
        .keymap()
        .key_for(
            &[caseload::ui::keymap::Context::Global],
            false,
            Action::Lock
        )
        .is_some());
}

#[test]
fn a_save_answered_after_someone_else_signed_in_is_not_shown_to_them() {
    let mut app = signed_in_app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "note");
    press(&mut app, &[ctrl('s')]);
    let (save_id, save) = app
        .take_tagged()
        .into_iter()
        .find_map(|(id, r)| match r {
            Request::SaveCheckIn { checkin, .. } => Some((id, checkin)),
            _ => None,
        })
        .expect("a save");
    press(&mut app, &[ctrl('l'), code(KeyCode::Esc)]);
    type_str(&mut app, "sam");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "1357");
    press(&mut app, &[code(KeyCode::Enter)]);
    app.on_response(signed_in(2));
    // Sam opens a form; then Jordan's save is confirmed.
    app.on_response(Response::Ready {
        location: "x".into(),
        organization: "x".into(),
        staff: Ok(staff()[1].clone()),
        staff_list: staff(),
    });
    app.on_response(Response::Roster(Ok(roster())));
    press(&mut app, &[key('c')]);
    type_str(&mut app, "dana");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "Sam's words");
    let record = caseload::model::Record {
        id: caseload::model::CheckInId::new(9),
        meta: caseload::model::Meta::created(
            chrono::Utc::now(),
            &caseload::model::Actor::staff(StaffId::new(1), "t"),
        ),
        data: save,
    };
    // Matched by its id: the answer is for Jordan's session, not Sam's.
    assert_ne!(save_id.session, app.session_serial());
    app.on_reply(Some(save_id), Response::Saved(Ok(record)));
    let form = app.form().expect("Sam's form stays open");
    assert_eq!(area_text(&form.note), "Sam's words");
    assert!(!app
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("Saved")));
}

#[test]
fn without_pins_the_lock_screen_resumes_on_enter() {
    let mut app = app(); // no PINs, Jordan working
    press(
        &mut app,
        &[key('p'), code(KeyCode::Down), code(KeyCode::Down)],
    );
    let selected = app.peers().selected_peer();
    press(&mut app, &[ctrl('l')]);
    assert_eq!(step(&app), Some(Step::Resume));
    // Printable keys do nothing here, Enter resumes.
    press(&mut app, &[key('x'), code(KeyCode::Enter)]);
    assert!(app.gate_open());
    assert_eq!(app.pane(), Pane::Peers);
    assert_eq!(app.peers().selected_peer(), selected);
}

#[test]
fn privacy_mode_toggles_and_says_so() {
    let mut app = app();
    assert!(!app.privacy());
    press(&mut app, &[ctrl('p')]);
    assert!(app.privacy());
    assert!(app.ctx().privacy, "views are told");
    assert!(app
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("Privacy mode on")));
    // The peer pane's title uses initials too.
    press(&mut app, &[code(KeyCode::Enter)]);
    let labels = app.pane_labels();
    assert!(labels.iter().any(|(l, _)| l == "Peer: AR"), "{labels:?}");
    assert!(!labels.iter().any(|(l, _)| l.contains("Ana")));
    press(&mut app, &[ctrl('p')]);
    assert!(!app.privacy());
    assert!(app.pane_labels().iter().any(|(l, _)| l == "Peer: Ana Ruiz"));
}

#[test]
fn the_reveal_key_shows_hidden_text_only_in_privacy_mode_and_until_the_next_key() {
    let mut app = app();
    press(&mut app, &[ctrl('o')]);
    assert!(!app.ctx().reveal, "nothing hidden, nothing to show");
    assert!(app
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("privacy mode is off")));
    press(&mut app, &[ctrl('p')]);
    assert!(app
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("notes and goals hidden; Ctrl-o shows")));
    press(&mut app, &[ctrl('o')]);
    assert!(app.ctx().reveal && app.ctx().privacy);
    press(&mut app, &[code(KeyCode::Down)]);
    assert!(!app.ctx().reveal, "the next key hides it again");
    assert!(app.privacy(), "privacy mode stays on");
}

#[test]
fn the_audit_browser_is_for_supervisors_and_admins_only() {
    // Jordan is a peer specialist.
    let mut app = app();
    press(&mut app, &[key('A')]);
    assert_ne!(app.pane(), Pane::Audit);
    assert!(app.audit().is_none());
    assert!(!app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Audit { .. })));
    let msg = app.status().message.clone().expect("a message");
    assert!(msg.error);
    assert_eq!(
        msg.text,
        "only supervisors and admins can read the audit log"
    );

    // Sam is a supervisor.
    let mut app = starting(false, Some(2));
    app.take_requests();
    press(&mut app, &[key('A')]);
    assert_eq!(app.pane(), Pane::Audit);
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(
            r,
            Request::Audit { viewer: Some(v), query, .. } if *v == StaffId::new(2) && query.peer.is_empty()
        )),
        "{reqs:?}"
    );
    // Filters: / peer, Tab staff, Tab since, Enter applies.
    press(&mut app, &[key('/')]);
    type_str(&mut app, "P2");
    press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_str(&mut app, "-7d");
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(
            r,
            Request::Audit { query, .. } if query.peer == "P2" && query.staff.is_empty() && query.since == "-7d"
        )),
        "{reqs:?}"
    );
    // Esc leaves the browser.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.pane(), Pane::Today);
}

#[test]
fn a_change_elsewhere_reloads_in_place_keeping_cursor_and_form() {
    let mut app = app();
    app.take_requests();
    // Roster: Dana selected; a check-in form with text open over it.
    press(&mut app, &[key('p')]);
    while app.peers().selected_peer().map(|p| p.0) != Some(PeerId::new(2)) {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "half a sentence");
    app.take_requests();
    app.on_response(Response::Change(Change {
        kind: ChangeKind::Peer,
        id: "P7".into(),
    }));
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(r, Request::Roster)),
        "{reqs:?}"
    );
    assert!(reqs.iter().any(|r| matches!(r, Request::Today { .. })));
    // A second notice before the first reload went out adds nothing.
    app.on_response(Response::Change(Change {
        kind: ChangeKind::CheckIn,
        id: "C1".into(),
    }));
    app.on_response(Response::Change(Change {
        kind: ChangeKind::CheckIn,
        id: "C2".into(),
    }));
    let again = app.take_requests();
    assert_eq!(
        again
            .iter()
            .filter(|r| matches!(r, Request::Roster))
            .count(),
        1
    );
    // Someone added "Aaron Abbott", who sorts first: the cursor stays on Dana.
    let mut rows = roster();
    rows.push(caseload::ui::worker::RosterRow {
        id: PeerId::new(7),
        name: "Aaron Abbott".into(),
        status: caseload::model::PeerStatus::Active,
        assigned: None,
        last_contact: None,
        keys: Default::default(),
    });
    app.on_response(Response::Roster(Ok(rows)));
    assert_eq!(
        app.peers().selected_peer().map(|p| p.0),
        Some(PeerId::new(2))
    );
    assert_eq!(app.peers().roster.len(), 7);
    let form = app.form().expect("form kept");
    assert_eq!(area_text(&form.note), "half a sentence");
    assert_eq!(form.peer.as_ref().map(|p| p.0), Some(PeerId::new(2)));
}

#[test]
fn changes_while_locked_wait_for_the_unlock() {
    let mut app = signed_in_app();
    press(&mut app, &[ctrl('l')]);
    app.take_requests();
    app.on_response(Response::Change(Change {
        kind: ChangeKind::CheckIn,
        id: "C3".into(),
    }));
    assert!(
        !loads_caseload(&app.take_requests()),
        "nothing about peers loads while locked"
    );
    assert!(app.stale());
    type_str(&mut app, "2468");
    press(&mut app, &[code(KeyCode::Enter)]);
    app.on_response(signed_in(1));
    assert!(loads_caseload(&app.take_requests()));
}

#[test]
fn opening_a_peer_is_recorded_before_it_loads() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    assert!(
        matches!(
            reqs.as_slice(),
            [Request::OpenPeer { id, actor }] if *id == PeerId::new(1) && actor.staff == Some(StaffId::new(1))
        ),
        "{reqs:?}"
    );
    // A reload of the open page is not a new opening.
    press(&mut app, &[key('r')]);
    let reqs = app.take_requests();
    assert!(reqs
        .iter()
        .any(|r| matches!(r, Request::Peer(p) if *p == PeerId::new(1))));
    assert!(!reqs.iter().any(|r| matches!(r, Request::OpenPeer { .. })));
}

#[test]
fn quitting_works_from_the_sign_in_screen() {
    let mut app = starting(true, None);
    type_str(&mut app, "q");
    assert!(!app.should_quit(), "q types into the name");
    press(&mut app, &[ctrl('c')]);
    assert!(app.should_quit());
}

/// Who may sign in, answered with what Init would answer for the session
/// that opens (`named`: the staff text it was worked out for).
fn opening_for(named: &str) -> caseload::ui::worker::AccessInfo {
    let mut info = access(false, Some(1));
    info.opening = Some(caseload::ui::worker::Opening {
        named: Some(named.into()),
        staff: Ok(staff()[0].clone()),
        staff_list: staff(),
    });
    info
}

#[test]
fn a_session_opening_at_once_takes_who_is_working_from_the_access_answer() {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    assert!(matches!(
        app.take_requests().as_slice(),
        [Request::Access { .. }]
    ));
    app.on_response(Response::Access(Ok(opening_for("S1"))));
    assert!(app.gate_open());
    let reqs = app.take_requests();
    assert!(
        !reqs.iter().any(|r| matches!(r, Request::Init { .. })),
        "staff and settings are not asked for again: {reqs:?}"
    );
    // Notices are subscribed to before Today is read, so no change saved
    // after Today's read goes unannounced.
    let order: Vec<&str> = reqs
        .iter()
        .map(|r| match r {
            Request::Subscribe => "subscribe",
            Request::Today { .. } => "today",
            Request::Roster => "roster",
            _ => "other",
        })
        .collect();
    assert_eq!(order, ["subscribe", "today", "roster"], "{reqs:?}");
    assert_eq!(
        app.status().staff.as_ref().and_then(|s| s.as_ref().ok()),
        Some(&staff()[0])
    );
    assert_eq!(app.status().location, "/srv/caseload/data");
    assert_eq!(app.organization(), "Harbor Peer Center");
}

#[test]
fn an_opening_worked_out_for_someone_else_is_not_used() {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    app.take_requests();
    // Worked out for S2, while the session opens for the preselected S1.
    app.on_response(Response::Access(Ok(opening_for("S2"))));
    assert!(app.gate_open());
    let reqs = app.take_requests();
    assert!(
        matches!(reqs.first(), Some(Request::Init { staff: Some(s) }) if s == "S1"),
        "{reqs:?}"
    );
    assert!(
        app.status().staff.is_none(),
        "nothing taken from the answer"
    );
}
