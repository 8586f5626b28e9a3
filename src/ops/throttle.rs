//! The sign-in throttle: how many PIN checks a guesser gets, how many run
//! at once, and how failures reach the audit trail.
//!
//! Three rules, each against one attack seen on a shared server:
//!
//! - **A try is counted before its PIN is checked.** [`Throttle::reserve`]
//!   takes a slot under the lock and only then may the (slow) argon2 check
//!   run, so twenty guesses sent at once get exactly the checks twenty
//!   guesses sent one after another would: [`FREE_TRIES`], then one per
//!   growing wait. A right PIN gives the slot back and clears the count.
//! - **Per staff member and per operating-system login.** Wrong PINs for
//!   staff X from login A slow down X at login A only, so an attacker on
//!   one account cannot keep X from signing in at their own desk.
//! - **At most [`MAX_PARALLEL_CHECKS`] argon2 checks run at once** in the
//!   whole process (argon2 takes about 19 MiB a check), whoever asks.
//!
//! Failures are coalesced on the audit trail: the first refusal for a
//! staff member and login starts a one-minute window and is written at
//! once; later refusals in the window are counted and written as one
//! [`AuditEvent::SignInFailures`] entry with the count when the window
//! ends (the next refusal after it, [`Throttle::flush_expired`], which the
//! server calls every second), when anyone signs in, or when the server
//! stops ([`Throttle::flush`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::model::{Actor, StaffId};
use crate::store::{AuditEvent, Store};

/// Wrong PINs allowed in a row before each further try must wait.
pub const FREE_TRIES: u32 = 3;
/// The first wait; it doubles with every further wrong PIN.
pub const FIRST_WAIT: Duration = Duration::from_secs(5);
/// The longest wait between tries.
pub const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Most argon2 checks running at once in this process (each takes about
/// 19 MiB for a few tens of milliseconds): bounds the memory an attacker
/// can make the server use, whatever the number of connections.
pub const MAX_PARALLEL_CHECKS: usize = 2;
/// How long a sign-in waits for a free argon2 slot before it is told the
/// server is busy (nothing is counted against the PIN then).
pub const CHECK_QUEUE_WAIT: Duration = Duration::from_secs(20);
/// Refusals for one staff member and login within this long share one
/// audit entry (after the first).
pub const AUDIT_WINDOW: Duration = Duration::from_secs(60);
/// Distinct reasons kept apart in one coalesced entry; the rest are
/// counted as "other".
const MAX_REASONS: usize = 6;

/// A source of "now" for the throttle, so tests can move time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Instant;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A counting semaphore (Mutex + Condvar): the argon2 slots.
struct Semaphore {
    free: Mutex<usize>,
    freed: Condvar,
}

/// The process-wide argon2 slots: one set for every throttle, server and
/// command in the process.
static CHECK_SLOTS: Semaphore = Semaphore {
    free: Mutex::new(MAX_PARALLEL_CHECKS),
    freed: Condvar::new(),
};

/// One taken argon2 slot; dropping it frees the slot.
pub struct CheckSlot(());

impl Semaphore {
    fn count(&self) -> MutexGuard<'_, usize> {
        self.free.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn acquire(&'static self, within: Duration) -> Option<CheckSlot> {
        let deadline = Instant::now() + within;
        let mut free = self.count();
        while *free == 0 {
            let left = deadline.checked_duration_since(Instant::now())?;
            if left.is_zero() {
                return None;
            }
            free = self
                .freed
                .wait_timeout(free, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *free -= 1;
        Some(CheckSlot(()))
    }
}

impl Drop for CheckSlot {
    fn drop(&mut self) {
        *CHECK_SLOTS.count() += 1;
        CHECK_SLOTS.freed.notify_one();
    }
}

/// Waits (at most `within`) for one of the [`MAX_PARALLEL_CHECKS`]
/// process-wide argon2 slots; `None` if none came free in time. Hashing
/// and checking a PIN both hold one while argon2 runs.
pub fn check_slot(within: Duration) -> Option<CheckSlot> {
    CHECK_SLOTS.acquire(within)
}

/// Refusals counted but not yet on the audit trail.
#[derive(Debug, Default, Clone)]
struct Tally {
    total: u32,
    /// (reason, count), in the order first seen.
    reasons: Vec<(String, u32)>,
}

impl Tally {
    fn add(&mut self, reason: &str) {
        self.total = self.total.saturating_add(1);
        let key = if self.reasons.len() >= MAX_REASONS
            && !self.reasons.iter().any(|(r, _)| r == reason)
        {
            "other"
        } else {
            reason
        };
        match self.reasons.iter_mut().find(|(r, _)| r == key) {
            Some((_, n)) => *n = n.saturating_add(1),
            None => self.reasons.push((key.to_string(), 1)),
        }
    }

    /// The audit event for the tally (`None` when empty).
    fn event(&self, staff: StaffId) -> Option<AuditEvent> {
        match self.total {
            0 => None,
            1 => Some(AuditEvent::SignInFailed {
                staff: Some(staff),
                reason: self.reasons.first().map(|(r, _)| r.clone())?,
            }),
            count => Some(AuditEvent::SignInFailures {
                staff: Some(staff),
                count,
                reason: self
                    .reasons
                    .iter()
                    .map(|(r, n)| format!("{r} ×{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

/// What the throttle knows about one staff member at one login.
#[derive(Debug, Clone)]
struct Entry {
    /// Tries counted in a row without a right PIN (in flight included).
    count: u32,
    /// When the last of them was counted.
    last: Instant,
    /// When the current audit window began (its first refusal was
    /// written then).
    window: Option<Instant>,
    /// Refusals in the window not yet written.
    pending: Tally,
}

impl Entry {
    fn new(now: Instant) -> Self {
        Entry {
            count: 0,
            last: now,
            window: None,
            pending: Tally::default(),
        }
    }

    fn idle(&self) -> bool {
        self.count == 0 && self.window.is_none() && self.pending.total == 0
    }
}

type Key = (StaffId, String);

/// A counted try, taken by [`Throttle::reserve`] before a PIN is checked.
/// Give it back with [`Throttle::succeed`] (right PIN) or
/// [`Throttle::unreserve`] (no check was made); a wrong PIN keeps it.
#[derive(Debug)]
#[must_use = "a reserved try is given back with succeed or unreserve, or kept for a wrong PIN"]
pub struct Reserved {
    staff: StaffId,
    login: String,
}

/// Tries per staff member and login, kept in memory by whoever checks
/// PINs (the server, for every connection together). Restarting forgets
/// the counts; the failures stay on the audit trail.
pub struct Throttle {
    clock: Arc<dyn Clock>,
    entries: Mutex<HashMap<Key, Entry>>,
    checks: AtomicU64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new(Arc::new(SystemClock))
    }
}

impl Throttle {
    /// A throttle reading time from `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Throttle {
            clock,
            entries: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<Key, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `count` wrong PINs in a row make the next try wait.
    pub fn wait_after(count: u32) -> Duration {
        if count < FREE_TRIES {
            return Duration::ZERO;
        }
        let doublings = (count - FREE_TRIES).min(20);
        FIRST_WAIT
            .saturating_mul(1u32 << doublings)
            .min(LONGEST_WAIT)
    }

    fn wait_left(entry: &Entry, now: Instant) -> Option<Duration> {
        let ready = entry.last + Self::wait_after(entry.count);
        (now < ready).then(|| ready - now)
    }

    /// `Err(wait)` while `staff` at `login` must still wait before the
    /// next try. Only looks; [`Throttle::reserve`] is what counts.
    pub fn check(&self, staff: StaffId, login: &str) -> Result<(), Duration> {
        let now = self.clock.now();
        match self.map().get(&(staff, login.to_string())) {
            Some(e) => Self::wait_left(e, now).map_or(Ok(()), Err),
            None => Ok(()),
        }
    }

    /// Counts a try for `staff` at `login` before its PIN is checked, or
    /// `Err(wait)` if it must wait. Checking and counting are one step
    /// under the lock, so parallel tries cannot all pass.
    pub fn reserve(&self, staff: StaffId, login: &str) -> Result<Reserved, Duration> {
        let now = self.clock.now();
        let mut map = self.map();
        let e = map
            .entry((staff, login.to_string()))
            .or_insert_with(|| Entry::new(now));
        if let Some(wait) = Self::wait_left(e, now) {
            return Err(wait);
        }
        e.count = e.count.saturating_add(1);
        e.last = now;
        Ok(Reserved {
            staff,
            login: login.to_string(),
        })
    }

    /// Gives back a try that was never checked (no argon2 slot came free).
    pub fn unreserve(&self, reserved: Reserved) {
        if let Some(e) = self.map().get_mut(&(reserved.staff, reserved.login)) {
            e.count = e.count.saturating_sub(1);
        }
    }

    /// A right PIN: forgets the wrong ones for this staff member at this
    /// login.
    pub fn succeed(&self, reserved: Reserved) {
        let key = (reserved.staff, reserved.login);
        let mut map = self.map();
        if let Some(e) = map.get_mut(&key) {
            e.count = 0;
            if e.idle() {
                map.remove(&key);
            }
        }
    }

    /// Counts one argon2 check (for tests and the figures in the docs).
    pub(crate) fn counted_check(&self) {
        self.checks.fetch_add(1, Ordering::Relaxed);
    }

    /// PIN checks (argon2 runs) this throttle let through since it was
    /// made: what an attacker actually got.
    pub fn pin_checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// Notes a refused sign-in and says what to write on the trail now:
    /// the first refusal of a window (with any tally left from the last
    /// one), or nothing while the window is open (counted instead).
    /// `reason` is the full reason; `kind` the reason without details
    /// such as seconds, used in counts.
    pub fn refused(
        &self,
        staff: StaffId,
        login: &str,
        reason: &str,
        kind: &str,
    ) -> Option<AuditEvent> {
        let now = self.clock.now();
        let mut map = self.map();
        let e = map
            .entry((staff, login.to_string()))
            .or_insert_with(|| Entry::new(now));
        let open = e
            .window
            .is_some_and(|start| now.saturating_duration_since(start) < AUDIT_WINDOW);
        if open {
            e.pending.add(kind);
            return None;
        }
        let mut tally = std::mem::take(&mut e.pending);
        if tally.total == 0 {
            tally.add(reason);
        } else {
            tally.add(kind);
        }
        e.window = Some(now);
        tally.event(staff)
    }

    /// Takes the tallies to write: every one (`all`), or those whose
    /// window has ended.
    fn take(&self, all: bool) -> Vec<(String, AuditEvent)> {
        let now = self.clock.now();
        let mut out = Vec::new();
        let mut map = self.map();
        map.retain(|(staff, login), e| {
            let ended = e
                .window
                .is_some_and(|start| now.saturating_duration_since(start) >= AUDIT_WINDOW);
            if all || ended {
                if let Some(event) = std::mem::take(&mut e.pending).event(*staff) {
                    out.push((login.clone(), event));
                }
            }
            if ended {
                e.window = None;
            }
            // Forget what no longer counts (no wrong PINs in a row, no
            // window, nothing pending), so the map stays small.
            !e.idle()
        });
        out
    }

    fn write(store: &dyn Store, events: Vec<(String, AuditEvent)>) {
        for (login, event) in events {
            if let Err(e) = store.record_event(event, &Actor::login(login)) {
                tracing::warn!(error = %e, "could not record failed sign-ins");
            }
        }
    }

    /// Writes the tallies of windows that have ended (the server calls it
    /// every second).
    pub fn flush_expired(&self, store: &dyn Store) {
        Self::write(store, self.take(false));
    }

    /// Writes every tally now (before a sign-in is recorded, and when the
    /// server or the UI stops), so a reader of the trail misses nothing.
    pub fn flush(&self, store: &dyn Store) {
        Self::write(store, self.take(true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct ManualClock {
        start: Instant,
        offset: Mutex<Duration>,
    }

    impl Clock for ManualClock {
        fn now(&self) -> Instant {
            self.start + *self.offset.lock().unwrap()
        }
    }

    fn clock() -> Arc<ManualClock> {
        Arc::new(ManualClock {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        })
    }

    #[test]
    fn parallel_tries_get_no_more_slots_than_sequential_ones() {
        let t = Arc::new(Throttle::default());
        let id = StaffId::new(1);
        // Each try holds its reservation until every try has been made, as
        // tries whose PIN checks are still running do (a reservation
        // dropped unchecked is given back).
        let all_tried = Arc::new(std::sync::Barrier::new(20));
        let granted: Vec<bool> = (0..20)
            .map(|_| {
                let t = Arc::clone(&t);
                let all_tried = Arc::clone(&all_tried);
                std::thread::spawn(move || {
                    let reservation = t.reserve(id, "mallory");
                    let ok = reservation.is_ok();
                    all_tried.wait();
                    drop(reservation);
                    ok
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        let n = granted.iter().filter(|g| **g).count();
        assert_eq!(n, FREE_TRIES as usize, "{granted:?}");
    }

    #[test]
    fn another_login_is_not_slowed_and_a_right_pin_resets() {
        let t = Throttle::new(clock());
        let id = StaffId::new(1);
        for _ in 0..FREE_TRIES {
            let _wrong = t.reserve(id, "a").unwrap();
        }
        assert_eq!(t.reserve(id, "a").unwrap_err(), FIRST_WAIT);
        let at_b = t.reserve(id, "b").expect("login b is its own count");
        t.succeed(at_b);
        assert!(t.check(id, "a").is_err(), "a's count stays");
        assert!(t.check(id, "b").is_ok());
    }

    #[test]
    fn an_unchecked_try_is_given_back() {
        let t = Throttle::new(clock());
        let id = StaffId::new(1);
        for _ in 0..FREE_TRIES - 1 {
            let _wrong = t.reserve(id, "a").unwrap();
        }
        let r = t.reserve(id, "a").unwrap();
        t.unreserve(r);
        assert!(t.check(id, "a").is_ok(), "the last try did not count");
    }

    #[test]
    fn refusals_are_coalesced_one_entry_a_minute_with_a_count() {
        let c = clock();
        let t = Throttle::new(c.clone());
        let id = StaffId::new(4);
        let first = t.refused(id, "a", "wrong PIN", "wrong PIN");
        assert_eq!(
            first,
            Some(AuditEvent::SignInFailed {
                staff: Some(id),
                reason: "wrong PIN".into()
            })
        );
        for _ in 0..10 {
            assert_eq!(t.refused(id, "a", "wrong PIN", "wrong PIN"), None);
        }
        for _ in 0..5 {
            assert_eq!(
                t.refused(id, "a", "too many (5 s)", "too many wrong PINs"),
                None
            );
        }
        // Another login has a window of its own.
        assert!(t.refused(id, "b", "wrong PIN", "wrong PIN").is_some());
        *c.offset.lock().unwrap() += AUDIT_WINDOW;
        let next = t.refused(id, "a", "wrong PIN", "wrong PIN");
        assert_eq!(
            next,
            Some(AuditEvent::SignInFailures {
                staff: Some(id),
                count: 16,
                reason: "wrong PIN ×11, too many wrong PINs ×5".into()
            })
        );
        // Nothing pending now for a, and b had no further refusal.
        assert!(t.take(true).is_empty());
        assert_eq!(t.refused(id, "a", "wrong PIN", "wrong PIN"), None);
        assert_eq!(t.take(false).len(), 0, "the window is still open");
        *c.offset.lock().unwrap() += AUDIT_WINDOW;
        let written = t.take(false);
        assert_eq!(written.len(), 1);
        assert_eq!(written[0].0, "a");
        assert_eq!(
            written[0].1.failed_sign_ins(),
            1,
            "the tally of one is written when its window ends"
        );
    }

    #[test]
    fn at_most_two_checks_hold_a_slot_at_once() {
        let a = check_slot(Duration::from_secs(30)).expect("a free slot");
        let b = check_slot(Duration::from_secs(30)).expect("a second slot");
        // Other tests in this binary may hold slots too, so a third
        // cannot be had while these two are held.
        assert!(check_slot(Duration::from_millis(50)).is_none());
        drop(a);
        let c = check_slot(Duration::from_secs(30)).expect("freed again");
        drop((b, c));
    }
}
