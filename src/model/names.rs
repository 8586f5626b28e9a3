//! Name folding: one rule for when two spellings of a name are "the same"
//! to search and to the duplicate check, so "muller" finds Müller,
//! "lukasz" Łukasz and "bjorn" Björn wherever a name is looked up.

/// `s` with case and accents folded away: lower case, Latin letters
/// without marks (Ł → l, ø → o, ß → ss), other scripts transliterated to
/// Latin by `deunicode`, runs of white space made one space, trimmed.
/// ASCII text only changes case, without allocation beyond the result.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut push = |c: char| {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    };
    if s.is_ascii() {
        s.chars().for_each(&mut push);
    } else {
        deunicode::deunicode(s).chars().for_each(&mut push);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The digits of a phone number ("(555) 010-2233" → "5550102233"), so
/// numbers written differently compare equal; empty when it has none.
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Björn  Ólafsson "), "bjorn olafsson");
        assert_eq!(fold("ARoha Wright"), "aroha wright");
        assert_ne!(fold("Ana"), fold("Anna"));
    }

    #[test]
    fn phone_digits_ignore_punctuation() {
        assert_eq!(phone_digits("(555) 010-2233"), "5550102233");
        assert_eq!(phone_digits("n/a"), "");
    }
}
