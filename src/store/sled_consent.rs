//! Consents and disclosures in the embedded store (a child of
//! `sled_store`, so it shares its private write helpers).
//!
//! A consent is an ordinary record with its indexes (by peer; by expiry
//! day while it ends on a date and is not revoked). Revoking is its own
//! write, refused twice. A disclosure is checked against its consent under
//! the write lock and saved with its audit entry in one transaction, so
//! there is no disclosure on record without a consent that allowed it, and
//! none without its entry on the trail.

use chrono::{NaiveDate, Utc};

use crate::model::dates::CENTER;
use crate::model::{
    Actor, Consent, ConsentId, Disclosure, DisclosureId, Entity, Id, Meta, PeerId, Record,
    Revocation,
};

use super::{abort, audit_entry, check_refs, next_id, put_new, tx_get, SledStore};
use crate::store::audit::{self, AuditEvent};
use crate::store::codec::{date_key, id_key};
use crate::store::keys::T;
use crate::store::{ChangeKind, StoreError, StoreResult};

impl SledStore {
    pub(super) fn consent_create(
        &self,
        consent: Consent,
        actor: &Actor,
    ) -> StoreResult<Record<Consent>> {
        if consent.revoked.is_some() {
            return Err(StoreError::Refused(
                "a new consent cannot already be revoked; record it, then revoke it".into(),
            ));
        }
        self.create(consent, actor)
    }

    pub(super) fn consent_revoke(
        &self,
        id: ConsentId,
        revocation: Revocation,
        actor: &Actor,
    ) -> StoreResult<Record<Consent>> {
        let mut rec: Record<Consent> = self.get(id.raw())?;
        if let Some(r) = &rec.revoked {
            return Err(StoreError::Refused(format!(
                "consent {id} was already revoked on {}",
                r.date
            )));
        }
        rec.data
            .check_revocation(&revocation, CENTER.day_of(&Utc::now()))?;
        rec.data.revoked = Some(revocation);
        self.update_checked(&rec, actor, |current| match &current.revoked {
            Some(r) => Err(StoreError::Refused(format!(
                "consent {id} was already revoked on {}",
                r.date
            ))),
            None => Ok(()),
        })
    }

    pub(super) fn consents_of(&self, peer: PeerId) -> StoreResult<Vec<Record<Consent>>> {
        self.by_index(
            self.tree(T::IxConsentByPeer)
                .scan_prefix(id_key(peer.raw())),
        )
    }

    pub(super) fn consents_expiring(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Record<Consent>>> {
        if to < from {
            return Ok(Vec::new());
        }
        let start = date_key(from).to_vec();
        let end = date_key(to.succ_opt().unwrap_or(to)).to_vec();
        let range = if to.succ_opt().is_some() {
            self.tree(T::IxConsentByExpiry).range(start..end)
        } else {
            self.tree(T::IxConsentByExpiry).range(start..)
        };
        self.by_index(range)
    }

    pub(super) fn disclosures_of(&self, peer: PeerId) -> StoreResult<Vec<Record<Disclosure>>> {
        self.by_index(
            self.tree(T::IxDisclosureByPeer)
                .scan_prefix(id_key(peer.raw())),
        )
    }

    pub(super) fn disclosure_page(
        &self,
        after: Option<DisclosureId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<Disclosure>>> {
        self.page(after.map(|a| a.raw()), limit)
    }

    /// Saves a disclosure made now once its consent allows it (checked in
    /// the transaction, so a revocation saved a moment before wins).
    pub(super) fn disclosure_record(
        &self,
        mut disclosure: Disclosure,
        actor: &Actor,
    ) -> StoreResult<Record<Disclosure>> {
        let now = Utc::now();
        disclosure.at = now;
        disclosure.validate()?;
        let day = CENTER.day_of(&now);
        let seq = self.audit_seq()?;
        let rec = self.write(|tx| {
            check_refs(tx, &disclosure)?;
            let consent: Record<Consent> = tx_get(tx, disclosure.consent.raw())?;
            if consent.peer != disclosure.peer {
                return Err(abort(StoreError::Refused(format!(
                    "consent {} is {}'s, not {}'s",
                    consent.id, consent.peer, disclosure.peer
                ))));
            }
            consent
                .covers(
                    &consent.id.to_string(),
                    &disclosure.recipient,
                    &disclosure.included,
                    day,
                )
                .map_err(|why| abort(StoreError::Refused(why)))?;
            let id = next_id(tx, T::Disclosures)?;
            let rec = Record {
                id: Id::new(id),
                meta: Meta::created(now, actor),
                data: disclosure.clone(),
            };
            put_new(tx, &rec)?;
            let event = AuditEvent::Disclosed {
                disclosure: rec.id.to_string(),
                peer: rec.peer,
                recipient: rec.recipient.clone(),
                consent: rec.consent.to_string(),
                included: rec.included.clone(),
                what: format!("{} to {}", rec.what, rec.to),
            };
            audit::append(tx, &audit_entry(now, seq, actor, &rec, event), 0)?;
            Ok(rec)
        })?;
        self.notify(ChangeKind::Disclosure, rec.id.to_string());
        Ok(rec)
    }
}
