//! Making stored text safe and tidy to show.
//!
//! Names and notes are stored exactly as given, but control characters and
//! terminal escape sequences must never reach a terminal raw: a note
//! containing `ESC ]52;…` could otherwise rewrite a shared screen or the
//! clipboard. Everything printed by the CLI or drawn by the UI goes
//! through these functions.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

/// True for characters that must not be written raw to a terminal: C0 and
/// C1 controls, DEL, and the bidirectional overrides that can disguise text.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\e"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// One line of text, with every unsafe character (newlines too) escaped.
pub fn escape_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            escape_char(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Multi-line text: newlines are kept, every other unsafe character is
/// escaped.
pub fn escape_multiline(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c != '\n' && is_unsafe(c) {
            escape_char(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Display width of text in terminal columns (wide CJK and emoji count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts text to at most `max` columns, ending in `…` when anything was cut.
/// The text should already be escaped.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    // Measure the growing prefix as a string, not char by char: emoji
    // presentation sequences (❤ + U+FE0F) are wider together than apart.
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if width(&out) > max - 1 {
            out.pop();
            break;
        }
    }
    out.push('…');
    Cow::Owned(out)
}

/// Cuts text to at most `max` columns from the start, beginning with `…`
/// when anything was cut: for sentences whose end carries the meaning
/// ("… last contact 42 days ago"). The text should already be escaped.
pub fn truncate_start(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    // Grow the kept tail from the end, as `truncate` grows its head.
    let mut start = s.len();
    for (i, _) in s.char_indices().rev() {
        if width(&s[i..]) > max - 1 {
            break;
        }
        start = i;
    }
    // Mid-word: start at the next word instead, when one is near.
    let rest = &s[start..];
    let mid_word =
        !rest.starts_with(char::is_whitespace) && !s[..start].ends_with(char::is_whitespace);
    if mid_word {
        if let Some(space) = rest.find(char::is_whitespace).filter(|&i| i <= 12) {
            start += space;
        }
    }
    Cow::Owned(format!("…{}", &s[start..]))
}

/// The singular or plural of a noun for `n` ("entry" or "entries").
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A count with its noun, read right for one and for many: "1 entry",
/// "3 entries", "0 sessions". Every user-facing count goes through this
/// (or [`noun`]) so no screen or command says "1 sessions".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// [`count`] for the store's `u64` counts.
pub fn count_u64(n: u64, one: &str, many: &str) -> String {
    format!(
        "{n} {}",
        noun(usize::try_from(n).unwrap_or(usize::MAX), one, many)
    )
}

/// Escapes and cuts in one go: what every table cell wants.
pub fn cell(s: &str, max: usize) -> String {
    truncate(&escape_line(s), max).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched_and_borrowed() {
        assert!(matches!(escape_line("Nguyễn Thị Lan 😊"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_terminal_sequences_and_controls() {
        assert_eq!(escape_line("a\u{1b}[2Jb"), "a\\e[2Jb");
        assert_eq!(escape_line("x\ny\r\t"), "x\\ny\\r\\t");
        assert_eq!(escape_line("\u{7f}\u{9b}"), "\\x7f\\x9b");
        assert_eq!(escape_line("abc\u{202e}cba"), "abc\\u{202e}cba");
        assert_eq!(escape_multiline("one\ntwo\u{7}"), "one\ntwo\\x07");
    }

    #[test]
    fn counts_read_right_for_one_and_many() {
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(count(0, "entry", "entries"), "0 entries");
        assert_eq!(count(2, "session", "sessions"), "2 sessions");
        assert_eq!(count(1, "check-in", "check-ins"), "1 check-in");
        assert_eq!(noun(1, "peer", "peers"), "peer");
        assert_eq!(noun(11, "peer", "peers"), "peers");
    }

    #[test]
    fn truncates_from_the_start_keeping_the_end() {
        assert_eq!(truncate_start("abcdef", 6), "abcdef");
        assert_eq!(truncate_start("abcdef", 4), "…def");
        assert_eq!(
            truncate_start("no contact for a long time, 42 days ago", 16),
            "… 42 days ago",
            "a cut word is left out whole"
        );
        assert_eq!(truncate_start("abcdefghijklmnopqrstuvwxyz", 5), "…wxyz");
        assert_eq!(truncate_start("李伟李伟", 5), "…李伟");
        assert_eq!(truncate_start("abc", 0), "");
        let hearts = "❤\u{fe0f} 💔 💌";
        for w in 0..8 {
            assert!(width(&truncate_start(hearts, w)) <= w, "{w}");
        }
    }

    #[test]
    fn truncates_by_columns_with_ellipsis() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("李伟李伟", 5), "李伟…");
        assert_eq!(width(&truncate("李伟李伟", 4)), 3);
        assert_eq!(truncate("abc", 0), "");
        // Heart + variation selector is two columns together.
        let hearts = "❤\u{fe0f} 💔 💌";
        for w in 0..8 {
            assert!(width(&truncate(hearts, w)) <= w, "{w}");
        }
    }
}
