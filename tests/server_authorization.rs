//! The permission table, enforced where the data is served: every
//! operation of the store's declaration (`Operation::ALL`), spoken as raw
//! frames over the server's socket (no `RemoteStore`), as each role and
//! without signing in. Each is allowed or refused exactly as the table
//! says; every refusal and every identified read is on the audit trail
//! (and repeated views are coalesced). The local command line applies the
//! same table.

mod server_support;

use std::os::unix::net::UnixStream;
use std::time::Duration;

use caseload::model::{
    Actor, CheckInId, Goal, GoalId, Group, GroupId, GroupSession, LifeDomain, Peer, PeerId, Role,
    SessionId, Staff, StaffId,
};
use caseload::server::protocol::{
    decode, encode, read_frame, write_frame, Answer, Hello, HelloReply, Pin, Request, Response,
    WireError, MAX_RESPONSE_BYTES,
};
use caseload::server::socket_path;
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
    Fixtures {
        goal,
        checkin,
        group: group_rec.id,
        session,
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
        Operation::RecordEvent => Request::RecordEvent {
            event: AuditEvent::Viewed {
                peer: PeerId::new(2),
            },
        },
        Operation::Audit => Request::Audit {
            filter: AuditFilter::default(),
        },
    }
}

/// A raw connection: hello, and a sign-in when given a PIN.
struct Raw(UnixStream);

impl Raw {
    fn open(dir: &std::path::Path, sign_in: Option<(StaffId, &str)>) -> Raw {
        let s = UnixStream::connect(socket_path(dir)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write_frame(&s, &encode(&Hello::ours()).expect("encode")).expect("hello");
        let mut r = &s;
        let reply: HelloReply =
            decode(&read_frame(&mut r, 1 << 20).expect("reply")).expect("hello reply");
        assert!(reply.accepted, "{}", reply.message);
        let raw = Raw(s);
        if let Some((staff, pin)) = sign_in {
            let answer = raw.ask(&Request::SignIn {
                staff,
                pin: Pin(pin.into()),
            });
            assert!(matches!(answer, Response::SignedIn(_)), "{answer:?}");
        }
        raw
    }

    fn ask(&self, request: &Request) -> Response {
        write_frame(&self.0, &encode(request).expect("encode")).expect("send");
        let mut r = &self.0;
        decode(&read_frame(&mut r, MAX_RESPONSE_BYTES).expect("answer")).expect("decode")
    }

    fn audit(&self) -> Vec<AuditEntry> {
        match self.ask(&Request::Audit {
            filter: AuditFilter::default(),
        }) {
            Response::Answer(Answer::Audit(log)) => log,
            other => panic!("audit: {other:?}"),
        }
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
    ]
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
        let conn = Raw::open(&dir, creds);
        let staff = creds.map(|c| c.0);
        for (op, request) in &requests {
            assert_eq!(request.operation(), Some(*op), "the sample asks for {op:?}");
            cases += 1;
            let allowed = match role {
                Some(r) => op.permission().allows(r),
                None => op.permission().before_sign_in(),
            };
            let before = auditor.audit().first().map(|e| e.seq).unwrap_or(0);
            let answer = conn.ask(request);
            let name = op.name();
            match (&answer, allowed) {
                (Response::Error(WireError::Denied { reason, .. }), false) => {
                    // A clear refusal: what, and which roles may.
                    if role.is_some() {
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
    assert_eq!(cases, Operation::ALL.len() * 4);
    // The table refuses something to each of the three weaker sessions and
    // the samples return identified data for every identified read.
    let expected_refusals: usize = sessions()
        .iter()
        .map(|(_, role, _)| {
            Operation::ALL
                .iter()
                .filter(|op| match role {
                    Some(r) => !op.permission().allows(*r),
                    None => !op.permission().before_sign_in(),
                })
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
        "{} operations x 4 sessions = {cases} cases: {refused} refused, {reads_audited} identified reads checked",
        Operation::ALL.len()
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
            assert!(reason.contains("crediting a check-in"), "{reason}")
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
