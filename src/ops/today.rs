//! Gathers what the Today rules need from the store and applies them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::model::dates::{CenterTime, CENTER};

use crate::model::today::{build_today, TodayInput, TodayReport};
use std::collections::HashMap;

use crate::model::StaffId;
use crate::store::Store;

use super::OpsResult;

/// The first moment of `date` in the center's zone, as UTC (for index
/// ranges): [`CenterTime::start_of_day`], the one rule.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    CENTER.start_of_day(date)
}

/// Today's contacts for `date`, optionally only for one staff member, in
/// the center's zone.
pub fn today_report(
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> OpsResult<TodayReport> {
    today_report_in(&CENTER, store, date, for_staff)
}

/// [`today_report`] in a given zone: "before today" means before the local
/// midnight that starts `date`.
pub fn today_report_in<Z: TimeZone>(
    zone: &CenterTime<Z>,
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> OpsResult<TodayReport> {
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
    let last_visited = store.last_visits_before(date)?;
    Ok(build_today(TodayInput {
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
    }))
}
