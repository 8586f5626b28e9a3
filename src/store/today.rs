//! Gathers what the Today rules need from a store and applies them.
//!
//! Here rather than in `ops` so the store service can answer Today itself
//! ([`Store::today`]): the rules are the domain's
//! ([`build_today`]); this only reads their inputs through the store API,
//! so any store (local, remote, authorized) can be asked the same way.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone};

use crate::model::dates::CenterTime;
use crate::model::today::{build_today, TodayInput, TodayReport};
use crate::model::StaffId;

use super::{Store, StoreResult};

/// Today's contacts for `date` in `zone`: "before today" means before the
/// local midnight that starts `date`.
pub fn gather<Z: TimeZone>(
    zone: &CenterTime<Z>,
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> StoreResult<TodayReport> {
    let settings = store.settings()?;
    let peers = store.list_peers()?;
    // One summary per peer, kept by the store with every write: the newest
    // check-in before today (voided ones left out) and the last group
    // attended, without walking each peer's check-ins or every session.
    let summaries = store.peer_summaries(zone.start_of_day(date), date)?;
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
    let goals = store.goals_due_for_review(date)?;
    let groups = store.list_groups()?;
    let mut sessions_today = store.sessions_on(date)?;
    sessions_today.retain(|s| s.voided.is_none());
    let staff = store.list_staff()?;
    Ok(build_today(TodayInput {
        date,
        settings: &settings,
        peers: &peers,
        last_before: &last_before,
        last_attended: &last_attended,
        seen_today: &seen_today,
        goals: &goals,
        groups: &groups,
        sessions_today: &sessions_today,
        staff: &staff,
        for_staff,
    }))
}
