//! Keeps the day's Today ready in the service, so that a UI starting at
//! the front desk finds it worked out instead of waiting for it.
//!
//! At a large center (10,000 peers) working Today out takes the service
//! 20–40 ms, most of a UI's first frame. The store keeps its last answers
//! until a write ends them (`store::today_cache`); this thread works out
//! the day's answer for everyone as the service starts and when the day
//! changes, and works out again the answers writes have ended once the
//! writes pause. Nobody is shown these answers until they ask, and then
//! the read is audited as any other: working an answer out is not a read
//! by anyone.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use chrono::NaiveDate;

use crate::store::{SledStore, Store};

/// How long the store must go without a change before the ended answers
/// are worked out again: writes come in bursts (a group's attendance, an
/// import of peers, a script logging a day's check-ins), and one answer
/// after the burst is enough.
pub(super) const QUIET: Duration = Duration::from_millis(300);

/// How often the thread looks whether the service is stopping or the day
/// has changed.
const LOOK_EVERY: Duration = Duration::from_millis(250);

/// Runs until `stopping` is set (or the store stops sending change
/// notices).
pub(super) fn keep_today_ready(store: &SledStore, stopping: &AtomicBool) {
    let Some(changes) = store.subscribe() else {
        return;
    };
    let mut day = work_out_day(store, None);
    while !stopping.load(Ordering::SeqCst) {
        match changes.recv_timeout(LOOK_EVERY) {
            Ok(_) => {
                if !wait_for_a_pause(&changes, stopping) {
                    return;
                }
                if let Err(e) = store.refresh_today() {
                    tracing::warn!(error = %e, "could not work Today out again after a change");
                }
            }
            Err(RecvTimeoutError::Timeout) => day = work_out_day(store, Some(day)),
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Works out the center's Today for everyone if the day is not `known`
/// (the service just started, or midnight passed); returns the day.
fn work_out_day(store: &SledStore, known: Option<NaiveDate>) -> NaiveDate {
    let day = crate::ops::local_now().date_naive();
    if known != Some(day) {
        if let Err(e) = store.today(day, None) {
            tracing::warn!(error = %e, "could not work out Today for {day}");
        }
    }
    day
}

/// Waits until no change has arrived for [`QUIET`]; false if the service
/// is stopping or the notices ended.
fn wait_for_a_pause(
    changes: &std::sync::mpsc::Receiver<crate::store::Change>,
    stopping: &AtomicBool,
) -> bool {
    loop {
        if stopping.load(Ordering::SeqCst) {
            return false;
        }
        match changes.recv_timeout(QUIET) {
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}
