//! `caseload serve`: run the server that lets several staff work at once.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::server::{ServeOptions, Server};

use super::Cli;

/// `caseload serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Let members of this group connect (socket 0660, store directory
    /// 0710); without it only the server's own user can.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
}

/// Runs the server in the foreground until the process is stopped
/// (systemd, Ctrl-C). Every acknowledged write is already on disk, so
/// stopping it at any moment loses nothing.
pub fn run(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    let dir = super::paths::store_dir(cli)?;
    let options = ServeOptions {
        group: args.group.clone(),
    };
    let server = Server::start(&dir, &options)?;
    eprintln!(
        "caseload: serving the store at {} on {} (protocol {}{})",
        dir.display(),
        server.socket().display(),
        crate::server::protocol::PROTOCOL,
        match &args.group {
            Some(g) => format!(", group {g}"),
            None => String::new(),
        }
    );
    server.wait();
    Ok(ExitCode::SUCCESS)
}
