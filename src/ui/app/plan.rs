//! The app's handling of the peer page's tabs (recovery plan, goal
//! timeline, wellness plan), the small forms they open, reviews started
//! from Today, and the answers of the store worker for them. Kept apart
//! from `app.rs` so that file only routes: it calls in here.

use crate::model::{Goal, GoalId, GoalStatus, PeerId, Record};
use crate::ops::plan::StepChange;
use crate::ops::wellness::EntryChange;
use crate::ui::action::Action;
use crate::ui::layer::Reply;
use crate::ui::screens::peer_tabs::{PeerTab, PeerView, PendingDelete};
use crate::ui::screens::plan::{PlanEffect, PlanRow};
use crate::ui::screens::popup::{Popup, Purpose};
use crate::ui::screens::wellness::WellnessEffect;
use crate::ui::widgets::confirm::{Confirm, OnYes};
use crate::ui::widgets::form::FormOutcome;
use crate::ui::worker::plan::{PlanRequest, PlanResponse};
use crate::ui::worker::{Failure, Request};

use super::{App, Notice};

impl App {
    fn goals(&self) -> Vec<Record<Goal>> {
        self.user
            .page
            .peer
            .as_ref()
            .and_then(|p| p.detail.as_ref())
            .map(|d| d.overview.goals.clone())
            .unwrap_or_default()
    }

    fn goal(&self, id: GoalId) -> Option<Record<Goal>> {
        self.user
            .page
            .peer
            .as_ref()
            .and_then(|p| p.detail.as_ref())
            .and_then(|d| d.overview.goals.iter().find(|g| g.id == id).cloned())
    }

    /// Gives the peer page fresh tabs when another peer is opened.
    pub(super) fn reset_peer_view(&mut self, id: PeerId) {
        if self.user.page.view.peer != Some(id) {
            self.user.page.view = PeerView {
                peer: Some(id),
                ..PeerView::default()
            };
        }
    }

    /// Shows the peer page's plan tab with `goal` selected once loaded.
    pub(super) fn show_goal(&mut self, goal: GoalId) {
        self.user.page.view.tab = PeerTab::Plan;
        self.user.page.view.plan.want_goal = Some(goal);
    }

    fn request_timeline(&mut self) {
        let Some(peer) = self.user.page.peer.as_ref().map(|p| p.id) else {
            return;
        };
        let tl = &mut self.user.page.view.timeline;
        if tl.peer != Some(peer) {
            tl.data = None;
            tl.cursor.select(0, 0);
        }
        tl.peer = Some(peer);
        tl.loading = true;
        self.shell
            .requests
            .push(Request::Plan(PlanRequest::Timeline {
                peer,
                today: self.shell.date,
            }));
    }

    /// Reloads what the peer page and Today show after a plan change.
    fn reload_after_plan_change(&mut self, peer: Option<PeerId>) {
        self.shell.notify(Notice::ReloadToday);
        if let Some(p) = self.user.page.peer.as_ref().map(|p| p.id) {
            if peer.is_none_or(|x| x == p) {
                self.shell.requests.push(Request::Peer(p));
                if self.user.page.view.timeline.peer == Some(p) {
                    self.request_timeline();
                }
            }
        }
    }

    /// A check-in for `peer` was saved: its goal marks and wellbeing may
    /// have changed on the timeline.
    pub(super) fn plan_after_checkin(&mut self, peer: PeerId) {
        if self.user.page.view.timeline.peer == Some(peer)
            && self.user.page.view.timeline.data.is_some()
        {
            self.request_timeline();
        }
    }

    /// Reloads what the tabs and the Groups screen show, in place (the
    /// `refresh` action, and change notices from other sessions): the
    /// timeline, the group list, and an open session (its unsaved changes
    /// are kept on top, see `AttendanceState::rebase`). Loads already queued
    /// are not asked for twice.
    pub(super) fn refresh_tabs(&mut self) {
        let open_peer = self.user.page.peer.as_ref().map(|p| p.id);
        let timeline_queued = self
            .shell
            .requests
            .iter()
            .any(|r| matches!(r, Request::Plan(PlanRequest::Timeline { .. })));
        if open_peer.is_some() && self.user.page.view.timeline.peer == open_peer && !timeline_queued
        {
            self.request_timeline();
        }
        self.reload_groups();
    }

    /// Handles an action on the peer page's tabs. Returns false when the
    /// action is not theirs (the overview, `back`, global keys).
    pub(super) fn peer_page_action(&mut self, action: Action) -> bool {
        if let Some(tab) = self.user.page.view.tab.after(action) {
            self.user.page.view.tab = tab;
            if tab == PeerTab::Timeline
                && (self.user.page.view.timeline.data.is_none()
                    || self.user.page.view.timeline.peer
                        != self.user.page.peer.as_ref().map(|p| p.id))
            {
                self.request_timeline();
            }
            return true;
        }
        if action == Action::Back {
            return false;
        }
        if action == Action::StartAssessment {
            let (page, mut cx) = split!(self, page);
            super::assess::start(page, &mut cx);
            return true;
        }
        match self.user.page.view.tab {
            // Referrals: `referral::peer_action` took its keys.
            PeerTab::Overview if action == Action::Open => {
                self.open_checkins();
                true
            }
            PeerTab::Overview | PeerTab::Referrals | PeerTab::Assessments => false,
            PeerTab::Plan => {
                let goals = self.goals();
                let effect = self.user.page.view.plan.handle(action, &goals);
                self.plan_effect(effect);
                true
            }
            PeerTab::Timeline => self.user.page.view.timeline.handle(action),
            PeerTab::Wellness => {
                let plan = self
                    .user
                    .page
                    .peer
                    .as_ref()
                    .and_then(|p| p.detail.as_ref())
                    .map(|d| d.overview.peer.wellness_plan.clone())
                    .unwrap_or_default();
                let effect = self.user.page.view.wellness.handle(action, &plan);
                self.wellness_effect(effect);
                true
            }
            PeerTab::Consents if action == Action::RevokeConsent => {
                let (page, mut cx) = split!(self, page);
                super::consents::ask_revoke(page, &mut cx);
                true
            }
            PeerTab::Consents => {
                let len = self
                    .user
                    .page
                    .peer
                    .as_ref()
                    .and_then(|p| p.detail.as_ref())
                    .map_or(0, |d| d.consents.len());
                self.user.page.view.consents.handle(action, len)
            }
        }
    }

    fn plan_effect(&mut self, effect: PlanEffect) {
        let theme = self.shell.theme;
        match effect {
            PlanEffect::None => {}
            PlanEffect::Info(s) => self.shell.status.info(s),
            PlanEffect::AddGoal => {
                let Some(p) = &self.user.page.peer else {
                    return;
                };
                if p.detail.is_none() {
                    return self.shell.status.info("still loading this peer…");
                }
                self.push_layer(Popup::add_goal(p.id, &p.name, theme));
            }
            PlanEffect::EditGoal(g) => {
                if let Some(goal) = self.goal(g) {
                    self.push_layer(Popup::edit_goal(&goal, theme));
                }
            }
            PlanEffect::AddStep(g) => {
                if let Some(goal) = self.goal(g) {
                    self.push_layer(Popup::add_step(&goal, theme));
                }
            }
            PlanEffect::EditStep(g, i, _) => {
                if let Some(goal) = self.goal(g) {
                    if let Some(step) = goal.steps.get(i).cloned() {
                        self.push_layer(Popup::edit_step(&goal, i, &step, theme));
                    }
                }
            }
            PlanEffect::Toggle(goal, index, expect) => {
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                self.shell.requests.push(Request::Plan(PlanRequest::Step {
                    goal,
                    index,
                    expect,
                    change: StepChange::Toggle(self.shell.date),
                    actor,
                }));
            }
            PlanEffect::Move(goal, index, expect, up) => {
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                self.user
                    .page
                    .view
                    .plan
                    .select(PlanRow::Step(goal, if up { index - 1 } else { index + 1 }));
                self.shell.requests.push(Request::Plan(PlanRequest::Step {
                    goal,
                    index,
                    expect,
                    change: if up {
                        StepChange::MoveUp
                    } else {
                        StepChange::MoveDown
                    },
                    actor,
                }));
            }
            PlanEffect::Delete(goal, index, expect) => {
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                let question = format!(
                    "Delete step {} of {goal}, \"{}\"? It is not kept in the history.",
                    index + 1,
                    crate::ui::widgets::cells::clip(&expect, 60)
                );
                self.ask_delete(
                    question,
                    PlanRequest::Step {
                        goal,
                        index,
                        expect,
                        change: StepChange::Delete,
                        actor,
                    },
                );
            }
            PlanEffect::Status(goal, status) => {
                if self.goal(goal).is_some_and(|g| g.status == status) {
                    return self.shell.status.info(format!(
                        "goal {goal} is already {}",
                        crate::model::Choice::label(status)
                    ));
                }
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                self.shell.requests.push(Request::Plan(PlanRequest::Status {
                    goal,
                    status,
                    on: self.shell.date,
                    actor,
                }));
            }
            PlanEffect::Review(goal) => {
                let Some(g) = self.goal(goal) else { return };
                if g.status != GoalStatus::Active {
                    return self.shell.status.info(format!(
                        "goal {goal} is {}; reactivate it to review it",
                        crate::model::Choice::label(g.status)
                    ));
                }
                let about = format!("\"{}\"", g.title);
                self.push_layer(Popup::review(goal, &about, None, self.shell.date, theme));
            }
        }
    }

    fn wellness_effect(&mut self, effect: WellnessEffect) {
        let theme = self.shell.theme;
        let Some(peer) = self.user.page.peer.as_ref().map(|p| p.id) else {
            return;
        };
        match effect {
            WellnessEffect::None => {}
            WellnessEffect::Info(s) => self.shell.status.info(s),
            WellnessEffect::Add(section) => {
                self.push_layer(Popup::add_entry(peer, section, theme));
            }
            WellnessEffect::Edit(section, index, text) => {
                self.push_layer(Popup::edit_entry(peer, section, index, &text, theme));
            }
            WellnessEffect::Delete(section, index, expect) => {
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                let question = format!(
                    "Delete \"{}\" from \"{}\"?",
                    crate::ui::widgets::cells::clip(&expect, 60),
                    section.title()
                );
                self.ask_delete(
                    question,
                    PlanRequest::Wellness {
                        peer,
                        section,
                        change: EntryChange::Delete { index, expect },
                        actor,
                    },
                );
            }
            WellnessEffect::Move(section, index, expect, up) => {
                let Some(actor) = self.shell.acting() else {
                    return;
                };
                self.user.page.view.wellness.selected =
                    crate::ui::screens::wellness::WellnessRow::Entry(
                        section,
                        if up { index - 1 } else { index + 1 },
                    );
                self.shell
                    .requests
                    .push(Request::Plan(PlanRequest::Wellness {
                        peer,
                        section,
                        change: EntryChange::Move { index, expect, up },
                        actor,
                    }));
            }
        }
    }

    fn ask_delete(&mut self, question: String, request: PlanRequest) {
        self.user.page.view.pending_delete = Some(PendingDelete {
            question: question.clone(),
            request,
        });
        self.push_layer(Confirm {
            question,
            on_yes: OnYes::Delete,
        });
    }

    /// What a small form's outcome means for the app.
    pub(super) fn popup_outcome(&mut self, popup: &mut Popup, outcome: FormOutcome) -> Reply {
        match outcome {
            FormOutcome::None | FormOutcome::Picked(_) => Reply::Done,
            FormOutcome::Save => {
                self.save_popup(popup);
                Reply::Done
            }
            FormOutcome::Cancel => self
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

    fn save_popup(&mut self, popup: &mut Popup) {
        self.tick();
        if popup.form.saving {
            return;
        }
        let actor = match self.shell.acting_or_why() {
            Ok(a) => a,
            Err(why) => {
                self.shell.status.error(format!("Not saved: {why}"));
                popup.form.save_failed(&Failure::from(why.as_str()));
                return;
            }
        };
        if super::center::check_walk_in(popup, &self.user.groups, &mut self.shell) {
            return;
        }
        let today = self.shell.date;
        match popup.build(today, actor) {
            Ok(request) => {
                popup.form.saving = true;
                popup.form.failure = None;
                self.shell.requests.push(request);
                self.shell.status.info("saving…");
            }
            Err(problems) => {
                popup.form.show_errors(problems);
                let first = popup.form.problems().into_iter().next().unwrap_or_default();
                self.shell.status.error(format!("Not saved: {first}"));
            }
        }
    }

    /// The answer to a yes in the confirm box, for the questions asked
    /// from here.
    pub(super) fn confirm_yes(&mut self, on_yes: OnYes) {
        match on_yes {
            OnYes::DiscardPopup => {
                self.close_layer::<Popup>();
                self.shell.status.info("form closed, nothing saved");
            }
            OnYes::DiscardBelow => {
                // The question is off the stack: the form is on top.
                self.shell.layers.pop();
                self.shell.status.info("form closed, nothing saved");
            }
            OnYes::DiscardAttendance => self.close_attendance(),
            OnYes::Delete => {
                if let Some(d) = self.user.page.view.pending_delete.take() {
                    self.shell.requests.push(Request::Plan(d.request));
                }
            }
            OnYes::QuitUnsaved => self.shell.quit = true,
            OnYes::DiscardAssessment => super::assess::discard(&mut split!(self)),
            OnYes::SaveAnyway => self.save_anyway(),
            OnYes::DiscardAndQuit | OnYes::DiscardForm => {}
        }
    }

    /// Quit, unless a small form or a session holds unsaved work (then
    /// ask) or is being saved (then quit once saved).
    pub(super) fn quit_or_ask(&mut self) {
        let saving = self.popup().is_some_and(|p| p.form.saving)
            || self
                .user
                .groups
                .attendance
                .as_ref()
                .is_some_and(|s| s.saving);
        if saving {
            self.shell.quit_when_saved = true;
            self.shell
                .status
                .info("saving… caseload quits when the store confirms");
            return;
        }
        let question = if self.popup().is_some_and(|p| p.form.is_dirty()) {
            Some("Quit and discard what you typed in the open form?")
        } else if self
            .user
            .groups
            .attendance
            .as_ref()
            .is_some_and(|s| s.is_dirty())
        {
            Some("Quit and discard the attendance that is not saved yet?")
        } else {
            None
        };
        match question {
            Some(q) => self.push_layer(Confirm {
                question: q.into(),
                on_yes: OnYes::QuitUnsaved,
            }),
            None => self.shell.quit = true,
        }
    }

    /// Takes an answer of the store worker for the plan tabs.
    pub(super) fn on_plan_response(&mut self, response: PlanResponse) {
        let from_popup = self.popup().is_some_and(|p| p.form.saving);
        match response {
            PlanResponse::Timeline(peer, result) => {
                let tl = &mut self.user.page.view.timeline;
                if tl.peer == Some(peer) {
                    tl.loading = false;
                    match result {
                        Ok(d) => {
                            tl.cursor.clamp(d.goals.len());
                            tl.data = Some(d);
                            tl.error = None;
                        }
                        Err(e) => tl.error = Some(e.to_string()),
                    }
                }
            }
            PlanResponse::Goal(Ok((goal, message))) => {
                let purpose = if from_popup {
                    self.take_layer::<Popup>().map(|p| p.purpose)
                } else {
                    None
                };
                let goal = *goal;
                self.patch_goal(&goal);
                match purpose {
                    Some(Purpose::AddGoal(_)) => {
                        self.user.page.view.plan.select(PlanRow::Goal(goal.id))
                    }
                    Some(Purpose::AddStep(_)) => self
                        .user
                        .page
                        .view
                        .plan
                        .select(PlanRow::Step(goal.id, goal.steps.len().saturating_sub(1))),
                    _ => {}
                }
                let ours = purpose.is_some() || self.peer_open(goal.peer);
                self.saved(ours.then_some(message), Some(goal.peer));
            }
            PlanResponse::Peer(peer, Ok((record, message))) => {
                if from_popup {
                    self.close_layer::<Popup>();
                }
                if let Some(d) = self
                    .user
                    .page
                    .peer
                    .as_mut()
                    .filter(|p| p.id == peer)
                    .and_then(|p| p.detail.as_mut())
                {
                    d.overview.peer = *record;
                }
                let ours = from_popup || self.peer_open(peer);
                self.saved(ours.then_some(message), Some(peer));
            }
            PlanResponse::Goal(Err(e)) | PlanResponse::Peer(_, Err(e)) => {
                self.shell.quit_when_saved = false;
                if !from_popup && self.user.page.peer.is_none() {
                    // Asked for by a session that has since been replaced
                    // at the lock screen: not for this one to see.
                    tracing::warn!("a plan change was not saved: {e}");
                    return;
                }
                self.shell.status.error(format!("Not saved: {e}"));
                match self.layer_mut::<Popup>() {
                    Some(p) if from_popup => p.form.save_failed(&e),
                    _ => {
                        // A stale step or entry: show what is there now.
                        if let Some(p) = self.user.page.peer.as_ref().map(|p| p.id) {
                            self.shell.requests.push(Request::Peer(p));
                        }
                    }
                }
            }
        }
    }

    fn patch_goal(&mut self, goal: &Record<Goal>) {
        let Some(d) = self
            .user
            .page
            .peer
            .as_mut()
            .filter(|p| p.id == goal.peer)
            .and_then(|p| p.detail.as_mut())
        else {
            return;
        };
        let goals = &mut d.overview.goals;
        match goals.iter_mut().find(|g| g.id == goal.id) {
            Some(g) => *g = goal.clone(),
            None => goals.push(goal.clone()),
        }
    }

    /// True when `peer`'s page is the one open.
    fn peer_open(&self, peer: PeerId) -> bool {
        self.user.page.peer.as_ref().is_some_and(|p| p.id == peer)
    }

    /// After a plan save: the message (unless the save was asked for by a
    /// session since replaced at the lock screen, which this one must not
    /// hear about), and reloads.
    fn saved(&mut self, message: Option<String>, peer: Option<PeerId>) {
        let Some(message) = message else {
            self.shell.notify(Notice::ReloadToday);
            return;
        };
        self.shell.status.last_save = Some(self.shell.now);
        self.shell.status.info(message);
        self.reload_after_plan_change(peer);
        if self.shell.quit_when_saved {
            self.shell.quit = true;
        }
    }
}
