//! Today, the home screen: who needs contact today and why, grouped by
//! section with counts, from `ops::today::today_report`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::today::{Section, TodayReport, TodayRow};
use crate::model::PeerId;
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, fit_end, fit_name, private_quoted};
use crate::ui::widgets::layout::head_body;
use crate::ui::widgets::list::{follow, moved, visible_offset, ListCursor};

use super::Effect;

/// State of the Today screen.
#[derive(Debug, Clone, Default)]
pub struct TodayState {
    /// The latest report, once loaded.
    pub report: Option<TodayReport>,
    /// Why the last load failed, if it did.
    pub error: Option<String>,
    /// A reload is on its way.
    pub loading: bool,
    /// Only the acting staff member's peers.
    pub mine_only: bool,
    /// The selected row (an index into `report.rows`), the first visible
    /// line (headings count as lines) and the lines of the last draw.
    pub cursor: ListCursor,
}

/// One drawn line of the Today list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodayLine {
    /// A section heading with its count.
    Header(Section, usize),
    /// A row, by index into `report.rows`.
    Row(usize),
}

/// The lines of a report: every section's heading (also when empty, so the
/// counts are always visible) followed by its rows.
pub fn lines(report: &TodayReport) -> Vec<TodayLine> {
    let mut out = Vec::with_capacity(report.rows.len() + Section::ALL.len());
    for section in Section::ALL {
        out.push(TodayLine::Header(section, report.count(section)));
        out.extend(
            report
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.section == section)
                .map(|(i, _)| TodayLine::Row(i)),
        );
    }
    out
}

impl TodayState {
    /// Takes a new report. The selection stays on the same row when it is
    /// still listed; when it left its section (the peer was just seen), the
    /// selection stays at the same place, which is now the next peer to
    /// contact — so working down the list is `c Enter`, note, `Ctrl-s`, again.
    pub fn set_report(&mut self, report: TodayReport) {
        let keep = self
            .selected_row()
            .map(|r| (r.section, r.peer, r.group, r.goal));
        self.report = Some(report);
        self.error = None;
        self.loading = false;
        let Some(report) = &self.report else { return };
        let same = keep.and_then(|k| {
            report
                .rows
                .iter()
                .position(|r| (r.section, r.peer, r.group, r.goal) == k)
        });
        self.cursor.selected = same
            .unwrap_or(self.cursor.selected)
            .min(report.rows.len().saturating_sub(1));
        self.scroll();
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&TodayRow> {
        self.report
            .as_ref()
            .and_then(|r| r.rows.get(self.cursor.selected))
    }

    /// The selected row's peer and name, for `c` and Enter.
    pub fn selected_peer(&self) -> Option<(PeerId, String)> {
        self.selected_row()
            .and_then(|r| r.peer.map(|p| (p, r.name.clone())))
    }

    fn line_of_selected(&self) -> Option<usize> {
        let report = self.report.as_ref()?;
        lines(report)
            .iter()
            .position(|l| *l == TodayLine::Row(self.cursor.selected))
    }

    /// The cursor's offset counts lines, headings included, so it
    /// follows the selected row's line (and the heading above a section's
    /// first row) rather than the row index.
    fn scroll(&mut self) {
        let height = self.cursor.view.rows();
        if let Some(line) = self.line_of_selected() {
            let c = &mut self.cursor;
            // Show the section heading above the first row of a section.
            let want = if line > 0 && line <= c.offset {
                line - 1
            } else {
                line
            };
            c.offset = follow(want, c.offset, height);
            c.offset = follow(line, c.offset, height);
        }
    }

    /// Handles an action, paging by the lines the last draw showed.
    pub fn handle(&mut self, action: Action) -> Effect {
        let height = self.cursor.view.rows();
        let len = self.report.as_ref().map_or(0, |r| r.rows.len());
        match action {
            Action::Top => {
                self.cursor.selected = 0;
                self.cursor.offset = 0;
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Bottom => {
                if let Some(to) = moved(action, self.cursor.selected, len, height) {
                    self.cursor.selected = to;
                }
            }
            Action::Open => {
                return match self.selected_row() {
                    Some(TodayRow {
                        peer: Some(p),
                        name,
                        ..
                    }) => Effect::OpenPeer(*p, name.clone()),
                    Some(r) if r.section == Section::CredentialsExpiring => Effect::Info(
                        "this row is about credentials; C opens the Credentials screen".into(),
                    ),
                    Some(_) => Effect::Info(
                        "this row is a group; open a peer's row to see their page".into(),
                    ),
                    None => Effect::None,
                }
            }
            Action::ToggleMine => {
                self.mine_only = !self.mine_only;
                self.loading = true;
                return Effect::ReloadToday;
            }
            _ => return Effect::None,
        }
        self.scroll();
        Effect::None
    }
}

/// Draws the Today list into `area`.
pub fn render(state: &TodayState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let who = if state.mine_only {
        "my peers"
    } else {
        "everyone"
    };
    let mut head = vec![Span::styled("Today", t.heading())];
    if let Some(r) = &state.report {
        head.push(Span::raw(format!(" {}", r.date.format("%a %d %b %Y"))));
    }
    head.push(Span::styled(format!(" · {who}"), t.dim()));
    if state.loading {
        head.push(Span::styled(" · loading…", t.dim()));
    }
    let (head_area, body) = head_body(area);
    Line::from(head).render(head_area, buf);
    let Some(report) = &state.report else {
        let msg = match &state.error {
            Some(e) => Line::styled(clip(&format!("Could not load Today: {e}"), w), t.error()),
            None => Line::styled("Loading Today…", t.dim()),
        };
        msg.render(body, buf);
        return;
    };
    if let Some(e) = &state.error {
        Line::styled(
            clip(&format!("Reload failed (showing the last list): {e}"), w),
            t.error(),
        )
        .render(body, buf);
    }
    let all = lines(report);
    let height = usize::from(body.height);
    state.cursor.view.record(height);
    let sel_line = all
        .iter()
        .position(|l| *l == TodayLine::Row(state.cursor.selected));
    let offset = match sel_line {
        Some(l) => visible_offset(l, state.cursor.offset, height),
        None => state.cursor.offset.min(all.len().saturating_sub(1)),
    };
    let name_w = (w.saturating_sub(4) / 3).clamp(10, 28);
    for (line, row_area) in all.iter().skip(offset).zip(body.rows()) {
        match *line {
            TodayLine::Header(section, count) => {
                let style = if count == 0 { t.dim() } else { t.heading() };
                Line::styled(clip(&format!("{} ({count})", section.title()), w), style)
                    .render(row_area, buf);
            }
            TodayLine::Row(idx) => {
                let Some(row) = report.rows.get(idx) else {
                    continue;
                };
                let selected = idx == state.cursor.selected;
                let why_w = w.saturating_sub(name_w + 3);
                // Peer rows name a peer; group rows name the group.
                let name = if row.peer.is_some() {
                    fit_name(ctx, &row.name, name_w)
                } else {
                    fit(&row.name, name_w)
                };
                // A goal's title (quoted) is hidden in privacy mode.
                let why = private_quoted(ctx, &row.why, selected);
                let why = if keeps_end(row.section) {
                    fit_end(&why, why_w)
                } else {
                    fit(&why, why_w)
                };
                let text = format!("  {name} {why}");
                let style = if selected { t.selected() } else { t.text() };
                Line::styled(text, style).render(row_area, buf);
            }
        }
    }
    crate::ui::widgets::list::scrollbar(body, buf, all.len(), offset, t.dim());
}

/// Which end of a row's "why" carries its meaning when it must be cut to
/// fit (80 columns): most sentences end in what matters ("… 42 days ago",
/// "… is 3 days overdue", "… no update for 20 days"), so their start is
/// shortened; re-engagement and seen-today rows say it first ("not seen
/// for 83 days (…)", "contacted once today, …"), so their end is.
fn keeps_end(section: Section) -> bool {
    !matches!(section, Section::Reengage | Section::SeenToday)
}
