//! `caseload assess …` (record and list assessments) and `caseload
//! instrument …` (list and check instrument files), through `ops::assess`,
//! the functions the UI's assessment screen uses.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::model::assessment::{progress, signed};
use crate::model::dates::parse_datetime;
use crate::model::{Actor, Assessment, Record};
use crate::ops::assess::{check_file, find, load_instruments, record_assessment};
use crate::ops::lookup::resolve_peer;
use crate::ops::{local_now, os_login};
use crate::store::Store;
use crate::text::escape_line;

/// `caseload assess PEER INSTRUMENT --scores …` or `caseload assess list PEER`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AssessArgs {
    /// List a peer's assessments instead.
    #[command(subcommand)]
    pub command: Option<AssessCommand>,
    /// The peer: an id (P12) or a name.
    #[arg(required = true)]
    pub peer: Option<String>,
    /// The instrument's id (barc10; `caseload instrument list` shows them).
    #[arg(required = true)]
    pub instrument: Option<String>,
    /// One answer per item, in order, separated by commas (5,4,6,…).
    #[arg(
        long,
        required = true,
        allow_hyphen_values = true,
        value_name = "N,N,…"
    )]
    pub scores: Option<String>,
    /// When it was taken (default: now): 2026-03-01, "2026-03-01 14:30", yesterday.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub at: Option<String>,
}

/// `caseload assess list`.
#[derive(Debug, Subcommand)]
pub enum AssessCommand {
    /// A peer's assessments, oldest first, with totals and change.
    List {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload instrument …`.
#[derive(Debug, Subcommand)]
pub enum InstrumentCommand {
    /// The instruments in use (built in and the organization's own).
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check an instrument file: every problem with its line.
    Check {
        /// The .toml file.
        file: PathBuf,
    },
}

/// Runs `caseload instrument …` (no store is opened).
pub fn instrument(config: Option<&std::path::Path>, cmd: &InstrumentCommand) -> Result<ExitCode> {
    match cmd {
        InstrumentCommand::Check { file } => match check_file(file) {
            Ok(i) => {
                println!(
                    "{} ok: {} ({}), {} items scored {} to {}, total {} to {}, reassess every {} days",
                    escape_line(&file.display().to_string()),
                    escape_line(&i.short_name),
                    escape_line(&i.id),
                    i.items.len(),
                    i.scale.min,
                    i.scale.max,
                    i.range.0,
                    i.range.1,
                    i.reassess_days
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                for p in &problems {
                    println!("{}", escape_line(&p.to_string()));
                }
                Ok(ExitCode::from(1))
            }
        },
        InstrumentCommand::List { json } => {
            let all = load_instruments(config);
            if *json {
                super::output::print_json(&all.list)?;
            } else {
                for (i, src) in all.list.iter().zip(&all.sources) {
                    println!(
                        "{}  {} — {}: {} items, {} to {}, every {} days ({})",
                        super::output::col(&i.id, 10),
                        escape_line(&i.short_name),
                        escape_line(&i.name),
                        i.items.len(),
                        i.range.0,
                        i.range.1,
                        i.reassess_days,
                        escape_line(src)
                    );
                }
            }
            for p in &all.problems {
                eprintln!("caseload: left out: {}", escape_line(&p.to_string()));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One assessment as `assess list --json` prints it.
#[derive(Serialize)]
struct Line<'a> {
    id: String,
    #[serde(flatten)]
    data: &'a Assessment,
    day: chrono::NaiveDate,
    change_from_first: i64,
}

/// Runs `caseload assess …`.
pub fn run(
    store: &dyn Store,
    config: Option<&std::path::Path>,
    staff: Option<&str>,
    args: &AssessArgs,
) -> Result<ExitCode> {
    if let Some(AssessCommand::List { peer, json }) = &args.command {
        let peer = resolve_peer(store, peer)?;
        let list = store.assessments_for_peer(peer.id)?;
        return list_out(&peer, &list, *json);
    }
    let (Some(peer), Some(id), Some(scores)) = (&args.peer, &args.instrument, &args.scores) else {
        anyhow::bail!("give PEER INSTRUMENT --scores N,N,… (or: caseload assess list PEER)");
    };
    let instruments = load_instruments(config);
    let instrument = find(&instruments, id)?;
    // Scores are checked before anything else is looked up or saved.
    let scores = instrument
        .parse_scores(scores)
        .map_err(|e| anyhow::anyhow!("--scores: {e}"))?;
    let peer = resolve_peer(store, peer)?;
    let now = local_now();
    let at = match &args.at {
        Some(t) => parse_datetime("--at", t, now)?,
        None => now,
    };
    let actor = match super::access::signed_in_actor() {
        Some(a) => a,
        None => match crate::ops::lookup::acting_staff(store, staff) {
            Ok(s) => Actor::staff(s.id, os_login()),
            Err(_) => Actor::login(os_login()),
        },
    };
    let saved = record_assessment(
        store,
        &actor,
        &peer,
        instrument,
        scores,
        at.with_timezone(&chrono::Utc),
    )?;
    let notes: Vec<String> = instrument
        .notes_for(saved.total)
        .iter()
        .map(|n| escape_line(&n.text).into_owned())
        .collect();
    println!(
        "saved assessment {} with {} ({}): {} total {} of {}–{} on {}{}",
        saved.id,
        escape_line(&peer.display_name),
        peer.id,
        escape_line(&instrument.short_name),
        saved.total,
        instrument.range.0,
        instrument.range.1,
        saved.day(),
        if notes.is_empty() {
            String::new()
        } else {
            format!("\n  note: {}", notes.join("\n  note: "))
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn list_out(
    peer: &Record<crate::model::Peer>,
    list: &[Record<Assessment>],
    json: bool,
) -> Result<ExitCode> {
    let mut first: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut lines = Vec::with_capacity(list.len());
    for a in list {
        let base = *first.entry(a.instrument.as_str()).or_insert(a.total);
        lines.push(Line {
            id: a.id.to_string(),
            data: &a.data,
            day: a.day(),
            change_from_first: i64::from(a.total) - i64::from(base),
        });
    }
    if json {
        super::output::print_json(&lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        println!(
            "no assessments for {} ({}) yet",
            escape_line(&peer.display_name),
            peer.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    for l in &lines {
        let scores: Vec<String> = l.data.scores.iter().map(u8::to_string).collect();
        println!(
            "{:<6} {} {:<8} total {:>3} ({:>3} from first)  {}",
            l.id,
            l.day,
            escape_line(&l.data.instrument),
            l.data.total,
            signed(l.change_from_first),
            scores.join(",")
        );
    }
    for p in progress(list) {
        let items: Vec<String> = p.item_changes.iter().map(|c| signed(*c)).collect();
        println!(
            "{}: {}, latest {} ({}), change from first {}; by item {}",
            escape_line(&p.instrument),
            crate::text::count(p.count, "assessment", "assessments"),
            p.latest.1,
            p.latest.0,
            signed(p.change),
            items.join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
