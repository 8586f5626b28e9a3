//! The private store service that starts itself (the tmux model).
//!
//! Every `caseload` process is a client of one service per store. When
//! none answers on `<dir>/caseload.sock`, the client re-runs its own
//! binary as `caseload __service DIR`; that process forks, the child
//! starts a new session (`setsid`, so no terminal's hang-up or Ctrl-C
//! reaches it), takes the store's service lock (`<dir>/caseload.lock`,
//! an `flock`), opens the store, binds the socket (0600 in a 0700
//! directory) and reports one line on a pipe: `ready PID`, `busy` (another
//! service won the race: connect to it) or `error REASON` (a damaged
//! store, a full disk, a newer schema: the reason the user sees). Then it
//! sends its output to `<dir>/caseload-service.log` (0600) and serves,
//! until no client has been connected for the idle time
//! ([`IDLE_ENV`], default [`DEFAULT_IDLE`]), a stop signal, a hand-over
//! to `caseload serve`, or its socket disappearing (the store directory
//! was removed).
//!
//! Only the `caseload` binary starts services ([`enable`], called from
//! `main`): a library user (a test, a benchmark) that finds no service
//! opens the store's files itself as before.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::store::StoreError;

use super::client::{server_answers, ConnectError, RemoteStore};
use super::serve::{ServeError, ServeOptions, Server};
use super::socket_path;

/// The hidden subcommand that runs the private service.
pub const SERVICE_COMMAND: &str = "__service";
/// Seconds the private service stays without clients before it exits.
pub const IDLE_ENV: &str = "CASELOAD_SERVICE_IDLE_SECS";
/// How long the private service waits for a client by default: long
/// enough that a run of commands (a script, a cron job) pays the store's
/// open once, short enough that a store nobody uses is closed soon.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(120);
/// The service's log, beside the store.
pub const LOG_NAME: &str = "caseload-service.log";
/// How long a client waits for a service to start (opening a large store
/// takes a fraction of a second; a previous service may still be closing).
const START_WAIT: Duration = Duration::from_secs(20);
/// How long a new service waits for the lock a closing one still holds.
const LOCK_WAIT: Duration = Duration::from_secs(15);
/// A service nobody has connected to yet waits this long for its first
/// client before the idle time applies.
const FIRST_CLIENT_GRACE: Duration = Duration::from_secs(5);
/// How often the service looks at its idle time and its socket.
const CHECK_EVERY: Duration = Duration::from_millis(200);

static PROGRAM: OnceLock<PathBuf> = OnceLock::new();

/// Lets [`super::open`] start services by running `program` (the
/// `caseload` binary itself). Without it, no service is ever started.
pub fn enable(program: PathBuf) {
    let _ = PROGRAM.set(program);
}

/// True when this process may start services.
pub fn enabled() -> bool {
    PROGRAM.get().is_some()
}

/// The idle time from [`IDLE_ENV`], else [`DEFAULT_IDLE`]. A value that is
/// not a whole number of seconds is reported and the default used.
pub fn idle_exit() -> Duration {
    match std::env::var(IDLE_ENV) {
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(secs) => Duration::from_secs(secs),
            Err(_) => {
                tracing::warn!(
                    "{IDLE_ENV}={} is not a whole number of seconds; using {} s",
                    crate::text::escape_line(&v),
                    DEFAULT_IDLE.as_secs()
                );
                DEFAULT_IDLE
            }
        },
        Err(_) => DEFAULT_IDLE,
    }
}

/// Makes `dir` absolute, so that the service (which changes to `/`) and
/// its clients name the same store.
fn absolute(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Starts the private service for the store in `dir` unless one answers,
/// and connects to it. Two clients starting at once end with one service:
/// the loser of the lock connects to the winner.
pub fn start_and_connect(dir: &Path) -> Result<RemoteStore, StoreError> {
    let dir = absolute(dir);
    let socket = socket_path(&dir);
    let deadline = Instant::now() + START_WAIT;
    loop {
        match RemoteStore::connect(&socket) {
            Ok(r) => return Ok(r),
            Err(ConnectError::Failed(e)) => return Err(e),
            Err(ConnectError::NoServer) => {}
        }
        if Instant::now() >= deadline {
            return Err(StoreError::Remote(format!(
                "the caseload service for {} did not start within {} s; see {}",
                dir.display(),
                START_WAIT.as_secs(),
                dir.join(LOG_NAME).display()
            )));
        }
        match spawn(&dir)? {
            Report::Ready | Report::Busy => {
                // Connect, giving a new listener a moment.
                let until = Instant::now() + Duration::from_secs(2);
                loop {
                    match RemoteStore::connect(&socket) {
                        Ok(r) => return Ok(r),
                        Err(ConnectError::Failed(e)) => return Err(e),
                        Err(ConnectError::NoServer) if Instant::now() < until => {
                            std::thread::sleep(Duration::from_millis(20))
                        }
                        Err(ConnectError::NoServer) => break,
                    }
                }
            }
        }
    }
}

/// Makes sure a service answers for the store whose socket is `socket`
/// (after losing the connection to one): starts one if allowed and none
/// answers. Errors are the start's reason.
pub fn restart(socket: &Path) -> Result<(), StoreError> {
    if !enabled() || server_answers(socket) {
        return Ok(());
    }
    let Some(dir) = socket.parent() else {
        return Ok(());
    };
    start_and_connect(dir).map(drop)
}

/// What a starting service said.
enum Report {
    Ready,
    Busy,
}

/// Runs `caseload __service DIR` and reads its one-line report.
fn spawn(dir: &Path) -> Result<Report, StoreError> {
    let Some(program) = PROGRAM.get() else {
        return Err(StoreError::Remote(
            "this program cannot start a caseload service".into(),
        ));
    };
    let cannot = |e: io::Error| {
        StoreError::Remote(format!(
            "cannot start the caseload service for {} ({}): {e}",
            dir.display(),
            program.display()
        ))
    };
    let mut child = Command::new(program)
        .arg(SERVICE_COMMAND)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(cannot)?;
    let mut report = String::new();
    let read = child
        .stdout
        .take()
        .map(|mut out| out.read_to_string(&mut report));
    // The first process only forks and exits: reap it at once.
    let _ = child.wait();
    if let Some(Err(e)) = read {
        return Err(cannot(e));
    }
    let mut lines = report.lines().map(str::trim_end);
    let mut line = lines.next().unwrap_or("");
    while let Some(note) = line.strip_prefix("note ") {
        // What the store's open found (modes repaired, an import rolled
        // back): this client started it, so it tells the user.
        eprintln!("caseload: {}", crate::text::escape_line(note));
        line = lines.next().unwrap_or("");
    }
    if line.starts_with("ready") {
        Ok(Report::Ready)
    } else if line == "busy" {
        Ok(Report::Busy)
    } else if let Some(reason) = line.strip_prefix("error ") {
        Err(StoreError::Remote(format!(
            "the caseload service for {} could not start: {}",
            dir.display(),
            crate::text::escape_line(reason)
        )))
    } else {
        Err(StoreError::Remote(format!(
            "the caseload service for {} stopped before it was ready; see {}",
            dir.display(),
            dir.join(LOG_NAME).display()
        )))
    }
}

/// `caseload __service DIR`, from `main` before anything else (no thread
/// may exist yet: it forks). Returns the process's exit code.
pub fn run_service(dir: &Path) -> i32 {
    let dir = absolute(dir);
    // SAFETY: called first thing in `main`, with one thread: the child
    // may go on running Rust code.
    match unsafe { libc::fork() } {
        -1 => {
            report(&format!(
                "error cannot fork: {}",
                io::Error::last_os_error()
            ));
            return 1;
        }
        0 => {}
        _ => return 0, // the client reaps this one; the child serves on
    }
    // SAFETY: setsid has no preconditions; failing (already a leader) is
    // harmless.
    unsafe {
        libc::setsid();
    }
    // SAFETY: umask only sets this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
    if let Err(e) = {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
    } {
        report(&format!("error cannot create {}: {e}", dir.display()));
        return 1;
    }
    redirect_stderr_to_log(&dir);
    let _ = std::env::set_current_dir("/");
    let signals = super::serve::block_stop_signals();

    let options = ServeOptions {
        private: true,
        ..ServeOptions::default()
    };
    let socket = socket_path(&dir);
    let lock_deadline = Instant::now() + LOCK_WAIT;
    let server = loop {
        match Server::start(&dir, &options) {
            Ok(s) => break s,
            Err(ServeError::AlreadyRunning { .. }) => {
                if server_answers(&socket) {
                    report("busy");
                    return 0;
                }
                if Instant::now() >= lock_deadline {
                    report(&format!(
                        "error another caseload process has held {} for {} s without serving it",
                        dir.join(super::serve::LOCK_NAME).display(),
                        LOCK_WAIT.as_secs()
                    ));
                    return 1;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => {
                eprintln!("caseload service: cannot start: {e}");
                report(&format!("error {e}"));
                return 1;
            }
        }
    };
    let started = Instant::now();
    eprintln!(
        "caseload service (pid {}): serving {} on {}",
        std::process::id(),
        dir.display(),
        socket.display()
    );
    for note in server.open_notes() {
        eprintln!("caseload service: {note}");
        report(&format!("note {note}"));
    }
    report(&format!("ready {}", std::process::id()));
    detach_stdout();

    let idle = idle_exit();
    let why = loop {
        let signal = match &signals {
            Ok(()) => super::serve::wait_for_stop_signal_for(CHECK_EVERY),
            Err(_) => {
                std::thread::sleep(CHECK_EVERY);
                Ok(None)
            }
        };
        match signal {
            Ok(Some(sig)) => break sig.to_string(),
            Ok(None) => {}
            Err(_) => std::thread::sleep(CHECK_EVERY),
        }
        if server.hand_over_requested() {
            break "handing the store over to `caseload serve`".to_string();
        }
        if !server.socket_is_ours() {
            break "its socket is gone".to_string();
        }
        let waited_for_first =
            server.connections_so_far() > 0 || started.elapsed() >= FIRST_CLIENT_GRACE;
        if waited_for_first && server.stop_if_idle(idle) {
            break format!("no client for {} s", idle.as_secs());
        }
    };
    eprintln!(
        "caseload service (pid {}): {why}: stopping",
        std::process::id()
    );
    server.stop();
    0
}

/// Writes the one-line report for the waiting client (standard output is
/// its pipe until [`detach_stdout`]).
fn report(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Points standard output at /dev/null, closing the client's pipe so that
/// it stops reading.
fn detach_stdout() {
    use std::os::fd::AsRawFd;
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        // SAFETY: dup2 onto fd 1 of a descriptor this function owns.
        unsafe {
            libc::dup2(null.as_raw_fd(), 1);
        }
    }
}

/// Sends standard error to `<dir>/caseload-service.log` (0600, appended).
fn redirect_stderr_to_log(dir: &Path) {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(LOG_NAME);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path);
    let target = match file {
        Ok(f) => f,
        Err(_) => match std::fs::OpenOptions::new().write(true).open("/dev/null") {
            Ok(f) => f,
            Err(_) => return,
        },
    };
    // SAFETY: dup2 onto fd 2 of a descriptor this function owns.
    unsafe {
        libc::dup2(target.as_raw_fd(), 2);
    }
}
