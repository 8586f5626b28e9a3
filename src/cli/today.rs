//! `caseload today`: today's contacts.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::today::{Section, TodayRow};
use crate::ops::local_now;
use crate::ops::lookup::resolve_staff;
use crate::ops::today::today_report;
use crate::store::Store;

use super::args::TodayArgs;
use super::output::{col, print_json};
use crate::text::escape_line;

#[derive(Serialize)]
struct JsonSection<'a> {
    section: Section,
    title: &'static str,
    count: usize,
    rows: Vec<&'a TodayRow>,
}

#[derive(Serialize)]
struct JsonToday<'a> {
    date: chrono::NaiveDate,
    sections: Vec<JsonSection<'a>>,
}

/// Runs `caseload today`.
pub fn run(store: &dyn Store, args: &TodayArgs) -> Result<ExitCode> {
    let today = local_now().date_naive();
    let date = match &args.date {
        Some(d) => parse_date_as("--date", d, today, Direction::Future, DateKind::Day)?,
        None => today,
    };
    let staff = match &args.staff {
        Some(s) => Some(resolve_staff(store, s)?),
        None => None,
    };
    let report = today_report(store, date, staff.as_ref().map(|s| s.id))?;
    if args.json {
        let sections = Section::ALL
            .iter()
            .map(|s| {
                let rows: Vec<&TodayRow> = report.section(*s).collect();
                JsonSection {
                    section: *s,
                    title: s.title(),
                    count: rows.len(),
                    rows,
                }
            })
            .collect();
        print_json(&JsonToday { date, sections })?;
        return Ok(ExitCode::SUCCESS);
    }
    let settings = store.settings()?;
    println!(
        "Today, {} — {}{}",
        date.format("%A %-d %B %Y"),
        escape_line(&settings.organization_name),
        match &staff {
            Some(s) => format!(" — {}'s peers", escape_line(&s.name)),
            None => String::new(),
        }
    );
    for section in Section::ALL {
        let rows: Vec<&TodayRow> = report.section(section).collect();
        println!();
        println!("{} ({})", section.title(), rows.len());
        if rows.is_empty() {
            println!("  none");
        }
        for r in rows {
            let id = r
                .peer
                .map(|p| p.to_string())
                .or_else(|| r.group.map(|g| g.to_string()))
                .unwrap_or_default();
            println!(
                "  {} {} {}",
                col(&id, 7),
                col(&r.name, 26),
                escape_line(&r.why)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
