//! Store work for importing a roster from the Peers screen: the same
//! `ops::import_peers` plan (the dry-run report) and apply as
//! `caseload import-peers`, so the screen and the command line agree on
//! every row, problem and likely duplicate.

use std::fs::File;
use std::path::Path;

use chrono::NaiveDate;

use crate::model::Actor;
use crate::ops::import_peers::{apply, plan, ImportOutcome, ImportPlan};
use crate::store::Store;
use crate::ui::worker::Failure;

/// Reads and checks the file at `path` without writing anything.
pub fn plan_file(store: &dyn Store, path: &Path, today: NaiveDate) -> Result<ImportPlan, Failure> {
    let shown = crate::text::escape_line(&path.display().to_string()).into_owned();
    let file = File::open(path).map_err(|e| Failure::from(format!("cannot open {shown}: {e}")))?;
    Ok(plan(store, file, &shown, &[], today)?)
}

/// Writes the plan's rows; refused, writing nothing, if it has problems
/// (the screen offers no way to skip them: fix the file and try again).
pub fn apply_plan(
    store: &dyn Store,
    plan: &ImportPlan,
    actor: &Actor,
) -> Result<ImportOutcome, Failure> {
    Ok(apply(store, plan, actor, false, &mut |_| {})?)
}
