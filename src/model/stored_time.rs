//! Dates and moments read back from the text chrono writes for them.
//!
//! Records keep their dates as chrono's serde text (`2026-11-30`,
//! `2026-11-30T09:15:00.123Z`). chrono reads that back with its general
//! parser (any offset, spaces, leap seconds), which was about a tenth of
//! a large center's Today. These read the exact shapes chrono writes
//! with a few byte comparisons and hand anything else to chrono, so the
//! same text gives the same value (or the same refusal) either way and
//! nothing stored changes: only reading is faster.
//!
//! The `serde_*` modules plug them into `#[serde(deserialize_with)]` on
//! the fields read most (every record's [`Meta`](super::record::Meta)
//! times); writing is chrono's own.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Two ASCII digits at `b[i..i + 2]` as a number.
fn two(b: &[u8], i: usize) -> Option<u32> {
    let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
    if x.is_ascii_digit() && y.is_ascii_digit() {
        Some(u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    } else {
        None
    }
}

/// `YYYY-MM-DD` at the start of `b` (exactly chrono's shape for a day
/// of years 0–9999), or `None` for anything else.
fn ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two(b, 0)? * 100 + two(b, 2)?;
    let year = i32::try_from(year).ok()?;
    NaiveDate::from_ymd_opt(year, two(b, 5)?, two(b, 8)?)
}

/// A day as chrono writes it (`2026-11-30`), read without chrono's
/// general parser; any other text is read by chrono (`NaiveDate`'s
/// `FromStr`), so the answer is always chrono's.
pub fn date_text(s: &str) -> Option<NaiveDate> {
    if s.len() == 10 {
        if let Some(d) = ymd(s.as_bytes()) {
            return Some(d);
        }
    }
    s.parse().ok()
}

/// A moment as chrono writes a UTC one (`2026-11-30T09:15:00Z`, with 1
/// to 9 digits of fraction if any), read without chrono's general
/// parser; any other text (an offset, a leap second) is read by chrono
/// the way its serde does (`DateTime<FixedOffset>`'s `FromStr`, then
/// UTC), so the answer is always chrono's.
pub fn utc_text(s: &str) -> Option<DateTime<Utc>> {
    fast_utc(s.as_bytes()).or_else(|| {
        s.parse::<DateTime<chrono::FixedOffset>>()
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

fn fast_utc(b: &[u8]) -> Option<DateTime<Utc>> {
    // YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b.last() != Some(&b'Z') {
        return None;
    }
    let date = ymd(b)?;
    let (h, m, sec) = (two(b, 11)?, two(b, 14)?, two(b, 17)?);
    let frac = &b[19..b.len() - 1];
    let nano = match frac {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let mut n: u32 = 0;
            for d in digits {
                if !d.is_ascii_digit() {
                    return None;
                }
                n = n * 10 + u32::from(d - b'0');
            }
            n * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    // A leap second (60) and anything out of range go to chrono.
    if sec > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, sec, nano)?;
    Some(date.and_time(time).and_utc())
}

/// Reads the text of a date or moment with `parse`, erroring as chrono's
/// serde does for text it cannot read.
struct TextVisitor<T> {
    parse: fn(&str) -> Option<T>,
    expecting: &'static str,
}

impl<T> serde::de::Visitor<'_> for TextVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).ok_or_else(|| E::custom(format!("{v:?} is not {}", self.expecting)))
    }
}

/// `#[serde(deserialize_with = "serde_utc::deserialize")]` for a
/// `DateTime<Utc>` field kept as chrono's text.
pub mod serde_utc {
    use chrono::{DateTime, Utc};
    use serde::Deserializer;

    /// Reads the moment with [`super::utc_text`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(super::TextVisitor {
            parse: super::utc_text,
            expecting: "an RFC 3339 date and time",
        })
    }
}

/// `#[serde(deserialize_with = "serde_date::deserialize")]` for a
/// `NaiveDate` field kept as chrono's text.
pub mod serde_date {
    use chrono::NaiveDate;
    use serde::Deserializer;

    /// Reads the day with [`super::date_text`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_str(super::TextVisitor {
            parse: super::date_text,
            expecting: "a date (YYYY-MM-DD)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveDateTime, TimeZone};
    use proptest::prelude::*;

    fn chrono_utc(s: &str) -> Option<DateTime<Utc>> {
        s.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Every moment chrono writes is read back to itself, as chrono
        /// reads it.
        #[test]
        fn written_moments_read_back_as_chrono_reads_them(
            secs in -62_135_596_800i64..253_402_300_799i64,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|m| m * 1_000_000)],
        ) {
            let t = Utc.timestamp_opt(secs, nanos).single().unwrap_or_default();
            let text = serde_json::to_value(t).unwrap_or_default();
            let text = text.as_str().unwrap_or_default();
            prop_assert_eq!(fast_utc(text.as_bytes()), Some(t), "fast path for {}", text);
            prop_assert_eq!(utc_text(text), chrono_utc(text));
            prop_assert_eq!(utc_text(text), Some(t));
        }

        /// Every day chrono writes is read back to itself.
        #[test]
        fn written_days_read_back_as_chrono_reads_them(days in 0i32..3_652_059) {
            let d = NaiveDate::from_num_days_from_ce_opt(days + 1).unwrap_or_default();
            let text = serde_json::to_value(d).unwrap_or_default();
            let text = text.as_str().unwrap_or_default();
            prop_assert_eq!(ymd(text.as_bytes()), Some(d), "fast path for {}", text);
            prop_assert_eq!(date_text(text), text.parse::<NaiveDate>().ok());
        }

        /// Text of about the right shape, with any of its characters
        /// changed, gives what chrono gives (the same moment or nothing).
        #[test]
        fn near_misses_read_as_chrono_reads_them(
            y in 0u32..10_000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62,
            s in 0u32..62, frac in "(\\.[0-9]{0,11})?", tail in prop_oneof![
                Just("Z".to_string()), Just("z".to_string()), Just("+00:00".to_string()),
                Just("-05:30".to_string()), Just(String::new()), "[ Zz+0-9:]{0,3}"
            ],
            sep in prop_oneof![Just('T'), Just('t'), Just(' '), Just('x')],
            flip in proptest::option::of((0usize..40, any::<char>())),
        ) {
            let mut text = format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{tail}");
            if let Some((at, c)) = flip {
                let mut chars: Vec<char> = text.chars().collect();
                if at < chars.len() {
                    chars[at] = c;
                }
                text = chars.into_iter().collect();
            }
            prop_assert_eq!(utc_text(&text), chrono_utc(&text), "{}", text);
            let day = text.chars().take(10).collect::<String>();
            prop_assert_eq!(date_text(&day), day.parse::<NaiveDate>().ok(), "{}", day);
            prop_assert_eq!(date_text(&text), text.parse::<NaiveDate>().ok(), "{}", text);
        }
    }

    #[test]
    fn serde_readers_give_chronos_values_and_refuse_what_chrono_refuses() {
        #[derive(serde::Deserialize)]
        struct Both {
            #[serde(deserialize_with = "serde_utc::deserialize")]
            at: DateTime<Utc>,
            #[serde(deserialize_with = "serde_date::deserialize")]
            on: NaiveDate,
        }
        let b: Both =
            serde_json::from_str(r#"{"at": "2026-11-30T09:15:00.5+01:00", "on": "2026-11-30"}"#)
                .unwrap();
        let want = NaiveDateTime::parse_from_str("2026-11-30 08:15:00.5", "%Y-%m-%d %H:%M:%S%.f")
            .unwrap()
            .and_utc();
        assert_eq!(b.at, want, "an offset goes through chrono");
        assert_eq!(b.on, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let bad =
            serde_json::from_str::<Both>(r#"{"at": "2026-02-30T09:15:00Z", "on": "2026-11-30"}"#);
        let msg = bad.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("2026-02-30T09:15:00Z"), "{msg}");
        // Postcard (how records are stored) reads through the same path.
        let stored = postcard::to_stdvec(&("2026-11-30T09:15:00Z", "2026-11-30")).unwrap();
        let b: Both = postcard::from_bytes(&stored).unwrap();
        assert_eq!(b.at, Utc.with_ymd_and_hms(2026, 11, 30, 9, 15, 0).unwrap());
    }
}
