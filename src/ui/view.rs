//! The top-level view: lays out title bar, the pane in front, overlays,
//! hints and status line, and asks each screen and widget to draw itself.
//! Views only read state; layout functions are shared with the app so that
//! paging moves by exactly what is visible.

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui::Frame;

use crate::ui::app::App;
use crate::ui::keymap::Keymap;
use crate::ui::theme::Theme;
use crate::ui::widgets::{status_line, title_bar};

/// Smallest terminal the UI draws in; below it, a note asks for more room.
pub const MIN_SIZE: (u16, u16) = (40, 12);

/// What every view may read besides its own state.
pub struct ViewCtx<'a> {
    /// Styles.
    pub theme: &'a Theme,
    /// The active keymap, for hints.
    pub keymap: &'a Keymap,
    /// The current moment (for "→ Mon 14:30" hints).
    pub now: DateTime<FixedOffset>,
    /// The day Today is for.
    pub today: NaiveDate,
    /// Privacy mode: peer names drawn as initials, notes and goal titles
    /// hidden (see `widgets::cells`).
    pub privacy: bool,
    /// Privacy mode's reveal key was the last key: the selected row's (or,
    /// on a screen without rows, the screen's) hidden text is shown.
    pub reveal: bool,
}

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Title bar (1 line).
    pub title: Rect,
    /// The pane in front.
    pub main: Rect,
    /// Key hints (1 line).
    pub hints: Rect,
    /// Status line (1 line).
    pub status: Rect,
    /// The whole screen (gates and questions centre on it).
    pub screen: Rect,
}

/// Splits the terminal into regions: title bar, the pane, hints and
/// status line, by ratatui's `Layout`.
pub fn areas(r: Rect) -> Areas {
    let [title, main, hints, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(r);
    Areas {
        title,
        main,
        hints,
        status,
        screen: r,
    }
}

/// Draws the whole UI into a frame.
pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    draw(app, area, frame.buffer_mut());
}

/// Draws the whole UI into a buffer (what `render` and tests use).
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    let ctx = app.ctx();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        Paragraph::new(format!(
            "caseload needs at least {}×{} characters; this window is {}×{}.",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        ))
        .wrap(Wrap { trim: true })
        .render(area, buf);
        return;
    }
    let a = areas(area);
    // Signing in or locked: the gate screen alone, never the caseload.
    if !app.gate_open() {
        app.gate_layer().draw(app, &ctx, &a, buf);
        return;
    }
    title_bar::render(
        app.organization(),
        &app.pane_labels(),
        app.demo(),
        &ctx,
        a.title,
        buf,
    );
    app.base_layer().draw(app, &ctx, &a, buf);
    let (chain, typing) = app.focus_context();
    if let Some(hints) = app.hints() {
        status_line::render_hints(&ctx, chain, typing, hints, a.hints, buf);
    }
    for layer in app.layers() {
        layer.draw(app, &ctx, &a, buf);
    }
    status_line::render_status(app.status(), app.pending_label(), &ctx, a.status, buf);
}
