//! The worker's side of undo: what a change replaced, read just before
//! the change is made, paired with what the change saved, becomes an
//! [`Undoable`] for the session's journal; and undoing one
//! (`ops::undo::undo`, where the rules are).

use crate::model::{Actor, Goal, GroupSession, Peer, Record};
use crate::ops::plan::StepChange;
use crate::ops::undo::Undoable;
use crate::store::Store;

use super::groups::{GroupsRequest, GroupsResponse};
use super::plan::{PlanRequest, PlanResponse};
use super::{handle_in, Failure, Request, Response, WorkerState};

/// What an undoable request is about to replace.
enum Before {
    /// Nothing to undo (a load, or a change undo does not cover).
    Nothing,
    /// A check-in save (undone by voiding it) or correction (undone from
    /// its history).
    CheckIn,
    /// A goal before a step or status change.
    Goal(Box<Record<Goal>>, &'static str),
    /// A peer before an edit of their wellness plan.
    Peer(Box<Record<Peer>>),
    /// A session before its attendance was saved (None: none yet), and
    /// how many walk-ins the save adds.
    Session(Option<Box<Record<GroupSession>>>, usize),
}

/// Reads what `request` will change. A failed read only means the change
/// will not be undoable; the request itself then says what is wrong.
fn before(store: &dyn Store, request: &Request) -> Before {
    match request {
        Request::SaveCheckIn { .. } | Request::EditCheckIn { .. } => Before::CheckIn,
        Request::Plan(PlanRequest::Step { goal, change, .. }) => {
            let what = match change {
                StepChange::Toggle(_) => "step ticked or opened",
                StepChange::Edit(_) => "step reworded",
                StepChange::Delete => "step deleted",
                StepChange::MoveUp | StepChange::MoveDown => "step moved",
            };
            match store.goal(*goal) {
                Ok(g) => Before::Goal(Box::new(g), what),
                Err(_) => Before::Nothing,
            }
        }
        Request::Plan(PlanRequest::Status { goal, .. }) => match store.goal(*goal) {
            Ok(g) => Before::Goal(Box::new(g), "status change"),
            Err(_) => Before::Nothing,
        },
        Request::Plan(PlanRequest::Wellness { peer, .. }) => match store.peer(*peer) {
            Ok(p) => Before::Peer(Box::new(p)),
            Err(_) => Before::Nothing,
        },
        Request::Groups(GroupsRequest::Save {
            group,
            date,
            walk_ins,
            ..
        }) => {
            let found = store
                .group(*group)
                .map_err(crate::ops::OpsError::from)
                .and_then(|g| crate::ops::groups::session_on(store, &g, *date));
            match found {
                Ok(s) => Before::Session(s.map(Box::new), walk_ins.len()),
                Err(_) => Before::Nothing,
            }
        }
        _ => Before::Nothing,
    }
}

/// The journal entry for a change that `response` says was saved.
fn journal(before: Before, response: &Response) -> Option<Undoable> {
    match (before, response) {
        (Before::CheckIn, Response::Saved(Ok(rec)) | Response::CheckInEdited(Ok(rec))) => {
            Some(Undoable::checkin(rec))
        }
        (Before::Goal(b, what), Response::Plan(p)) => match p.as_ref() {
            PlanResponse::Goal(Ok((saved, _))) => Undoable::goal(*b, saved, what),
            _ => None,
        },
        (Before::Peer(b), Response::Plan(p)) => match p.as_ref() {
            PlanResponse::Peer(_, Ok((saved, _))) => {
                Undoable::peer(*b, saved, "wellness plan edit")
            }
            _ => None,
        },
        (Before::Session(b, walk_ins), Response::Groups(g)) => match g.as_ref() {
            GroupsResponse::Saved(Ok(saved)) => {
                Undoable::attendance(b.map(|b| *b), saved, walk_ins)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Carries out `request` as [`handle_in`] does and, for a change undo
/// covers, also answers what undoing it needs (the running worker sends
/// it just before the answer, as [`Response::Undoable`]).
pub fn handle_journaled(
    state: &WorkerState,
    store: &dyn Store,
    request: Request,
) -> (Option<Undoable>, Response) {
    let before = before(store, &request);
    let answer = handle_in(state, store, request);
    (journal(before, &answer), answer)
}

/// Undoes one change (see `ops::undo`).
pub fn undo(store: &dyn Store, change: &Undoable, actor: &Actor) -> Response {
    Response::Undone(crate::ops::undo::undo(store, actor, change).map_err(Failure::from))
}
