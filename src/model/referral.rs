//! Community resources and the referrals made to them.
//!
//! A resource is an entry of the organization's directory (a food bank, a
//! crisis line, a recovery meeting); a referral connects one peer with one
//! resource and keeps every status change with its date, so staff can see
//! whether the connection was made and follow up when it goes quiet.
//! Pure: no store, no terminal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::choice::choice_enum;
use super::dates::days_between;
use super::ids::{CheckInId, PeerId, ReferralKind, ResourceId, ResourceKind, StaffId};
use super::record::{Entity, Record};
use super::settings::Settings;
use super::today::{Section, TodayPeer, TodayRow};
use super::validate::{Checker, ValidationError, MAX_NOTE_CHARS, MAX_SHORT_CHARS};

/// Most status changes one referral keeps (a referral is followed up a
/// few times, not hundreds).
pub const MAX_REFERRAL_UPDATES: usize = 200;

/// Most status changes one save of a referral may add: the command line
/// and the screens record one change at a time, so a save that adds more
/// is not theirs.
pub const MAX_NEW_REFERRAL_UPDATES: usize = 1;

choice_enum!(
    /// What kind of help a resource gives (the directory's categories and
    /// the funder report's rows).
    ResourceCategory, "category" {
        /// Shelter, housing search, rent help.
        Housing = ("housing", "housing"),
        /// Food banks, meals.
        Food = ("food", "food"),
        /// Jobs, training.
        Employment = ("employment", "employment"),
        /// Clinics, primary care.
        Health = ("health", "health"),
        /// Mental health services.
        MentalHealth = ("mental-health", "mental health"),
        /// Mutual-aid and recovery meetings.
        RecoveryMeetings = ("recovery-meetings", "recovery meetings"),
        /// Legal aid.
        Legal = ("legal", "legal"),
        /// Rides, bus passes.
        Transportation = ("transportation", "transportation"),
        /// Crisis lines and crisis teams: always on the take-home card.
        Crisis = ("crisis", "crisis"),
        /// Anything else.
        Other = ("other", "other"),
    }
);

choice_enum!(
    /// Where a referral stands.
    ReferralStatus, "status" {
        /// Made; the peer has not connected yet.
        Made = ("made", "made"),
        /// The peer connected with the resource.
        Connected = ("connected", "connected"),
        /// The peer decided not to go.
        Declined = ("declined", "declined"),
        /// Nobody answered yet (the peer or the resource): still to follow up.
        NoResponse = ("no-response", "no response"),
        /// Finished with.
        Closed = ("closed", "closed"),
    }
);

impl ReferralStatus {
    /// True while the referral still needs following up: made, or waiting
    /// for a response. Connected, declined and closed are outcomes.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Made | ReferralStatus::NoResponse)
    }
}

/// One entry of the community resource directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// Its name ("Eastside Food Pantry").
    pub name: String,
    /// What kind of help it gives.
    pub category: ResourceCategory,
    /// Phone number, as written.
    pub phone: String,
    /// Street address.
    pub address: String,
    /// Opening hours, as written ("Mon–Fri 9–5", "24/7").
    pub hours: String,
    /// Who may use it.
    pub eligibility: String,
    /// Staff notes about the resource (never on the take-home card).
    pub notes: String,
    /// Reachable outside the center's working hours: goes on the
    /// take-home card with the crisis resources.
    pub after_hours: bool,
    /// Inactive entries keep their referrals but leave the pickers and
    /// the card.
    pub active: bool,
}

impl Resource {
    /// A new active resource with only a name and category.
    pub fn new(name: impl Into<String>, category: ResourceCategory) -> Self {
        Resource {
            name: name.into(),
            category,
            phone: String::new(),
            address: String::new(),
            hours: String::new(),
            eligibility: String::new(),
            notes: String::new(),
            after_hours: false,
            active: true,
        }
    }

    /// True when it belongs on the take-home card: active, and a crisis
    /// resource or reachable after hours.
    pub fn on_card(&self) -> bool {
        self.active && (self.category == ResourceCategory::Crisis || self.after_hours)
    }

    /// The text fuzzy search matches against: name, category and address,
    /// so "food" or "main st" find what a name alone would not.
    pub fn search_text(&self) -> String {
        use super::choice::Choice;
        format!("{} {} {}", self.name, self.category.label(), self.address)
    }
}

impl Entity for Resource {
    type Kind = ResourceKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("name", &self.name);
        c.text("phone", &self.phone, MAX_SHORT_CHARS);
        c.text("address", &self.address, MAX_SHORT_CHARS);
        c.text("hours", &self.hours, MAX_SHORT_CHARS);
        c.text("eligibility", &self.eligibility, MAX_NOTE_CHARS);
        c.text("notes", &self.notes, MAX_NOTE_CHARS);
        for (field, value) in [
            ("name", &self.name),
            ("phone", &self.phone),
            ("address", &self.address),
            ("hours", &self.hours),
        ] {
            if value.chars().any(|ch| ch == '\n' || ch == '\r') {
                c.fail(field, "must be one line");
            }
        }
        c.finish()
    }
}

/// One dated status change of a referral (the first is its making).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralUpdate {
    /// When it changed.
    pub date: NaiveDate,
    /// The status from then on.
    pub status: ReferralStatus,
    /// What happened, in the staff member's words (the outcome note).
    pub note: String,
    /// Who recorded it.
    pub by: Option<StaffId>,
}

/// A peer referred to a resource, with every status change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Who was referred.
    pub peer: PeerId,
    /// To what.
    pub resource: ResourceId,
    /// When the referral was made.
    pub date: NaiveDate,
    /// Who made it.
    pub by: Option<StaffId>,
    /// The check-in it was made at, if it was made from one.
    pub checkin: Option<CheckInId>,
    /// Every status change, oldest first; the first is "made" on `date`.
    pub history: Vec<ReferralUpdate>,
}

impl Referral {
    /// A new referral, made on `date` by `by` with an optional note.
    pub fn new(
        peer: PeerId,
        resource: ResourceId,
        date: NaiveDate,
        by: Option<StaffId>,
        note: impl Into<String>,
    ) -> Self {
        Referral {
            peer,
            resource,
            date,
            by,
            checkin: None,
            history: vec![ReferralUpdate {
                date,
                status: ReferralStatus::Made,
                note: note.into(),
                by,
            }],
        }
    }

    /// Where it stands now (the latest change's status).
    pub fn status(&self) -> ReferralStatus {
        self.history
            .last()
            .map_or(ReferralStatus::Made, |u| u.status)
    }

    /// The day of the latest change (the making, if nothing since).
    pub fn last_update(&self) -> NaiveDate {
        self.history.last().map_or(self.date, |u| u.date)
    }

    /// The outcome note: what was said with the latest change of status
    /// after the making (empty while it is only made).
    pub fn outcome(&self) -> &str {
        match self.history.last() {
            Some(u) if self.history.len() > 1 => &u.note,
            _ => "",
        }
    }

    /// True while it still needs following up.
    pub fn is_open(&self) -> bool {
        self.status().is_open()
    }

    /// Records a change of status on `date`. Refused (naming the field)
    /// when the date is before the latest change, or the note is too long;
    /// nothing changes then.
    pub fn set_status(
        &mut self,
        status: ReferralStatus,
        date: NaiveDate,
        note: impl Into<String>,
        by: Option<StaffId>,
    ) -> Result<(), ValidationError> {
        let note = note.into();
        let mut c = Checker::new();
        let last = self.last_update();
        c.ensure(
            date >= last,
            "date",
            format!("{date} is before the referral's latest change ({last})"),
        );
        c.text("note", &note, MAX_NOTE_CHARS);
        c.ensure(
            self.history.len() < MAX_REFERRAL_UPDATES,
            "status",
            format!("the referral already has {MAX_REFERRAL_UPDATES} changes; make a new one"),
        );
        c.finish()?;
        self.history.push(ReferralUpdate {
            date,
            status,
            note,
            by,
        });
        Ok(())
    }

    /// Refuses (naming the field) a saved referral `next` that is not this
    /// one with at most [`MAX_NEW_REFERRAL_UPDATES`] status changes added:
    /// its making (peer, resource, date, who made it, the check-in) never
    /// changes and its history so far is kept as it was, so the record of
    /// who connected a peer with what, and when, cannot be rewritten.
    pub fn check_amendment(&self, next: &Referral) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.ensure(
            next.peer == self.peer,
            "peer",
            format!("a referral stays with its peer ({})", self.peer),
        );
        c.ensure(
            next.resource == self.resource,
            "resource",
            format!(
                "a referral stays with its resource ({}); make a new one",
                self.resource
            ),
        );
        c.ensure(
            next.date == self.date,
            "date",
            format!(
                "the referral was made on {}; that does not change",
                self.date
            ),
        );
        c.ensure(
            next.by == self.by,
            "by",
            "who made the referral does not change",
        );
        c.ensure(
            next.checkin == self.checkin,
            "checkin",
            "the check-in the referral was made at does not change",
        );
        match self
            .history
            .iter()
            .zip(&next.history)
            .position(|(was, now)| was != now)
        {
            Some(i) => c.fail(
                "history",
                format!(
                    "change {} of {} (on {}) was changed; earlier changes are kept as recorded",
                    i + 1,
                    self.history.len(),
                    self.history[i].date
                ),
            ),
            None if next.history.len() < self.history.len() => c.fail(
                "history",
                format!(
                    "{} of its {} changes were removed; earlier changes are kept as recorded",
                    self.history.len() - next.history.len(),
                    self.history.len()
                ),
            ),
            None => c.ensure(
                next.history.len() - self.history.len() <= MAX_NEW_REFERRAL_UPDATES,
                "history",
                format!(
                    "{} changes added at once; record one change of status at a time",
                    next.history.len() - self.history.len()
                ),
            ),
        }
        c.finish()
    }

    /// The status changes `next` adds to this referral (empty when it
    /// adds none or is not an amendment of it: see
    /// [`Referral::check_amendment`]).
    pub fn added_updates<'a>(&self, next: &'a Referral) -> &'a [ReferralUpdate] {
        next.history.get(self.history.len()..).unwrap_or_default()
    }
}

impl Entity for Referral {
    type Kind = ReferralKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        match self.history.first() {
            None => c.fail("history", "must start with the referral being made"),
            Some(first) => {
                c.ensure(
                    first.status == ReferralStatus::Made,
                    "status",
                    "a referral starts as made",
                );
                c.ensure(
                    first.date == self.date,
                    "date",
                    format!(
                        "the referral is dated {} but was made on {}",
                        self.date, first.date
                    ),
                );
            }
        }
        for pair in self.history.windows(2) {
            if pair[1].date < pair[0].date {
                c.fail(
                    "history",
                    format!(
                        "a change on {} comes after one on {}",
                        pair[1].date, pair[0].date
                    ),
                );
            }
        }
        for u in &self.history {
            c.text("note", &u.note, MAX_NOTE_CHARS);
        }
        c.ensure(
            self.history.len() <= MAX_REFERRAL_UPDATES,
            "history",
            format!(
                "{} changes; the limit is {MAX_REFERRAL_UPDATES}",
                self.history.len()
            ),
        );
        c.finish()
    }
}

/// Default days an open referral may go without an update before Today
/// lists it for follow-up.
pub const DEFAULT_STALE_DAYS: u16 = 14;

/// Today's "Referrals to follow up" rows: open referrals of active peers
/// (only `for_staff`'s, if given) whose latest change is at least the
/// settings' stale days before `date`. Longest quiet first is left to
/// Today's sort; rows carry the days since the latest change.
pub fn stale_referral_rows<P: TodayPeer>(
    date: NaiveDate,
    settings: &Settings,
    referrals: &[Record<Referral>],
    peers: &[P],
    resources: &[Record<Resource>],
    for_staff: Option<StaffId>,
) -> Vec<TodayRow> {
    use super::choice::Choice;
    use std::collections::HashMap;
    let stale = i64::from(settings.referral_stale_days());
    // Looked up by id: a large center has thousands of each.
    let peers: HashMap<PeerId, &P> = peers.iter().map(|p| (p.peer_id(), p)).collect();
    let resources: HashMap<ResourceId, &Record<Resource>> =
        resources.iter().map(|r| (r.id, r)).collect();
    let mut rows = Vec::new();
    for r in referrals.iter().filter(|r| r.is_open()) {
        let Some(peer) = peers.get(&r.peer) else {
            continue;
        };
        if !peer.is_active() || (for_staff.is_some() && peer.assigned_staff() != for_staff) {
            continue;
        }
        let last = r.last_update();
        let days = days_between(last, date);
        if days < stale {
            continue;
        }
        let what = resources.get(&r.resource).map_or_else(
            || r.resource.to_string(),
            |x| format!("{} ({})", x.name, x.category.label()),
        );
        let since = if r.history.len() > 1 {
            format!("{} since {last}", r.status().label())
        } else {
            format!("made {last}")
        };
        rows.push(TodayRow {
            section: Section::ReferralsStale,
            peer: Some(peer.peer_id()),
            name: peer.display_name().to_string(),
            goal: None,
            group: None,
            session: None,
            date: Some(last),
            days: Some(days),
            why: format!(
                "referral {} to {what}: {since}, no update for {}",
                r.id,
                crate::text::count(usize::try_from(days).unwrap_or(0), "day", "days")
            ),
        });
    }
    rows
}

/// The funder report's referral figures: referrals made in the period,
/// counted by the resource's category and by where each stands now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralFigures {
    /// Referrals made in the period.
    pub made: u64,
    /// Of those, how many are still open (made or no response).
    pub open: u64,
    /// By resource category label.
    pub by_category: std::collections::BTreeMap<String, u64>,
    /// By status label (the outcome so far).
    pub by_outcome: std::collections::BTreeMap<String, u64>,
}

impl ReferralFigures {
    /// Counts one referral made in the period, to a resource of `category`.
    pub fn count(&mut self, referral: &Referral, category: Option<ResourceCategory>) {
        use super::choice::Choice;
        self.made += 1;
        if referral.is_open() {
            self.open += 1;
        }
        let category = category.map_or("unknown", |c| c.label());
        *self.by_category.entry(category.to_string()).or_default() += 1;
        *self
            .by_outcome
            .entry(referral.status().label().to_string())
            .or_default() += 1;
    }

    /// Adds another center's figures (merged reports).
    pub fn add(&mut self, other: &ReferralFigures) {
        self.made += other.made;
        self.open += other.open;
        for (k, v) in &other.by_category {
            *self.by_category.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.by_outcome {
            *self.by_outcome.entry(k.clone()).or_default() += v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::choice::Choice;
    use crate::model::peer::Peer;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_and_outcome_follow_the_history() {
        let mut r = Referral::new(
            PeerId::new(1),
            ResourceId::new(2),
            day("2026-03-01"),
            None,
            "",
        );
        assert_eq!(r.status(), ReferralStatus::Made);
        assert!(r.is_open());
        assert_eq!(r.outcome(), "");
        r.set_status(
            ReferralStatus::Connected,
            day("2026-03-05"),
            "went on Tuesday",
            None,
        )
        .unwrap();
        assert_eq!(r.status(), ReferralStatus::Connected);
        assert!(!r.is_open());
        assert_eq!(r.outcome(), "went on Tuesday");
        assert_eq!(r.last_update(), day("2026-03-05"));
        assert!(r.validate().is_ok());
    }

    #[test]
    fn a_change_before_the_last_is_refused_and_changes_nothing() {
        let mut r = Referral::new(
            PeerId::new(1),
            ResourceId::new(2),
            day("2026-03-05"),
            None,
            "",
        );
        let before = r.clone();
        let err = r
            .set_status(ReferralStatus::Closed, day("2026-03-01"), "", None)
            .unwrap_err();
        assert_eq!(err.problems[0].field, "date");
        assert_eq!(r, before);
    }

    #[test]
    fn an_amendment_only_adds_one_change_and_keeps_the_making_and_history() {
        let made = Referral::new(
            PeerId::new(1),
            ResourceId::new(2),
            day("2026-03-01"),
            Some(StaffId::new(3)),
            "needs food",
        );
        let mut next = made.clone();
        assert!(made.check_amendment(&next).is_ok(), "an unchanged save");
        next.set_status(
            ReferralStatus::Connected,
            day("2026-03-05"),
            "went",
            Some(StaffId::new(3)),
        )
        .unwrap();
        assert!(made.check_amendment(&next).is_ok(), "one change added");
        assert_eq!(made.added_updates(&next), &next.history[1..]);
        let fields = |bad: &Referral| -> Vec<String> {
            made.check_amendment(bad)
                .unwrap_err()
                .problems
                .into_iter()
                .map(|p| p.field)
                .collect()
        };
        let mut bad = next.clone();
        bad.peer = PeerId::new(9);
        bad.resource = ResourceId::new(9);
        bad.by = Some(StaffId::new(9));
        bad.checkin = Some(CheckInId::new(9));
        assert_eq!(fields(&bad), vec!["peer", "resource", "by", "checkin"]);
        let mut bad = next.clone();
        bad.date = day("2026-02-01");
        bad.history[0].date = day("2026-02-01");
        assert_eq!(fields(&bad), vec!["date", "history"]);
        let mut bad = next.clone();
        bad.history[0].note = "nothing was said".into();
        let err = made.check_amendment(&bad).unwrap_err();
        assert!(err.to_string().contains("change 1 of 1"), "{err}");
        let mut bad = next.clone();
        bad.history[0].by = Some(StaffId::new(9));
        assert_eq!(fields(&bad), vec!["history"]);
        let mut bad = made.clone();
        bad.history.clear();
        assert_eq!(fields(&bad), vec!["history"]);
        let mut bad = next.clone();
        bad.set_status(ReferralStatus::Closed, day("2026-03-06"), "", None)
            .unwrap();
        let err = made.check_amendment(&bad).unwrap_err();
        assert!(err.to_string().contains("2 changes added"), "{err}");
        assert!(made.added_updates(&made).is_empty());
    }

    #[test]
    fn resources_are_checked_field_by_field() {
        let mut x = Resource::new("  ", ResourceCategory::Food);
        x.phone = "555\n1234".into();
        let err = x.validate().unwrap_err();
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"name"), "{err}");
        assert!(fields.contains(&"phone"), "{err}");
        assert_eq!(
            ResourceCategory::parse_choice("Mental Health"),
            Ok(ResourceCategory::MentalHealth)
        );
        assert!(ResourceCategory::parse_choice("spa")
            .unwrap_err()
            .to_string()
            .contains("category"));
    }

    #[test]
    fn only_crisis_and_after_hours_resources_go_on_the_card() {
        let mut food = Resource::new("Pantry", ResourceCategory::Food);
        assert!(!food.on_card());
        food.after_hours = true;
        assert!(food.on_card());
        let mut line = Resource::new("Crisis line", ResourceCategory::Crisis);
        assert!(line.on_card());
        line.active = false;
        assert!(!line.on_card());
    }

    #[test]
    fn quiet_open_referrals_of_active_peers_are_listed_from_the_stale_day_on() {
        use crate::model::{Actor, Meta};
        let meta = Meta::created(chrono::Utc::now(), &Actor::login("t"));
        let peer = |id: u64, name: &str, staff: Option<u64>, active: bool| {
            let mut p = Peer::new(name, day("2026-01-01"));
            p.assigned_staff = staff.map(StaffId::new);
            if !active {
                p.discharge(day("2026-02-01"), "moved".into());
            }
            Record {
                id: PeerId::new(id),
                meta: meta.clone(),
                data: p,
            }
        };
        let peers = vec![
            peer(1, "Ana", Some(1), true),
            peer(2, "Bo", Some(2), true),
            peer(3, "Cy", Some(1), false),
        ];
        let resources = vec![Record {
            id: ResourceId::new(1),
            meta: meta.clone(),
            data: Resource::new("Pantry", ResourceCategory::Food),
        }];
        let referral = |id: u64, peer: u64| Record {
            id: crate::model::ReferralId::new(id),
            meta: meta.clone(),
            data: Referral::new(
                PeerId::new(peer),
                ResourceId::new(1),
                day("2026-03-01"),
                None,
                "",
            ),
        };
        let mut closed = referral(4, 1);
        closed
            .data
            .set_status(ReferralStatus::Closed, day("2026-03-02"), "", None)
            .unwrap();
        let list = vec![referral(1, 1), referral(2, 2), referral(3, 3), closed];
        let settings = Settings::default();
        let rows = |date: &str, staff: Option<u64>| {
            stale_referral_rows(
                day(date),
                &settings,
                &list,
                &peers,
                &resources,
                staff.map(StaffId::new),
            )
        };
        assert!(rows("2026-03-14", None).is_empty(), "13 days");
        let all = rows("2026-03-15", None);
        let who: Vec<u64> = all.iter().filter_map(|r| r.peer).map(|p| p.raw()).collect();
        assert_eq!(who, vec![1, 2], "discharged and closed ones are left out");
        assert_eq!(all[0].days, Some(14));
        assert!(all[0].why.contains("Pantry (food)"), "{}", all[0].why);
        let mine = rows("2026-03-15", Some(1));
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].peer, Some(PeerId::new(1)));
    }
}
