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
use crate::search::{LiveSearch, NameMatcher, SearchIndex};
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::highlighted_name;
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::{draw_lines, ListCursor};
use crate::ui::worker::RosterRow;

/// One pickable peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The peer.
    pub id: PeerId,
    /// Display name, raw.
    pub name: String,
    /// Their status (non-active ones are listed after active ones).
    pub status: PeerStatus,
    /// Their id, phone digits and tags, which find them too.
    pub keys: crate::search::SearchKeys,
}

/// State of the picker.
pub struct PeerPicker {
    /// The search text.
    pub query: LineInput,
    candidates: Vec<Candidate>,
    /// Candidate indices shown, in order.
    pub hits: Vec<usize>,
    /// Selection in `hits`.
    pub cursor: ListCursor,
    matcher: NameMatcher,
    /// The candidates prepared for searching once, narrowing the previous
    /// matches as characters are typed.
    live: LiveSearch,
    loaded: bool,
}

impl PeerPicker {
    /// A picker over `roster` with `preselected` highlighted. Before the
    /// roster has loaded, the preselected peer alone is offered.
    pub fn new(roster: &Arc<Vec<RosterRow>>, preselected: Option<(PeerId, String)>) -> PeerPicker {
        let mut query = LineInput::default();
        query.set_placeholder("type part of a name");
        let mut p = PeerPicker {
            query,
            candidates: Vec::new(),
            hits: Vec::new(),
            cursor: ListCursor::default(),
            matcher: NameMatcher::default(),
            live: LiveSearch::default(),
            loaded: false,
        };
        p.set_roster(roster, preselected.as_ref().map(|(id, _)| *id));
        if p.candidates.is_empty() {
            if let Some((id, name)) = preselected {
                p.candidates.push(Candidate {
                    keys: crate::search::SearchKeys {
                        id: id.to_string(),
                        ..Default::default()
                    },
                    id,
                    name,
                    status: PeerStatus::Active,
                });
                p.reindex();
                p.refilter();
            }
        }
        p
    }

    /// Takes a (re)loaded roster, keeping `keep` (or the current peer)
    /// selected.
    pub fn set_roster(&mut self, roster: &Arc<Vec<RosterRow>>, keep: Option<PeerId>) {
        let keep = keep.or_else(|| self.selected().map(|c| c.id));
        if roster.is_empty() {
            return;
        }
        self.loaded = true;
        let mut c: Vec<Candidate> = roster
            .iter()
            .map(|r| Candidate {
                id: r.id,
                name: r.name.clone(),
                status: r.status,
                keys: r.keys.clone(),
            })
            .collect();
        c.sort_by_cached_key(|c| (c.status != PeerStatus::Active, c.name.to_lowercase()));
        self.candidates = c;
        self.reindex();
        self.refilter();
        if let Some(id) = keep {
            if let Some(pos) = self.hits.iter().position(|&i| self.candidates[i].id == id) {
                self.cursor.select(pos, self.hits.len());
            }
        }
    }

    /// Prepares the candidates for searching: once per roster.
    fn reindex(&mut self) {
        self.live = LiveSearch::new(SearchIndex::new(
            self.candidates
                .iter()
                .map(|c| (c.name.as_str(), &c.keys, c.status == PeerStatus::Active)),
        ));
    }

    fn refilter(&mut self) {
        // Best match first; among equals, active peers first (the one
        // rule, `NameMatcher::rank_keyed`, answered incrementally).
        self.hits = self.live.rank(self.query.text());
        self.cursor.select(0, self.hits.len());
    }

    /// The highlighted candidate.
    pub fn selected(&self) -> Option<&Candidate> {
        self.hits
            .get(self.cursor.selected)
            .and_then(|&i| self.candidates.get(i))
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
        self.candidates.len()
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
        let Some(c) = p.candidates.get(idx) else {
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
