//! The service report funders ask for: who was served, how much support
//! (contacts, minutes, units of service), of which kinds and modes, by
//! whom, group attendance, and movement on the roster and in plans.
//!
//! Pure: the caller feeds records for the period one at a time, so a year
//! of a large center is counted without holding it in memory.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::checkin::CheckIn;
use super::choice::Choice;
use super::goal::{Goal, GoalStatus};
use super::group::{Group, GroupSession};
use super::ids::{GroupId, PeerId, StaffId};
use super::peer::{Peer, PeerStatus};
use super::record::Record;
use super::settings::Settings;
use super::staff::Staff;

/// One staff member's share of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffLine {
    /// The staff member.
    pub staff: StaffId,
    /// Their name.
    pub name: String,
    /// Check-ins they logged.
    pub checkins: u64,
    /// Minutes of those check-ins.
    pub minutes: u64,
    /// Units of those check-ins, before any daily cap.
    pub units: u64,
}

/// One group's share of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupLine {
    /// The group.
    pub group: GroupId,
    /// Its name.
    pub name: String,
    /// Sessions held.
    pub sessions: u64,
    /// Attendances (a peer at two sessions counts twice).
    pub attendance: u64,
    /// Different peers who came.
    pub unique_peers: u64,
}

/// The report for one period (both ends inclusive).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Different peers with a check-in or a group attendance.
    pub peers_served: u64,
    /// Check-ins.
    pub checkins: u64,
    /// Minutes of check-ins.
    pub minutes: u64,
    /// Units of service, with the daily cap per peer applied.
    pub units: u64,
    /// Check-ins by mode label.
    pub by_mode: BTreeMap<String, u64>,
    /// Check-ins giving each kind of support.
    pub by_support: BTreeMap<String, u64>,
    /// Mean wellbeing rating where one was given.
    pub mean_wellbeing: Option<f64>,
    /// Per staff member, by check-ins.
    pub by_staff: Vec<StaffLine>,
    /// Group sessions held.
    pub group_sessions: u64,
    /// Group attendances.
    pub group_attendance: u64,
    /// Per group.
    pub by_group: Vec<GroupLine>,
    /// Peers whose intake fell in the period.
    pub new_peers: u64,
    /// Peers discharged in the period.
    pub discharged: u64,
    /// Goals achieved in the period.
    pub goals_achieved: u64,
    /// Goals active at the end of the period.
    pub goals_active: u64,
}

/// Accumulates a report from records fed one by one.
pub struct ReportBuilder<'a> {
    settings: &'a Settings,
    from: NaiveDate,
    to: NaiveDate,
    served: HashSet<PeerId>,
    checkins: u64,
    minutes: u64,
    peer_day_units: HashMap<(PeerId, NaiveDate), u32>,
    by_mode: BTreeMap<String, u64>,
    by_support: BTreeMap<String, u64>,
    wellbeing: (u64, u64),
    by_staff: HashMap<StaffId, (u64, u64, u64)>,
    groups: HashMap<GroupId, (u64, u64, HashSet<PeerId>)>,
    new_peers: u64,
    discharged: u64,
    goals_achieved: u64,
    goals_active: u64,
}

impl<'a> ReportBuilder<'a> {
    /// A report for `from` to `to`, inclusive.
    pub fn new(settings: &'a Settings, from: NaiveDate, to: NaiveDate) -> Self {
        ReportBuilder {
            settings,
            from,
            to,
            served: HashSet::new(),
            checkins: 0,
            minutes: 0,
            peer_day_units: HashMap::new(),
            by_mode: BTreeMap::new(),
            by_support: BTreeMap::new(),
            wellbeing: (0, 0),
            by_staff: HashMap::new(),
            groups: HashMap::new(),
            new_peers: 0,
            discharged: 0,
            goals_achieved: 0,
            goals_active: 0,
        }
    }

    fn in_period(&self, d: NaiveDate) -> bool {
        d >= self.from && d <= self.to
    }

    /// Counts a check-in (ignored outside the period).
    pub fn checkin(&mut self, c: &CheckIn) {
        if !self.in_period(c.day()) {
            return;
        }
        let units = self.settings.units_for(c.minutes);
        self.served.insert(c.peer);
        self.checkins += 1;
        self.minutes += u64::from(c.minutes);
        *self.peer_day_units.entry((c.peer, c.day())).or_default() += units;
        *self.by_mode.entry(c.mode.label().to_string()).or_default() += 1;
        for s in &c.support {
            *self.by_support.entry(s.label().to_string()).or_default() += 1;
        }
        if let Some(w) = c.wellbeing {
            self.wellbeing.0 += u64::from(w);
            self.wellbeing.1 += 1;
        }
        let line = self.by_staff.entry(c.staff).or_default();
        line.0 += 1;
        line.1 += u64::from(c.minutes);
        line.2 += u64::from(units);
    }

    /// Counts a group session (ignored outside the period).
    pub fn session(&mut self, s: &GroupSession) {
        if !self.in_period(s.date) {
            return;
        }
        let entry = self.groups.entry(s.group).or_default();
        entry.0 += 1;
        entry.1 += s.attendees.len() as u64;
        for p in &s.attendees {
            entry.2.insert(*p);
            self.served.insert(*p);
        }
    }

    /// Counts a peer's intake and discharge.
    pub fn peer(&mut self, p: &Peer) {
        if self.in_period(p.intake_date) {
            self.new_peers += 1;
        }
        if p.status == PeerStatus::Discharged && self.in_period(p.status_since) {
            self.discharged += 1;
        }
    }

    /// Counts a goal achieved in the period, or active at its end.
    pub fn goal(&mut self, g: &Goal) {
        if g.status == GoalStatus::Achieved && g.ended_on().is_some_and(|d| self.in_period(d)) {
            self.goals_achieved += 1;
        }
        let status_at_end = g.history.iter().rfind(|h| h.on <= self.to).map(|h| h.to);
        if g.start_date <= self.to && status_at_end == Some(GoalStatus::Active) {
            self.goals_active += 1;
        }
    }

    /// The finished report, with staff and group names.
    pub fn finish(self, staff: &[Record<Staff>], groups: &[Record<Group>]) -> ServiceReport {
        let cap = self.settings.daily_unit_cap;
        let units = self
            .peer_day_units
            .values()
            .map(|u| u64::from(cap.map_or(*u, |c| (*u).min(c))))
            .sum();
        let name_of_staff = |id: StaffId| {
            staff
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let mut by_staff: Vec<StaffLine> = self
            .by_staff
            .into_iter()
            .map(|(id, (checkins, minutes, units))| StaffLine {
                staff: id,
                name: name_of_staff(id),
                checkins,
                minutes,
                units,
            })
            .collect();
        by_staff.sort_by(|a, b| b.checkins.cmp(&a.checkins).then(a.staff.cmp(&b.staff)));
        let mut by_group: Vec<GroupLine> = self
            .groups
            .into_iter()
            .map(|(id, (sessions, attendance, peers))| GroupLine {
                group: id,
                name: groups
                    .iter()
                    .find(|g| g.id == id)
                    .map_or_else(|| id.to_string(), |g| g.name.clone()),
                sessions,
                attendance,
                unique_peers: peers.len() as u64,
            })
            .collect();
        by_group.sort_by_key(|g| g.group);
        ServiceReport {
            from: self.from,
            to: self.to,
            peers_served: self.served.len() as u64,
            checkins: self.checkins,
            minutes: self.minutes,
            units,
            by_mode: self.by_mode,
            by_support: self.by_support,
            mean_wellbeing: (self.wellbeing.1 > 0)
                .then(|| self.wellbeing.0 as f64 / self.wellbeing.1 as f64),
            group_sessions: by_group.iter().map(|g| g.sessions).sum(),
            group_attendance: by_group.iter().map(|g| g.attendance).sum(),
            by_staff,
            by_group,
            new_peers: self.new_peers,
            discharged: self.discharged,
            goals_achieved: self.goals_achieved,
            goals_active: self.goals_active,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckInMode, LifeDomain, SupportKind};
    use chrono::{DateTime, FixedOffset};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn counts_contacts_units_kinds_and_caps_per_peer_day() {
        let settings = Settings {
            daily_unit_cap: Some(4),
            ..Settings::default()
        };
        let mut b = ReportBuilder::new(&settings, d("2026-11-01"), d("2026-11-30"));
        let p1 = PeerId::new(1);
        let s1 = StaffId::new(1);
        let mut c = CheckIn::new(p1, s1, at("2026-11-10T10:00:00Z"));
        c.minutes = 60; // 4 units
        c.add_support(SupportKind::Emotional);
        c.wellbeing = Some(4);
        b.checkin(&c);
        let mut c2 = c.clone();
        c2.minutes = 23; // 2 units, same day: capped at 4 in total
        c2.mode = CheckInMode::Phone;
        c2.wellbeing = Some(2);
        b.checkin(&c2);
        let mut outside = c.clone();
        outside.at = at("2026-12-01T10:00:00Z");
        b.checkin(&outside);
        let r = b.finish(&[], &[]);
        assert_eq!(r.checkins, 2);
        assert_eq!(r.minutes, 83);
        assert_eq!(r.units, 4);
        assert_eq!(r.by_staff[0].units, 6, "staff lines are before the cap");
        assert_eq!(r.by_mode.get("in person"), Some(&1));
        assert_eq!(r.by_mode.get("phone"), Some(&1));
        assert_eq!(r.by_support.get("emotional"), Some(&2));
        assert_eq!(r.mean_wellbeing, Some(3.0));
        assert_eq!(r.peers_served, 1);
    }

    #[test]
    fn groups_roster_and_goals() {
        let settings = Settings::default();
        let mut b = ReportBuilder::new(&settings, d("2026-11-01"), d("2026-11-30"));
        let g = GroupId::new(1);
        let mut s = GroupSession {
            group: g,
            date: d("2026-11-03"),
            topic: String::new(),
            facilitator: None,
            minutes: 60,
            attendees: vec![PeerId::new(1), PeerId::new(2)],
            note: String::new(),
            voided: None,
        };
        b.session(&s);
        s.date = d("2026-11-10");
        s.attendees = vec![PeerId::new(2)];
        b.session(&s);
        let mut newcomer = Peer::new("New", d("2026-11-05"));
        b.peer(&newcomer);
        newcomer.set_status(PeerStatus::Discharged, d("2026-11-20"), None);
        let old = Peer::new("Old", d("2025-01-01"));
        b.peer(&old);
        let mut goal = Goal::new(PeerId::new(1), LifeDomain::Housing, "Home", d("2026-10-01"));
        b.goal(&goal);
        goal.set_status(GoalStatus::Achieved, d("2026-11-15"), None);
        b.goal(&goal);
        let r = b.finish(&[], &[]);
        assert_eq!(r.group_sessions, 2);
        assert_eq!(r.group_attendance, 3);
        assert_eq!(r.by_group[0].unique_peers, 2);
        assert_eq!(r.peers_served, 2);
        assert_eq!(r.new_peers, 1);
        assert_eq!(r.goals_achieved, 1);
        assert_eq!(r.goals_active, 1, "the first goal fed was still active");
    }
}
