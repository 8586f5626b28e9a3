//! Staff credentials in the embedded store: certifications, continuing-
//! education entries and supervision sessions. A child module of
//! `sled_store`, so it uses the store's own record helpers; each kind is
//! its own tree (no migration), read whole (a center has tens of staff,
//! so hundreds of these records at most), filtered by staff member here.

use crate::model::{Actor, Certification, CeuEntry, Record, Role, StaffId, Supervision};
use crate::store::{StoreError, StoreResult};

use super::SledStore;

/// Keeps the records of one staff member, or all with `None`.
fn of<E: crate::model::Entity>(
    records: Vec<Record<E>>,
    staff: Option<StaffId>,
    owner: impl Fn(&E) -> StaffId,
) -> Vec<Record<E>> {
    match staff {
        Some(s) => records
            .into_iter()
            .filter(|r| owner(&r.data) == s)
            .collect(),
        None => records,
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

    pub(super) fn certifications_here(
        &self,
        staff: Option<StaffId>,
    ) -> StoreResult<Vec<Record<Certification>>> {
        Ok(of(self.all()?, staff, |c: &Certification| c.staff))
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
        Ok(of(self.all()?, staff, |c: &CeuEntry| c.staff))
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
        Ok(of(self.all()?, staff, |s: &Supervision| s.staff))
    }
}
