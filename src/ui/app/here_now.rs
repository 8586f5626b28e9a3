//! The "here now" pane's actions and answers (`h` from Today), and `K`,
//! which hands this terminal to the self sign-in kiosk.
//!
//! The list is asked for when the pane opens and whenever a change notice
//! comes (a sign-in at the kiosk is one), and only the awaited answer (by
//! request id) is taken.

use crate::model::Role;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::screens::here_now::HereNowState;
use crate::ui::screens::Effect;
use crate::ui::worker::frontdesk::HereNowAnswer;
use crate::ui::worker::{Request, RequestId};

use super::{App, Pane};

const CHAIN_HERE_NOW: &[Context] = &[Context::List, Context::Global];

impl App {
    /// Opens "here now" and asks for today's visitors.
    pub(super) fn open_here_now(&mut self) {
        self.user.here_now.opened = true;
        self.user.pane = Pane::HereNow;
        self.request_here_now();
    }

    /// Asks for the list again (on open, refresh and change notices).
    pub(super) fn request_here_now(&mut self) {
        let id = self.requests.push_id(Request::HereNow { date: self.date });
        self.user.here_now.pending = Some(id);
    }

    /// The key contexts of the pane.
    pub(super) fn here_now_focus(&self) -> (&'static [Context], bool) {
        (CHAIN_HERE_NOW, false)
    }

    /// An action on the pane.
    pub(super) fn here_now_action(&mut self, action: Action) -> Effect {
        let s = &mut self.user.here_now;
        if s.cursor.apply(action, s.rows.len()) {
            return Effect::None;
        }
        match action {
            Action::Back => {
                self.user.pane = Pane::Today;
                Effect::None
            }
            Action::Open => match s.selected_peer() {
                Some((id, name)) => Effect::OpenPeer(id, name),
                None => Effect::Info("nobody has signed in yet today".into()),
            },
            _ => Effect::None,
        }
    }

    /// Takes the answer to "here now" request `id`: only the one awaited.
    pub(super) fn on_here_now_reply(
        &mut self,
        id: RequestId,
        answer: Result<HereNowAnswer, String>,
    ) {
        let s = &mut self.user.here_now;
        if s.pending != Some(id) {
            tracing::debug!("dropped a stale here-now answer: {id:?}");
            return;
        }
        s.pending = None;
        match answer {
            Ok(a) => s.take(a.rows, a.intakes),
            Err(e) => {
                s.error = Some(e.clone());
                self.status.error(format!("Here now: {e}"));
            }
        }
    }

    /// The "here now" pane's state.
    pub fn here_now(&self) -> &HereNowState {
        &self.user.here_now
    }

    /// `K`: hands this terminal to the kiosk once the UI has closed
    /// (supervisors and admins; the store checks the role again).
    pub(super) fn start_kiosk(&mut self) {
        let role = self.user.who.as_ref().map(|c| c.role);
        if matches!(role, Some(Role::PeerSpecialist)) {
            return self
                .status
                .error("the sign-in kiosk is started by supervisors and admins");
        }
        if !self.layers.is_empty() {
            return self
                .status
                .error("close the open form before starting the kiosk");
        }
        crate::ui::kiosk::request_after_ui();
        self.quit = true;
    }
}
