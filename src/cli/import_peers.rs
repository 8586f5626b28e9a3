//! `caseload import-peers FILE.csv`: a roster from a spreadsheet.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::ops::import_peers::{apply, plan, ImportPlan};
use crate::ops::local_now;
use crate::store::Store;
use crate::text::escape_line;

use super::args::ImportPeersArgs;

/// Runs `caseload import-peers`: checks every row first, prints the
/// dry-run report, then (unless `--dry-run`) writes the valid rows.
pub fn run(store: &dyn Store, args: &ImportPeersArgs) -> Result<ExitCode> {
    let source = args.file.display().to_string();
    let file =
        File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let today = local_now().date_naive();
    let plan = plan(store, file, &source, &args.map, today)?;
    print_plan(&plan);
    if args.dry_run {
        println!(
            "dry run: {} peer(s) would be added; nothing was written",
            plan.rows.len()
        );
        return Ok(if plan.has_problems() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    let bar = if io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(plan.rows.len() as u64);
        bar.set_message("adding peers");
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let actor = super::actor(store, None);
    let outcome = apply(store, &plan, &actor, args.skip_invalid, &mut |n| {
        bar.set_position(n as u64)
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    if !outcome.skipped_lines.is_empty() {
        println!(
            "skipped {} row(s) with problems: line(s) {}",
            outcome.skipped_lines.len(),
            outcome
                .skipped_lines
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!(
        "added {} peer(s){}",
        outcome.created.len(),
        match (outcome.created.first(), outcome.created.last()) {
            (Some(a), Some(b)) if a != b => format!(" ({a} to {b})"),
            (Some(a), _) => format!(" ({a})"),
            _ => String::new(),
        }
    );
    let _ = io::stdout().flush();
    Ok(ExitCode::SUCCESS)
}

fn print_plan(plan: &ImportPlan) {
    let ignored: Vec<String> = plan
        .columns
        .iter()
        .filter(|(_, f)| f.is_none())
        .map(|(c, _)| format!("'{}'", escape_line(c)))
        .collect();
    println!(
        "{}: {} row(s) read; {} valid, {} with problems, {} likely duplicate(s)",
        escape_line(&plan.source),
        plan.rows_read,
        plan.rows.len(),
        plan.invalid_lines.len(),
        plan.duplicates.len()
    );
    if !ignored.is_empty() {
        println!(
            "columns left out (not peer fields; use --map COLUMN=FIELD to use one): {}",
            ignored.join(", ")
        );
    }
    for p in &plan.problems {
        println!("problem: {}: {p}", escape_line(&plan.source));
    }
    for d in &plan.duplicates {
        println!(
            "likely duplicate, not added: line {}: {} ({})",
            d.line,
            escape_line(&d.name),
            d.why
        );
    }
}
