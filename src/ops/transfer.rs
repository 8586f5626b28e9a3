//! Export and import: the whole store as one JSON document.
//!
//! Export streams: check-ins and sessions are read a page at a time and
//! written one record per line, so a store of a million check-ins exports
//! in constant memory. Import reads the document, checks all of it, and
//! only then writes, all or nothing.

use std::io::{BufRead, Write};

use serde::Serialize;

use crate::model::{Entity, Id, Record};
use crate::store::{Counts, Snapshot, Store, StoreResult};

use super::{OpsError, OpsResult};
use crate::model::Actor;

/// Names this document format in its header.
pub const FORMAT: &str = "caseload-export";
/// The export format version.
pub const FORMAT_VERSION: u32 = 1;
const PAGE: usize = crate::store::MAX_PAGE;

fn io(e: std::io::Error) -> OpsError {
    OpsError::Io(format!("cannot write the export: {e}"))
}

fn json<T: Serialize>(value: &T) -> OpsResult<String> {
    serde_json::to_string(value).map_err(|e| OpsError::Io(format!("cannot encode: {e}")))
}

/// Writes one JSON array member of the document, one record per line.
struct ArrayWriter<'a> {
    out: &'a mut dyn Write,
    count: u64,
}

impl<'a> ArrayWriter<'a> {
    fn open(out: &'a mut dyn Write, name: &str, first: bool) -> OpsResult<Self> {
        write!(out, "{}\"{name}\":[", if first { "" } else { ",\n" }).map_err(io)?;
        Ok(ArrayWriter { out, count: 0 })
    }

    fn push<T: Serialize>(&mut self, record: &T) -> OpsResult<()> {
        let sep = if self.count == 0 { "" } else { "," };
        write!(self.out, "{sep}\n{}", json(record)?).map_err(io)?;
        self.count += 1;
        Ok(())
    }

    fn all<T: Serialize>(mut self, records: &[T]) -> OpsResult<u64> {
        for r in records {
            self.push(r)?;
        }
        self.close()
    }

    /// Streams a store listing page by page (constant memory).
    fn paged<T: Entity>(
        mut self,
        fetch: impl Fn(Option<Id<T::Kind>>) -> StoreResult<Vec<Record<T>>>,
    ) -> OpsResult<u64> {
        let mut after = None;
        loop {
            let page = fetch(after)?;
            for r in &page {
                self.push(r)?;
            }
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last.id),
                _ => return self.close(),
            }
        }
    }

    fn close(self) -> OpsResult<u64> {
        write!(self.out, "\n]").map_err(io)?;
        Ok(self.count)
    }
}

/// Writes every record of the store to `out`; returns the counts written.
///
/// A consistent copy while others keep writing (sled has no snapshots):
/// records are read referencing ones first and referenced ones after —
/// check-ins and sessions, then goals, peers, groups, staff and settings.
/// Every record the store holds refers only to records that existed when
/// it was saved, and the store refuses to remove a record others refer
/// to, so whatever was read first finds what it refers to in what is read
/// later. Records saved while the export runs may or may not be in it.
/// (The one gap: an admin purging a check-in and then its peer between the
/// two reads; `verify` would name the dangling reference.)
pub fn export_json(store: &dyn Store, out: &mut dyn Write) -> OpsResult<Counts> {
    writeln!(
        out,
        "{{\"format\":{},\"version\":{FORMAT_VERSION},\"exported_at\":{},",
        json(&FORMAT)?,
        json(&chrono::Utc::now())?,
    )
    .map_err(io)?;
    // Referrals refer to check-ins, peers, staff and resources, so they
    // are read first (and resources after them, with the others), but
    // written at the end, after the settings, where newer kinds go.
    let mut referrals = Vec::new();
    let mut after = None;
    loop {
        let page = store.referrals_page(after, PAGE)?;
        let short = page.len() < PAGE;
        after = page.last().map(|r| r.id);
        referrals.extend(page);
        if short || after.is_none() {
            break;
        }
    }
    let mut disclosures = Vec::new();
    let mut after = None;
    loop {
        let page = store.disclosures_page(after, PAGE)?;
        let full = page.len() == PAGE;
        after = page.last().map(|d| d.id);
        disclosures.extend(page);
        if !full {
            break;
        }
    }
    // Assessments refer to peers and staff: read first (a few per peer, so
    // held in memory), written at the end of the document.
    let mut assessments = Vec::new();
    let mut after = None;
    loop {
        let page = store.assessments_page(after, PAGE)?;
        let full = page.len() == PAGE;
        after = page.last().map(|a| a.id);
        assessments.extend(page);
        if !full {
            break;
        }
    }
    let consents = store.list_consents()?;
    // Visits and kiosk codes refer to peers: read before the peers.
    let visits = store.visits_between(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX)?;
    let intakes = store.pending_intakes()?;
    let mut codes: Vec<(crate::model::PeerId, String)> = store.kiosk_codes()?.into_iter().collect();
    codes.sort();
    // Earlier versions and aliases first: a correction saved while the
    // export runs then leaves a version out rather than one newer than
    // the check-in written after it (which an import would refuse).
    let mut history = ArrayWriter::open(out, "checkin_history", true)?;
    let mut after = None;
    loop {
        let page = store.history_page(after, PAGE)?;
        for r in &page {
            history.push(r)?;
        }
        match page.last() {
            Some(last) if page.len() == PAGE => after = Some((last.id, last.meta.revision)),
            _ => break,
        }
    }
    history.close()?;
    ArrayWriter::open(out, "peer_aliases", false)?.all(&store.peer_aliases()?)?;
    let checkins = ArrayWriter::open(out, "checkins", false)?
        .paged(|after| store.checkins_page(after, PAGE))?;
    let sessions = ArrayWriter::open(out, "sessions", false)?
        .paged(|after| store.sessions_page(after, PAGE))?;
    // Goals are read per peer, so the peers are listed once for that and
    // again after, for the peers section (a peer added in between has its
    // goals only if they were read).
    let mut goals = Vec::new();
    for p in &store.list_peers()? {
        goals.extend(store.goals_for_peer(p.id)?);
    }
    goals.sort_by_key(|g| g.id);
    // Credentials refer to staff: read before the staff section (written
    // at the end of the document, where newer kinds go). Each holds what
    // the exporter may see: a supervisor's export has their own and their
    // supervisees', and supervision notes only of sessions they were in.
    let certifications = store.certifications(None)?;
    let ceu_entries = store.ceu_entries(None)?;
    let supervisions = store.supervisions(None)?;
    let goals = ArrayWriter::open(out, "goals", false)?.all(&goals)?;
    let peers = ArrayWriter::open(out, "peers", false)?.all(&store.list_peers()?)?;
    let groups = ArrayWriter::open(out, "groups", false)?.all(&store.list_groups()?)?;
    let staff = ArrayWriter::open(out, "staff", false)?.all(&store.list_staff()?)?;
    let resource_list = store.list_resources()?;
    write!(out, ",\n\"settings\":{}", json(&store.settings()?)?).map_err(io)?;
    let resources = ArrayWriter::open(out, "resources", false)?.all(&resource_list)?;
    let referrals = ArrayWriter::open(out, "referrals", false)?.all(&referrals)?;
    // Consents and disclosures are written last (appended to the format;
    // older exports without them still import) but were read first, with
    // the other referencing records: disclosures, then the consents they
    // rely on, then (above) the peers both refer to.
    ArrayWriter::open(out, "disclosures", false)?.all(&disclosures)?;
    ArrayWriter::open(out, "consents", false)?.all(&consents)?;
    ArrayWriter::open(out, "certifications", false)?.all(&certifications)?;
    ArrayWriter::open(out, "ceu_entries", false)?.all(&ceu_entries)?;
    ArrayWriter::open(out, "supervisions", false)?.all(&supervisions)?;
    ArrayWriter::open(out, "assessments", false)?.all(&assessments)?;
    ArrayWriter::open(out, "visits", false)?.all(&visits)?;
    ArrayWriter::open(out, "intakes", false)?.all(&intakes)?;
    ArrayWriter::open(out, "kiosk_codes", false)?.all(&codes)?;
    writeln!(out, "}}").map_err(io)?;
    let counts = Counts {
        staff,
        peers,
        goals,
        groups,
        sessions,
        checkins,
        resources,
        referrals,
    };
    out.flush().map_err(io)?;
    Ok(counts)
}

/// The SHA-256 of some bytes as lower-case hex (the backup checksum).
pub fn sha256_hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a document and checks it as an import would (format, version,
/// every record's fields, ids and references) without writing anything;
/// returns its counts.
pub fn verify_json(input: impl BufRead, source: &str) -> OpsResult<Counts> {
    let snapshot = read_document(input, source, "it was not verified")?;
    crate::store::check_snapshot(&snapshot)
        .map_err(|e| OpsError::Refused(format!("{source}: {e}")))?;
    Ok(Counts {
        staff: snapshot.staff.len() as u64,
        peers: snapshot.peers.len() as u64,
        goals: snapshot.goals.len() as u64,
        groups: snapshot.groups.len() as u64,
        sessions: snapshot.sessions.len() as u64,
        checkins: snapshot.checkins.len() as u64,
        resources: snapshot.resources.len() as u64,
        referrals: snapshot.referrals.len() as u64,
    })
}

/// The document as read back. Fields are listed (not flattened) so that
/// serde streams the big arrays instead of buffering them.
#[derive(serde::Deserialize)]
struct Document {
    format: String,
    version: u32,
    settings: crate::model::Settings,
    staff: Vec<Record<crate::model::Staff>>,
    peers: Vec<Record<crate::model::Peer>>,
    goals: Vec<Record<crate::model::Goal>>,
    groups: Vec<Record<crate::model::Group>>,
    sessions: Vec<Record<crate::model::GroupSession>>,
    checkins: Vec<Record<crate::model::CheckIn>>,
    #[serde(default)]
    resources: Vec<Record<crate::model::Resource>>,
    #[serde(default)]
    referrals: Vec<Record<crate::model::Referral>>,
    #[serde(default)]
    consents: Vec<Record<crate::model::Consent>>,
    #[serde(default)]
    disclosures: Vec<Record<crate::model::Disclosure>>,
    #[serde(default)]
    certifications: Vec<Record<crate::model::Certification>>,
    #[serde(default)]
    ceu_entries: Vec<Record<crate::model::CeuEntry>>,
    #[serde(default)]
    supervisions: Vec<Record<crate::model::Supervision>>,
    #[serde(default)]
    assessments: Vec<Record<crate::model::Assessment>>,
    #[serde(default)]
    visits: Vec<Record<crate::model::Visit>>,
    #[serde(default)]
    intakes: Vec<Record<crate::model::Intake>>,
    #[serde(default)]
    kiosk_codes: Vec<(crate::model::PeerId, String)>,
    #[serde(default)]
    checkin_history: Vec<Record<crate::model::CheckIn>>,
    #[serde(default)]
    peer_aliases: Vec<crate::store::PeerAlias>,
}

/// Reads and parses a document; `outcome` ends refusals ("nothing was
/// imported").
fn read_document(input: impl BufRead, source: &str, outcome: &str) -> OpsResult<Snapshot> {
    let doc: Document = serde_json::from_reader(input).map_err(|e| {
        OpsError::Refused(format!("{source}: not a caseload export: {e}; {outcome}"))
    })?;
    if doc.format != FORMAT {
        return Err(OpsError::Refused(format!(
            "{source}: format is '{}', expected '{FORMAT}'; {outcome}",
            crate::text::escape_line(&doc.format)
        )));
    }
    if doc.version != FORMAT_VERSION {
        return Err(OpsError::Refused(format!(
            "{source}: export format version {} is not supported (this caseload reads version {FORMAT_VERSION}); {outcome}",
            doc.version
        )));
    }
    Ok(Snapshot {
        settings: doc.settings,
        staff: doc.staff,
        peers: doc.peers,
        goals: doc.goals,
        groups: doc.groups,
        sessions: doc.sessions,
        checkins: doc.checkins,
        resources: doc.resources,
        referrals: doc.referrals,
        consents: doc.consents,
        disclosures: doc.disclosures,
        certifications: doc.certifications,
        ceu_entries: doc.ceu_entries,
        supervisions: doc.supervisions,
        assessments: doc.assessments,
        visits: doc.visits,
        intakes: doc.intakes,
        kiosk_codes: doc.kiosk_codes,
        checkin_history: doc.checkin_history,
        peer_aliases: doc.peer_aliases,
    })
}

/// Reads an export and loads it into an empty store, all or nothing.
/// `source` names the file in error messages.
pub fn import_json(
    store: &dyn Store,
    actor: &Actor,
    input: impl BufRead,
    source: &str,
) -> OpsResult<Counts> {
    let snapshot = read_document(input, source, "nothing was imported")?;
    store.import(snapshot, actor).map_err(|e| match e {
        crate::store::StoreError::Refused(m) => {
            OpsError::Refused(format!("{source}: {m}; nothing was imported"))
        }
        other => other.into(),
    })
}
