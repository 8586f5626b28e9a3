//! The wire protocol between `caseload serve` and its clients.
//!
//! **Framing.** Every message is one frame: a 4-byte big-endian length,
//! then that many bytes of postcard. A length prefix (rather than COBS)
//! lets the reader refuse an oversized frame from its header alone, before
//! reading or allocating anything, and costs no encoding pass; after such a
//! refusal the stream is out of step, so the server answers with an error
//! and closes the connection. A frame that has a sane length but does not
//! decode keeps the stream in step: it gets an error answer and the
//! connection stays open.
//!
//! **Limits.** Requests may be at most [`MAX_REQUEST_BYTES`] (16 MiB: a
//! record is at most a few tens of KiB; only a bulk import could be
//! larger, and imports only go into empty stores, which a running server
//! never has). Answers may be up to [`MAX_RESPONSE_BYTES`], since a page of
//! 5,000 long check-ins can pass 16 MiB and the client trusts its server.
//!
//! **Versioning.** The first frame each way is a [`Hello`] and a
//! [`HelloReply`]. Their shape never changes, so any two versions of
//! caseload can at least tell each other which protocol they speak and say
//! so clearly. Everything after them ([`Request`], [`Response`]) belongs to
//! [`PROTOCOL`]; any change to those enums (postcard is not
//! self-describing) must bump it.

use std::collections::HashMap;
use std::io::{self, Read};
use std::os::unix::net::UnixStream;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::validate::FieldError;
use crate::model::{
    Actor, CheckIn, CheckInId, Goal, GoalId, Group, GroupId, GroupSession, Peer, PeerId, Record,
    SessionId, Settings, Staff, StaffId, ValidationError,
};
use crate::store::{AuditEntry, AuditEvent, AuditFilter, Change, Counts, Snapshot, StoreError};

/// The protocol this build speaks.
pub const PROTOCOL: u32 = 1;
/// First bytes of every [`Hello`], so a stray program is told apart.
pub const MAGIC: [u8; 8] = *b"caseload";
/// Largest request a server reads.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
/// Largest answer a client reads.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;

/// The client's first frame. Never change its shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Always [`MAGIC`].
    pub magic: [u8; 8],
    /// The protocol the client speaks.
    pub protocol: u32,
    /// The client's caseload version, for messages.
    pub version: String,
}

impl Hello {
    /// The hello of this build.
    pub fn ours() -> Self {
        Hello {
            magic: MAGIC,
            protocol: PROTOCOL,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// The server's answer to a [`Hello`]. Never change its shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelloReply {
    /// The protocol the server speaks.
    pub protocol: u32,
    /// The server's caseload version.
    pub version: String,
    /// False when the server will not talk to this client (it then closes).
    pub accepted: bool,
    /// Why not, in words for the user.
    pub message: String,
}

/// A request: one per [`Store`](crate::store::Store) method, plus sign-in
/// and subscription. Actors sent by clients are advisory: the server
/// stamps changes with the signed-in staff member and the OS login it
/// reads from the socket.
#[allow(missing_docs)] // each variant is the Store method of the same name
#[allow(clippy::large_enum_variant)] // decoded once and handled: boxing buys nothing
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    Location,
    Counts,
    Settings,
    SaveSettings {
        settings: Settings,
        actor: Actor,
    },
    CreateStaff {
        staff: Staff,
        actor: Actor,
    },
    UpdateStaff {
        staff: Record<Staff>,
        actor: Actor,
    },
    Staff(StaffId),
    ListStaff,
    CreatePeer {
        peer: Peer,
        actor: Actor,
    },
    UpdatePeer {
        peer: Record<Peer>,
        actor: Actor,
    },
    DeletePeer {
        id: PeerId,
        actor: Actor,
    },
    Peer(PeerId),
    ListPeers,
    CreateGoal {
        goal: Goal,
        actor: Actor,
    },
    UpdateGoal {
        goal: Record<Goal>,
        actor: Actor,
    },
    DeleteGoal {
        id: GoalId,
        actor: Actor,
    },
    Goal(GoalId),
    GoalsForPeer(PeerId),
    GoalsDueForReview(NaiveDate),
    CreateCheckIn {
        checkin: CheckIn,
        actor: Actor,
    },
    CreateCheckIns {
        checkins: Vec<CheckIn>,
        actor: Actor,
    },
    UpdateCheckIn {
        checkin: Record<CheckIn>,
        actor: Actor,
    },
    DeleteCheckIn {
        id: CheckInId,
        actor: Actor,
    },
    CheckIn(CheckInId),
    RecentCheckIns {
        peer: PeerId,
        limit: u64,
    },
    CheckInsForPeerBetween {
        peer: PeerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    CheckInsOn(NaiveDate),
    CheckInsForGoal(GoalId),
    LastCheckInsBefore(DateTime<Utc>),
    FollowupsBetween {
        from: NaiveDate,
        to: NaiveDate,
    },
    CheckInsPage {
        after: Option<CheckInId>,
        limit: u64,
    },
    CreateGroup {
        group: Group,
        actor: Actor,
    },
    UpdateGroup {
        group: Record<Group>,
        actor: Actor,
    },
    Group(GroupId),
    ListGroups,
    CreateSession {
        session: GroupSession,
        actor: Actor,
    },
    UpdateSession {
        session: Record<GroupSession>,
        actor: Actor,
    },
    DeleteSession {
        id: SessionId,
        actor: Actor,
    },
    Session(SessionId),
    SessionsForGroup(GroupId),
    SessionsOn(NaiveDate),
    SessionsForPeer(PeerId),
    SessionsPage {
        after: Option<SessionId>,
        limit: u64,
    },
    Import {
        snapshot: Snapshot,
        actor: Actor,
    },
    RecordEvent {
        event: AuditEvent,
        actor: Actor,
    },
    Audit(AuditFilter),
    /// Sign this connection in.
    SignIn {
        staff: StaffId,
        pin: Pin,
    },
    /// Turn this connection into a stream of [`Response::Notice`]s.
    Subscribe,
}

impl Request {
    /// True if sending it twice does no harm: a read. Only these are
    /// resent after a lost connection; a write may have been saved before
    /// the connection dropped, so resending could save it twice.
    pub fn is_read(&self) -> bool {
        matches!(
            self,
            Request::Location
                | Request::Counts
                | Request::Settings
                | Request::Staff(_)
                | Request::ListStaff
                | Request::Peer(_)
                | Request::ListPeers
                | Request::Goal(_)
                | Request::GoalsForPeer(_)
                | Request::GoalsDueForReview(_)
                | Request::CheckIn(_)
                | Request::RecentCheckIns { .. }
                | Request::CheckInsForPeerBetween { .. }
                | Request::CheckInsOn(_)
                | Request::CheckInsForGoal(_)
                | Request::LastCheckInsBefore(_)
                | Request::FollowupsBetween { .. }
                | Request::CheckInsPage { .. }
                | Request::Group(_)
                | Request::ListGroups
                | Request::Session(_)
                | Request::SessionsForGroup(_)
                | Request::SessionsOn(_)
                | Request::SessionsForPeer(_)
                | Request::SessionsPage { .. }
                | Request::Audit(_)
        )
    }

    /// True for what a session may ask before signing in on a store that
    /// requires it: enough to show a sign-in screen (who the staff are,
    /// the organization's name), nothing about peers.
    pub fn allowed_before_sign_in(&self) -> bool {
        matches!(
            self,
            Request::Location
                | Request::Settings
                | Request::Staff(_)
                | Request::ListStaff
                | Request::SignIn { .. }
        )
    }
}

/// A PIN on its way to the server: encoded as the plain string it is, but
/// never shown by `Debug`, so that no log or panic message can carry it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pin(pub String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(hidden)")
    }
}

/// An answer. Each request has one matching variant, or `Error`.
#[allow(missing_docs)] // each variant carries what the Store method returns
#[allow(clippy::large_enum_variant)] // built once, encoded, dropped: boxing buys nothing
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    Done,
    Location(String),
    Counts(Counts),
    Settings(Settings),
    Staff(Record<Staff>),
    StaffList(Vec<Record<Staff>>),
    Peer(Record<Peer>),
    Peers(Vec<Record<Peer>>),
    Goal(Record<Goal>),
    Goals(Vec<Record<Goal>>),
    CheckIn(Record<CheckIn>),
    CheckIns(Vec<Record<CheckIn>>),
    LastCheckIns(HashMap<PeerId, Record<CheckIn>>),
    Group(Record<Group>),
    Groups(Vec<Record<Group>>),
    Session(Record<GroupSession>),
    Sessions(Vec<Record<GroupSession>>),
    Audit(Vec<AuditEntry>),
    SignedIn(Record<Staff>),
    /// The subscription is on; notices follow.
    Subscribed,
    /// A change was saved.
    Notice(Change),
    /// Nothing changed; the server checks the subscriber is still there.
    Ping,
    Error(WireError),
}

/// A store error as it crosses the wire, keeping what callers match on
/// (conflicts, missing records, refusals) and the exact message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireError {
    /// [`StoreError::NotFound`].
    NotFound {
        /// Kind.
        noun: String,
        /// Id.
        id: String,
    },
    /// [`StoreError::Conflict`].
    Conflict {
        /// Kind.
        noun: String,
        /// Id.
        id: String,
        /// Revision the edit started from.
        expected: u64,
        /// Revision stored.
        actual: u64,
        /// Who saved it.
        by: String,
    },
    /// [`StoreError::InUseBy`].
    InUseBy(String),
    /// [`StoreError::Invalid`]: (field, problem) pairs.
    Invalid(Vec<(String, String)>),
    /// [`StoreError::BadReference`].
    BadReference {
        /// Field.
        field: String,
        /// Kind.
        noun: String,
        /// Id.
        id: String,
    },
    /// [`StoreError::Refused`].
    Refused(String),
    /// [`StoreError::Denied`].
    Denied {
        /// Why.
        reason: String,
        /// Seconds to wait, for throttled sign-ins.
        retry_after_secs: Option<u64>,
    },
    /// Any other store failure, as its message.
    Failed(String),
    /// The request itself was unreadable, too large or out of place.
    Protocol(String),
}

impl From<&StoreError> for WireError {
    fn from(e: &StoreError) -> Self {
        match e {
            StoreError::NotFound { noun, id } => WireError::NotFound {
                noun: noun.to_string(),
                id: id.clone(),
            },
            StoreError::Conflict {
                noun,
                id,
                expected,
                actual,
                by,
            } => WireError::Conflict {
                noun: noun.to_string(),
                id: id.clone(),
                expected: *expected,
                actual: *actual,
                by: by.clone(),
            },
            StoreError::InUseBy(m) => WireError::InUseBy(m.clone()),
            StoreError::Invalid(v) => WireError::Invalid(
                v.problems
                    .iter()
                    .map(|p| (p.field.clone(), p.problem.clone()))
                    .collect(),
            ),
            StoreError::BadReference { field, noun, id } => WireError::BadReference {
                field: field.to_string(),
                noun: noun.to_string(),
                id: id.clone(),
            },
            StoreError::Refused(m) => WireError::Refused(m.clone()),
            StoreError::Denied {
                reason,
                retry_after_secs,
            } => WireError::Denied {
                reason: reason.clone(),
                retry_after_secs: *retry_after_secs,
            },
            other => WireError::Failed(other.to_string()),
        }
    }
}

/// The `&'static str` a store error needs for a noun or field that came
/// over the wire. Unknown words (from a newer server) fall back to a
/// generic one; the message stays readable.
fn known(word: &str, fallback: &'static str) -> &'static str {
    const WORDS: &[&str] = &[
        "staff",
        "peer",
        "goal",
        "check-in",
        "group",
        "group session",
        "assigned staff",
        "goals",
        "facilitator",
        "attendees",
    ];
    WORDS
        .iter()
        .find(|w| **w == word)
        .copied()
        .unwrap_or(fallback)
}

impl From<WireError> for StoreError {
    fn from(e: WireError) -> Self {
        match e {
            WireError::NotFound { noun, id } => StoreError::NotFound {
                noun: known(&noun, "record"),
                id,
            },
            WireError::Conflict {
                noun,
                id,
                expected,
                actual,
                by,
            } => StoreError::Conflict {
                noun: known(&noun, "record"),
                id,
                expected,
                actual,
                by,
            },
            WireError::InUseBy(m) => StoreError::InUseBy(m),
            WireError::Invalid(pairs) => StoreError::Invalid(ValidationError {
                problems: pairs
                    .into_iter()
                    .map(|(field, problem)| FieldError { field, problem })
                    .collect(),
            }),
            WireError::BadReference { field, noun, id } => StoreError::BadReference {
                field: known(&field, "reference"),
                noun: known(&noun, "record"),
                id,
            },
            WireError::Refused(m) => StoreError::Refused(m),
            WireError::Denied {
                reason,
                retry_after_secs,
            } => StoreError::Denied {
                reason,
                retry_after_secs,
            },
            WireError::Failed(m) => StoreError::Remote(m),
            WireError::Protocol(m) => {
                StoreError::Remote(format!("the caseload server refused the request: {m}"))
            }
        }
    }
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    /// The other side closed the connection between frames.
    Closed,
    /// The header announced more than the limit allows.
    TooLarge(u64),
    /// Reading failed (including a connection closed mid-frame).
    Io(io::Error),
}

/// Reads one frame of at most `max` bytes.
pub fn read_frame(reader: &mut impl Read, max: usize) -> Result<Vec<u8>, FrameError> {
    let mut header = [0u8; 4];
    let mut got = 0;
    while got < header.len() {
        match reader.read(&mut header[got..]) {
            Ok(0) if got == 0 => return Err(FrameError::Closed),
            Ok(0) => {
                return Err(FrameError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the connection closed in the middle of a frame",
                )))
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    let len = u64::from(u32::from_be_bytes(header));
    if len > max as u64 {
        return Err(FrameError::TooLarge(len));
    }
    let mut body = vec![0u8; len as usize];
    reader.read_exact(&mut body).map_err(FrameError::Io)?;
    Ok(body)
}

/// Writes one frame. Uses `send` with `MSG_NOSIGNAL`, so a peer that went
/// away is an error here instead of a SIGPIPE that kills the process (the
/// binary restores the default SIGPIPE action for `| head`).
pub fn write_frame(stream: &UnixStream, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a frame larger than 4 GiB"))?;
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    super::unix::send_all(stream, &frame)
}

/// Encodes a message.
pub fn encode<T: Serialize>(value: &T) -> io::Result<Vec<u8>> {
    postcard::to_stdvec(value).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Decodes a message.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_has_a_fixed_shape() {
        // Bumping PROTOCOL must never change these bytes' layout: magic,
        // varint protocol, length-prefixed version.
        let h = Hello {
            magic: MAGIC,
            protocol: 1,
            version: "0.1.0".into(),
        };
        let bytes = encode(&h).unwrap();
        assert_eq!(&bytes[..8], b"caseload");
        assert_eq!(bytes[8], 1);
        assert_eq!(bytes[9], 5);
        assert_eq!(&bytes[10..], b"0.1.0");
    }

    #[test]
    fn frames_round_trip_and_oversized_headers_are_refused_unread() {
        let (a, mut b) = UnixStream::pair().unwrap();
        write_frame(&a, b"hello").unwrap();
        assert_eq!(read_frame(&mut b, 16).unwrap(), b"hello");
        write_frame(&a, &[0u8; 17]).unwrap();
        assert!(matches!(
            read_frame(&mut b, 16),
            Err(FrameError::TooLarge(17))
        ));
        drop(a);
        let (a, mut b) = UnixStream::pair().unwrap();
        drop(a);
        assert!(matches!(read_frame(&mut b, 16), Err(FrameError::Closed)));
    }

    #[test]
    fn conflicts_keep_their_exact_message_across_the_wire() {
        let e = StoreError::Conflict {
            noun: "peer",
            id: "P3".into(),
            expected: 1,
            actual: 2,
            by: "S1 (ana)".into(),
        };
        let text = e.to_string();
        let wire: WireError = (&e).into();
        let bytes = encode(&Response::Error(wire)).unwrap();
        let Response::Error(back) = decode::<Response>(&bytes).unwrap() else {
            panic!("not an error")
        };
        let back: StoreError = back.into();
        assert!(matches!(back, StoreError::Conflict { actual: 2, .. }));
        assert_eq!(back.to_string(), text);
    }

    #[test]
    fn reads_are_resendable_and_writes_are_not() {
        assert!(Request::ListPeers.is_read());
        assert!(!Request::CreateCheckIns {
            checkins: vec![],
            actor: Actor::login("x")
        }
        .is_read());
        let sign_in = Request::SignIn {
            staff: StaffId::new(1),
            pin: Pin("1234".into()),
        };
        assert!(!sign_in.is_read());
        assert!(!format!("{sign_in:?}").contains("1234"), "PINs never show");
    }
}
