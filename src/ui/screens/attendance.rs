//! Running a group session: the roster with fuzzy search, one key per peer
//! to check them off (or on again), walk-ins, topic and note, then save.
//!
//! A walk-in is only a name on this screen until the session is saved: the
//! save adds them to the roster with the attendance, so a session left
//! without saving leaves no peer behind.
//!
//! Changes stay on screen until saved, and the save sends only what changed
//! since the session was loaded (who was checked off, who was taken off),
//! so two staff checking people in at the same time do not undo each
//! other; a peer someone else already checked off refuses the save, all or
//! nothing, and says so under the list with everything kept.

use std::collections::HashSet;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::{Choice, Group, GroupSession, PeerId, PeerStatus, Record};
use crate::search::{LiveSearch, NameMatcher, SearchIndex};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::roster::RosterSearch;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, highlighted_name, name};
use crate::ui::widgets::form::field_problems;
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::layout::split_cols;
use crate::ui::widgets::list::{draw_lines, ListCursor};
use crate::ui::worker::{Failure, RosterRow};

/// The attendance screen's fields, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceField {
    /// The roster and its search.
    Roster,
    /// What the session was about.
    Topic,
    /// A short note.
    Note,
}

impl AttendanceField {
    fn step(self, forward: bool) -> AttendanceField {
        use AttendanceField::*;
        match (self, forward) {
            (Roster, true) | (Note, false) => Topic,
            (Topic, true) | (Roster, false) => Note,
            (Note, true) | (Topic, false) => Roster,
        }
    }
}

/// What the attendance screen asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttendanceOutcome {
    /// Nothing more.
    None,
    /// Save was asked for.
    Save,
    /// Leave was asked for (the app asks first if there are changes).
    Leave,
    /// A walk-in named this was asked for.
    WalkIn(String),
    /// Say something in the status line.
    Info(String),
    /// A peer (raw name) was checked off (`true`) or taken off the list.
    Checked(String, bool),
}

#[derive(Debug, Clone)]
struct Candidate {
    /// None for a walk-in not on the roster yet (see `walk_ins`).
    id: Option<PeerId>,
    /// Their row of the roster the list was made from (None for anyone
    /// added here).
    row: Option<usize>,
    name: String,
    status: PeerStatus,
    /// Id, phone digits and tags, which find them too.
    keys: crate::search::SearchKeys,
}

impl Candidate {
    /// The peer on row `row` of the roster.
    fn of_roster(row: usize, r: &RosterRow) -> Candidate {
        Candidate {
            id: Some(r.id),
            row: Some(row),
            name: r.name.clone(),
            status: r.status,
            keys: r.keys.clone(),
        }
    }
}

const CHAIN_ROSTER: &[Context] = &[
    Context::Attendance,
    Context::Input,
    Context::List,
    Context::Global,
];
const CHAIN_TEXT: &[Context] = &[Context::Attendance, Context::Input, Context::Global];

/// The attendance screen: an open group session being taken.
pub struct AttendanceState {
    /// The group.
    pub group: Record<Group>,
    /// The session as last loaded or saved.
    pub session: Record<GroupSession>,
    /// Who is checked off on screen, in the order they were.
    pub attending: Vec<PeerId>,
    /// Walk-ins checked off here, by name, in the order they came: not on
    /// the roster until the session is saved (the save adds them).
    pub walk_ins: Vec<String>,
    /// The roster search.
    pub query: LineInput,
    /// Candidate indices shown, in order.
    pub hits: Vec<usize>,
    /// Selection in `hits`.
    pub cursor: ListCursor,
    /// The topic.
    pub topic: LineInput,
    /// The note.
    pub note: LineInput,
    /// The focused field.
    pub focus: AttendanceField,
    /// A save is on its way.
    pub saving: bool,
    /// Problems from the last save, by field ("attendees", "topic", "note",
    /// or "" for the rest).
    pub errors: Vec<(String, String)>,
    candidates: Vec<Candidate>,
    matcher: NameMatcher,
    /// The roster the candidates were made from, with its shared search
    /// index.
    roster: RosterSearch,
    /// The candidates prepared for searching; None after they changed
    /// (prepared again at the next search).
    live: Option<Search>,
    theme: Theme,
}

impl AttendanceState {
    /// Opens `session` of `group` over `roster`.
    pub fn new(
        group: Record<Group>,
        session: Record<GroupSession>,
        roster: &RosterSearch,
        theme: Theme,
    ) -> AttendanceState {
        let mut query = LineInput::default();
        query.set_placeholder("type part of a name");
        let mut s = AttendanceState {
            attending: session.attendees.clone(),
            walk_ins: Vec::new(),
            topic: LineInput::new(&session.topic),
            note: LineInput::new(&session.note),
            group,
            session,
            query,
            hits: Vec::new(),
            cursor: ListCursor::default(),
            focus: AttendanceField::Roster,
            saving: false,
            errors: Vec::new(),
            candidates: Vec::new(),
            matcher: NameMatcher::default(),
            roster: RosterSearch::default(),
            live: None,
            theme,
        };
        s.topic.set_placeholder("what it was about (optional)");
        s.note.set_placeholder("optional");
        s.set_roster(roster);
        s.set_focus(AttendanceField::Roster);
        s
    }

    /// Takes a (re)loaded roster, keeping the highlighted peer.
    pub fn set_roster(&mut self, roster: &RosterSearch) {
        let keep = self.selected_candidate().map(|c| (c.id, c.name.clone()));
        self.roster = roster.clone();
        let mut c: Vec<Candidate> = roster
            .rows
            .iter()
            .enumerate()
            .map(|(row, r)| Candidate::of_roster(row, r))
            .chain(self.walk_ins.iter().map(|name| Candidate {
                id: None,
                row: None,
                name: name.clone(),
                status: PeerStatus::Active,
                keys: Default::default(),
            }))
            .collect();
        sort_candidates(&mut c);
        self.candidates = c;
        self.live = None;
        self.refilter();
        if let Some((id, name)) = keep {
            self.select_candidate(|c| c.id == id && (id.is_some() || c.name == name));
        }
    }

    /// Highlights the first shown candidate `pick` likes.
    fn select_candidate(&mut self, pick: impl Fn(&Candidate) -> bool) {
        if let Some(pos) = self
            .hits
            .iter()
            .position(|&i| self.candidates.get(i).is_some_and(&pick))
        {
            self.cursor.select(pos, self.hits.len());
        }
    }

    fn refilter(&mut self) {
        // Best match first; among equals, active peers first (the one
        // rule, `NameMatcher::rank_keyed`, answered incrementally over
        // candidates prepared once).
        let (candidates, roster) = (&self.candidates, &self.roster);
        let search = self
            .live
            .get_or_insert_with(|| Search::new(candidates, roster));
        self.hits = search.rank(self.query.text());
        self.cursor.select(0, self.hits.len());
    }

    /// A walk-in turned out to be on the roster already (the duplicate
    /// question's yes): offer them, check them off and highlight them.
    pub fn add_walk_in(&mut self, id: PeerId, name: &str) {
        if !self.candidates.iter().any(|c| c.id == Some(id)) {
            self.candidates.push(Candidate {
                id: Some(id),
                row: None,
                name: name.to_string(),
                status: PeerStatus::Active,
                keys: crate::search::SearchKeys {
                    id: id.to_string(),
                    ..Default::default()
                },
            });
            sort_candidates(&mut self.candidates);
            self.live = None;
        }
        if !self.attending.contains(&id) {
            self.attending.push(id);
        }
        self.query.set_text("");
        self.refilter();
        self.select_candidate(|c| c.id == Some(id));
    }

    /// Walk-ins that joined the roster in a save that then failed: each
    /// is no longer a name to add but the peer it became, checked off.
    pub fn walk_ins_joined(&mut self, kept: &[(String, PeerId)]) {
        for (name, id) in kept {
            self.walk_ins.retain(|w| w != name);
            self.candidates
                .retain(|c| !(c.id.is_none() && &c.name == name));
            self.live = None;
            self.add_walk_in(*id, name);
        }
    }

    /// A new walk-in, by name: checked off here and highlighted, and added
    /// to the roster only when the session is saved.
    pub fn add_new_walk_in(&mut self, name: &str) {
        let name = name.trim().to_string();
        if !self.walk_ins.contains(&name) {
            self.walk_ins.push(name.clone());
            self.candidates.push(Candidate {
                id: None,
                row: None,
                name: name.clone(),
                status: PeerStatus::Active,
                keys: Default::default(),
            });
            sort_candidates(&mut self.candidates);
            self.live = None;
        }
        self.query.set_text("");
        self.refilter();
        self.select_candidate(|c| c.id.is_none() && c.name == name);
    }

    /// A walk-in of this session with the same name once case and accents
    /// are folded (typed twice before saving).
    pub fn walk_in_named(&self, name: &str) -> Option<&str> {
        let want = crate::model::names::fold(name);
        self.walk_ins
            .iter()
            .find(|w| crate::model::names::fold(w) == want)
            .map(String::as_str)
    }

    fn selected_candidate(&self) -> Option<&Candidate> {
        self.hits
            .get(self.cursor.selected)
            .and_then(|&i| self.candidates.get(i))
    }

    /// The highlighted peer (None also for a walk-in not saved yet).
    pub fn selected(&self) -> Option<PeerId> {
        self.selected_candidate().and_then(|c| c.id)
    }

    /// A peer's name as the roster knows it.
    pub fn name_of(&self, id: PeerId) -> String {
        self.candidates
            .iter()
            .find(|c| c.id == Some(id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Moves the focus.
    pub fn set_focus(&mut self, field: AttendanceField) {
        self.focus = field;
        let t = self.theme;
        self.query.set_focused(field == AttendanceField::Roster, &t);
        self.topic.set_focused(field == AttendanceField::Topic, &t);
        self.note.set_focused(field == AttendanceField::Note, &t);
    }

    /// The key contexts of the focused field (printable keys type).
    pub fn context(&self) -> (&'static [Context], bool) {
        match self.focus {
            AttendanceField::Roster => (CHAIN_ROSTER, true),
            _ => (CHAIN_TEXT, true),
        }
    }

    /// Checked off since the session was loaded.
    pub fn added(&self) -> Vec<PeerId> {
        self.attending
            .iter()
            .filter(|p| !self.session.attendees.contains(p))
            .copied()
            .collect()
    }

    /// Taken off since the session was loaded.
    pub fn removed(&self) -> Vec<PeerId> {
        self.session
            .attendees
            .iter()
            .filter(|p| !self.attending.contains(p))
            .copied()
            .collect()
    }

    /// True when leaving would lose changes.
    pub fn is_dirty(&self) -> bool {
        let a: HashSet<&PeerId> = self.attending.iter().collect();
        let b: HashSet<&PeerId> = self.session.attendees.iter().collect();
        a != b
            || !self.walk_ins.is_empty()
            || self.topic.text().trim() != self.session.topic
            || self.note.text().trim() != self.session.note
    }

    /// Checks `peer` off, or takes them off again.
    pub fn toggle(&mut self, peer: PeerId) -> bool {
        self.errors
            .retain(|(f, _)| f != "attendees" && !f.is_empty());
        match self.attending.iter().position(|p| *p == peer) {
            Some(i) => {
                self.attending.remove(i);
                false
            }
            None => {
                self.attending.push(peer);
                true
            }
        }
    }

    /// Handles an action; `height` is the number of visible roster rows.
    pub fn handle(&mut self, action: Action) -> AttendanceOutcome {
        if self.saving {
            return match action {
                Action::Back => {
                    AttendanceOutcome::Info("saving… wait for the store to confirm".into())
                }
                _ => AttendanceOutcome::None,
            };
        }
        match action {
            Action::Save => return AttendanceOutcome::Save,
            Action::Back => {
                if self.focus == AttendanceField::Roster && !self.query.is_empty() {
                    self.query.set_text("");
                    self.refilter();
                    return AttendanceOutcome::None;
                }
                return AttendanceOutcome::Leave;
            }
            Action::NextField => self.set_focus(self.focus.step(true)),
            Action::PrevField => self.set_focus(self.focus.step(false)),
            Action::WalkIn => {
                return AttendanceOutcome::WalkIn(self.query.text().trim().to_string())
            }
            Action::Toggle if self.focus == AttendanceField::Roster => {
                let Some(c) = self.selected_candidate() else {
                    return AttendanceOutcome::Info(
                        "nobody matches; a walk-in can be added with the walk-in key".into(),
                    );
                };
                let Some(p) = c.id else {
                    // A walk-in not saved yet: taking them off forgets them.
                    let name = c.name.clone();
                    self.walk_ins.retain(|w| *w != name);
                    self.candidates.retain(|c| c.id.is_some() || c.name != name);
                    self.live = None;
                    self.refilter();
                    return AttendanceOutcome::Checked(name, false);
                };
                let name = self.name_of(p);
                let on = self.toggle(p);
                // Typed a name, checked them off: clear for the next name.
                if !self.query.is_empty() {
                    self.query.set_text("");
                    self.refilter();
                    self.select_candidate(|c| c.id == Some(p));
                }
                return AttendanceOutcome::Checked(name, on);
            }
            // Enter in the topic moves to the note; in the note it saves.
            Action::Toggle if self.focus == AttendanceField::Note => {
                return AttendanceOutcome::Save
            }
            Action::Toggle => self.set_focus(AttendanceField::Note),
            a if self.focus == AttendanceField::Roster => {
                self.cursor.apply(a, self.hits.len());
            }
            _ => {}
        }
        AttendanceOutcome::None
    }

    /// A key that was not bound types into the focused field; Enter in
    /// the topic moves on, in the note it saves.
    pub fn text_key(&mut self, ev: KeyEvent) -> AttendanceOutcome {
        if self.saving {
            return AttendanceOutcome::None;
        }
        match self.focus {
            AttendanceField::Roster => {
                if self.query.key(ev) {
                    self.refilter();
                }
            }
            AttendanceField::Topic if ev.code == KeyCode::Enter => {
                self.set_focus(AttendanceField::Note)
            }
            AttendanceField::Note if ev.code == KeyCode::Enter => return AttendanceOutcome::Save,
            AttendanceField::Topic => {
                if self.topic.key(ev) {
                    self.errors.retain(|(f, _)| f != "topic");
                }
            }
            AttendanceField::Note => {
                if self.note.key(ev) {
                    self.errors.retain(|(f, _)| f != "note");
                }
            }
        }
        AttendanceOutcome::None
    }

    /// Pastes into the focused field.
    pub fn paste(&mut self, s: &str) {
        match self.focus {
            AttendanceField::Roster => {
                if self.query.paste(s) {
                    self.refilter();
                }
            }
            AttendanceField::Topic => {
                self.topic.paste(s);
            }
            AttendanceField::Note => {
                self.note.paste(s);
            }
        }
    }

    /// The session changed in the store (another terminal saved it):
    /// take it as the new starting point and keep this screen's own
    /// changes on top — who was checked off or taken off here, and a topic
    /// or note typed here.
    pub fn rebase(&mut self, stored: Record<GroupSession>) {
        let added = self.added();
        let removed = self.removed();
        let topic_typed = self.topic.text().trim() != self.session.topic;
        let note_typed = self.note.text().trim() != self.session.note;
        let mut attending: Vec<PeerId> = stored
            .attendees
            .iter()
            .filter(|p| !removed.contains(p))
            .copied()
            .collect();
        for p in added {
            if !attending.contains(&p) {
                attending.push(p);
            }
        }
        self.attending = attending;
        if !topic_typed {
            self.topic.set_text(&stored.topic);
        }
        if !note_typed {
            self.note.set_text(&stored.note);
        }
        self.session = stored;
    }

    /// The store saved the session: it is the new starting point. The
    /// walk-ins were added to the roster by the save and checked off last,
    /// in the order sent: the last of the attendees, now with their ids.
    pub fn saved(&mut self, session: Record<GroupSession>) {
        let walk_ins = std::mem::take(&mut self.walk_ins);
        let first_new = session.attendees.len().saturating_sub(walk_ins.len());
        let added = session.attendees.get(first_new..).unwrap_or_default();
        self.candidates.retain(|c| c.id.is_some());
        for (id, name) in added.iter().zip(walk_ins) {
            self.candidates.push(Candidate {
                id: Some(*id),
                row: None,
                name,
                status: PeerStatus::Active,
                keys: crate::search::SearchKeys {
                    id: id.to_string(),
                    ..Default::default()
                },
            });
        }
        sort_candidates(&mut self.candidates);
        self.live = None;
        self.refilter();
        self.attending = session.attendees.clone();
        self.topic.set_text(&session.topic);
        self.note.set_text(&session.note);
        self.session = session;
        self.saving = false;
        self.errors.clear();
    }

    /// The store refused: keep everything, say why next to the field.
    pub fn save_failed(&mut self, failure: &Failure) {
        self.saving = false;
        self.errors = field_problems(failure)
            .into_iter()
            .map(|(f, m)| match f.as_str() {
                "attendees" | "topic" | "note" => (f, m),
                _ => (String::new(), m),
            })
            .collect();
        if self.errors.iter().any(|(f, _)| f == "topic") {
            self.set_focus(AttendanceField::Topic);
        } else if self.errors.iter().any(|(f, _)| f == "note") {
            self.set_focus(AttendanceField::Note);
        }
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The roster's order: active peers first, then by name.
/// The search over the candidates: the roster's shared index searched in
/// the session's order while the candidates are the roster, or an index
/// of their own once walk-ins or peers added here made them differ.
enum Search {
    /// Over the roster's index; `candidate_of[row]` is that roster row's
    /// place among the candidates.
    Shared {
        live: LiveSearch,
        candidate_of: Vec<usize>,
    },
    /// Over the candidates' own index.
    Own(LiveSearch),
}

impl Search {
    fn new(candidates: &[Candidate], roster: &RosterSearch) -> Search {
        let rows: Vec<usize> = candidates.iter().filter_map(|c| c.row).collect();
        if rows.len() == candidates.len() && rows.len() == roster.index.len() {
            let mut candidate_of = vec![0; rows.len()];
            for (at, &row) in rows.iter().enumerate() {
                candidate_of[row] = at;
            }
            let mut live = LiveSearch::shared(Arc::clone(&roster.index));
            live.set_base(Some(rows));
            return Search::Shared { live, candidate_of };
        }
        Search::Own(LiveSearch::new(SearchIndex::new(candidates.iter().map(
            |c| (c.name.as_str(), &c.keys, c.status == PeerStatus::Active),
        ))))
    }

    /// Candidate indexes matching `query`, best first.
    fn rank(&mut self, query: &str) -> Vec<usize> {
        match self {
            Search::Shared { live, candidate_of } => live
                .rank_ref(query)
                .iter()
                .filter_map(|&row| candidate_of.get(row).copied())
                .collect(),
            Search::Own(live) => live.rank(query),
        }
    }
}

fn sort_candidates(c: &mut [Candidate]) {
    c.sort_by_cached_key(|c| (c.status != PeerStatus::Active, c.name.to_lowercase(), c.id));
}

/// Draws the session into `area`.
pub fn render(s: &AttendanceState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 8 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    // Title, attending, search, the roster, problem line, topic, note, footer.
    let [title, attending_row, search, list, problem_row, topic_row, note_row, footer_row] =
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
    let g = &s.group;
    let place = if g.location.trim().is_empty() {
        String::new()
    } else {
        format!(" · {}", g.location)
    };
    let id = if crate::ops::groups::is_unsaved(&s.session) {
        "new session (saved with its attendance)".to_string()
    } else {
        format!("session {}", s.session.id)
    };
    let head = format!(
        "{} · {} {}{place} · {id}",
        g.name,
        s.session.date.format("%a %d %b %Y"),
        g.time.format("%H:%M"),
    );
    Line::styled(clip(&head, w), t.heading()).render(title, buf);

    let (added, removed) = (s.added().len() + s.walk_ins.len(), s.removed().len());
    let changes = if added + removed > 0 {
        format!(" (+{added} −{removed} not saved)")
    } else {
        String::new()
    };
    let names: Vec<String> = s
        .attending
        .iter()
        .map(|p| name(ctx, &s.name_of(*p)).into_owned())
        .chain(s.walk_ins.iter().map(|w| format!("{} (new)", name(ctx, w))))
        .collect();
    let attending = format!(
        "Attending ({}){changes}: {}",
        s.attending.len() + s.walk_ins.len(),
        if names.is_empty() {
            "nobody yet".to_string()
        } else {
            names.join(", ")
        }
    );
    Line::styled(clip(&attending, w), t.text()).render(attending_row, buf);

    // Search.
    let focused = s.focus == AttendanceField::Roster;
    Span::styled(
        if focused { "▸Find " } else { " Find " },
        if focused { t.focus() } else { t.heading() },
    )
    .render(search, buf);
    let qw = (area.width / 3).max(16).min(area.width.saturating_sub(6));
    let (query_area, hint_area) = split_cols(split_cols(search, 6).1, qw);
    Widget::render(s.query.area(), query_area, buf);
    let (chain, typing) = s.context();
    let key = |a: Action| {
        ctx.keymap
            .key_for(chain, typing, a)
            .unwrap_or_else(|| a.name().to_string())
    };
    let hint = format!(
        "{} checks off/on · {} walk-in",
        key(Action::Toggle),
        key(Action::WalkIn)
    );
    let hint_area = split_cols(hint_area, 1).1;
    Line::styled(clip(&hint, usize::from(hint_area.width)), t.dim()).render(hint_area, buf);

    // Roster.
    let height = usize::from(list.height).max(1);
    let q = s.query.text().trim();
    if s.hits.is_empty() {
        let msg = if s.candidates.is_empty() {
            // The roster is loaded before a session opens: empty means empty.
            format!(
                "No peers on the roster yet; {} adds a walk-in.",
                key(Action::WalkIn)
            )
        } else {
            format!(
                "No peer matches '{}'; {} adds them as a walk-in.",
                clip(q, 30),
                key(Action::WalkIn)
            )
        };
        Line::styled(clip(&msg, w), t.dim()).render(list, buf);
    }
    let offset = s.cursor.shown(height);
    let rows = s.hits.iter().enumerate().skip(offset).map(|(i, &idx)| {
        let Some(c) = s.candidates.get(idx) else {
            return Line::default();
        };
        let sel = i == s.cursor.selected && focused;
        let base = if sel { t.selected() } else { t.text() };
        let hl = if sel {
            t.selected().patch(t.matched())
        } else {
            t.matched()
        };
        let (on, tail) = match c.id {
            Some(id) if c.status == PeerStatus::Active => {
                (s.attending.contains(&id), format!(" {id}"))
            }
            Some(id) => (
                s.attending.contains(&id),
                format!(" {id} ({})", c.status.label()),
            ),
            None => (true, " new walk-in".to_string()),
        };
        let name_w = w.saturating_sub(tail.len() + 4);
        let positions = if q.is_empty() {
            Vec::new()
        } else {
            s.matcher.positions(&c.name, q)
        };
        let mut spans = vec![Span::styled(if on { "[x] " } else { "[ ] " }, base)];
        spans.extend(highlighted_name(ctx, &c.name, &positions, name_w, base, hl));
        spans.push(Span::styled(tail, if sel { base } else { t.dim() }));
        Line::from(spans)
    });
    draw_lines(rows, list, buf);

    // Problems with the attendance, or other save failures.
    let problem = s
        .error_for("attendees")
        .or_else(|| s.error_for(""))
        .map(|e| format!("✗ Not saved: {e}"));
    if let Some(p) = problem {
        Line::styled(clip(&p, w), t.error()).render(problem_row, buf);
    }

    for (field, label, input, row) in [
        (AttendanceField::Topic, "Topic", &s.topic, topic_row),
        (AttendanceField::Note, "Note", &s.note, note_row),
    ] {
        let f = s.focus == field;
        Span::styled(
            format!("{}{label:<6}", if f { "▸" } else { " " }),
            if f { t.focus() } else { t.heading() },
        )
        .render(row, buf);
        let iw = (area.width.saturating_sub(7)).min(60);
        let (input_area, after) = split_cols(split_cols(row, 7).1, iw);
        Widget::render(input.area(), input_area, buf);
        let key = if field == AttendanceField::Topic {
            "topic"
        } else {
            "note"
        };
        if let Some(e) = s.error_for(key) {
            let problem = split_cols(after, 1).1;
            Line::styled(
                clip(&format!("✗ {e}"), usize::from(problem.width)),
                t.error(),
            )
            .render(problem, buf);
        }
    }
    let footer = if s.saving {
        Line::styled("Saving…", t.heading())
    } else {
        let mut parts = vec![format!("{} save", key(Action::Save))];
        parts.push(format!("{} topic/note", key(Action::NextField)));
        parts.push(format!("{} back", key(Action::Back)));
        Line::styled(clip(&parts.join(" · "), w), t.dim())
    };
    footer.render(footer_row, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::roster::sample_rows;

    /// A session's roster searched over the roster's shared index ranks
    /// as over an index of its own (what every session built before), with
    /// or without the first-character tables; a walk-in makes it its own.
    #[test]
    fn the_shared_index_ranks_as_the_sessions_own_did() {
        let rows = sample_rows(90);
        let roster = RosterSearch::new(Arc::new(rows.clone()));
        let mut candidates: Vec<Candidate> = rows
            .iter()
            .enumerate()
            .map(|(row, r)| Candidate::of_roster(row, r))
            .collect();
        sort_candidates(&mut candidates);
        let own = |c: &[Candidate]| {
            Search::Own(LiveSearch::new(SearchIndex::new(c.iter().map(|c| {
                (c.name.as_str(), &c.keys, c.status == PeerStatus::Active)
            }))))
        };
        for tables in [false, true] {
            if tables {
                assert!(roster.index.install_first_chars(roster.index.first_chars()));
            }
            let mut shared = Search::new(&candidates, &roster);
            assert!(matches!(shared, Search::Shared { .. }));
            let mut alone = own(&candidates);
            for q in ["k", "ke", "kei", "k", "a", "P17", "kin", "", "zo"] {
                assert_eq!(shared.rank(q), alone.rank(q), "{q:?}, tables {tables}");
            }
        }
        candidates.push(Candidate {
            id: None,
            row: None,
            name: "Kai Walkin".into(),
            status: PeerStatus::Active,
            keys: Default::default(),
        });
        sort_candidates(&mut candidates);
        assert!(matches!(Search::new(&candidates, &roster), Search::Own(_)));
    }
}
