//! The Resources screen, the resource picker, the peer page's Referrals
//! tab and the take-home card: keys to state, answered by the real worker
//! over a real store, and drawn at 80×24 through ratatui's TestBackend.

mod ui_common;

use caseload::model::{Actor, Peer, ReferralStatus, Resource, ResourceCategory, Role, Staff};
use caseload::store::{SledStore, Store};
use caseload::ui::app::{
    App, CardPopup, ResourceForm, ResourcePicker, ResourcesScreen, StatusForm,
};
use caseload::ui::worker::referral::ReferralRequest;
use caseload::ui::worker::{handle, Request};
use crossterm::event::KeyCode;
use ui_common::*;

/// A store with two peers (Ana is P1) and a food pantry and a crisis line.
fn store() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().expect("dir");
    let store = SledStore::open(&dir.path().join("store")).expect("open");
    let a = Actor::login("test");
    // S1, the staff member the app works as.
    store
        .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &a)
        .expect("staff");
    let mut ana = Peer::new("Ana Ruiz", day("2026-01-05"));
    ana.notes = "STAFF NOTE about Ana".into();
    ana.wellness_plan.what_helps = vec!["Walking by the river".into()];
    store.create_peer(ana, &a).expect("peer");
    store
        .create_peer(Peer::new("Dana Ortiz", day("2026-01-05")), &a)
        .expect("peer");
    let mut pantry = Resource::new("Eastside Pantry", ResourceCategory::Food);
    pantry.notes = "STAFF NOTE pantry".into();
    store.create_resource(pantry, &a).expect("resource");
    let mut line = Resource::new("988 Lifeline", ResourceCategory::Crisis);
    line.phone = "988".into();
    store.create_resource(line, &a).expect("resource");
    (dir, store)
}

/// Answers every queued request with the worker over `store`.
fn pump(app: &mut App, store: &SledStore) {
    for _ in 0..5 {
        let queued = app.take_tagged();
        if queued.is_empty() {
            return;
        }
        for (id, r) in queued {
            let answer = handle(store, r);
            app.on_reply(Some(id), answer);
        }
    }
}

fn text(app: &mut App) -> String {
    rows(&screen(app, 80, 24)).join("\n")
}

fn status(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_resources_screen_searches_as_you_type_and_adds_an_entry() {
    let (_dir, store) = store();
    let mut app = app();
    pump(&mut app, &store);
    press(&mut app, &[key('O')]);
    pump(&mut app, &store);
    let s = app.layer::<ResourcesScreen>().expect("the screen is open");
    assert_eq!(s.list.all.len(), 2);
    let shown = text(&mut app);
    assert!(shown.contains("Resources (2)"), "{shown}");
    assert!(
        shown.contains("Eastside Pantry") && shown.contains("988 Lifeline"),
        "{shown}"
    );
    for line in shown.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
    }
    // Typing searches (printable keys type, even 'q' and 'c').
    type_str(&mut app, "crisis");
    let s = app.layer::<ResourcesScreen>().expect("still open");
    assert_eq!(s.list.rows().len(), 1);
    assert_eq!(
        s.list.selected().map(|r| r.name.as_str()),
        Some("988 Lifeline")
    );
    assert!(!app.should_quit(), "typing q did not quit");
    // Esc clears the search, then closes.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(
        app.layer::<ResourcesScreen>().map(|s| s.list.rows().len()),
        Some(2)
    );

    // ctrl-n: a blank name is refused under its field, nothing sent.
    press(&mut app, &[ctrl('n')]);
    assert!(app.layer::<ResourceForm>().is_some());
    press(&mut app, &[ctrl('s')]);
    let form = app.layer::<ResourceForm>().expect("the form stays");
    assert!(
        form.form
            .fields
            .iter()
            .any(|f| f.error.as_deref().is_some_and(|e| e.contains("empty"))),
        "{:?}",
        form.form.problems()
    );
    assert!(app.take_tagged().is_empty(), "nothing sent");
    type_str(&mut app, "Legal Aid Clinic");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &store);
    assert!(app.layer::<ResourceForm>().is_none(), "closed once saved");
    assert!(
        status(&app).contains("Saved resource RS3"),
        "{}",
        status(&app)
    );
    assert_eq!(
        app.layer::<ResourcesScreen>().map(|s| s.list.all.len()),
        Some(3)
    );
    assert_eq!(store.list_resources().expect("list").len(), 3);
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.layer::<ResourcesScreen>().is_none());
}

fn on_anas_page(store: &SledStore) -> App {
    let mut app = app();
    pump(&mut app, store);
    press(&mut app, &[key('p')]);
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, store);
    assert_eq!(app.pane(), caseload::ui::app::Pane::Peer);
    app
}

#[test]
fn f_refers_the_peer_and_tab_7_lists_and_follows_up_their_referrals() {
    let (_dir, store) = store();
    let mut app = on_anas_page(&store);
    press(&mut app, &[key('f')]);
    pump(&mut app, &store);
    let picker = app.layer::<ResourcePicker>().expect("the picker");
    assert_eq!(picker.peer_name, "Ana Ruiz");
    let shown = text(&mut app);
    assert!(shown.contains("Refer Ana Ruiz to"), "{shown}");
    type_str(&mut app, "pantry");
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &store);
    assert!(app.layer::<ResourcePicker>().is_none());
    assert!(
        status(&app).contains("Saved referral RF1 to Eastside Pantry"),
        "{}",
        status(&app)
    );
    let saved = store.referral("RF1".parse().expect("id")).expect("saved");
    assert_eq!(saved.peer.to_string(), "P1");

    press(&mut app, &[key('7')]);
    pump(&mut app, &store);
    let shown = text(&mut app);
    assert!(shown.contains("[7 Referrals]"), "{shown}");
    assert!(
        shown.contains("RF1") && shown.contains("Eastside Pantry") && shown.contains("made"),
        "{shown}"
    );

    // s: connected, with a note.
    press(&mut app, &[key('s')]);
    assert!(app.layer::<StatusForm>().is_some());
    press(&mut app, &[code(KeyCode::Right)]);
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "went on Tuesday");
    press(&mut app, &[ctrl('s')]);
    pump(&mut app, &store);
    assert!(app.layer::<StatusForm>().is_none());
    let r = store.referral(saved.id).expect("referral");
    assert_eq!(r.status(), ReferralStatus::Connected);
    assert_eq!(r.outcome(), "went on Tuesday");
    let shown = text(&mut app);
    assert!(
        shown.contains("connected") && shown.contains("went on Tuesday"),
        "{shown}"
    );
}

#[test]
fn ctrl_r_in_the_check_in_form_refers_the_picked_peer_and_the_form_stays() {
    let (_dir, store) = store();
    let mut app = on_anas_page(&store);
    press(&mut app, &[key('c')]);
    // Before a peer is picked there is nobody to refer.
    press(&mut app, &[ctrl('r')]);
    assert!(app.layer::<ResourcePicker>().is_none());
    assert!(
        status(&app).contains("pick the peer first"),
        "{}",
        status(&app)
    );
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &store);
    press(&mut app, &[ctrl('r')]);
    pump(&mut app, &store);
    assert!(app.layer::<ResourcePicker>().is_some());
    type_str(&mut app, "988");
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &store);
    assert!(app.form().is_some(), "the check-in form is still open");
    assert_eq!(
        store
            .referrals_for_peer("P1".parse().expect("id"))
            .expect("list")
            .len(),
        1
    );
}

#[test]
fn t_shows_the_take_home_card_without_staff_notes_at_80_columns() {
    let (_dir, store) = store();
    let mut app = on_anas_page(&store);
    press(&mut app, &[key('T')]);
    pump(&mut app, &store);
    let card = app.layer::<CardPopup>().expect("the card");
    let lines = card.lines().join("\n");
    assert!(lines.contains("Walking by the river"), "{lines}");
    assert!(lines.contains("988 Lifeline — 988"), "{lines}");
    assert!(!lines.contains("STAFF NOTE"), "{lines}");
    let shown = text(&mut app);
    assert!(
        shown.contains("Take-home card") && shown.contains("What helps me"),
        "{shown}"
    );
    assert!(!shown.contains("STAFF NOTE"), "{shown}");
    // Privacy mode: the name is drawn as initials on screen.
    press(&mut app, &[ctrl('p')]);
    let shown = text(&mut app);
    assert!(!shown.contains("For Ana Ruiz"), "{shown}");
    // Scrolling moves through the card; Esc closes it.
    press(&mut app, &[code(KeyCode::Down)]);
    assert_eq!(app.layer::<CardPopup>().map(|c| c.scroll.top), Some(1));
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.layer::<CardPopup>().is_none());
}

#[test]
fn the_resources_screen_snapshot() {
    let (_dir, store) = store();
    let mut app = app();
    pump(&mut app, &store);
    press(&mut app, &[key('O')]);
    pump(&mut app, &store);
    assert!(
        app.layer::<ResourcesScreen>().is_some(),
        "the screen is open"
    );
    assert_screens("resources", &mut app);
}

#[test]
fn a_referral_for_another_peer_leaves_the_open_pages_referrals_tab_alone() {
    let (_dir, store) = store();
    let mut app = on_anas_page(&store);
    press(&mut app, &[key('7')]);
    pump(&mut app, &store);
    let ana = "P1".parse().expect("id");
    assert_eq!(app.peer_view().referrals.peer, Some(ana));
    assert!(app.peer_view().referrals.rows.is_empty());

    // From the check-in form, Dana (P2) is referred while Ana's page is open.
    press(&mut app, &[key('c')]);
    type_str(&mut app, "Dana");
    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &store);
    press(&mut app, &[ctrl('r')]);
    pump(&mut app, &store);
    assert_eq!(
        app.layer::<ResourcePicker>().map(|p| p.peer_name.as_str()),
        Some("Dana Ortiz")
    );
    type_str(&mut app, "pantry");
    press(&mut app, &[code(KeyCode::Enter)]);
    for (id, r) in app.take_tagged() {
        let answer = handle(&store, r);
        app.on_reply(Some(id), answer);
    }
    assert!(
        status(&app).contains("Saved referral RF1 to Eastside Pantry"),
        "{}",
        status(&app)
    );
    // Today reloads; Ana's Referrals tab is not asked for again, nor
    // switched to Dana's.
    let after = app.take_requests();
    assert!(
        after.iter().any(|r| matches!(r, Request::Today { .. })),
        "{after:?}"
    );
    assert!(
        !after
            .iter()
            .any(|r| matches!(r, Request::Referral(ReferralRequest::ForPeer(_)))),
        "{after:?}"
    );
    assert_eq!(app.peer_view().referrals.peer, Some(ana));
    assert!(app.peer_view().referrals.rows.is_empty());
}
