//! The Peers screen keeps the search's results between keys and the
//! unsearched order between filter changes: after any sequence of typing,
//! Backspace, filter, order and roster changes its rows must be exactly
//! those the straightforward way gives (filter, then rank the whole
//! filtered roster, or sort it when there is no query).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;

use super::*;
use crate::search::SearchKeys;

const NAME_CHARS: &[char] = &['a', 'k', 'e', 'A', 'É', 'ü', ' ', 'n', 'P'];
const TYPED: &[char] = &['a', 'k', 'e', 'n', 'u', ' ', 'p', '1', '2', 'K'];

fn row() -> impl Strategy<Value = (String, u8, Option<u8>, Option<u8>)> {
    (
        prop::collection::vec(prop::sample::select(NAME_CHARS), 0..8)
            .prop_map(|v| v.into_iter().collect::<String>()),
        0u8..3,
        prop::option::of(1u8..4),
        prop::option::of(0u8..5),
    )
}

fn roster(rows: &[(String, u8, Option<u8>, Option<u8>)]) -> Vec<RosterRow> {
    rows.iter()
        .enumerate()
        .map(|(i, (name, status, staff, day))| RosterRow {
            id: PeerId::new(i as u64 + 1),
            name: name.clone(),
            status: match status {
                0 => PeerStatus::Active,
                1 => PeerStatus::Inactive,
                _ => PeerStatus::Discharged,
            },
            assigned: staff.map(|s| StaffId::new(u64::from(s))),
            last_contact: day.and_then(|d| NaiveDate::from_ymd_opt(2026, 11, 1 + u32::from(d))),
            keys: SearchKeys {
                id: format!("P{}", i + 1),
                ..SearchKeys::default()
            },
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Op {
    Type(char),
    Backspace,
    Clear,
    Status,
    Staff,
    Sort,
    Reload(Vec<(String, u8, Option<u8>, Option<u8>)>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => prop::sample::select(TYPED).prop_map(Op::Type),
        3 => Just(Op::Backspace),
        1 => Just(Op::Clear),
        1 => Just(Op::Status),
        1 => Just(Op::Staff),
        1 => Just(Op::Sort),
        1 => prop::collection::vec(row(), 0..12).prop_map(Op::Reload),
    ]
}

/// The rows as the screen computed them before it kept anything.
fn straightforward(s: &PeersState) -> Vec<usize> {
    let roster = &s.roster;
    let lower: Vec<String> = roster.iter().map(|r| r.name.to_lowercase()).collect();
    let mut candidates: Vec<usize> = (0..roster.len())
        .filter(|&i| s.admits(&roster[i]))
        .collect();
    let query = s.query.text().trim();
    if query.is_empty() {
        match s.sort {
            Sort::Name => candidates.sort_by(|&a, &b| lower[a].cmp(&lower[b])),
            Sort::LastContact => candidates.sort_by(|&a, &b| {
                let key = |i: usize| roster[i].last_contact.unwrap_or(NaiveDate::MIN);
                key(a).cmp(&key(b)).then_with(|| lower[a].cmp(&lower[b]))
            }),
        }
        return candidates;
    }
    NameMatcher::default()
        .rank_keyed(
            query,
            candidates
                .iter()
                .map(|&i| (roster[i].name.as_str(), &roster[i].keys, true)),
        )
        .into_iter()
        .map(|h| candidates[h])
        .collect()
}

fn press(s: &mut PeersState, code: KeyCode) {
    s.text_key(KeyEvent::new(code, KeyModifiers::NONE));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn rows_are_what_the_straightforward_filter_and_ranking_give(
        first in prop::collection::vec(row(), 0..16),
        ops in prop::collection::vec(op(), 1..25),
    ) {
        let mut s = PeersState {
            staff: (1..4)
                .map(|i| crate::ui::worker::StaffRow {
                    id: StaffId::new(i),
                    name: format!("Staff {i}"),
                    initials: format!("S{i}"),
                    active: true,
                })
                .collect(),
            ..PeersState::default()
        };
        s.set_roster(roster(&first));
        for op in &ops {
            match op {
                Op::Type(c) => press(&mut s, KeyCode::Char(*c)),
                Op::Backspace => press(&mut s, KeyCode::Backspace),
                Op::Clear => {
                    let _ = s.handle(Action::Back);
                }
                Op::Status => {
                    let _ = s.handle(Action::FilterStatus);
                }
                Op::Staff => {
                    let _ = s.handle(Action::FilterStaff);
                }
                Op::Sort => {
                    let _ = s.handle(Action::Sort);
                }
                Op::Reload(rows) => s.set_roster(roster(rows)),
            }
            prop_assert_eq!(&s.visible, &straightforward(&s), "after {:?}, query {:?}", op, s.query.text());
        }
    }
}

/// What happens while a roster's search is prepared off the UI thread.
#[derive(Debug, Clone)]
enum Later {
    /// A key, filter or order change (as in [`Op`]).
    Now(Op),
    /// A roster arrives whose search is prepared later.
    Arrive(Vec<(String, u8, Option<u8>, Option<u8>)>),
    /// The prepared search of the `n`th roster that arrived (counted
    /// back from the newest) comes back.
    Prepared(usize),
}

fn later() -> impl Strategy<Value = Later> {
    prop_oneof![
        8 => op().prop_map(Later::Now),
        2 => prop::collection::vec(row(), 0..12).prop_map(Later::Arrive),
        3 => (0usize..3).prop_map(Later::Prepared),
    ]
}

fn staffed() -> PeersState {
    PeersState {
        staff: (1..4)
            .map(|i| crate::ui::worker::StaffRow {
                id: StaffId::new(i),
                name: format!("Staff {i}"),
                initials: format!("S{i}"),
                active: true,
            })
            .collect(),
        ..PeersState::default()
    }
}

/// The rows listed while the search is being prepared: the admitted
/// peers as they came, or by last contact.
fn unsearched_as_they_came(s: &PeersState) -> Vec<usize> {
    let roster = &s.roster;
    let mut v: Vec<usize> = (0..roster.len())
        .filter(|&i| s.admits(&roster[i]))
        .collect();
    if s.sort == Sort::LastContact {
        v.sort_by_key(|&i| roster[i].last_contact.unwrap_or(NaiveDate::MIN));
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Rosters whose search is prepared later, typing before, during and
    /// after, prepared searches coming back in any order (also for
    /// rosters since replaced): while one is prepared the roster is
    /// listed unsearched with the typing kept; once it is installed the
    /// rows are what the straightforward way gives for everything typed.
    #[test]
    fn typing_while_the_search_is_prepared_applies_once_it_arrives(
        first in prop::collection::vec(row(), 0..16),
        ops in prop::collection::vec(later(), 1..30),
    ) {
        let mut s = staffed();
        let mut pending: Vec<Arc<Vec<RosterRow>>> = vec![s.list_unsearched(roster(&first))];
        prop_assert!(s.indexing());
        for op in &ops {
            match op {
                Later::Now(Op::Type(c)) => press(&mut s, KeyCode::Char(*c)),
                Later::Now(Op::Backspace) => press(&mut s, KeyCode::Backspace),
                Later::Now(Op::Clear) => {
                    let _ = s.handle(Action::Back);
                }
                Later::Now(Op::Status) => {
                    let _ = s.handle(Action::FilterStatus);
                }
                Later::Now(Op::Staff) => {
                    let _ = s.handle(Action::FilterStaff);
                }
                Later::Now(Op::Sort) => {
                    let _ = s.handle(Action::Sort);
                }
                Later::Now(Op::Reload(rows)) => s.set_roster(roster(rows)),
                Later::Arrive(rows) => pending.push(s.list_unsearched(roster(rows))),
                Later::Prepared(back) => {
                    let Some(at) = pending.len().checked_sub(back + 1) else { continue };
                    let rows = pending.remove(at);
                    let current = Arc::ptr_eq(&rows, &s.roster);
                    let was_indexing = s.indexing();
                    let query = s.query.text().to_string();
                    let installed = s.install_search(RosterSearch::new(rows));
                    prop_assert_eq!(installed, current && was_indexing, "{:?}", op);
                    prop_assert_eq!(s.query.text(), query.as_str(), "the typing is kept");
                }
            }
            let want = if s.indexing() {
                unsearched_as_they_came(&s)
            } else {
                straightforward(&s)
            };
            prop_assert_eq!(&s.visible, &want, "after {:?}, query {:?}", op, s.query.text());
        }
    }
}

#[test]
fn keys_typed_before_the_search_is_prepared_select_its_best_match() {
    let rows = roster(&[
        ("Ana Ek".into(), 0, None, None),
        ("Kai Kim".into(), 0, None, None),
        ("Keisha Ruiz".into(), 0, None, None),
    ]);
    let mut s = staffed();
    s.set_roster(rows.clone());
    // The last peer selected, then a new roster whose search comes later.
    s.cursor.select(2, s.visible.len());
    let later = s.list_unsearched(rows.clone());
    assert!(s.indexing());
    assert_eq!(s.visible, vec![0, 1, 2], "listed as they came, meanwhile");
    assert_eq!(
        s.selected_peer().map(|(id, _)| id),
        Some(PeerId::new(3)),
        "the selected peer stays selected"
    );
    for c in "ke".chars() {
        press(&mut s, KeyCode::Char(c));
    }
    assert_eq!(s.query.text(), "ke");
    assert_eq!(s.visible, vec![0, 1, 2], "nothing searched yet");
    assert!(s.install_search(RosterSearch::new(later)));
    assert!(!s.indexing());
    assert_eq!(s.visible, straightforward(&s));
    assert!(s.visible.len() < 3, "{:?}", s.visible);
    assert_eq!(s.cursor.selected, 0, "the best match of what was typed");
    // A roster that arrived with nothing typed keeps the selection.
    s.handle(Action::Back);
    s.cursor.select(1, s.visible.len());
    let kept = s.selected_peer();
    let again = s.list_unsearched(rows);
    assert!(s.install_search(RosterSearch::new(again)));
    assert_eq!(s.selected_peer(), kept);
}

#[test]
fn a_search_prepared_for_a_replaced_roster_is_refused() {
    let mut s = staffed();
    let old = s.list_unsearched(roster(&[("Ana".into(), 0, None, None)]));
    let new = s.list_unsearched(roster(&[("Kai".into(), 0, None, None)]));
    assert!(!s.install_search(RosterSearch::new(old)));
    assert!(s.indexing(), "still waiting for the new roster's");
    assert!(s.install_search(RosterSearch::new(Arc::clone(&new))));
    assert!(!s.install_search(RosterSearch::new(new)), "installed once");
}
