//! Group operations: recurring groups, a day's session, attendance, and the
//! groups list. Shared by `caseload group` and the Groups screen: the
//! attendance rules live here once.

use chrono::{Datelike, NaiveDate};

use crate::model::{Actor, Entity, Group, GroupSession, PeerId, Record, ValidationError};
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

/// The session of `group` on `date` to take attendance in: the one
/// recorded, or a new one that is not saved yet (id 0, revision 0) and is
/// only written when attendance is saved, so that opening a group and
/// leaving records no session (none with 0 attending in Today or reports).
pub fn session_to_take(
    store: &dyn Store,
    actor: &Actor,
    group: &Record<Group>,
    date: NaiveDate,
) -> OpsResult<Record<GroupSession>> {
    if let Some(s) = session_on(store, group, date)? {
        return Ok(s);
    }
    let mut meta = crate::model::Meta::created(chrono::Utc::now(), actor);
    meta.revision = 0;
    Ok(Record {
        id: crate::model::SessionId::new(0),
        meta,
        data: GroupSession::for_group(group.id, group, date),
    })
}

/// True for a session [`session_to_take`] made up and nobody saved yet.
pub fn is_unsaved(session: &Record<GroupSession>) -> bool {
    session.id.raw() == 0
}

/// The one attendance rule: peers to check off must exist, be named once,
/// and not be checked off already (`checked_off`: the session as stored).
/// A breach refuses the whole request, naming the field "attendees".
pub fn check_new_attendees(
    store: &dyn Store,
    group: &Record<Group>,
    date: NaiveDate,
    checked_off: &[PeerId],
    add: &[PeerId],
) -> OpsResult<()> {
    for (i, p) in add.iter().enumerate() {
        let peer = store.peer(*p)?;
        let twice = add[..i].contains(p);
        if twice || checked_off.contains(p) {
            return Err(ValidationError::one(
                "attendees",
                format!(
                    "{} ({}) is {} for {} on {date}; nothing was saved",
                    escape_line(&peer.display_name),
                    p,
                    if twice {
                        "named twice"
                    } else {
                        "already checked off"
                    },
                    escape_line(&group.name)
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// Adds attendees to the session of `group` on `date` (created if there is
/// none), all or nothing by [`check_new_attendees`]. `caseload group
/// attend` comes here.
pub fn attend(
    store: &dyn Store,
    actor: &Actor,
    group: &Record<Group>,
    date: NaiveDate,
    peers: &[PeerId],
) -> OpsResult<Record<GroupSession>> {
    let existing = session_on(store, group, date)?;
    let checked_off = existing
        .as_ref()
        .map(|s| s.attendees.clone())
        .unwrap_or_default();
    check_new_attendees(store, group, date, &checked_off, peers)?;
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

/// What a session screen changed since it loaded the session, saved all
/// or nothing by [`save_attendance`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendanceChange {
    /// Peers checked off.
    pub add: Vec<PeerId>,
    /// Peers taken off.
    pub remove: Vec<PeerId>,
    /// Walk-ins by name, not on the roster yet: the save adds each as a
    /// new peer (intake on the session's day) and checks them off after
    /// `add`, in this order. Until then nothing of them is written, so a
    /// session left without saving leaves no peer behind.
    pub walk_ins: Vec<String>,
    /// The topic.
    pub topic: String,
    /// The note.
    pub note: String,
}

/// Saves attendance of `group` on `date` as a change from what the user
/// started from: `add` are checked off, `remove` taken off, walk-ins added
/// to the roster and checked off, and the topic and note set. Everything
/// is checked before anything is written: [`check_new_attendees`] (a peer
/// in `add` whom another terminal checked off first refuses the save),
/// each walk-in's name, the session's own rules; only then are the
/// walk-ins created and the session written (created if needed). The
/// Groups screen's session comes here.
pub fn save_attendance(
    store: &dyn Store,
    actor: &Actor,
    group: &Record<Group>,
    date: NaiveDate,
    change: &AttendanceChange,
) -> OpsResult<Record<GroupSession>> {
    let existing = session_on(store, group, date)?;
    let mut data = match &existing {
        Some(s) => s.data.clone(),
        None => GroupSession::for_group(group.id, group, date),
    };
    check_new_attendees(store, group, date, &data.attendees, &change.add)?;
    let walk_ins = change
        .walk_ins
        .iter()
        .map(|name| super::roster::walk_in_peer(name, date))
        .collect::<Result<Vec<_>, _>>()?;
    for p in &change.remove {
        data.remove_attendee(*p);
    }
    for p in &change.add {
        data.add_attendee(*p);
    }
    data.topic = change.topic.trim().to_string();
    data.note = change.note.trim().to_string();
    data.validate()?;
    let total = data.attendees.len() + walk_ins.len();
    if total > crate::model::group::MAX_ATTENDEES {
        return Err(ValidationError::one(
            "attendees",
            format!(
                "{total} attendees; the limit is {}",
                crate::model::group::MAX_ATTENDEES
            ),
        )
        .into());
    }
    // Walk-ins join the roster first; should anything after the first of
    // them fail, the error names those added so that a second try checks
    // them off instead of adding them again.
    let mut kept = Vec::new();
    let write = || -> OpsResult<Record<GroupSession>> {
        for (name, peer) in change.walk_ins.iter().zip(walk_ins) {
            let added = super::peer::add_peer(store, actor, peer)?;
            kept.push((name.clone(), added.id));
            data.add_attendee(added.id);
        }
        Ok(match existing {
            // Created with its attendance in one write (one revision).
            None => store.create_session(data.clone(), actor)?,
            Some(ref s) => store.update_session(
                &Record {
                    id: s.id,
                    meta: s.meta.clone(),
                    data: data.clone(),
                },
                actor,
            )?,
        })
    };
    let written = write();
    written.map_err(|cause| {
        if kept.is_empty() {
            cause
        } else {
            OpsError::WalkInsKept {
                kept,
                cause: Box::new(cause),
            }
        }
    })
}

/// Days from `today` to the next meeting on `weekday` (0 when it is today):
/// the order of the groups list, in the CLI and the Groups screen.
pub fn days_until(weekday: chrono::Weekday, today: NaiveDate) -> u32 {
    let from = today.weekday().num_days_from_monday();
    (weekday.num_days_from_monday() + 7 - from) % 7
}

/// A group as the Groups screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// The group.
    pub group: Record<Group>,
    /// Today's session, if one was recorded.
    pub today: Option<Record<GroupSession>>,
    /// Sessions ever recorded.
    pub sessions: usize,
    /// The newest session before today: date and attendance.
    pub last: Option<(NaiveDate, usize)>,
}

/// Every group with today's session and a short history, today's groups
/// first, then by weekday from today ([`days_until`]) and time.
pub fn group_rows(store: &dyn Store, today: NaiveDate) -> OpsResult<Vec<GroupRow>> {
    let todays = store.sessions_on(today)?;
    let mut rows = Vec::new();
    for g in store.list_groups()? {
        let history = store.sessions_for_group(g.id)?;
        let last = history
            .iter()
            .find(|s| s.date < today)
            .map(|s| (s.date, s.attendees.len()));
        rows.push(GroupRow {
            today: todays.iter().find(|s| s.group == g.id).cloned(),
            sessions: history.len(),
            last,
            group: g,
        });
    }
    rows.sort_by_key(|r| {
        let meets_today = r.group.meets_on(today) || r.today.is_some();
        (
            !meets_today,
            !r.group.active,
            days_until(r.group.weekday, today),
            r.group.time,
            r.group.id,
        )
    });
    Ok(rows)
}
