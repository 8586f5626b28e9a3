//! Drawing the center's screens: the first-run set-up, the Staff screen
//! and the center's yes/no questions. State and actions live in
//! `app/center.rs`; these only read it. Names come from the store and are
//! escaped (`widgets::cells`); a PIN is never drawn, only one `•` per
//! character typed (`LineInput::set_mask`).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::model::Choice;
use crate::ui::app::{Ask, SetupForm, StaffScreen};
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit};
use crate::ui::widgets::layout::{centered, head_body};
use crate::ui::widgets::list::draw_lines;

/// The set-up: a welcome line over the pane, then the form.
pub fn render_setup(s: &SetupForm, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let w = usize::from(area.width);
    if area.height > 0 {
        Line::styled(
            clip(
                "caseload: no staff yet on this store. A few answers and you are in.",
                w,
            ),
            ctx.theme.heading(),
        )
        .render(area, buf);
    }
    let (_, below) = head_body(area);
    crate::ui::widgets::form::render(&s.form, ctx, below, buf);
}

/// The Staff screen over the pane.
pub fn render(s: &StaffScreen, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(
            if s.manages {
                " Staff "
            } else {
                " Staff: your account "
            },
            t.heading(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let w = usize::from(inner.width);
    if inner.height == 0 || w == 0 {
        return;
    }
    let [rule_area, header_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let rule = if s.manages {
        "At least one active admin who can sign in (with a PIN) always stays."
    } else {
        "Admins manage staff accounts; you can set your own PIN here."
    };
    Line::styled(clip(rule, w), t.dim()).render(rule_area, buf);
    let header = format!(
        "  {} {} {} {} {}",
        fit("Id", 4),
        fit("In.", 4),
        fit("Name", name_w(w)),
        fit("Role", 16),
        "PIN · status"
    );
    Line::styled(clip(&header, w), t.heading()).render(header_area, buf);
    if s.loading && s.entries.is_empty() {
        Line::styled("Loading the staff…", t.dim()).render(body, buf);
        return;
    }
    if let Some(e) = &s.error {
        Line::styled(
            clip(&format!("Could not load the staff: {e}"), w),
            t.error(),
        )
        .render(body, buf);
        return;
    }
    if s.entries.is_empty() {
        Line::styled("No staff to show.", t.dim()).render(body, buf);
        return;
    }
    // A refusal: the whole reason, wrapped, at the foot of the screen.
    let refusal = s.refusal.as_ref().map(|r| format!("✗ Not saved: {r}"));
    let refusal_lines = refusal.as_ref().map_or(0, |text| {
        (crate::text::width(text).div_ceil(w.max(1)) as u16).clamp(1, 4)
    });
    let [list, foot] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(refusal_lines)]).areas(body);
    if let Some(text) = refusal {
        Paragraph::new(Line::styled(text, t.error()))
            .wrap(Wrap { trim: true })
            .render(foot, buf);
    }
    let offset = s.cursor.shown(usize::from(list.height));
    let rows = s.entries.iter().enumerate().skip(offset).map(|(i, e)| {
        let selected = i == s.cursor.selected;
        let text = format!(
            "{}{} {} {} {} {}{}",
            if selected { "▸ " } else { "  " },
            fit(&e.row.id.to_string(), 4),
            fit(&crate::text::escape_line(&e.row.initials), 4),
            fit(&crate::text::escape_line(&e.row.name), name_w(w)),
            fit(e.role.label(), 16),
            if e.has_pin { "PIN set" } else { "no PIN" },
            if e.row.active { "" } else { " · inactive" }
        );
        let style = if selected {
            t.selected()
        } else if e.row.active {
            t.text()
        } else {
            t.dim()
        };
        Line::styled(clip(&text, w), style)
    });
    draw_lines(rows, list, buf);
}

fn name_w(w: usize) -> usize {
    w.saturating_sub(2 + 5 + 5 + 17 + 14).clamp(8, 30)
}

/// A center question (duplicates, merge, deactivate, leaving the set-up),
/// centred on the screen, its text wrapped so nothing is cut.
pub fn render_ask(a: &Ask, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    let width = area.width.saturating_sub(4).min(64);
    let inner_w = usize::from(width.saturating_sub(2)).max(1);
    let chain = a.chain();
    let key = |action| {
        ctx.keymap
            .key_for(chain, false, action)
            .unwrap_or_else(|| "?".into())
    };
    let (yes, no) = a.answers();
    let mut answers = format!(
        "{}: {yes}    {}: {no}",
        key(crate::ui::action::Action::Yes),
        key(crate::ui::action::Action::No)
    );
    if chain.first() == Some(&Context::Duplicate) {
        answers.push_str(&format!(
            "    {}: back",
            key(crate::ui::action::Action::Back)
        ));
    }
    // The question and the answers word-wrapped as the paragraph wraps
    // them, a blank line between, borders and a spare line: the box grows
    // so that nothing is cut at 80x24.
    let wrapped = |s: &str| crate::ui::widgets::confirm::wrapped_lines(s, inner_w);
    let needed = wrapped(&a.text) + 1 + wrapped(&answers) + 3;
    let height = (needed as u16).min(area.height);
    let boxed = centered(area, width, height);
    Clear.render(boxed, buf);
    let text = vec![
        Line::raw(a.text.clone()),
        Line::raw(""),
        Line::styled(answers, t.key()),
    ];
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.focus())
                .title(" Question "),
        )
        .render(boxed, buf);
}

/// A peer's times with the center, oldest first ("Episodes: intake
/// 2026-01-02 → discharged 2026-05-01 (moved away) · re-admitted
/// 2026-09-01 → now"), once there is more than the first open one.
pub fn episodes_line(p: &crate::model::Peer) -> Option<String> {
    let eps = p.all_episodes();
    if eps.len() < 2 && eps.iter().all(|e| e.end.is_none()) {
        return None;
    }
    let parts: Vec<String> = eps
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let began = if i == 0 { "intake" } else { "re-admitted" };
            let end = match (e.end, &e.reason) {
                (Some(d), Some(r)) => format!("discharged {d} ({})", crate::text::escape_line(r)),
                (Some(d), None) => format!("discharged {d}"),
                (None, _) => "now".to_string(),
            };
            format!("{began} {} → {end}", e.start)
        })
        .collect();
    Some(format!("Episodes: {}", parts.join(" · ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn episodes_show_intake_discharge_and_readmission_in_order() {
        let mut p = crate::model::Peer::new("Aroha", day("2026-01-02"));
        assert_eq!(episodes_line(&p), None, "one open episode says nothing new");
        p.discharge(day("2026-05-01"), "moved\u{1b}[2J away".into());
        p.readmit(day("2026-09-01"));
        let line = episodes_line(&p).unwrap();
        assert!(
            line.starts_with("Episodes: intake 2026-01-02 → discharged 2026-05-01 (moved"),
            "{line}"
        );
        assert!(
            line.ends_with("away) · re-admitted 2026-09-01 → now"),
            "{line}"
        );
        assert!(!line.contains('\u{1b}'), "escaped: {line}");
    }
}
