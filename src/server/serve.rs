//! `caseload serve`: one process owns the store; every session of every
//! staff member talks to it over a Unix socket in the store directory.
//!
//! A thread per connection (a handful of staff). Each connection says hello,
//! may sign in, then sends requests one at a time. The server decides who
//! acts: the OS login comes from the kernel (`SO_PEERCRED`), the staff
//! member from the connection's sign-in, never from what the client
//! claims. Nothing a client sends can crash the server: bad frames get an
//! error answer, panics in a request are caught, and a client that
//! vanishes mid-request only ends its own thread (writes are transactions,
//! so nothing is half-written).

use std::collections::HashMap;
use std::io;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::model::Actor;
use crate::ops::access::{not_signed_in, Authorized, Who};
use crate::ops::auth::{self, admin_can_sign_in, hide_pin, Throttle};
use crate::store::{Operation, SledStore, Store, StoreError, StoreResult};

use super::protocol::{
    decode, encode, read_frame, write_frame, FrameError, Hello, HelloReply, Request, Response,
    ServiceInfo, WireError, MAGIC, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES,
    PRIVATE_MAX_REQUEST_BYTES, PROTOCOL,
};
use super::{socket_path, unix};

/// How `caseload serve` stops cleanly on SIGTERM or SIGINT.
pub use super::unix::{block_stop_signals, wait_for_stop_signal, wait_for_stop_signal_for};

/// Most connections served at once; more are told so and closed.
pub const MAX_CONNECTIONS: usize = 128;
/// Default time a new connection has for its whole hello frame.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time a connection has to sign in (when sign-in is required).
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(60);
/// Default most connections one operating-system login may hold at once,
/// so that one login can never take every slot. A UI holds two (requests
/// and notices), a command one.
pub const MAX_CONNECTIONS_PER_LOGIN: usize = 16;
/// How often ended audit windows of failed sign-ins are written out.
const TALLY_EVERY: Duration = Duration::from_secs(1);
/// How often a subscription checks for shutdown.
const NOTICE_POLL: Duration = Duration::from_millis(250);
/// How often an idle subscription is pinged to notice a vanished client.
const PING_EVERY: Duration = Duration::from_secs(15);

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Let members of this group connect (socket 0660, directory 0710,
    /// both owned by the group); without it only the server's own user
    /// can (socket 0600, directory 0700).
    pub group: Option<String>,
    /// Time a new connection has to send its whole hello (a deadline for
    /// the frame, not per read, so a trickle of bytes cannot hold a slot).
    pub hello_timeout: Duration,
    /// Time a connection has from connecting to sign in when sign-in is
    /// required; a connection that never signs in is closed then. (Once
    /// signed in, a connection may stay: a locked UI keeps its connection
    /// and signs in again on it.)
    pub sign_in_timeout: Duration,
    /// Most connections one operating-system login may hold; more from
    /// that login are refused with a message while others still get in.
    pub max_connections_per_login: usize,
    /// The private service a client started for its own user (socket
    /// 0600, directory 0700): it works on a store without PINs, honours
    /// the staff member a client names where nobody signs in, and hands
    /// the store over to `caseload serve` when asked. Whoever can reach
    /// it could open the store's files directly, so it grants nothing
    /// more than that would. Never with `group`.
    pub private: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            group: None,
            hello_timeout: HELLO_TIMEOUT,
            sign_in_timeout: SIGN_IN_TIMEOUT,
            max_connections_per_login: MAX_CONNECTIONS_PER_LOGIN,
            private: false,
        }
    }
}

/// Why the server would not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another server already serves this store.
    #[error("a caseload server is already running for {} (socket {}); stop it first", dir.display(), socket.display())]
    AlreadyRunning {
        /// The store directory.
        dir: PathBuf,
        /// Its socket.
        socket: PathBuf,
    },
    /// Nobody could sign in to manage it.
    #[error("no active admin has a PIN for the store at {}, so once it is shared nobody could manage staff. With the server stopped, run as the user that owns the store: `caseload --data-dir {} staff add \"Your Name\" --role admin --pin-stdin` (or `staff set-pin NAME --pin-stdin` for an existing admin), then start the server again", dir.display(), dir.display())]
    NoAdminPin {
        /// The store directory.
        dir: PathBuf,
    },
    /// The socket or directory could not be set up.
    #[error("cannot set up {}: {error}", path.display())]
    Io {
        /// What was being set up.
        path: PathBuf,
        /// The OS error (shown in the message, not chained, so it is said once).
        error: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ServeError + '_ {
    move |error| ServeError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// What every connection thread shares.
struct Shared {
    store: SledStore,
    throttle: Throttle,
    socket: PathBuf,
    stopping: AtomicBool,
    /// Open connections with the user id of their client (from the
    /// kernel), so that stopping can close them and logins are capped.
    conns: Mutex<HashMap<u64, (Option<u32>, UnixStream)>>,
    next_conn: AtomicU64,
    /// Requests read after the hello, over every connection (for tests
    /// and figures: how many round-trips a command makes).
    requests: AtomicU64,
    options: ServeOptions,
    /// Since when no connection has been open (None while one is).
    idle_since: Mutex<Option<Instant>>,
    /// Set when `caseload serve` asked this private service to hand over.
    hand_over: AtomicBool,
}

/// The file whose `flock` says which process serves a store: held from
/// before the socket is bound until after the store is closed, so that
/// two services starting at once end with one, and a service taking over
/// opens the store only once the previous one has let go of it.
pub const LOCK_NAME: &str = "caseload.lock";

/// Takes the service lock of the store in `dir` without waiting; `None`
/// when another process holds it.
fn try_service_lock(dir: &Path) -> io::Result<Option<std::fs::File>> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(LOCK_NAME);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)?;
    // SAFETY: flock on a descriptor this function owns; no memory involved.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(Some(file));
    }
    let e = io::Error::last_os_error();
    if e.kind() == io::ErrorKind::WouldBlock {
        Ok(None)
    } else {
        Err(e)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running server. Dropping it does not stop it; call [`Server::stop`].
pub struct Server {
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    tally: Option<JoinHandle<()>>,
    /// Keeps the day's Today worked out (`server::warm`).
    warm: Option<JoinHandle<()>>,
    /// The service lock, released only after the store is closed.
    lock: Option<std::fs::File>,
    /// The listening socket (a second handle on the accept loop's), shut
    /// down to wake that loop when stopping: connecting to the socket's
    /// path cannot, once the path is gone (the store directory removed).
    waker: Option<UnixListener>,
}

impl Server {
    /// Opens the store in `dir`, checks that an admin can sign in, and
    /// starts listening on `<dir>/caseload.sock` in the background.
    pub fn start(dir: &Path, options: &ServeOptions) -> Result<Server, ServeError> {
        let socket = socket_path(dir);
        if super::client::server_answers(&socket) {
            return Err(ServeError::AlreadyRunning {
                dir: dir.to_path_buf(),
                socket,
            });
        }
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let gid = match &options.group {
            Some(name) => Some(unix::group_id(name).map_err(io_err(dir))?),
            None => None,
        };
        // The directory guards the socket and the files: others get in only
        // through the group, and then only to reach the socket (0710).
        let mode = if gid.is_some() { 0o710 } else { 0o700 };
        if let Some(g) = gid {
            unix::chown_group(dir, g).map_err(io_err(dir))?;
        }
        // The private service leaves the directory to the store's open,
        // which makes it 0700 and says so if it was not.
        if !options.private {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))
                .map_err(io_err(dir))?;
        }

        // One service per store: whoever holds the lock serves it (or is
        // about to, or is still closing it).
        let lock_file = match try_service_lock(dir).map_err(io_err(&dir.join(LOCK_NAME)))? {
            Some(f) => f,
            None => {
                return Err(ServeError::AlreadyRunning {
                    dir: dir.to_path_buf(),
                    socket,
                })
            }
        };
        unix::return_large_allocations();
        let store = SledStore::open(dir)?;
        if !options.private && !admin_can_sign_in(&store.list_staff()?) {
            return Err(ServeError::NoAdminPin {
                dir: dir.to_path_buf(),
            });
        }
        // Holding the store's lock means no other server owns this
        // directory, so a socket file left here is stale and safe to remove.
        match std::fs::symlink_metadata(&socket) {
            Ok(m) if m.file_type().is_socket() => {
                std::fs::remove_file(&socket).map_err(io_err(&socket))?
            }
            Ok(_) => {
                return Err(ServeError::Io {
                    path: socket.clone(),
                    error: io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        "something that is not a socket has this name; move it away",
                    ),
                })
            }
            Err(_) => {}
        }
        let listener = UnixListener::bind(&socket).map_err(io_err(&socket))?;
        let waker = listener.try_clone().ok();
        if let Some(g) = gid {
            unix::chown_group(&socket, g).map_err(io_err(&socket))?;
        }
        let sock_mode = if gid.is_some() { 0o660 } else { 0o600 };
        std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(sock_mode))
            .map_err(io_err(&socket))?;

        let shared = Arc::new(Shared {
            store,
            throttle: Throttle::default(),
            socket,
            stopping: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
            requests: AtomicU64::new(0),
            options: options.clone(),
            idle_since: Mutex::new(Some(Instant::now())),
            hand_over: AtomicBool::new(false),
        });
        let for_tally = Arc::clone(&shared);
        let tally = std::thread::Builder::new()
            .name("caseload-tally".into())
            .spawn(move || write_tallies(&for_tally))
            .map_err(io_err(dir))?;
        let for_warm = Arc::clone(&shared);
        let warm = std::thread::Builder::new()
            .name("caseload-warm".into())
            .spawn(move || super::warm::keep_today_ready(&for_warm.store, &for_warm.stopping));
        let for_accept = Arc::clone(&shared);
        let accept = std::thread::Builder::new()
            .name("caseload-accept".into())
            .spawn(move || accept_loop(for_accept, listener));
        let (warm, accept) = match (warm, accept) {
            (Ok(w), Ok(a)) => (w, a),
            (warm, accept) => {
                shared.stopping.store(true, Ordering::SeqCst);
                let _ = tally.join();
                let mut error = None;
                for started in [warm, accept] {
                    match started {
                        Ok(h) => drop(h.join()),
                        Err(e) => error = Some(e),
                    }
                }
                let e = error.unwrap_or_else(|| io::Error::other("a thread did not start"));
                return Err(io_err(dir)(e));
            }
        };
        Ok(Server {
            shared,
            accept: Some(accept),
            tally: Some(tally),
            warm: Some(warm),
            lock: Some(lock_file),
            waker,
        })
    }

    /// How long no client has been connected (zero while one is): the
    /// private service exits after its idle setting.
    pub fn idle_for(&self) -> Duration {
        lock(&self.shared.idle_since).map_or(Duration::ZERO, |since| since.elapsed())
    }

    /// Starts stopping if no client has been connected for `idle`, deciding
    /// under the same lock that registers new connections, so that a client
    /// that connects at that moment is either served to the end or closed
    /// before its hello is answered (and then starts or finds the next
    /// service), never greeted and then cut off. Returns true when it
    /// started stopping; call [`Server::stop`] next.
    pub fn stop_if_idle(&self, idle: Duration) -> bool {
        let conns = lock(&self.shared.conns);
        let idle_long_enough = conns.is_empty()
            && lock(&self.shared.idle_since).is_some_and(|since| since.elapsed() >= idle);
        if idle_long_enough {
            self.shared.stopping.store(true, Ordering::SeqCst);
        }
        idle_long_enough
    }

    /// What opening the store found that the user should hear about: modes
    /// it made private, an interrupted import it rolled back. The private
    /// service passes these to the client that started it.
    pub fn open_notes(&self) -> Vec<String> {
        let store = &self.shared.store;
        let mut notes: Vec<String> = store.mode_repairs().iter().map(|r| r.to_string()).collect();
        if let Some(u) = store.upgraded() {
            notes.push(format!(
                "note: the store at {} was {u}",
                crate::text::escape_line(&store.location())
            ));
        }
        if store.rolled_back_import() {
            notes.push(format!(
                "note: an interrupted import into {} was rolled back; the store is empty again",
                crate::text::escape_line(&store.location())
            ));
        }
        notes
    }

    /// How many connections were accepted since the server started.
    pub fn connections_so_far(&self) -> u64 {
        self.shared.next_conn.load(Ordering::Relaxed) - 1
    }

    /// True once `caseload serve` has asked this private service to hand
    /// the store over.
    pub fn hand_over_requested(&self) -> bool {
        self.shared.hand_over.load(Ordering::SeqCst)
    }

    /// True while the socket in the directory is still this server's: a
    /// service whose store directory was removed (or whose socket was
    /// replaced) has nobody left to serve.
    pub fn socket_is_ours(&self) -> bool {
        std::fs::symlink_metadata(&self.shared.socket).is_ok_and(|m| m.file_type().is_socket())
    }

    /// PIN checks (argon2 runs) made since the server started: what
    /// guessers got, for tests and figures.
    pub fn pin_checks(&self) -> u64 {
        self.shared.throttle.pin_checks()
    }

    /// Requests read since the server started, over every connection
    /// (hellos not counted): how many round-trips a command made, for
    /// tests and figures.
    pub fn requests_so_far(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Syncs of the store's files to stable storage since it was opened
    /// (each write's flush is one): for tests and figures.
    pub fn syncs_so_far(&self) -> u64 {
        self.shared.store.sync_count()
    }

    /// Today answers the store has worked out rather than given again from
    /// the ones it keeps (`store::today_cache`): for tests.
    pub fn todays_worked_out(&self) -> u64 {
        self.shared.store.todays_worked_out()
    }

    /// The socket clients connect to.
    pub fn socket(&self) -> &Path {
        &self.shared.socket
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        for h in [self.tally.take(), self.warm.take()].into_iter().flatten() {
            let _ = h.join();
        }
    }

    /// Stops listening, closes every connection, waits for their threads,
    /// releases the store and removes the socket.
    ///
    /// Requests already received are answered (connections are shut for
    /// reading only, so a thread in the middle of a write finishes it and
    /// sends its answer); the socket goes first, so that new clients find
    /// no server and start or wait for the next one; the service lock is
    /// let go last, once the store is closed.
    pub fn stop(mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop, then close every connection so that their
        // threads end and let go of the store.
        let _ = UnixStream::connect(&self.shared.socket);
        if let Some(l) = &self.waker {
            // Makes a blocked accept return (EINVAL) even when the path is
            // gone and the connect above reached nobody.
            // SAFETY: the descriptor is open (owned by `l`); shutdown only
            // changes the socket's state.
            unsafe {
                libc::shutdown(l.as_raw_fd(), libc::SHUT_RDWR);
            }
        }
        let _ = std::fs::remove_file(&self.shared.socket);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        for h in [self.tally.take(), self.warm.take()].into_iter().flatten() {
            let _ = h.join();
        }
        // Failed sign-ins still being counted go on the trail now.
        self.shared.throttle.flush(&self.shared.store);
        let Server { shared, lock, .. } = self;
        // Every thread has ended: this drops the last handle on the store,
        // which sled then closes, before anyone else may take the lock.
        drop(shared);
        drop(lock);
    }
}

/// How long `caseload serve` waits for a private service to hand over.
const TAKE_OVER_WAIT: Duration = Duration::from_secs(30);

/// Who answers on a store's socket.
enum Holder {
    Nobody,
    Private(u32),
    Shared,
}

/// True if reading failed because the other side closed the connection
/// (between or in the middle of frames, or reset it), as a service that is
/// stopping does.
fn closed_without_answer(e: &FrameError) -> bool {
    match e {
        FrameError::Closed => true,
        FrameError::Io(io) => matches!(
            io.kind(),
            io::ErrorKind::UnexpectedEof
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
        ),
        FrameError::TooLarge(_) => false,
    }
}

fn holder(socket: &Path) -> Holder {
    let Ok(stream) = UnixStream::connect(socket) else {
        return Holder::Nobody;
    };
    let hello = match encode(&Hello::ours()) {
        Ok(h) => h,
        Err(_) => return Holder::Nobody,
    };
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    if write_frame(&stream, &hello).is_err() {
        return Holder::Nobody;
    }
    let mut reader = &stream;
    // The connection closed without an answer: a service stopping, or
    // handing over already: wait for its lock. Anything else that is not
    // our hello's answer (a timeout from a busy shared server, another
    // program on the socket) is someone else's, not ours to wait for.
    let reply = match read_frame(&mut reader, 64 * 1024) {
        Ok(reply) => reply,
        Err(e) if closed_without_answer(&e) => return Holder::Nobody,
        Err(_) => return Holder::Shared,
    };
    let accepted = decode::<HelloReply>(&reply)
        .ok()
        .is_some_and(|r| r.accepted && r.protocol == PROTOCOL);
    if !accepted {
        // Another version, or one refusing us: not ours to take over.
        return Holder::Shared;
    }
    let ask = |request: &Request| -> Option<Response> {
        write_frame(&stream, &encode(request).ok()?).ok()?;
        let mut reader = &stream;
        decode(&read_frame(&mut reader, MAX_RESPONSE_BYTES).ok()?).ok()
    };
    match ask(&Request::Service) {
        Some(Response::Service(info)) if info.private => match ask(&Request::HandOver) {
            Some(Response::HandingOver(pid)) => Holder::Private(pid),
            // Closed while being asked: it is on its way out.
            None => Holder::Nobody,
            Some(_) => Holder::Shared,
        },
        Some(_) => Holder::Shared,
        None => Holder::Nobody,
    }
}

/// Starts the shared server (`caseload serve`) on `dir`, first asking a
/// private service that holds the store to hand it over: that service
/// finishes the requests it has, closes the store and exits, and its
/// clients reconnect here. Returns the server and the private service's
/// process id when there was one. A shared server already running is an
/// error ([`ServeError::AlreadyRunning`]).
pub fn start_taking_over(
    dir: &Path,
    options: &ServeOptions,
) -> Result<(Server, Option<u32>), ServeError> {
    let socket = socket_path(dir);
    let deadline = Instant::now() + TAKE_OVER_WAIT;
    let mut took_over = None;
    loop {
        match Server::start(dir, options) {
            Ok(s) => return Ok((s, took_over)),
            Err(e @ ServeError::AlreadyRunning { .. }) => {
                match holder(&socket) {
                    // A client may have started a new private service in
                    // the gap: it is asked too.
                    Holder::Private(pid) => took_over = took_over.or(Some(pid)),
                    Holder::Shared => return Err(e),
                    // Closing, or starting: wait for the lock.
                    Holder::Nobody => {}
                }
                if Instant::now() >= deadline {
                    return Err(e);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Writes the coalesced failed sign-ins of ended windows, every second,
/// until the server stops.
fn write_tallies(shared: &Shared) {
    let mut last = Instant::now();
    while !shared.stopping.load(Ordering::SeqCst) {
        std::thread::sleep(NOTICE_POLL);
        if last.elapsed() >= TALLY_EVERY {
            shared.throttle.flush_expired(&shared.store);
            last = Instant::now();
        }
    }
}

fn accept_loop(shared: Arc<Shared>, listener: UnixListener) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        workers.retain(|w| !w.is_finished());
        let uid = unix::peer_uid(&stream);
        let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
        {
            let mut conns = lock(&shared.conns);
            // Checked again under the lock that `stop_if_idle` decides
            // under: a connection either counts against going idle or is
            // closed ungreeted (its client finds or starts the next service).
            if shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            if conns.len() >= MAX_CONNECTIONS {
                drop(conns);
                refuse_hello(
                    &stream,
                    "the caseload server has too many open sessions; try again shortly",
                );
                continue;
            }
            let cap = shared.options.max_connections_per_login;
            let mut of_login = conns.values().filter(|(u, _)| *u == uid).count();
            if of_login >= cap {
                // Clients that already hung up but whose threads have not
                // noticed yet do not count.
                of_login = conns
                    .values()
                    .filter(|(u, c)| *u == uid && !unix::peer_gone(c))
                    .count();
            }
            if of_login >= cap {
                drop(conns);
                let who = uid.map_or_else(|| "an unknown user".to_string(), unix::user_name);
                refuse_hello(
                    &stream,
                    &format!(
                        "{who} already has {of_login} connections open to the caseload server, the most one login may have ({cap}); close some caseload windows or commands and try again"
                    ),
                );
                continue;
            }
            match stream.try_clone() {
                Ok(clone) => {
                    conns.insert(id, (uid, clone));
                    *lock(&shared.idle_since) = None;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot keep track of a connection; refused");
                    continue;
                }
            }
        }
        let s = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name(format!("caseload-conn-{id}"))
            .spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| serve_connection(&s, &stream)));
                if outcome.is_err() {
                    tracing::error!(conn = id, "a connection thread failed; the server goes on");
                }
                let _ = stream.shutdown(std::net::Shutdown::Both);
                connection_ended(&s, id);
            });
        match spawned {
            Ok(h) => workers.push(h),
            Err(e) => {
                tracing::error!(error = %e, "cannot start a connection thread");
                connection_ended(&shared, id);
            }
        }
    }
    // Shut for reading only: a request being handled is finished and
    // answered; a thread waiting for the next request sees the end.
    for (_, (_, c)) in lock(&shared.conns).drain() {
        let _ = c.shutdown(std::net::Shutdown::Read);
    }
    for w in workers {
        let _ = w.join();
    }
}

/// Forgets connection `id`; the last one to go starts the idle time.
fn connection_ended(shared: &Shared, id: u64) {
    let mut conns = lock(&shared.conns);
    conns.remove(&id);
    if conns.is_empty() {
        *lock(&shared.idle_since) = Some(Instant::now());
    }
}

fn refuse_hello(stream: &UnixStream, message: &str) {
    let reply = HelloReply {
        protocol: PROTOCOL,
        version: env!("CARGO_PKG_VERSION").to_string(),
        accepted: false,
        message: message.to_string(),
    };
    if let Ok(bytes) = encode(&reply) {
        let _ = write_frame(stream, &bytes);
    }
}

fn send(stream: &UnixStream, response: &Response) -> io::Result<()> {
    let bytes = encode(response)?;
    if bytes.len() > MAX_RESPONSE_BYTES {
        let err = Response::Error(WireError::Refused(format!(
            "the answer is {} MiB, more than the {} MiB a client reads; ask for less at a time",
            bytes.len() >> 20,
            MAX_RESPONSE_BYTES >> 20
        )));
        return write_frame(stream, &encode(&err)?);
    }
    write_frame(stream, &bytes)
}

fn serve_connection(shared: &Shared, stream: &UnixStream) {
    let mut reader = stream;
    let connected = Instant::now();
    let hello_by = connected + shared.options.hello_timeout;
    let read = read_frame(&mut unix::ReadBy::new(stream, hello_by), 4096);
    if read.is_err() && shared.stopping.load(Ordering::SeqCst) {
        // Shut while it was connecting: closing without a word tells the
        // client that no server is here, so it starts or finds the next.
        return;
    }
    let hello: Hello = match read {
        Ok(bytes) => match decode::<Hello>(&bytes) {
            Ok(h) if h.magic == MAGIC => h,
            _ => {
                refuse_hello(
                    stream,
                    "this is a caseload server; say hello in its protocol first",
                );
                return;
            }
        },
        Err(FrameError::Io(e)) if e.kind() == io::ErrorKind::TimedOut => {
            refuse_hello(
                stream,
                &format!(
                    "no whole hello within {} s; this is a caseload server",
                    shared.options.hello_timeout.as_secs_f64()
                ),
            );
            return;
        }
        Err(_) => {
            refuse_hello(stream, "no hello received; this is a caseload server");
            return;
        }
    };
    if hello.protocol != PROTOCOL {
        refuse_hello(
            stream,
            &format!(
                "the caseload server at {} speaks protocol {PROTOCOL} (caseload {}), this caseload speaks {} (caseload {}); upgrade caseload so that both are the same version",
                shared.socket.display(),
                env!("CARGO_PKG_VERSION"),
                hello.protocol,
                hello.version
            ),
        );
        return;
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let own_uid = unsafe { libc::geteuid() };
    if shared.options.private && unix::peer_uid(stream).is_some_and(|uid| uid != own_uid) {
        refuse_hello(
            stream,
            "this is a private caseload service, for its owner only; ask an admin to run `caseload serve --group` (see docs/server.md)",
        );
        return;
    }
    let welcome = HelloReply {
        protocol: PROTOCOL,
        version: env!("CARGO_PKG_VERSION").to_string(),
        accepted: true,
        message: String::new(),
    };
    let Ok(bytes) = encode(&welcome) else { return };
    if write_frame(stream, &bytes).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(None);
    // Until this connection first signs in, it must do so by this time
    // (when sign-in is required at all); reads then have no deadline.
    let mut sign_in_by = Some(connected + shared.options.sign_in_timeout);

    let login = if shared.options.private {
        // Only the owner reaches the private service; it names them as
        // the store's own files would have (the login of the user who
        // started it, from the environment), not by the kernel's name.
        Some(crate::ops::os_login())
    } else {
        unix::peer_uid(stream).map(unix::user_name)
    };
    let mut session = Session::new(shared, login);
    let mut load = LoadOwner { shared, owns: None };
    let max_request = if shared.options.private {
        PRIVATE_MAX_REQUEST_BYTES
    } else {
        MAX_REQUEST_BYTES
    };
    loop {
        // No check of `stopping` here: stopping shuts every connection for
        // reading, so a request already sent is still read and answered,
        // and the next read ends the loop.
        if sign_in_by.is_some() && session.store.signed_in().is_some() {
            sign_in_by = None;
            let _ = stream.set_read_timeout(None);
        }
        let by = sign_in_by.filter(|_| staff_require_sign_in_now(shared));
        let read = match by {
            Some(by) => read_frame(&mut unix::ReadBy::new(stream, by), max_request),
            None => {
                if sign_in_by.is_some() {
                    // An open store (no PINs): no deadline for now.
                    let _ = stream.set_read_timeout(None);
                }
                read_frame(&mut reader, max_request)
            }
        };
        let frame = match read {
            Ok(f) => {
                shared.requests.fetch_add(1, Ordering::Relaxed);
                f
            }
            Err(FrameError::Io(e)) if e.kind() == io::ErrorKind::TimedOut && by.is_some() => {
                let _ = send(
                    stream,
                    &Response::Error(WireError::Refused(format!(
                        "not signed in within {} s of connecting; the connection is closed (connect again to sign in)",
                        shared.options.sign_in_timeout.as_secs_f64()
                    ))),
                );
                return;
            }
            Err(FrameError::Closed) | Err(FrameError::Io(_)) => return,
            Err(FrameError::TooLarge(n)) => {
                // The rest of the frame is still in the pipe: answer, close.
                let _ = send(
                    stream,
                    &Response::Error(WireError::Protocol(format!(
                        "a request of {n} bytes is larger than the {} MiB limit",
                        max_request >> 20
                    ))),
                );
                return;
            }
        };
        let request: Request = match decode(&frame) {
            Ok(r) => r,
            Err(e) => {
                let answer =
                    Response::Error(WireError::Protocol(format!("an unreadable request ({e})")));
                if send(stream, &answer).is_err() {
                    return;
                }
                continue;
            }
        };
        if matches!(request, Request::Subscribe) {
            match session.store.who() {
                Ok(Who::Nobody) => {
                    let _ = send(stream, &Response::Error((&not_signed_in()).into()));
                    continue;
                }
                Ok(_) => {
                    stream_notices(shared, stream);
                    return;
                }
                Err(e) => {
                    let _ = send(stream, &Response::Error((&e).into()));
                    continue;
                }
            }
        }
        let op = request.operation();
        let answer = if let Some((op, reason)) = load.refuses(op) {
            // In the service's log, not on the trail: nothing is written
            // beside a load (the trail would be refused, and a load's undo
            // empties the store).
            tracing::warn!(operation = op.name(), "refused: {reason}");
            Response::Error(WireError::Refused(reason))
        } else {
            match catch_unwind(AssertUnwindSafe(|| session.handle(shared, request))) {
                Ok(Ok(r)) => r,
                Ok(Err(e)) => Response::Error((&e).into()),
                Err(_) => Response::Error(WireError::Failed(
                    "the server failed on this request; nothing was saved by it".into(),
                )),
            }
        };
        load.after(op, !matches!(answer, Response::Error(_)));
        if send(stream, &answer).is_err() {
            return;
        }
    }
}

/// Which bulk load this connection began (`Store::begin_load`), by the
/// store's number for it: if the connection goes away before finishing
/// it, that load is abandoned and the store emptied, so the store is never
/// left half loaded and refusing writes. Reads during a load see what it
/// has written so far; writes are refused until it ends.
struct LoadOwner<'a> {
    shared: &'a Shared,
    owns: Option<u64>,
}

impl LoadOwner<'_> {
    /// Why `op` may not go ahead on this connection, if it may not: a
    /// bulk load is added to and finished only by the connection that
    /// began it (another session, even an admin's, could otherwise slip
    /// its own records into the load or end it early). With no load in
    /// progress the store answers as usual.
    fn refuses(&self, op: Option<Operation>) -> Option<(Operation, String)> {
        let op = op.filter(|o| matches!(o, Operation::LoadCheckIns | Operation::FinishLoad))?;
        let current = self.shared.store.current_load()?;
        (self.owns != Some(current)).then(|| {
            (
                op,
                "the bulk load filling this store was begun by another connection; only that connection may add to it or finish it".to_string(),
            )
        })
    }

    /// Follows the load through one answered request (`ok`: not an
    /// error). Only a begun load is taken up and only a finish (done or
    /// abandoned either way) lets go: a refused batch leaves the load to
    /// this connection, and abandoning by number never touches a load
    /// that another connection finished and a later one began.
    fn after(&mut self, op: Option<Operation>, ok: bool) {
        match op {
            Some(Operation::BeginLoad) if ok => self.owns = self.shared.store.current_load(),
            Some(Operation::FinishLoad) => self.owns = None,
            _ => {}
        }
    }
}

impl Drop for LoadOwner<'_> {
    fn drop(&mut self) {
        if let Some(serial) = self.owns {
            if self.shared.store.current_load() == Some(serial) {
                tracing::warn!("the connection that began a bulk load went away before finishing it; the store is emptied");
            }
            self.shared.store.abandon_load(serial);
        }
    }
}

/// Sends change notices until the client goes away or the server stops.
fn stream_notices(shared: &Shared, stream: &UnixStream) {
    let Some(rx) = shared.store.subscribe() else {
        let _ = send(
            stream,
            &Response::Error(WireError::Refused("no notices here".into())),
        );
        return;
    };
    if send(stream, &Response::Subscribed).is_err() {
        return;
    }
    let mut last_sent = Instant::now();
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match rx.recv_timeout(NOTICE_POLL) {
            Ok(change) => {
                if send(stream, &Response::Notice(change)).is_err() {
                    return;
                }
                last_sent = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) => {
                if last_sent.elapsed() >= PING_EVERY {
                    if send(stream, &Response::Ping).is_err() {
                        return;
                    }
                    last_sent = Instant::now();
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// True when this store requires signing in (fails closed).
fn staff_require_sign_in_now(shared: &Shared) -> bool {
    shared.store.list_staff().map_or(true, |staff| {
        crate::ops::auth::staff_require_sign_in(&staff)
    })
}

/// One connection's state: the authorizing layer over the shared store
/// (`ops::access::Authorized`), bound to the client's OS login as the
/// kernel reports it and, once signed in, to its staff member. Every
/// request goes through it; the dispatch itself is generated from the
/// declaration (`Request::apply`).
struct Session<'a> {
    login: String,
    store: Authorized<&'a SledStore>,
}

impl<'a> Session<'a> {
    fn new(shared: &'a Shared, login: Option<String>) -> Self {
        let login = login.unwrap_or_else(|| "unknown".to_string());
        // The private service is reachable by the store's owner only, who
        // could open the files directly: its sessions follow the rules of
        // the store's own files (`Authorized::local`).
        let store = if shared.options.private {
            Authorized::local(&shared.store, login.clone())
        } else {
            Authorized::served(&shared.store, login.clone())
        };
        Session { store, login }
    }

    fn handle(&mut self, shared: &Shared, request: Request) -> StoreResult<Response> {
        match request {
            Request::SignIn { staff, pin } => {
                self.store.leave_session();
                let mut rec =
                    auth::verify_pin(&shared.store, &shared.throttle, staff, &pin.0, &self.login)?;
                self.store.enter_session(rec.id);
                hide_pin(&mut rec);
                Ok(Response::SignedIn(rec))
            }
            Request::Location => Ok(Response::Location(self.store.location())),
            Request::Subscribe => Err(StoreError::Refused("out of place here".into())),
            Request::Service => Ok(Response::Service(ServiceInfo {
                private: shared.options.private,
                pid: std::process::id(),
            })),
            Request::HandOver if shared.options.private => {
                shared.hand_over.store(true, Ordering::SeqCst);
                Ok(Response::HandingOver(std::process::id()))
            }
            Request::HandOver => Err(StoreError::Refused(
                "this is the shared caseload server; it does not hand over (stop it with `systemctl stop caseload`)".into(),
            )),
            Request::As { staff, request } if shared.options.private => {
                let claimed = Actor::staff(staff, self.login.clone());
                Ok(Response::Answer((*request).apply(&self.store, &claimed)?))
            }
            other => {
                // The actor passed here is replaced by the session's.
                let placeholder = Actor::login(self.login.clone());
                Ok(Response::Answer(other.apply(&self.store, &placeholder)?))
            }
        }
    }
}
