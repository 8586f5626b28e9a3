//! The store worker: the only thread of the UI that calls the store.
//!
//! Input handling never waits for the disk: the app queues [`Request`]s,
//! the runtime hands them to this thread, and results come back as
//! [`Response`] events. A save is reported only after the store returned
//! Ok, which for `SledStore` means after the flush.
//!
//! Sign-in, the audit trail, recording that a record was opened and
//! change notices are in `worker/access.rs`; once subscribed, a thread of
//! its own forwards notices through the same reply function.

mod access;
mod failure;

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::model::today::TodayReport;
use crate::model::{Actor, CheckIn, Goal, GroupId, PeerId, PeerStatus, Record, Staff, StaffId};
use crate::ops::lookup::{acting_staff, acting_staff_among};
use crate::ops::peer::{peer_overview, PeerOverview};
use crate::store::{AuditEvent, Change, Store};

pub use access::{
    not_allowed, AccessInfo, AuditPage, AuditQuery, Opening, Secret, SignInCandidate,
    SignInRefusal, WorkerState, AUDIT_LIMIT,
};

pub use failure::Failure;
pub mod center;
pub mod consents;
pub mod credentials;
pub mod frontdesk;
pub mod groups;
pub mod import;
pub mod plan;
pub mod referral;
pub mod reports;
pub mod undo;

use groups::{GroupsRequest, GroupsResponse};
use plan::{PlanRequest, PlanResponse};

/// One peer on the roster, with what the list shows and filters by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The peer.
    pub id: PeerId,
    /// Display name, raw (escaped when drawn).
    pub name: String,
    /// Active, inactive or discharged.
    pub status: PeerStatus,
    /// Assigned staff member.
    pub assigned: Option<StaffId>,
    /// Day of the newest check-in.
    pub last_contact: Option<NaiveDate>,
    /// What else finds them in a search: id, phone digits, tags.
    pub keys: crate::search::SearchKeys,
}

/// A staff member as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// Their id.
    pub id: StaffId,
    /// Full name, raw.
    pub name: String,
    /// Initials, raw.
    pub initials: String,
    /// Still working here.
    pub active: bool,
}

impl From<&Record<Staff>> for StaffRow {
    fn from(s: &Record<Staff>) -> Self {
        StaffRow {
            id: s.id,
            name: s.name.clone(),
            initials: s.initials.clone(),
            active: s.active,
        }
    }
}

/// Everything the peer screen shows.
#[derive(Debug, Clone)]
pub struct PeerDetail {
    /// Profile, goals, recent check-ins, follow-up, sessions.
    pub overview: PeerOverview,
    /// Group names for the attendance summary.
    pub group_names: HashMap<GroupId, String>,
    /// Staff initials for check-in lines.
    pub staff_initials: HashMap<StaffId, String>,
    /// Consents to share, by id (the Consents tab).
    pub consents: Vec<Record<crate::model::Consent>>,
    /// Disclosures made under them, oldest first.
    pub disclosures: Vec<Record<crate::model::Disclosure>>,
    /// The peer's assessments (BARC-10 and others), oldest first.
    pub assessments: Vec<Record<crate::model::Assessment>>,
    /// The instruments in use, for the Assessments tab and taking one.
    pub instruments: crate::model::instrument::Instruments,
    /// Drop-in visits, newest first (a visit is not a check-in).
    pub visits: Vec<Record<crate::model::Visit>>,
}

/// Work for the store thread.
#[derive(Debug, Clone)]
pub enum Request {
    /// Who is working, where the store is, the staff list.
    Init {
        /// `--staff`, if given.
        staff: Option<String>,
    },
    /// The Today report.
    Today {
        /// The day.
        date: NaiveDate,
        /// Only this staff member's peers.
        for_staff: Option<StaffId>,
    },
    /// The roster.
    Roster,
    /// One peer's overview.
    Peer(PeerId),
    /// A peer's active goals, for the check-in form.
    Goals(PeerId),
    /// Save a check-in.
    SaveCheckIn {
        /// The check-in.
        checkin: CheckIn,
        /// Who saves it.
        actor: Actor,
        /// The user said yes to saving it although it is dated in the
        /// future or the peer is not active (unset: such a check-in is
        /// answered with [`Response::NeedsConfirmation`], not saved).
        confirmed: bool,
    },
    /// Work for the plan, timeline and wellness-plan tabs.
    Plan(PlanRequest),
    /// Work for the Groups screen.
    Groups(GroupsRequest),
    /// Work for the peer page's Consents tab (revoking).
    Consent(consents::ConsentRequest),
    /// Work for the Credentials screen.
    Credentials(credentials::CredentialsRequest),
    /// Read and check a roster file (the import's dry run).
    ImportPlan {
        /// The file.
        path: std::path::PathBuf,
        /// Default intake day.
        today: NaiveDate,
    },
    /// Write an import's checked rows.
    ImportApply {
        /// The dry run the user confirmed.
        plan: Box<crate::ops::import_peers::ImportPlan>,
        /// Who imports them.
        actor: Actor,
    },
    /// The service report for the Reports screen.
    Report {
        /// The period.
        period: crate::model::report::Period,
        /// Only this staff member's work, or everyone's.
        staff: Option<StaffId>,
    },
    /// Whether staff must sign in, and who may (nothing about peers).
    Access {
        /// `--staff`, if given.
        staff: Option<String>,
    },
    /// Check a staff member's PIN.
    SignIn {
        /// Who.
        staff: StaffId,
        /// The PIN (never shown by `Debug`).
        pin: Secret,
    },
    /// Append an event about this session (locking) to the audit trail.
    RecordEvent {
        /// What happened.
        event: AuditEvent,
        /// Who.
        actor: Actor,
    },
    /// Open a peer's record: recorded as viewed first, then loaded
    /// (answered with [`Response::Peer`]). Reloads of a page already open
    /// use [`Request::Peer`].
    OpenPeer {
        /// The peer.
        id: PeerId,
        /// Who opens it.
        actor: Actor,
    },
    /// A page of the audit trail (supervisors and admins).
    Audit {
        /// The filters as typed.
        query: AuditQuery,
        /// Who asks (their role is checked).
        viewer: Option<StaffId>,
        /// Now, for "since yesterday" and the day boundaries.
        now: DateTime<FixedOffset>,
    },
    /// Start forwarding change notices ([`Response::Change`]).
    Subscribe,
    /// Work for resources, referrals and the take-home card.
    Referral(referral::ReferralRequest),
    /// Save an assessment taken on the assessment screen.
    SaveAssessment {
        /// The answers, scored.
        assessment: crate::model::Assessment,
        /// Who sat with the peer.
        actor: Actor,
    },
    /// Who signed in on a day, and the pending intakes ("here now").
    HereNow {
        /// The day.
        date: NaiveDate,
    },
    /// Set-up, staff and roster changes (`worker/center.rs`).
    Center(center::CenterRequest),
    /// Every version of a check-in, oldest first (its full view).
    CheckInHistory(crate::model::CheckInId),
    /// Correct a saved check-in.
    EditCheckIn {
        /// Which.
        id: crate::model::CheckInId,
        /// The fields that change.
        correction: Box<crate::ops::checkin::Correction>,
        /// Who corrects it.
        actor: Actor,
    },
    /// Void a saved check-in with the reason.
    VoidCheckIn {
        /// Which.
        id: crate::model::CheckInId,
        /// Why.
        reason: String,
        /// Who voids it.
        actor: Actor,
    },
    /// Undo a change this session made (`ops::undo`).
    Undo {
        /// The change, from the session's journal.
        change: Box<crate::ops::undo::Undoable>,
        /// Who undoes it.
        actor: Actor,
    },
}

/// What the store thread found or did. Errors are user-facing sentences.
#[derive(Debug, Clone)]
pub enum Response {
    /// Answer to [`Request::Init`].
    Ready {
        /// `store.location()`.
        location: String,
        /// Organization name from the settings.
        organization: String,
        /// The acting staff member, or why none could be chosen.
        staff: Result<StaffRow, String>,
        /// Every staff member, for filters and initials.
        staff_list: Vec<StaffRow>,
    },
    /// Answer to [`Request::Today`].
    Today(Result<TodayReport, String>),
    /// Answer to [`Request::Roster`].
    Roster(Result<Vec<RosterRow>, String>),
    /// Answer to [`Request::Peer`].
    Peer(PeerId, Result<Box<PeerDetail>, String>),
    /// Answer to [`Request::Goals`].
    Goals(PeerId, Result<Vec<Record<Goal>>, String>),
    /// Answer to [`Request::SaveCheckIn`]: Ok only once it is on disk.
    Saved(Result<Record<CheckIn>, Failure>),
    /// Answer to [`Request::Plan`].
    Plan(Box<PlanResponse>),
    /// Answer to [`Request::Groups`].
    Groups(Box<GroupsResponse>),
    /// Answer to [`Request::Consent`].
    Consent(Box<consents::ConsentResponse>),
    /// Answer to [`Request::Credentials`].
    Credentials(Box<credentials::CredentialsResponse>),
    /// Answer to [`Request::ImportPlan`].
    ImportPlan(Box<Result<crate::ops::import_peers::ImportPlan, Failure>>),
    /// Answer to [`Request::ImportApply`].
    Imported(Result<crate::ops::import_peers::ImportOutcome, Failure>),
    /// Answer to [`Request::Report`] (matched to its request by id).
    Report(Box<Result<crate::model::report::ServiceReport, Failure>>),
    /// Answer to [`Request::Access`].
    Access(Result<AccessInfo, String>),
    /// Answer to [`Request::SignIn`].
    SignedIn {
        /// Who tried.
        staff: StaffId,
        /// Signed in, or why not.
        result: Result<(), SignInRefusal>,
    },
    /// Answer to [`Request::RecordEvent`].
    Recorded(Result<(), String>),
    /// Answer to [`Request::Audit`].
    Audit(Result<Box<AuditPage>, String>),
    /// Answer to [`Request::Subscribe`]: true when notices will come.
    Subscribed(bool),
    /// A record was saved or deleted, here or in another session.
    Change(Change),
    /// The store stopped sending notices (the server went away for long).
    NoticesStopped,
    /// Answer to [`Request::Referral`].
    Referral(Box<referral::ReferralResponse>),
    /// Answer to [`Request::SaveAssessment`]: Ok only once it is on disk.
    AssessmentSaved(Result<Record<crate::model::Assessment>, Failure>),
    /// Answer to [`Request::HereNow`] (matched to its request by id).
    HereNow(Box<Result<frontdesk::HereNowAnswer, String>>),
    /// Answer to [`Request::Center`].
    Center(Box<center::CenterResponse>),
    /// Answer to [`Request::SaveCheckIn`] when it must be confirmed first:
    /// why (each "at: … is in the future", "peer: … is discharged since …").
    NeedsConfirmation(Vec<String>),
    /// Answer to [`Request::CheckInHistory`].
    CheckInHistory(
        crate::model::CheckInId,
        Result<Vec<Record<CheckIn>>, Failure>,
    ),
    /// Answer to [`Request::EditCheckIn`]: Ok once it is on disk.
    CheckInEdited(Result<Record<CheckIn>, Failure>),
    /// Answer to [`Request::VoidCheckIn`].
    CheckInVoided(Result<Record<CheckIn>, Failure>),
    /// A change this session just made and how to undo it; sent just
    /// before the answer that says it was saved.
    Undoable(Box<crate::ops::undo::Undoable>),
    /// Answer to [`Request::Undo`]: what was undone, or why not.
    Undone(Result<String, Failure>),
}

/// Carries out one request with a fresh [`WorkerState`]: for tests and
/// tools. A sign-in through here is not throttled across calls; the
/// running worker keeps one state for its whole life ([`handle_in`]).
pub fn handle(store: &dyn Store, request: Request) -> Response {
    handle_in(&WorkerState::default(), store, request)
}

/// Carries out one request. Runs on the worker thread (and in tests).
/// [`Request::Subscribe`] needs a running worker to forward notices; here
/// it answers `Subscribed(false)`.
pub fn handle_in(state: &WorkerState, store: &dyn Store, request: Request) -> Response {
    match request {
        Request::Init { staff } => {
            let (staff_list, acting) = match store.list_staff() {
                Ok(list) => (
                    list.iter().map(StaffRow::from).collect(),
                    acting_row(&list, staff.as_deref()),
                ),
                Err(e) => {
                    tracing::warn!("listing staff failed: {e}");
                    let acting = match staff.as_deref() {
                        None => Err(NO_STAFF_YET.to_string()),
                        named => acting_staff(store, named)
                            .map(|s| StaffRow::from(&s))
                            .map_err(|e| e.to_string()),
                    };
                    (Vec::new(), acting)
                }
            };
            let organization = store
                .settings()
                .map(|s| s.organization_name)
                .unwrap_or_default();
            Response::Ready {
                location: store.location(),
                organization,
                staff: acting,
                staff_list,
            }
        }
        Request::Today { date, for_staff } => Response::Today(
            crate::ops::today::today_report(store, date, for_staff).map_err(|e| e.to_string()),
        ),
        Request::Roster => Response::Roster(roster(store)),
        Request::Peer(id) => Response::Peer(id, peer_detail(store, id)),
        Request::Goals(id) => Response::Goals(
            id,
            crate::ops::checkin::goals_to_touch(store, id).map_err(|e| e.to_string()),
        ),
        Request::SaveCheckIn {
            checkin,
            actor,
            confirmed,
        } => {
            if !confirmed {
                let asks = crate::ops::checkin::check_new(store, &checkin).and_then(|()| {
                    crate::ops::checkin::needs_confirmation(
                        store,
                        &checkin,
                        crate::ops::local_now(),
                    )
                });
                match asks {
                    Err(e) => return Response::Saved(Err(Failure::from(e))),
                    Ok(found) if !found.is_empty() => {
                        return Response::NeedsConfirmation(
                            found.iter().map(ToString::to_string).collect(),
                        )
                    }
                    Ok(_) => {}
                }
            }
            let peer = checkin.peer;
            let result = crate::ops::checkin::log_checkin(store, &actor, checkin);
            match &result {
                Ok(r) => tracing::info!("saved check-in {} for {peer}", r.id),
                Err(e) => tracing::warn!("saving a check-in for {peer} failed: {e}"),
            }
            Response::Saved(result.map_err(Failure::from))
        }
        Request::Plan(r) => Response::Plan(Box::new(plan::handle(store, r))),
        Request::Groups(r) => Response::Groups(Box::new(groups::handle(store, r))),
        Request::Consent(r) => Response::Consent(Box::new(consents::handle(store, r))),
        Request::Credentials(r) => Response::Credentials(Box::new(credentials::handle(store, r))),
        Request::ImportPlan { path, today } => {
            Response::ImportPlan(Box::new(import::plan_file(store, &path, today)))
        }
        Request::ImportApply { plan, actor } => {
            Response::Imported(import::apply_plan(store, &plan, &actor))
        }
        Request::Report { period, staff } => {
            Response::Report(Box::new(reports::report(store, period, staff)))
        }
        Request::Access { staff } => Response::Access(access::access_info(store, staff.as_deref())),
        Request::SignIn { staff, pin } => Response::SignedIn {
            staff,
            result: access::sign_in(state, store, staff, &pin),
        },
        Request::RecordEvent { event, actor } => {
            Response::Recorded(store.record_event(event, &actor).map_err(|e| e.to_string()))
        }
        Request::OpenPeer { id, actor } => Response::Peer(id, access::open_peer(store, id, &actor)),
        Request::Audit { query, viewer, now } => {
            Response::Audit(access::audit_page(store, &query, viewer, now).map(Box::new))
        }
        Request::Subscribe => Response::Subscribed(false),
        Request::Referral(r) => Response::Referral(Box::new(referral::handle(store, r))),
        Request::SaveAssessment { assessment, actor } => Response::AssessmentSaved(
            store
                .create_assessment(assessment, &actor)
                .map_err(|e| Failure::from(crate::ops::OpsError::from(e))),
        ),
        Request::HereNow { date } => Response::HereNow(Box::new(frontdesk::here_now(store, date))),
        Request::Center(r) => Response::Center(Box::new(center::handle(state, store, r))),
        Request::Undo { change, actor } => undo::undo(store, &change, &actor),
        Request::CheckInHistory(id) => Response::CheckInHistory(
            id,
            crate::ops::checkin::history(store, id).map_err(Failure::from),
        ),
        Request::EditCheckIn {
            id,
            correction,
            actor,
        } => Response::CheckInEdited(
            crate::ops::checkin::edit(store, &actor, id, &correction).map_err(Failure::from),
        ),
        Request::VoidCheckIn { id, reason, actor } => Response::CheckInVoided(
            crate::ops::checkin::void(store, &actor, id, &reason).map_err(Failure::from),
        ),
    }
}

/// Said on the status line when nobody could be working: short, and about
/// the UI.
const NO_STAFF_YET: &str = "no staff yet; S adds staff";

/// Who is working, as [`Response::Ready`] says it, among `list` (every
/// staff member): the one `named` (`--staff`, or who signed in), else by
/// the acting-staff rules; with no active staff and nobody named, that
/// there is no staff yet.
pub(crate) fn acting_row(list: &[Record<Staff>], named: Option<&str>) -> Result<StaffRow, String> {
    if list.iter().all(|s| !s.active) && named.is_none() {
        return Err(NO_STAFF_YET.to_string());
    }
    acting_staff_among(list.to_vec(), named)
        .map(|s| StaffRow::from(&s))
        .map_err(|e| e.to_string())
}

fn roster(store: &dyn Store) -> Result<Vec<RosterRow>, String> {
    let peers = store.list_peers().map_err(|e| e.to_string())?;
    let last = crate::ops::roster::last_contacts(store, crate::ops::local_now())
        .map_err(|e| e.to_string())?;
    Ok(peers
        .into_iter()
        .map(|p| RosterRow {
            keys: crate::search::SearchKeys::of_peer(&p),
            id: p.id,
            last_contact: last.get(&p.id).copied(),
            status: p.status,
            assigned: p.assigned_staff,
            name: p.data.display_name,
        })
        .collect())
}

pub(crate) fn peer_detail(store: &dyn Store, id: PeerId) -> Result<Box<PeerDetail>, String> {
    let overview = peer_overview(store, id).map_err(|e| e.to_string())?;
    let group_names = store
        .list_groups()
        .map(|gs| gs.into_iter().map(|g| (g.id, g.data.name)).collect())
        .unwrap_or_default();
    let staff_initials = store
        .list_staff()
        .map(|ss| ss.into_iter().map(|s| (s.id, s.data.initials)).collect())
        .unwrap_or_default();
    let consents = store.consents_for_peer(id).map_err(|e| e.to_string())?;
    let disclosures = store.disclosures_for_peer(id).map_err(|e| e.to_string())?;
    let assessments = store.assessments_for_peer(id).map_err(|e| e.to_string())?;
    let visits = store.visits_for_peer(id).map_err(|e| e.to_string())?;
    Ok(Box::new(PeerDetail {
        overview,
        group_names,
        staff_initials,
        consents,
        disclosures,
        assessments,
        instruments: crate::ops::assess::load_instruments(None),
        visits,
    }))
}

/// Drops loads that a later load of the same thing in `batch` repeats,
/// keeping order otherwise. Saves and start-up are never dropped.
pub fn coalesce(batch: Vec<Request>) -> Vec<Request> {
    coalesce_indexed(batch)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

/// [`coalesce`], keeping each request's place in `batch`.
fn coalesce_indexed(batch: Vec<Request>) -> Vec<(usize, Request)> {
    #[derive(PartialEq)]
    enum Kind {
        Today,
        Roster,
        Peer(PeerId),
        Goals(PeerId),
        Audit,
    }
    let kind = |r: &Request| match r {
        Request::Today { .. } => Some(Kind::Today),
        Request::Roster => Some(Kind::Roster),
        Request::Peer(p) => Some(Kind::Peer(*p)),
        Request::Goals(p) => Some(Kind::Goals(*p)),
        Request::Audit { .. } => Some(Kind::Audit),
        // Each of these does something (records, signs in, subscribes).
        Request::Init { .. }
        | Request::SaveCheckIn { .. }
        | Request::Access { .. }
        | Request::SignIn { .. }
        | Request::RecordEvent { .. }
        | Request::OpenPeer { .. }
        | Request::SaveAssessment { .. }
        | Request::Subscribe
        | Request::Undo { .. }
        | Request::CheckInHistory(_)
        | Request::EditCheckIn { .. }
        | Request::VoidCheckIn { .. } => None,
        // Plan and group work includes saves; never dropped.
        Request::Plan(_)
        | Request::Groups(_)
        | Request::Referral(_)
        | Request::Consent(_)
        | Request::Credentials(_)
        | Request::Center(_) => None,
        // Each answer is matched to its request by id.
        Request::Report { .. }
        | Request::ImportPlan { .. }
        | Request::ImportApply { .. }
        | Request::HereNow { .. } => None,
    };
    let kinds: Vec<Option<Kind>> = batch.iter().map(kind).collect();
    batch
        .into_iter()
        .enumerate()
        .filter(|(i, _)| match &kinds[*i] {
            None => true,
            Some(k) => !kinds[i + 1..].iter().any(|later| later.as_ref() == Some(k)),
        })
        .collect()
}

/// Which request an answer is for: the user session that asked (the app
/// drops answers for a session another user has since replaced) and a
/// number counting up within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId {
    /// The asking session's serial.
    pub session: u64,
    /// Counts the app's requests.
    pub seq: u64,
}

/// The running worker: send requests, then drop it (or call `finish`) to
/// stop after the work already queued, including an in-flight save.
pub struct Worker {
    requests: Option<mpsc::Sender<(Option<RequestId>, Request)>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread. `reply` is called with each response (also from
    /// the notice thread, once subscribed); `stopped` once if the thread
    /// ends because of a panic.
    pub fn spawn(
        store: Arc<dyn Store>,
        reply: impl Fn(Response) -> bool + Send + Sync + 'static,
        stopped: impl FnOnce(String) + Send + 'static,
    ) -> std::io::Result<Worker> {
        Worker::spawn_tagged(store, move |_, r| reply(r), stopped)
    }

    /// As [`Worker::spawn`], with each answer's request id (None for
    /// notices and for requests sent without one).
    pub fn spawn_tagged(
        store: Arc<dyn Store>,
        reply: impl Fn(Option<RequestId>, Response) -> bool + Send + Sync + 'static,
        stopped: impl FnOnce(String) + Send + 'static,
    ) -> std::io::Result<Worker> {
        let (tx, rx) = mpsc::channel::<(Option<RequestId>, Request)>();
        let tagged = Arc::new(reply);
        let notices = Arc::clone(&tagged);
        let reply: access::Reply = Arc::new(move |r| notices(None, r));
        let thread = thread::Builder::new()
            .name("caseload-store".into())
            .spawn(move || {
                let guard = PanicNotice(Some(Box::new(stopped)));
                // One throttle for the life of the UI.
                let state = WorkerState::default();
                'work: while let Ok(first) = rx.recv() {
                    // Take everything already queued and skip reloads that a
                    // later identical reload makes stale (saves always run).
                    let mut batch = vec![first];
                    batch.extend(rx.try_iter());
                    let (ids, requests): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
                    for (i, req) in coalesce_indexed(requests) {
                        let answer = match req {
                            Request::Subscribe => access::subscribe(store.as_ref(), &reply),
                            other => {
                                let (undoable, answer) =
                                    undo::handle_journaled(&state, store.as_ref(), other);
                                if let Some(u) = undoable {
                                    if !tagged(ids[i], Response::Undoable(Box::new(u))) {
                                        break 'work;
                                    }
                                }
                                answer
                            }
                        };
                        if !tagged(ids[i], answer) {
                            break 'work;
                        }
                    }
                }
                // Refused sign-ins still being counted go on the trail.
                state.throttle.flush(store.as_ref());
                drop(guard);
            })?;
        Ok(Worker {
            requests: Some(tx),
            thread: Some(thread),
        })
    }

    /// Queues a request; false if the thread is gone.
    pub fn send(&self, request: Request) -> bool {
        self.send_tagged(None, request)
    }

    /// Queues a request whose answer comes back with `id`; false if the
    /// thread is gone.
    pub fn send_tagged(&self, id: Option<RequestId>, request: Request) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|tx| tx.send((id, request)).is_ok())
    }

    /// Stops taking requests and waits for queued work (an in-flight save
    /// finishes and is flushed before the program exits).
    pub fn finish(mut self) {
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct PanicNotice(Option<Box<dyn FnOnce(String) + Send>>);

impl Drop for PanicNotice {
    fn drop(&mut self) {
        if thread::panicking() {
            if let Some(f) = self.0.take() {
                f("the store worker stopped after an internal error".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalescing_keeps_saves_and_the_last_of_each_reload() {
        let day: NaiveDate = "2026-11-23".parse().unwrap_or_default();
        let today = |s: Option<u64>| Request::Today {
            date: day,
            for_staff: s.map(StaffId::new),
        };
        let c = CheckIn::new(
            PeerId::new(1),
            StaffId::new(1),
            chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default(),
        );
        let save = Request::SaveCheckIn {
            checkin: c,
            actor: Actor::login("t"),
            confirmed: false,
        };
        let out = coalesce(vec![
            today(None),
            Request::Roster,
            save.clone(),
            today(Some(1)),
            Request::Peer(PeerId::new(2)),
            Request::Peer(PeerId::new(3)),
            save,
            Request::Roster,
        ]);
        let shape: Vec<String> = out
            .iter()
            .map(|r| match r {
                Request::Today { for_staff, .. } => format!("today {for_staff:?}"),
                Request::Roster => "roster".into(),
                Request::Peer(p) => format!("peer {p}"),
                Request::SaveCheckIn { .. } => "save".into(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                "save",
                "today Some(S1)",
                "peer P2",
                "peer P3",
                "save",
                "roster"
            ]
        );
    }
}
