//! End to end in a real terminal: tmux runs the built binary. A referral
//! made by the command line 20 days ago shows on Today's "Referrals to
//! follow up"; a referral made from the check-in form (`c`, `ctrl-r`,
//! type, Enter) is saved at once, listed on the peer page's Referrals tab
//! (7), and shows on `caseload today --date` fourteen days later; the
//! take-home card (`T`) shows the crisis line and is saved to a private
//! file; the Resources screen (`O`) finds an entry as you type.
//!
//! A private tmux server (`tmux -L …`) keeps a user's own tmux untouched.
//! Skips, saying so, when tmux is not installed.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

mod tmux_support;
use tmux_support::{caseload_ok, launch, quote, stdout_of, tmux_missing};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn cli(dir: &Path, args: &[&str]) -> String {
    stdout_of(&caseload_ok(dir, args, &[]))
}

#[test]
fn a_referral_made_from_a_check_in_is_followed_up_on_today_two_weeks_later() {
    if tmux_missing() {
        eprintln!("SKIPPED ui_referral_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    let today = chrono::Local::now().date_naive();
    cli(
        &data,
        &["staff", "add", "Jordan Reyes", "--role", "supervisor"],
    );
    cli(&data, &["peer", "add", "Ana Ruiz"]);
    cli(&data, &["peer", "add", "Bob Stone"]);
    cli(
        &data,
        &[
            "resource",
            "add",
            "Eastside Pantry",
            "--category",
            "food",
            "--notes",
            "STAFF NOTE",
        ],
    );
    cli(
        &data,
        &[
            "resource",
            "add",
            "988 Lifeline",
            "--category",
            "crisis",
            "--phone",
            "988",
        ],
    );
    let long_ago = (today - chrono::Duration::days(20)).to_string();
    cli(&data, &["refer", "bob", "pantry", "--date", &long_ago]);

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-referral-e2e", &home, "", &program);
    tmux.wait_for("Today's referrals to follow up", |s| {
        s.contains("Referrals to follow up (1)") && s.contains("Bob Stone")
    });

    // The Resources screen finds an entry as you type.
    tmux.keys(&["O"]);
    tmux.wait_for("the Resources screen", |s| s.contains("Resources (2)"));
    tmux.text("lifeline");
    tmux.wait_for("the search", |s| {
        s.contains("988 Lifeline") && !s.contains("Eastside Pantry")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the search cleared", |s| s.contains("Eastside Pantry"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("Today again", |s| s.contains("Referrals to follow up (1)"));

    // Ana's page, a check-in, and a referral from it.
    tmux.keys(&["p"]);
    tmux.wait_for("the roster", |s| {
        s.contains("Ana Ruiz") && s.contains("Last contact")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("Ana's page", |s| s.contains("Peer: Ana Ruiz"));
    tmux.keys(&["c"]);
    tmux.wait_for("the check-in form", |s| s.contains("New check-in"));
    // Ana is preselected; Enter picks her.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Ana picked", |s| s.contains("Wellbeing"));
    tmux.keys(&["C-r"]);
    tmux.wait_for("the resource picker", |s| s.contains("Refer Ana Ruiz to"));
    tmux.text("pantry");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the referral saved", |s| {
        s.contains("Saved referral RF2 to Eastside Pantry")
    });
    // The check-in form is still there; leave it unsaved.
    tmux.keys(&["Escape"]);
    let s = tmux.wait_for("the form closed or asking", |s| {
        !s.contains("Wellbeing") || s.contains("iscard")
    });
    if s.contains("iscard") {
        tmux.keys(&["y"]);
        tmux.wait_for("the form closed", |s| !s.contains("Wellbeing"));
    }
    tmux.keys(&["7"]);
    tmux.wait_for("the Referrals tab", |s| {
        s.contains("RF2") && s.contains("Eastside Pantry") && s.contains("made")
    });

    // The take-home card, saved to a private file.
    tmux.keys(&["T"]);
    tmux.wait_for("the card", |s| {
        s.contains("Take-home card") && s.contains("988 Lifeline — 988")
    });
    let card = tmp.path().join("ana-card.txt");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the file prompt", |s| s.contains("Write to file"));
    tmux.text(&card.display().to_string());
    tmux.keys(&["Enter"]);
    tmux.wait_for("the card written", |s| s.contains("Card written to"));
    let text = std::fs::read_to_string(&card).expect("card file");
    assert!(text.contains("988 Lifeline — 988"), "{text}");
    assert!(!text.contains("STAFF NOTE"), "{text}");
    let mode = std::fs::metadata(&card).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    tmux.keys(&["Escape"]);
    tmux.wait_for("the card closed", |s| !s.contains("Take-home card"));
    tmux.keys(&["q"]);
    let gone = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while tmux.alive() && std::time::Instant::now() < gone {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // Fourteen days later both are quiet referrals on Today.
    let later = (today + chrono::Duration::days(14)).to_string();
    let json: serde_json::Value =
        serde_json::from_str(&cli(&data, &["today", "--date", &later, "--json"])).expect("json");
    let section = json["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == "referrals-stale")
        .cloned()
        .expect("referrals section");
    assert_eq!(section["count"], 2, "{section}");
    let peers: Vec<&str> = section["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["peer"].as_str())
        .collect();
    assert!(peers.contains(&"P1") && peers.contains(&"P2"), "{peers:?}");
    let thirteen = (today + chrono::Duration::days(13)).to_string();
    let json: serde_json::Value =
        serde_json::from_str(&cli(&data, &["today", "--date", &thirteen, "--json"])).expect("json");
    let rows = json["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == "referrals-stale")
        .map(|s| s["count"].clone());
    assert_eq!(rows, Some(serde_json::json!(1)), "only Bob's after 13 days");
}
