//! The Groups screen, a group's history and the attendance screen through
//! ratatui's TestBackend at 80×24 and 120×40.

mod plan_support;
mod ui_common;

use caseload::model::GroupId;
use caseload::ui::app::App;
use caseload::ui::worker::groups::GroupsResponse;
use chrono::Weekday;
use crossterm::event::KeyCode;
use plan_support::*;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use ui_common::*;
use unicode_width::UnicodeWidthStr;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn row_with<'a>(rows: &'a [String], needle: &str) -> (usize, &'a String) {
    rows.iter()
        .enumerate()
        .find(|(_, r)| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{}", rows.join("\n")))
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

fn on_groups() -> App {
    let mut app = app();
    press(&mut app, &[key('G')]);
    let mut rows = group_rows();
    let art = rows[0].group.clone();
    rows[0].today = Some(session(50, &art, "2026-11-23", &[2, 4]));
    app.on_response(groups_response(GroupsResponse::List(Ok(rows))));
    app
}

fn in_attendance() -> App {
    let mut app = on_groups();
    press(&mut app, &[code(KeyCode::Enter)]);
    let g = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let s = session(50, &g, "2026-11-23", &[2, 4]);
    app.on_response(groups_response(GroupsResponse::Opened(Ok((g, s)))));
    app
}

#[test]
fn the_group_list_puts_todays_groups_first_with_their_attendance() {
    for (w, h) in SIZES {
        let mut app = on_groups();
        let buf = screen(&mut app, w, h);
        let r = sane(&buf, w);
        assert!(r[0].contains("│ Groups"), "{}", r[0]);
        row_with(&r, "Groups · Mon 23 Nov 2026 · 1 today, 2 in all");
        let (y, art) = row_with(&r, "Monday art group");
        assert!(
            art.starts_with("● "),
            "today's group is marked by a glyph of its own, not the focus marker ▸: {art}"
        );
        assert!(
            art.contains("Mon 10:00") && art.contains("Art room") && art.contains("JR"),
            "{art}"
        );
        assert!(art.contains("today: 2 attending"), "{art}");
        assert!(buf[(4, y as u16)].modifier.contains(Modifier::REVERSED));
        let (wy, wrap) = row_with(&r, "Tuesday WRAP group");
        assert!(wy > y);
        assert!(!wrap.starts_with('●') && !wrap.starts_with('▸'));
        assert!(
            wrap.contains("Tue 14:00") && wrap.contains("last 2026-11-17: 9"),
            "{wrap}"
        );
        row_with(&r, "GR1: 12 sessions recorded");
        assert!(
            r[h as usize - 2].contains("Enter today's session")
                && r[h as usize - 2].contains("h history"),
            "{}",
            r[h as usize - 2]
        );
    }
}

#[test]
fn the_history_lists_past_sessions_with_counts() {
    for (w, h) in SIZES {
        let mut app = on_groups();
        press(&mut app, &[code(KeyCode::Down), key('h')]);
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "History of Tuesday WRAP group");
        row_with(&r, "Loading…");
        let g = group(2, "Tuesday WRAP group", Weekday::Tue, 14, "Room 2");
        let mut s1 = session(9, &g, "2026-11-17", &[1, 2, 3]);
        s1.data.topic = "Hope".into();
        let h2 = session(8, &g, "2026-11-10", &[1]);
        app.on_response(groups_response(GroupsResponse::History(
            GroupId::new(2),
            Ok(vec![s1, h2]),
        )));
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "History of Tuesday WRAP group · 2 sessions");
        let (_, a) = row_with(&r, "Tue 2026-11-17");
        assert!(a.contains("  3  Hope"), "{a}");
        let (_, b) = row_with(&r, "Tue 2026-11-10");
        assert!(b.contains("  1  "), "{b}");
    }
}

#[test]
fn the_attendance_screen_shows_who_is_checked_off_and_what_is_unsaved() {
    for (w, h) in SIZES {
        let mut app = in_attendance();
        let buf = screen(&mut app, w, h);
        let r = sane(&buf, w);
        row_with(
            &r,
            "Monday art group · Mon 23 Nov 2026 10:00 · Art room · session GS50",
        );
        row_with(&r, "Attending (2): Dana Ortiz, Evil\\e[31mName");
        let (_, dana) = row_with(&r, "Dana Ortiz  ");
        assert!(dana.starts_with("[x] "), "{dana}");
        let (ay, ana) = row_with(&r, "Ana Ruiz");
        assert!(
            ana.starts_with("[ ] ") && ana.trim_end().ends_with("P1"),
            "{ana}"
        );
        assert!(
            buf[(4, ay as u16)].modifier.contains(Modifier::REVERSED),
            "first row highlighted"
        );
        let (_, evil) = row_with(&r, "] Evil\\e[31mName");
        assert!(evil.starts_with("[x] "));
        let (_, bob) = row_with(&r, "Bob Stone");
        assert!(bob.contains("(inactive)"), "{bob}");
        row_with(&r, "Enter checks off/on · Ctrl-n walk-in");
        row_with(&r, "Topic");
        // Check Ana off, take Dana off: the header counts what is unsaved.
        press(
            &mut app,
            &[
                code(KeyCode::Enter),
                code(KeyCode::Down),
                code(KeyCode::Enter),
            ],
        );
        type_str(&mut app, "zo");
        let r = sane(&screen(&mut app, w, h), w);
        row_with(
            &r,
            "Attending (2) (+1 −1 not saved): Evil\\e[31mName, Ana Ruiz",
        );
        let (_, zoe) = row_with(&r, "Zoë Ångström");
        assert!(zoe.starts_with("[ ] "));
        assert!(
            !r.iter().any(|l| l.contains("Dana Ortiz  ")),
            "filtered by the search"
        );
    }
}

#[test]
fn a_refused_save_is_shown_under_the_list_and_nothing_is_lost() {
    for (w, h) in SIZES {
        let mut app = in_attendance();
        press(&mut app, &[code(KeyCode::Enter), code(KeyCode::Tab)]);
        type_str(&mut app, "Collage");
        press(&mut app, &[ctrl('s')]);
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "Saving…");
        app.on_response(groups_response(GroupsResponse::Saved(Err(field_failure(&[(
            "attendees",
            "Ana Ruiz (P1) is already checked off for Monday art group on 2026-11-23; nothing was saved",
        )])))));
        let r = sane(&screen(&mut app, w, h), w);
        row_with(
            &r,
            "✗ Not saved: attendees: Ana Ruiz (P1) is already checked off",
        );
        row_with(&r, "Collage");
        row_with(&r, "Attending (3) (+1 −0 not saved)");
    }
}

#[test]
fn the_walk_in_and_group_forms_draw_over_the_screen() {
    let mut app = in_attendance();
    type_str(&mut app, "Robin");
    press(&mut app, &[ctrl('n')]);
    let r = sane(&screen(&mut app, 80, 24), 80);
    row_with(&r, "Walk-in: add a new peer");
    let (_, name) = row_with(&r, "▸Name");
    assert!(name.contains("Robin"), "{name}");
    let mut app = on_groups();
    press(&mut app, &[key('a')]);
    type_str(&mut app, "Sunday circle");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Funday");
    press(&mut app, &[ctrl('s')]);
    for (w, h) in SIZES {
        let r = sane(&screen(&mut app, w, h), w);
        let (y, _) = row_with(&r, "Weekday");
        assert!(
            r[y + 1].contains("✗ weekday: 'Funday' is not a day of the week"),
            "{}",
            r[y + 1]
        );
        let (ty, _) = row_with(&r, "Time");
        assert!(
            r[ty + 1].contains("✗ time: give the time it starts, like 14:00"),
            "{}",
            r[ty + 1]
        );
    }
}

#[test]
fn the_peer_page_lists_the_sessions_the_peer_attended() {
    for (w, h) in SIZES {
        let mut app = app_on_peer_with(detail());
        press(&mut app, &[code(KeyCode::End)]);
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "[1 Overview]");
        row_with(&r, "Groups (1 session attended, last 2026-11-17)");
        row_with(&r, "Tuesday WRAP group ×1");
        row_with(&r, "Sessions attended, newest first");
        row_with(&r, "2026-11-17 Tue Tuesday WRAP group · Hope");
    }
}

#[test]
fn privacy_mode_shows_initials_on_the_attendance_screen_and_in_forms() {
    for (w, h) in SIZES {
        let mut app = in_attendance();
        press(&mut app, &[ctrl('p')]);
        let r = sane(&screen(&mut app, w, h), w);
        let all = r.join("\n");
        for full in ["Ana Ruiz", "Dana Ortiz", "Zoë Ångström", "Bob Stone"] {
            assert!(!all.contains(full), "{full} shown in privacy mode:\n{all}");
        }
        row_with(&r, "Attending (2): DO, E");
        let (_, dana) = row_with(&r, "[x] DO ");
        assert!(dana.trim_end().ends_with("P2"), "{dana}");
        // The goal form names the peer by initials too.
        let mut app = app_on_plan();
        press(&mut app, &[ctrl('p'), key('a')]);
        let r = sane(&screen(&mut app, w, h), w);
        row_with(&r, "New goal for AR");
        assert!(!r.join("\n").contains("Ana Ruiz"));
    }
}
