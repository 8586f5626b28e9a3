//! A small theme: a handful of styles used by every view.
//!
//! Selection and emphasis always carry a modifier (reverse, bold,
//! underline), so the UI stays usable on a monochrome terminal or with
//! `NO_COLOR`; colours are only the 8 basic ANSI ones, readable on the
//! Linux console (TERM=linux, 16 colours).

use ratatui::style::{Color, Modifier, Style};

/// The styles views draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours may be used at all.
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (to anything non-empty, per
    /// no-color.org) or the terminal is `dumb`.
    pub fn from_env() -> Theme {
        Theme::for_env(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }

    /// The theme for given `NO_COLOR` and `TERM` values (pure, for tests).
    pub fn for_env(no_color: Option<&std::ffi::OsStr>, term: Option<&str>) -> Theme {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        let dumb = term == Some("dumb");
        Theme {
            color: !(no_color || dumb),
        }
    }

    /// A theme without colours (tests, monochrome).
    pub fn mono() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, style: Style, color: Color) -> Style {
        if self.color {
            style.fg(color)
        } else {
            style
        }
    }

    /// Plain text.
    pub fn text(&self) -> Style {
        Style::default()
    }

    /// The title bar.
    pub fn title(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color {
            s.fg(Color::Black).bg(Color::Cyan)
        } else {
            s.add_modifier(Modifier::REVERSED)
        }
    }

    /// The active tab in the title bar.
    pub fn tab_active(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Section headings.
    pub fn heading(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    /// The selected row: reverse video, so it shows without colour.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Characters that matched a search.
    pub fn matched(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Color::Yellow,
        )
    }

    /// Secondary information.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    /// Errors and problems.
    pub fn error(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Red)
    }

    /// Confirmations.
    pub fn ok(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Green)
    }

    /// The "DEMO DATA" badge.
    pub fn badge(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color {
            s.fg(Color::White).bg(Color::Red)
        } else {
            s.add_modifier(Modifier::REVERSED)
        }
    }

    /// Borders of unfocused boxes.
    pub fn border(&self) -> Style {
        self.dim()
    }

    /// Borders and labels of the focused field.
    pub fn focus(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// Key names in hints and help.
    pub fn key(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_and_dumb_terminals_get_no_colour() {
        assert!(!Theme::for_env(Some(OsStr::new("1")), Some("xterm")).color);
        assert!(Theme::for_env(Some(OsStr::new("")), Some("xterm")).color);
        assert!(!Theme::for_env(None, Some("dumb")).color);
        assert!(Theme::for_env(None, Some("linux")).color);
    }

    #[test]
    fn emphasis_never_relies_on_colour_alone() {
        for theme in [Theme { color: true }, Theme::mono()] {
            assert!(theme.selected().add_modifier.contains(Modifier::REVERSED));
            assert!(theme.matched().add_modifier.contains(Modifier::UNDERLINED));
            assert!(theme.error().add_modifier.contains(Modifier::BOLD));
            assert!(theme.focus().add_modifier.contains(Modifier::BOLD));
        }
        let mono = Theme::mono();
        for style in [
            mono.title(),
            mono.heading(),
            mono.selected(),
            mono.matched(),
            mono.dim(),
            mono.error(),
            mono.badge(),
        ] {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
    }

    #[test]
    fn colours_are_the_basic_sixteen() {
        let t = Theme { color: true };
        for style in [
            t.title(),
            t.heading(),
            t.matched(),
            t.dim(),
            t.error(),
            t.ok(),
            t.badge(),
            t.focus(),
            t.key(),
        ] {
            for c in [style.fg, style.bg].into_iter().flatten() {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
            }
        }
    }
}
