//! `caseload goal step …`: the steps of a goal, by number (1 is the
//! first), through the same `ops::plan` functions the plan tab calls.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use clap::Subcommand;

use crate::model::{GoalId, Record};
use crate::ops::local_now;
use crate::ops::plan::{append_step, change_step, StepChange};
use crate::store::Store;
use crate::text::escape_line;

/// `caseload goal step …`.
#[derive(Debug, Subcommand)]
pub enum StepCommand {
    /// Add a step at the end.
    Add {
        /// The goal's id (G4).
        goal: String,
        /// The step, in the peer's words.
        text: String,
    },
    /// Check a step off (today).
    Done {
        /// The goal's id (G4).
        goal: String,
        /// The step's number (1 is the first).
        step: usize,
    },
    /// Un-check a step.
    Undone {
        /// The goal's id (G4).
        goal: String,
        /// The step's number.
        step: usize,
    },
    /// Reword a step.
    Edit {
        /// The goal's id (G4).
        goal: String,
        /// The step's number.
        step: usize,
        /// The new wording.
        text: String,
    },
    /// Move a step up or down one place.
    Move {
        /// The goal's id (G4).
        goal: String,
        /// The step's number.
        step: usize,
        /// Which way.
        #[arg(value_parser = ["up", "down"])]
        direction: String,
    },
    /// Remove a step.
    Remove {
        /// The goal's id (G4).
        goal: String,
        /// The step's number.
        step: usize,
    },
}

fn goal_id(text: &str) -> Result<GoalId> {
    text.parse::<GoalId>().map_err(|e| anyhow!("goal: {e}"))
}

/// The 0-based index of step `n` of the goal and its current text, or an
/// error naming the step and how many there are.
fn step_at(goal: &Record<crate::model::Goal>, n: usize) -> Result<(usize, String)> {
    match n
        .checked_sub(1)
        .and_then(|i| goal.steps.get(i).map(|s| (i, s)))
    {
        Some((i, s)) => Ok((i, s.text.clone())),
        None => Err(anyhow!(
            "step: {} has no step {n} (it has {}; the first is 1)",
            goal.id,
            super::checkin::plural(goal.steps.len(), "step", "steps")
        )),
    }
}

/// Runs `caseload goal step …`.
pub fn run(store: &dyn Store, cmd: &StepCommand) -> Result<ExitCode> {
    let today = local_now().date_naive();
    let actor = super::actor(store, None);
    let (saved, what) = match cmd {
        StepCommand::Add { goal, text } => {
            let g = append_step(store, &actor, goal_id(goal)?, text)?;
            (g, "added a step to")
        }
        StepCommand::Done { goal, step } | StepCommand::Undone { goal, step } => {
            let want_done = matches!(cmd, StepCommand::Done { .. });
            let g = store.goal(goal_id(goal)?)?;
            let (i, text) = step_at(&g, *step)?;
            let done = g.steps[i].done_on.is_some();
            if done == want_done {
                println!(
                    "step {step} of {} is already {}",
                    g.id,
                    if done { "done" } else { "not done" }
                );
                return Ok(ExitCode::SUCCESS);
            }
            let g = change_step(store, &actor, g.id, i, &text, StepChange::Toggle(today))?;
            (
                g,
                if want_done {
                    "checked off a step of"
                } else {
                    "un-checked a step of"
                },
            )
        }
        StepCommand::Edit { goal, step, text } => {
            let g = store.goal(goal_id(goal)?)?;
            let (i, old) = step_at(&g, *step)?;
            let g = change_step(store, &actor, g.id, i, &old, StepChange::Edit(text.clone()))?;
            (g, "reworded a step of")
        }
        StepCommand::Move {
            goal,
            step,
            direction,
        } => {
            let g = store.goal(goal_id(goal)?)?;
            let (i, old) = step_at(&g, *step)?;
            let change = if direction == "up" {
                StepChange::MoveUp
            } else {
                StepChange::MoveDown
            };
            let g = change_step(store, &actor, g.id, i, &old, change)?;
            (g, "moved a step of")
        }
        StepCommand::Remove { goal, step } => {
            let g = store.goal(goal_id(goal)?)?;
            let (i, old) = step_at(&g, *step)?;
            let g = change_step(store, &actor, g.id, i, &old, StepChange::Delete)?;
            (g, "removed a step of")
        }
    };
    println!(
        "{what} {} \"{}\" ({})",
        saved.id,
        escape_line(&saved.title),
        super::checkin::plural(saved.steps.len(), "step", "steps")
    );
    Ok(ExitCode::SUCCESS)
}
