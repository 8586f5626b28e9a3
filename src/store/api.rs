//! The store API, declared once.
//!
//! [`store_api!`] lists every store operation a single time: its wire
//! name, its method name and arguments, what it returns, whether it reads
//! or writes, the [`Permission`](crate::model::Permission) it needs, whether
//! it returns identified peer data (and so goes on the audit trail when it
//! is read) and the bounds on its request. It takes the name of a
//! *generator* macro and hands it the whole list, so each place that used
//! to write the API out by hand is now one generator:
//!
//! - the [`Store`](super::Store) trait and the forwarding impls for `&T`,
//!   `Box<T>` and `Arc<T>` (here);
//! - the [`Operation`] table that tests iterate (here);
//! - the wire `Request`/`Answer` and the server's dispatch
//!   (`server::protocol`);
//! - `RemoteStore`'s impl (`server::client`);
//! - the authorizing wrapper every path goes through (`ops::access`).
//!
//! Adding a record kind or a query is one entry below plus its
//! implementation in `SledStore`; the compiler points at anything else.
//!
//! Grammar of an entry:
//!
//! ```text
//! /// docs
//! WireName method(val arg: Type, by_ref other: Type) by actor -> Returns
//!     => Read|Write|Rewrite, PermissionVariant, No|Peer|Listing, [cap arg | batch arg], [custom_fn];
//! ```
//!
//! `by_ref` arguments are taken as `&Type` by the trait and sent owned;
//! `by actor` adds the trait's `actor: &Actor` (never sent: the server
//! stamps the session's actor); `Peer` marks a read of one peer's data
//! (recorded as "opened peer P…", coalesced per peer), `Listing` a read of
//! many peers' data (recorded with the peers it returned); `cap` clamps a
//! page or limit to [`MAX_PAGE`], `batch` refuses more than [`MAX_BATCH`]
//! records; `custom_fn` names the authorizing wrapper's hand-written rule
//! for the few operations that need more than the table (PIN hashes,
//! crediting a check-in or referral to someone else, which events a client
//! may report).

use std::collections::HashMap;

use crate::model::today::{LastCheckIn, TodayReport};
use crate::model::{CheckIn, GroupSession, Intake, Peer, PeerId, Permission, Record, Visit};

use super::{StoreError, StoreResult};

/// Most records one batch request may carry (`create_checkins`): a bigger
/// batch is refused, so one request can neither fill the disk nor stall
/// every other writer.
pub const MAX_BATCH: usize = 1_000;
/// Most records one page or limit may ask for: larger asks are served
/// this many (callers page until a short page).
pub const MAX_PAGE: usize = 1_000;

/// Whether an operation reads or writes: only reads are resent after a
/// lost connection (a write may have been saved before it dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Changes nothing: safe to send twice.
    Read,
    /// Changes the store (or its trail).
    Write,
    /// Writes the whole store (an import, a bulk load): a write whose
    /// answer comes only once all of it is on disk, which at a large
    /// center's size takes minutes, so clients wait for it without their
    /// usual limit on an answer.
    Rewrite,
}

/// Whether what an operation returns identifies peers, and so must be on
/// the audit trail when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identified {
    /// Nothing about peers (staff names, groups, counts) or a write.
    No,
    /// One peer's records: on the trail as "opened peer P…", at most once
    /// per peer per session per coalescing window.
    Peer,
    /// Several peers' records (roster, a day's check-ins, attendance): on
    /// the trail with the peers returned.
    Listing,
}

/// A bound on a request argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A page size or limit, clamped to [`MAX_PAGE`].
    Cap(&'static str),
    /// A batch of records, refused above [`MAX_BATCH`].
    Batch(&'static str),
}

/// Clamps a page size or limit to [`MAX_PAGE`].
pub fn cap(limit: &mut usize) {
    *limit = (*limit).min(MAX_PAGE);
}

/// Refuses a batch larger than [`MAX_BATCH`], naming the operation.
pub fn batch<T>(items: &[T], operation: &str) -> StoreResult<()> {
    if items.len() > MAX_BATCH {
        return Err(StoreError::Refused(format!(
            "{operation}: a batch of {} records is more than the {MAX_BATCH} one request may carry; send it in parts",
            items.len()
        )));
    }
    Ok(())
}

/// The peers a read's answer is about, for the audit trail.
pub trait Identifies {
    /// Every peer the value carries data of (may repeat).
    fn peers(&self) -> Vec<PeerId>;
}

impl Identifies for Record<Peer> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.id]
    }
}
impl Identifies for Record<crate::model::Goal> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Identifies for Record<CheckIn> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Identifies for Record<crate::model::Referral> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Identifies for Record<crate::model::Consent> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Identifies for Record<crate::model::Disclosure> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Identifies for Record<crate::model::Assessment> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl Identifies for Record<GroupSession> {
    fn peers(&self) -> Vec<PeerId> {
        self.attendees.clone()
    }
}
impl<T: Identifies> Identifies for Vec<T> {
    fn peers(&self) -> Vec<PeerId> {
        self.iter().flat_map(Identifies::peers).collect()
    }
}
impl Identifies for HashMap<PeerId, LastCheckIn> {
    fn peers(&self) -> Vec<PeerId> {
        self.keys().copied().collect()
    }
}
/// What Today needs of one peer (see `Store::peer_summaries`): kept per
/// peer by the store, so a large center's Today reads one entry per peer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PeerSummary {
    /// What Today needs of the newest check-in before the asked moment
    /// that is not voided: its day, and its follow-up, the peer's pending
    /// one (kept in the summary itself, so no check-in record is read).
    pub last_checkin: Option<LastCheckIn>,
    /// The day of the latest group session attended before the asked day
    /// (voided sessions left out).
    pub last_attended: Option<chrono::NaiveDate>,
}

/// Everything the peer screen and `caseload peer show` show of one peer,
/// read in one request (see `Store::peer_view`): one round-trip and one
/// audit write instead of one of each per record kind.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PeerView {
    /// The peer (the one a merged id now answers as).
    pub peer: Record<Peer>,
    /// Their assigned staff member, if any (its PIN hash hidden as
    /// `Store::staff` hides it).
    pub assigned: Option<Record<crate::model::Staff>>,
    /// Their goals, by id.
    pub goals: Vec<Record<crate::model::Goal>>,
    /// Their newest check-ins, newest first.
    pub recent_checkins: Vec<Record<CheckIn>>,
    /// The group sessions they attended, newest first, with every
    /// attendee (so the other attendees are on the trail too).
    pub sessions: Vec<Record<GroupSession>>,
}

impl Identifies for PeerView {
    fn peers(&self) -> Vec<PeerId> {
        let mut out = self.peer.peers();
        out.extend(self.goals.peers());
        out.extend(self.recent_checkins.peers());
        out.extend(self.sessions.peers());
        out
    }
}

impl Identifies for TodayReport {
    fn peers(&self) -> Vec<PeerId> {
        self.rows.iter().filter_map(|r| r.peer).collect()
    }
}

impl Identifies for Record<Visit> {
    fn peers(&self) -> Vec<PeerId> {
        vec![self.peer]
    }
}
impl<T: Identifies> Identifies for Option<T> {
    fn peers(&self) -> Vec<PeerId> {
        self.as_ref().map(Identifies::peers).unwrap_or_default()
    }
}
impl Identifies for HashMap<PeerId, chrono::NaiveDate> {
    fn peers(&self) -> Vec<PeerId> {
        self.keys().copied().collect()
    }
}
impl Identifies for HashMap<PeerId, String> {
    fn peers(&self) -> Vec<PeerId> {
        self.keys().copied().collect()
    }
}
impl Identifies for HashMap<PeerId, PeerSummary> {
    fn peers(&self) -> Vec<PeerId> {
        self.keys().copied().collect()
    }
}
/// Answers that identify nobody: the layer records nothing for them.
macro_rules! identifies_nobody {
    ($($t:ty),*) => {$(
        impl Identifies for $t {
            fn peers(&self) -> Vec<PeerId> {
                Vec::new()
            }
        }
    )*};
}
identifies_nobody!(
    (),
    u64,
    super::Counts,
    crate::model::Settings,
    Record<crate::model::Certification>,
    Record<crate::model::CeuEntry>,
    Record<crate::model::Supervision>,
    crate::model::CredentialRecords,
    Record<crate::model::Staff>,
    Record<crate::model::Group>,
    super::AuditEntry,
    Record<crate::model::Resource>,
    Record<Intake>,
    crate::model::KioskReply,
    super::PeerAlias
);

/// Types the declaration names, for the generators' call sites
/// (`use crate::store::api::prelude::*;`).
pub(crate) mod prelude {
    pub(crate) use crate::model::today::{LastCheckIn, TodayReport};
    pub(crate) use crate::model::{
        Actor, Assessment, AssessmentId, Certification, CeuEntry, CheckIn, CheckInId, Consent,
        ConsentId, CredentialRecords, Disclosure, DisclosureId, Goal, GoalId, Group, GroupId,
        GroupSession, Intake, IntakeId, KioskReply, Peer, PeerId, Record, Referral, ReferralId,
        Resource, ResourceId, Revocation, SessionId, Settings, Staff, StaffId, Supervision, Visit,
    };
    pub(crate) use crate::server::protocol::Pin;
    pub(crate) use crate::store::api::{PeerSummary, PeerView};
    pub(crate) use crate::store::{
        AuditEntry, AuditEvent, AuditFilter, Counts, PeerAlias, Snapshot,
    };
    pub(crate) use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
    pub(crate) use std::collections::HashMap;
}

/// The declaration: hands every operation to the generator `$gen`.
macro_rules! store_api {
    ($gen:ident) => {
        $gen! {
            /// Record counts.
            Counts counts() -> Counts
                => Read, WorkCaseload, No, [], [];
            /// The organization settings (defaults until saved).
            Settings settings() -> Settings
                => Read, SeeSignIn, No, [], [];
            /// Saves the organization settings.
            SaveSettings save_settings(by_ref settings: Settings) by actor -> ()
                => Write, ChangeSettings, No, [], [];

            /// Adds a staff member.
            CreateStaff create_staff(val staff: Staff) by actor -> Record<Staff>
                => Write, ManageStaff, No, [], [guard_create_staff];
            /// Saves changes to a staff member, its PIN as it was (a PIN is
            /// set with `set_pin`, never by sending a hash).
            UpdateStaff update_staff(by_ref staff: Record<Staff>) by actor -> Record<Staff>
                => Write, ManageStaff, No, [], [guard_update_staff];
            /// Sets (or replaces) a staff member's PIN: the PIN itself is
            /// sent, checked against the rules and hashed where the data is
            /// served, never logged or on the trail (everyone may set their
            /// own).
            SetPin set_pin(val staff: StaffId, val pin: Pin) by actor -> Record<Staff>
                => Write, ManageStaff, No, [], [guard_set_pin];
            /// One staff member.
            Staff staff(val id: StaffId) -> Record<Staff>
                => Read, SeeSignIn, No, [], [guard_staff];
            /// Every staff member, by id.
            ListStaff list_staff() -> Vec<Record<Staff>>
                => Read, SeeSignIn, No, [], [guard_list_staff];

            /// Adds a peer.
            CreatePeer create_peer(val peer: Peer) by actor -> Record<Peer>
                => Write, WorkCaseload, No, [], [];
            /// Adds many peers (at most [`MAX_BATCH`]) in one transaction and
            /// one flush (a roster imported from a spreadsheet). All or none
            /// are saved.
            CreatePeers create_peers(val peers: Vec<Peer>) by actor -> Vec<Record<Peer>>
                => Write, WorkCaseload, No, [batch peers], [];
            /// Saves changes to a peer (discharging is a change of status).
            UpdatePeer update_peer(by_ref peer: Record<Peer>) by actor -> Record<Peer>
                => Write, WorkCaseload, No, [], [guard_update_peer];
            /// Removes for good a peer who has no check-ins, goals or
            /// attendance (a record made by mistake); others are discharged
            /// instead. Admins only; the trail keeps what was removed.
            DeletePeer delete_peer(val id: PeerId) by actor -> ()
                => Write, Purge, No, [], [];
            /// One peer (opening their record).
            Peer peer(val id: PeerId) -> Record<Peer>
                => Read, WorkCaseload, Peer, [], [];
            /// One peer with what their record shows: their assigned staff
            /// member, goals, newest check-ins (at most `recent`, and at most
            /// [`MAX_PAGE`]) and group sessions. One request and one audit
            /// write: `caseload peer show` and the peer screen.
            PeerView peer_view(val id: PeerId, val recent: usize) -> PeerView
                => Read, WorkCaseload, Peer, [cap recent], [guard_peer_view];
            /// Every peer, by id (the roster, with contact details and notes).
            ListPeers list_peers() -> Vec<Record<Peer>>
                => Read, WorkCaseload, Listing, [], [];
            /// The peers with these ids (at most [`MAX_BATCH`]), by id; ids
            /// that are no peer's are left out. Today's reassessment rows
            /// need only the peers assessed, not the whole roster.
            PeersById peers_by_id(val ids: Vec<PeerId>) -> Vec<Record<Peer>>
                => Read, WorkCaseload, Listing, [batch ids], [];

            /// Merges peer `from` into `into` (two records made for one
            /// person): every check-in, goal and attendance moves, `from` is
            /// removed and answers from then on as an alias of `into`
            /// (`peer(from)` returns `into`). One transaction; on the trail.
            MergePeers merge_peers(val from: PeerId, val into: PeerId) by actor -> Record<Peer>
                => Write, MergePeers, No, [], [];

            /// Adds a goal to a peer's plan.
            CreateGoal create_goal(val goal: Goal) by actor -> Record<Goal>
                => Write, WorkCaseload, No, [], [guard_create_goal];
            /// Saves changes to a goal. A goal that check-ins link to cannot
            /// move to another peer ([`StoreError::InUseBy`]).
            UpdateGoal update_goal(by_ref goal: Record<Goal>) by actor -> Record<Goal>
                => Write, WorkCaseload, No, [], [guard_update_goal];
            /// Removes for good a goal no check-in touched (admins only); a
            /// goal that check-ins link to is refused
            /// ([`StoreError::InUseBy`]) and is marked dropped instead.
            DeleteGoal delete_goal(val id: GoalId) by actor -> ()
                => Write, Purge, No, [], [];
            /// One goal.
            Goal goal(val id: GoalId) -> Record<Goal>
                => Read, WorkCaseload, Peer, [], [];
            /// A peer's goals, by id.
            GoalsForPeer goals_for_peer(val peer: PeerId) -> Vec<Record<Goal>>
                => Read, WorkCaseload, Peer, [], [];
            /// Goals whose next review is on or before `date`, by review date.
            GoalsDueForReview goals_due_for_review(val date: NaiveDate) -> Vec<Record<Goal>>
                => Read, WorkCaseload, Listing, [], [];

            /// Records a check-in. Its goals must be on its own peer's plan
            /// ([`StoreError::Invalid`] otherwise), so that one peer's goal
            /// never lists another peer's check-ins. Its staff member is the
            /// session's unless the role may credit others.
            CreateCheckIn create_checkin(val checkin: CheckIn) by actor -> Record<CheckIn>
                => Write, WorkCaseload, No, [], [guard_create_checkin];
            /// Records many check-ins (at most [`MAX_BATCH`]) in one
            /// transaction and one flush (demo data, import). All or none
            /// are saved.
            CreateCheckIns create_checkins(val checkins: Vec<CheckIn>) by actor -> Vec<Record<CheckIn>>
                => Write, WorkCaseload, No, [batch checkins], [guard_create_checkins];
            /// Saves changes to a check-in (its void state is kept as stored).
            UpdateCheckIn update_checkin(by_ref checkin: Record<CheckIn>) by actor -> Record<CheckIn>
                => Write, WorkCaseload, No, [], [guard_update_checkin];
            /// Voids a check-in recorded by mistake: kept, with who, when and
            /// why, but left out of Today, reports and counts of service.
            VoidCheckIn void_checkin(val id: CheckInId, val reason: String) by actor -> Record<CheckIn>
                => Write, WorkCaseload, No, [], [guard_void_checkin];
            /// The earlier versions of a check-in, oldest first: what each
            /// correction or void replaced (the current one is `checkin`).
            CheckInHistory checkin_history(val id: CheckInId) -> Vec<Record<CheckIn>>
                => Read, WorkCaseload, Peer, [], [];
            /// One page of every check-in's earlier versions, by check-in
            /// id then revision, after the version `after` names, at most
            /// `limit` (and at most [`MAX_PAGE`]): for export, so corrections
            /// survive a backup. Every note of the organization.
            HistoryPage history_page(val after: Option<(CheckInId, u64)>, val limit: usize) -> Vec<Record<CheckIn>>
                => Read, ReadAllNotes, Listing, [cap limit], [];
            /// Every merged peer id with the peer it now answers as (for
            /// export: merged ids keep answering after a restore).
            PeerAliases peer_aliases() -> Vec<PeerAlias>
                => Read, WorkCaseload, No, [], [];
            /// Removes a check-in for good (admins only; others void it).
            DeleteCheckIn delete_checkin(val id: CheckInId) by actor -> ()
                => Write, Purge, No, [], [];
            /// One check-in.
            CheckIn checkin(val id: CheckInId) -> Record<CheckIn>
                => Read, WorkCaseload, Peer, [], [];
            /// A peer's newest check-ins, newest first, at most `limit`
            /// (and at most [`MAX_PAGE`]).
            RecentCheckIns recent_checkins(val peer: PeerId, val limit: usize) -> Vec<Record<CheckIn>>
                => Read, WorkCaseload, Peer, [cap limit], [];
            /// A peer's check-ins from `from` (inclusive) to `to`
            /// (exclusive), oldest first.
            CheckInsForPeerBetween checkins_for_peer_between(val peer: PeerId, val from: DateTime<Utc>, val to: DateTime<Utc>) -> Vec<Record<CheckIn>>
                => Read, WorkCaseload, Peer, [], [];
            /// Check-ins on a local day, by time.
            CheckInsOn checkins_on(val date: NaiveDate) -> Vec<Record<CheckIn>>
                => Read, WorkCaseload, Listing, [], [];
            /// Check-ins that touched a goal, oldest first.
            CheckInsForGoal checkins_for_goal(val goal: GoalId) -> Vec<Record<CheckIn>>
                => Read, WorkCaseload, Peer, [], [];
            /// Each peer's newest check-in before `before` that is not
            /// voided: its id, day and follow-up (the roster's last
            /// contact), from the summary the store keeps per peer.
            LastCheckInsBefore last_checkins_before(val before: DateTime<Utc>) -> HashMap<PeerId, LastCheckIn>
                => Read, WorkCaseload, Listing, [], [];
            /// Per peer, the newest check-in before `before` that is not
            /// voided and the day of the latest group session attended
            /// before `attended_before` (not voided): what Today and the
            /// roster's last contact need, read from a summary the store
            /// keeps with every write instead of each peer's check-ins.
            /// Peers with neither are left out.
            PeerSummaries peer_summaries(val before: DateTime<Utc>, val attended_before: NaiveDate) -> HashMap<PeerId, PeerSummary>
                => Read, WorkCaseload, Listing, [], [];
            /// Today's contacts for `date` (only `for_staff`'s peers and
            /// groups, if set), computed where the data is: one answer of a
            /// few thousand rows instead of the whole roster and every
            /// peer's newest check-in sent to the client. On the trail
            /// with the peers it lists.
            Today today(val date: NaiveDate, val for_staff: Option<StaffId>) -> TodayReport
                => Read, WorkCaseload, Listing, [], [];
            /// Check-ins whose follow-up falls from `from` to `to`
            /// (inclusive), by date.
            FollowupsBetween followups_between(val from: NaiveDate, val to: NaiveDate) -> Vec<Record<CheckIn>>
                => Read, WorkCaseload, Listing, [], [];
            /// One page of all check-ins by id, after `after`, at most
            /// `limit` (and at most [`MAX_PAGE`]): for export and reports
            /// without holding them all in memory. Every note of the
            /// organization: supervisors and admins.
            CheckInsPage checkins_page(val after: Option<CheckInId>, val limit: usize) -> Vec<Record<CheckIn>>
                => Read, ReadAllNotes, Listing, [cap limit], [];

            /// Adds a group.
            CreateGroup create_group(val group: Group) by actor -> Record<Group>
                => Write, WorkCaseload, No, [], [];
            /// Saves changes to a group.
            UpdateGroup update_group(by_ref group: Record<Group>) by actor -> Record<Group>
                => Write, WorkCaseload, No, [], [];
            /// One group.
            Group group(val id: GroupId) -> Record<Group>
                => Read, WorkCaseload, No, [], [];
            /// Every group, by id.
            ListGroups list_groups() -> Vec<Record<Group>>
                => Read, WorkCaseload, No, [], [];

            /// Records a group session.
            CreateSession create_session(val session: GroupSession) by actor -> Record<GroupSession>
                => Write, WorkCaseload, No, [], [guard_create_session];
            /// Saves changes to a session (attendance, topic, note; its void
            /// state is kept as stored).
            UpdateSession update_session(by_ref session: Record<GroupSession>) by actor -> Record<GroupSession>
                => Write, WorkCaseload, No, [], [];
            /// Voids a session recorded by mistake: kept, with who, when and
            /// why, but left out of Today, reports and counts of service.
            VoidSession void_session(val id: SessionId, val reason: String) by actor -> Record<GroupSession>
                => Write, WorkCaseload, No, [], [];
            /// Removes a session for good (admins only; others void it).
            DeleteSession delete_session(val id: SessionId) by actor -> ()
                => Write, Purge, No, [], [];
            /// One session, with its attendees.
            Session session(val id: SessionId) -> Record<GroupSession>
                => Read, WorkCaseload, Listing, [], [];
            /// A group's sessions, newest first.
            SessionsForGroup sessions_for_group(val group: GroupId) -> Vec<Record<GroupSession>>
                => Read, WorkCaseload, Listing, [], [];
            /// Sessions on a day.
            SessionsOn sessions_on(val date: NaiveDate) -> Vec<Record<GroupSession>>
                => Read, WorkCaseload, Listing, [], [];
            /// Sessions a peer attended, newest first.
            SessionsForPeer sessions_for_peer(val peer: PeerId) -> Vec<Record<GroupSession>>
                => Read, WorkCaseload, Peer, [], [];
            /// One page of all sessions by id, after `after`, at most
            /// `limit` (and at most [`MAX_PAGE`]).
            SessionsPage sessions_page(val after: Option<SessionId>, val limit: usize) -> Vec<Record<GroupSession>>
                => Read, WorkCaseload, Listing, [cap limit], [];

            /// Loads a whole export into an empty store, all or nothing: if
            /// the process dies part-way, the next open rolls the partial
            /// import back.
            Import import(val snapshot: Snapshot) by actor -> Counts
                => Rewrite, ManageStaff, No, [], [];
            /// Starts a bulk load (`caseload demo`): imports `snapshot`
            /// into an empty store like [`Store::import`], then takes
            /// check-ins by [`Store::load_checkins`] until
            /// [`Store::finish_load`]. All or nothing as a whole: until
            /// then every other write is refused, and a load that is not
            /// finished (the process dies, the loading connection goes
            /// away, a batch fails) leaves an empty store.
            BeginLoad begin_load(val snapshot: Snapshot) by actor -> Counts
                => Rewrite, ManageStaff, No, [], [];
            /// Writes check-ins (at most [`MAX_BATCH`]) into the bulk load
            /// in progress, with ids following the store's; returns how
            /// many. Not synced one by one: [`Store::finish_load`] syncs.
            LoadCheckIns load_checkins(val checkins: Vec<CheckIn>) by actor -> u64
                => Write, ManageStaff, No, [batch checkins], [];
            /// Ends the bulk load in progress, whose batches the caller
            /// counted as `loaded` check-ins (a different count abandons
            /// the load): everything is on disk and on the audit trail
            /// (one import entry) when it returns.
            FinishLoad finish_load(val loaded: u64) by actor -> Counts
                => Rewrite, ManageStaff, No, [], [];
            /// Appends an event that is not itself a change (opening a
            /// peer's record, locking, exporting) to the audit trail.
            /// Callers record before they show: if it fails, do not show.
            /// Changes are audited by the store itself, in the same
            /// transaction.
            RecordEvent record_event(val event: AuditEvent) by actor -> ()
                => Write, WorkCaseload, No, [], [guard_record_event];
            /// Appends several views (at most [`MAX_BATCH`]) to the audit
            /// trail in one transaction and one flush: a read that names
            /// several peers is on the trail with one sync, not one per
            /// peer. Only [`AuditEvent::Viewed`] is taken from a client.
            RecordEvents record_events(val events: Vec<AuditEvent>) by actor -> ()
                => Write, WorkCaseload, No, [batch events], [guard_record_events];
            /// Reads the audit trail, newest first. There is deliberately no
            /// way to change or delete entries.
            Audit audit(by_ref filter: AuditFilter) -> Vec<AuditEntry>
                => Read, ReadAudit, No, [], [];

            /// Adds an entry to the community resource directory (its
            /// crisis entries go on every take-home card: supervisors and
            /// admins keep it).
            CreateResource create_resource(val resource: Resource) by actor -> Record<Resource>
                => Write, ManageResources, No, [], [];
            /// Saves changes to a directory entry (deactivating is a change).
            UpdateResource update_resource(by_ref resource: Record<Resource>) by actor -> Record<Resource>
                => Write, ManageResources, No, [], [];
            /// One directory entry (no peer data).
            Resource resource(val id: ResourceId) -> Record<Resource>
                => Read, WorkCaseload, No, [], [];
            /// The whole directory, by id.
            ListResources list_resources() -> Vec<Record<Resource>>
                => Read, WorkCaseload, No, [], [];
            /// Refers a peer to a resource (its peer, resource, staff and
            /// check-in must exist).
            CreateReferral create_referral(val referral: Referral) by actor -> Record<Referral>
                => Write, WorkCaseload, No, [], [guard_create_referral];
            /// Saves a referral's new status (its history grows; a stale
            /// revision is a conflict).
            UpdateReferral update_referral(by_ref referral: Record<Referral>) by actor -> Record<Referral>
                => Write, WorkCaseload, No, [], [guard_update_referral];
            /// One referral.
            Referral referral(val id: ReferralId) -> Record<Referral>
                => Read, WorkCaseload, Peer, [], [];
            /// A peer's referrals, by id.
            ReferralsForPeer referrals_for_peer(val peer: PeerId) -> Vec<Record<Referral>>
                => Read, WorkCaseload, Peer, [], [];
            /// Every open referral (made or no response), the longest
            /// quiet first: Today's follow-ups and `referral list --open`.
            OpenReferrals open_referrals() -> Vec<Record<Referral>>
                => Read, WorkCaseload, Listing, [], [];
            /// One page of all referrals by id, after `after`, at most
            /// `limit` (and at most [`MAX_PAGE`]): export, report, lists.
            ReferralsPage referrals_page(val after: Option<ReferralId>, val limit: usize) -> Vec<Record<Referral>>
                => Read, WorkCaseload, Listing, [cap limit], [];
            /// Records a peer's consent to share (42 CFR § 2.31).
            CreateConsent create_consent(val consent: Consent) by actor -> Record<Consent>
                => Write, WorkCaseload, No, [], [];
            /// Revokes a consent from a day, saying how: for good (a revoked
            /// consent is refused a second revocation and never comes back).
            RevokeConsent revoke_consent(val id: ConsentId, val revocation: Revocation) by actor -> Record<Consent>
                => Write, WorkCaseload, No, [], [];
            /// One consent.
            Consent consent(val id: ConsentId) -> Record<Consent>
                => Read, WorkCaseload, Peer, [], [];
            /// A peer's consents, by id.
            ConsentsForPeer consents_for_peer(val peer: PeerId) -> Vec<Record<Consent>>
                => Read, WorkCaseload, Peer, [], [];
            /// Every consent, by id.
            ListConsents list_consents() -> Vec<Record<Consent>>
                => Read, WorkCaseload, Listing, [], [];
            /// Consents not revoked whose expiry date falls from `from` to
            /// `to` (inclusive), by expiry date (Today's "Consents expiring").
            ConsentsExpiringBetween consents_expiring_between(val from: NaiveDate, val to: NaiveDate) -> Vec<Record<Consent>>
                => Read, WorkCaseload, Listing, [], [];
            /// Records a disclosure, now: refused unless its consent is the
            /// peer's, active today and covers the recipient and everything
            /// included. The record and its audit entry are one write.
            /// Callers record before they hand anything over.
            RecordDisclosure record_disclosure(val disclosure: Disclosure) by actor -> Record<Disclosure>
                => Write, Disclose, No, [], [];
            /// A peer's disclosure history, oldest first.
            DisclosuresForPeer disclosures_for_peer(val peer: PeerId) -> Vec<Record<Disclosure>>
                => Read, WorkCaseload, Peer, [], [];
            /// One page of all disclosures by id, after `after`, at most
            /// `limit` (and at most [`MAX_PAGE`]), for export.
            DisclosuresPage disclosures_page(val after: Option<DisclosureId>, val limit: usize) -> Vec<Record<Disclosure>>
                => Read, WorkCaseload, Listing, [cap limit], [];
            /// Adds a certification (with its CE requirement) to a staff
            /// member: their own, a supervisee's, or anyone's for an admin.
            CreateCertification create_certification(val certification: Certification) by actor -> Record<Certification>
                => Write, KeepCredentials, No, [], [guard_create_certification];
            /// Certifications, by id: one staff member's (themselves, their
            /// supervisors and admins only), or with `None` every one the
            /// session may see.
            Certifications certifications(val staff: Option<StaffId>) -> Vec<Record<Certification>>
                => Read, KeepCredentials, No, [], [guard_certifications];
            /// Records continuing-education hours for a staff member (the
            /// same people as certifications).
            CreateCeu create_ceu(val entry: CeuEntry) by actor -> Record<CeuEntry>
                => Write, KeepCredentials, No, [], [guard_create_ceu];
            /// Continuing-education entries, by id, as for certifications.
            CeuEntries ceu_entries(val staff: Option<StaffId>) -> Vec<Record<CeuEntry>>
                => Read, KeepCredentials, No, [], [guard_ceu_entries];
            /// Records a supervision session: by the supervisee, by the
            /// supervisor named (a supervisor or admin), or by an admin.
            CreateSupervision create_supervision(val session: Supervision) by actor -> Record<Supervision>
                => Write, KeepCredentials, No, [], [guard_create_supervision];
            /// Supervision sessions of one staff member (as supervisee) or,
            /// with `None`, every one the session may see, by id. A note is
            /// returned only to the two people in the session and admins.
            Supervisions supervisions(val staff: Option<StaffId>) -> Vec<Record<Supervision>>
                => Read, KeepCredentials, No, [], [guard_supervisions];
            /// [`Store::certifications`], [`Store::ceu_entries`] and
            /// [`Store::supervisions`] of `staff` (or every one the session
            /// may see) in one request, each as those answer.
            CredentialRecords credential_records(val staff: Option<StaffId>) -> CredentialRecords
                => Read, KeepCredentials, No, [], [guard_credential_records];
            /// Records an assessment (an instrument such as the BARC-10
            /// taken with a peer). Its total must be the sum of its scores;
            /// its staff member is the session's. Assessments are never
            /// edited: a mistaken one is removed by an admin and taken again.
            CreateAssessment create_assessment(val assessment: Assessment) by actor -> Record<Assessment>
                => Write, WorkCaseload, No, [], [];
            /// One assessment.
            Assessment assessment(val id: AssessmentId) -> Record<Assessment>
                => Read, WorkCaseload, Peer, [], [];
            /// A peer's assessments, oldest first.
            AssessmentsForPeer assessments_for_peer(val peer: PeerId) -> Vec<Record<Assessment>>
                => Read, WorkCaseload, Peer, [], [];
            /// Each peer's newest assessment of each instrument (Today's
            /// "Reassessment due"), by peer.
            LatestAssessments latest_assessments() -> Vec<Record<Assessment>>
                => Read, WorkCaseload, Listing, [], [];
            /// One page of all assessments by id, after `after`, at most
            /// `limit` (and at most [`MAX_PAGE`]): the funder report's
            /// change from baseline and export.
            AssessmentsPage assessments_page(val after: Option<AssessmentId>, val limit: usize) -> Vec<Record<Assessment>>
                => Read, WorkCaseload, Listing, [cap limit], [];
            /// Removes an assessment recorded by mistake (admins only).
            DeleteAssessment delete_assessment(val id: AssessmentId) by actor -> ()
                => Write, Purge, No, [], [];
            /// Records a drop-in visit. One per peer per day: a second
            /// sign-in the same day updates the first (its time in kept,
            /// a new purpose taken, a sign-out undone). Not a check-in.
            RecordVisit record_visit(val visit: Visit) by actor -> Record<Visit>
                => Write, WorkCaseload, No, [], [];
            /// Signs a peer's visit of `day` out at `at` (refused when they
            /// did not sign in that day).
            SignOutVisit sign_out_visit(val peer: PeerId, val day: NaiveDate, val at: NaiveTime) by actor -> Record<Visit>
                => Write, WorkCaseload, No, [], [];
            /// Visits on a day, by time in.
            VisitsOn visits_on(val date: NaiveDate) -> Vec<Record<Visit>>
                => Read, WorkCaseload, Listing, [], [];
            /// Visits from `from` to `to` (inclusive), by day then peer.
            VisitsBetween visits_between(val from: NaiveDate, val to: NaiveDate) -> Vec<Record<Visit>>
                => Read, WorkCaseload, Listing, [], [];
            /// A peer's visits, newest first.
            VisitsForPeer visits_for_peer(val peer: PeerId) -> Vec<Record<Visit>>
                => Read, WorkCaseload, Peer, [], [];
            /// Each peer's latest visit day before `before`: being at the
            /// center counts as being seen for re-engagement.
            LastVisitsBefore last_visits_before(val before: NaiveDate) -> HashMap<PeerId, NaiveDate>
                => Read, WorkCaseload, Listing, [], [];
            /// Intakes left at the kiosk ("I'm new here") that staff have
            /// not yet turned into a peer or matched, oldest first.
            PendingIntakes pending_intakes() -> Vec<Record<Intake>>
                => Read, WorkCaseload, No, [], [];
            /// Settles a pending intake: with a peer (new or already known)
            /// their visit of that day is recorded; without, it is dismissed.
            ResolveIntake resolve_intake(val id: IntakeId, val peer: Option<PeerId>) by actor -> Option<Record<Visit>>
                => Write, WorkCaseload, No, [], [];
            /// Sets (or with `None` clears) the personal code a peer may
            /// type at the kiosk instead of their name; codes are unique.
            SetKioskCode set_kiosk_code(val peer: PeerId, val code: Option<String>) by actor -> ()
                => Write, WorkCaseload, No, [], [];
            /// Every personal kiosk code, by peer (export).
            KioskCodes kiosk_codes() -> HashMap<PeerId, String>
                => Read, WorkCaseload, Listing, [], [];
            /// Turns this session into a kiosk: from then on it may only
            /// sign peers in ([`Permission::KioskSignIn`]) until a staff
            /// member's PIN leaves it. Supervisors and admins. `station`
            /// names the terminal on the trail ("front desk").
            EnterKiosk enter_kiosk(val station: String) by actor -> ()
                => Write, StartKiosk, No, [], [guard_enter_kiosk];
            /// The kiosk's one question: finds the one peer `typed` (a name
            /// or personal code, and when asked the last digits of their
            /// phone) points at and records their visit of today. Says
            /// nothing about anyone: signed in, ask for digits, or not found.
            KioskSignIn kiosk_sign_in(val typed: String, val phone_digits: Option<String>) by actor -> KioskReply
                => Write, KioskSignIn, No, [], [];
            /// "I'm new here": leaves a pending intake with a first name
            /// for staff; never creates a peer.
            KioskNewHere kiosk_new_here(val first_name: String) by actor -> ()
                => Write, KioskSignIn, No, [], [];
            /// Leaves kiosk mode with any active staff member's PIN (on a
            /// store without PINs, with an empty one): the session is then
            /// that staff member's. Wrong PINs are slowed down.
            LeaveKiosk leave_kiosk(val pin: Pin) by actor -> Option<Record<Staff>>
                => Write, KioskSignIn, No, [], [guard_leave_kiosk];
        }
    };
}
pub(crate) use store_api;

/// `&T` for a `by_ref` argument, `T` for a `val` one.
macro_rules! arg_ty {
    (val $t:ty) => {
        $t
    };
    (by_ref $t:ty) => {
        &$t
    };
}
pub(crate) use arg_ty;

/// Passes an owned argument to a method: by reference for `by_ref`.
macro_rules! pass {
    (val $a:expr) => {
        $a
    };
    (by_ref $a:expr) => {
        &$a
    };
}
pub(crate) use pass;

/// Makes an owned copy of a method argument, for the wire.
macro_rules! own {
    (val $a:expr) => {
        $a
    };
    (by_ref $a:expr) => {
        ($a).clone()
    };
}
pub(crate) use own;

/// `$e` in place of an optional actor argument.
macro_rules! actor_arg {
    ($actor:ident, $e:expr) => {
        $e
    };
}
pub(crate) use actor_arg;

/// The operation table.
macro_rules! define_operations {
    ($(
        $(#[$m:meta])*
        $Variant:ident $name:ident ( $( $mode:ident $arg:ident : $ty:ty ),* ) $( by $actor:ident )? -> $ret:ty
            => $class:ident, $perm:ident, $ident:ident, [ $( $bound:ident $barg:ident ),* ], [ $( $custom:ident )? ];
    )*) => {
        /// Every store operation, as data: its name, class, permission,
        /// whether it returns identified peer data, and its bounds.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $( $(#[$m])* $Variant, )*
        }

        impl Operation {
            /// Every operation, in declaration order.
            pub const ALL: &'static [Operation] = &[ $( Operation::$Variant, )* ];

            /// The method's name ("create_checkin").
            pub fn name(self) -> &'static str {
                match self { $( Operation::$Variant => stringify!($name), )* }
            }

            /// Read or write.
            pub fn class(self) -> Class {
                match self { $( Operation::$Variant => Class::$class, )* }
            }

            /// The permission it needs.
            pub fn permission(self) -> Permission {
                match self { $( Operation::$Variant => Permission::$perm, )* }
            }

            /// Whether what it returns identifies peers.
            pub fn identified(self) -> Identified {
                match self { $( Operation::$Variant => Identified::$ident, )* }
            }

            /// The bounds on its request.
            pub fn bounds(self) -> &'static [Bound] {
                match self {
                    $( Operation::$Variant => &[ $( $crate::store::api::define_operations!(@bound $bound $barg) ),* ], )*
                }
            }

            /// True if the authorizing layer applies a rule of its own
            /// besides the table (PIN hashes, crediting others, events).
            pub fn has_own_rule(self) -> bool {
                match self { $( Operation::$Variant => $crate::store::api::define_operations!(@custom $($custom)?), )* }
            }
        }
    };
    (@bound cap $a:ident) => { Bound::Cap(stringify!($a)) };
    (@bound batch $a:ident) => { Bound::Batch(stringify!($a)) };
    (@custom) => { false };
    (@custom $c:ident) => { true };
}

pub(crate) use define_operations;

store_api!(define_operations);

/// The trait and the forwarding impls.
macro_rules! define_trait {
    ($(
        $(#[$m:meta])*
        $Variant:ident $name:ident ( $( $mode:ident $arg:ident : $ty:ty ),* ) $( by $actor:ident )? -> $ret:ty
            => $class:ident, $perm:ident, $ident:ident, [ $( $bound:ident $barg:ident ),* ], [ $( $custom:ident )? ];
    )*) => {
        /// The store API in domain terms (generated from [`store_api!`]).
        ///
        /// Creating assigns the id and bookkeeping; updating takes the
        /// revision the edit started from and refuses with
        /// [`StoreError::Conflict`] if someone saved in between. Every method
        /// that returns `Ok` after a write has flushed it to disk. Lists come
        /// back in a documented order. The `actor` of a write is advisory
        /// behind the authorizing layer, which stamps the session's.
        pub trait Store: Send + Sync {
            /// Where the store lives, for the status line ("/var/lib/caseload").
            fn location(&self) -> String;

            $(
                $(#[$m])*
                fn $name(&self $(, $arg: $crate::store::api::arg_ty!($mode $ty))* $(, $actor: &Actor)?) -> StoreResult<$ret>;
            )*

            /// Notices of every change saved from now on, by any session
            /// (this process or, through a server, any other), so a screen
            /// can refresh in place. `None` when the store cannot tell.
            /// Dropping the receiver ends the subscription.
            fn subscribe(&self) -> Option<Receiver<Change>> {
                None
            }

            /// Says that [`Store::subscribe`] will be called soon: a store
            /// that needs a connection of its own for notices may start
            /// opening it now, so that subscribing later waits less (the UI
            /// says so when it starts, and subscribes once someone is
            /// working). Subscribing works the same without it.
            fn prepare_subscribe(&self) {}

            /// Signs this session in as `staff`: on a shared server or an
            /// authorizing wrapper, which checks the PIN, slows down
            /// repeated wrong PINs, records the sign-in, and from then on
            /// stamps every change from this session with that staff
            /// member. `Ok(None)` means the store does not keep sessions and
            /// the caller checks the PIN itself: use `ops::auth::sign_in`,
            /// which does both.
            fn sign_in(&self, staff: StaffId, pin: &str) -> StoreResult<Option<Record<Staff>>> {
                let _ = (staff, pin);
                Ok(None)
            }
        }

        $crate::store::api::define_trait!(@forward [<'a, T: Store + ?Sized>] [&'a T] $( $name ( $( $mode $arg : $ty ),* ) [ $( $actor )? ] -> $ret; )*);
        $crate::store::api::define_trait!(@forward [<T: Store + ?Sized>] [Box<T>] $( $name ( $( $mode $arg : $ty ),* ) [ $( $actor )? ] -> $ret; )*);
        $crate::store::api::define_trait!(@forward [<T: Store + ?Sized>] [std::sync::Arc<T>] $( $name ( $( $mode $arg : $ty ),* ) [ $( $actor )? ] -> $ret; )*);
    };
    (@forward [$($g:tt)*] [$($w:tt)*] $( $name:ident ( $( $mode:ident $arg:ident : $ty:ty ),* ) [ $( $actor:ident )? ] -> $ret:ty; )*) => {
        /// A shared or borrowed store is itself a store, so code written
        /// against `&dyn Store` takes `&store` whatever holds it.
        impl $($g)* Store for $($w)* {
            fn location(&self) -> String {
                (**self).location()
            }
            $(
                fn $name(&self $(, $arg: $crate::store::api::arg_ty!($mode $ty))* $(, $actor: &Actor)?) -> StoreResult<$ret> {
                    (**self).$name($( $arg ),* $(, $actor)?)
                }
            )*
            fn subscribe(&self) -> Option<Receiver<Change>> {
                (**self).subscribe()
            }
            fn prepare_subscribe(&self) {
                (**self).prepare_subscribe()
            }
            fn sign_in(&self, staff: StaffId, pin: &str) -> StoreResult<Option<Record<Staff>>> {
                (**self).sign_in(staff, pin)
            }
        }
    };
}
pub(crate) use define_trait;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let mut names: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Operation::ALL.len(), "names are unique");
        for op in Operation::ALL {
            if op.class() != Class::Read {
                assert_eq!(op.identified(), Identified::No, "{op:?}");
            }
            // Removing records for good is never ordinary work.
            if op.name().starts_with("delete_") {
                assert_eq!(op.permission(), Permission::Purge, "{op:?}");
            }
            // Nothing about peers before sign-in.
            if op.permission().before_sign_in() {
                assert_eq!(op.identified(), Identified::No, "{op:?}");
            }
        }
        assert_eq!(
            Operation::CreateCheckIns.bounds(),
            &[Bound::Batch("checkins")]
        );
        assert_eq!(Operation::CheckInsPage.bounds(), &[Bound::Cap("limit")]);
        assert!(Operation::UpdateStaff.has_own_rule());
        assert!(!Operation::Peer.has_own_rule());
        assert!(batch(&vec![0u8; MAX_BATCH], "x").is_ok());
        let err = batch(&vec![0u8; MAX_BATCH + 1], "create_checkins").unwrap_err();
        assert!(err.to_string().contains("create_checkins"), "{err}");
    }
}
