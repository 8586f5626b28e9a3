//! Named actions: what a key press means, independent of which key it was.
//!
//! Keymaps (data) map keys to these names; `App::update` is the only place
//! that turns an action into a state change. Keeping the names stable lets
//! users rebind keys in a file without touching code, and lets the help
//! overlay describe every binding from the same table.

use std::fmt;

macro_rules! actions {
    ($( $(#[$doc:meta])* $variant:ident = ($name:literal, $help:literal) ),+ $(,)?) => {
        /// Something the user asked for, by name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $(#[$doc])* $variant ),+
        }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in keymap files (`check-in`, `next-field`).
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// One line for the help overlay.
            pub fn describe(self) -> &'static str {
                match self { $(Action::$variant => $help),+ }
            }
        }
    };
}

actions! {
    /// Open the check-in form (for the peer selected on screen).
    CheckIn = ("check-in", "log a check-in (selected peer preselected)"),
    /// Find a peer by name.
    Search = ("search", "find a peer by name"),
    /// Show or hide the help overlay.
    Help = ("help", "show or hide this help"),
    /// Leave caseload (asks first if a form has unsaved text).
    Quit = ("quit", "quit (asks if a form has unsaved text)"),
    /// Next top-level pane.
    NextPane = ("next-pane", "next pane"),
    /// Previous top-level pane.
    PrevPane = ("prev-pane", "previous pane"),
    /// Go to the Today list.
    GoToday = ("go-today", "go to Today"),
    /// Go to the peer roster.
    GoPeers = ("go-peers", "go to Peers"),
    /// Save the open form.
    Save = ("save", "save the form"),
    /// Go back, close or cancel.
    Back = ("back", "back / close / cancel"),
    /// Type an action name (vim's `:`).
    Command = ("command", "type a command (an action name, q, w)"),
    /// Reload from the store.
    Refresh = ("refresh", "reload from the store"),
    /// Move up a row.
    Up = ("up", "move up"),
    /// Move down a row.
    Down = ("down", "move down"),
    /// Move up a page.
    PageUp = ("page-up", "page up"),
    /// Move down a page.
    PageDown = ("page-down", "page down"),
    /// Jump to the first row.
    Top = ("top", "first row"),
    /// Jump to the last row.
    Bottom = ("bottom", "last row"),
    /// Open or pick the selected row.
    Open = ("open", "open / pick the selected row"),
    /// Cycle the roster's status filter.
    FilterStatus = ("filter-status", "cycle status filter"),
    /// Cycle the roster's assigned-staff filter.
    FilterStaff = ("filter-staff", "cycle assigned-staff filter"),
    /// Switch the roster between name and last-contact order.
    Sort = ("sort", "sort by name / last contact"),
    /// Today: only my peers, or everyone's.
    ToggleMine = ("toggle-mine", "Today: my peers / everyone"),
    /// Next form field.
    NextField = ("next-field", "next field"),
    /// Previous form field.
    PrevField = ("prev-field", "previous field"),
    /// Previous option of a choice field.
    PrevOption = ("prev-option", "previous option"),
    /// Next option of a choice field.
    NextOption = ("next-option", "next option"),
    /// Tick or untick the option under the cursor.
    Toggle = ("toggle", "tick / untick"),
    /// Answer yes to a question.
    Yes = ("yes", "yes"),
    /// Answer no to a question.
    No = ("no", "no"),
    /// Lock the screen now (the PIN resumes).
    Lock = ("lock", "lock the screen now"),
    /// Show peers by their initials everywhere, or by name again.
    Privacy = ("privacy", "privacy mode: peers as initials / names"),
    /// Browse the audit trail (supervisors and admins).
    Audit = ("audit", "audit trail (supervisors and admins)"),
    /// Go to the Groups screen.
    GoGroups = ("go-groups", "go to Groups (today's groups first)"),
    /// Next tab of the peer page.
    NextTab = ("next-tab", "peer page: next tab"),
    /// Previous tab of the peer page.
    PrevTab = ("prev-tab", "peer page: previous tab"),
    /// The peer page's overview tab.
    TabOverview = ("tab-overview", "peer page: overview"),
    /// The peer page's recovery-plan tab.
    TabPlan = ("tab-plan", "peer page: recovery plan"),
    /// The peer page's goal-timeline tab.
    TabTimeline = ("tab-timeline", "peer page: goal timeline"),
    /// The peer page's wellness-plan tab.
    TabWellness = ("tab-wellness", "peer page: wellness plan"),
    /// Add a goal to the peer's plan.
    AddGoal = ("add-goal", "add a goal (domain, title in the peer's words, dates)"),
    /// Add a step to the selected goal.
    AddStep = ("add-step", "add a step to the selected goal"),
    /// Add an entry to a wellness-plan list.
    AddEntry = ("add-entry", "add an entry to the selected wellness-plan list"),
    /// Edit the selected goal, step or entry.
    Edit = ("edit", "edit the selected goal, step or entry"),
    /// Delete the selected step or entry (asks first).
    Delete = ("delete", "delete the selected step or entry (asks first)"),
    /// Move the selected step or entry up.
    MoveUp = ("move-up", "move the selected step or entry up"),
    /// Move the selected step or entry down.
    MoveDown = ("move-down", "move the selected step or entry down"),
    /// Put the selected goal on hold.
    PauseGoal = ("pause-goal", "goal paused (dated today, kept in history)"),
    /// Mark the selected goal achieved.
    AchieveGoal = ("achieve-goal", "goal achieved (dated today, kept in history)"),
    /// Let go of the selected goal.
    DropGoal = ("drop-goal", "goal dropped (dated today, kept in history)"),
    /// Make the selected goal active again.
    ReactivateGoal = ("reactivate-goal", "goal active again (dated today, kept in history)"),
    /// Review the selected goal with the peer.
    ReviewGoal = ("review-goal", "review the goal: note and next review date"),
    /// Timeline: show a shorter stretch of time.
    ZoomIn = ("zoom-in", "timeline: zoom in (days, weeks)"),
    /// Timeline: show a longer stretch of time.
    ZoomOut = ("zoom-out", "timeline: zoom out (weeks, months)"),
    /// Timeline: earlier.
    ScrollLeft = ("scroll-left", "timeline: earlier"),
    /// Timeline: later.
    ScrollRight = ("scroll-right", "timeline: later"),
    /// Timeline: back to today.
    Recenter = ("recenter", "timeline: back to today"),
    /// Add a recurring group.
    AddGroup = ("add-group", "add a group (name, weekday, time, place)"),
    /// The selected group's past sessions.
    GroupHistory = ("group-history", "past sessions of the selected group"),
    /// Add a walk-in to the roster and check them off.
    WalkIn = ("walk-in", "session: add a walk-in (new peer, just a name)"),
}

impl Action {
    /// Looks an action up by its keymap name, ignoring case and `_`/`-`.
    pub fn from_name(name: &str) -> Option<Action> {
        let want = normalize(name);
        Action::ALL
            .iter()
            .copied()
            .find(|a| normalize(a.name()) == want)
    }

    /// The closest action name to a misspelt one, for "did you mean".
    pub fn suggest(name: &str) -> Option<Action> {
        let want = normalize(name);
        Action::ALL
            .iter()
            .copied()
            .map(|a| (edit_distance(&normalize(a.name()), &want), a))
            .filter(|(d, _)| *d <= 3)
            .min_by_key(|(d, _)| *d)
            .map(|(_, a)| a)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn normalize(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over chars; names are short.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.name()), "duplicate {a}");
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
        assert_eq!(Action::from_name("Check_In"), Some(Action::CheckIn));
        assert_eq!(Action::from_name("nonsense"), None);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(Action::suggest("chekin"), Some(Action::CheckIn));
        assert_eq!(Action::suggest("zzzzzzzzzz"), None);
    }
}
