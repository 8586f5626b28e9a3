//! The title bar: organization, the panes (active one marked), and the
//! "DEMO DATA" badge when the store holds generated data.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::clip;

/// Draws the title bar. `panes` are (label, active).
pub fn render(
    org: &str,
    panes: &[(String, bool)],
    demo: bool,
    ctx: &ViewCtx<'_>,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = ctx.theme;
    buf.set_style(area, t.title());
    let w = usize::from(area.width);
    let badge = if demo { " DEMO DATA " } else { "" };
    let badge_w = badge.len();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let org_shown = clip(org, 24);
    let head = if org_shown.is_empty() {
        " caseload ".to_string()
    } else {
        format!(" caseload · {org_shown} ")
    };
    let mut used = crate::text::width(&head);
    spans.push(Span::styled(head, t.title()));
    for (label, active) in panes {
        let text = clip(label, 30);
        let piece = crate::text::width(&text) + 3;
        if used + piece + badge_w > w {
            break;
        }
        let style = if *active {
            t.title().patch(t.tab_active())
        } else {
            t.title()
        };
        spans.push(Span::styled(" │ ", t.title()));
        spans.push(Span::styled(text, style));
        used += piece;
    }
    Line::from(spans).render(area, buf);
    if demo && w > badge_w {
        let [_, badge_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(badge_w as u16)])
                .areas(area);
        Span::styled(badge, t.badge()).render(badge_area, buf);
    }
}
