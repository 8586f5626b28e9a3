//! A peer's check-ins, to correct them: the list (voided ones struck
//! through and marked `✗`, so the mark survives a terminal without
//! styles), a full view of one check-in with its earlier versions, and
//! the reason asked before voiding one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::model::{CheckIn, CheckInId, Choice, PeerId, Record};
use crate::text::escape_multiline;
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, name};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::{draw_lines, ListCursor, TextScroll};

/// The keymap contexts of the list and the full view.
pub const CHAIN_CHECKINS: &[Context] = &[
    Context::CheckIns,
    Context::PeerPage,
    Context::List,
    Context::Global,
];
/// The reason field: printable keys type.
pub const CHAIN_REASON: &[Context] = &[Context::Input, Context::Form, Context::Global];

/// The glyph of a voided check-in (struck-through text alone is lost on
/// terminals without that style).
pub const VOID_MARK: &str = "✗";

/// What the check-ins layer shows.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The list.
    List,
    /// One check-in in full, with its versions once loaded.
    Full {
        /// Which.
        id: CheckInId,
        /// Every version, oldest first, the current one last (None while
        /// loading; Err why loading failed).
        history: Option<Result<Vec<Record<CheckIn>>, String>>,
        /// First line shown, and what the last draw showed.
        scroll: TextScroll,
    },
    /// Asking why a check-in is voided.
    Voiding {
        /// Which.
        id: CheckInId,
        /// The reason typed (boxed: a text area is large).
        reason: Box<LineInput>,
        /// A void on its way to the store.
        saving: bool,
        /// Why the last try was refused.
        error: Option<String>,
    },
}

/// State of the check-ins layer.
#[derive(Debug, Clone)]
pub struct CheckInsState {
    /// Whose check-ins.
    pub peer: PeerId,
    /// Their name, raw (privacy is applied when drawn).
    pub name: String,
    /// Newest first, as the peer page loaded them.
    pub checkins: Vec<Record<CheckIn>>,
    /// Staff initials by id, for the rows.
    pub initials: std::collections::HashMap<crate::model::StaffId, String>,
    /// The selected row.
    pub cursor: ListCursor,
    /// What is in front.
    pub mode: Mode,
}

impl CheckInsState {
    /// The list of `checkins` (newest first) of `peer`.
    pub fn new(
        peer: PeerId,
        name: String,
        checkins: Vec<Record<CheckIn>>,
        initials: std::collections::HashMap<crate::model::StaffId, String>,
    ) -> CheckInsState {
        CheckInsState {
            peer,
            name,
            checkins,
            initials,
            cursor: ListCursor::default(),
            mode: Mode::List,
        }
    }

    /// The selected check-in.
    pub fn selected(&self) -> Option<&Record<CheckIn>> {
        self.checkins.get(self.cursor.selected)
    }

    /// New rows after a reload, keeping the selection on the same record.
    pub fn set_checkins(&mut self, checkins: Vec<Record<CheckIn>>) {
        let keep = self.selected().map(|c| c.id);
        self.checkins = checkins;
        let at = keep
            .and_then(|id| self.checkins.iter().position(|c| c.id == id))
            .unwrap_or(self.cursor.selected);
        self.cursor.select(at, self.checkins.len());
    }
}

/// One row of the list: mark, when, mode, minutes, staff, first line of
/// the note (hidden in privacy mode: notes are the most private text).
fn row_line(
    s: &CheckInsState,
    c: &Record<CheckIn>,
    ctx: &ViewCtx<'_>,
    w: usize,
    selected: bool,
) -> Line<'static> {
    let t = ctx.theme;
    let who = s
        .initials
        .get(&c.staff)
        .cloned()
        .unwrap_or_else(|| "?".into());
    let mark = if c.voided.is_some() { VOID_MARK } else { " " };
    let head = format!(
        "{mark} {:<5} {} {:<9} {:>3} min {}",
        c.id.to_string(),
        ctx_time(c),
        c.mode.label(),
        c.minutes,
        fit(&who, 4)
    );
    // The reveal key shows the selected row's note until the next key.
    let note = if ctx.privacy && !(ctx.reveal && selected) {
        "(note hidden: privacy mode)".to_string()
    } else {
        let mut n = c.note.lines().next().unwrap_or("").to_string();
        if c.note.lines().nth(1).is_some() {
            n.push_str(" …");
        }
        n
    };
    // A voided one says so before its note, so a narrow screen keeps it.
    let text = match &c.voided {
        Some(v) => clip(&format!("{head}  voided: {} · {note}", v.reason), w),
        None => clip(&format!("{head}  {note}"), w),
    };
    let style = if c.voided.is_some() {
        t.dim().add_modifier(Modifier::CROSSED_OUT)
    } else {
        t.text()
    };
    Line::styled(text, style)
}

fn ctx_time(c: &Record<CheckIn>) -> String {
    c.at.format("%Y-%m-%d %H:%M").to_string()
}

/// The full view's text: every field, the whole note, then the versions.
pub fn full_text(
    s: &CheckInsState,
    id: CheckInId,
    history: &Option<Result<Vec<Record<CheckIn>>, String>>,
    ctx: &ViewCtx<'_>,
) -> Text<'static> {
    let t = ctx.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let Some(c) = s.checkins.iter().find(|c| c.id == id) else {
        return Text::from(Line::styled("This check-in is no longer listed.", t.dim()));
    };
    let who = s
        .initials
        .get(&c.staff)
        .cloned()
        .unwrap_or_else(|| c.staff.to_string());
    let mut head = format!(
        "{} with {} ({}) · {}",
        c.id,
        name(ctx, &s.name),
        s.peer,
        ctx_time(c)
    );
    if c.voided.is_some() {
        head = format!("{VOID_MARK} {head} · VOIDED");
    }
    lines.push(Line::styled(
        escape_multiline(&head).into_owned(),
        t.heading(),
    ));
    if let Some(v) = &c.voided {
        lines.push(Line::styled(
            escape_multiline(&format!(
                "Voided {} by {}: {} (counted nowhere)",
                crate::model::dates::CENTER
                    .at(&v.at)
                    .format("%Y-%m-%d %H:%M"),
                v.by,
                v.reason
            ))
            .into_owned(),
            t.error(),
        ));
    }
    let support: Vec<&str> = c.support.iter().map(|k| k.label()).collect();
    lines.push(Line::raw(format!(
        "{} · {} min · by {who} · support: {}",
        c.mode.label(),
        c.minutes,
        if support.is_empty() {
            "none".to_string()
        } else {
            support.join(", ")
        }
    )));
    let mut more = Vec::new();
    if let Some(wb) = c.wellbeing {
        more.push(format!("wellbeing {wb}/5"));
    }
    if let Some(f) = c.follow_up {
        more.push(format!("follow-up {f}"));
    }
    if !c.goals.is_empty() {
        let g: Vec<String> = c.goals.iter().map(|g| g.to_string()).collect();
        more.push(format!("goals {}", g.join(", ")));
    }
    if !more.is_empty() {
        lines.push(Line::raw(more.join(" · ")));
    }
    lines.push(Line::raw(""));
    if ctx.privacy && !ctx.reveal {
        let key = ctx
            .keymap
            .key_for(&[Context::Global], false, crate::ui::action::Action::Reveal)
            .unwrap_or_else(|| "reveal".into());
        lines.push(Line::styled(
            format!("(note hidden: privacy mode; {key} shows it)"),
            t.dim(),
        ));
    } else if c.note.trim().is_empty() {
        lines.push(Line::styled("(no note)", t.dim()));
    } else {
        for l in escape_multiline(&c.note).lines() {
            lines.push(Line::raw(l.to_string()));
        }
    }
    lines.push(Line::raw(""));
    match history {
        None => lines.push(Line::styled("Versions: loading…", t.dim())),
        Some(Err(e)) => lines.push(Line::styled(
            format!("Versions: could not load them: {e}"),
            t.error(),
        )),
        Some(Ok(versions)) => {
            let n = versions.len();
            lines.push(Line::styled(
                if n <= 1 {
                    "Versions: 1 (never corrected)".to_string()
                } else {
                    format!("Versions: {n} ({} earlier, oldest first)", n - 1)
                },
                t.heading(),
            ));
            for (i, v) in versions.iter().enumerate() {
                let when = crate::model::dates::CENTER.at(&v.meta.updated_at);
                let current = if i + 1 == n { " (current)" } else { "" };
                let state = if v.voided.is_some() {
                    format!(" {VOID_MARK} voided")
                } else {
                    String::new()
                };
                lines.push(Line::raw(
                    escape_multiline(&format!(
                        "  revision {}{current}{state}: saved {} by {} · {} · {} min",
                        v.meta.revision,
                        when.format("%Y-%m-%d %H:%M"),
                        v.meta.updated_by,
                        ctx_time(v),
                        v.minutes
                    ))
                    .into_owned(),
                ));
                if !ctx.privacy || ctx.reveal {
                    let first = v.note.lines().next().unwrap_or("");
                    lines.push(Line::styled(
                        format!("    {}", escape_multiline(first)),
                        t.dim(),
                    ));
                }
            }
        }
    }
    Text::from(lines)
}

/// Draws the layer over the pane.
pub fn render(s: &CheckInsState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let t = ctx.theme;
    Clear.render(area, buf);
    let title = match &s.mode {
        Mode::Full { id, .. } => format!(" Check-in {id} "),
        _ => format!(" Check-ins of {} ({}) ", name(ctx, &s.name), s.peer),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(clip(&title, usize::from(area.width.saturating_sub(4))));
    let inner = block.inner(area);
    block.render(area, buf);
    let w = usize::from(inner.width);
    match &s.mode {
        Mode::Full {
            id,
            history,
            scroll,
        } => {
            let text = Paragraph::new(full_text(s, *id, history, ctx)).wrap(Wrap { trim: false });
            let top = scroll.shown(usize::from(inner.height), text.line_count(inner.width));
            text.scroll((u16::try_from(top).unwrap_or(u16::MAX), 0))
                .render(inner, buf);
        }
        Mode::List | Mode::Voiding { .. } => {
            let voiding = matches!(s.mode, Mode::Voiding { .. });
            let [list, question] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(if voiding { 3 } else { 0 }),
            ])
            .areas(inner);
            if s.checkins.is_empty() {
                Line::styled("  no check-ins yet", t.dim()).render(inner, buf);
            }
            let first = s.cursor.shown(usize::from(list.height));
            let rows = s.checkins.iter().enumerate().skip(first).map(|(i, c)| {
                let line = row_line(s, c, ctx, w, i == s.cursor.selected);
                if i == s.cursor.selected {
                    line.patch_style(t.selected())
                } else {
                    line
                }
            });
            draw_lines(rows, list, buf);
            if let Mode::Voiding {
                id,
                reason,
                saving,
                error,
            } = &s.mode
            {
                let [ask_area, reason_area, error_area] =
                    Layout::vertical([Constraint::Length(1); 3]).areas(question);
                let ask = if *saving {
                    format!("Voiding {id}…")
                } else {
                    format!("Void {id}: why? (Enter voids it, Esc keeps it)")
                };
                Line::styled(clip(&ask, w), t.heading()).render(ask_area, buf);
                reason.area().render(reason_area, buf);
                if let Some(e) = error {
                    Line::styled(clip(e, w), t.error()).render(error_area, buf);
                }
            }
        }
    }
}
