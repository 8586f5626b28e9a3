//! The UI as a state machine: keys → actions → state, and requests to the
//! store worker, without a terminal.

mod ui_common;

use caseload::model::{CheckInMode, GoalId, LifeDomain, PeerId, StaffId};
use caseload::ui::app::Pane;
use caseload::ui::keymap::{Keymap, DEFAULT_TOML, VIM_TOML};
use caseload::ui::screens::checkin::{Field, Goals};
use caseload::ui::screens::peers::StatusFilter;
use caseload::ui::worker::{Request, Response};
use crossterm::event::KeyCode;
use ui_common::*;

fn saved_checkin(app: &mut caseload::ui::app::App) -> caseload::model::CheckIn {
    let reqs = app.take_requests();
    let found = reqs.into_iter().find_map(|r| match r {
        Request::SaveCheckIn { checkin, .. } => Some(checkin),
        _ => None,
    });
    found.expect("a save request")
}

fn record(
    c: caseload::model::CheckIn,
    id: u64,
) -> caseload::model::Record<caseload::model::CheckIn> {
    let actor = caseload::model::Actor::staff(StaffId::new(1), "test");
    caseload::model::Record {
        id: caseload::model::CheckInId::new(id),
        meta: caseload::model::Meta::created(chrono::Utc::now(), &actor),
        data: c,
    }
}

#[test]
fn arrows_move_through_today_rows_and_enter_opens_the_peer() {
    let mut app = app();
    assert_eq!(
        app.today().selected_peer().map(|p| p.0),
        Some(PeerId::new(1))
    );
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Down)]);
    assert_eq!(
        app.today().selected_peer().map(|p| p.1),
        Some("李伟".to_string())
    );
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.pane(), Pane::Peer);
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::OpenPeer { id, .. } if *id == PeerId::new(3))));
    // Esc goes back where we came from.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.pane(), Pane::Today);
    // End selects the last row; a group row does not open.
    press(
        &mut app,
        &[code(KeyCode::End), code(KeyCode::Up), code(KeyCode::Enter)],
    );
    assert_eq!(app.pane(), Pane::Today);
    assert!(app
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("group")));
}

#[test]
fn tab_cycles_panes_and_letters_jump() {
    let mut app = app();
    press(&mut app, &[code(KeyCode::Tab)]);
    assert_eq!(app.pane(), Pane::Peers);
    press(&mut app, &[code(KeyCode::Tab)]);
    assert_eq!(app.pane(), Pane::Today, "no peer open yet: two panes");
    press(&mut app, &[code(KeyCode::Enter), code(KeyCode::BackTab)]);
    assert_eq!(app.pane(), Pane::Peers);
    press(&mut app, &[key('g')]);
    assert_eq!(app.pane(), Pane::Today);
    press(&mut app, &[key('p')]);
    assert_eq!(app.pane(), Pane::Peers);
}

#[test]
fn search_filters_as_you_type_and_enter_opens_the_best_match() {
    let mut app = app();
    press(&mut app, &[key('/')]);
    assert_eq!(app.pane(), Pane::Peers);
    assert!(app.peers().searching);
    assert_eq!(app.peers().visible.len(), 5, "active peers only");
    type_str(&mut app, "ana");
    let names: Vec<&str> = app
        .peers()
        .visible
        .iter()
        .map(|&i| app.peers().roster[i].name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&"Ana Ruiz"), "{names:?}");
    assert!(names.contains(&"Dana Ortiz"));
    assert!(!names.contains(&"Zoë Ångström"));
    // Typed letters went into the search, not to the `g`/`q`/`c` bindings.
    type_str(&mut app, "q");
    assert!(!app.should_quit());
    assert!(app.peers().visible.is_empty());
    press(
        &mut app,
        &[
            code(KeyCode::Backspace),
            code(KeyCode::Down),
            code(KeyCode::Up),
        ],
    );
    // Moving in the list keeps the query: the next letters add to it.
    type_str(&mut app, " r");
    assert_eq!(app.peers().query.text(), "ana r");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.pane(), Pane::Peer);
    assert_eq!(app.peer().map(|p| p.id), Some(PeerId::new(1)));
}

#[test]
fn esc_clears_the_search_then_leaves_it() {
    let mut app = app();
    press(&mut app, &[key('/')]);
    type_str(&mut app, "zz");
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.peers().query.is_empty());
    assert_eq!(app.peers().visible.len(), 5);
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(!app.peers().searching);
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.pane(), Pane::Today);
}

#[test]
fn filters_and_sort_change_the_roster() {
    let mut app = app();
    press(&mut app, &[key('p'), key('s')]);
    assert_eq!(
        app.peers().status,
        StatusFilter::Only(caseload::model::PeerStatus::Inactive)
    );
    assert_eq!(app.peers().visible.len(), 1);
    press(&mut app, &[key('s'), key('s')]);
    assert_eq!(app.peers().status, StatusFilter::All);
    assert_eq!(app.peers().visible.len(), 6);
    press(&mut app, &[key('a')]);
    assert_eq!(app.peers().visible.len(), 4, "assigned to Jordan Reyes");
    press(&mut app, &[key('a'), key('a'), key('a')]);
    assert_eq!(app.peers().visible.len(), 6, "back to everyone");
    press(&mut app, &[key('o')]);
    let first = app.peers().visible[0];
    assert_eq!(
        app.peers().roster[first].name,
        EVIL,
        "never contacted comes first"
    );
}

#[test]
fn c_enter_picks_the_highlighted_peer_and_lands_in_the_note() {
    let mut app = app();
    press(&mut app, &[code(KeyCode::Down)]);
    press(&mut app, &[key('c')]);
    let form = app.form().expect("form open");
    assert_eq!(form.focus, Field::Peer);
    assert_eq!(form.picker.selected().map(|c| c.id), Some(PeerId::new(2)));
    press(&mut app, &[code(KeyCode::Enter)]);
    let form = app.form().expect("form open");
    assert_eq!(form.peer.as_ref().map(|p| p.0), Some(PeerId::new(2)));
    assert_eq!(form.focus, Field::Note);
    assert_eq!(form.goals, Goals::Loading);
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Goals(p) if *p == PeerId::new(2))));
}

#[test]
fn form_defaults_are_now_15_minutes_in_person_nothing_else() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    let form = app.form().expect("form open");
    assert_eq!(form.when.text(), "now");
    assert_eq!(form.minutes.text(), "15");
    assert_eq!(form.mode, CheckInMode::InPerson);
    assert!(form.support.is_empty());
    assert!(form.wellbeing.is_empty());
    assert!(form.follow_up.is_empty());
    assert!(!form.is_dirty());
    press(&mut app, &[ctrl('s')]);
    let c = saved_checkin(&mut app);
    assert_eq!(c.peer, PeerId::new(1));
    assert_eq!(c.staff, StaffId::new(1));
    assert_eq!(c.at, clock());
    assert_eq!(c.minutes, 15);
    assert_eq!(c.mode, CheckInMode::InPerson);
    assert!(c.support.is_empty() && c.goals.is_empty());
    assert_eq!((c.wellbeing, c.follow_up), (None, None));
}

#[test]
fn a_whole_check_in_through_the_fields() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    app.on_response(Response::Goals(
        PeerId::new(1),
        Ok(vec![
            goal(7, "Get my own apartment"),
            goal(8, "Walk every morning"),
        ]),
    ));
    // Printable keys type, even the ones bound globally (q, c, g, /).
    type_str(&mut app, "Quick chat: c/g?");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "second line");
    press(&mut app, &[code(KeyCode::Tab)]); // when
    press(&mut app, &[code(KeyCode::Tab)]); // minutes
    type_str(&mut app, "30");
    press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Right)]); // mode: phone
    press(
        &mut app,
        &[
            code(KeyCode::Tab),
            key(' '),
            code(KeyCode::Right),
            code(KeyCode::Right),
            key(' '),
        ],
    );
    press(
        &mut app,
        &[code(KeyCode::Tab), code(KeyCode::Down), key(' ')],
    ); // goals: second
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "4");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "+7d");
    assert!(app.form().is_some_and(|f| f.is_dirty()));
    press(&mut app, &[ctrl('s')]);
    assert!(
        app.form().is_some_and(|f| f.saving),
        "form stays until the store answers"
    );
    let c = saved_checkin(&mut app);
    assert_eq!(c.note, "Quick chat: c/g?\nsecond line");
    assert_eq!(c.minutes, 30);
    assert_eq!(c.mode, CheckInMode::Phone);
    assert_eq!(
        c.support,
        vec![
            caseload::model::SupportKind::Emotional,
            caseload::model::SupportKind::Instrumental
        ]
    );
    assert_eq!(c.goals, vec![GoalId::new(8)]);
    assert_eq!(c.wellbeing, Some(4));
    assert_eq!(c.follow_up, Some(day("2026-11-30")));
    // Keys while saving change nothing.
    type_str(&mut app, "zzz");
    assert_eq!(
        app.form().map(|f| f.follow_up.text().to_string()),
        Some("+7d".into())
    );

    // The confirmation comes only with the store's Ok; Today reloads.
    assert!(app.status().last_save.is_none());
    app.on_response(Response::Saved(Ok(record(c, 501))));
    assert!(app.form().is_none());
    let msg = app.status().message.clone().expect("a message");
    assert!(
        msg.text
            .starts_with("Saved check-in C501 with Ana Ruiz (P1)"),
        "{msg:?}"
    );
    assert!(app.status().last_save.is_some());
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(r, Request::Today { .. })),
        "{reqs:?}"
    );
}

fn goal(id: u64, title: &str) -> caseload::model::Record<caseload::model::Goal> {
    let actor = caseload::model::Actor::login("test");
    caseload::model::Record {
        id: GoalId::new(id),
        meta: caseload::model::Meta::created(chrono::Utc::now(), &actor),
        data: caseload::model::Goal::new(
            PeerId::new(1),
            LifeDomain::Housing,
            title,
            day("2026-01-01"),
        ),
    }
}

#[test]
fn bad_values_are_named_inline_and_nothing_is_lost() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "Kept note");
    // Tabbing into a field selects its default, so typing replaces it.
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "someday");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "0");
    press(
        &mut app,
        &[
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
        ],
    );
    type_str(&mut app, "9");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "blursday");
    press(&mut app, &[ctrl('s')]);
    assert!(!app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::SaveCheckIn { .. })));
    let form = app.form().expect("still open");
    assert!(!form.saving);
    let when = form.error_for(Field::When).unwrap_or_default();
    assert!(when.starts_with("when: cannot read 'someday'"), "{when}");
    let follow = form.error_for(Field::FollowUp).unwrap_or_default();
    assert!(
        follow.starts_with("follow-up: cannot read 'blursday' as a date"),
        "{follow}"
    );
    // Once "when" reads, the model names the out-of-range values.
    let mut app2 = app_after_fixing_when(app);
    let form = app2.form().expect("still open");
    assert!(
        form.error_for(Field::Minutes)
            .is_some_and(|e| e.starts_with("minutes: 0 is out of range")),
        "{:?}",
        form.errors
    );
    assert!(
        form.error_for(Field::Wellbeing)
            .is_some_and(|e| e.starts_with("wellbeing: 9 is out of range")),
        "{:?}",
        form.errors
    );
    assert_eq!(
        form.focus,
        Field::Minutes,
        "cursor goes to the first bad field"
    );
    assert_eq!(
        caseload::ui::widgets::input::area_text(&form.note),
        "Kept note"
    );
    assert!(app2
        .status()
        .message
        .as_ref()
        .is_some_and(|m| m.error && m.text.contains("minutes")));
    assert!(!app2
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::SaveCheckIn { .. })));
}

fn app_after_fixing_when(mut app: caseload::ui::app::App) -> caseload::ui::app::App {
    // Focus is on "when" (first error). Fix it and the follow-up.
    assert_eq!(app.form().map(|f| f.focus), Some(Field::When));
    type_str(&mut app, "9:15");
    press(&mut app, &[code(KeyCode::BackTab), code(KeyCode::BackTab)]); // note, peer... back to follow-up
    for _ in 0..8 {
        if app.form().map(|f| f.focus) == Some(Field::FollowUp) {
            break;
        }
        press(&mut app, &[code(KeyCode::Tab)]);
    }
    press(&mut app, &[code(KeyCode::Backspace)]);
    assert_eq!(
        app.form().map(|f| f.follow_up.text().to_string()),
        Some(String::new())
    );
    press(&mut app, &[ctrl('s')]);
    app
}

#[test]
fn a_store_refusal_keeps_the_form_and_says_why() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "Important words");
    press(&mut app, &[ctrl('s')]);
    let _ = saved_checkin(&mut app);
    app.on_response(Response::Saved(Err(
        "the store at /x could not be written or read: disk full".into(),
    )));
    let form = app.form().expect("form kept");
    assert!(!form.saving);
    assert_eq!(
        caseload::ui::widgets::input::area_text(&form.note),
        "Important words"
    );
    assert!(form
        .failure
        .as_deref()
        .is_some_and(|f| f.contains("disk full")));
    assert!(app.status().last_save.is_none());
    // It can be saved again.
    press(&mut app, &[ctrl('s')]);
    assert_eq!(saved_checkin(&mut app).note, "Important words");
}

#[test]
fn quit_asks_when_a_form_has_unsaved_text() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "q");
    assert!(!app.should_quit(), "q typed into the note");
    press(&mut app, &[ctrl('c')]);
    assert!(app.confirm().is_some());
    press(&mut app, &[key('n')]);
    assert!(!app.overlay_open());
    assert!(app.form().is_some());
    press(&mut app, &[ctrl('c'), key('y')]);
    assert!(app.should_quit());

    // Without unsaved text, q quits at once; Esc closes an untouched form.
    let mut app = ui_common::app();
    press(
        &mut app,
        &[key('c'), code(KeyCode::Enter), code(KeyCode::Esc)],
    );
    assert!(app.form().is_none());
    press(&mut app, &[key('q')]);
    assert!(app.should_quit());
}

#[test]
fn esc_on_a_dirty_form_asks_before_discarding() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "draft");
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.confirm().is_some());
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.form().is_some(), "Esc answers no");
    press(&mut app, &[code(KeyCode::Esc), key('y')]);
    assert!(app.form().is_none());
    assert!(!app.should_quit());
}

#[test]
fn quitting_during_a_save_waits_for_the_store() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "x");
    press(&mut app, &[ctrl('s')]);
    let c = saved_checkin(&mut app);
    press(&mut app, &[ctrl('c')]);
    assert!(!app.should_quit());
    app.on_response(Response::Saved(Ok(record(c, 9))));
    assert!(app.should_quit());
}

#[test]
fn help_overlay_opens_closes_and_scrolls() {
    let mut app = app();
    press(&mut app, &[key('?')]);
    assert!(app.help().is_some());
    // Scrolling goes by what the overlay showed, as after any key the
    // runtime draws.
    screen(&mut app, 80, 24);
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Down)]);
    assert!(app.help().is_some_and(|h| h.scroll.top == 2));
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(!app.overlay_open());
}

#[test]
fn vim_sequences_and_pending_prefix() {
    let mut app = app_with(Keymap::from_layers(&[("d", DEFAULT_TOML), ("v", VIM_TOML)]));
    press(&mut app, &[key('j'), key('j'), key('j')]);
    assert_eq!(app.today().cursor.selected, 3);
    press(&mut app, &[key('g')]);
    assert_eq!(app.pending_label().as_deref(), Some("g"));
    press(&mut app, &[key('g')]);
    assert_eq!(app.pending_label(), None);
    assert_eq!(app.today().cursor.selected, 0);
    press(&mut app, &[key('G')]);
    assert_eq!(app.today().cursor.selected, 5);
    // Esc cancels a pending prefix without going back.
    press(&mut app, &[key('g'), code(KeyCode::Esc)]);
    assert_eq!(app.pending_label(), None);
    press(&mut app, &[key('g'), key('p')]);
    assert_eq!(app.pane(), Pane::Peers);
    // In the search field, j and k type.
    press(&mut app, &[key('/')]);
    type_str(&mut app, "jk");
    assert_eq!(app.peers().query.text(), "jk");
    // The command line runs actions by name.
    press(
        &mut app,
        &[code(KeyCode::Esc), code(KeyCode::Esc), key(':')],
    );
    type_str(&mut app, "go-today");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.pane(), Pane::Today);
    press(&mut app, &[key(':')]);
    type_str(&mut app, "q");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.should_quit());
}

#[test]
fn paste_goes_into_the_note_without_control_characters() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    app.handle_paste("line one\r\nline \u{1b}[2Jtwo\u{202e}");
    let form = app.form().expect("form");
    assert_eq!(
        caseload::ui::widgets::input::area_text(&form.note),
        "line one\nline [2Jtwo"
    );
}

#[test]
fn toggle_mine_asks_for_my_peers_only() {
    let mut app = app();
    let _ = app.take_requests();
    press(&mut app, &[key('m')]);
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(
            |r| matches!(r, Request::Today { for_staff: Some(s), .. } if *s == StaffId::new(1))
        ),
        "{reqs:?}"
    );
}

#[test]
fn after_a_save_the_selection_stays_put_for_the_next_peer() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "done");
    press(&mut app, &[ctrl('s')]);
    let c = saved_checkin(&mut app);
    app.on_response(Response::Saved(Ok(record(c, 77))));
    // Today comes back with Ana moved to "Seen today".
    let mut r = report();
    let mut ana = r.rows.remove(0);
    ana.section = caseload::model::today::Section::SeenToday;
    r.rows.push(ana);
    app.on_response(Response::Today(Ok(r)));
    assert_eq!(
        app.today().selected_peer().map(|p| p.1),
        Some("Dana Ortiz".to_string()),
        "the next peer to contact is selected"
    );
    // A plain reload keeps the same row selected.
    press(&mut app, &[code(KeyCode::Down)]);
    let before = app.today().selected_peer();
    app.on_response(Response::Today(Ok(app
        .today()
        .report
        .clone()
        .expect("report"))));
    assert_eq!(app.today().selected_peer(), before);
}

#[test]
fn a_yes_does_only_what_was_asked() {
    // Another question over a dirty check-in form: yes answers it and
    // leaves the form (and its text) alone.
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "draft");
    app.push_layer(caseload::ui::widgets::confirm::Confirm {
        question: "Close the other form?".into(),
        on_yes: caseload::ui::widgets::confirm::OnYes::DiscardPopup,
    });
    assert_eq!(
        app.focus_context().0,
        &[caseload::ui::keymap::Context::Confirm]
    );
    press(&mut app, &[key('y')]);
    assert!(app.confirm().is_none(), "the question is answered");
    let form = app.form().expect("the check-in form stays open");
    assert!(form.is_dirty(), "with what was typed");
    // The form has the keyboard again.
    type_str(&mut app, "!");
    assert!(app
        .form()
        .is_some_and(|f| f.note.lines().join("\n").ends_with("draft!")));
}

#[test]
fn the_top_layer_has_the_keyboard_and_the_hints() {
    let mut app = app();
    press(&mut app, &[key('c')]);
    assert_eq!(app.layer_count(), 1);
    press(&mut app, &[code(KeyCode::F(1))]);
    assert_eq!(app.layer_count(), 2, "help over the form");
    let hints = app.hints().expect("help has hints");
    assert!(hints
        .iter()
        .any(|(a, _)| *a == caseload::ui::action::Action::Back));
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(
        app.help().is_none() && app.form().is_some(),
        "Esc closed help only"
    );
    let hints = app.hints().expect("form hints");
    assert!(hints
        .iter()
        .any(|(a, _)| *a == caseload::ui::action::Action::Save));
}

#[test]
fn a_store_refusal_naming_a_field_is_shown_under_it() {
    let mut app = app();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "Important words");
    press(&mut app, &[ctrl('s')]);
    let _ = saved_checkin(&mut app);
    let minutes = Field::Minutes.label();
    app.on_response(Response::Saved(Err(field_failure(&[(
        minutes,
        "must be at most 1440",
    )]))));
    let form = app.form().expect("form kept");
    assert!(!form.saving);
    assert_eq!(
        form.error_for(Field::Minutes),
        Some(format!("{minutes}: must be at most 1440").as_str())
    );
    assert_eq!(form.focus, Field::Minutes, "the field with the problem");
    assert!(form.failure.is_none(), "nothing left for the footer");
    assert_eq!(
        caseload::ui::widgets::input::area_text(&form.note),
        "Important words"
    );
}

#[test]
fn page_down_moves_by_the_rows_the_last_draw_showed() {
    let mut app = app();
    let many: Vec<_> = (1..=60)
        .map(|i| {
            let mut r = roster()[0].clone();
            r.id = PeerId::new(i);
            r.name = format!("Peer {i:02}");
            r
        })
        .collect();
    app.on_response(Response::Roster(Ok(many)));
    press(&mut app, &[key('p')]);
    assert_eq!(app.pane(), Pane::Peers);
    screen(&mut app, 80, 40);
    let tall = app.peers().cursor.view.rows();
    assert!(tall > 10, "{tall}");
    press(&mut app, &[code(KeyCode::PageDown)]);
    assert_eq!(app.peers().cursor.selected, tall - 1);
    // The window shrinks: the next page is the smaller screenful.
    screen(&mut app, 80, 16);
    let short = app.peers().cursor.view.rows();
    assert!(short < tall, "{short} < {tall}");
    press(&mut app, &[code(KeyCode::PageDown)]);
    assert_eq!(app.peers().cursor.selected, tall - 1 + short - 1);
    let shown = rows(&screen(&mut app, 80, 16)).join("\n");
    let name = format!("Peer {:02}", tall + short - 1);
    assert!(shown.contains(&name), "{name} on screen:\n{shown}");
}

#[test]
fn a_long_roster_shows_a_scrollbar_and_a_short_one_does_not() {
    let mut app = app();
    press(&mut app, &[key('p')]);
    let short = rows(&screen(&mut app, 80, 24));
    assert!(
        !short.iter().any(|r| r.ends_with('█')),
        "six peers fit:\n{}",
        short.join("\n")
    );
    let many: Vec<_> = (1..=60)
        .map(|i| {
            let mut r = roster()[0].clone();
            r.id = PeerId::new(i);
            r.name = format!("Peer {i:02}");
            r
        })
        .collect();
    app.on_response(Response::Roster(Ok(many)));
    let long = rows(&screen(&mut app, 80, 24));
    let thumb = long.iter().position(|r| r.ends_with('█'));
    assert!(thumb.is_some(), "sixty do not:\n{}", long.join("\n"));
    press(&mut app, &[code(KeyCode::End)]);
    let end = rows(&screen(&mut app, 80, 24));
    let last_thumb = end.iter().rposition(|r| r.ends_with('█'));
    assert!(
        last_thumb > thumb,
        "the thumb moves down at the end:\n{}",
        end.join("\n")
    );
}

/// How many of the queued requests are like this.
fn count(reqs: &[Request], like: impl Fn(&Request) -> bool) -> usize {
    reqs.iter().filter(|r| like(r)).count()
}

/// Today, the roster and the open page of `peer` are each asked for
/// exactly once in `reqs`.
fn assert_today_roster_and_page_reloaded_once(reqs: &[Request], peer: PeerId) {
    assert_eq!(
        count(reqs, |r| matches!(r, Request::Today { .. })),
        1,
        "{reqs:?}"
    );
    assert_eq!(count(reqs, |r| matches!(r, Request::Roster)), 1, "{reqs:?}");
    assert_eq!(
        count(reqs, |r| matches!(r, Request::Peer(p) if *p == peer)),
        1,
        "{reqs:?}"
    );
}

#[test]
fn a_saved_check_in_reloads_today_the_roster_and_the_open_page_once_each() {
    // Features tell each other by notices the app delivers: the check-in
    // feature never reaches into Today, Peers or the peer page, and each
    // of them loads again exactly once.
    let mut app = app();
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.pane(), Pane::Peer);
    let peer = app.peer().map(|p| p.id).expect("a peer page");
    let _ = app.take_requests();
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    type_str(&mut app, "talked");
    press(&mut app, &[ctrl('s')]);
    let c = saved_checkin(&mut app);
    assert_eq!(c.peer, peer, "the check-in is for the open page's peer");
    app.on_response(Response::Saved(Ok(record(c, 78))));
    assert!(app.form().is_none(), "the form closes once saved");
    let reqs = app.take_requests();
    assert_today_roster_and_page_reloaded_once(&reqs, peer);
}

#[test]
fn refresh_reloads_what_is_shown_once_each() {
    let mut app = app();
    press(&mut app, &[code(KeyCode::Enter)]);
    let peer = app.peer().map(|p| p.id).expect("a peer page");
    let _ = app.take_requests();
    press(&mut app, &[key('r')]);
    let reqs = app.take_requests();
    assert_today_roster_and_page_reloaded_once(&reqs, peer);
    assert_eq!(
        app.status().message.as_ref().map(|m| m.text.as_str()),
        Some("reloading…")
    );
}

/// A roster long enough to be prepared for searching off the UI thread.
fn long_roster() -> Vec<caseload::ui::worker::RosterRow> {
    let n = caseload::ui::screens::peers::INDEX_IN_BACKGROUND_FROM + 4;
    (1..=n)
        .map(|i| {
            let mut r = roster()[0].clone();
            r.id = PeerId::new(i as u64);
            r.name = if i == n {
                "Zebulon Quartz".into()
            } else {
                format!("Peer {i:05}")
            };
            r.keys.id = format!("P{i}");
            r
        })
        .collect()
}

#[test]
fn a_long_roster_is_listed_at_once_and_searched_once_its_index_arrives() {
    let mut app = app();
    app.run_jobs_here();
    press(&mut app, &[key('/')]);
    assert_eq!(app.pane(), Pane::Peers);
    app.on_response(Response::Roster(Ok(long_roster())));
    // Before: listed as the rows came, the search being prepared.
    assert!(app.peers().indexing());
    assert_eq!(app.peers().visible.len(), app.peers().roster.len());
    let shown = rows(&screen(&mut app, 120, 24)).join("\n");
    assert!(shown.contains("preparing the search…"), "{shown}");
    assert!(shown.contains("Peer 00001"), "the list is usable:\n{shown}");
    // During: the typing is taken and kept, nothing searched yet.
    type_str(&mut app, "zeb");
    assert_eq!(app.peers().query.text(), "zeb");
    assert_eq!(app.peers().visible.len(), app.peers().roster.len());
    // After: the prepared index (then the first-character tables) arrive
    // and what was typed applies.
    app.run_jobs_here();
    assert!(!app.peers().indexing());
    assert!(app.peers().search_index().has_first_chars());
    let p = app.peers();
    assert_eq!(p.visible.len(), 1, "{:?}", p.visible);
    assert_eq!(p.roster[p.visible[0]].name, "Zebulon Quartz");
    assert_eq!(p.cursor.selected, 0);
    let shown = rows(&screen(&mut app, 120, 24)).join("\n");
    assert!(!shown.contains("preparing"), "{shown}");
    assert!(shown.contains("1 of"), "{shown}");
    assert!(shown.contains("Zebulon Quartz"), "{shown}");
    // Searching goes on as before: "ze" has a kept result, "" all rows
    // by name.
    press(&mut app, &[code(KeyCode::Backspace)]);
    assert_eq!(app.peers().visible.len(), 1);
    press(
        &mut app,
        &[code(KeyCode::Backspace), code(KeyCode::Backspace)],
    );
    let p = app.peers();
    assert_eq!(p.visible.len(), p.roster.len());
    assert_eq!(p.roster[p.visible[0]].name, "Peer 00001");
}

#[test]
fn the_check_in_picker_gets_a_long_roster_once_its_index_arrives() {
    let mut app = app();
    app.run_jobs_here();
    press(&mut app, &[key('p')]);
    app.on_response(Response::Roster(Ok(long_roster())));
    assert!(app.peers().indexing());
    press(&mut app, &[key('c')]);
    let before = app.form().expect("the check-in form").picker.hits.len();
    assert_eq!(
        before,
        roster().len(),
        "meanwhile the roster searched before"
    );
    app.run_jobs_here();
    let form = app.form().expect("the check-in form");
    assert_eq!(
        form.picker.hits.len(),
        app.peers().roster.len(),
        "the picker offers the new roster once it is prepared"
    );
}
