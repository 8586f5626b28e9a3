//! Gathers what the Today rules need from a store and applies them.
//!
//! Here rather than in `ops` so the store service can answer Today itself
//! ([`Store::today`]): the rules are the domain's
//! ([`build_today`]); this only reads their inputs through the store API,
//! so any store (local, remote, authorized) can be asked the same way.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone};

use crate::model::consent::expiring_rows;
use crate::model::dates::CenterTime;
use crate::model::referral::stale_referral_rows;
use crate::model::today::{build_today, TodayInput, TodayPeer, TodayReport};
use crate::model::{PeerId, PeerStatus, StaffId};

use super::{Store, StoreResult};

/// Today's contacts for `date` in `zone`: "before today" means before the
/// local midnight that starts `date`.
pub fn gather<Z: TimeZone>(
    zone: &CenterTime<Z>,
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> StoreResult<TodayReport> {
    gather_with(zone, store, date, for_staff, || store.list_peers())
}

/// [`gather`] with the roster read by `read_peers`: whole records, or only
/// what Today reads of each peer ([`TodayPeer`]; `SledStore` reads just
/// that from its records).
///
/// The three large reads (the roster, the peer summaries and the goals
/// due) do not depend on each other, so they run side by side on scoped
/// threads: at 10,000 peers each takes 5–10 ms, and a service answering
/// a UI's first Today has the cores to spare. A store whose reads share
/// one connection (a client) simply takes them in turn.
pub fn gather_with<Z, P, R>(
    zone: &CenterTime<Z>,
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
    read_peers: R,
) -> StoreResult<TodayReport>
where
    Z: TimeZone,
    P: TodayPeer + Send,
    R: FnOnce() -> StoreResult<Vec<P>> + Send,
{
    let before = zone.start_of_day(date);
    let (peers, summaries, goals) = std::thread::scope(|s| {
        let peers = s.spawn(read_peers);
        let goals = s.spawn(|| store.goals_due_for_review(date));
        // One summary per peer, kept by the store with every write: the
        // newest check-in before today (voided ones left out) and the last
        // group attended, without walking each peer's check-ins or every
        // session.
        let summaries = store.peer_summaries(before, date);
        (joined(peers), summaries, joined(goals))
    });
    let (peers, summaries, goals) = (peers?, summaries?, goals?);
    let settings = store.settings()?;
    let mut last_before = HashMap::with_capacity(summaries.len());
    let mut last_attended = HashMap::with_capacity(summaries.len());
    for (peer, summary) in summaries {
        if let Some(c) = summary.last_checkin {
            last_before.insert(peer, c);
        }
        if let Some(d) = summary.last_attended {
            last_attended.insert(peer, d);
        }
    }
    // Voided check-ins and sessions are kept but not counted.
    let mut seen_today = store.checkins_on(date)?;
    seen_today.retain(|c| c.voided.is_none());
    let groups = store.list_groups()?;
    let mut sessions_today = store.sessions_on(date)?;
    sessions_today.retain(|s| s.voided.is_none());
    let staff = store.list_staff()?;
    // A visit at the center counts as being seen, like a group.
    let last_visited = store.last_visits_before(date)?;
    let mut report = build_today(TodayInput {
        date,
        settings: &settings,
        peers: &peers,
        last_before: &last_before,
        last_attended: &last_attended,
        last_visited: &last_visited,
        seen_today: &seen_today,
        goals: &goals,
        groups: &groups,
        sessions_today: &sessions_today,
        staff: &staff,
        for_staff,
    });
    // The sections of other record kinds, by their own rules, from the few
    // records each concerns and the roster already at hand.
    let open = store.open_referrals()?;
    if !open.is_empty() {
        let resources = store.list_resources()?;
        report.rows.extend(stale_referral_rows(
            date, &settings, &open, &peers, &resources, for_staff,
        ));
    }
    let days = settings.consent_warning_days();
    let to = date
        .checked_add_signed(chrono::Duration::days(i64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let consents = store.consents_expiring_between(date, to)?;
    if !consents.is_empty() {
        let mine: HashMap<PeerId, &P> = peers
            .iter()
            .filter(|p| p.status() != PeerStatus::Discharged)
            .filter(|p| for_staff.is_none() || p.assigned_staff() == for_staff)
            .map(|p| (p.peer_id(), p))
            .collect();
        report
            .rows
            .extend(expiring_rows(&consents, &mine, date, days));
    }
    // Stable: each section keeps the order its rules gave it.
    report.rows.sort_by_key(|r| r.section);
    Ok(report)
}

/// A scoped thread's answer; a panic in it goes on as the caller's own,
/// as it would have had the read run on the caller's thread.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(answer) => answer,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
