//! Assessments with instruments (the BARC-10): finding the instrument
//! files, scoring and saving a sitting, and gathering what Today and the
//! funder report say about them. The command line and the UI both come
//! here, so a score the CLI refuses the UI refuses too.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::assessment::{self, Assessment, CapitalChange};
use crate::model::instrument::{Instrument, InstrumentProblem, Instruments};
use crate::model::today::TodayRow;
use crate::model::{Actor, Peer, PeerId, Record, StaffId};
use crate::store::{Store, MAX_BATCH, MAX_PAGE};

use super::{OpsError, OpsResult};

/// The organization's instrument folder: `instruments/` next to the config
/// file (`$XDG_CONFIG_HOME/caseload/instruments/`), where keymaps are also
/// looked up from. `config` is the config file in use, if one was named.
pub fn instruments_dir(config: Option<&Path>) -> Option<PathBuf> {
    let file = match config {
        Some(c) => Some(c.to_path_buf()),
        None => crate::config::default_path(),
    }?;
    Some(file.parent()?.join("instruments"))
}

/// The instruments in use: the built-in ones, then every `*.toml` in the
/// organization's folder in name order (a file with a built-in's id
/// replaces it). A file with problems is left out and its problems kept,
/// so a typo never takes an instrument away mid-session.
pub fn load_instruments(config: Option<&Path>) -> Instruments {
    let mut all = Instruments::builtin();
    let Some(dir) = instruments_dir(config) else {
        return all;
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(_) => return all,
    };
    files.sort();
    for f in files {
        let label = f.display().to_string();
        match std::fs::read_to_string(&f) {
            Ok(text) => all.add(&label, &text),
            Err(e) => all.problems.push(InstrumentProblem {
                file: label,
                line: None,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    all
}

/// Checks one instrument file for `caseload instrument check FILE`.
pub fn check_file(path: &Path) -> Result<Instrument, Vec<InstrumentProblem>> {
    let label = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Instrument::parse(&label, &text),
        Err(e) => Err(vec![InstrumentProblem {
            file: label,
            line: None,
            message: format!("cannot read: {e}"),
        }]),
    }
}

/// The instrument `id` names, or a refusal listing the known ones.
pub fn find<'a>(instruments: &'a Instruments, id: &str) -> OpsResult<&'a Instrument> {
    instruments.get(id).ok_or_else(|| {
        OpsError::NoMatch(format!(
            "no instrument '{}' (known: {})",
            crate::text::escape_line(id),
            instruments.ids()
        ))
    })
}

/// Scores and saves one sitting of `instrument` with `peer` at `at`.
/// Scores off the scale or of the wrong count are refused naming the item
/// and the allowed answers, and nothing is saved.
pub fn record_assessment(
    store: &dyn Store,
    actor: &Actor,
    peer: &Record<Peer>,
    instrument: &Instrument,
    scores: Vec<u8>,
    at: DateTime<Utc>,
) -> OpsResult<Record<Assessment>> {
    let total = instrument
        .score(&scores)
        .map_err(|e| crate::model::ValidationError::one("--scores", e.to_string()))?;
    let a = Assessment {
        peer: peer.id,
        instrument: instrument.id.clone(),
        version: instrument.version,
        scores,
        total,
        at,
        staff: actor.staff,
    };
    Ok(store.create_assessment(a, actor)?)
}

/// Every assessment, page by page.
pub fn all_assessments(store: &dyn Store) -> OpsResult<Vec<Record<Assessment>>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store.assessments_page(after, MAX_PAGE)?;
        let full = page.len() == MAX_PAGE;
        after = page.last().map(|a| a.id);
        out.extend(page);
        if !full {
            return Ok(out);
        }
    }
}

/// Today's "Reassessment due" rows for `date` (see
/// [`assessment::reassessment_rows`]), with the installed instruments'
/// intervals.
pub fn reassessment_rows(
    store: &dyn Store,
    date: NaiveDate,
    for_staff: Option<StaffId>,
) -> OpsResult<Vec<TodayRow>> {
    let latest = store.latest_assessments()?;
    if latest.is_empty() {
        return Ok(Vec::new());
    }
    // Only the peers assessed, not the roster (a large center's whole
    // roster costs every Today tens of milliseconds).
    let mut assessed: Vec<PeerId> = latest.iter().map(|a| a.peer).collect();
    assessed.sort_unstable();
    assessed.dedup();
    let mut peers = Vec::with_capacity(assessed.len());
    for ids in assessed.chunks(MAX_BATCH) {
        peers.extend(store.peers_by_id(ids.to_vec())?);
    }
    let instruments = load_instruments(None);
    Ok(assessment::reassessment_rows(
        date,
        &peers,
        &latest,
        &instruments,
        for_staff,
    ))
}

/// The funder report's mean change from baseline per instrument, counting
/// assessments taken before `until`.
pub fn capital_changes(store: &dyn Store, until: DateTime<Utc>) -> OpsResult<Vec<CapitalChange>> {
    Ok(assessment::capital_changes(&all_assessments(store)?, until))
}
