//! PINs: sent as themselves, checked against the rules and hashed where
//! the data is served; never a hash a client made, never on the trail.

use super::*;
use caseload::server::protocol::Pin;

fn staff_of(conn: &Raw, id: StaffId) -> Record<caseload::model::Staff> {
    match conn.ask(&Request::Staff { id }) {
        Response::Answer(Answer::Staff(s)) => s,
        other => panic!("staff: {other:?}"),
    }
}

/// Changing one's own PIN used to send its hash, which the server checked
/// only to be a hash: a client could set a one-character PIN (or weak
/// argon2 settings) past the rules.
#[test]
fn a_staff_member_cannot_set_a_pin_below_the_rules_over_the_wire() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let pat = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
    let mut me = staff_of(&pat, SPECIALIST);
    let salt = SaltString::encode_b64(b"0123456789abcdef").expect("salt");
    let weak = argon2::Argon2::default()
        .hash_password(b"1", &salt)
        .expect("hash")
        .to_string();
    me.pin_hash = Some(weak);
    assert!(
        matches!(
            pat.ask(&Request::UpdateStaff { staff: me }),
            Response::Error(_)
        ),
        "a one-character PIN is refused"
    );
    // Nor as the PIN itself.
    assert_refused_naming(
        &pat.ask(&Request::SetPin {
            staff: SPECIALIST,
            pin: Pin("1".into()),
        }),
        "PIN",
        "a one-character PIN of one's own",
    );
    // The PIN is as it was (signing in with it asserts so).
    drop(pat);
    let _again = Raw::open(&dir, Some((SPECIALIST, SPECIALIST_PIN)));
}

/// An admin sets another's PIN only within the rules; setting it is on
/// the trail (as a change of that staff member), the PIN nowhere on it.
#[test]
fn an_admin_sets_anothers_pin_within_the_rules_and_the_trail_keeps_no_pin() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let ana = Raw::open(&dir, Some((ADMIN, ADMIN_PIN)));
    let before = staff_of(&ana, SPECIALIST).meta.revision;
    for short in ["", "12", "   "] {
        assert_refused_naming(
            &ana.ask(&Request::SetPin {
                staff: SPECIALIST,
                pin: Pin(short.into()),
            }),
            "PIN",
            "an admin setting a PIN below the rules",
        );
    }
    assert_eq!(
        staff_of(&ana, SPECIALIST).meta.revision,
        before,
        "nothing was written"
    );
    // Nor by sending a hash, even a good one.
    let mut pat = staff_of(&ana, SPECIALIST);
    pat.pin_hash = Some(caseload::ops::auth::hash_pin("8642").expect("hash"));
    match ana.ask(&Request::UpdateStaff { staff: pat }) {
        Response::Error(WireError::Refused(reason)) => {
            assert!(reason.contains("never by sending its hash"), "{reason}")
        }
        other => panic!("a PIN hash sent: {other:?}"),
    }
    let seq = ana.audit().first().map(|e| e.seq).unwrap_or(0);
    const NEW_PIN: &str = "975310";
    match ana.ask(&Request::SetPin {
        staff: SPECIALIST,
        pin: Pin(NEW_PIN.into()),
    }) {
        Response::Answer(Answer::SetPin(s)) => {
            assert_eq!(s.id, SPECIALIST);
            assert_eq!(s.meta.revision, before + 1);
            assert_eq!(
                s.pin_hash.as_deref(),
                Some(caseload::ops::auth::HIDDEN_PIN),
                "the hash stays on the server"
            );
        }
        other => panic!("set PIN: {other:?}"),
    }
    // The new PIN signs Pat in; the old one no longer does.
    let _pat = Raw::open(&dir, Some((SPECIALIST, NEW_PIN)));
    let old = Raw::open(&dir, None);
    assert!(matches!(
        old.ask(&Request::SignIn {
            staff: SPECIALIST,
            pin: Pin(SPECIALIST_PIN.into()),
        }),
        Response::Error(_)
    ));
    let log = ana.audit();
    assert!(
        log.iter().any(|e| e.seq > seq
            && e.actor.staff == Some(ADMIN)
            && matches!(&e.event, AuditEvent::Updated { id, .. } if id == &SPECIALIST.to_string())),
        "the PIN change is on the trail: {log:?}"
    );
    let trail = format!("{log:?}");
    assert!(!trail.contains(NEW_PIN), "the PIN is not on the trail");
    assert!(!trail.contains("argon2"), "nor its hash: {trail}");
}
