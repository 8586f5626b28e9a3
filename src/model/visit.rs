//! Drop-in visits and the front desk's rules: who came in today, the
//! kiosk's matching of what a peer typed, pending intakes, the figures
//! funders ask for, and the "here now" list staff read.
//!
//! A visit is not a check-in: it earns no units of service. It counts as
//! being seen for re-engagement on Today, like a group attended. One visit
//! per peer per day: a second sign-in the same day updates the first.
//!
//! Pure: the store keeps the records; these rules decide.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::ids::{IntakeKind, PeerId, StaffId, VisitKind};
use super::names::{fold, phone_digits};
use super::peer::{Peer, PeerStatus};
use super::record::{Entity, Record};
use super::staff::Staff;
use super::today::{Section, TodayReport};
use super::validate::{Checker, ValidationError, MAX_SHORT_CHARS};

/// The purposes a center starts with (settings may replace them).
pub const DEFAULT_PURPOSES: [&str; 6] =
    ["drop-in", "computer", "laundry", "meal", "meeting", "other"];

/// Most purposes a center may list.
pub const MAX_PURPOSES: usize = 32;

/// Fewest trailing phone digits the kiosk takes as the follow-up answer,
/// so that one or two digits cannot pick someone out by luck.
pub const PHONE_DIGITS_ASKED: usize = 4;

/// The center's purposes: the settings' list, or the defaults.
pub fn purposes(configured: Option<&[String]>) -> Vec<String> {
    match configured {
        Some(list) if !list.is_empty() => list.to_vec(),
        _ => DEFAULT_PURPOSES.iter().map(|s| (*s).to_string()).collect(),
    }
}

/// Reads a purpose typed by a user against the center's list (case- and
/// accent-blind), giving the list's own spelling, or an error naming the
/// valid ones.
pub fn parse_purpose(list: &[String], text: &str) -> Result<String, ValidationError> {
    let wanted = fold(text);
    list.iter()
        .find(|p| fold(p) == wanted)
        .cloned()
        .ok_or_else(|| {
            ValidationError::one(
                "purpose",
                format!(
                    "'{}' is not one of this center's purposes (valid: {})",
                    crate::text::escape_line(text.trim()),
                    list.join(", ")
                ),
            )
        })
}

/// One peer's visit on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// Who came in.
    pub peer: PeerId,
    /// The center's local day.
    pub day: NaiveDate,
    /// When they signed in (center's local time).
    pub time_in: NaiveTime,
    /// When they signed out, if they did.
    pub time_out: Option<NaiveTime>,
    /// Why they came, from the center's list, if given.
    pub purpose: Option<String>,
}

impl Visit {
    /// A visit signed in at `time_in` on `day`, not yet out.
    pub fn new(peer: PeerId, day: NaiveDate, time_in: NaiveTime) -> Self {
        Visit {
            peer,
            day,
            time_in,
            time_out: None,
            purpose: None,
        }
    }

    /// The same day's visit after a second sign-in: the first time in is
    /// kept, a newly given purpose replaces the old one, and a visit that
    /// had been signed out is open again.
    pub fn signed_in_again(&self, purpose: Option<String>) -> Visit {
        Visit {
            purpose: purpose.or_else(|| self.purpose.clone()),
            time_out: None,
            ..self.clone()
        }
    }
}

impl Entity for Visit {
    type Kind = VisitKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        if let Some(out) = self.time_out {
            c.ensure(
                out >= self.time_in,
                "time out",
                format!(
                    "{} is before the time in ({})",
                    out.format("%H:%M"),
                    self.time_in.format("%H:%M")
                ),
            );
        }
        if let Some(p) = &self.purpose {
            c.name("purpose", p);
            c.text("purpose", p, MAX_SHORT_CHARS);
        }
        c.finish()
    }
}

/// Someone who pressed "I'm new here" at the kiosk: a first name for
/// staff to turn into a peer, or to match to one already known. Never a
/// peer by itself, so the kiosk cannot make a duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    /// The first name they typed.
    pub first_name: String,
    /// The center's local day.
    pub day: NaiveDate,
    /// When (center's local time).
    pub time: NaiveTime,
}

impl Entity for Intake {
    type Kind = IntakeKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("first name", &self.first_name);
        c.text("first name", &self.first_name, MAX_SHORT_CHARS);
        c.finish()
    }
}

/// What the kiosk may tell the peer at its screen: never a name, never
/// how many others matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KioskReply {
    /// Signed in: their visit is recorded.
    SignedIn,
    /// More than one peer answers to what was typed: ask for the last
    /// digits of their phone number.
    AskPhoneDigits,
    /// Nobody answers (or the follow-up did not single anyone out).
    NotFound,
}

/// Who the kiosk's input points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskMatch {
    /// Exactly this peer.
    One(PeerId),
    /// Several: one more answer is needed.
    Ambiguous,
    /// Nobody.
    Nobody,
}

/// True if `typed` (already folded) names the peer: the whole display
/// name, its first word, or the whole legal name.
fn names_peer(peer: &Peer, typed: &str) -> bool {
    let display = fold(&peer.display_name);
    if display == typed || display.split(' ').next() == Some(typed) {
        return true;
    }
    peer.legal_name.as_deref().is_some_and(|l| fold(l) == typed)
}

/// Finds the one peer a kiosk sign-in is for. `typed` is a name or a
/// personal code (`codes`: peer → code); `answer`, when given, the last
/// digits of their phone to tell several of the same name apart.
/// Discharged peers are not signed in (staff readmit them). Case- and
/// accent-blind.
pub fn kiosk_match(
    peers: &[Record<Peer>],
    codes: &HashMap<PeerId, String>,
    typed: &str,
    answer: Option<&str>,
) -> KioskMatch {
    let typed = fold(typed);
    if typed.is_empty() {
        return KioskMatch::Nobody;
    }
    let live = |p: &&Record<Peer>| p.status != PeerStatus::Discharged;
    let by_code: Vec<PeerId> = peers
        .iter()
        .filter(live)
        .filter(|p| codes.get(&p.id).is_some_and(|c| fold(c) == typed))
        .map(|p| p.id)
        .collect();
    if let [one] = by_code[..] {
        return KioskMatch::One(one);
    }
    let named: Vec<&Record<Peer>> = peers
        .iter()
        .filter(live)
        .filter(|p| names_peer(p, &typed))
        .collect();
    match (&named[..], answer) {
        ([], _) => KioskMatch::Nobody,
        ([one], None) => KioskMatch::One(one.id),
        (_, None) => KioskMatch::Ambiguous,
        (many, Some(digits)) => {
            let digits = phone_digits(digits);
            if digits.len() < PHONE_DIGITS_ASKED {
                return KioskMatch::Nobody;
            }
            let hits: Vec<PeerId> = many
                .iter()
                .filter(|p| {
                    p.phone
                        .as_deref()
                        .is_some_and(|ph| phone_digits(ph).ends_with(&digits))
                })
                .map(|p| p.id)
                .collect();
            match hits[..] {
                [one] => KioskMatch::One(one),
                _ => KioskMatch::Nobody,
            }
        }
    }
}

/// Visits on one day, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayVisits {
    /// The day.
    pub date: NaiveDate,
    /// Visits recorded that day.
    pub visits: u64,
    /// Different peers who came that day.
    pub visitors: u64,
}

/// The front desk's figures for a period (the funder report's section).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitFigures {
    /// Every visit in the period.
    pub visits: u64,
    /// Different peers who came at least once in the period.
    pub unduplicated_visitors: u64,
    /// Each day with a visit, oldest first.
    pub per_day: Vec<DayVisits>,
    /// Visits by purpose, largest first ("not given" when none was).
    pub by_purpose: Vec<(String, u64)>,
}

impl VisitFigures {
    /// Adds up several centers' figures for one period. Peers are not
    /// matched across centers: unduplicated counts are sums of each
    /// center's.
    pub fn merge<'a>(all: impl IntoIterator<Item = &'a VisitFigures>) -> VisitFigures {
        let mut days: BTreeMap<NaiveDate, (u64, u64)> = BTreeMap::new();
        let mut purposes: BTreeMap<String, u64> = BTreeMap::new();
        let mut out = VisitFigures::default();
        for f in all {
            out.visits += f.visits;
            out.unduplicated_visitors += f.unduplicated_visitors;
            for d in &f.per_day {
                let e = days.entry(d.date).or_default();
                e.0 += d.visits;
                e.1 += d.visitors;
            }
            for (p, n) in &f.by_purpose {
                *purposes.entry(p.clone()).or_default() += n;
            }
        }
        out.per_day = days
            .into_iter()
            .map(|(date, (visits, visitors))| DayVisits {
                date,
                visits,
                visitors,
            })
            .collect();
        out.by_purpose = purposes.into_iter().collect();
        out.by_purpose
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// What a purpose-less visit is counted as.
pub const NO_PURPOSE: &str = "not given";

/// Works out the figures from the period's visits.
pub fn visit_figures(visits: &[Record<Visit>]) -> VisitFigures {
    let mut days: BTreeMap<NaiveDate, (u64, BTreeSet<PeerId>)> = BTreeMap::new();
    let mut everyone = BTreeSet::new();
    let mut purposes: BTreeMap<String, u64> = BTreeMap::new();
    for v in visits {
        let d = days.entry(v.day).or_default();
        d.0 += 1;
        d.1.insert(v.peer);
        everyone.insert(v.peer);
        *purposes
            .entry(v.purpose.clone().unwrap_or_else(|| NO_PURPOSE.to_string()))
            .or_default() += 1;
    }
    let mut by_purpose: Vec<(String, u64)> = purposes.into_iter().collect();
    by_purpose.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    VisitFigures {
        visits: visits.len() as u64,
        unduplicated_visitors: everyone.len() as u64,
        per_day: days
            .into_iter()
            .map(|(date, (visits, who))| DayVisits {
                date,
                visits,
                visitors: who.len() as u64,
            })
            .collect(),
        by_purpose,
    }
}

/// One row of "here now": someone who signed in today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HereNowRow {
    /// The peer.
    pub peer: PeerId,
    /// Their display name.
    pub name: String,
    /// When they came in.
    pub time_in: NaiveTime,
    /// When they left, if they signed out.
    pub time_out: Option<NaiveTime>,
    /// Why they came, if given.
    pub purpose: Option<String>,
    /// Their assigned staff member's initials, if any.
    pub assigned: Option<String>,
    /// Their assigned staff member, if any.
    pub assigned_staff: Option<StaffId>,
    /// The Today section they are in, if they need contact.
    pub section: Option<Section>,
    /// Why Today lists them, if it does (not "seen today").
    pub why: Option<String>,
}

/// Who signed in today, earliest first, each with their assigned staff
/// member and the reason Today lists them, if any (so a peer due for a
/// follow-up who walks in is noticed).
pub fn here_now(
    visits: &[Record<Visit>],
    peers: &[Record<Peer>],
    staff: &[Record<Staff>],
    today: &TodayReport,
) -> Vec<HereNowRow> {
    let peers: HashMap<PeerId, &Record<Peer>> = peers.iter().map(|p| (p.id, p)).collect();
    let initials: HashMap<StaffId, &str> =
        staff.iter().map(|s| (s.id, s.initials.as_str())).collect();
    let mut rows: Vec<HereNowRow> = visits
        .iter()
        .filter_map(|v| {
            let peer = peers.get(&v.peer)?;
            let reason = today.rows.iter().find(|r| {
                r.peer == Some(v.peer)
                    && !matches!(r.section, Section::SeenToday | Section::GroupsToday)
            });
            Some(HereNowRow {
                peer: v.peer,
                name: peer.display_name.clone(),
                time_in: v.time_in,
                time_out: v.time_out,
                purpose: v.purpose.clone(),
                assigned: peer
                    .assigned_staff
                    .and_then(|s| initials.get(&s).map(|i| (*i).to_string())),
                assigned_staff: peer.assigned_staff,
                section: reason.map(|r| r.section),
                why: reason.map(|r| r.why.clone()),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.time_in.cmp(&b.time_in).then(a.peer.cmp(&b.peer)));
    rows
}

/// Each peer's latest visit day from a list of visits (for Today's
/// re-engagement rule).
pub fn last_visits(visits: &[Record<Visit>]) -> HashMap<PeerId, NaiveDate> {
    let mut out: HashMap<PeerId, NaiveDate> = HashMap::new();
    for v in visits {
        let e = out.entry(v.peer).or_insert(v.day);
        if v.day > *e {
            *e = v.day;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Meta};

    fn rec<T: Entity>(id: u64, data: T) -> Record<T> {
        Record {
            id: crate::model::Id::new(id),
            meta: Meta::created(chrono::Utc::now(), &Actor::login("t")),
            data,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn peer(id: u64, name: &str, phone: Option<&str>) -> Record<Peer> {
        let mut p = Peer::new(name, day(1));
        p.phone = phone.map(str::to_string);
        rec(id, p)
    }

    #[test]
    fn the_kiosk_matches_one_peer_case_and_accent_blind() {
        let peers = [
            peer(1, "Zoë Müller", Some("555 010 1234")),
            peer(2, "Ana Ruiz", Some("555-010-9876")),
            peer(3, "Ana Lopez", Some("(555) 010-4321")),
            peer(4, "Ana Gone", None),
        ];
        let mut gone = peers[3].clone();
        gone.data.status = PeerStatus::Discharged;
        let peers = vec![peers[0].clone(), peers[1].clone(), peers[2].clone(), gone];
        let codes = HashMap::from([(PeerId::new(2), "K-77".to_string())]);
        let m = |typed, answer| kiosk_match(&peers, &codes, typed, answer);
        assert_eq!(m("zoe muller", None), KioskMatch::One(PeerId::new(1)));
        assert_eq!(m("  ZOË ", None), KioskMatch::One(PeerId::new(1)));
        assert_eq!(m("k-77", None), KioskMatch::One(PeerId::new(2)));
        assert_eq!(
            m("ana", None),
            KioskMatch::Ambiguous,
            "a discharged Ana is not counted"
        );
        assert_eq!(m("ana", Some("4321")), KioskMatch::One(PeerId::new(3)));
        assert_eq!(m("ana", Some("21")), KioskMatch::Nobody, "too few digits");
        assert_eq!(m("ana", Some("0000")), KioskMatch::Nobody);
        assert_eq!(m("ana gone", None), KioskMatch::Nobody);
        assert_eq!(m("", None), KioskMatch::Nobody);
        assert_eq!(m("bob", None), KioskMatch::Nobody);
    }

    #[test]
    fn figures_count_visits_days_and_unduplicated_visitors() {
        let v = |id, p, d, purpose: Option<&str>| {
            let mut v = Visit::new(PeerId::new(p), day(d), t(9, 0));
            v.purpose = purpose.map(str::to_string);
            rec(id, v)
        };
        let visits = vec![
            v(1, 1, 2, Some("meal")),
            v(2, 2, 2, Some("meal")),
            v(3, 1, 3, None),
            v(4, 3, 3, Some("laundry")),
            v(5, 1, 4, Some("meal")),
        ];
        let f = visit_figures(&visits);
        assert_eq!(f.visits, 5);
        assert_eq!(f.unduplicated_visitors, 3);
        assert_eq!(
            f.per_day,
            vec![
                DayVisits {
                    date: day(2),
                    visits: 2,
                    visitors: 2
                },
                DayVisits {
                    date: day(3),
                    visits: 2,
                    visitors: 2
                },
                DayVisits {
                    date: day(4),
                    visits: 1,
                    visitors: 1
                },
            ]
        );
        assert_eq!(
            f.by_purpose,
            vec![
                ("meal".to_string(), 3),
                ("laundry".to_string(), 1),
                (NO_PURPOSE.to_string(), 1)
            ]
        );
        assert_eq!(last_visits(&visits)[&PeerId::new(1)], day(4));
    }

    #[test]
    fn purposes_and_times_are_checked() {
        let list = purposes(None);
        assert_eq!(list.len(), 6);
        assert_eq!(parse_purpose(&list, " Meal ").unwrap(), "meal");
        let err = parse_purpose(&list, "nap").unwrap_err().to_string();
        assert!(
            err.contains("'nap'") && err.contains("drop-in, computer"),
            "{err}"
        );
        let mut v = Visit::new(PeerId::new(1), day(2), t(10, 0));
        v.time_out = Some(t(9, 0));
        let err = v.validate().unwrap_err().to_string();
        assert!(err.contains("time out") && err.contains("09:00"), "{err}");
        let again = Visit {
            time_out: Some(t(11, 0)),
            purpose: Some("meal".into()),
            ..v.clone()
        }
        .signed_in_again(None);
        assert_eq!(again.time_out, None);
        assert_eq!(again.purpose.as_deref(), Some("meal"));
        assert_eq!(again.time_in, t(10, 0));
    }
}
