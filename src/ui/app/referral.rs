//! The Referral feature: resources, referrals and the take-home card in
//! the terminal UI.
//!
//! Each is a layer of its own, so the shell's routing stays as it is:
//! the Resources screen (`O`, [`open_resources`]: search the directory as
//! you type, `ctrl-n` adds, Enter edits), the resource picker that makes a
//! referral (`f` on the peer page, `ctrl-r` in the check-in form,
//! [`refer_from_checkin`]), the resource and status forms, and the card
//! popup (`T` on the peer page: scroll, `ctrl-s` saves it to a file).
//! [`Referral`] takes the worker's answers for them. The peer page's
//! Referrals tab (7) keeps its state in `PeerView::referrals`: the page
//! calls [`peer_action`] for its keys, [`take_rows`] with the rows (the
//! answer table routes them to the page) and [`page_notice`] on
//! [`Notice::ReferralsChanged`], which a saved referral or status sends.
//!
//! A referral picked from the check-in form is saved right away, not with
//! the check-in: it is a record of its own with its own follow-up, so it
//! should not be lost if the check-in is discarded, and saving it at once
//! says "referral RF3 saved" while the peer is still there to hear it.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;

use crate::model::choice::Choice;
use crate::model::{PeerId, Record, ReferralStatus, Resource, ResourceCategory};
use crate::ops::referral::{search_resources, NewReferral};
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::layer::any_impl;
use crate::ui::layer::{Layer, Reply};
use crate::ui::screens::checkin::CheckInForm;
use crate::ui::screens::peer_tabs::PeerTab;
use crate::ui::view::{Areas, ViewCtx};
use crate::ui::widgets::confirm::OnYes;
use crate::ui::widgets::form::{self, FieldKey, FormOutcome, Hint, PopupForm};
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::list::{ListCursor, TextScroll};
use crate::ui::worker::referral::{ReferralRequest, ReferralResponse, ReferralRow, ResourceEdit};
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::peer::PeerPage;
use super::shell::{Cx, Shell};
use super::{App, Notice};

const CHAIN_RESOURCES: &[Context] = &[Context::Resources, Context::List, Context::Global];
const CHAIN_PICKER: &[Context] = &[Context::List, Context::Global];
const CHAIN_CARD: &[Context] = &[Context::List, Context::Global];
const CHAIN_PATH: &[Context] = &[
    Context::Input,
    Context::Form,
    Context::List,
    Context::Global,
];

/// The directory as a searchable list (the Resources screen and the
/// picker share it).
#[derive(Debug, Clone, Default)]
pub struct ResourceList {
    /// The search text.
    pub query: LineInput,
    /// Every entry, as loaded.
    pub all: Vec<Record<Resource>>,
    /// Ids of the entries shown, best match first.
    pub shown: Vec<crate::model::ResourceId>,
    /// Selection in `shown`.
    pub cursor: ListCursor,
    /// True until the directory has loaded.
    pub loading: bool,
    /// Inactive entries are listed too (the screen; never the picker).
    pub with_inactive: bool,
}

impl ResourceList {
    fn refilter(&mut self) {
        self.shown = search_resources(&self.all, self.query.text(), self.with_inactive)
            .into_iter()
            .map(|r| r.id)
            .collect();
        self.cursor.clamp(self.shown.len());
    }

    /// Takes a (re)loaded directory, keeping the selection's entry.
    pub fn set(&mut self, all: Vec<Record<Resource>>) {
        let keep = self.selected().map(|r| r.id);
        self.all = all;
        self.loading = false;
        self.refilter();
        if let Some(pos) = keep.and_then(|k| self.shown.iter().position(|id| *id == k)) {
            self.cursor.select(pos, self.shown.len());
        }
    }

    /// The highlighted entry.
    pub fn selected(&self) -> Option<&Record<Resource>> {
        let id = self.shown.get(self.cursor.selected)?;
        self.all.iter().find(|r| r.id == *id)
    }

    fn type_key(&mut self, ev: KeyEvent) {
        if self.query.key(ev) {
            self.cursor.select(0, 0);
            self.refilter();
        }
    }

    fn paste(&mut self, s: &str) {
        if self.query.paste(s) {
            self.refilter();
        }
    }

    /// The entries shown, in order.
    pub fn rows(&self) -> Vec<&Record<Resource>> {
        self.shown
            .iter()
            .filter_map(|id| self.all.iter().find(|r| r.id == *id))
            .collect()
    }
}

/// The Resources screen (global `O`).
#[derive(Debug, Clone, Default)]
pub struct ResourcesScreen {
    /// The directory and its search.
    pub list: ResourceList,
}

/// The resource picker that makes a referral.
#[derive(Debug, Clone)]
pub struct ResourcePicker {
    /// Who is referred.
    pub peer: PeerId,
    /// Their name (raw), for the title.
    pub peer_name: String,
    /// Opened from the check-in form.
    pub from_checkin: bool,
    /// The active directory and its search.
    pub list: ResourceList,
    /// The referral is on its way to the store.
    pub saving: bool,
}

/// The add / edit form of a directory entry.
#[derive(Debug, Clone)]
pub struct ResourceForm {
    /// The fields.
    pub form: PopupForm,
    /// The stored entry being edited, if any.
    pub editing: Option<Record<Resource>>,
}

/// The form that records a referral's new status.
#[derive(Debug, Clone)]
pub struct StatusForm {
    /// The fields.
    pub form: PopupForm,
    /// Which referral.
    pub referral: crate::model::ReferralId,
}

/// The take-home card in a scrollable popup.
#[derive(Debug, Clone)]
pub struct CardPopup {
    /// Whose card.
    pub peer: PeerId,
    /// Their name (raw): privacy mode draws it as initials.
    pub peer_name: String,
    /// The text, once loaded; or why it could not be.
    pub text: Option<Result<String, String>>,
    /// First line shown, and the rows and lines of the last draw.
    pub scroll: TextScroll,
    /// The file name being typed after `ctrl-s`.
    pub path: Option<LineInput>,
}

/// The Referrals tab's state.
#[derive(Debug, Clone, Default)]
pub struct ReferralsTab {
    /// Whose referrals are loaded.
    pub peer: Option<PeerId>,
    /// The peer's referrals, newest first.
    pub rows: Vec<ReferralRow>,
    /// Selection.
    pub cursor: ListCursor,
    /// Why they could not be loaded.
    pub error: Option<String>,
}

impl ReferralsTab {
    /// The selected referral.
    pub fn selected(&self) -> Option<&ReferralRow> {
        self.rows.get(self.cursor.selected)
    }
}

fn category_options() -> Vec<String> {
    ResourceCategory::ALL
        .iter()
        .map(|c| c.label().to_string())
        .collect()
}

fn status_options() -> Vec<String> {
    ReferralStatus::ALL
        .iter()
        .map(|c| c.label().to_string())
        .collect()
}

const YES_NO: [&str; 2] = ["no", "yes"];

impl ResourceForm {
    /// A form for a new entry, or for `editing`.
    pub fn new(editing: Option<Record<Resource>>, theme: crate::ui::theme::Theme) -> ResourceForm {
        let r = editing
            .as_ref()
            .map(|r| r.data.clone())
            .unwrap_or_else(|| Resource::new("", ResourceCategory::Other));
        let cat = ResourceCategory::ALL
            .iter()
            .position(|c| *c == r.category)
            .unwrap_or(0);
        let title = match &editing {
            Some(rec) => format!("Edit resource {}", rec.id),
            None => "New resource".to_string(),
        };
        let plain = Hint::Plain("");
        let form = PopupForm::new(title, theme)
            .text(
                FieldKey::ResourceName,
                &r.name,
                "e.g. Eastside Food Pantry",
                plain.clone(),
            )
            .choice(FieldKey::Category, category_options(), cat, "←/→")
            .text(FieldKey::Phone, &r.phone, "", plain.clone())
            .text(FieldKey::Address, &r.address, "", plain.clone())
            .text(
                FieldKey::Hours,
                &r.hours,
                "e.g. Mon-Fri 9-5, 24/7",
                plain.clone(),
            )
            .text(
                FieldKey::Eligibility,
                &r.eligibility,
                "who may use it",
                plain.clone(),
            )
            .text(
                FieldKey::ResourceNotes,
                &r.notes,
                "staff only, never on a card",
                plain,
            )
            .choice(
                FieldKey::AfterHours,
                YES_NO.iter().map(|s| s.to_string()).collect(),
                usize::from(r.after_hours),
                "on take-home cards",
            )
            .choice(
                FieldKey::Active,
                YES_NO.iter().map(|s| s.to_string()).collect(),
                usize::from(r.active),
                "inactive: kept, out of pickers",
            );
        ResourceForm { form, editing }
    }

    /// The entry the fields describe.
    pub fn resource(&self) -> Resource {
        let f = &self.form;
        let mut r = self
            .editing
            .as_ref()
            .map(|r| r.data.clone())
            .unwrap_or_else(|| Resource::new("", ResourceCategory::Other));
        r.name = f.value(FieldKey::ResourceName).trim().to_string();
        r.category = ResourceCategory::ALL
            .get(f.picked(FieldKey::Category))
            .copied()
            .unwrap_or(ResourceCategory::Other);
        r.phone = f.value(FieldKey::Phone).trim().to_string();
        r.address = f.value(FieldKey::Address).trim().to_string();
        r.hours = f.value(FieldKey::Hours).trim().to_string();
        r.eligibility = f.value(FieldKey::Eligibility).trim().to_string();
        r.notes = f.value(FieldKey::ResourceNotes).trim().to_string();
        r.after_hours = f.picked(FieldKey::AfterHours) == 1;
        r.active = f.picked(FieldKey::Active) == 1;
        r
    }
}

/// The Referral feature: it owns no state of its own (the Resources
/// screen, the picker, the forms and the card are layers; the Referrals
/// tab is the page's, `PeerView::referrals`); it takes the worker's
/// answers for them.
#[derive(Debug, Default)]
pub struct Referral;

/// Opens the Resources screen and loads the directory.
pub(super) fn open_resources(cx: &mut Cx) {
    if cx.layer::<ResourcesScreen>().is_some() {
        return;
    }
    let mut screen = ResourcesScreen::default();
    screen.list.loading = true;
    screen.list.with_inactive = true;
    screen
        .list
        .query
        .set_placeholder("type to search name, category, address");
    screen.list.query.set_focused(true, &cx.theme);
    cx.push_layer(screen);
    cx.requests
        .push(Request::Referral(ReferralRequest::Resources));
}

fn open_picker(peer: PeerId, peer_name: String, from_checkin: bool, cx: &mut Cx) {
    let mut list = ResourceList {
        loading: true,
        ..ResourceList::default()
    };
    list.query
        .set_placeholder("type part of a resource's name or category");
    list.query.set_focused(true, &cx.theme);
    cx.push_layer(ResourcePicker {
        peer,
        peer_name,
        from_checkin,
        list,
        saving: false,
    });
    cx.requests
        .push(Request::Referral(ReferralRequest::Resources));
}

/// `ctrl-r` in the check-in form: refer its peer (picked first).
pub(crate) fn refer_from_checkin(form: &CheckInForm, cx: &mut Cx) -> Reply {
    match form.peer.clone() {
        Some((id, name)) => open_picker(id, name, true, cx),
        None => cx.status.info("pick the peer first, then refer them"),
    }
    Reply::Done
}

/// The peer page's referral keys: `f` refers, `T` shows the card, tab 7
/// lists referrals and records a new status. False when not theirs.
pub(super) fn peer_action(page: &mut PeerPage, action: Action, cx: &mut Cx) -> bool {
    let Some((peer, name)) = page.peer.as_ref().map(|p| (p.id, p.name.clone())) else {
        return false;
    };
    match action {
        Action::Refer => {
            open_picker(peer, name, false, cx);
            return true;
        }
        Action::TakeHomeCard => {
            cx.push_layer(CardPopup {
                peer,
                peer_name: name,
                text: None,
                scroll: TextScroll::default(),
                path: None,
            });
            let today = cx.date;
            cx.requests
                .push(Request::Referral(ReferralRequest::Card { peer, today }));
            return true;
        }
        _ => {}
    }
    if page.view.tab.after(action) == Some(PeerTab::Referrals) {
        page.view.tab = PeerTab::Referrals;
        request_referrals(page, peer, cx);
        return true;
    }
    if page.view.tab != PeerTab::Referrals {
        return false;
    }
    let tab = &mut page.view.referrals;
    if tab.cursor.apply(action, tab.rows.len()) {
        return true;
    }
    if action == Action::SetReferralStatus {
        match tab.selected() {
            Some(row) => {
                let current = ReferralStatus::ALL
                    .iter()
                    .position(|s| *s == row.referral.status())
                    .unwrap_or(0);
                let form = PopupForm::new(
                    format!("Referral {} to {}", row.referral.id, row.resource),
                    cx.theme,
                )
                .choice(FieldKey::ReferralStatus, status_options(), current, "←/→")
                .text(FieldKey::ReferralNote, "", "what happened", Hint::Plain(""));
                let id = row.referral.id;
                cx.push_layer(StatusForm { form, referral: id });
            }
            None => cx.status.info("no referral selected; f makes one"),
        }
        return true;
    }
    false
}

/// Asks for `peer`'s referrals for the page's Referrals tab (a fresh tab
/// for another peer).
pub(super) fn request_referrals(page: &mut PeerPage, peer: PeerId, shell: &mut Shell) {
    if page.view.referrals.peer != Some(peer) {
        page.view.referrals = ReferralsTab {
            peer: Some(peer),
            ..ReferralsTab::default()
        };
    }
    shell
        .requests
        .push(Request::Referral(ReferralRequest::ForPeer(peer)));
}

/// What the page does on a notice of the Referral feature: the open
/// peer's Referrals tab reloads when their referrals changed.
pub(super) fn page_notice(page: &mut PeerPage, notice: &Notice, shell: &mut Shell) {
    if let Notice::ReferralsChanged(peer) = notice {
        if page.peer.as_ref().is_some_and(|p| p.id == *peer) {
            request_referrals(page, *peer, shell);
        }
    }
}

/// Takes a peer's referrals into the page's Referrals tab (the answer
/// [`owner`](super::owner) routes to the page).
pub(super) fn take_rows(
    page: &mut PeerPage,
    peer: PeerId,
    result: Result<Vec<ReferralRow>, String>,
) {
    let tab = &mut page.view.referrals;
    if tab.peer == Some(peer) {
        match result {
            Ok(rows) => {
                tab.rows = rows;
                tab.error = None;
                tab.cursor.clamp(tab.rows.len());
            }
            Err(e) => tab.error = Some(e),
        }
    }
}

impl Feature for Referral {
    /// Takes an answer for the referral layers; a saved referral or status
    /// goes out as [`Notice::ReferralsChanged`] and [`Notice::ReloadToday`].
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::Referral(r) = reply else {
            return misrouted(FeatureId::Referral, &reply);
        };
        match *r {
            ReferralResponse::Resources(Ok(all)) => {
                if let Some(s) = cx.layer_mut::<ResourcesScreen>() {
                    s.list.set(all.clone());
                }
                if let Some(p) = cx.layer_mut::<ResourcePicker>() {
                    p.list.set(all);
                }
            }
            ReferralResponse::Resources(Err(e)) => {
                cx.status.error(format!("Resources: {e}"));
            }
            ReferralResponse::SavedResource(Ok(rec)) => {
                cx.close_layer::<ResourceForm>();
                cx.status.info(format!(
                    "Saved resource {} {}",
                    rec.id,
                    crate::text::escape_line(&rec.name)
                ));
                cx.requests
                    .push(Request::Referral(ReferralRequest::Resources));
            }
            ReferralResponse::SavedResource(Err(e)) => {
                cx.status.error(format!("Not saved: {e}"));
                if let Some(f) = cx.layer_mut::<ResourceForm>() {
                    f.form.save_failed(&e);
                }
            }
            ReferralResponse::Referred(Ok(rec)) => {
                let resource = cx
                    .layer::<ResourcePicker>()
                    .and_then(|p| p.list.all.iter().find(|r| r.id == rec.resource))
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| rec.resource.to_string());
                cx.close_layer::<ResourcePicker>();
                cx.status.info(format!(
                    "Saved referral {} to {}",
                    rec.id,
                    crate::text::escape_line(&resource)
                ));
                cx.notify(Notice::ReferralsChanged(rec.peer));
                cx.notify(Notice::ReloadToday);
            }
            ReferralResponse::Referred(Err(e)) => {
                if let Some(p) = cx.layer_mut::<ResourcePicker>() {
                    p.saving = false;
                }
                cx.status.error(format!("Referral not saved: {e}"));
            }
            ReferralResponse::ForPeer(..) => misrouted(FeatureId::Referral, &Response::Referral(r)),
            ReferralResponse::StatusSet(Ok(rec)) => {
                cx.close_layer::<StatusForm>();
                cx.status.info(format!(
                    "Referral {} is {} since {}",
                    rec.id,
                    rec.status().label(),
                    rec.last_update()
                ));
                cx.notify(Notice::ReferralsChanged(rec.peer));
                cx.notify(Notice::ReloadToday);
            }
            ReferralResponse::StatusSet(Err(e)) => {
                cx.status.error(format!("Not saved: {e}"));
                if let Some(f) = cx.layer_mut::<StatusForm>() {
                    f.form.save_failed(&e);
                }
            }
            ReferralResponse::Card(peer, text) => {
                if let Some(c) = cx.layer_mut::<CardPopup>().filter(|c| c.peer == peer) {
                    c.text = Some(text);
                }
            }
            ReferralResponse::CardSaved(Ok(path)) => {
                if let Some(c) = cx.layer_mut::<CardPopup>() {
                    c.path = None;
                }
                cx.status.info(format!(
                    "Card written to {}",
                    crate::text::escape_line(&path.display().to_string())
                ));
            }
            ReferralResponse::CardSaved(Err(e)) => {
                cx.status.error(format!("Card not written: {e}"))
            }
        }
    }
}

/// Actions that leave a referral layer for the shell.
fn passes(action: Action) -> bool {
    matches!(
        action,
        Action::Quit | Action::Help | Action::Command | Action::Lock | Action::Privacy
    )
}

impl Layer for ResourcesScreen {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_RESOURCES, true)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if passes(action) {
            return Reply::Pass;
        }
        match action {
            Action::Back if !self.list.query.is_empty() => {
                self.list.query.set_text("");
                self.list.refilter();
                Reply::Done
            }
            Action::Back | Action::GoResources => Reply::Close,
            Action::AddResource => {
                let theme = cx.theme;
                cx.push_layer(ResourceForm::new(None, theme));
                Reply::Done
            }
            Action::Edit | Action::Open => {
                match self.list.selected() {
                    Some(r) => {
                        let theme = cx.theme;
                        cx.push_layer(ResourceForm::new(Some(r.clone()), theme))
                    }
                    None => cx.status.info("no resource selected; ctrl-n adds one"),
                }
                Reply::Done
            }
            Action::Refresh => {
                cx.requests
                    .push(Request::Referral(ReferralRequest::Resources));
                Reply::Done
            }
            a if self.list.cursor.apply(a, self.list.shown.len()) => Reply::Done,
            // Another screen: the directory closes.
            Action::GoToday | Action::GoPeers | Action::GoGroups | Action::GoReports => {
                Reply::CloseAndPass
            }
            _ => Reply::Done,
        }
    }

    fn text_key(&mut self, ev: KeyEvent, _app: &mut App) -> Reply {
        self.list.type_key(ev);
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.list.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(&[
            (Action::AddResource, "add"),
            (Action::Edit, "edit"),
            (Action::Down, "move"),
            (Action::Back, "clear / close"),
            (Action::Help, "help"),
        ])
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        crate::ui::screens::resources::render_screen(self, ctx, areas.main, buf);
    }

    any_impl!();
}

impl Layer for ResourcePicker {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        (CHAIN_PICKER, true)
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if passes(action) {
            return Reply::Pass;
        }
        match action {
            Action::Back if self.saving => {
                cx.status
                    .info("saving… the picker closes when the store confirms");
                Reply::Done
            }
            Action::Back => Reply::Close,
            Action::Open | Action::Save => {
                if self.saving {
                    return Reply::Done;
                }
                let Some(r) = self.list.selected() else {
                    cx.status
                        .info("no resource matches; keep typing or Backspace");
                    return Reply::Done;
                };
                let actor = cx.actor();
                let date = cx.date;
                self.saving = true;
                cx.requests.push(Request::Referral(ReferralRequest::Refer {
                    new: NewReferral {
                        peer: self.peer,
                        resource: r.id,
                        date,
                        by: actor.staff,
                        note: if self.from_checkin {
                            "made at a check-in".into()
                        } else {
                            String::new()
                        },
                        checkin: None,
                    },
                    actor,
                }));
                Reply::Done
            }
            a if self.list.cursor.apply(a, self.list.shown.len()) => Reply::Done,
            _ => Reply::Done,
        }
    }

    fn text_key(&mut self, ev: KeyEvent, _app: &mut App) -> Reply {
        self.list.type_key(ev);
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.list.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(&[
            (Action::Open, "refer"),
            (Action::Down, "move"),
            (Action::Back, "cancel"),
        ])
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        crate::ui::screens::resources::render_picker(self, ctx, areas.main, buf);
    }

    any_impl!();
}

/// Shared key handling of the two small forms: cancelling them is the
/// one editor's cancel (`Shell::cancel_unsaved`: unsaved changes are asked
/// about first); None for a save, which the form does itself.
fn small_form(form: &mut PopupForm, outcome: FormOutcome, shell: &mut Shell) -> Option<Reply> {
    match outcome {
        FormOutcome::Cancel => Some(
            shell
                .cancel_unsaved(
                    form.saving,
                    form.is_dirty(),
                    "Close this form? What you typed will be lost.",
                    OnYes::DiscardBelow,
                )
                .reply(),
        ),
        FormOutcome::Save => None,
        _ => Some(Reply::Done),
    }
}

impl Layer for ResourceForm {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        self.form.context()
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if passes(action) {
            return Reply::Pass;
        }
        let outcome = self.form.handle(action);
        if let Some(reply) = small_form(&mut self.form, outcome, &mut cx) {
            return reply;
        }
        if self.form.saving {
            return Reply::Done;
        }
        let resource = self.resource();
        if let Err(e) = crate::model::Entity::validate(&resource) {
            self.form.save_failed(&e.into());
            return Reply::Done;
        }
        let edit = match &self.editing {
            Some(rec) => ResourceEdit::Changed(Record {
                data: resource,
                ..rec.clone()
            }),
            None => ResourceEdit::New(resource),
        };
        self.form.saving = true;
        let actor = cx.actor();
        cx.requests
            .push(Request::Referral(ReferralRequest::SaveResource {
                resource: Box::new(edit),
                actor,
            }));
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, _app: &mut App) -> Reply {
        self.form.text_key(ev);
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.form.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(FORM_HINTS)
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        form::render(&self.form, ctx, areas.main, buf);
    }

    any_impl!();
}

const FORM_HINTS: &[(Action, &str)] = &[
    (Action::Save, "save"),
    (Action::NextField, "next"),
    (Action::Back, "cancel"),
];

impl Layer for StatusForm {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        self.form.context()
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if passes(action) {
            return Reply::Pass;
        }
        let outcome = self.form.handle(action);
        if let Some(reply) = small_form(&mut self.form, outcome, &mut cx) {
            return reply;
        }
        if self.form.saving {
            return Reply::Done;
        }
        let status = ReferralStatus::ALL
            .get(self.form.picked(FieldKey::ReferralStatus))
            .copied()
            .unwrap_or(ReferralStatus::Made);
        let actor = cx.actor();
        let date = cx.date;
        self.form.saving = true;
        cx.requests
            .push(Request::Referral(ReferralRequest::SetStatus {
                id: self.referral,
                status,
                date,
                note: self.form.value(FieldKey::ReferralNote).trim().to_string(),
                by: actor.staff,
                actor,
            }));
        Reply::Done
    }

    fn text_key(&mut self, ev: KeyEvent, _app: &mut App) -> Reply {
        self.form.text_key(ev);
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        self.form.paste(text);
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(FORM_HINTS)
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        form::render(&self.form, ctx, areas.main, buf);
    }

    any_impl!();
}

impl CardPopup {
    /// The card's lines (none until loaded).
    pub fn lines(&self) -> Vec<&str> {
        match &self.text {
            Some(Ok(t)) => t.lines().collect(),
            _ => Vec::new(),
        }
    }
}

impl Layer for CardPopup {
    fn context(&self, _app: &App) -> (&'static [Context], bool) {
        match self.path {
            Some(_) => (CHAIN_PATH, true),
            None => (CHAIN_CARD, false),
        }
    }

    fn action(&mut self, action: Action, app: &mut App) -> Reply {
        let mut cx = split!(app);
        if passes(action) {
            return Reply::Pass;
        }
        if let Some(path) = &self.path {
            match action {
                Action::Back => self.path = None,
                Action::Save | Action::Open | Action::NextField => {
                    let typed = path.text().trim().to_string();
                    let text = match &self.text {
                        Some(Ok(t)) => t.clone(),
                        _ => return Reply::Done,
                    };
                    if typed.is_empty() {
                        cx.status
                            .info("file: give a file name to write the card to");
                    } else {
                        cx.requests
                            .push(Request::Referral(ReferralRequest::SaveCard {
                                path: std::path::PathBuf::from(&typed),
                                text,
                            }));
                    }
                }
                _ => {}
            }
            return Reply::Done;
        }
        match action {
            Action::Back | Action::TakeHomeCard => Reply::Close,
            Action::Save => {
                if matches!(self.text, Some(Ok(_))) {
                    let mut input = LineInput::new(&format!("card-{}.txt", self.peer));
                    input.set_focused(true, &cx.theme);
                    self.path = Some(input);
                } else {
                    cx.status.info("the card is still loading");
                }
                Reply::Done
            }
            a => {
                self.scroll.apply(a);
                Reply::Done
            }
        }
    }

    fn text_key(&mut self, ev: KeyEvent, _app: &mut App) -> Reply {
        if let Some(p) = &mut self.path {
            p.key(ev);
        }
        Reply::Done
    }

    fn paste(&mut self, text: &str, _app: &mut App) -> Reply {
        if let Some(p) = &mut self.path {
            p.paste(text);
        }
        Reply::Done
    }

    fn hints(&self, _app: &App) -> Option<&'static [(Action, &'static str)]> {
        Some(match self.path {
            Some(_) => &[(Action::Save, "write"), (Action::Back, "cancel")],
            None => &[
                (Action::Save, "save to a file"),
                (Action::Down, "scroll"),
                (Action::Back, "close"),
            ],
        })
    }

    fn draw(&self, _app: &App, ctx: &ViewCtx<'_>, areas: &Areas, buf: &mut Buffer) {
        crate::ui::screens::resources::render_card(self, ctx, areas.main, buf);
    }

    any_impl!();
}
