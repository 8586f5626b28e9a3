//! The sign-in kiosk without a terminal (state) and drawn into a test
//! backend (rendering): nothing but the greeting and the field is ever
//! drawn, an ambiguous name asks the follow-up with no name on screen,
//! the screen clears itself, and Ctrl-c / Ctrl-z / resizes change nothing.

use std::time::{Duration, Instant};

use caseload::model::{Actor, KioskReply, Peer, Role, Staff};
use caseload::ops::access::Authorized;
use caseload::store::{SledStore, Store};
use caseload::ui::kiosk::{
    ask, draw, Incoming, KioskState, Note, Outgoing, Phase, IDLE_SECS, THANKS_SECS,
};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(k: &mut KioskState, text: &str, now: Instant) {
    for c in text.chars() {
        assert_eq!(k.event(&key(KeyCode::Char(c)), now), None);
    }
}

fn screen(k: &KioskState, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| draw(f, k)).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Every word on screen that is not the greeting, the question, the
/// field's content or a fixed message.
fn stray_words(text: &str, k: &KioskState) -> Vec<String> {
    let mut allowed = String::new();
    allowed.push_str("Welcome to Harbor House Drop-in ");
    allowed.push_str(k.question());
    allowed.push(' ');
    allowed.push_str(&k.field());
    allowed.push_str(" New here? Press Tab. ");
    if let Some(n) = k.note() {
        allowed.push_str(n.text());
    }
    text.split(|c: char| c.is_whitespace() || "│─┌┐└┘▏".contains(c))
        .filter(|w| !w.is_empty())
        .filter(|w| !allowed.contains(*w))
        .map(str::to_string)
        .collect()
}

/// A store with three peers (two named Dana) and a supervisor with a PIN,
/// its session turned into the kiosk.
fn kiosk_store() -> (tempfile::TempDir, Authorized<SledStore>) {
    let dir = tempfile::tempdir().expect("tmp");
    let store = SledStore::open(dir.path()).expect("open");
    let setup = Actor::login("setup");
    let mut s = Staff::new("Sam Super", Role::Supervisor);
    s.pin_hash = Some(caseload::ops::auth::hash_pin("2468").expect("hash"));
    let sam = store.create_staff(s, &setup).expect("staff").id;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("day");
    for (name, phone) in [
        ("Dana Reyes", "555 010 1111"),
        ("Dana Kim", "555 010 2222"),
        ("Zoë Brandt", "555 010 3333"),
    ] {
        let mut p = Peer::new(name, day);
        p.phone = Some(phone.into());
        store.create_peer(p, &setup).expect("peer");
    }
    let a = Authorized::local(store, "desk");
    a.sign_in(sam, "2468").expect("sign in").expect("session");
    a.enter_kiosk("test".into(), &setup).expect("kiosk");
    (dir, a)
}

#[test]
fn a_peer_signs_in_by_name_and_the_screen_clears_after_the_thanks() {
    let (_dir, store) = kiosk_store();
    let t0 = Instant::now();
    let mut k = KioskState::new("Harbor House Drop-in", t0);
    type_text(&mut k, "zoe BRANDT", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("a request");
    assert_eq!(
        out,
        Outgoing::SignIn {
            typed: "zoe BRANDT".into(),
            digits: None
        }
    );
    assert!(k.busy());
    let answer = ask(&store, out);
    assert_eq!(answer, Incoming::SignIn(KioskReply::SignedIn));
    k.reply(answer, t0);
    assert_eq!(k.note(), Some(Note::Thanks));
    assert_eq!(k.input(), "", "the name is gone at once");
    let shown = screen(&k, 80, 24);
    assert!(shown.contains("signed in"), "{shown}");
    assert!(
        !shown.contains("Brandt") && !shown.contains("zoe"),
        "{shown}"
    );
    assert!(
        stray_words(&shown, &k).is_empty(),
        "{:?}",
        stray_words(&shown, &k)
    );
    // Still there just before, gone after.
    assert!(!k.tick(t0 + Duration::from_secs(THANKS_SECS) - Duration::from_millis(1)));
    assert!(k.tick(t0 + Duration::from_secs(THANKS_SECS)));
    assert_eq!(k.note(), None);
    let shown = screen(&k, 80, 24);
    assert!(!shown.contains("signed in"), "{shown}");
    // The kiosk's visit is recorded (read back through the store's files).
    let visits = store
        .inner()
        .visits_on(caseload::ops::local_now().date_naive())
        .expect("visits");
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].peer, caseload::model::PeerId::new(3));
}

#[test]
fn an_ambiguous_name_asks_for_phone_digits_with_no_name_on_screen() {
    let (_dir, store) = kiosk_store();
    let t0 = Instant::now();
    let mut k = KioskState::new("Harbor House Drop-in", t0);
    type_text(&mut k, "Dana", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    let answer = ask(&store, out);
    assert_eq!(answer, Incoming::SignIn(KioskReply::AskPhoneDigits));
    k.reply(answer, t0);
    assert_eq!(k.phase(), &Phase::PhoneDigits("Dana".into()));
    assert_eq!(k.input(), "");
    for (w, h) in [(80, 24), (40, 12), (120, 40)] {
        let shown = screen(&k, w, h);
        assert!(shown.contains("phone"), "{shown}");
        for name in ["Dana", "Reyes", "Kim", "Zoë", "Brandt", "2 ", "two"] {
            assert!(!shown.contains(name), "{name} at {w}x{h}:\n{shown}");
        }
        assert!(
            stray_words(&shown, &k).is_empty(),
            "{:?}",
            stray_words(&shown, &k)
        );
    }
    type_text(&mut k, "2222", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    assert_eq!(
        out,
        Outgoing::SignIn {
            typed: "Dana".into(),
            digits: Some("2222".into())
        }
    );
    k.reply(ask(&store, out), t0);
    assert_eq!(k.note(), Some(Note::Thanks));
    // Wrong digits say "not found", the same as a name nobody has.
    type_text(&mut k, "dana", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    k.reply(ask(&store, out), t0);
    type_text(&mut k, "0000", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    k.reply(ask(&store, out), t0);
    assert_eq!(k.note(), Some(Note::NotFound));
}

#[test]
fn new_here_leaves_an_intake_and_never_a_peer() {
    let (_dir, store) = kiosk_store();
    let t0 = Instant::now();
    let mut k = KioskState::new("Harbor House Drop-in", t0);
    assert_eq!(k.event(&key(KeyCode::Tab), t0), None);
    assert_eq!(k.phase(), &Phase::NewName);
    type_text(&mut k, "Dana", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    assert_eq!(out, Outgoing::NewHere("Dana".into()));
    k.reply(ask(&store, out), t0);
    assert_eq!(k.note(), Some(Note::NewThanks));
    let inner = store.inner();
    assert_eq!(
        inner.list_peers().expect("peers").len(),
        3,
        "no peer was made"
    );
    let intakes = inner.pending_intakes().expect("intakes");
    assert_eq!(intakes.len(), 1);
    assert_eq!(intakes[0].first_name, "Dana");
}

#[test]
fn half_typed_entries_clear_after_the_idle_time_and_ctrl_keys_do_nothing() {
    let t0 = Instant::now();
    let mut k = KioskState::new("Harbor House Drop-in", t0);
    type_text(&mut k, "Dan", t0);
    for e in [
        ctrl('c'),
        ctrl('z'),
        ctrl('\\'),
        ctrl('d'),
        Event::Resize(20, 5),
    ] {
        assert_eq!(k.event(&e, t0), None);
        assert!(!k.done());
    }
    assert_eq!(k.input(), "Dan", "nothing was dropped");
    let at = t0 + Duration::from_secs(IDLE_SECS);
    assert!(!k.tick(at - Duration::from_millis(1)));
    assert!(k.tick(at));
    assert_eq!(k.input(), "");
    assert_eq!(k.phase(), &Phase::Name);
    // A tiny terminal still draws only the kiosk.
    let shown = screen(&k, 20, 5);
    assert!(stray_words(&shown, &k).is_empty(), "{shown}");
}

#[test]
fn leaving_without_a_staff_pin_is_refused_and_the_pin_is_never_drawn() {
    let (_dir, store) = kiosk_store();
    let t0 = Instant::now();
    let mut k = KioskState::new("Harbor House Drop-in", t0);
    assert_eq!(k.event(&ctrl('x'), t0), None);
    assert_eq!(k.phase(), &Phase::StaffPin);
    type_text(&mut k, "1357", t0);
    let shown = screen(&k, 80, 24);
    assert!(!shown.contains("1357") && shown.contains("••••"), "{shown}");
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    let answer = ask(&store, out);
    assert_eq!(answer, Incoming::WrongPin);
    k.reply(answer, t0);
    assert!(!k.done());
    assert_eq!(k.note(), Some(Note::WrongPin));
    assert!(store.is_kiosk(), "still the kiosk");
    assert!(store.list_peers().is_err(), "and still refused the roster");
    k.event(&ctrl('x'), t0);
    type_text(&mut k, "2468", t0);
    let out = k.event(&key(KeyCode::Enter), t0).expect("request");
    k.reply(ask(&store, out), t0);
    assert!(k.done(), "a staff PIN leaves");
    assert!(!store.is_kiosk());
}

#[test]
fn the_kiosk_greeting_snapshot() {
    let k = KioskState::new("Harbor House Drop-in", Instant::now());
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let drawn = screen(&k, w, h);
        let shown: Vec<&str> = drawn.lines().map(str::trim_end).collect();
        insta::assert_snapshot!(format!("kiosk_{w}x{h}"), shown.join("\n"));
    }
}
