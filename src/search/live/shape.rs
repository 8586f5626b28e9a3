//! Names the fuzzy matcher cannot tell apart get the same score, so each
//! query asks the matcher once per *shape* of name instead of once per
//! name: at 100,000 names a first character has a few thousand shapes at
//! most (often a handful), against tens of thousands of matching names.
//!
//! Why two names of one shape score alike (fuzzy-matcher 0.3.7's
//! `SkimMatcherV2`, case ignored, scores only): the matcher reads a name
//! only through (a) whether each character equals a query character,
//! ASCII case aside, (b) the exact character where it does (a case
//! mismatch costs), and (c) each character's `CharType` (empty, hard or
//! soft separator, digit, upper, lower), which sets the bonus of the
//! character after it. Its table starts at the first character that can
//! match the query's first character, whose bonus needs only the class of
//! the one before it (or that it is the name's first, which doubles it);
//! and the score is the best of the last row, which only characters
//! matching the query's last character fill, so nothing after the last of
//! those counts. A shape is therefore: how the name starts (at its first
//! character, or after a character of some class), then from the first
//! possible match to the last, each character as itself if it equals a
//! query character, else as its class. The matcher is always asked about
//! a real name, never a made-up one, and property tests compare every
//! score with the matcher's own (`tests::shapes_score_as_the_matcher_does`),
//! so a matcher that changed how it reads names would fail them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::NameMatcher;

/// Shape code of a name that starts at the first possible match.
const START: u8 = 6;
/// Added to a character that equals a query character (kept exactly).
const ITSELF: u8 = 0x80;
/// How many codes a shape can start with: a class or [`START`].
const PAIR_STARTS: usize = START as usize + 1;
/// Shapes of at most this many codes are kept (by a number); longer ones,
/// seldom met twice, are scored by the matcher directly.
const SHORT: usize = 15;

/// `fuzzy_matcher::skim::CharType::of` for an ASCII byte, as a number.
fn class(b: u8) -> u8 {
    match b {
        0 => 0,
        b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => 1,
        b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => 2,
        b'0'..=b'9' => 3,
        b'A'..=b'Z' => 4,
        _ => 5,
    }
}

/// A quick hash for the shapes (short byte strings made on this machine,
/// not chosen by anyone: no need for the default hasher's resistance to
/// chosen keys): FxHash's multiply and rotate, eight bytes at a time.
#[derive(Default)]
struct ShapeHasher(u64);

impl Hasher for ShapeHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl ShapeHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// One query's scores by shape (one per thread scoring it).
pub(super) struct Shapes<'p> {
    pattern: &'p str,
    /// Shape code of each ASCII byte: itself (with [`ITSELF`]) when it
    /// equals a query character, else its class.
    code: [u8; 128],
    /// Bytes equal to the query's first character.
    first: [bool; 128],
    /// Bytes equal to the query's last character.
    last: [bool; 128],
    /// Score of each shape of up to [`SHORT`] codes met so far, the codes
    /// and their count packed in one number: no allocation per shape.
    short: HashMap<u128, Option<i64>, BuildHasherDefault<ShapeHasher>>,
    /// Scores of the two-code shapes (one matching character after a
    /// start), the most common for a first character: by the two codes,
    /// without hashing. None: not met yet.
    pairs: Vec<Option<Option<i64>>>,
    key: Vec<u8>,
}

impl<'p> Shapes<'p> {
    /// Shapes for the folded `pattern`; None when it is empty or not
    /// ASCII (then every name is scored by the matcher itself).
    pub(super) fn new(pattern: &'p str) -> Option<Shapes<'p>> {
        let bytes = pattern.as_bytes();
        let (&p0, &pn) = (bytes.first()?, bytes.last()?);
        if !pattern.is_ascii() {
            return None;
        }
        let mut s = Shapes {
            pattern,
            code: [0; 128],
            first: [false; 128],
            last: [false; 128],
            short: HashMap::default(),
            pairs: vec![None; PAIR_STARTS * 256],
            key: Vec::with_capacity(32),
        };
        for b in 0..128u8 {
            let equal = |p: u8| b.eq_ignore_ascii_case(&p);
            s.code[usize::from(b)] = if bytes.iter().any(|&p| equal(p)) {
                ITSELF | b
            } else {
                class(b)
            };
            s.first[usize::from(b)] = equal(p0);
            s.last[usize::from(b)] = equal(pn);
        }
        Some(s)
    }

    /// The matcher's score of `name` (folded) for the pattern, asked of
    /// the matcher only for the first name of each shape.
    pub(super) fn score(&mut self, m: &NameMatcher, name: &str) -> Option<i64> {
        let b = name.as_bytes();
        let from = b
            .iter()
            .position(|&c| c < 128 && self.first[usize::from(c)]);
        let to = b
            .iter()
            .rposition(|&c| c < 128 && self.last[usize::from(c)]);
        let (Some(from), Some(to)) = (from, to) else {
            return m.fuzzy_score(name, self.pattern);
        };
        if !name.is_ascii() || to < from {
            return m.fuzzy_score(name, self.pattern);
        }
        self.score_shape(m, name, from, to)
    }

    /// As [`Shapes::score`] for an ASCII `name`, in one pass over it: the
    /// pattern's characters are looked for in turn (a name lacking them in
    /// order does not match, as the matcher would say), and where the first
    /// is found is where the shape starts.
    pub(super) fn score_ascii(&mut self, m: &NameMatcher, name: &str) -> Option<i64> {
        let b = name.as_bytes();
        let p = self.pattern.as_bytes();
        let mut want = 0;
        let mut from = 0;
        for (at, c) in b.iter().enumerate() {
            if let Some(w) = p.get(want) {
                if c.eq_ignore_ascii_case(w) {
                    if want == 0 {
                        from = at;
                    }
                    want += 1;
                }
            } else {
                break;
            }
        }
        if want < p.len() {
            return None;
        }
        let to = b
            .iter()
            .rposition(|&c| c < 128 && self.last[usize::from(c)])?;
        self.score_shape(m, name, from, to)
    }

    /// The score of `name` (ASCII, holding the pattern; its shape from
    /// `from`, the first match of the pattern's first character, to `to`,
    /// the last of its last character).
    pub(super) fn score_shape(
        &mut self,
        m: &NameMatcher,
        name: &str,
        from: usize,
        to: usize,
    ) -> Option<i64> {
        let b = name.as_bytes();
        // What the matcher is asked about a new shape: the name up to its
        // last match of the pattern's last character, since nothing after
        // it counts (see the module doc), for a shorter table. (ASCII: every
        // index is a character boundary.)
        let upto = name.get(..=to).unwrap_or(name);
        if to - from + 2 > SHORT {
            // A long shape (a pattern's characters spread over most of a
            // name: typical from the second character of a query on) is
            // seldom met twice, so it is not kept: the matcher is asked
            // directly. (Names met twice are already scored once per walk:
            // `SearchIndex::name_of`.) Keeping them cost a hash, a boxed
            // key and an insert per name, for nearly no hits.
            return m.fuzzy_score(upto, self.pattern);
        }
        self.key.clear();
        self.key.push(match from {
            0 => START,
            _ => class(b[from - 1]),
        });
        self.key
            .extend(b[from..=to].iter().map(|&c| self.code[usize::from(c)]));
        if let [start, code] = self.key[..] {
            let slot = usize::from(start) * 256 + usize::from(code);
            if let Some(Some(score)) = self.pairs.get(slot) {
                return *score;
            }
            let score = m.fuzzy_score(upto, self.pattern);
            if let Some(p) = self.pairs.get_mut(slot) {
                *p = Some(score);
            }
            return score;
        }
        let packed = self
            .key
            .iter()
            .fold(self.key.len() as u128, |k, &c| (k << 8) | u128::from(c));
        if let Some(&score) = self.short.get(&packed) {
            return score;
        }
        let score = m.fuzzy_score(upto, self.pattern);
        self.short.insert(packed, score);
        score
    }
}

#[cfg(test)]
impl Shapes<'_> {
    /// How many shapes the matcher was asked about.
    pub(super) fn memo_len(&self) -> usize {
        self.short.len() + self.pairs.iter().filter(|p| p.is_some()).count()
    }
}
