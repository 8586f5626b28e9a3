//! The application state and the one place it changes: keys become named
//! actions through the keymap, and [`App::update`] applies them, handing
//! screen-specific work to each screen's own `handle`. Store work is only
//! *requested* here (see [`App::take_requests`]); results come back through
//! [`App::on_response`]. Nothing in this file touches the terminal or disk,
//! so every behaviour can be tested by feeding keys and responses.

pub mod access;

use std::time::Instant;

use chrono::{DateTime, FixedOffset, NaiveDate};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::model::{Actor, PeerId};
use crate::ops::{local_now, os_login};
use crate::ui::action::Action;
use crate::ui::keymap::{sequence_label, Context, Key, Keymap, Lookup};
use crate::ui::layer::{Layer, Reply};
use crate::ui::privacy::shown_name;
use crate::ui::screens::audit::AuditState;
use crate::ui::screens::checkin::{CheckInForm, FormOutcome};
use crate::ui::screens::credentials::CredentialsState;
use crate::ui::screens::groups::GroupsState;
use crate::ui::screens::help::HelpState;
use crate::ui::screens::peer::PeerState;
use crate::ui::screens::peer_tabs::PeerView;
use crate::ui::screens::peers::PeersState;
use crate::ui::screens::popup::Popup;
use crate::ui::screens::reports::ReportsState;
use crate::ui::screens::today::TodayState;
use crate::ui::screens::Effect;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::confirm::{Confirm, OnYes};
use crate::ui::widgets::status_line::StatusState;
use crate::ui::worker::{Request, RequestId, Response, SignInCandidate, StaffRow};

mod assess;
mod center;
mod consents;
mod corrections;
mod credentials;
mod groups;
mod here_now;
mod import;
mod layers;
mod plan;
mod referral;
pub use referral::{
    CardPopup, ReferralsTab, ResourceForm, ResourceList, ResourcePicker, ResourcesScreen,
    StatusForm,
};
mod reports;
mod undo;
pub use undo::UndoJournal;

pub use center::{
    object_pronoun, Ask, PeerForm, PeerFormFor, Question, SetupForm, StaffForm, StaffFormFor,
    StaffScreen,
};
pub use consents::RevokePrompt;
pub(crate) use credentials::{ceu_request, supervision_request};
pub use import::{plan_lines, ImportDialog, ImportStage};
pub use layers::CommandLine;
use layers::{BaseLayer, GateLayer};
pub use reports::{write_csv_file, PromptFor, ReportPrompt};

/// The top-level panes, cycled with Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// Who needs contact today.
    Today,
    /// The roster.
    Peers,
    /// One peer's page.
    Peer,
    /// Groups and their sessions.
    Groups,
    /// The audit browser (supervisors and admins).
    Audit,
    /// The service report for funders.
    Reports,
    /// A staff member's certifications, CE hours and supervision.
    Credentials,
    /// Who signed in today (from Today, `h`).
    HereNow,
}

/// How the app starts.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Show "DEMO DATA" in the title bar.
    pub demo: bool,
    /// `--staff`, passed to the store worker to choose who is working.
    pub staff: Option<String>,
    /// Styles.
    pub theme: Theme,
    /// Where "now" comes from (tests pass a fixed clock).
    pub clock: fn() -> DateTime<FixedOffset>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            demo: false,
            staff: None,
            theme: Theme::from_env(),
            clock: local_now,
        }
    }
}

const CHAIN_TODAY: &[Context] = &[Context::Today, Context::List, Context::Global];
const CHAIN_PEERS: &[Context] = &[Context::Peers, Context::List, Context::Global];
const CHAIN_SEARCH: &[Context] = &[Context::Input, Context::List, Context::Global];

/// The whole UI: a shell (keymap, styles, status line, layer stack, who
/// may sign in, the outbox to the store) around the signed-in user's
/// [`UserSession`], which owns every feature's state. Another user signing
/// in at the lock screen replaces the session in one assignment.
pub struct App {
    /// The active keymap (and its problems).
    pub keymap: Keymap,
    /// Styles.
    theme: Theme,
    /// Title-bar badge.
    demo: bool,
    /// Organization name from the store's settings.
    organization: String,
    /// Status line.
    pub status: StatusState,
    /// Keys of a sequence typed so far (`g` of `g g`).
    pending: Vec<Key>,
    /// The current moment (updated on every event).
    pub now: DateTime<FixedOffset>,
    /// The day Today is for.
    date: NaiveDate,
    /// Sign-in, lock, privacy mode (see `app::access`).
    access: access::AccessState,
    /// The signed-in user's screens.
    user: UserSession,
    /// Forms, popups and overlays over the pane, bottom first; the top
    /// one has the keyboard (see `ui::layer`).
    layers: Vec<Box<dyn Layer>>,
    options: AppOptions,
    clock: fn() -> DateTime<FixedOffset>,
    requests: Outbox,
    quit: bool,
    quit_when_saved: bool,
}

/// What belongs to the user signed in (or chosen) at this terminal: every
/// feature's state. None of it outlives a switch of user.
pub struct UserSession {
    /// Numbers this session's requests ([`RequestId::session`]).
    serial: u64,
    /// Who is working (None when no staff exist yet).
    who: Option<SignInCandidate>,
    /// The pane in front.
    pane: Pane,
    /// Where `back` from the peer page goes.
    back_pane: Pane,
    /// Where closing the audit browser goes.
    audit_back: Pane,
    /// Today screen.
    today: TodayState,
    /// Peers screen.
    peers: PeersState,
    /// Peer screen, once a peer was opened.
    peer: Option<PeerState>,
    /// The peer page's tabs (plan, timeline, wellness plan).
    peer_view: PeerView,
    /// The Groups screen.
    groups: GroupsState,
    /// The audit browser, once opened.
    audit: Option<AuditState>,
    /// The Reports screen.
    reports: ReportsState,
    /// The Credentials screen.
    credentials: CredentialsState,
    /// "Here now": today's visitors.
    here_now: crate::ui::screens::here_now::HereNowState,
    /// What this session changed and may undo (`u`).
    undo: UndoJournal,
    /// The check-in last sent to be saved, kept in case the store asks
    /// for a yes first (dated in the future, peer not active).
    unconfirmed: Option<(crate::model::CheckIn, Actor)>,
}

impl UserSession {
    /// A session with nothing loaded yet.
    fn new(serial: u64, who: Option<SignInCandidate>, theme: &Theme) -> UserSession {
        let mut s = UserSession {
            serial,
            who,
            pane: Pane::Today,
            back_pane: Pane::Today,
            audit_back: Pane::Today,
            today: TodayState {
                loading: true,
                ..TodayState::default()
            },
            peers: PeersState::default(),
            peer: None,
            peer_view: PeerView::default(),
            groups: GroupsState::default(),
            audit: None,
            reports: ReportsState::new(NaiveDate::MIN),
            credentials: CredentialsState::default(),
            here_now: Default::default(),
            undo: UndoJournal::default(),
            unconfirmed: None,
        };
        s.peers.query.set_focused(false, theme);
        s
    }
}

/// What [`App::cancel_unsaved`] came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cancelled {
    /// A save is on its way: the editor stays open.
    Stays,
    /// "Discard?" was asked; the answer decides.
    Asked,
    /// Nothing to lose: the editor closes now.
    Close,
}

impl Cancelled {
    /// As a layer's reply: only `Close` closes the layer.
    pub(crate) fn reply(self) -> Reply {
        match self {
            Cancelled::Close => Reply::Close,
            Cancelled::Stays | Cancelled::Asked => Reply::Done,
        }
    }
}

/// Store work queued for the worker, each request numbered by the session
/// that asked, so that answers are matched to their asker.
#[derive(Debug, Default)]
struct Outbox {
    session: u64,
    seq: u64,
    queued: Vec<(RequestId, Request)>,
}

impl Outbox {
    fn push(&mut self, request: Request) {
        self.push_id(request);
    }

    /// Queues `request` and gives the id its answer will carry.
    fn push_id(&mut self, request: Request) -> RequestId {
        self.seq += 1;
        let id = RequestId {
            session: self.session,
            seq: self.seq,
        };
        self.queued.push((id, request));
        id
    }

    fn iter(&self) -> impl Iterator<Item = &Request> {
        self.queued.iter().map(|(_, r)| r)
    }

    fn retain(&mut self, keep: impl Fn(&Request) -> bool) {
        self.queued.retain(|(_, r)| keep(r));
    }
}

impl App {
    /// A new app. Shows nothing of the caseload yet: it first asks who may
    /// sign in, and loads who is working, Today and the roster once someone
    /// is (see `app::access`).
    pub fn new(keymap: Keymap, options: AppOptions) -> App {
        let now = (options.clock)();
        let kept = options.clone();
        let mut app = App {
            keymap,
            theme: options.theme,
            demo: options.demo,
            organization: String::new(),
            status: StatusState::default(),
            pending: Vec::new(),
            now,
            date: now.date_naive(),
            access: access::AccessState::new(Instant::now()),
            user: UserSession::new(1, None, &options.theme),
            layers: Vec::new(),
            options: kept,
            clock: options.clock,
            requests: Outbox {
                session: 1,
                ..Outbox::default()
            },
            quit: false,
            quit_when_saved: false,
        };
        app.requests.push(Request::Access {
            staff: options.staff,
        });
        app
    }

    /// Work for the store thread queued since the last call (tests; the
    /// runtime takes them with their ids, [`App::take_tagged`]).
    pub fn take_requests(&mut self) -> Vec<Request> {
        self.take_tagged().into_iter().map(|(_, r)| r).collect()
    }

    /// Work for the store thread queued since the last call, each with the
    /// id its answer comes back with (see [`App::on_reply`]).
    pub fn take_tagged(&mut self) -> Vec<(RequestId, Request)> {
        std::mem::take(&mut self.requests.queued)
    }

    /// True once the user asked to quit (and confirmed, if needed).
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Reads the clock; a new day reloads Today.
    pub fn tick(&mut self) {
        self.now = (self.clock)();
        let date = self.now.date_naive();
        if date != self.date {
            self.date = date;
            self.request_today();
        }
    }

    fn request_today(&mut self) {
        let for_staff = if self.user.today.mine_only {
            match &self.status.staff {
                Some(Ok(s)) => Some(s.id),
                _ => {
                    self.user.today.mine_only = false;
                    self.status
                        .error("showing everyone: no staff member chosen (start with --staff)");
                    None
                }
            }
        } else {
            None
        };
        self.user.today.loading = true;
        self.requests.push(Request::Today {
            date: self.date,
            for_staff,
        });
    }

    /// The key contexts where the focus is, most specific first, and
    /// whether printable keys type text there: the top layer's.
    pub fn focus_context(&self) -> (&'static [Context], bool) {
        if !self.gate_open() {
            return GateLayer.context(self);
        }
        match self.layers.last() {
            Some(top) => top.context(self),
            None => BaseLayer.context(self),
        }
    }

    /// The key hints of the top layer (None: it draws the hints line).
    pub fn hints(&self) -> Option<&'static [(Action, &'static str)]> {
        if !self.gate_open() {
            return GateLayer.hints(self);
        }
        match self.layers.last() {
            Some(top) => top.hints(self),
            None => BaseLayer.hints(self),
        }
    }

    /// Handles one terminal event, at the app's current instant (the
    /// runtime uses [`App::handle_event_at`]).
    pub fn handle_event(&mut self, event: Event) {
        self.tick();
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
            Event::Paste(s) => self.handle_paste(&s),
            // Nothing to record: every view keeps the rows it drew last
            // (`widgets::list::Viewport`), and the runtime draws again.
            _ => {}
        }
    }

    /// Handles one key: through the keymap to an action, or into the
    /// focused text field.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        self.note_input();
        // What the reveal key showed is hidden again by the next key.
        self.access.reveal = false;
        let key = Key::from_event(&ev);
        if !self.pending.is_empty() && key.code == KeyCode::Esc && key.mods == KeyModifiers::NONE {
            self.pending.clear();
            return;
        }
        let (chain, typing) = self.focus_context();
        let mut pressed = self.pending.clone();
        pressed.push(key);
        match self.keymap.lookup(chain, typing, &pressed) {
            Lookup::Action(a) => {
                self.pending.clear();
                self.update(a);
            }
            Lookup::Pending => self.pending = pressed,
            Lookup::Unbound => {
                if !self.pending.is_empty() {
                    // The sequence went nowhere: typed keys become text,
                    // then this key is tried on its own.
                    let old = std::mem::take(&mut self.pending);
                    if typing {
                        for k in old {
                            self.type_key(KeyEvent::new(k.code, k.mods));
                        }
                    }
                    self.handle_key(ev);
                } else if typing {
                    self.type_key(ev);
                }
            }
        }
    }

    /// The keys of a pending sequence, for the status line.
    pub fn pending_label(&self) -> Option<String> {
        (!self.pending.is_empty()).then(|| sequence_label(&self.pending))
    }

    fn type_key(&mut self, ev: KeyEvent) {
        if !self.gate_open() {
            GateLayer.text_key(ev, self);
            return;
        }
        match self.layers.len().checked_sub(1) {
            Some(top) => {
                self.call_layer(top, |l, app| l.text_key(ev, app));
            }
            None => {
                BaseLayer.text_key(ev, self);
            }
        }
    }

    /// Pastes text into the focused text field (bracketed paste).
    pub fn handle_paste(&mut self, s: &str) {
        if !self.gate_open() {
            GateLayer.paste(s, self);
            return;
        }
        self.note_input();
        match self.layers.len().checked_sub(1) {
            Some(top) => {
                self.call_layer(top, |l, app| l.paste(s, app));
            }
            None => {
                BaseLayer.paste(s, self);
            }
        }
    }

    /// Applies one action: the only way state changes in response to keys.
    /// It goes to the top layer; a layer that passes hands it to the one
    /// beneath, and the base pane comes last.
    pub fn update(&mut self, action: Action) {
        if !self.gate_open() {
            GateLayer.action(action, self);
            return;
        }
        if self.access_action(action) {
            return;
        }
        let mut i = self.layers.len();
        while i > 0 {
            i -= 1;
            match self.call_layer(i, |l, app| l.action(action, app)) {
                Reply::Done | Reply::Close => return,
                Reply::Pass | Reply::CloseAndPass => i = i.min(self.layers.len()),
            }
        }
        BaseLayer.action(action, self);
    }

    /// Calls layer `i` with the app (the layer is off the stack meanwhile,
    /// so it may push layers above itself), then keeps or drops it as it
    /// replied.
    fn call_layer(&mut self, i: usize, f: impl FnOnce(&mut dyn Layer, &mut App) -> Reply) -> Reply {
        if i >= self.layers.len() {
            return Reply::Pass;
        }
        let mut layer = self.layers.remove(i);
        let serial = self.user.serial;
        let reply = f(layer.as_mut(), self);
        let keep = matches!(reply, Reply::Done | Reply::Pass);
        // A stack replaced meanwhile (another user signed in) keeps nothing
        // of the old one.
        if keep && serial == self.user.serial {
            let at = i.min(self.layers.len());
            self.layers.insert(at, layer);
        }
        reply
    }

    /// Opens a layer on top of the stack.
    pub fn push_layer(&mut self, layer: impl Layer) {
        self.layers.push(Box::new(layer));
    }

    /// The topmost open layer of type `T`.
    pub fn layer<T: Layer>(&self) -> Option<&T> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.as_any().downcast_ref::<T>())
    }

    /// The topmost open layer of type `T`, to change it.
    pub fn layer_mut<T: Layer>(&mut self) -> Option<&mut T> {
        self.layers
            .iter_mut()
            .rev()
            .find_map(|l| l.as_any_mut().downcast_mut::<T>())
    }

    /// Closes the topmost layer of type `T`, if one is open.
    pub fn close_layer<T: Layer>(&mut self) -> Option<Box<dyn Layer>> {
        let i = self.layers.iter().rposition(|l| l.as_any().is::<T>())?;
        Some(self.layers.remove(i))
    }

    /// Takes the topmost layer of type `T` off the stack.
    pub fn take_layer<T: Layer>(&mut self) -> Option<T> {
        let i = self.layers.iter().rposition(|l| l.as_any().is::<T>())?;
        self.layers
            .remove(i)
            .into_any()
            .downcast::<T>()
            .ok()
            .map(|b| *b)
    }

    /// True while a question, help or the command line is open.
    pub fn overlay_open(&self) -> bool {
        self.confirm().is_some() || self.help().is_some() || self.command_line().is_some()
    }

    /// How many layers are open over the pane.
    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// The check-in form, while open.
    pub fn form(&self) -> Option<&CheckInForm> {
        self.layer::<CheckInForm>()
    }

    /// The small form (goal, step, review, entry, group, walk-in), while open.
    pub fn popup(&self) -> Option<&Popup> {
        self.layer::<Popup>()
    }

    /// The question asked, while it waits for yes or no.
    pub fn confirm(&self) -> Option<&Confirm> {
        self.layer::<Confirm>()
    }

    /// The help overlay, while open.
    pub fn help(&self) -> Option<&HelpState> {
        self.layer::<HelpState>()
    }

    /// The command line, while open.
    pub fn command_line(&self) -> Option<&CommandLine> {
        self.layer::<CommandLine>()
    }

    /// The base pane as a layer, for drawing.
    pub(crate) fn base_layer(&self) -> &'static dyn Layer {
        &BaseLayer
    }

    /// The sign-in and lock gate as a layer, for drawing.
    pub(crate) fn gate_layer(&self) -> &'static dyn Layer {
        &GateLayer
    }

    /// The layers bottom first, for drawing.
    pub(crate) fn layers(&self) -> impl Iterator<Item = &dyn Layer> {
        self.layers.iter().map(|l| l.as_ref())
    }

    /// The base pane's key contexts.
    fn base_focus(&self) -> (&'static [Context], bool) {
        match self.user.pane {
            Pane::Today => (CHAIN_TODAY, false),
            Pane::Peers if self.user.peers.searching => (CHAIN_SEARCH, true),
            Pane::Peers => (CHAIN_PEERS, false),
            Pane::Peer => self.user.peer_view.context(),
            Pane::Groups => self.user.groups.context(),
            Pane::Audit => self.audit_focus(),
            Pane::Reports => self.reports_focus(),
            Pane::Credentials => self.credentials_focus(),
            Pane::HereNow => self.here_now_focus(),
        }
    }

    /// A key typed on the base pane.
    fn base_type(&mut self, ev: KeyEvent) {
        match self.user.pane {
            Pane::Peers if self.user.peers.searching => self.user.peers.text_key(ev),
            Pane::Groups => self.groups_text_key(ev),
            Pane::Audit => self.audit_type(ev),
            _ => {}
        }
    }

    /// A paste on the base pane.
    fn base_paste(&mut self, s: &str) {
        match self.user.pane {
            Pane::Groups => self.groups_paste(s),
            Pane::Audit => self.audit_paste(s),
            Pane::Peers => {
                self.user.peers.searching = true;
                self.user.peers.query.set_focused(true, &self.theme);
                self.user.peers.paste(s);
            }
            _ => {}
        }
    }

    /// An action that no layer took: the shell's own, then the pane's.
    fn base_action(&mut self, action: Action) {
        if self.audit_pane_action(action) {
            return;
        }
        match action {
            Action::Quit => return self.request_quit(),
            Action::Help => return self.push_layer(HelpState::default()),
            Action::Command => return self.push_layer(CommandLine::new(&self.theme)),
            Action::Undo => return self.undo_last(),
            Action::ShowMessage => return self.show_message(),
            Action::Refresh => {
                self.request_today();
                self.requests.push(Request::Roster);
                if let Some(p) = &self.user.peer {
                    self.requests.push(Request::Peer(p.id));
                }
                self.refresh_tabs();
                if self.user.pane == Pane::Credentials {
                    self.request_credentials();
                }
                if self.user.here_now.opened {
                    self.request_here_now();
                }
                self.status.info("reloading…");
                return;
            }
            _ => {}
        }
        if self.center_action(action) {
            return;
        }

        if self.in_attendance() {
            return self.groups_action(action);
        }

        match action {
            Action::CheckIn => return self.open_form(),
            Action::Save => return self.status.info("nothing to save here"),
            Action::GoToday => {
                self.user.pane = Pane::Today;
                self.request_today();
                return;
            }
            Action::GoPeers => {
                self.user.pane = Pane::Peers;
                return;
            }
            Action::GoGroups => return self.open_groups(),
            Action::GoReports => return self.open_reports(),
            Action::GoResources => return self.open_resources(),
            Action::GoCredentials => return self.open_credentials(),
            Action::Kiosk => return self.start_kiosk(),
            Action::HereNow if self.user.pane == Pane::Today => return self.open_here_now(),
            Action::Search => {
                self.user.pane = Pane::Peers;
                self.user.peers.searching = true;
                self.user.peers.query.set_focused(true, &self.theme);
                return;
            }
            Action::NextPane | Action::PrevPane => {
                let panes = self.panes();
                let i = panes.iter().position(|p| *p == self.user.pane).unwrap_or(0);
                let n = panes.len();
                let next = if action == Action::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.user.pane = panes[next];
                return;
            }
            _ => {}
        }

        if self.user.pane == Pane::Peer && self.referral_peer_action(action) {
            return;
        }
        if self.user.pane == Pane::Peer && self.peer_page_action(action) {
            return;
        }
        if self.user.pane == Pane::Today
            && (self.today_plan_action(action) || self.today_consent_action(action))
        {
            return;
        }
        if self.user.pane == Pane::Peers && action == Action::ImportPeers {
            return self.open_import();
        }
        let effect = match self.user.pane {
            Pane::Reports => {
                self.reports_action(action);
                Effect::None
            }
            Pane::Credentials => {
                self.credentials_action(action);
                Effect::None
            }
            Pane::Groups => {
                self.groups_action(action);
                Effect::None
            }
            Pane::Today => self.user.today.handle(action),
            Pane::HereNow => self.here_now_action(action),
            Pane::Peers => {
                let was_searching = self.user.peers.searching;
                let nothing_to_clear = self.user.peers.query.is_empty() && !was_searching;
                if action == Action::Back && nothing_to_clear {
                    self.user.pane = Pane::Today;
                    Effect::None
                } else {
                    let e = self.user.peers.handle(action);
                    if self.user.peers.searching != was_searching {
                        self.user
                            .peers
                            .query
                            .set_focused(self.user.peers.searching, &self.theme);
                    }
                    e
                }
            }
            Pane::Audit => {
                self.audit_action(action);
                Effect::None
            }
            Pane::Peer => {
                if action == Action::Back {
                    self.user.pane = self.user.back_pane;
                    Effect::None
                } else {
                    match &mut self.user.peer {
                        Some(p) => p.handle(action),
                        None => Effect::None,
                    }
                }
            }
        };
        self.apply(effect);
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::OpenPeer(id, name) => self.open_peer(id, name),
            Effect::ReloadToday => self.request_today(),
            Effect::Info(s) => self.status.info(s),
        }
    }

    fn panes(&self) -> Vec<Pane> {
        let mut v = vec![Pane::Today, Pane::Peers];
        if self.user.peer.is_some() {
            v.push(Pane::Peer);
        }
        if self.user.groups.opened {
            v.push(Pane::Groups);
        }
        if self.user.audit.is_some() {
            v.push(Pane::Audit);
        }
        if self.user.reports.opened {
            v.push(Pane::Reports);
        }
        if self.user.credentials.opened {
            v.push(Pane::Credentials);
        }
        if self.user.here_now.opened {
            v.push(Pane::HereNow);
        }
        v
    }

    /// The pane labels for the title bar, with the active one marked.
    pub fn pane_labels(&self) -> Vec<(String, bool)> {
        self.panes()
            .into_iter()
            .map(|p| {
                let label = match p {
                    Pane::Today => "Today".to_string(),
                    Pane::Peers => "Peers".to_string(),
                    Pane::Peer => format!(
                        "Peer: {}",
                        shown_name(
                            self.user
                                .peer
                                .as_ref()
                                .map(|s| s.name.as_str())
                                .unwrap_or(""),
                            self.access.privacy
                        )
                    ),
                    Pane::Groups => "Groups".to_string(),
                    Pane::Audit => "Audit".to_string(),
                    Pane::Reports => "Reports".to_string(),
                    Pane::Credentials => "Credentials".to_string(),
                    Pane::HereNow => "Here now".to_string(),
                };
                (label, p == self.user.pane)
            })
            .collect()
    }

    fn open_peer(&mut self, id: PeerId, name: String) {
        if self.user.pane != Pane::Peer {
            self.user.back_pane = self.user.pane;
        }
        self.reset_peer_view(id);
        self.user.peer = Some(PeerState::new(id, name));
        self.user.pane = Pane::Peer;
        // Recorded on the audit trail before it is loaded.
        let actor = self.actor();
        self.requests.push(Request::OpenPeer { id, actor });
    }

    fn selected_peer(&self) -> Option<(PeerId, String)> {
        match self.user.pane {
            Pane::Today => self.user.today.selected_peer(),
            Pane::Peers => self.user.peers.selected_peer(),
            Pane::Peer => self.user.peer.as_ref().map(|p| (p.id, p.name.clone())),
            Pane::Groups | Pane::Audit | Pane::Reports | Pane::Credentials => None,
            Pane::HereNow => self.user.here_now.selected_peer(),
        }
    }

    fn open_form(&mut self) {
        let pre = self.selected_peer();
        let mut form = CheckInForm::new(&self.user.peers.roster, pre, self.theme);
        if self.user.peers.loaded {
            form.picker.mark_loaded();
        }
        self.push_layer(form);
        self.user.peers.searching = false;
    }

    /// What the check-in form's outcome means for the app.
    pub(super) fn form_outcome(&mut self, form: &mut CheckInForm, outcome: FormOutcome) -> Reply {
        match outcome {
            FormOutcome::None => Reply::Done,
            FormOutcome::Picked(id) => {
                self.requests.push(Request::Goals(id));
                Reply::Done
            }
            FormOutcome::Save => {
                self.save_form(form);
                Reply::Done
            }
            FormOutcome::Cancel => self
                .cancel_unsaved(
                    form.saving,
                    form.is_dirty(),
                    "Discard this check-in? What you typed will be lost.",
                    OnYes::DiscardForm,
                )
                .reply(),
        }
    }

    /// The one way an editor (the check-in form, a small form, the
    /// attendance screen) is cancelled: while its save is on the way it
    /// stays open and says so; with unsaved changes it asks `question`
    /// first (yes does `on_yes`); with nothing to lose it closes.
    pub(crate) fn cancel_unsaved(
        &mut self,
        saving: bool,
        dirty: bool,
        question: &str,
        on_yes: OnYes,
    ) -> Cancelled {
        if saving {
            self.status
                .info("saving… the form closes when the store confirms");
            Cancelled::Stays
        } else if dirty {
            self.push_layer(Confirm {
                question: question.into(),
                on_yes,
            });
            Cancelled::Asked
        } else {
            Cancelled::Close
        }
    }

    fn save_form(&mut self, form: &mut CheckInForm) {
        self.tick();
        let staff = match &self.status.staff {
            Some(Ok(s)) => Ok(s.id),
            Some(Err(e)) => Err(format!("no staff member chosen ({e})")),
            None => Err("still loading who is working; try again in a moment".into()),
        };
        let now = self.now;
        if form.saving {
            return;
        }
        let staff = match staff {
            Ok(s) => s,
            Err(e) => {
                form.save_failed(e.clone());
                self.status.error(format!("Not saved: {e}"));
                return;
            }
        };
        if form.editing.is_some() {
            return self.save_correction(form, staff, now);
        }
        match form.build(staff, now) {
            Ok(checkin) => {
                form.errors.clear();
                form.failure = None;
                form.saving = true;
                let actor = Actor::staff(staff, os_login());
                self.user.unconfirmed = Some((checkin.clone(), actor.clone()));
                self.requests.push(Request::SaveCheckIn {
                    checkin,
                    actor,
                    confirmed: false,
                });
                self.status.info("saving…");
            }
            Err(errors) => {
                if let Some((_, first)) = errors.first() {
                    self.status.error(format!("Not saved: {first}"));
                }
                form.show_errors(errors);
            }
        }
    }

    fn request_quit(&mut self) {
        match self.form() {
            Some(f) if f.saving => {
                self.quit_when_saved = true;
                self.status
                    .info("saving… caseload quits when the store confirms");
            }
            Some(f) if f.is_dirty() => {
                self.push_layer(Confirm {
                    question: "Quit and discard the unsaved check-in?".into(),
                    on_yes: OnYes::DiscardAndQuit,
                });
            }
            _ => self.quit_or_ask(),
        }
    }

    /// Takes the store thread's answer to request `id` (None: a notice
    /// nobody asked for). An answer to a session since replaced by another
    /// user's is dropped: it is not theirs to see.
    pub fn on_reply(&mut self, id: Option<RequestId>, response: Response) {
        if let Some(id) = id {
            if id.session != self.user.serial && !App::for_the_shell(&response) {
                tracing::debug!("dropped an answer for a replaced session: {id:?}");
                return;
            }
            if let Response::Report(r) = response {
                return self.on_report_reply(id, *r);
            }
            if let Response::HereNow(r) = response {
                return self.on_here_now_reply(id, *r);
            }
        }
        self.on_response(response);
    }

    /// Takes a result from the store thread, for the session in front.
    pub fn on_response(&mut self, response: Response) {
        match response {
            Response::Ready {
                location,
                organization,
                staff,
                staff_list,
            } => {
                self.status.location = location;
                self.organization = organization;
                self.user.peers.staff = staff_list;
                if let Err(e) = &staff {
                    tracing::warn!("no acting staff: {e}");
                }
                self.status.staff = Some(staff);
            }
            Response::Today(Ok(report)) => self.user.today.set_report(report),
            Response::Today(Err(e)) => {
                self.user.today.loading = false;
                self.status.error(format!("Today: {e}"));
                self.user.today.error = Some(e);
            }
            Response::Roster(Ok(rows)) => {
                self.user.peers.set_roster(rows);
                let roster = self.user.peers.roster.clone();
                if let Some(f) = self.layer_mut::<CheckInForm>() {
                    f.set_roster(&roster);
                    f.picker.mark_loaded();
                }
                self.groups_after_roster();
            }
            Response::Roster(Err(e)) => {
                self.status.error(format!("Roster: {e}"));
                self.user.peers.error = Some(e);
            }
            Response::Peer(id, result) => {
                if let Some(p) = self.user.peer.as_mut().filter(|p| p.id == id) {
                    match result {
                        Ok(d) => {
                            p.name = d.overview.peer.display_name.clone();
                            p.detail = Some(d);
                            p.error = None;
                        }
                        Err(e) => p.error = Some(e),
                    }
                }
                self.checkins_after_peer();
            }
            Response::Goals(id, result) => {
                if let Some(f) = self.layer_mut::<CheckInForm>() {
                    f.set_goals(id, result);
                }
            }
            Response::Saved(Ok(record)) => {
                let name = self
                    .form()
                    .and_then(|f| f.peer.as_ref().map(|(_, n)| n.clone()))
                    .unwrap_or_default();
                // The form and a question about discarding it are done.
                self.close_layer::<CheckInForm>();
                self.close_layer::<Confirm>();
                self.status.last_save = Some(self.now);
                self.status.info(format!(
                    "Saved check-in {} with {} ({}) at {}",
                    record.id,
                    shown_name(&name, self.access.privacy),
                    record.peer,
                    self.now.format("%H:%M")
                ));
                self.request_today();
                self.requests.push(Request::Roster);
                if let Some(p) = self.user.peer.as_ref().filter(|p| p.id == record.peer) {
                    self.requests.push(Request::Peer(p.id));
                }
                self.plan_after_checkin(record.peer);
                if self.quit_when_saved {
                    self.quit = true;
                }
            }
            Response::Saved(Err(e)) => {
                self.quit_when_saved = false;
                self.status.error(format!("Not saved: {e}"));
                if let Some(f) = self.layer_mut::<CheckInForm>() {
                    f.refused(&e);
                }
            }
            Response::NeedsConfirmation(why) => self.on_needs_confirmation(why),
            r @ (Response::CheckInHistory(..)
            | Response::CheckInEdited(_)
            | Response::CheckInVoided(_)) => self.on_correction_response(r),
            Response::Undoable(change) => self.on_undoable(*change),
            Response::Undone(r) => self.on_undone(r),
            Response::Plan(r) => self.on_plan_response(*r),
            Response::Groups(r) => self.on_groups_response(*r),
            Response::Consent(r) => self.on_consent_response(*r),
            Response::Credentials(r) => self.on_credentials_response(*r),
            Response::ImportPlan(r) => self.on_import_plan(*r),
            Response::Imported(r) => self.on_imported(r),
            Response::Referral(r) => self.on_referral_response(*r),
            Response::AssessmentSaved(r) => self.on_assessment_saved(r),
            Response::Center(r) => self.on_center_response(*r),
            // Taken by id in `on_reply`; without one it answers nobody.
            Response::Report(_) => tracing::debug!("dropped a report answer without an id"),
            Response::HereNow(_) => tracing::debug!("dropped a here-now answer without an id"),
            r @ (Response::Access(_)
            | Response::SignedIn { .. }
            | Response::Recorded(_)
            | Response::Audit(_)
            | Response::Subscribed(_)
            | Response::Change(_)
            | Response::NoticesStopped) => self.on_access_response(r),
        }
    }

    fn view_ctx(&self) -> ViewCtx<'_> {
        ViewCtx {
            theme: &self.theme,
            keymap: &self.keymap,
            now: self.now,
            today: self.date,
            privacy: self.access.privacy,
            reveal: self.access.privacy && self.access.reveal,
        }
    }

    /// Organization name from the store's settings (title bar, gates).
    pub fn organization(&self) -> &str {
        &self.organization
    }

    /// True when the title bar says "DEMO DATA".
    pub fn demo(&self) -> bool {
        self.demo
    }

    /// Styles.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Changes the styles (drawing with colour in tests).
    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
    }

    /// The day Today is for.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The pane in front.
    pub fn pane(&self) -> Pane {
        self.user.pane
    }

    /// The Today screen.
    pub fn today(&self) -> &TodayState {
        &self.user.today
    }

    /// The Peers screen.
    pub fn peers(&self) -> &PeersState {
        &self.user.peers
    }

    /// The peer page, once a peer was opened.
    pub fn peer(&self) -> Option<&PeerState> {
        self.user.peer.as_ref()
    }

    /// The peer page's tabs.
    pub fn peer_view(&self) -> &PeerView {
        &self.user.peer_view
    }

    /// The Groups screen.
    pub fn groups(&self) -> &GroupsState {
        &self.user.groups
    }

    /// The changes this session may undo, oldest first.
    pub fn undo_journal(&self) -> &UndoJournal {
        &self.user.undo
    }

    /// The audit browser, once opened.
    pub fn audit(&self) -> Option<&AuditState> {
        self.user.audit.as_ref()
    }

    /// The serial of the user session in front (a new one each time
    /// another user signs in at the lock screen).
    pub fn session_serial(&self) -> u64 {
        self.user.serial
    }

    /// The view context for drawing.
    pub fn ctx(&self) -> ViewCtx<'_> {
        self.view_ctx()
    }

    /// Acting staff, once known.
    pub fn staff(&self) -> Option<&StaffRow> {
        self.status.staff.as_ref().and_then(|s| s.as_ref().ok())
    }
}
