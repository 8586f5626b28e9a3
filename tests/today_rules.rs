//! The Today rules on hand-built fixtures: one test per reason a peer or a
//! group is listed, plus precedence, ordering, filtering by staff member,
//! and the sentence each row carries.

use std::collections::HashMap;

use caseload::model::today::{
    build_today, LastCheckIn, Section, TodayInput, TodayReport, TodayRow,
};
use caseload::model::{
    Actor, CheckIn, CheckInId, CheckInMode, Entity, Goal, GoalId, GoalStatus, Group, GroupId,
    GroupSession, Id, LifeDomain, Meta, Peer, PeerId, PeerStatus, Record, Role, SessionId,
    Settings, Staff, StaffId,
};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};

/// The day every fixture plans: a Tuesday.
const TODAY: &str = "2026-11-24";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn today() -> NaiveDate {
    d(TODAY)
}

fn days_ago(n: i64) -> NaiveDate {
    today() - chrono::Duration::days(n)
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn rec<T: Entity>(id: u64, data: T) -> Record<T> {
    Record {
        id: Id::new(id),
        meta: Meta::created(Utc::now(), &Actor::login("tester")),
        data,
    }
}

/// Everything `build_today` looks at, owned, with helpers to add to it.
struct Fixture {
    date: NaiveDate,
    settings: Settings,
    peers: Vec<Record<Peer>>,
    last_before: HashMap<PeerId, LastCheckIn>,
    last_attended: HashMap<PeerId, NaiveDate>,
    seen_today: Vec<Record<CheckIn>>,
    goals: Vec<Record<Goal>>,
    groups: Vec<Record<Group>>,
    sessions: Vec<Record<GroupSession>>,
    staff: Vec<Record<Staff>>,
    for_staff: Option<StaffId>,
    next_checkin: u64,
}

const ANA: StaffId = StaffId::new(1);
const BEN: StaffId = StaffId::new(2);

impl Fixture {
    fn new() -> Self {
        let mut ana = Staff::new("Ana Ruiz", Role::PeerSpecialist);
        ana.initials = "AR".into();
        let ben = Staff::new("Ben Ode", Role::PeerSpecialist);
        Fixture {
            date: today(),
            settings: Settings::default(),
            peers: Vec::new(),
            last_before: HashMap::new(),
            last_attended: HashMap::new(),
            seen_today: Vec::new(),
            goals: Vec::new(),
            groups: Vec::new(),
            sessions: Vec::new(),
            staff: vec![rec(1, ana), rec(2, ben)],
            for_staff: None,
            next_checkin: 1,
        }
    }

    /// An active peer with intake 200 days ago, assigned to Ana.
    fn peer(&mut self, name: &str) -> PeerId {
        self.peer_with(name, |_| {})
    }

    fn peer_with(&mut self, name: &str, edit: impl FnOnce(&mut Peer)) -> PeerId {
        let mut p = Peer::new(name, days_ago(200));
        p.assigned_staff = Some(ANA);
        edit(&mut p);
        p.validate().expect("a valid peer");
        let id = PeerId::new(self.peers.len() as u64 + 1);
        self.peers.push(rec(id.raw(), p));
        id
    }

    fn checkin(&mut self, peer: PeerId, when: DateTime<FixedOffset>) -> Record<CheckIn> {
        let c = CheckIn::new(peer, ANA, when);
        let id = self.next_checkin;
        self.next_checkin += 1;
        rec(id, c)
    }

    /// The peer's newest check-in before today: `days` ago at 10:00, with a
    /// follow-up if given.
    fn last_seen(&mut self, peer: PeerId, days: i64, follow_up: Option<NaiveDate>) -> CheckInId {
        let when = at(&format!("{}T10:00:00-05:00", days_ago(days)));
        let mut c = self.checkin(peer, when);
        c.follow_up = follow_up;
        c.validate().expect("a valid check-in");
        let id = c.id;
        self.last_before.insert(peer, LastCheckIn::of(&c));
        id
    }

    /// A check-in today at `hh:mm` local time.
    fn seen_at(&mut self, peer: PeerId, hhmm: &str, minutes: u16, mode: CheckInMode, by: StaffId) {
        let mut c = self.checkin(peer, at(&format!("{TODAY}T{hhmm}:00-05:00")));
        c.minutes = minutes;
        c.mode = mode;
        c.staff = by;
        self.seen_today.push(c);
    }

    fn goal(&mut self, peer: PeerId, title: &str, review: Option<NaiveDate>) -> GoalId {
        let mut g = Goal::new(peer, LifeDomain::Housing, title, days_ago(100));
        g.next_review = review;
        let id = GoalId::new(self.goals.len() as u64 + 1);
        self.goals.push(rec(id.raw(), g));
        id
    }

    fn group(
        &mut self,
        name: &str,
        weekday: Weekday,
        hh: u32,
        edit: impl FnOnce(&mut Group),
    ) -> GroupId {
        let mut g = Group::new(name, weekday, NaiveTime::from_hms_opt(hh, 0, 0).unwrap());
        g.facilitator = Some(ANA);
        edit(&mut g);
        let id = GroupId::new(self.groups.len() as u64 + 1);
        self.groups.push(rec(id.raw(), g));
        id
    }

    fn session_today(&mut self, group: GroupId, attendees: &[PeerId]) -> SessionId {
        let g = &self.groups[group.raw() as usize - 1];
        let mut s = GroupSession::for_group(group, g, self.date);
        s.attendees = attendees.to_vec();
        let id = SessionId::new(self.sessions.len() as u64 + 1);
        self.sessions.push(rec(id.raw(), s));
        id
    }

    fn report(&self) -> TodayReport {
        build_today(TodayInput {
            date: self.date,
            settings: &self.settings,
            peers: &self.peers,
            last_before: &self.last_before,
            last_attended: &self.last_attended,
            last_visited: &HashMap::new(),
            seen_today: &self.seen_today,
            goals: &self.goals,
            groups: &self.groups,
            sessions_today: &self.sessions,
            staff: &self.staff,
            for_staff: self.for_staff,
        })
    }
}

/// The rows about `peer`.
fn rows_of(report: &TodayReport, peer: PeerId) -> Vec<&TodayRow> {
    report
        .rows
        .iter()
        .filter(|r| r.peer == Some(peer))
        .collect()
}

/// The single row about `peer`, which must be in `section`.
fn only_row(report: &TodayReport, peer: PeerId, section: Section) -> TodayRow {
    let rows = rows_of(report, peer);
    assert_eq!(
        rows.len(),
        1,
        "{peer} should have exactly one row: {rows:#?}"
    );
    assert_eq!(rows[0].section, section, "{rows:#?}");
    rows[0].clone()
}

fn peer_order(report: &TodayReport, section: Section) -> Vec<PeerId> {
    report.section(section).filter_map(|r| r.peer).collect()
}

const CONTACT: [Section; 5] = [
    Section::FollowUpDue,
    Section::Overdue,
    Section::PastCadence,
    Section::Reengage,
    Section::SeenToday,
];

#[test]
fn follow_up_due_today() {
    let mut f = Fixture::new();
    let jo = f.peer("Jo");
    f.last_seen(jo, 7, Some(today()));
    let row = only_row(&f.report(), jo, Section::FollowUpDue);
    assert_eq!(row.name, "Jo");
    assert_eq!(row.date, Some(today()));
    assert_eq!(row.days, Some(0));
    assert_eq!(
        row.why,
        format!("follow-up planned at the check-in on {}", days_ago(7))
    );
}

#[test]
fn overdue_follow_up_counts_the_days() {
    let mut f = Fixture::new();
    let jo = f.peer("Jo");
    let kim = f.peer("Kim");
    f.last_seen(jo, 10, Some(days_ago(4)));
    f.last_seen(kim, 3, Some(days_ago(1)));
    let report = f.report();
    let row = only_row(&report, jo, Section::Overdue);
    assert_eq!((row.date, row.days), (Some(days_ago(4)), Some(4)));
    assert_eq!(
        row.why,
        format!("follow-up planned for {} is 4 days overdue", days_ago(4))
    );
    let row = only_row(&report, kim, Section::Overdue);
    assert_eq!(
        row.why,
        format!("follow-up planned for {} is 1 day overdue", days_ago(1))
    );
}

#[test]
fn a_future_follow_up_lists_nothing_yet() {
    let mut f = Fixture::new();
    let jo = f.peer("Jo");
    f.last_seen(jo, 2, Some(today() + chrono::Duration::days(3)));
    assert!(rows_of(&f.report(), jo).is_empty());
}

#[test]
fn past_cadence_from_the_cadence_day_on() {
    let mut f = Fixture::new();
    let due = f.peer_with("Due", |p| p.cadence_days = Some(7));
    let late = f.peer_with("Late", |p| p.cadence_days = Some(7));
    let fine = f.peer_with("Fine", |p| p.cadence_days = Some(7));
    let daily = f.peer_with("Daily", |p| p.cadence_days = Some(1));
    f.last_seen(due, 7, None);
    f.last_seen(late, 12, None);
    f.last_seen(fine, 6, None);
    f.last_seen(daily, 1, None);
    let report = f.report();
    let row = only_row(&report, due, Section::PastCadence);
    assert_eq!((row.date, row.days), (Some(days_ago(7)), Some(7)));
    assert_eq!(
        row.why,
        format!(
            "wants contact every 7 days; last seen {}, 7 days ago",
            days_ago(7)
        )
    );
    assert_eq!(only_row(&report, late, Section::PastCadence).days, Some(12));
    assert!(
        rows_of(&report, fine).is_empty(),
        "6 of 7 days is not past cadence"
    );
    let row = only_row(&report, daily, Section::PastCadence);
    assert_eq!(
        row.why,
        format!(
            "wants contact every 1 day; last seen {}, 1 day ago",
            days_ago(1)
        )
    );
}

#[test]
fn reengagement_after_the_organizations_window() {
    let mut f = Fixture::new();
    let gone = f.peer("Gone");
    let almost = f.peer("Almost");
    f.last_seen(gone, 30, None);
    f.last_seen(almost, 29, None);
    let report = f.report();
    let row = only_row(&report, gone, Section::Reengage);
    assert_eq!((row.date, row.days), (Some(days_ago(30)), Some(30)));
    assert_eq!(
        row.why,
        format!("not seen for 30 days (last seen {})", days_ago(30))
    );
    assert!(rows_of(&report, almost).is_empty());

    // The window is the organization's setting.
    f.settings.reengage_after_days = 14;
    assert_eq!(
        only_row(&f.report(), almost, Section::Reengage).days,
        Some(29)
    );
    f.settings.reengage_after_days = 1;
    let mut g = Fixture::new();
    g.settings.reengage_after_days = 1;
    let yesterday = g.peer("Yesterday");
    g.last_seen(yesterday, 1, None);
    let row = only_row(&g.report(), yesterday, Section::Reengage);
    assert_eq!(
        row.why,
        format!("not seen for 1 day (last seen {})", days_ago(1))
    );
}

#[test]
fn a_cadence_longer_than_the_window_holds_reengagement_back() {
    let mut f = Fixture::new();
    let quarterly = f.peer_with("Quarterly", |p| p.cadence_days = Some(60));
    let weekly = f.peer_with("Weekly", |p| p.cadence_days = Some(7));
    f.last_seen(quarterly, 40, None);
    f.last_seen(weekly, 40, None);
    let report = f.report();
    assert!(
        rows_of(&report, quarterly).is_empty(),
        "40 days is within the peer's own 60-day rhythm"
    );
    // Past the window and past their cadence: re-engagement, the more
    // pressing section.
    assert_eq!(only_row(&report, weekly, Section::Reengage).days, Some(40));

    f.last_seen(quarterly, 60, None);
    assert_eq!(
        only_row(&f.report(), quarterly, Section::PastCadence).days,
        Some(60)
    );
    f.last_seen(quarterly, 61, None);
    assert_eq!(
        only_row(&f.report(), quarterly, Section::Reengage).days,
        Some(61)
    );
}

#[test]
fn never_seen_peers_count_from_intake() {
    let mut f = Fixture::new();
    let old = f.peer_with("Old intake", |p| {
        p.intake_date = days_ago(35);
        p.status_since = days_ago(35);
    });
    let fresh = f.peer_with("New", |p| {
        p.intake_date = days_ago(3);
        p.status_since = days_ago(3);
        p.cadence_days = Some(3);
    });
    let today_intake = f.peer_with("Today", |p| {
        p.intake_date = today();
        p.status_since = today();
        p.cadence_days = Some(1);
    });
    let future = f.peer_with("Next week", |p| {
        p.intake_date = today() + chrono::Duration::days(7);
        p.status_since = p.intake_date;
        p.cadence_days = Some(1);
    });
    let report = f.report();
    let row = only_row(&report, old, Section::Reengage);
    assert_eq!((row.date, row.days), (Some(days_ago(35)), Some(35)));
    assert_eq!(
        row.why,
        format!(
            "not seen for 35 days (no check-in since intake on {})",
            days_ago(35)
        )
    );
    let row = only_row(&report, fresh, Section::PastCadence);
    assert!(
        row.why
            .contains(&format!("no check-in since intake on {}", days_ago(3))),
        "{}",
        row.why
    );
    assert!(rows_of(&report, today_intake).is_empty());
    assert!(rows_of(&report, future).is_empty());
}

#[test]
fn seen_today_replaces_every_contact_reason_and_sums_the_day() {
    let mut f = Fixture::new();
    let jo = f.peer_with("Jo", |p| p.cadence_days = Some(7));
    f.last_seen(jo, 40, Some(days_ago(5)));
    // Given out of time order on purpose.
    f.seen_at(jo, "14:30", 30, CheckInMode::Phone, BEN);
    f.seen_at(jo, "09:05", 15, CheckInMode::InPerson, ANA);
    let kim = f.peer("Kim");
    f.last_seen(kim, 3, Some(today()));
    f.seen_at(kim, "11:00", 20, CheckInMode::Text, ANA);
    // A check-in of another day in the list is not "today".
    let lee = f.peer("Lee");
    f.last_seen(lee, 1, None);
    let mut other_day = f.checkin(lee, at("2026-11-23T10:00:00-05:00"));
    other_day.minutes = 10;
    f.seen_today.push(other_day);

    let report = f.report();
    let row = only_row(&report, jo, Section::SeenToday);
    assert_eq!(row.date, Some(today()));
    assert_eq!(
        row.why,
        "contacted 2 times today, 45 min (09:05 in person 15 min by AR; 14:30 phone 30 min by BO)"
    );
    let row = only_row(&report, kim, Section::SeenToday);
    assert_eq!(
        row.why,
        "contacted once today, 20 min (11:00 text 20 min by AR)"
    );
    assert!(rows_of(&report, lee).is_empty());
    // Seen today is in order of first contact.
    assert_eq!(peer_order(&report, Section::SeenToday), vec![jo, kim]);
}

#[test]
fn goal_reviews_due_for_active_goals_of_active_peers() {
    let mut f = Fixture::new();
    let jo = f.peer("Jo");
    let away = f.peer_with("Away", |p| p.status = PeerStatus::Inactive);
    let due_today = f.goal(jo, "Own flat", Some(today()));
    let late = f.goal(jo, "Driving licence", Some(days_ago(6)));
    let not_yet = f.goal(jo, "Choir", Some(today() + chrono::Duration::days(1)));
    let paused = f.goal(jo, "Evening class", Some(days_ago(2)));
    f.goals[paused.raw() as usize - 1].set_status(GoalStatus::Paused, days_ago(3), None);
    let achieved = f.goal(jo, "Bike", Some(days_ago(2)));
    f.goals[achieved.raw() as usize - 1].set_status(GoalStatus::Achieved, days_ago(3), None);
    let undated = f.goal(jo, "Garden", None);
    f.goal(away, "Job", Some(days_ago(1)));

    let report = f.report();
    let rows: Vec<&TodayRow> = report.section(Section::ReviewDue).collect();
    let goals: Vec<Option<GoalId>> = rows.iter().map(|r| r.goal).collect();
    assert_eq!(
        goals,
        vec![Some(late), Some(due_today)],
        "most overdue first"
    );
    for g in [not_yet, paused, achieved, undated] {
        assert!(!goals.contains(&Some(g)), "{g} is not due");
    }
    assert_eq!(rows[0].peer, Some(jo));
    assert_eq!(rows[0].days, Some(6));
    assert_eq!(
        rows[0].why,
        format!(
            "review of goal G2 \"Driving licence\" (housing) was due {}, 6 days ago",
            days_ago(6)
        )
    );
    assert_eq!(
        rows[1].why,
        "review of goal G1 \"Own flat\" (housing) was due today"
    );
}

#[test]
fn groups_meeting_today_with_and_without_a_session() {
    let mut f = Fixture::new();
    let (a, b, c) = (f.peer("A"), f.peer("B"), f.peer("C"));
    let wrap = f.group("Tuesday WRAP", Weekday::Tue, 14, |g| {
        g.location = "Room 2".into()
    });
    let art = f.group("Art", Weekday::Tue, 10, |_| {});
    let monday = f.group("Monday walk", Weekday::Mon, 9, |_| {});
    let adhoc = f.group("Thursday cooking", Weekday::Thu, 17, |_| {});
    let retired = f.group("Old group", Weekday::Tue, 11, |g| g.active = false);
    let wrap_session = f.session_today(wrap, &[a, b, c]);
    let adhoc_session = f.session_today(adhoc, &[a]);

    let report = f.report();
    let rows: Vec<&TodayRow> = report.section(Section::GroupsToday).collect();
    let groups: Vec<Option<GroupId>> = rows.iter().map(|r| r.group).collect();
    assert_eq!(
        groups,
        vec![Some(art), Some(wrap), Some(adhoc)],
        "by time of day"
    );
    assert!(!groups.contains(&Some(monday)));
    assert!(!groups.contains(&Some(retired)));

    assert_eq!(rows[0].why, "meets at 10:00; no session recorded yet");
    assert_eq!(rows[0].session, None);
    assert_eq!(rows[1].name, "Tuesday WRAP");
    assert_eq!(
        rows[1].why,
        "meets at 14:00 in Room 2; session recorded, 3 attendees"
    );
    assert_eq!(rows[1].session, Some(wrap_session));
    assert_eq!(rows[2].why, "meets at 17:00; session recorded, 1 attendee");
    assert_eq!(rows[2].session, Some(adhoc_session));
    assert!(rows
        .iter()
        .all(|r| r.peer.is_none() && r.date == Some(today())));
}

#[test]
fn inactive_and_discharged_peers_are_left_out() {
    let mut f = Fixture::new();
    let inactive = f.peer_with("Inactive", |p| p.status = PeerStatus::Inactive);
    let discharged = f.peer_with("Discharged", |p| {
        p.status = PeerStatus::Discharged;
        p.cadence_days = Some(7);
    });
    let never = f.peer_with("Discharged, never seen", |p| {
        p.status = PeerStatus::Discharged
    });
    f.last_seen(inactive, 20, Some(days_ago(3)));
    f.last_seen(discharged, 90, Some(today()));
    f.goal(inactive, "Job", Some(days_ago(1)));
    let report = f.report();
    for p in [inactive, discharged, never] {
        assert!(
            rows_of(&report, p).is_empty(),
            "{p}: {:#?}",
            rows_of(&report, p)
        );
    }
    assert!(report.rows.is_empty());
}

#[test]
fn for_staff_shows_only_their_peers_and_groups() {
    let mut f = Fixture::new();
    let mine = f.peer("Mine");
    let bens = f.peer_with("Ben's", |p| p.assigned_staff = Some(BEN));
    let nobodys = f.peer_with("Unassigned", |p| p.assigned_staff = None);
    let bens_seen_by_ana = f.peer_with("Ben's, seen by Ana", |p| p.assigned_staff = Some(BEN));
    let bens_seen_by_ben = f.peer_with("Ben's, seen by Ben", |p| p.assigned_staff = Some(BEN));
    for p in [mine, bens, nobodys] {
        f.last_seen(p, 10, Some(days_ago(2)));
        f.goal(p, "Job", Some(days_ago(1)));
    }
    f.seen_at(bens_seen_by_ana, "10:00", 15, CheckInMode::Phone, ANA);
    f.seen_at(bens_seen_by_ben, "10:00", 15, CheckInMode::Phone, BEN);
    let anas_group = f.group("Ana's", Weekday::Tue, 10, |_| {});
    let bens_group = f.group("Ben's", Weekday::Tue, 12, |g| g.facilitator = Some(BEN));
    let covered = f.group("Covered by Ana", Weekday::Tue, 15, |g| {
        g.facilitator = Some(BEN)
    });
    let cover = f.session_today(covered, &[]);
    f.sessions[cover.raw() as usize - 1].facilitator = Some(ANA);

    let everyone = f.report();
    assert_eq!(everyone.count(Section::Overdue), 3);
    assert_eq!(everyone.count(Section::SeenToday), 2);
    assert_eq!(everyone.count(Section::GroupsToday), 3);

    f.for_staff = Some(ANA);
    let report = f.report();
    assert_eq!(peer_order(&report, Section::Overdue), vec![mine]);
    assert_eq!(peer_order(&report, Section::ReviewDue), vec![mine]);
    assert_eq!(
        peer_order(&report, Section::SeenToday),
        vec![bens_seen_by_ana]
    );
    let groups: Vec<_> = report
        .section(Section::GroupsToday)
        .map(|r| r.group)
        .collect();
    assert_eq!(groups, vec![Some(anas_group), Some(covered)]);
    assert!(!groups.contains(&Some(bens_group)));
    assert!(rows_of(&report, bens_seen_by_ben).is_empty());
    assert!(rows_of(&report, nobodys).is_empty());
}

#[test]
fn each_peer_appears_once_in_the_most_pressing_section() {
    let mut f = Fixture::new();
    let settings_window = i64::from(f.settings.reengage_after_days);
    // Follow-up due today beats a long absence and a cadence.
    let due = f.peer_with("Due", |p| p.cadence_days = Some(7));
    f.last_seen(due, settings_window + 10, Some(today()));
    // An overdue follow-up beats re-engagement and cadence.
    let overdue = f.peer_with("Overdue", |p| p.cadence_days = Some(7));
    f.last_seen(
        overdue,
        settings_window + 10,
        Some(days_ago(settings_window)),
    );
    // Re-engagement beats past cadence.
    let gone = f.peer_with("Gone", |p| p.cadence_days = Some(7));
    f.last_seen(gone, settings_window + 10, None);
    // Seen today beats everything.
    let seen = f.peer_with("Seen", |p| p.cadence_days = Some(7));
    f.last_seen(seen, settings_window + 10, Some(days_ago(3)));
    f.seen_at(seen, "08:30", 15, CheckInMode::Video, ANA);

    let report = f.report();
    only_row(&report, due, Section::FollowUpDue);
    only_row(&report, overdue, Section::Overdue);
    only_row(&report, gone, Section::Reengage);
    only_row(&report, seen, Section::SeenToday);
    for p in [due, overdue, gone, seen] {
        let n = rows_of(&report, p)
            .iter()
            .filter(|r| CONTACT.contains(&r.section))
            .count();
        assert_eq!(n, 1, "{p}");
    }
}

#[test]
fn sections_come_in_order_and_the_most_overdue_first() {
    let mut f = Fixture::new();
    let names = ["bea", "Abe", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"];
    let ids: Vec<PeerId> = names
        .iter()
        .map(|n| f.peer_with(n, |p| p.cadence_days = Some(5)))
        .collect();
    // Overdue by 2, 9, 9 (tie broken by name, case-insensitively), 5.
    f.last_seen(ids[0], 12, Some(days_ago(9)));
    f.last_seen(ids[1], 12, Some(days_ago(9)));
    f.last_seen(ids[2], 3, Some(days_ago(2)));
    f.last_seen(ids[3], 8, Some(days_ago(5)));
    // Past cadence by 6 and 20 days; re-engagement by 45 and 31.
    f.last_seen(ids[4], 6, None);
    f.last_seen(ids[5], 20, None);
    f.last_seen(ids[6], 31, None);
    f.last_seen(ids[7], 45, None);
    f.goal(ids[2], "Job", Some(days_ago(1)));
    f.group("WRAP", Weekday::Tue, 14, |_| {});
    let ivy = f.peer("Ivy");
    f.seen_at(ivy, "09:00", 15, CheckInMode::Phone, ANA);

    let report = f.report();
    assert_eq!(
        peer_order(&report, Section::Overdue),
        vec![ids[1], ids[0], ids[3], ids[2]]
    );
    let overdue_days: Vec<_> = report.section(Section::Overdue).map(|r| r.days).collect();
    assert_eq!(overdue_days, vec![Some(9), Some(9), Some(5), Some(2)]);
    assert_eq!(
        peer_order(&report, Section::PastCadence),
        vec![ids[5], ids[4]]
    );
    assert_eq!(peer_order(&report, Section::Reengage), vec![ids[7], ids[6]]);

    let order: Vec<Section> = report.rows.iter().map(|r| r.section).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(
        order, sorted,
        "rows are grouped by section, in display order"
    );
    let present: Vec<Section> = Section::ALL
        .into_iter()
        .filter(|s| report.count(*s) > 0)
        .collect();
    assert_eq!(
        present.len(),
        6,
        "every section but follow-ups due is used: {present:?}"
    );
}

#[test]
fn every_row_says_why_with_its_date_or_count() {
    let mut f = Fixture::new();
    let a = f.peer("A");
    let b = f.peer_with("B", |p| p.cadence_days = Some(3));
    let c = f.peer("C");
    let e = f.peer("E");
    let s = f.peer("S");
    f.last_seen(a, 5, Some(today()));
    f.last_seen(b, 4, None);
    f.last_seen(c, 50, None);
    f.last_seen(e, 9, Some(days_ago(2)));
    f.goal(a, "Job", Some(days_ago(3)));
    f.seen_at(s, "10:15", 25, CheckInMode::Outreach, ANA);
    let g = f.group("WRAP", Weekday::Tue, 14, |_| {});
    f.session_today(g, &[s]);

    let report = f.report();
    assert_eq!(report.date, today());
    assert_eq!(report.rows.len(), 7, "{:#?}", report.rows);
    for row in &report.rows {
        assert!(!row.why.trim().is_empty(), "{row:?}");
        let evidence = match row.section {
            Section::FollowUpDue => Some("follow-up planned at the check-in on".into()),
            Section::ReviewDue
            | Section::Overdue
            | Section::ConsentsExpiring
            | Section::CredentialsExpiring
            | Section::ReassessmentDue => row.date.map(|x| x.to_string()),
            Section::PastCadence | Section::Reengage => row.days.map(|n| format!("{n} days")),
            Section::ReferralsStale => row.days.map(|n| format!("no update for {n} days")),
            Section::GroupsToday => Some("meets at 14:00".into()),
            Section::SeenToday => Some("10:15 outreach 25 min".into()),
        };
        let evidence = evidence.expect("every row carries its date or count");
        assert!(
            row.why.contains(&evidence),
            "{:?}: {:?} lacks {evidence:?}",
            row.section,
            row.why
        );
    }
}

#[test]
fn a_planned_follow_up_still_ahead_holds_cadence_and_reengagement_back() {
    let mut f = Fixture::new();
    // Away at a 6-week program; asked to be called the day after.
    let away = f.peer_with("Away", |p| p.cadence_days = Some(7));
    f.last_seen(away, 40, Some(today() + chrono::Duration::days(3)));
    let weekly = f.peer_with("Weekly", |p| p.cadence_days = Some(7));
    f.last_seen(weekly, 10, Some(today() + chrono::Duration::days(1)));
    let report = f.report();
    assert!(rows_of(&report, away).is_empty(), "{:#?}", report.rows);
    assert!(rows_of(&report, weekly).is_empty(), "{:#?}", report.rows);

    // On the planned day the follow-up is due, and after it, overdue.
    f.date = today() + chrono::Duration::days(3);
    assert_eq!(
        only_row(&f.report(), away, Section::FollowUpDue).days,
        Some(0)
    );
    f.date = today() + chrono::Duration::days(5);
    assert_eq!(only_row(&f.report(), away, Section::Overdue).days, Some(2));

    // Without a plan, the same absence is listed.
    f.date = today();
    f.last_seen(away, 40, None);
    assert_eq!(
        only_row(&f.report(), away, Section::Reengage).days,
        Some(40)
    );
}

#[test]
fn a_group_regular_is_not_flagged_for_re_engagement_but_cadence_still_asks_for_a_check_in() {
    let mut f = Fixture::new();
    let regular = f.peer("Group Regular");
    f.last_seen(regular, 45, None);
    f.last_attended.insert(regular, days_ago(6));
    let absent = f.peer("Away Peer");
    f.last_seen(absent, 45, None);
    f.last_attended.insert(absent, days_ago(40));
    let weekly = f.peer_with("Weekly Peer", |p| p.cadence_days = Some(7));
    f.last_seen(weekly, 45, None);
    f.last_attended.insert(weekly, days_ago(3));
    let r = f.report();
    let reengage: Vec<_> = r.section(Section::Reengage).map(|row| row.peer).collect();
    assert_eq!(
        reengage,
        vec![Some(absent)],
        "only the peer missing from groups too"
    );
    let away = r.section(Section::Reengage).next().expect("a row");
    assert_eq!(away.days, Some(40));
    assert!(away.why.contains("last at a group"), "{}", away.why);
    let cadence: Vec<_> = r
        .section(Section::PastCadence)
        .map(|row| row.peer)
        .collect();
    assert_eq!(cadence, vec![Some(weekly)], "cadence is about check-ins");
}
