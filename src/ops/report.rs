//! Gathers a period's records from the store for the service report.
//!
//! [`build`] is what the command line and the Reports screen call: it
//! reads through the store the session was given (the authorizing layer,
//! which checks the role and puts the reads of identified data on the
//! audit trail) and hands the records to the pure `model::report` builder.

use chrono::NaiveDate;

use crate::model::dates::CENTER;
use crate::model::report::{Period, ReportBuilder, ServiceReport};
use crate::model::{Record, Staff};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// The service report for `from` to `to`, inclusive, for everyone.
pub fn service_report(
    store: &dyn Store,
    from: NaiveDate,
    to: NaiveDate,
) -> OpsResult<ServiceReport> {
    let period = Period::between(from, to).map_err(OpsError::Refused)?;
    build(store, period, None)
}

/// The service report for `period`, limited to one staff member's work if
/// `staff` is given (their check-ins with units after the cap applied over
/// everyone's, the sessions they facilitated, and the peers assigned to
/// them for the roster and goal figures).
///
/// Check-ins and sessions are read a day at a time through the day
/// indexes. A check-in's day is its local date, and every check-in is
/// recorded with the center's offset at its instant
/// (`model::dates::CenterTime`), so a day here is the span between that
/// day's local midnights: 23 or 25 hours on the days clocks change.
pub fn build(
    store: &dyn Store,
    period: Period,
    staff: Option<&Record<Staff>>,
) -> OpsResult<ServiceReport> {
    let Period { from, to } = period;
    if to < from {
        return Err(OpsError::Refused(format!(
            "the period ends ({to}) before it starts ({from})"
        )));
    }
    let settings = store.settings()?;
    let mut b = ReportBuilder::new(&settings, from, to);
    if let Some(s) = staff {
        b = b.only_staff(s.id, s.name.clone());
    }
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
    for (peer, c) in store.last_checkins_before(CENTER.start_of_day(from))? {
        b.last_contact_before(peer, c.day);
    }
    let peers = store.list_peers()?;
    for p in &peers {
        b.demographics_of(p.id, p);
    }
    for p in peers
        .iter()
        .filter(|p| staff.is_none_or(|s| p.assigned_staff == Some(s.id)))
    {
        b.peer(p);
        for g in store.goals_for_peer(p.id)? {
            b.goal(&g);
        }
    }
    let mut report = b.finish(&store.list_staff()?, &store.list_groups()?);
    report.referrals = super::referral::report_figures(store, from, to, staff.map(|s| s.id))?;
    // Recovery capital up to the end of the period, for the peers the
    // report is about (a staff member's own when limited).
    let until = CENTER.start_of_day(to.succ_opt().unwrap_or(to));
    let mut assessments = super::assess::all_assessments(store)?;
    if let Some(s) = staff {
        let theirs: std::collections::HashSet<_> = peers
            .iter()
            .filter(|p| p.assigned_staff == Some(s.id))
            .map(|p| p.id)
            .collect();
        assessments.retain(|a| theirs.contains(&a.peer));
    }
    report.recovery_capital = crate::model::assessment::capital_changes(&assessments, until);
    // The front desk's figures: for one staff member, their peers' visits.
    let mut visits = store.visits_between(from, to)?;
    if let Some(s) = staff {
        visits.retain(|v| {
            peers
                .iter()
                .any(|p| p.id == v.peer && p.assigned_staff == Some(s.id))
        });
    }
    report.visits = crate::model::visit::visit_figures(&visits);
    Ok(report)
}
