//! caseload: a keyboard-driven terminal caseload manager for peer-run
//! organizations.
//!
//! `model` holds the domain, `store` the only code that knows sled, `ops`
//! the operations shared by the command line and the terminal UI.

pub mod cli;
pub mod config;
pub mod fsutil;
pub mod model;
pub mod ops;
pub mod search;
pub mod server;
pub mod store;
pub mod text;
pub mod ui;
