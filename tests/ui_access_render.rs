//! What the access screens draw, through ratatui's TestBackend at 80×24:
//! the sign-in and lock screens show no peer name (checked cell by cell
//! against every name in a real store), a PIN is never drawn, privacy mode
//! shows initials, and the audit browser's rows.

mod ui_common;

use caseload::model::{Actor, PeerId, StaffId};
use caseload::ops::auth::set_pin;
use caseload::ops::local_now;
use caseload::store::{AuditEntry, AuditEvent, AuditFilter, ChangeKind, SledStore, Store};
use caseload::ui::app::access::Gate;
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{handle, AuditPage, Request, Response};
use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use ui_common::*;

fn demo_store() -> (tempfile::TempDir, SledStore) {
    let (dir, store) = ui_common::demo_store_of(25, 120, 11);
    let setup = Actor::login("setup");
    set_pin(&store, &setup, StaffId::new(1), "2468").expect("PIN");
    (dir, store)
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

/// Every peer name in the store (display and legal).
fn peer_names(store: &dyn Store) -> Vec<String> {
    let mut names = Vec::new();
    for p in store.list_peers().expect("peers") {
        names.push(p.data.display_name.clone());
        if let Some(l) = &p.data.legal_name {
            names.push(l.clone());
        }
    }
    assert!(names.len() >= 25);
    names
}

/// The names that appear anywhere on the 80×24 screen.
fn names_on_screen(app: &mut App, names: &[String]) -> Vec<String> {
    let r = rows(&screen(app, 80, 24));
    names
        .iter()
        .filter(|n| r.iter().any(|row| row.contains(n.as_str())))
        .cloned()
        .collect()
}

#[test]
fn sign_in_and_lock_screens_show_no_peer_name_and_never_the_pin() {
    let (_dir, store) = demo_store();
    let names = peer_names(&store);
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock: local_now,
        },
    );
    pump(&mut app, &store);
    assert!(matches!(app.gate(), Gate::SignIn(_)));
    // Even answers that arrive anyway (a stray load) are not drawn.
    app.on_response(handle(&store, Request::Roster));
    assert_eq!(names_on_screen(&mut app, &names), Vec::<String>::new());
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(t.contains("Jordan Reyes (JR)"), "staff are listed:\n{t}");

    type_str(&mut app, "jordan");
    press(&mut app, &[code(KeyCode::Enter)]);
    type_str(&mut app, "2468");
    let r = rows(&screen(&mut app, 80, 24));
    assert!(
        !r.iter().any(|row| row.contains("2468")),
        "the PIN is drawn:\n{}",
        r.join("\n")
    );
    let pin_row = r.iter().find(|row| row.contains("PIN:")).expect("PIN row");
    assert!(pin_row.contains("PIN:  ••••"), "{pin_row}");
    for digit in ['2', '4', '6', '8'] {
        assert!(!pin_row.contains(digit), "{pin_row}");
    }

    press(&mut app, &[code(KeyCode::Enter)]);
    pump(&mut app, &store);
    assert!(app.gate_open(), "signed in with the right PIN");
    // The same check finds names on the open caseload: it can fail.
    assert!(!names_on_screen(&mut app, &names).is_empty());

    // A peer page, a check-in with text, a message naming the peer.
    press(&mut app, &[key('p'), code(KeyCode::Enter)]);
    pump(&mut app, &store);
    let opened = app.peer().map(|p| p.id).expect("a peer open");
    assert!(app.peer().is_some_and(|p| p.detail.is_some()));
    press(&mut app, &[key('c'), code(KeyCode::Enter)]);
    pump(&mut app, &store);
    type_str(&mut app, "words nobody else should read");
    app.status_mut().info(format!("about {}", names[0]));
    assert!(!names_on_screen(&mut app, &names).is_empty());

    press(&mut app, &[ctrl('l')]);
    pump(&mut app, &store);
    assert!(matches!(app.gate(), Gate::Locked(_)));
    let r = rows(&screen(&mut app, 80, 24));
    let t = r.join("\n");
    assert_eq!(
        names_on_screen(&mut app, &names),
        Vec::<String>::new(),
        "{t}"
    );
    assert!(!t.contains("words nobody"), "{t}");
    assert!(!t.contains("Peer:"), "no pane titles: {}", r[0]);
    assert!(r[0].contains("Locked"), "{}", r[0]);
    assert!(t.contains("type your PIN"), "{t}");
    type_str(&mut app, "2468");
    let r = rows(&screen(&mut app, 80, 24));
    assert!(!r.iter().any(|row| row.contains("2468")));

    // Both the opening and the lock are on the audit trail, in that order.
    let log = store.audit(&AuditFilter::default()).expect("audit");
    let viewed = log
        .iter()
        .position(|e| e.event == AuditEvent::Viewed { peer: opened })
        .expect("Viewed recorded");
    let locked = log
        .iter()
        .position(|e| e.event == AuditEvent::Locked)
        .expect("Locked recorded");
    assert!(locked < viewed, "newest first: locked after viewing");
    assert_eq!(log[locked].actor.staff, Some(StaffId::new(1)));
}

#[test]
fn privacy_mode_shows_initials_not_names() {
    let mut app = app();
    let full = ["Ana Ruiz", "Dana Ortiz", "Zoë Ångström"];
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(t.contains("Ana Ruiz"), "names shown normally:\n{t}");
    press(&mut app, &[ctrl('p')]);
    let r = rows(&screen(&mut app, 80, 24));
    let t = r.join("\n");
    for n in full {
        assert!(!t.contains(n), "{n} on Today:\n{t}");
    }
    assert!(t.contains("  AR "), "{t}");
    assert!(t.contains("  DO "), "{t}");
    assert!(
        t.contains("Monday art group"),
        "groups keep their names:\n{t}"
    );
    assert!(r[23].contains("privacy on"), "{}", r[23]);

    // Roster, searched.
    press(&mut app, &[key('/')]);
    type_str(&mut app, "ana");
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(!t.contains("Ana Ruiz"), "{t}");
    assert!(t.contains("  AR "), "{t}");
    press(&mut app, &[code(KeyCode::Esc), code(KeyCode::Esc)]);

    // The peer page and the check-in picker.
    press(&mut app, &[key('g'), code(KeyCode::Enter)]);
    app.on_response(Response::Peer(
        PeerId::new(1),
        Err("not loaded in this test".into()),
    ));
    let r = rows(&screen(&mut app, 80, 24));
    let t = r.join("\n");
    assert!(!t.contains("Ana"), "{t}");
    assert!(r[0].contains("Peer: AR"), "{}", r[0]);
    assert!(t.contains("AR (P1)"), "{t}");
    press(&mut app, &[key('c')]);
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    for n in full {
        assert!(!t.contains(n), "{n} in the picker:\n{t}");
    }
    assert!(t.contains("AR"), "{t}");
    press(&mut app, &[code(KeyCode::Enter)]);
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(t.contains("Check-in with AR (P1)"), "{t}");
    assert!(!t.contains("Ana"), "{t}");

    // Off again: names are back.
    press(&mut app, &[ctrl('p')]);
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(t.contains("Check-in with Ana Ruiz (P1)"), "{t}");
}

fn entry(at: &str, seq: u64, staff: Option<u64>, login: &str, event: AuditEvent) -> AuditEntry {
    AuditEntry {
        at: DateTime::parse_from_rfc3339(at)
            .expect("time")
            .with_timezone(&Utc),
        seq,
        actor: Actor {
            staff: staff.map(StaffId::new),
            login: login.into(),
        },
        peers: Vec::new(),
        event,
    }
}

#[test]
fn the_audit_browser_shows_when_who_what_which_record_and_revisions() {
    // Sam, a supervisor, working without PINs.
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    app.take_requests();
    app.on_response(Response::Access(Ok(access(false, Some(2)))));
    app.on_response(Response::Ready {
        location: "/srv/caseload/data".into(),
        organization: "Harbor Peer Center".into(),
        staff: Ok(staff()[1].clone()),
        staff_list: staff(),
    });
    press(&mut app, &[key('A')]);
    let page = AuditPage {
        entries: vec![
            entry(
                "2026-11-23T19:05:09Z",
                9,
                Some(1),
                "jordan",
                AuditEvent::Updated {
                    kind: ChangeKind::CheckIn,
                    id: "C45".into(),
                    from_revision: 3,
                    to_revision: 4,
                },
            ),
            entry(
                "2026-11-23T19:01:00Z",
                8,
                Some(1),
                "jordan",
                AuditEvent::Viewed {
                    peer: PeerId::new(12),
                },
            ),
            entry(
                "2026-11-23T18:00:00Z",
                7,
                None,
                "mallory",
                AuditEvent::SignInFailed {
                    staff: Some(StaffId::new(2)),
                    reason: "wrong PIN".into(),
                },
            ),
            entry(
                "2026-11-23T17:00:00Z",
                6,
                Some(2),
                "sam",
                AuditEvent::Locked,
            ),
        ],
        staff: staff(),
        understood: "everything".into(),
        truncated: false,
    };
    app.on_response(Response::Audit(Ok(Box::new(page))));
    assert_screens("audit", &mut app);
    let r = rows(&screen(&mut app, 80, 24));
    let t = r.join("\n");
    assert!(r[0].contains("Audit"), "{}", r[0]);
    assert!(
        t.contains("Audit trail · newest first · 4 entries · everything"),
        "{t}"
    );
    let row = |needle: &str| {
        r.iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle}:\n{t}"))
            .clone()
    };
    // Times in the app's zone (UTC-5), newest first.
    let changed = row("changed check-in");
    assert!(
        changed.starts_with("2026-11-23 14:05:09 S1 JR (jordan)"),
        "{changed}"
    );
    assert!(
        changed.contains("C45") && changed.contains("3 → 4"),
        "{changed}"
    );
    let opened = row("opened record");
    assert!(
        opened.contains("P12") && opened.contains("14:01:00"),
        "{opened}"
    );
    let refused = row("sign-in refused");
    assert!(
        refused.contains("(mallory)") && refused.contains("S2") && refused.contains("wrong PIN"),
        "{refused}"
    );
    assert!(row("locked the screen").contains("S2 SO (sam)"));
    let order: Vec<usize> = [
        "changed check-in",
        "opened record",
        "sign-in refused",
        "locked the screen",
    ]
    .iter()
    .map(|n| r.iter().position(|l| l.contains(n)).expect("row"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // A refusal from the worker is shown as such.
    app.on_response(Response::Audit(Err(
        "only supervisors and admins can read the audit log".into(),
    )));
    let t = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(t.contains("only supervisors and admins"), "{t}");
}
