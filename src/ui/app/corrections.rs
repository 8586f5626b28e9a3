//! Correcting check-ins from the peer page: the check-in list layer
//! (Enter on the Overview), its full view with versions, voiding with a
//! reason, and correcting in the check-in form filled in. The rules
//! (what may change, voided ones not corrected) are `ops::checkin`'s.

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::checkin::CheckInForm;
use crate::ui::screens::checkins::{self, CheckInsState, Mode, CHAIN_CHECKINS, CHAIN_REASON};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::TextScroll;
use crate::ui::worker::{Request, Response};

use super::feature::{misrouted, FeatureId};
use super::peer::PeerPage;
use super::shell::{Cx, Shell};
use super::App;

const LIST_HINTS: &[(Action, &str)] = &[
    (Action::Open, "full view"),
    (Action::Edit, "correct"),
    (Action::VoidCheckIn, "void"),
    (Action::Undo, "undo"),
    (Action::Back, "back"),
];
const FULL_HINTS: &[(Action, &str)] = &[
    (Action::Down, "scroll"),
    (Action::Edit, "correct"),
    (Action::VoidCheckIn, "void"),
    (Action::Back, "list"),
];
const REASON_HINTS: &[(Action, &str)] = &[(Action::Save, "void it"), (Action::Back, "keep it")];

impl PeerPage {
    /// Opens the peer's check-in list over the peer page.
    pub(super) fn open_checkins(&mut self, cx: &mut Cx) {
        let Some(p) = &self.peer else {
            return;
        };
        let Some(d) = &p.detail else {
            return cx.status.info("still loading this peer's check-ins");
        };
        let state = CheckInsState::new(
            p.id,
            d.overview.peer.display_name.clone(),
            d.overview.recent_checkins.clone(),
            d.staff_initials.clone(),
        );
        cx.push_layer(state);
    }

    /// The peer page reloaded: an open check-in list follows.
    pub(super) fn checkins_after_peer(&mut self, cx: &mut Cx) {
        let fresh = self.peer.as_ref().and_then(|p| {
            p.detail
                .as_ref()
                .map(|d| (p.id, d.overview.recent_checkins.clone()))
        });
        if let (Some((peer, list)), Some(s)) = (fresh, cx.layer_mut::<CheckInsState>()) {
            if s.peer == peer {
                s.set_checkins(list);
            }
        }
    }

    /// Answers for the check-in list: a check-in's versions, a void.
    pub(super) fn on_correction(&mut self, response: Response, cx: &mut Cx) {
        match response {
            Response::CheckInHistory(id, result) => {
                if let Some(s) = cx.layer_mut::<CheckInsState>() {
                    if let Mode::Full {
                        id: shown, history, ..
                    } = &mut s.mode
                    {
                        if *shown == id {
                            *history = Some(result.map_err(|e| e.message));
                        }
                    }
                }
            }
            Response::CheckInVoided(Ok(rec)) => {
                if let Some(s) = cx.layer_mut::<CheckInsState>() {
                    if matches!(s.mode, Mode::Voiding { .. }) {
                        s.mode = Mode::List;
                    }
                }
                let why = rec
                    .voided
                    .as_ref()
                    .map(|v| v.reason.clone())
                    .unwrap_or_default();
                cx.status.info(format!(
                    "Voided check-in {} ({}): kept, counted nowhere",
                    rec.id,
                    crate::text::escape_line(&why)
                ));
                super::checkin::after_checkin_change(rec.peer, cx);
            }
            Response::CheckInVoided(Err(e)) => {
                cx.status.error(format!("Not voided: {e}"));
                if let Some(s) = cx.layer_mut::<CheckInsState>() {
                    if let Mode::Voiding { saving, error, .. } = &mut s.mode {
                        *saving = false;
                        *error = Some(e.message.clone());
                    }
                }
            }
            other => misrouted(FeatureId::PeerPage, &other),
        }
    }
}

impl CheckInsState {
    fn list_action(&mut self, action: Action, app: &mut App) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Open => {
                if let Some(c) = self.selected() {
                    let id = c.id;
                    self.mode = Mode::Full {
                        id,
                        history: None,
                        scroll: TextScroll::default(),
                    };
                    app.shell.requests.push(Request::CheckInHistory(id));
                }
                Reply::Done
            }
            Action::Edit => self.edit(app),
            Action::VoidCheckIn => self.start_void(app),
            a if self.cursor.apply(a, self.checkins.len()) => Reply::Done,
            _ => shell(action),
        }
    }

    fn edit(&mut self, app: &mut App) -> Reply {
        let Some(c) = self.selected().cloned() else {
            return Reply::Done;
        };
        if let Some(v) = &c.voided {
            app.shell.status.error(format!(
                "{} was voided ({}); a voided check-in is not corrected",
                c.id,
                crate::text::escape_line(&v.reason)
            ));
            return Reply::Done;
        }
        let form = CheckInForm::correcting(
            &app.shell.roster_search,
            c.clone(),
            self.name.clone(),
            app.shell.theme,
        );
        app.shell.requests.push(Request::Goals(c.peer));
        app.push_layer(form);
        Reply::Done
    }

    /// Enter in the reason field: voids with the reason typed (an empty
    /// one is refused here, naming the field).
    fn submit_void(&mut self, app: &mut App) -> Reply {
        let Mode::Voiding {
            id,
            reason,
            saving: false,
            error,
        } = &mut self.mode
        else {
            return Reply::Done;
        };
        let why = reason.text().trim().to_string();
        if why.is_empty() {
            *error = Some("reason: say why it is voided (it is kept, with the reason)".into());
            return Reply::Done;
        }
        let id = *id;
        if let Mode::Voiding { saving, error, .. } = &mut self.mode {
            *saving = true;
            *error = None;
        }
        let actor = app.actor();
        app.shell.requests.push(Request::VoidCheckIn {
            id,
            reason: why,
            actor,
        });
        app.shell.status.info(format!("voiding {id}…"));
        Reply::Done
    }

    fn start_void(&mut self, app: &mut App) -> Reply {
        let Some(c) = self.selected() else {
            return Reply::Done;
        };
        if c.voided.is_some() {
            app.shell.status.info(format!("{} is already voided", c.id));
            return Reply::Done;
        }
        let mut reason = LineInput::default();
        reason.set_placeholder("why, e.g. recorded twice");
        reason.set_focused(true, &app.shell.theme);
        self.mode = Mode::Voiding {
            id: c.id,
            reason: Box::new(reason),
            saving: false,
            error: None,
        };
        Reply::Done
    }
}

/// What the layer leaves to the shell beneath (help, quit, the command
/// line, reload, undo); everything else stays here.
fn shell(action: Action) -> Reply {
    match action {
        Action::Quit | Action::Help | Action::Command | Action::Refresh | Action::Undo => {
            Reply::Pass
        }
        _ => Reply::Done,
    }
}

impl Layer for CheckInsState {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        match self.mode {
            Mode::Voiding { .. } => (CHAIN_REASON, true),
            _ => (CHAIN_CHECKINS, false),
        }
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        match &mut self.mode {
            Mode::List => self.list_action(action, app),
            Mode::Full { scroll, .. } => match action {
                Action::Back => {
                    self.mode = Mode::List;
                    Reply::Done
                }
                Action::Edit => self.edit(app),
                Action::VoidCheckIn => self.start_void(app),
                _ if scroll.apply(action) => Reply::Done,
                _ => shell(action),
            },
            Mode::Voiding {
                id,
                reason,
                saving,
                error,
            } => match action {
                Action::Back if !*saving => {
                    self.mode = Mode::List;
                    Reply::Done
                }
                Action::NextField | Action::Save => {
                    let _ = (id, reason, saving, error);
                    self.submit_void(app)
                }
                Action::Quit | Action::Help => Reply::Pass,
                _ => Reply::Done,
            },
        }
    }

    fn text_key(&mut self, ev: crossterm::event::KeyEvent, app: &mut App) -> Reply {
        if ev.code == crossterm::event::KeyCode::Enter {
            return self.submit_void(app);
        }
        if let Mode::Voiding {
            reason,
            saving: false,
            error,
            ..
        } = &mut self.mode
        {
            if reason.key(ev) {
                *error = None;
            }
        }
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        if let Mode::Voiding {
            reason,
            saving: false,
            ..
        } = &mut self.mode
        {
            reason.paste(text);
        }
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(match self.mode {
            Mode::List => LIST_HINTS,
            Mode::Full { .. } => FULL_HINTS,
            Mode::Voiding { .. } => REASON_HINTS,
        })
    }

    fn draw(
        &self,
        _app: &App,
        ctx: &ViewCtx<'_>,
        areas: &Areas,
        buf: &mut ratatui::buffer::Buffer,
    ) {
        checkins::render(self, ctx, areas.main, buf);
    }

    any_impl!();
}

/// The whole status message, wrapped in a box (`z`): a long message is
/// cut on the status line, never lost.
#[derive(Debug, Clone)]
pub struct MessageView {
    /// The message, raw (escaped when drawn).
    pub text: String,
    /// Drawn as an error.
    pub error: bool,
}

/// `z`: the status message in full.
pub(super) fn show_message(shell: &mut Shell) {
    match shell.status.message.clone() {
        Some(m) => shell.push_layer(MessageView {
            text: m.text,
            error: m.error,
        }),
        None => shell.status.info("no message to show"),
    }
}

impl Layer for MessageView {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (&[Context::Confirm, Context::Global], false)
    }

    fn action(&mut self, action: Action, _app: &mut App) -> Reply {
        match action {
            Action::Quit | Action::Help => Reply::CloseAndPass,
            _ => Reply::Close,
        }
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(&[(Action::Back, "close")])
    }

    fn draw(
        &self,
        _app: &App,
        ctx: &ViewCtx<'_>,
        areas: &Areas,
        buf: &mut ratatui::buffer::Buffer,
    ) {
        use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
        let area = areas.main;
        let width = area.width.saturating_sub(4).clamp(10, 76).min(area.width);
        let text = crate::text::escape_multiline(&self.text).into_owned();
        let lines =
            crate::ui::widgets::confirm::wrapped_lines(&text, usize::from(width.saturating_sub(2)));
        let height = (lines as u16 + 2).min(area.height);
        let boxed = crate::ui::widgets::layout::centered(area, width, height);
        Clear.render(boxed, buf);
        let style = if self.error {
            ctx.theme.error()
        } else {
            ctx.theme.text()
        };
        Paragraph::new(text)
            .style(style)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Message "))
            .render(boxed, buf);
    }

    any_impl!();
}
