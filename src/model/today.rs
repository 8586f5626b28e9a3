//! The "today" rules: who needs contact today and why.
//!
//! Pure: the caller gathers the records (from any store) and the day; the
//! rules decide. Each row carries a sentence saying why it is there.
//!
//! A peer who needs contact appears once, in the most pressing section:
//! follow-up due today, then overdue follow-up, then re-engagement (not seen
//! for the organization's window, 30 days by default), then past cadence.
//! A peer already seen today is listed only under "seen today". A later
//! check-in replaces the follow-up planned by an earlier one: the newest
//! check-in before today holds the peer's pending follow-up. While that
//! follow-up is still ahead, it is the plan for the next contact, agreed
//! with the peer, so neither cadence nor re-engagement lists them before it
//! (someone away at a 28-day program who asked to be called on their return
//! should not show up as "past cadence" every day until then).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::checkin::CheckIn;
use super::choice::Choice;
use super::dates::days_between;
use super::goal::Goal;
use super::group::{Group, GroupSession};
use super::ids::{CheckInId, GoalId, GroupId, PeerId, SessionId, StaffId};
use super::peer::{Peer, PeerStatus};
use super::record::Record;
use super::settings::Settings;
use super::staff::Staff;

/// The sections of the Today list, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// A planned follow-up falls today.
    FollowUpDue,
    /// A planned follow-up has passed without contact.
    Overdue,
    /// Longer since the last contact than the peer asked for.
    PastCadence,
    /// Not seen for the re-engagement window.
    Reengage,
    /// A goal's review date has come.
    ReviewDue,
    /// An open referral has had no update for the settings' stale days.
    ReferralsStale,
    /// An instrument (the BARC-10) was last taken at least its interval ago.
    ReassessmentDue,
    /// A consent to share ends soon (within `consent_warning_days`).
    ConsentsExpiring,
    /// The signed-in staff member's certifications expiring within 60
    /// days and CE hours still needed; their supervisees' expiries.
    CredentialsExpiring,
    /// A group meets today.
    GroupsToday,
    /// Already contacted today.
    SeenToday,
}

impl Section {
    /// Every section in display order.
    pub const ALL: [Section; 11] = [
        Section::FollowUpDue,
        Section::Overdue,
        Section::PastCadence,
        Section::Reengage,
        Section::ReviewDue,
        Section::ReferralsStale,
        Section::ReassessmentDue,
        Section::ConsentsExpiring,
        Section::CredentialsExpiring,
        Section::GroupsToday,
        Section::SeenToday,
    ];

    /// The heading shown for the section.
    pub fn title(self) -> &'static str {
        match self {
            Section::FollowUpDue => "Follow-ups due",
            Section::Overdue => "Overdue follow-ups",
            Section::PastCadence => "Past cadence",
            Section::Reengage => "Re-engagement",
            Section::ReviewDue => "Goal reviews due",
            Section::ReferralsStale => "Referrals to follow up",
            Section::ConsentsExpiring => "Consents expiring",
            Section::CredentialsExpiring => "Credentials",
            Section::ReassessmentDue => "Reassessment due",
            Section::GroupsToday => "Groups today",
            Section::SeenToday => "Seen today",
        }
    }
}

/// One line of the Today list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayRow {
    /// Which section it belongs to.
    pub section: Section,
    /// The peer concerned (none for group rows).
    pub peer: Option<PeerId>,
    /// The peer's display name, or the group's name for group rows.
    pub name: String,
    /// The goal concerned, for review rows.
    pub goal: Option<GoalId>,
    /// The group concerned, for group rows.
    pub group: Option<GroupId>,
    /// Today's session of the group, if one was recorded.
    pub session: Option<SessionId>,
    /// The date the row is about (due date, last contact).
    pub date: Option<NaiveDate>,
    /// Days overdue, or days since last contact, where that applies.
    pub days: Option<i64>,
    /// Why the row is there, in a sentence.
    pub why: String,
}

/// The whole Today list for one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayReport {
    /// The day it is for.
    pub date: NaiveDate,
    /// Every row, sorted by section and then by urgency.
    pub rows: Vec<TodayRow>,
}

impl TodayReport {
    /// The rows of one section, in order.
    pub fn section(&self, section: Section) -> impl Iterator<Item = &TodayRow> {
        self.rows.iter().filter(move |r| r.section == section)
    }

    /// How many rows one section has.
    pub fn count(&self, section: Section) -> usize {
        self.section(section).count()
    }
}

/// What the rules need of a peer's newest check-in before the day: its
/// local day (last contact) and the follow-up it planned (the peer's
/// pending one). Kept per peer by the store next to the check-in's order,
/// so a large center's Today reads these facts instead of 10,000 records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LastCheckIn {
    /// Which check-in it is.
    pub id: CheckInId,
    /// Its day where it happened (`CheckIn::day`).
    pub day: NaiveDate,
    /// The follow-up it planned, if any.
    pub follow_up: Option<NaiveDate>,
}

impl LastCheckIn {
    /// The facts of a stored check-in (whether it is live is the caller's
    /// question).
    pub fn of(c: &Record<CheckIn>) -> Self {
        LastCheckIn {
            id: c.id,
            day: c.day(),
            follow_up: c.follow_up,
        }
    }
}

/// What the Today rules read of a peer, and all they read: a stored
/// record (`Record<Peer>`) answers it, and so does [`PeerFacts`], which a
/// store can read from a peer record without decoding the rest of it (a
/// large center's Today reads 10,000 peers).
pub trait TodayPeer {
    /// The peer's id.
    fn peer_id(&self) -> PeerId;
    /// The name every screen shows.
    fn display_name(&self) -> &str;
    /// Active, inactive or discharged.
    fn status(&self) -> PeerStatus;
    /// The staff member who mainly supports them.
    fn assigned_staff(&self) -> Option<StaffId>;
    /// First day with the organization (re-engagement counts from it
    /// when there is no check-in).
    fn intake_date(&self) -> NaiveDate;
    /// How often, in days, they want to be checked on.
    fn cadence_days(&self) -> Option<u16>;
    /// True when the peer is currently supported (as [`Peer::is_active`]).
    fn is_active(&self) -> bool {
        self.status() == PeerStatus::Active
    }
}

impl TodayPeer for Record<Peer> {
    fn peer_id(&self) -> PeerId {
        self.id
    }
    fn display_name(&self) -> &str {
        &self.data.display_name
    }
    fn status(&self) -> PeerStatus {
        self.data.status
    }
    fn assigned_staff(&self) -> Option<StaffId> {
        self.data.assigned_staff
    }
    fn intake_date(&self) -> NaiveDate {
        self.data.intake_date
    }
    fn cadence_days(&self) -> Option<u16> {
        self.data.cadence_days
    }
}

/// The few fields of a peer Today reads ([`TodayPeer`]), owned: what a
/// store hands the rules instead of whole records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerFacts {
    /// The peer's id.
    pub id: PeerId,
    /// The name every screen shows.
    pub display_name: String,
    /// Active, inactive or discharged.
    pub status: PeerStatus,
    /// The staff member who mainly supports them.
    pub assigned_staff: Option<StaffId>,
    /// First day with the organization.
    pub intake_date: NaiveDate,
    /// How often, in days, they want to be checked on.
    pub cadence_days: Option<u16>,
}

impl PeerFacts {
    /// The facts of a whole record.
    pub fn of(p: &Record<Peer>) -> Self {
        PeerFacts {
            id: p.id,
            display_name: p.data.display_name.clone(),
            status: p.data.status,
            assigned_staff: p.data.assigned_staff,
            intake_date: p.data.intake_date,
            cadence_days: p.data.cadence_days,
        }
    }
}

impl TodayPeer for PeerFacts {
    fn peer_id(&self) -> PeerId {
        self.id
    }
    fn display_name(&self) -> &str {
        &self.display_name
    }
    fn status(&self) -> PeerStatus {
        self.status
    }
    fn assigned_staff(&self) -> Option<StaffId> {
        self.assigned_staff
    }
    fn intake_date(&self) -> NaiveDate {
        self.intake_date
    }
    fn cadence_days(&self) -> Option<u16> {
        self.cadence_days
    }
}

/// Everything the rules look at, gathered by the caller.
#[derive(Debug)]
pub struct TodayInput<'a, P: TodayPeer = Record<Peer>> {
    /// The day to plan.
    pub date: NaiveDate,
    /// Organization rules (re-engagement window).
    pub settings: &'a Settings,
    /// Every peer on the roster (inactive ones are skipped): whole
    /// records or only the facts Today reads of them.
    pub peers: &'a [P],
    /// What the rules need of each peer's newest check-in before `date`
    /// (voided ones left out).
    pub last_before: &'a HashMap<PeerId, LastCheckIn>,
    /// Each peer's latest group session attended before `date`: being at
    /// a group counts as being seen for re-engagement.
    pub last_attended: &'a HashMap<PeerId, NaiveDate>,
    /// Each peer's latest drop-in visit before `date`: being at the center
    /// counts as being seen for re-engagement too (`model::visit`).
    pub last_visited: &'a HashMap<PeerId, NaiveDate>,
    /// Every check-in on `date`.
    pub seen_today: &'a [Record<CheckIn>],
    /// Goals whose review date is on or before `date` (others are ignored).
    pub goals: &'a [Record<Goal>],
    /// Every group.
    pub groups: &'a [Record<Group>],
    /// Sessions recorded on `date`.
    pub sessions_today: &'a [Record<GroupSession>],
    /// Staff, for initials in "seen today" rows.
    pub staff: &'a [Record<Staff>],
    /// Only this staff member's peers and groups, if set.
    pub for_staff: Option<StaffId>,
}

// By hand: the derives would ask `P: Clone`, and the input only borrows.
impl<P: TodayPeer> Clone for TodayInput<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P: TodayPeer> Copy for TodayInput<'_, P> {}

/// Applies the rules.
pub fn build_today<P: TodayPeer>(input: TodayInput<'_, P>) -> TodayReport {
    let date = input.date;
    let peers: HashMap<PeerId, &P> = input.peers.iter().map(|p| (p.peer_id(), p)).collect();
    let mine = |p: &P| input.for_staff.is_none() || p.assigned_staff() == input.for_staff;
    let mut rows = Vec::with_capacity(input.peers.len() / 2);

    let seen = seen_today_rows(&input, &peers, &mut rows);

    for peer in input.peers.iter().filter(|p| p.is_active() && mine(p)) {
        if seen.contains_key(&peer.peer_id()) {
            continue;
        }
        if let Some(row) = contact_row(&input, peer) {
            rows.push(row);
        }
    }

    for goal in input.goals.iter().filter(|g| g.review_due(date)) {
        let Some(peer) = peers.get(&goal.peer) else {
            continue;
        };
        if !peer.is_active() || !mine(peer) {
            continue;
        }
        let due = goal.next_review.unwrap_or(date);
        let late = days_between(due, date);
        let when = if late == 0 {
            "today".to_string()
        } else {
            format!("{due}, {late} {} ago", plural(late, "day", "days"))
        };
        rows.push(TodayRow {
            section: Section::ReviewDue,
            peer: Some(peer.peer_id()),
            name: peer.display_name().to_string(),
            goal: Some(goal.id),
            group: None,
            session: None,
            date: Some(due),
            days: Some(late),
            why: format!(
                "review of goal {} \"{}\" ({}) was due {when}",
                goal.id,
                goal.title,
                goal.domain.label()
            ),
        });
    }

    group_rows(&input, &mut rows);

    // Stable: groups keep their time order and "seen today" its
    // order of first contact. Each row's key is worked out once (a name
    // lowercased per comparison cost a Today of 3,000 rows 80,000
    // allocations).
    rows.sort_by_cached_key(|r| {
        if matches!(r.section, Section::GroupsToday | Section::SeenToday) {
            return (r.section, std::cmp::Reverse(0), String::new(), None);
        }
        (
            r.section,
            std::cmp::Reverse(urgency(r)),
            r.name.to_lowercase(),
            r.peer,
        )
    });
    TodayReport { date, rows }
}

fn urgency(row: &TodayRow) -> i64 {
    match row.section {
        Section::Overdue
        | Section::PastCadence
        | Section::Reengage
        | Section::ReviewDue
        | Section::ReferralsStale => row.days.unwrap_or(0),
        _ => 0,
    }
}

fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    crate::text::noun(usize::try_from(n).unwrap_or(0), one, many)
}

/// The one contact row a peer gets, in the most pressing section.
fn contact_row<P: TodayPeer>(input: &TodayInput<'_, P>, peer: &P) -> Option<TodayRow> {
    let date = input.date;
    let last = input.last_before.get(&peer.peer_id());
    let row = |section, day: Option<NaiveDate>, days: Option<i64>, why: String| TodayRow {
        section,
        peer: Some(peer.peer_id()),
        name: peer.display_name().to_string(),
        goal: None,
        group: None,
        session: None,
        date: day,
        days,
        why,
    };

    if let Some(c) = last {
        if let Some(f) = c.follow_up {
            if f == date {
                return Some(row(
                    Section::FollowUpDue,
                    Some(f),
                    Some(0),
                    format!("follow-up planned at the check-in on {}", c.day),
                ));
            }
            if f < date {
                let late = days_between(f, date);
                return Some(row(
                    Section::Overdue,
                    Some(f),
                    Some(late),
                    format!(
                        "follow-up planned for {f} is {late} {} overdue",
                        plural(late, "day", "days")
                    ),
                ));
            }
            // Still ahead: the agreed next contact is planned.
            return None;
        }
    }

    // Words are made only for a row that is shown: most of a large
    // center's peers get none.
    let (since, days, by_checkin) = match last {
        Some(c) => (c.day, days_between(c.day, date), true),
        None => (
            peer.intake_date(),
            days_between(peer.intake_date(), date),
            false,
        ),
    };
    let seen_words = || {
        if by_checkin {
            format!("last seen {since}")
        } else {
            format!("no check-in since intake on {since}")
        }
    };
    let window = i64::from(input.settings.reengage_after_days);
    let cadence = peer.cadence_days().map(i64::from);
    /// Where the peer was last seen at all.
    enum Seen {
        Contact,
        Group,
        Center,
    }
    // Re-engagement is about not being seen at all, so a group counts.
    let (seen_since, seen_days, how) = match input.last_attended.get(&peer.peer_id()) {
        Some(g) if *g > since => (*g, days_between(*g, date), Seen::Group),
        _ => (since, days, Seen::Contact),
    };
    // So does a drop-in visit at the center.
    let (seen_since, seen_days, how) = match input.last_visited.get(&peer.peer_id()) {
        Some(v) if *v > seen_since => (*v, days_between(*v, date), Seen::Center),
        _ => (seen_since, seen_days, how),
    };
    if seen_days >= window && cadence.is_none_or(|c| seen_days > c) {
        let seen_words_any = match how {
            Seen::Contact => seen_words(),
            Seen::Group => format!("last at a group {seen_since}"),
            Seen::Center => format!("last at the center {seen_since}"),
        };
        return Some(row(
            Section::Reengage,
            Some(seen_since),
            Some(seen_days),
            format!(
                "not seen for {seen_days} {} ({seen_words_any})",
                plural(seen_days, "day", "days")
            ),
        ));
    }
    if let Some(c) = cadence {
        if days >= c {
            return Some(row(
                Section::PastCadence,
                Some(since),
                Some(days),
                format!(
                    "wants contact every {c} {}; {}, {days} {} ago",
                    plural(c, "day", "days"),
                    seen_words(),
                    plural(days, "day", "days")
                ),
            ));
        }
    }
    None
}

/// Adds "seen today" rows (one per peer) and returns who was seen.
fn seen_today_rows<P: TodayPeer>(
    input: &TodayInput<'_, P>,
    peers: &HashMap<PeerId, &P>,
    rows: &mut Vec<TodayRow>,
) -> HashMap<PeerId, ()> {
    let initials: HashMap<StaffId, &str> = input
        .staff
        .iter()
        .map(|s| (s.id, s.initials.as_str()))
        .collect();
    let mut by_peer: Vec<(PeerId, Vec<&Record<CheckIn>>)> = Vec::new();
    let mut today: Vec<&Record<CheckIn>> = input
        .seen_today
        .iter()
        .filter(|c| c.day() == input.date)
        .collect();
    today.sort_by_key(|c| c.at);
    for c in today {
        match by_peer.iter_mut().find(|(p, _)| *p == c.peer) {
            Some((_, list)) => list.push(c),
            None => by_peer.push((c.peer, vec![c])),
        }
    }
    let mut seen = HashMap::new();
    for (peer_id, list) in by_peer {
        seen.insert(peer_id, ());
        let Some(peer) = peers.get(&peer_id) else {
            continue;
        };
        let relevant = match input.for_staff {
            None => true,
            Some(s) => peer.assigned_staff() == Some(s) || list.iter().any(|c| c.staff == s),
        };
        if !relevant {
            continue;
        }
        let minutes: u32 = list.iter().map(|c| u32::from(c.minutes)).sum();
        let parts: Vec<String> = list
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} min by {}",
                    c.at.format("%H:%M"),
                    c.mode.label(),
                    c.minutes,
                    initials.get(&c.staff).copied().unwrap_or("?")
                )
            })
            .collect();
        rows.push(TodayRow {
            section: Section::SeenToday,
            peer: Some(peer_id),
            name: peer.display_name().to_string(),
            goal: None,
            group: None,
            session: None,
            date: Some(input.date),
            days: None,
            why: format!(
                "contacted {} today, {minutes} min ({})",
                if list.len() == 1 {
                    "once".to_string()
                } else {
                    format!("{} times", list.len())
                },
                parts.join("; ")
            ),
        });
    }
    seen
}

fn group_rows<P: TodayPeer>(input: &TodayInput<'_, P>, rows: &mut Vec<TodayRow>) {
    let session_of = |g: GroupId| input.sessions_today.iter().find(|s| s.group == g);
    let mut groups: Vec<&Record<Group>> = input.groups.iter().collect();
    groups.sort_by_key(|g| g.time);
    for g in groups {
        let session = session_of(g.id);
        if !g.meets_on(input.date) && session.is_none() {
            continue;
        }
        let facilitator = session.and_then(|s| s.facilitator).or(g.facilitator);
        if input.for_staff.is_some() && facilitator != input.for_staff {
            continue;
        }
        let place = if g.location.trim().is_empty() {
            String::new()
        } else {
            format!(" in {}", g.location)
        };
        let state = match session {
            Some(s) => format!(
                "session recorded, {} {}",
                s.attendees.len(),
                if s.attendees.len() == 1 {
                    "attendee"
                } else {
                    "attendees"
                }
            ),
            None => "no session recorded yet".to_string(),
        };
        rows.push(TodayRow {
            section: Section::GroupsToday,
            peer: None,
            name: g.name.clone(),
            goal: None,
            group: Some(g.id),
            session: session.map(|s| s.id),
            date: Some(input.date),
            days: None,
            why: format!("meets at {}{place}; {state}", g.time.format("%H:%M")),
        });
    }
}
