//! `caseload report`: the service report for funders.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use chrono::Datelike;

use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::report::ServiceReport;
use crate::ops::local_now;
use crate::ops::report::service_report;
use crate::store::Store;
use crate::text::escape_line;

use super::args::ReportArgs;
use super::output::{col, csv_text, print_json};

/// Runs `caseload report`.
pub fn run(store: &dyn Store, args: &ReportArgs) -> Result<ExitCode> {
    let today = local_now().date_naive();
    let from = match &args.from {
        Some(d) => parse_date_as("--from", d, today, Direction::Past, DateKind::Day)?,
        None => today.with_day(1).unwrap_or(today),
    };
    let to = match &args.to {
        Some(d) => parse_date_as("--to", d, today, Direction::Past, DateKind::Day)?,
        None => today,
    };
    let report = service_report(store, from, to)?;
    if args.json {
        print_json(&report)?;
    } else if args.csv {
        write_csv(&report)?;
    } else {
        print_text(store, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn rows(r: &ServiceReport) -> Vec<[String; 4]> {
    let row =
        |a: &str, b: &str, c: &str, v: String| [a.to_string(), b.to_string(), c.to_string(), v];
    let mut out = vec![
        row("period", "from", "date", r.from.to_string()),
        row("period", "to", "date", r.to.to_string()),
        row("peers", "served", "count", r.peers_served.to_string()),
        row("peers", "new", "count", r.new_peers.to_string()),
        row("peers", "discharged", "count", r.discharged.to_string()),
        row("check-ins", "all", "count", r.checkins.to_string()),
        row("check-ins", "all", "minutes", r.minutes.to_string()),
        row("check-ins", "all", "units", r.units.to_string()),
    ];
    for (mode, n) in &r.by_mode {
        out.push(row("mode", mode, "check-ins", n.to_string()));
    }
    for (kind, n) in &r.by_support {
        out.push(row("support", kind, "check-ins", n.to_string()));
    }
    if let Some(w) = r.mean_wellbeing {
        out.push(row("wellbeing", "mean", "rating", format!("{w:.2}")));
    }
    for s in &r.by_staff {
        out.push(row("staff", &s.name, "check-ins", s.checkins.to_string()));
        out.push(row("staff", &s.name, "minutes", s.minutes.to_string()));
        out.push(row("staff", &s.name, "units", s.units.to_string()));
    }
    out.push(row(
        "groups",
        "all",
        "sessions",
        r.group_sessions.to_string(),
    ));
    out.push(row(
        "groups",
        "all",
        "attendance",
        r.group_attendance.to_string(),
    ));
    for g in &r.by_group {
        out.push(row("group", &g.name, "sessions", g.sessions.to_string()));
        out.push(row(
            "group",
            &g.name,
            "attendance",
            g.attendance.to_string(),
        ));
        out.push(row(
            "group",
            &g.name,
            "unique peers",
            g.unique_peers.to_string(),
        ));
    }
    out.push(row(
        "goals",
        "achieved",
        "count",
        r.goals_achieved.to_string(),
    ));
    out.push(row(
        "goals",
        "active at end",
        "count",
        r.goals_active.to_string(),
    ));
    out
}

fn write_csv(r: &ServiceReport) -> Result<()> {
    let mut w = csv::Writer::from_writer(io::stdout().lock());
    w.write_record(["section", "item", "measure", "value"])?;
    for r in rows(r) {
        // The first three cells are text (names among them): escaped and
        // neutralised. The value is a number or date caseload formats.
        let [section, item, measure, value] = r;
        w.write_record([
            csv_text(&section),
            csv_text(&item),
            csv_text(&measure),
            value,
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn print_text(store: &dyn Store, r: &ServiceReport) -> Result<()> {
    let org = store.settings()?.organization_name;
    println!(
        "Service report, {} to {} — {}",
        r.from,
        r.to,
        escape_line(&org)
    );
    println!();
    for [section, item, measure, value] in rows(r).into_iter().skip(2) {
        println!(
            "  {} {} {} {}",
            col(&section, 10),
            col(&item, 28),
            col(&measure, 13),
            value
        );
    }
    Ok(())
}
