//! The peer page's tabs: Overview (the profile page of `screens::peer`),
//! Recovery plan, Goal timeline and Wellness plan. This file holds which
//! tab is in front and the tabs' own states, draws the tab bar and hands
//! the rest of the page to the tab in front.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::view::ViewCtx;
use crate::ui::worker::plan::PlanRequest;

use super::peer::PeerState;
use super::plan::PlanState;
use super::timeline::TimelineState;
use super::wellness::WellnessState;

/// The tabs of the peer page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeerTab {
    /// Profile, goals summary, check-ins, groups.
    #[default]
    Overview,
    /// Goals by life domain with steps.
    Plan,
    /// Goals over time, with wellbeing.
    Timeline,
    /// The peer's wellness plan.
    Wellness,
    /// The peer's referrals to community resources.
    Referrals,
    /// Consents to share, with their state, and disclosures.
    Consents,
    /// Recovery capital (BARC-10) over time.
    Assessments,
}

impl PeerTab {
    /// Every tab, in order.
    pub const ALL: [PeerTab; 7] = [
        PeerTab::Overview,
        PeerTab::Plan,
        PeerTab::Timeline,
        PeerTab::Wellness,
        PeerTab::Consents,
        PeerTab::Assessments,
        PeerTab::Referrals,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            PeerTab::Overview => "Overview",
            PeerTab::Plan => "Recovery plan",
            PeerTab::Timeline => "Goal timeline",
            PeerTab::Wellness => "Wellness plan",
            PeerTab::Referrals => "Referrals",
            PeerTab::Consents => "Consents",
            PeerTab::Assessments => "Assessments",
        }
    }

    /// The tab's label where the full ones do not fit (80 columns).
    pub fn short_label(self) -> &'static str {
        match self {
            PeerTab::Overview => "Overview",
            PeerTab::Plan => "Plan",
            PeerTab::Timeline => "Timeline",
            PeerTab::Wellness => "Wellness",
            PeerTab::Referrals => "Referrals",
            PeerTab::Consents => "Consents",
            PeerTab::Assessments => "Assess",
        }
    }

    fn action(self) -> Action {
        match self {
            PeerTab::Overview => Action::TabOverview,
            PeerTab::Plan => Action::TabPlan,
            PeerTab::Timeline => Action::TabTimeline,
            PeerTab::Wellness => Action::TabWellness,
            PeerTab::Referrals => Action::TabReferrals,
            PeerTab::Consents => Action::TabConsents,
            PeerTab::Assessments => Action::TabAssessments,
        }
    }

    /// The tab an action switches to, if it is a tab action.
    pub fn after(self, action: Action) -> Option<PeerTab> {
        let i = PeerTab::ALL.iter().position(|t| *t == self).unwrap_or(0);
        let n = PeerTab::ALL.len();
        match action {
            Action::TabOverview => Some(PeerTab::Overview),
            Action::TabPlan => Some(PeerTab::Plan),
            Action::TabTimeline => Some(PeerTab::Timeline),
            Action::TabWellness => Some(PeerTab::Wellness),
            Action::TabReferrals => Some(PeerTab::Referrals),
            Action::TabConsents => Some(PeerTab::Consents),
            Action::TabAssessments => Some(PeerTab::Assessments),
            Action::NextTab => Some(PeerTab::ALL[(i + 1) % n]),
            Action::PrevTab => Some(PeerTab::ALL[(i + n - 1) % n]),
            _ => None,
        }
    }
}

const CHAIN_OVERVIEW: &[Context] = &[Context::PeerPage, Context::List, Context::Global];
const CHAIN_PLAN: &[Context] = &[
    Context::Plan,
    Context::PeerPage,
    Context::List,
    Context::Global,
];
const CHAIN_TIMELINE: &[Context] = &[
    Context::Timeline,
    Context::PeerPage,
    Context::List,
    Context::Global,
];
const CHAIN_REFERRALS: &[Context] = &[
    Context::Referrals,
    Context::PeerPage,
    Context::List,
    Context::Global,
];
const CHAIN_CONSENTS: &[Context] = &[
    Context::Consents,
    Context::PeerPage,
    Context::List,
    Context::Global,
];
const CHAIN_WELLNESS: &[Context] = &[
    Context::Wellness,
    Context::PeerPage,
    Context::List,
    Context::Global,
];

/// A delete waiting for its yes.
#[derive(Debug, Clone)]
pub struct PendingDelete {
    /// The question asked.
    pub question: String,
    /// What yes sends.
    pub request: PlanRequest,
}

/// The tabs' state, kept while the same peer is open.
#[derive(Debug, Clone, Default)]
pub struct PeerView {
    /// Whose page the tabs belong to.
    pub peer: Option<crate::model::PeerId>,
    /// The tab in front.
    pub tab: PeerTab,
    /// Recovery plan tab.
    pub plan: PlanState,
    /// Timeline tab.
    pub timeline: TimelineState,
    /// Wellness plan tab.
    pub wellness: WellnessState,
    /// Consents tab.
    pub consents: super::consents::ConsentsState,
    /// A delete asked about in the confirm box.
    pub pending_delete: Option<PendingDelete>,
    /// Referrals tab.
    pub referrals: crate::ui::app::ReferralsTab,
}

impl PeerView {
    /// The key contexts of the tab in front.
    pub fn context(&self) -> (&'static [Context], bool) {
        let chain = match self.tab {
            PeerTab::Overview => CHAIN_OVERVIEW,
            PeerTab::Plan => CHAIN_PLAN,
            PeerTab::Timeline => CHAIN_TIMELINE,
            PeerTab::Wellness => CHAIN_WELLNESS,
            PeerTab::Referrals => CHAIN_REFERRALS,
            PeerTab::Consents => CHAIN_CONSENTS,
            PeerTab::Assessments => CHAIN_OVERVIEW,
        };
        (chain, false)
    }
}

/// Hints for the tab in front.
pub fn hints(tab: PeerTab) -> &'static [(Action, &'static str)] {
    match tab {
        PeerTab::Overview => &[
            (Action::NextTab, "tabs"),
            (Action::CheckIn, "check in"),
            (Action::Refer, "refer"),
            (Action::TakeHomeCard, "card"),
            (Action::Back, "back"),
            (Action::Down, "scroll"),
            (Action::GoToday, "today"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        PeerTab::Plan => &[
            (Action::Toggle, "step done"),
            (Action::AddGoal, "goal"),
            (Action::AddStep, "step"),
            (Action::Edit, "edit"),
            (Action::ReviewGoal, "review"),
            (Action::PauseGoal, "pause"),
            (Action::AchieveGoal, "achieved"),
            (Action::DropGoal, "drop"),
            (Action::ReactivateGoal, "active"),
            (Action::Help, "help"),
        ],
        PeerTab::Timeline => &[
            (Action::ZoomIn, "zoom in"),
            (Action::ZoomOut, "zoom out"),
            (Action::ScrollLeft, "earlier"),
            (Action::ScrollRight, "later"),
            (Action::Recenter, "today"),
            (Action::NextTab, "tabs"),
            (Action::Help, "help"),
        ],
        PeerTab::Wellness => &[
            (Action::AddEntry, "add"),
            (Action::Edit, "edit"),
            (Action::Delete, "delete"),
            (Action::MoveUp, "up"),
            (Action::MoveDown, "down"),
            (Action::NextTab, "tabs"),
            (Action::Help, "help"),
        ],
        PeerTab::Referrals => &[
            (Action::Refer, "refer"),
            (Action::SetReferralStatus, "status"),
            (Action::TakeHomeCard, "card"),
            (Action::NextTab, "tabs"),
            (Action::Help, "help"),
        ],
        PeerTab::Consents => &[
            (Action::Down, "select"),
            (Action::RevokeConsent, "revoke"),
            (Action::NextTab, "tabs"),
            (Action::CheckIn, "check in"),
            (Action::Back, "back"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        PeerTab::Assessments => &[
            (Action::StartAssessment, "take BARC-10"),
            (Action::NextTab, "tabs"),
            (Action::Back, "back"),
            (Action::Help, "help"),
        ],
    }
}

/// Draws the tab bar and the tab in front.
pub fn render(view: &PeerView, peer: &PeerState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let t = ctx.theme;
    // Full labels when they fit, else short ones packed closer, so that
    // every tab's key stays on screen at 80 columns.
    let bar = |short: bool| -> Vec<Span<'static>> {
        let mut spans: Vec<Span<'static>> = Vec::new();
        for tab in PeerTab::ALL {
            let key = ctx
                .keymap
                .key_for(view.context().0, false, tab.action())
                .map(|k| format!("{k} "))
                .unwrap_or_default();
            let label = if short {
                tab.short_label()
            } else {
                tab.label()
            };
            let text = format!("{key}{label}");
            if tab == view.tab {
                spans.push(Span::styled(format!("[{text}]"), t.selected()));
            } else if short {
                spans.push(Span::styled(text, t.dim()));
            } else {
                spans.push(Span::styled(format!(" {text} "), t.dim()));
            }
            spans.push(Span::raw(" "));
        }
        spans
    };
    let full = bar(false);
    let width: usize = full.iter().map(|s| s.width()).sum();
    let spans = if width > usize::from(area.width) {
        bar(true)
    } else {
        full
    };
    let (bar_area, body) = crate::ui::widgets::layout::head_body(area);
    Line::from(spans).render(bar_area, buf);
    let detail = peer.detail.as_deref();
    match (view.tab, detail) {
        (PeerTab::Overview, _) => super::peer::render(peer, ctx, body, buf),
        (_, None) => {
            let msg = match &peer.error {
                Some(e) => Line::styled(
                    crate::ui::widgets::cells::clip(
                        &format!("Could not load this peer: {e}"),
                        usize::from(area.width),
                    ),
                    t.error(),
                ),
                None => Line::styled("Loading…", t.dim()),
            };
            msg.render(body, buf);
        }
        (PeerTab::Plan, Some(d)) => super::plan::render(
            &view.plan,
            &d.overview.goals,
            &d.staff_initials,
            ctx,
            body,
            buf,
        ),
        (PeerTab::Timeline, Some(_)) => super::timeline::render(&view.timeline, ctx, body, buf),
        (PeerTab::Referrals, Some(_)) => {
            super::resources::render_referrals(&view.referrals, ctx, body, buf)
        }
        (PeerTab::Wellness, Some(d)) => super::wellness::render(
            &view.wellness,
            &d.overview.peer.wellness_plan,
            ctx,
            body,
            buf,
        ),
        (PeerTab::Consents, Some(d)) => {
            super::consents::render(&view.consents, &d.consents, &d.disclosures, ctx, body, buf)
        }
        (PeerTab::Assessments, Some(d)) => {
            super::assess::render_tab(&d.assessments, &d.instruments, ctx, body, buf)
        }
    }
}
