//! Sign-in, roles and the audit trail, through the server and the command
//! line: who may do what, and that every kind of event is on record.

mod server_support;

use caseload::model::{Actor, PeerId, Role, Staff};
use caseload::ops::auth::{self, HIDDEN_PIN};
use caseload::server::{socket_path, RemoteStore};
use caseload::store::{AuditEvent, AuditFilter, ChangeKind, SledStore, Store, StoreError};
use predicates::prelude::*;

use server_support::*;

fn anonymous(dir: &std::path::Path) -> RemoteStore {
    match RemoteStore::connect(&socket_path(dir)) {
        Ok(r) => r,
        Err(e) => panic!("connect: {e:?}"),
    }
}

fn denied<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Denied { reason, .. }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn sign_in_through_the_server_right_wrong_and_throttled() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let c = anonymous(&dir);
    // Before signing in: the staff list (for a sign-in screen) without
    // hashes, nothing about peers.
    let staff = c.list_staff().expect("staff list before sign-in");
    assert_eq!(staff.len(), 3);
    assert!(staff
        .iter()
        .all(|s| s.pin_hash.as_deref() == Some(HIDDEN_PIN)));
    assert!(auth::sign_in_required(&c));
    assert!(denied(c.list_peers()).contains("sign in first"));
    assert!(denied(c.peer(PeerId::new(1))).contains("sign in first"));

    let throttle = auth::Throttle::default();
    let wrong = auth::sign_in(&c, &throttle, SPECIALIST, "0000", "pat").expect_err("wrong");
    assert_eq!(wrong.to_string(), "wrong PIN for Pat Peer");
    auth::sign_in(&c, &throttle, SPECIALIST, "0001", "pat").expect_err("wrong");
    auth::sign_in(&c, &throttle, SPECIALIST, "0002", "pat").expect_err("wrong");
    // Three wrong in a row: now even the right PIN must wait (the server's
    // throttle, shared by every connection).
    let other = anonymous(&dir);
    let wait =
        auth::sign_in(&other, &throttle, SPECIALIST, SPECIALIST_PIN, "pat").expect_err("throttled");
    assert_eq!(wait.retry_after(), Some(auth::FIRST_WAIT), "{wait}");
    assert!(wait.to_string().contains("try again in 5 s"), "{wait}");
    assert!(denied(other.list_peers()).contains("sign in first"));

    // Another staff member is not slowed down by Pat's wrong PINs.
    let me = auth::sign_in(&c, &throttle, ADMIN, ADMIN_PIN, "ana").expect("right PIN");
    assert_eq!(me.id, ADMIN);
    assert_eq!(
        me.pin_hash.as_deref(),
        Some(HIDDEN_PIN),
        "no hash leaves the server"
    );
    assert_eq!(c.list_peers().expect("signed in").len(), 2);

    let log = c.audit(&AuditFilter::default()).expect("admin reads audit");
    // Failures are coalesced (one entry per staff member and login per
    // minute, with a count); the admin's sign-in wrote the pending tally.
    let failed: Vec<_> = log
        .iter()
        .filter(|e| matches!(&e.event, AuditEvent::SignInFailed { staff: Some(s), .. } | AuditEvent::SignInFailures { staff: Some(s), .. } if *s == SPECIALIST))
        .collect();
    assert_eq!(
        failed
            .iter()
            .map(|e| e.event.failed_sign_ins())
            .sum::<u32>(),
        4,
        "three wrong PINs and one throttled try are on record: {failed:?}"
    );
    assert!(failed.len() <= 2, "coalesced: {failed:?}");
    assert!(log
        .iter()
        .any(|e| e.event == AuditEvent::SignedIn { staff: ADMIN } && e.actor.staff == Some(ADMIN)));
}

#[test]
fn every_protected_action_is_checked_by_role_on_the_server() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let pat = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let sam = client(&dir, SUPERVISOR, SUPERVISOR_PIN);
    let ana = client(&dir, ADMIN, ADMIN_PIN);
    let actor = Actor::login("x");
    let export = || AuditEvent::Exported {
        to: "backup.json".into(),
    };

    // Audit log: supervisor and admin.
    assert!(denied(pat.audit(&AuditFilter::default())).contains("reading the audit log"));
    sam.audit(&AuditFilter::default()).expect("supervisor");
    ana.audit(&AuditFilter::default()).expect("admin");
    // Export: supervisor and admin.
    assert!(denied(pat.record_event(export(), &actor)).contains("exporting"));
    sam.record_event(export(), &actor).expect("supervisor");
    ana.record_event(export(), &actor).expect("admin");
    // Staff accounts: admin only.
    let newbie = || Staff::new("New Person", Role::PeerSpecialist);
    assert!(denied(pat.create_staff(newbie(), &actor)).contains("managing staff"));
    assert!(denied(sam.create_staff(newbie(), &actor)).contains("managing staff"));
    let added = ana.create_staff(newbie(), &actor).expect("admin");
    let mut promote = pat.staff(SPECIALIST).expect("self");
    promote.role = Role::Admin;
    assert!(denied(pat.update_staff(&promote, &actor)).contains("managing staff"));
    // Settings: admin only.
    let mut settings = pat.settings().expect("settings");
    settings.organization_name = "Renamed".into();
    assert!(denied(pat.save_settings(&settings, &actor)).contains("changing the settings"));
    assert!(denied(sam.save_settings(&settings, &actor)).contains("changing the settings"));
    ana.save_settings(&settings, &actor).expect("admin");

    // Everyone may change their own PIN, and only that.
    auth::set_pin(&pat, &actor, SPECIALIST, "4444").expect("own PIN");
    let err = auth::set_pin(&pat, &actor, SUPERVISOR, "4444").expect_err("not someone else's");
    assert!(err.to_string().contains("managing staff"), "{err}");
    // A record sent back with the hidden hash keeps the real one.
    let mut renamed = ana.staff(added.id).expect("staff");
    auth::set_pin(&ana, &actor, added.id, "5555").expect("admin sets a PIN");
    renamed = ana.staff(renamed.id).expect("reload");
    renamed.initials = "NP".into();
    ana.update_staff(&renamed, &actor)
        .expect("saved with the hidden hash");
    let fresh = anonymous(&dir);
    let t = auth::Throttle::default();
    auth::sign_in(&fresh, &t, added.id, "5555", "np").expect("the PIN survived");

    // Clients cannot forge sign-ins or changes in the audit trail.
    let forged = AuditEvent::SignedIn { staff: ADMIN };
    assert!(denied(pat.record_event(forged, &actor)).contains("only the server records"));

    // The last admin cannot be deactivated.
    let mut me = ana.staff(ADMIN).expect("me");
    me.active = false;
    let err = ana.update_staff(&me, &actor).expect_err("last admin");
    assert!(err.to_string().contains("no active admin"), "{err}");

    // Changes are stamped with who signed in, whatever the client claims.
    let claimed = Actor::staff(ADMIN, "liar");
    let c = pat
        .create_checkin(checkin(1, SPECIALIST, "hi"), &claimed)
        .expect("saved");
    assert_eq!(c.meta.created_by.staff, Some(SPECIALIST));
    assert_ne!(
        c.meta.created_by.login, "liar",
        "the login comes from the kernel"
    );
}

#[test]
fn locking_a_session_signs_it_out_until_it_signs_in_again() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let pat = client(&dir, SPECIALIST, SPECIALIST_PIN);
    pat.record_event(AuditEvent::Locked, &Actor::login("x"))
        .expect("lock");
    assert!(denied(pat.list_peers()).contains("sign in first"));
    let t = auth::Throttle::default();
    auth::sign_in(&pat, &t, SPECIALIST, SPECIALIST_PIN, "pat").expect("unlock");
    assert_eq!(pat.list_peers().expect("unlocked").len(), 2);
    let sam = client(&dir, SUPERVISOR, SUPERVISOR_PIN);
    let log = sam
        .audit(&AuditFilter {
            staff: Some(SPECIALIST),
            ..AuditFilter::default()
        })
        .expect("audit");
    assert!(log.iter().any(|e| e.event == AuditEvent::Locked));
}

#[test]
fn serve_refuses_to_start_until_an_active_admin_has_a_pin() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = store_dir(tmp.path());
    {
        let store = SledStore::open(&dir).expect("open");
        let mut s = Staff::new("Pat Peer", Role::PeerSpecialist);
        s.pin_hash = Some(auth::hash_pin("3333").expect("hash"));
        store
            .create_staff(s, &Actor::login("setup"))
            .expect("staff");
        store
            .create_staff(Staff::new("Ana Admin", Role::Admin), &Actor::login("setup"))
            .expect("admin without PIN");
    }
    cli(&dir)
        .arg("serve")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no active admin has a PIN")
                .and(predicate::str::contains("--pin-stdin")),
        );
    assert!(!socket_path(&dir).exists(), "nothing listens");
    // The way out the message names: set the admin's PIN on the store's own
    // files (allowed without signing in only because no admin can).
    cli(&dir)
        .args(["staff", "set-pin", "Ana Admin", "--pin-stdin"])
        .write_stdin("1111\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("PIN set for S2"));
    let _server = ServerProcess::start(&dir);
}

#[test]
fn cli_roles_and_sign_in() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let as_ = |who: &str, pin: &str, args: &[&str]| {
        let mut c = cli(&dir);
        c.args(args)
            .env("CASELOAD_STAFF", who)
            .env("CASELOAD_PIN", pin);
        c
    };
    // No PIN at all: refused with how to give one (no terminal here).
    cli(&dir)
        .args(["--staff", "Pat Peer", "peer", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("CASELOAD_PIN"));
    as_("Pat Peer", "9999", &["peer", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("wrong PIN for Pat Peer"));
    as_("Pat Peer", SPECIALIST_PIN, &["peer", "list"])
        .assert()
        .success();
    for args in [
        &["audit"][..],
        &["export", "--out", "x.json"][..],
        &["backup", "--to", "backups"][..],
        &["settings", "--name", "X"][..],
        &["staff", "add", "Zed", "--role", "admin"][..],
        &["staff", "deactivate", "Sam Super"][..],
    ] {
        as_("Pat Peer", SPECIALIST_PIN, args)
            .assert()
            .failure()
            .stderr(predicate::str::contains("is a peer specialist"));
    }
    as_(
        "Pat Peer",
        SPECIALIST_PIN,
        &["staff", "set-pin", "Pat Peer", "--pin-stdin"],
    )
    .write_stdin("7777\n")
    .assert()
    .success();
    as_("Pat Peer", "7777", &["settings"]).assert().success();
    as_("Sam Super", SUPERVISOR_PIN, &["audit"])
        .assert()
        .success();
    as_("Sam Super", SUPERVISOR_PIN, &["settings", "--name", "X"])
        .assert()
        .failure();
    let out = tmp.path().join("backup.json");
    as_("Sam Super", SUPERVISOR_PIN, &["export", "--out"])
        .arg(&out)
        .assert()
        .success();
    as_(
        "Ana Admin",
        ADMIN_PIN,
        &[
            "staff",
            "add",
            "Zed Lee",
            "--role",
            "peer-specialist",
            "--pin-stdin",
        ],
    )
    .write_stdin("12\n")
    .assert()
    .failure()
    .stderr(predicate::str::contains("at least 4"));
    as_(
        "Ana Admin",
        ADMIN_PIN,
        &["staff", "add", "Zed Lee", "--pin-stdin"],
    )
    .write_stdin("8888\n")
    .assert()
    .success()
    .stdout("S4\n");
    as_("Ana Admin", ADMIN_PIN, &["staff", "deactivate", "Zed Lee"])
        .assert()
        .success();
    as_("Zed Lee", "8888", &["peer", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("inactive"));
    // PINs never appear in output, arguments or the JSON staff list.
    let list = as_("Ana Admin", ADMIN_PIN, &["staff", "list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let list = String::from_utf8(list).expect("utf-8");
    assert!(!list.contains("argon2"), "{list}");
    assert!(!list.contains("8888"));
}

#[test]
fn audit_records_changes_with_revisions_views_sign_ins_and_exports() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let as_admin = |args: &[&str]| {
        let mut c = cli(&dir);
        c.args(args)
            .env("CASELOAD_STAFF", "Ana Admin")
            .env("CASELOAD_PIN", ADMIN_PIN);
        c
    };
    // On the store's own files, then through a server: both audit.
    as_admin(&["peer", "show", "P1"]).assert().success();
    let _server = ServerProcess::start(&dir);
    as_admin(&["peer", "show", "P2"]).assert().success();
    as_admin(&["peer", "edit", "P2", "--notes", "likes chess"])
        .assert()
        .success();
    let out = tmp.path().join("b.json");
    as_admin(&["export", "--out"]).arg(&out).assert().success();
    cli(&dir)
        .args(["peer", "list"])
        .env("CASELOAD_STAFF", "Pat Peer")
        .env("CASELOAD_PIN", "0000")
        .assert()
        .failure();

    let ana = client(&dir, ADMIN, ADMIN_PIN);
    let actor = Actor::login("x");
    let c = ana
        .create_checkin(checkin(1, ADMIN, "first"), &actor)
        .expect("create");
    let mut c2 = c.clone();
    c2.note = "second".into();
    let c2 = ana.update_checkin(&c2, &actor).expect("update");
    ana.delete_checkin(c2.id, &actor).expect("delete");

    let log = ana.audit(&AuditFilter::default()).expect("audit");
    let has = |f: &dyn Fn(&AuditEvent) -> bool| log.iter().any(|e| f(&e.event));
    let id = c.id.to_string();
    assert!(has(&|e| *e
        == AuditEvent::Created {
            kind: ChangeKind::CheckIn,
            id: id.clone(),
            revision: 1
        }));
    assert!(has(&|e| *e
        == AuditEvent::Updated {
            kind: ChangeKind::CheckIn,
            id: id.clone(),
            from_revision: 1,
            to_revision: 2
        }));
    assert!(has(&|e| *e
        == AuditEvent::Deleted {
            kind: ChangeKind::CheckIn,
            id: id.clone(),
            revision: 2
        }));
    assert!(has(&|e| *e
        == AuditEvent::Updated {
            kind: ChangeKind::Peer,
            id: "P2".into(),
            from_revision: 1,
            to_revision: 2
        }));
    assert!(has(&|e| *e
        == AuditEvent::Viewed {
            peer: PeerId::new(1)
        }));
    assert!(has(&|e| *e
        == AuditEvent::Viewed {
            peer: PeerId::new(2)
        }));
    assert!(has(
        &|e| matches!(e, AuditEvent::Exported { to } if to.ends_with("b.json"))
    ));
    assert!(has(&|e| *e == AuditEvent::SignedIn { staff: ADMIN }));
    assert!(has(
        &|e| matches!(e, AuditEvent::SignInFailed { staff: Some(s), reason } if *s == SPECIALIST && reason == "wrong PIN")
    ));
    // Newest first.
    assert!(log
        .windows(2)
        .all(|w| (w[0].at, w[0].seq) >= (w[1].at, w[1].seq)));
    // Filters: by peer, by staff, with a limit.
    let p1 = ana
        .audit(&AuditFilter {
            peer: Some(PeerId::new(1)),
            ..AuditFilter::default()
        })
        .expect("audit");
    assert!(!p1.is_empty());
    assert!(p1.iter().all(|e| e.peers.contains(&PeerId::new(1))));
    assert!(
        p1.iter().any(|e| matches!(
            e.event,
            AuditEvent::Created {
                kind: ChangeKind::CheckIn,
                ..
            }
        )),
        "check-ins are filed under their peer"
    );
    let two = ana
        .audit(&AuditFilter {
            limit: Some(2),
            ..AuditFilter::default()
        })
        .expect("audit");
    assert_eq!(two.len(), 2);
    // The command shows it too.
    let text = as_admin(&["audit", "--peer", "P2"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).expect("utf-8");
    assert!(text.contains("opened peer P2"), "{text}");
    assert!(text.contains("changed peer P2 (revision 1 to 2)"), "{text}");
    assert!(!text.contains("P1 "), "{text}");
}

#[test]
fn the_embedded_store_notifies_its_own_sessions_and_audits_in_the_same_write() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = SledStore::open(tmp.path()).expect("open");
    let rx = store.subscribe().expect("in-process notices");
    let actor = Actor::login("solo");
    let s = store
        .create_staff(Staff::new("Solo", Role::Admin), &actor)
        .expect("staff");
    assert_eq!(
        rx.try_recv().expect("notified at once"),
        caseload::store::Change {
            kind: ChangeKind::Staff,
            id: s.id.to_string()
        }
    );
    // A refused write (bad reference) leaves neither a change nor an entry.
    let before = store.audit(&AuditFilter::default()).expect("audit").len();
    store
        .create_checkin(checkin(99, s.id, "no such peer"), &actor)
        .expect_err("refused");
    assert!(rx.try_recv().is_err());
    assert_eq!(
        store.audit(&AuditFilter::default()).expect("audit").len(),
        before
    );
    let mut settings = store.settings().expect("settings");
    settings.organization_name = "Solo Org".into();
    store.save_settings(&settings, &actor).expect("save");
    assert_eq!(rx.try_recv().expect("notice").kind, ChangeKind::Settings);
    let log = store.audit(&AuditFilter::default()).expect("audit");
    assert_eq!(log[0].event, AuditEvent::SettingsChanged);
    assert_eq!(log[0].actor, actor);
}

#[test]
fn today_is_answered_by_the_service_and_on_the_trail_with_the_peers_it_lists() {
    use caseload::model::today::Section;
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let ana = client(&dir, ADMIN, ADMIN_PIN);
    let actor = Actor::login("x");
    let seen = ana
        .create_checkin(checkin(1, ADMIN, "seen today"), &actor)
        .expect("create");
    let day = seen.day();
    let report = ana.today(day, None).expect("today over the wire");
    assert_eq!(report.date, day);
    let rows: Vec<_> = report.section(Section::SeenToday).collect();
    assert_eq!(rows.len(), 1, "{:?}", report.rows);
    assert_eq!(rows[0].peer, Some(PeerId::new(1)));
    // The same rules as gathering the inputs client-side.
    let local =
        caseload::ops::today::today_report_in(&caseload::model::dates::CENTER, &ana, day, None)
            .expect("gathered");
    assert_eq!(report, local);
    let log = ana.audit(&AuditFilter::default()).expect("audit");
    let listed: Vec<PeerId> = report.rows.iter().filter_map(|r| r.peer).collect();
    assert!(
        log.iter().any(|e| matches!(&e.event,
            AuditEvent::Read { what, peers } if what == "today" && listed.iter().all(|p| peers.contains(p))
        )),
        "today's read is on the trail with its peers: {log:?}"
    );
    // Only what the session may read: an unsigned client is refused.
    let anon = anonymous(&dir);
    assert!(anon.today(day, None).is_err());
}
