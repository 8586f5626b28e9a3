//! The store work of the peer page's Consents tab: revoking a consent
//! (the peer may revoke at any time), through `ops::consent` like
//! `caseload consent revoke`.

use chrono::NaiveDate;

use crate::model::{Actor, Consent, ConsentId, PeerId, Record};
use crate::store::Store;

use super::Failure;

/// Work for the Consents tab.
#[derive(Debug, Clone)]
pub enum ConsentRequest {
    /// Revoke a consent from `date`, saying how.
    Revoke {
        /// Whose page asked (reloaded after).
        peer: PeerId,
        /// The consent.
        id: ConsentId,
        /// The day it stops being valid.
        date: NaiveDate,
        /// How it was revoked.
        note: String,
        /// Who records it.
        actor: Actor,
    },
}

/// Answers to [`ConsentRequest`].
#[derive(Debug, Clone)]
pub enum ConsentResponse {
    /// The consent as saved, revoked; or why not.
    Revoked(PeerId, Result<Record<Consent>, Failure>),
}

/// Does the work on the store thread.
pub fn handle(store: &dyn Store, request: ConsentRequest) -> ConsentResponse {
    match request {
        ConsentRequest::Revoke {
            peer,
            id,
            date,
            note,
            actor,
        } => ConsentResponse::Revoked(
            peer,
            crate::ops::consent::revoke(store, &actor, id, date, note).map_err(Failure::from),
        ),
    }
}
