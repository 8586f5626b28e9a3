//! Consents to share a peer's information, and the disclosures made under
//! them (42 CFR Part 2, HIPAA).
//!
//! A consent names who may receive what, for what purpose and until when;
//! its state (active, expired, revoked) is derived from its dates, never
//! stored, so it cannot disagree with them. A disclosure is an export or a
//! report given to a named recipient: it is allowed only while an active
//! consent covers that recipient and everything included
//! ([`Consent::covers`]), and it is kept in the peer's disclosure history.
//! Pure: the store and the command line call these rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::choice::{choice_enum, Choice};
use super::ids::{ConsentId, ConsentKind, DisclosureKind, PeerId};
use super::record::{Entity, Record};
use super::validate::{Checker, ValidationError, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_SHORT_CHARS};

/// Days before its expiry that a consent shows on Today, unless the
/// organization's settings say otherwise (`consent_warning_days`).
pub const DEFAULT_WARNING_DAYS: u16 = 30;

/// Longest text of a purpose, of "what may be shared" and of an expiry
/// event (a consent form's sentences, not a page of notes).
pub const MAX_CONSENT_TEXT: usize = 2_000;

/// The notice prohibiting redisclosure that must accompany every
/// disclosure made with a peer's consent (42 CFR § 2.32), word for word.
pub const REDISCLOSURE_NOTICE: &str = "This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). The federal rules prohibit you from making any further disclosure of information in this record that identifies a patient as having or having had a substance use disorder either directly, by reference to publicly available information, or through verification of such identification by another person unless further disclosure is expressly permitted by the written consent of the individual whose information is being disclosed or as otherwise permitted by 42 CFR part 2. A general authorization for the release of medical or other information is NOT sufficient for this purpose (see § 2.31). The federal rules restrict any use of the information to investigate or prosecute with regard to a crime any patient with a substance use disorder, except as provided at §§ 2.12(c)(5) and 2.65.";

choice_enum!(
    /// A kind of information a consent may let the organization share.
    ShareKind, "kind of information" {
        /// Name, phone, e-mail, emergency contact.
        ContactDetails = ("contact-details", "contact details"),
        /// Check-in dates and group attendance (not what was said).
        Attendance = ("attendance", "attendance"),
        /// Recovery-plan goals and their steps.
        Goals = ("goals", "goals"),
        /// What was written at check-ins.
        CheckInNotes = ("checkin-notes", "check-in notes"),
    }
);

choice_enum!(
    /// Who receives what a consent allows to share.
    RecipientKind, "recipient kind" {
        /// A named person (a family member, an attorney).
        Person = ("person", "person"),
        /// An organization (a housing program, a court, a clinic).
        Organization = ("organization", "organization"),
    }
);

/// When a consent ends by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expiry {
    /// The last day it is valid.
    On(NaiveDate),
    /// An event or condition in the consent's words ("when my court case
    /// closes"): it stays active until a staff member records the event
    /// by revoking it with a note.
    Event(String),
}

/// How and when a consent was revoked (the peer's right at any time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The day it stopped being valid.
    pub date: NaiveDate,
    /// How it was revoked ("in writing", "told me by phone").
    pub note: String,
}

/// A consent's state on a given day, derived from its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentState {
    /// Signed for a later day: not yet in effect.
    NotYetSigned,
    /// In effect.
    Active,
    /// Past its expiry date.
    Expired,
    /// Revoked on or before the day.
    Revoked,
}

impl ConsentState {
    /// The word shown for it.
    pub fn label(self) -> &'static str {
        match self {
            ConsentState::NotYetSigned => "not yet signed",
            ConsentState::Active => "active",
            ConsentState::Expired => "expired",
            ConsentState::Revoked => "revoked",
        }
    }
}

impl std::fmt::Display for ConsentState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A peer's written consent to share some of their information with one
/// recipient (42 CFR § 2.31: recipient, purpose, how much and what kind,
/// an expiry date or event, the signature's date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Whose information.
    pub peer: PeerId,
    /// Who may receive it, as named on the form.
    pub recipient: String,
    /// A person or an organization.
    pub recipient_kind: RecipientKind,
    /// What for, in the form's words.
    pub purpose: String,
    /// The kinds of information it allows (each once).
    pub shares: Vec<ShareKind>,
    /// What may be shared, in the form's words (may be empty when the
    /// kinds say it all).
    pub shares_text: String,
    /// The day the peer signed it.
    pub signed: NaiveDate,
    /// When it ends by itself.
    pub expiry: Expiry,
    /// Set once it is revoked; never cleared.
    pub revoked: Option<Revocation>,
}

/// True when two recipient names are the same once case and spacing are
/// ignored ("Harbor  Housing" is "harbor housing").
pub fn same_recipient(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

impl Consent {
    /// Refuses (naming the field) a revocation dated after `today`: a
    /// revocation is recorded once the peer has made it. A later day would
    /// keep the consent in effect until then while it looks revoked, and
    /// the peer's real revocation would be refused as a second one. (The
    /// day on or after the signature is the record's own rule.)
    pub fn check_revocation(
        &self,
        r: &Revocation,
        today: NaiveDate,
    ) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.ensure(
            r.date <= today,
            "revoked date",
            format!(
                "{} is after today ({today}); record a revocation once the peer has made it",
                r.date
            ),
        );
        c.finish()
    }

    /// Its state on `day`.
    pub fn state_on(&self, day: NaiveDate) -> ConsentState {
        if self.revoked.as_ref().is_some_and(|r| r.date <= day) {
            return ConsentState::Revoked;
        }
        if day < self.signed {
            return ConsentState::NotYetSigned;
        }
        match &self.expiry {
            Expiry::On(last) if day > *last => ConsentState::Expired,
            _ => ConsentState::Active,
        }
    }

    /// The expiry date, if it ends on a date.
    pub fn expires_on(&self) -> Option<NaiveDate> {
        match self.expiry {
            Expiry::On(d) => Some(d),
            Expiry::Event(_) => None,
        }
    }

    /// Days from `day` to its expiry date while it is active (0 on the
    /// last day), or `None` for an event or a consent not active.
    pub fn days_left(&self, day: NaiveDate) -> Option<i64> {
        if self.state_on(day) != ConsentState::Active {
            return None;
        }
        self.expires_on().map(|d| (d - day).num_days())
    }

    /// True when it is active on `day` and ends within `days` of it.
    pub fn expiring_within(&self, day: NaiveDate, days: u16) -> bool {
        self.days_left(day)
            .is_some_and(|left| left <= i64::from(days))
    }

    /// The expiry in words ("2027-01-31", "until: my case closes").
    pub fn expiry_text(&self) -> String {
        match &self.expiry {
            Expiry::On(d) => d.to_string(),
            Expiry::Event(e) => format!("until {e}"),
        }
    }

    /// The kinds it shares, as keys joined by ", ".
    pub fn shares_keys(&self) -> String {
        self.shares
            .iter()
            .map(|k| k.key())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks that it allows giving `included` to `recipient` on `day`:
    /// `Ok` when it does, else why not in a sentence naming the consent
    /// (`id` as printed).
    pub fn covers(
        &self,
        id: &str,
        recipient: &str,
        included: &[ShareKind],
        day: NaiveDate,
    ) -> Result<(), String> {
        if !same_recipient(&self.recipient, recipient) {
            return Err(format!(
                "consent {id} is for {}, not {}",
                self.recipient, recipient
            ));
        }
        match self.state_on(day) {
            ConsentState::Active => {}
            ConsentState::Expired => {
                return Err(format!(
                    "consent {id} for {} expired on {}",
                    self.recipient,
                    self.expiry_text()
                ))
            }
            ConsentState::Revoked => {
                let on = self.revoked.as_ref().map(|r| r.date.to_string());
                return Err(format!(
                    "consent {id} for {} was revoked on {}",
                    self.recipient,
                    on.unwrap_or_default()
                ));
            }
            ConsentState::NotYetSigned => {
                return Err(format!(
                    "consent {id} for {} is signed for {}, after {day}",
                    self.recipient, self.signed
                ))
            }
        }
        let missing: Vec<&str> = included
            .iter()
            .filter(|k| !self.shares.contains(k))
            .map(|k| k.key())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "consent {id} for {} does not cover {} (it covers: {})",
                self.recipient,
                missing.join(", "),
                if self.shares.is_empty() {
                    "none of the kinds".to_string()
                } else {
                    self.shares_keys()
                }
            ));
        }
        Ok(())
    }
}

impl Entity for Consent {
    type Kind = ConsentKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("recipient", &self.recipient);
        if self.purpose.trim().is_empty() {
            c.fail(
                "purpose",
                "must not be empty: say what the information is for",
            );
        }
        c.text("purpose", &self.purpose, MAX_CONSENT_TEXT);
        c.text("shares", &self.shares_text, MAX_CONSENT_TEXT);
        if self.shares.is_empty() && self.shares_text.trim().is_empty() {
            c.fail(
                "shares",
                format!(
                    "say what may be shared: one or more of {}, or in words",
                    ShareKind::ALL
                        .iter()
                        .map(|k| k.key())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        for (i, k) in self.shares.iter().enumerate() {
            if self.shares[..i].contains(k) {
                c.fail("shares", format!("{} is listed twice", k.key()));
            }
        }
        match &self.expiry {
            Expiry::On(d) => c.ensure(
                *d >= self.signed,
                "expires",
                format!(
                    "{d} is before the day it was signed ({}); give a later date",
                    self.signed
                ),
            ),
            Expiry::Event(e) => {
                if e.trim().is_empty() {
                    c.fail(
                        "until event",
                        "must not be empty: name the event that ends it",
                    );
                }
                c.text("until event", e, MAX_CONSENT_TEXT);
            }
        }
        if let Some(r) = &self.revoked {
            c.ensure(
                r.date >= self.signed,
                "revoked date",
                format!(
                    "{} is before the day it was signed ({}); give a later date",
                    r.date, self.signed
                ),
            );
            c.text("revoked note", &r.note, MAX_NOTE_CHARS);
        }
        c.finish()
    }
}

/// What one disclosure was: an export or report given to a recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// Whose information.
    pub peer: PeerId,
    /// The consent it relied on.
    pub consent: ConsentId,
    /// Who received it, as given.
    pub recipient: String,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The kinds of information it included.
    pub included: Vec<ShareKind>,
    /// What it was ("export json", "report 2026-11-01 to 2026-11-30").
    pub what: String,
    /// Where it went ("standard output", a file name).
    pub to: String,
}

impl Entity for Disclosure {
    type Kind = DisclosureKind;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("recipient", &self.recipient);
        c.text("recipient", &self.recipient, MAX_NAME_CHARS);
        c.text("what", &self.what, MAX_SHORT_CHARS);
        c.text("to", &self.to, MAX_NOTE_CHARS);
        c.ensure(
            !self.included.is_empty(),
            "included",
            "a disclosure includes at least one kind of information",
        );
        c.finish()
    }
}

impl Disclosure {
    /// The kinds it included, as keys joined by ", ".
    pub fn included_keys(&self) -> String {
        self.included
            .iter()
            .map(|k| k.key())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Today's "Consents expiring" rows: each consent of `peers` (the peers
/// the list is for, by id) active on `date` whose expiry date is within
/// `days`, soonest first. Pure; `ops::consent` gathers the records.
pub fn expiring_rows<P: super::today::TodayPeer>(
    consents: &[Record<Consent>],
    peers: &std::collections::HashMap<PeerId, &P>,
    date: NaiveDate,
    days: u16,
) -> Vec<super::today::TodayRow> {
    let mut rows: Vec<(i64, super::today::TodayRow)> = consents
        .iter()
        .filter(|c| c.expiring_within(date, days))
        .filter_map(|c| {
            let peer = peers.get(&c.peer)?;
            let left = c.days_left(date)?;
            let when = match left {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            };
            Some((
                left,
                super::today::TodayRow {
                    section: super::today::Section::ConsentsExpiring,
                    peer: Some(c.peer),
                    name: peer.display_name().to_string(),
                    goal: None,
                    group: None,
                    session: None,
                    date: c.expires_on(),
                    days: Some(left),
                    why: format!(
                        "consent {} to share with {} ends {when} ({}); renew it with them or let it end",
                        c.id,
                        c.recipient,
                        c.expiry_text()
                    ),
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    rows.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn consent() -> Consent {
        Consent {
            peer: PeerId::new(1),
            recipient: "Harbor Housing".into(),
            recipient_kind: RecipientKind::Organization,
            purpose: "housing application".into(),
            shares: vec![ShareKind::ContactDetails, ShareKind::Attendance],
            shares_text: String::new(),
            signed: d("2026-11-01"),
            expiry: Expiry::On(d("2026-12-31")),
            revoked: None,
        }
    }

    #[test]
    fn state_follows_the_dates() {
        let mut c = consent();
        assert_eq!(c.state_on(d("2026-10-31")), ConsentState::NotYetSigned);
        assert_eq!(c.state_on(d("2026-11-01")), ConsentState::Active);
        assert_eq!(c.state_on(d("2026-12-31")), ConsentState::Active);
        assert_eq!(c.state_on(d("2027-01-01")), ConsentState::Expired);
        c.revoked = Some(Revocation {
            date: d("2026-11-20"),
            note: "in writing".into(),
        });
        assert_eq!(c.state_on(d("2026-11-19")), ConsentState::Active);
        assert_eq!(c.state_on(d("2026-11-20")), ConsentState::Revoked);
        assert_eq!(c.state_on(d("2027-02-01")), ConsentState::Revoked);
        c.expiry = Expiry::Event("the case closes".into());
        c.revoked = None;
        assert_eq!(c.state_on(d("2040-01-01")), ConsentState::Active);
        assert_eq!(c.days_left(d("2040-01-01")), None);
    }

    #[test]
    fn expiring_within_counts_days_left() {
        let c = consent();
        assert_eq!(c.days_left(d("2026-12-01")), Some(30));
        assert!(c.expiring_within(d("2026-12-01"), 30));
        assert!(!c.expiring_within(d("2026-11-30"), 30));
        assert!(
            !c.expiring_within(d("2027-01-01"), 30),
            "expired ones are not expiring"
        );
    }

    #[test]
    fn a_revocation_is_not_dated_after_today() {
        let c = consent();
        let r = |date: &str| Revocation {
            date: d(date),
            note: String::new(),
        };
        assert!(c
            .check_revocation(&r("2026-11-10"), d("2026-11-10"))
            .is_ok());
        let err = c
            .check_revocation(&r("2026-11-11"), d("2026-11-10"))
            .unwrap_err();
        assert_eq!(err.problems[0].field, "revoked date");
        assert!(err.to_string().contains("after today"), "{err}");
    }

    #[test]
    fn covers_names_what_is_missing() {
        let c = consent();
        let day = d("2026-11-10");
        assert!(c
            .covers("CN1", "harbor  housing", &[ShareKind::Attendance], day)
            .is_ok());
        let e = c
            .covers("CN1", "Harbor Housing", &[ShareKind::CheckInNotes], day)
            .unwrap_err();
        assert!(e.contains("CN1") && e.contains("checkin-notes"), "{e}");
        let e = c
            .covers("CN1", "County Court", &[ShareKind::Attendance], day)
            .unwrap_err();
        assert!(e.contains("not County Court"), "{e}");
        let e = c
            .covers(
                "CN1",
                "Harbor Housing",
                &[ShareKind::Attendance],
                d("2027-01-05"),
            )
            .unwrap_err();
        assert!(e.contains("expired"), "{e}");
    }

    #[test]
    fn validation_names_each_field() {
        let mut c = consent();
        c.recipient = " ".into();
        c.purpose = String::new();
        c.shares = vec![ShareKind::Goals, ShareKind::Goals];
        c.expiry = Expiry::On(d("2026-10-01"));
        c.revoked = Some(Revocation {
            date: d("2026-01-01"),
            note: String::new(),
        });
        let fields: Vec<String> = c
            .validate()
            .unwrap_err()
            .problems
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            ["recipient", "purpose", "shares", "expires", "revoked date"]
        );
        let mut c = consent();
        c.shares.clear();
        assert!(c.validate().is_err(), "nothing to share is refused");
        c.shares_text = "a letter confirming enrollment".into();
        assert!(c.validate().is_ok());
        c.expiry = Expiry::Event("".into());
        assert_eq!(c.validate().unwrap_err().problems[0].field, "until event");
    }
}
