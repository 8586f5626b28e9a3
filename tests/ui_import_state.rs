//! Import from the Peers screen: `I` opens a path prompt, the dry run of
//! `ops::import_peers::plan` is shown (rows to add, problems with line and
//! column, likely duplicates), yes writes and says how many were added, no
//! writes nothing; a file with problems is never written. Requests are
//! carried out by the real worker against a real store.

mod support;
mod ui_common;

use caseload::store::{SledStore, Store};
use caseload::ui::app::{plan_lines, App, ImportDialog, ImportStage};
use caseload::ui::worker::{handle, Request};
use crossterm::event::KeyCode;
use ui_common::*;

/// Carries out every queued request on `store` and hands the answers back.
fn run(app: &mut App, store: &SledStore) {
    for (id, r) in app.take_tagged() {
        let keep = matches!(r, Request::ImportPlan { .. } | Request::ImportApply { .. });
        if keep {
            let answer = handle(store, r);
            app.on_reply(Some(id), answer);
        }
    }
}

fn open_with(app: &mut App, path: &str) {
    press(app, &[key('p'), key('I')]);
    assert!(app.layer::<ImportDialog>().is_some());
    type_str(app, path);
    press(app, &[code(KeyCode::Enter)]);
    assert!(matches!(
        app.layer::<ImportDialog>().map(|d| &d.stage),
        Some(ImportStage::Checking)
    ));
}

fn msg(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn screen_text(app: &mut App, w: u16, h: u16) -> String {
    rows(&screen(app, w, h)).join("\n")
}

#[test]
fn a_clean_roster_is_shown_then_added_on_yes() {
    let (_dir, store) = support::fresh();
    let mut app = app();
    app.take_requests();
    open_with(&mut app, "tests/fixtures/import/roster_clean.csv");
    run(&mut app, &store);
    let Some(ImportStage::Plan(plan)) = app.layer::<ImportDialog>().map(|d| &d.stage) else {
        panic!("no dry run shown");
    };
    assert_eq!(plan.rows.len(), 3);
    assert!(store.list_peers().unwrap().is_empty(), "written before yes");
    for (w, h) in [(80, 24), (120, 40)] {
        let t = screen_text(&mut app, w, h);
        assert!(t.contains("3 to add"), "{t}");
        assert!(t.contains("add: line 2, Mia Chen"), "{t}");
        assert!(t.contains("y imports"), "{t}");
    }
    press(&mut app, &[key('y')]);
    run(&mut app, &store);
    assert!(app.layer::<ImportDialog>().is_none());
    assert_eq!(store.list_peers().unwrap().len(), 3);
    assert!(msg(&app).contains("Imported 3 peer(s)"), "{}", msg(&app));
}

#[test]
fn problems_are_shown_with_line_and_column_and_nothing_is_written() {
    let (_dir, store) = support::fresh();
    let mut app = app();
    app.take_requests();
    open_with(&mut app, "tests/fixtures/import/roster_excel.csv");
    run(&mut app, &store);
    let Some(ImportStage::Plan(plan)) = app.layer::<ImportDialog>().map(|d| &d.stage) else {
        panic!("no dry run shown");
    };
    let lines = plan_lines(plan);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("line 9, column 'Intake-Date'")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("duplicate: line 8")),
        "{lines:?}"
    );
    let t = screen_text(&mut app, 120, 40);
    assert!(t.contains("Fix the problems"), "{t}");
    assert!(t.contains("column 'Intake-Date'"), "{t}");
    press(&mut app, &[key('y')]);
    assert!(
        app.take_requests().is_empty(),
        "asked to write a file with problems"
    );
    assert!(msg(&app).contains("Not imported"), "{}", msg(&app));
    press(&mut app, &[key('n')]);
    assert!(app.layer::<ImportDialog>().is_none());
    assert!(store.list_peers().unwrap().is_empty());
}

#[test]
fn no_cancels_and_a_missing_file_is_named() {
    let (_dir, store) = support::fresh();
    let mut app = app();
    app.take_requests();
    open_with(&mut app, "tests/fixtures/import/no-such.csv");
    run(&mut app, &store);
    assert!(matches!(
        app.layer::<ImportDialog>().map(|d| &d.stage),
        Some(ImportStage::Path)
    ));
    assert!(msg(&app).contains("no-such.csv"), "{}", msg(&app));
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.layer::<ImportDialog>().is_none());
    assert!(msg(&app).contains("nothing was written"));
    assert!(store.list_peers().unwrap().is_empty());
}
