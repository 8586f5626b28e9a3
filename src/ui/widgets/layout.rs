//! Shared layout helpers over ratatui's `Layout`, so screens do not do
//! rectangle arithmetic by hand.

use ratatui::layout::{Constraint, Layout, Rect};

/// A `width`×`height` box centred in `area` (both clamped to it), as every
/// dialog, question and gate box is placed. ratatui's `Flex::Center` puts
/// an odd margin's extra cell on the left and top; the UI has always put
/// it on the right and bottom, so the margins are given as lengths.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    placed(area, width, height, 2)
}

/// A `width`×`height` box centred across `area` with a third of the space
/// left above it and two thirds below, where forms sit (closer to the
/// title than to the hints).
pub fn upper_third(area: Rect, width: u16, height: u16) -> Rect {
    placed(area, width, height, 3)
}

/// Centred across; `1/above` of the free rows above the box.
fn placed(area: Rect, width: u16, height: u16, above: u16) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    let [_, row, _] = Layout::vertical([
        Constraint::Length((area.height - height) / above),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, boxed, _] = Layout::horizontal([
        Constraint::Length((area.width - width) / 2),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(row);
    boxed
}

/// The line at the top of `area` and the rest below it: the heading and
/// body split most panes start with.
pub fn head_body(area: Rect) -> (Rect, Rect) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    (head, body)
}

/// The first `width` columns of `area` (clamped to it) and the columns
/// after them: a label and its field, a field and its hint.
pub fn split_cols(area: Rect, width: u16) -> (Rect, Rect) {
    let [left, rest] =
        Layout::horizontal([Constraint::Length(width), Constraint::Fill(1)]).areas(area);
    (left, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centred_boxes_put_an_odd_margin_where_hand_arithmetic_did() {
        for (aw, ah, w, h) in [
            (80, 24, 51, 7),
            (80, 24, 50, 8),
            (120, 40, 61, 9),
            (41, 13, 20, 4),
        ] {
            let area = Rect::new(0, 1, aw, ah);
            let by_hand = Rect {
                x: area.x + (aw - w) / 2,
                y: area.y + (ah - h) / 2,
                width: w,
                height: h,
            };
            assert_eq!(centered(area, w, h), by_hand, "{aw}x{ah} box {w}x{h}");
            let third = Rect {
                y: area.y + (ah - h) / 3,
                ..by_hand
            };
            assert_eq!(upper_third(area, w, h), third, "{aw}x{ah} form {w}x{h}");
        }
        assert_eq!(
            centered(Rect::new(0, 0, 10, 5), 20, 9),
            Rect::new(0, 0, 10, 5)
        );
    }
}
