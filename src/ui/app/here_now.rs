//! The "here now" feature (`h` from Today): today's visitors, and `K`,
//! which hands this terminal to the self sign-in kiosk.
//!
//! The list is asked for when the pane opens and whenever a change notice
//! comes (a sign-in at the kiosk is one), and only the awaited answer (by
//! request id) is taken.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::{PeerId, Role};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::screens::here_now::{self, HereNowState};
use crate::ui::view::ViewCtx;
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Notice, Shell};
use super::Pane;

const CHAIN_HERE_NOW: &[Context] = &[Context::List, Context::Global];

impl HereNowState {
    /// Opens "here now" and asks for today's visitors.
    pub(super) fn open(&mut self, cx: &mut Cx) {
        self.opened = true;
        cx.go(Pane::HereNow);
        self.request(cx);
    }

    /// Asks for the list again (on open, refresh and change notices).
    fn request(&mut self, shell: &mut Shell) {
        let id = shell
            .requests
            .push_id(Request::HereNow { date: shell.date });
        self.pending = Some(id);
    }
}

impl Feature for HereNowState {
    /// Takes the answer to "here now" request `id`: only the one awaited.
    fn on_reply(&mut self, id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::HereNow(answer) = reply else {
            return misrouted(FeatureId::HereNow, &reply);
        };
        let Some(_) = id.filter(|id| self.pending == Some(*id)) else {
            tracing::debug!("dropped a stale here-now answer: {id:?}");
            return;
        };
        self.pending = None;
        match *answer {
            Ok(a) => self.take(a.rows, a.intakes),
            Err(e) => {
                cx.status.error(format!("Here now: {e}"));
                self.error = Some(e);
            }
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        if matches!(notice, Notice::ReloadShown | Notice::Refresh) && self.opened {
            self.request(cx);
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        self.opened.then(|| "Here now".into())
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        (CHAIN_HERE_NOW, false)
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        here_now::hints()
    }

    fn action(&mut self, action: Action, cx: &mut Cx) {
        if self.cursor.apply(action, self.rows.len()) {
            return;
        }
        match action {
            Action::Back => cx.go(Pane::Today),
            Action::Open => match self.selected_peer() {
                Some((id, name)) => cx.notify(Notice::open_peer(id, name)),
                None => cx.status.info("nobody has signed in yet today"),
            },
            _ => {}
        }
    }

    fn selected_peer(&self) -> Option<(PeerId, String)> {
        HereNowState::selected_peer(self)
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        here_now::render(self, ctx, area, buf);
    }
}

/// `K`: hands this terminal to the kiosk once the UI has closed
/// (supervisors and admins; the store checks the role again).
pub(super) fn start_kiosk(cx: &mut Cx) {
    if matches!(cx.who.map(|c| c.role), Some(Role::PeerSpecialist)) {
        return cx
            .status
            .error("the sign-in kiosk is started by supervisors and admins");
    }
    if !cx.layers.is_empty() {
        return cx
            .status
            .error("close the open form before starting the kiosk");
    }
    crate::ui::kiosk::request_after_ui();
    cx.quit = true;
}
