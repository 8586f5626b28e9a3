//! The Peers feature: the roster, its search and filters (in
//! `screens::peers`), its reloads, and the answer that brings it. The
//! roster it loads is shared with the other features through the shell
//! (`Shell::roster`, the same `Arc`), so the check-in form, attendance
//! and the peer forms pick from it without asking the Peers screen.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::PeerId;
use crate::ui::action::Action;
use crate::ui::background::{Done, Job};
use crate::ui::keymap::Context;
use crate::ui::screens::peers::{self, PeersState};
use crate::ui::screens::Effect;
use crate::ui::view::ViewCtx;
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Notice, Shell};
use super::Pane;

const CHAIN_PEERS: &[Context] = &[Context::Peers, Context::List, Context::Global];
const CHAIN_SEARCH: &[Context] = &[Context::Input, Context::List, Context::Global];

impl PeersState {
    /// `/` from anywhere: the Peers screen with the search field focused.
    pub(super) fn start_search(&mut self, cx: &mut Cx) {
        cx.go(Pane::Peers);
        self.searching = true;
        self.query.set_focused(true, &cx.theme);
    }
}

/// The roster's search is ready: its first-character tables are queued
/// (off the UI thread) and the other lists of peers get it.
fn searchable(peers: &PeersState, cx: &mut Cx) {
    cx.jobs.push(Job::FirstChars(peers.search_index()));
    cx.roster_search = peers.roster_search().clone();
    cx.roster_loaded = true;
    cx.notify(Notice::RosterLoaded);
}

impl Feature for PeersState {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::Roster(Ok(rows)) => {
                let indexing = self.take_roster(rows);
                cx.roster = self.roster.clone();
                match indexing {
                    // A large roster is indexed off the UI thread; the
                    // other lists get it once that is done (`on_job`).
                    Some(rows) => cx.jobs.push(Job::RosterSearch(rows)),
                    None => searchable(self, cx),
                }
            }
            Response::Roster(Err(e)) => {
                cx.status.error(format!("Roster: {e}"));
                self.error = Some(e);
            }
            other => misrouted(FeatureId::Peers, &other),
        }
    }

    fn on_job(&mut self, done: Done, cx: &mut Cx) {
        if let Done::RosterSearch(search) = done {
            if self.install_search(search) {
                searchable(self, cx);
            } else {
                tracing::debug!("a prepared roster not installed (replaced meanwhile)");
            }
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        match notice {
            Notice::StaffList => self.staff = cx.staff_list.clone(),
            Notice::CheckInOpened => self.searching = false,
            Notice::ReloadRoster | Notice::Refresh => cx.requests.push(Request::Roster),
            Notice::ReloadShown if !cx.requests.iter().any(|r| matches!(r, Request::Roster)) => {
                cx.requests.push(Request::Roster);
            }
            _ => {}
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        Some("Peers".into())
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        if self.searching {
            (CHAIN_SEARCH, true)
        } else {
            (CHAIN_PEERS, false)
        }
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        if self.searching {
            &[
                (Action::Open, "open"),
                (Action::Down, "move"),
                (Action::Back, "clear"),
                (Action::Help, "help"),
            ]
        } else {
            &[
                (Action::Open, "open"),
                (Action::CheckIn, "check in"),
                (Action::Search, "search"),
                (Action::FilterStatus, "status"),
                (Action::FilterStaff, "staff"),
                (Action::Sort, "sort"),
                (Action::Help, "help"),
                (Action::Quit, "quit"),
                (Action::ImportPeers, "import"),
                (Action::NewPeer, "new peer"),
            ]
        }
    }

    fn action(&mut self, action: Action, cx: &mut Cx) {
        if action == Action::ImportPeers {
            return super::import::open(cx);
        }
        let was_searching = self.searching;
        let nothing_to_clear = self.query.is_empty() && !was_searching;
        if action == Action::Back && nothing_to_clear {
            return cx.go(Pane::Today);
        }
        let effect = self.handle(action);
        if self.searching != was_searching {
            self.query.set_focused(self.searching, &cx.theme);
        }
        match effect {
            Effect::None => {}
            Effect::OpenPeer(id, name) => cx.notify(Notice::open_peer(id, name)),
            Effect::ReloadToday => cx.notify(Notice::ReloadToday),
            Effect::Info(s) => cx.status.info(s),
        }
    }

    fn text_key(&mut self, ev: KeyEvent, _cx: &mut Cx) {
        if self.searching {
            PeersState::text_key(self, ev);
        }
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) {
        self.searching = true;
        self.query.set_focused(true, &cx.theme);
        PeersState::paste(self, text);
    }

    fn selected_peer(&self) -> Option<(PeerId, String)> {
        PeersState::selected_peer(self)
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        peers::render(self, ctx, area, buf);
    }
}
