//! What every stored record carries besides its own fields: id, who
//! changed it and when, and a revision number for conflict detection.

use std::fmt;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::ids::{Id, IdKind, StaffId};
use super::validate::ValidationError;

/// A kind of record the store keeps: ties the data type to its id kind.
pub trait Entity: Clone + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The id space of this kind.
    type Kind: IdKind;
    /// Checks every field, naming each problem.
    fn validate(&self) -> Result<(), ValidationError>;
}

/// Who made a change: the signed-in staff member if known, and always the
/// operating-system login, so that every change is accountable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The staff member acting, if one is known.
    pub staff: Option<StaffId>,
    /// The operating-system user running the program.
    pub login: String,
}

impl Actor {
    /// An actor that is a known staff member.
    pub fn staff(id: StaffId, login: impl Into<String>) -> Self {
        Actor {
            staff: Some(id),
            login: login.into(),
        }
    }

    /// An actor known only by login (set-up work before any staff exists).
    pub fn login(login: impl Into<String>) -> Self {
        Actor {
            staff: None,
            login: login.into(),
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.staff {
            Some(s) => write!(f, "{s} ({})", self.login),
            None => write!(f, "{}", self.login),
        }
    }
}

/// Why and by whom a record was voided: a check-in or group session made
/// by mistake is kept (the trail and the record stay whole) but left out of
/// Today, reports and counts of service. Only the store's `void_*`
/// operations set it; a plain update keeps what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Void {
    /// When it was voided.
    pub at: DateTime<Utc>,
    /// Who voided it.
    pub by: Actor,
    /// Why, in the staff member's words.
    pub reason: String,
}

/// Bookkeeping kept with every record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// When the record was first saved. (Read back without chrono's
    /// general parser: every record read reads two of these.)
    #[serde(deserialize_with = "super::stored_time::serde_utc::deserialize")]
    pub created_at: DateTime<Utc>,
    /// Who first saved it.
    pub created_by: Actor,
    /// When it was last saved.
    #[serde(deserialize_with = "super::stored_time::serde_utc::deserialize")]
    pub updated_at: DateTime<Utc>,
    /// Who last saved it.
    pub updated_by: Actor,
    /// 1 on creation, +1 on every save; an edit based on an older revision
    /// is refused instead of overwriting someone else's work.
    pub revision: u64,
}

impl Meta {
    /// Bookkeeping for a record created now by `actor`.
    pub fn created(at: DateTime<Utc>, actor: &Actor) -> Self {
        Meta {
            created_at: at,
            created_by: actor.clone(),
            updated_at: at,
            updated_by: actor.clone(),
            revision: 1,
        }
    }

    /// Bookkeeping after one more save.
    pub fn next(&self, at: DateTime<Utc>, actor: &Actor) -> Self {
        Meta {
            created_at: self.created_at,
            created_by: self.created_by.clone(),
            updated_at: at,
            updated_by: actor.clone(),
            revision: self.revision + 1,
        }
    }
}

/// A stored record: its id, bookkeeping, and the data itself.
///
/// Derefs to the data so that `peer.display_name` reads naturally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Entity", deserialize = "T: Entity"))]
pub struct Record<T: Entity> {
    /// The record's id.
    pub id: Id<T::Kind>,
    /// Who changed it, when, and its revision.
    pub meta: Meta,
    /// The record's own fields.
    pub data: T,
}

impl<T: Entity> Deref for Record<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T: Entity> DerefMut for Record<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.data
    }
}
