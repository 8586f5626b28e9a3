//! The small forms opened from the plan, wellness-plan and Groups screens:
//! what each asks for, and turning what was typed into store work. Only
//! reading the input happens here (dates, weekday, time); every rule about
//! the values (a target before the start, a review date in the past, an
//! empty title) is checked by the operations, whose messages name the
//! field and come back inline under it.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::dates::{parse_date, Direction};
use crate::model::dates::{parse_time_of_day, parse_weekday};
use crate::model::{Actor, Choice, Goal, GoalId, Group, LifeDomain, PeerId, Record, Step};
use crate::ops::plan::{GoalEdit, StepChange};
use crate::ops::wellness::{EntryChange, WellnessSection};
use crate::ops::OpsError;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::clip;
use crate::ui::widgets::form::{FieldKey, Hint, PopupForm};
use crate::ui::worker::groups::GroupsRequest;
use crate::ui::worker::plan::PlanRequest;
use crate::ui::worker::Request;

const DATE_FORMS: &str = "+30d, friday, 2026-12-01; empty for none";

/// What saving the form does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Add a goal to this peer's plan.
    AddGoal(PeerId),
    /// Change this goal's domain, title and dates.
    EditGoal(GoalId),
    /// Add a step to this goal.
    AddStep(GoalId),
    /// Reword step `index` of this goal (which read `expect`).
    EditStep {
        /// The goal.
        goal: GoalId,
        /// The step.
        index: usize,
        /// Its words when the form opened.
        expect: String,
    },
    /// Review this goal.
    Review(GoalId),
    /// Add an entry to a wellness-plan list.
    AddEntry(PeerId, WellnessSection),
    /// Reword an entry of a wellness-plan list.
    EditEntry {
        /// Whose plan.
        peer: PeerId,
        /// Which list.
        section: WellnessSection,
        /// Which entry.
        index: usize,
        /// Its words when the form opened.
        expect: String,
    },
    /// Add a recurring group.
    AddGroup,
    /// Add a walk-in to the roster (and check them off the session).
    WalkIn,
    /// Add continuing-education hours for this staff member.
    AddCeu(crate::model::StaffId),
    /// Add a supervision session of this staff member.
    AddSupervision(crate::model::StaffId),
}

/// A form and what saving it does.
#[derive(Debug, Clone)]
pub struct Popup {
    /// The form.
    pub form: PopupForm,
    /// What saving does.
    pub purpose: Purpose,
}

fn domains() -> Vec<String> {
    LifeDomain::ALL
        .iter()
        .map(|d| d.label().to_string())
        .collect()
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl Popup {
    /// The goal form, empty, for `peer` (shown as `name`).
    pub fn add_goal(peer: PeerId, name: &str, theme: Theme) -> Popup {
        let form = PopupForm::new("New goal for {peer}", theme)
            .about(name)
            .intro("The goal in the peer's own words; dates like +30d or 2026-12-01.")
            .choice(FieldKey::Domain, domains(), 0, "←/→ to change")
            .text(
                FieldKey::Title,
                "",
                "in the peer's own words",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Start,
                "today",
                "",
                Hint::Date(Direction::Past, "today, -2w, 2026-11-01"),
            )
            .text(
                FieldKey::Target,
                "",
                "optional",
                Hint::Date(Direction::Future, DATE_FORMS),
            )
            .text(
                FieldKey::Review,
                "",
                "optional",
                Hint::Date(Direction::Future, DATE_FORMS),
            );
        let mut form = form;
        form.set_focus(1);
        Popup {
            form,
            purpose: Purpose::AddGoal(peer),
        }
    }

    /// The goal form filled with `goal`.
    pub fn edit_goal(goal: &Record<Goal>, theme: Theme) -> Popup {
        let index = LifeDomain::ALL
            .iter()
            .position(|d| *d == goal.domain)
            .unwrap_or(0);
        let mut form = PopupForm::new(format!("Edit goal {}", goal.id), theme)
            .choice(FieldKey::Domain, domains(), index, "←/→ to change")
            .text(
                FieldKey::Title,
                &goal.title,
                "in the peer's own words",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Start,
                &goal.start_date.to_string(),
                "",
                Hint::Date(Direction::Past, "today, -2w, 2026-11-01"),
            )
            .text(
                FieldKey::Target,
                &date_text(goal.target_date),
                "optional",
                Hint::Date(Direction::Future, DATE_FORMS),
            )
            .text(
                FieldKey::Review,
                &date_text(goal.next_review),
                "optional",
                Hint::Date(Direction::Future, DATE_FORMS),
            );
        form.set_focus(1);
        Popup {
            form,
            purpose: Purpose::EditGoal(goal.id),
        }
    }

    /// The step form, empty, for `goal`.
    pub fn add_step(goal: &Record<Goal>, theme: Theme) -> Popup {
        let form = PopupForm::new(format!("New step for {}", goal.id), theme)
            .intro(clip(&goal.title, 70))
            .text(
                FieldKey::Step,
                "",
                "a small next step, in the peer's words",
                Hint::Plain(""),
            );
        Popup {
            form,
            purpose: Purpose::AddStep(goal.id),
        }
    }

    /// The step form for step `index` of `goal`.
    pub fn edit_step(goal: &Record<Goal>, index: usize, step: &Step, theme: Theme) -> Popup {
        let form = PopupForm::new(format!("Edit step {} of {}", index + 1, goal.id), theme)
            .intro(clip(&goal.title, 70))
            .text(FieldKey::Step, &step.text, "", Hint::Plain(""));
        Popup {
            form,
            purpose: Purpose::EditStep {
                goal: goal.id,
                index,
                expect: step.text.clone(),
            },
        }
    }

    /// The review form for goal `goal` (`about` says which goal; `with`
    /// names the peer when the form opens away from their page).
    pub fn review(
        goal: GoalId,
        about: &str,
        with: Option<&str>,
        today: NaiveDate,
        theme: Theme,
    ) -> Popup {
        let mut form = match with {
            Some(peer) => {
                PopupForm::new(format!("Review goal {goal} with {{peer}}"), theme).about(peer)
            }
            None => PopupForm::new(format!("Review goal {goal}"), theme),
        };
        form = form
            .intro(format!("Reviewed today, {today}: {about}"))
            .text(
                FieldKey::ReviewNote,
                "",
                "optional: how it is going",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Review,
                "+30d",
                "",
                Hint::Date(Direction::Future, DATE_FORMS),
            );
        Popup {
            form,
            purpose: Purpose::Review(goal),
        }
    }

    /// The entry form for a wellness-plan list.
    pub fn add_entry(peer: PeerId, section: WellnessSection, theme: Theme) -> Popup {
        let form = PopupForm::new(format!("Add to \"{}\"", section.title()), theme)
            .intro("In the peer's own words; the plan is theirs.")
            .text(FieldKey::Entry, "", "", Hint::Plain(""));
        Popup {
            form,
            purpose: Purpose::AddEntry(peer, section),
        }
    }

    /// The entry form for entry `index` of a wellness-plan list.
    pub fn edit_entry(
        peer: PeerId,
        section: WellnessSection,
        index: usize,
        text: &str,
        theme: Theme,
    ) -> Popup {
        let form = PopupForm::new(
            format!("Edit \"{}\" entry {}", section.title(), index + 1),
            theme,
        )
        .text(FieldKey::Entry, text, "", Hint::Plain(""));
        Popup {
            form,
            purpose: Purpose::EditEntry {
                peer,
                section,
                index,
                expect: text.to_string(),
            },
        }
    }

    /// The group form, empty.
    pub fn add_group(theme: Theme) -> Popup {
        let form = PopupForm::new("New group", theme)
            .text(
                FieldKey::GroupName,
                "",
                "e.g. Tuesday WRAP group",
                Hint::Plain(""),
            )
            .text(
                FieldKey::Weekday,
                "",
                "mon … sun",
                Hint::Plain("the day it meets each week"),
            )
            .text(FieldKey::Time, "", "14:00", Hint::Plain("when it starts"))
            .text(
                FieldKey::Place,
                "",
                "optional",
                Hint::Plain("room or address"),
            )
            .text(
                FieldKey::Facilitator,
                "",
                "optional",
                Hint::Plain("staff initials or name"),
            );
        Popup {
            form,
            purpose: Purpose::AddGroup,
        }
    }

    /// The walk-in form, holding `name` (what was typed in the search).
    pub fn walk_in(name: &str, theme: Theme) -> Popup {
        let form = PopupForm::new("Walk-in: add a new peer", theme)
            .intro("Just a name for now: checked off here, and added to the roster when the session is saved.")
            .text(
                FieldKey::WalkInName,
                name,
                "the name they want to be called",
                Hint::Plain(""),
            );
        Popup {
            form,
            purpose: Purpose::WalkIn,
        }
    }

    /// The store work the form describes, or the problems found reading
    /// it, as (field name, message).
    pub fn build(&self, today: NaiveDate, actor: Actor) -> Result<Request, Vec<(String, String)>> {
        let f = &self.form;
        let mut errs: Vec<(String, String)> = Vec::new();
        let mut date = |key: FieldKey, field: &str, dir: Direction| -> Option<NaiveDate> {
            let text = f.value(key).trim();
            if text.is_empty() {
                return None;
            }
            match parse_date(field, text, today, dir) {
                Ok(d) => Some(d),
                Err(e) => {
                    errs.push((field.to_string(), e.to_string()));
                    None
                }
            }
        };
        let req = match &self.purpose {
            Purpose::AddGoal(_) | Purpose::EditGoal(_) => {
                let domain = LifeDomain::ALL
                    .get(f.picked(FieldKey::Domain))
                    .copied()
                    .unwrap_or(LifeDomain::Other);
                let start_text = f.value(FieldKey::Start).trim();
                let start = if start_text.is_empty() {
                    Some(today)
                } else {
                    date(FieldKey::Start, "start date", Direction::Past)
                };
                let target = date(FieldKey::Target, "target date", Direction::Future);
                let review = date(FieldKey::Review, "review date", Direction::Future);
                let Some(start) = start else {
                    return Err(errs);
                };
                if !errs.is_empty() {
                    return Err(errs);
                }
                let title = f.value(FieldKey::Title).trim().to_string();
                match &self.purpose {
                    Purpose::AddGoal(peer) => {
                        let mut g = Goal::new(*peer, domain, title, start);
                        g.target_date = target;
                        g.next_review = review;
                        PlanRequest::AddGoal {
                            goal: g,
                            today,
                            actor,
                        }
                    }
                    _ => PlanRequest::EditGoal {
                        goal: match &self.purpose {
                            Purpose::EditGoal(id) => *id,
                            _ => return Err(errs),
                        },
                        edit: GoalEdit {
                            domain,
                            title,
                            start,
                            target,
                            review,
                        },
                        today,
                        actor,
                    },
                }
                .into()
            }
            Purpose::AddStep(goal) => PlanRequest::AddStep {
                goal: *goal,
                text: f.value(FieldKey::Step).to_string(),
                actor,
            }
            .into(),
            Purpose::EditStep {
                goal,
                index,
                expect,
            } => PlanRequest::Step {
                goal: *goal,
                index: *index,
                expect: expect.clone(),
                change: StepChange::Edit(f.value(FieldKey::Step).to_string()),
                actor,
            }
            .into(),
            Purpose::Review(goal) => {
                let next = date(FieldKey::Review, "review date", Direction::Future);
                if !errs.is_empty() {
                    return Err(errs);
                }
                PlanRequest::Review {
                    goal: *goal,
                    on: today,
                    note: f.value(FieldKey::ReviewNote).to_string(),
                    next,
                    actor,
                }
                .into()
            }
            Purpose::AddEntry(peer, section) => PlanRequest::Wellness {
                peer: *peer,
                section: *section,
                change: EntryChange::Add(f.value(FieldKey::Entry).to_string()),
                actor,
            }
            .into(),
            Purpose::EditEntry {
                peer,
                section,
                index,
                expect,
            } => PlanRequest::Wellness {
                peer: *peer,
                section: *section,
                change: EntryChange::Edit {
                    index: *index,
                    expect: expect.clone(),
                    text: f.value(FieldKey::Entry).to_string(),
                },
                actor,
            }
            .into(),
            Purpose::AddGroup => {
                let weekday = take(
                    &mut errs,
                    parse_weekday("weekday", f.value(FieldKey::Weekday)).map_err(OpsError::from),
                );
                let time = take(
                    &mut errs,
                    parse_time_of_day("time", f.value(FieldKey::Time)).map_err(OpsError::from),
                );
                let (Some(weekday), Some(time)) = (weekday, time) else {
                    return Err(errs);
                };
                let mut g = Group::new(f.value(FieldKey::GroupName).trim(), weekday, time);
                g.location = f.value(FieldKey::Place).trim().to_string();
                let facilitator = Some(f.value(FieldKey::Facilitator).trim().to_string())
                    .filter(|s| !s.is_empty());
                GroupsRequest::AddGroup {
                    group: g,
                    facilitator,
                    actor,
                }
                .into()
            }
            Purpose::AddCeu(staff) => crate::ui::app::ceu_request(f, *staff, today, actor),
            Purpose::AddSupervision(staff) => {
                crate::ui::app::supervision_request(f, *staff, today, actor)
            }
            // Nothing is written for a walk-in until the session is saved:
            // the name is checked by the save's rule, then the roster is
            // asked whether they are on it already.
            Purpose::WalkIn => {
                match crate::ops::roster::walk_in_peer(f.value(FieldKey::WalkInName), today) {
                    Ok(peer) => {
                        Request::Center(crate::ui::worker::center::CenterRequest::Duplicates {
                            peer: Box::new(peer),
                            purpose: crate::ui::worker::center::DuplicateCheck::WalkIn,
                        })
                    }
                    Err(e) => {
                        return Err(e
                            .problems
                            .iter()
                            .map(|p| (p.field.clone(), p.to_string()))
                            .collect())
                    }
                }
            }
        };
        Ok(req)
    }
}

/// The value of a parse, or its problems added to `errs`.
fn take<T>(errs: &mut Vec<(String, String)>, r: Result<T, OpsError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(OpsError::Invalid(v)) => {
            errs.extend(v.problems.into_iter().map(|p| {
                let shown = p.to_string();
                (p.field, shown)
            }));
            None
        }
        Err(e) => {
            errs.push((String::new(), e.to_string()));
            None
        }
    }
}

impl From<PlanRequest> for Request {
    fn from(r: PlanRequest) -> Request {
        Request::Plan(r)
    }
}

impl From<GroupsRequest> for Request {
    fn from(r: GroupsRequest) -> Request {
        Request::Groups(r)
    }
}

/// Draws the popup over `area`.
pub fn render(popup: &Popup, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    crate::ui::widgets::form::render(&popup.form, ctx, area, buf);
}
