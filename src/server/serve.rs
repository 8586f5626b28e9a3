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
use crate::store::{SledStore, Store, StoreError, StoreResult};

use super::protocol::{
    decode, encode, read_frame, write_frame, FrameError, Hello, HelloReply, Request, Response,
    WireError, MAGIC, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, PROTOCOL,
};
use super::{socket_path, unix};

/// Most connections served at once; more are told so and closed.
pub const MAX_CONNECTIONS: usize = 128;
/// How long a new connection has to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a subscription checks for shutdown.
const NOTICE_POLL: Duration = Duration::from_millis(250);
/// How often an idle subscription is pinged to notice a vanished client.
const PING_EVERY: Duration = Duration::from_secs(15);

/// How to run the server.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Let members of this group connect (socket 0660, directory 0710,
    /// both owned by the group); without it only the server's own user
    /// can (socket 0600, directory 0700).
    pub group: Option<String>,
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
    /// Open connections, so that stopping can close them.
    conns: Mutex<HashMap<u64, UnixStream>>,
    next_conn: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running server. Dropping it does not stop it; call [`Server::stop`].
pub struct Server {
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
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
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))
            .map_err(io_err(dir))?;

        let store = SledStore::open(dir)?;
        if !admin_can_sign_in(&store.list_staff()?) {
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
        });
        let for_accept = Arc::clone(&shared);
        let accept = std::thread::Builder::new()
            .name("caseload-accept".into())
            .spawn(move || accept_loop(for_accept, listener))
            .map_err(io_err(dir))?;
        Ok(Server {
            shared,
            accept: Some(accept),
        })
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
    }

    /// Stops listening, closes every connection, waits for their threads,
    /// releases the store and removes the socket.
    pub fn stop(mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop, then close every connection so that their
        // threads end and let go of the store.
        let _ = UnixStream::connect(&self.shared.socket);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let _ = std::fs::remove_file(&self.shared.socket);
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
        if lock(&shared.conns).len() >= MAX_CONNECTIONS {
            refuse_hello(
                &stream,
                "the caseload server has too many open sessions; try again shortly",
            );
            continue;
        }
        let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.conns).insert(id, clone);
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
                lock(&s.conns).remove(&id);
            });
        match spawned {
            Ok(h) => workers.push(h),
            Err(e) => {
                tracing::error!(error = %e, "cannot start a connection thread");
                lock(&shared.conns).remove(&id);
            }
        }
    }
    for (_, c) in lock(&shared.conns).drain() {
        let _ = c.shutdown(std::net::Shutdown::Both);
    }
    for w in workers {
        let _ = w.join();
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
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    let hello: Hello = match read_frame(&mut reader, 4096) {
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

    let mut session = Session::new(shared, unix::peer_uid(stream).map(unix::user_name));
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let frame = match read_frame(&mut reader, MAX_REQUEST_BYTES) {
            Ok(f) => f,
            Err(FrameError::Closed) | Err(FrameError::Io(_)) => return,
            Err(FrameError::TooLarge(n)) => {
                // The rest of the frame is still in the pipe: answer, close.
                let _ = send(
                    stream,
                    &Response::Error(WireError::Protocol(format!(
                        "a request of {n} bytes is larger than the {} MiB limit",
                        MAX_REQUEST_BYTES >> 20
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
        let answer = match catch_unwind(AssertUnwindSafe(|| session.handle(shared, request))) {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Response::Error((&e).into()),
            Err(_) => Response::Error(WireError::Failed(
                "the server failed on this request; nothing was saved by it".into(),
            )),
        };
        if send(stream, &answer).is_err() {
            return;
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
        Session {
            store: Authorized::served(&shared.store, login.clone()),
            login,
        }
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
            other => {
                // The actor passed here is replaced by the session's.
                let placeholder = Actor::login(self.login.clone());
                Ok(Response::Answer(other.apply(&self.store, &placeholder)?))
            }
        }
    }
}
