//! SIGTERM and SIGHUP while the screen is up: a logout, a closed SSH
//! session, `kill`, systemd ending a session. Without this the process
//! dies in raw mode on the alternate screen, and the terminal is left
//! without echo or a cursor, possibly still showing a peer's notes.
//!
//! The handler does only what is async-signal-safe: it writes a fixed
//! sequence (clear the screen, leave the alternate screen, show the
//! cursor, stop bracketed paste) with `write(2)`, puts back the terminal
//! settings saved before raw mode with `tcsetattr(3)`, and then dies of
//! the same signal (default action), so the parent sees what happened.
//! Nothing is lost by not unwinding: every save goes to the store
//! service, which finishes it whether or not this process is alive.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::OnceLock;

/// True while the screen is ours (raw mode, alternate screen).
static ARMED: AtomicBool = AtomicBool::new(false);
/// The terminal's descriptor, or -1 when standard input is not one.
static TTY_FD: AtomicI32 = AtomicI32::new(-1);
/// The terminal settings before raw mode.
static SAVED: OnceLock<libc::termios> = OnceLock::new();

/// Clear the screen and scroll-back, reset colours, stop bracketed paste,
/// leave the alternate screen, show the cursor.
const RESTORE: &[u8] = b"\x1b[0m\x1b[H\x1b[2J\x1b[3J\x1b[?2004l\x1b[?1049l\x1b[?25h";

extern "C" fn on_signal(sig: libc::c_int) {
    if ARMED.swap(false, Ordering::SeqCst) {
        // SAFETY: write(2), tcsetattr(3), signal(2) and raise(3) are
        // async-signal-safe; RESTORE is a static byte string, and SAVED
        // was set before the handler was installed and never changes.
        unsafe {
            libc::write(1, RESTORE.as_ptr().cast(), RESTORE.len());
            let fd = TTY_FD.load(Ordering::SeqCst);
            if let (true, Some(t)) = (fd >= 0, SAVED.get()) {
                libc::tcsetattr(fd, libc::TCSANOW, t);
            }
        }
    }
    // SAFETY: as above; the default action of SIGTERM/SIGHUP ends the
    // process.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// Saves the terminal's settings and installs the handlers; call before
/// raw mode. Later calls do nothing more.
pub fn install() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        // SAFETY: isatty and tcgetattr only read; a zeroed termios is a
        // valid out-value.
        unsafe {
            if libc::isatty(0) == 1 {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(0, &mut t) == 0 {
                    let _ = SAVED.set(t);
                    TTY_FD.store(0, Ordering::SeqCst);
                }
            }
        }
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        for sig in [libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: a zeroed sigaction with a handler and an empty mask
            // is valid; the handler is async-signal-safe (above).
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = handler;
                libc::sigemptyset(&mut action.sa_mask);
                if libc::sigaction(sig, &action, std::ptr::null_mut()) != 0 {
                    tracing::warn!(
                        signal = sig,
                        "cannot catch a signal; the terminal may be left raw if it comes"
                    );
                }
            }
        }
    });
}

/// Blocks until the terminal hangs up and says so (true), or returns
/// false at once when standard input is not a terminal. A terminal can go
/// away without SIGHUP reaching this process (the UI started under
/// `setsid` or `sudo`, or in a session the closed terminal did not lead);
/// crossterm's reader then sees end-of-file forever and spins without
/// returning, so the UI waits for the hang-up here, on a thread of its
/// own, and ends. `poll(2)` with no events asked reports only a hang-up
/// or an error, so this sleeps until then.
pub fn wait_for_hangup() -> bool {
    loop {
        match hung_up(-1) {
            Some(up) => return up,
            None => continue,
        }
    }
}

/// True if the terminal has hung up, without waiting (for loops that
/// wake on their own, like the kiosk's).
pub fn terminal_hung_up() -> bool {
    hung_up(0).unwrap_or(false)
}

/// Polls the terminal for a hang-up for `timeout_ms` (-1: until one):
/// `Some(true)` hung up, `Some(false)` not (or no terminal), `None`
/// interrupted by a signal.
fn hung_up(timeout_ms: libc::c_int) -> Option<bool> {
    let fd = TTY_FD.load(Ordering::SeqCst);
    if fd < 0 {
        return Some(false);
    }
    let mut p = libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid, initialised pollfd, and a count of 1.
    let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    if n < 0 {
        let interrupted = std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted;
        return if interrupted { None } else { Some(false) };
    }
    // With no events asked for, only POLLHUP, POLLERR or POLLNVAL is set.
    Some(n > 0 && p.revents != 0)
}

/// The screen is ours from now on: a signal restores it.
pub fn arm() {
    ARMED.store(true, Ordering::SeqCst);
}

/// The screen was given back normally: a signal just ends the process.
pub fn disarm() {
    ARMED.store(false, Ordering::SeqCst);
}
