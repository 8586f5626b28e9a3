//! Schema version and migrations.
//!
//! The `meta` tree holds a format marker and the schema version. A store
//! written by a newer caseload is refused; an older one is migrated step by
//! step, each step in its own transaction-free pass followed by a flush and
//! the new version number, so an interrupted migration resumes where it
//! stopped.

use std::path::Path;

use super::error::{StoreError, StoreResult};

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 3;

/// Marks a sled database as a caseload store.
pub(crate) const FORMAT_KEY: &[u8] = b"format";
/// The marker's value.
pub(crate) const FORMAT_VALUE: &[u8] = b"caseload-store";
/// Where the schema version lives.
pub(crate) const VERSION_KEY: &[u8] = b"schema_version";

/// One migration step: rewrites a store of version `n` into version `n + 1`.
pub(crate) type Migration = fn(&sled::Db) -> Result<(), String>;

/// The steps from each old version: `MIGRATIONS[0]` takes version 1 to 2.
pub(crate) const MIGRATIONS: &[Migration] = &[add_void_fields, add_peer_episodes];

/// 1 → 2: check-ins and group sessions gained `voided` as their last field
/// (a record is encoded with its data last), so an old record becomes a
/// new one by one appended byte (postcard's `None`). Records that already
/// read as version 2 are left alone, so an interrupted pass resumes safely.
fn add_void_fields(db: &sled::Db) -> Result<(), String> {
    use super::keys::{NAMES, T};
    use crate::model::{CheckIn, GroupSession};
    fn pass<E: crate::model::Entity>(db: &sled::Db, name: &str) -> Result<(), String> {
        let tree = db.open_tree(name).map_err(|e| e.to_string())?;
        for item in tree.iter() {
            let (k, v) = item.map_err(|e| e.to_string())?;
            if super::codec::decode::<crate::model::Record<E>>(&v, name).is_ok() {
                continue;
            }
            let mut bytes = v.to_vec();
            bytes.push(0);
            super::codec::decode::<crate::model::Record<E>>(&bytes, name)
                .map_err(|e| format!("{e} (key {k:?})"))?;
            tree.insert(k, bytes).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
    pass::<CheckIn>(db, NAMES[T::CheckIns as usize])?;
    pass::<GroupSession>(db, NAMES[T::Sessions as usize])?;
    db.flush().map_err(|e| e.to_string())?;
    Ok(())
}

/// 2 → 3: peers gained `episodes` as their last field, so an old peer
/// record becomes a new one by one appended byte (postcard's empty list).
/// Records that already read as version 3 are left alone (resumable).
fn add_peer_episodes(db: &sled::Db) -> Result<(), String> {
    use super::keys::{NAMES, T};
    use crate::model::{Peer, Record};
    let name = NAMES[T::Peers as usize];
    let tree = db.open_tree(name).map_err(|e| e.to_string())?;
    for item in tree.iter() {
        let (k, v) = item.map_err(|e| e.to_string())?;
        if super::codec::decode::<Record<Peer>>(&v, name).is_ok() {
            continue;
        }
        let mut bytes = v.to_vec();
        bytes.push(0);
        super::codec::decode::<Record<Peer>>(&bytes, name)
            .map_err(|e| format!("{e} (key {k:?})"))?;
        tree.insert(k, bytes).map_err(|e| e.to_string())?;
    }
    db.flush().map_err(|e| e.to_string())?;
    Ok(())
}

/// Reads the version; `None` for a brand-new, empty database.
///
/// `had_data` says whether sled's `db` file held anything before sled
/// opened it. sled "recovers" a `db` file it cannot read as an empty
/// database (and rewrites the file), so an empty database that used to
/// have data is a damaged store, not a new one: starting a fresh caseload
/// over it would hide the loss.
pub(crate) fn read_version(db: &sled::Db, path: &Path, had_data: bool) -> StoreResult<Option<u32>> {
    let meta = db
        .open_tree("meta")
        .map_err(|e| super::sled_store::map_sled(e, path))?;
    let format = meta
        .get(FORMAT_KEY)
        .map_err(|e| super::sled_store::map_sled(e, path))?;
    let version = meta
        .get(VERSION_KEY)
        .map_err(|e| super::sled_store::map_sled(e, path))?;
    match (format, version) {
        (None, None) => {
            let others = db.tree_names().len() > 2 || !db.is_empty() || !meta.is_empty();
            if others {
                Err(StoreError::NotAStore {
                    path: path.to_path_buf(),
                    detail: "it is a sled database without caseload's marker".into(),
                })
            } else if had_data {
                Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: "its database file is not empty, but none of it could be read".into(),
                })
            } else {
                Ok(None)
            }
        }
        (Some(f), Some(v)) if f.as_ref() == FORMAT_VALUE => {
            let bytes: [u8; 4] = v.as_ref().try_into().map_err(|_| StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: "the schema version is unreadable".into(),
            })?;
            Ok(Some(u32::from_be_bytes(bytes)))
        }
        _ => Err(StoreError::NotAStore {
            path: path.to_path_buf(),
            detail: "its format marker is missing or wrong".into(),
        }),
    }
}

/// Writes the marker and version.
pub(crate) fn write_version(db: &sled::Db, path: &Path, version: u32) -> StoreResult<()> {
    let meta = db
        .open_tree("meta")
        .map_err(|e| super::sled_store::map_sled(e, path))?;
    meta.insert(FORMAT_KEY, FORMAT_VALUE)
        .and_then(|_| meta.insert(VERSION_KEY, &version.to_be_bytes()))
        .map_err(|e| super::sled_store::map_sled(e, path))?;
    db.flush()
        .map_err(|e| super::sled_store::map_sled(e, path))?;
    Ok(())
}

/// Brings a store to `current`, running `migrations` from its version on.
/// `had_data` as for [`read_version`].
pub(crate) fn prepare(
    db: &sled::Db,
    path: &Path,
    had_data: bool,
    current: u32,
    migrations: &[Migration],
) -> StoreResult<()> {
    let Some(mut found) = read_version(db, path, had_data)? else {
        return write_version(db, path, current);
    };
    if found > current {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: current,
        });
    }
    if found == 0 {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: "schema version 0 is not a version caseload ever wrote".into(),
        });
    }
    while found < current {
        let step = migrations
            .get(found as usize - 1)
            .ok_or_else(|| StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("no migration from schema version {found}"),
            })?;
        tracing::info!(from = found, to = found + 1, "migrating store");
        step(db).map_err(|detail| StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("migration from version {found} failed: {detail}"),
        })?;
        found += 1;
        write_version(db, path, found)?;
    }
    Ok(())
}
