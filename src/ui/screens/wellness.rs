//! The wellness plan tab of the peer page: five free-text lists the peer
//! owns (daily maintenance, triggers, early warning signs, what helps, who
//! to call). Optional: an empty plan says so and invites the first entry.
//! Section headings are selectable too, so an empty list can be added to.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::model::WellnessPlan;
use crate::ops::wellness::WellnessSection;
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, private};
use crate::ui::widgets::list::{follow, visible_offset, Viewport};

/// A selectable row of the wellness plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WellnessRow {
    /// A section's heading.
    Section(WellnessSection),
    /// Entry `.1` of a section.
    Entry(WellnessSection, usize),
}

impl WellnessRow {
    /// The section the row is in.
    pub fn section(self) -> WellnessSection {
        match self {
            WellnessRow::Section(s) | WellnessRow::Entry(s, _) => s,
        }
    }
}

/// What the wellness tab asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WellnessEffect {
    /// Nothing more.
    None,
    /// Say something in the status line.
    Info(String),
    /// Open the entry form to add to this section.
    Add(WellnessSection),
    /// Open the entry form for this entry (expected text).
    Edit(WellnessSection, usize, String),
    /// Ask, then delete this entry.
    Delete(WellnessSection, usize, String),
    /// Move this entry up (`true`) or down.
    Move(WellnessSection, usize, String, bool),
}

/// State of the wellness tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WellnessState {
    /// The selected row.
    pub selected: WellnessRow,
    /// First visible line.
    pub offset: usize,
    /// Lines the tab showed at the last draw.
    pub view: Viewport,
}

impl Default for WellnessState {
    fn default() -> Self {
        WellnessState {
            selected: WellnessRow::Section(WellnessSection::DailyMaintenance),
            offset: 0,
            view: Viewport::default(),
        }
    }
}

/// Every row: each section's heading, then its entries (or a placeholder
/// line, which is not a row).
pub fn rows(plan: &WellnessPlan) -> Vec<WellnessRow> {
    let mut v = Vec::new();
    for s in WellnessSection::ALL {
        v.push(WellnessRow::Section(s));
        v.extend((0..s.list(plan).len()).map(|i| WellnessRow::Entry(s, i)));
    }
    v
}

/// Drawn lines: rows, plus "(nothing yet)" under empty sections and a
/// blank line between sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WLine {
    Row(WellnessRow),
    Nothing,
    Blank,
}

fn layout(plan: &WellnessPlan) -> Vec<WLine> {
    let mut v = Vec::new();
    for (n, s) in WellnessSection::ALL.into_iter().enumerate() {
        if n > 0 {
            v.push(WLine::Blank);
        }
        v.push(WLine::Row(WellnessRow::Section(s)));
        let len = s.list(plan).len();
        if len == 0 {
            v.push(WLine::Nothing);
        }
        v.extend((0..len).map(|i| WLine::Row(WellnessRow::Entry(s, i))));
    }
    v
}

impl WellnessState {
    /// The selection made valid for `plan` (an entry that went away falls
    /// back to the one before it, or the heading).
    pub fn current(&self, plan: &WellnessPlan) -> WellnessRow {
        match self.selected {
            WellnessRow::Entry(s, i) if i >= s.list(plan).len() => match s.list(plan).len() {
                0 => WellnessRow::Section(s),
                n => WellnessRow::Entry(s, n - 1),
            },
            r => r,
        }
    }

    fn scroll(&mut self, plan: &WellnessPlan) {
        let height = self.view.rows();
        let lines = layout(plan);
        let sel = WLine::Row(self.current(plan));
        if let Some(i) = lines.iter().position(|l| *l == sel) {
            self.offset = follow(i, self.offset, height);
        }
    }

    /// Handles an action, paging by the lines the last draw showed.
    pub fn handle(&mut self, action: Action, plan: &WellnessPlan) -> WellnessEffect {
        let height = self.view.rows();
        let all = rows(plan);
        let cur = self.current(plan);
        let pos = all.iter().position(|r| *r == cur).unwrap_or(0);
        let moved = crate::ui::widgets::list::moved(action, pos, all.len(), height);
        if let Some(p) = moved {
            if let Some(r) = all.get(p) {
                self.selected = *r;
            }
            self.scroll(plan);
            return WellnessEffect::None;
        }
        let text = |s: WellnessSection, i: usize| s.list(plan).get(i).cloned().unwrap_or_default();
        match (action, cur) {
            (Action::AddEntry, r) => WellnessEffect::Add(r.section()),
            (Action::Edit, WellnessRow::Entry(s, i)) => WellnessEffect::Edit(s, i, text(s, i)),
            (Action::Delete, WellnessRow::Entry(s, i)) => WellnessEffect::Delete(s, i, text(s, i)),
            (Action::MoveUp | Action::MoveDown, WellnessRow::Entry(s, i)) => {
                let up = action == Action::MoveUp;
                if (up && i == 0) || (!up && i + 1 >= s.list(plan).len()) {
                    WellnessEffect::Info(format!(
                        "the entry is already the {} in \"{}\"",
                        if up { "first" } else { "last" },
                        s.title()
                    ))
                } else {
                    WellnessEffect::Move(s, i, text(s, i), up)
                }
            }
            (
                Action::Edit | Action::Delete | Action::MoveUp | Action::MoveDown,
                WellnessRow::Section(_),
            ) => WellnessEffect::Info("move down to an entry first".into()),
            _ => WellnessEffect::None,
        }
    }
}

/// Draws the wellness plan into `area` (below the peer page's tabs).
pub fn render(
    state: &WellnessState,
    plan: &WellnessPlan,
    ctx: &ViewCtx<'_>,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.height == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let entries: usize = WellnessSection::ALL
        .iter()
        .map(|s| s.list(plan).len())
        .sum();
    let head = if plan.is_empty() {
        "Wellness plan (optional, in the peer's words) · nothing written yet".to_string()
    } else {
        format!(
            "Wellness plan (the peer's own words) · {}",
            crate::text::count(entries, "entry", "entries")
        )
    };
    let (head_area, body) = crate::ui::widgets::layout::head_body(area);
    Line::styled(clip(&head, w), t.heading()).render(head_area, buf);
    let lines = layout(plan);
    let sel = state.current(plan);
    let height = usize::from(body.height);
    state.view.record(height);
    let offset = match lines.iter().position(|l| *l == WLine::Row(sel)) {
        Some(i) => visible_offset(i, state.offset, height),
        None => state.offset,
    };
    for (line, r) in lines.iter().skip(offset).zip(body.rows()) {
        let drawn = match *line {
            WLine::Blank => Line::raw(""),
            WLine::Nothing => Line::styled("    (nothing yet)", t.dim()),
            WLine::Row(WellnessRow::Section(s)) => {
                let n = s.list(plan).len();
                let text = format!("  {} ({n})", s.title());
                let style = if sel == WellnessRow::Section(s) {
                    t.selected()
                } else {
                    t.heading()
                };
                Line::styled(fit(&text, w), style)
            }
            WLine::Row(WellnessRow::Entry(s, i)) => {
                let Some(e) = s.list(plan).get(i) else {
                    continue;
                };
                let selected = sel == WellnessRow::Entry(s, i);
                let style = if selected { t.selected() } else { t.text() };
                // The peer's own words: hidden in privacy mode but for a
                // revealed selected entry.
                Line::styled(
                    fit(&format!("    • {}", private(ctx, e, selected)), w),
                    style,
                )
            }
        };
        drawn.render(r, buf);
    }
}
