//! Bulk loads into an empty store (a child of `sled_store`, so it uses
//! the store's private helpers without widening them).
//!
//! `caseload demo` at 10k peers / 1M check-ins took 88 s (75 s of the
//! service's CPU) in batches of 1,000 sled transactions: each entry of a
//! transaction is read when it is written (to return the old value) and
//! written again at commit, each peer's summary was rewritten with every
//! batch, and every batch was flushed and synced. A bulk load goes into an
//! empty store only, so it can be all or nothing as a whole, like an
//! import, instead of per batch:
//!
//! - [`SledStore::begin_load_in`] imports the roster and leaves the
//!   import marker set;
//! - each [`SledStore::load_checkins_in`] checks and numbers its
//!   check-ins, folds them into the peers' summaries kept in memory, and
//!   hands the entries to two writer threads (plain inserts: sled lets
//!   writers to different trees run at once, where a transaction or
//!   `apply_batch` takes its global write lock) and answers while they
//!   write. The index keys that do not follow time (by peer, by goal, by
//!   follow-up: 39 MB at a million) are held back and written in key
//!   order at the finish, and each batch's entries are written two of
//!   every three first (see `fill_order`): written in random order those
//!   indexes left sled's log with leaves rewritten over and over;
//! - [`SledStore::finish_load_in`] writes the held-back keys and the
//!   summaries, flushes and syncs, and clears the marker in the
//!   transaction that writes the counts and next id and audits the load.
//!
//! At 1M: 38–39 s at a load average of 4.5 on two cores (was 88 s at
//! 0.6–2.3), 37–39 s of the service's CPU, an 814–821 MiB store instead
//! of 1,163 MiB, the service peaking at 215–229 MiB (docs/performance.md).
//! [`SledStore::import_sorted`] writes an import the same way (each tree
//! in key order under the import marker), so an export imported into a
//! new store takes the same smaller layout.
//! Until the finish every other write is refused, and if the process dies
//! (or the loading connection goes away: the service calls
//! [`SledStore::abandon_load`]) the store is emptied again, on the next
//! open if not before, exactly as an interrupted import is. No batch is
//! acknowledged as saved before the finish: the load as a whole is.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use chrono::Utc;
use sled::Tree;

use crate::model::{Actor, CheckIn, Entity, Id, Meta, Record};

use super::super::audit::{self, AuditEntry, AuditEvent};
use super::super::codec::{encode, id_key};
use super::super::error::{StoreError, StoreResult};
use super::super::keys::{count_key, next_id_key, Fact, Kept, Summary, NAMES, T};
use super::super::{ChangeKind, Counts, Snapshot, Store};
use super::{check_found, Checked, Held, SledStore, IMPORT_MARKER};

/// A bulk load in progress: what [`SledStore::finish_load_in`] writes
/// once, instead of with every batch.
#[derive(Debug, Default)]
pub(super) struct Load {
    /// Which load this is (see [`SledStore::current_load`]).
    serial: u64,
    /// The id the next loaded check-in takes.
    next_id: u64,
    /// Check-ins loaded so far.
    loaded: u64,
    /// Records the roster import wrote.
    imported: u64,
    /// Each peer's summary as the loaded check-ins leave it.
    summaries: HashMap<u64, Summary>,
    /// References already checked (staff, peers, goals on a peer's plan).
    checked: HashSet<Checked>,
    /// The threads writing the batches handed over so far.
    writers: Option<Writers>,
    /// Keys of the indexes whose keys do not follow time (by peer, by
    /// goal, by follow-up), written in key order at the finish.
    held_back: Vec<HeldBack>,
}

/// Numbers the bulk loads this process begins, so that the connection
/// that began one abandons that one and never a later one.
static LOADS_BEGUN: AtomicU64 = AtomicU64::new(0);

/// Longest index key held back (peer or goal, time, id).
const HELD_KEY: usize = 24;

/// The keys of one index held back until the finish: all of one length
/// (a key of another length is written at once, which changes nothing
/// but the order of writing), zero-padded to [`HELD_KEY`] bytes so that
/// they sort as the keys do.
#[derive(Debug)]
struct HeldBack {
    tree: T,
    len: Option<usize>,
    keys: Vec<[u8; HELD_KEY]>,
}

impl HeldBack {
    /// Keeps `key` for later; gives it back if it cannot be kept.
    fn keep(&mut self, key: Vec<u8>) -> Option<Vec<u8>> {
        if key.len() > HELD_KEY || self.len.is_some_and(|l| l != key.len()) {
            return Some(key);
        }
        self.len = Some(key.len());
        let mut k = [0u8; HELD_KEY];
        k[..key.len()].copy_from_slice(&key);
        self.keys.push(k);
        None
    }
}

/// The indexes held back: written in random order they left sled's log
/// with many rewritten leaves (docs/performance.md, "Size").
const HOLD_BACK: [T; 3] = [T::IxCheckInByPeer, T::IxCheckInByGoal, T::IxFollowUp];

/// Most keys held back at once (48 MB): a larger load writes them out in
/// key order when they reach it and holds back afresh, so its memory stays
/// bounded (1M demo check-ins hold back 1.6 M keys, never reaching it).
const HELD_MAX: usize = 2_000_000;

fn held_back_fresh() -> Vec<HeldBack> {
    HOLD_BACK
        .iter()
        .map(|t| HeldBack {
            tree: *t,
            len: None,
            keys: Vec::new(),
        })
        .collect()
}

/// Work for one writer: trees and the entries to insert into each.
type Work = Vec<(Tree, Entries)>;

/// Two writer threads, each with its own trees: the records, and the
/// indexes (by day; by peer, goal and follow-up are held back). A batch is handed over and the request
/// answered while they write it, so that the next batch is received and
/// prepared meanwhile; each holds at most one batch waiting. A write that
/// fails ends its thread, and the load with the next batch or the finish.
#[derive(Debug)]
struct Writers {
    senders: Vec<SyncSender<Work>>,
    threads: Vec<JoinHandle<sled::Result<()>>>,
}

impl Writers {
    fn start() -> std::io::Result<Writers> {
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        for i in 0..2 {
            let (tx, rx) = sync_channel::<Work>(1);
            let thread = std::thread::Builder::new()
                .name(format!("caseload-load-{i}"))
                .spawn(move || {
                    for work in rx {
                        insert_all(&work)?;
                    }
                    Ok(())
                })?;
            senders.push(tx);
            threads.push(thread);
        }
        Ok(Writers { senders, threads })
    }

    /// Hands `work[i]` to writer `i`; false if a writer has stopped (its
    /// write failed: [`Writers::finish`] says why).
    fn hand_over(&self, work: Vec<Work>) -> bool {
        self.senders
            .iter()
            .zip(work)
            .all(|(s, w)| w.is_empty() || s.send(w).is_ok())
    }

    /// Waits until everything handed over is written; the first failure.
    fn finish(mut self) -> Result<(), String> {
        self.senders.clear();
        let mut result = Ok(());
        for t in self.threads.drain(..) {
            let r = match t.join() {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err("a bulk load's writer failed".to_string()),
            };
            if result.is_ok() {
                result = r;
            }
        }
        result
    }
}

impl Drop for Writers {
    fn drop(&mut self) {
        // An abandoned load: stop writing before the store is emptied.
        self.senders.clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// The entries one batch writes into one tree, sorted by key.
type Entries = Vec<(Vec<u8>, Vec<u8>)>;

fn records_in(c: &Counts) -> u64 {
    c.staff + c.peers + c.goals + c.checkins + c.groups + c.sessions + c.resources + c.referrals
}

impl SledStore {
    /// True while a bulk load fills this store (every other write waits
    /// for its end and is refused).
    pub(super) fn loading(&self) -> bool {
        self.load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    /// Starts a bulk load: imports `snapshot` into the empty store and
    /// leaves the import marker set until [`SledStore::finish_load_in`].
    pub(super) fn begin_load_in(&self, snapshot: Snapshot) -> StoreResult<Counts> {
        let held = self.lock_writes();
        if self.loading() {
            return Err(StoreError::Refused(format!(
                "a bulk load is already filling the store at {}",
                self.path.display()
            )));
        }
        self.import_records(&held, &snapshot)?;
        let begun = self.counts().and_then(|counts| {
            let next_id = self.meta_u64(&next_id_key(T::CheckIns))?.max(1);
            Ok((counts, next_id))
        });
        let (counts, next_id) = match begun {
            Ok(b) => b,
            Err(e) => {
                self.abandon_held(&held);
                return Err(e);
            }
        };
        *self
            .load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Load {
            serial: LOADS_BEGUN.fetch_add(1, Ordering::Relaxed) + 1,
            next_id,
            imported: records_in(&counts),
            held_back: held_back_fresh(),
            ..Load::default()
        });
        Ok(counts)
    }

    /// The bulk load in progress, if any, by its number: the service keeps
    /// it for the connection that began it (see [`SledStore::abandon_load`]).
    pub fn current_load(&self) -> Option<u64> {
        self.load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(|l| l.serial)
    }

    /// Writes a batch of check-ins into the load in progress. Any failure
    /// abandons the whole load (the store is emptied).
    pub(super) fn load_checkins_in(
        &self,
        checkins: Vec<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        let held = self.lock_writes();
        let mut slot = self
            .load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(load) = slot.as_mut() else {
            return Err(StoreError::Refused(format!(
                "no bulk load is filling the store at {} (it was finished, or abandoned and emptied); start again with an empty store",
                self.path.display()
            )));
        };
        let checked = checkins.iter().enumerate().try_for_each(|(i, c)| {
            c.validate().map_err(|e| {
                StoreError::Refused(format!(
                    "check-in {} of {}: {e}; the bulk load is abandoned and the store emptied",
                    i + 1,
                    checkins.len()
                ))
            })
        });
        match checked.and_then(|()| self.load_batch(load, checkins, actor)) {
            Ok(n) => Ok(n),
            Err(e) => {
                *slot = None;
                drop(slot);
                self.abandon_held(&held);
                Err(e)
            }
        }
    }

    fn load_batch(
        &self,
        load: &mut Load,
        checkins: Vec<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        let now = Utc::now();
        let mut trees: Vec<Entries> = vec![Vec::new(); NAMES.len()];
        let n = checkins.len() as u64;
        for data in checkins {
            for r in data.references() {
                if load
                    .checked
                    .insert((r.tree as usize, r.id, r.goal_of.map(|p| p.raw())))
                {
                    let found = self
                        .tree(r.tree)
                        .get(id_key(r.id))
                        .map_err(|e| self.err(e))?;
                    check_found(&r, found.as_deref()).map_err(|e| self.locate(e))?;
                }
            }
            let id = load.next_id;
            load.next_id += 1;
            let rec = Record {
                id: Id::new(id),
                meta: Meta::created(now, actor),
                data,
            };
            if let Some(fact) = rec.data.summary_fact(id) {
                self.absorb_into(&mut load.summaries, &fact)?;
            }
            let bytes = encode(&rec).map_err(|d| self.corrupt(d))?;
            trees[T::CheckIns as usize].push((id_key(id).to_vec(), bytes));
            for (t, k) in rec.data.index_entries(id) {
                let k = match load.held_back.iter_mut().find(|h| h.tree == t) {
                    Some(h) => h.keep(k),
                    None => Some(k),
                };
                if let Some(k) = k {
                    trees[t as usize].push((k, Vec::new()));
                }
            }
        }
        let mut work: Vec<Work> = vec![Vec::new(), Vec::new()];
        for (i, mut entries) in trees.into_iter().enumerate() {
            if entries.is_empty() {
                continue;
            }
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let entries = fill_order(entries);
            // The records in one thread; the by-day index (and what is
            // not held back of the others) in the other.
            let w = usize::from(i != T::CheckIns as usize);
            work[w].push((self.trees[i].clone(), entries));
        }
        if load.writers.is_none() {
            load.writers = Some(Writers::start().map_err(|cause| StoreError::Io {
                path: self.path.clone(),
                cause,
            })?);
        }
        let handed = load.writers.as_ref().is_some_and(|w| w.hand_over(work));
        if !handed {
            let why = match load.writers.take().map(Writers::finish) {
                Some(Err(e)) => e,
                _ => "a bulk load's writer stopped".to_string(),
            };
            return Err(self.corrupt(format!("writing a bulk load failed: {why}")));
        }
        if load.held_back.iter().map(|h| h.keys.len()).sum::<usize>() >= HELD_MAX {
            let full = std::mem::replace(&mut load.held_back, held_back_fresh());
            self.write_held_back(full)?;
        }
        load.loaded += n;
        Ok(n)
    }

    /// Writes the held-back index keys, each index in key order, the
    /// largest in a thread of its own.
    fn write_held_back(&self, mut held: Vec<HeldBack>) -> StoreResult<()> {
        for h in &mut held {
            h.keys.sort_unstable();
        }
        held.sort_by_key(|h| std::cmp::Reverse(h.keys.len()));
        let (largest, rest) = match held.split_first() {
            Some((l, r)) => (Some(l), r),
            None => (None, &[][..]),
        };
        let write = |h: &HeldBack| -> sled::Result<()> {
            let tree = self.tree(h.tree);
            let len = h.len.unwrap_or(HELD_KEY);
            for k in &h.keys {
                tree.insert(&k[..len], &[])?;
            }
            Ok(())
        };
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(|| largest.map_or(Ok(()), write));
            let mine: sled::Result<()> = rest.iter().try_for_each(write);
            (mine, other.join())
        });
        a.map_err(|e| self.err(e))?;
        match b {
            Ok(r) => r.map_err(|e| self.err(e)),
            Err(_) => Err(self.corrupt("a bulk load's writer failed".into())),
        }
    }

    /// Writes imported records of one kind into the empty store being
    /// imported (under the import marker, so all or nothing as a whole):
    /// each tree they touch in key order with plain inserts, their peers'
    /// summaries once each, then the count and next id. Written one
    /// transaction of 2,000 records at a time, the indexes keyed by peer
    /// and goal arrived in random order and left sled's log with leaves
    /// rewritten over and over; in key order the same entries take about
    /// half the disk (docs/performance.md, "Size").
    pub(super) fn import_sorted<E: Kept>(&self, records: &[Record<E>]) -> StoreResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        // Records in id order, written as they are encoded; index keys
        // held back (24 bytes at most each, 89 MB for a million check-ins'
        // 3.7 M) and written each index in key order afterwards.
        let mut order: Vec<&Record<E>> = records.iter().collect();
        order.sort_unstable_by_key(|r| r.id.raw());
        let mut held: Vec<HeldBack> = Vec::new();
        let mut other: Vec<(T, Vec<u8>)> = Vec::new();
        let mut summaries: HashMap<u64, Summary> = HashMap::new();
        let mut max_id = 0;
        let tree = self.tree(E::TREE);
        for rec in order {
            let id = rec.id.raw();
            max_id = max_id.max(id);
            let bytes = encode(rec).map_err(|d| self.corrupt(d))?;
            tree.insert(id_key(id), bytes).map_err(|e| self.err(e))?;
            for (t, k) in rec.data.index_entries(id) {
                let h = match held.iter().position(|h| h.tree == t) {
                    Some(i) => &mut held[i],
                    None => {
                        held.push(HeldBack {
                            tree: t,
                            len: None,
                            keys: Vec::new(),
                        });
                        let last = held.len() - 1;
                        &mut held[last]
                    }
                };
                if let Some(k) = h.keep(k) {
                    other.push((t, k));
                }
            }
            if let Some(fact) = rec.data.summary_fact(id) {
                self.absorb_into(&mut summaries, &fact)?;
            }
        }
        self.write_held_back(held)?;
        other.sort_unstable_by(|a, b| (a.0 as usize, &a.1).cmp(&(b.0 as usize, &b.1)));
        for (t, k) in other {
            self.tree(t).insert(k, &[]).map_err(|e| self.err(e))?;
        }
        let mut peers: Vec<(u64, Summary)> = summaries.into_iter().collect();
        peers.sort_unstable_by_key(|(p, _)| *p);
        let tree = self.tree(T::PeerSummary);
        for (peer, summary) in peers {
            if summary.is_empty() {
                continue;
            }
            let bytes = encode(&summary).map_err(|d| self.corrupt(d))?;
            tree.insert(id_key(peer), bytes).map_err(|e| self.err(e))?;
        }
        let meta = self.meta();
        let count = self
            .meta_u64(&count_key(E::TREE))?
            .saturating_add(records.len() as u64);
        meta.insert(count_key(E::TREE), &count.to_be_bytes())
            .map_err(|e| self.err(e))?;
        let next = self
            .meta_u64(&next_id_key(E::TREE))?
            .max(max_id.saturating_add(1));
        meta.insert(next_id_key(E::TREE), &next.to_be_bytes())
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Folds `fact` into the summaries kept in memory of each peer it
    /// concerns, starting from a peer's stored summary the first time.
    fn absorb_into(&self, summaries: &mut HashMap<u64, Summary>, fact: &Fact) -> StoreResult<()> {
        for peer in fact.peers() {
            let summary = match summaries.entry(peer) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(self.summary(peer)?),
            };
            summary.absorb(fact);
        }
        Ok(())
    }

    /// Ends the load in progress: summaries, counts and next id written,
    /// everything flushed and synced, then the marker cleared in the
    /// transaction that audits the load.
    pub(super) fn finish_load_in(&self, loaded: u64, actor: &Actor) -> StoreResult<Counts> {
        let held = self.lock_writes();
        let Some(load) = self
            .load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        else {
            return Err(StoreError::Refused(format!(
                "no bulk load is filling the store at {}",
                self.path.display()
            )));
        };
        let result = if load.loaded == loaded {
            self.finish(&held, load, actor)
        } else {
            let held_count = load.loaded;
            // Its writers stop before the store is emptied.
            drop(load);
            Err(StoreError::Refused(format!(
                "the bulk load into {} holds {held_count} check-ins, but {loaded} were sent; it is abandoned and the store emptied",
                self.path.display(),
            )))
        };
        match result {
            Ok(()) => {
                drop(held);
                self.notify(ChangeKind::Everything, String::new());
                // Committed and audited: an error reading the counts now
                // is only reported, never a reason to undo the load.
                self.counts()
            }
            Err(e) => {
                self.abandon_held(&held);
                Err(e)
            }
        }
    }

    /// Writes what the load held back and commits it (the marker cleared
    /// and the load audited in one transaction); an error means nothing
    /// was committed.
    fn finish(&self, held: &Held<'_>, mut load: Load, actor: &Actor) -> StoreResult<()> {
        if let Some(writers) = load.writers.take() {
            writers
                .finish()
                .map_err(|e| self.corrupt(format!("writing a bulk load failed: {e}")))?;
        }
        self.write_held_back(std::mem::take(&mut load.held_back))?;
        let summaries = self.tree(T::PeerSummary);
        let mut peers: Vec<(u64, Summary)> = load.summaries.into_iter().collect();
        peers.sort_unstable_by_key(|(p, _)| *p);
        for (peer, summary) in peers {
            let bytes = encode(&summary).map_err(|d| self.corrupt(d))?;
            summaries
                .insert(id_key(peer), bytes)
                .map_err(|e| self.err(e))?;
        }
        // Everything loaded is on disk before the marker goes.
        self.flush()?;
        let entry = AuditEntry {
            at: Utc::now(),
            seq: self.audit_seq()?,
            actor: actor.clone(),
            peers: Vec::new(),
            event: AuditEvent::Imported {
                records: load.imported + load.loaded,
            },
        };
        let (next_id, loaded) = (load.next_id, load.loaded);
        self.transact_held(held, |tx| {
            let meta = &tx[T::Meta as usize];
            let before = super::read_u64(meta, &count_key(T::CheckIns))?;
            meta.insert(count_key(T::CheckIns), &(before + loaded).to_be_bytes())?;
            meta.insert(next_id_key(T::CheckIns), &next_id.to_be_bytes())?;
            meta.remove(IMPORT_MARKER)?;
            audit::append(tx, &entry, 0)
        })
    }

    /// Gives up the bulk load numbered `serial` if it is still in
    /// progress, and empties the store (what the next open would do): the
    /// service calls it when the connection that began the load goes away
    /// unfinished. A load finished, abandoned or begun afresh since is left
    /// alone.
    pub fn abandon_load(&self, serial: u64) {
        let held = self.lock_writes();
        let mut slot = self
            .load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.as_ref().is_some_and(|l| l.serial == serial) {
            *slot = None;
            drop(slot);
            self.abandon_held(&held);
        }
    }

    fn abandon_held(&self, _held: &Held<'_>) {
        if let Err(e) = self.roll_back_import() {
            // The marker stays: the next open empties the store.
            tracing::error!(error = %e, "could not roll back an abandoned bulk load");
        }
    }
}

/// Sorted entries reordered so that sled's leaves end up fuller: two of
/// every three first, then the third. sled splits a leaf of 17 entries
/// into two halves, and entries that arrive in key order never come back
/// to the left half, so a tree written in order is left with leaves about
/// half full; the third written afterwards lands in the leaves the first
/// pass made (at most 9 + 5 entries each, so none splits again).
fn fill_order(entries: Entries) -> Entries {
    let mut later = Vec::with_capacity(entries.len() / 3 + 1);
    let mut first = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        if i % 3 == 2 {
            later.push(e);
        } else {
            first.push(e);
        }
    }
    first.append(&mut later);
    first
}

fn insert_all(trees: &[(Tree, Entries)]) -> sled::Result<()> {
    for (tree, entries) in trees {
        for (k, v) in entries {
            tree.insert(k.as_slice(), v.as_slice())?;
        }
    }
    Ok(())
}
