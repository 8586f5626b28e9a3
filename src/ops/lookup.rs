//! Finding the peer or staff member a user means from what they typed.

use crate::model::{Goal, GoalId, Group, GroupId, Peer, PeerId, Record, Staff, StaffId};
use crate::search::{closeness, NameMatcher};
use crate::store::Store;
use crate::text::escape_line;

use super::{OpsError, OpsResult};

/// Most candidates listed when a name is ambiguous.
const MAX_LISTED: usize = 10;

/// The one peer `text` means: an id (`P12`), or a name that matches
/// exactly one peer at the closest level of matching (exact name, then word
/// prefixes, then substring, then fuzzy). Several matches fail with the
/// candidates listed.
pub fn resolve_peer(store: &dyn Store, text: &str) -> OpsResult<Record<Peer>> {
    if let Ok(id) = text.parse::<PeerId>() {
        match store.peer(id) {
            Ok(p) => return Ok(p),
            // A bare number that is no peer's id may be a phone number.
            Err(e) if !may_be_phone(text) => return Err(e.into()),
            Err(_) => {}
        }
    }
    let peers = store.list_peers()?;
    pick(
        "peer",
        text,
        peers,
        |p| {
            let mut names = vec![
                p.display_name.clone(),
                p.legal_name.clone().unwrap_or_default(),
            ];
            // Phone digits and tags answer only when given whole (an
            // exact match), so they never make a name ambiguous: the one
            // rule the UI's pickers use too.
            if crate::search::SearchKeys::of_peer(p).answers(text) {
                names.push(text.trim().to_string());
            }
            names
        },
        |p| format!("{} {}", p.id, escape_line(&p.display_name)),
    )
}

/// True if `text`, read as a peer id that is no peer's, may instead be a
/// phone number (seven or more digits alone), and so is looked up as one.
pub fn may_be_phone(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 7 && t.bytes().all(|b| b.is_ascii_digit())
}

/// The one directory entry `text` means: an id (`RS3`) or its name, found
/// fuzzily like a peer's (an ambiguous name lists the candidates).
pub fn resolve_resource(
    store: &dyn Store,
    text: &str,
) -> OpsResult<Record<crate::model::Resource>> {
    if let Ok(id) = text.parse::<crate::model::ResourceId>() {
        match store.resource(id) {
            Ok(r) => return Ok(r),
            // A bare number that is no id may be a name ("988").
            Err(e) if !text.trim().bytes().all(|b| b.is_ascii_digit()) => return Err(e.into()),
            Err(_) => {}
        }
    }
    pick(
        "resource",
        text,
        store.list_resources()?,
        |r| vec![r.name.clone()],
        |r| format!("{} {}", r.id, escape_line(&r.name)),
    )
}

/// The one staff member `text` means: an id (`S2`), initials, login or name.
pub fn resolve_staff(store: &dyn Store, text: &str) -> OpsResult<Record<Staff>> {
    if let Ok(id) = text.parse::<StaffId>() {
        if let Ok(s) = store.staff(id) {
            return Ok(s);
        }
    }
    among_staff(store.list_staff()?, text)
}

/// [`resolve_staff`] among `staff`, every staff member as
/// [`Store::list_staff`] answered: the same answer without asking the
/// store again (start-up reads the list once for sign-in and for who is
/// working).
pub fn resolve_staff_among(staff: Vec<Record<Staff>>, text: &str) -> OpsResult<Record<Staff>> {
    if let Ok(id) = text.parse::<StaffId>() {
        if let Some(s) = staff.iter().find(|s| s.id == id) {
            return Ok(s.clone());
        }
    }
    among_staff(staff, text)
}

/// Initials, login, then name, among `staff`.
fn among_staff(staff: Vec<Record<Staff>>, text: &str) -> OpsResult<Record<Staff>> {
    let t = text.trim();
    let by_initials: Vec<&Record<Staff>> = staff
        .iter()
        .filter(|s| s.initials.eq_ignore_ascii_case(t) || s.login.as_deref() == Some(t))
        .collect();
    if let [one] = by_initials.as_slice() {
        return Ok((*one).clone());
    }
    pick(
        "staff member",
        text,
        staff,
        |s| vec![s.name.clone()],
        |s| format!("{} {} ({})", s.id, escape_line(&s.name), s.initials),
    )
}

/// The staff member acting: the one named, else the one whose login is
/// the operating-system user, else the only active staff member.
pub fn acting_staff(store: &dyn Store, named: Option<&str>) -> OpsResult<Record<Staff>> {
    if let Some(n) = named.filter(|n| !n.trim().is_empty()) {
        return resolve_staff(store, n);
    }
    acting_staff_among(store.list_staff()?, None)
}

/// [`acting_staff`] among `list`, every staff member as
/// [`Store::list_staff`] answered (the same rules, no further reads).
pub fn acting_staff_among(
    list: Vec<Record<Staff>>,
    named: Option<&str>,
) -> OpsResult<Record<Staff>> {
    if let Some(n) = named.filter(|n| !n.trim().is_empty()) {
        return resolve_staff_among(list, n);
    }
    let staff: Vec<Record<Staff>> = list.into_iter().filter(|s| s.active).collect();
    let login = super::os_login();
    if let Some(s) = staff
        .iter()
        .find(|s| s.login.as_deref() == Some(login.as_str()))
    {
        return Ok(s.clone());
    }
    match staff.as_slice() {
        [] => Err(OpsError::Refused(
            "no staff yet: add yourself first with `caseload staff add \"Your Name\" --role peer-specialist`".into(),
        )),
        [one] => Ok(one.clone()),
        many => Err(OpsError::Refused(format!(
            "say who you are with --staff (or CASELOAD_STAFF): one of {}",
            many.iter()
                .map(|s| format!("{} ({})", escape_line(&s.name), s.initials))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn pick<T>(
    noun: &str,
    text: &str,
    records: Vec<T>,
    names: impl Fn(&T) -> Vec<String>,
    show: impl Fn(&T) -> String,
) -> OpsResult<T> {
    let query = text.trim();
    if query.is_empty() {
        return Err(OpsError::NoMatch(format!("give a {noun} name or id")));
    }
    let matcher = NameMatcher::default();
    let mut scored: Vec<(crate::search::Closeness, T)> = records
        .into_iter()
        .filter_map(|r| {
            let best = names(&r)
                .iter()
                .filter(|n| !n.is_empty())
                .filter_map(|n| closeness(&matcher, n, query))
                .min()?;
            Some((best, r))
        })
        .collect();
    let Some(best) = scored.iter().map(|(c, _)| *c).min() else {
        return Err(OpsError::NoMatch(format!(
            "no {noun} matches '{}'",
            escape_line(query)
        )));
    };
    scored.retain(|(c, _)| *c == best);
    if scored.len() == 1 {
        if let Some((_, r)) = scored.pop() {
            return Ok(r);
        }
    }
    let total = scored.len();
    let mut listed: Vec<String> = scored
        .iter()
        .take(MAX_LISTED)
        .map(|(_, r)| show(r))
        .collect();
    if total > MAX_LISTED {
        listed.push(format!("and {} more", total - MAX_LISTED));
    }
    Err(OpsError::Ambiguous(format!(
        "'{}' matches {total} {noun}s: {}; give an id or more of the name",
        escape_line(query),
        listed.join(", ")
    )))
}

/// The goal of `peer` that `text` means: an id (`G4`) or words of its title.
pub fn resolve_goal(store: &dyn Store, peer: &Record<Peer>, text: &str) -> OpsResult<Record<Goal>> {
    if let Ok(id) = text.parse::<GoalId>() {
        let goal = store.goal(id)?;
        if goal.peer != peer.id {
            return Err(OpsError::Refused(format!(
                "goal {id} belongs to another peer ({}), not {} ({})",
                goal.peer,
                escape_line(&peer.display_name),
                peer.id
            )));
        }
        return Ok(goal);
    }
    let goals = store.goals_for_peer(peer.id)?;
    pick(
        "goal",
        text,
        goals,
        |g| vec![g.title.clone()],
        |g| format!("{} \"{}\"", g.id, escape_line(&g.title)),
    )
}

/// The one group `text` means: an id (`GR2`) or words of its name.
pub fn resolve_group(store: &dyn Store, text: &str) -> OpsResult<Record<Group>> {
    if let Ok(id) = text.parse::<GroupId>() {
        return Ok(store.group(id)?);
    }
    pick(
        "group",
        text,
        store.list_groups()?,
        |g| vec![g.name.clone()],
        |g| format!("{} {}", g.id, escape_line(&g.name)),
    )
}
