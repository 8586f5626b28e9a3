//! The peer page's Consents tab (5): state (the key switches to it, the
//! selection moves over the consents and stays inside them) and rendering
//! through ratatui's TestBackend at 80×24 and 120×40: each consent with its
//! state on the app's day (Monday 2026-11-23), what it shares, when it
//! ends, and the disclosure history; stored text never reaches the
//! terminal raw.

mod plan_support;
mod ui_common;

use caseload::model::{
    Consent, ConsentId, Disclosure, Expiry, PeerId, RecipientKind, Record, Revocation, ShareKind,
};
use caseload::ui::app::RevokePrompt;
use caseload::ui::screens::peer_tabs::PeerTab;
use caseload::ui::worker::consents::{ConsentRequest, ConsentResponse};
use caseload::ui::worker::{PeerDetail, Request, Response};
use crossterm::event::KeyCode;
use plan_support::*;
use ratatui::style::Modifier;
use ui_common::*;
use unicode_width::UnicodeWidthStr;

fn consent(
    id: u64,
    recipient: &str,
    expiry: Expiry,
    revoked: Option<Revocation>,
) -> Record<Consent> {
    rec(
        id,
        Consent {
            peer: PeerId::new(1),
            recipient: recipient.into(),
            recipient_kind: RecipientKind::Organization,
            purpose: "housing application".into(),
            shares: vec![ShareKind::ContactDetails, ShareKind::Attendance],
            shares_text: String::new(),
            signed: day("2026-10-01"),
            expiry,
            revoked,
        },
    )
}

fn with_consents() -> PeerDetail {
    let mut d = detail();
    d.consents = vec![
        consent(1, "Harbor Housing", Expiry::On(day("2026-12-13")), None),
        consent(2, "County Court", Expiry::On(day("2026-11-01")), None),
        consent(
            3,
            "Dana \u{1b}[31mRuiz",
            Expiry::Event("my case closes".into()),
            Some(Revocation {
                date: day("2026-11-20"),
                note: "by phone".into(),
            }),
        ),
    ];
    d.disclosures = vec![rec(
        1,
        Disclosure {
            peer: PeerId::new(1),
            consent: ConsentId::new(1),
            recipient: "Harbor Housing".into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-11-20T15:00:00Z")
                .expect("time")
                .to_utc(),
            included: vec![ShareKind::Attendance],
            what: "export".into(),
            to: "standard output".into(),
        },
    )];
    d
}

fn on_consents(d: PeerDetail) -> caseload::ui::app::App {
    let mut app = app_on_peer_with(d);
    press(&mut app, &[key('5')]);
    app
}

#[test]
fn key_5_opens_the_consents_tab_and_the_selection_stays_on_the_consents() {
    let mut app = on_consents(with_consents());
    assert_eq!(app.peer_view().tab, PeerTab::Consents);
    screen(&mut app, 80, 24);
    assert_eq!(app.peer_view().consents.cursor.selected, 0);
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Down)]);
    assert_eq!(app.peer_view().consents.cursor.selected, 2);
    press(&mut app, &[code(KeyCode::Down)]);
    assert_eq!(
        app.peer_view().consents.cursor.selected,
        2,
        "stays on the last"
    );
    press(&mut app, &[code(KeyCode::Up)]);
    assert_eq!(app.peer_view().consents.cursor.selected, 1);
    // The tabs go on through it (5 Consents, then 6 Assessments).
    press(&mut app, &[key(']')]);
    assert_eq!(app.peer_view().tab, PeerTab::Assessments);
    press(&mut app, &[key('[')]);
    assert_eq!(app.peer_view().tab, PeerTab::Consents);
}

#[test]
fn each_consent_shows_its_state_what_it_shares_and_when_it_ends() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut app = on_consents(with_consents());
        let buf = screen(&mut app, w, h);
        let r = rows(&buf);
        let all = r.join("\n");
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(|c| c.is_control()),
                "raw control character in {:?}",
                cell.symbol()
            );
        }
        for row in &r {
            assert!(
                UnicodeWidthStr::width(row.as_str()) <= usize::from(w),
                "{row}"
            );
            let lower = row.to_lowercase();
            for word in ["patient", "treatment", "encounter"] {
                assert!(!lower.contains(word), "clinical word {word:?} in {row}");
            }
        }
        assert!(all.contains("[5 Consents]"), "{all}");
        assert!(
            all.contains("Consents to share · 3 recorded, 1 active today"),
            "{all}"
        );
        let (y, first) = r
            .iter()
            .enumerate()
            .find(|(_, l)| l.contains("CN1"))
            .expect("CN1 shown");
        assert!(
            first.contains("active") && first.contains("Harbor Housing (organization)"),
            "{first}"
        );
        assert!(first.contains("ends 2026-12-13 (in 20 days)"), "{first}");
        assert!(
            buf[(2, y as u16)].modifier.contains(Modifier::REVERSED),
            "the first consent is selected, shown without colour"
        );
        assert!(
            r[y + 1].contains("shares contact details, attendance · for housing application"),
            "{}",
            r[y + 1]
        );
        let court = r.iter().find(|l| l.contains("CN2")).expect("CN2");
        assert!(
            court.contains("expired") && court.contains("ended 2026-11-01"),
            "{court}"
        );
        let dana = r.iter().find(|l| l.contains("CN3")).expect("CN3");
        assert!(
            dana.contains("revoked") && dana.contains("revoked 2026-11-20 (by phone)"),
            "{dana}"
        );
        assert!(dana.contains("Dana \\e[31mRuiz"), "escaped: {dana}");
        assert!(all.contains("Disclosures (1)"), "{all}");
        let d1 = r.iter().find(|l| l.contains("D1 ")).expect("D1");
        assert!(
            d1.contains("to Harbor Housing under CN1: attendance (export)"),
            "{d1}"
        );
    }
}

#[test]
fn a_peer_without_consents_says_so() {
    let mut app = on_consents(detail());
    let r = rows(&screen(&mut app, 80, 24));
    let all = r.join("\n");
    assert!(
        all.contains("Consents to share · none recorded (caseload consent add)"),
        "{all}"
    );
    assert!(
        all.contains("Disclosures (0)") && all.contains("none yet"),
        "{all}"
    );
    // Nothing to select: the keys do nothing harmful.
    press(&mut app, &[code(KeyCode::Down)]);
    assert_eq!(app.peer_view().consents.cursor.selected, 0);
}

fn status(app: &caseload::ui::app::App) -> (String, bool) {
    let m = app.status().message.as_ref().expect("a status message");
    (m.text.clone(), m.error)
}

#[test]
fn x_asks_how_and_revokes_the_selected_consent_from_the_apps_day() {
    let mut app = on_consents(with_consents());
    screen(&mut app, 80, 24);
    app.take_requests();
    press(&mut app, &[key('x')]);
    assert!(app.layer::<RevokePrompt>().is_some(), "the prompt is open");
    let (asked, _) = status(&app);
    assert!(
        asked.starts_with("How was CN1 revoked?")
            && asked.contains("for Harbor Housing; Enter revokes it from 2026-11-23"),
        "{asked}"
    );
    type_str(&mut app, "by phone");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.layer::<RevokePrompt>().is_none(), "closed");
    let reqs = app.take_requests();
    let sent = reqs
        .iter()
        .find_map(|r| match r {
            Request::Consent(ConsentRequest::Revoke {
                id,
                date,
                note,
                peer,
                ..
            }) => Some((*id, *date, note.clone(), *peer)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no revoke in {reqs:?}"));
    assert_eq!(
        sent,
        (
            ConsentId::new(1),
            day("2026-11-23"),
            "by phone".to_string(),
            PeerId::new(1)
        )
    );
    // The answer says so and reloads the page.
    let mut saved = with_consents().consents[0].clone();
    saved.data.revoked = Some(Revocation {
        date: day("2026-11-23"),
        note: "by phone".into(),
    });
    app.on_response(Response::Consent(Box::new(ConsentResponse::Revoked(
        PeerId::new(1),
        Ok(saved),
    ))));
    let (said, error) = status(&app);
    assert!(!error && said.contains("Revoked CN1"), "{said}");
    assert!(
        app.take_requests()
            .iter()
            .any(|r| matches!(r, Request::Peer(p) if *p == PeerId::new(1))),
        "the page reloads"
    );
    // A refusal is shown, not swallowed.
    app.on_response(Response::Consent(Box::new(ConsentResponse::Revoked(
        PeerId::new(1),
        Err("consent CN1 was already revoked on 2026-11-20".into()),
    ))));
    let (said, error) = status(&app);
    assert!(error && said.contains("already revoked"), "{said}");
}

#[test]
fn only_an_active_consent_can_be_revoked_and_esc_cancels() {
    let mut app = on_consents(with_consents());
    screen(&mut app, 80, 24);
    press(&mut app, &[code(KeyCode::Down)]);
    app.take_requests();
    press(&mut app, &[key('x')]);
    assert!(app.layer::<RevokePrompt>().is_none());
    let (said, error) = status(&app);
    assert!(error && said.contains("CN2 is expired"), "{said}");
    press(&mut app, &[code(KeyCode::Down), key('x')]);
    let (said, _) = status(&app);
    assert!(said.contains("CN3 is already revoked"), "{said}");
    press(&mut app, &[code(KeyCode::Up), code(KeyCode::Up), key('x')]);
    assert!(app.layer::<RevokePrompt>().is_some());
    press(&mut app, &[code(KeyCode::Esc)]);
    assert!(app.layer::<RevokePrompt>().is_none());
    assert!(
        !app.take_requests()
            .iter()
            .any(|r| matches!(r, Request::Consent(_))),
        "nothing sent"
    );
}

#[test]
fn enter_on_a_consents_expiring_row_opens_the_peers_consents_tab() {
    use caseload::model::today::{Section, TodayReport, TodayRow};
    use caseload::ui::app::Pane;
    let mut app = app();
    app.on_response(Response::Today(Ok(TodayReport {
        date: day("2026-11-23"),
        rows: vec![TodayRow {
            section: Section::ConsentsExpiring,
            peer: Some(PeerId::new(1)),
            name: "Ana Ruiz".into(),
            goal: None,
            group: None,
            session: None,
            date: Some(day("2026-12-13")),
            days: Some(20),
            why: "consent CN1 to share with Harbor Housing ends in 20 days (2026-12-13)".into(),
        }],
    })));
    let shown = rows(&screen(&mut app, 80, 24)).join("\n");
    assert!(shown.contains("Consents expiring (1)"), "{shown}");
    app.take_requests();
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.pane(), Pane::Peer);
    assert_eq!(app.peer_view().tab, PeerTab::Consents);
    assert!(
        app.take_requests()
            .iter()
            .any(|r| matches!(r, Request::OpenPeer { id, .. } if *id == PeerId::new(1))),
        "the opening is recorded"
    );
}

#[test]
fn the_consents_tab_snapshot() {
    let mut app = on_consents(with_consents());
    assert_screens("consents_tab", &mut app);
}
