//! The check-in feature: opening the check-in form, saving it (asking
//! first when the store wants a yes), saving a correction made in it, and
//! the store's answers.

use crate::model::{Actor, CheckIn};

/// See the module doc.
#[derive(Default)]
pub struct CheckIns {
    /// The check-in last sent to be saved, kept in case the store asks
    /// for a yes first (dated in the future, peer not active).
    pub unconfirmed: Option<(CheckIn, Actor)>,
}
