//! The command line (vim's `:`): type an action name, or `q`, `w`, and
//! press Enter.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Widget;

use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::input::LineInput;

/// What a command line text means.
pub fn parse_command(text: &str) -> Result<Action, String> {
    let t = text.trim().trim_start_matches(':').trim();
    match t {
        "q" | "q!" | "quit" | "exit" => Ok(Action::Quit),
        "w" | "write" => Ok(Action::Save),
        "h" | "help" => Ok(Action::Help),
        "today" => Ok(Action::GoToday),
        "peers" => Ok(Action::GoPeers),
        "" => Err("type an action name, like check-in, go-peers, help or q".into()),
        other => Action::from_name(other).ok_or_else(|| {
            let hint = Action::suggest(other)
                .map(|a| format!("; did you mean {a}?"))
                .unwrap_or_default();
            format!(
                "unknown command '{}'{hint}",
                crate::text::escape_line(other)
            )
        }),
    }
}

/// Draws the command line.
pub fn render(input: &LineInput, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let [colon, field] =
        Layout::horizontal([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    Span::styled(":", ctx.theme.key()).render(colon, buf);
    Widget::render(input.area(), field, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_map_to_actions() {
        assert_eq!(parse_command("q"), Ok(Action::Quit));
        assert_eq!(parse_command(":w"), Ok(Action::Save));
        assert_eq!(parse_command("check-in"), Ok(Action::CheckIn));
        assert!(parse_command("chekin").is_err_and(|e| e.contains("did you mean check-in")));
    }
}
