//! The layers the app stacks over its panes, each answering the questions
//! of [`Layer`]: the check-in form, the small forms ([`Popup`]), the
//! question box ([`Confirm`]), help ([`HelpState`]), the command line
//! ([`CommandLine`]); and the two that are not kept on the stack: the base
//! pane ([`BaseLayer`], beneath every layer) and the sign-in and lock gate
//! ([`GateLayer`], above every layer while the caseload is not shown).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::{self, checkin::CheckInForm, help::HelpState, popup::Popup};
use crate::ui::theme::Theme;
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::confirm::{self, Confirm, OnYes};
use crate::ui::widgets::form::FormOutcome;
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::prompt::{self, parse_command};
use crate::ui::worker::Failure;

use super::App;

const CHAIN_PAGE: &[Context] = &[Context::List, Context::Global];
const CHAIN_CONFIRM: &[Context] = &[Context::Confirm];
const CHAIN_COMMAND: &[Context] = &[Context::Input, Context::Global];

/// The hints of every form (check-in, small forms, and the center's
/// set-up, staff and peer forms).
pub(super) const FORM_HINTS: &[(Action, &str)] = &[
    (Action::Save, "save"),
    (Action::NextField, "next field"),
    (Action::PrevField, "previous"),
    (Action::Back, "cancel"),
    (Action::Help, "help"),
];

/// Actions a modal form leaves to the shell (help, quit, command line,
/// reload), and those it refuses while open (going elsewhere).
fn form_routing(action: Action) -> Option<bool> {
    match action {
        Action::Quit | Action::Help | Action::Command | Action::Refresh => Some(true),
        Action::CheckIn
        | Action::GoToday
        | Action::GoPeers
        | Action::GoGroups
        | Action::GoReports
        | Action::GoResources
        | Action::GoCredentials
        | Action::Kiosk
        | Action::Search
        | Action::NextPane
        | Action::PrevPane
        | Action::Audit => Some(false),
        _ => None,
    }
}

impl Layer for CheckInForm {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        CheckInForm::context(self)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        if action == Action::Refer {
            return super::referral::refer_from_checkin(self, &mut split!(app));
        }
        match form_routing(action) {
            Some(true) => Reply::Pass,
            Some(false) => {
                app.shell.status.info("finish or cancel the check-in first");
                Reply::Done
            }
            None => {
                let outcome = self.handle(action);
                let (checkin, mut cx) = split!(app, checkin);
                checkin.outcome(self, outcome, &mut cx)
            }
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        let outcome = CheckInForm::text_key(self, ev);
        let (checkin, mut cx) = split!(app, checkin);
        checkin.outcome(self, outcome, &mut cx)
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        CheckInForm::paste(self, text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(FORM_HINTS)
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        screens::checkin::render(self, ctx, areas.main, buf);
    }

    any_impl!();
}

impl Layer for Popup {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        self.form.context()
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        match form_routing(action) {
            Some(true) => Reply::Pass,
            Some(false) => {
                app.shell
                    .status
                    .info("finish or cancel the open form first");
                Reply::Done
            }
            None => {
                let outcome = self.form.handle(action);
                popup_outcome(app, self, outcome)
            }
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        let outcome = self.form.text_key(ev);
        popup_outcome(app, self, outcome)
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.form.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(FORM_HINTS)
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        screens::popup::render(self, ctx, areas.main, buf);
    }

    any_impl!();
}

/// What a small form's outcome means: save it, or cancel it (asking
/// first if something was typed).
fn popup_outcome(app: &mut App, popup: &mut Popup, outcome: FormOutcome) -> Reply {
    match outcome {
        FormOutcome::None | FormOutcome::Picked(_) => Reply::Done,
        FormOutcome::Save => {
            save_popup(app, popup);
            Reply::Done
        }
        FormOutcome::Cancel => app
            .shell
            .cancel_unsaved(
                popup.form.saving,
                popup.form.is_dirty(),
                "Close this form? What you typed will be lost.",
                OnYes::DiscardPopup,
            )
            .reply(),
    }
}

/// Sends what a small form describes (a walk-in is first looked for on
/// the roster, `app/center.rs`).
fn save_popup(app: &mut App, popup: &mut Popup) {
    app.shell.tick();
    if popup.form.saving {
        return;
    }
    let actor = match app.shell.acting_or_why() {
        Ok(a) => a,
        Err(why) => {
            app.shell.status.error(format!("Not saved: {why}"));
            popup.form.save_failed(&Failure::from(why.as_str()));
            return;
        }
    };
    if super::center::check_walk_in(popup, &app.user.groups, &mut app.shell) {
        return;
    }
    let today = app.shell.date;
    match popup.build(today, actor) {
        Ok(request) => {
            popup.form.saving = true;
            popup.form.failure = None;
            app.shell.requests.push(request);
            app.shell.status.info("saving…");
        }
        Err(problems) => {
            popup.form.show_errors(problems);
            let first = popup.form.problems().into_iter().next().unwrap_or_default();
            app.shell.status.error(format!("Not saved: {first}"));
        }
    }
}

/// A yes in the confirm box goes to the feature that asked.
fn confirm_yes(app: &mut App, on_yes: OnYes) {
    match on_yes {
        OnYes::DiscardPopup => {
            app.close_layer::<Popup>();
            app.shell.status.info("form closed, nothing saved");
        }
        OnYes::DiscardBelow => {
            // The question is off the stack: the form is on top.
            app.shell.layers.pop();
            app.shell.status.info("form closed, nothing saved");
        }
        OnYes::DiscardAttendance => {
            let (groups, mut cx) = split!(app, groups);
            groups.close_attendance(&mut cx);
        }
        OnYes::Delete => app.user.page.confirm_delete(&mut app.shell),
        OnYes::QuitUnsaved => app.shell.quit = true,
        OnYes::DiscardAssessment => super::assess::discard(&mut split!(app)),
        OnYes::SaveAnyway => {
            let (checkin, mut cx) = split!(app, checkin);
            checkin.save_anyway(&mut cx);
        }
        OnYes::DiscardAndQuit | OnYes::DiscardForm => {}
    }
}

impl Layer for Confirm {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_CONFIRM, false)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        match action {
            Action::Yes => {
                // Yes does what was asked, and only that.
                match self.on_yes {
                    OnYes::DiscardAndQuit => app.shell.quit = true,
                    OnYes::DiscardForm => {
                        app.close_layer::<CheckInForm>();
                        app.shell.status.info("check-in discarded");
                    }
                    other => confirm_yes(app, other),
                }
                Reply::Close
            }
            Action::No | Action::Back => Reply::Close,
            _ => Reply::Done,
        }
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(&[(Action::Yes, "yes"), (Action::No, "no")])
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        confirm::render(self, ctx, areas.screen, buf);
    }

    any_impl!();
}

impl Layer for HelpState {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_PAGE, false)
    }

    fn action(&mut self, action: Action, _app: &mut App) -> Reply {
        if matches!(action, Action::Back | Action::Help) {
            return Reply::Close;
        }
        if self.handle(action) {
            Reply::Done
        } else {
            Reply::CloseAndPass
        }
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(&[(Action::Back, "close"), (Action::Down, "scroll")])
    }

    fn draw(&self, app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        screens::help::render(self, &app.shell.keymap, ctx, areas.main, buf);
    }

    any_impl!();
}

/// The command line (vim's `:`): an action name, `q` or `w`, drawn in the
/// hints line.
pub struct CommandLine {
    /// What is typed so far.
    pub input: LineInput,
}

impl CommandLine {
    /// An empty, focused command line.
    pub fn new(theme: &Theme) -> CommandLine {
        let mut input = LineInput::default();
        input.set_focused(true, theme);
        CommandLine { input }
    }
}

impl Layer for CommandLine {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_COMMAND, true)
    }

    fn action(&mut self, action: Action, _app: &mut App) -> Reply {
        if action == Action::Back {
            Reply::Close
        } else {
            Reply::CloseAndPass
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        if ev.code != KeyCode::Enter {
            self.input.key(ev);
            return Reply::Done;
        }
        // Off the stack already: the command runs as if typed beneath.
        match parse_command(self.input.text()) {
            Ok(a) => app.update(a),
            Err(e) => app.shell.status.error(e),
        }
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

/// The pane in front, beneath every layer.
pub struct BaseLayer;

impl Layer for BaseLayer {
    fn context(&self, app: &App) -> (&'static [Context], bool) {
        app.base_focus()
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        app.base_action(action);
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        app.base_type(ev);
        Reply::Done
    }

    fn paste(&mut self, text: &str, app: &mut App) -> Reply {
        app.base_paste(text);
        Reply::Done
    }

    fn hints(&self, app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(pane_hints(app))
    }

    fn draw(&self, app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        let main = areas.main;
        if let Some(f) = app.user.feature_ref(app.user.nav.pane.feature()) {
            f.draw(ctx, main, buf);
        }
    }

    any_impl!();
}

/// The hints of the pane in front.
fn pane_hints(app: &App) -> &'static [(Action, &'static str)] {
    app.user
        .feature_ref(app.user.nav.pane.feature())
        .map_or(&[], |f| f.hints())
}

/// The sign-in, start-up and lock screens: above every layer while the
/// caseload is not shown (the layers beneath keep their state, unseen).
pub struct GateLayer;

impl Layer for GateLayer {
    fn context(&self, app: &App) -> (&'static [Context], bool) {
        app.shell
            .gate_focus()
            .unwrap_or((screens::signin::CHAIN_RESUME, false))
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        app.gate_action(action);
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        app.shell.gate_type(ev);
        Reply::Done
    }

    fn paste(&mut self, text: &str, app: &mut App) -> Reply {
        app.shell.gate_paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        // The gate screen draws its own hints.
        None
    }

    fn draw(&self, app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        if let Some(gate) = app.shell.gate_view() {
            screens::signin::render(&gate, ctx, areas.screen, buf);
        }
    }

    any_impl!();
}
