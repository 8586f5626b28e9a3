//! `caseload staff add | set-pin | deactivate`: staff accounts and PINs.
//!
//! PINs are read from standard input (with echo off at a terminal), never
//! from the command line, and never printed or logged. Who may run these
//! is checked before (see `access.rs`); the server checks again.

use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::model::{Role, Staff};
use crate::ops::auth;
use crate::ops::lookup::resolve_staff;
use crate::store::Store;
use crate::text::escape_line;

use super::access::read_new_pin;

fn need_pin_stdin(pin_stdin: bool) -> Result<()> {
    if !pin_stdin {
        bail!("give --pin-stdin and type the PIN (or pipe it in); a PIN is never taken from the command line, where others can read it");
    }
    Ok(())
}

/// `caseload staff add NAME --role R [--initials I] [--login L] [--pin-stdin]`.
pub fn add(
    store: &dyn Store,
    name: &str,
    role: Role,
    initials: Option<&str>,
    login: Option<&str>,
    pin_stdin: bool,
) -> Result<ExitCode> {
    let mut s = Staff::new(name.trim(), role);
    if let Some(i) = initials {
        s.initials = i.trim().to_string();
    }
    s.login = login.map(str::to_string);
    // Read and check the PIN before saving, so that a bad PIN leaves no
    // account behind; it is set on its own once the account exists.
    let pin = if pin_stdin {
        Some(read_new_pin(&s.name)?)
    } else {
        None
    };
    let actor = super::actor(store, None);
    let mut rec = store.create_staff(s, &actor)?;
    if let Some(pin) = pin {
        rec = auth::set_pin(store, &actor, rec.id, &pin)?;
    }
    println!("{}", rec.id);
    Ok(ExitCode::SUCCESS)
}

/// `caseload staff set-pin NAME --pin-stdin`.
pub fn set_pin(store: &dyn Store, name: &str, pin_stdin: bool) -> Result<ExitCode> {
    need_pin_stdin(pin_stdin)?;
    let staff = resolve_staff(store, name)?;
    let pin = read_new_pin(&staff.name)?;
    let actor = super::actor(store, None);
    let rec = auth::set_pin(store, &actor, staff.id, &pin)?;
    println!("PIN set for {} {}", rec.id, escape_line(&rec.name));
    Ok(ExitCode::SUCCESS)
}

/// `caseload staff deactivate NAME`: they keep their history but can no
/// longer sign in.
pub fn deactivate(store: &dyn Store, name: &str) -> Result<ExitCode> {
    let mut staff = resolve_staff(store, name)?;
    if !staff.active {
        println!(
            "{} {} is already inactive",
            staff.id,
            escape_line(&staff.name)
        );
        return Ok(ExitCode::SUCCESS);
    }
    staff.active = false;
    auth::keeps_an_admin(&store.list_staff()?, &staff)?;
    let actor = super::actor(store, None);
    let rec = store.update_staff(&staff, &actor)?;
    println!("deactivated {} {}", rec.id, escape_line(&rec.name));
    Ok(ExitCode::SUCCESS)
}
