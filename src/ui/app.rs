//! The application state and the one place it changes: keys become named
//! actions through the keymap, and [`App::update`] applies them, handing
//! screen-specific work to each screen's own `handle`. Store work is only
//! *requested* here (see [`App::take_requests`]); results come back through
//! [`App::on_response`]. Nothing in this file touches the terminal or disk,
//! so every behaviour can be tested by feeding keys and responses.

/// Lends one feature of the session and a [`Cx`] over the shell at once
/// (disjoint borrows of the app): `split!(app, credentials)` gives
/// `(&mut app.user.credentials, Cx)`, `split!(app)` only the `Cx`.
macro_rules! split {
    ($app:expr, $field:ident) => {{
        let $crate::ui::app::App { shell, user } = $app;
        let $crate::ui::app::UserSession {
            who, nav, $field, ..
        } = user;
        (
            $field,
            $crate::ui::app::Cx {
                shell,
                who: who.as_ref(),
                nav,
            },
        )
    }};
    ($app:expr) => {{
        let $crate::ui::app::App { shell, user } = $app;
        $crate::ui::app::Cx {
            shell,
            who: user.who.as_ref(),
            nav: &mut user.nav,
        }
    }};
}

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
mod audit;
mod center;
mod checkin;
mod consents;
mod corrections;
mod credentials;
mod feature;
mod peer;
mod peers;
mod today;
use audit::AuditBrowser;
use checkin::CheckIns;
pub use peer::PeerPage;
mod groups;
mod here_now;
mod import;
mod layers;
mod shell;
pub use feature::{owner, Feature, FeatureId, PeerAt};
pub(crate) use shell::Cancelled;
pub use shell::{Cx, Nav, Notice, Shell};
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

/// The whole UI: the [`Shell`] (keymap, styles, status line, layer
/// stack, gate, the outbox to the store) and the signed-in user's
/// [`UserSession`], which owns every feature's state. Another user signing
/// in at the lock screen replaces the session in one assignment.
pub struct App {
    /// What every feature needs (see `app::shell`).
    shell: Shell,
    /// The signed-in user's screens.
    user: UserSession,
}

/// What belongs to the user signed in (or chosen) at this terminal: every
/// feature's state. None of it outlives a switch of user.
pub struct UserSession {
    /// Numbers this session's requests ([`RequestId::session`]).
    serial: u64,
    /// Who is working (None when no staff exist yet).
    who: Option<SignInCandidate>,
    /// The pane in front and where `back` goes.
    nav: Nav,
    /// Today screen.
    today: TodayState,
    /// Peers screen.
    peers: PeersState,
    /// The peer page and its tabs, once a peer was opened.
    page: PeerPage,
    /// The Groups screen.
    groups: GroupsState,
    /// The audit browser.
    audit: AuditBrowser,
    /// The Reports screen.
    reports: ReportsState,
    /// The Credentials screen.
    credentials: CredentialsState,
    /// "Here now": today's visitors.
    here_now: crate::ui::screens::here_now::HereNowState,
    /// What this session changed and may undo (`u`).
    undo: UndoJournal,
    /// Saving check-ins and corrections from the check-in form.
    checkin: CheckIns,
    /// Taking an assessment (the sitting is a layer).
    assess: assess::Assess,
    /// Revoking consents (the prompt is a layer).
    consents: consents::Consents,
    /// Importing a roster (the dialog is a layer).
    import: import::Import,
    /// Resources and referrals (the screens are layers).
    referral: referral::Referral,
    /// Set-up, staff and peer records (the screens are layers).
    center: center::Center,
}

impl UserSession {
    /// A session with nothing loaded yet.
    fn new(serial: u64, who: Option<SignInCandidate>, theme: &Theme) -> UserSession {
        let mut s = UserSession {
            serial,
            who,
            nav: Nav::default(),
            today: TodayState {
                loading: true,
                ..TodayState::default()
            },
            peers: PeersState::default(),
            page: PeerPage::default(),
            groups: GroupsState::default(),
            audit: AuditBrowser::default(),
            reports: ReportsState::new(NaiveDate::MIN),
            credentials: CredentialsState::default(),
            here_now: Default::default(),
            undo: UndoJournal::default(),
            checkin: CheckIns::default(),
            assess: assess::Assess,
            consents: consents::Consents,
            import: import::Import,
            referral: referral::Referral,
            center: center::Center,
        };
        s.peers.query.set_focused(false, theme);
        s
    }

    /// Feature `id`, with who is signed in and where the screen is (the
    /// parts of a [`Cx`] the session lends); None for a feature still
    /// handled by `App` itself.
    fn feature(
        &mut self,
        id: FeatureId,
    ) -> Option<(&mut dyn Feature, Option<&SignInCandidate>, &mut Nav)> {
        let UserSession {
            who,
            nav,
            today,
            peers,
            credentials,
            here_now,
            undo,
            reports,
            assess,
            consents,
            import,
            referral,
            center,
            ..
        } = self;
        let f: &mut dyn Feature = match id {
            FeatureId::Today => today,
            FeatureId::Peers => peers,
            FeatureId::Credentials => credentials,
            FeatureId::HereNow => here_now,
            FeatureId::Undo => undo,
            FeatureId::Assess => assess,
            FeatureId::Reports => reports,
            FeatureId::Consents => consents,
            FeatureId::Import => import,
            FeatureId::Referral => referral,
            FeatureId::Center => center,
            _ => return None,
        };
        Some((f, who.as_ref(), nav))
    }

    /// Feature `id`, to read (context, hints, drawing).
    fn feature_ref(&self, id: FeatureId) -> Option<&dyn Feature> {
        Some(match id {
            FeatureId::Today => &self.today,
            FeatureId::Peers => &self.peers,
            FeatureId::Credentials => &self.credentials,
            FeatureId::HereNow => &self.here_now,
            FeatureId::Undo => &self.undo,
            FeatureId::Assess => &self.assess,
            FeatureId::Reports => &self.reports,
            FeatureId::Consents => &self.consents,
            FeatureId::Import => &self.import,
            FeatureId::Referral => &self.referral,
            FeatureId::Center => &self.center,
            _ => return None,
        })
    }
}

/// Every feature, in the order notices are delivered to them.
const FEATURES: &[FeatureId] = &[
    FeatureId::Today,
    FeatureId::Peers,
    FeatureId::PeerPage,
    FeatureId::CheckIn,
    FeatureId::Groups,
    FeatureId::Audit,
    FeatureId::Reports,
    FeatureId::Credentials,
    FeatureId::HereNow,
    FeatureId::Undo,
    FeatureId::Center,
    FeatureId::Consents,
    FeatureId::Referral,
    FeatureId::Import,
    FeatureId::Assess,
];

impl App {
    /// A new app. Shows nothing of the caseload yet: it first asks who may
    /// sign in, and loads who is working, Today and the roster once someone
    /// is (see `app::access`).
    pub fn new(keymap: Keymap, options: AppOptions) -> App {
        let staff = options.staff.clone();
        let theme = options.theme;
        let mut app = App {
            shell: Shell::new(keymap, options, access::AccessState::new(Instant::now())),
            user: UserSession::new(1, None, &theme),
        };
        app.shell.requests.push(Request::Access { staff });
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
        std::mem::take(&mut self.shell.requests.queued)
    }

    /// Calls feature `id` with the shell (None: the feature is not one
    /// of the session's table).
    fn with_feature<R>(
        &mut self,
        id: FeatureId,
        f: impl FnOnce(&mut dyn Feature, &mut Cx) -> R,
    ) -> Option<R> {
        let (feature, who, nav) = self.user.feature(id)?;
        let mut cx = Cx {
            shell: &mut self.shell,
            who,
            nav,
        };
        Some(f(feature, &mut cx))
    }

    /// Delivers the notices features queued on the shell, to every
    /// feature in turn, until none is left (a feature may notify again).
    fn deliver(&mut self) {
        while !self.shell.notices.is_empty() {
            for notice in std::mem::take(&mut self.shell.notices) {
                self.on_notice(&notice);
                for id in FEATURES {
                    self.with_feature(*id, |f, cx| f.on_notice(&notice, cx));
                }
            }
        }
    }

    /// What the app itself does on a notice (the features not yet in the
    /// session's table).
    fn on_notice(&mut self, notice: &Notice) {
        match notice {
            Notice::ReloadShown => self.reload_shown(),
            // Until the peer page is a feature (branch `shell`): the open
            // page of a changed peer reloads.
            Notice::PeerChanged(id)
                if self.user.page.peer.as_ref().is_some_and(|p| p.id == *id) =>
            {
                self.shell.requests.push(Request::Peer(*id));
            }
            Notice::ReferralsChanged(_) => {
                referral::page_notice(&mut self.user.page, notice, &mut self.shell);
            }
            // The shell's: the first admin is who is working now.
            Notice::SignedInAs(admin) => self.user.who = Some((**admin).clone()),
            // Until Groups is a feature (branch `shell`).
            Notice::CheckOffWalkIn(..) => {
                center::check_off_walk_in(&mut self.user.groups, notice, &mut self.shell);
            }
            Notice::OpenPeer(id, name, at) => {
                self.open_peer(*id, name.clone());
                match at {
                    PeerAt::Page => {}
                    PeerAt::Goal(g) => self.show_goal(*g),
                    PeerAt::Tab(t) => self.user.page.view.tab = *t,
                }
            }
            Notice::Go(p) => self.user.nav.pane = *p,
            Notice::RosterLoaded => {
                let roster = self.shell.roster.clone();
                if let Some(f) = self.layer_mut::<CheckInForm>() {
                    f.set_roster(&roster);
                    f.picker.mark_loaded();
                }
                self.groups_after_roster();
            }
            _ => {}
        }
    }

    /// True once the user asked to quit (and confirmed, if needed).
    pub fn should_quit(&self) -> bool {
        self.shell.quit
    }

    /// Reads the clock; a new day reloads Today.
    pub fn tick(&mut self) {
        self.shell.now = (self.shell.options.clock)();
        let date = self.shell.now.date_naive();
        if date != self.shell.date {
            self.shell.date = date;
            self.shell.notify(Notice::ReloadToday);
            self.deliver();
        }
    }

    /// The key contexts where the focus is, most specific first, and
    /// whether printable keys type text there: the top layer's.
    pub fn focus_context(&self) -> (&'static [Context], bool) {
        if !self.gate_open() {
            return GateLayer.context(self);
        }
        match self.shell.layers.last() {
            Some(top) => top.context(self),
            None => BaseLayer.context(self),
        }
    }

    /// The key hints of the top layer (None: it draws the hints line).
    pub fn hints(&self) -> Option<&'static [(Action, &'static str)]> {
        if !self.gate_open() {
            return GateLayer.hints(self);
        }
        match self.shell.layers.last() {
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
        self.shell.access.reveal = false;
        let key = Key::from_event(&ev);
        if !self.shell.pending.is_empty()
            && key.code == KeyCode::Esc
            && key.mods == KeyModifiers::NONE
        {
            self.shell.pending.clear();
            return;
        }
        let (chain, typing) = self.focus_context();
        let mut pressed = self.shell.pending.clone();
        pressed.push(key);
        match self.shell.keymap.lookup(chain, typing, &pressed) {
            Lookup::Action(a) => {
                self.shell.pending.clear();
                self.update(a);
            }
            Lookup::Pending => self.shell.pending = pressed,
            Lookup::Unbound => {
                if !self.shell.pending.is_empty() {
                    // The sequence went nowhere: typed keys become text,
                    // then this key is tried on its own.
                    let old = std::mem::take(&mut self.shell.pending);
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
        (!self.shell.pending.is_empty()).then(|| sequence_label(&self.shell.pending))
    }

    fn type_key(&mut self, ev: KeyEvent) {
        self.type_key_here(ev);
        self.deliver();
    }

    fn type_key_here(&mut self, ev: KeyEvent) {
        if !self.gate_open() {
            GateLayer.text_key(ev, self);
            return;
        }
        match self.shell.layers.len().checked_sub(1) {
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
        self.paste_here(s);
        self.deliver();
    }

    fn paste_here(&mut self, s: &str) {
        if !self.gate_open() {
            GateLayer.paste(s, self);
            return;
        }
        self.note_input();
        match self.shell.layers.len().checked_sub(1) {
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
        self.dispatch(action);
        self.deliver();
    }

    /// Routes one action down the layer stack (see [`App::update`]).
    fn dispatch(&mut self, action: Action) {
        if !self.gate_open() {
            GateLayer.action(action, self);
            return;
        }
        if self.access_action(action) {
            return;
        }
        let mut i = self.shell.layers.len();
        while i > 0 {
            i -= 1;
            match self.call_layer(i, |l, app| l.action(action, app)) {
                Reply::Done | Reply::Close => return,
                Reply::Pass | Reply::CloseAndPass => i = i.min(self.shell.layers.len()),
            }
        }
        BaseLayer.action(action, self);
    }

    /// Calls layer `i` with the app (the layer is off the stack meanwhile,
    /// so it may push layers above itself), then keeps or drops it as it
    /// replied.
    fn call_layer(&mut self, i: usize, f: impl FnOnce(&mut dyn Layer, &mut App) -> Reply) -> Reply {
        if i >= self.shell.layers.len() {
            return Reply::Pass;
        }
        let mut layer = self.shell.layers.remove(i);
        let serial = self.user.serial;
        let reply = f(layer.as_mut(), self);
        let keep = matches!(reply, Reply::Done | Reply::Pass);
        // A stack replaced meanwhile (another user signed in) keeps nothing
        // of the old one.
        if keep && serial == self.user.serial {
            let at = i.min(self.shell.layers.len());
            self.shell.layers.insert(at, layer);
        }
        reply
    }

    /// Opens a layer on top of the stack.
    pub fn push_layer(&mut self, layer: impl Layer) {
        self.shell.push_layer(layer);
    }

    /// The topmost open layer of type `T`.
    pub fn layer<T: Layer>(&self) -> Option<&T> {
        self.shell.layer::<T>()
    }

    /// The topmost open layer of type `T`, to change it.
    pub fn layer_mut<T: Layer>(&mut self) -> Option<&mut T> {
        self.shell.layer_mut::<T>()
    }

    /// Closes the topmost layer of type `T`, if one is open.
    pub fn close_layer<T: Layer>(&mut self) -> Option<Box<dyn Layer>> {
        self.shell.close_layer::<T>()
    }

    /// Takes the topmost layer of type `T` off the stack.
    pub fn take_layer<T: Layer>(&mut self) -> Option<T> {
        self.shell.take_layer::<T>()
    }

    /// True while a question, help or the command line is open.
    pub fn overlay_open(&self) -> bool {
        self.confirm().is_some() || self.help().is_some() || self.command_line().is_some()
    }

    /// How many layers are open over the pane.
    pub fn layer_count(&self) -> usize {
        self.shell.layers.len()
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
        self.shell.layers.iter().map(|l| l.as_ref())
    }

    /// The base pane's key contexts.
    fn base_focus(&self) -> (&'static [Context], bool) {
        if let Some(f) = self.user.feature_ref(self.user.nav.pane.feature()) {
            return f.context(&self.shell);
        }
        match self.user.nav.pane {
            Pane::Peer => self.user.page.view.context(),
            Pane::Groups => self.user.groups.context(),
            Pane::Audit => self.audit_focus(),
            Pane::Today | Pane::Peers | Pane::Credentials | Pane::HereNow | Pane::Reports => {
                unreachable!("in the feature table")
            }
        }
    }

    /// A key typed on the base pane.
    fn base_type(&mut self, ev: KeyEvent) {
        let pane = self.user.nav.pane;
        if self
            .with_feature(pane.feature(), |f, cx| f.text_key(ev, cx))
            .is_some()
        {
            return;
        }
        match pane {
            Pane::Groups => self.groups_text_key(ev),
            Pane::Audit => self.audit_type(ev),
            _ => {}
        }
    }

    /// A paste on the base pane.
    fn base_paste(&mut self, s: &str) {
        let pane = self.user.nav.pane;
        if self
            .with_feature(pane.feature(), |f, cx| f.paste(s, cx))
            .is_some()
        {
            return;
        }
        match pane {
            Pane::Groups => self.groups_paste(s),
            Pane::Audit => self.audit_paste(s),
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
            Action::Command => return self.push_layer(CommandLine::new(&self.shell.theme)),
            Action::Undo => {
                let (undo, mut cx) = split!(self, undo);
                return undo.undo_last(&mut cx);
            }
            Action::ShowMessage => return self.show_message(),
            Action::Refresh => {
                if let Some(p) = &self.user.page.peer {
                    self.shell.requests.push(Request::Peer(p.id));
                }
                self.refresh_tabs();
                self.shell.notify(Notice::Refresh);
                self.shell.status.info("reloading…");
                return;
            }
            _ => {}
        }
        let selected = self.selected_peer();
        let (page, mut cx) = split!(self, page);
        if center::action(action, page, selected, &mut cx) {
            return;
        }

        if self.in_attendance() {
            return self.groups_action(action);
        }

        match action {
            Action::CheckIn => return self.open_form(),
            Action::Save => return self.shell.status.info("nothing to save here"),
            Action::GoToday => {
                let (today, mut cx) = split!(self, today);
                cx.go(Pane::Today);
                return today.request(&mut cx);
            }
            Action::GoPeers => {
                self.user.nav.pane = Pane::Peers;
                return;
            }
            Action::GoGroups => return self.open_groups(),
            Action::GoReports => {
                let (reports, mut cx) = split!(self, reports);
                return reports.open(&mut cx);
            }
            Action::GoResources => return referral::open_resources(&mut split!(self)),
            Action::GoCredentials => {
                let (credentials, mut cx) = split!(self, credentials);
                return credentials.open(&mut cx);
            }
            Action::Kiosk => {
                return here_now::start_kiosk(&mut split!(self));
            }
            Action::HereNow if self.user.nav.pane == Pane::Today => {
                let (here_now, mut cx) = split!(self, here_now);
                return here_now.open(&mut cx);
            }
            Action::Search => {
                let (peers, mut cx) = split!(self, peers);
                return peers.start_search(&mut cx);
            }
            Action::NextPane | Action::PrevPane => {
                let panes = self.panes();
                let i = panes
                    .iter()
                    .position(|p| *p == self.user.nav.pane)
                    .unwrap_or(0);
                let n = panes.len();
                let next = if action == Action::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.user.nav.pane = panes[next];
                return;
            }
            _ => {}
        }

        if self.user.nav.pane == Pane::Peer {
            let (page, mut cx) = split!(self, page);
            if referral::peer_action(page, action, &mut cx) {
                return;
            }
        }
        if self.user.nav.pane == Pane::Peer && self.peer_page_action(action) {
            return;
        }
        if self.user.nav.pane == Pane::Peers && action == Action::ImportPeers {
            return import::open(&mut split!(self));
        }
        let pane = self.user.nav.pane;
        if self
            .with_feature(pane.feature(), |f, cx| f.action(action, cx))
            .is_some()
        {
            return;
        }
        let effect = match self.user.nav.pane {
            Pane::Groups => {
                self.groups_action(action);
                Effect::None
            }
            Pane::Today | Pane::Peers | Pane::Credentials | Pane::HereNow | Pane::Reports => {
                Effect::None
            }
            Pane::Audit => {
                self.audit_action(action);
                Effect::None
            }
            Pane::Peer => {
                if action == Action::Back {
                    self.user.nav.pane = self.user.nav.back_pane;
                    Effect::None
                } else {
                    match &mut self.user.page.peer {
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
            Effect::ReloadToday => self.shell.notify(Notice::ReloadToday),
            Effect::Info(s) => self.shell.status.info(s),
        }
    }

    fn panes(&self) -> Vec<Pane> {
        let mut v = vec![Pane::Today, Pane::Peers];
        if self.user.page.peer.is_some() {
            v.push(Pane::Peer);
        }
        if self.user.groups.opened {
            v.push(Pane::Groups);
        }
        if self.user.audit.state.is_some() {
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
                                .page
                                .peer
                                .as_ref()
                                .map(|s| s.name.as_str())
                                .unwrap_or(""),
                            self.shell.access.privacy
                        )
                    ),
                    Pane::Groups => "Groups".to_string(),
                    Pane::Audit => "Audit".to_string(),
                    Pane::Reports => "Reports".to_string(),
                    Pane::Credentials => "Credentials".to_string(),
                    Pane::HereNow => "Here now".to_string(),
                };
                (label, p == self.user.nav.pane)
            })
            .collect()
    }

    fn open_peer(&mut self, id: PeerId, name: String) {
        if self.user.nav.pane != Pane::Peer {
            self.user.nav.back_pane = self.user.nav.pane;
        }
        self.reset_peer_view(id);
        self.user.page.peer = Some(PeerState::new(id, name));
        self.user.nav.pane = Pane::Peer;
        // Recorded on the audit trail before it is loaded.
        let actor = self.actor();
        self.shell.requests.push(Request::OpenPeer { id, actor });
    }

    fn selected_peer(&self) -> Option<(PeerId, String)> {
        match self.user.nav.pane {
            Pane::Today => self.user.today.selected_peer(),
            Pane::Peers => self.user.peers.selected_peer(),
            Pane::Peer => self.user.page.peer.as_ref().map(|p| (p.id, p.name.clone())),
            Pane::Groups | Pane::Audit | Pane::Reports | Pane::Credentials => None,
            Pane::HereNow => self.user.here_now.selected_peer(),
        }
    }

    fn open_form(&mut self) {
        let pre = self.selected_peer();
        let mut form = CheckInForm::new(&self.user.peers.roster, pre, self.shell.theme);
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
                self.shell.requests.push(Request::Goals(id));
                Reply::Done
            }
            FormOutcome::Save => {
                self.save_form(form);
                Reply::Done
            }
            FormOutcome::Cancel => self
                .shell
                .cancel_unsaved(
                    form.saving,
                    form.is_dirty(),
                    "Discard this check-in? What you typed will be lost.",
                    OnYes::DiscardForm,
                )
                .reply(),
        }
    }

    fn save_form(&mut self, form: &mut CheckInForm) {
        self.tick();
        let staff = match &self.shell.status.staff {
            Some(Ok(s)) => Ok(s.id),
            Some(Err(e)) => Err(format!("no staff member chosen ({e})")),
            None => Err("still loading who is working; try again in a moment".into()),
        };
        let now = self.shell.now;
        if form.saving {
            return;
        }
        let staff = match staff {
            Ok(s) => s,
            Err(e) => {
                form.save_failed(e.clone());
                self.shell.status.error(format!("Not saved: {e}"));
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
                self.user.checkin.unconfirmed = Some((checkin.clone(), actor.clone()));
                self.shell.requests.push(Request::SaveCheckIn {
                    checkin,
                    actor,
                    confirmed: false,
                });
                self.shell.status.info("saving…");
            }
            Err(errors) => {
                if let Some((_, first)) = errors.first() {
                    self.shell.status.error(format!("Not saved: {first}"));
                }
                form.show_errors(errors);
            }
        }
    }

    fn request_quit(&mut self) {
        match self.form() {
            Some(f) if f.saving => {
                self.shell.quit_when_saved = true;
                self.shell
                    .status
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
        }
        self.route_reply(id, response);
        self.deliver();
    }

    /// Takes a result from the store thread, for the session in front.
    pub fn on_response(&mut self, response: Response) {
        self.route_reply(None, response);
        self.deliver();
    }

    /// Hands an answer to the feature it is for ([`owner`]).
    fn route_reply(&mut self, id: Option<RequestId>, response: Response) {
        let to = owner(&response);
        if self.user.feature_ref(to).is_some() {
            self.with_feature(to, |f, cx| f.on_reply(id, response, cx));
            return;
        }
        self.app_reply(response);
    }

    /// Answers for the shell, and for features `App` still handles.
    fn app_reply(&mut self, response: Response) {
        match response {
            Response::Ready {
                location,
                organization,
                staff,
                staff_list,
            } => {
                self.shell.status.location = location;
                self.shell.organization = organization;
                self.shell.staff_list = staff_list;
                self.shell.notify(Notice::StaffList);
                if let Err(e) = &staff {
                    tracing::warn!("no acting staff: {e}");
                }
                self.shell.status.staff = Some(staff);
            }
            Response::Peer(id, result) => {
                if let Some(p) = self.user.page.peer.as_mut().filter(|p| p.id == id) {
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
                self.shell.status.last_save = Some(self.shell.now);
                self.shell.status.info(format!(
                    "Saved check-in {} with {} ({}) at {}",
                    record.id,
                    shown_name(&name, self.shell.access.privacy),
                    record.peer,
                    self.shell.now.format("%H:%M")
                ));
                self.shell.notify(Notice::ReloadToday);
                self.shell.requests.push(Request::Roster);
                if let Some(p) = self.user.page.peer.as_ref().filter(|p| p.id == record.peer) {
                    self.shell.requests.push(Request::Peer(p.id));
                }
                self.plan_after_checkin(record.peer);
                if self.shell.quit_when_saved {
                    self.shell.quit = true;
                }
            }
            Response::Saved(Err(e)) => {
                self.shell.quit_when_saved = false;
                self.shell.status.error(format!("Not saved: {e}"));
                if let Some(f) = self.layer_mut::<CheckInForm>() {
                    f.refused(&e);
                }
            }
            Response::NeedsConfirmation(why) => self.on_needs_confirmation(why),
            r @ (Response::CheckInHistory(..)
            | Response::CheckInEdited(_)
            | Response::CheckInVoided(_)) => self.on_correction_response(r),
            Response::Plan(r) => self.on_plan_response(*r),
            Response::Groups(r) => self.on_groups_response(*r),
            // Until the peer page is a feature: its Referrals tab's rows.
            Response::Referral(r) => match *r {
                crate::ui::worker::referral::ReferralResponse::ForPeer(peer, rows) => {
                    referral::take_rows(&mut self.user.page, peer, rows)
                }
                other => {
                    feature::misrouted(FeatureId::PeerPage, &Response::Referral(Box::new(other)))
                }
            },
            r @ (Response::Access(_)
            | Response::SignedIn { .. }
            | Response::Recorded(_)
            | Response::Audit(_)
            | Response::Subscribed(_)
            | Response::Change(_)
            | Response::NoticesStopped) => self.on_access_response(r),
            r @ (Response::Credentials(_)
            | Response::Today(_)
            | Response::Roster(_)
            | Response::HereNow(_)
            | Response::Undoable(_)
            | Response::Undone(_)
            | Response::AssessmentSaved(_)
            | Response::Consent(_)
            | Response::ImportPlan(_)
            | Response::Imported(_)
            | Response::Report(_)
            | Response::Center(_)) => feature::misrouted(owner(&r), &r),
        }
    }

    /// Organization name from the store's settings (title bar, gates).
    pub fn organization(&self) -> &str {
        &self.shell.organization
    }

    /// True when the title bar says "DEMO DATA".
    pub fn demo(&self) -> bool {
        self.shell.demo
    }

    /// Styles.
    pub fn theme(&self) -> &Theme {
        &self.shell.theme
    }

    /// Changes the styles (drawing with colour in tests).
    pub fn set_theme(&mut self, theme: Theme) {
        self.shell.theme = theme;
    }

    /// The day Today is for.
    pub fn date(&self) -> NaiveDate {
        self.shell.date
    }

    /// The pane in front.
    pub fn pane(&self) -> Pane {
        self.user.nav.pane
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
        self.user.page.peer.as_ref()
    }

    /// The peer page's tabs.
    pub fn peer_view(&self) -> &PeerView {
        &self.user.page.view
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
        self.user.audit.state.as_ref()
    }

    /// The Reports screen's state.
    pub fn reports(&self) -> &ReportsState {
        &self.user.reports
    }

    /// The Credentials screen (for tests and the view).
    pub fn credentials(&self) -> &CredentialsState {
        &self.user.credentials
    }

    /// The "here now" pane's state.
    pub fn here_now(&self) -> &crate::ui::screens::here_now::HereNowState {
        &self.user.here_now
    }

    /// The serial of the user session in front (a new one each time
    /// another user signs in at the lock screen).
    pub fn session_serial(&self) -> u64 {
        self.user.serial
    }

    /// The view context for drawing.
    pub fn ctx(&self) -> ViewCtx<'_> {
        self.shell.view_ctx()
    }

    /// The status line.
    pub fn status(&self) -> &StatusState {
        &self.shell.status
    }

    /// The status line, to change (tests say things on it).
    pub fn status_mut(&mut self) -> &mut StatusState {
        &mut self.shell.status
    }

    /// The current moment (updated on every event).
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.shell.now
    }

    /// The active keymap.
    pub fn keymap(&self) -> &Keymap {
        &self.shell.keymap
    }

    /// Acting staff, once known.
    pub fn staff(&self) -> Option<&StaffRow> {
        self.shell
            .status
            .staff
            .as_ref()
            .and_then(|s| s.as_ref().ok())
    }
}
