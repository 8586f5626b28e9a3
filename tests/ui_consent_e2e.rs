//! End to end in a real terminal: tmux runs the built binary; a consent
//! is added for Ana (to Harbor Housing, sharing attendance), her page's
//! Consents tab (5) shows it active, an export for that recipient is
//! allowed and appears in her disclosure history on the tab; after the
//! consent is revoked on the tab (`x`, how, Enter) it shows revoked and
//! the same export is refused, naming the consent.
//!
//! The command line and the UI share the store through its service, as
//! two staff members at once would. A private tmux server (`tmux -L …`)
//! keeps a user's own tmux untouched. Skips, saying so, when tmux is not
//! installed.

use std::path::Path;
use std::process::{Command, Output};

mod tmux_support;
use tmux_support::{launch, quote, tmux_missing};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .env_remove("CASELOAD_PIN")
        .output()
        .expect("run caseload")
}

fn cli(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_consent_allows_an_export_until_it_is_revoked() {
    if tmux_missing() {
        eprintln!("SKIPPED ui_consent_e2e: tmux is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    cli(
        &data,
        &[
            "staff",
            "add",
            "Jordan Reyes",
            "--initials",
            "JR",
            "--role",
            "supervisor",
        ],
    );
    cli(&data, &["peer", "add", "Ana Ruiz", "--phone", "555-0101"]);

    let program = format!(
        "{} --data-dir {} --staff JR",
        quote(Path::new(BIN)),
        quote(&data)
    );
    let tmux = launch("caseload-consent-e2e", &home, "", &program);
    tmux.wait_for("Today", |s| s.contains("Jordan Reyes (JR)"));
    tmux.keys(&["p"]);
    tmux.wait_for("the roster", |s| s.contains("Ana Ruiz"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Ana's page", |s| s.contains("5 Consents"));
    tmux.keys(&["5"]);
    tmux.wait_for("the empty Consents tab", |s| s.contains("none recorded"));

    let id = cli(
        &data,
        &[
            "--staff",
            "JR",
            "consent",
            "add",
            "Ana Ruiz",
            "--to",
            "Harbor Housing",
            "--purpose",
            "housing application",
            "--shares",
            "attendance",
            "--signed",
            "today",
            "--expires",
            "+20d",
        ],
    );
    assert_eq!(id.trim(), "CN1");
    tmux.wait_for("the consent, active, on the tab", |s| {
        s.contains("CN1") && s.contains("active") && s.contains("Harbor Housing")
    });

    let allowed = cli(
        &data,
        &[
            "--staff",
            "JR",
            "export",
            "--for",
            "Harbor Housing",
            "--peer",
            "Ana Ruiz",
        ],
    );
    assert!(allowed.contains("42 CFR part 2"), "{allowed}");
    tmux.wait_for("the disclosure in her history", |s| {
        s.contains("Disclosures (1)") && s.contains("to Harbor Housing under CN1")
    });

    // Revoked on the tab: x asks how, Enter revokes from today.
    tmux.keys(&["x"]);
    tmux.wait_for("the question", |s| s.contains("How was CN1 revoked?"));
    tmux.text("by phone");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the consent shown revoked", |s| {
        s.contains("CN1") && s.contains("revoked") && s.contains("(by phone)")
    });
    let refused = run(
        &data,
        &[
            "--staff",
            "JR",
            "export",
            "--for",
            "Harbor Housing",
            "--peer",
            "Ana Ruiz",
        ],
    );
    assert!(
        !refused.status.success(),
        "the export is refused after revocation"
    );
    assert!(refused.stdout.is_empty(), "nothing disclosed");
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("CN1") && why.contains("revoked"), "{why}");
    let history = cli(
        &data,
        &["--staff", "JR", "consent", "disclosures", "Ana Ruiz"],
    );
    assert!(history.contains("(1)"), "only the allowed one: {history}");
    tmux.keys(&["q"]);
}
