//! Helpers for the server tests: a store set up directly, a real
//! `caseload serve` child process, and clients signed in through it.

#![allow(dead_code)] // each test file uses its own share of these

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use caseload::model::{Actor, CheckIn, Peer, Role, Staff, StaffId};
use caseload::ops::auth::hash_pin;
use caseload::server::protocol::{
    decode, encode, read_frame, write_frame, Answer, Hello, HelloReply, Pin, Request, Response,
    MAX_RESPONSE_BYTES,
};
use caseload::server::{client::server_answers, socket_path, RemoteStore};
use caseload::store::{AuditEntry, AuditFilter, SledStore, Store};
use chrono::{FixedOffset, TimeZone};

/// PINs of the staff every test store has.
pub const ADMIN_PIN: &str = "1111";
/// The supervisor's PIN.
pub const SUPERVISOR_PIN: &str = "2222";
/// The peer specialist's PIN.
pub const SPECIALIST_PIN: &str = "3333";

/// Ids of the staff in a test store: S1 admin, S2 supervisor, S3 peer
/// specialist; and peers P1 and P2.
pub const ADMIN: StaffId = StaffId::new(1);
/// The supervisor.
pub const SUPERVISOR: StaffId = StaffId::new(2);
/// The peer specialist.
pub const SPECIALIST: StaffId = StaffId::new(3);

/// A temporary store with three staff (each with a PIN) and two peers.
pub fn make_store() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = SledStore::open(&store_dir(tmp.path())).expect("open store");
    let setup = Actor::login("setup");
    for (name, role, pin) in [
        ("Ana Admin", Role::Admin, ADMIN_PIN),
        ("Sam Super", Role::Supervisor, SUPERVISOR_PIN),
        ("Pat Peer", Role::PeerSpecialist, SPECIALIST_PIN),
    ] {
        let mut s = Staff::new(name, role);
        s.pin_hash = Some(hash_pin(pin).expect("hash"));
        store.create_staff(s, &setup).expect("staff");
    }
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");
    store
        .create_peer(Peer::new("Dana Ortiz", day), &setup)
        .expect("peer");
    store
        .create_peer(Peer::new("Eli Moss", day), &setup)
        .expect("peer");
    tmp
}

/// The store directory inside a test's temp dir.
pub fn store_dir(tmp: &Path) -> PathBuf {
    tmp.join("store")
}

/// A `caseload serve` child, killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub dir: PathBuf,
}

impl ServerProcess {
    /// Starts `caseload serve` on `dir` and waits until it answers.
    pub fn start(dir: &Path) -> ServerProcess {
        Self::start_with(dir, &[])
    }

    /// Starts `caseload serve ARGS` on `dir` and waits until it answers.
    pub fn start_with(dir: &Path, args: &[&str]) -> ServerProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_caseload"))
            .arg("--data-dir")
            .arg(dir)
            .arg("serve")
            .args(args)
            .env_remove("CASELOAD_STAFF")
            .env_remove("CASELOAD_PIN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn caseload serve");
        let mut p = ServerProcess {
            child,
            dir: dir.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        // A private service a command started may answer first: wait for
        // `serve` itself (it takes the store over).
        let serving = || {
            server_answers(&socket_path(dir))
                && RemoteStore::connect(&socket_path(dir)).is_ok_and(|r| !r.is_private())
        };
        while !serving() {
            if let Ok(Some(status)) = p.child.try_wait() {
                let mut said = String::new();
                if let Some(mut err) = p.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut err, &mut said);
                }
                panic!("caseload serve exited early: {status}: {said}");
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start in time"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        p
    }

    /// Kills the server at once (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A client connected to the server on `dir`, signed in as `staff`.
pub fn client(dir: &Path, staff: StaffId, pin: &str) -> RemoteStore {
    let remote = match RemoteStore::connect(&socket_path(dir)) {
        Ok(r) => r,
        Err(e) => panic!("connect: {e:?}"),
    };
    remote
        .sign_in(staff, pin)
        .expect("sign in")
        .expect("a server signs in");
    remote
}

/// A check-in for peer P`peer` by `staff`, with a note.
pub fn checkin(peer: u64, staff: StaffId, note: &str) -> CheckIn {
    let at = FixedOffset::east_opt(0)
        .expect("offset")
        .with_ymd_and_hms(2026, 2, 3, 10, 0, 0)
        .single()
        .expect("time");
    let mut c = CheckIn::new(caseload::model::PeerId::new(peer), staff, at);
    c.note = note.to_string();
    c
}

/// Polls `f` until it returns `Some` or `within` passes.
pub fn eventually<T>(within: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The `caseload` binary on `dir`, with no staff or PIN from the
/// environment.
pub fn cli(dir: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_PIN")
        .env_remove("CASELOAD_DATA_DIR")
        // The private service a command starts exits once it is done, so
        // that a test may then open the store's files itself.
        .env("CASELOAD_SERVICE_IDLE_SECS", "0");
    c
}

/// A raw connection speaking the wire protocol itself (no `RemoteStore`):
/// hello, and a sign-in when given a PIN.
pub struct Raw(pub UnixStream);

impl Raw {
    pub fn open(dir: &std::path::Path, sign_in: Option<(StaffId, &str)>) -> Raw {
        let s = UnixStream::connect(socket_path(dir)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write_frame(&s, &encode(&Hello::ours()).expect("encode")).expect("hello");
        let mut r = &s;
        let reply: HelloReply =
            decode(&read_frame(&mut r, 1 << 20).expect("reply")).expect("hello reply");
        assert!(reply.accepted, "{}", reply.message);
        let raw = Raw(s);
        if let Some((staff, pin)) = sign_in {
            let answer = raw.ask(&Request::SignIn {
                staff,
                pin: Pin(pin.into()),
            });
            assert!(matches!(answer, Response::SignedIn(_)), "{answer:?}");
        }
        raw
    }

    pub fn ask(&self, request: &Request) -> Response {
        self.ask_raw(request).0
    }

    /// The answer and the raw bytes of its frame (to show what a field
    /// left out of the answer never crossed the socket).
    pub fn ask_raw(&self, request: &Request) -> (Response, Vec<u8>) {
        write_frame(&self.0, &encode(request).expect("encode")).expect("send");
        let mut r = &self.0;
        let frame = read_frame(&mut r, MAX_RESPONSE_BYTES).expect("answer");
        (decode(&frame).expect("decode"), frame)
    }

    pub fn audit(&self) -> Vec<AuditEntry> {
        match self.ask(&Request::Audit {
            filter: AuditFilter::default(),
        }) {
            Response::Answer(Answer::Audit(log)) => log,
            other => panic!("audit: {other:?}"),
        }
    }
}
