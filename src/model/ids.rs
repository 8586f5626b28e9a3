//! Typed record ids.
//!
//! Every record kind has its own id type so that a goal id can never be
//! passed where a peer id is expected. Ids print with a short letter prefix
//! (`P12`, `C3401`) so that staff can read them aloud and type them back.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A kind of record that has its own id space.
///
/// The prefix is what users see and type, so it must be unique per kind.
pub trait IdKind {
    /// Letters printed before the number, e.g. `P` for peers.
    const PREFIX: &'static str;
    /// Human name of the kind, used in error messages ("no peer P12").
    const NOUN: &'static str;
}

/// The id of one record of kind `K`: a positive number, unique per kind.
pub struct Id<K> {
    raw: u64,
    kind: PhantomData<fn() -> K>,
}

impl<K> Id<K> {
    /// Wraps a raw number; the store hands these out, starting at 1.
    pub const fn new(raw: u64) -> Self {
        Id {
            raw,
            kind: PhantomData,
        }
    }

    /// The number behind the id, for storage keys.
    pub const fn raw(self) -> u64 {
        self.raw
    }
}

impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Id<K> {}
impl<K> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<K> Eq for Id<K> {}
impl<K> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw.cmp(&other.raw)
    }
}
impl<K> Hash for Id<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<K: IdKind> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", K::PREFIX, self.raw)
    }
}

impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a text is not an id of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a {noun} id (expected {prefix} followed by a number, like {prefix}12)")]
pub struct ParseIdError {
    text: String,
    noun: &'static str,
    prefix: &'static str,
}

impl<K: IdKind> FromStr for Id<K> {
    type Err = ParseIdError;

    /// Accepts `P12`, `p12` or a bare `12`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseIdError {
            text: s.to_string(),
            noun: K::NOUN,
            prefix: K::PREFIX,
        };
        let t = s.trim();
        let digits = match t.get(..K::PREFIX.len()) {
            Some(p) if p.eq_ignore_ascii_case(K::PREFIX) => &t[K::PREFIX.len()..],
            _ => t,
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        match digits.parse::<u64>() {
            Ok(0) | Err(_) => Err(err()),
            Ok(n) => Ok(Id::new(n)),
        }
    }
}

impl<K: IdKind> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_u64(self.raw)
        }
    }
}

impl<'de, K: IdKind> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            Ok(Id::new(u64::deserialize(d)?))
        }
    }
}

macro_rules! id_kind {
    ($(#[$doc:meta])* $marker:ident, $alias:ident, $prefix:literal, $noun:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $marker {}
        impl IdKind for $marker {
            const PREFIX: &'static str = $prefix;
            const NOUN: &'static str = $noun;
        }
        #[doc = concat!("Id of a ", $noun, " record (printed as `", $prefix, "12`).")]
        pub type $alias = Id<$marker>;
    };
}

id_kind!(
    /// Marker for staff ids.
    StaffKind, StaffId, "S", "staff"
);
id_kind!(
    /// Marker for peer ids.
    PeerKind, PeerId, "P", "peer"
);
id_kind!(
    /// Marker for goal ids.
    GoalKind, GoalId, "G", "goal"
);
id_kind!(
    /// Marker for check-in ids.
    CheckInKind, CheckInId, "C", "check-in"
);
id_kind!(
    /// Marker for group ids.
    GroupKind, GroupId, "GR", "group"
);
id_kind!(
    /// Marker for group session ids.
    SessionKind, SessionId, "GS", "group session"
);
id_kind!(
    /// Marker for consent ids.
    ConsentKind, ConsentId, "CN", "consent"
);
id_kind!(
    /// Marker for disclosure ids.
    DisclosureKind, DisclosureId, "D", "disclosure"
);

id_kind!(
    /// Marker for community resource ids.
    ResourceKind, ResourceId, "RS", "resource"
);
id_kind!(
    /// Marker for referral ids.
    ReferralKind, ReferralId, "RF", "referral"
);
id_kind!(
    /// Marker for staff certification ids.
    CertificationKind, CertificationId, "CT", "certification"
);
id_kind!(
    /// Marker for continuing-education entry ids.
    CeuKind, CeuId, "CE", "continuing-education entry"
);
id_kind!(
    /// Marker for supervision session ids.
    SupervisionKind, SupervisionId, "SV", "supervision session"
);
id_kind!(
    /// Marker for assessment ids (a BARC-10 or other instrument taken).
    AssessmentKind, AssessmentId, "A", "assessment"
);
id_kind!(
    /// Marker for drop-in visit ids.
    VisitKind, VisitId, "V", "visit"
);
id_kind!(
    /// Marker for pending intake ids (someone new signed in at the kiosk).
    IntakeKind, IntakeId, "IN", "pending intake"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_parses_with_prefix() {
        let id = PeerId::new(42);
        assert_eq!(id.to_string(), "P42");
        assert_eq!("P42".parse::<PeerId>(), Ok(id));
        assert_eq!("p42".parse::<PeerId>(), Ok(id));
        assert_eq!(" 42 ".parse::<PeerId>(), Ok(id));
        assert_eq!("GR7".parse::<GroupId>(), Ok(GroupId::new(7)));
    }

    #[test]
    fn rejects_other_kinds_and_junk() {
        assert!("G42".parse::<PeerId>().is_err());
        assert!("P0".parse::<PeerId>().is_err());
        assert!("P-1".parse::<PeerId>().is_err());
        assert!("Pat".parse::<PeerId>().is_err());
        assert!("".parse::<PeerId>().is_err());
        let msg = "x1".parse::<GoalId>().unwrap_err().to_string();
        assert!(msg.contains("goal id"), "{msg}");
    }

    #[test]
    fn json_uses_text_and_postcard_uses_numbers() {
        let id = CheckInId::new(9);
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"C9\"");
        let bytes = postcard::to_stdvec(&id).unwrap();
        assert_eq!(bytes, vec![9]);
        let back: CheckInId = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, id);
    }
}
