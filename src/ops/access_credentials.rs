//! The authorizing layer's rules for staff credentials (a child module of
//! `ops::access`, so every path — the server per connection, the command
//! line and the UI on the store's own files — goes through them).
//!
//! Whose credentials a session may read and add to: its own staff
//! member's; a supervisor's supervisees' (staff whose supervision sessions
//! name the supervisor: [`supervisees_of`]); an admin's, everyone's. A
//! supervision note is returned only to the supervisee, the supervisor of
//! that session and admins: for anyone else the note is left out here, so
//! no client can show it. Recording a session whose supervisee is a
//! supervisor or an admin is an admin's (the domain's rule,
//! `model::credential::permission_to_record_supervision_of`).

use std::collections::HashSet;

use crate::model::credential::{permission_to_record_supervision_of, supervisees_of};
use crate::model::{
    Certification, CeuEntry, CredentialRecords, Permission, Record, StaffId, Supervision,
};
use crate::store::api::Operation;
use crate::store::{Store, StoreError, StoreResult};

use super::{Authorized, Who};

/// Whose credentials a session reaches.
pub(super) enum Reach {
    /// Everyone's, every note (an admin, or an open store).
    All,
    /// Its own staff member's and these supervisees'.
    Some {
        /// The session's staff member.
        me: StaffId,
        /// Their supervisees (empty unless they may supervise).
        supervisees: HashSet<StaffId>,
    },
}

impl Reach {
    fn covers(&self, staff: StaffId) -> bool {
        match self {
            Reach::All => true,
            Reach::Some { me, supervisees } => *me == staff || supervisees.contains(&staff),
        }
    }

    /// True if the session may read this session's note.
    fn reads_note(&self, s: &Supervision) -> bool {
        match self {
            Reach::All => true,
            Reach::Some { me, .. } => s.staff == *me || s.supervisor == *me,
        }
    }
}

impl Reach {
    /// The staff members it names, when it is not everyone.
    fn staff(&self) -> Option<Vec<StaffId>> {
        match self {
            Reach::All => None,
            Reach::Some { me, supervisees } => {
                let mut v: Vec<StaffId> = supervisees.iter().copied().collect();
                v.push(*me);
                v.sort();
                v.dedup();
                Some(v)
            }
        }
    }
}

/// The records of `staff`, or with `None` those `reach` covers: read per
/// staff member through the store's index when it is not everyone.
fn gather<E: crate::model::Entity>(
    reach: &Reach,
    staff: Option<StaffId>,
    read: impl Fn(Option<StaffId>) -> StoreResult<Vec<Record<E>>>,
) -> StoreResult<Vec<Record<E>>> {
    match (staff, reach.staff()) {
        (None, Some(ids)) => {
            let mut out = Vec::new();
            for id in ids {
                out.extend(read(Some(id))?);
            }
            out.sort_by_key(|r| r.id);
            Ok(out)
        }
        _ => read(staff),
    }
}

impl<S: Store> Authorized<S> {
    /// Refuses (audited) without [`Permission::KeepCredentials`]; else whose
    /// credentials the session reaches.
    fn reach(&self, op: Operation, who: &Who) -> StoreResult<Reach> {
        self.require(op, who)?;
        let Who::Staff(me) = who else {
            return Ok(Reach::All);
        };
        if Permission::ManageCredentials.allows(me.role) {
            return Ok(Reach::All);
        }
        let supervisees = if Permission::SuperviseCredentials.allows(me.role) {
            supervisees_of(me.id, &self.inner.supervisions(None)?)
                .into_iter()
                .collect()
        } else {
            HashSet::new()
        };
        Ok(Reach::Some {
            me: me.id,
            supervisees,
        })
    }

    /// Refuses (audited) a staff member the session does not reach, naming
    /// who may.
    fn reach_staff(
        &self,
        op: Operation,
        who: &Who,
        reach: &Reach,
        staff: StaffId,
    ) -> StoreResult<()> {
        if reach.covers(staff) {
            return Ok(());
        }
        self.require_permission(op.name(), who, Permission::ManageCredentials, None)
    }

    pub(super) fn guard_create_certification(
        &self,
        who: &Who,
        cert: Certification,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Certification>> {
        let op = Operation::CreateCertification;
        let reach = self.reach(op, who)?;
        self.reach_staff(op, who, &reach, cert.staff)?;
        self.inner
            .create_certification(cert, &self.actor(who, Some(actor)))
    }

    pub(super) fn guard_certifications(
        &self,
        who: &Who,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<Certification>>> {
        let op = Operation::Certifications;
        let reach = self.reach(op, who)?;
        if let Some(s) = staff {
            self.reach_staff(op, who, &reach, s)?;
        }
        let mut list = gather(&reach, staff, |s| self.inner.certifications(s))?;
        list.retain(|c| reach.covers(c.staff));
        Ok(list)
    }

    pub(super) fn guard_create_ceu(
        &self,
        who: &Who,
        entry: CeuEntry,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<CeuEntry>> {
        let op = Operation::CreateCeu;
        let reach = self.reach(op, who)?;
        self.reach_staff(op, who, &reach, entry.staff)?;
        self.inner.create_ceu(entry, &self.actor(who, Some(actor)))
    }

    pub(super) fn guard_ceu_entries(
        &self,
        who: &Who,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<CeuEntry>>> {
        let op = Operation::CeuEntries;
        let reach = self.reach(op, who)?;
        if let Some(s) = staff {
            self.reach_staff(op, who, &reach, s)?;
        }
        let mut list = gather(&reach, staff, |s| self.inner.ceu_entries(s))?;
        list.retain(|c| reach.covers(c.staff));
        Ok(list)
    }

    /// The supervisee may record a session with any supervisor; a
    /// supervisor may record one they held (which makes the staff member
    /// their supervisee) or one of a supervisee's; admins any. Whoever
    /// records it, a session whose supervisee is a supervisor or an admin
    /// needs an admin ([`permission_to_record_supervision_of`]), so no
    /// made-up session reaches their credentials.
    pub(super) fn guard_create_supervision(
        &self,
        who: &Who,
        session: Supervision,
        actor: &crate::model::Actor,
    ) -> StoreResult<Record<Supervision>> {
        let op = Operation::CreateSupervision;
        let reach = self.reach(op, who)?;
        match self.inner.staff(session.staff) {
            Ok(supervisee) => self.require_permission(
                op.name(),
                who,
                permission_to_record_supervision_of(supervisee.role),
                None,
            )?,
            // A missing supervisee: the store refuses it, naming the field.
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let held_it = match (who, &reach) {
            (Who::Staff(me), Reach::Some { me: id, .. }) => {
                session.supervisor == *id && Permission::SuperviseCredentials.allows(me.role)
            }
            _ => false,
        };
        if !held_it {
            self.reach_staff(op, who, &reach, session.staff)?;
        }
        self.inner
            .create_supervision(session, &self.actor(who, Some(actor)))
    }

    /// The three credential reads, each by its own rule, under one
    /// request: refused (audited) as this operation first.
    pub(super) fn guard_credential_records(
        &self,
        who: &Who,
        staff: Option<StaffId>,
    ) -> StoreResult<CredentialRecords> {
        self.require(Operation::CredentialRecords, who)?;
        Ok(CredentialRecords {
            certifications: self.guard_certifications(who, staff)?,
            ceu_entries: self.guard_ceu_entries(who, staff)?,
            supervisions: self.guard_supervisions(who, staff)?,
        })
    }

    pub(super) fn guard_supervisions(
        &self,
        who: &Who,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<Supervision>>> {
        let op = Operation::Supervisions;
        let reach = self.reach(op, who)?;
        if let Some(s) = staff {
            self.reach_staff(op, who, &reach, s)?;
        }
        let mut list = self.inner.supervisions(staff)?;
        // A session one held as supervisor is one's own to see as well.
        list.retain(|s| reach.covers(s.staff) || reach.reads_note(s));
        for s in &mut list {
            if !reach.reads_note(s) {
                s.data.note = None;
            }
        }
        Ok(list)
    }
}
