//! Staff credentials, shared by the command line and the UI: adding a
//! certification, CE hours or a supervision session from what a user
//! typed (each problem named by its field, nothing written), where each
//! staff member stands against their requirements, and Today's rows.
//!
//! Everything goes through the store API, so the authorizing layer decides
//! whose credentials a session sees (its own; a supervisor's supervisees;
//! an admin's, everyone's) and which supervision notes it may read.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::credential::{
    check_entry_hours, standing, supervisees_of, Period, Standing, EXPIRY_WARNING_DAYS,
};
use crate::model::dates::{parse_date, Direction};
use crate::model::today::{Section, TodayRow};
use crate::model::validate::{parse_minutes, Checker};
use crate::model::{
    Actor, Certification, CeuEntry, CredentialRecords, Hours, Record, Requirement, Staff, StaffId,
    Supervision, SupervisionMode,
};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// A certification as typed (CLI flags or the UI's form).
#[derive(Debug, Clone, Default)]
pub struct CertInput {
    /// Its name.
    pub name: String,
    /// Issuing body or state.
    pub issuer: String,
    /// Certificate number.
    pub number: String,
    /// Issue date (a date word or YYYY-MM-DD).
    pub issued: String,
    /// Expiry date, if any.
    pub expires: Option<String>,
    /// CE hours per renewal period ("20"), if it asks for any.
    pub hours: Option<String>,
    /// Of those, ethics ("3").
    pub ethics: Option<String>,
    /// Months per renewal period ("24").
    pub period_months: Option<String>,
}

/// Reads a whole number of months, naming the field.
fn months(field: &str, text: &str) -> Result<u16, crate::model::ValidationError> {
    let t = text.trim();
    t.parse::<u16>().map_err(|_| {
        crate::model::ValidationError::one(
            field,
            format!(
                "'{}' is not a whole number of months; give 1 to {}",
                crate::text::escape_line(t),
                crate::model::credential::MAX_PERIOD_MONTHS
            ),
        )
    })
}

/// Builds a certification for `staff` from what was typed: every field
/// checked, each problem named.
pub fn certification_from(
    staff: StaffId,
    input: &CertInput,
    today: NaiveDate,
) -> OpsResult<Certification> {
    let issued = parse_date("--issued", &input.issued, today, Direction::Past)?;
    let expires = match input.expires.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(e) => Some(parse_date("--expires", e, today, Direction::Future)?),
        None => None,
    };
    let requirement = match (&input.hours, &input.ethics, &input.period_months) {
        (None, None, None) => None,
        (hours, ethics, period) => {
            let hours = Hours::parse("--hours", hours.as_deref().unwrap_or("0"))?;
            let ethics = Hours::parse("--ethics", ethics.as_deref().unwrap_or("0"))?;
            let period_months = match period {
                Some(p) => months("--period-months", p)?,
                None => {
                    return Err(crate::model::ValidationError::one(
                        "--period-months",
                        "a requirement needs its renewal period in months (24 for two years)",
                    )
                    .into())
                }
            };
            Some(Requirement {
                hours,
                ethics,
                period_months,
            })
        }
    };
    let cert = Certification {
        staff,
        name: input.name.trim().to_string(),
        issuer: input.issuer.trim().to_string(),
        number: input.number.trim().to_string(),
        issued,
        expires,
        requirement,
    };
    crate::model::Entity::validate(&cert)?;
    Ok(cert)
}

/// Builds a CE entry from what was typed; the date defaults to `today`.
pub fn ceu_from(
    staff: StaffId,
    hours: &str,
    title: &str,
    date: Option<&str>,
    provider: Option<&str>,
    category: Option<&str>,
    today: NaiveDate,
) -> OpsResult<CeuEntry> {
    let hours = Hours::parse("--hours", hours)?;
    let mut c = Checker::new();
    check_entry_hours(&mut c, "--hours", hours);
    c.finish()?;
    let date = match date.filter(|d| !d.trim().is_empty()) {
        Some(d) => parse_date("--date", d, today, Direction::Past)?,
        None => today,
    };
    let category = category
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or("general");
    let entry = CeuEntry {
        staff,
        date,
        title: title.trim().to_string(),
        provider: provider.unwrap_or("").trim().to_string(),
        hours,
        category: category.to_lowercase(),
    };
    crate::model::Entity::validate(&entry)?;
    Ok(entry)
}

/// Builds a supervision session from what was typed; the date defaults to
/// `today`, the kind to individual.
pub fn supervision_from(
    staff: StaffId,
    supervisor: StaffId,
    minutes: &str,
    date: Option<&str>,
    mode: Option<SupervisionMode>,
    note: Option<&str>,
    today: NaiveDate,
) -> OpsResult<Supervision> {
    let minutes = parse_minutes("--minutes", minutes)?;
    let date = match date.filter(|d| !d.trim().is_empty()) {
        Some(d) => parse_date("--date", d, today, Direction::Past)?,
        None => today,
    };
    let s = Supervision {
        staff,
        supervisor,
        date,
        minutes,
        mode: mode.unwrap_or(SupervisionMode::Individual),
        note: note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    };
    crate::model::Entity::validate(&s)?;
    Ok(s)
}

/// Saves a certification.
pub fn add_certification(
    store: &dyn Store,
    actor: &Actor,
    cert: Certification,
) -> OpsResult<Record<Certification>> {
    Ok(store.create_certification(cert, actor)?)
}

/// Saves a CE entry.
pub fn add_ceu(store: &dyn Store, actor: &Actor, entry: CeuEntry) -> OpsResult<Record<CeuEntry>> {
    Ok(store.create_ceu(entry, actor)?)
}

/// Saves a supervision session.
pub fn add_supervision(
    store: &dyn Store,
    actor: &Actor,
    session: Supervision,
) -> OpsResult<Record<Supervision>> {
    Ok(store.create_supervision(session, actor)?)
}

/// One staff member's credentials on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffCredentials {
    /// Who.
    pub staff: StaffId,
    /// Their name.
    pub name: String,
    /// Each certification with its current period, hours and expiry.
    pub certifications: Vec<Standing>,
    /// Their CE entries, newest first.
    pub ceu_entries: Vec<Record<CeuEntry>>,
    /// Their supervision sessions (as supervisee), newest first; notes
    /// only where the reader may see them.
    pub supervision: Vec<Record<Supervision>>,
    /// Supervision minutes in the last 12 months (to `date`, inclusive).
    pub supervision_minutes_12m: u32,
}

impl StaffCredentials {
    /// Total hours still needed across their certifications (the most any
    /// one asks for, since one entry counts toward each).
    pub fn hours_needed(&self) -> Hours {
        self.certifications
            .iter()
            .map(|s| s.needed)
            .max()
            .unwrap_or(Hours::ZERO)
    }
}

/// Credentials of every staff member the session may see, or of one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialsReport {
    /// The day the periods are for.
    pub date: NaiveDate,
    /// One entry per staff member with any credentials (or the one asked
    /// for), by name.
    pub staff: Vec<StaffCredentials>,
}

/// Where each visible staff member stands on `date` (only `only`, if
/// given: refused when the session may not see them).
pub fn credentials_report(
    store: &dyn Store,
    date: NaiveDate,
    only: Option<StaffId>,
) -> OpsResult<CredentialsReport> {
    let records = store.credential_records(only)?;
    credentials_report_with(store, date, only, records)
}

/// [`credentials_report`] with the credential records already read.
fn credentials_report_with(
    store: &dyn Store,
    date: NaiveDate,
    only: Option<StaffId>,
    records: CredentialRecords,
) -> OpsResult<CredentialsReport> {
    let CredentialRecords {
        certifications: certs,
        ceu_entries: entries,
        supervisions: sessions,
    } = records;
    let names: BTreeMap<StaffId, String> = store
        .list_staff()?
        .into_iter()
        .map(|s| (s.id, s.data.name))
        .collect();
    let year = Period {
        start: date
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(date),
        end: date.succ_opt().unwrap_or(date),
    };
    // One pass per kind, grouped by staff member.
    let mut by_staff: BTreeMap<StaffId, StaffCredentials> = BTreeMap::new();
    fn person<'a>(
        by_staff: &'a mut BTreeMap<StaffId, StaffCredentials>,
        names: &BTreeMap<StaffId, String>,
        id: StaffId,
    ) -> &'a mut StaffCredentials {
        by_staff.entry(id).or_insert_with(|| StaffCredentials {
            staff: id,
            name: names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
            certifications: Vec::new(),
            ceu_entries: Vec::new(),
            supervision: Vec::new(),
            supervision_minutes_12m: 0,
        })
    }
    if let Some(id) = only {
        person(&mut by_staff, &names, id);
    }
    for e in entries {
        person(&mut by_staff, &names, e.staff).ceu_entries.push(e);
    }
    for s in sessions {
        let p = person(&mut by_staff, &names, s.staff);
        if year.contains(s.date) {
            p.supervision_minutes_12m += u32::from(s.minutes);
        }
        p.supervision.push(s);
    }
    for c in certs {
        let p = person(&mut by_staff, &names, c.staff);
        let st = standing(&c, &p.ceu_entries, date);
        p.certifications.push(st);
    }
    let mut out: Vec<StaffCredentials> = by_staff.into_values().collect();
    for p in &mut out {
        p.ceu_entries
            .sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
        p.supervision
            .sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    }
    out.sort_by_key(|s| s.name.to_lowercase());
    Ok(CredentialsReport { date, staff: out })
}

/// Today's credential rows (pure): for `me` (or everyone listed when
/// `None`), certifications expiring within [`EXPIRY_WARNING_DAYS`] and
/// hours still needed; for their supervisees, expiries only.
pub fn today_rows(
    report: &CredentialsReport,
    sessions: &[Record<Supervision>],
    me: Option<StaffId>,
) -> Vec<TodayRow> {
    let supervisees = me.map(|m| supervisees_of(m, sessions)).unwrap_or_default();
    let mut rows = Vec::new();
    for person in &report.staff {
        let own = me.is_none_or(|m| m == person.staff);
        if !own && !supervisees.contains(&person.staff) {
            continue;
        }
        for s in &person.certifications {
            let cert = &s.certification;
            if let (Some(days), Some(text)) = (s.expires_in, s.expiry_text()) {
                if days <= EXPIRY_WARNING_DAYS {
                    rows.push(row(
                        person,
                        cert.expires,
                        Some(days),
                        format!("{} ({}) {text}", cert.name, cert.issuer),
                    ));
                }
            }
            if own {
                if let Some(text) = s.needed_text() {
                    let end = s.period.map(|p| p.last_day());
                    rows.push(row(
                        person,
                        end,
                        end.map(|e| (e - report.date).num_days()),
                        format!("{}: {text}", cert.name),
                    ));
                }
            }
        }
    }
    // Soonest first.
    rows.sort_by_key(|r| (r.days.unwrap_or(i64::MAX), r.name.clone()));
    rows
}

fn row(
    person: &StaffCredentials,
    date: Option<NaiveDate>,
    days: Option<i64>,
    why: String,
) -> TodayRow {
    TodayRow {
        section: Section::CredentialsExpiring,
        peer: None,
        name: person.name.clone(),
        goal: None,
        group: None,
        session: None,
        date,
        days,
        why,
    }
}

/// Today's credential rows from the store: what the session may see.
pub fn today_credentials(
    store: &dyn Store,
    date: NaiveDate,
    me: Option<StaffId>,
) -> OpsResult<Vec<TodayRow>> {
    // One request for the three kinds (and the staff list for names).
    let records = store.credential_records(None)?;
    let sessions = records.supervisions.clone();
    let report = credentials_report_with(store, date, None, records)?;
    Ok(today_rows(&report, &sessions, me))
}

/// The staff member a name means, with an error naming the flag.
pub fn staff_named(store: &dyn Store, flag: &str, text: &str) -> OpsResult<Record<Staff>> {
    super::lookup::resolve_staff(store, text).map_err(|e| match e {
        OpsError::NoMatch(m) | OpsError::Ambiguous(m) => {
            crate::model::ValidationError::one(flag, m).into()
        }
        other => other,
    })
}
