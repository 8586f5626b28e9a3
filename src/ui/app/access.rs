//! Who may see the screen, as state changes of the [`App`]: the sign-in
//! gate, auto-lock, privacy mode, the audit browser and live updates.
//!
//! A child module of `app` so that these rules sit in one file of their
//! own while reaching the app's private fields; `app.rs` only calls in at
//! a few hooks (keys, actions, responses, drawing). Nothing here touches
//! the terminal, the disk or the real clock: time comes in with events
//! ([`App::handle_event_at`], [`App::tick_at`]), so tests move it by hand.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::model::Actor;
use crate::store::{AuditEvent, Change, ChangeKind};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::lock::{describe, DEFAULT_LOCK_AFTER};
use crate::ui::screens::signin::{self, Admission, GateView, SignInOutcome, SignInState};
use crate::ui::worker::{AccessInfo, Opening, Request, Response, SignInCandidate};

use super::{App, Notice, Shell, UserSession};
use crate::ui::widgets::status_line::StatusState;

/// What stands between the terminal and the caseload.
#[derive(Debug)]
pub enum Gate {
    /// Waiting to learn whether staff sign in (nothing is shown yet).
    Starting {
        /// Why that could not be learned, if it could not.
        error: Option<String>,
    },
    /// Nobody is signed in yet.
    SignIn(Box<SignInState>),
    /// Someone is working: the caseload is shown.
    Open,
    /// The session is locked; its state is kept but not shown.
    Locked(Box<SignInState>),
}

/// The access side of the app's state.
#[derive(Debug)]
pub struct AccessState {
    /// Sign-in, open or locked.
    pub gate: Gate,
    /// Who may sign in, once known.
    pub info: Option<AccessInfo>,
    /// Peers shown by initials, notes and goal titles hidden.
    pub privacy: bool,
    /// In privacy mode, the selected row's hidden text is shown: set by the
    /// reveal key, cleared by the next key.
    pub reveal: bool,
    /// Lock after this long without input; None never locks.
    pub lock_after: Option<Duration>,
    /// Changes arrived while locked: reload on resume.
    pub stale: bool,
    /// Quit was asked for on a gate while work was unsaved, and the gate
    /// said so: the next quit quits.
    pub quit_asked: bool,
    instant: Instant,
    last_input: Instant,
    subscribed: bool,
}

impl AccessState {
    /// Starting state: nothing shown until the store says who may sign in.
    pub(super) fn new(now: Instant) -> AccessState {
        AccessState {
            gate: Gate::Starting { error: None },
            info: None,
            privacy: false,
            reveal: false,
            lock_after: Some(DEFAULT_LOCK_AFTER),
            stale: false,
            quit_asked: false,
            instant: now,
            last_input: now,
            subscribed: false,
        }
    }
}

impl App {
    /// The gate in front of the caseload.
    pub fn gate(&self) -> &Gate {
        &self.shell.access.gate
    }

    /// True while the caseload is shown (signed in and not locked).
    pub fn gate_open(&self) -> bool {
        matches!(self.shell.access.gate, Gate::Open)
    }

    /// Who signed in (or was chosen) at this terminal.
    pub fn signed_in(&self) -> Option<&SignInCandidate> {
        self.user.who.as_ref()
    }

    /// Changes arrived while locked: what is shown reloads on resume.
    pub fn stale(&self) -> bool {
        self.shell.access.stale
    }

    /// Privacy mode is on.
    pub fn privacy(&self) -> bool {
        self.shell.access.privacy
    }

    /// The app's monotonic "now", as last told by an event or tick.
    pub fn instant(&self) -> Instant {
        self.shell.access.instant
    }

    /// Sets the idle time before the screen locks (None: never).
    pub fn set_lock_after(&mut self, after: Option<Duration>) {
        self.shell.access.lock_after = after;
    }

    /// Handles one terminal event that happened at `at`. A key that finds
    /// the screen idle past the lock time only locks it.
    pub fn handle_event_at(&mut self, event: Event, at: Instant) {
        self.shell.advance(at);
        let input = matches!(&event, Event::Key(k) if k.kind != KeyEventKind::Release)
            || matches!(event, Event::Paste(_));
        if input && self.shell.idle_expired() {
            self.lock(true);
            return;
        }
        self.handle_event(event);
    }

    /// The clock moved to `at` with no input: locks an idle screen, runs a
    /// sign-in countdown, turns the day.
    pub fn tick_at(&mut self, at: Instant) {
        self.shell.advance(at);
        self.tick();
        if self.shell.idle_expired() {
            self.lock(true);
        }
        let now = self.shell.access.instant;
        if let Gate::SignIn(s) | Gate::Locked(s) = &mut self.shell.access.gate {
            s.tick(now);
        }
    }

    /// When the app next needs a [`tick_at`](Self::tick_at) though nothing
    /// happens: the lock time, or the next second of a countdown. None
    /// means wait for input as long as it takes.
    pub fn next_wake(&self) -> Option<Instant> {
        match &self.shell.access.gate {
            Gate::Open => self
                .shell
                .access
                .lock_after
                .map(|d| self.shell.access.last_input + d),
            Gate::SignIn(s) | Gate::Locked(s) => s.next_wake(self.shell.access.instant),
            Gate::Starting { .. } => None,
        }
    }

    /// The actor for records made by this session.
    pub(super) fn actor(&self) -> Actor {
        super::shell::actor_of(self.user.who.as_ref(), &self.shell)
    }

    /// An action while a gate screen is up.
    pub(super) fn gate_action(&mut self, action: Action) {
        match action {
            Action::Quit => return self.quit_from_gate(),
            Action::Privacy => return self.shell.toggle_privacy(),
            _ => self.shell.access.quit_asked = false,
        }
        let now = self.shell.access.instant;
        let outcome = match &mut self.shell.access.gate {
            Gate::Open => SignInOutcome::None,
            Gate::Starting { error } => {
                if action == Action::Refresh && error.is_some() {
                    *error = None;
                    self.shell.requests.push(Request::Access {
                        staff: self.shell.options.staff.clone(),
                    });
                }
                SignInOutcome::None
            }
            Gate::SignIn(s) | Gate::Locked(s) => s.handle(action, now),
        };
        self.sign_in_outcome(outcome);
    }

    fn quit_from_gate(&mut self) {
        // Nothing of a locked session is asked about or shown; a save on
        // its way still finishes first.
        if self.form().is_some_and(|f| f.saving) {
            self.shell.quit_when_saved = true;
            if let Gate::SignIn(s) | Gate::Locked(s) = &mut self.shell.access.gate {
                s.say("Finishing a save, then quitting…", false);
            }
            return;
        }
        // Unsaved text is asked about as everywhere else, without saying
        // what it is (the screen is locked).
        let unsaved = self.form().is_some_and(|f| f.is_dirty())
            || self.popup().is_some_and(|p| p.form.is_dirty())
            || self.in_hand().iter().any(|h| h.unsaved.is_some());
        if unsaved && !self.shell.access.quit_asked {
            if let Gate::Locked(s) | Gate::SignIn(s) = &mut self.shell.access.gate {
                self.shell.access.quit_asked = true;
                s.say(
                    "This session has unsaved work. Quit again to lose it, or sign in to keep it.",
                    true,
                );
                return;
            }
        }
        self.shell.quit = true;
    }

    fn sign_in_outcome(&mut self, outcome: SignInOutcome) {
        match outcome {
            SignInOutcome::None => {}
            SignInOutcome::Submit(staff, pin) => {
                self.shell.requests.push(Request::SignIn { staff, pin })
            }
            SignInOutcome::Chosen(c) => self.admit(c),
        }
    }

    /// `who` signed in (or was chosen where no PIN is needed): open their
    /// session, resume the locked one if it is theirs, or start afresh.
    fn admit(&mut self, who: Option<SignInCandidate>) {
        let previous = match &self.shell.access.gate {
            Gate::Locked(s) => match &s.purpose {
                Admission::Unlock { previous, .. } => Some(previous.clone()),
                Admission::Start => None,
            },
            _ => None,
        };
        match previous {
            None => self.open_user_session(who),
            Some(prev) if prev.as_ref().map(|c| c.staff.id) == who.as_ref().map(|c| c.staff.id) => {
                self.resume()
            }
            Some(_) => self.switch_user(who),
        }
    }

    fn open_user_session(&mut self, who: Option<SignInCandidate>) {
        self.open_session_knowing(who, None);
    }

    /// Opens `who`'s session; `known` is what Init would answer for it if
    /// the start already worked that out ([`AccessInfo::opening`]), used
    /// instead of asking again when it is for the same staff text.
    fn open_session_knowing(&mut self, who: Option<SignInCandidate>, known: Option<Opening>) {
        let named = who
            .as_ref()
            .map(|c| c.staff.id.to_string())
            .or_else(|| self.shell.options.staff.clone());
        self.user.who = who;
        self.shell.access.gate = Gate::Open;
        self.shell.access.last_input = self.shell.access.instant;
        match known.filter(|k| k.named == named) {
            Some(k) => {
                let (location, organization) = self
                    .shell
                    .access
                    .info
                    .as_ref()
                    .map(|i| (i.location.clone(), i.organization.clone()))
                    .unwrap_or_default();
                self.app_reply(Response::Ready {
                    location,
                    organization,
                    staff: k.staff,
                    staff_list: k.staff_list,
                });
            }
            None => self.shell.requests.push(Request::Init { staff: named }),
        }
        // Today first, the roster after it: the worker answers in order,
        // and the first screen needs Today, not 10,000 peers (the roster
        // before it cost the first frame a large center's whole roster).
        // Notices go out in order, so Today's request precedes the
        // roster's.
        self.shell.notify(Notice::ReloadToday);
        self.shell.notify(Notice::ReloadRoster);
        self.subscribe();
    }

    fn subscribe(&mut self) {
        if !self.shell.access.subscribed {
            self.shell.access.subscribed = true;
            self.shell.requests.push(Request::Subscribe);
        }
    }

    /// The same staff member is back: everything as they left it, with
    /// what changed meanwhile reloaded in place.
    fn resume(&mut self) {
        self.shell.access.gate = Gate::Open;
        self.shell.access.last_input = self.shell.access.instant;
        self.shell.access.stale = false;
        self.shell.notify(Notice::ReloadShown);
        self.subscribe();
    }

    /// Someone else signed in at the lock screen: a session of their own.
    /// The locked session's state (unsaved text included) is dropped
    /// without a question — it is not theirs to see or to keep.
    fn switch_user(&mut self, who: Option<SignInCandidate>) {
        let serial = self.user.serial + 1;
        // The one assignment that switches user: every screen's state goes.
        self.user = UserSession::new(serial, None, &self.shell.theme);
        // What the shell showed of the old session goes too: its forms and
        // questions, its messages, a quit waiting for its save. Answers to
        // its requests carry its serial and are dropped (`on_reply`); work
        // already queued (the lock's audit entry) still goes out.
        self.shell.layers.clear();
        self.shell.requests.session = serial;
        self.shell.status = StatusState {
            location: std::mem::take(&mut self.shell.status.location),
            ..StatusState::default()
        };
        self.shell.pending.clear();
        self.shell.quit_when_saved = false;
        self.shell.access.stale = false;
        self.open_user_session(who);
    }

    /// Locks the screen now (`idle`: because nobody typed for a while).
    /// The session's state stays as it is, unseen, and the lock goes on the
    /// audit trail.
    pub fn lock(&mut self, idle: bool) {
        if !self.gate_open() {
            return;
        }
        let (required, candidates) = match &self.shell.access.info {
            Some(i) => (i.required, i.staff.clone()),
            None => (false, Vec::new()),
        };
        let reason = match (idle, self.shell.access.lock_after) {
            (true, Some(d)) => format!("after {} without input", describe(d)),
            _ => String::new(),
        };
        let state = SignInState::new(
            Admission::Unlock {
                previous: self.user.who.clone(),
                reason,
            },
            required,
            candidates,
            None,
            &self.shell.theme,
        );
        self.shell.pending.clear();
        self.shell.access.gate = Gate::Locked(Box::new(state));
        let actor = self.actor();
        self.shell.requests.push(Request::RecordEvent {
            event: AuditEvent::Locked,
            actor,
        });
    }

    /// Lock, privacy and the audit browser, from wherever the caseload is.
    /// True when the action was taken care of here.
    pub(super) fn access_action(&mut self, action: Action) -> bool {
        match action {
            Action::Lock => {
                self.lock(false);
                true
            }
            Action::Privacy => {
                self.shell.toggle_privacy();
                true
            }
            Action::Reveal => {
                if self.shell.access.privacy {
                    self.shell.access.reveal = true;
                    self.shell
                        .status
                        .info("Shown until the next key (privacy mode stays on)");
                } else {
                    self.shell
                        .status
                        .info("Nothing is hidden: privacy mode is off");
                }
                true
            }
            _ => false,
        }
    }

    /// The audit browser's own keys, before the pane's: open it, edit
    /// its filters, reload it. True when the action was taken care of here.
    pub(super) fn audit_pane_action(&mut self, action: Action) -> bool {
        if action == Action::Audit {
            self.open_audit();
            return true;
        }
        let (audit, mut cx) = split!(self, audit);
        audit.shell_action(action, &mut cx)
    }

    /// `A`, unless a form is open (it is finished or cancelled first).
    fn open_audit(&mut self) {
        if self.form().is_some() {
            return self
                .shell
                .status
                .info("finish or cancel the check-in first");
        }
        if self.popup().is_some() || self.user.groups.in_attendance(self.user.nav.pane) {
            return self
                .shell
                .status
                .info("finish or cancel the open form first");
        }
        let (audit, mut cx) = split!(self, audit);
        audit.open(&mut cx);
    }

    /// Answers to the access requests.
    pub(super) fn on_access_response(&mut self, response: Response) {
        match response {
            Response::Access(Ok(info)) => self.on_access_info(info),
            Response::Access(Err(e)) => match &mut self.shell.access.gate {
                Gate::Starting { error } => {
                    *error = Some(format!("Cannot tell who may sign in: {e}"));
                }
                _ => tracing::warn!("reloading the staff list failed: {e}"),
            },
            Response::SignedIn { staff, result } => {
                let now = self.shell.access.instant;
                let chosen = match &mut self.shell.access.gate {
                    Gate::SignIn(s) | Gate::Locked(s)
                        if s.waiting && s.chosen.as_ref().map(|c| c.staff.id) == Some(staff) =>
                    {
                        match result {
                            Ok(()) => s.chosen.clone(),
                            Err(refusal) => {
                                s.refused(refusal.message, refusal.retry_after, now);
                                return;
                            }
                        }
                    }
                    // An answer nobody waits for any more.
                    _ => return,
                };
                self.admit(chosen);
            }
            Response::Recorded(Err(e)) => {
                tracing::warn!("an audit entry could not be recorded: {e}");
                if self.gate_open() {
                    self.shell
                        .status
                        .error(format!("Could not record on the audit trail: {e}"));
                }
            }
            Response::Recorded(Ok(())) => {}
            Response::Subscribed(ok) => self.shell.access.subscribed = ok,
            Response::Change(change) => self.on_change(&change),
            Response::NoticesStopped => {
                self.shell.access.subscribed = false;
                if self.gate_open() {
                    self.shell.status.error(
                        "Live updates stopped (the server is unreachable); r reloads by hand",
                    );
                }
            }
            other => tracing::warn!("unexpected answer for the access screens: {other:?}"),
        }
    }

    fn on_access_info(&mut self, info: AccessInfo) {
        self.shell.organization = info.organization.clone();
        self.shell.status.location = info.location.clone();
        let problem = info.preselect_problem.clone();
        match &mut self.shell.access.gate {
            Gate::Starting { .. } => {
                let pre = info.preselected().cloned();
                if info.opens_at_once() {
                    // Who is working is clear and no PIN is asked: straight in
                    // (an empty store: into the first-run set-up).
                    let first_run = info.staff.is_empty();
                    let opening = info.opening.clone();
                    self.shell.access.info = Some(info);
                    self.open_session_knowing(pre, opening);
                    if first_run {
                        super::center::open_setup(&mut self.shell);
                    }
                    return;
                }
                let mut s = SignInState::new(
                    Admission::Start,
                    info.required,
                    info.staff.clone(),
                    info.preselect,
                    &self.shell.theme,
                );
                if let Some(p) = problem {
                    s.say(p, true);
                }
                self.shell.access.gate = Gate::SignIn(Box::new(s));
            }
            Gate::SignIn(s) | Gate::Locked(s) => {
                s.set_candidates(info.staff.clone(), info.required);
            }
            Gate::Open => {}
        }
        self.shell.access.info = Some(info);
    }

    /// A record changed somewhere: reload what is shown, in place.
    fn on_change(&mut self, change: &Change) {
        if matches!(
            change.kind,
            ChangeKind::Staff | ChangeKind::Settings | ChangeKind::Everything
        ) {
            // PINs set or removed, staff added: the lock screen must know.
            if !self
                .shell
                .requests
                .iter()
                .any(|r| matches!(r, Request::Access { .. }))
            {
                self.shell.requests.push(Request::Access { staff: None });
            }
            if self.gate_open() {
                let named = self
                    .user
                    .who
                    .as_ref()
                    .map(|c| c.staff.id.to_string())
                    .or_else(|| self.shell.options.staff.clone());
                self.shell
                    .requests
                    .retain(|r| !matches!(r, Request::Init { .. }));
                self.shell.requests.push(Request::Init { staff: named });
            }
        }
        if !self.gate_open() {
            // Nothing is loaded while locked; catch up on resume.
            self.shell.access.stale = true;
            return;
        }
        self.shell.notify(Notice::ReloadShown);
    }
}

impl Shell {
    /// True while the caseload is shown (signed in and not locked).
    pub(super) fn gate_is_open(&self) -> bool {
        matches!(self.access.gate, Gate::Open)
    }

    pub(super) fn advance(&mut self, at: Instant) {
        if at > self.access.instant {
            self.access.instant = at;
        }
    }

    pub(super) fn idle_expired(&self) -> bool {
        self.gate_is_open()
            && self
                .access
                .lock_after
                .is_some_and(|d| self.access.instant >= self.access.last_input + d)
    }

    /// A key or paste reached the open caseload: the idle time restarts.
    pub(super) fn note_input(&mut self) {
        if self.gate_is_open() {
            self.access.last_input = self.access.instant;
        }
    }

    /// Key contexts while a gate screen is up.
    pub(super) fn gate_focus(&self) -> Option<(&'static [Context], bool)> {
        match &self.access.gate {
            Gate::Open => None,
            Gate::Starting { .. } => Some((signin::CHAIN_RESUME, false)),
            Gate::SignIn(s) | Gate::Locked(s) => Some(s.context()),
        }
    }

    /// A key typed while a gate screen is up.
    pub(super) fn gate_type(&mut self, ev: KeyEvent) {
        self.access.quit_asked = false;
        if let Gate::SignIn(s) | Gate::Locked(s) = &mut self.access.gate {
            s.text_key(ev);
        }
    }

    /// A paste while a gate screen is up.
    pub(super) fn gate_paste(&mut self, text: &str) {
        if let Gate::SignIn(s) | Gate::Locked(s) = &mut self.access.gate {
            s.paste(text);
        }
    }

    pub(super) fn toggle_privacy(&mut self) {
        self.access.privacy = !self.access.privacy;
        // The last message may name a peer; replace it either way.
        let reveal = self
            .keymap
            .key_for(&[crate::ui::keymap::Context::Global], false, Action::Reveal)
            .unwrap_or_else(|| "reveal".into());
        self.status.info(if self.access.privacy {
            format!("Privacy mode on: initials, notes and goals hidden; {reveal} shows the selected one")
        } else {
            "Privacy mode off".to_string()
        });
    }

    /// What a gate screen shows, or None while the caseload is shown.
    pub fn gate_view(&self) -> Option<GateView<'_>> {
        let (title, sign_in, note) = match &self.access.gate {
            Gate::Open => return None,
            Gate::Starting { error } => (
                "Starting",
                None,
                Some(match error {
                    Some(e) => (e.as_str(), true),
                    None => ("Checking who may sign in…", false),
                }),
            ),
            Gate::SignIn(s) => ("Sign in", Some(&**s), None),
            Gate::Locked(s) => ("Locked", Some(&**s), None),
        };
        Some(GateView {
            title,
            organization: &self.organization,
            location: &self.status.location,
            demo: self.demo,
            sign_in,
            note,
            now: self.access.instant,
        })
    }
}

/// True for answers that belong to the shell (who may sign in, audit
/// entries, live notices) rather than to the session that asked.
pub(super) fn for_the_shell(response: &Response) -> bool {
    matches!(
        response,
        Response::Access(_)
            | Response::SignedIn { .. }
            | Response::Recorded(_)
            | Response::Subscribed(_)
            | Response::Change(_)
            | Response::NoticesStopped
    )
}
