//! Shared helpers for the store tests: a fresh store in a temporary
//! directory, a few fixed dates, and small builders for valid records.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::Path;
use std::time::Duration;

use caseload::model::{
    Actor, CheckIn, Goal, GoalId, Group, GroupId, GroupSession, LifeDomain, Peer, PeerId, Record,
    Role, Staff, StaffId,
};
use caseload::store::{OpenOptions, SledStore, Store};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Weekday};
use tempfile::TempDir;

/// Options for tests: a small cache, and enough patience for a store that
/// this process (or a child it just killed) let go of a moment ago.
pub fn options() -> OpenOptions {
    OpenOptions {
        cache_bytes: 4 * 1024 * 1024,
        lock_wait: Duration::from_secs(10),
        ..OpenOptions::default()
    }
}

/// A new empty store in its own temporary directory.
pub fn fresh() -> (TempDir, SledStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    (dir, store)
}

/// Opens (or creates) the store in `path`, panicking with the store's own
/// message if that fails.
pub fn open(path: &Path) -> SledStore {
    match SledStore::open_with(path, &options()) {
        Ok(s) => s,
        Err(e) => panic!("cannot open store at {}: {e}", path.display()),
    }
}

/// The actor of most writes.
pub fn actor() -> Actor {
    Actor::login("tester")
}

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// A moment from RFC 3339 text.
pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("rfc3339")
}

/// A time of day.
pub fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("time")
}

/// Saves a staff member.
pub fn staff(store: &dyn Store, name: &str) -> Record<Staff> {
    store
        .create_staff(Staff::new(name, Role::PeerSpecialist), &actor())
        .expect("create staff")
}

/// Saves an active peer with intake on 2026-01-05.
pub fn peer(store: &dyn Store, name: &str) -> Record<Peer> {
    store
        .create_peer(Peer::new(name, d("2026-01-05")), &actor())
        .expect("create peer")
}

/// Saves a housing goal for `peer`.
pub fn goal(store: &dyn Store, peer: PeerId, title: &str) -> Record<Goal> {
    store
        .create_goal(
            Goal::new(peer, LifeDomain::Housing, title, d("2026-01-10")),
            &actor(),
        )
        .expect("create goal")
}

/// A check-in of `peer` by `staff` at `when` (not saved).
pub fn checkin(peer: PeerId, staff: StaffId, when: &str) -> CheckIn {
    CheckIn::new(peer, staff, at(when))
}

/// Saves a check-in.
pub fn save_checkin(store: &dyn Store, c: CheckIn) -> Record<CheckIn> {
    store.create_checkin(c, &actor()).expect("create check-in")
}

/// Saves a group meeting on Tuesdays at 14:00.
pub fn group(store: &dyn Store, name: &str) -> Record<Group> {
    store
        .create_group(Group::new(name, Weekday::Tue, hm(14, 0)), &actor())
        .expect("create group")
}

/// A session of `group` on `date` with `attendees` (not saved).
pub fn session(group: GroupId, date: &str, attendees: &[PeerId]) -> GroupSession {
    GroupSession {
        group,
        date: d(date),
        topic: "Wellness tools".into(),
        facilitator: None,
        minutes: 60,
        attendees: attendees.to_vec(),
        note: String::new(),
        voided: None,
    }
}

/// Ids of records, for comparing lists without caring about metadata.
pub fn ids<T: caseload::model::Entity>(records: &[Record<T>]) -> Vec<u64> {
    records.iter().map(|r| r.id.raw()).collect()
}

/// A goal id list, for check-ins.
pub fn goal_ids(goals: &[&Record<Goal>]) -> Vec<GoalId> {
    goals.iter().map(|g| g.id).collect()
}
