//! Fixes from the trial (issue 11, item 6), below the screens: opening a
//! group's session and leaving records nothing; the first save writes the
//! session with its attendance at once.

mod support;

use caseload::model::Actor;
use caseload::store::Store;
use caseload::ui::worker::groups::{GroupsRequest, GroupsResponse};
use caseload::ui::worker::{handle, Request, Response};
use support::*;

#[test]
fn opening_a_group_and_leaving_records_no_session() {
    let (_dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let p = peer(&store, "Aroha Wright");
    let grp = group(&store, "Tuesday circle");
    let actor = Actor::staff(s.id, "jordan");
    let day = d("2026-11-24");
    let opened = handle(
        &store,
        Request::Groups(GroupsRequest::Open {
            group: grp.id,
            date: day,
            actor: actor.clone(),
        }),
    );
    let Response::Groups(g) = opened else {
        panic!("{opened:?}")
    };
    let GroupsResponse::Opened(Ok((_, session))) = *g else {
        panic!("not opened")
    };
    assert!(caseload::ops::groups::is_unsaved(&session));
    assert!(session.attendees.is_empty());
    assert!(
        store.sessions_on(day).unwrap().is_empty(),
        "nothing recorded"
    );
    assert_eq!(store.counts().unwrap().sessions, 0);

    // Saving writes it once, with its attendance.
    let saved = handle(
        &store,
        Request::Groups(GroupsRequest::Save {
            group: grp.id,
            date: day,
            add: vec![p.id],
            remove: Vec::new(),
            topic: "Boundaries".into(),
            note: String::new(),
            actor,
        }),
    );
    let Response::Groups(g) = saved else {
        panic!("{saved:?}")
    };
    let GroupsResponse::Saved(Ok(session)) = *g else {
        panic!("not saved")
    };
    assert_eq!(session.meta.revision, 1, "created with its attendance");
    assert_eq!(session.attendees, vec![p.id]);
    assert_eq!(session.topic, "Boundaries");
    assert_eq!(store.sessions_on(day).unwrap().len(), 1);
}
