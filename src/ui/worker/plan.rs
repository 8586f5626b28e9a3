//! Store work for the peer page's plan, timeline and wellness-plan tabs.
//! Each request names one change the user asked for; the handler runs the
//! matching `ops::plan` or `ops::wellness` operation and answers with the saved record and
//! a sentence for the status line.

use crate::ui::worker::Failure;
use chrono::NaiveDate;

use crate::model::{Actor, Choice, Goal, GoalId, GoalStatus, Peer, PeerId, Record};
use crate::ops::plan::{
    add_goal_checked, append_step, change_step, edit_goal, review_goal, set_goal_status, timeline,
    GoalEdit, StepChange, TimelineData,
};
use crate::ops::wellness::{change_wellness, EntryChange, WellnessSection};
use crate::store::Store;
use crate::text::escape_line;

/// Store work for the plan tabs.
#[derive(Debug, Clone)]
pub enum PlanRequest {
    /// Goals, check-in marks and wellbeing for the timeline.
    Timeline {
        /// Whose.
        peer: PeerId,
        /// The day the view is for.
        today: NaiveDate,
    },
    /// Add a goal.
    AddGoal {
        /// The goal as typed.
        goal: Goal,
        /// The day it is saved (review dates must not be before it).
        today: NaiveDate,
        /// Who saves it.
        actor: Actor,
    },
    /// Change a goal's domain, title and dates.
    EditGoal {
        /// Which goal.
        goal: GoalId,
        /// The new values.
        edit: GoalEdit,
        /// The day it is saved.
        today: NaiveDate,
        /// Who saves it.
        actor: Actor,
    },
    /// Append a step.
    AddStep {
        /// Which goal.
        goal: GoalId,
        /// The step's words.
        text: String,
        /// Who saves it.
        actor: Actor,
    },
    /// Check off, reword, delete or move one step.
    Step {
        /// Which goal.
        goal: GoalId,
        /// Which step.
        index: usize,
        /// The words the user saw there.
        expect: String,
        /// What to do.
        change: StepChange,
        /// Who saves it.
        actor: Actor,
    },
    /// Pause, achieve, drop or reactivate a goal.
    Status {
        /// Which goal.
        goal: GoalId,
        /// The new status.
        status: GoalStatus,
        /// The day of the change.
        on: NaiveDate,
        /// Who saves it.
        actor: Actor,
    },
    /// Record a review.
    Review {
        /// Which goal.
        goal: GoalId,
        /// The day of the review.
        on: NaiveDate,
        /// What was said, optional.
        note: String,
        /// The next review date.
        next: Option<NaiveDate>,
        /// Who saves it.
        actor: Actor,
    },
    /// Add, reword, delete or move a wellness-plan entry.
    Wellness {
        /// Whose plan.
        peer: PeerId,
        /// Which list.
        section: WellnessSection,
        /// What to do.
        change: EntryChange,
        /// Who saves it.
        actor: Actor,
    },
}

/// What the plan work found or did. Errors are user-facing sentences that
/// start with the field they are about, where there is one.
#[derive(Debug, Clone)]
pub enum PlanResponse {
    /// Answer to [`PlanRequest::Timeline`].
    Timeline(PeerId, Result<Box<TimelineData>, Failure>),
    /// A goal was saved (`Ok`: the record and a sentence saying what).
    Goal(Result<(Box<Record<Goal>>, String), Failure>),
    /// A peer's wellness plan was saved.
    Peer(PeerId, Result<(Box<Record<Peer>>, String), Failure>),
}

fn title(g: &Record<Goal>) -> String {
    format!(
        "{} \"{}\"",
        g.id,
        escape_line(&crate::text::truncate(&g.title, 40))
    )
}

/// Carries out one plan request. Runs on the worker thread (and in tests).
pub fn handle(store: &dyn Store, request: PlanRequest) -> PlanResponse {
    let err = Failure::from;
    match request {
        PlanRequest::Timeline { peer, today } => PlanResponse::Timeline(
            peer,
            timeline(store, peer, today).map(Box::new).map_err(err),
        ),
        PlanRequest::AddGoal { goal, today, actor } => PlanResponse::Goal(
            add_goal_checked(store, &actor, goal, today)
                .map(|g| {
                    let s = format!("Added goal {}", title(&g));
                    (Box::new(g), s)
                })
                .map_err(err),
        ),
        PlanRequest::EditGoal {
            goal,
            edit,
            today,
            actor,
        } => PlanResponse::Goal(
            edit_goal(store, &actor, goal, edit, today)
                .map(|g| {
                    let s = format!("Saved goal {}", title(&g));
                    (Box::new(g), s)
                })
                .map_err(err),
        ),
        PlanRequest::AddStep { goal, text, actor } => PlanResponse::Goal(
            append_step(store, &actor, goal, &text)
                .map(|g| {
                    let s = format!("Added step {} to {}", g.steps.len(), title(&g));
                    (Box::new(g), s)
                })
                .map_err(err),
        ),
        PlanRequest::Step {
            goal,
            index,
            expect,
            change,
            actor,
        } => {
            let what = change.clone();
            PlanResponse::Goal(
                change_step(store, &actor, goal, index, &expect, change)
                    .map(|g| {
                        let n = index + 1;
                        let s = match what {
                            StepChange::Toggle(on) => {
                                match g.steps.get(index).and_then(|s| s.done_on) {
                                    Some(_) => {
                                        format!("Checked off step {n} of {} on {on}", title(&g))
                                    }
                                    None => format!("Step {n} of {} is open again", title(&g)),
                                }
                            }
                            StepChange::Edit(_) => format!("Saved step {n} of {}", title(&g)),
                            StepChange::Delete => format!("Deleted step {n} of {}", title(&g)),
                            StepChange::MoveUp => format!("Moved step {n} of {} up", title(&g)),
                            StepChange::MoveDown => {
                                format!("Moved step {n} of {} down", title(&g))
                            }
                        };
                        (Box::new(g), s)
                    })
                    .map_err(err),
            )
        }
        PlanRequest::Status {
            goal,
            status,
            on,
            actor,
        } => PlanResponse::Goal(
            set_goal_status(store, &actor, goal, status, on)
                .map(|g| {
                    let s = format!("Goal {} is {} as of {on}", title(&g), status.label());
                    (Box::new(g), s)
                })
                .map_err(err),
        ),
        PlanRequest::Review {
            goal,
            on,
            note,
            next,
            actor,
        } => PlanResponse::Goal(
            review_goal(store, &actor, goal, on, &note, next)
                .map(|g| {
                    let next = match g.next_review {
                        Some(d) => format!("next review {d}"),
                        None => "no next review set".into(),
                    };
                    let s = format!("Reviewed goal {} on {on}; {next}", title(&g));
                    (Box::new(g), s)
                })
                .map_err(err),
        ),
        PlanRequest::Wellness {
            peer,
            section,
            change,
            actor,
        } => {
            let verb = match &change {
                EntryChange::Add(_) => "Added an entry to",
                EntryChange::Edit { .. } => "Saved an entry of",
                EntryChange::Delete { .. } => "Deleted an entry of",
                EntryChange::Move { .. } => "Moved an entry of",
            };
            PlanResponse::Peer(
                peer,
                change_wellness(store, &actor, peer, section, change)
                    .map(|p| {
                        let s = format!("{verb} \"{}\" in the wellness plan", section.title());
                        (Box::new(p), s)
                    })
                    .map_err(err),
            )
        }
    }
}
