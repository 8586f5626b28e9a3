//! Consents and disclosures in the store: round trip, the indexes by peer
//! and by expiry day, revocation for good, the disclosure gate in the
//! store itself, peers that cannot be purged or merged away from their
//! consents, export → import → export identical, and a schema 4 store
//! gaining the settings field.

mod support;

use std::io::BufReader;

use caseload::model::{
    Consent, ConsentId, Disclosure, Expiry, PeerId, RecipientKind, Revocation, Settings, ShareKind,
};
use caseload::ops::transfer::{export_json, import_json};
use caseload::store::{AuditEvent, AuditFilter, Store, StoreError, SCHEMA_VERSION};
use chrono::{Duration, Local, NaiveDate, Utc};
use support::*;

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn consent(peer: PeerId, recipient: &str, expires_in: i64) -> Consent {
    Consent {
        peer,
        recipient: recipient.into(),
        recipient_kind: RecipientKind::Organization,
        purpose: "housing application".into(),
        shares: vec![ShareKind::Attendance, ShareKind::Goals],
        shares_text: "a letter confirming enrollment".into(),
        signed: today() - Duration::days(10),
        expiry: Expiry::On(today() + Duration::days(expires_in)),
        revoked: None,
    }
}

fn disclosure(peer: PeerId, consent: ConsentId, included: &[ShareKind]) -> Disclosure {
    Disclosure {
        peer,
        consent,
        recipient: "Harbor Housing".into(),
        at: Utc::now() - Duration::days(400),
        included: included.to_vec(),
        what: "export".into(),
        to: "standard output".into(),
    }
}

#[test]
fn consents_round_trip_and_revoking_is_for_good() {
    let (_dir, store) = fresh();
    let ana = peer(&store, "Ana");
    let bo = peer(&store, "Bo");
    let c1 = store
        .create_consent(consent(ana.id, "Harbor Housing", 20), &actor())
        .unwrap();
    let c2 = store
        .create_consent(
            Consent {
                expiry: Expiry::Event("my case closes".into()),
                ..consent(ana.id, "County Court", 0)
            },
            &actor(),
        )
        .unwrap();
    let c3 = store
        .create_consent(consent(bo.id, "Harbor Housing", 90), &actor())
        .unwrap();
    assert_eq!(c1.id.to_string(), "CN1");
    assert_eq!(store.consent(c1.id).unwrap(), c1);
    assert_eq!(
        store.consents_for_peer(ana.id).unwrap(),
        vec![c1.clone(), c2.clone()]
    );
    assert_eq!(store.list_consents().unwrap().len(), 3);
    // Only consents ending on a date are in the expiry index, by day.
    let soon = store
        .consents_expiring_between(today(), today() + Duration::days(30))
        .unwrap();
    assert_eq!(soon, vec![c1.clone()]);
    let all = store
        .consents_expiring_between(today(), today() + Duration::days(365))
        .unwrap();
    assert_eq!(ids(&all), vec![c1.id.raw(), c3.id.raw()]);

    let revoked = store
        .revoke_consent(
            c1.id,
            Revocation {
                date: today(),
                note: "in writing".into(),
            },
            &actor(),
        )
        .unwrap();
    assert_eq!(revoked.meta.revision, 2);
    assert_eq!(
        revoked.state_on(today()),
        caseload::model::ConsentState::Revoked
    );
    assert!(
        store
            .consents_expiring_between(today(), today() + Duration::days(30))
            .unwrap()
            .is_empty(),
        "a revoked consent no longer expires"
    );
    let again = store
        .revoke_consent(
            c1.id,
            Revocation {
                date: today(),
                note: String::new(),
            },
            &actor(),
        )
        .unwrap_err();
    assert!(again.to_string().contains("already revoked"), "{again}");
    // A revocation before the signature is refused by the record's rules.
    let early = store
        .revoke_consent(
            c3.id,
            Revocation {
                date: today() - Duration::days(365),
                note: String::new(),
            },
            &actor(),
        )
        .unwrap_err();
    assert!(matches!(early, StoreError::Invalid(_)), "{early}");
    assert!(store.consent(c3.id).unwrap().revoked.is_none());
    // Bad records are refused naming the field; nothing is written.
    let bad = store
        .create_consent(
            Consent {
                recipient: String::new(),
                ..consent(ana.id, "x", 5)
            },
            &actor(),
        )
        .unwrap_err();
    assert!(bad.to_string().contains("recipient"), "{bad}");
    let unknown = store
        .create_consent(consent(PeerId::new(99), "x", 5), &actor())
        .unwrap_err();
    assert!(unknown.to_string().contains("P99"), "{unknown}");
    assert_eq!(store.list_consents().unwrap().len(), 3);
    let trail = store.audit(&AuditFilter::default()).unwrap();
    assert!(trail.iter().any(|e| e.peers == vec![ana.id]
        && matches!(&e.event, AuditEvent::Updated { id, .. } if id == "CN1")));
}

#[test]
fn the_store_records_a_disclosure_only_under_a_consent_that_covers_it() {
    let (_dir, store) = fresh();
    let ana = peer(&store, "Ana");
    let bo = peer(&store, "Bo");
    let c = store
        .create_consent(consent(ana.id, "Harbor Housing", 20), &actor())
        .unwrap();
    let d1 = store
        .record_disclosure(disclosure(ana.id, c.id, &[ShareKind::Attendance]), &actor())
        .unwrap();
    assert!(
        d1.at > Utc::now() - Duration::minutes(5),
        "the store stamps the moment itself"
    );
    assert_eq!(
        store.disclosures_for_peer(ana.id).unwrap(),
        vec![d1.clone()]
    );
    let entry = store
        .audit(&AuditFilter {
            peer: Some(ana.id),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .find(|e| matches!(e.event, AuditEvent::Disclosed { .. }))
        .expect("on the trail");
    match &entry.event {
        AuditEvent::Disclosed {
            disclosure,
            recipient,
            consent,
            included,
            ..
        } => {
            assert_eq!(disclosure, "D1");
            assert_eq!(recipient, "Harbor Housing");
            assert_eq!(consent, "CN1");
            assert_eq!(included, &vec![ShareKind::Attendance]);
        }
        other => panic!("{other:?}"),
    }
    for (d, why) in [
        (
            disclosure(ana.id, c.id, &[ShareKind::CheckInNotes]),
            "checkin-notes",
        ),
        (
            Disclosure {
                recipient: "County Court".into(),
                ..disclosure(ana.id, c.id, &[ShareKind::Goals])
            },
            "not County Court",
        ),
        (disclosure(bo.id, c.id, &[ShareKind::Goals]), "not P2's"),
        (
            disclosure(ana.id, ConsentId::new(9), &[ShareKind::Goals]),
            "CN9",
        ),
        (disclosure(ana.id, c.id, &[]), "included"),
    ] {
        let err = store.record_disclosure(d, &actor()).unwrap_err();
        assert!(err.to_string().contains(why), "{why}: {err}");
    }
    store
        .revoke_consent(
            c.id,
            Revocation {
                date: today(),
                note: "by phone".into(),
            },
            &actor(),
        )
        .unwrap();
    let err = store
        .record_disclosure(disclosure(ana.id, c.id, &[ShareKind::Attendance]), &actor())
        .unwrap_err();
    assert!(err.to_string().contains("revoked"), "{err}");
    assert_eq!(store.disclosures_for_peer(ana.id).unwrap().len(), 1);
}

#[test]
fn consents_keep_their_peer_from_being_purged_and_follow_a_merge() {
    let (_dir, store) = fresh();
    let ana = peer(&store, "Ana");
    let dup = peer(&store, "Ana R");
    let c = store
        .create_consent(consent(dup.id, "Harbor Housing", 20), &actor())
        .unwrap();
    store
        .record_disclosure(disclosure(dup.id, c.id, &[ShareKind::Goals]), &actor())
        .unwrap();
    let err = store.delete_peer(dup.id, &actor()).unwrap_err();
    assert!(err.to_string().contains("consents"), "{err}");
    store.merge_peers(dup.id, ana.id, &actor()).unwrap();
    let moved = store.consents_for_peer(ana.id).unwrap();
    assert_eq!(ids(&moved), vec![c.id.raw()]);
    assert_eq!(moved[0].peer, ana.id);
    assert_eq!(store.disclosures_for_peer(ana.id).unwrap().len(), 1);
    assert!(store.consents_for_peer(dup.id).unwrap().is_empty());
}

/// The export without its first line (which says when it was made).
fn body(export: &[u8]) -> String {
    let text = String::from_utf8(export.to_vec()).unwrap();
    text.split_once('\n').map(|(_, b)| b.to_string()).unwrap()
}

#[test]
fn export_import_export_is_identical_with_consents_and_disclosures() {
    let (_dir, src) = fresh();
    let ana = peer(&src, "Ana");
    let c = src
        .create_consent(consent(ana.id, "Harbor Housing", 20), &actor())
        .unwrap();
    src.create_consent(
        Consent {
            expiry: Expiry::Event("my case closes".into()),
            ..consent(ana.id, "County Court", 0)
        },
        &actor(),
    )
    .unwrap();
    src.record_disclosure(disclosure(ana.id, c.id, &[ShareKind::Goals]), &actor())
        .unwrap();
    src.revoke_consent(
        c.id,
        Revocation {
            date: today(),
            note: "in writing".into(),
        },
        &actor(),
    )
    .unwrap();
    let mut first = Vec::new();
    export_json(&src, &mut first).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(text.contains("\"consents\":[") && text.contains("\"disclosures\":["));

    let (_dir2, dst) = fresh();
    import_json(&dst, &actor(), BufReader::new(&first[..]), "first.json").unwrap();
    assert_eq!(dst.list_consents().unwrap(), src.list_consents().unwrap());
    assert_eq!(
        dst.disclosures_for_peer(ana.id).unwrap(),
        src.disclosures_for_peer(ana.id).unwrap()
    );
    let mut second = Vec::new();
    export_json(&dst, &mut second).unwrap();
    assert_eq!(body(&second), body(&first));
    // Ids go on from the imported ones.
    let next = dst
        .create_consent(consent(ana.id, "Clinic", 5), &actor())
        .unwrap();
    assert_eq!(next.id.to_string(), "CN3");

    // An export made before consents existed still imports.
    let old = body(&first);
    let cut = old.find(",\n\"disclosures\"").unwrap();
    let older = format!(
        "{{\"format\":\"caseload-export\",\"version\":1,\"exported_at\":\"2026-01-01T00:00:00Z\",\n{}}}",
        &old[..cut]
    );
    let (_dir3, third) = fresh();
    import_json(
        &third,
        &actor(),
        BufReader::new(older.as_bytes()),
        "old.json",
    )
    .unwrap();
    assert!(third.list_consents().unwrap().is_empty());
    assert_eq!(third.list_peers().unwrap().len(), 1);

    // A disclosure whose consent is not in the file is refused, named.
    let mut snap = caseload::store::Snapshot {
        peers: src.list_peers().unwrap(),
        disclosures: src.disclosures_for_peer(ana.id).unwrap(),
        ..Default::default()
    };
    snap.settings = Settings::default();
    let (_dir4, fourth) = fresh();
    let err = fourth.import(snap, &actor()).unwrap_err();
    assert!(
        err.to_string().contains("disclosures[0]") && err.to_string().contains("CN1"),
        "{err}"
    );
}

#[test]
fn a_schema_4_store_gains_the_consent_warning_setting() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store
            .save_settings(
                &Settings {
                    organization_name: "Harbor Peer Center".into(),
                    ..Settings::default()
                },
                &actor(),
            )
            .unwrap();
    }
    {
        // Write the settings back as schema 4 did: without the last field.
        let db = raw_sled(dir.path());
        let meta = db.open_tree("meta").unwrap();
        let v = meta.get(b"settings").unwrap().unwrap();
        assert_eq!(v.last(), Some(&0), "None is one zero byte");
        meta.insert(b"settings", &v[..v.len() - 1]).unwrap();
        meta.insert(b"schema_version", &4u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let store = open(dir.path());
    let s = store.settings().unwrap();
    assert_eq!(s.organization_name, "Harbor Peer Center");
    assert_eq!(s.consent_warning_days, None);
    assert_eq!(s.consent_warning_days(), 30);
    assert_eq!(SCHEMA_VERSION, 6);
}

/// The store's sled database opened directly, once the store has let go.
fn raw_sled(path: &std::path::Path) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match sled::Config::new().path(path).open() {
            Ok(db) => return db,
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("cannot open {}: {e}", path.display()),
        }
    }
}

#[test]
fn today_lists_consents_ending_within_the_setting_for_the_staff_members_peers() {
    use caseload::model::today::Section;
    use caseload::ops::today::today_report;
    let (_dir, store) = fresh();
    let jr = staff(&store, "Jordan Reyes");
    let mut ana = peer(&store, "Ana");
    ana.assigned_staff = Some(jr.id);
    let ana = store.update_peer(&ana, &actor()).unwrap();
    let bo = peer(&store, "Bo");
    let c1 = store
        .create_consent(consent(ana.id, "Harbor Housing", 12), &actor())
        .unwrap();
    store
        .create_consent(consent(ana.id, "Clinic", 45), &actor())
        .unwrap();
    store
        .create_consent(consent(bo.id, "Harbor Housing", 3), &actor())
        .unwrap();
    let rows = |for_staff| {
        today_report(&store, today(), for_staff)
            .unwrap()
            .section(Section::ConsentsExpiring)
            .cloned()
            .collect::<Vec<_>>()
    };
    let mine = rows(Some(jr.id));
    assert_eq!(mine.len(), 1, "{mine:#?}");
    assert_eq!(mine[0].peer, Some(ana.id));
    assert_eq!(mine[0].days, Some(12));
    assert!(
        mine[0].why.contains(&c1.id.to_string()) && mine[0].why.contains("in 12 days"),
        "{}",
        mine[0].why
    );
    let everyone = rows(None);
    assert_eq!(
        everyone.iter().map(|r| r.days).collect::<Vec<_>>(),
        vec![Some(3), Some(12)],
        "soonest first"
    );
    // The window is a setting.
    store
        .save_settings(
            &Settings {
                consent_warning_days: Some(60),
                ..store.settings().unwrap()
            },
            &actor(),
        )
        .unwrap();
    assert_eq!(rows(Some(jr.id)).len(), 2);
    let bad = store
        .save_settings(
            &Settings {
                consent_warning_days: Some(0),
                ..Settings::default()
            },
            &actor(),
        )
        .unwrap_err();
    assert!(bad.to_string().contains("consent warning days"), "{bad}");
    // A revoked consent leaves Today.
    store
        .revoke_consent(
            c1.id,
            Revocation {
                date: today(),
                note: String::new(),
            },
            &actor(),
        )
        .unwrap();
    assert_eq!(
        rows(None).iter().filter(|r| r.peer == Some(ana.id)).count(),
        1
    );
}
