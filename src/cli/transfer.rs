//! `caseload export`, `import`, `backup`, `verify` and `restore`.
//!
//! A backup is a JSON export with a checksum beside it: `NAME.json.sha256`
//! holds the file's SHA-256 in the form `sha256sum -c` reads. `verify`
//! checks the checksum, the format and every reference; `restore` verifies
//! first and loads only into a new, empty store directory.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::fsutil::AtomicFile;
use crate::ops::transfer::{export_json, import_json, sha256_hex, verify_json};
use crate::store::{Counts, Store};

use super::args::{BackupArgs, Cli, ExportArgs, ImportArgs, RestoreArgs, VerifyArgs};
use super::output::stdout_is_terminal;

/// Passes writes through and hashes them (the backup's checksum is of the
/// bytes as written, without reading the file back).
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Where a file's checksum is kept.
pub(super) fn checksum_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

fn counts_line(c: &Counts) -> String {
    let n = crate::text::count_u64;
    format!(
        "{} staff, {}, {}, {}, {}, {}",
        c.staff,
        n(c.peers, "peer", "peers"),
        n(c.goals, "goal", "goals"),
        n(c.groups, "group", "groups"),
        n(c.sessions, "session", "sessions"),
        n(c.checkins, "check-in", "check-ins")
    )
}

/// Writes the export to `.NAME.partial` beside `path` (created exclusive,
/// never through a link, 0600 whatever the umask; one left by a killed run
/// is removed first), syncs it, renames it over `path` in one step and
/// syncs the directory: a crash never leaves a half-written export under
/// the final name, and nothing placed at either name is written through.
fn export_to_file(store: &dyn Store, path: &Path, checksum: bool) -> Result<Counts> {
    let mut file = AtomicFile::begin(path)?;
    let partial = file.partial_path().to_path_buf();
    let (counts, digest) = {
        let mut out = Hashing {
            inner: BufWriter::new(file.file()),
            hash: Sha256::new(),
        };
        let counts = export_json(store, &mut out)?;
        out.flush()
            .with_context(|| format!("cannot write {}", partial.display()))?;
        let Hashing { inner, hash } = out;
        drop(inner);
        (counts, sha256_hex(&hash.finalize()))
    };
    if checksum {
        // The checksum first: a backup under its final name always has one.
        let sum_path = checksum_path(path);
        let mut sum = AtomicFile::begin(&sum_path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        writeln!(sum.file(), "{digest}  {name}")
            .with_context(|| format!("cannot write {}", sum_path.display()))?;
        sum.commit()?;
    }
    file.commit()?;
    Ok(counts)
}

/// Runs `caseload export`.
pub fn export(store: &dyn Store, args: &ExportArgs) -> Result<ExitCode> {
    if let (Some(recipient), Some(peer)) = (&args.for_recipient, &args.peer) {
        return super::consent::run_disclosure(
            store,
            recipient,
            peer,
            &args.shares,
            None,
            "export".into(),
            args.format,
            args.out.as_deref(),
        );
    }
    if let Some(dir) = &args.csv {
        return export_csv(store, dir);
    }
    let counts = match &args.out {
        Some(path) => export_to_file(store, path, false)?,
        None => {
            if stdout_is_terminal() {
                bail!("export writes every record, notes included; give --out FILE or redirect it to a file rather than the screen");
            }
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            export_json(store, &mut out)?
        }
    };
    eprintln!("exported {}", counts_line(&counts));
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
    println!("imported {}", counts_line(&counts));
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
    let counts = export_to_file(store, &path, true)?;
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
        let sum = checksum_path(p);
        if sum.exists() {
            fs::remove_file(&sum)
                .with_context(|| format!("cannot remove old checksum {}", sum.display()))?;
        }
    }
    println!(
        "backed up {} and {} to {}{}",
        crate::text::count_u64(counts.peers, "peer", "peers"),
        crate::text::count_u64(counts.checkins, "check-in", "check-ins"),
        path.display(),
        if excess > 0 {
            format!("; removed {excess} older backup(s)")
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Checks `file` against its checksum file; the hex digest on success.
fn check_checksum(file: &Path) -> Result<String> {
    let sum_path = checksum_path(file);
    let expected = fs::read_to_string(&sum_path).map_err(|e| {
        anyhow!(
            "{}: cannot read its checksum {} ({e}); a backup written by `caseload backup` has one beside it",
            file.display(),
            sum_path.display()
        )
    })?;
    let expected = expected
        .split_whitespace()
        .next()
        .filter(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| anyhow!("{}: not a SHA-256 checksum", sum_path.display()))?
        .to_ascii_lowercase();
    let mut f = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", file.display()))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    let found = sha256_hex(&hash.finalize());
    if found != expected {
        bail!(
            "{}: the checksum does not match ({} expected, {found} found): the file was changed or damaged after the backup; do not restore it",
            file.display(),
            expected
        );
    }
    Ok(found)
}

/// Checksum, then format, records and references; the counts.
fn verify_file(file: &Path) -> Result<(String, Counts)> {
    let digest = check_checksum(file)?;
    let f = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let counts = verify_json(
        BufReader::with_capacity(1 << 20, f),
        &file.display().to_string(),
    )?;
    Ok((digest, counts))
}

/// Runs `caseload verify FILE`.
pub fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    let (digest, counts) = verify_file(&args.file)?;
    println!(
        "{}: checksum sha256 {digest} matches; format, records and references are sound",
        args.file.display()
    );
    println!("{}", counts_line(&counts));
    Ok(ExitCode::SUCCESS)
}

/// Runs `caseload restore FILE --data-dir NEW`: only into a directory
/// that does not exist or is empty, and only a backup that verifies.
pub fn restore(cli: &Cli, args: &RestoreArgs) -> Result<ExitCode> {
    let Some(dir) = &cli.data_dir else {
        bail!("restore needs --data-dir NEW: a new, empty folder for the restored store (it never restores over a store in use)");
    };
    if dir.exists() {
        let mut entries = fs::read_dir(dir)
            .with_context(|| format!("--data-dir {}: cannot read it", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "--data-dir {}: the folder is not empty; restore only into a new or empty folder, never over a store",
                dir.display()
            );
        }
    }
    let (digest, counts) = verify_file(&args.file)?;
    eprintln!(
        "caseload: {} verified (sha256 {digest}): {}",
        args.file.display(),
        counts_line(&counts)
    );
    let opened = crate::server::open(dir)?;
    let store = opened.store;
    let actor = super::actor(&*store, None);
    let f =
        File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let restored = import_json(
        &*store,
        &actor,
        BufReader::with_capacity(1 << 20, f),
        &args.file.display().to_string(),
    )?;
    println!("restored {} into {}", counts_line(&restored), dir.display());
    Ok(ExitCode::SUCCESS)
}

/// The notice every CSV file of an export begins with (42 CFR § 2.32):
/// these records may identify people with a substance use disorder.
pub const PART2_NOTICE: &str = "# CONFIDENTIAL: This record is protected by federal confidentiality rules (42 CFR part 2). The federal rules prohibit you from making any further disclosure of information in this record that identifies a patient as having or having had a substance use disorder either directly, by reference to publicly available information, or through verification of such identification by another person unless further disclosure is expressly permitted by the written consent of the individual whose information is being disclosed or as otherwise permitted by 42 CFR part 2. A general authorization for the release of medical or other information is NOT sufficient for this purpose (see § 2.31). The federal rules restrict any use of the information to investigate or prosecute with regard to a crime any patient with a substance use disorder, except as provided at §§ 2.12(c)(5) and 2.65.";

/// One CSV file of `export --csv`: UTF-8 with a byte-order mark (so
/// Excel reads the accents), CRLF, the notice as the first line, every
/// text cell through `csv_text`.
struct Sheet {
    file: AtomicFile,
    path: PathBuf,
    rows: u64,
}

impl Sheet {
    fn begin(dir: &Path, name: &str, header: &[&str]) -> Result<Sheet> {
        let path = dir.join(name);
        let mut file = AtomicFile::begin(&path)?;
        let f = file.file();
        f.write_all(b"\xEF\xBB\xBF")
            .and_then(|_| write!(f, "{PART2_NOTICE}\r\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut sheet = Sheet {
            file,
            path,
            rows: 0,
        };
        sheet.row(header.iter().map(|h| h.to_string()).collect())?;
        sheet.rows = 0;
        Ok(sheet)
    }

    /// Writes one row; cells are already safe (text through `csv_text`,
    /// numbers and dates as caseload formats them).
    fn row(&mut self, cells: Vec<String>) -> Result<()> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(&cells)?;
        let bytes = w
            .into_inner()
            .map_err(|e| anyhow!("cannot encode a row: {e}"))?;
        self.file
            .file()
            .write_all(&bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.rows += 1;
        Ok(())
    }

    fn commit(mut self) -> Result<u64> {
        self.file.file().sync_all().ok();
        let rows = self.rows;
        self.file.commit()?;
        Ok(rows)
    }
}

fn t(s: &str) -> String {
    super::output::csv_text(s)
}
fn o<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}
fn ot(v: &Option<String>) -> String {
    v.as_deref().map(t).unwrap_or_default()
}

/// Runs `caseload export --csv DIR`.
fn export_csv(store: &dyn Store, dir: &Path) -> Result<ExitCode> {
    use crate::model::Choice;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let settings = store.settings()?;
    let mut written = Vec::new();

    let mut s = Sheet::begin(
        dir,
        "staff.csv",
        &["id", "name", "initials", "role", "active"],
    )?;
    for r in store.list_staff()? {
        s.row(vec![
            r.id.to_string(),
            t(&r.name),
            t(&r.initials),
            r.role.key().to_string(),
            r.active.to_string(),
        ])?;
    }
    written.push(("staff.csv", s.commit()?));

    let peers = store.list_peers()?;
    let mut s = Sheet::begin(
        dir,
        "peers.csv",
        &[
            "id",
            "display name",
            "legal name",
            "pronouns",
            "phone",
            "email",
            "preferred contact",
            "intake date",
            "status",
            "status since",
            "status reason",
            "assigned staff",
            "cadence days",
            "emergency contact",
            "tags",
            "notes",
            "revision",
            "updated at",
        ],
    )?;
    for p in &peers {
        s.row(vec![
            p.id.to_string(),
            t(&p.display_name),
            ot(&p.legal_name),
            ot(&p.pronouns),
            ot(&p.phone),
            ot(&p.email),
            p.preferred_contact
                .map(|c| c.key().to_string())
                .unwrap_or_default(),
            p.intake_date.to_string(),
            p.status.key().to_string(),
            p.status_since.to_string(),
            ot(&p.status_reason),
            o(&p.assigned_staff),
            o(&p.cadence_days),
            ot(&p.emergency_contact),
            t(&p.tags.join("; ")),
            t(&p.notes),
            p.meta.revision.to_string(),
            p.meta.updated_at.to_rfc3339(),
        ])?;
    }
    written.push(("peers.csv", s.commit()?));

    let mut goals = Sheet::begin(
        dir,
        "goals.csv",
        &[
            "id",
            "peer",
            "life domain",
            "title",
            "status",
            "start date",
            "target date",
            "next review",
            "steps done",
            "steps",
        ],
    )?;
    let mut steps = Sheet::begin(
        dir,
        "goal_steps.csv",
        &["goal", "peer", "step", "text", "done on"],
    )?;
    for p in &peers {
        for g in store.goals_for_peer(p.id)? {
            let (done, total) = g.progress();
            goals.row(vec![
                g.id.to_string(),
                g.peer.to_string(),
                g.domain.key().to_string(),
                t(&g.title),
                g.status.key().to_string(),
                g.start_date.to_string(),
                o(&g.target_date),
                o(&g.next_review),
                done.to_string(),
                total.to_string(),
            ])?;
            for (i, st) in g.steps.iter().enumerate() {
                steps.row(vec![
                    g.id.to_string(),
                    g.peer.to_string(),
                    (i + 1).to_string(),
                    t(&st.text),
                    o(&st.done_on),
                ])?;
            }
        }
    }
    written.push(("goals.csv", goals.commit()?));
    written.push(("goal_steps.csv", steps.commit()?));

    let mut s = Sheet::begin(
        dir,
        "groups.csv",
        &[
            "id",
            "name",
            "facilitator",
            "weekday",
            "time",
            "location",
            "minutes",
            "active",
        ],
    )?;
    for g in store.list_groups()? {
        s.row(vec![
            g.id.to_string(),
            t(&g.name),
            o(&g.facilitator),
            g.weekday.to_string(),
            g.time.format("%H:%M").to_string(),
            t(&g.location),
            g.minutes.to_string(),
            g.active.to_string(),
        ])?;
    }
    written.push(("groups.csv", s.commit()?));

    let mut sessions = Sheet::begin(
        dir,
        "sessions.csv",
        &[
            "id",
            "group",
            "date",
            "topic",
            "facilitator",
            "minutes",
            "attendees",
            "note",
            "voided",
        ],
    )?;
    let mut attendance =
        Sheet::begin(dir, "attendance.csv", &["session", "group", "date", "peer"])?;
    let mut after = None;
    loop {
        let page = store.sessions_page(after, crate::store::MAX_PAGE)?;
        for r in &page {
            sessions.row(vec![
                r.id.to_string(),
                r.group.to_string(),
                r.date.to_string(),
                t(&r.topic),
                o(&r.facilitator),
                r.minutes.to_string(),
                r.attendees.len().to_string(),
                t(&r.note),
                r.voided.as_ref().map(|v| t(&v.reason)).unwrap_or_default(),
            ])?;
            for p in &r.attendees {
                attendance.row(vec![
                    r.id.to_string(),
                    r.group.to_string(),
                    r.date.to_string(),
                    p.to_string(),
                ])?;
            }
        }
        match page.last() {
            Some(last) if page.len() == crate::store::MAX_PAGE => after = Some(last.id),
            _ => break,
        }
    }
    written.push(("sessions.csv", sessions.commit()?));
    written.push(("attendance.csv", attendance.commit()?));

    let mut s = Sheet::begin(
        dir,
        "checkins.csv",
        &[
            "id",
            "peer",
            "staff",
            "at",
            "minutes",
            "units",
            "mode",
            "support",
            "goals",
            "wellbeing",
            "follow up",
            "note",
            "voided",
        ],
    )?;
    let mut after = None;
    loop {
        let page = store.checkins_page(after, crate::store::MAX_PAGE)?;
        for c in &page {
            s.row(vec![
                c.id.to_string(),
                c.peer.to_string(),
                c.staff.to_string(),
                c.at.to_rfc3339(),
                c.minutes.to_string(),
                settings.units_for(c.minutes).to_string(),
                c.mode.key().to_string(),
                c.support
                    .iter()
                    .map(|k| k.key())
                    .collect::<Vec<_>>()
                    .join("; "),
                c.goals
                    .iter()
                    .map(|g| g.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
                o(&c.wellbeing),
                o(&c.follow_up),
                t(&c.note),
                c.voided.as_ref().map(|v| t(&v.reason)).unwrap_or_default(),
            ])?;
        }
        match page.last() {
            Some(last) if page.len() == crate::store::MAX_PAGE => after = Some(last.id),
            _ => break,
        }
    }
    written.push(("checkins.csv", s.commit()?));
    crate::fsutil::sync_dir(dir).ok();

    eprintln!(
        "exported to {}: {}",
        dir.display(),
        written
            .iter()
            .map(|(n, rows)| format!("{n} ({})", crate::text::count_u64(*rows, "row", "rows")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
