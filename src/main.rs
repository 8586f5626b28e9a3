//! The `caseload` binary: parse arguments, set up logging, dispatch, and
//! report errors as one clear line. Nothing else lives here.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

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

/// Parses argv with clap's plain styles, so that a rendered error holds no
/// escape sequence but those typed into the arguments (which
/// [`usage_error`] then shows escaped, instead of dropping or obeying them).
fn parse_args() -> Result<caseload::cli::Cli, clap::Error> {
    let matches = caseload::cli::Cli::command()
        .styles(clap::builder::Styles::plain())
        .try_get_matches()?;
    caseload::cli::Cli::from_arg_matches(&matches)
}

/// Prints a clap error (usage mistakes, and `--help`/`--version`) with
/// every control character escaped: clap quotes the offending argument,
/// and an OSC 52 or a title change typed into argv must not reach the
/// terminal raw. Help and version go to standard output with exit 0; usage
/// errors to standard error with clap's exit code (2).
fn usage_error(e: &clap::Error) -> ExitCode {
    let rendered = e.render().ansi().to_string();
    let clean = caseload::text::escape_multiline(&rendered);
    let code = e.exit_code();
    if !e.use_stderr() {
        print!("{clean}");
        ExitCode::SUCCESS
    } else {
        eprint!("{clean}");
        ExitCode::from(u8::try_from(code).unwrap_or(2))
    }
}

/// `caseload __service DIR`: the private store service a client started
/// (see `caseload::server::autostart`). Hidden from `--help`; handled
/// before anything else, because it forks while there is one thread.
fn service_subcommand() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != caseload::server::autostart::SERVICE_COMMAND {
        return None;
    }
    let dir = std::path::PathBuf::from(args.next()?);
    let code = caseload::server::autostart::run_service(&dir);
    Some(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

fn main() -> ExitCode {
    restore_sigpipe();
    if let Some(code) = service_subcommand() {
        return code;
    }
    // This binary starts the store's private service when none runs.
    if let Ok(exe) = std::env::current_exe() {
        caseload::server::autostart::enable(exe);
    }
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
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
