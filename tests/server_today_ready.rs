//! The service keeps the day's Today worked out (`store::today_cache`,
//! `server::warm`): as it starts, and again once writes pause. Counted by
//! the service itself (answers worked out), never timed. Every answer a
//! session gets, kept or not, is on the trail; one session's kept answer
//! is no way around another's permissions.

mod server_support;

use std::time::Duration;

use caseload::model::today::Section;
use caseload::model::{Actor, CheckIn, PeerId};
use caseload::server::{ServeOptions, Server};
use caseload::store::{AuditEvent, AuditFilter, Store};
use chrono::TimeZone;

use server_support::*;

/// A check-in for `peer` at eleven this morning (the center's day, which
/// is the day the service works Today out for).
fn this_morning(peer: u64) -> CheckIn {
    let now = caseload::ops::local_now();
    let at = now
        .timezone()
        .from_local_datetime(&now.date_naive().and_hms_opt(0, 0, 1).expect("time"))
        .single()
        .expect("time");
    CheckIn::new(PeerId::new(peer), ADMIN, at)
}

fn today() -> chrono::NaiveDate {
    caseload::ops::local_now().date_naive()
}

/// Waits for the count of answers worked out to reach `at_least`.
fn worked_out(server: &Server, at_least: u64) -> u64 {
    eventually(Duration::from_secs(20), || {
        let n = server.todays_worked_out();
        (n >= at_least).then_some(n)
    })
    .unwrap_or_else(|| panic!("still {} answers worked out", server.todays_worked_out()))
}

#[test]
fn today_is_ready_when_the_service_starts_and_again_after_writes_pause() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = Server::start(&dir, &ServeOptions::default()).expect("server starts");
    // Worked out as the service starts, before anyone asks.
    let at_start = worked_out(&server, 1);
    let ana = client(&dir, ADMIN, ADMIN_PIN);
    let first = ana.today(today(), None).expect("today");
    assert_eq!(
        server.todays_worked_out(),
        at_start,
        "asked, and worked out again"
    );

    // A check-in ends the kept answer; once writes pause the service
    // works it out again, and the next Today is that answer.
    ana.create_checkin(this_morning(1), &Actor::login("x"))
        .expect("check-in");
    let refreshed = worked_out(&server, at_start + 1);
    let after = ana.today(today(), None).expect("today");
    assert_eq!(server.todays_worked_out(), refreshed);
    assert_ne!(after, first);
    assert!(after
        .section(Section::SeenToday)
        .any(|r| r.peer == Some(PeerId::new(1))));
    // And it is the answer worked out afresh from the store's reads.
    let fresh =
        caseload::ops::today::today_report_in(&caseload::model::dates::CENTER, &ana, today(), None)
            .expect("gathered");
    assert_eq!(after, fresh);
    server.stop();
}

#[test]
fn a_kept_answer_is_still_on_the_trail_and_still_refused_to_whom_may_not_read() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = Server::start(&dir, &ServeOptions::default()).expect("server starts");
    let admin = client(&dir, ADMIN, ADMIN_PIN);
    admin
        .create_checkin(this_morning(2), &Actor::login("x"))
        .expect("check-in");
    admin.today(today(), None).expect("today");
    let kept = server.todays_worked_out();
    // The specialist gets the kept answer, audited under their own name.
    let pat = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let report = pat.today(today(), None).expect("today");
    assert_eq!(server.todays_worked_out(), kept, "not the kept answer");
    let log = admin.audit(&AuditFilter::default()).expect("audit");
    let reads_by_pat = log
        .iter()
        .filter(|e| e.actor.staff == Some(SPECIALIST))
        .filter(|e| {
            matches!(&e.event, AuditEvent::Read { what, peers }
            if what == "today" && peers.contains(&PeerId::new(2)))
        })
        .count();
    assert_eq!(
        reads_by_pat, 1,
        "the kept answer given without a trail: {log:?}"
    );
    assert!(report.rows.iter().any(|r| r.peer == Some(PeerId::new(2))));
    // No session, no answer: kept or not.
    let anonymous = caseload::server::RemoteStore::connect(&caseload::server::socket_path(&dir))
        .unwrap_or_else(|e| panic!("connect: {e:?}"));
    assert!(anonymous.today(today(), None).is_err());
    server.stop();
}

#[test]
fn a_stopped_service_has_let_go_of_the_store_even_while_keeping_today_ready() {
    for _ in 0..3 {
        let tmp = make_store();
        let dir = store_dir(tmp.path());
        let server = Server::start(&dir, &ServeOptions::default()).expect("server starts");
        worked_out(&server, 1);
        server.stop();
        // At once: the thread keeping Today ready has ended with the rest,
        // so the store is closed and anyone may open it.
        let at_once = caseload::store::OpenOptions {
            lock_wait: Duration::ZERO,
            ..caseload::store::OpenOptions::default()
        };
        if let Err(e) = caseload::store::SledStore::open_with(&dir, &at_once) {
            panic!("the store is still held after stop: {e}");
        }
    }
}
