//! The Consents feature: the Consents tab's one action, revoking the
//! selected consent. [`ask_revoke`] (called by the peer page) opens a
//! prompt over the hints line asking how it was revoked (Enter revokes it
//! from the app's day, Esc cancels); the worker saves it through
//! `ops::consent`, and [`Consents`] takes the answer: it says why not, or
//! tells the page with [`Notice::PeerChanged`], which reloads.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;

use crate::model::{ConsentId, ConsentState, PeerId};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::prompt;
use crate::ui::worker::consents::{ConsentRequest, ConsentResponse};
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::peer::PeerPage;
use super::shell::{Cx, Notice};
use super::App;

const CHAIN_PROMPT: &[Context] = &[Context::Input, Context::Global];

/// The Consents feature: it owns no state of its own (the tab's cursor
/// is the page's, the prompt a layer); it takes the answer to a revoke.
#[derive(Debug, Default)]
pub struct Consents;

/// Asks how the selected consent of the open page was revoked (only an
/// active one).
pub(super) fn ask_revoke(page: &PeerPage, cx: &mut Cx) {
    let Some(peer) = page.peer.as_ref() else {
        return;
    };
    let Some(detail) = peer.detail.as_ref() else {
        return cx.status.error("the consents are still loading");
    };
    let i = page.view.consents.cursor.selected;
    let Some(c) = detail.consents.get(i) else {
        return cx.status.error("no consent to revoke");
    };
    if let Some(r) = &c.revoked {
        return cx
            .status
            .error(format!("{} is already revoked from {}", c.id, r.date));
    }
    let state = c.state_on(cx.date);
    if state != ConsentState::Active {
        return cx.status.error(format!(
            "{} is {}; only an active consent can be revoked",
            c.id,
            state.label()
        ));
    }
    let question = format!(
        "How was {} revoked? (for {}; Enter revokes it from {}, Esc keeps it)",
        c.id,
        crate::text::escape_line(&c.recipient),
        cx.date
    );
    let prompt = RevokePrompt::new(peer.id, c.id, &cx.theme);
    cx.status.info(question);
    cx.push_layer(prompt);
}

impl Feature for Consents {
    /// Takes the worker's answer for the Consents tab: the open page of
    /// the peer reloads.
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::Consent(response) = reply else {
            return misrouted(FeatureId::Consents, &reply);
        };
        match *response {
            ConsentResponse::Revoked(peer, Ok(c)) => {
                let date = c.revoked.as_ref().map(|r| r.date).unwrap_or(cx.date);
                cx.status.info(format!(
                    "Revoked {} for {} from {}",
                    c.id,
                    crate::text::escape_line(&c.recipient),
                    date
                ));
                cx.notify(Notice::PeerChanged(peer));
            }
            ConsentResponse::Revoked(_, Err(e)) => {
                cx.status.error(format!("Not revoked: {e}"));
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
                split!(app).status.info("Not revoked");
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
        let mut cx = split!(app);
        let actor = cx.actor();
        let date = cx.date;
        cx.requests.push(Request::Consent(ConsentRequest::Revoke {
            peer: self.peer,
            id: self.consent,
            date,
            note,
            actor,
        }));
        cx.status.info(format!("Revoking {}…", self.consent));
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

    any_impl!();
}
