//! Group operations: recurring groups, today's session, attendance.
//! Shared by `caseload group` and the Groups screen.

use chrono::NaiveDate;

use crate::model::{Actor, Entity, Group, GroupSession, PeerId, Record};
use crate::store::Store;
use crate::text::escape_line;

use super::{OpsError, OpsResult};

/// Adds a recurring group.
pub fn add_group(store: &dyn Store, actor: &Actor, group: Group) -> OpsResult<Record<Group>> {
    group.validate()?;
    Ok(store.create_group(group, actor)?)
}

/// The session of `group` on `date`, if one was recorded.
pub fn session_on(
    store: &dyn Store,
    group: &Record<Group>,
    date: NaiveDate,
) -> OpsResult<Option<Record<GroupSession>>> {
    Ok(store
        .sessions_on(date)?
        .into_iter()
        .find(|s| s.group == group.id))
}

/// The session of `group` on `date`, created (empty, with the group's
/// defaults) if there is none yet.
pub fn open_session(
    store: &dyn Store,
    actor: &Actor,
    group: &Record<Group>,
    date: NaiveDate,
) -> OpsResult<Record<GroupSession>> {
    match session_on(store, group, date)? {
        Some(s) => Ok(s),
        None => Ok(store.create_session(GroupSession::for_group(group.id, group, date), actor)?),
    }
}

/// Adds attendees to the session of `group` on `date`, all or nothing: a
/// peer already checked off, or named twice, refuses the whole request.
pub fn attend(
    store: &dyn Store,
    actor: &Actor,
    group: &Record<Group>,
    date: NaiveDate,
    peers: &[PeerId],
) -> OpsResult<Record<GroupSession>> {
    let mut names = Vec::with_capacity(peers.len());
    for (i, p) in peers.iter().enumerate() {
        let peer = store.peer(*p)?;
        if peers[..i].contains(p) {
            return Err(OpsError::Refused(format!(
                "{} ({}) is named twice; nothing was saved",
                escape_line(&peer.display_name),
                p
            )));
        }
        names.push(peer);
    }
    let existing = session_on(store, group, date)?;
    if let Some(s) = &existing {
        if let Some(dup) = names.iter().find(|p| s.attendees.contains(&p.id)) {
            return Err(OpsError::Refused(format!(
                "{} ({}) is already checked off for {} on {date}; nothing was saved",
                escape_line(&dup.display_name),
                dup.id,
                escape_line(&group.name)
            )));
        }
    }
    let mut session = match existing {
        Some(s) => s,
        None => {
            let mut fresh = GroupSession::for_group(group.id, group, date);
            fresh.attendees = peers.to_vec();
            fresh.validate()?;
            return Ok(store.create_session(fresh, actor)?);
        }
    };
    for p in peers {
        session.add_attendee(*p);
    }
    Ok(store.update_session(&session, actor)?)
}
