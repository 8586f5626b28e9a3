//! The peer page's plan, timeline and wellness-plan tabs as a state
//! machine: keys → actions → state and store requests, without a terminal.
//! Every new action is driven here at least once, with what it must and
//! must not ask of the store.

mod plan_support;
mod ui_common;

use caseload::ui::widgets::form::FieldKey;

use caseload::model::{GoalId, GoalStatus, LifeDomain, PeerId};
use caseload::ops::plan::StepChange;
use caseload::ops::wellness::{EntryChange, WellnessSection};
use caseload::ui::action::Action;
use caseload::ui::app::{App, Pane};
use caseload::ui::keymap::{Keymap, DEFAULT_TOML, VIM_TOML};
use caseload::ui::screens::peer_tabs::PeerTab;
use caseload::ui::screens::plan::PlanRow;
use caseload::ui::screens::popup::Purpose;
use caseload::ui::screens::wellness::WellnessRow;
use caseload::ui::widgets::confirm::OnYes;
use caseload::ui::worker::plan::{PlanRequest, PlanResponse};
use caseload::ui::worker::Request;
use crossterm::event::KeyCode;
use plan_support::*;
use ui_common::*;

fn plan_requests(app: &mut App) -> Vec<PlanRequest> {
    app.take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Plan(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn one_plan_request(app: &mut App) -> PlanRequest {
    let mut v = plan_requests(app);
    assert_eq!(v.len(), 1, "{v:?}");
    v.remove(0)
}

fn selected(app: &App) -> Option<PlanRow> {
    let goals = &app
        .peer()
        .as_ref()
        .and_then(|p| p.detail.as_ref())
        .expect("loaded")
        .overview
        .goals;
    app.peer_view().plan.current(goals)
}

fn message(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn number_keys_and_brackets_switch_tabs_and_the_timeline_loads_once_opened() {
    let mut app = app_on_peer_with(detail());
    assert_eq!(app.peer_view().tab, PeerTab::Overview);
    press(&mut app, &[key('2')]);
    assert_eq!(app.peer_view().tab, PeerTab::Plan);
    assert!(
        plan_requests(&mut app).is_empty(),
        "the plan comes with the peer"
    );
    press(&mut app, &[key(']')]);
    assert_eq!(app.peer_view().tab, PeerTab::Timeline);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Timeline { peer, today } if peer == PeerId::new(1) && today == day("2026-11-23")
    ));
    press(&mut app, &[key('4')]);
    assert_eq!(app.peer_view().tab, PeerTab::Wellness);
    press(&mut app, &[key('[')]);
    assert_eq!(app.peer_view().tab, PeerTab::Timeline);
    assert!(
        plan_requests(&mut app)
            .iter()
            .any(|r| matches!(r, PlanRequest::Timeline { .. })),
        "the timeline asks again while it has no data"
    );
    press(&mut app, &[key('1')]);
    assert_eq!(app.peer_view().tab, PeerTab::Overview);
    // Esc still goes back to where the peer was opened from.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.pane(), Pane::Today);
}

#[test]
fn opening_another_peer_starts_on_the_overview_again() {
    let mut app = app_on_plan();
    press(
        &mut app,
        &[key('g'), code(KeyCode::Down), code(KeyCode::Enter)],
    );
    assert_eq!(app.peer().map(|p| p.id), Some(PeerId::new(2)));
    assert_eq!(app.peer_view().tab, PeerTab::Overview);
}

#[test]
fn arrows_walk_goals_and_steps_in_life_domain_order() {
    let mut app = app_on_plan();
    // Housing comes first among the domains.
    assert_eq!(selected(&app), Some(PlanRow::Goal(GoalId::new(1))));
    let mut seen = Vec::new();
    for _ in 0..7 {
        press(&mut app, &[code(KeyCode::Down)]);
        seen.push(selected(&app));
    }
    assert_eq!(
        seen,
        vec![
            Some(PlanRow::Step(GoalId::new(1), 0)),
            Some(PlanRow::Step(GoalId::new(1), 1)),
            Some(PlanRow::Step(GoalId::new(1), 2)),
            Some(PlanRow::Goal(GoalId::new(2))),
            Some(PlanRow::Step(GoalId::new(2), 0)),
            Some(PlanRow::Goal(GoalId::new(5))),
            Some(PlanRow::Goal(GoalId::new(3))),
        ],
        "housing, employment, education, recovery…"
    );
    press(&mut app, &[code(KeyCode::End)]);
    assert_eq!(selected(&app), Some(PlanRow::Goal(GoalId::new(4))));
    press(&mut app, &[code(KeyCode::Home)]);
    assert_eq!(selected(&app), Some(PlanRow::Goal(GoalId::new(1))));
}

#[test]
fn space_checks_off_the_selected_step_dated_today_and_again_unchecks() {
    let mut app = app_on_plan();
    // On a goal row nothing is sent.
    press(&mut app, &[key(' ')]);
    assert!(plan_requests(&mut app).is_empty());
    assert!(message(&app).contains("step"), "{}", message(&app));
    press(
        &mut app,
        &[code(KeyCode::Down), code(KeyCode::Down), key(' ')],
    );
    match one_plan_request(&mut app) {
        PlanRequest::Step {
            goal,
            index,
            expect,
            change,
            actor,
        } => {
            assert_eq!((goal, index), (GoalId::new(1), 1));
            assert_eq!(expect, "Fill in the \u{1b}[31mform");
            assert_eq!(change, StepChange::Toggle(day("2026-11-23")));
            assert_eq!(actor.staff, Some(caseload::model::StaffId::new(1)));
        }
        other => panic!("{other:?}"),
    }
    // The store's answer updates the plan in place and reloads the page.
    let mut g = goals().remove(0);
    g.data.toggle_step(1, day("2026-11-23"));
    app.on_response(plan_response(PlanResponse::Goal(Ok((
        Box::new(g),
        "Checked off step 2".into(),
    )))));
    let goals = &app
        .peer()
        .as_ref()
        .and_then(|p| p.detail.as_ref())
        .expect("d")
        .overview
        .goals;
    assert_eq!(goals[0].steps[1].done_on, Some(day("2026-11-23")));
    assert_eq!(
        selected(&app),
        Some(PlanRow::Step(GoalId::new(1), 1)),
        "selection kept"
    );
    let reqs = app.take_requests();
    assert!(reqs.iter().any(|r| matches!(r, Request::Peer(_))));
    assert!(
        reqs.iter().any(|r| matches!(r, Request::Today { .. })),
        "reviews may change"
    );
    // `x` does the same as space.
    press(&mut app, &[key('x')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Step {
            change: StepChange::Toggle(_),
            index: 1,
            ..
        }
    ));
}

#[test]
fn one_key_each_pauses_achieves_drops_and_reactivates() {
    let mut app = app_on_plan();
    for (k, want) in [
        ('P', GoalStatus::Paused),
        ('F', GoalStatus::Achieved),
        ('D', GoalStatus::Dropped),
    ] {
        press(&mut app, &[key(k)]);
        match one_plan_request(&mut app) {
            PlanRequest::Status {
                goal, status, on, ..
            } => {
                assert_eq!(
                    (goal, status, on),
                    (GoalId::new(1), want, day("2026-11-23"))
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // Reactivating an active goal asks nothing of the store.
    press(&mut app, &[key('R')]);
    assert!(plan_requests(&mut app).is_empty());
    assert!(
        message(&app).contains("already active"),
        "{}",
        message(&app)
    );
    // On a step row the keys act on its goal.
    press(&mut app, &[code(KeyCode::End), key('R')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Status { goal, status: GoalStatus::Active, .. } if goal == GoalId::new(4)
    ));
}

#[test]
fn adding_a_goal_sends_the_peers_words_and_selects_it_once_saved() {
    let mut app = app_on_plan();
    press(&mut app, &[key('a')]);
    let popup = app.popup().expect("goal form");
    assert_eq!(popup.purpose, Purpose::AddGoal(PeerId::new(1)));
    assert_eq!(popup.form.focus, 1, "the title is first to type");
    // The keys type, they do not act: `q` `P` are letters here.
    type_str(&mut app, "Quit smoking, Paul's way");
    assert!(!app.should_quit());
    // Back to the domain: the right arrow picks the next one.
    press(&mut app, &[code(KeyCode::BackTab), code(KeyCode::Right)]);
    press(
        &mut app,
        &[code(KeyCode::Tab), code(KeyCode::Tab), code(KeyCode::Tab)],
    );
    type_str(&mut app, "+30d");
    press(&mut app, &[ctrl('s')]);
    let req = one_plan_request(&mut app);
    let PlanRequest::AddGoal { goal, today, .. } = req else {
        panic!("{req:?}")
    };
    assert_eq!(goal.title, "Quit smoking, Paul's way");
    assert_eq!(goal.domain, LifeDomain::Employment);
    assert_eq!(goal.start_date, day("2026-11-23"));
    assert_eq!(goal.target_date, Some(day("2026-12-23")));
    assert_eq!(goal.next_review, None);
    assert_eq!(today, day("2026-11-23"));
    assert!(
        app.popup().is_some_and(|p| p.form.saving),
        "open until confirmed"
    );
    let mut saved = goal.clone();
    saved.peer = PeerId::new(1);
    app.on_response(plan_response(PlanResponse::Goal(Ok((
        Box::new(rec(9, saved)),
        "Added goal G9".into(),
    )))));
    assert!(app.popup().is_none());
    assert_eq!(selected(&app), Some(PlanRow::Goal(GoalId::new(9))));
    assert_eq!(message(&app), "Added goal G9");
}

#[test]
fn unreadable_dates_are_named_inline_and_nothing_is_sent() {
    let mut app = app_on_plan();
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Get a bike");
    press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_str(&mut app, "someday");
    press(&mut app, &[ctrl('s')]);
    assert!(plan_requests(&mut app).is_empty());
    let form = &app.popup().expect("kept").form;
    let target = form
        .fields
        .iter()
        .find(|f| f.label == "Target")
        .expect("field");
    assert!(
        target
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("target date: cannot read 'someday'")),
        "{:?}",
        target.error
    );
    assert_eq!(form.value(FieldKey::Title), "Get a bike", "typed text kept");
    assert_eq!(form.value(FieldKey::Target), "someday");
    assert!(
        message(&app).starts_with("Not saved: target date"),
        "{}",
        message(&app)
    );
}

#[test]
fn a_refused_save_lands_under_each_field_it_names_and_keeps_the_text() {
    let mut app = app_on_plan();
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Get a bike");
    press(&mut app, &[ctrl('s')]);
    let _ = app.take_requests();
    app.on_response(plan_response(PlanResponse::Goal(Err(field_failure(&[
        (
            "target date",
            "2026-10-01 is before the start date 2026-11-23",
        ),
        (
            "review date",
            "2026-11-01 is in the past (today is 2026-11-23)",
        ),
    ])))));
    let form = &app.popup().expect("form stays open").form;
    assert!(!form.saving);
    let err = |label: &str| {
        form.fields
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| f.error.clone())
            .unwrap_or_default()
    };
    assert!(
        err("Target").contains("before the start date"),
        "{}",
        err("Target")
    );
    assert!(
        err("Next review").contains("in the past"),
        "{}",
        err("Next review")
    );
    assert_eq!(form.value(FieldKey::Title), "Get a bike");
    assert_eq!(
        form.fields[form.focus].label, "Target",
        "focus on the first problem"
    );
}

#[test]
fn editing_a_goal_starts_from_its_values() {
    let mut app = app_on_plan();
    press(&mut app, &[key('e')]);
    let popup = app.popup().expect("form");
    assert_eq!(popup.purpose, Purpose::EditGoal(GoalId::new(1)));
    assert_eq!(popup.form.value(FieldKey::Title), "Get my own place");
    assert_eq!(popup.form.value(FieldKey::Start), "2026-09-01");
    assert_eq!(popup.form.value(FieldKey::Target), "2026-12-20");
    assert_eq!(popup.form.value(FieldKey::Review), "2026-11-20");
    assert!(!popup.form.is_dirty());
    // Typing replaces the selected title.
    type_str(&mut app, "Get my own flat");
    press(&mut app, &[ctrl('s')]);
    match one_plan_request(&mut app) {
        PlanRequest::EditGoal { goal, edit, .. } => {
            assert_eq!(goal, GoalId::new(1));
            assert_eq!(edit.title, "Get my own flat");
            assert_eq!(edit.domain, LifeDomain::Housing);
            assert_eq!(edit.start, day("2026-09-01"));
            assert_eq!(edit.target, Some(day("2026-12-20")));
            assert_eq!(
                edit.review,
                Some(day("2026-11-20")),
                "an old review date is kept as is"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn steps_are_added_edited_moved_and_deleted_after_a_yes() {
    let mut app = app_on_plan();
    // Add: n, type, Enter saves a one-field form.
    press(&mut app, &[key('n')]);
    type_str(&mut app, "Ask about the deposit");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::AddStep { goal, text, .. } if goal == GoalId::new(1) && text == "Ask about the deposit"
    ));
    app.take_layer::<caseload::ui::screens::popup::Popup>();
    // Edit the second step.
    press(
        &mut app,
        &[code(KeyCode::Down), code(KeyCode::Down), key('e')],
    );
    assert_eq!(
        app.popup()
            .map(|p| p.form.value(FieldKey::Step).to_string()),
        Some("Fill in the [31mform".to_string()),
        "the field holds the step, without its control character"
    );
    type_str(&mut app, "Fill in the housing form");
    press(&mut app, &[ctrl('s')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Step { index: 1, change: StepChange::Edit(t), .. } if t == "Fill in the housing form"
    ));
    app.take_layer::<caseload::ui::screens::popup::Popup>();
    // Move up with K, down with J; the selection follows the step.
    press(&mut app, &[key('K')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Step {
            index: 1,
            change: StepChange::MoveUp,
            ..
        }
    ));
    assert_eq!(selected(&app), Some(PlanRow::Step(GoalId::new(1), 0)));
    press(&mut app, &[key('K')]);
    assert!(plan_requests(&mut app).is_empty(), "already the first");
    press(&mut app, &[key('J')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Step {
            index: 0,
            change: StepChange::MoveDown,
            ..
        }
    ));
    // Delete asks first; no keeps it.
    press(&mut app, &[key('d')]);
    assert!(app
        .confirm()
        .is_some_and(|c| c.on_yes == OnYes::Delete && c.question.contains("Delete step 2")));
    press(&mut app, &[key('n')]);
    assert!(!app.overlay_open());
    assert!(plan_requests(&mut app).is_empty());
    press(&mut app, &[key('d'), key('y')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Step { index: 1, change: StepChange::Delete, ref expect, .. } if expect == "Fill in the \u{1b}[31mform"
    ));
    // Goals are not deleted.
    press(&mut app, &[code(KeyCode::Home), key('d')]);
    assert!(!app.overlay_open());
    assert!(
        message(&app).contains("drop it instead"),
        "{}",
        message(&app)
    );
}

#[test]
fn reviewing_records_today_a_note_and_the_next_date() {
    let mut app = app_on_plan();
    press(&mut app, &[key('V')]);
    let popup = app.popup().expect("review form");
    assert_eq!(popup.purpose, Purpose::Review(GoalId::new(1)));
    type_str(&mut app, "Viewed two flats");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(
        app.popup()
            .map(|p| p.form.value(FieldKey::Review).to_string()),
        Some("+30d".into())
    );
    press(&mut app, &[code(KeyCode::Enter)]);
    match one_plan_request(&mut app) {
        PlanRequest::Review {
            goal,
            on,
            note,
            next,
            ..
        } => {
            assert_eq!(goal, GoalId::new(1));
            assert_eq!(on, day("2026-11-23"));
            assert_eq!(note, "Viewed two flats");
            assert_eq!(next, Some(day("2026-12-23")));
        }
        other => panic!("{other:?}"),
    }
    // Achieved goals are not reviewed.
    app.take_layer::<caseload::ui::screens::popup::Popup>();
    press(&mut app, &[code(KeyCode::End), code(KeyCode::Up), key('V')]);
    assert!(app.popup().is_none());
    assert!(message(&app).contains("reactivate"), "{}", message(&app));
}

#[test]
fn from_todays_review_row_the_review_key_and_enter_reach_the_goal() {
    let mut app = app();
    let mut report = report();
    // In its section's place, after the re-engagement rows.
    report.rows.insert(
        4,
        caseload::model::today::TodayRow {
            section: caseload::model::today::Section::ReviewDue,
            peer: Some(PeerId::new(1)),
            name: "Ana Ruiz".into(),
            goal: Some(GoalId::new(2)),
            group: None,
            session: None,
            date: Some(day("2026-11-20")),
            days: Some(3),
            why: "review of goal G2 \"Find part-time work\" (employment) was due 3 days ago".into(),
        },
    );
    app.on_response(caseload::ui::worker::Response::Today(Ok(report)));
    // Select the review row (sorted into its section) and press V.
    let idx = app
        .today()
        .report
        .as_ref()
        .and_then(|r| r.rows.iter().position(|r| r.goal.is_some()))
        .expect("row");
    for _ in 0..idx {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('V')]);
    let popup = app.popup().expect("review form from Today");
    assert_eq!(popup.purpose, Purpose::Review(GoalId::new(2)));
    assert_eq!(popup.form.subject.as_deref(), Some("Ana Ruiz"));
    assert_eq!(popup.form.title, "Review goal G2 with {peer}");
    assert!(popup
        .form
        .intro
        .as_deref()
        .is_some_and(|i| i.starts_with("Reviewed today, 2026-11-23: review of goal G2")));
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(
        app.popup().is_none(),
        "an untouched form closes without asking"
    );
    // Enter opens the peer's plan at that goal.
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.pane(), Pane::Peer);
    assert_eq!(app.peer_view().tab, PeerTab::Plan);
    app.on_response(caseload::ui::worker::Response::Peer(
        PeerId::new(1),
        Ok(Box::new(detail())),
    ));
    assert_eq!(selected(&app), Some(PlanRow::Goal(GoalId::new(2))));
    press(&mut app, &[code(KeyCode::Down)]);
    assert_eq!(
        selected(&app),
        Some(PlanRow::Step(GoalId::new(2), 0)),
        "moves on from there"
    );
    // On any other Today row the review key says where to go.
    press(&mut app, &[key('g'), code(KeyCode::End), key('V')]);
    assert!(app.popup().is_none());
    assert!(
        message(&app).contains("Goal reviews due"),
        "{}",
        message(&app)
    );
}

#[test]
fn a_dirty_form_asks_before_closing_or_quitting() {
    let mut app = app_on_plan();
    press(&mut app, &[key('a')]);
    type_str(&mut app, "x");
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app
        .confirm()
        .is_some_and(|c| c.on_yes == OnYes::DiscardPopup));
    press(&mut app, &[key('n')]);
    assert!(app.popup().is_some(), "no keeps editing");
    press(&mut app, &[ctrl('c')]);
    assert!(app
        .confirm()
        .is_some_and(|c| c.on_yes == OnYes::QuitUnsaved));
    press(&mut app, &[key('n')]);
    assert!(!app.should_quit());
    // Global jumps wait while a form is open.
    press(&mut app, &[code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    app.update(Action::GoToday);
    assert_eq!(app.pane(), Pane::Peer);
    press(&mut app, &[code(KeyCode::Esc), key('y')]);
    assert!(app.popup().is_none());
    press(&mut app, &[key('q')]);
    assert!(app.should_quit());
}

#[test]
fn a_stale_step_is_reported_and_the_page_reloaded() {
    let mut app = app_on_plan();
    press(&mut app, &[code(KeyCode::Down), key(' ')]);
    let _ = app.take_requests();
    app.on_response(plan_response(PlanResponse::Goal(Err(
        "step 1 of goal G1 was changed by someone else meanwhile; nothing was saved".into(),
    ))));
    assert!(app.status().message.as_ref().is_some_and(|m| m.error));
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Peer(p) if *p == PeerId::new(1))));
}

#[test]
fn wellness_entries_are_added_edited_moved_and_deleted() {
    let mut app = app_on_peer_with(detail());
    press(&mut app, &[key('4')]);
    assert_eq!(
        app.peer_view().wellness.selected,
        WellnessRow::Section(WellnessSection::DailyMaintenance)
    );
    // Add to an empty list from its heading.
    for _ in 0..5 {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    assert_eq!(
        app.peer_view().wellness.selected,
        WellnessRow::Section(WellnessSection::EarlyWarningSigns)
    );
    press(&mut app, &[key('a')]);
    assert_eq!(
        app.popup().map(|p| p.purpose.clone()),
        Some(Purpose::AddEntry(
            PeerId::new(1),
            WellnessSection::EarlyWarningSigns
        ))
    );
    type_str(&mut app, "Sleeping all day");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Wellness { section: WellnessSection::EarlyWarningSigns, change: EntryChange::Add(ref t), .. } if t == "Sleeping all day"
    ));
    let mut peer = detail().overview.peer;
    peer.data
        .wellness_plan
        .early_warning_signs
        .push("Sleeping all day".into());
    app.on_response(plan_response(PlanResponse::Peer(
        PeerId::new(1),
        Ok((Box::new(peer), "Added".into())),
    )));
    assert!(app.popup().is_none());
    assert_eq!(
        app.peer().and_then(|p| p.detail.as_ref()).map(|d| d
            .overview
            .peer
            .wellness_plan
            .early_warning_signs
            .len()),
        Some(1),
        "patched in place"
    );
    // Edit, move and delete the second daily entry.
    press(
        &mut app,
        &[
            code(KeyCode::Home),
            code(KeyCode::Down),
            code(KeyCode::Down),
            key('e'),
        ],
    );
    assert_eq!(
        app.popup()
            .map(|p| p.form.value(FieldKey::Entry).to_string()),
        Some("Coffee with Sam".into())
    );
    type_str(&mut app, "Coffee with Sam on Fridays");
    press(&mut app, &[ctrl('s')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Wellness { change: EntryChange::Edit { index: 1, ref expect, ref text }, .. } if expect == "Coffee with Sam" && text == "Coffee with Sam on Fridays"
    ));
    app.take_layer::<caseload::ui::screens::popup::Popup>();
    press(&mut app, &[key('K')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Wellness {
            change: EntryChange::Move {
                index: 1,
                up: true,
                ..
            },
            ..
        }
    ));
    assert_eq!(
        app.peer_view().wellness.selected,
        WellnessRow::Entry(WellnessSection::DailyMaintenance, 0)
    );
    press(&mut app, &[key('d')]);
    assert!(app
        .confirm()
        .is_some_and(|c| c.question.contains("Walk the dog")));
    press(&mut app, &[key('y')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Wellness { change: EntryChange::Delete { index: 0, ref expect }, .. } if expect == "Walk the dog"
    ));
    // On a heading, edit says where to go.
    press(&mut app, &[code(KeyCode::Home), key('e')]);
    assert!(app.popup().is_none());
    assert!(message(&app).contains("entry"));
}

#[test]
fn the_timeline_zooms_scrolls_and_comes_back_to_today() {
    let mut app = app_on_timeline();
    let tl = &app.peer_view().timeline;
    assert_eq!((tl.zoom, tl.shift, tl.days_per_column()), (2, 0, 7));
    press(&mut app, &[key('+')]);
    assert_eq!(app.peer_view().timeline.days_per_column(), 3);
    press(&mut app, &[key('+'), key('+')]);
    assert_eq!(
        app.peer_view().timeline.days_per_column(),
        1,
        "stops at days"
    );
    press(
        &mut app,
        &[key('-'), key('-'), key('-'), key('-'), key('-')],
    );
    assert_eq!(
        app.peer_view().timeline.days_per_column(),
        30,
        "stops at months"
    );
    press(&mut app, &[code(KeyCode::Left), code(KeyCode::Left)]);
    assert!(app.peer_view().timeline.shift < 0);
    press(
        &mut app,
        &[
            code(KeyCode::Right),
            code(KeyCode::Right),
            code(KeyCode::Right),
        ],
    );
    assert!(app.peer_view().timeline.shift > 0);
    press(&mut app, &[key('t')]);
    assert_eq!(app.peer_view().timeline.shift, 0);
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Down)]);
    assert_eq!(app.peer_view().timeline.cursor.selected, 2);
    press(&mut app, &[code(KeyCode::End)]);
    assert_eq!(app.peer_view().timeline.cursor.selected, 4);
    // A check-in saved for this peer reloads the timeline.
    let c =
        caseload::model::CheckIn::new(PeerId::new(1), caseload::model::StaffId::new(1), clock());
    app.on_response(caseload::ui::worker::Response::Saved(Ok(rec(40, c))));
    assert!(plan_requests(&mut app)
        .iter()
        .any(|r| matches!(r, PlanRequest::Timeline { .. })));
}

#[test]
fn the_vim_keymap_reaches_the_same_actions() {
    let k = Keymap::from_layers(&[("default", DEFAULT_TOML), ("vim", VIM_TOML)]);
    assert!(k.problems.is_empty(), "{:?}", k.problems);
    let mut app = app_with(k);
    press(&mut app, &[code(KeyCode::Enter)]);
    app.on_response(caseload::ui::worker::Response::Peer(
        PeerId::new(1),
        Ok(Box::new(detail())),
    ));
    press(&mut app, &[key('2'), key('j'), key('x')]);
    assert!(matches!(
        one_plan_request(&mut app),
        PlanRequest::Step { index: 0, .. }
    ));
    press(&mut app, &[key('3')]);
    let _ = app.take_requests();
    app.on_response(plan_response(PlanResponse::Timeline(
        PeerId::new(1),
        Ok(Box::new(timeline_data())),
    )));
    press(&mut app, &[key('h')]);
    assert!(
        app.peer_view().timeline.shift < 0,
        "h is earlier on the timeline"
    );
    press(&mut app, &[key('l'), key('l')]);
    assert!(app.peer_view().timeline.shift > 0);
    press(&mut app, &[key('g'), key('r')]);
    assert_eq!(app.pane(), Pane::Groups);
}
