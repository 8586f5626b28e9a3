//! Correcting a check-in from the peer page (issue 11, item 4): the list
//! (voided ones struck through and marked ✗), the full view of a note cut
//! off on the page, with its versions, voiding with a reason, and
//! correcting in the check-in form filled in — state and rendering at
//! 80×24 and 120×40.

mod ui_common;

use std::collections::HashMap;

use caseload::model::{
    Actor, CheckIn, CheckInId, CheckInMode, Goal, GoalId, LifeDomain, Meta, Peer, PeerId, Record,
    Staff, StaffId, Void,
};
use caseload::ops::peer::PeerOverview;
use caseload::ui::screens::checkins::{CheckInsState, Mode};
use caseload::ui::worker::{PeerDetail, Request, Response};
use crossterm::event::KeyCode;
use ratatui::style::Modifier;
use ui_common::*;

fn meta(revision: u64) -> Meta {
    let mut m = Meta::created(chrono::Utc::now(), &Actor::login("t"));
    m.revision = revision;
    m
}

const LONG_NOTE: &str = "Talked through the housing application line by line and what the landlord said on the phone yesterday afternoon\nShe wants to call the tenants union next\nEnds here: bring the lease copy on Friday";

fn checkins() -> Vec<Record<CheckIn>> {
    let mut kept = CheckIn::new(PeerId::new(3), StaffId::new(1), clock());
    kept.mode = CheckInMode::Phone;
    kept.minutes = 20;
    kept.note = LONG_NOTE.into();
    let mut twice = CheckIn::new(
        PeerId::new(3),
        StaffId::new(1),
        clock() - chrono::Duration::days(1),
    );
    twice.note = "Recorded twice by mistake".into();
    twice.voided = Some(Void {
        at: chrono::Utc::now(),
        by: Actor::staff(StaffId::new(1), "jordan"),
        reason: "recorded twice".into(),
    });
    vec![
        Record {
            id: CheckInId::new(40),
            meta: meta(1),
            data: kept,
        },
        Record {
            id: CheckInId::new(39),
            meta: meta(2),
            data: twice,
        },
    ]
}

fn detail() -> PeerDetail {
    let peer = Peer::new("Aroha Wright", day("2025-03-02"));
    let goal = Goal::new(
        PeerId::new(3),
        LifeDomain::Housing,
        "Get my own apartment",
        day("2026-01-10"),
    );
    PeerDetail {
        overview: PeerOverview {
            peer: Record {
                id: PeerId::new(3),
                meta: meta(1),
                data: peer,
            },
            assigned: Some(Record {
                id: StaffId::new(1),
                meta: meta(1),
                data: Staff::new("Jordan Reyes", caseload::model::Role::PeerSpecialist),
            }),
            goals: vec![Record {
                id: GoalId::new(7),
                meta: meta(1),
                data: goal,
            }],
            recent_checkins: checkins(),
            next_follow_up: None,
            sessions: Vec::new(),
        },
        group_names: HashMap::new(),
        staff_initials: HashMap::from([(StaffId::new(1), "JR".to_string())]),
        consents: Vec::new(),
        disclosures: Vec::new(),
        assessments: Vec::new(),
        instruments: caseload::model::instrument::Instruments::builtin(),
        visits: Vec::new(),
    }
}

/// The app on P3's page with its check-in list open.
fn list_open() -> caseload::ui::app::App {
    let mut app = app();
    press(
        &mut app,
        &[
            code(KeyCode::Down),
            code(KeyCode::Down),
            code(KeyCode::Enter),
        ],
    );
    app.on_response(Response::Peer(PeerId::new(3), Ok(Box::new(detail()))));
    app.take_requests();
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(
        app.layer::<CheckInsState>().is_some(),
        "Enter on the Overview opens the list"
    );
    app
}

fn list(app: &caseload::ui::app::App) -> &CheckInsState {
    app.layer::<CheckInsState>().expect("check-in list open")
}

fn message(app: &caseload::ui::app::App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_list_marks_voided_ones_by_glyph_and_strike_through() {
    let mut app = list_open();
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = screen(&mut app, w, h);
        let r = rows(&buf);
        let all = r.join("\n");
        assert!(all.contains("Check-ins of Aroha Wright (P3)"), "{all}");
        let (y_void, void_row) = r
            .iter()
            .enumerate()
            .find(|(_, l)| l.contains("C39"))
            .expect("C39 listed");
        assert!(void_row.contains("✗ C39"), "{void_row}");
        assert!(void_row.contains("voided"), "{void_row}");
        let (y_kept, kept_row) = r
            .iter()
            .enumerate()
            .find(|(_, l)| l.contains("C40"))
            .expect("C40");
        assert!(!kept_row.contains('✗'), "{kept_row}");
        // Struck through: the voided row's text cells, not the kept one's.
        let x = void_row.find("C39").unwrap() as u16;
        assert!(buf[(x, y_void as u16)]
            .modifier
            .contains(Modifier::CROSSED_OUT));
        let x = kept_row.find("C40").unwrap() as u16;
        assert!(!buf[(x, y_kept as u16)]
            .modifier
            .contains(Modifier::CROSSED_OUT));
        // The hints say what the keys do.
        assert!(
            all.contains("full view") && all.contains("correct") && all.contains("void"),
            "{all}"
        );
    }
}

#[test]
fn enter_shows_the_whole_note_and_its_versions() {
    let mut app = list_open();
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::CheckInHistory(id) if *id == CheckInId::new(40))),
        "{reqs:?}"
    );
    let mut earlier = checkins()[0].clone();
    earlier.data.note = "first words".into();
    let mut current = checkins()[0].clone();
    current.meta.revision = 2;
    earlier.meta.revision = 1;
    app.on_response(Response::CheckInHistory(
        CheckInId::new(40),
        Ok(vec![earlier, current]),
    ));
    for (w, h) in [(80, 24), (120, 40)] {
        let all = rows(&screen(&mut app, w, h)).join("\n");
        assert!(all.contains("Check-in C40"), "{all}");
        // The end of the long note is there (the page cuts it off).
        assert!(
            all.contains("Ends here: bring the lease copy on Friday"),
            "{all}"
        );
        assert!(
            all.contains("Versions: 2 (1 earlier, oldest first)"),
            "{all}"
        );
        assert!(all.contains("revision 1"), "{all}");
        assert!(all.contains("first words"), "{all}");
    }
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(
        matches!(list(&app).mode, Mode::List),
        "Esc goes back to the list"
    );
}

#[test]
fn v_asks_why_and_voids_with_the_reason() {
    let mut app = list_open();
    press(&mut app, &[key('v')]);
    assert!(matches!(list(&app).mode, Mode::Voiding { .. }));
    // An empty reason is refused at once, naming the field.
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app
        .take_requests()
        .iter()
        .all(|r| !matches!(r, Request::VoidCheckIn { .. })));
    let shown = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(shown.contains("reason: say why"), "{shown}");
    type_str(&mut app, "logged for the wrong peer");
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(r, Request::VoidCheckIn { id, reason, actor }
            if *id == CheckInId::new(40) && reason == "logged for the wrong peer" && actor.staff.is_some())),
        "{reqs:?}"
    );
    let mut voided = checkins()[0].clone();
    voided.data.voided = Some(Void {
        at: chrono::Utc::now(),
        by: Actor::staff(StaffId::new(1), "jordan"),
        reason: "logged for the wrong peer".into(),
    });
    app.on_response(Response::CheckInVoided(Ok(voided)));
    assert!(matches!(list(&app).mode, Mode::List));
    assert!(
        message(&app).contains("Voided check-in C40"),
        "{}",
        message(&app)
    );
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Peer(p) if *p == PeerId::new(3))));
    // A voided one is neither voided again nor corrected.
    press(&mut app, &[code(KeyCode::Down), key('v')]);
    assert!(matches!(list(&app).mode, Mode::List));
    assert!(
        message(&app).contains("already voided"),
        "{}",
        message(&app)
    );
    press(&mut app, &[key('e')]);
    assert!(app.form().is_none());
    assert!(message(&app).contains("not corrected"), "{}", message(&app));
}

#[test]
fn e_corrects_in_the_form_filled_in_and_sends_only_what_changed() {
    let mut app = list_open();
    press(&mut app, &[key('e')]);
    let form = app.form().expect("the check-in form");
    assert!(form.editing.is_some());
    assert_eq!(form.minutes.text(), "20");
    assert_eq!(form.mode, CheckInMode::Phone);
    assert!(!form.is_dirty(), "filled in, nothing changed yet");
    assert!(app
        .take_requests()
        .iter()
        .any(|r| matches!(r, Request::Goals(p) if *p == PeerId::new(3))));
    let shown = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(shown.contains("Correcting check-in C40"), "{shown}");
    // Saving unchanged sends nothing.
    press(&mut app, &[ctrl('s')]);
    assert!(app
        .take_requests()
        .iter()
        .all(|r| !matches!(r, Request::EditCheckIn { .. })));
    assert!(
        message(&app).contains("Nothing changed"),
        "{}",
        message(&app)
    );
    // Type into the note, then save: only the note changes.
    type_str(&mut app, "Also: ");
    assert!(app.form().expect("form").is_dirty());
    press(&mut app, &[ctrl('s')]);
    let reqs = app.take_requests();
    let sent = reqs
        .iter()
        .find_map(|r| match r {
            Request::EditCheckIn { id, correction, .. } => Some((*id, correction.as_ref().clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no correction sent: {reqs:?}"));
    assert_eq!(sent.0, CheckInId::new(40));
    assert_eq!(
        sent.1.note.as_deref(),
        Some(format!("Also: {LONG_NOTE}").as_str())
    );
    assert_eq!(sent.1.minutes, None);
    assert_eq!(sent.1.at, None, "the time is kept exactly");
    assert_eq!(sent.1.mode, None);
    let mut saved = checkins()[0].clone();
    saved.meta.revision = 2;
    app.on_response(Response::CheckInEdited(Ok(saved)));
    assert!(app.form().is_none(), "the form closes once it is saved");
    assert!(
        message(&app).contains("Corrected check-in C40 (revision 2"),
        "{}",
        message(&app)
    );
}

#[test]
fn a_refused_correction_keeps_the_form_and_says_why() {
    let mut app = list_open();
    press(&mut app, &[key('e')]);
    type_str(&mut app, "x");
    press(&mut app, &[ctrl('s')]);
    app.take_requests();
    app.on_response(Response::CheckInEdited(Err(field_failure(&[(
        "minutes",
        "must be 1 to 720",
    )]))));
    assert!(app.form().is_some(), "nothing typed is lost");
    assert!(
        message(&app).starts_with("Not corrected"),
        "{}",
        message(&app)
    );
}

#[test]
fn privacy_mode_hides_notes_in_the_list_and_the_full_view() {
    let mut app = list_open();
    press(&mut app, &[ctrl('p')]);
    let all = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(!all.contains("housing application"), "{all}");
    assert!(all.contains("note hidden"), "{all}");
    press(&mut app, &[code(KeyCode::Enter)]);
    let all = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(!all.contains("housing application"), "{all}");
}

/// Issue 11: privacy mode hides goal titles and notes on the peer page too;
/// the reveal key (ctrl-o) shows the page's (no rows there) or, in the
/// check-in list, the selected check-in's note only, until the next key.
#[test]
fn privacy_mode_hides_goals_and_notes_and_the_reveal_key_shows_the_selected_one() {
    let mut app = app();
    press(
        &mut app,
        &[
            code(KeyCode::Down),
            code(KeyCode::Down),
            code(KeyCode::Enter),
        ],
    );
    app.on_response(Response::Peer(PeerId::new(3), Ok(Box::new(detail()))));
    app.take_requests();
    press(&mut app, &[ctrl('p')]);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = rows(&screen(&mut app, w, h)).join("\n");
        for hidden in [
            "Get my own apartment",
            "Talked through",
            "Recorded twice by",
        ] {
            assert!(!t.contains(hidden), "{hidden} at {w}x{h}:\n{t}");
        }
        assert!(t.contains("(hidden)"), "{t}");
    }
    press(&mut app, &[ctrl('o')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(t.contains("Get my own apartment"), "{t}");
    assert!(t.contains("Talked through the housing"), "{t}");
    press(&mut app, &[key('1')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(!t.contains("Get my own apartment"), "hidden again:\n{t}");

    // The check-in list: the selected row's note only.
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.layer::<CheckInsState>().is_some());
    press(&mut app, &[ctrl('o')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(t.contains("Talked through the housing"), "{t}");
    assert!(!t.contains("Recorded twice by mistake"), "{t}");
    press(&mut app, &[code(KeyCode::Down)]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(!t.contains("Talked through the housing"), "{t}");
    press(&mut app, &[ctrl('o')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(t.contains("Recorded twice by mistake"), "{t}");
    assert!(!t.contains("Talked through the housing"), "{t}");

    // The full view: hidden, then shown by the reveal key.
    press(&mut app, &[code(KeyCode::Up), code(KeyCode::Enter)]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(!t.contains("bring the lease copy"), "{t}");
    assert!(t.contains("Ctrl-o shows it"), "{t}");
    press(&mut app, &[ctrl('o')]);
    let t = rows(&screen(&mut app, 120, 40)).join("\n");
    assert!(
        t.contains("Ends here: bring the lease copy on Friday"),
        "{t}"
    );
}

#[test]
fn the_full_view_pages_by_its_last_draw_and_stops_at_its_end() {
    let mut app = list_open();
    press(&mut app, &[code(KeyCode::Enter)]);
    let mut earlier = checkins()[0].clone();
    earlier.data.note = "first words".into();
    let mut current = checkins()[0].clone();
    current.meta.revision = 2;
    earlier.meta.revision = 1;
    app.on_response(Response::CheckInHistory(
        CheckInId::new(40),
        Ok(vec![earlier, current]),
    ));
    let scroll = |app: &caseload::ui::app::App| match &list(app).mode {
        Mode::Full { scroll, .. } => scroll.clone(),
        other => panic!("not the full view: {other:?}"),
    };
    let before = rows(&screen(&mut app, 80, 12)).join("\n");
    assert!(
        !before.contains("first words"),
        "a small window cuts it off"
    );
    let drawn = scroll(&app).view.rows();
    let lines = scroll(&app).view.lines();
    assert!(
        drawn > 1 && lines - drawn > drawn,
        "more than a page below: {drawn} rows of {lines} lines"
    );
    press(&mut app, &[code(KeyCode::PageDown)]);
    assert_eq!(
        scroll(&app).top,
        drawn - 1,
        "a page is the rows drawn less one"
    );
    press(&mut app, &[code(KeyCode::End)]);
    assert_eq!(scroll(&app).top, lines - drawn, "End shows the last page");
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Down)]);
    assert_eq!(
        scroll(&app).top,
        lines - drawn,
        "no scrolling past the end into blank rows"
    );
    let after = rows(&screen(&mut app, 80, 12)).join("\n");
    assert!(after.contains("first words"), "{after}");
}
