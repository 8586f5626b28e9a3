//! The store side of signing in, locking, the audit browser and live
//! updates: what the worker thread does for the access requests.
//!
//! Kept apart from the loads in `worker.rs` because these carry the rules
//! that make every access accountable: a peer's record is recorded as
//! opened *before* it is loaded (no entry, no record), PINs are checked
//! with one [`Throttle`] for the life of the UI, and the audit trail is
//! read only for supervisors and admins.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::model::dates::{parse_date, Direction};
use crate::model::{Actor, PeerId, Role, StaffId};
use crate::ops::auth::{self, require, AuthError, Permission, Throttle};
use crate::ops::lookup::{acting_staff_among, resolve_peer, resolve_staff};
use crate::ops::os_login;
use crate::store::{AuditEntry, AuditEvent, AuditFilter, Store};

use super::{peer_detail, PeerDetail, Response, StaffRow};

/// Most audit entries the browser loads at once (newest first); filters
/// narrow it further.
pub const AUDIT_LIMIT: usize = 500;

/// A PIN on its way to the worker. `Debug` never shows it, so no log line,
/// panic message or test failure can carry a PIN.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a PIN.
    pub fn new(pin: String) -> Secret {
        Secret(pin)
    }

    /// The PIN, for the one place that checks it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

/// A staff member the sign-in screen offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInCandidate {
    /// Who.
    pub staff: StaffRow,
    /// Their role (decides the audit browser).
    pub role: Role,
    /// A PIN is set (only these can sign in once sign-in is required).
    pub has_pin: bool,
}

/// What the UI needs to know before it shows anything: whether staff must
/// sign in, who may, and who this terminal's user probably is. Holds
/// nothing about peers, so it is safe to read before anyone signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessInfo {
    /// Some active staff member has a PIN: everyone signs in.
    pub required: bool,
    /// Active staff, by name.
    pub staff: Vec<SignInCandidate>,
    /// Who `--staff`, the OS login mapping or "the only staff member" points
    /// at: preselected, so the name step is skipped.
    pub preselect: Option<StaffId>,
    /// Why `--staff` named nobody, if it did.
    pub preselect_problem: Option<String>,
    /// `store.location()`.
    pub location: String,
    /// The organization's name, for the title bar.
    pub organization: String,
    /// When the caseload opens at once ([`AccessInfo::opens_at_once`]),
    /// what [`super::Request::Init`] would answer for that session, from
    /// the same reads: starting reads the staff list and the settings
    /// once, not once for this and again for Init.
    pub opening: Option<Opening>,
}

impl AccessInfo {
    /// True when the caseload opens without a sign-in screen: nobody has a
    /// PIN, and who is working is clear (preselected, or no staff yet:
    /// the first-run set-up).
    pub fn opens_at_once(&self) -> bool {
        !self.required && (self.preselected().is_some() || self.staff.is_empty())
    }

    /// The preselected staff member, if they are one of the candidates.
    pub fn preselected(&self) -> Option<&SignInCandidate> {
        self.preselect
            .and_then(|id| self.staff.iter().find(|c| c.staff.id == id))
    }
}

/// What [`super::Request::Init`] answers for a session, worked out with
/// [`super::Request::Access`] (see [`AccessInfo::opening`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// The staff text Init would be asked with: the preselected member's
    /// id, else `--staff`. The app uses this answer only when it would ask
    /// Init with the same text.
    pub named: Option<String>,
    /// The acting staff member, or why none could be chosen.
    pub staff: Result<StaffRow, String>,
    /// Every staff member, for filters and initials.
    pub staff_list: Vec<StaffRow>,
}

/// Why a sign-in was refused, in words fit for a shared screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRefusal {
    /// "Wrong PIN." and the like; never the PIN, never a hash.
    pub message: String,
    /// Wait this long before the next try (too many wrong PINs).
    pub retry_after: Option<Duration>,
}

/// The audit browser's filters as typed (resolved by the worker).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// A peer id or name; empty for every peer.
    pub peer: String,
    /// A staff name, initials or id; empty for everyone.
    pub staff: String,
    /// A day (`2026-11-01`, `yesterday`, `-7d`); empty for all time.
    pub since: String,
}

/// One page of the audit trail for the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// Newest first, at most [`AUDIT_LIMIT`].
    pub entries: Vec<AuditEntry>,
    /// Every staff member, for the "who" column.
    pub staff: Vec<StaffRow>,
    /// The filters as understood ("peer P12 · staff S2 · since 2026-11-01").
    pub understood: String,
    /// True when there may be more than were loaded.
    pub truncated: bool,
}

/// What the worker keeps between requests: one throttle for the life of
/// the UI, so wrong PINs slow down across tries, and this user's login.
pub struct WorkerState {
    /// Wrong PINs per staff member.
    pub throttle: Throttle,
    /// The operating-system login, recorded with every sign-in.
    pub login: String,
}

impl Default for WorkerState {
    fn default() -> Self {
        WorkerState {
            throttle: Throttle::default(),
            login: os_login(),
        }
    }
}

/// Everything the sign-in screen needs.
pub(super) fn access_info(store: &dyn Store, named: Option<&str>) -> Result<AccessInfo, String> {
    let list = store.list_staff().map_err(|e| e.to_string())?;
    let required = auth::staff_require_sign_in(&list);
    let mut staff: Vec<SignInCandidate> = list
        .iter()
        .filter(|s| s.active)
        .map(|s| SignInCandidate {
            staff: StaffRow::from(s),
            role: s.role,
            has_pin: s.pin_hash.is_some(),
        })
        .collect();
    staff.sort_by_cached_key(|c| c.staff.name.to_lowercase());
    let (preselect, preselect_problem) = match acting_staff_among(list.clone(), named) {
        Ok(s) if s.active => (Some(s.id), None),
        Ok(s) => (
            None,
            Some(format!(
                "{} is inactive; pick your own name",
                crate::text::escape_line(&s.name)
            )),
        ),
        Err(e) if named.is_some_and(|n| !n.trim().is_empty()) => {
            (None, Some(format!("--staff: {e}")))
        }
        Err(_) => (None, None),
    };
    let mut info = AccessInfo {
        required,
        staff,
        preselect,
        preselect_problem,
        location: String::new(),
        organization: String::new(),
        opening: None,
    };
    if info.opens_at_once() {
        // The session opens as soon as this is answered, and subscribes to
        // notices then: the store may start on that connection now.
        store.prepare_subscribe();
        // Who the session is for, as `app::access` would ask Init.
        let named = preselect
            .map(|id| id.to_string())
            .or_else(|| named.map(str::to_string));
        info.opening = Some(Opening {
            staff: super::acting_row(&list, named.as_deref()),
            staff_list: list.iter().map(StaffRow::from).collect(),
            named,
        });
    }
    info.location = store.location();
    info.organization = store
        .settings()
        .map(|s| s.organization_name)
        .unwrap_or_default();
    Ok(info)
}

/// Checks a PIN (here, or through the server when the store is one).
pub(super) fn sign_in(
    state: &WorkerState,
    store: &dyn Store,
    staff: StaffId,
    pin: &Secret,
) -> Result<(), SignInRefusal> {
    match auth::sign_in(store, &state.throttle, staff, pin.expose(), &state.login) {
        Ok(_) => Ok(()),
        Err(e) => {
            let retry_after = e.retry_after();
            let message = match (&e, retry_after) {
                (_, Some(wait)) => format!(
                    "Too many wrong PINs. Try again in {} s.",
                    wait.as_secs().max(1)
                ),
                (AuthError::WrongPin { .. }, None) => "Wrong PIN. Try again.".to_string(),
                (
                    AuthError::Store(crate::store::StoreError::Denied {
                        kind: crate::store::DenialKind::WrongPin,
                        ..
                    }),
                    None,
                ) => "Wrong PIN. Try again.".to_string(),
                (other, None) => other.to_string(),
            };
            Err(SignInRefusal {
                message,
                retry_after,
            })
        }
    }
}

/// Records that `actor` opened the peer's record, then loads it. If the
/// audit trail cannot record the opening, the record is not loaded.
pub(super) fn open_peer(
    store: &dyn Store,
    id: PeerId,
    actor: &Actor,
) -> Result<Box<PeerDetail>, String> {
    if let Err(e) = store.record_event(AuditEvent::Viewed { peer: id }, actor) {
        tracing::warn!("not showing {id}: recording the opening failed: {e}");
        return Err(format!(
            "not shown: the audit trail could not record that you opened this record ({e})"
        ));
    }
    peer_detail(store, id)
}

/// The audit trail for the browser, for supervisors and admins only.
pub(super) fn audit_page(
    store: &dyn Store,
    query: &AuditQuery,
    viewer: Option<StaffId>,
    now: DateTime<FixedOffset>,
) -> Result<AuditPage, String> {
    let Some(viewer) = viewer else {
        return Err(not_allowed());
    };
    let me = store.staff(viewer).map_err(|e| e.to_string())?;
    if require(&me, Permission::ReadAudit).is_err() {
        return Err(not_allowed());
    }
    let mut filter = AuditFilter {
        limit: Some(AUDIT_LIMIT + 1),
        ..AuditFilter::default()
    };
    let mut understood = Vec::new();
    if !query.peer.trim().is_empty() {
        let p = resolve_peer(store, query.peer.trim()).map_err(|e| format!("peer: {e}"))?;
        filter.peer = Some(p.id);
        understood.push(format!("peer {}", p.id));
    }
    if !query.staff.trim().is_empty() {
        let s = resolve_staff(store, query.staff.trim()).map_err(|e| format!("staff: {e}"))?;
        filter.staff = Some(s.id);
        understood.push(format!("staff {} {}", s.id, s.initials));
    }
    if !query.since.trim().is_empty() {
        let day = parse_date(
            "since",
            query.since.trim(),
            now.date_naive(),
            Direction::Past,
        )
        .map_err(|e| e.to_string())?;
        filter.since = Some(crate::model::dates::CENTER.start_of_day(day));
        understood.push(format!("since {day}"));
    }
    let mut entries = store.audit(&filter).map_err(|e| e.to_string())?;
    let truncated = entries.len() > AUDIT_LIMIT;
    entries.truncate(AUDIT_LIMIT);
    let staff = store
        .list_staff()
        .map(|l| l.iter().map(StaffRow::from).collect())
        .unwrap_or_default();
    Ok(AuditPage {
        entries,
        staff,
        understood: if understood.is_empty() {
            "everything".to_string()
        } else {
            understood.join(" · ")
        },
        truncated,
    })
}

/// The refusal the browser shows to anyone without `ReadAudit`.
pub fn not_allowed() -> String {
    "only supervisors and admins can read the audit log".to_string()
}

/// The reply function shared by the worker and the notice thread.
pub(super) type Reply = Arc<dyn Fn(Response) -> bool + Send + Sync>;

/// Subscribes to change notices and forwards each one as
/// [`Response::Change`] from a thread of its own (a subscriber that is
/// not drained would hold writers up), ending with
/// [`Response::NoticesStopped`] when the store stops sending.
pub(super) fn subscribe(store: &dyn Store, reply: &Reply) -> Response {
    let Some(rx) = store.subscribe() else {
        return Response::Subscribed(false);
    };
    let reply = Arc::clone(reply);
    let started = thread::Builder::new()
        .name("caseload-ui-notices".into())
        .spawn(move || {
            for change in rx {
                if !reply(Response::Change(change)) {
                    return;
                }
            }
            let _ = reply(Response::NoticesStopped);
        });
    match started {
        Ok(_) => Response::Subscribed(true),
        Err(e) => {
            tracing::warn!("cannot start the notice thread: {e}");
            Response::Subscribed(false)
        }
    }
}
