//! Consents and disclosures: what the command line and the UI share.
//!
//! Recording and revoking consents, Today's "Consents expiring" rows, and
//! the disclosure gate: [`find_cover`] picks the active consent that
//! allows giving a recipient what is asked (or says which consent is
//! missing or why it does not), [`build_document`] gathers only the kinds
//! of information included, and [`disclose`] records the disclosure
//! through the store, which checks the consent again in the same write
//! that puts it on the audit trail. Callers record before they hand the
//! document over.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::model::consent::{same_recipient, REDISCLOSURE_NOTICE};
use crate::model::dates::CENTER;
use crate::model::{
    Actor, Choice, Consent, ConsentId, Disclosure, DisclosureId, Peer, PeerId, Record, Revocation,
    ShareKind,
};
use crate::store::Store;

use super::{OpsError, OpsResult};

/// Names the document format of a disclosure.
pub const DISCLOSURE_FORMAT: &str = "caseload-disclosure";

/// Records a consent the peer has signed. Refused, naming the field, when
/// it is signed after `today` or a field is wrong; nothing is written then.
pub fn add_consent(
    store: &dyn Store,
    actor: &Actor,
    consent: Consent,
    today: NaiveDate,
) -> OpsResult<Record<Consent>> {
    if consent.signed > today {
        return Err(crate::model::ValidationError::one(
            "signed",
            format!(
                "{} is after today ({today}); record a consent once it is signed",
                consent.signed
            ),
        )
        .into());
    }
    crate::model::Entity::validate(&consent)?;
    Ok(store.create_consent(consent, actor)?)
}

/// Revokes a consent from `date`, saying how.
pub fn revoke(
    store: &dyn Store,
    actor: &Actor,
    id: ConsentId,
    date: NaiveDate,
    note: String,
) -> OpsResult<Record<Consent>> {
    let current = store.consent(id)?;
    if date < current.signed {
        return Err(crate::model::ValidationError::one(
            "date",
            format!(
                "{date} is before consent {id} was signed ({}); give a later date",
                current.signed
            ),
        )
        .into());
    }
    Ok(store.revoke_consent(id, Revocation { date, note }, actor)?)
}

/// Consents of one peer, or of everyone, optionally only those active on
/// `today` that end within `within` days; by peer, then id.
pub fn list(
    store: &dyn Store,
    peer: Option<PeerId>,
    today: NaiveDate,
    within: Option<u16>,
) -> OpsResult<Vec<Record<Consent>>> {
    let mut out = match (peer, within) {
        (Some(p), _) => store.consents_for_peer(p)?,
        (None, Some(days)) => {
            let to = today
                .checked_add_signed(chrono::Duration::days(i64::from(days)))
                .unwrap_or(NaiveDate::MAX);
            store.consents_expiring_between(today, to)?
        }
        (None, None) => store.list_consents()?,
    };
    if let Some(days) = within {
        out.retain(|c| c.expiring_within(today, days));
    }
    out.sort_by_key(|c| (c.peer, c.id));
    Ok(out)
}

/// The active consent of `peer` that allows giving `included` to
/// `recipient` on `day`. With `included` empty, any active consent for
/// the recipient does (the caller then shares what it covers). The
/// refusal names the consent that is missing, or each consent for the
/// recipient and why it does not allow it.
pub fn find_cover(
    store: &dyn Store,
    peer: &Record<Peer>,
    recipient: &str,
    included: &[ShareKind],
    day: NaiveDate,
) -> OpsResult<Record<Consent>> {
    let consents = store.consents_for_peer(peer.id)?;
    let theirs: Vec<&Record<Consent>> = consents
        .iter()
        .filter(|c| same_recipient(&c.recipient, recipient))
        .collect();
    if theirs.is_empty() {
        let name = crate::text::escape_line(&peer.display_name);
        return Err(OpsError::Refused(format!(
            "refused: there is no consent from {} {name} to share with {}; nothing was disclosed (record their signed consent first: caseload consent add {} --to \"{}\" …)",
            peer.id,
            crate::text::escape_line(recipient),
            peer.id,
            crate::text::escape_line(recipient),
        )));
    }
    let mut reasons = Vec::new();
    // Newest first: the most recent form is the one to rely on.
    for c in theirs.iter().rev() {
        match c.covers(&c.id.to_string(), recipient, included, day) {
            Ok(()) => return Ok((*c).clone()),
            Err(why) => reasons.push(why),
        }
    }
    Err(OpsError::Refused(format!(
        "refused: {}; nothing was disclosed",
        crate::text::escape_line(&reasons.join("; "))
    )))
}

/// One attended contact or group session, as disclosed under
/// "attendance" (dates and kinds, never what was said).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attended {
    /// The day.
    pub date: NaiveDate,
    /// "check-in" or "group".
    pub kind: String,
    /// How (in person, phone) or which group.
    pub what: String,
    /// How long, in minutes.
    pub minutes: u16,
}

/// One check-in note, as disclosed under "checkin-notes".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// When the check-in was (with the center's offset).
    pub at: DateTime<chrono::FixedOffset>,
    /// What was written.
    pub note: String,
}

/// One goal, as disclosed under "goals".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalLine {
    /// The goal in the peer's words.
    pub title: String,
    /// Its life domain.
    pub domain: String,
    /// Its status.
    pub status: String,
    /// Steps done of all.
    pub steps_done: usize,
    /// Steps in all.
    pub steps: usize,
}

/// Contact details, as disclosed under "contact-details".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Emergency contact, as given.
    pub emergency_contact: Option<String>,
}

/// What one disclosure hands over: the notice first, who it is for and
/// under which consent, then only the kinds included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureDocument {
    /// The notice prohibiting redisclosure (42 CFR § 2.32).
    pub notice: &'static str,
    /// [`DISCLOSURE_FORMAT`].
    pub format: &'static str,
    /// The disclosure on record.
    pub disclosure: Option<DisclosureId>,
    /// Who receives it.
    pub recipient: String,
    /// The consent relied on.
    pub consent: ConsentId,
    /// The consent's purpose.
    pub purpose: String,
    /// Whose information.
    pub peer: PeerId,
    /// The name they go by (the consent names them).
    pub name: String,
    /// The organization giving it.
    pub organization: String,
    /// What it is ("export", "report 2026-11-01 to 2026-11-30").
    pub what: String,
    /// The first and last day it covers, if limited to a period.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The kinds of information included.
    pub included: Vec<ShareKind>,
    /// Contact details, if included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Attendance, if included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Vec<Attended>>,
    /// Goals, if included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goals: Option<Vec<GoalLine>>,
    /// Check-in notes, if included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkin_notes: Option<Vec<Note>>,
}

/// What is asked of a disclosure.
#[derive(Debug, Clone)]
pub struct Ask<'a> {
    /// The peer.
    pub peer: &'a Record<Peer>,
    /// The recipient, as typed.
    pub recipient: &'a str,
    /// The kinds asked for; empty means "what the consent covers".
    pub shares: &'a [ShareKind],
    /// Only this period (first and last day), if given.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// What it is ("export", "report …").
    pub what: String,
}

/// Checks the consent and gathers the document (nothing is recorded yet:
/// [`disclose`] does, before the document is handed over).
pub fn prepare(
    store: &dyn Store,
    ask: &Ask<'_>,
    today: NaiveDate,
) -> OpsResult<DisclosureDocument> {
    let consent = find_cover(store, ask.peer, ask.recipient, ask.shares, today)?;
    let included: Vec<ShareKind> = if ask.shares.is_empty() {
        consent.shares.clone()
    } else {
        ShareKind::ALL
            .iter()
            .copied()
            .filter(|k| ask.shares.contains(k))
            .collect()
    };
    if included.is_empty() {
        return Err(OpsError::Refused(format!(
            "refused: consent {} allows sharing only \"{}\" in words, none of the kinds caseload can export; nothing was disclosed",
            consent.id,
            crate::text::escape_line(&consent.shares_text)
        )));
    }
    let peer = ask.peer;
    let (from, to) = match ask.period {
        Some((a, b)) => (
            CENTER.start_of_day(a),
            CENTER.start_of_day(b.succ_opt().unwrap_or(b)),
        ),
        None => (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
    };
    let has = |k: ShareKind| included.contains(&k);
    let checkins = if has(ShareKind::Attendance) || has(ShareKind::CheckInNotes) {
        let mut c = store.checkins_for_peer_between(peer.id, from, to)?;
        c.retain(|c| c.voided.is_none());
        c
    } else {
        Vec::new()
    };
    let attendance = if has(ShareKind::Attendance) {
        let groups: HashMap<_, _> = store
            .list_groups()?
            .into_iter()
            .map(|g| (g.id, g.name.clone()))
            .collect();
        let mut rows: Vec<Attended> = checkins
            .iter()
            .map(|c| Attended {
                date: c.day(),
                kind: "check-in".into(),
                what: c.mode.label().to_string(),
                minutes: c.minutes,
            })
            .collect();
        for s in store.sessions_for_peer(peer.id)? {
            let in_period = ask.period.is_none_or(|(a, b)| s.date >= a && s.date <= b);
            if s.voided.is_none() && in_period {
                rows.push(Attended {
                    date: s.date,
                    kind: "group".into(),
                    what: groups.get(&s.group).cloned().unwrap_or_default(),
                    minutes: s.minutes,
                });
            }
        }
        rows.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.kind.cmp(&b.kind)));
        Some(rows)
    } else {
        None
    };
    let goals = if has(ShareKind::Goals) {
        Some(
            store
                .goals_for_peer(peer.id)?
                .iter()
                .map(|g| {
                    let (done, all) = g.progress();
                    GoalLine {
                        title: g.title.clone(),
                        domain: g.domain.label().to_string(),
                        status: g.status.label().to_string(),
                        steps_done: done,
                        steps: all,
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    let notes = has(ShareKind::CheckInNotes).then(|| {
        checkins
            .iter()
            .filter(|c| !c.note.trim().is_empty())
            .map(|c| Note {
                at: c.at,
                note: c.note.clone(),
            })
            .collect()
    });
    Ok(DisclosureDocument {
        notice: REDISCLOSURE_NOTICE,
        format: DISCLOSURE_FORMAT,
        disclosure: None,
        recipient: consent.recipient.clone(),
        consent: consent.id,
        purpose: consent.purpose.clone(),
        peer: peer.id,
        name: peer.display_name.clone(),
        organization: store.settings()?.organization_name,
        what: ask.what.clone(),
        period: ask.period,
        contact: has(ShareKind::ContactDetails).then(|| Contact {
            phone: peer.phone.clone(),
            email: peer.email.clone(),
            emergency_contact: peer.emergency_contact.clone(),
        }),
        included,
        attendance,
        goals,
        checkin_notes: notes,
    })
}

/// Records the disclosure of `doc` going `to` (a file, standard output)
/// and stamps its id on it. The store checks the consent once more; if it
/// refuses (revoked a moment ago), nothing may be handed over.
pub fn disclose(
    store: &dyn Store,
    actor: &Actor,
    doc: &mut DisclosureDocument,
    to: &str,
) -> OpsResult<Record<Disclosure>> {
    let rec = store.record_disclosure(
        Disclosure {
            peer: doc.peer,
            consent: doc.consent,
            recipient: doc.recipient.clone(),
            at: Utc::now(),
            included: doc.included.clone(),
            what: doc.what.clone(),
            to: to.to_string(),
        },
        actor,
    )?;
    doc.disclosure = Some(rec.id);
    Ok(rec)
}

/// The document as text: the notice first, then each section.
pub fn document_text(doc: &DisclosureDocument) -> String {
    use crate::text::escape_line;
    let mut out = String::new();
    out.push_str("NOTICE (42 CFR 2.32): ");
    out.push_str(doc.notice);
    out.push_str("\n\n");
    out.push_str(&format!(
        "{} about {} {}, given to {} under consent {} ({})\n",
        escape_line(&doc.what),
        doc.peer,
        escape_line(&doc.name),
        escape_line(&doc.recipient),
        doc.consent,
        escape_line(&doc.purpose)
    ));
    out.push_str(&format!(
        "From {}{}{}\n",
        escape_line(&doc.organization),
        doc.disclosure
            .map(|d| format!(", disclosure {d}"))
            .unwrap_or_default(),
        doc.period
            .map(|(a, b)| format!(", {a} to {b}"))
            .unwrap_or_default()
    ));
    out.push_str(&format!(
        "Included: {}\n",
        doc.included
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let opt = |o: &Option<String>| -> String {
        o.as_deref()
            .map(|v| escape_line(v).into_owned())
            .unwrap_or_else(|| "-".into())
    };
    if let Some(c) = &doc.contact {
        out.push_str("\nContact details\n");
        out.push_str(&format!("  phone: {}\n", opt(&c.phone)));
        out.push_str(&format!("  e-mail: {}\n", opt(&c.email)));
        out.push_str(&format!(
            "  emergency contact: {}\n",
            opt(&c.emergency_contact)
        ));
    }
    if let Some(rows) = &doc.attendance {
        out.push_str(&format!("\nAttendance ({})\n", rows.len()));
        for r in rows {
            out.push_str(&format!(
                "  {}  {:<8}  {}  {} min\n",
                r.date,
                r.kind,
                escape_line(&r.what),
                r.minutes
            ));
        }
    }
    if let Some(goals) = &doc.goals {
        out.push_str(&format!("\nGoals ({})\n", goals.len()));
        for g in goals {
            out.push_str(&format!(
                "  {} — {}, {} ({} of {})\n",
                escape_line(&g.title),
                g.domain,
                g.status,
                g.steps_done,
                crate::text::count(g.steps, "step", "steps")
            ));
        }
    }
    if let Some(notes) = &doc.checkin_notes {
        out.push_str(&format!("\nCheck-in notes ({})\n", notes.len()));
        for n in notes {
            out.push_str(&format!(
                "  {}  {}\n",
                n.at.format("%Y-%m-%d %H:%M"),
                escape_line(&n.note)
            ));
        }
    }
    out
}

/// The document as CSV rows (section, item, value) after a comment line
/// holding the notice. Text cells go through `csv_text` by the caller's
/// writer; this gives the raw cells.
pub fn document_rows(doc: &DisclosureDocument) -> Vec<[String; 3]> {
    let r = |a: &str, b: String, c: String| [a.to_string(), b, c];
    let mut out = vec![
        r("disclosure", "what".into(), doc.what.clone()),
        r(
            "disclosure",
            "id".into(),
            doc.disclosure.map(|d| d.to_string()).unwrap_or_default(),
        ),
        r("disclosure", "recipient".into(), doc.recipient.clone()),
        r("disclosure", "consent".into(), doc.consent.to_string()),
        r("disclosure", "purpose".into(), doc.purpose.clone()),
        r(
            "disclosure",
            "organization".into(),
            doc.organization.clone(),
        ),
        r("peer", "id".into(), doc.peer.to_string()),
        r("peer", "name".into(), doc.name.clone()),
        r(
            "disclosure",
            "included".into(),
            doc.included
                .iter()
                .map(|k| k.key())
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ];
    if let Some((a, b)) = doc.period {
        out.push(r("disclosure", "from".into(), a.to_string()));
        out.push(r("disclosure", "to".into(), b.to_string()));
    }
    if let Some(c) = &doc.contact {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        out.push(r("contact", "phone".into(), o(&c.phone)));
        out.push(r("contact", "e-mail".into(), o(&c.email)));
        out.push(r(
            "contact",
            "emergency contact".into(),
            o(&c.emergency_contact),
        ));
    }
    for a in doc.attendance.iter().flatten() {
        out.push(r(
            "attendance",
            a.date.to_string(),
            format!("{}: {} ({} min)", a.kind, a.what, a.minutes),
        ));
    }
    for g in doc.goals.iter().flatten() {
        out.push(r(
            "goal",
            g.title.clone(),
            format!(
                "{}; {}; {} of {}",
                g.domain,
                g.status,
                g.steps_done,
                crate::text::count(g.steps, "step", "steps")
            ),
        ));
    }
    for n in doc.checkin_notes.iter().flatten() {
        out.push(r("check-in note", n.at.to_rfc3339(), n.note.clone()));
    }
    out
}
