//! `caseload peer show` through the service: one request for the whole
//! peer (`Store::peer_view`) and one synced audit write naming every peer
//! read, counted by the service itself (not timed); the new requests on
//! the wire as each kind of session.

mod server_support;

use caseload::model::{Actor, Goal, Group, GroupSession, LifeDomain, PeerId, Role, StaffId};
use caseload::server::protocol::{Answer, Request, Response, WireError};
use caseload::server::{ServeOptions, Server};
use caseload::store::api::MAX_BATCH;
use caseload::store::{AuditEntry, AuditEvent, SledStore, Store};
use chrono::NaiveDate;

use server_support::*;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 3).expect("date")
}

/// P1 assigned to the specialist, with a goal, two check-ins and a group
/// session attended with P2 (so a look at P1's record also shows P2's
/// attendance).
fn with_a_full_record(dir: &std::path::Path) {
    let store = SledStore::open(dir).expect("open");
    let setup = Actor::login("setup");
    let mut p1 = store.peer(PeerId::new(1)).expect("P1");
    p1.data.assigned_staff = Some(SPECIALIST);
    store.update_peer(&p1, &setup).expect("assign");
    store
        .create_goal(
            Goal::new(PeerId::new(1), LifeDomain::Housing, "Find a room", day()),
            &setup,
        )
        .expect("goal");
    for note in ["first talk", "second talk"] {
        store
            .create_checkin(checkin(1, SPECIALIST, note), &setup)
            .expect("check-in");
    }
    let gr = Group::new(
        "Tuesday WRAP",
        chrono::Weekday::Tue,
        chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time"),
    );
    let group = store.create_group(gr.clone(), &setup).expect("group");
    let mut s = GroupSession::for_group(group.id, &gr, day());
    s.attendees = vec![PeerId::new(1), PeerId::new(2)];
    store.create_session(s, &setup).expect("session");
}

fn started(dir: &std::path::Path) -> Server {
    Server::start(dir, &ServeOptions::default()).expect("server starts")
}

/// Runs the command line as the specialist; returns its standard output
/// and what it cost the service: requests read and syncs to disk.
fn as_specialist(server: &Server, dir: &std::path::Path, args: &[&str]) -> (String, u64, u64) {
    let (requests, syncs) = (server.requests_so_far(), server.syncs_so_far());
    let out = cli(dir)
        .args(args)
        .env("CASELOAD_STAFF", "Pat Peer")
        .env("CASELOAD_PIN", SPECIALIST_PIN)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        server.requests_so_far() - requests,
        server.syncs_so_far() - syncs,
    )
}

fn views_by(log: &[AuditEntry], staff: StaffId, peer: u64) -> usize {
    log.iter()
        .filter(|e| {
            e.actor.staff == Some(staff)
                && e.event
                    == AuditEvent::Viewed {
                        peer: PeerId::new(peer),
                    }
        })
        .count()
}

#[test]
fn peer_show_is_one_request_and_one_synced_audit_write_naming_every_peer_read() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    with_a_full_record(&dir);
    let server = started(&dir);
    // The same connection and sign-in, then one request: settings reads
    // nothing about peers, so it syncs only the sign-in.
    let (_, settings_requests, settings_syncs) = as_specialist(&server, &dir, &["settings"]);
    let (json, requests, syncs) = as_specialist(&server, &dir, &["peer", "show", "P1", "--json"]);
    assert_eq!(
        requests, settings_requests,
        "peer show asks one request after connecting, as settings does ({requests} against {settings_requests})"
    );
    assert_eq!(
        syncs,
        settings_syncs + 1,
        "one sync for everything peer show read ({syncs} against settings' {settings_syncs})"
    );
    // Everything read is on the trail: P1 opened, and P2, whose
    // attendance the session shows.
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let log = auditor.audit();
    assert_eq!(views_by(&log, SPECIALIST, 1), 1, "P1 opened once");
    assert_eq!(views_by(&log, SPECIALIST, 2), 1, "P2's attendance seen");
    // And the whole record came back, the staff member's PIN hash not.
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["peer"]["id"], "P1");
    assert_eq!(v["assigned"]["id"], "S3");
    assert_eq!(v["goals"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["recent_checkins"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["sessions"].as_array().map(Vec::len), Some(1));
    assert!(!json.contains("$argon2"), "no PIN hash: {json}");
    // By name it is found first, then read the same way.
    let (by_name, _, _) = as_specialist(&server, &dir, &["peer", "show", "Dana Ortiz", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&by_name).expect("json")["peer"]["id"],
        "P1"
    );
    // A peer who is not there is said so, and nothing is synced for it.
    let (requests, syncs) = (server.requests_so_far(), server.syncs_so_far());
    cli(&dir)
        .args(["peer", "show", "P99", "--json"])
        .env("CASELOAD_STAFF", "Pat Peer")
        .env("CASELOAD_PIN", SPECIALIST_PIN)
        .assert()
        .failure()
        .stderr(predicates::str::contains("P99"));
    assert!(server.requests_so_far() > requests);
    assert_eq!(
        server.syncs_so_far() - syncs,
        settings_syncs,
        "only the sign-in is synced"
    );
    drop(auditor);
    server.stop();
}

#[test]
fn peer_view_on_the_wire_is_allowed_to_staff_refused_otherwise_and_audited_once_per_session() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    with_a_full_record(&dir);
    let server = started(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let ask = Request::PeerView {
        id: PeerId::new(1),
        recent: 10,
    };
    for (staff, pin, role) in [
        (SPECIALIST, SPECIALIST_PIN, Role::PeerSpecialist),
        (SUPERVISOR, SUPERVISOR_PIN, Role::Supervisor),
        (ADMIN, ADMIN_PIN, Role::Admin),
    ] {
        let conn = Raw::open(&dir, Some((staff, pin)));
        let syncs = server.syncs_so_far();
        let (answer, frame) = conn.ask_raw(&ask);
        let Response::Answer(Answer::PeerView(view)) = answer else {
            panic!("{role:?}: {answer:?}");
        };
        assert_eq!(view.peer.id, PeerId::new(1));
        assert_eq!(view.sessions.len(), 1);
        let assigned = view.assigned.expect("assigned");
        assert_eq!(assigned.id, SPECIALIST);
        assert_ne!(
            assigned
                .pin_hash
                .as_deref()
                .map(|h| h.starts_with("$argon2")),
            Some(true),
            "{role:?}: no PIN hash"
        );
        assert!(
            !frame.windows(7).any(|w| w == b"$argon2"),
            "{role:?}: no PIN hash crossed the socket"
        );
        assert_eq!(server.syncs_so_far() - syncs, 1, "{role:?}: one sync");
        let log = auditor.audit();
        assert_eq!(views_by(&log, staff, 1), 1, "{role:?}: P1");
        assert_eq!(views_by(&log, staff, 2), 1, "{role:?}: P2");
        // Again on the same connection: coalesced, nothing written.
        let syncs = server.syncs_so_far();
        assert!(matches!(
            conn.ask(&ask),
            Response::Answer(Answer::PeerView(_))
        ));
        assert_eq!(server.syncs_so_far(), syncs, "{role:?}: coalesced");
        assert_eq!(views_by(&auditor.audit(), staff, 1), 1, "{role:?}");
    }
    // Not signed in, and the kiosk: refused, and the refusal is on the
    // trail; nothing about P1 is.
    let nobody = Raw::open(&dir, None);
    match nobody.ask(&ask) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("sign in first"), "{reason}")
        }
        other => panic!("not signed in: {other:?}"),
    }
    let kiosk = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    assert!(matches!(
        kiosk.ask(&Request::EnterKiosk {
            station: "desk".into()
        }),
        Response::Answer(_)
    ));
    match kiosk.ask(&ask) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("not for the sign-in kiosk"), "{reason}")
        }
        other => panic!("kiosk: {other:?}"),
    }
    let log = auditor.audit();
    let refusals = log
        .iter()
        .filter(|e| matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "peer_view"))
        .count();
    assert_eq!(refusals, 2, "both refusals on the trail");
    assert!(
        !log.iter()
            .any(|e| e.actor.staff.is_none() && matches!(e.event, AuditEvent::Viewed { .. })),
        "no view without a staff member"
    );
    drop((auditor, nobody, kiosk));
    server.stop();
}

#[test]
fn record_events_takes_only_views_in_one_sync_and_refuses_the_rest_on_the_trail() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = started(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let views = |peers: &[u64]| Request::RecordEvents {
        events: peers
            .iter()
            .map(|p| AuditEvent::Viewed {
                peer: PeerId::new(*p),
            })
            .collect(),
    };
    let syncs = server.syncs_so_far();
    assert!(matches!(
        pat.ask(&views(&[1, 2, 1])),
        Response::Answer(Answer::RecordEvents(()))
    ));
    assert_eq!(server.syncs_so_far() - syncs, 1, "two views, one sync");
    let log = auditor.audit();
    assert_eq!(views_by(&log, SPECIALIST, 1), 1);
    assert_eq!(views_by(&log, SPECIALIST, 2), 1);
    // Anything but a view is refused whole, on the trail, nothing written.
    let before = auditor.audit().len();
    let mixed = Request::RecordEvents {
        events: vec![
            AuditEvent::Viewed {
                peer: PeerId::new(2),
            },
            AuditEvent::SignedIn { staff: ADMIN },
        ],
    };
    match pat.ask(&mixed) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("views of peers' records only"), "{reason}")
        }
        other => panic!("a forged sign-in in a batch: {other:?}"),
    }
    let log = auditor.audit();
    assert_eq!(log.len(), before + 1, "only the refusal: {:?}", log.first());
    assert!(matches!(
        &log[0].event,
        AuditEvent::Refused { operation, .. } if operation == "record_events"
    ));
    assert!(!log
        .iter()
        .any(|e| e.event == AuditEvent::SignedIn { staff: ADMIN }
            && e.actor.staff == Some(SPECIALIST)));
    // A batch over the bound is refused before anything is read or written.
    let many: Vec<u64> = (1..=(MAX_BATCH as u64 + 1)).collect();
    match pat.ask(&views(&many)) {
        Response::Error(WireError::Refused(reason)) => {
            assert!(reason.contains("record_events"), "{reason}")
        }
        other => panic!("an oversized batch: {other:?}"),
    }
    // Not signed in: refused.
    let nobody = Raw::open(&dir, None);
    assert!(matches!(
        nobody.ask(&views(&[1])),
        Response::Error(WireError::Denied { .. })
    ));
    drop((auditor, pat, nobody));
    server.stop();
}

#[test]
fn peers_by_id_on_the_wire_gives_staff_only_the_peers_named_and_records_them() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = started(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    // P2 and an id that is no peer's: only P2 comes back, and only P2
    // is on the trail (not the roster).
    let ask = Request::PeersById {
        ids: vec![PeerId::new(2), PeerId::new(99)],
    };
    let reads_by = |log: &[AuditEntry], staff: StaffId| -> Vec<Vec<PeerId>> {
        log.iter()
            .filter(|e| e.actor.staff == Some(staff))
            .filter_map(|e| match &e.event {
                AuditEvent::Read { what, peers } if what == "peers_by_id" => Some(peers.clone()),
                _ => None,
            })
            .collect()
    };
    for (staff, pin, role) in [
        (SPECIALIST, SPECIALIST_PIN, Role::PeerSpecialist),
        (SUPERVISOR, SUPERVISOR_PIN, Role::Supervisor),
        (ADMIN, ADMIN_PIN, Role::Admin),
    ] {
        let conn = Raw::open(&dir, Some((staff, pin)));
        let Response::Answer(Answer::PeersById(peers)) = conn.ask(&ask) else {
            panic!("{role:?}");
        };
        let ids: Vec<PeerId> = peers.iter().map(|p| p.id).collect();
        assert_eq!(ids, [PeerId::new(2)], "{role:?}");
        assert_eq!(
            reads_by(&auditor.audit(), staff),
            [vec![PeerId::new(2)]],
            "{role:?}: the read names P2 alone"
        );
        // More than a batch at once: refused, naming the limit.
        let many: Vec<PeerId> = (1..=(MAX_BATCH as u64 + 1)).map(PeerId::new).collect();
        match conn.ask(&Request::PeersById { ids: many }) {
            Response::Error(e) => assert!(format!("{e:?}").contains("1000"), "{role:?}: {e:?}"),
            other => panic!("{role:?}: too many answered {other:?}"),
        }
    }
    // Not signed in, and the kiosk: refused, and the refusals are on the
    // trail.
    let nobody = Raw::open(&dir, None);
    match nobody.ask(&ask) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("sign in first"), "{reason}")
        }
        other => panic!("not signed in: {other:?}"),
    }
    let kiosk = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    assert!(matches!(
        kiosk.ask(&Request::EnterKiosk {
            station: "desk".into()
        }),
        Response::Answer(_)
    ));
    match kiosk.ask(&ask) {
        Response::Error(WireError::Denied { reason, .. }) => {
            assert!(reason.contains("not for the sign-in kiosk"), "{reason}")
        }
        other => panic!("kiosk: {other:?}"),
    }
    let refusals = auditor
        .audit()
        .iter()
        .filter(|e| matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == "peers_by_id"))
        .count();
    assert_eq!(refusals, 2, "both refusals on the trail");
    drop((auditor, nobody, kiosk));
    server.stop();
}
