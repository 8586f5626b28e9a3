//! Peers: the roster, with fuzzy search as you type (matched characters
//! highlighted), filters for status and assigned staff, and sorting by
//! name or last contact.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::{Choice, PeerId, PeerStatus, StaffId};
use crate::search::{LiveSearch, NameMatcher, SearchIndex};
use crate::ui::action::Action;
use crate::ui::roster::RosterSearch;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, highlighted_name};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::{draw_lines, ListCursor};
use crate::ui::worker::{RosterRow, StaffRow};

use super::Effect;

/// Which statuses the roster shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Active peers only (the usual view).
    #[default]
    Active,
    /// One other status.
    Only(PeerStatus),
    /// Everyone.
    All,
}

impl StatusFilter {
    fn next(self) -> StatusFilter {
        match self {
            StatusFilter::Active => StatusFilter::Only(PeerStatus::Inactive),
            StatusFilter::Only(PeerStatus::Inactive) => StatusFilter::Only(PeerStatus::Discharged),
            StatusFilter::Only(_) => StatusFilter::All,
            StatusFilter::All => StatusFilter::Active,
        }
    }

    fn admits(self, s: PeerStatus) -> bool {
        match self {
            StatusFilter::Active => s == PeerStatus::Active,
            StatusFilter::Only(o) => s == o,
            StatusFilter::All => true,
        }
    }

    /// Words for the filter bar.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Active => "active",
            StatusFilter::Only(s) => s.label(),
            StatusFilter::All => "all",
        }
    }
}

/// Whose peers the roster shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StaffFilter {
    /// Everyone's.
    #[default]
    All,
    /// One staff member's.
    Staff(StaffId),
    /// Peers nobody is assigned to.
    Unassigned,
}

/// Roster order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By name.
    #[default]
    Name,
    /// Longest without contact first (never contacted at the top).
    LastContact,
}

/// State of the Peers screen.
pub struct PeersState {
    /// Every peer, as loaded.
    pub roster: Arc<Vec<RosterRow>>,
    /// The roster prepared for searching, once per roster, shared with
    /// the other lists of peers (through the shell).
    search: RosterSearch,
    /// The roster arrived at least once.
    pub loaded: bool,
    /// Why the last load failed.
    pub error: Option<String>,
    /// Staff, for the filter and the initials column.
    pub staff: Vec<StaffRow>,
    /// The search text.
    pub query: LineInput,
    /// The search field has focus (printable keys type into it).
    pub searching: bool,
    /// Status filter.
    pub status: StatusFilter,
    /// Staff filter.
    pub staff_filter: StaffFilter,
    /// Order.
    pub sort: Sort,
    /// Roster indices shown, in order.
    pub visible: Vec<usize>,
    /// Selection in `visible`.
    pub cursor: ListCursor,
    matcher: NameMatcher,
    /// The roster prepared for searching once it arrives, narrowing the
    /// previous matches as characters are typed.
    live: LiveSearch,
    /// The filters `live` searches within (None: not set since the roster
    /// arrived).
    live_for: Option<(StatusFilter, StaffFilter)>,
    /// The rows of an empty search, for the filters in `live_for` and this
    /// order, kept so clearing the search costs no sort.
    unsearched: Option<(Sort, Vec<usize>)>,
    /// The roster's search is being prepared off the UI thread: the rows
    /// are listed unsearched, the query kept for when it arrives.
    indexing: bool,
    /// The search changed while `indexing`: its best match is selected
    /// once it applies.
    typed_meanwhile: bool,
}

impl Default for PeersState {
    fn default() -> Self {
        let mut query = LineInput::default();
        query.set_placeholder("type / to search");
        PeersState {
            roster: Arc::new(Vec::new()),
            search: RosterSearch::default(),
            loaded: false,
            error: None,
            staff: Vec::new(),
            query,
            searching: false,
            status: StatusFilter::default(),
            staff_filter: StaffFilter::default(),
            sort: Sort::default(),
            visible: Vec::new(),
            cursor: ListCursor::default(),
            matcher: NameMatcher::default(),
            live: LiveSearch::default(),
            live_for: None,
            unsearched: None,
            indexing: false,
            typed_meanwhile: false,
        }
    }
}

/// Rosters at least this long are prepared for searching off the UI
/// thread (`ui::background`): at 4,096 peers preparing takes a few
/// milliseconds, which a thread and a frame of unsearched rows would not
/// save; at 100,000 it took 150–380 ms, a frozen screen.
pub const INDEX_IN_BACKGROUND_FROM: usize = 4_096;

impl PeersState {
    /// Takes a new roster and prepares it for searching here, keeping the
    /// selected peer selected.
    pub fn set_roster(&mut self, roster: Vec<RosterRow>) {
        let roster = Arc::new(roster);
        self.take_rows(Arc::clone(&roster));
        // Folded and indexed once here, not on every key, for every list.
        self.install_search(RosterSearch::new(roster));
    }

    /// Takes a new roster: a short one is prepared for searching at once
    /// ([`PeersState::set_roster`], None); a long one is listed
    /// unsearched meanwhile and its rows returned, to be prepared off the
    /// UI thread and handed to [`PeersState::install_search`]. What is
    /// typed meanwhile stays in the field and applies then.
    pub fn take_roster(&mut self, roster: Vec<RosterRow>) -> Option<Arc<Vec<RosterRow>>> {
        if roster.len() < INDEX_IN_BACKGROUND_FROM {
            self.set_roster(roster);
            return None;
        }
        Some(self.list_unsearched(roster))
    }

    /// Takes a new roster, listed unsearched until its search, prepared
    /// from the rows returned, is installed.
    fn list_unsearched(&mut self, roster: Vec<RosterRow>) -> Arc<Vec<RosterRow>> {
        let roster = Arc::new(roster);
        self.take_rows(Arc::clone(&roster));
        roster
    }

    /// The roster's rows arrived: listed (unsearched) while their search
    /// is being prepared.
    fn take_rows(&mut self, roster: Arc<Vec<RosterRow>>) {
        let keep = self.selected_peer().map(|(id, _)| id);
        // The old search's indexes are into the old rows: never used with
        // the new ones.
        self.search = RosterSearch::default();
        self.live = LiveSearch::default();
        self.live_for = None;
        self.unsearched = None;
        self.indexing = true;
        self.roster = roster;
        self.loaded = true;
        self.error = None;
        self.refilter();
        self.reselect(keep);
    }

    /// Installs the roster prepared for searching (by
    /// [`RosterSearch::new`], here or off the UI thread) and applies the
    /// search typed so far. False, changing nothing, when it is not for
    /// the rows shown (a newer roster arrived meanwhile) or one is already
    /// installed.
    pub fn install_search(&mut self, search: RosterSearch) -> bool {
        if !self.indexing || !Arc::ptr_eq(&search.rows, &self.roster) {
            return false;
        }
        let keep = self.selected_peer().map(|(id, _)| id);
        self.live = LiveSearch::shared(Arc::clone(&search.index));
        // The roster's order only among equal matches, as always here.
        self.live.set_preferring(false);
        self.search = search;
        self.live_for = None;
        self.unsearched = None;
        self.indexing = false;
        self.refilter();
        if std::mem::take(&mut self.typed_meanwhile) {
            // The search typed meanwhile: its best match, as when typed.
            self.cursor.select(0, self.visible.len());
        } else {
            self.reselect(keep);
        }
        true
    }

    /// True while the roster is listed unsearched, its search being
    /// prepared off the UI thread.
    pub fn indexing(&self) -> bool {
        self.indexing
    }

    /// Selects peer `keep` again when it is still shown.
    fn reselect(&mut self, keep: Option<PeerId>) {
        if let Some(id) = keep {
            if let Some(pos) = self.visible.iter().position(|&i| self.roster[i].id == id) {
                self.cursor.select(pos, self.visible.len());
            }
        }
    }

    /// The roster's search index, shared (what its first-character
    /// tables are worked out from).
    pub fn search_index(&self) -> Arc<SearchIndex> {
        self.live.shared_index()
    }

    /// The roster prepared for searching, for the other lists of peers.
    pub fn roster_search(&self) -> &RosterSearch {
        &self.search
    }

    fn admits(&self, r: &RosterRow) -> bool {
        self.status.admits(r.status)
            && match self.staff_filter {
                StaffFilter::All => true,
                StaffFilter::Staff(s) => r.assigned == Some(s),
                StaffFilter::Unassigned => r.assigned.is_none(),
            }
    }

    /// Recomputes the visible rows from filters and the query; the best
    /// match is selected after the query changed. The search narrows the
    /// previous matches while only the query changes; new filters start
    /// it afresh.
    pub fn refilter(&mut self) {
        if self.indexing {
            // No search yet: the admitted rows as they came.
            self.visible = self.unindexed_rows();
            self.cursor.clamp(self.visible.len());
            return;
        }
        let filters = (self.status, self.staff_filter);
        if self.live_for != Some(filters) {
            let admitted: Vec<usize> = (0..self.roster.len())
                .filter(|&i| self.admits(&self.roster[i]))
                .collect();
            self.live.set_base(Some(admitted));
            self.live_for = Some(filters);
            self.unsearched = None;
        }
        let query = self.query.text().trim();
        if query.is_empty() {
            self.visible = self.unsearched_rows();
        } else {
            // Names folded, ids, phone digits and tags: the one rule. (Into
            // the rows' own buffer: no fresh allocation of up to 100,000
            // rows per key.)
            self.visible.clear();
            self.visible.extend_from_slice(self.live.rank_ref(query));
        }
        self.cursor.clamp(self.visible.len());
    }

    /// The admitted peers in the screen's order (name, or last contact
    /// then name), worked out once per roster, filters and order.
    fn unsearched_rows(&mut self) -> Vec<usize> {
        if let Some((sort, rows)) = &self.unsearched {
            if *sort == self.sort {
                return rows.clone();
            }
        }
        let roster = &self.roster;
        let mut v: Vec<usize> = self
            .search
            .by_name
            .iter()
            .copied()
            .filter(|&i| self.admits(&roster[i]))
            .collect();
        if self.sort == Sort::LastContact {
            // Stable: peers of one date stay in name order.
            v.sort_by_key(|&i| roster[i].last_contact.unwrap_or(NaiveDate::MIN));
        }
        self.unsearched = Some((self.sort, v.clone()));
        v
    }

    /// The admitted peers while the search (and the name order) is being
    /// prepared: in the roster's order, or by last contact.
    fn unindexed_rows(&self) -> Vec<usize> {
        let roster = &self.roster;
        let mut v: Vec<usize> = (0..roster.len())
            .filter(|&i| self.admits(&roster[i]))
            .collect();
        if self.sort == Sort::LastContact {
            v.sort_by_key(|&i| roster[i].last_contact.unwrap_or(NaiveDate::MIN));
        }
        v
    }

    /// The highlighted peer.
    pub fn selected_peer(&self) -> Option<(PeerId, String)> {
        let i = *self.visible.get(self.cursor.selected)?;
        let r = self.roster.get(i)?;
        Some((r.id, r.name.clone()))
    }

    /// Handles an action; `height` is the number of visible rows.
    pub fn handle(&mut self, action: Action) -> Effect {
        if self.cursor.apply(action, self.visible.len()) {
            return Effect::None;
        }
        match action {
            Action::Open => {
                self.searching = false;
                match self.selected_peer() {
                    Some((id, name)) => Effect::OpenPeer(id, name),
                    None => Effect::None,
                }
            }
            Action::Search => {
                self.searching = true;
                Effect::None
            }
            Action::Back => {
                if !self.query.is_empty() {
                    self.query.set_text("");
                    self.refilter();
                    self.cursor.select(0, self.visible.len());
                } else {
                    self.searching = false;
                }
                Effect::None
            }
            Action::FilterStatus => {
                self.status = self.status.next();
                self.refilter();
                Effect::Info(format!("showing {} peers", self.status.label()))
            }
            Action::FilterStaff => {
                self.staff_filter = self.next_staff_filter();
                self.refilter();
                Effect::Info(format!("assigned to: {}", self.staff_filter_label()))
            }
            Action::Sort => {
                self.sort = match self.sort {
                    Sort::Name => Sort::LastContact,
                    Sort::LastContact => Sort::Name,
                };
                self.refilter();
                Effect::None
            }
            _ => Effect::None,
        }
    }

    /// Types into the search field; the list follows on every key.
    pub fn text_key(&mut self, ev: KeyEvent) {
        if self.query.key(ev) {
            self.typed_meanwhile |= self.indexing;
            self.refilter();
            self.cursor.select(0, self.visible.len());
        }
    }

    /// Pastes into the search field.
    pub fn paste(&mut self, s: &str) {
        if self.query.paste(s) {
            self.typed_meanwhile |= self.indexing;
            self.refilter();
            self.cursor.select(0, self.visible.len());
        }
    }

    fn next_staff_filter(&self) -> StaffFilter {
        let ids: Vec<StaffId> = self.staff.iter().map(|s| s.id).collect();
        match self.staff_filter {
            StaffFilter::All => ids
                .first()
                .map_or(StaffFilter::Unassigned, |&s| StaffFilter::Staff(s)),
            StaffFilter::Staff(s) => match ids.iter().position(|&i| i == s) {
                Some(p) if p + 1 < ids.len() => StaffFilter::Staff(ids[p + 1]),
                _ => StaffFilter::Unassigned,
            },
            StaffFilter::Unassigned => StaffFilter::All,
        }
    }

    /// Words for the staff filter.
    pub fn staff_filter_label(&self) -> String {
        match self.staff_filter {
            StaffFilter::All => "everyone".into(),
            StaffFilter::Unassigned => "nobody".into(),
            StaffFilter::Staff(id) => self
                .staff
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| id.to_string()),
        }
    }

    fn initials(&self, id: Option<StaffId>) -> String {
        id.and_then(|id| self.staff.iter().find(|s| s.id == id))
            .map(|s| s.initials.clone())
            .unwrap_or_default()
    }
}

/// Draws the roster into `area`.
pub fn render(state: &PeersState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 3 || area.width < 20 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let [top, heading, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    // Line 1: search field and filters.
    let label = "Find: ";
    let field_w = (w / 3).clamp(12, 40) as u16;
    let [label_area, field, info_area] = Layout::horizontal([
        Constraint::Length(label.len() as u16),
        Constraint::Length(field_w),
        Constraint::Fill(1),
    ])
    .areas(top);
    Span::styled(
        label,
        if state.searching {
            t.focus()
        } else {
            t.heading()
        },
    )
    .render(label_area, buf);
    ratatui::widgets::Widget::render(state.query.area(), field, buf);
    let info = format!(
        " {} of {}{} · status: {} · assigned: {} · sort: {}",
        state.visible.len(),
        state.roster.len(),
        if state.indexing {
            " · preparing the search…"
        } else {
            ""
        },
        state.status.label(),
        state.staff_filter_label(),
        match state.sort {
            Sort::Name => "name",
            Sort::LastContact => "last contact",
        },
    );
    Line::styled(clip(&info, usize::from(info_area.width)), t.dim()).render(info_area, buf);

    // Line 2: column headings.
    let status_w = 11;
    let staff_w = 5;
    let last_w = 12;
    let name_w = w.saturating_sub(2 + status_w + staff_w + last_w + 3).max(8);
    let head = format!(
        "  {} {} {} {}",
        fit("Name", name_w),
        fit("Status", status_w),
        fit("Staff", staff_w),
        fit("Last contact", last_w)
    );
    Line::styled(clip(&head, w), t.dim()).render(heading, buf);

    if !state.loaded {
        let msg = match &state.error {
            Some(e) => Line::styled(
                clip(&format!("Could not load the roster: {e}"), w),
                t.error(),
            ),
            None => Line::styled("Loading the roster…", t.dim()),
        };
        msg.render(body, buf);
        return;
    }
    if state.visible.is_empty() {
        let msg = if state.roster.is_empty() {
            "No peers on the roster yet: n adds one, I imports a roster from a CSV file."
        } else if state.query.is_empty() {
            "No peers match these filters (s: status, a: assigned staff)."
        } else {
            "No peer matches this search."
        };
        Line::styled(msg, t.dim()).render(body, buf);
        return;
    }
    let height = usize::from(body.height);
    let offset = state.cursor.shown(height);
    let query = state.query.text().trim();
    let rows = state
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .map(|(row_i, &idx)| {
            let Some(r) = state.roster.get(idx) else {
                return Line::default();
            };
            let selected = row_i == state.cursor.selected;
            let base = if selected { t.selected() } else { t.text() };
            let hl = if selected {
                t.selected().patch(t.matched())
            } else {
                t.matched()
            };
            let positions = if query.is_empty() {
                Vec::new()
            } else {
                state.matcher_positions(&r.name, query)
            };
            let mut spans = vec![Span::styled("  ", base)];
            spans.extend(highlighted_name(ctx, &r.name, &positions, name_w, base, hl));
            let last = r
                .last_contact
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "never".into());
            spans.push(Span::styled(
                format!(
                    " {} {} {}",
                    fit(r.status.label(), status_w),
                    fit(&state.initials(r.assigned), staff_w),
                    fit(&last, last_w)
                ),
                base,
            ));
            Line::from(spans)
        });
    draw_lines(rows, body, buf);
    crate::ui::widgets::list::scrollbar(body, buf, state.visible.len(), offset, t.dim());
}

impl PeersState {
    /// Matched character positions in `name`, for highlighting.
    pub fn matcher_positions(&self, name: &str, query: &str) -> Vec<usize> {
        self.matcher.positions(name, query)
    }
}

#[cfg(test)]
mod tests;
