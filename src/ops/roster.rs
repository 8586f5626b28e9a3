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
        .map(|(p, c)| (p, c.day))
        .collect())
}

/// Adds a walk-in to the roster with just a name (active, intake today).
pub fn add_walk_in(
    store: &dyn Store,
    actor: &Actor,
    name: &str,
    today: NaiveDate,
) -> OpsResult<Record<Peer>> {
    super::peer::add_peer(store, actor, walk_in_peer(name, today)?)
}

/// A walk-in as they join the roster: just a name (trimmed), active,
/// intake on `day`; refused, naming the field "walk-in name", when the
/// name is empty or breaks a peer's rules. Nothing is written: the
/// session screen checks a walk-in with this when one is typed and the
/// save creates them.
pub fn walk_in_peer(name: &str, day: NaiveDate) -> Result<Peer, crate::model::ValidationError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::model::ValidationError::one(
            "walk-in name",
            "give the walk-in's name (the one they want to be called)",
        ));
    }
    let peer = Peer::new(name, day);
    peer.validate()?;
    Ok(peer)
}

/// Why a peer on the roster may be the same person as one being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateReason {
    /// The same name once case and accents are folded (display or legal).
    SameName,
    /// The same phone number, digits compared.
    SamePhone,
}

/// Peers already on the roster who may be `peer` (offered at add time and
/// when a walk-in is added: "Aroha Wright (P17) already exists"): the same
/// name once case and accents are folded (`model::names::fold`), or the
/// same phone digits. By id.
pub fn possible_duplicates(
    store: &dyn Store,
    peer: &Peer,
) -> OpsResult<Vec<(Record<Peer>, DuplicateReason)>> {
    use crate::model::names::{fold, phone_digits};
    let name = fold(&peer.display_name);
    let legal = peer.legal_name.as_deref().map(fold);
    let phone = phone_digits(peer.phone.as_deref().unwrap_or(""));
    let mut out = Vec::new();
    for p in store.list_peers()? {
        let theirs = fold(&p.display_name);
        let their_legal = p.legal_name.as_deref().map(fold);
        let same_name = (!name.is_empty()
            && (theirs == name || their_legal.as_deref() == Some(&name)))
            || legal.as_deref().is_some_and(|l| {
                !l.is_empty() && (l == theirs || their_legal.as_deref() == Some(l))
            });
        let their_phone = phone_digits(p.phone.as_deref().unwrap_or(""));
        if same_name {
            out.push((p, DuplicateReason::SameName));
        } else if phone.len() >= 4 && their_phone == phone {
            out.push((p, DuplicateReason::SamePhone));
        }
    }
    Ok(out)
}
