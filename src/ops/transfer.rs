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
pub fn export_json(store: &dyn Store, out: &mut dyn Write) -> OpsResult<Counts> {
    let settings = store.settings()?;
    let staff = store.list_staff()?;
    let peers = store.list_peers()?;
    let groups = store.list_groups()?;
    let mut goals = Vec::new();
    for p in &peers {
        goals.extend(store.goals_for_peer(p.id)?);
    }
    goals.sort_by_key(|g| g.id);
    write!(
        out,
        "{{\"format\":{},\"version\":{FORMAT_VERSION},\"exported_at\":{},\n\"settings\":{},\n",
        json(&FORMAT)?,
        json(&chrono::Utc::now())?,
        json(&settings)?
    )
    .map_err(io)?;
    let counts = Counts {
        staff: ArrayWriter::open(out, "staff", true)?.all(&staff)?,
        peers: ArrayWriter::open(out, "peers", false)?.all(&peers)?,
        goals: ArrayWriter::open(out, "goals", false)?.all(&goals)?,
        groups: ArrayWriter::open(out, "groups", false)?.all(&groups)?,
        sessions: ArrayWriter::open(out, "sessions", false)?
            .paged(|after| store.sessions_page(after, PAGE))?,
        checkins: ArrayWriter::open(out, "checkins", false)?
            .paged(|after| store.checkins_page(after, PAGE))?,
    };
    writeln!(out, "}}").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(counts)
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
}

/// Reads an export and loads it into an empty store, all or nothing.
/// `source` names the file in error messages.
pub fn import_json(
    store: &dyn Store,
    actor: &Actor,
    input: impl BufRead,
    source: &str,
) -> OpsResult<Counts> {
    let doc: Document = serde_json::from_reader(input).map_err(|e| {
        OpsError::Refused(format!(
            "{source}: not a caseload export: {e}; nothing was imported"
        ))
    })?;
    if doc.format != FORMAT {
        return Err(OpsError::Refused(format!(
            "{source}: format is '{}', expected '{FORMAT}'; nothing was imported",
            doc.format
        )));
    }
    if doc.version != FORMAT_VERSION {
        return Err(OpsError::Refused(format!(
            "{source}: export format version {} is not supported (this caseload reads version {FORMAT_VERSION}); nothing was imported",
            doc.version
        )));
    }
    let snapshot = Snapshot {
        settings: doc.settings,
        staff: doc.staff,
        peers: doc.peers,
        goals: doc.goals,
        groups: doc.groups,
        sessions: doc.sessions,
        checkins: doc.checkins,
    };
    store.import(snapshot, actor).map_err(|e| match e {
        crate::store::StoreError::Refused(m) => {
            OpsError::Refused(format!("{source}: {m}; nothing was imported"))
        }
        other => other.into(),
    })
}
