//! The `caseload` binary: parse arguments, set up logging, dispatch, and
//! report errors as one clear line. Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;

fn init_logging(cli: &caseload::cli::Cli) {
    // The UI owns the terminal: its logs go to a file, never the screen.
    // Commands log warnings to standard error.
    let filter = tracing_subscriber::EnvFilter::try_from_env("CASELOAD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    if cli.command.is_none() {
        let Some(path) = caseload::cli::log_file_path() else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
        {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file))
                .try_init();
        }
    } else {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_env("CASELOAD_LOG")
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
            )
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// Lets `caseload peer list | head` end quietly like other Unix tools,
/// instead of panicking on a closed pipe.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: resetting a signal to its default disposition at start-up,
    // before any thread exists, has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = caseload::cli::Cli::parse();
    init_logging(&cli);
    match caseload::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!(
                "caseload: error: {}",
                caseload::text::escape_line(&chain.join(": "))
            );
            ExitCode::from(1)
        }
    }
}
