//! Today's facts of a stored peer, read without decoding the rest.
//!
//! Today reads six fields of each of a large center's 10,000 peers
//! ([`PeerFacts`]); decoding whole records (a dozen strings, the wellness
//! plan, every date parsed) was most of its time. [`StoredPeer`] mirrors
//! the stored layout of `Record<Peer>` field for field (postcard is
//! positional), borrowing every string from the stored bytes and
//! stepping over lists without keeping them, so only the name is copied
//! and only the intake date is parsed. If the mirror does not read a
//! record exactly (a layout it does not know), the record is decoded
//! whole instead: slower, never wrong. Tests hold the mirror to the
//! layout (`mirror_reads_what_the_full_decode_reads`).

use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

use crate::model::peer::{AgeBand, ContactPreference, PeerStatus};
use crate::model::stored_time::date_text;
use crate::model::today::PeerFacts;
use crate::model::{Peer, PeerId, Record, StaffId};

use super::codec::decode;

/// A stored list read and dropped: each element is read (so the bytes are
/// stepped over) and nothing is kept.
struct Skip<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Skip<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Each<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Each<T> {
            type Value = Skip<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip<T>, A::Error> {
                while seq.next_element::<T>()?.is_some() {}
                Ok(Skip(PhantomData))
            }
        }
        d.deserialize_seq(Each(PhantomData))
    }
}

/// `Actor`, stepped over.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read to step over, never looked at
struct SkipActor<'a>(Option<u64>, &'a str);

/// `Meta`, stepped over (its times are not parsed).
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct SkipMeta<'a>(
    &'a str,
    #[serde(borrow)] SkipActor<'a>,
    &'a str,
    #[serde(borrow)] SkipActor<'a>,
    u64,
);

/// `WellnessPlan`'s five lists, stepped over.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct SkipPlan<'a>(
    #[serde(borrow)] Skip<&'a str>,
    #[serde(borrow)] Skip<&'a str>,
    #[serde(borrow)] Skip<&'a str>,
    #[serde(borrow)] Skip<&'a str>,
    #[serde(borrow)] Skip<&'a str>,
);

/// `Record<Peer>` as stored, field for field (see `model::peer::Peer`;
/// postcard keeps no names, only the order).
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct StoredPeer<'a> {
    id: u64,
    #[serde(borrow)]
    meta: SkipMeta<'a>,
    display_name: &'a str,
    #[serde(borrow)]
    legal_name: Option<&'a str>,
    #[serde(borrow)]
    pronouns: Option<&'a str>,
    #[serde(borrow)]
    phone: Option<&'a str>,
    #[serde(borrow)]
    email: Option<&'a str>,
    preferred_contact: Option<ContactPreference>,
    intake_date: &'a str,
    status: PeerStatus,
    status_since: &'a str,
    #[serde(borrow)]
    status_reason: Option<&'a str>,
    assigned_staff: Option<StaffId>,
    cadence_days: Option<u16>,
    #[serde(borrow)]
    emergency_contact: Option<&'a str>,
    #[serde(borrow)]
    tags: Skip<&'a str>,
    notes: &'a str,
    #[serde(borrow)]
    wellness_plan: SkipPlan<'a>,
    /// Demographics: age band, gender identity, veteran, county.
    #[serde(borrow)]
    demographics: (
        Option<AgeBand>,
        Option<&'a str>,
        Option<bool>,
        Option<&'a str>,
    ),
    /// Episodes: start, end, reason.
    #[serde(borrow)]
    episodes: Skip<(&'a str, Option<&'a str>, Option<&'a str>)>,
}

/// Today's facts of a stored peer by the mirror alone: `None` when the
/// mirror does not read `bytes` exactly (the caller then decodes whole).
pub(crate) fn mirror(bytes: &[u8]) -> Option<PeerFacts> {
    let (p, rest) = postcard::take_from_bytes::<StoredPeer<'_>>(bytes).ok()?;
    if !rest.is_empty() {
        return None;
    }
    Some(PeerFacts {
        id: PeerId::new(p.id),
        display_name: p.display_name.to_owned(),
        status: p.status,
        assigned_staff: p.assigned_staff,
        intake_date: date_text(p.intake_date)?,
        cadence_days: p.cadence_days,
    })
}

/// Today's facts of a stored peer: by the mirror, or by decoding the
/// whole record where the mirror does not fit.
pub(crate) fn peer_facts(bytes: &[u8], what: &str) -> Result<PeerFacts, String> {
    match mirror(bytes) {
        Some(f) => Ok(f),
        None => decode::<Record<Peer>>(bytes, what).map(|p| PeerFacts::of(&p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::peer::{Demographics, Episode, WellnessPlan};
    use crate::model::{Actor, Meta};
    use chrono::{NaiveDate, TimeZone, Utc};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn stored(p: &Record<Peer>) -> Vec<u8> {
        super::super::codec::encode(p).unwrap_or_default()
    }

    fn record(id: u64, data: Peer) -> Record<Peer> {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 15).unwrap();
        Record {
            id: PeerId::new(id),
            meta: Meta::created(at, &Actor::staff(StaffId::new(2), "jordan")),
            data,
        }
    }

    /// A peer with every field given, each list and option filled.
    fn full() -> Peer {
        let mut p = Peer::new("Sam \u{e9}quipe", day("2025-02-03"));
        p.legal_name = Some("Samuel Q".into());
        p.pronouns = Some("they/them".into());
        p.phone = Some("555 0100".into());
        p.email = Some("sam@example.org".into());
        p.preferred_contact = Some(ContactPreference::Text);
        p.status = PeerStatus::Inactive;
        p.status_since = day("2026-01-05");
        p.status_reason = Some("away".into());
        p.assigned_staff = Some(StaffId::new(7));
        p.cadence_days = Some(14);
        p.emergency_contact = Some("Ana 555 0199".into());
        p.tags = vec!["veteran".into(), "WRAP".into()];
        p.notes = "likes mornings".into();
        p.wellness_plan = WellnessPlan {
            daily_maintenance: vec!["walk".into()],
            triggers: vec!["noise".into(), "crowds".into()],
            early_warning_signs: vec![],
            what_helps: vec!["music".into()],
            who_to_call: vec!["Ana".into()],
        };
        p.demographics = Demographics {
            age_band: Some(AgeBand::From35To44),
            gender_identity: Some("woman".into()),
            veteran: Some(true),
            county: Some("Lane".into()),
        };
        p.episodes = vec![
            Episode {
                start: day("2025-02-03"),
                end: Some(day("2025-08-01")),
                reason: Some("moved".into()),
            },
            Episode {
                start: day("2025-10-01"),
                end: None,
                reason: None,
            },
        ];
        p
    }

    #[test]
    fn mirror_reads_what_the_full_decode_reads() {
        let mut updated = record(9, full());
        updated.meta = updated.meta.next(
            Utc.with_ymd_and_hms(2026, 4, 1, 10, 0, 0).unwrap(),
            &Actor::login("x"),
        );
        for p in [
            record(1, Peer::new("Ana", day("2026-01-01"))),
            record(u64::MAX, full()),
            updated,
        ] {
            let bytes = stored(&p);
            assert_eq!(mirror(&bytes), Some(PeerFacts::of(&p)), "{p:?}");
            assert_eq!(peer_facts(&bytes, "peer"), Ok(PeerFacts::of(&p)));
        }
    }

    #[test]
    fn a_record_the_mirror_does_not_fit_is_decoded_whole_or_refused() {
        let p = record(3, full());
        let mut bytes = stored(&p);
        // One byte more than a peer: the mirror leaves it unread.
        bytes.push(0);
        assert_eq!(mirror(&bytes), None);
        // Postcard's full decode ignores trailing bytes too, so the
        // fallback reads the record.
        assert_eq!(peer_facts(&bytes, "peer"), Ok(PeerFacts::of(&p)));
        let cut = &stored(&p)[..20];
        assert_eq!(mirror(cut), None);
        let err = peer_facts(cut, "peer").unwrap_err();
        assert!(err.contains("cannot decode peer"), "{err}");
    }

    #[test]
    fn mirror_reads_every_demo_peer_as_the_full_decode_does() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::super::SledStore::open(dir.path()).unwrap();
        let opts = crate::ops::demo::DemoOptions {
            peers: 300,
            checkins: 600,
            seed: 7,
            today: day("2026-11-30"),
            offset: chrono::FixedOffset::east_opt(0).unwrap(),
            login: None,
        };
        crate::ops::demo::generate(&store, &Actor::login("t"), &opts, &mut |_| {}).unwrap();
        let whole: Vec<PeerFacts> = crate::store::Store::list_peers(&store)
            .unwrap()
            .iter()
            .map(PeerFacts::of)
            .collect();
        assert_eq!(whole.len(), 300);
        // The mirror alone (no fallback) reads every one of them.
        let mirrored = store
            .today_peers_by(|b, _| mirror(b).ok_or_else(|| "the mirror did not fit".to_string()))
            .unwrap();
        assert_eq!(mirrored, whole);
        assert!(whole.iter().any(|p| p.cadence_days.is_some()));
        assert!(whole.iter().any(|p| p.status != PeerStatus::Active));
        // The store's Today (from the facts) is the Today of whole records,
        // for everyone and for one staff member.
        for staff in [None, Some(StaffId::new(2))] {
            let date = day("2026-11-30");
            let fast = crate::store::Store::today(&store, date, staff).unwrap();
            let whole =
                super::super::today::gather(&crate::model::dates::CENTER, &store, date, staff)
                    .unwrap();
            assert!(fast.rows.len() > 10, "{}", fast.rows.len());
            assert_eq!(fast, whole);
        }
    }
}
