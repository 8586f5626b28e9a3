//! End to end in a real terminal: a store whose staff have PINs (set with
//! `caseload staff add … --pin-stdin` and `staff set-pin`) starts the UI at
//! the sign-in screen with no peer on it; a wrong PIN is refused, the right
//! one opens Today; `--lock-after 2s` locks the screen (names gone) and the
//! PIN resumes. The audit trail has it all.
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{launch, quote};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");
/// The OS login the test runs as, mapped to Jordan by `caseload demo`.
const LOGIN: &str = "e2e-tester";

fn cli(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env_remove("CASELOAD_PIN")
        .env("USER", LOGIN)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run caseload");
    if let Some(mut input) = child.stdin.take() {
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn names_shown<'a>(screen: &str, names: &'a [String]) -> Vec<&'a String> {
    names
        .iter()
        .filter(|n| screen.contains(n.as_str()))
        .collect()
}

#[test]
fn sign_in_wrong_then_right_pin_then_idle_lock_and_resume() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED ui_access_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(
        &data,
        &["demo", "--peers", "20", "--checkins", "60"],
        None,
        &[],
    );
    let list = cli(&data, &["peer", "list", "--json"], None, &[]);
    let peers: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    let names: Vec<String> = peers
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|p| {
            p["display_name"]
                .as_str()
                .or_else(|| p["data"]["display_name"].as_str())
        })
        .map(str::to_string)
        .collect();
    assert_eq!(names.len(), 20, "{}", String::from_utf8_lossy(&list.stdout));

    // The first PIN: an admin added with --pin-stdin. From then on every
    // command signs in, so Jordan's PIN is set by the admin.
    cli(
        &data,
        &[
            "staff",
            "add",
            "Robin Vale",
            "--role",
            "admin",
            "--pin-stdin",
        ],
        Some("1357\n"),
        &[],
    );
    let admin = [("CASELOAD_STAFF", "Robin Vale"), ("CASELOAD_PIN", "1357")];
    cli(
        &data,
        &["staff", "set-pin", "JR", "--pin-stdin"],
        Some("2468\n"),
        &admin,
    );

    let program = format!(
        "{} --data-dir {} --lock-after 2s",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch(
        "caseload-access-e2e",
        &home,
        &format!("USER={LOGIN}"),
        &program,
    );

    // Jordan's login is mapped: the PIN is asked at once, no peer shown.
    let s = tmux.wait_for("the sign-in screen", |s| {
        s.contains("Sign in") && s.contains("Signing in as Jordan Reyes (JR)")
    });
    assert_eq!(names_shown(&s, &names), Vec::<&String>::new(), "{s}");

    tmux.text("0000");
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("the refusal", |s| s.contains("Wrong PIN"));
    assert_eq!(names_shown(&s, &names), Vec::<&String>::new(), "{s}");
    assert!(!s.contains("0000"), "{s}");

    tmux.text("2468");
    tmux.keys(&["Enter"]);
    let today = tmux.wait_for("Today", |s| {
        s.contains("Follow-ups due (") && s.contains("Jordan Reyes (JR)")
    });
    assert!(!today.contains("2468"));
    assert!(
        !names_shown(&today, &names).is_empty(),
        "Today names peers:\n{today}"
    );

    // Two idle seconds later the screen locks by itself.
    let locked = tmux.wait_for("the lock screen", |s| {
        s.contains("caseload is locked after 2 seconds without input")
    });
    assert_eq!(
        names_shown(&locked, &names),
        Vec::<&String>::new(),
        "{locked}"
    );
    assert!(!locked.contains("Follow-ups due"), "{locked}");

    tmux.text("2468");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Today again", |s| s.contains("Follow-ups due ("));
    tmux.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while tmux.alive() {
        assert!(
            Instant::now() < deadline,
            "caseload did not quit:\n{}",
            tmux.capture()
        );
        std::thread::sleep(Duration::from_millis(30));
    }

    // The trail: a refused PIN, two sign-ins, a lock, all by this login.
    let out = cli(&data, &["audit", "--json", "--limit", "50"], None, &admin);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let events: Vec<String> = log
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["actor"]["login"] == LOGIN)
        .map(|e| e["event"].to_string())
        .collect();
    let count = |what: &str| events.iter().filter(|e| e.contains(what)).count();
    assert!(count("SignInFailed") >= 1, "{events:?}");
    assert!(
        count("SignedIn") >= 3,
        "the admin's commands and Jordan twice: {events:?}"
    );
    assert!(count("Locked") >= 1, "{events:?}");
}
