//! How an audit entry is laid out on disk.
//!
//! A listing's entry names every peer it returned: a Today at a center of
//! 10,000 peers names 3,000–9,000 of them, once in the entry's `peers`
//! (what "who touched P12?" searches) and once more in its
//! [`AuditEvent::Read`]. Written whole, each was 12–34 KB, written by the
//! first Today of every connection; sled keeps the newest audit entries
//! in one leaf, so that leaf grew past sled's blob size and every such
//! entry wrote a 165 KB file and synced it besides the log (measured at
//! 10k peers / 1M check-ins, 8,548 Today rows).
//!
//! So an entry is stored as [`COMPACT`] followed by a [`Stored`]: the
//! peers as runs of consecutive ids (a listing's peers are sorted and
//! distinct; a Today of 8,548 peers takes about 2.6 KB), and a `Read`'s own
//! list left out when it is the entry's. Entries written before have no
//! such first byte (their first field is a timestamp string, whose length
//! is never 0) and are read as they were: nothing is migrated.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::codec::{decode, encode};
use crate::model::{Actor, PeerId};

use super::audit::{AuditEntry, AuditEvent};

/// First byte of an entry in the compact layout. An entry in the layout
/// before it starts with its timestamp's length, which is never 0.
const COMPACT: u8 = 0;

/// The stored form of an [`AuditEntry`].
#[derive(Serialize, Deserialize)]
struct Stored {
    at: DateTime<Utc>,
    seq: u64,
    actor: Actor,
    peers: Peers,
    /// The event; a `Read` whose peers are the entry's is stored with an
    /// empty list and `read_is_entry` set.
    event: AuditEvent,
    read_is_entry: bool,
}

/// An entry's peers: runs of consecutive ids when sorted and distinct (a
/// listing's), else the list as it is (order kept).
#[derive(Serialize, Deserialize)]
enum Peers {
    /// Each run: the gap from the end of the previous run (from 0 for the
    /// first) to its first id, and how many ids follow that first one.
    Runs(Vec<(u64, u64)>),
    /// Not sorted, or with repeats.
    List(Vec<PeerId>),
}

impl Peers {
    fn of(peers: &[PeerId]) -> Peers {
        let ascending = peers.windows(2).all(|w| w[0].raw() < w[1].raw());
        if !ascending {
            return Peers::List(peers.to_vec());
        }
        let mut runs: Vec<(u64, u64)> = Vec::new();
        let mut end = 0u64; // one past the last id of the previous run
        let mut current: Option<(u64, u64)> = None; // (first id, extra ids)
        for raw in peers.iter().map(|p| p.raw()) {
            match current {
                Some((first, extra)) if first + extra + 1 == raw => {
                    current = Some((first, extra + 1));
                }
                Some((first, extra)) => {
                    runs.push((first - end, extra));
                    end = first + extra + 1;
                    current = Some((raw, 0));
                }
                None => current = Some((raw, 0)),
            }
        }
        if let Some((first, extra)) = current {
            runs.push((first - end, extra));
        }
        Peers::Runs(runs)
    }

    fn into_list(self) -> Result<Vec<PeerId>, String> {
        match self {
            Peers::List(list) => Ok(list),
            Peers::Runs(runs) => {
                let mut out = Vec::new();
                let mut end = 0u64;
                for (gap, extra) in runs {
                    let first = end
                        .checked_add(gap)
                        .ok_or("an audit entry's peer ids overflow")?;
                    let last = first
                        .checked_add(extra)
                        .ok_or("an audit entry's peer ids overflow")?;
                    if first == 0 {
                        return Err("an audit entry names peer 0".to_string());
                    }
                    out.extend((first..=last).map(PeerId::new));
                    end = last
                        .checked_add(1)
                        .ok_or("an audit entry's peer ids overflow")?;
                }
                Ok(out)
            }
        }
    }
}

/// The bytes an entry is stored as.
pub(crate) fn encode_entry(entry: &AuditEntry) -> Result<Vec<u8>, String> {
    let mut event = entry.event.clone();
    let read_is_entry = match &mut event {
        AuditEvent::Read { peers, .. } if *peers == entry.peers => {
            peers.clear();
            true
        }
        _ => false,
    };
    let stored = Stored {
        at: entry.at,
        seq: entry.seq,
        actor: entry.actor.clone(),
        peers: Peers::of(&entry.peers),
        event,
        read_is_entry,
    };
    let mut bytes = vec![COMPACT];
    bytes.extend(encode(&stored)?);
    Ok(bytes)
}

/// Reads an entry in either layout; the error says what could not be read.
pub(crate) fn decode_entry(bytes: &[u8]) -> Result<AuditEntry, String> {
    let Some((&COMPACT, rest)) = bytes.split_first() else {
        return decode(bytes, "audit entry");
    };
    let stored: Stored = decode(rest, "audit entry")?;
    let peers = stored
        .peers
        .into_list()
        .map_err(|e| format!("cannot decode audit entry: {e}"))?;
    let mut event = stored.event;
    if stored.read_is_entry {
        if let AuditEvent::Read { peers: listed, .. } = &mut event {
            listed.clone_from(&peers);
        }
    }
    Ok(AuditEntry {
        at: stored.at,
        seq: stored.seq,
        actor: stored.actor,
        peers,
        event,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StaffId;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn entry(peers: Vec<u64>, event: AuditEvent) -> AuditEntry {
        AuditEntry {
            at: Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
            seq: 7,
            actor: Actor {
                staff: Some(StaffId::new(2)),
                login: "ana".into(),
            },
            peers: peers.into_iter().map(PeerId::new).collect(),
            event,
        }
    }

    fn read(peers: &[u64]) -> AuditEntry {
        let ids: Vec<PeerId> = peers.iter().copied().map(PeerId::new).collect();
        entry(
            peers.to_vec(),
            AuditEvent::Read {
                what: "today".into(),
                peers: ids,
            },
        )
    }

    #[test]
    fn entries_written_in_the_layout_before_are_still_read() {
        for old in [
            read(&[3, 4, 5, 9]),
            entry(
                vec![12],
                AuditEvent::Viewed {
                    peer: PeerId::new(12),
                },
            ),
            entry(vec![], AuditEvent::SettingsChanged),
        ] {
            let bytes = encode(&old).unwrap();
            assert_ne!(
                bytes[0], COMPACT,
                "an old entry starts with its time's length"
            );
            assert_eq!(decode_entry(&bytes).unwrap(), old);
        }
    }

    #[test]
    fn a_large_listing_is_stored_in_a_few_kilobytes() {
        // Today at 10k peers a week after the data's date: 8,548 of them,
        // most ids in runs, some apart.
        let peers: Vec<u64> = (1..=10_000u64)
            .filter(|i| i % 7 != 0 || i % 3 == 0)
            .collect();
        let e = read(&peers);
        let old = encode(&e).unwrap().len();
        let new = encode_entry(&e).unwrap().len();
        assert!(old > 30_000, "the whole list twice: {old} bytes");
        assert!(new < 3_500, "runs, once: {new} bytes");
        assert_eq!(decode_entry(&encode_entry(&e).unwrap()).unwrap(), e);
    }

    #[test]
    fn a_read_whose_list_differs_from_the_entrys_keeps_its_own() {
        let mut e = read(&[1, 2, 3]);
        if let AuditEvent::Read { peers, .. } = &mut e.event {
            peers.push(PeerId::new(40));
        }
        assert_eq!(decode_entry(&encode_entry(&e).unwrap()).unwrap(), e);
    }

    #[test]
    fn damaged_runs_are_an_error_not_a_panic() {
        let mut bytes = vec![COMPACT];
        bytes.extend(
            encode(&Stored {
                at: Utc::now(),
                seq: 1,
                actor: Actor::login("x"),
                peers: Peers::Runs(vec![(u64::MAX, 5)]),
                event: AuditEvent::SettingsChanged,
                read_is_entry: false,
            })
            .unwrap(),
        );
        assert!(decode_entry(&bytes).unwrap_err().contains("audit entry"));
        assert!(decode_entry(&[COMPACT, 0xff]).is_err());
    }

    #[test]
    fn a_trail_holding_both_layouts_is_read_and_filtered_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let tree = db.open_tree("audit").unwrap();
        let mut old = read(&[5, 6, 7]);
        old.at = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        let new = read(&[6, 9]);
        tree.insert(b"1-old", encode(&old).unwrap()).unwrap();
        tree.insert(b"2-new", encode_entry(&new).unwrap()).unwrap();
        let about = |peer: u64| super::super::audit::AuditFilter {
            peer: Some(PeerId::new(peer)),
            ..Default::default()
        };
        let found = super::super::audit::query(&tree, &about(6), dir.path()).unwrap();
        assert_eq!(
            found,
            vec![new.clone(), old.clone()],
            "newest first, both layouts"
        );
        let found = super::super::audit::query(&tree, &about(9), dir.path()).unwrap();
        assert_eq!(found, vec![new]);
        let found = super::super::audit::query(&tree, &about(5), dir.path()).unwrap();
        assert_eq!(found, vec![old]);
    }

    proptest! {
        #[test]
        fn every_entry_reads_back_as_written(
            peers in proptest::collection::vec(1u64..5_000, 0..300),
            sort in any::<bool>(),
            as_read in any::<bool>(),
        ) {
            let mut peers = peers;
            if sort {
                peers.sort_unstable();
                peers.dedup();
            }
            let e = if as_read {
                read(&peers)
            } else {
                entry(peers, AuditEvent::Locked)
            };
            prop_assert_eq!(decode_entry(&encode_entry(&e).unwrap()).unwrap(), e);
        }
    }
}
