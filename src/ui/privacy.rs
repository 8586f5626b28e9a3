//! Privacy mode: peers shown by their initials only.
//!
//! Staff work at shared desks and in common rooms; a roster of names on a
//! screen tells a passer-by who is in recovery. With privacy mode on (one
//! key, shown in the status line) every peer name on screen becomes its
//! initials. Views never call [`shown_name`] themselves: they draw names
//! through the name helpers in `widgets::cells` (`fit_name`, `clip_name`,
//! `highlighted_name`), which read the mode from the `ViewCtx`, so a new
//! screen that draws peer names through them gets privacy mode for free.
//! Non-peer text (group names, staff, notes) is drawn as before.

use std::borrow::Cow;

use crate::model::staff::initials_of;

/// A peer's initials as privacy mode shows them ("Ana María Ruiz" → "AMR").
/// Never empty: a name without letters shows as `?`.
pub fn initials(name: &str) -> String {
    let i = initials_of(name);
    if i.is_empty() {
        "?".to_string()
    } else {
        i
    }
}

/// The name as it may be shown: the name itself, or its initials in
/// privacy mode. Raw either way (the cell helpers escape).
pub fn shown_name(name: &str, privacy: bool) -> Cow<'_, str> {
    if privacy {
        Cow::Owned(initials(name))
    } else {
        Cow::Borrowed(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_hide_the_name() {
        assert_eq!(initials("Ana Ruiz"), "AR");
        assert_eq!(initials("Zoë Ångström"), "ZÅ");
        assert_eq!(initials("李伟"), "李");
        assert_eq!(initials("  "), "?");
        assert_eq!(shown_name("Dana Ortiz", true), "DO");
        assert_eq!(shown_name("Dana Ortiz", false), "Dana Ortiz");
    }
}
