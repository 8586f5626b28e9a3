//! Shared helpers for the UI tests: a fixed clock, a small roster and
//! Today report with awkward names, and key helpers.
#![allow(dead_code)]

use caseload::model::today::{Section, TodayReport, TodayRow};
use caseload::model::{PeerId, PeerStatus, Role, StaffId};
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{AccessInfo, Request, Response, RosterRow, SignInCandidate, StaffRow};
use chrono::{DateTime, FixedOffset, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;

/// Monday 2026-11-23, 14:30 at UTC-5.
pub fn clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T14:30:00-05:00").expect("valid time")
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("valid date")
}

pub const EVIL: &str = "Evil\u{1b}[31mName";

pub fn staff() -> Vec<StaffRow> {
    vec![
        StaffRow {
            id: StaffId::new(1),
            name: "Jordan Reyes".into(),
            initials: "JR".into(),
            active: true,
        },
        StaffRow {
            id: StaffId::new(2),
            name: "Sam Okoye".into(),
            initials: "SO".into(),
            active: true,
        },
    ]
}

pub fn roster() -> Vec<RosterRow> {
    let row = |id: u64, name: &str, status: PeerStatus, staff: u64, last: Option<&str>| RosterRow {
        id: PeerId::new(id),
        name: name.into(),
        status,
        assigned: Some(StaffId::new(staff)),
        last_contact: last.map(day),
        keys: caseload::search::SearchKeys {
            id: format!("P{id}"),
            ..Default::default()
        },
    };
    vec![
        row(1, "Ana Ruiz", PeerStatus::Active, 1, Some("2026-11-16")),
        row(2, "Dana Ortiz", PeerStatus::Active, 2, Some("2026-11-10")),
        row(3, "李伟", PeerStatus::Active, 1, Some("2026-09-01")),
        row(4, EVIL, PeerStatus::Active, 2, None),
        row(5, "Bob Stone", PeerStatus::Inactive, 1, Some("2026-01-05")),
        row(6, "Zoë Ångström", PeerStatus::Active, 1, Some("2026-11-23")),
    ]
}

fn today_row(section: Section, peer: Option<u64>, name: &str, why: &str) -> TodayRow {
    TodayRow {
        section,
        peer: peer.map(PeerId::new),
        name: name.into(),
        goal: None,
        group: None,
        session: None,
        date: None,
        days: None,
        why: why.into(),
    }
}

pub fn report() -> TodayReport {
    TodayReport {
        date: day("2026-11-23"),
        rows: vec![
            today_row(
                Section::FollowUpDue,
                Some(1),
                "Ana Ruiz",
                "follow-up planned at the check-in on 2026-11-16",
            ),
            today_row(
                Section::Overdue,
                Some(2),
                "Dana Ortiz",
                "follow-up planned for 2026-11-20 is 3 days overdue",
            ),
            today_row(
                Section::Reengage,
                Some(3),
                "李伟",
                "not seen for 83 days (last seen 2026-09-01)",
            ),
            today_row(
                Section::Reengage,
                Some(4),
                EVIL,
                "no check-in since intake on 2026-01-02",
            ),
            today_row(
                Section::GroupsToday,
                None,
                "Monday art group",
                "meets at 10:00 in Art room; no session recorded yet",
            ),
            today_row(
                Section::SeenToday,
                Some(6),
                "Zoë Ångström",
                "contacted once today, 15 min (09:00 in person 15 min by JR)",
            ),
        ],
    }
}

/// The staff as the sign-in screen knows them: Jordan a peer specialist,
/// Sam a supervisor, both with PINs.
pub fn candidates() -> Vec<SignInCandidate> {
    let s = staff();
    vec![
        SignInCandidate {
            staff: s[0].clone(),
            role: Role::PeerSpecialist,
            has_pin: true,
        },
        SignInCandidate {
            staff: s[1].clone(),
            role: Role::Supervisor,
            has_pin: true,
        },
    ]
}

/// What the worker answers to `Request::Access`: sign-in `required` or
/// not, with staff `preselect` (by number) as the login mapping would.
pub fn access(required: bool, preselect: Option<u64>) -> AccessInfo {
    AccessInfo {
        required,
        staff: candidates(),
        preselect: preselect.map(StaffId::new),
        preselect_problem: None,
        location: "/srv/caseload/data".into(),
        organization: "Harbor Peer Center".into(),
        opening: None,
    }
}

/// Answers the app's first request: no PINs, Jordan is working (as with
/// `--staff JR`), so the caseload opens at once.
pub fn let_in(app: &mut App) {
    let first = app.take_requests();
    assert!(
        matches!(first.first(), Some(Request::Access { .. })),
        "{first:?}"
    );
    app.on_response(Response::Access(Ok(access(false, Some(1)))));
}

/// An app with the given keymap, loaded with staff, Today and the roster.
pub fn app_with(keymap: Keymap) -> App {
    let mut app = App::new(
        keymap,
        AppOptions {
            demo: false,
            staff: Some("JR".into()),
            theme: Theme::mono(),
            clock,
        },
    );
    let_in(&mut app);
    let first = app.take_requests();
    assert!(
        matches!(first.first(), Some(Request::Init { .. })),
        "{first:?}"
    );
    app.on_response(Response::Ready {
        location: "/srv/caseload/data".into(),
        organization: "Harbor Peer Center".into(),
        staff: Ok(staff()[0].clone()),
        staff_list: staff(),
    });
    app.on_response(Response::Today(Ok(report())));
    app.on_response(Response::Roster(Ok(roster())));
    app
}

pub fn app() -> App {
    app_with(Keymap::builtin())
}

pub fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

pub fn press(app: &mut App, keys: &[KeyEvent]) {
    for k in keys {
        app.handle_key(*k);
    }
}

pub fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle_key(key(c));
    }
}

/// The buffer's rows as strings (wide characters' hidden cells skipped).
pub fn rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut s = String::new();
            let mut skip = 0;
            for x in 0..area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            }
            s
        })
        .collect()
}

/// Draws the app through ratatui's `TestBackend` at `w`×`h`; the views record
/// the rows they show, so later paging moves by what this draw showed.
pub fn screen(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("test terminal");
    terminal
        .draw(|f| caseload::ui::view::render(app, f))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// A real store in a temporary folder, filled with a demo center of
/// `peers` peers and `checkins` check-ins around today.
pub fn demo_store_of(
    peers: usize,
    checkins: usize,
    seed: u64,
) -> (tempfile::TempDir, caseload::store::SledStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = caseload::store::SledStore::open(&dir.path().join("store")).expect("open store");
    let now = caseload::ops::local_now();
    let opts = caseload::ops::demo::DemoOptions {
        peers,
        checkins,
        seed,
        today: now.date_naive(),
        offset: *now.offset(),
        login: None,
    };
    caseload::ops::demo::generate(
        &store,
        &caseload::model::Actor::login("test"),
        &opts,
        &mut |_| {},
    )
    .expect("demo data");
    (dir, store)
}

/// What the worker answers when the domain refused some fields: each
/// (field, problem) pair kept as the domain's `FieldError`.
pub fn field_failure(pairs: &[(&str, &str)]) -> caseload::ui::worker::Failure {
    caseload::model::ValidationError {
        problems: pairs
            .iter()
            .map(|(field, problem)| caseload::model::validate::FieldError {
                field: field.to_string(),
                problem: problem.to_string(),
            })
            .collect(),
    }
    .into()
}

/// The canonical sizes every screen is snapshotted at.
pub const SNAPSHOT_SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The screen drawn at `w`×`h` as text for an insta snapshot: one row a
/// line, trailing blanks trimmed.
pub fn snapshot_text(app: &mut App, w: u16, h: u16) -> String {
    rows(&screen(app, w, h))
        .iter()
        .map(|r| r.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts the insta snapshots `screens__{name}_80x24` and
/// `screens__{name}_120x40` of `app` (drawn at each size in turn), kept
/// with the others in `tests/snapshots` whichever test file asks.
pub fn assert_screens(name: &str, app: &mut App) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (w, h) in SNAPSHOT_SIZES {
            insta::assert_snapshot!(format!("screens__{name}_{w}x{h}"), snapshot_text(app, w, h));
        }
    });
}
