//! Small operations behind the terminal UI's plan, timeline, wellness-plan
//! and group screens: each loads the record fresh by id, applies one change
//! the user asked for, validates and saves, so the UI holds no rules and two
//! staff working on the same peer at once do not overwrite each other's
//! unrelated changes. Changes addressed by position (a step, a wellness
//! entry) also name the text they expect there, and are refused if someone
//! changed it meanwhile.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use crate::model::dates::parse_time;
use crate::model::{
    Actor, Entity, Goal, GoalId, GoalStatus, Group, GroupSession, LifeDomain, Peer, PeerId, Record,
    Step,
};
use crate::store::Store;
use crate::text::escape_line;

use super::groups::open_session;
use super::{OpsError, OpsResult};

/// A change to one step of a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepChange {
    /// Check it off on this day, or un-check it if it was done.
    Toggle(NaiveDate),
    /// New wording.
    Edit(String),
    /// Remove it.
    Delete,
    /// Swap with the step above.
    MoveUp,
    /// Swap with the step below.
    MoveDown,
}

fn stale(what: &str) -> OpsError {
    OpsError::Refused(format!(
        "{what} was changed by someone else meanwhile; nothing was saved — look again and repeat your change"
    ))
}

/// Checks that step `index` of `goal` still reads `expect`.
fn check_step(goal: &Record<Goal>, index: usize, expect: &str) -> OpsResult<()> {
    match goal.steps.get(index) {
        Some(s) if s.text == expect => Ok(()),
        _ => Err(stale(&format!("step {} of goal {}", index + 1, goal.id))),
    }
}

/// Applies `change` to step `index` of goal `goal` (which must still read
/// `expect`) and saves. Returns the saved goal.
pub fn change_step(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    index: usize,
    expect: &str,
    change: StepChange,
) -> OpsResult<Record<Goal>> {
    let mut g = store.goal(goal)?;
    check_step(&g, index, expect)?;
    match change {
        StepChange::Toggle(on) => {
            g.data.toggle_step(index, on);
        }
        StepChange::Edit(text) => {
            let text = text.trim().to_string();
            if text.is_empty() {
                return Err(crate::model::ValidationError::one("step", "must not be empty").into());
            }
            if let Some(s) = g.steps.get_mut(index) {
                s.text = text;
            }
        }
        StepChange::Delete => {
            g.steps.remove(index);
        }
        StepChange::MoveUp => {
            if index == 0 {
                return Err(OpsError::Refused("the step is already the first".into()));
            }
            g.steps.swap(index - 1, index);
        }
        StepChange::MoveDown => {
            if index + 1 >= g.steps.len() {
                return Err(OpsError::Refused("the step is already the last".into()));
            }
            g.steps.swap(index, index + 1);
        }
    }
    g.validate()?;
    Ok(store.update_goal(&g, actor)?)
}

/// Appends a step to goal `goal`; an empty step is refused.
pub fn append_step(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    text: &str,
) -> OpsResult<Record<Goal>> {
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::model::ValidationError::one("step", "must not be empty").into());
    }
    let mut g = store.goal(goal)?;
    g.steps.push(Step {
        text: text.to_string(),
        done_on: None,
    });
    g.validate()?;
    Ok(store.update_goal(&g, actor)?)
}

/// What the goal form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalEdit {
    /// Life domain.
    pub domain: LifeDomain,
    /// Title in the peer's words.
    pub title: String,
    /// When work on it began.
    pub start: NaiveDate,
    /// Hoped-for date, optional.
    pub target: Option<NaiveDate>,
    /// Next review, optional.
    pub review: Option<NaiveDate>,
}

/// Saves an edited goal's domain, title and dates: a target before the
/// start is refused, and so is a review date moved into the past.
pub fn edit_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    edit: GoalEdit,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let mut g = store.goal(goal)?;
    g.domain = edit.domain;
    g.title = edit.title.trim().to_string();
    g.start_date = edit.start;
    g.target_date = edit.target;
    g.next_review = edit.review;
    let review_changed = store.goal(goal)?.next_review != g.next_review;
    every_date_problem(&g, today, review_changed)?;
    super::plan::save_goal(store, actor, &g, today)
}

/// Adds a goal typed into the UI, reporting every problem with it at once
/// (a target before the start and a review date in the past together).
pub fn add_goal_checked(
    store: &dyn Store,
    actor: &Actor,
    goal: Goal,
    today: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let mut goal = goal;
    goal.title = goal.title.trim().to_string();
    every_date_problem(&goal, today, true)?;
    super::plan::add_goal(store, actor, goal, today)
}

/// The goal's own validation and, when the review date is new, the check
/// that it is not in the past, as one error.
fn every_date_problem(goal: &Goal, today: NaiveDate, review_is_new: bool) -> OpsResult<()> {
    let mut problems = Vec::new();
    if let Err(v) = goal.validate() {
        problems.extend(v.problems);
    }
    if review_is_new {
        if let Err(v) = goal.check_new_dates(today) {
            problems.extend(v.problems);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::model::ValidationError { problems }.into())
    }
}

/// Changes a goal's status on `on`, recorded in its history.
pub fn set_goal_status(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    status: GoalStatus,
    on: NaiveDate,
) -> OpsResult<Record<Goal>> {
    let g = store.goal(goal)?;
    if g.status == status {
        return Err(OpsError::Refused(format!(
            "goal {} is already {}",
            g.id,
            crate::model::Choice::label(status)
        )));
    }
    super::plan::set_status(store, actor, g, status, on)
}

/// Records a review of goal `goal` on `on` with an optional note and the
/// next review date (not in the past).
pub fn review_goal(
    store: &dyn Store,
    actor: &Actor,
    goal: GoalId,
    on: NaiveDate,
    note: &str,
    next: Option<NaiveDate>,
) -> OpsResult<Record<Goal>> {
    let g = store.goal(goal)?;
    super::plan::review(store, actor, g, on, note.trim(), next)
}

/// One list of a peer's wellness plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WellnessSection {
    /// What they do every day to stay well.
    DailyMaintenance,
    /// What can make them feel worse.
    Triggers,
    /// Signs that things are slipping.
    EarlyWarningSigns,
    /// What helps then.
    WhatHelps,
    /// Who they want called.
    WhoToCall,
}

impl WellnessSection {
    /// The five sections in plan order (the order of `WellnessPlan::sections`).
    pub const ALL: [WellnessSection; 5] = [
        WellnessSection::DailyMaintenance,
        WellnessSection::Triggers,
        WellnessSection::EarlyWarningSigns,
        WellnessSection::WhatHelps,
        WellnessSection::WhoToCall,
    ];

    /// The on-screen title.
    pub fn title(self) -> &'static str {
        match self {
            WellnessSection::DailyMaintenance => "Daily maintenance",
            WellnessSection::Triggers => "Triggers",
            WellnessSection::EarlyWarningSigns => "Early warning signs",
            WellnessSection::WhatHelps => "What helps",
            WellnessSection::WhoToCall => "Who to call",
        }
    }

    /// The list in `plan`.
    pub fn list(self, plan: &crate::model::WellnessPlan) -> &Vec<String> {
        match self {
            WellnessSection::DailyMaintenance => &plan.daily_maintenance,
            WellnessSection::Triggers => &plan.triggers,
            WellnessSection::EarlyWarningSigns => &plan.early_warning_signs,
            WellnessSection::WhatHelps => &plan.what_helps,
            WellnessSection::WhoToCall => &plan.who_to_call,
        }
    }

    fn list_mut(self, plan: &mut crate::model::WellnessPlan) -> &mut Vec<String> {
        match self {
            WellnessSection::DailyMaintenance => &mut plan.daily_maintenance,
            WellnessSection::Triggers => &mut plan.triggers,
            WellnessSection::EarlyWarningSigns => &mut plan.early_warning_signs,
            WellnessSection::WhatHelps => &mut plan.what_helps,
            WellnessSection::WhoToCall => &mut plan.who_to_call,
        }
    }
}

/// A change to one list of a wellness plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryChange {
    /// Append an entry.
    Add(String),
    /// Reword entry `index` (which must still read `expect`).
    Edit {
        /// Position in the list.
        index: usize,
        /// The text the user saw there.
        expect: String,
        /// The new text.
        text: String,
    },
    /// Remove entry `index` (which must still read `expect`).
    Delete {
        /// Position in the list.
        index: usize,
        /// The text the user saw there.
        expect: String,
    },
    /// Move entry `index` up (`true`) or down (`false`).
    Move {
        /// Position in the list.
        index: usize,
        /// The text the user saw there.
        expect: String,
        /// Up, else down.
        up: bool,
    },
}

/// Applies one change to a list of `peer`'s wellness plan and saves the
/// peer. Empty entries are refused, naming the field "entry".
pub fn change_wellness(
    store: &dyn Store,
    actor: &Actor,
    peer: PeerId,
    section: WellnessSection,
    change: EntryChange,
) -> OpsResult<Record<Peer>> {
    let mut p = store.peer(peer)?;
    let what = || format!("the '{}' list of the wellness plan", section.title());
    let empty = || crate::model::ValidationError::one("entry", "must not be empty");
    let list = section.list_mut(&mut p.data.wellness_plan);
    let check = |list: &Vec<String>, index: usize, expect: &str| {
        if list.get(index).map(String::as_str) == Some(expect) {
            Ok(())
        } else {
            Err(stale(&what()))
        }
    };
    match change {
        EntryChange::Add(text) => {
            let text = text.trim();
            if text.is_empty() {
                return Err(empty().into());
            }
            list.push(text.to_string());
        }
        EntryChange::Edit {
            index,
            expect,
            text,
        } => {
            check(list, index, &expect)?;
            let text = text.trim();
            if text.is_empty() {
                return Err(empty().into());
            }
            list[index] = text.to_string();
        }
        EntryChange::Delete { index, expect } => {
            check(list, index, &expect)?;
            list.remove(index);
        }
        EntryChange::Move { index, expect, up } => {
            check(list, index, &expect)?;
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|i| *i < list.len())
            };
            match other {
                Some(o) => list.swap(index, o),
                None => {
                    return Err(OpsError::Refused(format!(
                        "the entry is already the {}",
                        if up { "first" } else { "last" }
                    )))
                }
            }
        }
    }
    p.validate()?;
    Ok(store.update_peer(&p, actor)?)
}

/// Reads a weekday typed by a user ("tue", "Tuesday"), naming `field` when
/// it is not one.
pub fn parse_weekday(field: &str, text: &str) -> OpsResult<Weekday> {
    if text.trim().is_empty() {
        return Err(crate::model::ValidationError::one(
            field,
            "give the day it meets, like tuesday",
        )
        .into());
    }
    text.trim().parse::<Weekday>().map_err(|_| {
        crate::model::ValidationError::one(
            field,
            format!(
                "'{}' is not a day of the week (monday … sunday, or mon … sun)",
                escape_line(text.trim())
            ),
        )
        .into()
    })
}

/// Reads a time of day typed by a user ("14:00", "2pm"), naming `field`.
pub fn parse_time_of_day(field: &str, text: &str) -> OpsResult<NaiveTime> {
    if text.trim().is_empty() {
        return Err(crate::model::ValidationError::one(
            field,
            "give the time it starts, like 14:00",
        )
        .into());
    }
    parse_time(text).ok_or_else(|| {
        crate::model::ValidationError::one(
            field,
            format!(
                "cannot read '{}' as a time; give HH:MM like 14:00, or 2:30pm",
                escape_line(text.trim())
            ),
        )
        .into()
    })
}

/// Saves attendance of `group` on `date` as a change from what the user
/// started from: `add` are checked off, `remove` taken off, and the topic
/// and note set. All or nothing: a peer in `add` who is already checked off
/// (another terminal got there first) or named twice refuses the whole
/// save, naming the field "attendees". The session is created if needed.
#[allow(clippy::too_many_arguments)]
pub fn save_attendance(
    store: &dyn Store,
    actor: &Actor,
    group: &Record<Group>,
    date: NaiveDate,
    add: &[PeerId],
    remove: &[PeerId],
    topic: &str,
    note: &str,
) -> OpsResult<Record<GroupSession>> {
    let mut session = open_session(store, actor, group, date)?;
    for (i, p) in add.iter().enumerate() {
        let peer = store.peer(*p)?;
        let twice = add[..i].contains(p);
        if twice || session.attendees.contains(p) {
            return Err(crate::model::ValidationError::one(
                "attendees",
                format!(
                    "{} ({}) is {} for {} on {date}; nothing was saved",
                    escape_line(&peer.display_name),
                    p,
                    if twice {
                        "named twice"
                    } else {
                        "already checked off"
                    },
                    escape_line(&group.name)
                ),
            )
            .into());
        }
    }
    for p in remove {
        session.remove_attendee(*p);
    }
    for p in add {
        session.add_attendee(*p);
    }
    session.topic = topic.trim().to_string();
    session.note = note.trim().to_string();
    session.validate()?;
    Ok(store.update_session(&session, actor)?)
}

/// Adds a walk-in to the roster with just a name (active, intake today).
pub fn add_walk_in(
    store: &dyn Store,
    actor: &Actor,
    name: &str,
    today: NaiveDate,
) -> OpsResult<Record<Peer>> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::model::ValidationError::one(
            "walk-in name",
            "give the walk-in's name (the one they want to be called)",
        )
        .into());
    }
    let peer = Peer::new(name, today);
    peer.validate()?;
    super::peer::add_peer(store, actor, peer)
}

/// A group as the Groups screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// The group.
    pub group: Record<Group>,
    /// Today's session, if one was recorded.
    pub today: Option<Record<GroupSession>>,
    /// Sessions ever recorded.
    pub sessions: usize,
    /// The newest session before today: date and attendance.
    pub last: Option<(NaiveDate, usize)>,
}

/// Every group with today's session and a short history, today's groups
/// first, then by weekday from today and time.
pub fn group_rows(store: &dyn Store, today: NaiveDate) -> OpsResult<Vec<GroupRow>> {
    use chrono::Datelike;
    let todays = store.sessions_on(today)?;
    let from = today.weekday().num_days_from_monday();
    let mut rows = Vec::new();
    for g in store.list_groups()? {
        let history = store.sessions_for_group(g.id)?;
        let last = history
            .iter()
            .find(|s| s.date < today)
            .map(|s| (s.date, s.attendees.len()));
        rows.push(GroupRow {
            today: todays.iter().find(|s| s.group == g.id).cloned(),
            sessions: history.len(),
            last,
            group: g,
        });
    }
    rows.sort_by_key(|r| {
        let meets_today = r.group.meets_on(today) || r.today.is_some();
        (
            !meets_today,
            !r.group.active,
            (r.group.weekday.num_days_from_monday() + 7 - from) % 7,
            r.group.time,
            r.group.id,
        )
    });
    Ok(rows)
}

/// What the goal timeline draws for one peer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelineData {
    /// The peer's goals, oldest start first.
    pub goals: Vec<Record<Goal>>,
    /// Days on which check-ins touched each goal.
    pub touches: BTreeMap<GoalId, Vec<NaiveDate>>,
    /// Wellbeing ratings from check-ins, oldest first.
    pub wellbeing: Vec<(NaiveDate, u8)>,
}

/// How far back the wellbeing ratings reach when the plan is younger.
pub const WELLBEING_DAYS: i64 = 365;

/// Loads a peer's goals, the days check-ins touched each, and the wellbeing
/// ratings since the earliest goal started (at least a year back).
pub fn timeline(store: &dyn Store, peer: PeerId, today: NaiveDate) -> OpsResult<TimelineData> {
    let mut goals = store.goals_for_peer(peer)?;
    goals.sort_by_key(|g| (g.start_date, g.id));
    let mut touches = BTreeMap::new();
    for g in &goals {
        let days: Vec<NaiveDate> = store
            .checkins_for_goal(g.id)?
            .iter()
            .map(|c| c.day())
            .collect();
        touches.insert(g.id, days);
    }
    let earliest = goals
        .iter()
        .map(|g| g.start_date)
        .min()
        .unwrap_or(today)
        .min(today - Duration::days(WELLBEING_DAYS));
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(|t| Utc.from_utc_datetime(&t))
            .unwrap_or_else(Utc::now)
    };
    // A day of margin each side: check-ins carry their own local offset.
    let from = midnight(earliest - Duration::days(1));
    let to = midnight(today + Duration::days(2));
    let wellbeing = store
        .checkins_for_peer_between(peer, from, to)?
        .iter()
        .filter_map(|c| c.wellbeing.map(|w| (c.day(), w)))
        .collect();
    Ok(TimelineData {
        goals,
        touches,
        wellbeing,
    })
}
