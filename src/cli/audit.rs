//! `caseload audit`: read the audit trail (supervisors and admins once
//! sign-in is required; see `access.rs`).

use std::process::ExitCode;

use anyhow::Result;
use chrono::Local;
use clap::Args;

use crate::model::dates::{parse_date, Direction};
use crate::model::Record;
use crate::model::Staff;
use crate::ops::local_now;
use crate::ops::lookup::{resolve_peer, resolve_staff};
use crate::store::{AuditEntry, AuditFilter, Store};
use crate::text::escape_line;

use super::output::{col, print_json};

/// `caseload audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries about this peer (id or name).
    #[arg(long, value_name = "PEER")]
    pub peer: Option<String>,
    /// Only entries by (or about) this staff member (name, initials or id).
    #[arg(long = "staff", value_name = "STAFF")]
    pub staff: Option<String>,
    /// Only entries from this day on (2026-11-01, yesterday, -7d …).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// At most this many entries, newest first.
    #[arg(long, default_value_t = 200, value_name = "N", allow_negative_numbers = true, value_parser = super::args::whole::<usize>)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `caseload audit`.
pub fn run(store: &dyn Store, args: &AuditArgs) -> Result<ExitCode> {
    let today = local_now().date_naive();
    let mut filter = AuditFilter {
        limit: Some(args.limit),
        ..AuditFilter::default()
    };
    if let Some(p) = &args.peer {
        filter.peer = Some(resolve_peer(store, p)?.id);
    }
    if let Some(s) = &args.staff {
        filter.staff = Some(resolve_staff(store, s)?.id);
    }
    if let Some(d) = &args.since {
        let day = parse_date("--since", d, today, Direction::Past)?;
        filter.since = Some(crate::model::dates::CENTER.start_of_day(day));
    }
    let entries = store.audit(&filter)?;
    if args.json {
        print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    let staff = store.list_staff()?;
    for e in &entries {
        println!("{}", line(e, &staff));
    }
    Ok(ExitCode::SUCCESS)
}

fn line(e: &AuditEntry, staff: &[Record<Staff>]) -> String {
    let when = e.at.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S");
    let who = match e.actor.staff {
        Some(id) => match staff.iter().find(|s| s.id == id) {
            Some(s) => format!("{id} {} ({})", s.initials, e.actor.login),
            None => format!("{id} ({})", e.actor.login),
        },
        None => format!("({})", e.actor.login),
    };
    format!(
        "{when}  {}  {}",
        col(&escape_line(&who), 22),
        escape_line(&e.event.to_string())
    )
}
