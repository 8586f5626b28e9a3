//! `caseload export` and `caseload import`.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::fsutil::AtomicFile;
use crate::ops::transfer::{export_json, import_json};
use crate::store::Store;

use super::args::{BackupArgs, ExportArgs, ImportArgs};
use super::output::stdout_is_terminal;

/// Writes the export to `.NAME.partial` beside `path` (created exclusive,
/// never through a link, 0600 whatever the umask; one left by a killed run
/// is removed first), syncs it, renames it over `path` in one step and
/// syncs the directory: a crash never leaves a half-written export under
/// the final name, and nothing placed at either name is written through.
fn export_to_file(store: &dyn Store, path: &Path) -> Result<crate::store::Counts> {
    let mut file = AtomicFile::begin(path)?;
    let partial = file.partial_path().to_path_buf();
    let mut out = BufWriter::new(file.file());
    let counts = export_json(store, &mut out)?;
    out.flush()
        .with_context(|| format!("cannot write {}", partial.display()))?;
    drop(out);
    file.commit()?;
    Ok(counts)
}

/// Runs `caseload export`.
pub fn export(store: &dyn Store, args: &ExportArgs) -> Result<ExitCode> {
    let counts = match &args.out {
        Some(path) => export_to_file(store, path)?,
        None => {
            if stdout_is_terminal() {
                bail!("export writes every record, notes included; give --out FILE or redirect it to a file rather than the screen");
            }
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            export_json(store, &mut out)?
        }
    };
    eprintln!(
        "exported {} staff, {} peers, {} goals, {} groups, {} sessions, {} check-ins",
        counts.staff, counts.peers, counts.goals, counts.groups, counts.sessions, counts.checkins
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseload import`.
pub fn import(store: &dyn Store, args: &ImportArgs) -> Result<ExitCode> {
    let actor = super::actor(store, None);
    let counts = if args.file.as_os_str() == "-" {
        import_json(
            store,
            &actor,
            BufReader::new(io::stdin().lock()),
            "standard input",
        )?
    } else {
        let file = File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        let name = args.file.display().to_string();
        import_json(
            store,
            &actor,
            BufReader::with_capacity(1 << 20, file),
            &name,
        )?
    };
    println!(
        "imported {} staff, {} peers, {} goals, {} groups, {} sessions, {} check-ins",
        counts.staff, counts.peers, counts.goals, counts.groups, counts.sessions, counts.checkins
    );
    let _ = io::stdout().flush();
    Ok(ExitCode::SUCCESS)
}

/// Prefix of backup file names; only such files are ever pruned.
const BACKUP_PREFIX: &str = "caseload-backup-";

/// Runs `caseload backup`: a dated export in the backup folder (owner-only
/// folder and file), then the oldest backups beyond `--keep` are removed.
pub fn backup(store: &dyn Store, args: &BackupArgs) -> Result<ExitCode> {
    let dir = match &args.to {
        Some(d) => d.clone(),
        None => super::paths::default_data_root()?.join("backups"),
    };
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(&dir)
        .with_context(|| format!("cannot create the backup folder {}", dir.display()))?;
    let stamp = chrono::Local::now().format("%Y-%m-%dT%H%M%S%.3f");
    let path = dir.join(format!("{BACKUP_PREFIX}{stamp}.json"));
    let counts = export_to_file(store, &path)?;
    let mut old: Vec<std::path::PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(BACKUP_PREFIX) && n.ends_with(".json"))
        })
        .collect();
    old.sort();
    let excess = old.len().saturating_sub(args.keep as usize);
    for p in &old[..excess] {
        fs::remove_file(p).with_context(|| format!("cannot remove old backup {}", p.display()))?;
    }
    println!(
        "backed up {} peers and {} check-ins to {}{}",
        counts.peers,
        counts.checkins,
        path.display(),
        if excess > 0 {
            format!("; removed {excess} older backup(s)")
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}
