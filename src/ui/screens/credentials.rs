//! The Credentials screen (`C`): one staff member's certifications with
//! the hours earned against each requirement this renewal period and the
//! hours still needed, their continuing-education entries and supervision
//! sessions. The signed-in member's own by default; admins switch staff
//! member with `s`. `a` adds CE hours, `v` a supervision session.
//!
//! The state holds what was asked for and the answer; the figures are
//! worked out by `ops::credentials` in the store worker, never here. It is
//! a screen of its own so it can later hang off a Staff screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::model::{Choice, StaffId};
use crate::ops::credentials::StaffCredentials;
use crate::text::escape_line;
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::layout::head_body;
use crate::ui::widgets::list::TextScroll;
use crate::ui::worker::StaffRow;

/// What the Credentials screen shows and what it asked for.
#[derive(Debug, Clone, Default)]
pub struct CredentialsState {
    /// Opened at least once (it then joins the Tab cycle).
    pub opened: bool,
    /// Whose credentials are shown (id, name).
    pub staff: Option<(StaffId, String)>,
    /// The answer for `staff`.
    pub data: Option<StaffCredentials>,
    /// Waiting for an answer.
    pub loading: bool,
    /// Why the last load failed.
    pub error: Option<String>,
    /// First line shown, and the rows and lines drawn last (for paging).
    pub scroll: TextScroll,
    /// Supervisors' names by id, for the supervision lines.
    pub names: Vec<StaffRow>,
}

impl CredentialsState {
    /// Scrolls by an action; true if it was a scrolling action.
    pub fn scroll_by(&mut self, action: Action) -> bool {
        self.scroll.apply(action)
    }

    /// The staff member after the one shown in `list` (active ones only),
    /// wrapping around.
    pub fn next_staff(&self, list: &[StaffRow]) -> Option<(StaffId, String)> {
        let active: Vec<&StaffRow> = list.iter().filter(|s| s.active).collect();
        if active.is_empty() {
            return None;
        }
        let at = self
            .staff
            .as_ref()
            .and_then(|(id, _)| active.iter().position(|s| s.id == *id));
        let next = match at {
            Some(i) => active[(i + 1) % active.len()],
            None => active[0],
        };
        Some((next.id, next.name.clone()))
    }

    fn name_of(&self, id: StaffId) -> String {
        self.names
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| escape_line(&s.name).into_owned())
    }
}

/// The screen's lines (pure, for tests): certifications, CE entries,
/// supervision.
pub fn lines(s: &CredentialsState) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    let Some(d) = &s.data else {
        return out;
    };
    out.push(Line::from(format!(
        "Certifications ({}) · {} hours still needed",
        d.certifications.len(),
        d.hours_needed()
    )));
    if d.certifications.is_empty() {
        out.push(Line::from("  none recorded (caseload staff cert add)"));
    }
    for st in &d.certifications {
        let c = &st.certification;
        out.push(Line::from(format!(
            "  {} {} ({}) · {}",
            c.id,
            escape_line(&c.name),
            escape_line(&c.issuer),
            st.expiry_text().unwrap_or_else(|| "no expiry".into())
        )));
        match (c.requirement, st.period) {
            (Some(r), Some(p)) => {
                out.push(Line::from(format!(
                    "    {} to {}: {} of {} h, ethics {} of {}",
                    p.start,
                    p.last_day(),
                    st.earned,
                    r.hours,
                    st.ethics_earned,
                    r.ethics
                )));
                out.push(Line::from(format!(
                    "    {}",
                    st.needed_text()
                        .unwrap_or_else(|| "requirement met".to_string())
                )));
            }
            _ => out.push(Line::from("    no CE requirement recorded")),
        }
    }
    out.push(Line::from(""));
    out.push(Line::from(format!(
        "CE hours ({}, newest first) · a adds",
        crate::text::count(d.ceu_entries.len(), "entry", "entries")
    )));
    if d.ceu_entries.is_empty() {
        out.push(Line::from("  none yet"));
    }
    for e in &d.ceu_entries {
        out.push(Line::from(format!(
            "  {} {:>4} h {:<8} {}{}",
            e.date,
            e.hours.to_string(),
            escape_line(&e.category),
            escape_line(&e.title),
            if e.provider.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape_line(&e.provider))
            }
        )));
    }
    out.push(Line::from(""));
    out.push(Line::from(format!(
        "Supervision ({} min in the last 12 months) · v adds",
        d.supervision_minutes_12m
    )));
    if d.supervision.is_empty() {
        out.push(Line::from("  none yet"));
    }
    for v in &d.supervision {
        out.push(Line::from(format!(
            "  {} {:>3} min {:<10} with {}{}",
            v.date,
            v.minutes,
            v.mode.label(),
            s.name_of(v.supervisor),
            v.note
                .as_deref()
                .map(|n| format!(" · {}", escape_line(n)))
                .unwrap_or_default()
        )));
    }
    out
}

/// Draws the screen into `area`.
pub fn render(s: &CredentialsState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let who = s.staff.as_ref().map_or_else(
        || "nobody signed in".to_string(),
        |(_, n)| escape_line(n).into_owned(),
    );
    let (head, body) = head_body(area);
    Line::from(vec![
        Span::styled("Credentials", ctx.theme.heading()),
        Span::raw(format!(" · {who} · on {}", ctx.today)),
    ])
    .render(head, buf);
    let text: Vec<Line<'static>> = if let Some(e) = &s.error {
        vec![Line::from(format!("Could not load: {}", escape_line(e)))]
    } else if s.data.is_none() {
        vec![Line::from(if s.loading {
            "loading…"
        } else {
            "No staff member to show."
        })]
    } else {
        lines(s)
    };
    let rows = usize::from(body.height);
    let top = s.scroll.shown(rows, text.len());
    Paragraph::new(text.into_iter().skip(top).take(rows).collect::<Vec<_>>()).render(body, buf);
}

/// The key hints of the screen.
pub fn hints() -> &'static [(Action, &'static str)] {
    &[
        (Action::AddCeu, "add CE hours"),
        (Action::AddSupervision, "add supervision"),
        (Action::FilterStaff, "staff"),
        (Action::Down, "scroll"),
        (Action::Back, "back"),
        (Action::Help, "help"),
    ]
}
