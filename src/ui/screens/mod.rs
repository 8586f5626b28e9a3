//! One file per screen: its state, how it handles actions, how it draws.
//!
//! Screens never touch the store or the terminal: they return an
//! [`Effect`] for the app to carry out (open a peer, load data), and their
//! `render` functions only read state.

pub mod assess;
pub mod attendance;
pub mod audit;
pub mod checkin;
pub mod checkins;
pub mod consents;
pub mod credentials;
pub mod groups;
pub mod help;
pub mod here_now;
pub mod peer;
pub mod peer_sessions;
pub mod peer_tabs;
pub mod peers;
pub mod plan;
pub mod popup;
pub mod reports;
pub mod resources;
pub mod signin;
pub mod staff;
pub mod timeline;
pub mod today;
pub mod wellness;

use crate::model::PeerId;

/// What a screen asks the app to do after handling an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more.
    None,
    /// Open the peer screen.
    OpenPeer(PeerId, String),
    /// Reload the Today report (the filter changed).
    ReloadToday,
    /// Say something in the status line.
    Info(String),
}
