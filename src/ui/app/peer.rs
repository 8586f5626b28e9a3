//! The peer page feature: one peer's page and its tabs (overview, plan,
//! timeline, wellness plan, referrals, consents, assessments), the
//! check-in list over it, and the store's answers for them. The tabs'
//! handling is in their own files: the plan and wellness tabs in
//! `plan.rs`, the check-in list in `corrections.rs`; referrals, consents
//! and assessments in `referral.rs`, `consents.rs`, `assess.rs`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::model::{Goal, GoalId, PeerId, Record};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::privacy::shown_name;
use crate::ui::screens::peer::PeerState;
use crate::ui::screens::peer_tabs::{self, PeerTab, PeerView};
use crate::ui::screens::Effect;
use crate::ui::view::ViewCtx;
use crate::ui::worker::plan::PlanRequest;
use crate::ui::worker::referral::ReferralResponse;
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId, PeerAt};
use super::shell::{Cx, Notice, Shell};
use super::{referral, Pane};

/// See the module doc.
#[derive(Default)]
pub struct PeerPage {
    /// The peer open, once one was.
    pub peer: Option<PeerState>,
    /// The page's tabs and their states.
    pub view: PeerView,
}

impl PeerPage {
    /// Opens `id`'s page (recorded on the audit trail before it is
    /// loaded), at `at`; `back` returns to the pane it was opened from.
    pub(super) fn open(&mut self, id: PeerId, name: String, at: PeerAt, cx: &mut Cx) {
        if cx.nav.pane != Pane::Peer {
            cx.nav.back_pane = cx.nav.pane;
        }
        self.reset_view(id);
        self.peer = Some(PeerState::new(id, name));
        cx.go(Pane::Peer);
        let actor = cx.actor();
        cx.requests.push(Request::OpenPeer { id, actor });
        match at {
            PeerAt::Page => {}
            PeerAt::Goal(goal) => self.show_goal(goal),
            PeerAt::Tab(tab) => self.view.tab = tab,
        }
    }

    /// Gives the page fresh tabs when another peer is opened.
    fn reset_view(&mut self, id: PeerId) {
        if self.view.peer != Some(id) {
            self.view = PeerView {
                peer: Some(id),
                ..PeerView::default()
            };
        }
    }

    /// Shows the plan tab with `goal` selected once loaded.
    fn show_goal(&mut self, goal: GoalId) {
        self.view.tab = PeerTab::Plan;
        self.view.plan.want_goal = Some(goal);
    }

    /// The open peer's id.
    pub(super) fn open_id(&self) -> Option<PeerId> {
        self.peer.as_ref().map(|p| p.id)
    }

    /// True when `peer`'s page is the one open.
    pub(super) fn is_open(&self, peer: PeerId) -> bool {
        self.open_id() == Some(peer)
    }

    /// The open peer's goals, as loaded.
    pub(super) fn goals(&self) -> Vec<Record<Goal>> {
        self.peer
            .as_ref()
            .and_then(|p| p.detail.as_ref())
            .map(|d| d.overview.goals.clone())
            .unwrap_or_default()
    }

    /// One of the open peer's goals.
    pub(super) fn goal(&self, id: GoalId) -> Option<Record<Goal>> {
        self.peer
            .as_ref()
            .and_then(|p| p.detail.as_ref())
            .and_then(|d| d.overview.goals.iter().find(|g| g.id == id).cloned())
    }

    /// Asks for the open peer's goal timeline.
    pub(super) fn request_timeline(&mut self, shell: &mut Shell) {
        let Some(peer) = self.open_id() else {
            return;
        };
        let tl = &mut self.view.timeline;
        if tl.peer != Some(peer) {
            tl.data = None;
            tl.cursor.select(0, 0);
        }
        tl.peer = Some(peer);
        tl.loading = true;
        shell.requests.push(Request::Plan(PlanRequest::Timeline {
            peer,
            today: shell.date,
        }));
    }

    /// Loads the open page again (not twice).
    fn reload(&mut self, shell: &mut Shell) {
        if let Some(id) = self.open_id() {
            if !shell
                .requests
                .iter()
                .any(|r| matches!(r, Request::Peer(p) if *p == id))
            {
                shell.requests.push(Request::Peer(id));
            }
        }
    }

    /// Reloads the timeline in place if it shows the open peer (not twice).
    fn refresh_timeline(&mut self, shell: &mut Shell) {
        let open = self.open_id();
        let queued = shell
            .requests
            .iter()
            .any(|r| matches!(r, Request::Plan(PlanRequest::Timeline { .. })));
        if open.is_some() && self.view.timeline.peer == open && !queued {
            self.request_timeline(shell);
        }
    }

    /// A check-in for `peer` was saved: its goal marks and wellbeing may
    /// have changed on the timeline.
    fn after_checkin(&mut self, peer: PeerId, shell: &mut Shell) {
        if self.view.timeline.peer == Some(peer) && self.view.timeline.data.is_some() {
            self.request_timeline(shell);
        }
    }

    fn take_peer(
        &mut self,
        id: PeerId,
        result: Result<Box<crate::ui::worker::PeerDetail>, String>,
        cx: &mut Cx,
    ) {
        if let Some(p) = self.peer.as_mut().filter(|p| p.id == id) {
            match result {
                Ok(d) => {
                    p.name = d.overview.peer.display_name.clone();
                    p.detail = Some(d);
                    p.error = None;
                }
                Err(e) => p.error = Some(e),
            }
        }
        self.checkins_after_peer(cx);
    }
}

impl Feature for PeerPage {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::Peer(id, result) => self.take_peer(id, result, cx),
            Response::Plan(r) => self.on_plan(*r, cx),
            r @ (Response::CheckInHistory(..) | Response::CheckInVoided(_)) => {
                self.on_correction(r, cx)
            }
            // The Referrals tab's rows (the Referral feature's other
            // answers are its own).
            Response::Referral(r) => match *r {
                ReferralResponse::ForPeer(peer, rows) => referral::take_rows(self, peer, rows),
                other => misrouted(FeatureId::PeerPage, &Response::Referral(Box::new(other))),
            },
            other => misrouted(FeatureId::PeerPage, &other),
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        match notice {
            Notice::OpenPeer(id, name, at) => self.open(*id, name.clone(), *at, cx),
            Notice::PeerChanged(id) if self.is_open(*id) => {
                cx.requests.push(Request::Peer(*id));
            }
            Notice::ReloadOpenPeer => {
                if let Some(id) = self.open_id() {
                    cx.requests.push(Request::Peer(id));
                }
            }
            Notice::CheckInSaved(peer) => self.after_checkin(*peer, cx),
            Notice::ReferralsChanged(_) => referral::page_notice(self, notice, cx),
            Notice::ReloadShown => {
                self.reload(cx);
                self.refresh_timeline(cx);
            }
            Notice::Refresh => {
                if let Some(id) = self.open_id() {
                    cx.requests.push(Request::Peer(id));
                }
                self.refresh_timeline(cx);
            }
            _ => {}
        }
    }

    fn title(&self, privacy: bool) -> Option<String> {
        let p = self.peer.as_ref()?;
        Some(format!("Peer: {}", shown_name(&p.name, privacy)))
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        self.view.context()
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        peer_tabs::hints(self.view.tab)
    }

    fn action(&mut self, action: Action, cx: &mut Cx) {
        // Refer, the take-home card and the Referrals tab (its switch
        // loads the rows) first.
        if referral::peer_action(self, action, cx) {
            return;
        }
        if self.tab_action(action, cx) {
            return;
        }
        if action == Action::Back {
            let back = cx.nav.back_pane;
            return cx.go(back);
        }
        let effect = match &mut self.peer {
            Some(p) => p.handle(action),
            None => Effect::None,
        };
        match effect {
            Effect::None => {}
            Effect::OpenPeer(id, name) => cx.notify(Notice::open_peer(id, name)),
            Effect::ReloadToday => cx.notify(Notice::ReloadToday),
            Effect::Info(s) => cx.status.info(s),
        }
    }

    fn selected_peer(&self) -> Option<(PeerId, String)> {
        self.peer.as_ref().map(|p| (p.id, p.name.clone()))
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        match &self.peer {
            Some(p) => peer_tabs::render(&self.view, p, ctx, area, buf),
            None => Line::raw("No peer open.").render(area, buf),
        }
    }
}
