//! A peer's whole picture, as the peer screen and `caseload peer show`
//! present it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::dates::{plausible, DateKind};
use crate::model::{
    Actor, CheckIn, Goal, GoalStatus, GroupSession, Peer, PeerId, Record, Staff, ValidationError,
};
use crate::store::Store;

use super::OpsResult;

/// How many recent check-ins the overview carries.
pub const RECENT_CHECKINS: usize = 10;

/// Everything shown about one peer.
#[derive(Debug, Clone, Serialize)]
pub struct PeerOverview {
    /// The peer.
    pub peer: Record<Peer>,
    /// Their assigned staff member, if any.
    pub assigned: Option<Record<Staff>>,
    /// All goals: active first, then paused, achieved, dropped.
    pub goals: Vec<Record<Goal>>,
    /// Newest check-ins first.
    pub recent_checkins: Vec<Record<CheckIn>>,
    /// The follow-up planned at the newest check-in, if any.
    pub next_follow_up: Option<NaiveDate>,
    /// Group sessions attended, newest first.
    pub sessions: Vec<Record<GroupSession>>,
}

impl PeerOverview {
    /// The day of the newest check-in.
    pub fn last_contact(&self) -> Option<NaiveDate> {
        self.recent_checkins.first().map(|c| c.day())
    }
}

/// Where a goal of this status comes in the lists of goals: active, then
/// paused, achieved, dropped. The overview and the UI's plan tab both sort
/// by it.
pub fn status_rank(s: GoalStatus) -> u8 {
    match s {
        GoalStatus::Active => 0,
        GoalStatus::Paused => 1,
        GoalStatus::Achieved => 2,
        GoalStatus::Dropped => 3,
    }
}

/// Loads the overview of one peer (the one a merged id answers as): one
/// request to the store ([`Store::peer_view`]), so one round-trip and one
/// audit write through a server.
pub fn peer_overview(store: &dyn Store, id: PeerId) -> OpsResult<PeerOverview> {
    let view = store.peer_view(id, RECENT_CHECKINS)?;
    let mut goals = view.goals;
    goals.sort_by_key(|g| (status_rank(g.status), g.domain, g.id));
    let next_follow_up = view.recent_checkins.first().and_then(|c| c.follow_up);
    Ok(PeerOverview {
        peer: view.peer,
        assigned: view.assigned,
        goals,
        recent_checkins: view.recent_checkins,
        next_follow_up,
        sessions: view.sessions,
    })
}

/// The overview of the one peer `text` means, found as
/// [`resolve_peer`](super::lookup::resolve_peer) finds them: an id is
/// read at once in the overview's one request (no separate lookup), and
/// a name, or a number that is no peer's id but may be a phone number,
/// is looked up first.
pub fn peer_overview_of(store: &dyn Store, text: &str) -> OpsResult<PeerOverview> {
    if let Ok(id) = text.parse::<PeerId>() {
        match peer_overview(store, id) {
            Ok(o) => return Ok(o),
            Err(e) if !super::lookup::may_be_phone(text) => return Err(e),
            Err(_) => {}
        }
    }
    let peer = super::lookup::resolve_peer(store, text)?;
    peer_overview(store, peer.id)
}

/// Adds a peer after validation, with an intake date in its plausible
/// window (`model::dates::DateKind::Intake`, seen from today in the
/// center's zone); returns the saved record.
pub fn add_peer(store: &dyn Store, actor: &Actor, peer: Peer) -> OpsResult<Record<Peer>> {
    let today = super::local_now().date_naive();
    let intake = peer.intake_date;
    plausible(
        "intake date",
        &intake.to_string(),
        DateKind::Intake,
        intake,
        today,
    )
    .map_err(ValidationError::from)?;
    Ok(store.create_peer(peer, actor)?)
}

/// Discharges a peer on `on` with the reason, ending their open episode
/// (kept in `episodes`). Refused for a peer already discharged or without
/// a reason.
pub fn discharge(
    store: &dyn Store,
    actor: &Actor,
    id: crate::model::PeerId,
    on: NaiveDate,
    reason: &str,
) -> OpsResult<Record<Peer>> {
    let mut rec = store.peer(id)?;
    if rec.status == crate::model::PeerStatus::Discharged {
        return Err(super::OpsError::Refused(format!(
            "{} ({}) was already discharged on {}",
            crate::text::escape_line(&rec.display_name),
            rec.id,
            rec.status_since
        )));
    }
    if reason.trim().is_empty() {
        return Err(ValidationError::one("reason", "say why the peer is discharged").into());
    }
    if on < rec.status_since {
        return Err(ValidationError::one(
            "date",
            format!(
                "{on} is before the current status began ({})",
                rec.status_since
            ),
        )
        .into());
    }
    rec.data.discharge(on, reason.trim().to_string());
    Ok(store.update_peer(&rec, actor)?)
}

/// Re-admits a discharged peer on `on`: a new episode begins and they are
/// active again (on Today). Refused for a peer who is not discharged.
pub fn readmit(
    store: &dyn Store,
    actor: &Actor,
    id: crate::model::PeerId,
    on: NaiveDate,
) -> OpsResult<Record<Peer>> {
    let mut rec = store.peer(id)?;
    if rec.status != crate::model::PeerStatus::Discharged {
        return Err(super::OpsError::Refused(format!(
            "{} ({}) is {}, not discharged; only a discharged peer is re-admitted",
            crate::text::escape_line(&rec.display_name),
            rec.id,
            crate::model::Choice::label(rec.status)
        )));
    }
    if on < rec.status_since {
        return Err(ValidationError::one(
            "date",
            format!("{on} is before the discharge ({})", rec.status_since),
        )
        .into());
    }
    rec.data.readmit(on);
    Ok(store.update_peer(&rec, actor)?)
}

/// Peers re-admitted from `from` to `to` (inclusive), with the day: for
/// the funder report, which counts a re-admitted peer as re-engaged.
pub fn readmissions_between(
    store: &dyn Store,
    from: NaiveDate,
    to: NaiveDate,
) -> OpsResult<Vec<(crate::model::PeerId, NaiveDate)>> {
    let mut out = Vec::new();
    for p in store.list_peers()? {
        // The first episode is the intake; later ones are re-admissions.
        for e in p.episodes.iter().skip(1) {
            if e.start >= from && e.start <= to {
                out.push((p.id, e.start));
            }
        }
    }
    Ok(out)
}

/// Merges peer `from` into `into` (admins and supervisors: the permission
/// table's `MergePeers`): every record moves, `from` answers as an alias
/// of `into` from then on, and the trail records each move.
pub fn merge(
    store: &dyn Store,
    actor: &Actor,
    from: crate::model::PeerId,
    into: crate::model::PeerId,
) -> OpsResult<Record<Peer>> {
    let a = store.peer(from)?;
    let b = store.peer(into)?;
    if a.id == b.id {
        return Err(super::OpsError::Refused(format!(
            "{from} and {into} are already the same peer ({})",
            b.id
        )));
    }
    Ok(store.merge_peers(a.id, b.id, actor)?)
}
