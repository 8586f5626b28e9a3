//! `caseload staff`: staff accounts.

use std::process::ExitCode;

use anyhow::Result;

use crate::model::Choice;
use crate::store::Store;

use super::args::StaffCommand;
use super::output::{col, print_json};

/// Runs `caseload staff …`.
pub fn run(store: &dyn Store, cmd: &StaffCommand) -> Result<ExitCode> {
    match cmd {
        StaffCommand::Add {
            name,
            role,
            initials,
            login,
            pin_stdin,
        } => {
            return super::staff_auth::add(
                store,
                name,
                *role,
                initials.as_deref(),
                login.as_deref(),
                *pin_stdin,
            )
        }
        StaffCommand::SetPin { name, pin_stdin } => {
            return super::staff_auth::set_pin(store, name, *pin_stdin)
        }
        StaffCommand::Reactivate { name } => {
            let s = crate::ops::lookup::resolve_staff(store, name)?;
            if s.active {
                println!(
                    "{} {} is already active",
                    s.id,
                    crate::text::escape_line(&s.name)
                );
                return Ok(ExitCode::SUCCESS);
            }
            let edit = crate::ops::auth::StaffEdit {
                active: Some(true),
                ..Default::default()
            };
            let actor = super::actor(store, None);
            let rec = crate::ops::auth::edit_staff(store, &actor, s.id, &edit)?;
            println!(
                "reactivated {} {}",
                rec.id,
                crate::text::escape_line(&rec.name)
            );
        }
        StaffCommand::Edit {
            staff,
            name,
            initials,
            role,
            login,
        } => {
            let s = crate::ops::lookup::resolve_staff(store, staff)?;
            let edit = crate::ops::auth::StaffEdit {
                name: name.clone(),
                initials: initials.clone(),
                role: *role,
                login: login.clone().map(Some),
                active: None,
            };
            let actor = super::actor(store, None);
            let rec = crate::ops::auth::edit_staff(store, &actor, s.id, &edit)?;
            println!(
                "saved {} {} ({}, {})",
                rec.id,
                crate::text::escape_line(&rec.name),
                crate::text::escape_line(&rec.initials),
                rec.role.label()
            );
        }
        StaffCommand::Deactivate { name } => return super::staff_auth::deactivate(store, name),
        StaffCommand::Cert(c) => return super::credentials::cert(store, c),
        StaffCommand::Ceu(c) => return super::credentials::ceu(store, c),
        StaffCommand::Supervision(c) => return super::credentials::supervision(store, c),
        StaffCommand::Credentials { staff, date, json } => {
            return super::credentials::credentials(store, staff.as_deref(), date.as_deref(), *json)
        }
        StaffCommand::List { json } => {
            let mut staff = store.list_staff()?;
            // Hashes never leave the store (a short PIN falls to a search).
            staff.iter_mut().for_each(crate::ops::auth::hide_pin);
            if *json {
                print_json(&staff)?;
            } else {
                for s in staff {
                    println!(
                        "{} {} {} {}{}",
                        col(&s.id.to_string(), 5),
                        col(&s.initials, 4),
                        col(&s.name, 28),
                        col(s.role.label(), 16),
                        if s.active { "" } else { " (inactive)" }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
