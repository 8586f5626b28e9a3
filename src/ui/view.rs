//! The top-level view: lays out title bar, the pane in front, overlays,
//! hints and status line, and asks each screen and widget to draw itself.
//! Views only read state; layout functions are shared with the app so that
//! paging moves by exactly what is visible.

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui::Frame;

use crate::ui::action::Action;
use crate::ui::app::{App, Overlay, Pane};
use crate::ui::keymap::Keymap;
use crate::ui::screens;
use crate::ui::theme::Theme;
use crate::ui::widgets::{confirm, prompt, status_line, title_bar};

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
    /// Privacy mode: peer names drawn as initials (see `widgets::cells`).
    pub privacy: bool,
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
}

/// Splits the terminal into regions.
pub fn areas(r: Rect) -> Areas {
    let h = r.height;
    let line = |y: u16| Rect {
        x: r.x,
        y,
        width: r.width,
        height: u16::from(h > 0),
    };
    Areas {
        title: line(r.y),
        main: Rect {
            x: r.x,
            y: r.y + 1.min(h),
            width: r.width,
            height: h.saturating_sub(3),
        },
        hints: line(r.y + h.saturating_sub(2)),
        status: line(r.y + h.saturating_sub(1)),
    }
}

/// Visible rows of the Today list in `main`.
pub fn today_list_height(main: Rect) -> usize {
    usize::from(main.height.saturating_sub(1))
}

/// Visible rows of the roster in `main`.
pub fn peers_list_height(main: Rect) -> usize {
    usize::from(main.height.saturating_sub(2))
}

/// Visible lines inside the help overlay.
pub fn help_height(main: Rect) -> u16 {
    screens::help::overlay_area(main).height.saturating_sub(2)
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
    // Signing in or locked: the gate screen alone, never the caseload.
    if let Some(gate) = app.gate_view() {
        screens::signin::render(&gate, &ctx, area, buf);
        return;
    }
    let a = areas(area);
    title_bar::render(
        &app.organization,
        &app.pane_labels(),
        app.demo,
        &ctx,
        a.title,
        buf,
    );

    match app.pane {
        Pane::Today => screens::today::render(&app.today, &ctx, a.main, buf),
        Pane::Peers => screens::peers::render(&app.peers, &ctx, a.main, buf),
        Pane::Peer => match &app.peer {
            Some(p) => screens::peer_tabs::render(&app.peer_view, p, &ctx, a.main, buf),
            None => Line::raw("No peer open.").render(a.main, buf),
        },
        Pane::Groups => screens::groups::render(&app.groups, &ctx, a.main, buf),
        Pane::Audit => match &app.audit {
            Some(s) => screens::audit::render(s, &ctx, a.main, buf),
            None => Line::raw("The audit trail is not open.").render(a.main, buf),
        },
    }
    if let Some(form) = &app.form {
        screens::checkin::render(form, &ctx, a.main, buf);
    }
    if let Some(p) = &app.popup {
        screens::popup::render(p, &ctx, a.main, buf);
    }

    let (chain, typing) = app.focus_context();
    match &app.overlay {
        Some(Overlay::Help(h)) => screens::help::render(h, &app.keymap, &ctx, a.main, buf),
        Some(Overlay::Confirm(c)) => confirm::render(c, &ctx, area, buf),
        _ => {}
    }
    if let Some(Overlay::Command(input)) = &app.overlay {
        prompt::render(input, &ctx, a.hints, buf);
    } else {
        status_line::render_hints(&ctx, chain, typing, hints_for(app), a.hints, buf);
    }
    status_line::render_status(&app.status, app.pending_label(), &ctx, a.status, buf);
}

/// The hints offered where the focus is.
fn hints_for(app: &App) -> &'static [(Action, &'static str)] {
    match &app.overlay {
        Some(Overlay::Help(_)) => return &[(Action::Back, "close"), (Action::Down, "scroll")],
        Some(Overlay::Confirm(_)) => return &[(Action::Yes, "yes"), (Action::No, "no")],
        Some(Overlay::Command(_)) => return &[],
        None => {}
    }
    if app.form.is_some() || app.popup.is_some() {
        return &[
            (Action::Save, "save"),
            (Action::NextField, "next field"),
            (Action::PrevField, "previous"),
            (Action::Back, "cancel"),
            (Action::Help, "help"),
        ];
    }
    match app.pane {
        Pane::Today => &[
            (Action::Open, "open"),
            (Action::CheckIn, "check in"),
            (Action::Search, "find"),
            (Action::ToggleMine, "mine/all"),
            (Action::GoPeers, "peers"),
            (Action::GoGroups, "groups"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Pane::Peers if app.peers.searching => &[
            (Action::Open, "open"),
            (Action::Down, "move"),
            (Action::Back, "clear"),
            (Action::Help, "help"),
        ],
        Pane::Peers => &[
            (Action::Open, "open"),
            (Action::CheckIn, "check in"),
            (Action::Search, "search"),
            (Action::FilterStatus, "status"),
            (Action::FilterStaff, "staff"),
            (Action::Sort, "sort"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Pane::Peer => screens::peer_tabs::hints(app.peer_view.tab),
        Pane::Groups => screens::groups::hints(&app.groups),
        Pane::Audit if app.audit.as_ref().is_some_and(|a| a.editing.is_some()) => {
            &[(Action::NextField, "next filter"), (Action::Back, "cancel")]
        }
        Pane::Audit => &[
            (Action::Search, "filter"),
            (Action::Down, "move"),
            (Action::Refresh, "reload"),
            (Action::Back, "back"),
            (Action::Help, "help"),
        ],
    }
}
