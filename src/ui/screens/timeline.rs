//! The goal timeline tab of the peer page: time left to right (zoom from
//! days to months, scroll earlier and later), one row per goal from its
//! start to its target or the day it ended, with check-ins and status
//! changes marked, today marked, and under it a sparkline of the peer's
//! wellbeing ratings on the same time axis. The drawing rules live in
//! `widgets::timeline`; this file holds the view's state and layout.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};

use crate::model::{Choice, PeerId};
use crate::ops::plan::TimelineData;
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, private};
use crate::ui::widgets::layout::split_cols;
use crate::ui::widgets::list::{ListCursor, Viewport};
use crate::ui::widgets::timeline::{
    axis, glyph, goal_cells, wellbeing_bars, Scale, DEFAULT_ZOOM, LEGEND, ZOOMS,
};

/// State of the timeline tab.
#[derive(Debug, Clone)]
pub struct TimelineState {
    /// Whose timeline was loaded.
    pub peer: Option<PeerId>,
    /// What was loaded.
    pub data: Option<Box<TimelineData>>,
    /// A load is on its way.
    pub loading: bool,
    /// Why the last load failed.
    pub error: Option<String>,
    /// Index into `ZOOMS`.
    pub zoom: usize,
    /// Columns moved later (negative: earlier) from the default view.
    pub shift: i64,
    /// The selected goal row, the first one shown and the goal rows of
    /// the last draw.
    pub cursor: ListCursor,
    /// Columns of the time axis at the last draw (left/right move a
    /// quarter of them).
    pub axis: Viewport,
}

impl Default for TimelineState {
    fn default() -> Self {
        TimelineState {
            peer: None,
            data: None,
            loading: false,
            error: None,
            zoom: DEFAULT_ZOOM,
            shift: 0,
            cursor: ListCursor::default(),
            axis: Viewport::default(),
        }
    }
}

impl TimelineState {
    /// Days per column at the current zoom.
    pub fn days_per_column(&self) -> i64 {
        ZOOMS.get(self.zoom).map_or(7, |z| z.0)
    }

    /// Handles an action, by the goal rows and axis columns of the last
    /// draw. Returns false for actions it does not use.
    pub fn handle(&mut self, action: Action) -> bool {
        let cols = self.axis.rows();
        let goals = self.data.as_ref().map_or(0, |d| d.goals.len());
        let step = (cols as i64 / 4).max(1);
        match action {
            Action::ZoomIn => {
                if self.zoom > 0 {
                    self.zoom -= 1;
                    self.shift = 0;
                }
            }
            Action::ZoomOut => {
                if self.zoom + 1 < ZOOMS.len() {
                    self.zoom += 1;
                    self.shift = 0;
                }
            }
            Action::ScrollLeft => self.shift -= step,
            Action::ScrollRight => self.shift += step,
            Action::Recenter => self.shift = 0,
            other => return self.cursor.apply(other, goals),
        }
        true
    }
}

/// Width of the goal label column at a given pane width.
pub fn label_width(width: u16) -> u16 {
    (width / 5).clamp(12, 26)
}

/// How the timeline's lines are shared out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineLayout {
    /// Rows for goals.
    pub goal_rows: usize,
    /// Rows for the wellbeing sparkline (5 when there is room: one per
    /// rating level).
    pub spark_rows: u16,
}

/// Shares a pane of `height` lines and `width` columns between `goals`
/// goal rows and the wellbeing sparkline: goals first, the sparkline gets
/// 2 to 5 rows, and goals that do not fit scroll.
pub fn layout(height: u16, width: u16, goals: usize) -> TimelineLayout {
    let legend = legend_lines(usize::from(width)).len() as u16;
    // Header, axis, legend, wellbeing label, detail line.
    let fixed = 2 + legend + 1 + 1;
    let free = usize::from(height.saturating_sub(fixed));
    let want = goals.max(1);
    let spark_min = 2usize;
    let goal_rows = want.min(free.saturating_sub(spark_min)).max(1);
    let spark_rows = free.saturating_sub(goal_rows).clamp(1, 5) as u16;
    TimelineLayout {
        goal_rows,
        spark_rows,
    }
}

fn legend_lines(w: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for (g, words) in LEGEND {
        let piece = format!("{g} {words}");
        let cur = lines.last_mut().map(|l| l.chars().count()).unwrap_or(0);
        if cur > 0 && cur + 2 + piece.chars().count() > w {
            lines.push(piece);
        } else if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push_str("  ");
            }
            l.push_str(&piece);
        }
    }
    lines
}

/// Draws the timeline into `area` (below the peer page's tabs).
pub fn render(state: &TimelineState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 4 || area.width < 30 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    // The bands one under another, row by row from the top; what does not
    // fit at the bottom is not drawn.
    let mut rows = area.rows();
    let line = |buf: &mut Buffer, row: Option<Rect>, l: Line<'_>| {
        if let Some(row) = row {
            l.render(row, buf);
        }
    };
    let Some(data) = &state.data else {
        let msg = match (&state.error, state.loading) {
            (Some(e), _) => Line::styled(
                clip(&format!("Could not load the timeline: {e}"), w),
                t.error(),
            ),
            _ => Line::styled("Loading the timeline…", t.dim()),
        };
        line(buf, rows.next(), msg);
        return;
    };
    let label_w = label_width(area.width);
    let cols = usize::from(area.width.saturating_sub(label_w + 1));
    state.axis.record(cols);
    let days = state.days_per_column();
    let scale = Scale::around(ctx.today, cols, days, state.shift);
    let zoom_words = ZOOMS.get(state.zoom).map_or("", |z| z.1);
    let head = format!(
        "Goal timeline · 1 column = {zoom_words} · {} – {} · today {}",
        scale.from.format("%-d %b %Y"),
        scale.to().format("%-d %b %Y"),
        ctx.today.format("%-d %b")
    );
    line(buf, rows.next(), Line::styled(clip(&head, w), t.heading()));
    let pad = " ".repeat(usize::from(label_w) + 1);
    line(
        buf,
        rows.next(),
        Line::from(vec![
            Span::raw(pad.clone()),
            Span::styled(axis(&scale, ctx.today), t.dim()),
        ]),
    );

    // One line for assessment totals when there are any.
    let capital_line = u16::from(!data.capital.is_empty());
    let lay = layout(
        area.height.saturating_sub(capital_line),
        area.width,
        data.goals.len(),
    );
    let goal_rows: Vec<Rect> = rows.by_ref().take(lay.goal_rows).collect();
    let offset = state.cursor.shown(lay.goal_rows);
    if data.goals.is_empty() {
        line(
            buf,
            goal_rows.first().copied(),
            Line::styled(
                clip(
                    "  No goals yet: the timeline fills in as goals are added to the plan.",
                    w,
                ),
                t.dim(),
            ),
        );
    }
    for ((i, g), row) in data.goals.iter().enumerate().skip(offset).zip(goal_rows) {
        let touches = data.touches.get(&g.id).map(Vec::as_slice).unwrap_or(&[]);
        let cells: String = goal_cells(g, touches, &scale, ctx.today)
            .into_iter()
            .collect();
        let selected = i == state.cursor.selected;
        let label = fit(
            &format!("{} {}", g.id, private(ctx, &g.title, selected)),
            usize::from(label_w),
        );
        line(
            buf,
            Some(row),
            Line::from(vec![
                Span::styled(label, if selected { t.selected() } else { t.text() }),
                Span::raw(" "),
                Span::styled(cells, t.text()),
            ]),
        );
    }

    for l in legend_lines(w) {
        line(buf, rows.next(), Line::styled(l, t.dim()));
    }

    // Assessment totals, on the same axis: each total written from its
    // column (a later one in the same stretch wins).
    if let Some((_, instrument, _)) = data.capital.last() {
        let (label, cells) = super::assess::timeline_row(&data.capital, instrument, &scale, cols);
        line(
            buf,
            rows.next(),
            Line::from(vec![
                Span::styled(fit(&label, usize::from(label_w)), t.heading()),
                Span::raw(" "),
                Span::styled(cells, t.text()),
            ]),
        );
    }

    // Wellbeing, on the same axis.
    let bars = wellbeing_bars(&data.wellbeing, &scale);
    let rated: Vec<u64> = bars.iter().flatten().copied().collect();
    let label = if data.wellbeing.is_empty() {
        "Wellbeing (1–5): no ratings given at check-ins yet".to_string()
    } else if rated.is_empty() {
        "Wellbeing (1–5): no ratings in this stretch of time".to_string()
    } else {
        let last = data
            .wellbeing
            .iter()
            .rev()
            .find(|(d, _)| *d >= scale.from && *d <= scale.to());
        let avg = data
            .wellbeing
            .iter()
            .filter(|(d, _)| *d >= scale.from && *d <= scale.to())
            .map(|(_, w)| f64::from(*w))
            .collect::<Vec<_>>();
        let mean = avg.iter().sum::<f64>() / avg.len().max(1) as f64;
        format!(
            "Wellbeing (1–5) · {} ratings here, mean {mean:.1}{}",
            avg.len(),
            last.map(|(d, w)| format!(", latest {w} on {d}"))
                .unwrap_or_default()
        )
    };
    line(buf, rows.next(), Line::styled(clip(&label, w), t.heading()));
    // The sparkline's rows, right of the labels: "5 high" by its top row,
    // "1 low" by its bottom one.
    let spark_rows: Vec<Rect> = rows.by_ref().take(usize::from(lay.spark_rows)).collect();
    let band = match (spark_rows.first(), spark_rows.last()) {
        (Some(top), Some(bottom)) => top.union(*bottom),
        _ => Rect::default(),
    };
    let (scale_labels, spark) = split_cols(band, label_w + 1);
    let scale_label = |text: &str, row: Option<Rect>, buf: &mut Buffer| {
        if let Some(row) = row {
            Line::styled(fit(text, usize::from(label_w)), t.dim())
                .render(split_cols(row, label_w).0, buf);
        }
    };
    scale_label("  5 high", scale_labels.rows().next(), buf);
    if spark.height > 1 {
        scale_label("  1 low", scale_labels.rows().next_back(), buf);
    }
    Sparkline::default()
        .data(bars)
        .max(5)
        .style(t.text())
        .render(spark, buf);

    // What the selected goal's row says, in words.
    if let Some(g) = data.goals.get(state.cursor.selected) {
        let touches = data.touches.get(&g.id).map_or(0, Vec::len);
        let end = match (g.ended_on(), g.target_date) {
            (Some(e), _) => format!("{} {e}", g.status.label()),
            (None, Some(tg)) if g.target_overdue(ctx.today) => {
                let late = (ctx.today - tg).num_days();
                format!(
                    "target {tg} passed {} ago",
                    crate::text::count(usize::try_from(late).unwrap_or(0), "day", "days")
                )
            }
            (None, Some(tg)) => format!("{} · target {tg}", g.status.label()),
            (None, None) => format!("{} · no target date", g.status.label()),
        };
        let text = format!(
            "{} from {} · {end} · {} · {}",
            g.id,
            g.start_date,
            crate::text::count(touches, "check-in", "check-ins"),
            crate::text::count(
                g.history.len().saturating_sub(1),
                "status change",
                "status changes"
            )
        );
        line(buf, rows.next(), Line::styled(clip(&text, w), t.dim()));
        // Its marks in words, newest first, as far as there is room.
        let mut events: Vec<(chrono::NaiveDate, String)> = g
            .history
            .iter()
            .skip(1)
            .map(|h| {
                let mark = match h.to {
                    crate::model::GoalStatus::Achieved => glyph::ACHIEVED,
                    crate::model::GoalStatus::Dropped => glyph::DROPPED,
                    _ => glyph::CHANGE,
                };
                let from = h
                    .from
                    .map(|f| format!("{} → ", f.label()))
                    .unwrap_or_default();
                (h.on, format!("{mark} {from}{}", h.to.label()))
            })
            .collect();
        if let Some(days) = data.touches.get(&g.id) {
            events.extend(
                days.iter()
                    .map(|d| (*d, format!("{} check-in", glyph::CHECKIN))),
            );
        }
        events.push((g.start_date, format!("{} started", glyph::START)));
        events.sort_by_key(|e| std::cmp::Reverse(e.0));
        for ((d, what), row) in events.iter().zip(rows) {
            line(
                buf,
                Some(row),
                Line::styled(clip(&format!("  {d} {what}"), w), t.dim()),
            );
        }
    }
}
