//! What the search bench (`benches/ui_search.rs`) and the keystroke
//! timing example (`examples/search_keys.rs`) share: an app signed in
//! past its start-up gate, and rosters to search.

#![allow(dead_code)] // each user takes the parts it needs

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use caseload::model::{PeerId, PeerStatus, Role, StaffId};
use caseload::ops::demo::{FIRST_NAMES, LAST_NAMES};
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{AccessInfo, Response, RosterRow, SignInCandidate, StaffRow};

fn clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T14:30:00-05:00").unwrap_or_default()
}

/// A key press without modifiers.
pub fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

/// An app signed in as an admin, as `caseload` at a center without PINs
/// where the OS login names the staff member: straight past the start-up
/// gate into the caseload. (With no staff at all the app opens the
/// first-run set-up instead, which takes the keys: a bench then times
/// nothing.) Panics when the app is not signed in.
pub fn signed_in_app() -> App {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    let _ = app.take_requests();
    let me = SignInCandidate {
        staff: StaffRow {
            id: StaffId::new(1),
            name: "Jordan Reyes".into(),
            initials: "JR".into(),
            active: true,
        },
        role: Role::Admin,
        has_pin: false,
    };
    app.on_response(Response::Access(Ok(AccessInfo {
        required: false,
        staff: vec![me.clone()],
        preselect: Some(me.staff.id),
        preselect_problem: None,
        location: "bench".into(),
        organization: "Bench Center".into(),
        opening: None,
    })));
    assert!(app.gate_open(), "the caseload is shown");
    assert_eq!(
        app.signed_in().map(|s| s.staff.id),
        Some(me.staff.id),
        "signed in as the bench's staff member"
    );
    let _ = app.take_requests();
    app
}

fn row(i: usize, name: String) -> RosterRow {
    RosterRow {
        id: PeerId::new(i as u64 + 1),
        name,
        status: if i % 10 == 9 {
            PeerStatus::Inactive
        } else {
            PeerStatus::Active
        },
        assigned: Some(StaffId::new(1 + (i % 12) as u64)),
        last_contact: None,
        // Every row carries its id (and a phone) to search by.
        keys: caseload::search::SearchKeys {
            id: format!("P{}", i + 1),
            phone_digits: format!("0215550{:04}", i % 10_000),
            tags: Vec::new(),
        },
    }
}

/// The criterion bench's roster: the demo's first and family names in
/// turn (3,600 different names, repeated).
pub fn roster(peers: usize) -> Vec<RosterRow> {
    (0..peers)
        .map(|i| {
            let name = format!(
                "{} {}",
                FIRST_NAMES[i % FIRST_NAMES.len()],
                LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()]
            );
            row(i, name)
        })
        .collect()
}

/// A roster with names as a large center has them, drawn at random
/// (seeded) from the demo's names: a given name, sometimes a second one or
/// an initial, a family name, sometimes a second one joined by a hyphen;
/// mostly different names (about 90,000 of 100,000), accents and all.
pub fn realistic_roster(peers: usize, seed: u64) -> Vec<RosterRow> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: usize| -> usize {
        // xorshift64*: enough for spreading names, and reproducible.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    };
    (0..peers)
        .map(|i| {
            let mut name = FIRST_NAMES[next(FIRST_NAMES.len())].to_string();
            match next(10) {
                0..=2 => {
                    name.push(' ');
                    name.push_str(FIRST_NAMES[next(FIRST_NAMES.len())]);
                }
                3..=5 => {
                    name.push(' ');
                    name.push((b'A' + next(26) as u8) as char);
                    name.push('.');
                }
                _ => {}
            }
            name.push(' ');
            name.push_str(LAST_NAMES[next(LAST_NAMES.len())]);
            if next(5) == 0 {
                name.push('-');
                name.push_str(LAST_NAMES[next(LAST_NAMES.len())]);
            }
            row(i, name)
        })
        .collect()
}
