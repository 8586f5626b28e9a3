//! The `caseload` binary: parse arguments, set up logging, dispatch, and
//! report errors as one clear line. Nothing else lives here.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// mimalloc instead of glibc's malloc for every caseload process: the
/// store service spent a third of its time writing check-ins in
/// allocation (sled copies a leaf node on each insert), and with mimalloc
/// it uses about a quarter less CPU for `demo` (docs/performance.md). Built
/// without transparent huge pages (`no_thp`) and told to return freed
/// memory at once (see [`return_freed_memory_at_once`]): otherwise the
/// service kept 70 MiB after opening a 100k-check-in store instead of 27.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its index in `mi_option_t`, the same in
/// mimalloc 2 and 3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc's purge delay to 0, so memory freed is given back to the
/// system at once instead of a second later. Opening a store allocates and
/// frees a lot (sled reads its page table); with the default delay the
/// service kept it: 171 MiB right after opening 10k peers / 1M check-ins,
/// against 118 MiB with no delay (glibc's malloc: 147 MiB), at no
/// measurable cost in `demo`'s time.
fn return_freed_memory_at_once() {
    // SAFETY: sets one integer option of the allocator; mimalloc reads it
    // atomically whenever it frees memory, so any moment is safe.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
    leave_abandoned_pages_to_any_thread();
}

/// mimalloc 3's `page_reclaim_on_free` option (its index in `mi_option_t`
/// of mimalloc 3, the version `libmimalloc-sys` builds by default).
const MI_OPTION_PAGE_RECLAIM_ON_FREE: libmimalloc_sys::mi_option_t = 35;

/// Sets mimalloc's `page_reclaim_on_free` to -1. mimalloc 3 lets go of
/// (abandons) pages its threads no longer track; by default a free into
/// such a page from the thread it came from takes the whole page back at
/// once, and mimalloc's own notes warn that this holds on to memory
/// other threads could reuse. With -1 such pages wait in the arena's list
/// of pages with room, where any thread that needs that size finds them.
/// The store service frees sled's replaced pages on every request: with
/// the default it grew 11.9–12.5 MiB across 10,000 mixed requests at 10k
/// peers / 1M check-ins, with -1 9.3–9.7 MiB, at the same request times
/// (docs/performance.md, "Stop 20").
fn leave_abandoned_pages_to_any_thread() {
    // SAFETY: as above, one integer option, read atomically on each free.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PAGE_RECLAIM_ON_FREE, -1) }
}

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
    return_freed_memory_at_once();
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
