//! The store directory's files: private whatever the umask, and on stable
//! storage before a write is reported saved.
//!
//! **Modes.** The store holds mental-health and substance-use notes and
//! the staff's PIN hashes, so nobody but the store's owner may read any
//! of it. Opening a store tightens the process umask to at least 077
//! (for the rest of the process: sled creates files later, such as new
//! snapshots, and caseload writes nothing that others should read), creates
//! the directory 0700, and then checks every file in it (sled's `db`,
//! `conf`, `snap.*`, `blobs/`) and repairs any whose group or others
//! could read it to 0600 (directories 0700), saying so on the log (standard
//! error for commands) with the path and the old mode. The directory may
//! be 0710 (the group may pass through it to reach the server's socket,
//! see `serve --group`) but never readable by the group. Sockets are left
//! to the server; symbolic links are neither followed nor changed.
//!
//! **Durability.** sled 0.34 acknowledges `flush()` after
//! `sync_file_range` only, which neither empties the drive's write cache
//! nor records the file's new size. After every flush the store
//! `fdatasync`s its `db` file through a descriptor it keeps open for its
//! whole life, and syncs any file sled has newly written beside it (blobs)
//! and the directories that gained entries (new blobs and snapshots).
//! Opening syncs the directory once (sled renames a fresh snapshot into
//! place at every open without doing so; a new store also syncs `conf`
//! and the parent directory). One check-in therefore costs one disk sync
//! in the normal case; the count is kept so that tests can hold it to
//! that.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::fsutil::{sync_dir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE};

use super::error::{StoreError, StoreResult};

/// The group may search (not list) the store directory when the server
/// shares its socket with a group.
const GROUP_SEARCH: u32 = 0o010;
/// How deep below the store directory modes are checked (sled uses one
/// level, `blobs/`).
const MAX_DEPTH: usize = 3;

/// A file or directory of the store whose mode opening the store
/// tightened, kept so that the caller (and tests) can say what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeRepair {
    /// The file or directory.
    pub path: PathBuf,
    /// Its permission bits before.
    pub was: u32,
    /// Its permission bits now.
    pub now: u32,
}

impl fmt::Display for ModeRepair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "made {} private: its mode was {:04o}, now {:04o}",
            crate::text::escape_line(&self.path.display().to_string()),
            self.was,
            self.now
        )
    }
}

fn io_err(dir: &Path, what: &str, path: &Path, e: io::Error) -> StoreError {
    StoreError::Io {
        path: dir.to_path_buf(),
        cause: io::Error::new(e.kind(), format!("{what} {}: {e}", path.display())),
    }
}

/// Makes every file this process creates from now on private: the umask
/// keeps whatever it already took away and takes group and other access
/// too. Process-wide by nature; it only ever tightens, so calling it from
/// several threads is harmless.
pub(crate) fn restrict_umask() {
    // SAFETY: umask(2) only swaps the process's mask; it has no
    // memory-safety preconditions and cannot fail.
    unsafe {
        let old = libc::umask(0o077);
        libc::umask(old | 0o077);
    }
}

fn perm_bits(m: &fs::Metadata) -> u32 {
    m.permissions().mode() & 0o7777
}

/// What [`before_open`] found, for [`after_open`].
pub(crate) struct Prepared {
    /// The store had no `db` file yet: the files sled is about to create
    /// must be synced once, with their directory.
    fresh: bool,
    repairs: Vec<ModeRepair>,
}

/// Before sled opens `dir`: the umask tightened, the directory created
/// 0700 (or its mode repaired). A path that is not a directory is left for
/// the open itself to report.
pub(crate) fn before_open(dir: &Path) -> StoreResult<Prepared> {
    restrict_umask();
    let fresh = fs::symlink_metadata(dir.join("db")).is_err();
    let mut repairs = Vec::new();
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Parents made on the way are private too (they are usually
            // caseload's own data folder).
            fs::DirBuilder::new()
                .recursive(true)
                .mode(PRIVATE_DIR_MODE)
                .create(dir)
                .map_err(|e| io_err(dir, "cannot create", dir, e))?;
            repair_dir(dir, dir, &mut repairs)?;
        }
        Ok(m) if m.is_dir() => repair_dir(dir, dir, &mut repairs)?,
        _ => {}
    }
    Ok(Prepared { fresh, repairs })
}

/// The store directory's mode is fine when neither group nor others can
/// read or write it; the group may have search (x) only.
fn dir_mode_ok(mode: u32) -> bool {
    mode & 0o077 & !GROUP_SEARCH == 0
}

fn repair_dir(store: &Path, dir: &Path, repairs: &mut Vec<ModeRepair>) -> StoreResult<()> {
    let m = fs::metadata(dir).map_err(|e| io_err(store, "cannot look at", dir, e))?;
    let was = perm_bits(&m);
    let ok = if dir == store {
        dir_mode_ok(was)
    } else {
        was & 0o077 == 0
    };
    if !ok {
        set_mode(store, dir, was, PRIVATE_DIR_MODE, repairs)?;
    }
    Ok(())
}

fn set_mode(
    store: &Path,
    path: &Path,
    was: u32,
    now: u32,
    repairs: &mut Vec<ModeRepair>,
) -> StoreResult<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(now)).map_err(|e| {
        io_err(
            store,
            &format!("cannot make private (mode {was:04o})"),
            path,
            e,
        )
    })?;
    let repair = ModeRepair {
        path: path.to_path_buf(),
        was,
        now,
    };
    tracing::warn!("{repair}");
    repairs.push(repair);
    Ok(())
}

/// Repairs every regular file below `dir` to 0600 and every directory to
/// 0700, without following links; sockets and other special files are
/// left alone.
fn repair_below(
    store: &Path,
    dir: &Path,
    depth: usize,
    repairs: &mut Vec<ModeRepair>,
) -> StoreResult<()> {
    let entries = fs::read_dir(dir).map_err(|e| io_err(store, "cannot list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_err(store, "cannot list", dir, e))?;
        let path = entry.path();
        // symlink_metadata: a link is seen as a link, never its target.
        let m = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err(store, "cannot look at", &path, e)),
        };
        let was = perm_bits(&m);
        let kind = m.file_type();
        if kind.is_file() {
            if was & 0o077 != 0 {
                set_mode(store, &path, was, PRIVATE_FILE_MODE, repairs)?;
            }
        } else if kind.is_dir() {
            repair_dir(store, &path, repairs)?;
            if depth < MAX_DEPTH {
                repair_below(store, &path, depth + 1, repairs)?;
            }
        }
    }
    Ok(())
}

/// The store's own file handling, kept for its whole life: the repairs
/// made at open and the durable-flush state.
pub(crate) struct StoreFiles {
    dir: PathBuf,
    /// A descriptor of `db` (read-only: `fdatasync` works through any).
    db: File,
    /// Files beside `db` already on stable storage, with their length then.
    synced: Mutex<BTreeMap<PathBuf, u64>>,
    syncs: AtomicU64,
    repairs: Vec<ModeRepair>,
}

/// After sled opened `dir`: every file in it checked and made private,
/// the descriptor for syncing `db` opened, and a new store's files and
/// directory synced once.
pub(crate) fn after_open(dir: &Path, prepared: Prepared) -> StoreResult<StoreFiles> {
    let Prepared { fresh, mut repairs } = prepared;
    repair_dir(dir, dir, &mut repairs)?;
    repair_below(dir, dir, 1, &mut repairs)?;
    let db_path = dir.join("db");
    let db = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(&db_path)
        .map_err(|e| io_err(dir, "cannot open", &db_path, e))?;
    let files = StoreFiles {
        dir: dir.to_path_buf(),
        db,
        synced: Mutex::new(BTreeMap::new()),
        syncs: AtomicU64::new(0),
        repairs,
    };
    let found = files.scan()?;
    if fresh {
        // sled writes `conf` without syncing it, and does not sync the
        // directories that gained `db`, `conf` and `blobs/`.
        for path in found.keys() {
            files.sync_file(path)?;
        }
        files.sync_data()?;
        files.sync_dir(&dir.join("blobs"))?;
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            files.sync_dir(parent)?;
        }
    }
    // sled writes a new snapshot at every open and renames it into place
    // (removing the old one) without syncing the directory: make that
    // durable before any write relies on it.
    files.sync_dir(dir)?;
    *files.lock() = found;
    Ok(files)
}

impl StoreFiles {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<PathBuf, u64>> {
        self.synced.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn err(&self, what: &str, path: &Path, e: io::Error) -> StoreError {
        io_err(&self.dir, what, path, e)
    }

    /// The regular files in the store directory and `blobs/` other than
    /// `db`, with their lengths.
    fn scan(&self) -> StoreResult<BTreeMap<PathBuf, u64>> {
        let mut found = BTreeMap::new();
        for dir in [self.dir.clone(), self.dir.join("blobs")] {
            let entries = match fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(self.err("cannot list", &dir, e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| self.err("cannot list", &dir, e))?;
                let path = entry.path();
                if path == self.dir.join("db") {
                    continue;
                }
                // DirEntry::metadata does not follow links.
                match entry.metadata() {
                    Ok(m) if m.is_file() => {
                        found.insert(path, m.len());
                    }
                    _ => {}
                }
            }
        }
        Ok(found)
    }

    fn count(&self) {
        self.syncs.fetch_add(1, Ordering::Relaxed);
    }

    fn sync_data(&self) -> StoreResult<()> {
        self.count();
        self.db
            .sync_data()
            .map_err(|e| self.err("cannot sync", &self.dir.join("db"), e))
    }

    fn sync_file(&self, path: &Path) -> StoreResult<()> {
        let f = match fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
        {
            Ok(f) => f,
            // sled removed it meanwhile (an old snapshot or blob).
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(self.err("cannot open", path, e)),
        };
        self.count();
        f.sync_data().map_err(|e| self.err("cannot sync", path, e))
    }

    fn sync_dir(&self, dir: &Path) -> StoreResult<()> {
        self.count();
        match sync_dir(dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other.map_err(|e| self.err("cannot sync", dir, e)),
        }
    }

    /// Called after every sled flush, before a write is reported saved:
    /// `db` to stable storage, plus any file sled added or grew beside it
    /// (blobs; snapshots sled syncs itself) and the directories whose
    /// entries changed.
    pub(crate) fn sync(&self) -> StoreResult<()> {
        self.sync_data()?;
        let mut synced = self.lock();
        let found = self.scan()?;
        let mut dirs = Vec::new();
        for (path, len) in &found {
            if synced.get(path) == Some(len) {
                continue;
            }
            let parent = path.parent().unwrap_or(&self.dir).to_path_buf();
            if parent != self.dir {
                // A blob: sled writes it without syncing.
                self.sync_file(path)?;
            }
            if !synced.contains_key(path) && !dirs.contains(&parent) {
                dirs.push(parent);
            }
        }
        for dir in &dirs {
            self.sync_dir(dir)?;
        }
        *synced = found;
        Ok(())
    }

    /// How many disk syncs this store has asked for since it was opened.
    pub(crate) fn sync_count(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    /// The modes repaired when the store was opened.
    pub(crate) fn repairs(&self) -> &[ModeRepair] {
        &self.repairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_may_be_searchable_by_the_group_but_never_readable() {
        assert!(dir_mode_ok(0o700));
        assert!(dir_mode_ok(0o710));
        assert!(!dir_mode_ok(0o750));
        assert!(!dir_mode_ok(0o755));
        assert!(!dir_mode_ok(0o701));
        assert!(!dir_mode_ok(0o730));
    }

    #[test]
    fn a_repair_names_the_path_and_both_modes_with_controls_escaped() {
        let r = ModeRepair {
            path: PathBuf::from("/s/\u{1b}]0;x/db"),
            was: 0o644,
            now: 0o600,
        };
        let line = r.to_string();
        assert_eq!(
            line,
            "made /s/\\e]0;x/db private: its mode was 0644, now 0600"
        );
    }
}
