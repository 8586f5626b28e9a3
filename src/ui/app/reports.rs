//! The Reports feature: the screen's state ([`ReportsState`], the
//! session's `reports`) takes its actions and answers here, and its one
//! prompt (a custom period or where to write the CSV) is a layer.
//!
//! Each change of period or staff asks the worker for a new report; the
//! request's id is kept and only the answer with that id is taken, so a
//! slow answer to an older choice never overwrites a newer one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::report::ServiceReport;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::reports::{parse_span, ReportsState};
use crate::ui::theme::Theme;
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::prompt;
use crate::ui::worker::{Failure, Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Shell};
use super::{App, Pane};

const CHAIN_REPORTS: &[Context] = &[Context::Reports, Context::List, Context::Global];
const CHAIN_PROMPT: &[Context] = &[Context::Input, Context::Global];

impl ReportsState {
    /// Opens the Reports screen (on this month, the first time) and asks
    /// for the report in front.
    pub(super) fn open(&mut self, cx: &mut Cx) {
        if !self.opened {
            *self = ReportsState::new(cx.date);
            self.opened = true;
        }
        cx.go(Pane::Reports);
        self.request(cx);
    }

    /// Asks for the report of the period and staff chosen, keeping the
    /// request's id: only its answer is taken.
    fn request(&mut self, shell: &mut Shell) {
        let id = shell.requests.push_id(Request::Report {
            period: self.period,
            staff: self.staff.as_ref().map(|(id, _)| *id),
        });
        self.pending = Some(id);
    }

    /// Takes the answer to report request `id`: only the one awaited.
    fn take_report(&mut self, id: RequestId, result: Result<ServiceReport, Failure>, cx: &mut Cx) {
        if self.pending != Some(id) {
            tracing::debug!("dropped a stale report answer: {id:?}");
            return;
        }
        self.pending = None;
        match result {
            Ok(report) => {
                self.report = Some(report);
                self.error = None;
                self.scroll.reset();
            }
            Err(e) => {
                cx.status.error(format!("Report: {e}"));
                self.report = None;
                self.error = Some(e.message);
            }
        }
    }

    /// Writes the report in front as CSV to `path` (a new file, 0600).
    fn write_csv(&self, path: &Path, cx: &mut Cx) {
        let Some(report) = self.report.as_ref() else {
            return cx.status.error("no report to write yet");
        };
        match write_csv_file(report, path) {
            Ok(()) => cx.status.info(format!(
                "Report written to {}",
                crate::text::escape_line(&path.display().to_string())
            )),
            Err(e) => cx.status.error(format!(
                "Report not written to {}: {}",
                crate::text::escape_line(&path.display().to_string()),
                crate::text::escape_line(&e)
            )),
        }
    }
}

impl Feature for ReportsState {
    /// Takes a report by the id of its request; one without an id answers
    /// nobody.
    fn on_reply(&mut self, id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::Report(r) = reply else {
            return misrouted(FeatureId::Reports, &reply);
        };
        match id {
            Some(id) => self.take_report(id, *r, cx),
            None => tracing::debug!("dropped a report answer without an id"),
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        self.opened.then(|| "Reports".into())
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        (CHAIN_REPORTS, false)
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        crate::ui::screens::reports::hints()
    }

    /// Handles an action on the Reports screen.
    fn action(&mut self, action: Action, cx: &mut Cx) {
        if self.scroll_by(action) {
            return;
        }
        match action {
            Action::PrevPeriod => self.shift(-1),
            Action::NextPeriod => self.shift(1),
            Action::PeriodKind => self.next_kind(),
            Action::FilterStaff => self.cycle_staff(&cx.staff_list),
            Action::NextTab => return self.move_tab(1),
            Action::PrevTab => return self.move_tab(-1),
            Action::Back => return cx.go(Pane::Today),
            Action::CustomPeriod => {
                let text = format!("{} {}", self.period.from, self.period.to);
                cx.status
                    .info("Period: two days (2026-11-01 2026-11-30), Enter shows it, Esc cancels");
                let prompt = ReportPrompt::new(PromptFor::Period, &text, &cx.theme);
                return cx.push_layer(prompt);
            }
            Action::ExportCsv => {
                if self.report.is_none() {
                    return cx.status.error("no report to write yet");
                }
                let path = default_dir().join(self.csv_name());
                let text = path.display().to_string();
                cx.status
                    .info("CSV: the path of a new file, Enter writes it (0600), Esc cancels");
                let prompt = ReportPrompt::new(PromptFor::Csv, &text, &cx.theme);
                return cx.push_layer(prompt);
            }
            _ => return,
        }
        self.request(cx);
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        crate::ui::screens::reports::render(self, ctx, area, buf);
    }
}

/// Writes `report` as the CSV `caseload report --format csv` prints, into
/// a new owner-only file at `path`; an existing file is refused, never
/// overwritten.
pub fn write_csv_file(report: &ServiceReport, path: &Path) -> Result<(), String> {
    let mut file = crate::fsutil::create_private(path).map_err(|e| e.to_string())?;
    let mut text = Vec::new();
    crate::cli::write_report_csv(report, &mut text).map_err(|e| e.to_string())?;
    file.write_all(&text)
        .and_then(|()| file.sync_all())
        .map_err(|e| e.to_string())
}

/// Where the CSV goes by default: the home directory, else the current one.
fn default_dir() -> PathBuf {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What the prompt's text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptFor {
    /// A custom period, two days.
    Period,
    /// The path the CSV is written to.
    Csv,
}

/// A one-line prompt over the hints line for the Reports screen.
pub struct ReportPrompt {
    /// What it asks.
    pub purpose: PromptFor,
    /// What is typed (prefilled with the default).
    pub input: LineInput,
}

impl ReportPrompt {
    fn new(purpose: PromptFor, text: &str, theme: &Theme) -> ReportPrompt {
        let mut input = LineInput::new(text);
        input.set_focused(true, theme);
        ReportPrompt { purpose, input }
    }
}

impl Layer for ReportPrompt {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_PROMPT, true)
    }

    fn action(&mut self, action: Action, _app: &mut App) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Quit | Action::Help => Reply::Pass,
            _ => Reply::Done,
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        if ev.code != KeyCode::Enter {
            self.input.key(ev);
            return Reply::Done;
        }
        let text = self.input.text().trim().to_string();
        let (reports, mut cx) = split!(app, reports);
        match self.purpose {
            PromptFor::Period => match parse_span(&text) {
                Ok(p) => {
                    reports.set_custom(p);
                    reports.request(&mut cx);
                    Reply::Close
                }
                Err(e) => {
                    cx.status.error(e);
                    Reply::Done
                }
            },
            PromptFor::Csv if text.is_empty() => {
                cx.status.error("CSV: type the path of a new file");
                Reply::Done
            }
            PromptFor::Csv => {
                reports.write_csv(Path::new(&text), &mut cx);
                Reply::Close
            }
        }
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.input.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        None
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        prompt::render(&self.input, ctx, areas.hints, buf);
    }

    any_impl!();
}
