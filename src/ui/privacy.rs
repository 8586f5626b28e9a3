//! Privacy mode: peers shown by their initials only.
//!
//! Staff work at shared desks and in common rooms; a roster of names on a
//! screen tells a passer-by who is in recovery. With privacy mode on (one
//! key, shown in the status line) every peer name on screen becomes its
//! initials. Views never call [`shown_name`] themselves: they draw names
//! through the name helpers in `widgets::cells` (`fit_name`, `clip_name`,
//! `highlighted_name`), which read the mode from the `ViewCtx`, so a new
//! screen that draws peer names through them gets privacy mode for free.
//!
//! Notes and goal titles say even more, so privacy mode hides them too on
//! the screens others may see (Today, the peer page, plan, timeline, the
//! check-in list and its full view): they are drawn through `private` and
//! `private_quoted` in `widgets::cells`, which put [`HIDDEN`] in their
//! place. The reveal key shows the selected row's text until the next key.
//! Other text (group names, staff) is drawn as before.

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

/// What privacy mode draws in place of a note or a goal title.
pub const HIDDEN: &str = "(hidden)";

/// Text as it may be shown: itself, or [`HIDDEN`] in privacy mode.
pub fn shown_text(text: &str, privacy: bool) -> Cow<'_, str> {
    if privacy && !text.trim().is_empty() {
        Cow::Borrowed(HIDDEN)
    } else {
        Cow::Borrowed(text)
    }
}

/// A sentence with its double-quoted part (how Today quotes a goal's
/// title: `review of goal G2 "Find work" …`) replaced by [`HIDDEN`] in
/// privacy mode; the rest of the sentence stays readable. Everything from
/// the first quote to the last is hidden, because a title may itself hold
/// quotes (`Call "Mom"`): hiding pair by pair would show what lies between
/// them. A lone quote cannot come from a quoted title, so it is kept.
pub fn shown_quoted(sentence: &str, privacy: bool) -> Cow<'_, str> {
    if !privacy {
        return Cow::Borrowed(sentence);
    }
    match (sentence.find('"'), sentence.rfind('"')) {
        (Some(first), Some(last)) if first < last => {
            let mut out = String::with_capacity(sentence.len());
            out.push_str(&sentence[..first]);
            out.push_str(HIDDEN);
            out.push_str(&sentence[last + 1..]);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(sentence),
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

    #[test]
    fn notes_and_quoted_goal_titles_are_hidden() {
        assert_eq!(shown_text("relapsed last week", true), HIDDEN);
        assert_eq!(
            shown_text("relapsed last week", false),
            "relapsed last week"
        );
        assert_eq!(shown_text("", true), "", "nothing to hide");
        let why = "review of goal G2 \"Find work\" (employment) was due today";
        assert_eq!(
            shown_quoted(why, true),
            "review of goal G2 (hidden) (employment) was due today"
        );
        assert_eq!(shown_quoted(why, false), why);
        assert_eq!(shown_quoted("a \"b\" c \"d", true), "a (hidden)d");
        assert_eq!(shown_quoted("a lone \" quote", true), "a lone \" quote");
        // A title holding quotes shows none of itself.
        let quoted = "review of goal G2 \"Call \"Mom\" back\" (family) was due today";
        assert_eq!(
            shown_quoted(quoted, true),
            "review of goal G2 (hidden) (family) was due today"
        );
    }
}
