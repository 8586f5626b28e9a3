//! The session's undo journal: the changes this signed-in session made,
//! newest last, each with what undoing it needs (from the worker). `u`
//! takes the newest one that is still in the window and asks the store
//! to undo it; the rules (the window, "changed since") are `ops::undo`'s.

use crate::ops::undo::{in_window, Undoable, WINDOW_MINUTES};
use crate::ui::worker::{Failure, Request};

use super::App;

/// How many changes a session remembers (older ones are out of the
/// window long before a busy session makes this many).
const KEEP: usize = 100;

/// The changes a session made that it may still undo, newest last.
#[derive(Debug, Clone, Default)]
pub struct UndoJournal {
    entries: Vec<Undoable>,
}

impl UndoJournal {
    /// Remembers a change this session made.
    pub fn push(&mut self, change: Undoable) {
        self.entries.push(change);
        if self.entries.len() > KEEP {
            self.entries.remove(0);
        }
    }

    /// The changes remembered, oldest first.
    pub fn entries(&self) -> &[Undoable] {
        &self.entries
    }

    /// Takes the newest change if it may still be undone at `now`;
    /// forgets the ones out of the window.
    pub fn take_latest(&mut self, now: chrono::DateTime<chrono::Utc>) -> Option<Undoable> {
        self.entries.retain(|e| in_window(e.at(), now));
        self.entries.pop()
    }
}

impl App {
    /// `u`: undo the newest change this session made in the window.
    pub(super) fn undo_last(&mut self) {
        let now = self.now.with_timezone(&chrono::Utc);
        let Some(change) = self.user.undo.take_latest(now) else {
            self.status.info(format!(
                "Nothing to undo: this session made no change in the last {WINDOW_MINUTES} minutes"
            ));
            return;
        };
        self.status
            .info(format!("undoing the {}…", change.describe()));
        let actor = self.actor();
        self.requests.push(Request::Undo {
            change: Box::new(change),
            actor,
        });
    }

    /// A change this session just made: remember it.
    pub(super) fn on_undoable(&mut self, change: Undoable) {
        self.user.undo.push(change);
    }

    /// The store undid the change (reload what shows it), or said why not.
    pub(super) fn on_undone(&mut self, result: Result<String, Failure>) {
        match result {
            Ok(said) => {
                self.status.info(said);
                self.reload_shown();
            }
            Err(e) => self.status.error(e.message),
        }
    }
}
