//! `caseload staff cert|ceu|supervision|credentials`: staff credentials,
//! continuing-education hours and supervision, beside the other `staff`
//! subcommands. Rules live in `ops::credentials`; whose records a session
//! reaches is the authorizing layer's.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::model::{Choice, SupervisionMode};
use crate::ops::credentials::{self as ops, CertInput};
use crate::ops::local_now;
use crate::store::Store;
use crate::text::escape_line;

use super::args::parse_choice;
use super::output::{col, print_json};

/// `caseload staff cert …`.
#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Add a certification to a staff member; prints its id.
    Add {
        /// Whose (name, initials or id).
        staff: String,
        /// The certification's name.
        #[arg(long)]
        name: String,
        /// The issuing body or state.
        #[arg(long, default_value = "")]
        issuer: String,
        /// The certificate number.
        #[arg(long, default_value = "")]
        number: String,
        /// When it was issued (renewal periods run from this day).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        issued: String,
        /// When it expires.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        expires: Option<String>,
        /// CE hours required per renewal period (one decimal place).
        #[arg(long, value_name = "HOURS", allow_hyphen_values = true)]
        hours: Option<String>,
        /// Of those, ethics hours.
        #[arg(long, value_name = "HOURS", allow_hyphen_values = true)]
        ethics: Option<String>,
        /// Months in a renewal period (24 for two years).
        #[arg(long, value_name = "MONTHS", allow_hyphen_values = true)]
        period_months: Option<String>,
    },
    /// List a staff member's certifications.
    List {
        /// Whose (name, initials or id).
        staff: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload staff ceu …`.
#[derive(Debug, Subcommand)]
pub enum CeuCommand {
    /// Record continuing-education hours; prints the entry's id.
    Add {
        /// Whose (name, initials or id).
        staff: String,
        /// Hours, one decimal place, 0.1 to 24.
        #[arg(long, allow_hyphen_values = true)]
        hours: String,
        /// The course or training.
        #[arg(long)]
        title: String,
        /// When (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Who offered it.
        #[arg(long)]
        provider: Option<String>,
        /// A category such as ethics (default general).
        #[arg(long)]
        category: Option<String>,
    },
    /// List a staff member's CE entries, newest first.
    List {
        /// Whose (name, initials or id).
        staff: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload staff supervision …`.
#[derive(Debug, Subcommand)]
pub enum SupervisionCommand {
    /// Record a supervision session; prints its id.
    Add {
        /// Who was supervised (name, initials or id).
        staff: String,
        /// The supervisor (a supervisor or admin).
        #[arg(long = "with", value_name = "SUPERVISOR")]
        with: String,
        /// How long, in minutes.
        #[arg(long, allow_hyphen_values = true)]
        minutes: String,
        /// When (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// individual (default) or group.
        #[arg(long, value_parser = parse_choice::<SupervisionMode>)]
        kind: Option<SupervisionMode>,
        /// A short note, seen only by the two of you and admins.
        #[arg(long)]
        note: Option<String>,
    },
    /// List a staff member's supervision sessions, newest first.
    List {
        /// Who was supervised (name, initials or id).
        staff: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn today() -> chrono::NaiveDate {
    local_now().date_naive()
}

/// Runs `caseload staff cert …`.
pub fn cert(store: &dyn Store, cmd: &CertCommand) -> Result<ExitCode> {
    match cmd {
        CertCommand::Add {
            staff,
            name,
            issuer,
            number,
            issued,
            expires,
            hours,
            ethics,
            period_months,
        } => {
            let s = ops::staff_named(store, "STAFF", staff)?;
            let input = CertInput {
                name: name.clone(),
                issuer: issuer.clone(),
                number: number.clone(),
                issued: issued.clone(),
                expires: expires.clone(),
                hours: hours.clone(),
                ethics: ethics.clone(),
                period_months: period_months.clone(),
            };
            let cert = ops::certification_from(s.id, &input, today())?;
            let rec = ops::add_certification(store, &super::actor(store, None), cert)?;
            println!(
                "added {} {} for {} {}",
                rec.id,
                escape_line(&rec.name),
                s.id,
                escape_line(&s.name)
            );
        }
        CertCommand::List { staff, json } => {
            let s = ops::staff_named(store, "STAFF", staff)?;
            let list = store.certifications(Some(s.id))?;
            if *json {
                print_json(&list)?;
            } else {
                if list.is_empty() {
                    println!("no certifications for {} {}", s.id, escape_line(&s.name));
                }
                for c in list {
                    let req = c.requirement.map_or_else(String::new, |r| {
                        format!(
                            "  {} h per {} months ({} ethics)",
                            r.hours, r.period_months, r.ethics
                        )
                    });
                    println!(
                        "{} {} {} issued {} {}{}",
                        col(&c.id.to_string(), 6),
                        col(&c.name, 28),
                        col(&c.issuer, 18),
                        c.issued,
                        c.expires
                            .map_or_else(|| "no expiry".to_string(), |e| format!("expires {e}")),
                        req
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseload staff ceu …`.
pub fn ceu(store: &dyn Store, cmd: &CeuCommand) -> Result<ExitCode> {
    match cmd {
        CeuCommand::Add {
            staff,
            hours,
            title,
            date,
            provider,
            category,
        } => {
            let s = ops::staff_named(store, "STAFF", staff)?;
            let entry = ops::ceu_from(
                s.id,
                hours,
                title,
                date.as_deref(),
                provider.as_deref(),
                category.as_deref(),
                today(),
            )?;
            let rec = ops::add_ceu(store, &super::actor(store, None), entry)?;
            println!(
                "added {} {} hours \"{}\" on {} for {} {}",
                rec.id,
                rec.hours,
                escape_line(&rec.title),
                rec.date,
                s.id,
                escape_line(&s.name)
            );
        }
        CeuCommand::List { staff, json } => {
            let s = ops::staff_named(store, "STAFF", staff)?;
            let mut list = store.ceu_entries(Some(s.id))?;
            list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
            if *json {
                print_json(&list)?;
            } else {
                if list.is_empty() {
                    println!("no CE hours for {} {}", s.id, escape_line(&s.name));
                }
                for e in list {
                    println!(
                        "{} {} {:>5} h  {} {} {}",
                        col(&e.id.to_string(), 6),
                        e.date,
                        e.hours.to_string(),
                        col(&e.category, 10),
                        col(&e.title, 32),
                        escape_line(&e.provider)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseload staff supervision …`.
pub fn supervision(store: &dyn Store, cmd: &SupervisionCommand) -> Result<ExitCode> {
    match cmd {
        SupervisionCommand::Add {
            staff,
            with,
            minutes,
            date,
            kind,
            note,
        } => {
            let s = ops::staff_named(store, "STAFF", staff)?;
            let sup = ops::staff_named(store, "--with", with)?;
            let session = ops::supervision_from(
                s.id,
                sup.id,
                minutes,
                date.as_deref(),
                *kind,
                note.as_deref(),
                today(),
            )?;
            let rec = ops::add_supervision(store, &super::actor(store, None), session)?;
            println!(
                "added {} {} minutes of {} supervision on {} for {} {} with {} {}",
                rec.id,
                rec.minutes,
                rec.mode.label(),
                rec.date,
                s.id,
                escape_line(&s.name),
                sup.id,
                escape_line(&sup.name)
            );
        }
        SupervisionCommand::List { staff, json } => {
            let s = ops::staff_named(store, "STAFF", staff)?;
            let mut list = store.supervisions(Some(s.id))?;
            list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
            if *json {
                print_json(&list)?;
            } else {
                if list.is_empty() {
                    println!("no supervision for {} {}", s.id, escape_line(&s.name));
                }
                let names: std::collections::HashMap<_, _> = store
                    .list_staff()?
                    .into_iter()
                    .map(|s| (s.id, s.name.clone()))
                    .collect();
                for v in list {
                    let with = names.get(&v.supervisor).cloned().unwrap_or_default();
                    println!(
                        "{} {} {:>4} min {} with {} {}",
                        col(&v.id.to_string(), 6),
                        v.date,
                        v.minutes,
                        col(v.mode.label(), 10),
                        col(&with, 22),
                        escape_line(v.note.as_deref().unwrap_or(""))
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseload staff credentials`: where everyone the session may see
/// stands (admins: everyone; supervisors: themselves and their
/// supervisees; others: themselves).
pub fn credentials(
    store: &dyn Store,
    staff: Option<&str>,
    date: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let today = today();
    let date = match date {
        Some(d) => crate::model::dates::parse_date(
            "--date",
            d,
            today,
            crate::model::dates::Direction::Future,
        )?,
        None => today,
    };
    let only = match staff {
        Some(s) => Some(ops::staff_named(store, "STAFF", s)?.id),
        None => None,
    };
    let report = ops::credentials_report(store, date, only)?;
    if json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("Credentials on {date}");
    if report.staff.is_empty() {
        println!("  none recorded");
    }
    for p in &report.staff {
        println!();
        println!(
            "{} {} — {} hours still needed; supervision {} minutes in the last 12 months",
            p.staff,
            escape_line(&p.name),
            p.hours_needed(),
            p.supervision_minutes_12m
        );
        if p.certifications.is_empty() {
            println!("  no certifications");
        }
        for s in &p.certifications {
            let c = &s.certification;
            println!(
                "  {} {} ({}){} — {}",
                c.id,
                escape_line(&c.name),
                escape_line(&c.issuer),
                if c.number.is_empty() {
                    String::new()
                } else {
                    format!(" no. {}", escape_line(&c.number))
                },
                s.expiry_text().unwrap_or_else(|| "no expiry".into())
            );
            match (c.requirement, s.period) {
                (Some(r), Some(period)) => println!(
                    "      period {} to {}: {} of {} hours, ethics {} of {}; {}",
                    period.start,
                    period.last_day(),
                    s.earned,
                    r.hours,
                    s.ethics_earned,
                    r.ethics,
                    s.needed_text()
                        .unwrap_or_else(|| "requirement met".to_string())
                ),
                _ => println!("      no CE requirement recorded"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
