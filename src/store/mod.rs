//! Persistence: the only module that knows sled.
//!
//! Everything else talks to the [`Store`] trait in domain terms, so a
//! server process can later stand behind the same API and several staff
//! can share one store. [`SledStore`] is the embedded implementation: one
//! sled `Db` per process, records and their indexes written in one
//! transaction, and every acknowledged write flushed to disk.

mod audit;
mod codec;
mod error;
mod files;
mod import;
mod keys;
mod schema;
mod sled_store;

use std::collections::HashMap;
use std::sync::mpsc::Receiver;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{
    Actor, CheckIn, CheckInId, Goal, GoalId, Group, GroupId, GroupSession, Peer, PeerId, Record,
    SessionId, Settings, Staff, StaffId,
};

pub use audit::{AuditEntry, AuditEvent, AuditFilter};
pub use error::{StoreError, StoreResult};
pub use files::ModeRepair;
pub use schema::SCHEMA_VERSION;
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

/// The store API in domain terms.
///
/// Creating assigns the id and bookkeeping; updating takes the revision the
/// edit started from and refuses with [`StoreError::Conflict`] if someone
/// saved in between. Every method that returns `Ok` after a write has
/// flushed it to disk. Lists come back in a documented order.
pub trait Store: Send + Sync {
    /// Where the store lives, for the status line ("/var/lib/caseload").
    fn location(&self) -> String;

    /// Record counts.
    fn counts(&self) -> StoreResult<Counts>;

    /// The organization settings (defaults until saved).
    fn settings(&self) -> StoreResult<Settings>;
    /// Saves the organization settings.
    fn save_settings(&self, settings: &Settings, actor: &Actor) -> StoreResult<()>;

    /// Adds a staff member.
    fn create_staff(&self, staff: Staff, actor: &Actor) -> StoreResult<Record<Staff>>;
    /// Saves changes to a staff member.
    fn update_staff(&self, staff: &Record<Staff>, actor: &Actor) -> StoreResult<Record<Staff>>;
    /// One staff member.
    fn staff(&self, id: StaffId) -> StoreResult<Record<Staff>>;
    /// Every staff member, by id.
    fn list_staff(&self) -> StoreResult<Vec<Record<Staff>>>;

    /// Adds a peer.
    fn create_peer(&self, peer: Peer, actor: &Actor) -> StoreResult<Record<Peer>>;
    /// Saves changes to a peer.
    fn update_peer(&self, peer: &Record<Peer>, actor: &Actor) -> StoreResult<Record<Peer>>;
    /// Deletes a peer who has no check-ins, goals or attendance (a record
    /// made by mistake); others are discharged instead.
    fn delete_peer(&self, id: PeerId, actor: &Actor) -> StoreResult<()>;
    /// One peer.
    fn peer(&self, id: PeerId) -> StoreResult<Record<Peer>>;
    /// Every peer, by id.
    fn list_peers(&self) -> StoreResult<Vec<Record<Peer>>>;

    /// Adds a goal to a peer's plan.
    fn create_goal(&self, goal: Goal, actor: &Actor) -> StoreResult<Record<Goal>>;
    /// Saves changes to a goal. A goal that check-ins link to cannot move
    /// to another peer ([`StoreError::InUseBy`]).
    fn update_goal(&self, goal: &Record<Goal>, actor: &Actor) -> StoreResult<Record<Goal>>;
    /// Deletes a goal no check-in touched (one added by mistake); a goal
    /// that check-ins link to is refused ([`StoreError::InUseBy`]) and is
    /// marked dropped instead.
    fn delete_goal(&self, id: GoalId, actor: &Actor) -> StoreResult<()>;
    /// One goal.
    fn goal(&self, id: GoalId) -> StoreResult<Record<Goal>>;
    /// A peer's goals, by id.
    fn goals_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<Goal>>>;
    /// Goals whose next review is on or before `date`, by review date.
    fn goals_due_for_review(&self, date: NaiveDate) -> StoreResult<Vec<Record<Goal>>>;

    /// Records a check-in. Its goals must be on its own peer's plan
    /// ([`StoreError::Invalid`] otherwise), so that one peer's goal never
    /// lists another peer's check-ins.
    fn create_checkin(&self, checkin: CheckIn, actor: &Actor) -> StoreResult<Record<CheckIn>>;
    /// Records many check-ins in one transaction and one flush (demo data,
    /// import). All or none are saved.
    fn create_checkins(
        &self,
        checkins: Vec<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Vec<Record<CheckIn>>>;
    /// Saves changes to a check-in.
    fn update_checkin(
        &self,
        checkin: &Record<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>>;
    /// Deletes a check-in (one recorded by mistake).
    fn delete_checkin(&self, id: CheckInId, actor: &Actor) -> StoreResult<()>;
    /// One check-in.
    fn checkin(&self, id: CheckInId) -> StoreResult<Record<CheckIn>>;
    /// A peer's newest check-ins, newest first, at most `limit`.
    fn recent_checkins(&self, peer: PeerId, limit: usize) -> StoreResult<Vec<Record<CheckIn>>>;
    /// A peer's check-ins from `from` (inclusive) to `to` (exclusive), oldest first.
    fn checkins_for_peer_between(
        &self,
        peer: PeerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Record<CheckIn>>>;
    /// Check-ins on a local day, by time.
    fn checkins_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<CheckIn>>>;
    /// Check-ins that touched a goal, oldest first.
    fn checkins_for_goal(&self, goal: GoalId) -> StoreResult<Vec<Record<CheckIn>>>;
    /// Each peer's newest check-in before `before`.
    fn last_checkins_before(
        &self,
        before: DateTime<Utc>,
    ) -> StoreResult<HashMap<PeerId, Record<CheckIn>>>;
    /// Check-ins whose follow-up falls from `from` to `to` (inclusive), by date.
    fn followups_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Record<CheckIn>>>;
    /// One page of all check-ins by id, after `after`, at most `limit`:
    /// for export and reports without holding them all in memory.
    fn checkins_page(
        &self,
        after: Option<CheckInId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<CheckIn>>>;

    /// Adds a group.
    fn create_group(&self, group: Group, actor: &Actor) -> StoreResult<Record<Group>>;
    /// Saves changes to a group.
    fn update_group(&self, group: &Record<Group>, actor: &Actor) -> StoreResult<Record<Group>>;
    /// One group.
    fn group(&self, id: GroupId) -> StoreResult<Record<Group>>;
    /// Every group, by id.
    fn list_groups(&self) -> StoreResult<Vec<Record<Group>>>;

    /// Records a group session.
    fn create_session(
        &self,
        session: GroupSession,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>>;
    /// Saves changes to a session (attendance, topic, note).
    fn update_session(
        &self,
        session: &Record<GroupSession>,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>>;
    /// Deletes a session.
    fn delete_session(&self, id: SessionId, actor: &Actor) -> StoreResult<()>;
    /// One session.
    fn session(&self, id: SessionId) -> StoreResult<Record<GroupSession>>;
    /// A group's sessions, newest first.
    fn sessions_for_group(&self, group: GroupId) -> StoreResult<Vec<Record<GroupSession>>>;
    /// Sessions on a day.
    fn sessions_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<GroupSession>>>;
    /// Sessions a peer attended, newest first.
    fn sessions_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<GroupSession>>>;
    /// One page of all sessions by id, after `after`, at most `limit`.
    fn sessions_page(
        &self,
        after: Option<SessionId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<GroupSession>>>;

    /// Loads a whole export into an empty store, all or nothing: if the
    /// process dies part-way, the next open rolls the partial import back.
    fn import(&self, snapshot: Snapshot, actor: &Actor) -> StoreResult<Counts>;

    /// Notices of every change saved from now on, by any session (this
    /// process or, through a server, any other), so a screen can refresh
    /// in place. `None` when the store cannot tell. Dropping the receiver
    /// ends the subscription.
    fn subscribe(&self) -> Option<Receiver<Change>> {
        None
    }

    /// Appends an event that is not itself a change (opening a peer's
    /// record, signing in, locking, exporting) to the audit trail. Callers
    /// record before they show: if it fails, do not show. Changes are
    /// audited by the store itself, in the same transaction.
    fn record_event(&self, event: AuditEvent, actor: &Actor) -> StoreResult<()> {
        let _ = (event, actor);
        Err(StoreError::Refused(format!(
            "the store at {} keeps no audit trail",
            self.location()
        )))
    }

    /// Reads the audit trail, newest first. There is deliberately no way to
    /// change or delete entries.
    fn audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let _ = filter;
        Err(StoreError::Refused(format!(
            "the store at {} keeps no audit trail",
            self.location()
        )))
    }

    /// Signs this session in as `staff` on a shared server, which checks
    /// the PIN, slows down repeated wrong PINs, records the sign-in, and
    /// from then on stamps every change from this session with that staff
    /// member. `Ok(None)` means the store is not shared and the caller
    /// checks the PIN itself: use `ops::auth::sign_in`, which does both.
    fn sign_in(&self, staff: StaffId, pin: &str) -> StoreResult<Option<Record<Staff>>> {
        let _ = (staff, pin);
        Ok(None)
    }
}
