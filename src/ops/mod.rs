//! Operations shared by the command line and the terminal UI.
//!
//! Business rules that need the store (which peer "ana" means, what a
//! check-in must reference, what Today shows) live here once, so the CLI
//! and the UI cannot disagree. Everything takes a `&dyn Store`, so the same
//! code runs against the embedded store or a server.

pub mod access;
pub mod assess;
pub mod auth;
pub mod center;
pub mod checkin;
pub mod consent;
pub mod credentials;
pub mod demo;
pub mod groups;
pub mod import_peers;
pub mod lookup;
pub mod peer;
pub mod plan;
pub mod referral;
pub mod report;
pub mod roster;
pub mod throttle;
pub mod today;
pub mod transfer;
pub mod undo;
pub mod visit;
pub mod wellness;

use crate::model::dates::DateParseError;
use crate::model::ValidationError;
use crate::store::StoreError;

/// Something an operation could not do, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A field was invalid.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A date or time could not be read.
    #[error(transparent)]
    Date(#[from] DateParseError),
    /// Nothing matched what the user typed.
    #[error("{0}")]
    NoMatch(String),
    /// Several records matched what the user typed.
    #[error("{0}")]
    Ambiguous(String),
    /// The request makes no sense as given.
    #[error("{0}")]
    Refused(String),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
    /// A save that added walk-ins to the roster and then failed: those
    /// peers stay (nothing is taken off the roster behind the user's
    /// back) and are named with their ids, by the name they were typed
    /// as, so the screen checks them off instead of adding them again.
    #[error("{cause} ({})", walk_ins_kept(.kept))]
    WalkInsKept {
        /// Each walk-in added, as typed, and the peer it became.
        kept: Vec<(String, crate::model::PeerId)>,
        /// Why the rest was not saved.
        cause: Box<OpsError>,
    },
}

/// "Robin Walk (P31) joined the roster before that and stays", for
/// [`OpsError::WalkInsKept`].
fn walk_ins_kept(kept: &[(String, crate::model::PeerId)]) -> String {
    let names: Vec<String> = kept
        .iter()
        .map(|(name, id)| format!("{} ({id})", crate::text::escape_line(name)))
        .collect();
    let (verb, stay) = if kept.len() == 1 {
        ("joined", "stays")
    } else {
        ("joined", "stay")
    };
    format!(
        "{} {verb} the roster before that and {stay}",
        names.join(", ")
    )
}

/// Short name for operation results.
pub type OpsResult<T> = Result<T, OpsError>;

/// The current moment in the center's zone (`model::dates::CENTER`), the
/// default "now" of every operation (tests pass their own).
pub fn local_now() -> chrono::DateTime<chrono::FixedOffset> {
    crate::model::dates::CENTER.at(&chrono::Utc::now())
}

/// The operating-system login, recorded with every change.
pub fn os_login() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string())
}
