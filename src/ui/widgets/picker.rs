//! The peer picker of the check-in form: fuzzy search over the roster,
//! active peers first, with the peer selected on screen preselected so that
//! `c` `Enter` picks them.

use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::{Choice, PeerId, PeerStatus};
use crate::search::{LiveSearch, NameMatcher};
use crate::ui::action::Action;
use crate::ui::roster::RosterSearch;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::highlighted_name;
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::{draw_lines, ListCursor};
use crate::ui::worker::RosterRow;

/// State of the picker.
pub struct PeerPicker {
    /// The search text.
    pub query: LineInput,
    /// The peers that can be picked (the roster, shared).
    rows: Arc<Vec<RosterRow>>,
    /// Indexes into `rows` shown, in order.
    pub hits: Vec<usize>,
    /// Selection in `hits`.
    pub cursor: ListCursor,
    matcher: NameMatcher,
    /// The roster's shared search index, searched in the picker's order
    /// (active peers by name, then the others), narrowing the previous
    /// matches as characters are typed.
    live: LiveSearch,
    loaded: bool,
}

impl PeerPicker {
    /// A picker over `roster` with `preselected` highlighted. Before the
    /// roster has loaded, the preselected peer alone is offered. Costs a
    /// pass over the roster, not an index of it: the index is the one
    /// the Peers screen prepared.
    pub fn new(roster: &RosterSearch, preselected: Option<(PeerId, String)>) -> PeerPicker {
        let mut query = LineInput::default();
        query.set_placeholder("type part of a name");
        let mut p = PeerPicker {
            query,
            rows: Arc::new(Vec::new()),
            hits: Vec::new(),
            cursor: ListCursor::default(),
            matcher: NameMatcher::default(),
            live: LiveSearch::default(),
            loaded: false,
        };
        p.set_roster(roster, preselected.as_ref().map(|(id, _)| *id));
        if p.rows.is_empty() {
            if let Some((id, name)) = preselected {
                let only = RosterRow {
                    keys: crate::search::SearchKeys {
                        id: id.to_string(),
                        ..Default::default()
                    },
                    id,
                    name,
                    status: PeerStatus::Active,
                    assigned: None,
                    last_contact: None,
                };
                let only = RosterSearch::new(Arc::new(vec![only]));
                p.search(&only);
                p.refilter();
            }
        }
        p
    }

    /// Takes a (re)loaded roster, keeping `keep` (or the current peer)
    /// selected.
    pub fn set_roster(&mut self, roster: &RosterSearch, keep: Option<PeerId>) {
        let keep = keep.or_else(|| self.selected().map(|c| c.id));
        if roster.rows.is_empty() {
            return;
        }
        self.loaded = true;
        self.search(roster);
        self.refilter();
        if let Some(id) = keep {
            if let Some(pos) = self.hits.iter().position(|&i| self.rows[i].id == id) {
                self.cursor.select(pos, self.hits.len());
            }
        }
    }

    /// Searches `roster`'s shared index in the picker's order.
    fn search(&mut self, roster: &RosterSearch) {
        self.rows = Arc::clone(&roster.rows);
        self.live = LiveSearch::shared(Arc::clone(&roster.index));
        self.live.set_base(Some(roster.active_first()));
    }

    fn refilter(&mut self) {
        // Best match first; among equals, active peers first (the one
        // rule, `NameMatcher::rank_keyed`, answered incrementally).
        self.hits = self.live.rank(self.query.text());
        self.cursor.select(0, self.hits.len());
    }

    /// The highlighted peer.
    pub fn selected(&self) -> Option<&RosterRow> {
        self.hits
            .get(self.cursor.selected)
            .and_then(|&i| self.rows.get(i))
    }

    /// Moves the highlight; false for other actions.
    pub fn handle(&mut self, action: Action) -> bool {
        self.cursor.apply(action, self.hits.len())
    }

    /// Types into the search; the list follows.
    pub fn text_key(&mut self, ev: KeyEvent) {
        if self.query.key(ev) {
            self.refilter();
        }
    }

    /// Pastes into the search.
    pub fn paste(&mut self, s: &str) {
        if self.query.paste(s) {
            self.refilter();
        }
    }

    /// The roster has arrived (it may be empty: a new center), so an
    /// empty list no longer says "Loading".
    pub fn mark_loaded(&mut self) {
        self.loaded = true;
    }

    /// True once the roster arrived.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// How many peers could be picked at all.
    pub fn candidate_count(&self) -> usize {
        self.rows.len()
    }
}

/// Draws the matching peers (the query field is drawn by the form). Takes
/// the whole `ViewCtx` so that privacy mode applies to the names.
pub fn render_list(p: &PeerPicker, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let theme = ctx.theme;
    let height = usize::from(area.height);
    if height == 0 {
        return;
    }
    if p.hits.is_empty() {
        let msg = if p.candidate_count() == 0 && !p.loaded {
            "Loading the roster…"
        } else if p.candidate_count() == 0 {
            "No peers on the roster yet: n on Peers adds one."
        } else {
            "No peer matches; keep typing or Backspace."
        };
        Line::styled(msg, theme.dim()).render(area, buf);
        return;
    }
    let w = usize::from(area.width);
    let q = p.query.text().trim();
    let offset = p.cursor.shown(height);
    let rows = p.hits.iter().enumerate().skip(offset).map(|(row, &idx)| {
        let Some(c) = p.rows.get(idx) else {
            return Line::default();
        };
        let selected = row == p.cursor.selected;
        let base = if selected {
            theme.selected()
        } else {
            theme.text()
        };
        let hl = if selected {
            theme.selected().patch(theme.matched())
        } else {
            theme.matched()
        };
        let positions = if q.is_empty() {
            Vec::new()
        } else {
            p.matcher.positions(&c.name, q)
        };
        let tail = if c.status == PeerStatus::Active {
            format!(" {}", c.id)
        } else {
            format!(" {} ({})", c.id, c.status.label())
        };
        let name_w = w.saturating_sub(tail.len() + 2);
        let mut spans = vec![Span::styled(if selected { "▸ " } else { "  " }, base)];
        spans.extend(highlighted_name(ctx, &c.name, &positions, name_w, base, hl));
        spans.push(Span::styled(
            tail,
            if selected { base } else { theme.dim() },
        ));
        Line::from(spans)
    });
    draw_lines(rows, area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::roster::sample_rows;

    /// What the picker ranked before it shared the roster's index: its own
    /// copy, active peers by name first, ranked by the one rule.
    fn copied_and_ranked(rows: &[RosterRow], query: &str) -> Vec<PeerId> {
        let mut c: Vec<&RosterRow> = rows.iter().collect();
        c.sort_by_cached_key(|r| (r.status != PeerStatus::Active, r.name.to_lowercase()));
        NameMatcher::default()
            .rank_keyed(
                query,
                c.iter()
                    .map(|r| (r.name.as_str(), &r.keys, r.status == PeerStatus::Active)),
            )
            .into_iter()
            .map(|i| c[i].id)
            .collect()
    }

    /// The shared index gives the picker the rows and order its own copy
    /// gave, before and after the first-character tables arrive.
    #[test]
    fn the_shared_index_ranks_as_the_pickers_own_copy_did() {
        let rows = sample_rows(120);
        let search = RosterSearch::new(Arc::new(rows.clone()));
        let typed = ["k", "ke", "kei", "a", "an", "p7", "P17", "kin", "mu", "z"];
        for tables in [false, true] {
            if tables {
                assert!(search.index.install_first_chars(search.index.first_chars()));
            }
            for q in typed {
                let mut p = PeerPicker::new(&search, None);
                p.paste(q);
                let got: Vec<PeerId> = p.hits.iter().map(|&i| p.rows[i].id).collect();
                assert_eq!(got, copied_and_ranked(&rows, q), "{q:?}, tables {tables}");
            }
            // Typed a character at a time, with Backspace.
            let mut p = PeerPicker::new(&search, None);
            let mut q = String::new();
            for c in "kei".chars() {
                q.push(c);
                p.paste(&c.to_string());
                let got: Vec<PeerId> = p.hits.iter().map(|&i| p.rows[i].id).collect();
                assert_eq!(got, copied_and_ranked(&rows, &q), "{q:?}");
            }
        }
    }

    #[test]
    fn before_the_roster_the_preselected_peer_alone_is_offered() {
        let p = PeerPicker::new(
            &RosterSearch::default(),
            Some((PeerId::new(7), "Ana Ruiz".into())),
        );
        assert_eq!(p.selected().map(|r| r.id), Some(PeerId::new(7)));
        assert_eq!(p.candidate_count(), 1);
        assert!(!p.loaded());
    }
}
