//! `caseload peer`: the roster.

use std::process::ExitCode;

use anyhow::Result;

use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::{Choice, Peer, Record};
use crate::ops::local_now;
use crate::ops::lookup::{resolve_peer, resolve_staff};
use crate::ops::peer::{add_peer, peer_overview_of, PeerOverview};
use crate::store::Store;
use crate::text::{escape_line, escape_multiline};

use super::args::{PeerCommand, PeerFields};
use super::output::{col, goal_line, print_json};

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Applies the fields given on the command line; absent ones stay as they
/// are, and an empty value clears an optional field.
fn apply(store: &dyn Store, peer: &mut Peer, f: &PeerFields) -> Result<()> {
    if f.phone.is_some() {
        peer.phone = non_empty(&f.phone);
    }
    if f.email.is_some() {
        peer.email = non_empty(&f.email);
    }
    if f.pronouns.is_some() {
        peer.pronouns = non_empty(&f.pronouns);
    }
    if f.legal_name.is_some() {
        peer.legal_name = non_empty(&f.legal_name);
    }
    if let Some(c) = f.cadence_days {
        peer.cadence_days = (c > 0).then_some(c);
        if c == 0 {
            peer.cadence_days = None;
        }
    }
    if let Some(s) = &f.assign {
        peer.assigned_staff = if s.trim().is_empty() {
            None
        } else {
            Some(resolve_staff(store, s)?.id)
        };
    }
    if f.contact_mode.is_some() {
        peer.preferred_contact = f.contact_mode;
    }
    for t in &f.tags {
        if !peer.tags.contains(t) {
            peer.tags.push(t.clone());
        }
    }
    if f.emergency_contact.is_some() {
        peer.emergency_contact = non_empty(&f.emergency_contact);
    }
    if let Some(n) = &f.notes {
        peer.notes = n.clone();
    }
    apply_demographics(store, peer, f)
}

/// The optional demographic flags: refused unless the organization turned
/// the field on in settings, so nobody is asked for what is not collected.
fn apply_demographics(store: &dyn Store, peer: &mut Peer, f: &PeerFields) -> Result<()> {
    let on = store.settings()?.demographics;
    let check = |given: bool, enabled: bool, flag: &str, key: &str| -> Result<()> {
        if given && !enabled {
            anyhow::bail!(
                "{flag}: this organization does not collect it; an admin turns it on with `caseload settings --demographics {key}`"
            );
        }
        Ok(())
    };
    check(f.age_band.is_some(), on.age_band, "--age-band", "age-band")?;
    check(
        f.gender_identity.is_some(),
        on.gender_identity,
        "--gender-identity",
        "gender-identity",
    )?;
    check(f.veteran.is_some(), on.veteran, "--veteran", "veteran")?;
    check(f.county.is_some(), on.county, "--county", "county")?;
    let d = &mut peer.demographics;
    if let Some(a) = &f.age_band {
        d.age_band = if a.trim().is_empty() {
            None
        } else {
            Some(
                <crate::model::AgeBand as crate::model::Choice>::parse_choice(a)
                    .map_err(|e| anyhow::anyhow!("--age-band: {e}"))?,
            )
        };
    }
    if f.gender_identity.is_some() {
        d.gender_identity = non_empty(&f.gender_identity);
    }
    if let Some(v) = &f.veteran {
        d.veteran =
            super::args::yes_no_unknown(v).map_err(|e| anyhow::anyhow!("--veteran: {e}"))?;
    }
    if f.county.is_some() {
        d.county = non_empty(&f.county);
    }
    Ok(())
}

/// Runs `caseload peer …`.
pub fn run(store: &dyn Store, cmd: &PeerCommand) -> Result<ExitCode> {
    let today = local_now().date_naive();
    match cmd {
        PeerCommand::Add {
            name,
            intake,
            new,
            fields,
        } => {
            let intake = match intake {
                Some(d) => parse_date_as("--intake", d, today, Direction::Past, DateKind::Intake)?,
                None => today,
            };
            let mut peer = Peer::new(name.trim(), intake);
            apply(store, &mut peer, fields)?;
            if !*new {
                let dups = crate::ops::roster::possible_duplicates(store, &peer)?;
                if !dups.is_empty() {
                    let named: Vec<String> = dups
                        .iter()
                        .map(|(p, why)| {
                            format!(
                                "{} ({}){}",
                                escape_line(&p.display_name),
                                p.id,
                                match why {
                                    crate::ops::roster::DuplicateReason::SameName =>
                                        " already exists",
                                    crate::ops::roster::DuplicateReason::SamePhone =>
                                        " has the same phone number",
                                }
                            )
                        })
                        .collect();
                    anyhow::bail!("{}; add --new to add another", named.join(", "));
                }
            }
            let actor = super::actor(store, None);
            let rec = add_peer(store, &actor, peer)?;
            println!("{}", rec.id);
        }
        PeerCommand::Discharge { peer, reason, date } => {
            let on = match date {
                Some(d) => parse_date_as("--date", d, today, Direction::Past, DateKind::Intake)?,
                None => today,
            };
            let p = resolve_peer(store, peer)?;
            let actor = super::actor(store, None);
            let rec = crate::ops::peer::discharge(store, &actor, p.id, on, reason)?;
            println!(
                "discharged {} ({}) on {on}",
                escape_line(&rec.display_name),
                rec.id
            );
        }
        PeerCommand::Merge { peer, into } => {
            // Which argument a lookup failed for is said first.
            let from = resolve_peer(store, peer).map_err(|e| anyhow::anyhow!("PEER: {e}"))?;
            let to = resolve_peer(store, into).map_err(|e| anyhow::anyhow!("--into: {e}"))?;
            let actor = super::actor(store, None);
            let rec = crate::ops::peer::merge(store, &actor, from.id, to.id)?;
            println!(
                "merged {} ({}) into {} ({}); {} now answers as {}",
                escape_line(&from.display_name),
                from.id,
                escape_line(&rec.display_name),
                rec.id,
                from.id,
                rec.id
            );
        }
        PeerCommand::Readmit { peer, date } => {
            let on = match date {
                Some(d) => parse_date_as("--date", d, today, Direction::Past, DateKind::Intake)?,
                None => today,
            };
            let p = resolve_peer(store, peer)?;
            let actor = super::actor(store, None);
            let rec = crate::ops::peer::readmit(store, &actor, p.id, on)?;
            println!(
                "re-admitted {} ({}) on {on}: episode {}",
                escape_line(&rec.display_name),
                rec.id,
                rec.episodes.len()
            );
        }
        PeerCommand::List {
            json,
            status,
            assigned,
        } => {
            let staff = match assigned {
                Some(s) => Some(resolve_staff(store, s)?.id),
                None => None,
            };
            let peers: Vec<Record<Peer>> = store
                .list_peers()?
                .into_iter()
                .filter(|p| status.is_none_or(|s| p.status == s))
                .filter(|p| staff.is_none() || p.assigned_staff == staff)
                .collect();
            if *json {
                print_json(&peers)?;
            } else {
                list(store, &peers)?;
            }
        }
        PeerCommand::Show { peer, json } => {
            // Opening a record is on the audit trail before anything
            // shows: the store's authorizing layer records the read (one
            // request, one synced audit write).
            let overview = peer_overview_of(store, peer)?;
            if *json {
                print_json(&overview)?;
            } else {
                show(store, &overview)?;
            }
        }
        PeerCommand::Edit {
            peer,
            name,
            status,
            reason,
            fields,
        } => {
            let mut rec = resolve_peer(store, peer)?;
            if let Some(n) = name {
                rec.display_name = n.trim().to_string();
            }
            if let Some(s) = status {
                rec.data
                    .set_status(*s, today.max(rec.intake_date), reason.clone());
            } else if reason.is_some() {
                rec.status_reason = reason.clone();
            }
            apply(store, &mut rec.data, fields)?;
            let actor = super::actor(store, None);
            let saved = store.update_peer(&rec, &actor)?;
            println!("saved {} (revision {})", saved.id, saved.meta.revision);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(store: &dyn Store, peers: &[Record<Peer>]) -> Result<()> {
    let staff = store.list_staff()?;
    let last = crate::ops::roster::last_contacts(store, local_now())?;
    println!(
        "{} {} {} {} {} LAST CONTACT",
        col("ID", 7),
        col("NAME", 28),
        col("STATUS", 10),
        col("STAFF", 5),
        col("EVERY", 6),
    );
    for p in peers {
        let initials = p
            .assigned_staff
            .and_then(|s| staff.iter().find(|x| x.id == s))
            .map(|s| s.initials.as_str())
            .unwrap_or("-");
        println!(
            "{} {} {} {} {} {}",
            col(&p.id.to_string(), 7),
            col(&p.display_name, 28),
            col(p.status.label(), 10),
            col(initials, 5),
            col(
                &p.cadence_days
                    .map(|c| format!("{c}d"))
                    .unwrap_or_else(|| "-".into()),
                6
            ),
            last.get(&p.id)
                .map(|d| d.to_string())
                .unwrap_or_else(|| "never".into())
        );
    }
    Ok(())
}

fn opt(label: &str, value: &Option<String>) {
    if let Some(v) = value {
        println!("{label:<18}{}", escape_line(v));
    }
}

fn show(store: &dyn Store, o: &PeerOverview) -> Result<()> {
    let p = &o.peer;
    let settings = store.settings()?;
    println!("{} {}", p.id, escape_line(&p.display_name));
    opt("pronouns", &p.pronouns);
    opt("legal name", &p.legal_name);
    opt("phone", &p.phone);
    opt("email", &p.email);
    if let Some(c) = p.preferred_contact {
        println!("{:<18}{}", "prefers", c.label());
    }
    println!("{:<18}{}", "intake", p.intake_date);
    println!(
        "{:<18}{} since {}{}",
        "status",
        p.status.label(),
        p.status_since,
        p.status_reason
            .as_ref()
            .map(|r| format!(" ({})", escape_line(r)))
            .unwrap_or_default()
    );
    if let Some(s) = &o.assigned {
        println!(
            "{:<18}{} ({})",
            "assigned to",
            escape_line(&s.name),
            s.initials
        );
    }
    if let Some(c) = p.cadence_days {
        println!(
            "{:<18}every {}",
            "contact",
            crate::text::count(usize::from(c), "day", "days")
        );
    }
    opt("emergency", &p.emergency_contact);
    if !p.tags.is_empty() {
        let tags: Vec<String> = p.tags.iter().map(|t| escape_line(t).into_owned()).collect();
        println!("{:<18}{}", "tags", tags.join(", "));
    }
    println!(
        "{:<18}{}",
        "last contact",
        o.last_contact()
            .map(|d| d.to_string())
            .unwrap_or_else(|| "never".into())
    );
    println!(
        "{:<18}{}",
        "next follow-up",
        o.next_follow_up
            .map(|d| d.to_string())
            .unwrap_or_else(|| "none planned".into())
    );
    if !p.notes.is_empty() {
        println!(
            "notes:\n  {}",
            escape_multiline(&p.notes).replace('\n', "\n  ")
        );
    }
    println!("\nGoals ({})", o.goals.len());
    for g in &o.goals {
        println!("  {}", goal_line(g));
    }
    println!("\nRecent check-ins");
    if o.recent_checkins.is_empty() {
        println!("  none yet");
    }
    for c in &o.recent_checkins {
        let support: Vec<&str> = c.support.iter().map(|s| s.label()).collect();
        println!(
            "  {} {} {} min {} ({} u){}{}",
            col(&c.id.to_string(), 8),
            c.at.format("%Y-%m-%d %H:%M"),
            c.minutes,
            c.mode.label(),
            settings.units_for(c.minutes),
            if support.is_empty() {
                String::new()
            } else {
                format!(" [{}]", support.join(", "))
            },
            if c.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", escape_line(&c.note))
            }
        );
    }
    println!(
        "\nGroups: attended {}",
        crate::text::count(o.sessions.len(), "session", "sessions")
    );
    if let Some(s) = o.sessions.first() {
        let group = store.group(s.group)?;
        println!("  last: {} on {}", escape_line(&group.name), s.date);
    }
    Ok(())
}
