//! The Groups screen as a state machine: the list, history, running a
//! session (fuzzy search, one key per peer, walk-ins, topic, note, save)
//! and adding a group, with the store requests each key makes.

mod plan_support;
mod ui_common;

use caseload::ui::widgets::form::FieldKey;

use caseload::ui::worker::Failure;

use caseload::model::{GroupId, PeerId};
use caseload::ui::app::{App, Pane};
use caseload::ui::screens::groups::GroupsMode;
use caseload::ui::screens::popup::Purpose;
use caseload::ui::widgets::confirm::OnYes;
use caseload::ui::worker::center::{CenterRequest, CenterResponse, DuplicateCheck};
use caseload::ui::worker::groups::{GroupsRequest, GroupsResponse};
use caseload::ui::worker::{Request, Response};
use chrono::{NaiveTime, Weekday};
use crossterm::event::KeyCode;
use plan_support::*;
use ui_common::*;

fn groups_requests(app: &mut App) -> Vec<GroupsRequest> {
    app.take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Groups(g) => Some(g),
            _ => None,
        })
        .collect()
}

fn message(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// On the Groups screen with the two fixture groups listed.
fn app_on_groups() -> App {
    let mut app = app();
    press(&mut app, &[key('G')]);
    assert_eq!(app.pane(), Pane::Groups);
    let reqs = groups_requests(&mut app);
    assert!(
        matches!(reqs.as_slice(), [GroupsRequest::List { today }] if *today == day("2026-11-23")),
        "{reqs:?}"
    );
    app.on_response(groups_response(GroupsResponse::List(Ok(group_rows()))));
    app
}

/// In the session of the Monday art group, attended so far by Dana (P2).
fn app_in_session() -> App {
    let mut app = app_on_groups();
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = groups_requests(&mut app);
    assert!(
        matches!(reqs.as_slice(), [GroupsRequest::Open { group, date, .. }] if *group == GroupId::new(1) && *date == day("2026-11-23")),
        "{reqs:?}"
    );
    let g = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let s = session(50, &g, "2026-11-23", &[2]);
    app.on_response(groups_response(GroupsResponse::Opened(Ok((g, s)))));
    assert_eq!(app.groups().mode, GroupsMode::Attendance);
    let _ = app.take_requests();
    app
}

fn attending(app: &App) -> Vec<u64> {
    app.groups()
        .attendance
        .as_ref()
        .expect("session")
        .attending
        .iter()
        .map(|p| p.raw())
        .collect()
}

#[test]
fn g_opens_groups_from_anywhere_and_a_today_group_row_comes_selected() {
    let mut app = app_on_groups();
    assert_eq!(
        app.groups().selected().map(|r| r.group.id),
        Some(GroupId::new(1))
    );
    // Groups joins the Tab cycle once opened.
    assert!(app.pane_labels().iter().any(|(l, _)| l == "Groups"));
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.pane(), Pane::Today);
    // From Today's "Groups today" row, G selects that group.
    let row = app
        .today()
        .report
        .as_ref()
        .and_then(|r| r.rows.iter().position(|r| r.peer.is_none()))
        .expect("group row");
    let mut report = report();
    report.rows[row].group = Some(GroupId::new(2));
    app.on_response(caseload::ui::worker::Response::Today(Ok(report)));
    for _ in 0..row {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('G')]);
    app.on_response(groups_response(GroupsResponse::List(Ok(group_rows()))));
    assert_eq!(
        app.groups().selected().map(|r| r.group.id),
        Some(GroupId::new(2))
    );
    // And from a peer's page too.
    press(
        &mut app,
        &[key('g'), code(KeyCode::Home), code(KeyCode::Enter)],
    );
    assert_eq!(app.pane(), Pane::Peer);
    press(&mut app, &[key('G')]);
    assert_eq!(app.pane(), Pane::Groups);
}

#[test]
fn typing_finds_a_peer_and_enter_checks_them_off_then_the_search_clears() {
    let mut app = app_in_session();
    assert_eq!(attending(&app), vec![2]);
    type_str(&mut app, "zo");
    let s = app.groups().attendance.as_ref().expect("session");
    assert_eq!(s.selected(), Some(PeerId::new(6)), "fuzzy: zo finds Zoë");
    assert_eq!(s.hits.len(), 1);
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(attending(&app), vec![2, 6]);
    let s = app.groups().attendance.as_ref().expect("session");
    assert!(s.query.is_empty(), "ready for the next name");
    assert_eq!(
        s.selected(),
        Some(PeerId::new(6)),
        "still on the peer just checked"
    );
    assert!(message(&app).contains("checked off"), "{}", message(&app));
    // Enter again takes them off; letters like q and c are typed, not acted on.
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(attending(&app), vec![2]);
    type_str(&mut app, "qc");
    assert!(!app.should_quit() && app.form().is_none());
    assert_eq!(
        app.groups()
            .attendance
            .as_ref()
            .map(|s| s.query.text().to_string()),
        Some("qc".into())
    );
    // Esc clears the search first, then leaves.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.groups().mode, GroupsMode::Attendance);
    assert!(app
        .groups()
        .attendance
        .as_ref()
        .is_some_and(|s| s.query.is_empty()));
}

#[test]
fn saving_sends_only_what_changed_with_topic_and_note() {
    let mut app = app_in_session();
    // Take Dana (P2) off, check Ana (P1) and 李伟 (P3) off.
    type_str(&mut app, "dana");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "ana ru");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "李");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app
        .groups()
        .attendance
        .as_ref()
        .is_some_and(|s| s.is_dirty()));
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Collage");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "Bring glue next week");
    press(&mut app, &[ctrl('s')]);
    let reqs = groups_requests(&mut app);
    match reqs.as_slice() {
        [GroupsRequest::Save {
            group,
            date,
            add,
            remove,
            walk_ins,
            topic,
            note,
            actor,
        }] => {
            assert!(walk_ins.is_empty(), "{walk_ins:?}");
            assert_eq!(*group, GroupId::new(1));
            assert_eq!(*date, day("2026-11-23"));
            assert_eq!(add, &vec![PeerId::new(1), PeerId::new(3)]);
            assert_eq!(remove, &vec![PeerId::new(2)]);
            assert_eq!(topic, "Collage");
            assert_eq!(note, "Bring glue next week");
            assert_eq!(actor.staff, Some(caseload::model::StaffId::new(1)));
        }
        other => panic!("{other:?}"),
    }
    assert!(app.groups().attendance.as_ref().is_some_and(|s| s.saving));
    // A second save waits for the first.
    press(&mut app, &[ctrl('s')]);
    assert!(groups_requests(&mut app).is_empty());
    let g = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let mut saved = session(50, &g, "2026-11-23", &[1, 3]);
    saved.data.topic = "Collage".into();
    saved.data.note = "Bring glue next week".into();
    app.on_response(groups_response(GroupsResponse::Saved(Ok(saved))));
    let s = app.groups().attendance.as_ref().expect("still open");
    assert!(!s.saving && !s.is_dirty());
    assert!(
        message(&app).starts_with("Saved attendance: 2 at Monday art group"),
        "{}",
        message(&app)
    );
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(r, Request::Today { .. })),
        "Today shows the count"
    );
    assert!(reqs
        .iter()
        .any(|r| matches!(r, Request::Groups(GroupsRequest::List { .. }))));
    // Now Esc leaves without asking.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.groups().mode, GroupsMode::List);
    assert!(!app.overlay_open());
}

#[test]
fn a_duplicate_attendee_refuses_the_save_inline_and_keeps_everything() {
    let mut app = app_in_session();
    type_str(&mut app, "ana ru");
    press(&mut app, &[code(KeyCode::Enter), code(KeyCode::Tab)]);
    type_str(&mut app, "Collage");
    press(&mut app, &[ctrl('s')]);
    let _ = app.take_requests();
    // As the store refuses it: a problem of the attendees field.
    app.on_response(groups_response(GroupsResponse::Saved(Err(Failure::field(
        "attendees",
        "Ana Ruiz (P1) is already checked off for Monday art group on 2026-11-23; nothing was saved",
    )))));
    let s = app.groups().attendance.as_ref().expect("kept");
    assert!(!s.saving);
    assert!(
        s.errors
            .iter()
            .any(|(f, m)| f == "attendees" && m.contains("already checked off")),
        "{:?}",
        s.errors
    );
    assert_eq!(attending(&app), vec![2, 1], "nothing dropped");
    assert_eq!(
        app.groups()
            .attendance
            .as_ref()
            .map(|s| s.topic.text().to_string()),
        Some("Collage".into())
    );
    assert!(app.status().message.as_ref().is_some_and(|m| m.error));
    // Taking them off (the other terminal recorded them) clears the problem.
    press(&mut app, &[code(KeyCode::BackTab)]);
    type_str(&mut app, "ana ru");
    press(&mut app, &[code(KeyCode::Enter)]);
    let s = app.groups().attendance.as_ref().expect("kept");
    assert!(s.errors.is_empty());
    assert_eq!(attending(&app), vec![2]);
}

#[test]
fn leaving_or_quitting_with_unsaved_attendance_asks_first() {
    let mut app = app_in_session();
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app
        .confirm()
        .is_some_and(|c| c.on_yes == OnYes::DiscardAttendance));
    press(&mut app, &[key('n')]);
    assert_eq!(app.groups().mode, GroupsMode::Attendance);
    press(&mut app, &[ctrl('c')]);
    assert!(app
        .confirm()
        .is_some_and(|c| c.on_yes == OnYes::QuitUnsaved));
    press(&mut app, &[key('n'), code(KeyCode::Esc), key('y')]);
    assert_eq!(app.groups().mode, GroupsMode::List);
    assert!(app.groups().attendance.is_none());
    assert!(!app.should_quit());
}

/// A save that failed after its walk-in joined the roster: the walk-in is
/// checked off as the peer they became, so saving again sends them as an
/// attendee and never as a second walk-in.
#[test]
fn a_walk_in_that_joined_in_a_failed_save_is_checked_off_as_the_peer() {
    let mut app = app_in_session();
    type_str(&mut app, "Robin Quinn");
    press(&mut app, &[ctrl('n'), code(KeyCode::Enter)]);
    app.take_requests();
    app.on_response(Response::Center(Box::new(CenterResponse::Duplicates(
        DuplicateCheck::WalkIn,
        Ok(Vec::new()),
    ))));
    assert_eq!(
        app.groups().attendance.as_ref().expect("session").walk_ins,
        vec!["Robin Quinn".to_string()]
    );
    press(&mut app, &[ctrl('s')]);
    assert_eq!(groups_requests(&mut app).len(), 1, "one save");
    let failure = Failure {
        message: "the session was changed elsewhere (Robin Quinn (P31) joined the roster before that and stays)".into(),
        problems: Vec::new(),
    };
    app.on_response(groups_response(GroupsResponse::SaveFailedWalkInsKept(
        failure,
        vec![("Robin Quinn".to_string(), PeerId::new(31))],
    )));
    let s = app.groups().attendance.as_ref().expect("still open");
    assert!(s.walk_ins.is_empty(), "{:?}", s.walk_ins);
    assert!(attending(&app).contains(&31), "{:?}", attending(&app));
    assert_eq!(s.name_of(PeerId::new(31)), "Robin Quinn");
    assert!(message(&app).contains("Not saved"), "{}", message(&app));
    press(&mut app, &[ctrl('s')]);
    let reqs = groups_requests(&mut app);
    assert!(
        matches!(reqs.as_slice(), [GroupsRequest::Save { add, walk_ins, .. }] if add.contains(&PeerId::new(31)) && walk_ins.is_empty()),
        "{reqs:?}"
    );
}

#[test]
fn a_walk_in_is_added_with_just_a_name_and_checked_off() {
    let mut app = app_in_session();
    type_str(&mut app, "Robin Q");
    press(&mut app, &[ctrl('n')]);
    let popup = app.popup().expect("walk-in form");
    assert_eq!(popup.purpose, Purpose::WalkIn);
    assert_eq!(
        popup.form.value(FieldKey::WalkInName),
        "Robin Q",
        "what was typed comes along"
    );
    press(&mut app, &[code(KeyCode::End)]);
    type_str(&mut app, "uinn");
    press(&mut app, &[code(KeyCode::Enter)]);
    // First the roster is asked whether they are there already (issue 11:
    // "… already exists: use her?"); nobody is, so the walk-in is checked
    // off here, by name: nothing is written until the session is saved.
    let check: Vec<Request> = app.take_requests();
    assert!(
        matches!(check.as_slice(), [Request::Center(CenterRequest::Duplicates { peer, purpose: DuplicateCheck::WalkIn })] if peer.display_name == "Robin Quinn"),
        "{check:?}"
    );
    app.on_response(Response::Center(Box::new(CenterResponse::Duplicates(
        DuplicateCheck::WalkIn,
        Ok(Vec::new()),
    ))));
    assert!(app.take_requests().is_empty(), "nothing written yet");
    assert!(app.popup().is_none());
    let s = app.groups().attendance.as_ref().expect("session");
    assert_eq!(s.walk_ins, vec!["Robin Quinn".to_string()]);
    assert_eq!(attending(&app), vec![2]);
    assert!(s.is_dirty(), "leaving now asks first");
    assert!(
        message(&app).contains("saving the session adds them to the roster"),
        "{}",
        message(&app)
    );
    // An empty name is refused under the field, without asking anyone.
    press(&mut app, &[ctrl('n'), code(KeyCode::Enter)]);
    assert!(app.take_requests().is_empty());
    let form = &app.popup().expect("kept").form;
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("walk-in name")),
        "{:?}",
        form.fields[0].error
    );
    // The same walk-in typed twice (case and accents folded) is refused.
    type_str(&mut app, "robin quínn");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.take_requests().is_empty());
    let form = &app.popup().expect("kept").form;
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("already checked off here as a walk-in")),
        "{:?}",
        form.fields[0].error
    );
    press(&mut app, &[code(KeyCode::Esc), key('y')]);
    assert!(app.popup().is_none());
    // Saving sends the walk-in with the attendance, in one request.
    press(&mut app, &[ctrl('s')]);
    let reqs = groups_requests(&mut app);
    assert!(
        matches!(reqs.as_slice(), [GroupsRequest::Save { add, walk_ins, .. }] if add.is_empty() && walk_ins == &vec!["Robin Quinn".to_string()]),
        "{reqs:?}"
    );
    // The save added them (P31) and checked them off last.
    let g = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let saved = session(50, &g, "2026-11-23", &[2, 31]);
    app.on_response(groups_response(GroupsResponse::Saved(Ok(saved))));
    assert_eq!(attending(&app), vec![2, 31]);
    let s = app.groups().attendance.as_ref().expect("session");
    assert_eq!(s.name_of(PeerId::new(31)), "Robin Quinn");
    assert!(s.walk_ins.is_empty() && !s.is_dirty());
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Roster)));
    assert!(
        message(&app).contains("1 walk-in joined the roster"),
        "{}",
        message(&app)
    );
}

#[test]
fn a_walk_in_can_be_taken_off_again_before_saving() {
    let mut app = app_in_session();
    type_str(&mut app, "Robin Quinn");
    press(&mut app, &[ctrl('n'), code(KeyCode::Enter)]);
    let _ = app.take_requests();
    app.on_response(Response::Center(Box::new(CenterResponse::Duplicates(
        DuplicateCheck::WalkIn,
        Ok(Vec::new()),
    ))));
    // Highlighted after being added: Enter takes them off the list again.
    press(&mut app, &[code(KeyCode::Enter)]);
    let s = app.groups().attendance.as_ref().expect("session");
    assert!(s.walk_ins.is_empty());
    assert!(!s.is_dirty(), "nothing left to save");
    assert!(
        message(&app).contains("Robin Quinn taken off the list"),
        "{}",
        message(&app)
    );
}

#[test]
fn history_lists_past_sessions_and_opens_one() {
    let mut app = app_on_groups();
    press(&mut app, &[code(KeyCode::Down), key('h')]);
    assert_eq!(app.groups().mode, GroupsMode::History(GroupId::new(2)));
    let reqs = groups_requests(&mut app);
    assert!(matches!(reqs.as_slice(), [GroupsRequest::History(g)] if *g == GroupId::new(2)));
    let g = group(2, "Tuesday WRAP group", Weekday::Tue, 14, "Room 2");
    let h = vec![
        session(9, &g, "2026-11-17", &[1, 2, 3]),
        session(8, &g, "2026-11-10", &[1]),
    ];
    app.on_response(groups_response(GroupsResponse::History(
        GroupId::new(2),
        Ok(h),
    )));
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    let reqs = groups_requests(&mut app);
    assert!(
        matches!(reqs.as_slice(), [GroupsRequest::Open { group, date, .. }] if *group == GroupId::new(2) && *date == day("2026-11-10")),
        "{reqs:?}"
    );
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.groups().mode, GroupsMode::List);
    // A history answer for another group is not shown.
    app.on_response(groups_response(GroupsResponse::History(
        GroupId::new(1),
        Ok(Vec::new()),
    )));
    assert!(app
        .groups()
        .history
        .as_ref()
        .is_some_and(|h| h.as_ref().is_ok_and(|v| v.len() == 2)));
}

#[test]
fn adding_a_group_reads_weekday_and_time_and_names_bad_ones() {
    let mut app = app_on_groups();
    press(&mut app, &[key('a')]);
    assert_eq!(
        app.popup().map(|p| p.purpose.clone()),
        Some(Purpose::AddGroup)
    );
    type_str(&mut app, "Sunday circle");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Funday");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "25:00");
    press(&mut app, &[ctrl('s')]);
    assert!(groups_requests(&mut app).is_empty(), "nothing sent");
    let form = &app.popup().expect("kept").form;
    let err = |l: &str| {
        form.fields
            .iter()
            .find(|f| f.label == l)
            .and_then(|f| f.error.clone())
            .unwrap_or_default()
    };
    assert!(
        err("Weekday").starts_with("weekday: 'Funday' is not a day of the week"),
        "{}",
        err("Weekday")
    );
    assert!(
        err("Time").starts_with("time: cannot read '25:00'"),
        "{}",
        err("Time")
    );
    assert_eq!(form.value(FieldKey::Weekday), "Funday", "typed text kept");
    assert_eq!(form.fields[form.focus].label, "Weekday");
    // Fixed, with a facilitator.
    type_str(&mut app, "sun");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "2:00pm");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Room 3");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "JR");
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = groups_requests(&mut app);
    match reqs.as_slice() {
        [GroupsRequest::AddGroup {
            group, facilitator, ..
        }] => {
            assert_eq!(group.name, "Sunday circle");
            assert_eq!(group.weekday, Weekday::Sun);
            assert_eq!(group.time, NaiveTime::from_hms_opt(14, 0, 0).expect("time"));
            assert_eq!(group.location, "Room 3");
            assert_eq!(facilitator.as_deref(), Some("JR"));
        }
        other => panic!("{other:?}"),
    }
    let added = group(3, "Sunday circle", Weekday::Sun, 14, "Room 3");
    app.on_response(groups_response(GroupsResponse::GroupAdded(Ok(
        added.clone()
    ))));
    assert!(app.popup().is_none());
    let mut rows = group_rows();
    rows.push(caseload::ops::groups::GroupRow {
        group: added,
        today: None,
        sessions: 0,
        last: None,
    });
    app.on_response(groups_response(GroupsResponse::List(Ok(rows))));
    assert_eq!(
        app.groups().selected().map(|r| r.group.id),
        Some(GroupId::new(3)),
        "the new group is selected"
    );
}

#[test]
fn a_session_that_cannot_be_opened_says_so_and_stays_on_the_list() {
    let mut app = app_on_groups();
    press(&mut app, &[code(KeyCode::Enter)]);
    let _ = app.take_requests();
    app.on_response(groups_response(GroupsResponse::Opened(Err(
        "no group GR1".into()
    ))));
    assert_eq!(app.groups().mode, GroupsMode::List);
    assert!(message(&app).contains("Could not open the session"));
}

#[test]
fn another_terminals_attendance_arrives_and_this_screens_changes_stay_on_top() {
    let mut app = app_in_session();
    type_str(&mut app, "ana ru");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(attending(&app), vec![2, 1]);
    // Someone saves the same session elsewhere: Li Wei (P3) and a topic.
    app.on_response(caseload::ui::worker::Response::Change(
        caseload::store::Change {
            kind: caseload::store::ChangeKind::Session,
            id: "GS50".into(),
        },
    ));
    let reqs = groups_requests(&mut app);
    assert!(
        reqs.iter().any(|r| matches!(r, GroupsRequest::Open { group, date, .. } if *group == GroupId::new(1) && *date == day("2026-11-23"))),
        "the open session is reloaded: {reqs:?}"
    );
    assert!(reqs.iter().any(|r| matches!(r, GroupsRequest::List { .. })));
    let g = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let mut stored = session(50, &g, "2026-11-23", &[2, 3]);
    stored.data.topic = "Hope".into();
    app.on_response(groups_response(GroupsResponse::Opened(Ok((g, stored)))));
    assert_eq!(app.groups().mode, GroupsMode::Attendance);
    assert_eq!(attending(&app), vec![2, 3, 1], "theirs, then this screen's");
    let s = app.groups().attendance.as_ref().expect("session");
    assert_eq!(
        s.topic.text(),
        "Hope",
        "an untouched topic follows the store"
    );
    assert_eq!(
        s.added(),
        vec![PeerId::new(1)],
        "only Ana is this screen's to save"
    );
    assert!(s.removed().is_empty());
    // A topic typed here is not overwritten by the next reload.
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Collage");
    let g = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let mut stored = session(50, &g, "2026-11-23", &[2, 3]);
    stored.data.topic = "Hope again".into();
    app.on_response(groups_response(GroupsResponse::Opened(Ok((g, stored)))));
    let s = app.groups().attendance.as_ref().expect("session");
    assert_eq!(s.topic.text(), "Collage");
}

#[test]
fn privacy_mode_keeps_names_out_of_the_status_line() {
    let mut app = app_in_session();
    press(&mut app, &[ctrl('p')]);
    type_str(&mut app, "zo");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(message(&app), "ZÅ checked off (not saved yet)");
    type_str(&mut app, "Robin Quinn");
    press(&mut app, &[ctrl('n'), code(KeyCode::Enter)]);
    let _ = app.take_requests();
    app.on_response(Response::Center(Box::new(CenterResponse::Duplicates(
        DuplicateCheck::WalkIn,
        Ok(Vec::new()),
    ))));
    assert!(
        message(&app).starts_with("Checked off RQ as a walk-in"),
        "{}",
        message(&app)
    );
}

#[test]
fn answers_nobody_here_asked_for_say_nothing() {
    // As after another staff member signed in at the lock screen: the
    // previous session's saves may still be answered.
    let mut app = app_on_groups();
    let before = message(&app);
    app.on_response(Response::Center(Box::new(CenterResponse::Duplicates(
        DuplicateCheck::WalkIn,
        Ok(Vec::new()),
    ))));
    app.on_response(groups_response(GroupsResponse::Saved(Err(field_failure(
        &[("attendees", "Ana Ruiz (P1) is already checked off")],
    )))));
    app.on_response(plan_response(
        caseload::ui::worker::plan::PlanResponse::Goal(Ok((
            Box::new(goals().remove(0)),
            "Checked off step 1 of G1 \"Get my own place\"".into(),
        ))),
    ));
    assert_eq!(message(&app), before);
    assert!(app.popup().is_none() && app.groups().attendance.is_none());
}
