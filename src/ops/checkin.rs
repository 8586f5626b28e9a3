//! Logging a check-in: the most frequent thing staff do.

use chrono::Utc;

use crate::model::dates::{plausible, plausible_contact, DateKind};
use crate::model::{CheckIn, Choice, Entity, Goal, GoalStatus, PeerId, Record, ValidationError};
use crate::store::Store;
use crate::text::escape_line;

use super::{OpsError, OpsResult};
use crate::model::Actor;

/// Saves a check-in after checking what only the store can tell: the peer
/// and staff exist and every goal touched is one of this peer's goals; and
/// that its time and follow-up lie in their plausible windows
/// (`model::dates`).
/// Returns the saved record once it is on disk.
pub fn log_checkin(
    store: &dyn Store,
    actor: &Actor,
    checkin: CheckIn,
) -> OpsResult<Record<CheckIn>> {
    checkin.validate()?;
    // The same windows the CLI and the UI form apply, for every other way in.
    let given = checkin.at.format("%Y-%m-%d %H:%M").to_string();
    plausible_contact("at", &given, checkin.at, Utc::now().fixed_offset())?;
    if let Some(f) = checkin.follow_up {
        plausible(
            "follow-up",
            &f.to_string(),
            DateKind::FollowUp,
            f,
            checkin.day(),
        )?;
    }
    let peer = store.peer(checkin.peer)?;
    store.staff(checkin.staff)?;
    for g in &checkin.goals {
        let goal = store.goal(*g)?;
        if goal.peer != peer.id {
            return Err(OpsError::Refused(format!(
                "goal {g} belongs to peer {}, not to {} ({})",
                goal.peer,
                escape_line(&peer.display_name),
                peer.id
            )));
        }
        if !may_touch(&goal) {
            return Err(ValidationError::one(
                "goals",
                format!(
                    "goal {g} \"{}\" is {}; a check-in can touch active goals only (set it active again first)",
                    escape_line(&goal.title),
                    goal.status.label()
                ),
            )
            .into());
        }
    }
    Ok(store.create_checkin(checkin, actor)?)
}

/// The rule of which goals a check-in may touch: the peer's active goals
/// (a paused, achieved or dropped goal is not being worked on).
pub fn may_touch(goal: &Goal) -> bool {
    goal.status == GoalStatus::Active
}

/// The goals of `peer` that a check-in may touch ([`may_touch`]), in the
/// store's order: what the check-in form offers and `log --goal` accepts.
pub fn goals_to_touch(store: &dyn Store, peer: PeerId) -> OpsResult<Vec<Record<Goal>>> {
    Ok(store
        .goals_for_peer(peer)?
        .into_iter()
        .filter(|g| may_touch(g))
        .collect())
}

/// Units of service a check-in counts for, under the store's settings.
pub fn units(store: &dyn Store, checkin: &CheckIn) -> OpsResult<u32> {
    Ok(store.settings()?.units_for(checkin.minutes))
}
