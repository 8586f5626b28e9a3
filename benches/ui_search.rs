//! One typed search character on a 10,000-peer roster: key → action →
//! state update (fuzzy ranking of every peer) → a full 120×40 frame drawn
//! to ratatui's TestBackend, with the visible matches highlighted.
//!
//! `cargo bench --bench ui_search -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use caseload::model::{PeerId, PeerStatus, StaffId};
use caseload::ops::demo::{FIRST_NAMES, LAST_NAMES};
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::view;
use caseload::ui::worker::{Response, RosterRow};

const PEERS: usize = 10_000;

fn clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T14:30:00-05:00").unwrap_or_default()
}

fn roster() -> Vec<RosterRow> {
    (0..PEERS)
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
        })
        .collect()
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn bench(c: &mut Criterion) {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::mono(),
            clock,
        },
    );
    app.resize(120, 40);
    let _ = app.take_requests();
    app.on_response(Response::Roster(Ok(roster())));
    app.handle_key(key(KeyCode::Char('/')));
    // TestBackend cannot fail (its error type is Infallible).
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    c.bench_function("type 1 search char + draw 120x40, 10k peers", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                app.handle_key(key(KeyCode::Char('a')));
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
