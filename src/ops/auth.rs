//! Staff sign-in, PINs and what each role may do.
//!
//! PINs (or longer passphrases) are stored only as argon2id hashes. Wrong
//! PINs are slowed down per staff member and login with a growing wait
//! that is returned as a refusal ("try again in 20 s"), never slept, so
//! nothing blocks and tests need no sleeps; the rules are in
//! [`super::throttle`]. Sign-in is required as soon as any staff
//! member has a PIN; until then caseload works as the single-user tool it
//! was. The same rules run in the server (for every connection) and in the
//! command line (when it opens the store itself).

use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::model::{Actor, Record, Role, Staff, StaffId};
use crate::store::{AuditEvent, DenialKind, Store, StoreError};
use crate::text::escape_line;

/// Fewest characters in a PIN.
pub const MIN_PIN_CHARS: usize = 4;
/// Most characters in a PIN or passphrase (argon2 hashes anything, but a
/// bound keeps a pasted file from being hashed).
pub const MAX_PIN_CHARS: usize = 256;
pub use super::throttle::{
    check_slot, Clock, SystemClock, Throttle, CHECK_QUEUE_WAIT, FIRST_WAIT, FREE_TRIES,
    LONGEST_WAIT, MAX_PARALLEL_CHECKS,
};

/// What a server shows in place of a PIN hash: clients never see hashes
/// (a 4-digit PIN falls to an offline search in minutes). A record that
/// carries it back keeps the hash it has; a store restored from an export
/// made through a server has it instead of a hash, and the PIN must be
/// set again.
pub const HIDDEN_PIN: &str = "(hidden)";

pub use crate::model::Permission;

/// Why a sign-in or an action was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The PIN breaks the rules (too short, too long, blank).
    #[error("{0}")]
    BadPin(String),
    /// The staff member has no PIN to check against.
    #[error("{name} has no PIN yet; an admin sets one with `caseload staff set-pin` (the PIN is read from standard input)")]
    NoPin {
        /// Who.
        name: String,
    },
    /// The stored PIN cannot be checked (restored from an export made
    /// through a server, which never carries PIN hashes).
    #[error("the PIN of {name} was not part of the restored backup; an admin must set it again with `caseload staff set-pin`")]
    PinNotRestored {
        /// Who.
        name: String,
    },
    /// The account is deactivated.
    #[error("the account of {name} is inactive; an admin can reactivate it")]
    Inactive {
        /// Who.
        name: String,
    },
    /// The PIN is wrong.
    #[error("wrong PIN for {name}")]
    WrongPin {
        /// Who.
        name: String,
    },
    /// Too many wrong PINs in a row: wait before the next try.
    #[error("too many wrong PINs for {name}; try again in {seconds} s")]
    TryAgain {
        /// Who.
        name: String,
        /// Seconds to wait.
        seconds: u64,
    },
    /// Every argon2 slot stayed taken (many sign-ins at once): nothing was
    /// checked or counted.
    #[error("the PIN of {name} could not be checked: too many sign-ins are being checked at once; try again in a moment")]
    Busy {
        /// Who.
        name: String,
    },
    /// Every argon2 slot stayed taken while a new PIN waited to be hashed
    /// (many sign-ins at once): nothing was saved, and the PIN itself was
    /// fine, so this is no field problem.
    #[error("the PIN could not be saved: too many PINs are being checked at once; try again in a moment")]
    HashBusy,
    /// The role lacks the permission.
    #[error("{action} is for {roles} only; {name} is a {role}")]
    Forbidden {
        /// What was refused.
        action: &'static str,
        /// Who may.
        roles: String,
        /// Who asked.
        name: String,
        /// Their role.
        role: &'static str,
    },
    /// The store failed, or a server refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AuthError {
    /// How long to wait before trying again, when refused for that.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            AuthError::TryAgain { seconds, .. }
            | AuthError::Store(StoreError::Denied {
                retry_after_secs: Some(seconds),
                ..
            }) => Some(Duration::from_secs(*seconds)),
            _ => None,
        }
    }
}

impl From<AuthError> for StoreError {
    /// How a server reports an auth refusal to its client.
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Store(inner) => inner,
            other => StoreError::Denied {
                retry_after_secs: other.retry_after().map(|d| d.as_secs()),
                kind: match other {
                    AuthError::WrongPin { .. } => DenialKind::WrongPin,
                    AuthError::TryAgain { .. } => DenialKind::TooManyTries,
                    _ => DenialKind::Other,
                },
                reason: other.to_string(),
            },
        }
    }
}

/// Refuses unless `staff`'s role has `permission`.
pub fn require(staff: &Staff, permission: Permission) -> Result<(), AuthError> {
    if permission.allows(staff.role) {
        return Ok(());
    }
    let roles: Vec<&str> = permission
        .roles()
        .iter()
        .map(|r| crate::model::Choice::label(*r))
        .collect();
    Err(AuthError::Forbidden {
        action: permission.action(),
        roles: roles.join(" and "),
        name: escape_line(&staff.name).into_owned(),
        role: crate::model::Choice::label(staff.role),
    })
}

/// Checks a new PIN against the rules.
pub fn check_pin_rules(pin: &str) -> Result<(), AuthError> {
    let n = pin.chars().count();
    if pin.trim().is_empty() {
        return Err(AuthError::BadPin("the PIN is empty".into()));
    }
    if n < MIN_PIN_CHARS {
        return Err(AuthError::BadPin(format!(
            "the PIN is {n} characters long; use at least {MIN_PIN_CHARS}"
        )));
    }
    if n > MAX_PIN_CHARS {
        return Err(AuthError::BadPin(format!(
            "the PIN is {n} characters long; use at most {MAX_PIN_CHARS}"
        )));
    }
    Ok(())
}

/// Hashes a PIN with argon2id and a fresh random salt (PHC string).
pub fn hash_pin(pin: &str) -> Result<String, AuthError> {
    check_pin_rules(pin)?;
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| AuthError::BadPin(format!("cannot make a salt: {e}")))?;
    let _slot = check_slot(CHECK_QUEUE_WAIT).ok_or(AuthError::HashBusy)?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::BadPin(format!("cannot hash the PIN: {e}")))
}

/// Checks `pin` against the rules and hashes it, for the store that keeps
/// it (`Store::set_pin`): a PIN below the rules is refused as invalid,
/// naming the PIN field, and the PIN itself is in no message.
pub fn pin_hash_for_store(pin: &crate::model::Pin) -> Result<String, StoreError> {
    hash_pin(&pin.0).map_err(|e| match e {
        AuthError::BadPin(m) => StoreError::Invalid(crate::model::ValidationError::one("PIN", m)),
        AuthError::Store(s) => s,
        other => other.into(),
    })
}

/// True if `hash` is a PIN hash that can be checked (not hidden or lost).
pub fn usable_hash(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok()
}

/// True if `pin` matches `hash`; false for any hash that cannot be read.
/// Runs argon2 (about 19 MiB): callers hold a [`check_slot`], as
/// [`verify_pin`] does.
pub fn pin_matches(hash: &str, pin: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Puts a refused sign-in on the trail, coalesced by the throttle (one
/// entry per staff member and login per minute, with a count).
fn refuse(
    store: &dyn Store,
    throttle: &Throttle,
    login: &str,
    staff: StaffId,
    err: AuthError,
) -> AuthError {
    let (reason, kind) = match &err {
        AuthError::WrongPin { .. } => ("wrong PIN".to_string(), "wrong PIN"),
        AuthError::TryAgain { seconds, .. } => (
            format!("too many wrong PINs (next try allowed in {seconds} s)"),
            "too many wrong PINs",
        ),
        AuthError::Inactive { .. } => ("inactive account".to_string(), "inactive account"),
        AuthError::NoPin { .. } => ("no PIN set".to_string(), "no PIN set"),
        AuthError::PinNotRestored { .. } => ("PIN not restored".to_string(), "PIN not restored"),
        AuthError::Busy { .. } => (
            "server busy checking other PINs".to_string(),
            "server busy checking other PINs",
        ),
        other => (other.to_string(), "other"),
    };
    if let Some(event) = throttle.refused(staff, login, &reason, kind) {
        if let Err(e) = store.record_event(event, &Actor::login(login)) {
            tracing::warn!(error = %e, "could not record a failed sign-in");
        }
    }
    err
}

/// Checks `pin` for `staff` here (not through a server): active account,
/// not throttled, PIN right. The try is counted before argon2 runs (see
/// [`super::throttle`]), and argon2 waits for one of the process's
/// [`MAX_PARALLEL_CHECKS`] slots. Success and failure both go to the audit
/// trail (failures coalesced); a success that cannot be recorded is
/// refused.
pub fn verify_pin(
    store: &dyn Store,
    throttle: &Throttle,
    staff: StaffId,
    pin: &str,
    login: &str,
) -> Result<Record<Staff>, AuthError> {
    let rec = store.staff(staff)?;
    let name = escape_line(&rec.name).into_owned();
    let refuse = |err| refuse(store, throttle, login, staff, err);
    if !rec.active {
        return Err(refuse(AuthError::Inactive { name }));
    }
    let reserved = match throttle.reserve(staff, login) {
        Ok(r) => r,
        Err(wait) => {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(refuse(AuthError::TryAgain { name, seconds }));
        }
    };
    let hash = match rec.pin_hash.as_deref() {
        Some(h) if usable_hash(h) => h,
        missing => {
            // Nothing to check against: not a guess, so not counted.
            throttle.unreserve(reserved);
            return Err(refuse(match missing {
                None => AuthError::NoPin { name },
                Some(_) => AuthError::PinNotRestored { name },
            }));
        }
    };
    let Some(slot) = check_slot(CHECK_QUEUE_WAIT) else {
        throttle.unreserve(reserved);
        return Err(refuse(AuthError::Busy { name }));
    };
    throttle.counted_check();
    let right = pin_matches(hash, pin);
    drop(slot);
    if !right {
        // The reserved try stays counted.
        return Err(refuse(AuthError::WrongPin { name }));
    }
    throttle.succeed(reserved);
    // Pending tallies first, so the trail is complete for whoever reads it
    // next and the sign-in is the newest entry.
    throttle.flush(store);
    store.record_event(AuditEvent::SignedIn { staff }, &Actor::staff(staff, login))?;
    Ok(rec)
}

/// Signs in: through the server when the store is one (the server checks
/// and binds the session), else here with `throttle`.
pub fn sign_in(
    store: &dyn Store,
    throttle: &Throttle,
    staff: StaffId,
    pin: &str,
    login: &str,
) -> Result<Record<Staff>, AuthError> {
    match store.sign_in(staff, pin)? {
        Some(rec) => Ok(rec),
        None => verify_pin(store, throttle, staff, pin, login),
    }
}

/// Sets (or replaces) the PIN of `staff`: the rules are checked here for a
/// clear message, and again where the data is served, which hashes it
/// (`Store::set_pin`; a PIN hash is never sent). Who may do it is the
/// serving layer's rule: admins for anyone, everyone for themselves.
pub fn set_pin(
    store: &dyn Store,
    actor: &Actor,
    staff: StaffId,
    pin: &str,
) -> Result<Record<Staff>, AuthError> {
    check_pin_rules(pin)?;
    Ok(store.set_pin(staff, crate::model::Pin(pin.to_string()), actor)?)
}

/// True once any active staff member has a PIN: from then on every
/// session signs in. Fails closed: if the staff cannot be read, sign-in
/// is required.
pub fn sign_in_required(store: &dyn Store) -> bool {
    match store.list_staff() {
        Ok(staff) => staff_require_sign_in(&staff),
        Err(_) => true,
    }
}

/// [`sign_in_required`] over a list already read.
pub fn staff_require_sign_in(staff: &[Record<Staff>]) -> bool {
    staff.iter().any(|s| s.active && s.pin_hash.is_some())
}

/// True if some active admin has a PIN that can be checked, so someone can
/// always manage the staff once sign-in is required.
pub fn admin_can_sign_in(staff: &[Record<Staff>]) -> bool {
    staff.iter().any(|s| {
        s.active && s.role == Role::Admin && s.pin_hash.as_deref().is_some_and(usable_hash)
    })
}

/// Refuses a change to a staff record that would leave nobody able to
/// manage staff: while some active admin can sign in, one must still be
/// able to afterwards.
pub fn keeps_an_admin(staff: &[Record<Staff>], changed: &Record<Staff>) -> Result<(), AuthError> {
    if !admin_can_sign_in(staff) {
        return Ok(());
    }
    let after: Vec<Record<Staff>> = staff
        .iter()
        .map(|s| {
            if s.id == changed.id {
                changed.clone()
            } else {
                s.clone()
            }
        })
        .collect();
    if admin_can_sign_in(&after) {
        Ok(())
    } else {
        Err(AuthError::Store(StoreError::Refused(format!(
            "this change would leave no active admin who can sign in; make someone else an admin with a PIN first (changing {})",
            escape_line(&changed.name)
        ))))
    }
}

/// Replaces a PIN hash with [`HIDDEN_PIN`] before a record leaves a server.
pub fn hide_pin(rec: &mut Record<Staff>) {
    if rec.pin_hash.is_some() {
        rec.pin_hash = Some(HIDDEN_PIN.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AuditFilter, SledStore};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    /// A clock the test moves by hand.
    struct ManualClock {
        start: Instant,
        offset: Mutex<Duration>,
    }

    impl ManualClock {
        fn new() -> Arc<Self> {
            Arc::new(ManualClock {
                start: Instant::now(),
                offset: Mutex::new(Duration::ZERO),
            })
        }
        fn advance(&self, by: Duration) {
            let mut o = self.offset.lock().unwrap();
            *o += by;
        }
    }

    impl Clock for ManualClock {
        fn now(&self) -> Instant {
            self.start + *self.offset.lock().unwrap()
        }
    }

    fn store_with(role: Role, pin: Option<&str>) -> (tempfile::TempDir, SledStore, StaffId) {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let mut s = Staff::new("Ana Ruiz", role);
        if let Some(p) = pin {
            s.pin_hash = Some(hash_pin(p).unwrap());
        }
        let rec = store.create_staff(s, &Actor::login("setup")).unwrap();
        (dir, store, rec.id)
    }

    #[test]
    fn hashes_are_salted_argon2id_and_verify_only_the_right_pin() {
        let a = hash_pin("2468").unwrap();
        let b = hash_pin("2468").unwrap();
        assert_ne!(a, b, "a fresh salt each time");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert!(!a.contains("2468"));
        assert!(pin_matches(&a, "2468"));
        assert!(!pin_matches(&a, "2469"));
        assert!(!pin_matches(HIDDEN_PIN, "2468"));
        assert!(!usable_hash(HIDDEN_PIN));
    }

    #[test]
    fn pins_shorter_than_four_are_refused() {
        assert!(matches!(check_pin_rules("123"), Err(AuthError::BadPin(_))));
        assert!(matches!(check_pin_rules("    "), Err(AuthError::BadPin(_))));
        assert!(check_pin_rules("1234").is_ok());
        assert!(check_pin_rules(&"x".repeat(MAX_PIN_CHARS + 1)).is_err());
    }

    #[test]
    fn right_pin_signs_in_and_is_audited() {
        let (_d, store, id) = store_with(Role::PeerSpecialist, Some("1357"));
        let t = Throttle::default();
        let rec = verify_pin(&store, &t, id, "1357", "ana").unwrap();
        assert_eq!(rec.id, id);
        let log = store.audit(&AuditFilter::default()).unwrap();
        assert_eq!(log[0].event, AuditEvent::SignedIn { staff: id });
        assert_eq!(log[0].actor, Actor::staff(id, "ana"));
    }

    #[test]
    fn wrong_pin_is_refused_and_audited() {
        let (_d, store, id) = store_with(Role::PeerSpecialist, Some("1357"));
        let t = Throttle::default();
        let err = verify_pin(&store, &t, id, "0000", "mallory").unwrap_err();
        assert_eq!(err.to_string(), "wrong PIN for Ana Ruiz");
        let log = store.audit(&AuditFilter::default()).unwrap();
        assert_eq!(
            log[0].event,
            AuditEvent::SignInFailed {
                staff: Some(id),
                reason: "wrong PIN".into()
            }
        );
        assert_eq!(log[0].actor, Actor::login("mallory"));
    }

    #[test]
    fn repeated_wrong_pins_wait_longer_each_time_then_reset() {
        let (_d, store, id) = store_with(Role::Admin, Some("1357"));
        let clock = ManualClock::new();
        let t = Throttle::new(clock.clone());
        for _ in 0..FREE_TRIES {
            assert!(matches!(
                verify_pin(&store, &t, id, "0000", "x"),
                Err(AuthError::WrongPin { .. })
            ));
        }
        // Now even the right PIN must wait: that is what makes guessing slow.
        let err = verify_pin(&store, &t, id, "1357", "x").unwrap_err();
        assert_eq!(err.retry_after(), Some(FIRST_WAIT));
        assert!(err.to_string().contains("try again in 5 s"), "{err}");
        clock.advance(FIRST_WAIT);
        assert!(matches!(
            verify_pin(&store, &t, id, "0000", "x"),
            Err(AuthError::WrongPin { .. })
        ));
        let err = verify_pin(&store, &t, id, "1357", "x").unwrap_err();
        assert_eq!(err.retry_after(), Some(FIRST_WAIT * 2), "doubles");
        clock.advance(FIRST_WAIT * 2);
        verify_pin(&store, &t, id, "1357", "x").unwrap();
        // A right PIN forgets the wrong ones.
        assert!(t.check(id, "x").is_ok());
        assert!(matches!(
            verify_pin(&store, &t, id, "0000", "x"),
            Err(AuthError::WrongPin { .. })
        ));
        assert!(
            t.check(id, "x").is_ok(),
            "one wrong PIN after a reset is free"
        );
        assert_eq!(Throttle::wait_after(60), LONGEST_WAIT);
    }

    #[test]
    fn parallel_wrong_pins_are_checked_no_more_than_sequential_ones_and_only_at_their_login() {
        let (_d, store, id) = store_with(Role::PeerSpecialist, Some("1357"));
        let store = Arc::new(store);
        let t = Arc::new(Throttle::default());
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let (store, t) = (Arc::clone(&store), Arc::clone(&t));
                std::thread::spawn(move || {
                    verify_pin(store.as_ref(), &t, id, &format!("9{i:03}"), "mallory").is_err()
                })
            })
            .collect();
        assert!(handles.into_iter().all(|h| h.join().unwrap()));
        assert_eq!(t.pin_checks(), u64::from(FREE_TRIES));
        // Mallory's wrong PINs do not keep Ana out at her own login.
        verify_pin(store.as_ref(), &t, id, "1357", "ana").unwrap();
        assert_eq!(t.pin_checks(), u64::from(FREE_TRIES) + 1);
        let log = store.audit(&AuditFilter::default()).unwrap();
        let failed: Vec<_> = log
            .iter()
            .filter(|e| e.event.failed_sign_ins() > 0)
            .collect();
        assert_eq!(
            failed
                .iter()
                .map(|e| e.event.failed_sign_ins())
                .sum::<u32>(),
            20,
            "every refusal counted: {failed:?}"
        );
        assert_eq!(failed.len(), 2, "the first at once, the rest as one tally");
        assert!(failed.iter().all(|e| e.actor == Actor::login("mallory")));
        assert_eq!(log[0].event, AuditEvent::SignedIn { staff: id });
    }

    #[test]
    fn inactive_staff_and_missing_pins_are_refused() {
        let (_d, store, id) = store_with(Role::Admin, None);
        let t = Throttle::default();
        assert!(matches!(
            verify_pin(&store, &t, id, "1234", "x"),
            Err(AuthError::NoPin { .. })
        ));
        let mut rec = set_pin(&store, &Actor::login("x"), id, "1234").unwrap();
        rec.pin_hash = Some(HIDDEN_PIN.into());
        let mut rec = store.update_staff(&rec, &Actor::login("x")).unwrap();
        assert!(matches!(
            verify_pin(&store, &t, id, "1234", "x"),
            Err(AuthError::PinNotRestored { .. })
        ));
        rec.active = false;
        store.update_staff(&rec, &Actor::login("x")).unwrap();
        assert!(matches!(
            verify_pin(&store, &t, id, "1234", "x"),
            Err(AuthError::Inactive { .. })
        ));
    }

    #[test]
    fn sign_in_is_required_once_anyone_has_a_pin() {
        let (_d, store, id) = store_with(Role::PeerSpecialist, None);
        assert!(!sign_in_required(&store));
        set_pin(&store, &Actor::login("x"), id, "9999").unwrap();
        assert!(sign_in_required(&store));
        let staff = store.list_staff().unwrap();
        assert!(
            !admin_can_sign_in(&staff),
            "a peer specialist is not an admin"
        );
    }

    #[test]
    fn roles_have_exactly_their_permissions() {
        let ps = Staff::new("P", Role::PeerSpecialist);
        let sup = Staff::new("S", Role::Supervisor);
        let adm = Staff::new("A", Role::Admin);
        for p in [
            Permission::ReadAudit,
            Permission::ManageStaff,
            Permission::ChangeSettings,
            Permission::Export,
        ] {
            assert!(require(&ps, p).is_err(), "{p:?}");
            assert!(require(&adm, p).is_ok(), "{p:?}");
        }
        assert!(require(&sup, Permission::ReadAudit).is_ok());
        assert!(require(&sup, Permission::Export).is_ok());
        assert!(require(&sup, Permission::ManageStaff).is_err());
        assert!(require(&sup, Permission::ChangeSettings).is_err());
        let msg = require(&ps, Permission::ReadAudit).unwrap_err().to_string();
        assert_eq!(
            msg,
            "reading the audit log is for supervisor and admin only; P is a peer specialist"
        );
    }
}

/// What a staff edit changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffEdit {
    /// New full name.
    pub name: Option<String>,
    /// New initials.
    pub initials: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// New login (`Some(None)` clears it).
    pub login: Option<Option<String>>,
    /// Active again (`Some(true)`) or deactivated (`Some(false)`).
    pub active: Option<bool>,
}

/// Edits a staff member (name, initials, role, login, active) for the CLI
/// and the Staff screen alike: the change must keep an active admin who
/// can sign in ([`keeps_an_admin`], whose refusal says why), and must
/// change something.
pub fn edit_staff(
    store: &dyn Store,
    actor: &crate::model::Actor,
    id: StaffId,
    edit: &StaffEdit,
) -> Result<Record<Staff>, AuthError> {
    if *edit == StaffEdit::default() {
        return Err(AuthError::Store(StoreError::Refused(
            "nothing to change; give --name, --initials, --role or --login".into(),
        )));
    }
    let mut rec = store.staff(id)?;
    if let Some(n) = &edit.name {
        rec.name = n.trim().to_string();
    }
    if let Some(i) = &edit.initials {
        rec.initials = i.trim().to_string();
    }
    if let Some(r) = edit.role {
        rec.role = r;
    }
    if let Some(l) = &edit.login {
        rec.login = l.clone().filter(|l| !l.trim().is_empty());
    }
    if let Some(a) = edit.active {
        rec.active = a;
    }
    keeps_an_admin(&store.list_staff()?, &rec)?;
    Ok(store.update_staff(&rec, actor)?)
}
