//! The Credentials screen: `C` opens it on the signed-in member and asks
//! the worker for their standing; the answer is drawn at 80×24 (hours
//! against the requirement, hours still needed, CE entries, supervision);
//! `a` and `v` open the two forms, whose saves go to the worker and whose
//! refusals land under their fields; `s` switches staff member for admins
//! only; a control character in stored text never reaches the terminal.

mod ui_common;

use caseload::model::credential::standing;
use caseload::model::{
    Actor, Certification, CeuEntry, Hours, Id, Meta, Record, Requirement, Role, StaffId,
    Supervision, SupervisionMode,
};
use caseload::ops::credentials::StaffCredentials;
use caseload::ui::app::{App, Pane};
use caseload::ui::widgets::form::FieldKey;
use caseload::ui::worker::credentials::{CredentialsRequest, CredentialsResponse};
use caseload::ui::worker::{Request, Response};
use crossterm::event::KeyCode;
use ui_common::*;

fn rec<T: caseload::model::Entity>(n: u64, data: T) -> Record<T> {
    Record {
        id: Id::new(n),
        meta: Meta::created(chrono::Utc::now(), &Actor::login("t")),
        data,
    }
}

/// Jordan (S1): one certification needing 20 h (3 ethics) per two years,
/// 1.5 h of ethics done, one supervision session with Sam.
fn jordan(on: &str, title: &str) -> StaffCredentials {
    let cert = rec(
        1,
        Certification {
            staff: StaffId::new(1),
            name: "CPRS".into(),
            issuer: "State board".into(),
            number: "A-1".into(),
            issued: day("2025-03-15"),
            expires: Some(day("2027-03-15")),
            requirement: Some(Requirement {
                hours: Hours(200),
                ethics: Hours(30),
                period_months: 24,
            }),
        },
    );
    let entries = vec![rec(
        1,
        CeuEntry {
            staff: StaffId::new(1),
            date: day("2026-06-01"),
            title: title.into(),
            provider: "RCA".into(),
            hours: Hours(15),
            category: "ethics".into(),
        },
    )];
    let sessions = vec![rec(
        1,
        Supervision {
            staff: StaffId::new(1),
            supervisor: StaffId::new(2),
            date: day("2026-11-02"),
            minutes: 60,
            mode: SupervisionMode::Individual,
            note: Some("caseload size".into()),
        },
    )];
    StaffCredentials {
        staff: StaffId::new(1),
        name: "Jordan Reyes".into(),
        certifications: vec![standing(&cert, &entries, day(on))],
        ceu_entries: entries,
        supervision: sessions,
        supervision_minutes_12m: 60,
    }
}

fn loads(app: &mut App) -> Vec<StaffId> {
    app.take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Credentials(CredentialsRequest::Load { staff, .. }) => Some(staff),
            _ => None,
        })
        .collect()
}

fn answer(app: &mut App, data: StaffCredentials) {
    app.on_response(Response::Credentials(Box::new(
        CredentialsResponse::Loaded(data.staff, Ok(Box::new(data))),
    )));
}

fn msg(app: &App) -> String {
    app.status()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn c_opens_the_signed_in_members_credentials_and_draws_them_at_80x24() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('C')]);
    assert_eq!(app.pane(), Pane::Credentials);
    assert_eq!(loads(&mut app), vec![StaffId::new(1)], "Jordan's own");
    assert!(app
        .pane_labels()
        .iter()
        .any(|(l, on)| l == "Credentials" && *on));
    answer(&mut app, jordan("2026-11-24", "Ethics in peer work"));
    let text = rows(&screen(&mut app, 80, 24)).join("\n");
    for needle in [
        "Credentials · Jordan Reyes",
        "Certifications (1) · 18.5 hours still needed",
        "CT1 CPRS (State board) · expires 2027-03-15, in 111 days",
        "2025-03-15 to 2027-03-14: 1.5 of 20.0 h, ethics 1.5 of 3.0",
        "18.5 hours still needed by 2027-03-14, 1.5 of them ethics",
        "2026-06-01  1.5 h ethics   Ethics in peer work · RCA",
        "Supervision (60 min in the last 12 months)",
        "2026-11-02  60 min individual with Sam Okoye · caseload size",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    // The hints name the screen's keys.
    assert!(text.contains("add CE hours"), "{text}");
}

#[test]
fn a_opens_the_ce_form_its_save_goes_to_the_worker_and_refusals_land_under_fields() {
    let mut app = app();
    press(&mut app, &[key('C')]);
    app.take_requests();
    press(&mut app, &[key('a')]);
    let popup = app.popup().expect("the CE form");
    assert!(
        popup.form.title.contains("CE hours for Jordan Reyes"),
        "{}",
        popup.form.title
    );
    type_str(&mut app, "1.5");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "Boundaries");
    press(&mut app, &[ctrl('s')]);
    let saves: Vec<_> = app
        .take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Credentials(CredentialsRequest::AddCeu {
                staff,
                hours,
                title,
                date,
                category,
                ..
            }) => Some((staff, hours, title, date, category)),
            _ => None,
        })
        .collect();
    assert_eq!(
        saves,
        vec![(
            StaffId::new(1),
            "1.5".to_string(),
            "Boundaries".to_string(),
            String::new(),
            "general".to_string()
        )]
    );
    // A refusal names its field; the form stays with what was typed.
    app.on_response(Response::Credentials(Box::new(
        CredentialsResponse::SavedCeu(Err(field_failure(&[(
            "--hours",
            "25.0 is out of range; give 0.1 to 24.0 hours",
        )]))),
    )));
    let popup = app.popup().expect("still open");
    assert_eq!(popup.form.value(FieldKey::CeHours), "1.5");
    let problems = popup.form.problems().join(" ");
    assert!(problems.contains("25.0 is out of range"), "{problems}");
    assert!(msg(&app).starts_with("Not saved"), "{}", msg(&app));
    // A save closes the form and reloads the screen and Today.
    press(&mut app, &[ctrl('s')]);
    app.take_requests();
    let saved = rec(
        7,
        CeuEntry {
            staff: StaffId::new(1),
            date: day("2026-11-24"),
            title: "Boundaries".into(),
            provider: String::new(),
            hours: Hours(15),
            category: "general".into(),
        },
    );
    app.on_response(Response::Credentials(Box::new(
        CredentialsResponse::SavedCeu(Ok(Box::new(saved))),
    )));
    assert!(app.popup().is_none(), "closed");
    assert!(msg(&app).contains("Saved CE7: 1.5 hours"), "{}", msg(&app));
    let after = app.take_requests();
    assert!(after
        .iter()
        .any(|r| matches!(r, Request::Credentials(CredentialsRequest::Load { .. }))));
    assert!(after.iter().any(|r| matches!(r, Request::Today { .. })));
}

#[test]
fn v_opens_the_supervision_form_with_its_kind_and_note() {
    let mut app = app();
    press(&mut app, &[key('C')]);
    app.take_requests();
    press(&mut app, &[key('v')]);
    type_str(&mut app, "Sam");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_str(&mut app, "45");
    press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Right)]);
    press(&mut app, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_str(&mut app, "team check-in");
    press(&mut app, &[ctrl('s')]);
    let saves: Vec<_> = app
        .take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Credentials(CredentialsRequest::AddSupervision {
                staff,
                with,
                minutes,
                mode,
                note,
                ..
            }) => Some((staff, with, minutes, mode, note)),
            _ => None,
        })
        .collect();
    assert_eq!(
        saves,
        vec![(
            StaffId::new(1),
            "Sam".to_string(),
            "45".to_string(),
            SupervisionMode::Group,
            "team check-in".to_string()
        )]
    );
}

#[test]
fn only_admins_switch_staff_member() {
    // Jordan is a peer specialist: s says so and asks for nothing.
    let mut app = app();
    press(&mut app, &[key('C')]);
    app.take_requests();
    press(&mut app, &[key('s')]);
    assert!(loads(&mut app).is_empty());
    assert!(
        msg(&app).contains("only admins switch staff member"),
        "{}",
        msg(&app)
    );
    // As an admin, s moves to the next active staff member and asks.
    let mut admin = App::new(
        caseload::ui::keymap::Keymap::builtin(),
        caseload::ui::app::AppOptions {
            demo: false,
            staff: Some("JR".into()),
            theme: caseload::ui::theme::Theme::mono(),
            clock,
        },
    );
    admin.take_requests();
    let mut info = access(false, Some(1));
    info.staff[0].role = Role::Admin;
    admin.on_response(Response::Access(Ok(info)));
    admin.take_requests();
    admin.on_response(Response::Ready {
        location: "/srv".into(),
        organization: "Harbor".into(),
        staff: Ok(staff()[0].clone()),
        staff_list: staff(),
    });
    press(&mut admin, &[key('C')]);
    assert_eq!(loads(&mut admin), vec![StaffId::new(1)]);
    press(&mut admin, &[key('s')]);
    assert_eq!(loads(&mut admin), vec![StaffId::new(2)]);
    assert_eq!(
        admin.credentials().staff.as_ref().map(|s| s.1.as_str()),
        Some("Sam Okoye")
    );
    // A late answer for Jordan is not drawn as Sam's.
    answer(&mut admin, jordan("2026-11-24", "x"));
    assert!(admin.credentials().data.is_none());
}

#[test]
fn stored_control_characters_never_reach_the_terminal() {
    let mut app = app();
    press(&mut app, &[key('C')]);
    app.take_requests();
    answer(&mut app, jordan("2026-11-24", EVIL));
    let text = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("Evil"), "{text}");
}

#[test]
fn the_worker_saves_and_loads_through_the_authorizing_layer_naming_bad_fields() {
    use caseload::ops::access::Authorized;
    use caseload::store::{SledStore, Store};
    use caseload::ui::worker::handle;
    let dir = tempfile::tempdir().expect("dir");
    let raw = SledStore::open(dir.path()).expect("open");
    let setup = Actor::login("setup");
    let pat = raw
        .create_staff(
            caseload::model::Staff::new("Pat Peer", Role::PeerSpecialist),
            &setup,
        )
        .expect("pat")
        .id;
    let mut cert = jordan("2026-11-24", "x").certifications[0]
        .certification
        .data
        .clone();
    cert.staff = pat;
    raw.create_certification(cert, &setup).expect("cert");
    let store = Authorized::local(&raw, "pat");
    let add = |hours: &str| {
        Request::Credentials(CredentialsRequest::AddCeu {
            staff: pat,
            hours: hours.into(),
            title: "Boundaries".into(),
            date: "2026-11-01".into(),
            category: "ethics".into(),
            provider: String::new(),
            today: day("2026-11-24"),
            actor: Actor::staff(pat, "pat"),
        })
    };
    for bad in ["0", "-2", "30", "1.25"] {
        match handle(&store, add(bad)) {
            Response::Credentials(r) => match *r {
                CredentialsResponse::SavedCeu(Err(f)) => {
                    assert_eq!(f.problems.len(), 1, "{bad}: {f}");
                    assert_eq!(f.problems[0].field, "--hours", "{bad}: {f}");
                }
                other => panic!("{bad}: {other:?}"),
            },
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(
        store.ceu_entries(None).expect("list").is_empty(),
        "nothing written"
    );
    assert!(matches!(
        handle(&store, add("2.5")),
        Response::Credentials(r) if matches!(*r, CredentialsResponse::SavedCeu(Ok(_)))
    ));
    let load = Request::Credentials(CredentialsRequest::Load {
        staff: pat,
        date: day("2026-11-24"),
    });
    match handle(&store, load) {
        Response::Credentials(r) => match *r {
            CredentialsResponse::Loaded(who, Ok(d)) => {
                assert_eq!(who, pat);
                assert_eq!(d.certifications[0].earned, Hours(25));
                assert_eq!(d.certifications[0].needed, Hours(175));
                assert_eq!(d.certifications[0].ethics_needed, Hours(5));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn enter_on_a_credentials_row_of_today_points_to_the_screen() {
    use caseload::model::today::{Section, TodayReport, TodayRow};
    let mut app = app();
    app.on_response(Response::Today(Ok(TodayReport {
        date: day("2026-11-23"),
        rows: vec![TodayRow {
            section: Section::CredentialsExpiring,
            peer: None,
            name: "Jordan Reyes".into(),
            goal: None,
            group: None,
            session: None,
            date: Some(day("2027-03-14")),
            days: Some(111),
            why: "CPRS: 18.5 hours still needed by 2027-03-14".into(),
        }],
    })));
    let text = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(text.contains("Credentials (1)"), "{text}");
    assert!(text.contains("CPRS: 18.5 hours still needed"), "{text}");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(
        msg(&app).contains("C opens the Credentials screen"),
        "{}",
        msg(&app)
    );
    assert_eq!(app.pane(), Pane::Today);
}

#[test]
fn a_change_saved_elsewhere_reloads_the_open_screen() {
    use caseload::store::{Change, ChangeKind};
    let mut app = app();
    app.take_requests();
    app.on_response(Response::Change(Change {
        kind: ChangeKind::Ceu,
        id: "CE9".into(),
    }));
    assert!(
        loads(&mut app).is_empty(),
        "not opened yet: nothing to reload"
    );
    press(&mut app, &[key('C')]);
    app.take_requests();
    app.on_response(Response::Change(Change {
        kind: ChangeKind::Ceu,
        id: "CE9".into(),
    }));
    assert_eq!(loads(&mut app), vec![StaffId::new(1)]);
}

#[test]
fn the_credentials_screen_snapshot() {
    let mut app = app();
    app.take_requests();
    press(&mut app, &[key('C')]);
    answer(&mut app, jordan("2026-11-24", "Ethics in peer work"));
    assert_screens("credentials", &mut app);
}
