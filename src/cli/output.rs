//! Printing for the command line: every stored string escaped, columns
//! padded by display width so non-Latin names line up.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use serde::Serialize;

use crate::model::{Choice, Goal, Record};
use crate::text::{cell, escape_line, width};

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

/// One goal as a line: id, status, domain, title, steps and dates.
pub fn goal_line(g: &Record<Goal>) -> String {
    let (done, total) = g.progress();
    format!(
        "{} {} {} {} — {done}/{total} steps{}{}",
        col(&g.id.to_string(), 6),
        col(g.status.label(), 9),
        col(g.domain.label(), 24),
        escape_line(&g.title),
        g.target_date
            .map(|t| format!(", target {t}"))
            .unwrap_or_default(),
        g.next_review
            .map(|r| format!(", review {r}"))
            .unwrap_or_default()
    )
}
