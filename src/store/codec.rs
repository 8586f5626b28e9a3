//! How records and numbers become bytes in sled.
//!
//! Records are postcard-encoded (compact, fast, and the schema version in
//! the `meta` tree says how to read them). Numbers in keys are big-endian
//! with the sign bit flipped so that byte order equals numeric order.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Encodes a value for storage.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    postcard::to_stdvec(value).map_err(|e| format!("cannot encode record: {e}"))
}

/// Decodes a stored value; the error names what could not be read.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("cannot decode {what}: {e}"))
}

/// An id as an 8-byte key.
pub(crate) fn id_key(raw: u64) -> [u8; 8] {
    raw.to_be_bytes()
}

/// Reads the id at the end of an index key.
pub(crate) fn trailing_id(key: &[u8]) -> Option<u64> {
    let start = key.len().checked_sub(8)?;
    let bytes: [u8; 8] = key[start..].try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// A moment as 8 sortable bytes (milliseconds since the Unix epoch).
pub(crate) fn time_key<Tz: TimeZone>(t: &DateTime<Tz>) -> [u8; 8] {
    ((t.timestamp_millis() as u64) ^ (1 << 63)).to_be_bytes()
}

/// A day as 4 sortable bytes.
pub(crate) fn date_key(d: NaiveDate) -> [u8; 4] {
    ((d.num_days_from_ce() as u32) ^ (1 << 31)).to_be_bytes()
}

/// The day a [`date_key`] was made from (`None` for bytes no date gives).
pub(crate) fn date_from_key(k: &[u8]) -> Option<NaiveDate> {
    let bytes: [u8; 4] = k.get(..4)?.try_into().ok()?;
    let days = i32::try_from(u32::from_be_bytes(bytes) ^ (1 << 31)).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// Concatenates key parts.
pub(crate) fn key(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn time_keys_sort_like_times_even_before_1970() {
        let a = Utc.with_ymd_and_hms(1969, 12, 31, 23, 0, 0).unwrap();
        let b = Utc.with_ymd_and_hms(1970, 1, 1, 1, 0, 0).unwrap();
        let c = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert!(time_key(&a) < time_key(&b));
        assert!(time_key(&b) < time_key(&c));
    }

    #[test]
    fn date_keys_sort_like_dates() {
        let a: NaiveDate = "2026-11-23".parse().unwrap();
        let b: NaiveDate = "2026-11-24".parse().unwrap();
        assert!(date_key(a) < date_key(b));
        assert_eq!(date_from_key(&date_key(a)), Some(a));
        assert_eq!(date_from_key(&[1, 2]), None);
    }

    #[test]
    fn trailing_id_reads_the_last_eight_bytes() {
        let k = key(&[
            &id_key(7),
            &date_key("2026-01-01".parse().unwrap()),
            &id_key(99),
        ]);
        assert_eq!(trailing_id(&k), Some(99));
        assert_eq!(trailing_id(&[1, 2]), None);
    }
}
