//! Logging a check-in: the most frequent thing staff do.

use chrono::Utc;

use crate::model::dates::{plausible, plausible_contact, DateKind};
use crate::model::{CheckIn, Entity, Record};
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
    }
    Ok(store.create_checkin(checkin, actor)?)
}

/// Units of service a check-in counts for, under the store's settings.
pub fn units(store: &dyn Store, checkin: &CheckIn) -> OpsResult<u32> {
    Ok(store.settings()?.units_for(checkin.minutes))
}
