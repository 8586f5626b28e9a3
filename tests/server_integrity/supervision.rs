//! Supervision: who a session may make someone's supervisor.

use super::*;

/// A supervisor may record a supervision session they held, which makes
/// the staff member named their supervisee: it used to be with anyone, an
/// admin or another supervisor included, so one made-up session reached
/// that person's certifications and continuing education, to read and to
/// add to (hours they never earned). Now a supervisor records sessions
/// only with a peer specialist; one whose supervisee is a supervisor or an
/// admin is an admin's to record.
#[test]
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
    let made_up = sam.ask(&Request::CreateSupervision {
        session: caseload::model::Supervision {
            staff: ADMIN,
            supervisor: SUPERVISOR,
            date: d("2026-02-03"),
            minutes: 60,
            mode: caseload::model::SupervisionMode::Individual,
            note: None,
        },
    });
    match made_up {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("admin only"), "{reason}")
        }
        other => panic!("a made-up session with an admin: {other:?}"),
    }
    assert!(
        matches!(read(), Response::Error(WireError::Denied { .. })),
        "still not the supervisor's to read after one made-up session"
    );
    // Nor with another supervisor as the supervisee.
    let kim = {
        let store_session = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
        match store_session.ask(&Request::CreateStaff {
            staff: caseload::model::Staff::new("Kim Other", caseload::model::Role::Supervisor),
        }) {
            Response::Answer(Answer::CreateStaff(s)) => s.id,
            other => panic!("staff: {other:?}"),
        }
    };
    let with = |staff, supervisor| Request::CreateSupervision {
        session: caseload::model::Supervision {
            staff,
            supervisor,
            date: d("2026-02-04"),
            minutes: 30,
            mode: caseload::model::SupervisionMode::Individual,
            note: None,
        },
    };
    assert!(matches!(
        sam.ask(&with(kim, SUPERVISOR)),
        Response::Error(WireError::Denied { .. })
    ));
    // With a peer specialist, as before.
    assert!(matches!(
        sam.ask(&with(SPECIALIST, SUPERVISOR)),
        Response::Answer(Answer::CreateSupervision(_))
    ));
    // An admin records a supervisor's supervision.
    let ana = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    assert!(matches!(
        ana.ask(&with(kim, SUPERVISOR)),
        Response::Answer(Answer::CreateSupervision(_))
    ));
    // Every refusal is on the trail.
    assert!(ana.audit().iter().any(|e| e.actor.staff == Some(SUPERVISOR)
        && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "create_supervision")));
}
