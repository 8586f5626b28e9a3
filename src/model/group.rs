//! Recurring support groups and the sessions they hold.

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::ids::{GroupId, GroupKind, PeerId, SessionKind, StaffId};
use super::record::Entity;
use super::validate::{Checker, ValidationError, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_SHORT_CHARS};

/// Most attendees one session may record.
pub const MAX_ATTENDEES: usize = 500;

/// A recurring group, e.g. "Tuesday WRAP group".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// Who usually facilitates.
    pub facilitator: Option<StaffId>,
    /// The day of the week it meets.
    pub weekday: Weekday,
    /// When it starts.
    pub time: NaiveTime,
    /// Where it meets.
    pub location: String,
    /// Usual length, in minutes.
    pub minutes: u16,
    /// Inactive groups keep their history but leave Today.
    pub active: bool,
}

impl Group {
    /// A new active group of 60 minutes.
    pub fn new(name: impl Into<String>, weekday: Weekday, time: NaiveTime) -> Self {
        Group {
            name: name.into(),
            facilitator: None,
            weekday,
            time,
            location: String::new(),
            minutes: 60,
            active: true,
        }
    }

    /// True when an active group meets on `date`'s weekday.
    pub fn meets_on(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        self.active && date.weekday() == self.weekday
    }
}

impl Entity for Group {
    type Kind = GroupKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("group name", &self.name);
        c.text("location", &self.location, MAX_SHORT_CHARS);
        c.minutes("minutes", self.minutes);
        c.finish()
    }
}

/// One meeting of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSession {
    /// Which group met.
    pub group: GroupId,
    /// On which day.
    pub date: NaiveDate,
    /// What it was about.
    pub topic: String,
    /// Who facilitated this time.
    pub facilitator: Option<StaffId>,
    /// How long it lasted.
    pub minutes: u16,
    /// Who came (each once).
    pub attendees: Vec<PeerId>,
    /// A short note.
    pub note: String,
    /// Set when it was voided (kept, but no longer counted). Always the
    /// last field: stores of schema 1 gain it by one appended byte.
    #[serde(default)]
    pub voided: Option<super::record::Void>,
}

impl GroupSession {
    /// An empty session of `group` on `date` with the group's defaults.
    pub fn for_group(group_id: GroupId, group: &Group, date: NaiveDate) -> Self {
        GroupSession {
            group: group_id,
            date,
            topic: String::new(),
            facilitator: group.facilitator,
            minutes: group.minutes,
            attendees: Vec::new(),
            note: String::new(),
            voided: None,
        }
    }

    /// Adds an attendee; false if they were already checked off.
    pub fn add_attendee(&mut self, peer: PeerId) -> bool {
        if self.attendees.contains(&peer) {
            false
        } else {
            self.attendees.push(peer);
            true
        }
    }

    /// Removes an attendee; false if they were not there.
    pub fn remove_attendee(&mut self, peer: PeerId) -> bool {
        let before = self.attendees.len();
        self.attendees.retain(|p| *p != peer);
        before != self.attendees.len()
    }
}

impl Entity for GroupSession {
    type Kind = SessionKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.text("topic", &self.topic, MAX_NAME_CHARS);
        c.text("note", &self.note, MAX_NOTE_CHARS);
        c.minutes("minutes", self.minutes);
        let mut sorted = self.attendees.clone();
        sorted.sort();
        let before = sorted.len();
        sorted.dedup();
        if sorted.len() != before {
            c.fail("attendees", "lists a peer twice");
        }
        c.ensure(
            self.attendees.len() <= MAX_ATTENDEES,
            "attendees",
            format!(
                "{} attendees; the limit is {MAX_ATTENDEES}",
                self.attendees.len()
            ),
        );
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meets_on_its_weekday_only_when_active() {
        let mut g = Group::new(
            "Tuesday WRAP group",
            Weekday::Tue,
            NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        );
        let tue: NaiveDate = "2026-11-24".parse().unwrap();
        assert!(g.meets_on(tue));
        assert!(!g.meets_on(tue.succ_opt().unwrap()));
        g.active = false;
        assert!(!g.meets_on(tue));
    }

    #[test]
    fn attendees_are_unique() {
        let g = Group::new(
            "Art",
            Weekday::Mon,
            NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        );
        let mut s = GroupSession::for_group(GroupId::new(1), &g, "2026-11-23".parse().unwrap());
        assert!(s.add_attendee(PeerId::new(3)));
        assert!(!s.add_attendee(PeerId::new(3)));
        assert!(s.validate().is_ok());
        s.attendees.push(PeerId::new(3));
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "attendees: lists a peer twice"
        );
        assert!(s.remove_attendee(PeerId::new(3)));
    }
}
