//! The undo feature: the session's journal: the changes this signed-in session made,
//! newest last, each with what undoing it needs (from the worker). `u`
//! takes the newest one that is still in the window and asks the store
//! to undo it; the rules (the window, "changed since") are `ops::undo`'s.

use crate::ops::undo::{in_window, Undoable, WINDOW_MINUTES};
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Notice};

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

impl UndoJournal {
    /// `u`: undo the newest change this session made in the window.
    pub(super) fn undo_last(&mut self, cx: &mut Cx) {
        let now = cx.now.with_timezone(&chrono::Utc);
        let Some(change) = self.take_latest(now) else {
            cx.status.info(format!(
                "Nothing to undo: this session made no change in the last {WINDOW_MINUTES} minutes"
            ));
            return;
        };
        cx.status
            .info(format!("undoing the {}…", change.describe()));
        let actor = cx.actor();
        cx.requests.push(Request::Undo {
            change: Box::new(change),
            actor,
        });
    }
}

impl Feature for UndoJournal {
    /// A change this session just made is remembered; the store undid
    /// one (what shows it reloads), or said why not.
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::Undoable(change) => self.push(*change),
            Response::Undone(Ok(said)) => {
                cx.status.info(said);
                cx.notify(Notice::ReloadShown);
            }
            Response::Undone(Err(e)) => cx.status.error(e.message),
            other => misrouted(FeatureId::Undo, &other),
        }
    }
}
