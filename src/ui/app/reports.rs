//! The Reports screen's actions and answers, and its one prompt (a custom
//! period or where to write the CSV).
//!
//! Each change of period or staff asks the worker for a new report; the
//! request's id is kept and only the answer with that id is taken, so a
//! slow answer to an older choice never overwrites a newer one.

use std::any::Any;
use std::io::Write;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;

use crate::model::report::ServiceReport;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::reports::{parse_span, ReportsState};
use crate::ui::theme::Theme;
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::prompt;
use crate::ui::worker::{Failure, Request, RequestId};

use super::{App, Pane};

const CHAIN_REPORTS: &[Context] = &[Context::Reports, Context::List, Context::Global];
const CHAIN_PROMPT: &[Context] = &[Context::Input, Context::Global];

impl App {
    /// Opens the Reports screen and asks for the report in front.
    pub(super) fn open_reports(&mut self) {
        if !self.user.reports.opened {
            self.user.reports = ReportsState::new(self.shell.date);
            self.user.reports.opened = true;
        }
        self.user.nav.pane = Pane::Reports;
        self.request_report();
    }

    /// The key contexts of the Reports screen.
    pub(super) fn reports_focus(&self) -> (&'static [Context], bool) {
        (CHAIN_REPORTS, false)
    }

    fn request_report(&mut self) {
        let r = &self.user.reports;
        let id = self.shell.requests.push_id(Request::Report {
            period: r.period,
            staff: r.staff.as_ref().map(|(id, _)| *id),
        });
        self.user.reports.pending = Some(id);
    }

    /// Handles an action on the Reports screen.
    pub(super) fn reports_action(&mut self, action: Action) {
        let r = &mut self.user.reports;
        if r.scroll_by(action) {
            return;
        }
        match action {
            Action::PrevPeriod => r.shift(-1),
            Action::NextPeriod => r.shift(1),
            Action::PeriodKind => r.next_kind(),
            Action::FilterStaff => {
                let staff = self.user.peers.staff.clone();
                r.cycle_staff(&staff);
            }
            Action::NextTab => return r.move_tab(1),
            Action::PrevTab => return r.move_tab(-1),
            Action::Back => {
                self.user.nav.pane = Pane::Today;
                return;
            }
            Action::CustomPeriod => {
                let text = format!("{} {}", r.period.from, r.period.to);
                self.shell
                    .status
                    .info("Period: two days (2026-11-01 2026-11-30), Enter shows it, Esc cancels");
                return self.push_layer(ReportPrompt::new(
                    PromptFor::Period,
                    &text,
                    &self.shell.theme,
                ));
            }
            Action::ExportCsv => {
                if r.report.is_none() {
                    return self.shell.status.error("no report to write yet");
                }
                let path = default_dir().join(r.csv_name());
                let text = path.display().to_string();
                self.shell
                    .status
                    .info("CSV: the path of a new file, Enter writes it (0600), Esc cancels");
                return self.push_layer(ReportPrompt::new(
                    PromptFor::Csv,
                    &text,
                    &self.shell.theme,
                ));
            }
            _ => return,
        }
        self.request_report();
    }

    /// Takes the answer to report request `id`: only the one awaited.
    pub(super) fn on_report_reply(
        &mut self,
        id: RequestId,
        result: Result<ServiceReport, Failure>,
    ) {
        let r = &mut self.user.reports;
        if r.pending != Some(id) {
            tracing::debug!("dropped a stale report answer: {id:?}");
            return;
        }
        r.pending = None;
        match result {
            Ok(report) => {
                r.report = Some(report);
                r.error = None;
                r.scroll.reset();
            }
            Err(e) => {
                self.shell.status.error(format!("Report: {e}"));
                r.report = None;
                r.error = Some(e.message);
            }
        }
    }

    /// The Reports screen's state.
    pub fn reports(&self) -> &ReportsState {
        &self.user.reports
    }

    /// Writes the report in front as CSV to `path` (a new file, 0600).
    fn write_report_csv(&mut self, path: &Path) {
        let Some(report) = self.user.reports.report.as_ref() else {
            return self.shell.status.error("no report to write yet");
        };
        match write_csv_file(report, path) {
            Ok(()) => self.shell.status.info(format!(
                "Report written to {}",
                crate::text::escape_line(&path.display().to_string())
            )),
            Err(e) => self.shell.status.error(format!(
                "Report not written to {}: {}",
                crate::text::escape_line(&path.display().to_string()),
                crate::text::escape_line(&e)
            )),
        }
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
        match self.purpose {
            PromptFor::Period => match parse_span(&text) {
                Ok(p) => {
                    app.user.reports.set_custom(p);
                    app.request_report();
                    Reply::Close
                }
                Err(e) => {
                    app.shell.status.error(e);
                    Reply::Done
                }
            },
            PromptFor::Csv if text.is_empty() => {
                app.shell.status.error("CSV: type the path of a new file");
                Reply::Done
            }
            PromptFor::Csv => {
                app.write_report_csv(Path::new(&text));
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

    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
