//! Signing in from the command line, and which commands need which role.
//!
//! Until some staff member has a PIN, commands run as before (the actor is
//! the named or only staff member, and the OS login). From then on every
//! command that opens the store signs in first: the staff member from
//! `--staff` / `CASELOAD_STAFF` (or the one whose login is the OS user, or
//! the only active one), the PIN from `CASELOAD_PIN` or, at a terminal, a
//! prompt that does not echo. PINs never come from the command line, which
//! other users can read in the process list. Through a server the server
//! checks the PIN; on the store's own files this process does. Who may do
//! what is not decided here: the store's authorizing layer
//! (`ops::access::Authorized`) applies the one permission table.

use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Result};

use crate::model::{Actor, Record, Role, Staff};
use crate::ops::auth::{self, admin_can_sign_in, Throttle};
use crate::ops::lookup::{acting_staff, resolve_staff};
use crate::ops::os_login;
use crate::store::{AuditEvent, Store};
use crate::text::escape_line;

use super::args::{Command, StaffCommand};
use super::Cli;

/// The environment variable a script puts the sign-in PIN in.
pub const PIN_ENV: &str = "CASELOAD_PIN";

static SIGNED_IN: OnceLock<Record<Staff>> = OnceLock::new();

/// The actor of a command that signed in, if it did.
pub(super) fn signed_in_actor() -> Option<Actor> {
    SIGNED_IN.get().map(|s| Actor::staff(s.id, os_login()))
}

/// Reads a secret line: from the terminal with echo off, or one line of
/// piped standard input. The trailing newline is removed; nothing else.
pub(super) fn read_secret(prompt: &str) -> Result<String> {
    let stdin = io::stdin();
    let tty = stdin.is_terminal();
    let _echo = if tty {
        eprint!("{prompt}");
        let _ = io::stderr().flush();
        EchoOff::new()
    } else {
        None
    };
    let mut line = String::new();
    let n = stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| anyhow!("cannot read the PIN: {e}"))?;
    if tty {
        eprintln!();
    }
    if n == 0 {
        bail!("no PIN was given on standard input");
    }
    while line.ends_with('\n') || line.ends_with('\r') {
        line.pop();
    }
    Ok(line)
}

/// Reads a new PIN (twice at a terminal) and checks it against the rules.
pub(super) fn read_new_pin(name: &str) -> Result<String> {
    let pin = read_secret(&format!("new PIN for {}: ", escape_line(name)))?;
    auth::check_pin_rules(&pin)?;
    if io::stdin().is_terminal() {
        let again = read_secret("the same PIN again: ")?;
        if again != pin {
            bail!("the two PINs differ; nothing was changed");
        }
    }
    Ok(pin)
}

/// Turns terminal echo off while alive.
struct EchoOff {
    saved: libc::termios,
}

impl EchoOff {
    fn new() -> Option<EchoOff> {
        // SAFETY: a zeroed termios is a valid out-value for tcgetattr.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: fd 0 is standard input; `t` is valid for writes.
        if unsafe { libc::tcgetattr(0, &mut t) } != 0 {
            return None;
        }
        let saved = t;
        t.c_lflag &= !libc::ECHO;
        t.c_lflag |= libc::ECHONL;
        // SAFETY: `t` is a termios read from this terminal, edited.
        if unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) } != 0 {
            return None;
        }
        Some(EchoOff { saved })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new` on the same fd.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &self.saved);
        }
    }
}

/// Who the command line names as the acting staff member.
fn named_staff<'a>(cli: &'a Cli, cmd: &'a Command) -> Option<&'a str> {
    cli.staff.as_deref().or(match cmd {
        Command::Log(a) => a.staff.as_deref(),
        _ => None,
    })
}

/// True for the one thing allowed without signing in on a store that
/// requires it: setting up an admin's PIN on the store's own files when no
/// admin can sign in (a new install, or a restored backup without PINs).
/// Whoever can open the files directly could change them anyway.
fn setting_up_an_admin(store: &dyn Store, cmd: &Command, served: bool) -> Result<bool> {
    if served || admin_can_sign_in(&store.list_staff()?) {
        return Ok(false);
    }
    Ok(match cmd {
        Command::Staff(StaffCommand::Add { role, .. }) => *role == Role::Admin,
        Command::Staff(StaffCommand::SetPin { name, .. }) => {
            resolve_staff(store, name).is_ok_and(|s| s.role == Role::Admin)
        }
        _ => false,
    })
}

/// Signs in when the store requires it; records an export before it
/// starts (refused there unless the role may export). Call before running `cmd`.
pub(super) fn gate(store: &dyn Store, cli: &Cli, cmd: &Command, served: bool) -> Result<()> {
    if auth::sign_in_required(store) {
        if setting_up_an_admin(store, cmd, served)? {
            eprintln!(
                "caseload: note: no admin can sign in yet, so this admin is set up without signing in (allowed only on the store's own files, with no server running)"
            );
            return Ok(());
        }
        let staff = acting_staff(store, named_staff(cli, cmd))
            .map_err(|e| anyhow!("this store requires signing in: {e}"))?;
        let pin = match std::env::var(PIN_ENV) {
            Ok(p) => p,
            Err(_) if io::stdin().is_terminal() => {
                read_secret(&format!("PIN for {}: ", escape_line(&staff.name)))?
            }
            Err(_) => bail!(
                "this store requires signing in: give the PIN of {} in {PIN_ENV} (never on the command line), or run at a terminal to be asked",
                escape_line(&staff.name)
            ),
        };
        let throttle = Throttle::default();
        // Signing in binds the store's session (the server's, or the
        // authorizing layer this process opened the files with), which
        // decides from then on what the command may do: the permission
        // table is applied there, for every path alike.
        let me = auth::sign_in(store, &throttle, staff.id, &pin, &os_login())?;
        let _ = SIGNED_IN.set(me);
    }
    let exported_to = match cmd {
        // A disclosure is recorded as one, under the consent it relies on.
        Command::Export(a) if a.for_recipient.is_some() => None,
        Command::Export(a) => Some(match (&a.out, &a.csv) {
            (_, Some(dir)) => format!("CSV files in {}", dir.display()),
            (Some(p), None) => p.display().to_string(),
            (None, None) => "standard output".to_string(),
        }),
        Command::Backup(a) => Some(match &a.to {
            Some(d) => format!("a backup in {}", d.display()),
            None => "a backup in the default backup folder".to_string(),
        }),
        _ => None,
    };
    if let Some(to) = exported_to {
        store.record_event(AuditEvent::Exported { to }, &super::actor(store, None))?;
    }
    Ok(())
}
