//! Taking an assessment from the peer page (`b`): the sitting is a layer
//! over the page (so nothing of the record shows while the peer reads
//! along), numbers answer, and the answers are saved through the worker
//! at the end; the peer page reloads to show the new total.

use std::any::Any;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;

use crate::model::{Assessment, Record};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::assess::{self, AssessSitting, CHAIN};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::confirm::OnYes;
use crate::ui::worker::{Failure, Request};

use super::{App, Cancelled};

impl App {
    /// Opens a sitting of the peer's instrument (the one they took last,
    /// else the first installed: the BARC-10).
    pub(super) fn start_assessment(&mut self) {
        let Some(p) = &self.user.page.peer else {
            return;
        };
        let Some(d) = &p.detail else {
            return self.shell.status.info("still loading this peer…");
        };
        let last = d.assessments.last().map(|a| a.instrument.clone());
        let instrument = last
            .and_then(|id| d.instruments.get(&id).cloned())
            .or_else(|| d.instruments.list.first().cloned());
        let Some(instrument) = instrument else {
            return self
                .shell
                .status
                .info("no instrument is installed (caseload instrument list)");
        };
        let sitting = AssessSitting::new(p.id, p.name.clone(), instrument);
        self.push_layer(sitting);
    }

    pub(super) fn discard_assessment(&mut self) {
        self.close_layer::<AssessSitting>();
        self.shell.status.info("assessment stopped, nothing saved");
    }

    pub(super) fn on_assessment_saved(&mut self, r: Result<Record<Assessment>, Failure>) {
        match r {
            Ok(rec) => {
                let shown = self
                    .layer_mut::<AssessSitting>()
                    .map(|s| s.instrument.short_name.clone())
                    .unwrap_or_else(|| rec.instrument.clone());
                self.close_layer::<AssessSitting>();
                self.shell
                    .status
                    .info(format!("saved {shown} {}: total {}", rec.id, rec.total));
                if self
                    .user
                    .page
                    .peer
                    .as_ref()
                    .is_some_and(|p| p.id == rec.peer)
                {
                    self.shell.requests.push(Request::Peer(rec.peer));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                if let Some(s) = self.layer_mut::<AssessSitting>() {
                    s.saving = false;
                    s.error = Some(msg.clone());
                }
                self.shell
                    .status
                    .error(format!("assessment not saved: {msg}"));
            }
        }
    }
}

impl Layer for AssessSitting {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN, true)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        match action {
            Action::PrevField | Action::PrevOption => self.back(),
            Action::NextField | Action::NextOption => {
                let moved = self.forward();
                if !moved && !self.on_end() {
                    app.shell.status.info(format!(
                        "give an answer from {} to {} first",
                        self.instrument.scale.min, self.instrument.scale.max
                    ));
                }
            }
            Action::Save => {
                if self.saving {
                    return Reply::Done;
                }
                let now = app.shell.now.with_timezone(&chrono::Utc);
                match self.assessment(now) {
                    Some(a) if self.on_end() => {
                        self.saving = true;
                        self.error = None;
                        let actor = app.actor();
                        app.shell.requests.push(Request::SaveAssessment {
                            assessment: a,
                            actor,
                        });
                        app.shell.status.info("saving…");
                    }
                    _ => app.shell.status.info(format!(
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
                return match app.shell.cancel_unsaved(
                    self.saving,
                    self.answered() > 0,
                    &question,
                    OnYes::DiscardAssessment,
                ) {
                    Cancelled::Close => {
                        app.shell.status.info("assessment stopped, nothing saved");
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
        if let KeyCode::Char(c) = ev.code {
            if let Some(d) = c.to_digit(10) {
                let v = u8::try_from(d).unwrap_or(u8::MAX);
                if !self.answer(v) && !self.on_end() {
                    app.shell.status.info(format!(
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
