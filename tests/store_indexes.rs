//! Every query method answers from the indexes; these tests change every
//! indexed field of check-ins, goals and sessions and check that each query
//! sees the new state and none of the old, then let proptest run random
//! create/update/delete sequences against a plain in-memory model.

mod support;

use std::collections::{BTreeMap, HashMap};

use caseload::model::today::LastCheckIn;
use caseload::model::{
    CheckIn, CheckInId, GoalId, GoalStatus, GroupId, GroupSession, PeerId, Record, SessionId,
};
use caseload::store::{SledStore, Store, StoreError};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use support::*;

fn utc(s: &str) -> DateTime<Utc> {
    at(s).with_timezone(&Utc)
}

#[test]
fn checkin_indexes_follow_every_changed_field() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p1 = peer(&store, "Jo");
    let p2 = peer(&store, "Kim");
    let g1 = goal(&store, p1.id, "Job");
    let g2 = goal(&store, p2.id, "Bike");
    // An unrelated check-in that must stay where it is.
    let other = save_checkin(&store, checkin(p1.id, s.id, "2026-11-21T09:00:00-05:00"));

    let mut data = checkin(p1.id, s.id, "2026-11-20T10:00:00-05:00");
    data.goals = vec![g1.id];
    data.follow_up = Some(d("2026-11-25"));
    let c = save_checkin(&store, data);

    assert_eq!(ids(&store.recent_checkins(p1.id, 10).unwrap()), vec![1, 2]);
    assert_eq!(ids(&store.checkins_on(d("2026-11-20")).unwrap()), vec![2]);
    assert_eq!(ids(&store.checkins_for_goal(g1.id).unwrap()), vec![2]);
    assert_eq!(
        ids(&store
            .followups_between(d("2026-11-25"), d("2026-11-25"))
            .unwrap()),
        vec![2]
    );

    // Move it to another peer, another time and local day (23:30 at -05:00
    // is already the next day in UTC), another follow-up and another goal.
    let mut edit = c.clone();
    edit.peer = p2.id;
    edit.at = at("2026-11-22T23:30:00-05:00");
    edit.follow_up = Some(d("2026-11-28"));
    edit.goals = vec![g2.id];
    let moved = store.update_checkin(&edit, &actor()).unwrap();

    assert_eq!(
        store.recent_checkins(p1.id, 10).unwrap(),
        vec![other.clone()]
    );
    assert_eq!(
        store.recent_checkins(p2.id, 10).unwrap(),
        vec![moved.clone()]
    );
    let wide = (utc("2026-11-01T00:00:00Z"), utc("2026-12-01T00:00:00Z"));
    assert_eq!(
        store
            .checkins_for_peer_between(p1.id, wide.0, wide.1)
            .unwrap(),
        vec![other.clone()]
    );
    assert_eq!(
        store
            .checkins_for_peer_between(p2.id, wide.0, wide.1)
            .unwrap(),
        vec![moved.clone()]
    );
    assert!(store.checkins_on(d("2026-11-20")).unwrap().is_empty());
    assert_eq!(
        store.checkins_on(d("2026-11-22")).unwrap(),
        vec![moved.clone()]
    );
    assert!(
        store.checkins_on(d("2026-11-23")).unwrap().is_empty(),
        "the day is the local day where it happened, not the UTC day"
    );
    assert!(store.checkins_for_goal(g1.id).unwrap().is_empty());
    assert_eq!(store.checkins_for_goal(g2.id).unwrap(), vec![moved.clone()]);
    assert!(store
        .followups_between(d("2026-11-20"), d("2026-11-27"))
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .followups_between(d("2026-11-28"), d("2026-11-28"))
            .unwrap(),
        vec![moved.clone()]
    );
    let last = store
        .last_checkins_before(utc("2026-12-01T00:00:00Z"))
        .unwrap();
    assert_eq!(last.len(), 2);
    assert_eq!(last[&p1.id], LastCheckIn::of(&other));
    assert_eq!(last[&p2.id], LastCheckIn::of(&moved));
    assert_eq!(
        store.checkins_page(None, 10).unwrap(),
        vec![other.clone(), moved.clone()]
    );

    // Dropping the follow-up and the goals removes those entries.
    let mut edit = moved.clone();
    edit.follow_up = None;
    edit.goals.clear();
    let bare = store.update_checkin(&edit, &actor()).unwrap();
    assert!(store
        .followups_between(d("2026-01-01"), d("2027-01-01"))
        .unwrap()
        .is_empty());
    assert!(store.checkins_for_goal(g2.id).unwrap().is_empty());
    // Now the goal can go: nothing links to it any more.
    store.delete_goal(g2.id, &actor()).unwrap();

    // A delete removes every entry.
    store.delete_checkin(bare.id, &actor()).unwrap();
    assert!(store.recent_checkins(p2.id, 10).unwrap().is_empty());
    assert!(store.checkins_on(d("2026-11-22")).unwrap().is_empty());
    assert!(!store
        .last_checkins_before(utc("2026-12-01T00:00:00Z"))
        .unwrap()
        .contains_key(&p2.id));
    assert_eq!(store.checkins_page(None, 10).unwrap(), vec![other]);
    store.delete_peer(p2.id, &actor()).unwrap();
}

#[test]
fn goal_indexes_follow_peer_and_review_date() {
    let (_dir, store) = fresh();
    let p1 = peer(&store, "Jo");
    let p2 = peer(&store, "Kim");
    let mut g = goal(&store, p1.id, "Job");
    g.next_review = Some(d("2026-12-01"));
    let g = store.update_goal(&g, &actor()).unwrap();
    let mut early = goal(&store, p2.id, "Bike");
    early.next_review = Some(d("2026-11-10"));
    let early = store.update_goal(&early, &actor()).unwrap();

    assert_eq!(
        store.goals_due_for_review(d("2026-11-30")).unwrap(),
        vec![early.clone()]
    );
    assert_eq!(
        store.goals_due_for_review(d("2026-12-01")).unwrap(),
        vec![early.clone(), g.clone()],
        "by review date, the due day included"
    );

    let mut edit = g.clone();
    edit.peer = p2.id;
    edit.next_review = Some(d("2026-11-20"));
    let moved = store.update_goal(&edit, &actor()).unwrap();
    assert!(store.goals_for_peer(p1.id).unwrap().is_empty());
    assert_eq!(
        store.goals_for_peer(p2.id).unwrap(),
        vec![moved.clone(), early.clone()]
    );
    assert!(store.goals_due_for_review(d("2026-11-19")).unwrap() == vec![early.clone()]);
    assert_eq!(
        store.goals_due_for_review(d("2026-11-20")).unwrap(),
        vec![early.clone(), moved.clone()]
    );
    assert_eq!(
        store.goals_due_for_review(d("2026-12-05")).unwrap(),
        vec![early.clone(), moved.clone()],
        "the old review date left no entry behind"
    );

    // A paused goal is not due; a goal without a review date never is.
    let mut paused = moved.clone();
    paused.set_status(GoalStatus::Paused, d("2026-11-21"), None);
    let paused = store.update_goal(&paused, &actor()).unwrap();
    let mut undated = early.clone();
    undated.next_review = None;
    let undated = store.update_goal(&undated, &actor()).unwrap();
    assert!(store
        .goals_due_for_review(d("2027-01-01"))
        .unwrap()
        .is_empty());
    assert_eq!(
        store.goals_for_peer(p2.id).unwrap(),
        vec![paused, undated.clone()]
    );

    store.delete_goal(undated.id, &actor()).unwrap();
    assert_eq!(ids(&store.goals_for_peer(p2.id).unwrap()), vec![g.id.raw()]);
    // Peer P1 no longer has goals, so it can be deleted.
    store.delete_peer(p1.id, &actor()).unwrap();
}

#[test]
fn session_indexes_follow_group_date_and_attendees() {
    let (_dir, store) = fresh();
    let p1 = peer(&store, "Jo");
    let p2 = peer(&store, "Kim");
    let gr1 = group(&store, "WRAP");
    let gr2 = group(&store, "Art");
    let older = store
        .create_session(session(gr1.id, "2026-11-17", &[p1.id]), &actor())
        .unwrap();
    let s = store
        .create_session(session(gr1.id, "2026-11-24", &[p1.id, p2.id]), &actor())
        .unwrap();
    assert_eq!(
        store.sessions_for_group(gr1.id).unwrap(),
        vec![s.clone(), older.clone()]
    );
    assert_eq!(
        store.sessions_for_peer(p1.id).unwrap(),
        vec![s.clone(), older.clone()]
    );

    let mut edit = s.clone();
    edit.group = gr2.id;
    edit.date = d("2026-11-26");
    edit.attendees = vec![p2.id];
    let moved = store.update_session(&edit, &actor()).unwrap();
    assert_eq!(
        store.sessions_for_group(gr1.id).unwrap(),
        vec![older.clone()]
    );
    assert_eq!(
        store.sessions_for_group(gr2.id).unwrap(),
        vec![moved.clone()]
    );
    assert!(store.sessions_on(d("2026-11-24")).unwrap().is_empty());
    assert_eq!(
        store.sessions_on(d("2026-11-26")).unwrap(),
        vec![moved.clone()]
    );
    assert_eq!(store.sessions_for_peer(p1.id).unwrap(), vec![older.clone()]);
    assert_eq!(store.sessions_for_peer(p2.id).unwrap(), vec![moved.clone()]);
    assert_eq!(
        store.sessions_page(None, 10).unwrap(),
        vec![older.clone(), moved.clone()]
    );
    assert_eq!(
        store.sessions_page(Some(older.id), 10).unwrap(),
        vec![moved.clone()]
    );

    store.delete_session(moved.id, &actor()).unwrap();
    assert!(store.sessions_for_group(gr2.id).unwrap().is_empty());
    assert!(store.sessions_on(d("2026-11-26")).unwrap().is_empty());
    assert!(store.sessions_for_peer(p2.id).unwrap().is_empty());
    store.delete_peer(p2.id, &actor()).unwrap();
}

#[test]
fn query_orders_limits_and_bounds() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    let q = peer(&store, "Kim");
    // Saved out of time order on purpose.
    let times = [
        "2026-11-20T15:00:00+00:00",
        "2026-11-20T09:00:00+00:00",
        "2026-11-21T09:00:00+00:00",
        "2026-11-19T09:00:00+00:00",
    ];
    let cs: Vec<Record<CheckIn>> = times
        .iter()
        .map(|t| save_checkin(&store, checkin(p.id, s.id, t)))
        .collect();
    let q1 = save_checkin(&store, checkin(q.id, s.id, "2026-11-20T12:00:00+00:00"));

    let by_time = |v: &[Record<CheckIn>]| ids(v);
    assert_eq!(
        by_time(&store.recent_checkins(p.id, 10).unwrap()),
        vec![3, 1, 2, 4]
    );
    assert_eq!(
        by_time(&store.recent_checkins(p.id, 2).unwrap()),
        vec![3, 1]
    );
    assert!(store.recent_checkins(p.id, 0).unwrap().is_empty());
    assert_eq!(
        by_time(
            &store
                .checkins_for_peer_between(
                    p.id,
                    utc("2026-11-20T09:00:00Z"),
                    utc("2026-11-21T09:00:00Z")
                )
                .unwrap()
        ),
        vec![2, 1],
        "from is inclusive, to exclusive, oldest first"
    );
    assert_eq!(
        by_time(&store.checkins_on(d("2026-11-20")).unwrap()),
        vec![2, 5, 1]
    );
    let last = store
        .last_checkins_before(utc("2026-11-20T15:00:00Z"))
        .unwrap();
    assert_eq!(last[&p.id], LastCheckIn::of(&cs[1]), "strictly before");
    assert_eq!(last[&q.id], LastCheckIn::of(&q1));
    let last = store
        .last_checkins_before(utc("2026-11-19T09:00:00Z"))
        .unwrap();
    assert!(last.is_empty(), "{last:?}");

    // Paging walks every check-in by id exactly once.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.checkins_page(after, 2).unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        after = page.last().map(|c| c.id);
        seen.extend(ids(&page));
    }
    assert_eq!(seen, vec![1, 2, 3, 4, 5]);
    assert!(store
        .checkins_page(Some(CheckInId::new(5)), 2)
        .unwrap()
        .is_empty());

    // Reversed ranges are empty, not a panic.
    assert!(store
        .checkins_for_peer_between(
            p.id,
            utc("2026-11-22T00:00:00Z"),
            utc("2026-11-19T00:00:00Z")
        )
        .unwrap()
        .is_empty());
    assert!(store
        .followups_between(d("2026-11-30"), d("2026-11-01"))
        .unwrap()
        .is_empty());
}

#[test]
fn followups_are_by_date_with_both_ends_included() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Ana Ruiz");
    let p = peer(&store, "Jo");
    for (day, follow) in [("20", "27"), ("20", "23"), ("21", "25"), ("21", "30")] {
        let mut c = checkin(p.id, s.id, &format!("2026-11-{day}T10:00:00Z"));
        c.follow_up = Some(d(&format!("2026-11-{follow}")));
        save_checkin(&store, c);
    }
    let got = store
        .followups_between(d("2026-11-23"), d("2026-11-27"))
        .unwrap();
    assert_eq!(ids(&got), vec![2, 3, 1]);
    let dates: Vec<NaiveDate> = got.iter().filter_map(|c| c.follow_up).collect();
    assert_eq!(
        dates,
        vec![d("2026-11-23"), d("2026-11-25"), d("2026-11-27")]
    );
}

// ---------------------------------------------------------------------------
// Model-based property test.

mod model_check {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::Index;

    const OFFSETS: [i32; 3] = [-5 * 3600, 0, 9 * 3600];
    const DAYS: u32 = 6;

    fn base() -> NaiveDate {
        d("2026-11-20")
    }

    #[derive(Debug, Clone)]
    struct CheckInSpec {
        peer: usize,
        day: u32,
        quarter: u32,
        offset: usize,
        follow: Option<u32>,
        goals: Vec<bool>,
    }

    #[derive(Debug, Clone)]
    struct SessionSpec {
        group: usize,
        day: u32,
        attendees: Vec<bool>,
    }

    #[derive(Debug, Clone)]
    enum Op {
        NewCheckIn(CheckInSpec),
        NewCheckIns(Vec<CheckInSpec>),
        EditCheckIn(Index, CheckInSpec),
        StaleCheckIn(Index),
        DropCheckIn(Index),
        NewSession(SessionSpec),
        EditSession(Index, SessionSpec),
        DropSession(Index),
    }

    fn checkin_spec() -> impl Strategy<Value = CheckInSpec> {
        (
            0..3usize,
            0..DAYS,
            0..96u32,
            0..OFFSETS.len(),
            proptest::option::of(0..5u32),
            proptest::collection::vec(any::<bool>(), 2),
        )
            .prop_map(|(peer, day, quarter, offset, follow, goals)| CheckInSpec {
                peer,
                day,
                quarter,
                offset,
                follow,
                goals,
            })
    }

    fn session_spec() -> impl Strategy<Value = SessionSpec> {
        (
            0..2usize,
            0..DAYS,
            proptest::collection::vec(any::<bool>(), 3),
        )
            .prop_map(|(group, day, attendees)| SessionSpec {
                group,
                day,
                attendees,
            })
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => checkin_spec().prop_map(Op::NewCheckIn),
            1 => proptest::collection::vec(checkin_spec(), 0..4).prop_map(Op::NewCheckIns),
            3 => (any::<Index>(), checkin_spec()).prop_map(|(i, s)| Op::EditCheckIn(i, s)),
            1 => any::<Index>().prop_map(Op::StaleCheckIn),
            2 => any::<Index>().prop_map(Op::DropCheckIn),
            2 => session_spec().prop_map(Op::NewSession),
            2 => (any::<Index>(), session_spec()).prop_map(|(i, s)| Op::EditSession(i, s)),
            1 => any::<Index>().prop_map(Op::DropSession),
        ]
    }

    /// The fixed cast every case works with.
    struct World {
        dir: tempfile::TempDir,
        store: SledStore,
        staff: caseload::model::StaffId,
        peers: Vec<PeerId>,
        /// Each peer's goals.
        goals: Vec<Vec<GoalId>>,
        groups: Vec<GroupId>,
    }

    fn world() -> World {
        let (dir, store) = fresh();
        let s = staff(&store, "Ana Ruiz").id;
        let peers: Vec<PeerId> = ["Jo", "Kim", "Lee"]
            .iter()
            .map(|n| peer(&store, n).id)
            .collect();
        let goals = vec![
            vec![
                goal(&store, peers[0], "Job").id,
                goal(&store, peers[0], "Bike").id,
            ],
            vec![goal(&store, peers[1], "Flat").id],
            vec![
                goal(&store, peers[2], "Class").id,
                goal(&store, peers[2], "Choir").id,
            ],
        ];
        let groups = vec![group(&store, "WRAP").id, group(&store, "Art").id];
        World {
            dir,
            store,
            staff: s,
            peers,
            goals,
            groups,
        }
    }

    impl World {
        fn checkin(&self, spec: &CheckInSpec) -> CheckIn {
            let tz = FixedOffset::east_opt(OFFSETS[spec.offset]).expect("offset");
            let day = base() + Duration::days(i64::from(spec.day));
            let local = day
                .and_hms_opt(spec.quarter / 4, (spec.quarter % 4) * 15, 0)
                .expect("time");
            let at = tz
                .from_local_datetime(&local)
                .single()
                .expect("fixed offset");
            let mut c = CheckIn::new(self.peers[spec.peer], self.staff, at);
            c.follow_up = spec.follow.map(|f| c.day() + Duration::days(i64::from(f)));
            c.goals = self.goals[spec.peer]
                .iter()
                .zip(&spec.goals)
                .filter(|(_, on)| **on)
                .map(|(g, _)| *g)
                .collect();
            c
        }

        fn session(&self, spec: &SessionSpec) -> GroupSession {
            let attendees = self
                .peers
                .iter()
                .zip(&spec.attendees)
                .filter(|(_, on)| **on)
                .map(|(p, _)| *p)
                .collect::<Vec<_>>();
            let mut s = session(self.groups[spec.group], "2026-11-20", &attendees);
            s.date = base() + Duration::days(i64::from(spec.day));
            s
        }
    }

    #[derive(Default)]
    struct Model {
        checkins: BTreeMap<u64, Record<CheckIn>>,
        sessions: BTreeMap<u64, Record<GroupSession>>,
    }

    fn pick<T: Clone>(map: &BTreeMap<u64, T>, i: &Index) -> Option<T> {
        if map.is_empty() {
            None
        } else {
            map.values().nth(i.index(map.len())).cloned()
        }
    }

    fn apply(w: &World, m: &mut Model, op: &Op) {
        let st = &w.store;
        match op {
            Op::NewCheckIn(spec) => {
                let c = st
                    .create_checkin(w.checkin(spec), &actor())
                    .expect("create");
                assert!(!m.checkins.contains_key(&c.id.raw()), "id {} reused", c.id);
                m.checkins.insert(c.id.raw(), c);
            }
            Op::NewCheckIns(specs) => {
                let data: Vec<CheckIn> = specs.iter().map(|s| w.checkin(s)).collect();
                let made = st.create_checkins(data.clone(), &actor()).expect("batch");
                assert_eq!(made.len(), data.len());
                for (c, want) in made.into_iter().zip(data) {
                    assert_eq!(c.data, want);
                    assert!(m.checkins.insert(c.id.raw(), c).is_none());
                }
            }
            Op::EditCheckIn(i, spec) => {
                if let Some(old) = pick(&m.checkins, i) {
                    let mut edit = old.clone();
                    edit.data = w.checkin(spec);
                    let new = st.update_checkin(&edit, &actor()).expect("update");
                    assert_eq!(new.meta.revision, old.meta.revision + 1);
                    m.checkins.insert(new.id.raw(), new);
                }
            }
            Op::StaleCheckIn(i) => {
                if let Some(old) = pick(&m.checkins, i) {
                    let mut edit = old.clone();
                    edit.meta.revision += 1;
                    edit.minutes = 90;
                    let err = st.update_checkin(&edit, &actor()).unwrap_err();
                    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
                }
            }
            Op::DropCheckIn(i) => {
                if let Some(old) = pick(&m.checkins, i) {
                    st.delete_checkin(old.id, &actor()).expect("delete");
                    m.checkins.remove(&old.id.raw());
                }
            }
            Op::NewSession(spec) => {
                let s = st
                    .create_session(w.session(spec), &actor())
                    .expect("create");
                assert!(m.sessions.insert(s.id.raw(), s).is_none());
            }
            Op::EditSession(i, spec) => {
                if let Some(old) = pick(&m.sessions, i) {
                    let mut edit = old.clone();
                    edit.data = w.session(spec);
                    let new = st.update_session(&edit, &actor()).expect("update");
                    m.sessions.insert(new.id.raw(), new);
                }
            }
            Op::DropSession(i) => {
                if let Some(old) = pick(&m.sessions, i) {
                    st.delete_session(old.id, &actor()).expect("delete");
                    m.sessions.remove(&old.id.raw());
                }
            }
        }
    }

    fn tkey(c: &Record<CheckIn>) -> (i64, u64) {
        (c.at.timestamp_millis(), c.id.raw())
    }

    fn sorted(mut v: Vec<Record<CheckIn>>) -> Vec<Record<CheckIn>> {
        v.sort_by_key(tkey);
        v
    }

    fn newest_first(mut v: Vec<Record<GroupSession>>) -> Vec<Record<GroupSession>> {
        v.sort_by_key(|s| std::cmp::Reverse((s.date, s.id.raw())));
        v
    }

    /// Every query method against the model.
    fn check(w: &World, m: &Model) {
        let st = &w.store;
        let all: Vec<Record<CheckIn>> = m.checkins.values().cloned().collect();
        let counts = st.counts().expect("counts");
        assert_eq!(counts.checkins, m.checkins.len() as u64);
        assert_eq!(counts.sessions, m.sessions.len() as u64);

        for p in &w.peers {
            let mine: Vec<_> = sorted(all.iter().filter(|c| c.peer == *p).cloned().collect());
            let mut newest = mine.clone();
            newest.reverse();
            assert_eq!(st.recent_checkins(*p, 1000).unwrap(), newest, "recent {p}");
            newest.truncate(3);
            assert_eq!(st.recent_checkins(*p, 3).unwrap(), newest, "recent 3 {p}");
            for (from, to) in [
                ("2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),
                ("2026-11-22T14:45:00+09:00", "2026-11-24T05:00:00-05:00"),
                ("2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z"),
            ] {
                let (f, t) = (utc(from), utc(to));
                let want: Vec<_> = mine
                    .iter()
                    .filter(|c| c.at >= f && c.at < t)
                    .cloned()
                    .collect();
                assert_eq!(st.checkins_for_peer_between(*p, f, t).unwrap(), want);
            }
        }
        for offset in -1..=(DAYS as i64 + 1) {
            let day = base() + Duration::days(offset);
            let want = sorted(all.iter().filter(|c| c.day() == day).cloned().collect());
            assert_eq!(st.checkins_on(day).unwrap(), want, "checkins_on {day}");
            let mut sess: Vec<_> = m
                .sessions
                .values()
                .filter(|s| s.date == day)
                .cloned()
                .collect();
            sess.sort_by_key(|s| s.id);
            assert_eq!(st.sessions_on(day).unwrap(), sess, "sessions_on {day}");
        }
        for g in w.goals.iter().flatten() {
            let want = sorted(
                all.iter()
                    .filter(|c| c.goals.contains(g))
                    .cloned()
                    .collect(),
            );
            assert_eq!(st.checkins_for_goal(*g).unwrap(), want, "for goal {g}");
        }
        for before in [
            "2026-11-21T00:00:00Z",
            "2026-11-23T12:00:00+09:00",
            "2026-12-31T00:00:00Z",
        ] {
            let b = utc(before);
            let mut want: HashMap<PeerId, Record<CheckIn>> = HashMap::new();
            for c in all.iter().filter(|c| c.at < b) {
                let newer = want.get(&c.peer).is_none_or(|have| tkey(c) > tkey(have));
                if newer {
                    want.insert(c.peer, c.clone());
                }
            }
            let want: HashMap<PeerId, LastCheckIn> =
                want.iter().map(|(p, c)| (*p, LastCheckIn::of(c))).collect();
            assert_eq!(
                st.last_checkins_before(b).unwrap(),
                want,
                "last before {before}"
            );
        }
        for (from, to) in [(0, 2), (3, 3), (-5, 20)] {
            let f = base() + Duration::days(from);
            let t = base() + Duration::days(to);
            let mut want: Vec<_> = all
                .iter()
                .filter(|c| c.follow_up.is_some_and(|x| x >= f && x <= t))
                .cloned()
                .collect();
            want.sort_by_key(|c| (c.follow_up, c.id));
            assert_eq!(
                st.followups_between(f, t).unwrap(),
                want,
                "followups {f}..={t}"
            );
        }
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = st.checkins_page(after, 3).unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            paged.extend(page);
        }
        assert_eq!(paged, all, "checkins_page");

        for g in &w.groups {
            let want = newest_first(
                m.sessions
                    .values()
                    .filter(|s| s.group == *g)
                    .cloned()
                    .collect(),
            );
            assert_eq!(st.sessions_for_group(*g).unwrap(), want, "sessions of {g}");
        }
        for p in &w.peers {
            let want = newest_first(
                m.sessions
                    .values()
                    .filter(|s| s.attendees.contains(p))
                    .cloned()
                    .collect(),
            );
            assert_eq!(st.sessions_for_peer(*p).unwrap(), want, "sessions for {p}");
        }
        let mut paged = Vec::new();
        let mut after: Option<SessionId> = None;
        loop {
            let page = st.sessions_page(after, 2).unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            paged.extend(page);
        }
        assert_eq!(paged, m.sessions.values().cloned().collect::<Vec<_>>());
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 32,
            max_shrink_iters: 200,
            ..ProptestConfig::default()
        })]

        #[test]
        fn queries_match_a_model_after_random_edits(ops in proptest::collection::vec(op(), 1..25)) {
            let w = world();
            let mut m = Model::default();
            for op in &ops {
                apply(&w, &mut m, op);
                check(&w, &m);
            }
            // And the same answers after a reopen.
            let World { dir, store, staff, peers, goals, groups } = w;
            drop(store);
            let store = open(dir.path());
            let w = World { dir, store, staff, peers, goals, groups };
            check(&w, &m);
        }
    }
}
