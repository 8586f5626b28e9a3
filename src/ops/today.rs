//! Gathers what the Today rules need from the store and applies them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::model::dates::{CenterTime, CENTER};

use crate::model::today::{build_today, TodayInput, TodayReport};
use std::collections::HashMap;

use crate::model::{PeerId, StaffId};
use crate::store::Store;

use super::OpsResult;

/// The first moment of `date` in the center's zone, as UTC (for index
/// ranges): [`CenterTime::start_of_day`], the one rule.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    CENTER.start_of_day(date)
}

/// Each peer's latest group session before `date`. Sessions are few (a
/// handful of groups a week), so they are read page by page.
fn last_attended_before(
    store: &dyn Store,
    date: NaiveDate,
) -> OpsResult<HashMap<PeerId, NaiveDate>> {
    let mut last: HashMap<PeerId, NaiveDate> = HashMap::new();
    let mut after = None;
    loop {
        let page = store.sessions_page(after, SESSION_PAGE)?;
        for s in page.iter().filter(|s| s.date < date && s.voided.is_none()) {
            for p in &s.attendees {
                let entry = last.entry(*p).or_insert(s.date);
                *entry = (*entry).max(s.date);
            }
        }
        match page.last() {
            Some(l) if page.len() == SESSION_PAGE => after = Some(l.id),
            _ => return Ok(last),
        }
    }
}

const SESSION_PAGE: usize = crate::store::MAX_PAGE;

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
    let last_before = store.last_checkins_before(zone.start_of_day(date))?;
    // Voided check-ins and sessions are kept but not counted.
    let mut seen_today = store.checkins_on(date)?;
    seen_today.retain(|c| c.voided.is_none());
    let last_attended = last_attended_before(store, date)?;
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
