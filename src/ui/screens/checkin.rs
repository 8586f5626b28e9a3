//! The check-in form: the most frequent thing staff do, so it opens from
//! anywhere with one key, preselects the peer on screen, starts in the
//! note once the peer is picked, and saves from any field.
//!
//! Fields have the usual defaults (now, 15 minutes, in person, no support
//! kinds, no goals ticked, no wellbeing, no follow-up). Bad values are
//! reported inline, naming the field, and nothing typed is ever dropped:
//! the form stays open until the store confirms the save.

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};
use ratatui_textarea::{TextArea, WrapMode};

use crate::model::dates::{parse_date, parse_datetime, Direction};
use crate::model::{
    CheckIn, CheckInMode, Choice, Entity, Goal, GoalId, LifeDomain, PeerId, Record, StaffId,
    SupportKind,
};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::roster::RosterSearch;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, clip_name, fit};
pub use crate::ui::widgets::form::FormOutcome;
use crate::ui::widgets::input::{area_text, note_key, note_paste, style_area, LineInput};
use crate::ui::widgets::layout::split_cols;
use crate::ui::widgets::list::draw_lines;
use crate::ui::widgets::picker::{render_list, PeerPicker};
use crate::ui::worker::Failure;

/// The form's fields, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Who the check-in is with.
    Peer,
    /// What happened.
    Note,
    /// When it began.
    When,
    /// How long it lasted.
    Minutes,
    /// How it happened.
    Mode,
    /// Kinds of support given.
    Support,
    /// Goals it touched.
    Goals,
    /// The peer's own 1–5 rating.
    Wellbeing,
    /// When to be in touch next.
    FollowUp,
}

impl Field {
    /// Every field in Tab order.
    pub const ALL: [Field; 9] = [
        Field::Peer,
        Field::Note,
        Field::When,
        Field::Minutes,
        Field::Mode,
        Field::Support,
        Field::Goals,
        Field::Wellbeing,
        Field::FollowUp,
    ];

    /// The label shown, also used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Peer => "peer",
            Field::Note => "note",
            Field::When => "when",
            Field::Minutes => "minutes",
            Field::Mode => "mode",
            Field::Support => "support",
            Field::Goals => "goals",
            Field::Wellbeing => "wellbeing",
            Field::FollowUp => "follow-up",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Field::Peer => "Peer",
            Field::Note => "Note",
            Field::When => "When",
            Field::Minutes => "Minutes",
            Field::Mode => "Mode",
            Field::Support => "Support",
            Field::Goals => "Goals",
            Field::Wellbeing => "Wellbeing",
            Field::FollowUp => "Follow-up",
        }
    }

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    fn step(self, forward: bool) -> Field {
        let n = Field::ALL.len();
        let i = self.index();
        Field::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// The field a model validation problem is about.
    pub fn from_problem(field: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.label() == field)
    }

    fn is_choice(self) -> bool {
        matches!(self, Field::Mode | Field::Support | Field::Goals)
    }
}

/// A goal of the peer that the check-in may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalChoice {
    /// The goal.
    pub id: GoalId,
    /// Its title, raw.
    pub title: String,
    /// Its life domain.
    pub domain: LifeDomain,
    /// Ticked in this check-in.
    pub ticked: bool,
}

/// The peer's goals, as far as they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goals {
    /// No peer picked yet.
    NoPeer,
    /// On their way from the store.
    Loading,
    /// The peer's active goals.
    Loaded(Vec<GoalChoice>),
    /// Loading failed; the check-in can still be saved without goals.
    Failed(String),
}

/// The default of the "when" field.
pub const DEFAULT_WHEN: &str = "now";
/// The default of the minutes field.
pub const DEFAULT_MINUTES: &str = "15";

/// State of the check-in form.
pub struct CheckInForm {
    /// Peer search.
    pub picker: PeerPicker,
    /// The picked peer.
    pub peer: Option<(PeerId, String)>,
    /// The note, multi-line.
    pub note: TextArea<'static>,
    /// When it began (`now`, `14:30`, `yesterday 9:15`).
    pub when: LineInput,
    /// Minutes.
    pub minutes: LineInput,
    /// Mode.
    pub mode: CheckInMode,
    /// Support kinds ticked.
    pub support: Vec<SupportKind>,
    /// Cursor in the support kinds.
    pub support_cursor: usize,
    /// Goals of the peer.
    pub goals: Goals,
    /// Cursor in the goals.
    pub goal_cursor: usize,
    /// Wellbeing 1–5, optional.
    pub wellbeing: LineInput,
    /// Follow-up date, optional (`+7d`, `friday`).
    pub follow_up: LineInput,
    /// The focused field.
    pub focus: Field,
    /// Problems found at the last save attempt, by field.
    pub errors: Vec<(Field, String)>,
    /// A save is on its way to the store; edits wait.
    pub saving: bool,
    /// Why the store refused the last save.
    pub failure: Option<String>,
    theme: Theme,
    /// The saved check-in this form corrects (None: a new check-in), and
    /// the "when" text it was filled in with.
    pub editing: Option<(Record<CheckIn>, String)>,
}

impl CheckInForm {
    /// A new form with defaults; `preselected` is highlighted in the picker.
    pub fn new(
        roster: &RosterSearch,
        preselected: Option<(PeerId, String)>,
        theme: Theme,
    ) -> CheckInForm {
        let mut note = TextArea::default();
        note.set_wrap_mode(WrapMode::WordOrGlyph);
        note.set_placeholder_text("What happened, in the peer's words (Enter starts a new line)");
        let mut wellbeing = LineInput::default();
        wellbeing.set_placeholder("1-5");
        let mut follow_up = LineInput::default();
        follow_up.set_placeholder("none");
        let mut form = CheckInForm {
            picker: PeerPicker::new(roster, preselected),
            peer: None,
            note,
            when: LineInput::new(DEFAULT_WHEN),
            minutes: LineInput::new(DEFAULT_MINUTES),
            mode: CheckInMode::InPerson,
            support: Vec::new(),
            support_cursor: 0,
            goals: Goals::NoPeer,
            goal_cursor: 0,
            wellbeing,
            follow_up,
            focus: Field::Peer,
            errors: Vec::new(),
            saving: false,
            failure: None,
            theme,
            editing: None,
        };
        form.set_focus(Field::Peer);
        form
    }

    /// A form filled in with a saved check-in, to correct it (the peer
    /// stays; the goals tick once they are loaded).
    pub fn correcting(
        roster: &RosterSearch,
        rec: Record<CheckIn>,
        name: String,
        theme: Theme,
    ) -> CheckInForm {
        let mut form = CheckInForm::new(roster, Some((rec.peer, name.clone())), theme);
        let when = crate::model::dates::CENTER
            .at(&rec.at)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        form.peer = Some((rec.peer, name));
        form.goals = Goals::Loading;
        form.note = TextArea::new(rec.note.lines().map(str::to_string).collect());
        form.note.set_wrap_mode(WrapMode::WordOrGlyph);
        form.when = LineInput::new(&when);
        form.minutes = LineInput::new(&rec.minutes.to_string());
        form.mode = rec.mode;
        form.support = rec.support.clone();
        form.wellbeing
            .set_text(&rec.wellbeing.map(|w| w.to_string()).unwrap_or_default());
        form.follow_up
            .set_text(&rec.follow_up.map(|f| f.to_string()).unwrap_or_default());
        form.editing = Some((rec, when));
        form.set_focus(Field::Note);
        form
    }

    /// The corrected check-in: what [`CheckInForm::build`] gives, with the
    /// saved one's staff, its exact time unless "when" was changed, and
    /// its goals that the form does not list (no longer active) kept.
    pub fn corrected(
        &self,
        now: DateTime<FixedOffset>,
    ) -> Option<Result<CheckIn, Vec<(Field, String)>>> {
        let (orig, when) = self.editing.as_ref()?;
        Some(self.build(orig.staff, now).map(|mut c| {
            if self.when.text().trim() == when {
                c.at = orig.at;
            }
            match &self.goals {
                Goals::Loaded(list) => {
                    for g in &orig.goals {
                        if !list.iter().any(|l| l.id == *g) && !c.goals.contains(g) {
                            c.goals.push(*g);
                        }
                    }
                }
                _ => c.goals = orig.goals.clone(),
            }
            c.voided = orig.voided.clone();
            c
        }))
    }

    /// The key contexts for the focused field, most specific first, and
    /// whether printable keys type text.
    pub fn context(&self) -> (&'static [Context], bool) {
        match self.focus {
            Field::Peer => (
                &[
                    Context::Input,
                    Context::Form,
                    Context::List,
                    Context::Global,
                ],
                true,
            ),
            f if f.is_choice() => (&[Context::Choice, Context::Form, Context::Global], false),
            _ => (&[Context::Input, Context::Form, Context::Global], true),
        }
    }

    /// Moves the focus, updating which field shows a cursor.
    pub fn set_focus(&mut self, field: Field) {
        self.focus = field;
        let t = self.theme;
        self.picker.query.set_focused(field == Field::Peer, &t);
        style_area(&mut self.note, field == Field::Note, &t);
        self.when.set_focused(field == Field::When, &t);
        self.minutes.set_focused(field == Field::Minutes, &t);
        self.wellbeing.set_focused(field == Field::Wellbeing, &t);
        self.follow_up.set_focused(field == Field::FollowUp, &t);
    }

    /// Handles an action; `height` is the picker's visible rows.
    pub fn handle(&mut self, action: Action) -> FormOutcome {
        if self.saving {
            return FormOutcome::None;
        }
        match action {
            Action::Save => return FormOutcome::Save,
            Action::Back => return FormOutcome::Cancel,
            Action::NextField => self.set_focus(self.focus.step(true)),
            Action::PrevField => self.set_focus(self.focus.step(false)),
            _ => {}
        }
        match (self.focus, action) {
            (Field::Peer, Action::Open) => return self.pick(),
            (Field::Peer, a) => {
                self.picker.handle(a);
            }
            (Field::Mode, Action::NextOption | Action::Toggle) => {
                self.mode = cycle(self.mode, true)
            }
            (Field::Mode, Action::PrevOption) => self.mode = cycle(self.mode, false),
            (Field::Support, Action::NextOption) => {
                self.support_cursor = (self.support_cursor + 1).min(SupportKind::ALL.len() - 1)
            }
            (Field::Support, Action::PrevOption) => {
                self.support_cursor = self.support_cursor.saturating_sub(1)
            }
            (Field::Support, Action::Toggle) => {
                if let Some(kind) = SupportKind::ALL.get(self.support_cursor) {
                    match self.support.iter().position(|k| k == kind) {
                        Some(i) => {
                            self.support.remove(i);
                        }
                        None => {
                            self.support.push(*kind);
                            self.support.sort();
                        }
                    }
                }
            }
            (Field::Goals, a) => {
                if let Goals::Loaded(list) = &mut self.goals {
                    match a {
                        Action::NextOption => {
                            self.goal_cursor =
                                (self.goal_cursor + 1).min(list.len().saturating_sub(1))
                        }
                        Action::PrevOption => self.goal_cursor = self.goal_cursor.saturating_sub(1),
                        Action::Toggle => {
                            if let Some(g) = list.get_mut(self.goal_cursor) {
                                g.ticked = !g.ticked;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        FormOutcome::None
    }

    fn pick(&mut self) -> FormOutcome {
        let Some(c) = self.picker.selected() else {
            return FormOutcome::None;
        };
        let (id, name) = (c.id, c.name.clone());
        let changed = self.peer.as_ref().map(|(p, _)| *p) != Some(id);
        self.peer = Some((id, name));
        self.errors.retain(|(f, _)| *f != Field::Peer);
        self.set_focus(Field::Note);
        if changed {
            self.goals = Goals::Loading;
            self.goal_cursor = 0;
            FormOutcome::Picked(id)
        } else {
            FormOutcome::None
        }
    }

    /// A key that was not bound: it edits the focused text field. Enter in
    /// a one-line field moves to the next field.
    pub fn text_key(&mut self, ev: KeyEvent) -> FormOutcome {
        if self.saving {
            return FormOutcome::None;
        }
        let field = self.focus;
        if ev.code == KeyCode::Enter && !matches!(field, Field::Note | Field::Peer) {
            self.set_focus(field.step(true));
            return FormOutcome::None;
        }
        let changed = match field {
            Field::Peer => {
                if ev.code == KeyCode::Enter {
                    return self.pick();
                }
                self.picker.text_key(ev);
                false
            }
            Field::Note => note_key(&mut self.note, ev),
            Field::When => self.when.key(ev),
            Field::Minutes => self.minutes.key(ev),
            Field::Wellbeing => self.wellbeing.key(ev),
            Field::FollowUp => self.follow_up.key(ev),
            Field::Mode | Field::Support | Field::Goals => false,
        };
        if changed {
            self.errors.retain(|(f, _)| *f != field);
        }
        FormOutcome::None
    }

    /// Pastes into the focused text field.
    pub fn paste(&mut self, s: &str) {
        if self.saving {
            return;
        }
        match self.focus {
            Field::Peer => self.picker.paste(s),
            Field::Note => {
                note_paste(&mut self.note, s);
            }
            Field::When => {
                self.when.paste(s);
            }
            Field::Minutes => {
                self.minutes.paste(s);
            }
            Field::Wellbeing => {
                self.wellbeing.paste(s);
            }
            Field::FollowUp => {
                self.follow_up.paste(s);
            }
            Field::Mode | Field::Support | Field::Goals => {}
        }
    }

    /// Takes the goals loaded for `peer` (ignored if another peer was picked
    /// meanwhile).
    pub fn set_goals(&mut self, peer: PeerId, result: Result<Vec<Record<Goal>>, String>) {
        if self.peer.as_ref().map(|(p, _)| *p) != Some(peer) {
            return;
        }
        self.goals = match result {
            Ok(list) => Goals::Loaded(
                list.into_iter()
                    .map(|g| GoalChoice {
                        id: g.id,
                        ticked: self
                            .editing
                            .as_ref()
                            .is_some_and(|(c, _)| c.goals.contains(&g.id)),
                        title: g.data.title,
                        domain: g.data.domain,
                    })
                    .collect(),
            ),
            Err(e) => Goals::Failed(e),
        };
    }

    /// The roster changed (reloaded): the picker follows.
    pub fn set_roster(&mut self, roster: &RosterSearch) {
        self.picker.set_roster(roster, None);
    }

    /// True when leaving would lose something typed or chosen.
    pub fn is_dirty(&self) -> bool {
        if let Some((c, when)) = &self.editing {
            let text = |i: &LineInput| i.text().trim().to_string();
            let opt = |v: Option<String>| v.unwrap_or_default();
            return area_text(&self.note).trim_end() != c.note.trim_end()
                || text(&self.when) != *when
                || text(&self.minutes) != c.minutes.to_string()
                || self.mode != c.mode
                || self.support != c.support
                || matches!(&self.goals, Goals::Loaded(l)
                    if l.iter().any(|g| g.ticked != c.goals.contains(&g.id)))
                || text(&self.wellbeing) != opt(c.wellbeing.map(|w| w.to_string()))
                || text(&self.follow_up) != opt(c.follow_up.map(|f| f.to_string()));
        }
        !area_text(&self.note).trim().is_empty()
            || self.when.text().trim() != DEFAULT_WHEN
            || self.minutes.text().trim() != DEFAULT_MINUTES
            || self.mode != CheckInMode::InPerson
            || !self.support.is_empty()
            || matches!(&self.goals, Goals::Loaded(l) if l.iter().any(|g| g.ticked))
            || !self.wellbeing.is_empty()
            || !self.follow_up.is_empty()
    }

    /// The check-in the form describes, or every problem, by field.
    pub fn build(
        &self,
        staff: StaffId,
        now: DateTime<FixedOffset>,
    ) -> Result<CheckIn, Vec<(Field, String)>> {
        let mut errs: Vec<(Field, String)> = Vec::new();
        let peer = match &self.peer {
            Some((p, _)) => Some(*p),
            None => {
                errs.push((
                    Field::Peer,
                    "peer: pick a peer first (type part of a name, then Enter)".into(),
                ));
                None
            }
        };
        let at = match parse_datetime("when", self.when.text(), now) {
            Ok(at) => Some(at),
            Err(e) => {
                errs.push((Field::When, e.to_string()));
                None
            }
        };
        let minutes_text = self.minutes.text().trim();
        let minutes = if minutes_text.is_empty() {
            errs.push((
                Field::Minutes,
                "minutes: give the length in minutes, like 15".into(),
            ));
            None
        } else {
            match minutes_text.parse::<u16>() {
                Ok(m) => Some(m),
                Err(_) => {
                    errs.push((
                        Field::Minutes,
                        format!(
                            "minutes: '{}' is not a whole number of minutes",
                            clip(minutes_text, 20)
                        ),
                    ));
                    None
                }
            }
        };
        let wb_text = self.wellbeing.text().trim();
        let wellbeing = if wb_text.is_empty() {
            None
        } else {
            match wb_text.parse::<u8>() {
                Ok(w) => Some(w),
                Err(_) => {
                    errs.push((
                        Field::Wellbeing,
                        format!(
                            "wellbeing: '{}' is not a rating; give 1 (low) to 5 (high), or leave it empty",
                            clip(wb_text, 20)
                        ),
                    ));
                    None
                }
            }
        };
        let fu_text = self.follow_up.text().trim();
        let follow_up = if fu_text.is_empty() {
            None
        } else {
            let today = at
                .map(|a| a.date_naive())
                .unwrap_or_else(|| now.date_naive());
            match parse_date("follow-up", fu_text, today, Direction::Future) {
                Ok(d) => Some(d),
                Err(e) => {
                    errs.push((Field::FollowUp, e.to_string()));
                    None
                }
            }
        };
        let (Some(peer), Some(at), Some(minutes)) = (peer, at, minutes) else {
            return Err(errs);
        };
        let mut c = CheckIn::new(peer, staff, at);
        c.minutes = minutes;
        c.mode = self.mode;
        c.support = self.support.clone();
        if let Goals::Loaded(list) = &self.goals {
            c.goals = list.iter().filter(|g| g.ticked).map(|g| g.id).collect();
        }
        c.wellbeing = wellbeing;
        c.note = area_text(&self.note).trim_end().to_string();
        c.follow_up = follow_up;
        if let Err(v) = c.validate() {
            for p in v.problems {
                let field = Field::from_problem(&p.field).unwrap_or(Field::Note);
                if !errs.iter().any(|(f, _)| *f == field) {
                    errs.push((field, p.to_string()));
                }
            }
        }
        if errs.is_empty() {
            Ok(c)
        } else {
            Err(errs)
        }
    }

    /// Shows problems inline and moves to the first bad field.
    pub fn show_errors(&mut self, mut errors: Vec<(Field, String)>) {
        errors.sort_by_key(|(f, _)| f.index());
        if let Some((f, _)) = errors.first() {
            self.set_focus(*f);
        }
        self.errors = errors;
    }

    /// The store refused the save: keep everything, say why.
    pub fn save_failed(&mut self, message: String) {
        self.saving = false;
        self.failure = Some(message);
    }

    /// The store refused the save: each of the domain's field problems
    /// goes under its field (as when the form found it), the rest under
    /// the form; everything typed stays.
    pub fn refused(&mut self, failure: &Failure) {
        self.saving = false;
        let mut inline: Vec<(Field, String)> = Vec::new();
        let mut rest: Vec<String> = Vec::new();
        for p in &failure.problems {
            match Field::from_problem(&p.field) {
                Some(f) if !inline.iter().any(|(g, _)| *g == f) => inline.push((f, p.to_string())),
                _ => rest.push(p.to_string()),
            }
        }
        if failure.problems.is_empty() {
            rest.push(failure.message.clone());
        }
        self.failure = (!rest.is_empty()).then(|| rest.join("; "));
        if !inline.is_empty() {
            self.show_errors(inline);
        }
    }

    /// The problem shown for a field.
    pub fn error_for(&self, field: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn cycle(mode: CheckInMode, forward: bool) -> CheckInMode {
    let all = CheckInMode::ALL;
    let i = all.iter().position(|m| *m == mode).unwrap_or(0);
    let n = all.len();
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

const LABEL_W: u16 = 11;

fn label(field: Field, focus: Field, t: &Theme) -> Span<'static> {
    let style = if field == focus {
        t.focus()
    } else {
        t.heading()
    };
    let marker = if field == focus { "▸" } else { " " };
    Span::styled(
        format!(
            "{marker}{:<w$}",
            field.title(),
            w = usize::from(LABEL_W) - 1
        ),
        style,
    )
}

/// The value column of a form row (right of the labels).
fn value_of(row: Rect) -> Rect {
    split_cols(row, LABEL_W).1
}

/// The first `width` columns of `area`.
fn first_cols(area: Rect, width: u16) -> Rect {
    split_cols(area, width).0
}

/// What is left of `area` after `width` columns.
fn after_cols(area: Rect, width: u16) -> Rect {
    split_cols(area, width).1
}

/// Draws the form over `area`.
pub fn render(form: &CheckInForm, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    ratatui::widgets::Clear.render(area, buf);
    let title = match &form.peer {
        Some((id, name)) => match &form.editing {
            Some((c, _)) => format!(
                " Correcting check-in {} with {} ({id}) ",
                c.id,
                clip_name(ctx, name, 40)
            ),
            None => format!(" Check-in with {} ({id}) ", clip_name(ctx, name, 40)),
        },
        None => " New check-in ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Span::styled(title, t.heading()));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 3 || inner.width < LABEL_W + 10 {
        return;
    }
    let value_w = inner.width - LABEL_W;
    // Right-hand note for a field after `used` columns of its value: its
    // problem, else a hint.
    let side = |buf: &mut Buffer, row: Rect, used: u16, field: Field, hint: String| {
        let note = after_cols(value_of(row), used + 1);
        if note.width == 0 {
            return;
        }
        let (text, style) = match form.error_for(field) {
            Some(e) => (format!("✗ {e}"), t.error()),
            None => (hint, t.dim()),
        };
        Line::styled(clip(&text, usize::from(note.width)), style).render(note, buf);
    };

    // Peer, and the picker below it while choosing.
    let [peer_row, below_peer, footer_row] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    label(Field::Peer, form.focus, t).render(peer_row, buf);
    if form.focus == Field::Peer {
        let w = (value_w / 2).max(12);
        Widget::render(
            form.picker.query.area(),
            first_cols(value_of(peer_row), w),
            buf,
        );
        side(
            buf,
            peer_row,
            w,
            Field::Peer,
            "Enter picks the highlighted peer".into(),
        );
        render_list(&form.picker, ctx, value_of(below_peer), buf);
        footer(form, ctx, footer_row, buf);
        return;
    }
    let name = match &form.peer {
        Some((id, name)) => format!(
            "{} ({id})",
            clip_name(ctx, name, usize::from(value_w).saturating_sub(8))
        ),
        None => "nobody picked yet".into(),
    };
    Line::raw(name.clone()).render(value_of(peer_row), buf);
    side(
        buf,
        peer_row,
        crate::text::width(&name) as u16,
        Field::Peer,
        String::new(),
    );

    // Fixed rows below the note, which takes the rest.
    let support_lines = support_spans(form, t, usize::from(value_w));
    let goal_rows: u16 = match &form.goals {
        Goals::Loaded(l) if !l.is_empty() => (l.len() as u16).min(4),
        _ => 1,
    };
    let fixed = 1 /*when*/ + 1 /*minutes*/ + 1 /*mode*/ + support_lines.len() as u16 + goal_rows + 1 /*wellbeing*/ + 1 /*follow-up*/ + 1 /*footer*/;
    let note_h = inner.height.saturating_sub(1 + fixed).max(1);
    let [_, note_area, when_row, minutes_row, mode_row, support_area, goals_area, wellbeing_row, follow_row] =
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(note_h),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(support_lines.len() as u16),
            Constraint::Length(goal_rows),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);

    // Note.
    let note_rect = value_of(note_area);
    label(Field::Note, form.focus, t).render(note_area, buf);
    if let Some(e) = form.error_for(Field::Note) {
        let (error_row, rest) = crate::ui::widgets::layout::head_body(note_rect);
        Line::styled(clip(&format!("✗ {e}"), usize::from(value_w)), t.error())
            .render(error_row, buf);
        Widget::render(&form.note, rest, buf);
    } else {
        Widget::render(&form.note, note_rect, buf);
    }

    // When.
    label(Field::When, form.focus, t).render(when_row, buf);
    Widget::render(form.when.area(), first_cols(value_of(when_row), 20), buf);
    let when_hint = match parse_datetime("when", form.when.text(), ctx.now) {
        Ok(at) => format!("→ {}", at.format("%a %d %b %H:%M")),
        Err(_) => "now, 14:30, yesterday 9:15, 2026-11-20 10:00".into(),
    };
    side(buf, when_row, 20, Field::When, when_hint);

    // Minutes.
    label(Field::Minutes, form.focus, t).render(minutes_row, buf);
    Widget::render(
        form.minutes.area(),
        first_cols(value_of(minutes_row), 6),
        buf,
    );
    side(
        buf,
        minutes_row,
        6,
        Field::Minutes,
        "1 unit of service per 15 minutes".into(),
    );

    // Mode.
    label(Field::Mode, form.focus, t).render(mode_row, buf);
    let mut spans = Vec::new();
    for m in CheckInMode::ALL {
        let on = *m == form.mode;
        let style = if on && form.focus == Field::Mode {
            t.selected()
        } else if on {
            t.heading()
        } else {
            t.text()
        };
        spans.push(Span::styled(
            format!("({}) {}", if on { "•" } else { " " }, m.label()),
            style,
        ));
        spans.push(Span::raw("  "));
    }
    Line::from(spans).render(value_of(mode_row), buf);
    side_error_only(form, Field::Mode, t, mode_row, buf);

    // Support.
    label(Field::Support, form.focus, t).render(support_area, buf);
    draw_lines(support_lines, value_of(support_area), buf);

    // Goals.
    label(Field::Goals, form.focus, t).render(goals_area, buf);
    let goals_value = value_of(goals_area);
    match &form.goals {
        Goals::NoPeer => {
            Line::styled("pick a peer to see their goals", t.dim()).render(goals_value, buf)
        }
        Goals::Loading => Line::styled("loading goals…", t.dim()).render(goals_value, buf),
        Goals::Failed(e) => Line::styled(
            clip(&format!("could not load goals: {e}"), usize::from(value_w)),
            t.error(),
        )
        .render(goals_value, buf),
        Goals::Loaded(list) if list.is_empty() => {
            Line::styled("no active goals", t.dim()).render(goals_value, buf)
        }
        Goals::Loaded(list) => {
            let h = usize::from(goal_rows);
            let offset = crate::ui::widgets::list::visible_offset(form.goal_cursor, 0, h);
            let rows = list.iter().enumerate().skip(offset).map(|(i, g)| {
                let cursor = form.focus == Field::Goals && i == form.goal_cursor;
                let text = format!(
                    "[{}] {} {} ({})",
                    if g.ticked { "x" } else { " " },
                    g.id,
                    g.title,
                    g.domain.label()
                );
                let style = if cursor { t.selected() } else { t.text() };
                Line::styled(fit(&text, usize::from(value_w)), style)
            });
            draw_lines(rows, goals_value, buf);
        }
    }

    // Wellbeing.
    label(Field::Wellbeing, form.focus, t).render(wellbeing_row, buf);
    Widget::render(
        form.wellbeing.area(),
        first_cols(value_of(wellbeing_row), 4),
        buf,
    );
    side(
        buf,
        wellbeing_row,
        4,
        Field::Wellbeing,
        "the peer's own rating, 1 (low) to 5 (high); optional".into(),
    );

    // Follow-up.
    label(Field::FollowUp, form.focus, t).render(follow_row, buf);
    Widget::render(
        form.follow_up.area(),
        first_cols(value_of(follow_row), 16),
        buf,
    );
    let fu_hint = if form.follow_up.is_empty() {
        "+7d, friday, 2026-12-01; empty for none".to_string()
    } else {
        match parse_date(
            "follow-up",
            form.follow_up.text(),
            ctx.now.date_naive(),
            Direction::Future,
        ) {
            Ok(d) => format!("→ {}", d.format("%a %d %b %Y")),
            Err(_) => "+7d, friday, 2026-12-01; empty for none".into(),
        }
    };
    side(buf, follow_row, 16, Field::FollowUp, fu_hint);

    footer(form, ctx, footer_row, buf);
}

/// A field's problem in the right half of its row.
fn side_error_only(form: &CheckInForm, field: Field, t: &Theme, row: Rect, buf: &mut Buffer) {
    if let Some(e) = form.error_for(field) {
        let right = after_cols(row, row.width / 2);
        Line::styled(clip(&format!("✗ {e}"), usize::from(right.width)), t.error())
            .render(right, buf);
    }
}

fn support_spans(form: &CheckInForm, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (i, kind) in SupportKind::ALL.iter().enumerate() {
        let on = form.support.contains(kind);
        let text = format!("[{}] {}", if on { "x" } else { " " }, kind.label());
        let w = text.len() + 2;
        if used > 0 && used + w > width {
            lines.push(Line::from(std::mem::take(&mut cur)));
            used = 0;
        }
        let cursor = form.focus == Field::Support && i == form.support_cursor;
        cur.push(Span::styled(
            text,
            if cursor { t.selected() } else { t.text() },
        ));
        cur.push(Span::raw("  "));
        used += w;
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

fn footer(form: &CheckInForm, ctx: &ViewCtx<'_>, row: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    let w = usize::from(row.width);
    let line = if form.saving {
        Line::styled("Saving…", t.heading())
    } else if let Some(f) = &form.failure {
        Line::styled(clip(&format!("Not saved: {f}"), w), t.error())
    } else if let Some((_, e)) = form.errors.first() {
        let more = if form.errors.len() > 1 {
            format!(" (+{} more)", form.errors.len() - 1)
        } else {
            String::new()
        };
        Line::styled(clip(&format!("Not saved: {e}{more}"), w), t.error())
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
        if form.focus == Field::Support || form.focus == Field::Goals {
            if let Some(k) = ctx.keymap.key_for(chain, typing, Action::Toggle) {
                parts.push(format!("{k} tick"));
            }
        }
        Line::styled(clip(&parts.join(" · "), w), t.dim())
    };
    line.render(row, buf);
}
