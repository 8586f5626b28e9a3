//! How the center's forms, the Staff screen and the questions are keyed
//! and drawn: each is a layer, handing what it saves to the feature
//! (`center.rs`) with a [`Cx`](super::Cx) from `split!`.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::popup::Popup;
use crate::ui::screens::staff as staff_view;
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::confirm::OnYes;
use crate::ui::widgets::form::FormOutcome;

use super::{
    ask_yes, save_peer_form, save_setup, save_staff_form, staff_screen_action, Ask, PeerForm,
    Question, SetupForm, StaffForm, StaffScreen,
};
use crate::ui::app::App;

const CHAIN_STAFF: &[Context] = &[Context::Staff, Context::List, Context::Global];

use crate::ui::app::layers::FORM_HINTS;

/// Actions the center's forms leave to the shell.
fn passes(action: Action) -> bool {
    matches!(
        action,
        Action::Quit | Action::Help | Action::Command | Action::Refresh
    )
}

impl Layer for SetupForm {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        self.form.context()
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if matches!(action, Action::Help | Action::Command) {
            return Reply::Pass;
        }
        let outcome = if action == Action::Quit {
            FormOutcome::Cancel
        } else {
            self.form.handle(action)
        };
        match outcome {
            FormOutcome::Save => save_setup(self, &mut cx),
            FormOutcome::Cancel if !self.form.saving => cx.push_layer(Ask {
                text: "Leave the set-up? caseload quits and nothing is saved; it opens here again next time.".into(),
                about: Question::LeaveSetUp,
            }),
            _ => {}
        }
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if self.form.text_key(ev) == FormOutcome::Save {
            save_setup(self, &mut cx);
        }
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.form.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(FORM_HINTS)
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        staff_view::render_setup(self, ctx, areas.main, buf);
    }

    any_impl!();
}

impl Layer for StaffScreen {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_STAFF, false)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        staff_screen_action(self, action, &mut cx)
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        if self.manages {
            Some(&[
                (Action::AddStaff, "add"),
                (Action::Edit, "edit"),
                (Action::SetPin, "PIN"),
                (Action::ToggleActive, "deactivate/reactivate"),
                (Action::Back, "close"),
                (Action::Help, "help"),
            ])
        } else {
            Some(&[
                (Action::SetPin, "my PIN"),
                (Action::Back, "close"),
                (Action::Help, "help"),
            ])
        }
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        staff_view::render(self, ctx, areas.main, buf);
    }

    any_impl!();
}

macro_rules! form_layer {
    ($t:ty, $save:ident) => {
        impl Layer for $t {
            fn context(&self, _app: &App) -> (&'static [Context], bool) {
                self.form.context()
            }

            fn action(&mut self, action: Action, app: &mut App) -> Reply {
                let mut cx = split!(app);
                if passes(action) {
                    return Reply::Pass;
                }
                match self.form.handle(action) {
                    FormOutcome::Save => {
                        $save(self, &mut cx);
                        Reply::Done
                    }
                    FormOutcome::Cancel => cx
                        .cancel_unsaved(
                            self.form.saving,
                            self.form.is_dirty(),
                            "Close this form? What you typed will be lost.",
                            OnYes::DiscardBelow,
                        )
                        .reply(),
                    _ => Reply::Done,
                }
            }

            fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
                let mut cx = split!(app);
                if self.form.text_key(ev) == FormOutcome::Save {
                    $save(self, &mut cx);
                }
                Reply::Done
            }

            fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
                self.form.paste(text);
                Reply::Done
            }

            fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
                Some(FORM_HINTS)
            }

            fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
                crate::ui::widgets::form::render(&self.form, ctx, areas.main, buf);
            }

            any_impl!();
        }
    };
}

form_layer!(StaffForm, save_staff_form);
form_layer!(PeerForm, save_peer_form);

impl Layer for Ask {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (self.chain(), false)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        match action {
            Action::Yes | Action::No => {
                let about = self.about.clone();
                ask_yes(about, action == Action::Yes, &mut cx);
                Reply::Close
            }
            Action::Back => {
                // Back to the form, nothing done.
                if let Some(pf) = cx.layer_mut::<PeerForm>() {
                    pf.form.saving = false;
                }
                if let Some(p) = cx.layer_mut::<Popup>() {
                    p.form.saving = false;
                }
                cx.status.info("Nothing added: back to the form");
                Reply::Close
            }
            _ => Reply::Done,
        }
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        match &self.about {
            Question::UseExisting { .. } | Question::UseForWalkIn { .. } => Some(&[
                (Action::Yes, "yes"),
                (Action::No, "no"),
                (Action::Back, "back to the form"),
            ]),
            _ => Some(&[(Action::Yes, "yes"), (Action::No, "no")]),
        }
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        staff_view::render_ask(self, ctx, areas.screen, buf);
    }

    any_impl!();
}
