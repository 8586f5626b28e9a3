//! Authorization and read auditing in one layer: [`Authorized`] wraps a
//! store for one session and is the only way any path reaches the data.
//!
//! The server gives every connection its own (`Authorized::served`); the
//! command line and the terminal UI wrap the store they open directly when
//! no server runs (`Authorized::local`, done by `server::open`). Either way
//! the same rules hold, generated for every operation of the declaration
//! (`store::api`):
//!
//! - the acting staff member is the session's (signed in here), never the
//!   caller's `actor`; a check-in, referral or goal change credited to
//!   someone else needs [`Permission::CreditOthers`] and is itself on the
//!   trail, and referrals, goals and a peer's episodes keep their history
//!   (`access_integrity.rs`);
//! - each operation needs the permission the declaration names, checked
//!   against the table in `model::permission`; a refusal says what and
//!   which roles may, and is on the audit trail;
//! - every read that returns identified peer data is on the trail before
//!   it is returned, coalesced to one entry per peer (or per listing) per
//!   session per [`COALESCE_WINDOW`];
//! - requests are bounded (batches, pages).
//!
//! On a store where nobody has a PIN yet ("open": the single-user set-up)
//! there is no one to check, so the table is not applied, but reads are
//! still audited and requests bounded.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{Permission, Role};
use crate::ops::auth::{self, admin_can_sign_in, hide_pin, staff_require_sign_in, Throttle};
#[allow(unused_imports)] // the types the declaration names
use crate::store::api::prelude::*;
use crate::store::api::{Identified, Identifies, Operation};
use crate::store::{Change, DenialKind, Store, StoreError, StoreResult};

/// The rules for staff credentials and supervision notes.
#[path = "access_credentials.rs"]
mod credentials;

/// The rules for who a record names as having done something, and for
/// records that keep their own history.
#[path = "access_integrity.rs"]
mod integrity;

/// How long repeated views of one peer (or one listing) by one session
/// make one audit entry.
pub const COALESCE_WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Most remembered views per session before old ones are forgotten.
const MAX_REMEMBERED: usize = 10_000;

/// The wall clock the coalescing reads, so tests can move time.
pub trait WallClock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemWallClock;

impl WallClock for SystemWallClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What a session has recorded recently, for coalescing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seen {
    /// Opened one peer.
    Peer(PeerId),
    /// A listing of these peers by this operation (hash of the peers).
    Listing(&'static str, u64),
    /// A refusal of this operation.
    Refused(&'static str),
}

#[derive(Default)]
struct State {
    signed_in: Option<StaffId>,
    seen: HashMap<Seen, DateTime<Utc>>,
    /// The session is the self sign-in kiosk (see [`Who::Kiosk`]).
    kiosk: bool,
    /// Wrong PINs in a row at the kiosk, and when the next try is allowed.
    kiosk_misses: u32,
    kiosk_wait_until: Option<DateTime<Utc>>,
}

/// Wrong PINs in a row at the kiosk before tries are slowed down.
const KIOSK_FREE_MISSES: u32 = 3;
/// The wait after each wrong PIN beyond the free ones, doubling.
const KIOSK_WAIT_SECS: i64 = 5;

/// How the kiosk appears on the audit trail (with the OS login that runs
/// it): as the kiosk, never as the staff member who started it.
pub const KIOSK_ACTOR: &str = "kiosk";

/// What leaves the kiosk on a store where nobody has a PIN (typed at the
/// kiosk's PIN field after Ctrl-x; written down only in docs/kiosk.md).
pub const KIOSK_LEAVE_PHRASE: &str = "leave kiosk";

/// Where a session runs.
enum Mode {
    /// A connection to `caseload serve`: PIN hashes never leave, sign-in is
    /// the server's (with its shared throttle), clients may report only
    /// their own events.
    Served,
    /// The store's own files, opened by this process: sign-in is checked
    /// here, and an admin may be set up without signing in while no admin
    /// can sign in (whoever opens the files could change them anyway).
    Local(Throttle),
}

/// Who is asking, for one request.
pub enum Who {
    /// No staff member has a PIN: nobody to check.
    Open,
    /// A signed-in, active staff member.
    Staff(Box<Record<Staff>>),
    /// Sign-in is required and this session has not.
    Nobody,
    /// The self sign-in kiosk: may only find one peer by what was typed
    /// and record their visit ([`Permission::kiosk`]), whoever started it.
    Kiosk,
}

/// A store as one session may use it.
pub struct Authorized<S> {
    inner: S,
    mode: Mode,
    login: String,
    clock: Arc<dyn WallClock>,
    state: Mutex<State>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The refusal for anything but signing in, asked by the kiosk.
pub fn kiosk_refusal(permission: Permission) -> StoreError {
    StoreError::Denied {
        reason: format!(
            "{} is not for the sign-in kiosk: a kiosk only signs peers in (a staff member's PIN leaves it)",
            permission.action()
        ),
        retry_after_secs: None,
        kind: DenialKind::Other,
    }
}

/// The refusal for a session that has not signed in.
pub fn not_signed_in() -> StoreError {
    StoreError::Denied {
        reason: "sign in first: staff on this store have PINs (give --staff NAME and the PIN in CASELOAD_PIN, or sign in on the sign-in screen)".into(),
        retry_after_secs: None,
        kind: DenialKind::Other,
    }
}

impl<S: Store> Authorized<S> {
    /// One connection of the server; `login` is the OS login the kernel
    /// reports for the client.
    pub fn served(inner: S, login: impl Into<String>) -> Self {
        Self::new(inner, Mode::Served, login.into())
    }

    /// This process on the store's own files, run by OS user `login`.
    pub fn local(inner: S, login: impl Into<String>) -> Self {
        Self::new(inner, Mode::Local(Throttle::default()), login.into())
    }

    fn new(inner: S, mode: Mode, login: String) -> Self {
        Authorized {
            inner,
            mode,
            login,
            clock: Arc::new(SystemWallClock),
            state: Mutex::new(State::default()),
        }
    }

    /// The same, reading time for coalescing from `clock` (tests).
    pub fn with_clock(mut self, clock: Arc<dyn WallClock>) -> Self {
        self.clock = clock;
        self
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Binds the session to `staff`, whose PIN the caller (the server)
    /// has just checked.
    pub fn enter_session(&self, staff: StaffId) {
        let mut st = lock(&self.state);
        st.signed_in = Some(staff);
        st.seen.clear();
    }

    /// The staff member this session signed in as, if it has.
    pub fn signed_in(&self) -> Option<StaffId> {
        lock(&self.state).signed_in
    }

    /// Ends the session's sign-in (a failed new sign-in, a lock).
    pub fn leave_session(&self) {
        lock(&self.state).signed_in = None;
    }

    fn served_mode(&self) -> bool {
        matches!(self.mode, Mode::Served)
    }

    /// Who the session is now: re-read every request, so a deactivated
    /// account stops at once.
    pub fn who(&self) -> StoreResult<Who> {
        let (signed_in, kiosk) = {
            let st = lock(&self.state);
            (st.signed_in, st.kiosk)
        };
        if kiosk {
            return Ok(Who::Kiosk);
        }
        if let Some(id) = signed_in {
            let rec = self.inner.staff(id)?;
            if rec.active {
                return Ok(Who::Staff(Box::new(rec)));
            }
            self.leave_session();
            return Err(StoreError::Denied {
                reason: format!(
                    "the account of {} was deactivated",
                    crate::text::escape_line(&rec.name)
                ),
                retry_after_secs: None,
                kind: DenialKind::Other,
            });
        }
        if staff_require_sign_in(&self.inner.list_staff()?) {
            Ok(Who::Nobody)
        } else {
            Ok(Who::Open)
        }
    }

    /// The actor a change or an audit entry is stamped with: the signed-in
    /// staff member and this session's login. On an open store, the staff
    /// member the caller names.
    fn actor(&self, who: &Who, claimed: Option<&Actor>) -> Actor {
        match (who, &self.mode) {
            (Who::Kiosk, _) => Actor::login(format!("{KIOSK_ACTOR} ({})", self.login)),
            (Who::Staff(rec), _) => Actor::staff(rec.id, self.login.clone()),
            (_, Mode::Local(_)) => claimed
                .cloned()
                .unwrap_or_else(|| Actor::login(self.login.clone())),
            (_, Mode::Served) => Actor::login(self.login.clone()),
        }
    }

    /// True (and remembered) if `key` was not recorded within the window.
    fn fresh(&self, key: &Seen) -> bool {
        let now = self.clock.now();
        let st = lock(&self.state);
        match st.seen.get(key) {
            Some(at) => now - *at >= COALESCE_WINDOW || now < *at,
            None => true,
        }
    }

    fn remember(&self, key: Seen) {
        let now = self.clock.now();
        let mut st = lock(&self.state);
        if st.seen.len() >= MAX_REMEMBERED {
            st.seen.retain(|_, at| now - *at < COALESCE_WINDOW);
        }
        st.seen.insert(key, now);
    }

    /// Records a refusal (coalesced) and returns the error.
    fn refuse<T>(
        &self,
        op: &'static str,
        who: &Who,
        err: StoreError,
        peer: Option<PeerId>,
    ) -> StoreResult<T> {
        let key = Seen::Refused(op);
        if self.fresh(&key) {
            let event = AuditEvent::Refused {
                operation: op.to_string(),
                reason: err.to_string(),
                peer,
            };
            match self.inner.record_event(event, &self.actor(who, None)) {
                Ok(()) => self.remember(key),
                Err(e) => tracing::warn!(error = %e, "could not record a refusal"),
            }
        }
        Err(err)
    }

    /// Refuses (audited) unless the session has `permission`.
    fn require_permission(
        &self,
        op: &'static str,
        who: &Who,
        permission: Permission,
        peer: Option<PeerId>,
    ) -> StoreResult<()> {
        match who {
            Who::Open => Ok(()),
            Who::Nobody if permission.before_sign_in() => Ok(()),
            Who::Nobody => self.refuse(op, who, not_signed_in(), peer),
            Who::Kiosk if permission.kiosk() => Ok(()),
            Who::Kiosk => self.refuse(op, who, kiosk_refusal(permission), peer),
            Who::Staff(rec) => match auth::require(rec, permission) {
                Ok(()) => Ok(()),
                Err(e) => self.refuse(op, who, e.into(), peer),
            },
        }
    }

    /// Refuses (audited) unless the session may run `op` per the table.
    fn require(&self, op: Operation, who: &Who) -> StoreResult<()> {
        self.require_permission(op.name(), who, op.permission(), None)
    }

    /// Records a read of identified peer data before it is returned.
    fn audit_read(&self, op: Operation, who: &Who, result: &impl Identifies) -> StoreResult<()> {
        if op.identified() == Identified::No {
            return Ok(());
        }
        let mut peers = result.peers();
        peers.sort();
        peers.dedup();
        if peers.is_empty() {
            return Ok(());
        }
        let actor = self.actor(who, None);
        if op.identified() == Identified::Peer {
            return self.record_views(&peers, &actor);
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        peers.hash(&mut h);
        let key = Seen::Listing(op.name(), h.finish());
        if self.fresh(&key) {
            let event = AuditEvent::Read {
                what: op.name().to_string(),
                peers,
            };
            self.inner.record_event(event, &actor)?;
            self.remember(key);
        }
        Ok(())
    }

    /// Records that the session opened each of `peers` not already
    /// recorded within the window: one entry per peer, all written in one
    /// transaction and one flush (a read naming many peers, such as a
    /// peer's group sessions with their attendees, costs one sync).
    fn record_views(&self, peers: &[PeerId], actor: &Actor) -> StoreResult<()> {
        let fresh: Vec<PeerId> = peers
            .iter()
            .copied()
            .filter(|p| self.fresh(&Seen::Peer(*p)))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        let events = fresh
            .iter()
            .map(|&peer| AuditEvent::Viewed { peer })
            .collect();
        self.inner.record_events(events, actor)?;
        for peer in fresh {
            self.remember(Seen::Peer(peer));
        }
        Ok(())
    }

    /// True while nobody can sign in as an admin on the store's own files:
    /// then an admin may be set up without signing in.
    fn setting_up_an_admin(&self, who: &Who) -> StoreResult<bool> {
        Ok(matches!(self.mode, Mode::Local(_))
            && matches!(who, Who::Nobody)
            && !admin_can_sign_in(&self.inner.list_staff()?))
    }

    fn hide(&self, mut rec: Record<Staff>) -> Record<Staff> {
        if self.served_mode() {
            hide_pin(&mut rec);
        }
        rec
    }

    fn guard_create_staff(
        &self,
        who: &Who,
        mut staff: Staff,
        actor: &Actor,
    ) -> StoreResult<Record<Staff>> {
        let op = Operation::CreateStaff;
        if !(self.setting_up_an_admin(who)? && staff.role == Role::Admin) {
            self.require(op, who)?;
        }
        match staff.pin_hash.as_deref() {
            None => {}
            Some(auth::HIDDEN_PIN) => staff.pin_hash = None,
            Some(_) => return self.refuse(op.name(), who, pin_hash_sent(), None),
        }
        let rec = self
            .inner
            .create_staff(staff, &self.actor(who, Some(actor)))?;
        Ok(self.hide(rec))
    }

    fn guard_update_staff(
        &self,
        who: &Who,
        staff: &Record<Staff>,
        actor: &Actor,
    ) -> StoreResult<Record<Staff>> {
        let op = Operation::UpdateStaff;
        let stored = self.inner.staff(staff.id)?;
        let mut staff = staff.clone();
        if staff.pin_hash.as_deref() == Some(auth::HIDDEN_PIN) {
            staff.pin_hash = stored.pin_hash.clone();
        }
        if staff.pin_hash != stored.pin_hash {
            return self.refuse(op.name(), who, pin_hash_sent(), None);
        }
        match who {
            Who::Staff(_) => {
                self.require(op, who)?;
                auth::keeps_an_admin(&self.inner.list_staff()?, &staff)?;
            }
            Who::Nobody => {
                let admin = stored.role == Role::Admin && staff.role == Role::Admin;
                if !(admin && self.setting_up_an_admin(who)?) {
                    self.require(op, who)?;
                }
            }
            Who::Open => {}
            Who::Kiosk => self.require(op, who)?,
        }
        let rec = self
            .inner
            .update_staff(&staff, &self.actor(who, Some(actor)))?;
        Ok(self.hide(rec))
    }

    /// Sets a PIN: one's own for anyone signed in, someone else's with
    /// [`Permission::ManageStaff`] (or, on the store's own files while no
    /// admin can sign in, an admin's without signing in, for the first
    /// set-up). The store checks the rules and hashes it.
    fn guard_set_pin(
        &self,
        who: &Who,
        staff: StaffId,
        pin: Pin,
        actor: &Actor,
    ) -> StoreResult<Record<Staff>> {
        let op = Operation::SetPin;
        match who {
            Who::Staff(me) if me.id == staff => {}
            Who::Nobody => {
                if !(self.setting_up_an_admin(who)? && self.inner.staff(staff)?.role == Role::Admin)
                {
                    self.require(op, who)?;
                }
            }
            _ => self.require(op, who)?,
        }
        let rec = self
            .inner
            .set_pin(staff, pin, &self.actor(who, Some(actor)))?;
        Ok(self.hide(rec))
    }

    fn guard_staff(&self, who: &Who, id: StaffId) -> StoreResult<Record<Staff>> {
        self.require(Operation::Staff, who)?;
        Ok(self.hide(self.inner.staff(id)?))
    }

    /// A peer's view carries their assigned staff member: without the PIN
    /// hash, as [`Store::staff`] answers.
    fn guard_peer_view(&self, who: &Who, id: PeerId, recent: usize) -> StoreResult<PeerView> {
        self.require(Operation::PeerView, who)?;
        let mut view = self.inner.peer_view(id, recent)?;
        view.assigned = view.assigned.map(|s| self.hide(s));
        Ok(view)
    }

    fn guard_list_staff(&self, who: &Who) -> StoreResult<Vec<Record<Staff>>> {
        self.require(Operation::ListStaff, who)?;
        let list = self.inner.list_staff()?;
        Ok(list.into_iter().map(|r| self.hide(r)).collect())
    }

    /// Refuses (audited, naming the `staff` field) a check-in credited to
    /// another staff member unless the role may; true if it is credited to
    /// someone else.
    fn check_credit(&self, op: Operation, who: &Who, c: &CheckIn) -> StoreResult<bool> {
        self.check_named(op, who, "staff", Some(c.staff), c.peer)
    }

    fn record_credit(&self, who: &Who, rec: &Record<CheckIn>) -> StoreResult<()> {
        self.record_credit_of(who, rec.id.to_string(), rec.peer, rec.staff)
    }

    fn guard_create_checkin(
        &self,
        who: &Who,
        checkin: CheckIn,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>> {
        let op = Operation::CreateCheckIn;
        self.require(op, who)?;
        self.refuse_voided(op, who, &checkin.voided, Some(checkin.peer))?;
        let credited = self.check_credit(op, who, &checkin)?;
        let rec = self
            .inner
            .create_checkin(checkin, &self.actor(who, Some(actor)))?;
        if credited {
            self.record_credit(who, &rec)?;
        }
        Ok(rec)
    }

    fn guard_create_checkins(
        &self,
        who: &Who,
        checkins: Vec<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        let op = Operation::CreateCheckIns;
        self.require(op, who)?;
        let mut credited = false;
        for c in &checkins {
            self.refuse_voided(op, who, &c.voided, Some(c.peer))?;
            credited |= self.check_credit(op, who, c)?;
        }
        let recs = self
            .inner
            .create_checkins(checkins, &self.actor(who, Some(actor)))?;
        if credited {
            for rec in &recs {
                if let Who::Staff(me) = who {
                    if rec.staff != me.id {
                        self.record_credit(who, rec)?;
                    }
                }
            }
        }
        Ok(recs)
    }

    fn guard_update_checkin(
        &self,
        who: &Who,
        checkin: &Record<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>> {
        let op = Operation::UpdateCheckIn;
        self.require(op, who)?;
        let stored = self.inner.checkin(checkin.id)?;
        self.check_own(op, who, &stored)?;
        let credited = stored.staff != checkin.staff && self.check_credit(op, who, checkin)?;
        let rec = self
            .inner
            .update_checkin(checkin, &self.actor(who, Some(actor)))?;
        if credited {
            self.record_credit(who, &rec)?;
        }
        Ok(rec)
    }

    /// A peer specialist corrects and voids their own check-ins; another
    /// staff member's needs [`Permission::CorrectOthers`].
    fn check_own(&self, op: Operation, who: &Who, stored: &Record<CheckIn>) -> StoreResult<()> {
        match who {
            Who::Staff(me) if stored.staff != me.id => self.require_permission(
                op.name(),
                who,
                Permission::CorrectOthers,
                Some(stored.peer),
            ),
            _ => Ok(()),
        }
    }

    fn guard_void_checkin(
        &self,
        who: &Who,
        id: CheckInId,
        reason: String,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>> {
        let op = Operation::VoidCheckIn;
        self.require(op, who)?;
        let stored = self.inner.checkin(id)?;
        self.check_own(op, who, &stored)?;
        self.inner
            .void_checkin(id, reason, &self.actor(who, Some(actor)))
    }

    fn guard_enter_kiosk(&self, who: &Who, station: String, actor: &Actor) -> StoreResult<()> {
        self.require(Operation::EnterKiosk, who)?;
        self.inner
            .enter_kiosk(station, &self.actor(who, Some(actor)))?;
        let mut st = lock(&self.state);
        st.kiosk = true;
        st.signed_in = None;
        st.kiosk_misses = 0;
        st.kiosk_wait_until = None;
        st.seen.clear();
        Ok(())
    }

    /// Leaves the kiosk with any active staff member's PIN (or, on a store
    /// where nobody has one, with none): the session becomes theirs.
    fn guard_leave_kiosk(
        &self,
        who: &Who,
        pin: Pin,
        _actor: &Actor,
    ) -> StoreResult<Option<Record<Staff>>> {
        let op = Operation::LeaveKiosk;
        if !matches!(who, Who::Kiosk) {
            self.require(op, who)?;
            return self.inner.leave_kiosk(pin, &self.actor(who, None));
        }
        let now = self.clock.now();
        if let Some(until) = lock(&self.state).kiosk_wait_until {
            if now < until {
                let secs = (until - now).num_seconds().max(1);
                return Err(StoreError::Denied {
                    reason: format!("too many wrong PINs at the kiosk; try again in {secs} s"),
                    retry_after_secs: Some(secs as u64),
                    kind: DenialKind::TooManyTries,
                });
            }
        }
        let staff = self.inner.list_staff()?;
        let leave = |st: Option<&Record<Staff>>| -> StoreResult<Option<Record<Staff>>> {
            let kiosk_actor = self.actor(who, None);
            self.inner.record_event(
                AuditEvent::KioskLeft {
                    staff: st.map(|s| s.id),
                },
                &kiosk_actor,
            )?;
            let mut state = lock(&self.state);
            state.kiosk = false;
            state.kiosk_misses = 0;
            state.kiosk_wait_until = None;
            state.seen.clear();
            state.signed_in = st.map(|s| s.id);
            drop(state);
            if let Some(s) = st {
                self.inner.record_event(
                    AuditEvent::SignedIn { staff: s.id },
                    &Actor::staff(s.id, self.login.clone()),
                )?;
            }
            Ok(st.map(|s| self.hide(s.clone())))
        };
        if !staff_require_sign_in(&staff) && pin.0.trim() == KIOSK_LEAVE_PHRASE {
            return leave(None);
        }
        let matched = {
            let _slot = crate::ops::throttle::check_slot(crate::ops::throttle::CHECK_QUEUE_WAIT);
            staff.iter().find(|s| {
                s.active
                    && s.pin_hash
                        .as_deref()
                        .is_some_and(|h| auth::usable_hash(h) && auth::pin_matches(h, &pin.0))
            })
        };
        match matched {
            Some(s) => leave(Some(s)),
            None => {
                let mut st = lock(&self.state);
                st.kiosk_misses += 1;
                if st.kiosk_misses > KIOSK_FREE_MISSES {
                    let extra = (st.kiosk_misses - KIOSK_FREE_MISSES - 1).min(6);
                    st.kiosk_wait_until = Some(now + TimeDelta::seconds(KIOSK_WAIT_SECS << extra));
                }
                drop(st);
                self.refuse(
                    op.name(),
                    who,
                    StoreError::Denied {
                        reason: "that is not a staff PIN; the kiosk stays on".into(),
                        retry_after_secs: None,
                        kind: DenialKind::WrongPin,
                    },
                    None,
                )
            }
        }
    }

    /// Several views at once (the only events taken in a batch), coalesced
    /// like single ones and written in one flush.
    fn guard_record_events(
        &self,
        who: &Who,
        events: Vec<AuditEvent>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let op = Operation::RecordEvents;
        self.require(op, who)?;
        let mut peers = Vec::with_capacity(events.len());
        for event in &events {
            match event {
                AuditEvent::Viewed { peer } => peers.push(*peer),
                other => return self.refuse(op.name(), who, views_only(other), None),
            }
        }
        peers.sort();
        peers.dedup();
        self.record_views(&peers, &self.actor(who, Some(actor)))
    }

    /// True while the session is the kiosk.
    pub fn is_kiosk(&self) -> bool {
        lock(&self.state).kiosk
    }

    fn guard_record_event(&self, who: &Who, event: AuditEvent, actor: &Actor) -> StoreResult<()> {
        let op = Operation::RecordEvent;
        self.require(op, who)?;
        if !event.reportable_by_client() {
            return self.refuse(
                op.name(),
                who,
                StoreError::Denied {
                    reason: format!(
                        "only the server records \"{event}\"; a client may report opening records, locking, signing out and exporting"
                    ),
                    retry_after_secs: None,
        kind: DenialKind::Other,
                },
                None,
            );
        }
        let actor = self.actor(who, Some(actor));
        match event {
            AuditEvent::Exported { .. } => {
                self.require_permission("export", who, Permission::Export, None)?;
                self.inner.record_event(event, &actor)
            }
            // The UI records before it shows; the reads that follow (or
            // came first) make no second entry.
            AuditEvent::Viewed { peer } => self.record_views(&[peer], &actor),
            AuditEvent::Locked | AuditEvent::SignedOut => {
                self.inner.record_event(event, &actor)?;
                self.leave_session();
                Ok(())
            }
            other => self.inner.record_event(other, &actor),
        }
    }
}

/// The refusal of a batch of events with anything but views in it.
fn views_only(event: &AuditEvent) -> StoreError {
    StoreError::Denied {
        reason: format!(
            "record_events takes views of peers' records only, not \"{}\"; report other events one at a time (record_event)",
            crate::text::escape_line(&event.to_string())
        ),
        retry_after_secs: None,
        kind: DenialKind::Other,
    }
}

/// The refusal of a staff record that carries a PIN hash of its own: PINs
/// are set with `set_pin`, which checks their rules and hashes them here.
fn pin_hash_sent() -> StoreError {
    StoreError::Refused(
        "a PIN is set on its own (caseload staff pin, or Set PIN on the Staff screen), never by sending its hash; send the staff record with its PIN unchanged".into(),
    )
}

/// The authorizing impl, generated for every operation of the declaration:
/// who is asking, the bounds, the permission (or the operation's own
/// rule), the call with the session's actor, the read audit.
macro_rules! define_authorized {
    ($(
        $(#[$m:meta])*
        $Variant:ident $name:ident ( $( $mode:ident $arg:ident : $ty:ty ),* ) $( by $actor:ident )? -> $ret:ty
            => $class:ident, $perm:ident, $ident:ident, [ $( $bound:ident $barg:ident ),* ], [ $( $custom:ident )? ];
    )*) => {
        impl<S: Store> Store for Authorized<S> {
            fn location(&self) -> String {
                self.inner.location()
            }

            $(
                #[allow(unused_mut)]
                fn $name(&self $(, mut $arg: $crate::store::api::arg_ty!($mode $ty))* $(, $actor: &Actor)?) -> StoreResult<$ret> {
                    let op = Operation::$Variant;
                    let who = self.who()?;
                    $( define_authorized!(@bound $bound $barg op); )*
                    let result = define_authorized!(@body [$($custom)?] self, who, op, $name ( $( $arg ),* ) [ $( $actor )? ]);
                    self.audit_read(op, &who, &result)?;
                    Ok(result)
                }
            )*

            fn subscribe(&self) -> Option<Receiver<Change>> {
                self.inner.subscribe()
            }

            fn sign_in(&self, staff: StaffId, pin: &str) -> StoreResult<Option<Record<Staff>>> {
                if self.is_kiosk() {
                    return Err(kiosk_refusal(Permission::SeeSignIn));
                }
                let Mode::Local(throttle) = &self.mode else {
                    return Err(StoreError::Refused(
                        "a served session signs in through its connection".into(),
                    ));
                };
                self.leave_session();
                let rec = auth::verify_pin(&self.inner, throttle, staff, pin, &self.login)?;
                self.enter_session(rec.id);
                Ok(Some(rec))
            }
        }
    };
    (@bound cap $a:ident $op:ident) => {
        $crate::store::api::cap(&mut $a)
    };
    (@bound batch $a:ident $op:ident) => {
        $crate::store::api::batch(&$a, $op.name())?
    };
    (@body [] $s:ident, $who:ident, $op:ident, $name:ident ( $( $arg:ident ),* ) [ $( $actor:ident )? ]) => {{
        $s.require($op, &$who)?;
        $s.inner.$name($( $arg, )* $( &$s.actor(&$who, Some($actor)) )?)?
    }};
    (@body [$custom:ident] $s:ident, $who:ident, $op:ident, $name:ident ( $( $arg:ident ),* ) [ $( $actor:ident )? ]) => {{
        let _ = $op;
        $s.$custom(&$who, $( $arg, )* $( $actor )?)?
    }};
}

crate::store::api::store_api!(define_authorized);

/// The authorizing layer over an already shared store, as the CLI and UI
/// hold it.
pub type LocalStore = Authorized<Arc<dyn Store>>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::store::SledStore;

    /// A wall clock the test moves by hand.
    struct ManualWallClock(Mutex<DateTime<Utc>>);

    impl WallClock for ManualWallClock {
        fn now(&self) -> DateTime<Utc> {
            *lock(&self.0)
        }
    }

    fn store_with_pins() -> (tempfile::TempDir, StaffId, StaffId) {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let setup = Actor::login("setup");
        let mut ids = Vec::new();
        for (name, role, pin) in [
            ("Ana Admin", Role::Admin, "1111"),
            ("Pat Peer", Role::PeerSpecialist, "3333"),
        ] {
            let mut s = Staff::new(name, role);
            s.pin_hash = Some(auth::hash_pin(pin).unwrap());
            ids.push(store.create_staff(s, &setup).unwrap().id);
        }
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        store.create_peer(Peer::new("Dana", day), &setup).unwrap();
        (dir, ids[0], ids[1])
    }

    fn views(store: &SledStore, peer: PeerId) -> usize {
        store
            .audit(&AuditFilter::default())
            .unwrap()
            .iter()
            .filter(|e| e.event == AuditEvent::Viewed { peer })
            .count()
    }

    #[test]
    fn views_of_one_peer_by_one_session_coalesce_within_the_window() {
        let (dir, _admin, pat) = store_with_pins();
        let start = Utc::now();
        let clock = Arc::new(ManualWallClock(Mutex::new(start)));
        let store = SledStore::open(dir.path()).unwrap();
        let a = Authorized::local(&store, "pat").with_clock(clock.clone());
        let p = PeerId::new(1);
        assert!(a.peer(p).is_err(), "not signed in");
        a.sign_in(pat, "3333").unwrap().expect("a session");
        a.peer(p).unwrap();
        a.record_event(AuditEvent::Viewed { peer: p }, &Actor::login("x"))
            .unwrap();
        a.goals_for_peer(p).unwrap();
        assert_eq!(views(&store, p), 1, "one entry for three looks");
        *lock(&clock.0) = start + COALESCE_WINDOW - TimeDelta::seconds(1);
        a.peer(p).unwrap();
        assert_eq!(views(&store, p), 1, "still inside the window");
        *lock(&clock.0) = start + COALESCE_WINDOW;
        a.peer(p).unwrap();
        assert_eq!(views(&store, p), 2, "a new window, a new entry");
        // Another session is another trail line.
        let b = Authorized::local(&store, "pat").with_clock(clock.clone());
        b.sign_in(pat, "3333").unwrap();
        b.peer(p).unwrap();
        assert_eq!(views(&store, p), 3);
        // The entries carry the session's staff member, not the caller's.
        let log = store.audit(&AuditFilter::default()).unwrap();
        assert!(log
            .iter()
            .filter(|e| e.event == AuditEvent::Viewed { peer: p })
            .all(|e| e.actor == Actor::staff(pat, "pat")));
    }

    #[test]
    fn locking_ends_the_local_session_and_refusals_are_on_the_trail() {
        let (dir, _admin, pat) = store_with_pins();
        let store = SledStore::open(dir.path()).unwrap();
        let a = Authorized::local(&store, "pat");
        a.sign_in(pat, "3333").unwrap();
        let err = a.checkins_page(None, 10).unwrap_err();
        assert!(
            err.to_string()
                .contains("listing every check-in note is for supervisor and admin only"),
            "{err}"
        );
        let claimed_admin = Actor::staff(StaffId::new(1), "liar");
        let made = a
            .create_peer(Peer::new("Eli", chrono::NaiveDate::MIN), &claimed_admin)
            .unwrap();
        assert_eq!(made.meta.created_by, Actor::staff(pat, "pat"));
        a.record_event(AuditEvent::Locked, &claimed_admin).unwrap();
        assert!(a
            .list_peers()
            .unwrap_err()
            .to_string()
            .contains("sign in first"));
        let log = store.audit(&AuditFilter::default()).unwrap();
        assert!(log.iter().any(|e| e.actor.staff == Some(pat)
            && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "checkins_page")));
        assert!(log.iter().any(|e| e.actor.staff.is_none()
            && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "list_peers")));
        // Pages are capped whoever asks.
        let mut n = 5_000;
        crate::store::api::cap(&mut n);
        assert_eq!(n, crate::store::MAX_PAGE);
    }

    #[test]
    fn an_open_store_has_nobody_to_check_but_reads_are_still_audited() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let a = Authorized::local(&store, "solo");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let p = a
            .create_peer(Peer::new("Dana", day), &Actor::login("solo"))
            .unwrap();
        a.list_peers().unwrap();
        a.list_peers().unwrap();
        let log = store.audit(&AuditFilter::default()).unwrap();
        let listed = log
            .iter()
            .filter(|e| matches!(&e.event, AuditEvent::Read { what, peers } if what == "list_peers" && *peers == vec![p.id]))
            .count();
        assert_eq!(listed, 1, "an identical listing coalesces");
        assert_eq!(log[0].peers, vec![p.id], "filed under the peer");
    }
}
