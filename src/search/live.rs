//! Search as you type over a large list (the Peers roster, the check-in
//! and merge pickers, a session's roster), giving exactly what
//! [`NameMatcher::rank_keyed`] gives for the same query, only faster:
//!
//! - every candidate is folded and its keys indexed once, when the list
//!   arrives ([`SearchIndex`]), not on every keystroke;
//! - a name that cannot match costs a bitmask test and, at worst, a walk
//!   over its folded bytes, before the fuzzy matcher is asked at all;
//! - typing a character narrows the previous matches only (a name that
//!   matches "abc" fuzzily also matches "ab"), and each query's results
//!   are kept on a stack, so Backspace is a lookup;
//! - the whole id, phone number and tag rule does not narrow ("P1" names
//!   P1, "P17" does not), so it is answered from hash maps on every query;
//! - names the matcher cannot tell apart are scored once per query
//!   ([`shape`]);
//! - ranks are put in order by a counting sort on the (small) scores;
//! - a long list is scored on every core (`std::thread::scope`);
//! - every name's score for each letter and digit is worked out once per
//!   list, by a thread of the UI's own ([`first`]), so the first character
//!   of a query is a lookup (the same answer before that is done, only
//!   slower).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::{NameMatcher, Prepared, SearchKeys, KEY_SCORE};
use first::CharScores;
pub use first::FirstChars;
use shape::Shapes;

mod first;
mod shape;
use crate::model::names::fold;

/// Lists at least this long are scored on more than one thread: below it
/// starting a thread costs more than it saves.
const PARALLEL_FROM: usize = 8_192;
/// At most this many threads score one query.
const MAX_THREADS: usize = 4;

/// A candidate's flags: its name is not empty (an empty one never
/// matches fuzzily).
const NAMED: u8 = 1;
/// A candidate's flags: ranked before others of equal score (active
/// peers).
const PREFERRED: u8 = 2;
/// A candidate's flags: its folded name is ASCII (nearly all are), so
/// the walk over it needs no check of its own.
const ASCII: u8 = 4;
/// A candidate's place when it is not in the list searched.
const OUTSIDE: u32 = u32::MAX;
/// A different name's kept score in a walk: not scored yet (or a score
/// that does not fit, asked again each time).
const UNSCORED: i32 = i32::MIN;
/// A different name's kept score in a walk: it does not match.
const NO_MATCH: i32 = i32::MIN + 1;

/// The bit standing for `c` in a name's character mask. Characters equal
/// to the matcher (ASCII case aside) share a bit, so a query character
/// whose bit a name lacks cannot match it.
fn char_bit(c: char) -> u64 {
    if !c.is_ascii() {
        return 1 << 63;
    }
    let l = c.to_ascii_lowercase() as u32;
    let bit = match l {
        0x61..=0x7a => l - 0x61,      // a-z
        0x30..=0x39 => 26 + l - 0x30, // 0-9
        _ => 36 + l % 27,
    };
    1 << bit
}

fn mask_of(s: &str) -> u64 {
    s.chars().fold(0, |m, c| m | char_bit(c))
}

/// True when `pattern` is a subsequence of `text`, characters compared as
/// the matcher compares them (ASCII case ignored): exactly the test the
/// fuzzy matcher makes before it scores, so a name failing it would not
/// match.
fn subsequence(text: &str, pattern: &str) -> bool {
    if text.is_ascii() && pattern.is_ascii() {
        let mut t = text.bytes();
        return pattern
            .bytes()
            .all(|p| t.any(|c| c.eq_ignore_ascii_case(&p)));
    }
    let mut t = text.chars();
    pattern
        .chars()
        .all(|p| t.any(|c| c.eq_ignore_ascii_case(&p)))
}

/// A list of candidates prepared for searching: folded names, character
/// masks and the whole-key maps. Built once per list (when the roster
/// arrives); queries are answered by [`LiveSearch`].
///
/// Laid out for a walk over every candidate: the masks side by side (most
/// names are turned away by the mask alone), the folded names one after
/// another in one string, not one allocation each.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Which characters each folded name holds ([`char_bit`]).
    masks: Vec<u64>,
    /// The folded names (`model::names::fold`, as the matcher sees them),
    /// one after another.
    text: String,
    /// Where each folded name ends in `text` (it starts where the one
    /// before ends).
    ends: Vec<usize>,
    /// [`NAMED`] and [`PREFERRED`], per candidate.
    flags: Vec<u8>,
    /// Ids, ASCII lowercased (ids compare ignoring ASCII case).
    ids: HashMap<String, Vec<u32>>,
    /// Phone digits.
    phones: HashMap<String, Vec<u32>>,
    /// Tags, as stored (already folded).
    tags: HashMap<String, Vec<u32>>,
    /// Every name's score for each letter and digit, once worked out
    /// ([`SearchIndex::first_chars`], off the UI thread) and installed.
    first: OnceLock<FirstChars>,
    /// Which index this is (a copy keeps it: the same names): tables are
    /// installed only into the index they were worked out from.
    id: u64,
    /// Per candidate, which different folded name it has (numbered in
    /// order of first appearance): a name's score depends on nothing
    /// else, and names repeat (100,000 realistic names hold some 67,000
    /// different ones), so a long walk scores each once.
    name_of: Vec<u32>,
    /// How many different folded names.
    distinct: usize,
}

/// The next [`SearchIndex`]'s id.
static NEXT_INDEX: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl SearchIndex {
    /// Prepares `candidates` (name, keys, preferred), in list order.
    pub fn new<'a>(candidates: impl IntoIterator<Item = (&'a str, &'a SearchKeys, bool)>) -> Self {
        let mut index = SearchIndex {
            id: NEXT_INDEX.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..SearchIndex::default()
        };
        let mut different: HashMap<String, u32> = HashMap::new();
        for (i, (name, keys, preferred)) in candidates.into_iter().enumerate() {
            let i = i as u32;
            let folded = fold(name);
            index.masks.push(mask_of(&folded));
            index.text.push_str(&folded);
            index.ends.push(index.text.len());
            index.flags.push(
                u8::from(!name.is_empty()) * NAMED
                    + u8::from(preferred) * PREFERRED
                    + u8::from(folded.is_ascii()) * ASCII,
            );
            // (A name folding to nothing never matches, empty or not: one
            // number serves all of them.)
            let next = different.len() as u32;
            index.name_of.push(*different.entry(folded).or_insert(next));
            if !keys.id.is_empty() {
                push(&mut index.ids, keys.id.to_ascii_lowercase(), i);
            }
            if !keys.phone_digits.is_empty() {
                push(&mut index.phones, keys.phone_digits.clone(), i);
            }
            for t in &keys.tags {
                push(&mut index.tags, t.clone(), i);
            }
        }
        index.distinct = different.len();
        index
    }

    /// How many candidates.
    pub fn len(&self) -> usize {
        self.masks.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.masks.is_empty()
    }

    /// Works out every name's score for each ASCII letter and digit (a
    /// one-character query): slow (about a hundred milliseconds at
    /// 100,000 names), so the UI does it on a thread of its own when the
    /// roster arrives and hands the result back to
    /// [`SearchIndex::install_first_chars`].
    pub fn first_chars(&self) -> FirstChars {
        FirstChars::of(self)
    }

    /// Keeps `tables` (from [`SearchIndex::first_chars`] of this index) so
    /// that a first character is looked up. False when they were worked
    /// out from another index, or some were installed already: nothing
    /// changes then. Results are the same either way, only faster with
    /// them.
    pub fn install_first_chars(&self, tables: FirstChars) -> bool {
        tables.index_id() == self.id && tables.len() == self.len() && self.first.set(tables).is_ok()
    }

    /// True once first-character tables are installed.
    pub fn has_first_chars(&self) -> bool {
        self.first.get().is_some()
    }

    /// Candidate `i`'s folded name.
    fn folded(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn preferred(&self, i: u32) -> bool {
        self.flags[i as usize] & PREFERRED != 0
    }

    /// Candidates whose id, phone number or a tag is the query, whole
    /// ([`SearchKeys::answers`]), ascending, each once.
    fn key_hits(&self, q: &Prepared<'_>) -> Vec<u32> {
        if q.text.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<u32> = Vec::new();
        if let Some(v) = self.ids.get(&q.text.to_ascii_lowercase()) {
            hits.extend(v);
        }
        if let Some(v) = q.phone.as_ref().and_then(|p| self.phones.get(p)) {
            hits.extend(v);
        }
        if let Some(v) = self.tags.get(&q.folded) {
            hits.extend(v);
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// The fuzzy score of candidate `i`'s name for the folded `pattern`
    /// (with its mask), or None when it does not match: names that cannot
    /// match are turned away before the matcher, and names of one shape
    /// are scored once ([`shape::Shapes`]).
    fn name_score(
        &self,
        m: &NameMatcher,
        shapes: &mut Option<Shapes<'_>>,
        i: u32,
        q: &Pattern<'_>,
    ) -> Option<i64> {
        let i = i as usize;
        if self.flags[i] & NAMED == 0 || q.mask & !self.masks[i] != 0 {
            return None;
        }
        let folded = self.folded(i);
        if let (Some(s), true) = (shapes.as_mut(), self.flags[i] & ASCII != 0) {
            // One pass finds whether it matches and where the shape starts.
            return s.score_ascii(m, folded);
        }
        if !q.mask_decides && !subsequence(folded, q.text) {
            return None;
        }
        match shapes {
            Some(s) => s.score(m, folded),
            None => m.fuzzy_score(folded, q.text),
        }
    }

    /// The first-character tables of a two-character ASCII `pattern`'s
    /// characters, when installed: where each name first holds the one and
    /// last holds the other ([`SearchIndex::score_pair`]).
    fn pair_tables(&self, pattern: &str) -> Option<(&CharScores, &CharScores)> {
        if pattern.len() != 2 || !pattern.is_ascii() {
            return None;
        }
        let tables = self.first.get()?;
        Some((tables.get(&pattern[..1])?, tables.get(&pattern[1..])?))
    }

    /// As [`SearchIndex::name_score`], for a two-character pattern whose
    /// tables are `pair`: a name matches when it first holds the first
    /// character before it last holds the second, and those two places are
    /// where its shape starts and ends, so the name is not walked (most
    /// candidates of a second character do not match, and cost two bytes
    /// read). Names the tables say nothing about are scored as usual.
    fn score_pair(
        &self,
        m: &NameMatcher,
        shapes: &mut Option<Shapes<'_>>,
        i: u32,
        q: &Pattern<'_>,
        pair: Option<(&CharScores, &CharScores)>,
    ) -> Option<i64> {
        let at = i as usize;
        if let (Some((a, b)), Some(s)) = (pair, shapes.as_mut()) {
            if let (Some(&from), Some(&to)) = (a.first.get(at), b.last.get(at)) {
                if from != first::UNKNOWN && to != first::UNKNOWN {
                    if from >= to {
                        return None;
                    }
                    return s.score_shape(m, self.folded(at), from.into(), to.into());
                }
            }
        }
        self.name_score(m, shapes, i, q)
    }

    /// Names among `source` matching `pattern`, in `source` order, with
    /// their scores; on several threads when the list is long.
    fn score_all(&self, m: &NameMatcher, source: &[u32], pattern: &str) -> Vec<(u32, i64)> {
        let q = Pattern::new(pattern);
        let pair = self.pair_tables(pattern);
        let run =
            |part: &[u32]| -> Vec<(u32, i64)> {
                let mut shapes = Shapes::new(pattern);
                let mut out = Vec::with_capacity(part.len() / 2);
                if part.len() * 64 < self.distinct {
                    // A short walk: a table of every name (four bytes each, set
                    // once) would cost more than it saves.
                    out.extend(part.iter().filter_map(|&i| {
                        self.score_pair(m, &mut shapes, i, &q, pair).map(|s| (i, s))
                    }));
                    return out;
                }
                // Each different name scored once: its score kept by its number.
                let mut known = vec![UNSCORED; self.distinct];
                for &i in part {
                    let name = self.name_of[i as usize] as usize;
                    let score = match known.get(name).copied() {
                        Some(NO_MATCH) => None,
                        Some(UNSCORED) | None => {
                            let score = self.score_pair(m, &mut shapes, i, &q, pair);
                            if let Some(k) = known.get_mut(name) {
                                *k = match score {
                                    None => NO_MATCH,
                                    Some(s) => i32::try_from(s)
                                        .ok()
                                        .filter(|&s| s != UNSCORED && s != NO_MATCH)
                                        .unwrap_or(UNSCORED),
                                };
                            }
                            score
                        }
                        Some(s) => Some(i64::from(s)),
                    };
                    if let Some(s) = score {
                        out.push((i, s));
                    }
                }
                out
            };
        let threads = if source.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(MAX_THREADS)
        };
        if threads <= 1 {
            return run(source);
        }
        let chunk = source.len().div_ceil(threads);
        let mut parts = source.chunks(chunk);
        let first = parts.next().unwrap_or(&[]);
        std::thread::scope(|s| {
            let others: Vec<_> = parts.map(|p| s.spawn(move || run(p))).collect();
            let mut out = run(first);
            for h in others {
                // A scorer that panicked panics here too, as the sequential
                // path would have.
                match h.join() {
                    Ok(part) => out.extend(part),
                    Err(e) => std::panic::resume_unwind(e),
                }
            }
            out
        })
    }
}

impl SearchIndex {
    /// Names among `source` (all when None) holding the one character
    /// `table` is for, in `source` order, with their scores: looked up.
    ///
    /// Without a branch per name: about half the names hold a common
    /// letter, in no order a processor could predict, so each is written
    /// to the next slot and the slot kept only when it holds it (this and
    /// the room made once halved the lookup's walk at 100,000 names).
    fn score_looked_up(&self, table: &CharScores, source: Option<&[u32]>) -> Vec<(u32, i64)> {
        // Every code's score, the absent one's too (never kept).
        let mut scores = [0i64; 256];
        for (to, &from) in scores.iter_mut().zip(&table.scores) {
            *to = from;
        }
        match source {
            Some(s) => holding(&table.codes, &scores, s.iter().copied(), s.len()),
            None => holding(&table.codes, &scores, 0..self.len() as u32, self.len()),
        }
    }
}

/// The `len` candidates `ids` whose `codes` are not [`first::ABSENT`], with
/// their `scores` (see [`SearchIndex::score_looked_up`]).
fn holding(
    codes: &[u8],
    scores: &[i64; 256],
    ids: impl Iterator<Item = u32>,
    len: usize,
) -> Vec<(u32, i64)> {
    let mut out = vec![(0u32, 0i64); len];
    let mut kept = 0;
    for i in ids {
        let code = codes.get(i as usize).copied().unwrap_or(first::ABSENT);
        if let Some(slot) = out.get_mut(kept) {
            *slot = (i, scores[usize::from(code)]);
        }
        kept += usize::from(code != first::ABSENT);
    }
    out.truncate(kept);
    out
}

/// A folded query pattern with what the walk over the names needs.
struct Pattern<'a> {
    text: &'a str,
    /// Its characters' bits ([`char_bit`]).
    mask: u64,
    /// True when a name holding the mask matches: one ASCII letter or
    /// digit, whose bit no other character shares.
    mask_decides: bool,
}

impl<'a> Pattern<'a> {
    fn new(text: &'a str) -> Pattern<'a> {
        Pattern {
            text,
            mask: mask_of(text),
            mask_decides: text.len() == 1 && text.as_bytes()[0].is_ascii_alphanumeric(),
        }
    }
}

fn push(map: &mut HashMap<String, Vec<u32>>, key: String, i: u32) {
    map.entry(key).or_default().push(i);
}

/// The results of one query, kept so that Backspace back to it costs
/// nothing and the next character narrows them.
#[derive(Debug, Clone)]
struct Level {
    /// The query as typed, trimmed.
    text: String,
    /// Its folded form, the matcher's pattern.
    folded: String,
    /// Candidates (of the base) whose name matches `folded`, ascending
    /// (index order: the walk over them reads the index front to back).
    named: Vec<u32>,
    /// The ranked result.
    order: Vec<usize>,
}

/// Search as you type over a [`SearchIndex`], within a subset of it (the
/// rows the screen's filters admit) in a list's own order, with the results
/// of each query on the way to the current one kept. Results are exactly
/// those of [`NameMatcher::rank_keyed`] over the subset in that order, as
/// candidate indexes. One index can be shared by several lists, each
/// with its own `LiveSearch`.
#[derive(Default)]
pub struct LiveSearch {
    index: Arc<SearchIndex>,
    matcher: NameMatcher,
    /// The subset searched, ascending; None for all.
    base: Option<Vec<u32>>,
    /// The list's order is the index's (then ranking needs no places).
    in_index_order: bool,
    /// Each candidate's place in `base` ([`OUTSIDE`] when not in it;
    /// empty when `base` is None).
    place: Vec<u32>,
    /// Every candidate ranks as preferred (equal matches in list order
    /// only), whatever the index says.
    ignore_preferred: bool,
    /// Results of the queries typed so far, each one's folded pattern a
    /// subsequence of the next one's.
    levels: Vec<Level>,
    /// The subset in list order: the answer to an empty query.
    all: Vec<usize>,
}

impl LiveSearch {
    /// A search over `index`, all of it.
    pub fn new(index: SearchIndex) -> Self {
        Self::shared(Arc::new(index))
    }

    /// A search over `index`, all of it, sharing the index (and its
    /// first-character tables, whenever they are installed) with others.
    pub fn shared(index: Arc<SearchIndex>) -> Self {
        let all = (0..index.len()).collect();
        LiveSearch {
            index,
            all,
            in_index_order: true,
            ..LiveSearch::default()
        }
    }

    /// The candidates searched.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The index, shared: what a thread working out its first-character
    /// tables is handed.
    pub fn shared_index(&self) -> Arc<SearchIndex> {
        Arc::clone(&self.index)
    }

    /// Searches only `base` (candidate indexes; None for all), a list in
    /// its own order: equal matches rank in that order, and the empty
    /// query answers it. A candidate given twice counts at its first
    /// place. The kept results are dropped: they were for another subset.
    pub fn set_base(&mut self, base: Option<Vec<usize>>) {
        self.levels.clear();
        match base {
            None => {
                self.base = None;
                self.place = Vec::new();
                self.in_index_order = true;
                self.all = (0..self.index.len()).collect();
            }
            Some(b) => {
                let mut place = vec![OUTSIDE; self.index.len()];
                let mut list: Vec<usize> = Vec::with_capacity(b.len());
                for i in b {
                    if place.get(i) == Some(&OUTSIDE) {
                        place[i] = list.len() as u32;
                        list.push(i);
                    }
                }
                self.in_index_order = list.windows(2).all(|w| w[0] < w[1]);
                // Ascending, by a sweep over the places (no sort).
                let members: Vec<u32> = (0..place.len() as u32)
                    .filter(|&i| place[i as usize] != OUTSIDE)
                    .collect();
                self.all = list;
                self.base = Some(members);
                self.place = place;
            }
        }
    }

    /// Whether the index's preferred candidates (active peers) rank before
    /// others of equal score (the default), or only the list's order
    /// counts. Kept results are dropped.
    pub fn set_preferring(&mut self, preferring: bool) {
        self.levels.clear();
        self.ignore_preferred = !preferring;
    }

    fn admitted(&self, i: u32) -> bool {
        self.base.is_none() || self.place.get(i as usize).is_some_and(|&p| p != OUTSIDE)
    }

    /// Candidate `i`'s place in the list searched.
    fn place_of(&self, i: u32) -> u32 {
        match self.base {
            None => i,
            Some(_) => self.place.get(i as usize).copied().unwrap_or(OUTSIDE),
        }
    }

    /// Candidates matching `query`, best first, as
    /// [`NameMatcher::rank_keyed`] orders them (among equal scores the
    /// preferred first, then list order); every candidate of the subset in
    /// list order for an empty query.
    pub fn rank(&mut self, query: &str) -> Vec<usize> {
        self.rank_ref(query).to_vec()
    }

    /// As [`LiveSearch::rank`], borrowing the kept result.
    pub fn rank_ref(&mut self, query: &str) -> &[usize] {
        let q = Prepared::new(query);
        if q.text.is_empty() {
            // Nothing to narrow: the kept queries stay for the next one.
            return &self.all;
        }
        // The same query as one kept (Backspace): its result as it was.
        if let Some(at) = self.levels.iter().rposition(|l| l.text == q.text) {
            self.levels.truncate(at + 1);
            return &self.levels[at].order;
        }
        // Keep only the queries whose matches hold every match of this
        // one: those whose pattern is a subsequence of this pattern.
        while let Some(top) = self.levels.last() {
            if is_subsequence_exact(&top.folded, &q.folded) {
                break;
            }
            self.levels.pop();
        }
        // A first character: looked up, once its tables are there.
        let table = match self.levels.last() {
            None => self.index.first.get().and_then(|f| f.get(&q.folded)),
            Some(_) => None,
        };
        let scored = match (self.levels.last(), table) {
            (None, Some(table)) => self.index.score_looked_up(table, self.base.as_deref()),
            (Some(top), _) => self.index.score_all(&self.matcher, &top.named, &q.folded),
            (None, None) => match &self.base {
                Some(base) => self.index.score_all(&self.matcher, base, &q.folded),
                None => {
                    let all: Vec<u32> = (0..self.index.len() as u32).collect();
                    self.index.score_all(&self.matcher, &all, &q.folded)
                }
            },
        };
        let keys: Vec<u32> = self
            .index
            .key_hits(&q)
            .into_iter()
            .filter(|&i| self.admitted(i))
            .collect();
        let named: Vec<u32> = scored.iter().map(|&(i, _)| i).collect();
        let order = self.order(scored, &keys);
        self.levels.push(Level {
            text: q.text.to_string(),
            folded: q.folded.clone(),
            named,
            order,
        });
        let last = self.levels.len() - 1;
        &self.levels[last].order
    }

    /// Puts the hits in rank order: whole-key hits first (they score above
    /// any name), then names by score, preferred first among equals, list
    /// order last. `named` and `keys` are ascending.
    fn order(&self, named: Vec<(u32, i64)>, keys: &[u32]) -> Vec<usize> {
        let rest = |i: u32| !self.ignore_preferred && !self.index.preferred(i);
        let mut out: Vec<usize> = Vec::with_capacity(named.len() + keys.len());
        let mut k: Vec<u32> = keys.to_vec();
        k.sort_by_key(|&i| (rest(i), self.place_of(i)));
        out.extend(k.iter().map(|&i| i as usize));
        let named: Vec<(u32, i64)> = named
            .into_iter()
            .filter(|(i, _)| keys.binary_search(i).is_err())
            .collect();
        debug_assert!(named.iter().all(|&(_, s)| s < KEY_SCORE));
        out.extend(sort_hits(self.in_list_order(named), rest));
        out
    }
}

impl LiveSearch {
    /// `hits` (ascending) in the list's order, which breaks ties between
    /// equal scores: as they are when the list is in index order, else by
    /// a sweep over the list's places (linear, no comparison sort) or,
    /// for a few hits, a sort by place.
    fn in_list_order(&self, hits: Vec<(u32, i64)>) -> Vec<(u32, i64)> {
        if self.in_index_order {
            return hits;
        }
        if hits.len() * 32 < self.all.len() {
            let mut hits = hits;
            hits.sort_unstable_by_key(|&(i, _)| self.place_of(i));
            return hits;
        }
        let mut slots: Vec<u32> = vec![OUTSIDE; self.all.len()];
        for (at, &(i, _)) in hits.iter().enumerate() {
            if let Some(slot) = slots.get_mut(self.place_of(i) as usize) {
                *slot = at as u32;
            }
        }
        slots
            .into_iter()
            .filter(|&at| at != OUTSIDE)
            .map(|at| hits[at as usize])
            .collect()
    }
}

/// True when `a` is a subsequence of `b`, characters compared exactly:
/// then any name matching `b` also matches `a`.
fn is_subsequence_exact(a: &str, b: &str) -> bool {
    let mut chars = b.chars();
    a.chars().all(|c| chars.any(|d| d == c))
}

/// Orders `(index, score)` pairs given in list order by score (best
/// first), then `rest` (false first), then list order: a stable counting
/// sort when the scores span a small range (they do: a name's score is a
/// few hundred at most), else a comparison sort. Same order either way.
fn sort_hits(hits: Vec<(u32, i64)>, rest: impl Fn(u32) -> bool) -> Vec<usize> {
    let (Some(min), Some(max)) = (
        hits.iter().map(|h| h.1).min(),
        hits.iter().map(|h| h.1).max(),
    ) else {
        return Vec::new();
    };
    let span = max.abs_diff(min) as usize;
    // Bucket of a hit: best score first, and within a score the preferred.
    let bucket = |(i, s): (u32, i64)| (max.abs_diff(s) as usize) * 2 + usize::from(rest(i));
    if span > 1 << 16 || span > hits.len() * 4 + 1024 {
        let mut v: Vec<(usize, usize, u32)> = hits
            .iter()
            .enumerate()
            .map(|(at, &h)| (bucket(h), at, h.0))
            .collect();
        v.sort_unstable();
        return v.into_iter().map(|(_, _, i)| i as usize).collect();
    }
    let mut starts = vec![0usize; (span + 1) * 2 + 1];
    for &h in &hits {
        starts[bucket(h) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![0usize; hits.len()];
    for &h in &hits {
        let b = bucket(h);
        out[starts[b]] = h.0 as usize;
        starts[b] += 1;
    }
    out
}

#[cfg(test)]
mod tests;
