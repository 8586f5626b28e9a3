//! `caseload consent …` (the consent register) and the disclosures made
//! with `export --for` and `report --for`, through `ops::consent`.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{ArgGroup, Subcommand};
use serde::Serialize;

use crate::fsutil::AtomicFile;
use crate::model::dates::{parse_date_as, DateKind, Direction};
use crate::model::{Choice, Consent, ConsentId, Expiry, Peer, RecipientKind, Record, ShareKind};
use crate::ops::consent::{
    add_consent, disclose, document_rows, document_text, list, prepare, revoke, Ask,
    DisclosureDocument,
};
use crate::ops::local_now;
use crate::ops::lookup::resolve_peer;
use crate::store::Store;
use crate::text::escape_line;

use super::args::parse_choice;
use super::output::{col, csv_text, print_json};

/// `caseload consent …`.
#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Record a consent the peer signed; prints its id (CN3).
    #[command(group(ArgGroup::new("ends").required(true).args(["expires", "until_event"])))]
    Add {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Who may receive the information: a person or an organization.
        #[arg(long = "to", value_name = "RECIPIENT")]
        to: String,
        /// Whether the recipient is a person or an organization.
        #[arg(long, value_name = "KIND", default_value = "organization", value_parser = parse_choice::<RecipientKind>)]
        recipient_kind: RecipientKind,
        /// What the information is for, in the form's words.
        #[arg(long, value_name = "TEXT")]
        purpose: String,
        /// A kind of information it allows: contact-details, attendance,
        /// goals, checkin-notes (repeatable, or comma-separated).
        #[arg(long = "shares", value_name = "KIND", value_delimiter = ',', value_parser = parse_choice::<ShareKind>)]
        shares: Vec<ShareKind>,
        /// What may be shared, in the form's words (besides the kinds).
        #[arg(long, value_name = "TEXT", default_value = "")]
        shares_text: String,
        /// The day the peer signed it (not after today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        signed: String,
        /// The last day it is valid.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        expires: Option<String>,
        /// The event or condition that ends it, in the form's words.
        #[arg(long, value_name = "TEXT")]
        until_event: Option<String>,
    },
    /// List consents with their state today: one peer's, or everyone's.
    List {
        /// The peer: an id (P12) or a name (default: every peer).
        peer: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only active consents ending within this many days (30d, 4w, 30).
        #[arg(long, value_name = "DAYS", value_parser = days_arg, allow_hyphen_values = true)]
        expiring_within: Option<u16>,
    },
    /// Revoke a consent from a day (the peer may revoke at any time).
    Revoke {
        /// The consent's id (CN3).
        consent: String,
        /// The day it stops being valid.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: String,
        /// How it was revoked ("in writing", "by phone").
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// A peer's disclosure history: what was given to whom, under which
    /// consent.
    Disclosures {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `--expiring-within`: days as `30`, `30d` or `4w`, 1 to 3650.
fn days_arg(s: &str) -> Result<u16, String> {
    let t = s.trim().to_ascii_lowercase();
    let (digits, times) = match t.strip_suffix('w') {
        Some(d) => (d, 7u32),
        None => (t.strip_suffix('d').unwrap_or(&t), 1),
    };
    match digits.trim().parse::<u32>() {
        Ok(n) if (1..=3650).contains(&(n * times)) => Ok((n * times) as u16),
        _ => Err(format!(
            "give a number of days from 1 to 3650, like 30d or 4w; got '{}'",
            escape_line(s)
        )),
    }
}

fn consent_id(text: &str) -> Result<ConsentId> {
    text.parse().map_err(|e| anyhow!("CONSENT: {e}"))
}

/// One consent as JSON, with its state today.
#[derive(Serialize)]
struct JsonConsent<'a> {
    #[serde(flatten)]
    consent: &'a Record<Consent>,
    state: &'static str,
}

/// Runs `caseload consent …`.
pub fn run(store: &dyn Store, cmd: &ConsentCommand) -> Result<ExitCode> {
    let today = local_now().date_naive();
    match cmd {
        ConsentCommand::Add {
            peer,
            to,
            recipient_kind,
            purpose,
            shares,
            shares_text,
            signed,
            expires,
            until_event,
        } => {
            let signed = parse_date_as("--signed", signed, today, Direction::Past, DateKind::Day)?;
            let expiry = match (expires, until_event) {
                (Some(d), _) => Expiry::On(parse_date_as(
                    "--expires",
                    d,
                    today,
                    Direction::Future,
                    DateKind::Target,
                )?),
                (None, Some(e)) => Expiry::Event(e.trim().to_string()),
                (None, None) => bail!("give --expires DATE or --until-event TEXT"),
            };
            let peer = resolve_peer(store, peer)?;
            let consent = Consent {
                peer: peer.id,
                recipient: to.trim().to_string(),
                recipient_kind: *recipient_kind,
                purpose: purpose.trim().to_string(),
                shares: shares.clone(),
                shares_text: shares_text.trim().to_string(),
                signed,
                expiry,
                revoked: None,
            };
            let actor = super::actor(store, None);
            let saved = add_consent(store, &actor, consent, today)?;
            println!("{}", saved.id);
        }
        ConsentCommand::List {
            peer,
            json,
            expiring_within,
        } => {
            let peer = match peer {
                Some(p) => Some(resolve_peer(store, p)?),
                None => None,
            };
            let consents = list(store, peer.as_ref().map(|p| p.id), today, *expiring_within)?;
            if *json {
                let rows: Vec<JsonConsent<'_>> = consents
                    .iter()
                    .map(|c| JsonConsent {
                        consent: c,
                        state: c.state_on(today).label(),
                    })
                    .collect();
                print_json(&rows)?;
                return Ok(ExitCode::SUCCESS);
            }
            print_consents(&consents, today);
            if let Some(p) = &peer {
                print_disclosures(store, p)?;
            }
        }
        ConsentCommand::Revoke {
            consent,
            date,
            note,
        } => {
            let id = consent_id(consent)?;
            let date = parse_date_as("--date", date, today, Direction::Past, DateKind::Day)?;
            let actor = super::actor(store, None);
            let saved = revoke(store, &actor, id, date, note.trim().to_string())?;
            println!(
                "revoked {} ({} for {}) from {date}",
                saved.id,
                saved.peer,
                escape_line(&saved.recipient)
            );
        }
        ConsentCommand::Disclosures { peer, json } => {
            let peer = resolve_peer(store, peer)?;
            if *json {
                print_json(&store.disclosures_for_peer(peer.id)?)?;
            } else {
                print_disclosures(store, &peer)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_consents(consents: &[Record<Consent>], today: chrono::NaiveDate) {
    if consents.is_empty() {
        println!("no consents");
        return;
    }
    println!(
        "{} {} {} {} {} shares",
        col("id", 6),
        col("peer", 6),
        col("state", 14),
        col("recipient", 24),
        col("ends", 30),
    );
    for c in consents {
        let mut shares = c.shares_keys();
        if !c.shares_text.is_empty() {
            if !shares.is_empty() {
                shares.push_str("; ");
            }
            shares.push_str(&c.shares_text);
        }
        let ends = match &c.revoked {
            Some(r) => format!("revoked {}", r.date),
            None => c.expiry_text(),
        };
        println!(
            "{} {} {} {} {} {}",
            col(&c.id.to_string(), 6),
            col(&c.peer.to_string(), 6),
            col(c.state_on(today).label(), 14),
            col(&c.recipient, 24),
            col(&ends, 30),
            escape_line(&shares)
        );
    }
}

fn print_disclosures(store: &dyn Store, peer: &Record<Peer>) -> Result<()> {
    let list = store.disclosures_for_peer(peer.id)?;
    println!();
    println!(
        "Disclosures of {} {} ({})",
        peer.id,
        escape_line(&peer.display_name),
        list.len()
    );
    for d in &list {
        println!(
            "  {} {} to {} under {}: {} ({}; {})",
            d.id,
            crate::model::dates::CENTER
                .at(&d.at)
                .format("%Y-%m-%d %H:%M"),
            escape_line(&d.recipient),
            d.consent,
            d.included_keys(),
            escape_line(&d.what),
            escape_line(&d.to)
        );
    }
    Ok(())
}

/// How a disclosure is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DisclosureFormat {
    /// One JSON document; the notice is its first field.
    Json,
    /// Rows of section, item, value; the notice is the first (comment) line.
    Csv,
    /// Plain text; the notice is its first lines.
    Text,
}

/// Gives one peer's information to `recipient` under their consent (an
/// export or report `--for`): refused unless an active consent covers the
/// recipient and every kind included; recorded (the audit trail and the
/// peer's disclosure history) before anything is written.
#[allow(clippy::too_many_arguments)]
pub(super) fn run_disclosure(
    store: &dyn Store,
    recipient: &str,
    peer: &str,
    shares: &[ShareKind],
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    what: String,
    format: DisclosureFormat,
    out: Option<&Path>,
) -> Result<ExitCode> {
    let today = local_now().date_naive();
    if recipient.trim().is_empty() {
        bail!("--for: name the recipient, as the consent names them");
    }
    let peer = resolve_peer(store, peer).map_err(|e| anyhow!("--peer: {e}"))?;
    let ask = Ask {
        peer: &peer,
        recipient,
        shares,
        period,
        what,
    };
    let mut doc = prepare(store, &ask, today)?;
    let to = match out {
        Some(p) => p.display().to_string(),
        None => "standard output".to_string(),
    };
    let actor = super::actor(store, None);
    let rec = disclose(store, &actor, &mut doc, &to)?;
    match out {
        Some(path) => {
            let mut file = AtomicFile::begin(path)?;
            {
                let mut w = BufWriter::new(file.file());
                write_document(&doc, format, &mut w)
                    .and_then(|_| w.flush().map_err(Into::into))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            file.commit()?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            write_document(&doc, format, &mut w)?;
            w.flush()?;
        }
    }
    eprintln!(
        "disclosed {} of {} to {} under consent {} (recorded as {})",
        doc.included
            .iter()
            .map(|k| k.key())
            .collect::<Vec<_>>()
            .join(", "),
        doc.peer,
        escape_line(&doc.recipient),
        doc.consent,
        rec.id
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the document: the notice on top in every format.
fn write_document(
    doc: &DisclosureDocument,
    format: DisclosureFormat,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        DisclosureFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, doc)?;
            writeln!(out)?;
        }
        DisclosureFormat::Text => out.write_all(document_text(doc).as_bytes())?,
        DisclosureFormat::Csv => {
            write!(out, "# {}\r\n", doc.notice)?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            w.write_record(["section", "item", "value"])?;
            for [a, b, c] in document_rows(doc) {
                w.write_record([csv_text(&a), csv_text(&b), csv_text(&c)])?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| anyhow!("cannot encode a row: {e}"))?;
            out.write_all(&bytes)?;
        }
    }
    Ok(())
}
