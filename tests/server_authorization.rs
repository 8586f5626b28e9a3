//! The permission table, enforced where the data is served: every
//! operation of the store's declaration (`Operation::ALL`), spoken as raw
//! frames over the server's socket (no `RemoteStore`), as each role and
//! without signing in. Each is allowed or refused exactly as the table
//! says; every refusal and every identified read is on the audit trail
//! (and repeated views are coalesced). The local command line applies the
//! same table.

mod server_support;

use caseload::model::{
    Actor, Assessment, AssessmentId, Certification, CeuEntry, CheckInId, Consent, ConsentId,
    Disclosure, Expiry, Goal, GoalId, Group, GroupId, GroupSession, Hours, IntakeId, LifeDomain,
    Peer, PeerId, RecipientKind, Referral, ReferralId, Resource, ResourceCategory, ResourceId,
    Revocation, Role, SessionId, ShareKind, Staff, StaffId, Supervision, SupervisionMode, Visit,
};
use caseload::server::protocol::{Answer, Pin, Request, Response, WireError};
use caseload::store::api::{Identified, Operation, MAX_BATCH};
use caseload::store::{AuditEntry, AuditEvent, AuditFilter, SledStore, Snapshot, Store};
use chrono::{NaiveDate, TimeZone, Utc};
use predicates::prelude::*;

use server_support::*;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 3).expect("date")
}

/// Records every operation can point at: goal G1 and check-in C1 of P1, a
/// group and a session P1 attended.
struct Fixtures {
    goal: GoalId,
    checkin: CheckInId,
    group: GroupId,
    session: SessionId,
    resource: ResourceId,
    referral: ReferralId,
    consent: ConsentId,
    assessment: AssessmentId,
}

/// An active consent of P1 for "Harbor Housing" to share attendance.
fn consent_fixture() -> Consent {
    Consent {
        peer: PeerId::new(1),
        recipient: "Harbor Housing".into(),
        recipient_kind: RecipientKind::Organization,
        purpose: "housing application".into(),
        shares: vec![ShareKind::Attendance],
        shares_text: String::new(),
        signed: NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"),
        expiry: Expiry::On(NaiveDate::from_ymd_opt(2099, 12, 31).expect("date")),
        revoked: None,
    }
}

fn disclosure_fixture(consent: ConsentId) -> Disclosure {
    Disclosure {
        peer: PeerId::new(1),
        consent,
        recipient: "Harbor Housing".into(),
        at: Utc::now(),
        included: vec![ShareKind::Attendance],
        what: "export".into(),
        to: "standard output".into(),
    }
}

fn add_fixtures(dir: &std::path::Path) -> Fixtures {
    let store = SledStore::open(dir).expect("open");
    let setup = Actor::login("setup");
    let mut g = Goal::new(PeerId::new(1), LifeDomain::Employment, "Find a job", day());
    g.next_review = Some(day());
    let goal = store.create_goal(g, &setup).expect("goal").id;
    let mut c = checkin(1, SPECIALIST, "talked about work");
    c.goals = vec![goal];
    c.follow_up = Some(day());
    let checkin = store.create_checkin(c, &setup).expect("check-in").id;
    let gr = Group::new(
        "Tuesday WRAP",
        chrono::Weekday::Tue,
        chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time"),
    );
    let group_rec = store.create_group(gr.clone(), &setup).expect("group");
    let mut s = GroupSession::for_group(group_rec.id, &gr, day());
    s.attendees = vec![PeerId::new(1)];
    let session = store.create_session(s, &setup).expect("session").id;
    let resource = store
        .create_resource(
            Resource::new("Eastside Pantry", ResourceCategory::Food),
            &setup,
        )
        .expect("resource")
        .id;
    let referral = store
        .create_referral(
            Referral::new(PeerId::new(1), resource, day(), None, "needs food"),
            &setup,
        )
        .expect("referral")
        .id;
    let consent = store
        .create_consent(consent_fixture(), &setup)
        .expect("consent")
        .id;
    store
        .record_disclosure(disclosure_fixture(consent), &setup)
        .expect("disclosure");
    // The specialist is the supervisor's supervisee (a session names the
    // supervisor), so each role may reach the specialist's credentials.
    store
        .create_supervision(supervision(SPECIALIST, SUPERVISOR, None), &setup)
        .expect("supervision");
    let assessment = store
        .create_assessment(barc10(1, 5), &setup)
        .expect("assessment")
        .id;
    Fixtures {
        goal,
        checkin,
        group: group_rec.id,
        session,
        resource,
        referral,
        consent,
        assessment,
    }
}

fn supervision(staff: StaffId, with: StaffId, note: Option<&str>) -> Supervision {
    Supervision {
        staff,
        supervisor: with,
        date: day(),
        minutes: 60,
        mode: SupervisionMode::Individual,
        note: note.map(str::to_string),
    }
}

/// A BARC-10 of `peer` with every answer `each`.
fn barc10(peer: u64, each: u8) -> Assessment {
    Assessment {
        peer: PeerId::new(peer),
        instrument: "barc10".into(),
        version: 1,
        scores: vec![each; 10],
        total: u32::from(each) * 10,
        at: Utc
            .with_ymd_and_hms(2026, 2, 3, 12, 0, 0)
            .single()
            .expect("t"),
        staff: None,
    }
}

/// A request for `op` that passes every check but the permission: real
/// ids where a read needs data, missing ids where a write would destroy
/// (so an allowed purge answers "not found" and changes nothing).
/// Exhaustive: a new operation does not compile until it has a case here.
fn sample(op: Operation, fx: &Fixtures, store: &SledStore) -> Request {
    let from = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("t");
    let to = Utc
        .with_ymd_and_hms(2026, 12, 31, 0, 0, 0)
        .single()
        .expect("t");
    let staff_rec = store.staff(SUPERVISOR).expect("staff");
    match op {
        Operation::Counts => Request::Counts {},
        Operation::Settings => Request::Settings {},
        Operation::SaveSettings => Request::SaveSettings {
            settings: store.settings().expect("settings"),
        },
        Operation::CreateStaff => Request::CreateStaff {
            staff: Staff::new("Newly Added", Role::PeerSpecialist),
        },
        Operation::UpdateStaff => {
            let mut s = staff_rec;
            s.initials = "SSX".into();
            Request::UpdateStaff { staff: s }
        }
        // Someone else's PIN (missing, so an allowed one changes nothing).
        Operation::SetPin => Request::SetPin {
            staff: StaffId::new(999),
            pin: Pin("4321".into()),
        },
        Operation::Staff => Request::Staff { id: SPECIALIST },
        Operation::ListStaff => Request::ListStaff {},
        Operation::CreatePeer => Request::CreatePeer {
            peer: Peer::new("Fresh Intake", day()),
        },
        Operation::CreatePeers => Request::CreatePeers {
            peers: vec![Peer::new("Batch Intake", day())],
        },
        Operation::UpdatePeer => Request::UpdatePeer {
            peer: store.peer(PeerId::new(2)).expect("peer"),
        },
        Operation::DeletePeer => Request::DeletePeer {
            id: PeerId::new(999),
        },
        Operation::Peer => Request::Peer { id: PeerId::new(1) },
        Operation::PeerView => Request::PeerView {
            id: PeerId::new(1),
            recent: 10,
        },
        Operation::ListPeers => Request::ListPeers {},
        Operation::CreateGoal => Request::CreateGoal {
            goal: Goal::new(PeerId::new(2), LifeDomain::Employment, "Walk daily", day()),
        },
        Operation::UpdateGoal => Request::UpdateGoal {
            goal: store.goal(fx.goal).expect("goal"),
        },
        Operation::DeleteGoal => Request::DeleteGoal {
            id: GoalId::new(999),
        },
        Operation::Goal => Request::Goal { id: fx.goal },
        Operation::GoalsForPeer => Request::GoalsForPeer {
            peer: PeerId::new(1),
        },
        Operation::GoalsDueForReview => Request::GoalsDueForReview { date: day() },
        Operation::CreateCheckIn => Request::CreateCheckIn {
            checkin: checkin(2, SPECIALIST, "credited to the specialist"),
        },
        Operation::CreateCheckIns => Request::CreateCheckIns {
            checkins: vec![checkin(2, SPECIALIST, "batch")],
        },
        Operation::UpdateCheckIn => Request::UpdateCheckIn {
            checkin: store.checkin(fx.checkin).expect("check-in"),
        },
        Operation::VoidCheckIn => Request::VoidCheckIn {
            id: CheckInId::new(999),
            reason: "recorded twice".into(),
        },
        Operation::DeleteCheckIn => Request::DeleteCheckIn {
            id: CheckInId::new(999),
        },
        Operation::CheckIn => Request::CheckIn { id: fx.checkin },
        Operation::CheckInHistory => Request::CheckInHistory { id: fx.checkin },
        Operation::HistoryPage => Request::HistoryPage {
            after: None,
            limit: 100,
        },
        Operation::PeerAliases => Request::PeerAliases {},
        Operation::MergePeers => Request::MergePeers {
            from: PeerId::new(999),
            into: PeerId::new(1),
        },
        Operation::RecentCheckIns => Request::RecentCheckIns {
            peer: PeerId::new(1),
            limit: 5,
        },
        Operation::CheckInsForPeerBetween => Request::CheckInsForPeerBetween {
            peer: PeerId::new(1),
            from,
            to,
        },
        Operation::CheckInsOn => Request::CheckInsOn { date: day() },
        Operation::CheckInsForGoal => Request::CheckInsForGoal { goal: fx.goal },
        Operation::LastCheckInsBefore => Request::LastCheckInsBefore { before: to },
        Operation::PeerSummaries => Request::PeerSummaries {
            before: to,
            attended_before: day(),
        },
        Operation::Today => Request::Today {
            date: day(),
            for_staff: None,
        },
        Operation::FollowupsBetween => Request::FollowupsBetween {
            from: day(),
            to: day(),
        },
        Operation::CheckInsPage => Request::CheckInsPage {
            after: None,
            limit: 100,
        },
        Operation::CreateGroup => Request::CreateGroup {
            group: Group::new(
                "Friday walk",
                chrono::Weekday::Fri,
                chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            ),
        },
        Operation::UpdateGroup => Request::UpdateGroup {
            group: store.group(fx.group).expect("group"),
        },
        Operation::Group => Request::Group { id: fx.group },
        Operation::ListGroups => Request::ListGroups {},
        Operation::CreateSession => Request::CreateSession {
            session: GroupSession::for_group(
                fx.group,
                &store.group(fx.group).expect("group"),
                day().succ_opt().expect("day"),
            ),
        },
        Operation::UpdateSession => Request::UpdateSession {
            session: store.session(fx.session).expect("session"),
        },
        Operation::VoidSession => Request::VoidSession {
            id: SessionId::new(999),
            reason: "wrong day".into(),
        },
        Operation::DeleteSession => Request::DeleteSession {
            id: SessionId::new(999),
        },
        Operation::Session => Request::Session { id: fx.session },
        Operation::SessionsForGroup => Request::SessionsForGroup { group: fx.group },
        Operation::SessionsOn => Request::SessionsOn { date: day() },
        Operation::SessionsForPeer => Request::SessionsForPeer {
            peer: PeerId::new(1),
        },
        Operation::SessionsPage => Request::SessionsPage {
            after: None,
            limit: 100,
        },
        Operation::Import => Request::Import {
            snapshot: Snapshot::default(),
        },
        // The store is not empty: allowed ones fail for that reason.
        Operation::BeginLoad => Request::BeginLoad {
            snapshot: Snapshot::default(),
        },
        Operation::LoadCheckIns => Request::LoadCheckIns {
            checkins: Vec::new(),
        },
        Operation::FinishLoad => Request::FinishLoad { loaded: 0 },
        Operation::RecordEvent => Request::RecordEvent {
            event: AuditEvent::Viewed {
                peer: PeerId::new(2),
            },
        },
        Operation::RecordEvents => Request::RecordEvents {
            events: vec![
                AuditEvent::Viewed {
                    peer: PeerId::new(1),
                },
                AuditEvent::Viewed {
                    peer: PeerId::new(2),
                },
            ],
        },
        Operation::Audit => Request::Audit {
            filter: AuditFilter::default(),
        },
        Operation::CreateResource => Request::CreateResource {
            resource: Resource::new("Crisis line", ResourceCategory::Crisis),
        },
        Operation::UpdateResource => Request::UpdateResource {
            resource: store.resource(fx.resource).expect("resource"),
        },
        Operation::Resource => Request::Resource { id: fx.resource },
        Operation::ListResources => Request::ListResources {},
        // Made by the specialist: a peer specialist's referral names them
        // (a supervisor's or admin's names a colleague, and is credited).
        Operation::CreateReferral => Request::CreateReferral {
            referral: Referral::new(PeerId::new(2), fx.resource, day(), Some(SPECIALIST), ""),
        },
        Operation::UpdateReferral => Request::UpdateReferral {
            referral: store.referral(fx.referral).expect("referral"),
        },
        Operation::Referral => Request::Referral { id: fx.referral },
        Operation::ReferralsForPeer => Request::ReferralsForPeer {
            peer: PeerId::new(1),
        },
        Operation::OpenReferrals => Request::OpenReferrals {},
        Operation::ReferralsPage => Request::ReferralsPage {
            after: None,
            limit: 100,
        },
        Operation::CreateConsent => Request::CreateConsent {
            consent: Consent {
                peer: PeerId::new(2),
                ..consent_fixture()
            },
        },
        Operation::RevokeConsent => Request::RevokeConsent {
            id: ConsentId::new(999),
            revocation: Revocation {
                date: day(),
                note: "in writing".into(),
            },
        },
        Operation::Consent => Request::Consent { id: fx.consent },
        Operation::ConsentsForPeer => Request::ConsentsForPeer {
            peer: PeerId::new(1),
        },
        Operation::ListConsents => Request::ListConsents {},
        Operation::ConsentsExpiringBetween => Request::ConsentsExpiringBetween {
            from: day(),
            to: NaiveDate::from_ymd_opt(2100, 1, 1).expect("date"),
        },
        Operation::RecordDisclosure => Request::RecordDisclosure {
            disclosure: disclosure_fixture(fx.consent),
        },
        Operation::DisclosuresForPeer => Request::DisclosuresForPeer {
            peer: PeerId::new(1),
        },
        Operation::DisclosuresPage => Request::DisclosuresPage {
            after: None,
            limit: 100,
        },
        Operation::CreateCertification => Request::CreateCertification {
            certification: Certification {
                staff: SPECIALIST,
                name: "CPRS".into(),
                issuer: "State board".into(),
                number: String::new(),
                issued: day(),
                expires: None,
                requirement: None,
            },
        },
        Operation::Certifications => Request::Certifications {
            staff: Some(SPECIALIST),
        },
        Operation::CreateCeu => Request::CreateCeu {
            entry: CeuEntry {
                staff: SPECIALIST,
                date: day(),
                title: "Ethics".into(),
                provider: String::new(),
                hours: Hours(15),
                category: "ethics".into(),
            },
        },
        Operation::CeuEntries => Request::CeuEntries {
            staff: Some(SPECIALIST),
        },
        Operation::CreateSupervision => Request::CreateSupervision {
            session: supervision(SPECIALIST, SUPERVISOR, Some("check-in on workload")),
        },
        Operation::Supervisions => Request::Supervisions {
            staff: Some(SPECIALIST),
        },
        Operation::CredentialRecords => Request::CredentialRecords {
            staff: Some(SPECIALIST),
        },
        Operation::CreateAssessment => Request::CreateAssessment {
            assessment: barc10(2, 4),
        },
        Operation::Assessment => Request::Assessment { id: fx.assessment },
        Operation::AssessmentsForPeer => Request::AssessmentsForPeer {
            peer: PeerId::new(1),
        },
        Operation::LatestAssessments => Request::LatestAssessments {},
        Operation::PeersById => Request::PeersById {
            ids: vec![PeerId::new(1)],
        },
        Operation::AssessmentsPage => Request::AssessmentsPage {
            after: None,
            limit: 100,
        },
        Operation::DeleteAssessment => Request::DeleteAssessment {
            id: AssessmentId::new(999),
        },
        Operation::RecordVisit => Request::RecordVisit {
            visit: Visit::new(
                PeerId::new(1),
                day(),
                chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            ),
        },
        Operation::SignOutVisit => Request::SignOutVisit {
            peer: PeerId::new(1),
            day: day(),
            at: chrono::NaiveTime::from_hms_opt(23, 0, 0).expect("time"),
        },
        Operation::VisitsOn => Request::VisitsOn { date: day() },
        Operation::VisitsBetween => Request::VisitsBetween {
            from: day(),
            to: day(),
        },
        Operation::VisitsForPeer => Request::VisitsForPeer {
            peer: PeerId::new(1),
        },
        Operation::LastVisitsBefore => Request::LastVisitsBefore {
            before: day().succ_opt().expect("day"),
        },
        Operation::PendingIntakes => Request::PendingIntakes {},
        Operation::ResolveIntake => Request::ResolveIntake {
            id: IntakeId::new(999),
            peer: None,
        },
        Operation::SetKioskCode => Request::SetKioskCode {
            peer: PeerId::new(2),
            code: Some("Z-9".into()),
        },
        Operation::KioskCodes => Request::KioskCodes {},
        Operation::EnterKiosk => Request::EnterKiosk {
            station: "test desk".into(),
        },
        Operation::KioskSignIn => Request::KioskSignIn {
            typed: "nobody by this name".into(),
            phone_digits: None,
        },
        Operation::KioskNewHere => Request::KioskNewHere {
            first_name: "Robin".into(),
        },
        Operation::LeaveKiosk => Request::LeaveKiosk {
            pin: Pin("not-a-staff-pin".into()),
        },
    }
}

/// The sessions under test: who, how they sign in, and the staff id
/// their entries carry.
/// A session under test: its name, role (none: not signed in) and sign-in.
type SessionCase = (&'static str, Option<Role>, Option<(StaffId, &'static str)>);

fn sessions() -> Vec<SessionCase> {
    vec![
        (
            "peer specialist",
            Some(Role::PeerSpecialist),
            Some((SPECIALIST, SPECIALIST_PIN)),
        ),
        (
            "supervisor",
            Some(Role::Supervisor),
            Some((SUPERVISOR, SUPERVISOR_PIN)),
        ),
        ("admin", Some(Role::Admin), Some((ADMIN, ADMIN_PIN))),
        ("not signed in", None, None),
        // Started by a supervisor, then the narrowest session there is.
        (KIOSK, None, Some((SUPERVISOR, SUPERVISOR_PIN))),
    ]
}

/// The name of the kiosk session among [`sessions`].
const KIOSK: &str = "kiosk";

/// True if the session may run `op` per the table.
fn may(who: &str, role: Option<Role>, op: Operation) -> bool {
    match role {
        _ if who == KIOSK => op.permission().kiosk(),
        Some(r) => op.permission().allows(r),
        None => op.permission().before_sign_in(),
    }
}

/// A connection for the session: the kiosk is a supervisor's connection
/// turned into the kiosk.
fn connect(dir: &std::path::Path, who: &str, creds: Option<(StaffId, &str)>) -> Raw {
    let conn = Raw::open(dir, creds);
    if who == KIOSK {
        let answer = conn.ask(&Request::EnterKiosk {
            station: "test desk".into(),
        });
        assert!(matches!(answer, Response::Answer(_)), "{answer:?}");
    }
    conn
}

#[test]
fn every_operation_as_every_role_is_allowed_or_refused_per_the_table_and_audited() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    // The requests are built from the store's own records before the
    // server takes it over.
    let requests: Vec<(Operation, Request)> = {
        let store = SledStore::open(&dir).expect("open");
        Operation::ALL
            .iter()
            .map(|op| (*op, sample(*op, &fx, &store)))
            .collect()
    };
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let (mut cases, mut refused, mut reads_audited) = (0, 0, 0);
    for (who, role, creds) in sessions() {
        let conn = connect(&dir, who, creds);
        let staff = if who == KIOSK {
            None
        } else {
            creds.map(|c| c.0)
        };
        for (op, request) in &requests {
            assert_eq!(request.operation(), Some(*op), "the sample asks for {op:?}");
            cases += 1;
            let allowed = may(who, role, *op);
            let before = auditor.audit().first().map(|e| e.seq).unwrap_or(0);
            // Starting the kiosk turns the connection into one: on a
            // connection of its own, so the session under test stays.
            let answer = if *op == Operation::EnterKiosk {
                connect(&dir, who, creds).ask(request)
            } else {
                conn.ask(request)
            };
            let name = op.name();
            match (&answer, allowed) {
                // The kiosk may try a PIN; a wrong one is refused as such.
                (Response::Error(WireError::Denied { reason, .. }), true)
                    if who == KIOSK && *op == Operation::LeaveKiosk =>
                {
                    assert!(reason.contains("not a staff PIN"), "{reason}");
                }
                (Response::Error(WireError::Denied { reason, .. }), false) => {
                    // A clear refusal: what, and which roles may.
                    if who == KIOSK {
                        assert!(
                            reason.contains(op.permission().action())
                                && reason.contains("not for the sign-in kiosk"),
                            "{who} {name}: {reason}"
                        );
                    } else if role.is_some() {
                        let roles = op
                            .permission()
                            .roles()
                            .iter()
                            .map(|r| caseload::model::Choice::label(*r))
                            .collect::<Vec<_>>()
                            .join(" and ");
                        assert!(
                            reason.contains(op.permission().action()) && reason.contains(&roles),
                            "{who} {name}: {reason}"
                        );
                    } else {
                        assert!(reason.contains("sign in first"), "{who} {name}: {reason}");
                    }
                    refused += 1;
                    let log = auditor.audit();
                    assert!(
                        log.iter().any(|e| e.seq > before
                            && e.actor.staff == staff
                            && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == name)),
                        "{who} {name}: the refusal is on the trail"
                    );
                }
                (Response::Error(WireError::Denied { reason, .. }), true) => {
                    panic!("{who} may {name} per the table, but was refused: {reason}")
                }
                (_, false) => panic!("{who} may not {name} per the table, but got {answer:?}"),
                (Response::Answer(a), true) => {
                    let peers = a.peers();
                    if op.identified() != Identified::No && !peers.is_empty() {
                        reads_audited += 1;
                        let log = auditor.audit();
                        let mine = |e: &&AuditEntry| e.actor.staff == staff;
                        match op.identified() {
                            Identified::Peer => {
                                for p in &peers {
                                    assert!(
                                        log.iter()
                                            .filter(mine)
                                            .any(|e| e.event == AuditEvent::Viewed { peer: *p }),
                                        "{who} {name}: opening {p} is on the trail"
                                    );
                                }
                            }
                            _ => assert!(
                                log.iter().filter(mine).any(|e| matches!(
                                    &e.event,
                                    AuditEvent::Read { what, peers: listed }
                                        if what == name && peers.iter().all(|p| listed.contains(p))
                                )),
                                "{who} {name}: the listing is on the trail"
                            ),
                        }
                    }
                }
                // Allowed, and failed for a reason of its own (a missing
                // id, an import into a full store, a stale revision).
                (Response::Error(_), true) => {}
                (other, true) => panic!("{who} {name}: unexpected {other:?}"),
            }
        }
    }
    assert_eq!(cases, Operation::ALL.len() * sessions().len());
    // The table refuses something to each of the three weaker sessions and
    // the samples return identified data for every identified read.
    let expected_refusals: usize = sessions()
        .iter()
        .map(|(who, role, _)| {
            Operation::ALL
                .iter()
                .filter(|op| !may(who, *role, **op))
                .count()
        })
        .sum();
    assert_eq!(refused, expected_refusals);
    assert!(
        expected_refusals > Operation::ALL.len(),
        "{expected_refusals}"
    );
    let identified = Operation::ALL
        .iter()
        .filter(|op| op.identified() != Identified::No)
        .count();
    assert!(
        reads_audited >= identified * 2,
        "{reads_audited} identified reads checked"
    );
    eprintln!(
        "{} operations x {} sessions = {cases} cases: {refused} refused, {reads_audited} identified reads checked",
        Operation::ALL.len(),
        sessions().len()
    );

    // Repeated views are coalesced: the specialist opened P1 through many
    // operations and again now; one entry.
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    for _ in 0..3 {
        assert!(matches!(
            pat.ask(&Request::Peer { id: PeerId::new(1) }),
            Response::Answer(Answer::Peer(_))
        ));
    }
    let views = auditor
        .audit()
        .into_iter()
        .filter(|e| {
            e.actor.staff == Some(SPECIALIST)
                && e.event
                    == AuditEvent::Viewed {
                        peer: PeerId::new(1),
                    }
        })
        .count();
    assert_eq!(views, 2, "one per session (the table's and this one)");
}

#[test]
fn the_acting_staff_member_is_the_sessions_and_crediting_another_needs_the_permission() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    // A peer specialist cannot credit units of service to a colleague.
    let credit = Request::CreateCheckIn {
        checkin: checkin(1, SUPERVISOR, "not mine to credit"),
    };
    match pat.ask(&credit) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(
                reason.starts_with("staff: ")
                    && reason.contains("crediting work (a check-in, a referral)"),
                "{reason}"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(auditor
        .audit()
        .iter()
        .any(|e| e.actor.staff == Some(SPECIALIST)
            && matches!(&e.event, AuditEvent::Refused { operation, peer: Some(p), .. }
            if operation == "create_checkin" && *p == PeerId::new(1))));
    // A supervisor may, and that is on the trail.
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let Response::Answer(Answer::CreateCheckIn(c)) = sam.ask(&Request::CreateCheckIn {
        checkin: checkin(1, SPECIALIST, "group follow-up for Pat"),
    }) else {
        panic!("a supervisor credits a colleague")
    };
    assert_eq!(c.staff, SPECIALIST);
    assert_eq!(
        c.meta.created_by.staff,
        Some(SUPERVISOR),
        "the session acts"
    );
    assert!(auditor
        .audit()
        .iter()
        .any(|e| e.actor.staff == Some(SUPERVISOR)
            && e.event
                == AuditEvent::Credited {
                    checkin: c.id.to_string(),
                    peer: PeerId::new(1),
                    staff: SPECIALIST
                }));
    // Batches are bounded.
    let too_many = Request::CreateCheckIns {
        checkins: (0..=MAX_BATCH)
            .map(|_| checkin(1, SPECIALIST, "x"))
            .collect(),
    };
    match pat.ask(&too_many) {
        Response::Error(WireError::Refused(m)) => {
            assert!(m.contains("1001 records") && m.contains("1000"), "{m}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn voided_check_ins_are_kept_out_of_today_and_ordinary_staff_cannot_delete() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let pat = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let actor = Actor::login("x");
    let err = pat
        .delete_checkin(fx.checkin, &actor)
        .expect_err("no purge");
    assert!(
        err.to_string().contains("removing records for good"),
        "{err}"
    );
    let err = pat
        .void_checkin(fx.checkin, "  ".into(), &actor)
        .expect_err("a reason is needed");
    assert!(err.to_string().contains("reason"), "{err}");
    use caseload::model::today::Section;
    let today = caseload::ops::today::today_report(&pat, day(), None).expect("today");
    assert_eq!(today.count(Section::SeenToday), 1, "counted before");
    let report = caseload::ops::report::service_report(&pat, day(), day()).expect("report");
    assert_eq!(report.checkins, 1);
    let voided = pat
        .void_checkin(fx.checkin, "entered for the wrong peer".into(), &actor)
        .expect("void");
    let v = voided.voided.as_ref().expect("voided");
    assert_eq!(v.by.staff, Some(SPECIALIST));
    assert_eq!(v.reason, "entered for the wrong peer");
    // Kept: still readable, and a plain update cannot un-void it.
    let mut back = pat.checkin(fx.checkin).expect("kept");
    assert!(back.voided.is_some());
    back.voided = None;
    back.note = "edited".into();
    let saved = pat.update_checkin(&back, &actor).expect("update");
    assert!(saved.voided.is_some(), "the void state is the store's");
    assert!(pat
        .void_checkin(fx.checkin, "again".into(), &actor)
        .expect_err("once")
        .to_string()
        .contains("already voided"));
    let today = caseload::ops::today::today_report(&pat, day(), None).expect("today");
    assert_eq!(
        today.count(Section::SeenToday),
        0,
        "a voided check-in is not on Today"
    );
    let report = caseload::ops::report::service_report(&pat, day(), day()).expect("report");
    assert_eq!(report.checkins, 0, "nor counted as service");
    assert_eq!(report.minutes, 0);
}

#[test]
fn the_local_command_line_applies_the_same_table_and_audits_reads() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let as_ = |who: &str, pin: &str, args: &[&str]| {
        let mut c = cli(&dir);
        c.args(args)
            .env("CASELOAD_STAFF", who)
            .env("CASELOAD_PIN", pin);
        c
    };
    let out = tmp.path().join("x.json");
    as_("Pat Peer", SPECIALIST_PIN, &["export", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("exporting").and(predicate::str::contains(
                "is for supervisor and admin only; Pat Peer is a peer specialist",
            )),
        );
    assert!(!out.exists(), "nothing was written");
    as_("Pat Peer", SPECIALIST_PIN, &["peer", "list", "--json"])
        .assert()
        .success();
    as_("Pat Peer", SPECIALIST_PIN, &["goal", "list", "P1"])
        .assert()
        .success();
    let store = SledStore::open(&dir).expect("open");
    let log = store.audit(&AuditFilter::default()).expect("audit");
    let pat = |e: &&AuditEntry| e.actor.staff == Some(SPECIALIST);
    assert!(
        log.iter().filter(pat).any(|e| matches!(&e.event,
            AuditEvent::Refused { operation, .. } if operation == "export")),
        "the refused export is on the trail: {log:#?}"
    );
    assert!(
        log.iter().filter(pat).any(|e| matches!(&e.event,
            AuditEvent::Read { what, peers } if what == "list_peers" && peers.len() == 2)),
        "peer list --json is on the trail"
    );
    assert!(
        log.iter().filter(pat).any(|e| e.event
            == AuditEvent::Viewed {
                peer: PeerId::new(1)
            }),
        "goal list is on the trail"
    );
}

#[test]
fn the_kiosk_signs_one_peer_in_as_the_kiosk_and_leaves_only_with_a_staff_pin() {
    use caseload::model::KioskReply;
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let setup = Actor::login("setup");
        for (name, phone) in [("Dana Reyes", "555 010 1111"), ("Dana Kim", "555 010 2222")] {
            let mut p = Peer::new(name, day());
            p.phone = Some(phone.into());
            store.create_peer(p, &setup).expect("peer");
        }
    }
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    // A peer specialist may not start a kiosk.
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    match pat.ask(&Request::EnterKiosk {
        station: "desk".into(),
    }) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("starting the sign-in kiosk"), "{reason}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let kiosk = connect(&dir, KIOSK, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let sign_in = |typed: &str, digits: Option<&str>| match kiosk.ask(&Request::KioskSignIn {
        typed: typed.into(),
        phone_digits: digits.map(str::to_string),
    }) {
        Response::Answer(Answer::KioskSignIn(r)) => r,
        other => panic!("kiosk sign-in: {other:?}"),
    };
    assert_eq!(sign_in("ELI moss", None), KioskReply::SignedIn);
    assert_eq!(
        sign_in("dana", None),
        KioskReply::AskPhoneDigits,
        "three Danas"
    );
    assert_eq!(sign_in("dana", Some("2222")), KioskReply::SignedIn);
    assert_eq!(sign_in("dana", Some("9999")), KioskReply::NotFound);
    assert_eq!(sign_in("Nobody", None), KioskReply::NotFound);
    // What the kiosk recorded is on the trail as the kiosk, not as the
    // supervisor who started it.
    let log = auditor.audit();
    let visits: Vec<&AuditEntry> = log
        .iter()
        .filter(|e| {
            matches!(
                &e.event,
                AuditEvent::Created {
                    kind: caseload::store::ChangeKind::Visit,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(visits.len(), 2, "{log:#?}");
    for e in &visits {
        assert_eq!(e.actor.staff, None);
        assert!(e.actor.login.starts_with("kiosk"), "{}", e.actor.login);
    }
    assert!(visits.iter().any(|e| e.peers == vec![PeerId::new(2)]));
    assert!(visits.iter().any(|e| e.peers == vec![PeerId::new(4)]));
    // Nothing else: not the roster, not the settings, not a peer.
    for request in [
        Request::ListPeers {},
        Request::Settings {},
        Request::ListStaff {},
        Request::Peer { id: PeerId::new(1) },
        Request::VisitsOn { date: day() },
    ] {
        match kiosk.ask(&request) {
            Response::Error(WireError::Denied { reason, .. }) => {
                assert!(reason.contains("not for the sign-in kiosk"), "{reason}")
            }
            other => panic!("the kiosk got {other:?}"),
        }
    }
    // Signing in over the wire does not end the kiosk either.
    let answer = kiosk.ask(&Request::SignIn {
        staff: SUPERVISOR,
        pin: Pin(SUPERVISOR_PIN.into()),
    });
    assert!(matches!(answer, Response::SignedIn(_)), "{answer:?}");
    assert!(matches!(
        kiosk.ask(&Request::ListPeers {}),
        Response::Error(WireError::Denied { .. })
    ));
    // Leaving without a staff PIN is refused; with one, the session is
    // that staff member's.
    for wrong in ["", "leave kiosk", "0000"] {
        match kiosk.ask(&Request::LeaveKiosk {
            pin: Pin(wrong.into()),
        }) {
            Response::Error(WireError::Denied { reason, .. }) => {
                assert!(reason.contains("not a staff PIN"), "{reason}")
            }
            other => panic!("left with {wrong:?}: {other:?}"),
        }
    }
    match kiosk.ask(&Request::LeaveKiosk {
        pin: Pin(SPECIALIST_PIN.into()),
    }) {
        Response::Answer(Answer::LeaveKiosk(Some(s))) => assert_eq!(s.id, SPECIALIST),
        other => panic!("leaving with Pat's PIN: {other:?}"),
    }
    assert!(matches!(
        kiosk.ask(&Request::ListPeers {}),
        Response::Answer(Answer::ListPeers(_))
    ));
    let log = auditor.audit();
    assert!(log.iter().any(|e| e.event
        == AuditEvent::KioskLeft {
            staff: Some(SPECIALIST)
        }));
    assert!(log.iter().any(
        |e| matches!(&e.event, AuditEvent::KioskStarted { station } if station == "test desk")
    ));
}

#[test]
fn a_kiosk_that_reconnects_after_a_server_restart_is_still_only_a_kiosk() {
    use caseload::model::KioskReply;
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let mut server = ServerProcess::start(&dir);
    let sam = client(&dir, SUPERVISOR, SUPERVISOR_PIN);
    let actor = Actor::login("desk");
    sam.enter_kiosk("front desk".into(), &actor).expect("kiosk");
    assert!(sam.list_peers().is_err(), "a kiosk");
    server.kill();
    let _server = ServerProcess::start(&dir);
    // The connection comes back as the kiosk, not as Sam's session.
    let err = sam.list_peers().expect_err("still a kiosk");
    assert!(
        err.to_string().contains("not for the sign-in kiosk"),
        "{err}"
    );
    assert_eq!(
        sam.kiosk_sign_in("eli moss".into(), None, &actor)
            .expect("sign in"),
        KioskReply::SignedIn
    );
    // Leaving with a PIN makes it that staff member's session, also
    // after a later reconnection.
    sam.leave_kiosk(Pin(SPECIALIST_PIN.into()), &actor)
        .expect("left")
        .expect("a staff member");
    assert!(sam.list_peers().is_ok());
}
