//! Several staff at once: `caseload serve` owns the store and every other
//! process reaches it through a Unix socket in the store directory.
//!
//! sled lets one process open a store; a small organization has several
//! staff working at once (each over SSH on one server, usually). The server
//! process opens the [`SledStore`](crate::store::SledStore) once and serves
//! the same [`Store`](crate::store::Store) API over `<dir>/caseload.sock`;
//! [`open_store`] gives every command and the UI a store that goes through
//! the server. When none runs, the `caseload` binary starts a private one
//! for its user ([`autostart`]); other programs using the library open the
//! files directly.
//!
//! - [`protocol`]: framing, hello and versioning, requests and answers.
//! - [`serve`]: the server (thread per connection, sign-in, roles, notices).
//! - [`client`]: [`RemoteStore`] and [`open_store`].
//! - [`autostart`]: the private service a client starts, its idle exit.
//!
//! Access: the socket is `0600` in a `0700` directory (only the server's
//! user), or `0660` in a `0710` directory owned by a group given with
//! `caseload serve --group caseload`. Within that, staff sign in with a PIN
//! once any staff member has one; see `docs/server.md`.

pub mod autostart;
pub mod client;
pub mod protocol;
pub mod serve;
mod unix;
mod warm;

use std::path::{Path, PathBuf};

pub use client::{open, open_store, ConnectError, Opened, RemoteStore};
pub use serve::{ServeError, ServeOptions, Server};

/// The socket's file name inside the store directory.
pub const SOCKET_NAME: &str = "caseload.sock";

/// Where the server for the store in `dir` listens.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join(SOCKET_NAME)
}
