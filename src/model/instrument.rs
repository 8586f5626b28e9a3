//! Instruments as data: a questionnaire such as the BARC-10 is a TOML file
//! (items, the scale with a label per value, scoring, interpretation notes,
//! attribution, how often to reassess), so an organization adds its own
//! scale by dropping a file in its config folder instead of waiting for a
//! release. The built-in files live in `instruments/` and are embedded in
//! the binary; a file in the organization's folder with the same id
//! replaces the built-in one.
//!
//! Pure: parsing, checking and scoring. Finding the files is
//! `ops::assess`'s job.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The BARC-10 file shipped with caseload.
pub const BARC10_TOML: &str = include_str!("../../instruments/barc10.toml");

/// Every built-in instrument: (file name as shown, text).
pub const BUILTIN: &[(&str, &str)] = &[("instruments/barc10.toml (built in)", BARC10_TOML)];

/// Days between assessments when a file does not say.
pub const DEFAULT_REASSESS_DAYS: u32 = 90;

/// Most items one instrument may have (a long form is still under this).
pub const MAX_ITEMS: usize = 100;

/// The answers of one item: whole numbers from `min` to `max`, each with
/// its label ("Strongly agree").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scale {
    /// The lowest answer.
    pub min: u8,
    /// The highest answer.
    pub max: u8,
    /// One label per value, from `min` up.
    pub labels: Vec<String>,
}

impl Scale {
    /// The label of `value`, if it is on the scale.
    pub fn label(&self, value: u8) -> Option<&str> {
        if value < self.min || value > self.max {
            return None;
        }
        self.labels
            .get(usize::from(value - self.min))
            .map(String::as_str)
    }

    /// True if `value` is an answer of this scale.
    pub fn contains(&self, value: u8) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

/// A note on what a total means (a published threshold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interpretation {
    /// Applies to totals of at least this much.
    pub at_least: Option<u32>,
    /// Applies to totals below this.
    pub below: Option<u32>,
    /// What it means, in plain words.
    pub text: String,
}

impl Interpretation {
    /// True if the note speaks of `total`.
    pub fn applies(&self, total: u32) -> bool {
        self.at_least.is_none_or(|a| total >= a) && self.below.is_none_or(|b| total < b)
    }
}

/// One questionnaire, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instrument {
    /// What records and commands call it ("barc10"): lower-case letters,
    /// digits, `-` and `_`.
    pub id: String,
    /// Raised when the items or scale change, so old assessments keep
    /// saying which wording they answered.
    pub version: u32,
    /// Its full name.
    pub name: String,
    /// Its short name ("BARC-10"); the id when the file has none.
    pub short_name: String,
    /// What the peer is told before the first item.
    pub instructions: String,
    /// The statements or questions, in order.
    pub items: Vec<String>,
    /// The answers each item takes.
    pub scale: Scale,
    /// The lowest and highest total (the sum of the items).
    pub range: (u32, u32),
    /// Notes on what totals mean.
    pub interpretation: Vec<Interpretation>,
    /// Who made it and where it was published.
    pub attribution: String,
    /// Its licence or availability, as published.
    pub availability: String,
    /// Days until a peer is due to take it again.
    pub reassess_days: u32,
}

/// Something wrong in an instrument file, located for the person fixing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstrumentProblem {
    /// The file, as shown.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong, naming the field.
    pub message: String,
}

impl fmt::Display for InstrumentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Why a set of scores does not fit an instrument: which item, what was
/// given and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// Too few or too many scores.
    #[error("{instrument} has {expected} items, but {given} scores were given")]
    Count {
        /// The instrument's short name.
        instrument: String,
        /// Its number of items.
        expected: usize,
        /// How many were given.
        given: usize,
    },
    /// One score is off the scale or not a number.
    #[error("item {item} (\"{text}\"): '{given}' is not an answer; answers are whole numbers from {min} to {max}")]
    OffScale {
        /// 1-based item number.
        item: usize,
        /// The item's wording (escaped for one line).
        text: String,
        /// What was given (escaped).
        given: String,
        /// The lowest answer.
        min: u8,
        /// The highest answer.
        max: u8,
    },
}

impl Instrument {
    /// The total of a full set of answers, after checking each against the
    /// scale (item numbers in errors are 1-based).
    pub fn score(&self, scores: &[u8]) -> Result<u32, ScoreError> {
        if scores.len() != self.items.len() {
            return Err(ScoreError::Count {
                instrument: self.short_name.clone(),
                expected: self.items.len(),
                given: scores.len(),
            });
        }
        for (i, s) in scores.iter().enumerate() {
            if !self.scale.contains(*s) {
                return Err(self.off_scale(i, &s.to_string()));
            }
        }
        Ok(scores.iter().map(|s| u32::from(*s)).sum())
    }

    /// Reads "5,4,6,…" (spaces allowed) into answers, naming the first item
    /// that is not a whole number on the scale.
    pub fn parse_scores(&self, text: &str) -> Result<Vec<u8>, ScoreError> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let mut out = Vec::with_capacity(parts.len());
        for (i, p) in parts.iter().enumerate() {
            match p.parse::<u8>() {
                Ok(v) if self.scale.contains(v) => out.push(v),
                _ if i >= self.items.len() => {
                    return Err(ScoreError::Count {
                        instrument: self.short_name.clone(),
                        expected: self.items.len(),
                        given: parts.len(),
                    })
                }
                _ => return Err(self.off_scale(i, p)),
            }
        }
        self.score(&out)?;
        Ok(out)
    }

    fn off_scale(&self, index: usize, given: &str) -> ScoreError {
        ScoreError::OffScale {
            item: index + 1,
            text: crate::text::escape_line(self.items.get(index).map_or("", String::as_str))
                .into_owned(),
            given: crate::text::escape_line(given).into_owned(),
            min: self.scale.min,
            max: self.scale.max,
        }
    }

    /// The notes that speak of `total`.
    pub fn notes_for(&self, total: u32) -> Vec<&Interpretation> {
        self.interpretation
            .iter()
            .filter(|n| n.applies(total))
            .collect()
    }

    /// Parses and checks one instrument file. `file` names it in problems.
    /// Every problem found is returned (none: the instrument is usable).
    pub fn parse(file: &str, text: &str) -> Result<Instrument, Vec<InstrumentProblem>> {
        let problem = |span: Option<Range<usize>>, message: String| InstrumentProblem {
            file: file.to_string(),
            line: span.map(|s| line_of(text, s.start)),
            message,
        };
        let raw: RawInstrument = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => return Err(vec![problem(e.span(), e.message().trim().to_string())]),
        };
        let mut problems = Vec::new();
        let mut fail =
            |span: Range<usize>, message: String| problems.push(problem(Some(span), message));

        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty()
            || id.len() > 40
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            fail(
                raw.id.span(),
                format!(
                    "id: '{}' must be 1 to 40 lower-case letters, digits, '-' or '_' (it is typed on the command line: caseload assess PEER ID)",
                    crate::text::escape_line(raw.id.get_ref())
                ),
            );
        }
        let version = match u32::try_from(*raw.version.get_ref()) {
            Ok(v) if v >= 1 => v,
            _ => {
                fail(
                    raw.version.span(),
                    format!(
                        "version: {} must be a whole number of 1 or more",
                        raw.version.get_ref()
                    ),
                );
                1
            }
        };
        for (field, value) in [("name", &raw.name), ("attribution", &raw.attribution)] {
            if value.get_ref().trim().is_empty() {
                fail(value.span(), format!("{field}: must not be empty"));
            }
        }
        for (field, value) in [
            ("name", Some(&raw.name)),
            ("short_name", raw.short_name.as_ref()),
            ("attribution", Some(&raw.attribution)),
            ("instructions", raw.instructions.as_ref()),
            ("availability", raw.availability.as_ref()),
        ] {
            if let Some(v) = value {
                if v.get_ref().chars().any(crate::text::is_unsafe) {
                    fail(v.span(), format!("{field}: contains control characters"));
                }
            }
        }
        let reassess_days = match &raw.reassess_days {
            None => DEFAULT_REASSESS_DAYS,
            Some(d) => match u32::try_from(*d.get_ref()) {
                Ok(v) if (1..=3660).contains(&v) => v,
                _ => {
                    fail(
                        d.span(),
                        format!("reassess_days: {} must be from 1 to 3660 days", d.get_ref()),
                    );
                    DEFAULT_REASSESS_DAYS
                }
            },
        };

        // The scale: whole numbers, a label for each.
        let s = raw.scale.get_ref();
        let (smin, smax) = (*s.min.get_ref(), *s.max.get_ref());
        let mut scale = Scale {
            min: 1,
            max: 1,
            labels: Vec::new(),
        };
        match (u8::try_from(smin), u8::try_from(smax)) {
            (Ok(lo), Ok(hi)) if lo <= hi && hi - lo < 20 => {
                scale.min = lo;
                scale.max = hi;
                let want = usize::from(hi - lo) + 1;
                let labels = s.labels.get_ref();
                if labels.len() != want {
                    fail(
                        s.labels.span(),
                        format!(
                            "scale.labels: {} labels for the {want} values {lo} to {hi}; give one label per value, lowest first",
                            labels.len()
                        ),
                    );
                }
                for l in labels {
                    if l.get_ref().trim().is_empty() || l.get_ref().chars().any(crate::text::is_unsafe) {
                        fail(l.span(), "scale.labels: a label is empty or has control characters".into());
                    }
                }
                scale.labels = labels.iter().map(|l| l.get_ref().trim().to_string()).collect();
            }
            _ => fail(
                raw.scale.span(),
                format!(
                    "scale: min {smin} and max {smax} must be whole numbers from 0 to 255, min not above max, at most 20 values"
                ),
            ),
        }

        // The items.
        let items: Vec<String> = raw
            .items
            .get_ref()
            .iter()
            .map(|i| i.get_ref().text.trim().to_string())
            .collect();
        if items.is_empty() {
            fail(
                raw.items.span(),
                "items: an instrument needs at least one [[items]] with text".into(),
            );
        }
        if items.len() > MAX_ITEMS {
            fail(
                raw.items.span(),
                format!("items: {} items is more than {MAX_ITEMS}", items.len()),
            );
        }
        for (n, item) in raw.items.get_ref().iter().enumerate() {
            let t = &item.get_ref().text;
            if t.trim().is_empty() {
                fail(item.span(), format!("items: item {} has no text", n + 1));
            } else if t.chars().any(crate::text::is_unsafe) {
                fail(
                    item.span(),
                    format!("items: item {} contains control characters", n + 1),
                );
            } else if t.chars().count() > 500 {
                fail(
                    item.span(),
                    format!("items: item {} is longer than 500 characters", n + 1),
                );
            }
        }

        // Scoring: the sum, and the range the file states must be the one
        // the items and scale give (a typo here would mislead every report).
        let sc = raw.scoring.get_ref();
        if sc.method.get_ref() != "sum" {
            fail(
                sc.method.span(),
                format!(
                    "scoring.method: '{}' is not known; the one method is \"sum\"",
                    crate::text::escape_line(sc.method.get_ref())
                ),
            );
        }
        let n = items.len() as u32;
        let range = (n * u32::from(scale.min), n * u32::from(scale.max));
        if !scale.labels.is_empty() && !items.is_empty() {
            for (field, stated, want) in [("min", &sc.min, range.0), ("max", &sc.max, range.1)] {
                if let Some(v) = stated {
                    if *v.get_ref() != i64::from(want) {
                        fail(
                            v.span(),
                            format!(
                                "scoring.{field}: {} does not match {n} items scored {} to {}: the sum's {field} is {want}",
                                v.get_ref(),
                                scale.min,
                                scale.max
                            ),
                        );
                    }
                }
            }
        }

        let mut interpretation = Vec::new();
        for note in &raw.interpretation {
            let r = note.get_ref();
            let bound = |v: &Option<Spanned<i64>>,
                         field: &str,
                         fail: &mut dyn FnMut(Range<usize>, String)| {
                v.as_ref().and_then(|v| match u32::try_from(*v.get_ref()) {
                    Ok(x) if x >= range.0 && x <= range.1 + 1 => Some(x),
                    _ => {
                        fail(
                            v.span(),
                            format!(
                                "interpretation.{field}: {} is outside the totals {} to {}",
                                v.get_ref(),
                                range.0,
                                range.1
                            ),
                        );
                        None
                    }
                })
            };
            let at_least = bound(&r.at_least, "at_least", &mut fail);
            let below = bound(&r.below, "below", &mut fail);
            if r.text.get_ref().trim().is_empty()
                || r.text.get_ref().chars().any(crate::text::is_unsafe)
            {
                fail(
                    r.text.span(),
                    "interpretation.text: must be plain text, not empty".into(),
                );
            }
            interpretation.push(Interpretation {
                at_least,
                below,
                text: r.text.get_ref().trim().to_string(),
            });
        }

        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Instrument {
            short_name: raw
                .short_name
                .map(|s| s.into_inner().trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| id.clone()),
            id,
            version,
            name: raw.name.into_inner().trim().to_string(),
            instructions: raw.instructions.map(|s| s.into_inner()).unwrap_or_default(),
            items,
            scale,
            range,
            interpretation,
            attribution: raw.attribution.into_inner().trim().to_string(),
            availability: raw.availability.map(|s| s.into_inner()).unwrap_or_default(),
            reassess_days,
        })
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: Spanned<String>,
    version: Spanned<i64>,
    name: Spanned<String>,
    short_name: Option<Spanned<String>>,
    instructions: Option<Spanned<String>>,
    reassess_days: Option<Spanned<i64>>,
    attribution: Spanned<String>,
    availability: Option<Spanned<String>>,
    scale: Spanned<RawScale>,
    scoring: Spanned<RawScoring>,
    #[serde(default)]
    interpretation: Vec<Spanned<RawNote>>,
    items: Spanned<Vec<Spanned<RawItem>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    min: Spanned<i64>,
    max: Spanned<i64>,
    labels: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    method: Spanned<String>,
    min: Option<Spanned<i64>>,
    max: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNote {
    at_least: Option<Spanned<i64>>,
    below: Option<Spanned<i64>>,
    text: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    text: String,
}

/// The instruments in use: the built-in ones, each replaced by an
/// organization's file of the same id, plus the organization's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instruments {
    /// By id, in the order found (built-in first).
    pub list: Vec<Instrument>,
    /// Where each came from, parallel to `list`.
    pub sources: Vec<String>,
    /// Problems with files that were left out (never fatal).
    pub problems: Vec<InstrumentProblem>,
}

impl Instruments {
    /// The built-in instruments alone.
    pub fn builtin() -> Instruments {
        Instruments::from_files(BUILTIN.iter().map(|(f, t)| (f.to_string(), t.to_string())))
    }

    /// Layers files over each other in order: a later file with the same id
    /// replaces an earlier one; a file with problems is left out (and its
    /// problems kept), so the earlier instrument stays in use.
    pub fn from_files(files: impl IntoIterator<Item = (String, String)>) -> Instruments {
        let mut out = Instruments::default();
        for (file, text) in files {
            out.add(&file, &text);
        }
        out
    }

    /// Adds or replaces one file's instrument.
    pub fn add(&mut self, file: &str, text: &str) {
        match Instrument::parse(file, text) {
            Ok(i) => match self.list.iter().position(|x| x.id == i.id) {
                Some(at) => {
                    self.list[at] = i;
                    self.sources[at] = file.to_string();
                }
                None => {
                    self.list.push(i);
                    self.sources.push(file.to_string());
                }
            },
            Err(p) => self.problems.extend(p),
        }
    }

    /// The instrument with this id (case-insensitive; "BARC-10" finds
    /// "barc10" by its short name too).
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        let want = id.trim();
        let fold = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        self.list
            .iter()
            .find(|i| i.id.eq_ignore_ascii_case(want))
            .or_else(|| {
                self.list
                    .iter()
                    .find(|i| fold(&i.short_name) == fold(want) || fold(&i.id) == fold(want))
            })
    }

    /// Days between assessments for `id` ([`DEFAULT_REASSESS_DAYS`] for an
    /// instrument no longer installed).
    pub fn reassess_days(&self, id: &str) -> u32 {
        self.get(id)
            .map_or(DEFAULT_REASSESS_DAYS, |i| i.reassess_days)
    }

    /// The ids, for messages ("known: barc10").
    pub fn ids(&self) -> String {
        self.list
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_barc10_is_ten_items_scored_10_to_60() {
        let b = Instrument::parse("barc10.toml", BARC10_TOML).unwrap();
        assert_eq!(b.id, "barc10");
        assert_eq!(b.short_name, "BARC-10");
        assert_eq!(b.items.len(), 10);
        assert_eq!(b.range, (10, 60));
        assert_eq!(b.scale.label(1), Some("Strongly disagree"));
        assert_eq!(b.scale.label(6), Some("Strongly agree"));
        assert_eq!(b.scale.label(7), None);
        assert_eq!(b.reassess_days, 90);
        assert!(b.attribution.contains("Vilsaint"));
        assert!(b.attribution.contains("2017;177:71-76"));
        assert_eq!(b.notes_for(47).len(), 1);
        assert!(b.notes_for(46).is_empty());
    }
}
