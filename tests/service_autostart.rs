//! The store service that starts itself: nobody runs `caseload serve`,
//! yet every command and the UI share one store. Racing starts end with
//! one service; a killed service loses nothing acknowledged and comes back
//! with the next command; it exits when idle; a store that cannot be
//! opened says why; `caseload serve` takes over; SIGTERM and SIGHUP to the
//! UI give the terminal back clean.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use caseload::server::{socket_path, RemoteStore};
use caseload::store::Store;

mod server_support;
mod tmux_support;

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

/// `caseload --data-dir DIR ARGS` with the service's idle time `idle`.
fn caseload(dir: &Path, idle: u64) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir")
        .arg(dir)
        .env("CASELOAD_SERVICE_IDLE_SECS", idle.to_string())
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_PIN")
        .env_remove("CASELOAD_DATA_DIR")
        .stdin(Stdio::null());
    c
}

fn run_ok(dir: &Path, idle: u64, args: &[&str]) -> Output {
    let out = caseload(dir, idle)
        .args(args)
        .output()
        .expect("run caseload");
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Process ids of live (not zombie) processes whose command line passes
/// `wanted`, from /proc.
fn processes(wanted: impl Fn(&str) -> bool) -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let state = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let zombie = state
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
        if !zombie && wanted(&String::from_utf8_lossy(&cmdline)) {
            pids.push(pid);
        }
    }
    pids
}

/// Process ids of the private services running for `dir`.
fn services(dir: &Path) -> Vec<u32> {
    let want = format!(
        "__service\0{}\0",
        std::path::absolute(dir).unwrap().display()
    );
    processes(|cmdline| cmdline.contains(&want))
}

/// UI processes (not services) running for `dir`.
fn uis(dir: &Path) -> Vec<u32> {
    let want = format!("--data-dir\0{}\0", dir.display());
    processes(|cmdline| {
        cmdline.starts_with(BIN) && cmdline.contains(&want) && !cmdline.contains("__service")
    })
}

fn alive(pid: u32) -> bool {
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    !state.is_empty()
        && !state
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(ok.success(), "kill -{sig} {pid}");
}

/// Polls `f` every 20 ms for up to `secs` seconds.
fn within(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}

/// Stops the service of `dir` (SIGTERM) and waits until it is gone.
fn stop_services(dir: &Path) {
    for pid in services(dir) {
        signal(pid, "TERM");
        assert!(within(30, || !alive(pid)), "service {pid} did not stop");
    }
}

#[test]
fn two_processes_racing_to_start_end_with_one_service() {
    for round in 0..3 {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("store");
        let children: Vec<_> = (0..4)
            .map(|i| {
                caseload(&dir, 60)
                    .args(if i % 2 == 0 {
                        vec!["peer", "list"]
                    } else {
                        vec!["settings"]
                    })
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("in use"),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let running = services(&dir);
        assert_eq!(running.len(), 1, "round {round}: services {running:?}");
        // SIGTERM: it stops cleanly and removes its socket.
        let pid = running[0];
        signal(pid, "TERM");
        assert!(within(30, || !alive(pid)), "the service ignored SIGTERM");
        assert!(!socket_path(&dir).exists(), "the socket was left behind");
        let log = std::fs::read_to_string(dir.join("caseload-service.log")).expect("log");
        assert!(log.contains("SIGTERM: stopping"), "{log}");
    }
}

#[test]
fn the_service_and_its_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    run_ok(&dir, 60, &["peer", "add", "Ana Lee"]);
    let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&socket_path(&dir)), 0o600);
    assert_eq!(mode(&dir.join("caseload-service.log")), 0o600);
    assert_eq!(mode(&dir.join("caseload.lock")), 0o600);
    // Detached: its own session, not the test's.
    let pid = services(&dir)[0];
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    // fields: state ppid pgrp session ...
    assert_eq!(fields[3], pid.to_string(), "not a session leader: {stat}");
    stop_services(&dir);
}

#[test]
fn the_service_exits_after_its_idle_time_and_not_while_a_client_is_connected() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    run_ok(&dir, 1, &["peer", "add", "Ana Lee"]);
    let remote = match RemoteStore::connect(&socket_path(&dir)) {
        Ok(r) => r,
        Err(e) => panic!("connect: {e:?}"),
    };
    assert!(remote.is_private());
    let pid = remote.service_pid().expect("pid");
    std::thread::sleep(Duration::from_secs(3));
    assert!(alive(pid), "it exited with a client connected");
    assert_eq!(remote.counts().expect("counts").peers, 1);
    drop(remote);
    let gone_from = Instant::now();
    assert!(within(30, || !alive(pid)), "still running after 30 s idle");
    let took = gone_from.elapsed();
    assert!(
        took >= Duration::from_millis(900),
        "exited after {took:?}, before its idle time"
    );
    assert!(!socket_path(&dir).exists());
    let log = std::fs::read_to_string(dir.join("caseload-service.log")).expect("log");
    assert!(log.contains("no client for 1 s"), "{log}");
    // The next command starts it again.
    let out = run_ok(&dir, 1, &["peer", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ana Lee"));
}

#[test]
fn a_damaged_store_shows_its_reason_not_a_connection_error() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    run_ok(&dir, 60, &["peer", "add", "Ana Lee"]);
    stop_services(&dir);
    let db = dir.join("db");
    let len = std::fs::metadata(&db).unwrap().len() as usize;
    std::fs::write(&db, vec![0xA5; len]).unwrap();
    let out = caseload(&dir, 60)
        .args(["peer", "list"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not start"), "{err}");
    assert!(err.contains("restore it from a backup"), "{err}");
    assert!(!err.contains("connect"), "{err}");
    assert!(
        services(&dir).is_empty(),
        "a service stayed up on a damaged store"
    );
}

#[test]
fn a_killed_service_loses_no_acknowledged_write_and_the_next_command_restarts_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    run_ok(
        &dir,
        60,
        &["staff", "add", "Jordan Reyes", "--role", "peer-specialist"],
    );
    run_ok(&dir, 60, &["peer", "add", "Ana Lee"]);
    let first = services(&dir);
    assert_eq!(first.len(), 1);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let failed = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let dir = dir.clone();
            let (ack, failed, stop) = (
                Arc::clone(&acknowledged),
                Arc::clone(&failed),
                Arc::clone(&stop),
            );
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let note = format!("note-{w}-{i}");
                    let out = caseload(&dir, 60)
                        .args(["log", "P1", "--minutes", "15", "--note", &note])
                        .output()
                        .expect("run");
                    if out.status.success() {
                        ack.lock().unwrap().push(note);
                    } else {
                        failed
                            .lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                    i += 1;
                }
            })
        })
        .collect();
    // Let writes flow, kill the service, let them flow again.
    assert!(
        within(60, || acknowledged.lock().unwrap().len() >= 5),
        "no writes went through: {:?}",
        failed.lock().unwrap().first()
    );
    signal(first[0], "KILL");
    let at_kill = acknowledged.lock().unwrap().len();
    assert!(within(60, || acknowledged.lock().unwrap().len() >= at_kill + 5));
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    let now = services(&dir);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now[0], first[0], "the killed service is still there");
    let export = run_ok(&dir, 60, &["export"]);
    let export = String::from_utf8_lossy(&export.stdout);
    let ack = acknowledged.lock().unwrap();
    for note in ack.iter() {
        assert!(
            export.contains(&format!("\"{note}\"")),
            "acknowledged {note} is missing"
        );
    }
    // A failure is allowed only as the kill's own: never a lock error.
    for f in failed.lock().unwrap().iter() {
        assert!(!f.contains("in use by another"), "{f}");
    }
    stop_services(&dir);
}

#[test]
fn serve_takes_over_from_a_private_service_and_its_clients_follow() {
    use server_support::{make_store, store_dir, ADMIN, ADMIN_PIN};
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    // An admin working with commands: the private service starts.
    let out = caseload(&dir, 60)
        .args(["peer", "add", "Fay Lin"])
        .env("CASELOAD_STAFF", "Ana Admin")
        .env("CASELOAD_PIN", ADMIN_PIN)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let private = services(&dir);
    assert_eq!(private.len(), 1);
    // A client of the private service, signed in.
    let remote = server_support::client(&dir, ADMIN, ADMIN_PIN);
    assert!(remote.is_private());

    let mut serve = Command::new(BIN)
        .arg("--data-dir")
        .arg(&dir)
        .arg("serve")
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_PIN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let mut lines = BufReader::new(serve.stderr.take().expect("stderr")).lines();
    let took = lines.next().expect("a line").expect("utf-8");
    assert_eq!(
        took,
        format!(
            "caseload: took over the store from a private service (pid {})",
            private[0]
        )
    );
    let serving = lines.next().expect("a line").expect("utf-8");
    assert!(serving.contains("serving the store"), "{serving}");
    assert!(
        within(30, || !alive(private[0])),
        "the private service stayed"
    );

    // The old client reconnects and signs in again, without being told.
    let peers = remote.list_peers().expect("list through serve");
    assert!(peers.iter().any(|p| p.data.display_name == "Fay Lin"));
    let shared = match RemoteStore::connect(&socket_path(&dir)) {
        Ok(r) => r,
        Err(e) => panic!("connect: {e:?}"),
    };
    assert!(
        !shared.is_private(),
        "the socket is not the shared server's"
    );
    assert_eq!(shared.service_pid(), Some(serve.id()));
    signal(serve.id(), "TERM");
    let status = serve.wait().expect("wait");
    assert!(status.success(), "serve on SIGTERM: {status}");
    assert!(!socket_path(&dir).exists());
}

fn pane_child(tmux: &tmux_support::Tmux) -> Option<u32> {
    let out = tmux.run(&["display", "-p", "-t", "T", "#{pane_pid}"]);
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).ok()?;
    children.split_whitespace().next()?.parse().ok()
}

fn a_signal_to_the_ui_gives_the_terminal_back_clean(sig: &str) {
    if tmux_support::tmux_missing() {
        eprintln!("SKIPPED service_autostart: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    run_ok(&dir, 60, &["demo", "--peers", "30", "--checkins", "200"]);
    let export = String::from_utf8_lossy(&run_ok(&dir, 60, &["peer", "list"]).stdout).into_owned();
    let names: Vec<String> = export
        .lines()
        .skip(1)
        .filter_map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .nth(1)
                .map(str::to_string)
        })
        .filter(|n| !n.is_empty())
        .collect();
    assert!(!names.is_empty(), "{export}");

    let tmux = tmux_support::launch(
        &format!("caseload-sig-{sig}"),
        &home,
        "PS1='shell-ready$ ' CASELOAD_SERVICE_IDLE_SECS=60",
        "sh",
    );
    tmux.wait_for("the shell", |s| s.contains("shell-ready$"));
    tmux.text(&format!(
        "{} --data-dir {} --staff JR",
        tmux_support::quote(Path::new(BIN)),
        tmux_support::quote(&dir)
    ));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Today", |s| s.contains("Follow-ups due ("));
    assert!(
        names.iter().any(|n| screen.contains(n.as_str())),
        "{screen}"
    );
    let ui = pane_child(&tmux).expect("the UI's pid");
    signal(ui, sig);
    let screen = tmux.wait_for("the shell again", |s| {
        s.lines().filter(|l| l.contains("shell-ready$")).count() >= 2
    });
    for n in &names {
        assert!(
            !screen.contains(n.as_str()),
            "{n} left on screen:\n{screen}"
        );
    }
    let flags = tmux.run(&["display", "-p", "-t", "T", "#{alternate_on} #{cursor_flag}"]);
    assert_eq!(String::from_utf8_lossy(&flags.stdout).trim(), "0 1");
    // Raw mode is off: the line is echoed and Enter runs it.
    tmux.text("echo back-$((40+2))");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the shell to run a line", |s| s.contains("back-42"));
    assert!(within(10, || !alive(ui)));
    stop_services(&dir);
}

#[test]
fn sigterm_to_the_ui_gives_the_terminal_back_clean() {
    a_signal_to_the_ui_gives_the_terminal_back_clean("TERM");
}

#[test]
fn sighup_to_the_ui_gives_the_terminal_back_clean() {
    a_signal_to_the_ui_gives_the_terminal_back_clean("HUP");
}

/// A terminal can go away without SIGHUP reaching the UI: here the UI
/// runs in a session of its own (`setsid`, as `sudo` or a detached job
/// can leave it), so closing the terminal sends it nothing. crossterm
/// then reads end-of-file forever without returning; the UI used to
/// spin on it at full CPU indefinitely, peer data in memory. It must
/// notice the hang-up and end.
#[test]
fn a_ui_whose_terminal_goes_away_without_a_hangup_signal_ends() {
    if tmux_support::tmux_missing() {
        eprintln!("SKIPPED service_autostart: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    run_ok(&dir, 60, &["demo", "--peers", "30", "--checkins", "200"]);
    let tmux = tmux_support::launch(
        "caseload-hangup",
        &home,
        "PS1='shell-ready$ ' CASELOAD_SERVICE_IDLE_SECS=60",
        "sh",
    );
    tmux.wait_for("the shell", |s| s.contains("shell-ready$"));
    tmux.text(&format!(
        "setsid {} --data-dir {} --staff JR",
        tmux_support::quote(Path::new(BIN)),
        tmux_support::quote(&dir)
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Today", |s| s.contains("Follow-ups due ("));
    let ui = uis(&dir);
    assert_eq!(ui.len(), 1, "one UI for the store: {ui:?}");
    let ui = ui[0];
    // The terminal goes away: tmux closes the pane's terminal.
    drop(tmux);
    let ended = within(15, || !alive(ui));
    if !ended {
        signal(ui, "KILL");
    }
    stop_services(&dir);
    assert!(
        ended,
        "the UI (pid {ui}) was still running 15 s after its terminal went away"
    );
}

#[test]
fn a_ui_and_four_commands_at_once_share_one_store_with_no_serve_started() {
    if tmux_support::tmux_missing() {
        eprintln!("SKIPPED service_autostart: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let home = tmp.path().join("home");
    let backups: PathBuf = tmp.path().join("backups");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    run_ok(&dir, 60, &["demo", "--peers", "30", "--checkins", "200"]);
    stop_services(&dir);

    let program = format!(
        "{} --data-dir {} --staff JR",
        tmux_support::quote(Path::new(BIN)),
        tmux_support::quote(&dir)
    );
    let tmux = tmux_support::launch(
        "caseload-four",
        &home,
        "CASELOAD_SERVICE_IDLE_SECS=60",
        &program,
    );
    let backups_arg = backups.display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["backup", "--to", &backups_arg],
        vec!["today", "--json"],
        // The demo's P1 is inactive: a check-in for them needs --force.
        vec![
            "log",
            "P1",
            "--minutes",
            "15",
            "--note",
            "four-at-once",
            "--force",
        ],
        vec!["staff", "add", "Kim Ito", "--role", "peer-specialist"],
    ];
    let children: Vec<_> = commands
        .iter()
        .map(|args| {
            caseload(&dir, 60)
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    tmux.wait_for("Today", |s| s.contains("Follow-ups due ("));
    for (c, args) in children.into_iter().zip(&commands) {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // One backup, with its checksum file beside it.
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .expect("backups")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with(".json"), "{names:?}");
    assert_eq!(names[1], format!("{}.sha256", names[0]));
    // A second UI at the same time, zero setup.
    let second = tmux_support::launch(
        "caseload-four-b",
        &home,
        "CASELOAD_SERVICE_IDLE_SECS=60",
        &program,
    );
    second.wait_for("Today in the second UI", |s| s.contains("Follow-ups due ("));
    assert!(tmux.alive());
    assert_eq!(services(&dir).len(), 1);
    let staff = run_ok(&dir, 60, &["staff", "list"]);
    assert!(String::from_utf8_lossy(&staff.stdout).contains("Kim Ito"));
    drop(second);
    drop(tmux);
    stop_services(&dir);
}

#[test]
fn the_service_exits_when_its_store_directory_is_removed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    // A long idle time: only the missing socket can end it.
    run_ok(&dir, 600, &["peer", "add", "Ana Lee"]);
    let pids = services(&dir);
    assert_eq!(pids.len(), 1, "{pids:?}");
    std::fs::remove_dir_all(&dir).expect("remove the store");
    // It notices its socket is gone and exits, instead of waiting in
    // accept for a wake-up connection that has nowhere to go.
    assert!(
        within(20, || !alive(pids[0])),
        "service {} still running after its directory was removed",
        pids[0]
    );
}

/// An older store is upgraded by the service the first command starts, and
/// the admin learns it: the command's stderr and the service's log say
/// which versions and that an older caseload can no longer open it. The
/// next start says nothing (nothing was upgraded).
#[test]
fn the_command_that_starts_a_service_says_that_it_upgraded_the_store() {
    use caseload::store::SCHEMA_VERSION;
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    run_ok(&dir, 60, &["peer", "add", "Ana Lee"]);
    stop_services(&dir);
    {
        let db = sled::Config::new().path(&dir).open().expect("raw sled");
        db.open_tree("meta")
            .unwrap()
            .insert(b"schema_version", &(SCHEMA_VERSION - 1).to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let out = run_ok(&dir, 60, &["peer", "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let said = format!(
        "was upgraded from schema version {} to {SCHEMA_VERSION} in ",
        SCHEMA_VERSION - 1
    );
    assert!(err.contains(&said), "{err}");
    assert!(
        err.contains("an older caseload can no longer open it"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ana Lee"));
    let log = std::fs::read_to_string(dir.join("caseload-service.log")).unwrap();
    assert!(log.contains(&said), "{log}");
    stop_services(&dir);
    let again = run_ok(&dir, 60, &["peer", "list"]);
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("upgraded"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    stop_services(&dir);
}

/// Starts the store's service and begins a bulk load of one staff member
/// and one peer on a connection of its own.
fn begin_small_load(dir: &Path) -> (RemoteStore, caseload::model::Actor) {
    use caseload::model::{Actor, Meta, Peer, PeerId, Record, Role, Staff, StaffId};
    run_ok(dir, 60, &["settings"]);
    let actor = Actor::login("tester");
    let meta = Meta::created(chrono::Utc::now(), &actor);
    let snapshot = caseload::store::Snapshot {
        staff: vec![Record {
            id: StaffId::new(1),
            meta: meta.clone(),
            data: Staff::new("Ana Ruiz", Role::PeerSpecialist),
        }],
        peers: vec![Record {
            id: PeerId::new(1),
            meta,
            data: Peer::new("Jo", chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
        }],
        ..Default::default()
    };
    let loader = RemoteStore::connect(&socket_path(dir)).expect("connect");
    loader.begin_load(snapshot, &actor).expect("begin load");
    (loader, actor)
}

/// After its loading client went away: the service has emptied the store
/// rather than leave a partial one, and a command writes again.
fn assert_emptied_and_writable_again(dir: &Path) {
    let reader = RemoteStore::connect(&socket_path(dir)).expect("connect");
    assert!(
        within(10, || reader
            .counts()
            .is_ok_and(|c| c == caseload::store::Counts::default())),
        "the abandoned load was left in the store: {:?}",
        reader.counts()
    );
    drop(reader);
    run_ok(dir, 60, &["peer", "add", "Kim"]);
    stop_services(dir);
}

#[test]
fn a_bulk_load_whose_client_goes_away_leaves_an_empty_store() {
    use caseload::model::{CheckIn, PeerId, StaffId};
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let (loader, actor) = begin_small_load(&dir);
    let when = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap();
    let batch = vec![CheckIn::new(PeerId::new(1), StaffId::new(1), when); 3];
    assert_eq!(loader.load_checkins(batch, &actor).expect("load"), 3);
    // Meanwhile another command's write is refused, saying why.
    let out = caseload(&dir, 60)
        .args(["peer", "add", "Kim"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("bulk load"), "{said}");
    // The loading client goes away unfinished: the service empties the
    // store rather than leave a partial one.
    drop(loader);
    assert_emptied_and_writable_again(&dir);
}

/// A bulk load belongs to the connection that began it: another session
/// can neither slip check-ins into it nor finish it and is told why; the
/// loader's own batches and finish go on as before. (The attempt cannot
/// go on the audit trail: nothing is written beside a load, whose undo
/// would take it away; the service's log says it.)
#[test]
fn only_the_connection_that_began_a_load_adds_to_it_or_finishes_it() {
    use caseload::model::{CheckIn, PeerId, StaffId};
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let (loader, actor) = begin_small_load(&dir);
    let when = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap();
    let batch = || vec![CheckIn::new(PeerId::new(1), StaffId::new(1), when); 2];
    let other = RemoteStore::connect(&socket_path(&dir)).expect("connect");
    let slipped = other
        .load_checkins(batch(), &actor)
        .expect_err("another connection's batch is refused");
    assert!(
        slipped.to_string().contains("begun by another connection"),
        "{slipped}"
    );
    let ended = other
        .finish_load(0, &actor)
        .expect_err("another connection's finish is refused");
    assert!(
        ended.to_string().contains("begun by another connection"),
        "{ended}"
    );
    // The loader is not disturbed: its batch and its finish count.
    assert_eq!(loader.load_checkins(batch(), &actor).expect("load"), 2);
    let counts = loader.finish_load(2, &actor).expect("finish");
    assert_eq!(counts.checkins, 2);
    assert_eq!(counts.peers, 1);
    drop((loader, other));
    stop_services(&dir);
}

/// A batch the service refuses before the store sees it (over the batch
/// limit) leaves the load with the connection that began it, so its going
/// away still empties the store: the store is never left half loaded and
/// refusing every write until the service restarts.
#[test]
fn a_load_whose_batch_was_refused_is_still_abandoned_when_its_client_goes_away() {
    use caseload::model::{CheckIn, PeerId, StaffId};
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let (loader, actor) = begin_small_load(&dir);
    let when = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap();
    let too_many = vec![
        CheckIn::new(PeerId::new(1), StaffId::new(1), when);
        caseload::store::api::MAX_BATCH + 1
    ];
    let refused = loader
        .load_checkins(too_many, &actor)
        .expect_err("a batch over the limit is refused");
    assert!(refused.to_string().contains("more than"), "{refused}");
    drop(loader);
    assert_emptied_and_writable_again(&dir);
}
