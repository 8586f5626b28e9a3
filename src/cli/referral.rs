//! `caseload resource …`, `refer`, `referral …` and `card`: the resource
//! directory, referrals and the take-home card, through `ops::referral`
//! (what the Resources screen and the peer page call).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::model::choice::Choice;
use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::{
    Record, Referral, ReferralId, ReferralStatus, Resource, ResourceCategory, ResourceId,
};
use crate::ops::local_now;
use crate::ops::lookup::{resolve_peer, resolve_resource};
use crate::ops::referral::{self, NewReferral};
use crate::store::Store;
use crate::text::escape_line;

use super::output::{col, print_json};

fn category(s: &str) -> Result<ResourceCategory, String> {
    ResourceCategory::parse_choice(s).map_err(|e| e.to_string())
}

fn status(s: &str) -> Result<ReferralStatus, String> {
    ReferralStatus::parse_choice(s).map_err(|e| e.to_string())
}

/// The fields of a directory entry, as options (all optional on `edit`).
#[derive(Debug, Args)]
pub struct ResourceFields {
    /// What kind of help: housing, food, employment, health, mental-health,
    /// recovery-meetings, legal, transportation, crisis, other.
    #[arg(long, value_parser = category)]
    pub category: Option<ResourceCategory>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Street address.
    #[arg(long)]
    pub address: Option<String>,
    /// Opening hours ("Mon-Fri 9-5", "24/7").
    #[arg(long)]
    pub hours: Option<String>,
    /// Who may use it.
    #[arg(long)]
    pub eligibility: Option<String>,
    /// Staff notes (never printed on a take-home card).
    #[arg(long)]
    pub notes: Option<String>,
    /// Reachable outside working hours: goes on the take-home card
    /// (`--after-hours true|false`).
    #[arg(long)]
    pub after_hours: Option<bool>,
}

impl ResourceFields {
    fn apply(&self, r: &mut Resource) {
        if let Some(c) = self.category {
            r.category = c;
        }
        let set = |to: &mut String, from: &Option<String>| {
            if let Some(v) = from {
                *to = v.clone();
            }
        };
        set(&mut r.phone, &self.phone);
        set(&mut r.address, &self.address);
        set(&mut r.hours, &self.hours);
        set(&mut r.eligibility, &self.eligibility);
        set(&mut r.notes, &self.notes);
        if let Some(a) = self.after_hours {
            r.after_hours = a;
        }
    }
}

/// `caseload resource …`.
#[derive(Debug, Subcommand)]
pub enum ResourceCommand {
    /// Add an entry to the community resource directory.
    Add {
        /// Its name.
        name: String,
        /// Its fields (--category is required).
        #[command(flatten)]
        fields: ResourceFields,
    },
    /// Change an entry: only the fields given change.
    Edit {
        /// The resource: an id (RS3) or its name.
        resource: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// The fields to change.
        #[command(flatten)]
        fields: ResourceFields,
        /// Active (true) or kept but out of pickers and cards (false).
        #[arg(long)]
        active: Option<bool>,
    },
    /// List the directory, or the entries matching a search.
    List {
        /// Fuzzy search over name, category and address.
        search: Option<String>,
        /// Only this category.
        #[arg(long, value_parser = category)]
        category: Option<ResourceCategory>,
        /// Include inactive entries.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one entry.
    Show {
        /// The resource: an id (RS3) or its name.
        resource: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload refer PEER RESOURCE`.
#[derive(Debug, Args)]
pub struct ReferArgs {
    /// The peer: an id (P12) or a name.
    pub peer: String,
    /// The resource: an id (RS3) or its name.
    pub resource: String,
    /// A note for the referral's history.
    #[arg(long)]
    pub note: Option<String>,
    /// When it was made (default today).
    #[arg(long)]
    pub date: Option<String>,
}

/// `caseload referral …`.
#[derive(Debug, Subcommand)]
pub enum ReferralCommand {
    /// Record a referral's new status (made, connected, declined,
    /// no-response, closed).
    Set {
        /// The referral's id (RF4).
        referral: String,
        /// Where it stands now.
        #[arg(long, value_parser = status)]
        status: ReferralStatus,
        /// What happened (the outcome note).
        #[arg(long)]
        note: Option<String>,
        /// When it changed (default today).
        #[arg(long)]
        date: Option<String>,
    },
    /// List referrals, newest first.
    List {
        /// Only open ones (made or no response).
        #[arg(long)]
        open: bool,
        /// Only this peer's.
        #[arg(long)]
        peer: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload card PEER`.
#[derive(Debug, Args)]
pub struct CardArgs {
    /// The peer: an id (P12) or a name.
    pub peer: String,
    /// Write it to this file (private, replaced in one step) instead of
    /// printing it.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn day_of(field: &str, text: &Option<String>) -> Result<chrono::NaiveDate> {
    let today = local_now().date_naive();
    Ok(match text {
        Some(d) => parse_date_as(field, d, today, Direction::Past, DateKind::Contact)?,
        None => today,
    })
}

fn print_resource(r: &Record<Resource>) {
    println!("{} {}", r.id, escape_line(&r.name));
    println!("  category:    {}", r.category.label());
    for (k, v) in [
        ("phone", &r.phone),
        ("address", &r.address),
        ("hours", &r.hours),
        ("eligibility", &r.eligibility),
        ("notes", &r.notes),
    ] {
        if !v.is_empty() {
            println!("  {}{}", col(&format!("{k}:"), 13), escape_line(v));
        }
    }
    if r.after_hours {
        println!("  after hours: yes (on take-home cards)");
    }
    if !r.active {
        println!("  inactive");
    }
}

/// Runs `caseload resource …`.
pub fn run_resource(store: &dyn Store, cmd: &ResourceCommand) -> Result<ExitCode> {
    match cmd {
        ResourceCommand::Add { name, fields } => {
            let Some(c) = fields.category else {
                bail!(
                    "--category: give what kind of help it is (valid: {})",
                    keys::<ResourceCategory>()
                );
            };
            let mut r = Resource::new(name.clone(), c);
            fields.apply(&mut r);
            let actor = super::actor(store, None);
            let saved = referral::add_resource(store, r, &actor)?;
            println!("added resource {} {}", saved.id, escape_line(&saved.name));
        }
        ResourceCommand::Edit {
            resource,
            name,
            fields,
            active,
        } => {
            let mut r = resolve_resource(store, resource)?;
            if let Some(n) = name {
                r.name = n.clone();
            }
            fields.apply(&mut r);
            if let Some(a) = active {
                r.active = *a;
            }
            let actor = super::actor(store, None);
            let saved = store.update_resource(&r, &actor)?;
            println!("saved resource {} {}", saved.id, escape_line(&saved.name));
        }
        ResourceCommand::List {
            search,
            category,
            all,
            json,
        } => {
            let list = store.list_resources()?;
            let hits: Vec<&Record<Resource>> =
                referral::search_resources(&list, search.as_deref().unwrap_or(""), *all)
                    .into_iter()
                    .filter(|r| category.is_none_or(|c| r.category == c))
                    .collect();
            if *json {
                print_json(&hits)?;
            } else if hits.is_empty() {
                println!("no resources");
            } else {
                for r in hits {
                    println!(
                        "{} {} {} {}{}",
                        col(&r.id.to_string(), 6),
                        col(&escape_line(&r.name), 32),
                        col(r.category.label(), 18),
                        escape_line(&r.phone),
                        if r.active { "" } else { " (inactive)" }
                    );
                }
            }
        }
        ResourceCommand::Show { resource, json } => {
            let r = resolve_resource(store, resource)?;
            if *json {
                print_json(&r)?;
            } else {
                print_resource(&r);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn keys<C: Choice>() -> String {
    C::ALL
        .iter()
        .map(|c| c.key())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `caseload refer`.
pub fn run_refer(store: &dyn Store, args: &ReferArgs) -> Result<ExitCode> {
    let date = day_of("--date", &args.date)?;
    let peer = resolve_peer(store, &args.peer)?;
    let resource = resolve_resource(store, &args.resource)?;
    let actor = super::actor(store, None);
    let saved = referral::refer(
        store,
        NewReferral {
            peer: peer.id,
            resource: resource.id,
            date,
            by: actor.staff,
            note: args.note.clone().unwrap_or_default(),
            checkin: None,
        },
        &actor,
    )?;
    println!(
        "referral {}: {} ({}) to {} ({}) on {}",
        saved.id,
        escape_line(&peer.display_name),
        peer.id,
        escape_line(&resource.name),
        resource.id,
        saved.date
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct JsonReferral<'a> {
    #[serde(flatten)]
    referral: &'a Record<Referral>,
    status: ReferralStatus,
    open: bool,
    last_update: chrono::NaiveDate,
    outcome: &'a str,
    peer_name: String,
    resource_name: String,
}

/// Runs `caseload referral …`.
pub fn run_referral(store: &dyn Store, cmd: &ReferralCommand) -> Result<ExitCode> {
    match cmd {
        ReferralCommand::Set {
            referral: id,
            status,
            note,
            date,
        } => {
            let id: ReferralId = id.parse().map_err(|e| anyhow::anyhow!("referral: {e}"))?;
            let date = day_of("--date", date)?;
            let actor = super::actor(store, None);
            let saved = referral::set_status(
                store,
                id,
                *status,
                date,
                note.as_deref().unwrap_or(""),
                actor.staff,
                &actor,
            )?;
            println!(
                "referral {} is {} since {}",
                saved.id,
                saved.status().label(),
                saved.last_update()
            );
        }
        ReferralCommand::List { open, peer, json } => {
            let mut list = match peer {
                Some(p) => store.referrals_for_peer(resolve_peer(store, p)?.id)?,
                None if *open => store.open_referrals()?,
                None => referral::all_referrals(store)?,
            };
            if *open {
                list.retain(|r| r.is_open());
            }
            list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
            let peers = store.list_peers()?;
            let resources = store.list_resources()?;
            let peer_name = |r: &Record<Referral>| {
                peers
                    .iter()
                    .find(|p| p.id == r.peer)
                    .map_or_else(|| r.peer.to_string(), |p| p.display_name.clone())
            };
            let resource_name = |id: ResourceId| {
                resources
                    .iter()
                    .find(|x| x.id == id)
                    .map_or_else(|| id.to_string(), |x| x.name.clone())
            };
            if *json {
                let rows: Vec<JsonReferral<'_>> = list
                    .iter()
                    .map(|r| JsonReferral {
                        referral: r,
                        status: r.status(),
                        open: r.is_open(),
                        last_update: r.last_update(),
                        outcome: r.outcome(),
                        peer_name: peer_name(r),
                        resource_name: resource_name(r.resource),
                    })
                    .collect();
                print_json(&rows)?;
            } else if list.is_empty() {
                println!("no referrals");
            } else {
                for r in &list {
                    println!(
                        "{} {} {} {} {} {}",
                        col(&r.id.to_string(), 6),
                        r.date,
                        col(&escape_line(&peer_name(r)), 20),
                        col(&escape_line(&resource_name(r.resource)), 28),
                        col(r.status().label(), 12),
                        escape_line(r.outcome())
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseload card`.
pub fn run_card(store: &dyn Store, args: &CardArgs) -> Result<ExitCode> {
    let peer = resolve_peer(store, &args.peer)?;
    let text = referral::card(store, peer.id, local_now().date_naive())?;
    match &args.out {
        Some(path) => {
            let saved = referral::save_card(path, &text)?;
            println!("card of {} written to {}", peer.id, saved.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
