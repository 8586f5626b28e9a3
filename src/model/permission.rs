//! Who may do what: the permission table (role × permission), as domain
//! data.
//!
//! Every store operation names the one permission it needs (see
//! `store::api`); the authorizing layer (`ops::access::Authorized`) checks
//! it against this table for every path — the server per connection, the
//! command line and the terminal UI on the store's own files — so the rules
//! live here once.

use super::staff::Role;

/// Something a session may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// What a sign-in screen needs before anyone signs in: the staff names
    /// (never their PIN hashes), the organization's settings, where the
    /// store is. Everyone, signed in or not.
    SeeSignIn,
    /// Day-to-day caseload work: the roster, opening a peer, their goals,
    /// check-ins and group sessions, Today, recording check-ins and
    /// attendance, voiding a mistaken check-in or session. Every staff role;
    /// every read of identified peer data is on the audit trail.
    WorkCaseload,
    /// Credit work to another staff member: a check-in, a referral or its
    /// change of status, a goal's change of status or review naming someone
    /// other than the one signed in (units of service and referrals are
    /// counted per staff member). Supervisors and admins; audited.
    CreditOthers,
    /// List every check-in note of the organization page by page (the bulk
    /// read behind export and backups). Supervisors and admins.
    ReadAllNotes,
    /// Correct or void a check-in another staff member recorded, or take
    /// back their latest change of a goal's status (a peer specialist
    /// corrects their own). Supervisors and admins; the earlier version
    /// stays in the check-in's history, and the trail keeps the goal's.
    CorrectOthers,
    /// Merge two peer records made for the same person (every record moves
    /// and the merged id becomes an alias). Supervisors and admins.
    MergePeers,
    /// Read the audit log (supervisors and admins).
    ReadAudit,
    /// Export everything, every note included (supervisors and admins).
    Export,
    /// Add, change and deactivate staff accounts and their PINs (admins).
    ManageStaff,
    /// Change the organization settings (admins).
    ChangeSettings,
    /// Remove records for good (a peer, goal, check-in or session made by
    /// mistake): admins only. Ordinary staff void or discharge instead.
    Purge,
    /// Add and change entries of the community resource directory. Its
    /// crisis and after-hours entries are printed on every peer's
    /// take-home card, so a wrong number reaches everyone: supervisors
    /// and admins keep it (everyone reads it and makes referrals).
    ManageResources,
    /// Give a peer's information to a named recipient under their consent
    /// (an export or report `--for`): supervisors and admins, as for any
    /// export; recording, listing and revoking consents is ordinary
    /// caseload work (a peer may revoke at any time, to anyone).
    Disclose,
    /// Keep one's own certifications, continuing-education hours and
    /// supervision sessions. Every staff role; whose records beyond one's
    /// own is the two permissions below.
    KeepCredentials,
    /// See and add to the credentials of one's supervisees (the staff whose
    /// supervision sessions name one as supervisor), never their
    /// supervision notes with someone else. Supervisors and admins.
    SuperviseCredentials,
    /// Keep everyone's credentials, every supervision note included
    /// (admins).
    ManageCredentials,
    /// Turn a shared terminal into the self sign-in kiosk (supervisors and
    /// admins): the session then has only [`Permission::KioskSignIn`].
    StartKiosk,
    /// The kiosk's whole power: find one peer by what they typed and
    /// record their visit, leave a pending intake, or leave the kiosk with
    /// a staff PIN. The only permission a kiosk session has (the narrowest
    /// in the table); staff have it too, as it shows nothing.
    KioskSignIn,
}

impl Permission {
    /// Every permission, for tables and tests.
    pub const ALL: [Permission; 18] = [
        Permission::SeeSignIn,
        Permission::WorkCaseload,
        Permission::CreditOthers,
        Permission::CorrectOthers,
        Permission::MergePeers,
        Permission::ReadAllNotes,
        Permission::ReadAudit,
        Permission::Export,
        Permission::ManageStaff,
        Permission::ChangeSettings,
        Permission::Purge,
        Permission::ManageResources,
        Permission::Disclose,
        Permission::KeepCredentials,
        Permission::SuperviseCredentials,
        Permission::ManageCredentials,
        Permission::StartKiosk,
        Permission::KioskSignIn,
    ];

    /// The roles that have it (the table itself).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::SeeSignIn
            | Permission::WorkCaseload
            | Permission::KeepCredentials
            | Permission::KioskSignIn => &[Role::PeerSpecialist, Role::Supervisor, Role::Admin],
            Permission::CreditOthers
            | Permission::CorrectOthers
            | Permission::MergePeers
            | Permission::ReadAllNotes
            | Permission::ReadAudit
            | Permission::Export
            | Permission::ManageResources
            | Permission::Disclose
            | Permission::SuperviseCredentials
            | Permission::StartKiosk => &[Role::Supervisor, Role::Admin],
            Permission::ManageStaff
            | Permission::ChangeSettings
            | Permission::Purge
            | Permission::ManageCredentials => &[Role::Admin],
        }
    }

    /// True if a session that has not signed in has it (on a store whose
    /// staff have PINs).
    pub fn before_sign_in(self) -> bool {
        self == Permission::SeeSignIn
    }

    /// True if a kiosk session has it: only the kiosk's own sign-in.
    /// Not even the sign-in screen's staff names or the settings.
    pub fn kiosk(self) -> bool {
        self == Permission::KioskSignIn
    }

    /// What it allows, for messages ("… is for supervisor and admin only").
    pub fn action(self) -> &'static str {
        match self {
            Permission::SeeSignIn => "seeing the sign-in screen",
            Permission::WorkCaseload => "working with peers' records",
            Permission::CreditOthers => {
                "crediting work (a check-in, a referral) to another staff member"
            }
            Permission::ReadAllNotes => "listing every check-in note",
            Permission::CorrectOthers => {
                "correcting another staff member's work (a check-in, a goal's status change)"
            }
            Permission::MergePeers => "merging two peer records",
            Permission::ReadAudit => "reading the audit log",
            Permission::ManageStaff => "managing staff accounts",
            Permission::ChangeSettings => "changing the settings",
            Permission::Export => "exporting (an export holds every note)",
            Permission::Purge => "removing records for good",
            Permission::ManageResources => "changing the resource directory",
            Permission::Disclose => {
                "disclosing a peer's information to a recipient under their consent"
            }
            Permission::KeepCredentials => "keeping credentials and supervision",
            Permission::SuperviseCredentials => "keeping a supervisee's credentials",
            Permission::ManageCredentials => "keeping another staff member's credentials",
            Permission::StartKiosk => "starting the sign-in kiosk",
            Permission::KioskSignIn => "signing in at the kiosk",
        }
    }

    /// True if `role` has it.
    pub fn allows(self, role: Role) -> bool {
        self.roles().contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_grows_with_the_role() {
        for p in Permission::ALL {
            // Whatever a peer specialist may, a supervisor may; whatever a
            // supervisor may, an admin may.
            if p.allows(Role::PeerSpecialist) {
                assert!(p.allows(Role::Supervisor), "{p:?}");
            }
            if p.allows(Role::Supervisor) {
                assert!(p.allows(Role::Admin), "{p:?}");
            }
        }
        assert!(!Permission::Purge.allows(Role::Supervisor));
        assert!(!Permission::ReadAllNotes.allows(Role::PeerSpecialist));
        assert!(!Permission::CreditOthers.allows(Role::PeerSpecialist));
        assert!(!Permission::CorrectOthers.allows(Role::PeerSpecialist));
        assert!(Permission::CorrectOthers.allows(Role::Supervisor));
        assert!(!Permission::MergePeers.allows(Role::PeerSpecialist));
        assert!(Permission::MergePeers.allows(Role::Supervisor));
        assert!(Permission::WorkCaseload.allows(Role::PeerSpecialist));
        assert!(Permission::SeeSignIn.before_sign_in());
        assert!(!Permission::WorkCaseload.before_sign_in());
    }

    #[test]
    fn the_resource_directory_is_kept_by_supervisors_and_admins() {
        assert!(!Permission::ManageResources.allows(Role::PeerSpecialist));
        assert!(Permission::ManageResources.allows(Role::Supervisor));
        assert!(Permission::ManageResources.allows(Role::Admin));
        assert!(!Permission::ManageResources.before_sign_in());
        assert!(Permission::ALL.contains(&Permission::ManageResources));
    }

    #[test]
    fn disclosing_is_for_supervisors_and_admins() {
        assert!(!Permission::Disclose.allows(Role::PeerSpecialist));
        assert!(Permission::Disclose.allows(Role::Supervisor));
        assert!(Permission::Disclose.allows(Role::Admin));
        assert!(!Permission::Disclose.before_sign_in());
        assert!(Permission::Disclose.action().contains("consent"));
    }

    #[test]
    fn credential_rows() {
        // Everyone keeps their own credentials.
        for r in <Role as crate::model::Choice>::ALL.iter() {
            assert!(Permission::KeepCredentials.allows(*r), "{r:?}");
        }
        assert!(!Permission::KeepCredentials.before_sign_in());
        // Supervisors keep their supervisees'; peer specialists do not.
        assert!(!Permission::SuperviseCredentials.allows(Role::PeerSpecialist));
        assert!(Permission::SuperviseCredentials.allows(Role::Supervisor));
        assert!(Permission::SuperviseCredentials.allows(Role::Admin));
        // Everyone's (and every supervision note): admins only.
        assert!(!Permission::ManageCredentials.allows(Role::PeerSpecialist));
        assert!(!Permission::ManageCredentials.allows(Role::Supervisor));
        assert!(Permission::ManageCredentials.allows(Role::Admin));
    }

    #[test]
    fn the_kiosk_is_the_narrowest_session_and_only_leads_start_it() {
        let kiosk: Vec<Permission> = Permission::ALL.into_iter().filter(|p| p.kiosk()).collect();
        assert_eq!(kiosk, vec![Permission::KioskSignIn]);
        assert!(!Permission::SeeSignIn.kiosk());
        assert!(!Permission::WorkCaseload.kiosk());
        assert!(!Permission::StartKiosk.allows(Role::PeerSpecialist));
        assert!(Permission::StartKiosk.allows(Role::Supervisor));
        assert!(Permission::StartKiosk.allows(Role::Admin));
        assert!(Permission::KioskSignIn.allows(Role::PeerSpecialist));
        assert!(!Permission::KioskSignIn.before_sign_in());
    }
}
