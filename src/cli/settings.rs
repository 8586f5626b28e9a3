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
        println!("unit of service:        {} minutes", s.unit_minutes);
        println!(
            "partial unit counts at: {} minutes",
            s.unit_threshold_minutes
        );
        match s.daily_unit_cap {
            Some(c) => println!("daily unit cap:         {c} units per peer"),
            None => println!("daily unit cap:         none"),
        }
        println!(
            "re-engage after:        {} days without contact",
            s.reengage_after_days
        );
        println!(
            "referrals quiet after:  {} days without an update",
            s.referral_stale_days()
        );
        println!(
            "consents on Today:      {} days before they end",
            s.consent_warning_days()
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
