//! The terminal UI: `caseload` with no command.
//!
//! Architecture: state + actions + views. Keys become named [`action::Action`]s
//! through the keymap (data, see [`keymap`]); [`app::App::update`] is the
//! only place state changes; views (`view`, `screens::*::render`,
//! `widgets`) only draw. A store worker thread does all store calls
//! ([`worker`]), and the event loop blocks on one channel ([`runtime`]), so
//! input never waits for the disk and nothing runs while nobody types.
//!
//! The screen is a base pane under a stack of layers ([`layer::Layer`]:
//! forms, popups, questions, help, the command line; the sign-in and lock
//! gate above them), and the app is a shell around the signed-in user's
//! session. `src/ui/README.md` draws both and follows one key from the
//! keyboard to the store and back to the screen; read it first.
//!
//! Every string from the store is escaped before it is drawn
//! (`widgets::cells`), because names and notes may hold terminal escapes.
//!
//! Access (`app::access`): nothing of the caseload is loaded or drawn until
//! the store said who may sign in and someone did; while locked (idle time
//! from [`lock`], or `Ctrl-l`) only the lock screen is drawn
//! (`screens::signin`). Privacy mode draws peers by initials
//! ([`privacy`], through the name helpers in `widgets::cells`).
#![warn(missing_docs)]

pub mod action;
pub mod app;
pub mod background;
pub mod keymap;
pub mod kiosk;
pub mod layer;
pub mod lock;
pub mod privacy;
pub mod roster;
mod runtime;
pub mod screens;
mod signals;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod worker;

use std::path::PathBuf;
use std::sync::Arc;

pub use keymap::{check_keymap_file, KeymapProblem};

use crate::store::Store;

/// How `main.rs` starts the UI.
#[derive(Debug, Clone, Default)]
pub struct UiOptions {
    /// `--keymap NAME|PATH` (overrides the config file).
    pub keymap: Option<String>,
    /// `--staff S`: who is working; else `ops::lookup::acting_staff` rules.
    pub staff: Option<String>,
    /// The config file; `None` = `$XDG_CONFIG_HOME/caseload/config.toml`.
    pub config_path: Option<PathBuf>,
    /// Show "DEMO DATA" in the title bar.
    pub demo: bool,
    /// `--lock-after 30s|5m|1h|off`: idle time before the screen locks
    /// (overrides `lock_after` in the config file; see `lock`).
    pub lock_after: Option<String>,
}

/// Runs the terminal UI over `store` until the user quits. The terminal is
/// restored on return, on error and on panic; nothing is printed while it
/// is in raw mode.
pub fn run(store: Arc<dyn Store>, options: UiOptions) -> anyhow::Result<()> {
    runtime::run(store, options)
}
