//! The Credentials screen's actions and answers, and its two forms (CE
//! hours, a supervision session), which are small forms ([`Popup`]) so
//! saving, cancelling and errors under fields work as everywhere else.
//!
//! The signed-in member's own credentials are shown first; admins switch
//! staff member with `s` (whose records a session may read is decided by
//! the authorizing layer: a refusal is shown, never worked around here).

use chrono::NaiveDate;

use crate::model::{Actor, Choice, Permission, StaffId, SupervisionMode};
use crate::text::escape_line;
use crate::ui::action::Action;
use crate::ui::keymap::Context;
use crate::ui::screens::popup::{Popup, Purpose};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FieldKey, Hint, PopupForm};
use crate::ui::worker::credentials::{CredentialsRequest, CredentialsResponse};
use crate::ui::worker::Request;

use super::{App, Pane};

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

impl App {
    /// Opens the Credentials screen on the signed-in member (the first
    /// time) and asks for what it shows.
    pub(super) fn open_credentials(&mut self) {
        if self.form().is_some() || self.popup().is_some() {
            return self.status.info("finish or cancel the open form first");
        }
        if !self.user.credentials.opened {
            self.user.credentials.opened = true;
            self.user.credentials.staff = self.signed_in_staff();
        }
        self.user.pane = Pane::Credentials;
        self.request_credentials();
    }

    fn signed_in_staff(&self) -> Option<(StaffId, String)> {
        if let Some(c) = &self.user.who {
            return Some((c.staff.id, c.staff.name.clone()));
        }
        match &self.status.staff {
            Some(Ok(s)) => Some((s.id, s.name.clone())),
            _ => None,
        }
    }

    /// True if the session may look at other staff members' credentials
    /// here (admins; anyone on a store without sign-in).
    fn switches_staff(&self) -> bool {
        self.user
            .who
            .as_ref()
            .is_none_or(|c| Permission::ManageCredentials.allows(c.role))
    }

    /// The Credentials screen (for tests and the view).
    pub fn credentials(&self) -> &crate::ui::screens::credentials::CredentialsState {
        &self.user.credentials
    }

    /// The key contexts of the Credentials screen.
    pub(super) fn credentials_focus(&self) -> (&'static [Context], bool) {
        (CHAIN_CREDENTIALS, false)
    }

    /// Asks again for what the screen shows (after a save, a reload).
    pub(super) fn request_credentials(&mut self) {
        let c = &mut self.user.credentials;
        c.names = self.user.peers.staff.clone();
        let Some((staff, _)) = c.staff else {
            c.loading = false;
            return;
        };
        c.loading = true;
        self.requests
            .push(Request::Credentials(CredentialsRequest::Load {
                staff,
                date: self.date,
            }));
    }

    /// Handles an action on the Credentials screen.
    pub(super) fn credentials_action(&mut self, action: Action) {
        if self.user.credentials.scroll_by(action) {
            return;
        }
        match action {
            Action::Back => self.user.pane = Pane::Today,
            Action::FilterStaff => {
                if !self.switches_staff() {
                    return self
                        .status
                        .info("only admins switch staff member here; you see your own");
                }
                let list = self.user.peers.staff.clone();
                let c = &mut self.user.credentials;
                if let Some(next) = c.next_staff(&list) {
                    c.staff = Some(next);
                    c.data = None;
                    c.error = None;
                    c.scroll.reset();
                    self.request_credentials();
                }
            }
            Action::AddCeu | Action::AddSupervision => {
                let Some((id, name)) = self.user.credentials.staff.clone() else {
                    return self.status.error("no staff member to add to");
                };
                let popup = if action == Action::AddCeu {
                    Popup::add_ceu(id, &name, self.theme)
                } else {
                    Popup::add_supervision(id, &name, self.theme)
                };
                self.push_layer(popup);
            }
            _ => {}
        }
    }

    /// Takes the store thread's answer for the Credentials screen.
    pub(super) fn on_credentials_response(&mut self, response: CredentialsResponse) {
        match response {
            CredentialsResponse::Loaded(staff, result) => {
                let c = &mut self.user.credentials;
                if c.staff.as_ref().map(|s| s.0) != Some(staff) {
                    return;
                }
                c.loading = false;
                match result {
                    Ok(d) => {
                        c.data = Some(*d);
                        c.error = None;
                    }
                    Err(e) => {
                        c.data = None;
                        c.error = Some(e.to_string());
                    }
                }
            }
            CredentialsResponse::SavedCeu(result) => match result {
                Ok(rec) => {
                    self.close_layer::<Popup>();
                    self.status.info(format!(
                        "Saved {}: {} hours \"{}\" on {}",
                        rec.id,
                        rec.hours,
                        escape_line(&rec.title),
                        rec.date
                    ));
                    self.after_credentials_save();
                }
                Err(e) => self.credentials_save_failed(&e),
            },
            CredentialsResponse::SavedSupervision(result) => match result {
                Ok(rec) => {
                    self.close_layer::<Popup>();
                    self.status.info(format!(
                        "Saved {}: {} minutes of {} supervision on {}",
                        rec.id,
                        rec.minutes,
                        rec.mode.label(),
                        rec.date
                    ));
                    self.after_credentials_save();
                }
                Err(e) => self.credentials_save_failed(&e),
            },
        }
    }

    fn after_credentials_save(&mut self) {
        self.status.last_save = Some(self.now);
        self.request_credentials();
        self.request_today();
        if self.quit_when_saved {
            self.quit = true;
        }
    }

    fn credentials_save_failed(&mut self, e: &crate::ui::worker::Failure) {
        self.quit_when_saved = false;
        self.status.error(format!("Not saved: {e}"));
        if let Some(p) = self.layer_mut::<Popup>() {
            p.form.save_failed(e);
        }
    }
}
