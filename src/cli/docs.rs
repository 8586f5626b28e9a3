//! `caseload completions SHELL` and `caseload man [--out DIR]`: shell
//! completions and man pages generated from the same clap grammar the
//! command line parses, so they never drift from it. Neither opens the
//! store.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};

use super::args::Cli;

/// `caseload completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `caseload man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write caseload.1 and one page per subcommand into this folder
    /// (default: print caseload.1 on standard output).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script for the shell.
pub fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "caseload", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// Prints the main man page, or writes every page into `--out`.
pub fn man(args: &ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    match &args.out {
        None => {
            clap_mangen::Man::new(cmd)
                .render(&mut std::io::stdout())
                .context("cannot write the man page")?;
        }
        Some(dir) => {
            if dir.exists() && !dir.is_dir() {
                anyhow::bail!("--out: {} is not a directory", dir.display());
            }
            std::fs::create_dir_all(dir)
                .with_context(|| format!("--out: cannot create {}", dir.display()))?;
            write_pages(dir)?;
            println!("wrote man pages into {}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_pages(dir: &Path) -> Result<()> {
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("--out: cannot write man pages into {}", dir.display()))
}
