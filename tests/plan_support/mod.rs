//! Fixtures for the plan, timeline, wellness-plan and groups tests: a peer
//! (Ana Ruiz, P1, the first row of the shared Today report) with goals in
//! every status, dates in the past, present and future, steps checked and
//! not, status history, a review, a wellness plan, and groups.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use caseload::model::goal::{Review, StatusChange};
use caseload::model::{
    Actor, Goal, GoalId, GoalStatus, Group, GroupId, GroupSession, LifeDomain, Meta, Peer, PeerId,
    Record, SessionId, StaffId, Step, WellnessPlan,
};
use caseload::ops::groups::GroupRow;
use caseload::ops::peer::PeerOverview;
use caseload::ops::plan::TimelineData;
use caseload::ui::app::App;
use caseload::ui::worker::groups::GroupsResponse;
use caseload::ui::worker::plan::PlanResponse;
use caseload::ui::worker::{PeerDetail, Request, Response};
use chrono::{NaiveTime, Weekday};
use crossterm::event::KeyCode;

use crate::ui_common::*;

pub fn meta() -> Meta {
    Meta::created(chrono::Utc::now(), &Actor::login("t"))
}

pub fn rec<T: caseload::model::Entity>(id: u64, data: T) -> Record<T> {
    Record {
        id: caseload::model::Id::new(id),
        meta: meta(),
        data,
    }
}

fn step(text: &str, done: Option<&str>) -> Step {
    Step {
        text: text.into(),
        done_on: done.map(day),
    }
}

fn change(on: &str, from: Option<GoalStatus>, to: GoalStatus) -> StatusChange {
    StatusChange {
        on: day(on),
        from,
        to,
        by: Some(StaffId::new(1)),
    }
}

/// Ana's goals; Monday 2026-11-23 is today.
pub fn goals() -> Vec<Record<Goal>> {
    let p = PeerId::new(1);
    let mut housing = Goal::new(
        p,
        LifeDomain::Housing,
        "Get my own place",
        day("2026-09-01"),
    );
    housing.target_date = Some(day("2026-12-20"));
    housing.next_review = Some(day("2026-11-20"));
    housing.steps = vec![
        step("Call the housing office", Some("2026-10-02")),
        step("Fill in the \u{1b}[31mform", None),
        step("Visit the flat", None),
    ];
    housing.history = vec![
        change("2026-09-01", None, GoalStatus::Active),
        change("2026-10-02", Some(GoalStatus::Active), GoalStatus::Paused),
        change("2026-10-20", Some(GoalStatus::Paused), GoalStatus::Active),
    ];
    housing.reviews = vec![Review {
        on: day("2026-10-20"),
        note: "going well".into(),
        by: Some(StaffId::new(1)),
    }];

    let mut work = Goal::new(
        p,
        LifeDomain::Employment,
        "Find part-time work",
        day("2026-06-01"),
    );
    work.target_date = Some(day("2026-10-01"));
    work.steps = vec![step("Update my CV", None)];

    let mut clean = Goal::new(
        p,
        LifeDomain::Recovery,
        "Ninety days clean",
        day("2026-05-01"),
    );
    clean.target_date = Some(day("2026-08-01"));
    clean.set_status(
        GoalStatus::Achieved,
        day("2026-07-30"),
        Some(StaffId::new(1)),
    );

    let mut art = Goal::new(
        p,
        LifeDomain::Community,
        "Join the art group",
        day("2026-03-01"),
    );
    art.set_status(GoalStatus::Dropped, day("2026-04-15"), None);

    let mut course = Goal::new(
        p,
        LifeDomain::Education,
        "Enrol in a course",
        day("2026-12-07"),
    );
    course.target_date = Some(day("2027-03-01"));

    vec![
        rec(1, housing),
        rec(2, work),
        rec(3, clean),
        rec(4, art),
        rec(5, course),
    ]
}

pub fn wellness() -> WellnessPlan {
    WellnessPlan {
        daily_maintenance: vec!["Walk the dog".into(), "Coffee with Sam".into()],
        triggers: vec!["Crowded buses".into()],
        early_warning_signs: Vec::new(),
        what_helps: Vec::new(),
        who_to_call: vec!["My sister: 555-0101".into()],
    }
}

/// Ana's peer page with `goals` and `plan`.
pub fn detail_with(goals: Vec<Record<Goal>>, plan: WellnessPlan) -> PeerDetail {
    let mut peer = Peer::new("Ana Ruiz", day("2025-03-02"));
    peer.wellness_plan = plan;
    let sessions = vec![rec(
        7,
        GroupSession {
            group: GroupId::new(2),
            date: day("2026-11-17"),
            topic: "Hope".into(),
            facilitator: None,
            minutes: 60,
            attendees: vec![PeerId::new(1)],
            note: String::new(),
            voided: None,
        },
    )];
    PeerDetail {
        overview: PeerOverview {
            peer: rec(1, peer),
            assigned: None,
            goals,
            recent_checkins: Vec::new(),
            next_follow_up: None,
            sessions,
        },
        consents: Vec::new(),
        disclosures: Vec::new(),
        group_names: HashMap::from([(GroupId::new(2), "Tuesday WRAP group".to_string())]),
        staff_initials: HashMap::from([(StaffId::new(1), "JR".to_string())]),
        assessments: Vec::new(),
        instruments: caseload::model::instrument::Instruments::builtin(),
        visits: Vec::new(),
    }
}

pub fn detail() -> PeerDetail {
    detail_with(goals(), wellness())
}

pub fn timeline_data() -> TimelineData {
    TimelineData {
        goals: {
            let mut g = goals();
            g.sort_by_key(|g| (g.start_date, g.id));
            g
        },
        touches: BTreeMap::from([
            (GoalId::new(1), vec![day("2026-10-20"), day("2026-11-16")]),
            (GoalId::new(2), vec![day("2026-09-15")]),
        ]),
        wellbeing: vec![
            (day("2026-10-20"), 2),
            (day("2026-11-16"), 4),
            (day("2026-11-20"), 5),
        ],
        capital: Vec::new(),
    }
}

/// The app with Ana's page open (overview tab) and loaded with `d`.
pub fn app_on_peer_with(d: PeerDetail) -> App {
    let mut app = app();
    press(&mut app, &[code(KeyCode::Enter)]);
    let reqs = app.take_requests();
    assert!(
        reqs.iter().any(|r| matches!(r, Request::Peer(p) | Request::OpenPeer { id: p, .. } if *p == PeerId::new(1))),
        "{reqs:?}"
    );
    app.on_response(Response::Peer(PeerId::new(1), Ok(Box::new(d))));
    app
}

/// The app on Ana's recovery plan tab.
pub fn app_on_plan() -> App {
    let mut app = app_on_peer_with(detail());
    press(&mut app, &[key('2')]);
    app
}

/// The app on Ana's timeline tab, with the timeline loaded.
pub fn app_on_timeline() -> App {
    let mut app = app_on_peer_with(detail());
    press(&mut app, &[key('3')]);
    let reqs = app.take_requests();
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::Plan(caseload::ui::worker::plan::PlanRequest::Timeline { peer, .. }) if *peer == PeerId::new(1))),
        "{reqs:?}"
    );
    app.on_response(plan_response(PlanResponse::Timeline(
        PeerId::new(1),
        Ok(Box::new(timeline_data())),
    )));
    app
}

pub fn plan_response(r: PlanResponse) -> Response {
    Response::Plan(Box::new(r))
}

pub fn groups_response(r: GroupsResponse) -> Response {
    Response::Groups(Box::new(r))
}

pub fn group(id: u64, name: &str, weekday: Weekday, hour: u32, place: &str) -> Record<Group> {
    let mut g = Group::new(
        name,
        weekday,
        NaiveTime::from_hms_opt(hour, 0, 0).expect("time"),
    );
    g.location = place.into();
    g.facilitator = Some(StaffId::new(1));
    rec(id, g)
}

pub fn session(
    id: u64,
    group: &Record<Group>,
    date: &str,
    attendees: &[u64],
) -> Record<GroupSession> {
    let mut s = GroupSession::for_group(group.id, group, day(date));
    s.attendees = attendees.iter().map(|p| PeerId::new(*p)).collect();
    rec(id, s)
}

/// Groups as the worker lists them on Monday 2026-11-23.
pub fn group_rows() -> Vec<GroupRow> {
    let art = group(1, "Monday art group", Weekday::Mon, 10, "Art room");
    let wrap = group(2, "Tuesday WRAP group", Weekday::Tue, 14, "Room 2");
    vec![
        GroupRow {
            today: None,
            sessions: 12,
            last: Some((day("2026-11-16"), 7)),
            group: art,
        },
        GroupRow {
            today: None,
            sessions: 30,
            last: Some((day("2026-11-17"), 9)),
            group: wrap,
        },
    ]
}

/// The session ids used by the fixtures.
pub fn sid(n: u64) -> SessionId {
    SessionId::new(n)
}
