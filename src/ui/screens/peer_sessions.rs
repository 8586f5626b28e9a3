//! The sessions a peer attended, newest first, for the peer page's
//! overview under the per-group counts: the per-peer half of group history
//! (the Groups screen has the per-group half).

use chrono::Datelike;
use ratatui::text::Line;

use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::clip;
use crate::ui::worker::PeerDetail;

/// Most sessions listed on the peer page.
pub const SHOWN: usize = 12;

/// The lines: a heading and one line per session (date, weekday, group,
/// topic).
pub fn lines(d: &PeerDetail, ctx: &ViewCtx<'_>, w: usize) -> Vec<Line<'static>> {
    let sessions = &d.overview.sessions;
    let mut out = Vec::new();
    if sessions.is_empty() {
        return out;
    }
    let more = sessions.len().saturating_sub(SHOWN);
    out.push(Line::styled(
        clip(
            &format!(
                "  Sessions attended, newest first{}",
                if more > 0 {
                    format!(" ({SHOWN} of {})", sessions.len())
                } else {
                    String::new()
                }
            ),
            w,
        ),
        ctx.theme.dim(),
    ));
    for s in sessions.iter().take(SHOWN) {
        let name = d
            .group_names
            .get(&s.group)
            .cloned()
            .unwrap_or_else(|| s.group.to_string());
        let topic = if s.topic.is_empty() {
            String::new()
        } else {
            format!(" · {}", s.topic)
        };
        out.push(Line::raw(clip(
            &format!("    {} {:?} {name}{topic}", s.date, s.date.weekday()),
            w,
        )));
    }
    out
}
