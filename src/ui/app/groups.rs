//! The app's handling of the Groups screen: the group list and history,
//! running a session (attendance, walk-ins, topic, note, save) and the
//! store worker's answers for them. Kept apart from `app.rs`, which only
//! routes here.

use crossterm::event::KeyEvent;

use crate::ui::action::Action;
use crate::ui::privacy::shown_name;
use crate::ui::screens::attendance::{AttendanceOutcome, AttendanceState};
use crate::ui::screens::groups::{GroupsEffect, GroupsMode};
use crate::ui::screens::popup::Popup;
use crate::ui::widgets::confirm::OnYes;
use crate::ui::worker::groups::{GroupsRequest, GroupsResponse};
use crate::ui::worker::Request;

use super::{App, Cancelled, Notice, Pane};

impl App {
    /// Asks for the group list.
    pub(super) fn request_groups(&mut self) {
        self.user.groups.loading = true;
        self.shell
            .requests
            .push(Request::Groups(GroupsRequest::List {
                today: self.shell.date,
            }));
    }

    /// True while a session's attendance is in front: it takes every key
    /// (save included) until it is left.
    pub(super) fn in_attendance(&self) -> bool {
        self.user.nav.pane == Pane::Groups
            && self.user.groups.mode == GroupsMode::Attendance
            && self.user.groups.attendance.is_some()
    }

    /// Reloads the group list and the open session, if any (not twice).
    pub(super) fn reload_groups(&mut self) {
        if !self.user.groups.opened {
            return;
        }
        let queued = |r: &Request, list: bool| match r {
            Request::Groups(GroupsRequest::List { .. }) => list,
            Request::Groups(GroupsRequest::Open { .. }) => !list,
            _ => false,
        };
        if !self.shell.requests.iter().any(|r| queued(r, true)) {
            self.request_groups();
        }
        let open = self
            .user
            .groups
            .attendance
            .as_ref()
            .filter(|s| !s.saving)
            .map(|s| (s.group.id, s.session.date));
        if let Some((group, date)) = open {
            if !self.shell.requests.iter().any(|r| queued(r, false)) {
                let actor = self.actor();
                self.shell
                    .requests
                    .push(Request::Groups(GroupsRequest::Open { group, date, actor }));
            }
        }
    }

    /// Goes to the Groups screen; from a Today group row, with that group
    /// selected.
    pub(super) fn open_groups(&mut self) {
        if self.user.nav.pane == Pane::Today {
            if let Some(g) = self.user.today.selected_row().and_then(|r| r.group) {
                self.user.groups.want = Some(g);
                if self.user.groups.mode != GroupsMode::Attendance {
                    self.user.groups.mode = GroupsMode::List;
                }
            }
        }
        self.user.groups.opened = true;
        self.user.nav.pane = Pane::Groups;
        self.request_groups();
    }

    /// Handles an action on the Groups screen.
    pub(super) fn groups_action(&mut self, action: Action) {
        if self.user.groups.mode == GroupsMode::Attendance {
            let outcome = match &mut self.user.groups.attendance {
                Some(s) => s.handle(action),
                None => AttendanceOutcome::Leave,
            };
            return self.session_outcome(outcome);
        }
        if action == Action::Back && self.user.groups.mode == GroupsMode::List {
            self.user.nav.pane = Pane::Today;
            return;
        }
        let effect = self.user.groups.handle(action, self.shell.date);
        match effect {
            GroupsEffect::None => {}
            GroupsEffect::Info(s) => self.shell.status.info(s),
            GroupsEffect::AddGroup => self.push_layer(Popup::add_group(self.shell.theme)),
            GroupsEffect::History(g) => self
                .shell
                .requests
                .push(Request::Groups(GroupsRequest::History(g))),
            GroupsEffect::Open(group, date) => {
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                self.user.groups.opening = true;
                self.shell
                    .requests
                    .push(Request::Groups(GroupsRequest::Open { group, date, actor }));
            }
        }
    }

    fn session_outcome(&mut self, outcome: AttendanceOutcome) {
        match outcome {
            AttendanceOutcome::None => {}
            AttendanceOutcome::Info(s) => self.shell.status.info(s),
            AttendanceOutcome::Checked(name, on) => self.shell.status.info(format!(
                "{} {} (not saved yet)",
                shown_name(&name, self.shell.access.privacy),
                if on {
                    "checked off"
                } else {
                    "taken off the list"
                }
            )),
            AttendanceOutcome::WalkIn(name) => {
                self.push_layer(Popup::walk_in(&name, self.shell.theme))
            }
            AttendanceOutcome::Leave => {
                let dirty = self
                    .user
                    .groups
                    .attendance
                    .as_ref()
                    .is_some_and(|s| s.is_dirty());
                // Leaving while a save is on its way was always allowed
                // (the answer then finds the screen closed), so `saving`
                // is not asked here.
                let cancelled = self.shell.cancel_unsaved(
                    false,
                    dirty,
                    "Leave this session? Attendance that is not saved will be lost.",
                    OnYes::DiscardAttendance,
                );
                if cancelled == Cancelled::Close {
                    self.close_attendance();
                }
            }
            AttendanceOutcome::Save => self.save_session(),
        }
    }

    /// Closes the session screen (its changes, if any, are dropped).
    pub(super) fn close_attendance(&mut self) {
        self.user.groups.attendance = None;
        self.user.groups.mode = GroupsMode::List;
        self.request_groups();
    }

    fn save_session(&mut self) {
        if self
            .user
            .groups
            .attendance
            .as_ref()
            .is_none_or(|s| s.saving)
        {
            return;
        }
        let Some(actor) = self.shell.acting() else {
            return;
        };
        let Some(s) = &mut self.user.groups.attendance else {
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
        self.shell.requests.push(Request::Groups(request));
        self.shell.status.info("saving attendance…");
    }

    /// A key typed on the Groups screen (the session's fields).
    pub(super) fn groups_text_key(&mut self, ev: KeyEvent) {
        if self.user.groups.mode != GroupsMode::Attendance {
            return;
        }
        let outcome = match &mut self.user.groups.attendance {
            Some(s) => s.text_key(ev),
            None => AttendanceOutcome::None,
        };
        self.session_outcome(outcome);
    }

    /// A paste on the Groups screen.
    pub(super) fn groups_paste(&mut self, text: &str) {
        if self.user.groups.mode == GroupsMode::Attendance {
            if let Some(s) = &mut self.user.groups.attendance {
                s.paste(text);
            }
        }
    }

    /// The roster was reloaded: the session's list follows.
    pub(super) fn groups_after_roster(&mut self) {
        if let Some(s) = &mut self.user.groups.attendance {
            s.set_roster(&self.user.peers.roster);
        }
    }

    /// Takes an answer of the store worker for the Groups screen.
    pub(super) fn on_groups_response(&mut self, response: GroupsResponse) {
        let from_popup = self.popup().is_some_and(|p| p.form.saving);
        match response {
            GroupsResponse::List(Ok(rows)) => {
                self.user.groups.initials = self
                    .user
                    .peers
                    .staff
                    .iter()
                    .map(|s| (s.id, s.initials.clone()))
                    .collect();
                self.user.groups.set_rows(rows);
            }
            GroupsResponse::List(Err(e)) => {
                self.user.groups.loading = false;
                self.shell.status.error(format!("Groups: {e}"));
                self.user.groups.error = Some(e.to_string());
            }
            GroupsResponse::History(g, result) => {
                if self.user.groups.mode == GroupsMode::History(g) {
                    self.user.groups.history = Some(result.map_err(|e| e.to_string()));
                }
            }
            GroupsResponse::Opened(Ok((group, session)))
                if self
                    .user
                    .groups
                    .attendance
                    .as_ref()
                    .is_some_and(|s| same_session(&s.session, &session)) =>
            {
                // A reload of the open session: keep this screen's changes.
                if let Some(s) = &mut self.user.groups.attendance {
                    if !s.saving {
                        s.group = group;
                        s.rebase(session);
                    }
                }
            }
            GroupsResponse::Opened(Ok((group, session))) => {
                self.user.groups.opening = false;
                self.user.groups.attendance = Some(AttendanceState::new(
                    group,
                    session,
                    &self.user.peers.roster,
                    self.shell.theme,
                ));
                self.user.groups.mode = GroupsMode::Attendance;
                self.user.groups.opened = true;
                self.user.nav.pane = Pane::Groups;
                self.request_groups();
                self.shell.notify(Notice::ReloadToday);
            }
            GroupsResponse::Opened(Err(e)) => {
                self.user.groups.opening = false;
                self.shell
                    .status
                    .error(format!("Could not open the session: {e}"));
            }
            GroupsResponse::Saved(Ok(saved)) => {
                let Some(s) = &mut self.user.groups.attendance else {
                    return;
                };
                if !same_session(&s.session, &saved) {
                    return;
                }
                let (n, name, date) = (saved.attendees.len(), s.group.name.clone(), saved.date);
                let walk_ins = s.walk_ins.len();
                s.saved(saved);
                self.shell.status.last_save = Some(self.shell.now);
                let joined = if walk_ins == 0 {
                    String::new()
                } else {
                    format!(
                        "; {} joined the roster",
                        crate::text::count(walk_ins, "walk-in", "walk-ins")
                    )
                };
                self.shell.status.info(format!(
                    "Saved attendance: {n} at {} on {date}{joined}",
                    crate::text::escape_line(&name)
                ));
                if walk_ins > 0 {
                    self.shell.requests.push(Request::Roster);
                }
                self.request_groups();
                self.shell.notify(Notice::ReloadToday);
                // The peer page's attendance summary.
                if let Some(p) = self.user.page.peer.as_ref().map(|p| p.id) {
                    self.shell.requests.push(Request::Peer(p));
                }
                if self.shell.quit_when_saved {
                    self.shell.quit = true;
                }
            }
            GroupsResponse::Saved(Err(e)) => {
                self.shell.quit_when_saved = false;
                let Some(s) = &mut self.user.groups.attendance else {
                    // Not this session's (see `App::saved` in app/plan.rs).
                    return tracing::warn!("attendance was not saved: {e}");
                };
                s.save_failed(&e);
                self.shell.status.error(format!("Not saved: {e}"));
            }
            GroupsResponse::SaveFailedWalkInsKept(e, kept) => {
                self.shell.quit_when_saved = false;
                let Some(s) = &mut self.user.groups.attendance else {
                    return tracing::warn!("attendance was not saved: {e}");
                };
                // They are on the roster now: checked off as the peers
                // they became, so saving again does not add them twice.
                s.walk_ins_joined(&kept);
                s.save_failed(&e);
                self.shell.status.error(format!("Not saved: {e}"));
            }
            GroupsResponse::GroupAdded(Ok(_)) if !from_popup => {
                // Asked for by a session since replaced at the lock screen.
                self.request_groups();
            }
            GroupsResponse::GroupAdded(Ok(group)) => {
                self.close_layer::<Popup>();
                self.user.groups.want = Some(group.id);
                self.shell.status.info(format!(
                    "Added group {} ({})",
                    crate::text::escape_line(&group.name),
                    group.id
                ));
                self.request_groups();
                self.shell.notify(Notice::ReloadToday);
            }
            GroupsResponse::GroupAdded(Err(e)) => match self.layer_mut::<Popup>() {
                Some(p) if from_popup => {
                    p.form.save_failed(&e);
                    self.shell.status.error(format!("Not saved: {e}"));
                }
                _ => tracing::warn!("a group was not saved: {e}"),
            },
        }
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
