//! The Consents tab's one action, revoking the selected consent: a prompt
//! over the hints line asks how it was revoked (Enter revokes it from the
//! app's day, Esc cancels), the worker saves it through `ops::consent`,
//! and the answer reloads the page or says why not.

use std::any::Any;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;

use crate::model::{ConsentId, ConsentState, PeerId};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::{Layer, Reply};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::prompt;
use crate::ui::worker::consents::{ConsentRequest, ConsentResponse};
use crate::ui::worker::Request;

use super::App;

const CHAIN_PROMPT: &[Context] = &[Context::Input, Context::Global];

impl App {
    /// Asks how the selected consent was revoked (only an active one).
    pub(super) fn ask_revoke(&mut self) {
        let Some(peer) = self.user.page.peer.as_ref() else {
            return;
        };
        let Some(detail) = peer.detail.as_ref() else {
            return self.shell.status.error("the consents are still loading");
        };
        let i = self.user.page.view.consents.cursor.selected;
        let Some(c) = detail.consents.get(i) else {
            return self.shell.status.error("no consent to revoke");
        };
        if let Some(r) = &c.revoked {
            return self
                .shell
                .status
                .error(format!("{} is already revoked from {}", c.id, r.date));
        }
        if c.state_on(self.shell.date) != ConsentState::Active {
            return self.shell.status.error(format!(
                "{} is {}; only an active consent can be revoked",
                c.id,
                c.state_on(self.shell.date).label()
            ));
        }
        let question = format!(
            "How was {} revoked? (for {}; Enter revokes it from {}, Esc keeps it)",
            c.id,
            crate::text::escape_line(&c.recipient),
            self.shell.date
        );
        let prompt = RevokePrompt::new(peer.id, c.id, &self.shell.theme);
        self.shell.status.info(question);
        self.push_layer(prompt);
    }

    /// Takes the worker's answer for the Consents tab.
    pub(super) fn on_consent_response(&mut self, response: ConsentResponse) {
        match response {
            ConsentResponse::Revoked(peer, Ok(c)) => {
                self.shell.status.info(format!(
                    "Revoked {} for {} from {}",
                    c.id,
                    crate::text::escape_line(&c.recipient),
                    c.revoked
                        .as_ref()
                        .map(|r| r.date)
                        .unwrap_or(self.shell.date)
                ));
                if self.user.page.peer.as_ref().is_some_and(|p| p.id == peer) {
                    self.shell.requests.push(Request::Peer(peer));
                }
            }
            ConsentResponse::Revoked(_, Err(e)) => {
                self.shell.status.error(format!("Not revoked: {e}"));
            }
        }
    }
}

/// The prompt asking how a consent was revoked.
pub struct RevokePrompt {
    /// Whose page it is.
    pub peer: PeerId,
    /// The consent.
    pub consent: ConsentId,
    /// What is typed.
    pub input: LineInput,
}

impl RevokePrompt {
    fn new(peer: PeerId, consent: ConsentId, theme: &crate::ui::theme::Theme) -> RevokePrompt {
        let mut input = LineInput::new("");
        input.set_focused(true, theme);
        RevokePrompt {
            peer,
            consent,
            input,
        }
    }
}

impl Layer for RevokePrompt {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_PROMPT, true)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        match action {
            Action::Back => {
                app.shell.status.info("Not revoked");
                Reply::Close
            }
            Action::Quit | Action::Help => Reply::Pass,
            _ => Reply::Done,
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        if ev.code != KeyCode::Enter {
            self.input.key(ev);
            return Reply::Done;
        }
        let note = self.input.text().trim().to_string();
        let actor = app.actor();
        app.shell
            .requests
            .push(Request::Consent(ConsentRequest::Revoke {
                peer: self.peer,
                id: self.consent,
                date: app.shell.date,
                note,
                actor,
            }));
        app.shell.status.info(format!("Revoking {}…", self.consent));
        Reply::Close
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.input.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        None
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        prompt::render(&self.input, ctx, areas.hints, buf);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
