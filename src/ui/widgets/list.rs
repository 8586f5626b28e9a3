//! A selection and scroll position for any list, kept in state so that
//! scrolling is stable (the view moves only when the selection would leave
//! it) and testable without a terminal.

use crate::ui::action::Action;

/// Selected row and first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// Index of the selected row.
    pub selected: usize,
    /// Index of the first visible row.
    pub offset: usize,
}

impl ListCursor {
    /// Applies a movement action over `len` rows with `height` visible.
    /// Returns false for actions that are not movements.
    pub fn apply(&mut self, action: Action, len: usize, height: usize) -> bool {
        let Some(to) = moved(action, self.selected, len, height) else {
            return false;
        };
        self.selected = to;
        self.scroll_into_view(height);
        true
    }

    /// Selects `index` (clamped) and scrolls to it.
    pub fn select(&mut self, index: usize, len: usize, height: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.scroll_into_view(height);
    }

    /// Keeps the selection inside `len` rows after the list changed.
    pub fn clamp(&mut self, len: usize, height: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.scroll_into_view(height);
    }

    /// Moves the offset as little as possible so the selection is visible.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.offset = visible_offset(self.selected, self.offset, height);
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
            c.apply(Action::PageDown, 1000, height);
            let top = scrolled(Action::PageDown, 0, height, 1000).unwrap_or_default();
            assert_eq!(c.selected, top, "height {height}");
            assert_eq!(top, page_step(height));
        }
        assert_eq!(page_step(0), 1, "a page always moves");
    }

    #[test]
    fn moves_and_scrolls_minimally() {
        let mut c = ListCursor::default();
        for _ in 0..5 {
            c.apply(Action::Down, 10, 3);
        }
        assert_eq!(
            c,
            ListCursor {
                selected: 5,
                offset: 3
            }
        );
        c.apply(Action::Up, 10, 3);
        assert_eq!(
            c,
            ListCursor {
                selected: 4,
                offset: 3
            }
        );
        c.apply(Action::Bottom, 10, 3);
        assert_eq!(
            c,
            ListCursor {
                selected: 9,
                offset: 7
            }
        );
        c.apply(Action::PageUp, 10, 3);
        assert_eq!(c.selected, 7, "a page is the visible rows less one");
        assert!(!c.apply(Action::Open, 10, 3));
        c.apply(Action::Down, 0, 3);
        assert_eq!(c.selected, 0);
    }
}
