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
        GroupCommand::Unattend { group, peer, date } => {
            let group = resolve_group(store, group)?;
            let date = match date {
                Some(d) => parse_date_as("--date", d, today, Direction::Past, DateKind::Day)?,
                None => today,
            };
            let peer = resolve_peer(store, peer)?;
            let session = crate::ops::groups::session_on(store, &group, date)?;
            let Some(session) = session.filter(|s| s.attendees.contains(&peer.id)) else {
                return Err(crate::model::ValidationError::one(
                    "attendees",
                    format!(
                        "{} ({}) is not checked off for {} on {date}; nothing was changed",
                        escape_line(&peer.display_name),
                        peer.id,
                        escape_line(&group.name)
                    ),
                )
                .into());
            };
            let actor = super::actor(store, None);
            let saved = crate::ops::groups::save_attendance(
                store,
                &actor,
                &group,
                date,
                &crate::ops::groups::AttendanceChange {
                    remove: vec![peer.id],
                    topic: session.topic.clone(),
                    note: session.note.clone(),
                    ..Default::default()
                },
            )?;
            println!(
                "{} on {}: {} attending ({})",
                escape_line(&group.name),
                saved.date,
                saved.attendees.len(),
                saved.id
            );
        }
        GroupCommand::Session {
            group,
            date,
            topic,
            note,
        } => {
            if topic.is_none() && note.is_none() {
                anyhow::bail!("nothing to change; give --topic or --note");
            }
            let group = resolve_group(store, group)?;
            let date = match date {
                Some(d) => parse_date_as("--date", d, today, Direction::Past, DateKind::Day)?,
                None => today,
            };
            let current = crate::ops::groups::session_on(store, &group, date)?;
            let (old_topic, old_note) = current
                .map(|s| (s.topic.clone(), s.note.clone()))
                .unwrap_or_default();
            // Checked before anything is written (the session is created
            // on demand by the save).
            let mut probe = crate::model::GroupSession::for_group(group.id, &group, date);
            probe.topic = topic.clone().unwrap_or(old_topic).trim().to_string();
            probe.note = note.clone().unwrap_or(old_note).trim().to_string();
            crate::model::Entity::validate(&probe)?;
            let actor = super::actor(store, None);
            let saved = crate::ops::groups::save_attendance(
                store,
                &actor,
                &group,
                date,
                &crate::ops::groups::AttendanceChange {
                    topic: probe.topic.clone(),
                    note: probe.note.clone(),
                    ..Default::default()
                },
            )?;
            println!(
                "saved session {} of {} on {}",
                saved.id,
                escape_line(&group.name),
                saved.date
            );
        }
        GroupCommand::Attend {
            group,
            peers,
            date,
            walk_in,
            new,
        } => {
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
            if let Some(name) = walk_in {
                let probe = crate::model::Peer::new(name.trim(), today);
                if !*new {
                    let dups = crate::ops::roster::possible_duplicates(store, &probe)?;
                    if let Some((p, _)) = dups.first() {
                        anyhow::bail!(
                            "walk-in: {} ({}) already exists: give {} instead, or add --new to add another",
                            escape_line(&p.display_name),
                            p.id,
                            p.id
                        );
                    }
                }
            }
            // A walk-in joins the roster in the same call that checks
            // everyone off, after every check, so a refused request leaves
            // no walk-in behind.
            let session = match walk_in {
                Some(name) => {
                    let current = crate::ops::groups::session_on(store, &group, date)?;
                    crate::ops::groups::save_attendance(
                        store,
                        &actor,
                        &group,
                        date,
                        &crate::ops::groups::AttendanceChange {
                            add: ids,
                            walk_ins: vec![name.clone()],
                            topic: current
                                .as_ref()
                                .map(|s| s.topic.clone())
                                .unwrap_or_default(),
                            note: current.map(|s| s.note.clone()).unwrap_or_default(),
                            ..Default::default()
                        },
                    )?
                }
                None => attend(store, &actor, &group, date, &ids)?,
            };
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
                        "{} {} {} {} {} {}{}",
                        col(&g.id.to_string(), 5),
                        col(&g.name, 28),
                        col(&format!("{:?}", g.weekday), 4),
                        g.time.format("%H:%M"),
                        col(&g.location, 14),
                        crate::text::count(sessions.len(), "session", "sessions"),
                        if g.active { "" } else { " (inactive)" }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
