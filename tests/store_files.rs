//! The store's files are private whatever the umask, checked and repaired
//! at every open (and said so), `serve --group` shares the socket and never
//! the files, and a check-in costs at most two disk syncs.
//!
//! Each case runs the real binary in a child process with the umask set
//! just for it (`pre_exec`), so this test process's own umask (which
//! opening a store tightens) never matters.

mod server_support;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use caseload::model::{Actor, CheckIn, Peer, PeerId, Role, Staff, StaffId};
use caseload::server::{client::server_answers, socket_path};
use caseload::store::{SledStore, Store};
use chrono::{FixedOffset, TimeZone};

/// The binary on `dir`, run with `umask` (nothing from the environment).
fn caseload(dir: &Path, umask: u32) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_PIN")
        .env_remove("CASELOAD_DATA_DIR")
        .env_remove("CASELOAD_LOG")
        // The private service exits once the command is done, so that the
        // test may then open the store's files itself.
        .env("CASELOAD_SERVICE_IDLE_SECS", "0")
        .stdin(Stdio::null());
    // SAFETY: umask(2) is async-signal-safe and touches no memory, so it
    // may run between fork and exec.
    unsafe {
        c.pre_exec(move || {
            libc::umask(umask as libc::mode_t);
            Ok(())
        });
    }
    c
}

/// Runs the binary and insists it succeeded; returns its output.
fn run(dir: &Path, umask: u32, args: &[&str]) -> Output {
    let out = caseload(dir, umask)
        .args(args)
        .output()
        .expect("run caseload");
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).expect("lstat").permissions().mode() & 0o7777
}

/// Every entry below `dir` (not following links) with its mode.
fn modes_below(dir: &Path) -> BTreeMap<PathBuf, (u32, fs::FileType)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let m = fs::symlink_metadata(&p).expect("lstat");
            if m.is_dir() {
                todo.push(p.clone());
            }
            out.insert(p, (m.permissions().mode() & 0o7777, m.file_type()));
        }
    }
    out
}

/// Asserts the store directory is `dir_mode` and everything in it is
/// owner-only: files 0600, directories 0700 (a socket is the server's).
fn assert_private(dir: &Path, dir_mode: u32, context: &str) {
    assert_eq!(
        mode(dir),
        dir_mode,
        "{context}: mode of the store directory"
    );
    let entries = modes_below(dir);
    assert!(
        entries.contains_key(&dir.join("db")) && entries.contains_key(&dir.join("conf")),
        "{context}: sled's files are there: {entries:?}"
    );
    for (p, (m, kind)) in &entries {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_socket() {
            continue;
        }
        let want = if kind.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*m, want, "{context}: mode of {}", p.display());
    }
}

/// A store made through the command line under `umask`: a staff member,
/// a peer and a check-in.
fn cli_store(umask: u32) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    // A directory that does not exist yet: caseload creates it.
    let dir = tmp.path().join("store");
    run(
        &dir,
        umask,
        &["staff", "add", "Jordan Reyes", "--role", "peer-specialist"],
    );
    run(&dir, umask, &["peer", "add", "Ana Ruiz"]);
    run(&dir, umask, &["log", "P1", "--note", "talked about work"]);
    // The store's private service goes once the commands are done (idle
    // time 0); the next command opens the store again.
    let gone_by = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while dir.join("caseload.sock").exists() && std::time::Instant::now() < gone_by {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (tmp, dir)
}

#[test]
fn a_fresh_store_is_private_under_umask_000_and_022_and_stays_so_when_reopened() {
    for umask in [0o000, 0o022] {
        let context = format!("umask {umask:03o}");
        let (_tmp, dir) = cli_store(umask);
        assert_private(&dir, 0o700, &format!("{context}, fresh"));
        // Reopened (reading and writing) under the same loose umask: still
        // private, and nothing needed repairing, so nothing is said.
        let out = run(&dir, umask, &["log", "P1", "--note", "again"]);
        assert!(
            !stderr(&out).contains("private"),
            "{context}: {}",
            stderr(&out)
        );
        let out = run(&dir, umask, &["peer", "list"]);
        assert!(!stderr(&out).contains("private"), "{context}");
        assert_private(&dir, 0o700, &format!("{context}, reopened"));
    }
}

#[test]
fn a_store_made_readable_is_repaired_at_open_and_says_so() {
    let (_tmp, dir) = cli_store(0o022);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    for name in ["db", "conf"] {
        fs::set_permissions(dir.join(name), fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::set_permissions(dir.join("blobs"), fs::Permissions::from_mode(0o755)).unwrap();
    // A file someone left in the store is private too.
    fs::write(dir.join("notes.txt"), "x").unwrap();
    fs::set_permissions(dir.join("notes.txt"), fs::Permissions::from_mode(0o666)).unwrap();

    let out = run(&dir, 0o022, &["peer", "list"]);
    let err = stderr(&out);
    for (path, was) in [
        (dir.clone(), "0755"),
        (dir.join("db"), "0644"),
        (dir.join("conf"), "0644"),
        (dir.join("blobs"), "0755"),
        (dir.join("notes.txt"), "0666"),
    ] {
        let line = format!("made {} private: its mode was {was}", path.display());
        let n = err.lines().filter(|l| l.contains(&line)).count();
        assert_eq!(n, 1, "one line for {}: {err}", path.display());
    }
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Ana Ruiz"),
        "the command still works"
    );
    assert_private(&dir, 0o700, "repaired");
    // Repaired once: the next open has nothing to say.
    let out = run(&dir, 0o022, &["peer", "list"]);
    assert!(!stderr(&out).contains("private"), "{}", stderr(&out));
}

#[test]
fn the_library_reports_its_repairs_too() {
    let (_tmp, dir) = cli_store(0o022);
    fs::set_permissions(dir.join("db"), fs::Permissions::from_mode(0o640)).unwrap();
    let store = SledStore::open(&dir).expect("open");
    let repairs: Vec<_> = store
        .mode_repairs()
        .iter()
        .map(|r| (r.path.clone(), r.was, r.now))
        .collect();
    assert_eq!(repairs, vec![(dir.join("db"), 0o640, 0o600)]);
    assert_eq!(mode(&dir.join("db")), 0o600);
    drop(store);
    let store = SledStore::open(&dir).expect("reopen");
    assert!(store.mode_repairs().is_empty());
}

#[test]
fn a_symbolic_link_in_the_store_is_neither_followed_nor_changed() {
    let (tmp, dir) = cli_store(0o022);
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, "public").unwrap();
    fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();
    run(&dir, 0o022, &["peer", "list"]);
    assert_eq!(mode(&outside), 0o644, "the link's target is not ours");
    assert!(fs::symlink_metadata(dir.join("link"))
        .unwrap()
        .file_type()
        .is_symlink());
}

/// The primary group of this test's user.
fn primary_group() -> (String, u32) {
    // SAFETY: getgid(2) cannot fail and has no preconditions.
    let gid = unsafe { libc::getgid() };
    let out = Command::new("id").arg("-gn").output().expect("id -gn");
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(!name.is_empty(), "no name for group {gid}");
    (name, gid)
}

/// `caseload serve` on `dir` under `umask`, waited for until it answers.
struct Serve(std::process::Child);

impl Serve {
    fn start(dir: &Path, umask: u32, group: Option<&str>) -> Serve {
        let mut c = caseload(dir, umask);
        c.arg("serve");
        if let Some(g) = group {
            c.args(["--group", g]);
        }
        let child = c
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let mut s = Serve(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !server_answers(&socket_path(dir)) {
            if let Ok(Some(status)) = s.0.try_wait() {
                panic!("caseload serve exited early: {status}");
            }
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        s
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_gives_the_group_the_socket_and_never_the_files() {
    let (group, gid) = primary_group();
    for umask in [0o000, 0o022] {
        for with_group in [false, true] {
            let context = format!("umask {umask:03o}, group {with_group}");
            let tmp = server_support::make_store();
            let dir = server_support::store_dir(tmp.path());
            // Loose files from before: the server repairs them too.
            fs::set_permissions(dir.join("db"), fs::Permissions::from_mode(0o644)).unwrap();
            let server = Serve::start(&dir, umask, with_group.then_some(group.as_str()));
            // A write through the server, so sled has written since it opened.
            let remote =
                server_support::client(&dir, server_support::ADMIN, server_support::ADMIN_PIN);
            remote
                .create_checkin(
                    server_support::checkin(1, server_support::ADMIN, "through the server"),
                    &Actor::login("t"),
                )
                .expect("check-in through the server");
            let socket = socket_path(&dir);
            let (dir_mode, sock_mode) = if with_group {
                (0o710, 0o660)
            } else {
                (0o700, 0o600)
            };
            assert_private(&dir, dir_mode, &context);
            assert_eq!(mode(&socket), sock_mode, "{context}: socket");
            if with_group {
                let dm = fs::metadata(&dir).unwrap();
                assert_eq!(dm.gid(), gid, "{context}: directory's group");
                assert_eq!(fs::metadata(&socket).unwrap().gid(), gid, "{context}");
            }
            drop(remote);
            drop(server);
        }
    }
}

fn at(h: u32, m: u32) -> chrono::DateTime<FixedOffset> {
    FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2026, 2, 3, h, m, 0)
        .single()
        .unwrap()
}

#[test]
fn a_check_in_costs_at_most_two_disk_syncs() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SledStore::open(tmp.path()).unwrap();
    let actor = Actor::login("t");
    store
        .create_staff(Staff::new("Ana", Role::PeerSpecialist), &actor)
        .unwrap();
    store
        .create_peer(Peer::new("Jo", at(0, 0).date_naive()), &actor)
        .unwrap();
    let mut per_checkin = Vec::new();
    for i in 0..20 {
        let before = store.sync_count();
        let mut c = CheckIn::new(PeerId::new(1), StaffId::new(1), at(9, i));
        c.note = "x".repeat(200 * i as usize);
        store.create_checkin(c, &actor).unwrap();
        per_checkin.push(store.sync_count() - before);
    }
    assert!(
        per_checkin.iter().all(|n| (1..=2).contains(n)),
        "syncs per check-in: {per_checkin:?}"
    );
    // A read syncs nothing.
    let before = store.sync_count();
    store.recent_checkins(PeerId::new(1), 5).unwrap();
    assert_eq!(store.sync_count(), before);
}

/// With strace on the machine: the real `caseload log` process
/// `fdatasync`s its check-in, and makes at most two disk syncs (`fsync`,
/// `fdatasync`: the calls that reach stable storage) more than a command
/// that only reads, whose opening and closing of sled cost syncs of their
/// own. sled's `sync_file_range` calls (write-back only) are printed, not
/// counted.
#[test]
fn caseload_log_under_strace_syncs_the_check_in() {
    let Some(strace) = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("strace not installed; skipped");
        return;
    };
    let (tmp, dir) = cli_store(0o022);
    let count = |args: &[&str]| -> Option<BTreeMap<String, usize>> {
        let trace = tmp.path().join("trace");
        let _ = fs::remove_file(&trace);
        let out = Command::new(strace)
            .args([
                "-f",
                "-qq",
                "-e",
                "trace=fsync,fdatasync,sync_file_range",
                "-o",
            ])
            .arg(&trace)
            .arg(env!("CARGO_BIN_EXE_caseload"))
            .arg("--data-dir")
            .arg(&dir)
            .args(args)
            .env_remove("CASELOAD_STAFF")
            .env_remove("CASELOAD_DATA_DIR")
            // strace -f follows the private service too: it must end
            // with the command.
            .env("CASELOAD_SERVICE_IDLE_SECS", "0")
            .output()
            .expect("strace");
        let err = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() && (err.contains("ptrace") || err.contains("not permitted")) {
            // This sandbox does not allow tracing.
            eprintln!("strace cannot trace here: {err}");
            return None;
        }
        assert!(out.status.success(), "{err}");
        let mut calls = BTreeMap::new();
        for line in fs::read_to_string(&trace).unwrap_or_default().lines() {
            for call in ["fsync(", "fdatasync(", "sync_file_range("] {
                if line.contains(call) && !line.contains("<unfinished") {
                    *calls
                        .entry(call.trim_end_matches('(').to_string())
                        .or_insert(0) += 1;
                }
            }
        }
        Some(calls)
    };
    let durable = |m: &BTreeMap<String, usize>| {
        m.get("fsync").copied().unwrap_or(0) + m.get("fdatasync").copied().unwrap_or(0)
    };
    let (Some(read), Some(write)) = (
        count(&["peer", "list"]),
        count(&["log", "P1", "--note", "traced"]),
    ) else {
        return;
    };
    eprintln!("syncs: peer list {read:?}; log {write:?}");
    if read.is_empty() && write.is_empty() {
        // strace could not trace here (no ptrace in this sandbox).
        eprintln!("strace saw no calls; skipped");
        return;
    }
    assert!(
        write.get("fdatasync").copied().unwrap_or(0) >= 1,
        "the check-in is fdatasynced: {write:?}"
    );
    assert!(
        durable(&write) <= durable(&read) + 2,
        "a check-in adds at most two disk syncs: log {write:?}, peer list {read:?}"
    );
}
