//! The client side: [`RemoteStore`] implements [`Store`] over the server's
//! socket, and [`open_store`] picks it or the embedded store.

use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[allow(unused_imports)] // the types the declaration names
use crate::store::api::prelude::*;
use crate::store::api::Class;
use crate::store::{Change, ChangeKind, SledStore, Store, StoreError, StoreResult};

use super::protocol::{
    decode, encode, read_frame, write_frame, Answer, FrameError, Hello, HelloReply, Request,
    Response, ServiceInfo, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, PRIVATE_MAX_REQUEST_BYTES,
    PROTOCOL,
};
use super::socket_path;

/// How long to wait for the server's hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for any answer before giving up on the server.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);
/// After the store's lock was found taken, how long to keep looking for a
/// server that may be starting.
const STARTING_SERVER_WAIT: Duration = Duration::from_secs(3);
/// How many connections one request may try before giving up.
const RESEND_ATTEMPTS: usize = 6;
/// How long a subscription keeps trying to reach a server that went away.
const NOTICE_RECONNECT_FOR: Duration = Duration::from_secs(5 * 60);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Why connecting to a server did not give a store.
#[derive(Debug)]
pub enum ConnectError {
    /// No server listens there (no socket, or a stale one): open the store
    /// directly.
    NoServer,
    /// A server is there but cannot be used; the message says why.
    Failed(StoreError),
}

/// Who this session signed in as, kept so that a reconnection (after a
/// server restart) signs in again without asking.
type Credentials = Arc<Mutex<Option<(StaffId, String)>>>;

/// The store behind a `caseload serve` process.
///
/// Calls are serialized over one connection. If the server restarted, the
/// next call reconnects (and signs in again); a read is resent once, a
/// write is not — it may have been saved before the connection dropped —
/// and the error says so.
pub struct RemoteStore {
    socket: PathBuf,
    conn: Mutex<Option<UnixStream>>,
    credentials: Credentials,
    /// The server's answer to `location`, asked once (a status line may
    /// ask on every frame).
    location: std::sync::OnceLock<String>,
    /// What the service said about itself when connected.
    service: Option<ServiceInfo>,
    /// The request that made this session the kiosk, while it is one: a
    /// new connection after a lost one enters the kiosk again before
    /// anything else, so a reconnection never widens a kiosk into the
    /// staff session that started it.
    kiosk: Mutex<Option<Request>>,
    /// A connection for notices, greeted ahead of [`Store::subscribe`]
    /// ([`Store::prepare_subscribe`]).
    spare: Mutex<Option<Greeting>>,
}

fn lost(socket: &Path, e: &dyn std::fmt::Display, was_write: bool) -> StoreError {
    if was_write {
        StoreError::Remote(format!(
            "lost the connection to the caseload server at {} ({e}); the change may or may not have been saved: look before trying again",
            socket.display()
        ))
    } else {
        StoreError::Remote(format!(
            "lost the connection to the caseload server at {} ({e}); try again: a private service starts again by itself, and a shared one (`caseload serve`) is checked with `systemctl status caseload`",
            socket.display()
        ))
    }
}

/// Connects, exchanges hellos, and signs in again with `credentials`.
fn open_connection(socket: &Path, credentials: &Credentials) -> Result<UnixStream, ConnectError> {
    finish_connection(start_connection(socket)?, socket, credentials)
}

/// A connection whose hello is sent and whose answer is not read yet: the
/// service greets while the client goes on with other work.
struct Greeting {
    stream: UnixStream,
    /// Whether the hello went out.
    sent: io::Result<()>,
}

/// Connects and sends the hello, without waiting for the answer.
fn start_connection(socket: &Path) -> Result<Greeting, ConnectError> {
    let stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound
                    | io::ErrorKind::ConnectionRefused
                    // The data directory is not a directory: no server can
                    // be there, and opening the store says what is wrong.
                    | io::ErrorKind::NotADirectory
            ) =>
        {
            return Err(ConnectError::NoServer)
        }
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Err(ConnectError::Failed(StoreError::Remote(format!(
                "the caseload server at {} does not let this user ({}) connect; ask an admin to add you to its group (see docs/server.md)",
                socket.display(),
                crate::ops::os_login()
            ))))
        }
        Err(e) => {
            return Err(ConnectError::Failed(StoreError::Remote(format!(
                "cannot connect to the caseload server at {}: {e}",
                socket.display()
            ))))
        }
    };
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    let hello = encode(&Hello::ours())
        .map_err(|e| connection_failed(socket, format!("cannot be greeted: {e}")))?;
    // A server that refuses (too many connections) answers and closes at
    // once, perhaps before the hello is out: its answer is still there to
    // read, and says why.
    let sent = write_frame(&stream, &hello);
    Ok(Greeting { stream, sent })
}

fn connection_failed(socket: &Path, what: String) -> ConnectError {
    ConnectError::Failed(StoreError::Remote(format!(
        "the caseload server at {} {what}",
        socket.display()
    )))
}

/// Reads the answer to a [`start_connection`]'s hello, and signs in again
/// with `credentials`.
fn finish_connection(
    greeting: Greeting,
    socket: &Path,
    credentials: &Credentials,
) -> Result<UnixStream, ConnectError> {
    let Greeting { stream, sent } = greeting;
    let failed = |what: String| connection_failed(socket, what);
    let mut reader = &stream;
    let reply = match (read_frame(&mut reader, 64 * 1024), sent) {
        (Ok(bytes), _) => decode::<HelloReply>(&bytes)
            .map_err(|_| failed("answered in a way this caseload cannot read".into()))?,
        // Closed, reset or a broken pipe before any answer: a service on
        // its way out (idle, or handing over) that had not yet removed its
        // socket. Find or start the next one.
        (Err(FrameError::Closed), _) => return Err(ConnectError::NoServer),
        (Err(FrameError::Io(e)), _) if went_away(&e) => return Err(ConnectError::NoServer),
        (Err(_), Err(e)) if went_away(&e) => return Err(ConnectError::NoServer),
        (Err(_), Err(e)) => return Err(failed(format!("closed the connection ({e})"))),
        (Err(e), Ok(())) => return Err(failed(format!("did not answer ({e:?})"))),
    };
    if !reply.accepted {
        return Err(ConnectError::Failed(StoreError::Remote(reply.message)));
    }
    if reply.protocol != PROTOCOL {
        return Err(ConnectError::Failed(StoreError::Remote(format!(
            "the caseload server at {} speaks protocol {} (caseload {}), this caseload speaks {PROTOCOL} (caseload {}); upgrade caseload so that both are the same version (just upgraded? the older service still runs: restart `caseload serve` (`systemctl restart caseload`), or stop a private one with SIGTERM to the pid in {}; it also exits by itself when idle)",
            socket.display(),
            reply.protocol,
            reply.version,
            env!("CARGO_PKG_VERSION"),
            service_log_beside(socket).display()
        ))));
    }
    let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
    let creds = lock(credentials).clone();
    if let Some((staff, pin)) = creds {
        // Signing in again after a reconnection; if it fails (the PIN was
        // changed meanwhile), the session is simply not signed in and the
        // server says so on the next request.
        let pin = super::protocol::Pin(pin);
        let _ = exchange(&stream, &Request::SignIn { staff, pin });
    }
    Ok(stream)
}

/// True for the errors of a peer that closed its end without reading:
/// a service stopping between accepting and greeting.
fn went_away(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionAborted
    )
}

/// Connects again after losing the service; when none answers, starts
/// the private one (as the first command would) and connects to it.
fn reconnect(socket: &Path, credentials: &Credentials) -> Result<UnixStream, ConnectError> {
    match open_connection(socket, credentials) {
        Err(ConnectError::NoServer) if super::autostart::enabled() => {
            super::autostart::restart(socket).map_err(ConnectError::Failed)?;
            open_connection(socket, credentials)
        }
        other => other,
    }
}

/// Sends one request and reads its answer on `stream`.
fn exchange(stream: &UnixStream, request: &Request) -> Result<Response, Exchange> {
    let bytes = encode(request).map_err(Exchange::Unsendable)?;
    write_frame(stream, &bytes).map_err(Exchange::NotSent)?;
    let mut reader = stream;
    let frame = read_frame(&mut reader, MAX_RESPONSE_BYTES).map_err(|e| match e {
        FrameError::Closed => Exchange::NoAnswer(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the server closed the connection",
        )),
        FrameError::TooLarge(n) => Exchange::NoAnswer(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("an answer of {n} bytes is too large"),
        )),
        FrameError::Io(e) => Exchange::NoAnswer(e),
    })?;
    decode(&frame).map_err(|e| Exchange::NoAnswer(io::Error::new(io::ErrorKind::InvalidData, e)))
}

enum Exchange {
    /// The request could not be encoded.
    Unsendable(io::Error),
    /// The request did not go out: safe to resend on a new connection.
    NotSent(io::Error),
    /// It went out but no answer came back.
    NoAnswer(io::Error),
}

/// True if a caseload server answers on `socket`.
pub fn server_answers(socket: &Path) -> bool {
    let creds: Credentials = Arc::new(Mutex::new(None));
    match open_connection(socket, &creds) {
        Ok(_) => true,
        Err(ConnectError::NoServer) => false,
        Err(ConnectError::Failed(_)) => socket.exists(),
    }
}

impl RemoteStore {
    /// Connects to the server listening on `socket`.
    pub fn connect(socket: &Path) -> Result<RemoteStore, ConnectError> {
        let credentials: Credentials = Arc::new(Mutex::new(None));
        let stream = open_connection(socket, &credentials)?;
        let service = match exchange(&stream, &Request::Service) {
            Ok(Response::Service(info)) => Some(info),
            _ => None,
        };
        Ok(RemoteStore {
            socket: socket.to_path_buf(),
            conn: Mutex::new(Some(stream)),
            credentials,
            location: std::sync::OnceLock::new(),
            service,
            kiosk: Mutex::new(None),
            spare: Mutex::new(None),
        })
    }

    /// True when this is the private, owner-only service a client started
    /// (not the shared `caseload serve`).
    pub fn is_private(&self) -> bool {
        self.service.as_ref().is_some_and(|s| s.private)
    }

    /// The service's process id, as it said when connected.
    pub fn service_pid(&self) -> Option<u32> {
        self.service.as_ref().map(|s| s.pid)
    }

    /// On the private service where nobody signs in, names the staff
    /// member acting (the service honours it there, as the store's own
    /// files would); elsewhere the request goes as it is.
    fn claim(&self, actor: &Actor, request: Request) -> Request {
        match actor.staff {
            Some(staff) if self.is_private() && lock(&self.credentials).is_none() => Request::As {
                staff,
                request: Box::new(request),
            },
            _ => request,
        }
    }

    /// The socket it talks to.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    fn call(&self, request: Request) -> StoreResult<Response> {
        if matches!(request, Request::Import { .. }) {
            self.refuse_import_into_a_full_store()?;
        }
        let ends_session = matches!(
            request,
            Request::RecordEvent {
                event: AuditEvent::Locked | AuditEvent::SignedOut
            }
        );
        let kiosk_op = request.operation();
        let leave_pin = match &request {
            Request::LeaveKiosk { pin } => Some(pin.0.clone()),
            Request::As { request, .. } => match &**request {
                Request::LeaveKiosk { pin } => Some(pin.0.clone()),
                _ => None,
            },
            _ => None,
        };
        let entering =
            (kiosk_op == Some(crate::store::Operation::EnterKiosk)).then(|| request.clone());
        let answer = self.call_once(request)?;
        if let Some(enter) = entering {
            *lock(&self.kiosk) = Some(enter);
        }
        if let (Some(pin), Response::Answer(super::protocol::Answer::LeaveKiosk(left))) =
            (leave_pin, &answer)
        {
            *lock(&self.kiosk) = None;
            if let Some(staff) = left {
                *lock(&self.credentials) = Some((staff.id, pin));
            }
        }
        if ends_session {
            // A locked session must not sign itself in again on reconnect.
            *lock(&self.credentials) = None;
        }
        Ok(answer)
    }

    /// A served store always has its admin, so it is never empty: say so
    /// before sending what may be hundreds of megabytes.
    fn refuse_import_into_a_full_store(&self) -> StoreResult<()> {
        let existing = self.counts()?;
        if existing != Counts::default() {
            return Err(StoreError::Refused(format!(
                "import goes into an empty store, but the store served at {} already holds {} staff, {} and {}; import into a new --data-dir while no server runs for it",
                self.socket.display(),
                existing.staff,
                crate::text::count_u64(existing.peers, "peer", "peers"),
                crate::text::count_u64(existing.checkins, "check-in", "check-ins")
            )));
        }
        Ok(())
    }

    fn call_once(&self, request: Request) -> StoreResult<Response> {
        let resendable = request.is_read();
        let size = encode(&request).map(|b| b.len()).unwrap_or(0);
        let max = if self.is_private() {
            PRIVATE_MAX_REQUEST_BYTES
        } else {
            MAX_REQUEST_BYTES
        };
        if size > max {
            return Err(StoreError::Refused(format!(
                "this request is {} MiB, more than the {} MiB the caseload server accepts at once",
                size >> 20,
                max >> 20
            )));
        }
        let mut conn = lock(&self.conn);
        let mut last_error: Option<io::Error> = None;
        // A request that never left (a dead connection: the service
        // restarted, idled out or handed over) is resent on a new one, a
        // few times, since a hand-over can take two reconnections.
        for _attempt in 0..RESEND_ATTEMPTS {
            if conn.is_none() {
                match reconnect(&self.socket, &self.credentials) {
                    Ok(s) => {
                        let enter = lock(&self.kiosk).clone();
                        if let Some(enter) = enter {
                            if !matches!(exchange(&s, &enter), Ok(Response::Answer(_))) {
                                return Err(StoreError::Refused(
                                    "the connection to the caseload service was lost and the sign-in kiosk could not be started again; a supervisor or admin starts it again".into(),
                                ));
                            }
                        }
                        *conn = Some(s)
                    }
                    Err(ConnectError::NoServer) => {
                        let e = last_error.unwrap_or_else(|| {
                            io::Error::new(io::ErrorKind::NotConnected, "it is not running")
                        });
                        return Err(lost(&self.socket, &e, false));
                    }
                    Err(ConnectError::Failed(e)) => return Err(e),
                }
            }
            let Some(stream) = conn.as_ref() else {
                continue;
            };
            // A whole store's import or a bulk load's finish can take
            // minutes at a large center's size on a slow disk: waiting
            // only the usual time would report a failure for a write the
            // service goes on to complete.
            let long = waits_for_the_whole_store(&request);
            if long {
                let _ = stream.set_read_timeout(None);
            }
            let exchanged = exchange(stream, &request);
            if long {
                let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
            }
            match exchanged {
                Ok(Response::Error(e)) => return Err(e.into()),
                Ok(r) => return Ok(r),
                Err(Exchange::Unsendable(e)) => {
                    return Err(StoreError::Remote(format!(
                        "cannot encode the request: {e}"
                    )))
                }
                Err(Exchange::NotSent(e)) => {
                    // The old connection was dead (a server restart): the
                    // request never left, so a new connection may send it.
                    *conn = None;
                    last_error = Some(e);
                }
                Err(Exchange::NoAnswer(e)) => {
                    *conn = None;
                    if !resendable {
                        return Err(lost(&self.socket, &e, true));
                    }
                    last_error = Some(e);
                }
            }
        }
        let e = last_error
            .unwrap_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "no connection"));
        Err(lost(&self.socket, &e, !resendable))
    }
}

/// Requests whose answer comes only after the whole store is written
/// ([`Class::Rewrite`] in the store's declaration: an import, a bulk
/// load): the client waits for them without [`ANSWER_TIMEOUT`], since the
/// service answers once it is done.
fn waits_for_the_whole_store(request: &Request) -> bool {
    request
        .operation()
        .is_some_and(|op| op.class() == Class::Rewrite)
}

fn unexpected(r: Response) -> StoreError {
    let name = format!("{r:?}");
    let name = name
        .split(['(', ' ', '{'])
        .next()
        .unwrap_or("?")
        .to_string();
    StoreError::Remote(format!(
        "the caseload server gave an unexpected answer ({name}); are both the same version?"
    ))
}

/// `RemoteStore`'s impl, generated from the declaration: every operation
/// is its request, answered by the variant of the same name.
macro_rules! define_client {
    ($(
        $(#[$m:meta])*
        $Variant:ident $name:ident ( $( $mode:ident $arg:ident : $ty:ty ),* ) $( by $actor:ident )? -> $ret:ty
            => $class:ident, $perm:ident, $ident:ident, [ $( $bound:ident $barg:ident ),* ], [ $( $custom:ident )? ];
    )*) => {
        impl Store for RemoteStore {
            fn location(&self) -> String {
                if let Some(l) = self.location.get() {
                    return l.clone();
                }
                match self.call(Request::Location) {
                    Ok(Response::Location(l)) => self
                        .location
                        .get_or_init(|| format!("{l} (via {})", self.socket.display()))
                        .clone(),
                    _ => format!("the caseload server at {}", self.socket.display()),
                }
            }

            $(
                fn $name(&self $(, $arg: $crate::store::api::arg_ty!($mode $ty))* $(, $actor: &Actor)?) -> StoreResult<$ret> {
                    // The server stamps the session's actor; only the
                    // private service hears who acts (see `claim`).
                    let request = Request::$Variant { $( $arg: $crate::store::api::own!($mode $arg) ),* };
                    $( let request = self.claim($actor, request); )?
                    match self.call(request)? {
                        Response::Answer(Answer::$Variant(v)) => Ok(v),
                        other => Err(unexpected(other)),
                    }
                }
            )*

            fn subscribe(&self) -> Option<Receiver<Change>> {
                let (tx, rx) = mpsc::channel();
                let socket = self.socket.clone();
                let credentials = Arc::clone(&self.credentials);
                // Subscribe before returning, so that every change saved after this
                // call is announced; only reconnections happen in the background.
                // A connection greeted ahead (`prepare_subscribe`) saves waiting
                // for a new connection's hello; the subscription itself is still
                // confirmed here, before returning: a Today read after this
                // call can miss no change.
                let spare = lock(&self.spare).take();
                let first = spare
                    .and_then(|g| finish_connection(g, &socket, &credentials).ok())
                    .and_then(subscribe_on)
                    .or_else(|| subscribed_connection(&socket, &credentials));
                std::thread::Builder::new()
                    .name("caseload-notices".into())
                    .spawn(move || follow_notices(&socket, &credentials, &tx, first))
                    .ok()?;
                Some(rx)
            }

            fn prepare_subscribe(&self) {
                // Only the greeting: connecting and sending a hello cost the
                // service a thread of its own, and the answer is read when
                // subscribing. Signing in (if the session has by then) and the
                // subscription itself wait for `subscribe`. If that never
                // comes, the connection closes with this store.
                let mut spare = lock(&self.spare);
                if spare.is_none() {
                    *spare = start_connection(&self.socket).ok();
                }
            }

            fn sign_in(&self, staff: StaffId, pin: &str) -> StoreResult<Option<Record<Staff>>> {
                let pin = pin.to_string();
                let request = Request::SignIn {
                    staff,
                    pin: super::protocol::Pin(pin.clone()),
                };
                match self.call(request)? {
                    Response::SignedIn(rec) => {
                        *lock(&self.credentials) = Some((staff, pin));
                        Ok(Some(rec))
                    }
                    other => Err(unexpected(other)),
                }
            }
        }
    };
}

crate::store::api::store_api!(define_client);

/// Reads notices on a connection of its own and forwards them to `tx`;
/// after losing the server, keeps reconnecting for a while and then tells
/// the subscriber to reload everything (notices may have been missed).
fn follow_notices(
    socket: &Path,
    credentials: &Credentials,
    tx: &Sender<Change>,
    first: Option<UnixStream>,
) {
    let mut connected_before = false;
    let mut down_since = Instant::now();
    let mut next = first;
    loop {
        let subscribed = next
            .take()
            .or_else(|| subscribed_connection(socket, credentials));
        let Some(stream) = subscribed else {
            if down_since.elapsed() > NOTICE_RECONNECT_FOR {
                return; // the receiver sees the channel close
            }
            std::thread::sleep(Duration::from_millis(250));
            continue;
        };
        if connected_before {
            let everything = Change {
                kind: ChangeKind::Everything,
                id: String::new(),
            };
            if tx.send(everything).is_err() {
                return;
            }
        }
        connected_before = true;
        let _ = stream.set_read_timeout(None);
        let mut reader = &stream;
        while let Ok(bytes) = read_frame(&mut reader, MAX_RESPONSE_BYTES) {
            match decode::<Response>(&bytes) {
                Ok(Response::Notice(change)) => {
                    if tx.send(change).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        down_since = Instant::now();
    }
}

/// A new connection switched to notices, if the server is there.
fn subscribed_connection(socket: &Path, credentials: &Credentials) -> Option<UnixStream> {
    subscribe_on(reconnect(socket, credentials).ok()?)
}

/// `stream` switched to notices, if the server agrees.
fn subscribe_on(stream: UnixStream) -> Option<UnixStream> {
    match exchange(&stream, &Request::Subscribe) {
        Ok(Response::Subscribed) => Some(stream),
        _ => None,
    }
}

/// A store opened by [`open`], and how.
pub struct Opened {
    /// The store: remote when a server runs, else embedded.
    pub store: Arc<dyn Store>,
    /// The server's socket, when the store is served.
    pub served_by: Option<PathBuf>,
    /// True when that server is the private service a client started
    /// for its own user, not the shared `caseload serve`.
    pub private_service: bool,
    /// True when opening the embedded store rolled back an interrupted
    /// import (tell the user).
    pub rolled_back_import: bool,
}

/// Opens the store in `dir` the way every command and the UI should: through
/// the server if one answers on `<dir>/caseload.sock`; else, in the
/// `caseload` binary, through the private service it starts
/// ([`super::autostart`]); else (a library user) directly. A
/// stale socket (no listener) is ignored; the server removes it when it
/// starts. A store whose lock is taken gets a few seconds for a starting
/// server to answer, so a second process never sees a lock error while a
/// server runs.
pub fn open(dir: &Path) -> Result<Opened, StoreError> {
    let socket = socket_path(dir);
    let remote = |r: RemoteStore| Opened {
        private_service: r.is_private(),
        store: Arc::new(r),
        served_by: Some(socket.clone()),
        rolled_back_import: false,
    };
    match RemoteStore::connect(&socket) {
        Ok(r) => return Ok(remote(r)),
        Err(ConnectError::Failed(e)) => return Err(e),
        Err(ConnectError::NoServer) => {}
    }
    if super::autostart::enabled() {
        // The caseload binary: start the private service and use it.
        return super::autostart::start_and_connect(dir).map(remote);
    }
    match SledStore::open(dir) {
        Ok(s) => {
            let rolled_back_import = s.rolled_back_import();
            // No server: this process is the service, so it authorizes and
            // audits the way a server would, for the staff member who signs
            // in on it.
            let guarded = crate::ops::access::Authorized::local(s, crate::ops::os_login());
            Ok(Opened {
                store: Arc::new(guarded),
                served_by: None,
                private_service: false,
                rolled_back_import,
            })
        }
        Err(StoreError::InUse { path }) => {
            let deadline = Instant::now() + STARTING_SERVER_WAIT;
            while Instant::now() < deadline {
                match RemoteStore::connect(&socket) {
                    Ok(r) => return Ok(remote(r)),
                    Err(ConnectError::Failed(e)) => return Err(e),
                    Err(ConnectError::NoServer) => std::thread::sleep(Duration::from_millis(100)),
                }
            }
            Err(StoreError::InUse { path })
        }
        Err(e @ StoreError::Io { .. }) if socket.exists() => Err(StoreError::Remote(format!(
            "{e}, and no caseload server answers at {}; ask an admin to start it (`systemctl start caseload`)",
            socket.display()
        ))),
        Err(e) => Err(e),
    }
}

/// Opens the store in `dir`: through the running server, else directly.
pub fn open_store(dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    open(dir).map(|o| o.store)
}

/// Where a private service started for the store of `socket` writes its
/// log (and its pid): beside the socket, in the store's directory, so an
/// error about that service can say where to look.
fn service_log_beside(socket: &Path) -> PathBuf {
    socket
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(super::autostart::LOG_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    /// Reads one frame the client sent on `c` and decodes it.
    fn heard<T: serde::de::DeserializeOwned>(c: &UnixStream) -> T {
        let mut r = c;
        let bytes = read_frame(&mut r, MAX_RESPONSE_BYTES).unwrap_or_default();
        decode(&bytes).unwrap_or_else(|e| panic!("an unreadable frame: {e}"))
    }

    fn say<T: serde::Serialize>(c: &UnixStream, what: &T) {
        let bytes = encode(what).unwrap_or_default();
        assert!(write_frame(c, &bytes).is_ok());
    }

    fn greet(c: &UnixStream) {
        let hello: Hello = heard(c);
        assert_eq!(hello.protocol, PROTOCOL);
        say(
            c,
            &HelloReply {
                protocol: PROTOCOL,
                version: "test".into(),
                accepted: true,
                message: String::new(),
            },
        );
    }

    /// What the scripted server heard on the notice connection, in order.
    fn names(requests: &[Request]) -> Vec<&'static str> {
        requests
            .iter()
            .map(|r| match r {
                Request::SignIn { .. } => "sign-in",
                Request::Subscribe => "subscribe",
                _ => "other",
            })
            .collect()
    }

    #[test]
    fn a_connection_greeted_ahead_becomes_the_notice_connection_signed_in_then() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let socket = tmp.path().join("caseload.sock");
        let listener = UnixListener::bind(&socket).unwrap_or_else(|e| panic!("bind: {e}"));
        let (heard_tx, heard_rx) = mpsc::channel::<Request>();
        let (greeted_tx, greeted_rx) = mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            // The requests' connection: hello and "which service".
            let (first, _) = listener.accept().unwrap_or_else(|e| panic!("accept: {e}"));
            greet(&first);
            let _: Request = heard(&first);
            say(
                &first,
                &Response::Service(ServiceInfo {
                    private: false,
                    pid: 1,
                }),
            );
            // The connection greeted ahead.
            let (notices, _) = listener.accept().unwrap_or_else(|e| panic!("accept: {e}"));
            greet(&notices);
            let _ = greeted_tx.send(());
            for _ in 0..2 {
                let r: Request = heard(&notices);
                let subscribe = matches!(r, Request::Subscribe);
                let _ = heard_tx.send(r);
                if subscribe {
                    say(&notices, &Response::Subscribed);
                } else {
                    // The client does not read what a sign-in again says.
                    say(&notices, &Response::Ping);
                }
            }
            say(
                &notices,
                &Response::Notice(Change {
                    kind: ChangeKind::Peer,
                    id: "P7".into(),
                }),
            );
            // No third connection is asked for.
            listener
                .set_nonblocking(true)
                .unwrap_or_else(|e| panic!("nonblocking: {e}"));
            std::thread::sleep(Duration::from_millis(300));
            let third = listener.accept().is_ok();
            drop(notices);
            third
        });
        let store = match RemoteStore::connect(&socket) {
            Ok(s) => s,
            Err(e) => panic!("connect: {e:?}"),
        };
        store.prepare_subscribe();
        assert!(
            greeted_rx.recv_timeout(Duration::from_secs(5)).is_ok(),
            "the second connection is greeted before anything subscribes"
        );
        // Signed in after the greeting went out (as the UI's sign-in
        // screen does): the notice connection signs in before subscribing.
        *lock(&store.credentials) = Some((StaffId::new(3), "3333".into()));
        let rx = store.subscribe().unwrap_or_else(|| panic!("subscribed"));
        let change = rx
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("a notice: {e}"));
        assert_eq!(change.id, "P7");
        let requests: Vec<Request> = heard_rx.try_iter().collect();
        assert_eq!(names(&requests), ["sign-in", "subscribe"]);
        let third = server.join().unwrap_or_else(|_| panic!("server"));
        assert!(!third, "the greeted connection was used, no other opened");
    }

    #[test]
    fn only_whole_store_writes_wait_without_the_answer_timeout() {
        assert!(waits_for_the_whole_store(&Request::FinishLoad {
            loaded: 3
        }));
        assert!(waits_for_the_whole_store(&Request::As {
            staff: StaffId::new(1),
            request: Box::new(Request::FinishLoad { loaded: 3 }),
        }));
        assert!(waits_for_the_whole_store(&Request::Import {
            snapshot: Default::default()
        }));
        assert!(!waits_for_the_whole_store(&Request::Location));
        assert!(!waits_for_the_whole_store(&Request::LoadCheckIns {
            checkins: Vec::new()
        }));
    }
}
