//! The help overlay, generated from the active keymap so it can never
//! disagree with it. It also lists every keymap problem in full.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::ui::action::Action;
use crate::ui::keymap::{sequence_label, Context, Keymap};
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, clip_left};
use crate::ui::widgets::list::{draw_lines, TextScroll};

/// State of the help overlay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    /// First visible line, and what the last draw showed.
    pub scroll: TextScroll,
}

impl HelpState {
    /// Scrolls by what the last draw showed; returns false for actions
    /// that are not scrolling.
    pub fn handle(&mut self, action: Action) -> bool {
        self.scroll.apply(action)
    }
}

/// Every binding of one context, one line per action: keys, then what the
/// action does.
pub fn binding_lines(keymap: &Keymap, ctx: Context) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let mut by_action: Vec<(Action, Vec<String>)> = Vec::new();
    for (keys, action) in keymap.bindings(ctx) {
        let label = sequence_label(&keys);
        match by_action.iter_mut().find(|(a, _)| *a == action) {
            Some((_, v)) => v.push(label),
            None => by_action.push((action, vec![label])),
        }
    }
    for (action, keys) in by_action {
        out.push((keys.join(", "), action.describe()));
    }
    out
}

/// The overlay's lines at width `w`.
pub fn lines(keymap: &Keymap, ctx: &ViewCtx<'_>, w: usize) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut out = Vec::new();
    if !keymap.problems.is_empty() {
        out.push(Line::styled(
            format!(
                "Keymap problems ({}) — defaults are used for these:",
                keymap.problems.len()
            ),
            t.error(),
        ));
        for p in &keymap.problems {
            out.push(Line::styled(clip(&format!("  {p}"), w), t.error()));
        }
        out.push(Line::raw(""));
    }
    let sources = keymap.sources.join(" + ");
    out.push(Line::from(vec![
        Span::styled("Keymap: ", t.dim()),
        Span::styled(clip_left(&sources, w.saturating_sub(8)), t.dim()),
    ]));
    let all: Vec<(Context, Vec<(String, &'static str)>)> = Context::ALL
        .iter()
        .map(|c| (*c, binding_lines(keymap, *c)))
        .collect();
    let widest = all
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(k, _)| crate::text::width(k)))
        .max()
        .unwrap_or(0);
    let key_w = widest.clamp(8, (w / 2).max(8));
    for (context, rows) in all {
        if rows.is_empty() {
            continue;
        }
        out.push(Line::raw(""));
        out.push(Line::styled(context.title().to_string(), t.heading()));
        for (keys, what) in rows {
            let keys_shown = crate::ui::widgets::cells::fit(&keys, key_w);
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(keys_shown, t.key()),
                Span::raw(" "),
                Span::raw(clip(what, w.saturating_sub(key_w + 3))),
            ]));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        clip(
            "In text fields, printable keys type text unless bound under \"Text fields\".",
            w,
        ),
        t.dim(),
    ));
    out
}

/// The overlay's box inside `area`.
pub fn overlay_area(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(84);
    let height = area.height.saturating_sub(2);
    crate::ui::widgets::layout::centered(area, width, height)
}

/// Draws the help overlay over `area`.
pub fn render(state: &HelpState, keymap: &Keymap, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let boxed = overlay_area(area);
    if boxed.width < 10 || boxed.height < 3 {
        return;
    }
    Clear.render(boxed, buf);
    let close = keymap
        .key_for(&[Context::List, Context::Global], false, Action::Back)
        .or_else(|| keymap.key_for(&[Context::List, Context::Global], false, Action::Help))
        .unwrap_or_else(|| "?".into());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.focus())
        .title(clip(
            &format!(" Help: keys of the active keymap ({close} closes) "),
            usize::from(boxed.width.saturating_sub(2)),
        ));
    let inner = block.inner(boxed);
    block.render(boxed, buf);
    let all = lines(keymap, ctx, usize::from(inner.width));
    let top = state.scroll.shown(usize::from(inner.height), all.len());
    draw_lines(all.into_iter().skip(top), inner, buf);
}
