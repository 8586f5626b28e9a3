//! The resource directory and referrals in the embedded store: their
//! trees, index entries, references and the queries behind the store API
//! (`create_resource` … `referrals_page`), kept apart from `sled_store.rs`.

use crate::model::{PeerId, Record, Referral, ReferralId, Resource};

use super::audit::Audited;
use super::codec::{date_key, id_key, key};
use super::error::StoreResult;
use super::keys::{Kept, Ref, T};
use super::{ChangeKind, SledStore};

impl Kept for Resource {
    const TREE: T = T::Resources;
    fn index_entries(&self, _id: u64) -> Vec<(T, Vec<u8>)> {
        Vec::new()
    }
    fn references(&self) -> Vec<Ref> {
        Vec::new()
    }
}

impl Kept for Referral {
    const TREE: T = T::Referrals;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        let mut out = vec![(
            T::IxReferralByPeer,
            key(&[&id_key(self.peer.raw()), &id_key(id)]),
        )];
        // Only open referrals, by the day of their latest change: Today
        // reads the ones gone quiet without walking every referral.
        if self.is_open() {
            out.push((
                T::IxReferralOpen,
                key(&[&date_key(self.last_update()), &id_key(id)]),
            ));
        }
        out
    }
    fn references(&self) -> Vec<Ref> {
        let mut out = vec![
            Ref {
                field: "peer",
                tree: T::Peers,
                noun: "peer",
                id: self.peer.raw(),
                shown: self.peer.to_string(),
                goal_of: None,
            },
            Ref {
                field: "resource",
                tree: T::Resources,
                noun: "resource",
                id: self.resource.raw(),
                shown: self.resource.to_string(),
                goal_of: None,
            },
        ];
        if let Some(s) = self.by {
            out.push(Ref {
                field: "by",
                tree: T::Staff,
                noun: "staff",
                id: s.raw(),
                shown: s.to_string(),
                goal_of: None,
            });
        }
        if let Some(c) = self.checkin {
            out.push(Ref {
                field: "check-in",
                tree: T::CheckIns,
                noun: "check-in",
                id: c.raw(),
                shown: c.to_string(),
                goal_of: None,
            });
        }
        out
    }
}

impl Audited for Resource {
    const KIND: ChangeKind = ChangeKind::Resource;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}

impl Audited for Referral {
    const KIND: ChangeKind = ChangeKind::Referral;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}

impl SledStore {
    /// A peer's referrals, oldest first (by id).
    pub(crate) fn referrals_of_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<Referral>>> {
        self.by_index(
            self.tree(T::IxReferralByPeer)
                .scan_prefix(id_key(peer.raw())),
        )
    }

    /// Open referrals, the longest quiet first (by the day of their latest
    /// change, then id).
    pub(crate) fn open_referral_list(&self) -> StoreResult<Vec<Record<Referral>>> {
        self.by_index(self.tree(T::IxReferralOpen).iter())
    }

    /// One page of referrals by id after `after`.
    pub(crate) fn referral_page(
        &self,
        after: Option<ReferralId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<Referral>>> {
        self.page(after.map(|a| a.raw()), limit)
    }

    /// Every resource, by id.
    pub(crate) fn resource_list(&self) -> StoreResult<Vec<Record<Resource>>> {
        self.all()
    }
}
