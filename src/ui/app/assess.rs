//! The Assess feature: taking an assessment from the peer page (`b`).
//! The sitting is a layer over the page (so nothing of the record shows
//! while the peer reads along), numbers answer, and the answers are saved
//! through the worker at the end. [`start`] opens it from the page's
//! state; [`Assess`] takes the save's answer and tells the page with
//! [`Notice::PeerChanged`], which reloads to show the new total.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::assess::{self, AssessSitting, CHAIN};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::confirm::OnYes;
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::peer::PeerPage;
use super::shell::{Cx, Notice};
use super::{App, Cancelled};

/// The Assess feature: it owns no state of its own (the sitting is a
/// layer, the peer is the page's); it takes the answer to a save.
#[derive(Debug, Default)]
pub struct Assess;

/// Opens a sitting of the open peer's instrument (the one they took last,
/// else the first installed: the BARC-10).
pub(super) fn start(page: &PeerPage, cx: &mut Cx) {
    let Some(p) = &page.peer else {
        return;
    };
    let Some(d) = &p.detail else {
        return cx.status.info("still loading this peer…");
    };
    let last = d.assessments.last().map(|a| a.instrument.clone());
    let instrument = last
        .and_then(|id| d.instruments.get(&id).cloned())
        .or_else(|| d.instruments.list.first().cloned());
    let Some(instrument) = instrument else {
        return cx
            .status
            .info("no instrument is installed (caseload instrument list)");
    };
    let sitting = AssessSitting::new(p.id, p.name.clone(), instrument);
    cx.push_layer(sitting);
}

/// Yes to "stop without saving?": the sitting closes.
pub(super) fn discard(cx: &mut Cx) {
    cx.close_layer::<AssessSitting>();
    cx.status.info("assessment stopped, nothing saved");
}

impl Feature for Assess {
    /// Takes the answer to saving a sitting: the open page of the peer
    /// reloads to show the new total.
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::AssessmentSaved(r) = reply else {
            return misrouted(FeatureId::Assess, &reply);
        };
        match r {
            Ok(rec) => {
                let shown = cx
                    .layer_mut::<AssessSitting>()
                    .map(|s| s.instrument.short_name.clone())
                    .unwrap_or_else(|| rec.instrument.clone());
                cx.close_layer::<AssessSitting>();
                cx.status
                    .info(format!("saved {shown} {}: total {}", rec.id, rec.total));
                cx.notify(Notice::PeerChanged(rec.peer));
            }
            Err(e) => {
                let msg = e.to_string();
                if let Some(s) = cx.layer_mut::<AssessSitting>() {
                    s.saving = false;
                    s.error = Some(msg.clone());
                }
                cx.status.error(format!("assessment not saved: {msg}"));
            }
        }
    }
}

impl Layer for AssessSitting {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN, true)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        match action {
            Action::PrevField | Action::PrevOption => self.back(),
            Action::NextField | Action::NextOption => {
                let moved = self.forward();
                if !moved && !self.on_end() {
                    cx.status.info(format!(
                        "give an answer from {} to {} first",
                        self.instrument.scale.min, self.instrument.scale.max
                    ));
                }
            }
            Action::Save => {
                if self.saving {
                    return Reply::Done;
                }
                let now = cx.now.with_timezone(&chrono::Utc);
                match self.assessment(now) {
                    Some(a) if self.on_end() => {
                        self.saving = true;
                        self.error = None;
                        let actor = cx.actor();
                        cx.requests.push(Request::SaveAssessment {
                            assessment: a,
                            actor,
                        });
                        cx.status.info("saving…");
                    }
                    _ => cx.status.info(format!(
                        "{} of {} answered: answer every statement, then save on the last screen",
                        self.answered(),
                        self.instrument.items.len()
                    )),
                }
            }
            Action::Back | Action::Quit => {
                let question = format!(
                    "Stop this {} without saving? ({} of {} answered)",
                    self.instrument.short_name,
                    self.answered(),
                    self.instrument.items.len()
                );
                return match cx.cancel_unsaved(
                    self.saving,
                    self.answered() > 0,
                    &question,
                    OnYes::DiscardAssessment,
                ) {
                    Cancelled::Close => {
                        cx.status.info("assessment stopped, nothing saved");
                        Reply::Close
                    }
                    Cancelled::Asked | Cancelled::Stays => Reply::Done,
                };
            }
            // Help and locking still work; nothing else reaches the page.
            Action::Help | Action::Lock | Action::Privacy => return Reply::Pass,
            _ => {}
        }
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if let KeyCode::Char(c) = ev.code {
            if let Some(d) = c.to_digit(10) {
                let v = u8::try_from(d).unwrap_or(u8::MAX);
                if !self.answer(v) && !self.on_end() {
                    cx.status.info(format!(
                        "{v} is not an answer here: press {} to {}",
                        self.instrument.scale.min, self.instrument.scale.max
                    ));
                }
            }
        }
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(&[
            (Action::PrevField, "back"),
            (Action::NextField, "next"),
            (Action::Save, "save"),
            (Action::Back, "stop"),
        ])
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        assess::render(self, ctx, areas.main, buf);
    }

    any_impl!();
}
