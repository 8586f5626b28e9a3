//! Staff credentials in the embedded store: each kind survives create →
//! list → reopen, lists by staff member, refuses an unknown staff member
//! naming the field (nothing written), and every create is on the trail.

use caseload::model::{
    Actor, Certification, CeuEntry, Hours, Requirement, Role, Staff, StaffId, Supervision,
    SupervisionMode,
};
use caseload::store::{AuditEvent, AuditFilter, ChangeKind, SledStore, Store, StoreError};
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn actor() -> Actor {
    Actor::login("test")
}

fn cert(staff: StaffId) -> Certification {
    Certification {
        staff,
        name: "Certified Peer Recovery Specialist".into(),
        issuer: "Pennsylvania Certification Board".into(),
        number: "CPRS-0042".into(),
        issued: day("2025-03-15"),
        expires: Some(day("2027-03-15")),
        requirement: Some(Requirement {
            hours: Hours(300),
            ethics: Hours(60),
            period_months: 24,
        }),
    }
}

fn entry(staff: StaffId, tenths: u32) -> CeuEntry {
    CeuEntry {
        staff,
        date: day("2026-05-02"),
        title: "Motivational interviewing".into(),
        provider: "RCA".into(),
        hours: Hours(tenths),
        category: "general".into(),
    }
}

#[test]
fn each_kind_round_trips_and_lists_by_staff_member() {
    let dir = tempfile::tempdir().expect("dir");
    let (pat, sam) = {
        let store = SledStore::open(dir.path()).expect("open");
        let pat = store
            .create_staff(Staff::new("Pat Peer", Role::PeerSpecialist), &actor())
            .expect("pat")
            .id;
        let sam = store
            .create_staff(Staff::new("Sam Super", Role::Supervisor), &actor())
            .expect("sam")
            .id;
        let c = store
            .create_certification(cert(pat), &actor())
            .expect("cert");
        assert_eq!(c.id.to_string(), "CT1");
        assert_eq!(c.data, cert(pat));
        store.create_ceu(entry(pat, 15), &actor()).expect("ceu");
        store
            .create_ceu(entry(sam, 240), &actor())
            .expect("ceu, a whole day");
        let s = Supervision {
            staff: pat,
            supervisor: sam,
            date: day("2026-05-03"),
            minutes: 45,
            mode: SupervisionMode::Group,
            note: Some("workload".into()),
        };
        let saved = store.create_supervision(s.clone(), &actor()).expect("sv");
        assert_eq!(saved.data, s);
        (pat, sam)
    };
    // Reopened: everything is there, as saved.
    let store = SledStore::open(dir.path()).expect("reopen");
    assert_eq!(store.certifications(None).expect("all").len(), 1);
    assert_eq!(store.certifications(Some(sam)).expect("sam's").len(), 0);
    let pats = store.ceu_entries(Some(pat)).expect("pat's");
    assert_eq!(pats.len(), 1);
    assert_eq!(pats[0].hours, Hours(15));
    assert_eq!(store.ceu_entries(None).expect("all").len(), 2);
    let sv = store.supervisions(Some(pat)).expect("pat's");
    assert_eq!(sv[0].note.as_deref(), Some("workload"));
    assert_eq!(sv[0].mode, SupervisionMode::Group);
    assert!(store
        .supervisions(Some(sam))
        .expect("as supervisee")
        .is_empty());
    // Every create is on the trail, with its kind.
    let log = store.audit(&AuditFilter::default()).expect("audit");
    for (kind, id) in [
        (ChangeKind::Certification, "CT1"),
        (ChangeKind::Ceu, "CE1"),
        (ChangeKind::Ceu, "CE2"),
        (ChangeKind::Supervision, "SV1"),
    ] {
        assert!(
            log.iter().any(|e| matches!(&e.event,
                AuditEvent::Created { kind: k, id: i, .. } if *k == kind && i == id)),
            "{kind:?} {id} is on the trail"
        );
    }
}

#[test]
fn an_unknown_staff_member_or_a_bad_field_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let store = SledStore::open(dir.path()).expect("open");
    let pat = store
        .create_staff(Staff::new("Pat Peer", Role::PeerSpecialist), &actor())
        .expect("pat")
        .id;
    let ghost = StaffId::new(99);
    let err = store.create_ceu(entry(ghost, 10), &actor()).unwrap_err();
    assert!(err.to_string().contains("staff"), "{err}");
    assert!(err.to_string().contains("S99"), "{err}");
    let err = store
        .create_certification(cert(ghost), &actor())
        .unwrap_err();
    assert!(err.to_string().contains("S99"), "{err}");
    let err = store
        .create_supervision(
            Supervision {
                staff: pat,
                supervisor: ghost,
                date: day("2026-05-03"),
                minutes: 30,
                mode: SupervisionMode::Individual,
                note: None,
            },
            &actor(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("with"), "{err}");
    for tenths in [0, 241] {
        let err = store.create_ceu(entry(pat, tenths), &actor()).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
        assert!(err.to_string().starts_with("hours: "), "{err}");
    }
    let mut bad = cert(pat);
    bad.expires = Some(day("2025-03-15"));
    let err = store.create_certification(bad, &actor()).unwrap_err();
    assert!(err.to_string().contains("expires"), "{err}");
    assert!(store.ceu_entries(None).expect("none").is_empty());
    assert!(store.certifications(None).expect("none").is_empty());
    assert!(store.supervisions(None).expect("none").is_empty());
}
