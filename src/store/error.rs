//! Errors of the store, in terms a user can act on.

use std::path::PathBuf;

use crate::model::ValidationError;

/// Everything that can go wrong talking to a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the store's lock.
    #[error("the store at {} is in use by another caseload process", path.display())]
    InUse {
        /// The store directory.
        path: PathBuf,
    },
    /// The files could not be read as a caseload store.
    #[error("the store at {} is damaged and cannot be read ({detail}); restore it from a backup or an export", path.display())]
    Corrupt {
        /// The store directory.
        path: PathBuf,
        /// What was found wrong.
        detail: String,
    },
    /// The store was written by a newer caseload.
    #[error("the store at {} has schema version {found}, but this caseload understands versions up to {supported}; upgrade caseload", path.display())]
    NewerSchema {
        /// The store directory.
        path: PathBuf,
        /// Version found on disk.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
    /// The directory holds something that is not a caseload store.
    #[error("{} is not a caseload store ({detail})", path.display())]
    NotAStore {
        /// The directory.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
    /// A record that should exist does not.
    #[error("no {noun} {id}")]
    NotFound {
        /// The kind of record ("peer").
        noun: &'static str,
        /// Its id as printed ("P12").
        id: String,
    },
    /// Someone else saved the record since it was read.
    #[error("{noun} {id} was changed by {by} since you opened it (your revision {expected}, now {actual}); reload it and apply your change again")]
    Conflict {
        /// The kind of record.
        noun: &'static str,
        /// Its id as printed.
        id: String,
        /// The revision the edit started from.
        expected: u64,
        /// The revision now stored.
        actual: u64,
        /// Who saved the newer revision.
        by: String,
    },
    /// The record is referred to by others and cannot be deleted.
    #[error("{0}")]
    InUseBy(String),
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A reference points at a record that does not exist.
    #[error("{field}: no {noun} {id}")]
    BadReference {
        /// The field holding the reference.
        field: &'static str,
        /// Kind of the missing record.
        noun: &'static str,
        /// The missing id.
        id: String,
    },
    /// Import refused: the store is not empty.
    #[error("{0}")]
    Refused(String),
    /// The disk or file system failed.
    #[error("the store at {} could not be written or read: {cause}", path.display())]
    Io {
        /// The store directory.
        path: PathBuf,
        /// The operating-system error. Part of the message itself, not a
        /// separate error source, so reports say it once.
        cause: std::io::Error,
    },
    /// The session may not do this: not signed in, a wrong PIN, too many
    /// wrong PINs, or a role without the permission.
    #[error("{reason}")]
    Denied {
        /// What was refused and what to do about it.
        reason: String,
        /// When refused for too many wrong PINs: seconds until the next try.
        retry_after_secs: Option<u64>,
        /// What kind of refusal, so callers (the sign-in screen) can tell a
        /// wrong PIN from a missing permission without reading `reason`.
        kind: DenialKind,
    },
    /// A connection to a store server failed (used by remote stores).
    #[error("{0}")]
    Remote(String),
}

/// Why a [`StoreError::Denied`] refused, in a form a program can match
/// on: the reason text is for people and may change wording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DenialKind {
    /// The PIN did not match.
    WrongPin,
    /// Too many wrong PINs in a row; `retry_after_secs` says how long to wait.
    TooManyTries,
    /// Anything else: not signed in, a role without the permission, an
    /// inactive account.
    #[default]
    Other,
}

/// Short name for store results.
pub type StoreResult<T> = Result<T, StoreError>;
