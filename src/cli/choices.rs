//! The domain's choices (modes, support kinds, statuses, roles…) as clap
//! `ValueEnum`s, so `--help`, the man page and shell completions list the
//! valid values. Parsing stays the domain's own ([`Choice::parse_choice`]):
//! every spelling accepted before (a key, a label, any case, spaces or
//! dashes) still is, and a wrong one gets the same message.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::ValueEnum;

use crate::model::{
    CheckInMode, Choice, ContactPreference, GoalStatus, LifeDomain, PeerStatus, Role, SupportKind,
};

/// `impl ValueEnum` for choice enums: every value, named by its key, with
/// its label as help.
macro_rules! value_enum {
    ($($t:ty),* $(,)?) => {$(
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                <$t as Choice>::ALL
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(self.key()).help(self.label()))
            }
        }
    )*};
}

value_enum!(
    CheckInMode,
    SupportKind,
    PeerStatus,
    GoalStatus,
    LifeDomain,
    Role,
    ContactPreference
);

/// The value parser of a choice: lists the `ValueEnum`'s values, parses
/// with the domain's rule.
#[derive(Debug, Clone, Copy)]
pub struct ChoiceParser<T>(std::marker::PhantomData<T>);

impl<T> ChoiceParser<T> {
    /// A parser for `T`.
    pub fn new() -> Self {
        ChoiceParser(std::marker::PhantomData)
    }
}

impl<T> Default for ChoiceParser<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> TypedValueParser for ChoiceParser<T>
where
    T: Choice + ValueEnum + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // The same path as a plain function parser, so the message (and
        // its exit code) is what it was.
        let parse = |s: &str| super::args::parse_choice::<T>(s);
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}
