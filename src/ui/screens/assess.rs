//! Taking an assessment with the peer (one item a screen, the peer reading
//! along: large item text, the answers with their labels, nothing else of
//! the record on screen) and the peer page's Assessments tab (the latest
//! total, the change from the first assessment and each item's change).
//!
//! The sitting's state is plain data here; its keys are handled in
//! `app/assess.rs`, and saving goes through the worker to the store.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::model::assessment::{progress, signed};
use crate::model::instrument::{Instrument, Instruments};
use crate::model::{Assessment, PeerId, Record};
use crate::text::escape_line;
use crate::ui::view::ViewCtx;

/// Key contexts while an assessment is in front: numbers answer (typed,
/// unbound in `[assess]`), the rest as `[assess]` and `[global]` say.
pub const CHAIN: &[crate::ui::keymap::Context] = &[
    crate::ui::keymap::Context::Assess,
    crate::ui::keymap::Context::Global,
];

/// One sitting of an instrument, item by item.
#[derive(Debug, Clone)]
pub struct AssessSitting {
    /// Whose answers these are.
    pub peer: PeerId,
    /// Their name (the title bar already shows it; kept for the status line).
    pub peer_name: String,
    /// The instrument taken.
    pub instrument: Instrument,
    /// The screen in front: an item's index, or the number of items for
    /// the last screen (the total and save).
    pub at: usize,
    /// The answers so far, one per item.
    pub scores: Vec<Option<u8>>,
    /// Saving: the answers are on their way to the store.
    pub saving: bool,
    /// Why the last save failed, if it did.
    pub error: Option<String>,
}

impl AssessSitting {
    /// A new sitting, on the first item.
    pub fn new(peer: PeerId, peer_name: impl Into<String>, instrument: Instrument) -> Self {
        let n = instrument.items.len();
        AssessSitting {
            peer,
            peer_name: peer_name.into(),
            instrument,
            at: 0,
            scores: vec![None; n],
            saving: false,
            error: None,
        }
    }

    /// True on the last screen (every item behind).
    pub fn on_end(&self) -> bool {
        self.at >= self.instrument.items.len()
    }

    /// Gives the item in front the answer `value` and moves on. Refused
    /// (false) off the scale, on the last screen or while saving.
    pub fn answer(&mut self, value: u8) -> bool {
        if self.saving || self.on_end() || !self.instrument.scale.contains(value) {
            return false;
        }
        self.scores[self.at] = Some(value);
        self.at += 1;
        true
    }

    /// Back one item (the answer stays, to be changed or kept).
    pub fn back(&mut self) {
        if !self.saving {
            self.at = self.at.saturating_sub(1);
        }
    }

    /// Forward one item, only past an answered one.
    pub fn forward(&mut self) -> bool {
        if self.saving || self.on_end() || self.scores[self.at].is_none() {
            return false;
        }
        self.at += 1;
        true
    }

    /// How many items have an answer.
    pub fn answered(&self) -> usize {
        self.scores.iter().filter(|s| s.is_some()).count()
    }

    /// Every answer, once all items have one.
    pub fn complete(&self) -> Option<Vec<u8>> {
        self.scores.iter().copied().collect()
    }

    /// The sum of the answers given so far.
    pub fn total(&self) -> u32 {
        self.scores.iter().flatten().map(|s| u32::from(*s)).sum()
    }

    /// The record to save, when complete.
    pub fn assessment(&self, at: chrono::DateTime<chrono::Utc>) -> Option<Assessment> {
        let scores = self.complete()?;
        let total = self.instrument.score(&scores).ok()?;
        Some(Assessment {
            peer: self.peer,
            instrument: self.instrument.id.clone(),
            version: self.instrument.version,
            scores,
            total,
            at,
            staff: None,
        })
    }
}

/// Draws the sitting over `area`, hiding everything beneath.
pub fn render(s: &AssessSitting, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let t = ctx.theme;
    let i = &s.instrument;
    let n = i.items.len();
    let inner = area.inner(Margin::new(2, 0));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let head = if s.on_end() {
        format!("{} — all {n} answered", escape_line(&i.short_name))
    } else {
        format!(
            "{} — statement {} of {n}",
            escape_line(&i.short_name),
            s.at + 1
        )
    };
    lines.push(Line::styled(head, t.dim()));
    lines.push(Line::raw(""));
    if s.on_end() {
        lines.push(Line::styled(
            format!(
                "Total {}   (from {} to {})",
                s.total(),
                i.range.0,
                i.range.1
            ),
            t.title().add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::raw(""));
        for note in i.notes_for(s.total()) {
            lines.push(Line::raw(escape_line(&note.text).into_owned()));
        }
        lines.push(Line::raw(""));
        let key = |a| {
            ctx.keymap
                .key_for(CHAIN, true, a)
                .unwrap_or_else(|| "?".into())
        };
        lines.push(Line::styled(
            format!(
                "{} saves · {} goes back to change an answer",
                key(crate::ui::action::Action::Save),
                key(crate::ui::action::Action::PrevField)
            ),
            t.ok(),
        ));
        if s.saving {
            lines.push(Line::styled("saving…", t.dim()));
        }
        if let Some(e) = &s.error {
            lines.push(Line::styled(
                format!("not saved: {}", escape_line(e)),
                t.error(),
            ));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            escape_line(&i.attribution).into_owned(),
            t.dim(),
        ));
    } else {
        if s.at == 0 && !i.instructions.is_empty() {
            lines.push(Line::raw(escape_line(&i.instructions).into_owned()));
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            escape_line(&i.items[s.at]).into_owned(),
            t.title().add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::raw(""));
        for v in i.scale.min..=i.scale.max {
            let label = i.scale.label(v).unwrap_or("");
            let text = format!("  {v}   {}", escape_line(label));
            if s.scores[s.at] == Some(v) {
                lines.push(Line::from(vec![Span::styled(
                    format!("{text}  ◀"),
                    t.selected(),
                )]));
            } else {
                lines.push(Line::raw(text));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "Press {} to {} · {} answered",
                i.scale.min,
                i.scale.max,
                s.answered()
            ),
            t.dim(),
        ));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

/// Draws the Assessments tab: per instrument, the latest total, the change
/// from the first and each item's change; then every sitting.
pub fn render_tab(
    list: &[Record<Assessment>],
    instruments: &Instruments,
    ctx: &ViewCtx<'_>,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = ctx.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if list.is_empty() {
        let key = ctx
            .keymap
            .key_for(
                &[
                    crate::ui::keymap::Context::PeerPage,
                    crate::ui::keymap::Context::Global,
                ],
                false,
                crate::ui::action::Action::StartAssessment,
            )
            .unwrap_or_else(|| "?".into());
        lines.push(Line::styled(
            format!("No assessments yet. {key} takes the BARC-10 with the peer, one statement a screen."),
            t.dim(),
        ));
    }
    let width = usize::from(area.width);
    for p in progress(list) {
        let inst = instruments.get(&p.instrument);
        let name = inst.map_or(p.instrument.clone(), |i| i.short_name.clone());
        lines.push(Line::styled(
            format!(
                "{} · latest total {} on {} · {} taken",
                escape_line(&name),
                p.latest.1,
                p.latest.0,
                p.count
            ),
            t.title(),
        ));
        lines.push(Line::raw(format!(
            "  change from the first ({} on {}): {}",
            p.first.1,
            p.first.0,
            signed(p.change)
        )));
        for (n, change) in p.item_changes.iter().enumerate() {
            let text = inst.and_then(|i| i.items.get(n)).map_or_else(
                || format!("item {}", n + 1),
                |s| escape_line(s).into_owned(),
            );
            let latest = p.latest_scores.get(n).copied().unwrap_or(0);
            let head = format!("  {:>2}. {:>3}  now {latest}  ", n + 1, signed(*change));
            let room = width.saturating_sub(crate::text::width(&head));
            lines.push(Line::raw(format!(
                "{head}{}",
                crate::text::truncate(&text, room)
            )));
        }
        lines.push(Line::raw(""));
    }
    if !list.is_empty() {
        lines.push(Line::styled("Taken", t.dim()));
        for a in list.iter().rev() {
            lines.push(Line::raw(format!(
                "  {} {:<8} total {:>3}  {}",
                a.day(),
                escape_line(&a.instrument),
                a.total,
                a.id
            )));
        }
    }
    Paragraph::new(lines).render(area, buf);
}

/// The goal timeline's row of assessment totals for `instrument`: its
/// label and `cols` cells with each total written from its day's column
/// ("47" over two columns), later totals over earlier ones.
pub fn timeline_row(
    capital: &[(chrono::NaiveDate, String, u32)],
    instrument: &str,
    scale: &crate::ui::widgets::timeline::Scale,
    cols: usize,
) -> (String, String) {
    let mut cells = vec![' '; cols];
    for (day, _, total) in capital.iter().filter(|(_, id, _)| id == instrument) {
        if let Some(c) = scale.col(*day) {
            for (i, ch) in total.to_string().chars().enumerate() {
                if let Some(cell) = cells.get_mut(c + i) {
                    *cell = ch;
                }
            }
        }
    }
    let label = if instrument == "barc10" {
        "  BARC-10 total".to_string()
    } else {
        format!("  {} total", escape_line(instrument))
    };
    (label, cells.into_iter().collect())
}
