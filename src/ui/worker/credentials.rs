//! Store work for the Credentials screen: one staff member's standing
//! (`ops::credentials::credentials_report`, the same code as `caseload
//! staff credentials`) and the two forms' saves, through the store the
//! worker was given, so the authorizing layer decides whose credentials
//! and which supervision notes this session may see.

use chrono::NaiveDate;

use crate::model::{Actor, CeuEntry, Record, StaffId, Supervision, SupervisionMode};
use crate::ops::credentials::{self as ops, StaffCredentials};
use crate::ops::OpsError;
use crate::store::Store;
use crate::ui::worker::Failure;

/// Work for the Credentials screen.
#[derive(Debug, Clone)]
pub enum CredentialsRequest {
    /// One staff member's certifications, hours, CE entries and
    /// supervision on `date`.
    Load {
        /// Whose.
        staff: StaffId,
        /// The day the periods are for.
        date: NaiveDate,
    },
    /// Save a CE entry from the form's text.
    AddCeu {
        /// Whose hours.
        staff: StaffId,
        /// Hours as typed.
        hours: String,
        /// Title as typed.
        title: String,
        /// Date as typed (empty: today).
        date: String,
        /// Category as typed (empty: general).
        category: String,
        /// Provider as typed.
        provider: String,
        /// Today, for dates.
        today: NaiveDate,
        /// Who saves it.
        actor: Actor,
    },
    /// Save a supervision session from the form's text.
    AddSupervision {
        /// Who was supervised.
        staff: StaffId,
        /// The supervisor as typed (name, initials or id).
        with: String,
        /// Minutes as typed.
        minutes: String,
        /// Individual or group.
        mode: SupervisionMode,
        /// Date as typed (empty: today).
        date: String,
        /// The short note.
        note: String,
        /// Today, for dates.
        today: NaiveDate,
        /// Who saves it.
        actor: Actor,
    },
}

/// What the store thread answers.
#[derive(Debug, Clone)]
pub enum CredentialsResponse {
    /// The standing asked for, for `staff`.
    Loaded(StaffId, Result<Box<StaffCredentials>, Failure>),
    /// A CE entry saved (or why not).
    SavedCeu(Result<Box<Record<CeuEntry>>, Failure>),
    /// A supervision session saved (or why not).
    SavedSupervision(Result<Box<Record<Supervision>>, Failure>),
}

fn load(
    store: &dyn Store,
    staff: StaffId,
    date: NaiveDate,
) -> Result<Box<StaffCredentials>, Failure> {
    let report = ops::credentials_report(store, date, Some(staff))?;
    match report.staff.into_iter().find(|s| s.staff == staff) {
        Some(s) => Ok(Box::new(s)),
        None => Err(OpsError::Refused(format!("no credentials for {staff}")).into()),
    }
}

fn some(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.trim().is_empty())
}

/// Does the work.
pub fn handle(store: &dyn Store, request: CredentialsRequest) -> CredentialsResponse {
    match request {
        CredentialsRequest::Load { staff, date } => {
            CredentialsResponse::Loaded(staff, load(store, staff, date))
        }
        CredentialsRequest::AddCeu {
            staff,
            hours,
            title,
            date,
            category,
            provider,
            today,
            actor,
        } => CredentialsResponse::SavedCeu(
            ops::ceu_from(
                staff,
                &hours,
                &title,
                some(&date),
                some(&provider),
                some(&category),
                today,
            )
            .and_then(|e| ops::add_ceu(store, &actor, e))
            .map(Box::new)
            .map_err(Failure::from),
        ),
        CredentialsRequest::AddSupervision {
            staff,
            with,
            minutes,
            mode,
            date,
            note,
            today,
            actor,
        } => CredentialsResponse::SavedSupervision(
            ops::staff_named(store, "with", &with)
                .and_then(|sup| {
                    ops::supervision_from(
                        staff,
                        sup.id,
                        &minutes,
                        some(&date),
                        Some(mode),
                        some(&note),
                        today,
                    )
                })
                .and_then(|s| ops::add_supervision(store, &actor, s))
                .map(Box::new)
                .map_err(Failure::from),
        ),
    }
}
