//! `caseload group`: recurring groups and attendance.

use std::process::ExitCode;

use anyhow::Result;

use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::{Group, Record};
use crate::ops::groups::{add_group, attend, days_until};
use crate::ops::local_now;
use crate::ops::lookup::{resolve_group, resolve_peer, resolve_staff};
use crate::store::Store;
use crate::text::escape_line;

use super::args::GroupCommand;
use super::output::{col, print_json};

/// Runs `caseload group …`.
pub fn run(store: &dyn Store, cmd: &GroupCommand) -> Result<ExitCode> {
    let today = local_now().date_naive();
    match cmd {
        GroupCommand::Add {
            name,
            weekday,
            time,
            location,
            facilitator,
            minutes,
        } => {
            let mut g = Group::new(name.trim(), *weekday, *time);
            g.location = location.trim().to_string();
            g.minutes = *minutes;
            if let Some(f) = facilitator {
                g.facilitator = Some(resolve_staff(store, f)?.id);
            }
            let actor = super::actor(store, None);
            let saved = add_group(store, &actor, g)?;
            println!("{}", saved.id);
        }
        GroupCommand::Attend { group, peers, date } => {
            let group = resolve_group(store, group)?;
            let date = match date {
                Some(d) => parse_date_as("--date", d, today, Direction::Past, DateKind::Day)?,
                None => today,
            };
            let mut ids = Vec::with_capacity(peers.len());
            for p in peers {
                ids.push(resolve_peer(store, p)?.id);
            }
            let actor = super::actor(store, None);
            let session = attend(store, &actor, &group, date, &ids)?;
            println!(
                "{} on {}: {} attending ({})",
                escape_line(&group.name),
                session.date,
                session.attendees.len(),
                session.id
            );
        }
        GroupCommand::List { json } => {
            let mut groups = store.list_groups()?;
            // Today's groups first, then by weekday from today and time.
            groups.sort_by_key(|g: &Record<Group>| (days_until(g.weekday, today), g.time, g.id));
            if *json {
                print_json(&groups)?;
            } else {
                for g in groups {
                    let sessions = store.sessions_for_group(g.id)?;
                    println!(
                        "{} {} {} {} {} {} sessions{}",
                        col(&g.id.to_string(), 5),
                        col(&g.name, 28),
                        col(&format!("{:?}", g.weekday), 4),
                        g.time.format("%H:%M"),
                        col(&g.location, 14),
                        sessions.len(),
                        if g.active { "" } else { " (inactive)" }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
