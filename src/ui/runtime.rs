//! The terminal side: raw mode and alternate screen (always restored, also
//! on errors and panics), an input thread, the store worker, and an event
//! loop that blocks on one channel — no polling, so caseload uses no CPU
//! while nobody types. The only timed wake-ups are the ones the app asks
//! for ([`App::next_wake`]: the auto-lock deadline, a sign-in countdown)
//! and midnight.

use std::io::{self, IsTerminal, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Once};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::config::Config;
use crate::ops::local_now;
use crate::store::Store;
use crate::ui::app::{App, AppOptions};
use crate::ui::background::Done;
use crate::ui::keymap::Keymap;
use crate::ui::lock;
use crate::ui::theme::Theme;
use crate::ui::view;
use crate::ui::worker::{RequestId, Response, Worker};
use crate::ui::UiOptions;

/// Everything the event loop waits for, on one channel.
enum UiEvent {
    Input(crossterm::event::Event),
    InputFailed(String),
    /// The terminal hung up without SIGHUP reaching this process.
    TerminalGone,
    Store(Option<RequestId>, Box<Response>),
    WorkerStopped(String),
    /// A background job's result (`ui::background`).
    Job(Box<Done>),
}

/// Set while the terminal is in raw mode / alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Leaves raw mode and the alternate screen, once.
fn restore_terminal() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        crate::ui::signals::disarm();
        let _ = disable_raw_mode();
        let _ = execute!(
            io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
    }
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_active = ACTIVE.load(Ordering::SeqCst);
            // Restore first, so the message below is readable.
            restore_terminal();
            tracing::error!("panic: {info}");
            if was_active {
                eprintln!(
                    "\ncaseload stopped because of an internal error; the terminal has been restored.\n\
                     Check-ins confirmed as saved are on disk; a check-in form that was still open was not saved.\n"
                );
            }
            previous(info);
        }));
    });
}

/// Raw mode + alternate screen for as long as it lives.
pub(super) struct TerminalGuard {
    pub(super) terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    pub(super) fn start() -> anyhow::Result<TerminalGuard> {
        install_panic_hook();
        // Before raw mode: SIGTERM/SIGHUP put back these settings.
        crate::ui::signals::install();
        enable_raw_mode().context("cannot switch the terminal to raw mode")?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste) {
            restore_terminal();
            return Err(e).context("cannot open the full-screen view");
        }
        crate::ui::signals::arm();
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore_terminal();
                Err(e).context("cannot set up the terminal")
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn until_tomorrow(now: DateTime<FixedOffset>) -> Duration {
    let next = now
        .date_naive()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 5))
        .map(|t| {
            (t - now.naive_local())
                .to_std()
                .unwrap_or(Duration::from_secs(60))
        })
        .unwrap_or(Duration::from_secs(3600));
    next.max(Duration::from_secs(1))
}

/// Runs the UI until the user quits. See [`crate::ui::run`].
pub fn run(store: Arc<dyn Store>, options: UiOptions) -> anyhow::Result<()> {
    let (config, config_problems) = Config::load(options.config_path.as_deref());
    let mut keymap = Keymap::load(options.keymap.as_deref(), &config, config_problems);
    let (lock_after, lock_problems) = lock::resolve(options.lock_after.as_deref(), &config);
    keymap.problems.extend(lock_problems);
    for p in &keymap.problems {
        tracing::warn!("keymap problem: {p}");
    }
    if !io::stdout().is_terminal() {
        bail!(
            "the caseload screen needs a terminal; for scripts use the commands (caseload --help)"
        );
    }
    let mut app = App::new(
        keymap,
        AppOptions {
            demo: options.demo,
            staff: options.staff.clone(),
            theme: Theme::from_env(),
            clock: local_now,
        },
    );
    app.set_lock_after(lock_after);

    let (tx, rx) = mpsc::channel::<UiEvent>();
    let reply = tx.clone();
    let stopped = tx.clone();
    let worker = Worker::spawn_tagged(
        store,
        move |id, r| reply.send(UiEvent::Store(id, Box::new(r))).is_ok(),
        move |msg| {
            let _ = stopped.send(UiEvent::WorkerStopped(msg));
        },
    )
    .context("cannot start the store thread")?;
    // The first request (who may sign in) goes out now, so the store
    // thread asks while the terminal and the input threads are set up
    // rather than after them; the event loop sends what is queued later.
    for (id, request) in app.take_tagged() {
        if !worker.send_tagged(Some(id), request) {
            worker.finish();
            bail!("the store thread has stopped; see the log for details");
        }
    }

    let mut guard = match TerminalGuard::start() {
        Ok(s) => s,
        Err(e) => {
            worker.finish();
            return Err(e);
        }
    };
    let jobs_tx = tx.clone();
    let input_tx = tx;
    thread::Builder::new()
        .name("caseload-input".into())
        .spawn(move || loop {
            match crossterm::event::read() {
                Ok(ev) => {
                    if input_tx.send(UiEvent::Input(ev)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    let _ = input_tx.send(UiEvent::InputFailed(e.to_string()));
                    break;
                }
            }
        })
        .context("cannot start the input thread")?;
    let hangup_tx = jobs_tx.clone();
    thread::Builder::new()
        .name("caseload-hangup".into())
        .spawn(move || {
            if crate::ui::signals::wait_for_hangup() {
                let _ = hangup_tx.send(UiEvent::TerminalGone);
            }
        })
        .context("cannot start the hang-up watch")?;

    let result = event_loop(&mut guard, &mut app, &rx, &worker, &jobs_tx);
    drop(guard);
    // Waits for an in-flight save to reach the disk before returning.
    worker.finish();
    result
}

fn event_loop(
    guard: &mut TerminalGuard,
    app: &mut App,
    rx: &mpsc::Receiver<UiEvent>,
    worker: &Worker,
    jobs: &mpsc::Sender<UiEvent>,
) -> anyhow::Result<()> {
    loop {
        for (id, request) in app.take_tagged() {
            if !worker.send_tagged(Some(id), request) {
                bail!("the store thread has stopped; see the log for details");
            }
        }
        for job in app.take_jobs() {
            let tx = jobs.clone();
            // Without a thread the work is only skipped: searches give the
            // same rows, the slower way.
            if let Err(e) = job.spawn(move |done| {
                let _ = tx.send(UiEvent::Job(Box::new(done)));
            }) {
                tracing::warn!("no background thread for the search tables: {e}");
            }
        }
        guard
            .terminal
            .draw(|frame| view::render(app, frame))
            .context("cannot draw on the terminal")?;
        if app.should_quit() {
            return Ok(());
        }
        // Block until something happens, or until the app's next deadline
        // (auto-lock, a countdown) or midnight: never a busy loop.
        let mut wait = until_tomorrow(app.now());
        if let Some(at) = app.next_wake() {
            wait = wait.min(at.saturating_duration_since(Instant::now()));
        }
        let first = match rx.recv_timeout(wait) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => {
                app.tick_at(Instant::now());
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => {
                bail!("the input and store threads have stopped")
            }
        };
        // Handle everything already waiting before drawing again.
        let mut next = Some(first);
        while let Some(ev) = next {
            match ev {
                UiEvent::Input(e) => app.handle_event_at(e, Instant::now()),
                UiEvent::Store(id, r) => app.on_reply(id, *r),
                UiEvent::Job(done) => app.on_job_done(*done),
                UiEvent::InputFailed(e) => return Err(anyhow!("reading the keyboard failed: {e}")),
                UiEvent::TerminalGone => {
                    return Err(anyhow!(
                        "the terminal went away (hung up); what was not yet saved is not saved"
                    ))
                }
                UiEvent::WorkerStopped(e) => return Err(anyhow!("{e}; see the log for details")),
            }
            next = rx.try_recv().ok();
        }
        app.tick_at(Instant::now());
    }
}
