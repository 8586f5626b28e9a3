//! Staff credentials in the embedded store: certifications, continuing-
//! education entries and supervision sessions. A child module of
//! `sled_store`, so it uses the store's own record helpers; each kind is
//! its own tree (no migration) with an index by staff member, so one
//! member's records are read without the others'.

use crate::model::{
    Actor, Certification, CeuEntry, CredentialRecords, Record, Role, StaffId, Supervision,
};
use crate::store::{StoreError, StoreResult};

use super::{id_key, SledStore, T};

impl SledStore {
    /// The records of one staff member through `index` (keys: staff, id),
    /// or every record with `None`.
    fn of<E: super::Kept>(&self, index: T, staff: Option<StaffId>) -> StoreResult<Vec<Record<E>>> {
        match staff {
            Some(s) => self.by_index(self.tree(index).scan_prefix(id_key(s.raw()))),
            None => self.all(),
        }
    }
}

impl SledStore {
    pub(super) fn create_certification_here(
        &self,
        cert: Certification,
        actor: &Actor,
    ) -> StoreResult<Record<Certification>> {
        self.create(cert, actor)
    }

    /// The three credential reads of `staff` (or everyone) together.
    pub(super) fn credential_records_here(
        &self,
        staff: Option<StaffId>,
    ) -> StoreResult<CredentialRecords> {
        Ok(CredentialRecords {
            certifications: self.certifications_here(staff)?,
            ceu_entries: self.ceu_entries_here(staff)?,
            supervisions: self.supervisions_here(staff)?,
        })
    }

    pub(super) fn certifications_here(
        &self,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<Certification>>> {
        self.of(T::IxCertificationByStaff, staff)
    }

    pub(super) fn create_ceu_here(
        &self,
        entry: CeuEntry,
        actor: &Actor,
    ) -> StoreResult<Record<CeuEntry>> {
        self.create(entry, actor)
    }

    pub(super) fn ceu_entries_here(
        &self,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<CeuEntry>>> {
        self.of(T::IxCeuByStaff, staff)
    }

    /// A session's supervisor must be a supervisor or an admin: being named
    /// as one lets them see the supervisee's credentials.
    pub(super) fn create_supervision_here(
        &self,
        session: Supervision,
        actor: &Actor,
    ) -> StoreResult<Record<Supervision>> {
        use crate::model::{Choice, Entity};
        session.validate()?;
        if let Ok(sup) = self.get::<crate::model::Staff>(session.supervisor.raw()) {
            if sup.role == Role::PeerSpecialist {
                return Err(StoreError::Invalid(crate::model::ValidationError::one(
                    "with",
                    format!(
                        "{} {} is a {}; supervision is with a supervisor or admin",
                        sup.id,
                        crate::text::escape_line(&sup.name),
                        sup.role.label()
                    ),
                )));
            }
        }
        self.create(session, actor)
    }

    pub(super) fn supervisions_here(
        &self,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<Supervision>>> {
        self.of(T::IxSupervisionByStaff, staff)
    }
}
