//! Fuzzy search over names, behind one small seam so the matcher can be
//! swapped. Used by the peer picker, the roster search and `caseload log`;
//! the lists searched as the user types go through [`LiveSearch`], which
//! gives the same results as [`NameMatcher::rank_keyed`] without ranking
//! the whole list again on every key.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::model::names::fold;

mod live;
mod skim;
pub use live::{FirstChars, LiveSearch, SearchIndex};

/// A fuzzy matcher configured the way caseload wants (case-insensitive).
pub struct NameMatcher {
    inner: SkimMatcherV2,
}

impl Default for NameMatcher {
    fn default() -> Self {
        NameMatcher {
            inner: Self::skim(),
        }
    }
}

impl NameMatcher {
    /// The skim matcher, case ignored.
    fn skim() -> SkimMatcherV2 {
        SkimMatcherV2::default().ignore_case()
    }

    /// The matcher's score of an already folded `choice` for a folded
    /// `pattern`: the one call every score goes through, and the same
    /// whatever was scored before. fuzzy-matcher 0.3.7 reuses its score
    /// table between calls, and some scores then depended on the name
    /// scored before ("Kkk" for "kkk": 69 alone, 81 after "Kkkaa"), so a
    /// rank depended on the list's order and on which thread scored it
    /// (its `use_cache(false)` panics: "RefCell already borrowed"). Scoring
    /// "a" for "a" first leaves the table two rows of two cells, which
    /// every later call's first row covers or resets before reading: the
    /// score is a fresh matcher's (`tests::scores_are_a_fresh_matchers`),
    /// for one tiny call instead of a new matcher's allocations. ASCII
    /// text (nearly every folded name) is scored by [`skim`], the crate's
    /// arithmetic without its allocations, to the same answer.
    fn fuzzy_score(&self, choice: &str, pattern: &str) -> Option<i64> {
        if let Ok(score) = skim::score(choice, pattern) {
            return score;
        }
        let _ = self.inner.fuzzy_match("a", "a");
        self.inner.fuzzy_match(choice, pattern)
    }
}

/// One candidate that matched, with its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Position of the candidate in the input.
    pub index: usize,
    /// How well it matched.
    pub score: i64,
}

impl NameMatcher {
    /// Score of one candidate, or `None` if it does not match.
    /// Case and accents are folded first (`model::names::fold`), so
    /// "muller" finds Müller.
    pub fn score(&self, candidate: &str, query: &str) -> Option<i64> {
        self.fuzzy_score(&fold(candidate), &fold(query))
    }

    /// Char positions in `candidate` that matched `query`, for highlighting.
    /// Matched as [`NameMatcher::score`] matches (case and accents folded),
    /// so "muller" highlights the ü of Müller too: each char is folded on
    /// its own and the matched folded chars map back to it.
    pub fn positions(&self, candidate: &str, query: &str) -> Vec<usize> {
        let mut folded = String::with_capacity(candidate.len());
        let mut origin: Vec<usize> = Vec::with_capacity(candidate.len());
        for (i, c) in candidate.chars().enumerate() {
            if c.is_whitespace() {
                folded.push(' ');
                origin.push(i);
                continue;
            }
            for f in fold(c.encode_utf8(&mut [0; 4])).chars() {
                folded.push(f);
                origin.push(i);
            }
        }
        // A fresh matcher: its table reused would depend on the call
        // before (see `fuzzy_score`); a few calls per frame.
        let mut out: Vec<usize> = Self::skim()
            .fuzzy_indices(&folded, &fold(query))
            .map(|(_, idx)| {
                idx.into_iter()
                    .filter_map(|k| origin.get(k).copied())
                    .collect()
            })
            .unwrap_or_default();
        out.dedup();
        out
    }

    /// Candidates matching `query`, best first (ties keep input order).
    /// An empty query matches everything in input order.
    pub fn rank<'a>(&self, query: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<Hit> {
        let query = query.trim();
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .enumerate()
            .filter_map(|(index, c)| {
                if query.is_empty() {
                    Some(Hit { index, score: 0 })
                } else {
                    self.score(c, query).map(|score| Hit { index, score })
                }
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        hits
    }
}

impl NameMatcher {
    /// Indexes of the candidates matching `query`: with a query, best match
    /// first and, among equal scores, preferred ones (active peers) first;
    /// with none, every candidate in input order. `candidates` gives each
    /// name and whether it is preferred.
    pub fn rank_preferring<'a>(
        &self,
        query: &str,
        candidates: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Vec<usize> {
        let (names, preferred): (Vec<&str>, Vec<bool>) = candidates.into_iter().unzip();
        let mut hits: Vec<(i64, bool, usize)> = self
            .rank(query, names)
            .into_iter()
            .map(|h| (-h.score, !preferred[h.index], h.index))
            .collect();
        if !query.trim().is_empty() {
            hits.sort_unstable();
        }
        hits.into_iter().map(|(_, _, i)| i).collect()
    }
}

/// What a peer (or a directory entry) is also found by besides its names:
/// its id, its phone number's digits and its tags (folded). Each answers only when given
/// whole ("P17", "021 555 0101" or its digits, "housing"), so a search for
/// a name is never muddied by a number or tag that merely contains it.
/// The roster rows of the UI carry these; the CLI builds them from the
/// record. One rule, [`SearchKeys::answers`], for every peer search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchKeys {
    /// The id as shown ("P17").
    pub id: String,
    /// The phone number's digits (empty when there is none).
    pub phone_digits: String,
    /// Tags, folded (`model::names::fold`).
    pub tags: Vec<String>,
}

impl SearchKeys {
    /// The keys of a directory entry: its id and phone.
    pub fn of_resource(r: &crate::model::Record<crate::model::Resource>) -> SearchKeys {
        SearchKeys {
            id: r.id.to_string(),
            phone_digits: crate::model::names::phone_digits(&r.phone),
            tags: Vec::new(),
        }
    }

    /// The keys of a peer record.
    pub fn of_peer(peer: &crate::model::Record<crate::model::Peer>) -> SearchKeys {
        SearchKeys {
            id: peer.id.to_string(),
            phone_digits: crate::model::names::phone_digits(peer.phone.as_deref().unwrap_or("")),
            tags: peer.tags.iter().map(|t| fold(t)).collect(),
        }
    }

    /// True when `query` is this peer's id (any case), their phone number
    /// (at least 4 digits, punctuation ignored) or one of their tags (case
    /// and accents folded).
    pub fn answers(&self, query: &str) -> bool {
        self.answers_prepared(&Prepared::new(query))
    }

    fn answers_prepared(&self, q: &Prepared<'_>) -> bool {
        if q.text.is_empty() {
            return false;
        }
        (!self.id.is_empty() && self.id.eq_ignore_ascii_case(q.text))
            || (q.phone.is_some() && q.phone.as_deref() == Some(self.phone_digits.as_str()))
            || self.tags.contains(&q.folded)
    }
}

/// A query worked out once for a whole list: trimmed, its phone digits
/// (when it is mostly a number of at least 4 digits) and its folded form.
struct Prepared<'a> {
    text: &'a str,
    phone: Option<String>,
    folded: String,
}

impl<'a> Prepared<'a> {
    fn new(query: &'a str) -> Prepared<'a> {
        let text = query.trim();
        let digits = crate::model::names::phone_digits(text);
        let mostly_digits = digits.len() * 2 > text.chars().filter(|c| !c.is_whitespace()).count();
        Prepared {
            text,
            phone: (digits.len() >= 4 && mostly_digits).then_some(digits),
            folded: fold(text),
        }
    }
}

/// The score a whole id, phone number or tag gets: above any fuzzy score
/// of a name, so the peer it names comes first.
const KEY_SCORE: i64 = i64::MAX / 4;

impl NameMatcher {
    /// Score of a peer (or directory entry) for `query`, or `None` if it
    /// does not match: the one rule every picker and search uses. A whole id, phone
    /// number or tag ([`SearchKeys::answers`]) scores above any name;
    /// otherwise the best of their names, fuzzily, case and accents folded
    /// ("muller" finds Müller, "lukasz" Łukasz, "bjorn" Björn).
    pub fn score_keyed(&self, names: &[&str], keys: &SearchKeys, query: &str) -> Option<i64> {
        self.score_prepared(names, keys, &Prepared::new(query))
    }

    fn score_prepared(&self, names: &[&str], keys: &SearchKeys, q: &Prepared<'_>) -> Option<i64> {
        if keys.answers_prepared(q) {
            return Some(KEY_SCORE);
        }
        names
            .iter()
            .filter(|n| !n.is_empty())
            .filter_map(|n| self.fuzzy_score(&fold(n), &q.folded))
            .max()
    }

    /// Indexes of the peers (or entries) matching `query` by
    /// [`NameMatcher::score_keyed`],
    /// ordered as [`NameMatcher::rank_preferring`] orders names: best
    /// first, then preferred (active) ones, then input order; every peer
    /// in input order for an empty query. Each candidate is its name, its
    /// keys and whether it is preferred.
    pub fn rank_keyed<'a>(
        &self,
        query: &str,
        candidates: impl IntoIterator<Item = (&'a str, &'a SearchKeys, bool)>,
    ) -> Vec<usize> {
        let q = Prepared::new(query);
        let mut hits: Vec<(i64, bool, usize)> = candidates
            .into_iter()
            .enumerate()
            .filter_map(|(i, (name, keys, preferred))| {
                if q.text.is_empty() {
                    return Some((0, false, i));
                }
                self.score_prepared(&[name], keys, &q)
                    .map(|score| (-score, !preferred, i))
            })
            .collect();
        if !q.text.is_empty() {
            hits.sort_unstable();
        }
        hits.into_iter().map(|(_, _, i)| i).collect()
    }
}

/// How closely a name answers a query typed to pick one person, from an
/// exact name down to a loose fuzzy match. Used to resolve `caseload log
/// ana` without guessing between several people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Closeness {
    /// The whole name, ignoring case.
    Exact,
    /// Every query word starts a word of the name ("ana ru" → "Ana Ruiz").
    WordPrefix,
    /// The query appears inside the name.
    Contains,
    /// Only a fuzzy match.
    Fuzzy,
}

/// How `name` answers `query`, if at all.
pub fn closeness(matcher: &NameMatcher, name: &str, query: &str) -> Option<Closeness> {
    let q = fold(query);
    if q.is_empty() {
        return None;
    }
    let n = fold(name);
    if n.trim() == q {
        return Some(Closeness::Exact);
    }
    let words: Vec<&str> = n.split_whitespace().collect();
    if q.split_whitespace()
        .all(|qw| words.iter().any(|w| w.starts_with(qw)))
    {
        return Some(Closeness::WordPrefix);
    }
    if n.contains(&q) {
        return Some(Closeness::Contains);
    }
    matcher.score(name, query).map(|_| Closeness::Fuzzy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_are_folded() {
        let m = NameMatcher::default();
        assert_eq!(closeness(&m, "Müller", "muller"), Some(Closeness::Exact));
        assert_eq!(
            closeness(&m, "Łukasz Nowak", "lukasz"),
            Some(Closeness::WordPrefix)
        );
        assert_eq!(closeness(&m, "Björn", "BJORN"), Some(Closeness::Exact));
        let hits = m.rank("bjorn", ["Ana", "Björn Larsen"]);
        assert_eq!(hits.first().map(|h| h.index), Some(1));
    }

    fn keys(id: &str, phone: &str, tags: &[&str]) -> SearchKeys {
        SearchKeys {
            id: id.into(),
            phone_digits: crate::model::names::phone_digits(phone),
            tags: tags.iter().map(|t| fold(t)).collect(),
        }
    }

    #[test]
    fn peers_are_found_by_folded_names_and_whole_ids_phones_and_tags() {
        let m = NameMatcher::default();
        let none = SearchKeys::default();
        let people = [
            ("Ana Ruiz", keys("P1", "021 555 0101", &["Housing"])),
            ("Jürgen Müller", keys("P2", "", &[])),
            ("Łukasz Nowak", keys("P3", "", &[])),
            ("Björn Ek", keys("P17", "(04) 123-4567", &["Ōtautahi"])),
        ];
        let rank =
            |q: &str| -> Vec<usize> { m.rank_keyed(q, people.iter().map(|(n, k)| (*n, k, true))) };
        assert_eq!(rank("muller").first(), Some(&1));
        assert_eq!(rank("lukasz").first(), Some(&2));
        assert_eq!(rank("bjorn").first(), Some(&3));
        assert_eq!(rank("p17"), vec![3], "an id names one peer");
        assert_eq!(
            rank("04 123 4567"),
            vec![3],
            "phone digits, punctuation aside"
        );
        assert_eq!(rank("0215550101"), vec![0]);
        assert_eq!(rank("housing"), vec![0], "a tag, case folded");
        assert_eq!(rank("otautahi"), vec![3], "a tag, accents folded");
        assert!(rank("4567").is_empty(), "part of a phone number is not it");
        assert!(!none.answers("P1"));
        assert_eq!(rank("").len(), 4);
    }

    #[test]
    fn ranks_better_matches_first_and_keeps_order_for_empty_query() {
        let m = NameMatcher::default();
        let names = ["Dana Ortiz", "Ana Ruiz", "Bob Stone"];
        let hits = m.rank("ana", names);
        assert_eq!(hits.first().map(|h| h.index), Some(1));
        assert!(hits.iter().all(|h| h.index != 2));
        let all = m.rank("  ", names);
        assert_eq!(
            all.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn positions_point_at_matched_chars_in_unicode_names() {
        let m = NameMatcher::default();
        assert_eq!(m.positions("Nguyễn Lan", "lan"), vec![7, 8, 9]);
        // Folded as the match is: "muller" lights Müller's ü, "lukasz" Ł.
        assert_eq!(
            m.positions("Jürgen Müller", "muller"),
            vec![7, 8, 9, 10, 11, 12]
        );
        assert_eq!(m.positions("Łukasz", "lukasz"), vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn equal_scores_prefer_the_preferred() {
        let m = NameMatcher::default();
        let order = m.rank_preferring("ana", [("Ana B", false), ("Ana A", true), ("Bob", true)]);
        assert_eq!(order, vec![1, 0]);
        let all = m.rank_preferring("", [("Ana B", false), ("Bob", true)]);
        assert_eq!(all, vec![0, 1]);
    }

    proptest::proptest! {
        /// Whatever was scored before, a score is what a new matcher
        /// gives.
        #[test]
        fn scores_are_a_fresh_matchers(
            calls in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        proptest::sample::select(&['a', 'k', 'K', ' ', '-', '0', 'é', '\0'][..]),
                        0..16,
                    ),
                    proptest::collection::vec(
                        proptest::sample::select(&['a', 'k', 'K', ' ', '-'][..]),
                        0..5,
                    ),
                ),
                1..40,
            ),
        ) {
            let m = NameMatcher::default();
            for (choice, pattern) in calls {
                let (c, p): (String, String) = (choice.into_iter().collect(), pattern.into_iter().collect());
                let fresh = NameMatcher::skim().fuzzy_match(&c, &p);
                proptest::prop_assert_eq!(m.fuzzy_score(&c, &p), fresh, "{:?} for {:?}", c, p);
            }
        }
    }

    #[test]
    fn closeness_tiers() {
        let m = NameMatcher::default();
        assert_eq!(
            closeness(&m, "Ana Ruiz", "ana ruiz"),
            Some(Closeness::Exact)
        );
        assert_eq!(
            closeness(&m, "Ana Ruiz", "ana ru"),
            Some(Closeness::WordPrefix)
        );
        assert_eq!(
            closeness(&m, "Dana Ortiz", "ana"),
            Some(Closeness::Contains)
        );
        assert_eq!(closeness(&m, "Ana Ruiz", "arz"), Some(Closeness::Fuzzy));
        assert_eq!(closeness(&m, "Ana Ruiz", "xyz"), None);
    }
}
