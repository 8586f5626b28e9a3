//! The plan and groups screens driven against a real store through the
//! worker's request handler: what is typed lands on disk, and the four
//! kinds of bad input (a target before the start, a review date in the
//! past, a duplicate attendee, an unknown weekday) are named inline, keep
//! the typed text and save nothing at all.

mod ui_common;

use caseload::ui::widgets::form::FieldKey;

use caseload::model::{
    Actor, CheckIn, Goal, GoalStatus, Group, LifeDomain, Peer, PeerId, Role, Staff, Step,
};
use caseload::ops::groups::attend;
use caseload::store::{SledStore, Store};
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::screens::groups::GroupsMode;
use caseload::ui::theme::Theme;
use caseload::ui::worker::handle;
use chrono::{NaiveTime, Weekday};
use crossterm::event::KeyCode;
use ui_common::{clock, code, ctrl, day, key, press, type_str};

struct World {
    _dir: tempfile::TempDir,
    store: SledStore,
    ana: PeerId,
    dana: PeerId,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SledStore::open(&dir.path().join("store")).expect("open store");
    let actor = Actor::login("setup");
    store
        .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &actor)
        .expect("staff");
    let ana = store
        .create_peer(Peer::new("Ana Ruiz", day("2026-01-05")), &actor)
        .expect("peer")
        .id;
    let dana = store
        .create_peer(Peer::new("Dana Ortiz", day("2026-02-05")), &actor)
        .expect("peer")
        .id;
    let mut g = Goal::new(
        ana,
        LifeDomain::Housing,
        "Get my own place",
        day("2026-09-01"),
    );
    g.next_review = Some(day("2026-11-20"));
    g.steps = vec![
        Step {
            text: "Call the housing office".into(),
            done_on: None,
        },
        Step {
            text: "Fill in the form".into(),
            done_on: None,
        },
    ];
    let g = store.create_goal(g, &actor).expect("goal");
    let mut c = CheckIn::new(
        ana,
        caseload::model::StaffId::new(1),
        clock() - chrono::Duration::days(7),
    );
    c.goals = vec![g.id];
    c.wellbeing = Some(4);
    store.create_checkin(c, &actor).expect("check-in");
    let mut group = Group::new(
        "Monday art group",
        Weekday::Mon,
        NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
    );
    group.location = "Art room".into();
    store.create_group(group, &actor).expect("group");
    World {
        _dir: dir,
        store,
        ana,
        dana,
    }
}

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

/// The app (as JR, on Monday 2026-11-23) on Ana's page, tab `tab`.
fn on_ana(w: &World, tab: char) -> App {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: Some("JR".into()),
            theme: Theme::mono(),
            clock,
        },
    );
    pump(&mut app, &w.store);
    press(&mut app, &[key('/')]);
    type_str(&mut app, "ana ruiz");
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &w.store);
    assert_eq!(app.peer().map(|p| p.id), Some(w.ana));
    press(&mut app, &[key(tab)]);
    pump(&mut app, &w.store);
    app
}

fn field_error(app: &App, label: &str) -> String {
    app.popup()
        .and_then(|p| p.form.fields.iter().find(|f| f.label == label))
        .and_then(|f| f.error.clone())
        .unwrap_or_default()
}

#[test]
fn checking_off_a_step_and_pausing_a_goal_are_dated_today_on_disk() {
    let w = world();
    let mut app = on_ana(&w, '2');
    press(&mut app, &[code(KeyCode::Down), key(' ')]);
    pump(&mut app, &w.store);
    let g = &w.store.goals_for_peer(w.ana).expect("goals")[0];
    assert_eq!(g.steps[0].done_on, Some(day("2026-11-23")));
    assert!(app
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.text.starts_with("Checked off step 1 of G1")));
    press(&mut app, &[key(' ')]);
    pump(&mut app, &w.store);
    assert_eq!(
        w.store.goals_for_peer(w.ana).expect("goals")[0].steps[0].done_on,
        None,
        "same key un-checks"
    );
    press(&mut app, &[key('P')]);
    pump(&mut app, &w.store);
    let g = &w.store.goals_for_peer(w.ana).expect("goals")[0];
    assert_eq!(g.status, GoalStatus::Paused);
    let last = g.history.last().expect("history");
    assert_eq!(
        (last.on, last.from, last.to),
        (
            day("2026-11-23"),
            Some(GoalStatus::Active),
            GoalStatus::Paused
        )
    );
    assert_eq!(last.by, Some(caseload::model::StaffId::new(1)));
    // The plan on screen follows.
    let shown = &app
        .peer()
        .as_ref()
        .and_then(|p| p.detail.as_ref())
        .expect("d")
        .overview
        .goals[0];
    assert_eq!(shown.status, GoalStatus::Paused);
}

#[test]
fn a_target_before_the_start_is_named_and_no_goal_is_saved() {
    let w = world();
    let mut app = on_ana(&w, '2');
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Start a course");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "2026-11-01");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "2026-10-01");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    assert_eq!(
        field_error(&app, "Target"),
        "target date: 2026-10-01 is before the start date 2026-11-01"
    );
    let form = &app.popup().expect("still open").form;
    assert_eq!(form.value(FieldKey::Title), "Start a course");
    assert_eq!(form.value(FieldKey::Target), "2026-10-01");
    assert_eq!(
        w.store.goals_for_peer(w.ana).expect("goals").len(),
        1,
        "nothing saved"
    );
    // Fixing the target saves it.
    press(&mut app, &[code(KeyCode::BackTab), code(KeyCode::Tab)]);
    type_str(&mut app, "+90d");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    assert!(app.popup().is_none());
    let goals = w.store.goals_for_peer(w.ana).expect("goals");
    assert_eq!(goals.len(), 2);
    assert_eq!(goals[1].title, "Start a course");
    assert_eq!(goals[1].target_date, Some(day("2027-02-21")));
}

#[test]
fn a_review_date_in_the_past_is_named_and_the_review_not_recorded() {
    let w = world();
    let mut app = on_ana(&w, '2');
    press(&mut app, &[key('V')]);
    type_str(&mut app, "Saw two flats");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "2026-11-01");
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &w.store);
    assert_eq!(
        field_error(&app, "Next review"),
        "review date: 2026-11-01 is in the past (today is 2026-11-23)"
    );
    let form = &app.popup().expect("still open").form;
    assert_eq!(
        form.value(FieldKey::ReviewNote),
        "Saw two flats",
        "note kept"
    );
    let g = &w.store.goals_for_peer(w.ana).expect("goals")[0];
    assert!(g.reviews.is_empty(), "no half-saved review");
    assert_eq!(g.next_review, Some(day("2026-11-20")));
    // Editing the goal's review date into the past is refused the same way.
    press(&mut app, &[code(KeyCode::Esc), key('y'), key('e')]);
    press(&mut app, &[code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    type_str(&mut app, "yesterday");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    assert!(
        field_error(&app, "Next review").starts_with("review date: 2026-11-22 is in the past"),
        "{}",
        field_error(&app, "Next review")
    );
    // A good date records the review and moves the next one.
    press(&mut app, &[code(KeyCode::Esc), key('y'), key('V')]);
    type_str(&mut app, "Saw two flats");
    press(&mut app, &[code(KeyCode::Enter), code(KeyCode::Enter)]);
    pump(&mut app, &w.store);
    let g = &w.store.goals_for_peer(w.ana).expect("goals")[0];
    assert_eq!(g.reviews.len(), 1);
    assert_eq!(g.reviews[0].on, day("2026-11-23"));
    assert_eq!(g.reviews[0].note, "Saw two flats");
    assert_eq!(g.next_review, Some(day("2026-12-23")));
}

#[test]
fn a_duplicate_attendee_refuses_the_whole_save_and_nothing_is_half_saved() {
    let w = world();
    let mut app = on_ana(&w, '1');
    press(&mut app, &[key('G')]);
    pump(&mut app, &w.store);
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &w.store);
    assert_eq!(app.groups().mode, GroupsMode::Attendance);
    type_str(&mut app, "ana");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "dana");
    press(&mut app, &[code(KeyCode::Enter), code(KeyCode::Tab)]);
    type_str(&mut app, "Collage");
    // Another terminal checks Ana off first.
    let group = w.store.list_groups().expect("groups").remove(0);
    attend(
        &w.store,
        &Actor::login("other"),
        &group,
        day("2026-11-23"),
        &[w.ana],
    )
    .expect("other terminal");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    let s = app.groups().attendance.as_ref().expect("kept open");
    assert!(
        s.errors.iter().any(|(f, m)| f == "attendees"
            && m.starts_with("attendees: Ana Ruiz (P1) is already checked off for Monday art group on 2026-11-23")),
        "{:?}",
        s.errors
    );
    assert_eq!(
        s.attending,
        vec![w.ana, w.dana],
        "what was checked stays checked"
    );
    assert_eq!(s.topic.text(), "Collage");
    let stored = w.store.sessions_on(day("2026-11-23")).expect("sessions");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].attendees, vec![w.ana], "Dana not half-saved");
    assert_eq!(stored[0].topic, "", "topic not half-saved");
    // Taking Ana off here (she is already recorded) lets the rest save.
    press(&mut app, &[code(KeyCode::BackTab)]);
    type_str(&mut app, "ana");
    press(&mut app, &[code(KeyCode::Enter), ctrl('s')]);
    pump(&mut app, &w.store);
    let stored = w.store.sessions_on(day("2026-11-23")).expect("sessions");
    assert_eq!(stored[0].attendees, vec![w.ana, w.dana]);
    assert_eq!(stored[0].topic, "Collage");
    // The saved session is what the screen shows now, Ana included.
    let s = app.groups().attendance.as_ref().expect("open");
    assert_eq!(s.attending, vec![w.ana, w.dana]);
    assert!(!s.is_dirty());
    // The peer page's attendance summary follows.
    let sessions = &app
        .peer()
        .as_ref()
        .and_then(|p| p.detail.as_ref())
        .expect("d")
        .overview
        .sessions;
    assert_eq!(sessions.len(), 1);
}

#[test]
fn an_unknown_weekday_is_named_and_no_group_is_saved() {
    let w = world();
    let mut app = on_ana(&w, '1');
    press(&mut app, &[key('G')]);
    pump(&mut app, &w.store);
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Sunday circle");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Funday");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "10:00");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    assert_eq!(
        field_error(&app, "Weekday"),
        "weekday: 'Funday' is not a day of the week (monday … sunday, or mon … sun)"
    );
    assert_eq!(
        app.popup()
            .map(|p| p.form.value(FieldKey::GroupName).to_string()),
        Some("Sunday circle".into())
    );
    assert_eq!(
        w.store.list_groups().expect("groups").len(),
        1,
        "nothing saved"
    );
    // An empty name is named by the store's own rule, once the day is right.
    press(&mut app, &[code(KeyCode::BackTab)]);
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "sunday");
    press(
        &mut app,
        &[code(KeyCode::Tab), code(KeyCode::Tab), code(KeyCode::Tab)],
    );
    type_str(&mut app, "Nobody Known");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    assert!(
        field_error(&app, "Facilitator").starts_with("facilitator: no staff member matches"),
        "{}",
        field_error(&app, "Facilitator")
    );
    assert_eq!(w.store.list_groups().expect("groups").len(), 1);
    press(&mut app, &[code(KeyCode::Backspace)]);
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &w.store);
    let groups = w.store.list_groups().expect("groups");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[1].weekday, Weekday::Sun);
}

#[test]
fn wellness_entries_and_the_timeline_come_from_the_store() {
    let w = world();
    let mut app = on_ana(&w, '4');
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Walk the dog");
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &w.store);
    assert_eq!(
        w.store
            .peer(w.ana)
            .expect("peer")
            .wellness_plan
            .daily_maintenance,
        vec!["Walk the dog".to_string()]
    );
    // An empty entry is refused by name.
    press(&mut app, &[key('a'), code(KeyCode::Enter)]);
    pump(&mut app, &w.store);
    assert_eq!(field_error(&app, "Entry"), "entry: must not be empty");
    press(&mut app, &[code(KeyCode::Esc)]);
    press(&mut app, &[key('3')]);
    pump(&mut app, &w.store);
    let data = app
        .peer_view()
        .timeline
        .data
        .as_ref()
        .expect("timeline loaded");
    assert_eq!(data.goals.len(), 1);
    assert_eq!(
        data.touches.values().next().map(Vec::len),
        Some(1),
        "the check-in touched the goal"
    );
    assert_eq!(data.wellbeing, vec![(day("2026-11-16"), 4)]);
}
