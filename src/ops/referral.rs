//! Resources, referrals and the take-home card: the operations the
//! command line (`caseload resource|refer|referral|card`) and the terminal
//! UI (Resources screen, the check-in form's and peer page's referrals)
//! share, so the two cannot disagree.

use chrono::NaiveDate;

use crate::model::card::{render_card, CardGroup, CardInput};
use crate::model::referral::ReferralFigures;
use crate::model::{
    CheckInId, GoalStatus, PeerId, Record, Referral, ReferralId, ReferralStatus, Resource,
    ResourceId, StaffId,
};
use crate::search::NameMatcher;
use crate::store::{Store, MAX_PAGE};

use super::OpsResult;

/// Adds a directory entry (checked field by field by the store).
pub fn add_resource(
    store: &dyn Store,
    resource: Resource,
    actor: &crate::model::Actor,
) -> OpsResult<Record<Resource>> {
    Ok(store.create_resource(resource, actor)?)
}

/// Directory entries matching `query` (name, category and address,
/// fuzzily, accents folded), best first; every entry by name when the
/// query is empty. Inactive entries only when `with_inactive`.
pub fn search_resources<'a>(
    resources: &'a [Record<Resource>],
    query: &str,
    with_inactive: bool,
) -> Vec<&'a Record<Resource>> {
    let shown: Vec<&Record<Resource>> = resources
        .iter()
        .filter(|r| with_inactive || r.active)
        .collect();
    if query.trim().is_empty() {
        let mut all = shown;
        all.sort_by_key(|r| (crate::model::names::fold(&r.name), r.id));
        return all;
    }
    // Name, category and address folded; the id or phone number whole (the
    // one rule of every search, `search::SearchKeys`).
    let texts: Vec<String> = shown.iter().map(|r| r.search_text()).collect();
    let keys: Vec<crate::search::SearchKeys> = shown
        .iter()
        .map(|r| crate::search::SearchKeys::of_resource(r))
        .collect();
    NameMatcher::default()
        .rank_keyed(
            query,
            texts.iter().zip(&keys).map(|(t, k)| (t.as_str(), k, true)),
        )
        .into_iter()
        .map(|i| shown[i])
        .collect()
}

/// A referral to make: who, to what, when, by whom, with what note, and
/// the check-in it comes from (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    /// Who is referred.
    pub peer: PeerId,
    /// To what.
    pub resource: ResourceId,
    /// When.
    pub date: NaiveDate,
    /// The staff member making it.
    pub by: Option<StaffId>,
    /// A note for the history.
    pub note: String,
    /// The check-in it was made at.
    pub checkin: Option<CheckInId>,
}

/// Makes a referral. The peer and resource must exist, the resource be
/// active; nothing is saved otherwise.
pub fn refer(
    store: &dyn Store,
    new: NewReferral,
    actor: &crate::model::Actor,
) -> OpsResult<Record<Referral>> {
    let NewReferral {
        peer,
        resource,
        date,
        by,
        note,
        checkin,
    } = new;
    let target = store.resource(resource)?;
    if !target.active {
        return Err(super::OpsError::Refused(format!(
            "resource: {} ({}) is inactive; reactivate it or pick another",
            target.id,
            crate::text::escape_line(&target.name)
        )));
    }
    let mut r = Referral::new(peer, resource, date, by, note);
    r.checkin = checkin;
    Ok(store.create_referral(r, actor)?)
}

/// Records a referral's new status on `date` with a note; refused (naming
/// the field, nothing saved) when the date is before its latest change.
pub fn set_status(
    store: &dyn Store,
    id: ReferralId,
    status: ReferralStatus,
    date: NaiveDate,
    note: &str,
    by: Option<StaffId>,
    actor: &crate::model::Actor,
) -> OpsResult<Record<Referral>> {
    let mut r = store.referral(id)?;
    r.set_status(status, date, note, by)?;
    Ok(store.update_referral(&r, actor)?)
}

/// Every referral, by id (read page by page).
pub fn all_referrals(store: &dyn Store) -> OpsResult<Vec<Record<Referral>>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store.referrals_page(after, MAX_PAGE)?;
        let short = page.len() < MAX_PAGE;
        after = page.last().map(|r| r.id);
        out.extend(page);
        if short || after.is_none() {
            return Ok(out);
        }
    }
}

/// The report's referral figures: referrals made from `from` to `to`
/// (inclusive), made by `staff` if the report is limited to them.
pub fn report_figures(
    store: &dyn Store,
    from: NaiveDate,
    to: NaiveDate,
    staff: Option<StaffId>,
) -> OpsResult<ReferralFigures> {
    let mut figures = ReferralFigures::default();
    let referrals = all_referrals(store)?;
    if referrals.is_empty() {
        return Ok(figures);
    }
    let resources = store.list_resources()?;
    for r in referrals
        .iter()
        .filter(|r| r.date >= from && r.date <= to)
        .filter(|r| staff.is_none() || r.by == staff)
    {
        let category = resources
            .iter()
            .find(|x| x.id == r.resource)
            .map(|x| x.category);
        figures.count(r, category);
    }
    Ok(figures)
}

/// The take-home card of `peer` as of `today`: their own goals and next
/// steps, what helps from their wellness plan, their groups' next
/// meetings, and the crisis and after-hours resources. Never a staff
/// note. Reading it is on the audit trail like opening the peer.
pub fn card(store: &dyn Store, peer: PeerId, today: NaiveDate) -> OpsResult<String> {
    let p = store.peer(peer)?;
    let settings = store.settings()?;
    let goals: Vec<_> = store
        .goals_for_peer(p.id)?
        .into_iter()
        .filter(|g| g.status == GoalStatus::Active)
        .collect();
    // The groups they attend: those with a live session they came to,
    // still meeting.
    let mut group_ids = Vec::new();
    for s in store.sessions_for_peer(p.id)? {
        if s.voided.is_none() && !group_ids.contains(&s.group) {
            group_ids.push(s.group);
        }
    }
    let mut groups = Vec::new();
    for g in store.list_groups()? {
        if g.active && group_ids.contains(&g.id) {
            groups.push(CardGroup {
                name: g.name.clone(),
                next: next_meeting(today, g.weekday),
                time: g.time,
                location: g.location.clone(),
            });
        }
    }
    groups.sort_by_key(|g| (g.next, g.time));
    let mut resources: Vec<Resource> = store
        .list_resources()?
        .into_iter()
        .filter(|r| r.on_card())
        .map(|r| r.data)
        .collect();
    // Crisis lines first, then the after-hours ones, each by name.
    resources.sort_by_key(|r| {
        (
            r.category != crate::model::ResourceCategory::Crisis,
            crate::model::names::fold(&r.name),
        )
    });
    Ok(render_card(&CardInput {
        organization: &settings.organization_name,
        peer: &p.display_name,
        date: today,
        goals: &goals.iter().map(|g| g.data.clone()).collect::<Vec<_>>(),
        what_helps: &p.wellness_plan.what_helps,
        groups: &groups,
        resources: &resources,
    }))
}

/// Writes a card to `path` through the private atomic-file path (0600,
/// never through a link, replaced in one step): a card names the peer.
pub fn save_card(path: &std::path::Path, text: &str) -> OpsResult<std::path::PathBuf> {
    use std::io::Write;
    let fail = |e: std::io::Error| super::OpsError::Io(e.to_string());
    let mut file = crate::fsutil::AtomicFile::begin(path).map_err(fail)?;
    file.file().write_all(text.as_bytes()).map_err(fail)?;
    file.commit().map_err(fail)
}

/// The first day on or after `today` that falls on `weekday`.
fn next_meeting(today: NaiveDate, weekday: chrono::Weekday) -> NaiveDate {
    use chrono::Datelike;
    let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today + chrono::Duration::days(i64::from(ahead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_meeting_is_today_or_later_in_the_week() {
        let tue: NaiveDate = "2026-03-03".parse().unwrap();
        assert_eq!(next_meeting(tue, chrono::Weekday::Tue), tue);
        assert_eq!(
            next_meeting(tue, chrono::Weekday::Mon),
            "2026-03-09".parse::<NaiveDate>().unwrap()
        );
        assert_eq!(
            next_meeting(tue, chrono::Weekday::Fri),
            "2026-03-06".parse::<NaiveDate>().unwrap()
        );
    }

    #[test]
    fn search_finds_by_category_and_folds_accents() {
        use crate::model::{Actor, Meta, ResourceCategory};
        let meta = Meta::created(chrono::Utc::now(), &Actor::login("t"));
        let rec = |id, name: &str, c| Record {
            id: ResourceId::new(id),
            meta: meta.clone(),
            data: Resource::new(name, c),
        };
        let list = vec![
            rec(1, "Café Hope", ResourceCategory::Food),
            rec(2, "Tenant legal clinic", ResourceCategory::Legal),
        ];
        let hits = search_resources(&list, "cafe", false);
        assert_eq!(hits.first().map(|r| r.id), Some(ResourceId::new(1)));
        let hits = search_resources(&list, "legal", false);
        assert_eq!(hits.first().map(|r| r.id), Some(ResourceId::new(2)));
        assert_eq!(search_resources(&list, "", false).len(), 2);
        // The id, or the phone number whole, names one entry.
        let ids: Vec<ResourceId> = search_resources(&list, "rs2", false)
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, vec![ResourceId::new(2)]);
    }
}
