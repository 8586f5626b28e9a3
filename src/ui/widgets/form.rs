//! A small form in a box over the pane: the goal, step, review, wellness
//! entry, group and walk-in forms are all one of these, so they share one
//! way of moving between fields, saving, cancelling and showing problems.
//!
//! Problems are shown inline under the field they are about (matched by the
//! field names the model and the operations use, like "target date"), and
//! nothing typed is ever dropped: the form stays open until the store
//! confirms the save.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::model::dates::{parse_date, Direction};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::clip;
use crate::ui::widgets::input::LineInput;
use crate::ui::worker::Failure;

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Value {
    /// One line of text.
    Text(Box<LineInput>),
    /// One of a few options, picked with the arrows.
    Choice {
        /// The options' labels.
        options: Vec<String>,
        /// The one picked.
        index: usize,
    },
}

/// The hint shown next to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Fixed words.
    Plain(&'static str),
    /// A date field: shows the date the text means, else the accepted forms.
    Date(Direction, &'static str),
}

/// The fields of the small forms, by what they hold: how a form's
/// values are read and how the domain's field problems find their field
/// (a typo is a compile error, not an empty value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    /// A goal's life domain.
    Domain,
    /// A goal's title.
    Title,
    /// A goal's start date.
    Start,
    /// A goal's target date.
    Target,
    /// A goal's next review date.
    Review,
    /// A step of a goal.
    Step,
    /// What a review found.
    ReviewNote,
    /// A wellness-plan entry.
    Entry,
    /// A group's name.
    GroupName,
    /// The weekday a group meets.
    Weekday,
    /// The time a group meets.
    Time,
    /// Where a group meets.
    Place,
    /// Who facilitates a group.
    Facilitator,
    /// A walk-in's name.
    WalkInName,
    /// A directory entry's name.
    ResourceName,
    /// A directory entry's category.
    Category,
    /// A phone number.
    Phone,
    /// A street address.
    Address,
    /// Opening hours.
    Hours,
    /// Who may use a resource.
    Eligibility,
    /// Staff notes about a resource.
    ResourceNotes,
    /// Whether a resource is reachable after hours.
    AfterHours,
    /// Whether a directory entry is active.
    Active,
    /// A referral's new status.
    ReferralStatus,
    /// What happened with a referral.
    ReferralNote,
    /// Hours of a continuing-education entry.
    CeHours,
    /// The day of a CE entry or supervision session.
    CredDate,
    /// A CE entry's category (ethics, general, …).
    CeCategory,
    /// Who offered a CE course.
    CeProvider,
    /// The supervisor of a supervision session.
    SupWith,
    /// Minutes of a supervision session.
    SupMinutes,
    /// Individual or group supervision.
    SupKind,
    /// A supervision session's short note.
    SupNote,
    /// The center's name (first-run set-up).
    CenterName,
    /// A staff member's full name.
    StaffName,
    /// A staff member's initials.
    Initials,
    /// A new PIN.
    Pin,
    /// The new PIN again, to catch a typo.
    PinAgain,
    /// Minutes in one unit of service.
    UnitMinutes,
    /// Minutes of a partial unit that still count.
    UnitThreshold,
    /// Most units per peer per day.
    DailyCap,
    /// Whether the set-up goes on to import a roster.
    ImportRoster,
    /// A staff member's role.
    Role,
    /// A staff member's operating-system login.
    Login,
    /// A peer's display name.
    PeerName,
    /// A peer's pronouns.
    Pronouns,
    /// A peer's e-mail address.
    Email,
    /// How often a peer wants to be checked on, in days.
    Cadence,
    /// The staff member a peer is assigned to.
    Assigned,
    /// A peer's tags.
    Tags,
    /// A peer's intake date.
    Intake,
    /// Why a peer is discharged.
    Reason,
    /// The day of a discharge or re-admission.
    OnDate,
    /// The record merged into this one.
    MergeFrom,
}

impl FieldKey {
    /// The label shown next to the field.
    pub fn label(self) -> &'static str {
        match self {
            FieldKey::Domain => "Life domain",
            FieldKey::Title => "Title",
            FieldKey::Start => "Start",
            FieldKey::Target => "Target",
            FieldKey::Review => "Next review",
            FieldKey::Step => "Step",
            FieldKey::ReviewNote => "Note",
            FieldKey::Entry => "Entry",
            FieldKey::GroupName => "Name",
            FieldKey::Weekday => "Weekday",
            FieldKey::Time => "Time",
            FieldKey::Place => "Place",
            FieldKey::Facilitator => "Facilitator",
            FieldKey::WalkInName => "Name",
            FieldKey::ResourceName => "Name",
            FieldKey::Category => "Category",
            FieldKey::Phone => "Phone",
            FieldKey::Address => "Address",
            FieldKey::Hours => "Hours",
            FieldKey::Eligibility => "Eligibility",
            FieldKey::ResourceNotes => "Notes",
            FieldKey::AfterHours => "After hours",
            FieldKey::Active => "Active",
            FieldKey::ReferralStatus => "Status",
            FieldKey::ReferralNote => "Note",
            FieldKey::CeHours => "Hours",
            FieldKey::CredDate => "Date",
            FieldKey::CeCategory => "Category",
            FieldKey::CeProvider => "Provider",
            FieldKey::SupWith => "With",
            FieldKey::SupMinutes => "Minutes",
            FieldKey::SupKind => "Kind",
            FieldKey::SupNote => "Note",
            FieldKey::CenterName => "Center name",
            FieldKey::StaffName => "Name",
            FieldKey::Initials => "Initials",
            FieldKey::Pin => "PIN",
            FieldKey::PinAgain => "PIN again",
            FieldKey::UnitMinutes => "Unit minutes",
            FieldKey::UnitThreshold => "Partial from",
            FieldKey::DailyCap => "Daily cap",
            FieldKey::ImportRoster => "Roster",
            FieldKey::Role => "Role",
            FieldKey::Login => "Login",
            FieldKey::PeerName => "Name",
            FieldKey::Pronouns => "Pronouns",
            FieldKey::Email => "E-mail",
            FieldKey::Cadence => "Check every",
            FieldKey::Assigned => "Staff",
            FieldKey::Tags => "Tags",
            FieldKey::Intake => "Intake",
            FieldKey::Reason => "Reason",
            FieldKey::OnDate => "Date",
            FieldKey::MergeFrom => "Duplicate",
        }
    }

    /// The field names the domain and the operations give this field in
    /// their problems ("target date").
    pub fn problem_names(self) -> &'static [&'static str] {
        match self {
            FieldKey::Domain => &["life domain", "domain"],
            FieldKey::Title => &["title", "goal title"],
            FieldKey::Start => &["start", "start date", "--start"],
            FieldKey::Target => &["target", "target date", "--target"],
            FieldKey::Review => &["review", "review date", "next review", "--review"],
            FieldKey::Step => &["step"],
            FieldKey::ReviewNote => &["note", "review note"],
            FieldKey::Entry => &["entry", "wellness plan"],
            FieldKey::GroupName => &["name", "group name"],
            FieldKey::Weekday => &["weekday"],
            FieldKey::Time => &["time"],
            FieldKey::Place => &["place", "location"],
            FieldKey::Facilitator => &["facilitator"],
            FieldKey::WalkInName => &["walk-in name", "display name", "name"],
            FieldKey::ResourceName => &["name"],
            FieldKey::Category => &["category"],
            FieldKey::Phone => &["phone"],
            FieldKey::Address => &["address"],
            FieldKey::Hours => &["hours"],
            FieldKey::Eligibility => &["eligibility"],
            FieldKey::ResourceNotes => &["notes"],
            FieldKey::AfterHours => &["after hours"],
            FieldKey::Active => &["active"],
            FieldKey::ReferralStatus => &["status"],
            FieldKey::ReferralNote => &["note", "date"],
            FieldKey::CeHours => &["hours", "--hours"],
            FieldKey::CredDate => &["date", "--date"],
            FieldKey::CeCategory => &["category"],
            FieldKey::CeProvider => &["provider"],
            FieldKey::SupWith => &["with", "--with"],
            FieldKey::SupMinutes => &["minutes", "--minutes"],
            FieldKey::SupKind => &["supervision kind", "--kind"],
            FieldKey::SupNote => &["note"],
            FieldKey::CenterName => &["organization name", "center name"],
            FieldKey::StaffName => &["staff name", "name"],
            FieldKey::Initials => &["initials"],
            FieldKey::Pin => &["pin"],
            FieldKey::PinAgain => &["pin again"],
            FieldKey::UnitMinutes => &["unit minutes"],
            FieldKey::UnitThreshold => &["unit threshold minutes", "partial unit"],
            FieldKey::DailyCap => &["daily unit cap", "daily cap"],
            FieldKey::ImportRoster => &["roster"],
            FieldKey::Role => &["role"],
            FieldKey::Login => &["login"],
            FieldKey::PeerName => &["display name", "name"],
            FieldKey::Pronouns => &["pronouns"],
            FieldKey::Email => &["email", "e-mail"],
            FieldKey::Cadence => &["cadence days", "cadence"],
            FieldKey::Assigned => &["assigned staff", "staff"],
            FieldKey::Tags => &["tags"],
            FieldKey::Intake => &["intake date", "intake"],
            FieldKey::Reason => &["reason", "status reason"],
            FieldKey::OnDate => &["date", "status date"],
            FieldKey::MergeFrom => &["duplicate", "merge"],
        }
    }
}

/// One field of a form.
#[derive(Debug, Clone)]
pub struct FormField {
    /// What the field holds; how its value is read.
    pub key: FieldKey,
    /// The label shown (the key's).
    pub label: &'static str,
    /// Its value.
    pub value: Value,
    /// The hint next to it.
    pub hint: Hint,
    /// The problem found at the last save attempt.
    pub error: Option<String>,
    initial: String,
}

impl FormField {
    fn current(&self) -> String {
        match &self.value {
            Value::Text(t) => t.text().to_string(),
            Value::Choice { index, .. } => index.to_string(),
        }
    }
}

/// What a form (a small one, or the check-in form) asks of its owner
/// after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Nothing more.
    None,
    /// A peer was picked in the check-in form: load their goals.
    Picked(crate::model::PeerId),
    /// Save was asked for.
    Save,
    /// Cancel was asked for (the owner asks first if it is dirty).
    Cancel,
}

const CHAIN_TEXT: &[Context] = &[Context::Input, Context::Form, Context::Global];
const CHAIN_CHOICE: &[Context] = &[Context::Choice, Context::Form, Context::Global];

/// A form in a box.
#[derive(Debug, Clone)]
pub struct PopupForm {
    /// The box's title; `{peer}` in it stands for `subject`, drawn as
    /// privacy mode allows.
    pub title: String,
    /// A peer's name (raw) that the title is about, if any.
    pub subject: Option<String>,
    /// A line of context under the title, if any.
    pub intro: Option<String>,
    /// The fields, in Tab order.
    pub fields: Vec<FormField>,
    /// The focused field.
    pub focus: usize,
    /// A save is on its way to the store; edits wait.
    pub saving: bool,
    /// Why the last save failed, when no single field is to blame.
    pub failure: Option<String>,
    theme: Theme,
}

impl PopupForm {
    /// An empty form titled `title`.
    pub fn new(title: impl Into<String>, theme: Theme) -> PopupForm {
        PopupForm {
            title: title.into(),
            subject: None,
            intro: None,
            fields: Vec::new(),
            focus: 0,
            saving: false,
            failure: None,
            theme,
        }
    }

    /// Names the peer the form is about (`{peer}` in the title).
    pub fn about(mut self, peer_name: &str) -> PopupForm {
        self.subject = Some(peer_name.to_string());
        self
    }

    /// Adds a line of context under the title.
    pub fn intro(mut self, text: impl Into<String>) -> PopupForm {
        self.intro = Some(text.into());
        self
    }

    /// Adds a text field holding `initial`, with a grey `placeholder`.
    pub fn text(
        mut self,
        key: FieldKey,
        initial: &str,
        placeholder: &str,
        hint: Hint,
    ) -> PopupForm {
        let mut input = LineInput::new(initial);
        input.set_placeholder(placeholder);
        let field = FormField {
            key,
            label: key.label(),
            value: Value::Text(Box::new(input)),
            hint,
            error: None,
            initial: String::new(),
        };
        self.push(field);
        self
    }

    /// Adds a secret text field (a PIN): each character is drawn as `•`.
    pub fn secret(mut self, key: FieldKey, placeholder: &str, hint: &'static str) -> PopupForm {
        self = self.text(key, "", placeholder, Hint::Plain(hint));
        if let Some(Value::Text(t)) = self.fields.last_mut().map(|f| &mut f.value) {
            t.set_mask('•');
        }
        self
    }

    /// Adds a choice field with `options`, `index` picked.
    pub fn choice(
        mut self,
        key: FieldKey,
        options: Vec<String>,
        index: usize,
        hint: &'static str,
    ) -> PopupForm {
        let index = index.min(options.len().saturating_sub(1));
        let field = FormField {
            key,
            label: key.label(),
            value: Value::Choice { options, index },
            hint: Hint::Plain(hint),
            error: None,
            initial: String::new(),
        };
        self.push(field);
        self
    }

    fn push(&mut self, mut field: FormField) {
        field.initial = field.current();
        self.fields.push(field);
        let focus = self.focus;
        self.set_focus(focus);
    }

    /// Moves the focus (a focused text field selects its text, so typing
    /// replaces a default while arrows keep it).
    pub fn set_focus(&mut self, index: usize) {
        self.focus = index.min(self.fields.len().saturating_sub(1));
        let theme = self.theme;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if let Value::Text(t) = &mut f.value {
                t.set_focused(i == self.focus, &theme);
            }
        }
    }

    /// The focused field.
    pub fn focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus)
    }

    /// The key contexts of the focused field and whether keys type text.
    pub fn context(&self) -> (&'static [Context], bool) {
        match self.focused().map(|f| &f.value) {
            Some(Value::Choice { .. }) => (CHAIN_CHOICE, false),
            _ => (CHAIN_TEXT, true),
        }
    }

    /// The text of field `key` (empty for choices and fields the form
    /// does not have).
    pub fn value(&self, key: FieldKey) -> &str {
        match self.fields.iter().find(|f| f.key == key).map(|f| &f.value) {
            Some(Value::Text(t)) => t.text(),
            _ => "",
        }
    }

    /// The option picked in field `key`.
    pub fn picked(&self, key: FieldKey) -> usize {
        match self.fields.iter().find(|f| f.key == key).map(|f| &f.value) {
            Some(Value::Choice { index, .. }) => *index,
            _ => 0,
        }
    }

    fn step(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        let next = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.set_focus(next);
    }

    /// Handles an action.
    pub fn handle(&mut self, action: Action) -> FormOutcome {
        if self.saving {
            return FormOutcome::None;
        }
        match action {
            Action::Save => return FormOutcome::Save,
            Action::Back => return FormOutcome::Cancel,
            Action::NextField => self.step(true),
            Action::PrevField => self.step(false),
            Action::NextOption | Action::Toggle | Action::PrevOption => {
                let forward = action != Action::PrevOption;
                if let Some(f) = self.fields.get_mut(self.focus) {
                    if let Value::Choice { options, index } = &mut f.value {
                        let n = options.len().max(1);
                        *index = if forward {
                            (*index + 1) % n
                        } else {
                            (*index + n - 1) % n
                        };
                        f.error = None;
                    }
                }
            }
            _ => {}
        }
        FormOutcome::None
    }

    /// A key that was not bound: it edits the focused text field. Enter
    /// moves to the next field, and saves from the last one.
    pub fn text_key(&mut self, ev: KeyEvent) -> FormOutcome {
        if self.saving {
            return FormOutcome::None;
        }
        if ev.code == KeyCode::Enter {
            if self.focus + 1 >= self.fields.len() {
                return FormOutcome::Save;
            }
            self.step(true);
            return FormOutcome::None;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            if let Value::Text(t) = &mut f.value {
                if t.key(ev) {
                    f.error = None;
                    self.failure = None;
                }
            }
        }
        FormOutcome::None
    }

    /// Pastes into the focused text field.
    pub fn paste(&mut self, s: &str) {
        if self.saving {
            return;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            if let Value::Text(t) = &mut f.value {
                if t.paste(s) {
                    f.error = None;
                }
            }
        }
    }

    /// True when closing would lose something typed or picked.
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| f.current() != f.initial)
    }

    /// Shows problems (`field name`, `message` that starts with it) inline
    /// under their fields
    /// and moves to the first one; problems no field claims go to the
    /// footer.
    pub fn show_errors(&mut self, problems: Vec<(String, String)>) {
        self.saving = false;
        self.failure = None;
        for f in &mut self.fields {
            f.error = None;
        }
        let mut first: Option<usize> = None;
        let mut loose: Vec<String> = Vec::new();
        for (field, message) in problems {
            match self.fields.iter().position(|f| {
                f.key
                    .problem_names()
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&field))
            }) {
                Some(i) => {
                    if self.fields[i].error.is_none() {
                        self.fields[i].error = Some(message);
                    }
                    first = Some(first.map_or(i, |f| f.min(i)));
                }
                // Messages carry their field name already.
                None => loose.push(message),
            }
        }
        if !loose.is_empty() {
            self.failure = Some(loose.join("; "));
        }
        if let Some(i) = first {
            self.set_focus(i);
        }
    }

    /// The store refused the save: each field problem goes under its
    /// field, a refusal no field is to blame for under the form.
    pub fn save_failed(&mut self, failure: &Failure) {
        self.show_errors(field_problems(failure));
    }

    /// Problems shown now: inline ones and the footer's.
    pub fn problems(&self) -> Vec<String> {
        let mut v: Vec<String> = self.fields.iter().filter_map(|f| f.error.clone()).collect();
        v.extend(self.failure.clone());
        v
    }

    /// Lines the form needs inside its border.
    fn inner_height(&self) -> u16 {
        let fields: usize = self
            .fields
            .iter()
            .map(|f| 1 + usize::from(f.error.is_some()))
            .sum();
        (usize::from(self.intro.is_some()) + fields + 2) as u16
    }
}

/// A failure as (field, message) pairs for [`PopupForm::show_errors`]:
/// the domain's field problems, or the whole message with no field.
pub fn field_problems(failure: &Failure) -> Vec<(String, String)> {
    if failure.problems.is_empty() {
        return vec![(String::new(), failure.message.clone())];
    }
    failure
        .problems
        .iter()
        .map(|p| (p.field.clone(), p.to_string()))
        .collect()
}

const LABEL_W: usize = 14;

/// The box for a form of `form`'s size inside `area`.
pub fn form_area(form: &PopupForm, area: Rect) -> Rect {
    let width = area.width.saturating_sub(2).min(78);
    let height = form.inner_height() + 2;
    crate::ui::widgets::layout::upper_third(area, width, height)
}

/// Draws the form over `area`.
pub fn render(form: &PopupForm, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    let boxed = form_area(form, area);
    if boxed.width < 20 || boxed.height < 3 {
        return;
    }
    // Clear a column either side too, so no stray character of the pane
    // below sits against the border.
    Clear.render(boxed.outer(Margin::new(1, 0)).intersection(area), buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Span::styled(
            clip(
                &format!(
                    " {} ",
                    form.title.replace(
                        "{peer}",
                        &crate::ui::widgets::cells::name(
                            ctx,
                            form.subject.as_deref().unwrap_or("")
                        )
                    )
                ),
                usize::from(boxed.width.saturating_sub(2)),
            ),
            t.heading(),
        ));
    let inner = block.inner(boxed);
    block.render(boxed, buf);
    let w = usize::from(inner.width);
    // One row after another from the top; what does not fit is not drawn.
    let mut rows = inner.rows();
    let mut line = |buf: &mut Buffer, l: Option<Line<'_>>| {
        let row = rows.next();
        if let (Some(row), Some(l)) = (row, l) {
            l.render(row, buf);
        }
        row
    };
    if let Some(intro) = &form.intro {
        line(buf, Some(Line::styled(clip(intro, w), t.dim())));
    }
    let value_w = w.saturating_sub(LABEL_W).min(34);
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = Span::styled(
            format!(
                "{}{:<lw$}",
                if focused { "▸" } else { " " },
                f.label,
                lw = LABEL_W - 1
            ),
            if focused { t.focus() } else { t.heading() },
        );
        let Some(row) = line(buf, None) else {
            break;
        };
        // The label, the value, a space and the hint.
        let choice = match &f.value {
            Value::Text(_) => None,
            Value::Choice { options, index } => Some(clip(
                &format!(
                    "◂ {} ▸",
                    options.get(*index).map(String::as_str).unwrap_or("")
                ),
                value_w,
            )),
        };
        let used = choice.as_deref().map_or(value_w, crate::text::width);
        let [label_area, value_area, rest] = Layout::horizontal([
            Constraint::Length(LABEL_W as u16),
            Constraint::Length(used as u16),
            Constraint::Fill(1),
        ])
        .areas(row);
        let [_, hint_area] =
            Layout::horizontal([Constraint::Length(1), Constraint::Fill(1)]).areas(rest);
        label.render(label_area, buf);
        match (&f.value, choice) {
            (_, Some(shown)) => Span::styled(shown, if focused { t.selected() } else { t.text() })
                .render(value_area, buf),
            (Value::Text(input), None) => Widget::render(input.area(), value_area, buf),
            (Value::Choice { .. }, None) => {}
        }
        let hint_w = usize::from(hint_area.width);
        if hint_w > 0 {
            let hint = match (&f.hint, &f.value) {
                (Hint::Date(dir, forms), Value::Text(input)) => {
                    if input.is_empty() {
                        forms.to_string()
                    } else {
                        match parse_date("", input.text(), ctx.today, *dir) {
                            Ok(d) => format!("→ {}", pretty_date(d)),
                            Err(_) => forms.to_string(),
                        }
                    }
                }
                (Hint::Plain(s), _) | (Hint::Date(_, s), _) => s.to_string(),
            };
            Span::styled(clip(&hint, hint_w), t.dim()).render(hint_area, buf);
        }
        if let Some(e) = &f.error {
            line(
                buf,
                Some(Line::styled(clip(&format!("  ✗ {e}"), w), t.error())),
            );
        }
    }
    line(buf, None);
    let footer = if form.saving {
        Line::styled("Saving…", t.heading())
    } else if let Some(f) = &form.failure {
        Line::styled(clip(&format!("✗ Not saved: {f}"), w), t.error())
    } else {
        let (chain, typing) = form.context();
        let mut parts = Vec::new();
        for (action, words) in [
            (Action::Save, "save"),
            (Action::NextField, "next field"),
            (Action::Back, "cancel"),
        ] {
            if let Some(k) = ctx.keymap.key_for(chain, typing, action) {
                parts.push(format!("{k} {words}"));
            }
        }
        if matches!(form.focused().map(|f| &f.value), Some(Value::Choice { .. })) {
            if let Some(k) = ctx.keymap.key_for(chain, typing, Action::NextOption) {
                parts.push(format!("{k} change"));
            }
        }
        Line::styled(clip(&parts.join(" · "), w), t.dim())
    };
    line(buf, Some(footer));
}

/// A date as the forms show it: "Tue 01 Dec 2026".
pub fn pretty_date(d: NaiveDate) -> String {
    d.format("%a %d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn form() -> PopupForm {
        PopupForm::new("Test", Theme::mono())
            .choice(FieldKey::Domain, vec!["a".into(), "b".into()], 0, "")
            .text(FieldKey::Title, "", "", Hint::Plain("in their words"))
            .text(
                FieldKey::Target,
                "",
                "",
                Hint::Date(Direction::Future, "+30d"),
            )
    }

    #[test]
    fn problems_land_under_their_fields_and_the_rest_in_the_footer() {
        let mut f = form();
        let refused = crate::model::ValidationError {
            problems: vec![
                crate::model::validate::FieldError {
                    field: "target date".into(),
                    problem: "2026-01-01 is before the start date 2026-02-01; nothing was saved"
                        .into(),
                },
                crate::model::validate::FieldError {
                    field: "goal 3".into(),
                    problem: "was changed by someone".into(),
                },
            ],
        };
        f.save_failed(&Failure::from(refused));
        assert_eq!(f.focus, 2);
        assert!(f.fields[2].error.as_deref().is_some_and(|e| e
            .starts_with("target date: 2026-01-01")
            && e.ends_with("; nothing was saved")));
        assert_eq!(f.failure.as_deref(), Some("goal 3: was changed by someone"));
        // A sentence naming no field goes to the footer whole.
        f.save_failed(&Failure::from(
            "goal G3 was changed by S2 since you opened it; reload it",
        ));
        assert!(f.fields.iter().all(|x| x.error.is_none()));
        assert_eq!(
            f.failure.as_deref(),
            Some("goal G3 was changed by S2 since you opened it; reload it")
        );
    }

    #[test]
    fn enter_moves_on_and_saves_from_the_last_field_and_typing_marks_dirty() {
        let mut f = form();
        assert!(!f.is_dirty());
        assert_eq!(f.handle(Action::NextOption), FormOutcome::None);
        assert!(f.is_dirty());
        f.handle(Action::NextField);
        f.text_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        assert_eq!(f.value(FieldKey::Title), "x");
        assert_eq!(
            f.text_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            FormOutcome::None
        );
        assert_eq!(f.focus, 2);
        assert_eq!(
            f.text_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            FormOutcome::Save
        );
    }
}
