//! The Reports screen through ratatui's TestBackend at 80×24 and 120×40:
//! the figures `caseload report` prints, bars for weeks, support kinds and
//! staff, the weekly-peers sparkline, the same text with and without
//! colour, and insta snapshots of each tab at both sizes.

mod ui_common;

use caseload::model::report::ServiceReport;
use caseload::ui::app::{App, AppOptions};
use caseload::ui::keymap::Keymap;
use caseload::ui::theme::Theme;
use caseload::ui::worker::{Request, Response};
use ratatui::buffer::Buffer;
use ui_common::*;
use unicode_width::UnicodeWidthStr;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn fixture() -> ServiceReport {
    serde_json::from_str(include_str!("fixtures/report_screen.json")).unwrap()
}

/// Opens Reports and answers with the fixture.
fn on_reports(mut app: App) -> App {
    app.take_requests();
    press(&mut app, &[key('R')]);
    let id = app
        .take_tagged()
        .into_iter()
        .find_map(|(id, r)| matches!(r, Request::Report { .. }).then_some(id))
        .expect("a report request");
    app.on_reply(Some(id), Response::Report(Box::new(Ok(fixture()))));
    app
}

fn coloured_app() -> App {
    let mut app = App::new(
        Keymap::builtin(),
        AppOptions {
            demo: false,
            staff: Some("JR".into()),
            theme: Theme::for_env(None, Some("xterm-256color")),
            clock,
        },
    );
    let_in(&mut app);
    app.take_requests();
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

fn sane(buf: &Buffer, w: u16) -> Vec<String> {
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "raw control character in {:?}",
            cell.symbol()
        );
    }
    let r = rows(buf);
    for row in &r {
        assert!(
            UnicodeWidthStr::width(row.as_str()) <= usize::from(w),
            "{row}"
        );
    }
    r
}

fn row_with<'a>(rows: &'a [String], needle: &str) -> &'a String {
    rows.iter()
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{}", rows.join("\n")))
}

const BAR: &[char] = &['█', '▉', '▊', '▋', '▌', '▍', '▎', '▏'];

#[test]
fn the_figures_tab_shows_the_clis_figures() {
    for (w, h) in SIZES {
        let mut app = on_reports(app());
        let r = sane(&screen(&mut app, w, h), w);
        assert!(r[0].contains("Reports"), "{}", r[0]);
        row_with(&r, "month 2026-11-01 to 2026-11-30 · staff: everyone");
        row_with(&r, "[Figures]");
        let served = row_with(&r, "served");
        assert!(
            served.starts_with("peers") && served.trim_end().ends_with("17"),
            "{served}"
        );
        let new = row_with(&r, "new ");
        assert!(new.trim_end().ends_with('3'), "{new}");
        // The hints offer the period keys.
        row_with(&r, "earlier");
    }
}

#[test]
fn the_figures_scroll_to_the_last_row() {
    let mut app = on_reports(app());
    let before = sane(&screen(&mut app, 80, 24), 80);
    press(&mut app, &[code(crossterm::event::KeyCode::End)]);
    press(&mut app, &[code(crossterm::event::KeyCode::PageDown)]);
    let after = sane(&screen(&mut app, 80, 24), 80);
    assert_ne!(before, after);
    row_with(&after, "2026-11-30 to 2026-11-30");
}

#[test]
fn the_weeks_tab_draws_a_bar_per_week_and_the_peers_sparkline() {
    for (w, h) in SIZES {
        let mut app = on_reports(app());
        press(&mut app, &[key(']')]);
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "[Weeks]");
        row_with(&r, "Check-ins per week");
        let busiest = row_with(&r, "16 Nov");
        assert!(busiest.contains(BAR), "no bar: {busiest}");
        assert!(busiest.contains("13"), "{busiest}");
        let quiet = row_with(&r, "01 Nov");
        let bars = |s: &str| s.chars().filter(|c| *c == '█').count();
        assert!(bars(busiest) > bars(quiet), "{busiest} / {quiet}");
        row_with(&r, "Different peers per week");
        row_with(&r, "1 7 10 11 5 1");
        assert!(
            r.iter().any(|row| row.trim().chars().count() >= 4
                && row.trim().chars().all(|c| "▁▂▃▄▅▆▇█ ".contains(c))),
            "no sparkline in\n{}",
            r.join("\n")
        );
    }
}

#[test]
fn the_support_tab_draws_kinds_and_units_per_staff() {
    for (w, h) in SIZES {
        let mut app = on_reports(app());
        press(&mut app, &[key(']'), key(']')]);
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "Check-ins by support kind");
        let em = row_with(&r, "emotional");
        assert!(em.contains(BAR) && em.contains("25"), "{em}");
        row_with(&r, "Units per staff member");
        let jr = row_with(&r, "Jordan");
        assert!(jr.contains(BAR) && jr.contains("56"), "{jr}");
    }
}

#[test]
fn the_same_text_is_drawn_without_colour() {
    for tabs in 0..3 {
        let mut mono = on_reports(app());
        let mut colour = on_reports(coloured_app());
        for _ in 0..tabs {
            press(&mut mono, &[key(']')]);
            press(&mut colour, &[key(']')]);
        }
        let m = screen(&mut mono, 80, 24);
        let c = screen(&mut colour, 80, 24);
        assert_eq!(rows(&m), rows(&c), "tab {tabs}");
        assert!(
            m.content()
                .iter()
                .all(|cell| cell.fg == ratatui::style::Color::Reset
                    && cell.bg == ratatui::style::Color::Reset),
            "the mono theme drew a colour"
        );
    }
}

#[test]
fn a_refusal_is_said_on_the_screen() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('R')]);
    let id = app
        .take_tagged()
        .into_iter()
        .find_map(|(id, r)| matches!(r, Request::Report { .. }).then_some(id))
        .unwrap();
    app.on_reply(
        Some(id),
        Response::Report(Box::new(Err("peer staff may not read reports".into()))),
    );
    let r = sane(&screen(&mut app, 80, 24), 80);
    row_with(&r, "No report: peer staff may not read reports");
}

/// The screen as text, one row a line, trailing blanks trimmed.
fn text(app: &mut App, w: u16, h: u16) -> String {
    rows(&screen(app, w, h))
        .iter()
        .map(|r| r.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn snapshots_of_each_tab() {
    for (tab, name) in ["figures", "weeks", "support"].iter().enumerate() {
        for (w, h) in SIZES {
            let mut app = on_reports(app());
            for _ in 0..tab {
                press(&mut app, &[key(']')]);
            }
            let shown = text(&mut app, w, h);
            insta::assert_snapshot!(format!("reports_{name}_{w}x{h}"), shown);
        }
    }
}

#[test]
fn the_figures_page_by_the_rows_of_the_last_draw() {
    let mut app = on_reports(app());
    screen(&mut app, 80, 14);
    let drawn = app.reports().scroll.view.rows();
    assert!(drawn > 1, "{drawn}");
    press(&mut app, &[code(crossterm::event::KeyCode::PageDown)]);
    assert_eq!(
        app.reports().scroll.top,
        drawn - 1,
        "a page is the rows drawn less one, as in every list"
    );
    // A taller window: the next draw records more rows, and paging follows.
    screen(&mut app, 80, 24);
    let taller = app.reports().scroll.view.rows();
    assert!(taller > drawn);
    press(&mut app, &[code(crossterm::event::KeyCode::PageUp)]);
    assert_eq!(app.reports().scroll.top, 0);
}
