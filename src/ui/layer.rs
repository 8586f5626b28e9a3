//! The layer stack's one interface: every part of the screen that can have
//! the keyboard — the base pane, forms, popups, overlays, the sign-in and
//! lock gates — answers the same questions through [`Layer`], so routing
//! (keys, paste, hints, help, drawing) is written once, in `app`, and a new
//! screen only implements this trait and is pushed.
//!
//! A layer is called with the [`App`] it lives in (taken off the stack for
//! the call), so it can queue store work, set the status line or push
//! another layer without the app knowing what kind of layer it is; a layer
//! that belongs to a feature hands its outcome to that feature with the
//! shell (`split!(app, feature)`), never to the app. The base pane is the
//! pane's feature (`app::Feature`), routed by `Pane::feature`.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::keymap::Context;
use crate::ui::view::{Areas, ViewCtx};

/// What a layer did with an input: the stack acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Handled; the layer stays.
    Done,
    /// Handled; the layer is closed.
    Close,
    /// Not for this layer: the next one down gets it.
    Pass,
    /// This layer closes and the next one down gets the input too (help
    /// closed by any key that is not scrolling).
    CloseAndPass,
}

/// Something that can have the keyboard. See the module doc.
pub trait Layer: Any {
    /// Key contexts where the focus is, most specific first, and whether
    /// printable keys type text.
    fn context(&self, app: &App) -> (&'static [Context], bool);

    /// An action from the keymap.
    fn action(&mut self, action: Action, app: &mut App) -> Reply;

    /// A key the keymap left unbound while [`context`](Self::context) said
    /// printable keys type text.
    fn text_key(&mut self, _ev: KeyEvent, _app: &mut App) -> Reply {
        Reply::Done
    }

    /// Pasted text (bracketed paste).
    fn paste(&mut self, _text: &str, _app: &mut App) -> Reply {
        Reply::Done
    }

    /// The key hints shown while this layer is on top; None when the layer
    /// draws into the hints line itself (the command line).
    fn hints(&self, app: &App) -> Option<&'static [(Action, &'static str)]>;

    /// Draws the layer over what lies beneath.
    fn draw(&self, app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer);

    /// The layer as `Any`, so the app can find a layer by its type.
    fn as_any(&self) -> &dyn Any;

    /// The layer as mutable `Any`.
    fn as_any_mut(&mut self) -> &mut dyn Any;

    /// The boxed layer as `Any`, to take it off the stack by its type.
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

/// The three `Any` conversions every [`Layer`] needs, written once: put
/// `any_impl!();` inside an `impl Layer for T` block.
macro_rules! any_impl {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
        fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
            self
        }
    };
}
pub(crate) use any_impl;
