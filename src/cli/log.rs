//! `caseload log`: record a check-in.

use std::process::ExitCode;

use anyhow::Result;

use crate::model::dates::{parse_date_as, parse_datetime, DateKind, Direction};
use crate::model::validate::{parse_minutes, ValidationError};
use crate::model::{Actor, CheckIn};
use crate::ops::checkin::{log_checkin, units};
use crate::ops::lookup::{acting_staff, resolve_goal, resolve_peer};
use crate::ops::{local_now, os_login};
use crate::store::Store;
use crate::text::escape_line;

use super::args::LogArgs;

/// Runs `caseload log`.
pub fn run(store: &dyn Store, args: &LogArgs) -> Result<ExitCode> {
    let now = local_now();
    let peer = resolve_peer(store, &args.peer)?;
    let staff = acting_staff(store, args.staff.as_deref())?;
    let at = match &args.at {
        Some(t) => parse_datetime("--at", t, now)?,
        None => now,
    };
    let mut c = CheckIn::new(peer.id, staff.id, at);
    c.minutes = parse_minutes("--minutes", &args.minutes)?;
    c.mode = args.mode;
    for k in &args.support {
        c.add_support(*k);
    }
    for g in &args.goals {
        let goal = resolve_goal(store, &peer, g)?;
        if !c.goals.contains(&goal.id) {
            c.goals.push(goal.id);
        }
    }
    if let Some(w) = &args.wellbeing {
        let n: u8 = w.trim().parse().map_err(|_| {
            ValidationError::one(
                "--wellbeing",
                format!("'{}' is not a number from 1 to 5", escape_line(w)),
            )
        })?;
        c.wellbeing = Some(n);
    }
    c.note = args.note.clone();
    if let Some(f) = &args.follow_up {
        c.follow_up = Some(parse_date_as(
            "--follow-up",
            f,
            at.date_naive(),
            Direction::Future,
            DateKind::FollowUp,
        )?);
    }
    let found = crate::ops::checkin::needs_confirmation(store, &c, now)?;
    crate::ops::checkin::confirm(&found, args.force, "add --force")?;
    let actor = Actor::staff(staff.id, os_login());
    let saved = log_checkin(store, &actor, c)?;
    let units = units(store, &saved)?;
    println!(
        "saved check-in {} with {} ({}) on {}: {} min, {} {}{}",
        saved.id,
        escape_line(&peer.display_name),
        peer.id,
        saved.at.format("%Y-%m-%d %H:%M"),
        saved.minutes,
        units,
        if units == 1 { "unit" } else { "units" },
        match saved.follow_up {
            Some(f) => format!(", follow-up {f}"),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}
