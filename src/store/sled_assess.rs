//! Assessments in the sled store (a child of `sled_store`, so it uses the
//! store's private helpers without widening them).

use std::collections::HashMap;

use crate::model::{Actor, Assessment, Peer, PeerId, Record};

use super::super::codec::decode;
use super::super::error::{StoreError, StoreResult};
use super::super::keys::{NAMES, T};
use super::SledStore;

impl SledStore {
    /// The peers with `ids`, by id, each read by its key (the ids a
    /// merge left behind answer nothing here, as in `list_peers`).
    pub(super) fn peers_by_id_in(&self, mut ids: Vec<PeerId>) -> StoreResult<Vec<Record<Peer>>> {
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match self.get::<Peer>(id.raw()) {
                Ok(p) => out.push(p),
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Saves an assessment, credited to the session's staff member (the
    /// one sitting with the peer) when the actor names one.
    pub(super) fn create_assessment_in(
        &self,
        mut assessment: Assessment,
        actor: &Actor,
    ) -> StoreResult<Record<Assessment>> {
        if actor.staff.is_some() {
            assessment.staff = actor.staff;
        }
        self.create(assessment, actor)
    }

    /// Each peer's newest assessment of each instrument, by peer then
    /// instrument: one walk of the assessments tree (a few per peer a
    /// year), keeping the newest per (peer, instrument).
    pub(super) fn latest_assessments_in(&self) -> StoreResult<Vec<Record<Assessment>>> {
        let mut newest: HashMap<(PeerId, String), Record<Assessment>> = HashMap::new();
        for v in self.tree(T::Assessments).iter().values() {
            let v = v.map_err(|e| self.err(e))?;
            let a: Record<Assessment> =
                decode(&v, NAMES[T::Assessments as usize]).map_err(|d| self.corrupt(d))?;
            let k = (a.peer, a.instrument.clone());
            match newest.get(&k) {
                Some(b) if (b.at, b.id) >= (a.at, a.id) => {}
                _ => {
                    newest.insert(k, a);
                }
            }
        }
        let mut out: Vec<Record<Assessment>> = newest.into_values().collect();
        out.sort_by(|a, b| (a.peer, &a.instrument).cmp(&(b.peer, &b.instrument)));
        Ok(out)
    }
}
