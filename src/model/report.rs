//! The service report funders ask for: who was served, how much support
//! (contacts, minutes, units of service), of which kinds and modes, by
//! whom, group attendance, and movement on the roster and in plans.
//!
//! Pure: the caller feeds the period's records one at a time.
//!
//! # Units of service, the daily cap and who gets them
//!
//! Units are computed once per check-in (`Settings::units_for`), then the
//! daily cap is applied per peer and local day over all staff: the day's
//! check-ins are taken in time order (ties by staff id, then minutes) and
//! each keeps its units until the cap is used up; later ones keep what is
//! left (possibly none). A check-in's *capped* units are then what its
//! staff member, its mode and each of its support kinds are credited with.
//! So the staff rows, the mode rows and the weekly series add up to the
//! total by construction, and a report for one staff member (`--staff`)
//! shows exactly that staff member's row of the full report: the cap is
//! always applied over everyone's check-ins, the filter only chooses what
//! is shown. (Support kinds overlap: a check-in giving two kinds counts
//! under both, so those rows may add up to more than the total.)

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::checkin::CheckIn;
use super::choice::Choice;
use super::goal::{Goal, GoalStatus};
use super::group::{Group, GroupSession};
use super::ids::{GroupId, PeerId, StaffId};
use super::peer::{Demographics, Peer, PeerStatus};
use super::record::Record;
use super::settings::Settings;
use super::staff::Staff;

/// Which format version a JSON report is, so `report --merge` can refuse
/// documents it does not understand.
pub const REPORT_FORMAT: &str = "caseload-service-report";

/// One staff member's share of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLine {
    /// The staff member.
    pub staff: StaffId,
    /// Their name.
    pub name: String,
    /// Check-ins they logged.
    pub checkins: u64,
    /// Minutes of those check-ins.
    pub minutes: u64,
    /// Units credited to them after the daily cap (see the module docs):
    /// the rows add up to the report's total.
    pub units: u64,
    /// Units of their check-ins before any cap.
    pub units_before_cap: u64,
}

/// One group's share of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Check-ins and units under one label (a mode or a support kind).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Check-ins.
    pub checkins: u64,
    /// Units after the daily cap.
    pub units: u64,
}

/// Goals of one life domain that moved in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalCounts {
    /// Goals whose work began in the period.
    pub set: u64,
    /// Goals marked achieved in the period.
    pub achieved: u64,
    /// Goals marked dropped in the period.
    pub dropped: u64,
}

/// One week of the period (Monday to Sunday, clipped to the period), for
/// the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    /// First day of the week inside the period.
    pub from: NaiveDate,
    /// Last day of the week inside the period.
    pub to: NaiveDate,
    /// Check-ins that week.
    pub checkins: u64,
    /// Units that week, after the cap.
    pub units: u64,
    /// Different peers with a check-in or an attendance that week.
    pub peers: u64,
}

/// The report for one period (both ends inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceReport {
    /// Names the document for `report --merge`.
    #[serde(default)]
    pub format: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// How many centers' reports this adds up (1 unless merged).
    #[serde(default = "one")]
    pub centers: u64,
    /// Name of the staff member the report is limited to, if it is.
    #[serde(default)]
    pub staff_filter: Option<String>,
    /// Different peers with a check-in or a group attendance (merged:
    /// the sum of each center's count, as peers are not matched across
    /// centers).
    pub peers_served: u64,
    /// Different peers with a check-in.
    #[serde(default)]
    pub peers_with_checkins: u64,
    /// Check-ins.
    pub checkins: u64,
    /// Minutes of check-ins.
    pub minutes: u64,
    /// Units of service, with the daily cap per peer applied.
    pub units: u64,
    /// Units before any cap.
    #[serde(default)]
    pub units_before_cap: u64,
    /// Check-ins by mode label.
    pub by_mode: BTreeMap<String, u64>,
    /// Check-ins giving each kind of support.
    pub by_support: BTreeMap<String, u64>,
    /// Check-ins and capped units by mode label.
    #[serde(default)]
    pub mode_units: BTreeMap<String, Tally>,
    /// Check-ins and capped units by support kind (kinds overlap).
    #[serde(default)]
    pub support_units: BTreeMap<String, Tally>,
    /// Mean wellbeing rating where one was given.
    pub mean_wellbeing: Option<f64>,
    /// Wellbeing ratings given (for merging the mean).
    #[serde(default)]
    pub wellbeing_ratings: u64,
    /// Sum of the wellbeing ratings given (for merging the mean).
    #[serde(default)]
    pub wellbeing_sum: u64,
    /// Per staff member, by check-ins (left out of a merged report).
    pub by_staff: Vec<StaffLine>,
    /// Group sessions held.
    pub group_sessions: u64,
    /// Group attendances.
    pub group_attendance: u64,
    /// Different peers at any group.
    #[serde(default)]
    pub group_peers: u64,
    /// Per group (left out of a merged report).
    pub by_group: Vec<GroupLine>,
    /// Peers whose intake fell in the period.
    pub new_peers: u64,
    /// Peers discharged in the period.
    pub discharged: u64,
    /// Peers made active again in the period after a break (their status
    /// is active since a day in the period that is not their intake day).
    #[serde(default)]
    pub readmitted: u64,
    /// Peers with a check-in in the period after at least the settings'
    /// re-engagement window (30 days by default) without a check-in, who
    /// had been in touch before.
    #[serde(default)]
    pub reengaged: u64,
    /// The re-engagement window used, in days.
    #[serde(default)]
    pub reengage_after_days: u64,
    /// Goals achieved in the period.
    pub goals_achieved: u64,
    /// Goals dropped in the period.
    #[serde(default)]
    pub goals_dropped: u64,
    /// Goals set (begun) in the period.
    #[serde(default)]
    pub goals_set: u64,
    /// Goals active at the end of the period.
    pub goals_active: u64,
    /// Goals set, achieved and dropped by life domain label.
    #[serde(default)]
    pub goals_by_domain: BTreeMap<String, GoalCounts>,
    /// The period week by week.
    #[serde(default)]
    pub weeks: Vec<Week>,
    /// Peers served, counted by each demographic field the organization
    /// turned on in settings (field → value → peers; "not given" for
    /// those who did not say). Counts only, never who.
    #[serde(default)]
    pub demographics: BTreeMap<String, BTreeMap<String, u64>>,
    /// Referrals made in the period, by resource category and outcome
    /// (appended for the referrals; older reports read as none).
    #[serde(default)]
    pub referrals: super::referral::ReferralFigures,
    /// Recovery capital (BARC-10 and other instruments): per instrument,
    /// the mean change from each peer's first assessment to their latest
    /// up to the period's end, among peers with two or more.
    #[serde(default)]
    pub recovery_capital: Vec<super::assessment::CapitalChange>,
    /// Drop-in visits at the front desk: per day, daily and period
    /// unduplicated visitors, by purpose (absent from older reports).
    #[serde(default)]
    pub visits: super::visit::VisitFigures,
}

fn one() -> u64 {
    1
}

/// Why a set of reports cannot be added up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MergeError(pub String);

impl ServiceReport {
    /// Adds up the reports of several centers for the same period: counts
    /// only (per-staff and per-group rows stay with their center). Peers
    /// are not matched across centers, so `peers_served` and the weekly
    /// peers are sums of each center's unduplicated counts. `names` label
    /// the reports in messages.
    pub fn merge(reports: &[(String, ServiceReport)]) -> Result<ServiceReport, MergeError> {
        let Some((first_name, first)) = reports.first() else {
            return Err(MergeError("give at least one report to merge".into()));
        };
        let mut out = first.clone();
        out.by_staff.clear();
        out.by_group.clear();
        out.staff_filter = None;
        for (name, r) in &reports[1..] {
            if (r.from, r.to) != (first.from, first.to) {
                return Err(MergeError(format!(
                    "{name} covers {} to {}, but {first_name} covers {} to {}: merge reports of the same period only",
                    r.from, r.to, first.from, first.to
                )));
            }
            if r.weeks.len() != out.weeks.len() {
                return Err(MergeError(format!(
                    "{name}: its weekly series does not match {first_name}'s"
                )));
            }
            out.centers += r.centers;
            out.peers_served += r.peers_served;
            out.peers_with_checkins += r.peers_with_checkins;
            out.checkins += r.checkins;
            out.minutes += r.minutes;
            out.units += r.units;
            out.units_before_cap += r.units_before_cap;
            for (k, v) in &r.by_mode {
                *out.by_mode.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &r.by_support {
                *out.by_support.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &r.mode_units {
                let t = out.mode_units.entry(k.clone()).or_default();
                t.checkins += v.checkins;
                t.units += v.units;
            }
            for (k, v) in &r.support_units {
                let t = out.support_units.entry(k.clone()).or_default();
                t.checkins += v.checkins;
                t.units += v.units;
            }
            out.wellbeing_ratings += r.wellbeing_ratings;
            out.wellbeing_sum += r.wellbeing_sum;
            out.group_sessions += r.group_sessions;
            out.group_attendance += r.group_attendance;
            out.group_peers += r.group_peers;
            out.new_peers += r.new_peers;
            out.discharged += r.discharged;
            out.readmitted += r.readmitted;
            out.reengaged += r.reengaged;
            out.goals_achieved += r.goals_achieved;
            out.goals_dropped += r.goals_dropped;
            out.goals_set += r.goals_set;
            out.goals_active += r.goals_active;
            for (k, v) in &r.goals_by_domain {
                let g = out.goals_by_domain.entry(k.clone()).or_default();
                g.set += v.set;
                g.achieved += v.achieved;
                g.dropped += v.dropped;
            }
            for (field, values) in &r.demographics {
                let f = out.demographics.entry(field.clone()).or_default();
                for (v, n) in values {
                    *f.entry(v.clone()).or_default() += n;
                }
            }
            out.referrals.add(&r.referrals);
            for (w, o) in out.weeks.iter_mut().zip(&r.weeks) {
                w.checkins += o.checkins;
                w.units += o.units;
                w.peers += o.peers;
            }
        }
        out.recovery_capital = super::assessment::merge_capital(
            &reports
                .iter()
                .map(|(_, r)| r.recovery_capital.as_slice())
                .collect::<Vec<_>>(),
        );
        out.visits = super::visit::VisitFigures::merge(reports.iter().map(|(_, r)| &r.visits));
        out.mean_wellbeing = (out.wellbeing_ratings > 0)
            .then(|| out.wellbeing_sum as f64 / out.wellbeing_ratings as f64);
        Ok(out)
    }
}

/// The period a report covers, as asked for (`--month 2026-11`,
/// `--quarter 2026Q4`, `--year 2026`, or two days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
}

impl Period {
    /// The days from `from` to `to`, refused if it ends before it starts.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if to < from {
            return Err(format!("the period ends ({to}) before it starts ({from})"));
        }
        Ok(Period { from, to })
    }

    /// A calendar month written `2026-11`.
    pub fn month(text: &str) -> Result<Period, String> {
        let bad = || format!("--month: cannot read '{text}' as a month; write it like 2026-11");
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        Self::months(y, m, 1).ok_or_else(bad)
    }

    /// A calendar quarter written `2026Q4` (or `2026-Q4`, any case).
    pub fn quarter(text: &str) -> Result<Period, String> {
        let bad = || format!("--quarter: cannot read '{text}' as a quarter; write it like 2026Q4");
        let t = text.trim().to_ascii_uppercase();
        let (y, q) = t.split_once('Q').ok_or_else(bad)?;
        let y: i32 = y.trim_end_matches('-').parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) {
            return Err(format!("--quarter: '{text}': a quarter is Q1 to Q4"));
        }
        Self::months(y, 3 * q - 2, 3).ok_or_else(bad)
    }

    /// A calendar year written `2026`.
    pub fn year(text: &str) -> Result<Period, String> {
        let bad = || format!("--year: cannot read '{text}' as a year; write it like 2026");
        let y: i32 = text.trim().parse().map_err(|_| bad())?;
        Self::months(y, 1, 12).ok_or_else(bad)
    }

    fn months(y: i32, first: u32, count: u32) -> Option<Period> {
        if !(1900..=2999).contains(&y) {
            return None;
        }
        let from = NaiveDate::from_ymd_opt(y, first, 1)?;
        let last = first + count - 1;
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(y, last + 1, 1)?
        };
        Some(Period {
            from,
            to: next.pred_opt()?,
        })
    }
}

/// One check-in as the cap needs it.
#[derive(Debug, Clone)]
struct Contact {
    at: DateTime<FixedOffset>,
    staff: StaffId,
    minutes: u16,
    units: u32,
    mode: &'static str,
    support: Vec<&'static str>,
}

/// Accumulates a report from records fed one by one.
pub struct ReportBuilder<'a> {
    settings: &'a Settings,
    from: NaiveDate,
    to: NaiveDate,
    staff: Option<StaffId>,
    staff_name: Option<String>,
    contacts: HashMap<(PeerId, NaiveDate), Vec<Contact>>,
    wellbeing: (u64, u64),
    groups: HashMap<GroupId, (u64, u64, HashSet<PeerId>)>,
    attended: Vec<(NaiveDate, PeerId)>,
    last_before: HashMap<PeerId, NaiveDate>,
    new_peers: u64,
    discharged: u64,
    readmitted: u64,
    goals_active: u64,
    goals_by_domain: BTreeMap<String, GoalCounts>,
    demographics: HashMap<PeerId, Demographics>,
}

impl<'a> ReportBuilder<'a> {
    /// A report for `from` to `to`, inclusive.
    pub fn new(settings: &'a Settings, from: NaiveDate, to: NaiveDate) -> Self {
        ReportBuilder {
            settings,
            from,
            to,
            staff: None,
            staff_name: None,
            contacts: HashMap::new(),
            wellbeing: (0, 0),
            groups: HashMap::new(),
            attended: Vec::new(),
            last_before: HashMap::new(),
            new_peers: 0,
            discharged: 0,
            readmitted: 0,
            goals_active: 0,
            goals_by_domain: BTreeMap::new(),
            demographics: HashMap::new(),
        }
    }

    /// Notes a peer's demographics, if the organization reports any (feed
    /// every peer, also for a one-staff report: whoever was served counts).
    pub fn demographics_of(&mut self, id: PeerId, p: &Peer) {
        if self.settings.demographics.any() {
            self.demographics.insert(id, p.demographics.clone());
        }
    }

    /// Limits what the report shows to one staff member's check-ins and
    /// the sessions they facilitated; roster and goal figures to the peers
    /// assigned to them (the caller feeds only those). The cap is still
    /// applied over every check-in fed.
    pub fn only_staff(mut self, staff: StaffId, name: impl Into<String>) -> Self {
        self.staff = Some(staff);
        self.staff_name = Some(name.into());
        self
    }

    fn in_period(&self, d: NaiveDate) -> bool {
        d >= self.from && d <= self.to
    }

    fn shown(&self, staff: StaffId) -> bool {
        self.staff.is_none_or(|s| s == staff)
    }

    /// Counts a check-in (ignored outside the period). Feed every staff
    /// member's check-ins even for a one-staff report: the cap needs them.
    pub fn checkin(&mut self, c: &CheckIn) {
        if !self.in_period(c.day()) {
            return;
        }
        if self.shown(c.staff) {
            if let Some(w) = c.wellbeing {
                self.wellbeing.0 += u64::from(w);
                self.wellbeing.1 += 1;
            }
        }
        self.contacts
            .entry((c.peer, c.day()))
            .or_default()
            .push(Contact {
                at: c.at,
                staff: c.staff,
                minutes: c.minutes,
                units: self.settings.units_for(c.minutes),
                mode: c.mode.label(),
                support: c.support.iter().map(|s| s.label()).collect(),
            });
    }

    /// Notes a peer's last check-in day before the period, for counting
    /// who re-engaged.
    pub fn last_contact_before(&mut self, peer: PeerId, day: NaiveDate) {
        if day < self.from {
            self.last_before.insert(peer, day);
        }
    }

    /// Counts a group session (ignored outside the period, and for a
    /// one-staff report unless they facilitated it).
    pub fn session(&mut self, s: &GroupSession) {
        if !self.in_period(s.date) {
            return;
        }
        if let Some(only) = self.staff {
            if s.facilitator != Some(only) {
                return;
            }
        }
        let entry = self.groups.entry(s.group).or_default();
        entry.0 += 1;
        entry.1 += s.attendees.len() as u64;
        for p in &s.attendees {
            entry.2.insert(*p);
            self.attended.push((s.date, *p));
        }
    }

    /// Counts a peer's intake, discharge and re-admission.
    pub fn peer(&mut self, p: &Peer) {
        if self.in_period(p.intake_date) {
            self.new_peers += 1;
        }
        if p.status == PeerStatus::Discharged && self.in_period(p.status_since) {
            self.discharged += 1;
        }
        if p.status == PeerStatus::Active
            && self.in_period(p.status_since)
            && p.status_since != p.intake_date
        {
            self.readmitted += 1;
        }
    }

    /// Counts a goal set, achieved or dropped in the period (from its
    /// status history), or active at its end.
    pub fn goal(&mut self, g: &Goal) {
        let domain = g.domain.label().to_string();
        let set = self.in_period(g.start_date);
        let mut achieved = false;
        let mut dropped = false;
        for h in g.history.iter().filter(|h| self.in_period(h.on)) {
            match h.to {
                GoalStatus::Achieved if h.from.is_some() => achieved = true,
                GoalStatus::Dropped if h.from.is_some() => dropped = true,
                _ => {}
            }
        }
        if set || achieved || dropped {
            let e = self.goals_by_domain.entry(domain).or_default();
            e.set += u64::from(set);
            e.achieved += u64::from(achieved);
            e.dropped += u64::from(dropped);
        }
        let status_at_end = g.history.iter().rfind(|h| h.on <= self.to).map(|h| h.to);
        if g.start_date <= self.to && status_at_end == Some(GoalStatus::Active) {
            self.goals_active += 1;
        }
    }

    /// The week (Monday-based, clipped to the period) a day falls in.
    fn week_index(&self, d: NaiveDate) -> usize {
        let first_monday =
            self.from - Duration::days(i64::from(self.from.weekday().num_days_from_monday()));
        ((d - first_monday).num_days() / 7) as usize
    }

    fn empty_weeks(&self) -> Vec<Week> {
        let mut weeks = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let sunday =
                start + Duration::days(6 - i64::from(start.weekday().num_days_from_monday()));
            let end = sunday.min(self.to);
            weeks.push(Week {
                from: start,
                to: end,
                checkins: 0,
                units: 0,
                peers: 0,
            });
            match end.succ_opt() {
                Some(n) => start = n,
                None => break,
            }
        }
        weeks
    }

    /// The finished report, with staff and group names.
    pub fn finish(self, staff: &[Record<Staff>], groups: &[Record<Group>]) -> ServiceReport {
        let cap = self.settings.daily_unit_cap;
        let mut weeks = self.empty_weeks();
        let mut week_peers: Vec<HashSet<PeerId>> = vec![HashSet::new(); weeks.len()];
        let mut served: HashSet<PeerId> = HashSet::new();
        let mut with_checkins: HashSet<PeerId> = HashSet::new();
        let (mut checkins, mut minutes, mut units, mut units_before_cap) = (0u64, 0u64, 0u64, 0u64);
        let mut by_mode: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_support: BTreeMap<String, u64> = BTreeMap::new();
        let mut mode_units: BTreeMap<String, Tally> = BTreeMap::new();
        let mut support_units: BTreeMap<String, Tally> = BTreeMap::new();
        let mut by_staff: HashMap<StaffId, StaffLine> = HashMap::new();
        let mut days_by_peer: HashMap<PeerId, Vec<NaiveDate>> = HashMap::new();

        let mut keys: Vec<&(PeerId, NaiveDate)> = self.contacts.keys().collect();
        keys.sort();
        for key in keys {
            let (peer, day) = *key;
            let Some(list) = self.contacts.get(key) else {
                continue;
            };
            let mut list = list.clone();
            list.sort_by(|a, b| {
                a.at.cmp(&b.at)
                    .then(a.staff.cmp(&b.staff))
                    .then(a.minutes.cmp(&b.minutes))
            });
            let mut left = cap.unwrap_or(u32::MAX);
            let week = self.week_index(day).min(weeks.len().saturating_sub(1));
            let mut shown_any = false;
            for c in &list {
                let capped = c.units.min(left);
                left -= capped;
                if !self.shown(c.staff) {
                    continue;
                }
                shown_any = true;
                checkins += 1;
                minutes += u64::from(c.minutes);
                units += u64::from(capped);
                units_before_cap += u64::from(c.units);
                *by_mode.entry(c.mode.to_string()).or_default() += 1;
                let t = mode_units.entry(c.mode.to_string()).or_default();
                t.checkins += 1;
                t.units += u64::from(capped);
                for s in &c.support {
                    *by_support.entry(s.to_string()).or_default() += 1;
                    let t = support_units.entry(s.to_string()).or_default();
                    t.checkins += 1;
                    t.units += u64::from(capped);
                }
                let line = by_staff.entry(c.staff).or_insert_with(|| StaffLine {
                    staff: c.staff,
                    name: staff
                        .iter()
                        .find(|s| s.id == c.staff)
                        .map_or_else(|| c.staff.to_string(), |s| s.name.clone()),
                    checkins: 0,
                    minutes: 0,
                    units: 0,
                    units_before_cap: 0,
                });
                line.checkins += 1;
                line.minutes += u64::from(c.minutes);
                line.units += u64::from(capped);
                line.units_before_cap += u64::from(c.units);
                if let Some(w) = weeks.get_mut(week) {
                    w.checkins += 1;
                    w.units += u64::from(capped);
                }
            }
            if shown_any {
                served.insert(peer);
                with_checkins.insert(peer);
                if let Some(p) = week_peers.get_mut(week) {
                    p.insert(peer);
                }
                days_by_peer.entry(peer).or_default().push(day);
            }
        }
        for (day, peer) in &self.attended {
            served.insert(*peer);
            let week = self.week_index(*day).min(weeks.len().saturating_sub(1));
            if let Some(p) = week_peers.get_mut(week) {
                p.insert(*peer);
            }
        }
        for (w, p) in weeks.iter_mut().zip(&week_peers) {
            w.peers = p.len() as u64;
        }

        // Re-engaged: a check-in day at least the window after the
        // previous one (before or within the period).
        let window = i64::from(self.settings.reengage_after_days);
        let mut reengaged = 0u64;
        for (peer, days) in &mut days_by_peer {
            days.sort();
            let mut previous = self.last_before.get(peer).copied();
            let mut found = false;
            for d in days.iter() {
                if let Some(p) = previous {
                    if (*d - p).num_days() >= window {
                        found = true;
                    }
                }
                previous = Some(*d);
            }
            reengaged += u64::from(found);
        }

        let mut by_staff: Vec<StaffLine> = by_staff.into_values().collect();
        by_staff.sort_by(|a, b| b.checkins.cmp(&a.checkins).then(a.staff.cmp(&b.staff)));
        let mut group_peers: HashSet<PeerId> = HashSet::new();
        let mut by_group: Vec<GroupLine> = self
            .groups
            .into_iter()
            .map(|(id, (sessions, attendance, peers))| {
                group_peers.extend(peers.iter().copied());
                GroupLine {
                    group: id,
                    name: groups
                        .iter()
                        .find(|g| g.id == id)
                        .map_or_else(|| id.to_string(), |g| g.name.clone()),
                    sessions,
                    attendance,
                    unique_peers: peers.len() as u64,
                }
            })
            .collect();
        by_group.sort_by_key(|g| g.group);
        let demographics = demographic_counts(self.settings, &served, &self.demographics);
        let sum = |f: fn(&GoalCounts) -> u64| self.goals_by_domain.values().map(f).sum::<u64>();
        ServiceReport {
            format: REPORT_FORMAT.to_string(),
            from: self.from,
            to: self.to,
            centers: 1,
            staff_filter: self.staff_name,
            peers_served: served.len() as u64,
            peers_with_checkins: with_checkins.len() as u64,
            checkins,
            minutes,
            units,
            units_before_cap,
            by_mode,
            by_support,
            mode_units,
            support_units,
            mean_wellbeing: (self.wellbeing.1 > 0)
                .then(|| self.wellbeing.0 as f64 / self.wellbeing.1 as f64),
            wellbeing_ratings: self.wellbeing.1,
            wellbeing_sum: self.wellbeing.0,
            group_sessions: by_group.iter().map(|g| g.sessions).sum(),
            group_attendance: by_group.iter().map(|g| g.attendance).sum(),
            group_peers: group_peers.len() as u64,
            by_staff,
            by_group,
            new_peers: self.new_peers,
            discharged: self.discharged,
            readmitted: self.readmitted,
            reengaged,
            reengage_after_days: window as u64,
            goals_achieved: sum(|g| g.achieved),
            goals_dropped: sum(|g| g.dropped),
            goals_set: sum(|g| g.set),
            goals_active: self.goals_active,
            goals_by_domain: self.goals_by_domain,
            weeks,
            demographics,
            referrals: Default::default(),
            recovery_capital: Vec::new(),
            visits: Default::default(),
        }
    }
}

/// Counts the served peers by each demographic field turned on.
fn demographic_counts(
    settings: &Settings,
    served: &HashSet<PeerId>,
    known: &HashMap<PeerId, Demographics>,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    const NOT_GIVEN: &str = "not given";
    let on = settings.demographics;
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| NOT_GIVEN.to_string())
    };
    for peer in served {
        let d = known.get(peer).cloned().unwrap_or_default();
        let mut add = |field: &str, value: String| {
            *out.entry(field.to_string())
                .or_default()
                .entry(value)
                .or_default() += 1;
        };
        if on.age_band {
            add(
                "age band",
                d.age_band
                    .map_or(NOT_GIVEN.to_string(), |a| a.label().to_string()),
            );
        }
        if on.gender_identity {
            add("gender identity", text(&d.gender_identity));
        }
        if on.veteran {
            add(
                "veteran",
                match d.veteran {
                    Some(true) => "yes".to_string(),
                    Some(false) => "no".to_string(),
                    None => NOT_GIVEN.to_string(),
                },
            );
        }
        if on.county {
            add("county", text(&d.county));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckInMode, LifeDomain, SupportKind};
    use chrono::DateTime;

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
        c2.at = at("2026-11-10T12:00:00Z");
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
        assert_eq!(r.units_before_cap, 6);
        assert_eq!(r.by_staff[0].units, 4, "staff lines are after the cap");
        assert_eq!(r.by_staff[0].units_before_cap, 6);
        assert_eq!(r.by_mode.get("in person"), Some(&1));
        assert_eq!(r.by_mode.get("phone"), Some(&1));
        assert_eq!(r.mode_units["in person"].units, 4);
        assert_eq!(
            r.mode_units["phone"].units, 0,
            "the later contact is over the cap"
        );
        assert_eq!(r.by_support.get("emotional"), Some(&2));
        assert_eq!(r.mean_wellbeing, Some(3.0));
        assert_eq!(r.peers_served, 1);
    }

    #[test]
    fn the_cap_goes_to_the_earliest_contacts_across_staff() {
        let settings = Settings {
            daily_unit_cap: Some(4),
            ..Settings::default()
        };
        let (s1, s2) = (StaffId::new(1), StaffId::new(2));
        let p = PeerId::new(1);
        let feed = |b: &mut ReportBuilder| {
            let mut a = CheckIn::new(p, s2, at("2026-11-10T09:00:00Z"));
            a.minutes = 45; // 3 units, first
            b.checkin(&a);
            let mut c = CheckIn::new(p, s1, at("2026-11-10T11:00:00Z"));
            c.minutes = 45; // 3 units, only 1 left
            b.checkin(&c);
        };
        let mut b = ReportBuilder::new(&settings, d("2026-11-01"), d("2026-11-30"));
        feed(&mut b);
        let r = b.finish(&[], &[]);
        let of = |id| r.by_staff.iter().find(|l| l.staff == id).unwrap().units;
        assert_eq!((r.units, of(s2), of(s1)), (4, 3, 1));
        let mut only =
            ReportBuilder::new(&settings, d("2026-11-01"), d("2026-11-30")).only_staff(s1, "One");
        feed(&mut only);
        let r1 = only.finish(&[], &[]);
        assert_eq!(
            (r1.units, r1.checkins),
            (1, 1),
            "the staff's row of the full report"
        );
    }

    #[test]
    fn merging_adds_counts_and_refuses_other_periods() {
        let settings = Settings::default();
        let mut b = ReportBuilder::new(&settings, d("2026-11-01"), d("2026-11-30"));
        let mut c = CheckIn::new(PeerId::new(1), StaffId::new(1), at("2026-11-10T10:00:00Z"));
        c.wellbeing = Some(5);
        b.checkin(&c);
        let a = b.finish(&[], &[]);
        let mut b2 = ReportBuilder::new(&settings, d("2026-11-01"), d("2026-11-30"));
        c.wellbeing = Some(3);
        b2.checkin(&c);
        b2.checkin(&c);
        let bb = b2.finish(&[], &[]);
        let m = ServiceReport::merge(&[("a".into(), a.clone()), ("b".into(), bb)]).unwrap();
        assert_eq!((m.centers, m.checkins, m.peers_served), (2, 3, 2));
        assert_eq!(m.mean_wellbeing, Some(11.0 / 3.0));
        assert!(m.by_staff.is_empty());
        let other =
            ReportBuilder::new(&settings, d("2026-10-01"), d("2026-10-31")).finish(&[], &[]);
        let e = ServiceReport::merge(&[("a".into(), a), ("b.json".into(), other)]).unwrap_err();
        assert!(
            e.0.contains("b.json covers 2026-10-01 to 2026-10-31"),
            "{e}"
        );
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
        assert_eq!(r.goals_by_domain["housing"].achieved, 1);
    }
}
