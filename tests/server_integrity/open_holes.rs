//! Holes found and left open, each `#[ignore]`d with the reason (run
//! them with `-- --ignored` to see them fail).

use super::*;

/// Check-ins are corrected and voided by whoever recorded them, or by a
/// supervisor or admin; a group session by any staff member, whoever
/// facilitated it. Left open: the permission table says voiding a session
/// is everyday work for every role, so changing it is the lead's call.
#[test]
#[ignore = "open question: any staff member voids a session someone else facilitated"]
fn a_peer_specialist_does_not_void_a_session_a_colleague_facilitated() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let session = {
        let store = SledStore::open(&dir).expect("open");
        let mut g = Group::new(
            "Tuesday WRAP",
            chrono::Weekday::Tue,
            chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time"),
        );
        g.facilitator = Some(SUPERVISOR);
        let setup = Actor::login("setup");
        let id = store.create_group(g.clone(), &setup).expect("group").id;
        let mut s = GroupSession::for_group(id, &g, d("2026-02-03"));
        s.attendees = vec![PeerId::new(1)];
        store.create_session(s, &setup).expect("session").id
    };
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    assert!(
        matches!(
            pat.ask(&Request::VoidSession {
                id: session,
                reason: "not mine".into(),
            }),
            Response::Error(WireError::Denied { .. })
        ),
        "as for a colleague's check-in"
    );
}

/// A session's facilitator is who a one-staff service report credits the
/// session to; any staff member may record one naming a colleague (here
/// on a group with no usual facilitator). Left open: sessions take their
/// group's usual facilitator, which any staff member may set
/// (`update_group`, as the screens do), so a rule on the session alone
/// would not hold; who may assign groups is the lead's call.
#[test]
#[ignore = "open hole: a session may credit its facilitation to any colleague"]
fn a_peer_specialist_does_not_credit_a_session_to_a_colleague() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let (group, g) = {
        let store = SledStore::open(&dir).expect("open");
        let g = Group::new(
            "Friday walk",
            chrono::Weekday::Fri,
            chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
        );
        let id = store
            .create_group(g.clone(), &Actor::login("setup"))
            .expect("group")
            .id;
        (id, g)
    };
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut s = GroupSession::for_group(group, &g, d("2026-02-06"));
    s.attendees = vec![PeerId::new(1)];
    s.facilitator = Some(SUPERVISOR);
    assert_refused_naming(
        &pat.ask(&Request::CreateSession { session: s }),
        "facilitator",
        "a session credited to a colleague",
    );
}
