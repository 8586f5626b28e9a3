//! What other processes see: durability when a writer is killed with
//! SIGKILL, and the lock that keeps a second process out.
//!
//! The test binary runs itself: `child_writer` and `child_holder` are
//! ignored tests that do nothing unless an environment variable names a
//! store directory, in which case they act as the other process.

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use caseload::model::{CheckIn, CheckInId, Meta, Peer, PeerId, Record, Role, Staff, StaffId};
use caseload::store::{Counts, OpenOptions, SledStore, Snapshot, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use rand::Rng;
use support::*;

const WRITER_ENV: &str = "CASELOAD_TEST_WRITER_DIR";
const HOLDER_ENV: &str = "CASELOAD_TEST_HOLDER_DIR";
const IMPORTER_ENV: &str = "CASELOAD_TEST_IMPORTER_DIR";
/// Check-ins in the importer's snapshot: several import transactions.
const IMPORT_SIZE: u64 = 9_000;

/// Starts this test binary running only the ignored test `name`, with
/// `env` set to `dir`.
fn spawn_child(name: &str, env: &str, dir: &Path) -> Child {
    let exe = std::env::current_exe().expect("test binary path");
    Command::new(exe)
        .args([
            name,
            "--exact",
            "--nocapture",
            "--ignored",
            "--test-threads=1",
        ])
        .env(env, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child test process")
}

/// The value after `word ` on a line of child output (libtest may print
/// its own text on the same line).
fn after<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    line.split_once(&format!("{word} "))
        .map(|(_, rest)| rest.split_whitespace().next().unwrap_or(""))
}

fn first_moment() -> DateTime<FixedOffset> {
    at("2026-11-23T08:00:00-05:00")
}

/// Child side of the durability test: records check-ins for P1 as fast as
/// it can and reports each one only after `create_checkin` returned Ok.
#[test]
#[ignore = "runs only as a child of store_survives_sigkill"]
fn child_writer() {
    let Some(dir) = std::env::var_os(WRITER_ENV) else {
        return;
    };
    let store = open(Path::new(&dir));
    let start = store.counts().expect("counts").checkins;
    let stdout = std::io::stdout();
    let began = Instant::now();
    // Bounded, so that an orphaned child cannot run forever.
    for i in start..start + 20_000 {
        if began.elapsed() > Duration::from_secs(60) {
            break;
        }
        let when = first_moment() + chrono::Duration::minutes(i as i64);
        let mut c = checkin(PeerId::new(1), StaffId::new(1), &when.to_rfc3339());
        c.note = format!("write {i}");
        let saved = store.create_checkin(c, &actor()).expect("create_checkin");
        let mut out = stdout.lock();
        // The disk syncs made so far, so the parent can check that every
        // acknowledged write was fdatasynced before it was acknowledged.
        if writeln!(out, "SAVED {} SYNCS {}", saved.id.raw(), store.sync_count()).is_err() {
            break; // the parent has gone
        }
    }
}

/// Child side of the lock test: opens the store, says so, and keeps it
/// open until its stdin closes.
#[test]
#[ignore = "runs only as a child of the lock tests"]
fn child_holder() {
    let Some(dir) = std::env::var_os(HOLDER_ENV) else {
        return;
    };
    let store = open(Path::new(&dir));
    println!("OPEN {}", store.location());
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
    drop(store);
}

/// Reads child lines until `n` SAVED lines arrived (or the child ended).
fn read_saved(lines: &mut std::io::Lines<BufReader<ChildStdout>>, n: usize, into: &mut Vec<u64>) {
    let mut got = 0;
    while got < n {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(id) = after(&line, "SAVED") {
            into.push(id.parse().expect("id after SAVED"));
            got += 1;
        }
    }
}

#[test]
fn store_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        staff(&store, "Ana Ruiz");
        peer(&store, "Jo");
    }
    let mut rng = rand::rng();
    let mut reported: Vec<u64> = Vec::new();
    for round in 0..5 {
        let kill_after = rng.random_range(1..=120);
        let mut child = spawn_child("child_writer", WRITER_ENV, dir.path());
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        let before = reported.len();
        read_saved(&mut lines, kill_after, &mut reported);
        // Land the kill at a random point of the next write.
        std::thread::sleep(Duration::from_micros(rng.random_range(0..1500)));
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().expect("reap the writer");
        assert!(
            !status.success(),
            "round {round}: the writer was not killed"
        );
        // Lines already in the pipe were reported before the kill, too.
        read_saved(&mut lines, usize::MAX, &mut reported);
        assert!(
            reported.len() - before >= kill_after,
            "round {round}: the writer reported {} saves, wanted at least {kill_after}",
            reported.len() - before
        );

        let store = open(dir.path());
        let records = store.checkins_page(None, usize::MAX).unwrap();
        let on_disk: BTreeSet<u64> = records.iter().map(|c| c.id.raw()).collect();
        for id in &reported {
            let c = store
                .checkin(CheckInId::new(*id))
                .unwrap_or_else(|e| panic!("round {round}: reported C{id} is lost: {e}"));
            assert_eq!(c.peer, PeerId::new(1));
            assert!(on_disk.contains(id));
        }
        // Whatever survived is whole and indexed: counts and every index
        // agree with the records themselves.
        let counts = store.counts().unwrap();
        assert_eq!(
            counts.checkins,
            records.len() as u64,
            "round {round}: count"
        );
        assert_eq!((counts.staff, counts.peers), (1, 1));
        let by_peer = store.recent_checkins(PeerId::new(1), usize::MAX).unwrap();
        assert_eq!(by_peer.len(), records.len(), "round {round}: peer index");
        let mut days = BTreeSet::new();
        for c in &records {
            days.insert(c.day());
        }
        let by_day: usize = days
            .iter()
            .map(|d| store.checkins_on(*d).unwrap().len())
            .sum();
        assert_eq!(by_day, records.len(), "round {round}: day index");
        let far = chrono::Utc::now() + chrono::Duration::days(365 * 100);
        let last = store.last_checkins_before(far).unwrap();
        assert_eq!(
            last.get(&PeerId::new(1)).map(|c| c.id),
            by_peer.first().map(|c| c.id)
        );
        // Ids keep growing: a record written after a crash gets a new id.
        let next = save_checkin(
            &store,
            checkin(PeerId::new(1), StaffId::new(1), "2026-01-01T00:00:00Z"),
        );
        assert!(
            on_disk.iter().all(|id| *id < next.id.raw()),
            "round {round}: id reused"
        );
        store.delete_checkin(next.id, &actor()).unwrap();
    }
    assert!(reported.len() >= 5, "{reported:?}");
}

/// A round of the SIGKILL test that also checks the fdatasync: every write
/// the writer acknowledged came after at least one more disk sync than the
/// one before it (and at most two), and is there after the kill.
#[test]
fn every_acknowledged_write_was_synced_and_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        staff(&store, "Ana Ruiz");
        peer(&store, "Jo");
    }
    let mut rng = rand::rng();
    let mut child = spawn_child("child_writer", WRITER_ENV, dir.path());
    let stdout = child.stdout.take().expect("child stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut acked: Vec<(u64, u64)> = Vec::new();
    let kill_after = rng.random_range(20..=200);
    let read = |lines: &mut std::io::Lines<BufReader<ChildStdout>>,
                n: usize,
                into: &mut Vec<(u64, u64)>| {
        while into.len() < n {
            let Some(Ok(line)) = lines.next() else { break };
            if let (Some(id), Some(syncs)) = (after(&line, "SAVED"), after(&line, "SYNCS")) {
                into.push((
                    id.parse().expect("id after SAVED"),
                    syncs.parse().expect("count after SYNCS"),
                ));
            }
        }
    };
    read(&mut lines, kill_after, &mut acked);
    std::thread::sleep(Duration::from_micros(rng.random_range(0..1500)));
    child.kill().expect("SIGKILL the writer");
    child.wait().expect("reap the writer");
    read(&mut lines, usize::MAX, &mut acked);
    assert!(acked.len() >= kill_after, "{} acknowledged", acked.len());
    for pair in acked.windows(2) {
        let step = pair[1].1 - pair[0].1;
        assert!(
            (1..=2).contains(&step),
            "C{} was acknowledged after {step} disk syncs since C{}",
            pair[1].0,
            pair[0].0
        );
    }
    let store = open(dir.path());
    for (id, _) in &acked {
        store
            .checkin(CheckInId::new(*id))
            .unwrap_or_else(|e| panic!("acknowledged C{id} is lost: {e}"));
    }
    // The kill may land after a save and before its line was written, so
    // at most one check-in more than was acknowledged is there.
    let total = store.counts().unwrap().checkins;
    let acked_n = acked.len() as u64;
    assert!(
        (acked_n..=acked_n + 1).contains(&total),
        "{total} check-ins stored, {acked_n} acknowledged"
    );
}

/// Waits for the holder to report that it has the store open.
fn wait_open(child: &mut Child) -> std::io::Lines<BufReader<ChildStdout>> {
    let stdout = child.stdout.take().expect("child stdout");
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if after(&line, "OPEN").is_some() => return lines,
            Some(Ok(_)) => continue,
            _ => panic!("the holder process ended without opening the store"),
        }
    }
}

fn no_wait() -> OpenOptions {
    OpenOptions {
        lock_wait: Duration::ZERO,
        ..options()
    }
}

#[test]
fn a_store_open_in_another_process_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_child("child_holder", HOLDER_ENV, dir.path());
    let _lines = wait_open(&mut child);

    let err = SledStore::open_with(dir.path(), &no_wait())
        .err()
        .expect("a second process must not open the store");
    assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "the store at {} is in use by another caseload process",
            dir.path().display()
        )
    );

    // With a wait, the opener keeps trying for that long, then gives up.
    let wait = Duration::from_millis(400);
    let started = Instant::now();
    let err = SledStore::open_with(
        dir.path(),
        &OpenOptions {
            lock_wait: wait,
            ..options()
        },
    )
    .err()
    .expect("still in use");
    assert!(
        started.elapsed() >= wait,
        "gave up after {:?}",
        started.elapsed()
    );
    assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");

    // When the other process lets go during the wait, the open succeeds:
    // two commands run together simply queue.
    drop(child.stdin.take());
    let store = SledStore::open_with(dir.path(), &options()).expect("open after release");
    assert_eq!(store.counts().unwrap().peers, 0);
    let _ = child.wait();
}

#[test]
fn a_killed_holder_releases_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_child("child_holder", HOLDER_ENV, dir.path());
    let _lines = wait_open(&mut child);
    assert!(SledStore::open_with(dir.path(), &no_wait()).is_err());
    child.kill().unwrap();
    child.wait().unwrap();
    let store = SledStore::open_with(dir.path(), &no_wait()).expect("the lock died with its owner");
    assert_eq!(store.location(), dir.path().display().to_string());
    let _ = std::io::stdout().flush();
}

fn big_snapshot() -> Snapshot {
    let now = chrono::Utc::now();
    let meta = Meta::created(now, &actor());
    let staff = Record {
        id: StaffId::new(1),
        meta: meta.clone(),
        data: Staff::new("Ana Ruiz", Role::PeerSpecialist),
    };
    let peers: Vec<Record<Peer>> = (1..=30)
        .map(|i| Record {
            id: PeerId::new(i),
            meta: meta.clone(),
            data: Peer::new(format!("Peer {i}"), d("2026-01-05")),
        })
        .collect();
    let checkins = (1..=IMPORT_SIZE)
        .map(|i| Record {
            id: CheckInId::new(i),
            meta: meta.clone(),
            data: CheckIn::new(
                PeerId::new(1 + i % 30),
                StaffId::new(1),
                first_moment() + chrono::Duration::minutes(i as i64 * 7),
            ),
        })
        .collect();
    Snapshot {
        staff: vec![staff],
        peers,
        checkins,
        ..Snapshot::default()
    }
}

/// Child side of the import test: loads a large snapshot, saying when it
/// starts and when it is done.
#[test]
#[ignore = "runs only as a child of an_import_killed_part_way_is_all_or_nothing"]
fn child_importer() {
    let Some(dir) = std::env::var_os(IMPORTER_ENV) else {
        return;
    };
    let snapshot = big_snapshot();
    let store = open(Path::new(&dir));
    println!("IMPORTING now");
    let started = Instant::now();
    store.import(snapshot, &actor()).expect("import");
    println!("IMPORTED {}", started.elapsed().as_millis());
}

#[test]
fn an_import_killed_part_way_is_all_or_nothing() {
    let mut rng = rand::rng();
    let full = {
        let s = big_snapshot();
        Counts {
            staff: 1,
            peers: s.peers.len() as u64,
            checkins: s.checkins.len() as u64,
            ..Counts::default()
        }
    };
    let mut partial_seen = 0;
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_child("child_importer", IMPORTER_ENV, dir.path());
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if after(&line, "IMPORTING").is_some() => break,
                Some(Ok(_)) => continue,
                _ => panic!("round {round}: the importer ended before importing"),
            }
        }
        // Early in the import, so that the kill usually lands part-way.
        std::thread::sleep(Duration::from_millis(rng.random_range(5..60)));
        child.kill().expect("SIGKILL the importer");
        child.wait().expect("reap the importer");
        let finished = lines.any(|l| l.is_ok_and(|l| after(&l, "IMPORTED").is_some()));

        let store = open(dir.path());
        let counts = store.counts().unwrap();
        if counts == full {
            // The kill came too late: everything must be there, indexed.
            assert!(!store.rolled_back_import());
            assert_eq!(
                store
                    .recent_checkins(PeerId::new(2), usize::MAX)
                    .unwrap()
                    .len() as u64,
                IMPORT_SIZE / 30
            );
            continue;
        }
        // Otherwise nothing at all: rolled back, or killed before the
        // import wrote anything.
        assert!(!finished, "round {round}: a finished import is missing");
        assert_eq!(
            counts,
            Counts::default(),
            "round {round}: a partial import survived"
        );
        assert!(store.list_peers().unwrap().is_empty());
        assert!(store.checkins_page(None, 1).unwrap().is_empty());
        assert!(store.recent_checkins(PeerId::new(2), 1).unwrap().is_empty());
        if store.rolled_back_import() {
            partial_seen += 1;
        }
        // The store takes the import again from the start.
        assert_eq!(store.import(big_snapshot(), &actor()).unwrap(), full);
    }
    eprintln!("imports interrupted part-way: {partial_seen} of 3");
}

const LOADER_ENV: &str = "CASELOAD_TEST_LOADER_DIR";
/// Batches of 500 check-ins the loader writes before finishing.
const LOAD_BATCHES: u64 = 40;

/// Child side of the bulk load test: begins a load of `big_snapshot`'s
/// roster, writes check-ins 500 at a time saying so after each, and
/// finishes once a line arrives on its stdin.
#[test]
#[ignore = "runs only as a child of a_bulk_load_killed_part_way_leaves_an_empty_store"]
fn child_loader() {
    let Some(dir) = std::env::var_os(LOADER_ENV) else {
        return;
    };
    let mut snapshot = big_snapshot();
    snapshot.checkins.clear();
    let store = open(Path::new(&dir));
    store.begin_load(snapshot, &actor()).expect("begin load");
    for b in 0..LOAD_BATCHES {
        let batch: Vec<CheckIn> = (0..500)
            .map(|i| {
                let n = b * 500 + i;
                CheckIn::new(
                    PeerId::new(1 + n % 30),
                    StaffId::new(1),
                    first_moment() + chrono::Duration::minutes(n as i64 * 7),
                )
            })
            .collect();
        store.load_checkins(batch, &actor()).expect("load");
        println!("LOADED {}", b + 1);
    }
    // Waits for a word from the parent before finishing (the test kills
    // it first, at the latest here).
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    store
        .finish_load(LOAD_BATCHES * 500, &actor())
        .expect("finish");
    println!("FINISHED now");
}

#[test]
fn a_bulk_load_killed_part_way_leaves_an_empty_store() {
    let mut rng = rand::rng();
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_child("child_loader", LOADER_ENV, dir.path());
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        // Killed after a few batches were written (never acknowledged as
        // a whole: only finish_load is).
        let kill_after = rng.random_range(1..LOAD_BATCHES / 2);
        loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if after(&line, "LOADED")
                        .and_then(|n| n.parse::<u64>().ok())
                        .is_some_and(|n| n >= kill_after)
                    {
                        break;
                    }
                }
                _ => panic!("round {round}: the loader ended before loading"),
            }
        }
        child.kill().expect("SIGKILL the loader");
        child.wait().expect("reap the loader");
        let finished = lines.any(|l| l.is_ok_and(|l| after(&l, "FINISHED").is_some()));
        assert!(!finished, "round {round}: killed mid-load, yet finished");

        let store = open(dir.path());
        assert!(
            store.rolled_back_import(),
            "round {round}: the interrupted load was not found"
        );
        assert_eq!(store.counts().unwrap(), Counts::default());
        assert!(store.list_peers().unwrap().is_empty());
        assert!(store.checkins_page(None, 1).unwrap().is_empty());
        assert!(store.recent_checkins(PeerId::new(2), 1).unwrap().is_empty());
        assert!(store
            .peer_summaries(chrono::Utc::now(), d("2027-01-01"))
            .unwrap()
            .is_empty());
        // The empty store takes a load from the start.
        let mut snapshot = big_snapshot();
        snapshot.checkins.clear();
        store.begin_load(snapshot, &actor()).unwrap();
        let counts = store.finish_load(0, &actor()).unwrap();
        assert_eq!(counts.peers, 30);
    }
}
