//! Placeholder until the terminal UI lands (issue 3).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::store::Store;

/// Options for the terminal UI.
pub struct UiOptions {
    /// Keymap name or path.
    pub keymap: Option<String>,
    /// Who is working.
    pub staff: Option<String>,
    /// Config file.
    pub config_path: Option<PathBuf>,
    /// Demo store.
    pub demo: bool,
}

/// Runs the UI.
pub fn run(_store: Arc<dyn Store>, _options: UiOptions) -> anyhow::Result<()> {
    anyhow::bail!("the terminal UI is not built yet; use the commands (caseload --help)")
}

/// Checks keymap files.
pub fn check_keymap_file(_path: Option<&Path>) -> Vec<String> {
    Vec::new()
}
