//! Each rule the CLI and the UI share gives the same answer from both
//! paths: called as the CLI command calls it (the binary, or the `ops`
//! function its handler calls) and as the UI worker does (`handle` with the
//! request the screen sends).

use std::path::Path;

use assert_cmd::Command;
use caseload::model::dates::parse_weekday;
use caseload::model::{
    Actor, CheckIn, Goal, GoalStatus, Group, LifeDomain, Peer, PeerId, Record, Role, Staff, StaffId,
};
use caseload::ops::checkin::log_checkin;
use caseload::ops::groups::attend;
use caseload::ops::lookup::resolve_goal;
use caseload::ops::plan::new_steps;
use caseload::store::{SledStore, Store};
use caseload::ui::worker::groups::{GroupsRequest, GroupsResponse};
use caseload::ui::worker::plan::{PlanRequest, PlanResponse};
use caseload::ui::worker::{handle, Request, Response};
use chrono::{Duration, NaiveTime, Utc, Weekday};
use serde_json::Value;
use tempfile::TempDir;

fn caseload(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("caseload").expect("binary built");
    c.arg("--data-dir").arg(dir);
    c.env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        // The private service exits once the command is done, so that the
        // test may then open the store's files itself.
        .env("CASELOAD_SERVICE_IDLE_SECS", "0");
    c
}

fn actor() -> Actor {
    Actor::staff(StaffId::new(1), "test")
}

struct World {
    dir: TempDir,
    ana: PeerId,
    dana: PeerId,
}

impl World {
    fn new() -> World {
        let dir = TempDir::new().expect("temp dir");
        let (ana, dana) = {
            let store = SledStore::open(dir.path()).expect("open");
            let setup = Actor::login("setup");
            store
                .create_staff(Staff::new("Jordan Reyes", Role::PeerSpecialist), &setup)
                .expect("staff");
            let today = Utc::now().date_naive();
            let ana = store
                .create_peer(Peer::new("Ana Ruiz", today - Duration::days(90)), &setup)
                .expect("peer")
                .id;
            let dana = store
                .create_peer(Peer::new("Dana Ortiz", today - Duration::days(90)), &setup)
                .expect("peer")
                .id;
            (ana, dana)
        };
        World { dir, ana, dana }
    }

    /// The store, open for as long as the closure runs (the binary cannot
    /// open it meanwhile: sled holds one process's lock).
    fn with<T>(&self, f: impl FnOnce(&SledStore) -> T) -> T {
        let store = SledStore::open(self.dir.path()).expect("open");
        f(&store)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn goal(store: &dyn Store, peer: PeerId, title: &str, status: GoalStatus) -> Record<Goal> {
    let start = Utc::now().date_naive() - Duration::days(30);
    let mut g = store
        .create_goal(Goal::new(peer, LifeDomain::Housing, title, start), &actor())
        .expect("goal");
    if status != GoalStatus::Active {
        g.data.set_status(status, start + Duration::days(1), None);
        g = store.update_goal(&g, &actor()).expect("status");
    }
    g
}

#[test]
fn the_attendance_duplicate_rule_answers_alike_from_cli_and_ui() {
    let w = World::new();
    let date = Utc::now().date_naive();
    w.with(|store| {
        let group = store
            .create_group(
                Group::new(
                    "Art",
                    Weekday::Mon,
                    NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
                ),
                &actor(),
            )
            .expect("group");
        attend(store, &actor(), &group, date, &[w.ana]).expect("first attendance");
        for add in [vec![w.ana], vec![w.dana, w.dana]] {
            // As `caseload group attend` calls it.
            let cli = attend(store, &actor(), &group, date, &add)
                .expect_err("refused")
                .to_string();
            // As the Groups screen's save does.
            let ui = match handle(
                store,
                Request::Groups(GroupsRequest::Save {
                    group: group.id,
                    date,
                    add: add.clone(),
                    remove: vec![],
                    walk_ins: vec![],
                    topic: String::new(),
                    note: String::new(),
                    actor: actor(),
                }),
            ) {
                Response::Groups(g) => match *g {
                    GroupsResponse::Saved(r) => r.expect_err("refused").message,
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            };
            assert_eq!(cli, ui);
            assert!(cli.starts_with("attendees: "), "{cli}");
            assert!(
                cli.contains("already checked off") || cli.contains("named twice"),
                "{cli}"
            );
        }
        // Nothing half-saved: Ana alone is checked off.
        let s = store.sessions_on(date).expect("sessions");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].attendees, vec![w.ana]);
    });
}

#[test]
fn the_step_rule_answers_alike_from_cli_and_ui() {
    let w = World::new();
    w.with(|store| {
        let g = goal(store, w.ana, "Get my own place", GoalStatus::Active);
        for text in ["", "   ", "\t", "Call the office", "  Fill in the form  "] {
            // As `caseload goal add --step TEXT` reads it.
            let cli = new_steps(&[text.to_string()]).map(|s| s[0].text.clone());
            // As the plan tab's "add step" saves it.
            let ui = match handle(
                store,
                Request::Plan(PlanRequest::AddStep {
                    goal: g.id,
                    text: text.to_string(),
                    actor: actor(),
                }),
            ) {
                Response::Plan(p) => match *p {
                    PlanResponse::Goal(r) => {
                        r.map(|(g, _)| g.steps.last().map(|s| s.text.clone()).unwrap_or_default())
                    }
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            };
            match (&cli, &ui) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
                (Err(a), Err(b)) => {
                    assert_eq!(a.to_string(), b.message, "{text:?}");
                    assert_eq!(b.message, "step: must not be empty");
                }
                _ => panic!("{text:?}: CLI {cli:?}, UI {ui:?}"),
            }
        }
    });
    // And the binary refuses an empty --step, naming the field.
    let out = caseload(w.path())
        .args([
            "goal",
            "add",
            "P1",
            "Work",
            "--domain",
            "employment",
            "--step",
            "  ",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("step: must not be empty"), "{err}");
}

#[test]
fn weekday_parsing_answers_alike_from_cli_and_ui() {
    let w = World::new();
    let inputs = [
        "tue", "Tuesday", " MON ", "sun", "funday", "", "tues", "7", "fri",
    ];
    for (i, text) in inputs.iter().enumerate() {
        // As the UI's group form reads it.
        let ui = parse_weekday("weekday", text).ok();
        // As `caseload group add --weekday TEXT` reads it.
        let name = format!("Group {i}");
        let out = caseload(w.path())
            .args(["group", "add", &name, "--weekday", text, "--time", "10:00"])
            .output()
            .expect("runs");
        let cli = if out.status.success() {
            let list = caseload(w.path())
                .args(["group", "list", "--json"])
                .output()
                .expect("runs");
            let groups: Value = serde_json::from_slice(&list.stdout).expect("json");
            let day = groups
                .as_array()
                .and_then(|gs| gs.iter().find(|g| g["data"]["name"] == name.as_str()))
                .map(|g| g["data"]["weekday"].as_str().unwrap_or("").to_string())
                .expect("saved group");
            Some(day.parse::<Weekday>().expect("weekday"))
        } else {
            assert_eq!(out.status.code(), Some(2), "{text:?}");
            None
        };
        assert_eq!(cli, ui, "{text:?}");
    }
}

#[test]
fn the_goals_a_check_in_may_touch_are_the_same_for_cli_and_ui() {
    let w = World::new();
    w.with(|store| {
        let goals = [
            goal(store, w.ana, "Own place", GoalStatus::Active),
            goal(store, w.ana, "Driving licence", GoalStatus::Paused),
            goal(store, w.ana, "Choir", GoalStatus::Achieved),
            goal(store, w.ana, "Night class", GoalStatus::Dropped),
        ];
        // As the check-in form offers them.
        let offered: Vec<_> = match handle(store, Request::Goals(w.ana)) {
            Response::Goals(_, r) => r.expect("goals").into_iter().map(|g| g.id).collect(),
            other => panic!("{other:?}"),
        };
        let peer = store.peer(w.ana).expect("peer");
        for g in &goals {
            // As `caseload log P1 --goal G…` records it.
            let resolved = resolve_goal(store, &peer, &g.id.to_string()).expect("resolves");
            let mut c = CheckIn::new(w.ana, StaffId::new(1), caseload::ops::local_now());
            c.goals = vec![resolved.id];
            let cli = log_checkin(store, &actor(), c.clone());
            // As the check-in form's save does.
            let ui = match handle(
                store,
                Request::SaveCheckIn {
                    checkin: c,
                    actor: actor(),
                    confirmed: false,
                },
            ) {
                Response::Saved(r) => r,
                other => panic!("{other:?}"),
            };
            assert_eq!(cli.is_ok(), offered.contains(&g.id), "{}", g.title);
            assert_eq!(cli.is_ok(), ui.is_ok(), "{}", g.title);
            if let (Err(a), Err(b)) = (&cli, &ui) {
                assert_eq!(a.to_string(), b.message);
                assert!(b.message.starts_with("goals: goal "), "{b}");
                assert!(b.message.contains("active goals only"), "{b}");
            }
        }
        assert_eq!(offered, vec![goals[0].id]);
    });
}

#[test]
fn last_contact_is_the_same_in_peer_list_and_the_roster() {
    let w = World::new();
    let now = caseload::ops::local_now();
    w.with(|store| {
        // Ana: seen three days ago and (logged ahead, within the day a
        // check-in may be ahead) twenty hours from now.
        for at in [now - Duration::days(3), now + Duration::hours(20)] {
            log_checkin(store, &actor(), CheckIn::new(w.ana, StaffId::new(1), at)).expect("saved");
        }
        // Dana: seen yesterday.
        log_checkin(
            store,
            &actor(),
            CheckIn::new(w.dana, StaffId::new(1), now - Duration::days(1)),
        )
        .expect("saved");
    });
    // As `caseload peer list` shows it.
    let out = caseload(w.path())
        .args(["peer", "list"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let cli_last = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string)
            .expect("row")
    };
    // As the roster shows it.
    let rows = w.with(|store| match handle(store, Request::Roster) {
        Response::Roster(r) => r.expect("roster"),
        other => panic!("{other:?}"),
    });
    for (peer, label) in [(w.ana, "P1"), (w.dana, "P2")] {
        let ui = rows
            .iter()
            .find(|r| r.id == peer)
            .and_then(|r| r.last_contact)
            .map(|d| d.to_string())
            .expect("last contact");
        assert_eq!(cli_last(label), ui, "{label}");
    }
    let ana_last = (now + Duration::hours(20)).date_naive().to_string();
    assert_eq!(cli_last("P1"), ana_last);
}

#[test]
fn goal_status_order_is_the_same_on_the_peer_page_and_the_plan_tab() {
    let w = World::new();
    w.with(|store| {
        for (t, s) in [
            ("d", GoalStatus::Dropped),
            ("a", GoalStatus::Achieved),
            ("p", GoalStatus::Paused),
            ("x", GoalStatus::Active),
        ] {
            goal(store, w.ana, t, s);
        }
        // As `caseload peer show` orders them.
        let overview = caseload::ops::peer::peer_overview(store, w.ana).expect("overview");
        let cli: Vec<GoalStatus> = overview.goals.iter().map(|g| g.status).collect();
        // As the plan tab orders them (one domain here).
        let ui: Vec<GoalStatus> = caseload::ui::screens::plan::ordered(&overview.goals)
            .iter()
            .map(|g| g.status)
            .collect();
        assert_eq!(cli, ui);
        assert_eq!(
            cli,
            vec![
                GoalStatus::Active,
                GoalStatus::Paused,
                GoalStatus::Achieved,
                GoalStatus::Dropped
            ]
        );
    });
}

#[test]
fn date_windows_answer_alike_from_cli_and_ui() {
    let w = World::new();
    // A goal's target ten years and more ahead: `goal add --target` and
    // the UI's goal form are both refused, naming the field.
    let far = "9999-12-31";
    let out = caseload(w.path())
        .args([
            "goal", "add", "P1", "Housing", "--domain", "housing", "--target", far,
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let cli = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(cli.contains("--target: '9999-12-31'"), "{cli}");
    let today = caseload::ops::local_now().date_naive();
    w.with(|store| {
        let mut g = Goal::new(w.ana, LifeDomain::Housing, "Housing", today);
        g.target_date = Some(far.parse().expect("date"));
        let ui = match handle(
            store,
            Request::Plan(PlanRequest::AddGoal {
                goal: g,
                today,
                actor: actor(),
            }),
        ) {
            Response::Plan(p) => match *p {
                PlanResponse::Goal(r) => r.expect_err("refused").message,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        assert!(ui.starts_with("target date: '9999-12-31'"), "{ui}");
        // The same window, worded alike after the field name.
        let why = |s: &str| s.split_once("' (").map(|(_, r)| r.trim().to_string());
        assert_eq!(why(&ui), why(cli.lines().next().unwrap_or("")));
        assert!(store.goals_for_peer(w.ana).expect("goals").is_empty());
    });
    // A check-in three days ahead: `log --at +3d` and the check-in form's
    // save are both refused.
    let out = caseload(w.path())
        .args(["log", "P1", "--at", "+3d"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let cli = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(cli.contains("--at: '+3d'"), "{cli}");
    assert!(cli.contains("more than a day after now"), "{cli}");
    w.with(|store| {
        let at = caseload::ops::local_now() + Duration::days(3);
        let ui = match handle(
            store,
            Request::SaveCheckIn {
                checkin: CheckIn::new(w.ana, StaffId::new(1), at),
                actor: actor(),
                confirmed: false,
            },
        ) {
            Response::Saved(r) => r.expect_err("refused").message,
            other => panic!("{other:?}"),
        };
        assert!(ui.starts_with("at: "), "{ui}");
        assert!(ui.contains("more than a day after now"), "{ui}");
        assert!(store
            .recent_checkins(w.ana, 10)
            .expect("check-ins")
            .is_empty());
    });
}
