//! One key press, normalized so that a key written in a keymap file and the
//! same key reported by the terminal compare equal.
//!
//! Written forms: `c`, `G`, `?`, `ctrl-s` (also `C-s`), `alt-x` (`A-x`),
//! `shift-tab` (`S-tab`, `backtab`), `enter`, `esc`, `tab`, `space`,
//! `backspace`, `delete`, `insert`, `home`, `end`, `pageup`, `pagedown`,
//! `up`, `down`, `left`, `right`, `f1`…`f12`. A sequence is keys separated
//! by spaces: `g g`.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A normalized key press: upper-case letters carry no Shift, Shift-Tab is
/// `BackTab`, and only Ctrl and Alt (and Shift on non-character keys) are
/// kept as modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key itself.
    pub code: KeyCode,
    /// Ctrl, Alt, and Shift for keys without a character.
    pub mods: KeyModifiers,
}

impl Key {
    /// A key with modifiers, normalized.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// A plain character key.
    pub const fn char(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::NONE,
        }
    }

    /// The key of a terminal event.
    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    /// True for keys that type a character (no Ctrl or Alt): in a text
    /// field they type text unless the field's context binds them.
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(c) if !c.is_control())
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Parses one key as written in a keymap file.
    pub fn parse(text: &str) -> Result<Key, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty key name".into());
        }
        // A single character is that key, even '-'.
        let mut chars = t.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::char(c));
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = t;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else if rest.len() > 2
                && matches!(
                    rest.as_bytes().get(..2),
                    Some(b"C-" | b"A-" | b"S-" | b"c-" | b"a-" | b"s-")
                )
            {
                let m = match rest.as_bytes()[0].to_ascii_uppercase() {
                    b'C' => KeyModifiers::CONTROL,
                    b'A' => KeyModifiers::ALT,
                    _ => KeyModifiers::SHIFT,
                };
                (m, 2)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let code = name_to_code(rest).ok_or_else(|| format!("unknown key name '{t}'"))?;
        let code = match code {
            // shift-a is A; ctrl-A stays ctrl with the upper-case letter.
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
            }
            other => other,
        };
        Ok(Key::new(code, mods))
    }
}

impl Key {
    /// A total order for sorted maps and help listings (crossterm's key
    /// codes are not `Ord`): characters, then function keys, then named keys.
    fn rank(&self) -> (u8, u32, u8) {
        let (group, n) = match self.code {
            KeyCode::Char(c) => (0, c as u32),
            KeyCode::F(n) => (1, u32::from(n)),
            KeyCode::Enter => (2, 0),
            KeyCode::Esc => (2, 1),
            KeyCode::Tab => (2, 2),
            KeyCode::BackTab => (2, 3),
            KeyCode::Backspace => (2, 4),
            KeyCode::Delete => (2, 5),
            KeyCode::Insert => (2, 6),
            KeyCode::Home => (2, 7),
            KeyCode::End => (2, 8),
            KeyCode::PageUp => (2, 9),
            KeyCode::PageDown => (2, 10),
            KeyCode::Up => (2, 11),
            KeyCode::Down => (2, 12),
            KeyCode::Left => (2, 13),
            KeyCode::Right => (2, 14),
            _ => (3, 0),
        };
        (group, n, self.mods.bits())
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank()).then_with(|| {
            if self == other {
                std::cmp::Ordering::Equal
            } else {
                // Rare keys (media, modifiers) never appear in keymap files;
                // order them by their debug text so Ord agrees with Eq.
                format!("{:?}", self.code).cmp(&format!("{:?}", other.code))
            }
        })
    }
}

fn name_to_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "enter" | "return" | "ret" | "cr" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" | "spc" => KeyCode::Char(' '),
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" | "page-up" => KeyCode::PageUp,
        "pagedown" | "pgdn" | "page-down" => KeyCode::PageDown,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "minus" => KeyCode::Char('-'),
        "hash" => KeyCode::Char('#'),
        _ => {
            let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
            if (1..=24).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
    })
}

/// Parses a key or a space-separated sequence of keys (`g g`).
pub fn parse_sequence(text: &str) -> Result<Vec<Key>, String> {
    let keys: Vec<&str> = text.split_whitespace().collect();
    if keys.is_empty() {
        return Err(if text.is_empty() {
            "empty key name".to_string()
        } else {
            "a lone space is written `space`".to_string()
        });
    }
    if keys.len() > 4 {
        return Err(format!("'{text}' is longer than 4 keys"));
    }
    keys.into_iter().map(Key::parse).collect()
}

/// A sequence as shown in help: keys joined by spaces.
pub fn sequence_label(keys: &[Key]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if c.is_control() => write!(f, "U+{:04X}", c as u32),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_forms_normalize_like_terminal_events() {
        let ctrl_s = Key::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(Key::parse("ctrl-s"), Ok(ctrl_s));
        assert_eq!(Key::parse("C-s"), Ok(ctrl_s));
        assert_eq!(Key::parse("Ctrl-S").map(|k| k.code), Ok(KeyCode::Char('S')));
        let backtab = Key::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::parse("shift-tab"), Ok(backtab));
        assert_eq!(Key::parse("backtab"), Ok(backtab));
        assert_eq!(Key::parse("G"), Key::parse("shift-g"));
        assert_eq!(
            Key::from_event(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Key::char('G')
        );
        assert_eq!(Key::parse("space"), Ok(Key::char(' ')));
        assert_eq!(Key::parse("-"), Ok(Key::char('-')));
        assert_eq!(Key::parse("F5").map(|k| k.code), Ok(KeyCode::F(5)));
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(Key::parse("ctrl-foo").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("").is_err());
        assert!(parse_sequence(" ").is_err());
        assert_eq!(parse_sequence("g g").map(|s| s.len()), Ok(2));
    }

    #[test]
    fn labels_read_well() {
        assert_eq!(
            Key::parse("ctrl-s").map(|k| k.to_string()),
            Ok("Ctrl-s".into())
        );
        assert_eq!(
            Key::parse("shift-tab").map(|k| k.to_string()),
            Ok("Shift-Tab".into())
        );
        let seq = parse_sequence("g g").unwrap_or_default();
        assert_eq!(sequence_label(&seq), "g g");
    }

    #[test]
    fn printable_means_plain_characters() {
        assert!(Key::char('q').is_printable());
        assert!(Key::char('Q').is_printable());
        assert!(!Key::parse("ctrl-q").is_ok_and(|k| k.is_printable()));
        assert!(!Key::parse("enter").is_ok_and(|k| k.is_printable()));
    }
}
