//! Logging a check-in: the most frequent thing staff do.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::model::dates::{plausible, plausible_contact, DateKind};
use crate::model::{
    CheckIn, CheckInId, CheckInMode, Choice, Entity, Goal, GoalId, GoalStatus, PeerId, PeerStatus,
    Record, SupportKind, ValidationError,
};
use crate::store::Store;
use crate::text::escape_line;

use super::{OpsError, OpsResult};
use crate::model::Actor;

/// Saves a check-in after checking what only the store can tell: the peer
/// and staff exist and every goal touched is one of this peer's goals; and
/// that its time and follow-up lie in their plausible windows
/// (`model::dates`).
/// Returns the saved record once it is on disk.
pub fn log_checkin(
    store: &dyn Store,
    actor: &Actor,
    checkin: CheckIn,
) -> OpsResult<Record<CheckIn>> {
    check_new(store, &checkin)?;
    Ok(store.create_checkin(checkin, actor)?)
}

/// Every check [`log_checkin`] makes before it saves, without saving: so
/// the UI can refuse what is wrong before it asks about what is unusual
/// ([`needs_confirmation`]).
pub fn check_new(store: &dyn Store, checkin: &CheckIn) -> OpsResult<()> {
    checkin.validate()?;
    // The same windows the CLI and the UI form apply, for every other way in.
    let given = checkin.at.format("%Y-%m-%d %H:%M").to_string();
    plausible_contact("at", &given, checkin.at, Utc::now().fixed_offset())?;
    if let Some(f) = checkin.follow_up {
        plausible(
            "follow-up",
            &f.to_string(),
            DateKind::FollowUp,
            f,
            checkin.day(),
        )?;
    }
    let peer = store.peer(checkin.peer)?;
    store.staff(checkin.staff)?;
    for g in &checkin.goals {
        let goal = store.goal(*g)?;
        if goal.peer != peer.id {
            return Err(OpsError::Refused(format!(
                "goal {g} belongs to peer {}, not to {} ({})",
                goal.peer,
                escape_line(&peer.display_name),
                peer.id
            )));
        }
        if !may_touch(&goal) {
            return Err(ValidationError::one(
                "goals",
                format!(
                    "goal {g} \"{}\" is {}; a check-in can touch active goals only (set it active again first)",
                    escape_line(&goal.title),
                    goal.status.label()
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// The rule of which goals a check-in may touch: the peer's active goals
/// (a paused, achieved or dropped goal is not being worked on).
pub fn may_touch(goal: &Goal) -> bool {
    goal.status == GoalStatus::Active
}

/// The goals of `peer` that a check-in may touch ([`may_touch`]), in the
/// store's order: what the check-in form offers and `log --goal` accepts.
pub fn goals_to_touch(store: &dyn Store, peer: PeerId) -> OpsResult<Vec<Record<Goal>>> {
    Ok(store
        .goals_for_peer(peer)?
        .into_iter()
        .filter(|g| may_touch(g))
        .collect())
}

/// Units of service a check-in counts for, under the store's settings.
pub fn units(store: &dyn Store, checkin: &CheckIn) -> OpsResult<u32> {
    Ok(store.settings()?.units_for(checkin.minutes))
}

/// What a correction changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correction {
    /// New length in minutes.
    pub minutes: Option<u16>,
    /// New note.
    pub note: Option<String>,
    /// New mode.
    pub mode: Option<CheckInMode>,
    /// New support kinds (replacing the old list).
    pub support: Option<Vec<SupportKind>>,
    /// New goals touched (replacing the old list).
    pub goals: Option<Vec<GoalId>>,
    /// New follow-up (`Some(None)` clears it).
    pub follow_up: Option<Option<NaiveDate>>,
    /// New time.
    pub at: Option<DateTime<FixedOffset>>,
    /// New wellbeing rating (`Some(None)` clears it).
    pub wellbeing: Option<Option<u8>>,
}

impl Correction {
    /// The correction that turns `old` into `new` (what a form edited):
    /// only the fields that differ, so the history shows what changed.
    pub fn between(old: &CheckIn, new: &CheckIn) -> Correction {
        Correction {
            minutes: (old.minutes != new.minutes).then_some(new.minutes),
            note: (old.note != new.note).then(|| new.note.clone()),
            mode: (old.mode != new.mode).then_some(new.mode),
            support: (old.support != new.support).then(|| new.support.clone()),
            goals: (old.goals != new.goals).then(|| new.goals.clone()),
            follow_up: (old.follow_up != new.follow_up).then_some(new.follow_up),
            at: (old.at != new.at).then_some(new.at),
            wellbeing: (old.wellbeing != new.wellbeing).then_some(new.wellbeing),
        }
    }

    /// True if it changes nothing (a correction must change something).
    pub fn is_empty(&self) -> bool {
        *self == Correction::default()
    }

    /// `checkin` with the correction applied.
    pub fn apply(&self, checkin: &CheckIn) -> CheckIn {
        let mut c = checkin.clone();
        if let Some(m) = self.minutes {
            c.minutes = m;
        }
        if let Some(n) = &self.note {
            c.note = n.clone();
        }
        if let Some(m) = self.mode {
            c.mode = m;
        }
        if let Some(s) = &self.support {
            c.support.clear();
            for k in s {
                c.add_support(*k);
            }
        }
        if let Some(g) = &self.goals {
            c.goals.clear();
            for id in g {
                if !c.goals.contains(id) {
                    c.goals.push(*id);
                }
            }
        }
        if let Some(f) = self.follow_up {
            c.follow_up = f;
        }
        if let Some(w) = self.wellbeing {
            c.wellbeing = w;
        }
        if let Some(at) = self.at {
            c.at = at;
        }
        c
    }
}

/// Why a check-in should be confirmed before it is saved: the CLI needs
/// `--force`, the UI asks. Typed, so the UI can word its own question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedsConfirmation {
    /// It is dated after now.
    InTheFuture {
        /// When it is dated.
        at: DateTime<FixedOffset>,
    },
    /// The peer is not active (inactive or discharged).
    PeerNotActive {
        /// The peer's name, escaped for a terminal.
        name: String,
        /// Their status.
        status: PeerStatus,
        /// Since when.
        since: NaiveDate,
    },
}

impl std::fmt::Display for NeedsConfirmation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NeedsConfirmation::InTheFuture { at } => {
                write!(f, "at: {} is in the future", at.format("%Y-%m-%d %H:%M"))
            }
            NeedsConfirmation::PeerNotActive {
                name,
                status,
                since,
            } => write!(f, "peer: {name} is {} since {since}", status.label()),
        }
    }
}

/// What about `checkin` should be confirmed before saving it (empty when
/// nothing): a time after `now`, or a peer who is not active.
pub fn needs_confirmation(
    store: &dyn Store,
    checkin: &CheckIn,
    now: DateTime<FixedOffset>,
) -> OpsResult<Vec<NeedsConfirmation>> {
    let mut out = Vec::new();
    if checkin.at > now {
        out.push(NeedsConfirmation::InTheFuture { at: checkin.at });
    }
    let peer = store.peer(checkin.peer)?;
    if peer.status != PeerStatus::Active {
        out.push(NeedsConfirmation::PeerNotActive {
            name: escape_line(&peer.display_name).into_owned(),
            status: peer.status,
            since: peer.status_since,
        });
    }
    Ok(out)
}

/// Refuses unless `confirmed`, when [`needs_confirmation`] found something:
/// the message names each reason and how to go ahead (`hint`, e.g. "add
/// --force").
pub fn confirm(found: &[NeedsConfirmation], confirmed: bool, hint: &str) -> OpsResult<()> {
    if found.is_empty() || confirmed {
        return Ok(());
    }
    let why: Vec<String> = found.iter().map(ToString::to_string).collect();
    Err(OpsError::Refused(format!(
        "not saved: {}; {hint} to record it anyway",
        why.join("; ")
    )))
}

/// Corrects a saved check-in: the version it replaces stays in the
/// check-in's history (`store.checkin_history`) and the change is on the
/// audit trail. The same checks as [`log_checkin`] apply to the result; a
/// voided check-in cannot be corrected (it is counted nowhere).
pub fn edit(
    store: &dyn Store,
    actor: &Actor,
    id: CheckInId,
    correction: &Correction,
) -> OpsResult<Record<CheckIn>> {
    if correction.is_empty() {
        return Err(OpsError::Refused(format!(
            "{id}: nothing to change; give --minutes, --note, --mode, --support, --goal, --follow-up or --at"
        )));
    }
    let current = store.checkin(id)?;
    if let Some(v) = &current.voided {
        return Err(OpsError::Refused(format!(
            "{id} was voided on {} ({}); it cannot be corrected",
            v.at.format("%Y-%m-%d"),
            escape_line(&v.reason)
        )));
    }
    let next = correction.apply(&current.data);
    next.validate()?;
    if correction.at.is_some() {
        let given = next.at.format("%Y-%m-%d %H:%M").to_string();
        plausible_contact("at", &given, next.at, Utc::now().fixed_offset())?;
    }
    if let Some(f) = next.follow_up {
        if correction.follow_up.is_some() || correction.at.is_some() {
            plausible(
                "follow-up",
                &f.to_string(),
                DateKind::FollowUp,
                f,
                next.day(),
            )?;
        }
    }
    if let Some(goals) = &correction.goals {
        let peer = store.peer(next.peer)?;
        for g in goals {
            let goal = store.goal(*g)?;
            if goal.peer != peer.id {
                return Err(ValidationError::one(
                    "goals",
                    format!(
                        "goal {g} belongs to peer {}, not to {} ({})",
                        goal.peer,
                        escape_line(&peer.display_name),
                        peer.id
                    ),
                )
                .into());
            }
            if !current.goals.contains(g) && !may_touch(&goal) {
                return Err(ValidationError::one(
                    "goals",
                    format!(
                        "goal {g} \"{}\" is {}; a check-in can touch active goals only",
                        escape_line(&goal.title),
                        goal.status.label()
                    ),
                )
                .into());
            }
        }
    }
    let rec = Record {
        id: current.id,
        meta: current.meta.clone(),
        data: next,
    };
    Ok(store.update_checkin(&rec, actor)?)
}

/// Voids a check-in recorded by mistake, with the reason: kept (and its
/// earlier version in the history), counted nowhere.
pub fn void(
    store: &dyn Store,
    actor: &Actor,
    id: CheckInId,
    reason: &str,
) -> OpsResult<Record<CheckIn>> {
    if reason.trim().is_empty() {
        return Err(ValidationError::one("reason", "say why it is voided").into());
    }
    Ok(store.void_checkin(id, reason.to_string(), actor)?)
}

/// Every version of a check-in, oldest first, the current one last.
pub fn history(store: &dyn Store, id: CheckInId) -> OpsResult<Vec<Record<CheckIn>>> {
    let current = store.checkin(id)?;
    let mut out = store.checkin_history(id)?;
    out.push(current);
    Ok(out)
}
