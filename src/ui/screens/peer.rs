//! Peer: one peer's page — profile, active goals with status and next
//! review, the last check-ins, next follow-up and group attendance.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::model::{Choice, GoalStatus, PeerId};
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::cells::{clip, fit, name, private};
use crate::ui::widgets::list::{draw_lines, TextScroll};
use crate::ui::worker::PeerDetail;

use super::Effect;

/// State of the peer screen.
#[derive(Debug, Clone)]
pub struct PeerState {
    /// Whose page it is.
    pub id: PeerId,
    /// Their name as known when opened (shown while loading).
    pub name: String,
    /// What was loaded.
    pub detail: Option<Box<PeerDetail>>,
    /// Why loading failed.
    pub error: Option<String>,
    /// First visible line, and what the last draw showed.
    pub scroll: TextScroll,
}

impl PeerState {
    /// A page for `id`, waiting for its data.
    pub fn new(id: PeerId, name: String) -> PeerState {
        PeerState {
            id,
            name,
            detail: None,
            error: None,
            scroll: TextScroll::default(),
        }
    }

    /// Scrolls by what the last draw showed.
    pub fn handle(&mut self, action: Action) -> Effect {
        self.scroll.apply(action);
        Effect::None
    }
}

/// The page as lines, at width `w`.
pub fn lines(state: &PeerState, ctx: &ViewCtx<'_>, w: usize) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut out: Vec<Line<'static>> = Vec::new();
    let Some(d) = &state.detail else {
        out.push(Line::styled(
            clip(&format!("{} ({})", name(ctx, &state.name), state.id), w),
            t.heading(),
        ));
        out.push(match &state.error {
            Some(e) => Line::styled(
                clip(&format!("Could not load this peer: {e}"), w),
                t.error(),
            ),
            None => Line::styled("Loading…", t.dim()),
        });
        return out;
    };
    let o = &d.overview;
    let p = &o.peer;

    let mut title = format!("{} ({})", name(ctx, &p.display_name), p.id);
    if let Some(pr) = &p.pronouns {
        title.push_str(&format!(" · {pr}"));
    }
    out.push(Line::styled(clip(&title, w), t.heading()));

    let mut status = format!("{} since {}", p.status.label(), p.status_since);
    if let Some(r) = &p.status_reason {
        status.push_str(&format!(" ({r})"));
    }
    status.push_str(&format!(" · with us since {}", p.intake_date));
    out.push(Line::raw(clip(&status, w)));
    if let Some(eps) = super::staff::episodes_line(p) {
        out.push(Line::raw(clip(&eps, w)));
    }

    let mut support = match &o.assigned {
        Some(s) => format!("Assigned: {} ({})", s.name, s.initials),
        None => "Assigned: nobody".to_string(),
    };
    if let Some(c) = p.cadence_days {
        support.push_str(&format!(
            " · wants contact every {}",
            crate::text::count(usize::from(c), "day", "days")
        ));
    }
    if let Some(c) = p.preferred_contact {
        support.push_str(&format!(" · prefers {}", c.label()));
    }
    out.push(Line::raw(clip(&support, w)));

    let mut contact = Vec::new();
    if let Some(ph) = &p.phone {
        contact.push(format!("phone {ph}"));
    }
    if let Some(e) = &p.email {
        contact.push(format!("e-mail {e}"));
    }
    if !p.tags.is_empty() {
        contact.push(format!("tags: {}", p.tags.join(", ")));
    }
    if ctx.privacy && !contact.is_empty() {
        // Phone numbers and e-mail addresses name a person as surely.
        out.push(Line::styled(
            "contact details hidden (privacy mode)",
            t.dim(),
        ));
    } else if !contact.is_empty() {
        out.push(Line::raw(clip(&contact.join(" · "), w)));
    }

    let last = o
        .last_contact()
        .map(|d| d.format("%a %Y-%m-%d").to_string())
        .unwrap_or_else(|| "never".into());
    let next = o
        .next_follow_up
        .map(|d| d.format("%a %Y-%m-%d").to_string())
        .unwrap_or_else(|| "none planned".into());
    out.push(Line::from(vec![
        Span::styled("Last contact ", t.dim()),
        Span::raw(last),
        Span::styled(" · Next follow-up ", t.dim()),
        Span::styled(
            next,
            if o.next_follow_up.is_some() {
                t.heading()
            } else {
                t.text()
            },
        ),
    ]));

    // Drop-in visits (not check-ins: no units).
    if let Some(v) = d.visits.first() {
        let month = d
            .visits
            .iter()
            .filter(|x| x.day.format("%Y-%m").to_string() == ctx.today.format("%Y-%m").to_string())
            .count();
        let purpose = v
            .purpose
            .as_deref()
            .map(|p| format!(" ({})", crate::text::escape_line(p)))
            .unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled("Last at the center ", t.dim()),
            Span::raw(format!(
                "{} {}{purpose}",
                v.day.format("%a %Y-%m-%d"),
                v.time_in.format("%H:%M")
            )),
            Span::styled(
                format!(
                    " · {} this month, {} in all",
                    crate::text::count(month, "visit", "visits"),
                    d.visits.len()
                ),
                t.dim(),
            ),
        ]));
    }

    // Goals.
    out.push(Line::raw(""));
    let active = o
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Active)
        .count();
    out.push(Line::styled(
        format!("Goals ({active} active, {} in all)", o.goals.len()),
        t.heading(),
    ));
    if o.goals.is_empty() {
        out.push(Line::styled("  no goals yet", t.dim()));
    }
    for g in o.goals.iter().filter(|g| g.status != GoalStatus::Dropped) {
        let (done, total) = g.progress();
        let review = match g.next_review {
            Some(r) if g.review_due(ctx.today) => format!("review due {r}"),
            Some(r) => format!("review {r}"),
            None => String::new(),
        };
        let steps = if total > 0 {
            format!(
                " {done}/{total} {}",
                crate::text::noun(total, "step", "steps")
            )
        } else {
            String::new()
        };
        let right = format!("{review}{steps}");
        let left_w = w.saturating_sub(right.len() + 1);
        let left = format!(
            "  {:<5} {:<9} {}",
            g.id.to_string(),
            g.status.label(),
            // The overview has no rows to select: reveal shows them all.
            private(ctx, &g.title, true)
        );
        let style = if g.status == GoalStatus::Active {
            t.text()
        } else {
            t.dim()
        };
        out.push(Line::from(vec![
            Span::styled(fit(&left, left_w), style),
            Span::raw(" "),
            Span::styled(
                right,
                if g.review_due(ctx.today) {
                    t.error()
                } else {
                    t.dim()
                },
            ),
        ]));
    }

    // Check-ins.
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Last check-ins ({})", o.recent_checkins.len()),
        t.heading(),
    ));
    if o.recent_checkins.is_empty() {
        out.push(Line::styled("  none yet", t.dim()));
    }
    for c in &o.recent_checkins {
        let who = d
            .staff_initials
            .get(&c.staff)
            .cloned()
            .unwrap_or_else(|| "?".into());
        let wellbeing = c
            .wellbeing
            .map(|w| format!(" wellbeing {w}/5"))
            .unwrap_or_default();
        let head = format!(
            "  {} {:<9} {:>3} min {}{wellbeing}",
            c.at.format("%Y-%m-%d %H:%M"),
            c.mode.label(),
            c.minutes,
            fit(&who, 4)
        );
        let mut note = private(ctx, c.note.lines().next().unwrap_or(""), true).into_owned();
        if c.note.lines().nth(1).is_some() && (!ctx.privacy || ctx.reveal) {
            note.push_str(" …");
        }
        let head_w = crate::text::width(&head);
        out.push(Line::from(vec![
            Span::styled(clip(&head, w), t.dim()),
            Span::raw(" "),
            Span::raw(clip(&note, w.saturating_sub(head_w + 1))),
        ]));
    }

    // Groups.
    out.push(Line::raw(""));
    if o.sessions.is_empty() {
        out.push(Line::from(vec![
            Span::styled("Groups ", t.heading()),
            Span::styled("no sessions attended", t.dim()),
        ]));
    } else {
        let mut by_group: BTreeMap<String, usize> = BTreeMap::new();
        for s in &o.sessions {
            let name = d
                .group_names
                .get(&s.group)
                .cloned()
                .unwrap_or_else(|| s.group.to_string());
            *by_group.entry(name).or_default() += 1;
        }
        let mut groups: Vec<(String, usize)> = by_group.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let latest = o
            .sessions
            .first()
            .map(|s| s.date.to_string())
            .unwrap_or_default();
        out.push(Line::styled(
            format!(
                "Groups ({} attended, last {latest})",
                crate::text::count(o.sessions.len(), "session", "sessions")
            ),
            t.heading(),
        ));
        for (name, n) in groups {
            out.push(Line::raw(format!(
                "  {} ×{n}",
                clip(&name, w.saturating_sub(8))
            )));
        }
        out.extend(super::peer_sessions::lines(d, ctx, w));
    }
    out
}

/// Draws the peer page into `area`.
pub fn render(state: &PeerState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let all = lines(state, ctx, usize::from(area.width));
    let top = state.scroll.shown(usize::from(area.height), all.len());
    draw_lines(all.into_iter().skip(top), area, buf);
}
