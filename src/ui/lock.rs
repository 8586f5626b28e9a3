//! When the screen locks by itself: `lock_after` in config.toml or
//! `--lock-after` on the command line, read once at start-up.
//!
//! A shared terminal left open shows whatever the last person was looking
//! at, and the records are about mental health and substance use; HIPAA
//! asks for an automatic logoff. So the UI locks after a few idle minutes
//! (five unless told otherwise). A bad value never stops caseload: it is
//! reported like every other config problem and the default is used.

use std::time::Duration;

use crate::config::Config;
use crate::ui::keymap::KeymapProblem;

/// The idle time after which the screen locks when nothing else is said.
pub const DEFAULT_LOCK_AFTER: Duration = Duration::from_secs(5 * 60);

/// The shortest idle time accepted: shorter would lock while someone is
/// still reading.
pub const MIN_LOCK_AFTER: Duration = Duration::from_secs(1);

/// The longest idle time accepted (a day): longer is "off" in practice and
/// more likely a typo.
pub const MAX_LOCK_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Parses an idle time: `30s`, `5m`, `1h` (also `90sec`, `10 min`, `2h`);
/// `0` or `off` disables locking (`Ok(None)`). The error says what to write
/// instead.
pub fn parse_lock_after(text: &str) -> Result<Option<Duration>, String> {
    let t = text.trim().to_ascii_lowercase();
    if t == "off" || t == "never" || t == "no" || t == "0" {
        return Ok(None);
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let hint = "write a number and a unit, like \"30s\", \"5m\" or \"1h\" (or \"off\")";
    let n: u64 = match number.parse() {
        Ok(n) => n,
        Err(_) => {
            return Err(format!(
                "'{}' is not an idle time; {hint}",
                crate::text::escape_line(text.trim())
            ))
        }
    };
    let seconds_per = match unit.trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "" if n == 0 => return Ok(None),
        "" => return Err(format!("'{n}' has no unit; {hint}")),
        other => {
            return Err(format!(
                "unknown unit '{}'; {hint}",
                crate::text::escape_line(other)
            ))
        }
    };
    if n == 0 {
        return Ok(None);
    }
    let d = Duration::from_secs(n.saturating_mul(seconds_per));
    if d > MAX_LOCK_AFTER {
        return Err(format!(
            "{} is longer than a day; use \"off\" to never lock, or at most \"24h\"",
            describe(d)
        ));
    }
    Ok(Some(d.max(MIN_LOCK_AFTER)))
}

/// "5 minutes", "30 seconds", "1 hour 30 minutes": for the lock screen and
/// messages.
pub fn describe(d: Duration) -> String {
    let s = d.as_secs();
    let plural = |n: u64, word: &str| crate::text::count_u64(n, word, &format!("{word}s"));
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(plural(h, "hour"));
    }
    if m > 0 {
        parts.push(plural(m, "minute"));
    }
    if sec > 0 || parts.is_empty() {
        parts.push(plural(sec, "second"));
    }
    parts.join(" ")
}

/// The idle time to use: `--lock-after` if given, else the config's
/// `lock_after`, else [`DEFAULT_LOCK_AFTER`]. A bad value is returned as a
/// problem (file and line, or the flag) and the default is used instead.
pub fn resolve(flag: Option<&str>, config: &Config) -> (Option<Duration>, Vec<KeymapProblem>) {
    let default_note = format!("; locking after {} instead", describe(DEFAULT_LOCK_AFTER));
    if let Some(f) = flag {
        return match parse_lock_after(f) {
            Ok(d) => (d, Vec::new()),
            Err(e) => (
                Some(DEFAULT_LOCK_AFTER),
                vec![KeymapProblem {
                    file: "--lock-after".into(),
                    line: None,
                    message: format!("{e}{default_note}"),
                }],
            ),
        };
    }
    match &config.lock_after {
        None => (Some(DEFAULT_LOCK_AFTER), Vec::new()),
        Some(s) => match parse_lock_after(&s.value) {
            Ok(d) => (d, Vec::new()),
            Err(e) => (
                Some(DEFAULT_LOCK_AFTER),
                vec![KeymapProblem {
                    file: config.label(),
                    line: Some(s.line),
                    message: format!("lock_after: {e}{default_note}"),
                }],
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Setting;

    #[test]
    fn reads_units_and_off() {
        assert_eq!(parse_lock_after("30s"), Ok(Some(Duration::from_secs(30))));
        assert_eq!(parse_lock_after(" 5m "), Ok(Some(Duration::from_secs(300))));
        assert_eq!(parse_lock_after("1h"), Ok(Some(Duration::from_secs(3600))));
        assert_eq!(
            parse_lock_after("10 min"),
            Ok(Some(Duration::from_secs(600)))
        );
        assert_eq!(parse_lock_after("0"), Ok(None));
        assert_eq!(parse_lock_after("0m"), Ok(None));
        assert_eq!(parse_lock_after("OFF"), Ok(None));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in ["5", "abc", "5 parsecs", "-5m", "", "25h", "1.5m"] {
            let e = parse_lock_after(bad).expect_err(bad);
            assert!(e.contains("\"5m\"") || e.contains("24h"), "{bad}: {e}");
        }
    }

    #[test]
    fn flag_wins_and_bad_values_fall_back_to_the_default_with_a_problem() {
        let config = Config {
            lock_after: Some(Setting {
                value: "1h".into(),
                line: 3,
            }),
            path: Some("c.toml".into()),
            ..Config::default()
        };
        assert_eq!(
            resolve(Some("30s"), &config),
            (Some(Duration::from_secs(30)), Vec::new())
        );
        assert_eq!(
            resolve(None, &config),
            (Some(Duration::from_secs(3600)), Vec::new())
        );
        assert_eq!(
            resolve(None, &Config::default()),
            (Some(DEFAULT_LOCK_AFTER), Vec::new())
        );
        let (d, problems) = resolve(Some("soon"), &config);
        assert_eq!(d, Some(DEFAULT_LOCK_AFTER));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().starts_with("--lock-after: 'soon'"));
        let bad = Config {
            lock_after: Some(Setting {
                value: "5".into(),
                line: 7,
            }),
            path: Some("c.toml".into()),
            ..Config::default()
        };
        let (d, problems) = resolve(None, &bad);
        assert_eq!(d, Some(DEFAULT_LOCK_AFTER));
        assert!(
            problems[0].to_string().starts_with("c.toml:7: lock_after:"),
            "{}",
            problems[0]
        );
        assert!(problems[0]
            .message
            .contains("locking after 5 minutes instead"));
    }

    #[test]
    fn describes_durations() {
        assert_eq!(describe(Duration::from_secs(300)), "5 minutes");
        assert_eq!(describe(Duration::from_secs(1)), "1 second");
        assert_eq!(describe(Duration::from_secs(5400)), "1 hour 30 minutes");
    }
}
