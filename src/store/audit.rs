//! The audit trail: an append-only record of who opened, created, changed
//! and deleted what, who signed in (or failed to), locked the screen or
//! exported.
//!
//! Records here are about mental health and substance use, so every access
//! must be accountable (HIPAA's audit controls; 42 CFR Part 2). Entries live
//! in their own sled tree, keyed by time and a sequence number so that they
//! sort by time and never collide. An entry about a change is written in the
//! same transaction as the change: there is no change without its entry and
//! no entry for a change that did not happen. The [`Store`](super::Store)
//! API can append entries and read them, never change or delete them.

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Tree;

use crate::model::{Actor, CheckIn, Goal, Group, GroupSession, Peer, PeerId, Staff, StaffId};

use super::codec::time_key;
use super::error::{StoreError, StoreResult};
use super::keys::T;
use super::ChangeKind;

/// What happened, in domain terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEvent {
    /// A record was created (revision 1).
    Created {
        /// Kind of record.
        kind: ChangeKind,
        /// Its id as printed ("P12").
        id: String,
        /// Its revision after the change.
        revision: u64,
    },
    /// A record was changed from one revision to the next.
    Updated {
        /// Kind of record.
        kind: ChangeKind,
        /// Its id as printed.
        id: String,
        /// The revision it had.
        from_revision: u64,
        /// The revision it has now.
        to_revision: u64,
    },
    /// A record was deleted.
    Deleted {
        /// Kind of record.
        kind: ChangeKind,
        /// Its id as printed.
        id: String,
        /// The last revision it had.
        revision: u64,
    },
    /// The organization settings were saved.
    SettingsChanged,
    /// An export was loaded into an empty store.
    Imported {
        /// Records loaded, all kinds together.
        records: u64,
    },
    /// Someone opened a peer's record (the full profile and notes).
    Viewed {
        /// The peer.
        peer: PeerId,
    },
    /// A staff member signed in with their PIN.
    SignedIn {
        /// Who signed in.
        staff: StaffId,
    },
    /// A sign-in was refused (wrong PIN, too many tries, inactive account).
    SignInFailed {
        /// Who it was tried for, if the name was recognized.
        staff: Option<StaffId>,
        /// Why it was refused.
        reason: String,
    },
    /// A session was locked (idle or on request) and must sign in again.
    Locked,
    /// A session signed out.
    SignedOut,
    /// Everything was exported (exports contain every note).
    Exported {
        /// Where it went ("standard output", a file name).
        to: String,
    },
    /// A read returned several peers' records (the roster, a day's
    /// check-ins, attendance), recorded by the layer that served it.
    Read {
        /// The operation ("list_peers", "checkins_on").
        what: String,
        /// The peers whose records it returned, each once.
        peers: Vec<PeerId>,
    },
    /// An operation was refused for the session's role (or because it had
    /// not signed in).
    Refused {
        /// The operation ("checkins_page").
        operation: String,
        /// Why, as the session was told.
        reason: String,
        /// The peer it was about, if one.
        peer: Option<PeerId>,
    },
    /// Work was credited to a staff member other than the one signed in
    /// (a permission of supervisors and admins): a check-in, a referral or
    /// one of its changes of status, a goal's change of status or review.
    Credited {
        /// The record credited, as printed: a check-in ("C12"), a
        /// referral ("RF5") or a goal ("G3"). Named `checkin` from when
        /// only check-ins were credited; the name is kept so stored
        /// entries and exports read the same.
        checkin: String,
        /// Its peer.
        peer: PeerId,
        /// The staff member credited.
        staff: StaffId,
    },
    /// Several sign-ins refused for one staff member from one login within
    /// a minute, written as one entry so that an attack cannot flood the
    /// trail (the first refusal of the minute is a [`Self::SignInFailed`]).
    /// Added last so that stored entries keep their encoding.
    SignInFailures {
        /// Who they were tried for.
        staff: Option<StaffId>,
        /// How many were refused.
        count: u32,
        /// Why, with a count per reason ("wrong PIN ×3, too many wrong PINs ×40").
        reason: String,
    },
    /// A peer's information was given to a named recipient under their
    /// consent (an export or report `--for`), written by the store with
    /// the disclosure record itself. Added last so that stored entries
    /// keep their encoding.
    Disclosed {
        /// The disclosure record, as printed ("D4").
        disclosure: String,
        /// Whose information.
        peer: PeerId,
        /// Who received it.
        recipient: String,
        /// The consent relied on, as printed ("CN2").
        consent: String,
        /// What kinds of information it included.
        included: Vec<crate::model::ShareKind>,
        /// What it was and where it went.
        what: String,
    },
    /// A session became the self sign-in kiosk.
    KioskStarted {
        /// The terminal, as named when it was started ("front desk").
        station: String,
    },
    /// A kiosk session was left, with the PIN of this staff member (none
    /// on a store without PINs).
    KioskLeft {
        /// Whose PIN.
        staff: Option<StaffId>,
    },
    /// A peer's personal kiosk code was set or cleared (the code itself
    /// is not on the trail).
    KioskCodeSet {
        /// Whose.
        peer: PeerId,
        /// True when it was cleared.
        cleared: bool,
    },
    /// Two records of one person were merged: every record of `from`
    /// moved to `into`, `from` was removed and answers as `into` from then
    /// on. Its own kind, so the trail can be searched for merges (the
    /// removal and each move are on it too). Added last so that stored
    /// entries keep their encoding.
    Merged {
        /// The peer merged away (now an alias).
        from: PeerId,
        /// The peer kept.
        into: PeerId,
    },
    /// Several records of one kind were created by one request, in one
    /// transaction (`create_checkins`: demo data, a bulk load), with the
    /// consecutive ids `first` to `last`: one entry naming them all and
    /// every peer they concern, instead of one entry per record (which at
    /// a million demo check-ins was a million entries and a fifth of the
    /// write time). Added last so that stored entries keep their encoding.
    CreatedBatch {
        /// Kind of record.
        kind: ChangeKind,
        /// The first id, as printed ("C1001").
        first: String,
        /// The last id, as printed ("C2000").
        last: String,
        /// How many records (every id from `first` to `last`).
        count: u64,
    },
}

impl AuditEvent {
    /// The peers an event that is not a change names, for the entry's
    /// `peers` (so "who touched P12?" finds views, reads and refusals).
    pub fn peers_named(&self) -> Vec<PeerId> {
        match self {
            AuditEvent::Viewed { peer } => vec![*peer],
            AuditEvent::Read { peers, .. } => peers.clone(),
            AuditEvent::Refused { peer, .. } => peer.iter().copied().collect(),
            AuditEvent::Credited { peer, .. } => vec![*peer],
            _ => Vec::new(),
        }
    }

    /// True for the events a client may report about its own session
    /// (opening a record, locking, signing out, exporting). Sign-ins and
    /// changes are recorded only by the store and server themselves, so a
    /// client cannot forge them.
    pub fn reportable_by_client(&self) -> bool {
        matches!(
            self,
            AuditEvent::Viewed { .. }
                | AuditEvent::Locked
                | AuditEvent::SignedOut
                | AuditEvent::Exported { .. }
        )
    }

    /// How many refused sign-ins the entry stands for (0 for other
    /// events), since repeated ones are coalesced into one entry.
    pub fn failed_sign_ins(&self) -> u32 {
        match self {
            AuditEvent::SignInFailed { .. } => 1,
            AuditEvent::SignInFailures { count, .. } => *count,
            _ => 0,
        }
    }

    /// The staff member the event is about, besides the actor.
    fn subject_staff(&self) -> Option<StaffId> {
        match self {
            AuditEvent::SignedIn { staff } => Some(*staff),
            AuditEvent::SignInFailed { staff, .. } | AuditEvent::SignInFailures { staff, .. } => {
                *staff
            }
            AuditEvent::Credited { staff, .. } => Some(*staff),
            AuditEvent::Created { kind, id, .. }
            | AuditEvent::Updated { kind, id, .. }
            | AuditEvent::Deleted { kind, id, .. }
                if *kind == ChangeKind::Staff =>
            {
                id.parse().ok()
            }
            _ => None,
        }
    }
}

impl fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditEvent::Created { kind, id, revision } => {
                write!(f, "created {kind} {id} (revision {revision})")
            }
            AuditEvent::Updated {
                kind,
                id,
                from_revision,
                to_revision,
            } => write!(
                f,
                "changed {kind} {id} (revision {from_revision} to {to_revision})"
            ),
            AuditEvent::Deleted { kind, id, revision } => {
                write!(f, "deleted {kind} {id} (was revision {revision})")
            }
            AuditEvent::SettingsChanged => f.write_str("changed the settings"),
            AuditEvent::Imported { records } => write!(f, "imported {records} records"),
            AuditEvent::Viewed { peer } => write!(f, "opened peer {peer}"),
            AuditEvent::SignedIn { staff } => write!(f, "signed in as {staff}"),
            AuditEvent::SignInFailed { staff, reason } => match staff {
                Some(s) => write!(f, "sign-in as {s} refused: {reason}"),
                None => write!(f, "sign-in refused: {reason}"),
            },
            AuditEvent::SignInFailures {
                staff,
                count,
                reason,
            } => match staff {
                Some(s) => write!(f, "sign-in as {s} refused {count} times: {reason}"),
                None => write!(f, "sign-in refused {count} times: {reason}"),
            },
            AuditEvent::KioskStarted { station } => {
                write!(f, "started the sign-in kiosk at {station}")
            }
            AuditEvent::KioskLeft { staff: Some(s) } => {
                write!(f, "left the sign-in kiosk with the PIN of {s}")
            }
            AuditEvent::KioskLeft { staff: None } => f.write_str("left the sign-in kiosk"),
            AuditEvent::KioskCodeSet { peer, cleared } => {
                if *cleared {
                    write!(f, "cleared the kiosk code of {peer}")
                } else {
                    write!(f, "set the kiosk code of {peer}")
                }
            }
            AuditEvent::Locked => f.write_str("locked the session"),
            AuditEvent::SignedOut => f.write_str("signed out"),
            AuditEvent::Exported { to } => write!(f, "exported everything to {to}"),
            AuditEvent::Read { what, peers } => {
                write!(f, "read {what} ({} peers)", peers.len())
            }
            AuditEvent::Refused {
                operation, reason, ..
            } => {
                write!(f, "refused {operation}: {reason}")
            }
            AuditEvent::Credited { checkin, staff, .. } => {
                write!(f, "credited {checkin} to {staff}")
            }
            AuditEvent::Disclosed {
                disclosure,
                peer,
                recipient,
                consent,
                included,
                what,
            } => {
                let kinds: Vec<&str> = included
                    .iter()
                    .map(|k| crate::model::Choice::key(*k))
                    .collect();
                write!(
                    f,
                    "disclosed {peer}'s {} to {recipient} under consent {consent} ({what}; {disclosure})",
                    kinds.join(", ")
                )
            }
            AuditEvent::Merged { from, into } => write!(f, "merged peer {from} into {into}"),
            AuditEvent::CreatedBatch {
                kind,
                first,
                last,
                count,
            } => write!(f, "created {count} × {kind}, {first} to {last}"),
        }
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When it happened (the store's clock).
    pub at: DateTime<Utc>,
    /// A number unique in this store, increasing over time; with `at` it
    /// orders entries made in the same millisecond.
    pub seq: u64,
    /// Who did it: staff member if known, and always the OS login.
    pub actor: Actor,
    /// The peers whose records it concerns (for "who touched P12?").
    pub peers: Vec<PeerId>,
    /// What happened.
    pub event: AuditEvent,
}

impl AuditEntry {
    /// True if the entry passes `filter` (all but the limit).
    pub fn matches(&self, filter: &AuditFilter) -> bool {
        if let Some(p) = filter.peer {
            if !self.peers.contains(&p) {
                return false;
            }
        }
        if let Some(s) = filter.staff {
            if self.actor.staff != Some(s) && self.event.subject_staff() != Some(s) {
                return false;
            }
        }
        if let Some(since) = filter.since {
            if self.at < since {
                return false;
            }
        }
        true
    }
}

/// Which entries to read; everything unset means "all", newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Only entries about this peer.
    pub peer: Option<PeerId>,
    /// Only entries by (or about) this staff member.
    pub staff: Option<StaffId>,
    /// Only entries at or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// At most this many entries (newest first).
    pub limit: Option<usize>,
}

/// A record kind as it appears in change notices and the audit trail, and
/// the peers a record concerns.
pub(crate) trait Audited {
    /// The kind of record.
    const KIND: ChangeKind;
    /// Peers the record with id `id` is about.
    fn peers_of(&self, id: u64) -> Vec<PeerId>;
}

impl Audited for crate::model::Certification {
    const KIND: ChangeKind = ChangeKind::Certification;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}
impl Audited for crate::model::CeuEntry {
    const KIND: ChangeKind = ChangeKind::Ceu;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}
impl Audited for crate::model::Supervision {
    const KIND: ChangeKind = ChangeKind::Supervision;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}
impl Audited for Staff {
    const KIND: ChangeKind = ChangeKind::Staff;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}
impl Audited for Peer {
    const KIND: ChangeKind = ChangeKind::Peer;
    fn peers_of(&self, id: u64) -> Vec<PeerId> {
        vec![PeerId::new(id)]
    }
}
impl Audited for Goal {
    const KIND: ChangeKind = ChangeKind::Goal;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Audited for CheckIn {
    const KIND: ChangeKind = ChangeKind::CheckIn;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Audited for Group {
    const KIND: ChangeKind = ChangeKind::Group;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}
impl Audited for crate::model::Consent {
    const KIND: ChangeKind = ChangeKind::Consent;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Audited for crate::model::Disclosure {
    const KIND: ChangeKind = ChangeKind::Disclosure;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Audited for GroupSession {
    const KIND: ChangeKind = ChangeKind::Session;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        self.attendees.clone()
    }
}

impl Audited for crate::model::Assessment {
    const KIND: ChangeKind = ChangeKind::Assessment;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}

/// Key of an entry: time (8 bytes), sequence (8), index within one write
/// (4), so that entries sort by time and a bulk write's entries stay apart.
fn entry_key(at: &DateTime<Utc>, seq: u64, index: u32) -> [u8; 20] {
    let mut k = [0u8; 20];
    k[..8].copy_from_slice(&time_key(at));
    k[8..16].copy_from_slice(&seq.to_be_bytes());
    k[16..].copy_from_slice(&index.to_be_bytes());
    k
}

/// Appends an entry inside a write transaction over every tree.
pub(crate) fn append(
    tx: &[TransactionalTree],
    entry: &AuditEntry,
    index: u32,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    let bytes = super::audit_codec::encode_entry(entry).map_err(|detail| {
        ConflictableTransactionError::Abort(StoreError::Corrupt {
            path: Default::default(),
            detail,
        })
    })?;
    tx[T::Audit as usize].insert(&entry_key(&entry.at, entry.seq, index)[..], bytes)?;
    Ok(())
}

/// Reads entries newest first, filtered.
pub(crate) fn query(
    tree: &Tree,
    filter: &AuditFilter,
    path: &Path,
) -> StoreResult<Vec<AuditEntry>> {
    let limit = filter.limit.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    let start = filter
        .since
        .map(|s| time_key(&s).to_vec())
        .unwrap_or_default();
    for item in tree.range(start..).rev() {
        let (_, v) = item.map_err(|e| super::sled_store::map_sled(e, path))?;
        let entry = super::audit_codec::decode_entry(&v).map_err(|detail| StoreError::Corrupt {
            path: path.to_path_buf(),
            detail,
        })?;
        if entry.matches(filter) {
            out.push(entry);
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(
        at: DateTime<Utc>,
        staff: Option<u64>,
        peers: Vec<u64>,
        event: AuditEvent,
    ) -> AuditEntry {
        AuditEntry {
            at,
            seq: 1,
            actor: Actor {
                staff: staff.map(StaffId::new),
                login: "ana".into(),
            },
            peers: peers.into_iter().map(PeerId::new).collect(),
            event,
        }
    }

    #[test]
    fn keys_sort_by_time_then_sequence_then_index() {
        let t1 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let t2 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 1).unwrap();
        assert!(entry_key(&t1, 9, 0) < entry_key(&t2, 1, 0));
        assert!(entry_key(&t1, 1, 5) < entry_key(&t1, 2, 0));
        assert!(entry_key(&t1, 1, 0) < entry_key(&t1, 1, 1));
    }

    #[test]
    fn filter_by_peer_staff_and_time() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let viewed = entry(
            t,
            Some(2),
            vec![7],
            AuditEvent::Viewed {
                peer: PeerId::new(7),
            },
        );
        let f = |peer: Option<u64>, staff: Option<u64>| AuditFilter {
            peer: peer.map(PeerId::new),
            staff: staff.map(StaffId::new),
            ..AuditFilter::default()
        };
        assert!(viewed.matches(&f(Some(7), None)));
        assert!(!viewed.matches(&f(Some(8), None)));
        assert!(viewed.matches(&f(None, Some(2))));
        assert!(!viewed.matches(&f(None, Some(3))));
        let later = AuditFilter {
            since: Some(t + chrono::Duration::seconds(1)),
            ..AuditFilter::default()
        };
        assert!(!viewed.matches(&later));
        let failed = entry(
            t,
            None,
            vec![],
            AuditEvent::SignInFailed {
                staff: Some(StaffId::new(3)),
                reason: "wrong PIN".into(),
            },
        );
        assert!(
            failed.matches(&f(None, Some(3))),
            "failed sign-ins show under the staff tried"
        );
    }

    #[test]
    fn only_session_events_are_reportable_by_clients() {
        assert!(AuditEvent::Locked.reportable_by_client());
        assert!(AuditEvent::Viewed {
            peer: PeerId::new(1)
        }
        .reportable_by_client());
        assert!(!AuditEvent::SignedIn {
            staff: StaffId::new(1)
        }
        .reportable_by_client());
        assert!(!AuditEvent::SettingsChanged.reportable_by_client());
    }
}
