//! `Arc<dyn Store>` is itself a store, so code written against `&dyn Store`
//! takes a shared store as it is (`&store` where `store: Arc<dyn Store>`).

use std::collections::HashMap;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{
    Actor, CheckIn, CheckInId, Goal, GoalId, Group, GroupId, GroupSession, Peer, PeerId, Record,
    SessionId, Settings, Staff, StaffId,
};
use crate::store::{
    AuditEntry, AuditEvent, AuditFilter, Change, Counts, Snapshot, Store, StoreResult,
};

impl Store for Arc<dyn Store> {
    fn location(&self) -> String {
        (**self).location()
    }
    fn counts(&self) -> StoreResult<Counts> {
        (**self).counts()
    }
    fn settings(&self) -> StoreResult<Settings> {
        (**self).settings()
    }
    fn save_settings(&self, settings: &Settings, actor: &Actor) -> StoreResult<()> {
        (**self).save_settings(settings, actor)
    }
    fn create_staff(&self, staff: Staff, actor: &Actor) -> StoreResult<Record<Staff>> {
        (**self).create_staff(staff, actor)
    }
    fn update_staff(&self, staff: &Record<Staff>, actor: &Actor) -> StoreResult<Record<Staff>> {
        (**self).update_staff(staff, actor)
    }
    fn staff(&self, id: StaffId) -> StoreResult<Record<Staff>> {
        (**self).staff(id)
    }
    fn list_staff(&self) -> StoreResult<Vec<Record<Staff>>> {
        (**self).list_staff()
    }
    fn create_peer(&self, peer: Peer, actor: &Actor) -> StoreResult<Record<Peer>> {
        (**self).create_peer(peer, actor)
    }
    fn update_peer(&self, peer: &Record<Peer>, actor: &Actor) -> StoreResult<Record<Peer>> {
        (**self).update_peer(peer, actor)
    }
    fn delete_peer(&self, id: PeerId, actor: &Actor) -> StoreResult<()> {
        (**self).delete_peer(id, actor)
    }
    fn peer(&self, id: PeerId) -> StoreResult<Record<Peer>> {
        (**self).peer(id)
    }
    fn list_peers(&self) -> StoreResult<Vec<Record<Peer>>> {
        (**self).list_peers()
    }
    fn create_goal(&self, goal: Goal, actor: &Actor) -> StoreResult<Record<Goal>> {
        (**self).create_goal(goal, actor)
    }
    fn update_goal(&self, goal: &Record<Goal>, actor: &Actor) -> StoreResult<Record<Goal>> {
        (**self).update_goal(goal, actor)
    }
    fn delete_goal(&self, id: GoalId, actor: &Actor) -> StoreResult<()> {
        (**self).delete_goal(id, actor)
    }
    fn goal(&self, id: GoalId) -> StoreResult<Record<Goal>> {
        (**self).goal(id)
    }
    fn goals_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<Goal>>> {
        (**self).goals_for_peer(peer)
    }
    fn goals_due_for_review(&self, date: NaiveDate) -> StoreResult<Vec<Record<Goal>>> {
        (**self).goals_due_for_review(date)
    }
    fn create_checkin(&self, checkin: CheckIn, actor: &Actor) -> StoreResult<Record<CheckIn>> {
        (**self).create_checkin(checkin, actor)
    }
    fn create_checkins(
        &self,
        checkins: Vec<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).create_checkins(checkins, actor)
    }
    fn update_checkin(
        &self,
        checkin: &Record<CheckIn>,
        actor: &Actor,
    ) -> StoreResult<Record<CheckIn>> {
        (**self).update_checkin(checkin, actor)
    }
    fn delete_checkin(&self, id: CheckInId, actor: &Actor) -> StoreResult<()> {
        (**self).delete_checkin(id, actor)
    }
    fn checkin(&self, id: CheckInId) -> StoreResult<Record<CheckIn>> {
        (**self).checkin(id)
    }
    fn recent_checkins(&self, peer: PeerId, limit: usize) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).recent_checkins(peer, limit)
    }
    fn checkins_for_peer_between(
        &self,
        peer: PeerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).checkins_for_peer_between(peer, from, to)
    }
    fn checkins_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).checkins_on(date)
    }
    fn checkins_for_goal(&self, goal: GoalId) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).checkins_for_goal(goal)
    }
    fn last_checkins_before(
        &self,
        before: DateTime<Utc>,
    ) -> StoreResult<HashMap<PeerId, Record<CheckIn>>> {
        (**self).last_checkins_before(before)
    }
    fn followups_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).followups_between(from, to)
    }
    fn checkins_page(
        &self,
        after: Option<CheckInId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<CheckIn>>> {
        (**self).checkins_page(after, limit)
    }
    fn create_group(&self, group: Group, actor: &Actor) -> StoreResult<Record<Group>> {
        (**self).create_group(group, actor)
    }
    fn update_group(&self, group: &Record<Group>, actor: &Actor) -> StoreResult<Record<Group>> {
        (**self).update_group(group, actor)
    }
    fn group(&self, id: GroupId) -> StoreResult<Record<Group>> {
        (**self).group(id)
    }
    fn list_groups(&self) -> StoreResult<Vec<Record<Group>>> {
        (**self).list_groups()
    }
    fn create_session(
        &self,
        session: GroupSession,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>> {
        (**self).create_session(session, actor)
    }
    fn update_session(
        &self,
        session: &Record<GroupSession>,
        actor: &Actor,
    ) -> StoreResult<Record<GroupSession>> {
        (**self).update_session(session, actor)
    }
    fn delete_session(&self, id: SessionId, actor: &Actor) -> StoreResult<()> {
        (**self).delete_session(id, actor)
    }
    fn session(&self, id: SessionId) -> StoreResult<Record<GroupSession>> {
        (**self).session(id)
    }
    fn sessions_for_group(&self, group: GroupId) -> StoreResult<Vec<Record<GroupSession>>> {
        (**self).sessions_for_group(group)
    }
    fn sessions_on(&self, date: NaiveDate) -> StoreResult<Vec<Record<GroupSession>>> {
        (**self).sessions_on(date)
    }
    fn sessions_for_peer(&self, peer: PeerId) -> StoreResult<Vec<Record<GroupSession>>> {
        (**self).sessions_for_peer(peer)
    }
    fn sessions_page(
        &self,
        after: Option<SessionId>,
        limit: usize,
    ) -> StoreResult<Vec<Record<GroupSession>>> {
        (**self).sessions_page(after, limit)
    }
    fn import(&self, snapshot: Snapshot, actor: &Actor) -> StoreResult<Counts> {
        (**self).import(snapshot, actor)
    }
    fn subscribe(&self) -> Option<Receiver<Change>> {
        (**self).subscribe()
    }
    fn record_event(&self, event: AuditEvent, actor: &Actor) -> StoreResult<()> {
        (**self).record_event(event, actor)
    }
    fn audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        (**self).audit(filter)
    }
    fn sign_in(&self, staff: StaffId, pin: &str) -> StoreResult<Option<Record<Staff>>> {
        (**self).sign_in(staff, pin)
    }
}
