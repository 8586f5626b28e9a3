//! The shell: what every feature of the UI needs and no feature owns —
//! the keymap, the styles, the status line, the clock and the day, the
//! layer stack (forms, popups, overlays), the gate (sign-in, lock,
//! privacy), the outbox of store requests and the quit flags.
//!
//! Feature code is handed the shell (through [`Cx`], with who is signed
//! in and where the screen is), never the whole [`App`](super::App): a
//! feature changes its own state and the shell, and tells the others what
//! happened with a [`Notice`], which the app delivers.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::model::{Actor, PeerId};
use crate::ops::os_login;
use crate::ui::keymap::{Key, Keymap};
use crate::ui::layer::{Layer, Reply};
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::confirm::{Confirm, OnYes};
use crate::ui::widgets::status_line::StatusState;
use crate::ui::worker::{Request, RequestId, RosterRow, SignInCandidate, StaffRow};

use super::access::AccessState;
use super::feature::PeerAt;
use super::{AppOptions, Pane};

/// See the module doc.
pub struct Shell {
    /// The active keymap (and its problems).
    pub keymap: Keymap,
    /// Styles.
    pub(crate) theme: Theme,
    /// Title-bar badge.
    pub(crate) demo: bool,
    /// Organization name from the store's settings.
    pub(crate) organization: String,
    /// Status line.
    pub status: StatusState,
    /// Keys of a sequence typed so far (`g` of `g g`).
    pub(crate) pending: Vec<Key>,
    /// The current moment (updated on every event).
    pub now: DateTime<FixedOffset>,
    /// The day Today is for.
    pub(crate) date: NaiveDate,
    /// Sign-in, lock, privacy mode (see `app::access`).
    pub(crate) access: AccessState,
    /// Forms, popups and overlays over the pane, bottom first; the top
    /// one has the keyboard (see `ui::layer`).
    pub(crate) layers: Vec<Box<dyn Layer>>,
    /// How the app was started (`--staff`, the clock).
    pub(crate) options: AppOptions,
    /// Store work queued for the worker.
    pub(crate) requests: Outbox,
    /// Work queued for background threads (`ui::background`).
    pub(crate) jobs: Vec<crate::ui::background::Job>,
    /// Every staff member (from `Ready`): names and initials for every
    /// feature that shows or picks staff.
    pub(crate) staff_list: Vec<StaffRow>,
    /// The roster as last loaded (the Peers feature's, shared): the
    /// check-in form, attendance and the peer forms pick from it.
    pub(crate) roster: Arc<Vec<RosterRow>>,
    /// The same roster prepared for searching (the Peers feature's, shared):
    /// the check-in picker and attendance search it in their own order.
    pub(crate) roster_search: crate::ui::roster::RosterSearch,
    /// The roster arrived at least once.
    pub(crate) roster_loaded: bool,
    /// What features told each other, delivered by the app after each
    /// key and answer (see [`Notice`]).
    pub(crate) notices: Vec<Notice>,
    /// The app ends after this event.
    pub(crate) quit: bool,
    /// The app ends once the save on its way is confirmed.
    pub(crate) quit_when_saved: bool,
}

/// Something one feature did that others may need to follow, queued on
/// the shell ([`Cx::notify`]) and delivered by the app to every feature in
/// one loop (`App::deliver`), so no feature calls into another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// What Today shows may have changed: load it again.
    ReloadToday,
    /// Peers may have been added or changed: load the roster again.
    ReloadRoster,
    /// Peer `id`'s record changed: an open page of theirs reloads.
    PeerChanged(PeerId),
    /// Whatever peer page is open reloads (a group session saved).
    ReloadOpenPeer,
    /// A check-in for the peer was saved, corrected or voided.
    CheckInSaved(PeerId),
    /// The peer's referrals changed: an open page of theirs reloads its
    /// Referrals tab (`referral::page_notice`).
    ReferralsChanged(PeerId),
    /// The center was set up: its first admin is who is working now.
    SignedInAs(Box<SignInCandidate>),
    /// Check a walk-in off the open group session: a peer on the roster
    /// (their id and name) or a new one (None, the name typed).
    CheckOffWalkIn(Option<PeerId>, String),
    /// Open this peer's page (from Today, Peers, Here now …), there.
    OpenPeer(PeerId, String, PeerAt),
    /// Show this pane.
    Go(Pane),
    /// Reload everything shown (the refresh key, change notices, resume).
    ReloadShown,
    /// The refresh key: like [`Notice::ReloadShown`], said on the status line.
    Refresh,
    /// The staff list changed (from `Ready`): `Shell::staff_list`.
    StaffList,
    /// The roster was loaded again: `Shell::roster`.
    RosterLoaded,
    /// The check-in form opened over the pane (a search field gives up
    /// the keyboard).
    CheckInOpened,
}

/// Where the screen is within the user's session: the pane in front and
/// where `back` goes from the peer page and the audit browser.
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    /// The pane in front.
    pub pane: Pane,
    /// Where `back` from the peer page goes.
    pub back_pane: Pane,
    /// Where closing the audit browser goes.
    pub audit_back: Pane,
}

impl Default for Nav {
    fn default() -> Nav {
        Nav {
            pane: Pane::Today,
            back_pane: Pane::Today,
            audit_back: Pane::Today,
        }
    }
}

/// What a feature is handed: the shell, who is signed in, and where the
/// screen is. Derefs to the [`Shell`].
pub struct Cx<'a> {
    /// The shell.
    pub shell: &'a mut Shell,
    /// Who signed in (None: no staff exist yet, or nobody is asked).
    pub who: Option<&'a SignInCandidate>,
    /// The pane in front and where `back` goes.
    pub nav: &'a mut Nav,
}

impl std::ops::Deref for Cx<'_> {
    type Target = Shell;
    fn deref(&self) -> &Shell {
        self.shell
    }
}

impl std::ops::DerefMut for Cx<'_> {
    fn deref_mut(&mut self) -> &mut Shell {
        self.shell
    }
}

/// The actor for records made by a session: who signed in, else the
/// staff member working (`--staff`), else the login alone.
pub(crate) fn actor_of(who: Option<&SignInCandidate>, shell: &Shell) -> Actor {
    let staff = who.map(|c| c.staff.id).or_else(|| {
        shell
            .status
            .staff
            .as_ref()
            .and_then(|s| s.as_ref().ok())
            .map(|s| s.id)
    });
    match staff {
        Some(id) => Actor::staff(id, os_login()),
        None => Actor::login(os_login()),
    }
}

impl Cx<'_> {
    /// The actor for records made by this session.
    pub fn actor(&self) -> Actor {
        actor_of(self.who, self.shell)
    }

    /// Shows `pane`.
    pub fn go(&mut self, pane: Pane) {
        self.nav.pane = pane;
    }
}

/// What [`Shell::cancel_unsaved`] came to.
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
pub(crate) struct Outbox {
    pub(crate) session: u64,
    seq: u64,
    pub(crate) queued: Vec<(RequestId, Request)>,
}

impl Outbox {
    /// Queues `request`.
    pub(crate) fn push(&mut self, request: Request) {
        self.push_id(request);
    }

    /// Queues `request` and gives the id its answer will carry.
    pub(crate) fn push_id(&mut self, request: Request) -> RequestId {
        self.seq += 1;
        let id = RequestId {
            session: self.session,
            seq: self.seq,
        };
        self.queued.push((id, request));
        id
    }

    /// The requests queued, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Request> {
        self.queued.iter().map(|(_, r)| r)
    }

    /// Drops queued requests that are not to be kept.
    pub(crate) fn retain(&mut self, keep: impl Fn(&Request) -> bool) {
        self.queued.retain(|(_, r)| keep(r));
    }
}

impl Shell {
    /// A shell for a new app.
    pub(crate) fn new(keymap: Keymap, options: AppOptions, access: AccessState) -> Shell {
        let now = (options.clock)();
        Shell {
            keymap,
            theme: options.theme,
            demo: options.demo,
            organization: String::new(),
            status: StatusState::default(),
            pending: Vec::new(),
            now,
            date: now.date_naive(),
            access,
            layers: Vec::new(),
            options,
            requests: Outbox {
                session: 1,
                ..Outbox::default()
            },
            jobs: Vec::new(),
            staff_list: Vec::new(),
            roster: Arc::new(Vec::new()),
            roster_search: crate::ui::roster::RosterSearch::default(),
            roster_loaded: false,
            notices: Vec::new(),
            quit: false,
            quit_when_saved: false,
        }
    }

    /// Reads the clock; a new day reloads Today.
    pub fn tick(&mut self) {
        self.now = (self.options.clock)();
        let date = self.now.date_naive();
        if date != self.date {
            self.date = date;
            self.notify(Notice::ReloadToday);
        }
    }

    /// Tells the other features (delivered after this key or answer).
    pub fn notify(&mut self, notice: Notice) {
        if !self.notices.contains(&notice) {
            self.notices.push(notice);
        }
    }

    /// A save was confirmed: quit now if that was waited for.
    pub(crate) fn saved_then_quit(&mut self) {
        if self.quit_when_saved {
            self.quit = true;
        }
    }

    /// Who saves: the acting staff member, or a status-line error saying
    /// why nobody can.
    pub(crate) fn acting(&mut self) -> Option<Actor> {
        match self.acting_or_why() {
            Ok(a) => Some(a),
            Err(why) => {
                self.status.error(format!("Not saved: {why}"));
                None
            }
        }
    }

    /// Who saves, or why nobody can (without the "Not saved" the form
    /// footer and the status line each add once).
    pub(crate) fn acting_or_why(&self) -> Result<Actor, String> {
        match &self.status.staff {
            Some(Ok(s)) => Ok(Actor::staff(s.id, os_login())),
            Some(Err(e)) => Err(format!("no staff member chosen ({e})")),
            None => Err("still loading who is working; try again in a moment".into()),
        }
    }

    /// Peers shown by initials (privacy mode).
    pub fn privacy(&self) -> bool {
        self.access.privacy
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

    /// The view context for drawing.
    pub fn view_ctx(&self) -> ViewCtx<'_> {
        ViewCtx {
            theme: &self.theme,
            keymap: &self.keymap,
            now: self.now,
            today: self.date,
            privacy: self.access.privacy,
            reveal: self.access.privacy && self.access.reveal,
        }
    }
}
