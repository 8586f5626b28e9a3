//! Goals: the entries of a peer's recovery plan, in the peer's own words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::choice::choice_enum;
use super::ids::{GoalKind, PeerId, StaffId};
use super::record::Entity;
use super::validate::{Checker, ValidationError, MAX_NAME_CHARS, MAX_NOTE_CHARS};

/// Most steps one goal may have.
pub const MAX_STEPS: usize = 100;

choice_enum!(
    /// The life domain a goal belongs to.
    LifeDomain, "life domain" {
        /// A safe, stable place to live.
        Housing = ("housing", "housing"),
        /// Work, paid or volunteer.
        Employment = ("employment", "employment"),
        /// School, training, learning.
        Education = ("education", "education"),
        /// Body, sleep, food, movement.
        PhysicalHealth = ("physical-health", "physical health"),
        /// Mental health and wellness.
        MentalWellness = ("mental-wellness", "mental health & wellness"),
        /// Recovery from substance use.
        Recovery = ("recovery", "recovery/substance use"),
        /// Family and relationships.
        Family = ("family", "family & relationships"),
        /// Community, friends, belonging.
        Community = ("community", "community & social"),
        /// Legal matters.
        Legal = ("legal", "legal"),
        /// Money, benefits, debt.
        Financial = ("financial", "financial"),
        /// Anything else.
        Other = ("other", "other"),
    }
);

choice_enum!(
    /// Where a goal stands.
    GoalStatus, "goal status" {
        /// Being worked on.
        Active = ("active", "active"),
        /// Reached.
        Achieved = ("achieved", "achieved"),
        /// On hold for now.
        Paused = ("paused", "paused"),
        /// Let go of.
        Dropped = ("dropped", "dropped"),
    }
);

/// One step towards a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The step in the peer's words.
    pub text: String,
    /// When it was checked off, if it was.
    pub done_on: Option<NaiveDate>,
}

/// One change of a goal's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// When it changed.
    pub on: NaiveDate,
    /// The status before (`None` for the first entry).
    pub from: Option<GoalStatus>,
    /// The status after.
    pub to: GoalStatus,
    /// Who changed it.
    pub by: Option<StaffId>,
}

/// One review of a goal with the peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// When it was reviewed.
    pub on: NaiveDate,
    /// What was said, optional.
    pub note: String,
    /// Who reviewed it with the peer.
    pub by: Option<StaffId>,
}

/// A goal in a peer's recovery plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Whose goal it is.
    pub peer: PeerId,
    /// Which part of life it is about.
    pub domain: LifeDomain,
    /// The goal in the peer's own words.
    pub title: String,
    /// Steps towards it, in order.
    pub steps: Vec<Step>,
    /// When work on it began.
    pub start_date: NaiveDate,
    /// When the peer hopes to reach it.
    pub target_date: Option<NaiveDate>,
    /// When to look at it together next.
    pub next_review: Option<NaiveDate>,
    /// Where it stands now.
    pub status: GoalStatus,
    /// Every status change, oldest first; the first entry is the creation.
    pub history: Vec<StatusChange>,
    /// Past reviews, oldest first.
    pub reviews: Vec<Review>,
}

impl Goal {
    /// A new active goal starting on `start`.
    pub fn new(
        peer: PeerId,
        domain: LifeDomain,
        title: impl Into<String>,
        start: NaiveDate,
    ) -> Self {
        Goal {
            peer,
            domain,
            title: title.into(),
            steps: Vec::new(),
            start_date: start,
            target_date: None,
            next_review: None,
            status: GoalStatus::Active,
            history: vec![StatusChange {
                on: start,
                from: None,
                to: GoalStatus::Active,
                by: None,
            }],
            reviews: Vec::new(),
        }
    }

    /// Changes the status and records the change; no-op if unchanged.
    pub fn set_status(&mut self, to: GoalStatus, on: NaiveDate, by: Option<StaffId>) {
        if self.status == to {
            return;
        }
        self.history.push(StatusChange {
            on,
            from: Some(self.status),
            to,
            by,
        });
        self.status = to;
    }

    /// The day the goal ended (achieved or dropped), if it has.
    pub fn ended_on(&self) -> Option<NaiveDate> {
        match self.status {
            GoalStatus::Achieved | GoalStatus::Dropped => self
                .history
                .iter()
                .rev()
                .find(|c| c.to == self.status)
                .map(|c| c.on),
            GoalStatus::Active | GoalStatus::Paused => None,
        }
    }

    /// True when an active goal's review date has come by `date`.
    pub fn review_due(&self, date: NaiveDate) -> bool {
        self.status == GoalStatus::Active && self.next_review.is_some_and(|r| r <= date)
    }

    /// True when an active goal's target date has passed.
    pub fn target_overdue(&self, date: NaiveDate) -> bool {
        self.status == GoalStatus::Active && self.target_date.is_some_and(|t| t < date)
    }

    /// Records a review on `on` and sets the next review date.
    pub fn record_review(
        &mut self,
        on: NaiveDate,
        note: impl Into<String>,
        next: Option<NaiveDate>,
        by: Option<StaffId>,
    ) {
        self.reviews.push(Review {
            on,
            note: note.into(),
            by,
        });
        self.next_review = next;
    }

    /// Checks off step `index` on `on`, or un-checks it if it was done.
    /// Returns false when there is no such step.
    pub fn toggle_step(&mut self, index: usize, on: NaiveDate) -> bool {
        match self.steps.get_mut(index) {
            Some(step) => {
                step.done_on = match step.done_on {
                    Some(_) => None,
                    None => Some(on),
                };
                true
            }
            None => false,
        }
    }

    /// Steps done and total, for "2/5" summaries.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.steps.iter().filter(|s| s.done_on.is_some()).count();
        (done, self.steps.len())
    }

    /// Checks a goal's dates against the day it is being saved: a target
    /// before the start and a review date in the past are refused. Import
    /// and history keep old dates, so this is separate from `validate`.
    pub fn check_new_dates(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        if let Some(r) = self.next_review {
            c.ensure(
                r >= today,
                "review date",
                format!("{r} is in the past (today is {today})"),
            );
        }
        c.finish()
    }

    /// Refuses (naming the field) a saved goal `next` that rewrites what
    /// this one has on record: its status changes so far are kept as they
    /// were, except that the latest may be taken back (an undo writes the
    /// goal as it was before it); a save adds at most one status change and
    /// one review, keeps every review so far, and its status is the one
    /// its history ends with. Title, steps and dates are the peer's plan
    /// and change freely.
    pub fn check_amendment(&self, next: &Goal) -> Result<(), ValidationError> {
        use super::choice::Choice;
        let mut c = Checker::new();
        let (was, now) = (self.history.len(), next.history.len());
        let kept = was.min(now);
        if let Some(i) = (0..kept).find(|&i| self.history[i] != next.history[i]) {
            c.fail(
                "history",
                format!(
                    "status change {} of {} (on {}) was changed; earlier changes are kept as recorded",
                    i + 1,
                    was,
                    self.history[i].on
                ),
            );
        } else if now + 1 < was || (now == 0 && was > 0) {
            c.fail(
                "history",
                format!(
                    "{} of its {was} status changes were removed; only the latest may be taken back",
                    was - now
                ),
            );
        } else if now > was + 1 {
            c.fail(
                "history",
                format!(
                    "{} status changes added at once; record one change at a time",
                    now - was
                ),
            );
        }
        if next.history != self.history || next.status != self.status {
            let last = next.history.last().map(|h| h.to);
            c.ensure(
                last == Some(next.status),
                "status",
                format!(
                    "the goal would be {} but its latest recorded change says {}",
                    next.status.label(),
                    last.map_or("nothing", |s| s.label())
                ),
            );
        }
        let (was, now) = (self.reviews.len(), next.reviews.len());
        if let Some(i) = (0..was.min(now)).find(|&i| self.reviews[i] != next.reviews[i]) {
            c.fail(
                "reviews",
                format!(
                    "review {} of {} (on {}) was changed; reviews are kept as recorded",
                    i + 1,
                    was,
                    self.reviews[i].on
                ),
            );
        } else if now < was {
            c.fail(
                "reviews",
                format!(
                    "{} of its {was} reviews were removed; reviews are kept",
                    was - now
                ),
            );
        } else if now > was + 1 {
            c.fail(
                "reviews",
                format!("{} reviews added at once; record one at a time", now - was),
            );
        }
        c.finish()
    }

    /// The status changes `next` adds to this goal (see
    /// [`Goal::check_amendment`]).
    pub fn added_changes<'a>(&self, next: &'a Goal) -> &'a [StatusChange] {
        next.history.get(self.history.len()..).unwrap_or_default()
    }

    /// The reviews `next` adds to this goal.
    pub fn added_reviews<'a>(&self, next: &'a Goal) -> &'a [Review] {
        next.reviews.get(self.reviews.len()..).unwrap_or_default()
    }

    /// This goal's latest status change, if `next` takes it back.
    pub fn taken_back(&self, next: &Goal) -> Option<&StatusChange> {
        (next.history.len() < self.history.len())
            .then(|| self.history.last())
            .flatten()
    }
}

impl Entity for Goal {
    type Kind = GoalKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("goal title", &self.title);
        if let Some(t) = self.target_date {
            c.ensure(
                t >= self.start_date,
                "target date",
                format!("{t} is before the start date {}", self.start_date),
            );
        }
        c.ensure(
            self.steps.len() <= MAX_STEPS,
            "steps",
            format!("{} steps; the limit is {MAX_STEPS}", self.steps.len()),
        );
        for (i, s) in self.steps.iter().enumerate() {
            let field = format!("step {}", i + 1);
            if s.text.trim().is_empty() {
                c.fail(&field, "must not be empty");
            }
            c.text(&field, &s.text, MAX_NAME_CHARS * 5);
        }
        for r in &self.reviews {
            c.text("review note", &r.note, MAX_NOTE_CHARS);
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn goal() -> Goal {
        Goal::new(
            PeerId::new(1),
            LifeDomain::Housing,
            "Get my own place",
            d("2026-01-10"),
        )
    }

    #[test]
    fn a_goal_saved_without_status_changes_can_still_be_edited() {
        // An import or an older client may have saved one: its plan must
        // not be frozen by "0 of its 0 status changes were removed".
        let mut saved = goal();
        saved.history.clear();
        let mut next = saved.clone();
        next.title = "Get a place near work".into();
        assert!(saved.check_amendment(&next).is_ok());
    }

    #[test]
    fn an_amendment_keeps_the_record_and_may_take_back_only_the_latest_change() {
        let mut saved = goal();
        saved.record_review(d("2026-01-15"), "ok", None, None);
        saved.set_status(GoalStatus::Paused, d("2026-02-01"), Some(StaffId::new(2)));
        let mut next = saved.clone();
        next.title = "Get a place near work".into();
        assert!(
            saved.check_amendment(&next).is_ok(),
            "the plan changes freely"
        );
        next.set_status(GoalStatus::Active, d("2026-02-02"), Some(StaffId::new(3)));
        next.record_review(d("2026-02-02"), "", None, Some(StaffId::new(3)));
        assert!(saved.check_amendment(&next).is_ok(), "one of each added");
        assert_eq!(saved.added_changes(&next), &next.history[2..]);
        assert_eq!(saved.added_reviews(&next), &next.reviews[1..]);
        assert_eq!(saved.taken_back(&next), None);
        let mut undo = saved.clone();
        undo.history.pop();
        undo.status = GoalStatus::Active;
        assert!(
            saved.check_amendment(&undo).is_ok(),
            "the latest taken back"
        );
        assert_eq!(saved.taken_back(&undo), saved.history.last());
        let field = |bad: &Goal| {
            saved.check_amendment(bad).unwrap_err().problems[0]
                .field
                .clone()
        };
        let mut bad = undo.clone();
        bad.history.pop();
        assert_eq!(field(&bad), "history", "everything removed");
        let mut bad = saved.clone();
        bad.history[0].on = d("2025-01-01");
        assert_eq!(field(&bad), "history");
        let mut bad = saved.clone();
        bad.status = GoalStatus::Achieved;
        assert_eq!(field(&bad), "status");
        let mut bad = saved.clone();
        bad.reviews[0].note = "x".into();
        assert_eq!(field(&bad), "reviews");
        let mut bad = next.clone();
        bad.set_status(GoalStatus::Dropped, d("2026-02-03"), None);
        assert_eq!(field(&bad), "history", "two added");
    }

    #[test]
    fn status_changes_are_recorded_once() {
        let mut g = goal();
        g.set_status(GoalStatus::Paused, d("2026-02-01"), None);
        g.set_status(GoalStatus::Paused, d("2026-02-02"), None);
        g.set_status(GoalStatus::Achieved, d("2026-05-01"), Some(StaffId::new(2)));
        assert_eq!(g.history.len(), 3);
        assert_eq!(g.history[1].from, Some(GoalStatus::Active));
        assert_eq!(g.ended_on(), Some(d("2026-05-01")));
    }

    #[test]
    fn review_due_only_for_active_goals() {
        let mut g = goal();
        g.next_review = Some(d("2026-03-01"));
        assert!(!g.review_due(d("2026-02-28")));
        assert!(g.review_due(d("2026-03-01")));
        g.set_status(GoalStatus::Paused, d("2026-03-01"), None);
        assert!(!g.review_due(d("2026-03-05")));
    }

    #[test]
    fn target_before_start_is_refused() {
        let mut g = goal();
        g.target_date = Some(d("2026-01-09"));
        let msg = g.validate().unwrap_err().to_string();
        assert_eq!(
            msg,
            "target date: 2026-01-09 is before the start date 2026-01-10"
        );
    }

    #[test]
    fn review_in_the_past_is_refused_for_new_dates() {
        let mut g = goal();
        g.next_review = Some(d("2026-01-11"));
        assert!(g.check_new_dates(d("2026-01-11")).is_ok());
        let msg = g.check_new_dates(d("2026-01-12")).unwrap_err().to_string();
        assert!(
            msg.contains("review date: 2026-01-11 is in the past"),
            "{msg}"
        );
    }

    #[test]
    fn steps_toggle_and_count() {
        let mut g = goal();
        g.steps.push(Step {
            text: "Call the housing office".into(),
            done_on: None,
        });
        g.steps.push(Step {
            text: "Fill in the form".into(),
            done_on: None,
        });
        assert!(g.toggle_step(0, d("2026-01-12")));
        assert_eq!(g.progress(), (1, 2));
        assert!(g.toggle_step(0, d("2026-01-13")));
        assert_eq!(g.progress(), (0, 2));
        assert!(!g.toggle_step(5, d("2026-01-13")));
    }

    #[test]
    fn reviews_set_the_next_date() {
        let mut g = goal();
        g.record_review(d("2026-02-01"), "going well", Some(d("2026-03-01")), None);
        assert_eq!(g.reviews.len(), 1);
        assert_eq!(g.next_review, Some(d("2026-03-01")));
    }
}
