//! Drawing the Resources screen, the resource picker, the peer page's
//! Referrals tab and the take-home card popup (their state and keys are
//! in `ui::app::referral`). Every stored string is escaped and clipped to
//! its cell.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::model::choice::Choice;
use crate::ui::app::{CardPopup, ReferralsTab, ResourceList, ResourcePicker, ResourcesScreen};
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, name, private};
use crate::ui::widgets::layout::head_body;

use ratatui::widgets::{Block, Borders, Clear, Widget};

fn search_line<'a>(list: &'a ResourceList, ctx: &ViewCtx<'_>, w: usize) -> Line<'a> {
    let t = ctx.theme;
    let q = list.query.text();
    if q.is_empty() {
        Line::from(vec![
            Span::styled("Search: ", t.heading()),
            Span::styled(
                clip(
                    "type part of a name, category or address",
                    w.saturating_sub(8),
                ),
                t.dim(),
            ),
        ])
    } else {
        Line::from(vec![
            Span::styled("Search: ", t.heading()),
            Span::styled(clip(&format!("{q}▏"), w.saturating_sub(8)), t.text()),
        ])
    }
}

/// The list of entries with the selection, below a search line.
fn render_list(
    list: &ResourceList,
    ctx: &ViewCtx<'_>,
    inner: Rect,
    buf: &mut Buffer,
    detail: bool,
) {
    let t = ctx.theme;
    let w = usize::from(inner.width);
    line_at(inner, 0, search_line(list, ctx, w), buf);
    let rows = list.rows();
    // With a detail pane: the selected entry's fields take the last lines.
    let detail_lines: u16 = if detail { 5 } else { 0 };
    let list_h = inner.height.saturating_sub(2 + detail_lines);
    if list.loading && rows.is_empty() {
        line_at(
            inner,
            2,
            Line::styled("Loading the directory…", t.dim()),
            buf,
        );
        return;
    }
    if rows.is_empty() {
        let msg = if list.all.is_empty() {
            "The directory is empty; ctrl-n adds an entry."
        } else {
            "Nothing matches; keep typing or Backspace."
        };
        line_at(inner, 2, Line::styled(msg, t.dim()), buf);
        return;
    }
    let offset = list.cursor.shown(usize::from(list_h));
    for (i, r) in rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(usize::from(list_h))
    {
        let selected = i == list.cursor.selected;
        let style = if selected { t.selected() } else { t.text() };
        let cat_w = 18;
        let id_w = 6;
        let phone_w = 14;
        let name_w = w.saturating_sub(cat_w + id_w + phone_w + 6);
        let mut text = format!(
            "{}{} {} {} {}",
            if selected { "▸ " } else { "  " },
            fit(&r.id.to_string(), id_w),
            fit(&crate::text::escape_line(&r.name), name_w),
            fit(r.category.label(), cat_w),
            fit(&crate::text::escape_line(&r.phone), phone_w),
        );
        if !r.active {
            text.push_str(" (inactive)");
        }
        line_at(
            inner,
            2 + (i - offset) as u16,
            Line::styled(clip(&text, w), style),
            buf,
        );
    }
    if detail {
        if let Some(r) = list.selected() {
            let y = inner.height.saturating_sub(detail_lines);
            let field = |k: &str, v: &str| -> Line<'static> {
                Line::from(vec![
                    Span::styled(format!("{k:<12}"), t.dim()),
                    Span::styled(
                        clip(&crate::text::escape_line(v), w.saturating_sub(12)),
                        t.text(),
                    ),
                ])
            };
            line_at(inner, y, field("Address", &r.address), buf);
            line_at(inner, y + 1, field("Hours", &r.hours), buf);
            line_at(inner, y + 2, field("Eligibility", &r.eligibility), buf);
            line_at(inner, y + 3, field("Notes", &r.notes), buf);
            let card = if r.on_card() { "yes" } else { "no" };
            line_at(inner, y + 4, field("On cards", card), buf);
        }
    }
}

/// The Resources screen over the main area.
pub fn render_screen(s: &ResourcesScreen, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 4 || area.width < 20 {
        return;
    }
    let title = format!("Resources ({})", s.list.all.len());
    let inner = boxed(&title, ctx, area, buf);
    render_list(&s.list, ctx, inner, buf, true);
}

/// The picker in a box over the main area.
pub fn render_picker(p: &ResourcePicker, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 4 || area.width < 20 {
        return;
    }
    let title = format!("Refer {} to…", name(ctx, &p.peer_name));
    let inner = boxed(&title, ctx, area, buf);
    render_list(&p.list, ctx, inner, buf, false);
    if p.saving {
        let y = inner.height.saturating_sub(1);
        line_at(inner, y, Line::styled("saving…", ctx.theme.dim()), buf);
    }
}

/// The Referrals tab of the peer page.
pub fn render_referrals(tab: &ReferralsTab, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    let w = usize::from(area.width);
    if let Some(e) = &tab.error {
        line_at(
            area,
            0,
            Line::styled(
                clip(&format!("Could not load referrals: {e}"), w),
                t.error(),
            ),
            buf,
        );
        return;
    }
    if tab.rows.is_empty() {
        line_at(
            area,
            0,
            Line::styled("No referrals yet; f refers to a resource.", t.dim()),
            buf,
        );
        return;
    }
    let head = format!(
        "  {} {} {} {} {}",
        fit("Id", 6),
        fit("Made", 10),
        fit("Resource", 28),
        fit("Status", 12),
        "Last change"
    );
    line_at(area, 0, Line::styled(clip(&head, w), t.heading()), buf);
    // The selected referral's history, in full, below the list.
    let history: Vec<String> = tab
        .selected()
        .map(|row| {
            row.referral
                .history
                .iter()
                .rev()
                .take(5)
                .map(|u| {
                    let note = if u.note.is_empty() {
                        String::new()
                    } else {
                        // The selected referral's: the reveal key shows it.
                        format!(
                            " — {}",
                            crate::text::escape_line(&private(ctx, &u.note, true))
                        )
                    };
                    format!("  {} {}{note}", u.date, u.status.label())
                })
                .collect()
        })
        .unwrap_or_default();
    let detail = if history.is_empty() {
        0
    } else {
        history.len() + 1
    };
    let h = usize::from(area.height.saturating_sub(1)).saturating_sub(detail);
    let offset = tab.cursor.shown(h);
    for (i, row) in tab.rows.iter().enumerate().skip(offset).take(h) {
        let r = &row.referral;
        let selected = i == tab.cursor.selected;
        let style = if selected { t.selected() } else { t.text() };
        let text = format!(
            "{}{} {} {} {} {}",
            if selected { "▸ " } else { "  " },
            fit(&r.id.to_string(), 6),
            r.date,
            fit(&crate::text::escape_line(&row.resource), 28),
            fit(r.status().label(), 12),
            r.last_update(),
        );
        line_at(
            area,
            1 + (i - offset) as u16,
            Line::styled(clip(&text, w), style),
            buf,
        );
    }
    if detail > 0 {
        let y = area.height.saturating_sub(detail as u16);
        line_at(
            area,
            y,
            Line::styled("History (newest first)", t.heading()),
            buf,
        );
        for (i, l) in history.iter().enumerate() {
            line_at(
                area,
                y + 1 + i as u16,
                Line::styled(clip(l, w), t.text()),
                buf,
            );
        }
    }
}

/// The card in a box over the main area, scrolled.
pub fn render_card(c: &CardPopup, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 4 || area.width < 20 {
        return;
    }
    let t = ctx.theme;
    let inner = boxed("Take-home card", ctx, area, buf);
    let w = usize::from(inner.width);
    let (path_area, below) = head_body(inner);
    let body = if c.path.is_some() { below } else { inner };
    if let Some(p) = &c.path {
        Line::from(vec![
            Span::styled("Write to file: ", t.heading()),
            Span::styled(
                clip(&format!("{}▏", p.text()), w.saturating_sub(15)),
                t.text(),
            ),
        ])
        .render(path_area, buf);
    }
    match &c.text {
        None => line_at(body, 0, Line::styled("Loading the card…", t.dim()), buf),
        Some(Err(e)) => line_at(
            body,
            0,
            Line::styled(clip(&format!("Could not make the card: {e}"), w), t.error()),
            buf,
        ),
        Some(Ok(_)) => {
            let lines = c.lines();
            let h = usize::from(body.height);
            let start = c.scroll.shown(h, lines.len());
            let shown = name(ctx, &c.peer_name);
            for (i, l) in lines.iter().skip(start).take(h).enumerate() {
                // Privacy mode: the peer's name as initials on screen too
                // (the saved file keeps it).
                let l = if ctx.privacy && !c.peer_name.is_empty() {
                    l.replace(c.peer_name.as_str(), &shown)
                } else {
                    l.to_string()
                };
                line_at(body, i as u16, Line::styled(clip(&l, w), t.text()), buf);
            }
        }
    }
}

/// Draws `lines` in a bordered box titled `title` over `area`
/// (cleared first), returning the inner area.
pub(crate) fn boxed(title: &str, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) -> Rect {
    let t = ctx.theme;
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Span::styled(
            clip(
                &format!(" {title} "),
                usize::from(area.width.saturating_sub(2)),
            ),
            t.heading(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Draws one line at row `y` of `area` (nothing outside it).
pub(crate) fn line_at(area: Rect, y: u16, line: Line<'_>, buf: &mut Buffer) {
    if let Some(row) = area.rows().nth(usize::from(y)) {
        line.render(row, buf);
    }
}
