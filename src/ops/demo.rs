//! A realistic, deterministic synthetic organization for trying caseload
//! and for measuring it: staff, a roster with varied names, recovery plans
//! across life domains, weekly groups and months of check-ins.
//!
//! The same seed and day always give the same data. Everything is written
//! as one bulk load into the empty store (`Store::begin_load`): the roster,
//! plans and groups as its import, then check-ins in chunks, so
//! `--checkins 1000000` runs in constant memory.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::peer::WellnessPlan;
use crate::model::record::Meta;
use crate::model::{
    Actor, CheckIn, CheckInMode, ContactPreference, Goal, GoalId, GoalStatus, Group, GroupSession,
    LifeDomain, Peer, PeerId, PeerStatus, Role, Staff, StaffId, Step, SupportKind,
};
use crate::model::{Entity, Id, Record};
use crate::store::{Counts, Snapshot, Store};

use super::{OpsError, OpsResult};

/// Check-ins written per request of the bulk load.
const CHUNK: usize = crate::store::MAX_BATCH;
/// How far back the demo history reaches, at most.
const HISTORY_DAYS: i64 = 540;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Number of peers.
    pub peers: usize,
    /// Number of check-ins.
    pub checkins: usize,
    /// Seed of the random generator.
    pub seed: u64,
    /// The day the demo treats as today.
    pub today: NaiveDate,
    /// The local offset for check-in times.
    pub offset: FixedOffset,
    /// The login mapped to the first staff member (so the demo opens as them).
    pub login: Option<String>,
}

/// How far generation has got, for a progress indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// What is being written.
    pub stage: &'static str,
    /// Done so far.
    pub done: u64,
    /// Total to do.
    pub total: u64,
}

/// First names the demo (and the search benchmark) draw from: varied
/// scripts and accents.
pub const FIRST_NAMES: &[&str] = &[
    "Ana",
    "María",
    "José",
    "Zoë",
    "Siobhán",
    "Łukasz",
    "Aroha",
    "Oluwaseun",
    "Mei",
    "Wei",
    "Hana",
    "Yusuf",
    "Fatima",
    "Darnell",
    "Keisha",
    "Tyrone",
    "Jasmine",
    "Brandon",
    "Crystal",
    "Miguel",
    "Lucía",
    "Thanh",
    "Linh",
    "Dmitri",
    "Olga",
    "Aaliyah",
    "Marcus",
    "Renée",
    "François",
    "Björn",
    "Søren",
    "Ngozi",
    "Kwame",
    "Priya",
    "Arjun",
    "Sana",
    "Omar",
    "Layla",
    "Tomás",
    "Inés",
    "Chloé",
    "Jamal",
    "Destiny",
    "Cody",
    "Amber",
    "Dustin",
    "Heather",
    "Kyle",
    "Shawna",
    "Travis",
    "Wanda",
    "Earl",
    "Gloria",
    "Ray",
    "Denise",
    "Luis",
    "Rosa",
    "Kai",
    "Noa",
    "Sky",
];
/// Family names the demo (and the search benchmark) draw from.
pub const LAST_NAMES: &[&str] = &[
    "García",
    "Nguyễn",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Rodríguez",
    "Martínez",
    "Hernández",
    "López",
    "González",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Pérez",
    "Thompson",
    "White",
    "Harris",
    "Sánchez",
    "Clark",
    "Ramírez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "O'Connor",
    "Kowalski",
    "Müller",
    "Okafor",
    "Mensah",
    "Haddad",
    "Cohen",
    "Yamamoto",
    "Kim",
    "Park",
    "Chen",
    "Singh",
];
/// Whole names from other scripts, used for the first peers so every demo
/// shows them.
const SPECIAL: &[&str] = &[
    "Nguyễn Thị Lan",
    "李伟",
    "محمد العلي",
    "Zoë Ångström",
    "Aroha Ngata 🌿",
    "Dương Văn Minh",
    "Siobhán Ó Ceallaigh",
    "田中 さくら",
];
const STAFF_NAMES: &[&str] = &[
    "Jordan Reyes",
    "Sam Okoye",
    "Alex Kowalczyk",
    "Robin Chen",
    "Taylor Brooks",
    "Casey Nguyen",
    "Morgan Diallo",
    "Jamie Ortiz",
    "Riley Haddad",
    "Quinn Murphy",
    "Avery Santos",
    "Drew Patel",
];
const PRONOUNS: &[&str] = &["she/her", "he/him", "they/them", "she/they", "he/they"];
const TAGS: &[&str] = &[
    "veteran", "WRAP", "parent", "Spanish", "youth", "reentry", "LGBTQ+",
];
const NOTES: &[&str] = &[
    "Talked about the housing list; feeling hopeful.",
    "Went over the steps for the job application together.",
    "Came by for coffee and stayed for the art group.",
    "Hard week, but used the WRAP plan and called a friend.",
    "Celebrated 90 days! Wants to share at group.",
    "Rode the bus together to the benefits office.",
    "Practiced what to say at the landlord meeting.",
    "Shared resources for the food pantry and clothing closet.",
    "Feeling isolated; made a plan to come to Tuesday group.",
    "Talked through a conflict with family, stayed calm.",
    "Brought the paperwork; we filled out the ID form.",
    "Good energy today, talked about going back to school.",
    "Fue al grupo de arte; se siente mejor.",
    "Checked in by phone; sleeping better this week.",
    "Worried about court date; listened and made a list of questions.",
    "Helped set up reminders for appointments on the phone.",
];

fn goal_titles(d: LifeDomain) -> &'static [&'static str] {
    match d {
        LifeDomain::Housing => &[
            "Get my own apartment",
            "Stay housed through the winter",
            "Get on the housing voucher list",
        ],
        LifeDomain::Employment => &[
            "Find a part-time job I like",
            "Keep my job at the warehouse",
            "Start volunteering at the food bank",
        ],
        LifeDomain::Education => &[
            "Finish my GED",
            "Take a computer class at the library",
            "Learn to drive",
        ],
        LifeDomain::PhysicalHealth => &[
            "Walk every morning",
            "Sleep through the night",
            "Get my teeth fixed",
        ],
        LifeDomain::MentalWellness => &[
            "Feel less anxious on the bus",
            "Use my WRAP when things get hard",
            "Find a counselor I trust",
        ],
        LifeDomain::Recovery => &[
            "Stay sober one day at a time",
            "Go to two meetings a week",
            "Get through the holidays without drinking",
        ],
        LifeDomain::Family => &[
            "See my kids every weekend",
            "Call my mom on Sundays",
            "Rebuild trust with my sister",
        ],
        LifeDomain::Community => &[
            "Make one new friend",
            "Join the art group",
            "Go back to church",
        ],
        LifeDomain::Legal => &["Clear my old warrant", "Finish probation", "Get my ID back"],
        LifeDomain::Financial => &[
            "Open a bank account",
            "Make a budget that works",
            "Apply for SSI",
        ],
        LifeDomain::Other => &["Adopt a cat", "Plant a garden"],
    }
}
const STEPS: &[&str] = &[
    "Call the office",
    "Fill in the form",
    "Bring my papers",
    "Ask my peer specialist to come along",
    "Set a reminder on my phone",
    "Tell someone I trust about it",
];
const GROUPS: &[(&str, Weekday, u32, &str)] = &[
    ("Monday art group", Weekday::Mon, 10, "Art room"),
    ("Tuesday WRAP group", Weekday::Tue, 14, "Room 2"),
    ("Hearing Voices group", Weekday::Wed, 15, "Room 1"),
    ("Thursday recovery circle", Weekday::Thu, 18, "Main hall"),
    ("Friday walking group", Weekday::Fri, 11, "Front door"),
];

struct PeerFacts {
    id: PeerId,
    intake: NaiveDate,
    last_day: NaiveDate,
    active: bool,
    /// The peer's goals with the day each started.
    goals: Vec<(GoalId, NaiveDate)>,
}

fn rng_date(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Duration::days(rng.random_range(0..=span))
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> OpsResult<&'a T> {
    items
        .choose(rng)
        .ok_or_else(|| OpsError::Refused("demo data lists are empty".into()))
}

/// Fills an empty store with a demo organization.
pub fn generate(
    store: &dyn Store,
    actor: &Actor,
    opts: &DemoOptions,
    progress: &mut dyn FnMut(Progress),
) -> OpsResult<Counts> {
    let counts = store.counts()?;
    if counts != Counts::default() {
        return Err(OpsError::Refused(format!(
            "the store at {} already holds data ({}, {}); demo data goes only into an empty store: use another --data-dir",
            store.location(),
            crate::text::count_u64(counts.peers, "peer", "peers"),
            crate::text::count_u64(counts.checkins, "check-in", "check-ins")
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let today = opts.today;
    let start = today - Duration::days(HISTORY_DAYS);

    // Everything but the check-ins is planned in memory with the ids an
    // empty store would give (1, 2, … per kind, in the order they used to
    // be created one at a time, so a seed gives the same data as before)
    // and written as one import: a few transactions instead of one synced
    // transaction per peer and per goal (35,000 at 10,000 peers).
    let mut plan = Plan::new(store.settings()?, actor);
    let staff = make_staff(&mut plan, opts);
    let peers = make_peers(&mut plan, opts, &mut rng, &staff, start, progress)?;
    make_groups_and_sessions(&mut plan, opts, &mut rng, &staff, &peers, progress)?;
    // One bulk load (`Store::begin_load`): all or nothing, synced once
    // at the end instead of after every batch; a demo that does not
    // finish leaves an empty store.
    store.begin_load(plan.snapshot, actor)?;
    let loaded = make_checkins(store, actor, opts, &mut rng, &staff, &peers, progress)?;
    Ok(store.finish_load(loaded, actor)?)
}

/// The records planned so far, with the id each will have.
struct Plan {
    snapshot: Snapshot,
    meta: Meta,
}

impl Plan {
    fn new(settings: crate::model::Settings, actor: &Actor) -> Plan {
        Plan {
            snapshot: Snapshot {
                settings,
                ..Snapshot::default()
            },
            meta: Meta::created(chrono::Utc::now(), actor),
        }
    }

    /// Wraps `data` as the next record of its kind in `list`.
    fn add<E: Entity>(meta: &Meta, list: &mut Vec<Record<E>>, data: E) -> Id<E::Kind> {
        let id = Id::new(list.len() as u64 + 1);
        list.push(Record {
            id,
            meta: meta.clone(),
            data,
        });
        id
    }
}

fn make_staff(plan: &mut Plan, opts: &DemoOptions) -> Vec<StaffId> {
    let n = (opts.peers / 12).clamp(3, STAFF_NAMES.len());
    let mut ids = Vec::with_capacity(n);
    for (i, name) in STAFF_NAMES.iter().take(n).enumerate() {
        let role = match i {
            0 => Role::Admin,
            1 => Role::Supervisor,
            _ => Role::PeerSpecialist,
        };
        let mut s = Staff::new(*name, role);
        if i == 0 {
            s.login = opts.login.clone();
        }
        ids.push(Plan::add(&plan.meta, &mut plan.snapshot.staff, s));
    }
    ids
}

fn make_peers(
    plan: &mut Plan,
    opts: &DemoOptions,
    rng: &mut ChaCha8Rng,
    staff: &[StaffId],
    start: NaiveDate,
    progress: &mut dyn FnMut(Progress),
) -> OpsResult<Vec<PeerFacts>> {
    let today = opts.today;
    let mut out = Vec::with_capacity(opts.peers);
    for i in 0..opts.peers {
        let name = match SPECIAL.get(i) {
            Some(n) if i % 2 == 0 => n.to_string(),
            _ => format!("{} {}", pick(rng, FIRST_NAMES)?, pick(rng, LAST_NAMES)?),
        };
        let intake = rng_date(rng, start, today - Duration::days(3));
        let mut p = Peer::new(name, intake);
        p.pronouns = rng
            .random_bool(0.6)
            .then(|| PRONOUNS[rng.random_range(0..PRONOUNS.len())].to_string());
        p.phone = rng
            .random_bool(0.8)
            .then(|| format!("555-{:04}", rng.random_range(0..10_000)));
        p.preferred_contact = Some(*pick(
            rng,
            &[
                ContactPreference::Phone,
                ContactPreference::Text,
                ContactPreference::InPerson,
                ContactPreference::Email,
            ],
        )?);
        p.assigned_staff = Some(*pick(rng, staff)?);
        p.cadence_days = match rng.random_range(0..100) {
            0..40 => Some(7),
            40..65 => Some(14),
            65..80 => Some(30),
            _ => None,
        };
        if rng.random_bool(0.3) {
            p.tags.push(pick(rng, TAGS)?.to_string());
        }
        if rng.random_bool(0.5) {
            p.emergency_contact = Some(format!(
                "{} (friend) 555-{:04}",
                pick(rng, FIRST_NAMES)?,
                rng.random_range(0..10_000)
            ));
        }
        if rng.random_bool(0.3) {
            p.wellness_plan = WellnessPlan {
                daily_maintenance: vec![
                    "Take a walk after breakfast".into(),
                    "Text my sponsor".into(),
                ],
                triggers: vec!["Money worries at the end of the month".into()],
                early_warning_signs: vec![
                    "Skipping meals".into(),
                    "Not answering the phone".into(),
                ],
                what_helps: vec!["Art group".into(), "Talking it through over coffee".into()],
                who_to_call: vec!["My sister Rosa, 555-0199".into()],
            };
        }
        let roll = rng.random_range(0..100);
        let mut last_day = today;
        if roll >= 85 && (today - intake).num_days() > 20 {
            let status = if roll >= 95 {
                PeerStatus::Discharged
            } else {
                PeerStatus::Inactive
            };
            let since = rng_date(rng, intake + Duration::days(10), today - Duration::days(1));
            let reason = if status == PeerStatus::Discharged {
                "moved out of the area"
            } else {
                "taking a break"
            };
            p.set_status(status, since, Some(reason.into()));
            last_day = since;
        }
        let active = p.is_active();
        let id = Plan::add(&plan.meta, &mut plan.snapshot.peers, p);
        let goals = make_goals(plan, rng, id, intake, today, active)?;
        out.push(PeerFacts {
            id,
            intake,
            last_day,
            active,
            goals,
        });
        if (i + 1) % 500 == 0 || i + 1 == opts.peers {
            progress(Progress {
                stage: "peers",
                done: (i + 1) as u64,
                total: opts.peers as u64,
            });
        }
    }
    Ok(out)
}

fn make_goals(
    plan: &mut Plan,
    rng: &mut ChaCha8Rng,
    peer: PeerId,
    intake: NaiveDate,
    today: NaiveDate,
    active_peer: bool,
) -> OpsResult<Vec<(GoalId, NaiveDate)>> {
    let mut ids = Vec::new();
    for _ in 0..rng.random_range(1..=4) {
        let domain = *pick(rng, crate::model::choice::Choice::ALL)?;
        let title = *pick(rng, goal_titles(domain))?;
        let start = rng_date(rng, intake, today);
        let mut g = Goal::new(peer, domain, title, start);
        g.target_date = Some(start + Duration::days(rng.random_range(30..=240)));
        let steps = rng.random_range(0..=4);
        g.steps = STEPS
            .choose_multiple(rng, steps)
            .map(|t| Step {
                text: t.to_string(),
                done_on: None,
            })
            .collect();
        for i in 0..g.steps.len() {
            if rng.random_bool(0.4) {
                let on = rng_date(rng, start, today);
                g.toggle_step(i, on);
            }
        }
        let roll = rng.random_range(0..100);
        let status = match roll {
            0..70 => GoalStatus::Active,
            70..85 => GoalStatus::Achieved,
            85..95 => GoalStatus::Paused,
            _ => GoalStatus::Dropped,
        };
        if status != GoalStatus::Active && start < today {
            let on = rng_date(rng, start + Duration::days(1), today);
            g.set_status(status, on, None);
        }
        if g.status == GoalStatus::Active && active_peer {
            g.next_review = Some(today + Duration::days(rng.random_range(-6..=45)));
        }
        ids.push((Plan::add(&plan.meta, &mut plan.snapshot.goals, g), start));
    }
    Ok(ids)
}

fn make_groups_and_sessions(
    plan: &mut Plan,
    opts: &DemoOptions,
    rng: &mut ChaCha8Rng,
    staff: &[StaffId],
    peers: &[PeerFacts],
    progress: &mut dyn FnMut(Progress),
) -> OpsResult<()> {
    let today = opts.today;
    let active: Vec<&PeerFacts> = peers.iter().filter(|p| p.active).collect();
    let weeks = 26;
    let total = (GROUPS.len() * weeks) as u64;
    let mut done = 0;
    for (name, weekday, hour, place) in GROUPS {
        let time = NaiveTime::from_hms_opt(*hour, 0, 0).unwrap_or(NaiveTime::MIN);
        let mut g = Group::new(*name, *weekday, time);
        g.location = place.to_string();
        g.facilitator = Some(*pick(rng, staff)?);
        g.minutes = 90;
        let id = Plan::add(&plan.meta, &mut plan.snapshot.groups, g.clone());
        let group = Record {
            id,
            meta: plan.meta.clone(),
            data: g,
        };
        // The latest meeting day before today, then weekly back in time.
        let mut day = today - Duration::days(1);
        while chrono::Datelike::weekday(&day) != *weekday {
            day -= Duration::days(1);
        }
        for _ in 0..weeks {
            let mut s = GroupSession::for_group(group.id, &group, day);
            s.topic = pick(
                rng,
                &[
                    "Self-care",
                    "Hope",
                    "Personal responsibility",
                    "Self-advocacy",
                    "Support",
                    "Open sharing",
                ],
            )?
            .to_string();
            let want = rng.random_range(3..=12).min(active.len());
            let mut tries = 0;
            while s.attendees.len() < want && tries < want * 4 {
                tries += 1;
                let p = pick(rng, &active)?;
                if p.intake <= day {
                    s.add_attendee(p.id);
                }
            }
            Plan::add(&plan.meta, &mut plan.snapshot.sessions, s);
            day -= Duration::days(7);
            done += 1;
        }
        progress(Progress {
            stage: "groups",
            done,
            total,
        });
    }
    Ok(())
}

fn at(offset: FixedOffset, day: NaiveDate, minute_of_day: u32) -> OpsResult<DateTime<FixedOffset>> {
    let t = NaiveTime::from_num_seconds_from_midnight_opt(minute_of_day * 60, 0)
        .ok_or_else(|| OpsError::Refused("bad demo time".into()))?;
    offset
        .from_local_datetime(&day.and_time(t))
        .single()
        .ok_or_else(|| OpsError::Refused("bad demo time".into()))
}

fn random_checkin(
    rng: &mut ChaCha8Rng,
    opts: &DemoOptions,
    staff: &[StaffId],
    peer: &PeerFacts,
    day: NaiveDate,
) -> OpsResult<CheckIn> {
    let when = at(opts.offset, day, rng.random_range(9 * 60..17 * 60))?;
    let mut c = CheckIn::new(peer.id, *pick(rng, staff)?, when);
    c.minutes = *pick(rng, &[5, 10, 15, 15, 15, 20, 30, 30, 45, 60, 90])?;
    c.mode = *pick(
        rng,
        &[
            CheckInMode::InPerson,
            CheckInMode::InPerson,
            CheckInMode::Phone,
            CheckInMode::Text,
            CheckInMode::Video,
            CheckInMode::Outreach,
        ],
    )?;
    for kind in [
        SupportKind::Emotional,
        SupportKind::Informational,
        SupportKind::Instrumental,
        SupportKind::Affiliational,
    ] {
        if rng.random_bool(0.4) {
            c.add_support(kind);
        }
    }
    // Only goals already started by the day of the check-in.
    let started: Vec<GoalId> = peer
        .goals
        .iter()
        .filter(|(_, start)| *start <= day)
        .map(|(id, _)| *id)
        .collect();
    if !started.is_empty() && rng.random_bool(0.4) {
        c.goals.push(*pick(rng, &started)?);
    }
    if rng.random_bool(0.6) {
        c.wellbeing = Some(*pick(rng, &[1, 2, 3, 3, 4, 4, 4, 5, 5])?);
    }
    if rng.random_bool(0.75) {
        c.note = pick(rng, NOTES)?.to_string();
    }
    if rng.random_bool(0.35) {
        c.follow_up = Some(day + Duration::days(rng.random_range(1..=14)));
    }
    Ok(c)
}

fn make_checkins(
    store: &dyn Store,
    actor: &Actor,
    opts: &DemoOptions,
    rng: &mut ChaCha8Rng,
    staff: &[StaffId],
    peers: &[PeerFacts],
    progress: &mut dyn FnMut(Progress),
) -> OpsResult<u64> {
    if peers.is_empty() || opts.checkins == 0 {
        return Ok(0);
    }
    let today = opts.today;
    let total = opts.checkins;
    // A few shaped contacts so that Today shows every kind of row: some
    // peers seen today, some with a follow-up due today or overdue.
    let shaped = (total / 20).min(peers.len() / 4).min(200);
    let mut batch = Vec::with_capacity(CHUNK);
    let mut written = 0usize;
    let mut flush = |batch: &mut Vec<CheckIn>, written: &mut usize| -> OpsResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        *written += batch.len();
        store.load_checkins(std::mem::take(batch), actor)?;
        progress(Progress {
            stage: "check-ins",
            done: *written as u64,
            total: total as u64,
        });
        Ok(())
    };
    // Who and which day first, then the check-ins in day order: a real
    // store fills in time order, and so the record tree, the by-day index
    // and the trail grow at their ends instead of at random pages (8 bytes
    // a check-in held meanwhile: 8 MB at a million).
    let mut planned: Vec<(i32, u32)> = Vec::with_capacity(total - shaped);
    for _ in 0..total - shaped {
        let index = rng.random_range(0..peers.len());
        let peer = &peers[index];
        let last = if peer.active {
            today - Duration::days(1)
        } else {
            peer.last_day
        };
        if last < peer.intake {
            continue;
        }
        let day = rng_date(rng, peer.intake, last);
        let days = i32::try_from((day - today).num_days()).unwrap_or(i32::MIN);
        planned.push((days, u32::try_from(index).unwrap_or(u32::MAX)));
    }
    planned.sort_by_key(|&(days, _)| days);
    for (days, index) in planned {
        let Some(peer) = peers.get(index as usize) else {
            continue;
        };
        let day = today + Duration::days(i64::from(days));
        batch.push(random_checkin(rng, opts, staff, peer, day)?);
        if batch.len() == CHUNK {
            flush(&mut batch, &mut written)?;
        }
    }
    let active: Vec<&PeerFacts> = peers.iter().filter(|p| p.active).collect();
    for i in 0..shaped {
        let Some(peer) = active.get(i % active.len().max(1)) else {
            break;
        };
        let mut c;
        match i % 3 {
            0 => {
                // Seen today, earlier in the day.
                c = random_checkin(rng, opts, staff, peer, today)?;
                c.at = at(opts.offset, today, 9 * 60 + (i as u32 % 120))?;
                c.follow_up = None;
            }
            1 => {
                // Follow-up due today.
                let day = today - Duration::days(rng.random_range(1..=7));
                c = random_checkin(rng, opts, staff, peer, day.max(peer.intake))?;
                c.at = at(opts.offset, day.max(peer.intake), 16 * 60 + 59)?;
                c.follow_up = Some(today);
            }
            _ => {
                // Follow-up already overdue.
                let day = today - Duration::days(rng.random_range(8..=20));
                c = random_checkin(rng, opts, staff, peer, day.max(peer.intake))?;
                c.at = at(opts.offset, day.max(peer.intake), 16 * 60 + 59)?;
                c.follow_up =
                    Some(today - Duration::days(rng.random_range(1..=5)).min(today - c.day()));
            }
        }
        batch.push(c);
        if batch.len() == CHUNK {
            flush(&mut batch, &mut written)?;
        }
    }
    flush(&mut batch, &mut written)?;
    Ok(written as u64)
}
