//! `caseload report`: the service report for funders.

use std::io;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use chrono::Datelike;

use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::report::{Period, ServiceReport, REPORT_FORMAT};
use crate::ops::local_now;
use crate::ops::lookup::resolve_staff;
use crate::ops::report::build;
use crate::store::Store;
use crate::text::escape_line;

use super::args::{ReportArgs, ReportFormat};
use super::output::{col, csv_text, print_json};

/// The format asked for: `--format`, or the `--json`/`--csv` aliases.
fn format_of(args: &ReportArgs) -> ReportFormat {
    match (args.format, args.json, args.csv) {
        (Some(f), _, _) => f,
        (None, true, _) => ReportFormat::Json,
        (None, _, true) => ReportFormat::Csv,
        _ => ReportFormat::Table,
    }
}

/// The period the arguments name (default: this month up to today).
pub(super) fn period_of(args: &ReportArgs, today: chrono::NaiveDate) -> Result<Period> {
    if let Some(m) = &args.month {
        return Period::month(m).map_err(|e| anyhow!(e));
    }
    if let Some(q) = &args.quarter {
        return Period::quarter(q).map_err(|e| anyhow!(e));
    }
    if let Some(y) = &args.year {
        return Period::year(y).map_err(|e| anyhow!(e));
    }
    let from = match &args.from {
        Some(d) => parse_date_as("--from", d, today, Direction::Past, DateKind::Day)?,
        None => today.with_day(1).unwrap_or(today),
    };
    let to = match &args.to {
        Some(d) => parse_date_as("--to", d, today, Direction::Past, DateKind::Day)?,
        None => today,
    };
    Period::between(from, to).map_err(|e| anyhow!(e))
}

/// Runs `caseload report`.
pub fn run(store: &dyn Store, args: &ReportArgs) -> Result<ExitCode> {
    let today = local_now().date_naive();
    let period = period_of(args, today)?;
    if let (Some(recipient), Some(peer)) = (&args.for_recipient, &args.peer) {
        let format = match format_of(args) {
            ReportFormat::Json => super::consent::DisclosureFormat::Json,
            ReportFormat::Csv => super::consent::DisclosureFormat::Csv,
            ReportFormat::Table => super::consent::DisclosureFormat::Text,
        };
        return super::consent::run_disclosure(
            store,
            recipient,
            peer,
            &[crate::model::ShareKind::Attendance],
            Some((period.from, period.to)),
            format!("report {} to {}", period.from, period.to),
            format,
            args.out.as_deref(),
        );
    }
    let staff = match &args.only_staff {
        Some(s) => Some(resolve_staff(store, s).map_err(|e| anyhow!("--staff: {e}"))?),
        None => None,
    };
    let report = build(store, period, staff.as_ref())?;
    let org = store.settings()?.organization_name;
    print(&report, format_of(args), &org)?;
    Ok(ExitCode::SUCCESS)
}

fn print(report: &ServiceReport, format: ReportFormat, org: &str) -> Result<()> {
    match format {
        ReportFormat::Json => print_json(report),
        ReportFormat::Csv => write_csv(report),
        ReportFormat::Table => print_text(org, report),
    }
}

/// Runs `caseload report --merge A.json B.json …`: needs no store, reads
/// only counts.
pub fn merge(args: &ReportArgs) -> Result<ExitCode> {
    let mut reports = Vec::new();
    for path in &args.merge {
        reports.push((path.display().to_string(), read_report(path)?));
    }
    let merged = ServiceReport::merge(&reports)?;
    print(
        &merged,
        format_of(args),
        &format!("{} centers", merged.centers),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn read_report(path: &Path) -> Result<ServiceReport> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let r: ServiceReport = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: not a caseload JSON report (from `caseload report --format json`): {e}",
            path.display()
        )
    })?;
    if r.format != REPORT_FORMAT {
        return Err(anyhow!(
            "{}: not a caseload JSON report (its format is '{}', expected '{REPORT_FORMAT}')",
            path.display(),
            escape_line(&r.format)
        ));
    }
    Ok(r)
}

/// The report's figures as (section, item, measure, value) rows: what the
/// table, the CSV and the Reports screen all show, from this one list.
pub fn report_rows(r: &ServiceReport) -> Vec<[String; 4]> {
    rows(r)
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
        row("peers", "re-admitted", "count", r.readmitted.to_string()),
        row(
            "peers",
            &format!("re-engaged after {}+ days", r.reengage_after_days),
            "count",
            r.reengaged.to_string(),
        ),
        row(
            "peers",
            "with check-ins",
            "count",
            r.peers_with_checkins.to_string(),
        ),
        row("check-ins", "all", "count", r.checkins.to_string()),
        row("check-ins", "all", "minutes", r.minutes.to_string()),
        row("check-ins", "all", "units", r.units.to_string()),
        row(
            "check-ins",
            "all",
            "units before cap",
            r.units_before_cap.to_string(),
        ),
    ];
    for (mode, n) in &r.by_mode {
        out.push(row("mode", mode, "check-ins", n.to_string()));
        if let Some(t) = r.mode_units.get(mode) {
            out.push(row("mode", mode, "units", t.units.to_string()));
        }
    }
    for (kind, n) in &r.by_support {
        out.push(row("support", kind, "check-ins", n.to_string()));
        if let Some(t) = r.support_units.get(kind) {
            out.push(row("support", kind, "units", t.units.to_string()));
        }
    }
    if let Some(w) = r.mean_wellbeing {
        out.push(row("wellbeing", "mean", "rating", format!("{w:.2}")));
    }
    for s in &r.by_staff {
        out.push(row("staff", &s.name, "check-ins", s.checkins.to_string()));
        out.push(row("staff", &s.name, "minutes", s.minutes.to_string()));
        out.push(row("staff", &s.name, "units", s.units.to_string()));
        out.push(row(
            "staff",
            &s.name,
            "units before cap",
            s.units_before_cap.to_string(),
        ));
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
        "groups",
        "all",
        "unique peers",
        r.group_peers.to_string(),
    ));
    out.push(row("goals", "set", "count", r.goals_set.to_string()));
    out.push(row(
        "goals",
        "achieved",
        "count",
        r.goals_achieved.to_string(),
    ));
    out.push(row(
        "goals",
        "dropped",
        "count",
        r.goals_dropped.to_string(),
    ));
    out.push(row(
        "goals",
        "active at end",
        "count",
        r.goals_active.to_string(),
    ));
    for (domain, g) in &r.goals_by_domain {
        out.push(row("goal domain", domain, "set", g.set.to_string()));
        out.push(row(
            "goal domain",
            domain,
            "achieved",
            g.achieved.to_string(),
        ));
        out.push(row("goal domain", domain, "dropped", g.dropped.to_string()));
    }
    for (field, values) in &r.demographics {
        for (value, n) in values {
            out.push(row(field, value, "peers served", n.to_string()));
        }
    }
    for w in &r.weeks {
        let label = format!("{} to {}", w.from, w.to);
        out.push(row("week", &label, "check-ins", w.checkins.to_string()));
        out.push(row("week", &label, "units", w.units.to_string()));
        out.push(row("week", &label, "peers", w.peers.to_string()));
    }
    let f = &r.referrals;
    out.push(row("referrals", "all", "made", f.made.to_string()));
    out.push(row("referrals", "all", "still open", f.open.to_string()));
    for (category, n) in &f.by_category {
        out.push(row("referral category", category, "made", n.to_string()));
    }
    for (outcome, n) in &f.by_outcome {
        out.push(row("referral outcome", outcome, "referrals", n.to_string()));
    }
    for c in &r.recovery_capital {
        out.push(row(
            "capital",
            &c.instrument,
            "assessed",
            c.peers_assessed.to_string(),
        ));
        out.push(row(
            "capital",
            &c.instrument,
            "with 2+",
            c.peers_with_two_or_more.to_string(),
        ));
        out.push(row(
            "capital",
            &c.instrument,
            "mean change",
            c.mean_change
                .map_or_else(|| "none".to_string(), |m| format!("{m:+.1}")),
        ));
    }
    // The front desk's figures (visits are not check-ins: no units).
    let v = &r.visits;
    out.push(row("visits", "all", "count", v.visits.to_string()));
    out.push(row(
        "visits",
        "all",
        "unduplicated visitors",
        v.unduplicated_visitors.to_string(),
    ));
    for d in &v.per_day {
        let day = d.date.to_string();
        out.push(row("visit day", &day, "visits", d.visits.to_string()));
        out.push(row(
            "visit day",
            &day,
            "unduplicated visitors",
            d.visitors.to_string(),
        ));
    }
    for (purpose, n) in &v.by_purpose {
        out.push(row("visit purpose", purpose, "visits", n.to_string()));
    }
    out
}

fn write_csv(r: &ServiceReport) -> Result<()> {
    write_report_csv(r, io::stdout().lock())
}

/// Writes the report as CSV to `out`: what `caseload report --format csv`
/// prints and what the Reports screen's `e` saves, from the same code so
/// the two never differ.
pub fn write_report_csv<W: io::Write>(r: &ServiceReport, out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
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

fn print_text(org: &str, r: &ServiceReport) -> Result<()> {
    println!(
        "Service report, {} to {} — {}{}",
        r.from,
        r.to,
        escape_line(org),
        r.staff_filter
            .as_deref()
            .map(|s| format!(" — only {}", escape_line(s)))
            .unwrap_or_default()
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
