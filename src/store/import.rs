//! Checks an export before any of it is written, so that an import is
//! refused whole with the first problem's location rather than stopping
//! half-way.

use std::collections::{HashMap, HashSet};

use crate::model::ids::IdKind;
use crate::model::{PeerId, Record};

use super::error::{StoreError, StoreResult};
use super::keys::{Kept, T};
use super::Snapshot;

/// Ids present in the snapshot, per record tree.
struct Known {
    ids: Vec<HashSet<u64>>,
    /// The peer of each goal, by goal id.
    goal_peer: HashMap<u64, PeerId>,
}

impl Known {
    fn has(&self, tree: T, id: u64) -> bool {
        self.ids[tree as usize].contains(&id)
    }
}

fn collect<E: Kept>(section: &str, records: &[Record<E>], known: &mut Known) -> StoreResult<()> {
    for (i, r) in records.iter().enumerate() {
        let at = || format!("{section}[{i}] ({})", r.id);
        if r.id.raw() == 0 {
            return Err(StoreError::Refused(format!("{}: id 0 is not valid", at())));
        }
        if !known.ids[E::TREE as usize].insert(r.id.raw()) {
            return Err(StoreError::Refused(format!(
                "{}: the {} id {} appears twice",
                at(),
                <E::Kind as IdKind>::NOUN,
                r.id
            )));
        }
        if let Err(e) = r.data.validate() {
            return Err(StoreError::Refused(format!("{}: {e}", at())));
        }
        if r.meta.revision == 0 {
            return Err(StoreError::Refused(format!(
                "{}: revision 0 is not valid",
                at()
            )));
        }
    }
    Ok(())
}

fn references<E: Kept>(section: &str, records: &[Record<E>], known: &Known) -> StoreResult<()> {
    for (i, r) in records.iter().enumerate() {
        for reference in r.data.references() {
            if !known.has(reference.tree, reference.id) {
                return Err(StoreError::Refused(format!(
                    "{section}[{i}] ({}): {}: no {} {} in the file",
                    r.id, reference.field, reference.noun, reference.shown
                )));
            }
            if let Some(peer) = reference.goal_of {
                let owner = known.goal_peer.get(&reference.id).copied();
                if owner != Some(peer) {
                    return Err(StoreError::Refused(format!(
                        "{section}[{i}] ({}): {}: goal {} is on the plan of peer {}, not of peer {peer}",
                        r.id,
                        reference.field,
                        reference.shown,
                        owner.map_or_else(|| "?".to_string(), |p| p.to_string())
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Validates every record, id uniqueness and every reference.
/// Checks every id and reference of a snapshot, naming the first problem.
pub fn check_snapshot(s: &Snapshot) -> StoreResult<()> {
    s.settings
        .validate()
        .map_err(|e| StoreError::Refused(format!("settings: {e}")))?;
    let mut known = Known {
        ids: vec![HashSet::new(); super::keys::NAMES.len()],
        goal_peer: s.goals.iter().map(|g| (g.id.raw(), g.peer)).collect(),
    };
    collect("staff", &s.staff, &mut known)?;
    collect("peers", &s.peers, &mut known)?;
    collect("goals", &s.goals, &mut known)?;
    collect("groups", &s.groups, &mut known)?;
    collect("sessions", &s.sessions, &mut known)?;
    collect("checkins", &s.checkins, &mut known)?;
    collect("resources", &s.resources, &mut known)?;
    collect("referrals", &s.referrals, &mut known)?;
    collect("consents", &s.consents, &mut known)?;
    collect("disclosures", &s.disclosures, &mut known)?;
    collect("assessments", &s.assessments, &mut known)?;
    collect("visits", &s.visits, &mut known)?;
    collect("intakes", &s.intakes, &mut known)?;
    references("staff", &s.staff, &known)?;
    references("peers", &s.peers, &known)?;
    references("goals", &s.goals, &known)?;
    references("groups", &s.groups, &known)?;
    references("sessions", &s.sessions, &known)?;
    references("checkins", &s.checkins, &known)?;
    references("resources", &s.resources, &known)?;
    references("referrals", &s.referrals, &known)?;
    references("consents", &s.consents, &known)?;
    references("disclosures", &s.disclosures, &known)?;
    collect("certifications", &s.certifications, &mut known)?;
    collect("ceu_entries", &s.ceu_entries, &mut known)?;
    collect("supervisions", &s.supervisions, &mut known)?;
    references("certifications", &s.certifications, &known)?;
    references("ceu_entries", &s.ceu_entries, &known)?;
    references("supervisions", &s.supervisions, &known)?;
    references("assessments", &s.assessments, &known)?;
    references("visits", &s.visits, &known)?;
    let mut seen = std::collections::HashSet::new();
    for v in &s.visits {
        if !seen.insert((v.peer, v.day)) {
            return Err(StoreError::Refused(format!(
                "visits: {} is a second visit of peer {} on {}; there is one per peer per day",
                v.id, v.peer, v.day
            )));
        }
    }
    for (peer, _) in &s.kiosk_codes {
        if !s.peers.iter().any(|p| p.id == *peer) {
            return Err(StoreError::Refused(format!(
                "kiosk_codes: peer {peer} is not in the export"
            )));
        }
    }
    corrections(s, &known)
}

/// Checks the earlier versions of check-ins and the merged peer ids: each
/// version belongs to a check-in of the file and is older than it, once;
/// each merged id is no peer of the file and answers as one that is. (An
/// earlier version's own references are not checked: it may name the
/// peer a merge removed, which is what it was.)
fn corrections(s: &Snapshot, known: &Known) -> StoreResult<()> {
    let current: HashMap<u64, u64> = s
        .checkins
        .iter()
        .map(|c| (c.id.raw(), c.meta.revision))
        .collect();
    let mut seen = HashSet::new();
    for (i, r) in s.checkin_history.iter().enumerate() {
        let at = format!(
            "checkin_history[{i}] ({} revision {})",
            r.id, r.meta.revision
        );
        let Some(&now) = current.get(&r.id.raw()) else {
            return Err(StoreError::Refused(format!(
                "{at}: no check-in {} in the file",
                r.id
            )));
        };
        if r.meta.revision == 0 || r.meta.revision >= now {
            return Err(StoreError::Refused(format!(
                "{at}: an earlier version must have a revision from 1 to {}, below the check-in's current {now}",
                now.saturating_sub(1)
            )));
        }
        if !seen.insert((r.id.raw(), r.meta.revision)) {
            return Err(StoreError::Refused(format!("{at}: appears twice")));
        }
    }
    let mut merged = HashSet::new();
    for (i, a) in s.peer_aliases.iter().enumerate() {
        let at = format!("peer_aliases[{i}] ({} into {})", a.merged, a.into);
        if a.merged.raw() == 0 || known.has(T::Peers, a.merged.raw()) {
            return Err(StoreError::Refused(format!(
                "{at}: merged: {} is a peer of the file, not a merged id",
                a.merged
            )));
        }
        if !known.has(T::Peers, a.into.raw()) {
            return Err(StoreError::Refused(format!(
                "{at}: into: no peer {} in the file",
                a.into
            )));
        }
        if !merged.insert(a.merged) {
            return Err(StoreError::Refused(format!(
                "{at}: merged: {} appears twice",
                a.merged
            )));
        }
    }
    Ok(())
}
