//! Drawing the center's screens: the first-run set-up, the Staff screen
//! and the center's yes/no questions. State and actions live in
//! `app/center.rs`; these only read it. Names come from the store and are
//! escaped (`widgets::cells`); a PIN is never drawn, only one `•` per
//! character typed (`LineInput::set_mask`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::model::Choice;
use crate::ui::app::{Ask, SetupForm, StaffScreen};
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit};

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
        .render(Rect { height: 1, ..area }, buf);
    }
    let below = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
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
    let row = |buf: &mut Buffer, y: u16, line: Line<'_>| {
        if y < inner.y + inner.height {
            line.render(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                buf,
            );
        }
    };
    let mut y = inner.y;
    let rule = if s.manages {
        "At least one active admin who can sign in (with a PIN) always stays."
    } else {
        "Admins manage staff accounts; you can set your own PIN here."
    };
    row(buf, y, Line::styled(clip(rule, w), t.dim()));
    y += 1;
    let header = format!(
        "  {} {} {} {} {}",
        fit("Id", 4),
        fit("In.", 4),
        fit("Name", name_w(w)),
        fit("Role", 16),
        "PIN · status"
    );
    row(buf, y, Line::styled(clip(&header, w), t.heading()));
    y += 1;
    if s.loading && s.entries.is_empty() {
        row(buf, y, Line::styled("Loading the staff…", t.dim()));
        return;
    }
    if let Some(e) = &s.error {
        row(
            buf,
            y,
            Line::styled(
                clip(&format!("Could not load the staff: {e}"), w),
                t.error(),
            ),
        );
        return;
    }
    if s.entries.is_empty() {
        row(buf, y, Line::styled("No staff to show.", t.dim()));
        return;
    }
    let mut bottom = inner.y + inner.height;
    if let Some(r) = &s.refusal {
        // The whole reason, wrapped, at the foot of the screen.
        let text = format!("✗ Not saved: {r}");
        let lines = (crate::text::width(&text).div_ceil(w.max(1)) as u16).clamp(1, 4);
        let at = bottom.saturating_sub(lines).max(y);
        Paragraph::new(Line::styled(text, t.error()))
            .wrap(Wrap { trim: true })
            .render(
                Rect {
                    y: at,
                    height: bottom - at,
                    ..inner
                },
                buf,
            );
        bottom = at;
    }
    let rows = usize::from(bottom.saturating_sub(y));
    let offset = s.cursor.shown(rows);
    for (i, e) in s.entries.iter().enumerate().skip(offset).take(rows) {
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
        row(buf, y, Line::styled(clip(&text, w), style));
        y += 1;
    }
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
    let boxed = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
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
