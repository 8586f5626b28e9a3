//! The first character of a search, worked out once per roster: for each
//! ASCII letter and digit, every name's score for it, so that typing the
//! first character of a query is a lookup and an ordering, not a walk
//! through the matcher.
//!
//! The same walk notes where each name first and last holds each
//! character (a byte each), so that a second character needs no walk over
//! a name to know whether it matches and what its shape spans.
//!
//! A one-character pattern has few scores (the matcher's bonus for where
//! the character stands: the name's start, after a separator, a camel
//! hump or in a word), so each name's score is kept as one byte, a code
//! into the character's short list of scores: with the two positions 108
//! bytes a name, 10.8 MB at 100,000 names. Worked out by a thread of the UI's own when the roster
//! arrives (`ui::background`), with the scores of [`super::shape::Shapes`]
//! (the matcher's own, asked once per shape), so a lookup gives exactly
//! what scoring the name would.

use super::shape::Shapes;
use super::{NameMatcher, SearchIndex, ASCII, NAMED};

/// A name's code when it does not hold the character.
pub(super) const ABSENT: u8 = u8::MAX;

/// The characters kept: those a typed query's folded first character
/// usually is.
const CHARS: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A name's position of a character when it does not hold it, or the name
/// is not ASCII or too long for a byte: walk the name instead.
pub(super) const UNKNOWN: u8 = u8::MAX;

/// Every name's score for one character, and where it first and last
/// holds it (for a two-character query: [`super::SearchIndex::score_pair`]).
#[derive(Debug, Clone)]
pub(super) struct CharScores {
    /// Per candidate: an index into `scores`, or [`ABSENT`].
    pub(super) codes: Vec<u8>,
    /// The scores met, by code.
    pub(super) scores: Vec<i64>,
    /// Per candidate: the byte position of the character's first
    /// occurrence in its folded (ASCII) name, or [`UNKNOWN`].
    pub(super) first: Vec<u8>,
    /// Per candidate: the position of its last occurrence, or [`UNKNOWN`].
    pub(super) last: Vec<u8>,
}

/// The scores of every name for every ASCII letter and digit, for one
/// [`SearchIndex`] (the one it was worked out from: see
/// [`SearchIndex::install_first_chars`]).
#[derive(Debug, Clone, Default)]
pub struct FirstChars {
    /// By the character's place in [`CHARS`]; None when a character had
    /// more different scores than a byte holds (then it is scored as any
    /// other query is).
    tables: Vec<Option<CharScores>>,
    /// How many candidates the tables cover.
    len: usize,
    /// The id of the index they were worked out from.
    of: u64,
}

impl FirstChars {
    /// Works out the tables for `index`: a few hundred milliseconds at
    /// 100,000 names, which is why a thread of its own does it.
    pub(super) fn of(index: &SearchIndex) -> FirstChars {
        let m = NameMatcher::default();
        let n = index.len();
        let tables = CHARS
            .iter()
            .map(|&c| {
                let pattern = [c];
                // One ASCII byte: always a str.
                let pattern = std::str::from_utf8(&pattern).ok()?;
                let mut shapes = Shapes::new(pattern);
                let bit = super::char_bit(char::from(c));
                let mut codes = vec![ABSENT; n];
                let mut first = vec![UNKNOWN; n];
                let mut last = vec![UNKNOWN; n];
                let mut scores: Vec<i64> = Vec::new();
                for (i, code) in codes.iter_mut().enumerate() {
                    if index.flags[i] & NAMED == 0 || index.masks[i] & bit == 0 {
                        continue;
                    }
                    let folded = index.folded(i);
                    if index.flags[i] & ASCII != 0 {
                        let at = |p: Option<usize>| {
                            p.and_then(|p| u8::try_from(p).ok())
                                .filter(|&p| p != UNKNOWN)
                                .unwrap_or(UNKNOWN)
                        };
                        let b = folded.as_bytes();
                        first[i] = at(b.iter().position(|x| x.eq_ignore_ascii_case(&c)));
                        last[i] = at(b.iter().rposition(|x| x.eq_ignore_ascii_case(&c)));
                    }
                    let score = match shapes.as_mut() {
                        Some(s) => s.score(&m, folded),
                        None => m.fuzzy_score(folded, pattern),
                    };
                    let Some(score) = score else { continue };
                    *code = match scores.iter().position(|&s| s == score) {
                        Some(k) => k as u8,
                        None if scores.len() < usize::from(ABSENT) => {
                            scores.push(score);
                            (scores.len() - 1) as u8
                        }
                        None => return None,
                    };
                }
                Some(CharScores {
                    codes,
                    scores,
                    first,
                    last,
                })
            })
            .collect();
        FirstChars {
            tables,
            len: n,
            of: index.id,
        }
    }

    /// The scores for the folded one-character `pattern`, when kept.
    pub(super) fn get(&self, pattern: &str) -> Option<&CharScores> {
        let &[b] = pattern.as_bytes() else {
            return None;
        };
        let at = CHARS.iter().position(|&c| c == b)?;
        self.tables.get(at)?.as_ref()
    }

    /// How many candidates the tables were worked out for.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The id of the index they were worked out from.
    pub(super) fn index_id(&self) -> u64 {
        self.of
    }
}
