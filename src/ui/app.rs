//! The application: the [`Shell`] (keymap, status line, clock, layer
//! stack, gate, outbox) and the signed-in user's [`UserSession`], whose
//! features (`app/today.rs`, `peers.rs`, `peer.rs`, `groups.rs`, …) each
//! own their state, actions and answers. This file only routes: keys
//! become named actions through the keymap, [`App::update`] hands them down
//! the layer stack to the pane's feature (`Pane::feature`), answers of the
//! store go to the feature that owns them (`feature::owner`), and the
//! notices features leave on the shell are delivered to all of them
//! (`App::deliver`). Store work is only *requested* (see
//! [`App::take_requests`]); results come back through [`App::on_reply`].
//! Nothing here touches the terminal or disk, so every behaviour can be
//! tested by feeding keys and responses.

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

use crate::model::PeerId;
use crate::ops::local_now;
use crate::ui::background::{Done, Job};
use crate::ui::keymap::Keymap;
use crate::ui::layer::Layer;
use crate::ui::screens::audit::AuditState;
use crate::ui::screens::checkin::CheckInForm;
use crate::ui::screens::credentials::CredentialsState;
use crate::ui::screens::groups::GroupsState;
use crate::ui::screens::help::HelpState;
use crate::ui::screens::peer::PeerState;
use crate::ui::screens::peer_tabs::PeerView;
use crate::ui::screens::peers::PeersState;
use crate::ui::screens::popup::Popup;
use crate::ui::screens::reports::ReportsState;
use crate::ui::screens::today::TodayState;
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
mod input;
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
pub use feature::{owner, Feature, FeatureId, InHand, PeerAt};
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
    /// parts of a [`Cx`] the session lends); None for the shell's own
    /// answers ([`FeatureId::Shell`]), which `App` handles.
    fn feature(
        &mut self,
        id: FeatureId,
    ) -> Option<(&mut dyn Feature, Option<&SignInCandidate>, &mut Nav)> {
        let UserSession {
            who,
            nav,
            today,
            peers,
            page,
            groups,
            audit,
            checkin,
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
            FeatureId::PeerPage => page,
            FeatureId::CheckIn => checkin,
            FeatureId::Groups => groups,
            FeatureId::Audit => audit,
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
            FeatureId::PeerPage => &self.page,
            FeatureId::CheckIn => &self.checkin,
            FeatureId::Groups => &self.groups,
            FeatureId::Audit => &self.audit,
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

    /// Work for background threads queued since the last call (the
    /// runtime runs each on a thread of its own: `ui::background`).
    pub fn take_jobs(&mut self) -> Vec<Job> {
        std::mem::take(&mut self.shell.jobs)
    }

    /// Takes what a background job came to. A prepared roster goes to
    /// the Peers feature (which drops it if the roster was replaced
    /// meanwhile). First-character tables go into the search index they
    /// were worked out from, which every list searching that roster
    /// shares; tables for an index nobody searches any more change
    /// nothing shown.
    pub fn on_job_done(&mut self, done: Done) {
        match done {
            Done::RosterSearch(_) => {
                self.with_feature(FeatureId::Peers, |f, cx| f.on_job(done, cx));
                self.deliver();
            }
            Done::FirstChars(index, tables) => {
                if !index.install_first_chars(tables) {
                    tracing::debug!("first-character tables not installed (already there)");
                }
            }
        }
    }

    /// Runs the queued background jobs here, one after the other, and
    /// takes their results (and those of the jobs they queue in turn):
    /// what the runtime's threads would do, for tests, benches and
    /// examples that have no event loop.
    pub fn run_jobs_here(&mut self) {
        loop {
            let jobs = self.take_jobs();
            if jobs.is_empty() {
                return;
            }
            for job in jobs {
                self.on_job_done(job.run());
            }
        }
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

    /// What the app itself does on a notice: going to a pane (the
    /// navigation is the session's, not a feature's) and who is working
    /// (set-up's first admin).
    fn on_notice(&mut self, notice: &Notice) {
        match notice {
            Notice::Go(p) => {
                // A peer page closed meanwhile is not gone back to.
                self.user.nav.pane = match p {
                    Pane::Peer if self.user.page.peer.is_none() => Pane::Today,
                    p => *p,
                };
            }
            // Set-up made the center's first admin who is working now.
            Notice::SignedInAs(admin) => self.user.who = Some((**admin).clone()),
            _ => {}
        }
    }

    /// True once the user asked to quit (and confirmed, if needed).
    pub fn should_quit(&self) -> bool {
        self.shell.quit
    }

    /// Reads the clock; a new day reloads Today.
    pub fn tick(&mut self) {
        self.shell.tick();
        self.deliver();
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

    /// The open panes with their titles, in title-bar order: each
    /// feature says whether its pane is open and what it is called.
    fn titled_panes(&self) -> Vec<(Pane, String)> {
        let privacy = self.shell.access.privacy;
        Pane::ALL
            .into_iter()
            .filter_map(|p| {
                let title = self.user.feature_ref(p.feature())?.title(privacy)?;
                Some((p, title))
            })
            .collect()
    }

    /// The pane labels for the title bar, with the active one marked.
    pub fn pane_labels(&self) -> Vec<(String, bool)> {
        self.titled_panes()
            .into_iter()
            .map(|(p, label)| (label, p == self.user.nav.pane))
            .collect()
    }

    /// What each feature holds that quitting would lose.
    fn in_hand(&self) -> Vec<InHand> {
        FEATURES
            .iter()
            .filter_map(|id| self.user.feature_ref(*id))
            .map(|f| f.in_hand())
            .collect()
    }

    /// The peer the pane in front has selected.
    fn selected_peer(&self) -> Option<(PeerId, String)> {
        self.user
            .feature_ref(self.user.nav.pane.feature())
            .and_then(|f| f.selected_peer())
    }

    /// Quit, unless a small form or a session holds unsaved work (then
    /// ask) or is being saved (then quit once saved).
    pub(super) fn quit_or_ask(&mut self) {
        let in_hand = self.in_hand();
        let saving =
            self.popup().is_some_and(|p| p.form.saving) || in_hand.iter().any(|h| h.saving);
        if saving {
            self.shell.quit_when_saved = true;
            self.shell
                .status
                .info("saving… caseload quits when the store confirms");
            return;
        }
        let question = if self.popup().is_some_and(|p| p.form.is_dirty()) {
            Some("Quit and discard what you typed in the open form?")
        } else {
            in_hand.iter().find_map(|h| h.unsaved)
        };
        match question {
            Some(q) => self.push_layer(Confirm {
                question: q.into(),
                on_yes: OnYes::QuitUnsaved,
            }),
            None => self.shell.quit = true,
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
            if id.session != self.user.serial && !access::for_the_shell(&response) {
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

    /// Answers for the shell itself (every other answer has its feature).
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
            r @ (Response::Access(_)
            | Response::SignedIn { .. }
            | Response::Recorded(_)
            | Response::Subscribed(_)
            | Response::Change(_)
            | Response::NoticesStopped) => self.on_access_response(r),
            r @ (Response::Credentials(_)
            | Response::Audit(_)
            | Response::Groups(_)
            | Response::Peer(..)
            | Response::Plan(_)
            | Response::Goals(..)
            | Response::Saved(_)
            | Response::NeedsConfirmation(_)
            | Response::CheckInHistory(..)
            | Response::CheckInEdited(_)
            | Response::CheckInVoided(_)
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
            | Response::Referral(_)
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
