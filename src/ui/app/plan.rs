//! The peer page's plan and wellness tabs (part of the peer page
//! feature, `impl PeerPage`): their keys, the small forms and deletes they
//! open, and the store worker's answers for plan changes (`on_plan`),
//! after which Today and the open page reload.

use crate::model::{Goal, GoalStatus, PeerId, Record};
use crate::ops::plan::StepChange;
use crate::ops::wellness::EntryChange;
use crate::ui::action::Action;
use crate::ui::screens::peer_tabs::{PeerTab, PendingDelete};
use crate::ui::screens::plan::{PlanEffect, PlanRow};
use crate::ui::screens::popup::{Popup, Purpose};
use crate::ui::screens::wellness::WellnessEffect;
use crate::ui::widgets::confirm::{Confirm, OnYes};
use crate::ui::worker::plan::{PlanRequest, PlanResponse};
use crate::ui::worker::Request;

use super::peer::PeerPage;
use super::shell::{Cx, Notice, Shell};

impl PeerPage {
    /// Reloads what the peer page and Today show after a plan change.
    fn reload_after_plan_change(&mut self, peer: Option<PeerId>, cx: &mut Cx) {
        cx.notify(Notice::ReloadToday);
        if let Some(p) = self.open_id() {
            if peer.is_none_or(|x| x == p) {
                cx.requests.push(Request::Peer(p));
                if self.view.timeline.peer == Some(p) {
                    self.request_timeline(cx);
                }
            }
        }
    }

    /// Yes to "delete …?" asked from a tab: the delete goes out.
    pub(super) fn confirm_delete(&mut self, shell: &mut Shell) {
        if let Some(d) = self.view.pending_delete.take() {
            shell.requests.push(Request::Plan(d.request));
        }
    }

    /// Handles an action on the peer page's tabs. Returns false when the
    /// action is not theirs (the overview, `back`, global keys).
    pub(super) fn tab_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        if let Some(tab) = self.view.tab.after(action) {
            self.view.tab = tab;
            if tab == PeerTab::Timeline
                && (self.view.timeline.data.is_none()
                    || self.view.timeline.peer != self.peer.as_ref().map(|p| p.id))
            {
                self.request_timeline(cx);
            }
            return true;
        }
        if action == Action::Back {
            return false;
        }
        if action == Action::StartAssessment {
            super::assess::start(self, cx);
            return true;
        }
        match self.view.tab {
            // Referrals: `referral::peer_action` took its keys (in
            // `PeerPage::action`, before this).
            PeerTab::Overview if action == Action::Open => {
                self.open_checkins(cx);
                true
            }
            PeerTab::Overview | PeerTab::Referrals | PeerTab::Assessments => false,
            PeerTab::Plan => {
                let goals = self.goals();
                let effect = self.view.plan.handle(action, &goals);
                self.plan_effect(effect, cx);
                true
            }
            PeerTab::Timeline => self.view.timeline.handle(action),
            PeerTab::Wellness => {
                let plan = self
                    .peer
                    .as_ref()
                    .and_then(|p| p.detail.as_ref())
                    .map(|d| d.overview.peer.wellness_plan.clone())
                    .unwrap_or_default();
                let effect = self.view.wellness.handle(action, &plan);
                self.wellness_effect(effect, cx);
                true
            }
            PeerTab::Consents if action == Action::RevokeConsent => {
                super::consents::ask_revoke(self, cx);
                true
            }
            PeerTab::Consents => {
                let len = self
                    .peer
                    .as_ref()
                    .and_then(|p| p.detail.as_ref())
                    .map_or(0, |d| d.consents.len());
                self.view.consents.handle(action, len)
            }
        }
    }

    fn plan_effect(&mut self, effect: PlanEffect, cx: &mut Cx) {
        let (theme, date) = (cx.theme, cx.date);
        match effect {
            PlanEffect::None => {}
            PlanEffect::Info(s) => cx.status.info(s),
            PlanEffect::AddGoal => {
                let Some(p) = &self.peer else {
                    return;
                };
                if p.detail.is_none() {
                    return cx.status.info("still loading this peer…");
                }
                cx.push_layer(Popup::add_goal(p.id, &p.name, theme));
            }
            PlanEffect::EditGoal(g) => {
                if let Some(goal) = self.goal(g) {
                    cx.push_layer(Popup::edit_goal(&goal, theme));
                }
            }
            PlanEffect::AddStep(g) => {
                if let Some(goal) = self.goal(g) {
                    cx.push_layer(Popup::add_step(&goal, theme));
                }
            }
            PlanEffect::EditStep(g, i, _) => {
                if let Some(goal) = self.goal(g) {
                    if let Some(step) = goal.steps.get(i).cloned() {
                        cx.push_layer(Popup::edit_step(&goal, i, &step, theme));
                    }
                }
            }
            PlanEffect::Toggle(goal, index, expect) => {
                let Some(actor) = cx.acting() else {
                    return;
                };
                cx.requests.push(Request::Plan(PlanRequest::Step {
                    goal,
                    index,
                    expect,
                    change: StepChange::Toggle(date),
                    actor,
                }));
            }
            PlanEffect::Move(goal, index, expect, up) => {
                let Some(actor) = cx.acting() else {
                    return;
                };
                self.view
                    .plan
                    .select(PlanRow::Step(goal, if up { index - 1 } else { index + 1 }));
                cx.requests.push(Request::Plan(PlanRequest::Step {
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
                let Some(actor) = cx.acting() else {
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
                    cx,
                );
            }
            PlanEffect::Status(goal, status) => {
                if self.goal(goal).is_some_and(|g| g.status == status) {
                    return cx.status.info(format!(
                        "goal {goal} is already {}",
                        crate::model::Choice::label(status)
                    ));
                }
                let Some(actor) = cx.acting() else {
                    return;
                };
                cx.requests.push(Request::Plan(PlanRequest::Status {
                    goal,
                    status,
                    on: date,
                    actor,
                }));
            }
            PlanEffect::Review(goal) => {
                let Some(g) = self.goal(goal) else { return };
                if g.status != GoalStatus::Active {
                    return cx.status.info(format!(
                        "goal {goal} is {}; reactivate it to review it",
                        crate::model::Choice::label(g.status)
                    ));
                }
                let about = format!("\"{}\"", g.title);
                cx.push_layer(Popup::review(goal, &about, None, date, theme));
            }
        }
    }

    fn wellness_effect(&mut self, effect: WellnessEffect, cx: &mut Cx) {
        let theme = cx.theme;
        let Some(peer) = self.peer.as_ref().map(|p| p.id) else {
            return;
        };
        match effect {
            WellnessEffect::None => {}
            WellnessEffect::Info(s) => cx.status.info(s),
            WellnessEffect::Add(section) => {
                cx.push_layer(Popup::add_entry(peer, section, theme));
            }
            WellnessEffect::Edit(section, index, text) => {
                cx.push_layer(Popup::edit_entry(peer, section, index, &text, theme));
            }
            WellnessEffect::Delete(section, index, expect) => {
                let Some(actor) = cx.acting() else {
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
                    cx,
                );
            }
            WellnessEffect::Move(section, index, expect, up) => {
                let Some(actor) = cx.acting() else {
                    return;
                };
                self.view.wellness.selected = crate::ui::screens::wellness::WellnessRow::Entry(
                    section,
                    if up { index - 1 } else { index + 1 },
                );
                cx.requests.push(Request::Plan(PlanRequest::Wellness {
                    peer,
                    section,
                    change: EntryChange::Move { index, expect, up },
                    actor,
                }));
            }
        }
    }

    fn ask_delete(&mut self, question: String, request: PlanRequest, cx: &mut Cx) {
        self.view.pending_delete = Some(PendingDelete {
            question: question.clone(),
            request,
        });
        cx.push_layer(Confirm {
            question,
            on_yes: OnYes::Delete,
        });
    }

    /// Takes an answer of the store worker for the plan tabs.
    pub(super) fn on_plan(&mut self, response: PlanResponse, cx: &mut Cx) {
        let from_popup = cx.layer::<Popup>().is_some_and(|p| p.form.saving);
        match response {
            PlanResponse::Timeline(peer, result) => {
                let tl = &mut self.view.timeline;
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
                    cx.take_layer::<Popup>().map(|p| p.purpose)
                } else {
                    None
                };
                let goal = *goal;
                self.patch_goal(&goal);
                match purpose {
                    Some(Purpose::AddGoal(_)) => self.view.plan.select(PlanRow::Goal(goal.id)),
                    Some(Purpose::AddStep(_)) => self
                        .view
                        .plan
                        .select(PlanRow::Step(goal.id, goal.steps.len().saturating_sub(1))),
                    _ => {}
                }
                let ours = purpose.is_some() || self.is_open(goal.peer);
                self.saved(ours.then_some(message), Some(goal.peer), cx);
            }
            PlanResponse::Peer(peer, Ok((record, message))) => {
                if from_popup {
                    cx.close_layer::<Popup>();
                }
                if let Some(d) = self
                    .peer
                    .as_mut()
                    .filter(|p| p.id == peer)
                    .and_then(|p| p.detail.as_mut())
                {
                    d.overview.peer = *record;
                }
                let ours = from_popup || self.is_open(peer);
                self.saved(ours.then_some(message), Some(peer), cx);
            }
            PlanResponse::Goal(Err(e)) | PlanResponse::Peer(_, Err(e)) => {
                cx.quit_when_saved = false;
                if !from_popup && self.peer.is_none() {
                    // Asked for by a session that has since been replaced
                    // at the lock screen: not for this one to see.
                    tracing::warn!("a plan change was not saved: {e}");
                    return;
                }
                cx.status.error(format!("Not saved: {e}"));
                match cx.layer_mut::<Popup>() {
                    Some(p) if from_popup => p.form.save_failed(&e),
                    _ => {
                        // A stale step or entry: show what is there now.
                        if let Some(p) = self.peer.as_ref().map(|p| p.id) {
                            cx.requests.push(Request::Peer(p));
                        }
                    }
                }
            }
        }
    }

    fn patch_goal(&mut self, goal: &Record<Goal>) {
        let Some(d) = self
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

    /// After a plan save: the message (unless the save was asked for by a
    /// session since replaced at the lock screen, which this one must not
    /// hear about), and reloads.
    fn saved(&mut self, message: Option<String>, peer: Option<PeerId>, cx: &mut Cx) {
        let Some(message) = message else {
            cx.notify(Notice::ReloadToday);
            return;
        };
        cx.status.last_save = Some(cx.now);
        cx.status.info(message);
        self.reload_after_plan_change(peer, cx);
        if cx.quit_when_saved {
            cx.quit = true;
        }
    }
}
