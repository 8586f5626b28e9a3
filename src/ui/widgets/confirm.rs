//! A yes/no question in a small box, answered through the `confirm`
//! keymap context.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::layout::centered;

/// What answering yes does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnYes {
    /// Throw the form away and quit.
    DiscardAndQuit,
    /// Throw the form away and close it.
    DiscardForm,
    /// Close the open goal, step, review, entry or group form unsaved.
    DiscardPopup,
    /// Close the form the question was asked over, unsaved (the forms
    /// that are layers of their own: peer, staff, resource, referral).
    DiscardBelow,
    /// Leave the session screen without saving its attendance.
    DiscardAttendance,
    /// Delete the step or wellness-plan entry asked about.
    Delete,
    /// Quit, throwing away an open form or unsaved attendance.
    QuitUnsaved,
    /// Stop the assessment being taken, nothing saved.
    DiscardAssessment,
    /// Save the check-in although it is dated in the future or the peer
    /// is not active.
    SaveAnyway,
}

/// A pending question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The question (plain words, already escaped where needed).
    pub question: String,
    /// What yes does.
    pub on_yes: OnYes,
}

/// Draws the question over `area`.
pub fn render(c: &Confirm, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    let width = area.width.saturating_sub(4).min(60);
    // The question wrapped inside the borders, a blank line and the keys:
    // the box grows so that nothing of the question is cut.
    let lines = wrapped_lines(&c.question, usize::from(width.saturating_sub(2)));
    let height = (lines as u16 + 4).min(area.height);
    let boxed = centered(area, width, height);
    Clear.render(boxed, buf);
    let chain = [Context::Confirm];
    let yes = ctx
        .keymap
        .key_for(&chain, false, Action::Yes)
        .unwrap_or_else(|| "?".into());
    let no = ctx
        .keymap
        .key_for(&chain, false, Action::No)
        .unwrap_or_else(|| "?".into());
    let (yes_words, no_words) = match c.on_yes {
        OnYes::DiscardAndQuit | OnYes::QuitUnsaved => ("discard and quit", "keep editing"),
        OnYes::DiscardForm
        | OnYes::DiscardPopup
        | OnYes::DiscardBelow
        | OnYes::DiscardAttendance => ("discard", "keep editing"),
        OnYes::Delete => ("delete", "keep it"),
        OnYes::DiscardAssessment => ("stop, nothing saved", "go on"),
        OnYes::SaveAnyway => ("save anyway", "back to the form"),
    };
    let title = match c.on_yes {
        OnYes::DiscardAndQuit | OnYes::DiscardForm => " Unsaved check-in ",
        OnYes::DiscardPopup | OnYes::DiscardBelow => " Unsaved form ",
        OnYes::QuitUnsaved => " Unsaved changes ",
        OnYes::DiscardAttendance => " Unsaved attendance ",
        OnYes::Delete => " Delete? ",
        OnYes::DiscardAssessment => " Stop the assessment? ",
        OnYes::SaveAnyway => " Check before saving ",
    };
    let text = vec![
        Line::raw(c.question.clone()),
        Line::raw(""),
        Line::styled(format!("{yes}: {yes_words}    {no}: {no_words}"), t.key()),
    ];
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.error())
                .title(title),
        )
        .render(boxed, buf);
}

/// How many lines `text` takes when word-wrapped at `w` columns (as the
/// paragraph below wraps it; a word longer than a line is broken).
pub fn wrapped_lines(text: &str, w: usize) -> usize {
    let w = w.max(1);
    let mut lines = 0;
    for para in text.split('\n') {
        let mut used = 0usize;
        lines += 1;
        for word in para.split_whitespace() {
            let n = crate::text::width(word);
            let need = if used == 0 { n } else { used + 1 + n };
            if need <= w {
                used = need;
            } else {
                lines += (used > 0) as usize;
                lines += n.saturating_sub(1) / w;
                used = if n % w == 0 { w } else { n % w };
            }
        }
    }
    lines.max(1)
}
