//! The Import feature: import a roster from the Peers screen (`I`,
//! [`open`]). The dialog is a layer: a path prompt, the
//! dry-run report of `ops::import_peers::plan` (rows to add, every problem
//! with its line and column, likely duplicates), then yes to write or no
//! to leave the roster as it is. Nothing is written before the yes, and
//! a file with problems is not written at all (as `caseload import-peers`
//! without `--skip-invalid`). [`Import`] takes the worker's answers into
//! the dialog; a written roster goes out as [`Notice::ReloadRoster`] and
//! [`Notice::ReloadToday`].

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
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::TextScroll;
use crate::ui::widgets::prompt;
use crate::ui::worker::{Failure, Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::Cx;
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

/// The Import feature: it owns no state of its own (the dialog is a
/// layer); it takes the dry run and the outcome of writing.
#[derive(Debug, Default)]
pub struct Import;

/// Opens the import dialog at its path prompt.
pub(super) fn open(cx: &mut Cx) {
    let mut input = LineInput::default();
    input.set_placeholder("path of a .csv roster");
    input.set_focused(true, &cx.theme);
    cx.status
        .info("Import peers: type the CSV file's path, Enter checks it (nothing is written)");
    cx.push_layer(ImportDialog {
        stage: ImportStage::Path,
        input,
        scroll: TextScroll::default(),
    });
}

impl Import {
    /// Takes the dry run.
    fn on_plan(&mut self, result: Result<ImportPlan, Failure>, cx: &mut Cx) {
        let Some(d) = cx.layer_mut::<ImportDialog>() else {
            return;
        };
        match result {
            Ok(plan) => {
                d.stage = ImportStage::Plan(Box::new(plan));
                d.scroll.reset();
            }
            Err(e) => {
                d.stage = ImportStage::Path;
                cx.status.error(format!("Not imported: {e}"));
            }
        }
    }

    /// Takes the outcome of writing: the roster and Today reload.
    fn on_imported(&mut self, result: Result<ImportOutcome, Failure>, cx: &mut Cx) {
        match result {
            Ok(o) => {
                cx.close_layer::<ImportDialog>();
                cx.status.info(format!(
                    "Imported {} peer(s); {} likely duplicate(s) left out",
                    o.created.len(),
                    o.duplicates
                ));
                cx.notify(Notice::ReloadRoster);
                cx.notify(Notice::ReloadToday);
            }
            Err(e) => {
                if let Some(d) = cx.layer_mut::<ImportDialog>() {
                    d.stage = ImportStage::Path;
                }
                cx.status.error(format!("Not imported: {e}"));
            }
        }
    }
}

impl Feature for Import {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::ImportPlan(r) => self.on_plan(*r, cx),
            Response::Imported(r) => self.on_imported(r, cx),
            other => misrouted(FeatureId::Import, &other),
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
        let mut cx = split!(app);
        match (&self.stage, action) {
            (ImportStage::Checking | ImportStage::Writing, Action::Quit | Action::Help) => {
                Reply::Pass
            }
            (ImportStage::Checking | ImportStage::Writing, _) => {
                cx.status
                    .info("working… the dialog changes when the store answers");
                Reply::Done
            }
            (_, Action::Back | Action::No) => {
                cx.status.info("Import cancelled; nothing was written");
                Reply::Close
            }
            (ImportStage::Plan(plan), Action::Yes) => {
                if plan.has_problems() {
                    cx.status
                        .error("Not imported: fix the problems in the file and import it again");
                    return Reply::Done;
                }
                if plan.rows.is_empty() {
                    cx.status.info("Nothing to import: no new rows");
                    return Reply::Close;
                }
                let plan = plan.clone();
                let actor = cx.actor();
                cx.requests.push(Request::ImportApply { plan, actor });
                self.stage = ImportStage::Writing;
                Reply::Done
            }
            (ImportStage::Plan(_), a) if self.scroll.apply(a) => Reply::Done,
            (_, Action::Quit | Action::Help) => Reply::Pass,
            _ => Reply::Done,
        }
    }

    fn text_key(&mut self, ev: KeyEvent, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if !matches!(self.stage, ImportStage::Path) {
            return Reply::Done;
        }
        if ev.code != KeyCode::Enter {
            self.input.key(ev);
            return Reply::Done;
        }
        let text = self.input.text().trim().to_string();
        if text.is_empty() {
            cx.status.error("Import: type the path of a CSV file");
            return Reply::Done;
        }
        let today = cx.date;
        cx.requests.push(Request::ImportPlan {
            path: PathBuf::from(text),
            today,
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

    any_impl!();
}
