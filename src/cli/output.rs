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
/// Buffered: stdout alone writes each line as it ends, and pretty JSON is
/// a line per field (Today at a large center: 94,000 `write` calls, about
/// a third of `today --json`'s time).
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A text cell for any CSV caseload writes: control characters escaped
/// (a spreadsheet never receives them) and, when the text begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, a leading `'` so that no
/// spreadsheet reads a stored name such as `=HYPERLINK(…)` as a formula.
///
/// Every text cell goes through here. Numbers and dates that caseload
/// formats itself (counts, minutes, `2026-11-01`) are written as they are
/// so they stay numeric; none of them is negative today.
pub fn csv_text(s: &str) -> String {
    // Neutralise on the raw text: escaping turns a leading tab or CR into
    // `\t`/`\r`, which a spreadsheet would not execute but still shows as
    // the cell's start, so the mark goes first either way.
    let risky = matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let clean = escape_line(s);
    if risky {
        format!("'{clean}")
    } else {
        clean.into_owned()
    }
}

/// True when standard output is a terminal someone may be looking at.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// One goal as a line: id, status, domain, title, steps and dates.
pub fn goal_line(g: &Record<Goal>) -> String {
    let (done, total) = g.progress();
    format!(
        "{} {} {} {} — {done}/{total} {}{}{}",
        col(&g.id.to_string(), 6),
        col(g.status.label(), 9),
        col(g.domain.label(), 24),
        escape_line(&g.title),
        crate::text::noun(total, "step", "steps"),
        g.target_date
            .map(|t| format!(", target {t}"))
            .unwrap_or_default(),
        g.next_review
            .map(|r| format!(", review {r}"))
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_neutralises_formula_starts() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("-5"), "'-5");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("\tx"), "'\\tx");
        assert_eq!(csv_text("\rx"), "'\\rx");
        assert_eq!(csv_text("Ana = Ruiz"), "Ana = Ruiz");
        assert_eq!(csv_text("a\u{1b}[2Jb"), "a\\e[2Jb");
        assert_eq!(csv_text(""), "");
    }
}
