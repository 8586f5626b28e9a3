//! The plan, timeline and wellness-plan tabs through ratatui's TestBackend
//! at 80×24 and 120×40: what the buffer holds, where the marks sit on the
//! time axis, and that the marks read the same without colour.

mod plan_support;
mod ui_common;

use caseload::model::PeerId;
use caseload::ui::app::App;
use caseload::ui::theme::Theme;
use caseload::ui::worker::plan::PlanResponse;
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

/// Display column of the `n`th char `c` in `row`.
fn col_of(row: &str, c: char) -> usize {
    let i = row
        .find(c)
        .unwrap_or_else(|| panic!("{c:?} not in {row:?}"));
    UnicodeWidthStr::width(&row[..i])
}

fn char_at(row: &str, col: usize) -> char {
    let mut w = 0;
    for ch in row.chars() {
        if w == col {
            return ch;
        }
        w += UnicodeWidthStr::width(ch.to_string().as_str());
    }
    ' '
}

fn sane(buf: &Buffer, w: u16) {
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "raw control character in {:?}",
            cell.symbol()
        );
    }
    for r in rows(buf) {
        assert!(UnicodeWidthStr::width(r.as_str()) <= usize::from(w), "{r}");
        let lower = r.to_lowercase();
        for word in ["patient", "treatment", "encounter", "client"] {
            assert!(!lower.contains(word), "clinical word {word:?} in {r}");
        }
    }
}

#[test]
fn the_plan_shows_goals_by_domain_with_steps_statuses_and_history() {
    for (w, h) in SIZES {
        let mut app = app_on_plan();
        let buf = screen(&mut app, w, h);
        let r = rows(&buf);
        sane(&buf, w);
        // Seven tabs fit 80 columns with their short labels.
        row_with(
            &r,
            if w < 120 {
                "[2 Plan]"
            } else {
                "[2 Recovery plan]"
            },
        );
        row_with(
            &r,
            "Recovery plan · 5 goals: 3 active, 1 achieved, 1 dropped · 1 review due",
        );
        let (gy, g1) = row_with(&r, "G1   Get my own place");
        assert!(g1.contains("active · 1/3 steps · review due"), "{g1}");
        assert!(
            buf[(4, gy as u16)].modifier.contains(Modifier::REVERSED),
            "the first goal is selected, shown without colour"
        );
        let (_, done) = row_with(&r, "[x] Call the housing office");
        assert!(done.trim_end().ends_with("done 2026-10-02"), "{done}");
        row_with(&r, "[ ] Fill in the \\e[31mform");
        row_with(&r, "[ ] Visit the flat");
        row_with(
            &r,
            "start 2026-09-01 · target 2026-12-20 · review due 2026-11-20",
        );
        row_with(
            &r,
            "history: active 2026-09-01 (JR) → paused 2026-10-02 (JR) → active",
        );
        row_with(&r, "reviewed 2026-10-20: going well");
        row_with(&r, "start 2026-06-01 · target 2026-10-01 ! passed");
        let at = |p: &str| r.iter().position(|l| l.starts_with(p));
        assert!(
            at("Housing").is_some() && at("Housing") < at("Employment"),
            "domains in order"
        );
        // Achieved and dropped goals, with their dates (scrolled to at 80×24).
        press(&mut app, &[code(KeyCode::End)]);
        let r = rows(&screen(&mut app, w, h));
        let (_, g3) = row_with(&r, "G3   Ninety days clean");
        assert!(g3.trim_end().ends_with("achieved 2026-07-30"), "{g3}");
        let (_, g4) = row_with(&r, "G4   Join the art group");
        assert!(g4.trim_end().ends_with("dropped 2026-04-15"), "{g4}");
        row_with(&r, "history: active 2026-03-01 → dropped 2026-04-15");
        row_with(&r, "Community & social");
    }
}

#[test]
fn checking_a_step_off_shows_it_done_today() {
    let mut app = app_on_plan();
    let mut g = goals().remove(0);
    g.data.toggle_step(2, day("2026-11-23"));
    app.on_response(plan_response(PlanResponse::Goal(Ok((
        Box::new(g),
        "Checked off step 3".into(),
    )))));
    let r = rows(&screen(&mut app, 80, 24));
    let (_, s) = row_with(&r, "[x] Visit the flat");
    assert!(s.trim_end().ends_with("done 2026-11-23"), "{s}");
    row_with(&r, "active · 2/3 steps");
    assert!(r[23].starts_with("Checked off step 3"), "{}", r[23]);
}

#[test]
fn an_empty_plan_invites_the_first_goal() {
    for (w, h) in SIZES {
        let mut app = app_on_peer_with(detail_with(Vec::new(), Default::default()));
        press(&mut app, &[key('2')]);
        let buf = screen(&mut app, w, h);
        sane(&buf, w);
        let r = rows(&buf);
        row_with(&r, "Recovery plan · 0 goals");
        row_with(
            &r,
            "No goals yet. a adds the first one, in the peer's own words.",
        );
    }
}

fn timeline_rows(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let buf = screen(app, w, h);
    sane(&buf, w);
    rows(&buf)
}

#[test]
fn the_timeline_marks_today_targets_check_ins_and_status_changes_in_place() {
    for (w, h) in SIZES {
        let mut app = app_on_timeline();
        let r = timeline_rows(&mut app, w, h);
        row_with(&r, "Goal timeline · 1 column = 1 week");
        row_with(&r, "today 23 Nov");
        let (_, axis) = row_with(&r, "▼");
        let today = col_of(axis, '▼');
        let (_, g1) = row_with(&r, "G1 Get my own");
        let (_, g2) = row_with(&r, "G2 Find part-ti");
        let (_, g3) = row_with(&r, "G3 Ninety days");
        let (_, g4) = row_with(&r, "G4 Join the art");
        let (_, g5) = row_with(&r, "G5 Enrol in a c");
        // Today's column is marked in every goal's row.
        for (name, row) in [("G1", g1), ("G2", g2), ("G4", g4), ("G5", g5)] {
            assert_eq!(char_at(row, today), '│', "{name}: {row}");
        }
        // G1: started, paused and back (◆ ╌ ◆), a check-in (●) the week
        // before today, still ahead until its target (─ then ┤).
        assert_eq!(char_at(g1, today - 1), '●', "{g1}");
        assert!(g1.contains("◆╌╌◆"), "{g1}");
        assert!(g1.contains("│──┤"), "{g1}");
        // G2: target passed while active (!), then time past it (░) up to today.
        let overdue = col_of(g2, '!');
        assert!(overdue < today);
        assert!(g2[g2.find('!').unwrap_or(0)..].starts_with("!░"), "{g2}");
        assert_eq!(char_at(g2, today - 1), '░');
        assert!(g2.contains('●'), "a check-in touched it: {g2}");
        // Ended goals stop at their end mark; the future one starts after today.
        assert!(g3.contains('✓') && col_of(g3, '✓') < today, "{g3}");
        assert!(g4.contains('✗') && col_of(g4, '✗') < today, "{g4}");
        assert!(col_of(g5, '├') > today, "{g5}");
        assert!(g5.trim_end().ends_with('┤'), "{g5}");
        // The legend names every glyph.
        let legend = r.join("\n");
        for item in [
            "━ active",
            "╌ paused",
            "─ ahead",
            "┤ target",
            "! target passed",
            "░ past target",
            "● check-in",
            "◆ status change",
            "✓ achieved",
            "✗ dropped",
            "│ today",
        ] {
            assert!(legend.contains(item), "legend lacks {item}");
        }
    }
}

#[test]
fn the_wellbeing_sparkline_sits_on_the_same_time_axis() {
    for (w, h) in SIZES {
        let mut app = app_on_timeline();
        let r = timeline_rows(&mut app, w, h);
        let today = col_of(row_with(&r, "▼").1, '▼');
        let (y, label) = row_with(&r, "Wellbeing (1–5)");
        assert!(
            label.contains("3 ratings here, mean 3.7, latest 5 on 2026-11-20"),
            "{label}"
        );
        // Five rows, one per level: the week of 16 Nov (4 and 5 → 5) fills
        // all five, the week of 19 Oct (2) the bottom two.
        let spark: Vec<&String> = r[y + 1..y + 6].iter().collect();
        assert!(spark[0].starts_with("  5 high") && spark[4].starts_with("  1 low"));
        let full: Vec<usize> = (0..5)
            .filter(|i| char_at(spark[*i], today - 1) == '█')
            .collect();
        assert_eq!(full, vec![0, 1, 2, 3, 4], "{spark:?}");
        let two: Vec<usize> = (0..5)
            .filter(|i| char_at(spark[*i], today - 5) == '█')
            .collect();
        assert_eq!(two, vec![3, 4], "{spark:?}");
        assert_eq!(spark[0].matches('█').count(), 1, "nothing else is 5");
    }
}

#[test]
fn the_selected_goal_is_spelled_out_under_the_chart() {
    let mut app = app_on_timeline();
    press(&mut app, &[code(KeyCode::End), code(KeyCode::Up)]);
    let r = timeline_rows(&mut app, 120, 40);
    row_with(
        &r,
        "G1 from 2026-09-01 · active · target 2026-12-20 · 2 check-ins · 2 status changes",
    );
    row_with(&r, "2026-11-16 ● check-in");
    row_with(&r, "2026-10-20 ◆ paused → active");
    row_with(&r, "2026-10-02 ◆ active → paused");
    row_with(&r, "2026-09-01 ├ started");
    // The overdue one says so in words.
    press(&mut app, &[code(KeyCode::Up)]);
    let r = timeline_rows(&mut app, 80, 24);
    row_with(
        &r,
        "G2 from 2026-06-01 · target 2026-10-01 passed 53 days ago",
    );
}

#[test]
fn zooming_changes_the_scale_and_keeps_today_marked() {
    let mut app = app_on_timeline();
    press(&mut app, &[key('+'), key('+')]);
    let r = timeline_rows(&mut app, 80, 24);
    row_with(&r, "1 column = 1 day");
    let (_, axis) = row_with(&r, "▼");
    assert!(
        axis.contains("16 Nov") || axis.contains("09 Nov"),
        "Mondays labelled: {axis}"
    );
    press(&mut app, &[key('-'), key('-'), key('-'), key('-')]);
    let r = timeline_rows(&mut app, 80, 24);
    row_with(&r, "1 column = 30 days");
    let (_, axis) = row_with(&r, "▼");
    assert!(axis.contains("2026"), "years labelled: {axis}");
    // Scrolled far back, today is out of view and the header says where we are.
    press(
        &mut app,
        &[
            code(KeyCode::Left),
            code(KeyCode::Left),
            code(KeyCode::Left),
            code(KeyCode::Left),
        ],
    );
    let r = timeline_rows(&mut app, 80, 24);
    assert!(
        !r.iter().any(|l| l.contains('▼')),
        "today is off to the right"
    );
    press(&mut app, &[key('t')]);
    let r = timeline_rows(&mut app, 80, 24);
    row_with(&r, "▼");
}

#[test]
fn the_timeline_reads_the_same_without_colour() {
    let mono = timeline_rows(&mut app_on_timeline(), 80, 24);
    let mut app = app_on_timeline();
    app.set_theme(Theme { color: true });
    let colour = timeline_rows(&mut app, 80, 24);
    assert_eq!(mono, colour, "every mark is a glyph, not just a colour");
}

#[test]
fn an_empty_timeline_says_what_will_fill_it() {
    for (w, h) in SIZES {
        let mut app = app_on_peer_with(detail_with(Vec::new(), Default::default()));
        press(&mut app, &[key('3')]);
        let _ = app.take_requests();
        let r = timeline_rows(&mut app, w, h);
        row_with(&r, "Loading the timeline…");
        app.on_response(plan_response(PlanResponse::Timeline(
            PeerId::new(1),
            Ok(Box::default()),
        )));
        let r = timeline_rows(&mut app, w, h);
        row_with(
            &r,
            "No goals yet: the timeline fills in as goals are added to the plan.",
        );
        row_with(&r, "Wellbeing (1–5): no ratings given at check-ins yet");
        row_with(&r, "▼");
    }
}

#[test]
fn the_wellness_plan_lists_the_peers_own_words() {
    for (w, h) in SIZES {
        let mut app = app_on_peer_with(detail());
        press(&mut app, &[key('4')]);
        let buf = screen(&mut app, w, h);
        sane(&buf, w);
        let r = rows(&buf);
        row_with(
            &r,
            if w < 120 {
                "[4 Wellness]"
            } else {
                "[4 Wellness plan]"
            },
        );
        row_with(&r, "Wellness plan (the peer's own words) · 4 entries");
        let (dy, _) = row_with(&r, "Daily maintenance (2)");
        assert!(r[dy + 1].contains("• Walk the dog") && r[dy + 2].contains("• Coffee with Sam"));
        row_with(&r, "Triggers (1)");
        let (ey, _) = row_with(&r, "Early warning signs (0)");
        assert!(r[ey + 1].contains("(nothing yet)"));
        row_with(&r, "• My sister: 555-0101");
        assert!(
            buf[(2, dy as u16)].modifier.contains(Modifier::REVERSED),
            "the first heading is selected"
        );
        // An empty plan says it is optional.
        let mut app = app_on_peer_with(detail_with(goals(), Default::default()));
        press(&mut app, &[key('4')]);
        let r = rows(&screen(&mut app, w, h));
        row_with(
            &r,
            "Wellness plan (optional, in the peer's words) · nothing written yet",
        );
    }
}

#[test]
fn the_goal_form_shows_problems_under_their_fields() {
    for (w, h) in SIZES {
        let mut app = app_on_plan();
        press(&mut app, &[key('a')]);
        type_str(&mut app, "Get a bike");
        press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
        type_str(&mut app, "2026-10-01");
        let r = rows(&screen(&mut app, w, h));
        let (_, target) = row_with(&r, "Target");
        assert!(
            target.contains("→ Thu 01 Oct 2026"),
            "the date it means: {target}"
        );
        press(&mut app, &[ctrl('s')]);
        let _ = app.take_requests();
        app.on_response(plan_response(PlanResponse::Goal(Err(field_failure(&[(
            "target date",
            "2026-10-01 is before the start date 2026-11-23",
        )])))));
        let buf = screen(&mut app, w, h);
        sane(&buf, w);
        let r = rows(&buf);
        let (ty, _) = row_with(&r, "Target");
        assert!(
            r[ty + 1].contains("✗ target date: 2026-10-01 is before the start date 2026-11-23"),
            "{}",
            r[ty + 1]
        );
        row_with(&r, "New goal for Ana Ruiz");
        row_with(&r, "Get a bike");
    }
}

/// Issue 11: privacy mode hides goal titles and steps on the plan tab and
/// the timeline (shared screens); the reveal key (ctrl-o) shows the
/// selected goal's until the next key.
#[test]
fn privacy_mode_hides_goal_titles_and_the_reveal_key_shows_the_selected_goal() {
    for (w, h) in SIZES {
        let mut app = app_on_plan();
        press(&mut app, &[ctrl('p')]);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        for hidden in ["Get my own place", "Call the housing office", "going well"] {
            assert!(!t.contains(hidden), "{hidden} at {w}x{h}:\n{t}");
        }
        assert!(t.contains("G1   (hidden)"), "{t}");
        // The selected goal (G1) only, its steps and review with it.
        press(&mut app, &[ctrl('o')]);
        assert!(app.ctx().reveal);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        assert!(t.contains("G1   Get my own place"), "{t}");
        assert!(t.contains("[x] Call the housing office"), "{t}");
        assert!(t.contains("reviewed 2026-10-20: going well"), "{t}");
        assert!(!t.contains("Find part-time work"), "not the others:\n{t}");
        // The next key hides it again.
        press(&mut app, &[code(KeyCode::Down)]);
        assert!(!app.ctx().reveal);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        assert!(!t.contains("Get my own place"), "{t}");
    }
    for (w, h) in SIZES {
        let mut app = app_on_timeline();
        press(&mut app, &[ctrl('p')]);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        assert!(
            !t.contains("Get my own place") && !t.contains("Join the art"),
            "{t}"
        );
        assert!(
            t.contains("G1 (hidden)") && t.contains("G4 (hidden)"),
            "{t}"
        );
        // The first row (G4, started first) is selected.
        press(&mut app, &[ctrl('o')]);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        assert!(t.contains("G4 Join the art"), "the selected goal:\n{t}");
        assert!(t.contains("G1 (hidden)"), "only it:\n{t}");
    }
}

/// Privacy mode hides the wellness plan's entries (the peer's own words)
/// too; the reveal key shows the selected entry only.
#[test]
fn privacy_mode_hides_wellness_entries_and_reveals_the_selected_one() {
    for (w, h) in SIZES {
        let mut app = app_on_peer_with(detail());
        press(&mut app, &[key('4'), ctrl('p')]);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        for hidden in ["Walk the dog", "Crowded buses", "555-0101"] {
            assert!(!t.contains(hidden), "{hidden} at {w}x{h}:\n{t}");
        }
        assert!(t.contains("• (hidden)"), "{t}");
        assert!(t.contains("Triggers (1)"), "headings stay:\n{t}");
        // Down to the first entry, then reveal it (and only it).
        press(&mut app, &[code(KeyCode::Down), ctrl('o')]);
        let t = rows(&screen(&mut app, w, h)).join("\n");
        assert!(t.contains("• Walk the dog"), "{t}");
        assert!(!t.contains("Coffee with Sam"), "{t}");
    }
}
