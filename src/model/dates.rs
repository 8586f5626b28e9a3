//! Dates and times as staff type them: `2026-11-23`, `today`, `tomorrow`,
//! `+3d`, `-1w`, `friday`, `14:30`, `yesterday 9:15`.
//!
//! Relative words need a reference day, so every function here takes it:
//! nothing reads the clock, which keeps the rules testable.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Weekday,
};

/// Which way a bare weekday name points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// "friday" means the next Friday after today (follow-ups, reviews).
    Future,
    /// "friday" means the last Friday before today (when a contact was).
    Past,
}

/// A date or time that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: cannot read '{given}' as a {what} ({hint})")]
pub struct DateParseError {
    /// The field being parsed ("follow-up", "--at").
    pub field: String,
    /// What the user typed.
    pub given: String,
    /// "date" or "date and time".
    pub what: &'static str,
    /// The accepted forms.
    pub hint: &'static str,
}

const DATE_HINT: &str =
    "use YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w or a weekday name like friday";
const DATETIME_HINT: &str =
    "use YYYY-MM-DD HH:MM, HH:MM, or a date word followed by HH:MM, like 'yesterday 14:30'";

/// Parses a date typed by a user, relative to `today`.
pub fn parse_date(
    field: &str,
    text: &str,
    today: NaiveDate,
    direction: Direction,
) -> Result<NaiveDate, DateParseError> {
    date_word(text.trim(), today, direction).ok_or_else(|| DateParseError {
        field: field.to_string(),
        given: text.to_string(),
        what: "date",
        hint: DATE_HINT,
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

/// Parses a moment typed by a user, in the offset of `now`.
///
/// A date alone means noon that day (a contact logged afterwards for "that
/// day"); a time alone means today at that time.
pub fn parse_datetime(
    field: &str,
    text: &str,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DateParseError> {
    let err = || DateParseError {
        field: field.to_string(),
        given: text.to_string(),
        what: "date and time",
        hint: DATETIME_HINT,
    };
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt);
    }
    let today = now.date_naive();
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(ndt) = NaiveDateTime::parse_from_str(t, fmt) {
            return local(now, ndt).ok_or_else(err);
        }
    }
    if let Some(time) = parse_time(t) {
        return local(now, today.and_time(time)).ok_or_else(err);
    }
    if let Ok(date) = parse_date(field, t, today, Direction::Past) {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(err)?;
        return local(now, date.and_time(noon)).ok_or_else(err);
    }
    // "<date words> <time>": split at the last space.
    if let Some((day, time)) = t.rsplit_once(' ') {
        if let (Ok(date), Some(time)) = (
            parse_date(field, day, today, Direction::Past),
            parse_time(time),
        ) {
            return local(now, date.and_time(time)).ok_or_else(err);
        }
    }
    Err(err())
}

fn local(now: DateTime<FixedOffset>, ndt: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    now.offset().from_local_datetime(&ndt).single()
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

    #[test]
    fn datetimes_in_the_local_offset() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T15:00:00-05:00").unwrap();
        let p = |s| parse_datetime("--at", s, now).unwrap().to_rfc3339();
        assert_eq!(p("now"), "2026-11-23T15:00:00-05:00");
        assert_eq!(p("9:15"), "2026-11-23T09:15:00-05:00");
        assert_eq!(p("2:30pm"), "2026-11-23T14:30:00-05:00");
        assert_eq!(p("2026-11-20 10:00"), "2026-11-20T10:00:00-05:00");
        assert_eq!(p("yesterday 16:45"), "2026-11-22T16:45:00-05:00");
        assert_eq!(p("friday"), "2026-11-20T12:00:00-05:00");
        assert_eq!(p("2026-11-20T10:00:00+01:00"), "2026-11-20T10:00:00+01:00");
        let e = parse_datetime("--at", "25:00", now)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--at: cannot read '25:00' as a date and time"),
            "{e}"
        );
    }
}
