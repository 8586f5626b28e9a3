//! Organization-wide settings that shape the rules (units of service,
//! re-engagement window). They live in the store so every staff member
//! works under the same rules.

use serde::{Deserialize, Serialize};

use super::validate::{Checker, ValidationError, MAX_NAME_CHARS};

/// Settings shared by everyone using one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Shown in the title bar and on reports.
    pub organization_name: String,
    /// Minutes in one unit of service (commonly 15).
    pub unit_minutes: u16,
    /// Minutes of a partial unit that still count as a unit (commonly 8).
    pub unit_threshold_minutes: u16,
    /// Most units billable for one peer on one day, if the funder caps it.
    pub daily_unit_cap: Option<u32>,
    /// Days without contact after which a peer needs re-engagement.
    pub reengage_after_days: u16,
    /// Which optional demographic fields the organization collects (and
    /// reports as counts). Always the last field: stores of schema 2 gain
    /// it by four appended bytes (postcard's `false` four times).
    #[serde(default)]
    pub demographics: DemographicFields,
    /// Days an open referral may go without an update before Today lists
    /// it for follow-up; `None` means the default (14). Appended for the
    /// referrals (schema 5 gains it by one zero byte, postcard's `None`).
    #[serde(default)]
    pub referral_stale_days: Option<u16>,
    /// Days before a consent's expiry that it shows on Today (`None`: the
    /// default, 30). Appended last: stores of schema 4 gain it by one zero
    /// byte (postcard's `None`).
    #[serde(default)]
    pub consent_warning_days: Option<u16>,
    /// The purposes a drop-in visit may give (`model::visit`); `None`
    /// means the defaults. Always the last field: stores of schema 4 gain
    /// it by one appended byte (postcard's `None`).
    #[serde(default)]
    pub visit_purposes: Option<Vec<String>>,
}

/// The optional demographic fields an organization may turn on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemographicFields {
    /// Age band.
    pub age_band: bool,
    /// Gender identity.
    pub gender_identity: bool,
    /// Veteran status.
    pub veteran: bool,
    /// County.
    pub county: bool,
}

impl DemographicFields {
    /// The fields' keys, as `settings --demographics` takes them.
    pub const KEYS: [&'static str; 4] = ["age-band", "gender-identity", "veteran", "county"];

    /// Reads a comma-separated list of keys, or `none`.
    pub fn parse(text: &str) -> Result<DemographicFields, String> {
        let mut f = DemographicFields::default();
        for key in text.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            match key.to_ascii_lowercase().as_str() {
                "none" => f = DemographicFields::default(),
                "age-band" => f.age_band = true,
                "gender-identity" => f.gender_identity = true,
                "veteran" => f.veteran = true,
                "county" => f.county = true,
                other => {
                    return Err(format!(
                        "'{other}' is not a demographic field; give a comma-separated list of {} (or none)",
                        Self::KEYS.join(", ")
                    ))
                }
            }
        }
        Ok(f)
    }

    /// True when any field is on.
    pub fn any(self) -> bool {
        self.age_band || self.gender_identity || self.veteran || self.county
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organization_name: "Peer support center".to_string(),
            unit_minutes: 15,
            unit_threshold_minutes: 8,
            daily_unit_cap: None,
            reengage_after_days: 30,
            demographics: DemographicFields::default(),
            referral_stale_days: None,
            consent_warning_days: None,
            visit_purposes: None,
        }
    }
}

impl Settings {
    /// Units of service for a contact of `minutes`: one per full unit, plus
    /// one for a remainder of at least the threshold.
    pub fn units_for(&self, minutes: u16) -> u32 {
        let unit = u32::from(self.unit_minutes.max(1));
        let m = u32::from(minutes);
        let partial = m % unit;
        m / unit + u32::from(partial > 0 && partial >= u32::from(self.unit_threshold_minutes))
    }

    /// Units for one peer's contacts on one day, with the daily cap applied.
    pub fn units_for_day(&self, minutes: impl IntoIterator<Item = u16>) -> u32 {
        let total: u32 = minutes.into_iter().map(|m| self.units_for(m)).sum();
        match self.daily_unit_cap {
            Some(cap) => total.min(cap),
            None => total,
        }
    }

    /// Days an open referral may go without an update before Today lists
    /// it (the setting, or 14).
    pub fn referral_stale_days(&self) -> u16 {
        self.referral_stale_days
            .unwrap_or(super::referral::DEFAULT_STALE_DAYS)
    }

    /// Days before a consent's expiry that it shows on Today.
    pub fn consent_warning_days(&self) -> u16 {
        self.consent_warning_days
            .unwrap_or(super::consent::DEFAULT_WARNING_DAYS)
    }

    /// Checks that the rules make sense.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::new();
        c.name("organization name", &self.organization_name);
        c.text("organization name", &self.organization_name, MAX_NAME_CHARS);
        c.ensure(
            (1..=240).contains(&self.unit_minutes),
            "unit minutes",
            format!("{} is out of range; give 1 to 240", self.unit_minutes),
        );
        c.ensure(
            self.unit_threshold_minutes >= 1 && self.unit_threshold_minutes <= self.unit_minutes,
            "unit threshold minutes",
            format!(
                "{} must be between 1 and the unit length ({})",
                self.unit_threshold_minutes, self.unit_minutes
            ),
        );
        if let Some(list) = &self.visit_purposes {
            c.ensure(
                !list.is_empty() && list.len() <= super::visit::MAX_PURPOSES,
                "visit purposes",
                format!(
                    "give 1 to {} purposes ({} given)",
                    super::visit::MAX_PURPOSES,
                    list.len()
                ),
            );
            let mut seen = std::collections::HashSet::new();
            for p in list {
                c.name("visit purposes", p);
                c.text("visit purposes", p, super::validate::MAX_SHORT_CHARS);
                c.ensure(
                    seen.insert(super::names::fold(p)),
                    "visit purposes",
                    format!("'{}' is listed twice", crate::text::escape_line(p)),
                );
            }
        }
        c.ensure(
            (1..=3650).contains(&self.reengage_after_days),
            "re-engage after days",
            format!(
                "{} is out of range; give 1 to 3650",
                self.reengage_after_days
            ),
        );
        if let Some(d) = self.referral_stale_days {
            c.ensure(
                (1..=365).contains(&d),
                "referral stale days",
                format!("{d} is out of range; give 1 to 365"),
            );
        }
        if let Some(days) = self.consent_warning_days {
            c.ensure(
                (1..=365).contains(&days),
                "consent warning days",
                format!("{days} is out of range; give 1 to 365"),
            );
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_eight_minute_rule() {
        let s = Settings::default();
        let cases = [
            (1, 0),
            (7, 0),
            (8, 1),
            (15, 1),
            (22, 1),
            (23, 2),
            (30, 2),
            (38, 3),
            (60, 4),
        ];
        for (minutes, units) in cases {
            assert_eq!(s.units_for(minutes), units, "{minutes} minutes");
        }
    }

    #[test]
    fn unit_length_and_threshold_are_settings() {
        let s = Settings {
            unit_minutes: 60,
            unit_threshold_minutes: 31,
            ..Settings::default()
        };
        assert_eq!(s.units_for(30), 0);
        assert_eq!(s.units_for(31), 1);
        assert_eq!(s.units_for(90), 1);
        assert_eq!(s.units_for(91), 2);
    }

    #[test]
    fn daily_cap_limits_the_sum() {
        let s = Settings {
            daily_unit_cap: Some(4),
            ..Settings::default()
        };
        assert_eq!(s.units_for_day([60, 30]), 4);
        assert_eq!(Settings::default().units_for_day([60, 30]), 6);
    }

    #[test]
    fn nonsense_settings_are_refused() {
        let s = Settings {
            unit_minutes: 15,
            unit_threshold_minutes: 16,
            ..Settings::default()
        };
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("unit threshold minutes"));
    }
}
