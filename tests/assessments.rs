//! Assessments in the store and as data: the instrument file's checks
//! (each problem with its line and field), scoring, the record's round
//! trip through the store (indexes, newest per instrument, pages, who sat
//! with the peer), the guards (a total that is not the sum, a missing
//! peer, deleting a peer who has assessments, purging), and a merge moving
//! them.

mod support;

use caseload::model::instrument::{Instrument, Instruments, ScoreError, BARC10_TOML};
use caseload::model::{Actor, Assessment, AssessmentId, PeerId, StaffId};
use caseload::store::{AuditEvent, AuditFilter, ChangeKind, Store, StoreError};
use chrono::{DateTime, Utc};
use support::*;

fn when(s: &str) -> DateTime<Utc> {
    at(s).with_timezone(&Utc)
}

fn barc(peer: PeerId, scores: &[u8], on: &str) -> Assessment {
    Assessment {
        peer,
        instrument: "barc10".into(),
        version: 1,
        scores: scores.to_vec(),
        total: scores.iter().map(|s| u32::from(*s)).sum(),
        at: when(on),
        staff: None,
    }
}

fn problems(text: &str) -> Vec<String> {
    Instrument::parse("f.toml", text)
        .expect_err("problems")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_shipped_barc10_scores_sums_and_refuses_off_scale_answers_by_item() {
    let b = Instrument::parse("barc10.toml", BARC10_TOML).expect("valid");
    assert_eq!(b.items.len(), 10);
    assert_eq!(b.score(&[5, 4, 6, 3, 5, 4, 5, 6, 4, 5]), Ok(47));
    assert_eq!(b.score(&[1; 10]), Ok(10));
    assert_eq!(b.score(&[6; 10]), Ok(60));
    match b.score(&[1, 1, 1, 1, 1, 1, 1, 1, 1, 7]) {
        Err(ScoreError::OffScale { item, min, max, .. }) => {
            assert_eq!((item, min, max), (10, 1, 6))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        b.score(&[1; 9]),
        Err(ScoreError::Count {
            expected: 10,
            given: 9,
            ..
        })
    ));
    assert_eq!(
        b.parse_scores(" 5, 4,6,3,5,4,5,6,4,5 ").map(|s| s.len()),
        Ok(10)
    );
    let e = b
        .parse_scores("5,4,6,3,5,4,5,6,4,\u{1b}[2J")
        .expect_err("junk")
        .to_string();
    assert!(
        e.contains("item 10") && !e.contains('\u{1b}'),
        "escaped: {e}"
    );
    assert!(b
        .notes_for(47)
        .iter()
        .any(|n| n.text.contains("47 or more")));
    assert!(b.notes_for(46).is_empty());
}

#[test]
fn instrument_file_problems_name_line_and_field() {
    let base = "id = \"x\"\nversion = 1\nname = \"X\"\nattribution = \"us\"\n[scale]\nmin = 1\nmax = 3\nlabels = [\"a\", \"b\", \"c\"]\n[scoring]\nmethod = \"sum\"\n[[items]]\ntext = \"One\"\n";
    assert!(Instrument::parse("f.toml", base).is_ok());
    let p = problems(&base.replace("version = 1", "version = 0"));
    assert!(
        p.iter().any(|s| s.starts_with("f.toml:2: version: 0")),
        "{p:?}"
    );
    let p = problems(&base.replace("method = \"sum\"", "method = \"mean\""));
    assert!(
        p.iter()
            .any(|s| s.starts_with("f.toml:10: scoring.method: 'mean'")),
        "{p:?}"
    );
    let p = problems(&base.replace("min = 1\nmax = 3", "min = 4\nmax = 3"));
    assert!(p.iter().any(|s| s.starts_with("f.toml:5: scale:")), "{p:?}");
    let p = problems(&base.replace("text = \"One\"", "text = \"  \""));
    assert!(
        p.iter()
            .any(|s| s.starts_with("f.toml:11: items: item 1 has no text")),
        "{p:?}"
    );
    let p = problems(&base.replace("name = \"X\"\n", ""));
    assert!(
        p.iter().any(|s| s.contains("name")),
        "missing field named: {p:?}"
    );
    let p = problems(&format!(
        "{base}[[interpretation]]\nat_least = 99\ntext = \"high\"\n"
    ));
    assert!(
        p.iter().any(|s| s
            .starts_with("f.toml:14: interpretation.at_least: 99 is outside the totals 1 to 3")),
        "{p:?}"
    );
    let p = problems(&base.replace("name = \"X\"", "name = \"X\\u001b[2J\""));
    assert!(
        p.iter()
            .any(|s| s.starts_with("f.toml:3: name: contains control characters")),
        "{p:?}"
    );
    let p = problems(&base.replace("[scale]", "reassess_days = 0\n[scale]"));
    assert!(
        p.iter()
            .any(|s| s.starts_with("f.toml:5: reassess_days: 0")),
        "{p:?}"
    );
    let p = problems("id = \"x\"\nversion = [oops\n");
    assert!(
        p.iter().any(|s| s.starts_with("f.toml:2:")),
        "syntax: {p:?}"
    );

    // A later file replaces the earlier one of the same id; a broken one
    // is left out, the earlier one stays.
    let mut all = Instruments::builtin();
    all.add(
        "mine/barc10.toml",
        &BARC10_TOML.replace("reassess_days = 90", "reassess_days = 60"),
    );
    all.add(
        "mine/broken.toml",
        &BARC10_TOML.replace("version = 1", "version = -1"),
    );
    assert_eq!(all.list.len(), 1);
    assert_eq!(all.reassess_days("barc10"), 60);
    assert_eq!(
        all.reassess_days("gone"),
        90,
        "default for an instrument no longer installed"
    );
    assert_eq!(all.problems.len(), 1);
    assert!(all.get("BARC-10").is_some() && all.get("Barc10").is_some());
}

#[test]
fn assessments_round_trip_by_peer_newest_per_instrument_and_page() {
    let (_tmp, store) = fresh();
    let sam = staff(&store, "Sam Okoye");
    let ana = peer(&store, "Ana Ruiz");
    let dana = peer(&store, "Dana Ortiz");
    let me = Actor::staff(sam.id, "sam");
    let a2 = store
        .create_assessment(barc(ana.id, &[4; 10], "2026-04-01T10:00:00-05:00"), &me)
        .expect("save");
    let a1 = store
        .create_assessment(barc(ana.id, &[3; 10], "2026-01-01T10:00:00-05:00"), &me)
        .expect("save");
    let mut other = barc(ana.id, &[1, 1, 1], "2026-02-01T10:00:00-05:00");
    other.instrument = "mood3".into();
    let a3 = store.create_assessment(other, &me).expect("save");
    let d1 = store
        .create_assessment(
            barc(dana.id, &[6; 10], "2026-03-01T10:00:00-05:00"),
            &Actor::login("setup"),
        )
        .expect("save");
    assert_eq!(a2.id, AssessmentId::new(1));
    assert_eq!(
        a2.staff,
        Some(sam.id),
        "the session's staff member sat with the peer"
    );
    assert_eq!(d1.staff, None);
    assert_eq!(a2.meta.revision, 1);
    assert_eq!(store.assessment(a1.id).expect("get"), a1);
    let ids =
        |v: &[caseload::model::Record<Assessment>]| v.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(
        ids(&store.assessments_for_peer(ana.id).expect("list")),
        [a1.id, a3.id, a2.id],
        "oldest first"
    );
    assert_eq!(
        ids(&store.latest_assessments().expect("latest")),
        [a2.id, a3.id, d1.id],
        "newest per peer and instrument"
    );
    let page = store.assessments_page(None, 2).expect("page");
    assert_eq!(ids(&page), [a2.id, a1.id]);
    let rest = store.assessments_page(Some(a1.id), 10).expect("page");
    assert_eq!(ids(&rest), [a3.id, d1.id]);
    // On the trail, about the peer.
    let log = store.audit(&AuditFilter::default()).expect("audit");
    assert!(log.iter().any(|e| e.peers == vec![ana.id]
        && matches!(&e.event, AuditEvent::Created { kind: ChangeKind::Assessment, id, .. } if id == "A1")));
}

#[test]
fn bad_assessments_are_refused_naming_the_field_and_nothing_is_kept() {
    let (_tmp, store) = fresh();
    let ana = peer(&store, "Ana Ruiz");
    let mut wrong = barc(ana.id, &[4; 10], "2026-04-01T10:00:00-05:00");
    wrong.total = 41;
    let e = store
        .create_assessment(wrong, &actor())
        .expect_err("not the sum");
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    assert!(
        e.to_string()
            .contains("total: 41 is not the sum of the scores (40)"),
        "{e}"
    );
    let e = store
        .create_assessment(
            barc(PeerId::new(9), &[4; 10], "2026-04-01T10:00:00-05:00"),
            &actor(),
        )
        .expect_err("no such peer");
    assert!(e.to_string().contains("P9"), "{e}");
    let mut nobody = barc(ana.id, &[4; 10], "2026-04-01T10:00:00-05:00");
    nobody.staff = Some(StaffId::new(7));
    let e = store
        .create_assessment(nobody, &Actor::login("x"))
        .expect_err("no such staff");
    assert!(e.to_string().contains("S7"), "{e}");
    let mut empty = barc(ana.id, &[4; 10], "2026-04-01T10:00:00-05:00");
    empty.scores.clear();
    empty.total = 0;
    assert!(store
        .create_assessment(empty, &actor())
        .expect_err("no scores")
        .to_string()
        .contains("scores"));
    assert!(store.assessments_for_peer(ana.id).expect("list").is_empty());
    assert!(store.assessments_page(None, 10).expect("page").is_empty());
}

#[test]
fn a_peer_with_assessments_is_not_deleted_and_a_merge_moves_them() {
    let (_tmp, store) = fresh();
    let ana = peer(&store, "Ana Ruiz");
    let twin = peer(&store, "Ana R.");
    let a = store
        .create_assessment(
            barc(twin.id, &[3; 10], "2026-01-01T10:00:00-05:00"),
            &actor(),
        )
        .expect("save");
    let e = store.delete_peer(twin.id, &actor()).expect_err("in use");
    assert!(e.to_string().contains("assessments"), "{e}");
    store.merge_peers(twin.id, ana.id, &actor()).expect("merge");
    let moved = store.assessments_for_peer(ana.id).expect("list");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].id, a.id);
    assert_eq!(moved[0].peer, ana.id);
    assert!(store
        .assessments_for_peer(twin.id)
        .expect("list")
        .is_empty());
    // Purging one made by mistake.
    store.delete_assessment(a.id, &actor()).expect("purge");
    assert!(matches!(
        store.assessment(a.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(store.latest_assessments().expect("latest").is_empty());
}

#[test]
fn reassessment_is_due_per_instrument_interval_for_active_peers_of_the_staff_member() {
    use caseload::model::assessment::reassessment_rows;
    use caseload::model::today::Section;
    use caseload::model::{Meta, Peer, PeerStatus, Record};
    let peer_rec = |id: u64, name: &str, staff: u64, status: PeerStatus| {
        let mut p = Peer::new(name, d("2025-01-01"));
        p.assigned_staff = Some(StaffId::new(staff));
        p.status = status;
        Record {
            id: PeerId::new(id),
            meta: Meta::created(Utc::now(), &actor()),
            data: p,
        }
    };
    let peers = vec![
        peer_rec(1, "Ana", 1, PeerStatus::Active),
        peer_rec(2, "Bo", 2, PeerStatus::Active),
        peer_rec(3, "Cy", 1, PeerStatus::Discharged),
    ];
    let taken = |id: u64, peer: u64, instrument: &str, on: &str| Record {
        id: AssessmentId::new(id),
        meta: Meta::created(Utc::now(), &actor()),
        data: Assessment {
            instrument: instrument.into(),
            ..barc(PeerId::new(peer), &[4; 10], on)
        },
    };
    let mut all = Instruments::builtin();
    all.add(
        "mood.toml",
        &BARC10_TOML
            .replace("id = \"barc10\"", "id = \"mood\"")
            .replace("reassess_days = 90", "reassess_days = 30"),
    );
    let latest = vec![
        taken(1, 1, "barc10", "2026-01-01T12:00:00-05:00"),
        taken(2, 1, "barc10", "2026-03-01T12:00:00-05:00"), // the newest counts
        taken(3, 1, "mood", "2026-04-20T12:00:00-05:00"),
        taken(4, 2, "barc10", "2026-01-01T12:00:00-05:00"),
        taken(5, 3, "barc10", "2026-01-01T12:00:00-05:00"), // discharged
    ];
    let rows = reassessment_rows(d("2026-05-20"), &peers, &latest, &all, None);
    let got: Vec<(u64, Option<i64>)> = rows
        .iter()
        .map(|r| (r.peer.map_or(0, |p| p.raw()), r.days))
        .collect();
    // Bo: due 2026-04-01 (49 days); Ana's mood: 2026-05-20 (0); Ana's
    // BARC-10 from March is due 2026-05-30, not yet.
    assert_eq!(got, [(2, Some(49)), (1, Some(0))], "{rows:#?}");
    assert!(rows.iter().all(|r| r.section == Section::ReassessmentDue));
    assert!(
        rows[1]
            .why
            .contains("every 30 days, due 2026-05-20 (today)"),
        "{}",
        rows[1].why
    );
    let mine = reassessment_rows(
        d("2026-05-20"),
        &peers,
        &latest,
        &all,
        Some(StaffId::new(1)),
    );
    assert_eq!(mine.len(), 1, "only the staff member's peers: {mine:#?}");
}

#[test]
fn reassessment_rows_read_only_the_assessed_peers_not_the_roster() {
    let (_dir, raw) = fresh();
    let me = staff(&raw, "Jo Admin");
    let mut admin = me.clone();
    admin.data.role = caseload::model::Role::Admin;
    raw.update_staff(&admin, &actor()).expect("admin");
    let ana = peer(&raw, "Ana");
    let _bo = peer(&raw, "Bo");
    let _cy = peer(&raw, "Cy");
    raw.create_assessment(
        barc(ana.id, &[4; 10], "2026-01-01T10:00:00-05:00"),
        &actor(),
    )
    .expect("save");
    let store = caseload::ops::access::Authorized::local(raw, "jo");
    store.enter_session(me.id);
    let rows =
        caseload::ops::assess::reassessment_rows(&store, d("2026-05-20"), None).expect("rows");
    let peers: Vec<Option<PeerId>> = rows.iter().map(|r| r.peer).collect();
    assert_eq!(peers, [Some(ana.id)], "{rows:#?}");
    assert_eq!(rows[0].name, "Ana");
    // What was read is what the trail says: Ana, not every peer.
    let reads: Vec<(String, Vec<PeerId>)> = store
        .audit(&AuditFilter::default())
        .expect("audit")
        .into_iter()
        .filter_map(|e| match e.event {
            AuditEvent::Read { what, peers } => Some((what, peers)),
            _ => None,
        })
        .collect();
    assert!(
        reads.contains(&("peers_by_id".to_string(), vec![ana.id])),
        "{reads:?}"
    );
    assert!(
        !reads.iter().any(|(what, _)| what == "list_peers"),
        "the roster is not read: {reads:?}"
    );
}
