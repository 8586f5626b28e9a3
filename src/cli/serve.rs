//! `caseload serve`: run the server that lets several staff work at once.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::server::ServeOptions;

use super::Cli;

/// `caseload serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Let members of this group connect (socket 0660, store directory
    /// 0710); without it only the server's own user can.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Seconds a new connection has to send its whole hello.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::server::serve::HELLO_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub hello_timeout: u64,
    /// Seconds a connection has to sign in before it is closed (when
    /// staff have PINs).
    #[arg(long, value_name = "SECONDS", default_value_t = crate::server::serve::SIGN_IN_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub sign_in_timeout: u64,
    /// Most connections one operating-system login may hold at once (a UI
    /// holds two, a command one); the server serves at most
    /// 128 in all.
    #[arg(long, value_name = "N", default_value_t = crate::server::serve::MAX_CONNECTIONS_PER_LOGIN as u64,
          value_parser = clap::value_parser!(u64).range(1..=crate::server::serve::MAX_CONNECTIONS as u64))]
    pub max_connections_per_login: u64,
}

/// Runs the server in the foreground until SIGTERM (systemd), SIGINT
/// (Ctrl-C) or SIGHUP, taking the store over from a private service that
/// holds it (it finishes its requests and exits), then stops it cleanly: connections closed, failed sign-ins
/// still being counted written, the socket removed. Every acknowledged
/// write is already on disk, so even a kill loses no saved record.
pub fn run(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    let dir = super::paths::store_dir(cli)?;
    let options = ServeOptions {
        group: args.group.clone(),
        hello_timeout: Duration::from_secs(args.hello_timeout),
        sign_in_timeout: Duration::from_secs(args.sign_in_timeout),
        max_connections_per_login: usize::try_from(args.max_connections_per_login)
            .unwrap_or(crate::server::serve::MAX_CONNECTIONS),
        private: false,
    };
    // Blocked before any thread starts, so that a stop signal reaches the
    // wait below and the server stops cleanly (failed sign-ins still being
    // counted are written, the socket is removed).
    let signals = crate::server::serve::block_stop_signals();
    let (server, took_over) = crate::server::serve::start_taking_over(&dir, &options)?;
    if let Some(pid) = took_over {
        eprintln!("caseload: took over the store from a private service (pid {pid})");
    }
    // What the open found or did (a schema upgrade, modes repaired).
    for note in server.open_notes() {
        eprintln!("caseload: {note}");
    }
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
    match signals.and_then(|()| crate::server::serve::wait_for_stop_signal()) {
        Ok(signal) => {
            eprintln!("caseload: {signal}: stopping the server");
            server.stop();
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot wait for stop signals; serving until killed");
            server.wait();
        }
    }
    Ok(ExitCode::SUCCESS)
}
