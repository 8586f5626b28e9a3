//! Named actions: what a key press means, independent of which key it was.
//!
//! Keymaps (data) map keys to these names; `App::update` is the only place
//! that turns an action into a state change. Keeping the names stable lets
//! users rebind keys in a file without touching code, and lets the help
//! overlay describe every binding from the same table.

use std::fmt;

macro_rules! actions {
    ($( $(#[$doc:meta])* $variant:ident = $help:literal ),+ $(,)?) => {
        /// Something the user asked for, by name. The names in keymap files
        /// are the variants in kebab case (`CheckIn` is `check-in`), from
        /// strum, so the table cannot drift from the enum.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            strum::IntoStaticStr, strum::VariantArray,
        )]
        #[strum(serialize_all = "kebab-case")]
        pub enum Action {
            $( $(#[$doc])* $variant ),+
        }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = <Action as strum::VariantArray>::VARIANTS;

            /// The name used in keymap files (`check-in`, `next-field`).
            pub fn name(self) -> &'static str {
                self.into()
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
    CheckIn = "log a check-in (selected peer preselected)",
    /// Find a peer by name.
    Search = "find a peer by name",
    /// Show or hide the help overlay.
    Help = "show or hide this help",
    /// Leave caseload (asks first if a form has unsaved text).
    Quit = "quit (asks if a form has unsaved text)",
    /// Next top-level pane.
    NextPane = "next pane",
    /// Previous top-level pane.
    PrevPane = "previous pane",
    /// Go to the Today list.
    GoToday = "go to Today",
    /// Go to the peer roster.
    GoPeers = "go to Peers",
    /// Save the open form.
    Save = "save the form",
    /// Go back, close or cancel.
    Back = "back / close / cancel",
    /// Type an action name (vim's `:`).
    Command = "type a command (an action name, q, w)",
    /// Reload from the store.
    Refresh = "reload from the store",
    /// Move up a row.
    Up = "move up",
    /// Move down a row.
    Down = "move down",
    /// Move up a page.
    PageUp = "page up",
    /// Move down a page.
    PageDown = "page down",
    /// Jump to the first row.
    Top = "first row",
    /// Jump to the last row.
    Bottom = "last row",
    /// Open or pick the selected row.
    Open = "open / pick the selected row",
    /// Cycle the roster's status filter.
    FilterStatus = "cycle status filter",
    /// Cycle the roster's assigned-staff filter.
    FilterStaff = "cycle assigned-staff filter",
    /// Switch the roster between name and last-contact order.
    Sort = "sort by name / last contact",
    /// Today: only my peers, or everyone's.
    ToggleMine = "Today: my peers / everyone",
    /// Next form field.
    NextField = "next field",
    /// Previous form field.
    PrevField = "previous field",
    /// Previous option of a choice field.
    PrevOption = "previous option",
    /// Next option of a choice field.
    NextOption = "next option",
    /// Tick or untick the option under the cursor.
    Toggle = "tick / untick",
    /// Answer yes to a question.
    Yes = "yes",
    /// Answer no to a question.
    No = "no",
    /// Lock the screen now (the PIN resumes).
    Lock = "lock the screen now",
    /// Show peers by their initials everywhere, or by name again.
    Privacy = "privacy mode: peers as initials / names",
    /// In privacy mode, show the selected row's hidden note or goal title
    /// until the next key.
    Reveal = "privacy mode: show the selected row's hidden text",
    /// Browse the audit trail (supervisors and admins).
    Audit = "audit trail (supervisors and admins)",
    /// Go to the Groups screen.
    GoGroups = "go to Groups (today's groups first)",
    /// Next tab of the peer page.
    NextTab = "peer page: next tab",
    /// Previous tab of the peer page.
    PrevTab = "peer page: previous tab",
    /// The peer page's overview tab.
    TabOverview = "peer page: overview",
    /// The peer page's recovery-plan tab.
    TabPlan = "peer page: recovery plan",
    /// The peer page's goal-timeline tab.
    TabTimeline = "peer page: goal timeline",
    /// The peer page's wellness-plan tab.
    TabWellness = "peer page: wellness plan",
    /// The peer page's consents tab.
    TabConsents = "peer page: consents to share and disclosures",
    /// Revoke the selected consent (asks how).
    RevokeConsent = "consents tab: revoke the selected consent from today (asks how)",
    /// Add a goal to the peer's plan.
    AddGoal = "add a goal (domain, title in the peer's words, dates)",
    /// Add a step to the selected goal.
    AddStep = "add a step to the selected goal",
    /// Add an entry to a wellness-plan list.
    AddEntry = "add an entry to the selected wellness-plan list",
    /// Edit the selected goal, step or entry.
    Edit = "edit the selected goal, step or entry",
    /// Delete the selected step or entry (asks first).
    Delete = "delete the selected step or entry (asks first)",
    /// Move the selected step or entry up.
    MoveUp = "move the selected step or entry up",
    /// Move the selected step or entry down.
    MoveDown = "move the selected step or entry down",
    /// Put the selected goal on hold.
    PauseGoal = "goal paused (dated today, kept in history)",
    /// Mark the selected goal achieved.
    AchieveGoal = "goal achieved (dated today, kept in history)",
    /// Let go of the selected goal.
    DropGoal = "goal dropped (dated today, kept in history)",
    /// Make the selected goal active again.
    ReactivateGoal = "goal active again (dated today, kept in history)",
    /// Review the selected goal with the peer.
    ReviewGoal = "review the goal: note and next review date",
    /// Timeline: show a shorter stretch of time.
    ZoomIn = "timeline: zoom in (days, weeks)",
    /// Timeline: show a longer stretch of time.
    ZoomOut = "timeline: zoom out (weeks, months)",
    /// Timeline: earlier.
    ScrollLeft = "timeline: earlier",
    /// Timeline: later.
    ScrollRight = "timeline: later",
    /// Timeline: back to today.
    Recenter = "timeline: back to today",
    /// Add a recurring group.
    AddGroup = "add a group (name, weekday, time, place)",
    /// The selected group's past sessions.
    GroupHistory = "past sessions of the selected group",
    /// Add a walk-in to the roster and check them off.
    WalkIn = "session: add a walk-in (new peer, just a name)",
    /// Go to the Reports screen.
    GoReports = "go to Reports (service figures for funders)",
    /// Reports: the period before.
    PrevPeriod = "reports: earlier period",
    /// Reports: the period after.
    NextPeriod = "reports: later period",
    /// Reports: month, quarter or year.
    PeriodKind = "reports: month / quarter / year",
    /// Reports: type a from–to span.
    CustomPeriod = "reports: custom period (from to)",
    /// Reports: save the report as CSV.
    ExportCsv = "reports: write the CSV to a file",
    /// Peers: import a roster from a CSV file (checked first).
    ImportPeers = "peers: import a roster from a CSV file (checked first)",
    /// Open the Resources screen.
    GoResources = "go to Resources (the community resource directory)",
    /// Add a directory entry.
    AddResource = "resources: add an entry to the directory",
    /// Refer the peer in front to a resource.
    Refer = "refer the peer to a resource (saved right away)",
    /// The peer page's Referrals tab.
    TabReferrals = "peer page: referrals",
    /// Record a referral's new status.
    SetReferralStatus = "referrals: record the selected referral's new status",
    /// Show the peer's take-home card.
    TakeHomeCard = "peer page: the take-home card (goals, what helps, crisis numbers)",
    /// Go to the Credentials screen.
    GoCredentials = "go to Credentials (certifications, CE hours, supervision)",
    /// Credentials: add continuing-education hours.
    AddCeu = "credentials: add CE hours",
    /// Credentials: add a supervision session.
    AddSupervision = "credentials: add a supervision session",
    /// Peer page: the Assessments tab (recovery capital over time).
    TabAssessments = "peer page: assessments (recovery capital)",
    /// Peer page: take an assessment (the BARC-10) with the peer.
    StartAssessment = "peer page: take an assessment (BARC-10) with the peer",
    /// Today: who signed in today, with the Today reason ("here now").
    HereNow = "today: here now (who signed in today)",
    /// Hand this terminal to the self sign-in kiosk (supervisors, admins).
    Kiosk = "start the sign-in kiosk here",
    /// Go to the Staff screen (admins manage everyone; others see their own).
    GoStaff = "go to Staff (accounts, roles, PINs)",
    /// Peers: add a new peer to the roster.
    NewPeer = "peers: add a new peer (name, contact, cadence, staff, tags)",
    /// Peers and the peer page: edit the selected peer.
    EditPeer = "edit the selected peer's details",
    /// Peers and the peer page: discharge the peer, or re-admit them.
    DischargeReadmit = "discharge the peer (with a reason), or re-admit them",
    /// Peers and the peer page: merge another record into this peer.
    MergePeer = "merge a duplicate record into this peer (admins, supervisors)",
    /// Staff screen: add a staff member.
    AddStaff = "staff: add a staff member",
    /// Staff screen: set or reset the selected member's PIN.
    SetPin = "staff: set or reset the PIN (typed twice, never shown)",
    /// Staff screen: deactivate or reactivate the selected member.
    ToggleActive = "staff: deactivate or reactivate",
    /// Check-in list: void the selected check-in (asks why).
    VoidCheckIn = "check-ins: void the selected one (asks why; kept, counted nowhere)",
    /// Show the whole status message (a long one is cut on the line).
    ShowMessage = "show the whole status message",
    /// Undo this session's last change of the last 10 minutes.
    Undo = "undo this session's last change (within 10 minutes)",
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
            .map(|a| (strsim::levenshtein(&normalize(a.name()), &want), a))
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
