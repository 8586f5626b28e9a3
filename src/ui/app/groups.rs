//! The Groups feature: the group list and history,
//! running a session (attendance, walk-ins, topic, note, save) and the
//! store worker's answers for them. Kept apart from `app.rs`, which only
//! routes here.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::GroupId;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::privacy::shown_name;
use crate::ui::screens::attendance::{AttendanceOutcome, AttendanceState};
use crate::ui::screens::groups::{self, GroupsEffect, GroupsMode, GroupsState};
use crate::ui::screens::popup::Popup;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::confirm::OnYes;
use crate::ui::worker::groups::{GroupsRequest, GroupsResponse};
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId, InHand};
use super::shell::{Cancelled, Cx, Notice, Shell};
use super::Pane;

impl GroupsState {
    /// Asks for the group list.
    fn request(&mut self, shell: &mut Shell) {
        self.loading = true;
        shell
            .requests
            .push(Request::Groups(GroupsRequest::List { today: shell.date }));
    }

    /// True while a session's attendance is in front: it takes every key
    /// (save included) until it is left.
    pub(super) fn in_attendance(&self, pane: Pane) -> bool {
        pane == Pane::Groups && self.mode == GroupsMode::Attendance && self.attendance.is_some()
    }

    /// Reloads the group list and the open session, if any (not twice).
    fn reload(&mut self, cx: &mut Cx) {
        if !self.opened {
            return;
        }
        let queued = |r: &Request, list: bool| match r {
            Request::Groups(GroupsRequest::List { .. }) => list,
            Request::Groups(GroupsRequest::Open { .. }) => !list,
            _ => false,
        };
        if !cx.requests.iter().any(|r| queued(r, true)) {
            self.request(cx);
        }
        let open = self
            .attendance
            .as_ref()
            .filter(|s| !s.saving)
            .map(|s| (s.group.id, s.session.date));
        if let Some((group, date)) = open {
            if !cx.requests.iter().any(|r| queued(r, false)) {
                let actor = cx.actor();
                cx.requests
                    .push(Request::Groups(GroupsRequest::Open { group, date, actor }));
            }
        }
    }

    /// Goes to the Groups screen; with `group` selected when it was
    /// opened from that group's row on Today.
    pub(super) fn open(&mut self, group: Option<GroupId>, cx: &mut Cx) {
        if let Some(g) = group {
            self.want = Some(g);
            if self.mode != GroupsMode::Attendance {
                self.mode = GroupsMode::List;
            }
        }
        self.opened = true;
        cx.go(Pane::Groups);
        self.request(cx);
    }

    /// Handles an action on the Groups screen.
    fn pane_action(&mut self, action: Action, cx: &mut Cx) {
        if self.mode == GroupsMode::Attendance {
            let outcome = match &mut self.attendance {
                Some(s) => s.handle(action),
                None => AttendanceOutcome::Leave,
            };
            return self.session_outcome(outcome, cx);
        }
        if action == Action::Back && self.mode == GroupsMode::List {
            cx.go(Pane::Today);
            return;
        }
        let effect = self.handle(action, cx.date);
        match effect {
            GroupsEffect::None => {}
            GroupsEffect::Info(s) => cx.status.info(s),
            GroupsEffect::AddGroup => {
                let popup = Popup::add_group(cx.theme);
                cx.push_layer(popup)
            }
            GroupsEffect::History(g) => {
                cx.requests.push(Request::Groups(GroupsRequest::History(g)))
            }
            GroupsEffect::Open(group, date) => {
                let Some(actor) = cx.acting() else {
                    return;
                };
                self.opening = true;
                cx.requests
                    .push(Request::Groups(GroupsRequest::Open { group, date, actor }));
            }
        }
    }

    fn session_outcome(&mut self, outcome: AttendanceOutcome, cx: &mut Cx) {
        match outcome {
            AttendanceOutcome::None => {}
            AttendanceOutcome::Info(s) => cx.status.info(s),
            AttendanceOutcome::Checked(name, on) => {
                let said = format!(
                    "{} {} (not saved yet)",
                    shown_name(&name, cx.privacy()),
                    if on {
                        "checked off"
                    } else {
                        "taken off the list"
                    }
                );
                cx.status.info(said);
            }
            AttendanceOutcome::WalkIn(name) => {
                let popup = Popup::walk_in(&name, cx.theme);
                cx.push_layer(popup)
            }
            AttendanceOutcome::Leave => {
                let dirty = self.attendance.as_ref().is_some_and(|s| s.is_dirty());
                // Leaving while a save is on its way was always allowed
                // (the answer then finds the screen closed), so `saving`
                // is not asked here.
                let cancelled = cx.cancel_unsaved(
                    false,
                    dirty,
                    "Leave this session? Attendance that is not saved will be lost.",
                    OnYes::DiscardAttendance,
                );
                if cancelled == Cancelled::Close {
                    self.close_attendance(cx);
                }
            }
            AttendanceOutcome::Save => self.save_session(cx),
        }
    }

    /// Closes the session screen (its changes, if any, are dropped).
    pub(super) fn close_attendance(&mut self, cx: &mut Cx) {
        self.attendance = None;
        self.mode = GroupsMode::List;
        self.request(cx);
    }

    fn save_session(&mut self, cx: &mut Cx) {
        if self.attendance.as_ref().is_none_or(|s| s.saving) {
            return;
        }
        let Some(actor) = cx.acting() else {
            return;
        };
        let Some(s) = &mut self.attendance else {
            return;
        };
        s.saving = true;
        s.errors.clear();
        let request = GroupsRequest::Save {
            group: s.group.id,
            date: s.session.date,
            add: s.added(),
            remove: s.removed(),
            walk_ins: s.walk_ins.clone(),
            topic: s.topic.text().to_string(),
            note: s.note.text().to_string(),
            actor,
        };
        cx.requests.push(Request::Groups(request));
        cx.status.info("saving attendance…");
    }

    /// A key typed on the Groups screen (the session's fields).
    fn typed(&mut self, ev: KeyEvent, cx: &mut Cx) {
        if self.mode != GroupsMode::Attendance {
            return;
        }
        let outcome = match &mut self.attendance {
            Some(s) => s.text_key(ev),
            None => AttendanceOutcome::None,
        };
        self.session_outcome(outcome, cx);
    }

    /// A paste on the Groups screen.
    fn pasted(&mut self, text: &str) {
        if self.mode == GroupsMode::Attendance {
            if let Some(s) = &mut self.attendance {
                s.paste(text);
            }
        }
    }

    /// Takes an answer of the store worker for the Groups screen.
    fn on_groups(&mut self, response: GroupsResponse, cx: &mut Cx) {
        let from_popup = cx.layer::<Popup>().is_some_and(|p| p.form.saving);
        match response {
            GroupsResponse::List(Ok(rows)) => {
                self.initials = cx
                    .staff_list
                    .iter()
                    .map(|s| (s.id, s.initials.clone()))
                    .collect();
                self.set_rows(rows);
            }
            GroupsResponse::List(Err(e)) => {
                self.loading = false;
                cx.status.error(format!("Groups: {e}"));
                self.error = Some(e.to_string());
            }
            GroupsResponse::History(g, result) => {
                if self.mode == GroupsMode::History(g) {
                    self.history = Some(result.map_err(|e| e.to_string()));
                }
            }
            GroupsResponse::Opened(Ok((group, session)))
                if self
                    .attendance
                    .as_ref()
                    .is_some_and(|s| same_session(&s.session, &session)) =>
            {
                // A reload of the open session: keep this screen's changes.
                if let Some(s) = &mut self.attendance {
                    if !s.saving {
                        s.group = group;
                        s.rebase(session);
                    }
                }
            }
            GroupsResponse::Opened(Ok((group, session))) => {
                self.opening = false;
                self.attendance = Some(AttendanceState::new(
                    group,
                    session,
                    &cx.roster_search,
                    cx.theme,
                ));
                self.mode = GroupsMode::Attendance;
                self.opened = true;
                cx.go(Pane::Groups);
                self.request(cx);
                cx.notify(Notice::ReloadToday);
            }
            GroupsResponse::Opened(Err(e)) => {
                self.opening = false;
                cx.status.error(format!("Could not open the session: {e}"));
            }
            GroupsResponse::Saved(Ok(saved)) => {
                let Some(s) = &mut self.attendance else {
                    return;
                };
                if !same_session(&s.session, &saved) {
                    return;
                }
                let (n, name, date) = (saved.attendees.len(), s.group.name.clone(), saved.date);
                let walk_ins = s.walk_ins.len();
                s.saved(saved);
                cx.status.last_save = Some(cx.now);
                let joined = if walk_ins == 0 {
                    String::new()
                } else {
                    format!(
                        "; {} joined the roster",
                        crate::text::count(walk_ins, "walk-in", "walk-ins")
                    )
                };
                cx.status.info(format!(
                    "Saved attendance: {n} at {} on {date}{joined}",
                    crate::text::escape_line(&name)
                ));
                if walk_ins > 0 {
                    cx.notify(Notice::ReloadRoster);
                }
                self.request(cx);
                cx.notify(Notice::ReloadToday);
                // The peer page's attendance summary.
                cx.notify(Notice::ReloadOpenPeer);
                cx.saved_then_quit();
            }
            GroupsResponse::Saved(Err(e)) => {
                cx.quit_when_saved = false;
                let Some(s) = &mut self.attendance else {
                    // Not this session's (see `PeerPage::saved` in app/plan.rs).
                    return tracing::warn!("attendance was not saved: {e}");
                };
                s.save_failed(&e);
                cx.status.error(format!("Not saved: {e}"));
            }
            GroupsResponse::SaveFailedWalkInsKept(e, kept) => {
                cx.quit_when_saved = false;
                let Some(s) = &mut self.attendance else {
                    return tracing::warn!("attendance was not saved: {e}");
                };
                // They are on the roster now: checked off as the peers
                // they became, so saving again does not add them twice.
                s.walk_ins_joined(&kept);
                s.save_failed(&e);
                cx.status.error(format!("Not saved: {e}"));
            }
            GroupsResponse::GroupAdded(Ok(_)) if !from_popup => {
                // Asked for by a session since replaced at the lock screen.
                self.request(cx);
            }
            GroupsResponse::GroupAdded(Ok(group)) => {
                cx.close_layer::<Popup>();
                self.want = Some(group.id);
                cx.status.info(format!(
                    "Added group {} ({})",
                    crate::text::escape_line(&group.name),
                    group.id
                ));
                self.request(cx);
                cx.notify(Notice::ReloadToday);
            }
            GroupsResponse::GroupAdded(Err(e)) => match cx.layer_mut::<Popup>() {
                Some(p) if from_popup => {
                    p.form.save_failed(&e);
                    cx.status.error(format!("Not saved: {e}"));
                }
                _ => tracing::warn!("a group was not saved: {e}"),
            },
        }
    }
}

impl Feature for GroupsState {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::Groups(r) => self.on_groups(*r, cx),
            other => misrouted(FeatureId::Groups, &other),
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        match notice {
            Notice::RosterLoaded => {
                let roster = cx.roster_search.clone();
                if let Some(s) = &mut self.attendance {
                    s.set_roster(&roster);
                }
            }
            Notice::ReloadShown | Notice::Refresh => self.reload(cx),
            // A walk-in from the small form (`center.rs`).
            Notice::CheckOffWalkIn(..) => super::center::check_off_walk_in(self, notice, cx),
            _ => {}
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        self.opened.then(|| "Groups".into())
    }

    fn in_hand(&self) -> InHand {
        let s = self.attendance.as_ref();
        InHand {
            saving: s.is_some_and(|s| s.saving),
            unsaved: s
                .is_some_and(|s| s.is_dirty())
                .then_some("Quit and discard the attendance that is not saved yet?"),
        }
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        GroupsState::context(self)
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        groups::hints(self)
    }

    fn action(&mut self, action: Action, cx: &mut Cx) {
        self.pane_action(action, cx);
    }

    fn text_key(&mut self, ev: KeyEvent, cx: &mut Cx) {
        self.typed(ev, cx);
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        self.pasted(text);
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        groups::render(self, ctx, area, buf);
    }
}

/// True when `b` is the session `a` shows: the same record, or the one a
/// save made of a session not saved before (same group and day).
fn same_session(
    a: &crate::model::Record<crate::model::GroupSession>,
    b: &crate::model::Record<crate::model::GroupSession>,
) -> bool {
    a.id == b.id
        || ((crate::ops::groups::is_unsaved(a) || crate::ops::groups::is_unsaved(b))
            && a.group == b.group
            && a.date == b.date)
}
