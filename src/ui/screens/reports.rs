//! The Reports screen (`R`): the service report funders ask for, for a
//! month, quarter, year or custom span and for everyone or one staff
//! member, as the figures `caseload report` prints and as charts.
//!
//! The state here only says what to ask for and holds the answer; the
//! report is built by the store worker (`worker::reports`), never here.
//! Three tabs keep it readable at 80×24: the figures (scrolled), the weeks
//! (check-ins per week and a sparkline of weekly peers) and support kinds
//! with units per staff. Every chart also writes its numbers as text, so
//! nothing depends on colour.

use chrono::{Datelike, Months, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Borders, Paragraph, Sparkline, Widget};

use crate::model::report::{Period, ServiceReport};
use crate::model::StaffId;
use crate::text::escape_line;
use crate::ui::action::Action;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::list::TextScroll;
use crate::ui::worker::{RequestId, StaffRow};

/// How the period is chosen; left and right move it by its own length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
    /// Any two days, typed.
    Custom,
}

impl PeriodKind {
    /// The word shown for it.
    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::Custom => "custom",
        }
    }
}

/// The screen's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportsTab {
    /// Every figure, as `caseload report` prints them.
    Figures,
    /// Check-ins per week and weekly peers.
    Weeks,
    /// Support kinds and units per staff member.
    Kinds,
}

impl ReportsTab {
    const ALL: [ReportsTab; 3] = [ReportsTab::Figures, ReportsTab::Weeks, ReportsTab::Kinds];

    fn label(self) -> &'static str {
        match self {
            ReportsTab::Figures => "Figures",
            ReportsTab::Weeks => "Weeks",
            ReportsTab::Kinds => "Support & staff",
        }
    }
}

/// What the Reports screen shows and what it asked for.
#[derive(Debug, Clone)]
pub struct ReportsState {
    /// Opened at least once (it then joins the Tab cycle).
    pub opened: bool,
    /// How the period was chosen.
    pub kind: PeriodKind,
    /// The period asked for.
    pub period: Period,
    /// Only this staff member (id, name raw), or everyone.
    pub staff: Option<(StaffId, String)>,
    /// The last report received for the current choice.
    pub report: Option<ServiceReport>,
    /// Why the last request failed (refused: the role may not see it).
    pub error: Option<String>,
    /// The request whose answer is awaited; any other answer is stale.
    pub pending: Option<RequestId>,
    /// The tab in front.
    pub tab: ReportsTab,
    /// First figure row shown, and the rows and figure lines of the last
    /// draw (for paging).
    pub scroll: TextScroll,
}

impl ReportsState {
    /// This month, everyone, nothing loaded yet.
    pub fn new(today: NaiveDate) -> ReportsState {
        ReportsState {
            opened: false,
            kind: PeriodKind::Month,
            period: calendar(PeriodKind::Month, today),
            staff: None,
            report: None,
            error: None,
            pending: None,
            tab: ReportsTab::Figures,
            scroll: TextScroll::default(),
        }
    }

    /// Cycles month → quarter → year → month, keeping the period's start
    /// inside the new one (a custom span becomes its start's month).
    pub fn next_kind(&mut self) {
        let kind = match self.kind {
            PeriodKind::Month => PeriodKind::Quarter,
            PeriodKind::Quarter => PeriodKind::Year,
            PeriodKind::Year | PeriodKind::Custom => PeriodKind::Month,
        };
        self.kind = kind;
        self.period = calendar(kind, self.period.from);
    }

    /// Moves the period back (`-1`) or forward (`1`) by its own length.
    pub fn shift(&mut self, dir: i32) {
        let p = self.period;
        let moved = match self.kind {
            PeriodKind::Month => shift_months(p.from, dir, 1).map(|d| calendar(self.kind, d)),
            PeriodKind::Quarter => shift_months(p.from, dir, 3).map(|d| calendar(self.kind, d)),
            PeriodKind::Year => shift_months(p.from, dir, 12).map(|d| calendar(self.kind, d)),
            PeriodKind::Custom => {
                let len = (p.to - p.from).num_days() + 1;
                let by = chrono::Duration::days(len * i64::from(dir));
                match (p.from.checked_add_signed(by), p.to.checked_add_signed(by)) {
                    (Some(from), Some(to)) => Some(Period { from, to }),
                    _ => None,
                }
            }
        };
        if let Some(m) = moved {
            self.period = m;
        }
    }

    /// A typed span (see [`parse_span`]).
    pub fn set_custom(&mut self, period: Period) {
        self.kind = PeriodKind::Custom;
        self.period = period;
    }

    /// Everyone → each active staff member in list order → everyone.
    pub fn cycle_staff(&mut self, staff: &[StaffRow]) {
        let active: Vec<&StaffRow> = staff.iter().filter(|s| s.active).collect();
        let next = match &self.staff {
            None => active.first().copied(),
            Some((id, _)) => active
                .iter()
                .position(|s| s.id == *id)
                .and_then(|i| active.get(i + 1).copied()),
        };
        self.staff = next.map(|s| (s.id, s.name.clone()));
    }

    /// Next (`1`) or previous (`-1`) tab.
    pub fn move_tab(&mut self, dir: i32) {
        let i = ReportsTab::ALL
            .iter()
            .position(|t| *t == self.tab)
            .unwrap_or(0);
        let n = ReportsTab::ALL.len();
        let j = if dir >= 0 {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.tab = ReportsTab::ALL[j];
        self.scroll.reset();
    }

    /// Scrolls the figures by a movement action, by the rows of the last
    /// draw (the one paging rule, `widgets::list::scrolled`); true if it
    /// was a movement.
    pub fn scroll_by(&mut self, action: Action) -> bool {
        self.scroll.apply(action)
    }

    /// The default file name for the CSV of the report in front.
    pub fn csv_name(&self) -> String {
        let who = match &self.staff {
            Some((id, _)) => format!("-{id}"),
            None => String::new(),
        };
        format!(
            "caseload-report-{}-to-{}{}.csv",
            self.period.from, self.period.to, who
        )
    }
}

/// The calendar month, quarter or year holding `day` (a custom kind: its
/// month).
pub fn calendar(kind: PeriodKind, day: NaiveDate) -> Period {
    let (first, count) = match kind {
        PeriodKind::Month | PeriodKind::Custom => (day.month(), 1),
        PeriodKind::Quarter => ((day.month() - 1) / 3 * 3 + 1, 3),
        PeriodKind::Year => (1, 12),
    };
    let from = NaiveDate::from_ymd_opt(day.year(), first, 1).unwrap_or(day);
    let to = from
        .checked_add_months(Months::new(count))
        .and_then(|d| d.pred_opt())
        .unwrap_or(from);
    Period { from, to }
}

fn shift_months(day: NaiveDate, dir: i32, months: u32) -> Option<NaiveDate> {
    if dir >= 0 {
        day.checked_add_months(Months::new(months))
    } else {
        day.checked_sub_months(Months::new(months))
    }
}

/// Reads a typed span: two dates written `2026-11-01`, separated by a
/// space, "to" or "..". The error names what could not be read.
pub fn parse_span(text: &str) -> Result<Period, String> {
    let t = text.replace("..", " ").replace(" to ", " ");
    let parts: Vec<&str> = t.split_whitespace().collect();
    let [a, b] = parts.as_slice() else {
        return Err(format!(
            "period '{}': write two days, like 2026-11-01 2026-11-30",
            escape_line(text)
        ));
    };
    let day = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            format!(
                "period: cannot read '{}' as a day; write it like 2026-11-01",
                escape_line(s)
            )
        })
    };
    Period::between(day(a)?, day(b)?)
}

/// The figure rows as the screen shows them (period rows first, as the
/// CLI table skips them because its heading names the period).
fn figure_lines(r: &ServiceReport) -> Vec<String> {
    crate::cli::report_rows(r)
        .into_iter()
        .skip(2)
        .map(|[section, item, measure, value]| {
            format!(
                "{:<11} {:<28} {:<13} {}",
                escape_line(&section),
                escape_line(&item),
                escape_line(&measure),
                escape_line(&value)
            )
        })
        .collect()
}

/// The key hints.
pub fn hints() -> &'static [(Action, &'static str)] {
    &[
        (Action::PrevPeriod, "earlier"),
        (Action::NextPeriod, "later"),
        (Action::PeriodKind, "month/qtr/year"),
        (Action::FilterStaff, "staff"),
        (Action::NextTab, "tab"),
        (Action::ExportCsv, "CSV"),
        (Action::CustomPeriod, "from–to"),
        (Action::Help, "help"),
    ]
}

/// Draws the screen.
pub fn render(s: &ReportsState, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let theme = ctx.theme;
    let [title, tab_bar, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let who = match &s.staff {
        Some((_, name)) => escape_line(name).into_owned(),
        None => "everyone".to_string(),
    };
    Line::from(vec![
        Span::styled("Reports", theme.heading()),
        Span::raw(format!(
            " · {} {} to {} · staff: {}",
            s.kind.label(),
            s.period.from,
            s.period.to,
            who
        )),
    ])
    .render(title, buf);
    let mut tabs = Vec::new();
    for (i, t) in ReportsTab::ALL.iter().enumerate() {
        let label = if *t == s.tab {
            Span::styled(format!("[{}]", t.label()), theme.tab_active())
        } else {
            Span::raw(format!(" {} ", t.label()))
        };
        if i > 0 {
            tabs.push(Span::raw(" "));
        }
        tabs.push(label);
    }
    Line::from(tabs).render(tab_bar, buf);
    if let Some(e) = &s.error {
        Paragraph::new(vec![
            Line::styled(format!("No report: {}", escape_line(e)), theme.error()),
            Line::raw("Reports need a role that may see them; ask an admin."),
        ])
        .render(body, buf);
        return;
    }
    let Some(r) = s.report.as_ref() else {
        Line::styled("loading the report…", theme.dim()).render(body, buf);
        return;
    };
    if s.pending.is_some() {
        // The old figures stay readable while the new ones are built.
        let [_, updating] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(11)]).areas(tab_bar);
        Line::styled("updating…", theme.dim()).render(updating, buf);
    }
    match s.tab {
        ReportsTab::Figures => {
            let all = figure_lines(r);
            let top = s.scroll.shown(usize::from(body.height), all.len());
            let lines: Vec<Line> = all.into_iter().skip(top).map(Line::raw).collect();
            Paragraph::new(lines).render(body, buf);
        }
        ReportsTab::Weeks => render_weeks(r, ctx, body, buf),
        ReportsTab::Kinds => render_kinds(r, ctx, body, buf),
    }
}

fn chart<'a>(title: String, bars: Vec<Bar<'a>>, ctx: &ViewCtx<'_>) -> BarChart<'a> {
    BarChart::horizontal(bars)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .border_style(ctx.theme.border())
                .title(title),
        )
        .bar_width(1)
        .bar_gap(0)
        .bar_style(ctx.theme.text())
        .value_style(ctx.theme.text())
        .label_style(ctx.theme.text())
}

fn render_weeks(r: &ServiceReport, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let [weeks, spark_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(area);
    let bars: Vec<Bar> = r
        .weeks
        .iter()
        .map(|w| {
            Bar::default()
                .label(Line::raw(w.from.format("%d %b ").to_string()))
                .value(w.checkins)
                .text_value(w.checkins.to_string())
        })
        .collect();
    chart("Check-ins per week".to_string(), bars, ctx).render(weeks, buf);
    let peers: Vec<u64> = r.weeks.iter().map(|w| w.peers).collect();
    let listed: Vec<String> = peers.iter().map(u64::to_string).collect();
    Block::default()
        .borders(Borders::TOP)
        .border_style(ctx.theme.border())
        .title("Different peers per week")
        .render(spark_area, buf);
    if spark_area.height >= 3 {
        // Under the block's title: the sparkline, then the numbers.
        let [_, spark, numbers] = Layout::vertical([Constraint::Length(1); 3]).areas(spark_area);
        Sparkline::default()
            .data(&peers)
            .style(ctx.theme.text())
            .render(spark, buf);
        Line::raw(listed.join(" ")).render(numbers, buf);
    }
}

fn render_kinds(r: &ServiceReport, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
    let kinds = r.by_support.len() as u16;
    let [by_kind, by_staff] =
        Layout::vertical([Constraint::Length(kinds + 1), Constraint::Min(2)]).areas(area);
    let bars: Vec<Bar> = r
        .by_support
        .iter()
        .map(|(k, n)| {
            Bar::default()
                .label(Line::raw(format!("{} ", escape_line(k))))
                .value(*n)
                .text_value(n.to_string())
        })
        .collect();
    chart("Check-ins by support kind".to_string(), bars, ctx).render(by_kind, buf);
    let bars: Vec<Bar> = r
        .by_staff
        .iter()
        .map(|l| {
            Bar::default()
                .label(Line::raw(format!("{} ", escape_line(&l.name))))
                .value(l.units)
                .text_value(l.units.to_string())
        })
        .collect();
    chart("Units per staff member".to_string(), bars, ctx).render(by_staff, buf);
}
