//! A selection and scroll position for any list, kept in state so that
//! scrolling is stable (the view moves only when the selection would leave
//! it) and testable without a terminal.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{
    List, ListItem, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget,
};

use crate::ui::action::Action;

/// How many rows a list or text view showed when it was last drawn. The
/// view writes it while drawing (through `&self`, hence the `Cell`), and
/// the actions read it, so update never recomputes the screen's geometry
/// and cannot disagree with what the user saw. Zero until the first draw.
/// A text view also records how many lines its text had at that width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewport {
    rows: Cell<usize>,
    lines: Cell<usize>,
}

impl Viewport {
    /// Rows visible at the last draw (0 before the first).
    pub fn rows(&self) -> usize {
        self.rows.get()
    }

    /// Lines of text at the last draw of a text view (0 before the first).
    pub fn lines(&self) -> usize {
        self.lines.get()
    }

    /// Records the rows the view is drawing now.
    pub fn record(&self, rows: usize) {
        self.rows.set(rows);
    }

    /// Records the rows a text view is drawing now and its line count.
    pub fn record_text(&self, rows: usize, lines: usize) {
        self.rows.set(rows);
        self.lines.set(lines);
    }
}

/// Selected row and first visible row, and the rows the last draw showed:
/// the one cursor every list uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// Index of the selected row.
    pub selected: usize,
    /// Index of the first visible row.
    pub offset: usize,
    /// Rows visible at the last draw.
    pub view: Viewport,
}

impl ListCursor {
    /// A cursor on `selected` with `offset` as its first visible row.
    pub fn at(selected: usize, offset: usize) -> Self {
        Self {
            selected,
            offset,
            view: Viewport::default(),
        }
    }

    /// Applies a movement action over `len` rows, paging by what the last
    /// draw showed. Returns false for actions that are not movements.
    pub fn apply(&mut self, action: Action, len: usize) -> bool {
        let Some(to) = moved(action, self.selected, len, self.view.rows()) else {
            return false;
        };
        self.selected = to;
        self.scroll_into_view();
        true
    }

    /// Selects `index` (clamped) and scrolls to it.
    pub fn select(&mut self, index: usize, len: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.scroll_into_view();
    }

    /// Keeps the selection inside `len` rows after the list changed.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.scroll_into_view();
    }

    /// Moves the offset as little as possible so the selection is visible
    /// in the rows of the last draw (before any draw, only upwards: the
    /// first draw scrolls down as far as it needs).
    pub fn scroll_into_view(&mut self) {
        self.offset = follow(self.selected, self.offset, self.view.rows());
    }

    /// For the view: records that it shows `rows` rows now and returns the
    /// first row to draw, so the selection is in sight even right after a
    /// resize.
    pub fn shown(&self, rows: usize) -> usize {
        self.view.record(rows);
        visible_offset(self.selected, self.offset, rows)
    }
}

/// The top line of a scrolled text view (help, the peer page, a card, the
/// Credentials and Reports figures, the import report) and what its last
/// draw showed: the one scroll type every text view uses, paging by the
/// same rule as lists ([`scrolled`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextScroll {
    /// First line shown.
    pub top: usize,
    /// Rows shown, and lines in all, at the last draw.
    pub view: Viewport,
}

impl TextScroll {
    /// Applies a movement action by the rows and lines of the last draw.
    /// Returns false for actions that are not movements.
    pub fn apply(&mut self, action: Action) -> bool {
        match scrolled(action, self.top, self.view.rows(), self.view.lines()) {
            Some(top) => {
                self.top = top;
                true
            }
            None => false,
        }
    }

    /// Back to the first line (new text).
    pub fn reset(&mut self) {
        self.top = 0;
    }

    /// For the view: records that it shows `rows` rows of `lines` lines
    /// now and returns the first line to draw (never past the last page,
    /// also right after the window grew).
    pub fn shown(&self, rows: usize, lines: usize) -> usize {
        self.view.record_text(rows, lines);
        self.top.min(lines.saturating_sub(rows))
    }
}

/// Where a movement action takes the selection at `pos` in a list of `len`
/// rows with `height` visible, or None when the action is not a movement.
/// Every list moves by this one rule.
pub fn moved(action: Action, pos: usize, len: usize, height: usize) -> Option<usize> {
    let page = page_step(height);
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Up => pos.saturating_sub(1),
        Action::Down => (pos + 1).min(last),
        Action::PageUp => pos.saturating_sub(page),
        Action::PageDown => (pos + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

/// How far page up and page down move with `height` rows visible, in
/// every list and text view alike: a screenful less one row, so the row
/// at the edge stays in sight as context.
pub fn page_step(height: usize) -> usize {
    height.saturating_sub(1).max(1)
}

/// The first visible row that shows `selected`, moving `offset` as little
/// as possible. Pure, so views can use it after a resize without mutating.
pub fn visible_offset(selected: usize, offset: usize, height: usize) -> usize {
    let h = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + h {
        selected + 1 - h
    } else {
        offset
    }
}

/// Draws `lines` one to a row from the top of `area`, as many as fit,
/// with ratatui's `List`; each line fills its row (a styled line colours
/// the whole row, as a selected list row should). The rows are already
/// the visible ones (the cursor chose the first), so the list keeps no
/// state of its own. The one row loop every list and text view draws with.
pub fn draw_lines<'a>(lines: impl IntoIterator<Item = Line<'a>>, area: Rect, buf: &mut Buffer) {
    let rows = usize::from(area.height);
    let items: Vec<ListItem<'a>> = lines.into_iter().take(rows).map(ListItem::new).collect();
    Widget::render(List::new(items), area, buf);
}

/// Draws ratatui's vertical `Scrollbar` on the right edge of `area` when
/// `len` rows do not fit in it, so a long list shows where in it the user
/// is and that there is more; a list that fits gets none (and keeps its
/// last column). `offset` is the first row drawn.
pub fn scrollbar(area: Rect, buf: &mut Buffer, len: usize, offset: usize, style: Style) {
    let rows = usize::from(area.height);
    if len <= rows || area.width == 0 {
        return;
    }
    let mut state = ScrollbarState::new(len - rows + 1)
        .position(offset)
        .viewport_content_length(rows);
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .style(style)
        .render(area, buf, &mut state);
}

/// Like [`visible_offset`] with the rows of the last draw, `rows` 0 meaning
/// "not drawn yet": then the offset only follows the selection upwards, and
/// the first draw scrolls down as far as it needs. State methods use this,
/// views use `visible_offset` with the rows they draw.
pub fn follow(selected: usize, offset: usize, rows: usize) -> usize {
    match rows {
        0 => offset.min(selected),
        rows => visible_offset(selected, offset, rows),
    }
}

/// The new top line of a scrolled text view after a movement action, or
/// `None` when the action is not a movement. `height` is the number of
/// visible lines and `total` the number of lines.
pub fn scrolled(action: Action, scroll: usize, height: usize, total: usize) -> Option<usize> {
    let max = total.saturating_sub(height);
    let page = page_step(height);
    Some(match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => (scroll + 1).min(max),
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => (scroll + page).min(max),
        Action::Top => 0,
        Action::Bottom => max,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_text_views_page_by_the_same_rule() {
        for height in [1, 2, 5, 20] {
            let mut c = ListCursor::default();
            c.view.record(height);
            c.apply(Action::PageDown, 1000);
            let top = scrolled(Action::PageDown, 0, height, 1000).unwrap_or_default();
            assert_eq!(c.selected, top, "height {height}");
            assert_eq!(top, page_step(height));
        }
        assert_eq!(page_step(0), 1, "a page always moves");
    }

    #[test]
    fn moves_and_scrolls_minimally() {
        let mut c = ListCursor::default();
        c.view.record(3);
        for _ in 0..5 {
            c.apply(Action::Down, 10);
        }
        assert_eq!((c.selected, c.offset), (5, 3));
        c.apply(Action::Up, 10);
        assert_eq!((c.selected, c.offset), (4, 3));
        c.apply(Action::Bottom, 10);
        assert_eq!((c.selected, c.offset), (9, 7));
        c.apply(Action::PageUp, 10);
        assert_eq!(c.selected, 7, "a page is the visible rows less one");
        assert!(!c.apply(Action::Open, 10));
        c.apply(Action::Down, 0);
        assert_eq!(c.selected, 0);
    }

    #[test]
    fn paging_follows_the_last_draw() {
        let mut c = ListCursor::default();
        assert_eq!(c.shown(10), 0);
        c.apply(Action::PageDown, 100);
        assert_eq!(c.selected, 9, "ten rows drawn: a page is nine");
        // The window shrank: the next draw records four rows and scrolls.
        assert_eq!(c.shown(4), 6);
        c.apply(Action::PageDown, 100);
        assert_eq!(c.selected, 12, "four rows drawn: a page is three");
        assert_eq!(c.offset, 9);
    }

    #[test]
    fn text_scrolls_by_the_last_draw_and_stops_at_the_last_page() {
        let mut s = TextScroll::default();
        assert_eq!(s.shown(10, 25), 0);
        assert!(s.apply(Action::PageDown));
        assert_eq!(s.top, 9, "a page is the rows drawn less one");
        assert!(s.apply(Action::PageDown));
        assert_eq!(s.top, 15, "no further than the last page");
        assert_eq!(s.shown(20, 25), 5, "a taller window shows the last page");
        assert!(!s.apply(Action::Open));
        s.reset();
        assert_eq!(s.top, 0);
    }

    #[test]
    fn before_any_draw_the_offset_only_follows_upwards() {
        let mut c = ListCursor::at(5, 5);
        c.apply(Action::Down, 100);
        assert_eq!((c.selected, c.offset), (6, 5));
        c.select(2, 100);
        assert_eq!((c.selected, c.offset), (2, 2));
    }
}
