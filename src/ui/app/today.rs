//! The Today feature: who needs contact today, its reloads and its rows'
//! keys (open a peer, review a goal that is due, open a consent that is
//! expiring).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::today::Section;
use crate::model::PeerId;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::screens::peer_tabs::PeerTab;
use crate::ui::screens::popup::Popup;
use crate::ui::screens::today::{self, TodayState};
use crate::ui::screens::Effect;
use crate::ui::view::ViewCtx;
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId, PeerAt};
use super::shell::{Cx, Notice, Shell};

const CHAIN_TODAY: &[Context] = &[Context::Today, Context::List, Context::Global];

impl TodayState {
    /// Asks for Today again (for everyone, or only the acting staff
    /// member's peers when that is what is shown).
    pub(super) fn request(&mut self, shell: &mut Shell) {
        let for_staff = if self.mine_only {
            match &shell.status.staff {
                Some(Ok(s)) => Some(s.id),
                _ => {
                    self.mine_only = false;
                    shell
                        .status
                        .error("showing everyone: no staff member chosen (start with --staff)");
                    None
                }
            }
        } else {
            None
        };
        self.loading = true;
        shell.requests.push(Request::Today {
            date: shell.date,
            for_staff,
        });
    }

    /// The review key on a "Goal reviews due" row opens the review form;
    /// Enter on it opens the peer's plan at that goal; Enter on a
    /// "Consents expiring" row opens the peer's Consents tab. True when
    /// the action was taken here.
    fn row_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(row) = self.selected_row() else {
            return false;
        };
        if let (Section::ConsentsExpiring, Some(peer), Action::Open) =
            (row.section, row.peer, action)
        {
            let at = PeerAt::Tab(PeerTab::Consents);
            cx.notify(Notice::OpenPeer(peer, row.name.clone(), at));
            return true;
        }
        let (Some(goal), Some(peer)) = (row.goal, row.peer) else {
            if action == Action::ReviewGoal {
                cx.status
                    .info("move to a row under \"Goal reviews due\" to review a goal");
                return true;
            }
            return false;
        };
        match action {
            Action::ReviewGoal => {
                let popup = Popup::review(goal, &row.why, Some(&row.name), cx.date, cx.theme);
                cx.push_layer(popup);
                true
            }
            Action::Open => {
                let at = PeerAt::Goal(goal);
                cx.notify(Notice::OpenPeer(peer, row.name.clone(), at));
                true
            }
            _ => false,
        }
    }
}

impl Feature for TodayState {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::Today(Ok(report)) => self.set_report(report),
            Response::Today(Err(e)) => {
                self.loading = false;
                cx.status.error(format!("Today: {e}"));
                self.error = Some(e);
            }
            other => misrouted(FeatureId::Today, &other),
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        match notice {
            Notice::ReloadToday | Notice::Refresh => self.request(cx),
            Notice::ReloadShown
                if !cx
                    .requests
                    .iter()
                    .any(|r| matches!(r, Request::Today { .. })) =>
            {
                self.request(cx)
            }
            _ => {}
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        Some("Today".into())
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        (CHAIN_TODAY, false)
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        &[
            (Action::Open, "open"),
            (Action::CheckIn, "check in"),
            (Action::Search, "find"),
            (Action::ToggleMine, "mine/all"),
            (Action::GoPeers, "peers"),
            (Action::GoGroups, "groups"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
            // Last: at 80 columns it gives way to help and quit.
            (Action::GoReports, "reports"),
        ]
    }

    fn action(&mut self, action: Action, cx: &mut Cx) {
        if self.row_action(action, cx) {
            return;
        }
        match self.handle(action) {
            Effect::None => {}
            Effect::OpenPeer(id, name) => cx.notify(Notice::open_peer(id, name)),
            Effect::ReloadToday => self.request(cx),
            Effect::Info(s) => cx.status.info(s),
        }
    }

    fn selected_peer(&self) -> Option<(PeerId, String)> {
        TodayState::selected_peer(self)
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        today::render(self, ctx, area, buf);
    }
}
