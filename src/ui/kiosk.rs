//! The self sign-in kiosk (`caseload kiosk`): a shared terminal that
//! shows a greeting with the center's name and one field, and nothing
//! else: no peer's name, not even the one signing in.
//!
//! A peer types their name or personal code; the store's kiosk session
//! (`ops::access`, [`Permission::KioskSignIn`](crate::model::Permission))
//! finds the one peer it points at and records their visit. When several
//! peers answer, the kiosk asks for the last digits of the phone, the same
//! question whoever typed what, and never says who or how many. "I'm new
//! here" (Tab) leaves a first name for staff as a pending intake.
//!
//! The screen clears itself [`THANKS_SECS`] after each sign-in and after
//! [`IDLE_SECS`] without a key. Raw mode turns Ctrl-c, Ctrl-z and Ctrl-\
//! into keys, which the kiosk ignores, and the signals themselves are
//! ignored too; a resize only redraws. Leaving needs a staff member's PIN
//! (docs/kiosk.md says how, and what to type on a store without PINs).
//!
//! [`KioskState`] is the whole model (keys in, requests out, replies in)
//! so that it is tested without a terminal; [`draw`] only draws it.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::model::KioskReply;
use crate::server::protocol::Pin;
use crate::store::{DenialKind, Store, StoreError};

/// Seconds a "thank you" stays before the screen clears.
pub const THANKS_SECS: u64 = 4;
/// Seconds without a key before a half-typed entry is cleared.
pub const IDLE_SECS: u64 = 30;
/// Longest entry the field takes.
pub const MAX_INPUT_CHARS: usize = 60;

/// What the field is asking for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// A name or personal code.
    Name,
    /// The last digits of the phone, after an ambiguous name (the name
    /// typed is kept here, never drawn).
    PhoneDigits(String),
    /// A first name, after "I'm new here".
    NewName,
    /// A staff PIN, to leave the kiosk (Ctrl-x).
    StaffPin,
}

/// A fixed message under the field: never built from stored data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// Signed in.
    Thanks,
    /// A new-here intake was left for staff.
    NewThanks,
    /// Nobody found.
    NotFound,
    /// The PIN did not leave the kiosk.
    WrongPin,
    /// Too many wrong PINs: wait.
    Wait,
    /// The store could not be reached or refused.
    Trouble,
}

impl Note {
    /// The words shown.
    pub fn text(self) -> &'static str {
        match self {
            Note::Thanks => "Thank you, you're signed in. Welcome!",
            Note::NewThanks => "Thank you! Someone from our team will come and say hello.",
            Note::NotFound => {
                "Sorry, we couldn't find you. Please try again, ask at the front desk, or press Tab if you're new here."
            }
            Note::WrongPin => "That did not work. The sign-in screen stays on.",
            Note::Wait => "Too many tries. Please wait a little and try again.",
            Note::Trouble => "Sorry, signing in is not working right now. Please ask at the front desk.",
        }
    }
}

/// What the kiosk asks the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// Sign in by name or code, with the phone digits when asked.
    SignIn {
        /// What was typed.
        typed: String,
        /// The last phone digits, on the second question.
        digits: Option<String>,
    },
    /// "I'm new here" with a first name.
    NewHere(String),
    /// Leave with a staff PIN.
    Leave(String),
}

/// What the store answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// The sign-in's reply.
    SignIn(KioskReply),
    /// The intake was left.
    NewHere,
    /// The kiosk was left: stop.
    Left,
    /// Refused for a wrong PIN.
    WrongPin,
    /// Refused for too many tries.
    Wait,
    /// Anything else went wrong.
    Trouble,
}

/// The kiosk's whole state.
#[derive(Debug, Clone)]
pub struct KioskState {
    center: String,
    phase: Phase,
    input: String,
    note: Option<Note>,
    /// When the note (and the phase) are cleared.
    clear_at: Option<Instant>,
    last_key: Instant,
    /// A request is on its way: keys wait.
    busy: bool,
    done: bool,
}

impl KioskState {
    /// A fresh sign-in screen for `center` (its name in the greeting).
    pub fn new(center: &str, now: Instant) -> Self {
        KioskState {
            center: crate::text::escape_line(center).into_owned(),
            phase: Phase::Name,
            input: String::new(),
            note: None,
            clear_at: None,
            last_key: now,
            busy: false,
            done: false,
        }
    }

    /// What the field asks for.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// What is in the field.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The message under the field, if any.
    pub fn note(&self) -> Option<Note> {
        self.note
    }

    /// True once a staff PIN left the kiosk.
    pub fn done(&self) -> bool {
        self.done
    }

    /// True while a request is on its way.
    pub fn busy(&self) -> bool {
        self.busy
    }

    fn reset(&mut self) {
        self.phase = Phase::Name;
        self.input.clear();
        self.note = None;
        self.clear_at = None;
    }

    /// Takes a terminal event: a key may produce a request; a resize or
    /// anything else changes nothing (the caller redraws).
    pub fn event(&mut self, event: &Event, now: Instant) -> Option<Outgoing> {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key(*k, now),
            Event::Paste(text) => {
                self.last_key = now;
                for c in text.chars() {
                    self.push(c);
                }
                None
            }
            _ => None,
        }
    }

    fn push(&mut self, c: char) {
        if !c.is_control() && self.input.chars().count() < MAX_INPUT_CHARS {
            self.input.push(c);
        }
    }

    /// Takes one key.
    pub fn key(&mut self, key: KeyEvent, now: Instant) -> Option<Outgoing> {
        self.last_key = now;
        if self.busy {
            return None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl {
            // Ctrl-c, Ctrl-z, Ctrl-\ and the rest do nothing here; only
            // Ctrl-x asks for a staff PIN.
            if key.code == KeyCode::Char('x') {
                self.reset();
                self.phase = Phase::StaffPin;
            }
            return None;
        }
        // A key after a message starts afresh.
        if self.clear_at.is_some() {
            self.reset();
        }
        match key.code {
            KeyCode::Char(c) => {
                self.note = None;
                self.push(c);
                None
            }
            KeyCode::Backspace => {
                self.input.pop();
                None
            }
            KeyCode::Esc => {
                self.reset();
                None
            }
            KeyCode::Tab if self.phase == Phase::Name => {
                self.reset();
                self.phase = Phase::NewName;
                None
            }
            KeyCode::Enter => self.submit(),
            _ => None,
        }
    }

    fn submit(&mut self) -> Option<Outgoing> {
        let text = self.input.trim().to_string();
        if text.is_empty() {
            return None;
        }
        let out = match &self.phase {
            Phase::Name => Outgoing::SignIn {
                typed: text,
                digits: None,
            },
            Phase::PhoneDigits(name) => Outgoing::SignIn {
                typed: name.clone(),
                digits: Some(text),
            },
            Phase::NewName => Outgoing::NewHere(text),
            // The PIN as typed, spaces and all.
            Phase::StaffPin => Outgoing::Leave(self.input.clone()),
        };
        self.busy = true;
        Some(out)
    }

    /// Takes the store's answer to the last request.
    pub fn reply(&mut self, answer: Incoming, now: Instant) {
        self.busy = false;
        let thanks = |s: &mut Self, note| {
            s.input.clear();
            s.phase = Phase::Name;
            s.note = Some(note);
            s.clear_at = Some(now + Duration::from_secs(THANKS_SECS));
        };
        match answer {
            Incoming::SignIn(KioskReply::SignedIn) => thanks(self, Note::Thanks),
            Incoming::SignIn(KioskReply::AskPhoneDigits) => {
                let name = match &self.phase {
                    Phase::PhoneDigits(n) => n.clone(),
                    _ => self.input.trim().to_string(),
                };
                self.phase = Phase::PhoneDigits(name);
                self.input.clear();
                self.note = None;
            }
            Incoming::SignIn(KioskReply::NotFound) => thanks(self, Note::NotFound),
            Incoming::NewHere => thanks(self, Note::NewThanks),
            Incoming::Left => self.done = true,
            Incoming::WrongPin => thanks(self, Note::WrongPin),
            Incoming::Wait => thanks(self, Note::Wait),
            Incoming::Trouble => thanks(self, Note::Trouble),
        }
    }

    /// Clears the screen when its time has come: a message after
    /// [`THANKS_SECS`], a half-typed entry after [`IDLE_SECS`] without a
    /// key. True if anything changed (redraw).
    pub fn tick(&mut self, now: Instant) -> bool {
        if self.busy {
            return false;
        }
        if self.clear_at.is_some_and(|t| now >= t) {
            self.reset();
            return true;
        }
        let idle = now.saturating_duration_since(self.last_key) >= Duration::from_secs(IDLE_SECS);
        if idle && (self.phase != Phase::Name || !self.input.is_empty() || self.note.is_some()) {
            self.reset();
            return true;
        }
        false
    }

    /// How long the loop may wait for a key before [`KioskState::tick`]
    /// has something to do.
    pub fn wait(&self, now: Instant) -> Duration {
        let idle_at = self.last_key + Duration::from_secs(IDLE_SECS);
        let next = match self.clear_at {
            Some(t) => t.min(idle_at),
            None => idle_at,
        };
        next.saturating_duration_since(now)
            .clamp(Duration::from_millis(50), Duration::from_secs(1))
    }

    /// The question above the field.
    pub fn question(&self) -> &'static str {
        match self.phase {
            Phase::Name => "Type your name or your code, then press Enter.",
            Phase::PhoneDigits(_) => {
                "To be sure it's you: the last 4 digits of your phone number, then Enter."
            }
            Phase::NewName => "Welcome! Your first name, then Enter (Esc to go back).",
            Phase::StaffPin => "Staff PIN, then Enter (Esc to go back).",
        }
    }

    /// The field as drawn: the PIN masked.
    pub fn field(&self) -> String {
        match self.phase {
            Phase::StaffPin => "•".repeat(self.input.chars().count()),
            _ => self.input.clone(),
        }
    }
}

/// Draws the kiosk: the greeting, the question, the field, the message.
pub fn draw(frame: &mut Frame, state: &KioskState) {
    let area = frame.area();
    let width = area.width.clamp(20, 72);
    let height = area.height.min(12);
    let outer = crate::ui::widgets::layout::centered(area, width, height);
    let [greeting, question, field, note] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Min(0),
    ])
    .areas(outer);
    frame.render_widget(
        Paragraph::new(Line::from(format!("Welcome to {}", state.center)))
            .style(Style::default().add_modifier(Modifier::BOLD))
            .alignment(Alignment::Center),
        greeting,
    );
    frame.render_widget(
        Paragraph::new(state.question())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        question,
    );
    frame.render_widget(
        Paragraph::new(format!("{}▏", state.field())).block(Block::default().borders(Borders::ALL)),
        field,
    );
    let below = match state.note {
        Some(n) => n.text(),
        None if state.phase == Phase::Name => "New here? Press Tab.",
        None => "",
    };
    frame.render_widget(
        Paragraph::new(below)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        note,
    );
}

/// Sends a request to the kiosk session and turns the answer into what
/// the screen may say.
pub fn ask(store: &dyn Store, out: Outgoing) -> Incoming {
    let actor = crate::model::Actor::login(crate::ops::os_login());
    let denied = |e: &StoreError| match e {
        StoreError::Denied {
            kind: DenialKind::WrongPin,
            ..
        } => Incoming::WrongPin,
        StoreError::Denied {
            kind: DenialKind::TooManyTries,
            ..
        } => Incoming::Wait,
        _ => Incoming::Trouble,
    };
    let result = match out {
        Outgoing::SignIn { typed, digits } => store
            .kiosk_sign_in(typed, digits, &actor)
            .map(Incoming::SignIn),
        Outgoing::NewHere(name) => store
            .kiosk_new_here(name, &actor)
            .map(|()| Incoming::NewHere),
        Outgoing::Leave(pin) => store.leave_kiosk(Pin(pin), &actor).map(|_| Incoming::Left),
    };
    match result {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(error = %e, "kiosk request refused");
            denied(&e)
        }
    }
}

/// Set by `K` in the staff UI: once the UI has closed, `caseload` runs
/// the kiosk on the same terminal and store session.
static AFTER_UI: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks for the kiosk to run once the UI has closed (`K`).
pub fn request_after_ui() {
    AFTER_UI.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// True (once) if `K` asked for the kiosk.
pub fn take_after_ui() -> bool {
    AFTER_UI.swap(false, std::sync::atomic::Ordering::SeqCst)
}

/// Ignores the keyboard's signals while the kiosk runs, or puts back
/// the defaults (raw mode already turns Ctrl-c and Ctrl-z into keys; this
/// covers a `kill -INT` too).
fn ignore_signals(ignore: bool) {
    let how = if ignore { libc::SIG_IGN } else { libc::SIG_DFL };
    // SAFETY: setting a signal's disposition to SIG_IGN or SIG_DFL is
    // always sound.
    unsafe {
        libc::signal(libc::SIGINT, how);
        libc::signal(libc::SIGTSTP, how);
        libc::signal(libc::SIGQUIT, how);
    }
}

/// Runs the kiosk on this terminal until a staff PIN leaves it.
pub fn run(store: &dyn Store, center: &str) -> anyhow::Result<()> {
    ignore_signals(true);
    let result = run_screen(store, center);
    // Back to the defaults (the staff UI may follow, after `K`).
    ignore_signals(false);
    result
}

fn run_screen(store: &dyn Store, center: &str) -> anyhow::Result<()> {
    let mut guard = super::runtime::TerminalGuard::start()?;
    let mut state = KioskState::new(center, Instant::now());
    guard.terminal.draw(|f| draw(f, &state))?;
    while !state.done() {
        // A terminal gone without a hang-up signal (the kiosk ignores
        // those anyway) leaves crossterm reading end-of-file: end here.
        if super::signals::terminal_hung_up() {
            anyhow::bail!("the kiosk's terminal went away (hung up)");
        }
        let now = Instant::now();
        if crossterm::event::poll(state.wait(now))? {
            let event = crossterm::event::read()?;
            if let Some(out) = state.event(&event, Instant::now()) {
                guard.terminal.draw(|f| draw(f, &state))?;
                let answer = ask(store, out);
                state.reply(answer, Instant::now());
            }
            if matches!(event, Event::Resize(..)) {
                guard.terminal.autoresize()?;
            }
        }
        state.tick(Instant::now());
        guard.terminal.draw(|f| draw(f, &state))?;
    }
    Ok(())
}
