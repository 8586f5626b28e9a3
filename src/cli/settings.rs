//! `caseload settings`: organization-wide rules.

use std::process::ExitCode;

use anyhow::Result;

use crate::store::Store;
use crate::text::escape_line;

use super::args::SettingsArgs;
use super::output::print_json;

/// Shows the settings, changing the ones given first.
pub fn run(store: &dyn Store, args: &SettingsArgs) -> Result<ExitCode> {
    let mut s = store.settings()?;
    let before = s.clone();
    if let Some(n) = &args.name {
        s.organization_name = n.clone();
    }
    if let Some(m) = args.unit_minutes {
        s.unit_minutes = m;
    }
    if let Some(t) = args.unit_threshold {
        s.unit_threshold_minutes = t;
    }
    if let Some(c) = args.daily_cap {
        s.daily_unit_cap = (c > 0).then_some(c);
    }
    if let Some(d) = args.reengage_days {
        s.reengage_after_days = d;
    }
    if let Some(f) = args.demographics {
        s.demographics = f;
    }
    if let Some(d) = args.referral_stale_days {
        s.referral_stale_days = Some(d);
    }
    if let Some(d) = args.consent_warning_days {
        s.consent_warning_days = Some(d);
    }
    if let Some(list) = &args.visit_purposes {
        s.visit_purposes = if list.trim().eq_ignore_ascii_case("default") {
            None
        } else {
            Some(
                list.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect(),
            )
        };
    }
    if s != before {
        let actor = super::actor(store, None);
        store.save_settings(&s, &actor)?;
    }
    if args.json {
        print_json(&s)?;
    } else {
        println!(
            "organization name:      {}",
            escape_line(&s.organization_name)
        );
        println!(
            "unit of service:        {}",
            crate::text::count_u64(u64::from(s.unit_minutes), "minute", "minutes")
        );
        println!(
            "partial unit counts at: {}",
            crate::text::count_u64(u64::from(s.unit_threshold_minutes), "minute", "minutes")
        );
        match s.daily_unit_cap {
            Some(c) => println!(
                "daily unit cap:         {} per peer",
                crate::text::count_u64(u64::from(c), "unit", "units")
            ),
            None => println!("daily unit cap:         none"),
        }
        println!(
            "re-engage after:        {} without contact",
            crate::text::count_u64(u64::from(s.reengage_after_days), "day", "days")
        );
        println!(
            "referrals quiet after:  {} without an update",
            crate::text::count_u64(u64::from(s.referral_stale_days()), "day", "days")
        );
        println!(
            "consents on Today:      {} before they end",
            crate::text::count_u64(u64::from(s.consent_warning_days()), "day", "days")
        );
        let f = s.demographics;
        let on: Vec<&str> = crate::model::DemographicFields::KEYS
            .iter()
            .zip([f.age_band, f.gender_identity, f.veteran, f.county])
            .filter(|(_, on)| *on)
            .map(|(k, _)| *k)
            .collect();
        println!(
            "demographics collected: {}",
            if on.is_empty() {
                "none".to_string()
            } else {
                on.join(", ")
            }
        );
        println!(
            "visit purposes:         {}",
            escape_line(&crate::ops::visit::center_purposes(&s).join(", "))
        );
    }
    Ok(ExitCode::SUCCESS)
}
