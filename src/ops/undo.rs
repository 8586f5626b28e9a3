//! Undo: the inverse of a change a session made, written as a new change.
//!
//! A session remembers what it changed (the UI's journal keeps
//! [`Undoable`]s); undoing one never rewinds the store: it writes the
//! earlier data again as the next revision (or voids what was created),
//! so the trail shows the change and its undoing, each by whoever made it.
//! The rules live here, not in the UI:
//!
//! - only changes from the last [`WINDOW`] may be undone ([`in_window`]);
//! - a record someone (or something) has changed since this session wrote
//!   it is left alone, with the reason: its current revision must still be
//!   the one this session wrote ([`undo`]).

use chrono::{DateTime, Duration, Utc};

use crate::model::{CheckIn, CheckInId, Entity, Goal, GroupSession, Peer, Record, SessionId};
use crate::store::Store;
use crate::text::escape_line;

use super::{OpsError, OpsResult};
use crate::model::Actor;

/// How long a change stays undoable: long enough to notice a slip, short
/// enough that nobody undoes what the day has built on.
pub const WINDOW_MINUTES: i64 = 10;

/// The reason written on a check-in or session voided by an undo.
pub const UNDONE: &str = "undone";

/// True while a change saved at `saved` may still be undone at `now`.
pub fn in_window(saved: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now.signed_duration_since(saved) <= Duration::minutes(WINDOW_MINUTES)
}

/// One change a session made, with what undoing it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Undoable {
    /// A check-in was saved (undone by voiding it with reason "undone").
    CheckInSaved {
        /// The check-in.
        id: CheckInId,
        /// The revision the session wrote.
        revision: u64,
        /// When it was saved (the store's clock).
        at: DateTime<Utc>,
    },
    /// A saved check-in was corrected (undone by writing the version it
    /// replaced, from its history, as the next revision).
    CheckInEdited {
        /// The check-in.
        id: CheckInId,
        /// The revision the correction wrote.
        revision: u64,
        /// When.
        at: DateTime<Utc>,
    },
    /// A goal changed: a step ticked or opened again, its status changed
    /// (undone by writing the goal as it was).
    Goal {
        /// The goal as it was before.
        before: Box<Record<Goal>>,
        /// The revision the change wrote.
        revision: u64,
        /// When.
        at: DateTime<Utc>,
        /// What the change was ("step 2 ticked").
        what: String,
    },
    /// A peer's record was edited (their details or wellness plan; undone
    /// by writing it as it was).
    Peer {
        /// The peer as they were before.
        before: Box<Record<Peer>>,
        /// The revision the edit wrote.
        revision: u64,
        /// When.
        at: DateTime<Utc>,
        /// What the change was.
        what: String,
    },
    /// A group session's attendance was saved: undone by writing the
    /// session as it was, or voiding it if the save created it.
    Attendance {
        /// The session.
        id: SessionId,
        /// The session as it was, if it existed.
        before: Option<Box<Record<GroupSession>>>,
        /// The revision the save wrote.
        revision: u64,
        /// When.
        at: DateTime<Utc>,
        /// Walk-ins the save added to the roster. An undo takes them off
        /// the session but leaves them on the roster (a peer record is
        /// never deleted), and says so.
        walk_ins: Vec<crate::model::PeerId>,
    },
}

impl Undoable {
    /// When the change was saved.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Undoable::CheckInSaved { at, .. }
            | Undoable::CheckInEdited { at, .. }
            | Undoable::Goal { at, .. }
            | Undoable::Peer { at, .. }
            | Undoable::Attendance { at, .. } => *at,
        }
    }

    /// The change in a few words, for the status line ("check-in C12
    /// saved").
    pub fn describe(&self) -> String {
        match self {
            Undoable::CheckInSaved { id, .. } => format!("check-in {id} saved"),
            Undoable::CheckInEdited { id, .. } => format!("correction of check-in {id}"),
            // Ids only: the status line is on shared screens too (privacy).
            Undoable::Goal { before, what, .. } => format!("{what} on goal {}", before.id),
            Undoable::Peer { before, what, .. } => format!("{what} of peer {}", before.id),
            Undoable::Attendance { id, .. } => format!("attendance of {id}"),
        }
    }

    /// A change saved as `saved` right after `before` was read, if nothing
    /// came between the two (the revision moved by exactly one); otherwise
    /// undoing it would also undo someone else's change, so it is not
    /// offered.
    pub fn goal(before: Record<Goal>, saved: &Record<Goal>, what: &str) -> Option<Undoable> {
        (saved.id == before.id && saved.meta.revision == before.meta.revision + 1).then(|| {
            Undoable::Goal {
                before: Box::new(before),
                revision: saved.meta.revision,
                at: saved.meta.updated_at,
                what: what.to_string(),
            }
        })
    }

    /// As [`Undoable::goal`], for a peer's record.
    pub fn peer(before: Record<Peer>, saved: &Record<Peer>, what: &str) -> Option<Undoable> {
        (saved.id == before.id && saved.meta.revision == before.meta.revision + 1).then(|| {
            Undoable::Peer {
                before: Box::new(before),
                revision: saved.meta.revision,
                at: saved.meta.updated_at,
                what: what.to_string(),
            }
        })
    }

    /// As [`Undoable::goal`], for a session's attendance (`before` is
    /// `None` when the save created the session). `walk_ins` is how many
    /// walk-ins the save added: the last of the attendees
    /// (`ops::groups::save_attendance` checks them off last).
    pub fn attendance(
        before: Option<Record<GroupSession>>,
        saved: &Record<GroupSession>,
        walk_ins: usize,
    ) -> Option<Undoable> {
        let first_new = saved.attendees.len().saturating_sub(walk_ins);
        let walk_ins = saved
            .attendees
            .get(first_new..)
            .unwrap_or_default()
            .to_vec();
        let fits = match &before {
            Some(b) => b.id == saved.id && saved.meta.revision == b.meta.revision + 1,
            None => saved.meta.revision == 1,
        };
        fits.then(|| Undoable::Attendance {
            id: saved.id,
            before: before.map(Box::new),
            revision: saved.meta.revision,
            at: saved.meta.updated_at,
            walk_ins,
        })
    }

    /// A check-in just saved (revision 1) or corrected (a later one).
    pub fn checkin(saved: &Record<CheckIn>) -> Undoable {
        if saved.meta.revision == 1 {
            Undoable::CheckInSaved {
                id: saved.id,
                revision: 1,
                at: saved.meta.updated_at,
            }
        } else {
            Undoable::CheckInEdited {
                id: saved.id,
                revision: saved.meta.revision,
                at: saved.meta.updated_at,
            }
        }
    }
}

/// Refuses when `current` is no longer the revision this session wrote.
fn unchanged_since<E: Entity>(current: &Record<E>, wrote: u64, what: &str) -> OpsResult<()> {
    if current.meta.revision == wrote {
        return Ok(());
    }
    Err(OpsError::Refused(format!(
        "Not undone: {what} was changed since by {} at {} (revision {} now, this session wrote {wrote}); change it by hand instead",
        escape_line(&current.meta.updated_by.to_string()),
        crate::model::dates::CENTER
            .at(&current.meta.updated_at)
            .format("%H:%M"),
        current.meta.revision,
    )))
}

/// Writes `data` as the next revision of `current`.
fn restore<E: Entity>(current: &Record<E>, data: E) -> Record<E> {
    Record {
        id: current.id,
        meta: current.meta.clone(),
        data,
    }
}

/// Undoes `change` as `actor`: a new, audited change. Answers with a
/// sentence saying what was undone; refuses (saying why) when the record
/// has changed since, when it is gone, or when it was already voided.
pub fn undo(store: &dyn Store, actor: &Actor, change: &Undoable) -> OpsResult<String> {
    let what = change.describe();
    match change {
        Undoable::CheckInSaved { id, revision, .. } => {
            let current = store.checkin(*id)?;
            if current.voided.is_some() {
                return Err(OpsError::Refused(format!(
                    "Not undone: check-in {id} is already voided"
                )));
            }
            unchanged_since(&current, *revision, &format!("check-in {id}"))?;
            store.void_checkin(*id, UNDONE.to_string(), actor)?;
            Ok(format!("Undone: {what} (voided, reason \"{UNDONE}\")"))
        }
        Undoable::CheckInEdited { id, revision, .. } => {
            let current = store.checkin(*id)?;
            unchanged_since(&current, *revision, &format!("check-in {id}"))?;
            let history = store.checkin_history(*id)?;
            let Some(before) = history
                .iter()
                .rev()
                .find(|v| v.meta.revision + 1 == *revision)
            else {
                return Err(OpsError::Refused(format!(
                    "Not undone: the version of check-in {id} before the correction is not in its history"
                )));
            };
            // The void state is the store's to keep (update keeps it).
            store.update_checkin(&restore(&current, before.data.clone()), actor)?;
            Ok(format!("Undone: {what}"))
        }
        Undoable::Goal {
            before, revision, ..
        } => {
            let current = store.goal(before.id)?;
            unchanged_since(&current, *revision, &format!("goal {}", before.id))?;
            store.update_goal(&restore(&current, before.data.clone()), actor)?;
            Ok(format!("Undone: {what}"))
        }
        Undoable::Peer {
            before, revision, ..
        } => {
            let current = store.peer(before.id)?;
            if current.id != before.id {
                return Err(OpsError::Refused(format!(
                    "Not undone: peer {} was merged into {} since",
                    before.id, current.id
                )));
            }
            unchanged_since(&current, *revision, &format!("peer {}", before.id))?;
            store.update_peer(&restore(&current, before.data.clone()), actor)?;
            Ok(format!("Undone: {what}"))
        }
        Undoable::Attendance {
            id,
            before,
            revision,
            walk_ins,
            ..
        } => {
            let kept = if walk_ins.is_empty() {
                String::new()
            } else {
                let ids: Vec<String> = walk_ins.iter().map(|p| p.to_string()).collect();
                format!(
                    "; {} it added {} on the roster ({})",
                    crate::text::count(walk_ins.len(), "walk-in", "walk-ins"),
                    if walk_ins.len() == 1 { "stays" } else { "stay" },
                    ids.join(", ")
                )
            };
            let current = store.session(*id)?;
            if current.voided.is_some() {
                return Err(OpsError::Refused(format!(
                    "Not undone: session {id} is voided"
                )));
            }
            unchanged_since(&current, *revision, &format!("session {id}"))?;
            match before {
                None => {
                    store.void_session(*id, UNDONE.to_string(), actor)?;
                    Ok(format!(
                        "Undone: {what} (the session was voided, reason \"{UNDONE}\"){kept}"
                    ))
                }
                Some(b) => {
                    store.update_session(&restore(&current, b.data.clone()), actor)?;
                    Ok(format!("Undone: {what}{kept}"))
                }
            }
        }
    }
}
