//! Persistence: the only module that knows sled.
//!
//! Everything else talks to the [`Store`] trait in domain terms, so a
//! server process can stand behind the same API and several staff can
//! share one store. The API is declared once, in [`api`]: the trait, the
//! wire protocol, the client, the server's dispatch and the authorizing
//! layer are generated from that one list. [`SledStore`] is the embedded implementation: one
//! sled `Db` per process, records and their indexes written in one
//! transaction, and every acknowledged write flushed to disk.

pub mod api;
mod audit;
mod audit_codec;
mod codec;
mod error;
mod files;
mod import;
/// Checks a snapshot's ids and references without writing (for `verify`).
pub use import::check_snapshot;
mod keys;
mod peer_facts;
mod schema;
mod sled_referral;
mod sled_store;
pub mod today;
mod today_cache;

use std::collections::HashMap;
use std::sync::mpsc::Receiver;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{CheckIn, Goal, Group, GroupSession, Peer, Record, Settings, Staff, StaffId};
use api::define_trait;
#[allow(unused_imports)] // the types the declaration names
use api::prelude::*;

pub use api::{Operation, PeerSummary, MAX_BATCH, MAX_PAGE};
pub use audit::{AuditEntry, AuditEvent, AuditFilter};
pub use error::{DenialKind, StoreError, StoreResult};
pub use files::ModeRepair;
pub use schema::{Upgrade, SCHEMA_VERSION};
pub use sled_store::{OpenOptions, SledStore};

/// Everything a store holds, for export and import.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// Organization settings.
    pub settings: Settings,
    /// Staff accounts.
    pub staff: Vec<Record<Staff>>,
    /// Peers.
    pub peers: Vec<Record<Peer>>,
    /// Goals.
    pub goals: Vec<Record<Goal>>,
    /// Groups.
    pub groups: Vec<Record<Group>>,
    /// Group sessions.
    pub sessions: Vec<Record<GroupSession>>,
    /// Check-ins.
    pub checkins: Vec<Record<CheckIn>>,
    /// The community resource directory (older exports have none).
    #[serde(default)]
    pub resources: Vec<Record<crate::model::Resource>>,
    /// Referrals (older exports have none).
    #[serde(default)]
    pub referrals: Vec<Record<crate::model::Referral>>,
    /// Consents to share (absent from exports made before they existed).
    #[serde(default)]
    pub consents: Vec<Record<crate::model::Consent>>,
    /// Disclosures made under consents.
    #[serde(default)]
    pub disclosures: Vec<Record<crate::model::Disclosure>>,
    /// Staff certifications (older exports have none).
    #[serde(default)]
    pub certifications: Vec<Record<crate::model::Certification>>,
    /// Continuing-education entries.
    #[serde(default)]
    pub ceu_entries: Vec<Record<crate::model::CeuEntry>>,
    /// Supervision sessions (with the notes the exporter may read).
    #[serde(default)]
    pub supervisions: Vec<Record<crate::model::Supervision>>,
    /// Assessments (BARC-10 and other instruments); absent from older
    /// exports.
    #[serde(default)]
    pub assessments: Vec<Record<crate::model::Assessment>>,
    /// Drop-in visits (absent from exports made before the front desk).
    #[serde(default)]
    pub visits: Vec<Record<crate::model::Visit>>,
    /// Pending intakes left at the kiosk.
    #[serde(default)]
    pub intakes: Vec<Record<crate::model::Intake>>,
    /// Personal kiosk codes, by peer.
    #[serde(default)]
    pub kiosk_codes: Vec<(crate::model::PeerId, String)>,
    /// The earlier versions of corrected or voided check-ins, by check-in
    /// and revision (what `checkin_history` answers).
    #[serde(default)]
    pub checkin_history: Vec<Record<CheckIn>>,
    /// Merged peer ids and the peer each answers as.
    #[serde(default)]
    pub peer_aliases: Vec<PeerAlias>,
}

/// A peer id that was merged into another and answers as it from then on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeerAlias {
    /// The id that was merged away.
    pub merged: crate::model::PeerId,
    /// The peer it answers as.
    pub into: crate::model::PeerId,
}

/// Counts of records, cheap to ask for (kept by the store, never walked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Staff accounts.
    pub staff: u64,
    /// Peers.
    pub peers: u64,
    /// Goals.
    pub goals: u64,
    /// Check-ins.
    pub checkins: u64,
    /// Groups.
    pub groups: u64,
    /// Group sessions.
    pub sessions: u64,
    /// Directory entries.
    #[serde(default)]
    pub resources: u64,
    /// Referrals.
    #[serde(default)]
    pub referrals: u64,
}

/// The kind of record a change notice or audit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ChangeKind {
    /// A staff account.
    Staff,
    /// A peer.
    Peer,
    /// A goal.
    Goal,
    /// A check-in.
    CheckIn,
    /// A group.
    Group,
    /// A group session.
    Session,
    /// The organization settings (the id is empty).
    Settings,
    /// Anything may have changed (an import, or notices were missed while
    /// the connection to a server was down): reload what is shown.
    Everything,
    /// A directory entry.
    Resource,
    /// A referral.
    Referral,
    /// A consent to share (added after `Everything` so stored audit
    /// entries keep their encoding).
    Consent,
    /// A disclosure made under a consent.
    Disclosure,
    /// A staff member's certification.
    Certification,
    /// A continuing-education entry.
    Ceu,
    /// A supervision session.
    Supervision,
    /// An assessment (an instrument such as the BARC-10 taken).
    Assessment,
    /// A drop-in visit (front desk).
    Visit,
    /// A pending intake left at the kiosk.
    Intake,
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ChangeKind::Staff => "staff",
            ChangeKind::Peer => "peer",
            ChangeKind::Goal => "goal",
            ChangeKind::CheckIn => "check-in",
            ChangeKind::Group => "group",
            ChangeKind::Session => "group session",
            ChangeKind::Settings => "settings",
            ChangeKind::Everything => "everything",
            ChangeKind::Resource => "resource",
            ChangeKind::Referral => "referral",
            ChangeKind::Consent => "consent",
            ChangeKind::Disclosure => "disclosure",
            ChangeKind::Certification => "certification",
            ChangeKind::Ceu => "continuing-education entry",
            ChangeKind::Supervision => "supervision session",
            ChangeKind::Assessment => "assessment",
            ChangeKind::Visit => "visit",
            ChangeKind::Intake => "pending intake",
        })
    }
}

/// A notice that a record was saved or deleted, so that every open session
/// can refresh what it shows (keeping its cursor) within a second.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Change {
    /// What kind of record changed.
    pub kind: ChangeKind,
    /// Its id as printed ("P12"); empty for settings and everything.
    pub id: String,
}

api::store_api!(define_trait);
