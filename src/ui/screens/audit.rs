//! The audit browser: who opened, created, changed or deleted what, who
//! signed in or was refused, who locked the screen — newest first, with
//! filters for one peer, one staff member and a first day.
//!
//! Supervisors and admins only (`Permission::ReadAudit`); the app refuses
//! everyone else before a request is made and the worker (and a server)
//! check again. Rows show record ids, never peer names, so the browser
//! reveals no more than the trail itself.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::StaffId;
use crate::store::{AuditEntry, AuditEvent};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::{draw_lines, ListCursor};
use crate::ui::worker::{AuditPage, AuditQuery, StaffRow};

/// Keys while browsing the rows.
pub const CHAIN_LIST: &[Context] = &[Context::List, Context::Global];
/// Keys while typing a filter: Tab moves between the filters.
pub const CHAIN_FILTER: &[Context] = &[Context::Input, Context::Form, Context::Global];

/// The three filters, in Tab order.
pub const FILTERS: [&str; 3] = ["Peer", "Staff", "Since"];

/// What the app should do after the browser handled an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    /// Nothing more.
    None,
    /// Load the trail again with the filters now applied.
    Reload,
    /// Leave the browser.
    Close,
}

/// State of the audit browser.
pub struct AuditState {
    /// Filter fields: peer, staff, since.
    pub filters: [LineInput; 3],
    /// The filter being typed into, if any.
    pub editing: Option<usize>,
    applied: AuditQuery,
    /// The latest page.
    pub page: Option<Box<AuditPage>>,
    /// Why the last load failed.
    pub error: Option<String>,
    /// A load is on its way.
    pub loading: bool,
    /// Selected row.
    pub cursor: ListCursor,
}

impl Default for AuditState {
    fn default() -> Self {
        let field = |placeholder: &str| {
            let mut f = LineInput::default();
            f.set_placeholder(placeholder);
            f
        };
        AuditState {
            filters: [field("any peer"), field("anyone"), field("all time")],
            editing: None,
            applied: AuditQuery::default(),
            page: None,
            error: None,
            loading: true,
            cursor: ListCursor::default(),
        }
    }
}

impl AuditState {
    /// The filters last applied (what the page shows).
    pub fn query(&self) -> AuditQuery {
        self.applied.clone()
    }

    /// Key contexts and whether printable keys type.
    pub fn context(&self) -> (&'static [Context], bool) {
        if self.editing.is_some() {
            (CHAIN_FILTER, true)
        } else {
            (CHAIN_LIST, false)
        }
    }

    /// Starts typing into the filters (the peer filter first).
    pub fn edit(&mut self, theme: &Theme) {
        self.focus(Some(0), theme);
    }

    fn focus(&mut self, which: Option<usize>, theme: &Theme) {
        self.editing = which;
        for (i, f) in self.filters.iter_mut().enumerate() {
            f.set_focused(Some(i) == which, theme);
        }
    }

    fn apply(&mut self, theme: &Theme) -> AuditOutcome {
        self.focus(None, theme);
        let q = AuditQuery {
            peer: self.filters[0].text().trim().to_string(),
            staff: self.filters[1].text().trim().to_string(),
            since: self.filters[2].text().trim().to_string(),
        };
        self.applied = q;
        self.loading = true;
        AuditOutcome::Reload
    }

    /// Takes a loaded page, keeping the selected entry selected.
    pub fn set_page(&mut self, page: Box<AuditPage>) {
        let keep = self.selected().map(|e| e.seq);
        self.page = Some(page);
        self.error = None;
        self.loading = false;
        let len = self.len();
        let pos = keep.and_then(|seq| {
            self.page
                .as_ref()
                .and_then(|p| p.entries.iter().position(|e| e.seq == seq))
        });
        match pos {
            Some(p) => self.cursor.select(p, len),
            None => self.cursor.clamp(len),
        }
    }

    /// A load failed.
    pub fn set_error(&mut self, e: String) {
        self.loading = false;
        self.error = Some(e);
    }

    fn len(&self) -> usize {
        self.page.as_ref().map_or(0, |p| p.entries.len())
    }

    /// The selected entry.
    pub fn selected(&self) -> Option<&AuditEntry> {
        self.page
            .as_ref()
            .and_then(|p| p.entries.get(self.cursor.selected))
    }

    /// Handles an action; `height` is the number of visible rows.
    pub fn handle(&mut self, action: Action, theme: &Theme) -> AuditOutcome {
        if let Some(i) = self.editing {
            return match action {
                Action::NextField => {
                    self.focus(Some((i + 1) % FILTERS.len()), theme);
                    AuditOutcome::None
                }
                Action::PrevField => {
                    self.focus(Some((i + FILTERS.len() - 1) % FILTERS.len()), theme);
                    AuditOutcome::None
                }
                Action::Open | Action::Save => self.apply(theme),
                Action::Back => {
                    // Leave the fields as they were applied.
                    let applied = [
                        self.applied.peer.clone(),
                        self.applied.staff.clone(),
                        self.applied.since.clone(),
                    ];
                    for (f, text) in self.filters.iter_mut().zip(applied) {
                        f.set_text(&text);
                    }
                    self.focus(None, theme);
                    AuditOutcome::None
                }
                _ => AuditOutcome::None,
            };
        }
        if self.cursor.apply(action, self.len()) {
            return AuditOutcome::None;
        }
        match action {
            Action::Back => AuditOutcome::Close,
            Action::Search => {
                self.edit(theme);
                AuditOutcome::None
            }
            _ => AuditOutcome::None,
        }
    }

    /// Types into the focused filter; Enter applies the filters.
    pub fn text_key(&mut self, ev: KeyEvent, theme: &Theme) -> AuditOutcome {
        let Some(i) = self.editing else {
            return AuditOutcome::None;
        };
        if ev.code == KeyCode::Enter {
            return self.apply(theme);
        }
        self.filters[i].key(ev);
        AuditOutcome::None
    }

    /// Pastes into the focused filter.
    pub fn paste(&mut self, s: &str) {
        if let Some(i) = self.editing {
            self.filters[i].paste(s);
        }
    }
}

/// One audit entry as the browser's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// "2026-11-23 14:30:05", in the app's time zone.
    pub when: String,
    /// "S1 JR (jordan)": staff id and initials, and the OS login.
    pub who: String,
    /// "changed check-in", "opened record", "signed in".
    pub what: String,
    /// Which record: "C45", "P12", "S2".
    pub record: String,
    /// "3 → 4", "new (1)", or a reason.
    pub detail: String,
}

/// The columns of one entry.
pub fn row(e: &AuditEntry, staff: &[StaffRow], offset: &chrono::FixedOffset) -> AuditRow {
    let who = match e.actor.staff {
        Some(id) => match staff.iter().find(|s| s.id == id) {
            Some(s) => format!("{id} {} ({})", s.initials, e.actor.login),
            None => format!("{id} ({})", e.actor.login),
        },
        None => format!("({})", e.actor.login),
    };
    let staff_id = |s: &Option<StaffId>| s.map(|s| s.to_string()).unwrap_or_default();
    let (what, record, detail) = match &e.event {
        AuditEvent::Created { kind, id, revision } => (
            format!("created {kind}"),
            id.clone(),
            format!("new ({revision})"),
        ),
        AuditEvent::Updated {
            kind,
            id,
            from_revision,
            to_revision,
        } => (
            format!("changed {kind}"),
            id.clone(),
            format!("{from_revision} → {to_revision}"),
        ),
        AuditEvent::Deleted { kind, id, revision } => (
            format!("deleted {kind}"),
            id.clone(),
            format!("was {revision}"),
        ),
        AuditEvent::SettingsChanged => ("changed settings".into(), String::new(), String::new()),
        AuditEvent::Imported { records } => (
            "imported".into(),
            String::new(),
            crate::text::count_u64(*records, "record", "records"),
        ),
        AuditEvent::Viewed { peer } => ("opened record".into(), peer.to_string(), String::new()),
        AuditEvent::SignedIn { staff } => ("signed in".into(), staff.to_string(), String::new()),
        AuditEvent::SignInFailed { staff, reason } => {
            ("sign-in refused".into(), staff_id(staff), reason.clone())
        }
        AuditEvent::SignInFailures {
            staff,
            count,
            reason,
        } => (
            format!("sign-in refused ×{count}"),
            staff_id(staff),
            reason.clone(),
        ),
        AuditEvent::KioskStarted { station } => {
            ("started kiosk".into(), String::new(), station.clone())
        }
        AuditEvent::KioskLeft { staff } => ("left kiosk".into(), staff_id(staff), String::new()),
        AuditEvent::KioskCodeSet { peer, cleared } => (
            if *cleared {
                "cleared kiosk code"
            } else {
                "set kiosk code"
            }
            .into(),
            peer.to_string(),
            String::new(),
        ),
        AuditEvent::Locked => ("locked the screen".into(), String::new(), String::new()),
        AuditEvent::SignedOut => ("signed out".into(), String::new(), String::new()),
        AuditEvent::Exported { to } => ("exported all".into(), String::new(), to.clone()),
        AuditEvent::Read { what, peers } => (
            format!("read {what}"),
            String::new(),
            crate::text::count(peers.len(), "peer", "peers"),
        ),
        AuditEvent::Refused {
            operation,
            reason,
            peer,
        } => (
            format!("refused {operation}"),
            peer.map(|p| p.to_string()).unwrap_or_default(),
            reason.clone(),
        ),
        AuditEvent::Credited { checkin, staff, .. } => {
            ("credited".into(), checkin.clone(), staff.to_string())
        }
        AuditEvent::Disclosed {
            peer,
            recipient,
            consent,
            included,
            ..
        } => (
            format!("disclosed to {recipient}"),
            peer.to_string(),
            format!(
                "under {consent}: {}",
                included
                    .iter()
                    .map(|k| crate::model::Choice::key(*k))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        AuditEvent::CreatedBatch {
            kind,
            first,
            last,
            count,
        } => (
            format!("created {count} × {kind}"),
            format!("{first}–{last}"),
            String::new(),
        ),
        AuditEvent::Merged { from, into } => (
            "merged peer".into(),
            from.to_string(),
            format!("into {into}"),
        ),
    };
    AuditRow {
        when: e
            .at
            .with_timezone(offset)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        who,
        what,
        record,
        detail,
    }
}

/// Draws the browser into `area`.
pub fn render(state: &AuditState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height < 4 || area.width < 30 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let [head_area, filters_area, columns_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    // Line 1: heading and what is shown.
    let mut head = vec![Span::styled("Audit trail", t.heading())];
    let info = match (&state.page, state.loading) {
        (_, true) => " · loading…".to_string(),
        (Some(p), false) => format!(
            " · newest first · {}{} entr{} · {}",
            if p.truncated { "latest " } else { "" },
            p.entries.len(),
            if p.entries.len() == 1 { "y" } else { "ies" },
            p.understood
        ),
        (None, false) => String::new(),
    };
    head.push(Span::styled(clip(&info, w.saturating_sub(11)), t.dim()));
    Line::from(head).render(head_area, buf);

    // Line 2: the filters, label and field, as many as fit whole.
    let field_w = ((area.width.saturating_sub(24)) / 3).clamp(8, 20);
    let labels: Vec<String> = FILTERS.iter().map(|name| format!("{name}: ")).collect();
    let mut fitted = Vec::new();
    let mut used = 0;
    for label in &labels {
        let lw = label.len() as u16;
        if used + lw + field_w > area.width {
            break;
        }
        fitted.push(Constraint::Length(lw + field_w));
        used += lw + field_w + 2;
    }
    let cells = Layout::horizontal(fitted).spacing(2).split(filters_area);
    for (i, (label, cell)) in labels.into_iter().zip(cells.iter()).enumerate() {
        let focused = state.editing == Some(i);
        let [label_area, field] =
            Layout::horizontal([Constraint::Length(label.len() as u16), Constraint::Fill(1)])
                .areas(*cell);
        Span::styled(label, if focused { t.focus() } else { t.dim() }).render(label_area, buf);
        Widget::render(state.filters[i].area(), field, buf);
    }

    // Line 3: column headings.
    let when_w = 19;
    let who_w = 18;
    let record_w = 6;
    let what_w = 17;
    let detail_w = w.saturating_sub(when_w + who_w + what_w + record_w + 4);
    let columns = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        format!(
            "{} {} {} {} {}",
            fit(a, when_w),
            fit(b, who_w),
            fit(c, what_w),
            fit(d, record_w),
            fit(e, detail_w)
        )
    };
    Line::styled(
        clip(
            &columns("When", "Who", "What", "Record", "Revisions / detail"),
            w,
        ),
        t.dim(),
    )
    .render(columns_area, buf);

    if let Some(e) = &state.error {
        Line::styled(clip(e, w), t.error()).render(body, buf);
        if state.page.is_none() {
            return;
        }
    }
    let Some(page) = &state.page else {
        Line::styled("Loading the audit trail…", t.dim()).render(body, buf);
        return;
    };
    if page.entries.is_empty() {
        Line::styled(
            "No entries match these filters (/ to change them).",
            t.dim(),
        )
        .render(body, buf);
        return;
    }
    // Below the error line, when there is one.
    let skip = u16::from(state.error.is_some());
    let [_, list] = Layout::vertical([Constraint::Length(skip), Constraint::Fill(1)]).areas(body);
    let offset = state.cursor.shown(usize::from(list.height));
    let rows = page.entries.iter().enumerate().skip(offset).map(|(i, e)| {
        let r = row(e, &page.staff, ctx.now.offset());
        let style = if i == state.cursor.selected {
            t.selected()
        } else {
            t.text()
        };
        Line::styled(
            clip(&columns(&r.when, &r.who, &r.what, &r.record, &r.detail), w),
            style,
        )
    });
    draw_lines(rows, list, buf);
    crate::ui::widgets::list::scrollbar(list, buf, page.entries.len(), offset, t.dim());
}
