//! `caseload visit …` (drop-in visits at the front desk) and `caseload
//! kiosk` (the self sign-in screen), through `ops::visit` and the kiosk's
//! store operations.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::model::dates::{parse_date_as, parse_datetime, DateKind, Direction};
use crate::ops::local_now;
use crate::ops::lookup::resolve_peer;
use crate::ops::visit::{self, VisitRow};
use crate::store::Store;
use crate::text::escape_line;

use super::output::{col, print_json};

/// `caseload visit PEER [--at T] [--purpose P]`, or one of its commands.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct VisitArgs {
    /// `list`, `out`, `code` or `intakes`; without one, signs PEER in.
    #[command(subcommand)]
    pub command: Option<VisitCommand>,
    /// The peer signing in: an id (P12) or a name.
    #[arg(required = true)]
    pub peer: Option<String>,
    /// When they came in ("now" by default; "9:30", "2026-03-02 09:30").
    #[arg(long)]
    pub at: Option<String>,
    /// Why they came, from the center's list (drop-in, computer, laundry,
    /// meal, meeting, other).
    #[arg(long)]
    pub purpose: Option<String>,
}

/// The front desk's other commands.
#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// A day's visits, by time in.
    List {
        /// The day (today by default).
        #[arg(long)]
        date: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign a peer's visit of today out.
    Out {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// When they left ("now" by default).
        #[arg(long)]
        at: Option<String>,
    },
    /// Set or clear the personal code a peer may type at the kiosk.
    Code {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// The code (unique per peer); leave out with --clear.
        #[arg(required_unless_present = "clear")]
        code: Option<String>,
        /// Clear the peer's code.
        #[arg(long, conflicts_with = "code")]
        clear: bool,
    },
    /// Intakes left at the kiosk ("I'm new here"), and settling one.
    Intakes {
        /// Settle this intake (IN3) …
        #[arg(long)]
        resolve: Option<String>,
        /// … as this peer (new or known; their visit is recorded), or
        /// dismiss it with --dismiss.
        #[arg(long, requires = "resolve")]
        peer: Option<String>,
        /// Dismiss the intake without recording a visit.
        #[arg(long, requires = "resolve", conflicts_with = "peer")]
        dismiss: bool,
    },
}

/// `caseload kiosk`: a shared terminal as the self sign-in screen.
#[derive(Debug, Args)]
pub struct KioskArgs {
    /// The terminal's name on the audit trail.
    #[arg(long, default_value = "front desk")]
    pub station: String,
}

/// Runs `caseload visit …`.
pub fn run(store: &dyn Store, args: &VisitArgs) -> Result<ExitCode> {
    let actor = super::actor(store, None);
    let now = local_now();
    match &args.command {
        None => {
            let Some(text) = &args.peer else {
                anyhow::bail!("give the peer who is signing in: caseload visit PEER");
            };
            let peer = resolve_peer(store, text)?;
            let at = match &args.at {
                Some(t) => parse_datetime("--at", t, now)?,
                None => now,
            };
            let v = visit::sign_in(store, &actor, peer.id, at, now, args.purpose.as_deref())?;
            let again = v.meta.revision > 1;
            println!(
                "{} {} {} signed in at {}{}{}",
                v.id,
                peer.id,
                escape_line(&peer.display_name),
                v.time_in.format("%H:%M"),
                v.purpose
                    .as_deref()
                    .map(|p| format!(" ({})", escape_line(p)))
                    .unwrap_or_default(),
                if again {
                    " (already in today: the visit was updated)"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(VisitCommand::List { date, json }) => {
            let today = now.date_naive();
            let date = match date {
                Some(d) => parse_date_as("--date", d, today, Direction::Past, DateKind::Day)?,
                None => today,
            };
            let rows = visit::visits_on(store, date)?;
            if *json {
                #[derive(serde::Serialize)]
                struct Doc<'a> {
                    date: chrono::NaiveDate,
                    count: usize,
                    visits: &'a [VisitRow],
                }
                print_json(&Doc {
                    date,
                    count: rows.len(),
                    visits: &rows,
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            println!("Visits on {} ({})", date.format("%A %-d %B %Y"), rows.len());
            if rows.is_empty() {
                println!("  none");
            }
            for r in &rows {
                println!(
                    "  {} {} {}  {}–{}  {}",
                    col(&r.id, 5),
                    col(&r.peer.to_string(), 6),
                    col(&escape_line(&r.name), 24),
                    r.time_in,
                    r.time_out.as_deref().unwrap_or("     "),
                    escape_line(r.purpose.as_deref().unwrap_or(""))
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(VisitCommand::Out { peer, at }) => {
            let peer = resolve_peer(store, peer)?;
            let at = match at {
                Some(t) => parse_datetime("--at", t, now)?,
                None => now,
            };
            let v = visit::sign_out(store, &actor, peer.id, at)?;
            println!(
                "{} {} {} signed out at {} (in since {})",
                v.id,
                peer.id,
                escape_line(&peer.display_name),
                v.time_out
                    .map(|t| t.format("%H:%M").to_string())
                    .unwrap_or_default(),
                v.time_in.format("%H:%M")
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(VisitCommand::Code { peer, code, clear }) => {
            let peer = resolve_peer(store, peer)?;
            let code = if *clear { None } else { code.clone() };
            store.set_kiosk_code(peer.id, code.clone(), &actor)?;
            match code {
                Some(_) => println!(
                    "{} {} may now type their code at the kiosk",
                    peer.id,
                    escape_line(&peer.display_name)
                ),
                None => println!(
                    "{} {} has no kiosk code now",
                    peer.id,
                    escape_line(&peer.display_name)
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(VisitCommand::Intakes {
            resolve,
            peer,
            dismiss,
        }) => {
            if let Some(id) = resolve {
                let id: crate::model::IntakeId = id.parse()?;
                let peer = match (peer, dismiss) {
                    (Some(p), _) => Some(resolve_peer(store, p)?),
                    (None, true) => None,
                    (None, false) => anyhow::bail!(
                        "--resolve {id}: give --peer P12 (the new or known peer) or --dismiss"
                    ),
                };
                match store.resolve_intake(id, peer.as_ref().map(|p| p.id), &actor)? {
                    Some(v) => println!(
                        "{id} settled: {} {} signed in on {} at {} ({})",
                        v.peer,
                        peer.map(|p| escape_line(&p.display_name).into_owned())
                            .unwrap_or_default(),
                        v.day,
                        v.time_in.format("%H:%M"),
                        v.id
                    ),
                    None => println!("{id} dismissed"),
                }
                return Ok(ExitCode::SUCCESS);
            }
            let intakes = store.pending_intakes()?;
            println!("Pending intakes ({})", intakes.len());
            if intakes.is_empty() {
                println!("  none");
            }
            for i in &intakes {
                println!(
                    "  {} {}  {} {}",
                    col(&i.id.to_string(), 5),
                    col(&escape_line(&i.first_name), 20),
                    i.day,
                    i.time.format("%H:%M")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs `caseload kiosk`: the store's session becomes the kiosk, and the
/// sign-in screen runs until a staff PIN leaves it.
pub fn kiosk(store: &dyn Store, args: &KioskArgs) -> Result<ExitCode> {
    let center = store.settings()?.organization_name;
    store.enter_kiosk(args.station.clone(), &super::actor(store, None))?;
    crate::ui::kiosk::run(store, &center)?;
    Ok(ExitCode::SUCCESS)
}
