//! Peers: the people a peer-run organization supports.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::choice::choice_enum;
use super::ids::{PeerKind, StaffId};
use super::record::Entity;
use super::validate::{Checker, ValidationError, MAX_NOTE_CHARS, MAX_SHORT_CHARS};

/// Longest contact cadence a peer can ask for (one year).
pub const MAX_CADENCE_DAYS: u16 = 366;
/// Most tags one peer may carry.
pub const MAX_TAGS: usize = 32;
/// Most entries in one wellness-plan list.
pub const MAX_PLAN_ENTRIES: usize = 100;

choice_enum!(
    /// Whether a peer is currently being supported.
    PeerStatus, "peer status" {
        /// Currently supported; appears on Today.
        Active = ("active", "active"),
        /// Taking a break; kept on the roster, off Today.
        Inactive = ("inactive", "inactive"),
        /// No longer supported; history kept.
        Discharged = ("discharged", "discharged"),
    }
);

choice_enum!(
    /// How a peer prefers to be reached.
    ContactPreference, "contact preference" {
        /// Phone call.
        Phone = ("phone", "phone"),
        /// Text message.
        Text = ("text", "text"),
        /// E-mail.
        Email = ("email", "e-mail"),
        /// At the center.
        InPerson = ("in-person", "in person"),
        /// Video call.
        Video = ("video", "video"),
    }
);

choice_enum!(
    /// An age band, for funders' counts (only where the organization turns
    /// the field on in settings).
    AgeBand, "age band" {
        /// Younger than 18.
        Under18 = ("under-18", "under 18"),
        /// 18 to 24.
        From18To24 = ("18-24", "18-24"),
        /// 25 to 34.
        From25To34 = ("25-34", "25-34"),
        /// 35 to 44.
        From35To44 = ("35-44", "35-44"),
        /// 45 to 54.
        From45To54 = ("45-54", "45-54"),
        /// 55 to 64.
        From55To64 = ("55-64", "55-64"),
        /// 65 and older.
        From65 = ("65-plus", "65+"),
    }
);

/// Optional demographics some funders ask for, each given only if the
/// peer wants to and the organization turns the field on in settings;
/// reports show them only as counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demographics {
    /// Age band.
    pub age_band: Option<AgeBand>,
    /// Gender identity, in their own words.
    pub gender_identity: Option<String>,
    /// Whether they served in the armed forces.
    pub veteran: Option<bool>,
    /// The county they live in.
    pub county: Option<String>,
}

/// A peer's own wellness plan (in the spirit of a Wellness Recovery Action
/// Plan): lists in the peer's words that they own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WellnessPlan {
    /// What they do every day to stay well.
    pub daily_maintenance: Vec<String>,
    /// Events that can make them feel worse.
    pub triggers: Vec<String>,
    /// Signs that things are starting to slip.
    pub early_warning_signs: Vec<String>,
    /// What helps when they do.
    pub what_helps: Vec<String>,
    /// Who they want called, and how.
    pub who_to_call: Vec<String>,
}

impl WellnessPlan {
    /// The five lists with their on-screen titles, in plan order.
    pub fn sections(&self) -> [(&'static str, &Vec<String>); 5] {
        [
            ("Daily maintenance", &self.daily_maintenance),
            ("Triggers", &self.triggers),
            ("Early warning signs", &self.early_warning_signs),
            ("What helps", &self.what_helps),
            ("Who to call", &self.who_to_call),
        ]
    }

    /// True when no list has an entry.
    pub fn is_empty(&self) -> bool {
        self.sections().iter().all(|(_, l)| l.is_empty())
    }
}

/// A peer on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    /// The name they want to be called; what every screen shows.
    pub display_name: String,
    /// Legal name, only where a funder needs it.
    pub legal_name: Option<String>,
    /// Pronouns in their own words.
    pub pronouns: Option<String>,
    /// Phone number as given.
    pub phone: Option<String>,
    /// E-mail address as given.
    pub email: Option<String>,
    /// How they like to be reached.
    pub preferred_contact: Option<ContactPreference>,
    /// First day with the organization.
    pub intake_date: NaiveDate,
    /// Active, inactive or discharged.
    pub status: PeerStatus,
    /// Since when the status holds.
    pub status_since: NaiveDate,
    /// Why the status changed (for inactive and discharged).
    pub status_reason: Option<String>,
    /// The staff member who mainly supports them.
    pub assigned_staff: Option<StaffId>,
    /// How often, in days, they want to be checked on.
    pub cadence_days: Option<u16>,
    /// Who to call in an emergency, as given.
    pub emergency_contact: Option<String>,
    /// Short labels for finding and reporting ("veteran", "WRAP").
    pub tags: Vec<String>,
    /// Free notes.
    pub notes: String,
    /// Their wellness plan, if they keep one here.
    pub wellness_plan: WellnessPlan,
    /// Optional demographics. Stores of schema 2
    /// gain it by four appended bytes (postcard's `None` four times).
    #[serde(default)]
    pub demographics: Demographics,
    /// Each time with the organization that has ended, and each
    /// re-admission, oldest first (the first time began on `intake_date`).
    /// Always the last field: stores of schema 4 gain it by one appended
    /// byte (an empty list).
    #[serde(default)]
    pub episodes: Vec<Episode>,
}

/// One time with the organization: from intake or a re-admission to a
/// discharge (open while the peer is still with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// When it began (the intake date, or the day of re-admission).
    pub start: NaiveDate,
    /// When it ended, if it has.
    pub end: Option<NaiveDate>,
    /// Why it ended, as given at discharge.
    pub reason: Option<String>,
}

impl Peer {
    /// A new active peer with only a name and intake date.
    pub fn new(display_name: impl Into<String>, intake_date: NaiveDate) -> Self {
        Peer {
            display_name: display_name.into(),
            legal_name: None,
            pronouns: None,
            phone: None,
            email: None,
            preferred_contact: None,
            intake_date,
            status: PeerStatus::Active,
            status_since: intake_date,
            status_reason: None,
            assigned_staff: None,
            cadence_days: None,
            emergency_contact: None,
            tags: Vec::new(),
            notes: String::new(),
            wellness_plan: WellnessPlan::default(),
            demographics: Demographics::default(),
            episodes: Vec::new(),
        }
    }

    /// Every episode, oldest first, the current one (if open) last: the
    /// kept ones, with the first (from intake) added when none is kept.
    pub fn all_episodes(&self) -> Vec<Episode> {
        if self.episodes.is_empty() {
            return vec![Episode {
                start: self.intake_date,
                end: (self.status == PeerStatus::Discharged).then_some(self.status_since),
                reason: None,
            }];
        }
        self.episodes.clone()
    }

    /// Discharges the peer on `on`, ending the open episode with `reason`.
    pub fn discharge(&mut self, on: NaiveDate, reason: String) {
        let mut eps = self.all_episodes();
        if let Some(last) = eps.last_mut() {
            if last.end.is_none() {
                last.end = Some(on);
                last.reason = Some(reason.clone());
            }
        }
        self.episodes = eps;
        self.set_status(PeerStatus::Discharged, on, Some(reason));
    }

    /// Re-admits a discharged peer on `on`, opening a new episode.
    pub fn readmit(&mut self, on: NaiveDate) {
        let mut eps = self.all_episodes();
        eps.push(Episode {
            start: on,
            end: None,
            reason: None,
        });
        self.episodes = eps;
        self.set_status(PeerStatus::Active, on, None);
    }

    /// True when the peer is currently supported.
    pub fn is_active(&self) -> bool {
        self.status == PeerStatus::Active
    }

    /// Changes the status, recording since when and why.
    pub fn set_status(&mut self, status: PeerStatus, on: NaiveDate, reason: Option<String>) {
        self.status = status;
        self.status_since = on;
        self.status_reason = reason;
    }

    /// Refuses (naming the field) a saved peer `next` that rewrites their
    /// time with the organization: every episode that has ended is kept as
    /// it was, the open one keeps its start (a discharge ends it), and a
    /// save adds at most one (a re-admission). Without kept episodes
    /// (`episodes` empty: one time, from intake) anything else about the
    /// peer changes freely.
    pub fn check_amendment(&self, next: &Peer) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        if next.episodes.is_empty() {
            c.ensure(
                self.episodes.is_empty(),
                "episodes",
                format!(
                    "all {} kept episodes were removed; episodes are kept as recorded",
                    self.episodes.len()
                ),
            );
            return c.finish();
        }
        let was = self.all_episodes();
        let now = &next.episodes;
        for (i, (w, n)) in was.iter().zip(now).enumerate() {
            let open = w.end.is_none() && i + 1 == was.len();
            let kept = if open { w.start == n.start } else { w == n };
            if !kept {
                c.fail(
                    "episodes",
                    format!(
                        "episode {} of {} (from {}) was changed; episodes are kept as recorded",
                        i + 1,
                        was.len(),
                        w.start
                    ),
                );
                break;
            }
        }
        if now.len() < was.len() {
            c.fail(
                "episodes",
                format!(
                    "{} of {} episodes were removed; episodes are kept as recorded",
                    was.len() - now.len(),
                    was.len()
                ),
            );
        } else if now.len() > was.len() + 1 {
            c.fail(
                "episodes",
                format!(
                    "{} episodes added at once; re-admit one at a time",
                    now.len() - was.len()
                ),
            );
        }
        c.finish()
    }
}

impl Entity for Peer {
    type Kind = PeerKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("display name", &self.display_name);
        if let Some(l) = &self.legal_name {
            c.text("legal name", l, super::validate::MAX_NAME_CHARS);
        }
        c.short("pronouns", self.pronouns.as_deref());
        c.short("phone", self.phone.as_deref());
        c.short("email", self.email.as_deref());
        if let Some(e) = &self.email {
            c.ensure(
                e.is_empty() || e.contains('@'),
                "email",
                format!("'{e}' has no @"),
            );
        }
        c.text(
            "emergency contact",
            self.emergency_contact.as_deref().unwrap_or(""),
            MAX_SHORT_CHARS * 2,
        );
        if let Some(r) = &self.status_reason {
            c.text("status reason", r, MAX_NOTE_CHARS);
        }
        c.ensure(
            self.status_since >= self.intake_date,
            "status date",
            format!(
                "{} is before the intake date {}",
                self.status_since, self.intake_date
            ),
        );
        if let Some(d) = self.cadence_days {
            c.ensure(
                (1..=MAX_CADENCE_DAYS).contains(&d),
                "cadence days",
                format!("{d} is out of range; give 1 to {MAX_CADENCE_DAYS} days"),
            );
        }
        c.ensure(
            self.tags.len() <= MAX_TAGS,
            "tags",
            format!("{} tags; the limit is {MAX_TAGS}", self.tags.len()),
        );
        for t in &self.tags {
            if t.trim().is_empty() {
                c.fail("tags", "a tag must not be empty");
            }
            c.text("tag", t, MAX_SHORT_CHARS);
        }
        c.text("notes", &self.notes, MAX_NOTE_CHARS);
        c.short(
            "gender identity",
            self.demographics.gender_identity.as_deref(),
        );
        c.short("county", self.demographics.county.as_deref());
        for (title, list) in self.wellness_plan.sections() {
            let field = format!("wellness plan: {}", title.to_lowercase());
            c.ensure(
                list.len() <= MAX_PLAN_ENTRIES,
                &field,
                format!("{} entries; the limit is {MAX_PLAN_ENTRIES}", list.len()),
            );
            for entry in list {
                c.text(&field, entry, MAX_NOTE_CHARS);
            }
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

    #[test]
    fn a_new_peer_is_valid_and_active() {
        let p = Peer::new("Zoë Ångström", d("2026-01-05"));
        assert!(p.validate().is_ok());
        assert!(p.is_active());
        assert_eq!(p.status_since, d("2026-01-05"));
    }

    #[test]
    fn validation_reports_each_bad_field() {
        let mut p = Peer::new(" ", d("2026-01-05"));
        p.cadence_days = Some(0);
        p.email = Some("nope".into());
        p.status_since = d("2025-12-31");
        p.notes = "n".repeat(MAX_NOTE_CHARS + 1);
        let msg = p.validate().unwrap_err().to_string();
        for want in [
            "display name",
            "cadence days: 0",
            "email: 'nope'",
            "status date",
            "notes: is 10001",
        ] {
            assert!(msg.contains(want), "missing {want:?} in {msg}");
        }
    }

    #[test]
    fn status_change_records_date_and_reason() {
        let mut p = Peer::new("Ana", d("2026-01-05"));
        p.set_status(
            PeerStatus::Discharged,
            d("2026-06-01"),
            Some("moved away".into()),
        );
        assert!(!p.is_active());
        assert_eq!(p.status_reason.as_deref(), Some("moved away"));
    }
}
