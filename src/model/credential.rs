//! Staff credentials: certifications with their continuing-education
//! requirement, continuing-education (CE) hours and supervision sessions,
//! and the one rule of a renewal period.
//!
//! Hours are kept in tenths ([`Hours`]), so "1.5" is exact and sums never
//! drift. A certification's renewal periods run back to back from the day
//! it was issued, each `period_months` long; the *current* period is the
//! one containing the day asked about. Every CE entry of the staff member
//! dated inside that period counts toward every certification they hold
//! (boards commonly accept one course for several credentials), and an
//! entry whose category is "ethics" also counts toward the ethics share.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::choice::choice_enum;
use super::ids::{CertificationKind, CeuKind, StaffId, SupervisionKind};
use super::permission::Permission;
use super::record::{Entity, Record};
use super::staff::Role;
use super::validate::{Checker, ValidationError, MAX_NAME_CHARS, MAX_SHORT_CHARS};

/// Most hours one CE entry may carry (a whole day).
pub const MAX_ENTRY_HOURS: Hours = Hours(240);
/// Most hours a requirement may ask for per period.
pub const MAX_REQUIRED_HOURS: Hours = Hours(10_000);
/// Longest renewal period, in months (ten years).
pub const MAX_PERIOD_MONTHS: u16 = 120;
/// Longest supervision note (a short note, not a record of the talk).
pub const MAX_SUPERVISION_NOTE_CHARS: usize = 500;
/// Days ahead an expiry shows on Today.
pub const EXPIRY_WARNING_DAYS: i64 = 60;
/// The category whose hours count toward the ethics share.
pub const ETHICS: &str = "ethics";

/// Hours with one decimal place, kept as tenths: `Hours(15)` is 1.5 hours.
/// JSON carries them as text ("1.5") so an export reads as typed and never
/// rounds; the store keeps the number of tenths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(pub u32);

impl Hours {
    /// Zero hours.
    pub const ZERO: Hours = Hours(0);

    /// Reads hours typed by a user ("1.5", "2", "0.5"), naming `field` in
    /// any problem: at most one decimal place, not negative.
    pub fn parse(field: &str, text: &str) -> Result<Hours, ValidationError> {
        let t = text.trim();
        let bad = |why: &str| {
            ValidationError::one(
                field,
                format!(
                    "'{}' {why}",
                    crate::text::escape_line(t)
                        .chars()
                        .take(40)
                        .collect::<String>()
                ),
            )
        };
        if t.starts_with('-') {
            return Err(bad("is negative; give hours like 1.5"));
        }
        let (whole, tenth) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && tenth.is_empty()) || !digits(whole) || !digits(tenth) {
            return Err(bad("is not a number of hours; give hours like 1.5"));
        }
        if tenth.len() > 1 {
            return Err(bad("has more than one decimal place; give hours like 1.5"));
        }
        let w: u32 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| bad("is too large a number of hours"))?
        };
        let f: u32 = if tenth.is_empty() {
            0
        } else {
            tenth.parse().map_err(|_| bad("is not a number of hours"))?
        };
        w.checked_mul(10)
            .and_then(|x| x.checked_add(f))
            .map(Hours)
            .ok_or_else(|| bad("is too large a number of hours"))
    }

    /// The sum, saturating.
    pub fn plus(self, other: Hours) -> Hours {
        Hours(self.0.saturating_add(other.0))
    }

    /// What is left of `self` after `other` (never below zero).
    pub fn less(self, other: Hours) -> Hours {
        Hours(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_u32(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Hours::parse("hours", &s).map_err(serde::de::Error::custom)
        } else {
            Ok(Hours(u32::deserialize(d)?))
        }
    }
}

/// What a certification asks for each renewal period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// CE hours per period, ethics included.
    pub hours: Hours,
    /// Of those, hours in ethics.
    pub ethics: Hours,
    /// How long a period is, in months (24 for a two-year renewal).
    pub period_months: u16,
}

/// A certification a staff member holds (e.g. a state peer-specialist
/// credential).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// Whose it is.
    pub staff: StaffId,
    /// Its name ("Certified Peer Recovery Specialist").
    pub name: String,
    /// The issuing body or state.
    pub issuer: String,
    /// The certificate number (may be empty).
    pub number: String,
    /// When it was issued: renewal periods run from this day.
    pub issued: NaiveDate,
    /// When it expires, if it does.
    pub expires: Option<NaiveDate>,
    /// The CE hours it asks for, if any.
    pub requirement: Option<Requirement>,
}

impl Entity for Certification {
    type Kind = CertificationKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("name", &self.name);
        c.text("issuer", &self.issuer, MAX_NAME_CHARS);
        c.text("number", &self.number, MAX_SHORT_CHARS);
        if let Some(e) = self.expires {
            c.ensure(
                e > self.issued,
                "expires",
                format!("{e} is not after the issue date {}", self.issued),
            );
        }
        if let Some(r) = self.requirement {
            c.ensure(
                r.hours <= MAX_REQUIRED_HOURS,
                "required hours",
                format!("{} is more than {MAX_REQUIRED_HOURS}", r.hours),
            );
            c.ensure(
                r.ethics <= r.hours,
                "ethics hours",
                format!("{} is more than the {} hours required", r.ethics, r.hours),
            );
            c.ensure(
                (1..=MAX_PERIOD_MONTHS).contains(&r.period_months),
                "period",
                format!(
                    "{} months is out of range; give 1 to {MAX_PERIOD_MONTHS}",
                    r.period_months
                ),
            );
        }
        c.finish()
    }
}

/// One continuing-education entry: a course, workshop or training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeuEntry {
    /// Whose hours they are.
    pub staff: StaffId,
    /// When it took place.
    pub date: NaiveDate,
    /// Its title.
    pub title: String,
    /// Who offered it (may be empty).
    pub provider: String,
    /// Hours earned, 0.1 to 24.
    pub hours: Hours,
    /// Its category ("general", "ethics", …); "ethics" counts toward the
    /// ethics share.
    pub category: String,
}

impl CeuEntry {
    /// True if its hours count toward the ethics share.
    pub fn is_ethics(&self) -> bool {
        self.category.trim().eq_ignore_ascii_case(ETHICS)
    }
}

/// Checks hours of one CE entry: more than zero, at most a day.
pub fn check_entry_hours(c: &mut Checker, field: &str, hours: Hours) {
    c.ensure(
        hours > Hours::ZERO && hours <= MAX_ENTRY_HOURS,
        field,
        format!("{hours} is out of range; give 0.1 to {MAX_ENTRY_HOURS} hours"),
    );
}

impl Entity for CeuEntry {
    type Kind = CeuKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("title", &self.title);
        c.text("provider", &self.provider, MAX_NAME_CHARS);
        check_entry_hours(&mut c, "hours", self.hours);
        c.name("category", &self.category);
        c.text("category", &self.category, MAX_SHORT_CHARS);
        c.finish()
    }
}

choice_enum!(
    /// Whether a supervision session was one to one or in a group.
    SupervisionMode, "supervision kind" {
        /// One supervisor, one supervisee.
        Individual = ("individual", "individual"),
        /// Several supervisees together.
        Group = ("group", "group"),
    }
);

/// A session's certifications, CE entries and supervision sessions read
/// together (Today's "Credentials expiring" needs all three): one request
/// where there were three.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CredentialRecords {
    /// Certifications, by id.
    pub certifications: Vec<Record<Certification>>,
    /// Continuing-education entries, by id.
    pub ceu_entries: Vec<Record<CeuEntry>>,
    /// Supervision sessions, by id (notes only where the reader may see them).
    pub supervisions: Vec<Record<Supervision>>,
}

/// One supervision session of a staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    /// Who was supervised.
    pub staff: StaffId,
    /// Who supervised.
    pub supervisor: StaffId,
    /// When.
    pub date: NaiveDate,
    /// How long, in minutes.
    pub minutes: u16,
    /// One to one or in a group.
    pub mode: SupervisionMode,
    /// A short note, for the two of them and admins only: the authorizing
    /// layer leaves it out (`None`) for anyone else.
    pub note: Option<String>,
}

impl Entity for Supervision {
    type Kind = SupervisionKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.ensure(
            self.staff != self.supervisor,
            "with",
            format!("{} cannot supervise themselves", self.staff),
        );
        c.minutes("minutes", self.minutes);
        if let Some(n) = &self.note {
            c.text("note", n, MAX_SUPERVISION_NOTE_CHARS);
        }
        c.finish()
    }
}

/// A renewal period: from `start` (inclusive) to `end` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Its first day.
    pub start: NaiveDate,
    /// The day after its last.
    pub end: NaiveDate,
}

impl Period {
    /// True if `date` falls inside it.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// Its last day.
    pub fn last_day(&self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.end)
    }
}

fn months_after(start: NaiveDate, months: u64) -> Option<NaiveDate> {
    let m = u32::try_from(months).ok()?;
    start.checked_add_months(Months::new(m))
}

/// The renewal period of `months` months, counted from `issued`, that
/// contains `on` (the first period when `on` is before `issued`). Each
/// period starts `k × months` after the issue day, clamped to the month's
/// last day (issued 31 January, monthly: 28 February, 31 March, …).
pub fn period_containing(issued: NaiveDate, months: u16, on: NaiveDate) -> Option<Period> {
    use chrono::Datelike;
    let len = u64::from(months.max(1));
    let span = (i64::from(on.year()) - i64::from(issued.year())) * 12
        + (i64::from(on.month()) - i64::from(issued.month()));
    let mut k = u64::try_from(span.max(0)).ok()? / len;
    // The estimate may be one period late (the day of the month not yet
    // reached): step back until the period starts on or before `on`.
    while k > 0 && months_after(issued, k * len)? > on {
        k -= 1;
    }
    let start = months_after(issued, k * len)?;
    let end = months_after(issued, (k + 1) * len)?;
    Some(Period { start, end })
}

/// Where one certification stands on a day: the current period, hours
/// earned and still needed, and its expiry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// The certification.
    pub certification: Record<Certification>,
    /// The current renewal period, if it has a requirement.
    pub period: Option<Period>,
    /// CE hours earned in the period.
    pub earned: Hours,
    /// Of those, ethics.
    pub ethics_earned: Hours,
    /// Hours still needed this period (ethics included).
    pub needed: Hours,
    /// Ethics hours still needed this period.
    pub ethics_needed: Hours,
    /// Days until it expires (negative: expired), if it expires.
    pub expires_in: Option<i64>,
}

impl Standing {
    /// Hours still needed, as a sentence ("4.5 hours still needed by
    /// 2027-02-28, 1.0 of them ethics"); `None` when nothing is needed.
    pub fn needed_text(&self) -> Option<String> {
        let period = self.period?;
        if self.needed == Hours::ZERO && self.ethics_needed == Hours::ZERO {
            return None;
        }
        let mut s = format!(
            "{} hours still needed by {}",
            self.needed,
            period.last_day()
        );
        if self.ethics_needed > Hours::ZERO {
            s.push_str(&format!(", {} of them ethics", self.ethics_needed));
        }
        Some(s)
    }

    /// The expiry, as a phrase ("expires 2027-01-10, in 30 days").
    pub fn expiry_text(&self) -> Option<String> {
        let e = self.certification.expires?;
        let days = self.expires_in?;
        Some(match days {
            -1 => format!("expired {e}, yesterday"),
            d if d < 0 => format!("expired {e}, {} days ago", -d),
            0 => format!("expires {e}, today"),
            1 => format!("expires {e}, tomorrow"),
            d => format!("expires {e}, in {d} days"),
        })
    }
}

/// Where `cert` stands on `on`, given the staff member's CE entries (any
/// entries of other staff are ignored).
pub fn standing(
    cert: &Record<Certification>,
    entries: &[Record<CeuEntry>],
    on: NaiveDate,
) -> Standing {
    let period = cert
        .requirement
        .and_then(|r| period_containing(cert.issued, r.period_months, on));
    let (mut earned, mut ethics) = (Hours::ZERO, Hours::ZERO);
    if let Some(p) = period {
        for e in entries
            .iter()
            .filter(|e| e.staff == cert.staff && p.contains(e.date))
        {
            earned = earned.plus(e.hours);
            if e.is_ethics() {
                ethics = ethics.plus(e.hours);
            }
        }
    }
    let (needed, ethics_needed) = match (cert.requirement, period) {
        (Some(r), Some(_)) => (r.hours.less(earned), r.ethics.less(ethics)),
        _ => (Hours::ZERO, Hours::ZERO),
    };
    Standing {
        certification: cert.clone(),
        period,
        earned,
        ethics_earned: ethics,
        // Ethics hours still missing are part of the total still missing.
        needed: needed.max(ethics_needed),
        ethics_needed,
        expires_in: cert.expires.map(|e| (e - on).num_days()),
    }
}

/// Who a supervisor's supervisees are: the staff members whose supervision
/// sessions name them as supervisor (sorted, each once).
pub fn supervisees_of(supervisor: StaffId, sessions: &[Record<Supervision>]) -> Vec<StaffId> {
    let mut out: Vec<StaffId> = sessions
        .iter()
        .filter(|s| s.supervisor == supervisor)
        .map(|s| s.staff)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What recording a supervision session needs, by its supervisee's role.
/// Recording one makes its supervisor the supervisee's supervisor, with
/// read and write on their certifications and CE hours
/// ([`supervisees_of`]): so a supervisor may record one they held only
/// with a peer specialist, and a session whose supervisee is a supervisor
/// or an admin needs an admin ([`Permission::ManageCredentials`]) to
/// record it. A peer specialist's session needs what keeping credentials
/// does (whose the session may be is the credentials rules' reach).
pub fn permission_to_record_supervision_of(supervisee: Role) -> Permission {
    match supervisee {
        Role::PeerSpecialist => Permission::KeepCredentials,
        Role::Supervisor | Role::Admin => Permission::ManageCredentials,
    }
}

/// Supervision minutes in a period, for the staff member supervised.
pub fn supervision_minutes(staff: StaffId, sessions: &[Record<Supervision>], p: Period) -> u32 {
    sessions
        .iter()
        .filter(|s| s.staff == staff && p.contains(s.date))
        .map(|s| u32::from(s.minutes))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn only_an_admin_records_a_supervisors_or_admins_supervision() {
        let needs = permission_to_record_supervision_of;
        assert_eq!(needs(Role::PeerSpecialist), Permission::KeepCredentials);
        for r in [Role::Supervisor, Role::Admin] {
            assert!(needs(r).allows(Role::Admin), "{r:?}");
            assert!(!needs(r).allows(Role::Supervisor), "{r:?}");
            assert!(!needs(r).allows(Role::PeerSpecialist), "{r:?}");
        }
        assert!(needs(Role::PeerSpecialist).allows(Role::Supervisor));
    }

    #[test]
    fn hours_parse_with_one_decimal_place_and_name_the_field() {
        assert_eq!(Hours::parse("--hours", "1.5"), Ok(Hours(15)));
        assert_eq!(Hours::parse("--hours", "2"), Ok(Hours(20)));
        assert_eq!(Hours::parse("--hours", ".5"), Ok(Hours(5)));
        assert_eq!(Hours::parse("--hours", "3."), Ok(Hours(30)));
        for bad in ["-1", "1.55", "abc", "", "1,5", "99999999999"] {
            let e = Hours::parse("--hours", bad).unwrap_err().to_string();
            assert!(e.starts_with("--hours: "), "{bad}: {e}");
        }
        assert_eq!(Hours(15).to_string(), "1.5");
        assert_eq!(Hours(240).to_string(), "24.0");
    }

    #[test]
    fn hours_are_text_in_json_and_tenths_in_postcard() {
        assert_eq!(serde_json::to_string(&Hours(15)).unwrap(), "\"1.5\"");
        let back: Hours = serde_json::from_str("\"1.5\"").unwrap();
        assert_eq!(back, Hours(15));
        assert_eq!(postcard::to_stdvec(&Hours(15)).unwrap(), vec![15]);
    }

    #[test]
    fn periods_run_back_to_back_from_the_issue_day() {
        let issued = d("2025-03-15");
        // Two-year periods: 2025-03-15..2027-03-15, 2027-03-15..2029-03-15.
        let p = period_containing(issued, 24, d("2026-12-01")).unwrap();
        assert_eq!((p.start, p.end), (d("2025-03-15"), d("2027-03-15")));
        let p = period_containing(issued, 24, d("2027-03-14")).unwrap();
        assert_eq!(p.start, d("2025-03-15"), "the last day is still the first");
        let p = period_containing(issued, 24, d("2027-03-15")).unwrap();
        assert_eq!((p.start, p.end), (d("2027-03-15"), d("2029-03-15")));
        // The day of the month not reached yet: still the earlier period.
        let p = period_containing(issued, 12, d("2026-03-14")).unwrap();
        assert_eq!(p.start, d("2025-03-15"));
        // Before issue: the first period.
        let p = period_containing(issued, 12, d("2020-01-01")).unwrap();
        assert_eq!(p.start, issued);
        // Month ends clamp, always counted from the issue day.
        let p = period_containing(d("2025-01-31"), 1, d("2025-03-30")).unwrap();
        assert_eq!((p.start, p.end), (d("2025-02-28"), d("2025-03-31")));
        assert_eq!(p.last_day(), d("2025-03-30"));
    }

    fn cert(req: Option<Requirement>) -> Record<Certification> {
        Record {
            id: crate::model::Id::new(1),
            meta: crate::model::Meta::created(chrono::Utc::now(), &crate::model::Actor::login("t")),
            data: Certification {
                staff: StaffId::new(3),
                name: "CPRS".into(),
                issuer: "State board".into(),
                number: "123".into(),
                issued: d("2025-03-15"),
                expires: Some(d("2027-03-15")),
                requirement: req,
            },
        }
    }

    fn ceu(n: u64, staff: u64, date: &str, tenths: u32, cat: &str) -> Record<CeuEntry> {
        Record {
            id: crate::model::Id::new(n),
            meta: crate::model::Meta::created(chrono::Utc::now(), &crate::model::Actor::login("t")),
            data: CeuEntry {
                staff: StaffId::new(staff),
                date: d(date),
                title: format!("course {n}"),
                provider: String::new(),
                hours: Hours(tenths),
                category: cat.into(),
            },
        }
    }

    #[test]
    fn standing_counts_hours_in_the_current_period_and_the_ethics_share() {
        let c = cert(Some(Requirement {
            hours: Hours(200),
            ethics: Hours(30),
            period_months: 24,
        }));
        let entries = vec![
            ceu(1, 3, "2025-03-14", 60, "general"), // the day before: out
            ceu(2, 3, "2025-03-15", 15, "general"), // first day: in
            ceu(3, 3, "2026-06-01", 20, "Ethics"),  // in, ethics
            ceu(4, 3, "2027-03-14", 35, "general"), // last day: in
            ceu(5, 3, "2027-03-15", 50, "ethics"),  // next period: out
            ceu(6, 4, "2026-01-01", 70, "ethics"),  // someone else: out
        ];
        let s = standing(&c, &entries, d("2026-12-01"));
        // 1.5 + 2.0 + 3.5 = 7.0 earned, 2.0 of it ethics.
        assert_eq!(s.earned, Hours(70));
        assert_eq!(s.ethics_earned, Hours(20));
        assert_eq!(s.needed, Hours(130));
        assert_eq!(s.ethics_needed, Hours(10));
        assert_eq!(s.expires_in, Some(104));
        assert_eq!(
            s.needed_text().unwrap(),
            "13.0 hours still needed by 2027-03-14, 1.0 of them ethics"
        );
        assert_eq!(s.expiry_text().unwrap(), "expires 2027-03-15, in 104 days");
        // In the next period only entry 5 counts.
        let s = standing(&c, &entries, d("2027-04-01"));
        assert_eq!((s.earned, s.ethics_earned), (Hours(50), Hours(50)));
        assert_eq!(s.needed, Hours(150));
        assert_eq!(s.ethics_needed, Hours::ZERO);
        assert!(s
            .expiry_text()
            .unwrap()
            .starts_with("expired 2027-03-15, 17 days ago"));
    }

    #[test]
    fn ethics_still_missing_keeps_the_total_needed_up() {
        let c = cert(Some(Requirement {
            hours: Hours(20),
            ethics: Hours(10),
            period_months: 24,
        }));
        // 3.0 general hours: the total is met but 1.0 ethics is missing.
        let entries = vec![ceu(1, 3, "2025-06-01", 30, "general")];
        let s = standing(&c, &entries, d("2026-01-01"));
        assert_eq!(s.needed, Hours(10));
        assert_eq!(s.ethics_needed, Hours(10));
        // No requirement: nothing is needed and nothing is counted.
        let s = standing(&cert(None), &entries, d("2026-01-01"));
        assert_eq!((s.earned, s.needed), (Hours::ZERO, Hours::ZERO));
        assert_eq!(s.needed_text(), None);
    }

    #[test]
    fn validation_names_each_field() {
        let mut c = cert(Some(Requirement {
            hours: Hours(10),
            ethics: Hours(20),
            period_months: 0,
        }))
        .data;
        c.expires = Some(d("2025-01-01"));
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("expires: 2025-01-01 is not after the issue date 2025-03-15"),
            "{e}"
        );
        assert!(e.contains("ethics hours"), "{e}");
        assert!(e.contains("period"), "{e}");
        let mut entry = ceu(1, 3, "2025-01-01", 0, "general").data;
        assert!(entry
            .validate()
            .unwrap_err()
            .to_string()
            .contains("hours: 0.0 is out of range"));
        entry.hours = Hours(241);
        assert!(entry
            .validate()
            .unwrap_err()
            .to_string()
            .contains("hours: 24.1"));
        let s = Supervision {
            staff: StaffId::new(2),
            supervisor: StaffId::new(2),
            date: d("2026-01-01"),
            minutes: 0,
            mode: SupervisionMode::Individual,
            note: None,
        };
        let e = s.validate().unwrap_err().to_string();
        assert!(e.contains("with: S2 cannot supervise themselves"), "{e}");
        assert!(e.contains("minutes: 0 is out of range"), "{e}");
    }

    #[test]
    fn supervisees_are_the_staff_whose_sessions_name_the_supervisor() {
        let rec = |n: u64, staff: u64, sup: u64| Record {
            id: crate::model::Id::new(n),
            meta: crate::model::Meta::created(chrono::Utc::now(), &crate::model::Actor::login("t")),
            data: Supervision {
                staff: StaffId::new(staff),
                supervisor: StaffId::new(sup),
                date: d("2026-01-01"),
                minutes: 60,
                mode: SupervisionMode::Group,
                note: None,
            },
        };
        let sessions = vec![rec(1, 3, 2), rec(2, 4, 2), rec(3, 3, 2), rec(4, 5, 1)];
        assert_eq!(
            supervisees_of(StaffId::new(2), &sessions),
            vec![StaffId::new(3), StaffId::new(4)]
        );
        let p = Period {
            start: d("2026-01-01"),
            end: d("2026-02-01"),
        };
        assert_eq!(supervision_minutes(StaffId::new(3), &sessions, p), 120);
    }
}
