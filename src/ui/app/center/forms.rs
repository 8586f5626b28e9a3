//! The center's forms and questions as data: the first-run set-up, the
//! staff forms and the Staff screen's list, the roster's peer forms and
//! the yes/no questions, with the reading of what was typed (numbers,
//! dates, the PIN typed twice alike). How they are keyed and drawn is in
//! `layers.rs`; what they save, in the feature (`center.rs`).

use chrono::NaiveDate;

use crate::model::dates::{parse_date, Direction};
use crate::model::{Choice, Peer, PeerId, PeerStatus, Record, Role, Staff, StaffId};
use crate::ops::auth::StaffEdit;
use crate::ops::center::SetUp;
use crate::ui::keymap::Context;
use crate::ui::widgets::form::{FieldKey, Hint, PopupForm};
use crate::ui::widgets::list::ListCursor;
use crate::ui::worker::center::{CenterRequest, Duplicate, StaffEntry};
use crate::ui::worker::{Request, Secret};

const CHAIN_ASK: &[Context] = &[Context::Confirm];
/// The duplicate question: Esc goes back (its no would add a new peer).
const CHAIN_DUPLICATE: &[Context] = &[Context::Duplicate, Context::Confirm];

/// The two choices of the set-up's last field.
const ROSTER_CHOICES: [&str; 2] = ["start with an empty roster", "import a roster (CSV) next"];

/// The first-run set-up over an empty store.
pub struct SetupForm {
    /// Its fields.
    pub form: PopupForm,
}

impl SetupForm {
    /// The set-up with its defaults shown (the usual 15-minute unit).
    pub fn new(theme: crate::ui::theme::Theme) -> SetupForm {
        let d = SetUp::default();
        let form = PopupForm::new("Welcome: set up your center", theme)
            .intro("You are the first admin. A PIN is optional: with one, everyone signs in.")
            .text(
                FieldKey::CenterName,
                "",
                "e.g. Harbour Peer Center",
                Hint::Plain("title bar, reports"),
            )
            .text(
                FieldKey::StaffName,
                "",
                "your full name",
                Hint::Plain("the first admin"),
            )
            .text(
                FieldKey::Initials,
                "",
                "from the name",
                Hint::Plain("optional"),
            )
            .secret(FieldKey::Pin, "optional", "4+ characters, never shown")
            .secret(FieldKey::PinAgain, "", "the same again")
            .text(
                FieldKey::UnitMinutes,
                &d.unit_minutes.to_string(),
                "",
                Hint::Plain("per unit; default 15"),
            )
            .text(
                FieldKey::UnitThreshold,
                &d.unit_threshold_minutes.to_string(),
                "",
                Hint::Plain("counts as a unit; default 8"),
            )
            .text(
                FieldKey::DailyCap,
                "",
                "none",
                Hint::Plain("most units per peer a day"),
            )
            .choice(
                FieldKey::ImportRoster,
                ROSTER_CHOICES.iter().map(|s| s.to_string()).collect(),
                0,
                "←/→",
            );
        SetupForm { form }
    }

    /// What was typed, read; or the problems, by field.
    pub fn build(&self) -> Result<SetUp, Vec<(String, String)>> {
        let f = &self.form;
        let mut errs = Vec::new();
        let pin = read_pin(f, &mut errs);
        let unit_minutes = number(f, FieldKey::UnitMinutes, "unit minutes", &mut errs);
        let threshold = number(
            f,
            FieldKey::UnitThreshold,
            "unit threshold minutes",
            &mut errs,
        );
        let cap_text = f.value(FieldKey::DailyCap).trim();
        let cap = if cap_text.is_empty() || cap_text.eq_ignore_ascii_case("none") {
            None
        } else {
            match cap_text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errs.push((
                        "daily unit cap".into(),
                        format!("daily unit cap: '{}' is not a whole number of units; leave it empty for none", clean(cap_text)),
                    ));
                    None
                }
            }
        };
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(SetUp {
            organization: f.value(FieldKey::CenterName).trim().to_string(),
            admin_name: f.value(FieldKey::StaffName).trim().to_string(),
            initials: f.value(FieldKey::Initials).trim().to_string(),
            pin,
            unit_minutes: unit_minutes.unwrap_or(0),
            unit_threshold_minutes: threshold.unwrap_or(0),
            daily_unit_cap: cap,
        })
    }

    /// True when the user asked to import a roster once set up.
    pub fn wants_import(&self) -> bool {
        self.form.picked(FieldKey::ImportRoster) == 1
    }
}

pub(super) fn clean(s: &str) -> String {
    crate::text::escape_line(s).into_owned()
}

/// Reads a whole number field (problems go to `errs`, named `field`).
fn number(
    f: &PopupForm,
    key: FieldKey,
    field: &str,
    errs: &mut Vec<(String, String)>,
) -> Option<u16> {
    let text = f.value(key).trim();
    match text.parse::<u16>() {
        Ok(n) => Some(n),
        Err(_) => {
            errs.push((
                field.to_string(),
                format!("{field}: '{}' is not a whole number", clean(text)),
            ));
            None
        }
    }
}

/// Reads the PIN typed twice: None when both are empty; a problem under
/// "PIN again" when they differ (the PIN is never put into a message).
fn read_pin(f: &PopupForm, errs: &mut Vec<(String, String)>) -> Option<String> {
    let pin = f.value(FieldKey::Pin);
    let again = f.value(FieldKey::PinAgain);
    if pin.is_empty() && again.is_empty() {
        return None;
    }
    if pin != again {
        errs.push((
            "PIN again".into(),
            "PIN again: the two PINs differ; type the same PIN twice".into(),
        ));
        return None;
    }
    Some(pin.to_string())
}

/// What a staff form saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffFormFor {
    /// A new staff member.
    Add,
    /// Changes to this one.
    Edit(StaffId),
    /// A new PIN for this one (named).
    Pin(StaffId, String),
}

/// The add, edit and PIN forms of the Staff screen.
pub struct StaffForm {
    /// Its fields.
    pub form: PopupForm,
    /// What saving does.
    pub purpose: StaffFormFor,
}

fn roles() -> Vec<String> {
    Role::ALL.iter().map(|r| r.label().to_string()).collect()
}

impl StaffForm {
    /// The form for a new staff member.
    pub fn add(theme: crate::ui::theme::Theme) -> StaffForm {
        let form = PopupForm::new("Add a staff member", theme)
            .text(FieldKey::StaffName, "", "full name", Hint::Plain(""))
            .text(
                FieldKey::Initials,
                "",
                "from the name",
                Hint::Plain("optional"),
            )
            .choice(FieldKey::Role, roles(), 0, "←/→")
            .text(
                FieldKey::Login,
                "",
                "optional",
                Hint::Plain("their computer login"),
            )
            .secret(FieldKey::Pin, "optional", "4+ characters, never shown")
            .secret(FieldKey::PinAgain, "", "the same again");
        StaffForm {
            form,
            purpose: StaffFormFor::Add,
        }
    }

    /// The form filled with `s`.
    pub fn edit(s: &StaffEntry, theme: crate::ui::theme::Theme) -> StaffForm {
        let role = Role::ALL.iter().position(|r| *r == s.role).unwrap_or(0);
        let form = PopupForm::new(format!("Edit {}", s.row.id), theme)
            .text(
                FieldKey::StaffName,
                &s.row.name,
                "full name",
                Hint::Plain(""),
            )
            .text(FieldKey::Initials, &s.row.initials, "", Hint::Plain(""))
            .choice(FieldKey::Role, roles(), role, "←/→")
            .text(
                FieldKey::Login,
                s.login.as_deref().unwrap_or(""),
                "none",
                Hint::Plain("their computer login"),
            );
        StaffForm {
            form,
            purpose: StaffFormFor::Edit(s.row.id),
        }
    }

    /// The PIN form for `s`.
    pub fn pin(s: &StaffEntry, theme: crate::ui::theme::Theme) -> StaffForm {
        let verb = if s.has_pin { "Reset" } else { "Set" };
        let form = PopupForm::new(format!("{verb} the PIN of {{peer}}"), theme)
            .about(&s.row.name)
            .intro("Typed twice, never shown. From now on they sign in with it.")
            .secret(FieldKey::Pin, "", "4+ characters")
            .secret(FieldKey::PinAgain, "", "the same again");
        StaffForm {
            form,
            purpose: StaffFormFor::Pin(s.row.id, s.row.name.clone()),
        }
    }

    /// The store work the form describes, or the problems by field.
    pub fn build(&self, actor: crate::model::Actor) -> Result<Request, Vec<(String, String)>> {
        let f = &self.form;
        let mut errs = Vec::new();
        let role = Role::ALL
            .get(f.picked(FieldKey::Role))
            .copied()
            .unwrap_or(Role::PeerSpecialist);
        let login = f.value(FieldKey::Login).trim().to_string();
        let req = match &self.purpose {
            StaffFormFor::Add => {
                let pin = read_pin(f, &mut errs);
                if !errs.is_empty() {
                    return Err(errs);
                }
                let mut s = Staff::new(f.value(FieldKey::StaffName).trim(), role);
                let initials = f.value(FieldKey::Initials).trim();
                if !initials.is_empty() {
                    s.initials = initials.to_string();
                }
                s.login = Some(login).filter(|l| !l.is_empty());
                CenterRequest::AddStaff {
                    staff: s,
                    pin: pin.map(Secret::new),
                    actor,
                }
            }
            StaffFormFor::Edit(id) => CenterRequest::EditStaff {
                id: *id,
                edit: StaffEdit {
                    name: Some(f.value(FieldKey::StaffName).to_string()),
                    initials: Some(f.value(FieldKey::Initials).to_string()),
                    role: Some(role),
                    login: Some(Some(login).filter(|l| !l.is_empty())),
                    active: None,
                },
                actor,
            },
            StaffFormFor::Pin(id, _) => {
                let pin = read_pin(f, &mut errs);
                let Some(pin) = pin else {
                    if errs.is_empty() {
                        errs.push(("PIN".into(), "PIN: type the new PIN".into()));
                    }
                    return Err(errs);
                };
                CenterRequest::SetPin {
                    id: *id,
                    pin: Secret::new(pin),
                    actor,
                }
            }
        };
        Ok(Request::Center(req))
    }
}

/// The Staff screen: everyone for admins, their own entry for others.
pub struct StaffScreen {
    /// The staff shown, as loaded.
    pub entries: Vec<StaffEntry>,
    /// The selection.
    pub cursor: ListCursor,
    /// Waiting for the list.
    pub loading: bool,
    /// Why the list could not be loaded.
    pub error: Option<String>,
    /// The viewer may manage everyone (the permission table's
    /// `ManageStaff`; the store checks it again on every change).
    pub manages: bool,
    /// The viewer, whose own entry a non-admin sees.
    pub me: Option<StaffId>,
    /// Why the last change was refused, shown in full on the screen (a
    /// status line may be too narrow for the reason).
    pub refusal: Option<String>,
}

impl StaffScreen {
    /// The selected entry.
    pub fn selected(&self) -> Option<&StaffEntry> {
        self.entries.get(self.cursor.selected)
    }

    pub(super) fn set(&mut self, mut list: Vec<StaffEntry>) {
        if !self.manages {
            list.retain(|s| Some(s.row.id) == self.me);
        }
        let keep = self.selected().map(|s| s.row.id);
        self.entries = list;
        self.loading = false;
        self.error = None;
        let at = keep
            .and_then(|id| self.entries.iter().position(|s| s.row.id == id))
            .unwrap_or(self.cursor.selected);
        self.cursor.select(at, self.entries.len());
    }
}

/// What a peer form saves.
#[derive(Debug, Clone, PartialEq)]
pub enum PeerFormFor {
    /// A new peer.
    Add,
    /// Changes to this record.
    Edit(Box<Record<Peer>>),
    /// Discharge this peer.
    Discharge(PeerId),
    /// Re-admit this discharged peer.
    Readmit(PeerId),
    /// Merge a duplicate into this peer.
    Merge(PeerId),
}

/// The roster's forms: add, edit, discharge, re-admit, merge.
pub struct PeerForm {
    /// Its fields.
    pub form: PopupForm,
    /// What saving does.
    pub purpose: PeerFormFor,
    /// Staff offered for "assigned" (index 0 is nobody).
    staff: Vec<StaffId>,
}

fn date_hint() -> Hint {
    Hint::Date(Direction::Past, "today, -2w, 2026-11-01")
}

impl PeerForm {
    fn fields(
        title: String,
        peer: Option<&Peer>,
        staff: &[(StaffId, String)],
        theme: crate::ui::theme::Theme,
    ) -> (PopupForm, Vec<StaffId>) {
        let mut options = vec!["nobody yet".to_string()];
        options.extend(staff.iter().map(|(_, n)| n.clone()));
        let ids: Vec<StaffId> = staff.iter().map(|(id, _)| *id).collect();
        let assigned = peer
            .and_then(|p| p.assigned_staff)
            .and_then(|a| ids.iter().position(|i| *i == a))
            .map_or(0, |i| i + 1);
        let text = |v: Option<&Option<String>>| {
            v.and_then(|o| o.as_deref()).unwrap_or_default().to_string()
        };
        let form = PopupForm::new(title, theme)
            .text(
                FieldKey::PeerName,
                peer.map(|p| p.display_name.as_str()).unwrap_or(""),
                "the name they want to be called",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Pronouns,
                &text(peer.map(|p| &p.pronouns)),
                "optional, their words",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Phone,
                &text(peer.map(|p| &p.phone)),
                "optional",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Email,
                &text(peer.map(|p| &p.email)),
                "optional",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Cadence,
                &peer
                    .and_then(|p| p.cadence_days)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                "days; optional",
                Hint::Plain("how often to check in"),
            )
            .choice(FieldKey::Assigned, options, assigned, "←/→")
            .text(
                FieldKey::Tags,
                &peer.map(|p| p.tags.join(", ")).unwrap_or_default(),
                "optional, comma-separated",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Intake,
                &peer
                    .map(|p| p.intake_date.to_string())
                    .unwrap_or_else(|| "today".into()),
                "",
                date_hint(),
            );
        (form, ids)
    }

    /// The form for a new peer.
    pub fn add(staff: &[(StaffId, String)], theme: crate::ui::theme::Theme) -> PeerForm {
        let (form, staff) = Self::fields("Add a peer".into(), None, staff, theme);
        PeerForm {
            form,
            purpose: PeerFormFor::Add,
            staff,
        }
    }

    /// The form filled with `rec`.
    pub fn edit(
        rec: &Record<Peer>,
        staff: &[(StaffId, String)],
        theme: crate::ui::theme::Theme,
    ) -> PeerForm {
        let (mut form, staff) = Self::fields(
            format!("Edit {{peer}} ({})", rec.id),
            Some(rec),
            staff,
            theme,
        );
        form = form.about(&rec.display_name);
        PeerForm {
            form,
            purpose: PeerFormFor::Edit(Box::new(rec.clone())),
            staff,
        }
    }

    /// Discharge (for an active or inactive peer) or re-admit (for a
    /// discharged one).
    pub fn discharge_or_readmit(
        id: PeerId,
        name: &str,
        status: PeerStatus,
        theme: crate::ui::theme::Theme,
    ) -> PeerForm {
        if status == PeerStatus::Discharged {
            let form = PopupForm::new(format!("Re-admit {{peer}} ({id})"), theme)
                .about(name)
                .intro("A new episode begins; the earlier ones stay in the history.")
                .text(FieldKey::OnDate, "today", "", date_hint());
            return PeerForm {
                form,
                purpose: PeerFormFor::Readmit(id),
                staff: Vec::new(),
            };
        }
        let form = PopupForm::new(format!("Discharge {{peer}} ({id})"), theme)
            .about(name)
            .intro("Their records stay; re-admitting later starts a new episode.")
            .text(
                FieldKey::Reason,
                "",
                "e.g. moved away, goals met",
                Hint::Plain(""),
            )
            .text(FieldKey::OnDate, "today", "", date_hint());
        PeerForm {
            form,
            purpose: PeerFormFor::Discharge(id),
            staff: Vec::new(),
        }
    }

    /// Merge a duplicate record into `into`.
    pub fn merge(into: PeerId, name: &str, theme: crate::ui::theme::Theme) -> PeerForm {
        let form = PopupForm::new(format!("Merge a duplicate into {{peer}} ({into})"), theme)
            .about(name)
            .intro("Every record of the duplicate moves here; its id answers as an alias.")
            .text(
                FieldKey::MergeFrom,
                "",
                "the duplicate's id (P62) or name",
                Hint::Plain(""),
            );
        PeerForm {
            form,
            purpose: PeerFormFor::Merge(into),
            staff: Vec::new(),
        }
    }

    pub(super) fn day(
        &self,
        key: FieldKey,
        field: &str,
        today: NaiveDate,
        errs: &mut Vec<(String, String)>,
    ) -> Option<NaiveDate> {
        let text = self.form.value(key).trim();
        let text = if text.is_empty() { "today" } else { text };
        match parse_date(field, text, today, Direction::Past) {
            Ok(d) => Some(d),
            Err(e) => {
                errs.push((field.to_string(), e.to_string()));
                None
            }
        }
    }

    /// The peer as typed over `base` (a new one, or the record edited).
    pub fn peer(&self, base: Peer, today: NaiveDate) -> Result<Peer, Vec<(String, String)>> {
        let f = &self.form;
        let mut errs = Vec::new();
        let mut p = base;
        let opt = |k: FieldKey| Some(f.value(k).trim().to_string()).filter(|s| !s.is_empty());
        p.display_name = f.value(FieldKey::PeerName).trim().to_string();
        p.pronouns = opt(FieldKey::Pronouns);
        p.phone = opt(FieldKey::Phone);
        p.email = opt(FieldKey::Email);
        let cadence = f.value(FieldKey::Cadence).trim();
        p.cadence_days = if cadence.is_empty() {
            None
        } else {
            match cadence.trim_end_matches(['d', 'D']).trim().parse::<u16>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errs.push((
                        "cadence days".into(),
                        format!("cadence days: '{}' is not a number of days", clean(cadence)),
                    ));
                    None
                }
            }
        };
        p.assigned_staff = f
            .picked(FieldKey::Assigned)
            .checked_sub(1)
            .and_then(|i| self.staff.get(i).copied());
        p.tags = f
            .value(FieldKey::Tags)
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(d) = self.day(FieldKey::Intake, "intake date", today, &mut errs) {
            let keeps_status_day = p.status_since != p.intake_date;
            p.intake_date = d;
            if !keeps_status_day {
                p.status_since = d;
            }
        }
        if errs.is_empty() {
            Ok(p)
        } else {
            Err(errs)
        }
    }
}

/// What a yes to a center question does.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// The peer being added may be `existing`: yes opens them instead,
    /// no adds the new one.
    UseExisting {
        /// The likely same person.
        existing: Duplicate,
        /// The peer as typed, added on no.
        peer: Box<Peer>,
    },
    /// The walk-in may be `existing`: yes checks them off, no adds the
    /// walk-in as a new peer.
    UseForWalkIn {
        /// The likely same person.
        existing: Duplicate,
        /// The name typed.
        name: String,
    },
    /// Merge `from` into `into`.
    Merge {
        /// The duplicate.
        from: PeerId,
        /// The record that stays.
        into: PeerId,
    },
    /// Deactivate or reactivate a staff member.
    SetActive {
        /// Who.
        id: StaffId,
        /// Active afterwards.
        active: bool,
    },
    /// Leave the set-up (caseload quits; nothing was saved).
    LeaveSetUp,
}

/// A yes/no question of the center's screens.
pub struct Ask {
    /// The question, escaped.
    pub text: String,
    /// What yes (and no) do.
    pub about: Question,
}

impl Ask {
    /// The key contexts of the question: the duplicate question's own
    /// first, where Esc goes back instead of answering no.
    pub fn chain(&self) -> &'static [Context] {
        match &self.about {
            Question::UseExisting { .. } | Question::UseForWalkIn { .. } => CHAIN_DUPLICATE,
            _ => CHAIN_ASK,
        }
    }

    /// The words for yes and no.
    pub fn answers(&self) -> (&'static str, &'static str) {
        match &self.about {
            Question::UseExisting { .. } => ("open them", "add a new peer"),
            Question::UseForWalkIn { .. } => ("check them off", "add a new peer"),
            Question::Merge { .. } => ("merge", "keep both"),
            Question::SetActive { active: false, .. } => ("deactivate", "keep"),
            Question::SetActive { active: true, .. } => ("reactivate", "keep"),
            Question::LeaveSetUp => ("quit", "keep setting up"),
        }
    }
}

/// "her", "him" or "them", from the pronouns they gave.
pub fn object_pronoun(pronouns: Option<&str>) -> &'static str {
    let p = pronouns.unwrap_or("").trim().to_lowercase();
    if p.starts_with("she") || p.starts_with("her") {
        "her"
    } else if p.starts_with("he") || p.starts_with("him") {
        "him"
    } else {
        "them"
    }
}
