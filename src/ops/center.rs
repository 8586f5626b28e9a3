//! Running a center without a shell: the first-run set-up (the center's
//! name, the first admin, the units-of-service rule) and the staff and
//! roster changes the UI's Staff screen and peer forms make. The CLI has
//! its own commands for each; the rules they share (the last admin who can
//! sign in, PIN rules, validation) are the ones in `ops::auth` and the
//! model, so both paths agree. Who may do what is the authorizing store's
//! business (`ops::access`), never decided here.

use crate::model::{Actor, Entity, Peer, Record, Role, Settings, Staff, ValidationError};
use crate::ops::auth::{self, AuthError};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// What the first-run set-up asks for.
#[derive(Clone, PartialEq, Eq)]
pub struct SetUp {
    /// The center's name (title bar, reports).
    pub organization: String,
    /// The first admin's full name.
    pub admin_name: String,
    /// Their initials (derived from the name when empty).
    pub initials: String,
    /// Their PIN, if they want one (then everyone signs in from now on).
    pub pin: Option<String>,
    /// Minutes in one unit of service.
    pub unit_minutes: u16,
    /// Minutes of a partial unit that still count.
    pub unit_threshold_minutes: u16,
    /// Most units per peer per day, if the funder caps it.
    pub daily_unit_cap: Option<u32>,
}

impl std::fmt::Debug for SetUp {
    /// Never shows the PIN (logs and test failures may print a request).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetUp")
            .field("organization", &self.organization)
            .field("admin_name", &self.admin_name)
            .field("initials", &self.initials)
            .field("pin", &self.pin.as_ref().map(|_| "hidden"))
            .field("unit_minutes", &self.unit_minutes)
            .field("unit_threshold_minutes", &self.unit_threshold_minutes)
            .field("daily_unit_cap", &self.daily_unit_cap)
            .finish()
    }
}

impl Default for SetUp {
    fn default() -> Self {
        let s = Settings::default();
        SetUp {
            organization: String::new(),
            admin_name: String::new(),
            initials: String::new(),
            pin: None,
            unit_minutes: s.unit_minutes,
            unit_threshold_minutes: s.unit_threshold_minutes,
            daily_unit_cap: s.daily_unit_cap,
        }
    }
}

/// A PIN problem as a problem of the field `field`, so a form shows it
/// under the PIN; any other refusal as the store's.
pub fn pin_problem(field: &str, e: AuthError) -> OpsError {
    match e {
        AuthError::BadPin(m) => ValidationError::one(field, m).into(),
        AuthError::Store(s) => OpsError::Store(s),
        other => OpsError::Store(other.into()),
    }
}

/// Sets up an empty store: saves the settings, then adds the first admin
/// (with a PIN if one is given). Everything is checked before anything is
/// written, so a bad value leaves the store as empty as it was. Refused
/// once any staff member exists: from then on the Staff screen and the
/// settings change things one at a time.
pub fn set_up(store: &dyn Store, actor: &Actor, setup: &SetUp) -> OpsResult<Record<Staff>> {
    if !store.list_staff()?.is_empty() {
        return Err(OpsError::Refused(
            "this store is already set up: staff exist; change them on the Staff screen".into(),
        ));
    }
    let mut settings = store.settings()?;
    settings.organization_name = setup.organization.trim().to_string();
    settings.unit_minutes = setup.unit_minutes;
    settings.unit_threshold_minutes = setup.unit_threshold_minutes;
    settings.daily_unit_cap = setup.daily_unit_cap.filter(|c| *c > 0);
    let mut problems = ValidationError {
        problems: Vec::new(),
    };
    if let Err(v) = settings.validate() {
        problems.problems.extend(v.problems);
    }
    let mut admin = Staff::new(setup.admin_name.trim(), Role::Admin);
    if !setup.initials.trim().is_empty() {
        admin.initials = setup.initials.trim().to_string();
    }
    if let Err(v) = admin.validate() {
        problems.problems.extend(v.problems);
    }
    if let Some(pin) = &setup.pin {
        if let Err(AuthError::BadPin(m)) = auth::check_pin_rules(pin) {
            problems.problems.push(crate::model::validate::FieldError {
                field: "PIN".into(),
                problem: m,
            });
        }
    }
    if !problems.problems.is_empty() {
        return Err(problems.into());
    }
    // Settings first: once an admin has a PIN, changing them needs a
    // signed-in admin. The PIN goes on its own, after the admin exists,
    // to where the data is served (which hashes it).
    store.save_settings(&settings, actor)?;
    let admin = store.create_staff(admin, actor)?;
    match &setup.pin {
        Some(pin) => auth::set_pin(store, actor, admin.id, pin).map_err(|e| pin_problem("PIN", e)),
        None => Ok(admin),
    }
}

/// Adds a staff member (with a PIN if given, checked against the rules
/// before anything is written, then set on its own: a staff record never
/// carries a PIN hash to the store).
pub fn add_staff(
    store: &dyn Store,
    actor: &Actor,
    mut staff: Staff,
    pin: Option<&str>,
) -> OpsResult<Record<Staff>> {
    staff.name = staff.name.trim().to_string();
    staff.initials = staff.initials.trim().to_string();
    if staff.initials.is_empty() {
        staff.initials = crate::model::staff::initials_of(&staff.name);
    }
    staff.login = staff.login.filter(|l| !l.trim().is_empty());
    staff.validate()?;
    if let Some(pin) = pin {
        auth::check_pin_rules(pin).map_err(|e| pin_problem("PIN", e))?;
    }
    let rec = store.create_staff(staff, actor)?;
    match pin {
        Some(pin) => auth::set_pin(store, actor, rec.id, pin).map_err(|e| pin_problem("PIN", e)),
        None => Ok(rec),
    }
}

/// Saves an edited peer: validated first, so every problem names its field.
pub fn edit_peer(store: &dyn Store, actor: &Actor, peer: &Record<Peer>) -> OpsResult<Record<Peer>> {
    peer.validate()?;
    Ok(store.update_peer(peer, actor)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledStore;

    fn setup() -> SetUp {
        SetUp {
            organization: "Harbour Peer Center".into(),
            admin_name: "Rangi Parata".into(),
            pin: Some("2468".into()),
            ..SetUp::default()
        }
    }

    #[test]
    fn sets_up_an_empty_store_once_and_checks_everything_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let actor = Actor::login("t");
        let mut bad = setup();
        bad.organization = " ".into();
        bad.pin = Some("12".into());
        bad.unit_minutes = 0;
        let err = set_up(&store, &actor, &bad).unwrap_err();
        let OpsError::Invalid(v) = err else {
            panic!("{err}")
        };
        let fields: Vec<&str> = v.problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"organization name"), "{fields:?}");
        assert!(fields.contains(&"unit minutes"), "{fields:?}");
        assert!(fields.contains(&"PIN"), "{fields:?}");
        assert!(store.list_staff().unwrap().is_empty(), "nothing written");
        assert_eq!(store.settings().unwrap(), Settings::default());

        let admin = set_up(&store, &actor, &setup()).unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert_eq!(admin.initials, "RP");
        assert!(admin
            .pin_hash
            .as_deref()
            .is_some_and(|h| auth::pin_matches(h, "2468")));
        assert_eq!(
            store.settings().unwrap().organization_name,
            "Harbour Peer Center"
        );
        assert!(matches!(
            set_up(&store, &actor, &setup()),
            Err(OpsError::Refused(_))
        ));
        assert!(!format!("{:?}", setup()).contains("2468"));
    }
}
