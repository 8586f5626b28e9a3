//! Reusable pieces drawn by several screens.

pub mod cells;
pub mod confirm;
pub mod form;
pub mod input;
pub mod layout;
pub mod list;
pub mod picker;
pub mod prompt;
pub mod status_line;
pub mod timeline;
pub mod title_bar;
