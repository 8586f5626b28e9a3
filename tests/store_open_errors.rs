//! Opening a store that is locked, damaged, not a store at all, or from a
//! newer caseload: always a `StoreError` whose message names the
//! directory, never a panic and never a silently empty caseload.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use caseload::model::{GoalId, PeerId};
use caseload::store::{OpenOptions, SledStore, Store, StoreError, SCHEMA_VERSION};
use rand::{Rng, SeedableRng};
use support::*;

/// Opens the directory with sled itself, waiting for a store this process
/// just dropped to let go of its lock.
fn raw_sled(path: &Path) -> sled::Db {
    let deadline = Instant::now() + Duration::from_secs(10);
    // With the compression the store was made with (sled refuses another).
    // (sled's `conf` ends in a binary checksum: not UTF-8 as a whole.)
    let compressed = std::fs::read(path.join("conf"))
        .is_ok_and(|c| String::from_utf8_lossy(&c).contains("use_compression: true"));
    loop {
        match sled::Config::new()
            .path(path)
            .use_compression(compressed)
            .open()
        {
            Ok(db) => return db,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("raw sled open of {}: {e}", path.display()),
        }
    }
}

fn open_err(path: &Path) -> StoreError {
    match SledStore::open_with(path, &options()) {
        Ok(_) => panic!("{} opened, but should not have", path.display()),
        Err(e) => e,
    }
}

/// A store with some records, closed again.
fn populated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    goal(&store, p.id, "Job");
    for day in 1..=30 {
        save_checkin(
            &store,
            checkin(p.id, s.id, &format!("2026-11-{day:02}T10:00:00Z")),
        );
    }
    dir
}

fn assert_names_path(err: &StoreError, path: &Path) {
    let msg = err.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "the message should name {}: {msg}",
        path.display()
    );
    assert!(!msg.contains('\n'), "one line: {msg:?}");
}

#[test]
fn a_store_open_in_this_process_is_in_use() {
    let (dir, _store) = fresh();
    let started = Instant::now();
    let err = SledStore::open_with(
        dir.path(),
        &OpenOptions {
            lock_wait: Duration::ZERO,
            ..options()
        },
    )
    .err()
    .expect("the second open must fail");
    assert!(
        matches!(&err, StoreError::InUse { path } if path == dir.path()),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the store at {} is in use by another caseload process",
            dir.path().display()
        )
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no wait was asked for"
    );
}

#[test]
fn garbage_over_the_database_file_is_corrupt_not_a_new_store() {
    let dir = populated();
    let db = dir.path().join("db");
    let len = std::fs::metadata(&db).unwrap().len() as usize;
    std::fs::write(&db, vec![0xA5; len]).unwrap();
    let err = open_err(dir.path());
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_names_path(&err, dir.path());
    assert!(
        err.to_string().contains("restore it from a backup"),
        "{err}"
    );
    // Still refused the second time: the refusal wrote no fresh marker.
    let again = open_err(dir.path());
    assert!(matches!(again, StoreError::Corrupt { .. }), "{again:?}");
}

#[test]
fn a_database_file_cut_to_nothing_is_corrupt() {
    let dir = populated();
    std::fs::write(dir.path().join("db"), b"").unwrap();
    // An empty file is what sled itself leaves before its first write, so
    // this one cannot be told apart from a new store; it must at least be
    // an empty, working store rather than a crash.
    let store = SledStore::open_with(dir.path(), &options());
    match store {
        Ok(s) => assert_eq!(s.counts().unwrap().peers, 0),
        Err(e) => assert_names_path(&e, dir.path()),
    }

    let dir = populated();
    let db = dir.path().join("db");
    std::fs::write(&db, &std::fs::read(&db).unwrap()[..100]).unwrap();
    let err = open_err(dir.path());
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_names_path(&err, dir.path());
}

#[test]
fn garbage_config_file_is_corrupt() {
    let dir = populated();
    std::fs::write(
        dir.path().join("conf"),
        b"this is not sled's config\x00\xff",
    )
    .unwrap();
    let err = open_err(dir.path());
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_names_path(&err, dir.path());
}

#[test]
fn random_damage_never_panics_and_never_half_opens() {
    let template = populated();
    // Let the dropped store's threads finish before copying its files.
    drop(raw_sled(template.path()));
    let original = std::fs::read(template.path().join("db")).unwrap();
    let conf = std::fs::read(template.path().join("conf")).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5EED);
    for case in 0..12 {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("conf"), &conf).unwrap();
        std::fs::create_dir(dir.path().join("blobs")).unwrap();
        let mut bytes = original.clone();
        match case % 3 {
            0 => {
                // Scattered bit flips.
                for _ in 0..rng.random_range(1..40) {
                    let i = rng.random_range(0..bytes.len());
                    bytes[i] ^= 1 << rng.random_range(0..8);
                }
            }
            1 => {
                // A run of random bytes somewhere.
                let start = rng.random_range(0..bytes.len());
                let end = (start + rng.random_range(1..2048)).min(bytes.len());
                rng.fill(&mut bytes[start..end]);
            }
            _ => bytes.truncate(rng.random_range(0..bytes.len())),
        }
        std::fs::write(dir.path().join("db"), &bytes).unwrap();
        let path = dir.path().to_path_buf();
        let outcome = std::panic::catch_unwind(move || {
            match SledStore::open_with(&path, &options()) {
                Err(e) => Err(e.to_string()),
                Ok(store) => {
                    // sled recovered a consistent prefix: whatever is
                    // there must be readable and agree with the counts.
                    let counts = store.counts().map_err(|e| e.to_string())?;
                    let all = store.checkins_page(None, usize::MAX);
                    let peers = store.list_peers();
                    match (all, peers) {
                        (Ok(all), Ok(peers)) => {
                            assert_eq!(counts.checkins, all.len() as u64, "case {case}");
                            assert_eq!(counts.peers, peers.len() as u64, "case {case}");
                            Ok(counts.checkins)
                        }
                        (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
                    }
                }
            }
        });
        match outcome {
            Err(_) => panic!("case {case}: opening a damaged store panicked"),
            Ok(Err(msg)) => assert!(
                msg.contains(&dir.path().display().to_string()),
                "case {case}: {msg}"
            ),
            Ok(Ok(_)) => {}
        }
    }
}

#[test]
fn a_path_that_is_a_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "shopping list").unwrap();
    let err = open_err(&file);
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert_names_path(&err, &file);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "shopping list");
}

#[test]
fn a_plain_sled_database_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = raw_sled(dir.path());
        db.insert(b"hello", b"world").unwrap();
        db.flush().unwrap();
    }
    let err = open_err(dir.path());
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not a caseload store (it is a sled database without caseload's marker)",
            dir.path().display()
        )
    );
    // Nothing was added to it.
    let db = raw_sled(dir.path());
    assert_eq!(db.get(b"hello").unwrap().as_deref(), Some(&b"world"[..]));
    assert!(db.open_tree("meta").unwrap().is_empty());

    let dir = tempfile::tempdir().unwrap();
    {
        let db = raw_sled(dir.path());
        db.open_tree("sessions")
            .unwrap()
            .insert(b"k", b"v")
            .unwrap();
        db.flush().unwrap();
    }
    assert!(matches!(open_err(dir.path()), StoreError::NotAStore { .. }));
}

#[test]
fn a_wrong_format_marker_is_not_a_store() {
    let dir = populated();
    {
        let db = raw_sled(dir.path());
        db.open_tree("meta")
            .unwrap()
            .insert(b"format", b"someone-else")
            .unwrap();
        db.flush().unwrap();
    }
    let err = open_err(dir.path());
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");
    assert_names_path(&err, dir.path());
    assert!(err.to_string().contains("format marker"), "{err}");
}

fn set_version(path: &Path, bytes: &[u8]) {
    let db = raw_sled(path);
    db.open_tree("meta")
        .unwrap()
        .insert(b"schema_version", bytes)
        .unwrap();
    db.flush().unwrap();
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let dir = populated();
    let newer = SCHEMA_VERSION + 1;
    set_version(dir.path(), &newer.to_be_bytes());
    let err = open_err(dir.path());
    match &err {
        StoreError::NewerSchema {
            found, supported, ..
        } => assert_eq!((*found, *supported), (newer, SCHEMA_VERSION)),
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "the store at {} has schema version {newer}, but this caseload understands versions up to {SCHEMA_VERSION}; upgrade caseload",
            dir.path().display()
        )
    );
    let db = raw_sled(dir.path());
    let v = db
        .open_tree("meta")
        .unwrap()
        .get(b"schema_version")
        .unwrap();
    assert_eq!(
        v.as_deref(),
        Some(&newer.to_be_bytes()[..]),
        "not downgraded"
    );
}

#[test]
fn unreadable_schema_versions_are_corrupt() {
    for bytes in [
        &0u32.to_be_bytes()[..],
        &b"\x01"[..],
        &b"\x00\x00\x00\x00\x01"[..],
    ] {
        let dir = populated();
        set_version(dir.path(), bytes);
        let err = open_err(dir.path());
        assert!(
            matches!(err, StoreError::Corrupt { .. }),
            "{bytes:?}: {err:?}"
        );
        assert_names_path(&err, dir.path());
    }
}

fn be(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

#[test]
fn a_garbage_record_is_corrupt_naming_the_tree() {
    let dir = populated();
    {
        let db = raw_sled(dir.path());
        db.open_tree("peers")
            .unwrap()
            .insert(
                be(1),
                &b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xffgarbage"[..],
            )
            .unwrap();
        db.flush().unwrap();
    }
    // Opening does not read every record; reading this one says what broke.
    let store = open(dir.path());
    let check = |err: StoreError, what: &str| {
        assert!(matches!(err, StoreError::Corrupt { .. }), "{what}: {err:?}");
        assert_names_path(&err, dir.path());
        assert!(
            err.to_string().contains("cannot decode peers"),
            "{what}: {err}"
        );
    };
    check(store.peer(PeerId::new(1)).unwrap_err(), "get");
    check(store.list_peers().unwrap_err(), "list");
    check(
        store.delete_peer(PeerId::new(1), &actor()).unwrap_err(),
        "delete",
    );
    // An update reads the old record inside a transaction; its error must
    // name the store too.
    let healthy = store.staff(caseload::model::StaffId::new(1)).unwrap();
    let mut fake = store
        .create_peer(caseload::model::Peer::new("Kim", d("2026-01-01")), &actor())
        .unwrap();
    fake.id = PeerId::new(1);
    check(store.update_peer(&fake, &actor()).unwrap_err(), "update");
    // Everything else still works.
    assert_eq!(store.staff(healthy.id).unwrap(), healthy);
    assert_eq!(store.counts().unwrap().checkins, 30);
}

#[test]
fn an_index_entry_without_its_record_is_corrupt() {
    let dir = populated();
    {
        let db = raw_sled(dir.path());
        let mut k = be(1).to_vec();
        k.extend_from_slice(&be(99));
        db.open_tree("ix_goal_by_peer")
            .unwrap()
            .insert(k, &[][..])
            .unwrap();
        db.flush().unwrap();
    }
    let store = open(dir.path());
    let err = store.goals_for_peer(PeerId::new(1)).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_names_path(&err, dir.path());
    assert!(
        err.to_string()
            .contains("an index names goal G99, which is missing"),
        "{err}"
    );
    assert!(store.goal(GoalId::new(1)).is_ok());
}

#[test]
fn a_new_directory_becomes_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("nested").join("store");
    let store = open(&path);
    assert_eq!(store.location(), path.display().to_string());
    assert!(!store.rolled_back_import());
    drop(store);
    // And it is recognised as one afterwards.
    let db = raw_sled(&path);
    let meta = db.open_tree("meta").unwrap();
    assert_eq!(
        meta.get(b"format").unwrap().as_deref(),
        Some(&b"caseload-store"[..])
    );
    assert_eq!(
        meta.get(b"schema_version").unwrap().as_deref(),
        Some(&SCHEMA_VERSION.to_be_bytes()[..])
    );
}
