//! The few operating-system calls std does not offer: sending without
//! SIGPIPE, reading who is on the other end of a socket, and looking up
//! users and groups; and reading against a deadline. Each `unsafe` block
//! has its reason beside it.

use std::ffi::{CStr, CString};
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Instant;

/// Reads from a socket until a deadline for everything read through it,
/// not per read: before each read the socket's timeout is set to what is
/// left, so a client sending one byte every few seconds is still cut off
/// at the deadline. Reads after it fail with `TimedOut`.
pub struct ReadBy<'a> {
    stream: &'a UnixStream,
    deadline: Instant,
}

impl<'a> ReadBy<'a> {
    /// Reads from `stream` until `deadline`.
    pub fn new(stream: &'a UnixStream, deadline: Instant) -> Self {
        ReadBy { stream, deadline }
    }
}

impl Read for ReadBy<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self
            .deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "the deadline passed"))?;
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        match s.read(buf) {
            // A socket timeout shows as WouldBlock on Unix.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the deadline passed",
            )),
            other => other,
        }
    }
}

/// Writes all of `bytes` with `MSG_NOSIGNAL`: a vanished peer becomes an
/// `EPIPE` error rather than a signal that ends the process.
pub fn send_all(stream: &UnixStream, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe the live slice `bytes`;
        // the descriptor belongs to `stream`, which outlives the call.
        let n = unsafe {
            libc::send(
                stream.as_raw_fd(),
                bytes.as_ptr().cast(),
                bytes.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                "the socket took nothing",
            ));
        }
        bytes = &bytes[n as usize..];
    }
    Ok(())
}

/// Makes the C allocator give large blocks (argon2's 19 MiB a PIN check)
/// straight back to the system when freed. glibc otherwise raises its
/// mmap threshold after the first such block and keeps later ones in the
/// heap of whichever thread freed them: 9 checks on 9 connection threads
/// left the server at 146 MiB. With a fixed threshold the server's memory
/// is its base plus the checks running at once.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_large_allocations() {
    // SAFETY: mallopt only sets an allocator parameter; 1 MiB is a valid
    // M_MMAP_THRESHOLD (at most HEAP_MAX/2, 32 MiB on 64-bit).
    let ok = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20) };
    if ok != 1 {
        tracing::warn!(
            "could not set the allocator's mmap threshold; memory after PIN checks may stay high"
        );
    }
}

/// Elsewhere the allocator returns large blocks by itself (musl, the BSDs).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_large_allocations() {}

/// The signals that stop a server cleanly: SIGTERM (systemd), SIGINT
/// (Ctrl-C) and SIGHUP (the terminal of a foreground `serve` closed).
fn stop_signals() -> libc::sigset_t {
    // SAFETY: a zeroed sigset_t is valid storage; sigemptyset initialises
    // it and sigaddset only adds valid signal numbers to it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGHUP);
        set
    }
}

/// Blocks SIGTERM and SIGINT in this thread and every thread started from
/// it afterwards, so that [`wait_for_stop_signal`] receives them instead
/// of the process dying mid-write. Call before starting any thread.
pub fn block_stop_signals() -> io::Result<()> {
    let set = stop_signals();
    // SAFETY: `set` is an initialised sigset_t; the old mask is not asked for.
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(rc))
    }
}

/// Waits until SIGTERM or SIGINT arrives (blocked by
/// [`block_stop_signals`]) and returns its name.
pub fn wait_for_stop_signal() -> io::Result<&'static str> {
    let set = stop_signals();
    let mut sig: libc::c_int = 0;
    // SAFETY: `set` is initialised and `sig` is valid for a write.
    let rc = unsafe { libc::sigwait(&set, &mut sig) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(signal_name(sig))
}

fn signal_name(sig: libc::c_int) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGHUP => "SIGHUP",
        _ => "SIGTERM",
    }
}

/// Like [`wait_for_stop_signal`], but gives up after `timeout` with
/// `None`, so that a service can look at its idle time between waits.
#[cfg(target_os = "linux")]
pub fn wait_for_stop_signal_for(timeout: std::time::Duration) -> io::Result<Option<&'static str>> {
    let set = stop_signals();
    let ts = libc::timespec {
        tv_sec: libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX),
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `set` and `ts` are initialised; no siginfo is asked for.
    let sig = unsafe { libc::sigtimedwait(&set, std::ptr::null_mut(), &ts) };
    if sig >= 0 {
        return Ok(Some(signal_name(sig)));
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EAGAIN) | Some(libc::EINTR) => Ok(None),
        _ => Err(e),
    }
}

/// Like [`wait_for_stop_signal`], but gives up after `timeout` with
/// `None` (polling the pending set where `sigtimedwait` is missing).
#[cfg(not(target_os = "linux"))]
pub fn wait_for_stop_signal_for(timeout: std::time::Duration) -> io::Result<Option<&'static str>> {
    let set = stop_signals();
    let end = Instant::now() + timeout;
    loop {
        // SAFETY: a zeroed sigset_t is valid storage for sigpending.
        let mut pending: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: `pending` is valid for a write.
        unsafe { libc::sigpending(&mut pending) };
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            // SAFETY: both sets are initialised.
            if unsafe { libc::sigismember(&pending, sig) } == 1 {
                let mut got: libc::c_int = 0;
                // SAFETY: `set` is initialised; `got` is valid for a write.
                unsafe { libc::sigwait(&set, &mut got) };
                return Ok(Some(signal_name(got)));
            }
        }
        if Instant::now() >= end {
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// True if the client on `stream` has closed its end (or shut down its
/// writing), even if its thread here has not read to the end yet: such a
/// connection no longer counts against its login's limit. Never blocks.
pub fn peer_gone(stream: &UnixStream) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let events = libc::POLLIN | libc::POLLRDHUP;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let events = libc::POLLIN;
    let mut fds = [libc::pollfd {
        fd: stream.as_raw_fd(),
        events,
        revents: 0,
    }];
    // SAFETY: `fds` is a valid array of one pollfd for the call's length;
    // a zero timeout makes it return at once.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, 0) };
    if n <= 0 {
        return false;
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let gone = libc::POLLHUP | libc::POLLRDHUP | libc::POLLERR;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let gone = libc::POLLHUP | libc::POLLERR;
    fds[0].revents & gone != 0
}

/// The user id of the process on the other end of `stream`, from the
/// kernel (it cannot be forged by the client).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn peer_uid(stream: &UnixStream) -> Option<u32> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes given;
    // SO_PEERCRED fills a `ucred`.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(cred.uid)
}

/// The user id of the process on the other end of `stream`.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn peer_uid(stream: &UnixStream) -> Option<u32> {
    let mut uid: libc::uid_t = 0;
    let mut gid: libc::gid_t = 0;
    // SAFETY: both out-pointers are valid for writes.
    let rc = unsafe { libc::getpeereid(stream.as_raw_fd(), &mut uid, &mut gid) };
    (rc == 0).then_some(uid)
}

/// The login name of user `uid`, or `uid N` when it has none.
pub fn user_name(uid: u32) -> String {
    let mut buf = vec![0u8; 4096];
    // SAFETY: zeroed `passwd` is a valid out-value (all pointers null).
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the stated sizes; on success
    // `result` points at `pwd`, whose strings live in `buf`.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: getpwuid_r succeeded, so pw_name is a NUL-terminated
        // string inside `buf`, which is still alive.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) };
        if let Ok(s) = name.to_str() {
            return s.to_string();
        }
    }
    format!("uid {uid}")
}

/// The id of group `name`, if it exists.
pub fn group_id(name: &str) -> io::Result<u32> {
    let c = CString::new(name)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a group name with a NUL"))?;
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: zeroed `group` is a valid out-value (all pointers null).
    let mut grp: libc::group = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::group = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the stated sizes.
    let rc = unsafe {
        libc::getgrnam_r(
            c.as_ptr(),
            &mut grp,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    if result.is_null() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("there is no group named {name}"),
        ));
    }
    Ok(grp.gr_gid)
}

/// Gives `path` to group `gid` (owner unchanged).
pub fn chown_group(path: &Path, gid: u32) -> io::Result<()> {
    std::os::unix::fs::chown(path, None, Some(gid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;

    #[test]
    fn a_hung_up_peer_is_seen_gone_even_with_unread_data() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        assert!(!peer_gone(&ours));
        (&theirs).write_all(b"xy").unwrap();
        assert!(!peer_gone(&ours), "data waiting is not a hang-up");
        drop(theirs);
        assert!(peer_gone(&ours));
    }

    #[test]
    fn a_deadline_holds_for_the_whole_read_not_each_call() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let writer = std::thread::spawn(move || {
            for _ in 0..20 {
                if (&theirs).write_all(b"a").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let start = Instant::now();
        let mut r = ReadBy::new(&ours, start + Duration::from_millis(500));
        let mut buf = [0u8; 64];
        let mut got = 0;
        let err = loop {
            match r.read(&mut buf) {
                Ok(n) => got += n,
                Err(e) => break e,
            }
        };
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!((1..20).contains(&got), "{got} bytes before the deadline");
        assert!(start.elapsed() < Duration::from_secs(1) * 10);
        drop(ours);
        writer.join().unwrap();
    }
}
