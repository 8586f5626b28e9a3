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
