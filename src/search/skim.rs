//! fuzzy-matcher 0.3.7's `SkimMatcherV2` score (case ignored, score only),
//! worked out for ASCII text on buffers kept from call to call.
//!
//! Why: a live search at 100,000 peers asks the matcher about thousands of
//! names per key, and each of the crate's calls allocates two vectors of
//! its own (its table of in-place bonuses and its first-match positions)
//! and converts both strings to `Vec<char>`; our [`super::NameMatcher`]
//! also has to make a second, tiny call first so that the crate's reused
//! table gives a fresh matcher's score (see `NameMatcher::fuzzy_score`).
//! Here the same arithmetic runs on bytes, in two rows kept per thread and
//! started fresh on every call: the score of a fresh matcher, with no
//! allocation once the buffers have grown to the longest name.
//!
//! It is the crate's algorithm step for step (`SkimMatcherV2::fuzzy` with
//! `with_pos = false`: `cheap_matches`, `build_in_place_bonus`,
//! `build_score_matrix` on its two alternating rows, and the best of the
//! last row from the last first-match on), including what the two rows
//! leave behind (a longer pattern's last row can still hold a cell of an
//! earlier one), so its answers are the crate's exactly. Property tests
//! compare every answer with a fresh crate matcher's
//! (`tests::ascii_scores_are_the_crates`); text that is not ASCII goes to
//! the crate.

use std::cell::RefCell;

/// `SkimScoreConfig::default()`, as the crate sets it.
const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const PENALTY_CASE_MISMATCH: i32 = GAP_EXTENSION * 2;
/// The crate's `MATRIX_CELL_NEG_INFINITY`.
const NEG: i32 = i16::MIN as i32;

/// The crate's `CharType`, for a byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn class(b: u8) -> Class {
    match b {
        0 => Class::Empty,
        b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::HardSep,
        b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => Class::SoftSep,
        b'0'..=b'9' => Class::Number,
        b'A'..=b'Z' => Class::Upper,
        _ => Class::Lower,
    }
}

/// The crate's `in_place_bonus` (through `CharRole::of_type`).
fn in_place_bonus(prev: Class, cur: Class) -> i32 {
    match (prev, cur) {
        (Class::Empty, _) | (Class::HardSep, _) => BONUS_HEAD,
        (Class::SoftSep, _) => BONUS_BREAK,
        (Class::Lower, Class::Upper) | (Class::Number, Class::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

/// One cell of the crate's `MatrixCell`, the fields the score reads.
#[derive(Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    bonus: i32,
}

/// A fresh cell (the crate's `MatrixCell::default()`).
const FRESH: Cell = Cell {
    m: NEG,
    p: NEG,
    bonus: 0,
};

/// The buffers one thread scores with.
#[derive(Default)]
struct Scratch {
    cells: Vec<Cell>,
    bonus: Vec<i32>,
    first: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The score a fresh `SkimMatcherV2::default().ignore_case()` gives
/// `choice` for `pattern` (None: no match), or `Err(())` when either is
/// not ASCII (then ask the crate).
pub(super) fn score(choice: &str, pattern: &str) -> Result<Option<i64>, ()> {
    if !choice.is_ascii() || !pattern.is_ascii() {
        return Err(());
    }
    Ok(SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => s.score(choice.as_bytes(), pattern.as_bytes()),
        // Only reachable if scoring ever called itself: fresh buffers.
        Err(_) => Scratch::default().score(choice.as_bytes(), pattern.as_bytes()),
    }))
}

impl Scratch {
    fn score(&mut self, choice: &[u8], pattern: &[u8]) -> Option<i64> {
        if pattern.is_empty() {
            return Some(0);
        }
        // cheap_matches: the first match of each pattern byte, in turn.
        self.first.clear();
        let mut want = pattern.iter();
        let mut next = want.next();
        for (idx, &c) in choice.iter().enumerate() {
            match next {
                Some(&p) if c.eq_ignore_ascii_case(&p) => {
                    self.first.push(idx);
                    next = want.next();
                }
                Some(_) => {}
                None => break,
            }
        }
        if next.is_some() {
            return None;
        }
        let n = choice.len();
        let cols = n + 1;
        // build_in_place_bonus.
        self.bonus.clear();
        self.bonus.resize(cols, 0);
        let mut prev = Class::Empty;
        for (j, &c) in choice.iter().enumerate() {
            let cur = class(c);
            self.bonus[j + 1] = in_place_bonus(prev, cur);
            prev = cur;
        }
        if cols > 1 {
            self.bonus[1] *= BONUS_FIRST_CHAR_MULTIPLIER;
        }
        // A fresh two-row table, reset as build_score_matrix resets it.
        self.cells.clear();
        self.cells.resize(2 * cols, FRESH);
        for cell in &mut self.cells[..cols] {
            cell.p = GAP_EXTENSION;
        }
        let cells = &mut self.cells;
        for (i, &p) in pattern.iter().enumerate() {
            let row = ((i + 1) & 1) * cols;
            let row_prev = (i & 1) * cols;
            for (col_prev, &c) in choice.iter().enumerate().skip(self.first[i]) {
                let col = col_prev + 1;
                let (cur, last, prev) = (row + col, row + col_prev, row_prev + col_prev);
                if c.eq_ignore_ascii_case(&p) {
                    let matched = SCORE_MATCH + if c == p { 0 } else { PENALTY_CASE_MISMATCH };
                    let in_place = self.bonus[col];
                    let consecutive = cells[last].bonus.max(in_place.max(BONUS_CONSECUTIVE));
                    cells[last].bonus = consecutive;
                    let by_match = cells[prev].m + consecutive;
                    let by_skip = cells[prev].p + in_place;
                    cells[cur].m = by_match.max(by_skip) + matched.max(0);
                } else {
                    cells[cur].m = NEG;
                    cells[cur].bonus = 0;
                }
                let by_match = GAP_START + GAP_EXTENSION + cells[last].m;
                let by_skip = GAP_EXTENSION + cells[last].p;
                cells[cur].p = by_match.max(by_skip);
            }
        }
        let last_row = (pattern.len() & 1) * cols;
        let from = self.first[pattern.len() - 1];
        cells[last_row + from..last_row + cols]
            .iter()
            .map(|c| i64::from(c.m))
            .max()
    }
}

#[cfg(test)]
mod tests {
    use fuzzy_matcher::skim::SkimMatcherV2;
    use fuzzy_matcher::FuzzyMatcher;
    use proptest::prelude::*;

    /// Every class the crate tells apart, both cases, letters a pattern
    /// holds and does not.
    const CHOICE: &[char] = &[
        '\0', ' ', '/', '(', ']', '!', '-', '.', '\'', '~', '_', '0', '7', 'A', 'K', 'E', 'Z', 'a',
        'b', 'e', 'k', 'z',
    ];
    const PATTERN: &[char] = &['a', 'k', 'e', 'A', 'K', ' ', '-', '7', '.', '(', 'z', '\0'];

    fn text(chars: &'static [char], len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(chars), len)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The same answer as a fresh crate matcher, for any ASCII text.
        #[test]
        fn ascii_scores_are_the_crates(
            choice in text(CHOICE, 0..24),
            pattern in text(PATTERN, 0..6),
        ) {
            let fresh = SkimMatcherV2::default().ignore_case().fuzzy_match(&choice, &pattern);
            prop_assert_eq!(super::score(&choice, &pattern), Ok(fresh));
        }

        /// The same over few characters, where runs and repeats (the
        /// crate's consecutive bonus, its reused rows) are common.
        #[test]
        fn ascii_scores_are_the_crates_when_letters_repeat(
            choice in text(&['a', 'k', 'K', ' ', '-'], 0..16),
            pattern in text(&['a', 'k', 'K'], 1..6),
        ) {
            let fresh = SkimMatcherV2::default().ignore_case().fuzzy_match(&choice, &pattern);
            prop_assert_eq!(super::score(&choice, &pattern), Ok(fresh));
        }
    }

    #[test]
    fn text_that_is_not_ascii_goes_to_the_crate() {
        assert_eq!(super::score("zoë", "z"), Err(()));
        assert_eq!(super::score("zoe", "ë"), Err(()));
        assert_eq!(super::score("", "a"), Ok(None));
        assert_eq!(super::score("a", ""), Ok(Some(0)));
    }
}
