//! Export → import → export keeps what corrections leave behind: each
//! check-in's earlier versions (edits, voids, the moves of a merge) and
//! each merged peer id, identically; an import refuses history or aliases
//! that do not fit the file, naming where, and writes nothing.

mod support;

use caseload::model::{CheckIn, CheckInId, PeerId, Record};
use caseload::ops::checkin::{edit, history, void, Correction};
use caseload::ops::peer::merge;
use caseload::ops::transfer::{export_json, import_json};
use caseload::store::{PeerAlias, Snapshot, Store};
use support::*;

/// The document without its `exported_at` stamp (the one documented
/// difference between two exports of the same records).
fn unstamped(doc: &[u8]) -> String {
    let text = String::from_utf8(doc.to_vec()).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let cut = first.find(",\"exported_at\":").unwrap();
    format!("{}\n{rest}", &first[..cut])
}

fn export(store: &dyn Store) -> Vec<u8> {
    let mut out = Vec::new();
    export_json(store, &mut out).unwrap();
    out
}

/// A store where C1 was corrected twice, C2 voided, and peer 2 (with a
/// check-in) merged into peer 1, then peer 3 into peer 1 as well.
fn corrected() -> (tempfile::TempDir, caseload::store::SledStore, CheckInId) {
    let (dir, store) = fresh();
    let s = staff(&store, "Jordan Reyes");
    let keep = peer(&store, "Aroha Wright");
    let walk_in = peer(&store, "Aroha W");
    let third = peer(&store, "A. Wright");
    let c1 = save_checkin(&store, checkin(keep.id, s.id, "2026-11-02T10:00:00-05:00"));
    let c2 = save_checkin(&store, checkin(keep.id, s.id, "2026-11-03T10:00:00-05:00"));
    let c3 = save_checkin(
        &store,
        checkin(walk_in.id, s.id, "2026-11-04T10:00:00-05:00"),
    );
    let fix = |note: &str| Correction {
        note: Some(note.into()),
        ..Correction::default()
    };
    edit(&store, &actor(), c1.id, &fix("first correction")).unwrap();
    edit(&store, &actor(), c1.id, &fix("second correction")).unwrap();
    void(&store, &actor(), c2.id, "recorded twice").unwrap();
    merge(&store, &actor(), walk_in.id, keep.id).unwrap();
    merge(&store, &actor(), third.id, keep.id).unwrap();
    (dir, store, c3.id)
}

#[test]
fn history_and_aliases_round_trip_byte_for_byte() {
    let (_dir, src, moved) = corrected();
    let first = export(&src);
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(text.contains("\"checkin_history\":["), "{text}");
    assert!(text.contains("\"peer_aliases\":["), "{text}");
    assert!(
        text.contains("first correction"),
        "the earlier note is kept"
    );

    let dir = tempfile::tempdir().unwrap();
    let dst = open(dir.path());
    import_json(&dst, &actor(), first.as_slice(), "export.json").unwrap();
    let second = export(&dst);
    assert_eq!(unstamped(&first), unstamped(&second));

    // What the history and aliases answer is the same in the new store.
    for id in 1..=3 {
        let id = CheckInId::new(id);
        assert_eq!(
            history(&dst, id).unwrap(),
            history(&src, id).unwrap(),
            "{id}"
        );
    }
    let versions = history(&dst, CheckInId::new(1)).unwrap();
    assert_eq!(versions.len(), 3, "two corrections and the current one");
    assert_eq!(versions[1].note, "first correction");
    assert_eq!(versions[2].note, "second correction");
    // The moved check-in's earlier version still names the merged peer.
    assert_eq!(dst.checkin_history(moved).unwrap()[0].peer, PeerId::new(2));
    assert_eq!(dst.peer(PeerId::new(2)).unwrap().id, PeerId::new(1));
    assert_eq!(dst.peer(PeerId::new(3)).unwrap().id, PeerId::new(1));
    assert_eq!(
        dst.peer_aliases().unwrap(),
        vec![
            PeerAlias {
                merged: PeerId::new(2),
                into: PeerId::new(1)
            },
            PeerAlias {
                merged: PeerId::new(3),
                into: PeerId::new(1)
            }
        ]
    );
}

#[test]
fn an_export_from_before_history_was_kept_still_imports() {
    let (_dir, src, _) = corrected();
    let text = String::from_utf8(export(&src)).unwrap();
    // Drop the two new arrays, as an older caseload wrote the file.
    let start = text.find("\"checkin_history\"").unwrap();
    let end = text.find("\"checkins\"").unwrap();
    let old = format!("{}{}", &text[..start], &text[end..]);
    let dir = tempfile::tempdir().unwrap();
    let dst = open(dir.path());
    import_json(&dst, &actor(), old.as_bytes(), "old.json").unwrap();
    assert!(dst.checkin_history(CheckInId::new(1)).unwrap().is_empty());
    assert!(dst.peer_aliases().unwrap().is_empty());
    assert_eq!(dst.counts().unwrap(), src.counts().unwrap());
}

fn snapshot(store: &dyn Store) -> Snapshot {
    Snapshot {
        settings: store.settings().unwrap(),
        staff: store.list_staff().unwrap(),
        peers: store.list_peers().unwrap(),
        goals: Vec::new(),
        groups: store.list_groups().unwrap(),
        sessions: store.sessions_page(None, usize::MAX).unwrap(),
        checkins: store.checkins_page(None, usize::MAX).unwrap(),
        checkin_history: store.history_page(None, usize::MAX).unwrap(),
        peer_aliases: store.peer_aliases().unwrap(),
        ..Snapshot::default()
    }
}

fn assert_refused(snap: Snapshot, wants: &[&str]) {
    let (_dir, dst) = fresh();
    let err = dst.import(snap, &actor()).unwrap_err().to_string();
    for w in wants {
        assert!(err.contains(w), "{err:?} should contain {w:?}");
    }
    assert_eq!(dst.counts().unwrap(), Default::default(), "nothing written");
    assert!(dst.peer_aliases().unwrap().is_empty());
}

#[test]
fn history_or_aliases_that_do_not_fit_the_file_are_refused_by_location() {
    let (_dir, src, _) = corrected();
    let good = snapshot(&src);
    assert_eq!(good.checkin_history.len(), 4, "{:?}", good.checkin_history);

    // A version of a check-in the file does not have.
    let mut s = good.clone();
    let mut stray: Record<CheckIn> = s.checkin_history[0].clone();
    stray.id = CheckInId::new(99);
    s.checkin_history.push(stray);
    assert_refused(s, &["checkin_history[4]", "C99", "no check-in"]);

    // A version as new as the check-in itself.
    let mut s = good.clone();
    let current = s
        .checkins
        .iter()
        .find(|c| c.id == CheckInId::new(1))
        .unwrap()
        .meta
        .revision;
    s.checkin_history[0].meta.revision = current;
    assert_refused(s, &["checkin_history[0]", "below the check-in's current"]);

    // The same version twice.
    let mut s = good.clone();
    let again = s.checkin_history[0].clone();
    s.checkin_history.insert(1, again);
    assert_refused(s, &["checkin_history[1]", "appears twice"]);

    // An alias for an id that is still a peer, or into a missing one.
    let mut s = good.clone();
    s.peer_aliases[0].merged = PeerId::new(1);
    assert_refused(s, &["peer_aliases[0]", "merged", "is a peer of the file"]);
    let mut s = good.clone();
    s.peer_aliases[1].into = PeerId::new(77);
    assert_refused(s, &["peer_aliases[1]", "into", "no peer P77"]);

    // The good one imports.
    let (_dir, dst) = fresh();
    dst.import(good, &actor()).unwrap();
    assert_eq!(dst.peer(PeerId::new(3)).unwrap().id, PeerId::new(1));
}
