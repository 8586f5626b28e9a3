//! Fuzzy search over names, behind one small seam so the matcher can be
//! swapped. Used by the peer picker, the roster search and `caseload log`.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::model::names::fold;

/// A fuzzy matcher configured the way caseload wants (case-insensitive).
pub struct NameMatcher {
    inner: SkimMatcherV2,
}

impl Default for NameMatcher {
    fn default() -> Self {
        NameMatcher {
            inner: SkimMatcherV2::default().ignore_case(),
        }
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
        self.inner.fuzzy_match(&fold(candidate), &fold(query))
    }

    /// Char positions in `candidate` that matched `query`, for highlighting.
    pub fn positions(&self, candidate: &str, query: &str) -> Vec<usize> {
        self.inner
            .fuzzy_indices(candidate, query)
            .map(|(_, idx)| idx)
            .unwrap_or_default()
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
    }

    #[test]
    fn equal_scores_prefer_the_preferred() {
        let m = NameMatcher::default();
        let order = m.rank_preferring("ana", [("Ana B", false), ("Ana A", true), ("Bob", true)]);
        assert_eq!(order, vec![1, 0]);
        let all = m.rank_preferring("", [("Ana B", false), ("Bob", true)]);
        assert_eq!(all, vec![0, 1]);
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
