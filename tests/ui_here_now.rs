//! "Here now" from Today: `h` opens it and asks the worker for today's
//! visitors; only the awaited answer is taken; rows show the time, the
//! assigned staff member and the Today reason; `c` starts a check-in for
//! the selected visitor as from Today; pending intakes are listed below.

mod ui_common;

use caseload::model::today::Section;
use caseload::model::visit::HereNowRow;
use caseload::model::{Actor, Intake, IntakeId, Meta, PeerId, Record, StaffId};
use caseload::ui::app::{App, Pane};
use caseload::ui::worker::frontdesk::HereNowAnswer;
use caseload::ui::worker::{Request, RequestId, Response};
use chrono::NaiveTime;
use crossterm::event::KeyCode;
use ui_common::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("time")
}

fn answer() -> HereNowAnswer {
    let row = |peer: u64, name: &str, at, section: Option<Section>, why: Option<&str>| HereNowRow {
        peer: PeerId::new(peer),
        name: name.into(),
        time_in: at,
        time_out: None,
        purpose: Some("meal".into()),
        assigned: Some("JR".into()),
        assigned_staff: Some(StaffId::new(1)),
        section,
        why: why.map(str::to_string),
    };
    HereNowAnswer {
        rows: vec![
            row(
                2,
                "Dana Ortiz",
                t(9, 5),
                Some(Section::Overdue),
                Some("follow-up planned for 2026-11-20 is 3 days overdue"),
            ),
            row(1, "Ana Ruiz", t(10, 40), None, None),
        ],
        intakes: vec![Record {
            id: IntakeId::new(1),
            meta: Meta::created(chrono::Utc::now(), &Actor::login("kiosk")),
            data: Intake {
                first_name: "Robin".into(),
                day: day("2026-11-23"),
                time: t(11, 0),
            },
        }],
    }
}

fn here_now_request(app: &mut App) -> RequestId {
    let ids: Vec<RequestId> = app
        .take_tagged()
        .into_iter()
        .filter_map(|(id, r)| matches!(r, Request::HereNow { .. }).then_some(id))
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    ids[0]
}

#[test]
fn h_opens_here_now_and_takes_only_the_awaited_answer() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('h')]);
    assert_eq!(app.pane(), Pane::HereNow);
    let first = here_now_request(&mut app);
    // A refresh asks again; the older answer is then dropped.
    press(&mut app, &[key('r')]);
    let second = here_now_request(&mut app);
    assert_ne!(first, second);
    app.on_reply(Some(first), Response::HereNow(Box::new(Ok(answer()))));
    assert!(app.here_now().rows.is_empty(), "a stale answer is dropped");
    app.on_reply(Some(second), Response::HereNow(Box::new(Ok(answer()))));
    assert_eq!(app.here_now().rows.len(), 2);
    let shown = rows(&screen(&mut app, 100, 30)).join("\n");
    assert!(shown.contains("Here now"), "{shown}");
    assert!(
        shown.contains("2 signed in") && shown.contains("1 new here"),
        "{shown}"
    );
    let dana = shown
        .lines()
        .find(|l| l.contains("Dana Ortiz"))
        .expect("Dana's row");
    assert!(dana.contains("09:05") && dana.contains("JR"), "{dana}");
    assert!(
        dana.contains("Overdue follow-ups: follow-up planned"),
        "{dana}"
    );
    let ana = shown
        .lines()
        .find(|l| l.contains("Ana Ruiz"))
        .expect("Ana's row");
    assert!(ana.contains("10:40") && ana.contains("meal"), "{ana}");
    assert!(
        shown.contains("Robin"),
        "the pending intake is listed: {shown}"
    );
    assert!(
        app.pane_labels()
            .iter()
            .any(|(l, on)| l == "Here now" && *on),
        "{:?}",
        app.pane_labels()
    );
}

#[test]
fn c_starts_a_check_in_for_the_selected_visitor_and_esc_goes_back_to_today() {
    let mut app = app();
    press(&mut app, &[key('h')]);
    let id = here_now_request(&mut app);
    app.on_reply(Some(id), Response::HereNow(Box::new(Ok(answer()))));
    press(&mut app, &[code(KeyCode::Down)]);
    // c, Enter: as from Today, the highlighted visitor is picked and the
    // form lands in the note.
    press(&mut app, &[key('c')]);
    let form = app.form().expect("the check-in form");
    assert_eq!(form.picker.selected().map(|c| c.id), Some(PeerId::new(1)));
    press(&mut app, &[code(KeyCode::Enter)]);
    let form = app.form().expect("the check-in form");
    assert_eq!(
        form.peer.as_ref().map(|(p, _)| *p),
        Some(PeerId::new(1)),
        "the selected visitor"
    );
    assert_eq!(form.focus, caseload::ui::screens::checkin::Field::Note);
    press(&mut app, &[code(KeyCode::Esc)]);
    if app.confirm().is_some() {
        press(&mut app, &[key('y')]);
    }
    assert!(app.form().is_none());
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.pane(), Pane::Today);
}

#[test]
fn a_failed_load_is_said_and_an_empty_day_says_nobody_yet() {
    let mut app = app();
    press(&mut app, &[key('h')]);
    let id = here_now_request(&mut app);
    app.on_reply(
        Some(id),
        Response::HereNow(Box::new(Ok(HereNowAnswer {
            rows: Vec::new(),
            intakes: Vec::new(),
        }))),
    );
    let shown = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(shown.contains("Nobody has signed in yet today"), "{shown}");
    press(&mut app, &[key('r')]);
    let id = here_now_request(&mut app);
    app.on_reply(
        Some(id),
        Response::HereNow(Box::new(Err("store is busy".into()))),
    );
    let shown = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(shown.contains("Could not load: store is busy"), "{shown}");
}

#[test]
fn k_is_refused_to_a_peer_specialist_and_hands_nothing_to_the_kiosk() {
    let mut app = app();
    press(&mut app, &[key('K')]);
    assert!(!app.should_quit(), "the UI stays");
    assert!(
        !caseload::ui::kiosk::take_after_ui(),
        "no kiosk was asked for"
    );
    let said = app
        .status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("supervisors and admins"), "{said}");
}

#[test]
fn the_here_now_snapshot() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('h')]);
    let id = here_now_request(&mut app);
    app.on_reply(Some(id), Response::HereNow(Box::new(Ok(answer()))));
    assert_screens("here_now", &mut app);
}

/// Privacy mode hides a goal's title in a visitor's Today reason here too
/// (issue 11), and the reveal key shows the selected row's.
#[test]
fn privacy_mode_hides_goal_titles_in_the_reasons() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('h')]);
    let id = here_now_request(&mut app);
    let mut a = answer();
    a.rows[0].section = Some(Section::ReviewDue);
    a.rows[0].why = Some("review of goal G2 \"Find part-time work\" was due today".into());
    app.on_reply(Some(id), Response::HereNow(Box::new(Ok(a))));
    press(&mut app, &[ctrl('p')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(!t.contains("Find part-time work"), "{t}");
    assert!(
        t.contains("review of goal G2 (hidden) was due today"),
        "{t}"
    );
    press(&mut app, &[ctrl('o')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(t.contains("\"Find part-time work\""), "{t}");
}
