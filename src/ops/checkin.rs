//! Logging a check-in: the most frequent thing staff do.

use crate::model::{CheckIn, Entity, Record};
use crate::store::Store;
use crate::text::escape_line;

use super::{OpsError, OpsResult};
use crate::model::Actor;

/// Saves a check-in after checking what only the store can tell: the peer
/// and staff exist and every goal touched is one of this peer's goals.
/// Returns the saved record once it is on disk.
pub fn log_checkin(
    store: &dyn Store,
    actor: &Actor,
    checkin: CheckIn,
) -> OpsResult<Record<CheckIn>> {
    checkin.validate()?;
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
