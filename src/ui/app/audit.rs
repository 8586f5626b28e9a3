//! The audit browser feature (supervisors and admins): opening it, its
//! filters, its pages of entries and the store's answers. Who may read
//! the trail is decided again by the store's authorizing layer; this only
//! spares a refusal.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::ops::auth::Permission;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::screens::audit::{self, AuditOutcome, AuditState};
use crate::ui::view::ViewCtx;
use crate::ui::worker::{not_allowed, Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Notice, Shell};
use super::Pane;

/// See the module doc.
#[derive(Default)]
pub struct AuditBrowser {
    /// The browser, once opened.
    pub state: Option<AuditState>,
}

impl AuditBrowser {
    /// `A`: opens the browser (for those who may read the trail) and
    /// asks for its first page.
    pub(super) fn open(&mut self, cx: &mut Cx) {
        let allowed = cx.who.is_some_and(|c| Permission::ReadAudit.allows(c.role));
        if !allowed {
            return cx.status.error(not_allowed());
        }
        if cx.nav.pane != Pane::Audit {
            cx.nav.audit_back = cx.nav.pane;
        }
        if self.state.is_none() {
            self.state = Some(AuditState::default());
        }
        cx.go(Pane::Audit);
        self.request(cx);
    }

    /// The browser's own keys wherever the caseload is: filter and reload
    /// on its pane. True when the action was taken care of here (a reload
    /// also reloads the rest).
    pub(super) fn shell_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        match action {
            Action::Search if cx.nav.pane == Pane::Audit => {
                if let Some(a) = &mut self.state {
                    a.edit(&cx.theme);
                }
                true
            }
            Action::Refresh if cx.nav.pane == Pane::Audit => {
                self.request(cx);
                false
            }
            _ => false,
        }
    }

    /// Asks for the page the filters describe (a newer ask replaces one
    /// still queued).
    fn request(&mut self, cx: &mut Cx) {
        let viewer = cx.who.map(|c| c.staff.id);
        let now = cx.now;
        if let Some(a) = &mut self.state {
            a.loading = true;
            let query = a.query();
            cx.requests.retain(|r| !matches!(r, Request::Audit { .. }));
            cx.requests.push(Request::Audit { query, viewer, now });
        }
    }

    fn outcome(&mut self, outcome: AuditOutcome, cx: &mut Cx) {
        match outcome {
            AuditOutcome::None => {}
            AuditOutcome::Reload => self.request(cx),
            AuditOutcome::Close => {
                let back = match cx.nav.audit_back {
                    Pane::Audit => Pane::Today,
                    p => p,
                };
                // The app checks the pane is still there (a peer page).
                cx.notify(Notice::Go(back));
            }
        }
    }
}

impl Feature for AuditBrowser {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, _cx: &mut Cx) {
        match reply {
            Response::Audit(result) => {
                if let Some(a) = &mut self.state {
                    match result {
                        Ok(page) => a.set_page(page),
                        Err(e) => a.set_error(e),
                    }
                }
            }
            other => misrouted(FeatureId::Audit, &other),
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        if *notice == Notice::ReloadShown {
            self.request(cx);
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        self.state.as_ref().map(|_| "Audit".into())
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        match &self.state {
            Some(a) => a.context(),
            None => (audit::CHAIN_LIST, false),
        }
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        if self.state.as_ref().is_some_and(|a| a.editing.is_some()) {
            return &[(Action::NextField, "next filter"), (Action::Back, "cancel")];
        }
        &[
            (Action::Search, "filter"),
            (Action::Down, "move"),
            (Action::Refresh, "reload"),
            (Action::Back, "back"),
            (Action::Help, "help"),
        ]
    }

    fn action(&mut self, action: Action, cx: &mut Cx) {
        let outcome = match &mut self.state {
            Some(a) => a.handle(action, &cx.theme),
            None => AuditOutcome::Close,
        };
        self.outcome(outcome, cx);
    }

    fn text_key(&mut self, ev: KeyEvent, cx: &mut Cx) {
        let outcome = match &mut self.state {
            Some(a) => a.text_key(ev, &cx.theme),
            None => AuditOutcome::None,
        };
        self.outcome(outcome, cx);
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        if let Some(a) = &mut self.state {
            a.paste(text);
        }
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        match &self.state {
            Some(s) => audit::render(s, ctx, area, buf),
            None => Line::raw("The audit trail is not open.").render(area, buf),
        }
    }
}
