//! The Reports screen's state: opening it asks the worker for this
//! month's report, period and staff keys ask again, only the awaited
//! answer is taken, refusals are shown, and `e` writes the CSV 0600.

mod ui_common;

use caseload::model::report::{Period, ServiceReport};
use caseload::model::StaffId;
use caseload::ui::app::{App, Pane};
use caseload::ui::worker::{Failure, Request, RequestId, Response};
use crossterm::event::KeyCode;
use ui_common::*;

pub fn fixture() -> ServiceReport {
    serde_json::from_str(include_str!("fixtures/report_screen.json")).unwrap()
}

/// The one report request queued, with its id.
fn report_request(app: &mut App) -> (RequestId, Period, Option<StaffId>) {
    let reqs: Vec<_> = app
        .take_tagged()
        .into_iter()
        .filter_map(|(id, r)| match r {
            Request::Report { period, staff } => Some((id, period, staff)),
            _ => None,
        })
        .collect();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    reqs[0]
}

fn answer(app: &mut App, id: RequestId, r: Result<ServiceReport, Failure>) {
    app.on_reply(Some(id), Response::Report(Box::new(r)));
}

fn msg(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn period(from: &str, to: &str) -> Period {
    Period {
        from: day(from),
        to: day(to),
    }
}

#[test]
fn r_opens_reports_for_this_month_and_everyone() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('R')]);
    assert_eq!(app.pane(), Pane::Reports);
    let (_, p, staff) = report_request(&mut app);
    assert_eq!(p, period("2026-11-01", "2026-11-30"));
    assert_eq!(staff, None);
    assert!(app
        .pane_labels()
        .iter()
        .any(|(l, on)| l == "Reports" && *on));
}

#[test]
fn left_right_and_m_move_and_resize_the_period() {
    let mut app = app();
    press(&mut app, &[key('R')]);
    app.take_requests();
    press(&mut app, &[code(KeyCode::Left)]);
    assert_eq!(
        report_request(&mut app).1,
        period("2026-10-01", "2026-10-31")
    );
    press(&mut app, &[code(KeyCode::Right), code(KeyCode::Right)]);
    app.take_requests();
    assert_eq!(app.reports().period, period("2026-12-01", "2026-12-31"));
    press(&mut app, &[key('m')]);
    assert_eq!(
        report_request(&mut app).1,
        period("2026-10-01", "2026-12-31")
    );
    press(&mut app, &[code(KeyCode::Left)]);
    assert_eq!(
        report_request(&mut app).1,
        period("2026-07-01", "2026-09-30")
    );
    press(&mut app, &[key('m')]);
    assert_eq!(
        report_request(&mut app).1,
        period("2026-01-01", "2026-12-31")
    );
    press(&mut app, &[code(KeyCode::Right)]);
    assert_eq!(
        report_request(&mut app).1,
        period("2027-01-01", "2027-12-31")
    );
    press(&mut app, &[key('m')]);
    assert_eq!(
        report_request(&mut app).1,
        period("2027-01-01", "2027-01-31")
    );
}

#[test]
fn a_custom_period_is_typed_and_moves_by_its_length() {
    let mut app = app();
    press(&mut app, &[key('R')]);
    app.take_requests();
    press(&mut app, &[key('f')]);
    assert!(app.layer::<caseload::ui::app::ReportPrompt>().is_some());
    // Clear the prefilled span, then type one.
    for _ in 0..30 {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_str(&mut app, "2026-11-10 to 2026-11-16");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.layer::<caseload::ui::app::ReportPrompt>().is_none());
    assert_eq!(
        report_request(&mut app).1,
        period("2026-11-10", "2026-11-16")
    );
    press(&mut app, &[code(KeyCode::Right)]);
    assert_eq!(
        report_request(&mut app).1,
        period("2026-11-17", "2026-11-23")
    );

    // A bad span keeps the prompt open and says what was wrong.
    press(&mut app, &[key('f')]);
    for _ in 0..30 {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_str(&mut app, "2026-11-31 2026-12-01");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.layer::<caseload::ui::app::ReportPrompt>().is_some());
    assert!(msg(&app).contains("2026-11-31"), "{}", msg(&app));
    assert!(app.take_requests().is_empty());
}

#[test]
fn s_picks_each_staff_member_then_everyone() {
    let mut app = app();
    press(&mut app, &[key('R')]);
    app.take_requests();
    press(&mut app, &[key('s')]);
    assert_eq!(report_request(&mut app).2, Some(StaffId::new(1)));
    press(&mut app, &[key('s')]);
    assert_eq!(report_request(&mut app).2, Some(StaffId::new(2)));
    assert_eq!(
        app.reports().staff.as_ref().map(|(_, n)| n.as_str()),
        Some("Sam Okoye")
    );
    press(&mut app, &[key('s')]);
    assert_eq!(report_request(&mut app).2, None);
}

#[test]
fn only_the_awaited_answer_is_taken() {
    let mut app = app();
    press(&mut app, &[key('R')]);
    let (old, _, _) = report_request(&mut app);
    press(&mut app, &[code(KeyCode::Left)]);
    let (new, _, _) = report_request(&mut app);
    let mut stale = fixture();
    stale.checkins = 999;
    answer(&mut app, old, Ok(stale));
    assert!(app.reports().report.is_none(), "a stale answer was taken");
    assert_eq!(app.reports().pending, Some(new));
    answer(&mut app, new, Ok(fixture()));
    assert_eq!(app.reports().report.as_ref().map(|r| r.checkins), Some(42));
    assert_eq!(app.reports().pending, None);
}

#[test]
fn a_refusal_is_kept_and_said() {
    let mut app = app();
    press(&mut app, &[key('R')]);
    let (id, _, _) = report_request(&mut app);
    answer(
        &mut app,
        id,
        Err(Failure::from("peer staff may not read the service report")),
    );
    assert_eq!(
        app.reports().error.as_deref(),
        Some("peer staff may not read the service report")
    );
    assert!(msg(&app).contains("may not read"));
}

#[test]
fn e_writes_the_clis_csv_to_a_new_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("november.csv");
    let mut app = app();
    press(&mut app, &[key('R')]);
    let (id, _, _) = report_request(&mut app);
    answer(&mut app, id, Ok(fixture()));
    press(&mut app, &[key('e')]);
    assert!(app.layer::<caseload::ui::app::ReportPrompt>().is_some());
    for _ in 0..300 {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_str(&mut app, &path.display().to_string());
    press(&mut app, &[code(KeyCode::Enter)]);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut want = Vec::new();
    caseload::cli::write_report_csv(&fixture(), &mut want).unwrap();
    assert_eq!(text.as_bytes(), want.as_slice());
    assert!(text.starts_with("section,item,measure,value"), "{text}");
    assert!(text.contains("peers,served,count,17"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(msg(&app).contains("Report written"));

    // The same path again is refused, the first file left as it was.
    press(&mut app, &[key('e')]);
    for _ in 0..300 {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_str(&mut app, &path.display().to_string());
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(msg(&app).contains("not written"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn the_worker_answers_with_the_reports_that_ops_builds() {
    let (_dir, store) = demo_store_of(20, 150, 7);
    let today = caseload::ops::local_now().date_naive();
    // The demo's check-ins lie around today: the last 60 days hold some.
    let p = Period::between(today - chrono::Duration::days(60), today).unwrap();
    let Response::Report(got) = caseload::ui::worker::handle(
        &store,
        Request::Report {
            period: p,
            staff: None,
        },
    ) else {
        panic!("not a report answer");
    };
    let want = caseload::ops::report::build(&store, p, None).unwrap();
    assert_eq!(*got, Ok(want));
    assert!(got.as_ref().as_ref().unwrap().checkins > 0);

    // One staff member: their share, named.
    let staff = caseload::store::Store::list_staff(&store).unwrap();
    let first = staff.first().expect("demo staff");
    let Response::Report(mine) = caseload::ui::worker::handle(
        &store,
        Request::Report {
            period: p,
            staff: Some(first.id),
        },
    ) else {
        panic!("not a report answer");
    };
    let want = caseload::ops::report::build(&store, p, Some(first)).unwrap();
    assert_eq!(*mine, Ok(want));

    // A staff member who is not there is refused, not widened to all.
    let Response::Report(none) = caseload::ui::worker::handle(
        &store,
        Request::Report {
            period: p,
            staff: Some(StaffId::new(9999)),
        },
    ) else {
        panic!("not a report answer");
    };
    let e = none.expect_err("an unknown staff member was accepted");
    assert!(e.message.contains("S9999"), "{}", e.message);
}
