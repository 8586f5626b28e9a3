//! One typed search character on a 10,000- and a 100,000-peer roster:
//! key → action → state update (fuzzy ranking of every peer) → a full
//! 120×40 frame drawn to ratatui's TestBackend, with the visible matches
//! highlighted. The app is first taken past its start-up gate (as a
//! signed-in session: no PINs on this store), and before anything is
//! timed the bench checks that the typed character reached the search and
//! changed the row count, so an app that ignores keys cannot be timed as a
//! fast one. (The target: ≤ 4 ms p99 at 100,000 peers.)
//!
//! `cargo bench --bench ui_search -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use caseload::model::{PeerId, PeerStatus, Role, StaffId};
use caseload::ops::demo::{FIRST_NAMES, LAST_NAMES};
use caseload::ui::app::{App, AppOptions, Pane};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::view;
use caseload::ui::worker::{AccessInfo, Response, RosterRow, SignInCandidate, StaffRow};

/// Roster sizes measured: a large center, and ten times that.
const SIZES: [usize; 2] = [10_000, 100_000];
/// The character typed: held by many names, not by all.
const QUERY: char = 'k';

fn clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T14:30:00-05:00").unwrap_or_default()
}

fn roster(peers: usize) -> Vec<RosterRow> {
    (0..peers)
        .map(|i| RosterRow {
            id: PeerId::new(i as u64 + 1),
            name: format!(
                "{} {}",
                FIRST_NAMES[i % FIRST_NAMES.len()],
                LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()]
            ),
            status: if i % 10 == 9 {
                PeerStatus::Inactive
            } else {
                PeerStatus::Active
            },
            assigned: Some(StaffId::new(1 + (i % 12) as u64)),
            last_contact: None,
            // Every row carries its id (and most a phone) to search by.
            keys: caseload::search::SearchKeys {
                id: format!("P{}", i + 1),
                phone_digits: format!("0215550{:04}", i % 10_000),
                tags: Vec::new(),
            },
        })
        .collect()
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn bench(c: &mut Criterion) {
    for peers in SIZES {
        bench_size(c, peers);
    }
}

fn bench_size(c: &mut Criterion, size: usize) {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    // Signed in first, as `caseload` at a center without PINs where the
    // OS login names the staff member: straight past the start-up gate
    // into the caseload. (With no staff at all the app opens the first-run
    // set-up instead, which takes the keys: the bench then timed nothing.)
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
    })));
    assert!(app.gate_open(), "the caseload is shown");
    assert_eq!(
        app.signed_in().map(|s| s.staff.id),
        Some(me.staff.id),
        "signed in as the bench's staff member"
    );
    let _ = app.take_requests();
    app.on_response(Response::Roster(Ok(roster(size))));
    app.handle_key(key(KeyCode::Char('/')));
    let all = app.peers().visible.len();
    // The roster arrived (the default filter may hide the inactive tenth).
    assert!(
        all > size / 2 && all <= size,
        "{all} of {size} peers listed before the search"
    );
    // The bench measures a real search: the typed character must filter
    // the roster to names holding it, and Backspace must undo it.
    app.handle_key(key(KeyCode::Char(QUERY)));
    assert_eq!(app.pane(), Pane::Peers);
    assert_eq!(app.peers().query.text(), QUERY.to_string());
    let peers = app.peers();
    let shown = peers.visible.len();
    assert!(
        shown > 0 && shown < all,
        "'{QUERY}' shows {shown} of {all} peers"
    );
    assert!(peers
        .visible
        .iter()
        .all(|&i| peers.roster[i].name.to_lowercase().contains(QUERY)));
    app.handle_key(key(KeyCode::Backspace));
    assert_eq!(app.peers().visible.len(), all, "the empty search shows all");
    // TestBackend cannot fail (its error type is Infallible).
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    let name = format!("type 1 search char + draw 120x40, {}k peers", size / 1000);
    c.bench_function(&name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                app.handle_key(key(KeyCode::Char(QUERY)));
                let drawn = terminal.draw(|f| view::render(&app, f));
                black_box(drawn.is_ok());
                total += start.elapsed();
                // Untimed: back to the empty search for the next round.
                app.handle_key(key(KeyCode::Backspace));
            }
            total
        })
    });
    black_box(app.peers().visible.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
