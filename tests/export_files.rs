//! Exports and backups are created private (0600 whatever the umask),
//! exclusively and never through a link: a partial file left at
//! `.NAME.partial` (a stale one, or a link someone planted) is removed,
//! never written through; a link at the target is refused, its target
//! untouched.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary on `dir`, run with `umask`.
fn caseload(dir: &Path, umask: u32) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caseload"));
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_PIN")
        .env_remove("CASELOAD_DATA_DIR")
        .stdin(Stdio::null());
    // SAFETY: umask(2) is async-signal-safe and touches no memory.
    unsafe {
        c.pre_exec(move || {
            libc::umask(umask as libc::mode_t);
            Ok(())
        });
    }
    c
}

fn run(dir: &Path, umask: u32, args: &[&str]) -> Output {
    caseload(dir, umask)
        .args(args)
        .output()
        .expect("run caseload")
}

fn ok(dir: &Path, umask: u32, args: &[&str]) -> Output {
    let out = run(dir, umask, args);
    assert!(
        out.status.success(),
        "caseload {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).expect("lstat").permissions().mode() & 0o7777
}

/// A store with a peer whose note is easy to find.
fn store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    ok(&dir, 0o022, &["staff", "add", "Jordan Reyes"]);
    ok(&dir, 0o022, &["peer", "add", "Ana Ruiz"]);
    ok(&dir, 0o022, &["log", "P1", "--note", "private words"]);
    (tmp, dir)
}

fn export_to(dir: &Path, umask: u32, out: &Path) -> Output {
    let mut c = caseload(dir, umask);
    c.arg("export").arg("--out").arg(out);
    c.output().expect("run export")
}

/// The target holds a whole export with the note in it.
fn assert_export(path: &Path) {
    let text = fs::read_to_string(path).expect("export written");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("a whole JSON document");
    assert_eq!(doc["format"], "caseload-export");
    assert!(text.contains("private words"));
    assert_eq!(mode(path), 0o600, "{} is private", path.display());
}

fn partial_of(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap().to_string_lossy();
    target.with_file_name(format!(".{name}.partial"))
}

#[test]
fn an_export_is_private_under_umask_000_and_replaces_an_old_one_atomically() {
    let (tmp, dir) = store();
    let target = tmp.path().join("out.json");
    fs::write(&target, "old export").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
    let out = export_to(&dir, 0o000, &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_export(&target);
    assert!(!partial_of(&target).exists());
    // A relative name lands in the working directory.
    let out = caseload(&dir, 0o000)
        .current_dir(tmp.path())
        .args(["export", "--out", "rel.json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_export(&tmp.path().join("rel.json"));
}

#[test]
fn a_stale_partial_file_is_removed_not_reused() {
    let (tmp, dir) = store();
    let target = tmp.path().join("out.json");
    let partial = partial_of(&target);
    // Left by a killed run, readable by everyone, with junk in it.
    fs::write(
        &partial,
        "junk from a killed run that is longer than nothing",
    )
    .unwrap();
    fs::set_permissions(&partial, fs::Permissions::from_mode(0o666)).unwrap();
    let out = export_to(&dir, 0o022, &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_export(&target);
    assert!(fs::symlink_metadata(&partial).is_err(), "no partial left");
}

#[test]
fn a_symlink_at_the_partial_name_is_never_written_through() {
    let (tmp, dir) = store();
    let victim = tmp.path().join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o644)).unwrap();
    let target = tmp.path().join("out.json");
    let partial = partial_of(&target);
    std::os::unix::fs::symlink(&victim, &partial).unwrap();
    let out = export_to(&dir, 0o022, &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(mode(&victim), 0o644);
    assert_export(&target);
    assert!(fs::symlink_metadata(&partial).is_err());

    // A dangling link (to where an attacker wants the notes) likewise.
    let wanted = tmp.path().join("attacker-reads-this");
    std::os::unix::fs::symlink(&wanted, &partial).unwrap();
    let out = export_to(&dir, 0o022, &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!wanted.exists(), "nothing was written through the link");
    assert_export(&target);
}

#[test]
fn a_symlink_at_the_target_is_refused_and_its_target_untouched() {
    let (tmp, dir) = store();
    let victim = tmp.path().join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o644)).unwrap();
    let target = tmp.path().join("out.json");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    let out = export_to(&dir, 0o022, &target);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{} is a symbolic link", target.display())),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(mode(&victim), 0o644);
    assert!(fs::symlink_metadata(&target)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::symlink_metadata(partial_of(&target)).is_err());
}

#[test]
fn a_directory_at_the_partial_name_is_refused_naming_it() {
    let (tmp, dir) = store();
    let target = tmp.path().join("out.json");
    let partial = partial_of(&target);
    fs::create_dir(&partial).unwrap();
    let out = export_to(&dir, 0o022, &target);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&partial.display().to_string()), "{err}");
    assert!(!target.exists());
    assert!(partial.is_dir(), "left alone");
}

#[test]
fn backups_are_private_under_umask_000() {
    let (tmp, dir) = store();
    let backups = tmp.path().join("backups");
    let out = caseload(&dir, 0o000)
        .args(["backup", "--to"])
        .arg(&backups)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&backups), 0o700);
    let files: Vec<_> = fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // The backup and its checksum beside it, no partial left; both private.
    assert_eq!(
        files.len(),
        2,
        "one backup and its checksum, no partial left: {files:?}"
    );
    let backup = files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("the backup");
    let sum = PathBuf::from(format!("{}.sha256", backup.display()));
    assert!(files.contains(&sum), "{files:?}");
    assert_eq!(mode(&sum), 0o600);
    assert_export(backup);
}
