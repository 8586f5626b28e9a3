//! Dates and times as staff type them: `2026-11-23`, `today`, `tomorrow`,
//! `+3d`, `-1w`, `friday`, `14:30`, `yesterday 9:15`; weekdays and times of
//! day for groups; the plausible window of each kind of date; and the
//! center's time zone, with its daylight-saving rules, that every moment
//! is read and shown in.
//!
//! Relative words need a reference day, so every function here takes it:
//! nothing reads the clock, which keeps the rules testable. The zone is a
//! [`CenterTime`]: `chrono::Local` in the program (the machine's zone,
//! `TZ` honoured, with the real rules of every date, not today's offset)
//! and any `chrono::TimeZone` (an IANA zone) in tests.

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc, Weekday,
};

use super::validate::ValidationError;

/// The center's time zone: converts between the wall-clock times staff
/// type and read and the instants the store keeps, using the zone's rules
/// for that very date (so a time typed for a day after a daylight-saving
/// change gets that day's offset, not today's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CenterTime<Z = Local>(pub Z);

/// The center's zone as the program uses it: the machine's local zone.
pub const CENTER: CenterTime = CenterTime(Local);

impl<Z: TimeZone> CenterTime<Z> {
    /// The instant `t`, with the center's offset at that instant.
    pub fn at<T: TimeZone>(&self, t: &DateTime<T>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.0).fixed_offset()
    }

    /// The center's wall-clock `local` as an instant. A time that occurs
    /// twice (clocks going back) means the first; a time that does not exist
    /// (clocks going forward) is `None`.
    pub fn moment(&self, local: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        self.0
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.fixed_offset())
    }

    /// The day (in the center's zone) on which the instant `t` falls.
    pub fn day_of<T: TimeZone>(&self, t: &DateTime<T>) -> NaiveDate {
        t.with_timezone(&self.0).date_naive()
    }

    /// The first instant of `date` in the center's zone, as UTC. Where a
    /// change of clocks skips midnight, the day starts at the first
    /// wall-clock time that exists.
    pub fn start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_time(NaiveTime::MIN);
        // Probe forward in quarter hours past a skipped midnight (no zone
        // has ever skipped more than a day).
        for quarter in 0..(4 * 24) {
            let t = midnight + Duration::minutes(15 * quarter);
            if let Some(found) = self.0.from_local_datetime(&t).earliest() {
                return found.with_timezone(&Utc);
            }
        }
        Utc.from_utc_datetime(&midnight)
    }

    /// The instants of `date` in the center's zone: from its first instant
    /// up to (not including) the next day's. 23 hours long on the day
    /// clocks go forward, 25 on the day they go back.
    pub fn day_bounds(&self, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let next = date.succ_opt().unwrap_or(date);
        (self.start_of_day(date), self.start_of_day(next))
    }
}

/// Which way a bare weekday name points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// "friday" means the next Friday after today (follow-ups, reviews).
    Future,
    /// "friday" means the last Friday before today (when a contact was).
    Past,
}

/// What was wrong with a date or time a user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// It could not be read at all.
    Unreadable {
        /// "date" or "date and time".
        what: &'static str,
        /// The accepted forms.
        hint: &'static str,
    },
    /// It was read, but lies outside the window that kind of date can
    /// plausibly have (a check-in next year, an intake in 0001).
    Implausible {
        /// The date as read.
        read: String,
        /// Why it is out of range, naming the limits.
        why: String,
    },
    /// A wall-clock time that the center's clocks skip on that day.
    Skipped {
        /// The time as read.
        read: String,
    },
}

/// A date or time that could not be used, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DateParseError {
    /// The field being parsed ("follow-up", "--at").
    pub field: String,
    /// What the user typed.
    pub given: String,
    /// What was wrong with it.
    pub problem: DateProblem,
}

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            DateProblem::Unreadable { what, hint } => write!(
                f,
                "{}: cannot read '{}' as a {what} ({hint})",
                self.field, self.given
            ),
            DateProblem::Implausible { read, why } => {
                write!(f, "{}: '{}' ({read}) {why}", self.field, self.given)
            }
            DateProblem::Skipped { read } => write!(
                f,
                "{}: '{}' ({read}) does not exist: the clocks move forward past it that day; give a time after the change",
                self.field, self.given
            ),
        }
    }
}

impl From<DateParseError> for ValidationError {
    fn from(e: DateParseError) -> Self {
        let field = e.field.clone();
        let full = e.to_string();
        let problem = full
            .strip_prefix(&format!("{field}: "))
            .map(str::to_string)
            .unwrap_or(full);
        ValidationError::one(field, problem)
    }
}

const DATE_HINT: &str =
    "use YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w or a weekday name like friday";
const DATETIME_HINT: &str =
    "use YYYY-MM-DD HH:MM, HH:MM, or a date word followed by HH:MM, like 'yesterday 14:30'";

/// No date caseload keeps is earlier than this (birth years of the oldest
/// peers, old intakes moved from paper).
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far ahead of now a check-in may be dated: a day, for a contact
/// logged across a change of date or a clock a little off, never next year.
pub const CONTACT_AHEAD: Duration = Duration::days(1);

/// The kinds of dates users give, each with its plausible window. The
/// window is defined here once; the CLI, the UI and `ops` all check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// When a contact happened (`--at`, the check-in form's "when"):
    /// from 1900 to a day ahead.
    Contact,
    /// When to be in touch next: from the contact's day to a year after.
    FollowUp,
    /// A peer's first day: from 1900 to a year ahead.
    Intake,
    /// When work on a goal begins: from 1900 to a year ahead.
    GoalStart,
    /// When a peer hopes to reach a goal: from 1900 to ten years ahead.
    Target,
    /// When to review a goal next: from 1900 to five years ahead (the
    /// goal's own rule refuses a new review date in the past).
    Review,
    /// A day to look at or record (`today --date`, `group attend --date`,
    /// `report --from/--to`): from 1900 to a year ahead.
    Day,
}

impl DateKind {
    /// The latest plausible date of this kind, seen from `today`.
    pub fn latest(self, today: NaiveDate) -> NaiveDate {
        let days = match self {
            DateKind::Contact => 1,
            DateKind::FollowUp | DateKind::Intake | DateKind::GoalStart | DateKind::Day => 366,
            DateKind::Target => 3_653,
            DateKind::Review => 1_827,
        };
        today
            .checked_add_signed(Duration::days(days))
            .unwrap_or(NaiveDate::MAX)
    }

    fn ahead_words(self) -> &'static str {
        match self {
            DateKind::Contact => "a day",
            DateKind::FollowUp | DateKind::Intake | DateKind::GoalStart | DateKind::Day => "a year",
            DateKind::Target => "ten years",
            DateKind::Review => "five years",
        }
    }
}

/// Checks that `date` (typed as `given`) is plausible for its kind, seen
/// from `today` (for a follow-up: the contact's day). The error names the
/// field and both limits.
pub fn plausible(
    field: &str,
    given: &str,
    kind: DateKind,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, DateParseError> {
    let latest = kind.latest(today);
    let why = if date < EARLIEST {
        format!("is before {EARLIEST}; give a date from {EARLIEST} on")
    } else if date > latest {
        let from = if kind == DateKind::FollowUp {
            "the check-in"
        } else {
            "today"
        };
        format!(
            "is more than {} after {from} ({today}); give a date up to {latest}",
            kind.ahead_words()
        )
    } else {
        return Ok(date);
    };
    Err(DateParseError {
        field: field.to_string(),
        given: given.to_string(),
        problem: DateProblem::Implausible {
            read: date.to_string(),
            why,
        },
    })
}

/// Checks that the moment of a contact is plausible: not before 1900 and
/// at most [`CONTACT_AHEAD`] after `now`.
pub fn plausible_contact(
    field: &str,
    given: &str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DateParseError> {
    let read = at.format("%Y-%m-%d %H:%M").to_string();
    let why = if at.date_naive() < EARLIEST {
        format!("is before {EARLIEST}; give a time from {EARLIEST} on")
    } else if at > now + CONTACT_AHEAD {
        format!(
            "is more than a day after now ({}); a check-in is logged when it happens or after",
            now.format("%Y-%m-%d %H:%M")
        )
    } else {
        return Ok(at);
    };
    Err(DateParseError {
        field: field.to_string(),
        given: given.to_string(),
        problem: DateProblem::Implausible { read, why },
    })
}

/// Parses a date typed by a user, relative to `today`, and checks it
/// against the window of its `kind`.
pub fn parse_date_as(
    field: &str,
    text: &str,
    today: NaiveDate,
    direction: Direction,
    kind: DateKind,
) -> Result<NaiveDate, DateParseError> {
    let date = read_date(field, text, today, direction)?;
    plausible(field, text.trim(), kind, date, today)
}

/// Parses a date typed by a user, relative to `today`. Any date from 1900
/// up to a hundred years ahead is read; [`parse_date_as`] narrows that to
/// the window of a kind of date.
pub fn parse_date(
    field: &str,
    text: &str,
    today: NaiveDate,
    direction: Direction,
) -> Result<NaiveDate, DateParseError> {
    let date = read_date(field, text, today, direction)?;
    let century = today
        .checked_add_signed(Duration::days(36_525))
        .unwrap_or(NaiveDate::MAX);
    if date < EARLIEST || date > century {
        let why = if date < EARLIEST {
            format!("is before {EARLIEST}; give a date from {EARLIEST} on")
        } else {
            format!("is more than a hundred years ahead; give a date up to {century}")
        };
        return Err(DateParseError {
            field: field.to_string(),
            given: text.trim().to_string(),
            problem: DateProblem::Implausible {
                read: date.to_string(),
                why,
            },
        });
    }
    Ok(date)
}

/// Reads a date with no window applied.
fn read_date(
    field: &str,
    text: &str,
    today: NaiveDate,
    direction: Direction,
) -> Result<NaiveDate, DateParseError> {
    date_word(text.trim(), today, direction).ok_or_else(|| DateParseError {
        field: field.to_string(),
        given: text.to_string(),
        problem: DateProblem::Unreadable {
            what: "date",
            hint: DATE_HINT,
        },
    })
}

fn date_word(t: &str, today: NaiveDate, direction: Direction) -> Option<NaiveDate> {
    let lower = t.to_lowercase();
    match lower.as_str() {
        "today" | "now" => return Some(today),
        "tomorrow" => return today.succ_opt(),
        "yesterday" => return today.pred_opt(),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    if let Some(d) = relative_offset(&lower, today) {
        return Some(d);
    }
    let (dir, name) = if let Some(rest) = lower.strip_prefix("next ") {
        (Direction::Future, rest.trim())
    } else if let Some(rest) = lower.strip_prefix("last ") {
        (Direction::Past, rest.trim())
    } else {
        (direction, lower.as_str())
    };
    let wd: Weekday = name.parse().ok()?;
    Some(step_to_weekday(today, wd, dir))
}

/// `+3d`, `-2w`, `+1m` (30 days), `3d` (forwards).
fn relative_offset(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1i64, &t[1..]),
        b'-' => (-1i64, &t[1..]),
        _ => (1i64, t),
    };
    let unit = rest.chars().last()?;
    let n: i64 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
    if !(0..=3660).contains(&n) {
        return None;
    }
    let days = match unit {
        'd' => n,
        'w' => n * 7,
        'm' => n * 30,
        _ => return None,
    };
    today.checked_add_signed(Duration::days(sign * days))
}

fn step_to_weekday(today: NaiveDate, wd: Weekday, dir: Direction) -> NaiveDate {
    let from = today.weekday().num_days_from_monday() as i64;
    let to = wd.num_days_from_monday() as i64;
    let delta = match dir {
        Direction::Future => {
            let d = (to - from).rem_euclid(7);
            if d == 0 {
                7
            } else {
                d
            }
        }
        Direction::Past => {
            let d = (from - to).rem_euclid(7);
            -(if d == 0 { 7 } else { d })
        }
    };
    today + Duration::days(delta)
}

/// Parses a time of day: `14:30`, `9:05`, `2:30pm`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim().to_lowercase();
    for fmt in ["%H:%M", "%H:%M:%S", "%I:%M%p", "%I:%M %p", "%I%p"] {
        if let Ok(time) = NaiveTime::parse_from_str(&t, fmt) {
            return Some(time);
        }
    }
    None
}

/// Reads the weekday a group meets ("tue", "Tuesday"), naming `field`
/// when it is empty or not a day. The CLI's `--weekday` and the UI's group
/// form both read it here.
pub fn parse_weekday(field: &str, text: &str) -> Result<Weekday, ValidationError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValidationError::one(
            field,
            "give the day it meets, like tuesday",
        ));
    }
    t.parse::<Weekday>().map_err(|_| {
        ValidationError::one(
            field,
            format!(
                "'{}' is not a day of the week (monday … sunday, or mon … sun)",
                crate::text::escape_line(t)
            ),
        )
    })
}

/// Reads the time of day a group starts ("14:00", "2pm"), naming `field`.
/// The CLI's `--time` and the UI's group form both read it here.
pub fn parse_time_of_day(field: &str, text: &str) -> Result<NaiveTime, ValidationError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValidationError::one(
            field,
            "give the time it starts, like 14:00",
        ));
    }
    parse_time(t).ok_or_else(|| {
        ValidationError::one(
            field,
            format!(
                "cannot read '{}' as a time; give HH:MM like 14:00, or 2:30pm",
                crate::text::escape_line(t)
            ),
        )
    })
}

/// Parses the moment of a contact typed by a user, in the center's zone
/// (the machine's local zone with its daylight-saving rules), relative to
/// `now`. See [`parse_datetime_in`].
pub fn parse_datetime(
    field: &str,
    text: &str,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DateParseError> {
    parse_datetime_in(&CENTER, field, text, now)
}

/// Parses the moment of a contact typed by a user, read as wall-clock time
/// in `zone` with that date's own offset, and checks it is plausible (from
/// 1900 to a day after `now`). A typed time carries the center's offset at
/// that instant (a text with its own offset is moved to the center's), so
/// every check-in falls on the center's day. `now` is the center's current
/// time as [`CenterTime::at`] gives it (`ops::local_now`); "now" and
/// "today" are taken from it as it is.
///
/// A date alone means noon that day (a contact logged afterwards for "that
/// day"); a time alone means today at that time.
pub fn parse_datetime_in<Z: TimeZone>(
    zone: &CenterTime<Z>,
    field: &str,
    text: &str,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DateParseError> {
    let unreadable = || DateParseError {
        field: field.to_string(),
        given: text.to_string(),
        problem: DateProblem::Unreadable {
            what: "date and time",
            hint: DATETIME_HINT,
        },
    };
    let t = text.trim();
    let local = |ndt: NaiveDateTime| {
        zone.moment(ndt).ok_or_else(|| DateParseError {
            field: field.to_string(),
            given: t.to_string(),
            problem: DateProblem::Skipped {
                read: ndt.format("%Y-%m-%d %H:%M").to_string(),
            },
        })
    };
    let check = |at: DateTime<FixedOffset>| plausible_contact(field, t, at, now);
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return check(zone.at(&dt));
    }
    let today = now.date_naive();
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(ndt) = NaiveDateTime::parse_from_str(t, fmt) {
            return check(local(ndt)?);
        }
    }
    if let Some(time) = parse_time(t) {
        return check(local(today.and_time(time))?);
    }
    if let Some(date) = date_word(t, today, Direction::Past) {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(unreadable)?;
        return check(local(date.and_time(noon))?);
    }
    // "<date words> <time>": split at the last space.
    if let Some((day, time)) = t.rsplit_once(' ') {
        if let (Some(date), Some(time)) = (
            date_word(day.trim(), today, Direction::Past),
            parse_time(time),
        ) {
            return check(local(date.and_time(time))?);
        }
    }
    Err(unreadable())
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    // 2026-11-23 is a Monday.
    const MON: &str = "2026-11-23";

    #[test]
    fn words_and_offsets() {
        let today = d(MON);
        let f = |s| parse_date("date", s, today, Direction::Future).unwrap();
        assert_eq!(f("today"), today);
        assert_eq!(f("Tomorrow"), d("2026-11-24"));
        assert_eq!(f("yesterday"), d("2026-11-22"));
        assert_eq!(f("+3d"), d("2026-11-26"));
        assert_eq!(f("-2w"), d("2026-11-09"));
        assert_eq!(f("2w"), d("2026-12-07"));
        assert_eq!(f("2027-01-05"), d("2027-01-05"));
    }

    #[test]
    fn weekdays_point_the_right_way() {
        let today = d(MON);
        let fut = |s| parse_date("d", s, today, Direction::Future).unwrap();
        let past = |s| parse_date("d", s, today, Direction::Past).unwrap();
        assert_eq!(fut("friday"), d("2026-11-27"));
        assert_eq!(fut("monday"), d("2026-11-30"));
        assert_eq!(fut("Mon"), d("2026-11-30"));
        assert_eq!(past("friday"), d("2026-11-20"));
        assert_eq!(past("monday"), d("2026-11-16"));
        assert_eq!(past("next friday"), d("2026-11-27"));
        assert_eq!(fut("last friday"), d("2026-11-20"));
    }

    #[test]
    fn bad_dates_name_field_and_forms() {
        let e = parse_date("follow-up", "2026-02-30", d(MON), Direction::Future).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("follow-up: cannot read '2026-02-30' as a date"),
            "{msg}"
        );
        assert!(msg.contains("YYYY-MM-DD"));
        for bad in ["", "soon", "+d", "+99999d", "13/11/2026"] {
            assert!(
                parse_date("f", bad, d(MON), Direction::Future).is_err(),
                "{bad}"
            );
        }
    }

    const NEW_YORK: CenterTime<chrono_tz::Tz> = CenterTime(chrono_tz::America::New_York);
    const AUCKLAND: CenterTime<chrono_tz::Tz> = CenterTime(chrono_tz::Pacific::Auckland);

    #[test]
    fn datetimes_in_the_local_offset() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T15:00:00-05:00").unwrap();
        let p = |s| {
            parse_datetime_in(&NEW_YORK, "--at", s, now)
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(p("now"), "2026-11-23T15:00:00-05:00");
        assert_eq!(p("9:15"), "2026-11-23T09:15:00-05:00");
        assert_eq!(p("2:30pm"), "2026-11-23T14:30:00-05:00");
        assert_eq!(p("2026-11-20 10:00"), "2026-11-20T10:00:00-05:00");
        assert_eq!(p("yesterday 16:45"), "2026-11-22T16:45:00-05:00");
        assert_eq!(p("friday"), "2026-11-20T12:00:00-05:00");
        // An explicit offset keeps its instant and takes the center's
        // offset, so the check-in falls on the center's day.
        assert_eq!(p("2026-11-20T10:00:00+01:00"), "2026-11-20T04:00:00-05:00");
        let e = parse_datetime_in(&NEW_YORK, "--at", "25:00", now)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--at: cannot read '25:00' as a date and time"),
            "{e}"
        );
    }

    #[test]
    fn a_time_typed_across_a_change_of_clocks_gets_that_days_offset() {
        // Typed in winter (EST, -05:00) for days after each change.
        let winter = DateTime::parse_from_rfc3339("2026-03-07T09:00:00-05:00").unwrap();
        let at = parse_datetime_in(&NEW_YORK, "--at", "2026-03-09 10:00", winter);
        // Not yet plausible from 7 March: more than a day ahead.
        assert!(at.is_err());
        let later = DateTime::parse_from_rfc3339("2026-03-09T12:00:00-04:00").unwrap();
        let at = parse_datetime_in(&NEW_YORK, "--at", "2026-03-09 10:00", later).unwrap();
        assert_eq!(
            at.with_timezone(&Utc).to_rfc3339(),
            "2026-03-09T14:00:00+00:00"
        );
        // Typed in summer for a day after clocks go back.
        let summer = DateTime::parse_from_rfc3339("2026-11-02T08:00:00-05:00").unwrap();
        let at = parse_datetime_in(&NEW_YORK, "--at", "2026-10-31 10:00", summer).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-10-31T10:00:00-04:00");
        let at = parse_datetime_in(&NEW_YORK, "--at", "2026-11-02 07:00", summer).unwrap();
        assert_eq!(
            at.with_timezone(&Utc).to_rfc3339(),
            "2026-11-02T12:00:00+00:00"
        );
        // The skipped hour does not exist; the repeated one means the first.
        let e = parse_datetime_in(&NEW_YORK, "--at", "2026-03-08 02:30", later)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--at: '2026-03-08 02:30'"), "{e}");
        assert!(e.contains("clocks move forward"), "{e}");
        let twice = parse_datetime_in(&NEW_YORK, "--at", "2026-11-01 01:30", summer).unwrap();
        assert_eq!(twice.to_rfc3339(), "2026-11-01T01:30:00-04:00");
    }

    #[test]
    fn days_are_23_and_25_hours_long_on_the_days_clocks_change() {
        let hours = |z: &CenterTime<chrono_tz::Tz>, day: &str| {
            let (a, b) = z.day_bounds(d(day));
            (b - a).num_hours()
        };
        assert_eq!(hours(&NEW_YORK, "2026-03-08"), 23);
        assert_eq!(hours(&NEW_YORK, "2026-11-01"), 25);
        assert_eq!(hours(&NEW_YORK, "2026-06-01"), 24);
        // Southern hemisphere: clocks go back in April, forward in September.
        assert_eq!(hours(&AUCKLAND, "2026-04-05"), 25);
        assert_eq!(hours(&AUCKLAND, "2026-09-27"), 23);
        assert_eq!(
            NEW_YORK.start_of_day(d("2026-03-09")).to_rfc3339(),
            "2026-03-09T04:00:00+00:00"
        );
        assert_eq!(
            AUCKLAND.start_of_day(d("2026-09-28")).to_rfc3339(),
            "2026-09-27T11:00:00+00:00"
        );
        let late = DateTime::parse_from_rfc3339("2026-11-02T04:30:00+00:00").unwrap();
        assert_eq!(NEW_YORK.day_of(&late), d("2026-11-01"));
    }

    #[test]
    fn implausible_dates_name_the_field_and_the_limits() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T15:00:00-05:00").unwrap();
        for bad in [
            "9999-12-31",
            "0001-01-01",
            "9999-12-31 10:00",
            "2026-11-25 15:01",
        ] {
            let e = parse_datetime_in(&NEW_YORK, "--at", bad, now)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("--at: '{bad}'")), "{e}");
            assert!(
                e.contains("1900-01-01") || e.contains("a day after now"),
                "{e}"
            );
        }
        assert!(parse_datetime_in(&NEW_YORK, "--at", "2026-11-24 14:59", now).is_ok());
        assert!(parse_datetime_in(&NEW_YORK, "--at", "1900-01-01 00:00", now).is_ok());
        let today = d(MON);
        let e = parse_date("--intake", "1899-12-31", today, Direction::Past)
            .unwrap_err()
            .to_string();
        assert!(e.contains("--intake: '1899-12-31'"), "{e}");
        assert!(e.contains("before 1900-01-01"), "{e}");
        let e = parse_date_as(
            "--target",
            "2040-01-01",
            today,
            Direction::Future,
            DateKind::Target,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("more than ten years after today"), "{e}");
        assert!(e.contains("up to 2036-11-23"), "{e}");
        assert_eq!(
            parse_date_as(
                "--review",
                "+3d",
                today,
                Direction::Future,
                DateKind::Review
            ),
            Ok(d("2026-11-26"))
        );
        let e = plausible(
            "--follow-up",
            "2028-01-01",
            DateKind::FollowUp,
            d("2028-01-01"),
            today,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("more than a year after the check-in"), "{e}");
    }

    #[test]
    fn weekdays_and_times_of_day_name_the_field() {
        assert_eq!(parse_weekday("weekday", " Tue "), Ok(Weekday::Tue));
        let e = parse_weekday("--weekday", "funday")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("--weekday: 'funday' is not a day of the week"),
            "{e}"
        );
        assert!(parse_weekday("weekday", " ")
            .unwrap_err()
            .to_string()
            .contains("give the day"));
        assert_eq!(
            parse_time_of_day("time", "2:00pm"),
            Ok(NaiveTime::from_hms_opt(14, 0, 0).unwrap())
        );
        let e = parse_time_of_day("--time", "25:99")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("--time: cannot read '25:99' as a time"),
            "{e}"
        );
    }
}
