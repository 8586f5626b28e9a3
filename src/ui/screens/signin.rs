//! The sign-in and lock screens: pick your name (fuzzy), type your PIN.
//!
//! Both screens stand in for the whole UI, title and status bar included,
//! and are drawn from this state alone — they never read peer state, so
//! nothing about peers can leak onto a shared screen while nobody is
//! signed in. The PIN is kept only here and in the request that checks
//! it; it is never drawn (each character shows as `•`) and never shown by
//! `Debug`.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect, Rows};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::model::{Choice, StaffId};
use crate::ops::auth::MAX_PIN_CHARS;
use crate::search::NameMatcher;
use crate::text::is_unsafe;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, clip_left, fit};
use crate::ui::widgets::input::{clean_paste, LineInput};
use crate::ui::widgets::list::ListCursor;
use crate::ui::widgets::status_line::render_hints;
use crate::ui::widgets::title_bar;
use crate::ui::worker::{Secret, SignInCandidate};

/// Keys while typing a name or a PIN: printable keys type, Enter picks or
/// signs in (`open` in lists), arrows move, Esc goes back.
pub const CHAIN_TYPING: &[Context] = &[Context::Input, Context::List, Context::Global];
/// Keys on the lock screen when no PIN is needed: Enter resumes.
pub const CHAIN_RESUME: &[Context] = &[Context::List, Context::Global];

/// Why the sign-in screen is up: admitting someone at start, or to a
/// locked session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Starting caseload: nobody is signed in yet.
    Start,
    /// The session of `previous` is locked; they resume with their PIN,
    /// anyone else starts a fresh session.
    Unlock {
        /// Whose session is locked (None when nobody was chosen).
        previous: Option<SignInCandidate>,
        /// How it came to be locked, for the screen ("after 5 minutes
        /// without input").
        reason: String,
    },
}

/// Where the screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choosing a name from the list.
    Name,
    /// Typing the PIN of the chosen staff member.
    Pin,
    /// Lock screen without PINs: Enter resumes.
    Resume,
}

/// What the app should do after the screen handled an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Nothing more.
    None,
    /// Check this PIN for this staff member.
    Submit(StaffId, Secret),
    /// This staff member was chosen and no PIN is needed.
    Chosen(Option<SignInCandidate>),
}

/// The PIN typed so far; `Debug` hides it.
#[derive(Clone, Default, PartialEq, Eq)]
struct PinField(String);

impl std::fmt::Debug for PinField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PinField({} chars)", self.0.chars().count())
    }
}

/// State of the sign-in (and lock) screen.
pub struct SignInState {
    /// Starting, or unlocking.
    pub purpose: Admission,
    /// Staff must type a PIN (some staff member has one).
    pub required: bool,
    /// Where the screen is.
    pub step: Step,
    /// Active staff, by name.
    pub candidates: Vec<SignInCandidate>,
    /// The name typed.
    pub query: LineInput,
    /// Indices into `candidates` that match, best first.
    pub hits: Vec<usize>,
    /// Selection in `hits`.
    pub cursor: ListCursor,
    /// The staff member whose PIN is asked for.
    pub chosen: Option<SignInCandidate>,
    pin: PinField,
    /// A PIN is being checked.
    pub waiting: bool,
    /// What to tell the user ("Wrong PIN."), and whether it is an error.
    message: Option<(String, bool)>,
    /// The message is the "too many wrong PINs" wait: it changes to "you
    /// can try again" when the wait is over.
    message_is_wait: bool,
    /// No new try before this moment (too many wrong PINs).
    pub retry_until: Option<Instant>,
    matcher: NameMatcher,
}

impl std::fmt::Debug for SignInState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInState")
            .field("purpose", &self.purpose)
            .field("step", &self.step)
            .field("chosen", &self.chosen.as_ref().map(|c| c.staff.id))
            .field("pin", &self.pin)
            .field("waiting", &self.waiting)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl SignInState {
    /// A screen over `candidates`. With `preselect` (the OS login's staff
    /// member, `--staff`, or the only one) the name step is skipped.
    pub fn new(
        purpose: Admission,
        required: bool,
        candidates: Vec<SignInCandidate>,
        preselect: Option<StaffId>,
        theme: &Theme,
    ) -> SignInState {
        let mut query = LineInput::default();
        query.set_placeholder("type part of your name");
        query.set_focused(true, theme);
        let mut s = SignInState {
            purpose,
            required,
            step: Step::Name,
            candidates,
            query,
            hits: Vec::new(),
            cursor: ListCursor::default(),
            chosen: None,
            pin: PinField::default(),
            waiting: false,
            message: None,
            message_is_wait: false,
            retry_until: None,
            matcher: NameMatcher::default(),
        };
        s.refilter();
        let pre = preselect.and_then(|id| s.candidates.iter().find(|c| c.staff.id == id).cloned());
        match (&s.purpose, pre) {
            (Admission::Unlock { previous, .. }, _) => {
                let previous = previous.clone();
                s.chosen = previous.clone();
                s.step = match (required, previous) {
                    (true, Some(_)) => Step::Pin,
                    (true, None) => Step::Name,
                    (false, _) => Step::Resume,
                };
            }
            (Admission::Start, Some(c)) if required => {
                s.chosen = Some(c);
                s.step = Step::Pin;
            }
            (Admission::Start, _) => {}
        }
        s
    }

    /// The key contexts and whether printable keys type text.
    pub fn context(&self) -> (&'static [Context], bool) {
        match self.step {
            Step::Name | Step::Pin => (CHAIN_TYPING, true),
            Step::Resume => (CHAIN_RESUME, false),
        }
    }

    /// How many characters of PIN are typed (what the screen may show).
    pub fn pin_len(&self) -> usize {
        self.pin.0.chars().count()
    }

    /// Seconds left before the next try is allowed, rounded up.
    pub fn wait_left(&self, now: Instant) -> Option<u64> {
        let until = self.retry_until?;
        let left = until.checked_duration_since(now)?;
        if left.is_zero() {
            return None;
        }
        Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }

    /// When the countdown shown next changes (for the event loop's timer).
    pub fn next_wake(&self, now: Instant) -> Option<Instant> {
        let until = self.retry_until?;
        let left = until.checked_duration_since(now)?;
        if left.is_zero() {
            return None;
        }
        // The shown number changes when the time left drops below the next
        // whole second.
        let whole = Duration::from_secs(left.as_secs());
        let step = if whole == left {
            Duration::from_secs(1)
        } else {
            left - whole
        };
        Some(now + step)
    }

    /// The clock moved: ends a countdown that ran out.
    pub fn tick(&mut self, now: Instant) {
        if self.retry_until.is_some() && self.wait_left(now).is_none() {
            self.retry_until = None;
            if self.message_is_wait {
                self.say("You can try again now.", false);
            }
        }
    }

    fn refilter(&mut self) {
        let q = self.query.text().trim().to_string();
        self.hits = self
            .matcher
            .rank(&q, self.candidates.iter().map(|c| c.staff.name.as_str()))
            .into_iter()
            .map(|h| h.index)
            .collect();
        // Initials typed exactly go first ("jr").
        if !q.is_empty() {
            if let Some(pos) = self
                .hits
                .iter()
                .position(|&i| self.candidates[i].staff.initials.eq_ignore_ascii_case(&q))
            {
                let i = self.hits.remove(pos);
                self.hits.insert(0, i);
            } else if let Some(i) = self
                .candidates
                .iter()
                .position(|c| c.staff.initials.eq_ignore_ascii_case(&q))
            {
                self.hits.insert(0, i);
            }
        }
        self.cursor = ListCursor::default();
    }

    /// The highlighted name.
    pub fn selected(&self) -> Option<&SignInCandidate> {
        self.hits
            .get(self.cursor.selected)
            .and_then(|&i| self.candidates.get(i))
    }

    /// Replaces the staff list (a colleague was added), keeping the choice.
    pub fn set_candidates(&mut self, candidates: Vec<SignInCandidate>, required: bool) {
        let keep = self.selected().map(|c| c.staff.id);
        self.candidates = candidates;
        self.required = required;
        self.refilter();
        if let Some(pos) = keep.and_then(|id| {
            self.hits
                .iter()
                .position(|&i| self.candidates[i].staff.id == id)
        }) {
            self.cursor.selected = pos;
        }
        if self.step == Step::Resume && required && self.chosen.is_some() {
            self.step = Step::Pin;
        }
    }

    fn go_to_names(&mut self) {
        self.step = Step::Name;
        self.pin = PinField::default();
        self.clear_message();
    }

    fn choose(&mut self, c: SignInCandidate) -> SignInOutcome {
        if !self.required {
            return SignInOutcome::Chosen(Some(c));
        }
        if !c.has_pin {
            self.say(
                format!(
                    "{} has no PIN yet; an admin sets one with `caseload staff set-pin`.",
                    crate::text::escape_line(&c.staff.name)
                ),
                true,
            );
            return SignInOutcome::None;
        }
        self.chosen = Some(c);
        self.step = Step::Pin;
        self.pin = PinField::default();
        self.clear_message();
        SignInOutcome::None
    }

    fn submit(&mut self, now: Instant) -> SignInOutcome {
        if self.waiting {
            return SignInOutcome::None;
        }
        if let Some(left) = self.wait_left(now) {
            self.say(format!("Too many wrong PINs. Try again in {left} s."), true);
            self.message_is_wait = true;
            return SignInOutcome::None;
        }
        let Some(c) = &self.chosen else {
            self.go_to_names();
            return SignInOutcome::None;
        };
        if self.pin.0.is_empty() {
            self.say("Type your PIN, then Enter.", true);
            return SignInOutcome::None;
        }
        let pin = std::mem::take(&mut self.pin.0);
        self.waiting = true;
        let staff = c.staff.id;
        self.say("Checking…", false);
        SignInOutcome::Submit(staff, Secret::new(pin))
    }

    /// Handles an action.
    pub fn handle(&mut self, action: Action, now: Instant) -> SignInOutcome {
        match self.step {
            Step::Name => {
                if self.cursor.apply(action, self.hits.len()) {
                    return SignInOutcome::None;
                }
                match action {
                    Action::Open => match self.selected().cloned() {
                        Some(c) => self.choose(c),
                        None => {
                            self.say("No name matches; Backspace and try again.", true);
                            SignInOutcome::None
                        }
                    },
                    Action::Back if !self.query.is_empty() => {
                        self.query.set_text("");
                        self.refilter();
                        SignInOutcome::None
                    }
                    Action::Back => {
                        // On the lock screen, back to the locked session.
                        if let Admission::Unlock {
                            previous: Some(p), ..
                        } = &self.purpose
                        {
                            self.chosen = Some(p.clone());
                            self.step = if self.required {
                                Step::Pin
                            } else {
                                Step::Resume
                            };
                            self.clear_message();
                        }
                        SignInOutcome::None
                    }
                    _ => SignInOutcome::None,
                }
            }
            Step::Pin => match action {
                Action::Open | Action::Save => self.submit(now),
                Action::Back if !self.waiting => {
                    self.go_to_names();
                    SignInOutcome::None
                }
                _ => SignInOutcome::None,
            },
            Step::Resume => match action {
                Action::Open => SignInOutcome::Chosen(self.chosen.clone()),
                Action::Back if !self.candidates.is_empty() => {
                    self.go_to_names();
                    SignInOutcome::None
                }
                _ => SignInOutcome::None,
            },
        }
    }

    /// Types into the name or PIN field.
    pub fn text_key(&mut self, ev: KeyEvent) {
        match self.step {
            Step::Name => {
                if self.query.key(ev) {
                    self.refilter();
                    self.clear_message();
                }
            }
            Step::Pin if !self.waiting => {
                let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
                match ev.code {
                    KeyCode::Char('u' | 'w') if ctrl => self.pin.0.clear(),
                    KeyCode::Char(c)
                        if !ctrl
                            && !ev.modifiers.contains(KeyModifiers::ALT)
                            && !is_unsafe(c)
                            && self.pin.0.chars().count() < MAX_PIN_CHARS =>
                    {
                        self.pin.0.push(c);
                    }
                    KeyCode::Backspace => {
                        self.pin.0.pop();
                    }
                    _ => {}
                }
            }
            Step::Pin | Step::Resume => {}
        }
    }

    /// Pastes into the name or PIN field (a password manager's paste).
    pub fn paste(&mut self, s: &str) {
        match self.step {
            Step::Name => {
                if self.query.paste(s) {
                    self.refilter();
                }
            }
            Step::Pin if !self.waiting => {
                let clean = clean_paste(s, false);
                let room = MAX_PIN_CHARS.saturating_sub(self.pin.0.chars().count());
                self.pin.0.extend(clean.trim_end().chars().take(room));
            }
            Step::Pin | Step::Resume => {}
        }
    }

    /// What the panel tells the user, and whether it is an error.
    pub fn message(&self) -> Option<&(String, bool)> {
        self.message.as_ref()
    }

    /// Shows `text` at the bottom of the panel (in red when `error`).
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some((text.into(), error));
        self.message_is_wait = false;
    }

    /// Clears the message.
    pub fn clear_message(&mut self) {
        self.message = None;
        self.message_is_wait = false;
    }

    /// The PIN check failed: clear the field, show why, maybe count down.
    pub fn refused(&mut self, message: String, retry_after: Option<Duration>, now: Instant) {
        self.waiting = false;
        self.pin = PinField::default();
        self.retry_until = retry_after.map(|d| now + d);
        self.say(message, true);
        self.message_is_wait = retry_after.is_some();
    }

    /// The name shown for the chosen staff member.
    fn chosen_label(&self) -> String {
        self.chosen
            .as_ref()
            .map(|c| format!("{} ({})", c.staff.name, c.staff.initials))
            .unwrap_or_default()
    }
}

/// The lock screen's offer to someone else at the keyboard.
const SOMEONE_ELSE: &[&str] = &[
    "Someone else? Press Esc and sign in with your own name;",
    "this session's unsaved work is then discarded.",
];

/// The same, once they pressed Esc.
const SOMEONE_ELSE_FRESH: &[&str] = &[
    "You start a session of your own; the locked session's",
    "unsaved work is discarded.",
];

/// What the gate screens show besides the sign-in state.
pub struct GateView<'a> {
    /// "Sign in", "Locked", "Starting".
    pub title: &'a str,
    /// The organization, for the title bar.
    pub organization: &'a str,
    /// Where the store is, for the status line.
    pub location: &'a str,
    /// Demo badge.
    pub demo: bool,
    /// The screen's state; None while starting.
    pub sign_in: Option<&'a SignInState>,
    /// While starting: what is happening or what went wrong.
    pub note: Option<(&'a str, bool)>,
    /// The app's monotonic now, for the countdown.
    pub now: Instant,
}

fn panel(main: Rect) -> Rect {
    crate::ui::widgets::layout::centered(main, 66, 16)
}

/// Draws a gate screen over the whole `area`: title bar, panel, hints and
/// status line. Reads only `view` — never peer state.
pub fn render(view: &GateView<'_>, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let a = crate::ui::view::areas(area);
    let t = ctx.theme;
    title_bar::render(
        view.organization,
        &[(view.title.to_string(), true)],
        view.demo,
        ctx,
        a.title,
        buf,
    );
    let p = panel(a.main);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Span::styled(format!(" {} ", view.title), t.heading()));
    let framed = block.inner(p);
    block.render(p, buf);
    // One column of air on each side.
    let inner = framed.inner(Margin::new(1, 0));
    let w = usize::from(inner.width);
    // One row after another from the top; what does not fit is not drawn.
    let mut rows = inner.rows();
    let line = |buf: &mut Buffer, l: Line<'_>, rows: &mut Rows| {
        if let Some(row) = rows.next() {
            l.render(row, buf);
        }
    };

    let Some(s) = view.sign_in else {
        if let Some((note, error)) = view.note {
            line(
                buf,
                Line::styled(clip(note, w), if error { t.error() } else { t.dim() }),
                &mut rows,
            );
        }
        render_bottom(
            view,
            ctx,
            &[(Action::Refresh, "try again"), (Action::Quit, "quit")],
            CHAIN_RESUME,
            false,
            area,
            buf,
        );
        return;
    };

    if let Admission::Unlock { reason, .. } = &s.purpose {
        let locked = if reason.is_empty() {
            "caseload is locked.".to_string()
        } else {
            format!("caseload is locked {reason}.")
        };
        line(buf, Line::styled(clip(&locked, w), t.heading()), &mut rows);
        line(buf, Line::raw(""), &mut rows);
    }
    match s.step {
        Step::Name => {
            let ask = match &s.purpose {
                Admission::Start if s.required => {
                    "Who are you? Type part of your name, then Enter."
                }
                Admission::Start => "Who is working? Type part of your name, then Enter.",
                Admission::Unlock { .. } => {
                    "Sign in as yourself: type part of your name, then Enter."
                }
            };
            line(buf, Line::raw(clip(ask, w)), &mut rows);
            if let Admission::Unlock {
                previous: Some(_), ..
            } = &s.purpose
            {
                for l in SOMEONE_ELSE_FRESH {
                    line(buf, Line::styled(clip(l, w), t.dim()), &mut rows);
                }
            }
            line(buf, Line::raw(""), &mut rows);
            let label = "Name: ";
            let mut listed = 0;
            if let Some(row) = rows.next() {
                let [label_area, field, _] = Layout::horizontal([
                    Constraint::Length(label.len() as u16),
                    Constraint::Length(row.width.saturating_sub(label.len() as u16).min(30)),
                    Constraint::Fill(1),
                ])
                .areas(row);
                Span::styled(label, t.focus()).render(label_area, buf);
                Widget::render(s.query.area(), field, buf);
                // The names below, a blank row above the message.
                listed = usize::from(inner.bottom().saturating_sub(row.bottom() + 2));
            }
            let offset = s.cursor.shown(listed);
            if s.hits.is_empty() {
                line(
                    buf,
                    Line::styled(
                        if s.candidates.is_empty() {
                            "No staff accounts yet."
                        } else {
                            "No name matches."
                        },
                        t.dim(),
                    ),
                    &mut rows,
                );
            }
            for (row, &i) in s.hits.iter().enumerate().skip(offset).take(listed) {
                let Some(c) = s.candidates.get(i) else {
                    continue;
                };
                let selected = row == s.cursor.selected;
                let style = if selected { t.selected() } else { t.text() };
                let tail = if s.required && !c.has_pin {
                    "no PIN yet".to_string()
                } else {
                    c.role.label().to_string()
                };
                let name_w = w.saturating_sub(tail.len() + 4);
                let text = format!(
                    "{}{} {}",
                    if selected { "▸ " } else { "  " },
                    fit(&format!("{} ({})", c.staff.name, c.staff.initials), name_w),
                    tail
                );
                line(buf, Line::styled(clip(&text, w), style), &mut rows);
            }
        }
        Step::Pin => {
            let who = s.chosen_label();
            let ask = match &s.purpose {
                Admission::Unlock {
                    previous: Some(p), ..
                } if s.chosen.as_ref().map(|c| c.staff.id) == Some(p.staff.id) => {
                    format!("{who}: type your PIN and press Enter to resume.")
                }
                _ => format!("Signing in as {who}. Type your PIN, then Enter."),
            };
            line(buf, Line::raw(clip(&ask, w)), &mut rows);
            line(buf, Line::raw(""), &mut rows);
            // Never the PIN itself: one dot per character typed.
            let dots = "•".repeat(s.pin_len().min(w.saturating_sub(8)));
            line(
                buf,
                Line::from(vec![
                    Span::styled("PIN:  ", t.focus()),
                    Span::raw(dots),
                    Span::styled(" ", t.selected()),
                ]),
                &mut rows,
            );
            line(buf, Line::raw(""), &mut rows);
            let other: &[&str] = match &s.purpose {
                Admission::Unlock { .. } => SOMEONE_ELSE,
                Admission::Start => &["Not you? Esc to pick another name."],
            };
            for l in other {
                line(buf, Line::styled(clip(l, w), t.dim()), &mut rows);
            }
        }
        Step::Resume => {
            line(buf, Line::raw(clip("Press Enter to resume.", w)), &mut rows);
            line(buf, Line::raw(""), &mut rows);
            if !s.candidates.is_empty() {
                for l in SOMEONE_ELSE {
                    line(buf, Line::styled(clip(l, w), t.dim()), &mut rows);
                }
            }
        }
    }
    // The message, at the bottom of the panel.
    let message = match (s.wait_left(view.now), &s.message) {
        (Some(left), _) => Some((format!("Too many wrong PINs. Try again in {left} s."), true)),
        (None, m) => m.clone(),
    };
    if let Some((m, error)) = message {
        let [_, bottom] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        Line::styled(clip(&m, w), if error { t.error() } else { t.ok() }).render(bottom, buf);
    }
    let (chain, typing) = s.context();
    let hints: &[(Action, &str)] = match s.step {
        Step::Name => &[
            (Action::Open, "choose"),
            (Action::Down, "move"),
            (Action::Quit, "quit"),
        ],
        Step::Pin => &[
            (Action::Open, "sign in"),
            (Action::Back, "other name"),
            (Action::Quit, "quit"),
        ],
        Step::Resume => &[
            (Action::Open, "resume"),
            (Action::Back, "other name"),
            (Action::Quit, "quit"),
        ],
    };
    render_bottom(view, ctx, hints, chain, typing, area, buf);
}

/// Hints and a status line that names no one: privacy mode and the store.
fn render_bottom(
    view: &GateView<'_>,
    ctx: &ViewCtx<'_>,
    hints: &[(Action, &str)],
    chain: &[Context],
    typing: bool,
    area: Rect,
    buf: &mut Buffer,
) {
    let a = crate::ui::view::areas(area);
    render_hints(ctx, chain, typing, hints, a.hints, buf);
    let w = usize::from(a.status.width);
    let right = clip_left(view.location, w / 2);
    let right_w = crate::text::width(&right);
    let left = if ctx.privacy { "privacy on" } else { "" };
    Line::styled(left, ctx.theme.key()).render(a.status, buf);
    let [_, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_w as u16)])
            .areas(a.status);
    Line::styled(right, ctx.theme.dim()).render(right_area, buf);
}
