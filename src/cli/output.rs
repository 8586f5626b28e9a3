//! Printing for the command line: every stored string escaped, columns
//! padded by display width so non-Latin names line up.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use serde::Serialize;

use crate::text::{cell, width};

/// Pads an (already escaped) cell to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let fill = w.saturating_sub(width(s));
    format!("{s}{}", " ".repeat(fill))
}

/// An escaped cell cut to `w` columns and padded to exactly `w`.
pub fn col(s: &str, w: usize) -> String {
    pad(&cell(s, w), w)
}

/// Prints a value as pretty JSON (serde_json escapes control characters).
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// True when standard output is a terminal someone may be looking at.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}
