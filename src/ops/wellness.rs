//! The peer's wellness plan: five lists in their own words (daily
//! maintenance, triggers, early warning signs, what helps, who to call).
//! Each change loads the peer fresh, applies one change and saves, so the
//! UI's wellness tab holds no rules; a change addressed by position names
//! the text it expects there and is refused if someone changed it
//! meanwhile.

use crate::model::{Actor, Entity, Peer, PeerId, Record};
use crate::store::Store;

use super::plan::stale;
use super::{OpsError, OpsResult};

/// One list of a peer's wellness plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WellnessSection {
    /// What they do every day to stay well.
    DailyMaintenance,
    /// What can make them feel worse.
    Triggers,
    /// Signs that things are slipping.
    EarlyWarningSigns,
    /// What helps then.
    WhatHelps,
    /// Who they want called.
    WhoToCall,
}

impl WellnessSection {
    /// The five sections in plan order (the order of `WellnessPlan::sections`).
    pub const ALL: [WellnessSection; 5] = [
        WellnessSection::DailyMaintenance,
        WellnessSection::Triggers,
        WellnessSection::EarlyWarningSigns,
        WellnessSection::WhatHelps,
        WellnessSection::WhoToCall,
    ];

    /// The on-screen title.
    pub fn title(self) -> &'static str {
        match self {
            WellnessSection::DailyMaintenance => "Daily maintenance",
            WellnessSection::Triggers => "Triggers",
            WellnessSection::EarlyWarningSigns => "Early warning signs",
            WellnessSection::WhatHelps => "What helps",
            WellnessSection::WhoToCall => "Who to call",
        }
    }

    /// The list in `plan`.
    pub fn list(self, plan: &crate::model::WellnessPlan) -> &Vec<String> {
        match self {
            WellnessSection::DailyMaintenance => &plan.daily_maintenance,
            WellnessSection::Triggers => &plan.triggers,
            WellnessSection::EarlyWarningSigns => &plan.early_warning_signs,
            WellnessSection::WhatHelps => &plan.what_helps,
            WellnessSection::WhoToCall => &plan.who_to_call,
        }
    }

    fn list_mut(self, plan: &mut crate::model::WellnessPlan) -> &mut Vec<String> {
        match self {
            WellnessSection::DailyMaintenance => &mut plan.daily_maintenance,
            WellnessSection::Triggers => &mut plan.triggers,
            WellnessSection::EarlyWarningSigns => &mut plan.early_warning_signs,
            WellnessSection::WhatHelps => &mut plan.what_helps,
            WellnessSection::WhoToCall => &mut plan.who_to_call,
        }
    }
}

/// A change to one list of a wellness plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryChange {
    /// Append an entry.
    Add(String),
    /// Reword entry `index` (which must still read `expect`).
    Edit {
        /// Position in the list.
        index: usize,
        /// The text the user saw there.
        expect: String,
        /// The new text.
        text: String,
    },
    /// Remove entry `index` (which must still read `expect`).
    Delete {
        /// Position in the list.
        index: usize,
        /// The text the user saw there.
        expect: String,
    },
    /// Move entry `index` up (`true`) or down (`false`).
    Move {
        /// Position in the list.
        index: usize,
        /// The text the user saw there.
        expect: String,
        /// Up, else down.
        up: bool,
    },
}

/// Applies one change to a list of `peer`'s wellness plan and saves the
/// peer. Empty entries are refused, naming the field "entry".
pub fn change_wellness(
    store: &dyn Store,
    actor: &Actor,
    peer: PeerId,
    section: WellnessSection,
    change: EntryChange,
) -> OpsResult<Record<Peer>> {
    let mut p = store.peer(peer)?;
    let what = || format!("the '{}' list of the wellness plan", section.title());
    let empty = || crate::model::ValidationError::one("entry", "must not be empty");
    let list = section.list_mut(&mut p.data.wellness_plan);
    let check = |list: &Vec<String>, index: usize, expect: &str| {
        if list.get(index).map(String::as_str) == Some(expect) {
            Ok(())
        } else {
            Err(stale(&what()))
        }
    };
    match change {
        EntryChange::Add(text) => {
            let text = text.trim();
            if text.is_empty() {
                return Err(empty().into());
            }
            list.push(text.to_string());
        }
        EntryChange::Edit {
            index,
            expect,
            text,
        } => {
            check(list, index, &expect)?;
            let text = text.trim();
            if text.is_empty() {
                return Err(empty().into());
            }
            list[index] = text.to_string();
        }
        EntryChange::Delete { index, expect } => {
            check(list, index, &expect)?;
            list.remove(index);
        }
        EntryChange::Move { index, expect, up } => {
            check(list, index, &expect)?;
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|i| *i < list.len())
            };
            match other {
                Some(o) => list.swap(index, o),
                None => {
                    return Err(OpsError::Refused(format!(
                        "the entry is already the {}",
                        if up { "first" } else { "last" }
                    )))
                }
            }
        }
    }
    p.validate()?;
    Ok(store.update_peer(&p, actor)?)
}
