//! Recovery-plan operations: goals in the peer's own words, their steps,
//! status, reviews and the timeline of a plan. Shared by `caseload goal`
//! and the UI's plan and timeline tabs: the rules live here once.
//!
//! Changes the UI makes load the record fresh by id and apply one change,
//! so two staff working on the same peer at once do not overwrite each
//! other's unrelated changes. Changes addressed by position (a step) also
//! name the text they expect there, and are refused if someone changed it
//! meanwhile.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, TimeZone};

use crate::model::dates::{plausible, CenterTime, DateKind, CENTER};
use crate::model::validate::FieldError;
use crate::model::{
    Actor, Choice, Entity, Goal, GoalId, GoalStatus, LifeDomain, PeerId, Record, Step,
    ValidationError,
};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// The refusal of a change to something someone else changed meanwhile.
pub(crate) fn stale(what: &str) -> OpsError {
    OpsError::Refused(format!(
        "{what} was changed by someone else meanwhile; nothing was saved — look again and repeat your change"
    ))
}

/// The one rule for a step's words: trimmed, and not empty (field "step").
pub fn step_text(text: &str) -> Result<String, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationError::one("step", "must not be empty"));
    }
    Ok(text.to_string())
}

/// New steps from their words, in order, by the one step rule.
pub fn new_steps(texts: &[String]) -> Result<Vec<Step>, ValidationError> {
    texts
        .iter()
        .map(|t| {
            step_text(t).map(|text| Step {
                text,
                done_on: None,
            })
        })
        .collect()
}

/// Every date of `goal` that is new (all of them when `stored` is `None`)
/// checked against its plausible window, seen from `today`, with the
/// goal's own field names.
fn date_window_problems(goal: &Goal, stored: Option<&Goal>, today: NaiveDate) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let mut check =
        |field: &str, kind: DateKind, new: Option<NaiveDate>, old: Option<NaiveDate>| {
            if let Some(d) = new.filter(|d| stored.is_none() || Some(*d) != old) {
                if let Err(e) = plausible(field, &d.to_string(), kind, d, today) {
                    problems.extend(ValidationError::from(e).problems);
                }
            }
        };
    check(
        "start date",
        DateKind::GoalStart,
        Some(goal.start_date),
        stored.map(|s| s.start_date),
    );
    check(
        "target date",
        DateKind::Target,
        goal.target_date,
        stored.and_then(|s| s.target_date),
    );
    check(
        "review date",
        DateKind::Review,
        goal.next_review,
        stored.and_then(|s| s.next_review),
    );
    problems
}

/// The goal's own validation, its new dates' windows and, when the review
/// date is new, the check that it is not in the past: every problem at
/// once (a target before the start and a review date in the past together).
fn every_date_problem(goal: &Goal, stored: Option<&Goal>, today: NaiveDate) -> OpsResult<()> {
    let mut problems = Vec::new();
    if let Err(v) = goal.validate() {
        problems.extend(v.problems);
    }
    problems.extend(date_window_problems(goal, stored, today));
    let review_is_new = stored.is_none_or(|s| s.next_review != goal.next_review);
    if review_is_new {
        if let Err(v) = goal.check_new_dates(today) {
            problems.extend(v.problems);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { problems }.into())
    }
}

/// Adds a goal after checking it as a whole against `today`: its own
/// validation, the plausible windows of its dates, a review date not in
/// the past; every problem reported at once. Steps are held to the step
/// rule. The CLI's `goal add` and the UI's goal form both come here.
pub fn add_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: Goal,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let mut goal = goal;
    goal.title = goal.title.trim().to_string();
    for s in &goal.steps {
        step_text(&s.text)?;
    }
    every_date_problem(&goal, None, today)?;
    store.peer(goal.peer)?;
    Ok(store.create_goal(goal, actor)?)
}

/// Adds a goal typed into the UI: the same as [`add_goal`] (kept under its
/// old name for the UI worker).
pub fn add_goal_checked(
    store: &dyn Store,
    actor: &Actor,
    goal: Goal,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    add_goal(store, actor, goal, today)
}

/// Saves an edited goal. A date that was changed must lie in its window,
/// and a changed review date must not be in the past; unchanged old dates
/// are kept as they are.
pub fn save_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: &Record<Goal>,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let stored = store.goal(goal.id)?;
    every_date_problem(goal, Some(&stored), today)?;
    Ok(store.update_goal(goal, actor)?)
}

/// What the goal form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalEdit {
    /// Life domain.
    pub domain: LifeDomain,
    /// Title in the peer's words.
    pub title: String,
    /// When work on it began.
    pub start: NaiveDate,
    /// Hoped-for date, optional.
    pub target: Option<NaiveDate>,
    /// Next review, optional.
    pub review: Option<NaiveDate>,
}

/// Saves an edited goal's domain, title and dates by the rules of
/// [`save_goal`].
pub fn edit_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    edit: GoalEdit,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let mut g = store.goal(goal)?;
    g.domain = edit.domain;
    g.title = edit.title.trim().to_string();
    g.start_date = edit.start;
    g.target_date = edit.target;
    g.next_review = edit.review;
    save_goal(store, actor, &g, today)
}

/// Changes a goal's status on `on`, recording the change in its history.
/// Setting the status it already has is refused (nothing to record).
pub fn set_status(
    store: &dyn Store,
    actor: &Actor,
    mut goal: Record<Goal>,
    status: GoalStatus,
    on: NaiveDate,
) -> OpsResult<Record<Goal>> {
    if goal.status == status {
        return Err(OpsError::Refused(format!(
            "goal {} is already {}",
            goal.id,
            status.label()
        )));
    }
    goal.data.set_status(status, on, actor.staff);
    Ok(store.update_goal(&goal, actor)?)
}

/// Changes goal `goal`'s status on `on` by the rule of [`set_status`].
pub fn set_goal_status(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    status: GoalStatus,
    on: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let g = store.goal(goal)?;
    set_status(store, actor, g, status, on)
}

/// Records a review on `on` with an optional note and the next review date
/// (which must not be in the past, nor implausibly far ahead).
pub fn review(
    store: &dyn Store,
    actor: &Actor,
    mut goal: Record<Goal>,
    on: NaiveDate,
    note: &str,
    next: Option<NaiveDate>,
) -> OpsResult<Record<Goal>> {
    if let Some(n) = next {
        plausible("review date", &n.to_string(), DateKind::Review, n, on)
            .map_err(ValidationError::from)?;
    }
    goal.data.record_review(on, note.trim(), next, actor.staff);
    goal.check_new_dates(on)?;
    Ok(store.update_goal(&goal, actor)?)
}

/// Records a review of goal `goal` by the rules of [`review`].
pub fn review_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    on: NaiveDate,
    note: &str,
    next: Option<NaiveDate>,
) -> OpsResult<Record<Goal>> {
    let g = store.goal(goal)?;
    review(store, actor, g, on, note, next)
}

/// A change to one step of a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepChange {
    /// Check it off on this day, or un-check it if it was done.
    Toggle(NaiveDate),
    /// New wording.
    Edit(String),
    /// Remove it.
    Delete,
    /// Swap with the step above.
    MoveUp,
    /// Swap with the step below.
    MoveDown,
}

/// Checks that step `index` of `goal` still reads `expect`.
fn check_step(goal: &Record<Goal>, index: usize, expect: &str) -> OpsResult<()> {
    match goal.steps.get(index) {
        Some(s) if s.text == expect => Ok(()),
        _ => Err(stale(&format!("step {} of goal {}", index + 1, goal.id))),
    }
}

/// Applies `change` to step `index` of goal `goal` (which must still read
/// `expect`) and saves. Returns the saved goal.
pub fn change_step(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    index: usize,
    expect: &str,
    change: StepChange,
) -> OpsResult<Record<Goal>> {
    let mut g = store.goal(goal)?;
    check_step(&g, index, expect)?;
    match change {
        StepChange::Toggle(on) => {
            g.data.toggle_step(index, on);
        }
        StepChange::Edit(text) => {
            let text = step_text(&text)?;
            if let Some(s) = g.steps.get_mut(index) {
                s.text = text;
            }
        }
        StepChange::Delete => {
            g.steps.remove(index);
        }
        StepChange::MoveUp => {
            if index == 0 {
                return Err(OpsError::Refused("the step is already the first".into()));
            }
            g.steps.swap(index - 1, index);
        }
        StepChange::MoveDown => {
            if index + 1 >= g.steps.len() {
                return Err(OpsError::Refused("the step is already the last".into()));
            }
            g.steps.swap(index, index + 1);
        }
    }
    g.validate()?;
    Ok(store.update_goal(&g, actor)?)
}

/// Appends a step to goal `goal` by the one step rule (an empty step is
/// refused).
pub fn append_step(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    text: &str,
) -> OpsResult<Record<Goal>> {
    let text = step_text(text)?;
    let mut g = store.goal(goal)?;
    g.steps.push(Step {
        text,
        done_on: None,
    });
    g.validate()?;
    Ok(store.update_goal(&g, actor)?)
}

/// What the goal timeline draws for one peer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelineData {
    /// The peer's goals, oldest start first.
    pub goals: Vec<Record<Goal>>,
    /// Days on which check-ins touched each goal.
    pub touches: BTreeMap<GoalId, Vec<NaiveDate>>,
    /// Wellbeing ratings from check-ins, oldest first.
    pub wellbeing: Vec<(NaiveDate, u8)>,
    /// Assessment totals (day, instrument id, total), oldest first, drawn
    /// on the same time axis.
    pub capital: Vec<(NaiveDate, String, u32)>,
}

/// How far back the wellbeing ratings reach when the plan is younger.
pub const WELLBEING_DAYS: i64 = 365;

/// Loads a peer's goals, the days check-ins touched each, and the wellbeing
/// ratings since the earliest goal started (at least a year back), in the
/// center's zone.
pub fn timeline(store: &dyn Store, peer: PeerId, today: NaiveDate) -> OpsResult<TimelineData> {
    timeline_in(&CENTER, store, peer, today)
}

/// [`timeline`] in a given zone: the ratings are those between the local
/// midnight that starts the earliest day and the one that ends the day a
/// check-in may at most be ahead of today (no margin needed: the bounds
/// come from the zone's own rules).
pub fn timeline_in<Z: TimeZone>(
    zone: &CenterTime<Z>,
    store: &dyn Store,
    peer: PeerId,
    today: NaiveDate,
) -> OpsResult<TimelineData> {
    let mut goals = store.goals_for_peer(peer)?;
    goals.sort_by_key(|g| (g.start_date, g.id));
    let mut touches = BTreeMap::new();
    for g in &goals {
        let days: Vec<NaiveDate> = store
            .checkins_for_goal(g.id)?
            .iter()
            .map(|c| c.day())
            .collect();
        touches.insert(g.id, days);
    }
    let earliest = goals
        .iter()
        .map(|g| g.start_date)
        .min()
        .unwrap_or(today)
        .min(today - Duration::days(WELLBEING_DAYS));
    let last = DateKind::Contact.latest(today);
    let from = zone.start_of_day(earliest);
    let (_, to) = zone.day_bounds(last);
    let wellbeing = store
        .checkins_for_peer_between(peer, from, to)?
        .iter()
        .filter_map(|c| c.wellbeing.map(|w| (c.day(), w)))
        .collect();
    let capital = store
        .assessments_for_peer(peer)?
        .iter()
        .map(|a| (a.day(), a.instrument.clone(), a.total))
        .collect();
    Ok(TimelineData {
        goals,
        touches,
        wellbeing,
        capital,
    })
}
