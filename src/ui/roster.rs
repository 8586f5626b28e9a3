//! The roster as every list of peers searches it: the rows, their search
//! index and their order by name, prepared once when the roster arrives
//! (by the Peers feature) and shared through the shell, so the Peers
//! screen, the check-in form's picker and a group session's roster do not
//! each fold and index the same 100,000 names again. Each list searches
//! the shared index in its own order and with its own filters
//! ([`LiveSearch::set_base`](crate::search::LiveSearch::set_base)); the
//! index's first-character tables, worked out once in the background
//! (`ui::background`), serve all of them.

use std::sync::Arc;

use crate::model::PeerStatus;
use crate::search::SearchIndex;
use crate::ui::worker::RosterRow;

/// The roster prepared for searching once, shared by every list of
/// peers so that none folds and indexes the same names again (see the
/// module doc).
#[derive(Debug, Clone, Default)]
pub struct RosterSearch {
    /// The rows, as loaded (the same `Arc` as `Shell::roster`).
    pub rows: Arc<Vec<RosterRow>>,
    /// Their names folded and indexed, in roster order, active peers
    /// preferred among equal matches (a list may ignore that).
    pub index: Arc<SearchIndex>,
    /// Roster indexes ordered by name, case ignored (ties in roster
    /// order).
    pub by_name: Arc<Vec<usize>>,
}

impl RosterSearch {
    /// Prepares `rows`: at 100,000 peers a few hundred milliseconds, once
    /// per roster.
    pub fn new(rows: Arc<Vec<RosterRow>>) -> RosterSearch {
        let index = SearchIndex::new(
            rows.iter()
                .map(|r| (r.name.as_str(), &r.keys, r.status == PeerStatus::Active)),
        );
        let lower: Vec<String> = rows.iter().map(|r| r.name.to_lowercase()).collect();
        let mut by_name: Vec<usize> = (0..rows.len()).collect();
        by_name.sort_by(|&a, &b| lower[a].cmp(&lower[b]));
        RosterSearch {
            rows,
            index: Arc::new(index),
            by_name: Arc::new(by_name),
        }
    }

    /// Active peers by name, then everyone else by name: the order the
    /// pickers list peers in.
    pub fn active_first(&self) -> Vec<usize> {
        let active = |&i: &usize| {
            self.rows
                .get(i)
                .is_some_and(|r| r.status == PeerStatus::Active)
        };
        let mut order: Vec<usize> = self.by_name.iter().copied().filter(active).collect();
        order.extend(self.by_name.iter().copied().filter(|i| !active(i)));
        order
    }
}

/// A roster for tests: names that fold, tie and differ in status.
#[cfg(test)]
pub(crate) fn sample_rows(n: usize) -> Vec<RosterRow> {
    const FIRST: &[&str] = &[
        "Ana", "ana", "Kai", "Keisha", "Łukasz", "Zoë", "Mei", "Kwame",
    ];
    const LAST: &[&str] = &["Ek", "Kim", "Ruiz", "Kowalski", "Müller", "O'Connor", ""];
    (0..n)
        .map(|i| RosterRow {
            id: crate::model::PeerId::new(i as u64 + 1),
            name: format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / 3) % LAST.len()]),
            status: match i % 7 {
                3 => PeerStatus::Inactive,
                5 => PeerStatus::Discharged,
                _ => PeerStatus::Active,
            },
            assigned: None,
            last_contact: None,
            keys: crate::search::SearchKeys {
                id: format!("P{}", i + 1),
                phone_digits: String::new(),
                tags: if i % 4 == 0 {
                    vec!["kin".into()]
                } else {
                    Vec::new()
                },
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_first_is_the_pickers_old_sort() {
        let rows = sample_rows(60);
        let search = RosterSearch::new(Arc::new(rows.clone()));
        let mut want: Vec<usize> = (0..rows.len()).collect();
        want.sort_by_cached_key(|&i| {
            (
                rows[i].status != PeerStatus::Active,
                rows[i].name.to_lowercase(),
            )
        });
        assert_eq!(search.active_first(), want);
    }
}
