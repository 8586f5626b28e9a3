//! The check-in feature: opening the check-in form, saving it (asking
//! first when the store wants a yes), saving a correction made in it, and
//! the store's answers. The form itself is a layer
//! (`screens::checkin::CheckInForm`, its `Layer` in `layers.rs`), which
//! hands its outcomes here.

use chrono::{DateTime, FixedOffset};

use crate::model::{Actor, CheckIn, PeerId};
use crate::ops::checkin::Correction;
use crate::ui::layer::Reply;
use crate::ui::privacy::shown_name;
use crate::ui::screens::checkin::{CheckInForm, FormOutcome};
use crate::ui::widgets::confirm::{Confirm, OnYes};
use crate::ui::worker::{Request, RequestId, Response};

use super::feature::{misrouted, Feature, FeatureId};
use super::shell::{Cx, Notice};

/// See the module doc.
#[derive(Default)]
pub struct CheckIns {
    /// The check-in last sent to be saved, kept in case the store asks
    /// for a yes first (dated in the future, peer not active).
    pub unconfirmed: Option<(CheckIn, Actor)>,
}

impl CheckIns {
    /// Opens the check-in form, for `pre` if a peer is selected.
    pub(super) fn open(&mut self, pre: Option<(PeerId, String)>, cx: &mut Cx) {
        let mut form = CheckInForm::new(&cx.roster_search, pre, cx.theme);
        if cx.roster_loaded {
            form.picker.mark_loaded();
        }
        cx.push_layer(form);
        cx.notify(Notice::CheckInOpened);
    }

    /// What the form's outcome means: load the picked peer's goals, save,
    /// or cancel (asking first if something was typed).
    pub(super) fn outcome(
        &mut self,
        form: &mut CheckInForm,
        outcome: FormOutcome,
        cx: &mut Cx,
    ) -> Reply {
        match outcome {
            FormOutcome::None => Reply::Done,
            FormOutcome::Picked(id) => {
                cx.requests.push(Request::Goals(id));
                Reply::Done
            }
            FormOutcome::Save => {
                self.save(form, cx);
                Reply::Done
            }
            FormOutcome::Cancel => cx
                .cancel_unsaved(
                    form.saving,
                    form.is_dirty(),
                    "Discard this check-in? What you typed will be lost.",
                    OnYes::DiscardForm,
                )
                .reply(),
        }
    }

    fn save(&mut self, form: &mut CheckInForm, cx: &mut Cx) {
        cx.tick();
        let now = cx.now;
        if form.saving {
            return;
        }
        let actor = match cx.acting_or_why() {
            Ok(actor) => actor,
            Err(e) => {
                form.save_failed(e.clone());
                cx.status.error(format!("Not saved: {e}"));
                return;
            }
        };
        let Some(staff) = actor.staff else {
            return;
        };
        if form.editing.is_some() {
            return self.save_correction(form, now, cx);
        }
        match form.build(staff, now) {
            Ok(checkin) => {
                form.errors.clear();
                form.failure = None;
                form.saving = true;
                self.unconfirmed = Some((checkin.clone(), actor.clone()));
                cx.requests.push(Request::SaveCheckIn {
                    checkin,
                    actor,
                    confirmed: false,
                });
                cx.status.info("saving…");
            }
            Err(errors) => {
                if let Some((_, first)) = errors.first() {
                    cx.status.error(format!("Not saved: {first}"));
                }
                form.show_errors(errors);
            }
        }
    }

    /// Sends a correction made in the check-in form.
    fn save_correction(&mut self, form: &mut CheckInForm, now: DateTime<FixedOffset>, cx: &mut Cx) {
        let Some(built) = form.corrected(now) else {
            return;
        };
        let Some((orig, _)) = form.editing.clone() else {
            return;
        };
        match built {
            Ok(new) => {
                let correction = Correction::between(&orig.data, &new);
                if correction.is_empty() {
                    cx.status.info(format!(
                        "Nothing changed in {}; Esc closes the form",
                        orig.id
                    ));
                    return;
                }
                form.errors.clear();
                form.failure = None;
                form.saving = true;
                let actor = cx.actor();
                cx.requests.push(Request::EditCheckIn {
                    id: orig.id,
                    correction: Box::new(correction),
                    actor,
                });
                cx.status
                    .info(format!("saving the correction of {}…", orig.id));
            }
            Err(errors) => {
                if let Some((_, first)) = errors.first() {
                    cx.status.error(format!("Not saved: {first}"));
                }
                form.show_errors(errors);
            }
        }
    }

    /// Yes to "save it anyway?": the same check-in again, confirmed.
    pub(super) fn save_anyway(&mut self, cx: &mut Cx) {
        let Some((checkin, actor)) = self.unconfirmed.take() else {
            return;
        };
        if let Some(f) = cx.layer_mut::<CheckInForm>() {
            f.saving = true;
        }
        cx.requests.push(Request::SaveCheckIn {
            checkin,
            actor,
            confirmed: true,
        });
        cx.status.info("saving…");
    }
}

/// What a saved, corrected or voided check-in changes elsewhere: Today,
/// the roster, the peer's page and timeline; and a quit waiting for it.
pub(super) fn after_checkin_change(peer: PeerId, cx: &mut Cx) {
    cx.notify(Notice::ReloadToday);
    cx.notify(Notice::ReloadRoster);
    cx.notify(Notice::PeerChanged(peer));
    cx.notify(Notice::CheckInSaved(peer));
    cx.saved_then_quit();
}

impl Feature for CheckIns {
    fn on_reply(&mut self, _id: Option<RequestId>, reply: Response, cx: &mut Cx) {
        match reply {
            Response::Goals(id, result) => {
                if let Some(f) = cx.layer_mut::<CheckInForm>() {
                    f.set_goals(id, result);
                }
            }
            Response::Saved(Ok(record)) => {
                let name = cx
                    .layer::<CheckInForm>()
                    .and_then(|f| f.peer.as_ref().map(|(_, n)| n.clone()))
                    .unwrap_or_default();
                // The form and a question about discarding it are done.
                cx.close_layer::<CheckInForm>();
                cx.close_layer::<Confirm>();
                cx.status.last_save = Some(cx.now);
                let said = format!(
                    "Saved check-in {} with {} ({}) at {}",
                    record.id,
                    shown_name(&name, cx.privacy()),
                    record.peer,
                    cx.now.format("%H:%M")
                );
                cx.status.info(said);
                after_checkin_change(record.peer, cx);
            }
            Response::Saved(Err(e)) => {
                cx.quit_when_saved = false;
                cx.status.error(format!("Not saved: {e}"));
                if let Some(f) = cx.layer_mut::<CheckInForm>() {
                    f.refused(&e);
                }
            }
            Response::NeedsConfirmation(why) => {
                // The store asks before saving the check-in: say why and ask.
                cx.quit_when_saved = false;
                if let Some(f) = cx.layer_mut::<CheckInForm>() {
                    f.saving = false;
                }
                let question = format!("Check before saving: {}. Save it anyway?", why.join("; "));
                cx.status.info(format!("asking: {}", why.join("; ")));
                cx.push_layer(Confirm {
                    question,
                    on_yes: OnYes::SaveAnyway,
                });
            }
            Response::CheckInEdited(Ok(rec)) => {
                cx.close_layer::<CheckInForm>();
                cx.close_layer::<Confirm>();
                cx.status.last_save = Some(cx.now);
                cx.status.info(format!(
                    "Corrected check-in {} (revision {}; the earlier version is kept in its history)",
                    rec.id, rec.meta.revision
                ));
                after_checkin_change(rec.peer, cx);
            }
            Response::CheckInEdited(Err(e)) => {
                cx.quit_when_saved = false;
                cx.status.error(format!("Not corrected: {e}"));
                if let Some(f) = cx.layer_mut::<CheckInForm>() {
                    f.refused(&e);
                }
            }
            other => misrouted(FeatureId::CheckIn, &other),
        }
    }

    fn on_notice(&mut self, notice: &Notice, cx: &mut Cx) {
        if *notice == Notice::RosterLoaded {
            let roster = cx.roster_search.clone();
            if let Some(f) = cx.layer_mut::<CheckInForm>() {
                f.set_roster(&roster);
                f.picker.mark_loaded();
            }
        }
    }
}
