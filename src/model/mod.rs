//! The domain: plain types and rules of a peer-run organization's caseload.
//!
//! Nothing here knows about terminals, sled or the command line, so every
//! rule can be tested with plain values.

pub mod assessment;
pub mod card;
pub mod checkin;
pub mod choice;
pub mod consent;
pub mod credential;
pub mod dates;
pub mod goal;
pub mod group;
pub mod ids;
pub mod instrument;
pub mod names;
pub mod peer;
pub mod permission;
pub mod record;
pub mod referral;
pub mod report;
pub mod settings;
pub mod staff;
pub mod stored_time;
pub mod today;
pub mod validate;
pub mod visit;

pub use assessment::Assessment;
pub use checkin::{CheckIn, CheckInMode, SupportKind};
pub use choice::Choice;
pub use consent::{
    Consent, ConsentState, Disclosure, Expiry, RecipientKind, Revocation, ShareKind,
};
pub use credential::{
    Certification, CeuEntry, CredentialRecords, Hours, Requirement, Supervision, SupervisionMode,
};
pub use goal::{Goal, GoalStatus, LifeDomain, Step};
pub use group::{Group, GroupSession};
pub use ids::{
    AssessmentId, CertificationId, CeuId, CheckInId, ConsentId, DisclosureId, GoalId, GroupId, Id,
    IntakeId, PeerId, ReferralId, ResourceId, SessionId, StaffId, SupervisionId, VisitId,
};
pub use peer::{AgeBand, ContactPreference, Demographics, Episode, Peer, PeerStatus, WellnessPlan};
pub use permission::Permission;
pub use record::{Actor, Entity, Meta, Record, Void};
pub use referral::{Referral, ReferralStatus, ReferralUpdate, Resource, ResourceCategory};
pub use settings::{DemographicFields, Settings};
pub use staff::{Pin, Role, Staff};
pub use validate::ValidationError;
pub use visit::{Intake, KioskReply, Visit};
