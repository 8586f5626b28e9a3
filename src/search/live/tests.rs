//! The fast path must give exactly what the straightforward ranking gives:
//! random rosters, random subsets, random typing, Backspace, edits in the
//! middle and pastes, compared after every key with
//! [`NameMatcher::rank_keyed`] over the same subset.

use proptest::prelude::*;

use super::*;

/// Names drawn from characters that fold, match and score differently:
/// cases, accents, other scripts, spaces, digits and punctuation.
const NAME_CHARS: &[char] = &[
    'a', 'b', 'k', 'n', 'A', 'K', 'é', 'ü', 'Ł', 'ß', '李', ' ', ' ', '-', '1', '\'', 'p',
];
/// What gets typed: mostly name characters, some the ids and tags use.
const TYPED_CHARS: &[char] = &[
    'a', 'b', 'k', 'n', 'A', 'K', 'é', 'u', 'l', 's', ' ', '-', '1', '2', 'p', 'P', '0', '5',
];
/// Whole keys and fragments a user might paste.
const PASTES: &[&str] = &[
    "P1",
    "p12",
    "housing",
    "Ōtautahi",
    "021 555 0101",
    "5550101",
    "1234",
    "an k",
    "  ",
    "li",
];
const TAGS: &[&str] = &["housing", "otautahi", "k", "ab", ""];
const PHONES: &[&str] = &["", "0215550101", "5550101", "1234", "12"];

#[derive(Debug, Clone)]
struct Row {
    name: String,
    keys: SearchKeys,
    preferred: bool,
}

fn row() -> impl Strategy<Value = Row> {
    (
        prop::collection::vec(prop::sample::select(NAME_CHARS), 0..12),
        0u32..20,
        prop::sample::select(PHONES),
        prop::collection::vec(prop::sample::select(TAGS), 0..3),
        any::<bool>(),
    )
        .prop_map(|(name, id, phone, tags, preferred)| Row {
            name: name.into_iter().collect(),
            keys: SearchKeys {
                id: if id == 0 {
                    String::new()
                } else {
                    format!("P{id}")
                },
                phone_digits: phone.to_string(),
                tags: tags.into_iter().map(String::from).collect(),
            },
            preferred,
        })
}

#[derive(Debug, Clone)]
enum Op {
    Type(char),
    Backspace,
    /// A character put in the middle (the cursor moved left first).
    Insert(usize, char),
    /// A character taken out of the middle.
    Delete(usize),
    Paste(&'static str),
    Clear,
    /// The screen's filters changed: another subset.
    Rebase(Vec<bool>),
    /// Another list over the same index: a subset in an order of its own
    /// (candidates sorted by the keys given, ties by index).
    Reorder(Vec<u8>),
    /// Equal matches ranked preferred first, or in list order only.
    Prefer(bool),
    /// The first-character tables, worked out off the UI thread, arrive
    /// (whatever was typed by then).
    Tables,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => prop::sample::select(TYPED_CHARS).prop_map(Op::Type),
        3 => Just(Op::Backspace),
        1 => (0usize..8, prop::sample::select(TYPED_CHARS)).prop_map(|(p, c)| Op::Insert(p, c)),
        1 => (0usize..8).prop_map(Op::Delete),
        1 => prop::sample::select(PASTES).prop_map(Op::Paste),
        1 => Just(Op::Clear),
        1 => prop::collection::vec(any::<bool>(), 0..40).prop_map(Op::Rebase),
        1 => Just(Op::Tables),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Op::Reorder),
        1 => any::<bool>().prop_map(Op::Prefer),
    ]
}

/// The straightforward ranking over `base` (all when None), as candidate
/// indexes: what the screens did before.
fn reference(rows: &[Row], base: Option<&[usize]>, query: &str) -> Vec<usize> {
    reference_preferring(rows, base, query, true)
}

/// The same, every candidate preferred when `preferring` is false.
fn reference_preferring(
    rows: &[Row],
    base: Option<&[usize]>,
    query: &str,
    preferring: bool,
) -> Vec<usize> {
    let subset: Vec<usize> = match base {
        Some(b) => b.to_vec(),
        None => (0..rows.len()).collect(),
    };
    NameMatcher::default()
        .rank_keyed(
            query,
            subset.iter().map(|&i| {
                let r = &rows[i];
                (r.name.as_str(), &r.keys, r.preferred || !preferring)
            }),
        )
        .into_iter()
        .map(|h| subset[h])
        .collect()
}

fn index_of(rows: &[Row]) -> SearchIndex {
    SearchIndex::new(rows.iter().map(|r| (r.name.as_str(), &r.keys, r.preferred)))
}

fn apply(query: &mut Vec<char>, op: &Op) {
    match op {
        Op::Type(c) => query.push(*c),
        Op::Backspace => {
            query.pop();
        }
        Op::Insert(p, c) => query.insert((*p).min(query.len()), *c),
        Op::Delete(p) => {
            if *p < query.len() {
                query.remove(*p);
            }
        }
        Op::Paste(s) => query.extend(s.chars()),
        Op::Clear => query.clear(),
        Op::Rebase(_) | Op::Reorder(_) | Op::Prefer(_) | Op::Tables => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Also whether or not the first-character tables were installed
    /// before the first key, or arrive somewhere in the middle.
    #[test]
    fn typing_gives_what_the_full_ranking_gives(
        rows in prop::collection::vec(row(), 0..40),
        ops in prop::collection::vec(op(), 1..30),
        tables_first in any::<bool>(),
    ) {
        let mut live = LiveSearch::new(index_of(&rows));
        if tables_first {
            let tables = live.index().first_chars();
            prop_assert!(live.index().install_first_chars(tables));
        }
        let mut base: Option<Vec<usize>> = None;
        let mut preferring = true;
        let mut query: Vec<char> = Vec::new();
        for op in &ops {
            if let Op::Reorder(keys) = op {
                let mut b: Vec<usize> = (0..rows.len())
                    .filter(|&i| keys.get(i).is_none_or(|k| k % 5 != 0))
                    .collect();
                b.sort_by_key(|&i| keys.get(i).copied().unwrap_or(0) / 3);
                live.set_base(Some(b.clone()));
                base = Some(b);
            }
            if let Op::Prefer(p) = op {
                live.set_preferring(*p);
                preferring = *p;
            }
            if let Op::Tables = op {
                let tables = live.index().first_chars();
                let fresh = !live.index().has_first_chars();
                prop_assert_eq!(live.index().install_first_chars(tables), fresh);
                prop_assert!(live.index().has_first_chars());
            }
            if let Op::Rebase(mask) = op {
                let b: Vec<usize> = (0..rows.len())
                    .filter(|&i| mask.get(i).copied().unwrap_or(true))
                    .collect();
                live.set_base(Some(b.clone()));
                base = Some(b);
            }
            apply(&mut query, op);
            let q: String = query.iter().collect();
            let got = live.rank(&q);
            let want = reference_preferring(&rows, base.as_deref(), &q, preferring);
            prop_assert_eq!(got, want, "query {:?} after {:?}", q, op);
        }
    }

    #[test]
    fn counting_sort_orders_as_the_comparison_sort(
        hits in prop::collection::vec((any::<bool>(), -40i64..400), 0..200),
        wide in any::<bool>(),
    ) {
        let hits: Vec<(u32, i64, bool)> = hits
            .into_iter()
            .enumerate()
            .map(|(i, (rest, s))| (i as u32, if wide && i % 7 == 0 { s << 20 } else { s }, rest))
            .collect();
        let rest = |i: u32| hits[i as usize].2;
        let got = sort_hits(hits.iter().map(|&(i, s, _)| (i, s)).collect(), rest);
        let mut want: Vec<(i64, bool, u32)> = hits.iter().map(|&(i, s, r)| (-s, r, i)).collect();
        want.sort_unstable();
        let want: Vec<usize> = want.into_iter().map(|(_, _, i)| i as usize).collect();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn a_long_list_scored_on_several_threads_ranks_as_one_thread_does() {
    // Long enough for the threaded path (PARALLEL_FROM).
    let first = ["Ana", "Łukasz", "Zoë", "Kwame", "Björn", "Mei", "Keisha"];
    let last = ["García", "Nguyễn", "Kowalski", "Müller", "O'Connor", "Kim"];
    let rows: Vec<Row> = (0..PARALLEL_FROM * 2 + 11)
        .map(|i| Row {
            name: format!(
                "{} {}{}",
                first[i % first.len()],
                last[(i / 7) % last.len()],
                i % 13
            ),
            keys: SearchKeys {
                id: format!("P{}", i + 1),
                phone_digits: format!("0215550{:04}", i % 10_000),
                tags: if i % 5 == 0 {
                    vec!["k".into()]
                } else {
                    Vec::new()
                },
            },
            preferred: i % 10 != 9,
        })
        .collect();
    let mut live = LiveSearch::new(index_of(&rows));
    for q in [
        "k",
        "ko",
        "kow",
        "ko",
        "k",
        "P17",
        "02155500101",
        "muller 1",
        "zz",
    ] {
        let got = live.rank(q);
        assert_eq!(got, reference(&rows, None, q), "query {q:?}");
        if q == "k" {
            assert!(got.len() > 1000 && got.len() < rows.len(), "{}", got.len());
        }
    }
    let base: Vec<usize> = (0..rows.len()).filter(|i| i % 3 != 0).collect();
    live.set_base(Some(base.clone()));
    for q in ["a", "an", "P18", "P19"] {
        assert_eq!(
            live.rank(q),
            reference(&rows, Some(&base), q),
            "query {q:?}"
        );
    }
    // The same with the first character looked up.
    let tables = live.index().first_chars();
    assert!(live.index().install_first_chars(tables));
    for q in ["k", "ko", "w", "a", "an", "z", "7"] {
        assert_eq!(
            live.rank(q),
            reference(&rows, Some(&base), q),
            "query {q:?}"
        );
    }
    // A list in an order of its own over the same index (as the check-in
    // picker's): many hits put in list order by a sweep, a few by a sort.
    let own: Vec<usize> = (0..rows.len()).rev().filter(|i| i % 4 != 1).collect();
    live.set_base(Some(own.clone()));
    for q in ["k", "ko", "kow", "muller 1", "P17", "P18", "zz", "a", "ab"] {
        assert_eq!(live.rank(q), reference(&rows, Some(&own), q), "query {q:?}");
    }
    live.set_preferring(false);
    for q in ["k", "ke", "mei k"] {
        assert_eq!(
            live.rank(q),
            reference_preferring(&rows, Some(&own), q, false),
            "query {q:?}"
        );
    }
}

#[test]
fn backspace_returns_the_kept_result_and_narrowing_keeps_it() {
    let rows: Vec<Row> = ["Ana Ruiz", "Dana Ortiz", "Kai Ek", "Anaïs"]
        .iter()
        .enumerate()
        .map(|(i, n)| Row {
            name: n.to_string(),
            keys: SearchKeys {
                id: format!("P{}", i + 1),
                ..SearchKeys::default()
            },
            preferred: true,
        })
        .collect();
    let mut live = LiveSearch::new(index_of(&rows));
    let a = live.rank("a");
    let an = live.rank("an");
    assert_eq!(live.levels.len(), 2, "one kept result per query typed");
    assert_eq!(live.rank("a"), a, "Backspace");
    assert_eq!(live.levels.len(), 1, "the longer query is dropped");
    assert_eq!(live.rank("an"), an);
    assert_eq!(
        live.rank("P1"),
        vec![0],
        "a whole id, not a narrowing of 'an'"
    );
    assert_eq!(live.levels.len(), 1, "'an' does not hold 'P1''s matches");
    assert_eq!(live.rank(""), vec![0, 1, 2, 3]);
}

#[test]
fn masks_never_reject_what_the_matcher_accepts() {
    // Characters equal to the matcher share a bit.
    for (a, b) in [('a', 'A'), ('k', 'K'), ('z', 'Z'), ('1', '1'), (' ', ' ')] {
        assert_eq!(char_bit(a), char_bit(b));
    }
    assert!(subsequence("ana ruiz", "AR"));
    assert!(subsequence("nguyen", "ny"));
    assert!(!subsequence("ana", "ab"));
    assert!(subsequence("li wei", ""));
}

/// Every class the matcher tells apart, letters a query holds and does not,
/// both cases, and a few non-ASCII characters (scored by the matcher).
const SHAPE_CHARS: &[char] = &[
    '\0', ' ', '/', '(', '!', '-', '.', '\'', '~', '0', '7', 'A', 'K', 'Z', 'a', 'b', 'e', 'k',
    'z', 'é', '李', '\t',
];
const PATTERN_CHARS: &[char] = &['a', 'k', 'e', 'A', 'K', ' ', '-', '7', '.', '(', 'é'];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Scoring by shape answers exactly what the matcher answers for every
    /// name, whichever name of a shape came first (shapes short enough to
    /// be kept as a number, and longer ones, scored directly).
    #[test]
    fn shapes_score_as_the_matcher_does(
        names in prop::collection::vec(
            prop::collection::vec(prop::sample::select(SHAPE_CHARS), 0..24)
                .prop_map(|v| v.into_iter().collect::<String>()),
            1..60,
        ),
        pattern in prop::collection::vec(prop::sample::select(PATTERN_CHARS), 1..5)
            .prop_map(|v| v.into_iter().collect::<String>()),
    ) {
        check_shapes(&names, &pattern)?;
    }

    /// The same over a few characters and short names, so that many names
    /// share a shape, or nearly do.
    #[test]
    fn shapes_score_as_the_matcher_does_when_names_are_alike(
        names in prop::collection::vec(
            prop::collection::vec(prop::sample::select(&['a', 'b', 'k', 'K', ' ', '-'][..]), 0..7)
                .prop_map(|v| v.into_iter().collect::<String>()),
            1..80,
        ),
        pattern in prop::collection::vec(prop::sample::select(&['a', 'k', 'b', 'K'][..]), 1..4)
            .prop_map(|v| v.into_iter().collect::<String>()),
    ) {
        check_shapes(&names, &pattern)?;
    }
}

fn check_shapes(names: &[String], pattern: &str) -> Result<(), TestCaseError> {
    let m = NameMatcher::default();
    let mut shapes = shape::Shapes::new(pattern);
    prop_assert!(shapes.is_some() || !pattern.is_ascii());
    // The one-pass walk for ASCII names, with shapes of its own.
    let mut ascii = shape::Shapes::new(pattern);
    for n in names {
        let want = m.fuzzy_score(n, pattern);
        let got = match shapes.as_mut() {
            Some(s) => s.score(&m, n),
            None => want,
        };
        prop_assert_eq!(got, want, "name {:?}, pattern {:?}", n, pattern);
        if let (Some(s), true) = (ascii.as_mut(), n.is_ascii()) {
            let got = s.score_ascii(&m, n);
            prop_assert_eq!(got, want, "name {:?}, pattern {:?}, one pass", n, pattern);
        }
    }
    Ok(())
}

#[test]
fn names_of_one_shape_ask_the_matcher_once() {
    let m = NameMatcher::default();
    let mut shapes = shape::Shapes::new("k").expect("an ASCII pattern");
    // One k each, after a space: one shape however the names differ.
    for n in ["ana kim", "jose king", "mei kowal", "a k"] {
        assert_eq!(shapes.score(&m, n), m.fuzzy_score(n, "k"));
    }
    assert_eq!(shapes.memo_len(), 1);
    // The first character of the name is another shape, a k after a
    // letter another, and a K (case mismatch) another.
    for n in ["kai ek", "baker", "Kai"] {
        assert_eq!(shapes.score(&m, n), m.fuzzy_score(n, "k"));
    }
    assert_eq!(shapes.memo_len(), 4);
}

#[test]
fn a_score_does_not_depend_on_the_name_scored_before() {
    // fuzzy-matcher 0.3.7 reuses its score table between calls, and with
    // it reused "Kkk" scored 69 or 81 for "kkk" depending on the name
    // before it: a rank that depended on the list's order and on the
    // threads. Each name is asked of a fresh matcher.
    let m = NameMatcher::default();
    let alone = m.fuzzy_score("Kkk", "kkk");
    for before in ["Kkkaa", "kkaK", "k", "aaaaaaaaaaaaaaaaaaaaaaaaak"] {
        let _ = m.fuzzy_score(before, "kkk");
        assert_eq!(m.fuzzy_score("Kkk", "kkk"), alone, "after {before:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The first-character tables hold, for every name and every letter
    /// and digit, the matcher's own score (None where it does not match),
    /// and where an ASCII name first and last holds it.
    #[test]
    fn first_character_tables_hold_the_matchers_scores(
        names in prop::collection::vec(
            prop::collection::vec(prop::sample::select(SHAPE_CHARS), 0..14)
                .prop_map(|v| v.into_iter().collect::<String>()),
            0..40,
        ),
    ) {
        let none = SearchKeys::default();
        let index = SearchIndex::new(names.iter().map(|n| (n.as_str(), &none, true)));
        let tables = index.first_chars();
        let m = NameMatcher::default();
        for c in "abcdefghijklmnopqrstuvwxyz0123456789".chars() {
            let p = c.to_string();
            let t = tables.get(&p);
            prop_assert!(t.is_some(), "{:?} kept", c);
            let Some(t) = t else { continue };
            for (i, n) in names.iter().enumerate() {
                let want = if n.is_empty() { None } else { m.fuzzy_score(&fold(n), &p) };
                let code = t.codes[i];
                let got = (code != first::ABSENT).then(|| t.scores[usize::from(code)]);
                prop_assert_eq!(got, want, "{:?} for {:?}", n, c);
                // Where an ASCII name first and last holds the character
                // (what a second character is answered from).
                let folded = fold(n);
                let known = |p: Option<usize>| p.map_or(first::UNKNOWN, |p| p as u8);
                let (at_first, at_last) = if n.is_empty() || !folded.is_ascii() {
                    (first::UNKNOWN, first::UNKNOWN)
                } else {
                    (known(folded.find(c)), known(folded.rfind(c)))
                };
                prop_assert_eq!((t.first[i], t.last[i]), (at_first, at_last), "{:?} for {:?}", n, c);
            }
        }
    }
}

#[test]
fn tables_for_another_list_are_refused() {
    let rows: Vec<Row> = ["Ana Ruiz", "Kai Ek"]
        .iter()
        .map(|n| Row {
            name: n.to_string(),
            keys: SearchKeys::default(),
            preferred: true,
        })
        .collect();
    let index = index_of(&rows);
    let other = index_of(&rows[..1]);
    assert!(!index.install_first_chars(other.first_chars()));
    // The same names indexed again: another index, refused too.
    let again = index_of(&rows);
    assert!(!index.install_first_chars(again.first_chars()));
    assert!(!index.has_first_chars());
    assert!(index.install_first_chars(index.first_chars()));
    assert!(
        !index.install_first_chars(index.first_chars()),
        "installed once"
    );
    let mut live = LiveSearch::new(index);
    assert!(live.index().has_first_chars());
    assert_eq!(live.rank("k"), vec![1]);
    assert_eq!(live.rank("a"), reference(&rows, None, "a"));
}

/// Names that repeat, or fold to the same name ("Zoë" and "zoe"), or to
/// nothing: a walk scores each different folded name once.
const REPEATED: &[&str] = &[
    "Zoë Ek",
    "zoe ek",
    "ZOE  EK",
    "",
    " ",
    "Ana Kim",
    "ana kim",
    "Łukasz Kim",
    "lukasz kim",
    "李 Kim",
    "Keisha-Ann O'Connor",
    "P1",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// With names repeating (each different folded name scored once per
    /// walk), typing narrowed from the kept results gives what a fresh
    /// search of the same query (nothing kept) and the full ranking give,
    /// after every key: typing, Backspace, edits, pastes, other subsets
    /// and orders.
    #[test]
    fn narrowing_over_repeated_names_gives_the_full_search(
        picks in prop::collection::vec((0..REPEATED.len(), any::<bool>()), 0..90),
        ops in prop::collection::vec(op(), 1..30),
    ) {
        let rows: Vec<Row> = picks
            .iter()
            .enumerate()
            .map(|(i, &(n, preferred))| Row {
                name: REPEATED[n].to_string(),
                keys: SearchKeys {
                    id: format!("P{}", i % 17),
                    ..SearchKeys::default()
                },
                preferred,
            })
            .collect();
        let index = Arc::new(index_of(&rows));
        prop_assert!(index.distinct <= REPEATED.len());
        let mut live = LiveSearch::shared(Arc::clone(&index));
        let mut base: Option<Vec<usize>> = None;
        let mut query: Vec<char> = Vec::new();
        for op in &ops {
            if let Op::Rebase(mask) = op {
                let b: Vec<usize> = (0..rows.len())
                    .filter(|&i| mask.get(i).copied().unwrap_or(true))
                    .collect();
                live.set_base(Some(b.clone()));
                base = Some(b);
            }
            if let Op::Tables = op {
                let _ = index.install_first_chars(index.first_chars());
            }
            apply(&mut query, op);
            let q: String = query.iter().collect();
            let narrowed = live.rank(&q);
            let mut fresh = LiveSearch::shared(Arc::clone(&index));
            fresh.set_base(base.clone());
            prop_assert_eq!(&narrowed, &fresh.rank(&q), "query {:?} after {:?}", q, op);
            prop_assert_eq!(narrowed, reference(&rows, base.as_deref(), &q), "query {:?}", q);
        }
    }
}

#[test]
fn names_that_fold_alike_share_a_number() {
    let rows: Vec<Row> = ["Zoë Ek", "zoe ek", "", "Ana", " ", "ANA"]
        .iter()
        .map(|n| Row {
            name: n.to_string(),
            keys: SearchKeys::default(),
            preferred: true,
        })
        .collect();
    let index = index_of(&rows);
    assert_eq!(index.name_of, vec![0, 0, 1, 2, 1, 2]);
    assert_eq!(index.distinct, 3);
}
