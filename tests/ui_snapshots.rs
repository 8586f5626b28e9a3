//! Snapshots (insta) of the canonical screens at 80×24 and 120×40: Today,
//! Peers, the peer page and its plan, timeline and wellness tabs, the
//! check-in form, help, sign-in and Groups. The
//! .snap files are committed; a change to what a screen draws shows up as
//! a diff to review (`cargo insta review`), and CI (CI=true) fails on any
//! snapshot that is missing or differs.

mod plan_support;
mod ui_common;

use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::groups::GroupsResponse;
use caseload::ui::worker::{Request, Response};
use crossterm::event::KeyCode;
use plan_support::*;
use ui_common::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The screen as text, one row a line, trailing blanks trimmed.
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

#[test]
fn today() {
    snap("today", app);
}

#[test]
fn peers() {
    snap("peers", || {
        let mut app = app();
        press(&mut app, &[key('p')]);
        app
    });
}

#[test]
fn peer_page() {
    snap("peer_page", || app_on_peer_with(detail()));
}

#[test]
fn check_in_form() {
    snap("check_in_form", || {
        let mut app = app();
        press(&mut app, &[key('c')]);
        app
    });
}

#[test]
fn help() {
    snap("help", || {
        let mut app = app();
        press(&mut app, &[key('?')]);
        app
    });
}

#[test]
fn sign_in() {
    snap("sign_in", || {
        let mut app = App::new(
            Keymap::builtin(),
            AppOptions {
                demo: false,
                staff: None,
                theme: Theme::mono(),
                clock,
            },
        );
        let first = app.take_requests();
        assert!(matches!(first.as_slice(), [Request::Access { .. }]));
        app.on_response(Response::Access(Ok(access(true, None))));
        app
    });
}

#[test]
fn groups() {
    snap("groups", || {
        let mut app = app();
        press(&mut app, &[key('G')]);
        let mut rows = group_rows();
        let art = rows[0].group.clone();
        rows[0].today = Some(session(50, &art, "2026-11-23", &[2, 4]));
        app.on_response(groups_response(GroupsResponse::List(Ok(rows))));
        app
    });
}

#[test]
fn groups_attendance() {
    snap("groups_attendance", || {
        let mut app = app();
        press(&mut app, &[key('G')]);
        let mut rows = group_rows();
        let art = rows[0].group.clone();
        rows[0].today = Some(session(50, &art, "2026-11-23", &[2, 4]));
        app.on_response(groups_response(GroupsResponse::List(Ok(rows))));
        press(&mut app, &[code(KeyCode::Enter)]);
        let g = group(1, "Monday art group", chrono::Weekday::Mon, 10, "Art room");
        let s = session(50, &g, "2026-11-23", &[2, 4]);
        app.on_response(groups_response(GroupsResponse::Opened(Ok((g, s)))));
        app
    });
}

#[test]
fn plan_tab() {
    snap("plan_tab", app_on_plan);
}

#[test]
fn timeline_tab() {
    snap("timeline_tab", app_on_timeline);
}

#[test]
fn wellness_tab() {
    snap("wellness_tab", || {
        let mut app = app_on_peer_with(detail());
        press(&mut app, &[key('4')]);
        app
    });
}
