//! The embedded store: one sled database in a directory.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::{Transactional, Tree};

use crate::model::ids::IdKind;
use crate::model::today::{LastCheckIn, PeerFacts};
use crate::model::validate::{Checker, MAX_NOTE_CHARS};
use crate::model::Void;
use crate::model::{
    Actor, Certification, CeuEntry, CheckIn, CheckInId, Entity, Goal, GoalId, Group, GroupId,
    GroupSession, Id, Intake, IntakeId, KioskReply, Meta, Peer, PeerId, Record, SessionId,
    Settings, Staff, StaffId, Supervision, ValidationError, Visit,
};
use crate::server::protocol::Pin;

use super::audit::{self, AuditEntry, AuditEvent, AuditFilter, Audited};
use super::codec::{date_from_key, date_key, decode, encode, id_key, key, time_key, trailing_id};
use super::error::{StoreError, StoreResult};
use super::files::{self, ModeRepair, StoreFiles};
use super::keys::{
    count_key, next_id_key, Fact, Kept, Summary, INDEX_TREES, NAMES, RECORD_TREES, T,
};
use super::schema::{self, Migration, MIGRATIONS, SCHEMA_VERSION};
use super::today_cache::{Generation, TodayCache};
use super::{Change, ChangeKind, Counts, PeerSummary, PeerView, Snapshot, Store};

#[path = "sled_assess.rs"]
mod assess;
/// Staff credentials (`sled_credentials.rs`): a child module, so it uses
/// the record helpers here.
#[path = "sled_credentials.rs"]
mod credentials;
#[path = "sled_frontdesk.rs"]
mod frontdesk;
#[path = "sled_load.rs"]
mod load;
#[path = "sled_consent.rs"]
mod sled_consent;

const SETTINGS_KEY: &[u8] = b"settings";
const IMPORT_MARKER: &[u8] = b"import_in_progress";
/// Records written per transaction during an import.
const IMPORT_CHUNK: usize = 2_000;

/// sled's page cache: 12 MiB, chosen by measuring (docs/performance.md,
/// "Cache size"). At 10k peers / 1M check-ins (schema 6) Today no longer
/// reads check-in records, so down to 12 MiB the cache hardly matters to
/// it: in interleaved runs `today --json` through the service took
/// 1.14–1.27× sqlite3 at 12 MiB, 1.07–1.37× at 16, 1.13–1.35× at 64, and
/// `peer show` 11–15 ms at every size; at 8 MiB Today was 1.47–1.68×,
/// at or past the 1.5× target. (`scripts/bench.sh` timed Today at 104.7
/// ms with 12 MiB and 110.0 ms with 64.) What the cache decides is how
/// the service grows: across 10,000 mixed requests on a freshly opened
/// store its RSS rose +9.5 % and +9.9 % at 12 MiB (to 157–164 MiB; +7.8 %
/// inside `bench.sh`, +42.5 % there at 64), +12–13 % at 16,
/// +27 % at 32 and +45 % at 64 (to 219 MiB), from 113–120 MiB at open.
/// 12 MiB is the largest size measured that kept the service within the
/// ±10 % target. Most of its memory is sled's own state per page of the
/// store and the answers in flight, not this cache. sled's default
/// (1 GiB) would let a long-running service grow with every page it ever
/// read.
pub const DEFAULT_CACHE_BYTES: u64 = 12 * 1024 * 1024;

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Bytes of sled page cache. sled's default (1 GiB) is far more than a
    /// caseload needs on a small shared server.
    pub cache_bytes: u64,
    /// How long to wait for another caseload process to let go of the
    /// store before saying it is in use (two CLI commands run together
    /// then simply queue).
    pub lock_wait: Duration,
    /// Whether a store created by this open is zstd-compressed (an existing
    /// store keeps the setting it was created with). Off by default: at 10k
    /// peers / 1M check-ins compression halved the disk but made `demo`
    /// 2.4× slower and the first open after a bulk write take minutes
    /// (docs/performance.md), which a service that starts on demand cannot
    /// afford.
    pub compress_new: bool,
}

/// Overrides [`DEFAULT_CACHE_BYTES`] (whole MiB, 1 to 4096), for measuring
/// a store's service at other cache sizes (docs/performance.md).
pub const CACHE_ENV: &str = "CASELOAD_CACHE_MIB";

/// The page cache from [`CACHE_ENV`], else [`DEFAULT_CACHE_BYTES`]; a value
/// that is not a whole number from 1 to 4096 is reported and ignored.
fn cache_bytes_from_env() -> u64 {
    match std::env::var(CACHE_ENV) {
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(mib @ 1..=4096) => mib * 1024 * 1024,
            _ => {
                tracing::warn!(
                    "{CACHE_ENV}={} is not a whole number of MiB from 1 to 4096; using {} MiB",
                    crate::text::escape_line(&v),
                    DEFAULT_CACHE_BYTES >> 20
                );
                DEFAULT_CACHE_BYTES
            }
        },
        Err(_) => DEFAULT_CACHE_BYTES,
    }
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            cache_bytes: cache_bytes_from_env(),
            lock_wait: Duration::from_secs(2),
            compress_new: false,
        }
    }
}

/// A store in a local directory, backed by sled.
///
/// Open it once per process and share it (it is `Sync`); sled allows only
/// one process at a time.
pub struct SledStore {
    db: sled::Db,
    trees: Vec<Tree>,
    path: PathBuf,
    rolled_back_import: bool,
    /// The schema upgrade this open ran, if any.
    upgraded: Option<schema::Upgrade>,
    /// Serializes this process's writes (sled lets only one process in).
    ///
    /// Some writes must first look at more than one key ("does anything
    /// still refer to this peer?"). sled 0.34 cannot scan inside a
    /// transaction: its iterators take the global transaction lock that the
    /// running transaction already holds, so a scan there hangs the whole
    /// process. Such checks run before the transaction instead, under this
    /// lock, so that no other write can slip in between check and write.
    writer: Mutex<()>,
    /// Sessions of this process waiting for change notices.
    subscribers: Mutex<Vec<Sender<Change>>>,
    /// Private modes and the `fdatasync` after every flush.
    files: StoreFiles,
    /// The bulk load filling this store, if one is (`sled_load.rs`).
    load: Mutex<Option<load::Load>>,
    /// Bumped after every write that may change what readers see (see
    /// `today_cache`): a kept Today answer is only good while it stands.
    generation: Generation,
    /// The last Today answers, each good while no write has happened.
    today_cache: TodayCache,
}

/// Proof that the caller holds the store's write lock.
type Held<'a> = MutexGuard<'a, ()>;

#[path = "sled_corrections.rs"]
mod corrections;

/// Turns a sled error into a store error naming the directory.
pub(crate) fn map_sled(e: sled::Error, path: &Path) -> StoreError {
    let path = path.to_path_buf();
    match e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::InUse { path }
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => {
            StoreError::InUse { path }
        }
        sled::Error::Io(cause) => StoreError::Io { path, cause },
        sled::Error::Corruption { at, .. } => StoreError::Corrupt {
            path,
            detail: match at {
                Some(at) => format!("corrupt data at {at:?}"),
                None => "corrupt data".into(),
            },
        },
        sled::Error::Unsupported(detail) | sled::Error::ReportableBug(detail) => {
            StoreError::Corrupt { path, detail }
        }
        sled::Error::CollectionNotFound(name) => StoreError::Corrupt {
            path,
            detail: format!("missing tree {}", String::from_utf8_lossy(&name)),
        },
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".into())
}

/// A transaction abort carrying a store error.
type Abort = ConflictableTransactionError<StoreError>;

fn abort(e: StoreError) -> Abort {
    ConflictableTransactionError::Abort(e)
}

impl SledStore {
    /// Opens (creating if needed) the store in `path` with default options.
    pub fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with(path, &OpenOptions::default())
    }

    /// Opens the store in `path`.
    pub fn open_with(path: &Path, options: &OpenOptions) -> StoreResult<Self> {
        Self::open_versioned(path, options, SCHEMA_VERSION, MIGRATIONS)
    }

    pub(crate) fn open_versioned(
        path: &Path,
        options: &OpenOptions,
        version: u32,
        migrations: &[Migration],
    ) -> StoreResult<Self> {
        // Looked at before sled opens (and possibly rewrites) the file.
        let had_data = std::fs::metadata(path.join("db")).is_ok_and(|m| m.len() > 0);
        let prepared = files::before_open(path)?;
        let db = open_db(path, options)?;
        let files = files::after_open(path, prepared)?;
        let upgraded = schema::prepare(&db, path, had_data, version, migrations)?;
        if let Some(u) = &upgraded {
            tracing::info!(store = %path.display(), "{u}");
        }
        let mut trees = Vec::with_capacity(NAMES.len());
        for name in NAMES {
            trees.push(db.open_tree(name).map_err(|e| map_sled(e, path))?);
        }
        let mut store = SledStore {
            db,
            trees,
            path: path.to_path_buf(),
            rolled_back_import: false,
            upgraded,
            writer: Mutex::new(()),
            subscribers: Mutex::new(Vec::new()),
            files,
            load: Mutex::new(None),
            generation: Generation::default(),
            today_cache: TodayCache::default(),
        };
        if store
            .meta()
            .contains_key(IMPORT_MARKER)
            .map_err(|e| store.err(e))?
        {
            store.roll_back_import()?;
            store.rolled_back_import = true;
        }
        Ok(store)
    }

    /// True when opening found an interrupted import and removed it.
    pub fn rolled_back_import(&self) -> bool {
        self.rolled_back_import
    }

    /// The schema upgrade this open ran (an older caseload can no longer
    /// open the store afterwards), so a caller can say so.
    pub fn upgraded(&self) -> Option<schema::Upgrade> {
        self.upgraded
    }

    /// The directory of the store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn tree(&self, t: T) -> &Tree {
        &self.trees[t as usize]
    }

    fn meta(&self) -> &Tree {
        self.tree(T::Meta)
    }

    fn err(&self, e: sled::Error) -> StoreError {
        map_sled(e, &self.path)
    }

    fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail,
        }
    }

    /// How many disk syncs (`fdatasync`/`fsync`) this store has made
    /// since it was opened, so tests can hold a check-in to its budget.
    pub fn sync_count(&self) -> u64 {
        self.files.sync_count()
    }

    /// File and directory modes this open repaired (each also logged as a
    /// warning), so a caller can tell the user their store was exposed.
    pub fn mode_repairs(&self) -> &[ModeRepair] {
        self.files.repairs()
    }

    /// Blocks until everything written is on stable storage: sled's flush
    /// (`sync_file_range`), then `fdatasync` (see `store::files`). Every
    /// write ends here once its change is visible, so this is also where
    /// answers kept from before it stop being given (`today_cache`), even
    /// if the flush then fails: the change is visible either way.
    fn flush(&self) -> StoreResult<()> {
        self.generation.bump();
        self.sync()
    }

    /// [`SledStore::flush`] for a write that changes nothing a kept
    /// answer holds: only audit entries (a read's, which every Today
    /// makes).
    fn sync(&self) -> StoreResult<()> {
        self.db.flush().map_err(|e| self.err(e))?;
        self.files.sync()
    }

    /// Takes the write lock (see [`SledStore::writer`]).
    fn lock_writes(&self) -> Held<'_> {
        // A panic while holding the lock cannot leave sled half-written
        // (transactions are atomic), so a poisoned lock is still usable.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` as one transaction over every tree, then flushes.
    fn write<A>(&self, f: impl Fn(&[TransactionalTree]) -> Result<A, Abort>) -> StoreResult<A> {
        let held = self.lock_writes();
        self.write_held(&held, f)
    }

    /// [`SledStore::write`] for a caller that already holds the write lock.
    /// `f` must not iterate over trees (see [`SledStore::writer`]).
    fn write_held<A>(
        &self,
        held: &Held<'_>,
        f: impl Fn(&[TransactionalTree]) -> Result<A, Abort>,
    ) -> StoreResult<A> {
        self.refuse_while_filling()?;
        self.transact_held(held, f)
    }

    /// Refuses a write while an import or a bulk load fills the store, or
    /// while one that failed is not yet undone (its marker is still on
    /// disk): the next open empties the store, so a write accepted now
    /// would be lost with it.
    fn refuse_while_filling(&self) -> StoreResult<()> {
        if self.loading() {
            return Err(StoreError::Refused(format!(
                "a bulk load (`caseload demo`) is filling the store at {}; try again when it has finished",
                self.path.display()
            )));
        }
        if self
            .meta()
            .contains_key(IMPORT_MARKER)
            .map_err(|e| self.err(e))?
        {
            return Err(StoreError::Refused(format!(
                "an import or bulk load into the store at {} did not finish and could not be undone, so nothing more is written to it; restart the caseload service (`systemctl restart caseload`, or stop the private one: the next command starts it again), which empties the store as it opens",
                self.path.display()
            )));
        }
        Ok(())
    }

    /// The transaction of [`SledStore::write_held`] without its refusal:
    /// only for an import's or a bulk load's own writes under its marker
    /// (its sections, and the last step that clears the marker).
    fn transact_held<A>(
        &self,
        held: &Held<'_>,
        f: impl Fn(&[TransactionalTree]) -> Result<A, Abort>,
    ) -> StoreResult<A> {
        let value = self.commit_held(held, f)?;
        self.flush()?;
        Ok(value)
    }

    /// The transaction alone, not yet on stable storage: the caller
    /// flushes (or syncs, for audit entries only).
    fn commit_held<A>(
        &self,
        _held: &Held<'_>,
        f: impl Fn(&[TransactionalTree]) -> Result<A, Abort>,
    ) -> StoreResult<A> {
        match self.trees[..].transaction(|tx: &Vec<TransactionalTree>| f(tx)) {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(self.locate(e)),
            Err(TransactionError::Storage(e)) => Err(self.err(e)),
        }
    }

    /// Errors raised inside a transaction do not know the store's
    /// directory; fill it in so that the message names it.
    fn locate(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Corrupt { path, detail } if path.as_os_str().is_empty() => {
                self.corrupt(detail)
            }
            other => other,
        }
    }

    /// True if any key of `tree` starts with `prefix`.
    fn has_prefix(&self, tree: T, prefix: &[u8]) -> StoreResult<bool> {
        match self.tree(tree).scan_prefix(prefix).next() {
            None => Ok(false),
            Some(Ok(_)) => Ok(true),
            Some(Err(e)) => Err(self.err(e)),
        }
    }

    /// A number for the next audit entry: unique and increasing, taken
    /// outside the transaction (which may run more than once).
    fn audit_seq(&self) -> StoreResult<u64> {
        self.db.generate_id().map_err(|e| self.err(e))
    }

    /// Tells every subscriber about a change that is on disk; forgets the
    /// ones that stopped listening.
    fn notify(&self, kind: ChangeKind, id: String) {
        let mut subs = self
            .subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let change = Change { kind, id };
        subs.retain(|s| s.send(change.clone()).is_ok());
    }

    fn get<E: Kept>(&self, id: u64) -> StoreResult<Record<E>> {
        match self
            .tree(E::TREE)
            .get(id_key(id))
            .map_err(|e| self.err(e))?
        {
            Some(bytes) => decode(&bytes, NAMES[E::TREE as usize]).map_err(|d| self.corrupt(d)),
            None => Err(StoreError::NotFound {
                noun: <E::Kind as IdKind>::NOUN,
                id: Id::<E::Kind>::new(id).to_string(),
            }),
        }
    }

    pub(super) fn all<E: Kept>(&self) -> StoreResult<Vec<Record<E>>> {
        // Sized from the stored count: growing 10,000 peer records by
        // doubling copied megabytes into fresh pages.
        let mut out = Vec::with_capacity(self.capacity_hint(E::TREE)?);
        for v in self.tree(E::TREE).iter().values() {
            let v = v.map_err(|e| self.err(e))?;
            out.push(decode(&v, NAMES[E::TREE as usize]).map_err(|d| self.corrupt(d))?);
        }
        Ok(out)
    }

    /// How many records `tree` holds by its stored count, bounded, to
    /// size a list up front (only a hint: the list still grows if the
    /// count is behind).
    fn capacity_hint(&self, tree: T) -> StoreResult<usize> {
        const MOST: u64 = 1 << 18;
        Ok(usize::try_from(self.count(tree)?.min(MOST)).unwrap_or(0))
    }

    /// Today worked out from the stored records, never from a kept answer
    /// (what `Store::today` does when a write has ended the kept one):
    /// for benchmarks of that work, which a kept answer would hide.
    pub fn work_out_today(
        &self,
        date: NaiveDate,
        for_staff: Option<StaffId>,
    ) -> StoreResult<crate::model::today::TodayReport> {
        // Only what Today reads of each peer, not 10,000 whole records.
        super::today::gather_with(&crate::model::dates::CENTER, self, date, for_staff, || {
            self.today_peers_by(super::peer_facts::peer_facts)
        })
    }

    /// Works out again the Today answers that writes have ended since they
    /// were kept, so that the next UI to start (or `caseload today`) finds
    /// its answer ready: the service calls it once writes have paused. No
    /// one is shown these answers until they ask (and are audited then).
    pub fn refresh_today(&self) -> StoreResult<()> {
        for (date, for_staff) in self.today_cache.ended(self.generation.now()) {
            Store::today(self, date, for_staff)?;
        }
        Ok(())
    }

    /// How many Today answers this store has worked out rather than given
    /// again from the ones it keeps (for tests of `today_cache`).
    pub fn todays_worked_out(&self) -> u64 {
        self.today_cache.worked_out()
    }

    /// What Today reads of every peer ([`PeerFacts`]), each read by
    /// `read` from the stored bytes: [`super::peer_facts::peer_facts`]
    /// reads only those fields of a record.
    pub(crate) fn today_peers_by(
        &self,
        read: impl Fn(&[u8], &str) -> Result<PeerFacts, String>,
    ) -> StoreResult<Vec<PeerFacts>> {
        let mut out = Vec::with_capacity(self.capacity_hint(T::Peers)?);
        for v in self.tree(T::Peers).iter().values() {
            let v = v.map_err(|e| self.err(e))?;
            out.push(read(&v, NAMES[T::Peers as usize]).map_err(|d| self.corrupt(d))?);
        }
        Ok(out)
    }

    pub(super) fn page<E: Kept>(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<Record<E>>> {
        let start = id_key(after.map_or(0, |a| a.saturating_add(1)));
        self.tree(E::TREE)
            .range(start..)
            .values()
            .take(limit)
            .map(|v| {
                let v = v.map_err(|e| self.err(e))?;
                decode(&v, NAMES[E::TREE as usize]).map_err(|d| self.corrupt(d))
            })
            .collect()
    }

    /// Records whose ids end the index keys in `keys`.
    pub(super) fn by_index<E: Kept>(
        &self,
        keys: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    ) -> StoreResult<Vec<Record<E>>> {
        let mut out = Vec::new();
        for k in keys {
            let (k, _) = k.map_err(|e| self.err(e))?;
            let id = trailing_id(&k).ok_or_else(|| self.corrupt("short index key".into()))?;
            out.push(self.get::<E>(id).map_err(|e| match e {
                StoreError::NotFound { noun, id } => {
                    self.corrupt(format!("an index names {noun} {id}, which is missing"))
                }
                other => other,
            })?);
        }
        Ok(out)
    }

    fn create<E: Kept + Audited>(&self, data: E, actor: &Actor) -> StoreResult<Record<E>> {
        let held = self.lock_writes();
        let rec = self.create_held(&held, data, actor)?;
        drop(held);
        self.notify(E::KIND, rec.id.to_string());
        Ok(rec)
    }

    /// [`SledStore::create`] for a caller that already holds the write
    /// lock (a visit that may update instead, an intake): validates,
    /// numbers, writes the record, its indexes, summaries and count, and
    /// audits it in one transaction. The caller notifies.
    fn create_held<E: Kept + Audited>(
        &self,
        held: &Held<'_>,
        data: E,
        actor: &Actor,
    ) -> StoreResult<Record<E>> {
        data.validate()?;
        let now = Utc::now();
        let seq = self.audit_seq()?;
        self.write_held(held, |tx| {
            check_refs(tx, &data)?;
            let id = next_id(tx, E::TREE)?;
            let rec = Record {
                id: Id::new(id),
                meta: Meta::created(now, actor),
                data: data.clone(),
            };
            put_new(tx, &rec)?;
            let event = AuditEvent::Created {
                kind: E::KIND,
                id: rec.id.to_string(),
                revision: rec.meta.revision,
            };
            audit::append(tx, &audit_entry(now, seq, actor, &rec, event), 0)?;
            Ok(rec)
        })
    }

    fn update<E: Kept + Audited>(&self, rec: &Record<E>, actor: &Actor) -> StoreResult<Record<E>> {
        self.update_checked(rec, actor, |_| Ok(()))
    }

    /// Saves `rec` once `check` (which may scan indexes) accepts the change
    /// from the stored record. `check` only sees an up-to-date edit: a stale
    /// one is refused with [`StoreError::Conflict`] first.
    fn update_checked<E: Kept + Audited>(
        &self,
        rec: &Record<E>,
        actor: &Actor,
        check: impl Fn(&Record<E>) -> StoreResult<()>,
    ) -> StoreResult<Record<E>> {
        rec.data.validate()?;
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let held = self.lock_writes();
        // The peer summaries as they will be after the change, worked out
        // here (scanning) under the write lock, written in the transaction.
        let summaries = match self.get::<E>(rec.id.raw()) {
            Ok(current) if current.meta.revision == rec.meta.revision => {
                check(&current)?;
                self.summaries_after(Some(&current), Some(rec))?
            }
            // Stale or missing: the transaction below says so.
            Ok(_) | Err(StoreError::NotFound { .. }) => Vec::new(),
            Err(other) => return Err(other),
        };
        let saved = self.write_held(&held, |tx| {
            let old: Record<E> = tx_get(tx, rec.id.raw())?;
            if old.meta.revision != rec.meta.revision {
                return Err(abort(StoreError::Conflict {
                    noun: <E::Kind as IdKind>::NOUN,
                    id: rec.id.to_string(),
                    expected: rec.meta.revision,
                    actual: old.meta.revision,
                    by: old.meta.updated_by.to_string(),
                }));
            }
            check_refs(tx, &rec.data)?;
            if let Some(history) = E::HISTORY {
                keep_version(tx, history, &old)?;
            }
            remove_index(tx, &old)?;
            let new = Record {
                id: rec.id,
                meta: old.meta.next(now, actor),
                data: rec.data.clone(),
            };
            put_record(tx, &new)?;
            put_summaries(tx, &summaries)?;
            let event = AuditEvent::Updated {
                kind: E::KIND,
                id: new.id.to_string(),
                from_revision: old.meta.revision,
                to_revision: new.meta.revision,
            };
            audit::append(tx, &audit_entry(now, seq, actor, &new, event), 0)?;
            Ok(new)
        })?;
        drop(held);
        self.notify(E::KIND, saved.id.to_string());
        Ok(saved)
    }

    /// Deletes a record once `in_use` (which may scan indexes) has found
    /// nothing that still refers to it.
    fn delete<E: Kept + Audited>(
        &self,
        id: u64,
        actor: &Actor,
        in_use: impl Fn(&Record<E>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let held = self.lock_writes();
        // Read and checked under the write lock, so still true below.
        let current: Record<E> = self.get(id)?;
        in_use(&current)?;
        let summaries = self.summaries_after(Some(&current), None)?;
        self.write_held(&held, |tx| {
            let old: Record<E> = tx_get(tx, id)?;
            remove_index(tx, &old)?;
            put_summaries(tx, &summaries)?;
            tx[E::TREE as usize].remove(&id_key(id))?;
            bump_count(tx, E::TREE, -1)?;
            let event = AuditEvent::Deleted {
                kind: E::KIND,
                id: old.id.to_string(),
                revision: old.meta.revision,
            };
            audit::append(tx, &audit_entry(now, seq, actor, &old, event), 0)?;
            Ok(())
        })?;
        drop(held);
        self.notify(E::KIND, Id::<E::Kind>::new(id).to_string());
        Ok(())
    }

    /// The stored summary of a peer (empty when there is none).
    fn summary(&self, peer: u64) -> StoreResult<Summary> {
        match self
            .tree(T::PeerSummary)
            .get(id_key(peer))
            .map_err(|e| self.err(e))?
        {
            Some(v) => decode(&v, NAMES[T::PeerSummary as usize]).map_err(|d| self.corrupt(d)),
            None => Ok(Summary::default()),
        }
    }

    /// The summaries of the peers a change from `old` to `new` (either may
    /// be absent: a create or a delete) touches, as they will be after it.
    /// Scans indexes, so the caller holds the write lock and writes the
    /// result in the change's transaction.
    fn summaries_after<E: Kept>(
        &self,
        old: Option<&Record<E>>,
        new: Option<&Record<E>>,
    ) -> StoreResult<Vec<(u64, Summary)>> {
        let old_fact = old.and_then(|r| r.data.summary_fact(r.id.raw()));
        let new_fact = new.and_then(|r| r.data.summary_fact(r.id.raw()));
        let Some(kind) = old_fact.as_ref().or(new_fact.as_ref()) else {
            return Ok(Vec::new());
        };
        let changed = old.or(new).map_or(0, |r| r.id.raw());
        let mut peers: Vec<u64> = old_fact
            .iter()
            .chain(new_fact.iter())
            .flat_map(Fact::peers)
            .collect();
        peers.sort_unstable();
        peers.dedup();
        let mut out = Vec::with_capacity(peers.len());
        for peer in peers {
            let mut summary = self.summary(peer)?;
            let newest = match kind {
                Fact::CheckIn { .. } => {
                    summary.checkin = None;
                    self.newest_live::<CheckIn>(T::IxCheckInByPeer, peer, changed)?
                }
                Fact::Session { .. } => {
                    summary.attended = None;
                    self.newest_live::<GroupSession>(T::IxAttendance, peer, changed)?
                }
            };
            for f in newest.iter().chain(new_fact.iter()) {
                if f.peers().contains(&peer) {
                    summary.absorb(f);
                }
            }
            out.push((peer, summary));
        }
        Ok(out)
    }

    /// Walks `peer`'s entries of a per-peer `index` (keys: peer, then an
    /// order, then the record id) from the newest, and returns the summary
    /// fact of the first record other than `skip` that is live.
    fn newest_live<E: Kept>(&self, index: T, peer: u64, skip: u64) -> StoreResult<Option<Fact>> {
        for k in self.tree(index).scan_prefix(id_key(peer)).keys().rev() {
            let k = k.map_err(|e| self.err(e))?;
            let id = trailing_id(&k).ok_or_else(|| self.corrupt("short index key".into()))?;
            if id == skip {
                continue;
            }
            let rec: Record<E> = self.get(id)?;
            if let Some(fact) = rec.data.summary_fact(id) {
                if fact.is_live() {
                    return Ok(Some(fact));
                }
            }
        }
        Ok(None)
    }

    /// `peer`'s newest live check-in before `before`: the summary's when
    /// it is older, otherwise (seen today, or dated ahead) a short walk
    /// back through the peer's index.
    fn last_checkin_before(
        &self,
        peer: &[u8],
        summary: &Summary,
        before: &[u8; 8],
    ) -> StoreResult<Option<LastCheckIn>> {
        let Some(newest) = summary.checkin else {
            return Ok(None);
        };
        if newest.order[..8] < before[..] {
            return newest
                .facts()
                .map(Some)
                .ok_or_else(|| self.corrupt("unreadable date in a summary".into()));
        }
        let end = key(&[peer, before]);
        for last in self
            .tree(T::IxCheckInByPeer)
            .range(peer.to_vec()..end)
            .rev()
        {
            let mut found: Vec<Record<CheckIn>> = self.by_index(std::iter::once(last))?;
            match found.pop() {
                Some(c) if c.voided.is_none() => return Ok(Some(LastCheckIn::of(&c))),
                Some(_) => continue,
                None => break,
            }
        }
        Ok(None)
    }

    /// The day of `peer`'s latest live session attended before `before`.
    fn last_attended_before(
        &self,
        peer: &[u8],
        summary: &Summary,
        before: &[u8; 4],
    ) -> StoreResult<Option<NaiveDate>> {
        let Some(order) = summary.attended else {
            return Ok(None);
        };
        let day = |k: &[u8]| {
            date_from_key(k).ok_or_else(|| self.corrupt("unreadable date in a summary".into()))
        };
        if order[..4] < before[..] {
            return day(&order).map(Some);
        }
        let end = key(&[peer, before]);
        for last in self.tree(T::IxAttendance).range(peer.to_vec()..end).rev() {
            let (k, v) = last.map_err(|e| self.err(e))?;
            let mut found: Vec<Record<GroupSession>> =
                self.by_index(std::iter::once(Ok((k.clone(), v))))?;
            match found.pop() {
                Some(s) if s.voided.is_none() => return day(k.get(8..).unwrap_or(&[])).map(Some),
                Some(_) => continue,
                None => break,
            }
        }
        Ok(None)
    }

    /// Every peer's summary answer (see [`Store::peer_summaries`]); with
    /// `attended_before` unset, attendance is not looked up.
    fn summaries_before(
        &self,
        before: DateTime<Utc>,
        attended_before: Option<NaiveDate>,
    ) -> StoreResult<HashMap<PeerId, PeerSummary>> {
        let before = time_key(&before);
        let attended_key = attended_before.map(date_key);
        let mut out = HashMap::with_capacity(self.capacity_hint(T::Peers)?);
        for kv in self.tree(T::PeerSummary).iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let summary: Summary =
                decode(&v, NAMES[T::PeerSummary as usize]).map_err(|d| self.corrupt(d))?;
            let peer = trailing_id(&k).ok_or_else(|| self.corrupt("short summary key".into()))?;
            let last_checkin = self.last_checkin_before(&k, &summary, &before)?;
            let last_attended = match &attended_key {
                Some(a) => self.last_attended_before(&k, &summary, a)?,
                None => None,
            };
            if last_checkin.is_some() || last_attended.is_some() {
                out.insert(
                    PeerId::new(peer),
                    PeerSummary {
                        last_checkin,
                        last_attended,
                    },
                );
            }
        }
        Ok(out)
    }

    fn count(&self, tree: T) -> StoreResult<u64> {
        self.meta_u64(&count_key(tree))
    }

    /// A number kept in the meta tree (a count, a next id); 0 when unset.
    fn meta_u64(&self, key: &[u8]) -> StoreResult<u64> {
        Ok(self
            .meta()
            .get(key)
            .map_err(|e| self.err(e))?
            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
            .unwrap_or(0))
    }

    /// The first step of an import (and of a bulk load): refuses a store
    /// that holds data, checks the snapshot, sets the import marker and
    /// writes every record. On failure what was written is taken back; if
    /// even that fails, the marker stays and the next open rolls back.
    fn import_records(&self, held: &Held<'_>, snapshot: &Snapshot) -> StoreResult<()> {
        self.refuse_while_filling()?;
        let existing = self.counts()?;
        if existing != Counts::default() {
            return Err(StoreError::Refused(format!(
                "import goes into an empty store, but {} already holds {} staff, {} and {}; import into a new --data-dir",
                self.path.display(),
                existing.staff,
                crate::text::count_u64(existing.peers, "peer", "peers"),
                crate::text::count_u64(existing.checkins, "check-in", "check-ins")
            )));
        }
        super::import::check_snapshot(snapshot)?;
        self.meta()
            .insert(IMPORT_MARKER, &[1])
            .map_err(|e| self.err(e))?;
        self.flush()?;
        if let Err(e) = self.import_all(held, snapshot) {
            if let Err(undo) = self.roll_back_import() {
                tracing::error!(error = %undo, "could not roll back the failed import");
            }
            return Err(e);
        }
        Ok(())
    }

    /// Removes everything a half-finished import wrote. Imports only go
    /// into empty stores, so "everything" is exactly what it wrote.
    fn roll_back_import(&self) -> StoreResult<()> {
        tracing::warn!(path = %self.path.display(), "rolling back an interrupted import");
        // The marker first (a failed finish may have cleared it in
        // memory): a roll-back interrupted part-way runs again on the next
        // open instead of leaving a half-emptied store looking whole.
        self.meta()
            .insert(IMPORT_MARKER, &[1])
            .map_err(|e| self.err(e))?;
        self.flush()?;
        for t in RECORD_TREES.iter().chain(INDEX_TREES.iter()) {
            self.tree(*t).clear().map_err(|e| self.err(e))?;
        }
        self.tree(T::KioskCodes).clear().map_err(|e| self.err(e))?;
        for t in RECORD_TREES {
            self.meta().remove(count_key(t)).map_err(|e| self.err(e))?;
            self.meta()
                .remove(next_id_key(t))
                .map_err(|e| self.err(e))?;
        }
        self.meta().remove(SETTINGS_KEY).map_err(|e| self.err(e))?;
        self.clear_corrections()?;
        self.flush()?;
        self.meta().remove(IMPORT_MARKER).map_err(|e| self.err(e))?;
        self.flush()
    }

    /// Writes a checked snapshot; the caller holds the write lock and has
    /// set the import marker.
    fn import_all(&self, held: &Held<'_>, snapshot: &Snapshot) -> StoreResult<()> {
        let settings = encode(&snapshot.settings).map_err(|d| self.corrupt(d))?;
        self.meta()
            .insert(SETTINGS_KEY, settings)
            .map_err(|e| self.err(e))?;
        self.import_chunk(held, &snapshot.staff)?;
        self.import_chunk(held, &snapshot.peers)?;
        self.import_chunk(held, &snapshot.groups)?;
        self.import_chunk(held, &snapshot.goals)?;
        self.import_chunk(held, &snapshot.sessions)?;
        self.import_chunk(held, &snapshot.checkins)?;
        self.import_chunk(held, &snapshot.resources)?;
        self.import_chunk(held, &snapshot.referrals)?;
        self.import_chunk(held, &snapshot.consents)?;
        self.import_chunk(held, &snapshot.disclosures)?;
        self.import_chunk(held, &snapshot.certifications)?;
        self.import_chunk(held, &snapshot.ceu_entries)?;
        self.import_chunk(held, &snapshot.supervisions)?;
        self.import_chunk(held, &snapshot.assessments)?;
        self.fd_import(held, snapshot)?;
        self.import_corrections(held, &snapshot.checkin_history, &snapshot.peer_aliases)
    }

    /// Writes one kind of record of an import (`sled_load.rs`: each tree
    /// in key order, under the import marker).
    fn import_chunk<E: Kept>(&self, _held: &Held<'_>, records: &[Record<E>]) -> StoreResult<()> {
        self.import_sorted(records)
    }
}

/// The audit entry for a change to `rec`.
fn audit_entry<E: Kept + Audited>(
    at: DateTime<Utc>,
    seq: u64,
    actor: &Actor,
    rec: &Record<E>,
    event: AuditEvent,
) -> AuditEntry {
    AuditEntry {
        at,
        seq,
        actor: actor.clone(),
        peers: rec.data.peers_of(rec.id.raw()),
        event,
    }
}

fn open_db(path: &Path, options: &OpenOptions) -> StoreResult<sled::Db> {
    std::fs::create_dir_all(path).map_err(|cause| StoreError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    // No background flusher: every write flushes before it returns, so the
    // timer would only wake an idle process twice a second, and without it
    // dropping the store lets go of the files at once (a server can take
    // over a store a command has just closed).
    //
    // Compression is fixed when a store is created (sled refuses to open a
    // store with the other setting): new stores are compressed, an existing
    // one keeps what it was made with, and is never silently reformatted
    // (docs/performance.md gives the export/import step that converts one).
    let compressed = match stored_compression(path) {
        Some(existing) => existing,
        None => options.compress_new,
    };
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(options.cache_bytes)
        .use_compression(compressed)
        .compression_factor(COMPRESSION_FACTOR)
        .flush_every_ms(None);
    open_guarded(path, options.lock_wait, || config.open())
}

/// zstd level for new stores: level 3 (zstd's own default) compresses
/// caseload's records (short notes, repeated field names removed by
/// postcard) about as well as higher levels at a fraction of the time.
const COMPRESSION_FACTOR: i32 = 3;

/// The compression setting an existing store was created with, from the
/// `conf` file sled writes next to its `db` (`use_compression: true`);
/// `None` for a directory without one (a new store).
pub(crate) fn stored_compression(path: &Path) -> Option<bool> {
    let text = std::fs::read(path.join("conf")).ok()?;
    let text = String::from_utf8_lossy(&text);
    text.lines().find_map(|line| {
        let value = line.strip_prefix("use_compression:")?.trim();
        value.parse::<bool>().ok()
    })
}

/// Calls `open` until it succeeds, fails for a reason other than the lock,
/// or `lock_wait` has passed. A panic inside sled (it has some on damaged
/// files) becomes [`StoreError::Corrupt`] naming the directory.
fn open_guarded(
    path: &Path,
    lock_wait: Duration,
    open: impl Fn() -> sled::Result<sled::Db>,
) -> StoreResult<sled::Db> {
    let deadline = Instant::now() + lock_wait;
    loop {
        match catch_unwind(AssertUnwindSafe(&open)) {
            Ok(Ok(db)) => return Ok(db),
            Ok(Err(e)) => {
                let err = map_sled(e, path);
                if matches!(err, StoreError::InUse { .. }) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                return Err(err);
            }
            Err(panic) => {
                return Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: format!("sled failed while reading it: {}", panic_text(&*panic)),
                })
            }
        }
    }
}

fn tx_get<E: Kept>(tx: &[TransactionalTree], id: u64) -> Result<Record<E>, Abort> {
    match tx[E::TREE as usize].get(id_key(id))? {
        Some(bytes) => decode(&bytes, NAMES[E::TREE as usize]).map_err(|detail| {
            abort(StoreError::Corrupt {
                path: PathBuf::new(),
                detail,
            })
        }),
        None => Err(abort(StoreError::NotFound {
            noun: <E::Kind as IdKind>::NOUN,
            id: Id::<E::Kind>::new(id).to_string(),
        })),
    }
}

fn check_refs<E: Kept>(tx: &[TransactionalTree], data: &E) -> Result<(), Abort> {
    for r in data.references() {
        check_ref(tx, &r)?;
    }
    Ok(())
}

/// A reference already checked within one transaction: its tree, id and,
/// for a goal, the peer whose plan it must be on.
type Checked = (usize, u64, Option<u64>);

/// [`check_refs`] for a batch: a reference already checked in this
/// transaction (the same staff member, peer or goal on many check-ins of
/// one batch) is not read again. `seen` lives inside the transaction's
/// closure, so a rerun starts afresh.
fn check_refs_once<E: Kept>(
    tx: &[TransactionalTree],
    data: &E,
    seen: &mut std::collections::HashSet<Checked>,
) -> Result<(), Abort> {
    for r in data.references() {
        if seen.insert((r.tree as usize, r.id, r.goal_of.map(|p| p.raw()))) {
            check_ref(tx, &r)?;
        }
    }
    Ok(())
}

/// Checks that the record `r` refers to exists (and a goal is on the
/// right peer's plan).
fn check_ref(tx: &[TransactionalTree], r: &super::keys::Ref) -> Result<(), Abort> {
    let bytes = tx[r.tree as usize].get(id_key(r.id))?;
    check_found(r, bytes.as_deref()).map_err(abort)
}

/// [`check_ref`] once the referred record's bytes (`None`: absent) are read.
fn check_found(r: &super::keys::Ref, bytes: Option<&[u8]>) -> StoreResult<()> {
    let Some(bytes) = bytes else {
        return Err(StoreError::BadReference {
            field: r.field,
            noun: r.noun,
            id: r.shown.clone(),
        });
    };
    if let Some(peer) = r.goal_of {
        let goal: Record<Goal> =
            decode(bytes, NAMES[T::Goals as usize]).map_err(|detail| StoreError::Corrupt {
                path: PathBuf::new(),
                detail,
            })?;
        if goal.peer != peer {
            return Err(StoreError::Invalid(ValidationError::one(
                r.field,
                format!(
                    "goal {} is on the plan of peer {}, not of peer {peer}",
                    r.shown, goal.peer
                ),
            )));
        }
    }
    Ok(())
}

fn read_u64(tx: &TransactionalTree, k: &[u8]) -> Result<u64, Abort> {
    Ok(tx
        .get(k)?
        .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
        .unwrap_or(0))
}

fn next_id(tx: &[TransactionalTree], tree: T) -> Result<u64, Abort> {
    let meta = &tx[T::Meta as usize];
    let k = next_id_key(tree);
    let id = read_u64(meta, &k)?.max(1);
    meta.insert(k, &(id + 1).to_be_bytes())?;
    Ok(id)
}

/// Takes `n` consecutive ids of `tree` at once (a batch), returning the
/// first: one read and one write of the counter instead of one each per
/// record.
fn take_ids(tx: &[TransactionalTree], tree: T, n: u64) -> Result<u64, Abort> {
    let meta = &tx[T::Meta as usize];
    let k = next_id_key(tree);
    let first = read_u64(meta, &k)?.max(1);
    meta.insert(k, &first.saturating_add(n).to_be_bytes())?;
    Ok(first)
}

fn bump_count(tx: &[TransactionalTree], tree: T, by: i64) -> Result<(), Abort> {
    let meta = &tx[T::Meta as usize];
    let k = count_key(tree);
    let n = read_u64(meta, &k)?.saturating_add_signed(by);
    meta.insert(k, &n.to_be_bytes())?;
    Ok(())
}

/// The void of a record about to be voided: refused if it already is, or
/// if the reason is empty or too long (named as the field "reason").
fn void_of(current: &Option<Void>, id: &str, reason: String, actor: &Actor) -> StoreResult<Void> {
    if let Some(v) = current {
        return Err(StoreError::Refused(format!(
            "{id} was already voided on {} ({})",
            v.at.format("%Y-%m-%d"),
            crate::text::escape_line(&v.reason)
        )));
    }
    let mut c = Checker::new();
    c.ensure(!reason.trim().is_empty(), "reason", "say why it is voided");
    c.text("reason", &reason, MAX_NOTE_CHARS);
    c.finish()?;
    Ok(Void {
        at: Utc::now(),
        by: actor.clone(),
        reason,
    })
}

/// Kinds of record that can be voided.
trait Voidable {
    fn voided(&self) -> &Option<Void>;
}
impl Voidable for CheckIn {
    fn voided(&self) -> &Option<Void> {
        &self.voided
    }
}
impl Voidable for GroupSession {
    fn voided(&self) -> &Option<Void> {
        &self.voided
    }
}

impl SledStore {
    /// What a plain update keeps of the void state: the stored one, when
    /// the edit is based on the stored revision (otherwise the update is a
    /// conflict anyway).
    fn stored_void<E: Kept + Voidable>(&self, rec: &Record<E>) -> StoreResult<Option<Void>> {
        match self.get::<E>(rec.id.raw()) {
            Ok(cur) if cur.meta.revision == rec.meta.revision => Ok(cur.data.voided().clone()),
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(rec.data.voided().clone()),
            Err(e) => Err(e),
        }
    }
}

fn put_record<E: Kept>(tx: &[TransactionalTree], rec: &Record<E>) -> Result<(), Abort> {
    let bytes = encode(rec).map_err(|detail| {
        abort(StoreError::Corrupt {
            path: PathBuf::new(),
            detail,
        })
    })?;
    tx[E::TREE as usize].insert(&id_key(rec.id.raw()), bytes)?;
    for (t, k) in rec.data.index_entries(rec.id.raw()) {
        tx[t as usize].insert(k, &[])?;
    }
    Ok(())
}

fn put_new<E: Kept>(tx: &[TransactionalTree], rec: &Record<E>) -> Result<(), Abort> {
    put_record(tx, rec)?;
    add_to_summaries(tx, rec)?;
    bump_count(tx, E::TREE, 1)
}

/// Takes a new record into its peers' summaries (a record only adds, so
/// no scan is needed: it is newer than the summary's, or not).
fn add_to_summaries<E: Kept>(tx: &[TransactionalTree], rec: &Record<E>) -> Result<(), Abort> {
    let Some(fact) = rec.data.summary_fact(rec.id.raw()) else {
        return Ok(());
    };
    let tree = &tx[T::PeerSummary as usize];
    for peer in fact.peers() {
        let mut summary: Summary = match tree.get(id_key(peer))? {
            Some(v) => decode(&v, NAMES[T::PeerSummary as usize]).map_err(|detail| {
                abort(StoreError::Corrupt {
                    path: PathBuf::new(),
                    detail,
                })
            })?,
            None => Summary::default(),
        };
        let before = summary;
        summary.absorb(&fact);
        if summary != before {
            put_summaries(tx, &[(peer, summary)])?;
        }
    }
    Ok(())
}

/// Writes peer summaries worked out before the transaction (an empty one
/// is removed).
fn put_summaries(tx: &[TransactionalTree], summaries: &[(u64, Summary)]) -> Result<(), Abort> {
    let tree = &tx[T::PeerSummary as usize];
    for (peer, summary) in summaries {
        if summary.is_empty() {
            tree.remove(&id_key(*peer))?;
        } else {
            let bytes = encode(summary).map_err(|detail| {
                abort(StoreError::Corrupt {
                    path: PathBuf::new(),
                    detail,
                })
            })?;
            tree.insert(&id_key(*peer), bytes)?;
        }
    }
    Ok(())
}

fn remove_index<E: Kept>(tx: &[TransactionalTree], rec: &Record<E>) -> Result<(), Abort> {
    for (t, k) in rec.data.index_entries(rec.id.raw()) {
        tx[t as usize].remove(k)?;
    }
    Ok(())
}

impl Store for SledStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn counts(&self) -> StoreResult<Counts> {
        Ok(Counts {
            staff: self.count(T::Staff)?,
            peers: self.count(T::Peers)?,
            goals: self.count(T::Goals)?,
            checkins: self.count(T::CheckIns)?,
            groups: self.count(T::Groups)?,
            sessions: self.count(T::Sessions)?,
            resources: self.count(T::Resources)?,
            referrals: self.count(T::Referrals)?,
        })
    }

    fn settings(&self) -> StoreResult<Settings> {
        match self.meta().get(SETTINGS_KEY).map_err(|e| self.err(e))? {
            Some(v) => decode(&v, "settings").map_err(|d| self.corrupt(d)),
            None => Ok(Settings::default()),
        }
    }

    fn save_settings(&self, settings: &Settings, actor: &Actor) -> StoreResult<()> {
        settings.validate()?;
        let bytes = encode(settings).map_err(|d| self.corrupt(d))?;
        let entry = AuditEntry {
            at: Utc::now(),
            seq: self.audit_seq()?,
            actor: actor.clone(),
            peers: Vec::new(),
            event: AuditEvent::SettingsChanged,
        };
        self.write(|tx| {
            tx[T::Meta as usize].insert(SETTINGS_KEY, bytes.clone())?;
            audit::append(tx, &entry, 0)
        })?;
        self.notify(ChangeKind::Settings, String::new());
        Ok(())
    }

    fn create_staff(&self, staff: Staff, actor: &Actor) -> StoreResult<Record<Staff>> {
        self.create(staff, actor)
    }
    fn update_staff(&self, staff: &Record<Staff>, actor: &Actor) -> StoreResult<Record<Staff>> {
        self.update(staff, actor)
    }
    fn set_pin(&self, staff: StaffId, pin: Pin, actor: &Actor) -> StoreResult<Record<Staff>> {
        let hash = crate::ops::auth::pin_hash_for_store(&pin)?;
        let mut rec: Record<Staff> = self.get(staff.raw())?;
        rec.pin_hash = Some(hash);
        self.update(&rec, actor)
    }
    fn staff(&self, id: StaffId) -> StoreResult<Record<Staff>> {
        self.get(id.raw())
    }
    fn list_staff(&self) -> StoreResult<Vec<Record<Staff>>> {
        self.all()
    }

    fn create_peer(&self, peer: Peer, actor: &Actor) -> StoreResult<Record<Peer>> {
        self.create(peer, actor)
    }
    fn create_peers(&self, peers: Vec<Peer>, actor: &Actor) -> StoreResult<Vec<Record<Peer>>> {
        for (i, p) in peers.iter().enumerate() {
            p.validate().map_err(|e| {
                StoreError::Refused(format!("peer {} of {}: {e}", i + 1, peers.len()))
            })?;
        }
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let saved = self.write(|tx| {
            let mut out = Vec::with_capacity(peers.len());
            for (i, p) in peers.iter().enumerate() {
                check_refs(tx, p)?;
                let rec = Record {
                    id: Id::new(next_id(tx, T::Peers)?),
                    meta: Meta::created(now, actor),
                    data: p.clone(),
                };
                put_record(tx, &rec)?;
                let event = AuditEvent::Created {
                    kind: ChangeKind::Peer,
                    id: rec.id.to_string(),
                    revision: rec.meta.revision,
                };
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                audit::append(tx, &audit_entry(now, seq, actor, &rec, event), index)?;
                out.push(rec);
            }
            bump_count(tx, T::Peers, out.len() as i64)?;
            Ok(out)
        })?;
        for rec in &saved {
            self.notify(ChangeKind::Peer, rec.id.to_string());
        }
        Ok(saved)
    }
    fn update_peer(&self, peer: &Record<Peer>, actor: &Actor) -> StoreResult<Record<Peer>> {
        // Their episodes so far stay as saved.
        self.update_checked(peer, actor, |old| {
            Ok(old.data.check_amendment(&peer.data)?)
        })
    }
    fn delete_peer(&self, id: PeerId, actor: &Actor) -> StoreResult<()> {
        let prefix = id_key(id.raw());
        let uses = [
            (T::IxCheckInByPeer, "check-ins"),
            (T::IxGoalByPeer, "goals"),
            (T::IxAttendance, "group attendance"),
            (T::IxReferralByPeer, "referrals"),
            (T::IxConsentByPeer, "consents"),
            (T::IxDisclosureByPeer, "disclosures"),
            (T::IxAssessmentByPeer, "assessments"),
            (T::IxVisitByPeer, "visits"),
            (T::KioskCodes, "a kiosk code"),
        ];
        self.delete::<Peer>(id.raw(), actor, |peer| {
            for (t, what) in uses {
                if self.has_prefix(t, &prefix)? {
                    return Err(StoreError::InUseBy(format!(
                        "peer {} has {what} on record, so it cannot be deleted; set their status to discharged instead",
                        peer.id
                    )));
                }
            }
            Ok(())
        })
    }
    fn peer(&self, id: PeerId) -> StoreResult<Record<Peer>> {
        match self.get(id.raw()) {
            Err(StoreError::NotFound { .. }) if self.alias_of(id)?.is_some() => {
                let to = self.alias_of(id)?.unwrap_or(id);
                self.get(to.raw())
            }
            other => other,
        }
    }
    fn peer_view(&self, id: PeerId, recent: usize) -> StoreResult<PeerView> {
        let peer = self.peer(id)?;
        let assigned = match peer.assigned_staff {
            Some(s) => Some(self.staff(s)?),
            None => None,
        };
        Ok(PeerView {
            assigned,
            goals: self.goals_for_peer(peer.id)?,
            recent_checkins: self.recent_checkins(peer.id, recent)?,
            sessions: self.sessions_for_peer(peer.id)?,
            peer,
        })
    }
    fn list_peers(&self) -> StoreResult<Vec<Record<Peer>>> {
        self.all()
    }
    fn peers_by_id(&self, ids: Vec<PeerId>) -> StoreResult<Vec<Record<Peer>>> {
        self.peers_by_id_in(ids)
    }

    fn create_goal(&self, goal: Goal, actor: &Actor) -> StoreResult<Record<Goal>> {
        self.create(goal, actor)
    }
    fn update_goal(&self, goal: &Record<Goal>, actor: &Actor) -> StoreResult<Record<Goal>> {
        // A check-in may only touch its own peer's goals, so a goal that
        // check-ins link to cannot move to another peer's plan.
        // Its status changes and reviews so far stay as saved.
        self.update_checked(goal, actor, |old| {
            old.data.check_amendment(&goal.data)?;
            if old.peer != goal.peer && self.has_prefix(T::IxCheckInByGoal, &id_key(goal.id.raw()))? {
                return Err(StoreError::InUseBy(format!(
                    "goal {} is linked to check-ins with peer {}, so it cannot move to peer {}; add a new goal for peer {} instead",
                    goal.id, old.peer, goal.peer, goal.peer
                )));
            }
            Ok(())
        })
    }
    fn delete_goal(&self, id: GoalId, actor: &Actor) -> StoreResult<()> {
        let prefix = id_key(id.raw());
        self.delete::<Goal>(id.raw(), actor, |goal| {
            if self.has_prefix(T::IxCheckInByGoal, &prefix)? {
                return Err(StoreError::InUseBy(format!(
                    "goal {} is linked to check-ins, so it cannot be deleted; set its status to dropped instead",
                    goal.id
                )));
            }
            Ok(())
        })
    }
    fn goal(&self, id: GoalId) -> StoreResult<Record<Goal>> {
        self.get(id.raw())
    }
    fn goals_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<Goal>>> {
        self.by_index(self.tree(T::IxGoalByPeer).scan_prefix(id_key(peer.raw())))
    }
    fn goals_due_for_review(&self, date: NaiveDate) -> StoreResult<Vec<Record<Goal>>> {
        let end = date_key(date.succ_opt().unwrap_or(date));
        // Read in id order (neighbouring goals share a leaf, so each read
        // finds its path warm; in review order each went to another part
        // of the tree: 4,000 goals of 25,000), answered in review order.
        let mut ids = Vec::new();
        for (at, k) in self
            .tree(T::IxGoalByReview)
            .range(..end.to_vec())
            .keys()
            .enumerate()
        {
            let k = k.map_err(|e| self.err(e))?;
            let id = trailing_id(&k).ok_or_else(|| self.corrupt("short index key".into()))?;
            ids.push((id, at));
        }
        ids.sort_unstable();
        let mut due = Vec::with_capacity(ids.len());
        for (id, at) in ids {
            let goal: Record<Goal> = self.get(id).map_err(|e| match e {
                StoreError::NotFound { noun, id } => {
                    self.corrupt(format!("an index names {noun} {id}, which is missing"))
                }
                other => other,
            })?;
            if goal.review_due(date) {
                due.push((at, goal));
            }
        }
        due.sort_unstable_by_key(|(at, _)| *at);
        Ok(due.into_iter().map(|(_, g)| g).collect())
    }

    fn create_checkin(&self, checkin: CheckIn, actor: &Actor) -> StoreResult<Record<CheckIn>> {
        self.create(checkin, actor)
    }
    fn create_checkins(
        &self,
        checkins: Vec<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        for (i, c) in checkins.iter().enumerate() {
            c.validate().map_err(|e| {
                StoreError::Refused(format!("check-in {} of {}: {e}", i + 1, checkins.len()))
            })?;
        }
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let saved = self.write(|tx| {
            let mut out = Vec::with_capacity(checkins.len());
            let mut seen = std::collections::HashSet::new();
            let first = take_ids(tx, T::CheckIns, checkins.len() as u64)?;
            for (c, id) in checkins.iter().zip(first..) {
                check_refs_once(tx, c, &mut seen)?;
                let rec = Record {
                    id: Id::new(id),
                    meta: Meta::created(now, actor),
                    data: c.clone(),
                };
                put_record(tx, &rec)?;
                add_to_summaries(tx, &rec)?;
                out.push(rec);
            }
            bump_count(tx, T::CheckIns, out.len() as i64)?;
            // One entry for the batch: its ids are consecutive (numbered
            // in this transaction under the write lock), and it names
            // every peer, so "who touched P12?" still finds it.
            if let (Some(first), Some(last)) = (out.first(), out.last()) {
                let mut peers: Vec<PeerId> = out.iter().map(|r| r.peer).collect();
                peers.sort_unstable();
                peers.dedup();
                let event = if out.len() == 1 {
                    AuditEvent::Created {
                        kind: ChangeKind::CheckIn,
                        id: first.id.to_string(),
                        revision: first.meta.revision,
                    }
                } else {
                    AuditEvent::CreatedBatch {
                        kind: ChangeKind::CheckIn,
                        first: first.id.to_string(),
                        last: last.id.to_string(),
                        count: out.len() as u64,
                    }
                };
                let entry = AuditEntry {
                    at: now,
                    seq,
                    actor: actor.clone(),
                    peers,
                    event,
                };
                audit::append(tx, &entry, 0)?;
            }
            Ok(out)
        })?;
        for rec in &saved {
            self.notify(ChangeKind::CheckIn, rec.id.to_string());
        }
        Ok(saved)
    }
    fn update_checkin(
        &self,
        checkin: &Record<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>> {
        let mut rec = checkin.clone();
        rec.voided = self.stored_void(checkin)?;
        self.update(&rec, actor)
    }
    fn void_checkin(
        &self,
        id: CheckInId,
        reason: String,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>> {
        let mut rec: Record<CheckIn> = self.get(id.raw())?;
        rec.voided = Some(void_of(&rec.voided, &rec.id.to_string(), reason, actor)?);
        self.update(&rec, actor)
    }
    fn delete_checkin(&self, id: CheckInId, actor: &Actor) -> StoreResult<()> {
        self.delete::<CheckIn>(id.raw(), actor, |_| Ok(()))
    }
    fn checkin(&self, id: CheckInId) -> StoreResult<Record<CheckIn>> {
        self.get(id.raw())
    }
    fn recent_checkins(&self, peer: PeerId, limit: usize) -> StoreResult<Vec<Record<CheckIn>>> {
        let keys = self
            .tree(T::IxCheckInByPeer)
            .scan_prefix(id_key(peer.raw()))
            .rev()
            .take(limit);
        self.by_index(keys)
    }
    fn checkins_for_peer_between(
        &self,
        peer: PeerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        let p = id_key(peer.raw());
        let start = key(&[&p, &time_key(&from)]);
        let end = key(&[&p, &time_key(&to)]);
        self.by_index(self.tree(T::IxCheckInByPeer).range(start..end))
    }
    fn checkins_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<CheckIn>>> {
        self.by_index(self.tree(T::IxCheckInByDay).scan_prefix(date_key(date)))
    }
    fn checkins_for_goal(&self, goal: GoalId) -> StoreResult<Vec<Record<CheckIn>>> {
        self.by_index(
            self.tree(T::IxCheckInByGoal)
                .scan_prefix(id_key(goal.raw())),
        )
    }
    fn last_checkins_before(
        &self,
        before: DateTime<Utc>,
    ) -> StoreResult<HashMap<PeerId, LastCheckIn>> {
        Ok(self
            .summaries_before(before, None)?
            .into_iter()
            .filter_map(|(p, s)| s.last_checkin.map(|c| (p, c)))
            .collect())
    }
    fn today(
        &self,
        date: NaiveDate,
        for_staff: Option<StaffId>,
    ) -> StoreResult<crate::model::today::TodayReport> {
        // Nothing is kept while a bulk load fills the store: its batches
        // are written without a flush, so they would not end a kept answer.
        if self.loading() {
            return self.work_out_today(date, for_staff);
        }
        self.today_cache.answer(
            date,
            for_staff,
            &self.generation,
            || self.work_out_today(date, for_staff),
            || !self.loading(),
        )
    }
    fn peer_summaries(
        &self,
        before: DateTime<Utc>,
        attended_before: NaiveDate,
    ) -> StoreResult<HashMap<PeerId, PeerSummary>> {
        self.summaries_before(before, Some(attended_before))
    }
    fn followups_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        let start = date_key(from).to_vec();
        let end = to.succ_opt().map(|d| date_key(d).to_vec());
        match end {
            Some(end) => self.by_index(self.tree(T::IxFollowUp).range(start..end)),
            None => self.by_index(self.tree(T::IxFollowUp).range(start..)),
        }
    }
    fn checkins_page(
        &self,
        after: Option<CheckInId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        self.page(after.map(|a| a.raw()), limit)
    }

    fn create_group(&self, group: Group, actor: &Actor) -> StoreResult<Record<Group>> {
        self.create(group, actor)
    }
    fn update_group(&self, group: &Record<Group>, actor: &Actor) -> StoreResult<Record<Group>> {
        self.update(group, actor)
    }
    fn group(&self, id: GroupId) -> StoreResult<Record<Group>> {
        self.get(id.raw())
    }
    fn list_groups(&self) -> StoreResult<Vec<Record<Group>>> {
        self.all()
    }

    fn create_session(
        &self,
        session: GroupSession,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>> {
        self.create(session, actor)
    }
    fn update_session(
        &self,
        session: &Record<GroupSession>,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>> {
        let mut rec = session.clone();
        rec.voided = self.stored_void(session)?;
        self.update(&rec, actor)
    }
    fn void_session(
        &self,
        id: SessionId,
        reason: String,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>> {
        let mut rec: Record<GroupSession> = self.get(id.raw())?;
        rec.voided = Some(void_of(&rec.voided, &rec.id.to_string(), reason, actor)?);
        self.update(&rec, actor)
    }
    fn delete_session(&self, id: SessionId, actor: &Actor) -> StoreResult<()> {
        self.delete::<GroupSession>(id.raw(), actor, |_| Ok(()))
    }
    fn session(&self, id: SessionId) -> StoreResult<Record<GroupSession>> {
        self.get(id.raw())
    }
    fn sessions_for_group(&self, group: GroupId) -> StoreResult<Vec<Record<GroupSession>>> {
        let mut v: Vec<Record<GroupSession>> = self.by_index(
            self.tree(T::IxSessionByGroup)
                .scan_prefix(id_key(group.raw())),
        )?;
        v.reverse();
        Ok(v)
    }
    fn sessions_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<GroupSession>>> {
        self.by_index(self.tree(T::IxSessionByDay).scan_prefix(date_key(date)))
    }
    fn sessions_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<GroupSession>>> {
        let mut v: Vec<Record<GroupSession>> =
            self.by_index(self.tree(T::IxAttendance).scan_prefix(id_key(peer.raw())))?;
        v.reverse();
        Ok(v)
    }
    fn sessions_page(
        &self,
        after: Option<SessionId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<GroupSession>>> {
        self.page(after.map(|a| a.raw()), limit)
    }

    fn import(&self, snapshot: Snapshot, actor: &Actor) -> StoreResult<Counts> {
        // Held throughout: nothing else may write between the emptiness
        // check and the end of the import.
        let held = self.lock_writes();
        self.import_records(&held, &snapshot)?;
        let counts = self.counts()?;
        let records = counts.staff
            + counts.peers
            + counts.goals
            + counts.checkins
            + counts.groups
            + counts.sessions
            + counts.resources
            + counts.referrals;
        let entry = AuditEntry {
            at: Utc::now(),
            seq: self.audit_seq()?,
            actor: actor.clone(),
            peers: Vec::new(),
            event: AuditEvent::Imported { records },
        };
        // Clearing the marker and auditing the import are one step: the
        // import is either rolled back on the next open or on record.
        self.transact_held(&held, |tx| {
            tx[T::Meta as usize].remove(IMPORT_MARKER)?;
            audit::append(tx, &entry, 0)
        })?;
        drop(held);
        self.notify(ChangeKind::Everything, String::new());
        Ok(counts)
    }

    fn begin_load(&self, snapshot: Snapshot, _actor: &Actor) -> StoreResult<Counts> {
        self.begin_load_in(snapshot)
    }
    fn load_checkins(&self, checkins: Vec<CheckIn>, actor: &Actor) -> StoreResult<u64> {
        self.load_checkins_in(checkins, actor)
    }
    fn finish_load(&self, loaded: u64, actor: &Actor) -> StoreResult<Counts> {
        self.finish_load_in(loaded, actor)
    }

    fn create_resource(
        &self,
        resource: crate::model::Resource,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Resource>> {
        self.create(resource, actor)
    }
    fn update_resource(
        &self,
        resource: &Record<crate::model::Resource>,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Resource>> {
        self.update(resource, actor)
    }
    fn resource(
        &self,
        id: crate::model::ResourceId,
    ) -> StoreResult<Record<crate::model::Resource>> {
        self.get(id.raw())
    }
    fn list_resources(&self) -> StoreResult<Vec<Record<crate::model::Resource>>> {
        self.resource_list()
    }
    fn create_referral(
        &self,
        referral: crate::model::Referral,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Referral>> {
        self.create(referral, actor)
    }
    fn update_referral(
        &self,
        referral: &Record<crate::model::Referral>,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Referral>> {
        // Only a new status change: the making and history stay as saved.
        self.update_checked(referral, actor, |old| {
            Ok(old.data.check_amendment(&referral.data)?)
        })
    }
    fn referral(
        &self,
        id: crate::model::ReferralId,
    ) -> StoreResult<Record<crate::model::Referral>> {
        self.get(id.raw())
    }
    fn referrals_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<crate::model::Referral>>> {
        self.referrals_of_peer(peer)
    }
    fn open_referrals(&self) -> StoreResult<Vec<Record<crate::model::Referral>>> {
        self.open_referral_list()
    }
    fn referrals_page(
        &self,
        after: Option<crate::model::ReferralId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<crate::model::Referral>>> {
        self.referral_page(after, limit)
    }
    fn create_certification(
        &self,
        certification: Certification,
        actor: &Actor,
    ) -> StoreResult<Record<Certification>> {
        self.create_certification_here(certification, actor)
    }
    fn certifications(&self, staff: Option<StaffId>) -> StoreResult<Vec<Record<Certification>>> {
        self.certifications_here(staff)
    }
    fn create_ceu(&self, entry: CeuEntry, actor: &Actor) -> StoreResult<Record<CeuEntry>> {
        self.create_ceu_here(entry, actor)
    }
    fn ceu_entries(&self, staff: Option<StaffId>) -> StoreResult<Vec<Record<CeuEntry>>> {
        self.ceu_entries_here(staff)
    }
    fn create_supervision(
        &self,
        session: Supervision,
        actor: &Actor,
    ) -> StoreResult<Record<Supervision>> {
        self.create_supervision_here(session, actor)
    }
    fn supervisions(&self, staff: Option<StaffId>) -> StoreResult<Vec<Record<Supervision>>> {
        self.supervisions_here(staff)
    }
    fn credential_records(
        &self,
        staff: Option<StaffId>,
    ) -> StoreResult<crate::model::CredentialRecords> {
        self.credential_records_here(staff)
    }

    fn subscribe(&self) -> Option<Receiver<Change>> {
        let (tx, rx) = mpsc::channel();
        self.subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(tx);
        Some(rx)
    }

    fn record_event(&self, event: AuditEvent, actor: &Actor) -> StoreResult<()> {
        self.record_events(vec![event], actor)
    }

    fn record_events(&self, events: Vec<AuditEvent>, actor: &Actor) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let at = Utc::now();
        let mut entries = Vec::with_capacity(events.len());
        for event in events {
            entries.push(AuditEntry {
                at,
                seq: self.audit_seq()?,
                actor: actor.clone(),
                peers: event.peers_named(),
                event,
            });
        }
        // Only the trail changes: kept Today answers stay good (this is
        // how every Today's own read is recorded).
        let held = self.lock_writes();
        self.refuse_while_filling()?;
        self.commit_held(&held, |tx| {
            for entry in &entries {
                audit::append(tx, entry, 0)?;
            }
            Ok(())
        })?;
        self.sync()
    }

    fn audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        audit::query(self.tree(T::Audit), filter, &self.path)
    }

    fn merge_peers(&self, from: PeerId, into: PeerId, actor: &Actor) -> StoreResult<Record<Peer>> {
        self.merge_peers_held(from, into, actor)
    }

    fn create_consent(
        &self,
        consent: crate::model::Consent,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Consent>> {
        self.consent_create(consent, actor)
    }
    fn revoke_consent(
        &self,
        id: crate::model::ConsentId,
        revocation: crate::model::Revocation,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Consent>> {
        self.consent_revoke(id, revocation, actor)
    }
    fn consent(&self, id: crate::model::ConsentId) -> StoreResult<Record<crate::model::Consent>> {
        self.get(id.raw())
    }
    fn consents_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<crate::model::Consent>>> {
        self.consents_of(peer)
    }
    fn list_consents(&self) -> StoreResult<Vec<Record<crate::model::Consent>>> {
        self.all()
    }
    fn consents_expiring_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Record<crate::model::Consent>>> {
        self.consents_expiring(from, to)
    }
    fn record_disclosure(
        &self,
        disclosure: crate::model::Disclosure,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Disclosure>> {
        self.disclosure_record(disclosure, actor)
    }
    fn disclosures_for_peer(
        &self,
        peer: PeerId,
    ) -> StoreResult<Vec<Record<crate::model::Disclosure>>> {
        self.disclosures_of(peer)
    }
    fn disclosures_page(
        &self,
        after: Option<crate::model::DisclosureId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<crate::model::Disclosure>>> {
        self.disclosure_page(after, limit)
    }
    fn create_assessment(
        &self,
        assessment: crate::model::Assessment,
        actor: &Actor,
    ) -> StoreResult<Record<crate::model::Assessment>> {
        self.create_assessment_in(assessment, actor)
    }
    fn assessment(
        &self,
        id: crate::model::AssessmentId,
    ) -> StoreResult<Record<crate::model::Assessment>> {
        self.get(id.raw())
    }
    fn assessments_for_peer(
        &self,
        peer: PeerId,
    ) -> StoreResult<Vec<Record<crate::model::Assessment>>> {
        self.by_index(
            self.tree(T::IxAssessmentByPeer)
                .scan_prefix(id_key(peer.raw())),
        )
    }
    fn latest_assessments(&self) -> StoreResult<Vec<Record<crate::model::Assessment>>> {
        self.latest_assessments_in()
    }
    fn assessments_page(
        &self,
        after: Option<crate::model::AssessmentId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<crate::model::Assessment>>> {
        self.page(after.map(|a| a.raw()), limit)
    }
    fn delete_assessment(&self, id: crate::model::AssessmentId, actor: &Actor) -> StoreResult<()> {
        self.delete::<crate::model::Assessment>(id.raw(), actor, |_| Ok(()))
    }
    fn history_page(
        &self,
        after: Option<(CheckInId, u64)>,
        limit: usize,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        self.history_page_of(after, limit)
    }

    fn peer_aliases(&self) -> StoreResult<Vec<super::PeerAlias>> {
        self.aliases()
    }

    fn checkin_history(&self, id: CheckInId) -> StoreResult<Vec<Record<CheckIn>>> {
        // The check-in must exist (a missing one is NotFound, not "no history").
        self.get::<CheckIn>(id.raw())?;
        let mut out = Vec::new();
        for item in self.tree(T::CheckInHistory).scan_prefix(id_key(id.raw())) {
            let (_, v) = item.map_err(|e| self.err(e))?;
            out.push(decode(&v, NAMES[T::CheckInHistory as usize]).map_err(|d| self.corrupt(d))?);
        }
        Ok(out)
    }

    // The front desk (`sled_frontdesk.rs`).
    fn record_visit(&self, visit: Visit, actor: &Actor) -> StoreResult<Record<Visit>> {
        self.fd_record_visit(visit, actor)
    }
    fn sign_out_visit(
        &self,
        peer: PeerId,
        day: NaiveDate,
        at: NaiveTime,
        actor: &Actor,
    ) -> StoreResult<Record<Visit>> {
        self.fd_sign_out_visit(peer, day, at, actor)
    }
    fn visits_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<Visit>>> {
        self.fd_visits_on(date)
    }
    fn visits_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Record<Visit>>> {
        self.fd_visits_between(from, to)
    }
    fn visits_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<Visit>>> {
        self.fd_visits_for_peer(peer)
    }
    fn last_visits_before(&self, before: NaiveDate) -> StoreResult<HashMap<PeerId, NaiveDate>> {
        self.fd_last_visits_before(before)
    }
    fn pending_intakes(&self) -> StoreResult<Vec<Record<Intake>>> {
        self.fd_pending_intakes()
    }
    fn resolve_intake(
        &self,
        id: IntakeId,
        peer: Option<PeerId>,
        actor: &Actor,
    ) -> StoreResult<Option<Record<Visit>>> {
        self.fd_resolve_intake(id, peer, actor)
    }
    fn set_kiosk_code(&self, peer: PeerId, code: Option<String>, actor: &Actor) -> StoreResult<()> {
        self.fd_set_kiosk_code(peer, code, actor)
    }
    fn kiosk_codes(&self) -> StoreResult<HashMap<PeerId, String>> {
        self.fd_kiosk_codes()
    }
    fn enter_kiosk(&self, station: String, actor: &Actor) -> StoreResult<()> {
        self.fd_enter_kiosk(station, actor)
    }
    fn kiosk_sign_in(
        &self,
        typed: String,
        phone_digits: Option<String>,
        actor: &Actor,
    ) -> StoreResult<KioskReply> {
        self.fd_kiosk_sign_in(typed, phone_digits, actor)
    }
    fn kiosk_new_here(&self, first_name: String, actor: &Actor) -> StoreResult<()> {
        self.fd_kiosk_new_here(first_name, actor)
    }
    fn leave_kiosk(&self, pin: Pin, _actor: &Actor) -> StoreResult<Option<Record<Staff>>> {
        self.fd_leave_kiosk(pin)
    }
}

impl SledStore {
    /// The peer a merged id now answers as, if it was merged.
    fn alias_of(&self, id: PeerId) -> StoreResult<Option<PeerId>> {
        let got = self
            .tree(T::PeerAliases)
            .get(id_key(id.raw()))
            .map_err(|e| self.err(e))?;
        Ok(got
            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
            .map(PeerId::new))
    }

    /// The ids under `prefix` in index `t` (the record id ends each key).
    fn ids_under(&self, t: T, prefix: &[u8]) -> StoreResult<Vec<u64>> {
        let mut out = Vec::new();
        for item in self.tree(t).scan_prefix(prefix) {
            let (k, _) = item.map_err(|e| self.err(e))?;
            if let Some(id) = trailing_id(&k) {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }

    fn merge_peers_held(
        &self,
        from: PeerId,
        into: PeerId,
        actor: &Actor,
    ) -> StoreResult<Record<Peer>> {
        if from == into {
            return Err(StoreError::Refused(format!(
                "{from} cannot be merged into itself"
            )));
        }
        let now = Utc::now();
        let seq = self.audit_seq()?;
        let held = self.lock_writes();
        let gone: Record<Peer> = self.get(from.raw())?;
        let kept: Record<Peer> = self.get(into.raw())?;
        let p = id_key(from.raw());
        let checkins = self.ids_under(T::IxCheckInByPeer, &p)?;
        let goals = self.ids_under(T::IxGoalByPeer, &p)?;
        let sessions = self.ids_under(T::IxAttendance, &p)?;
        let referrals = self.ids_under(T::IxReferralByPeer, &p)?;
        let consents = self.ids_under(T::IxConsentByPeer, &p)?;
        let disclosures = self.ids_under(T::IxDisclosureByPeer, &p)?;
        let assessments = self.ids_under(T::IxAssessmentByPeer, &p)?;
        let visits = self.fd_merge_plan(from, into)?;
        // Every check-in and session of `from` becomes `into`'s: the kept
        // peer's summary takes the newer of both, `from`'s entry goes.
        let mut merged = self.summary(into.raw())?;
        merged.merge(&self.summary(from.raw())?);
        let summaries = [(into.raw(), merged), (from.raw(), Summary::default())];
        // Ids merged into `from` earlier now point at `into`.
        let mut earlier = Vec::new();
        for item in self.tree(T::PeerAliases).iter() {
            let (k, v) = item.map_err(|e| self.err(e))?;
            if v.as_ref() == p {
                earlier.push(k.to_vec());
            }
        }
        let saved = self.write_held(&held, |tx| {
            let mut n = 0u32;
            let mut log = |tx: &[TransactionalTree], entry: AuditEntry| {
                n += 1;
                audit::append(tx, &entry, n)
            };
            for id in &checkins {
                let old: Record<CheckIn> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.peer = into;
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            for id in &goals {
                let old: Record<Goal> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.peer = into;
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            for id in &referrals {
                let old: Record<crate::model::Referral> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.peer = into;
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            for id in &assessments {
                let old: Record<crate::model::Assessment> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.peer = into;
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            for id in &sessions {
                let old: Record<GroupSession> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.attendees.retain(|a| *a != from);
                if !data.attendees.contains(&into) {
                    data.attendees.push(into);
                }
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            for id in &consents {
                let old: Record<crate::model::Consent> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.peer = into;
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            for id in &disclosures {
                let old: Record<crate::model::Disclosure> = tx_get(tx, *id)?;
                let mut data = old.data.clone();
                data.peer = into;
                log(tx, moved(tx, &old, data, now, seq, actor)?)?;
            }
            SledStore::fd_merge_in_tx(tx, &visits, from, into, now, seq, actor, &mut log)?;
            put_summaries(tx, &summaries)?;
            let old: Record<Peer> = tx_get(tx, from.raw())?;
            remove_index(tx, &old)?;
            tx[T::Peers as usize].remove(&id_key(from.raw()))?;
            bump_count(tx, T::Peers, -1)?;
            let mut entry = audit_entry(
                now,
                seq,
                actor,
                &old,
                AuditEvent::Deleted {
                    kind: ChangeKind::Peer,
                    id: old.id.to_string(),
                    revision: old.meta.revision,
                },
            );
            entry.peers.push(into);
            log(tx, entry)?;
            log(
                tx,
                AuditEntry {
                    at: now,
                    seq,
                    actor: actor.clone(),
                    peers: vec![from, into],
                    event: AuditEvent::Merged { from, into },
                },
            )?;
            tx[T::PeerAliases as usize].insert(&p, &id_key(into.raw()))?;
            for k in &earlier {
                tx[T::PeerAliases as usize].insert(k.as_slice(), &id_key(into.raw()))?;
            }
            // The kept peer's revision moves on, so the merge shows on it.
            let kept: Record<Peer> = tx_get(tx, into.raw())?;
            let mut data = kept.data.clone();
            for t in &gone.tags {
                if !data.tags.contains(t) {
                    data.tags.push(t.clone());
                }
            }
            let entry = moved(tx, &kept, data, now, seq, actor)?;
            let new: Record<Peer> = tx_get(tx, into.raw())?;
            log(tx, entry)?;
            Ok(new)
        })?;
        drop(held);
        let _ = kept;
        self.notify(ChangeKind::Everything, String::new());
        Ok(saved)
    }
}

/// Saves `data` as the next revision of `old` inside a transaction and
/// returns the audit entry that says so (for a merge).
fn moved<E: Kept + Audited>(
    tx: &[TransactionalTree],
    old: &Record<E>,
    data: E,
    now: DateTime<Utc>,
    seq: u64,
    actor: &Actor,
) -> Result<AuditEntry, Abort> {
    if let Some(history) = E::HISTORY {
        keep_version(tx, history, old)?;
    }
    remove_index(tx, old)?;
    let new = Record {
        id: old.id,
        meta: old.meta.next(now, actor),
        data,
    };
    put_record(tx, &new)?;
    let mut entry = audit_entry(
        now,
        seq,
        actor,
        &new,
        AuditEvent::Updated {
            kind: E::KIND,
            id: new.id.to_string(),
            from_revision: old.meta.revision,
            to_revision: new.meta.revision,
        },
    );
    entry.peers.extend(old.data.peers_of(old.id.raw()));
    Ok(entry)
}

/// Keeps `old` (the version a change replaces) in the history tree, keyed
/// by its id and revision so versions list oldest first.
fn keep_version<E: Kept>(
    tx: &[TransactionalTree],
    history: T,
    old: &Record<E>,
) -> Result<(), Abort> {
    let bytes = encode(old).map_err(|detail| {
        abort(StoreError::Corrupt {
            path: PathBuf::new(),
            detail,
        })
    })?;
    let k = key(&[&id_key(old.id.raw()), &old.meta.revision.to_be_bytes()]);
    tx[history as usize].insert(k, bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::model::{LifeDomain, Role};

    fn opts() -> OpenOptions {
        OpenOptions {
            cache_bytes: 4 * 1024 * 1024,
            lock_wait: Duration::from_secs(10),
            ..OpenOptions::default()
        }
    }

    fn actor() -> Actor {
        Actor::login("tester")
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn version_on_disk(store: &SledStore) -> u32 {
        let v = store.meta().get(schema::VERSION_KEY).unwrap().unwrap();
        u32::from_be_bytes(v.as_ref().try_into().unwrap())
    }

    #[test]
    fn a_panic_inside_sled_becomes_corrupt_naming_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_guarded(dir.path(), Duration::ZERO, || {
            panic!("fucked up tree traversal")
        })
        .expect_err("a panic is an error");
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
        assert!(
            msg.contains("sled failed while reading it: fucked up tree traversal"),
            "{msg}"
        );
    }

    #[test]
    fn the_lock_is_retried_until_the_wait_is_over() {
        let dir = tempfile::tempdir().unwrap();
        let calls = AtomicUsize::new(0);
        let started = Instant::now();
        let err = open_guarded(dir.path(), Duration::from_millis(200), || {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(sled::Error::Io(std::io::Error::other(
                "could not acquire lock on \"db\": WouldBlock",
            )))
        })
        .expect_err("never got the lock");
        assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert!(calls.load(Ordering::SeqCst) >= 3, "it kept trying");

        // Other I/O errors are not retried.
        let calls = AtomicUsize::new(0);
        let err = open_guarded(dir.path(), Duration::from_secs(5), || {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(sled::Error::Io(std::io::Error::from(
                std::io::ErrorKind::PermissionDenied,
            )))
        })
        .expect_err("permission denied");
        assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    /// Version 1 → 2 in the test: every peer's display name in capitals.
    fn shout_names(db: &sled::Db) -> Result<(), String> {
        let peers = db
            .open_tree(NAMES[T::Peers as usize])
            .map_err(|e| e.to_string())?;
        for kv in peers.iter() {
            let (k, v) = kv.map_err(|e| e.to_string())?;
            let mut p: Record<Peer> = decode(&v, "peers")?;
            p.display_name = p.display_name.to_uppercase();
            peers.insert(k, encode(&p)?).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    static FLAKY_CALLS: AtomicUsize = AtomicUsize::new(0);

    /// Version 2 → 3 in the test: fails the first time it runs.
    fn flaky_step(db: &sled::Db) -> Result<(), String> {
        if FLAKY_CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
            return Err("disk full".into());
        }
        let meta = db.open_tree("meta").map_err(|e| e.to_string())?;
        meta.insert(b"migrated_to_3", &[1])
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    static SHOUT_CALLS: AtomicUsize = AtomicUsize::new(0);

    fn counted_shout(db: &sled::Db) -> Result<(), String> {
        SHOUT_CALLS.fetch_add(1, Ordering::SeqCst);
        shout_names(db)
    }

    #[test]
    fn an_older_store_is_migrated_step_by_step() {
        let dir = tempfile::tempdir().unwrap();
        {
            let v1 = SledStore::open_versioned(dir.path(), &opts(), 1, &[]).unwrap();
            v1.create_peer(Peer::new("Jo Lee", day("2026-01-05")), &actor())
                .unwrap();
            v1.create_peer(Peer::new("Kim", day("2026-01-05")), &actor())
                .unwrap();
            assert_eq!(version_on_disk(&v1), 1);
        }
        // A build that knows version 2 but has no step to get there refuses.
        let err = SledStore::open_versioned(dir.path(), &opts(), 2, &[])
            .err()
            .expect("no migration");
        assert!(
            err.to_string()
                .contains("no migration from schema version 1"),
            "{err}"
        );

        let v2 = SledStore::open_versioned(dir.path(), &opts(), 2, &[shout_names]).unwrap();
        assert_eq!(version_on_disk(&v2), 2);
        let names: Vec<String> = v2
            .list_peers()
            .unwrap()
            .into_iter()
            .map(|p| p.data.display_name)
            .collect();
        assert_eq!(names, vec!["JO LEE", "KIM"]);
        assert_eq!(v2.counts().unwrap().peers, 2, "counts untouched");
        drop(v2);

        // The old build now meets a newer store and refuses it.
        let err = SledStore::open_versioned(dir.path(), &opts(), 1, &[])
            .err()
            .expect("newer");
        assert!(
            matches!(
                err,
                StoreError::NewerSchema {
                    found: 2,
                    supported: 1,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn an_interrupted_migration_resumes_where_it_stopped() {
        let dir = tempfile::tempdir().unwrap();
        {
            let v1 = SledStore::open_versioned(dir.path(), &opts(), 1, &[]).unwrap();
            v1.create_peer(Peer::new("Jo", day("2026-01-05")), &actor())
                .unwrap();
        }
        let steps: &[Migration] = &[counted_shout, flaky_step];
        let err = SledStore::open_versioned(dir.path(), &opts(), 3, steps)
            .err()
            .expect("the second step fails once");
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains("migration from version 2 failed: disk full"),
            "{msg}"
        );
        assert!(msg.contains(&dir.path().display().to_string()), "{msg}");

        let v3 = SledStore::open_versioned(dir.path(), &opts(), 3, steps).unwrap();
        assert_eq!(version_on_disk(&v3), 3);
        assert_eq!(
            SHOUT_CALLS.load(Ordering::SeqCst),
            1,
            "step 1 ran once only"
        );
        assert_eq!(FLAKY_CALLS.load(Ordering::SeqCst), 2);
        assert!(v3.meta().get(b"migrated_to_3").unwrap().is_some());
        assert_eq!(
            v3.peer(crate::model::PeerId::new(1)).unwrap().display_name,
            "JO"
        );
    }

    #[test]
    fn an_interrupted_import_is_rolled_back_on_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SledStore::open_with(dir.path(), &opts()).unwrap();
            assert!(!store.rolled_back_import());
            // What `import` does before the process dies part-way: marker,
            // settings, and the first sections.
            store.meta().insert(IMPORT_MARKER, &[1]).unwrap();
            store.flush().unwrap();
            let settings = Settings {
                organization_name: "Half imported".into(),
                ..Settings::default()
            };
            store
                .meta()
                .insert(SETTINGS_KEY, encode(&settings).unwrap())
                .unwrap();
            let now = Utc::now();
            let staff = Record {
                id: StaffId::new(7),
                meta: Meta::created(now, &actor()),
                data: Staff::new("Ana Ruiz", Role::Admin),
            };
            let peer = Record {
                id: PeerId::new(40),
                meta: Meta::created(now, &actor()),
                data: Peer::new("Jo", day("2026-01-05")),
            };
            let goal = Record {
                id: GoalId::new(3),
                meta: Meta::created(now, &actor()),
                data: Goal::new(peer.id, LifeDomain::Housing, "Flat", day("2026-01-05")),
            };
            let held = store.lock_writes();
            store.import_chunk(&held, &[staff]).unwrap();
            store.import_chunk(&held, &[peer]).unwrap();
            store.import_chunk(&held, &[goal]).unwrap();
            drop(held);
            assert_eq!(store.counts().unwrap().peers, 1);
            // The process dies here, before the marker is removed.
        }
        let store = SledStore::open_with(dir.path(), &opts()).unwrap();
        assert!(store.rolled_back_import());
        assert_eq!(store.counts().unwrap(), Counts::default());
        assert!(store.list_staff().unwrap().is_empty());
        assert!(store.list_peers().unwrap().is_empty());
        assert!(store.goals_for_peer(PeerId::new(40)).unwrap().is_empty());
        assert_eq!(store.settings().unwrap(), Settings::default());
        for t in INDEX_TREES {
            assert!(
                store.tree(t).is_empty(),
                "{} not cleared",
                NAMES[t as usize]
            );
        }
        // Ids start again from 1, and an import is possible again.
        let p = store
            .create_peer(Peer::new("Kim", day("2026-01-05")), &actor())
            .unwrap();
        assert_eq!(p.id, PeerId::new(1));
        drop(store);
        let store = SledStore::open_with(dir.path(), &opts()).unwrap();
        assert!(!store.rolled_back_import(), "rolled back once, then done");
        assert_eq!(store.counts().unwrap().peers, 1);
    }

    /// An import or bulk load that failed and could not be undone leaves
    /// its marker: the next open empties the store, so until then no write
    /// may be accepted (it would be reported saved, then lost), and no
    /// import may start over it.
    #[test]
    fn no_write_is_accepted_while_an_unfinished_import_awaits_its_undo() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open_with(dir.path(), &opts()).unwrap();
        store.meta().insert(IMPORT_MARKER, &[1]).unwrap();
        store.flush().unwrap();
        let refused = store
            .create_peer(Peer::new("Kim", day("2026-01-05")), &actor())
            .unwrap_err();
        let msg = refused.to_string();
        assert!(matches!(refused, StoreError::Refused(_)), "{msg}");
        assert!(msg.contains("did not finish"), "{msg}");
        assert!(msg.contains("restart the caseload service"), "{msg}");
        let import = store.import(Snapshot::default(), &actor()).unwrap_err();
        assert!(import.to_string().contains("did not finish"), "{import}");
        drop(store);
        let store = SledStore::open_with(dir.path(), &opts()).unwrap();
        assert!(store.rolled_back_import());
        let p = store
            .create_peer(Peer::new("Kim", day("2026-01-05")), &actor())
            .unwrap();
        assert_eq!(p.id, PeerId::new(1));
    }

    /// A schema 2 store (no peer summaries) gains them when opened: the
    /// migration builds the same summaries the writes keep, voids left out.
    #[test]
    fn a_schema_2_store_gains_peer_summaries() {
        use chrono::{FixedOffset, TimeZone};
        let dir = tempfile::tempdir().unwrap();
        let when = |d: u32, h: u32| {
            FixedOffset::east_opt(0)
                .unwrap()
                .with_ymd_and_hms(2026, 2, d, h, 0, 0)
                .unwrap()
        };
        let before = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let kept = {
            let store = SledStore::open_with(dir.path(), &opts()).unwrap();
            let staff = store
                .create_staff(Staff::new("Ana", Role::Admin), &actor())
                .unwrap();
            let jo = store
                .create_peer(Peer::new("Jo", day("2026-01-05")), &actor())
                .unwrap();
            let kim = store
                .create_peer(Peer::new("Kim", day("2026-01-05")), &actor())
                .unwrap();
            store
                .create_checkin(CheckIn::new(jo.id, staff.id, when(3, 10)), &actor())
                .unwrap();
            let newest = store
                .create_checkin(CheckIn::new(jo.id, staff.id, when(4, 10)), &actor())
                .unwrap();
            store
                .void_checkin(newest.id, "mistake".into(), &actor())
                .unwrap();
            store
                .create_checkin(CheckIn::new(kim.id, staff.id, when(5, 9)), &actor())
                .unwrap();
            let g = store
                .create_group(
                    Group::new(
                        "WRAP",
                        chrono::Weekday::Tue,
                        chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
                    ),
                    &actor(),
                )
                .unwrap();
            let mut sess = GroupSession::for_group(g.id, &g, day("2026-02-03"));
            sess.attendees = vec![jo.id];
            store.create_session(sess, &actor()).unwrap();
            let kept = store.peer_summaries(before, day("2026-03-01")).unwrap();
            assert_eq!(kept.len(), 2);
            // Make it a schema 2 store: no summaries yet.
            store.tree(T::PeerSummary).clear().unwrap();
            schema::write_version(&store.db, dir.path(), 2).unwrap();
            assert!(store
                .peer_summaries(before, day("2026-03-01"))
                .unwrap()
                .is_empty());
            kept
        };
        let store = SledStore::open_with(dir.path(), &opts()).unwrap();
        assert_eq!(version_on_disk(&store), SCHEMA_VERSION);
        let rebuilt = store.peer_summaries(before, day("2026-03-01")).unwrap();
        assert_eq!(rebuilt, kept);
        let jo = &rebuilt[&PeerId::new(1)];
        assert_eq!(
            jo.last_checkin.as_ref().map(|c| c.id),
            Some(CheckInId::new(1)),
            "the voided newer one is left out"
        );
        assert_eq!(jo.last_attended, Some(day("2026-02-03")));
        // Run again (an interrupted migration resumed): the same.
        schema::rebuild_peer_summaries(&store.db).unwrap();
        assert_eq!(
            store.peer_summaries(before, day("2026-03-01")).unwrap(),
            kept
        );
    }

    /// A store keeps the compression it was created with, whatever the
    /// options of a later open say (sled refuses to change it); new stores
    /// are uncompressed unless asked.
    #[test]
    fn compression_is_fixed_when_a_store_is_created() {
        let compressed = OpenOptions {
            compress_new: true,
            ..opts()
        };
        let plain = tempfile::tempdir().unwrap();
        drop(SledStore::open_with(plain.path(), &opts()).unwrap());
        assert_eq!(stored_compression(plain.path()), Some(false));
        drop(SledStore::open_with(plain.path(), &compressed).unwrap());
        assert_eq!(stored_compression(plain.path()), Some(false));

        let packed = tempfile::tempdir().unwrap();
        assert_eq!(stored_compression(packed.path()), None);
        drop(SledStore::open_with(packed.path(), &compressed).unwrap());
        assert_eq!(stored_compression(packed.path()), Some(true));
        drop(SledStore::open_with(packed.path(), &opts()).unwrap());
        assert_eq!(stored_compression(packed.path()), Some(true));
    }

    /// Schema 1 stores (check-ins and sessions without `voided`) open in
    /// this build: the real migration appends the missing field, once,
    /// and a pass run again (an interrupted migration resumed) changes
    /// nothing.
    #[test]
    fn a_schema_1_store_gains_void_fields_and_keeps_every_record() {
        use chrono::{FixedOffset, TimeZone};
        let dir = tempfile::tempdir().unwrap();
        let (c_id, s_id) = {
            let v1 = SledStore::open_versioned(dir.path(), &opts(), 1, &[]).unwrap();
            let staff = v1
                .create_staff(Staff::new("Ana", Role::Admin), &actor())
                .unwrap();
            let p = v1
                .create_peer(Peer::new("Jo Lee", day("2026-01-05")), &actor())
                .unwrap();
            let at = FixedOffset::east_opt(0)
                .unwrap()
                .with_ymd_and_hms(2026, 2, 3, 10, 0, 0)
                .unwrap();
            let mut c = CheckIn::new(p.id, staff.id, at);
            c.note = "first visit".into();
            let c = v1.create_checkin(c, &actor()).unwrap();
            let g = v1
                .create_group(
                    Group::new(
                        "WRAP",
                        chrono::Weekday::Tue,
                        chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
                    ),
                    &actor(),
                )
                .unwrap();
            let mut sess = GroupSession::for_group(g.id, &g, day("2026-02-03"));
            sess.attendees = vec![p.id];
            let sess = v1.create_session(sess, &actor()).unwrap();
            // Write them back as schema 1 did: without the last field.
            for t in [T::CheckIns, T::Sessions] {
                let tree = v1.tree(t);
                for kv in tree.iter() {
                    let (k, v) = kv.unwrap();
                    assert_eq!(v.last(), Some(&0), "None is one zero byte");
                    tree.insert(k, &v[..v.len() - 1]).unwrap();
                }
            }
            assert!(v1.checkin(c.id).is_err(), "unreadable as schema 2");
            v1.db.flush().unwrap();
            (c.id, sess.id)
        };
        let store = SledStore::open_with(dir.path(), &opts()).unwrap();
        assert_eq!(version_on_disk(&store), SCHEMA_VERSION);
        let c = store.checkin(c_id).unwrap();
        assert_eq!(c.note, "first visit");
        assert_eq!(c.voided, None);
        assert_eq!(store.session(s_id).unwrap().attendees.len(), 1);
        // Resumed on an already migrated store: nothing changes.
        MIGRATIONS[0](&store.db).unwrap();
        assert_eq!(store.checkin(c_id).unwrap(), c);
        // And voiding works on the migrated record.
        let v = store
            .void_checkin(c_id, "duplicate".into(), &actor())
            .unwrap();
        assert_eq!(
            v.voided.as_ref().map(|v| v.reason.as_str()),
            Some("duplicate")
        );
        assert_eq!(v.meta.revision, 2);
    }
}
