//! Several sessions at once through a real `caseload serve` process:
//! concurrent writes, conflicts, change notices, clients that die, a
//! server that restarts, and the command line going through the server.

mod server_support;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::Duration;

use caseload::model::{PeerId, Record};
use caseload::server::protocol::{encode, write_frame, Hello, Request};
use caseload::server::socket_path;
use caseload::store::{AuditFilter, ChangeKind, SledStore, Store, StoreError};
use predicates::prelude::*;

use server_support::*;

/// Every check-in the session may see: page by page for supervisors and
/// admins; a peer specialist may not list every note of the organization
/// (refused), so reads the test's two peers' check-ins peer by peer.
fn all_checkins(store: &dyn Store) -> Vec<Record<caseload::model::CheckIn>> {
    match store.checkins_page(None, 10_000) {
        Ok(all) => all,
        Err(StoreError::Denied { reason, .. }) => {
            assert!(reason.contains("listing every check-in note"), "{reason}");
            let from = chrono::DateTime::<chrono::Utc>::MIN_UTC;
            let to = chrono::DateTime::<chrono::Utc>::MAX_UTC;
            let mut all: Vec<_> = [1, 2]
                .into_iter()
                .flat_map(|p| {
                    store
                        .checkins_for_peer_between(PeerId::new(p), from, to)
                        .expect("a peer's check-ins")
                })
                .collect();
            all.sort_by_key(|c| c.id);
            all
        }
        Err(e) => panic!("page: {e:?}"),
    }
}

#[test]
fn concurrent_checkins_from_two_clients_are_all_kept_and_seen_by_both() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let a = Arc::new(client(&dir, SPECIALIST, SPECIALIST_PIN));
    let b = Arc::new(client(&dir, SUPERVISOR, SUPERVISOR_PIN));
    const EACH: usize = 40;
    let writers: Vec<_> = [
        (Arc::clone(&a), SPECIALIST, 1),
        (Arc::clone(&b), SUPERVISOR, 2),
    ]
    .into_iter()
    .map(|(store, staff, peer)| {
        std::thread::spawn(move || {
            for i in 0..EACH {
                let note = format!("from {staff} #{i}");
                let actor = caseload::model::Actor::staff(staff, "test");
                store
                    .create_checkin(checkin(peer, staff, &note), &actor)
                    .expect("check-in saved");
            }
        })
    })
    .collect();
    for w in writers {
        w.join().expect("writer thread");
    }
    for store in [&a, &b] {
        let all = all_checkins(&**store);
        assert_eq!(all.len(), 2 * EACH, "every check-in is visible to both");
        let mut ids: Vec<_> = all.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 2 * EACH, "ids are unique");
        assert_eq!(store.counts().expect("counts").checkins, (2 * EACH) as u64);
    }
    // The server stamped each with the signed-in staff member.
    let by_b = all_checkins(&*a)
        .into_iter()
        .filter(|c| c.meta.created_by.staff == Some(SUPERVISOR))
        .count();
    assert_eq!(by_b, EACH);
}

#[test]
fn a_conflicting_edit_is_refused_with_the_store_message_and_the_callers_text_kept() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let a = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let b = client(&dir, ADMIN, ADMIN_PIN);
    let actor = caseload::model::Actor::login("test");
    let mut mine = a.peer(PeerId::new(1)).expect("peer");
    let mut theirs = b.peer(PeerId::new(1)).expect("peer");
    theirs.notes = "saved first".into();
    b.update_peer(&theirs, &actor).expect("first save");
    mine.notes = "a long note I typed while someone else saved".into();
    let err = a
        .update_peer(&mine, &actor)
        .expect_err("second save refused");
    match &err {
        StoreError::Conflict {
            noun,
            id,
            expected,
            actual,
            by,
        } => {
            assert_eq!(
                (*noun, id.as_str(), *expected, *actual),
                ("peer", "P1", 1, 2)
            );
            assert!(by.starts_with("S1"), "names who saved: {by}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!("peer P1 was changed by {} since you opened it (your revision 1, now 2); reload it and apply your change again", b.peer(PeerId::new(1)).expect("peer").meta.updated_by)
    );
    assert_eq!(
        mine.notes, "a long note I typed while someone else saved",
        "the refused text is still the caller's to apply again"
    );
    assert_eq!(a.peer(PeerId::new(1)).expect("peer").notes, "saved first");
}

#[test]
fn change_notices_reach_the_other_session_within_a_second() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let a = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let b = client(&dir, SUPERVISOR, SUPERVISOR_PIN);
    let notices = b.subscribe().expect("remote stores give notices");
    let actor = caseload::model::Actor::login("test");
    let c = a
        .create_checkin(checkin(1, SPECIALIST, "hello"), &actor)
        .expect("saved");
    let change = notices
        .recv_timeout(Duration::from_secs(1))
        .expect("a notice within a second of the change");
    let id = c.id.to_string();
    assert_eq!(change.kind, ChangeKind::CheckIn);
    assert_eq!(change.id, id);
    let mut peer = a.peer(PeerId::new(2)).expect("peer");
    peer.notes = "x".into();
    a.update_peer(&peer, &actor).expect("saved");
    let got = eventually(Duration::from_secs(1), || {
        notices
            .try_recv()
            .ok()
            .filter(|c| c.kind == ChangeKind::Peer && c.id == "P2")
    });
    assert!(
        got.is_some(),
        "the peer change was announced within a second"
    );
}

#[test]
fn a_client_that_dies_mid_request_leaves_nothing_half_written_and_the_server_serving() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let a = client(&dir, ADMIN, ADMIN_PIN);
    let before = a.counts().expect("counts");
    let audit_before = a.audit(&AuditFilter::default()).expect("audit").len();

    // A raw client says hello, then sends half of a check-in and vanishes.
    let sock = UnixStream::connect(socket_path(&dir)).expect("connect");
    write_frame(&sock, &encode(&Hello::ours()).expect("hello")).expect("send hello");
    let request = Request::CreateCheckIn {
        checkin: checkin(1, ADMIN, "never finished"),
    };
    let body = encode(&request).expect("encode");
    let mut half = (body.len() as u32).to_be_bytes().to_vec();
    half.extend_from_slice(&body[..body.len() / 2]);
    (&sock).write_all(&half).expect("half a request");
    drop(sock);

    // Real processes killed while they write through the server: a shell
    // loop of `caseload log`, killed with its whole process group.
    let script = format!(
        "while true; do '{}' --data-dir '{}' log P1 --minutes 15 --note loop || exit 1; done",
        env!("CARGO_BIN_EXE_caseload"),
        dir.display()
    );
    let mut child = {
        use std::os::unix::process::CommandExt;
        std::process::Command::new("sh")
            .args(["-c", &script])
            .env("CASELOAD_STAFF", "Ana Admin")
            .env("CASELOAD_PIN", ADMIN_PIN)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .spawn()
            .expect("spawn")
    };
    let wrote = eventually(Duration::from_secs(20), || {
        (a.counts().expect("counts").checkins >= 3).then_some(())
    });
    assert!(wrote.is_some(), "the loop wrote through the server");
    let pgid = child.id() as i32;
    // SAFETY: signalling the process group this test created.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
    let _ = child.wait();

    // The server still answers, and what it holds is whole: every check-in
    // decodes and points at a peer that exists, and the counts agree.
    let after = a.counts().expect("server still serving");
    let checkins = all_checkins(&a);
    assert_eq!(checkins.len() as u64, after.checkins);
    assert!(checkins.iter().all(|c| c.note != "never finished"));
    for c in &checkins {
        a.peer(c.peer).expect("every check-in's peer exists");
    }
    assert_eq!(a.list_peers().expect("peers").len() as u64, after.peers);
    assert!(after.peers >= before.peers);
    let audit_after = a.audit(&AuditFilter::default()).expect("audit");
    // Each check-in and its audit entry were written together: exactly one
    // "created" entry per check-in on record, none for one that is not.
    let created: Vec<String> = audit_after
        .iter()
        .filter_map(|e| match &e.event {
            caseload::store::AuditEvent::Created {
                kind: ChangeKind::CheckIn,
                id,
                ..
            } => Some(id.clone()),
            _ => None,
        })
        .collect();
    let mut on_record: Vec<String> = checkins.iter().map(|c| c.id.to_string()).collect();
    let mut audited = created.clone();
    on_record.sort();
    audited.sort();
    assert_eq!(audited, on_record);
    assert!(audit_after.len() >= audit_before);
    assert!(
        !audit_after.iter().any(|e| e.actor.login == "dying"),
        "the half request left no trace"
    );
}

#[test]
fn clients_reconnect_after_a_server_restart_or_say_clearly_that_it_is_gone() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let mut server = ServerProcess::start(&dir);
    let a = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let notices = a.subscribe().expect("notices");
    assert_eq!(a.list_peers().expect("peers").len(), 2);

    server.kill();
    let err = a.list_peers().expect_err("no server");
    let msg = err.to_string();
    assert!(
        msg.contains("lost the connection to the caseload server at")
            && msg.contains("caseload.sock"),
        "{msg}"
    );
    let actor = caseload::model::Actor::login("test");
    let err = a
        .create_checkin(checkin(1, SPECIALIST, "while down"), &actor)
        .expect_err("no server");
    assert!(err.to_string().contains("lost the connection"), "{err}");

    let _server = ServerProcess::start(&dir);
    // The same client object works again, signed in again by itself.
    let c = a
        .create_checkin(checkin(1, SPECIALIST, "after restart"), &actor)
        .expect("reconnected");
    assert_eq!(c.meta.created_by.staff, Some(SPECIALIST), "signed in again");
    assert_eq!(a.list_peers().expect("peers").len(), 2);
    // The subscription comes back and says to reload everything.
    let everything = eventually(Duration::from_secs(5), || {
        notices
            .try_recv()
            .ok()
            .filter(|c| c.kind == ChangeKind::Everything)
    });
    assert!(
        everything.is_some(),
        "subscribers are told to reload after a restart"
    );
}

#[test]
fn cli_commands_go_through_a_running_server_without_lock_errors() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let ok = |args: &[&str]| {
        cli(&dir)
            .args(args)
            .env("CASELOAD_STAFF", "Pat Peer")
            .env("CASELOAD_PIN", SPECIALIST_PIN)
            .assert()
            .success()
            .stderr(predicate::str::contains("in use").not())
            .get_output()
            .stdout
            .clone()
    };
    let id = String::from_utf8(ok(&["peer", "add", "Fay Lin"])).expect("utf-8");
    assert_eq!(id.trim(), "P3");
    ok(&["log", "Fay", "--minutes", "20", "--note", "coffee"]);
    let list = String::from_utf8(ok(&["peer", "list"])).expect("utf-8");
    assert!(list.contains("Fay Lin"), "{list}");
    // Embedded access is impossible while the server holds the store, yet
    // the CLI never said so: everything went through the socket.
    assert!(matches!(
        SledStore::open_with(
            &dir,
            &caseload::store::OpenOptions {
                lock_wait: Duration::ZERO,
                ..Default::default()
            }
        ),
        Err(StoreError::InUse { .. })
    ));
    // Without sign-in, the server refuses data but says how.
    cli(&dir).args(["peer", "list"]).assert().failure().stderr(
        predicate::str::contains("requires signing in").and(predicate::str::contains("--staff")),
    );
    cli(&dir)
        .args(["peer", "list"])
        .env("CASELOAD_STAFF", "Pat Peer")
        .assert()
        .failure()
        .stderr(predicate::str::contains("CASELOAD_PIN"));
}
