//! `caseload goal`: recovery-plan goals.

use std::process::ExitCode;

use anyhow::Result;

use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::{Choice, Goal, GoalId};
use crate::ops::local_now;
use crate::ops::lookup::resolve_peer;
use crate::ops::plan::{add_goal, new_steps, save_goal};
use crate::store::Store;
use crate::text::escape_line;

use super::args::GoalCommand;
use super::output::{goal_line, print_json};

/// Runs `caseload goal …`.
pub fn run(store: &dyn Store, cmd: &GoalCommand) -> Result<ExitCode> {
    let today = local_now().date_naive();
    let date =
        |field: &str, kind: DateKind, text: &Option<String>| -> Result<Option<chrono::NaiveDate>> {
            Ok(match text {
                Some(t) => Some(parse_date_as(field, t, today, Direction::Future, kind)?),
                None => None,
            })
        };
    match cmd {
        GoalCommand::Step(step) => return super::goal_steps::run(store, step),
        GoalCommand::Review { goal, note, next } => {
            let id: GoalId = goal.parse().map_err(|e| anyhow::anyhow!("goal: {e}"))?;
            let next = date("--next", DateKind::Review, next)?;
            let actor = super::actor(store, None);
            let saved = crate::ops::plan::review_goal(store, &actor, id, today, note, next)?;
            println!(
                "reviewed {}{}",
                saved.id,
                match saved.next_review {
                    Some(n) => format!("; next review {n}"),
                    None => String::new(),
                }
            );
        }
        GoalCommand::Add {
            peer,
            title,
            domain,
            start,
            target,
            review,
            steps,
        } => {
            let peer = resolve_peer(store, peer)?;
            let start = match start {
                Some(s) => {
                    parse_date_as("--start", s, today, Direction::Past, DateKind::GoalStart)?
                }
                None => today,
            };
            let mut goal = Goal::new(peer.id, *domain, title.trim(), start);
            goal.target_date = date("--target", DateKind::Target, target)?;
            goal.next_review = date("--review", DateKind::Review, review)?;
            goal.steps = new_steps(steps)?;
            let actor = super::actor(store, None);
            let saved = add_goal(store, &actor, goal, today)?;
            println!("{}", saved.id);
        }
        GoalCommand::List { peer, json } => {
            let peer = resolve_peer(store, peer)?;
            let goals = store.goals_for_peer(peer.id)?;
            if *json {
                print_json(&goals)?;
            } else {
                println!(
                    "Recovery plan of {} ({})",
                    escape_line(&peer.display_name),
                    peer.id
                );
                if goals.is_empty() {
                    println!("  no goals yet");
                }
                for g in &goals {
                    println!("  {}", goal_line(g));
                }
            }
        }
        GoalCommand::Set {
            goal,
            status,
            target,
            review,
            title,
        } => {
            let id: GoalId = goal.parse()?;
            let mut rec = store.goal(id)?;
            let actor = super::actor(store, None);
            if let Some(s) = status {
                rec.data.set_status(*s, today, actor.staff);
            }
            if target.is_some() {
                rec.target_date = date("--target", DateKind::Target, target)?;
            }
            if review.is_some() {
                rec.next_review = date("--review", DateKind::Review, review)?;
            }
            if let Some(t) = title {
                rec.title = t.trim().to_string();
            }
            let saved = save_goal(store, &actor, &rec, today)?;
            println!(
                "saved {} ({}, revision {})",
                saved.id,
                saved.status.label(),
                saved.meta.revision
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
