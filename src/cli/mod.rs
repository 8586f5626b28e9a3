//! The command line: clap definitions and one handler per command.
//!
//! Handlers parse arguments into domain values, call `ops` (the same
//! operations the terminal UI uses) and print results with every stored
//! string escaped. They hold no business rules.

mod access;
mod args;
mod assess;
mod audit;
mod checkin;
mod choices;
mod consent;
mod credentials;
mod demo;
mod docs;
mod goal;
mod goal_steps;
mod group;
mod import_peers;
mod log;
mod output;
mod paths;
mod peer;
mod referral;
mod report;

pub use report::{report_rows, write_report_csv};
mod serve;
mod settings;
mod staff;
mod staff_auth;
mod today;
mod transfer;
mod visit;
mod wellness;

use std::process::ExitCode;

use anyhow::Result;

pub use args::{Cli, Command};
pub use paths::{default_data_root, log_file_path};

use crate::model::Actor;
use crate::ops::os_login;
use crate::store::Store;

/// Opens the store the arguments point at: through its service
/// (`caseload serve`, or the private one, started here when none runs).
fn open_store(cli: &Cli) -> Result<crate::server::Opened> {
    let dir = paths::store_dir(cli)?;
    let store = crate::server::open(&dir)?;
    if store.rolled_back_import {
        eprintln!(
            "caseload: note: an interrupted import into {} was rolled back; the store is empty again",
            dir.display()
        );
    }
    Ok(store)
}

/// The actor for changes made from the command line: the named or only
/// staff member if one can be told, else the login alone.
fn actor(store: &dyn Store, staff: Option<&str>) -> Actor {
    if let Some(signed_in) = access::signed_in_actor() {
        return signed_in;
    }
    match crate::ops::lookup::acting_staff(store, staff) {
        Ok(s) => Actor::staff(s.id, os_login()),
        Err(_) => Actor::login(os_login()),
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let mut cli = cli.with_env_data_dir();
    // `caseload --staff SO log …` means what `caseload log … --staff SO`
    // does (the subcommand's own flag, when given, wins).
    if let (Some(who), Some(Command::Log(a))) = (cli.staff.clone(), cli.command.as_mut()) {
        if a.staff.is_none() {
            a.staff = Some(who);
        }
    }
    if let Some(d) = &cli.data_dir {
        // A file where the store's folder should be: say so, before any
        // attempt to create a store or start a service inside it.
        if d.exists() && !d.is_dir() {
            anyhow::bail!(
                "--data-dir {}: not a directory (give the folder a store is in, or a new one)",
                crate::text::escape_line(&d.display().to_string())
            );
        }
    }
    match &cli.command {
        None => run_ui(&cli),
        Some(Command::Keymap(k)) => Ok(args::keymap_check(k)),
        Some(Command::Instrument(i)) => assess::instrument(cli.config.as_deref(), i),
        Some(Command::Completions(a)) => docs::completions(a),
        Some(Command::Man(a)) => docs::man(a),
        Some(Command::Serve(a)) => serve::run(&cli, a),
        // Adding up other centers' reports reads no store.
        Some(Command::Report(a)) if !a.merge.is_empty() => report::merge(a),
        // Verifying reads a file only; restoring must not open (and so
        // create) the target store before it has checked it is empty.
        Some(Command::Verify(a)) => transfer::verify(a),
        Some(Command::Restore(a)) => transfer::restore(&cli, a),
        Some(cmd) => {
            let opened = open_store(&cli)?;
            let store = opened.store;
            // The private service is this user's own: it is treated as
            // the store's files are (an admin may be set up there).
            let shared = opened.served_by.is_some() && !opened.private_service;
            access::gate(&*store, &cli, cmd, shared)?;
            match cmd {
                Command::Demo(a) => demo::run(&store, a),
                Command::Peer(a) => peer::run(&store, a),
                Command::Log(a) => log::run(&store, a),
                Command::Checkin(a) => checkin::run(&store, cli.staff.as_deref(), a),
                Command::Goal(a) => goal::run(&store, a),
                Command::Wellness(a) => wellness::run(&store, a),
                Command::Group(a) => group::run(&store, a),
                Command::Today(a) => today::run(&store, a),
                Command::Visit(a) => visit::run(&store, a),
                Command::Kiosk(a) => visit::kiosk(&store, a),
                Command::Report(a) => report::run(&store, a),
                Command::Export(a) => transfer::export(&store, a),
                Command::Import(a) => transfer::import(&store, a),
                Command::Backup(a) => transfer::backup(&store, a),
                Command::ImportPeers(a) => import_peers::run(&store, a),
                Command::Staff(a) => staff::run(&store, a),
                Command::Settings(a) => settings::run(&store, a),
                Command::Audit(a) => audit::run(&store, a),
                Command::Resource(a) => referral::run_resource(&store, a),
                Command::Refer(a) => referral::run_refer(&store, a),
                Command::Referral(a) => referral::run_referral(&store, a),
                Command::Card(a) => referral::run_card(&store, a),
                Command::Consent(a) => consent::run(&store, a),
                Command::Assess(a) => {
                    assess::run(&store, cli.config.as_deref(), cli.staff.as_deref(), a)
                }
                Command::Keymap(_)
                | Command::Instrument(_)
                | Command::Serve(_)
                | Command::Verify(_)
                | Command::Restore(_)
                | Command::Completions(_)
                | Command::Man(_) => Ok(ExitCode::SUCCESS),
            }
        }
    }
}

fn run_ui(cli: &Cli) -> Result<ExitCode> {
    let store = open_store(cli)?.store;
    if cli.demo && store.counts()?.peers == 0 {
        eprintln!("caseload: filling the demo store at {} …", store.location());
        demo::fill_default(&store)?;
    }
    loop {
        crate::ui::run(
            store.clone(),
            crate::ui::UiOptions {
                keymap: cli.keymap.clone(),
                staff: cli.staff.clone(),
                config_path: cli.config.clone(),
                demo: cli.demo,
                lock_after: cli.lock_after.clone(),
            },
        )?;
        // `K` in the UI: the kiosk on this terminal until a staff PIN
        // leaves it, then the staff UI again (its sign-in screen).
        if !crate::ui::kiosk::take_after_ui() {
            return Ok(ExitCode::SUCCESS);
        }
        visit::kiosk(
            &*store,
            &visit::KioskArgs {
                station: "staff terminal".into(),
            },
        )?;
    }
}
