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

use std::io::{self, Read};
use std::os::unix::net::UnixStream;

use serde::{Deserialize, Serialize};

use crate::model::validate::FieldError;
use crate::model::ValidationError;
#[allow(unused_imports)] // the types the declaration names
use crate::store::api::prelude::*;
use crate::store::api::{Class, Operation};
use crate::store::{Change, Store, StoreError};

/// The protocol this build speaks.
pub const PROTOCOL: u32 = 9;
/// First bytes of every [`Hello`], so a stray program is told apart.
pub const MAGIC: [u8; 8] = *b"caseload";
/// Largest request a server reads.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
/// Largest request the private, owner-only service reads: a restore into
/// an empty store is one import of the whole backup, and only the owner,
/// who could open the files anyway, can send it.
pub const PRIVATE_MAX_REQUEST_BYTES: usize = 1024 * 1024 * 1024;
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

/// The wire requests and answers, generated from the declaration.
macro_rules! define_wire {
    ($(
        $(#[$m:meta])*
        $Variant:ident $name:ident ( $( $mode:ident $arg:ident : $ty:ty ),* ) $( by $actor:ident )? -> $ret:ty
            => $class:ident, $perm:ident, $ident:ident, [ $( $bound:ident $barg:ident ),* ], [ $( $custom:ident )? ];
    )*) => {
        /// A request: one per store operation (generated from
        /// [`store_api!`](crate::store::api)), plus sign-in and
        /// subscription. Requests carry no actor: the server stamps every
        /// change with the session's signed-in staff member and the OS
        /// login it reads from the socket.
        #[allow(missing_docs)] // each field is the argument of the same name
        #[allow(clippy::large_enum_variant)] // decoded once and handled: boxing buys nothing
        #[derive(Debug, Clone, Serialize, Deserialize)]
        pub enum Request {
            $( $(#[$m])* $Variant { $( $arg: $ty ),* }, )*
            /// Where the store lives.
            Location,
            /// Sign this connection in.
            SignIn {
                staff: StaffId,
                pin: Pin,
            },
            /// Turn this connection into a stream of [`Response::Notice`]s.
            Subscribe,
            /// Which service this is ([`Response::Service`]).
            Service,
            /// Ask a private service to finish its requests, close the
            /// store and exit, so that `caseload serve` can take it over.
            HandOver,
            /// `request`, made by staff member `staff` on a store where
            /// nobody signs in. Only the private, owner-only service honours
            /// the claim (whoever can reach it can open the files anyway);
            /// a shared server ignores it and stamps the OS login.
            As {
                staff: StaffId,
                request: Box<Request>,
            },
        }

        /// What a store operation returned: one variant per operation.
        #[allow(missing_docs)] // each variant carries what the operation of the same name returns
        #[allow(clippy::large_enum_variant)] // built once, encoded, dropped: boxing buys nothing
        #[derive(Debug, Clone, Serialize, Deserialize)]
        pub enum Answer {
            $( $Variant($ret), )*
        }

        impl Answer {
            /// The peers whose data it carries (what the audit trail must
            /// show for an identified read).
            pub fn peers(&self) -> Vec<PeerId> {
                match self {
                    $( Answer::$Variant(v) => $crate::store::api::Identifies::peers(v), )*
                }
            }
        }

        impl Request {
            /// The store operation it asks for (none for location, sign-in
            /// and subscription).
            pub fn operation(&self) -> Option<Operation> {
                match self {
                    $( Request::$Variant { .. } => Some(Operation::$Variant), )*
                    Request::As { request, .. } => request.operation(),
                    Request::Location
                    | Request::SignIn { .. }
                    | Request::Subscribe
                    | Request::Service
                    | Request::HandOver => None,
                }
            }

            /// Runs it on `store` (the server's authorizing wrapper):
            /// the server's whole dispatch. `actor` is what the wrapper
            /// replaces with the session's.
            pub fn apply(self, store: &dyn Store, actor: &Actor) -> Result<Answer, StoreError> {
                let _ = actor;
                match self {
                    $( Request::$Variant { $( $arg ),* } => Ok(Answer::$Variant(
                        store.$name($( $crate::store::api::pass!($mode $arg) ),* $(, $crate::store::api::actor_arg!($actor, actor))?)?,
                    )), )*
                    Request::As { request, .. } => (*request).apply(store, actor),
                    Request::Location
                    | Request::SignIn { .. }
                    | Request::Subscribe
                    | Request::Service
                    | Request::HandOver => Err(StoreError::Refused("out of place here".into())),
                }
            }
        }
    };
}

crate::store::api::store_api!(define_wire);

impl Request {
    /// True if sending it twice does no harm: a read. Only these are
    /// resent after a lost connection; a write may have been saved before
    /// the connection dropped, so resending could save it twice.
    pub fn is_read(&self) -> bool {
        match self.operation() {
            Some(op) => op.class() == Class::Read,
            None => matches!(self, Request::Location),
        }
    }
}

/// A PIN on its way to the server (the domain's [`crate::model::Pin`],
/// named here too for the wire's readers).
pub use crate::model::Pin;

/// An answer: a store operation's result, or one of the session's own.
#[allow(clippy::large_enum_variant)] // built once, encoded, dropped: boxing buys nothing
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// What the operation returned.
    Answer(Answer),
    /// Where the store lives.
    Location(String),
    /// Signed in as this staff member (no PIN hash).
    SignedIn(Record<Staff>),
    /// The subscription is on; notices follow.
    Subscribed,
    /// A change was saved.
    Notice(Change),
    /// Nothing changed; the server checks the subscriber is still there.
    Ping,
    /// The request failed or was refused.
    Error(WireError),
    /// The answer to [`Request::Service`].
    Service(ServiceInfo),
    /// The private service with this process id is handing the store over.
    HandingOver(u32),
}

/// What a service says about itself, so that a client knows whether it
/// is the private, owner-only one (started by a client) or the shared
/// `caseload serve`, and `serve` knows whom it takes over from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    /// True for the private service a client started for its own user.
    pub private: bool,
    /// The service's process id.
    pub pid: u32,
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
        /// What kind of refusal (a wrong PIN, too many tries, other).
        kind: crate::store::DenialKind,
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
                kind,
            } => WireError::Denied {
                reason: reason.clone(),
                retry_after_secs: *retry_after_secs,
                kind: *kind,
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
        "resource",
        "referral",
        "by",
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
                kind,
            } => StoreError::Denied {
                reason,
                retry_after_secs,
                kind,
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
    fn a_wrong_pin_stays_a_wrong_pin_across_the_wire() {
        for (err, kind) in [
            (
                crate::ops::auth::AuthError::WrongPin {
                    name: "Ana Ruiz".into(),
                },
                crate::store::DenialKind::WrongPin,
            ),
            (
                crate::ops::auth::AuthError::TryAgain {
                    name: "Ana Ruiz".into(),
                    seconds: 5,
                },
                crate::store::DenialKind::TooManyTries,
            ),
        ] {
            let e: StoreError = err.into();
            let wire: WireError = (&e).into();
            let bytes = encode(&Response::Error(wire)).unwrap();
            let Response::Error(back) = decode::<Response>(&bytes).unwrap() else {
                panic!("not an error")
            };
            let back: StoreError = back.into();
            assert!(
                matches!(back, StoreError::Denied { kind: k, .. } if k == kind),
                "{back:?}"
            );
        }
        let other: StoreError = crate::ops::access::not_signed_in();
        let wire: WireError = (&other).into();
        assert!(matches!(
            StoreError::from(wire),
            StoreError::Denied {
                kind: crate::store::DenialKind::Other,
                ..
            }
        ));
    }

    #[test]
    fn reads_are_resendable_and_writes_are_not() {
        assert!(Request::ListPeers {}.is_read());
        assert!(!Request::CreateCheckIns { checkins: vec![] }.is_read());
        assert!(Request::Location.is_read());
        let sign_in = Request::SignIn {
            staff: StaffId::new(1),
            pin: Pin("1234".into()),
        };
        assert!(!sign_in.is_read());
        assert!(!format!("{sign_in:?}").contains("1234"), "PINs never show");
    }
}
