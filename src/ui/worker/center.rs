//! Store work for running a center from the UI: the first-run set-up, the
//! Staff screen and the roster forms (add, edit, discharge, re-admit,
//! merge, possible duplicates). Every change goes through the operations
//! the CLI uses and the authorizing store the worker holds, so who may do
//! what (the permission `ManageStaff`, `MergePeers`) is decided there and
//! a refusal comes back with its reason.

use chrono::NaiveDate;

use crate::model::{Actor, Peer, PeerId, Record, Role, Staff, StaffId};
use crate::ops::auth::{self, StaffEdit};
use crate::ops::center::{self, pin_problem, SetUp};
use crate::ops::roster::{possible_duplicates, DuplicateReason};
use crate::store::Store;

use super::access::{Secret, WorkerState};
use super::{Failure, SignInCandidate, StaffRow};

/// One staff member as the Staff screen lists them (never their PIN hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffEntry {
    /// Id, name, initials, active.
    pub row: StaffRow,
    /// Their role.
    pub role: Role,
    /// Their operating-system login, if mapped.
    pub login: Option<String>,
    /// A PIN is set.
    pub has_pin: bool,
}

impl From<&Record<Staff>> for StaffEntry {
    fn from(s: &Record<Staff>) -> Self {
        StaffEntry {
            row: StaffRow::from(s),
            role: s.role,
            login: s.login.clone(),
            has_pin: s.pin_hash.is_some(),
        }
    }
}

/// A peer on the roster who may be the one being added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Their id.
    pub id: PeerId,
    /// Their name, raw.
    pub name: String,
    /// Their pronouns, raw ("use her?").
    pub pronouns: Option<String>,
    /// Why they may be the same person.
    pub reason: DuplicateReason,
}

/// Center work for the store thread.
#[derive(Debug, Clone)]
pub enum CenterRequest {
    /// Set up an empty store, then sign in as its first admin.
    SetUp {
        /// What was typed (its `Debug` hides the PIN).
        setup: SetUp,
        /// Who sets it up (the OS login).
        actor: Actor,
    },
    /// Every staff member, for the Staff screen.
    StaffList,
    /// Add a staff member.
    AddStaff {
        /// The new account.
        staff: Staff,
        /// Their PIN, if set now.
        pin: Option<Secret>,
        /// Who adds them.
        actor: Actor,
    },
    /// Change a staff member (name, initials, role, login, active).
    EditStaff {
        /// Who.
        id: StaffId,
        /// What changes.
        edit: StaffEdit,
        /// Who changes it.
        actor: Actor,
    },
    /// Set or reset a PIN.
    SetPin {
        /// Whose.
        id: StaffId,
        /// The new PIN.
        pin: Secret,
        /// Who sets it.
        actor: Actor,
    },
    /// Peers already on the roster who may be `peer` (asked before adding).
    Duplicates {
        /// The peer as typed.
        peer: Box<Peer>,
        /// What the answer is for.
        purpose: DuplicateCheck,
    },
    /// Add a peer.
    AddPeer {
        /// The peer as typed.
        peer: Box<Peer>,
        /// Who adds them.
        actor: Actor,
    },
    /// Save an edited peer.
    EditPeer {
        /// The record as edited.
        peer: Box<Record<Peer>>,
        /// Who edits it.
        actor: Actor,
    },
    /// Discharge a peer with a reason.
    Discharge {
        /// Who.
        id: PeerId,
        /// The day.
        on: NaiveDate,
        /// Why.
        reason: String,
        /// Who discharges.
        actor: Actor,
    },
    /// Re-admit a discharged peer.
    Readmit {
        /// Who.
        id: PeerId,
        /// The day.
        on: NaiveDate,
        /// Who re-admits.
        actor: Actor,
    },
    /// One peer's record, to edit (read through the authorizing store,
    /// so the view is on the trail).
    PeerToEdit(PeerId),
    /// Merge `from` into `into`.
    Merge {
        /// The duplicate record.
        from: PeerId,
        /// The record that stays.
        into: PeerId,
        /// Who merges.
        actor: Actor,
    },
}

/// What a duplicates check was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateCheck {
    /// The add-peer form is saving.
    AddPeer,
    /// A walk-in is being added in a group session.
    WalkIn,
}

/// What the center work found or did.
#[derive(Debug, Clone)]
pub enum CenterResponse {
    /// Answer to [`CenterRequest::SetUp`]: the admin, signed in.
    SetUp(Result<SignInCandidate, Failure>),
    /// Answer to [`CenterRequest::StaffList`].
    StaffList(Result<Vec<StaffEntry>, Failure>),
    /// Answer to the staff changes: the saved account, or why not.
    StaffSaved(Result<StaffEntry, Failure>),
    /// Answer to [`CenterRequest::Duplicates`].
    Duplicates(DuplicateCheck, Result<Vec<Duplicate>, Failure>),
    /// Answer to the peer changes: the saved record, or why not.
    PeerSaved(Result<Box<Record<Peer>>, Failure>),
    /// Answer to [`CenterRequest::PeerToEdit`].
    PeerToEdit(Result<Box<Record<Peer>>, Failure>),
    /// Answer to [`CenterRequest::Merge`]: the record that stays.
    Merged {
        /// The merged (now alias) id.
        from: PeerId,
        /// The record that stays, or why not.
        result: Result<Box<Record<Peer>>, Failure>,
    },
}

fn ops_err(e: crate::ops::OpsError) -> Failure {
    Failure::from(e)
}

fn auth_err(e: auth::AuthError) -> Failure {
    Failure::from(pin_problem("PIN", e))
}

/// Carries out one center request. Runs on the worker thread (and in tests).
pub fn handle(state: &WorkerState, store: &dyn Store, request: CenterRequest) -> CenterResponse {
    match request {
        CenterRequest::SetUp { setup, actor } => {
            let pin = setup.pin.clone();
            let result = center::set_up(store, &actor, &setup)
                .map_err(ops_err)
                .and_then(|rec| {
                    if let Some(pin) = pin {
                        // Bind this session to the new admin: from now on
                        // the store asks everyone to sign in.
                        super::access::sign_in(state, store, rec.id, &Secret::new(pin))
                            .map_err(|r| Failure::from(r.message))?;
                    }
                    Ok(SignInCandidate {
                        staff: StaffRow::from(&rec),
                        role: rec.role,
                        has_pin: rec.pin_hash.is_some(),
                    })
                });
            CenterResponse::SetUp(result)
        }
        CenterRequest::StaffList => CenterResponse::StaffList(
            store
                .list_staff()
                .map(|l| {
                    let mut v: Vec<StaffEntry> = l.iter().map(StaffEntry::from).collect();
                    v.sort_by_cached_key(|s| (!s.row.active, s.row.name.to_lowercase()));
                    v
                })
                .map_err(Failure::from),
        ),
        CenterRequest::AddStaff { staff, pin, actor } => CenterResponse::StaffSaved(
            center::add_staff(store, &actor, staff, pin.as_ref().map(Secret::expose))
                .map(|r| StaffEntry::from(&r))
                .map_err(ops_err),
        ),
        CenterRequest::EditStaff { id, edit, actor } => CenterResponse::StaffSaved(
            auth::edit_staff(store, &actor, id, &edit)
                .map(|r| StaffEntry::from(&r))
                .map_err(auth_err),
        ),
        CenterRequest::SetPin { id, pin, actor } => CenterResponse::StaffSaved(
            auth::set_pin(store, &actor, id, pin.expose())
                .map(|r| StaffEntry::from(&r))
                .map_err(auth_err),
        ),
        CenterRequest::Duplicates { peer, purpose } => CenterResponse::Duplicates(
            purpose,
            possible_duplicates(store, &peer)
                .map(|v| {
                    v.into_iter()
                        .map(|(p, reason)| Duplicate {
                            id: p.id,
                            name: p.data.display_name,
                            pronouns: p.data.pronouns,
                            reason,
                        })
                        .collect()
                })
                .map_err(ops_err),
        ),
        CenterRequest::AddPeer { peer, actor } => CenterResponse::PeerSaved(
            crate::ops::peer::add_peer(store, &actor, *peer)
                .map(Box::new)
                .map_err(ops_err),
        ),
        CenterRequest::EditPeer { peer, actor } => CenterResponse::PeerSaved(
            center::edit_peer(store, &actor, &peer)
                .map(Box::new)
                .map_err(ops_err),
        ),
        CenterRequest::Discharge {
            id,
            on,
            reason,
            actor,
        } => CenterResponse::PeerSaved(
            crate::ops::peer::discharge(store, &actor, id, on, &reason)
                .map(Box::new)
                .map_err(ops_err),
        ),
        CenterRequest::Readmit { id, on, actor } => CenterResponse::PeerSaved(
            crate::ops::peer::readmit(store, &actor, id, on)
                .map(Box::new)
                .map_err(ops_err),
        ),
        CenterRequest::PeerToEdit(id) => {
            CenterResponse::PeerToEdit(store.peer(id).map(Box::new).map_err(Failure::from))
        }
        CenterRequest::Merge { from, into, actor } => CenterResponse::Merged {
            from,
            result: crate::ops::peer::merge(store, &actor, from, into)
                .map(Box::new)
                .map_err(ops_err),
        },
    }
}
