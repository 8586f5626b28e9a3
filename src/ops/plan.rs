//! Recovery-plan operations: goals in the peer's own words, their steps,
//! status and reviews. Shared by `caseload goal` and the plan view.

use chrono::NaiveDate;

use crate::model::{Actor, Entity, Goal, GoalStatus, Record, Step};
use crate::store::Store;

use super::OpsResult;

/// Adds a goal after checking its dates against `today` (a review date in
/// the past is refused; a target before the start is refused by the goal's
/// own validation).
pub fn add_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: Goal,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    goal.validate()?;
    goal.check_new_dates(today)?;
    store.peer(goal.peer)?;
    Ok(store.create_goal(goal, actor)?)
}

/// Saves an edited goal. A review date that was changed must not be in the
/// past; an unchanged old one is kept as it is.
pub fn save_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: &Record<Goal>,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let stored = store.goal(goal.id)?;
    if goal.next_review != stored.next_review {
        goal.check_new_dates(today)?;
    }
    Ok(store.update_goal(goal, actor)?)
}

/// Changes a goal's status on `on`, recording the change in its history.
pub fn set_status(
    store: &dyn Store,
    actor: &Actor,
    mut goal: Record<Goal>,
    status: GoalStatus,
    on: NaiveDate,
) -> OpsResult<Record<Goal>> {
    goal.data.set_status(status, on, actor.staff);
    Ok(store.update_goal(&goal, actor)?)
}

/// Records a review on `on` with an optional note and the next review date
/// (which must not be in the past).
pub fn review(
    store: &dyn Store,
    actor: &Actor,
    mut goal: Record<Goal>,
    on: NaiveDate,
    note: &str,
    next: Option<NaiveDate>,
) -> OpsResult<Record<Goal>> {
    goal.data.record_review(on, note, next, actor.staff);
    goal.check_new_dates(on)?;
    Ok(store.update_goal(&goal, actor)?)
}

/// Appends a step.
pub fn add_step(
    store: &dyn Store,
    actor: &Actor,
    mut goal: Record<Goal>,
    text: &str,
) -> OpsResult<Record<Goal>> {
    goal.steps.push(Step {
        text: text.trim().to_string(),
        done_on: None,
    });
    Ok(store.update_goal(&goal, actor)?)
}
