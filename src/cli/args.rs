//! The command-line grammar (clap). Names here are a contract: scripts and
//! tests depend on them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::model::{
    CheckInMode, ContactPreference, GoalStatus, LifeDomain, PeerStatus, Role, SupportKind,
};

/// A keyboard-driven caseload manager for peer-run organizations.
///
/// With no command, opens the terminal UI.
#[derive(Debug, Parser)]
#[command(name = "caseload", version, about, long_about = None)]
pub struct Cli {
    /// The store directory (default: $CASELOAD_DATA_DIR, else the
    /// platform data folder).
    // Not clap's `env`: clap then counts it as typed and prints
    // `--data-dir <DIR>` in every usage line as if it were required; the
    // variable is read in `cli::run` instead (`Cli::with_env_data_dir`).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open the UI on a demo store kept apart from real data (filled with a
    /// demo organization on first use).
    #[arg(long)]
    pub demo: bool,
    /// Keymap for the UI: a built-in name (default, vim) or a file.
    #[arg(long, value_name = "NAME|PATH")]
    pub keymap: Option<String>,
    /// Who is working in the UI (name, initials or id).
    #[arg(long, env = "CASELOAD_STAFF", value_name = "STAFF")]
    pub staff: Option<String>,
    /// The config file (default: $XDG_CONFIG_HOME/caseload/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Lock the UI after this long without input: 30s, 5m, 1h, or off
    /// (default: lock_after in the config file, else 5m).
    #[arg(long, value_name = "DURATION")]
    pub lock_after: Option<String>,
    /// What to do; none opens the terminal UI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// `--data-dir`, else `CASELOAD_DATA_DIR` when set and not empty.
    pub fn with_env_data_dir(mut self) -> Cli {
        if self.data_dir.is_none() {
            self.data_dir = std::env::var_os("CASELOAD_DATA_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from);
        }
        self
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty store with a realistic demo organization.
    Demo(DemoArgs),
    /// Add, list, show and edit peers.
    #[command(subcommand)]
    Peer(PeerCommand),
    /// Record a check-in with a peer.
    Log(LogArgs),
    /// Show, list, correct and void saved check-ins.
    #[command(subcommand)]
    Checkin(super::checkin::CheckinCommand),
    /// Recovery-plan goals.
    #[command(subcommand)]
    Goal(GoalCommand),
    /// Recurring groups and attendance.
    #[command(subcommand)]
    Group(GroupCommand),
    /// A peer's wellness plan: list, add, edit, remove entries.
    #[command(subcommand)]
    Wellness(super::wellness::WellnessCommand),
    /// Today's contacts: who needs contact and why.
    Today(TodayArgs),
    /// Drop-in visits: sign a peer in (PEER), list a day, sign out.
    Visit(super::visit::VisitArgs),
    /// Turn this terminal into the self sign-in kiosk (supervisors and
    /// admins start it; a staff PIN leaves it).
    Kiosk(super::visit::KioskArgs),
    /// The service report for funders over a period.
    Report(ReportArgs),
    /// Write every record as one JSON document.
    Export(ExportArgs),
    /// Load an export into an empty store, all or nothing.
    Import(ImportArgs),
    /// Write a dated export into a backup folder and keep the newest few.
    Backup(BackupArgs),
    /// Add peers from a spreadsheet's CSV (checks every row first).
    ImportPeers(ImportPeersArgs),
    /// Check a backup's checksum, format and references; print its counts.
    Verify(VerifyArgs),
    /// Restore a verified backup into a new, empty --data-dir.
    Restore(RestoreArgs),
    /// Add and list staff.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Show or change organization settings (units of service, windows).
    Settings(SettingsArgs),
    /// Check keymap files.
    #[command(subcommand)]
    Keymap(KeymapCommand),
    /// Serve the store to every staff session on this machine (docs/server.md).
    Serve(super::serve::ServeArgs),
    /// Read the audit trail: who opened, changed or exported what.
    Audit(super::audit::AuditArgs),
    /// The community resource directory: add, edit, list, show.
    #[command(subcommand)]
    Resource(super::referral::ResourceCommand),
    /// Refer a peer to a resource.
    Refer(super::referral::ReferArgs),
    /// Referrals: record a new status, list.
    #[command(subcommand)]
    Referral(super::referral::ReferralCommand),
    /// A peer's take-home card: goals, what helps, groups, crisis numbers.
    Card(super::referral::CardArgs),
    /// Consents to share a peer's information: add, list, revoke, and
    /// the disclosures made under them.
    #[command(subcommand)]
    Consent(super::consent::ConsentCommand),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(super::docs::CompletionsArgs),
    /// Print the man page, or write every page into a folder.
    Man(super::docs::ManArgs),
    /// Take an instrument (the BARC-10) with a peer, or list their assessments.
    Assess(super::assess::AssessArgs),
    /// List and check instrument files (the BARC-10 and the organization's own).
    #[command(subcommand)]
    Instrument(super::assess::InstrumentCommand),
}

/// `caseload demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of peers.
    #[arg(long, default_value_t = 60, allow_negative_numbers = true, value_parser = whole::<usize>)]
    pub peers: usize,
    /// Number of check-ins.
    #[arg(long, default_value_t = 2000, allow_negative_numbers = true, value_parser = whole::<usize>)]
    pub checkins: usize,
    /// Seed for the generator: the same seed and day give the same data.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = whole::<u64>)]
    pub seed: u64,
    /// The day the demo treats as today (default: today).
    #[arg(long, hide = true, value_name = "DATE", allow_hyphen_values = true)]
    pub as_of: Option<String>,
}

/// Fields shared by `peer add` and `peer edit`.
#[derive(Debug, Args, Default)]
pub struct PeerFields {
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Pronouns, in their words.
    #[arg(long)]
    pub pronouns: Option<String>,
    /// Legal name, only where a funder needs it.
    #[arg(long)]
    pub legal_name: Option<String>,
    /// How often, in days, they want to be checked on.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = whole::<u16>)]
    pub cadence_days: Option<u16>,
    /// Assigned staff member (name, initials or id).
    #[arg(long = "assign", value_name = "STAFF")]
    pub assign: Option<String>,
    /// How they like to be reached.
    #[arg(long, value_parser = super::choices::ChoiceParser::<ContactPreference>::new())]
    pub contact_mode: Option<ContactPreference>,
    /// A tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Emergency contact, as given.
    #[arg(long)]
    pub emergency_contact: Option<String>,
    /// Free notes.
    #[arg(long)]
    pub notes: Option<String>,
    /// Age band (under-18, 18-24, 25-34, 35-44, 45-54, 55-64, 65-plus; empty
    /// clears), if the organization collects it (`settings --demographics`).
    #[arg(long, value_name = "BAND")]
    pub age_band: Option<String>,
    /// Gender identity in their own words (empty clears), if collected.
    #[arg(long, value_name = "TEXT")]
    pub gender_identity: Option<String>,
    /// Veteran: yes, no, or unknown (clears), if collected.
    #[arg(long, value_name = "yes|no|unknown")]
    pub veteran: Option<String>,
    /// County (empty clears), if collected.
    #[arg(long, value_name = "COUNTY")]
    pub county: Option<String>,
}

/// Reads `--veteran`: yes, no or unknown (`None`).
pub(super) fn yes_no_unknown(s: &str) -> Result<Option<bool>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(Some(true)),
        "no" | "n" | "false" => Ok(Some(false)),
        "unknown" | "" => Ok(None),
        other => Err(format!("'{other}': give yes, no or unknown")),
    }
}

/// `caseload peer …`.
#[derive(Debug, Subcommand)]
pub enum PeerCommand {
    /// Add a peer; prints the new peer's id.
    Add {
        /// The name they want to be called.
        name: String,
        /// First day with the organization (default: today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        intake: Option<String>,
        /// Add even when a peer with the same name or phone exists.
        #[arg(long)]
        new: bool,
        /// The other fields.
        #[command(flatten)]
        fields: PeerFields,
    },
    /// Discharge a peer: their episode ends, history kept.
    Discharge {
        /// An id (P12) or a name.
        peer: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// The day (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// Merge two records of one person: every record moves into the other
    /// and the merged id answers as an alias (supervisors and admins).
    Merge {
        /// The peer record to merge away (an id or a name).
        peer: String,
        /// The peer record to keep.
        #[arg(long)]
        into: String,
    },
    /// Re-admit a discharged peer: a new episode begins.
    Readmit {
        /// An id (P12) or a name.
        peer: String,
        /// The day (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// List peers.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only peers with this status.
        #[arg(long, value_parser = super::choices::ChoiceParser::<PeerStatus>::new())]
        status: Option<PeerStatus>,
        /// Only peers assigned to this staff member.
        #[arg(long = "assigned", value_name = "STAFF")]
        assigned: Option<String>,
    },
    /// Show one peer: profile, goals, recent check-ins, groups.
    Show {
        /// An id (P12) or a name to search for.
        peer: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a peer's details or status.
    Edit {
        /// An id (P12) or a name to search for.
        peer: String,
        /// New display name.
        #[arg(long)]
        name: Option<String>,
        /// New status.
        #[arg(long, value_parser = super::choices::ChoiceParser::<PeerStatus>::new())]
        status: Option<PeerStatus>,
        /// Why the status changed.
        #[arg(long)]
        reason: Option<String>,
        /// The other fields.
        #[command(flatten)]
        fields: PeerFields,
    },
}

/// `caseload log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The peer: an id (P12) or a search text matching exactly one peer.
    pub peer: String,
    /// How long it lasted (1 to 1440). Read by the check-in rules, so a
    /// negative number reaches them and is answered with the range.
    #[arg(
        long,
        default_value = "15",
        value_name = "N",
        allow_hyphen_values = true
    )]
    pub minutes: String,
    /// How it happened.
    #[arg(long, default_value = "in-person", value_parser = super::choices::ChoiceParser::<CheckInMode>::new())]
    pub mode: CheckInMode,
    /// A kind of support given (repeatable).
    #[arg(long = "support", value_name = "KIND", value_parser = super::choices::ChoiceParser::<SupportKind>::new())]
    pub support: Vec<SupportKind>,
    /// A goal it touched: id or words of its title (repeatable).
    #[arg(long = "goal", value_name = "GOAL")]
    pub goals: Vec<String>,
    /// The peer's wellbeing, 1 to 5.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub wellbeing: Option<String>,
    /// A short note.
    #[arg(long, default_value = "")]
    pub note: String,
    /// When to be in touch next (2026-11-30, tomorrow, +3d, friday).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// When it happened (default now): 2026-11-23 14:30, 14:30, yesterday 9:00.
    #[arg(long, value_name = "DATETIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Who gave the support (name, initials or id).
    #[arg(long, env = "CASELOAD_STAFF", value_name = "STAFF")]
    pub staff: Option<String>,
    /// Save even when it is dated in the future or the peer is not active.
    #[arg(long)]
    pub force: bool,
}

/// `caseload goal …`.
#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Add a goal to a peer's recovery plan; prints the new goal's id.
    Add {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// The goal in the peer's own words.
        title: String,
        /// Life domain.
        #[arg(long, value_parser = super::choices::ChoiceParser::<LifeDomain>::new())]
        domain: LifeDomain,
        /// When work on it begins (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        start: Option<String>,
        /// When the peer hopes to reach it.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        target: Option<String>,
        /// When to review it together next (not in the past).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        review: Option<String>,
        /// A step towards it (repeatable, in order).
        #[arg(long = "step", value_name = "TEXT")]
        steps: Vec<String>,
    },
    /// List a peer's goals.
    List {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a goal's status, dates or title.
    Set {
        /// The goal's id (G4).
        goal: String,
        /// New status: active, achieved, paused, dropped.
        #[arg(long, value_parser = super::choices::ChoiceParser::<GoalStatus>::new())]
        status: Option<GoalStatus>,
        /// New target date.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        target: Option<String>,
        /// New review date (not in the past).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        review: Option<String>,
        /// New title, in the peer's words.
        #[arg(long)]
        title: Option<String>,
    },
    /// Steps of a goal: add, done, undone, edit, move, remove.
    #[command(subcommand)]
    Step(super::goal_steps::StepCommand),
    /// Record a review of a goal together with the peer.
    Review {
        /// The goal's id (G4).
        goal: String,
        /// What was said.
        #[arg(long, default_value = "")]
        note: String,
        /// When to review it next (not in the past).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        next: Option<String>,
    },
}

/// `caseload group …`.
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Add a recurring group; prints its id.
    Add {
        /// Its name, e.g. "Tuesday WRAP group".
        name: String,
        /// The day it meets (monday … sunday).
        #[arg(long, value_parser = weekday_arg)]
        weekday: chrono::Weekday,
        /// When it starts, HH:MM.
        #[arg(long, value_parser = time_arg)]
        time: chrono::NaiveTime,
        /// Where it meets.
        #[arg(long, default_value = "")]
        location: String,
        /// Usual facilitator (staff name, initials or id).
        #[arg(long, value_name = "STAFF")]
        facilitator: Option<String>,
        /// Usual length in minutes (1 to 1440).
        #[arg(long, default_value_t = 60, allow_negative_numbers = true, value_parser = minutes_arg)]
        minutes: u16,
    },
    /// Check peers off the attendance of a group's session (created on
    /// demand); all or nothing.
    Attend {
        /// The group: an id (GR2) or a name.
        group: String,
        /// The peers: ids or names.
        #[arg(required_unless_present = "walk_in")]
        peers: Vec<String>,
        /// The day of the session (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Add someone new to the roster by name and check them off.
        #[arg(long, value_name = "NAME")]
        walk_in: Option<String>,
        /// Add the walk-in even when a peer with the same name exists.
        #[arg(long, requires = "walk_in")]
        new: bool,
    },
    /// Take a peer off the attendance of a group's session.
    Unattend {
        /// The group: an id (GR2) or a name.
        group: String,
        /// The peer: an id or a name.
        peer: String,
        /// The day of the session (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// Set the topic and note of a group's session (created if needed).
    Session {
        /// The group: an id (GR2) or a name.
        group: String,
        /// The day of the session (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// What it was about.
        #[arg(long)]
        topic: Option<String>,
        /// A note about the session.
        #[arg(long)]
        note: Option<String>,
    },
    /// List groups, today's first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload today`.
#[derive(Debug, Args)]
pub struct TodayArgs {
    /// The day (default today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Only this staff member's peers and groups.
    #[arg(long, value_name = "STAFF")]
    pub staff: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `caseload report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A calendar month, like 2026-11.
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["quarter", "year", "from", "to"])]
    pub month: Option<String>,
    /// A calendar quarter, like 2026Q4.
    #[arg(long, value_name = "YYYYQn", conflicts_with_all = ["year", "from", "to"])]
    pub quarter: Option<String>,
    /// A calendar year, like 2026.
    #[arg(long, value_name = "YYYY", conflicts_with_all = ["from", "to"])]
    pub year: Option<String>,
    /// First day (default: the first of this month); date words work too
    /// (`--from -4w`).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Last day, inclusive (default: today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Only this staff member's work (name, initials or id).
    #[arg(long = "staff", value_name = "STAFF")]
    pub only_staff: Option<String>,
    /// How to print it.
    #[arg(long, value_enum, conflicts_with_all = ["json", "csv"])]
    pub format: Option<ReportFormat>,
    /// Print JSON (the same as --format json).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV rows (section, item, measure, value) for a spreadsheet
    /// (the same as --format csv).
    #[arg(long)]
    pub csv: bool,
    /// Add up JSON reports of several centers for one period (counts only).
    #[arg(long, value_name = "REPORT.json", num_args = 1.., conflicts_with_all = ["month", "quarter", "year", "from", "to", "only_staff"])]
    pub merge: Vec<PathBuf>,
    /// A report with a peer's name for this recipient (with --peer): their
    /// attendance over the period, disclosed under their active consent.
    #[arg(long = "for", value_name = "RECIPIENT", requires = "peer", conflicts_with_all = ["merge", "only_staff"])]
    pub for_recipient: Option<String>,
    /// The peer the report is about (with --for).
    #[arg(long, value_name = "PEER", requires = "for_recipient")]
    pub peer: Option<String>,
    /// Write the report for a recipient to this file instead of standard
    /// output (created with owner-only permissions).
    #[arg(long, value_name = "FILE", requires = "for_recipient")]
    pub out: Option<PathBuf>,
}

/// How `caseload report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned rows for reading.
    Table,
    /// Rows of section, item, measure, value for a spreadsheet.
    Csv,
    /// The whole report as JSON (what `--merge` reads).
    Json,
}

/// `caseload export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// JSON (the default; accepted for clarity in scripts).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Write to this file (created with owner-only permissions) instead of
    /// standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "csv")]
    pub out: Option<PathBuf>,
    /// Write one CSV per record kind into this folder, for a spreadsheet.
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Disclose one peer's information to this recipient instead, under
    /// their active consent (with --peer): refused unless a consent
    /// covers the recipient and what is included; recorded first.
    #[arg(long = "for", value_name = "RECIPIENT", requires = "peer", conflicts_with_all = ["csv", "json"])]
    pub for_recipient: Option<String>,
    /// The peer whose information is disclosed (with --for).
    #[arg(long, value_name = "PEER", requires = "for_recipient")]
    pub peer: Option<String>,
    /// A kind of information to include (with --for; repeatable or
    /// comma-separated; default: what the consent covers).
    #[arg(long = "shares", value_name = "KIND", value_delimiter = ',', requires = "for_recipient", value_parser = parse_choice::<crate::model::ShareKind>)]
    pub shares: Vec<crate::model::ShareKind>,
    /// How to write a disclosure (with --for): json, csv or text.
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        default_value = "json",
        requires = "for_recipient"
    )]
    pub format: super::consent::DisclosureFormat,
}

/// `caseload verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A backup (or an export with its `.sha256` checksum beside it).
    pub file: PathBuf,
}

/// `caseload restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `caseload backup`; verified first.
    pub file: PathBuf,
}

/// `caseload backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup folder (default: `backups/` in the platform data folder).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// How many backups to keep (older ones are deleted).
    #[arg(long, default_value_t = 14, allow_negative_numbers = true, value_parser = keep_arg)]
    pub keep: u32,
}

/// `caseload import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// An export written by `caseload export` (- for standard input).
    pub file: PathBuf,
}

/// `caseload import-peers`.
#[derive(Debug, Args)]
pub struct ImportPeersArgs {
    /// The roster as CSV (Excel, LibreOffice or Google Sheets).
    pub file: PathBuf,
    /// Use column COLUMN for FIELD (display-name, first-name, last-name,
    /// phone, email, intake-date, …, or ignore); repeatable.
    #[arg(long, value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Check and report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and report the ones skipped (otherwise any
    /// problem stops the import before anything is written).
    #[arg(long)]
    pub skip_invalid: bool,
}

/// `caseload staff …`.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member; prints the new id.
    Add {
        /// Full name.
        name: String,
        /// What they may do.
        #[arg(long, value_parser = super::choices::ChoiceParser::<Role>::new(), default_value = "peer-specialist")]
        role: Role,
        /// Initials (default: from the name).
        #[arg(long)]
        initials: Option<String>,
        /// Operating-system login to map to this account.
        #[arg(long)]
        login: Option<String>,
        /// Also set their PIN, read from standard input.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Set or change a staff member's PIN, read from standard input.
    SetPin {
        /// Name, initials or id.
        name: String,
        /// Read the PIN from standard input (required: never from argv).
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Reactivate a deactivated staff member.
    Reactivate {
        /// Name, initials or id.
        name: String,
    },
    /// Change a staff member's name, initials, role or login.
    Edit {
        /// Name, initials or id.
        staff: String,
        /// New full name.
        #[arg(long)]
        name: Option<String>,
        /// New initials.
        #[arg(long)]
        initials: Option<String>,
        /// New role.
        #[arg(long, value_parser = super::choices::ChoiceParser::<Role>::new())]
        role: Option<Role>,
        /// New operating-system login ("" clears it).
        #[arg(long)]
        login: Option<String>,
    },
    /// Deactivate a staff member: history kept, sign-in no longer possible.
    Deactivate {
        /// Name, initials or id.
        name: String,
    },
    /// List staff.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Certifications: add or list a staff member's.
    #[command(subcommand)]
    Cert(super::credentials::CertCommand),
    /// Continuing-education hours: add or list a staff member's.
    #[command(subcommand)]
    Ceu(super::credentials::CeuCommand),
    /// Supervision sessions: add or list a staff member's.
    #[command(subcommand)]
    Supervision(super::credentials::SupervisionCommand),
    /// Hours earned against each certification's requirement for the
    /// current renewal period, hours still needed, expiries (admins:
    /// everyone; supervisors: themselves and their supervisees; others:
    /// themselves).
    Credentials {
        /// Only this staff member (name, initials or id).
        staff: Option<String>,
        /// The day to count for (default today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `caseload settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Organization name.
    #[arg(long)]
    pub name: Option<String>,
    /// Minutes in one unit of service.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u16>)]
    pub unit_minutes: Option<u16>,
    /// Minutes of a partial unit that still count.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u16>)]
    pub unit_threshold: Option<u16>,
    /// Most units per peer per day (0 = no cap).
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u32>)]
    pub daily_cap: Option<u32>,
    /// Days without contact before re-engagement.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u16>)]
    pub reengage_days: Option<u16>,
    /// Optional demographic fields to collect and report as counts: a
    /// comma-separated list of age-band, gender-identity, veteran, county,
    /// or none.
    #[arg(long, value_name = "FIELDS", value_parser = crate::model::DemographicFields::parse)]
    pub demographics: Option<crate::model::DemographicFields>,
    /// Days an open referral may go without an update before Today lists
    /// it (default 14).
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u16>)]
    pub referral_stale_days: Option<u16>,
    /// Days before a consent ends that it shows on Today (1 to 365;
    /// default 30).
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true, value_parser = whole::<u16>)]
    pub consent_warning_days: Option<u16>,
    /// The purposes a drop-in visit may give: a comma-separated list, or
    /// "default" (drop-in, computer, laundry, meal, meeting, other).
    #[arg(long, value_name = "LIST")]
    pub visit_purposes: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `caseload keymap …`.
#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// List every problem in a keymap file (or the configured keymaps).
    Check {
        /// The file to check.
        file: Option<PathBuf>,
    },
}

/// `--weekday`: read by the one weekday rule in `model::dates` (the
/// UI's group form uses it too).
fn weekday_arg(s: &str) -> Result<chrono::Weekday, String> {
    // The shared rule decides; the CLI keeps its own wording, which
    // scripts and tests already know.
    crate::model::dates::parse_weekday("--weekday", s).map_err(|_| {
        format!(
            "unknown weekday '{}' (valid: monday, tuesday, wednesday, thursday, friday, saturday, sunday)",
            crate::text::escape_line(s)
        )
    })
}

/// `--time`: read by the one time-of-day rule in `model::dates`.
fn time_arg(s: &str) -> Result<chrono::NaiveTime, String> {
    crate::model::dates::parse_time_of_day("--time", s).map_err(|e| problem_of(&e))
}

/// The problems of a validation error without the field name, which clap
/// already puts in front ("invalid value 'x' for '--time <TIME>': …").
fn problem_of(e: &crate::model::ValidationError) -> String {
    e.problems
        .iter()
        .map(|p| p.problem.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A whole number flag: says what it accepts (and what it got) instead of
/// clap's "unexpected argument" for `-5` or "invalid digit" for `ten`.
pub(super) fn whole<T>(s: &str) -> Result<T, String>
where
    T: std::str::FromStr + num_bounds::Bounded,
{
    s.trim().parse::<T>().map_err(|_| {
        format!(
            "give a whole number from {} to {}, got '{}'",
            T::MIN_TEXT,
            T::MAX_TEXT,
            crate::text::escape_line(s)
        )
    })
}

/// `group add --minutes`: the same range as a check-in's minutes.
fn minutes_arg(s: &str) -> Result<u16, String> {
    crate::model::validate::parse_minutes("--minutes", s).map_err(|e| problem_of(&e))
}

/// `backup --keep`: at least one backup is kept.
fn keep_arg(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "give how many backups to keep, a whole number from 1 to {}, got '{}'",
            u32::MAX,
            crate::text::escape_line(s)
        )),
    }
}

/// The limits of the integer types flags use, as text for messages.
pub(super) mod num_bounds {
    /// An integer type's limits, written out.
    pub trait Bounded {
        /// The smallest value, as text.
        const MIN_TEXT: &'static str;
        /// The largest value, as text.
        const MAX_TEXT: &'static str;
    }
    macro_rules! bounded {
        ($($t:ty => $min:literal, $max:literal;)*) => {$(
            impl Bounded for $t {
                const MIN_TEXT: &'static str = $min;
                const MAX_TEXT: &'static str = $max;
            }
        )*};
    }
    bounded! {
        u16 => "0", "65535";
        u32 => "0", "4294967295";
        u64 => "0", "18446744073709551615";
        usize => "0", "18446744073709551615";
    }
}

pub(super) fn parse_choice<T: crate::model::Choice>(s: &str) -> Result<T, String> {
    T::parse_choice(s).map_err(|e| e.to_string())
}

/// Runs `caseload keymap check`; exit 1 when there are problems.
pub fn keymap_check(cmd: &KeymapCommand) -> ExitCode {
    let KeymapCommand::Check { file } = cmd;
    let problems = crate::ui::check_keymap_file(file.as_deref());
    if problems.is_empty() {
        println!("keymap ok");
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            println!("{}", crate::text::escape_line(&p.to_string()));
        }
        ExitCode::from(1)
    }
}
