//! The service's last Today answers, kept until the next write.
//!
//! Every UI asks for Today when it starts and again after every change
//! notice, and at a large center (10,000 peers) each answer is 20–40 ms
//! of the service's time: five open UIs refreshing after one check-in
//! asked the same question five times. A store keeps the answers it gave
//! with the *write generation* they were read at ([`Generation`]); an
//! answer is given again only while no write has happened since.
//!
//! Why an answer is never stale: a writer bumps the generation *after*
//! its change is visible (after the commit, as the flush begins), and a
//! reader notes the generation *before* it reads. A write that lands
//! during the read bumps after the reader noted it, so the answer is kept
//! under a generation that is already past. Writes that change nothing
//! Today shows (a read's audit entry) do not bump, or every Today's own
//! audit entry would throw its answer away.
//!
//! The answer is the store's part of Today only: who may see it is still
//! decided above the store ([`crate::ops::access::Authorized`]), and
//! every answer given, cached or not, is audited there as before.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;

use crate::model::today::TodayReport;
use crate::model::StaffId;

/// How many answers are kept: one per date and staff filter asked for
/// (the day's Today for everyone and for each signed-in member who looks
/// at only their own peers). At 10,000 peers one answer is 0.3–1.3 MB.
const KEPT: usize = 4;

/// Counts the writes that may change Today: bumped after each one is
/// visible to readers.
#[derive(Debug, Default)]
pub(crate) struct Generation(AtomicU64);

impl Generation {
    /// The generation a reader reads at: note it before reading.
    pub fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Called after a write is visible (committed), before it is reported.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// One kept answer.
struct Kept {
    date: NaiveDate,
    for_staff: Option<StaffId>,
    generation: u64,
    report: TodayReport,
}

/// Which Today is asked: the day and the staff filter.
type Question = (NaiveDate, Option<StaffId>);

/// The kept answers, and the questions being worked out right now (so
/// that readers asking the same at once wait for one answer).
#[derive(Default)]
pub(crate) struct TodayCache {
    kept: Mutex<Vec<Kept>>,
    working: Mutex<Vec<Question>>,
    /// Signalled whenever a question is no longer being worked out.
    done: Condvar,
    /// Answers worked out and kept (an answer worked out during a bulk
    /// load is not kept and not counted): for tests and benchmarks.
    worked_out: AtomicU64,
}

impl TodayCache {
    /// The answer to `date` and `for_staff`: the kept one if no write has
    /// happened since it was read, otherwise `work_out`'s, kept if `keep`
    /// still says so once it is read. Readers asking the same question
    /// while it is worked out wait for that answer (every open UI asks
    /// after a change notice); other questions go ahead.
    pub fn answer<E>(
        &self,
        date: NaiveDate,
        for_staff: Option<StaffId>,
        generation: &Generation,
        work_out: impl FnOnce() -> Result<TodayReport, E>,
        keep: impl FnOnce() -> bool,
    ) -> Result<TodayReport, E> {
        let question = (date, for_staff);
        let _working = loop {
            if let Some(kept) = self.get(date, for_staff, generation.now()) {
                return Ok(kept);
            }
            let mut working = lock(&self.working);
            if working.contains(&question) {
                drop(self.done.wait(working));
                continue;
            }
            working.push(question);
            break Working {
                cache: self,
                question,
            };
        };
        // Noted before reading; asked again in case the answer was kept
        // between the look above and this reader's turn.
        let seen = generation.now();
        if let Some(kept) = self.get(date, for_staff, seen) {
            return Ok(kept);
        }
        let report = work_out()?;
        if keep() {
            self.put(date, for_staff, seen, &report);
        }
        Ok(report)
    }

    /// The questions whose kept answers a write has ended since: what a
    /// refresh after writes works out again (see `SledStore::refresh_today`).
    pub fn ended(&self, generation: u64) -> Vec<(NaiveDate, Option<StaffId>)> {
        lock(&self.kept)
            .iter()
            .filter(|k| k.generation < generation)
            .map(|k| (k.date, k.for_staff))
            .collect()
    }

    /// The answer kept for `date` and `for_staff` at `generation`, if any.
    pub fn get(
        &self,
        date: NaiveDate,
        for_staff: Option<StaffId>,
        generation: u64,
    ) -> Option<TodayReport> {
        let kept = lock(&self.kept);
        kept.iter()
            .find(|k| k.date == date && k.for_staff == for_staff && k.generation == generation)
            .map(|k| k.report.clone())
    }

    /// Keeps `report`, read at `generation`, in place of an earlier answer
    /// to the same question, dropping the oldest beyond [`KEPT`]. Answers
    /// to other questions stay (even ended ones: their questions are what
    /// a refresh works out again).
    pub fn put(
        &self,
        date: NaiveDate,
        for_staff: Option<StaffId>,
        generation: u64,
        report: &TodayReport,
    ) {
        self.worked_out.fetch_add(1, Ordering::Relaxed);
        let mut kept = lock(&self.kept);
        kept.retain(|k| !(k.date == date && k.for_staff == for_staff));
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push(Kept {
            date,
            for_staff,
            generation,
            report: report.clone(),
        });
    }

    /// How many answers were worked out rather than given again.
    pub fn worked_out(&self) -> u64 {
        self.worked_out.load(Ordering::Relaxed)
    }
}

/// A question being worked out: no longer once this is dropped (also when
/// working it out failed or panicked), and whoever waits for it looks again.
struct Working<'a> {
    cache: &'a TodayCache,
    question: Question,
}

impl Drop for Working<'_> {
    fn drop(&mut self) {
        lock(&self.cache.working).retain(|q| *q != self.question);
        self.cache.done.notify_all();
    }
}

/// A kept answer is whole whenever it is in the list (a panic cannot
/// leave half of one), so a poisoned lock is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::today::{Section, TodayRow};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn report(date: NaiveDate, why: &str) -> TodayReport {
        TodayReport {
            date,
            rows: vec![TodayRow {
                section: Section::Overdue,
                peer: None,
                name: "Ana".into(),
                goal: None,
                group: None,
                session: None,
                date: Some(date),
                days: Some(1),
                why: why.into(),
            }],
        }
    }

    #[test]
    fn an_answer_is_given_again_only_for_its_question_and_generation() {
        let cache = TodayCache::default();
        let d = day("2026-11-30");
        cache.put(d, None, 3, &report(d, "a"));
        assert_eq!(cache.get(d, None, 3), Some(report(d, "a")));
        // A write since: gone.
        assert_eq!(cache.get(d, None, 4), None);
        // Another day or another staff filter: not this answer.
        assert_eq!(cache.get(day("2026-12-01"), None, 3), None);
        assert_eq!(cache.get(d, Some(StaffId::new(1)), 3), None);
        assert_eq!(cache.worked_out(), 1);
    }

    #[test]
    fn a_newer_answer_replaces_the_older_and_at_most_four_are_kept() {
        let cache = TodayCache::default();
        let d = day("2026-11-30");
        cache.put(d, None, 1, &report(d, "old"));
        cache.put(d, None, 2, &report(d, "new"));
        assert_eq!(cache.get(d, None, 2), Some(report(d, "new")));
        assert_eq!(cache.get(d, None, 1), None);
        assert_eq!(lock(&cache.kept).len(), 1);
        for staff in 1..=6 {
            cache.put(d, Some(StaffId::new(staff)), 2, &report(d, "mine"));
        }
        let kept = lock(&cache.kept);
        assert_eq!(kept.len(), KEPT);
        // The oldest went first: the last four staff filters remain.
        let staff: Vec<_> = kept.iter().map(|k| k.for_staff).collect();
        assert_eq!(
            staff,
            (3..=6).map(|s| Some(StaffId::new(s))).collect::<Vec<_>>()
        );
    }

    #[test]
    fn answers_a_write_ended_are_the_questions_to_work_out_again() {
        let cache = TodayCache::default();
        let d = day("2026-11-30");
        cache.put(d, Some(StaffId::new(1)), 1, &report(d, "mine"));
        cache.put(d, None, 2, &report(d, "everyone"));
        assert_eq!(cache.ended(2), vec![(d, Some(StaffId::new(1)))]);
        assert_eq!(cache.ended(3).len(), 2);
        assert_eq!(cache.ended(1), vec![]);
    }

    #[test]
    fn readers_asking_at_once_wait_for_one_answer() {
        let cache = TodayCache::default();
        let generation = Generation::default();
        let d = day("2026-11-30");
        let started = std::sync::Barrier::new(4);
        let answers: Vec<TodayReport> = std::thread::scope(|s| {
            let askers: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        started.wait();
                        cache
                            .answer::<()>(
                                d,
                                None,
                                &generation,
                                || {
                                    std::thread::sleep(std::time::Duration::from_millis(50));
                                    Ok(report(d, "worked out"))
                                },
                                || true,
                            )
                            .unwrap()
                    })
                })
                .collect();
            askers.into_iter().map(|a| a.join().unwrap()).collect()
        });
        assert!(answers.iter().all(|a| *a == report(d, "worked out")));
        assert_eq!(cache.worked_out(), 1, "each reader worked it out itself");
    }

    #[test]
    fn a_failed_answer_is_not_kept_and_does_not_block_the_next() {
        let cache = TodayCache::default();
        let generation = Generation::default();
        let d = day("2026-11-30");
        let failed = cache.answer(d, None, &generation, || Err("disk"), || true);
        assert_eq!(failed, Err("disk"));
        let next = cache.answer::<&str>(d, None, &generation, || Ok(report(d, "ok")), || true);
        assert_eq!(next, Ok(report(d, "ok")));
        // Not kept when `keep` says no (a bulk load began meanwhile).
        generation.bump();
        let unkept =
            cache.answer::<&str>(d, None, &generation, || Ok(report(d, "partial")), || false);
        assert_eq!(unkept, Ok(report(d, "partial")));
        assert_eq!(cache.get(d, None, generation.now()), None);
    }

    #[test]
    fn the_generation_only_grows() {
        let g = Generation::default();
        let before = g.now();
        g.bump();
        assert_eq!(g.now(), before + 1);
    }
}

/// The cache inside a real store: every write that changes Today ends a
/// kept answer, and a read's audit entry does not.
#[cfg(test)]
mod in_a_store {
    use chrono::{FixedOffset, NaiveDate, TimeZone};

    use crate::model::checkin::CheckIn;
    use crate::model::dates::CENTER;
    use crate::model::today::Section;
    use crate::model::{Actor, PeerId, StaffId};
    use crate::store::{AuditEvent, SledStore, Store};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn actor() -> Actor {
        Actor::login("tester")
    }

    /// A store with a demo center of 300 peers as of `on`.
    fn center(dir: &std::path::Path, on: NaiveDate) -> SledStore {
        let store = SledStore::open(dir).unwrap();
        let opts = crate::ops::demo::DemoOptions {
            peers: 300,
            checkins: 600,
            seed: 7,
            today: on,
            offset: FixedOffset::east_opt(0).unwrap(),
            login: None,
        };
        crate::ops::demo::generate(&store, &actor(), &opts, &mut |_| {}).unwrap();
        store
    }

    /// Today as the store answers it, checked against Today worked out
    /// afresh through the store's reads (which keep nothing).
    fn today_checked(store: &SledStore, date: NaiveDate) -> crate::model::today::TodayReport {
        let answer = store.today(date, None).unwrap();
        let fresh = crate::store::today::gather(&CENTER, store, date, None).unwrap();
        assert_eq!(answer, fresh, "a kept Today answer is out of date");
        answer
    }

    fn a_check_in(peer: PeerId, staff: StaffId, date: NaiveDate) -> CheckIn {
        let at = FixedOffset::east_opt(0)
            .unwrap()
            .from_local_datetime(&date.and_hms_opt(11, 0, 0).unwrap())
            .unwrap();
        CheckIn::new(peer, staff, at)
    }

    #[test]
    fn a_today_asked_again_is_given_again_until_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let date = day("2026-11-30");
        let store = center(dir.path(), date);
        let first = store.today(date, None).unwrap();
        let worked = store.todays_worked_out();
        assert_eq!(store.today(date, None).unwrap(), first);
        assert_eq!(
            store.todays_worked_out(),
            worked,
            "asked again, worked out again"
        );
        // A read's own audit entry is not a change to Today.
        let peer = first.rows.iter().find_map(|r| r.peer).unwrap();
        store
            .record_events(
                vec![AuditEvent::Read {
                    what: "today".into(),
                    peers: vec![peer],
                }],
                &actor(),
            )
            .unwrap();
        assert_eq!(store.today(date, None).unwrap(), first);
        assert_eq!(store.todays_worked_out(), worked);
        // Another staff filter is another question.
        store.today(date, Some(StaffId::new(1))).unwrap();
        assert_eq!(store.todays_worked_out(), worked + 1);
    }

    #[test]
    fn every_kind_of_write_that_changes_today_ends_the_kept_answer() {
        let dir = tempfile::tempdir().unwrap();
        let date = day("2026-11-30");
        let store = center(dir.path(), date);
        let before = today_checked(&store, date);
        let staff = store.list_staff().unwrap()[0].id;
        // A peer Today asks to contact, who is then seen.
        let row = before
            .rows
            .iter()
            .find(|r| r.peer.is_some() && r.section != Section::SeenToday)
            .unwrap();
        let peer = row.peer.unwrap();
        let logged = store
            .create_checkin(a_check_in(peer, staff, date), &actor())
            .unwrap();
        let seen = today_checked(&store, date);
        assert!(seen
            .rows
            .iter()
            .any(|r| r.peer == Some(peer) && r.section == Section::SeenToday));
        // Voided again: back to what Today said before.
        store
            .void_checkin(logged.id, "wrong peer".into(), &actor())
            .unwrap();
        assert_eq!(today_checked(&store, date), before);
        // The settings decide who is due for re-engagement.
        let mut settings = store.settings().unwrap();
        settings.reengage_after_days = settings.reengage_after_days.saturating_add(30);
        store.save_settings(&settings, &actor()).unwrap();
        assert_ne!(today_checked(&store, date), before);
        // A goal whose review moves into the future leaves the list.
        let goal = store.goals_due_for_review(date).unwrap().into_iter().next();
        if let Some(mut goal) = goal {
            let reviewed = goal.id;
            goal.data.next_review = date.succ_opt();
            store.update_goal(&goal, &actor()).unwrap();
            let after = today_checked(&store, date);
            assert!(after.rows.iter().all(|r| r.goal != Some(reviewed)));
        }
        // A peer who is no longer active leaves every contact section.
        let mut record = store.peer(peer).unwrap();
        record.data.status = crate::model::PeerStatus::Inactive;
        store.update_peer(&record, &actor()).unwrap();
        let after = today_checked(&store, date);
        assert!(after
            .rows
            .iter()
            .all(|r| r.peer != Some(peer) || r.section == Section::SeenToday));
    }

    #[test]
    fn a_refresh_works_out_again_only_the_answers_a_write_ended() {
        let dir = tempfile::tempdir().unwrap();
        let date = day("2026-11-30");
        let store = center(dir.path(), date);
        let staff = store.list_staff().unwrap()[0].id;
        store.today(date, None).unwrap();
        store.today(date, Some(staff)).unwrap();
        let worked = store.todays_worked_out();
        // Nothing ended yet: nothing to do.
        store.refresh_today().unwrap();
        assert_eq!(store.todays_worked_out(), worked);
        let peer = store.list_peers().unwrap()[0].id;
        store
            .create_checkin(a_check_in(peer, staff, date), &actor())
            .unwrap();
        store.refresh_today().unwrap();
        assert_eq!(store.todays_worked_out(), worked + 2);
        // Both questions are answered from what the refresh kept, and the
        // answers are the store's as it is now.
        today_checked(&store, date);
        assert_eq!(store.today(date, Some(staff)).unwrap(), {
            crate::store::today::gather(&CENTER, &store, date, Some(staff)).unwrap()
        });
        assert_eq!(store.todays_worked_out(), worked + 2);
    }

    #[test]
    fn writes_racing_the_answers_never_leave_one_out_of_date() {
        let dir = tempfile::tempdir().unwrap();
        let date = day("2026-11-30");
        let store = center(dir.path(), date);
        let staff = store.list_staff().unwrap()[0].id;
        let peers: Vec<PeerId> = store.list_peers().unwrap().iter().map(|p| p.id).collect();
        std::thread::scope(|s| {
            let writer = s.spawn(|| {
                for peer in peers.iter().take(40) {
                    store
                        .create_checkin(a_check_in(*peer, staff, date), &actor())
                        .unwrap();
                }
            });
            // Asked over and over while the check-ins land.
            while !writer.is_finished() {
                store.today(date, None).unwrap();
            }
        });
        let after = today_checked(&store, date);
        let seen = after
            .rows
            .iter()
            .filter(|r| r.section == Section::SeenToday)
            .filter(|r| r.peer.is_some_and(|p| peers[..40].contains(&p)))
            .count();
        assert_eq!(seen, 40);
    }
}
