//! Safe, aligned text pieces for every view.
//!
//! Stored text (names, notes, goal titles) may hold escape sequences,
//! control characters or bidi overrides; it is escaped here through
//! `crate::text` before it reaches a cell. Widths are display columns, so
//! wide (CJK, emoji) and combining characters line up, and anything cut
//! ends in `…`.
//!
//! **Peer names go through the `*_name` helpers** ([`name`], [`fit_name`],
//! [`clip_name`], [`highlighted_name`]), never through `fit`/`clip`
//! directly: they show initials instead of the name while privacy mode is
//! on (`ViewCtx::privacy`, see `ui::privacy`). A screen that draws every
//! peer name through them needs nothing else to support privacy mode.
//! Group, goal and staff names are not peer names and use `fit`/`clip`.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::Span;

use crate::text::{escape_line, truncate, width};
use crate::ui::privacy::{initials, shown_name};
use crate::ui::view::ViewCtx;

/// A peer's name as it may appear on screen now (initials in privacy
/// mode), raw: for composing into a longer string that is then passed to
/// `fit`/`clip`, which escape it.
pub fn name<'a>(ctx: &ViewCtx<'_>, raw: &'a str) -> Cow<'a, str> {
    shown_name(raw, ctx.privacy)
}

/// A note or goal title as it may appear on screen now: hidden in privacy
/// mode unless the reveal key was just pressed and the text is in the
/// selected row (`selected`; a screen without rows passes true).
pub fn private<'a>(ctx: &ViewCtx<'_>, text: &'a str, selected: bool) -> Cow<'a, str> {
    crate::ui::privacy::shown_text(text, ctx.privacy && !(ctx.reveal && selected))
}

/// [`private`] for a sentence that quotes a goal title: only the quoted
/// parts are hidden.
pub fn private_quoted<'a>(ctx: &ViewCtx<'_>, sentence: &'a str, selected: bool) -> Cow<'a, str> {
    crate::ui::privacy::shown_quoted(sentence, ctx.privacy && !(ctx.reveal && selected))
}

/// [`fit`] for a peer's name (initials in privacy mode).
pub fn fit_name(ctx: &ViewCtx<'_>, raw: &str, w: usize) -> String {
    fit(&name(ctx, raw), w)
}

/// [`clip`] for a peer's name (initials in privacy mode).
pub fn clip_name(ctx: &ViewCtx<'_>, raw: &str, w: usize) -> String {
    clip(&name(ctx, raw), w)
}

/// [`highlighted`] for a peer's name: in privacy mode the initials, with
/// no match highlighting (which would point into the hidden name).
pub fn highlighted_name(
    ctx: &ViewCtx<'_>,
    raw: &str,
    positions: &[usize],
    w: usize,
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    if ctx.privacy {
        highlighted(&initials(raw), &[], w, base, hl)
    } else {
        highlighted(raw, positions, w, base, hl)
    }
}

/// Escapes, cuts to `w` columns and pads with spaces to exactly `w`.
pub fn fit(s: &str, w: usize) -> String {
    let escaped = escape_line(s);
    let cut = truncate(&escaped, w);
    let mut out = cut.into_owned();
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// [`fit`] that keeps the end and shortens the start ("… 42 days ago"),
/// for sentences whose end carries the meaning.
pub fn fit_end(s: &str, w: usize) -> String {
    let escaped = escape_line(s);
    let mut out = crate::text::truncate_start(&escaped, w).into_owned();
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// Escapes and cuts to at most `w` columns (no padding).
pub fn clip(s: &str, w: usize) -> String {
    truncate(&escape_line(s), w).into_owned()
}

/// Cuts from the left, keeping the end (`…/caseload/data`): the end of a
/// path says most.
pub fn clip_left(s: &str, w: usize) -> String {
    let escaped = escape_line(s);
    if width(&escaped) <= w {
        return escaped.into_owned();
    }
    if w == 0 {
        return String::new();
    }
    // Grow the kept suffix and measure it as a string: emoji presentation
    // sequences are wider together than char by char.
    let chars: Vec<char> = escaped.chars().collect();
    let mut start = chars.len();
    while start > 0 {
        let candidate: String = chars[start - 1..].iter().collect();
        if width(&candidate) > w - 1 {
            break;
        }
        start -= 1;
    }
    let mut out = String::from("…");
    out.extend(&chars[start..]);
    out
}

/// A name with the characters at `positions` (char indices into the raw
/// name, from the fuzzy matcher) styled `hl`, escaped per character, cut to
/// `w` columns with `…` and padded to exactly `w`.
pub fn highlighted(
    raw: &str,
    positions: &[usize],
    w: usize,
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    // Escape char by char so match positions still line up.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for (i, c) in raw.chars().enumerate() {
        let mut buf = [0u8; 4];
        let shown = escape_line(c.encode_utf8(&mut buf)).into_owned();
        pieces.push((shown, positions.contains(&i)));
    }
    let full: String = pieces.iter().map(|(s, _)| s.as_str()).collect();
    let total = width(&full);
    let budget = if total > w { w.saturating_sub(1) } else { w };
    let mut spans: Vec<Span<'static>> = Vec::new();
    // Everything kept so far, measured as a whole (see `clip_left`).
    let mut kept = String::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    'outer: for (s, is_hl) in pieces {
        for c in s.chars() {
            kept.push(c);
            if width(&kept) > budget {
                kept.pop();
                break 'outer;
            }
            if is_hl != cur_hl && !cur.is_empty() {
                spans.push(Span::styled(
                    std::mem::take(&mut cur),
                    if cur_hl { hl } else { base },
                ));
            }
            cur_hl = is_hl;
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_hl { hl } else { base }));
    }
    let mut used = width(&kept);
    if total > w && w > 0 {
        spans.push(Span::styled("…", base));
        used += 1;
    }
    if used < w {
        spans.push(Span::styled(" ".repeat(w - used), base));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fit_pads_and_cuts_by_columns() {
        assert_eq!(fit("Ana", 5), "Ana  ");
        assert_eq!(fit("李伟李伟", 5), "李伟…");
        // A wide character that would not fit is cut and padded instead.
        assert_eq!(fit("李伟李伟", 4), "李… ");
        assert_eq!(width(&fit("李伟李伟", 4)), 4);
        assert_eq!(fit("a\u{1b}[31mb", 12), "a\\e[31mb    ");
    }

    #[test]
    fn clip_left_keeps_the_end() {
        assert_eq!(clip_left("/var/lib/caseload", 10), "…/caseload");
        assert_eq!(clip_left("/a", 10), "/a");
    }

    #[test]
    fn highlight_marks_matches_and_escapes() {
        let hl = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let spans = highlighted("Ana Ruiz", &[0, 1, 2], 10, Style::default(), hl);
        assert_eq!(text(&spans), "Ana Ruiz  ");
        assert_eq!(spans[0].content, "Ana");
        assert_eq!(spans[0].style, hl);
        let spans = highlighted("x\u{1b}y", &[2], 6, Style::default(), hl);
        assert_eq!(text(&spans), "x\\ey  ");
        let spans = highlighted("Nguyễn Thị Lan", &[], 8, Style::default(), hl);
        assert_eq!(text(&spans), "Nguyễn …");
        assert_eq!(width(&text(&spans)), 8);
    }

    #[test]
    fn emoji_sequences_never_overflow_their_column() {
        let hearts = "Ana ❤\u{fe0f} 💔 💌 ❤\u{fe0f}";
        for w in 0..14 {
            let spans = highlighted(hearts, &[0, 4], w, Style::default(), Style::default());
            assert_eq!(width(&text(&spans)), w, "highlighted at {w}");
            assert!(width(&clip_left(hearts, w)) <= w, "clip_left at {w}");
            assert!(width(&fit(hearts, w)) == w, "fit at {w}");
        }
    }
}
