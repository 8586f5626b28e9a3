//! Holes found and left open, each `#[ignore]`d with the reason (run
//! them with `-- --ignored` to see them fail).

use super::*;

/// A supervisor may record a supervision session they held, which makes
/// the staff member named their supervisee: with anyone, an admin or
/// another supervisor included, so one made-up session reaches that
/// person's certifications and continuing education, to read and to add
/// to (hours they never earned). Left open: who a
/// supervisor may supervise is the organization's rule to decide (the
/// docs call recording it the way a supervisee is added).
#[test]
#[ignore = "open hole: a made-up supervision session makes anyone a supervisor's supervisee"]
fn a_made_up_supervision_session_does_not_reach_an_admins_credentials() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let cert = caseload::model::Certification {
            staff: ADMIN,
            name: "CPRS".into(),
            issuer: "State board".into(),
            number: "A-1".into(),
            issued: d("2025-01-01"),
            expires: None,
            requirement: None,
        };
        store
            .create_certification(cert, &Actor::login("setup"))
            .expect("certification");
    }
    let _server = ServerProcess::start(&dir);
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let read = || sam.ask(&Request::Certifications { staff: Some(ADMIN) });
    assert!(
        matches!(read(), Response::Error(WireError::Denied { .. })),
        "not the supervisor's to read"
    );
    let _ = sam.ask(&Request::CreateSupervision {
        session: caseload::model::Supervision {
            staff: ADMIN,
            supervisor: SUPERVISOR,
            date: d("2026-02-03"),
            minutes: 60,
            mode: caseload::model::SupervisionMode::Individual,
            note: None,
        },
    });
    assert!(
        matches!(read(), Response::Error(WireError::Denied { .. })),
        "still not the supervisor's to read after one made-up session"
    );
}

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
