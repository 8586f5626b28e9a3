//! `caseload demo`: fill an empty store with a demo organization.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::model::dates::{parse_date, Direction};
use crate::ops::demo::{generate, DemoOptions, Progress};
use crate::ops::{local_now, os_login};
use crate::store::Store;

use super::args::DemoArgs;

/// Shows progress on standard error: an `indicatif` bar on a terminal
/// (one per stage), and a line per tenth otherwise, so logs of long runs
/// stay short and never hold escape codes.
fn reporter() -> impl FnMut(Progress) {
    let live = std::io::stderr().is_terminal();
    let mut bar: Option<(&'static str, ProgressBar)> = None;
    let mut last_tenth = u64::MAX;
    let mut last_stage = "";
    move |p: Progress| {
        if live {
            let same = matches!(&bar, Some((stage, _)) if *stage == p.stage);
            if !same {
                if let Some((_, old)) = bar.take() {
                    old.finish();
                }
                let b = ProgressBar::with_draw_target(Some(p.total), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template(
                    "{prefix:>10} [{bar:40}] {pos}/{len} ({percent}%, {per_sec}, {eta} left)",
                ) {
                    b.set_style(style.progress_chars("=> "));
                }
                b.set_prefix(p.stage);
                bar = Some((p.stage, b));
            }
            if let Some((_, b)) = &bar {
                b.set_position(p.done);
                if p.done >= p.total {
                    b.finish();
                }
            }
            return;
        }
        let tenth = (p.done * 10).checked_div(p.total).unwrap_or(10);
        if tenth != last_tenth || p.stage != last_stage {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{} {}/{} ({}%)", p.stage, p.done, p.total, tenth * 10);
        }
        last_tenth = tenth;
        last_stage = p.stage;
    }
}

fn options(args: &DemoArgs) -> Result<DemoOptions> {
    let now = local_now();
    let today = match &args.as_of {
        Some(d) => parse_date("--as-of", d, now.date_naive(), Direction::Past)?,
        None => now.date_naive(),
    };
    Ok(DemoOptions {
        peers: args.peers,
        checkins: args.checkins,
        seed: args.seed,
        today,
        offset: *now.offset(),
        login: Some(os_login()),
    })
}

/// Runs `caseload demo`.
pub fn run(store: &dyn Store, args: &DemoArgs) -> Result<ExitCode> {
    let opts = options(args)?;
    let actor = crate::model::Actor::login(os_login());
    let started = std::time::Instant::now();
    let counts = generate(store, &actor, &opts, &mut reporter())?;
    println!(
        "demo data written to {} in {:.1} s: {} staff, {} peers, {} goals, {} groups, {} sessions, {} check-ins",
        store.location(),
        started.elapsed().as_secs_f64(),
        counts.staff,
        counts.peers,
        counts.goals,
        counts.groups,
        counts.sessions,
        counts.checkins
    );
    Ok(ExitCode::SUCCESS)
}

/// Fills the `--demo` store with the default small center.
pub fn fill_default(store: &dyn Store) -> Result<()> {
    let args = DemoArgs {
        peers: 60,
        checkins: 2000,
        seed: 1,
        as_of: None,
    };
    let opts = options(&args)?;
    let actor = crate::model::Actor::login(os_login());
    generate(store, &actor, &opts, &mut |_| {})?;
    Ok(())
}
