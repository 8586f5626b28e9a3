//! `caseload checkin …`: show, list, correct and void saved check-ins.
//! The rules are `ops::checkin`'s (the UI's correction screen calls the
//! same functions); this file only reads arguments and prints.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::model::dates::{parse_date_as, parse_datetime, DateKind, Direction};
use crate::model::validate::parse_minutes;
use crate::model::{CheckIn, CheckInId, CheckInMode, Choice, Record, SupportKind};
use crate::ops::checkin::{self, Correction};
use crate::ops::local_now;
use crate::ops::lookup::{resolve_goal, resolve_peer};
use crate::store::Store;
use crate::text::escape_line;

/// `caseload checkin …`.
#[derive(Debug, Subcommand)]
pub enum CheckinCommand {
    /// Show one check-in with every earlier version (corrections, void).
    Show {
        /// The check-in's id (C12).
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Correct a saved check-in; the earlier version stays in its history.
    Edit(EditArgs),
    /// Void a check-in recorded by mistake: kept, counted nowhere.
    Void {
        /// The check-in's id (C12).
        id: String,
        /// Why it is voided.
        #[arg(long)]
        reason: String,
    },
    /// A peer's check-ins, newest first (voided ones marked).
    List {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Most to show.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload checkin edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The check-in's id (C12).
    pub id: String,
    /// New length (1 to 1440).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub minutes: Option<String>,
    /// New note.
    #[arg(long)]
    pub note: Option<String>,
    /// New mode.
    #[arg(long, value_parser = super::choices::ChoiceParser::<CheckInMode>::new())]
    pub mode: Option<CheckInMode>,
    /// The kinds of support given, replacing the old list (repeatable).
    #[arg(long = "support", value_name = "KIND", value_parser = super::choices::ChoiceParser::<SupportKind>::new())]
    pub support: Vec<SupportKind>,
    /// The goals it touched, replacing the old list (repeatable).
    #[arg(long = "goal", value_name = "GOAL")]
    pub goals: Vec<String>,
    /// New follow-up date, or "none" to clear it.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// New time: 2026-11-23 14:30, yesterday 9:00.
    #[arg(long, value_name = "DATETIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Save even when it is dated in the future or the peer is not active.
    #[arg(long)]
    pub force: bool,
}

/// Runs `caseload checkin …`.
pub fn run(store: &dyn Store, staff: Option<&str>, cmd: &CheckinCommand) -> Result<ExitCode> {
    match cmd {
        CheckinCommand::Show { id, json } => {
            let id = parse_id(id)?;
            let versions = checkin::history(store, id)?;
            if *json {
                super::output::print_json(&versions)?;
            } else {
                let count = versions.len();
                for (i, v) in versions.iter().enumerate() {
                    let label = if i + 1 == count {
                        "current".to_string()
                    } else {
                        format!("earlier, revision {}", v.meta.revision)
                    };
                    println!("{} ({label}):", v.id);
                    print_checkin(store, v, "  ")?;
                }
            }
        }
        CheckinCommand::Edit(a) => {
            let id = parse_id(&a.id)?;
            let current = store.checkin(id)?;
            let correction = correction(store, &current, a)?;
            let next = correction.apply(&current.data);
            let found = checkin::needs_confirmation(store, &next, local_now())?;
            // Only what the correction introduces needs confirming: an
            // old check-in of a peer discharged since is corrected freely.
            let found: Vec<_> = found
                .into_iter()
                .filter(|f| match f {
                    checkin::NeedsConfirmation::InTheFuture { .. } => correction.at.is_some(),
                    checkin::NeedsConfirmation::PeerNotActive { .. } => false,
                })
                .collect();
            checkin::confirm(&found, a.force, "add --force")?;
            let actor = super::actor(store, staff);
            let saved = checkin::edit(store, &actor, id, &correction)?;
            println!(
                "corrected check-in {} (revision {}; the earlier version is kept)",
                saved.id, saved.meta.revision
            );
        }
        CheckinCommand::Void { id, reason } => {
            let id = parse_id(id)?;
            let actor = super::actor(store, staff);
            let saved = checkin::void(store, &actor, id, reason)?;
            println!("voided check-in {} ({})", saved.id, escape_line(reason));
        }
        CheckinCommand::List { peer, limit, json } => {
            let peer = resolve_peer(store, peer)?;
            let list = store.recent_checkins(peer.id, *limit)?;
            if *json {
                super::output::print_json(&list)?;
            } else {
                println!(
                    "{} ({}): {}",
                    escape_line(&peer.display_name),
                    peer.id,
                    plural(list.len(), "check-in", "check-ins")
                );
                for c in &list {
                    println!("{}", line(c));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "1 check-in", "2 check-ins".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn parse_id(text: &str) -> Result<CheckInId> {
    text.parse::<CheckInId>()
        .map_err(|e| anyhow::anyhow!("check-in: {e}"))
}

fn correction(store: &dyn Store, current: &Record<CheckIn>, a: &EditArgs) -> Result<Correction> {
    let mut c = Correction::default();
    if let Some(m) = &a.minutes {
        c.minutes = Some(parse_minutes("--minutes", m)?);
    }
    c.note = a.note.clone();
    c.mode = a.mode;
    if !a.support.is_empty() {
        c.support = Some(a.support.clone());
    }
    if !a.goals.is_empty() {
        let peer = store.peer(current.peer)?;
        let mut ids = Vec::new();
        for g in &a.goals {
            ids.push(resolve_goal(store, &peer, g)?.id);
        }
        c.goals = Some(ids);
    }
    if let Some(t) = &a.at {
        c.at = Some(parse_datetime("--at", t, local_now())?);
    }
    if let Some(f) = &a.follow_up {
        let day = c.at.unwrap_or(current.at).date_naive();
        c.follow_up = Some(if f.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            Some(parse_date_as(
                "--follow-up",
                f,
                day,
                Direction::Future,
                DateKind::FollowUp,
            )?)
        });
    }
    Ok(c)
}

/// One check-in on one line, for lists.
fn line(c: &Record<CheckIn>) -> String {
    let mut s = format!(
        "{:<6} {}  {:>4} min  {:<10} {}",
        c.id.to_string(),
        c.at.format("%Y-%m-%d %H:%M"),
        c.minutes,
        c.mode.label(),
        crate::text::cell(&c.note, 60)
    );
    if let Some(v) = &c.voided {
        s.push_str(&format!("  [voided: {}]", escape_line(&v.reason)));
    }
    if c.meta.revision > 1 {
        s.push_str("  [corrected]");
    }
    s
}

fn print_checkin(store: &dyn Store, c: &Record<CheckIn>, indent: &str) -> Result<()> {
    let peer = store.peer(c.peer)?;
    println!(
        "{indent}peer: {} ({})",
        escape_line(&peer.display_name),
        peer.id
    );
    println!("{indent}staff: {}", c.staff);
    println!("{indent}at: {}", c.at.format("%Y-%m-%d %H:%M"));
    println!("{indent}minutes: {}", c.minutes);
    println!("{indent}mode: {}", c.mode.label());
    let support: Vec<&str> = c.support.iter().map(|k| k.label()).collect();
    println!("{indent}support: {}", support.join(", "));
    let goals: Vec<String> = c.goals.iter().map(ToString::to_string).collect();
    println!("{indent}goals: {}", goals.join(", "));
    if let Some(f) = c.follow_up {
        println!("{indent}follow-up: {f}");
    }
    println!("{indent}note: {}", escape_line(&c.note));
    println!(
        "{indent}saved: {} by {}",
        c.meta.updated_at.format("%Y-%m-%d %H:%M"),
        escape_line(&c.meta.updated_by.to_string())
    );
    if let Some(v) = &c.voided {
        println!(
            "{indent}voided: {} by {}: {}",
            v.at.format("%Y-%m-%d %H:%M"),
            escape_line(&v.by.to_string()),
            escape_line(&v.reason)
        );
    }
    Ok(())
}
