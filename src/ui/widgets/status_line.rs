//! The two bottom lines: key hints for where the focus is (generated from
//! the keymap), and the status line — the latest message or keymap
//! problem on the left; privacy mode, who is signed in, where the store is
//! and the last save on the right.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, clip_left};
use crate::ui::worker::StaffRow;

/// A message for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The words (raw; escaped when drawn).
    pub text: String,
    /// An error (drawn as such) or information.
    pub error: bool,
}

/// What the status line shows.
#[derive(Debug, Clone, Default)]
pub struct StatusState {
    /// The acting staff member, or why none (None until the store answered).
    pub staff: Option<Result<StaffRow, String>>,
    /// `store.location()`.
    pub location: String,
    /// When the last check-in was saved.
    pub last_save: Option<DateTime<FixedOffset>>,
    /// The latest message.
    pub message: Option<Message>,
}

impl StatusState {
    /// Sets an information message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Sets an error message.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}

/// Draws the hints line for `chain`.
pub fn render_hints(
    ctx: &ViewCtx<'_>,
    chain: &[Context],
    typing: bool,
    wanted: &[(Action, &str)],
    area: Rect,
    buf: &mut Buffer,
) {
    let t = ctx.theme;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    let w = usize::from(area.width);
    for (action, words) in wanted {
        let Some(k) = ctx.keymap.key_for(chain, typing, *action) else {
            continue;
        };
        let piece = k.len() + 1 + words.len() + 2;
        if used + piece > w {
            break;
        }
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::styled(format!(" {words}  "), t.dim()));
        used += piece;
    }
    Line::from(spans).render(area, buf);
}

/// Draws the status line.
pub fn render_status(
    state: &StatusState,
    pending: Option<String>,
    ctx: &ViewCtx<'_>,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = ctx.theme;
    let w = usize::from(area.width);
    // Right side: staff · store · last save.
    let staff = match &state.staff {
        None => "…".to_string(),
        Some(Ok(s)) => format!("{} ({})", s.name, s.initials),
        Some(Err(_)) => "no staff chosen".to_string(),
    };
    let saved = state
        .last_save
        .map(|at| format!(" · saved {}", at.format("%H:%M")))
        .unwrap_or_default();
    let right_budget = (w * 11 / 20).max(20);
    let staff_shown = clip(&staff, right_budget / 2);
    let loc_budget = right_budget
        .saturating_sub(crate::text::width(&staff_shown) + saved.len() + 3)
        .max(6);
    // Privacy mode is said first, so nobody wonders where the names went.
    let privacy = if ctx.privacy { "privacy on · " } else { "" };
    let right = format!(
        "{privacy}{staff_shown} · {}{saved}",
        clip_left(&state.location, loc_budget)
    );
    let right_w = crate::text::width(&right).min(w);
    let left_w = w.saturating_sub(right_w + 1);

    let (left, style) = if let Some(p) = pending {
        (format!("{p} …"), t.key())
    } else if let Some(m) = &state.message {
        (m.text.clone(), if m.error { t.error() } else { t.ok() })
    } else if let Some(Err(e)) = &state.staff {
        // Short enough for 80 columns; the full reason is in `e`.
        (format!("Not saving: {e}"), t.error())
    } else if let Some(p) = ctx.keymap.problems.first() {
        let n = ctx.keymap.problems.len();
        (
            format!(
                "{} (? lists all): {p}",
                crate::text::count(n, "keymap problem", "keymap problems")
            ),
            t.error(),
        )
    } else {
        (String::new(), t.text())
    };
    // A message too long for its part of the line takes the whole line
    // (the staff and store on the right give way); one too long even for
    // that says how to read it whole (`z`).
    let msg_w = crate::text::width(&crate::text::escape_line(&left));
    // Privacy mode stays said even then.
    let (right, kept_w) = if msg_w > left_w && ctx.privacy {
        ("privacy on".to_string(), 10)
    } else {
        (right, 0)
    };
    let full = w.saturating_sub(if kept_w > 0 { kept_w + 1 } else { 0 });
    let (shown, left_w, right_w) = if msg_w <= left_w {
        (clip(&left, left_w), left_w, right_w)
    } else if msg_w <= full {
        (clip(&left, full), full, kept_w)
    } else if full > 12 {
        let more = " …z: all";
        let keep = full - crate::text::width(more);
        let cut = clip(&left, keep);
        (format!("{}{more}", cut.trim_end_matches('…')), full, kept_w)
    } else {
        (clip(&left, full), full, kept_w)
    };
    // The message from the left edge, the staff and store against the
    // right one (each placed on its own: the message may reach under them).
    let [left_area, _] =
        Layout::horizontal([Constraint::Length(left_w as u16), Constraint::Fill(1)]).areas(area);
    Line::styled(shown, style).render(left_area, buf);
    if right_w == 0 {
        return;
    }
    let [_, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_w as u16)]).areas(area);
    Line::styled(clip(&right, right_w), t.dim()).render(right_area, buf);
}
