//! The Consents tab of the peer page: each consent to share with its
//! state today (active, expired, revoked, derived from its dates), who it
//! is for, what it lets the organization share and until when; below,
//! the peer's disclosure history (what was given to whom, under which
//! consent). Consents are recorded and revoked with `caseload consent`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::model::{Choice, Consent, ConsentState, Disclosure, Record};
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit};
use crate::ui::widgets::layout::head_body;
use crate::ui::widgets::list::{draw_lines, ListCursor};

/// Lines one consent takes.
const LINES_PER_CONSENT: usize = 2;

/// State of the Consents tab: which consent is selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentsState {
    /// The selected consent and the first one shown.
    pub cursor: ListCursor,
}

impl ConsentsState {
    /// Moves the selection over `len` consents; false for other actions.
    pub fn handle(&mut self, action: Action, len: usize) -> bool {
        self.cursor.apply(action, len)
    }
}

/// One consent's first line: id, state, recipient, when it ends.
pub fn consent_line(c: &Record<Consent>, today: chrono::NaiveDate) -> String {
    let state = c.state_on(today);
    let ends = match (&c.revoked, state) {
        (Some(r), ConsentState::Revoked) => {
            if r.note.is_empty() {
                format!("revoked {}", r.date)
            } else {
                format!("revoked {} ({})", r.date, r.note)
            }
        }
        (None, ConsentState::Revoked) => "revoked".to_string(),
        (Some(r), ConsentState::Active) => format!("revoked from {}", r.date),
        (None, ConsentState::Active) => match c.days_left(today) {
            Some(0) => format!("ends today ({})", c.expiry_text()),
            Some(1) => format!("ends tomorrow ({})", c.expiry_text()),
            Some(n) => format!("ends {} (in {n} days)", c.expiry_text()),
            None => c.expiry_text(),
        },
        (_, ConsentState::Expired) => format!("ended {}", c.expiry_text()),
        (_, ConsentState::NotYetSigned) => format!("signed for {}", c.signed),
    };
    format!(
        "{:<5} {:<8} {} ({}) · {ends}",
        c.id.to_string(),
        state.label(),
        c.recipient,
        c.recipient_kind.label()
    )
}

/// One consent's second line: what it shares and what for.
pub fn shares_line(c: &Consent) -> String {
    let mut what: Vec<String> = c.shares.iter().map(|k| k.label().to_string()).collect();
    if !c.shares_text.is_empty() {
        what.push(c.shares_text.clone());
    }
    format!(
        "      shares {} · for {} · signed {}",
        what.join(", "),
        c.purpose,
        c.signed
    )
}

/// One disclosure as a line.
pub fn disclosure_line(d: &Record<Disclosure>) -> String {
    format!(
        "  {} {} to {} under {}: {} ({})",
        d.id,
        crate::model::dates::CENTER
            .at(&d.at)
            .format("%Y-%m-%d %H:%M"),
        d.recipient,
        d.consent,
        d.included
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", "),
        d.what
    )
}

fn state_style(ctx: &ViewCtx<'_>, state: ConsentState) -> Style {
    match state {
        ConsentState::Active => ctx.theme.ok(),
        ConsentState::Revoked | ConsentState::Expired => ctx.theme.error(),
        ConsentState::NotYetSigned => ctx.theme.dim(),
    }
}

/// Draws the tab into `area` (below the peer page's tabs).
pub fn render(
    state: &ConsentsState,
    consents: &[Record<Consent>],
    disclosures: &[Record<Disclosure>],
    ctx: &ViewCtx<'_>,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.height == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let today = ctx.today;
    let active = consents
        .iter()
        .filter(|c| c.state_on(today) == ConsentState::Active)
        .count();
    let head = if consents.is_empty() {
        "Consents to share · none recorded (caseload consent add)".to_string()
    } else {
        format!(
            "Consents to share · {} recorded, {active} active today",
            consents.len()
        )
    };
    let (head_area, body_area) = head_body(area);
    Line::styled(clip(&head, w), t.heading()).render(head_area, buf);
    // The disclosure history takes the lines left below the consents, at
    // most half of the body.
    let body = usize::from(body_area.height);
    let history = if disclosures.is_empty() {
        2
    } else {
        (disclosures.len() + 2).min(body / 2)
    };
    let for_consents = body.saturating_sub(history).max(LINES_PER_CONSENT);
    let rows = (for_consents / LINES_PER_CONSENT).max(1);
    let first = state.cursor.shown(rows);
    let mut lines: Vec<Line> = Vec::new();
    for (i, c) in consents.iter().enumerate().skip(first).take(rows) {
        // A consent is drawn whole or not at all.
        if lines.len() + 2 > body {
            break;
        }
        let selected = i == state.cursor.selected;
        let style = if selected {
            t.selected()
        } else {
            state_style(ctx, c.state_on(today))
        };
        let mark = if selected { "▸ " } else { "  " };
        lines.push(Line::styled(
            fit(&format!("{mark}{}", consent_line(c, today)), w),
            style,
        ));
        lines.push(Line::styled(clip(&shares_line(c), w), t.dim()));
    }
    lines.push(Line::default());
    let text = format!("Disclosures ({})", disclosures.len());
    lines.push(Line::styled(clip(&text, w), t.heading()));
    if disclosures.is_empty() {
        lines.push(Line::styled("  none yet", t.dim()));
    }
    // Newest first: the latest disclosures matter most.
    lines.extend(
        disclosures
            .iter()
            .rev()
            .map(|d| Line::styled(clip(&disclosure_line(d), w), t.text())),
    );
    draw_lines(lines, body_area, buf);
}
