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
pub const SCHEMA_VERSION: u32 = 6;

/// Marks a sled database as a caseload store.
pub(crate) const FORMAT_KEY: &[u8] = b"format";
/// The marker's value.
pub(crate) const FORMAT_VALUE: &[u8] = b"caseload-store";
/// Where the schema version lives.
pub(crate) const VERSION_KEY: &[u8] = b"schema_version";

/// One migration step: rewrites a store of version `n` into version `n + 1`.
pub(crate) type Migration = fn(&sled::Db) -> Result<(), String>;

/// The steps from each old version: `MIGRATIONS[0]` takes version 1 to 2.
pub(crate) const MIGRATIONS: &[Migration] = &[
    add_void_fields,
    add_peer_fields,
    rebuild_peer_summaries,
    add_settings_fields,
    rebuild_peer_summaries,
];

/// 4 → 5: the settings gained optional fields at their end, each `None`
/// (one zero byte in postcard) in a store of schema 4: the days an open
/// referral may stay quiet (`referral_stale_days`), the days before a
/// consent ends that Today shows it (`consent_warning_days`), and those
/// added with them. The fewest zero bytes that make the settings read are
/// appended. The new record kinds (resources, referrals, consents,
/// disclosures, …) live in new trees, which need nothing. Settings that
/// already read are left alone, so an interrupted pass is harmless.
pub(crate) fn add_settings_fields(db: &sled::Db) -> Result<(), String> {
    /// More optional fields than schema 5 appended: a limit, not a guess.
    const AT_MOST: usize = 16;
    use crate::model::Settings;
    let meta = db.open_tree("meta").map_err(|e| e.to_string())?;
    if let Some(v) = meta.get(b"settings").map_err(|e| e.to_string())? {
        if super::codec::decode::<Settings>(&v, "settings").is_err() {
            let bytes = (1..=AT_MOST)
                .map(|missing| {
                    let mut b = v.to_vec();
                    b.resize(v.len() + missing, 0);
                    b
                })
                .find(|b| super::codec::decode::<Settings>(b, "settings").is_ok())
                .ok_or_else(|| {
                    format!(
                        "settings of schema 4 could not be read even with {AT_MOST} fields added"
                    )
                })?;
            meta.insert(b"settings", bytes).map_err(|e| e.to_string())?;
        }
    }
    db.flush().map_err(|e| e.to_string())?;
    Ok(())
}

/// 3 → 4 and again 5 → 6: the `peer_summary` tree (what Today needs per
/// peer, see `keys::Summary`) is built from the check-ins and group
/// sessions. Schema 4 created it; schema 6 keeps the newest check-in's day
/// and follow-up in it too, so Today reads no check-in record. The tree is
/// cleared and built whole, so an interrupted pass simply runs again. (A
/// store of schema 3 or older builds it twice on its way up: rare, and
/// simpler than a step that depends on the steps after it.)
///
/// Check-ins are found through the per-peer index from its end: each
/// peer's newest check-ins come first, and only those up to the first one
/// not voided are read (at 1,000,000 check-ins, reading every record took
/// 9-18 s, close to the time a client waits for a starting service).
/// Sessions (a few per week) are all read.
pub(crate) fn rebuild_peer_summaries(db: &sled::Db) -> Result<(), String> {
    use super::codec::{decode, id_key, trailing_id};
    use super::keys::{Kept, Summary, NAMES, T};
    use crate::model::{CheckIn, GroupSession, Record};
    use std::collections::BTreeMap;
    let open = |t: T| db.open_tree(NAMES[t as usize]).map_err(|e| e.to_string());
    let mut summaries: BTreeMap<u64, Summary> = BTreeMap::new();

    let checkins = open(T::CheckIns)?;
    let name = NAMES[T::CheckIns as usize];
    let mut settled: Option<u64> = None;
    for k in open(T::IxCheckInByPeer)?.iter().keys().rev() {
        let k = k.map_err(|e| e.to_string())?;
        let peer = k
            .get(..8)
            .and_then(|p| p.try_into().ok())
            .map(u64::from_be_bytes)
            .ok_or_else(|| format!("short check-in index key {k:?}"))?;
        if settled == Some(peer) {
            continue;
        }
        let id = trailing_id(&k).ok_or_else(|| format!("short check-in index key {k:?}"))?;
        let v = checkins
            .get(id_key(id))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("the check-in index names check-in {id}, which is missing"))?;
        let rec: Record<CheckIn> = decode(&v, name).map_err(|e| format!("{e} (id {id})"))?;
        if let Some(fact) = rec.data.summary_fact(id).filter(|f| f.is_live()) {
            for p in fact.peers() {
                summaries.entry(p).or_default().absorb(&fact);
            }
            settled = Some(peer);
        }
    }

    let name = NAMES[T::Sessions as usize];
    for item in open(T::Sessions)?.iter() {
        let (k, v) = item.map_err(|e| e.to_string())?;
        let rec: Record<GroupSession> = decode(&v, name).map_err(|e| format!("{e} (key {k:?})"))?;
        if let Some(fact) = rec.data.summary_fact(rec.id.raw()) {
            for peer in fact.peers() {
                summaries.entry(peer).or_default().absorb(&fact);
            }
        }
    }

    let tree = open(T::PeerSummary)?;
    tree.clear().map_err(|e| e.to_string())?;
    let mut batch = sled::Batch::default();
    for (peer, summary) in summaries.iter().filter(|(_, s)| !s.is_empty()) {
        batch.insert(&id_key(*peer), super::codec::encode(summary)?);
    }
    tree.apply_batch(batch).map_err(|e| e.to_string())?;
    db.flush().map_err(|e| e.to_string())?;
    Ok(())
}

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

/// 2 → 3: peers gained `demographics` (four optional fields) and then
/// `episodes` (a list) as their last fields, and the settings
/// `demographics` (four switches). Every new field's default encodes as
/// one zero byte (postcard's `None`, `false`, empty list) and a record is
/// encoded with its data last, so an old record becomes a new one by
/// appending the fewest zero bytes that make it read as the current type.
/// Records that already read are left alone, so an interrupted pass
/// resumes safely.
fn add_peer_fields(db: &sled::Db) -> Result<(), String> {
    use super::keys::{NAMES, T};
    use crate::model::{Peer, Record, Settings};
    /// The most zero bytes a record of schema 2 can be missing.
    const AT_MOST: usize = 5;
    fn completed<R: serde::de::DeserializeOwned>(
        v: &[u8],
        what: &str,
    ) -> Result<Option<Vec<u8>>, String> {
        if super::codec::decode::<R>(v, what).is_ok() {
            return Ok(None);
        }
        for missing in 1..=AT_MOST {
            let mut bytes = v.to_vec();
            bytes.resize(v.len() + missing, 0);
            if super::codec::decode::<R>(&bytes, what).is_ok() {
                return Ok(Some(bytes));
            }
        }
        Err(format!("a {what} record that no schema 2 {what} could be"))
    }
    let name = NAMES[T::Peers as usize];
    let peers = db.open_tree(name).map_err(|e| e.to_string())?;
    for item in peers.iter() {
        let (k, v) = item.map_err(|e| e.to_string())?;
        if let Some(bytes) =
            completed::<Record<Peer>>(&v, name).map_err(|e| format!("{e} (key {k:?})"))?
        {
            peers.insert(k, bytes).map_err(|e| e.to_string())?;
        }
    }
    let meta = db.open_tree("meta").map_err(|e| e.to_string())?;
    if let Some(v) = meta.get(b"settings").map_err(|e| e.to_string())? {
        if let Some(bytes) = completed::<Settings>(&v, "settings")? {
            meta.insert(b"settings", bytes).map_err(|e| e.to_string())?;
        }
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

/// An upgrade an open ran: the store was of schema `from` and is now of
/// `to`. Said to whoever opened it (the service's log and the client that
/// started it), since an older caseload can no longer open the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upgrade {
    /// The schema version found.
    pub from: u32,
    /// The schema version written.
    pub to: u32,
    /// How long the migrations took.
    pub took: std::time::Duration,
}

impl std::fmt::Display for Upgrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "upgraded from schema version {} to {} in {:.1} s; an older caseload can no longer open it",
            self.from,
            self.to,
            self.took.as_secs_f64()
        )
    }
}

/// Brings a store to `current`, running `migrations` from its version on;
/// says which upgrade it ran, if any. `had_data` as for [`read_version`].
pub(crate) fn prepare(
    db: &sled::Db,
    path: &Path,
    had_data: bool,
    current: u32,
    migrations: &[Migration],
) -> StoreResult<Option<Upgrade>> {
    let Some(mut found) = read_version(db, path, had_data)? else {
        write_version(db, path, current)?;
        return Ok(None);
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
    let (from, started) = (found, std::time::Instant::now());
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
    Ok((from < current).then(|| Upgrade {
        from,
        to: current,
        took: started.elapsed(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_4_settings_gain_the_new_fields_as_their_defaults() {
        /// The settings as schema 4 stored them.
        #[derive(serde::Serialize)]
        struct SettingsV4 {
            organization_name: String,
            unit_minutes: u16,
            unit_threshold_minutes: u16,
            daily_unit_cap: Option<u32>,
            reengage_after_days: u16,
            demographics: crate::model::settings::DemographicFields,
        }
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let settings = crate::model::Settings {
            organization_name: "Harbor".into(),
            ..Default::default()
        };
        let old = SettingsV4 {
            organization_name: settings.organization_name.clone(),
            unit_minutes: settings.unit_minutes,
            unit_threshold_minutes: settings.unit_threshold_minutes,
            daily_unit_cap: settings.daily_unit_cap,
            reengage_after_days: settings.reengage_after_days,
            demographics: settings.demographics,
        };
        let bytes = super::super::codec::encode(&old).unwrap();
        assert!(
            super::super::codec::decode::<crate::model::Settings>(&bytes, "settings").is_err(),
            "schema 4 settings do not read as they are"
        );
        let meta = db.open_tree("meta").unwrap();
        meta.insert(b"settings", bytes).unwrap();
        add_settings_fields(&db).unwrap();
        let v = meta.get(b"settings").unwrap().unwrap();
        let back: crate::model::Settings = super::super::codec::decode(&v, "settings").unwrap();
        assert_eq!(back, settings);
        assert_eq!(back.referral_stale_days(), 14);
        assert_eq!(back.consent_warning_days(), 30);
        assert_eq!(back.visit_purposes, None);
        // A second pass changes nothing.
        add_settings_fields(&db).unwrap();
        assert_eq!(meta.get(b"settings").unwrap().unwrap(), v);
    }
}
