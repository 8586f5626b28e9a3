//! Referrals: their making and history are kept, they name the session
//! unless the role may credit others, and they are made at their own
//! peer's check-in.

use super::*;

fn referral(conn: &Raw, id: ReferralId) -> Record<Referral> {
    match conn.ask(&Request::Referral { id }) {
        Response::Answer(Answer::Referral(r)) => r,
        other => panic!("referral {id}: {other:?}"),
    }
}

fn referral_count(conn: &Raw) -> usize {
    match conn.ask(&Request::ReferralsForPeer {
        peer: PeerId::new(1),
    }) {
        Response::Answer(Answer::ReferralsForPeer(list)) => list.len(),
        other => panic!("referrals: {other:?}"),
    }
}

type Tamper = (&'static str, &'static str, fn(&mut Referral, &Fixtures));

/// Rewrites of a saved referral, each with the field its refusal names.
fn tamperings() -> Vec<Tamper> {
    vec![
        ("move it to another peer", "peer", |r, _| {
            r.peer = PeerId::new(2)
        }),
        ("point it at another resource", "resource", |r, fx| {
            r.resource = fx.other_resource
        }),
        ("back-date its making", "date", |r, _| {
            r.date = d("2026-01-15");
            r.history[0].date = d("2026-01-15");
        }),
        ("say someone else made it", "by", |r, _| r.by = Some(ADMIN)),
        ("tie it to a check-in", "checkin", |r, fx| {
            r.checkin = Some(fx.checkin)
        }),
        ("rewrite an earlier note", "history", |r, _| {
            r.history[0].note = "never needed anything".into()
        }),
        (
            "say someone else recorded an earlier change",
            "history",
            |r, _| {
                let last = r.history.len() - 1;
                r.history[last].by = Some(ADMIN)
            },
        ),
        ("drop an earlier change", "history", |r, _| {
            r.history.pop();
        }),
        ("add two changes at once", "history", |r, _| {
            let date = r.last_update();
            for status in [ReferralStatus::Connected, ReferralStatus::Closed] {
                r.history.push(ReferralUpdate {
                    date,
                    status,
                    note: String::new(),
                    by: Some(SPECIALIST),
                });
            }
        }),
    ]
}

#[test]
fn no_role_can_rewrite_a_referrals_making_or_history_over_the_wire() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let roles = [
        ("peer specialist", SPECIALIST, SPECIALIST_PIN),
        ("supervisor", SUPERVISOR, SUPERVISOR_PIN),
        ("admin", ADMIN, ADMIN_PIN),
    ];
    let mut cases = 0;
    for (role, staff, pin) in roles {
        for id in [fx.mine, fx.theirs] {
            for (what, field, tamper) in tamperings() {
                let case = format!("{role}: {what} ({id})");
                // A session of its own, so its refusal is not coalesced
                // with an earlier one.
                let conn = Raw::open(&dir, Some((staff, pin)));
                let before = referral(&auditor, id);
                let mut edit = before.clone();
                tamper(&mut edit.data, &fx);
                let seq = last_seq(&auditor);
                let answer = conn.ask(&Request::UpdateReferral { referral: edit });
                assert_refused_naming(&answer, field, &case);
                let after = referral(&auditor, id);
                assert_eq!(after.data, before.data, "{case}: nothing written");
                assert_eq!(after.meta.revision, before.meta.revision, "{case}");
                assert_refusal_on_trail(&auditor, seq, staff, "update_referral", &case);
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 3 * 2 * tamperings().len());
    // What the screens and the command line do still works: one change of
    // status, by the session's staff member, on a referral anyone made.
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut edit = referral(&pat, fx.theirs);
    edit.data
        .set_status(
            ReferralStatus::Connected,
            d("2026-02-10"),
            "went after all",
            Some(SPECIALIST),
        )
        .expect("status");
    match pat.ask(&Request::UpdateReferral {
        referral: edit.clone(),
    }) {
        Response::Answer(Answer::UpdateReferral(saved)) => {
            assert_eq!(saved.data, edit.data);
            assert_eq!(saved.meta.revision, edit.meta.revision + 1);
        }
        other => panic!("a follow-up is saved: {other:?}"),
    }
    let _ = fx.resource;
}

#[test]
fn a_referral_names_the_session_unless_the_role_may_credit_others() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let p1 = PeerId::new(1);

    // A peer specialist's new referral names them, in `by` and in its
    // history; a colleague or nobody is refused, naming the field.
    let made_by = |by: Option<StaffId>, history_by: Option<StaffId>| {
        let mut r = Referral::new(p1, fx.resource, d("2026-02-05"), by, "");
        r.history[0].by = history_by;
        Request::CreateReferral { referral: r }
    };
    let cases = [
        (
            "a colleague as maker",
            "by",
            Some(SUPERVISOR),
            Some(SUPERVISOR),
        ),
        ("nobody as maker", "by", None, None),
        (
            "a colleague in the history",
            "history: by",
            Some(SPECIALIST),
            Some(SUPERVISOR),
        ),
    ];
    for (what, field, by, history_by) in cases {
        let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
        let count = referral_count(&auditor);
        let seq = last_seq(&auditor);
        let answer = pat.ask(&made_by(by, history_by));
        assert_refused_naming(&answer, field, what);
        let Response::Error(WireError::Denied { reason, .. }) = &answer else {
            unreachable!()
        };
        assert!(
            reason.contains("crediting work (a check-in, a referral) to another staff member")
                && reason.contains("supervisor and admin"),
            "{what}: {reason}"
        );
        assert_eq!(referral_count(&auditor), count, "{what}: nothing written");
        assert_refusal_on_trail(&auditor, seq, SPECIALIST, "create_referral", what);
    }
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::CreateReferral(own)) =
        pat.ask(&made_by(Some(SPECIALIST), Some(SPECIALIST)))
    else {
        panic!("a peer specialist refers in their own name")
    };
    assert!(
        !since(&auditor, seq)
            .iter()
            .any(|e| matches!(e.event, AuditEvent::Credited { .. })),
        "nothing credited"
    );

    // A change of status names them too.
    for (what, by) in [("a colleague", Some(SUPERVISOR)), ("nobody", None)] {
        let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
        let before = referral(&auditor, fx.mine);
        let mut edit = before.clone();
        edit.data
            .set_status(ReferralStatus::Connected, d("2026-02-06"), "went", by)
            .expect("status");
        let seq = last_seq(&auditor);
        let answer = pat.ask(&Request::UpdateReferral { referral: edit });
        assert_refused_naming(&answer, "history: by", what);
        let after = referral(&auditor, fx.mine);
        assert_eq!(
            (after.meta.revision, &after.data),
            (before.meta.revision, &before.data),
            "{what}: nothing written"
        );
        assert_refusal_on_trail(&auditor, seq, SPECIALIST, "update_referral", what);
    }

    // A supervisor may credit a colleague, making or following up; each
    // credit is on the trail, as for check-ins.
    let sam = Raw::open(&dir, Some((SUPERVISOR, SUPERVISOR_PIN)));
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::CreateReferral(credited)) =
        sam.ask(&made_by(Some(SPECIALIST), Some(SPECIALIST)))
    else {
        panic!("a supervisor credits a referral to a colleague")
    };
    assert_eq!(credited.by, Some(SPECIALIST));
    assert_eq!(
        credited.meta.created_by.staff,
        Some(SUPERVISOR),
        "the session acts"
    );
    let credit_of = |rec: &Record<Referral>| AuditEvent::Credited {
        checkin: rec.id.to_string(),
        peer: p1,
        staff: SPECIALIST,
    };
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SUPERVISOR) && e.event == credit_of(&credited)));
    let mut edit = own.clone();
    edit.data
        .set_status(
            ReferralStatus::NoResponse,
            d("2026-02-07"),
            "",
            Some(SPECIALIST),
        )
        .expect("status");
    let seq = last_seq(&auditor);
    let Response::Answer(Answer::UpdateReferral(followed)) =
        sam.ask(&Request::UpdateReferral { referral: edit })
    else {
        panic!("a supervisor records a colleague's follow-up")
    };
    assert_eq!(followed.history.len(), 2);
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SUPERVISOR) && e.event == credit_of(&followed)));
    // In their own name, nothing is credited.
    let mut edit = followed.clone();
    edit.data
        .set_status(
            ReferralStatus::Closed,
            d("2026-02-08"),
            "",
            Some(SUPERVISOR),
        )
        .expect("status");
    let seq = last_seq(&auditor);
    assert!(matches!(
        sam.ask(&Request::UpdateReferral { referral: edit }),
        Response::Answer(Answer::UpdateReferral(_))
    ));
    assert!(!since(&auditor, seq)
        .iter()
        .any(|e| matches!(e.event, AuditEvent::Credited { .. })));
}

#[test]
fn the_store_itself_keeps_a_referrals_making_and_history_on_every_path() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    // No server and no authorizing layer: the store's own update.
    let store = SledStore::open(&dir).expect("open");
    let actor = Actor::login("setup");
    for (what, field, tamper) in tamperings() {
        let before = store.referral(fx.theirs).expect("referral");
        let mut edit = before.clone();
        tamper(&mut edit.data, &fx);
        match store.update_referral(&edit, &actor) {
            Err(StoreError::Invalid(e)) => {
                assert!(e.problems.iter().any(|p| p.field == field), "{what}: {e}")
            }
            other => panic!("{what}: expected a refusal naming {field}, got {other:?}"),
        }
        assert_eq!(
            store.referral(fx.theirs).expect("referral"),
            before,
            "{what}"
        );
    }
}

#[test]
fn a_referral_is_not_made_at_another_peers_check_in() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let fx = add_fixtures(&dir);
    let _server = ServerProcess::start(&dir);
    let auditor = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    // C1 is P1's: a referral of P2 that points at it would show P1's note
    // from P2's record.
    let mut r = Referral::new(
        PeerId::new(2),
        fx.resource,
        d("2026-02-03"),
        Some(SPECIALIST),
        "",
    );
    r.checkin = Some(fx.checkin);
    let seq = last_seq(&auditor);
    assert_refused_naming(
        &pat.ask(&Request::CreateReferral {
            referral: r.clone(),
        }),
        "checkin",
        "another peer's check-in",
    );
    assert!(
        match auditor.ask(&Request::ReferralsForPeer {
            peer: PeerId::new(2),
        }) {
            Response::Answer(Answer::ReferralsForPeer(list)) => list.is_empty(),
            other => panic!("referrals: {other:?}"),
        },
        "nothing written"
    );
    assert!(since(&auditor, seq)
        .iter()
        .any(|e| e.actor.staff == Some(SPECIALIST)
            && matches!(&e.event, AuditEvent::Refused { operation, peer: Some(p), .. }
            if operation == "create_referral" && *p == PeerId::new(2))));
    // At P1's own check-in it is made.
    r.peer = PeerId::new(1);
    assert!(matches!(
        pat.ask(&Request::CreateReferral { referral: r }),
        Response::Answer(Answer::CreateReferral(_))
    ));
}
