//! The recovery plan tab of the peer page: goals grouped by life domain,
//! each with its dates, steps (checked off with one key, dated today),
//! status history and last review. The selection is kept by identity (goal,
//! step), so it stays put when the plan reloads after a change.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::{Choice, Goal, GoalId, GoalStatus, LifeDomain, Record, StaffId};
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, private};
use crate::ui::widgets::list::{follow, visible_offset, Viewport};

/// One drawn line of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanLine {
    /// A life domain's heading.
    Domain(LifeDomain),
    /// A goal's title and status (selectable).
    Goal(GoalId),
    /// A goal's start, target and review dates.
    Dates(GoalId),
    /// One step (selectable).
    Step(GoalId, usize),
    /// A goal's status history.
    History(GoalId),
    /// A goal's latest review.
    Reviews(GoalId),
    /// Space between domains.
    Blank,
}

/// A selectable row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanRow {
    /// A goal.
    Goal(GoalId),
    /// Step `.1` of a goal.
    Step(GoalId, usize),
}

impl PlanRow {
    /// The goal the row belongs to.
    pub fn goal(self) -> GoalId {
        match self {
            PlanRow::Goal(g) | PlanRow::Step(g, _) => g,
        }
    }

    fn line(self) -> PlanLine {
        match self {
            PlanRow::Goal(g) => PlanLine::Goal(g),
            PlanRow::Step(g, i) => PlanLine::Step(g, i),
        }
    }
}

/// What the plan asks the app to do after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanEffect {
    /// Nothing more.
    None,
    /// Say something in the status line.
    Info(String),
    /// Open the goal form to add a goal.
    AddGoal,
    /// Open the goal form for this goal.
    EditGoal(GoalId),
    /// Open the step form to add a step to this goal.
    AddStep(GoalId),
    /// Open the step form for this step (expected text).
    EditStep(GoalId, usize, String),
    /// Check off or un-check this step.
    Toggle(GoalId, usize, String),
    /// Ask, then delete this step.
    Delete(GoalId, usize, String),
    /// Move this step up (`true`) or down.
    Move(GoalId, usize, String, bool),
    /// Change the goal's status.
    Status(GoalId, GoalStatus),
    /// Open the review form for this goal.
    Review(GoalId),
}

/// State of the plan tab.
#[derive(Debug, Clone, Default)]
pub struct PlanState {
    /// The selected row, once there is one.
    pub selected: Option<PlanRow>,
    /// First visible line.
    pub offset: usize,
    /// Lines the tab showed at the last draw.
    pub view: Viewport,
    /// A goal to select as soon as the plan has loaded (opened from Today).
    pub want_goal: Option<GoalId>,
}

/// The goals in plan order: by life domain, then active, paused, achieved,
/// dropped, then oldest first.
pub fn ordered(goals: &[Record<Goal>]) -> Vec<&Record<Goal>> {
    let mut v: Vec<&Record<Goal>> = goals.iter().collect();
    v.sort_by_key(|g| (g.domain, crate::ops::peer::status_rank(g.status), g.id));
    v
}

/// The plan's lines, in order.
pub fn layout(goals: &[Record<Goal>]) -> Vec<PlanLine> {
    let mut out = Vec::new();
    let mut domain: Option<LifeDomain> = None;
    for g in ordered(goals) {
        if domain != Some(g.domain) {
            if domain.is_some() {
                out.push(PlanLine::Blank);
            }
            out.push(PlanLine::Domain(g.domain));
            domain = Some(g.domain);
        }
        out.push(PlanLine::Goal(g.id));
        out.push(PlanLine::Dates(g.id));
        out.extend((0..g.steps.len()).map(|i| PlanLine::Step(g.id, i)));
        out.push(PlanLine::History(g.id));
        if !g.reviews.is_empty() {
            out.push(PlanLine::Reviews(g.id));
        }
    }
    out
}

/// The selectable rows, in order.
pub fn rows(goals: &[Record<Goal>]) -> Vec<PlanRow> {
    layout(goals)
        .into_iter()
        .filter_map(|l| match l {
            PlanLine::Goal(g) => Some(PlanRow::Goal(g)),
            PlanLine::Step(g, i) => Some(PlanRow::Step(g, i)),
            _ => None,
        })
        .collect()
}

fn find(goals: &[Record<Goal>], id: GoalId) -> Option<&Record<Goal>> {
    goals.iter().find(|g| g.id == id)
}

impl PlanState {
    /// The selection, made valid for `goals`: a row that disappeared (a
    /// step deleted) falls back to its goal's nearest step or the goal,
    /// else the first row.
    pub fn current(&self, goals: &[Record<Goal>]) -> Option<PlanRow> {
        let all = rows(goals);
        if let Some(want) = self.want_goal {
            if all.contains(&PlanRow::Goal(want)) {
                return Some(PlanRow::Goal(want));
            }
        }
        match self.selected {
            Some(r) if all.contains(&r) => Some(r),
            Some(PlanRow::Step(g, i)) if find(goals, g).is_some() => {
                let n = find(goals, g).map_or(0, |g| g.steps.len());
                Some(if n == 0 {
                    PlanRow::Goal(g)
                } else {
                    PlanRow::Step(g, i.min(n - 1))
                })
            }
            _ => all.first().copied(),
        }
    }

    /// Selects `row` (when the plan shows it next).
    pub fn select(&mut self, row: PlanRow) {
        self.selected = Some(row);
        self.want_goal = None;
    }

    /// Takes a reloaded plan: a wanted goal is selected once it is there.
    pub fn settle(&mut self, goals: &[Record<Goal>]) {
        if let Some(want) = self.want_goal {
            if goals.iter().any(|g| g.id == want) {
                self.selected = Some(PlanRow::Goal(want));
                self.want_goal = None;
            }
        }
        self.selected = self.current(goals);
        self.scroll(goals);
    }

    fn scroll(&mut self, goals: &[Record<Goal>]) {
        let height = self.view.rows();
        let lines = layout(goals);
        if let Some(sel) = self.selected {
            if let Some(i) = lines.iter().position(|l| *l == sel.line()) {
                // Keep the domain heading above a goal in view when there is room.
                let want = if i > 0 && i <= self.offset { i - 1 } else { i };
                self.offset = follow(want, self.offset, height);
                // Show the rest of the goal (dates, steps, history) too,
                // as far as that keeps the selection in view.
                let goal = sel.goal();
                let end = lines
                    .iter()
                    .rposition(
                        |l| matches!(l, PlanLine::History(g) | PlanLine::Reviews(g) if *g == goal),
                    )
                    .unwrap_or(i);
                self.offset = follow(end, self.offset, height).min(i);
                self.offset = follow(i, self.offset, height);
            }
        }
    }

    /// Handles an action, paging by the lines the last draw showed.
    pub fn handle(&mut self, action: Action, goals: &[Record<Goal>]) -> PlanEffect {
        let height = self.view.rows();
        let all = rows(goals);
        let cur = self.current(goals);
        self.want_goal = None;
        let pos = cur
            .and_then(|c| all.iter().position(|r| *r == c))
            .unwrap_or(0);
        let step_text = |g: GoalId, i: usize| {
            find(goals, g)
                .and_then(|g| g.steps.get(i))
                .map(|s| s.text.clone())
                .unwrap_or_default()
        };
        let moved = crate::ui::widgets::list::moved(action, pos, all.len(), height);
        if let Some(p) = moved {
            self.selected = all.get(p).copied();
            self.scroll(goals);
            return PlanEffect::None;
        }
        if action == Action::AddGoal {
            return PlanEffect::AddGoal;
        }
        let Some(cur) = cur else {
            return match action {
                Action::AddStep
                | Action::Edit
                | Action::Delete
                | Action::Toggle
                | Action::MoveUp
                | Action::MoveDown
                | Action::PauseGoal
                | Action::AchieveGoal
                | Action::DropGoal
                | Action::ReactivateGoal
                | Action::ReviewGoal => {
                    PlanEffect::Info("no goals yet: add the first one with the add-goal key".into())
                }
                _ => PlanEffect::None,
            };
        };
        let goal = cur.goal();
        match (action, cur) {
            (Action::Toggle, PlanRow::Step(g, i)) => PlanEffect::Toggle(g, i, step_text(g, i)),
            (Action::Toggle, PlanRow::Goal(_)) => {
                PlanEffect::Info("move down to a step to check it off".into())
            }
            (Action::AddStep, _) => PlanEffect::AddStep(goal),
            (Action::Edit, PlanRow::Goal(g)) => PlanEffect::EditGoal(g),
            (Action::Edit, PlanRow::Step(g, i)) => PlanEffect::EditStep(g, i, step_text(g, i)),
            (Action::Delete, PlanRow::Step(g, i)) => PlanEffect::Delete(g, i, step_text(g, i)),
            (Action::Delete, PlanRow::Goal(_)) => PlanEffect::Info(
                "goals are not deleted, so their history stays: drop it instead".into(),
            ),
            (Action::MoveUp | Action::MoveDown, PlanRow::Step(g, i)) => {
                let up = action == Action::MoveUp;
                let n = find(goals, g).map_or(0, |g| g.steps.len());
                if (up && i == 0) || (!up && i + 1 >= n) {
                    PlanEffect::Info(format!(
                        "the step is already the {}",
                        if up { "first" } else { "last" }
                    ))
                } else {
                    PlanEffect::Move(g, i, step_text(g, i), up)
                }
            }
            (Action::MoveUp | Action::MoveDown, PlanRow::Goal(_)) => {
                PlanEffect::Info("goals keep their order by life domain; steps can move".into())
            }
            (Action::PauseGoal, _) => PlanEffect::Status(goal, GoalStatus::Paused),
            (Action::AchieveGoal, _) => PlanEffect::Status(goal, GoalStatus::Achieved),
            (Action::DropGoal, _) => PlanEffect::Status(goal, GoalStatus::Dropped),
            (Action::ReactivateGoal, _) => PlanEffect::Status(goal, GoalStatus::Active),
            (Action::ReviewGoal, _) => PlanEffect::Review(goal),
            _ => PlanEffect::None,
        }
    }
}

/// How a goal's status reads: "active", "achieved 2026-11-01".
pub fn status_words(g: &Goal) -> String {
    match g.ended_on() {
        Some(on) => format!("{} {on}", g.status.label()),
        None => g.status.label().to_string(),
    }
}

fn history_words(g: &Goal, initials: &HashMap<StaffId, String>) -> String {
    let parts: Vec<String> = g
        .history
        .iter()
        .map(|h| {
            let by =
                h.by.and_then(|s| initials.get(&s))
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default();
            format!("{} {}{by}", h.to.label(), h.on)
        })
        .collect();
    format!("history: {}", parts.join(" → "))
}

fn dates_words(g: &Goal, today: NaiveDate) -> String {
    let mut parts = vec![format!("start {}", g.start_date)];
    match g.target_date {
        Some(t) if g.target_overdue(today) => parts.push(format!("target {t} ! passed")),
        Some(t) => parts.push(format!("target {t}")),
        None => parts.push("no target date".into()),
    }
    match g.next_review {
        Some(r) if g.review_due(today) => parts.push(format!("review due {r}")),
        Some(r) => parts.push(format!("review {r}")),
        None => parts.push("no review date".into()),
    }
    parts.join(" · ")
}

/// A life domain's label as a heading: "Physical health".
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Draws the plan into `area` (below the peer page's tabs).
pub fn render(
    state: &PlanState,
    goals: &[Record<Goal>],
    initials: &HashMap<StaffId, String>,
    ctx: &ViewCtx<'_>,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.height == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let due = goals.iter().filter(|g| g.review_due(ctx.today)).count();
    let counts: Vec<String> = [
        GoalStatus::Active,
        GoalStatus::Paused,
        GoalStatus::Achieved,
        GoalStatus::Dropped,
    ]
    .into_iter()
    .filter_map(|s| {
        let n = goals.iter().filter(|g| g.status == s).count();
        (n > 0).then(|| format!("{n} {}", s.label()))
    })
    .collect();
    let mut head = format!(
        "Recovery plan · {}",
        crate::text::count(goals.len(), "goal", "goals")
    );
    if !counts.is_empty() {
        head.push_str(&format!(": {}", counts.join(", ")));
    }
    if due > 0 {
        head.push_str(&format!(
            " · {} due",
            crate::text::count(due, "review", "reviews")
        ));
    }
    let (head_area, body) = crate::ui::widgets::layout::head_body(area);
    Line::styled(clip(&head, w), t.heading()).render(head_area, buf);
    if goals.is_empty() {
        let add = ctx
            .keymap
            .key_for(
                &[
                    crate::ui::keymap::Context::Plan,
                    crate::ui::keymap::Context::PeerPage,
                    crate::ui::keymap::Context::List,
                    crate::ui::keymap::Context::Global,
                ],
                false,
                Action::AddGoal,
            )
            .unwrap_or_else(|| "add-goal".into());
        Line::styled(
            clip(
                &format!("No goals yet. {add} adds the first one, in the peer's own words."),
                w,
            ),
            t.dim(),
        )
        .render(body, buf);
        return;
    }
    let lines = layout(goals);
    let sel = state.current(goals);
    let height = usize::from(body.height);
    state.view.record(height);
    let offset = match sel.and_then(|s| lines.iter().position(|l| *l == s.line())) {
        Some(i) => visible_offset(i, state.offset, height),
        None => state.offset.min(lines.len().saturating_sub(1)),
    };
    for (line, r) in lines.iter().skip(offset).zip(body.rows()) {
        let selected = |pr: PlanRow| sel == Some(pr);
        // Privacy mode's reveal shows the selected goal: title, steps, review.
        let shown = |id: GoalId| sel.is_some_and(|s| s.goal() == id);
        let drawn: Line<'static> = match *line {
            PlanLine::Blank => Line::raw(""),
            PlanLine::Domain(d) => Line::styled(clip(&capitalized(d.label()), w), t.heading()),
            PlanLine::Goal(id) => {
                let Some(g) = find(goals, id) else { continue };
                let (done, total) = g.progress();
                let mut right = status_words(g);
                if total > 0 {
                    right.push_str(&format!(
                        " · {done}/{total} {}",
                        crate::text::noun(total, "step", "steps")
                    ));
                }
                if g.review_due(ctx.today) {
                    right.push_str(" · review due");
                }
                let right_w = crate::text::width(&right).min(w / 2);
                let left = format!(
                    "  {:<4} {}",
                    g.id.to_string(),
                    private(ctx, &g.title, shown(id))
                );
                let left_w = w.saturating_sub(right_w + 1);
                let style = if selected(PlanRow::Goal(id)) {
                    t.selected()
                } else if matches!(g.status, GoalStatus::Active) {
                    t.text().add_modifier(ratatui::style::Modifier::BOLD)
                } else {
                    t.dim()
                };
                Line::from(vec![
                    Span::styled(fit(&left, left_w), style),
                    Span::styled(" ", style),
                    Span::styled(
                        fit(&right, right_w),
                        if selected(PlanRow::Goal(id)) {
                            style
                        } else if g.review_due(ctx.today) {
                            t.error()
                        } else {
                            t.dim()
                        },
                    ),
                ])
            }
            PlanLine::Dates(id) => {
                let Some(g) = find(goals, id) else { continue };
                let style = if g.target_overdue(ctx.today) || g.review_due(ctx.today) {
                    t.error()
                } else {
                    t.dim()
                };
                Line::styled(
                    clip(&format!("       {}", dates_words(g, ctx.today)), w),
                    style,
                )
            }
            PlanLine::Step(id, i) => {
                let Some(g) = find(goals, id) else { continue };
                let Some(s) = g.steps.get(i) else { continue };
                let (mark, right) = match s.done_on {
                    Some(d) => ("[x]", format!("done {d}")),
                    None => ("[ ]", String::new()),
                };
                let right_w = right.len();
                let left = format!("       {mark} {}", private(ctx, &s.text, shown(id)));
                let left_w = w.saturating_sub(right_w + 1);
                let style = if selected(PlanRow::Step(id, i)) {
                    t.selected()
                } else {
                    t.text()
                };
                Line::from(vec![
                    Span::styled(fit(&left, left_w), style),
                    Span::styled(" ", style),
                    Span::styled(
                        right,
                        if selected(PlanRow::Step(id, i)) {
                            style
                        } else {
                            t.dim()
                        },
                    ),
                ])
            }
            PlanLine::History(id) => {
                let Some(g) = find(goals, id) else { continue };
                Line::styled(
                    clip(&format!("       {}", history_words(g, initials)), w),
                    t.dim(),
                )
            }
            PlanLine::Reviews(id) => {
                let Some(g) = find(goals, id) else { continue };
                let Some(last) = g.reviews.last() else {
                    continue;
                };
                let note = if last.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", private(ctx, &last.note, shown(id)))
                };
                let n = g.reviews.len();
                Line::styled(
                    clip(
                        &format!(
                            "       reviewed {}{note}{}",
                            last.on,
                            if n > 1 {
                                format!(" ({n} reviews)")
                            } else {
                                String::new()
                            }
                        ),
                        w,
                    ),
                    t.dim(),
                )
            }
        };
        drawn.render(r, buf);
    }
}
