//! Taking an assessment in the UI, state and rendering at 80×24: `b` on
//! the peer page opens the BARC-10 one statement a screen over the page
//! (no staff notes show while the peer reads along), the number keys
//! answer, left/right move, enter saves at the end through the worker; the
//! saved total is on the status line and the page reloads; tab 6 shows
//! the latest total, the change from the first and each item's change.

mod plan_support;
mod ui_common;

use caseload::model::{Assessment, AssessmentId, CheckIn, PeerId, Record, StaffId};
use caseload::ui::screens::assess::AssessSitting;
use caseload::ui::worker::{Failure, Request, Response};
use crossterm::event::KeyCode;
use plan_support::*;
use ui_common::*;

const NOTE: &str = "Talked about the court date privately";

fn page() -> caseload::ui::app::App {
    let mut d = detail();
    let mut c = CheckIn::new(PeerId::new(1), StaffId::new(1), clock());
    c.note = NOTE.into();
    d.overview.recent_checkins.push(rec(40, c));
    app_on_peer_with(d)
}

fn sitting(app: &mut caseload::ui::app::App) -> Option<AssessSitting> {
    app.layer_mut::<AssessSitting>().map(|s| s.clone())
}

fn text(app: &mut caseload::ui::app::App) -> String {
    rows(&screen(app, 80, 24)).join("\n")
}

fn saved(total: u32) -> Record<Assessment> {
    rec(
        3,
        Assessment {
            peer: PeerId::new(1),
            instrument: "barc10".into(),
            version: 1,
            scores: vec![5, 4, 6, 3, 5, 4, 5, 6, 4, 5],
            total,
            at: clock().with_timezone(&chrono::Utc),
            staff: Some(StaffId::new(1)),
        },
    )
}

#[test]
fn b_opens_the_barc10_one_statement_a_screen_over_the_page() {
    let mut app = page();
    assert!(
        text(&mut app).contains(NOTE),
        "the page shows the note first"
    );
    press(&mut app, &[key('b')]);
    let s = sitting(&mut app).expect("the sitting is open");
    assert_eq!((s.at, s.answered()), (0, 0));
    let shown = text(&mut app);
    assert!(shown.contains("BARC-10 — statement 1 of 10"), "{shown}");
    assert!(
        shown.contains("There are more important things to me in life than using substances."),
        "{shown}"
    );
    assert!(
        shown.contains("1   Strongly disagree") && shown.contains("6   Strongly agree"),
        "{shown}"
    );
    assert!(
        !shown.contains(NOTE),
        "no staff notes while the peer reads along:\n{shown}"
    );
    assert!(!shown.contains("Recent check-ins"), "{shown}");
}

#[test]
fn numbers_answer_and_move_on_arrows_go_back_and_forward_and_off_scale_is_refused() {
    let mut app = page();
    press(&mut app, &[key('b'), key('5'), key('4')]);
    let s = sitting(&mut app).expect("open");
    assert_eq!(s.at, 2);
    assert_eq!(s.scores[..3], [Some(5), Some(4), None]);
    press(&mut app, &[key('7'), key('0')]);
    assert_eq!(
        sitting(&mut app).expect("open").at,
        2,
        "7 and 0 are not answers"
    );
    assert!(
        app.status()
            .message
            .as_ref()
            .is_some_and(|m| m.text.contains("press 1 to 6")),
        "{:?}",
        app.status().message
    );
    press(&mut app, &[code(KeyCode::Right)]);
    assert_eq!(
        sitting(&mut app).expect("open").at,
        2,
        "no skipping an unanswered statement"
    );
    press(&mut app, &[code(KeyCode::Left), code(KeyCode::Left)]);
    assert_eq!(sitting(&mut app).expect("open").at, 0);
    let shown = text(&mut app);
    assert!(
        shown.contains("5   Agree  ◀"),
        "the answer given is marked:\n{shown}"
    );
    press(&mut app, &[code(KeyCode::Right), key('6')]);
    let s = sitting(&mut app).expect("open");
    assert_eq!((s.at, s.scores[1]), (2, Some(6)), "changed on the way back");
    // Enter before the end saves nothing.
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(!app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::SaveAssessment { .. })));
}

#[test]
fn the_last_screen_shows_the_total_and_enter_saves_then_the_page_reloads() {
    let mut app = page();
    press(&mut app, &[key('b')]);
    for c in "5463545645".chars() {
        press(&mut app, &[key(c)]);
    }
    let s = sitting(&mut app).expect("open");
    assert!(s.on_end());
    assert_eq!(s.total(), 47);
    let shown = text(&mut app);
    assert!(
        shown.contains("all 10 answered") && shown.contains("Total 47"),
        "{shown}"
    );
    assert!(
        shown.contains("47 or more"),
        "the published threshold note:\n{shown}"
    );
    assert!(shown.contains("Vilsaint"), "the attribution:\n{shown}");
    app.take_requests();
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    let sent = reqs
        .iter()
        .find_map(|r| match r {
            Request::SaveAssessment { assessment, actor } => {
                Some((assessment.clone(), actor.clone()))
            }
            _ => None,
        })
        .expect("a save went to the worker");
    assert_eq!(sent.0.scores, [5, 4, 6, 3, 5, 4, 5, 6, 4, 5]);
    assert_eq!((sent.0.total, sent.0.instrument.as_str()), (47, "barc10"));
    assert_eq!(sent.1.staff, Some(StaffId::new(1)));
    assert!(sitting(&mut app).expect("stays until saved").saving);
    // A refusal keeps the answers and says why.
    app.on_response(Response::AssessmentSaved(Err(Failure::from(
        "the store is read-only",
    ))));
    let s = sitting(&mut app).expect("still open");
    assert!(!s.saving && s.error.as_deref() == Some("the store is read-only"));
    assert!(text(&mut app).contains("not saved: the store is read-only"));
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::SaveAssessment { .. })));
    app.on_response(Response::AssessmentSaved(Ok(saved(47))));
    assert!(sitting(&mut app).is_none(), "closed once saved");
    let msg = app
        .status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(msg.contains("saved BARC-10 A3: total 47"), "{msg}");
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Peer(p) if *p == PeerId::new(1))));
}

#[test]
fn esc_with_answers_asks_and_yes_stops_with_nothing_saved() {
    let mut app = page();
    press(&mut app, &[key('b'), code(KeyCode::Esc)]);
    assert!(
        sitting(&mut app).is_none(),
        "nothing answered: closes at once"
    );
    press(&mut app, &[key('b'), key('3'), code(KeyCode::Esc)]);
    assert!(sitting(&mut app).is_some());
    assert!(text(&mut app).contains("Stop this BARC-10 without saving? (1 of 10 answered)"));
    press(&mut app, &[key('y')]);
    assert!(sitting(&mut app).is_none());
    assert!(!app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::SaveAssessment { .. })));
}

#[test]
fn tab_6_shows_the_latest_total_the_change_from_the_first_and_each_item() {
    let mut d = detail();
    let mut first = saved(47).clone();
    first.id = AssessmentId::new(1);
    first.at -= chrono::Duration::days(90);
    let mut later = saved(53);
    later.id = AssessmentId::new(2);
    later.scores = vec![6, 5, 6, 4, 5, 5, 5, 6, 5, 6];
    d.assessments = vec![first, later];
    let mut app = app_on_peer_with(d);
    press(&mut app, &[key('6')]);
    let shown = text(&mut app);
    assert!(
        shown.contains("BARC-10 · latest total 53 on 2026-11-23 · 2 taken"),
        "{shown}"
    );
    assert!(
        shown.contains("change from the first (47 on 2026-08-25): +6"),
        "{shown}"
    );
    assert!(
        shown.contains(" 1.  +1  now 6  There are more important things"),
        "{shown}"
    );
    assert!(
        shown.contains(" 3.   0  now 6  I have enough energy"),
        "{shown}"
    );
    assert!(
        shown.contains("2026-08-25 barc10   total  47  A1"),
        "{shown}"
    );
    let rows = rows(&screen(&mut app, 80, 24));
    assert!(rows
        .iter()
        .all(|r| unicode_width::UnicodeWidthStr::width(r.as_str()) <= 80));
    // With none yet, the tab says how to take one.
    let mut app = app_on_peer_with(detail());
    press(&mut app, &[key('6')]);
    assert!(text(&mut app).contains("No assessments yet. b takes the BARC-10"));
}

#[test]
fn the_goal_timeline_writes_the_totals_on_its_time_axis() {
    use caseload::ui::worker::plan::PlanResponse;
    let mut app = app_on_peer_with(detail());
    press(&mut app, &[key('3')]);
    app.take_requests();
    let mut data = timeline_data();
    let before = {
        let mut a = app_on_timeline();
        rows(&screen(&mut a, 80, 24))
    };
    assert!(
        !before.iter().any(|r| r.contains("BARC-10 total")),
        "no row without assessments"
    );
    data.capital = vec![
        (day("2026-09-01"), "barc10".into(), 38),
        (day("2026-11-20"), "barc10".into(), 47),
    ];
    app.on_response(plan_response(PlanResponse::Timeline(
        PeerId::new(1),
        Ok(Box::new(data)),
    )));
    let rows = rows(&screen(&mut app, 80, 24));
    let row = rows
        .iter()
        .find(|r| r.contains("BARC-10 total"))
        .unwrap_or_else(|| panic!("no totals row:\n{}", rows.join("\n")));
    assert!(row.contains("38") && row.contains("47"), "{row}");
    assert!(
        row.find("38") < row.find("47"),
        "in time order on the axis: {row}"
    );
    // The wellbeing line is still there beneath.
    assert!(
        rows.iter().any(|r| r.contains("Wellbeing (1–5)")),
        "{}",
        rows.join("\n")
    );
}

#[test]
fn the_assessments_tab_snapshot() {
    let mut d = detail();
    let mut first = saved(47).clone();
    first.id = AssessmentId::new(1);
    first.at -= chrono::Duration::days(90);
    let mut later = saved(53);
    later.id = AssessmentId::new(2);
    later.scores = vec![6, 5, 6, 4, 5, 5, 5, 6, 5, 6];
    d.assessments = vec![first, later];
    let mut app = app_on_peer_with(d);
    press(&mut app, &[key('6')]);
    assert_screens("assessments_tab", &mut app);
}
