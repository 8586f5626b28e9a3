//! Check-ins: each contact between a staff member and a peer.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::choice::choice_enum;
use super::ids::{CheckInKind, GoalId, PeerId, StaffId};
use super::record::Entity;
use super::validate::{Checker, ValidationError, MAX_NOTE_CHARS};

/// Most goals one check-in may touch.
pub const MAX_GOALS_PER_CHECKIN: usize = 32;

choice_enum!(
    /// How the contact happened.
    CheckInMode, "mode" {
        /// Face to face at the center or elsewhere.
        InPerson = ("in-person", "in person"),
        /// Phone call.
        Phone = ("phone", "phone"),
        /// Text messages.
        Text = ("text", "text"),
        /// Video call.
        Video = ("video", "video"),
        /// Street or community outreach.
        Outreach = ("outreach", "outreach"),
    }
);

choice_enum!(
    /// The four kinds of social support peer specialists give.
    SupportKind, "support kind" {
        /// Empathy, caring, encouragement.
        Emotional = ("emotional", "emotional"),
        /// Knowledge, skills, referrals.
        Informational = ("informational", "informational"),
        /// Concrete help: rides, forms, a phone.
        Instrumental = ("instrumental", "instrumental"),
        /// Belonging, connection to community.
        Affiliational = ("affiliational", "affiliational"),
    }
);

/// Lowest and highest wellbeing rating.
pub const WELLBEING_RANGE: std::ops::RangeInclusive<u8> = 1..=5;

/// One contact with a peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    /// Who was supported.
    pub peer: PeerId,
    /// Who gave the support.
    pub staff: StaffId,
    /// When it began, in the local time where it happened.
    pub at: DateTime<FixedOffset>,
    /// How long it lasted.
    pub minutes: u16,
    /// How it happened.
    pub mode: CheckInMode,
    /// Which kinds of support were given (no duplicates, in order).
    pub support: Vec<SupportKind>,
    /// Goals of the peer's plan that it touched.
    pub goals: Vec<GoalId>,
    /// The peer's own wellbeing rating, 1 (low) to 5 (high), if asked.
    pub wellbeing: Option<u8>,
    /// A short, strengths-based note.
    pub note: String,
    /// When to be in touch next, if planned.
    pub follow_up: Option<NaiveDate>,
    /// Set when it was voided (kept, but no longer counted). Always the
    /// last field: stores of schema 1 gain it by one appended byte.
    #[serde(default)]
    pub voided: Option<super::record::Void>,
}

impl CheckIn {
    /// A check-in with the common defaults: 15 minutes in person.
    pub fn new(peer: PeerId, staff: StaffId, at: DateTime<FixedOffset>) -> Self {
        CheckIn {
            peer,
            staff,
            at,
            minutes: 15,
            mode: CheckInMode::InPerson,
            support: Vec::new(),
            goals: Vec::new(),
            wellbeing: None,
            note: String::new(),
            follow_up: None,
            voided: None,
        }
    }

    /// The local day on which it happened.
    pub fn day(&self) -> NaiveDate {
        self.at.date_naive()
    }

    /// Adds a support kind once, keeping the canonical order.
    pub fn add_support(&mut self, kind: SupportKind) {
        if !self.support.contains(&kind) {
            self.support.push(kind);
            self.support.sort();
        }
    }
}

impl Entity for CheckIn {
    type Kind = CheckInKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.minutes("minutes", self.minutes);
        if let Some(w) = self.wellbeing {
            c.ensure(
                WELLBEING_RANGE.contains(&w),
                "wellbeing",
                format!("{w} is out of range; give 1 to 5"),
            );
        }
        c.text("note", &self.note, MAX_NOTE_CHARS);
        if let Some(f) = self.follow_up {
            c.ensure(
                f >= self.day(),
                "follow-up",
                format!("{f} is before the check-in itself ({})", self.day()),
            );
        }
        let mut seen = self.support.clone();
        seen.dedup();
        c.ensure(
            seen.len() == self.support.len(),
            "support",
            "lists a kind twice",
        );
        c.ensure(
            self.goals.len() <= MAX_GOALS_PER_CHECKIN,
            "goals",
            format!(
                "{} goals; the limit is {MAX_GOALS_PER_CHECKIN}",
                self.goals.len()
            ),
        );
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn defaults_are_fifteen_minutes_in_person() {
        let c = CheckIn::new(
            PeerId::new(1),
            StaffId::new(1),
            at("2026-11-23T10:00:00-05:00"),
        );
        assert_eq!(c.minutes, 15);
        assert_eq!(c.mode, CheckInMode::InPerson);
        assert!(c.validate().is_ok());
        assert_eq!(c.day(), "2026-11-23".parse::<NaiveDate>().unwrap());
    }

    #[test]
    fn local_day_follows_the_recorded_offset() {
        let c = CheckIn::new(
            PeerId::new(1),
            StaffId::new(1),
            at("2026-11-23T23:30:00-05:00"),
        );
        assert_eq!(c.day().to_string(), "2026-11-23");
    }

    #[test]
    fn support_kinds_stay_unique_and_ordered() {
        let mut c = CheckIn::new(PeerId::new(1), StaffId::new(1), at("2026-11-23T10:00:00Z"));
        c.add_support(SupportKind::Instrumental);
        c.add_support(SupportKind::Emotional);
        c.add_support(SupportKind::Instrumental);
        assert_eq!(
            c.support,
            vec![SupportKind::Emotional, SupportKind::Instrumental]
        );
    }

    #[test]
    fn bad_values_are_named() {
        let mut c = CheckIn::new(PeerId::new(1), StaffId::new(1), at("2026-11-23T10:00:00Z"));
        c.minutes = 1441;
        c.wellbeing = Some(6);
        c.follow_up = Some("2026-11-22".parse().unwrap());
        let msg = c.validate().unwrap_err().to_string();
        assert!(msg.contains("minutes: 1441 is out of range"), "{msg}");
        assert!(msg.contains("wellbeing: 6 is out of range"), "{msg}");
        assert!(msg.contains("follow-up: 2026-11-22 is before"), "{msg}");
    }

    #[test]
    fn modes_list_valid_values_when_unknown() {
        let err = "carrier pigeon"
            .parse::<CheckInMode>()
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown mode 'carrier pigeon' (valid: in-person, phone, text, video, outreach)"
        );
        assert_eq!(
            "In Person".parse::<CheckInMode>(),
            Ok(CheckInMode::InPerson)
        );
    }
}
