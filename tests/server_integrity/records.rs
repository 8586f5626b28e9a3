//! Other records: a consent's revocation, new check-ins and sessions that
//! come voided, a peer's episodes.

use super::*;

#[test]
fn a_consent_is_revoked_only_from_a_day_between_its_signature_and_today_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let id = {
        let store = SledStore::open(&dir).expect("open");
        let consent = Consent {
            peer: PeerId::new(1),
            recipient: "Harbor Housing".into(),
            recipient_kind: RecipientKind::Organization,
            purpose: "housing application".into(),
            shares: vec![ShareKind::Attendance],
            shares_text: String::new(),
            signed: d("2026-01-10"),
            expiry: Expiry::On(d("2026-12-31")),
            revoked: None,
        };
        store
            .create_consent(consent, &Actor::login("setup"))
            .expect("consent")
            .id
    };
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let revoke = |date: &str, note: String| Request::RevokeConsent {
        id,
        revocation: Revocation {
            date: d(date),
            note,
        },
    };
    let unrevoked = |case: &str| match pat.ask(&Request::Consent { id }) {
        Response::Answer(Answer::Consent(c)) => {
            assert_eq!(c.revoked, None, "{case}: nothing written")
        }
        other => panic!("consent: {other:?}"),
    };
    // Before the signature: the consent would look as if it never held,
    // and every disclosure made under it as made without one.
    let case = "revoked from before it was signed";
    assert_refused_naming(
        &pat.ask(&revoke("2025-12-01", "in writing".into())),
        "revoked date",
        case,
    );
    unrevoked(case);
    // After today: the consent would stay in effect until then while
    // looking revoked, and the peer's real revocation would be refused as
    // a second one.
    let case = "revoked from a day years ahead";
    assert_refused_naming(
        &pat.ask(&revoke("2099-01-01", "in writing".into())),
        "revoked date",
        case,
    );
    unrevoked(case);
    let case = "a revocation note of a megabyte";
    assert_refused_naming(
        &pat.ask(&revoke("2026-02-01", "x".repeat(1 << 20))),
        "revoked note",
        case,
    );
    unrevoked(case);
    match pat.ask(&revoke("2026-02-01", "in writing".into())) {
        Response::Answer(Answer::RevokeConsent(c)) => {
            assert_eq!(c.revoked.as_ref().map(|r| r.date), Some(d("2026-02-01")))
        }
        other => panic!("a revocation is recorded: {other:?}"),
    }
}

/// A void as a client might forge it: by the admin, years ago.
fn forged_void() -> Void {
    Void {
        at: chrono::DateTime::parse_from_rfc3339("2020-01-01T09:00:00Z")
            .expect("time")
            .to_utc(),
        by: Actor::staff(ADMIN, "ana"),
        reason: "recorded twice".into(),
    }
}

#[test]
fn no_role_creates_a_check_in_or_session_already_voided_in_someone_elses_name() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let group = {
        let store = SledStore::open(&dir).expect("open");
        let g = Group::new(
            "Tuesday WRAP",
            chrono::Weekday::Tue,
            chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("time"),
        );
        let id = store
            .create_group(g.clone(), &Actor::login("setup"))
            .expect("group")
            .id;
        (id, g)
    };
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let counts = |conn: &Raw| match conn.ask(&Request::Counts {}) {
        Response::Answer(Answer::Counts(c)) => format!("{c:?}"),
        other => panic!("counts: {other:?}"),
    };
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    for (role, staff, pin) in roles {
        let mut c = checkin(1, staff, "left out of every report");
        c.voided = Some(forged_void());
        let mut session = GroupSession::for_group(group.0, &group.1, d("2026-02-03"));
        session.attendees = vec![PeerId::new(1)];
        session.voided = Some(forged_void());
        let requests = [
            (
                "create_checkin",
                Request::CreateCheckIn { checkin: c.clone() },
            ),
            (
                "create_checkins",
                Request::CreateCheckIns {
                    checkins: vec![checkin(1, staff, "fine"), c],
                },
            ),
            ("create_session", Request::CreateSession { session }),
        ];
        for (op, request) in requests {
            let case = format!("{role}: {op}");
            let conn = Raw::open(&dir, Some((staff, pin)));
            let before = counts(&auditor);
            let seq = last_seq(&auditor);
            assert_refused_naming(&conn.ask(&request), "voided", &case);
            assert_eq!(counts(&auditor), before, "{case}: nothing written");
            assert!(
                since(&auditor, seq).iter().any(|e| e.actor.staff == Some(staff)
                    && matches!(&e.event, AuditEvent::Refused { operation, .. } if operation == op)),
                "{case}: the refusal is on the trail"
            );
        }
    }
}

type PeerTamper = (&'static str, fn(&mut Vec<Episode>));

/// Rewrites of P1's episodes (ended 2026-03-01, open since 2026-04-01).
fn episode_tamperings() -> Vec<PeerTamper> {
    vec![
        ("shorten an ended episode", |e| {
            e[0].end = Some(d("2026-02-01"))
        }),
        ("rewrite why it ended", |e| {
            e[0].reason = Some("asked to leave".into())
        }),
        ("re-open an ended episode", |e| {
            e[0].end = None;
            e.pop();
        }),
        ("move the open one's start", |e| {
            e[1].start = d("2026-03-02")
        }),
        ("drop an episode", |e| {
            e.remove(0);
        }),
        ("erase every episode", |e| e.clear()),
        ("add two at once", |e| {
            for start in ["2026-05-01", "2026-06-01"] {
                e.push(Episode {
                    start: d(start),
                    end: None,
                    reason: None,
                });
            }
        }),
    ]
}

#[test]
fn no_role_can_rewrite_a_peers_episodes_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let p1 = PeerId::new(1);
    {
        let store = SledStore::open(&dir).expect("open");
        let mut p = store.peer(p1).expect("peer");
        p.data.discharge(d("2026-03-01"), "moved away".into());
        p.data.readmit(d("2026-04-01"));
        store
            .update_peer(&p, &Actor::login("setup"))
            .expect("episodes");
    }
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let peer = |conn: &Raw| match conn.ask(&Request::Peer { id: p1 }) {
        Response::Answer(Answer::Peer(p)) => p,
        other => panic!("peer: {other:?}"),
    };
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    for (role, staff, pin) in roles {
        for (what, tamper) in episode_tamperings() {
            let case = format!("{role}: {what}");
            let conn = Raw::open(&dir, Some((staff, pin)));
            let before = peer(&auditor);
            assert_eq!(before.episodes.len(), 2, "{case}");
            let mut edit = before.clone();
            tamper(&mut edit.data.episodes);
            let seq = last_seq(&auditor);
            let answer = conn.ask(&Request::UpdatePeer { peer: edit });
            assert_refused_naming(&answer, "episodes", &case);
            let after = peer(&auditor);
            assert_eq!(
                (after.meta.revision, &after.data),
                (before.meta.revision, &before.data),
                "{case}: nothing written"
            );
            assert_refusal_on_trail(&auditor, seq, staff, "update_peer", &case);
        }
    }
    // What the screens and command line do still works: an edit, a
    // discharge and a re-admission, through the client.
    let remote = client(&dir, SPECIALIST, SPECIALIST_PIN);
    let me = Actor::staff(SPECIALIST, "pat");
    let mut p = remote.peer(p1).expect("peer");
    p.phone = Some("555-0100".into());
    let p = remote.update_peer(&p, &me).expect("an edit");
    caseload::ops::peer::discharge(&remote, &me, p.id, d("2026-05-01"), "moved again")
        .expect("a discharge");
    let p =
        caseload::ops::peer::readmit(&remote, &me, p.id, d("2026-06-01")).expect("a re-admission");
    assert_eq!(p.episodes.len(), 3);
    assert_eq!(p.episodes[1].end, Some(d("2026-05-01")));
    // And the store itself keeps them on every path.
    drop(_server);
    let store = SledStore::open(&dir).expect("open");
    for (what, tamper) in episode_tamperings() {
        let before = store.peer(p1).expect("peer");
        let mut edit = before.clone();
        tamper(&mut edit.data.episodes);
        match store.update_peer(&edit, &Actor::login("setup")) {
            Err(StoreError::Invalid(e)) => assert!(
                e.problems.iter().any(|p| p.field == "episodes"),
                "{what}: {e}"
            ),
            other => panic!("{what}: expected a refusal naming episodes, got {other:?}"),
        }
        assert_eq!(store.peer(p1).expect("peer"), before, "{what}");
    }
}
