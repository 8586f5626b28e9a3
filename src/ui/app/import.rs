//! Import a roster from the Peers screen (`I`): a path prompt, the
//! dry-run report of `ops::import_peers::plan` (rows to add, every problem
//! with its line and column, likely duplicates), then yes to write or no
//! to leave the roster as it is. Nothing is written before the yes, and
//! a file with problems is not written at all (as `caseload import-peers`
//! without `--skip-invalid`).

use std::any::Any;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Margin;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::ops::import_peers::{ImportOutcome, ImportPlan};
use crate::text::escape_line;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::{Layer, Reply};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::TextScroll;
use crate::ui::widgets::prompt;
use crate::ui::worker::{Failure, Request};

use super::{App, Notice};

const CHAIN_PATH: &[Context] = &[Context::Input, Context::Global];
const CHAIN_PLAN: &[Context] = &[Context::Confirm, Context::List, Context::Global];

/// Where the import is.
#[derive(Debug, Clone)]
pub enum ImportStage {
    /// Typing the file's path.
    Path,
    /// The file is being read and checked.
    Checking,
    /// The dry run is shown, waiting for yes or no.
    Plan(Box<ImportPlan>),
    /// The rows are being written.
    Writing,
}

/// The import dialog over the Peers screen.
pub struct ImportDialog {
    /// Where it is.
    pub stage: ImportStage,
    /// The path typed.
    pub input: LineInput,
    /// First line of the report shown, and what the last draw showed.
    pub scroll: TextScroll,
}

impl App {
    /// Opens the import dialog at its path prompt.
    pub(super) fn open_import(&mut self) {
        let mut input = LineInput::default();
        input.set_placeholder("path of a .csv roster");
        input.set_focused(true, &self.shell.theme);
        self.shell
            .status
            .info("Import peers: type the CSV file's path, Enter checks it (nothing is written)");
        self.push_layer(ImportDialog {
            stage: ImportStage::Path,
            input,
            scroll: TextScroll::default(),
        });
    }

    /// The import dialog, while open.
    pub fn import_dialog(&self) -> Option<&ImportDialog> {
        self.layer::<ImportDialog>()
    }

    /// Takes the dry run.
    pub(super) fn on_import_plan(&mut self, result: Result<ImportPlan, Failure>) {
        let Some(d) = self.layer_mut::<ImportDialog>() else {
            return;
        };
        match result {
            Ok(plan) => {
                d.stage = ImportStage::Plan(Box::new(plan));
                d.scroll.reset();
            }
            Err(e) => {
                d.stage = ImportStage::Path;
                self.shell.status.error(format!("Not imported: {e}"));
            }
        }
    }

    /// Takes the outcome of writing.
    pub(super) fn on_imported(&mut self, result: Result<ImportOutcome, Failure>) {
        match result {
            Ok(o) => {
                self.close_layer::<ImportDialog>();
                self.shell.status.info(format!(
                    "Imported {} peer(s); {} likely duplicate(s) left out",
                    o.created.len(),
                    o.duplicates
                ));
                self.shell.requests.push(Request::Roster);
                self.shell.notify(Notice::ReloadToday);
            }
            Err(e) => {
                if let Some(d) = self.layer_mut::<ImportDialog>() {
                    d.stage = ImportStage::Path;
                }
                self.shell.status.error(format!("Not imported: {e}"));
            }
        }
    }
}

/// The dry-run report as lines, escaped (names and cells come from the
/// file).
pub fn plan_lines(plan: &ImportPlan) -> Vec<String> {
    let mut out = vec![format!(
        "{}: {} row(s) read, {} to add, {} problem(s), {} likely duplicate(s)",
        escape_line(&plan.source),
        plan.rows_read,
        plan.rows.len(),
        plan.problems.len(),
        plan.duplicates.len()
    )];
    for p in &plan.problems {
        out.push(format!("problem: {p}"));
    }
    for d in &plan.duplicates {
        let like = match (d.existing, d.earlier_line) {
            (Some(id), _) => format!("peer {id}"),
            (None, Some(l)) => format!("line {l}"),
            (None, None) => "another row".to_string(),
        };
        out.push(format!(
            "duplicate: line {}, {} looks like {like} ({})",
            d.line,
            escape_line(&d.name),
            escape_line(&d.why)
        ));
    }
    for r in &plan.rows {
        out.push(format!(
            "add: line {}, {}",
            r.line,
            escape_line(&r.peer.display_name)
        ));
    }
    out
}

impl Layer for ImportDialog {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        match self.stage {
            ImportStage::Path => (CHAIN_PATH, true),
            _ => (CHAIN_PLAN, false),
        }
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        match (&self.stage, action) {
            (ImportStage::Checking | ImportStage::Writing, Action::Quit | Action::Help) => {
                Reply::Pass
            }
            (ImportStage::Checking | ImportStage::Writing, _) => {
                app.shell
                    .status
                    .info("working… the dialog changes when the store answers");
                Reply::Done
            }
            (_, Action::Back | Action::No) => {
                app.shell
                    .status
                    .info("Import cancelled; nothing was written");
                Reply::Close
            }
            (ImportStage::Plan(plan), Action::Yes) => {
                if plan.has_problems() {
                    app.shell
                        .status
                        .error("Not imported: fix the problems in the file and import it again");
                    return Reply::Done;
                }
                if plan.rows.is_empty() {
                    app.shell.status.info("Nothing to import: no new rows");
                    return Reply::Close;
                }
                let plan = plan.clone();
                let actor = app.actor();
                app.shell
                    .requests
                    .push(Request::ImportApply { plan, actor });
                self.stage = ImportStage::Writing;
                Reply::Done
            }
            (ImportStage::Plan(_), a) if self.scroll.apply(a) => Reply::Done,
            (_, Action::Quit | Action::Help) => Reply::Pass,
            _ => Reply::Done,
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        if !matches!(self.stage, ImportStage::Path) {
            return Reply::Done;
        }
        if ev.code != KeyCode::Enter {
            self.input.key(ev);
            return Reply::Done;
        }
        let text = self.input.text().trim().to_string();
        if text.is_empty() {
            app.shell
                .status
                .error("Import: type the path of a CSV file");
            return Reply::Done;
        }
        app.shell.requests.push(Request::ImportPlan {
            path: PathBuf::from(text),
            today: app.shell.date,
        });
        self.stage = ImportStage::Checking;
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        if matches!(self.stage, ImportStage::Path) {
            self.input.paste(text);
        }
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        match self.stage {
            ImportStage::Path => None,
            _ => Some(&[
                (Action::Yes, "import"),
                (Action::No, "cancel"),
                (Action::Down, "scroll"),
            ]),
        }
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        let main = areas.main;
        let area = main.inner(Margin::new(1, 1));
        Clear.render(area, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.border())
            .title("Import peers from a CSV file");
        let inner = block.inner(area);
        block.render(area, buf);
        let lines: Vec<Line> = match &self.stage {
            ImportStage::Path => vec![
                Line::raw("Type the path of the roster (.csv) below and press Enter."),
                Line::raw("It is checked first: nothing is written until you say yes."),
            ],
            ImportStage::Checking => vec![Line::raw("checking the file…")],
            ImportStage::Writing => vec![Line::raw("adding peers…")],
            ImportStage::Plan(plan) => {
                // The question takes the first row; the report scrolls below.
                let all = plan_lines(plan);
                let top = self
                    .scroll
                    .shown(usize::from(inner.height.saturating_sub(1)), all.len());
                let mut v: Vec<Line> = all.into_iter().skip(top).map(Line::raw).collect();
                let ask = if plan.has_problems() {
                    "Fix the problems and import again (n closes)."
                } else {
                    "Import these rows? y imports, n cancels."
                };
                v.insert(0, Line::styled(ask, ctx.theme.heading()));
                v
            }
        };
        Paragraph::new(lines).render(inner, buf);
        if matches!(self.stage, ImportStage::Path) {
            prompt::render(&self.input, ctx, areas.hints, buf);
        }
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
