//! The Credentials feature: the screen's actions and answers, and its two forms (CE
//! hours, a supervision session), which are small forms ([`Popup`]) so
//! saving, cancelling and errors under fields work as everywhere else.
//!
//! The signed-in member's own credentials are shown first; admins switch
//! staff member with `s` (whose records a session may read is decided by
//! the authorizing layer: a refusal is shown, never worked around here).

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::{Actor, Choice, Permission, StaffId, SupervisionMode};
use crate::text::escape_line;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::screens::checkin::CheckInForm;
use crate::ui::screens::credentials::CredentialsState;
use crate::ui::screens::popup::{Popup, Purpose};
use crate::ui::theme::Theme;
use crate::ui::view::ViewCtx;
use crate::ui::widgets::form::{FieldKey, Hint, PopupForm};
use crate::ui::worker::credentials::{CredentialsRequest, CredentialsResponse};
use crate::ui::worker::{Failure, Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Notice, Shell};
use super::Pane;

const CHAIN_CREDENTIALS: &[Context] = &[Context::Credentials, Context::List, Context::Global];

fn modes() -> Vec<String> {
    SupervisionMode::ALL
        .iter()
        .map(|m| m.label().to_string())
        .collect()
}

impl Popup {
    /// The CE hours form for `staff` (shown as `name`).
    pub fn add_ceu(staff: StaffId, name: &str, theme: Theme) -> Popup {
        let form = PopupForm::new(format!("CE hours for {}", escape_line(name)), theme)
            .intro("Hours with one decimal place (1.5); category ethics counts toward ethics.")
            .text(FieldKey::CeHours, "", "0.1 to 24", Hint::Plain("e.g. 1.5"))
            .text(
                FieldKey::Title,
                "",
                "the course or training",
                Hint::Plain(""),
            )
            .text(
                FieldKey::CredDate,
                "today",
                "",
                Hint::Date(
                    crate::model::dates::Direction::Past,
                    "today, -2w, 2026-11-01",
                ),
            )
            .text(
                FieldKey::CeCategory,
                "general",
                "general, ethics, …",
                Hint::Plain(""),
            )
            .text(FieldKey::CeProvider, "", "optional", Hint::Plain(""));
        Popup {
            form,
            purpose: Purpose::AddCeu(staff),
        }
    }

    /// The supervision form for `staff` (shown as `name`).
    pub fn add_supervision(staff: StaffId, name: &str, theme: Theme) -> Popup {
        let form = PopupForm::new(format!("Supervision of {}", escape_line(name)), theme)
            .intro("The note is seen only by the two of you and admins.")
            .text(
                FieldKey::SupWith,
                "",
                "supervisor's name or initials",
                Hint::Plain(""),
            )
            .text(FieldKey::SupMinutes, "", "e.g. 60", Hint::Plain(""))
            .choice(FieldKey::SupKind, modes(), 0, "←/→ to change")
            .text(
                FieldKey::CredDate,
                "today",
                "",
                Hint::Date(
                    crate::model::dates::Direction::Past,
                    "today, -2w, 2026-11-01",
                ),
            )
            .text(FieldKey::SupNote, "", "optional, short", Hint::Plain(""));
        Popup {
            form,
            purpose: Purpose::AddSupervision(staff),
        }
    }
}

fn date_of(f: &PopupForm) -> String {
    match f.value(FieldKey::CredDate).trim() {
        "today" => String::new(),
        other => other.to_string(),
    }
}

/// The store work the CE hours form describes: the text as typed, read
/// and checked by `ops::credentials` in the worker (its problems come back
/// under their fields).
pub(crate) fn ceu_request(
    f: &PopupForm,
    staff: StaffId,
    today: NaiveDate,
    actor: Actor,
) -> Request {
    let text = |k: FieldKey| f.value(k).to_string();
    Request::Credentials(CredentialsRequest::AddCeu {
        staff,
        hours: text(FieldKey::CeHours),
        title: text(FieldKey::Title),
        date: date_of(f),
        category: text(FieldKey::CeCategory),
        provider: text(FieldKey::CeProvider),
        today,
        actor,
    })
}

/// The store work the supervision form describes, as for CE hours.
pub(crate) fn supervision_request(
    f: &PopupForm,
    staff: StaffId,
    today: NaiveDate,
    actor: Actor,
) -> Request {
    let text = |k: FieldKey| f.value(k).to_string();
    Request::Credentials(CredentialsRequest::AddSupervision {
        staff,
        with: text(FieldKey::SupWith),
        minutes: text(FieldKey::SupMinutes),
        mode: SupervisionMode::ALL
            .get(f.picked(FieldKey::SupKind))
            .copied()
            .unwrap_or(SupervisionMode::Individual),
        date: date_of(f),
        note: text(FieldKey::SupNote),
        today,
        actor,
    })
}

impl CredentialsState {
    /// Opens the Credentials screen on the signed-in member (the first
    /// time) and asks for what it shows.
    pub(super) fn open(&mut self, cx: &mut Cx) {
        if cx.layer::<CheckInForm>().is_some() || cx.layer::<Popup>().is_some() {
            return cx.status.info("finish or cancel the open form first");
        }
        if !self.opened {
            self.opened = true;
            self.staff = signed_in_staff(cx);
        }
        cx.go(Pane::Credentials);
        self.request(cx);
    }

    /// Asks again for what the screen shows (after a save, a reload).
    fn request(&mut self, shell: &mut Shell) {
        self.names = shell.staff_list.clone();
        let Some((staff, _)) = self.staff else {
            self.loading = false;
            return;
        };
        self.loading = true;
        shell
            .requests
            .push(Request::Credentials(CredentialsRequest::Load {
                staff,
                date: shell.date,
            }));
    }

    fn after_save(&mut self, cx: &mut Cx) {
        cx.status.last_save = Some(cx.now);
        self.request(cx);
        cx.notify(Notice::ReloadToday);
        cx.saved_then_quit();
    }
}

fn signed_in_staff(cx: &Cx) -> Option<(StaffId, String)> {
    if let Some(c) = cx.who {
        return Some((c.staff.id, c.staff.name.clone()));
    }
    match &cx.status.staff {
        Some(Ok(s)) => Some((s.id, s.name.clone())),
        _ => None,
    }
}

/// True if the session may look at other staff members' credentials
/// here (admins; anyone on a store without sign-in).
fn switches_staff(cx: &Cx) -> bool {
    cx.who
        .is_none_or(|c| Permission::ManageCredentials.allows(c.role))
}

fn save_failed(cx: &mut Cx, e: &Failure) {
    cx.quit_when_saved = false;
    cx.status.error(format!("Not saved: {e}"));
    if let Some(p) = cx.layer_mut::<Popup>() {
        p.form.save_failed(e);
    }
}

impl Feature for CredentialsState {
    /// Takes the store thread's answer for the Credentials screen.
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        let Response::Credentials(response) = reply else {
            return misrouted(FeatureId::Credentials, &reply);
        };
        match *response {
            CredentialsResponse::Loaded(staff, result) => {
                if self.staff.as_ref().map(|s| s.0) != Some(staff) {
                    return;
                }
                self.loading = false;
                match result {
                    Ok(d) => {
                        self.data = Some(*d);
                        self.error = None;
                    }
                    Err(e) => {
                        self.data = None;
                        self.error = Some(e.to_string());
                    }
                }
            }
            CredentialsResponse::SavedCeu(result) => match result {
                Ok(rec) => {
                    cx.close_layer::<Popup>();
                    cx.status.info(format!(
                        "Saved {}: {} hours \"{}\" on {}",
                        rec.id,
                        rec.hours,
                        escape_line(&rec.title),
                        rec.date
                    ));
                    self.after_save(cx);
                }
                Err(e) => save_failed(cx, &e),
            },
            CredentialsResponse::SavedSupervision(result) => match result {
                Ok(rec) => {
                    cx.close_layer::<Popup>();
                    cx.status.info(format!(
                        "Saved {}: {} minutes of {} supervision on {}",
                        rec.id,
                        rec.minutes,
                        rec.mode.label(),
                        rec.date
                    ));
                    self.after_save(cx);
                }
                Err(e) => save_failed(cx, &e),
            },
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        match notice {
            Notice::ReloadShown if self.opened => self.request(cx),
            Notice::Refresh if cx.nav.pane == Pane::Credentials => self.request(cx),
            _ => {}
        }
    }

    fn title(&self, _privacy: bool) -> Option<String> {
        self.opened.then(|| "Credentials".into())
    }

    fn context(&self, _shell: &Shell) -> (&'static [Context], bool) {
        (CHAIN_CREDENTIALS, false)
    }

    fn hints(&self) -> &'static [(Action, &'static str)] {
        crate::ui::screens::credentials::hints()
    }

    /// Handles an action on the Credentials screen.
    fn action(&mut self, action: Action, cx: &mut Cx) {
        if self.scroll_by(action) {
            return;
        }
        match action {
            Action::Back => cx.go(Pane::Today),
            Action::FilterStaff => {
                if !switches_staff(cx) {
                    return cx
                        .status
                        .info("only admins switch staff member here; you see your own");
                }
                if let Some(next) = self.next_staff(&cx.staff_list) {
                    self.staff = Some(next);
                    self.data = None;
                    self.error = None;
                    self.scroll.reset();
                    self.request(cx);
                }
            }
            Action::AddCeu | Action::AddSupervision => {
                let Some((id, name)) = self.staff.clone() else {
                    return cx.status.error("no staff member to add to");
                };
                let popup = if action == Action::AddCeu {
                    Popup::add_ceu(id, &name, cx.theme)
                } else {
                    Popup::add_supervision(id, &name, cx.theme)
                };
                cx.push_layer(popup);
            }
            _ => {}
        }
    }

    fn draw(&self, ctx: &ViewCtx<'_>, area: Rect, buf: &mut Buffer) {
        crate::ui::screens::credentials::render(self, ctx, area, buf);
    }
}
