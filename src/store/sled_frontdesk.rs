//! The front desk's records in the embedded store: drop-in visits (one
//! per peer per day), pending intakes left at the kiosk, personal kiosk
//! codes, and the kiosk's one operation (find one peer, record the visit).
//!
//! A child of `sled_store` so it uses the same transaction and audit
//! helpers without widening them; kept apart so the front desk's code does
//! not crowd the main store file.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime, Timelike, Utc};

use crate::model::dates::CENTER;
use crate::model::visit::{kiosk_match, KioskMatch};
use crate::model::{
    Actor, Entity, Intake, IntakeId, KioskReply, PeerId, Record, Staff, ValidationError, Visit,
};
use crate::server::protocol::Pin;

use super::super::audit::{self, AuditEvent, Audited};
use super::super::codec::{date_key, id_key, key, trailing_id};
use super::super::keys::{NAMES, T};
use super::super::{ChangeKind, StoreError, StoreResult};
use super::{audit_entry, bump_count, put_record, remove_index, tx_get, Held, SledStore};

/// Longest personal kiosk code.
pub const MAX_KIOSK_CODE_CHARS: usize = 32;
/// Longest text the kiosk looks up (anything longer matches nobody).
const MAX_KIOSK_TYPED_CHARS: usize = 200;

impl Audited for Visit {
    const KIND: ChangeKind = ChangeKind::Visit;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        vec![self.peer]
    }
}

impl Audited for Intake {
    const KIND: ChangeKind = ChangeKind::Intake;
    fn peers_of(&self, _id: u64) -> Vec<PeerId> {
        Vec::new()
    }
}

/// The center's local day and minute now.
fn center_now() -> (NaiveDate, NaiveTime) {
    let now = CENTER.at(&Utc::now());
    let t = now.time();
    (
        now.date_naive(),
        NaiveTime::from_hms_opt(t.hour(), t.minute(), 0).unwrap_or(t),
    )
}

impl SledStore {
    /// The peer's visit of `day`, if they signed in.
    fn visit_of(&self, peer: PeerId, day: NaiveDate) -> StoreResult<Option<Record<Visit>>> {
        let prefix = key(&[&id_key(peer.raw()), &date_key(day)]);
        match self.tree(T::IxVisitByPeer).scan_prefix(prefix).next() {
            None => Ok(None),
            Some(Err(e)) => Err(self.err(e)),
            Some(Ok((k, _))) => {
                let id = trailing_id(&k).ok_or_else(|| self.corrupt("short index key".into()))?;
                self.get::<Visit>(id).map(Some)
            }
        }
    }

    /// Records or updates the visit; the caller holds the write lock.
    fn visit_held(
        &self,
        held: &Held<'_>,
        visit: Visit,
        actor: &Actor,
    ) -> StoreResult<Record<Visit>> {
        visit.validate()?;
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let existing = self.visit_of(visit.peer, visit.day)?;
        let saved = match existing {
            Some(old) => {
                let mut data = old.data.signed_in_again(visit.purpose.clone());
                data.time_in = data.time_in.min(visit.time_in);
                self.write_held(held, |tx| {
                    let stored: Record<Visit> = tx_get(tx, old.id.raw())?;
                    remove_index(tx, &stored)?;
                    let new = Record {
                        id: stored.id,
                        meta: stored.meta.next(now, actor),
                        data: data.clone(),
                    };
                    put_record(tx, &new)?;
                    let event = AuditEvent::Updated {
                        kind: ChangeKind::Visit,
                        id: new.id.to_string(),
                        from_revision: stored.meta.revision,
                        to_revision: new.meta.revision,
                    };
                    audit::append(tx, &audit_entry(now, seq, actor, &new, event), 0)?;
                    Ok(new)
                })?
            }
            None => self.create_held(held, visit, actor)?,
        };
        self.notify(ChangeKind::Visit, saved.id.to_string());
        Ok(saved)
    }

    pub(super) fn fd_record_visit(
        &self,
        visit: Visit,
        actor: &Actor,
    ) -> StoreResult<Record<Visit>> {
        let held = self.lock_writes();
        self.visit_held(&held, visit, actor)
    }

    pub(super) fn fd_sign_out_visit(
        &self,
        peer: PeerId,
        day: NaiveDate,
        at: NaiveTime,
        actor: &Actor,
    ) -> StoreResult<Record<Visit>> {
        let held = self.lock_writes();
        let Some(old) = self.visit_of(peer, day)? else {
            return Err(StoreError::Invalid(ValidationError::one(
                "peer",
                format!("peer {peer} did not sign in on {day}, so there is no visit to sign out"),
            )));
        };
        let mut data = old.data.clone();
        data.time_out = Some(at);
        data.validate()?;
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let saved = self.write_held(&held, |tx| {
            let stored: Record<Visit> = tx_get(tx, old.id.raw())?;
            remove_index(tx, &stored)?;
            let new = Record {
                id: stored.id,
                meta: stored.meta.next(now, actor),
                data: data.clone(),
            };
            put_record(tx, &new)?;
            let event = AuditEvent::Updated {
                kind: ChangeKind::Visit,
                id: new.id.to_string(),
                from_revision: stored.meta.revision,
                to_revision: new.meta.revision,
            };
            audit::append(tx, &audit_entry(now, seq, actor, &new, event), 0)?;
            Ok(new)
        })?;
        drop(held);
        self.notify(ChangeKind::Visit, saved.id.to_string());
        Ok(saved)
    }

    pub(super) fn fd_visits_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<Visit>>> {
        let mut out =
            self.by_index::<Visit>(self.tree(T::IxVisitByDay).scan_prefix(date_key(date)))?;
        out.sort_by(|a, b| a.time_in.cmp(&b.time_in).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    pub(super) fn fd_visits_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Record<Visit>>> {
        if to < from {
            return Ok(Vec::new());
        }
        let end = to.succ_opt().map(date_key);
        let tree = self.tree(T::IxVisitByDay);
        match end {
            Some(end) => self.by_index::<Visit>(tree.range(date_key(from)..end)),
            None => self.by_index::<Visit>(tree.range(date_key(from)..)),
        }
    }

    pub(super) fn fd_visits_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<Visit>>> {
        let mut out =
            self.by_index::<Visit>(self.tree(T::IxVisitByPeer).scan_prefix(id_key(peer.raw())))?;
        out.reverse();
        Ok(out)
    }

    pub(super) fn fd_last_visits_before(
        &self,
        before: NaiveDate,
    ) -> StoreResult<HashMap<PeerId, NaiveDate>> {
        let mut out = HashMap::new();
        let ix = self.tree(T::IxVisitByPeer);
        let peers = self.tree(T::Peers);
        // From peer to peer with visits in the index (peer, day, visit),
        // not over the whole roster: a Today of 10,000 peers looked up
        // 10,000 ranges, mostly empty.
        let mut from = Vec::new();
        while let Some(first) = ix.range(from.as_slice()..).next() {
            let (first, _) = first.map_err(|e| self.err(e))?;
            let k: [u8; 8] = first
                .get(..8)
                .and_then(|p| p.try_into().ok())
                .ok_or_else(|| self.corrupt("short visit index key".into()))?;
            let end = key(&[&k, &date_key(before)]);
            if let Some(item) = ix.range(k.to_vec()..end).next_back() {
                let (ik, _) = item.map_err(|e| self.err(e))?;
                let day = ik
                    .get(8..12)
                    .and_then(super::super::codec::date_from_key)
                    .ok_or_else(|| self.corrupt("short visit index key".into()))?;
                // Only peers on the roster, as before.
                if peers.contains_key(k).map_err(|e| self.err(e))? {
                    out.insert(PeerId::new(u64::from_be_bytes(k)), day);
                }
            }
            match u64::from_be_bytes(k).checked_add(1) {
                Some(next) => from = id_key(next).to_vec(),
                None => break,
            }
        }
        Ok(out)
    }

    pub(super) fn fd_pending_intakes(&self) -> StoreResult<Vec<Record<Intake>>> {
        self.all::<Intake>()
    }

    pub(super) fn fd_resolve_intake(
        &self,
        id: IntakeId,
        peer: Option<PeerId>,
        actor: &Actor,
    ) -> StoreResult<Option<Record<Visit>>> {
        let held = self.lock_writes();
        let intake: Record<Intake> = self.get(id.raw())?;
        let visit = match peer {
            Some(p) => {
                Some(self.visit_held(&held, Visit::new(p, intake.day, intake.time), actor)?)
            }
            None => None,
        };
        let now = Utc::now();
        let seq = self.audit_seq()?;
        self.write_held(&held, |tx| {
            let old: Record<Intake> = tx_get(tx, id.raw())?;
            tx[T::Intakes as usize].remove(&id_key(id.raw()))?;
            bump_count(tx, T::Intakes, -1)?;
            let event = AuditEvent::Deleted {
                kind: ChangeKind::Intake,
                id: old.id.to_string(),
                revision: old.meta.revision,
            };
            audit::append(tx, &audit_entry(now, seq, actor, &old, event), 0)?;
            Ok(())
        })?;
        drop(held);
        self.notify(ChangeKind::Intake, id.to_string());
        Ok(visit)
    }

    pub(super) fn fd_set_kiosk_code(
        &self,
        peer: PeerId,
        code: Option<String>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let code = code.map(|c| c.trim().to_string());
        if let Some(c) = &code {
            let n = c.chars().count();
            if n == 0 || n > MAX_KIOSK_CODE_CHARS || c.chars().any(char::is_control) {
                return Err(StoreError::Invalid(ValidationError::one(
                    "kiosk code",
                    format!("give 1 to {MAX_KIOSK_CODE_CHARS} printable characters"),
                )));
            }
        }
        let held = self.lock_writes();
        self.get::<crate::model::Peer>(peer.raw())?;
        if let Some(c) = &code {
            let folded = crate::model::names::fold(c);
            for (other, theirs) in self.fd_kiosk_codes()? {
                if other != peer && crate::model::names::fold(&theirs) == folded {
                    return Err(StoreError::Invalid(ValidationError::one(
                        "kiosk code",
                        format!("peer {other} already has this code; give each peer their own"),
                    )));
                }
            }
        }
        let entry = super::AuditEntry {
            at: Utc::now(),
            seq: self.audit_seq()?,
            actor: actor.clone(),
            peers: vec![peer],
            event: AuditEvent::KioskCodeSet {
                peer,
                cleared: code.is_none(),
            },
        };
        self.write_held(&held, |tx| {
            let t = &tx[T::KioskCodes as usize];
            match &code {
                Some(c) => t.insert(&id_key(peer.raw()), c.as_bytes())?,
                None => t.remove(&id_key(peer.raw()))?,
            };
            audit::append(tx, &entry, 0)
        })?;
        drop(held);
        self.notify(ChangeKind::Peer, peer.to_string());
        Ok(())
    }

    pub(super) fn fd_kiosk_codes(&self) -> StoreResult<HashMap<PeerId, String>> {
        let mut out = HashMap::new();
        for item in self.tree(T::KioskCodes).iter() {
            let (k, v) = item.map_err(|e| self.err(e))?;
            let id = trailing_id(&k).ok_or_else(|| self.corrupt("short kiosk code key".into()))?;
            let code = String::from_utf8(v.to_vec()).map_err(|_| {
                self.corrupt(format!(
                    "{}: a code is not UTF-8",
                    NAMES[T::KioskCodes as usize]
                ))
            })?;
            out.insert(PeerId::new(id), code);
        }
        Ok(out)
    }

    pub(super) fn fd_enter_kiosk(&self, station: String, actor: &Actor) -> StoreResult<()> {
        use super::super::Store;
        let station = crate::text::escape_line(station.trim())
            .chars()
            .take(60)
            .collect();
        self.record_event(AuditEvent::KioskStarted { station }, actor)
    }

    pub(super) fn fd_kiosk_sign_in(
        &self,
        typed: String,
        phone_digits: Option<String>,
        actor: &Actor,
    ) -> StoreResult<KioskReply> {
        if typed.chars().count() > MAX_KIOSK_TYPED_CHARS
            || phone_digits
                .as_deref()
                .is_some_and(|d| d.chars().count() > MAX_KIOSK_TYPED_CHARS)
        {
            return Ok(KioskReply::NotFound);
        }
        let peers = self.all::<crate::model::Peer>()?;
        let codes = self.fd_kiosk_codes()?;
        match kiosk_match(&peers, &codes, &typed, phone_digits.as_deref()) {
            KioskMatch::Nobody => Ok(KioskReply::NotFound),
            KioskMatch::Ambiguous => Ok(KioskReply::AskPhoneDigits),
            KioskMatch::One(peer) => {
                let (day, time) = center_now();
                let held = self.lock_writes();
                self.visit_held(&held, Visit::new(peer, day, time), actor)?;
                Ok(KioskReply::SignedIn)
            }
        }
    }

    pub(super) fn fd_kiosk_new_here(&self, first_name: String, actor: &Actor) -> StoreResult<()> {
        let (day, time) = center_now();
        let intake = Intake {
            first_name: first_name.trim().to_string(),
            day,
            time,
        };
        let held = self.lock_writes();
        let rec = self.create_held(&held, intake, actor)?;
        drop(held);
        self.notify(ChangeKind::Intake, rec.id.to_string());
        Ok(())
    }

    pub(super) fn fd_leave_kiosk(&self, _pin: Pin) -> StoreResult<Option<Record<Staff>>> {
        Err(StoreError::Refused(
            "only a kiosk session can be left; this one is not a kiosk".into(),
        ))
    }

    /// Writes the front desk's part of a checked snapshot (import).
    pub(super) fn fd_import(&self, held: &Held<'_>, snapshot: &super::Snapshot) -> StoreResult<()> {
        self.import_chunk(held, &snapshot.visits)?;
        self.import_chunk(held, &snapshot.intakes)?;
        let codes = snapshot.kiosk_codes.clone();
        self.transact_held(held, |tx| {
            for (peer, code) in &codes {
                tx[T::KioskCodes as usize].insert(&id_key(peer.raw()), code.as_bytes())?;
            }
            Ok(())
        })
    }

    /// What merging `from` into `into` does to visits and kiosk codes,
    /// read before the merge's transaction (it cannot scan).
    pub(super) fn fd_merge_plan(&self, from: PeerId, into: PeerId) -> StoreResult<MergeVisits> {
        let theirs = self.fd_visits_for_peer(from)?;
        let ours: HashMap<NaiveDate, u64> = self
            .fd_visits_for_peer(into)?
            .into_iter()
            .map(|v| (v.day, v.id.raw()))
            .collect();
        let codes = self.fd_kiosk_codes()?;
        Ok(MergeVisits {
            visits: theirs
                .into_iter()
                .map(|v| (v.id.raw(), ours.get(&v.day).copied()))
                .collect(),
            code: codes.get(&from).cloned(),
            into_has_code: codes.contains_key(&into),
        })
    }

    /// Moves `from`'s visits to `into` inside the merge's transaction: a
    /// day both came in keeps `into`'s visit (with the earlier time in)
    /// and removes the other, so there is still one per peer per day.
    #[allow(clippy::too_many_arguments)] // the merge transaction's context
    pub(super) fn fd_merge_in_tx(
        tx: &[sled::transaction::TransactionalTree],
        plan: &MergeVisits,
        from: PeerId,
        into: PeerId,
        now: chrono::DateTime<Utc>,
        seq: u64,
        actor: &Actor,
        log: &mut MergeLog<'_>,
    ) -> Result<(), super::Abort> {
        for (id, same_day) in &plan.visits {
            let old: Record<Visit> = tx_get(tx, *id)?;
            match same_day {
                Some(kept_id) => {
                    let kept: Record<Visit> = tx_get(tx, *kept_id)?;
                    let mut data = kept.data.clone();
                    data.time_in = data.time_in.min(old.time_in);
                    if data.purpose.is_none() {
                        data.purpose = old.purpose.clone();
                    }
                    log(tx, super::moved(tx, &kept, data, now, seq, actor)?)?;
                    remove_index(tx, &old)?;
                    tx[T::Visits as usize].remove(&id_key(*id))?;
                    bump_count(tx, T::Visits, -1)?;
                    let event = AuditEvent::Deleted {
                        kind: ChangeKind::Visit,
                        id: old.id.to_string(),
                        revision: old.meta.revision,
                    };
                    log(tx, audit_entry(now, seq, actor, &old, event))?;
                }
                None => {
                    let mut data = old.data.clone();
                    data.peer = into;
                    log(tx, super::moved(tx, &old, data, now, seq, actor)?)?;
                }
            }
        }
        let codes = &tx[T::KioskCodes as usize];
        if let Some(code) = &plan.code {
            codes.remove(&id_key(from.raw()))?;
            if !plan.into_has_code {
                codes.insert(&id_key(into.raw()), code.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// Appends one audit entry of the merge's transaction.
pub(super) type MergeLog<'a> = dyn FnMut(&[sled::transaction::TransactionalTree], super::AuditEntry) -> Result<(), super::Abort>
    + 'a;

/// What a merge does to the merged peer's visits: each visit's id, and
/// the kept peer's visit of the same day if there is one; and their code.
pub(super) struct MergeVisits {
    visits: Vec<(u64, Option<u64>)>,
    code: Option<String>,
    into_has_code: bool,
}
