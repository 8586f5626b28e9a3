//! The goal timeline's drawing rules, as pure functions over dates: which
//! day each column covers, which glyph each goal row shows in each column,
//! where the axis labels go, and the wellbeing value per column.
//!
//! Every mark differs by its glyph, not by colour, so the timeline reads the
//! same in 16 colours, in none, and to a screen reader of the text:
//! `━` active, `╌` paused, `─` still ahead, `┤` target, `!` target passed
//! while active, `░` time past the target, `●` a check-in touched the goal,
//! `◆` its status changed, `✓` achieved, `✗` dropped, `│`/`▼` today (in
//! every row, unless one of the marks above falls on it).

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::{Goal, GoalStatus};

/// Zoom levels: days per column and how the header names them.
pub const ZOOMS: [(i64, &str); 5] = [
    (1, "1 day"),
    (3, "3 days"),
    (7, "1 week"),
    (14, "2 weeks"),
    (30, "30 days"),
];

/// The zoom level a timeline opens at (one column per week).
pub const DEFAULT_ZOOM: usize = 2;

/// The glyphs, named.
pub mod glyph {
    /// Work on the goal began.
    pub const START: char = '├';
    /// Active, in the past.
    pub const ACTIVE: char = '━';
    /// Paused, in the past.
    pub const PAUSED: char = '╌';
    /// Still ahead (planned).
    pub const PLANNED: char = '─';
    /// The target date.
    pub const TARGET: char = '┤';
    /// The target date of an active goal that has passed.
    pub const OVERDUE: char = '!';
    /// Time after a target that passed.
    pub const LATE: char = '░';
    /// A check-in touched the goal.
    pub const CHECKIN: char = '●';
    /// The goal's status changed.
    pub const CHANGE: char = '◆';
    /// Achieved.
    pub const ACHIEVED: char = '✓';
    /// Dropped.
    pub const DROPPED: char = '✗';
    /// Today, in an empty cell.
    pub const TODAY: char = '│';
    /// Today, on the axis.
    pub const TODAY_AXIS: char = '▼';
}

/// The legend, one entry per glyph, in reading order.
pub const LEGEND: [(char, &str); 12] = [
    (glyph::ACTIVE, "active"),
    (glyph::PAUSED, "paused"),
    (glyph::PLANNED, "ahead"),
    (glyph::TARGET, "target"),
    (glyph::OVERDUE, "target passed"),
    (glyph::LATE, "past target"),
    (glyph::CHECKIN, "check-in"),
    (glyph::CHANGE, "status change"),
    (glyph::ACHIEVED, "achieved"),
    (glyph::DROPPED, "dropped"),
    (glyph::TODAY, "today"),
    (glyph::START, "start"),
];

/// Which days the columns cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// The first day of the first column.
    pub from: NaiveDate,
    /// Days per column.
    pub days: i64,
    /// Number of columns.
    pub cols: usize,
}

/// A Monday long ago: columns start a whole number of columns after it, so
/// they do not jitter as the view scrolls.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or(NaiveDate::MIN)
}

impl Scale {
    /// `cols` columns of `days` days with today two thirds across, moved
    /// `shift` columns later (negative: earlier).
    pub fn around(today: NaiveDate, cols: usize, days: i64, shift: i64) -> Scale {
        let days = days.max(1);
        let today_col = (cols as i64 * 2 / 3) - shift;
        let since = (today - epoch()).num_days();
        let col_start = today - Duration::days(since.rem_euclid(days));
        let from = col_start - Duration::days(today_col * days);
        Scale { from, days, cols }
    }

    /// The column showing `d`, if it is in view.
    pub fn col(&self, d: NaiveDate) -> Option<usize> {
        let n = (d - self.from).num_days();
        if n < 0 {
            return None;
        }
        let c = (n / self.days) as usize;
        (c < self.cols).then_some(c)
    }

    /// First day of column `c`.
    pub fn start_of(&self, c: usize) -> NaiveDate {
        self.from + Duration::days(c as i64 * self.days)
    }

    /// Last day of column `c`.
    pub fn end_of(&self, c: usize) -> NaiveDate {
        self.start_of(c) + Duration::days(self.days - 1)
    }

    /// The last day in view.
    pub fn to(&self) -> NaiveDate {
        self.end_of(self.cols.saturating_sub(1))
    }
}

/// The status a goal had on `d`, from its history.
pub fn status_on(goal: &Goal, d: NaiveDate) -> GoalStatus {
    goal.history
        .iter()
        .rev()
        .find(|c| c.on <= d)
        .or(goal.history.first())
        .map(|c| c.to)
        .unwrap_or(goal.status)
}

/// The last day a goal's row reaches: the day it ended, else its target or
/// today, whichever is later.
pub fn span_end(goal: &Goal, today: NaiveDate) -> NaiveDate {
    let end = match goal.ended_on() {
        Some(e) => e,
        None => goal.target_date.map_or(today, |t| t.max(today)),
    };
    end.max(goal.start_date)
}

/// The glyph of each column of one goal's row.
pub fn goal_cells(
    goal: &Goal,
    touches: &[NaiveDate],
    scale: &Scale,
    today: NaiveDate,
) -> Vec<char> {
    let start = goal.start_date;
    let end = span_end(goal, today);
    let ended = goal.ended_on();
    let overdue = goal.target_overdue(today);
    let mut cells = Vec::with_capacity(scale.cols);
    for c in 0..scale.cols {
        let (a, b) = (scale.start_of(c), scale.end_of(c));
        let in_col = |d: NaiveDate| a <= d && d <= b;
        if b < start || a > end {
            cells.push(if in_col(today) { glyph::TODAY } else { ' ' });
            continue;
        }
        // The day the column stands for: today if it holds it, else its
        // middle kept inside the goal's span.
        let mid = a + Duration::days(scale.days / 2);
        let day = if in_col(today) {
            today
        } else {
            mid.clamp(start, end)
        };
        let mut g = if day > today {
            glyph::PLANNED
        } else if ended.is_none() && goal.target_date.is_some_and(|t| day > t) {
            glyph::LATE
        } else {
            match status_on(goal, day) {
                GoalStatus::Paused => glyph::PAUSED,
                _ => glyph::ACTIVE,
            }
        };
        // Today is marked in every row; the marks below say more, so
        // they win over it.
        if in_col(today) {
            g = glyph::TODAY;
        }
        if in_col(start) {
            g = glyph::START;
        }
        if let Some(t) = goal.target_date {
            if in_col(t) && ended.is_none_or(|e| t <= e) {
                g = if overdue {
                    glyph::OVERDUE
                } else {
                    glyph::TARGET
                };
            }
        }
        if touches.iter().any(|d| in_col(*d)) {
            g = glyph::CHECKIN;
        }
        if goal.history.iter().skip(1).any(|h| in_col(h.on)) {
            g = glyph::CHANGE;
        }
        if ended.is_some_and(in_col) {
            g = if goal.status == GoalStatus::Achieved {
                glyph::ACHIEVED
            } else {
                glyph::DROPPED
            };
        }
        cells.push(g);
    }
    cells
}

/// The axis: today's `▼` and date labels placed where they fit, as one
/// row of `scale.cols` characters.
pub fn axis(scale: &Scale, today: NaiveDate) -> String {
    let mut row: Vec<char> = vec![' '; scale.cols];
    let mut taken = vec![false; scale.cols];
    if let Some(c) = scale.col(today) {
        row[c] = glyph::TODAY_AXIS;
        taken[c] = true;
    }
    for c in 0..scale.cols {
        let Some(label) = label_for(scale, c) else {
            continue;
        };
        let len = label.chars().count();
        // One blank after each label, and never over today's mark.
        let end = (c + len + 1).min(scale.cols);
        if c + len > scale.cols || taken[c..end].iter().any(|t| *t) {
            continue;
        }
        for (i, ch) in label.chars().enumerate() {
            row[c + i] = ch;
        }
        for t in &mut taken[c..end] {
            *t = true;
        }
    }
    row.into_iter().collect()
}

fn label_for(scale: &Scale, c: usize) -> Option<String> {
    let (a, b) = (scale.start_of(c), scale.end_of(c));
    let mut d = a;
    while d <= b {
        let first_of_month = d.day() == 1;
        let label = match scale.days {
            1 if d.weekday() == chrono::Weekday::Mon => Some(d.format("%d %b").to_string()),
            2..=7 if first_of_month && d.month() == 1 => Some(d.format("%Y").to_string()),
            2..=7 if first_of_month => Some(d.format("%b").to_string()),
            8..=20 if first_of_month && d.month() == 1 => Some(d.format("%Y").to_string()),
            8..=20 if first_of_month && d.month() % 3 == 1 => Some(d.format("%b").to_string()),
            _ if scale.days > 20 && first_of_month && d.month() == 1 => {
                Some(d.format("%Y").to_string())
            }
            _ if scale.days > 20 && first_of_month && d.month() == 7 => {
                Some(d.format("%b").to_string())
            }
            _ => None,
        };
        if label.is_some() {
            return label;
        }
        d += Duration::days(1);
    }
    None
}

/// Wellbeing per column: the rounded mean of the ratings given in it.
pub fn wellbeing_bars(points: &[(NaiveDate, u8)], scale: &Scale) -> Vec<Option<u64>> {
    let mut sums = vec![(0u64, 0u64); scale.cols];
    for (d, w) in points {
        if let Some(c) = scale.col(*d) {
            sums[c].0 += u64::from(*w);
            sums[c].1 += 1;
        }
    }
    sums.into_iter()
        .map(|(s, n)| (n > 0).then(|| (s * 2 + n) / (2 * n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LifeDomain, PeerId};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn columns_are_aligned_and_today_sits_two_thirds_across() {
        let today = d("2026-11-23");
        let s = Scale::around(today, 60, 7, 0);
        assert_eq!(s.col(today), Some(40));
        assert_eq!(s.start_of(40).weekday(), chrono::Weekday::Mon);
        let later = Scale::around(today, 60, 7, 10);
        assert_eq!(later.col(today), Some(30));
        assert_eq!(s.col(s.to()), Some(59));
        assert_eq!(s.col(s.from - Duration::days(1)), None);
    }

    #[test]
    fn an_overdue_active_goal_shows_target_passed_and_late_stretch() {
        let today = d("2026-11-23");
        let mut g = Goal::new(PeerId::new(1), LifeDomain::Housing, "x", d("2026-11-02"));
        g.target_date = Some(d("2026-11-12"));
        let s = Scale::around(today, 40, 1, 0);
        let cells: String = goal_cells(&g, &[d("2026-11-05")], &s, today)
            .into_iter()
            .collect();
        let at = |day: &str| cells.chars().nth(s.col(d(day)).unwrap_or(0)).unwrap_or('?');
        assert_eq!(at("2026-11-02"), glyph::START);
        assert_eq!(at("2026-11-04"), glyph::ACTIVE);
        assert_eq!(at("2026-11-05"), glyph::CHECKIN);
        assert_eq!(at("2026-11-12"), glyph::OVERDUE);
        assert_eq!(at("2026-11-20"), glyph::LATE);
        assert_eq!(
            at("2026-11-25"),
            ' ',
            "nothing after today for a goal whose target passed"
        );
    }

    #[test]
    fn wellbeing_is_averaged_per_column() {
        let today = d("2026-11-23");
        let s = Scale::around(today, 10, 7, 0);
        let bars = wellbeing_bars(&[(d("2026-11-23"), 2), (d("2026-11-24"), 5)], &s);
        assert_eq!(bars[s.col(today).unwrap_or(0)], Some(4));
        assert_eq!(bars.iter().flatten().count(), 1);
    }
}
