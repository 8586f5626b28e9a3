//! The Center feature: running a center from the UI — the first-run
//! set-up (an empty store opens it instead of an empty Today,
//! [`open_setup`]), the Staff screen (`S`), and the roster forms on Peers
//! and the peer page (`n` add, `E` edit, `X` discharge or re-admit, `M`
//! merge, [`action`]), with the possible-duplicates question at add time
//! and for a walk-in ([`check_walk_in`]).
//!
//! Each of them is a layer; [`Center`] takes the store's answers. What
//! they change elsewhere goes out as notices: a saved peer as
//! `ReloadRoster`, `PeerChanged` and `ReloadToday` (and `OpenPeer` for a
//! new one), the first admin as `SignedInAs`, a walk-in as
//! `CheckOffWalkIn` (which the Groups feature follows with
//! [`check_off_walk_in`]).
//!
//! The forms and questions as data, with the reading of what was typed
//! (numbers, dates, the PIN typed twice alike), are in `center/forms.rs`;
//! how they are keyed and drawn, in `center/layers.rs`. Every rule about
//! the values, and who may change what, is the operations' and the
//! authorizing store's (`worker/center.rs`), whose refusals come back
//! under their field or with their reason.

mod forms;
mod layers;

pub use forms::{
    object_pronoun, Ask, PeerForm, PeerFormFor, Question, SetupForm, StaffForm, StaffFormFor,
    StaffScreen,
};

use forms::clean;

use crate::model::{Choice, Peer, PeerId, PeerStatus, Permission, Role, StaffId};
use crate::ops::auth::StaffEdit;
use crate::ops::os_login;
use crate::ui::action::Action;
use crate::ui::layer::Reply;
use crate::ui::privacy::shown_name;
use crate::ui::screens::groups::GroupsState;
use crate::ui::screens::popup::{Popup, Purpose};
use crate::ui::widgets::form::FieldKey;
use crate::ui::widgets::list::ListCursor;
use crate::ui::worker::center::{CenterRequest, CenterResponse, Duplicate, DuplicateCheck};
use crate::ui::worker::{Failure, Request, RequestId, Response, RosterRow};

use super::feature::{misrouted, Feature, FeatureId};
use super::peer::PeerPage;
use super::shell::{Cx, Shell};
use super::{Notice, Pane};

/// The Center feature: it owns no state of its own (the set-up, the Staff
/// screen, the forms and the questions are layers); it takes the answers
/// to the center requests.
#[derive(Debug, Default)]
pub struct Center;

/// Opens the first-run set-up (an empty store: no staff yet).
pub(super) fn open_setup(shell: &mut Shell) {
    let theme = shell.theme;
    shell.push_layer(SetupForm::new(theme));
    shell.status.info("Welcome: Tab moves, ctrl-s saves");
}

fn viewer_role(cx: &Cx) -> Option<Role> {
    cx.who.map(|c| c.role)
}

/// The shell's and panes' center keys: `S`, and on Peers and the peer
/// page `n`, `E`, `X`, `M` (on `selected`, the pane's peer; `page` gives
/// the record when it is open there). True when taken care of here.
pub(super) fn action(
    action: Action,
    page: &PeerPage,
    selected: Option<(PeerId, String)>,
    cx: &mut Cx,
) -> bool {
    match action {
        Action::GoStaff => open_staff(cx),
        Action::NewPeer if cx.nav.pane == Pane::Peers => {
            let staff = active_staff(cx);
            let theme = cx.theme;
            cx.push_layer(PeerForm::add(&staff, theme));
        }
        Action::EditPeer | Action::DischargeReadmit | Action::MergePeer
            if matches!(cx.nav.pane, Pane::Peers | Pane::Peer) =>
        {
            peer_action(action, page, selected, cx)
        }
        _ => return false,
    }
    true
}

fn active_staff(shell: &Shell) -> Vec<(StaffId, String)> {
    shell
        .staff_list
        .iter()
        .filter(|s| s.active)
        .map(|s| (s.id, s.name.clone()))
        .collect()
}

fn peer_action(action: Action, page: &PeerPage, selected: Option<(PeerId, String)>, cx: &mut Cx) {
    let (id, name) = match selected {
        Some(x) => x,
        None if cx.nav.pane == Pane::Peer => return,
        None => return cx.status.info("no peer selected"),
    };
    let status = cx
        .roster
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.status)
        .unwrap_or(PeerStatus::Active);
    let theme = cx.theme;
    match action {
        Action::EditPeer => {
            let rec = page
                .peer
                .as_ref()
                .filter(|p| p.id == id)
                .and_then(|p| p.detail.as_ref())
                .map(|d| d.overview.peer.clone());
            match rec {
                Some(rec) => {
                    let staff = active_staff(cx);
                    cx.push_layer(PeerForm::edit(&rec, &staff, theme));
                }
                None => {
                    // Not open on their page: load the record to edit.
                    cx.requests
                        .push(Request::Center(CenterRequest::PeerToEdit(id)));
                    cx.status.info("loading the peer to edit…");
                }
            }
        }
        Action::DischargeReadmit => {
            cx.push_layer(PeerForm::discharge_or_readmit(id, &name, status, theme))
        }
        Action::MergePeer => {
            let allowed = viewer_role(cx).is_none_or(|r| Permission::MergePeers.allows(r));
            if !allowed {
                return cx
                    .status
                    .error("merging two peer records is for supervisors and admins only");
            }
            cx.push_layer(PeerForm::merge(id, &name, theme));
        }
        _ => {}
    }
}

fn open_staff(cx: &mut Cx) {
    let me = cx.who.map(|c| c.staff.id).or_else(|| {
        cx.status
            .staff
            .as_ref()
            .and_then(|s| s.as_ref().ok())
            .map(|s| s.id)
    });
    let manages = viewer_role(cx).is_none_or(|r| Permission::ManageStaff.allows(r));
    if cx.layer::<StaffScreen>().is_none() {
        cx.push_layer(StaffScreen {
            entries: Vec::new(),
            cursor: ListCursor::default(),
            loading: true,
            error: None,
            manages,
            me,
            refusal: None,
        });
    }
    cx.requests.push(Request::Center(CenterRequest::StaffList));
}

fn staff_screen_action(screen: &mut StaffScreen, action: Action, cx: &mut Cx) -> Reply {
    if screen.cursor.apply(action, screen.entries.len()) {
        return Reply::Done;
    }
    let theme = cx.theme;
    match action {
        Action::Back | Action::GoStaff => return Reply::Close,
        Action::Refresh => {
            cx.requests.push(Request::Center(CenterRequest::StaffList));
        }
        Action::AddStaff if screen.manages => cx.push_layer(StaffForm::add(theme)),
        Action::Edit | Action::Open if screen.manages => {
            if let Some(s) = screen.selected() {
                cx.push_layer(StaffForm::edit(s, theme));
            }
        }
        Action::SetPin => {
            if let Some(s) = screen.selected() {
                cx.push_layer(StaffForm::pin(s, theme));
            }
        }
        Action::ToggleActive if screen.manages => {
            if let Some(s) = screen.selected() {
                let name = clean(&s.row.name);
                let text = if s.row.active {
                    format!(
                        "Deactivate {name} ({})? They keep their history but can no longer sign in.",
                        s.row.id
                    )
                } else {
                    format!("Reactivate {name} ({})? They can sign in again.", s.row.id)
                };
                cx.push_layer(Ask {
                    text,
                    about: Question::SetActive {
                        id: s.row.id,
                        active: !s.row.active,
                    },
                });
            }
        }
        Action::AddStaff | Action::Edit | Action::ToggleActive | Action::Open => {
            cx.status
                .error("managing staff accounts is for admins only; P sets your own PIN");
        }
        Action::Quit | Action::Help | Action::Command | Action::Lock | Action::Privacy => {
            return Reply::Pass
        }
        _ => {}
    }
    Reply::Done
}

fn save_setup(setup: &mut SetupForm, cx: &mut Cx) {
    if setup.form.saving {
        return;
    }
    match setup.build() {
        Ok(s) => {
            setup.form.saving = true;
            setup.form.failure = None;
            let actor = crate::model::Actor::login(os_login());
            cx.requests
                .push(Request::Center(CenterRequest::SetUp { setup: s, actor }));
            cx.status.info("setting up…");
        }
        Err(problems) => {
            setup.form.show_errors(problems);
            let first = setup.form.problems().into_iter().next().unwrap_or_default();
            cx.status.error(format!("Not set up: {first}"));
        }
    }
}

fn save_staff_form(sf: &mut StaffForm, cx: &mut Cx) {
    if sf.form.saving {
        return;
    }
    let actor = cx.actor();
    match sf.build(actor) {
        Ok(req) => {
            sf.form.saving = true;
            sf.form.failure = None;
            cx.requests.push(req);
            cx.status.info("saving…");
        }
        Err(problems) => {
            sf.form.show_errors(problems);
            let first = sf.form.problems().into_iter().next().unwrap_or_default();
            cx.status.error(format!("Not saved: {first}"));
        }
    }
}

fn save_peer_form(pf: &mut PeerForm, cx: &mut Cx) {
    if pf.form.saving {
        return;
    }
    let today = cx.date;
    let actor = cx.actor();
    let mut errs = Vec::new();
    let request = match &pf.purpose {
        PeerFormFor::Add => match pf.peer(Peer::new("", today), today) {
            Ok(p) => CenterRequest::Duplicates {
                peer: Box::new(p),
                purpose: DuplicateCheck::AddPeer,
            },
            Err(e) => {
                errs = e;
                return peer_form_problems(pf, errs, cx);
            }
        },
        PeerFormFor::Edit(rec) => match pf.peer(rec.data.clone(), today) {
            Ok(p) => {
                let mut r = (**rec).clone();
                r.data = p;
                CenterRequest::EditPeer {
                    peer: Box::new(r),
                    actor,
                }
            }
            Err(e) => return peer_form_problems(pf, e, cx),
        },
        PeerFormFor::Discharge(id) => {
            let on = pf.day(FieldKey::OnDate, "date", today, &mut errs);
            match on {
                Some(on) if errs.is_empty() => CenterRequest::Discharge {
                    id: *id,
                    on,
                    reason: pf.form.value(FieldKey::Reason).to_string(),
                    actor,
                },
                _ => return peer_form_problems(pf, errs, cx),
            }
        }
        PeerFormFor::Readmit(id) => match pf.day(FieldKey::OnDate, "date", today, &mut errs) {
            Some(on) => CenterRequest::Readmit { id: *id, on, actor },
            None => return peer_form_problems(pf, errs, cx),
        },
        PeerFormFor::Merge(into) => {
            let typed = pf.form.value(FieldKey::MergeFrom).trim().to_string();
            match find_on_roster(&cx.roster, &typed, *into) {
                Ok(from) => {
                    let privacy = cx.privacy();
                    let name_of = |id: PeerId| {
                        cx.roster
                            .iter()
                            .find(|r| r.id == id)
                            .map(|r| shown_name(&r.name, privacy).into_owned())
                            .unwrap_or_default()
                    };
                    let text = format!(
                        "Merge {} ({from}) into {} ({into})? Every record of {from} moves to {into}; {from} then answers as an alias.",
                        name_of(from),
                        name_of(*into)
                    );
                    cx.push_layer(Ask {
                        text,
                        about: Question::Merge { from, into: *into },
                    });
                    return;
                }
                Err(e) => {
                    return peer_form_problems(pf, vec![("duplicate".into(), e)], cx);
                }
            }
        }
    };
    pf.form.saving = true;
    pf.form.failure = None;
    cx.requests.push(Request::Center(request));
    cx.status.info("saving…");
}

fn peer_form_problems(pf: &mut PeerForm, problems: Vec<(String, String)>, cx: &mut Cx) {
    pf.form.show_errors(problems);
    let first = pf.form.problems().into_iter().next().unwrap_or_default();
    cx.status.error(format!("Not saved: {first}"));
}

/// The peer on the roster `typed` names (an id like P62, or a name
/// matching one peer once case and accents are folded), other than
/// `not`.
fn find_on_roster(roster: &[RosterRow], typed: &str, not: PeerId) -> Result<PeerId, String> {
    use crate::model::names::fold;
    if typed.is_empty() {
        return Err("duplicate: type the duplicate's id (like P62) or name".into());
    }
    // An id, a phone number or a tag given whole (the one rule of
    // every peer search), else the name, case and accents folded.
    let by_key: Vec<PeerId> = roster
        .iter()
        .filter(|r| r.keys.answers(typed))
        .map(|r| r.id)
        .collect();
    let found: Vec<PeerId> = match by_key.as_slice() {
        [one] => vec![*one],
        [_, _, ..] => by_key.into_iter().filter(|id| *id != not).collect(),
        [] => {
            let want = fold(typed);
            let exact: Vec<PeerId> = roster
                .iter()
                .filter(|r| r.id != not && fold(&r.name) == want)
                .map(|r| r.id)
                .collect();
            if exact.is_empty() {
                roster
                    .iter()
                    .filter(|r| r.id != not && fold(&r.name).contains(&want))
                    .map(|r| r.id)
                    .collect()
            } else {
                exact
            }
        }
    };
    match found.as_slice() {
        [] => Err(format!(
            "duplicate: no peer on the roster matches '{}'",
            clean(typed)
        )),
        [one] if *one == not => Err(format!(
            "duplicate: {one} is this peer; name the other record"
        )),
        [one] => Ok(*one),
        many => Err(format!(
            "duplicate: '{}' matches {} peers ({}); type the id",
            clean(typed),
            many.len(),
            many.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A walk-in form is saving: a name already checked off in the open
/// session (`groups.attendance`) as a walk-in (case and accents folded)
/// is refused under the field. True when refused. Otherwise the form asks
/// the roster whether they are on it already (`Popup::build`), and the
/// answer goes on in `on_duplicates`.
pub(super) fn check_walk_in(popup: &mut Popup, groups: &GroupsState, shell: &mut Shell) -> bool {
    if popup.purpose != Purpose::WalkIn {
        return false;
    }
    let name = popup.form.value(FieldKey::WalkInName).trim().to_string();
    let typed_twice = groups
        .attendance
        .as_ref()
        .and_then(|s| s.walk_in_named(&name))
        .map(str::to_string);
    let Some(earlier) = typed_twice else {
        return false;
    };
    let failure = Failure::field(
        "walk-in name",
        format!(
            "{} is already checked off here as a walk-in",
            shown_name(&earlier, shell.privacy())
        ),
    );
    shell.status.error(format!("Not added: {failure}"));
    popup.form.save_failed(&failure);
    true
}

/// What the Groups feature does on [`Notice::CheckOffWalkIn`]: checks
/// the walk-in off its open session, a peer on the roster by id, a new one
/// by name (the session's save adds them to the roster; leaving without
/// saving adds nobody).
pub(super) fn check_off_walk_in(groups: &mut GroupsState, notice: &Notice, shell: &mut Shell) {
    let Notice::CheckOffWalkIn(existing, name) = notice else {
        return;
    };
    let Some(s) = &mut groups.attendance else {
        return;
    };
    match existing {
        Some(id) => s.add_walk_in(*id, name),
        None => {
            s.add_new_walk_in(name);
            shell.status.info(format!(
                "Checked off {} as a walk-in; saving the session adds them to the roster",
                shown_name(name, shell.privacy())
            ));
        }
    }
}

/// A new walk-in is checked off the open session by name.
fn add_walk_in_now(name: String, cx: &mut Cx) {
    cx.close_layer::<Popup>();
    cx.notify(Notice::CheckOffWalkIn(None, name));
}

fn ask_yes(about: Question, yes: bool, cx: &mut Cx) {
    match (about, yes) {
        (Question::UseExisting { existing, .. }, true) => {
            cx.close_layer::<PeerForm>();
            cx.notify(Notice::open_peer(existing.id, existing.name));
        }
        (Question::UseExisting { peer, .. }, false) => {
            let actor = cx.actor();
            if let Some(pf) = cx.layer_mut::<PeerForm>() {
                pf.form.saving = true;
            }
            cx.requests
                .push(Request::Center(CenterRequest::AddPeer { peer, actor }));
        }
        (Question::UseForWalkIn { existing, .. }, true) => {
            cx.close_layer::<Popup>();
            let shown = shown_name(&existing.name, cx.privacy()).into_owned();
            cx.notify(Notice::CheckOffWalkIn(Some(existing.id), existing.name));
            cx.status.info(format!(
                "Checked off {shown} ({}), already on the roster; save to record attendance",
                existing.id
            ));
        }
        (Question::UseForWalkIn { name, .. }, false) => add_walk_in_now(name, cx),
        (Question::Merge { from, into }, true) => {
            let actor = cx.actor();
            if let Some(pf) = cx.layer_mut::<PeerForm>() {
                pf.form.saving = true;
            }
            cx.requests
                .push(Request::Center(CenterRequest::Merge { from, into, actor }));
            cx.status.info("merging…");
        }
        (Question::SetActive { id, active }, true) => {
            let actor = cx.actor();
            cx.requests.push(Request::Center(CenterRequest::EditStaff {
                id,
                edit: StaffEdit {
                    active: Some(active),
                    ..StaffEdit::default()
                },
                actor,
            }));
            cx.status.info("saving…");
        }
        (Question::LeaveSetUp, true) => cx.quit = true,
        (Question::Merge { .. } | Question::SetActive { .. } | Question::LeaveSetUp, false) => {}
    }
}

impl Feature for Center {
    /// Answers to the center requests.
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::Center(response) = reply else {
            return misrouted(FeatureId::Center, &reply);
        };
        match *response {
            CenterResponse::SetUp(Ok(admin)) => {
                let wants_import = cx.layer::<SetupForm>().is_some_and(SetupForm::wants_import);
                cx.close_layer::<SetupForm>();
                let id = admin.staff.id;
                let name = clean(&admin.staff.name);
                cx.notify(Notice::SignedInAs(Box::new(admin)));
                cx.requests.push(Request::Init {
                    staff: Some(id.to_string()),
                });
                cx.requests.push(Request::Access { staff: None });
                cx.notify(Notice::ReloadToday);
                cx.requests.push(Request::Roster);
                // Short enough to leave "who is working" on the line at
                // 80 columns; help (?) has the rest.
                cx.status.info(format!("Welcome, {name}: n adds a peer"));
                if wants_import {
                    cx.go(Pane::Peers);
                    super::import::open(cx);
                }
            }
            CenterResponse::SetUp(Err(e)) => {
                cx.status.error(format!("Not set up: {e}"));
                if let Some(s) = cx.layer_mut::<SetupForm>() {
                    s.form.save_failed(&e);
                }
            }
            CenterResponse::StaffList(result) => {
                if let Some(s) = cx.layer_mut::<StaffScreen>() {
                    match result {
                        Ok(list) => s.set(list),
                        Err(e) => {
                            s.loading = false;
                            s.error = Some(e.message);
                        }
                    }
                }
            }
            CenterResponse::StaffSaved(Ok(entry)) => {
                cx.close_layer::<StaffForm>();
                if let Some(s) = cx.layer_mut::<StaffScreen>() {
                    s.refusal = None;
                }
                cx.status.info(format!(
                    "Saved {} {} ({}, {}{})",
                    entry.row.id,
                    clean(&entry.row.name),
                    clean(&entry.row.initials),
                    entry.role.label(),
                    if entry.row.active { "" } else { ", inactive" }
                ));
                cx.requests.push(Request::Center(CenterRequest::StaffList));
            }
            CenterResponse::StaffSaved(Err(e)) => {
                cx.status.error(format!("Not saved: {e}"));
                if let Some(s) = cx.layer_mut::<StaffScreen>() {
                    s.refusal = Some(e.message.clone());
                }
                if let Some(f) = cx.layer_mut::<StaffForm>() {
                    f.form.save_failed(&e);
                }
            }
            CenterResponse::Duplicates(purpose, result) => on_duplicates(purpose, result, cx),
            CenterResponse::PeerToEdit(Ok(rec)) => {
                // Only where the user still is (Peers, no form open).
                if cx.layers.is_empty() && cx.nav.pane == Pane::Peers {
                    let staff = active_staff(cx);
                    let name = shown_name(&rec.display_name, cx.privacy()).into_owned();
                    let theme = cx.theme;
                    cx.push_layer(PeerForm::edit(&rec, &staff, theme));
                    cx.status
                        .info(format!("Editing {name} ({}): ctrl-s saves", rec.id));
                }
            }
            CenterResponse::PeerToEdit(Err(e)) => cx.status.error(format!("Cannot edit: {e}")),
            CenterResponse::PeerSaved(Ok(rec)) => {
                let purpose = cx.layer::<PeerForm>().map(|f| f.purpose.clone());
                cx.close_layer::<PeerForm>();
                let what = match purpose {
                    Some(PeerFormFor::Add) => "Added",
                    Some(PeerFormFor::Discharge(_)) => "Discharged",
                    Some(PeerFormFor::Readmit(_)) => "Re-admitted",
                    _ => "Saved",
                };
                let shown = shown_name(&rec.display_name, cx.privacy()).into_owned();
                cx.status.info(format!("{what} {shown} ({})", rec.id));
                after_peer_change(rec.id, cx);
                if purpose == Some(PeerFormFor::Add) {
                    cx.notify(Notice::open_peer(rec.id, rec.data.display_name.clone()));
                }
            }
            CenterResponse::PeerSaved(Err(e)) | CenterResponse::Merged { result: Err(e), .. } => {
                cx.status.error(format!("Not saved: {e}"));
                if let Some(f) = cx.layer_mut::<PeerForm>() {
                    f.form.save_failed(&e);
                }
            }
            CenterResponse::Merged {
                from,
                result: Ok(rec),
            } => {
                cx.close_layer::<PeerForm>();
                let shown = shown_name(&rec.display_name, cx.privacy()).into_owned();
                cx.status.info(format!(
                    "Merged {from} into {shown} ({}); {from} now answers as an alias",
                    rec.id
                ));
                after_peer_change(rec.id, cx);
            }
        }
    }
}

/// A peer's record changed: the roster, their open page and Today reload.
fn after_peer_change(id: PeerId, cx: &mut Cx) {
    cx.notify(Notice::ReloadRoster);
    cx.notify(Notice::PeerChanged(id));
    cx.notify(Notice::ReloadToday);
}

fn on_duplicates(purpose: DuplicateCheck, result: Result<Vec<Duplicate>, Failure>, cx: &mut Cx) {
    let dups = match result {
        Ok(d) => d,
        Err(e) => {
            cx.status.error(format!("Not saved: {e}"));
            match purpose {
                DuplicateCheck::AddPeer => {
                    if let Some(f) = cx.layer_mut::<PeerForm>() {
                        f.form.save_failed(&e);
                    }
                }
                DuplicateCheck::WalkIn => {
                    if let Some(p) = cx.layer_mut::<Popup>() {
                        p.form.save_failed(&e);
                    }
                }
            }
            return;
        }
    };
    match purpose {
        DuplicateCheck::AddPeer => {
            let today = cx.date;
            let Some(pf) = cx.layer::<PeerForm>() else {
                return;
            };
            let Ok(peer) = pf.peer(Peer::new("", today), today) else {
                return;
            };
            match dups.into_iter().next() {
                None => {
                    let actor = cx.actor();
                    cx.requests.push(Request::Center(CenterRequest::AddPeer {
                        peer: Box::new(peer),
                        actor,
                    }));
                }
                Some(existing) => {
                    if let Some(pf) = cx.layer_mut::<PeerForm>() {
                        pf.form.saving = false;
                    }
                    let text = exists_text(&existing, cx.privacy());
                    cx.status.info(
                        "Possibly on the roster already: y opens them, n adds anew, esc goes back",
                    );
                    cx.push_layer(Ask {
                        text,
                        about: Question::UseExisting {
                            existing,
                            peer: Box::new(peer),
                        },
                    });
                }
            }
        }
        DuplicateCheck::WalkIn => {
            let Some(p) = cx.layer::<Popup>().filter(|p| p.purpose == Purpose::WalkIn) else {
                return;
            };
            let name = p.form.value(FieldKey::WalkInName).trim().to_string();
            match dups.into_iter().next() {
                None => add_walk_in_now(name, cx),
                Some(existing) => {
                    if let Some(p) = cx.layer_mut::<Popup>() {
                        p.form.saving = false;
                    }
                    let text = exists_text(&existing, cx.privacy());
                    cx.status.info(
                        "Possibly on the roster already: y checks them off, n adds anew, esc goes back",
                    );
                    cx.push_layer(Ask {
                        text,
                        about: Question::UseForWalkIn { existing, name },
                    });
                }
            }
        }
    }
}

/// "Aroha Wright (P17) already exists: use her?"
fn exists_text(d: &Duplicate, privacy: bool) -> String {
    let why = match d.reason {
        crate::ops::roster::DuplicateReason::SameName => "",
        crate::ops::roster::DuplicateReason::SamePhone => " with the same phone",
    };
    format!(
        "{} ({}) already exists{why}: use {}?",
        shown_name(&d.name, privacy),
        d.id,
        object_pronoun(d.pronouns.as_deref())
    )
}
