//! An assessment: a peer's answers to one instrument (the BARC-10) on one
//! day, with the total, the instrument's version and who sat with them.
//! Recovery capital is a strength the peer builds; what matters is the
//! change over time, in the peer's own terms, so this module also works
//! out change from the first assessment, who is due to take it again and
//! the funder report's mean change.
//!
//! Pure: the caller gathers the records.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::dates::days_between;
use super::ids::{AssessmentKind, PeerId, StaffId};
use super::instrument::Instruments;
use super::peer::Peer;
use super::record::{Entity, Record};
use super::today::{Section, TodayRow};
use super::validate::{Checker, ValidationError};

/// Longest instrument id kept on a record.
pub const MAX_INSTRUMENT_ID: usize = 40;

/// One sitting of one instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Whose answers these are.
    pub peer: PeerId,
    /// The instrument's id ("barc10").
    pub instrument: String,
    /// The instrument file's version the answers were given to.
    pub version: u32,
    /// One answer per item, in item order.
    pub scores: Vec<u8>,
    /// The sum of the answers (checked against them when saved).
    pub total: u32,
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// The staff member who sat with the peer.
    pub staff: Option<StaffId>,
}

impl Assessment {
    /// The center's day it was taken on.
    pub fn day(&self) -> NaiveDate {
        super::dates::CENTER.day_of(&self.at)
    }
}

impl Entity for Assessment {
    type Kind = AssessmentKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        let id_ok = !self.instrument.is_empty()
            && self.instrument.len() <= MAX_INSTRUMENT_ID
            && self
                .instrument
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        c.ensure(
            id_ok,
            "instrument",
            "give an instrument id of lower-case letters, digits, '-' or '_' (like barc10)",
        );
        c.ensure(
            self.version >= 1,
            "version",
            "the instrument version starts at 1",
        );
        c.ensure(
            !self.scores.is_empty() && self.scores.len() <= super::instrument::MAX_ITEMS,
            "scores",
            format!(
                "give one score per item (1 to {} scores)",
                super::instrument::MAX_ITEMS
            ),
        );
        let sum: u32 = self.scores.iter().map(|s| u32::from(*s)).sum();
        c.ensure(
            sum == self.total,
            "total",
            format!("{} is not the sum of the scores ({sum})", self.total),
        );
        c.finish()
    }
}

/// A peer's progress on one instrument: the first and latest totals and
/// each item's change, for the peer page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The instrument's id.
    pub instrument: String,
    /// How many assessments there are.
    pub count: usize,
    /// The first one's day and total.
    pub first: (NaiveDate, u32),
    /// The latest one's day and total.
    pub latest: (NaiveDate, u32),
    /// Latest total less the first.
    pub change: i64,
    /// Per item: latest answer less the first (empty when the two were
    /// given to versions with different item counts).
    pub item_changes: Vec<i64>,
    /// The latest answers.
    pub latest_scores: Vec<u8>,
}

/// Each instrument's progress from a peer's assessments (any order), by
/// instrument id.
pub fn progress(assessments: &[Record<Assessment>]) -> Vec<Progress> {
    let mut by: BTreeMap<&str, Vec<&Record<Assessment>>> = BTreeMap::new();
    for a in assessments {
        by.entry(a.instrument.as_str()).or_default().push(a);
    }
    by.into_iter()
        .filter_map(|(id, mut v)| {
            v.sort_by_key(|a| (a.at, a.id));
            let first = *v.first()?;
            let latest = *v.last()?;
            let item_changes = if first.scores.len() == latest.scores.len() {
                first
                    .scores
                    .iter()
                    .zip(&latest.scores)
                    .map(|(a, b)| i64::from(*b) - i64::from(*a))
                    .collect()
            } else {
                Vec::new()
            };
            Some(Progress {
                instrument: id.to_string(),
                count: v.len(),
                first: (first.day(), first.total),
                latest: (latest.day(), latest.total),
                change: i64::from(latest.total) - i64::from(first.total),
                item_changes,
                latest_scores: latest.scores.clone(),
            })
        })
        .collect()
}

/// "+3", "0", "-2": a change as shown.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Today's "Reassessment due" rows: active peers (of `for_staff`, when
/// set) whose latest assessment of an instrument is at least that
/// instrument's interval old on `date`. `latest` holds each peer's newest
/// assessment per instrument (others are ignored).
pub fn reassessment_rows(
    date: NaiveDate,
    peers: &[Record<Peer>],
    latest: &[Record<Assessment>],
    instruments: &Instruments,
    for_staff: Option<StaffId>,
) -> Vec<TodayRow> {
    let peers: HashMap<PeerId, &Record<Peer>> = peers.iter().map(|p| (p.id, p)).collect();
    let mut newest: HashMap<(PeerId, &str), &Record<Assessment>> = HashMap::new();
    for a in latest {
        let k = (a.peer, a.instrument.as_str());
        if newest.get(&k).is_none_or(|b| (b.at, b.id) < (a.at, a.id)) {
            newest.insert(k, a);
        }
    }
    let mut rows: Vec<TodayRow> = newest
        .into_iter()
        .filter_map(|((peer, instrument), a)| {
            let p = peers.get(&peer)?;
            if !p.is_active() || (for_staff.is_some() && p.assigned_staff != for_staff) {
                return None;
            }
            let every = i64::from(instruments.reassess_days(instrument));
            let due = a.day() + chrono::Duration::days(every);
            let late = days_between(due, date);
            if late < 0 {
                return None;
            }
            let shown = instruments
                .get(instrument)
                .map_or(instrument.to_string(), |i| i.short_name.clone());
            Some(TodayRow {
                section: Section::ReassessmentDue,
                peer: Some(peer),
                name: p.display_name.clone(),
                goal: None,
                group: None,
                session: None,
                date: Some(due),
                days: Some(late),
                why: format!(
                    "{shown} last taken {} (total {}); retake every {}, due {due}{}",
                    a.day(),
                    a.total,
                    crate::text::count(usize::try_from(every).unwrap_or(0), "day", "days"),
                    match late {
                        0 => " (today)".to_string(),
                        1 => " (1 day ago)".to_string(),
                        n => format!(" ({n} days ago)"),
                    }
                ),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.days
            .cmp(&a.days)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.peer.cmp(&b.peer))
    });
    rows
}

/// The funder report's recovery-capital figures for one instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapitalChange {
    /// The instrument's id.
    pub instrument: String,
    /// Peers with at least one assessment taken up to the period's end.
    pub peers_assessed: usize,
    /// Peers with two or more (the ones the mean is over).
    pub peers_with_two_or_more: usize,
    /// Mean of (latest total − first total) among those peers, rounded to
    /// one decimal; none when there are none.
    pub mean_change: Option<f64>,
}

/// Mean change from each peer's first assessment to their latest, among
/// peers with two or more, per instrument; only assessments taken before
/// `until` count.
pub fn capital_changes(
    assessments: &[Record<Assessment>],
    until: DateTime<Utc>,
) -> Vec<CapitalChange> {
    let mut by: BTreeMap<&str, HashMap<PeerId, Vec<&Record<Assessment>>>> = BTreeMap::new();
    for a in assessments.iter().filter(|a| a.at < until) {
        by.entry(a.instrument.as_str())
            .or_default()
            .entry(a.peer)
            .or_default()
            .push(a);
    }
    by.into_iter()
        .map(|(id, peers)| {
            let mut changes = Vec::new();
            for v in peers.values() {
                if v.len() >= 2 {
                    let first = v.iter().min_by_key(|a| (a.at, a.id));
                    let last = v.iter().max_by_key(|a| (a.at, a.id));
                    if let (Some(f), Some(l)) = (first, last) {
                        changes.push(i64::from(l.total) - i64::from(f.total));
                    }
                }
            }
            let mean = if changes.is_empty() {
                None
            } else {
                let m = changes.iter().sum::<i64>() as f64 / changes.len() as f64;
                Some((m * 10.0).round() / 10.0)
            };
            CapitalChange {
                instrument: id.to_string(),
                peers_assessed: peers.len(),
                peers_with_two_or_more: changes.len(),
                mean_change: mean,
            }
        })
        .collect()
}

/// Adds up several centers' figures: counts are summed and the means
/// weighted by how many peers each is over.
pub fn merge_capital(reports: &[&[CapitalChange]]) -> Vec<CapitalChange> {
    let mut by: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    for r in reports {
        for c in r.iter() {
            let e = by.entry(c.instrument.clone()).or_default();
            e.0 += c.peers_assessed;
            e.1 += c.peers_with_two_or_more;
            e.2 += c.mean_change.unwrap_or(0.0) * c.peers_with_two_or_more as f64;
        }
    }
    by.into_iter()
        .map(|(instrument, (assessed, two, sum))| CapitalChange {
            instrument,
            peers_assessed: assessed,
            peers_with_two_or_more: two,
            mean_change: (two > 0).then(|| (sum / two as f64 * 10.0).round() / 10.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssessmentId, Meta};
    use chrono::TimeZone;

    fn rec(id: u64, peer: u64, day: u32, scores: &[u8]) -> Record<Assessment> {
        let at = Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap();
        Record {
            id: AssessmentId::new(id),
            meta: Meta::created(at, &crate::model::Actor::login("t")),
            data: Assessment {
                peer: PeerId::new(peer),
                instrument: "barc10".into(),
                version: 1,
                scores: scores.to_vec(),
                total: scores.iter().map(|s| u32::from(*s)).sum(),
                at,
                staff: None,
            },
        }
    }

    #[test]
    fn a_total_that_is_not_the_sum_is_refused_naming_total() {
        let mut a = rec(1, 1, 1, &[1, 2, 3]).data;
        assert!(a.validate().is_ok());
        a.total = 7;
        let e = a.validate().unwrap_err().to_string();
        assert!(e.contains("total") && e.contains("(6)"), "{e}");
        a.total = 6;
        a.instrument = "BARC 10".into();
        assert!(a.validate().unwrap_err().to_string().contains("instrument"));
    }

    #[test]
    fn progress_compares_the_latest_with_the_first_item_by_item() {
        let v = vec![
            rec(2, 1, 20, &[3, 3, 3]),
            rec(1, 1, 1, &[1, 2, 3]),
            rec(3, 1, 10, &[2, 2, 2]),
        ];
        let p = progress(&v);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].count, 3);
        assert_eq!(p[0].first.1, 6);
        assert_eq!(p[0].latest.1, 9);
        assert_eq!(p[0].change, 3);
        assert_eq!(p[0].item_changes, vec![2, 1, 0]);
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-2), "-2");
        assert_eq!(signed(0), "0");
    }

    #[test]
    fn the_mean_change_counts_only_peers_with_two_or_more() {
        let v = vec![
            rec(1, 1, 1, &[1, 1]),
            rec(2, 1, 20, &[3, 3]), // +4
            rec(3, 2, 1, &[2, 2]),
            rec(4, 2, 5, &[2, 3]), // +1
            rec(5, 3, 1, &[6, 6]), // one only
        ];
        let until = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        let c = capital_changes(&v, until);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].peers_assessed, 3);
        assert_eq!(c[0].peers_with_two_or_more, 2);
        assert_eq!(c[0].mean_change, Some(2.5));
        // Before the second sittings, nobody has two.
        let early = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
        let c = capital_changes(&v, early);
        assert_eq!(c[0].peers_with_two_or_more, 0);
        assert_eq!(c[0].mean_change, None);
    }
}
