//! The authorizing layer's rules for what a write may say about who did
//! what (a child module of `ops::access`, so every path — the server per
//! connection, the command line and the UI on the store's own files —
//! goes through them).
//!
//! A record that names the staff member who did something (a referral's
//! maker and each of its status changes, a goal's status changes and
//! reviews) names the session's own staff member unless the role may
//! credit others ([`Permission::CreditOthers`]), and crediting someone
//! else is itself on the audit trail. A record that keeps its own history
//! keeps what is already saved as it was (the domain rule of the record
//! kind: [`Referral::check_amendment`], [`Goal::check_amendment`],
//! [`Peer::check_amendment`] for a peer's episodes); taking
//! back a goal's latest status change (undo) is one's own unless the role
//! may correct others' work ([`Permission::CorrectOthers`]). Each refusal
//! names the field, writes nothing and is on the trail like any other.
//! A new check-in or session never comes voided: a void's who and when are
//! the store's to write.

use crate::model::{
    Goal, GroupSession, Peer, Permission, Record, Referral, StaffId, ValidationError, Void,
};
use crate::ops::auth;
use crate::store::api::Operation;
use crate::store::{Store, StoreError, StoreResult};

use super::{Authorized, Who};

/// `err` with the field it is about in front of its reason, so a refusal
/// says which field named someone else.
fn about_field(field: &str, err: StoreError) -> StoreError {
    match err {
        StoreError::Denied {
            reason,
            retry_after_secs,
            kind,
        } => StoreError::Denied {
            reason: format!("{field}: {reason}"),
            retry_after_secs,
            kind,
        },
        other => other,
    }
}

impl<S: Store> Authorized<S> {
    /// Refuses (audited, naming `field`) a record that names a staff member
    /// other than the session's as the one who did something, unless the
    /// role may credit others. True when it names someone else (to be put
    /// on the trail as a credit once saved).
    pub(super) fn check_named(
        &self,
        op: Operation,
        who: &Who,
        field: &str,
        named: Option<StaffId>,
        peer: crate::model::PeerId,
    ) -> StoreResult<bool> {
        let Who::Staff(me) = who else {
            return Ok(false);
        };
        if named == Some(me.id) {
            return Ok(false);
        }
        match auth::require(me, Permission::CreditOthers) {
            Ok(()) => Ok(named.is_some()),
            Err(e) => self.refuse(op.name(), who, about_field(field, e.into()), Some(peer)),
        }
    }

    /// Puts on the trail that the session credited `record` (as printed:
    /// a check-in "C12", a referral "R5") of `peer` to `staff`.
    pub(super) fn record_credit_of(
        &self,
        who: &Who,
        record: String,
        peer: crate::model::PeerId,
        staff: StaffId,
    ) -> StoreResult<()> {
        let event = crate::store::AuditEvent::Credited {
            checkin: record,
            peer,
            staff,
        };
        self.inner.record_event(event, &self.actor(who, None))
    }

    /// The staff members other than the session's that `named` credits,
    /// each once, after checking each may be named.
    fn check_all_named<'a>(
        &self,
        op: Operation,
        who: &Who,
        named: impl IntoIterator<Item = (&'a str, Option<StaffId>)>,
        peer: crate::model::PeerId,
    ) -> StoreResult<Vec<StaffId>> {
        let mut credited = Vec::new();
        for (field, staff) in named {
            if self.check_named(op, who, field, staff, peer)? {
                if let Some(s) = staff.filter(|s| !credited.contains(s)) {
                    credited.push(s);
                }
            }
        }
        Ok(credited)
    }

    /// A new referral names the session's staff member as its maker and
    /// in its history, unless the role may credit others, and the check-in
    /// it was made at is its own peer's.
    pub(super) fn guard_create_referral(
        &self,
        who: &Who,
        referral: Referral,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Referral>> {
        let op = Operation::CreateReferral;
        self.require(op, who)?;
        if let Some(c) = referral.checkin {
            let made_at = self.inner.checkin(c)?;
            if made_at.peer != referral.peer {
                let err = ValidationError::one(
                    "checkin",
                    format!(
                        "check-in {c} is {}'s, not {}'s: a referral is made at its own peer's check-in",
                        made_at.peer, referral.peer
                    ),
                );
                return self.refuse(op.name(), who, err.into(), Some(referral.peer));
            }
        }
        let named = std::iter::once(("by", referral.by))
            .chain(referral.history.iter().map(|u| ("history: by", u.by)));
        let credited = self.check_all_named(op, who, named, referral.peer)?;
        let rec = self
            .inner
            .create_referral(referral, &self.actor(who, Some(actor)))?;
        for staff in credited {
            self.record_credit_of(who, rec.id.to_string(), rec.peer, staff)?;
        }
        Ok(rec)
    }

    /// A saved referral only gains a status change
    /// ([`Referral::check_amendment`]), recorded by the session's staff
    /// member unless the role may credit others.
    pub(super) fn guard_update_referral(
        &self,
        who: &Who,
        referral: &Record<Referral>,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Referral>> {
        let op = Operation::UpdateReferral;
        self.require(op, who)?;
        let stored = self.inner.referral(referral.id)?;
        // A stale revision is the store's to answer (a conflict): the rule
        // holds against the version the save would replace.
        let mut credited = Vec::new();
        if stored.meta.revision == referral.meta.revision {
            if let Err(e) = stored.data.check_amendment(&referral.data) {
                return self.refuse(op.name(), who, e.into(), Some(stored.peer));
            }
            let named = stored
                .added_updates(&referral.data)
                .iter()
                .map(|u| ("history: by", u.by));
            credited = self.check_all_named(op, who, named, stored.peer)?;
        }
        let rec = self
            .inner
            .update_referral(referral, &self.actor(who, Some(actor)))?;
        for staff in credited {
            self.record_credit_of(who, rec.id.to_string(), rec.peer, staff)?;
        }
        Ok(rec)
    }

    /// Refuses (audited, naming `field`) taking back a change another
    /// staff member recorded, unless the role may correct others' work
    /// (as for their check-ins).
    fn check_own_change(
        &self,
        op: Operation,
        who: &Who,
        field: &str,
        by: Option<StaffId>,
        peer: crate::model::PeerId,
    ) -> StoreResult<()> {
        match who {
            Who::Staff(me) if by != Some(me.id) => {
                match auth::require(me, Permission::CorrectOthers) {
                    Ok(()) => Ok(()),
                    Err(e) => self.refuse(op.name(), who, about_field(field, e.into()), Some(peer)),
                }
            }
            _ => Ok(()),
        }
    }

    /// A new goal's status changes and reviews name the session's staff
    /// member, or nobody (a goal's making names nobody), unless the role
    /// may credit others.
    pub(super) fn guard_create_goal(
        &self,
        who: &Who,
        goal: Goal,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Goal>> {
        let op = Operation::CreateGoal;
        self.require(op, who)?;
        let named = goal
            .history
            .iter()
            .map(|h| ("history: by", h.by))
            .chain(goal.reviews.iter().map(|r| ("reviews: by", r.by)))
            .filter(|(_, by)| by.is_some());
        let credited = self.check_all_named(op, who, named, goal.peer)?;
        let rec = self
            .inner
            .create_goal(goal, &self.actor(who, Some(actor)))?;
        for staff in credited {
            self.record_credit_of(who, rec.id.to_string(), rec.peer, staff)?;
        }
        Ok(rec)
    }

    /// A saved goal keeps its status changes and reviews
    /// ([`Goal::check_amendment`]); what a save adds names the session's
    /// staff member unless the role may credit others, and only one's own
    /// latest status change is taken back unless the role may correct
    /// others' work.
    pub(super) fn guard_update_goal(
        &self,
        who: &Who,
        goal: &Record<Goal>,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Goal>> {
        let op = Operation::UpdateGoal;
        self.require(op, who)?;
        let stored = self.inner.goal(goal.id)?;
        // A stale revision is the store's to answer (a conflict).
        let mut credited = Vec::new();
        if stored.meta.revision == goal.meta.revision {
            if let Err(e) = stored.data.check_amendment(&goal.data) {
                return self.refuse(op.name(), who, e.into(), Some(stored.peer));
            }
            if let Some(change) = stored.taken_back(&goal.data) {
                self.check_own_change(op, who, "history", change.by, stored.peer)?;
            }
            let named = stored
                .added_changes(&goal.data)
                .iter()
                .map(|h| ("history: by", h.by))
                .chain(
                    stored
                        .added_reviews(&goal.data)
                        .iter()
                        .map(|r| ("reviews: by", r.by)),
                );
            credited = self.check_all_named(op, who, named, stored.peer)?;
        }
        let rec = self
            .inner
            .update_goal(goal, &self.actor(who, Some(actor)))?;
        for staff in credited {
            self.record_credit_of(who, rec.id.to_string(), rec.peer, staff)?;
        }
        Ok(rec)
    }

    /// Refuses (audited, naming the field) a new record that comes voided:
    /// who voided a record and when is the store's to write when it is
    /// voided (`void_checkin`, `void_session`), never a client's.
    pub(super) fn refuse_voided(
        &self,
        op: Operation,
        who: &Who,
        voided: &Option<Void>,
        peer: Option<crate::model::PeerId>,
    ) -> StoreResult<()> {
        if voided.is_none() {
            return Ok(());
        }
        let err = ValidationError::one(
            "voided",
            "a new record is not voided: save it, then void it with a reason (the store records who and when)",
        );
        self.refuse(op.name(), who, err.into(), peer)
    }

    /// A new group session is not voided.
    pub(super) fn guard_create_session(
        &self,
        who: &Who,
        session: GroupSession,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<GroupSession>> {
        let op = Operation::CreateSession;
        self.require(op, who)?;
        self.refuse_voided(op, who, &session.voided, session.attendees.first().copied())?;
        self.inner
            .create_session(session, &self.actor(who, Some(actor)))
    }

    /// A saved peer keeps their episodes ([`Peer::check_amendment`]).
    pub(super) fn guard_update_peer(
        &self,
        who: &Who,
        peer: &Record<Peer>,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Peer>> {
        let op = Operation::UpdatePeer;
        self.require(op, who)?;
        let stored = self.inner.peer(peer.id)?;
        // A stale revision (or a merged id) is the store's to answer.
        if stored.id == peer.id && stored.meta.revision == peer.meta.revision {
            if let Err(e) = stored.data.check_amendment(&peer.data) {
                return self.refuse(op.name(), who, e.into(), Some(stored.id));
            }
        }
        self.inner.update_peer(peer, &self.actor(who, Some(actor)))
    }
}
