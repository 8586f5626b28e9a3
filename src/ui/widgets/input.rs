//! Text entry built on `ratatui-textarea`: a single-line field (search,
//! minutes, dates, command line) and helpers for the multi-line note.
//!
//! Whatever a user types or pastes is cleaned of control characters and
//! bidi overrides before it enters a field, so a paste can never smuggle
//! an escape sequence into a note.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

use crate::text::is_unsafe;
use crate::ui::theme::Theme;

/// True when a key would put a character into the text that must not be
/// there (controls, bidi overrides).
fn unsafe_char_key(ev: &KeyEvent) -> bool {
    matches!(ev.code, KeyCode::Char(c) if is_unsafe(c))
}

/// Keeps only text that may be stored and shown: newlines (when
/// `multiline`, with `\r\n` and `\r` turned into `\n`), tabs as spaces, no
/// other control characters or bidi overrides.
pub fn clean_paste(s: &str, multiline: bool) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars()
        .filter_map(|c| match c {
            '\n' if multiline => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Styles a text area as focused (visible cursor) or not.
pub fn style_area(area: &mut TextArea<'static>, focused: bool, theme: &Theme) {
    area.set_cursor_line_style(Style::default());
    area.set_cursor_style(if focused {
        theme.selected()
    } else {
        Style::default()
    });
    area.set_placeholder_style(theme.dim());
}

/// Feeds a key to a multi-line text area, refusing unsafe characters.
/// Returns true when the text changed.
pub fn note_key(area: &mut TextArea<'static>, ev: KeyEvent) -> bool {
    if unsafe_char_key(&ev) {
        return false;
    }
    area.input(ev)
}

/// Pastes into a multi-line text area after cleaning.
pub fn note_paste(area: &mut TextArea<'static>, s: &str) -> bool {
    let clean = clean_paste(s, true);
    !clean.is_empty() && area.insert_str(clean)
}

/// The whole text of a text area.
pub fn area_text(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

/// A one-line text field.
#[derive(Debug, Clone)]
pub struct LineInput {
    area: TextArea<'static>,
}

impl Default for LineInput {
    fn default() -> Self {
        LineInput::new("")
    }
}

impl LineInput {
    /// A field holding `text`, cursor at the end.
    pub fn new(text: &str) -> LineInput {
        let mut area = TextArea::new(vec![clean_paste(text, false)]);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        area.set_cursor_line_style(Style::default());
        LineInput { area }
    }

    /// The text.
    pub fn text(&self) -> &str {
        self.area.lines().first().map(String::as_str).unwrap_or("")
    }

    /// True when nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    /// Replaces the text.
    pub fn set_text(&mut self, text: &str) {
        let focused = self.area.cursor_style();
        let placeholder = self.area.placeholder_text().to_string();
        let pstyle = self.area.placeholder_style();
        *self = LineInput::new(text);
        self.area.set_cursor_style(focused);
        self.area.set_placeholder_text(placeholder);
        if let Some(s) = pstyle {
            self.area.set_placeholder_style(s);
        }
    }

    /// Draws each character as `mask` (a PIN field: one `•` per
    /// character typed, the PIN itself never drawn).
    pub fn set_mask(&mut self, mask: char) {
        self.area.set_mask_char(mask);
    }

    /// Grey text shown while the field is empty.
    pub fn set_placeholder(&mut self, text: &str) {
        self.area.set_placeholder_text(text);
    }

    /// Edits the text with a key; Enter, Tab and newline keys are refused
    /// (the form decides what they mean). Returns true when the text changed.
    pub fn key(&mut self, ev: KeyEvent) -> bool {
        let newline = matches!(ev.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab)
            || matches!(ev.code, KeyCode::Char('m' | 'j') if ev.modifiers.contains(KeyModifiers::CONTROL))
            || unsafe_char_key(&ev);
        if newline {
            return false;
        }
        // The text selected on focus is replaced by typing or deleted by
        // Backspace/Delete; any other key just drops the selection.
        let edits_selection = matches!(ev.code, KeyCode::Backspace | KeyCode::Delete)
            || (matches!(ev.code, KeyCode::Char(_))
                && !ev
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT));
        if self.area.is_selecting() && !edits_selection {
            self.area.cancel_selection();
        }
        self.area.input(ev)
    }

    /// Pastes cleaned text (newlines become spaces).
    pub fn paste(&mut self, s: &str) -> bool {
        let clean = clean_paste(s, false);
        !clean.is_empty() && self.area.insert_str(clean)
    }

    /// Shows or hides the cursor. Focusing a field selects its text (shown
    /// in reverse video), so typing replaces a default like "now" or "15"
    /// while arrows keep it.
    pub fn set_focused(&mut self, focused: bool, theme: &Theme) {
        style_area(&mut self.area, focused, theme);
        self.area.set_selection_style(theme.selected());
        if focused && !self.is_empty() {
            self.area.select_all();
        } else {
            self.area.cancel_selection();
        }
    }

    /// The text area to render (`&TextArea` is a ratatui widget).
    pub fn area(&self) -> &TextArea<'static> {
        &self.area
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn single_line_refuses_newlines_and_controls() {
        let mut i = LineInput::new("");
        assert!(i.key(key(KeyCode::Char('a'))));
        assert!(!i.key(key(KeyCode::Enter)));
        assert!(!i.key(key(KeyCode::Char('\u{1b}'))));
        assert!(i.paste("b\nc\u{1b}[2J"));
        assert_eq!(i.text(), "ab c[2J");
        assert!(i.key(key(KeyCode::Backspace)));
        assert_eq!(i.text(), "ab c[2");
    }

    #[test]
    fn focusing_selects_so_typing_replaces_and_arrows_keep() {
        let theme = Theme::mono();
        let mut i = LineInput::new("now");
        i.set_focused(true, &theme);
        i.key(key(KeyCode::Char('9')));
        assert_eq!(i.text(), "9");
        let mut i = LineInput::new("15");
        i.set_focused(true, &theme);
        i.key(key(KeyCode::Left));
        i.key(key(KeyCode::Char('0')));
        assert_eq!(i.text(), "105");
        let mut i = LineInput::new("+7d");
        i.set_focused(true, &theme);
        i.key(key(KeyCode::Backspace));
        assert!(i.is_empty());
    }

    #[test]
    fn paste_keeps_newlines_only_in_notes() {
        assert_eq!(clean_paste("a\r\nb\u{202e}\tc", true), "a\nb c");
        let mut note = TextArea::default();
        assert!(note_paste(&mut note, "one\r\ntwo"));
        assert_eq!(area_text(&note), "one\ntwo");
    }
}
