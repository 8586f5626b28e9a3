//! One key, start to finish: the focus (the top layer's key contexts),
//! the keymap lookup, typed text and paste, and an action's way down the
//! layer stack to the shell's own keys and then the pane's feature
//! (`Pane::feature`). Part of `App`; the layers and features do the work.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::ui::action::Action;
use crate::ui::keymap::{sequence_label, Context, Key, Lookup};
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::help::HelpState;

use super::layers::{BaseLayer, CommandLine, GateLayer};
use super::{center, corrections, here_now, referral, App, FeatureId, Notice, Pane};

impl App {
    /// The key contexts where the focus is, most specific first, and
    /// whether printable keys type text there: the top layer's.
    pub fn focus_context(&self) -> (&'static [Context], bool) {
        if !self.gate_open() {
            return GateLayer.context(self);
        }
        match self.shell.layers.last() {
            Some(top) => top.context(self),
            None => BaseLayer.context(self),
        }
    }

    /// The key hints of the top layer (None: it draws the hints line).
    pub fn hints(&self) -> Option<&'static [(Action, &'static str)]> {
        if !self.gate_open() {
            return GateLayer.hints(self);
        }
        match self.shell.layers.last() {
            Some(top) => top.hints(self),
            None => BaseLayer.hints(self),
        }
    }

    /// Handles one terminal event, at the app's current instant (the
    /// runtime uses [`App::handle_event_at`]).
    pub fn handle_event(&mut self, event: Event) {
        self.tick();
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
            Event::Paste(s) => self.handle_paste(&s),
            // Nothing to record: every view keeps the rows it drew last
            // (`widgets::list::Viewport`), and the runtime draws again.
            _ => {}
        }
    }

    /// Handles one key: through the keymap to an action, or into the
    /// focused text field.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        self.shell.note_input();
        // What the reveal key showed is hidden again by the next key.
        self.shell.access.reveal = false;
        let key = Key::from_event(&ev);
        if !self.shell.pending.is_empty()
            && key.code == KeyCode::Esc
            && key.mods == KeyModifiers::NONE
        {
            self.shell.pending.clear();
            return;
        }
        let (chain, typing) = self.focus_context();
        let mut pressed = self.shell.pending.clone();
        pressed.push(key);
        match self.shell.keymap.lookup(chain, typing, &pressed) {
            Lookup::Action(a) => {
                self.shell.pending.clear();
                self.update(a);
            }
            Lookup::Pending => self.shell.pending = pressed,
            Lookup::Unbound => {
                if !self.shell.pending.is_empty() {
                    // The sequence went nowhere: typed keys become text,
                    // then this key is tried on its own.
                    let old = std::mem::take(&mut self.shell.pending);
                    if typing {
                        for k in old {
                            self.type_key(KeyEvent::new(k.code, k.mods));
                        }
                    }
                    self.handle_key(ev);
                } else if typing {
                    self.type_key(ev);
                }
            }
        }
    }

    /// The keys of a pending sequence, for the status line.
    pub fn pending_label(&self) -> Option<String> {
        (!self.shell.pending.is_empty()).then(|| sequence_label(&self.shell.pending))
    }

    fn type_key(&mut self, ev: KeyEvent) {
        self.type_key_here(ev);
        self.deliver();
    }

    fn type_key_here(&mut self, ev: KeyEvent) {
        if !self.gate_open() {
            GateLayer.text_key(ev, self);
            return;
        }
        match self.shell.layers.len().checked_sub(1) {
            Some(top) => {
                self.call_layer(top, |l, app| l.text_key(ev, app));
            }
            None => {
                BaseLayer.text_key(ev, self);
            }
        }
    }

    /// Pastes text into the focused text field (bracketed paste).
    pub fn handle_paste(&mut self, s: &str) {
        self.paste_here(s);
        self.deliver();
    }

    fn paste_here(&mut self, s: &str) {
        if !self.gate_open() {
            GateLayer.paste(s, self);
            return;
        }
        self.shell.note_input();
        match self.shell.layers.len().checked_sub(1) {
            Some(top) => {
                self.call_layer(top, |l, app| l.paste(s, app));
            }
            None => {
                BaseLayer.paste(s, self);
            }
        }
    }

    /// Applies one action: the only way state changes in response to keys.
    /// It goes to the top layer; a layer that passes hands it to the one
    /// beneath, and the base pane comes last.
    pub fn update(&mut self, action: Action) {
        self.dispatch(action);
        self.deliver();
    }

    /// Routes one action down the layer stack (see [`App::update`]).
    fn dispatch(&mut self, action: Action) {
        if !self.gate_open() {
            GateLayer.action(action, self);
            return;
        }
        if self.access_action(action) {
            return;
        }
        let mut i = self.shell.layers.len();
        while i > 0 {
            i -= 1;
            match self.call_layer(i, |l, app| l.action(action, app)) {
                Reply::Done | Reply::Close => return,
                Reply::Pass | Reply::CloseAndPass => i = i.min(self.shell.layers.len()),
            }
        }
        BaseLayer.action(action, self);
    }

    /// Calls layer `i` with the app (the layer is off the stack meanwhile,
    /// so it may push layers above itself), then keeps or drops it as it
    /// replied.
    fn call_layer(&mut self, i: usize, f: impl FnOnce(&mut dyn Layer, &mut App) -> Reply) -> Reply {
        if i >= self.shell.layers.len() {
            return Reply::Pass;
        }
        let mut layer = self.shell.layers.remove(i);
        let serial = self.user.serial;
        let reply = f(layer.as_mut(), self);
        let keep = matches!(reply, Reply::Done | Reply::Pass);
        // A stack replaced meanwhile (another user signed in) keeps nothing
        // of the old one.
        if keep && serial == self.user.serial {
            let at = i.min(self.shell.layers.len());
            self.shell.layers.insert(at, layer);
        }
        reply
    }

    /// The base pane's key contexts.
    pub(super) fn base_focus(&self) -> (&'static [Context], bool) {
        match self.user.feature_ref(self.user.nav.pane.feature()) {
            Some(f) => f.context(&self.shell),
            // Every pane has a feature (`Pane::feature`).
            None => (&[Context::Global], false),
        }
    }

    /// A key typed on the base pane.
    pub(super) fn base_type(&mut self, ev: KeyEvent) {
        let pane = self.user.nav.pane;
        self.with_feature(pane.feature(), |f, cx| f.text_key(ev, cx));
    }

    /// A paste on the base pane.
    pub(super) fn base_paste(&mut self, s: &str) {
        let pane = self.user.nav.pane;
        self.with_feature(pane.feature(), |f, cx| f.paste(s, cx));
    }

    /// An action that no layer took: the shell's own, then the pane's.
    pub(super) fn base_action(&mut self, action: Action) {
        if self.audit_pane_action(action) {
            return;
        }
        match action {
            Action::Quit => return self.request_quit(),
            Action::Help => return self.push_layer(HelpState::default()),
            Action::Command => return self.push_layer(CommandLine::new(&self.shell.theme)),
            Action::Undo => {
                let (undo, mut cx) = split!(self, undo);
                return undo.undo_last(&mut cx);
            }
            Action::ShowMessage => return corrections::show_message(&mut self.shell),
            Action::Refresh => {
                self.shell.notify(Notice::Refresh);
                self.shell.status.info("reloading…");
                return;
            }
            _ => {}
        }
        let selected = self.selected_peer();
        let (page, mut cx) = split!(self, page);
        if center::action(action, page, selected, &mut cx) {
            return;
        }

        if self.user.groups.in_attendance(self.user.nav.pane) {
            self.with_feature(FeatureId::Groups, |f, cx| f.action(action, cx));
            return;
        }

        match action {
            Action::CheckIn => {
                let pre = self.selected_peer();
                let (checkin, mut cx) = split!(self, checkin);
                return checkin.open(pre, &mut cx);
            }
            Action::Save => return self.shell.status.info("nothing to save here"),
            Action::GoToday => {
                let (today, mut cx) = split!(self, today);
                cx.go(Pane::Today);
                return today.request(&mut cx);
            }
            Action::GoPeers => {
                self.user.nav.pane = Pane::Peers;
                return;
            }
            Action::GoGroups => {
                let on_row = match self.user.nav.pane {
                    Pane::Today => self.user.today.selected_row().and_then(|r| r.group),
                    _ => None,
                };
                let (groups, mut cx) = split!(self, groups);
                return groups.open(on_row, &mut cx);
            }
            Action::GoReports => {
                let (reports, mut cx) = split!(self, reports);
                return reports.open(&mut cx);
            }
            Action::GoResources => return referral::open_resources(&mut split!(self)),
            Action::GoCredentials => {
                let (credentials, mut cx) = split!(self, credentials);
                return credentials.open(&mut cx);
            }
            Action::Kiosk => {
                return here_now::start_kiosk(&mut split!(self));
            }
            Action::HereNow if self.user.nav.pane == Pane::Today => {
                let (here_now, mut cx) = split!(self, here_now);
                return here_now.open(&mut cx);
            }
            Action::Search => {
                let (peers, mut cx) = split!(self, peers);
                return peers.start_search(&mut cx);
            }
            Action::NextPane | Action::PrevPane => {
                let panes: Vec<Pane> = self.titled_panes().into_iter().map(|(p, _)| p).collect();
                let i = panes
                    .iter()
                    .position(|p| *p == self.user.nav.pane)
                    .unwrap_or(0);
                let n = panes.len();
                let next = if action == Action::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.user.nav.pane = panes[next];
                return;
            }
            _ => {}
        }

        let pane = self.user.nav.pane;
        self.with_feature(pane.feature(), |f, cx| f.action(action, cx));
    }
}
