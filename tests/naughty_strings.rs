//! The Big List of Naughty Strings (MIT; tests/fixtures/blns.LICENSE)
//! through validation, storage, escaping and display cutting, plus
//! property tests for the escaping rules.

use caseload::model::{Actor, Entity, Peer};
use caseload::store::{SledStore, Store};
use caseload::text::{cell, escape_line, escape_multiline, is_unsafe, truncate, width};
use proptest::prelude::*;

fn naughty() -> Vec<String> {
    let text = include_str!("fixtures/blns.json");
    serde_json::from_str(text).expect("blns.json is a JSON array of strings")
}

#[test]
fn every_naughty_string_is_stored_exactly_and_shown_safely() {
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let store = SledStore::open(tmp.path()).expect("store opens");
    let actor = Actor::login("test");
    let intake = "2026-01-01".parse().expect("date");
    let mut stored = 0;
    for s in naughty() {
        let mut peer = Peer::new(s.clone(), intake);
        peer.notes = s.clone();
        match peer.validate() {
            Ok(()) => {
                let saved = store.create_peer(peer, &actor).expect("valid peer saves");
                let back = store.peer(saved.id).expect("reads back");
                assert_eq!(back.display_name, s, "stored exactly as given");
                assert_eq!(back.notes, s);
                stored += 1;
            }
            Err(e) => {
                // Only blank and overlong names are refused, and the
                // message names the field and the problem.
                let msg = e.to_string();
                if s.trim().is_empty() {
                    assert_eq!(msg, "display name: must not be empty");
                } else {
                    assert!(s.chars().count() > 200, "{s:?} refused: {msg}");
                    assert!(msg.starts_with("display name: is "), "{msg}");
                    assert!(msg.contains("the limit is 200"), "{msg}");
                }
            }
        }
        let line = escape_line(&s);
        assert!(!line.chars().any(is_unsafe), "unsafe char left in {line:?}");
        let multi = escape_multiline(&s);
        assert!(!multi.chars().any(|c| c != '\n' && is_unsafe(c)));
        for w in [0, 1, 5, 20] {
            assert!(width(&cell(&s, w)) <= w, "{s:?} cut to {w} is wider");
        }
    }
    assert!(
        stored > 490,
        "most naughty strings are valid names: {stored}"
    );
    assert_eq!(store.counts().expect("counts").peers, stored);
}

proptest! {
    #[test]
    fn escaped_text_has_no_unsafe_characters(s in any::<String>()) {
        let e = escape_line(&s);
        prop_assert!(!e.chars().any(is_unsafe));
        // Safe text is left exactly as it is.
        if !s.chars().any(is_unsafe) {
            prop_assert_eq!(e.as_ref(), s.as_str());
        }
    }

    #[test]
    fn truncation_respects_width_and_keeps_a_prefix(s in "\\PC{0,40}", w in 0usize..30) {
        let t = truncate(&s, w);
        prop_assert!(width(&t) <= w);
        if width(&s) <= w {
            prop_assert_eq!(t.as_ref(), s.as_str());
        } else if w > 0 {
            prop_assert!(t.ends_with('…'));
            let kept = t.trim_end_matches('…');
            prop_assert!(s.starts_with(kept));
        }
    }
}
