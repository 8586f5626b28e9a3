//! Staff members: the peer specialists, supervisors and admins who use
//! caseload.

use serde::{Deserialize, Serialize};

use super::choice::choice_enum;
use super::ids::StaffKind;
use super::record::Entity;
use super::validate::{Checker, ValidationError};

choice_enum!(
    /// What a staff member may do; later issues gate actions on it.
    Role, "role" {
        /// Works a caseload.
        PeerSpecialist = ("peer-specialist", "peer specialist"),
        /// Also reads the audit log and all notes.
        Supervisor = ("supervisor", "supervisor"),
        /// Also manages staff accounts and settings.
        Admin = ("admin", "admin"),
    }
);

/// A staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    /// Full name as colleagues know it.
    pub name: String,
    /// Two or three letters shown in tight columns.
    pub initials: String,
    /// What they may do.
    pub role: Role,
    /// Inactive staff keep their history but no longer sign in.
    pub active: bool,
    /// Operating-system login mapped to this account, if any.
    pub login: Option<String>,
    /// argon2 hash of their PIN or passphrase, if one is set.
    pub pin_hash: Option<String>,
}

impl Staff {
    /// A new active staff member with initials derived from the name.
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        let name = name.into();
        Staff {
            initials: initials_of(&name),
            name,
            role,
            active: true,
            login: None,
            pin_hash: None,
        }
    }
}

/// Up to three upper-case initials of a name ("Ana María Ruiz" → "AMR").
pub fn initials_of(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .take(3)
        .collect()
}

impl Entity for Staff {
    type Kind = StaffKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("staff name", &self.name);
        c.ensure(
            !self.initials.trim().is_empty() && self.initials.chars().count() <= 4,
            "initials",
            "must be 1 to 4 characters",
        );
        c.short("login", self.login.as_deref());
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::choice::Choice;

    #[test]
    fn initials_handle_accents_and_scripts() {
        assert_eq!(initials_of("Ana María Ruiz"), "AMR");
        assert_eq!(initials_of("Łukasz  nowak"), "ŁN");
        assert_eq!(initials_of("李伟"), "李");
        assert_eq!(initials_of(""), "");
    }

    #[test]
    fn roles_parse_by_key_or_label() {
        assert_eq!("peer specialist".parse::<Role>(), Ok(Role::PeerSpecialist));
        assert_eq!("ADMIN".parse::<Role>(), Ok(Role::Admin));
        let err = "boss".parse::<Role>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown role 'boss' (valid: peer-specialist, supervisor, admin)"
        );
        assert_eq!(Role::ALL.len(), 3);
    }

    #[test]
    fn validation_names_fields() {
        let mut s = Staff::new("", Role::Admin);
        s.initials = String::new();
        let msg = s.validate().unwrap_err().to_string();
        assert!(msg.contains("staff name: must not be empty"));
        assert!(msg.contains("initials"));
    }
}

/// A PIN on its way to where the data is served (which checks its rules
/// and hashes it): encoded as the plain string it is, but never shown by
/// `Debug`, so that no log, audit entry or panic message can carry it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pin(pub String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(hidden)")
    }
}
