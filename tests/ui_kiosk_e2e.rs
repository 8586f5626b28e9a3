//! End to end in real terminals: `caseload kiosk` in one tmux server, the
//! staff UI in another, both on one store (through its service). A peer
//! signs in at the kiosk; the staff UI's "here now" (`h` from Today) shows
//! them within a few seconds. Ctrl-c and Ctrl-z do not drop the kiosk, a
//! wrong PIN is refused, and the documented sequence leaves it.
//!
//! Private tmux servers (`tmux -L …`) keep a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::path::Path;
use std::time::{Duration, Instant};

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote, stdout_of, tmux_missing};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> String {
    stdout_of(&caseload_ok(dir, args, &[]))
}

#[test]
fn a_peer_signs_in_at_the_kiosk_and_staff_see_them_here_now() {
    if tmux_missing() {
        eprintln!("SKIPPED ui_kiosk_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(
        &data,
        &["staff", "add", "Jordan Reyes", "--role", "supervisor"],
    );
    cli(
        &data,
        &["peer", "add", "Zoë Brandt", "--phone", "555 010 3333"],
    );
    cli(&data, &["peer", "add", "Sam Okafor"]);

    let staff = launch(
        "caseload-kiosk-staff",
        &home,
        "",
        &format!(
            "{} --data-dir {} --staff JR",
            quote(Path::new(BIN)),
            quote(&data)
        ),
    );
    staff.wait_for("Today", |s| s.contains("Jordan Reyes (JR)"));
    staff.keys(&["h"]);
    staff.wait_for("an empty here-now", |s| {
        s.contains("Here now") && s.contains("Nobody has signed in yet today")
    });

    let kiosk = launch(
        "caseload-kiosk-desk",
        &home,
        "",
        &format!(
            "{} --data-dir {} --staff JR kiosk",
            quote(Path::new(BIN)),
            quote(&data)
        ),
    );
    let greeting = kiosk.wait_for("the kiosk", |s| {
        s.contains("Welcome to Peer support center")
    });
    assert!(
        !greeting.contains("Zoë") && !greeting.contains("Okafor"),
        "{greeting}"
    );
    // Ctrl-c and Ctrl-z do not drop it into anything.
    kiosk.keys(&["C-c", "C-z", "C-\\"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(kiosk.alive(), "the kiosk is still running");
    assert!(kiosk.capture().contains("Welcome to Peer support center"));

    kiosk.text("zoe brandt");
    kiosk.keys(&["Enter"]);
    let thanks = kiosk.wait_for("the thanks", |s| s.contains("you're signed in"));
    assert!(
        !thanks.contains("Zoë") && !thanks.contains("Brandt"),
        "{thanks}"
    );
    let signed_in = Instant::now();
    let shown = staff.wait_for("Zoë under here now", |s| {
        s.contains("Here now") && s.contains("1 signed in") && s.contains("Zoë Brandt")
    });
    eprintln!(
        "here now showed the kiosk sign-in {} ms after the kiosk thanked",
        signed_in.elapsed().as_millis()
    );
    assert!(shown.contains("JR") || shown.contains("—"), "{shown}");
    // The kiosk clears itself.
    kiosk.wait_for("the kiosk clears", |s| {
        !s.contains("you're signed in") && s.contains("Type your name")
    });

    // Leaving without a staff PIN is refused.
    kiosk.keys(&["C-x"]);
    kiosk.wait_for("the PIN field", |s| s.contains("Staff PIN"));
    kiosk.text("1234");
    kiosk.keys(&["Enter"]);
    kiosk.wait_for("the refusal", |s| s.contains("That did not work"));
    assert!(kiosk.alive());
    // On a store without PINs, the sequence of docs/kiosk.md leaves it.
    kiosk.keys(&["C-x"]);
    kiosk.text("leave kiosk");
    kiosk.keys(&["Enter"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while kiosk.alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!kiosk.alive(), "the kiosk ended: {}", kiosk.capture());
    staff.keys(&["q"]);
    // The visit is the kiosk's, on the record.
    let list = cli(&data, &["visit", "list", "--json"]);
    assert!(
        list.contains("Zoë Brandt") && list.contains("\"count\": 1"),
        "{list}"
    );
}
