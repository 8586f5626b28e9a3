//! Closed sets of named choices (modes, roles, domains, …).
//!
//! Users type these on the command line and in forms, so each choice has a
//! stable machine key (`in-person`), a label for screens ("in person"), and
//! an error that lists every valid key when the text matches none.

/// A closed set of values that users pick by name.
pub trait Choice: Sized + Copy + 'static {
    /// What the set is called in messages ("mode", "life domain").
    const FIELD: &'static str;
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The stable key used on the command line and in exports.
    fn key(self) -> &'static str;
    /// The words shown on screen.
    fn label(self) -> &'static str;

    /// Parses a key or label, ignoring case, spaces versus dashes and `&`.
    fn parse_choice(text: &str) -> Result<Self, UnknownChoice> {
        let wanted = normalize(text);
        Self::ALL
            .iter()
            .copied()
            .find(|c| normalize(c.key()) == wanted || normalize(c.label()) == wanted)
            .ok_or_else(|| UnknownChoice {
                field: Self::FIELD,
                given: text.to_string(),
                valid: Self::ALL
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

fn normalize(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            ' ' | '_' | '-' | '/' | '&' => None,
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

/// A typed value that is not one of the choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {field} '{given}' (valid: {valid})")]
pub struct UnknownChoice {
    /// Which kind of choice was expected.
    pub field: &'static str,
    /// What the user typed.
    pub given: String,
    /// Every valid key, comma-separated.
    pub valid: String,
}

/// Declares a choice enum with serde keys, labels and `FromStr`.
macro_rules! choice_enum {
    (
        $(#[$doc:meta])*
        $name:ident, $field:literal {
            $( $(#[$vdoc:meta])* $variant:ident = ($key:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $key)] $variant ),+
        }

        impl $crate::model::choice::Choice for $name {
            const FIELD: &'static str = $field;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::choice::UnknownChoice;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::model::choice::Choice>::parse_choice(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::model::choice::Choice::label(*self))
            }
        }
    };
}
pub(crate) use choice_enum;
