//! The front desk's operations, shared by `caseload visit`, the kiosk,
//! the "here now" pane and the reports: signing a peer in and out, a
//! day's visits with names, who is here now, and the period's figures.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Timelike};
use serde::Serialize;

use crate::model::visit::{self, here_now, visit_figures, HereNowRow, VisitFigures};
use crate::model::{Actor, PeerId, Record, Settings, ValidationError, Visit};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// How far ahead of now a sign-in time may be (a clock a little fast).
const FUTURE_SLACK_MINUTES: i64 = 5;

/// The center's purposes (the defaults until settings name others).
pub fn center_purposes(settings: &Settings) -> Vec<String> {
    visit::purposes(settings.visit_purposes.as_deref())
}

/// The minute of a moment, without seconds (what a sign-in sheet shows).
pub fn minute_of(at: &DateTime<FixedOffset>) -> NaiveTime {
    let t = at.time();
    NaiveTime::from_hms_opt(t.hour(), t.minute(), 0).unwrap_or(t)
}

/// Signs `peer` in at `at` (center's time) with an optional purpose from
/// the center's list: a second sign-in the same day updates that day's
/// visit. A time in the future (beyond a few minutes) is refused.
pub fn sign_in(
    store: &dyn Store,
    actor: &Actor,
    peer: PeerId,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    purpose: Option<&str>,
) -> OpsResult<Record<Visit>> {
    if at > now + chrono::TimeDelta::minutes(FUTURE_SLACK_MINUTES) {
        return Err(OpsError::Invalid(ValidationError::one(
            "--at",
            format!(
                "{} is in the future; a visit is signed in when the peer is here",
                at.format("%Y-%m-%d %H:%M")
            ),
        )));
    }
    let purpose = match purpose {
        Some(p) => Some(visit::parse_purpose(
            &center_purposes(&store.settings()?),
            p,
        )?),
        None => None,
    };
    let mut v = Visit::new(peer, at.date_naive(), minute_of(&at));
    v.purpose = purpose;
    Ok(store.record_visit(v, actor)?)
}

/// Signs `peer`'s visit of `at`'s day out at `at`.
pub fn sign_out(
    store: &dyn Store,
    actor: &Actor,
    peer: PeerId,
    at: DateTime<FixedOffset>,
) -> OpsResult<Record<Visit>> {
    Ok(store.sign_out_visit(peer, at.date_naive(), minute_of(&at), actor)?)
}

/// One line of `caseload visit list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitRow {
    /// The visit.
    pub id: String,
    /// The peer.
    pub peer: PeerId,
    /// Their display name.
    pub name: String,
    /// The day.
    pub day: NaiveDate,
    /// Time in (HH:MM).
    pub time_in: String,
    /// Time out (HH:MM), if signed out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_out: Option<String>,
    /// Why they came, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// The visits of `date` with the peers' names, by time in.
pub fn visits_on(store: &dyn Store, date: NaiveDate) -> OpsResult<Vec<VisitRow>> {
    let visits = store.visits_on(date)?;
    let peers = store.list_peers()?;
    Ok(visits
        .into_iter()
        .map(|v| VisitRow {
            id: v.id.to_string(),
            peer: v.peer,
            name: peers
                .iter()
                .find(|p| p.id == v.peer)
                .map(|p| p.display_name.clone())
                .unwrap_or_else(|| v.peer.to_string()),
            day: v.day,
            time_in: v.time_in.format("%H:%M").to_string(),
            time_out: v.time_out.map(|t| t.format("%H:%M").to_string()),
            purpose: v.purpose.clone(),
        })
        .collect())
}

/// Who signed in on `date`, each with their assigned staff member and the
/// reason Today lists them, if any.
pub fn here_now_rows(store: &dyn Store, date: NaiveDate) -> OpsResult<Vec<HereNowRow>> {
    let visits = store.visits_on(date)?;
    if visits.is_empty() {
        return Ok(Vec::new());
    }
    let today = super::today::today_report(store, date, None)?;
    let peers = store.list_peers()?;
    let staff = store.list_staff()?;
    Ok(here_now(&visits, &peers, &staff, &today))
}

/// The front desk's figures from `from` to `to` (inclusive).
pub fn figures(store: &dyn Store, from: NaiveDate, to: NaiveDate) -> OpsResult<VisitFigures> {
    Ok(visit_figures(&store.visits_between(from, to)?))
}
