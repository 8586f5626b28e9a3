//! Export round trip, backup → verify → restore → export equality, the
//! spreadsheet export, refusals that write nothing, and a backup taken
//! while another thread keeps writing.

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use assert_cmd::Command;
use caseload::model::{CheckIn, Goal, LifeDomain, Peer};
use caseload::ops::transfer::{export_json, verify_json};
use caseload::store::Store;
use predicates::prelude::*;
use support::{actor, at, d, group, session, staff};

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").unwrap();
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR");
    c
}

/// The document without its `exported_at` stamp: the one documented
/// difference between two exports of the same records.
fn unstamped(text: &str) -> String {
    let (first, rest) = text.split_once('\n').unwrap();
    let cut = first.find(",\"exported_at\":").unwrap();
    format!("{}\n{rest}", &first[..cut])
}

fn demo_store(dir: &Path) {
    caseload(dir)
        .args([
            "demo",
            "--peers",
            "15",
            "--checkins",
            "200",
            "--as-of",
            "2026-11-30",
        ])
        .assert()
        .success();
    // Some history: an edit (revision 2) and a voided check-in.
    caseload(dir)
        .args(["peer", "edit", "P1", "--phone", "555-0100"])
        .assert()
        .success();
}

fn export_text(dir: &Path, out: &Path) -> String {
    caseload(dir)
        .args(["export", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn export_import_export_is_byte_identical_but_for_the_stamp() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    demo_store(&a);
    let first = export_text(&a, &tmp.path().join("1.json"));
    assert!(first.contains("\"revision\":2"), "history is kept");
    caseload(&b)
        .args(["import", tmp.path().join("1.json").to_str().unwrap()])
        .assert()
        .success();
    let second = export_text(&b, &tmp.path().join("2.json"));
    assert_ne!(first, second, "the exported_at stamps differ");
    assert_eq!(unstamped(&first), unstamped(&second));
}

fn only_backup(dir: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

#[test]
fn backup_verify_restore_export_gives_the_same_records() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    demo_store(&live);
    let backups = tmp.path().join("backups");
    caseload(&live)
        .args(["backup", "--to", backups.to_str().unwrap()])
        .assert()
        .success();
    let file = only_backup(&backups);
    let sum = PathBuf::from(format!("{}.sha256", file.display()));
    let sum_text = std::fs::read_to_string(&sum).unwrap();
    assert_eq!(sum_text.split_whitespace().next().unwrap().len(), 64);
    assert!(sum_text
        .trim_end()
        .ends_with(file.file_name().unwrap().to_str().unwrap()));
    caseload(&live)
        .args(["verify", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("checksum sha256"))
        .stdout(predicate::str::contains("15 peers"))
        .stdout(predicate::str::contains("200 check-ins"));
    let restored = tmp.path().join("restored");
    caseload(&restored)
        .args(["restore", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("restored 3 staff, 15 peers"));
    let original = std::fs::read_to_string(&file).unwrap();
    let again = export_text(&restored, &tmp.path().join("again.json"));
    assert_eq!(unstamped(&original), unstamped(&again));
}

#[test]
fn verify_and_restore_refuse_what_is_wrong_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    demo_store(&live);
    let backups = tmp.path().join("backups");
    caseload(&live)
        .args(["backup", "--to", backups.to_str().unwrap()])
        .assert()
        .success();
    let file = only_backup(&backups);
    let sum = PathBuf::from(format!("{}.sha256", file.display()));
    let original = std::fs::read_to_string(&file).unwrap();

    // Over a live store: refused before anything is read.
    caseload(&live)
        .args(["restore", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the folder is not empty"));

    // A changed byte: the checksum says so, and restore writes nothing.
    let tampered = original.replacen("\"revision\":1", "\"revision\":7", 1);
    std::fs::write(&file, &tampered).unwrap();
    caseload(&live)
        .args(["verify", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the checksum does not match"));
    let target = tmp.path().join("target");
    caseload(&target)
        .args(["restore", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the checksum does not match"));
    assert!(!target.exists(), "restore created nothing");

    // A dangling reference with a matching checksum: verify names it.
    let first_checkin_peer = original.find("\"peer\":\"P").unwrap();
    let mut broken = original.clone();
    broken.replace_range(
        first_checkin_peer..first_checkin_peer + 10,
        "\"peer\":\"P999",
    );
    std::fs::write(&file, &broken).unwrap();
    let digest = {
        use sha2::Digest;
        let h = sha2::Sha256::digest(broken.as_bytes());
        h.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    std::fs::write(&sum, format!("{digest}  x.json\n")).unwrap();
    caseload(&live)
        .args(["verify", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("P999"));

    // No checksum beside it.
    std::fs::remove_file(&sum).unwrap();
    caseload(&live)
        .args(["verify", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot read its checksum"));

    // Restore without naming the new folder.
    Command::cargo_bin("caseload")
        .unwrap()
        .env_remove("CASELOAD_DATA_DIR")
        .args(["restore", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("restore needs --data-dir NEW"));
}

#[test]
fn the_spreadsheet_export_opens_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    caseload(&live)
        .args([
            "peer",
            "add",
            "=HYPERLINK(\"http://x\")",
            "--phone",
            "555, ext. 2",
        ])
        .assert()
        .success();
    caseload(&live)
        .args(["peer", "add", "Zoë Ångström"])
        .assert()
        .success();
    let out = tmp.path().join("sheets");
    caseload(&live)
        .args(["export", "--csv", out.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("peers.csv (2 rows)"));
    for name in [
        "staff.csv",
        "peers.csv",
        "goals.csv",
        "goal_steps.csv",
        "groups.csv",
        "sessions.csv",
        "attendance.csv",
        "checkins.csv",
    ] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF# CONFIDENTIAL: This record is protected by federal confidentiality rules (42 CFR part 2)."), "{name}");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{name}: CRLF only"
        );
    }
    let text = std::fs::read_to_string(out.join("peers.csv")).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(&rows[0][1], "'=HYPERLINK(\"http://x\")", "neutralised");
    assert_eq!(&rows[0][4], "555, ext. 2");
    assert_eq!(&rows[1][1], "Zoë Ångström");
}

#[test]
fn a_backup_taken_while_writes_continue_is_consistent() {
    let (_dir, store) = support::fresh();
    let store = Arc::new(store);
    let s1 = staff(&*store, "Jordan Reyes");
    let g = group(&*store, "Circle");
    // Enough check-ins that an export reads several pages and takes a
    // while, so the writer's rounds land in the middle of exports.
    let first = store
        .create_peer(Peer::new("First", d("2026-01-05")), &actor())
        .unwrap();
    for _ in 0..3 {
        let batch = (0..1_000)
            .map(|_| CheckIn::new(first.id, s1.id, at("2026-11-09T10:00:00-05:00")))
            .collect();
        store.create_checkins(batch, &actor()).unwrap();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let writer = {
        let (store, stop, done) = (store.clone(), stop.clone(), rounds.clone());
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) || n < 20 {
                // Each round makes records that refer to the newest ones.
                let p = store
                    .create_peer(Peer::new(format!("Peer {n}"), d("2026-01-05")), &actor())
                    .unwrap();
                let goal = store
                    .create_goal(
                        Goal::new(p.id, LifeDomain::Housing, "Home", d("2026-02-01")),
                        &actor(),
                    )
                    .unwrap();
                let mut c = CheckIn::new(p.id, s1.id, at("2026-11-10T10:00:00-05:00"));
                c.goals = vec![goal.id];
                store.create_checkin(c, &actor()).unwrap();
                store
                    .create_session(session(g.id, "2026-11-10", &[p.id]), &actor())
                    .unwrap();
                n += 1;
                done.store(n, Ordering::SeqCst);
            }
            n
        })
    };
    while rounds.load(Ordering::SeqCst) < 3 {
        std::thread::yield_now();
    }
    let mut sizes = Vec::new();
    let mut overlapped = 0;
    for _ in 0..8 {
        let mut out = Vec::new();
        let before = rounds.load(Ordering::SeqCst);
        export_json(&*store, &mut out).unwrap();
        if rounds.load(Ordering::SeqCst) > before {
            overlapped += 1;
        }
        let counts = verify_json(&out[..], "backup during writes")
            .unwrap_or_else(|e| panic!("inconsistent backup: {e}"));
        sizes.push(counts.checkins);
    }
    stop.store(true, Ordering::Relaxed);
    let rounds = writer.join().unwrap();
    assert!(rounds >= 20);
    assert!(overlapped >= 1, "no export ran while the writer wrote");
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    // And once writes stop, the backup holds everything.
    let mut out = Vec::new();
    let counts = export_json(&*store, &mut out).unwrap();
    assert_eq!(counts.checkins, rounds + 3_000);
    assert_eq!(counts.peers, rounds + 1);
    verify_json(&out[..], "final").unwrap();
}
