//! Peers' episodes: discharge and re-admission keep every episode, the
//! report's helper finds re-admissions, and a schema-2 store (peers without
//! episodes) is migrated on open.

mod support;

use std::time::{Duration, Instant};

use caseload::model::PeerStatus;
use caseload::ops::peer::{discharge, readmissions_between, readmit};
use caseload::store::{Store, SCHEMA_VERSION};
use support::*;

#[test]
fn discharge_and_readmission_keep_every_episode() {
    let (_dir, store) = fresh();
    let p = store
        .create_peer(
            caseload::model::Peer::new("Aroha Wright", d("2026-03-01")),
            &actor(),
        )
        .unwrap();
    let err = readmit(&store, &actor(), p.id, d("2026-04-01")).unwrap_err();
    assert!(err.to_string().contains("not discharged"), "{err}");
    let err = discharge(&store, &actor(), p.id, d("2026-05-01"), " ").unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    assert_eq!(
        store.peer(p.id).unwrap().meta.revision,
        1,
        "nothing written"
    );

    discharge(&store, &actor(), p.id, d("2026-05-01"), "moved away").unwrap();
    let back = readmit(&store, &actor(), p.id, d("2026-08-10")).unwrap();
    assert_eq!(back.status, PeerStatus::Active);
    let eps = back.all_episodes();
    assert_eq!(eps.len(), 2, "{eps:?}");
    assert_eq!(
        (eps[0].start, eps[0].end),
        (d("2026-03-01"), Some(d("2026-05-01")))
    );
    assert_eq!(eps[0].reason.as_deref(), Some("moved away"));
    assert_eq!((eps[1].start, eps[1].end), (d("2026-08-10"), None));

    assert_eq!(
        readmissions_between(&store, d("2026-08-01"), d("2026-08-31")).unwrap(),
        vec![(p.id, d("2026-08-10"))]
    );
    assert!(
        readmissions_between(&store, d("2026-03-01"), d("2026-07-31"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_schema_2_store_gains_empty_episodes_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = open(dir.path());
        let id = peer(&store, "Ana Ruiz").id;
        drop(store);
        id
    };
    {
        // Write the peer back as schema 2 did: without the last field.
        let db = raw_sled(dir.path());
        let peers = db.open_tree("peers").unwrap();
        for kv in peers.iter() {
            let (k, v) = kv.unwrap();
            assert_eq!(v.last(), Some(&0), "an empty list is one zero byte");
            peers.insert(k, &v[..v.len() - 1]).unwrap();
        }
        db.open_tree("meta")
            .unwrap()
            .insert(b"schema_version", &2u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let store = open(dir.path());
    let p = store.peer(id).unwrap();
    assert_eq!(p.display_name, "Ana Ruiz");
    assert!(p.episodes.is_empty());
    assert_eq!(SCHEMA_VERSION, 6);
}

fn raw_sled(path: &std::path::Path) -> sled::Db {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match sled::Config::new().path(path).open() {
            Ok(db) => return db,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("cannot open raw sled: {e}"),
        }
    }
}
