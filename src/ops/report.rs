//! Gathers a period's records from the store for the service report.

use chrono::NaiveDate;

use crate::model::report::{ReportBuilder, ServiceReport};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// The service report for `from` to `to`, inclusive. Check-ins and
/// sessions are read a day at a time through the day indexes. A check-in's
/// day is its local date, and every check-in is recorded with the center's
/// offset at its instant (`model::dates::CenterTime`), so a day here is
/// the span between that day's local midnights: 23 or 25 hours on the days
/// clocks change.
pub fn service_report(
    store: &dyn Store,
    from: NaiveDate,
    to: NaiveDate,
) -> OpsResult<ServiceReport> {
    if to < from {
        return Err(OpsError::Refused(format!(
            "the period ends ({to}) before it starts ({from})"
        )));
    }
    let settings = store.settings()?;
    let mut b = ReportBuilder::new(&settings, from, to);
    let mut day = from;
    while day <= to {
        // Voided check-ins and sessions are kept but not counted.
        for c in store
            .checkins_on(day)?
            .iter()
            .filter(|c| c.voided.is_none())
        {
            b.checkin(c);
        }
        for s in store
            .sessions_on(day)?
            .iter()
            .filter(|s| s.voided.is_none())
        {
            b.session(s);
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    let peers = store.list_peers()?;
    for p in &peers {
        b.peer(p);
        for g in store.goals_for_peer(p.id)? {
            b.goal(&g);
        }
    }
    Ok(b.finish(&store.list_staff()?, &store.list_groups()?))
}
