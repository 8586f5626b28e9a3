//! Rendering through ratatui's TestBackend at 80×24 and 120×40: what the
//! buffer holds, including escaping, alignment of wide characters and the
//! help overlay generated from the keymap.

mod ui_common;

use std::collections::HashMap;

use caseload::model::{
    Actor, CheckIn, CheckInId, CheckInMode, Goal, GoalId, GroupId, GroupSession, LifeDomain, Meta,
    Peer, PeerId, Record, SessionId, Staff, StaffId,
};
use caseload::ops::peer::PeerOverview;
use caseload::ui::keymap::{sequence_label, Context, Keymap, DEFAULT_TOML, VIM_TOML};
use caseload::ui::worker::{PeerDetail, Response};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use ui_common::*;
use unicode_width::UnicodeWidthStr;

fn text(buf: &Buffer) -> String {
    rows(buf).join("\n")
}

fn row_with<'a>(rows: &'a [String], needle: &str) -> (usize, &'a String) {
    rows.iter()
        .enumerate()
        .find(|(_, r)| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{}", rows.join("\n")))
}

/// Display column where `needle` starts in `row`.
fn column(row: &str, needle: &str) -> usize {
    let i = row
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {row:?}"));
    UnicodeWidthStr::width(&row[..i])
}

fn no_raw_escapes(buf: &Buffer) {
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "raw control character in {:?}",
            cell.symbol()
        );
    }
}

#[test]
fn today_at_80x24_has_sections_counts_whys_title_and_status() {
    let mut app = app();
    let buf = screen(&mut app, 80, 24);
    let r = rows(&buf);
    assert!(r[0].contains("caseload · Harbor Peer Center"), "{}", r[0]);
    assert!(r[0].contains("Today") && r[0].contains("Peers"));
    for head in [
        "Follow-ups due (1)",
        "Overdue follow-ups (1)",
        "Past cadence (0)",
        "Re-engagement (2)",
        "Goal reviews due (0)",
        "Groups today (1)",
        "Seen today (1)",
    ] {
        row_with(&r, head);
    }
    let (_, ana) = row_with(&r, "Ana Ruiz");
    assert!(
        ana.contains("follow-up planned at the check-in on 2026-11-16"),
        "{ana}"
    );
    assert!(
        r[22].contains("c check in") && r[22].contains("? help"),
        "{}",
        r[22]
    );
    assert!(
        r[23].contains("Jordan Reyes (JR)") && r[23].contains("caseload/data"),
        "{}",
        r[23]
    );
    // The selected row is marked without colour.
    let (y, _) = row_with(&r, "Ana Ruiz");
    assert!(buf[(4, y as u16)].modifier.contains(Modifier::REVERSED));
    no_raw_escapes(&buf);
}

#[test]
fn names_with_escape_sequences_are_shown_escaped() {
    let mut app = app();
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = screen(&mut app, w, h);
        assert!(text(&buf).contains("Evil\\e[31mName"), "{}", text(&buf));
        no_raw_escapes(&buf);
    }
    press(&mut app, &[key('p')]);
    let buf = screen(&mut app, 80, 24);
    assert!(text(&buf).contains("Evil\\e[31mName"));
    no_raw_escapes(&buf);
}

#[test]
fn wide_names_keep_the_columns_aligned() {
    let mut app = app();
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = screen(&mut app, w, h);
        let r = rows(&buf);
        let (_, cjk) = row_with(&r, "李伟");
        let (_, dana) = row_with(&r, "Dana Ortiz");
        let (_, zoe) = row_with(&r, "Zoë Ångström");
        let c = column(cjk, "not seen for 83 days");
        assert_eq!(c, column(dana, "follow-up planned for"), "{cjk}\n{dana}");
        assert_eq!(c, column(zoe, "contacted once today"), "{zoe}");
        // Rows never run past the edge.
        for row in &r {
            assert!(
                UnicodeWidthStr::width(row.as_str()) <= usize::from(w),
                "{row}"
            );
        }
    }
    // The roster's columns too.
    press(&mut app, &[key('p')]);
    let r = rows(&screen(&mut app, 80, 24));
    let (_, cjk) = row_with(&r, "李伟");
    let (_, ana) = row_with(&r, "Ana Ruiz");
    assert_eq!(column(cjk, "2026-09-01"), column(ana, "2026-11-16"));
}

#[test]
fn long_text_is_cut_with_an_ellipsis_not_mid_word_silently() {
    // Issue 11: at 80x24 a "why" that ends in its meaning ("… 42 days
    // ago") keeps its end and shortens its start; one that says it first
    // ("contacted once today, …") keeps its start. Either way the cut is
    // marked with an ellipsis, never made silently.
    let mut app = app();
    let mut report = report();
    report.rows[0].why = format!("{}due 42 days ago", "word ".repeat(40));
    let seen = report
        .rows
        .iter()
        .position(|r| r.section == caseload::model::today::Section::SeenToday)
        .expect("a seen-today row");
    report.rows[seen].why = format!("contacted once today, {}", "word ".repeat(40));
    app.on_response(Response::Today(Ok(report)));
    for (w, h) in [(80, 24), (120, 40)] {
        let r = rows(&screen(&mut app, w, h));
        let (_, ana) = row_with(&r, "Ana Ruiz");
        assert!(ana.trim_end().ends_with("word due 42 days ago"), "{ana}");
        let why = &ana[ana.find("Ana Ruiz").unwrap() + "Ana Ruiz".len()..];
        assert!(why.trim_start().starts_with("… word"), "{ana}");
        let (_, zoe) = row_with(&r, "Zoë Ångström");
        assert!(zoe.contains("contacted once today, word"), "{zoe}");
        assert!(zoe.trim_end().ends_with('…'), "{zoe}");
    }
}

#[test]
fn peers_search_highlights_matched_characters() {
    let mut app = app();
    press(&mut app, &[key('/')]);
    type_str(&mut app, "ana");
    let buf = screen(&mut app, 80, 24);
    let r = rows(&buf);
    assert!(r[1].starts_with("Find: ana"), "{}", r[1]);
    assert!(r[1].contains("2 of 6"), "{}", r[1]);
    let (y, dana) = row_with(&r, "Dana Ortiz");
    let x0 = column(dana, "Dana") as u16;
    let style = |dx: u16| buf[(x0 + dx, y as u16)].modifier;
    assert!(!style(0).contains(Modifier::UNDERLINED), "D is not a match");
    for dx in 1..=3 {
        assert!(
            style(dx).contains(Modifier::UNDERLINED | Modifier::BOLD),
            "char {dx} of Dana"
        );
    }
    // The selected row is reversed and still shows its matches.
    let (y, ana) = row_with(&r, "Ana Ruiz");
    let x = column(ana, "Ana") as u16;
    let m = buf[(x, y as u16)].modifier;
    assert!(
        m.contains(Modifier::REVERSED) && m.contains(Modifier::UNDERLINED),
        "{m:?}"
    );
    assert!(
        !r.iter().any(|l| l.contains("Zoë")),
        "non-matches are filtered out"
    );
}

fn meta() -> Meta {
    Meta::created(chrono::Utc::now(), &Actor::login("t"))
}

fn detail() -> PeerDetail {
    let mut peer = Peer::new("李伟", day("2025-03-02"));
    peer.pronouns = Some("he/him".into());
    peer.cadence_days = Some(7);
    let mut goal = Goal::new(
        PeerId::new(3),
        LifeDomain::Housing,
        "Get my own apartment",
        day("2026-01-10"),
    );
    goal.next_review = Some(day("2026-11-20"));
    let mut c = CheckIn::new(PeerId::new(3), StaffId::new(1), clock());
    c.mode = CheckInMode::Phone;
    c.minutes = 20;
    c.note = "Called about the \u{1b}]52;c;bad\u{7} lease\nsecond line".into();
    c.follow_up = Some(day("2026-11-27"));
    let session = GroupSession {
        group: GroupId::new(2),
        date: day("2026-11-17"),
        topic: "Hope".into(),
        facilitator: None,
        minutes: 60,
        attendees: vec![PeerId::new(3)],
        note: String::new(),
        voided: None,
    };
    PeerDetail {
        overview: PeerOverview {
            peer: Record {
                id: PeerId::new(3),
                meta: meta(),
                data: peer,
            },
            assigned: Some(Record {
                id: StaffId::new(1),
                meta: meta(),
                data: Staff::new("Jordan Reyes", caseload::model::Role::PeerSpecialist),
            }),
            goals: vec![Record {
                id: GoalId::new(7),
                meta: meta(),
                data: goal,
            }],
            recent_checkins: vec![Record {
                id: CheckInId::new(40),
                meta: meta(),
                data: c,
            }],
            next_follow_up: Some(day("2026-11-27")),
            sessions: vec![Record {
                id: SessionId::new(5),
                meta: meta(),
                data: session,
            }],
        },
        consents: Vec::new(),
        disclosures: Vec::new(),
        group_names: HashMap::from([(GroupId::new(2), "Tuesday WRAP group".to_string())]),
        staff_initials: HashMap::from([(StaffId::new(1), "JR".to_string())]),
        assessments: Vec::new(),
        instruments: caseload::model::instrument::Instruments::builtin(),
        visits: Vec::new(),
    }
}

#[test]
fn peer_page_shows_profile_goals_check_ins_follow_up_and_groups() {
    let mut app = app();
    press(
        &mut app,
        &[
            code(KeyCode::Down),
            code(KeyCode::Down),
            code(KeyCode::Enter),
        ],
    );
    app.on_response(Response::Peer(PeerId::new(3), Ok(Box::new(detail()))));
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = screen(&mut app, w, h);
        let t = text(&buf);
        for want in [
            "李伟 (P3) · he/him",
            "Assigned: Jordan Reyes (JR) · wants contact every 7 days",
            "Next follow-up Fri 2026-11-27",
            "Goals (1 active, 1 in all)",
            "G7",
            "Get my own apartment",
            "review due 2026-11-20",
            "Last check-ins (1)",
            "phone",
            "Called about the \\e]52;c;bad\\x07 lea",
            "Groups (1 session attended, last 2026-11-17)",
            "Tuesday WRAP group ×1",
            "Peer: 李伟",
        ] {
            assert!(t.contains(want), "missing {want:?} at {w}x{h} in\n{t}");
        }
        no_raw_escapes(&buf);
    }
    // With room, the first line of a multi-line note is marked as cut.
    let t = text(&screen(&mut app, 120, 40));
    assert!(
        t.contains("Called about the \\e]52;c;bad\\x07 lease …"),
        "{t}"
    );
}

#[test]
fn check_in_form_shows_every_field_at_both_sizes() {
    let mut app = app();
    press(&mut app, &[key('c')]);
    let t = text(&screen(&mut app, 80, 24));
    assert!(
        t.contains("New check-in") && t.contains("Enter picks the highlighted peer"),
        "{t}"
    );
    assert!(
        t.contains("▸ Ana Ruiz"),
        "preselected peer highlighted:\n{t}"
    );
    press(&mut app, &[code(KeyCode::Enter)]);
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = screen(&mut app, w, h);
        let t = text(&buf);
        for want in [
            "Check-in with Ana Ruiz (P1)",
            "▸Note",
            "When      now",
            "→ Mon 23 Nov 14:30",
            "Minutes   15",
            "(•) in person",
            "( ) outreach",
            "[ ] emotional",
            "[ ] affiliational",
            "loading goals…",
            "Wellbeing",
            "Follow-up",
            "Ctrl-s save · Tab next field · Esc cancel",
        ] {
            assert!(t.contains(want), "missing {want:?} at {w}x{h} in\n{t}");
        }
        no_raw_escapes(&buf);
    }
}

#[test]
fn form_errors_appear_next_to_the_field() {
    let mut app = app();
    press(
        &mut app,
        &[
            key('c'),
            code(KeyCode::Enter),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
        ],
    );
    type_str(&mut app, "0");
    press(
        &mut app,
        &[
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
        ],
    );
    type_str(&mut app, "+7x");
    press(&mut app, &[ctrl('s')]);
    let r = rows(&screen(&mut app, 120, 40));
    let (_, minutes) = row_with(&r, "Minutes");
    assert!(
        minutes.contains("✗ minutes: 0 is out of range; give 1 to 1440 minutes"),
        "{minutes}"
    );
    let (_, follow) = row_with(&r, "Follow-up");
    assert!(
        follow.contains("✗ follow-up: cannot read '+7x' as a date"),
        "{follow}"
    );
    let (_, footer) = row_with(&r, "Not saved:");
    assert!(footer.contains("(+1 more)"), "{footer}");
}

#[test]
fn help_overlay_lists_the_active_keymaps_bindings() {
    for keymap in [
        Keymap::builtin(),
        Keymap::from_layers(&[("d", DEFAULT_TOML), ("v", VIM_TOML)]),
    ] {
        let mut app = app_with(keymap.clone());
        press(&mut app, &[key('?')]);
        let t = text(&screen(&mut app, 120, 40));
        assert!(t.contains("Help: keys of the active keymap"), "{t}");
        for (keys, action) in keymap.bindings(Context::Global) {
            let label = sequence_label(&keys);
            let line = t
                .lines()
                .find(|l| l.contains(action.describe()))
                .unwrap_or_else(|| panic!("{action} not listed:\n{t}"));
            assert!(
                line.contains(&label),
                "{label} missing for {action}: {line}"
            );
        }
    }
    // vim's sequences are listed as such.
    let mut app = app_with(Keymap::from_layers(&[("d", DEFAULT_TOML), ("v", VIM_TOML)]));
    press(&mut app, &[key('?')]);
    let t = text(&screen(&mut app, 120, 40));
    assert!(
        t.lines()
            .any(|l| l.contains("g t") && l.contains("go to Today")),
        "{t}"
    );
}

#[test]
fn keymap_problems_show_in_the_status_line_and_in_full_in_help() {
    let keymap = Keymap::from_layers(&[
        ("d", DEFAULT_TOML),
        ("mine.toml", "[global]\n\"x\" = \"nope\"\n"),
    ]);
    let mut app = app_with(keymap);
    let r = rows(&screen(&mut app, 120, 40));
    assert!(
        r[39].contains("1 keymap problem (? lists all): mine.toml:2:"),
        "{}",
        r[39]
    );
    press(&mut app, &[key('?')]);
    let t = text(&screen(&mut app, 120, 40));
    assert!(
        t.contains("mine.toml:2: [global] 'x': unknown action 'nope'"),
        "{t}"
    );
}

#[test]
fn demo_badge_small_windows_and_resizes() {
    let mut app = App::new(
        Keymap::builtin(),
        caseload::ui::app::AppOptions {
            demo: true,
            staff: None,
            theme: caseload::ui::theme::Theme::mono(),
            clock,
        },
    );
    let r = rows(&screen(&mut app, 80, 24));
    assert!(r[0].ends_with(" DEMO DATA "), "{}", r[0]);
    assert!(text(&screen(&mut app, 80, 24)).contains("Checking who may sign in…"));
    ui_common::let_in(&mut app);
    let r = rows(&screen(&mut app, 80, 24));
    assert!(r[0].ends_with(" DEMO DATA "), "{}", r[0]);
    assert!(text(&screen(&mut app, 80, 24)).contains("Loading Today…"));
    let t = text(&screen(&mut app, 30, 8));
    assert!(t.contains("needs at least 40×12"), "{t}");
    // Any size in between draws without panicking.
    let mut app = ui_common::app();
    press(&mut app, &[key('c')]);
    for (w, h) in [(40, 12), (41, 13), (80, 24), (200, 60), (45, 30)] {
        let buf = screen(&mut app, w, h);
        no_raw_escapes(&buf);
    }
}

use caseload::ui::app::App;

/// Issue 11: privacy mode hides a goal's title in Today's "why" (the rest
/// of the sentence stays); the reveal key shows the selected row's.
#[test]
fn privacy_mode_hides_goal_titles_on_today_until_revealed() {
    let mut app = app();
    let mut report = report();
    report.rows.insert(
        4,
        caseload::model::today::TodayRow {
            section: caseload::model::today::Section::ReviewDue,
            peer: Some(PeerId::new(1)),
            name: "Ana Ruiz".into(),
            goal: Some(caseload::model::GoalId::new(2)),
            group: None,
            session: None,
            date: Some(day("2026-11-20")),
            days: Some(3),
            why: "review of goal G2 \"Find part-time work\" was due 3 days ago".into(),
        },
    );
    app.on_response(Response::Today(Ok(report)));
    press(&mut app, &[ctrl('p')]);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = text(&screen(&mut app, w, h));
        assert!(!t.contains("Find part-time work"), "{t}");
        assert!(
            t.contains("review of goal G2 (hidden) was due 3 days ago"),
            "{t}"
        );
    }
    // Not selected: the reveal key shows only the selected row's.
    press(&mut app, &[ctrl('o')]);
    assert!(!text(&screen(&mut app, 120, 40)).contains("Find part-time work"));
    let idx = app
        .today()
        .report
        .as_ref()
        .and_then(|r| r.rows.iter().position(|r| r.goal.is_some()))
        .expect("row");
    for _ in 0..idx {
        press(&mut app, &[code(KeyCode::Down)]);
    }
    press(&mut app, &[ctrl('o')]);
    let t = text(&screen(&mut app, 120, 40));
    assert!(
        t.contains("\"Find part-time work\" was due 3 days ago"),
        "{t}"
    );
}
