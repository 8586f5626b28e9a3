//! Where the store and the log live.

use std::path::PathBuf;

use anyhow::{anyhow, Result};
use directories::ProjectDirs;

use super::Cli;

/// The platform folder for caseload's data (`~/.local/share/caseload` on
/// Linux). The real store is `store/` in it, the demo store `demo/`.
pub fn default_data_root() -> Result<PathBuf> {
    ProjectDirs::from("org", "caseload", "caseload")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| anyhow!("cannot find a home directory for the data; give --data-dir DIR"))
}

/// The store directory: `--data-dir` / `CASELOAD_DATA_DIR` if given, else
/// the platform data folder (its `demo/` with `--demo`).
pub fn store_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    let root = default_data_root()?;
    Ok(root.join(if cli.demo { "demo" } else { "store" }))
}

/// The UI's log file: in the platform state folder, never on screen, and
/// never inside the store directory.
pub fn log_file_path() -> Option<PathBuf> {
    let dirs = ProjectDirs::from("org", "caseload", "caseload")?;
    let dir = dirs
        .state_dir()
        .map(|d| d.to_path_buf())
        .unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(dir.join("caseload.log"))
}
