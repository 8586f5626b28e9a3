//! Store work for the Resources screen, the referral picker, the peer
//! page's Referrals tab and the take-home card, through `ops::referral`
//! (what `caseload resource|refer|referral|card` call), so the UI and the
//! command line cannot disagree and every read goes through the
//! authorizing layer.

use chrono::NaiveDate;

use crate::model::{
    Actor, PeerId, Record, Referral, ReferralId, ReferralStatus, Resource, StaffId,
};
use crate::ops::referral::{self, NewReferral};
use crate::store::Store;
use crate::ui::worker::Failure;

/// Work for the referral features.
#[derive(Debug, Clone)]
pub enum ReferralRequest {
    /// The whole directory.
    Resources,
    /// Add (no id) or save a directory entry.
    SaveResource {
        /// The entry: new data, or a stored record with its revision.
        resource: Box<ResourceEdit>,
        /// Who saves it.
        actor: Actor,
    },
    /// Refer a peer to a resource right away.
    Refer {
        /// The referral to make.
        new: NewReferral,
        /// Who makes it.
        actor: Actor,
    },
    /// A peer's referrals with their resources' names (the Referrals tab).
    ForPeer(PeerId),
    /// Record a referral's new status.
    SetStatus {
        /// Which.
        id: ReferralId,
        /// Its new status.
        status: ReferralStatus,
        /// The day.
        date: NaiveDate,
        /// What happened.
        note: String,
        /// Who records it.
        by: Option<StaffId>,
        /// The session's actor.
        actor: Actor,
    },
    /// The take-home card's text.
    Card {
        /// Whose.
        peer: PeerId,
        /// As of which day.
        today: NaiveDate,
    },
    /// Write a card to a file (private, atomic).
    SaveCard {
        /// Where.
        path: std::path::PathBuf,
        /// The text.
        text: String,
    },
}

/// A directory entry to add or save.
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceEdit {
    /// A new entry.
    New(Resource),
    /// Changes to a stored entry.
    Changed(Record<Resource>),
}

/// One referral as the Referrals tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRow {
    /// The referral.
    pub referral: Record<Referral>,
    /// Its resource's name (its id if it is gone).
    pub resource: String,
}

/// What the store thread found or did for a [`ReferralRequest`].
#[derive(Debug, Clone)]
pub enum ReferralResponse {
    /// The directory.
    Resources(Result<Vec<Record<Resource>>, String>),
    /// A directory entry saved (or why not, field by field).
    SavedResource(Result<Record<Resource>, Failure>),
    /// A referral made.
    Referred(Result<Record<Referral>, Failure>),
    /// A peer's referrals, newest first.
    ForPeer(PeerId, Result<Vec<ReferralRow>, String>),
    /// A referral's status recorded.
    StatusSet(Result<Record<Referral>, Failure>),
    /// A card's text.
    Card(PeerId, Result<String, String>),
    /// A card written to this file.
    CardSaved(Result<std::path::PathBuf, String>),
}

/// Carries out one request.
pub fn handle(store: &dyn Store, request: ReferralRequest) -> ReferralResponse {
    match request {
        ReferralRequest::Resources => {
            ReferralResponse::Resources(store.list_resources().map_err(|e| e.to_string()))
        }
        ReferralRequest::SaveResource { resource, actor } => {
            let saved = match *resource {
                ResourceEdit::New(r) => referral::add_resource(store, r, &actor),
                ResourceEdit::Changed(r) => store.update_resource(&r, &actor).map_err(Into::into),
            };
            ReferralResponse::SavedResource(saved.map_err(Failure::from))
        }
        ReferralRequest::Refer { new, actor } => {
            ReferralResponse::Referred(referral::refer(store, new, &actor).map_err(Failure::from))
        }
        ReferralRequest::ForPeer(peer) => ReferralResponse::ForPeer(peer, for_peer(store, peer)),
        ReferralRequest::SetStatus {
            id,
            status,
            date,
            note,
            by,
            actor,
        } => ReferralResponse::StatusSet(
            referral::set_status(store, id, status, date, &note, by, &actor).map_err(Failure::from),
        ),
        ReferralRequest::Card { peer, today } => ReferralResponse::Card(
            peer,
            referral::card(store, peer, today).map_err(|e| e.to_string()),
        ),
        ReferralRequest::SaveCard { path, text } => ReferralResponse::CardSaved(
            referral::save_card(&path, &text).map_err(|e| e.to_string()),
        ),
    }
}

fn for_peer(store: &dyn Store, peer: PeerId) -> Result<Vec<ReferralRow>, String> {
    let mut list = store.referrals_for_peer(peer).map_err(|e| e.to_string())?;
    list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    let resources = if list.is_empty() {
        Vec::new()
    } else {
        store.list_resources().map_err(|e| e.to_string())?
    };
    Ok(list
        .into_iter()
        .map(|r| {
            let resource = resources
                .iter()
                .find(|x| x.id == r.resource)
                .map_or_else(|| r.resource.to_string(), |x| x.name.clone());
            ReferralRow {
                referral: r,
                resource,
            }
        })
        .collect())
}
