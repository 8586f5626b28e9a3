//! The roster: who is on it and when each was last in contact. Shared by
//! `caseload peer list` and the UI's roster and groups screens.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::model::dates::CONTACT_AHEAD;
use crate::model::{Actor, Entity, Peer, PeerId, Record};
use crate::store::Store;

use super::OpsResult;

/// Each peer's last contact as of `now`: the day of their newest check-in
/// up to [`CONTACT_AHEAD`] after now, the furthest ahead a check-in can be
/// dated, so one logged later today (or early, across midnight) counts.
/// The CLI once looked a day ahead and the UI two; this is the one rule.
pub fn last_contacts(
    store: &dyn Store,
    now: DateTime<FixedOffset>,
) -> OpsResult<HashMap<PeerId, NaiveDate>> {
    let before = now.with_timezone(&Utc) + CONTACT_AHEAD;
    Ok(store
        .last_checkins_before(before)?
        .into_iter()
        .map(|(p, c)| (p, c.day()))
        .collect())
}

/// Adds a walk-in to the roster with just a name (active, intake today).
pub fn add_walk_in(
    store: &dyn Store,
    actor: &Actor,
    name: &str,
    today: NaiveDate,
) -> OpsResult<Record<Peer>> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::model::ValidationError::one(
            "walk-in name",
            "give the walk-in's name (the one they want to be called)",
        )
        .into());
    }
    let peer = Peer::new(name, today);
    peer.validate()?;
    super::peer::add_peer(store, actor, peer)
}
