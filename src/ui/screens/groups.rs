//! Groups: recurring groups with today's first (weekday, time, place,
//! facilitator, today's attendance or the last session's), a group's
//! history of past sessions with attendance counts, and the session screen
//! (`screens::attendance`) for taking attendance.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::model::{GroupId, GroupSession, Record, StaffId};
use crate::ops::groups::GroupRow;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit};
use crate::ui::widgets::list::{draw_lines, ListCursor};

use super::attendance::AttendanceState;

/// The glyph before a group that meets today (also shown without colour).
pub const TODAY_MARK: &str = "●";
/// What the Groups screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupsMode {
    /// The list of groups.
    #[default]
    List,
    /// One group's past sessions.
    History(GroupId),
    /// A group session's attendance.
    Attendance,
}

/// What the Groups screen asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupsEffect {
    /// Nothing more.
    None,
    /// Say something in the status line.
    Info(String),
    /// Open (creating if needed) the session of a group on a day.
    Open(GroupId, NaiveDate),
    /// Load a group's history.
    History(GroupId),
    /// Open the group form.
    AddGroup,
}

/// State of the Groups screen.
#[derive(Default)]
pub struct GroupsState {
    /// Opened at least once (it then joins the Tab cycle).
    pub opened: bool,
    /// The groups, today's first.
    pub rows: Vec<GroupRow>,
    /// The list arrived at least once.
    pub loaded: bool,
    /// A reload is on its way.
    pub loading: bool,
    /// Why the last load failed.
    pub error: Option<String>,
    /// Selection in `rows`.
    pub cursor: ListCursor,
    /// What is in front.
    pub mode: GroupsMode,
    /// The history shown, once loaded: newest first.
    pub history: Option<Result<Vec<Record<GroupSession>>, String>>,
    /// Selection in the history.
    pub history_cursor: ListCursor,
    /// The attendance of the open group session, if any.
    pub attendance: Option<AttendanceState>,
    /// A session is being opened.
    pub opening: bool,
    /// A group to select once the list is there (from Today's row).
    pub want: Option<GroupId>,
    /// Staff initials, for the facilitator column.
    pub initials: HashMap<StaffId, String>,
}

const CHAIN_LIST: &[Context] = &[Context::Groups, Context::List, Context::Global];
const CHAIN_HISTORY: &[Context] = &[Context::List, Context::Global];

impl GroupsState {
    /// The key contexts where the focus is.
    pub fn context(&self) -> (&'static [Context], bool) {
        match (&self.mode, &self.attendance) {
            (GroupsMode::Attendance, Some(s)) => s.context(),
            (GroupsMode::History(_), _) => (CHAIN_HISTORY, false),
            _ => (CHAIN_LIST, false),
        }
    }

    /// Takes a reloaded list, keeping the selected group.
    pub fn set_rows(&mut self, rows: Vec<GroupRow>) {
        let keep = self
            .want
            .take()
            .or_else(|| self.selected().map(|r| r.group.id));
        self.rows = rows;
        self.loaded = true;
        self.loading = false;
        self.error = None;
        let pos = keep
            .and_then(|id| self.rows.iter().position(|r| r.group.id == id))
            .unwrap_or(self.cursor.selected);
        self.cursor.select(pos, self.rows.len());
    }

    /// The selected group.
    pub fn selected(&self) -> Option<&GroupRow> {
        self.rows.get(self.cursor.selected)
    }

    /// Handles an action in the list or history; `height` is the number of
    /// visible rows. The session screen is handled by the app.
    pub fn handle(&mut self, action: Action, today: NaiveDate) -> GroupsEffect {
        match self.mode {
            GroupsMode::History(group) => {
                let len = self
                    .history
                    .as_ref()
                    .and_then(|h| h.as_ref().ok())
                    .map_or(0, Vec::len);
                if self.history_cursor.apply(action, len) {
                    return GroupsEffect::None;
                }
                match action {
                    Action::Back => {
                        self.mode = GroupsMode::List;
                        GroupsEffect::None
                    }
                    Action::Open => {
                        let date = self
                            .history
                            .as_ref()
                            .and_then(|h| h.as_ref().ok())
                            .and_then(|h| h.get(self.history_cursor.selected))
                            .map(|s| s.date);
                        match date {
                            Some(d) => GroupsEffect::Open(group, d),
                            None => GroupsEffect::None,
                        }
                    }
                    _ => GroupsEffect::None,
                }
            }
            GroupsMode::List | GroupsMode::Attendance => {
                if self.cursor.apply(action, self.rows.len()) {
                    return GroupsEffect::None;
                }
                match action {
                    Action::AddGroup => GroupsEffect::AddGroup,
                    Action::Open => match self.selected() {
                        Some(r) => GroupsEffect::Open(r.group.id, today),
                        None => GroupsEffect::Info("no groups yet: add one first".into()),
                    },
                    Action::GroupHistory => match self.selected() {
                        Some(r) => {
                            let id = r.group.id;
                            self.mode = GroupsMode::History(id);
                            self.history = None;
                            self.history_cursor = ListCursor::default();
                            GroupsEffect::History(id)
                        }
                        None => GroupsEffect::None,
                    },
                    _ => GroupsEffect::None,
                }
            }
        }
    }
}

/// Hints for what is in front on the Groups screen.
pub fn hints(state: &GroupsState) -> &'static [(Action, &'static str)] {
    match state.mode {
        GroupsMode::Attendance => &[
            (Action::Toggle, "check off/on"),
            (Action::WalkIn, "walk-in"),
            (Action::Save, "save"),
            (Action::NextField, "topic/note"),
            (Action::Back, "back"),
            (Action::Help, "help"),
        ],
        GroupsMode::History(_) => &[
            (Action::Open, "open session"),
            (Action::Down, "move"),
            (Action::Back, "back"),
            (Action::Help, "help"),
        ],
        GroupsMode::List => &[
            (Action::Open, "today's session"),
            (Action::GroupHistory, "history"),
            (Action::AddGroup, "add group"),
            (Action::CheckIn, "check in"),
            (Action::Back, "back"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
    }
}

fn weekday(w: chrono::Weekday) -> &'static str {
    match w {
        chrono::Weekday::Mon => "Mon",
        chrono::Weekday::Tue => "Tue",
        chrono::Weekday::Wed => "Wed",
        chrono::Weekday::Thu => "Thu",
        chrono::Weekday::Fri => "Fri",
        chrono::Weekday::Sat => "Sat",
        chrono::Weekday::Sun => "Sun",
    }
}

/// Draws the Groups screen into `area`.
pub fn render(state: &GroupsState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 3 {
        return;
    }
    if state.mode == GroupsMode::Attendance {
        if let Some(s) = &state.attendance {
            super::attendance::render(s, ctx, area, buf);
            return;
        }
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    // Heading, column names, the list, and a line about the selected group.
    let [head_area, columns, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let rows = usize::from(body.height).max(1);
    if let GroupsMode::History(id) = state.mode {
        let name = state
            .rows
            .iter()
            .find(|r| r.group.id == id)
            .map(|r| r.group.name.clone())
            .unwrap_or_else(|| id.to_string());
        let head = match &state.history {
            Some(Ok(h)) => format!(
                "History of {name} · {}",
                crate::text::count(h.len(), "session", "sessions")
            ),
            _ => format!("History of {name}"),
        };
        Line::styled(clip(&head, w), t.heading()).render(head_area, buf);
        Line::styled(fit("  Date            Attending  Topic", w), t.dim()).render(columns, buf);
        match &state.history {
            None => Line::styled("Loading…", t.dim()).render(body, buf),
            Some(Err(e)) => {
                Line::styled(clip(&format!("Could not load: {e}"), w), t.error()).render(body, buf)
            }
            Some(Ok(h)) if h.is_empty() => {
                Line::styled("No sessions recorded yet.", t.dim()).render(body, buf)
            }
            Some(Ok(h)) => {
                let offset = state.history_cursor.shown(rows);
                let lines = h.iter().enumerate().skip(offset).map(|(i, s)| {
                    let sel = i == state.history_cursor.selected;
                    let text = format!(
                        "  {} {}  {:>9}  {}",
                        weekday(s.date.weekday()),
                        s.date,
                        s.attendees.len(),
                        s.topic
                    );
                    Line::styled(fit(&text, w), if sel { t.selected() } else { t.text() })
                });
                draw_lines(lines, body, buf);
            }
        }
        return;
    }

    let today_n = state
        .rows
        .iter()
        .filter(|r| r.group.meets_on(ctx.today) || r.today.is_some())
        .count();
    let mut head = format!(
        "Groups · {} · {} today, {} in all",
        ctx.today.format("%a %d %b %Y"),
        today_n,
        state.rows.len()
    );
    if state.loading {
        head.push_str(" · loading…");
    }
    Line::styled(clip(&head, w), t.heading()).render(head_area, buf);
    let name_w = (w.saturating_sub(4) / 3).clamp(12, 30);
    let place_w = (w / 7).clamp(8, 16);
    Line::styled(
        fit(
            &format!(
                "  {} {:<9} {} {:<4} {}",
                fit("Group", name_w),
                "Meets",
                fit("Place", place_w),
                "By",
                "Attendance"
            ),
            w,
        ),
        t.dim(),
    )
    .render(columns, buf);
    if !state.loaded {
        let msg = match &state.error {
            Some(e) => Line::styled(clip(&format!("Could not load groups: {e}"), w), t.error()),
            None => Line::styled("Loading groups…", t.dim()),
        };
        msg.render(body, buf);
        return;
    }
    if state.rows.is_empty() {
        Line::styled("No groups yet: add one with the add-group key.", t.dim()).render(body, buf);
        return;
    }
    let offset = state.cursor.shown(rows);
    let lines = state.rows.iter().enumerate().skip(offset).map(|(i, r)| {
        let g = &r.group;
        let sel = i == state.cursor.selected;
        let meets_today = g.meets_on(ctx.today) || r.today.is_some();
        let by = g
            .facilitator
            .and_then(|s| state.initials.get(&s).cloned())
            .unwrap_or_else(|| "—".into());
        let attendance = match (&r.today, r.last) {
            (Some(s), _) => format!("today: {} attending", s.attendees.len()),
            (None, _) if meets_today => "today: not opened yet".to_string(),
            (None, Some((d, n))) => format!("last {d}: {n}"),
            (None, None) => "no sessions yet".to_string(),
        };
        // Today's groups carry their own glyph: "▸" is the focus marker
        // of fields and lists elsewhere, and the selection is reverse video.
        let mark = if meets_today { TODAY_MARK } else { " " };
        let text = format!(
            "{mark} {} {} {} {} {} {}{}",
            fit(&g.name, name_w),
            weekday(g.weekday),
            g.time.format("%H:%M"),
            fit(&g.location, place_w),
            fit(&by, 4),
            attendance,
            if g.active { "" } else { " (inactive)" }
        );
        let style = if sel {
            t.selected()
        } else if meets_today {
            t.text()
        } else {
            t.dim()
        };
        Line::styled(fit(&text, w), style)
    });
    draw_lines(lines, body, buf);
    if let Some(r) = state.selected() {
        let hint = format!(
            "{}: {} recorded{}",
            r.group.id,
            crate::text::count(r.sessions, "session", "sessions"),
            if state.opening {
                " · opening the session…"
            } else {
                ""
            }
        );
        Line::styled(clip(&hint, w), t.dim()).render(foot, buf);
    }
}
