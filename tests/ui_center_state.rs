//! Running a center from the UI, state level: an empty store opens the
//! set-up, the Staff screen adds staff, sets PINs and refuses to lose the
//! last admin who can sign in (with the reason), the roster forms add,
//! edit, discharge, re-admit and merge peers, and a possible duplicate is
//! offered at add time and for a walk-in. Every request is carried out by
//! the real worker on a real store behind the authorizing layer, as the
//! running UI does.

mod support;
mod ui_common;

use caseload::model::{PeerStatus, Role};
use caseload::ops::access::Authorized;
use caseload::store::{SledStore, Store};
use caseload::ui::app::{
    App, AppOptions, Ask, PeerForm, Question, SetupForm, StaffForm, StaffScreen,
};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{handle_in, Request, WorkerState};
use crossterm::event::KeyCode;
use ui_common::*;

type Guarded = Authorized<SledStore>;

fn guarded() -> (tempfile::TempDir, Guarded) {
    let (dir, store) = support::fresh();
    (dir, Authorized::local(store, "tester"))
}

/// Carries out every queued request (and those their answers queue).
fn run(app: &mut App, store: &dyn Store) {
    let state = WorkerState::default();
    for _ in 0..8 {
        let batch = app.take_tagged();
        if batch.is_empty() {
            return;
        }
        for (id, r) in batch {
            if matches!(r, Request::Subscribe) {
                continue;
            }
            let answer = handle_in(&state, store, r);
            app.on_reply(Some(id), answer);
        }
    }
}

fn new_app() -> App {
    App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    )
}

fn msg(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn text(app: &mut App, w: u16, h: u16) -> String {
    rows(&screen(app, w, h)).join("\n")
}

fn tab(app: &mut App) {
    press(app, &[code(KeyCode::Tab)]);
}

/// Fills the set-up: center, admin, PIN twice (as given), defaults kept.
fn fill_setup(app: &mut App, pin: &str, again: &str) {
    type_str(app, "Harbour Peer Center");
    tab(app);
    type_str(app, "Rangi Parata");
    tab(app);
    tab(app);
    type_str(app, pin);
    tab(app);
    type_str(app, again);
}

/// An empty store set up through the UI, signed in as its admin.
fn set_up(store: &Guarded, pin: &str) -> App {
    let mut app = new_app();
    run(&mut app, store);
    assert!(
        app.layer::<SetupForm>().is_some(),
        "an empty store opens the set-up"
    );
    fill_setup(&mut app, pin, pin);
    press(&mut app, &[ctrl('s')]);
    run(&mut app, store);
    assert!(app.layer::<SetupForm>().is_none(), "{}", msg(&app));
    app
}

#[test]
fn an_empty_store_opens_the_set_up_and_a_pin_typo_writes_nothing() {
    let (_d, store) = guarded();
    let mut app = new_app();
    run(&mut app, &store);
    assert!(app.layer::<SetupForm>().is_some());
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&mut app, w, h);
        assert!(t.contains("Welcome: set up your center"), "{t}");
        assert!(t.contains("per unit; default 15"), "{t}");
        assert!(t.contains("counts as a unit; default 8"), "{t}");
        assert!(
            t.contains("import a roster") || t.contains("empty roster"),
            "{t}"
        );
    }
    fill_setup(&mut app, "2468", "2469");
    let t = text(&mut app, 80, 24);
    assert!(t.contains("••••"), "one dot per character: {t}");
    assert!(
        !t.contains("2468") && !t.contains("2469"),
        "never drawn: {t}"
    );
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<SetupForm>().is_some(), "stays open");
    assert!(msg(&app).contains("the two PINs differ"), "{}", msg(&app));
    assert!(
        store.inner().list_staff().unwrap().is_empty(),
        "nothing written"
    );
    let t = text(&mut app, 80, 24);
    assert!(t.contains("the two PINs differ"), "under its field: {t}");
    // Quitting asks before leaving, and leaving writes nothing either.
    press(&mut app, &[ctrl('c')]);
    assert!(app
        .layer::<Ask>()
        .is_some_and(|a| a.about == Question::LeaveSetUp));
}

#[test]
fn the_set_up_saves_the_center_and_its_admin_and_signs_them_in() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let staff = store.inner().list_staff().unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0].role, Role::Admin);
    assert_eq!(staff[0].initials, "RP");
    assert!(staff[0].pin_hash.is_some());
    let settings = store.inner().settings().unwrap();
    assert_eq!(settings.organization_name, "Harbour Peer Center");
    assert_eq!(settings.unit_minutes, 15, "the default kept");
    assert_eq!(app.signed_in().map(|c| c.role), Some(Role::Admin));
    assert_eq!(app.staff().map(|s| s.name.as_str()), Some("Rangi Parata"));
    assert!(msg(&app).contains("Welcome, Rangi Parata"), "{}", msg(&app));
    assert_eq!(app.organization(), "Harbour Peer Center");
    // The store now asks for sign-in, and this session is signed in: a
    // peer can be added and a check-in saved under the admin's name.
    press(&mut app, &[key('p'), key('n')]);
    type_str(&mut app, "Aroha Wright");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert_eq!(
        store.inner().list_peers().unwrap().len(),
        1,
        "{}",
        msg(&app)
    );
}

#[test]
fn empty_store_screens_say_what_to_do_instead_of_loading_for_ever() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    // The check-in picker over an empty roster.
    press(&mut app, &[key('c')]);
    let t = text(&mut app, 80, 24);
    assert!(!t.contains("Loading the roster"), "{t}");
    assert!(t.contains("No peers on the roster yet"), "{t}");
}

#[test]
fn staff_add_pin_and_the_last_admin_refusal_with_its_reason() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    press(&mut app, &[key('S')]);
    run(&mut app, &store);
    let s = app.layer::<StaffScreen>().expect("Staff screen");
    assert!(s.manages);
    assert_eq!(s.entries.len(), 1);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&mut app, w, h);
        assert!(t.contains("Rangi Parata"), "{t}");
        assert!(t.contains("PIN set"), "{t}");
        assert!(t.contains("At least one active admin"), "{t}");
    }
    // Add a peer specialist with a PIN typed twice.
    press(&mut app, &[key('a')]);
    assert!(app.layer::<StaffForm>().is_some());
    type_str(&mut app, "Mia Chen");
    tab(&mut app);
    tab(&mut app);
    tab(&mut app);
    tab(&mut app);
    type_str(&mut app, "1357");
    tab(&mut app);
    type_str(&mut app, "1357");
    let t = text(&mut app, 80, 24);
    assert!(!t.contains("1357") && t.contains("••••"), "{t}");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<StaffForm>().is_none(), "{}", msg(&app));
    let mia = store
        .inner()
        .list_staff()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Mia Chen")
        .expect("added");
    assert_eq!(mia.role, Role::PeerSpecialist);
    assert!(caseload::ops::auth::pin_matches(
        mia.pin_hash.as_deref().unwrap(),
        "1357"
    ));
    assert_eq!(app.layer::<StaffScreen>().unwrap().entries.len(), 2);

    // Deactivating the only admin is refused by the store, with the reason.
    let admin_at = app
        .layer::<StaffScreen>()
        .unwrap()
        .entries
        .iter()
        .position(|e| e.role == Role::Admin)
        .unwrap();
    press(&mut app, &[code(KeyCode::Home)]);
    for _ in 0..admin_at {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('d')]);
    assert!(app.layer::<Ask>().is_some());
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    assert!(
        msg(&app).contains("would leave no active admin who can sign in"),
        "{}",
        msg(&app)
    );
    assert!(store.inner().list_staff().unwrap().iter().all(|s| s.active));
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&mut app, w, h).replace(['│', '\n'], " ");
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            t.contains("make someone else an admin with a PIN first"),
            "the whole reason on screen: {t}"
        );
    }

    // Deactivating Mia works, and she shows as inactive.
    let mia_at = app
        .layer::<StaffScreen>()
        .unwrap()
        .entries
        .iter()
        .position(|e| e.row.name == "Mia Chen")
        .unwrap();
    press(&mut app, &[code(KeyCode::Home)]);
    for _ in 0..mia_at {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('d'), key('y')]);
    run(&mut app, &store);
    assert!(!store.inner().staff(mia.id).unwrap().active);
    assert!(text(&mut app, 80, 24).contains("inactive"));
    // And reactivating.
    press(&mut app, &[key('d'), key('y')]);
    run(&mut app, &store);
    assert!(store.inner().staff(mia.id).unwrap().active);

    // Reset the admin's PIN: typed twice, checked by the store's rules.
    press(&mut app, &[code(KeyCode::Home)]);
    for _ in 0..admin_at {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[key('P')]);
    type_str(&mut app, "12");
    tab(&mut app);
    type_str(&mut app, "12");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(
        app.layer::<StaffForm>().is_some(),
        "a short PIN stays in the form"
    );
    assert!(msg(&app).contains("at least 4"), "{}", msg(&app));
}

#[test]
fn a_peer_specialist_sees_only_their_own_entry_and_cannot_add() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    // Add a peer specialist on the Staff screen, then sign in as them at
    // the lock screen.
    press(&mut app, &[key('S')]);
    run(&mut app, &store);
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Mia Chen");
    for _ in 0..4 {
        tab(&mut app);
    }
    type_str(&mut app, "1357");
    tab(&mut app);
    type_str(&mut app, "1357");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let mia = store
        .inner()
        .list_staff()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Mia Chen")
        .expect("added");
    // The store's change notice reloads who may sign in.
    app.on_response(caseload::ui::worker::Response::Change(
        caseload::store::Change {
            kind: caseload::store::ChangeKind::Staff,
            id: mia.id.to_string(),
        },
    ));
    run(&mut app, &store);
    press(&mut app, &[code(KeyCode::Esc), ctrl('l')]);
    run(&mut app, &store);
    // Someone else: Esc, then the names (Mia Chen first); her PIN.
    press(&mut app, &[code(KeyCode::Esc)]);
    let t = text(&mut app, 80, 24);
    assert!(t.contains("Mia Chen"), "{t}");
    press(&mut app, &[code(KeyCode::Home), code(KeyCode::Enter)]);
    type_str(&mut app, "1357");
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    assert_eq!(
        app.signed_in().map(|c| c.staff.id),
        Some(mia.id),
        "{}",
        text(&mut app, 80, 24)
    );
    press(&mut app, &[key('S')]);
    run(&mut app, &store);
    let s = app.layer::<StaffScreen>().unwrap();
    assert!(!s.manages);
    assert_eq!(s.entries.len(), 1);
    assert_eq!(s.entries[0].row.id, mia.id);
    press(&mut app, &[key('a')]);
    assert!(app.layer::<StaffForm>().is_none());
    assert!(msg(&app).contains("for admins only"), "{}", msg(&app));
    // Her own PIN she may change.
    press(&mut app, &[key('P')]);
    type_str(&mut app, "9753");
    tab(&mut app);
    type_str(&mut app, "9753");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<StaffForm>().is_none(), "{}", msg(&app));
    let h = store
        .inner()
        .staff(mia.id)
        .unwrap()
        .pin_hash
        .clone()
        .unwrap();
    assert!(caseload::ops::auth::pin_matches(&h, "9753"));
}

/// Adds "Aroha Wright" (she/her, a phone) directly, as an earlier intake.
fn aroha(store: &Guarded) -> caseload::model::PeerId {
    let mut p = caseload::model::Peer::new("Aroha Wright", day("2026-10-01"));
    p.pronouns = Some("she/her".into());
    p.phone = Some("021 555 0101".into());
    store
        .inner()
        .create_peer(p, &caseload::model::Actor::login("t"))
        .unwrap()
        .id
}

#[test]
fn adding_a_peer_offers_a_possible_duplicate_and_no_adds_anyway() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let existing = aroha(&store);
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('p'), key('n')]);
    assert!(app.layer::<PeerForm>().is_some());
    type_str(&mut app, "aroha WRIGHT");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let ask = app.layer::<Ask>().expect("the duplicate is offered");
    assert_eq!(
        ask.text,
        format!("Aroha Wright ({existing}) already exists: use her?")
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&mut app, w, h);
        assert!(t.contains("already exists: use her?"), "{t}");
    }
    // Yes opens her page instead; nothing is added.
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    assert_eq!(app.peer().map(|p| p.id), Some(existing));
    assert!(app.layer::<PeerForm>().is_none());
    assert_eq!(store.inner().list_peers().unwrap().len(), 1);

    // The same phone is offered too; no adds the new peer anyway.
    press(&mut app, &[key('p'), key('n')]);
    type_str(&mut app, "Ro");
    tab(&mut app);
    tab(&mut app);
    type_str(&mut app, "(021) 555-0101");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let ask = app.layer::<Ask>().expect("same phone offered");
    assert!(ask.text.contains("with the same phone"), "{}", ask.text);
    press(&mut app, &[key('n')]);
    run(&mut app, &store);
    assert_eq!(
        store.inner().list_peers().unwrap().len(),
        2,
        "{}",
        msg(&app)
    );
    assert!(msg(&app).starts_with("Added Ro"), "{}", msg(&app));
}

#[test]
fn a_peer_is_added_with_every_field_and_edited() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    press(&mut app, &[key('p'), key('n')]);
    type_str(&mut app, "Łukasz Nowak");
    tab(&mut app);
    type_str(&mut app, "he/him");
    tab(&mut app);
    type_str(&mut app, "555 0199");
    tab(&mut app);
    type_str(&mut app, "lukasz@example.org");
    tab(&mut app);
    type_str(&mut app, "7");
    tab(&mut app);
    press(&mut app, &[code(KeyCode::Right)]); // the admin
    tab(&mut app);
    type_str(&mut app, "WRAP, veteran");
    tab(&mut app);
    type_str(&mut app, "2026-11-02");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let peers = store.inner().list_peers().unwrap();
    assert_eq!(peers.len(), 1, "{}", msg(&app));
    let p = &peers[0];
    assert_eq!(p.display_name, "Łukasz Nowak");
    assert_eq!(p.pronouns.as_deref(), Some("he/him"));
    assert_eq!(p.email.as_deref(), Some("lukasz@example.org"));
    assert_eq!(p.cadence_days, Some(7));
    assert_eq!(p.tags, vec!["WRAP".to_string(), "veteran".to_string()]);
    assert_eq!(p.intake_date, day("2026-11-02"));
    assert!(p.assigned_staff.is_some());
    // Saved peers open on their page; E edits the loaded record.
    assert_eq!(app.peer().map(|x| x.id), Some(p.id));
    press(&mut app, &[key('E')]);
    assert!(app.layer::<PeerForm>().is_some());
    tab(&mut app); // pronouns
    tab(&mut app); // phone
    tab(&mut app); // e-mail
    tab(&mut app); // cadence
    type_str(&mut app, "x");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(msg(&app).contains("cadence days"), "{}", msg(&app));
    press(&mut app, &[code(KeyCode::Backspace)]);
    type_str(&mut app, "14");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<PeerForm>().is_none(), "{}", msg(&app));
    assert_eq!(store.inner().peer(p.id).unwrap().cadence_days, Some(14));
}

#[test]
fn discharge_with_a_reason_and_readmit_keep_every_episode_on_the_page() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let id = aroha(&store);
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('p')]);
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    assert_eq!(app.peer().map(|p| p.id), Some(id));
    press(&mut app, &[key('X')]);
    // No reason: refused under its field, nothing written.
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(msg(&app).contains("reason"), "{}", msg(&app));
    assert_eq!(store.inner().peer(id).unwrap().status, PeerStatus::Active);
    type_str(&mut app, "moved away");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert_eq!(
        store.inner().peer(id).unwrap().status,
        PeerStatus::Discharged,
        "{}",
        msg(&app)
    );
    press(&mut app, &[key('X')]);
    let t = text(&mut app, 80, 24);
    assert!(t.contains("Re-admit"), "{t}");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let rec = store.inner().peer(id).unwrap();
    assert_eq!(rec.status, PeerStatus::Active, "{}", msg(&app));
    assert_eq!(rec.all_episodes().len(), 2);
    let t = text(&mut app, 120, 40);
    assert!(
        t.contains("Episodes: intake 2026-10-01 → discharged"),
        "{t}"
    );
    assert!(t.contains("(moved away) · re-admitted"), "{t}");
}

#[test]
fn merge_asks_naming_both_then_moves_the_record() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let keep = aroha(&store);
    let dup = store
        .inner()
        .create_peer(
            caseload::model::Peer::new("Aroha W", day("2026-11-01")),
            &caseload::model::Actor::login("t"),
        )
        .unwrap()
        .id;
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('p')]);
    // Find Aroha Wright on the roster and open her page.
    let at = app
        .peers()
        .visible
        .iter()
        .position(|&i| app.peers().roster[i].id == keep)
        .unwrap();
    for _ in 0..at {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    press(&mut app, &[key('M')]);
    type_str(&mut app, "nobody here");
    press(&mut app, &[ctrl('s')]);
    assert!(
        msg(&app).contains("no peer on the roster matches"),
        "{}",
        msg(&app)
    );
    for _ in 0.."nobody here".len() {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_str(&mut app, &dup.to_string());
    press(&mut app, &[ctrl('s')]);
    let ask = app.layer::<Ask>().expect("asks first");
    assert!(
        ask.text.starts_with(&format!(
            "Merge Aroha W ({dup}) into Aroha Wright ({keep})?"
        )),
        "{}",
        ask.text
    );
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    assert!(msg(&app).contains("answers as an alias"), "{}", msg(&app));
    let ids: Vec<_> = store
        .inner()
        .list_peers()
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, vec![keep]);
}

#[test]
fn a_walk_in_who_is_already_on_the_roster_is_offered() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let existing = aroha(&store);
    let group = caseload::model::Group::new(
        "Monday WRAP",
        chrono::Weekday::Mon,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    );
    store
        .inner()
        .create_group(group, &caseload::model::Actor::login("t"))
        .unwrap();
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('G')]);
    run(&mut app, &store);
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    assert!(app.groups().attendance.is_some(), "{}", msg(&app));
    type_str(&mut app, "Aroha Wrigh");
    press(&mut app, &[ctrl('n')]);
    assert!(app.popup().is_some());
    press(&mut app, &[code(KeyCode::End)]);
    type_str(&mut app, "t");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let ask = app.layer::<Ask>().expect("offered");
    assert_eq!(
        ask.text,
        format!("Aroha Wright ({existing}) already exists: use her?")
    );
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    assert!(app.popup().is_none());
    let s = app.groups().attendance.as_ref().unwrap();
    assert_eq!(s.attending, vec![existing]);
    assert_eq!(store.inner().list_peers().unwrap().len(), 1, "no new peer");

    // A walk-in nobody knows is checked off at once, and joins the
    // roster when the session is saved (not before).
    type_str(&mut app, "Bjorn Ek");
    press(&mut app, &[ctrl('n'), ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<Ask>().is_none());
    assert!(app.popup().is_none(), "{}", msg(&app));
    assert_eq!(store.inner().list_peers().unwrap().len(), 1, "not yet");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let peers = store.inner().list_peers().unwrap();
    assert_eq!(peers.len(), 2, "{}", msg(&app));
    let bjorn = peers.iter().find(|p| p.id != existing).unwrap();
    assert_eq!(bjorn.display_name, "Bjorn Ek");
    let s = app.groups().attendance.as_ref().unwrap();
    assert_eq!(s.attending, vec![existing, bjorn.id]);
    assert_eq!(s.name_of(bjorn.id), "Bjorn Ek");
}

#[test]
fn e_on_peers_loads_the_selected_peer_and_edits_them() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let id = aroha(&store);
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('p'), key('E')]);
    run(&mut app, &store);
    let form = app.layer::<PeerForm>().expect("the edit form");
    assert_eq!(
        form.form
            .value(caseload::ui::widgets::form::FieldKey::Phone),
        "021 555 0101"
    );
    press(&mut app, &[code(KeyCode::End)]);
    type_str(&mut app, " Jr");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert_eq!(
        store.inner().peer(id).unwrap().display_name,
        "Aroha Wright Jr"
    );
    assert!(
        msg(&app).starts_with("Saved Aroha Wright Jr"),
        "{}",
        msg(&app)
    );
    // The edit is on the trail as a change by the admin.
    let trail = store
        .inner()
        .audit(&caseload::store::AuditFilter::default())
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.actor.staff.is_some() && format!("{:?}", e.event).contains("Updated")),
        "{trail:?}"
    );
}

#[test]
fn today_after_the_set_up_is_not_cut_off_or_loading() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&mut app, w, h);
        assert!(!t.contains("Loading"), "{t}");
        assert!(
            !t.contains("cann…") && !t.contains("No staff member chosen"),
            "{t}"
        );
        assert!(t.contains("Rangi Parata (RP)"), "who is working: {t}");
    }
}

#[test]
fn without_a_staff_member_a_group_save_says_not_saved_once() {
    let mut app = ui_common::app();
    app.on_response(caseload::ui::worker::Response::Ready {
        location: "/srv/caseload/data".into(),
        organization: "Harbor Peer Center".into(),
        staff: Err("no staff yet; S adds staff".into()),
        staff_list: Vec::new(),
    });
    // The status line fits 80 columns and says what to do.
    let t = text(&mut app, 80, 24);
    assert!(t.contains("Not saving: no staff yet; S adds staff"), "{t}");
    press(&mut app, &[key('G'), key('a')]);
    assert!(app.popup().is_some());
    type_str(&mut app, "Art group");
    press(&mut app, &[ctrl('s')]);
    assert_eq!(
        msg(&app),
        "Not saved: no staff member chosen (no staff yet; S adds staff)"
    );
    let t = text(&mut app, 120, 40);
    assert!(t.contains("✗ Not saved: no staff member chosen"), "{t}");
    assert!(!t.contains("Not saved: Not saved"), "{t}");
}

#[test]
fn staff_edit_changes_role_and_login_and_the_last_admin_keeps_the_role() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    press(&mut app, &[key('S')]);
    run(&mut app, &store);
    // The only admin cannot make themself a peer specialist.
    press(&mut app, &[key('e')]);
    assert!(app.layer::<StaffForm>().is_some());
    tab(&mut app);
    tab(&mut app);
    press(&mut app, &[code(KeyCode::Right)]); // admin → peer specialist
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(
        app.layer::<StaffForm>().is_some(),
        "stays open: {}",
        msg(&app)
    );
    assert!(
        msg(&app).contains("would leave no active admin who can sign in"),
        "{}",
        msg(&app)
    );
    assert_eq!(store.inner().list_staff().unwrap()[0].role, Role::Admin);
    press(&mut app, &[code(KeyCode::Esc), key('y')]);
    assert!(app.layer::<StaffForm>().is_none());
    // Name, initials, role and login of someone else change.
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Mia Chen");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    press(&mut app, &[code(KeyCode::Home), key('e')]);
    assert_eq!(
        app.layer::<StaffForm>().map(|f| f
            .form
            .value(caseload::ui::widgets::form::FieldKey::StaffName)),
        Some("Mia Chen")
    );
    press(&mut app, &[code(KeyCode::End)]);
    type_str(&mut app, "-Ruiz");
    tab(&mut app);
    type_str(&mut app, "MCR");
    tab(&mut app);
    press(&mut app, &[code(KeyCode::Right)]); // peer specialist → supervisor
    tab(&mut app);
    type_str(&mut app, "mchen");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<StaffForm>().is_none(), "{}", msg(&app));
    let mia = store
        .inner()
        .list_staff()
        .unwrap()
        .into_iter()
        .find(|s| s.initials == "MCR")
        .expect("edited");
    assert_eq!(mia.name, "Mia Chen-Ruiz");
    assert_eq!(mia.role, Role::Supervisor);
    assert_eq!(mia.login.as_deref(), Some("mchen"));
    assert!(mia.pin_hash.is_none(), "no PIN was given");
}

#[test]
fn leaving_the_set_up_quits_and_writes_nothing() {
    let (_d, store) = guarded();
    let mut app = new_app();
    run(&mut app, &store);
    type_str(&mut app, "Half typed");
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app
        .layer::<Ask>()
        .is_some_and(|a| a.about == Question::LeaveSetUp));
    press(&mut app, &[key('n')]);
    assert!(!app.should_quit());
    assert!(app.layer::<SetupForm>().is_some(), "still setting up");
    press(&mut app, &[code(KeyCode::Esc), key('y')]);
    assert!(app.should_quit());
    run(&mut app, &store);
    assert!(store.inner().list_staff().unwrap().is_empty());
}

#[test]
fn a_walk_in_offered_as_a_duplicate_is_added_anew_on_no() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let existing = aroha(&store);
    let group = caseload::model::Group::new(
        "Monday WRAP",
        chrono::Weekday::Mon,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    );
    store
        .inner()
        .create_group(group, &caseload::model::Actor::login("t"))
        .unwrap();
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('G')]);
    run(&mut app, &store);
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    press(&mut app, &[ctrl('n')]);
    type_str(&mut app, "Aroha Wright");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<Ask>().is_some());
    press(&mut app, &[key('n')]);
    run(&mut app, &store);
    assert!(app.popup().is_none(), "{}", msg(&app));
    assert_eq!(
        store.inner().list_peers().unwrap().len(),
        1,
        "added when the session is saved"
    );
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let peers = store.inner().list_peers().unwrap();
    assert_eq!(peers.len(), 2, "a second Aroha, as asked");
    let new = peers.iter().find(|p| p.id != existing).unwrap();
    let s = app.groups().attendance.as_ref().unwrap();
    assert_eq!(s.attending, vec![new.id]);
}

#[test]
fn esc_on_a_typed_in_peer_form_asks_first_and_yes_closes_it_unsaved() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    press(&mut app, &[key('p'), key('n')]);
    assert!(app.layer::<PeerForm>().is_some());
    // Nothing typed: Esc closes at once.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.layer::<PeerForm>().is_none());
    press(&mut app, &[key('n')]);
    type_str(&mut app, "Aroha Wright");
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.layer::<PeerForm>().is_some(), "typed in: asked first");
    assert!(
        app.confirm().is_some_and(|c| c.question.contains("lost")),
        "the one discard question"
    );
    press(&mut app, &[key('n')]);
    assert!(
        app.confirm().is_none() && app.layer::<PeerForm>().is_some(),
        "no keeps it"
    );
    press(&mut app, &[code(KeyCode::Esc), key('y')]);
    assert!(app.layer::<PeerForm>().is_none(), "yes closes it");
    assert!(msg(&app).contains("nothing saved"), "{}", msg(&app));
    run(&mut app, &store);
    assert!(
        store.inner().list_peers().unwrap().is_empty(),
        "nothing written"
    );
}

/// A store with Aroha and a group meeting today, the app in its session.
fn in_session(store: &Guarded) -> (App, caseload::model::PeerId) {
    let mut app = set_up(store, "2468");
    let existing = aroha(store);
    let group = caseload::model::Group::new(
        "Monday WRAP",
        chrono::Weekday::Mon,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    );
    store
        .inner()
        .create_group(group, &caseload::model::Actor::login("t"))
        .unwrap();
    press(&mut app, &[key('r')]);
    run(&mut app, store);
    press(&mut app, &[key('G')]);
    run(&mut app, store);
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, store);
    assert!(app.groups().attendance.is_some(), "{}", msg(&app));
    (app, existing)
}

#[test]
fn a_walk_in_in_a_session_left_unsaved_leaves_no_peer_and_no_trail() {
    let (_d, store) = guarded();
    let (mut app, _) = in_session(&store);
    let trail = || {
        store
            .inner()
            .audit(&caseload::store::AuditFilter::default())
            .unwrap()
    };
    let last_seq = trail().first().map(|e| e.seq).unwrap_or(0);
    type_str(&mut app, "Robin Walkin");
    press(&mut app, &[ctrl('n'), ctrl('s')]);
    run(&mut app, &store);
    let s = app.groups().attendance.as_ref().unwrap();
    assert_eq!(s.walk_ins, vec!["Robin Walkin".to_string()]);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&mut app, w, h);
        assert!(t.contains("Robin Walkin (new)"), "{t}");
        assert!(t.contains("new walk-in"), "{t}");
    }
    // Leaving asks (there is something to lose); yes drops it all.
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.confirm().is_some(), "{}", msg(&app));
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    assert!(app.groups().attendance.is_none());
    assert!(store
        .inner()
        .list_peers()
        .unwrap()
        .iter()
        .all(|p| p.display_name != "Robin Walkin"));
    assert_eq!(store.inner().list_peers().unwrap().len(), 1);
    assert_eq!(
        store.inner().counts().unwrap().sessions,
        0,
        "no session either"
    );
    // Nothing was written, so the trail records no change (reads only).
    let changes: Vec<_> = trail()
        .into_iter()
        .filter(|e| e.seq > last_seq)
        .filter(|e| {
            matches!(
                e.event,
                caseload::store::AuditEvent::Created { .. }
                    | caseload::store::AuditEvent::Updated { .. }
                    | caseload::store::AuditEvent::Deleted { .. }
            )
        })
        .collect();
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn esc_on_the_duplicate_question_adds_nobody_and_goes_back_to_the_form() {
    let (_d, store) = guarded();
    let (mut app, existing) = in_session(&store);
    // A walk-in: Esc goes back to the walk-in form, nothing checked off.
    type_str(&mut app, "Aroha Wright");
    press(&mut app, &[ctrl('n'), ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<Ask>().is_some());
    let t = text(&mut app, 80, 24);
    assert!(t.contains("Esc: back"), "{t}");
    press(&mut app, &[code(KeyCode::Esc)]);
    run(&mut app, &store);
    assert!(app.layer::<Ask>().is_none());
    let popup = app.popup().expect("back to the walk-in form");
    assert!(!popup.form.saving);
    let s = app.groups().attendance.as_ref().unwrap();
    assert!(s.walk_ins.is_empty() && s.attending.is_empty());
    assert_eq!(msg(&app), "Nothing added: back to the form");
    // The form can still be answered: yes now checks her off.
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    let s = app.groups().attendance.as_ref().unwrap();
    assert_eq!(s.attending, vec![existing]);
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert_eq!(
        store.inner().list_peers().unwrap().len(),
        1,
        "never a second Aroha"
    );

    // Adding a peer: Esc goes back to the add form, nothing added.
    press(&mut app, &[code(KeyCode::Esc), key('p'), key('n')]);
    assert!(app.layer::<PeerForm>().is_some(), "{}", msg(&app));
    type_str(&mut app, "AROHA wright");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    assert!(app.layer::<Ask>().is_some());
    press(&mut app, &[code(KeyCode::Esc)]);
    run(&mut app, &store);
    assert!(app.layer::<Ask>().is_none());
    let form = app.layer::<PeerForm>().expect("back to the add form");
    assert!(!form.form.saving);
    assert_eq!(store.inner().list_peers().unwrap().len(), 1, "no duplicate");
}

/// Issue 11: every peer search of the UI folds case and accents ("muller"
/// finds Müller, "lukasz" Łukasz, "bjorn" Björn) and finds a peer by id,
/// whole phone number or tag, through the one rule (`search::SearchKeys`):
/// the Peers screen, the merge picker, a session's roster and the
/// check-in form's picker.
#[test]
fn every_peer_search_folds_accents_and_finds_ids_phones_and_tags() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let actor = caseload::model::Actor::login("t");
    let add = |name: &str, phone: Option<&str>, tags: &[&str]| {
        let mut p = caseload::model::Peer::new(name, day("2026-10-01"));
        p.phone = phone.map(str::to_string);
        p.tags = tags.iter().map(|t| t.to_string()).collect();
        store.inner().create_peer(p, &actor).unwrap().id
    };
    let muller = add("Jürgen Müller", Some("555 010 2233"), &[]);
    let lukasz = add("Łukasz Nowak", None, &["Housing"]);
    let bjorn = add("Björn Ek", None, &["Ōtautahi"]);
    add("Ana Ruiz", None, &[]);
    store
        .inner()
        .create_group(
            caseload::model::Group::new(
                "Monday WRAP",
                chrono::Weekday::Mon,
                chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            ),
            &actor,
        )
        .unwrap();
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    let bjorn_id = bjorn.to_string().to_lowercase();
    let queries: [(&str, caseload::model::PeerId); 7] = [
        ("muller", muller),
        ("LUKASZ", lukasz),
        ("bjorn", bjorn),
        ("555-010-2233", muller),
        ("housing", lukasz),
        ("otautahi", bjorn),
        (&bjorn_id, bjorn),
    ];
    let erase = |app: &mut App, q: &str| {
        for _ in 0..q.chars().count() {
            press(app, &[code(KeyCode::Backspace)]);
        }
    };

    // The Peers screen.
    press(&mut app, &[key('p'), key('/')]);
    for (q, want) in queries {
        type_str(&mut app, q);
        assert_eq!(
            app.peers().selected_peer().map(|p| p.0),
            Some(want),
            "Peers, {q:?}"
        );
        erase(&mut app, q);
    }
    // Part of a tag or phone number finds nobody by it.
    type_str(&mut app, "0102");
    assert!(app.peers().visible.is_empty(), "{:?}", app.peers().visible);
    erase(&mut app, "0102");

    // The merge picker, from Łukasz's page: "muller" names Müller.
    type_str(&mut app, "lukasz");
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    assert_eq!(app.peer().map(|p| p.id), Some(lukasz), "{}", msg(&app));
    press(&mut app, &[key('M')]);
    type_str(&mut app, "muller");
    press(&mut app, &[ctrl('s')]);
    let ask = app.layer::<Ask>().expect("the merge question");
    assert_eq!(
        ask.about,
        Question::Merge {
            from: muller,
            into: lukasz
        },
        "{}",
        ask.text
    );
    // No keeps both; leaving the form asks before dropping what was
    // typed (the one discard question), and yes leaves it.
    press(&mut app, &[key('n'), code(KeyCode::Esc)]);
    assert!(
        app.layer::<Ask>().is_none(),
        "the merge question is answered"
    );
    if app.confirm().is_some() {
        press(&mut app, &[key('y')]);
    }
    assert!(
        app.layer::<PeerForm>().is_none()
            && app.layer::<Ask>().is_none()
            && app.confirm().is_none()
    );
    assert_eq!(
        store.inner().list_peers().unwrap().len(),
        4,
        "nothing merged"
    );

    // A session's roster.
    press(&mut app, &[key('G')]);
    run(&mut app, &store);
    press(&mut app, &[code(KeyCode::Enter)]);
    run(&mut app, &store);
    assert!(app.groups().attendance.is_some(), "{}", msg(&app));
    for (q, want) in queries {
        type_str(&mut app, q);
        let s = app.groups().attendance.as_ref().unwrap();
        assert_eq!(s.selected(), Some(want), "session roster, {q:?}");
        erase(&mut app, q);
    }
    press(&mut app, &[code(KeyCode::Esc)]);

    // The check-in form's picker.
    press(&mut app, &[key('c')]);
    assert!(app.form().is_some(), "{}", msg(&app));
    for (q, want) in queries {
        type_str(&mut app, q);
        let form = app.form().expect("form");
        assert_eq!(
            form.picker.selected().map(|c| c.id),
            Some(want),
            "check-in picker, {q:?}"
        );
        erase(&mut app, q);
    }
}

/// Issue 11: dialog texts fit at 80x24: the duplicate question with a
/// long name keeps every word and its answers (Esc: back among them).
#[test]
fn the_duplicate_question_fits_80x24_with_a_long_name() {
    let (_d, store) = guarded();
    let mut app = set_up(&store, "2468");
    let mut p = caseload::model::Peer::new(
        "Wiremu Aperahama Te Rangihaeata-Whakaaro Pōtiki Hēnare",
        day("2026-10-01"),
    );
    p.phone = Some("021 555 0101".into());
    store
        .inner()
        .create_peer(p, &caseload::model::Actor::login("t"))
        .unwrap();
    press(&mut app, &[key('r')]);
    run(&mut app, &store);
    press(&mut app, &[key('p'), key('n')]);
    type_str(&mut app, "Someone Else");
    tab(&mut app);
    tab(&mut app);
    type_str(&mut app, "(021) 555-0101");
    press(&mut app, &[ctrl('s')]);
    run(&mut app, &store);
    let question = app.layer::<Ask>().expect("offered").text.clone();
    assert!(question.contains("with the same phone"), "{question}");
    let t = text(&mut app, 80, 24);
    for word in question.split_whitespace() {
        assert!(t.contains(word), "{word:?} cut from\n{t}");
    }
    assert!(t.contains("y: open them    n: add a new peer"), "{t}");
    assert!(t.contains("Esc: back"), "{t}");
}
