//! "Here now" (`h` from Today): who signed in today, with the time, their
//! assigned staff member and the Today reason if they need contact, so a
//! peer due for a follow-up who walks in is noticed; below, the intakes
//! left at the kiosk ("I'm new here") for staff to settle. A check-in is
//! started from a row as from Today (`c`), and Enter opens the peer.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::visit::HereNowRow;
use crate::model::{Intake, PeerId, Record};
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, fit_name, private_quoted};
use crate::ui::widgets::list::{draw_lines, ListCursor};
use crate::ui::worker::RequestId;

/// The pane's state.
#[derive(Debug, Clone, Default)]
pub struct HereNowState {
    /// Opened at least once (then it is one of the Tab panes).
    pub opened: bool,
    /// Today's visitors, by time in.
    pub rows: Vec<HereNowRow>,
    /// Pending intakes, oldest first.
    pub intakes: Vec<Record<Intake>>,
    /// The selection among the visitors.
    pub cursor: ListCursor,
    /// The request whose answer is awaited.
    pub pending: Option<RequestId>,
    /// Loaded at least once.
    pub loaded: bool,
    /// Why the last load failed.
    pub error: Option<String>,
}

impl HereNowState {
    /// The selected visitor, for opening and checking in.
    pub fn selected_peer(&self) -> Option<(PeerId, String)> {
        self.rows
            .get(self.cursor.selected)
            .map(|r| (r.peer, r.name.clone()))
    }

    /// Takes a fresh list, keeping the selected peer selected.
    pub fn take(&mut self, rows: Vec<HereNowRow>, intakes: Vec<Record<Intake>>) {
        let keep = self.selected_peer().map(|(p, _)| p);
        self.rows = rows;
        self.intakes = intakes;
        self.loaded = true;
        self.error = None;
        let at = keep
            .and_then(|p| self.rows.iter().position(|r| r.peer == p))
            .unwrap_or(self.cursor.selected);
        self.cursor.select(at, self.rows.len());
    }
}

/// The pane's key hints.
pub fn hints() -> &'static [(Action, &'static str)] {
    &[
        (Action::CheckIn, "check in"),
        (Action::Open, "open"),
        (Action::Back, "Today"),
        (Action::Refresh, "refresh"),
        (Action::Help, "help"),
    ]
}

/// Draws the pane.
pub fn render(state: &HereNowState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let mut head = vec![
        Span::styled("Here now", t.heading()),
        Span::raw(format!(" {}", ctx.today.format("%a %d %b %Y"))),
        Span::styled(format!(" · {} signed in", state.rows.len()), t.dim()),
    ];
    if !state.intakes.is_empty() {
        head.push(Span::styled(
            format!(" · {} new here", state.intakes.len()),
            t.dim(),
        ));
    }
    let [head_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    Line::from(head).render(head_area, buf);
    if let Some(e) = &state.error {
        Line::styled(clip(&format!("Could not load: {e}"), w), t.error()).render(body, buf);
        return;
    }
    if !state.loaded {
        Line::styled("Loading…", t.dim()).render(body, buf);
        return;
    }
    let intake_lines = if state.intakes.is_empty() {
        0
    } else {
        state.intakes.len().min(5) + 1
    };
    let [list, intakes] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(intake_lines as u16)])
            .areas(body);
    if state.rows.is_empty() {
        Line::styled("Nobody has signed in yet today.", t.dim()).render(list, buf);
    }
    let offset = state.cursor.shown(usize::from(list.height).max(1));
    let name_w = (w.saturating_sub(20) / 3).clamp(10, 26);
    let rows = state.rows.iter().enumerate().skip(offset).map(|(i, row)| {
        let time = match row.time_out {
            Some(out) => format!("{}–{}", row.time_in.format("%H:%M"), out.format("%H:%M")),
            None => format!("{}      ", row.time_in.format("%H:%M")),
        };
        let staff = row.assigned.as_deref().unwrap_or("—");
        let why = match (&row.section, &row.why) {
            // A goal's title (quoted) is hidden in privacy mode, as on Today.
            (Some(s), Some(why)) => format!(
                "{}: {}",
                s.title(),
                private_quoted(ctx, why, i == state.cursor.selected)
            ),
            _ => row.purpose.clone().unwrap_or_default(),
        };
        let fixed = 2 + 11 + 1 + name_w + 1 + 4 + 1;
        let text = format!(
            "  {} {} {} {}",
            fit(&time, 11),
            fit_name(ctx, &row.name, name_w),
            fit(staff, 4),
            fit(&why, w.saturating_sub(fixed))
        );
        let style = if i == state.cursor.selected {
            t.selected()
        } else if row.section.is_some() {
            t.heading()
        } else {
            t.text()
        };
        Line::styled(clip(&text, w), style)
    });
    draw_lines(rows, list, buf);
    if intake_lines > 0 {
        let heading = Line::styled(
            clip("New here (pending intakes: caseload visit intakes)", w),
            t.heading(),
        );
        let listed = state.intakes.iter().take(5).map(|intake| {
            let text = format!(
                "  {} {} {} {}",
                fit(&intake.id.to_string(), 5),
                fit(&intake.time.format("%H:%M").to_string(), 5),
                fit_name(ctx, &intake.first_name, name_w),
                intake.day
            );
            Line::styled(clip(&text, w), t.text())
        });
        draw_lines(std::iter::once(heading).chain(listed), intakes, buf);
    }
}
