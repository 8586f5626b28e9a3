//! Snapshots (insta) of the center's screens at 80×24 and 120×40: the
//! first-run set-up (a PIN typed shows only dots), the Staff screen as an
//! admin sees it, the add-peer form and the duplicate question. Review a
//! change with `cargo insta review`.

mod ui_common;

use caseload::model::{PeerId, Role, StaffId};
use caseload::ops::roster::DuplicateReason;
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::center::{CenterResponse, Duplicate, DuplicateCheck, StaffEntry};
use caseload::ui::worker::{AccessInfo, Request, Response, SignInCandidate, StaffRow};
use crossterm::event::KeyCode;
use ui_common::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn text(app: &mut App, w: u16, h: u16) -> String {
    rows(&screen(app, w, h))
        .iter()
        .map(|r| r.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn snap(name: &str, mut make: impl FnMut() -> App) {
    for (w, h) in SIZES {
        let mut app = make();
        let shown = text(&mut app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), shown);
    }
}

fn blank_app() -> App {
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

fn info(staff: Vec<SignInCandidate>, preselect: Option<u64>) -> AccessInfo {
    AccessInfo {
        required: false,
        staff,
        preselect: preselect.map(StaffId::new),
        preselect_problem: None,
        location: "/srv/caseload/data".into(),
        organization: "Peer support center".into(),
        opening: None,
    }
}

/// An empty store: the set-up, with a name and a PIN typed.
fn setup_app() -> App {
    let mut app = blank_app();
    let first = app.take_requests();
    assert!(matches!(first.as_slice(), [Request::Access { .. }]));
    app.on_response(Response::Access(Ok(info(Vec::new(), None))));
    app.on_response(Response::Ready {
        location: "/srv/caseload/data".into(),
        organization: "Peer support center".into(),
        staff: Err("no staff yet; S adds staff".into()),
        staff_list: Vec::new(),
    });
    type_str(&mut app, "Harbour Peer Center");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Rangi Parata");
    press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_str(&mut app, "2468");
    app
}

fn admin() -> SignInCandidate {
    SignInCandidate {
        staff: StaffRow {
            id: StaffId::new(1),
            name: "Rangi Parata".into(),
            initials: "RP".into(),
            active: true,
        },
        role: Role::Admin,
        has_pin: true,
    }
}

/// Signed in as an admin, the roster loaded.
fn admin_app() -> App {
    let mut app = blank_app();
    app.take_requests();
    app.on_response(Response::Access(Ok(info(vec![admin()], Some(1)))));
    app.on_response(Response::Ready {
        location: "/srv/caseload/data".into(),
        organization: "Harbour Peer Center".into(),
        staff: Ok(admin().staff),
        staff_list: vec![admin().staff],
    });
    app.on_response(Response::Today(Ok(report())));
    app.on_response(Response::Roster(Ok(roster())));
    app.take_requests();
    app
}

fn entry(id: u64, name: &str, initials: &str, role: Role, pin: bool, active: bool) -> StaffEntry {
    StaffEntry {
        row: StaffRow {
            id: StaffId::new(id),
            name: name.into(),
            initials: initials.into(),
            active,
        },
        role,
        login: None,
        has_pin: pin,
    }
}

#[test]
fn first_run_set_up() {
    snap("center_setup", setup_app);
    // The PIN itself is never drawn.
    let mut app = setup_app();
    for (w, h) in SIZES {
        let t = text(&mut app, w, h);
        assert!(!t.contains("2468"), "{t}");
        assert!(
            t.lines()
                .any(|l| l.contains("▸PIN ") && l.contains(" •••• ") && !l.contains("•••••")),
            "one dot per character: {t}"
        );
    }
}

#[test]
fn staff_screen() {
    snap("center_staff", || {
        let mut app = admin_app();
        press(&mut app, &[key('S')]);
        app.on_response(Response::Center(Box::new(CenterResponse::StaffList(Ok(
            vec![
                entry(1, "Rangi Parata", "RP", Role::Admin, true, true),
                entry(2, "Mia Chen", "MC", Role::PeerSpecialist, true, true),
                entry(3, EVIL, "EN", Role::Supervisor, false, true),
                entry(4, "Tomás Ortega", "TO", Role::PeerSpecialist, false, false),
            ],
        )))));
        app
    });
}

#[test]
fn add_peer_form() {
    snap("center_add_peer", || {
        let mut app = admin_app();
        press(&mut app, &[key('p'), key('n')]);
        type_str(&mut app, "Aroha Wright");
        app
    });
}

#[test]
fn duplicate_question() {
    snap("center_duplicate", || {
        let mut app = admin_app();
        press(&mut app, &[key('p'), key('n')]);
        type_str(&mut app, "aroha wright");
        press(&mut app, &[ctrl('s')]);
        app.on_response(Response::Center(Box::new(CenterResponse::Duplicates(
            DuplicateCheck::AddPeer,
            Ok(vec![Duplicate {
                id: PeerId::new(17),
                name: "Aroha Wright".into(),
                pronouns: Some("she/her".into()),
                reason: DuplicateReason::SameName,
            }]),
        ))));
        app
    });
}
