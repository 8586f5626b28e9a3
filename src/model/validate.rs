//! Field validation shared by every way data comes in (CLI, UI, import).
//!
//! Each problem names the field and what is wrong with it, so that a user
//! can fix their input without guessing.

use std::fmt;

/// Longest name (display name, legal name, group name, goal title).
pub const MAX_NAME_CHARS: usize = 200;
/// Longest short field (phone, pronouns, e-mail, tag, location, topic).
pub const MAX_SHORT_CHARS: usize = 200;
/// Longest free text (notes, steps, wellness plan entries).
pub const MAX_NOTE_CHARS: usize = 10_000;
/// Longest single check-in or session, in minutes (a whole day).
pub const MAX_MINUTES: u16 = 1440;

/// One thing wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field as users know it ("display name", "minutes").
    pub field: String,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Every problem found in one record; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The problems, in field order.
    pub problems: Vec<FieldError>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.problems.iter().map(|p| p.to_string()).collect();
        f.write_str(&parts.join("; "))
    }
}

impl ValidationError {
    /// A single-problem error.
    pub fn one(field: impl Into<String>, problem: impl Into<String>) -> Self {
        ValidationError {
            problems: vec![FieldError {
                field: field.into(),
                problem: problem.into(),
            }],
        }
    }
}

/// Collects problems while a record is checked field by field.
#[derive(Debug, Default)]
pub struct Checker {
    problems: Vec<FieldError>,
}

impl Checker {
    /// An empty checker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with a field.
    pub fn fail(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.problems.push(FieldError {
            field: field.into(),
            problem: problem.into(),
        });
    }

    /// A required name: not blank, at most `MAX_NAME_CHARS`.
    pub fn name(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, "must not be empty");
        } else {
            self.text(field, value, MAX_NAME_CHARS);
        }
    }

    /// Any text: at most `max` characters (counted as Unicode scalar values).
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.fail(field, format!("is {n} characters long; the limit is {max}"));
        }
    }

    /// An optional short text.
    pub fn short(&mut self, field: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.text(field, v, MAX_SHORT_CHARS);
        }
    }

    /// Minutes of a contact or session: 1 to `MAX_MINUTES`.
    pub fn minutes(&mut self, field: &str, value: u16) {
        if value == 0 || value > MAX_MINUTES {
            self.fail(
                field,
                format!("{value} is out of range; give 1 to {MAX_MINUTES} minutes"),
            );
        }
    }

    /// Checks a condition, recording `problem` for `field` when it is false.
    pub fn ensure(&mut self, ok: bool, field: &str, problem: impl Into<String>) {
        if !ok {
            self.fail(field, problem);
        }
    }

    /// `Ok` when nothing was wrong, else every problem found.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                problems: self.problems,
            })
        }
    }
}

/// Parses minutes typed by a user, with a message naming the field.
pub fn parse_minutes(field: &str, text: &str) -> Result<u16, ValidationError> {
    let t = text.trim();
    let n: i64 = t.parse().map_err(|_| {
        ValidationError::one(
            field,
            format!("'{t}' is not a whole number of minutes; give 1 to {MAX_MINUTES}"),
        )
    })?;
    if n <= 0 || n > i64::from(MAX_MINUTES) {
        return Err(ValidationError::one(
            field,
            format!("{n} is out of range; give 1 to {MAX_MINUTES} minutes"),
        ));
    }
    Ok(n as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem_with_field_names() {
        let mut c = Checker::new();
        c.name("display name", "   ");
        c.text("note", &"x".repeat(MAX_NOTE_CHARS + 1), MAX_NOTE_CHARS);
        c.minutes("minutes", 0);
        let err = c.finish().unwrap_err();
        assert_eq!(err.problems.len(), 3);
        let msg = err.to_string();
        assert!(msg.contains("display name: must not be empty"), "{msg}");
        assert!(
            msg.contains("note: is 10001 characters long; the limit is 10000"),
            "{msg}"
        );
        assert!(msg.contains("minutes: 0 is out of range"), "{msg}");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut c = Checker::new();
        c.text("name", &"é".repeat(200), 200);
        assert!(c.finish().is_ok());
    }

    #[test]
    fn parses_minutes_with_clear_errors() {
        assert_eq!(parse_minutes("minutes", " 45 "), Ok(45));
        assert!(parse_minutes("minutes", "-5")
            .unwrap_err()
            .to_string()
            .contains("-5 is out of range"));
        assert!(parse_minutes("minutes", "1441").is_err());
        assert!(parse_minutes("minutes", "ten")
            .unwrap_err()
            .to_string()
            .contains("'ten' is not a whole number"));
    }
}
