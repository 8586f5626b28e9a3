//! The Center feature: running a center from the UI — the first-run
//! set-up (an empty store opens it instead of an empty Today,
//! [`open_setup`]), the Staff screen (`S`), and the roster forms on Peers
//! and the peer page (`n` add, `E` edit, `X` discharge or re-admit, `M`
//! merge, [`action`]), with the possible-duplicates question at add time
//! and for a walk-in ([`check_walk_in`]).
//!
//! Each of them is a layer; [`Center`] takes the store's answers. What
//! they change elsewhere goes out as notices: a saved peer as
//! `ReloadRoster`, `PeerChanged` and `ReloadToday` (and `OpenPeer` for a
//! new one), the first admin as `SignedInAs`, a walk-in as
//! `CheckOffWalkIn` (which the Groups feature follows with
//! [`check_off_walk_in`]).
//!
//! Only reading what was typed happens here (numbers, dates, the PIN typed
//! twice alike); every rule about the values, and who may change what, is
//! the operations' and the authorizing store's (`worker/center.rs`), whose
//! refusals come back under their field or with their reason.

use std::any::Any;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;

use crate::model::dates::{parse_date, Direction};
use crate::model::{Choice, Peer, PeerId, PeerStatus, Permission, Record, Role, Staff, StaffId};
use crate::ops::auth::StaffEdit;
use crate::ops::center::SetUp;
use crate::ops::os_login;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::{Layer, Reply};
use crate::ui::privacy::shown_name;
use crate::ui::screens::groups::GroupsState;
use crate::ui::screens::popup::{Popup, Purpose};
use crate::ui::screens::staff as staff_view;
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::confirm::OnYes;
use crate::ui::widgets::form::{FieldKey, FormOutcome, Hint, PopupForm};
use crate::ui::widgets::list::ListCursor;
use crate::ui::worker::center::{
    CenterRequest, CenterResponse, Duplicate, DuplicateCheck, StaffEntry,
};
use crate::ui::worker::{Failure, Request, RequestId, Response, RosterRow, Secret};

use super::feature::{misrouted, Feature, FeatureId};
use super::peer::PeerPage;
use super::shell::{Cx, Shell};
use super::{App, Notice, Pane};

const CHAIN_STAFF: &[Context] = &[Context::Staff, Context::List, Context::Global];
const CHAIN_ASK: &[Context] = &[Context::Confirm];
/// The duplicate question: Esc goes back (its no would add a new peer).
const CHAIN_DUPLICATE: &[Context] = &[Context::Duplicate, Context::Confirm];

/// The hints of the center's forms.
const FORM_HINTS: &[(Action, &str)] = &[
    (Action::Save, "save"),
    (Action::NextField, "next field"),
    (Action::PrevField, "previous"),
    (Action::Back, "cancel"),
    (Action::Help, "help"),
];

macro_rules! any_impl {
    () => {
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn Any {
            self
        }
        fn into_any(self: Box<Self>) -> Box<dyn Any> {
            self
        }
    };
}

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

fn clean(s: &str) -> String {
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

    fn set(&mut self, mut list: Vec<StaffEntry>) {
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

    fn day(
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

/// The Center feature: it owns no state of its own (the set-up, the Staff
/// screen, the forms and the questions are layers); it takes the answers
/// to the center requests.
#[derive(Debug, Default)]
pub struct Center;

/// Opens the first-run set-up (an empty store: no staff yet).
pub(super) fn open_setup(shell: &mut Shell) {
    let theme = shell.theme;
    shell.push_layer(SetupForm::new(theme));
    shell.status.info("Welcome: Tab moves, ctrl-s saves");
}

fn viewer_role(cx: &Cx) -> Option<Role> {
    cx.who.map(|c| c.role)
}

/// The shell's and panes' center keys: `S`, and on Peers and the peer
/// page `n`, `E`, `X`, `M` (on `selected`, the pane's peer; `page` gives
/// the record when it is open there). True when taken care of here.
pub(super) fn action(
    action: Action,
    page: &PeerPage,
    selected: Option<(PeerId, String)>,
    cx: &mut Cx,
) -> bool {
    match action {
        Action::GoStaff => open_staff(cx),
        Action::NewPeer if cx.nav.pane == Pane::Peers => {
            let staff = active_staff(cx);
            let theme = cx.theme;
            cx.push_layer(PeerForm::add(&staff, theme));
        }
        Action::EditPeer | Action::DischargeReadmit | Action::MergePeer
            if matches!(cx.nav.pane, Pane::Peers | Pane::Peer) =>
        {
            peer_action(action, page, selected, cx)
        }
        _ => return false,
    }
    true
}

fn active_staff(shell: &Shell) -> Vec<(StaffId, String)> {
    shell
        .staff_list
        .iter()
        .filter(|s| s.active)
        .map(|s| (s.id, s.name.clone()))
        .collect()
}

fn peer_action(action: Action, page: &PeerPage, selected: Option<(PeerId, String)>, cx: &mut Cx) {
    let (id, name) = match selected {
        Some(x) => x,
        None if cx.nav.pane == Pane::Peer => return,
        None => return cx.status.info("no peer selected"),
    };
    let status = cx
        .roster
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.status)
        .unwrap_or(PeerStatus::Active);
    let theme = cx.theme;
    match action {
        Action::EditPeer => {
            let rec = page
                .peer
                .as_ref()
                .filter(|p| p.id == id)
                .and_then(|p| p.detail.as_ref())
                .map(|d| d.overview.peer.clone());
            match rec {
                Some(rec) => {
                    let staff = active_staff(cx);
                    cx.push_layer(PeerForm::edit(&rec, &staff, theme));
                }
                None => {
                    // Not open on their page: load the record to edit.
                    cx.requests
                        .push(Request::Center(CenterRequest::PeerToEdit(id)));
                    cx.status.info("loading the peer to edit…");
                }
            }
        }
        Action::DischargeReadmit => {
            cx.push_layer(PeerForm::discharge_or_readmit(id, &name, status, theme))
        }
        Action::MergePeer => {
            let allowed = viewer_role(cx).is_none_or(|r| Permission::MergePeers.allows(r));
            if !allowed {
                return cx
                    .status
                    .error("merging two peer records is for supervisors and admins only");
            }
            cx.push_layer(PeerForm::merge(id, &name, theme));
        }
        _ => {}
    }
}

fn open_staff(cx: &mut Cx) {
    let me = cx.who.map(|c| c.staff.id).or_else(|| {
        cx.status
            .staff
            .as_ref()
            .and_then(|s| s.as_ref().ok())
            .map(|s| s.id)
    });
    let manages = viewer_role(cx).is_none_or(|r| Permission::ManageStaff.allows(r));
    if cx.layer::<StaffScreen>().is_none() {
        cx.push_layer(StaffScreen {
            entries: Vec::new(),
            cursor: ListCursor::default(),
            loading: true,
            error: None,
            manages,
            me,
            refusal: None,
        });
    }
    cx.requests.push(Request::Center(CenterRequest::StaffList));
}

fn staff_screen_action(screen: &mut StaffScreen, action: Action, cx: &mut Cx) -> Reply {
    if screen.cursor.apply(action, screen.entries.len()) {
        return Reply::Done;
    }
    let theme = cx.theme;
    match action {
        Action::Back | Action::GoStaff => return Reply::Close,
        Action::Refresh => {
            cx.requests.push(Request::Center(CenterRequest::StaffList));
        }
        Action::AddStaff if screen.manages => cx.push_layer(StaffForm::add(theme)),
        Action::Edit | Action::Open if screen.manages => {
            if let Some(s) = screen.selected() {
                cx.push_layer(StaffForm::edit(s, theme));
            }
        }
        Action::SetPin => {
            if let Some(s) = screen.selected() {
                cx.push_layer(StaffForm::pin(s, theme));
            }
        }
        Action::ToggleActive if screen.manages => {
            if let Some(s) = screen.selected() {
                let name = clean(&s.row.name);
                let text = if s.row.active {
                    format!(
                        "Deactivate {name} ({})? They keep their history but can no longer sign in.",
                        s.row.id
                    )
                } else {
                    format!("Reactivate {name} ({})? They can sign in again.", s.row.id)
                };
                cx.push_layer(Ask {
                    text,
                    about: Question::SetActive {
                        id: s.row.id,
                        active: !s.row.active,
                    },
                });
            }
        }
        Action::AddStaff | Action::Edit | Action::ToggleActive | Action::Open => {
            cx.status
                .error("managing staff accounts is for admins only; P sets your own PIN");
        }
        Action::Quit | Action::Help | Action::Command | Action::Lock | Action::Privacy => {
            return Reply::Pass
        }
        _ => {}
    }
    Reply::Done
}

fn save_setup(setup: &mut SetupForm, cx: &mut Cx) {
    if setup.form.saving {
        return;
    }
    match setup.build() {
        Ok(s) => {
            setup.form.saving = true;
            setup.form.failure = None;
            let actor = crate::model::Actor::login(os_login());
            cx.requests
                .push(Request::Center(CenterRequest::SetUp { setup: s, actor }));
            cx.status.info("setting up…");
        }
        Err(problems) => {
            setup.form.show_errors(problems);
            let first = setup.form.problems().into_iter().next().unwrap_or_default();
            cx.status.error(format!("Not set up: {first}"));
        }
    }
}

fn save_staff_form(sf: &mut StaffForm, cx: &mut Cx) {
    if sf.form.saving {
        return;
    }
    let actor = cx.actor();
    match sf.build(actor) {
        Ok(req) => {
            sf.form.saving = true;
            sf.form.failure = None;
            cx.requests.push(req);
            cx.status.info("saving…");
        }
        Err(problems) => {
            sf.form.show_errors(problems);
            let first = sf.form.problems().into_iter().next().unwrap_or_default();
            cx.status.error(format!("Not saved: {first}"));
        }
    }
}

fn save_peer_form(pf: &mut PeerForm, cx: &mut Cx) {
    if pf.form.saving {
        return;
    }
    let today = cx.date;
    let actor = cx.actor();
    let mut errs = Vec::new();
    let request = match &pf.purpose {
        PeerFormFor::Add => match pf.peer(Peer::new("", today), today) {
            Ok(p) => CenterRequest::Duplicates {
                peer: Box::new(p),
                purpose: DuplicateCheck::AddPeer,
            },
            Err(e) => {
                errs = e;
                return peer_form_problems(pf, errs, cx);
            }
        },
        PeerFormFor::Edit(rec) => match pf.peer(rec.data.clone(), today) {
            Ok(p) => {
                let mut r = (**rec).clone();
                r.data = p;
                CenterRequest::EditPeer {
                    peer: Box::new(r),
                    actor,
                }
            }
            Err(e) => return peer_form_problems(pf, e, cx),
        },
        PeerFormFor::Discharge(id) => {
            let on = pf.day(FieldKey::OnDate, "date", today, &mut errs);
            match on {
                Some(on) if errs.is_empty() => CenterRequest::Discharge {
                    id: *id,
                    on,
                    reason: pf.form.value(FieldKey::Reason).to_string(),
                    actor,
                },
                _ => return peer_form_problems(pf, errs, cx),
            }
        }
        PeerFormFor::Readmit(id) => match pf.day(FieldKey::OnDate, "date", today, &mut errs) {
            Some(on) => CenterRequest::Readmit { id: *id, on, actor },
            None => return peer_form_problems(pf, errs, cx),
        },
        PeerFormFor::Merge(into) => {
            let typed = pf.form.value(FieldKey::MergeFrom).trim().to_string();
            match find_on_roster(&cx.roster, &typed, *into) {
                Ok(from) => {
                    let privacy = cx.privacy();
                    let name_of = |id: PeerId| {
                        cx.roster
                            .iter()
                            .find(|r| r.id == id)
                            .map(|r| shown_name(&r.name, privacy).into_owned())
                            .unwrap_or_default()
                    };
                    let text = format!(
                        "Merge {} ({from}) into {} ({into})? Every record of {from} moves to {into}; {from} then answers as an alias.",
                        name_of(from),
                        name_of(*into)
                    );
                    cx.push_layer(Ask {
                        text,
                        about: Question::Merge { from, into: *into },
                    });
                    return;
                }
                Err(e) => {
                    return peer_form_problems(pf, vec![("duplicate".into(), e)], cx);
                }
            }
        }
    };
    pf.form.saving = true;
    pf.form.failure = None;
    cx.requests.push(Request::Center(request));
    cx.status.info("saving…");
}

fn peer_form_problems(pf: &mut PeerForm, problems: Vec<(String, String)>, cx: &mut Cx) {
    pf.form.show_errors(problems);
    let first = pf.form.problems().into_iter().next().unwrap_or_default();
    cx.status.error(format!("Not saved: {first}"));
}

/// The peer on the roster `typed` names (an id like P62, or a name
/// matching one peer once case and accents are folded), other than
/// `not`.
fn find_on_roster(roster: &[RosterRow], typed: &str, not: PeerId) -> Result<PeerId, String> {
    use crate::model::names::fold;
    if typed.is_empty() {
        return Err("duplicate: type the duplicate's id (like P62) or name".into());
    }
    // An id, a phone number or a tag given whole (the one rule of
    // every peer search), else the name, case and accents folded.
    let by_key: Vec<PeerId> = roster
        .iter()
        .filter(|r| r.keys.answers(typed))
        .map(|r| r.id)
        .collect();
    let found: Vec<PeerId> = match by_key.as_slice() {
        [one] => vec![*one],
        [_, _, ..] => by_key.into_iter().filter(|id| *id != not).collect(),
        [] => {
            let want = fold(typed);
            let exact: Vec<PeerId> = roster
                .iter()
                .filter(|r| r.id != not && fold(&r.name) == want)
                .map(|r| r.id)
                .collect();
            if exact.is_empty() {
                roster
                    .iter()
                    .filter(|r| r.id != not && fold(&r.name).contains(&want))
                    .map(|r| r.id)
                    .collect()
            } else {
                exact
            }
        }
    };
    match found.as_slice() {
        [] => Err(format!(
            "duplicate: no peer on the roster matches '{}'",
            clean(typed)
        )),
        [one] if *one == not => Err(format!(
            "duplicate: {one} is this peer; name the other record"
        )),
        [one] => Ok(*one),
        many => Err(format!(
            "duplicate: '{}' matches {} peers ({}); type the id",
            clean(typed),
            many.len(),
            many.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A walk-in form is saving: a name already checked off in the open
/// session (`groups.attendance`) as a walk-in (case and accents folded)
/// is refused under the field. True when refused. Otherwise the form asks
/// the roster whether they are on it already (`Popup::build`), and the
/// answer goes on in `on_duplicates`.
pub(super) fn check_walk_in(popup: &mut Popup, groups: &GroupsState, shell: &mut Shell) -> bool {
    if popup.purpose != Purpose::WalkIn {
        return false;
    }
    let name = popup.form.value(FieldKey::WalkInName).trim().to_string();
    let typed_twice = groups
        .attendance
        .as_ref()
        .and_then(|s| s.walk_in_named(&name))
        .map(str::to_string);
    let Some(earlier) = typed_twice else {
        return false;
    };
    let failure = Failure::field(
        "walk-in name",
        format!(
            "{} is already checked off here as a walk-in",
            shown_name(&earlier, shell.privacy())
        ),
    );
    shell.status.error(format!("Not added: {failure}"));
    popup.form.save_failed(&failure);
    true
}

/// What the Groups feature does on [`Notice::CheckOffWalkIn`]: checks
/// the walk-in off its open session, a peer on the roster by id, a new one
/// by name (the session's save adds them to the roster; leaving without
/// saving adds nobody).
pub(super) fn check_off_walk_in(groups: &mut GroupsState, notice: &Notice, shell: &mut Shell) {
    let Notice::CheckOffWalkIn(existing, name) = notice else {
        return;
    };
    let Some(s) = &mut groups.attendance else {
        return;
    };
    match existing {
        Some(id) => s.add_walk_in(*id, name),
        None => {
            s.add_new_walk_in(name);
            shell.status.info(format!(
                "Checked off {} as a walk-in; saving the session adds them to the roster",
                shown_name(name, shell.privacy())
            ));
        }
    }
}

/// A new walk-in is checked off the open session by name.
fn add_walk_in_now(name: String, cx: &mut Cx) {
    cx.close_layer::<Popup>();
    cx.notify(Notice::CheckOffWalkIn(None, name));
}

fn ask_yes(about: Question, yes: bool, cx: &mut Cx) {
    match (about, yes) {
        (Question::UseExisting { existing, .. }, true) => {
            cx.close_layer::<PeerForm>();
            cx.notify(Notice::open_peer(existing.id, existing.name));
        }
        (Question::UseExisting { peer, .. }, false) => {
            let actor = cx.actor();
            if let Some(pf) = cx.layer_mut::<PeerForm>() {
                pf.form.saving = true;
            }
            cx.requests
                .push(Request::Center(CenterRequest::AddPeer { peer, actor }));
        }
        (Question::UseForWalkIn { existing, .. }, true) => {
            cx.close_layer::<Popup>();
            let shown = shown_name(&existing.name, cx.privacy()).into_owned();
            cx.notify(Notice::CheckOffWalkIn(Some(existing.id), existing.name));
            cx.status.info(format!(
                "Checked off {shown} ({}), already on the roster; save to record attendance",
                existing.id
            ));
        }
        (Question::UseForWalkIn { name, .. }, false) => add_walk_in_now(name, cx),
        (Question::Merge { from, into }, true) => {
            let actor = cx.actor();
            if let Some(pf) = cx.layer_mut::<PeerForm>() {
                pf.form.saving = true;
            }
            cx.requests
                .push(Request::Center(CenterRequest::Merge { from, into, actor }));
            cx.status.info("merging…");
        }
        (Question::SetActive { id, active }, true) => {
            let actor = cx.actor();
            cx.requests.push(Request::Center(CenterRequest::EditStaff {
                id,
                edit: StaffEdit {
                    active: Some(active),
                    ..StaffEdit::default()
                },
                actor,
            }));
            cx.status.info("saving…");
        }
        (Question::LeaveSetUp, true) => cx.quit = true,
        (Question::Merge { .. } | Question::SetActive { .. } | Question::LeaveSetUp, false) => {}
    }
}

impl Feature for Center {
    /// Answers to the center requests.
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::Center(response) = reply else {
            return misrouted(FeatureId::Center, &reply);
        };
        match *response {
            CenterResponse::SetUp(Ok(admin)) => {
                let wants_import = cx.layer::<SetupForm>().is_some_and(SetupForm::wants_import);
                cx.close_layer::<SetupForm>();
                let id = admin.staff.id;
                let name = clean(&admin.staff.name);
                cx.notify(Notice::SignedInAs(Box::new(admin)));
                cx.requests.push(Request::Init {
                    staff: Some(id.to_string()),
                });
                cx.requests.push(Request::Access { staff: None });
                cx.notify(Notice::ReloadToday);
                cx.requests.push(Request::Roster);
                // Short enough to leave "who is working" on the line at
                // 80 columns; help (?) has the rest.
                cx.status.info(format!("Welcome, {name}: n adds a peer"));
                if wants_import {
                    cx.go(Pane::Peers);
                    super::import::open(cx);
                }
            }
            CenterResponse::SetUp(Err(e)) => {
                cx.status.error(format!("Not set up: {e}"));
                if let Some(s) = cx.layer_mut::<SetupForm>() {
                    s.form.save_failed(&e);
                }
            }
            CenterResponse::StaffList(result) => {
                if let Some(s) = cx.layer_mut::<StaffScreen>() {
                    match result {
                        Ok(list) => s.set(list),
                        Err(e) => {
                            s.loading = false;
                            s.error = Some(e.message);
                        }
                    }
                }
            }
            CenterResponse::StaffSaved(Ok(entry)) => {
                cx.close_layer::<StaffForm>();
                if let Some(s) = cx.layer_mut::<StaffScreen>() {
                    s.refusal = None;
                }
                cx.status.info(format!(
                    "Saved {} {} ({}, {}{})",
                    entry.row.id,
                    clean(&entry.row.name),
                    clean(&entry.row.initials),
                    entry.role.label(),
                    if entry.row.active { "" } else { ", inactive" }
                ));
                cx.requests.push(Request::Center(CenterRequest::StaffList));
            }
            CenterResponse::StaffSaved(Err(e)) => {
                cx.status.error(format!("Not saved: {e}"));
                if let Some(s) = cx.layer_mut::<StaffScreen>() {
                    s.refusal = Some(e.message.clone());
                }
                if let Some(f) = cx.layer_mut::<StaffForm>() {
                    f.form.save_failed(&e);
                }
            }
            CenterResponse::Duplicates(purpose, result) => on_duplicates(purpose, result, cx),
            CenterResponse::PeerToEdit(Ok(rec)) => {
                // Only where the user still is (Peers, no form open).
                if cx.layers.is_empty() && cx.nav.pane == Pane::Peers {
                    let staff = active_staff(cx);
                    let name = shown_name(&rec.display_name, cx.privacy()).into_owned();
                    let theme = cx.theme;
                    cx.push_layer(PeerForm::edit(&rec, &staff, theme));
                    cx.status
                        .info(format!("Editing {name} ({}): ctrl-s saves", rec.id));
                }
            }
            CenterResponse::PeerToEdit(Err(e)) => cx.status.error(format!("Cannot edit: {e}")),
            CenterResponse::PeerSaved(Ok(rec)) => {
                let purpose = cx.layer::<PeerForm>().map(|f| f.purpose.clone());
                cx.close_layer::<PeerForm>();
                let what = match purpose {
                    Some(PeerFormFor::Add) => "Added",
                    Some(PeerFormFor::Discharge(_)) => "Discharged",
                    Some(PeerFormFor::Readmit(_)) => "Re-admitted",
                    _ => "Saved",
                };
                let shown = shown_name(&rec.display_name, cx.privacy()).into_owned();
                cx.status.info(format!("{what} {shown} ({})", rec.id));
                after_peer_change(rec.id, cx);
                if purpose == Some(PeerFormFor::Add) {
                    cx.notify(Notice::open_peer(rec.id, rec.data.display_name.clone()));
                }
            }
            CenterResponse::PeerSaved(Err(e)) | CenterResponse::Merged { result: Err(e), .. } => {
                cx.status.error(format!("Not saved: {e}"));
                if let Some(f) = cx.layer_mut::<PeerForm>() {
                    f.form.save_failed(&e);
                }
            }
            CenterResponse::Merged {
                from,
                result: Ok(rec),
            } => {
                cx.close_layer::<PeerForm>();
                let shown = shown_name(&rec.display_name, cx.privacy()).into_owned();
                cx.status.info(format!(
                    "Merged {from} into {shown} ({}); {from} now answers as an alias",
                    rec.id
                ));
                after_peer_change(rec.id, cx);
            }
        }
    }
}

/// A peer's record changed: the roster, their open page and Today reload.
fn after_peer_change(id: PeerId, cx: &mut Cx) {
    cx.notify(Notice::ReloadRoster);
    cx.notify(Notice::PeerChanged(id));
    cx.notify(Notice::ReloadToday);
}

fn on_duplicates(purpose: DuplicateCheck, result: Result<Vec<Duplicate>, Failure>, cx: &mut Cx) {
    let dups = match result {
        Ok(d) => d,
        Err(e) => {
            cx.status.error(format!("Not saved: {e}"));
            match purpose {
                DuplicateCheck::AddPeer => {
                    if let Some(f) = cx.layer_mut::<PeerForm>() {
                        f.form.save_failed(&e);
                    }
                }
                DuplicateCheck::WalkIn => {
                    if let Some(p) = cx.layer_mut::<Popup>() {
                        p.form.save_failed(&e);
                    }
                }
            }
            return;
        }
    };
    match purpose {
        DuplicateCheck::AddPeer => {
            let today = cx.date;
            let Some(pf) = cx.layer::<PeerForm>() else {
                return;
            };
            let Ok(peer) = pf.peer(Peer::new("", today), today) else {
                return;
            };
            match dups.into_iter().next() {
                None => {
                    let actor = cx.actor();
                    cx.requests.push(Request::Center(CenterRequest::AddPeer {
                        peer: Box::new(peer),
                        actor,
                    }));
                }
                Some(existing) => {
                    if let Some(pf) = cx.layer_mut::<PeerForm>() {
                        pf.form.saving = false;
                    }
                    let text = exists_text(&existing, cx.privacy());
                    cx.status.info(
                        "Possibly on the roster already: y opens them, n adds anew, esc goes back",
                    );
                    cx.push_layer(Ask {
                        text,
                        about: Question::UseExisting {
                            existing,
                            peer: Box::new(peer),
                        },
                    });
                }
            }
        }
        DuplicateCheck::WalkIn => {
            let Some(p) = cx.layer::<Popup>().filter(|p| p.purpose == Purpose::WalkIn) else {
                return;
            };
            let name = p.form.value(FieldKey::WalkInName).trim().to_string();
            match dups.into_iter().next() {
                None => add_walk_in_now(name, cx),
                Some(existing) => {
                    if let Some(p) = cx.layer_mut::<Popup>() {
                        p.form.saving = false;
                    }
                    let text = exists_text(&existing, cx.privacy());
                    cx.status.info(
                        "Possibly on the roster already: y checks them off, n adds anew, esc goes back",
                    );
                    cx.push_layer(Ask {
                        text,
                        about: Question::UseForWalkIn { existing, name },
                    });
                }
            }
        }
    }
}

/// "Aroha Wright (P17) already exists: use her?"
fn exists_text(d: &Duplicate, privacy: bool) -> String {
    let why = match d.reason {
        crate::ops::roster::DuplicateReason::SameName => "",
        crate::ops::roster::DuplicateReason::SamePhone => " with the same phone",
    };
    format!(
        "{} ({}) already exists{why}: use {}?",
        shown_name(&d.name, privacy),
        d.id,
        object_pronoun(d.pronouns.as_deref())
    )
}

/// Actions the center's forms leave to the shell.
fn passes(action: Action) -> bool {
    matches!(
        action,
        Action::Quit | Action::Help | Action::Command | Action::Refresh
    )
}

impl Layer for SetupForm {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        self.form.context()
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if matches!(action, Action::Help | Action::Command) {
            return Reply::Pass;
        }
        let outcome = if action == Action::Quit {
            FormOutcome::Cancel
        } else {
            self.form.handle(action)
        };
        match outcome {
            FormOutcome::Save => save_setup(self, &mut cx),
            FormOutcome::Cancel if !self.form.saving => cx.push_layer(Ask {
                text: "Leave the set-up? caseload quits and nothing is saved; it opens here again next time.".into(),
                about: Question::LeaveSetUp,
            }),
            _ => {}
        }
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if self.form.text_key(ev) == FormOutcome::Save {
            save_setup(self, &mut cx);
        }
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.form.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(FORM_HINTS)
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        staff_view::render_setup(self, ctx, areas.main, buf);
    }

    any_impl!();
}

impl Layer for StaffScreen {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_STAFF, false)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        staff_screen_action(self, action, &mut cx)
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        if self.manages {
            Some(&[
                (Action::AddStaff, "add"),
                (Action::Edit, "edit"),
                (Action::SetPin, "PIN"),
                (Action::ToggleActive, "deactivate/reactivate"),
                (Action::Back, "close"),
                (Action::Help, "help"),
            ])
        } else {
            Some(&[
                (Action::SetPin, "my PIN"),
                (Action::Back, "close"),
                (Action::Help, "help"),
            ])
        }
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        staff_view::render(self, ctx, areas.main, buf);
    }

    any_impl!();
}

macro_rules! form_layer {
    ($t:ty, $save:ident) => {
        impl Layer for $t {
            fn context(&self, _app: &App) -> (&'static [Context], bool) {
                self.form.context()
            }

            fn action(&mut self, action: Action, app: &mut App) -> Reply {
                let mut cx = split!(app);
                if passes(action) {
                    return Reply::Pass;
                }
                match self.form.handle(action) {
                    FormOutcome::Save => {
                        $save(self, &mut cx);
                        Reply::Done
                    }
                    FormOutcome::Cancel => cx
                        .cancel_unsaved(
                            self.form.saving,
                            self.form.is_dirty(),
                            "Close this form? What you typed will be lost.",
                            OnYes::DiscardBelow,
                        )
                        .reply(),
                    _ => Reply::Done,
                }
            }

            fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
                let mut cx = split!(app);
                if self.form.text_key(ev) == FormOutcome::Save {
                    $save(self, &mut cx);
                }
                Reply::Done
            }

            fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
                self.form.paste(text);
                Reply::Done
            }

            fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
                Some(FORM_HINTS)
            }

            fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
                crate::ui::widgets::form::render(&self.form, ctx, areas.main, buf);
            }

            any_impl!();
        }
    };
}

form_layer!(StaffForm, save_staff_form);
form_layer!(PeerForm, save_peer_form);

impl Layer for Ask {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (self.chain(), false)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        match action {
            Action::Yes | Action::No => {
                let about = self.about.clone();
                ask_yes(about, action == Action::Yes, &mut cx);
                Reply::Close
            }
            Action::Back => {
                // Back to the form, nothing done.
                if let Some(pf) = cx.layer_mut::<PeerForm>() {
                    pf.form.saving = false;
                }
                if let Some(p) = cx.layer_mut::<Popup>() {
                    p.form.saving = false;
                }
                cx.status.info("Nothing added: back to the form");
                Reply::Close
            }
            _ => Reply::Done,
        }
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        match &self.about {
            Question::UseExisting { .. } | Question::UseForWalkIn { .. } => Some(&[
                (Action::Yes, "yes"),
                (Action::No, "no"),
                (Action::Back, "back to the form"),
            ]),
            _ => Some(&[(Action::Yes, "yes"), (Action::No, "no")]),
        }
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        staff_view::render_ask(self, ctx, areas.screen, buf);
    }

    any_impl!();
}
