//! The one interface of a feature (Today, Peers, the peer page, Groups,
//! Credentials, …) and the two tables that route to features: which
//! feature owns the pane in front ([`Pane::feature`]) and which feature a
//! store answer is for ([`owner`]). A feature owns its state, handles its
//! pane's actions and its answers, and is handed the shell through
//! [`Cx`]; it never sees the [`App`](super::App) or another feature's
//! state. What another feature must follow goes out as a
//! [`Notice`](super::Notice) and comes in through [`Feature::on_notice`].
//!
//! A new screen: a type holding its state, `impl Feature` for it, a field
//! in `UserSession`, a row in `UserSession::feature`/`feature_ref`, and —
//! if it is a pane — a `Pane` variant with its row in [`Pane::feature`];
//! its answers get a row in [`owner`].

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::{GoalId, PeerId};
use crate::ui::action::Action;
use crate::ui::background::Done;
use crate::ui::keymap::Context;
use crate::ui::screens::peer_tabs::PeerTab;
use crate::ui::view::ViewCtx;
use crate::ui::worker::referral::ReferralResponse;
use crate::ui::worker::{RequestId, Response};

use super::shell::{Cx, Notice, Shell};
use super::Pane;

/// The features of a user session, by name: the rows of the routing
/// tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureId {
    /// The gate, who is working, live notices (the shell's own).
    Shell,
    /// Who needs contact today.
    Today,
    /// The roster.
    Peers,
    /// One peer's page and its tabs.
    PeerPage,
    /// The check-in form's saves and corrections.
    CheckIn,
    /// Groups, their history and attendance.
    Groups,
    /// The audit browser.
    Audit,
    /// The service report.
    Reports,
    /// Certifications, CE hours, supervision.
    Credentials,
    /// Today's visitors.
    HereNow,
    /// The session's undo journal.
    Undo,
    /// Set-up, staff, peer records.
    Center,
    /// Consents.
    Consents,
    /// Resources and referrals.
    Referral,
    /// Importing a roster.
    Import,
    /// Taking an assessment.
    Assess,
}

/// Where a peer's page opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerAt {
    /// As it was (a new peer: the overview).
    Page,
    /// The plan tab with this goal selected.
    Goal(GoalId),
    /// This tab.
    Tab(PeerTab),
}

impl Notice {
    /// The notice that opens `peer`'s page.
    pub fn open_peer(id: PeerId, name: String) -> Notice {
        Notice::OpenPeer(id, name, PeerAt::Page)
    }
}

/// Work a feature holds that quitting would lose or cut short.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InHand {
    /// A save is on its way: quitting waits for it.
    pub saving: bool,
    /// Unsaved changes: the question asked before they are lost.
    pub unsaved: Option<&'static str>,
}

/// A part of the user session with its own state, actions and answers.
/// A feature that is a pane also answers the layer questions for it
/// (context, hints, typed text, paste, drawing); the others keep the
/// defaults.
pub trait Feature {
    /// An answer of the store routed here by [`owner`] (`id`: the request
    /// it answers, None for a notice nobody asked for).
    fn on_reply(&mut self, id: Option<RequestId>, reply: Response, cx: &mut Cx);

    /// What another feature did (see [`Notice`]).
    fn on_notice(&mut self, _notice: &Notice, _cx: &mut Cx) {}

    /// What a background job this feature queued came to
    /// (`ui::background`; routed by [`App::on_job_done`](super::App::on_job_done)).
    fn on_job(&mut self, _done: Done, _cx: &mut Cx) {}

    /// Key contexts of the pane, most specific first, and whether
    /// printable keys type text.
    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        (&[Context::Global], false)
    }

    /// The pane's key hints.
    fn hints(&self) -> &'static [(Action, &'static str)] {
        &[]
    }

    /// An action on the pane that neither a layer nor the shell took.
    fn action(&mut self, _action: Action, _cx: &mut Cx) {}

    /// A key typed on the pane (when [`context`](Self::context) types).
    fn text_key(&mut self, _ev: KeyEvent, _cx: &mut Cx) {}

    /// A paste on the pane.
    fn paste(&mut self, _text: &str, _cx: &mut Cx) {}

    /// The pane's name in the title bar, or None while it is not open
    /// (nor among the panes Tab goes through). `privacy`: names are
    /// shown by initials.
    fn title(&self, _privacy: bool) -> Option<String> {
        None
    }

    /// Work in hand that quitting would lose (asked before quitting,
    /// also from the lock screen).
    fn in_hand(&self) -> InHand {
        InHand::default()
    }

    /// The peer the pane has selected (check-in, `K`, …).
    fn selected_peer(&self) -> Option<(PeerId, String)> {
        None
    }

    /// Draws the pane.
    fn draw(&self, _ctx: &ViewCtx<'_>, _area: Rect, _buf: &mut Buffer) {}
}

impl Pane {
    /// Every pane, in the order of the title bar and of Tab.
    pub const ALL: [Pane; 8] = [
        Pane::Today,
        Pane::Peers,
        Pane::Peer,
        Pane::Groups,
        Pane::Audit,
        Pane::Reports,
        Pane::Credentials,
        Pane::HereNow,
    ];

    /// The feature that owns this pane: the one table of base-pane
    /// routing (keys, typing, paste, hints, drawing).
    pub fn feature(self) -> FeatureId {
        match self {
            Pane::Today => FeatureId::Today,
            Pane::Peers => FeatureId::Peers,
            Pane::Peer => FeatureId::PeerPage,
            Pane::Groups => FeatureId::Groups,
            Pane::Audit => FeatureId::Audit,
            Pane::Reports => FeatureId::Reports,
            Pane::Credentials => FeatureId::Credentials,
            Pane::HereNow => FeatureId::HereNow,
        }
    }
}

/// The feature an answer of the store is for: the one table of answer
/// routing.
pub fn owner(reply: &Response) -> FeatureId {
    match reply {
        Response::Ready { .. }
        | Response::Access(_)
        | Response::SignedIn { .. }
        | Response::Recorded(_)
        | Response::Subscribed(_)
        | Response::Change(_)
        | Response::NoticesStopped => FeatureId::Shell,
        Response::Today(_) => FeatureId::Today,
        Response::Roster(_) => FeatureId::Peers,
        Response::Peer(..)
        | Response::Plan(_)
        | Response::CheckInHistory(..)
        | Response::CheckInVoided(_) => FeatureId::PeerPage,
        Response::Goals(..)
        | Response::Saved(_)
        | Response::NeedsConfirmation(_)
        | Response::CheckInEdited(_) => FeatureId::CheckIn,
        Response::Undoable(_) | Response::Undone(_) => FeatureId::Undo,
        Response::Groups(_) => FeatureId::Groups,
        Response::Audit(_) => FeatureId::Audit,
        Response::Report(_) => FeatureId::Reports,
        Response::Credentials(_) => FeatureId::Credentials,
        Response::HereNow(_) => FeatureId::HereNow,
        Response::Consent(_) => FeatureId::Consents,
        Response::ImportPlan(_) | Response::Imported(_) => FeatureId::Import,
        // A peer's referrals fill the page's Referrals tab.
        Response::Referral(r) if matches!(**r, ReferralResponse::ForPeer(..)) => {
            FeatureId::PeerPage
        }
        Response::Referral(_) => FeatureId::Referral,
        Response::AssessmentSaved(_) => FeatureId::Assess,
        Response::Center(_) => FeatureId::Center,
    }
}

/// Logs an answer that reached a feature it is not for (a routing slip).
pub(crate) fn misrouted(feature: FeatureId, reply: &Response) {
    tracing::warn!("{feature:?} got an answer it does not take: {reply:?}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::worker::Failure;

    #[test]
    fn answers_that_outlive_a_session_are_the_shells_and_others_go_to_their_feature() {
        let shell = [
            Response::Access(Err("x".into())),
            Response::Recorded(Ok(())),
            Response::Subscribed(true),
            Response::NoticesStopped,
        ];
        for r in &shell {
            assert_eq!(owner(r), FeatureId::Shell, "{r:?}");
            assert!(super::super::access::for_the_shell(r), "{r:?}");
        }
        let mine = [
            (Response::Today(Err("x".into())), FeatureId::Today),
            (Response::Roster(Err("x".into())), FeatureId::Peers),
            (Response::Saved(Err(Failure::from("x"))), FeatureId::CheckIn),
            (
                Response::CheckInVoided(Err(Failure::from("x"))),
                FeatureId::PeerPage,
            ),
            (Response::Undone(Err(Failure::from("x"))), FeatureId::Undo),
            (Response::Audit(Err("x".into())), FeatureId::Audit),
        ];
        for (r, to) in &mine {
            assert_eq!(owner(r), *to, "{r:?}");
            assert!(!super::super::access::for_the_shell(r), "{r:?}");
        }
    }

    #[test]
    fn every_pane_has_its_own_feature() {
        let seen: Vec<FeatureId> = Pane::ALL.iter().map(|p| p.feature()).collect();
        for (i, a) in seen.iter().enumerate() {
            assert_ne!(*a, FeatureId::Shell);
            assert!(!seen[i + 1..].contains(a), "{a:?} owns two panes");
        }
    }
}
