//! Gathers what the Today rules need from the store and applies them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::model::dates::{CenterTime, CENTER};
use crate::model::today::TodayReport;

use crate::model::StaffId;
use crate::store::Store;

use super::OpsResult;

/// The first moment of `date` in the center's zone, as UTC (for index
/// ranges): [`CenterTime::start_of_day`], the one rule.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    CENTER.start_of_day(date)
}

/// Today's contacts for `date`, optionally only for one staff member, in
/// the center's zone: asked of the store, so a store service computes it
/// next to the data and sends only the rows.
pub fn today_report(
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> OpsResult<TodayReport> {
    let mut report = store.today(date, for_staff)?;
    add_sections(store, date, for_staff, &mut report)?;
    Ok(report)
}

/// The sections that are not about peers (the signed-in member's own
/// standing, …), added after the store's answer. Sections about peers are
/// worked out by the store with the roster at hand
/// ([`crate::store::today::gather`]).
fn add_sections(
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
    report: &mut TodayReport,
) -> OpsResult<()> {
    // Instruments are the organization's files, read where the command
    // runs: reassessments are worked out here, not in the store.
    report
        .rows
        .extend(super::assess::reassessment_rows(store, date, for_staff)?);
    report.rows.extend(super::credentials::today_credentials(
        store, date, for_staff,
    )?);
    // Stable: each section keeps the order its rules gave it.
    report.rows.sort_by_key(|r| r.section);
    Ok(())
}

/// [`today_report`] in a given zone, gathered here through the store's
/// reads: "before today" means before the local midnight that starts
/// `date`.
pub fn today_report_in<Z: TimeZone>(
    zone: &CenterTime<Z>,
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> OpsResult<TodayReport> {
    let mut report = crate::store::today::gather(zone, store, date, for_staff)?;
    add_sections(store, date, for_staff, &mut report)?;
    Ok(report)
}
