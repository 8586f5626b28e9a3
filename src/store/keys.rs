//! The trees of a store and the index entries each record kind keeps.
//!
//! An index entry is a key with an empty value: the sort fields followed by
//! the record id. Index entries are derived from the record alone, so a
//! write removes the old record's entries and adds the new one's in the same
//! transaction: index and record never disagree.

use crate::model::today::LastCheckIn;
use crate::model::{
    Assessment, CheckIn, CheckInId, Entity, Goal, Group, GroupSession, Intake, Peer, PeerId, Staff,
    Visit,
};
use serde::{Deserialize, Serialize};

use super::codec::{date_from_key, date_key, id_key, key, time_key, trailing_id};

/// Every tree of a store, in a fixed order (the order of `NAMES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum T {
    /// Schema version, counters, settings, markers.
    Meta = 0,
    Staff,
    Peers,
    Goals,
    CheckIns,
    Groups,
    Sessions,
    /// peer, time, check-in
    IxCheckInByPeer,
    /// day, time, check-in
    IxCheckInByDay,
    /// follow-up day, check-in
    IxFollowUp,
    /// goal, time, check-in
    IxCheckInByGoal,
    /// peer, goal
    IxGoalByPeer,
    /// review day, goal
    IxGoalByReview,
    /// group, day, session
    IxSessionByGroup,
    /// day, session
    IxSessionByDay,
    /// peer, day, session
    IxAttendance,
    /// time, sequence: the append-only audit trail (see `audit.rs`)
    Audit,
    /// peer → [`Summary`]: what Today needs per peer, kept with every write
    PeerSummary,
    /// check-in, revision: each earlier version of a corrected check-in
    CheckInHistory,
    /// merged peer id: the id of the peer it was merged into
    PeerAliases,
    /// The community resource directory.
    Resources,
    /// Referrals of peers to resources.
    Referrals,
    /// peer, referral
    IxReferralByPeer,
    /// latest change's day, referral: open referrals only
    IxReferralOpen,
    /// consents to share a peer's information
    Consents,
    /// disclosures made under a consent
    Disclosures,
    /// peer, consent
    IxConsentByPeer,
    /// expiry day, consent (consents that end on a date and are not revoked)
    IxConsentByExpiry,
    /// peer, time, disclosure
    IxDisclosureByPeer,
    /// Staff certifications (indexed by staff member below)
    Certifications,
    /// Continuing-education entries
    CeuEntries,
    /// Supervision sessions
    Supervisions,
    /// staff, certification
    IxCertificationByStaff,
    /// staff, CE entry
    IxCeuByStaff,
    /// supervisee, supervision session
    IxSupervisionByStaff,
    /// Assessments (an instrument such as the BARC-10 taken by a peer)
    Assessments,
    /// peer, time, assessment
    IxAssessmentByPeer,
    /// drop-in visits by id (front desk)
    Visits,
    /// day, peer, visit: a day's visits (and the one-per-peer-per-day rule)
    IxVisitByDay,
    /// peer, day, visit: a peer's visits, newest last
    IxVisitByPeer,
    /// pending intakes by id: "I'm new here" at the kiosk
    Intakes,
    /// peer → the personal code the kiosk also takes for them
    KioskCodes,
}

/// Tree names on disk, indexed by `T as usize`.
pub(crate) const NAMES: [&str; 42] = [
    "meta",
    "staff",
    "peers",
    "goals",
    "checkins",
    "groups",
    "sessions",
    "ix_checkin_by_peer",
    "ix_checkin_by_day",
    "ix_followup",
    "ix_checkin_by_goal",
    "ix_goal_by_peer",
    "ix_goal_by_review",
    "ix_session_by_group",
    "ix_session_by_day",
    "ix_attendance",
    "audit",
    "peer_summary",
    "checkin_history",
    "peer_aliases",
    "resources",
    "referrals",
    "ix_referral_by_peer",
    "ix_referral_open",
    "consents",
    "disclosures",
    "ix_consent_by_peer",
    "ix_consent_by_expiry",
    "ix_disclosure_by_peer",
    "certifications",
    "ceu_entries",
    "supervisions",
    "ix_certification_by_staff",
    "ix_ceu_by_staff",
    "ix_supervision_by_staff",
    "assessments",
    "ix_assessment_by_peer",
    "visits",
    "ix_visit_by_day",
    "ix_visit_by_peer",
    "intakes",
    "kiosk_codes",
];

/// The record trees, whose counts and ids the store keeps.
pub(crate) const RECORD_TREES: [T; 16] = [
    T::Staff,
    T::Peers,
    T::Goals,
    T::CheckIns,
    T::Groups,
    T::Sessions,
    T::Resources,
    T::Referrals,
    T::Consents,
    T::Disclosures,
    T::Certifications,
    T::CeuEntries,
    T::Supervisions,
    T::Assessments,
    T::Visits,
    T::Intakes,
];

/// Every index tree (the peer summaries are derived like an index).
pub(crate) const INDEX_TREES: [T; 21] = [
    T::IxCheckInByPeer,
    T::IxCheckInByDay,
    T::IxFollowUp,
    T::IxCheckInByGoal,
    T::IxGoalByPeer,
    T::IxGoalByReview,
    T::IxSessionByGroup,
    T::IxSessionByDay,
    T::IxAttendance,
    T::PeerSummary,
    T::IxReferralByPeer,
    T::IxReferralOpen,
    T::IxConsentByPeer,
    T::IxConsentByExpiry,
    T::IxDisclosureByPeer,
    T::IxCertificationByStaff,
    T::IxCeuByStaff,
    T::IxSupervisionByStaff,
    T::IxAssessmentByPeer,
    T::IxVisitByDay,
    T::IxVisitByPeer,
];

/// A reference from a record to another that must exist.
pub(crate) struct Ref {
    pub field: &'static str,
    pub tree: T,
    pub noun: &'static str,
    pub id: u64,
    pub shown: String,
    /// For a goal referred to by a check-in: the peer whose plan it must
    /// be on. A check-in may only touch its own peer's goals; otherwise the
    /// other peer's goal would list this peer's check-in notes.
    pub goal_of: Option<PeerId>,
}

fn peer_ref(field: &'static str, id: PeerId) -> Ref {
    Ref {
        field,
        tree: T::Peers,
        noun: "peer",
        id: id.raw(),
        shown: id.to_string(),
        goal_of: None,
    }
}
fn staff_ref(field: &'static str, id: crate::model::StaffId) -> Ref {
    Ref {
        field,
        tree: T::Staff,
        noun: "staff",
        id: id.raw(),
        shown: id.to_string(),
        goal_of: None,
    }
}

/// A record kind the store keeps: its tree, index entries and references.
pub(crate) trait Kept: Entity {
    /// The tree holding the records.
    const TREE: T;
    /// Index entries for the record with id `id`.
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)>;
    /// Other records this one refers to.
    fn references(&self) -> Vec<Ref>;
    /// What the record with id `id` adds to its peers' summaries (check-ins
    /// and group sessions only).
    fn summary_fact(&self, _id: u64) -> Option<Fact> {
        None
    }
    /// Where each earlier version is kept when the record is changed
    /// (check-ins: a correction keeps what it replaced), if anywhere.
    const HISTORY: Option<T> = None;
}

/// The per-peer summary kept in [`T::PeerSummary`] (postcard-encoded):
/// the peer's newest live (not voided) check-in, with what Today needs of
/// it, and the order key of the latest live group session attended. Today
/// reads one of these per peer instead of walking each peer's check-in
/// index or reading its newest check-in record. Schema 6 added the
/// check-in's day and follow-up (schema 4's entries held its order only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Summary {
    /// The newest live check-in.
    pub checkin: Option<Newest>,
    /// Date key then id of the latest live session attended (the tail of
    /// its [`T::IxAttendance`] key).
    pub attended: Option<[u8; 12]>,
}

/// A peer's newest live check-in as its summary keeps it: dates as
/// [`date_key`]s (4 bytes, nothing to parse), so reading 10,000 summaries
/// decodes no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Newest {
    /// Time key then id (the tail of its [`T::IxCheckInByPeer`] key): what
    /// "newest" is decided by.
    pub order: [u8; 16],
    /// Its local day (`CheckIn::day`).
    pub day: [u8; 4],
    /// The follow-up it planned.
    pub follow_up: Option<[u8; 4]>,
}

impl Newest {
    /// The facts Today reads, `None` if a stored date is unreadable.
    pub fn facts(&self) -> Option<LastCheckIn> {
        Some(LastCheckIn {
            id: CheckInId::new(trailing_id(&self.order)?),
            day: date_from_key(&self.day)?,
            follow_up: match &self.follow_up {
                Some(f) => Some(date_from_key(f)?),
                None => None,
            },
        })
    }
}

impl Summary {
    /// True when the summary says nothing (its entry is removed).
    pub fn is_empty(&self) -> bool {
        self.checkin.is_none() && self.attended.is_none()
    }

    /// Takes in another summary of the same person (a merge moves all of
    /// the other's check-ins and attendance here): the newer of each.
    pub fn merge(&mut self, other: &Summary) {
        if let Some(c) = other.checkin {
            if self.checkin.is_none_or(|mine| mine.order < c.order) {
                self.checkin = Some(c);
            }
        }
        if let Some(a) = other.attended {
            if self.attended.is_none_or(|mine| mine < a) {
                self.attended = Some(a);
            }
        }
    }

    /// Takes in a live record's fact for one peer if it is newer.
    pub fn absorb(&mut self, fact: &Fact) {
        match fact {
            Fact::CheckIn {
                newest, live: true, ..
            } if self.checkin.is_none_or(|c| c.order < newest.order) => {
                self.checkin = Some(*newest);
            }
            Fact::Session {
                order, live: true, ..
            } if self.attended.is_none_or(|a| a < *order) => {
                self.attended = Some(*order);
            }
            _ => {}
        }
    }
}

/// What one record contributes to the summaries of its peers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fact {
    /// A check-in with `peer`, as [`Summary::checkin`] would keep it.
    CheckIn {
        peer: u64,
        newest: Newest,
        live: bool,
    },
    /// A session attended by `peers`; `order` as in [`Summary::attended`].
    Session {
        peers: Vec<u64>,
        order: [u8; 12],
        live: bool,
    },
}

impl Fact {
    /// The peers whose summaries the record touches.
    pub fn peers(&self) -> Vec<u64> {
        match self {
            Fact::CheckIn { peer, .. } => vec![*peer],
            Fact::Session { peers, .. } => peers.clone(),
        }
    }

    /// Whether the record counts (it is not voided).
    pub fn is_live(&self) -> bool {
        match self {
            Fact::CheckIn { live, .. } | Fact::Session { live, .. } => *live,
        }
    }
}

/// Joins two fixed-size key parts into one array.
fn order<const N: usize>(a: &[u8], b: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out[..a.len()].copy_from_slice(a);
    out[a.len()..].copy_from_slice(b);
    out
}

impl Kept for Staff {
    const TREE: T = T::Staff;
    fn index_entries(&self, _id: u64) -> Vec<(T, Vec<u8>)> {
        Vec::new()
    }
    fn references(&self) -> Vec<Ref> {
        Vec::new()
    }
}

impl Kept for Peer {
    const TREE: T = T::Peers;
    fn index_entries(&self, _id: u64) -> Vec<(T, Vec<u8>)> {
        Vec::new()
    }
    fn references(&self) -> Vec<Ref> {
        self.assigned_staff
            .map(|s| staff_ref("assigned staff", s))
            .into_iter()
            .collect()
    }
}

impl Kept for Goal {
    const TREE: T = T::Goals;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        let mut out = vec![(
            T::IxGoalByPeer,
            key(&[&id_key(self.peer.raw()), &id_key(id)]),
        )];
        if let Some(r) = self.next_review {
            out.push((T::IxGoalByReview, key(&[&date_key(r), &id_key(id)])));
        }
        out
    }
    fn references(&self) -> Vec<Ref> {
        vec![peer_ref("peer", self.peer)]
    }
}

impl Kept for CheckIn {
    const TREE: T = T::CheckIns;
    const HISTORY: Option<T> = Some(T::CheckInHistory);
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        let t = time_key(&self.at);
        let mut out = vec![
            (
                T::IxCheckInByPeer,
                key(&[&id_key(self.peer.raw()), &t, &id_key(id)]),
            ),
            (
                T::IxCheckInByDay,
                key(&[&date_key(self.day()), &t, &id_key(id)]),
            ),
        ];
        if let Some(f) = self.follow_up {
            out.push((T::IxFollowUp, key(&[&date_key(f), &id_key(id)])));
        }
        for g in &self.goals {
            out.push((
                T::IxCheckInByGoal,
                key(&[&id_key(g.raw()), &t, &id_key(id)]),
            ));
        }
        out
    }
    fn summary_fact(&self, id: u64) -> Option<Fact> {
        Some(Fact::CheckIn {
            peer: self.peer.raw(),
            newest: Newest {
                order: order(&time_key(&self.at), &id_key(id)),
                day: date_key(self.day()),
                follow_up: self.follow_up.map(date_key),
            },
            live: self.voided.is_none(),
        })
    }
    fn references(&self) -> Vec<Ref> {
        let mut out = vec![peer_ref("peer", self.peer), staff_ref("staff", self.staff)];
        for g in &self.goals {
            out.push(Ref {
                field: "goals",
                tree: T::Goals,
                noun: "goal",
                id: g.raw(),
                shown: g.to_string(),
                goal_of: Some(self.peer),
            });
        }
        out
    }
}

impl Kept for Group {
    const TREE: T = T::Groups;
    fn index_entries(&self, _id: u64) -> Vec<(T, Vec<u8>)> {
        Vec::new()
    }
    fn references(&self) -> Vec<Ref> {
        self.facilitator
            .map(|s| staff_ref("facilitator", s))
            .into_iter()
            .collect()
    }
}

impl Kept for GroupSession {
    const TREE: T = T::Sessions;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        let d = date_key(self.date);
        let mut out = vec![
            (
                T::IxSessionByGroup,
                key(&[&id_key(self.group.raw()), &d, &id_key(id)]),
            ),
            (T::IxSessionByDay, key(&[&d, &id_key(id)])),
        ];
        for p in &self.attendees {
            out.push((T::IxAttendance, key(&[&id_key(p.raw()), &d, &id_key(id)])));
        }
        out
    }
    fn summary_fact(&self, id: u64) -> Option<Fact> {
        Some(Fact::Session {
            peers: self.attendees.iter().map(|p| p.raw()).collect(),
            order: order(&date_key(self.date), &id_key(id)),
            live: self.voided.is_none(),
        })
    }
    fn references(&self) -> Vec<Ref> {
        let mut out = vec![Ref {
            field: "group",
            tree: T::Groups,
            noun: "group",
            id: self.group.raw(),
            shown: self.group.to_string(),
            goal_of: None,
        }];
        if let Some(s) = self.facilitator {
            out.push(staff_ref("facilitator", s));
        }
        out.extend(self.attendees.iter().map(|p| peer_ref("attendees", *p)));
        out
    }
}

impl Kept for crate::model::Consent {
    const TREE: T = T::Consents;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        let mut out = vec![(
            T::IxConsentByPeer,
            key(&[&id_key(self.peer.raw()), &id_key(id)]),
        )];
        if let (Some(last), None) = (self.expires_on(), &self.revoked) {
            out.push((T::IxConsentByExpiry, key(&[&date_key(last), &id_key(id)])));
        }
        out
    }
    fn references(&self) -> Vec<Ref> {
        vec![peer_ref("peer", self.peer)]
    }
}

impl Kept for crate::model::Disclosure {
    const TREE: T = T::Disclosures;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        vec![(
            T::IxDisclosureByPeer,
            key(&[&id_key(self.peer.raw()), &time_key(&self.at), &id_key(id)]),
        )]
    }
    fn references(&self) -> Vec<Ref> {
        vec![
            peer_ref("peer", self.peer),
            Ref {
                field: "consent",
                tree: T::Consents,
                noun: "consent",
                id: self.consent.raw(),
                shown: self.consent.to_string(),
                goal_of: None,
            },
        ]
    }
}

impl Kept for crate::model::Certification {
    const TREE: T = T::Certifications;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        vec![(
            T::IxCertificationByStaff,
            key(&[&id_key(self.staff.raw()), &id_key(id)]),
        )]
    }
    fn references(&self) -> Vec<Ref> {
        vec![staff_ref("staff", self.staff)]
    }
}

impl Kept for crate::model::CeuEntry {
    const TREE: T = T::CeuEntries;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        vec![(
            T::IxCeuByStaff,
            key(&[&id_key(self.staff.raw()), &id_key(id)]),
        )]
    }
    fn references(&self) -> Vec<Ref> {
        vec![staff_ref("staff", self.staff)]
    }
}

impl Kept for crate::model::Supervision {
    const TREE: T = T::Supervisions;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        vec![(
            T::IxSupervisionByStaff,
            key(&[&id_key(self.staff.raw()), &id_key(id)]),
        )]
    }
    fn references(&self) -> Vec<Ref> {
        vec![
            staff_ref("staff", self.staff),
            staff_ref("with", self.supervisor),
        ]
    }
}

impl Kept for Assessment {
    const TREE: T = T::Assessments;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        vec![(
            T::IxAssessmentByPeer,
            key(&[&id_key(self.peer.raw()), &time_key(&self.at), &id_key(id)]),
        )]
    }
    fn references(&self) -> Vec<Ref> {
        let mut out = vec![peer_ref("peer", self.peer)];
        out.extend(self.staff.map(|s| staff_ref("staff", s)));
        out
    }
}

impl Kept for Visit {
    const TREE: T = T::Visits;
    fn index_entries(&self, id: u64) -> Vec<(T, Vec<u8>)> {
        let d = date_key(self.day);
        let p = id_key(self.peer.raw());
        vec![
            (T::IxVisitByDay, key(&[&d, &p, &id_key(id)])),
            (T::IxVisitByPeer, key(&[&p, &d, &id_key(id)])),
        ]
    }
    fn references(&self) -> Vec<Ref> {
        vec![peer_ref("peer", self.peer)]
    }
}

impl Kept for Intake {
    const TREE: T = T::Intakes;
    fn index_entries(&self, _id: u64) -> Vec<(T, Vec<u8>)> {
        Vec::new()
    }
    fn references(&self) -> Vec<Ref> {
        Vec::new()
    }
}

/// Meta key of the next id to hand out in a record tree.
pub(crate) fn next_id_key(tree: T) -> Vec<u8> {
    format!("next_id/{}", NAMES[tree as usize]).into_bytes()
}

/// Meta key of the number of records in a record tree.
pub(crate) fn count_key(tree: T) -> Vec<u8> {
    format!("count/{}", NAMES[tree as usize]).into_bytes()
}
