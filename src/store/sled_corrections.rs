//! What corrections leave behind, read and written whole: the earlier
//! versions of corrected check-ins and the ids of merged peers, so that an
//! export carries them and an import puts them back as they were.

use crate::model::{CheckIn, CheckInId, PeerId, Record};

use super::super::codec::{decode, encode, id_key, key};
use super::super::keys::{NAMES, T};
use super::super::{PeerAlias, StoreError, StoreResult};
use super::{abort, Held, SledStore, IMPORT_CHUNK};

impl SledStore {
    /// One page of the check-in history tree, in key order (check-in id,
    /// then revision), after the version `after` names.
    pub(super) fn history_page_of(
        &self,
        after: Option<(CheckInId, u64)>,
        limit: usize,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        let tree = self.tree(T::CheckInHistory);
        let start = match after {
            None => Vec::new(),
            // The first key after (id, revision): the same id and the next
            // revision (a revision never reaches u64::MAX).
            Some((id, revision)) => {
                key(&[&id_key(id.raw()), &revision.saturating_add(1).to_be_bytes()])
            }
        };
        tree.range(start..)
            .values()
            .take(limit)
            .map(|v| {
                let v = v.map_err(|e| self.err(e))?;
                decode(&v, NAMES[T::CheckInHistory as usize]).map_err(|d| self.corrupt(d))
            })
            .collect()
    }

    /// Every merged peer id with the peer it answers as, by merged id.
    pub(super) fn aliases(&self) -> StoreResult<Vec<PeerAlias>> {
        let mut out = Vec::new();
        for item in self.tree(T::PeerAliases).iter() {
            let (k, v) = item.map_err(|e| self.err(e))?;
            let merged = k.as_ref().try_into().ok().map(u64::from_be_bytes);
            let into = v.as_ref().try_into().ok().map(u64::from_be_bytes);
            match (merged, into) {
                (Some(m), Some(i)) => out.push(PeerAlias {
                    merged: PeerId::new(m),
                    into: PeerId::new(i),
                }),
                _ => return Err(self.corrupt("a peer alias is not two ids".into())),
            }
        }
        Ok(out)
    }

    /// Writes an import's check-in history and aliases (the caller holds
    /// the write lock; the snapshot was checked).
    pub(super) fn import_corrections(
        &self,
        held: &Held<'_>,
        history: &[Record<CheckIn>],
        aliases: &[PeerAlias],
    ) -> StoreResult<()> {
        for chunk in history.chunks(IMPORT_CHUNK) {
            self.transact_held(held, |tx| {
                for rec in chunk {
                    let bytes = encode(rec).map_err(|detail| {
                        abort(StoreError::Corrupt {
                            path: std::path::PathBuf::new(),
                            detail,
                        })
                    })?;
                    let k = key(&[&id_key(rec.id.raw()), &rec.meta.revision.to_be_bytes()]);
                    tx[T::CheckInHistory as usize].insert(k, bytes)?;
                }
                Ok(())
            })?;
        }
        for chunk in aliases.chunks(IMPORT_CHUNK) {
            self.transact_held(held, |tx| {
                for a in chunk {
                    tx[T::PeerAliases as usize]
                        .insert(&id_key(a.merged.raw()), &id_key(a.into.raw()))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Clears what [`Self::import_corrections`] wrote (rolling an import back).
    pub(super) fn clear_corrections(&self) -> StoreResult<()> {
        for t in [T::CheckInHistory, T::PeerAliases] {
            self.tree(t).clear().map_err(|e| self.err(e))?;
        }
        Ok(())
    }
}
