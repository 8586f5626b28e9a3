//! Store work for the Groups screen: the group list, a group's history,
//! opening and saving a session's attendance (walk-ins join the roster
//! with the save) and new groups.

use crate::ui::worker::Failure;
use chrono::NaiveDate;

use crate::model::{Actor, Group, GroupId, GroupSession, PeerId, Record};
use crate::ops::groups::{
    group_rows, save_attendance, session_to_take, AttendanceChange, GroupRow,
};
use crate::ops::lookup::resolve_staff;
use crate::store::Store;

/// Store work for the Groups screen.
#[derive(Debug, Clone)]
pub enum GroupsRequest {
    /// Every group with today's session and a short history.
    List {
        /// The day the screen is for.
        today: NaiveDate,
    },
    /// A group's sessions, newest first.
    History(GroupId),
    /// Open (creating if needed) the session of a group on a day.
    Open {
        /// Which group.
        group: GroupId,
        /// Which day.
        date: NaiveDate,
        /// Who opens it (a new session is recorded under their name).
        actor: Actor,
    },
    /// Save attendance, topic and note (all or nothing).
    Save {
        /// Which group.
        group: GroupId,
        /// Which day.
        date: NaiveDate,
        /// Peers checked off since the session was loaded.
        add: Vec<PeerId>,
        /// Peers taken off since it was loaded.
        remove: Vec<PeerId>,
        /// Walk-ins typed in this session, by name: added to the roster by
        /// this save (not before, so a session left unsaved adds nobody).
        walk_ins: Vec<String>,
        /// The topic.
        topic: String,
        /// The note.
        note: String,
        /// Who saves it.
        actor: Actor,
    },
    /// Add a recurring group.
    AddGroup {
        /// The group as typed.
        group: Group,
        /// The facilitator as typed (initials, name or id), if any.
        facilitator: Option<String>,
        /// Who adds it.
        actor: Actor,
    },
}

/// What the groups work found or did. Errors are user-facing sentences
/// that start with the field they are about, where there is one.
#[derive(Debug, Clone)]
pub enum GroupsResponse {
    /// Answer to [`GroupsRequest::List`].
    List(Result<Vec<GroupRow>, Failure>),
    /// Answer to [`GroupsRequest::History`].
    History(GroupId, Result<Vec<Record<GroupSession>>, Failure>),
    /// Answer to [`GroupsRequest::Open`]: the group and its session.
    Opened(Result<(Record<Group>, Record<GroupSession>), Failure>),
    /// Answer to [`GroupsRequest::Save`]: Ok only once it is on disk.
    Saved(Result<Record<GroupSession>, Failure>),
    /// Answer to [`GroupsRequest::Save`] when it failed after walk-ins had
    /// joined the roster: why, and each walk-in (as typed) with the peer it
    /// became, to be checked off rather than added a second time.
    SaveFailedWalkInsKept(Failure, Vec<(String, crate::model::PeerId)>),
    /// Answer to [`GroupsRequest::AddGroup`].
    GroupAdded(Result<Record<Group>, Failure>),
}

/// Carries out one groups request. Runs on the worker thread (and in tests).
pub fn handle(store: &dyn Store, request: GroupsRequest) -> GroupsResponse {
    let err = Failure::from;
    match request {
        GroupsRequest::List { today } => {
            GroupsResponse::List(group_rows(store, today).map_err(err))
        }
        GroupsRequest::History(group) => GroupsResponse::History(
            group,
            store.sessions_for_group(group).map_err(Failure::from),
        ),
        GroupsRequest::Open { group, date, actor } => GroupsResponse::Opened(
            store
                .group(group)
                .map_err(crate::ops::OpsError::from)
                .and_then(|g| session_to_take(store, &actor, &g, date).map(|s| (g, s)))
                .map_err(err),
        ),
        GroupsRequest::Save {
            group,
            date,
            add,
            remove,
            walk_ins,
            topic,
            note,
            actor,
        } => {
            let change = AttendanceChange {
                add,
                remove,
                walk_ins,
                topic,
                note,
            };
            let result = store
                .group(group)
                .map_err(crate::ops::OpsError::from)
                .and_then(|g| save_attendance(store, &actor, &g, date, &change));
            match &result {
                Ok(s) => tracing::info!(
                    "saved attendance of {} ({} attending)",
                    s.id,
                    s.attendees.len()
                ),
                Err(e) => tracing::warn!("saving attendance of {group} on {date} failed: {e}"),
            }
            match result {
                Err(crate::ops::OpsError::WalkInsKept { kept, cause }) => {
                    let failure = err(crate::ops::OpsError::WalkInsKept {
                        kept: kept.clone(),
                        cause,
                    });
                    GroupsResponse::SaveFailedWalkInsKept(failure, kept)
                }
                other => GroupsResponse::Saved(other.map_err(err)),
            }
        }
        GroupsRequest::AddGroup {
            mut group,
            facilitator,
            actor,
        } => {
            let result = match facilitator
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
            {
                Some(f) => resolve_staff(store, f)
                    .map(|s| group.facilitator = Some(s.id))
                    .map_err(|e| Failure::field("facilitator", e)),
                None => Ok(()),
            }
            .and_then(|()| crate::ops::groups::add_group(store, &actor, group).map_err(err));
            GroupsResponse::GroupAdded(result)
        }
    }
}
