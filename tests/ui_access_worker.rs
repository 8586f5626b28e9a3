//! The worker's access requests against a real store: who may sign in,
//! PIN checks with one throttle (time moved by hand), the audit entry
//! written before a peer's record is loaded, the audit browser's role
//! check and filters, and change notices forwarded within a second.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use caseload::model::{Actor, Peer, PeerId, Role, Staff, StaffId};
use caseload::ops::auth::{set_pin, Clock, Throttle, FIRST_WAIT, FREE_TRIES};
use caseload::ops::{local_now, os_login};
use caseload::store::{AuditEvent, AuditFilter, ChangeKind, SledStore, Store};
use caseload::ui::worker::{
    handle, handle_in, AuditQuery, Request, Response, Secret, Worker, WorkerState,
};

struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl ManualClock {
    fn advance(&self, by: Duration) {
        *self.offset.lock().expect("clock") += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().expect("clock")
    }
}

/// Ana (admin, PIN 2468), Ben (supervisor, PIN 1357), Cy (peer
/// specialist, PIN 9753, mapped to this OS login), and one peer.
fn store() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SledStore::open(&dir.path().join("store")).expect("open");
    let setup = Actor::login("setup");
    for (name, role, pin, login) in [
        ("Ana Ruiz", Role::Admin, "2468", None),
        ("Ben Okafor", Role::Supervisor, "1357", None),
        ("Cy Lund", Role::PeerSpecialist, "9753", Some(os_login())),
    ] {
        let mut s = Staff::new(name, role);
        s.login = login;
        let rec = store.create_staff(s, &setup).expect("staff");
        set_pin(&store, &setup, rec.id, pin).expect("PIN");
    }
    store
        .create_peer(Peer::new("Dana Ortiz", local_now().date_naive()), &setup)
        .expect("peer");
    (dir, store)
}

fn sign_in(state: &WorkerState, store: &dyn Store, staff: u64, pin: &str) -> Response {
    handle_in(
        state,
        store,
        Request::SignIn {
            staff: StaffId::new(staff),
            pin: Secret::new(pin.into()),
        },
    )
}

#[test]
fn access_info_says_pins_are_needed_and_who_this_login_is() {
    let (_dir, store) = store();
    let Response::Access(Ok(info)) = handle(&store, Request::Access { staff: None }) else {
        panic!("access info");
    };
    assert!(info.required);
    let names: Vec<&str> = info.staff.iter().map(|c| c.staff.name.as_str()).collect();
    assert_eq!(names, ["Ana Ruiz", "Ben Okafor", "Cy Lund"]);
    assert!(info.staff.iter().all(|c| c.has_pin));
    assert_eq!(
        info.preselect,
        Some(StaffId::new(3)),
        "the OS login's account"
    );
    // --staff wins over the login; a name that matches nobody is said.
    let Response::Access(Ok(info)) = handle(
        &store,
        Request::Access {
            staff: Some("Ben".into()),
        },
    ) else {
        panic!()
    };
    assert_eq!(info.preselect, Some(StaffId::new(2)));
    let Response::Access(Ok(info)) = handle(
        &store,
        Request::Access {
            staff: Some("Zed".into()),
        },
    ) else {
        panic!()
    };
    assert_eq!(info.preselect, None);
    assert!(info.preselect_problem.is_some_and(|p| p.contains("Zed")));
}

#[test]
fn pins_are_checked_throttled_and_audited() {
    let (_dir, store) = store();
    let clock = Arc::new(ManualClock {
        start: Instant::now(),
        offset: Mutex::new(Duration::ZERO),
    });
    let state = WorkerState {
        throttle: Throttle::new(clock.clone()),
        login: "kiosk".into(),
    };
    for _ in 0..FREE_TRIES {
        let Response::SignedIn { result: Err(r), .. } = sign_in(&state, &store, 2, "0000") else {
            panic!("a wrong PIN is refused");
        };
        assert_eq!(r.message, "Wrong PIN. Try again.");
        assert_eq!(r.retry_after, None);
    }
    // Now even the right PIN waits, and the wait is told.
    let Response::SignedIn { result: Err(r), .. } = sign_in(&state, &store, 2, "1357") else {
        panic!("throttled");
    };
    assert_eq!(r.retry_after, Some(FIRST_WAIT));
    assert_eq!(r.message, "Too many wrong PINs. Try again in 5 s.");
    assert!(!r.message.contains("1357"));
    clock.advance(FIRST_WAIT);
    assert!(matches!(
        sign_in(&state, &store, 2, "1357"),
        Response::SignedIn { result: Ok(()), staff } if staff == StaffId::new(2)
    ));
    let log = store.audit(&AuditFilter::default()).expect("audit");
    assert_eq!(
        log[0].event,
        AuditEvent::SignedIn {
            staff: StaffId::new(2)
        }
    );
    assert_eq!(log[0].actor, Actor::staff(StaffId::new(2), "kiosk"));
    // Coalesced: one entry per staff member and login per minute, with a
    // count; the sign-in wrote the pending tally first.
    let refused: u32 = log.iter().map(|e| e.event.failed_sign_ins()).sum();
    assert_eq!(refused, FREE_TRIES + 1, "{log:?}");
    assert!(log.iter().filter(|e| e.event.failed_sign_ins() > 0).count() <= 2);
}

#[test]
fn opening_a_peer_records_the_viewing_with_who_did_it() {
    let (_dir, store) = store();
    let actor = Actor::staff(StaffId::new(3), "cy");
    let response = handle(
        &store,
        Request::OpenPeer {
            id: PeerId::new(1),
            actor: actor.clone(),
        },
    );
    let Response::Peer(id, Ok(detail)) = response else {
        panic!("the record loads once recorded");
    };
    assert_eq!(id, PeerId::new(1));
    assert_eq!(detail.overview.peer.display_name, "Dana Ortiz");
    let log = store
        .audit(&AuditFilter {
            peer: Some(PeerId::new(1)),
            ..AuditFilter::default()
        })
        .expect("audit");
    assert_eq!(
        log[0].event,
        AuditEvent::Viewed {
            peer: PeerId::new(1)
        }
    );
    assert_eq!(log[0].actor, actor);
    // A reload of the open page records nothing new.
    let before = store.audit(&AuditFilter::default()).expect("audit").len();
    assert!(matches!(
        handle(&store, Request::Peer(PeerId::new(1))),
        Response::Peer(_, Ok(_))
    ));
    assert_eq!(
        store.audit(&AuditFilter::default()).expect("audit").len(),
        before
    );
}

fn audit(store: &dyn Store, viewer: u64, query: AuditQuery) -> Response {
    handle(
        store,
        Request::Audit {
            query,
            viewer: Some(StaffId::new(viewer)),
            now: local_now(),
        },
    )
}

#[test]
fn the_audit_trail_is_read_only_by_supervisors_and_admins_with_filters() {
    let (_dir, store) = store();
    let cy = Actor::staff(StaffId::new(3), "cy");
    handle(
        &store,
        Request::OpenPeer {
            id: PeerId::new(1),
            actor: cy,
        },
    );
    // Cy is a peer specialist.
    let Response::Audit(Err(e)) = audit(&store, 3, AuditQuery::default()) else {
        panic!("refused");
    };
    assert_eq!(e, "only supervisors and admins can read the audit log");
    let Response::Audit(Err(_)) = handle(
        &store,
        Request::Audit {
            query: AuditQuery::default(),
            viewer: None,
            now: local_now(),
        },
    ) else {
        panic!("nobody named, nothing read");
    };
    // Ben is a supervisor: everything, newest first.
    let Response::Audit(Ok(page)) = audit(&store, 2, AuditQuery::default()) else {
        panic!("allowed");
    };
    assert!(page.entries.len() >= 8, "{}", page.entries.len());
    assert!(page
        .entries
        .windows(2)
        .all(|w| (w[0].at, w[0].seq) >= (w[1].at, w[1].seq)));
    assert_eq!(page.understood, "everything");
    // One peer, by name.
    let Response::Audit(Ok(page)) = audit(
        &store,
        2,
        AuditQuery {
            peer: "dana".into(),
            ..AuditQuery::default()
        },
    ) else {
        panic!("by peer");
    };
    assert_eq!(page.understood, "peer P1");
    assert_eq!(page.entries.len(), 2, "created and opened");
    assert_eq!(
        page.entries[0].event,
        AuditEvent::Viewed {
            peer: PeerId::new(1)
        }
    );
    assert!(matches!(
        page.entries[1].event,
        AuditEvent::Created {
            kind: ChangeKind::Peer,
            ..
        }
    ));
    // One staff member, from today.
    let Response::Audit(Ok(page)) = audit(
        &store,
        1,
        AuditQuery {
            staff: "cy".into(),
            since: "today".into(),
            ..AuditQuery::default()
        },
    ) else {
        panic!("by staff");
    };
    assert!(
        page.understood.starts_with("staff S3"),
        "{}",
        page.understood
    );
    assert!(!page.entries.is_empty());
    assert!(page
        .entries
        .iter()
        .all(|e| e.actor.staff == Some(StaffId::new(3))
            || matches!(&e.event, AuditEvent::Created { kind: ChangeKind::Staff, id, .. }
                | AuditEvent::Updated { kind: ChangeKind::Staff, id, .. } if id == "S3")));
    // Tomorrow on: nothing.
    let Response::Audit(Ok(page)) = audit(
        &store,
        1,
        AuditQuery {
            since: "tomorrow".into(),
            ..AuditQuery::default()
        },
    ) else {
        panic!("since");
    };
    assert!(page.entries.is_empty());
    let Response::Audit(Err(e)) = audit(
        &store,
        1,
        AuditQuery {
            since: "whenever".into(),
            ..AuditQuery::default()
        },
    ) else {
        panic!("a bad date is said");
    };
    assert!(e.contains("whenever"), "{e}");
}

#[test]
fn the_running_worker_forwards_change_notices_within_a_second() {
    let (_dir, store) = store();
    let store: Arc<dyn Store> = Arc::new(store);
    let (tx, rx) = std::sync::mpsc::channel::<Response>();
    let worker =
        Worker::spawn(Arc::clone(&store), move |r| tx.send(r).is_ok(), |_| {}).expect("spawn");
    assert!(worker.send(Request::Subscribe));
    let answer = rx.recv_timeout(Duration::from_secs(5)).expect("answer");
    assert!(matches!(answer, Response::Subscribed(true)), "{answer:?}");
    // Another session's save (here: straight into the store).
    let saved = store
        .create_peer(
            Peer::new("Eli Park", local_now().date_naive()),
            &Actor::login("elsewhere"),
        )
        .expect("peer");
    let started = Instant::now();
    let notice = rx
        .recv_timeout(Duration::from_secs(1))
        .expect("a notice within a second");
    assert!(started.elapsed() < Duration::from_secs(1));
    match notice {
        Response::Change(c) => {
            assert_eq!(c.kind, ChangeKind::Peer);
            assert_eq!(c.id, saved.id.to_string());
        }
        other => panic!("{other:?}"),
    }
    worker.finish();
}

/// Staff without PINs: `mapped` (0-based) is this OS login's account.
fn store_without_pins(names: &[&str], mapped: Option<usize>) -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SledStore::open(&dir.path().join("store")).expect("open");
    let setup = Actor::login("setup");
    for (i, name) in names.iter().enumerate() {
        let mut s = Staff::new(*name, Role::PeerSpecialist);
        if mapped == Some(i) {
            s.login = Some(os_login());
        }
        store.create_staff(s, &setup).expect("staff");
    }
    (dir, store)
}

/// Access's `opening`, checked against what Init answers when asked with
/// the same staff text: the app uses the one instead of the other.
fn opening_matches_init(store: &dyn Store, staff: Option<&str>) -> caseload::ui::worker::Opening {
    let Response::Access(Ok(info)) = handle(
        store,
        Request::Access {
            staff: staff.map(str::to_string),
        },
    ) else {
        panic!("access info");
    };
    assert!(info.opens_at_once(), "{info:?}");
    let opening = info.opening.clone().expect("worked out with Access");
    let Response::Ready {
        location,
        organization,
        staff,
        staff_list,
    } = handle(
        store,
        Request::Init {
            staff: opening.named.clone(),
        },
    )
    else {
        panic!("ready");
    };
    assert_eq!(opening.staff, staff);
    assert_eq!(opening.staff_list, staff_list);
    assert_eq!(info.location, location);
    assert_eq!(info.organization, organization);
    opening
}

#[test]
fn access_answers_what_init_would_for_a_session_that_opens_at_once() {
    // The OS login's account, preselected: Init is asked with its id.
    let (_dir, store) = store_without_pins(&["Ana Ruiz", "Cy Lund"], Some(1));
    let opening = opening_matches_init(&store, None);
    assert_eq!(opening.named.as_deref(), Some("S2"));
    assert_eq!(
        opening.staff.as_ref().map(|s| s.name.as_str()),
        Ok("Cy Lund")
    );
    assert_eq!(opening.staff_list.len(), 2);
    // `--staff` names someone else: they are preselected and working.
    let opening = opening_matches_init(&store, Some("AR"));
    assert_eq!(opening.named.as_deref(), Some("S1"));
    assert_eq!(
        opening.staff.as_ref().map(|s| s.name.as_str()),
        Ok("Ana Ruiz")
    );

    // No staff yet (the first-run set-up): nobody, and why.
    let (_empty_dir, empty) = store_without_pins(&[], None);
    let opening = opening_matches_init(&empty, None);
    assert_eq!(opening.named, None);
    assert_eq!(opening.staff, Err("no staff yet; S adds staff".to_string()));
    // `--staff` naming nobody on an empty store: Init's own refusal.
    let opening = opening_matches_init(&empty, Some("Zed"));
    assert_eq!(opening.named.as_deref(), Some("Zed"));
    assert!(opening.staff.is_err());
}

#[test]
fn access_works_out_no_session_where_someone_must_sign_in_or_choose() {
    // PINs: everyone signs in first, and Init is asked after.
    let (_dir, store) = store();
    let Response::Access(Ok(info)) = handle(&store, Request::Access { staff: None }) else {
        panic!("access info");
    };
    assert!(!info.opens_at_once());
    assert_eq!(info.opening, None);
    // No PINs, but two staff and neither is this login's: the name step.
    let (_dir2, store) = store_without_pins(&["Ana Ruiz", "Cy Lund"], None);
    let Response::Access(Ok(info)) = handle(&store, Request::Access { staff: None }) else {
        panic!("access info");
    };
    assert!(!info.required);
    assert!(!info.opens_at_once());
    assert_eq!(info.opening, None);
}
