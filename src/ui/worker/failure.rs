//! Why the store did not do what the UI asked, as a value that keeps the
//! domain's field problems, so forms put each problem under its field
//! without reading message text back.

use std::fmt;

use crate::model::dates::DateParseError;
use crate::model::validate::FieldError;
use crate::model::ValidationError;
use crate::ops::OpsError;
use crate::store::StoreError;

/// A refused or failed request: the sentence to show, and the problems of
/// single fields when the refusal was about them (empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The whole explanation, as the CLI would print it.
    pub message: String,
    /// Each field's problem, in field order (empty when no field is to
    /// blame: a full disk, a record changed elsewhere).
    pub problems: Vec<FieldError>,
}

impl Failure {
    /// A failure about a field of the form (the field as users know it:
    /// "facilitator", "target date").
    pub fn field(field: &str, problem: impl fmt::Display) -> Failure {
        ValidationError::one(field, problem.to_string()).into()
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ValidationError> for Failure {
    fn from(v: ValidationError) -> Failure {
        Failure {
            message: v.to_string(),
            problems: v.problems,
        }
    }
}

impl From<DateParseError> for Failure {
    fn from(e: DateParseError) -> Failure {
        let message = e.to_string();
        Failure {
            message,
            problems: ValidationError::from(e).problems,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        match e {
            StoreError::Invalid(v) => v.into(),
            other => Failure::from(other.to_string()),
        }
    }
}

impl From<OpsError> for Failure {
    fn from(e: OpsError) -> Failure {
        match e {
            OpsError::Invalid(v) => v.into(),
            OpsError::Store(s) => s.into(),
            OpsError::Date(d) => d.into(),
            other => Failure::from(other.to_string()),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            problems: Vec::new(),
        }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::from(message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_problems_survive_the_trip_and_other_refusals_are_a_sentence() {
        let invalid: OpsError = ValidationError::one("target date", "is before the start").into();
        let f = Failure::from(invalid);
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].field, "target date");
        assert_eq!(f.message, "target date: is before the start");

        let date = DateParseError {
            field: "review date".into(),
            given: "soonish".into(),
            problem: crate::model::dates::DateProblem::Unreadable {
                what: "date",
                hint: "use YYYY-MM-DD",
            },
        };
        let f = Failure::from(OpsError::from(date));
        assert_eq!(f.problems[0].field, "review date");
        assert_eq!(
            f.problems[0].to_string(),
            f.message,
            "said once, the same way"
        );

        let f = Failure::from(OpsError::Refused("nothing to save".into()));
        assert!(f.problems.is_empty());
        assert_eq!(f.to_string(), "nothing to save");
    }
}
