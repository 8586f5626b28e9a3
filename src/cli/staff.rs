//! `caseload staff`: staff accounts.

use std::process::ExitCode;

use anyhow::Result;

use crate::model::{Choice, Staff};
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
        } => {
            let mut s = Staff::new(name.trim(), *role);
            if let Some(i) = initials {
                s.initials = i.trim().to_string();
            }
            s.login = login.clone();
            let actor = super::actor(store, None);
            let rec = store.create_staff(s, &actor)?;
            println!("{}", rec.id);
        }
        StaffCommand::List { json } => {
            let staff = store.list_staff()?;
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
