//! Work the UI hands to a thread of its own because it is too slow for a
//! keystroke and needs no store: preparing a large new roster for
//! searching ([`RosterSearch::new`]: folding, indexing and ordering the
//! names, 150–380 ms at 100,000 peers, which froze the UI when the roster
//! arrived) and then working out its first-character search tables
//! ([`SearchIndex::first_chars`], about a hundred milliseconds).
//!
//! A feature queues a [`Job`] on the shell (`Shell::jobs`); the runtime
//! runs each on a thread of lower priority than the UI's and sends the
//! result back on the event channel, where the app takes it like a store
//! answer ([`App::on_job_done`](crate::ui::app::App::on_job_done)). Nothing
//! waits for it: while a roster is being prepared the Peers screen lists
//! it unsearched and keeps what is typed, applied once the index arrives;
//! a search typed before the tables arrive gives the same rows, only
//! computed the slower way. A result is tied to what it was worked out
//! from (the same `Arc`), so an index or tables for a roster replaced
//! meanwhile can never be used for the new one.

use std::sync::Arc;

use crate::search::{FirstChars, SearchIndex};
use crate::ui::roster::RosterSearch;
use crate::ui::worker::RosterRow;

/// Work for a background thread.
#[derive(Debug, Clone)]
pub enum Job {
    /// Prepare a roster for searching (index and name order).
    RosterSearch(Arc<Vec<RosterRow>>),
    /// Work out the first-character tables of a roster's search index.
    FirstChars(Arc<SearchIndex>),
}

/// What a [`Job`] came to.
#[derive(Debug)]
pub enum Done {
    /// The roster prepared (its `rows` are the `Arc` the job was given).
    RosterSearch(RosterSearch),
    /// The tables, with the index they are for.
    FirstChars(Arc<SearchIndex>, FirstChars),
}

impl Job {
    /// Does the work (on the calling thread).
    pub fn run(self) -> Done {
        match self {
            Job::RosterSearch(rows) => Done::RosterSearch(RosterSearch::new(rows)),
            Job::FirstChars(index) => {
                let tables = index.first_chars();
                Done::FirstChars(index, tables)
            }
        }
    }

    /// Runs the job on a thread of its own, at a lower priority than the
    /// UI's so that keys and drawing come first, and hands the result to
    /// `deliver`. An error only when no thread could be started.
    pub fn spawn(self, deliver: impl FnOnce(Done) + Send + 'static) -> std::io::Result<()> {
        std::thread::Builder::new()
            .name("caseload-background".into())
            .spawn(move || {
                lower_priority();
                deliver(self.run());
            })
            .map(|_| ())
    }
}

/// Makes the calling thread yield to the UI's (Linux schedules each thread
/// by its own nice value).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only changes the calling thread's nice value
    // (who = 0); a failure leaves it as it was, which is harmless.
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
