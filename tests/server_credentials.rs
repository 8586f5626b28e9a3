//! Staff credentials where the data is served: raw frames over the
//! server's socket (no `RemoteStore`), as each role. A supervision note
//! reaches only the two people in the session and admins — the server
//! leaves it out of the frame for anyone else — and a staff member's
//! credentials reach themselves, their supervisors and admins only.

mod server_support;

use caseload::model::{Actor, CeuEntry, Hours, Role, Staff, StaffId, Supervision, SupervisionMode};
use caseload::ops::auth::hash_pin;
use caseload::server::protocol::{Answer, Request, Response, WireError};
use caseload::store::{AuditEvent, AuditFilter, SledStore, Store};
use chrono::NaiveDate;

use server_support::*;

const KIM: StaffId = StaffId::new(4);
const KIM_PIN: &str = "4444";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 3).expect("date")
}

fn session(staff: StaffId, with: StaffId, note: &str) -> Supervision {
    Supervision {
        staff,
        supervisor: with,
        date: day(),
        minutes: 60,
        mode: SupervisionMode::Individual,
        note: Some(note.into()),
    }
}

fn notes(answer: &Response) -> Vec<Option<String>> {
    match answer {
        Response::Answer(Answer::Supervisions(list)) => {
            list.iter().map(|s| s.note.clone()).collect()
        }
        other => panic!("expected supervisions, got {other:?}"),
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_supervision_note_reaches_only_the_two_of_them_and_admins_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let setup = Actor::login("setup");
        let mut kim = Staff::new("Kim Other", Role::PeerSpecialist);
        kim.pin_hash = Some(hash_pin(KIM_PIN).expect("hash"));
        assert_eq!(store.create_staff(kim, &setup).expect("kim").id, KIM);
        store
            .create_supervision(session(SPECIALIST, SUPERVISOR, "note with Sam"), &setup)
            .expect("with the supervisor");
        store
            .create_supervision(session(SPECIALIST, ADMIN, "note with Ana"), &setup)
            .expect("with the admin");
    }
    let _server = ServerProcess::start(&dir);
    let pats = Request::Supervisions {
        staff: Some(SPECIALIST),
    };

    // Pat, the supervisee: both sessions, both notes.
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    assert_eq!(
        notes(&pat.ask(&pats)),
        vec![Some("note with Sam".into()), Some("note with Ana".into())]
    );
    // Sam, Pat's supervisor: both sessions, only the note of his own; the
    // other note is not in the frame at all.
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let (answer, frame) = sam.ask_raw(&pats);
    assert_eq!(notes(&answer), vec![Some("note with Sam".into()), None]);
    assert!(!contains(&frame, "note with Ana"), "the note never leaves");
    let (answer, frame) = sam.ask_raw(&Request::Supervisions { staff: None });
    assert_eq!(notes(&answer), vec![Some("note with Sam".into()), None]);
    assert!(!contains(&frame, "note with Ana"));
    // Ana, an admin: every note.
    let ana = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    assert_eq!(
        notes(&ana.ask(&pats)),
        vec![Some("note with Sam".into()), Some("note with Ana".into())]
    );
    // Kim, another peer specialist: Pat's are refused; her own are none.
    let kim = Raw::open(&dir, Some((KIM, KIM_PIN)));
    match kim.ask(&pats) {
        Response::Error(WireError::Denied { reason, .. }) => assert!(
            reason.contains("keeping another staff member's credentials is for admin only"),
            "{reason}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let (answer, frame) = kim.ask_raw(&Request::Supervisions { staff: None });
    assert_eq!(notes(&answer), Vec::<Option<String>>::new());
    assert!(!contains(&frame, "note with"));
    // Not signed in: nothing.
    let nobody = Raw::open(&dir, None);
    match nobody.ask(&Request::Supervisions { staff: None }) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("sign in first"), "{reason}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The refusal of Kim is on the trail.
    let log = match ana.ask(&Request::Audit {
        filter: AuditFilter::default(),
    }) {
        Response::Answer(Answer::Audit(log)) => log,
        other => panic!("audit: {other:?}"),
    };
    assert!(log.iter().any(|e| e.actor.staff == Some(KIM)
        && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "supervisions")));
}

#[test]
fn credentials_reach_their_owner_their_supervisors_and_admins_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let setup = Actor::login("setup");
        let mut kim = Staff::new("Kim Other", Role::PeerSpecialist);
        kim.pin_hash = Some(hash_pin(KIM_PIN).expect("hash"));
        store.create_staff(kim, &setup).expect("kim");
    }
    let _server = ServerProcess::start(&dir);
    let entry = |staff: StaffId| CeuEntry {
        staff,
        date: day(),
        title: "Boundaries".into(),
        provider: String::new(),
        hours: Hours(15),
        category: "ethics".into(),
    };
    let kim = Raw::open(&dir, Some((KIM, KIM_PIN)));
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let ana = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    // Kim records her own hours; not Pat's.
    assert!(matches!(
        kim.ask(&Request::CreateCeu { entry: entry(KIM) }),
        Response::Answer(Answer::CreateCeu(_))
    ));
    assert!(matches!(
        kim.ask(&Request::CreateCeu {
            entry: entry(SPECIALIST)
        }),
        Response::Error(WireError::Denied { .. })
    ));
    // Sam is nobody's supervisor yet: Pat's are refused to him.
    assert!(matches!(
        sam.ask(&Request::CeuEntries {
            staff: Some(SPECIALIST)
        }),
        Response::Error(WireError::Denied { .. })
    ));
    // A session Sam held makes Pat his supervisee.
    let held = Request::CreateSupervision {
        session: session(SPECIALIST, SUPERVISOR, "first"),
    };
    assert!(matches!(
        sam.ask(&held),
        Response::Answer(Answer::CreateSupervision(_))
    ));
    assert!(matches!(
        sam.ask(&Request::CreateCeu {
            entry: entry(SPECIALIST)
        }),
        Response::Answer(Answer::CreateCeu(_))
    ));
    // But Kim cannot make herself anyone's supervisor.
    match kim.ask(&Request::CreateSupervision {
        session: session(SPECIALIST, KIM, "not mine"),
    }) {
        Response::Error(WireError::Denied { .. }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The listings: Sam sees Pat's entry, not Kim's; Ana sees both.
    let owners = |r: Response| -> Vec<StaffId> {
        match r {
            Response::Answer(Answer::CeuEntries(list)) => list.iter().map(|e| e.staff).collect(),
            other => panic!("expected CE entries, got {other:?}"),
        }
    };
    assert_eq!(
        owners(sam.ask(&Request::CeuEntries { staff: None })),
        vec![SPECIALIST]
    );
    assert_eq!(
        owners(ana.ask(&Request::CeuEntries { staff: None })),
        vec![KIM, SPECIALIST]
    );
    assert_eq!(
        owners(kim.ask(&Request::CeuEntries { staff: None })),
        vec![KIM]
    );
}

/// One request answers what the three credential reads answer, for each
/// role, by the same rules (a supervisor gets only the note of his own
/// session); refused (on the trail) to a session not signed in and to
/// another staff member's credentials.
#[test]
fn credential_records_answer_the_three_reads_in_one_request_as_each_role() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let setup = Actor::login("setup");
        let mut kim = Staff::new("Kim Other", Role::PeerSpecialist);
        kim.pin_hash = Some(hash_pin(KIM_PIN).expect("hash"));
        assert_eq!(store.create_staff(kim, &setup).expect("kim").id, KIM);
        store
            .create_supervision(session(SPECIALIST, SUPERVISOR, "note with Sam"), &setup)
            .expect("with the supervisor");
        store
            .create_supervision(session(SPECIALIST, ADMIN, "note with Ana"), &setup)
            .expect("with the admin");
        let entry = CeuEntry {
            staff: SPECIALIST,
            date: day(),
            title: "Ethics".into(),
            provider: String::new(),
            hours: Hours::parse("--hours", "3").expect("hours"),
            category: "ethics".into(),
        };
        store.create_ceu(entry, &setup).expect("ceu");
    }
    let _server = ServerProcess::start(&dir);
    for (staff, pin, seen) in [
        (SPECIALIST, SPECIALIST_PIN, 2),
        (SUPERVISOR, SUPERVISOR_PIN, 2),
        (ADMIN, ADMIN_PIN, 2),
        (KIM, KIM_PIN, 0),
    ] {
        let conn = Raw::open(&dir, Some((staff, pin)));
        let (answer, frame) = conn.ask_raw(&Request::CredentialRecords { staff: None });
        let Response::Answer(Answer::CredentialRecords(all)) = answer else {
            panic!("{staff}: {answer:?}");
        };
        let one = |r: Request| conn.ask(&r);
        let Response::Answer(Answer::Certifications(certs)) =
            one(Request::Certifications { staff: None })
        else {
            panic!("certifications");
        };
        let Response::Answer(Answer::CeuEntries(entries)) =
            one(Request::CeuEntries { staff: None })
        else {
            panic!("ceu entries");
        };
        let Response::Answer(Answer::Supervisions(sessions)) =
            one(Request::Supervisions { staff: None })
        else {
            panic!("supervisions");
        };
        assert_eq!(all.certifications, certs, "{staff}");
        assert_eq!(all.ceu_entries, entries, "{staff}");
        assert_eq!(all.supervisions, sessions, "{staff}");
        assert_eq!(all.supervisions.len(), seen, "{staff}");
        assert_eq!(all.ceu_entries.len(), seen / 2, "{staff}");
        if staff == SUPERVISOR {
            assert!(!contains(&frame, "note with Ana"), "the note never leaves");
        }
    }
    // Kim asking for Pat's: refused, on the trail under this request.
    let kim = Raw::open(&dir, Some((KIM, KIM_PIN)));
    assert!(matches!(
        kim.ask(&Request::CredentialRecords {
            staff: Some(SPECIALIST)
        }),
        Response::Error(WireError::Denied { .. })
    ));
    let nobody = Raw::open(&dir, None);
    match nobody.ask(&Request::CredentialRecords { staff: None }) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("sign in first"), "{reason}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let ana = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let log = match ana.ask(&Request::Audit {
        filter: AuditFilter::default(),
    }) {
        Response::Answer(Answer::Audit(log)) => log,
        other => panic!("audit: {other:?}"),
    };
    assert!(log
        .iter()
        .any(|e| e.actor.staff == Some(KIM) && matches!(&e.event, AuditEvent::Refused { .. })));
    assert!(log.iter().any(|e| e.actor.staff.is_none()
        && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "credential_records")));
}
