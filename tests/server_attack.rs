//! The server under attack: parallel wrong PINs, an unauthenticated
//! client hammering one staff member, idle and slow connections. Each test
//! says the bound it holds the server to.
//!
//! Tests that need a second operating-system login run the `caseload`
//! binary as `nobody` (uid 65534, group `nogroup`) with a server started
//! with `--group nogroup`; that needs root (CI runs as root). Without it
//! they say why on stderr and check nothing else.

mod server_support;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use caseload::model::StaffId;
use caseload::ops::auth::{Throttle, FREE_TRIES};
use caseload::server::protocol::{
    decode, encode, read_frame, write_frame, Answer, Hello, HelloReply, Pin, Request, Response,
    WireError, MAX_RESPONSE_BYTES,
};
use caseload::server::{socket_path, RemoteStore, ServeOptions, Server};
use caseload::store::{AuditEntry, AuditFilter, Store};

use server_support::*;

/// The most resident memory a server may use while attacked (it starts
/// near 12 MiB; argon2 takes about 19 MiB a check and two run at once).
const RSS_BOUND_KIB: u64 = 120 * 1024;

/// The uid and gid a second login runs as.
const OTHER_UID: u32 = 65534;
const OTHER_GID: u32 = 65534;
const OTHER_GROUP: &str = "nogroup";

/// A raw connection that has said hello; `None` if the server refused it
/// (with its message).
fn greeted(dir: &Path) -> Result<UnixStream, String> {
    let s = UnixStream::connect(socket_path(dir)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    // A refusal may come before the hello is out (then the write fails):
    // read it anyway.
    let _ = write_frame(&s, &encode(&Hello::ours()).expect("encode"));
    let mut r = &s;
    let reply: HelloReply =
        decode(&read_frame(&mut r, 1 << 20).map_err(|e| format!("{e:?}"))?).expect("a reply");
    if reply.accepted {
        Ok(s)
    } else {
        Err(reply.message)
    }
}

/// Sends one request and reads its answer.
fn ask(s: &UnixStream, request: &Request) -> Response {
    write_frame(s, &encode(request).expect("encode")).expect("send");
    let mut r = s;
    decode(&read_frame(&mut r, MAX_RESPONSE_BYTES).expect("an answer")).expect("decodes")
}

/// How one sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The PIN was checked and was wrong.
    WrongPin,
    /// Refused before any check (throttled or busy).
    NotChecked(String),
    /// Signed in.
    SignedIn,
}

fn sign_in_raw(s: &UnixStream, staff: StaffId, pin: &str) -> Outcome {
    match ask(
        s,
        &Request::SignIn {
            staff,
            pin: Pin(pin.to_string()),
        },
    ) {
        Response::SignedIn(_) => Outcome::SignedIn,
        Response::Error(WireError::Denied { reason, .. }) if reason.starts_with("wrong PIN") => {
            Outcome::WrongPin
        }
        Response::Error(WireError::Denied { reason, .. }) => Outcome::NotChecked(reason),
        other => panic!("unexpected answer to a sign-in: {other:?}"),
    }
}

/// `n` wrong PINs for `staff` at once, each on its own connection.
fn parallel_wrong_pins(dir: &Path, staff: StaffId, n: usize) -> Vec<Outcome> {
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let dir = dir.to_path_buf();
            std::thread::spawn(move || {
                let s = greeted(&dir).expect("accepted");
                sign_in_raw(&s, staff, &format!("9{i:03}"))
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("attacker thread"))
        .collect()
}

/// The most PIN checks the throttle allows one staff member at one login
/// within `d`: the free tries, then one after each wait.
fn allowance(d: Duration) -> u32 {
    let mut count = FREE_TRIES;
    let mut at = Duration::ZERO;
    loop {
        at += Throttle::wait_after(count);
        if at > d {
            return count;
        }
        count += 1;
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

fn audit_as_admin(dir: &Path) -> Vec<AuditEntry> {
    client(dir, ADMIN, ADMIN_PIN)
        .audit(&AuditFilter::default())
        .expect("admin reads the trail")
}

#[test]
fn parallel_wrong_pins_get_no_more_checks_than_sequential_ones() {
    // In this process, so the server's own count of argon2 runs is read.
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    // Room for all 20 connections from this one login: the throttle, not
    // the connection cap, is what is tested here.
    let options = ServeOptions {
        max_connections_per_login: 64,
        ..ServeOptions::default()
    };
    let server = Server::start(&dir, &options).expect("server");
    let outcomes = parallel_wrong_pins(&dir, SPECIALIST, 20);
    let checked = outcomes.iter().filter(|o| **o == Outcome::WrongPin).count();
    eprintln!(
        "20 wrong PINs at once: {} PIN checks, {checked} told \"wrong PIN\"",
        server.pin_checks()
    );
    assert_eq!(server.pin_checks(), u64::from(FREE_TRIES), "{outcomes:?}");
    assert_eq!(checked, FREE_TRIES as usize);
    assert!(outcomes.iter().all(|o| match o {
        Outcome::NotChecked(r) => r.contains("try again in"),
        Outcome::WrongPin => true,
        Outcome::SignedIn => false,
    }));
    // A second wave within the wait: nothing more is checked.
    parallel_wrong_pins(&dir, SPECIALIST, 20);
    assert_eq!(server.pin_checks(), u64::from(FREE_TRIES));
    // Stopping writes the refusals still being counted: all 40 are on the
    // trail, in at most two entries (the first, then the minute's tally).
    server.stop();
    let store = caseload::store::SledStore::open(&dir).expect("reopen");
    let failed: Vec<AuditEntry> = store
        .audit(&AuditFilter::default())
        .expect("trail")
        .into_iter()
        .filter(|e| e.event.failed_sign_ins() > 0)
        .collect();
    assert_eq!(
        failed
            .iter()
            .map(|e| e.event.failed_sign_ins())
            .sum::<u32>(),
        40,
        "{failed:?}"
    );
    assert!(failed.len() <= 2, "{failed:?}");
}

#[test]
fn memory_stays_bounded_under_parallel_wrong_pins() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = ServerProcess::start_with(&dir, &["--max-connections-per-login", "128"]);
    let pid = server.child.id();
    let before = rss_kib(pid);
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(rss_kib(pid), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    // 20 at once for each of the three staff members.
    let attackers: Vec<_> = [ADMIN, SUPERVISOR, SPECIALIST]
        .into_iter()
        .map(|staff| {
            let dir = dir.clone();
            std::thread::spawn(move || parallel_wrong_pins(&dir, staff, 20))
        })
        .collect();
    let outcomes: Vec<Outcome> = attackers
        .into_iter()
        .flat_map(|h| h.join().expect("attack"))
        .collect();
    done.store(true, Ordering::SeqCst);
    sampler.join().expect("sampler");
    let peak = peak.load(Ordering::SeqCst);
    let after = rss_kib(pid);
    let checked = outcomes.iter().filter(|o| **o == Outcome::WrongPin).count();
    eprintln!(
        "60 wrong PINs at once for 3 staff: {checked} checked; server RSS {before} KiB before, peak {peak} KiB, {after} KiB after (bound {RSS_BOUND_KIB} KiB)"
    );
    assert_eq!(checked, 3 * FREE_TRIES as usize, "{outcomes:?}");
    assert!(peak < RSS_BOUND_KIB, "peak RSS {peak} KiB");
    assert!(after < RSS_BOUND_KIB, "RSS after {after} KiB");
}

/// The uid this test runs as may become another login (root), else why not.
fn second_login_possible() -> Result<(), String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    if euid != 0 {
        return Err(format!(
            "these tests run a client as uid {OTHER_UID} and need root (running as uid {euid})"
        ));
    }
    let groups = std::fs::read_to_string("/etc/group").unwrap_or_default();
    if !groups
        .lines()
        .any(|l| l.starts_with(&format!("{OTHER_GROUP}:")))
    {
        return Err(format!("there is no group {OTHER_GROUP}"));
    }
    Ok(())
}

/// A store the other login can reach through the socket (the temp dir
/// must be passable; the server gives the group the store directory and
/// socket), and its server started with `--group nogroup` and `args`.
fn shared_store(args: &[&str]) -> (tempfile::TempDir, PathBuf, ServerProcess) {
    let tmp = make_store();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o711))
        .expect("chmod temp dir");
    let dir = store_dir(tmp.path());
    let mut all = vec!["--group", OTHER_GROUP];
    all.extend_from_slice(args);
    let server = ServerProcess::start_with(&dir, &all);
    (tmp, dir, server)
}

/// `caseload ARGS` on `dir` as the other login, signed in as Pat.
fn as_other_login(dir: &Path, args: &[&str]) -> Output {
    let home = std::env::temp_dir();
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .uid(OTHER_UID)
        .gid(OTHER_GID)
        .env_clear()
        .env("HOME", &home)
        .env("PATH", "/usr/bin:/bin")
        .env("CASELOAD_STAFF", "Pat Peer")
        .env("CASELOAD_PIN", SPECIALIST_PIN)
        .stdin(Stdio::null())
        .output()
        .expect("run caseload as the other login")
}

#[test]
fn an_attack_from_one_login_does_not_keep_the_staff_member_out_at_another() {
    if let Err(why) = second_login_possible() {
        eprintln!("skipped: {why}");
        return;
    }
    let (_tmp, dir, _server) = shared_store(&[]);
    let stop = Arc::new(AtomicBool::new(false));
    let attack_began = Instant::now();
    // Four unauthenticated attackers from this login, each sending wrong
    // PINs for Pat as fast as they are answered.
    let attackers: Vec<_> = (0..4)
        .map(|a| {
            let (dir, stop) = (dir.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                let s = greeted(&dir).expect("attacker accepted");
                let mut refused = 0u32;
                let mut checked = 0u32;
                let mut i = 0u32;
                while !stop.load(Ordering::SeqCst) {
                    match sign_in_raw(&s, SPECIALIST, &format!("{a}{i:04}")) {
                        Outcome::WrongPin => checked += 1,
                        Outcome::NotChecked(_) => {}
                        Outcome::SignedIn => panic!("a guess signed in"),
                    }
                    refused += 1;
                    i += 1;
                }
                (refused, checked)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let mut succeeded = 0;
    for _ in 0..20 {
        let out = as_other_login(&dir, &["peer", "list"]);
        if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Dana Ortiz") {
            succeeded += 1;
        } else {
            eprintln!(
                "a real sign-in failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let attack_lasted = attack_began.elapsed();
    let (refused, checked) = attackers
        .into_iter()
        .map(|h| h.join().expect("attacker"))
        .fold((0, 0), |(r, c), (r2, c2)| (r + r2, c + c2));
    let log = audit_as_admin(&dir);
    let failed: Vec<&AuditEntry> = log
        .iter()
        .filter(|e| e.event.failed_sign_ins() > 0)
        .collect();
    let recorded: u32 = failed.iter().map(|e| e.event.failed_sign_ins()).sum();
    let minutes = u32::try_from(took.as_secs() / 60).expect("short") + 1;
    eprintln!(
        "{succeeded} of 20 real sign-ins from another login succeeded in {took:?} while {refused} wrong tries ({checked} checked) came from this one; {} SignInFailed entries on the trail for them",
        failed.len()
    );
    assert_eq!(succeeded, 20);
    assert!(refused > 20, "the attack ran ({refused} tries)");
    assert!(
        checked <= allowance(attack_lasted),
        "{checked} PINs checked in {attack_lasted:?}"
    );
    assert_eq!(
        recorded, refused,
        "every refused try is counted on the trail, none lost"
    );
    // Coalesced: one entry per minute, plus at most one per sign-in that
    // wrote the pending tally (20 real ones and the admin's).
    assert!(
        failed.len() as u32 <= minutes + 21 + 1,
        "{} entries for {refused} refusals",
        failed.len()
    );
    assert!(failed
        .iter()
        .all(|e| e.actor.login != "nobody" && e.actor.staff.is_none()));
}

#[test]
fn idle_connections_from_one_login_do_not_keep_another_login_out() {
    if let Err(why) = second_login_possible() {
        eprintln!("skipped: {why}");
        return;
    }
    let (_tmp, dir, _server) = shared_store(&[]);
    let mut held = Vec::new();
    let mut refusals = Vec::new();
    for _ in 0..200 {
        match greeted(&dir) {
            Ok(s) => held.push(s),
            Err(message) => refusals.push(message),
        }
    }
    eprintln!(
        "200 idle connections from one login: {} held, {} refused",
        held.len(),
        refusals.len()
    );
    assert_eq!(held.len(), 16, "the default cap per login");
    assert!(
        refusals
            .iter()
            .all(|r| r.contains("the most one login may have (16)")),
        "{refusals:?}"
    );
    // The client says so too.
    match RemoteStore::connect(&socket_path(&dir)) {
        Err(caseload::server::ConnectError::Failed(e)) => {
            assert!(e.to_string().contains("the most one login may have"), "{e}")
        }
        Err(caseload::server::ConnectError::NoServer) => panic!("the server is there"),
        Ok(_) => panic!("a 17th connection from one login was accepted"),
    }
    let started = Instant::now();
    let out = as_other_login(&dir, &["peer", "list"]);
    let took = started.elapsed();
    eprintln!("another login signed in and listed peers in {took:?}");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Dana Ortiz"));
    assert!(took < Duration::from_secs(2), "{took:?}");
    // Letting go of some frees this login's slots again.
    held.truncate(10);
    let again = eventually(Duration::from_secs(10), || greeted(&dir).ok());
    assert!(again.is_some(), "a freed slot is usable");
}

#[test]
fn a_slow_hello_is_cut_off_at_its_deadline() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let s = UnixStream::connect(socket_path(&dir)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut frame = Vec::new();
    let hello = encode(&Hello::ours()).expect("encode");
    frame.extend_from_slice(&u32::try_from(hello.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&hello);
    let whole_hello_takes = Duration::from_secs(2) * u32::try_from(frame.len()).expect("small");
    let started = Instant::now();
    let writer = {
        let s = s.try_clone().expect("clone");
        std::thread::spawn(move || {
            for b in frame {
                if std::io::Write::write_all(&mut &s, &[b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_secs(2));
            }
        })
    };
    let mut r = &s;
    let reply: HelloReply =
        decode(&read_frame(&mut r, 1 << 20).expect("a refusal")).expect("a hello reply");
    let took = started.elapsed();
    eprintln!(
        "a hello of one byte every 2 s was cut off after {took:?} (the whole hello would take {whole_hello_takes:?})"
    );
    assert!(!reply.accepted);
    assert!(
        reply.message.contains("no whole hello within 5 s"),
        "{}",
        reply.message
    );
    assert!(took >= Duration::from_millis(4500), "{took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(whole_hello_takes > Duration::from_secs(30));
    let _ = s.shutdown(std::net::Shutdown::Both);
    writer.join().expect("writer");
    let c = client(&dir, ADMIN, ADMIN_PIN);
    assert_eq!(c.list_peers().expect("still serving").len(), 2);
}

#[test]
fn a_connection_that_never_signs_in_is_closed_and_a_signed_in_one_stays() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start_with(&dir, &["--sign-in-timeout", "1"]);
    let idle = greeted(&dir).expect("accepted");
    let started = Instant::now();
    let mut r = &idle;
    let said: Response =
        decode(&read_frame(&mut r, MAX_RESPONSE_BYTES).expect("a last word")).expect("decodes");
    let took = started.elapsed();
    match said {
        Response::Error(WireError::Refused(m)) => {
            assert!(m.contains("not signed in within 1 s"), "{m}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(
        read_frame(&mut r, MAX_RESPONSE_BYTES).is_err(),
        "and it is closed"
    );

    // Signed in in time: the connection stays, also once locked (a locked
    // UI signs in again on the connection it has).
    let kept = greeted(&dir).expect("accepted");
    assert_eq!(
        sign_in_raw(&kept, SPECIALIST, SPECIALIST_PIN),
        Outcome::SignedIn
    );
    let locked = ask(
        &kept,
        &Request::RecordEvent {
            event: caseload::store::AuditEvent::Locked,
        },
    );
    assert!(
        matches!(locked, Response::Answer(Answer::RecordEvent(()))),
        "{locked:?}"
    );
    std::thread::sleep(Duration::from_millis(1600));
    assert_eq!(
        sign_in_raw(&kept, SPECIALIST, SPECIALIST_PIN),
        Outcome::SignedIn
    );
    assert!(matches!(
        ask(&kept, &Request::ListPeers {}),
        Response::Answer(Answer::ListPeers(p)) if p.len() == 2
    ));

    // A client left on the sign-in screen past the limit reconnects when
    // it signs in.
    let remote = RemoteStore::connect(&socket_path(&dir)).expect("connect");
    std::thread::sleep(Duration::from_millis(1600));
    remote
        .sign_in(SUPERVISOR, SUPERVISOR_PIN)
        .expect("signs in on a new connection");
    assert_eq!(remote.list_peers().expect("signed in").len(), 2);
}

#[test]
fn stopping_the_service_writes_the_refusals_still_being_counted() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let mut server = ServerProcess::start_with(&dir, &["--max-connections-per-login", "64"]);
    let outcomes = parallel_wrong_pins(&dir, SUPERVISOR, 20);
    assert_eq!(outcomes.len(), 20);
    let pid = libc::pid_t::try_from(server.child.id()).expect("pid");
    // SAFETY: signalling our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = server.child.wait().expect("the server exits");
    assert!(status.success(), "{status}");
    assert!(
        !socket_path(&dir).exists(),
        "a clean stop removes the socket"
    );
    let store = caseload::store::SledStore::open(&dir).expect("reopen");
    let failed: u32 = store
        .audit(&AuditFilter::default())
        .expect("trail")
        .iter()
        .map(|e| e.event.failed_sign_ins())
        .sum();
    assert_eq!(failed, 20, "every refusal is on the trail after SIGTERM");
}
